"""The Offer step on an account's 360° page: the consumer's requirements by MoSCoW category with the
most urgent open ones by WSJF, the opportunity pipeline by stage, and the business case baseline with
its figures. A fixed number of queries, whatever the account's size."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from journeys.models import Organization
from journeys.selectors import organization_is_visible
from offerings.finance import BusinessCaseFigures
from offerings.models import (
    BusinessCase,
    BusinessCaseStatus,
    MoscowCategory,
    OfferingJourney,
    Opportunity,
    OpportunityStage,
    Requirement,
    RequirementStatus,
)
from offerings.models.demand import wsjf_score_expression
from offerings.selectors.business_cases import business_case_baseline
from offerings.selectors.catalogue import offerings_for_organization

__all__ = ["OFFER_PANEL_TOP_REQUIREMENTS", "OfferPanel", "StageTotal", "offer_panel"]

OFFER_PANEL_TOP_REQUIREMENTS = 3
# Requirements whose lifecycle has ended: met, turned down or put off to a later release.
CLOSED_REQUIREMENT_STATUSES = (
    RequirementStatus.VALIDATED,
    RequirementStatus.REJECTED,
    RequirementStatus.DEFERRED,
)


@dataclass(frozen=True)
class StageTotal:
    stage: OpportunityStage
    count: int
    value: Decimal


@dataclass(frozen=True)
class OfferPanel:
    organization: Organization
    requirements_by_moscow: dict[str, int]  # MoSCoW category ("" for not yet prioritized) → open ones
    open_requirements: int
    top_requirements: list[Requirement]
    stages: list[StageTotal]
    baseline: BusinessCase | None
    baseline_figures: BusinessCaseFigures | None
    newer_versions: int  # versions of the baseline's case made after it, not yet decided
    cases_awaiting_decision: int
    # (value, label, count) of the categories that hold open requirements, in MoSCoW order
    offering_links: list[OfferingJourney] = field(default_factory=list)  # what its journeys concern
    moscow_counts: list[tuple[str, str, int]] = field(default_factory=list)

    @property
    def open_pipeline_value(self) -> Decimal:
        return sum(
            (
                total.value
                for total in self.stages
                if total.stage in (OpportunityStage.DEMAND, OpportunityStage.PROPOSAL)
            ),
            Decimal(0),
        )


def offer_panel(*, user, organization: Organization) -> OfferPanel:
    """What the account's 360° page shows of the Offer step, in a fixed number of queries (404 for an
    outsider)."""
    if not organization_is_visible(user, organization):
        raise Http404("Not found.")
    open_requirements = Requirement.objects.filter(organization=organization).exclude(
        status__in=CLOSED_REQUIREMENT_STATUSES
    )
    counts = open_requirements.aggregate(
        total=Count("pk"),
        **{
            f"moscow_{category or 'none'}": Count("pk", filter=Q(moscow=category))
            for category in [*MoscowCategory.values, ""]
        },
    )
    by_moscow = {
        category: counts[f"moscow_{category or 'none'}"] for category in [*MoscowCategory.values, ""]
    }
    top = list(
        open_requirements.filter(job_size__isnull=False)
        .exclude(moscow=MoscowCategory.WONT)
        .annotate(score=wsjf_score_expression())
        .order_by("-score", "rank", "pk")[:OFFER_PANEL_TOP_REQUIREMENTS]
    )
    totals = {
        row["stage"]: row
        for row in Opportunity.objects.filter(organization=organization)
        .order_by()
        .values("stage")
        .annotate(
            count=Count("pk"),
            value=Coalesce(Sum("estimated_value"), Value(Decimal(0)), output_field=DecimalField()),
        )
    }
    stages = [
        StageTotal(
            stage=stage,
            count=totals.get(stage, {}).get("count", 0),
            value=totals.get(stage, {}).get("value", Decimal(0)),
        )
        for stage in OpportunityStage
    ]
    cases = list(
        BusinessCase.objects.filter(organization=organization).values_list("lineage", "version", "status")
    )
    # The most recently approved baseline, with its lines (the one Realize reviews against).
    baseline = business_case_baseline(user=user, organization=organization)
    figures = baseline.figures() if baseline else None
    newer = (
        sum(
            1
            for lineage, version, status in cases
            if lineage == baseline.lineage
            and version > baseline.version
            and status in (BusinessCaseStatus.DRAFT, BusinessCaseStatus.SUBMITTED)
        )
        if baseline
        else 0
    )
    return OfferPanel(
        organization=organization,
        requirements_by_moscow=by_moscow,
        open_requirements=counts["total"],
        top_requirements=top,
        stages=stages,
        baseline=baseline,
        baseline_figures=figures,
        newer_versions=newer,
        cases_awaiting_decision=sum(1 for row in cases if row[2] == BusinessCaseStatus.SUBMITTED),
        offering_links=list(offerings_for_organization(user=user, organization=organization)),
        moscow_counts=[
            (value, label, by_moscow[value])
            for value, label in [*MoscowCategory.choices, ("", "Not yet prioritized")]
            if by_moscow[value]
        ],
    )
