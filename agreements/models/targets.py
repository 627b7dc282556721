"""Service level targets: what an agreement promises, one metric each, of kind utility, warranty,
experience or outcome. A target compares the period's achieved value (its measurements combined by
`aggregation`) with `target_value`; crossing `warning_threshold` first puts it at risk.

A target may also be a request clock (`clock` response or resolution, Co-create's service requests):
each request is then measured 100 when answered or resolved within `clock_limit_hours` of the target's
business-hours calendar and 0 when not, so the target reads "at least N % within the limit"."""

from __future__ import annotations

import operator
from decimal import Decimal

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from journeys.base import BaseModel

__all__ = [
    "Aggregation",
    "ClockKind",
    "Comparator",
    "MeasurementPeriod",
    "ServiceLevelTarget",
    "TargetKind",
    "WarrantyAspect",
]


class TargetKind(models.TextChoices):
    UTILITY = "utility", "Utility"
    WARRANTY = "warranty", "Warranty"
    EXPERIENCE = "experience", "Experience"
    OUTCOME = "outcome", "Outcome"


class WarrantyAspect(models.TextChoices):
    AVAILABILITY = "availability", "Availability"
    CAPACITY = "capacity", "Capacity"
    PERFORMANCE = "performance", "Performance"
    CONTINUITY = "continuity", "Continuity"
    SECURITY = "security", "Information security"
    USABILITY = "usability", "Usability"
    COMPLIANCE = "compliance", "Compliance"
    ACCESSIBILITY = "accessibility", "Accessibility"
    OTHER = "other", "Other"


class Comparator(models.TextChoices):
    """How the achieved value must compare with the target for the target to be met."""

    GTE = "gte", "at least (≥)"
    GT = "gt", "more than (>)"
    LTE = "lte", "at most (≤)"
    LT = "lt", "less than (<)"
    EQ = "eq", "exactly (=)"

    @property
    def symbol(self) -> str:
        return {"gte": "≥", "gt": ">", "lte": "≤", "lt": "<", "eq": "="}[self.value]

    @property
    def higher_is_better(self) -> bool | None:
        if self in (Comparator.GTE, Comparator.GT):
            return True
        if self in (Comparator.LTE, Comparator.LT):
            return False
        return None

    def holds(self, achieved: Decimal, target: Decimal) -> bool:
        return {
            "gte": operator.ge,
            "gt": operator.gt,
            "lte": operator.le,
            "lt": operator.lt,
            "eq": operator.eq,
        }[self.value](achieved, target)


class MeasurementPeriod(models.TextChoices):
    MONTH = "month", "Month"
    QUARTER = "quarter", "Quarter"


class Aggregation(models.TextChoices):
    """How a period's measurements combine into its achieved value."""

    AVERAGE = "average", "Average"
    MINIMUM = "minimum", "Minimum"
    MAXIMUM = "maximum", "Maximum"
    SUM = "sum", "Sum"
    COUNT = "count", "Number of measurements"
    LATEST = "latest", "Latest measurement"


class ClockKind(models.TextChoices):
    RESPONSE = "response", "Response time"
    RESOLUTION = "resolution", "Resolution time"


class ServiceLevelTarget(BaseModel):
    agreement = models.ForeignKey("agreements.Agreement", on_delete=models.CASCADE, related_name="targets")
    name = models.CharField(
        max_length=200, help_text="What is measured, e.g. Availability of the booking portal."
    )
    kind = models.CharField(max_length=20, choices=TargetKind.choices, default=TargetKind.WARRANTY)
    warranty_aspect = models.CharField(
        max_length=20,
        choices=WarrantyAspect.choices,
        blank=True,
        default="",
        help_text="Warranty targets only.",
    )
    metric = models.CharField(
        max_length=200,
        blank=True,
        default="",
        help_text="How it is measured, e.g. % of agreed service time up.",
    )
    unit = models.CharField(max_length=30, blank=True, default="", help_text="e.g. %, ms, hours, incidents.")
    comparator = models.CharField(max_length=5, choices=Comparator.choices, default=Comparator.GTE)
    target_value = models.DecimalField(max_digits=14, decimal_places=4)
    warning_threshold = models.DecimalField(
        max_digits=14,
        decimal_places=4,
        null=True,
        blank=True,
        help_text="Still met but close: above the target for ≥ and >, below it for ≤ and <.",
    )
    period = models.CharField(
        max_length=10, choices=MeasurementPeriod.choices, default=MeasurementPeriod.MONTH
    )
    aggregation = models.CharField(max_length=10, choices=Aggregation.choices, default=Aggregation.AVERAGE)
    calendar = models.ForeignKey(
        "agreements.BusinessCalendar",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="targets",
        help_text="The business hours its time counts in and whose time zone sets its period boundaries.",
    )
    baseline = models.DecimalField(
        max_digits=14,
        decimal_places=4,
        null=True,
        blank=True,
        help_text="Outcome targets: where the consumer started, to show the change achieved.",
    )
    clock = models.CharField(
        max_length=12,
        choices=ClockKind.choices,
        blank=True,
        default="",
        help_text="Request clock targets only.",
    )
    clock_limit_hours = models.DecimalField(
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Business hours each request is given.",
    )
    is_active = models.BooleanField(default=True)
    position = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["agreement_id", "position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=TargetKind.values), name="target_kind_valid"),
            models.CheckConstraint(
                condition=Q(comparator__in=Comparator.values), name="target_comparator_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind=TargetKind.WARRANTY) | Q(warranty_aspect=""),
                name="target_aspect_only_for_warranty",
                violation_error_message="Only warranty targets have a warranty aspect.",
            ),
            models.CheckConstraint(
                condition=~Q(kind=TargetKind.OUTCOME) | Q(baseline__isnull=False),
                name="target_outcome_has_baseline",
                violation_error_message="An outcome target needs its baseline.",
            ),
            # The warning threshold lies on the safe side of the target (strictly), and = has none.
            models.CheckConstraint(
                condition=(
                    Q(warning_threshold__isnull=True)
                    | (Q(comparator__in=["gte", "gt"]) & Q(warning_threshold__gt=models.F("target_value")))
                    | (Q(comparator__in=["lte", "lt"]) & Q(warning_threshold__lt=models.F("target_value")))
                ),
                name="target_warning_on_safe_side",
                violation_error_message="The warning threshold must lie on the met side of the target.",
            ),
            models.CheckConstraint(
                condition=(Q(clock="") & Q(clock_limit_hours__isnull=True))
                | (~Q(clock="") & Q(clock_limit_hours__gt=0)),
                name="target_clock_has_limit",
                violation_error_message="A request clock target (and only one) needs its limit in hours.",
            ),
        ]
        indexes = [
            models.Index(fields=["agreement", "is_active"], name="target_agreement_active"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def rule(self) -> str:
        """The target as people read it, e.g. "≥ 99.5 %"."""
        value = _plain(self.target_value)
        return f"{Comparator(self.comparator).symbol} {value}{(' ' + self.unit) if self.unit else ''}"


def _plain(value: Decimal | None) -> str:
    if value is None:
        return ""
    text = format(value.normalize(), "f") if isinstance(value, Decimal) else str(value)
    return text
