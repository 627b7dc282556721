"""Reads of Onboard: the figures each page shows (progress, overdue, next due date), how actions are
grouped, the history, who sees what, and that every read costs the same queries for a small and a
large plan or portfolio."""

from datetime import date, timedelta

import pytest
from django.http import Http404
from django.utils import timezone

from journeys.auth import RoleLoadingModelBackend
from onboarding import selectors
from onboarding.services import action_set_status, action_update, plan_update
from tests.factories.agreements import AgreementFactory
from tests.factories.journeys import OrganizationFactory, StakeholderFactory, UserFactory
from tests.factories.offerings import OnboardingPlaybookFactory, ServiceOfferingFactory
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

TODAY = date(2026, 3, 11)  # a Wednesday, in ISO week 11


def as_request(user):
    """The user as a request has it: roles and teams loaded with them (journeys.auth)."""
    return RoleLoadingModelBackend().get_user(user.pk)


@pytest.fixture
def plan(account):
    return OnboardingPlanFactory(
        organization=account, title="Onboarding Rentwheel", starts_on=date(2026, 3, 1)
    )


def action(plan, **fields):
    fields.setdefault("due_on", date(2026, 3, 20))
    return PlanActionFactory(plan=plan, **fields)


# --- progress ---------------------------------------------------------------------------------------


def test_progress_counts_done_actions_of_those_that_count_leaving_cancelled_ones_out(owner, plan):
    action(plan, status="done")
    action(plan, status="done")
    action(plan, status="planned")
    action(plan, status="cancelled")

    progress = selectors.plan_progress(plan=plan, today=TODAY)

    assert (progress.done, progress.total, progress.percent) == (2, 3, 66)
    assert progress.label == "2 of 3 actions done (66 %)"


def test_an_open_action_past_its_due_date_is_overdue_and_a_closed_one_is_not(owner, plan):
    action(plan, title="Late", due_on=TODAY - timedelta(days=1), status="in_progress")
    action(plan, title="Done late", due_on=TODAY - timedelta(days=1), status="done")
    action(plan, title="Cancelled late", due_on=TODAY - timedelta(days=3), status="cancelled")
    action(plan, title="Due today", due_on=TODAY)

    page = selectors.plan_page(user=owner, plan=plan, today=TODAY)

    assert page.progress.overdue == 1
    assert {row.action.title: row.is_overdue for row in page.actions} == {
        "Late": True,
        "Done late": False,
        "Cancelled late": False,
        "Due today": False,
    }


def test_a_plan_without_actions_has_no_progress_to_show(owner, plan):
    progress = selectors.plan_progress(plan=plan, today=TODAY)

    assert (progress.done, progress.total, progress.percent) == (0, 0, 0)
    assert progress.label == "No action planned yet"


# --- the plan's page --------------------------------------------------------------------------------


def test_actions_by_owner_put_our_people_first_then_the_consumers_then_those_nobody_owns(
    owner, teammate, plan
):
    contact = StakeholderFactory(organization=plan.organization, name="Ana Ferreira")
    action(plan, title="Ana's", owner_party="consumer", owner_user=None, owner_stakeholder=contact)
    action(plan, title="Unowned", owner_user=None, owner_role="the customer's IT lead")
    action(plan, title="Teammate's", owner_user=teammate)
    action(plan, title="Owner's first", owner_user=owner, due_on=date(2026, 3, 12))
    action(plan, title="Owner's second", owner_user=owner, due_on=date(2026, 3, 25))

    groups = selectors.plan_page(user=owner, plan=plan, today=TODAY).groups("owner")

    names = sorted([owner.get_full_name(), teammate.get_full_name()], key=str.lower)
    assert [group.label for group in groups] == [
        f"{names[0]}, our side",
        f"{names[1]}, our side",
        "Ana Ferreira, the consumer's side",
        "the customer's IT lead (to be named), our side",
    ]
    mine = next(group for group in groups if group.label.startswith(owner.get_full_name()))
    assert [row.action.title for row in mine.rows] == ["Owner's first", "Owner's second"]
    assert mine.note == "2 open of 2"


