"""Reads of Explore: market segments with the members the user may see, and the Pareto (80/20) analysis
of consumer organizations. Every selector takes the acting user; segments are the provider's own
market view and visible to every role, their members only as far as the user may see accounts."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    F,
    FloatField,
    IntegerField,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Value,
    Window,
)
from django.db.models.expressions import RowRange
from django.db.models.functions import Cast, Coalesce, RowNumber
from django.http import Http404

from exploration.models import MarketSegment, SegmentMembership
from journeys.models import SUMMARY_WINDOW_DAYS, Organization, OrganizationKind, Persona
from journeys.selectors import organization_is_visible, organization_scope, persona_scope

# The share of the measure the "vital few" together reach, in percent.
VITAL_FEW_SHARE = 80


# --- market segments ------------------------------------------------------------------------------


def _visible_organization_ids(user) -> QuerySet:
    return organization_scope(user).values("pk")


def market_segment_scope(user) -> QuerySet[MarketSegment]:
    """Segments the user may refer to (all of them, for any signed-in user), without figures."""
    if not getattr(user, "is_authenticated", False):
        return MarketSegment.objects.none()
    return MarketSegment.objects.all()


def market_segment_list(*, user) -> QuerySet[MarketSegment]:
    """Segments by name with the number of members the user may see, in one query."""
    if not getattr(user, "is_authenticated", False):
        return MarketSegment.objects.none()
    return (
        MarketSegment.objects.select_related("owner")
        .annotate(
            member_count=Count(
                "memberships", filter=Q(memberships__organization__in=_visible_organization_ids(user))
            )
        )
        .order_by("name")
    )


def market_segment_get(*, user, pk: int) -> MarketSegment:
    segment = market_segment_list(user=user).filter(pk=pk).first()
    if segment is None:
        raise Http404("No such market segment.")
    return segment


def market_segment_members(*, user, segment: MarketSegment) -> QuerySet[SegmentMembership]:
    """The segment's memberships whose organization the user may see, by organization name; members
    the user may not see are left out, never named."""
    return (
        SegmentMembership.objects.filter(segment=segment, organization__in=_visible_organization_ids(user))
        .select_related("organization", "organization__owner", "added_by")
        .order_by("organization__name", "organization_id")
    )


def market_segment_candidates(*, user, segment: MarketSegment, query: str = "") -> QuerySet[Organization]:
    """Consumer organizations the user may see that are not yet in the segment, by name; with `query`,
    only those whose name contains it, whatever the case (the add-member type-ahead). The caller
    slices: the type-ahead shows CANDIDATE_LIMIT."""
    candidates = (
        organization_scope(user)
        .filter(kind=OrganizationKind.CONSUMER)
        .exclude(pk__in=SegmentMembership.objects.filter(segment=segment).values("organization_id"))
    )
    query = (query or "").strip()
    if query:
        candidates = candidates.filter(name__icontains=query)
    return candidates.order_by("name", "pk")


# How many matches the add-member type-ahead shows; typing more narrows them down.
CANDIDATE_LIMIT = 10


def market_segment_member_candidate(*, user, pk: int | None) -> Organization | None:
    """The organization an add-member form names, if the user may see it; None otherwise, so the
    service answers a hidden organization exactly like a missing one."""
    if pk is None:
        return None
    return organization_scope(user).filter(pk=pk).first()


def market_segment_personas(*, user, segment: MarketSegment) -> QuerySet[Persona]:
    """The personas standing for the segment's people, by name."""
    return persona_scope(user).filter(market_segments=segment).order_by("name", "pk")


def market_segment_persona_candidates(*, user, segment: MarketSegment) -> QuerySet[Persona]:
    """Personas not yet linked to the segment, by name (the link form's choices: personas are few)."""
    linked = MarketSegment.personas.through.objects.filter(marketsegment=segment).values("persona_id")
    return persona_scope(user).exclude(pk__in=linked).order_by("name", "pk")


def market_segment_list_with_personas(*, user) -> QuerySet[MarketSegment]:
    """`market_segment_list` with each segment's persona ids prefetched (`personas`): two queries per
    page, for the API's `personas` list."""
    return market_segment_list(user=user).prefetch_related(
        Prefetch("personas", queryset=Persona.objects.only("pk").order_by("pk"))
    )


# --- Pareto (80/20) analysis ----------------------------------------------------------------------

MEASURES = {
    "revenue": "Annual revenue",
    "touchpoints": f"Touchpoints, last {SUMMARY_WINDOW_DAYS} days",
}
# The chart and the tables show at most this many organizations; the summary figures cover them all.
PARETO_ROW_LIMIT = 50


