"""Reads of Offer: business cases, the customer's and the service provider's.

A business case belongs with the consumer organization it is made for: a user sees exactly the cases
of the organizations they may see (404 otherwise). The list shows each case once, as its latest
version, with its totals summed by the database; one case's page reads the version, its lines, the
other versions of its lineage and the version it is compared with in a fixed number of queries, and
works out the figures with offerings.finance. The baseline selectors are what the Realize step reviews
the realized value against.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Least
from django.http import Http404

from journeys import roles
from journeys.models import Organization
from journeys.selectors import organization_is_visible, organization_scope
from offerings import finance
from offerings.models import (
    Assumption,
    BenefitLine,
    BusinessCase,
    BusinessCasePerspective,
    BusinessCaseRisk,
    BusinessCaseStatus,
    CostLine,
)

__all__ = [
    "QUESTIONS",
    "QUESTION_FIELDS",
    "BusinessCaseComparison",
    "BusinessCasePage",
    "BusinessCaseRow",
    "ComparedFigure",
    "business_case_baseline",
    "business_case_baselines",
    "business_case_get",
    "business_case_line_get",
    "business_case_list",
    "business_case_page",
    "business_case_rows",
    "business_case_scope",
    "business_cases_for_organization",
]

# The questions a business case answers in words, in the order the page asks them. The others (the
# budget and expected cost, the risks, TCO, ROI and NPV) are answered by the lines and the figures.
QUESTIONS = {
    "purpose": "What is the spending for?",
    "strategic_fit": "How does it serve the organization's strategy?",
    "problem": "Which problem does it solve?",
    "desired_outcome": "What should be different afterwards?",
    "stakeholders_affected": "Who is affected, and how?",
    "disadvantages": "Which drawbacks come with the benefits?",
    "options_considered": "Which options were weighed?",
    "resources_needed": "Which resources and investments are needed, and when?",
    "timeline": "What is the timeline?",
    "organizational_change": "What must change in the organization to get the benefits?",
}
QUESTION_FIELDS = tuple(QUESTIONS)
OPEN_STATUSES = (BusinessCaseStatus.DRAFT, BusinessCaseStatus.SUBMITTED)
MONEY = DecimalField(max_digits=20, decimal_places=6)


# --- scoping --------------------------------------------------------------------------------------


def business_case_scope(user) -> QuerySet[BusinessCase]:
    """Every version of every case of the organizations the user may see."""
    cases = BusinessCase.objects.all()
    if not roles.roles_of(user):
        return cases.none()
    if roles.sees_whole_portfolio(user):
        return cases
    return cases.filter(organization__in=organization_scope(user))


def business_case_get(*, user, pk: int) -> BusinessCase:
    """One version with its organization, offering, owner and approver, if the user may see its
    organization (404 otherwise). One query: whether the user may see the organization is known from
    the user's teams, loaded with the user."""
    # get() rather than first(): a lookup by key needs no ORDER BY.
    try:
        case = BusinessCase.objects.select_related("organization", "offering", "owner", "approved_by").get(
            pk=pk
        )
    except BusinessCase.DoesNotExist:
        raise Http404("No such business case.") from None
    if not organization_is_visible(user, case.organization):
        raise Http404("No such business case.")
    return case


LINE_MODELS = {
    "costs": CostLine,
    "benefits": BenefitLine,
    "risks": BusinessCaseRisk,
    "assumptions": Assumption,
}


def business_case_line_get(*, user, kind: str, pk: int, case: BusinessCase | None = None):
    """A cost line, benefit line, risk or assumption (`kind`: costs, benefits, risks, assumptions) of a
    case the user may see, and of the given version when one is given (404 otherwise). The row comes
    with its case and the case's organization."""
    model = LINE_MODELS.get(kind)
    if model is None:
        raise Http404("No such line.")
    if case is not None:
        line = model.objects.filter(business_case=case, pk=pk).first()
        if line is not None:
            line.business_case = case
    else:
        line = model.objects.select_related("business_case__organization").filter(pk=pk).first()
        if line is not None and not organization_is_visible(user, line.business_case.organization):
            line = None
    if line is None:
        raise Http404("No such line.")
    return line


# --- the list -------------------------------------------------------------------------------------


