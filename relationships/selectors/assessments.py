"""Reads of the relationship assessments: one assessment with its computed results, an account's history
of assessments (for trends) and its assessment plan (which assessments the relationship type calls for,
and which of them are missing or out of date).

The figures are computed from the answers in the database (one aggregate query: mean, count and sum of
the values per factor); what is left for Python is combining a handful of factor figures by the rules
below, which the guidance leaves to us (scales and combinations are our choice, documented here).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.db.models import Avg, Count, F, QuerySet, Sum, Window
from django.db.models.functions import RowNumber
from django.http import Http404
from django.utils import timezone

from journeys import roles
from journeys.models import Organization, OrganizationKind
from journeys.selectors import organization_is_visible, organization_scope
from relationships.models import (
    Assessment,
    AssessmentAnswer,
    AssessmentDirection,
    AssessmentKind,
    RelationshipType,
    ServiceRelationship,
)
from relationships.questionnaires import (
    ASSESSMENT_RELEVANCE,
    CONSUMER_SIDE,
    PROVIDER_SIDE,
    TRUST_DIRECTIONS,
    MaturityLevel,
    Questionnaire,
    Relevance,
    Scale,
    questionnaire_for,
)

__all__ = [
    "READY_FROM",
    "STALE_AFTER_DAYS",
    "AssessmentPlan",
    "AssessmentResult",
    "FactorFigure",
    "HistoryPoint",
    "LatestAssessment",
    "PlanEntry",
    "PlanStatus",
    "assessment_get",
    "assessment_history",
    "assessment_plan",
    "assessment_result",
    "assessment_results",
    "assessment_scope",
    "result_from_figures",
    "score_text",
]

READY_FROM = Decimal(4)  # a readiness factor is green from this mean up
STALE_AFTER_DAYS = 365  # an assessment older than this no longer counts as current
GAP_WARNING_FROM = 1  # maturity levels apart from which the two sides are likely to clash
CENT = Decimal("0.01")


def _decimal(value) -> Decimal | None:
    # SQLite's AVG gives a float, PostgreSQL's a Decimal: one type for both, via the shortest repr.
    return None if value is None else Decimal(str(value))


def _rounded(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(CENT, rounding=ROUND_HALF_UP)


def _mean(values: list[Decimal]) -> Decimal | None:
    return sum(values, Decimal(0)) / len(values) if values else None


def score_text(kind: str, score: Decimal | None) -> str:
    """An assessment's stored figure as people read it: a maturity level by name, else a 1–5 score."""
    if score is None:
        return "—"
    if kind == AssessmentKind.MATURITY:
        return MaturityLevel(int(score)).label
    return f"{score:.2f} / 5"


def _require_visible(user, organization: Organization) -> None:
    if not organization_is_visible(user, organization):
        raise Http404("Not found.")


# --- one assessment ---------------------------------------------------------------------------------


def assessment_scope(user) -> QuerySet[Assessment]:
    """The assessments of the accounts the user may see."""
    return Assessment.objects.filter(relationship__organization__in=organization_scope(user))


def assessment_get(*, user, pk: int) -> Assessment:
    """One assessment with its account, or 404 when it does not exist or belongs to an account the user
    may not see."""
    assessment = (
        assessment_scope(user)
        .select_related("relationship__organization", "assessed_by")
        .filter(pk=pk)
        .first()
    )
    if assessment is None:
        raise Http404("Not found.")
    return assessment


@dataclass(frozen=True)
class FactorFigure:
    """One factor's figures from the database: the mean of its answers (1–5, or for a checklist the
    share met), how many items it has and the sum of the values (for a checklist: how many are met)."""

    code: str
    label: str
    mean: Decimal | None
    items: int
    total: int
    side: str = ""
    level: int = 0

    @property
    def rounded(self) -> Decimal | None:
        return _rounded(self.mean)

    @property
    def all_met(self) -> bool:
        """Checklist factors: every characteristic is met (and there is at least one)."""
        return self.items > 0 and self.total == self.items

    @property
    def is_ready(self) -> bool:
        return self.mean is not None and self.mean >= READY_FROM

    @property
    def percent(self) -> int:
        """Where the mean sits on the 1–5 scale, for bars (1 → 0 %, 5 → 100 %)."""
        return 0 if self.mean is None else round((self.mean - 1) / 4 * 100)