def test_actions_by_week_follow_the_iso_weeks_they_are_due_in(owner, plan):
    action(plan, title="Monday", due_on=date(2026, 3, 9))
    action(plan, title="Sunday", due_on=date(2026, 3, 15))
    action(plan, title="Next Monday", due_on=date(2026, 3, 16))

    groups = selectors.plan_page(user=owner, plan=plan, today=TODAY).groups("week")

    assert [(group.label, [row.action.title for row in group.rows]) for group in groups] == [
        ("Week 11 of 2026 (9 Mar 2026 – 15 Mar 2026)", ["Monday", "Sunday"]),
        ("Week 12 of 2026 (16 Mar 2026 – 22 Mar 2026)", ["Next Monday"]),
    ]
    assert groups[0].note == "2 open of 2 · this week"


def test_each_action_names_the_actions_it_waits_for_and_whether_they_are_open(owner, plan):
    accounts = action(plan, title="Create the accounts", status="done")
    laptops = action(plan, title="Hand out the laptops")
    training = action(plan, title="Train the users")
    ActionDependencyFactory(action=training, depends_on=accounts)
    ActionDependencyFactory(action=training, depends_on=laptops)

    rows = {row.action.title: row for row in selectors.plan_page(user=owner, plan=plan, today=TODAY).actions}

    waits = rows["Train the users"].waits_for
    assert [(dependency.title, dependency.is_open) for dependency in waits] == [
        ("Create the accounts", False),
        ("Hand out the laptops", True),
    ]
    assert [dependency.title for dependency in rows["Train the users"].open_dependencies] == [
        "Hand out the laptops"
    ]


def test_each_action_shows_its_latest_comments_and_how_many_it_has(owner, plan):
    busy = action(plan, title="Busy")
    now = timezone.now()
    for number in range(5):
        comment = ActionCommentFactory(action=busy, body=f"Note {number}", author_user=owner)
        comment.created_at = now - timedelta(hours=10 - number)
        comment.save(update_fields=["created_at"])
    action(plan, title="Quiet")

    rows = {row.action.title: row for row in selectors.plan_page(user=owner, plan=plan, today=TODAY).actions}

    assert rows["Busy"].comment_count == 5
    assert [line.body for line in rows["Busy"].comments] == ["Note 4", "Note 3", "Note 2"]
    assert rows["Busy"].comments[0].author == owner.get_full_name()
    assert (rows["Quiet"].comment_count, rows["Quiet"].comments) == (0, [])


def test_the_moves_leave_out_starting_an_onboarding_draft_before_the_customer_accepted_it(account):
    onboarding = OnboardingPlanFactory(organization=account, status="draft")
    offboarding = OffboardingPlanFactory(organization=account, status="draft")

    assert [move.status for move in selectors.plan_moves(onboarding)] == ["in_review", "cancelled"]
    assert [move.status for move in selectors.plan_moves(offboarding)] == [
        "in_review",
        "in_progress",
        "cancelled",
    ]
    assert selectors.plan_moves(OnboardingPlanFactory(organization=account, status="completed")) == []


# --- history ----------------------------------------------------------------------------------------


def test_the_history_lists_each_change_newest_first_from_what_to_what(owner, teammate, plan):
    first = action(plan, title="Create the accounts")
    action(plan, title="Still open", owner_user=None)  # so the plan does not complete
    action_update(actor=owner, action=first, owner_user=teammate)
    action_set_status(actor=owner, action=first, status="done", evidence="Ticket 4411")
    plan_update(actor=owner, plan=plan, title="Onboarding the depots")

    history = selectors.plan_history(user=owner, plan=plan)

    described = [
        (entry.subject, entry.action, [(c.label, c.old, c.new) for c in entry.changes]) for entry in history
    ]
    assert described == [
        ("Plan", "changed", [("Title", "Onboarding Rentwheel", "Onboarding the depots")]),
        (
            "Action “Create the accounts”",
            "changed",
            [("Status", "Planned", "Done"), ("Evidence", "—", "Ticket 4411")],
        ),
        (
            "Action “Create the accounts”",
            "changed",
            [("Owner", owner.get_full_name(), teammate.get_full_name())],
        ),
        ("Action “Still open”", "created", []),
        ("Action “Create the accounts”", "created", []),
        ("Plan", "created", []),
    ]


