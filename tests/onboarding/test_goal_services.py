"""A plan's goals: measurable, dated within the plan, and evaluated with the value measured."""

from datetime import timedelta

import pytest

from journeys.base import ApplicationError
from onboarding import services
from onboarding.models import GoalEvaluation, PlanGoal, PlanStatus
from tests.factories.onboarding import OnboardingPlanFactory, PlanGoalFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(account, owner):
    return OnboardingPlanFactory(organization=account, owner=owner, status=PlanStatus.IN_PROGRESS)


def test_a_goal_names_its_metric_target_and_date(owner, plan):
    goal = services.goal_create(
        actor=owner,
        plan=plan,
        description="Branch staff book cars online",
        metric="Share of bookings made online",
        target="80 %",
        target_date=plan.starts_on + timedelta(days=45),
        template="migrate_to_agreed_services",
    )

    assert (goal.metric, goal.target, goal.evaluation) == ("Share of bookings made online", "80 %", "pending")


def test_a_goal_without_metric_or_target_or_with_a_date_before_the_plan_is_refused(owner, plan):
    with pytest.raises(ApplicationError) as refused:
        services.goal_create(
            actor=owner,
            plan=plan,
            description="Happy users",
            metric="",
            target=" ",
            target_date=plan.starts_on - timedelta(days=1),
        )

    assert set(refused.value.fields) == {"metric", "target", "target_date"}
    assert not PlanGoal.objects.exists()


def test_evaluating_a_goal_needs_the_value_measured(owner, plan):
    goal = PlanGoalFactory(plan=plan)

    with pytest.raises(ApplicationError) as refused:
        services.goal_evaluate(actor=owner, goal=goal, evaluation=GoalEvaluation.ACHIEVED)

    assert list(refused.value.fields) == ["result"]
    goal.refresh_from_db()
    assert goal.evaluation == GoalEvaluation.PENDING


def test_an_evaluation_records_who_and_when_and_can_be_taken_back(owner, plan):
    goal = PlanGoalFactory(plan=plan)

    services.goal_evaluate(actor=owner, goal=goal, evaluation=GoalEvaluation.PARTIALLY, result="60 %")
    goal.refresh_from_db()
    assert (goal.evaluation, goal.evaluated_by) == (GoalEvaluation.PARTIALLY, owner)

    services.goal_evaluate(actor=owner, goal=goal, evaluation=GoalEvaluation.PENDING)
    goal.refresh_from_db()
    assert (goal.evaluation, goal.evaluated_at, goal.evaluated_by) == (GoalEvaluation.PENDING, None, None)
