"""The daily reminders about onboarding actions and the weekly digest for relationship managers: each
goes out once (per action and day, per manager and week) however often the job runs, says whether the
action is due soon or overdue, reaches only people with an address, and a failed send leaves the
claim free for the next run."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from onboarding.models import ActionLink, ActionReminder, RelationshipDigest
from onboarding.services import action_reminders_send, relationship_digests_send
from onboarding.services import reminders as reminders_module
from tests.factories.journeys import StakeholderFactory, UserFactory
from tests.factories.onboarding import (
    ActionReminderFactory,
    ConsumerActionFactory,
    OffboardingPlanFactory,
    OnboardingPlanFactory,
    PlanActionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def plan(account, today):
    return OnboardingPlanFactory(
        organization=account, title="Fleet booking roll-out", starts_on=today - timedelta(days=30)
    )


def due(plan, days, **fields):
    """A provider action of `plan` due `days` from today (negative: overdue)."""
    return PlanActionFactory(plan=plan, due_on=timezone.localdate() + timedelta(days=days), **fields)


def broken_send(*args, **kwargs):
    raise ConnectionError("mail server down")


# --- reminders --------------------------------------------------------------------------------------


def test_an_owner_is_reminded_once_a_day_however_often_the_job_runs(plan, owner, today):
    action = due(plan, 2, title="Create the VPN accounts")

    assert action_reminders_send(today=today) == 1
    assert action_reminders_send(today=today) == 0

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [owner.email]
    reminder = ActionReminder.objects.get()
    assert (reminder.action, reminder.day, reminder.kind, reminder.recipient) == (
        action,
        today,
        "due_soon",
        owner.email,
    )
    assert reminder.sent_at is not None


def test_the_next_day_brings_the_next_reminder(plan, today):
    due(plan, 1)

    action_reminders_send(today=today)
    assert action_reminders_send(today=today + timedelta(days=1)) == 1

    assert len(mail.outbox) == 2
    assert ActionReminder.objects.count() == 2


def test_an_action_due_soon_says_when(plan, owner, today):
    action = due(plan, 2, title="Create the VPN accounts")

    action_reminders_send(today=today)

    [message] = mail.outbox
    assert message.subject.startswith("Due ")
    assert "Create the VPN accounts (Rentwheel Car Hire)" in message.subject
    assert f"is due on {action.due_on:%-d %B %Y}, in 2 days" in message.body
    assert "ago" not in message.body
    assert reverse("onboarding:plan_detail", args=[plan.pk]) in message.body
    html, mime = message.alternatives[0]
    assert mime == "text/html" and "Open the plan" in html


def test_an_overdue_action_says_so(plan, today):
    due(plan, -3, title="Send the user list")

    action_reminders_send(today=today)

    [message] = mail.outbox
    assert message.subject.startswith("Overdue: Send the user list")
    assert "3 days ago" in message.body
    assert ActionReminder.objects.get().kind == "overdue"


def test_an_action_due_today_is_due_soon(plan, today):
    due(plan, 0, title="Kick-off call")

    action_reminders_send(today=today)

    assert mail.outbox[0].subject.startswith("Due today: Kick-off call")
    assert "is due today" in mail.outbox[0].body
    assert ActionReminder.objects.get().kind == "due_soon"


def test_only_open_actions_of_working_plans_within_the_horizon_are_reminded(account, plan, today):
    due(plan, 3, title="On the horizon")
    due(plan, 4, title="Beyond the horizon")
    due(plan, -1, title="Done already", status="done")
    due(plan, -1, title="Cancelled", status="cancelled")
    due(plan, -1, title="Blocked", status="blocked")
    for status in ("draft", "in_review", "on_hold", "completed", "cancelled"):
        other = OnboardingPlanFactory(organization=account, status=status, starts_on=plan.starts_on)
        due(other, -1, title=f"In a {status} plan")

    assert action_reminders_send(today=today) == 2

    reminded = {message.subject.split(": ", 1)[1].split(" (")[0] for message in mail.outbox}
    assert reminded == {"On the horizon", "Blocked"}


def test_the_horizon_comes_from_the_settings(plan, today, settings):
    settings.DSV_ONBOARDING_DUE_SOON_DAYS = 5
    due(plan, 5)

    assert action_reminders_send(today=today) == 1


def test_owners_without_an_address_are_skipped(account, plan, today):
    due(plan, 1, owner_user=UserFactory(username="no-mail", email=""))
    due(plan, 1, owner_user=UserFactory(username="gone", is_active=False))
    due(plan, 1, owner_user=None, owner_role="Network team")
    ConsumerActionFactory(
        plan=plan, due_on=today, owner_stakeholder=StakeholderFactory(organization=account, email="")
    )
    ConsumerActionFactory(
        plan=plan, due_on=today, owner_stakeholder=StakeholderFactory(organization=account, is_active=False)
    )
    ConsumerActionFactory(plan=plan, due_on=today, owner_stakeholder=None, owner_role="Their IT lead")

    assert action_reminders_send(today=today) == 0
    assert mail.outbox == []
    assert not ActionReminder.objects.exists()
    assert not ActionLink.objects.exists()


def test_a_consumer_owner_is_mailed_a_fresh_link_each_time(account, plan, today, settings):
    settings.DSV_BASE_URL = "https://dsv.example.com"
    person = StakeholderFactory(organization=account, name="Iris Baker", email="iris@rentwheel.example")
    ConsumerActionFactory(
        plan=plan, due_on=today + timedelta(days=1), owner_stakeholder=person, title="Name super-users"
    )

    action_reminders_send(today=today)
    action_reminders_send(today=today + timedelta(days=1))

    first, second = mail.outbox
    assert first.to == ["iris@rentwheel.example"]
    assert "Hello Iris Baker" in first.body and "Name super-users" in first.subject
    first_link, _ = ActionLink.objects.order_by("pk")
    assert first_link.stakeholder == person and first_link.used_at is None
    assert "https://dsv.example.com/onboard/link/" in first.body
    assert (
        first.body.split("https://dsv.example.com/onboard/link/")[1].split()[0]
        != (second.body.split("https://dsv.example.com/onboard/link/")[1].split()[0])
    )
    assert f"until {first_link.expires_at:%-d %B %Y}" in first.body
    # The plan's owner is named as the contact, so the consumer knows whom to ask.
    assert plan.owner.email in first.body


def test_a_consumer_owner_of_an_offboarding_action_reads_about_offboarding(account, today):
    plan = OffboardingPlanFactory(organization=account, title="Exit of the pilot branch")
    ConsumerActionFactory(plan=plan, due_on=today, title="Return the badges")

    action_reminders_send(today=today)

    assert "for the offboarding of Rentwheel Car Hire" in mail.outbox[0].body
    assert "on board" not in mail.outbox[0].body


def test_a_reminder_another_run_claimed_is_not_sent_again(plan, today, monkeypatch):
    action = due(plan, 1)
    ActionReminderFactory(action=action, day=today, kind="due_soon")
    # The other run claimed the day after this one read its list.
    monkeypatch.setattr(reminders_module, "_reminder_candidates", lambda day: [action.pk])

    assert action_reminders_send(today=today) == 0
    assert mail.outbox == []


def test_a_failed_send_releases_the_claim(account, plan, today, monkeypatch):
    due(plan, -1)
    ConsumerActionFactory(plan=plan, due_on=today)
    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", broken_send)

    with pytest.raises(ConnectionError):
        action_reminders_send(today=today)

    assert not ActionReminder.objects.exists()
    assert not ActionLink.objects.exists()
    monkeypatch.undo()
    assert action_reminders_send(today=today) == 2
    assert ActionReminder.objects.filter(sent_at__isnull=False).count() == 2


def test_one_failing_address_does_not_hold_up_the_others(plan, today, monkeypatch):
    refused = UserFactory(username="refused", email="refused@provider.example")
    due(plan, -2, owner_user=refused)
    due(plan, 1)
    send = reminders_module.EmailMultiAlternatives.send

    def refuse_one(message, *args, **kwargs):
        if message.to == ["refused@provider.example"]:
            raise ConnectionError("recipient refused")
        return send(message, *args, **kwargs)

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", refuse_one)

    with pytest.raises(ConnectionError):
        action_reminders_send(today=today)

    assert [message.to for message in mail.outbox] == [[plan.owner.email]]
    assert list(ActionReminder.objects.values_list("recipient", flat=True)) == [plan.owner.email]


# --- weekly digest ----------------------------------------------------------------------------------


@pytest.fixture
def monday(today):
    return today - timedelta(days=today.weekday())


def test_a_relationship_manager_gets_one_digest_a_week(plan, owner, teammate, monday):
    PlanActionFactory(plan=plan, title="Sign the data processing terms", due_on=monday - timedelta(days=2))
    PlanActionFactory(plan=plan, title="Train the super-users", due_on=monday + timedelta(days=4))
    PlanActionFactory(plan=plan, title="Switch on single sign-on", status="done", due_on=monday)
    PlanActionFactory(plan=plan, title="Dropped", status="cancelled", due_on=monday)
    PlanActionFactory(plan=plan, title="Next month", due_on=monday + timedelta(days=30))

    # The owner and the teammate share the account (through its team): one digest each.
    assert relationship_digests_send(today=monday) == 2
    assert relationship_digests_send(today=monday + timedelta(days=2)) == 0

    assert sorted(message.to[0] for message in mail.outbox) == sorted([owner.email, teammate.email])
    message = next(message for message in mail.outbox if message.to == [owner.email])
    assert message.subject.startswith(f"Onboarding, week of {monday:%-d %b}: 1 open plan, 1 action overdue")
    body = message.body
    assert "Fleet booking roll-out - Rentwheel Car Hire (in progress)" in body
    assert "Progress: 1 of 4 actions done (25 %)" in body
    overdue, this_week = body.split("Overdue:")[1].split("Due this week:")
    assert "Sign the data processing terms" in overdue and "Train the super-users" not in overdue
    assert "Train the super-users" in this_week and "Next month" not in body
    assert reverse("onboarding:plan_detail", args=[plan.pk]) in body
    digest = RelationshipDigest.objects.get(user=owner)
    assert digest.week == monday and digest.sent_at is not None
    assert RelationshipDigest.objects.count() == 2


def test_the_next_week_brings_the_next_digest(plan, monday):
    PlanActionFactory(plan=plan)

    relationship_digests_send(today=monday)
    assert relationship_digests_send(today=monday + timedelta(days=7)) == 2
    assert len(mail.outbox) == 4


def test_each_manager_sees_only_their_accounts(plan, other_account, owner, teammate, outsider, monday):
    OnboardingPlanFactory(organization=other_account, title="Savings app onboarding")

    assert relationship_digests_send(today=monday) == 3

    bodies = {message.to[0]: message.body for message in mail.outbox}
    assert "Fleet booking roll-out" in bodies[owner.email] and "Savings app" not in bodies[owner.email]
    assert "Fleet booking roll-out" in bodies[teammate.email]
    assert "Savings app onboarding" in bodies[outsider.email]
    assert "Fleet booking" not in bodies[outsider.email]


def test_managers_with_nothing_to_report_get_no_digest(account, owner, outsider, analyst, monday):
    OnboardingPlanFactory(organization=account, status="completed")
    OnboardingPlanFactory(organization=account, status="cancelled")

    assert relationship_digests_send(today=monday) == 0
    assert mail.outbox == []
    assert not RelationshipDigest.objects.exists()


def test_managers_without_an_address_or_inactive_get_no_digest(plan, owner, teammate, monday):
    owner.email = ""
    owner.save()
    teammate.is_active = False
    teammate.save()

    assert relationship_digests_send(today=monday) == 0


def test_a_failed_digest_releases_the_claim(plan, monday, monkeypatch):
    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", broken_send)

    with pytest.raises(ConnectionError):
        relationship_digests_send(today=monday)

    assert not RelationshipDigest.objects.exists()
    monkeypatch.undo()
    assert relationship_digests_send(today=monday) == 2  # owner and teammate share the account


def test_the_digest_lists_a_bounded_number_of_actions_per_plan(plan, owner, teammate, monday):
    for number in range(12):
        PlanActionFactory(plan=plan, title=f"Overdue {number:02}", due_on=monday - timedelta(days=1))

    relationship_digests_send(today=monday)

    body = next(message.body for message in mail.outbox if message.to == [owner.email])
    assert "Overdue 09" in body and "Overdue 10" not in body
    assert "... and 12 in all" in body


def test_the_digest_costs_the_same_queries_for_more_plans(plan, monday):
    PlanActionFactory(plan=plan, due_on=monday)
    with CaptureQueriesContext(connection) as few:
        relationship_digests_send(today=monday)
    for _ in range(5):
        other = OnboardingPlanFactory(organization=plan.organization, starts_on=plan.starts_on)
        PlanActionFactory(plan=other, due_on=monday - timedelta(days=1))
        PlanActionFactory(plan=other, due_on=monday + timedelta(days=1))

    with CaptureQueriesContext(connection) as many:
        relationship_digests_send(today=monday + timedelta(days=7))

    assert len(mail.outbox) == 4
    assert len(many.captured_queries) == len(few.captured_queries)
