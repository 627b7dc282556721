"""Reads of Agree: service level targets. A target follows its agreement's account: those who may not
see the account get 404."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from agreements.models import AgreementStatus, BusinessCalendar, BusinessHours, ServiceLevelTarget
from journeys import roles
from journeys.selectors import organization_is_visible, organization_scope

__all__ = ["clock_targets_for_account", "target_calendar_choices", "target_get", "target_scope"]


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


def clock_targets_for_account(
    *, organization_id: int, agreement_id: int | None = None
) -> list[ServiceLevelTarget]:
    """The request-clock targets (response, resolution) that time a request of the account: those of
    the given agreement, or else of the account's active agreements, the earliest-started agreement
    first. Each comes with its agreement and its calendar's hours and closures (three queries at most),
    ready for `agreements.business_time.schedule_for`. Co-create starts its request clocks from these."""
    targets = (
        ServiceLevelTarget.objects.filter(
            agreement__organization_id=organization_id,
            agreement__status=AgreementStatus.ACTIVE,
            is_active=True,
        )
        .exclude(clock="")
        .select_related("agreement", "calendar")
        .prefetch_related(
            Prefetch("calendar__hours", queryset=BusinessHours.objects.order_by("weekday", "starts_at")),
            "calendar__closures",
        )
        .order_by("agreement__starts_on", "agreement_id", "position", "id")
    )
    if agreement_id is not None:
        targets = targets.filter(agreement_id=agreement_id)
    return list(targets)
