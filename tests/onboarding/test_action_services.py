"""Planning actions and moving their status: due dates within the plan, owners on the right side,
dependencies without circles, no "done" while a prerequisite is open; bad input names the field and
writes nothing."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied

from journeys.base import ApplicationError
from onboarding import services
from onboarding.models import ActionDependency, ActionStatus, PlanAction, PlanStatus
from tests.factories.journeys import StakeholderFactory
from tests.factories.onboarding import (
    ActionDependencyFactory,
    ConsumerActionFactory,
    OnboardingPlanFactory,
    PlanActionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(account, owner):
    return OnboardingPlanFactory(organization=account, owner=owner, status=PlanStatus.IN_PROGRESS)


def rows():
    return (
        list(PlanAction.objects.order_by("pk").values_list("pk", "title", "status", "due_on")),
        list(ActionDependency.objects.order_by("pk").values_list("action_id", "depends_on_id")),
    )


def test_an_action_is_planned_with_its_owner_and_prerequisites(owner, plan):
    kickoff = PlanActionFactory(plan=plan, title="Kick-off")

    action = services.action_create(
        actor=owner,
        plan=plan,
        title="Create user accounts",
        due_on=plan.starts_on + timedelta(days=3),
        owner_user=owner,
        depends_on=[kickoff.pk],
    )

    assert list(action.depends_on.all()) == [kickoff]
    assert action.owner_user == owner and action.status == ActionStatus.PLANNED


def test_an_action_due_before_the_plan_starts_is_refused(owner, plan):
    before = rows()

    with pytest.raises(ApplicationError) as refused:
        services.action_create(
            actor=owner, plan=plan, title="Too early", due_on=plan.starts_on - timedelta(days=1)
        )

    assert list(refused.value.fields) == ["due_on"]
    assert "before the plan starts" in refused.value.fields["due_on"][0]
    assert rows() == before


def test_a_dependency_circle_is_refused_naming_the_actions_on_it(owner, plan):
    first = PlanActionFactory(plan=plan, title="Install the app")
    second = PlanActionFactory(plan=plan, title="Configure single sign-on")
    third = PlanActionFactory(plan=plan, title="Test with pilot users")
    ActionDependencyFactory(action=second, depends_on=first)
    ActionDependencyFactory(action=third, depends_on=second)
    before = rows()

    with pytest.raises(ApplicationError) as refused:
        services.action_update(actor=owner, action=first, depends_on=[third.pk], title="Renamed")

    message = refused.value.fields["depends_on"][0]
    assert "circle" in message and "“Install the app”" in message and "“Test with pilot users”" in message
    assert rows() == before


def test_an_action_cannot_wait_for_itself_or_another_plans_action(owner, plan, account):
    action = PlanActionFactory(plan=plan)
    elsewhere = PlanActionFactory(plan=OnboardingPlanFactory(organization=account))

    with pytest.raises(ApplicationError) as itself:
        services.action_update(actor=owner, action=action, depends_on=[action.pk])
    with pytest.raises(ApplicationError) as other_plan:
        services.action_update(actor=owner, action=action, depends_on=[elsewhere.pk])

    assert itself.value.fields["depends_on"] == ["An action cannot wait for itself."]
    assert "No action of this plan" in other_plan.value.fields["depends_on"][0]


def test_marking_done_while_a_prerequisite_is_open_is_refused(owner, plan):
    prerequisite = PlanActionFactory(plan=plan, title="Order the laptops")
    action = PlanActionFactory(plan=plan, title="Hand out the laptops")
    ActionDependencyFactory(action=action, depends_on=prerequisite)
    before = rows()

    with pytest.raises(ApplicationError) as refused:
        services.action_set_status(actor=owner, action=action, status=ActionStatus.DONE, evidence="Signed")

    assert refused.value.status == 409
    assert "“Order the laptops”" in refused.value.fields["status"][0]
    assert rows() == before
    action.refresh_from_db()
    assert action.evidence == ""


def test_a_cancelled_prerequisite_no_longer_holds_an_action_back(owner, plan):
    prerequisite = PlanActionFactory(plan=plan, status=ActionStatus.CANCELLED)
    action = PlanActionFactory(plan=plan)
    PlanActionFactory(plan=plan)  # keeps the plan open
    ActionDependencyFactory(action=action, depends_on=prerequisite)

    services.action_set_status(actor=owner, action=action, status=ActionStatus.DONE)

    action.refresh_from_db()
    assert action.status == ActionStatus.DONE and action.completed_by == owner


def test_reopening_a_done_action_forgets_who_completed_it(owner, plan):
    action = PlanActionFactory(plan=plan)
    PlanActionFactory(plan=plan)
    services.action_set_status(actor=owner, action=action, status=ActionStatus.DONE)

    services.action_set_status(actor=owner, action=action, status=ActionStatus.IN_PROGRESS)

    action.refresh_from_db()
    assert (action.status, action.completed_at, action.completed_by) == (ActionStatus.IN_PROGRESS, None, None)


def test_an_owner_must_be_on_the_side_that_does_the_action(owner, plan, other_account):
    stranger = StakeholderFactory(organization=other_account)

    with pytest.raises(ApplicationError) as refused:
        services.action_create(
            actor=owner,
            plan=plan,
            title="Users read the guide",
            due_on=plan.starts_on,
            owner_party="consumer",
            owner_stakeholder=stranger,
        )

    assert refused.value.fields == {
        "owner_stakeholder": ["Choose one of this account's people as the owner."]
    }


def test_a_desk_agent_may_move_the_action_they_own_but_no_other(desk, plan):
    theirs = PlanActionFactory(plan=plan, owner_user=desk)
    other = PlanActionFactory(plan=plan)

    services.action_set_status(actor=desk, action=theirs, status=ActionStatus.IN_PROGRESS)
    with pytest.raises(PermissionDenied):
        services.action_set_status(actor=desk, action=other, status=ActionStatus.IN_PROGRESS)

    other.refresh_from_db()
    assert other.status == ActionStatus.PLANNED


def test_a_comment_needs_words(owner, plan):
    action = ConsumerActionFactory(plan=plan)

    with pytest.raises(ApplicationError) as refused:
        services.action_comment(actor=owner, action=action, body="   ")

    assert list(refused.value.fields) == ["body"]
    assert not action.comments.exists()