@dataclass(frozen=True)
class AssessmentResult:
    """What an assessment's answers add up to. Which attributes carry meaning depends on the kind:

    - trust: `factors` (capability, commitment, consistency) and `score`, the trust index;
    - maturity: `consumer_level`, `provider_level`, `score` = the lower of the two, `gap`;
    - readiness to collaborate: `factors`, `score` (mean of factors), `is_ready`, `not_ready`;
    - readiness for change: `factors`, `score` (mean of factors), `weakest`.
    """

    kind: str
    direction: str
    questionnaire: Questionnaire
    factors: list[FactorFigure]
    score: Decimal | None
    consumer_level: int | None = None
    provider_level: int | None = None
    not_ready: list[FactorFigure] = field(default_factory=list)
    weakest: list[FactorFigure] = field(default_factory=list)

    @property
    def gap(self) -> int | None:
        if self.consumer_level is None or self.provider_level is None:
            return None
        return abs(self.provider_level - self.consumer_level)

    @property
    def gap_warning(self) -> bool:
        return self.gap is not None and self.gap >= GAP_WARNING_FROM

    @property
    def is_ready(self) -> bool:
        return bool(self.factors) and not self.not_ready

    @property
    def ready_count(self) -> int:
        return sum(1 for figure in self.factors if figure.is_ready)

    def level_label(self, level: int | None) -> str:
        return "" if level is None else MaturityLevel(level).label

    @property
    def consumer_level_label(self) -> str:
        return self.level_label(self.consumer_level)

    @property
    def provider_level_label(self) -> str:
        return self.level_label(self.provider_level)

    @property
    def overall_level_label(self) -> str:
        return "" if self.score is None else MaturityLevel(int(self.score)).label

    def side(self, side: str) -> list[FactorFigure]:
        return [figure for figure in self.factors if figure.side == side]


def _cumulative_level(figures: list[FactorFigure]) -> int:
    """The highest level L such that every characteristic of L and of every level below L is met; 0
    when not even the basic level is complete. A level met on its own, above an unmet one, does not
    count: maturity builds up from the bottom."""
    reached = MaturityLevel.NONE
    for figure in sorted(figures, key=lambda figure: figure.level):
        if not figure.all_met:
            break
        reached = figure.level
    return int(reached)


def result_from_figures(questionnaire: Questionnaire, rows: dict[str, dict]) -> AssessmentResult:
    """Combine the per-factor figures of one assessment (`rows[factor] = {"mean", "items", "total"}`,
    as the aggregate query returns them) by the rules of its kind.

    - Trust: factor score = mean of its items; trust index = mean of the three factor scores (each
      factor weighs the same, however many behaviours it lists).
    - Maturity: each side's level is cumulative (see `_cumulative_level`); the relationship's
      maturity is the lower of the two sides; the gap is |provider − consumer| and warns from 1.
    - Readiness to collaborate: factor means; ready when every factor's mean is 4 or more; the
      factors below 4 are named. The score is the mean of the factor means, for trends.
    - Readiness for change: factor means; overall = mean of the factor means; the weakest factor
      (all of them when tied) is named.
    """
    factors = [
        FactorFigure(
            code=factor.code,
            label=factor.label,
            mean=_decimal(rows.get(factor.code, {}).get("mean")),
            items=rows.get(factor.code, {}).get("items", 0),
            total=rows.get(factor.code, {}).get("total") or 0,
            side=factor.side,
            level=factor.level,
        )
        for factor in questionnaire.factors
    ]
    kind = questionnaire.kind
    common = {"kind": kind, "direction": questionnaire.direction, "questionnaire": questionnaire}
    if questionnaire.scale == Scale.CHECKLIST:
        consumer = _cumulative_level([figure for figure in factors if figure.side == CONSUMER_SIDE])
        provider = _cumulative_level([figure for figure in factors if figure.side == PROVIDER_SIDE])
        return AssessmentResult(
            **common,
            factors=factors,
            score=Decimal(min(consumer, provider)),
            consumer_level=consumer,
            provider_level=provider,
        )
    means = [figure.mean for figure in factors if figure.mean is not None]
    score = _rounded(_mean(means)) if len(means) == len(factors) else None
    if kind == AssessmentKind.COLLABORATION_READINESS:
        return AssessmentResult(
            **common, factors=factors, score=score, not_ready=[f for f in factors if not f.is_ready]
        )
    if kind == AssessmentKind.CHANGE_READINESS and means:
        lowest = min(means)
        return AssessmentResult(
            **common, factors=factors, score=score, weakest=[f for f in factors if f.mean == lowest]
        )
    return AssessmentResult(**common, factors=factors, score=score)


def _factor_rows(assessment_ids: list[int]) -> dict[int, dict[str, dict]]:
    """Mean, count and sum of the answers per assessment and factor: one aggregate query."""
    rows: dict[int, dict[str, dict]] = {pk: {} for pk in assessment_ids}
    figures = (
        AssessmentAnswer.objects.filter(assessment_id__in=assessment_ids)
        .values("assessment_id", "factor")
        .annotate(mean=Avg("value"), items=Count("id"), total=Sum("value"))
        .order_by()
    )
    for row in figures:
        rows[row["assessment_id"]][row["factor"]] = row
    return rows


