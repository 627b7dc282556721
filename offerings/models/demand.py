"""Demand: each consumer's requirements, ranked by MoSCoW and WSJF, and the patterns of business
activity (demand profiles) of each offering."""

from __future__ import annotations

import operator
from decimal import Decimal
from functools import reduce

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, F, FloatField, IntegerField, Q, Value, When
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import Cast
from simple_history.models import HistoricalRecords

from journeys.base import BaseModel
from offerings import prioritization
from offerings.prioritization import WSJF_SCALE, InvestCheck

__all__ = [
    "BUCKET_RANGES",
    "STATUSES_WITH_ACCEPTANCE",
    "STATUSES_WITH_PRIORITY",
    "WSJF_FIELDS",
    "DemandDimension",
    "DemandProfile",
    "DemandProfileCell",
    "DemandProfileSource",
    "DemandTrend",
    "MoscowCategory",
    "NonFunctionalCategory",
    "Requirement",
    "RequirementKind",
    "RequirementStatus",
    "moscow_order",
    "wsjf_score_expression",
]


class RequirementKind(models.TextChoices):
    """Utility requirements make a service fit for purpose (data, information, functions);
    non-functional ones make it fit for use within its limits (the warranty side)."""

    UTILITY = "utility", "Utility (fit for purpose)"
    NON_FUNCTIONAL = "non_functional", "Non-functional (fit for use)"


class NonFunctionalCategory(models.TextChoices):
    USABILITY = "usability", "Usability"
    AVAILABILITY = "availability", "Availability and reliability"
    CAPACITY = "capacity", "Capacity and performance"
    SECURITY = "security", "Information security"
    COMPLIANCE = "compliance", "Compliance"
    CONTINUITY = "continuity", "Continuity"
    MAINTAINABILITY = "maintainability", "Maintainability"
    OPERABILITY = "operability", "Operability"
    MEASURABILITY = "measurability", "Measurability and reportability"
    SCALABILITY = "scalability", "Scalability"


class RequirementStatus(models.TextChoices):
    """The requirements lifecycle, in its usual order. Validated, rejected and deferred end it."""

    NEED_IDENTIFIED = "need_identified", "Need identified"
    DEMAND_UNDERSTOOD = "demand_understood", "Demand understood"
    DRAFTED = "drafted", "Requirement drafted"
    PROBLEM_SEPARATED = "problem_separated", "Problem separated from solution"
    ACCEPTANCE_DEFINED = "acceptance_defined", "Acceptance test defined"
    PRIORITIZED = "prioritized", "Prioritized"
    IN_BACKLOG = "in_backlog", "In backlog"
    IN_SPRINT = "in_sprint", "In sprint"
    DEMOED = "demoed", "Demoed"
    VALIDATED = "validated", "Validated"
    REJECTED = "rejected", "Rejected"
    DEFERRED = "deferred", "Deferred to a future release"


# From "acceptance test defined" on, a requirement has its acceptance criteria; from "prioritized"
# on, its MoSCoW category.
STATUSES_WITH_ACCEPTANCE = [
    RequirementStatus.ACCEPTANCE_DEFINED,
    RequirementStatus.PRIORITIZED,
    RequirementStatus.IN_BACKLOG,
    RequirementStatus.IN_SPRINT,
    RequirementStatus.DEMOED,
    RequirementStatus.VALIDATED,
]
STATUSES_WITH_PRIORITY = STATUSES_WITH_ACCEPTANCE[1:]


class MoscowCategory(models.TextChoices):
    MUST = "must", "Must have"
    SHOULD = "should", "Should have"
    COULD = "could", "Could have"
    WONT = "wont", "Won't have this time"


def moscow_order() -> Case:
    """A database expression ordering requirements must, should, could, won't, then uncategorized;
    the same order as offerings.prioritization.moscow_position."""
    return Case(
        *(
            When(moscow=category, then=Value(position))
            for position, category in enumerate(prioritization.MOSCOW_ORDER)
        ),
        default=Value(len(prioritization.MOSCOW_ORDER)),
        output_field=IntegerField(),
    )


def wsjf_score_expression() -> CombinedExpression:
    """The WSJF score as a database expression (a float; NULL while unscored), for ordering and
    filtering in queries; offerings.prioritization.wsjf_score gives the rounded figure to show."""
    cost_of_delay = Cast(F("service_impact") + F("urgency") + F("risk_reduction"), FloatField())
    return cost_of_delay / Cast(F("job_size"), FloatField())


