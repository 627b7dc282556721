"""The demo shows Onboard: plans at every stage (a draft, one in customer review, one accepted, two
under way, one completed, an offboarding under way and one completed), goals with metrics, targets and
evaluations, and actions owned on both sides with dependencies, comments and overdue work. Completed
plans moved their journeys on as the services would have; seeding records no journey events, keeps
the services' rules, and seeding again changes nothing."""

from collections import Counter
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from dsv.demo import accounts
from dsv.demo.builder import demo_seed
from dsv.demo.offer import BRENNA, HARBOURVIEW, SKYPORT
from dsv.demo.onboard import PLANS, reset_onboard, seed_onboard
from journeys.models import JourneyEvent, JourneyStatus, JourneyStep
from offerings.models import OwnerParty
from onboarding.models import (
    ActionComment,
    ActionDependency,
    ActionLink,
    ActionReminder,
    ActionStatus,
    GoalEvaluation,
    OnboardingPlan,
    PlanAction,
    PlanGoal,
    PlanKind,
    PlanStatus,
    RelationshipDigest,
)

pytestmark = pytest.mark.django_db

CLOSED = (ActionStatus.DONE, ActionStatus.CANCELLED)


@pytest.fixture
def demo(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return demo_seed()


def demo_users() -> dict:
    return {user.username: user for user in get_user_model().objects.filter(username__in=accounts.DEMO_USERS)}


def onboard_rows() -> dict[str, int]:
    return {
        "plans": OnboardingPlan.objects.count(),
        "plan history": OnboardingPlan.history.count(),
        "goals": PlanGoal.objects.count(),
        "actions": PlanAction.objects.count(),
        "action history": PlanAction.history.count(),
        "dependencies": ActionDependency.objects.count(),
        "comments": ActionComment.objects.count(),
        "links": ActionLink.objects.count(),
        "reminders": ActionReminder.objects.count(),
        "digests": RelationshipDigest.objects.count(),
    }


def test_the_demo_has_plans_at_every_stage(demo):
    plans = list(OnboardingPlan.objects.select_related("organization", "journey"))

    assert len(plans) == len(PLANS)
    onboarding = Counter(plan.status for plan in plans if plan.kind == PlanKind.ONBOARDING)
    assert onboarding == {
        PlanStatus.DRAFT: 1,
        PlanStatus.IN_REVIEW: 1,
        PlanStatus.ACCEPTED: 1,
        PlanStatus.IN_PROGRESS: 2,
        PlanStatus.COMPLETED: 1,
    }
    offboarding = Counter(plan.status for plan in plans if plan.kind == PlanKind.OFFBOARDING)
    assert offboarding == {PlanStatus.IN_PROGRESS: 1, PlanStatus.COMPLETED: 1}
    for plan in plans:
        assert plan.owner == plan.organization.owner
        assert plan.customer_contact.organization_id == plan.organization_id
        assert plan.customer_contact.is_active
        assert plan.offerings.exists()
        accepted = (PlanStatus.ACCEPTED, PlanStatus.IN_PROGRESS, PlanStatus.COMPLETED)
        if plan.kind == PlanKind.ONBOARDING and plan.status in accepted:
            assert plan.accepted_by.organization_id == plan.organization_id
            assert plan.accepted_at is not None
        if plan.kind == PlanKind.OFFBOARDING:
            assert plan.reason
            assert plan.offboarding_kind
            assert not plan.confidential
        if plan.status in (PlanStatus.DRAFT, PlanStatus.IN_REVIEW, PlanStatus.ACCEPTED):
            assert not plan.actions.exclude(status=ActionStatus.PLANNED).exists()


def test_plan_histories_follow_the_lifecycle_and_end_where_the_plan_is(demo):
    for plan in OnboardingPlan.objects.all():
        rows = list(plan.history.order_by("history_date"))

        assert rows[0].status == PlanStatus.DRAFT
        assert rows[0].history_type == "+"
        assert rows[-1].status == plan.status
        assert rows[-1].history_date == plan.status_changed_at
        assert all(row.history_date <= timezone.now() for row in rows)


def test_goals_have_metrics_targets_and_evaluations(demo):
    goals = list(PlanGoal.objects.select_related("plan"))

    for plan in OnboardingPlan.objects.filter(kind=PlanKind.ONBOARDING):
        assert plan.goals.exists(), plan
    for goal in goals:
        assert goal.metric and goal.target
        assert goal.target_date >= goal.plan.starts_on
        if goal.evaluation != GoalEvaluation.PENDING:
            assert goal.result and goal.evaluated_at and goal.evaluated_by
    evaluations = {goal.evaluation for goal in goals}
    assert {GoalEvaluation.PENDING, GoalEvaluation.PARTIALLY, GoalEvaluation.ACHIEVED} <= evaluations


def test_the_completed_onboarding_moved_its_journey_to_co_create(demo):
    plan = OnboardingPlan.objects.get(kind=PlanKind.ONBOARDING, status=PlanStatus.COMPLETED)

    assert plan.organization.name == SKYPORT
    assert not plan.actions.exclude(status__in=CLOSED).exists()
    assert not plan.goals.exclude(evaluation=GoalEvaluation.ACHIEVED).exists()
    assert plan.journey.current_step == JourneyStep.CO_CREATE
    change = plan.journey.step_changes.get(to_step=JourneyStep.CO_CREATE)
    assert change.from_step == JourneyStep.ONBOARD
    assert change.changed_at == plan.completed_at
    assert plan.title in change.note
    assert plan.actions.order_by("-completed_at").first().completed_at < plan.completed_at


def test_the_completed_offboarding_closed_its_journey_as_left(demo):
    plan = OnboardingPlan.objects.get(kind=PlanKind.OFFBOARDING, status=PlanStatus.COMPLETED)

    assert plan.organization.name == BRENNA
    assert plan.journey.status == JourneyStatus.LEFT
    assert plan.completed_at == plan.journey.ended_at
    assert plan.lessons_learned
    assert not plan.actions.exclude(status__in=CLOSED).exists()
    assert set(plan.actions.values_list("area", flat=True)) >= {
        "access_removal",
        "data_handover",
        "equipment_return",
        "exit_survey",
        "lessons_learned",
    }


def test_a_plan_under_way_has_overdue_actions_on_both_sides_with_dependencies_and_comments(demo):
    today = timezone.localdate()
    plan = OnboardingPlan.objects.get(organization__name=HARBOURVIEW)
    overdue = plan.actions.filter(due_on__lt=today).exclude(status__in=CLOSED)

    assert plan.status == PlanStatus.IN_PROGRESS
    assert overdue.filter(owner_party=OwnerParty.PROVIDER).exists()
    consumer = overdue.filter(owner_party=OwnerParty.CONSUMER, owner_stakeholder__isnull=False)
    assert consumer.exists()
    assert all(action.owner_stakeholder.organization_id == plan.organization_id for action in consumer)
    assert overdue.filter(status=ActionStatus.BLOCKED).exists()
    assert plan.actions.filter(due_on__gte=today).exists()
    assert ActionDependency.objects.filter(action__plan=plan).count() >= 10
    comments = ActionComment.objects.filter(action__plan=plan)
    assert comments.filter(author_user__isnull=False).exists()
    assert comments.filter(author_stakeholder__isnull=False).exists()
    assert all(comment.created_at < timezone.now() for comment in comments)
    # Their owners heard about them: a reminder every day they were overdue, up to yesterday.
    for action in overdue.filter(owner_user__isnull=False):
        days = set(action.reminders.values_list("day", flat=True))
        assert {action.due_on + timedelta(days=n) for n in range((today - action.due_on).days)} <= days
        assert today not in days


def test_every_plan_keeps_the_services_rules(demo):
    for action in PlanAction.objects.select_related("plan", "owner_user", "owner_stakeholder"):
        plan = action.plan
        assert action.due_on >= plan.starts_on
        if action.owner_party == OwnerParty.PROVIDER:
            assert action.owner_stakeholder is None
        else:
            assert action.owner_user is None
            if action.owner_stakeholder:
                assert action.owner_stakeholder.organization_id == plan.organization_id
        if action.status == ActionStatus.DONE:
            assert action.completed_at is not None
            assert (action.completed_by is None) != (action.completed_by_stakeholder is None)
            for prerequisite in action.depends_on.all():
                assert prerequisite.status == ActionStatus.DONE
                assert prerequisite.completed_at <= action.completed_at
        else:
            assert action.completed_at is None
    for link in ActionLink.objects.select_related("action"):
        # Only used links: the demo holds no link that still works.
        assert link.used_at is not None
        assert link.stakeholder_id == link.action.owner_stakeholder_id


def test_seeding_records_no_journey_events(demo):
    assert not JourneyEvent.objects.exists()


def test_seeding_again_changes_nothing_and_reset_removes_it_all(demo):
    users = demo_users()
    now = timezone.now()
    first = onboard_rows()

    assert seed_onboard(users=users, now=now) == len(PLANS)
    assert onboard_rows() == first
    assert first["reminders"] > 0 and first["digests"] > 0 and first["links"] > 0

    reset_onboard()

    assert set(onboard_rows().values()) == {0}