def test_the_history_keeps_the_reason_of_a_confidential_offboarding_out(owner, account):
    plan = OffboardingPlanFactory(organization=account, confidential=True, reason="dispute")
    plan_update(actor=owner, plan=plan, reason="dissatisfaction", title="Leaving")

    changes = [
        change.label for entry in selectors.plan_history(user=owner, plan=plan) for change in entry.changes
    ]

    assert changes == ["Title"]


def test_the_history_is_bounded(owner, plan):
    first = action(plan)
    for day in range(6):
        action_update(actor=owner, action=first, due_on=date(2026, 3, 10 + day))

    assert len(selectors.plan_history(user=owner, plan=plan, limit=4)) == 4


def test_the_bounded_history_reads_each_change_from_the_record_before_it_even_one_left_out(owner, plan):
    first = action(plan, title="Create the accounts")
    second = action(plan, title="Hand out the laptops")
    action_update(actor=owner, action=first, due_on=date(2026, 3, 12))
    action_update(actor=owner, action=second, title="Hand out the phones")
    action_update(actor=owner, action=first, due_on=date(2026, 3, 14))

    newest = selectors.plan_history(user=owner, plan=plan, limit=2)

    assert [[(c.label, c.old, c.new) for c in entry.changes] for entry in newest] == [
        [("Due", "12 Mar 2026", "14 Mar 2026")],
        [("Title", "Hand out the laptops", "Hand out the phones")],
    ]
    assert newest == selectors.plan_history(user=owner, plan=plan)[:2]


# --- who sees what ----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["owner", "teammate", "desk", "analyst", "administrator"])
def test_those_who_see_the_account_get_its_plan(request, persona, plan):
    user = request.getfixturevalue(persona)

    assert selectors.plan_get(user=user, pk=plan.pk) == plan


def test_an_outsider_learns_nothing_of_a_plan_its_goals_and_actions(outsider, plan):
    goal = PlanGoalFactory(plan=plan)
    step = action(plan)

    for read in (
        lambda: selectors.plan_get(user=outsider, pk=plan.pk),
        lambda: selectors.goal_get(user=outsider, pk=goal.pk),
        lambda: selectors.action_get(user=outsider, pk=step.pk),
        lambda: selectors.plan_page(user=outsider, plan=plan),
        lambda: selectors.account_plans(user=outsider, organization=plan.organization),
    ):
        with pytest.raises(Http404):
            read()


def test_an_actions_owner_reaches_it_without_seeing_the_account(outsider, plan):
    theirs = action(plan, owner_user=outsider)

    assert selectors.action_get(user=outsider, pk=theirs.pk, as_owner=True) == theirs
    with pytest.raises(Http404):
        selectors.action_get(user=outsider, pk=theirs.pk)


def test_the_board_shows_only_the_plans_of_accounts_the_user_sees(owner, outsider, desk, plan, other_account):
    northbank = OnboardingPlanFactory(organization=other_account, title="Northbank")

    assert [row["title"] for row in selectors.plan_board(user=owner)] == ["Onboarding Rentwheel"]
    assert [row["title"] for row in selectors.plan_board(user=outsider)] == ["Northbank"]
    assert {row["pk"] for row in selectors.plan_board(user=desk)} == {plan.pk, northbank.pk}


# --- the board --------------------------------------------------------------------------------------


