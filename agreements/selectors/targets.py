"""Reads of Agree: service level targets. A target follows its agreement's account: those who may not
see the account get 404."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from agreements.models import BusinessCalendar, ServiceLevelTarget
from journeys import roles
from journeys.selectors import organization_is_visible, organization_scope

__all__ = ["target_calendar_choices", "target_get", "target_scope"]


def target_scope(user) -> QuerySet[ServiceLevelTarget]:
    """The targets of the agreements of the organizations the user may see."""
    if roles.sees_whole_portfolio(user):
        return ServiceLevelTarget.objects.all()
    return ServiceLevelTarget.objects.filter(agreement__organization__in=organization_scope(user))


def target_get(*, user, pk: int) -> ServiceLevelTarget:
    """One target with its agreement, the agreement's account and its calendar; 404 for one the user
    may not see."""
    rows = ServiceLevelTarget.objects.select_related("agreement__organization", "calendar").filter(pk=pk)
    try:
        found = rows.get()
    except ServiceLevelTarget.DoesNotExist:
        raise Http404("No such target.") from None
    if not organization_is_visible(user, found.agreement.organization):
        raise Http404("No such target.")
    return found


def target_calendar_choices(*, keep: BusinessCalendar | None = None) -> list[BusinessCalendar]:
    """The calendars a target may count its time in: the active ones, plus `keep` (a target's current
    calendar, even if it was retired since). One query."""
    calendars = BusinessCalendar.objects.filter(is_active=True)
    if keep is not None:
        calendars = calendars | BusinessCalendar.objects.filter(pk=keep.pk)
    return list(calendars.order_by("name", "pk"))