def _on_wsjf_scale(field: str) -> Q:
    return Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__in": WSJF_SCALE})


WSJF_FIELDS = ("service_impact", "urgency", "risk_reduction", "job_size")


class Requirement(BaseModel):
    """A need of one consumer organization written as a requirement, often as a user story
    ("As a … I want … so that …"), with how it will be accepted and how it ranks.

    Ranking: the MoSCoW category puts it in a column of the board, `rank` orders the column (lowest
    on top), and the WSJF components give its cost of delay ÷ job size to settle what comes first
    within a category. The four WSJF figures are scored together or not at all.
    """

    # Indexed with the board order below.
    organization = models.ForeignKey(
        "journeys.Organization", on_delete=models.CASCADE, related_name="requirements", db_index=False
    )
    journey = models.ForeignKey(
        "journeys.Journey", on_delete=models.SET_NULL, null=True, blank=True, related_name="requirements"
    )
    offering = models.ForeignKey(
        "offerings.ServiceOffering",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="requirements",
        db_index=False,  # indexed with the status below
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, default="")
    as_a = models.CharField(max_length=200, blank=True, default="", help_text="Who wants it (the role).")
    i_want = models.CharField(max_length=400, blank=True, default="", help_text="What they want.")
    so_that = models.CharField(max_length=400, blank=True, default="", help_text="What it gives them.")
    kind = models.CharField(max_length=20, choices=RequirementKind.choices, default=RequirementKind.UTILITY)
    non_functional_category = models.CharField(
        max_length=20,
        choices=NonFunctionalCategory.choices,
        blank=True,
        default="",
        help_text="For a non-functional requirement: which quality it is about.",
    )
    acceptance_criteria = models.TextField(
        blank=True,
        default="",
        help_text="How everyone will tell the requirement is met: the tests it must pass.",
    )
    status = models.CharField(
        max_length=30, choices=RequirementStatus.choices, default=RequirementStatus.NEED_IDENTIFIED
    )
    validated_at = models.DateTimeField(null=True, blank=True)
    moscow = models.CharField(
        "MoSCoW category",
        max_length=10,
        choices=MoscowCategory.choices,
        blank=True,
        default="",
        help_text="Agreed with the consumer; empty until the requirement is prioritized.",
    )
    candidate_release = models.CharField(
        max_length=80, blank=True, default="", help_text="For a won't-have: the release it might come in."
    )
    rank = models.PositiveIntegerField(
        default=0, help_text="Its place in its MoSCoW column: the lower, the higher up."
    )
    service_impact = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="WSJF: the value of its outcome (business or user value)."
    )
    urgency = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="WSJF: how much its value drops as time passes (time criticality)."
    )
    risk_reduction = models.PositiveSmallIntegerField(
        "risk reduction / opportunity enablement",
        null=True,
        blank=True,
        help_text="WSJF: the uncertainty it removes or the opportunity it opens.",
    )
    job_size = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="WSJF: the duration or size of the work, 1 or more."
    )
    is_independent = models.BooleanField("independent", default=False)
    is_negotiable = models.BooleanField("negotiable", default=False)
    is_valuable = models.BooleanField("valuable", default=False)
    is_estimable = models.BooleanField("estimable", default=False)
    is_small = models.BooleanField("small", default=False)
    is_testable = models.BooleanField("testable", default=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The requirement owner: collects, tracks and validates it.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["organization_id", "rank", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=RequirementKind.values), name="requirement_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(non_functional_category__in=[*NonFunctionalCategory.values, ""]),
                name="requirement_nfr_category_valid",
            ),
            models.CheckConstraint(
                condition=Q(kind=RequirementKind.NON_FUNCTIONAL) | Q(non_functional_category=""),
                name="requirement_nfr_category_only_non_functional",
                violation_error_message="Only a non-functional requirement has a non-functional category.",
            ),
            models.CheckConstraint(
                condition=Q(status__in=RequirementStatus.values), name="requirement_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(moscow__in=[*MoscowCategory.values, ""]), name="requirement_moscow_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status__in=STATUSES_WITH_ACCEPTANCE) | ~Q(acceptance_criteria=""),
                name="requirement_acceptance_before_priority",
                violation_error_message=(
                    "From “acceptance test defined” on, a requirement needs acceptance criteria."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(status__in=STATUSES_WITH_PRIORITY) | ~Q(moscow=""),
                name="requirement_prioritized_has_moscow",
                violation_error_message="A prioritized requirement needs its MoSCoW category.",
            ),
            models.CheckConstraint(
                condition=~Q(status=RequirementStatus.DEFERRED) | Q(moscow=MoscowCategory.WONT),
                name="requirement_deferred_is_wont",
                violation_error_message="A deferred requirement is a won't-have for this time.",
            ),
            models.CheckConstraint(
                condition=~Q(status=RequirementStatus.VALIDATED) | Q(validated_at__isnull=False),
                name="requirement_validated_has_date",
            ),
            *(
                models.CheckConstraint(
                    condition=_on_wsjf_scale(field),
                    name=f"requirement_{field}_on_scale",
                    violation_error_message=f"WSJF scores use the scale {', '.join(map(str, WSJF_SCALE))}.",
                )
                for field in ("service_impact", "urgency", "risk_reduction")
            ),
            models.CheckConstraint(
                condition=Q(job_size__isnull=True) | Q(job_size__gte=1),
                name="requirement_job_size_positive",
                violation_error_message="The job size is 1 or more: a job of size zero cannot be ranked.",
            ),
            models.CheckConstraint(
                condition=Q(**{f"{field}__isnull": True for field in WSJF_FIELDS})
                | Q(**{f"{field}__isnull": False for field in WSJF_FIELDS}),
                name="requirement_wsjf_scored_together",
                violation_error_message="Score all four WSJF figures, or none of them.",
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "moscow", "rank"], name="requirement_board"),
            models.Index(fields=["offering", "status"], name="requirement_offering"),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if self.job_size is not None and self.job_size < 1:
            errors["job_size"] = "The job size is 1 or more: a job of size zero cannot be ranked."
        scored = [getattr(self, field) is not None for field in WSJF_FIELDS]
        if any(scored) and not all(scored):
            for field, given in zip(WSJF_FIELDS, scored, strict=True):
                if not given and field not in errors:
                    errors[field] = "Score all four WSJF figures, or none of them."
        if self.non_functional_category and self.kind != RequirementKind.NON_FUNCTIONAL:
            errors["non_functional_category"] = "Only a non-functional requirement has this category."
        if self.status in STATUSES_WITH_ACCEPTANCE and not self.acceptance_criteria.strip():
            errors["acceptance_criteria"] = "Write down how the requirement will be tested before going on."
        if self.status in STATUSES_WITH_PRIORITY and not self.moscow:
            errors["moscow"] = "Choose the MoSCoW category agreed for it."
        if self.status == RequirementStatus.DEFERRED and self.moscow != MoscowCategory.WONT:
            errors["moscow"] = "A deferred requirement is a won't-have for this time."
        if errors:
            raise ValidationError(errors)

    @property
    def is_scored(self) -> bool:
        return all(getattr(self, field) is not None for field in WSJF_FIELDS)

    @property
    def cost_of_delay(self) -> int | None:
        if not self.is_scored:
            return None
        return prioritization.cost_of_delay(
            service_impact=self.service_impact, urgency=self.urgency, risk_reduction=self.risk_reduction
        )

    @property
    def wsjf_score(self) -> Decimal | None:
        """Cost of delay ÷ job size (2 places), or None while the requirement is not scored."""
        if not self.is_scored:
            return None
        return prioritization.wsjf_score(
            service_impact=self.service_impact,
            urgency=self.urgency,
            risk_reduction=self.risk_reduction,
            job_size=self.job_size,
        )

    @property
    def user_story(self) -> str:
        return prioritization.story_text(as_a=self.as_a, i_want=self.i_want, so_that=self.so_that)

    @property
    def invest(self) -> InvestCheck:
        return prioritization.invest_check(
            independent=self.is_independent,
            negotiable=self.is_negotiable,
            valuable=self.is_valuable,
            estimable=self.is_estimable,
            small=self.is_small,
            testable=self.is_testable,
            as_a=self.as_a,
            i_want=self.i_want,
            so_that=self.so_that,
            acceptance_criteria=self.acceptance_criteria,
        )


