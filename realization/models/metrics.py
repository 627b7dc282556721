"""Value metrics: monthly snapshots per account and per market segment (all steps together and per
journey step), the health policy that weighs them, and the watermelons found among them.

A `ValueSnapshot` keeps the counts and sums a month's figures come from, so any set of snapshots adds
up right (an NPS over ten accounts is their promoters less their detractors over all their answers,
never an average of ten NPS):

- NPS = % promoters (9–10) − % detractors (0–6), from −100 to +100;
- CSAT = % of answers 4–5, and the mean answer;
- CES = the mean answer (1–7, higher is easier);
- response rate = answers ÷ invitations sent in the month;
- SLA compliance = targets met ÷ targets measured, from Agree's monthly scorecards;
- touchpoint sentiment = the mean sentiment (−2..+2) and the volume, from the live map's counts.

The health score of an account (or a segment) in a month reads the `HealthPolicy.window_months`
months up to that month. Each input becomes a score from 0 to 100 — NPS (NPS + 100) ÷ 2, CSAT its %,
CES (mean − 1) ÷ 6 × 100, SLA its %, sentiment (mean + 2) ÷ 4 × 100 — and the health is their weighted
mean over the inputs that have data: Σ weight × score ÷ Σ weight. The snapshot keeps each input and
the weights it was computed with, so the page can show how the score came about.

A watermelon is green outside and red inside: SLA compliance at or above the policy's threshold
while the experience is below its own (CSAT, CES, sentiment) or an experience target was missed.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from journeys.base import BaseModel

__all__ = [
    "HEALTH_FACTORS",
    "HealthBand",
    "HealthPolicy",
    "SnapshotLevel",
    "ValueSnapshot",
    "WatermelonAlert",
    "WatermelonReason",
]

# The factors of the health score, in the order the explanation lists them.
HEALTH_FACTORS = ("nps", "csat", "ces", "sla", "sentiment")


class HealthBand(models.TextChoices):
    HEALTHY = "healthy", "Healthy"
    WATCH = "watch", "Watch"
    AT_RISK = "at_risk", "At risk"


class HealthPolicy(BaseModel):
    """The one set of weights and thresholds the metrics job uses (row 1; `HealthPolicy.current()`)."""

    weight_nps = models.PositiveSmallIntegerField(default=25)
    weight_csat = models.PositiveSmallIntegerField(default=25)
    weight_ces = models.PositiveSmallIntegerField(default=15)
    weight_sla = models.PositiveSmallIntegerField(default=20)
    weight_sentiment = models.PositiveSmallIntegerField(default=15)
    window_months = models.PositiveSmallIntegerField(
        default=3, help_text="How many months up to the snapshot's month the health score reads."
    )
    healthy_from = models.DecimalField(
        max_digits=5, decimal_places=1, default=Decimal("70"), help_text="A score from here up is healthy."
    )
    at_risk_below = models.DecimalField(
        max_digits=5, decimal_places=1, default=Decimal("50"), help_text="A score below this is at risk."
    )
    watermelon_sla_from = models.DecimalField(
        max_digits=5,
        decimal_places=1,
        default=Decimal("95"),
        help_text="SLA compliance (%) from which the service counts as green.",
    )
    watermelon_csat_below = models.DecimalField(
        max_digits=5,
        decimal_places=1,
        default=Decimal("80"),
        help_text="CSAT (% satisfied) below this is red.",
    )
    watermelon_ces_below = models.DecimalField(
        max_digits=4, decimal_places=2, default=Decimal("5"), help_text="A mean CES (1–7) below this is red."
    )
    watermelon_sentiment_below = models.DecimalField(
        max_digits=4,
        decimal_places=2,
        default=Decimal("0"),
        help_text="A mean touchpoint sentiment (−2..+2) below this is red.",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name_plural = "health policies"
        constraints = [
            models.CheckConstraint(
                condition=Q(weight_nps__gt=0)
                | Q(weight_csat__gt=0)
                | Q(weight_ces__gt=0)
                | Q(weight_sla__gt=0)
                | Q(weight_sentiment__gt=0),
                name="health_policy_weights_not_zero",
                violation_error_message="The weights cannot all be zero.",
            ),
            models.CheckConstraint(
                condition=Q(window_months__gte=1, window_months__lte=12), name="health_policy_window_1_12"
            ),
        ]

    def __str__(self) -> str:
        return "Health policy"

    @classmethod
    def current(cls) -> HealthPolicy:
        policy, _ = cls.objects.get_or_create(pk=1)
        return policy

    @property
    def weights(self) -> dict[str, int]:
        return {factor: getattr(self, f"weight_{factor}") for factor in HEALTH_FACTORS}

    def band(self, score: Decimal | float | None) -> str | None:
        if score is None:
            return None
        if score >= self.healthy_from:
            return HealthBand.HEALTHY
        return HealthBand.AT_RISK if score < self.at_risk_below else HealthBand.WATCH


class SnapshotLevel(models.TextChoices):
    ACCOUNT = "account", "Account"
    SEGMENT = "segment", "Market segment"


class WatermelonReason(models.TextChoices):
    CSAT = "csat", "CSAT below its threshold"
    CES = "ces", "CES below its threshold"
    SENTIMENT = "sentiment", "Touchpoint sentiment below its threshold"
    EXPERIENCE_TARGET = "experience_target", "An experience target was missed"


class ValueSnapshot(models.Model):
    level = models.CharField(max_length=10, choices=SnapshotLevel.choices)
    organization = models.ForeignKey(
        "journeys.Organization",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    segment = models.ForeignKey(
        "exploration.MarketSegment",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    step = models.CharField(max_length=20, blank=True, default="", help_text="Empty for all steps together.")
    month = models.DateField(help_text="The first day of the month (site time zone).")
    # Surveys: invitations sent and answers given in the month.
    invitations = models.PositiveIntegerField(default=0)
    responses = models.PositiveIntegerField(default=0)
    nps_responses = models.PositiveIntegerField(default=0)
    promoters = models.PositiveIntegerField(default=0)
    detractors = models.PositiveIntegerField(default=0)
    csat_responses = models.PositiveIntegerField(default=0)
    csat_satisfied = models.PositiveIntegerField(default=0)
    csat_sum = models.PositiveIntegerField(default=0)
    ces_responses = models.PositiveIntegerField(default=0)
    ces_sum = models.PositiveIntegerField(default=0)
    # Touchpoints of the month.
    touchpoints = models.PositiveIntegerField(default=0)
    sentiment_sum = models.IntegerField(default=0)
    # Agree's scorecards of the month (all steps together only).
    sla_measured = models.PositiveIntegerField(default=0)
    sla_met = models.PositiveIntegerField(default=0)
    experience_missed = models.PositiveIntegerField(
        default=0, help_text="Experience targets breached in the month."
    )
    # The health score's inputs over the policy's window up to this month (empty: no data).
    input_nps = models.DecimalField(max_digits=6, decimal_places=1, null=True, blank=True)
    input_csat = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    input_ces = models.DecimalField(max_digits=4, decimal_places=2, null=True, blank=True)
    input_sla = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    input_sentiment = models.DecimalField(max_digits=4, decimal_places=2, null=True, blank=True)
    health_score = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    health_band = models.CharField(max_length=10, choices=HealthBand.choices, blank=True, default="")
    health_weights = models.JSONField(default=dict, help_text="The weights the score was computed with.")
    is_watermelon = models.BooleanField(default=False)
    watermelon_reasons = models.CharField(
        max_length=120, blank=True, default="", help_text="The WatermelonReason codes, comma-separated."
    )
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["month"]
        constraints = [
            models.CheckConstraint(
                condition=Q(level=SnapshotLevel.ACCOUNT, organization__isnull=False, segment__isnull=True)
                | Q(level=SnapshotLevel.SEGMENT, segment__isnull=False, organization__isnull=True),
                name="value_snapshot_level_subject",
            ),
            models.UniqueConstraint(
                fields=["organization", "step", "month"],
                condition=Q(level="account"),
                name="value_snapshot_account_once",
            ),
            models.UniqueConstraint(
                fields=["segment", "step", "month"],
                condition=Q(level="segment"),
                name="value_snapshot_segment_once",
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "month"], name="value_snapshot_account"),
            models.Index(fields=["segment", "month"], name="value_snapshot_segment"),
            models.Index(fields=["month", "level"], name="value_snapshot_month"),
        ]

    def __str__(self) -> str:
        subject = f"account {self.organization_id}" if self.organization_id else f"segment {self.segment_id}"
        return f"{subject} {self.step or 'all steps'} {self.month:%Y-%m}"

    # The month's own figures, from the counts.
    @property
    def nps(self) -> Decimal | None:
        if not self.nps_responses:
            return None
        return Decimal(100 * (self.promoters - self.detractors)) / self.nps_responses

    @property
    def csat_pct(self) -> Decimal | None:
        return Decimal(100 * self.csat_satisfied) / self.csat_responses if self.csat_responses else None

    @property
    def csat_mean(self) -> Decimal | None:
        return Decimal(self.csat_sum) / self.csat_responses if self.csat_responses else None

    @property
    def ces_mean(self) -> Decimal | None:
        return Decimal(self.ces_sum) / self.ces_responses if self.ces_responses else None

    @property
    def response_rate(self) -> Decimal | None:
        return Decimal(100 * self.responses) / self.invitations if self.invitations else None

    @property
    def sla_compliance(self) -> Decimal | None:
        return Decimal(100 * self.sla_met) / self.sla_measured if self.sla_measured else None

    @property
    def sentiment_avg(self) -> Decimal | None:
        return Decimal(self.sentiment_sum) / self.touchpoints if self.touchpoints else None

    @property
    def watermelon_reason_list(self) -> list[str]:
        return [code for code in self.watermelon_reasons.split(",") if code]


class WatermelonAlert(BaseModel):
    """An account found a watermelon in a month, and whether its owner was told (once)."""

    organization = models.ForeignKey("journeys.Organization", on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    reasons = models.CharField(max_length=120, default="")
    sla_compliance = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    detected_at = models.DateTimeField()
    cleared_at = models.DateTimeField(
        null=True, blank=True, help_text="When a later computation no longer found it."
    )
    notify_claimed_at = models.DateTimeField(null=True, blank=True)
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-month", "organization_id"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "month"], name="watermelon_alert_once"),
        ]
        indexes = [models.Index(fields=["month", "cleared_at"], name="watermelon_alert_month")]

    def __str__(self) -> str:
        return f"Watermelon {self.organization_id} {self.month:%Y-%m}"
