"""Writes of a plan's goals: measurable outcomes with a target and a date, and their evaluation.

A plan is judged on its goals, not only on its actions: it completes only when every goal is evaluated
as achieved (see plan_complete_if_done), so evaluating the last one may complete it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from journeys.base import ApplicationError
from onboarding.models import GoalEvaluation, GoalTemplate, OnboardingPlan, PlanGoal
from onboarding.services.common import (
    check_choice,
    check_date,
    check_text,
    fail,
    require_may_change,
    require_open,
    save,
)
from onboarding.services.plans import plan_complete_if_done

__all__ = ["GOAL_FIELDS", "goal_create", "goal_delete", "goal_evaluate", "goal_update"]

GOAL_FIELDS = ("template", "description", "metric", "target", "target_date", "position")
_TEXT = ("description", "metric", "target")


def _check(goal: PlanGoal, plan: OnboardingPlan) -> None:
    errors: dict[str, list[str]] = {}
    check_text(
        errors,
        PlanGoal,
        "description",
        goal.description,
        required=True,
        example="all branch staff book cars online",
    )
    check_text(
        errors, PlanGoal, "metric", goal.metric, required=True, example="share of bookings made online"
    )
    check_text(errors, PlanGoal, "target", goal.target, required=True, example="90 %")
    check_choice(errors, "template", goal.template, GoalTemplate, "kind of goal")
    check_date(errors, "target_date", goal.target_date)
    if "target_date" not in errors and goal.target_date < plan.starts_on:
        errors["target_date"] = [
            f"The target date comes before the plan starts ({plan.starts_on:%-d %b %Y})."
        ]
    if isinstance(goal.position, bool) or not isinstance(goal.position, int) or goal.position < 0:
        errors["position"] = ["Give the position as a whole number, 0 or more."]
    fail(errors)


def _apply(goal: PlanGoal, fields: dict[str, Any]) -> None:
    unknown = sorted(set(fields) - set(GOAL_FIELDS))
    if unknown:
        raise ApplicationError(
            f"Unknown field: {', '.join(unknown)}.", fields={n: ["Unknown field."] for n in unknown}
        )
    for name, value in fields.items():
        if name in _TEXT:
            value = (value or "").strip()
        elif name == "template":
            value = value or ""
        setattr(goal, name, value)


@transaction.atomic
def goal_create(
    *,
    actor,
    plan: OnboardingPlan,
    description: str,
    metric: str,
    target: str,
    target_date: date,
    **fields: Any,
) -> PlanGoal:
    require_may_change(actor, plan.organization)
    require_open(plan)
    goal = PlanGoal(plan=plan, position=plan.goals.count())
    _apply(
        goal,
        {
            "description": description,
            "metric": metric,
            "target": target,
            "target_date": target_date,
            **fields,
        },
    )
    _check(goal, plan)
    save(goal)
    return goal


@transaction.atomic
def goal_update(*, actor, goal: PlanGoal, **fields: Any) -> PlanGoal:
    plan = goal.plan
    require_may_change(actor, plan.organization)
    require_open(plan)
    _apply(goal, fields)
    _check(goal, plan)
    save(goal)
    return goal


@transaction.atomic
def goal_delete(*, actor, goal: PlanGoal) -> None:
    plan = goal.plan
    require_may_change(actor, plan.organization)
    require_open(plan)
    goal.delete()
    plan_complete_if_done(plan_id=plan.pk)


@transaction.atomic
def goal_evaluate(
    *, actor, goal: PlanGoal, evaluation: str, result: str = "", evidence: str = ""
) -> PlanGoal:
    """Record how the goal turned out: the value measured and what shows it. An achieved goal needs the
    value measured (success is shown, not declared). The last achieved goal of a plan whose actions are
    all done completes it."""
    plan = goal.plan
    require_may_change(actor, plan.organization)
    require_open(plan)
    errors: dict[str, list[str]] = {}
    check_choice(errors, "evaluation", evaluation, GoalEvaluation, "goal evaluation", blank=False)
    result, evidence = (result or "").strip(), (evidence or "").strip()
    check_text(errors, PlanGoal, "result", result)
    if (
        evaluation in (GoalEvaluation.ACHIEVED, GoalEvaluation.PARTIALLY, GoalEvaluation.NOT_ACHIEVED)
        and not result
    ):
        errors["result"] = [f"Give the value measured against the target ({goal.target})."]
    fail(errors)
    goal.evaluation, goal.result, goal.evidence = evaluation, result, evidence
    pending = evaluation == GoalEvaluation.PENDING
    goal.evaluated_at = None if pending else timezone.now()
    goal.evaluated_by = None if pending else actor
    save(goal)
    plan_complete_if_done(plan_id=plan.pk)
    return goal