def test_each_board_row_carries_its_progress_overdue_actions_and_next_due_date(owner, plan):
    action(plan, status="done", due_on=date(2026, 3, 2))
    action(plan, status="in_progress", due_on=date(2026, 3, 5))
    action(plan, due_on=date(2026, 3, 14))
    action(plan, status="cancelled", due_on=date(2026, 3, 1))

    (row,) = selectors.plan_board(user=owner, today=TODAY)

    assert (row["actions_done"], row["actions_total"], row["actions_overdue"]) == (1, 3, 1)
    assert row["next_due_on"] == date(2026, 3, 5)
    assert row["organization_name"] == "Rentwheel Car Hire"


def test_the_board_filters_by_kind_status_and_owner(owner, teammate, account):
    OnboardingPlanFactory(organization=account, title="Mine, under way", owner=owner)
    OnboardingPlanFactory(organization=account, title="Theirs, under way", owner=teammate)
    OnboardingPlanFactory(organization=account, title="Mine, done", owner=owner, status="completed")
    OffboardingPlanFactory(organization=account, title="Leaving", owner=owner, status="draft")

    def titles(**filters):
        return sorted(row["title"] for row in selectors.plan_board(user=owner, **filters))

    assert titles(kind="offboarding") == ["Leaving"]
    assert titles(status="completed") == ["Mine, done"]
    assert titles(status="open") == ["Leaving", "Mine, under way", "Theirs, under way"]
    assert titles(mine=True) == ["Leaving", "Mine, done", "Mine, under way"]
    assert titles(kind="no-such-kind", status="no-such-status") == titles()


def test_the_board_lists_plans_under_way_before_closed_ones(owner, account):
    OnboardingPlanFactory(organization=account, title="Closed, latest", status="completed", starts_on=TODAY)
    OnboardingPlanFactory(organization=account, title="Open, older", starts_on=TODAY - timedelta(days=90))

    assert [row["title"] for row in selectors.plan_board(user=owner)] == ["Open, older", "Closed, latest"]


# --- my actions -------------------------------------------------------------------------------------


def test_my_actions_are_my_open_ones_on_open_plans_overdue_first(owner, teammate, account):
    today = timezone.localdate()
    plan = OnboardingPlanFactory(organization=account, starts_on=today - timedelta(days=30))
    closed_plan = OnboardingPlanFactory(organization=account, status="cancelled")
    action(plan, title="Later", owner_user=owner, due_on=today + timedelta(days=5))
    action(plan, title="Overdue", owner_user=owner, due_on=today - timedelta(days=2))
    action(plan, title="Soon", owner_user=owner, due_on=today)
    action(plan, title="Done", owner_user=owner, status="done")
    action(plan, title="Not mine", owner_user=teammate)
    action(closed_plan, title="On a cancelled plan", owner_user=owner)

    mine = list(selectors.my_actions(user=owner))

    assert [found.title for found in mine] == ["Overdue", "Soon", "Later"]
    assert selectors.my_action_summary(user=owner, today=today) == {"open": 3, "overdue": 1}


def test_my_actions_include_one_on_an_account_i_do_not_see_without_opening_its_plan(outsider, owner, plan):
    action(plan, title="Review the contract", owner_user=outsider)
    blocker = action(plan, title="Sign first", owner_user=None)
    waiting = action(plan, title="Mine too", owner_user=owner)
    ActionDependencyFactory(action=waiting, depends_on=blocker)

    (theirs,) = selectors.my_actions(user=outsider)
    (own,) = selectors.my_actions(user=as_request(owner))

    assert (theirs.title, theirs.plan_visible) == ("Review the contract", False)
    assert (own.plan_visible, own.waiting_on) == (True, 1)


# --- the account ------------------------------------------------------------------------------------