class DemandProfileSource(models.TextChoices):
    COMPUTED = "computed", "Computed from touchpoints"
    ENTERED = "entered", "Entered by hand"


class DemandTrend(models.TextChoices):
    """How the workload moves over time; telling them apart needs some business analysis."""

    REPETITIVE = "repetitive", "Repetitive"
    GROWTH = "growth", "Growth"
    DECLINE = "decline", "Decline"


class DemandProfile(BaseModel):
    """A pattern of business activity for an offering: how the consumers' workload spreads over the
    hours of the day, the days of the week and the months of the year, so capacity can follow it
    (or demand be shaped). Either computed from the touchpoints of the journeys linked to the
    offering, or entered from what the consumers tell us; an offering has at most one of each."""

    offering = models.ForeignKey(
        "offerings.ServiceOffering", on_delete=models.CASCADE, related_name="demand_profiles"
    )
    source = models.CharField(
        max_length=20, choices=DemandProfileSource.choices, default=DemandProfileSource.ENTERED
    )
    activity = models.CharField(
        max_length=240,
        blank=True,
        default="",
        help_text="The business activity that creates the workload, e.g. month-end closing.",
    )
    trend = models.CharField(max_length=20, choices=DemandTrend.choices, blank=True, default="")
    notes = models.TextField(blank=True, default="")
    covers_from = models.DateField(
        null=True, blank=True, help_text="For a computed profile: the first day of touchpoints counted."
    )
    covers_to = models.DateField(
        null=True, blank=True, help_text="For a computed profile: the last day of touchpoints counted."
    )
    computed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["offering_id", "source"]
        constraints = [
            models.UniqueConstraint(fields=["offering", "source"], name="demand_profile_once_per_source"),
            models.CheckConstraint(
                condition=Q(source__in=DemandProfileSource.values), name="demand_profile_source_valid"
            ),
            models.CheckConstraint(
                condition=Q(trend__in=[*DemandTrend.values, ""]), name="demand_profile_trend_valid"
            ),
            models.CheckConstraint(
                condition=~Q(source=DemandProfileSource.COMPUTED) | Q(computed_at__isnull=False),
                name="demand_profile_computed_has_date",
            ),
            models.CheckConstraint(
                condition=Q(covers_from__isnull=True)
                | Q(covers_to__isnull=True)
                | Q(covers_to__gte=F("covers_from")),
                name="demand_profile_period_in_order",
                violation_error_message="The period cannot end before it starts.",
            ),
        ]

    def __str__(self) -> str:
        return f"Demand profile of offering #{self.offering_id} ({self.get_source_display().lower()})"


