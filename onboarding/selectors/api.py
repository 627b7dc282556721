"""Reads of Onboard for the REST API (onboarding/api/): plans with their progress and goal summary,
goals, actions with what an integration needs to sync them, and comments.

Plans, goals and comments belong to their account: exactly those who may see the organization see
them (404 otherwise). An action is also visible to the provider person who owns it, even on an account
they do not otherwise see, because the services let that person change its status and comment on it
(a colleague from another team asked to do one task). Every list is a single query plus at most one
prefetch, whatever the number of rows: the figures are correlated subqueries, not Python loops.
"""

from __future__ import annotations

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from journeys import roles
from journeys.selectors import organization_is_visible, organization_scope
from offerings.models import ServiceOffering
from onboarding.models import (
    ActionComment,
    ActionDependency,
    GoalEvaluation,
    OnboardingPlan,
    PlanAction,
    PlanGoal,
)
from onboarding.selectors.plans import CLOSED_ACTION_STATUSES, plan_scope, with_progress

__all__ = [
    "action_api_comments",
    "action_api_get",
    "action_api_list",
    "action_api_open",
    "action_api_overdue",
    "goal_api_get",
    "goal_api_list",
    "plan_api_get",
    "plan_api_list",
    "plan_api_shows_reasons",
]


def _not_found() -> Http404:
    return Http404("Not found.")


# --- plans ----------------------------------------------------------------------------------------


def _count(queryset: QuerySet, **condition) -> Coalesce:
    """How many rows of `queryset` (already tied to the outer plan) meet `condition`, as a subquery."""
    rows = queryset.filter(**condition).order_by().values("plan").annotate(count=Count("pk")).values("count")
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def _with_figures(plans: QuerySet[OnboardingPlan]) -> QuerySet[OnboardingPlan]:
    """Progress (done of the actions not cancelled, and how many open ones are overdue) and the goals
    by evaluation, annotated as `actions_total`, `actions_done`, `actions_overdue`, `goals_<evaluation>`
    and `goals_total`."""
    goals = PlanGoal.objects.filter(plan=OuterRef("pk"))
    return with_progress(plans, timezone.localdate()).annotate(
        goals_total=_count(goals),
        **{
            f"goals_{evaluation}": _count(goals, evaluation=evaluation)
            for evaluation in GoalEvaluation.values
        },
    )


def _offering_ids() -> Prefetch:
    return Prefetch("offerings", queryset=ServiceOffering.objects.only("id"))


def plan_api_list(*, user) -> QuerySet[OnboardingPlan]:
    """The plans of the accounts the user may see, with their figures and offering ids (two queries)."""
    return _with_figures(plan_scope(user)).prefetch_related(_offering_ids())


def plan_api_get(*, user, pk: int, brief: bool = False) -> OnboardingPlan:
    """One plan with its account (the services read it), figures and offering ids; 404 for a plan the
    user may not see. `brief` leaves out the figures and offerings, for reads of its goals or actions."""
    plans = OnboardingPlan.objects.select_related("organization")
    if not brief:
        plans = _with_figures(plans).prefetch_related(_offering_ids())
    try:
        plan = plans.get(pk=pk)
    except OnboardingPlan.DoesNotExist:
        raise _not_found() from None
    if not organization_is_visible(user, plan.organization):
        raise _not_found()
    return plan


def plan_api_shows_reasons(user, plan: OnboardingPlan) -> bool:
    """Whether the user reads why a confidential plan's consumer leaves and its lessons learned: only
    those who may change the account do (the desk and analysts read that the plan is confidential)."""
    return not plan.confidential or roles.may_manage_accounts(user)


# --- goals ----------------------------------------------------------------------------------------


def goal_api_list(*, user, plan: OnboardingPlan) -> QuerySet[PlanGoal]:
    """The goals of a plan the caller already read through plan_api_get, in the plan's order."""
    return PlanGoal.objects.filter(plan=plan).order_by("position", "id")


def goal_api_get(*, user, pk: int) -> PlanGoal:
    """One goal with its plan and account (the services read both); 404 for one the user may not see."""
    try:
        goal = PlanGoal.objects.select_related("plan__organization").get(pk=pk)
    except PlanGoal.DoesNotExist:
        raise _not_found() from None
    if not organization_is_visible(user, goal.plan.organization):
        raise _not_found()
    return goal


# --- actions --------------------------------------------------------------------------------------


def _action_scope(user) -> QuerySet[PlanAction]:
    if roles.sees_whole_portfolio(user):
        return PlanAction.objects.all()
    if not getattr(user, "is_authenticated", False):
        return PlanAction.objects.none()
    return PlanAction.objects.filter(Q(plan__organization__in=organization_scope(user)) | Q(owner_user=user))


def _for_output(actions: QuerySet[PlanAction]) -> QuerySet[PlanAction]:
    """With the account's id, whether it is overdue, whether it still waits for an open action, and
    the ids of the actions it waits for (one prefetch)."""
    open_prerequisites = ActionDependency.objects.filter(action=OuterRef("pk")).exclude(
        depends_on__status__in=CLOSED_ACTION_STATUSES
    )
    overdue = Q(due_on__lt=timezone.localdate()) & ~Q(status__in=CLOSED_ACTION_STATUSES)
    return actions.annotate(
        organization_id=F("plan__organization_id"),
        is_overdue=ExpressionWrapper(overdue, output_field=BooleanField()),
        waits_for_open_action=Exists(open_prerequisites),
    ).prefetch_related(
        Prefetch(
            "dependency_links",
            queryset=ActionDependency.objects.only("id", "action_id", "depends_on_id").order_by(
                "depends_on_id"
            ),
        )
    )


def action_api_list(*, user, plan: OnboardingPlan | None = None) -> QuerySet[PlanAction]:
    """The actions the user may see (of one plan, read through plan_api_get, when given)."""
    actions = PlanAction.objects.filter(plan=plan) if plan is not None else _action_scope(user)
    return _for_output(actions)


def action_api_open(actions: QuerySet[PlanAction], open_: bool) -> QuerySet[PlanAction]:
    """Narrow to the actions neither done nor cancelled (or to those that are)."""
    return (
        actions.exclude(status__in=CLOSED_ACTION_STATUSES)
        if open_
        else actions.filter(status__in=CLOSED_ACTION_STATUSES)
    )


def action_api_overdue(actions: QuerySet[PlanAction], overdue: bool) -> QuerySet[PlanAction]:
    """Narrow to the actions still open after their due date (or to the others)."""
    condition = Q(due_on__lt=timezone.localdate()) & ~Q(status__in=CLOSED_ACTION_STATUSES)
    return actions.filter(condition) if overdue else actions.exclude(condition)


def action_api_get(*, user, pk: int, brief: bool = False) -> PlanAction:
    """One action with its plan and account (the services read both) and what its output shows; 404
    for one the user may not see. `brief` leaves out the output's figures, for reads of its comments."""
    actions = PlanAction.objects.select_related("plan__organization")
    try:
        action = (actions if brief else _for_output(actions)).get(pk=pk)
    except PlanAction.DoesNotExist:
        raise _not_found() from None
    if action.owner_user_id != user.pk and not organization_is_visible(user, action.plan.organization):
        raise _not_found()
    return action


def action_api_comments(*, user, action: PlanAction) -> QuerySet[ActionComment]:
    """The comments on an action read through action_api_get, oldest first."""
    return ActionComment.objects.filter(action=action).order_by("created_at", "id")
