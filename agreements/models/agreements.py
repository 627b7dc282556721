"""Agreements between the provider and a service consumer about one or more offerings: their form and
kind, term, review cadence, the consumer's own responsibilities, and their lifecycle
(draft → negotiating → agreed → active → expired / terminated), with every change kept in the history
and each review recorded."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from journeys.base import BaseModel

__all__ = [
    "TRANSITIONS",
    "Agreement",
    "AgreementForm",
    "AgreementKind",
    "AgreementReview",
    "AgreementStatus",
    "ReviewCadence",
    "ReviewOutcome",
]


class AgreementForm(models.TextChoices):
    """The four forms of agreement: how binding it is and how it came about."""

    OBLIGATION_BASED = "obligation_based", "Obligation-based"
    AGREEMENT_BASED = "agreement_based", "Agreement-based"
    PROMISE_BASED = "promise_based", "Promise-based"
    SOCIAL_RULES = "social_rules", "Based on social rules and expectations"


class AgreementKind(models.TextChoices):
    """What kind of document it is. The values are Engage's agreement types
    (relationships.profiles.AgreementType), so its relationship-type warnings apply unchanged."""

    STANDARD_CONTRACT = "standard_contract", "Standard contract"
    SLA = "sla", "Service level agreement (SLA)"
    EXPERIENCE_BASED = "experience_based", "Experience-based agreement (XLA)"
    OUTCOME_BASED = "outcome_based", "Outcome-based agreement"
    BESPOKE_CONTRACT = "bespoke_contract", "Bespoke contract"


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    NEGOTIATING = "negotiating", "Negotiating"
    AGREED = "agreed", "Agreed"
    ACTIVE = "active", "Active"
    EXPIRED = "expired", "Expired"
    TERMINATED = "terminated", "Terminated"

    @property
    def is_final(self) -> bool:
        return self in (AgreementStatus.EXPIRED, AgreementStatus.TERMINATED)


# The only moves the lifecycle allows; agreements_services.agreement_transition enforces them (with the
# guards each move has) and the page offers only these buttons.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    AgreementStatus.DRAFT: (AgreementStatus.NEGOTIATING, AgreementStatus.TERMINATED),
    AgreementStatus.NEGOTIATING: (AgreementStatus.AGREED, AgreementStatus.DRAFT, AgreementStatus.TERMINATED),
    AgreementStatus.AGREED: (AgreementStatus.ACTIVE, AgreementStatus.NEGOTIATING, AgreementStatus.TERMINATED),
    AgreementStatus.ACTIVE: (AgreementStatus.EXPIRED, AgreementStatus.TERMINATED),
    AgreementStatus.EXPIRED: (),
    AgreementStatus.TERMINATED: (),
}


class ReviewCadence(models.TextChoices):
    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly"
    HALF_YEARLY = "half_yearly", "Every six months"
    YEARLY = "yearly", "Yearly"
    ON_DEMAND = "on_demand", "On demand"

    @property
    def months(self) -> int | None:
        return {"monthly": 1, "quarterly": 3, "half_yearly": 6, "yearly": 12}.get(self.value)


class Agreement(BaseModel):
    organization = models.ForeignKey(
        "journeys.Organization", on_delete=models.CASCADE, related_name="agreements", db_index=False
    )
    offerings = models.ManyToManyField(
        "offerings.ServiceOffering", related_name="agreements", blank=True, help_text="What it covers."
    )
    title = models.CharField(max_length=200)
    reference = models.CharField(
        max_length=60, blank=True, default="", help_text="The contract or agreement number both sides quote."
    )
    external_id = models.CharField(
        max_length=100, blank=True, default="", help_text="The identifier the CRM gives this agreement."
    )
    form = models.CharField(
        max_length=20, choices=AgreementForm.choices, default=AgreementForm.AGREEMENT_BASED
    )
    kind = models.CharField(max_length=20, choices=AgreementKind.choices, default=AgreementKind.SLA)
    status = models.CharField(max_length=20, choices=AgreementStatus.choices, default=AgreementStatus.DRAFT)
    status_changed_at = models.DateTimeField(help_text="When it entered its current status.")
    scope = models.TextField(
        blank=True, default="", help_text="Which services, users and locations it covers."
    )
    consumer_responsibilities = models.TextField(
        blank=True, default="", help_text="What the consumer commits to do for the service to work."
    )
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True, help_text="Empty for an agreement without an end date.")
    review_cadence = models.CharField(
        max_length=20, choices=ReviewCadence.choices, default=ReviewCadence.QUARTERLY
    )
    next_review_on = models.DateField(null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The provider person accountable for it; breaches are e-mailed to them.",
    )
    customer_contact = models.ForeignKey(
        "journeys.Stakeholder",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The consumer's signatory or main contact for the agreement.",
    )
    review_reminded_on = models.DateField(
        null=True, blank=True, help_text="The review date its owner was last reminded of (one reminder each)."
    )
    agreed_on = models.DateField(null=True, blank=True)
    termination_reason = models.TextField(blank=True, default="")

    history = HistoricalRecords()

    class Meta:
        ordering = ["organization_id", "title", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=AgreementStatus.values), name="agreement_status_valid"
            ),
            models.CheckConstraint(condition=Q(form__in=AgreementForm.values), name="agreement_form_valid"),
            models.CheckConstraint(condition=Q(kind__in=AgreementKind.values), name="agreement_kind_valid"),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True)
                | Q(ends_on__isnull=True)
                | Q(ends_on__gte=F("starts_on")),
                name="agreement_ends_after_start",
                violation_error_message="The agreement cannot end before it starts.",
            ),
            models.UniqueConstraint(
                fields=["external_id"], condition=~Q(external_id=""), name="agreement_external_id_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "status"], name="agreement_account_status"),
            models.Index(fields=["status", "ends_on"], name="agreement_status_end"),
            models.Index(fields=["updated_at", "id"], name="agreement_sync"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def allowed_transitions(self) -> tuple[str, ...]:
        return TRANSITIONS[self.status]


class ReviewOutcome(models.TextChoices):
    CONTINUE = "continue", "Continue as agreed"
    RENEGOTIATE = "renegotiate", "Renegotiate targets"
    TERMINATE = "terminate", "Prepare termination"


class AgreementReview(BaseModel):
    """A review of the achieved service against the agreed one, held with the consumer."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="reviews")
    held_on = models.DateField()
    summary = models.TextField(help_text="What was compared and what both sides concluded.")
    outcome = models.CharField(max_length=20, choices=ReviewOutcome.choices, default=ReviewOutcome.CONTINUE)
    compliance_pct = models.DecimalField(
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        help_text="SLA compliance of the last closed period when the review was recorded.",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["agreement_id", "-held_on", "-id"]

    def __str__(self) -> str:
        return f"Review of {self.agreement} on {self.held_on}"