class DemandDimension(models.TextChoices):
    """The three ways a profile slices time, with their buckets: hours 0–23, days of the week 0–6
    (0 is Monday, as in Python's `weekday()`), months 1–12."""

    HOUR_OF_DAY = "hour_of_day", "Hour of the day"
    DAY_OF_WEEK = "day_of_week", "Day of the week"
    MONTH = "month", "Month"


BUCKET_RANGES: dict[str, range] = {
    DemandDimension.HOUR_OF_DAY: range(0, 24),
    DemandDimension.DAY_OF_WEEK: range(0, 7),
    DemandDimension.MONTH: range(1, 13),
}


def _bucket_in_range() -> Q:
    return reduce(
        operator.or_,
        (
            Q(dimension=dimension, bucket__gte=buckets.start, bucket__lte=buckets.stop - 1)
            for dimension, buckets in BUCKET_RANGES.items()
        ),
    )


class DemandProfileCell(BaseModel):
    """The workload in one bucket of one dimension: touchpoints counted, or the volume entered."""

    profile = models.ForeignKey(DemandProfile, on_delete=models.CASCADE, related_name="cells")
    dimension = models.CharField(max_length=20, choices=DemandDimension.choices)
    bucket = models.PositiveSmallIntegerField(
        help_text="Hour 0–23, day of the week 0 (Monday) to 6 (Sunday), or month 1–12."
    )
    volume = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["profile_id", "dimension", "bucket"]
        constraints = [
            models.UniqueConstraint(fields=["profile", "dimension", "bucket"], name="demand_cell_once"),
            models.CheckConstraint(
                condition=Q(dimension__in=DemandDimension.values), name="demand_cell_dimension_valid"
            ),
            models.CheckConstraint(
                condition=_bucket_in_range(),
                name="demand_cell_bucket_in_range",
                violation_error_message="Hours run 0–23, days of the week 0–6 and months 1–12.",
            ),
            models.CheckConstraint(condition=Q(volume__gte=0), name="demand_cell_volume_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.dimension} {self.bucket}: {self.volume}"

    def clean(self) -> None:
        super().clean()
        buckets = BUCKET_RANGES.get(self.dimension)
        if buckets is not None and self.bucket is not None and self.bucket not in buckets:
            raise ValidationError(
                {"bucket": f"For this dimension the bucket runs {buckets.start} to {buckets.stop - 1}."}
            )
