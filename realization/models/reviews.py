"""Value reviews: per agreement or account, on the agreed cadence, what the approved business case
expected and what the outcome targets asked beside what was realized, with comments, decisions,
actions and the customer sponsor's sign-off.

A review is planned for a date, prepared (its benefit and target lines are copied from the baseline
business case and the agreement's outcome and experience targets, with the figures of the period),
held (the realized values, the answers to the analysis questions, comments and decisions filled in)
and signed off by the customer sponsor, after which it no longer changes. The lines keep their own
copy of what was expected, so a later change to the case or the targets does not rewrite a review
that was signed.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from journeys.base import BaseModel

__all__ = [
    "ANALYSIS_QUESTIONS",
    "REVIEW_TRANSITIONS",
    "ReviewAction",
    "ReviewActionStatus",
    "ReviewBenefit",
    "ReviewTarget",
    "ValueReview",
    "ValueReviewStatus",
]


class ValueReviewStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    PREPARED = "prepared", "Prepared"
    HELD = "held", "Held"
    SIGNED_OFF = "signed_off", "Signed off"
    CANCELLED = "cancelled", "Cancelled"


REVIEW_TRANSITIONS: dict[str, tuple[str, ...]] = {
    ValueReviewStatus.PLANNED: (ValueReviewStatus.PREPARED, ValueReviewStatus.CANCELLED),
    ValueReviewStatus.PREPARED: (ValueReviewStatus.HELD, ValueReviewStatus.CANCELLED),
    ValueReviewStatus.HELD: (ValueReviewStatus.SIGNED_OFF, ValueReviewStatus.PREPARED),
    ValueReviewStatus.SIGNED_OFF: (),
    ValueReviewStatus.CANCELLED: (),
}

# The questions a review answers once the figures are together (our wording of the book's checklist).
ANALYSIS_QUESTIONS: tuple[tuple[str, str], ...] = (
    ("targets_met", "Are the targets met?"),
    ("dynamics", "How are the figures moving?"),
    ("trends", "Is there a clear trend?"),
    ("trend_direction", "Is the trend for better or for worse?"),
    ("structural", "Is there a structural problem underneath?"),
    ("improvements", "Does anything need improving?"),
    ("unforeseen", "Did anything unforeseen or unplanned happen that design should hear about?"),
    ("new_information", "Is there news about the products, the services, the journey or the market?"),
)


class ValueReview(BaseModel):
    organization = models.ForeignKey(
        "journeys.Organization", on_delete=models.CASCADE, related_name="value_reviews"
    )
    agreement = models.ForeignKey(
        "agreements.Agreement", on_delete=models.SET_NULL, null=True, blank=True, related_name="value_reviews"
    )
    business_case = models.ForeignKey(
        "offerings.BusinessCase",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="value_reviews",
        help_text="The approved business case whose expected benefits the review checks.",
    )
    title = models.CharField(max_length=200)
    period_start = models.DateField(help_text="The first day of the period reviewed.")
    period_end = models.DateField(help_text="The last day of the period reviewed.")
    scheduled_on = models.DateField(help_text="When the review meeting is planned.")
    held_on = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=ValueReviewStatus.choices, default=ValueReviewStatus.PLANNED
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sponsor = models.ForeignKey(
        "journeys.Stakeholder",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The customer sponsor who signs the review off.",
    )
    participants = models.TextField(blank=True, default="", help_text="Who took part, on both sides.")
    analysis = models.JSONField(default=dict, blank=True, help_text="The answers to the analysis questions.")
    comments = models.TextField(blank=True, default="", help_text="The overall assessment.")
    decisions = models.TextField(blank=True, default="")
    figures = models.JSONField(
        default=dict, blank=True, help_text="The experience and SLA figures of the period, as prepared."
    )
    next_review_on = models.DateField(null=True, blank=True)
    signed_off_at = models.DateTimeField(null=True, blank=True)
    signed_off_by_name = models.CharField(max_length=200, blank=True, default="")
    sign_off_note = models.TextField(blank=True, default="")
    sign_off_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    external_id = models.CharField(max_length=100, blank=True, default="")

    class Meta:
        ordering = ["-scheduled_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ValueReviewStatus.values), name="value_review_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="value_review_period_order",
                violation_error_message="The period cannot end before it starts.",
            ),
            models.CheckConstraint(
                condition=~Q(status=ValueReviewStatus.SIGNED_OFF)
                | (Q(signed_off_at__isnull=False) & ~Q(signed_off_by_name="")),
                name="value_review_signed_off_has_signature",
                violation_error_message="A signed-off review records who signed and when.",
            ),
            models.UniqueConstraint(
                fields=["external_id"], condition=~Q(external_id=""), name="value_review_external_id_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "-scheduled_on"], name="value_review_account"),
            models.Index(fields=["status", "scheduled_on"], name="value_review_due"),
            models.Index(fields=["updated_at", "id"], name="value_review_sync"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def allowed_transitions(self) -> tuple[str, ...]:
        return REVIEW_TRANSITIONS[self.status]

    @property
    def is_editable(self) -> bool:
        return self.status not in (ValueReviewStatus.SIGNED_OFF, ValueReviewStatus.CANCELLED)


class ReviewBenefit(BaseModel):
    """An expected benefit of the business case, beside what was realized in the period."""

    review = models.ForeignKey(ValueReview, on_delete=models.CASCADE, related_name="benefits")
    benefit_line = models.ForeignKey(
        "offerings.BenefitLine", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    description = models.CharField(max_length=240)
    benefit_type = models.CharField(max_length=30, blank=True, default="")
    indicator = models.CharField(max_length=240, blank=True, default="")
    expected = models.DecimalField(
        max_digits=14, decimal_places=2, help_text="What the case expected in the period."
    )
    realized = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    comment = models.TextField(blank=True, default="")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["review_id", "position", "id"]

    def __str__(self) -> str:
        return self.description

    @property
    def variance(self) -> Decimal | None:
        return None if self.realized is None else self.realized - self.expected

    @property
    def variance_pct(self) -> Decimal | None:
        if self.realized is None or not self.expected:
            return None
        return (self.realized - self.expected) * 100 / self.expected


class ReviewTarget(BaseModel):
    """An outcome or experience target of the agreement, beside what was achieved in the period."""

    review = models.ForeignKey(ValueReview, on_delete=models.CASCADE, related_name="targets")
    target = models.ForeignKey(
        "agreements.ServiceLevelTarget", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, blank=True, default="")
    comparator = models.CharField(max_length=5, blank=True, default="")
    target_value = models.DecimalField(max_digits=14, decimal_places=4)
    unit = models.CharField(max_length=30, blank=True, default="")
    baseline = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    achieved = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)
    status = models.CharField(max_length=20, blank=True, default="", help_text="met, at_risk or breached.")
    comment = models.TextField(blank=True, default="")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["review_id", "position", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def variance(self) -> Decimal | None:
        return None if self.achieved is None else self.achieved - self.target_value


class ReviewActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"


class ReviewAction(BaseModel):
    review = models.ForeignKey(ValueReview, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField(max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=ReviewActionStatus.choices, default=ReviewActionStatus.OPEN
    )
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["review_id", "due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ReviewActionStatus.values), name="review_action_status_valid"
            ),
        ]
        indexes = [models.Index(fields=["owner", "status"], name="review_action_owner")]

    def __str__(self) -> str:
        return self.description
