"""Onboard's pages as their users see them: the board and "my actions" with their filters, the plan's
page (progress bar, goals, actions by owner and by week, overdue marked in words, history), the
status change in place with HTMX (and without it), comments, the forms with their field errors and
nothing written on bad input, the lifecycle moves, the customer's acceptance, the account's panel
and the navigation."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from journeys.models import JourneyEvent
from onboarding.models import (
    ActionComment,
    ActionDependency,
    OnboardingPlan,
    PlanAction,
    PlanGoal,
)
from tests.factories.agreements import AgreementFactory
from tests.factories.journeys import JourneyFactory, OrganizationFactory, StakeholderFactory
from tests.factories.offerings import (
    OnboardingPlaybookFactory,
    PlaybookActionDependencyFactory,
    PlaybookActionFactory,
    ServiceOfferingFactory,
)
from tests.factories.onboarding import (
    ActionCommentFactory,
    ActionDependencyFactory,
    OffboardingPlanFactory,
    OnboardingPlanFactory,
    PlanActionFactory,
    PlanGoalFactory,
)
from tests.helpers import HX, text_of

pytestmark = pytest.mark.django_db


def url(name, *args, **query) -> str:
    path = reverse(f"onboarding:{name}", args=args)
    return path + ("?" + "&".join(f"{key}={value}" for key, value in query.items()) if query else "")


def page_text(response) -> str:
    return text_of(response.content.decode())


def days(count: int) -> date:
    return timezone.localdate() + timedelta(days=count)


def everything_written():
    return {
        "plans": list(OnboardingPlan.objects.order_by("pk").values_list("pk", "updated_at")),
        "goals": list(PlanGoal.objects.order_by("pk").values_list("pk", "updated_at")),
        "actions": list(PlanAction.objects.order_by("pk").values_list("pk", "updated_at")),
        "dependencies": ActionDependency.objects.count(),
        "comments": ActionComment.objects.count(),
        "events": JourneyEvent.objects.count(),
    }


@pytest.fixture
def plan(account, owner, sponsor):
    return OnboardingPlanFactory(
        organization=account,
        owner=owner,
        title="Onboarding Rentwheel to fleet booking",
        starts_on=days(-14),
        ends_on=days(45),
        customer_contact=sponsor,
        user_groups="Branch staff",
    )


@pytest.fixture
def steps(plan, owner, sponsor):
    """Three actions: one done, one overdue, one the consumer owns that waits for the overdue one."""
    done = PlanActionFactory(plan=plan, title="Create the accounts", status="done", due_on=days(-10))
    late = PlanActionFactory(plan=plan, title="Hand out the laptops", due_on=days(-2), owner_user=owner)
    theirs = PlanActionFactory(
        plan=plan,
        title="Tell the branch staff",
        owner_party="consumer",
        owner_user=None,
        owner_stakeholder=sponsor,
        due_on=days(10),
    )
    ActionDependencyFactory(action=theirs, depends_on=late)
    return {"done": done, "late": late, "theirs": theirs}


# --- the board --------------------------------------------------------------------------------------


def test_the_board_shows_each_plan_with_its_account_progress_and_overdue_actions(as_user, owner, plan, steps):
    response = as_user(owner).get(url("board"))

    assert response.status_code == 200
    html = response.content.decode()
    text = text_of(html)
    assert "Onboarding Rentwheel to fleet booking Onboarding Rentwheel Car Hire In progress" in text
    assert "1/3 · 33 %" in text
    assert "1 overdue" in text
    assert '<progress class="plan-progress-bar" value="1" max="3"' in html
    assert url("plan_detail", plan.pk) in html


def test_the_board_filters_and_sends_htmx_the_results_alone(as_user, owner, account, plan):
    OffboardingPlanFactory(organization=account, title="Leaving the old supplier")

    response = as_user(owner).get(url("board", kind="offboarding"), **HX)

    html = response.content.decode()
    assert "<html" not in html and "<form" not in html
    assert "Leaving the old supplier" in html
    assert "Onboarding Rentwheel" not in html
    assert "hx-request" in response.headers["Vary"].lower()


def test_the_board_says_when_no_plan_matches(as_user, owner, plan):
    text = page_text(as_user(owner).get(url("board", status="cancelled")))

    assert "No plan matches these filters." in text


def test_the_board_keeps_the_same_queries_for_a_few_plans_and_many(as_user, owner, team):
    client = as_user(owner)
    counts = []
    for size in (2, 20):
        for _ in range(size):
            many = OnboardingPlanFactory(organization=OrganizationFactory(owner=owner, team=team))
            PlanActionFactory(plan=many, status="done")
            PlanActionFactory(plan=many, due_on=days(-1))
        client.get(url("board"))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url("board")).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 12


# --- my actions -------------------------------------------------------------------------------------


def test_my_actions_lists_my_open_actions_overdue_first_with_their_plan(as_user, owner, plan, steps):
    PlanActionFactory(plan=plan, title="Book the training room", due_on=days(3), owner_user=owner)

    text = page_text(as_user(owner).get(url("my_actions")))

    assert "2 open actions , 1 overdue" in text
    assert text.index("Hand out the laptops") < text.index("Book the training room")
    assert "Hand out the laptops Onboarding Rentwheel to fleet booking Rentwheel Car Hire" in text
    assert "overdue" in text.split("Book the training room")[0]
    assert "Create the accounts" not in text  # done


def test_my_actions_names_a_plan_i_may_not_open_without_linking_it(as_user, outsider, plan):
    PlanActionFactory(plan=plan, title="Review the contract", owner_user=outsider)

    html = as_user(outsider).get(url("my_actions")).content.decode()

    assert "Review the contract" in html
    assert plan.title in html
    assert url("plan_detail", plan.pk) not in html


# --- the plan's page --------------------------------------------------------------------------------


def test_the_plan_page_shows_progress_goals_scope_and_actions_by_owner(as_user, owner, plan, steps, sponsor):
    PlanGoalFactory(plan=plan, description="Every branch books online", target="90 %")

    response = as_user(owner).get(url("plan_detail", plan.pk))

    assert response.status_code == 200
    html = response.content.decode()
    text = text_of(html)
    assert '<progress value="1" max="3" aria-label="Actions done: 1 of 3">' in html
    assert "1 of 3 actions done (33 %) · 1 overdue" in text
    assert "0 of 1 goal achieved" in text
    assert "Every branch books online Share of users who signed in 90 %" in text
    assert "User groups Branch staff" in text
    assert f"{owner.get_full_name()}, our side" in text
    assert f"{sponsor.name}, the consumer's side" in text
    assert "Waits for “Hand out the laptops” (planned, still open)" in text
    # Overdue is a class on the row and a word in it, not a colour alone.
    assert f'id="action-{steps["late"].pk}" class="action-row action-planned overdue"' in html
    assert "Hand out the laptops" in text and "overdue" in text.split("Hand out the laptops")[1][:80]
    assert "Send to the customer" not in text  # in progress: no such move
    assert "Put on hold" in text


def test_the_plan_page_groups_actions_by_week_on_request_and_htmx_gets_that_region(
    as_user, owner, plan, steps
):
    week = days(-2).isocalendar()

    response = as_user(owner).get(url("plan_detail", plan.pk, group="week"), **HX)

    html = response.content.decode()
    assert "<html" not in html
    assert f"Week {week.week} of {week.year}" in html
    assert 'aria-current="true">By week due' in html
    assert "hx-request" in response.headers["Vary"].lower()


def test_the_plan_page_keeps_done_actions_behind_a_link_that_shows_them_with_or_without_htmx(
    as_user, owner, plan, steps
):
    client = as_user(owner)
    done_row = f'id="action-{steps["done"].pk}"'

    html = client.get(url("plan_detail", plan.pk)).content.decode()

    assert done_row not in html
    assert f'id="action-{steps["late"].pk}"' in html
    assert "Show the 1 done or cancelled action" in text_of(html)
    assert 'href="?group=owner&amp;closed=1#actions"' in html
    # Still counted in the progress bar and its group's heading.
    assert "1 of 3 actions done (33 %)" in text_of(html)
    assert "1 open of 2" in text_of(html)

    shown = client.get(url("plan_detail", plan.pk, closed="1")).content.decode()
    assert done_row in shown
    assert "Hide the 1 done or cancelled action" in text_of(shown)

    fragment = client.get(url("plan_detail", plan.pk, group="week", closed="1"), **HX).content.decode()
    assert "<html" not in fragment
    assert done_row in fragment
    assert 'href="?group=week#actions"' in fragment


def test_the_comment_form_opens_in_its_row_with_htmx_and_on_the_page_without(as_user, owner, plan, steps):
    client = as_user(owner)
    late = steps["late"].pk
    textarea = f'<textarea id="comment-{late}"'

    page = client.get(url("plan_detail", plan.pk)).content.decode()
    assert textarea not in page
    assert f'href="?comment={late}#action-{late}"' in page

    fragment = client.get(url("plan_detail", plan.pk, comment=str(late)), **HX).content.decode()
    assert "<html" not in fragment
    assert fragment.startswith(f'<tr id="action-{late}"')
    assert textarea in fragment
    assert (
        f'<label for="comment-{late}" class="visually-hidden">Comment on “Hand out the laptops”</label>'
        in fragment
    )

    assert textarea in client.get(url("plan_detail", plan.pk, comment=str(late))).content.decode()


def test_the_comment_form_of_another_plans_action_is_not_found(as_user, owner, plan, account):
    other = PlanActionFactory(plan=OnboardingPlanFactory(organization=account))

    response = as_user(owner).get(url("plan_detail", plan.pk, comment=str(other.pk)), **HX)

    assert response.status_code == 404


def test_the_plan_page_shows_the_history_of_its_changes(as_user, owner, plan, steps):
    client = as_user(owner)
    client.post(url("plan_edit", plan.pk), {"title": "Onboarding the depots", "starts_on": plan.starts_on})

    text = page_text(client.get(url("plan_detail", plan.pk)))

    assert (
        f"{owner.get_full_name()} Plan Title: Onboarding Rentwheel to fleet booking → Onboarding the depots"
        in text
    )


def test_the_plan_page_escapes_what_people_wrote_in_goals_actions_comments_and_history(
    as_user, owner, plan, steps
):
    client = as_user(owner)
    PlanGoalFactory(plan=plan, description="<b>Goal</b>", metric="<b>metric</b>", result="<b>result</b>")
    bold = PlanActionFactory(plan=plan, title="<b>Bold step</b>", description="<b>said</b>", due_on=days(3))
    ActionCommentFactory(action=bold, body="<b>loud</b>")
    client.post(url("plan_edit", plan.pk), {"title": "<b>Depots</b>", "starts_on": plan.starts_on})

    html = client.get(url("plan_detail", plan.pk)).content.decode()

    assert "<b>" not in html
    for written in ("Goal", "metric", "result", "Bold step", "said", "loud", "Depots"):
        assert f"&lt;b&gt;{written}&lt;/b&gt;" in html
    assert "Title: Onboarding Rentwheel to fleet booking → &lt;b&gt;Depots&lt;/b&gt;" in html


def test_the_plan_page_lists_its_goals_by_position_and_its_offerings_by_name(as_user, owner, plan):
    PlanGoalFactory(plan=plan, description="Second goal", position=2)
    PlanGoalFactory(plan=plan, description="First goal", position=1)
    zeta, alpha = ServiceOfferingFactory(name="Zeta fleet"), ServiceOfferingFactory(name="Alpha fleet")
    plan.offerings.set([zeta, alpha])

    text = page_text(as_user(owner).get(url("plan_detail", plan.pk)))

    assert text.index("First goal") < text.index("Second goal")
    assert text.index("Offerings") < text.index("Alpha fleet") < text.index("Zeta fleet")


def test_a_reader_sees_the_plan_without_any_form(as_user, analyst, plan, steps):
    html = as_user(analyst).get(url("plan_detail", plan.pk)).content.decode()

    assert "status-form" not in html and "comment-form" not in html
    assert url("action_edit", steps["late"].pk) not in html
    assert "Your role reads plans" in text_of(html)


def test_a_confidential_reason_for_leaving_stays_with_those_who_change_plans(as_user, owner, desk, account):
    leaving = OffboardingPlanFactory(organization=account, reason="dispute", confidential=True)

    assert "Dispute" in page_text(as_user(owner).get(url("plan_detail", leaving.pk)))
    assert "Dispute" not in page_text(as_user(desk).get(url("plan_detail", leaving.pk)))


def test_the_plan_page_keeps_the_same_queries_for_a_small_and_a_large_plan(as_user, owner, account):
    client = as_user(owner)
    counts = []
    for size in (1, 15):
        big = OnboardingPlanFactory(organization=account, owner=owner, starts_on=days(-30))
        previous = None
        for number in range(size):
            step = PlanActionFactory(
                plan=big, due_on=days(number - 5), status="done" if number % 3 == 0 else "planned"
            )
            ActionCommentFactory(action=step)
            PlanGoalFactory(plan=big)
            if previous is not None:
                ActionDependencyFactory(action=step, depends_on=previous)
            previous = step
        client.get(url("plan_detail", big.pk))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url("plan_detail", big.pk)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 12


# --- status changes ---------------------------------------------------------------------------------


def test_htmx_marks_an_action_done_and_swaps_its_row_and_the_progress_bar(as_user, owner, plan, steps):
    late = steps["late"]

    response = as_user(owner).post(
        url("action_status", late.pk), {"status": "done", "evidence": "Signed hand-over list"}, **HX
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith(f'<tr id="action-{late.pk}" class="action-row action-done"')
    assert "<html" not in html
    assert "Evidence: Signed hand-over list" in text_of(html)
    assert '<div id="plan-progress" class="plan-progress" hx-swap-oob="true">' in html
    assert "2 of 3 actions done (66 %)" in text_of(html)
    late.refresh_from_db()
    assert (late.status, late.completed_by) == ("done", owner)


def test_htmx_refuses_marking_done_an_action_whose_dependency_is_open_and_says_why(
    as_user, owner, plan, steps
):
    theirs = steps["theirs"]
    before = everything_written()

    response = as_user(owner).post(url("action_status", theirs.pk), {"status": "done"}, **HX)

    assert response.status_code == 200  # HTMX swaps nothing on an error status: the row says it
    html = response.content.decode()
    assert f'<tr id="action-{theirs.pk}" class="action-row action-planned' in html
    assert 'role="alert"' in html and 'aria-invalid="true"' in html
    assert "It waits for “Hand out the laptops”, still open: finish or cancel that first." in text_of(html)
    assert everything_written() == before


def test_without_htmx_a_status_change_comes_back_to_the_plan_with_a_message(as_user, owner, plan, steps):
    client = as_user(owner)
    late = steps["late"]

    response = client.post(url("action_status", late.pk), {"status": "in_progress"})

    assert response.status_code == 302
    assert response["Location"] == url("plan_detail", plan.pk) + f"#action-{late.pk}"
    assert "“Hand out the laptops” is now in progress." in page_text(client.get(response["Location"]))


def test_without_htmx_a_refused_status_change_is_a_message_and_writes_nothing(as_user, owner, plan, steps):
    client = as_user(owner)
    before = everything_written()

    response = client.post(url("action_status", steps["theirs"].pk), {"status": "done"}, follow=True)

    assert "“Tell the branch staff” is unchanged: It waits for “Hand out the laptops”" in page_text(response)
    assert everything_written() == before


def test_a_status_nobody_knows_is_refused_in_the_row(as_user, owner, plan, steps):
    html = (
        as_user(owner)
        .post(url("action_status", steps["late"].pk), {"status": "finished"}, **HX)
        .content.decode()
    )

    assert "Choose one of the statuses." in text_of(html)
    assert PlanAction.objects.get(pk=steps["late"].pk).status == "planned"


def test_the_last_action_done_completes_the_plan_and_htmx_reloads_the_page(as_user, owner, account):
    finishing = OnboardingPlanFactory(organization=account, owner=owner)
    last = PlanActionFactory(plan=finishing, title="Last one")

    response = as_user(owner).post(url("action_status", last.pk), {"status": "done"}, **HX)

    assert response.status_code == 204
    assert response["HX-Refresh"] == "true"
    finishing.refresh_from_db()
    assert finishing.status == "completed"


def test_a_desk_agent_who_owns_an_action_may_change_its_status(as_user, desk, plan):
    theirs = PlanActionFactory(plan=plan, title="Set up the desk queue", owner_user=desk)

    response = as_user(desk).post(url("action_status", theirs.pk), {"status": "in_progress"}, **HX)

    assert response.status_code == 200
    assert PlanAction.objects.get(pk=theirs.pk).status == "in_progress"


def test_from_my_actions_the_row_comes_back_as_my_actions_shows_it(as_user, outsider, plan):
    theirs = PlanActionFactory(plan=plan, title="Review the contract", owner_user=outsider)

    response = as_user(outsider).post(
        url("action_status", theirs.pk), {"status": "done", "from": "my_actions"}, **HX
    )

    text = page_text(response)
    assert "Review the contract" in text and "Done It leaves this list." in text
    assert "plan-progress" not in response.content.decode()


# --- comments ---------------------------------------------------------------------------------------


def test_htmx_adds_a_comment_and_the_row_shows_it(as_user, owner, plan, steps):
    late = steps["late"]

    response = as_user(owner).post(url("action_comment", late.pk), {"body": "Two laptops are missing."}, **HX)

    text = page_text(response)
    assert "1 comment Two laptops are missing." in text
    assert ActionComment.objects.get(action=late).author_user == owner


def test_an_empty_comment_is_refused_in_the_row_and_writes_nothing(as_user, owner, plan, steps):
    before = everything_written()

    html = as_user(owner).post(url("action_comment", steps["late"].pk), {"body": "  "}, **HX).content.decode()

    assert "Write the comment." in text_of(html)
    # The form stays open with what was wrong next to it.
    assert f'aria-describedby="comment-{steps["late"].pk}-error"' in html
    assert everything_written() == before


# --- plans: new, edit, delete -----------------------------------------------------------------------


def test_a_plan_made_by_hand_is_a_draft_on_the_accounts_journey_in_agree(as_user, owner, account):
    journey = JourneyFactory(organization=account, current_step="agree")
    response = as_user(owner).post(
        url("plan_create", account.pk),
        {
            "title": "Onboarding the depots",
            "starts_on": days(0),
            "ends_on": days(60),
            "user_count": "40",
            "owner": owner.pk,
        },
    )

    created = OnboardingPlan.objects.get(title="Onboarding the depots")
    assert response["Location"] == url("plan_detail", created.pk)
    assert (created.status, created.owner, created.journey, created.user_count) == (
        "draft",
        owner,
        journey,
        40,
    )


def test_a_plan_ending_before_it_starts_is_refused_next_to_the_end_date(as_user, owner, account):
    before = everything_written()

    response = as_user(owner).post(
        url("plan_create", account.pk), {"title": "Backwards", "starts_on": days(10), "ends_on": days(1)}
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_ends_on_error"' in html
    assert "The end date comes before the start date" in html.split('id="id_ends_on_error"')[1][:200]
    assert everything_written() == before


def test_an_offboarding_plan_asks_why_and_starts_with_the_exit_actions(as_user, owner, account):
    client = as_user(owner)
    form_url = url("plan_create", account.pk, kind="offboarding")
    assert 'name="reason"' in client.get(form_url).content.decode()
    assert 'name="reason"' not in client.get(url("plan_create", account.pk)).content.decode()

    refused = client.post(form_url, {"title": "Rentwheel leaves", "starts_on": days(0)})
    assert refused.status_code == 400
    assert 'id="id_reason_error"' in refused.content.decode()
    assert not OnboardingPlan.objects.exists()

    client.post(form_url, {"title": "Rentwheel leaves", "starts_on": days(0), "reason": "provider_switch"})
    created = OnboardingPlan.objects.get()
    assert created.kind == "offboarding"
    assert created.actions.filter(area="access_removal").exists()


def test_the_new_plan_page_offers_the_playbooks_of_the_accounts_agreements(as_user, owner, account):
    fleet = ServiceOfferingFactory(name="Fleet booking")
    playbook = OnboardingPlaybookFactory(offering=fleet, name="Standard onboarding")
    AgreementFactory(organization=account, title="Fleet SLA", offerings=[fleet])

    text = page_text(as_user(owner).get(url("plan_create", account.pk)))

    assert "Fleet booking: Standard onboarding for Fleet SLA" in text
    assert (
        f'href="?playbook={playbook.pk}"'
        in as_user(owner).get(url("plan_create", account.pk)).content.decode()
    )


def test_a_plan_from_a_playbook_brings_its_actions_and_their_dependencies(as_user, owner, account):
    fleet = ServiceOfferingFactory(name="Fleet booking")
    playbook = OnboardingPlaybookFactory(offering=fleet, name="Standard onboarding")
    first = PlaybookActionFactory(playbook=playbook, title="Kick-off", due_after_days=0)
    PlaybookActionDependencyFactory(
        action=PlaybookActionFactory(playbook=playbook, title="Training", due_after_days=10), depends_on=first
    )
    agreement = AgreementFactory(organization=account, title="Fleet SLA", offerings=[fleet])

    response = as_user(owner).post(
        url("plan_create", account.pk, playbook=playbook.pk),
        {"starts_on": days(0), "agreement": agreement.pk},
        follow=True,
    )

    created = OnboardingPlan.objects.get()
    assert (created.playbook, created.agreement) == (playbook, agreement)
    assert "drafted from the playbook “Standard onboarding” with 2 actions" in page_text(response)
    assert ActionDependency.objects.filter(action__title="Training", depends_on__title="Kick-off").exists()


def test_editing_a_plan_saves_it(as_user, owner, plan):
    response = as_user(owner).post(
        url("plan_edit", plan.pk),
        {"title": "Onboarding the depots", "starts_on": plan.starts_on, "locations": "Utrecht, Breda"},
    )

    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.title, plan.locations) == ("Onboarding the depots", "Utrecht, Breda")


def test_a_draft_is_deleted_and_a_plan_under_way_is_not(as_user, owner, account, plan):
    client = as_user(owner)
    draft = OnboardingPlanFactory(organization=account, status="draft")

    assert client.post(url("plan_delete", draft.pk)).status_code == 302
    refused = client.post(url("plan_delete", plan.pk))

    assert refused.status_code == 409
    assert "Only a draft plan can be deleted" in page_text(refused)
    assert list(OnboardingPlan.objects.all()) == [plan]


# --- the lifecycle ----------------------------------------------------------------------------------


def test_sending_a_plan_for_review_without_a_customer_contact_is_refused_with_the_reason(
    as_user, owner, account
):
    draft = OnboardingPlanFactory(organization=account, status="draft")
    PlanActionFactory(plan=draft)
    before = everything_written()

    response = as_user(owner).post(url("plan_transition", draft.pk), {"to_status": "in_review"})

    assert response.status_code == 400
    assert "Name the customer contact who reviews the plan first." in page_text(response)
    assert everything_written() == before


def test_a_move_from_the_plan_page_comes_back_with_a_message(as_user, owner, plan):
    client = as_user(owner)

    response = client.post(url("plan_transition", plan.pk), {"to_status": "on_hold"}, follow=True)

    assert "“Onboarding Rentwheel to fleet booking” is now on hold." in page_text(response)
    assert "Resume the work" in page_text(response)


def test_completing_by_hand_is_refused_with_why(as_user, owner, plan):
    response = as_user(owner).post(url("plan_transition", plan.pk), {"to_status": "completed"})

    assert response.status_code == 400
    assert "it completes by itself when its actions are done and its goals achieved" in page_text(response)


def test_cancelling_asks_why_on_its_own_page(as_user, owner, plan):
    html = as_user(owner).get(url("plan_transition", plan.pk, to="cancelled")).content.decode()

    assert '<option value="cancelled" selected>Cancel the plan</option>' in html
    assert 'name="note"' in html


def test_the_customers_acceptance_names_who_accepted(as_user, owner, account, sponsor):
    reviewed = OnboardingPlanFactory(organization=account, status="in_review", customer_contact=sponsor)
    PlanActionFactory(plan=reviewed)
    client = as_user(owner)
    assert (
        f'<option value="{sponsor.pk}" selected>'
        in client.get(url("plan_accept", reviewed.pk)).content.decode()
    )

    response = client.post(url("plan_accept", reviewed.pk), {"accepted_by": sponsor.pk, "note": "Go ahead."})

    assert response.status_code == 302
    reviewed.refresh_from_db()
    assert (reviewed.status, reviewed.accepted_by, reviewed.acceptance_note) == (
        "accepted",
        sponsor,
        "Go ahead.",
    )


def test_someone_of_another_account_cannot_accept(as_user, owner, account, sponsor):
    reviewed = OnboardingPlanFactory(organization=account, status="in_review", customer_contact=sponsor)
    stranger = StakeholderFactory(organization=OrganizationFactory())
    before = everything_written()

    response = as_user(owner).post(url("plan_accept", reviewed.pk), {"accepted_by": stranger.pk})

    assert response.status_code == 400
    assert "Choose one of this account's people." in page_text(response)
    assert everything_written() == before


# --- goals ------------------------------------------------------------------------------------------


def test_a_goal_before_the_plan_starts_is_refused_next_to_its_date(as_user, owner, plan):
    before = everything_written()

    response = as_user(owner).post(
        url("goal_create", plan.pk),
        {"description": "Online bookings", "metric": "Share", "target": "90 %", "target_date": days(-30)},
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "The target date comes before the plan starts" in html.split('id="id_target_date_error"')[1][:200]
    assert everything_written() == before


def test_a_goal_is_added_and_evaluated_with_the_value_measured(as_user, owner, plan):
    client = as_user(owner)
    client.post(
        url("goal_create", plan.pk),
        {"description": "Online bookings", "metric": "Share", "target": "90 %", "target_date": days(20)},
    )
    goal = PlanGoal.objects.get()

    refused = client.post(url("goal_evaluate", goal.pk), {"evaluation": "achieved"})
    assert refused.status_code == 400
    assert 'id="id_result_error"' in refused.content.decode()

    client.post(url("goal_evaluate", goal.pk), {"evaluation": "achieved", "result": "93 %"})
    goal.refresh_from_db()
    assert (goal.evaluation, goal.result, goal.evaluated_by) == ("achieved", "93 %", owner)


def test_a_goal_is_edited_and_deleted(as_user, owner, plan):
    client = as_user(owner)
    goal = PlanGoalFactory(plan=plan)

    client.post(
        url("goal_edit", goal.pk),
        {"description": "Renamed", "metric": "Share", "target": "95 %", "target_date": days(20)},
    )
    assert PlanGoal.objects.get().description == "Renamed"
    assert "Delete the goal “Renamed”?" in page_text(client.get(url("goal_delete", goal.pk)))
    client.post(url("goal_delete", goal.pk))
    assert not PlanGoal.objects.exists()


# --- actions ----------------------------------------------------------------------------------------


def test_an_action_is_planned_with_its_owner_due_date_and_what_it_waits_for(
    as_user, owner, teammate, plan, steps
):
    response = as_user(owner).post(
        url("action_create", plan.pk),
        {
            "title": "Train the super-users",
            "owner_party": "provider",
            "owner_user": teammate.pk,
            "due_on": days(20),
            "depends_on": [steps["late"].pk, steps["theirs"].pk],
            "area": "people",
        },
    )

    created = PlanAction.objects.get(title="Train the super-users")
    assert response["Location"] == url("plan_detail", plan.pk) + f"#action-{created.pk}"
    assert created.owner_user == teammate
    assert set(created.depends_on.values_list("title", flat=True)) == {
        "Hand out the laptops",
        "Tell the branch staff",
    }


def test_an_action_due_before_the_plan_starts_is_refused_next_to_its_due_date(as_user, owner, plan):
    before = everything_written()

    response = as_user(owner).post(
        url("action_create", plan.pk), {"title": "Too early", "owner_party": "provider", "due_on": days(-60)}
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "The due date comes before the plan starts" in html.split('id="id_due_on_error"')[1][:200]
    assert everything_written() == before


def test_a_consumer_action_owned_by_one_of_our_people_is_refused_next_to_the_owner(as_user, owner, plan):
    before = everything_written()

    response = as_user(owner).post(
        url("action_create", plan.pk),
        {"title": "Wrong side", "owner_party": "consumer", "owner_user": owner.pk, "due_on": days(5)},
    )

    assert response.status_code == 400
    assert (
        "A consumer action is owned by one of the account"
        in (response.content.decode().split('id="id_owner_user_error"')[1][:200])
    )
    assert everything_written() == before


def test_a_dependency_circle_is_refused_naming_the_actions_on_it(as_user, owner, plan, steps):
    late = steps["late"]
    before = everything_written()

    response = as_user(owner).post(
        url("action_edit", late.pk),
        {
            "title": late.title,
            "owner_party": "provider",
            "owner_user": owner.pk,
            "due_on": late.due_on,
            "depends_on": [steps["theirs"].pk],
        },
    )

    assert response.status_code == 400
    error = response.content.decode().split('id="id_depends_on_error"')[1][:300]
    assert "in a circle" in error and "Hand out the laptops" in error and "Tell the branch staff" in error
    assert everything_written() == before


def test_the_action_form_offers_the_plans_other_actions_and_the_accounts_people(
    as_user, owner, plan, steps, sponsor
):
    html = as_user(owner).get(url("action_edit", steps["late"].pk)).content.decode()

    depends = html.split('name="depends_on"')[1].split("</select>")[0]
    assert "Tell the branch staff" in depends and "Hand out the laptops" not in depends
    assert sponsor.name in html.split('name="owner_stakeholder"')[1].split("</select>")[0]
    assert '<legend>Done by <span aria-hidden="true">*</span></legend>' in html


def test_deleting_an_action_says_which_ones_wait_for_it(as_user, owner, plan, steps):
    client = as_user(owner)

    assert "1 action waits for it" in page_text(client.get(url("action_delete", steps["late"].pk)))
    client.post(url("action_delete", steps["late"].pk))
    assert not PlanAction.objects.filter(pk=steps["late"].pk).exists()


# --- the account, its panel and the navigation ------------------------------------------------------


def test_the_account_lists_its_plans_and_offers_new_ones(as_user, owner, account, plan, steps):
    text = page_text(as_user(owner).get(url("account_plans", account.pk)))

    assert "Onboarding Rentwheel to fleet booking Onboarding In progress" in text
    assert "New onboarding plan" in text and "New offboarding plan" in text


def test_the_account_panel_shows_the_plans_under_way_with_their_progress(
    as_user, owner, account, plan, steps
):
    OnboardingPlanFactory(organization=account, status="completed")

    response = as_user(owner).get(reverse("account_panel", args=[account.pk, "onboard"]), **HX)

    text = page_text(response)
    assert "5 Onboard Onboarding Rentwheel to fleet booking onboarding · in progress" in text
    assert "1/3 · 33 % 1 overdue" in text
    assert "1 completed · onboarding plans · new plan" in text


def test_the_account_page_loads_the_onboard_panel(as_user, owner, account):
    html = as_user(owner).get(reverse("account_detail", args=[account.pk])).content.decode()

    assert reverse("account_panel", args=[account.pk, "onboard"]) in html


def test_the_navigation_leads_to_the_board_and_my_actions(as_user, analyst):
    html = as_user(analyst).get(url("my_actions")).content.decode()

    assert f'<a href="{url("board")}">Onboarding</a>' in html
    assert f'<a href="{url("my_actions")}" aria-current="page">My actions</a>' in html


def test_the_onboard_step_lists_its_tools(as_user, owner):
    html = as_user(owner).get(reverse("step_overview", args=["onboard"])).content.decode()

    assert "Onboard tools" in html and url("board") in html and url("my_actions") in html