def test_the_account_panel_shows_its_open_plans_with_progress_and_counts_the_closed_ones(owner, account):
    open_plan = OnboardingPlanFactory(organization=account, title="Under way")
    action(open_plan, status="done")
    action(open_plan, due_on=timezone.localdate() - timedelta(days=1))
    OnboardingPlanFactory(organization=account, status="completed")
    OffboardingPlanFactory(organization=account, status="cancelled")

    panel = selectors.account_onboarding_panel(user=owner, organization=account)

    assert [plan.title for plan in panel["open_plans"]] == ["Under way"]
    assert panel["open_plans"][0].progress.label == "1 of 2 actions done (50 %)"
    assert (panel["completed"], panel["cancelled"], panel["overdue"]) == (1, 1, 1)


def test_the_playbooks_offered_are_those_of_the_offerings_the_accounts_agreements_cover(owner, account):
    fleet = ServiceOfferingFactory(name="Fleet booking")
    other = ServiceOfferingFactory(name="Payroll")
    playbook = OnboardingPlaybookFactory(offering=fleet, name="Standard")
    OnboardingPlaybookFactory(offering=other, name="Not agreed")
    AgreementFactory(organization=account, title="Fleet SLA", offerings=[fleet])
    AgreementFactory(organization=OrganizationFactory(), offerings=[other])

    (choice,) = selectors.plan_playbook_choices(user=owner, organization=account)

    assert choice.playbook == playbook
    assert [title for _pk, title in choice.agreements] == ["Fleet SLA"]


# --- constant queries -------------------------------------------------------------------------------


def _large_plan(plan, owner, size: int) -> None:
    people = [StakeholderFactory(organization=plan.organization) for _ in range(2)]
    previous = None
    for number in range(size):
        step = action(plan, due_on=date(2026, 3, 2) + timedelta(days=number % 40), owner_user=owner)
        ConsumerActionFactory(plan=plan, owner_stakeholder=people[number % 2], due_on=date(2026, 4, 1))
        ActionCommentFactory(action=step)
        if previous is not None:
            ActionDependencyFactory(action=step, depends_on=previous)
        previous = step
        PlanGoalFactory(plan=plan)
        action_update(actor=owner, action=step, title=f"Step {number}")


def test_the_plan_page_costs_the_same_queries_for_a_small_and_a_large_plan(
    owner, account, django_assert_num_queries
):
    user = as_request(owner)
    counts = []
    for size in (1, 12):
        plan = OnboardingPlanFactory(organization=account, starts_on=date(2026, 3, 1))
        _large_plan(plan, owner, size)
        # The plan with its people; its goals with its offerings, actions (which give its progress),
        # what they wait for, their latest comments; the plan's and its actions' history.
        with django_assert_num_queries(7):
            found = selectors.plan_get_for_page(user=user, pk=plan.pk)
            page = selectors.plan_page(user=user, plan=found, today=TODAY)
            page.groups("owner"), page.groups("week")
        counts.append(len(page.actions))
    assert counts == [2, 24]


def test_the_board_costs_the_same_queries_for_a_few_plans_and_many(owner, team, django_assert_num_queries):
    from django.core.paginator import Paginator

    user = as_request(owner)
    for size in (2, 30):
        for _ in range(size):
            plan = OnboardingPlanFactory(organization=OrganizationFactory(owner=owner, team=team))
            action(plan, status="done")
            action(plan)
        with django_assert_num_queries(2):
            page = Paginator(selectors.plan_board(user=user, today=TODAY), selectors.BOARD_PER_PAGE).get_page(
                1
            )
            rows = list(page.object_list)
        assert rows


def test_my_actions_and_the_account_panel_cost_the_same_queries_whatever_their_size(
    owner, account, django_assert_num_queries
):
    user = as_request(owner)
    other_user = UserFactory()
    for size in (1, 10):
        plan = OnboardingPlanFactory(organization=account)
        for _ in range(size):
            step = action(plan, owner_user=owner)
            ActionDependencyFactory(action=step, depends_on=action(plan, owner_user=other_user))
        with django_assert_num_queries(2):
            selectors.my_action_summary(user=user)
            list(selectors.my_actions(user=user)[:50])
        with django_assert_num_queries(1):
            selectors.account_onboarding_panel(user=user, organization=account)
