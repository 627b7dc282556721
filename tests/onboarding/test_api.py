"""Onboard's API: plans (list, filters, made by hand or from a playbook, changed, deleted, moved,
accepted), goals (added, changed, evaluated), actions (planned with owners and dependencies, moved,
commented), the incremental-sync list of actions, the shapes, the error envelope and the query counts.

Who may do what is in test_api_permissions.py."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from journeys.models import JourneyStep
from onboarding.models import (
    ActionComment,
    ActionDependency,
    ActionStatus,
    OnboardingPlan,
    PlanAction,
    PlanGoal,
    PlanStatus,
)
from tests.factories.agreements import AgreementFactory
from tests.factories.journeys import StakeholderFactory
from tests.factories.offerings import (
    OnboardingPlaybookFactory,
    PlaybookActionDependencyFactory,
    PlaybookActionFactory,
    ServiceOfferingFactory,
)
from tests.factories.onboarding import (
    ActionCommentFactory,
    ActionDependencyFactory,
    ConsumerActionFactory,
    OffboardingPlanFactory,
    OnboardingPlanFactory,
    PlanActionFactory,
    PlanGoalFactory,
)

pytestmark = pytest.mark.django_db

PLAN_FIELDS = {
    "id",
    "organization",
    "journey",
    "agreement",
    "playbook",
    "kind",
    "title",
    "status",
    "status_changed_at",
    "allowed_transitions",
    "starts_on",
    "ends_on",
    "scenario",
    "start_trigger",
    "control_approach",
    "offerings",
    "user_groups",
    "locations",
    "user_count",
    "scope_notes",
    "owner",
    "customer_contact",
    "accepted_at",
    "accepted_by",
    "acceptance_note",
    "completed_at",
    "offboarding_kind",
    "reason",
    "confidential",
    "lessons_learned",
    "progress",
    "goal_summary",
    "created_at",
    "updated_at",
}
GOAL_FIELDS = {
    "id",
    "plan",
    "template",
    "description",
    "metric",
    "target",
    "target_date",
    "evaluation",
    "result",
    "evidence",
    "evaluated_at",
    "evaluated_by",
    "position",
    "created_at",
    "updated_at",
}
ACTION_FIELDS = {
    "id",
    "plan",
    "organization",
    "title",
    "description",
    "area",
    "owner_party",
    "owner_user",
    "owner_stakeholder",
    "owner_role",
    "due_on",
    "status",
    "allowed_transitions",
    "is_overdue",
    "waits_for_open_action",
    "depends_on",
    "evidence",
    "completed_at",
    "completed_by",
    "completed_by_stakeholder",
    "position",
    "playbook_action",
    "created_at",
    "updated_at",
}


def api(name, *args):
    return reverse(name, args=args)


def error_of(response) -> dict:
    assert set(response.json()) == {"error"}
    assert set(response.json()["error"]) == {"code", "message", "fields"}
    return response.json()["error"]


def today():
    return timezone.localdate()


@pytest.fixture
def start():
    return today() - timedelta(days=14)


@pytest.fixture
def contact(account):
    return StakeholderFactory(organization=account, name="Ana Ferreira", is_customer=True)


@pytest.fixture
def plan(account, owner, journey, start):
    return OnboardingPlanFactory(
        organization=account,
        owner=owner,
        journey=journey,
        title="Onboarding Rentwheel",
        status=PlanStatus.DRAFT,
        starts_on=start,
        ends_on=start + timedelta(days=60),
    )


@pytest.fixture
def accounts_ready(plan):
    """Provider action due soon, planned."""
    return PlanActionFactory(plan=plan, title="Create the depot accounts", due_on=today() + timedelta(days=3))


@pytest.fixture
def training(plan, accounts_ready):
    """Waits for the accounts."""
    action = PlanActionFactory(plan=plan, title="Train the super-users", due_on=today() + timedelta(days=10))
    ActionDependencyFactory(action=action, depends_on=accounts_ready)
    return action


def everything_written():
    return {
        "plans": list(OnboardingPlan.objects.order_by("pk").values_list("pk", "status", "updated_at")),
        "goals": list(PlanGoal.objects.order_by("pk").values_list("pk", "updated_at")),
        "actions": list(PlanAction.objects.order_by("pk").values_list("pk", "status", "updated_at")),
        "dependencies": list(ActionDependency.objects.order_by("pk").values_list("pk")),
        "comments": ActionComment.objects.count(),
    }


# --- plans: reading -------------------------------------------------------------------------------


def test_the_plan_list_holds_what_the_caller_may_see_with_progress_and_goals(
    token_client, owner, outsider, other_account, plan, start
):
    PlanActionFactory(plan=plan, status=ActionStatus.DONE)
    PlanActionFactory(plan=plan, status=ActionStatus.CANCELLED)
    PlanActionFactory(plan=plan, due_on=today() - timedelta(days=1))
    PlanActionFactory(plan=plan, due_on=today() + timedelta(days=5))
    PlanGoalFactory(plan=plan, evaluation="achieved", result="95 %")
    PlanGoalFactory(plan=plan)
    offering = ServiceOfferingFactory()
    plan.offerings.set([offering])
    OnboardingPlanFactory(organization=other_account, title="Theirs")

    mine = token_client(owner).get(api("api_onboard_plans")).json()
    theirs = token_client(outsider).get(api("api_onboard_plans")).json()

    assert [row["title"] for row in mine["results"]] == ["Onboarding Rentwheel"]
    assert [row["title"] for row in theirs["results"]] == ["Theirs"]
    row = mine["results"][0]
    assert set(row) == PLAN_FIELDS
    assert row["progress"] == {"done": 1, "total": 3, "overdue": 1, "percent": 33}
    assert row["goal_summary"] == {"total": 2, "pending": 1, "achieved": 1, "partially": 0, "not_achieved": 0}
    assert (row["status"], row["allowed_transitions"], row["offerings"]) == (
        "draft",
        ["in_review", "in_progress", "cancelled"],
        [offering.pk],
    )


def test_the_plan_list_filters(token_client, administrator, account, other_account, plan):
    agreement = AgreementFactory(organization=other_account)
    OffboardingPlanFactory(organization=other_account, title="Leaving", agreement=agreement)
    client = token_client(administrator)

    def titles(**query):
        response = client.get(api("api_onboard_plans"), query)
        assert response.status_code == 200, response.json()
        return sorted(row["title"] for row in response.json()["results"])

    assert titles(organization=account.pk) == ["Onboarding Rentwheel"]
    assert titles(kind="offboarding") == ["Leaving"]
    assert titles(status="draft") == ["Onboarding Rentwheel"]
    assert titles(agreement=agreement.pk) == ["Leaving"]
    assert titles(updated_since=(timezone.now() + timedelta(hours=1)).isoformat()) == []
    assert titles(updated_since=(timezone.now() - timedelta(hours=1)).isoformat()) == [
        "Leaving",
        "Onboarding Rentwheel",
    ]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"status": "finished"}, "status"),
        ({"kind": "handover"}, "kind"),
        ({"updated_since": "yesterday"}, "updated_since"),
    ],
)
def test_a_bad_plan_filter_answers_with_the_envelope(token_client, owner, query, field):
    response = token_client(owner).get(api("api_onboard_plans"), query)

    assert response.status_code == 400
    assert set(error_of(response)["fields"]) == {field}


def test_the_plan_list_costs_the_same_queries_at_any_size(
    token_client, owner, account, django_assert_num_queries
):
    client = token_client(owner)

    def add_plans(count):
        for _ in range(count):
            plan = OnboardingPlanFactory(organization=account)
            plan.offerings.set([ServiceOfferingFactory()])
            PlanActionFactory.create_batch(3, plan=plan)
            PlanGoalFactory(plan=plan)

    add_plans(2)
    # The token with the user, the plans with their figures, their offerings.
    with django_assert_num_queries(3):
        assert len(client.get(api("api_onboard_plans")).json()["results"]) == 2
    add_plans(6)
    with django_assert_num_queries(3):
        assert len(client.get(api("api_onboard_plans")).json()["results"]) == 8


def test_a_plan_reads_with_its_figures_and_404_for_outsiders(token_client, owner, outsider, plan):
    PlanActionFactory(plan=plan, status=ActionStatus.DONE)

    response = token_client(owner).get(api("api_onboard_plan", plan.pk))

    assert response.status_code == 200
    assert set(response.json()) == PLAN_FIELDS
    assert response.json()["progress"] == {"done": 1, "total": 1, "overdue": 0, "percent": 100}
    hidden = token_client(outsider).get(api("api_onboard_plan", plan.pk))
    assert hidden.status_code == 404 and error_of(hidden)["code"] == "not_found"
    assert token_client(owner).get(api("api_onboard_plan", plan.pk + 999)).status_code == 404


def test_a_confidential_plans_reasons_are_kept_from_those_who_may_not_change_it(
    token_client, owner, desk, analyst, account
):
    leaving = OffboardingPlanFactory(
        organization=account, reason="dispute", confidential=True, lessons_learned="Escalate earlier."
    )

    for persona, reason in ((owner, "dispute"), (desk, ""), (analyst, "")):
        body = token_client(persona).get(api("api_onboard_plan", leaving.pk)).json()
        assert (body["reason"], body["confidential"]) == (reason, True)
        assert body["lessons_learned"] == ("Escalate earlier." if reason else "")


# --- plans: writing -------------------------------------------------------------------------------


def test_a_plan_is_made_by_hand(token_client, owner, account, journey, contact):
    journey.current_step = JourneyStep.AGREE  # a plan follows the account's journey in Agree or Onboard
    journey.save()
    response = token_client(owner).post(
        api("api_onboard_plans"),
        {
            "organization": account.pk,
            "title": "Onboarding the depots",
            "starts_on": "2026-03-02",
            "ends_on": "2026-05-29",
            "scenario": "new_services",
            "user_groups": "Depot planners",
            "user_count": 120,
            "customer_contact": contact.pk,
        },
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["status"], body["kind"], body["owner"], body["journey"], body["customer_contact"]) == (
        "draft",
        "onboarding",
        owner.pk,
        journey.pk,
        contact.pk,
    )
    assert body["progress"] == {"done": 0, "total": 0, "overdue": 0, "percent": 0}


def test_a_plan_is_made_from_a_playbook_with_its_actions_and_dependencies(
    token_client, integrator, account, owner
):
    offering = ServiceOfferingFactory(name="Fleet booking")
    playbook = OnboardingPlaybookFactory(offering=offering, scope="All depots")
    first = PlaybookActionFactory(playbook=playbook, title="Create the accounts", due_after_days=2)
    second = PlaybookActionFactory(playbook=playbook, title="Train the planners", due_after_days=9)
    PlaybookActionDependencyFactory(action=second, depends_on=first)
    agreement = AgreementFactory(organization=account)

    response = token_client(integrator).post(
        api("api_onboard_plans"),
        {
            "organization": account.pk,
            "playbook": playbook.pk,
            "agreement": agreement.pk,
            "starts_on": "2026-03-02",
            "owner": owner.pk,
        },
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["playbook"], body["agreement"], body["offerings"], body["scope_notes"], body["owner"]) == (
        playbook.pk,
        agreement.pk,
        [offering.pk],
        "All depots",
        owner.pk,
    )
    assert body["title"] == "Onboarding Rentwheel Car Hire to Fleet booking"
    actions = token_client(integrator).get(api("api_onboard_plan_actions", body["id"])).json()
    assert [(row["title"], row["due_on"]) for row in actions] == [
        ("Create the accounts", "2026-03-04"),
        ("Train the planners", "2026-03-11"),
    ]
    assert actions[1]["depends_on"] == [actions[0]["id"]]


def test_a_playbook_plan_refuses_offboarding_and_another_accounts_agreement(
    token_client, administrator, account, other_account
):
    playbook = OnboardingPlaybookFactory()
    client = token_client(administrator)
    body = {"organization": account.pk, "playbook": playbook.pk, "starts_on": "2026-03-02"}

    offboarding = client.post(api("api_onboard_plans"), {**body, "kind": "offboarding", "reason": "other"})
    foreign = client.post(
        api("api_onboard_plans"), {**body, "agreement": AgreementFactory(organization=other_account).pk}
    )
    without_playbook = client.post(
        api("api_onboard_plans"),
        {
            "organization": account.pk,
            "title": "x",
            "starts_on": "2026-03-02",
            "agreement": AgreementFactory(organization=account).pk,
        },
    )

    assert offboarding.status_code == 400 and set(error_of(offboarding)["fields"]) == {"kind"}
    assert foreign.status_code == 400 and set(error_of(foreign)["fields"]) == {"agreement"}
    assert without_playbook.status_code == 400 and set(error_of(without_playbook)["fields"]) == {"agreement"}
    assert not OnboardingPlan.objects.exists()


def test_an_offboarding_plan_needs_its_reason_and_starts_with_the_exit_actions(token_client, owner, account):
    client = token_client(owner)
    body = {"organization": account.pk, "kind": "offboarding", "title": "Leaving", "starts_on": "2026-09-01"}

    refused = client.post(api("api_onboard_plans"), body)
    made = client.post(api("api_onboard_plans"), {**body, "reason": "provider_switch"})

    assert refused.status_code == 400 and set(error_of(refused)["fields"]) == {"reason"}
    assert made.status_code == 201
    assert made.json()["progress"]["total"] == 6
    areas = {row["area"] for row in client.get(api("api_onboard_plan_actions", made.json()["id"])).json()}
    assert {"access_removal", "data_handover", "equipment_return", "exit_survey", "lessons_learned"} <= areas


def test_a_plan_post_with_an_idempotency_key_creates_once(token_client, owner, account):
    client = token_client(owner)
    body = {"organization": account.pk, "title": "Onboarding", "starts_on": "2026-03-02"}

    first = client.post(api("api_onboard_plans"), body, HTTP_IDEMPOTENCY_KEY="plan-1")
    again = client.post(api("api_onboard_plans"), body, HTTP_IDEMPOTENCY_KEY="plan-1")
    other = client.post(api("api_onboard_plans"), {**body, "title": "Other"}, HTTP_IDEMPOTENCY_KEY="plan-1")

    assert (first.status_code, again.status_code, other.status_code) == (201, 201, 422)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert first.json() == again.json()
    assert OnboardingPlan.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"starts_on": "2026-06-01", "ends_on": "2026-05-01"}, "ends_on"),
        ({"starts_on": "2026-06-01", "title": ""}, "title"),
        ({"starts_on": "first of June"}, "starts_on"),
        ({"starts_on": "2026-06-01", "user_count": -1}, "user_count"),
        ({"starts_on": "2026-06-01", "scenario": "takeover"}, "scenario"),
        ({"starts_on": "2026-06-01", "colour": "red"}, "colour"),
        ({"title": "x"}, "starts_on"),
    ],
)
def test_bad_plan_input_names_its_field_and_saves_nothing(token_client, owner, account, body, field):
    response = token_client(owner).post(
        api("api_onboard_plans"), {"organization": account.pk, "title": "x", **body}
    )

    assert response.status_code == 400
    assert set(error_of(response)["fields"]) == {field}
    assert not OnboardingPlan.objects.exists()


def test_an_invisible_account_or_person_is_unknown(token_client, owner, account, other_account):
    stranger = StakeholderFactory(organization=other_account)
    client = token_client(owner)

    hidden = client.post(
        api("api_onboard_plans"), {"organization": other_account.pk, "title": "x", "starts_on": "2026-06-01"}
    )
    person = client.post(
        api("api_onboard_plans"),
        {
            "organization": account.pk,
            "title": "x",
            "starts_on": "2026-06-01",
            "customer_contact": stranger.pk,
        },
    )

    assert hidden.status_code == 400 and set(error_of(hidden)["fields"]) == {"organization"}
    assert error_of(person)["fields"] == {"customer_contact": [f"No stakeholder with the id {stranger.pk}."]}
    assert not OnboardingPlan.objects.exists()


def test_a_plan_is_changed_and_a_draft_deleted(token_client, owner, plan):
    client = token_client(owner)

    patched = client.patch(api("api_onboard_plan", plan.pk), {"user_count": 480, "locations": "All depots"})

    assert patched.status_code == 200, patched.json()
    assert (patched.json()["user_count"], patched.json()["locations"]) == (480, "All depots")
    assert client.delete(api("api_onboard_plan", plan.pk)).status_code == 204
    assert not OnboardingPlan.objects.exists()


def test_a_plan_under_way_is_not_deleted_and_its_status_not_patched(token_client, owner, plan):
    OnboardingPlan.objects.filter(pk=plan.pk).update(status=PlanStatus.IN_PROGRESS)
    client = token_client(owner)

    patched = client.patch(api("api_onboard_plan", plan.pk), {"status": "completed"})
    deleted = client.delete(api("api_onboard_plan", plan.pk))

    assert patched.status_code == 400 and set(error_of(patched)["fields"]) == {"status"}
    assert deleted.status_code == 409 and error_of(deleted)["code"] == "not_a_draft"
    assert OnboardingPlan.objects.get().status == PlanStatus.IN_PROGRESS


def test_a_start_after_an_actions_due_date_is_refused_and_nothing_changes(
    token_client, owner, plan, accounts_ready
):
    before = everything_written()

    response = token_client(owner).patch(
        api("api_onboard_plan", plan.pk),
        {"starts_on": (accounts_ready.due_on + timedelta(days=1)).isoformat(), "title": "Renamed"},
    )

    assert response.status_code == 400
    assert set(error_of(response)["fields"]) == {"starts_on"}
    assert "Create the depot accounts" in error_of(response)["message"]
    assert everything_written() == before


def test_a_plan_goes_to_review_is_accepted_and_starts(token_client, owner, plan, contact, accounts_ready):
    client = token_client(owner)

    not_ready = client.post(api("api_onboard_plan_transition", plan.pk), {"to_status": "in_review"})
    client.patch(api("api_onboard_plan", plan.pk), {"customer_contact": contact.pk})
    in_review = client.post(api("api_onboard_plan_transition", plan.pk), {"to_status": "in_review"})
    accepted = client.post(
        api("api_onboard_plan_accept", plan.pk), {"accepted_by": contact.pk, "note": "Agreed at kick-off."}
    )
    started = client.post(
        api("api_onboard_plan_transition", plan.pk), {"to_status": "in_progress", "note": "Go."}
    )

    assert not_ready.status_code == 400 and set(error_of(not_ready)["fields"]) == {"customer_contact"}
    assert in_review.status_code == 200 and in_review.json()["status"] == "in_review"
    assert accepted.status_code == 200, accepted.json()
    assert (accepted.json()["accepted_by"], accepted.json()["acceptance_note"]) == (
        contact.pk,
        "Agreed at kick-off.",
    )
    assert started.status_code == 200 and started.json()["status"] == "in_progress"
    assert started.json()["allowed_transitions"] == ["on_hold", "cancelled"]


def test_a_move_the_lifecycle_does_not_allow_answers_409_naming_to_status(token_client, owner, plan):
    client = token_client(owner)

    completed = client.post(api("api_onboard_plan_transition", plan.pk), {"to_status": "completed"})
    unknown = client.post(api("api_onboard_plan_transition", plan.pk), {"to_status": "finished"})
    early_start = client.post(api("api_onboard_plan_transition", plan.pk), {"to_status": "in_progress"})

    assert completed.status_code == 409
    assert error_of(completed)["code"] == "transition_not_allowed"
    assert set(error_of(completed)["fields"]) == {"to_status"}
    assert unknown.status_code == 400 and set(error_of(unknown)["fields"]) == {"to_status"}
    assert early_start.status_code == 409 and error_of(early_start)["code"] == "not_accepted"
    assert OnboardingPlan.objects.get().status == PlanStatus.DRAFT


def test_accepting_needs_a_plan_in_review_and_one_of_the_accounts_people(
    token_client, administrator, plan, contact, other_account
):
    client = token_client(administrator)
    stranger = StakeholderFactory(organization=other_account)

    too_early = client.post(api("api_onboard_plan_accept", plan.pk), {"accepted_by": contact.pk})
    OnboardingPlan.objects.filter(pk=plan.pk).update(status=PlanStatus.IN_REVIEW)
    wrong_person = client.post(api("api_onboard_plan_accept", plan.pk), {"accepted_by": stranger.pk})
    nobody = client.post(api("api_onboard_plan_accept", plan.pk), {})

    assert too_early.status_code == 409 and error_of(too_early)["code"] == "not_in_review"
    assert wrong_person.status_code == 400 and set(error_of(wrong_person)["fields"]) == {"accepted_by"}
    assert nobody.status_code == 400 and set(error_of(nobody)["fields"]) == {"accepted_by"}
    assert OnboardingPlan.objects.get().accepted_by is None


def test_a_completed_plan_no_longer_changes(token_client, owner, plan):
    OnboardingPlan.objects.filter(pk=plan.pk).update(status=PlanStatus.COMPLETED)

    response = token_client(owner).patch(api("api_onboard_plan", plan.pk), {"title": "Renamed"})

    assert response.status_code == 409 and error_of(response)["code"] == "plan_closed"


# --- goals ----------------------------------------------------------------------------------------


def test_goals_are_listed_added_changed_and_deleted(token_client, owner, plan, start):
    PlanGoalFactory(plan=plan, description="Planners sign in", position=0)
    client = token_client(owner)

    added = client.post(
        api("api_onboard_plan_goals", plan.pk),
        {
            "description": "Bookings made online",
            "metric": "Share of bookings in the portal",
            "target": "90 %",
            "target_date": (start + timedelta(days=30)).isoformat(),
            "template": "migrate_to_agreed_services",
        },
    )
    listed = client.get(api("api_onboard_plan_goals", plan.pk)).json()
    changed = client.patch(api("api_onboard_goal", added.json()["id"]), {"target": "95 %"})

    assert added.status_code == 201, added.json()
    assert set(added.json()) == GOAL_FIELDS
    assert [row["description"] for row in listed] == ["Planners sign in", "Bookings made online"]
    assert changed.status_code == 200 and changed.json()["target"] == "95 %"
    assert client.get(api("api_onboard_goal", added.json()["id"])).json()["target"] == "95 %"
    assert client.delete(api("api_onboard_goal", added.json()["id"])).status_code == 204
    assert PlanGoal.objects.count() == 1


def test_a_goal_due_before_the_plan_starts_is_refused_naming_target_date(token_client, owner, plan, start):
    response = token_client(owner).post(
        api("api_onboard_plan_goals", plan.pk),
        {
            "description": "x",
            "metric": "y",
            "target": "90 %",
            "target_date": (start - timedelta(days=1)).isoformat(),
        },
    )

    assert response.status_code == 400
    assert set(error_of(response)["fields"]) == {"target_date"}
    assert not PlanGoal.objects.exists()


def test_an_achieved_goal_needs_its_result(token_client, owner, plan):
    goal = PlanGoalFactory(plan=plan)
    client = token_client(owner)

    refused = client.post(api("api_onboard_goal_evaluate", goal.pk), {"evaluation": "achieved"})
    unknown = client.post(api("api_onboard_goal_evaluate", goal.pk), {"evaluation": "great", "result": "x"})
    evaluated = client.post(
        api("api_onboard_goal_evaluate", goal.pk),
        {"evaluation": "achieved", "result": "93 %", "evidence": "Portal report."},
    )

    assert refused.status_code == 400 and set(error_of(refused)["fields"]) == {"result"}
    assert unknown.status_code == 400 and set(error_of(unknown)["fields"]) == {"evaluation"}
    assert evaluated.status_code == 200
    assert (evaluated.json()["evaluation"], evaluated.json()["result"], evaluated.json()["evaluated_by"]) == (
        "achieved",
        "93 %",
        owner.pk,
    )


def test_the_last_goal_achieved_completes_the_plan_and_moves_the_journey_to_co_create(
    token_client, owner, plan, journey, django_capture_on_commit_callbacks
):
    OnboardingPlan.objects.filter(pk=plan.pk).update(status=PlanStatus.IN_PROGRESS)
    PlanActionFactory(plan=plan, status=ActionStatus.DONE)
    goal = PlanGoalFactory(plan=plan)

    with django_capture_on_commit_callbacks(execute=True):
        response = token_client(owner).post(
            api("api_onboard_goal_evaluate", goal.pk), {"evaluation": "achieved", "result": "96 %"}
        )

    assert response.status_code == 200
    body = token_client(owner).get(api("api_onboard_plan", plan.pk)).json()
    assert (body["status"], body["goal_summary"]["achieved"]) == ("completed", 1)
    journey.refresh_from_db()
    assert journey.current_step == JourneyStep.CO_CREATE


def test_goals_of_an_invisible_plan_are_404(token_client, outsider, plan):
    goal = PlanGoalFactory(plan=plan)
    client = token_client(outsider)

    assert client.get(api("api_onboard_plan_goals", plan.pk)).status_code == 404
    assert client.get(api("api_onboard_goal", goal.pk)).status_code == 404
    assert (
        client.post(api("api_onboard_goal_evaluate", goal.pk), {"evaluation": "pending"}).status_code == 404
    )


# --- actions of a plan ----------------------------------------------------------------------------


def test_a_plans_actions_are_listed_in_its_order_with_their_shape(
    token_client, owner, plan, accounts_ready, training
):
    ConsumerActionFactory(plan=plan, title="Name the super-users", due_on=today() - timedelta(days=2))

    rows = token_client(owner).get(api("api_onboard_plan_actions", plan.pk)).json()

    assert [row["title"] for row in rows] == [
        "Name the super-users",
        "Create the depot accounts",
        "Train the super-users",
    ]
    assert set(rows[0]) == ACTION_FIELDS
    assert (rows[0]["owner_party"], rows[0]["is_overdue"], rows[0]["organization"]) == (
        "consumer",
        True,
        plan.organization_id,
    )
    assert (rows[2]["depends_on"], rows[2]["waits_for_open_action"]) == ([accounts_ready.pk], True)
    assert rows[1]["allowed_transitions"] == ["in_progress", "blocked", "done", "cancelled"]


def test_an_action_is_added_with_owner_and_dependencies(token_client, owner, teammate, plan, accounts_ready):
    response = token_client(owner).post(
        api("api_onboard_plan_actions", plan.pk),
        {
            "title": "Train the super-users",
            "area": "people",
            "owner_party": "provider",
            "owner_user": teammate.pk,
            "due_on": (today() + timedelta(days=10)).isoformat(),
            "depends_on": [accounts_ready.pk],
        },
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["owner_user"], body["depends_on"], body["waits_for_open_action"], body["status"]) == (
        teammate.pk,
        [accounts_ready.pk],
        True,
        "planned",
    )


def test_a_consumer_action_is_owned_by_one_of_the_accounts_people(token_client, owner, plan, contact):
    client = token_client(owner)
    due = (today() + timedelta(days=5)).isoformat()

    made = client.post(
        api("api_onboard_plan_actions", plan.pk),
        {
            "title": "Name the super-users",
            "owner_party": "consumer",
            "owner_stakeholder": contact.pk,
            "due_on": due,
        },
    )
    wrong_side = client.post(
        api("api_onboard_plan_actions", plan.pk),
        {"title": "x", "owner_party": "consumer", "owner_user": owner.pk, "due_on": due},
    )

    assert made.status_code == 201 and made.json()["owner_stakeholder"] == contact.pk
    assert wrong_side.status_code == 400 and set(error_of(wrong_side)["fields"]) == {"owner_user"}
    assert PlanAction.objects.count() == 1


def test_an_action_due_before_the_plan_starts_is_refused_naming_due_on(token_client, owner, plan, start):
    before = everything_written()

    response = token_client(owner).post(
        api("api_onboard_plan_actions", plan.pk),
        {"title": "Kick-off", "due_on": (start - timedelta(days=1)).isoformat()},
    )

    assert response.status_code == 400
    error = error_of(response)
    assert list(error["fields"]) == ["due_on"]
    assert "before the plan starts" in error["fields"]["due_on"][0]
    assert everything_written() == before


def test_waiting_for_an_action_of_another_plan_is_refused(token_client, administrator, plan, account):
    elsewhere = PlanActionFactory(plan=OnboardingPlanFactory(organization=account))

    response = token_client(administrator).post(
        api("api_onboard_plan_actions", plan.pk),
        {"title": "x", "due_on": today().isoformat(), "depends_on": [elsewhere.pk]},
    )

    assert response.status_code == 400
    assert error_of(response)["fields"] == {
        "depends_on": [f"No action of this plan with the id {elsewhere.pk}."]
    }


def test_a_dependency_cycle_is_refused_naming_the_actions_and_nothing_changes(
    token_client, owner, accounts_ready, training
):
    before = everything_written()

    response = token_client(owner).patch(
        api("api_onboard_action", accounts_ready.pk), {"depends_on": [training.pk], "title": "Accounts"}
    )

    assert response.status_code == 400
    error = error_of(response)
    assert list(error["fields"]) == ["depends_on"]
    assert "circle" in error["message"]
    assert "“Create the depot accounts”" in error["message"] and "“Train the super-users”" in error["message"]
    assert everything_written() == before


def test_an_action_is_changed_read_and_deleted(token_client, owner, plan, accounts_ready, training):
    client = token_client(owner)

    cleared = client.patch(
        api("api_onboard_action", training.pk), {"depends_on": [], "owner_role": "Trainer", "position": 0}
    )
    read = client.get(api("api_onboard_action", training.pk))
    deleted = client.delete(api("api_onboard_action", accounts_ready.pk))

    assert cleared.status_code == 200, cleared.json()
    assert (cleared.json()["depends_on"], cleared.json()["owner_role"]) == ([], "Trainer")
    assert read.json()["waits_for_open_action"] is False
    assert deleted.status_code == 204
    assert list(PlanAction.objects.values_list("title", flat=True)) == ["Train the super-users"]


# --- action status and comments ------------------------------------------------------------------


def test_marking_done_an_action_whose_dependency_is_open_is_refused_naming_status(
    token_client, owner, accounts_ready, training
):
    before = everything_written()

    response = token_client(owner).post(
        api("api_onboard_action_status", training.pk), {"status": "done", "evidence": "Attendance lists."}
    )

    assert response.status_code == 409
    error = error_of(response)
    assert list(error["fields"]) == ["status"]
    assert "“Create the depot accounts”" in error["fields"]["status"][0]
    assert everything_written() == before


def test_an_action_is_done_once_what_it_waits_for_is_done(token_client, owner, accounts_ready, training):
    client = token_client(owner)

    first = client.post(api("api_onboard_action_status", accounts_ready.pk), {"status": "done"})
    second = client.post(
        api("api_onboard_action_status", training.pk), {"status": "done", "evidence": "Attendance lists."}
    )

    assert first.status_code == 200, first.json()
    assert second.status_code == 200, second.json()
    body = second.json()
    assert (body["status"], body["evidence"], body["completed_by"], body["allowed_transitions"]) == (
        "done",
        "Attendance lists.",
        owner.pk,
        ["in_progress"],
    )
    assert body["completed_at"] is not None


def test_an_unknown_or_same_status_is_refused(token_client, owner, accounts_ready):
    client = token_client(owner)

    unknown = client.post(api("api_onboard_action_status", accounts_ready.pk), {"status": "finished"})
    same = client.post(api("api_onboard_action_status", accounts_ready.pk), {"status": "planned"})

    assert unknown.status_code == 400 and set(error_of(unknown)["fields"]) == {"status"}
    assert same.status_code == 409 and set(error_of(same)["fields"]) == {"status"}


def test_a_status_change_with_an_idempotency_key_acts_once(token_client, owner, accounts_ready):
    client = token_client(owner)
    url = api("api_onboard_action_status", accounts_ready.pk)

    first = client.post(url, {"status": "in_progress"}, HTTP_IDEMPOTENCY_KEY="move-1")
    again = client.post(url, {"status": "in_progress"}, HTTP_IDEMPOTENCY_KEY="move-1")

    assert (first.status_code, again.status_code) == (200, 200)
    assert again.headers["Idempotent-Replayed"] == "true"


def test_comments_are_listed_and_added(token_client, owner, accounts_ready):
    ActionCommentFactory(action=accounts_ready, body="Waiting for the VPN accounts.")
    client = token_client(owner)

    added = client.post(api("api_onboard_action_comments", accounts_ready.pk), {"body": "VPN ready."})
    empty = client.post(api("api_onboard_action_comments", accounts_ready.pk), {"body": "  "})
    listed = client.get(api("api_onboard_action_comments", accounts_ready.pk)).json()

    assert added.status_code == 201
    assert set(added.json()) == {
        "id",
        "action",
        "body",
        "author_user",
        "author_stakeholder",
        "created_at",
        "updated_at",
    }
    assert added.json()["author_user"] == owner.pk
    assert empty.status_code == 400 and set(error_of(empty)["fields"]) == {"body"}
    assert [row["body"] for row in listed] == ["Waiting for the VPN accounts.", "VPN ready."]


# --- all actions (incremental sync) ---------------------------------------------------------------


def test_the_action_list_filters_for_a_crm(token_client, owner, teammate, plan, accounts_ready, training):
    overdue = PlanActionFactory(plan=plan, title="Order the badges", due_on=today() - timedelta(days=1))
    PlanActionFactory(plan=plan, title="Teammate's", owner_user=teammate, status=ActionStatus.DONE)
    client = token_client(owner)

    def titles(**query):
        response = client.get(api("api_onboard_actions"), query)
        assert response.status_code == 200, response.json()
        return sorted(row["title"] for row in response.json()["results"])

    assert titles(owner_user="me") == sorted([accounts_ready.title, training.title, overdue.title])
    assert titles(owner_user=teammate.pk) == ["Teammate's"]
    assert titles(overdue="true") == ["Order the badges"]
    assert titles(status="done") == ["Teammate's"]
    assert titles(open="false") == ["Teammate's"]
    assert titles(plan=plan.pk, owner_user="me", overdue="false") == sorted(
        [accounts_ready.title, training.title]
    )
    assert titles(organization=plan.organization_id + 999) == []
    assert titles(updated_since=(timezone.now() + timedelta(hours=1)).isoformat()) == []


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"owner_user": "you"}, "owner_user"),
        ({"overdue": "maybe"}, "overdue"),
        ({"status": "closed"}, "status"),
    ],
)
def test_a_bad_action_filter_answers_with_the_envelope(token_client, owner, query, field):
    response = token_client(owner).get(api("api_onboard_actions"), query)

    assert response.status_code == 400
    assert set(error_of(response)["fields"]) == {field}


def test_the_action_list_costs_the_same_queries_at_any_size(
    token_client, owner, plan, django_assert_num_queries
):
    client = token_client(owner)

    def add_actions(count):
        for _ in range(count):
            action = PlanActionFactory(plan=plan)
            ActionDependencyFactory(action=action, depends_on=PlanActionFactory(plan=plan))

    add_actions(2)
    # The token with the user, the actions with their figures, their dependencies.
    with django_assert_num_queries(3):
        assert len(client.get(api("api_onboard_actions")).json()["results"]) == 4
    add_actions(8)
    with django_assert_num_queries(3):
        assert len(client.get(api("api_onboard_actions")).json()["results"]) == 20


def test_a_plans_action_list_costs_the_same_queries_at_any_size(
    token_client, owner, plan, django_assert_num_queries
):
    client = token_client(owner)
    url = api("api_onboard_plan_actions", plan.pk)

    def add_actions(count):
        for _ in range(count):
            action = PlanActionFactory(plan=plan)
            ActionDependencyFactory(action=action, depends_on=PlanActionFactory(plan=plan))

    add_actions(2)
    # The token with the user, the plan (with its account) and its figures, the actions, dependencies.
    with django_assert_num_queries(4):
        assert len(client.get(url).json()) == 4
    add_actions(8)
    with django_assert_num_queries(4):
        assert len(client.get(url).json()) == 20


def test_the_actions_owner_from_another_team_sees_and_moves_it_but_not_the_plan(
    token_client, outsider, plan, accounts_ready
):
    PlanAction.objects.filter(pk=accounts_ready.pk).update(owner_user=outsider)
    PlanActionFactory(plan=plan, title="Not theirs")
    client = token_client(outsider)

    listed = client.get(api("api_onboard_actions")).json()["results"]
    moved = client.post(api("api_onboard_action_status", accounts_ready.pk), {"status": "in_progress"})
    commented = client.post(api("api_onboard_action_comments", accounts_ready.pk), {"body": "On it."})
    patched = client.patch(api("api_onboard_action", accounts_ready.pk), {"title": "Mine now"})

    assert [row["title"] for row in listed] == ["Create the depot accounts"]
    assert moved.status_code == 200 and moved.json()["status"] == "in_progress"
    assert commented.status_code == 201
    assert patched.status_code == 404
    assert client.get(api("api_onboard_plan", plan.pk)).status_code == 404
    assert client.get(api("api_onboard_plan_actions", plan.pk)).status_code == 404


def test_a_plans_goals_and_an_actions_comments_cost_the_same_queries_at_any_size(
    token_client, owner, plan, accounts_ready, django_assert_num_queries
):
    client = token_client(owner)
    goals, comments = (
        api("api_onboard_plan_goals", plan.pk),
        api("api_onboard_action_comments", accounts_ready.pk),
    )
    PlanGoalFactory(plan=plan)
    ActionCommentFactory(action=accounts_ready)

    # The token with the user, the plan (or action) with its account, the goals (or comments).
    with django_assert_num_queries(3):
        assert len(client.get(goals).json()) == 1
    with django_assert_num_queries(3):
        assert len(client.get(comments).json()) == 1
    PlanGoalFactory.create_batch(5, plan=plan)
    ActionCommentFactory.create_batch(5, action=accounts_ready)
    with django_assert_num_queries(3):
        assert len(client.get(goals).json()) == 6
    with django_assert_num_queries(3):
        assert len(client.get(comments).json()) == 6


# --- the schema and odd input ---------------------------------------------------------------------


def test_the_schema_lists_onboards_routes(api_client):
    schema = api_client.get(api("api_schema")).content.decode()

    for route in (
        "/api/v1/onboard/plans/",
        "/api/v1/onboard/plans/{id}/transition/",
        "/api/v1/onboard/plans/{id}/accept/",
        "/api/v1/onboard/goals/{id}/evaluate/",
        "/api/v1/onboard/actions/",
        "/api/v1/onboard/actions/{id}/status/",
        "/api/v1/onboard/actions/{id}/comments/",
    ):
        assert route in schema


@pytest.mark.parametrize("day", ["9999-12-30", "1066-10-14"])
def test_a_date_out_of_any_plans_range_is_refused_rather_than_overflowing(token_client, owner, account, day):
    body = {
        "organization": account.pk,
        "kind": "offboarding",
        "reason": "other",
        "title": "x",
        "starts_on": day,
    }

    response = token_client(owner).post(api("api_onboard_plans"), body)

    assert response.status_code == 400
    assert set(error_of(response)["fields"]) == {"starts_on"}
    assert not OnboardingPlan.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"depends_on": "85"}, "depends_on"),
        ({"depends_on": [0]}, "depends_on.0"),
        ({"position": 40_000}, "position"),
        ({"owner_party": "partner"}, "owner_party"),
        ({"area": "catering"}, "area"),
        ({"owner_user": 999_999}, "owner_user"),
    ],
)
def test_malformed_action_input_names_its_field(token_client, owner, plan, body, field):
    response = token_client(owner).post(
        api("api_onboard_plan_actions", plan.pk), {"title": "x", "due_on": today().isoformat(), **body}
    )

    assert response.status_code == 400
    assert set(error_of(response)["fields"]) == {field}
    assert not PlanAction.objects.exists()
