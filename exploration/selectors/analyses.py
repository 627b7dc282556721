"""Reads of Explore: SWOT and PESTLE analyses, their boards and the SWOT balance check.

An analysis of our own organization or of a market segment is the provider's shared view and every
role may read it; an analysis of one organization is seen by exactly those who may see that
organization. Figures (item counts, weighted sums, scores) are computed by the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import BooleanField, Case, Count, F, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404

from exploration.models import (
    AnalysisSubject,
    PestleAnalysis,
    PestleArea,
    PestleEffect,
    PestleFactor,
    SwotAnalysis,
    SwotItem,
    SwotQuadrant,
)
from journeys import roles
from journeys.models import Organization
from journeys.selectors import organization_is_visible, organization_scope

__all__ = [
    "PESTLE_SUGGESTIONS",
    "QUADRANT_HANDLING",
    "AnalysisList",
    "OrganizationAnalyses",
    "PestleBoardArea",
    "SwotBalance",
    "SwotBoardQuadrant",
    "analyses_for_organization",
    "analysis_list",
    "pestle_analysis_get",
    "pestle_analysis_scope",
    "pestle_board",
    "pestle_factor_get",
    "pestle_pullable_factors",
    "swot_analysis_get",
    "swot_analysis_scope",
    "swot_balance",
    "swot_board",
    "swot_item_get",
]

# The default way to treat what lands in each quadrant, and why, in a line.
QUADRANT_HANDLING: dict[str, tuple[str, str]] = {
    SwotQuadrant.STRENGTH: ("Build upon", "What we do well inside: lean on it in what we offer."),
    SwotQuadrant.WEAKNESS: (
        "Manage or turn into strengths",
        "What holds us back inside: keep it in check, or improve it until it helps.",
    ),
    SwotQuadrant.OPPORTUNITY: ("Identify", "What the world outside offers: spot it and decide to act."),
    SwotQuadrant.THREAT: ("Manage", "What the world outside may do to us: prepare and limit the harm."),
}
INTERNAL_QUADRANTS = (SwotQuadrant.STRENGTH, SwotQuadrant.WEAKNESS)

# Typical factors per PESTLE area, offered as suggestions when a factor is added (free text is fine).
PESTLE_SUGGESTIONS: dict[str, tuple[str, ...]] = {
    PestleArea.POLITICAL: (
        "Government policy",
        "Political stability",
        "Trade policy",
        "Public funding and grants",
        "Lobbying",
        "Elections",
        "International relations",
        "Corruption",
        "Bureaucracy",
        "Conflict and war",
    ),
    PestleArea.ECONOMIC: (
        "Taxation",
        "Inflation",
        "Interest rates",
        "Economic trends",
        "Seasonality",
        "Industry growth",
        "Import and export balance",
        "International trade",
        "Exchange rates",
    ),
    PestleArea.SOCIOLOGICAL: (
        "Culture",
        "Work ethic",
        "Attitudes",
        "Demographics",
        "Media",
        "Brand perception",
        "Lifestyle",
        "Cultural taboos",
        "Buying patterns",
        "Ethical concerns",
        "Advertising and publicity",
        "Social responsibility",
    ),
    PestleArea.TECHNOLOGICAL: (
        "New discoveries",
        "Emerging technology",
        "Technology maturity",
        "Research and innovation",
        "Information and communications",
        "Competitors' technology",
        "Intellectual property",
    ),
    PestleArea.LEGAL: (
        "Current legislation",
        "Coming legislation",
        "International law",
        "Regulators",
        "Employment law",
        "Consumer protection",
        "Health and safety rules",
        "Tax rules",
        "Competition rules",
        "Industry regulation",
    ),
    PestleArea.ENVIRONMENTAL: (
        "Location",
        "Climate and weather",
        "Energy supply",
        "Environmental regulation",
        "Ecological regulation",
        "Circular economy",
    ),
}

type Analysis = SwotAnalysis | PestleAnalysis


# --- scoping --------------------------------------------------------------------------------------


def _visible(user, prefix: str = "") -> Q | None:
    """The condition for analyses the user may see (None: none at all). `prefix` reaches the
    analysis from an item or a factor."""
    if not roles.roles_of(user):
        return None
    if roles.sees_whole_portfolio(user):
        return Q()
    shared = Q(**{f"{prefix}subject__in": [AnalysisSubject.PROVIDER, AnalysisSubject.SEGMENT]})
    return shared | Q(
        **{
            f"{prefix}subject": AnalysisSubject.ORGANIZATION,
            f"{prefix}organization__in": organization_scope(user).values("pk"),
        }
    )


def _scoped(queryset: QuerySet, user, prefix: str = "") -> QuerySet:
    condition = _visible(user, prefix)
    return queryset.none() if condition is None else queryset.filter(condition)


def swot_analysis_scope(user) -> QuerySet[SwotAnalysis]:
    return _scoped(SwotAnalysis.objects.all(), user)


def pestle_analysis_scope(user) -> QuerySet[PestleAnalysis]:
    return _scoped(PestleAnalysis.objects.all(), user)


def _pk(value) -> int | None:
    return value.pk if hasattr(value, "pk") else value


def _filtered(queryset: QuerySet, *, subject=None, organization=None, segment=None) -> QuerySet:
    if subject:
        queryset = queryset.filter(subject=subject)
    if organization is not None:
        queryset = queryset.filter(organization_id=_pk(organization))
    if segment is not None:
        queryset = queryset.filter(segment_id=_pk(segment))
    return queryset


# --- figures --------------------------------------------------------------------------------------


def _with_balance_figures(analyses: QuerySet[SwotAnalysis]) -> QuerySet[SwotAnalysis]:
    """Per analysis: its item count, and the count and weighted sum of each quadrant, in one GROUP BY."""
    figures = {"item_count": Count("items")}
    for quadrant in SwotQuadrant.values:
        in_quadrant = Q(items__quadrant=quadrant)
        figures[f"{quadrant}_count"] = Count("items", filter=in_quadrant)
        figures[f"{quadrant}_weight"] = Coalesce(Sum("items__weight", filter=in_quadrant), 0)
    return analyses.annotate(**figures).annotate(
        needs_bridging=Case(
            When(
                Q(weakness_count__gt=F("strength_count")) | Q(weakness_weight__gt=F("strength_weight")),
                then=Value(True),
            ),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def _with_factor_figures(analyses: QuerySet[PestleAnalysis]) -> QuerySet[PestleAnalysis]:
    return analyses.annotate(
        factor_count=Count("factors"),
        opportunity_count=Count("factors", filter=Q(factors__effect=PestleEffect.OPPORTUNITY)),
        threat_count=Count("factors", filter=Q(factors__effect=PestleEffect.THREAT)),
    )


@dataclass(frozen=True)
class SwotBalance:
    """The balance check of a SWOT board: when weaknesses outnumber strengths, or outweigh them, the
    subject cannot carry the service as it stands and the gap has to be bridged."""

    counts: dict[str, int]
    weights: dict[str, int]

    @property
    def by_count(self) -> bool:
        return self.counts[SwotQuadrant.WEAKNESS] > self.counts[SwotQuadrant.STRENGTH]

    @property
    def by_weight(self) -> bool:
        return self.weights[SwotQuadrant.WEAKNESS] > self.weights[SwotQuadrant.STRENGTH]

    @property
    def needs_bridging(self) -> bool:
        return self.by_count or self.by_weight

    @property
    def triggered_by(self) -> list[str]:
        """Which rule raised the warning: "count", "weight", both or neither."""
        return [rule for rule, hit in (("count", self.by_count), ("weight", self.by_weight)) if hit]

    @property
    def rows(self) -> list[tuple[str, str, int, int]]:
        """(quadrant, label, count, weighted sum) in board order, for tables."""
        return [
            (quadrant.value, quadrant.label, self.counts[quadrant], self.weights[quadrant])
            for quadrant in SwotQuadrant
        ]

    @property
    def message(self) -> str:
        if not self.needs_bridging:
            return ""
        strengths, weaknesses = SwotQuadrant.STRENGTH, SwotQuadrant.WEAKNESS
        number = (
            f"{_counted(self.counts[weaknesses], 'weakness', 'weaknesses')} against "
            f"{_counted(self.counts[strengths], 'strength', 'strengths')}"
        )
        weight = f"a weight of {self.weights[weaknesses]} against {self.weights[strengths]}"
        if self.by_count and self.by_weight:
            finding = f"Weaknesses outnumber and outweigh strengths ({number}; {weight})"
        elif self.by_count:
            finding = f"Weaknesses outnumber strengths ({number}), though they do not outweigh them"
        else:
            finding = f"Weaknesses outweigh strengths ({weight}), though they are not more numerous"
        return (
            f"{finding}. Close the gap by improving our services or by obtaining services from others "
            "before relying on this subject."
        )


def _counted(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


def _balance_of(figures) -> SwotBalance:
    """A balance from the figures `_with_balance_figures` annotated (an object or a dict)."""
    read = figures.get if isinstance(figures, dict) else lambda name: getattr(figures, name)
    return SwotBalance(
        counts={quadrant: read(f"{quadrant}_count") or 0 for quadrant in SwotQuadrant.values},
        weights={quadrant: read(f"{quadrant}_weight") or 0 for quadrant in SwotQuadrant.values},
    )


def swot_balance(*, analysis: SwotAnalysis) -> SwotBalance:
    """Counts and weighted sums per quadrant, from one aggregate query."""
    figures = {}
    for quadrant in SwotQuadrant.values:
        in_quadrant = Q(quadrant=quadrant)
        figures[f"{quadrant}_count"] = Count("pk", filter=in_quadrant)
        figures[f"{quadrant}_weight"] = Sum("weight", filter=in_quadrant)
    return _balance_of(SwotItem.objects.filter(analysis=analysis).aggregate(**figures))


# --- lists and single analyses --------------------------------------------------------------------


@dataclass(frozen=True)
class AnalysisList:
    swot_analyses: list[SwotAnalysis]
    pestle_analyses: list[PestleAnalysis]

    def __bool__(self) -> bool:
        return bool(self.swot_analyses or self.pestle_analyses)


def analysis_list(*, user, subject: str | None = None, organization=None, segment=None) -> AnalysisList:
    """The SWOT analyses (with their balance figures) and PESTLE analyses (with their factor counts)
    the user may see, newest first, optionally of one kind of subject, one organization or one
    segment. Two queries, whatever the number of analyses and items."""
    related = ("organization", "segment", "owner")
    swots = _filtered(swot_analysis_scope(user), subject=subject, organization=organization, segment=segment)
    pestles = _filtered(
        pestle_analysis_scope(user), subject=subject, organization=organization, segment=segment
    )
    return AnalysisList(
        swot_analyses=list(
            _with_balance_figures(swots.select_related(*related)).order_by("-analysed_on", "title", "pk")
        ),
        pestle_analyses=list(
            _with_factor_figures(pestles.select_related(*related)).order_by("-analysed_on", "title", "pk")
        ),
    )


def _get(queryset: QuerySet, pk, label: str):
    found = queryset.select_related("organization", "segment", "owner").filter(pk=pk).first()
    if found is None:
        raise Http404(f"No such {label}.")
    return found


def swot_analysis_get(*, user, pk: int) -> SwotAnalysis:
    return _get(swot_analysis_scope(user), pk, "SWOT analysis")


def pestle_analysis_get(*, user, pk: int) -> PestleAnalysis:
    return _get(pestle_analysis_scope(user), pk, "PESTLE analysis")


def swot_item_get(*, user, pk: int, analysis: SwotAnalysis | None = None) -> SwotItem:
    """An item of an analysis the user may see (of the given analysis, when one is given)."""
    items = _scoped(SwotItem.objects.all(), user, "analysis__")
    if analysis is not None:
        items = items.filter(analysis=analysis)
    found = items.select_related("analysis", "analysis__organization").filter(pk=pk).first()
    if found is None:
        raise Http404("No such SWOT item.")
    return found


def pestle_factor_get(*, user, pk: int, analysis: PestleAnalysis | None = None) -> PestleFactor:
    """A factor of an analysis the user may see (of the given analysis, when one is given)."""
    factors = _scoped(PestleFactor.objects.all(), user, "analysis__")
    if analysis is not None:
        factors = factors.filter(analysis=analysis)
    found = factors.select_related("analysis", "analysis__organization").filter(pk=pk).first()
    if found is None:
        raise Http404("No such PESTLE factor.")
    return found


# --- boards ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SwotBoardQuadrant:
    quadrant: str
    label: str
    handling: str
    guidance: str
    is_internal: bool
    items: list[SwotItem] = field(default_factory=list)


def swot_board(*, analysis: SwotAnalysis) -> list[SwotBoardQuadrant]:
    """The four quadrants in the usual order (strengths, weaknesses, opportunities, threats), each with
    its default handling and its items, heaviest first. One query."""
    board = {
        quadrant.value: SwotBoardQuadrant(
            quadrant=quadrant.value,
            label=quadrant.label,
            handling=QUADRANT_HANDLING[quadrant][0],
            guidance=QUADRANT_HANDLING[quadrant][1],
            is_internal=quadrant in INTERNAL_QUADRANTS,
        )
        for quadrant in SwotQuadrant
    }
    for item in analysis.items.select_related("pestle_factor").order_by("-weight", "pk"):
        board[item.quadrant].items.append(item)
    return list(board.values())


@dataclass(frozen=True)
class PestleBoardArea:
    area: str
    label: str
    suggestions: tuple[str, ...]
    factors: list[PestleFactor] = field(default_factory=list)


def pestle_board(*, analysis: PestleAnalysis) -> list[PestleBoardArea]:
    """The six areas in PESTLE order, each with its factors, highest score (impact × likelihood) first,
    and the number of SWOT items each factor was pulled into. One query."""
    board = {
        area.value: PestleBoardArea(area=area.value, label=area.label, suggestions=PESTLE_SUGGESTIONS[area])
        for area in PestleArea
    }
    factors = analysis.factors.annotate(
        score=F("impact") * F("likelihood"), swot_item_count=Count("swot_items")
    ).order_by("-score", "-impact", "factor", "pk")
    for factor in factors:
        board[factor.area].factors.append(factor)
    return list(board.values())


def pestle_pullable_factors(*, user, analysis: SwotAnalysis) -> QuerySet[PestleFactor]:
    """Opportunities and threats of the PESTLE analyses of the SWOT's subject that are not on its
    board yet: what "Pull from PESTLE" offers. Newest analysis first, most impact first."""
    same_subject = PestleAnalysis.objects.filter(
        subject=analysis.subject, organization_id=analysis.organization_id, segment_id=analysis.segment_id
    )
    return (
        _scoped(PestleFactor.objects.filter(analysis__in=same_subject), user, "analysis__")
        .exclude(
            pk__in=SwotItem.objects.filter(analysis=analysis, pestle_factor__isnull=False).values(
                "pestle_factor_id"
            )
        )
        .select_related("analysis")
        .order_by("-analysis__analysed_on", "analysis_id", "area", "-impact", "factor", "pk")
    )


# --- the account 360° panel -----------------------------------------------------------------------


@dataclass(frozen=True)
class OrganizationAnalyses:
    latest_swot: SwotAnalysis | None
    balance: SwotBalance | None
    latest_pestle: PestleAnalysis | None


def analyses_for_organization(*, user, organization: Organization) -> OrganizationAnalyses:
    """The account's latest SWOT with its balance and latest PESTLE with its factor counts, for the
    account 360° panel. Two queries; 404 for an organization the user may not see."""
    if not organization_is_visible(user, organization):
        raise Http404("No such organization.")
    latest_swot = (
        _with_balance_figures(SwotAnalysis.objects.filter(organization=organization))
        .select_related("owner")
        .order_by("-analysed_on", "-pk")
        .first()
    )
    latest_pestle = (
        _with_factor_figures(PestleAnalysis.objects.filter(organization=organization))
        .select_related("owner")
        .order_by("-analysed_on", "-pk")
        .first()
    )
    return OrganizationAnalyses(
        latest_swot=latest_swot,
        balance=_balance_of(latest_swot) if latest_swot else None,
        latest_pestle=latest_pestle,
    )
