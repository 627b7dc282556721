"""Reads of Onboard: the actions a person owns ("my actions").

A provider person sees the open actions they own on every plan that is still open, whether or not
they see the whole account: being named as an action's owner is what lets them change its status and
comment on it (onboarding.services.actions). Whether they may open the plan's page is read with the
actions (`plan_visible`), so the page links only where it may.
"""

from __future__ import annotations

from datetime import date

from django.db.models import BooleanField, Count, Exists, OuterRef, Q, QuerySet, Value
from django.http import Http404
from django.utils import timezone

from journeys import roles
from journeys.selectors import organization_scope
from onboarding.models import ActionDependency, PlanAction
from onboarding.selectors.plans import CLOSED_ACTION_STATUSES, FINAL_PLAN_STATUSES

__all__ = [
    "MY_ACTIONS_PER_PAGE",
    "action_open_prerequisites",
    "my_action_get",
    "my_action_summary",
    "my_actions",
]

MY_ACTIONS_PER_PAGE = 50

MY_ACTION_COLUMNS = (
    "plan_id",
    "title",
    "area",
    "owner_party",
    "owner_user_id",
    "due_on",
    "status",
    "evidence",
    "position",
    "plan__title",
    "plan__kind",
    "plan__status",
    "plan__organization_id",
    "plan__organization__name",
)


def _open_actions_of(user) -> QuerySet[PlanAction]:
    return PlanAction.objects.filter(owner_user_id=user.pk).exclude(
        Q(status__in=CLOSED_ACTION_STATUSES) | Q(plan__status__in=FINAL_PLAN_STATUSES)
    )


def _for_my_list(user, actions: QuerySet[PlanAction]) -> QuerySet[PlanAction]:
    """The actions with their plan and account, whether the user may open the plan (`plan_visible`)
    and how many actions each still waits for (`waiting_on`)."""
    if roles.sees_whole_portfolio(user):
        visible = Value(True, output_field=BooleanField())
    else:
        visible = Exists(organization_scope(user).filter(pk=OuterRef("plan__organization_id")))
    waiting = (
        ActionDependency.objects.filter(action_id=OuterRef("pk"))
        .exclude(depends_on__status__in=CLOSED_ACTION_STATUSES)
        .order_by()
        .values("action_id")
        .annotate(open=Count("pk"))
        .values("open")[:1]
    )
    return (
        actions.select_related("plan", "plan__organization")
        .only(*MY_ACTION_COLUMNS)
        .annotate(plan_visible=visible, waiting_on=waiting)
    )


def my_actions(*, user) -> QuerySet[PlanAction]:
    """The user's open actions on open plans, overdue first (by due date: an overdue action is due
    before any other), then by due date, each with its plan and account, whether the user may open
    the plan (`plan_visible`) and how many actions it still waits for (`waiting_on`). Paginate it: one
    query per page."""
    return _for_my_list(user, _open_actions_of(user)).order_by("due_on", "plan_id", "position", "pk")


def my_action_get(*, user, pk: int) -> PlanAction:
    """One of the user's own actions as "my actions" shows it, whatever its status now (a row of the
    list after its status changed). 404 for an action the user does not own."""
    try:
        return _for_my_list(user, PlanAction.objects.filter(owner_user_id=user.pk)).get(pk=pk)
    except PlanAction.DoesNotExist:
        raise Http404("No such action.") from None


def my_action_summary(*, user, today: date | None = None) -> dict[str, int]:
    """How many open actions the user owns and how many of them are overdue. One query."""
    today = today or timezone.localdate()
    return _open_actions_of(user).aggregate(open=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=today)))


def action_open_prerequisites(*, action: PlanAction) -> list[PlanAction]:
    """The actions `action` still waits for (neither done nor cancelled), soonest due first. No user:
    both the services and the consumer's link page (whose link is its permission) ask it."""
    return list(
        PlanAction.objects.filter(dependent_links__action=action)
        .exclude(status__in=CLOSED_ACTION_STATUSES)
        .order_by("due_on", "pk")
        .only("title", "due_on", "status")
    )
