"""Business cases, the customer's and the service provider's: the questions a case answers, its cost
lines, benefit lines, risks and assumptions, and its versions. Approving a version makes it the
baseline of its line of versions, which the Realize step reviews the realized value against. The
figures (TCO, ROI, NPV, payback) are computed by offerings.finance, never stored."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from journeys.base import BaseModel
from offerings import finance

__all__ = [
    "FINANCIAL_BENEFITS",
    "HORIZON_MAX_YEARS",
    "Assumption",
    "BenefitLine",
    "BenefitType",
    "BusinessCase",
    "BusinessCasePerspective",
    "BusinessCaseRisk",
    "BusinessCaseStatus",
    "CashFlowLine",
    "Confidence",
    "CostCategory",
    "CostLine",
    "ExpenseType",
    "Recurrence",
    "UncertaintyArea",
]

HORIZON_MAX_YEARS = 50


class BusinessCasePerspective(models.TextChoices):
    CONSUMER = "consumer", "Customer business case"
    PROVIDER = "provider", "Service provider business case"


class BusinessCaseStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


class BusinessCase(BaseModel):
    """One version of a business case for a consumer organization, optionally about one offering.

    Versions of the same case share a `lineage`; `version` counts them from 1 and `previous_version`
    points to the one it was made from. At most one version per lineage is the baseline, and only an
    approved one can be.
    """

    # Indexed with the status below.
    organization = models.ForeignKey(
        "journeys.Organization", on_delete=models.CASCADE, related_name="business_cases", db_index=False
    )
    offering = models.ForeignKey(
        "offerings.ServiceOffering",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="business_cases",
    )
    perspective = models.CharField(
        max_length=20, choices=BusinessCasePerspective.choices, default=BusinessCasePerspective.CONSUMER
    )
    title = models.CharField(max_length=200)
    purpose = models.TextField(blank=True, default="", help_text="What the spending is for.")
    strategic_fit = models.TextField(
        blank=True, default="", help_text="How the new or changed service serves the organization's strategy."
    )
    problem = models.TextField(blank=True, default="", help_text="The problem the case sets out to solve.")
    desired_outcome = models.TextField(
        blank=True, default="", help_text="What should be different afterwards."
    )
    stakeholders_affected = models.TextField(
        blank=True, default="", help_text="Who is touched by the change, and in what way."
    )
    disadvantages = models.TextField(
        blank=True, default="", help_text="The drawbacks expected, next to the benefits listed below."
    )
    options_considered = models.TextField(
        blank=True, default="", help_text="The alternatives weighed, doing nothing included."
    )
    resources_needed = models.TextField(
        blank=True, default="", help_text="Which resources and investments are needed, and by when."
    )
    timeline = models.TextField(blank=True, default="", help_text="The main dates and phases.")
    organizational_change = models.TextField(
        blank=True, default="", help_text="What must change in the organization to get the benefits."
    )
    budget = models.DecimalField(
        max_digits=14, decimal_places=2, null=True, blank=True, help_text="The budget set aside, if any."
    )
    discount_rate = models.DecimalField(
        max_digits=5,
        decimal_places=4,
        default=Decimal("0"),
        help_text="Yearly rate for the net present value: a fraction (0.08 is 8 %) between −1 and 1.",
    )
    horizon_years = models.PositiveSmallIntegerField(
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(HORIZON_MAX_YEARS)],
        help_text="The last year counted; year 0 is the start, so a horizon of 3 covers years 0 to 3.",
    )
    status = models.CharField(
        max_length=20, choices=BusinessCaseStatus.choices, default=BusinessCaseStatus.DRAFT
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decision_note = models.TextField(
        blank=True, default="", help_text="Why the case was approved or rejected, and on what terms."
    )
    lineage = models.UUIDField(
        default=uuid.uuid4, editable=False, help_text="Shared by all versions of a case."
    )
    version = models.PositiveSmallIntegerField(default=1)
    previous_version = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="next_versions"
    )
    is_baseline = models.BooleanField(
        default=False, help_text="The approved version that realized value is reviewed against."
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["organization_id", "title", "-version"]
        constraints = [
            models.CheckConstraint(
                condition=Q(perspective__in=BusinessCasePerspective.values),
                name="business_case_perspective_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=BusinessCaseStatus.values), name="business_case_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(discount_rate__gt=-1, discount_rate__lt=1),
                name="business_case_discount_rate_range",
                violation_error_message="The discount rate lies strictly between −100 % and 100 %.",
            ),
            models.CheckConstraint(
                condition=Q(horizon_years__gte=1, horizon_years__lte=HORIZON_MAX_YEARS),
                name="business_case_horizon_range",
            ),
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | Q(budget__gte=0),
                name="business_case_budget_not_negative",
                violation_error_message="The budget cannot be negative.",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="business_case_version_positive"),
            models.CheckConstraint(
                condition=Q(previous_version__isnull=True) | ~Q(previous_version=F("id")),
                name="business_case_not_its_own_previous_version",
            ),
            models.CheckConstraint(
                condition=~Q(status=BusinessCaseStatus.APPROVED) | Q(approved_at__isnull=False),
                name="business_case_approved_has_date",
            ),
            models.CheckConstraint(
                condition=Q(is_baseline=False) | Q(status=BusinessCaseStatus.APPROVED),
                name="business_case_baseline_is_approved",
                violation_error_message="Only an approved business case can be the baseline.",
            ),
            models.UniqueConstraint(fields=["lineage", "version"], name="business_case_version_once"),
            models.UniqueConstraint(
                fields=["lineage"],
                condition=Q(is_baseline=True),
                name="business_case_one_baseline",
                violation_error_message="A business case has one baseline version at a time.",
            ),
        ]
        indexes = [models.Index(fields=["organization", "status"], name="business_case_organization")]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if self.discount_rate is not None and not -1 < self.discount_rate < 1:
            errors["discount_rate"] = (
                "Enter a rate strictly between −1 and 1 (−100 % and 100 %); 0.08 is 8 %."
            )
        if self.is_baseline and self.status != BusinessCaseStatus.APPROVED:
            errors["is_baseline"] = "Only an approved business case can be the baseline."
        previous = self.previous_version
        if previous is not None and (previous.pk == self.pk or previous.lineage != self.lineage):
            errors["previous_version"] = "The previous version must be an earlier version of the same case."
        if errors:
            raise ValidationError(errors)

    def figures(self) -> finance.BusinessCaseFigures:
        """TCO, ROI, NPV, payback and the rest, from the lines (prefetch them for a list of cases)."""
        return finance.business_case_figures(
            costs=self.cost_lines.all(),
            benefits=self.benefit_lines.all(),
            risks=self.risks.all(),
            discount_rate=self.discount_rate,
            horizon_years=self.horizon_years,
        )


class Recurrence(models.TextChoices):
    ONE_OFF = "one_off", "One-off"
    RECURRING = "recurring", "Recurring (every year)"


class CashFlowLine(BaseModel):
    """An amount in one year of the case (one-off), or the same amount every year from `year` to
    `last_year` (recurring). Year 0 is the start of the case."""

    description = models.CharField(max_length=240)
    recurrence = models.CharField(max_length=20, choices=Recurrence.choices, default=Recurrence.ONE_OFF)
    year = models.PositiveSmallIntegerField(
        default=0, help_text="The year it falls in, or the first year it recurs; 0 is the start."
    )
    last_year = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="For a recurring line: the last year it recurs."
    )
    amount = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(0)],
        help_text="For a recurring line: the amount of each year.",
    )

    class Meta:
        abstract = True
        ordering = ["year", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="%(class)s_amount_not_negative",
                violation_error_message="An amount cannot be negative.",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=0, year__lte=HORIZON_MAX_YEARS), name="%(class)s_year_range"
            ),
            models.CheckConstraint(
                condition=Q(recurrence=Recurrence.ONE_OFF, last_year__isnull=True)
                | Q(recurrence=Recurrence.RECURRING, last_year__isnull=False, last_year__gte=F("year")),
                name="%(class)s_recurrence_years",
                violation_error_message=(
                    "A one-off line falls in one year; a recurring one runs from its first to its last year."
                ),
            ),
        ]

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if self.recurrence == Recurrence.ONE_OFF and self.last_year is not None:
            errors["last_year"] = "A one-off line falls in one year; leave the last year empty."
        if self.recurrence == Recurrence.RECURRING:
            if self.last_year is None:
                errors["last_year"] = "Say until which year the line recurs."
            elif self.year is not None and self.last_year < self.year:
                errors["last_year"] = "The last year cannot come before the first."
        case = self.business_case if self.business_case_id else None
        if case is not None and self.year is not None and self.year > case.horizon_years:
            errors["year"] = f"The case looks {case.horizon_years} years ahead; this year would not count."
        if errors:
            raise ValidationError(errors)


class CostCategory(models.TextChoices):
    """The parts of the total cost of ownership, over the whole life of the service."""

    INVESTMENT = "investment", "Investment and implementation"
    MAINTENANCE_AND_SUPPORT = "maintenance_and_support", "Maintenance and support"
    USAGE = "usage", "Cost of usage"
    TRAINING = "training", "Training"
    ORGANIZATIONAL_CHANGE = "organizational_change", "Organizational change"
    EXIT = "exit", "Exit"
    STAKEHOLDER_TIME = "stakeholder_time", "Time and resources of the people involved"


class ExpenseType(models.TextChoices):
    CAPITAL = "capex", "Capital expense (CAPEX)"
    OPERATING = "opex", "Operating expense (OPEX)"


class CostLine(CashFlowLine):
    business_case = models.ForeignKey(BusinessCase, on_delete=models.CASCADE, related_name="cost_lines")
    category = models.CharField(max_length=30, choices=CostCategory.choices)
    expense_type = models.CharField(max_length=10, choices=ExpenseType.choices, default=ExpenseType.OPERATING)

    class Meta(CashFlowLine.Meta):
        ordering = ["business_case_id", "year", "id"]
        constraints = [
            *CashFlowLine.Meta.constraints,
            models.CheckConstraint(
                condition=Q(category__in=CostCategory.values), name="cost_line_category_valid"
            ),
            models.CheckConstraint(
                condition=Q(expense_type__in=ExpenseType.values), name="cost_line_expense_type_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.description


class BenefitType(models.TextChoices):
    """Financial benefits are money gained or kept; the others are valued in money where the parties
    can agree on a figure, and may count with 0 where they cannot."""

    REVENUE = "revenue", "More revenue"
    COST_REDUCTION = "cost_reduction", "Costs removed"
    COST_AVOIDANCE = "cost_avoidance", "Costs avoided"
    OUTCOME = "outcome", "Better outcomes (e.g. productivity)"
    EXPERIENCE = "experience", "Better experience"
    RISK_REDUCTION = "risk_reduction", "Risks removed"
    COMPLIANCE = "compliance", "Compliance"

    @property
    def is_financial(self) -> bool:
        return self in FINANCIAL_BENEFITS


FINANCIAL_BENEFITS = frozenset({BenefitType.REVENUE, BenefitType.COST_REDUCTION, BenefitType.COST_AVOIDANCE})


class BenefitLine(CashFlowLine):
    business_case = models.ForeignKey(BusinessCase, on_delete=models.CASCADE, related_name="benefit_lines")
    benefit_type = models.CharField(max_length=30, choices=BenefitType.choices)
    indicator = models.CharField(
        max_length=240,
        help_text="The measurable indicator that will show the benefit was realized, e.g. “hours of "
        "downtime per month”.",
    )

    class Meta(CashFlowLine.Meta):
        ordering = ["business_case_id", "year", "id"]
        constraints = [
            *CashFlowLine.Meta.constraints,
            models.CheckConstraint(
                condition=Q(benefit_type__in=BenefitType.values), name="benefit_line_type_valid"
            ),
            models.CheckConstraint(
                condition=~Q(indicator=""),
                name="benefit_line_has_indicator",
                violation_error_message="Name the indicator that will prove the benefit.",
            ),
        ]

    def __str__(self) -> str:
        return self.description

    @property
    def is_financial(self) -> bool:
        return BenefitType(self.benefit_type).is_financial


class BusinessCaseRisk(BaseModel):
    """A risk to the case: how likely it is (0 to 1) and what it would cost if it happened."""

    business_case = models.ForeignKey(BusinessCase, on_delete=models.CASCADE, related_name="risks")
    description = models.CharField(max_length=300)
    probability = models.DecimalField(
        max_digits=5,
        decimal_places=4,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text="How likely it is, as a fraction: 0.25 is 25 %.",
    )
    impact = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(0)],
        help_text="What it would cost if it happened.",
    )
    mitigation = models.TextField(
        blank=True, default="", help_text="What is done to make it less likely or less costly."
    )

    class Meta:
        ordering = ["business_case_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(probability__gte=0, probability__lte=1),
                name="business_case_risk_probability_range",
                violation_error_message="A probability lies between 0 and 1.",
            ),
            models.CheckConstraint(
                condition=Q(impact__gte=0),
                name="business_case_risk_impact_not_negative",
                violation_error_message="The impact cannot be negative.",
            ),
        ]

    def __str__(self) -> str:
        return self.description

    @property
    def exposure(self) -> Decimal:
        """Probability × impact, what the risk adds to the case's risk adjustment."""
        return finance.money(self.probability * self.impact)


