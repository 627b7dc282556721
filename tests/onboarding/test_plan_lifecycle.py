"""An onboarding plan from an agreement's activation to the journey's next step: the plan made from
the offering's playbook (once, even when the event is handed out twice), the customer's review and
acceptance, the work, and completion, which moves the journey to Co-create; an offboarding plan's
completion closes the journey as left."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from agreements.models import AgreementStatus
from agreements.services import agreement_transition
from journeys.base import ApplicationError
from journeys.events import journey_events_dispatch_pending
from journeys.models import JourneyEvent, JourneyStatus, JourneyStep, JourneyStepChange
from onboarding import services
from onboarding.models import ActionStatus, GoalEvaluation, OnboardingPlan, PlanKind, PlanStatus
from tests.factories.agreements import AgreementFactory, ServiceLevelTargetFactory
from tests.factories.journeys import JourneyFactory, StakeholderFactory
from tests.factories.offerings import (
    OnboardingPlaybookFactory,
    PlaybookActionDependencyFactory,
    PlaybookActionFactory,
    ServiceOfferingFactory,
)
from tests.factories.onboarding import (
    ConsumerActionFactory,
    OffboardingPlanFactory,
    OnboardingPlanFactory,
    PlanActionFactory,
    PlanGoalFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def playbook():
    offering = ServiceOfferingFactory(name="Fleet booking portal")
    playbook = OnboardingPlaybookFactory(
        offering=offering, name="Standard onboarding", scope="Branch staff first"
    )
    kickoff = PlaybookActionFactory(
        playbook=playbook, title="Kick-off workshop", due_after_days=0, position=0
    )
    accounts = PlaybookActionFactory(
        playbook=playbook, title="Create user accounts", due_after_days=7, position=1
    )
    PlaybookActionFactory(
        playbook=playbook,
        title="Users complete the booking tutorial",
        owner_party="consumer",
        owner_role="Branch managers",
        due_after_days=14,
        position=2,
    )
    PlaybookActionDependencyFactory(action=accounts, depends_on=kickoff)
    return playbook


@pytest.fixture
def agreement(owner, account, playbook):
    contact = StakeholderFactory(organization=account, name="Ida Customer", is_customer=True)
    agreement = AgreementFactory(
        organization=account,
        status=AgreementStatus.AGREED,
        owner=owner,
        customer_contact=contact,
        review_cadence="quarterly",
        starts_on=timezone.localdate(),
        offerings=[playbook.offering],
    )
    ServiceLevelTargetFactory(agreement=agreement)
    return agreement


def activate(owner, agreement):
    agreement_transition(actor=owner, agreement=agreement, to_status=AgreementStatus.ACTIVE)
    journey_events_dispatch_pending()


def test_activating_an_agreement_makes_its_onboarding_plan_from_the_playbook(owner, account, agreement):
    journey = JourneyFactory(organization=account, current_step=JourneyStep.AGREE)

    activate(owner, agreement)

    plan = OnboardingPlan.objects.get(agreement=agreement)
    assert (plan.kind, plan.status, plan.owner, plan.customer_contact) == (
        PlanKind.ONBOARDING,
        PlanStatus.DRAFT,
        owner,
        agreement.customer_contact,
    )
    assert plan.starts_on == timezone.localdate() and plan.scope_notes == "Branch staff first"
    actions = list(plan.actions.order_by("position"))
    assert [(a.title, a.owner_party, (a.due_on - plan.starts_on).days) for a in actions] == [
        ("Kick-off workshop", "provider", 0),
        ("Create user accounts", "provider", 7),
        ("Users complete the booking tutorial", "consumer", 14),
    ]
    assert actions[0].owner_user == owner and actions[2].owner_stakeholder == agreement.customer_contact
    assert list(actions[1].depends_on.all()) == [actions[0]]
    journey.refresh_from_db()
    assert journey.current_step == JourneyStep.ONBOARD
    assert JourneyStepChange.objects.filter(journey=journey, to_step=JourneyStep.ONBOARD).count() == 1


def test_the_plan_is_made_once_even_when_the_event_is_handed_out_twice(owner, agreement):
    activate(owner, agreement)
    event = JourneyEvent.objects.get(event_type="agreement.status_changed", payload__to="active")

    services.plans_create_for_agreement(agreement_id=agreement.pk)
    JourneyEvent.objects.filter(pk=event.pk).update(dispatched_at=None)
    journey_events_dispatch_pending()

    assert OnboardingPlan.objects.filter(agreement=agreement).count() == 1


def test_an_agreement_without_a_playbook_makes_no_plan(owner, account):
    agreement = AgreementFactory(
        organization=account,
        status=AgreementStatus.AGREED,
        owner=owner,
        review_cadence="quarterly",
        starts_on=timezone.localdate(),
        offerings=[ServiceOfferingFactory()],
    )
    ServiceLevelTargetFactory(agreement=agreement)

    activate(owner, agreement)

    assert not OnboardingPlan.objects.exists()


def test_review_acceptance_work_and_goals_complete_the_plan_and_move_the_journey(owner, account, agreement):
    journey = JourneyFactory(organization=account, current_step=JourneyStep.AGREE)
    activate(owner, agreement)
    plan = OnboardingPlan.objects.get(agreement=agreement)
    goal = services.goal_create(
        actor=owner,
        plan=plan,
        description="Branch staff book online",
        metric="Share of bookings made online",
        target="80 %",
        target_date=plan.starts_on + timedelta(days=30),
    )

    services.plan_transition(actor=owner, plan=plan, to_status=PlanStatus.IN_REVIEW)
    services.plan_accept(actor=owner, plan=plan, accepted_by=agreement.customer_contact, note="Fine by us")
    kickoff, accounts, tutorial = plan.actions.order_by("position")
    services.action_set_status(actor=owner, action=kickoff, status=ActionStatus.DONE)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.IN_PROGRESS  # the first action done started the work
    services.action_set_status(actor=owner, action=accounts, status=ActionStatus.DONE, evidence="Ticket 4711")
    _link, token = services.link_issue(action=tutorial)
    services.link_mark_done(token=token, evidence="All 40 users passed")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.IN_PROGRESS  # the goal is not yet achieved: outcomes, not outputs

    services.goal_evaluate(actor=owner, goal=goal, evaluation=GoalEvaluation.ACHIEVED, result="86 %")

    plan.refresh_from_db()
    journey.refresh_from_db()
    assert plan.status == PlanStatus.COMPLETED and plan.completed_at is not None
    assert journey.current_step == JourneyStep.CO_CREATE
    change = JourneyStepChange.objects.filter(journey=journey).latest("changed_at")
    assert (change.from_step, change.to_step) == (JourneyStep.ONBOARD, JourneyStep.CO_CREATE)
    assert "Onboarding completed" in change.note


def test_an_onboarding_plan_starts_only_once_the_customer_accepted_it(owner, account):
    plan = OnboardingPlanFactory(organization=account, status=PlanStatus.DRAFT)

    with pytest.raises(ApplicationError) as refused:
        services.plan_transition(actor=owner, plan=plan, to_status=PlanStatus.IN_PROGRESS)

    assert refused.value.code == "not_accepted"
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


def test_sending_for_review_needs_a_contact_and_an_action(owner, account):
    plan = OnboardingPlanFactory(organization=account, status=PlanStatus.DRAFT)

    with pytest.raises(ApplicationError) as refused:
        services.plan_transition(actor=owner, plan=plan, to_status=PlanStatus.IN_REVIEW)

    assert set(refused.value.fields) == {"customer_contact", "actions"}


def test_completing_by_hand_is_refused(owner, account):
    plan = OnboardingPlanFactory(organization=account)

    with pytest.raises(ApplicationError) as refused:
        services.plan_transition(actor=owner, plan=plan, to_status=PlanStatus.COMPLETED)

    assert "completes by itself" in refused.value.message


def test_completing_an_offboarding_plan_closes_the_journey_as_left(owner, account):
    journey = JourneyFactory(organization=account, current_step=JourneyStep.REALIZE)
    plan = OffboardingPlanFactory(organization=account, journey=journey)
    first = PlanActionFactory(plan=plan)
    second = PlanActionFactory(plan=plan)

    services.action_set_status(actor=owner, action=first, status=ActionStatus.DONE)
    services.action_set_status(actor=owner, action=second, status=ActionStatus.CANCELLED)

    plan.refresh_from_db()
    journey.refresh_from_db()
    assert plan.status == PlanStatus.COMPLETED
    assert journey.status == JourneyStatus.LEFT and journey.ended_at is not None
    assert JourneyEvent.objects.filter(event_type="journey.ended", journey=journey).count() == 1


def test_an_offboarding_plan_starts_with_the_actions_every_exit_needs(owner, account):
    plan = services.plan_create(
        actor=owner,
        organization=account,
        title="Offboarding the Utrecht branch",
        starts_on=timezone.localdate(),
        kind=PlanKind.OFFBOARDING,
        reason="provider_switch",
        offboarding_kind="user",
    )

    areas = list(plan.actions.order_by("position").values_list("area", flat=True))
    assert areas == [
        "communication",
        "access_removal",
        "data_handover",
        "equipment_return",
        "exit_survey",
        "lessons_learned",
    ]


def test_an_offboarding_plan_needs_a_reason(owner, account):
    with pytest.raises(ApplicationError) as refused:
        services.plan_create(
            actor=owner,
            organization=account,
            title="Leaving",
            starts_on=timezone.localdate(),
            kind=PlanKind.OFFBOARDING,
        )

    assert "reason" in refused.value.fields
    assert not OnboardingPlan.objects.exists()


def test_a_plan_ending_before_it_starts_names_the_field_and_saves_nothing(owner, account):
    today = timezone.localdate()

    with pytest.raises(ApplicationError) as refused:
        services.plan_create(
            actor=owner,
            organization=account,
            title="Onboarding",
            starts_on=today,
            ends_on=today - timedelta(days=1),
        )

    assert list(refused.value.fields) == ["ends_on"]
    assert not OnboardingPlan.objects.exists()


def test_persons_who_may_not_change_the_account_are_refused(teammate, outsider, desk, account):
    plan = OnboardingPlanFactory(organization=account, status=PlanStatus.DRAFT)

    services.plan_update(actor=teammate, plan=plan, title="Renamed by the teammate")
    with pytest.raises(Http404):
        services.plan_update(actor=outsider, plan=plan, title="Renamed by an outsider")
    with pytest.raises(PermissionDenied):
        services.plan_update(actor=desk, plan=plan, title="Renamed by the desk")

    plan.refresh_from_db()
    assert plan.title == "Renamed by the teammate"


def test_a_completed_plan_no_longer_changes(owner, account):
    plan = OnboardingPlanFactory(organization=account, status=PlanStatus.COMPLETED)

    with pytest.raises(ApplicationError) as refused:
        services.plan_update(actor=owner, plan=plan, title="Changed")

    assert refused.value.status == 409


def test_a_consumer_owner_action_is_counted_like_any_other(owner, account):
    plan = OnboardingPlanFactory(organization=account)
    action = ConsumerActionFactory(plan=plan)
    PlanGoalFactory(plan=plan, evaluation=GoalEvaluation.ACHIEVED, result="95 %")

    _link, token = services.link_issue(action=action)
    services.link_mark_done(token=token)

    plan.refresh_from_db()
    assert plan.status == PlanStatus.COMPLETED


def test_a_start_far_beyond_any_plan_is_refused_naming_the_field(owner, account, playbook):
    with pytest.raises(ApplicationError) as refused:
        services.plan_create_from_playbook(
            actor=owner, organization=account, playbook=playbook, starts_on=date(9999, 12, 30)
        )

    assert list(refused.value.fields) == ["starts_on"]
    assert not OnboardingPlan.objects.exists()


def test_a_plan_from_a_playbook_takes_only_the_accounts_own_agreement(
    owner, account, other_account, playbook
):
    elsewhere = AgreementFactory(organization=other_account)

    with pytest.raises(ApplicationError) as refused:
        services.plan_create_from_playbook(
            actor=owner,
            organization=account,
            playbook=playbook,
            starts_on=timezone.localdate(),
            agreement=elsewhere,
        )

    assert list(refused.value.fields) == ["agreement"]
    assert not OnboardingPlan.objects.exists()


def test_a_group_of_users_leaving_does_not_end_the_journey(owner, account):
    journey = JourneyFactory(organization=account, current_step=JourneyStep.CO_CREATE)
    plan = OffboardingPlanFactory(organization=account, journey=journey, offboarding_kind="user")
    action = PlanActionFactory(plan=plan)

    services.action_set_status(actor=owner, action=action, status=ActionStatus.DONE)

    plan.refresh_from_db()
    journey.refresh_from_db()
    assert plan.status == PlanStatus.COMPLETED
    assert (journey.status, journey.current_step) == (JourneyStatus.ACTIVE, JourneyStep.CO_CREATE)


def test_a_plan_made_by_hand_follows_the_journey_in_agree_not_one_about_something_else(owner, account):
    JourneyFactory(organization=account, current_step=JourneyStep.OFFER, name="Mortgage advice")
    agree = JourneyFactory(organization=account, current_step=JourneyStep.AGREE, name="Fleet booking")

    plan = services.plan_create(
        actor=owner, organization=account, title="Onboarding", starts_on=timezone.localdate()
    )

    assert plan.journey == agree
