"""Reads of the journey spine. Every selector takes the acting user and returns only what that user may
see; list selectors run a constant number of queries whatever the number of rows."""

from __future__ import annotations

from datetime import timedelta
from functools import cache

from django.db import connection
from django.db.models import (
    Avg,
    BooleanField,
    Case,
    Count,
    F,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, NullIf
from django.http import Http404
from django.utils import timezone

from journeys import roles
from journeys.models import (
    SUMMARY_WINDOW_DAYS,
    AccountSummary,
    Journey,
    JourneyMap,
    JourneyStatus,
    JourneyStep,
    JourneyStepChange,
    MapStage,
    Organization,
    OrganizationKind,
    Persona,
    Scenario,
    Stakeholder,
    Team,
    Touchpoint,
)

# --- scoping --------------------------------------------------------------------------------------


def organization_scope(user) -> QuerySet[Organization]:
    """Organizations the user may see: everything for portfolio-wide roles, otherwise the accounts the
    user owns or that belong to one of the user's teams."""
    organizations = Organization.objects.all()
    if not getattr(user, "is_authenticated", False):
        return organizations.none()
    if roles.sees_whole_portfolio(user):
        return organizations
    if roles.Role.RELATIONSHIP_MANAGER in roles.roles_of(user):
        return organizations.filter(Q(owner=user) | Q(team__in=_team_ids(user)))
    return organizations.none()


def _team_ids(user):
    """The user's teams: the ids loaded with the user (journeys.auth) when there are, so the scope names
    them outright; otherwise a subquery. PostgreSQL misjudges how many accounts a hashed subplan keeps
    (thousands rather than hundreds) and then joins the accounts' tables by scanning them whole."""
    team_ids = roles.team_ids_of(user)
    if team_ids is not None:
        return team_ids
    return Team.members.through.objects.filter(user_id=user.pk).values("team_id")


class _AmongArray(Func):
    """`column = ANY(ARRAY(subquery))` (PostgreSQL): the column is one of the subquery's values, read
    once as an array. Planned as an index condition on the column, where `IN (subquery)` often becomes
    a join that reads every row of the related accounts first."""

    output_field = BooleanField()
    arg_joiner = " = ANY(ARRAY"
    template = "%(expressions)s)"


def in_organization_scope(rows: QuerySet, user, *, field: str = "organization") -> QuerySet:
    """`rows` (of a model with a foreign key `field` to Organization) limited to the organizations the
    user may see (organization_scope)."""
    if roles.sees_whole_portfolio(user):
        return rows
    scope = organization_scope(user).order_by().values("pk")
    if connection.vendor == "postgresql":
        return rows.filter(_AmongArray(F(f"{field}_id"), Subquery(scope)))
    return rows.filter(**{f"{field}__in": scope})


def organization_is_visible(user, organization: Organization) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if roles.sees_whole_portfolio(user):
        return True
    if roles.Role.RELATIONSHIP_MANAGER not in roles.roles_of(user):
        return False
    if organization.owner_id == user.pk:
        return True
    if not organization.team_id:
        return False
    team_ids = roles.team_ids_of(user)
    if team_ids is not None:
        return organization.team_id in team_ids
    return Team.members.through.objects.filter(team_id=organization.team_id, user_id=user.pk).exists()


def _get_or_404(queryset, **lookup):
    # get() rather than first(): a lookup by key needs no ORDER BY (first() sorts by the model's order).
    try:
        return queryset.get(**lookup)
    except queryset.model.DoesNotExist:
        raise Http404("Not found.") from None


def organization_get(*, user, pk: int, brief: bool = False) -> Organization:
    """The account, if the user may see it (404 otherwise), with its owner, team and summary; `brief`
    leaves those out, for pages that show no more of the account than its name (the joins and the three
    extra objects cost as much as the rest of the query)."""
    # With the user's teams at hand (journeys.auth), whether the user may see the account is known
    # without the scope's conditions: the database reads one account by its key, checked afterwards.
    teams_known = roles.team_ids_of(user) is not None
    accounts = Organization.objects.all() if teams_known else organization_scope(user)
    if not brief:
        accounts = accounts.select_related("owner", "team", "summary")
    organization = _get_or_404(accounts, pk=pk)
    if teams_known and not organization_is_visible(user, organization):
        raise Http404("Not found.")
    return organization


def stakeholder_scope(user) -> QuerySet[Stakeholder]:
    return Stakeholder.objects.filter(organization__in=organization_scope(user))


def stakeholder_get(*, user, pk: int) -> Stakeholder:
    return _get_or_404(stakeholder_scope(user).select_related("organization"), pk=pk)


def journey_scope(user) -> QuerySet[Journey]:
    return Journey.objects.filter(organization__in=organization_scope(user))


def journey_get(*, user, pk: int) -> Journey:
    return _get_or_404(journey_scope(user).select_related("organization"), pk=pk)


def touchpoint_scope(user) -> QuerySet[Touchpoint]:
    return Touchpoint.objects.filter(organization__in=organization_scope(user))


def touchpoint_get(*, user, pk: int) -> Touchpoint:
    return _get_or_404(
        touchpoint_scope(user).select_related("organization", "journey", "stakeholder", "logged_by"), pk=pk
    )


# --- organization lists ---------------------------------------------------------------------------


def _with_account_summary(organizations: QuerySet[Organization]) -> QuerySet[Organization]:
    """Annotate what lists show of each account, read from its AccountSummary row (one join): the step
    of the most recently moved active journey, the active stakeholders and the last touchpoint."""
    return organizations.annotate(
        journey_step=NullIf(F("summary__journey_step"), Value("")),
        journey_step_since=F("summary__journey_step_since"),
        stakeholder_count=Coalesce(F("summary__stakeholder_count"), Value(0)),
        last_touchpoint_at=F("summary__last_touchpoint_at"),
    )


ORGANIZATION_ORDERINGS = {
    "name": ("name", "id"),
    "-name": ("-name", "-id"),
    "updated": ("-updated_at", "-id"),
    "last_touchpoint": ("-last_touchpoint_at", "name"),
}


def organization_list(
    *,
    user,
    search: str = "",
    kind: str = "",
    step: str = "",
    owner: str = "",
    ordering: str = "name",
) -> QuerySet[Organization]:
    """The organizations list with search (name, external id, city), filters and the account summary."""
    organizations = organization_scope(user).select_related("owner", "team")
    if search:
        organizations = organizations.filter(
            Q(name__icontains=search) | Q(external_id__iexact=search) | Q(city__icontains=search)
        )
    if kind in OrganizationKind.values:
        organizations = organizations.filter(kind=kind)
    if owner == "me":
        organizations = organizations.filter(owner=user)
    elif owner == "none":
        organizations = organizations.filter(owner__isnull=True)
    elif owner.isdigit():
        organizations = organizations.filter(owner_id=int(owner))
    organizations = _with_account_summary(organizations)
    if step in JourneyStep.values:
        organizations = organizations.filter(journey_step=step)
    if ordering == "last_touchpoint":
        return organizations.order_by(F("last_touchpoint_at").desc(nulls_last=True), "name")
    return organizations.order_by(*ORGANIZATION_ORDERINGS.get(ordering, ORGANIZATION_ORDERINGS["name"]))


# The columns the accounts table shows. Its pages read dictionaries of them rather than model
# instances of each account and its owner: building those cost more than showing the page.
ORGANIZATION_ROW_FIELDS = (
    "pk",
    "name",
    "city",
    "kind",
    "journey_step",
    "stakeholder_count",
    "last_touchpoint_at",
    "owner__first_name",
    "owner__last_name",
    "owner__username",
)


def organization_list_rows(
    *,
    user,
    search: str = "",
    kind: str = "",
    step: str = "",
    owner: str = "",
    ordering: str = "name",
) -> QuerySet[Organization, dict]:
    """`organization_list` as the accounts page shows it: one dictionary of ORGANIZATION_ROW_FIELDS
    per account."""
    organizations = organization_list(
        user=user, search=search, kind=kind, step=step, owner=owner, ordering=ordering
    )
    return organizations.values(*ORGANIZATION_ROW_FIELDS)


def portfolio_for(*, user) -> QuerySet[Organization]:
    """The dashboard portfolio: a relationship manager's own and team accounts; the whole consumer
    portfolio for the portfolio-wide roles."""
    organizations = organization_scope(user).filter(kind=OrganizationKind.CONSUMER)
    return _with_account_summary(organizations.select_related("owner")).order_by("name")


PORTFOLIO_ORDERINGS = {
    "attention": (F("last_touchpoint_at").asc(nulls_first=True), "name", "id"),
    "name": ("name", "id"),
    "step": ("journey_step", "name", "id"),
    "recent": (F("last_touchpoint_at").desc(nulls_last=True), "name", "id"),
}


PORTFOLIO_ROW_FIELDS = (
    "pk",
    "name",
    "journey_step",
    "journey_step_since",
    "stakeholder_count",
    "last_touchpoint_at",
    "owner__first_name",
    "owner__last_name",
    "owner__username",
)


def portfolio_page_rows(*, user, ordering: str = "attention") -> QuerySet[Organization, dict]:
    """The portfolio table, longest without contact first by default: one dictionary of
    PORTFOLIO_ROW_FIELDS per account (the dashboard shows no more of an account or its owner)."""
    order = PORTFOLIO_ORDERINGS.get(ordering, PORTFOLIO_ORDERINGS["attention"])
    return portfolio_for(user=user).order_by(*order).values(*PORTFOLIO_ROW_FIELDS)


def portfolio_summary(*, user) -> dict:
    """Headline figures for the dashboard, from the accounts' summaries in one grouped query: accounts
    per journey step (where each account's most recently moved journey stands), and the touchpoint
    volume, average sentiment, moments of truth and negative contacts of the last 30 days."""
    rows = list(
        AccountSummary.objects.filter(
            organization__in=organization_scope(user).filter(kind=OrganizationKind.CONSUMER).values("pk")
        )
        .order_by()
        .values("journey_step")
        .annotate(
            accounts=Count("organization"),
            volume=Sum("recent_touchpoints"),
            sentiment_sum=Sum("recent_sentiment_sum"),
            moments_of_truth=Sum("recent_moments_of_truth"),
            negative=Sum("recent_negative"),
        )
    )
    # Adding up the seven (or eight) group rows the database returned.
    total = {
        key: sum(row[key] or 0 for row in rows)
        for key in ("accounts", "volume", "sentiment_sum", "moments_of_truth", "negative")
    }
    per_step = {row["journey_step"]: row["accounts"] for row in rows}
    return {
        "steps": [{"step": step, "accounts": per_step.get(step.value, 0)} for step in JourneyStep],
        "without_journey": per_step.get("", 0),
        "days": SUMMARY_WINDOW_DAYS,
        "accounts": total["accounts"],
        "volume": total["volume"],
        "average_sentiment": total["sentiment_sum"] / total["volume"] if total["volume"] else None,
        "moments_of_truth": total["moments_of_truth"],
        "negative": total["negative"],
    }


# --- one account ----------------------------------------------------------------------------------


@cache
def _last_touchpoint_of_stakeholder() -> Subquery:
    """When each stakeholder was last in touch, as a subquery to annotate. Built once: a query works on a
    copy of an expression it is given."""
    return Subquery(
        Touchpoint.objects.filter(stakeholder=OuterRef("pk"))
        .order_by("-occurred_at")
        .values("occurred_at")[:1]
    )


def stakeholder_list_for_organization(*, user, organization: Organization) -> QuerySet[Stakeholder]:
    if not organization_is_visible(user, organization):
        raise Http404("Not found.")
    return (
        Stakeholder.objects.filter(organization=organization)
        .annotate(last_touchpoint_at=_last_touchpoint_of_stakeholder())
        .order_by("-is_active", "-influence", "-interest", "name")
    )


def journey_list_for_organization(*, user, organization: Organization) -> QuerySet[Journey]:
    if not organization_is_visible(user, organization):
        raise Http404("Not found.")
    return Journey.objects.filter(organization=organization).order_by("status", "-step_entered_at")


# What an account's timeline shows of each touchpoint (journeys_tags.timeline_entry), with the person met
# and the author: read as dictionaries, a page of 20 entries costs no model instances of touchpoints,
# people and users.
TIMELINE_FIELDS = (
    "id",
    "step",
    "channel",
    "kind",
    "direction",
    "sentiment",
    "moment_of_truth",
    "summary",
    "occurred_at",
    "stakeholder__name",
    "logged_by__username",
    "logged_by__first_name",
    "logged_by__last_name",
)


def touchpoint_timeline(*, user, organization: Organization) -> QuerySet[Touchpoint, dict]:
    """The account's touchpoints, newest first: one dictionary of TIMELINE_FIELDS each, in one query."""
    if not organization_is_visible(user, organization):
        raise Http404("Not found.")
    return (
        Touchpoint.objects.filter(organization=organization)
        .order_by("-occurred_at", "-id")
        .values(*TIMELINE_FIELDS)
    )


def journey_step_history(*, user, journey: Journey) -> QuerySet[JourneyStepChange]:
    if not organization_is_visible(user, journey.organization):
        raise Http404("Not found.")
    return journey.step_changes.select_related("changed_by").order_by("changed_at", "id")


def journeys_in_step(*, user, step: str) -> QuerySet[Journey]:
    """Active journeys currently in a step, longest waiting first (each step's overview page)."""
    if step not in JourneyStep.values:
        raise Http404("No such step.")
    last_touchpoint = (
        Touchpoint.objects.filter(journey=OuterRef("pk")).order_by("-occurred_at").values("occurred_at")[:1]
    )
    return (
        journey_scope(user)
        .filter(current_step=step, status=JourneyStatus.ACTIVE)
        .select_related("organization", "organization__owner")
        .annotate(last_touchpoint_at=Subquery(last_touchpoint))
        .order_by("step_entered_at", "id")
    )


def step_touchpoint_summary(*, user, step: str, days: int = 90) -> dict:
    """Touchpoints logged in a step over the last `days` days: volume, mean sentiment, moments of truth."""
    since = timezone.now() - timedelta(days=days)
    return (
        touchpoint_scope(user)
        .filter(step=step, occurred_at__gte=since)
        .aggregate(
            volume=Count("id"),
            average_sentiment=Avg("sentiment"),
            moments_of_truth=Count("id", filter=Q(moment_of_truth=True)),
        )
    )


def touchpoint_recent(*, user, limit: int = 20) -> QuerySet[Touchpoint]:
    return (
        touchpoint_scope(user)
        .select_related("organization", "stakeholder", "logged_by")
        .order_by("-occurred_at", "-id")[:limit]
    )


def touchpoint_summary_by_step(*, user, days: int = 90) -> list[dict]:
    """Per journey step over the last `days` days: touchpoint volume, mean sentiment, moments of truth
    and negative contacts, grouped in the database; every step is listed, empty ones with zeros."""
    since = timezone.now() - timedelta(days=days)
    rows = {
        row["step"]: row
        for row in touchpoint_scope(user)
        .filter(occurred_at__gte=since)
        .order_by()
        .values("step")
        .annotate(
            volume=Count("id"),
            average_sentiment=Avg("sentiment"),
            moments_of_truth=Count("id", filter=Q(moment_of_truth=True)),
            negative=Count("id", filter=Q(sentiment__lt=0)),
        )
    }
    empty = {"volume": 0, "average_sentiment": None, "moments_of_truth": 0, "negative": 0}
    return [{**empty, **rows.get(step.value, {}), "step": step} for step in JourneyStep]


def organization_recent_activity(*, organization: Organization) -> dict:
    """The account's touchpoints of the last 30 days, from its summary (loaded by organization_get)."""
    summary = getattr(organization, "summary", None)
    volume = summary.recent_touchpoints if summary else 0
    return {
        "days": SUMMARY_WINDOW_DAYS,
        "volume": volume,
        "average_sentiment": summary.recent_sentiment_sum / volume if volume else None,
        "moments_of_truth": summary.recent_moments_of_truth if summary else 0,
        "negative": summary.recent_negative if summary else 0,
        "stakeholders": summary.stakeholder_count if summary else 0,
    }


def organization_search(*, user, query: str, limit: int = 10) -> list[Organization]:
    """Type-ahead search of accounts by name, or of people by name or e-mail (their account is listed)."""
    query = (query or "").strip()
    if len(query) < 2:
        return []
    scope = organization_scope(user)
    people = Stakeholder.objects.filter(
        Q(name__icontains=query) | Q(email__iexact=query), organization__in=scope
    ).values("organization_id")
    return list(
        scope.filter(
            Q(name__icontains=query) | Q(external_id__iexact=query) | Q(pk__in=people[:50])
        ).order_by("name")[:limit]
    )


# --- personas and scenarios -----------------------------------------------------------------------
# Personas and their scenarios are the provider's design material, shared by every step's journey maps:
# any user with a DSV role reads all of them (they name no consumer).


def persona_scope(user) -> QuerySet[Persona]:
    if not roles.roles_of(user):
        return Persona.objects.none()
    return Persona.objects.all()


def _scenario_count() -> Coalesce:
    # A correlated count rather than Count("scenarios"): later apps annotate more counts on the same
    # query, and joins of several one-to-many relations would multiply each other's rows.
    counted = (
        Scenario.objects.filter(persona=OuterRef("pk"))
        .order_by()
        .values("persona")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def persona_list(*, user) -> QuerySet[Persona]:
    """Personas by name with `scenario_count`, in one query."""
    return (
        persona_scope(user)
        .select_related("owner")
        .annotate(scenario_count=_scenario_count())
        .order_by("name", "pk")
    )


def persona_get(*, user, pk: int) -> Persona:
    return _get_or_404(persona_list(user=user), pk=pk)


def _step_position() -> Case:
    """The journey step's place in the designed order (explore first), stories without a step last."""
    return Case(
        *(When(journey_step=step.value, then=Value(step.number)) for step in JourneyStep),
        default=Value(len(JourneyStep) + 1),
        output_field=IntegerField(),
    )


def scenario_list_for_persona(*, user, persona: Persona) -> QuerySet[Scenario]:
    """The persona's scenarios in journey order (then by title), ready to group by `journey_step`."""
    return (
        Scenario.objects.filter(persona=persona, persona__in=persona_scope(user))
        .annotate(step_position=_step_position())
        .order_by("step_position", "title", "pk")
    )


def scenario_get(*, user, pk: int, persona: Persona | None = None) -> Scenario:
    """One scenario; with `persona`, only if it is that persona's (a scenario URL under another persona
    is not found)."""
    scenarios = Scenario.objects.filter(persona__in=persona_scope(user)).select_related("persona")
    if persona is not None:
        scenarios = scenarios.filter(persona=persona)
    return _get_or_404(scenarios, pk=pk)


# --- journey maps ---------------------------------------------------------------------------------
# Designed journey maps are design material like their personas: every user with a DSV role reads all.


def journey_map_scope(user) -> QuerySet[JourneyMap]:
    if not roles.roles_of(user):
        return JourneyMap.objects.none()
    return JourneyMap.objects.all()


def _stage_count() -> Coalesce:
    counted = (
        MapStage.objects.filter(journey_map=OuterRef("pk"))
        .order_by()
        .values("journey_map")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def journey_map_list(
    *, user, persona: Persona | None = None, version: str | None = None
) -> QuerySet[JourneyMap]:
    """Maps by persona, name and version with `stage_count`, in one query; optionally one persona's or
    one version's."""
    maps = journey_map_scope(user)
    if persona is not None:
        maps = maps.filter(persona=persona)
    if version:
        maps = maps.filter(version=version)
    return (
        maps.select_related("persona", "based_on", "owner")
        .annotate(stage_count=_stage_count())
        .order_by("persona__name", "name", "version", "pk")
    )


def journey_map_get(*, user, pk: int) -> JourneyMap:
    """One map (404 for a user without a role) with its persona, the map it was drawn from, its owner
    and its stages in journey order (`stages.all()` reads no more)."""
    stages = Prefetch("stages", queryset=MapStage.objects.order_by("step_number", "position", "pk"))
    return _get_or_404(
        journey_map_scope(user).select_related("persona", "based_on", "owner").prefetch_related(stages),
        pk=pk,
    )


def map_stage_get(*, user, journey_map: JourneyMap, pk: int) -> MapStage:
    """One stage of the map (a stage URL under another map is not found)."""
    return _get_or_404(
        MapStage.objects.filter(journey_map=journey_map, journey_map__in=journey_map_scope(user)), pk=pk
    )


def maps_for_persona(*, user, persona: Persona) -> QuerySet[JourneyMap]:
    """The persona's maps (as-is first, then to-be) with `stage_count`."""
    return journey_map_list(user=user, persona=persona).order_by("version", "name", "pk")