class Confidence(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class UncertaintyArea(models.TextChoices):
    """Where business cases usually meet conflict and uncertainty."""

    VALUE = "value", "Value: understanding real needs"
    OUTCOME = "outcome", "Outcome: understanding benefits"
    COST = "cost", "Cost: understanding capital and operating expenses"
    RISK = "risk", "Risk: understanding uncertainty and impact"


class Assumption(BaseModel):
    """Something the case takes for granted, how sure we are of it, and who keeps an eye on it."""

    business_case = models.ForeignKey(BusinessCase, on_delete=models.CASCADE, related_name="assumptions")
    text = models.TextField()
    confidence = models.CharField(max_length=10, choices=Confidence.choices, default=Confidence.MEDIUM)
    area = models.CharField(max_length=10, choices=UncertaintyArea.choices, blank=True, default="")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who checks whether the assumption still holds.",
    )

    class Meta:
        ordering = ["business_case_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(confidence__in=Confidence.values), name="assumption_confidence_valid"
            ),
            models.CheckConstraint(
                condition=Q(area__in=[*UncertaintyArea.values, ""]), name="assumption_area_valid"
            ),
            models.CheckConstraint(condition=~Q(text=""), name="assumption_has_text"),
        ]

    def __str__(self) -> str:
        return self.text[:80]
