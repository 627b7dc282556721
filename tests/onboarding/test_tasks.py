"""Onboard's periodic jobs: scheduled with an expiry like every job, run through Celery as the app
does without Redis (in this process), and safe to run twice."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from dsv.celery import app
from onboarding.models import ActionReminder, RelationshipDigest
from onboarding.tasks import onboarding_action_reminders, onboarding_weekly_digest
from tests.factories.onboarding import ConsumerActionFactory, OnboardingPlanFactory, PlanActionFactory

pytestmark = pytest.mark.django_db

IN_PROCESS = {"task_always_eager": True, "task_eager_propagates": True}


@pytest.fixture(autouse=True)
def tasks_in_process():
    before = {key: app.conf.get(key) for key in IN_PROCESS}
    app.conf.update(IN_PROCESS)
    yield
    app.conf.update(before)


@pytest.fixture
def plan(account):
    return OnboardingPlanFactory(organization=account)


def test_the_reminder_job_sends_each_reminder_once(plan):
    today = timezone.localdate()
    PlanActionFactory(plan=plan, due_on=today - timedelta(days=1))
    ConsumerActionFactory(plan=plan, due_on=today + timedelta(days=2))

    assert onboarding_action_reminders.delay().get() == 2
    assert onboarding_action_reminders.delay().get() == 0

    assert len(mail.outbox) == 2
    assert ActionReminder.objects.filter(day=today).count() == 2


def test_the_digest_job_sends_each_digest_once(plan, owner, teammate):
    PlanActionFactory(plan=plan)

    assert onboarding_weekly_digest.delay().get() == 2
    assert onboarding_weekly_digest.delay().get() == 0

    assert sorted(message.to[0] for message in mail.outbox) == sorted([owner.email, teammate.email])
    assert RelationshipDigest.objects.count() == 2


@pytest.mark.parametrize(
    ("entry", "task"),
    [
        ("onboarding-action-reminders", "onboarding.tasks.onboarding_action_reminders"),
        ("onboarding-weekly-digest", "onboarding.tasks.onboarding_weekly_digest"),
    ],
)
def test_the_jobs_are_scheduled_with_an_expiry(entry, task):
    scheduled = settings.CELERY_BEAT_SCHEDULE[entry]

    assert scheduled["task"] == task
    assert task in app.tasks
    assert scheduled["options"]["expires"] > 0


def test_the_digest_job_runs_every_morning_so_a_missed_monday_is_made_up():
    schedule = settings.CELERY_BEAT_SCHEDULE["onboarding-weekly-digest"]["schedule"]

    assert schedule.day_of_week == set(range(7)) and schedule.hour == {7}
