"""The user roles of DSV and what they allow (docs/permissions.md says the same in prose).

Roles are Django groups created by a data migration; a user may hold several.
"""

from __future__ import annotations

from django.db import models


class Role(models.TextChoices):
    RELATIONSHIP_MANAGER = "relationship manager", "Relationship manager"
    SERVICE_DESK_AGENT = "service desk agent", "Service desk agent"
    INTEGRATOR = "integrator", "Integrator (API only)"
    ANALYST = "analyst", "Analyst (read-only)"
    ADMINISTRATOR = "administrator", "Administrator"


ROLE_SEPARATOR = "|"


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
