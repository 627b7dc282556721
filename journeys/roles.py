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


def roles_of(user) -> frozenset[str]:
    """The role names a user holds, cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_dsv_roles", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        if user.is_superuser:
            cached = cached | {Role.ADMINISTRATOR}
        user._dsv_roles = cached
    return cached


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