def _horizon_total(model) -> Subquery:
    """The sum of a version's lines over its years 0..horizon, as a subquery: a one-off line counts
    once, a recurring line once for each of its years up to the horizon; years after it count not at
    all (the rules of offerings.finance)."""
    horizon = OuterRef("horizon_years")
    years = Least(Coalesce("last_year", "year"), horizon) - F("year") + Value(1)
    lines = (
        model.objects.filter(business_case=OuterRef("pk"), year__lte=horizon)
        .order_by()
        .values("business_case")
        .annotate(total=Sum(F("amount") * years, output_field=MONEY))
        .values("total")[:1]
    )
    return Subquery(lines, output_field=MONEY)


def _risk_total() -> Subquery:
    risks = (
        BusinessCaseRisk.objects.filter(business_case=OuterRef("pk"))
        .order_by()
        .values("business_case")
        .annotate(total=Sum(F("probability") * F("impact"), output_field=MONEY))
        .values("total")[:1]
    )
    return Subquery(risks, output_field=MONEY)


def business_case_list(
    *,
    user,
    organization: Organization | int | None = None,
    status: str = "",
    perspective: str = "",
    offering=None,
    latest_only: bool = True,
) -> QuerySet[BusinessCase]:
    """Each case the user may see once, as its latest version (every version with `latest_only=False`),
    newest change first, with its TCO, total benefits and risk adjustment summed by the database
    (`total_costs`, `total_benefits`, `risk_total`) and its baseline's version and id. Filters: an
    organization, the (latest) version's status, the perspective, an offering. One query."""
    newer = BusinessCase.objects.filter(lineage=OuterRef("lineage"), version__gt=OuterRef("version"))
    baseline = BusinessCase.objects.filter(lineage=OuterRef("lineage"), is_baseline=True)
    cases = business_case_scope(user)
    if latest_only:
        cases = cases.filter(~Exists(newer))
    cases = (
        cases.select_related("organization", "offering")
        .annotate(
            total_costs=Coalesce(_horizon_total(CostLine), Value(Decimal(0)), output_field=MONEY),
            total_benefits=Coalesce(_horizon_total(BenefitLine), Value(Decimal(0)), output_field=MONEY),
            risk_total=Coalesce(_risk_total(), Value(Decimal(0)), output_field=MONEY),
            baseline_version=Subquery(baseline.values("version")[:1]),
            baseline_pk=Subquery(baseline.values("pk")[:1]),
        )
        .order_by("-updated_at", "-pk")
    )
    if organization is not None:
        cases = cases.filter(organization_id=getattr(organization, "pk", organization))
    if status in BusinessCaseStatus.values:
        cases = cases.filter(status=status)
    if perspective in BusinessCasePerspective.values:
        cases = cases.filter(perspective=perspective)
    if offering is not None:
        cases = cases.filter(offering_id=getattr(offering, "pk", offering))
    return cases


@dataclass(frozen=True)
class BusinessCaseRow:
    """A row of the list: the latest version and the figures its totals give."""

    case: BusinessCase
    total_cost_of_ownership: Decimal
    total_benefits: Decimal
    net_benefit: Decimal
    return_on_investment: Decimal | None
    risk_adjustment: Decimal
    is_positive: bool

    @property
    def return_on_investment_percent(self) -> Decimal | None:
        if self.return_on_investment is None:
            return None
        return finance.money(self.return_on_investment * 100)


def business_case_rows(cases) -> list[BusinessCaseRow]:
    """The list's rows from versions `business_case_list` annotated: ROI and whether the case is positive
    follow from the three sums, as offerings.finance defines them."""
    rows = []
    for case in cases:
        costs, benefits = finance.money(case.total_costs), finance.money(case.total_benefits)
        risk = finance.money(case.risk_total)
        rows.append(
            BusinessCaseRow(
                case=case,
                total_cost_of_ownership=costs,
                total_benefits=benefits,
                net_benefit=benefits - costs,
                return_on_investment=finance.return_on_investment(benefits, costs),
                risk_adjustment=risk,
                is_positive=benefits > costs + risk,
            )
        )
    return rows


# --- one version's page ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ComparedFigure:
    label: str
    this: Decimal | None
    other: Decimal | None
    unit: str = "money"  # money, percent or years

    @property
    def difference(self) -> Decimal | None:
        if self.this is None or self.other is None:
            return None
        return self.this - self.other