def assessment_result(*, assessment: Assessment) -> AssessmentResult:
    """The computed results of one assessment (see `result_from_figures`), from one aggregate query
    over its answers. The caller got the assessment through `assessment_get`."""
    questionnaire = questionnaire_for(assessment.kind, assessment.direction)
    return result_from_figures(questionnaire, _factor_rows([assessment.pk])[assessment.pk])


def assessment_results(*, assessments: list) -> dict[int, AssessmentResult]:
    """The results of several assessments at once (one aggregate query), by assessment id. Anything
    with `pk`, `kind` and `direction` will do: assessments, or the plan's `LatestAssessment`s."""
    rows = _factor_rows([assessment.pk for assessment in assessments])
    return {
        assessment.pk: result_from_figures(
            questionnaire_for(assessment.kind, assessment.direction), rows[assessment.pk]
        )
        for assessment in assessments
    }


# --- history and trends -----------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryPoint:
    pk: int
    kind: str
    direction: str
    assessed_on: date
    score: Decimal | None
    consumer_level: int | None
    provider_level: int | None
    respondent: str
    assessed_by: str

    @property
    def kind_label(self) -> str:
        return AssessmentKind(self.kind).label

    @property
    def score_text(self) -> str:
        return score_text(self.kind, self.score)

    @property
    def direction_label(self) -> str:
        return AssessmentDirection(self.direction).label


def assessment_history(
    *, user, organization: Organization, kind: str | None = None, direction: str | None = None
) -> list[HistoryPoint]:
    """The account's assessments, oldest first, with their stored figures: the points of its trend
    lines. One query, whatever the number of assessments; all kinds when `kind` is None."""
    _require_visible(user, organization)
    assessments = Assessment.objects.filter(relationship__organization=organization)
    if kind:
        assessments = assessments.filter(kind=kind)
    if direction:
        assessments = assessments.filter(direction=direction)
    rows = assessments.order_by("assessed_on", "id").values_list(
        "pk",
        "kind",
        "direction",
        "assessed_on",
        "score",
        "consumer_level",
        "provider_level",
        "respondent",
        "assessed_by__first_name",
        "assessed_by__last_name",
        "assessed_by__username",
    )
    return [
        HistoryPoint(*row[:8], assessed_by=f"{row[8]} {row[9]}".strip() or (row[10] or "")) for row in rows
    ]


# --- the assessment plan ----------------------------------------------------------------------------


class PlanStatus(models.TextChoices):
    # Required or recommended, and never assessed (trust: a direction never rated).
    MISSING = "missing", "Missing"
    # Required or recommended, and the last one is more than a year old.
    STALE = "stale", "Out of date"
    DONE = "done", "Up to date"
    # Of minor relevance and not assessed within the year.
    OPTIONAL = "optional", "Optional"
    # Not applicable to the relationship type.
    HIDDEN = "hidden", "Not applicable"


@dataclass(frozen=True)
class LatestAssessment:
    pk: int
    kind: str
    direction: str
    assessed_on: date
    score: Decimal | None
    count: int
    is_stale: bool

    @property
    def direction_label(self) -> str:
        return AssessmentDirection(self.direction).label

    @property
    def score_text(self) -> str:
        return score_text(self.kind, self.score)


@dataclass(frozen=True)
class PlanEntry:
    kind: str
    relevance: str
    status: str
    latest: LatestAssessment | None
    by_direction: dict[str, LatestAssessment]
    missing_directions: list[str]
    stale_directions: list[str]

    @property
    def label(self) -> str:
        return AssessmentKind(self.kind).label

    @property
    def relevance_label(self) -> str:
        return Relevance(self.relevance).label

    @property
    def status_label(self) -> str:
        return PlanStatus(self.status).label

    @property
    def is_hidden(self) -> bool:
        return self.status == PlanStatus.HIDDEN

    @property
    def needs_action(self) -> bool:
        return self.status in (PlanStatus.MISSING, PlanStatus.STALE)

    @property
    def directions(self) -> list[LatestAssessment]:
        return [self.by_direction[d] for d in TRUST_DIRECTIONS if d in self.by_direction]

    @property
    def missing_direction_labels(self) -> list[str]:
        return [AssessmentDirection(d).label for d in self.missing_directions]

    @property
    def stale_direction_labels(self) -> list[str]:
        return [AssessmentDirection(d).label for d in self.stale_directions]


