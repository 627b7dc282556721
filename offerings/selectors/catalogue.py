"""Reads of the service catalogue: services, the catalogue of offerings with its filters, one offering
with everything in it, and the journeys each offering concerns.

The catalogue is the provider's own and every signed-in role reads all of it (drafts included, when
asked for). Journeys belong to consumers: an offering's journeys are listed only as far as the user
may see their organizations, and a journey the user may not see is never named.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    StringAgg,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404

from exploration.models import MarketSegment
from journeys import roles
from journeys.models import Journey, Persona
from journeys.selectors import journey_scope, organization_is_visible, organization_scope
from offerings.models import (
    EngagementTier,
    OfferingComponent,
    OfferingComponentKind,
    OfferingJourney,
    OfferingStatus,
    OnboardingPlaybook,
    PlaybookAction,
    Service,
    ServiceOffering,
    ValueProposition,
)

__all__ = [
    "CATALOGUE_PAGE_SIZE",
    "CATALOGUE_ROW_FIELDS",
    "CATALOGUE_STATUSES",
    "JOURNEY_CANDIDATE_LIMIT",
    "OfferingPage",
    "catalogue_default_status",
    "catalogue_status_counts",
    "engagement_tier_get",
    "journeys_for_offering",
    "offering_catalogue",
    "offering_component_get",
    "offering_get",
    "offering_journey_candidate",
    "offering_journey_candidates",
    "offering_journey_links",
    "offering_linked_journey_ids",
    "offering_list",
    "offering_page",
    "offering_scope",
    "offering_targets",
    "offerings_for_journey",
    "offerings_for_organization",
    "publication_gaps",
    "service_choices",
    "service_get",
    "service_list",
    "service_offerings",
    "service_scope",
    "split_names",
    "value_proposition_get",
]

# The catalogue's status filter: what each choice shows.
CATALOGUE_STATUSES: dict[str, tuple[str, tuple[str, ...]]] = {
    "current": ("Draft and published", (OfferingStatus.DRAFT, OfferingStatus.PUBLISHED)),
    "published": ("Published", (OfferingStatus.PUBLISHED,)),
    "draft": ("Draft", (OfferingStatus.DRAFT,)),
    "retired": ("Retired", (OfferingStatus.RETIRED,)),
    "all": ("All", tuple(OfferingStatus.values)),
}
CATALOGUE_PAGE_SIZE = 25
# How many matches the link-a-journey type-ahead shows; typing more narrows them down.
JOURNEY_CANDIDATE_LIMIT = 10


def _may_read(user) -> bool:
    return bool(roles.roles_of(user))


def catalogue_default_status(user) -> str:
    """Those who shape the catalogue see their drafts beside what is published; read-only roles (the
    service desk, analysts) see what consumers may be offered, and pick other statuses when they
    want them."""
    return "current" if roles.may_manage_accounts(user) else "published"


@cache
def _counted(model, parent: str) -> Coalesce:
    """A correlated count of `model` rows pointing at the outer row, to annotate. Counts of several
    one-to-many relations on one query must not be joins: they would multiply each other's rows.
    Built once per process: a query works on a copy of an expression it is given."""
    rows = (
        model.objects.filter(**{parent: OuterRef("pk")})
        .order_by()
        .values(parent)
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def _visible_journey_links(user) -> Q:
    """Links to journeys whose organization the user may see (no condition for portfolio roles)."""
    if roles.sees_whole_portfolio(user):
        return Q()
    return Q(journey__organization__in=organization_scope(user))


# --- services -------------------------------------------------------------------------------------


def service_scope(user) -> QuerySet[Service]:
    if not _may_read(user):
        return Service.objects.none()
    return Service.objects.all()


def service_list(*, user) -> QuerySet[Service]:
    """Services by name with their owner and how many offerings each has in each status, in one
    query (one relation joined, so the counts cannot multiply)."""
    return (
        service_scope(user)
        .select_related("owner")
        .annotate(
            offering_count=Count("offerings"),
            published_count=Count("offerings", filter=Q(offerings__status=OfferingStatus.PUBLISHED)),
            draft_count=Count("offerings", filter=Q(offerings__status=OfferingStatus.DRAFT)),
            retired_count=Count("offerings", filter=Q(offerings__status=OfferingStatus.RETIRED)),
        )
        .order_by("name", "pk")
    )


def service_choices(*, user) -> QuerySet[Service, dict]:
    """`service_list` as the catalogue shows it: one dictionary of pk, name and the counts per
    service, without owners."""
    return (
        service_scope(user)
        .annotate(
            published_count=Count("offerings", filter=Q(offerings__status=OfferingStatus.PUBLISHED)),
            draft_count=Count("offerings", filter=Q(offerings__status=OfferingStatus.DRAFT)),
            retired_count=Count("offerings", filter=Q(offerings__status=OfferingStatus.RETIRED)),
        )
        .order_by("name", "pk")
        .values("pk", "name", "published_count", "draft_count", "retired_count")
    )


def service_get(*, user, pk: int) -> Service:
    service = service_list(user=user).filter(pk=pk).first()
    if service is None:
        raise Http404("No such service.")
    return service


def service_offerings(*, user, service: Service) -> QuerySet[ServiceOffering]:
    """Every offering of the service with its figures, published first, then drafts, then retired
    ones, each by name (one query)."""
    status_order = Case(
        When(status=OfferingStatus.PUBLISHED, then=Value(0)),
        When(status=OfferingStatus.DRAFT, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return (
        _with_figures(offering_scope(user).filter(service=service), user)
        .select_related("service")
        .order_by(status_order, "name", "pk")
    )


# --- offerings ------------------------------------------------------------------------------------


def offering_scope(user) -> QuerySet[ServiceOffering]:
    if not _may_read(user):
        return ServiceOffering.objects.none()
    return ServiceOffering.objects.all()


def _with_figures(offerings: QuerySet[ServiceOffering], user) -> QuerySet[ServiceOffering]:
    """What a catalogue card shows of each offering besides its fields: the number of components,
    tiers, value propositions, playbooks and of the journeys (that the user may see) it concerns."""
    visible_links = OfferingJourney.objects.filter(_visible_journey_links(user), offering=OuterRef("pk"))
    return offerings.annotate(
        component_count=_counted(OfferingComponent, "offering"),
        tier_count=_counted(EngagementTier, "offering"),
        proposition_count=_counted(ValueProposition, "offering"),
        playbook_count=_counted(OnboardingPlaybook, "offering"),
        journey_count=Coalesce(
            Subquery(
                visible_links.order_by().values("offering").annotate(count=Count("pk")).values("count"),
                output_field=IntegerField(),
            ),
            Value(0),
        ),
    )


def _filtered(
    offerings: QuerySet[ServiceOffering],
    *,
    segment: MarketSegment | None = None,
    persona: Persona | None = None,
    service: Service | None = None,
    query: str = "",
) -> QuerySet[ServiceOffering]:
    if segment is not None:
        offerings = offerings.filter(
            pk__in=ServiceOffering.target_segments.through.objects.filter(marketsegment=segment).values(
                "serviceoffering_id"
            )
        )
    if persona is not None:
        offerings = offerings.filter(
            pk__in=ServiceOffering.target_personas.through.objects.filter(persona=persona).values(
                "serviceoffering_id"
            )
        )
    if service is not None:
        offerings = offerings.filter(service=service)
    query = (query or "").strip()
    if query:
        offerings = offerings.filter(
            Q(name__icontains=query)
            | Q(summary__icontains=query)
            | Q(service__name__icontains=query)
            | Exists(OfferingComponent.objects.filter(offering=OuterRef("pk"), name__icontains=query))
        )
    return offerings


def _statuses(status: str) -> tuple[str, ...]:
    return CATALOGUE_STATUSES.get(status, CATALOGUE_STATUSES["all"])[1]


# What a catalogue card shows of each offering: read as dictionaries, a page of cards costs no model
# instances of offerings, services, segments and personas (the catalogue is a bench page).
CATALOGUE_ROW_FIELDS = (
    "pk",
    "name",
    "summary",
    "status",
    "service_id",
    "service__name",
    "service__description",
    "component_count",
    "proposition_count",
    "segment_names",
    "persona_names",
)
# Joins the target names in one column; a character no one types into a name.
NAME_SEPARATOR = "\x1f"


@cache
def _target_names(through, target: str) -> Subquery:
    """The names of an offering's targets (segments or personas) joined by NAME_SEPARATOR, in no
    particular order (SQLite before 3.44 cannot order inside the aggregate): the reader sorts them."""
    names = (
        through.objects.filter(serviceoffering_id=OuterRef("pk"))
        .order_by()
        .values("serviceoffering_id")
        .annotate(names=StringAgg(f"{target}__name", delimiter=Value(NAME_SEPARATOR)))
        .values("names")
    )
    return Subquery(names, output_field=TextField())


def offering_catalogue(
    *,
    user,
    status: str = "current",
    segment: MarketSegment | None = None,
    persona: Persona | None = None,
    service: Service | None = None,
    query: str = "",
) -> QuerySet[ServiceOffering, dict]:
    """The catalogue: offerings in the chosen statuses (a CATALOGUE_STATUSES key) targeting the
    segment and the persona, of the service, whose name, summary, service or a component's name
    contains `query` — by service, then name. One dictionary of CATALOGUE_ROW_FIELDS per offering, in
    one query: its service, the number of its components and value propositions, and the names of its
    target segments and personas."""
    offerings = _filtered(
        offering_scope(user).filter(status__in=_statuses(status)),
        segment=segment,
        persona=persona,
        service=service,
        query=query,
    )
    # No count of the user's journeys per offering here: each would read every link of the offering
    # (a busy offering concerns thousands of journeys); the offering's page lists them.
    return (
        offerings.annotate(
            component_count=_counted(OfferingComponent, "offering"),
            proposition_count=_counted(ValueProposition, "offering"),
            segment_names=_target_names(ServiceOffering.target_segments.through, "marketsegment"),
            persona_names=_target_names(ServiceOffering.target_personas.through, "persona"),
        )
        .order_by("service__name", "service_id", "name", "pk")
        .values(*CATALOGUE_ROW_FIELDS)
    )


def split_names(joined: str | None) -> list[str]:
    """The names `offering_catalogue` joined, sorted."""
    return sorted(joined.split(NAME_SEPARATOR), key=str.casefold) if joined else []


def catalogue_status_counts(
    *,
    user,
    segment: MarketSegment | None = None,
    persona: Persona | None = None,
    service: Service | None = None,
    query: str = "",
) -> dict[str, int]:
    """How many offerings match the other filters in each CATALOGUE_STATUSES choice, in one query
    (the page's status tabs, and the length of the list the pages are cut from)."""
    counts = _filtered(
        offering_scope(user), segment=segment, persona=persona, service=service, query=query
    ).aggregate(**{value: Count("pk", filter=Q(status=value)) for value in OfferingStatus.values})
    return {
        key: sum(counts[value] for value in statuses) for key, (_, statuses) in CATALOGUE_STATUSES.items()
    }


def offering_list(
    *,
    user,
    status: str | None = None,
    segment: MarketSegment | None = None,
    persona: Persona | None = None,
    service: Service | None = None,
    query: str = "",
) -> QuerySet[ServiceOffering]:
    """Offerings for the API: every status unless `status` (an OfferingStatus value) is given, with
    the ids of their target segments and personas prefetched; the caller orders and pages."""
    offerings = offering_scope(user)
    if status:
        offerings = offerings.filter(status=status)
    return (
        _filtered(offerings, segment=segment, persona=persona, service=service, query=query)
        .select_related("service")
        .prefetch_related(
            Prefetch("target_segments", queryset=MarketSegment.objects.only("pk").order_by("pk")),
            Prefetch("target_personas", queryset=Persona.objects.only("pk").order_by("pk")),
        )
    )


def offering_get(*, user, pk: int) -> ServiceOffering:
    offering = offering_scope(user).select_related("service", "service__owner").filter(pk=pk).first()
    if offering is None:
        raise Http404("No such offering.")
    return offering


def publication_gaps(
    *, summary: str, component_count: int, target_count: int, proposition_count: int
) -> list[tuple[str, str]]:
    """What an offering still lacks to be published, as (field, what is missing) pairs; none when it
    is ready. The services refuse to publish with any gap, the offering page lists them."""
    gaps = []
    if not (summary or "").strip():
        gaps.append(("summary", "a summary for the catalogue"))
    if not component_count:
        gaps.append(("components", "a component (goods, access to resources or a service action)"))
    if not target_count:
        gaps.append(("target_segments", "a target segment or persona"))
    if not proposition_count:
        gaps.append(("value_propositions", "a value proposition"))
    return gaps


@dataclass(frozen=True)
class ComponentGroup:
    kind: OfferingComponentKind
    components: list[OfferingComponent]

    @property
    def label(self) -> str:
        return self.kind.label


@dataclass(frozen=True)
class OfferingPage:
    """Everything the offering page shows besides the offering itself."""

    offering: ServiceOffering
    component_groups: list[ComponentGroup]
    tiers: list[EngagementTier]
    propositions: list[ValueProposition]
    target_segments: list[MarketSegment]
    target_personas: list[Persona]
    playbooks: list[OnboardingPlaybook]
    gaps: list[tuple[str, str]] = field(default_factory=list)

    @property
    def component_count(self) -> int:
        return sum(len(group.components) for group in self.component_groups)

    @property
    def segments_without_proposition(self) -> list[MarketSegment]:
        covered = {proposition.segment_id for proposition in self.propositions}
        return [segment for segment in self.target_segments if segment.pk not in covered]

    @property
    def personas_without_proposition(self) -> list[Persona]:
        covered = {proposition.persona_id for proposition in self.propositions}
        return [persona for persona in self.target_personas if persona.pk not in covered]

    @property
    def has_targets(self) -> bool:
        return bool(self.target_segments or self.target_personas)

    @property
    def ready_to_publish(self) -> bool:
        return not self.gaps


def offering_page(*, user, offering: ServiceOffering) -> OfferingPage:
    """The offering's parts, targets, propositions and playbooks: six queries, whatever their number.
    `gaps` says what publishing still needs (empty once it could be published)."""
    components = list(OfferingComponent.objects.filter(offering=offering).order_by("position", "pk"))
    groups = [
        ComponentGroup(kind, [component for component in components if component.kind == kind])
        for kind in OfferingComponentKind
    ]
    segments, personas = offering_targets(user=user, offering=offering)
    propositions = list(
        ValueProposition.objects.filter(offering=offering)
        .select_related("segment", "persona")
        .order_by("position", "pk")
    )
    playbooks = list(
        OnboardingPlaybook.objects.filter(offering=offering)
        .annotate(action_count=_counted(PlaybookAction, "playbook"))
        .order_by("name", "pk")
    )
    return OfferingPage(
        offering=offering,
        component_groups=groups,
        tiers=list(EngagementTier.objects.filter(offering=offering).order_by("position", "pk")),
        propositions=propositions,
        target_segments=segments,
        target_personas=personas,
        playbooks=playbooks,
        gaps=publication_gaps(
            summary=offering.summary,
            component_count=len(components),
            target_count=len(segments) + len(personas),
            proposition_count=len(propositions),
        ),
    )


def offering_targets(*, user, offering: ServiceOffering) -> tuple[list[MarketSegment], list[Persona]]:
    """The offering's target segments and personas, each by name (two queries)."""
    if not _may_read(user):
        return [], []
    return (
        list(MarketSegment.objects.filter(service_offerings=offering).order_by("name", "pk")),
        list(Persona.objects.filter(service_offerings=offering).order_by("name", "pk")),
    )


def _part_get(model, *, user, pk: int, offering: ServiceOffering | None):
    """One component or tier, with its offering; with `offering`, only if it is that offering's."""
    parts = model.objects.select_related("offering")
    if offering is not None:
        parts = parts.filter(offering=offering)
    part = parts.filter(pk=pk).first() if _may_read(user) else None
    if part is None:
        raise Http404(f"No such {model._meta.verbose_name}.")
    return part


def offering_component_get(*, user, pk: int, offering: ServiceOffering | None = None) -> OfferingComponent:
    return _part_get(OfferingComponent, user=user, pk=pk, offering=offering)


def engagement_tier_get(*, user, pk: int, offering: ServiceOffering | None = None) -> EngagementTier:
    return _part_get(EngagementTier, user=user, pk=pk, offering=offering)


def value_proposition_get(*, user, pk: int, offering: ServiceOffering | None = None) -> ValueProposition:
    """One proposition; with `offering`, only if it is that offering's."""
    propositions = ValueProposition.objects.select_related(
        "offering", "offering__service", "segment", "persona"
    )
    if offering is not None:
        propositions = propositions.filter(offering=offering)
    proposition = propositions.filter(pk=pk).first()
    if proposition is None or not _may_read(user):
        raise Http404("No such value proposition.")
    return proposition


# --- journeys the offerings concern ---------------------------------------------------------------


def journeys_for_offering(*, user, offering: ServiceOffering) -> QuerySet[Journey]:
    """The journeys linked to the offering whose organization the user may see, by organization and
    journey name, each with its organization (one query)."""
    return (
        journey_scope(user)
        .filter(pk__in=OfferingJourney.objects.filter(offering=offering).values("journey_id"))
        .select_related("organization")
        .order_by("organization__name", "name", "pk")
    )


def offering_journey_links(*, user, offering: ServiceOffering) -> QuerySet[OfferingJourney]:
    """The offering's links to journeys whose organization the user may see, each with its journey and
    organization (one query); the caller orders (the API pages by last change)."""
    if not _may_read(user):
        return OfferingJourney.objects.none()
    return (
        OfferingJourney.objects.filter(_visible_journey_links(user), offering=offering)
        .select_related("journey", "journey__organization")
        .order_by("journey__organization__name", "journey__name", "pk")
    )


def offerings_for_journey(*, user, journey: Journey) -> QuerySet[ServiceOffering]:
    """The offerings a journey concerns, by service and name (one query); none when the user may not
    see the journey's organization."""
    if not organization_is_visible(user, journey.organization):
        return ServiceOffering.objects.none()
    return (
        ServiceOffering.objects.filter(
            pk__in=OfferingJourney.objects.filter(journey=journey).values("offering_id")
        )
        .select_related("service")
        .order_by("service__name", "name", "pk")
    )


def offerings_for_organization(*, user, organization) -> QuerySet[OfferingJourney]:
    """What the account's journeys concern, for its 360° page: one link per journey and offering, each
    with its offering, service and journey, by offering name (one query); none when the user may not
    see the account."""
    if not organization_is_visible(user, organization):
        return OfferingJourney.objects.none()
    return (
        OfferingJourney.objects.filter(journey__organization=organization)
        .select_related("offering", "offering__service", "journey")
        .order_by("offering__name", "offering_id", "journey__name", "pk")
    )


def offering_linked_journey_ids(*, offering: ServiceOffering) -> QuerySet:
    """The ids of every journey linked to the offering, whoever may see them: for figures computed
    over all of them that name no consumer (the offering's demand profile). Never show the journeys
    themselves from this; `journeys_for_offering` is the user's view."""
    return OfferingJourney.objects.filter(offering=offering).values_list("journey_id", flat=True)


def offering_journey_candidates(*, user, offering: ServiceOffering, query: str = "") -> QuerySet[Journey]:
    """Journeys the user may see that are not linked to the offering yet, whose name or
    organization's name contains `query` (whatever the case), by organization and name. The caller
    slices: the type-ahead shows JOURNEY_CANDIDATE_LIMIT."""
    candidates = (
        journey_scope(user)
        .exclude(pk__in=OfferingJourney.objects.filter(offering=offering).values("journey_id"))
        .select_related("organization")
    )
    query = (query or "").strip()
    if query:
        candidates = candidates.filter(Q(name__icontains=query) | Q(organization__name__icontains=query))
    return candidates.order_by("organization__name", "name", "pk")


def offering_journey_candidate(*, user, pk: int | None) -> Journey | None:
    """The journey a link form names, if the user may see it; None otherwise, so the service answers
    a hidden journey exactly like a missing one."""
    if pk is None:
        return None
    return journey_scope(user).select_related("organization").filter(pk=pk).first()
