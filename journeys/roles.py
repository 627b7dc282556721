"""The user roles of DSV and what they allow (docs/permissions.md says the same in prose).

Roles are Django groups created by a data migration; a user may hold several. A relationship manager
also sees the accounts of their teams: the request's user arrives with both (journeys.auth).
"""

from __future__ import annotations

from functools import cache

from django.db import models


class Role(models.TextChoices):
    RELATIONSHIP_MANAGER = "relationship manager", "Relationship manager"
    SERVICE_DESK_AGENT = "service desk agent", "Service desk agent"
    INTEGRATOR = "integrator", "Integrator (API only)"
    ANALYST = "analyst", "Analyst (read-only)"
    ADMINISTRATOR = "administrator", "Administrator"


ROLE_SEPARATOR = "|"


# The subqueries that load roles and teams with the user are built once per process: every request
# loads its user with them, and a query works on a copy of an expression it is given, so one instance
# serves them all.


@cache
def role_names_subquery(user_id_ref: str = "pk"):
    """The user's group names joined in one string, as a subquery to annotate on whatever query loads
    the user (session or token authentication), so knowing the roles costs no query of its own."""
    from django.contrib.auth import get_user_model
    from django.db.models import OuterRef, StringAgg, Subquery, Value

    memberships = get_user_model().groups.through.objects.filter(user_id=OuterRef(user_id_ref))
    return Subquery(
        memberships.order_by()
        .values("user_id")
        .annotate(names=StringAgg("group__name", delimiter=Value(ROLE_SEPARATOR)))
        .values("names")[:1]
    )


def remember_roles(user, role_names: str | None) -> None:
    """Cache on the user object the roles that `role_names_subquery` loaded with it."""
    roles = frozenset(name for name in (role_names or "").split(ROLE_SEPARATOR) if name)
    if user.is_superuser:
        roles = roles | {Role.ADMINISTRATOR}
    user._dsv_roles = roles


@cache
def team_ids_subquery(user_id_ref: str = "pk"):
    """The ids of the user's teams joined in one string, as a subquery to annotate on the query that
    loads the user, like `role_names_subquery`: the account scope can then name the teams outright,
    which spares every scoped query a subquery (and PostgreSQL the row estimate it gets wrong)."""
    from django.db.models import CharField, OuterRef, StringAgg, Subquery, Value
    from django.db.models.functions import Cast

    from journeys.models import Team

    memberships = Team.members.through.objects.filter(user_id=OuterRef(user_id_ref))
    return Subquery(
        memberships.order_by()
        .values("user_id")
        .annotate(ids=StringAgg(Cast("team_id", CharField()), delimiter=Value(",")))
        .values("ids")[:1]
    )


def remember_teams(user, team_ids: str | None) -> None:
    """Cache on the user object the team ids that `team_ids_subquery` loaded with it."""
    user._dsv_team_ids = tuple(sorted(int(team) for team in (team_ids or "").split(",") if team))


def team_ids_of(user) -> tuple[int, ...] | None:
    """The ids of the user's teams when they were loaded with the user, else None (the caller then
    asks the database in the query that needs them)."""
    return getattr(user, "_dsv_team_ids", None)


def roles_of(user) -> frozenset[str]:
    """The role names a user holds, cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    if getattr(user, "_dsv_roles", None) is None:
        remember_roles(user, ROLE_SEPARATOR.join(user.groups.values_list("name", flat=True)))
    return user._dsv_roles


def is_administrator(user) -> bool:
    return Role.ADMINISTRATOR in roles_of(user)


def sees_whole_portfolio(user) -> bool:
    """Administrators, analysts, desk agents and integrators see every organization."""
    return bool(roles_of(user) & {Role.ADMINISTRATOR, Role.ANALYST, Role.SERVICE_DESK_AGENT, Role.INTEGRATOR})


def may_use_browser(user) -> bool:
    """Integrators are API-only accounts; every other role may use the web pages."""
    roles = roles_of(user)
    return bool(roles - {Role.INTEGRATOR}) or user.is_superuser


def may_manage_accounts(user) -> bool:
    """Create organizations and stakeholders, edit them, move journeys (for visible accounts)."""
    return bool(roles_of(user) & {Role.ADMINISTRATOR, Role.RELATIONSHIP_MANAGER, Role.INTEGRATOR})


def may_log_touchpoints(user) -> bool:
    return bool(
        roles_of(user)
        & {Role.ADMINISTRATOR, Role.RELATIONSHIP_MANAGER, Role.SERVICE_DESK_AGENT, Role.INTEGRATOR}
    )