@dataclass(frozen=True)
class AssessmentPlan:
    organization: Organization
    relationship_type: RelationshipType
    has_relationship: bool
    entries: list[PlanEntry]
    can_record: bool = False

    @property
    def applies(self) -> bool:
        """Only service consumers have a service relationship to assess."""
        return self.organization.kind == OrganizationKind.CONSUMER

    @property
    def visible_entries(self) -> list[PlanEntry]:
        return [entry for entry in self.entries if not entry.is_hidden]

    @property
    def to_do(self) -> list[PlanEntry]:
        return [entry for entry in self.entries if entry.needs_action]

    def entry(self, kind: str) -> PlanEntry:
        return next(entry for entry in self.entries if entry.kind == kind)


def _plan_entry(kind: str, relevance: str, latest: dict[str, LatestAssessment]) -> PlanEntry:
    """The status of one kind of assessment. Trust counts both directions: it is missing while either
    direction has never been rated, stale while either latest rating is over a year old."""
    directions = list(TRUST_DIRECTIONS) if kind == AssessmentKind.TRUST else [AssessmentDirection.MUTUAL]
    found = {direction: latest[direction] for direction in directions if direction in latest}
    missing = [direction for direction in directions if direction not in found]
    stale = [direction for direction, assessment in found.items() if assessment.is_stale]
    newest = max(found.values(), key=lambda a: (a.assessed_on, a.pk), default=None)
    if relevance == Relevance.NOT_APPLICABLE:
        status = PlanStatus.HIDDEN
    elif relevance == Relevance.MINOR:
        status = PlanStatus.DONE if newest and not newest.is_stale else PlanStatus.OPTIONAL
    elif missing:
        status = PlanStatus.MISSING
    elif stale:
        status = PlanStatus.STALE
    else:
        status = PlanStatus.DONE
    return PlanEntry(
        kind=kind,
        relevance=relevance,
        status=status,
        latest=newest,
        by_direction=found,
        missing_directions=missing if kind == AssessmentKind.TRUST else [],
        stale_directions=stale if kind == AssessmentKind.TRUST else [],
    )


_NOT_LOADED = object()


def assessment_plan(
    *,
    user,
    organization: Organization,
    today: date | None = None,
    relationship: ServiceRelationship | object | None = _NOT_LOADED,
) -> AssessmentPlan:
    """Which assessments the relationship's current type calls for (`ASSESSMENT_RELEVANCE`: crucial =
    required, moderate = recommended, minor = optional, not applicable = hidden), the latest of each
    and what is missing. A consumer without a relationship record counts as a basic relationship.

    Two queries: the organization's relationship (through the user's scope, so an outsider gets 404),
    then the latest assessment per kind and direction with their counts (a window function). A caller
    that has already loaded the account's relationship through a visibility check (the relationship
    page) passes it, or None when there is none, and spares the first query."""
    today = today or timezone.localdate()
    if relationship is _NOT_LOADED:
        found = (
            organization_scope(user)
            .filter(pk=organization.pk)
            .values("service_relationship__pk", "service_relationship__current_type")
            .first()
        )
        if found is None:
            raise Http404("Not found.")
        relationship_id = found["service_relationship__pk"]
        current_type = found["service_relationship__current_type"]
    else:
        relationship_id = relationship.pk if relationship is not None else None
        current_type = relationship.current_type if relationship is not None else None
    relationship_type = RelationshipType(current_type or RelationshipType.BASIC)
    latest: dict[str, dict[str, LatestAssessment]] = {kind: {} for kind in AssessmentKind.values}
    if relationship_id is not None:
        partition = [F("kind"), F("direction")]
        rows = (
            Assessment.objects.filter(relationship_id=relationship_id)
            .annotate(
                position=Window(
                    RowNumber(), partition_by=partition, order_by=[F("assessed_on").desc(), F("id").desc()]
                ),
                count=Window(Count("id"), partition_by=partition),
            )
            .filter(position=1)
            .values_list("pk", "kind", "direction", "assessed_on", "score", "count")
        )
        stale_before = today - timedelta(days=STALE_AFTER_DAYS)
        for pk, kind, direction, assessed_on, score, count in rows:
            latest[kind][direction] = LatestAssessment(
                pk=pk,
                kind=kind,
                direction=direction,
                assessed_on=assessed_on,
                score=score,
                count=count,
                is_stale=assessed_on < stale_before,
            )
    relevance = ASSESSMENT_RELEVANCE[relationship_type]
    return AssessmentPlan(
        organization=organization,
        relationship_type=relationship_type,
        has_relationship=relationship_id is not None,
        entries=[_plan_entry(kind, relevance[kind], latest[kind]) for kind in AssessmentKind.values],
        can_record=roles.may_manage_accounts(user) and organization.kind == OrganizationKind.CONSUMER,
    )