@dataclass(frozen=True)
class ParetoAnalysis:
    """The result of sorting consumers by a measure and finding the few that make most of it.

    `rows` are the organizations with a value, largest first, each annotated with `value`,
    `cumulative`, `cumulative_share` (percent) and `position` (1-based); at least the vital few are
    loaded, and never fewer than the chart's top organizations. Organizations without a value (no
    revenue recorded, no recent touchpoint) take no part in the figures and are listed apart.
    """

    measure: str
    segment: MarketSegment | None
    total: Decimal | int
    organization_count: int
    vital_count: int
    rows: list[Organization]
    without_value: list[Organization]
    without_value_count: int

    @property
    def measure_label(self) -> str:
        return MEASURES[self.measure]

    @property
    def vital_few(self) -> list[Organization]:
        return self.rows[: self.vital_count]

    @property
    def chart_rows(self) -> list[Organization]:
        return self.rows[:PARETO_ROW_LIMIT]

    @property
    def chart_is_cut(self) -> bool:
        return self.organization_count > PARETO_ROW_LIMIT

    @property
    def vital_share_of_organizations(self) -> float | None:
        """What percentage of the organizations with a value the vital few are (the "20" of 80/20)."""
        if not self.organization_count:
            return None
        return 100 * self.vital_count / self.organization_count

    @property
    def vital_share_of_total(self) -> float | None:
        """The share of the measure the vital few together reach (80 % or a little more)."""
        return self.rows[self.vital_count - 1].cumulative_share if self.vital_count else None

    @property
    def threshold(self) -> int:
        return VITAL_FEW_SHARE


def _measured(organizations: QuerySet[Organization], measure: str) -> QuerySet[Organization]:
    if measure == "revenue":
        return organizations.annotate(value=F("annual_revenue"))
    # The account summary keeps each account's touchpoints of the last 30 days: one join, no count
    # over the touchpoints table.
    return organizations.annotate(
        value=Coalesce(F("summary__recent_touchpoints"), Value(0), output_field=IntegerField())
    )


def pareto_analysis(
    *, user, measure: str = "revenue", segment: MarketSegment | None = None
) -> ParetoAnalysis:
    """The Pareto analysis of the consumer organizations the user may see (optionally one segment's).

    Sorted by the measure, largest first (ties by name), the database adds up a running total with a
    window function; the vital few are the shortest run from the top that reaches 80 % of the total,
    that is the rows whose running total *before* them is still below 80 %. Four queries, whatever
    the number of organizations.
    """
    if measure not in MEASURES:
        raise ValueError(f"Unknown measure {measure!r}.")
    consumers = organization_scope(user).filter(kind=OrganizationKind.CONSUMER)
    if segment is not None:
        consumers = consumers.filter(
            pk__in=SegmentMembership.objects.filter(segment=segment).values("organization_id")
        )
    measured = _measured(consumers, measure)
    with_value = measured.filter(value__gt=0)

    figures = measured.aggregate(
        total=Sum("value", filter=Q(value__gt=0)),
        organization_count=Count("pk", filter=Q(value__gt=0)),
        all_count=Count("pk"),
    )
    total = figures["total"] or 0
    if measure == "revenue":
        total = Decimal(total).quantize(Decimal("0.01"))
    organization_count = figures["organization_count"]

    value_field = DecimalField(max_digits=20, decimal_places=2) if measure == "revenue" else IntegerField()
    ordering = [F("value").desc(), F("name").asc(), F("pk").asc()]
    ranked = with_value.annotate(
        # ROWS, not the default RANGE frame: organizations with equal values each get their own step.
        cumulative=Window(
            Sum("value"), order_by=ordering, frame=RowRange(start=None, end=0), output_field=value_field
        ),
        position=Window(RowNumber(), order_by=ordering),
    )
    vital_count = 0
    if total:
        threshold = total * Decimal(VITAL_FEW_SHARE) / 100 if measure == "revenue" else total * 0.8
        before = ranked.annotate(before=F("cumulative") - F("value"))
        vital_count = before.filter(before__lt=threshold).count()

    rows = list(
        ranked.annotate(
            cumulative_share=Cast(F("cumulative"), FloatField()) * 100.0 / Value(float(total or 1))
        ).order_by(*ordering)[: max(vital_count, PARETO_ROW_LIMIT)]
    )
    without_value = list(
        measured.filter(Q(value__isnull=True) | Q(value__lte=0)).order_by("name", "pk")[:PARETO_ROW_LIMIT]
    )
    return ParetoAnalysis(
        measure=measure,
        segment=segment,
        total=total,
        organization_count=organization_count,
        vital_count=vital_count,
        rows=rows,
        without_value=without_value,
        without_value_count=figures["all_count"] - organization_count,
    )


def segments_for_organization(*, user, organization: Organization) -> QuerySet[MarketSegment]:
    """The segments an account belongs to, for its 360° page; none when the user may not see it.
    One query."""
    if not organization_is_visible(user, organization):
        return MarketSegment.objects.none()
    return MarketSegment.objects.filter(memberships__organization=organization).order_by("name")
