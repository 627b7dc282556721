"""The compliance engine's stored results (agreements.compliance computes them):

- `TargetScore`: one target in one of its periods: the achieved value, how many measurements made it,
  and its status (met, at risk, breached, or no data). Copies the agreement, account and kind of its
  target so the SLA dashboard filters and counts without joins.
- `Scorecard`: per agreement (and per account, `agreement` empty) and month: how many targets were
  measured, met, at risk and breached, and the compliance % (met or at risk ÷ measured). A quarterly
  target counts in the month its quarter ends.
- `Breach`: a target breached in a period, raised once; its owner is e-mailed once (`notified_at`).

Running the engine twice over the same data gives the same rows."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from journeys.base import BaseModel

__all__ = ["Breach", "ComplianceStatus", "Scorecard", "TargetScore"]


class ComplianceStatus(models.TextChoices):
    MET = "met", "Met"
    AT_RISK = "at_risk", "At risk"
    BREACHED = "breached", "Breached"
    NO_DATA = "no_data", "No data"


class TargetScore(BaseModel):
    target = models.ForeignKey(
        "agreements.ServiceLevelTarget", on_delete=models.CASCADE, related_name="scores"
    )
    agreement = models.ForeignKey(
        "agreements.Agreement", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    organization = models.ForeignKey(
        "journeys.Organization", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    kind = models.CharField(max_length=20)
    period = models.CharField(max_length=10)
    period_start = models.DateField()
    period_end = models.DateField(help_text="The period's last day.")
    achieved_value = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)
    measurement_count = models.PositiveIntegerField(default=0)
    status = models.CharField(
        max_length=10, choices=ComplianceStatus.choices, default=ComplianceStatus.NO_DATA
    )
    is_closed = models.BooleanField(default=False, help_text="The period is over and its result final.")
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["target_id", "-period_start"]
        constraints = [
            models.UniqueConstraint(fields=["target", "period_start"], name="target_score_once_a_period"),
            models.CheckConstraint(
                condition=Q(status__in=ComplianceStatus.values), name="target_score_status_valid"
            ),
        ]
        indexes = [
            # The SLA dashboard counts and ranks a user's accounts' scores of a few months from this
            # index alone (PostgreSQL; elsewhere it is a plain index on the two fields).
            models.Index(
                fields=["organization", "period_end"],
                include=["status", "kind", "period_start", "target", "id", "achieved_value"],
                name="target_score_account",
            ),
            # The at-risk and breached lists rank only flagged scores: a smaller index to read them from.
            models.Index(
                fields=["organization", "period_end"],
                include=["status", "period_start", "target", "achieved_value", "id"],
                condition=Q(status__in=["at_risk", "breached"]),
                name="target_score_account_flagged",
            ),
            models.Index(fields=["agreement", "period_end"], name="target_score_agreement"),
            models.Index(fields=["period_end", "status"], name="target_score_period_status"),
        ]

    def __str__(self) -> str:
        return f"{self.target_id} {self.period_start}: {self.status}"


class Scorecard(BaseModel):
    organization = models.ForeignKey(
        "journeys.Organization", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    agreement = models.ForeignKey(
        "agreements.Agreement", on_delete=models.CASCADE, null=True, blank=True, related_name="scorecards"
    )
    month = models.DateField(help_text="First day of the month.")
    targets_measured = models.PositiveIntegerField(default=0)
    met = models.PositiveIntegerField(default=0)
    at_risk = models.PositiveIntegerField(default=0)
    breached = models.PositiveIntegerField(default=0)
    compliance_pct = models.DecimalField(
        max_digits=5, decimal_places=1, null=True, blank=True, help_text="Empty when nothing was measured."
    )
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["organization_id", "agreement_id", "-month"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "month"],
                condition=Q(agreement__isnull=False),
                name="scorecard_agreement_month",
            ),
            models.UniqueConstraint(
                fields=["organization", "month"],
                condition=Q(agreement__isnull=True),
                name="scorecard_account_month",
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "month"], name="scorecard_account"),
            # The accounts' own rows, with the counts the dashboard's trend sums (an index-only read).
            models.Index(
                fields=["organization", "month"],
                include=["met", "at_risk", "breached"],
                condition=Q(agreement__isnull=True),
                name="scorecard_account_totals",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}: {self.compliance_pct}"


class Breach(BaseModel):
    target = models.ForeignKey(
        "agreements.ServiceLevelTarget", on_delete=models.CASCADE, related_name="breaches"
    )
    agreement = models.ForeignKey(
        "agreements.Agreement", on_delete=models.CASCADE, related_name="breaches", db_index=False
    )
    organization = models.ForeignKey(
        "journeys.Organization", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    period_start = models.DateField()
    achieved_value = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)
    detected_at = models.DateTimeField()
    cleared_at = models.DateTimeField(
        null=True, blank=True, help_text="The open period recovered before it closed."
    )
    notified_at = models.DateTimeField(null=True, blank=True, help_text="When the owner was e-mailed (once).")

    class Meta:
        verbose_name_plural = "breaches"
        ordering = ["-detected_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["target", "period_start"], name="breach_once_a_period"),
        ]
        indexes = [
            models.Index(fields=["agreement", "period_start"], name="breach_agreement"),
            models.Index(fields=["organization", "period_start"], name="breach_account"),
        ]

    def __str__(self) -> str:
        return f"Breach of {self.target_id} in {self.period_start}"