@dataclass(frozen=True)
class BusinessCaseComparison:
    """This version's figures next to another version's (usually the baseline)."""

    other: BusinessCase
    other_figures: finance.BusinessCaseFigures
    figures: list[ComparedFigure]
    yearly_nets: list[tuple[int, Decimal | None, Decimal | None]]
    line_counts: list[tuple[str, int, int, str]]


@dataclass(frozen=True)
class BusinessCasePage:
    case: BusinessCase
    cost_lines: list[CostLine]
    benefit_lines: list[BenefitLine]
    risks: list[BusinessCaseRisk]
    assumptions: list[Assumption]
    figures: finance.BusinessCaseFigures
    versions: list[BusinessCase]
    baseline: BusinessCase | None
    open_version: BusinessCase | None
    comparison: BusinessCaseComparison | None
    questions: list[tuple[str, str, str]]

    @property
    def is_editable(self) -> bool:
        return self.case.status == BusinessCaseStatus.DRAFT

    @property
    def questions_answered(self) -> int:
        return sum(1 for _, _, answer in self.questions if answer)

    @property
    def has_benefits(self) -> bool:
        return bool(self.benefit_lines)


def _figures(case: BusinessCase, costs, benefits, risks) -> finance.BusinessCaseFigures:
    return finance.business_case_figures(
        costs=costs,
        benefits=benefits,
        risks=risks,
        discount_rate=case.discount_rate,
        horizon_years=case.horizon_years,
    )


def _change(this: int, other: int) -> str:
    if this == other:
        return "same"
    return f"{this - other} more" if this > other else f"{other - this} fewer"


def _comparison(
    case: BusinessCase,
    figures: finance.BusinessCaseFigures,
    other: BusinessCase,
    other_figures: finance.BusinessCaseFigures,
    counts: dict[str, tuple[int, int]],
) -> BusinessCaseComparison:
    this, then = figures, other_figures
    compared = [
        ComparedFigure("Total cost of ownership", this.total_cost_of_ownership, then.total_cost_of_ownership),
        ComparedFigure("Total benefits", this.total_benefits, then.total_benefits),
        ComparedFigure("Net benefit", this.net_benefit, then.net_benefit),
        ComparedFigure(
            "Return on investment",
            this.return_on_investment_percent,
            then.return_on_investment_percent,
            unit="percent",
        ),
        ComparedFigure("Net present value", this.net_present_value, then.net_present_value),
        ComparedFigure("Payback", this.payback_years, then.payback_years, unit="years"),
        ComparedFigure("Risk adjustment", this.risk_adjustment, then.risk_adjustment),
    ]
    last_year = max(case.horizon_years, other.horizon_years)
    this_nets = {year.year: year.net for year in this.years}
    other_nets = {year.year: year.net for year in then.years}
    yearly = [(year, this_nets.get(year), other_nets.get(year)) for year in range(last_year + 1)]
    return BusinessCaseComparison(
        other=other,
        other_figures=other_figures,
        figures=compared,
        yearly_nets=yearly,
        line_counts=[(label, *counts[label], _change(*counts[label])) for label in counts],
    )


