"""Reads of Onboard: the portfolio board of every plan a user may see.

The board is on the bench for a manager who sees hundreds of accounts. Each page of it is two queries
(the count and the page's rows); the rows are plain values, each plan's progress four correlated
subqueries on the actions' (plan, status) index that the database runs for the page's rows only,
because the order is on the plans' own columns.
"""

from __future__ import annotations

from datetime import date

from django.contrib.auth import get_user_model
from django.db.models import Case, CharField, IntegerField, OuterRef, QuerySet, Subquery, Value, When
from django.utils import timezone

from journeys.models import Organization
from onboarding.models import PlanKind, PlanStatus
from onboarding.selectors.plans import FINAL_PLAN_STATUSES, plan_scope, with_progress

__all__ = ["BOARD_PER_PAGE", "BOARD_STATUS_OPEN", "plan_board"]

BOARD_PER_PAGE = 50
# The status filter's value for every plan still under way (neither completed nor cancelled).
BOARD_STATUS_OPEN = "open"

BOARD_COLUMNS = (
    "pk",
    "title",
    "kind",
    "status",
    "starts_on",
    "ends_on",
    "organization_id",
    "organization_name",
    "owner_id",
    "owner_first_name",
    "owner_last_name",
    "owner_username",
    "actions_total",
    "actions_done",
    "actions_overdue",
    "next_due_on",
)


def _name(model, column: str, key: str) -> Subquery:
    return Subquery(
        model.objects.filter(pk=OuterRef(key)).order_by().values(column)[:1], output_field=CharField()
    )


# The account's and the owner's names as subqueries rather than joins: the database looks them up for
# the page's rows only, after sorting, instead of joining every account to every plan first.
_NAMES = {
    "organization_name": _name(Organization, "name", "organization_id"),
    "owner_first_name": _name(get_user_model(), "first_name", "owner_id"),
    "owner_last_name": _name(get_user_model(), "last_name", "owner_id"),
    "owner_username": _name(get_user_model(), "username", "owner_id"),
}


def plan_board(
    *, user, kind: str = "", status: str = "", mine: bool = False, today: date | None = None
) -> QuerySet:
    """The plans the user may see as rows of values (BOARD_COLUMNS), open ones first, then by start
    (latest first). `kind` and `status` narrow them (status "open": every plan under way; an unknown
    value is ignored), `mine` to the plans the user owns."""
    today = today or timezone.localdate()
    plans = plan_scope(user)
    if kind in PlanKind.values:
        plans = plans.filter(kind=kind)
    if status == BOARD_STATUS_OPEN:
        plans = plans.exclude(status__in=FINAL_PLAN_STATUSES)
    elif status in PlanStatus.values:
        plans = plans.filter(status=status)
    if mine:
        plans = plans.filter(owner_id=user.pk)
    closed_last = Case(
        When(status__in=FINAL_PLAN_STATUSES, then=Value(1)), default=Value(0), output_field=IntegerField()
    )
    return (
        with_progress(plans, today)
        .annotate(closed_last=closed_last, **_NAMES)
        .order_by("closed_last", "-starts_on", "-pk")
        .values(*BOARD_COLUMNS)
    )