def business_case_page(*, user, pk: int, compare_with: int | None = None) -> BusinessCasePage:
    """Everything one version's page shows: the version, its lines, risks and assumptions, its figures,
    the versions of its lineage and, when there is one, a comparison with another version (the one
    asked for, else the baseline when this is not it). 404 when the user may not see its organization.
    Five queries, whatever the number of lines and versions: the version comes with the rest of its
    lineage, and the lines of both compared versions are read together."""
    lineage = BusinessCase.objects.filter(pk=pk).values("lineage")[:1]
    versions = list(
        BusinessCase.objects.filter(lineage=Subquery(lineage))
        .select_related("organization", "offering", "owner", "approved_by")
        .order_by("version")
    )
    case = next((version for version in versions if version.pk == pk), None)
    if case is None or not organization_is_visible(user, case.organization):
        raise Http404("No such business case.")
    baseline = next((version for version in versions if version.is_baseline), None)
    open_version = next(
        (version for version in versions if version.status in OPEN_STATUSES and version.pk != case.pk), None
    )
    if compare_with is not None and compare_with != case.pk:
        other = next((version for version in versions if version.pk == compare_with), None)
    else:
        other = baseline if baseline is not None and baseline.pk != case.pk else None
    ids = [case.pk] if other is None else [case.pk, other.pk]

    def split(rows) -> dict[int, list]:
        by_case: dict[int, list] = {pk: [] for pk in ids}
        for row in rows:
            by_case[row.business_case_id].append(row)
        return by_case

    costs = split(CostLine.objects.filter(business_case_id__in=ids).order_by("year", "pk"))
    benefits = split(BenefitLine.objects.filter(business_case_id__in=ids).order_by("year", "pk"))
    risks = split(BusinessCaseRisk.objects.filter(business_case_id__in=ids).order_by("pk"))
    assumptions = list(Assumption.objects.filter(business_case=case).select_related("owner").order_by("pk"))
    figures = _figures(case, costs[case.pk], benefits[case.pk], risks[case.pk])
    comparison = None
    if other is not None:
        other_figures = _figures(other, costs[other.pk], benefits[other.pk], risks[other.pk])
        counts = {
            "Cost lines": (len(costs[case.pk]), len(costs[other.pk])),
            "Benefit lines": (len(benefits[case.pk]), len(benefits[other.pk])),
            "Risks": (len(risks[case.pk]), len(risks[other.pk])),
        }
        comparison = _comparison(case, figures, other, other_figures, counts)
    questions = [(name, question, getattr(case, name)) for name, question in QUESTIONS.items()]
    return BusinessCasePage(
        case=case,
        cost_lines=costs[case.pk],
        benefit_lines=benefits[case.pk],
        risks=risks[case.pk],
        assumptions=assumptions,
        figures=figures,
        versions=versions,
        baseline=baseline,
        open_version=open_version,
        comparison=comparison,
        questions=questions,
    )


# --- baselines (what Realize reviews against) -----------------------------------------------------


def _baselines(organization: Organization) -> QuerySet[BusinessCase]:
    return (
        BusinessCase.objects.filter(organization=organization, is_baseline=True)
        .select_related("offering", "approved_by")
        .prefetch_related(
            Prefetch("cost_lines", queryset=CostLine.objects.order_by("year", "pk")),
            Prefetch("benefit_lines", queryset=BenefitLine.objects.order_by("year", "pk")),
            Prefetch("risks", queryset=BusinessCaseRisk.objects.order_by("pk")),
        )
        .order_by("-approved_at", "-pk")
    )


def business_case_baselines(*, user, organization: Organization) -> list[BusinessCase]:
    """The baseline of every case of the organization (an approved version each), most recently approved
    first, with their cost and benefit lines (each benefit with the indicator that will prove it) and
    risks prefetched, so `case.figures()` costs no query. 404 for an organization the user may not
    see. Four queries."""
    if not organization_is_visible(user, organization):
        raise Http404("No such organization.")
    return list(_baselines(organization))


def business_case_baseline(
    *, user, organization: Organization, lineage=None, offering=None
) -> BusinessCase | None:
    """The baseline realized value is reviewed against: of one case (its `lineage`), else of the
    organization's cases about an offering, else the organization's most recently approved one. None
    when nothing has been approved. Prefetched like `business_case_baselines`."""
    if not organization_is_visible(user, organization):
        raise Http404("No such organization.")
    baselines = _baselines(organization)
    if lineage is not None:
        baselines = baselines.filter(lineage=lineage)
    if offering is not None:
        baselines = baselines.filter(offering_id=getattr(offering, "pk", offering))
    return baselines.first()


# --- the account 360° panel -----------------------------------------------------------------------


@dataclass(frozen=True)
class OrganizationBusinessCases:
    rows: list[BusinessCaseRow]
    open_count: int
    baseline_count: int


def business_cases_for_organization(
    *, user, organization: Organization, limit: int = 5
) -> OrganizationBusinessCases:
    """The account's cases for its 360° panel: the latest version of each (at most `limit`, newest change
    first, with their totals), how many are still open (draft or submitted) and how many have an
    approved baseline. Two queries; 404 for an organization the user may not see."""
    if not organization_is_visible(user, organization):
        raise Http404("No such organization.")
    latest = business_case_list(user=user, organization=organization)
    counts = BusinessCase.objects.filter(organization=organization).aggregate(
        open_count=Count("lineage", distinct=True, filter=Q(status__in=OPEN_STATUSES)),
        baseline_count=Count("lineage", distinct=True, filter=Q(is_baseline=True)),
    )
    return OrganizationBusinessCases(
        rows=business_case_rows(latest[:limit]),
        open_count=counts["open_count"],
        baseline_count=counts["baseline_count"],
    )
