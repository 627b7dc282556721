"""`manage.py runperiodic --once` runs every periodic job in this process: the way periodic work
happens without Redis, and a way to catch up by hand with it."""

import sys
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

import journeys
from dsv.celery import app
from journeys.events import ALL_EVENTS, journey_event_record, subscribe, unsubscribe
from journeys.models import JourneyEvent, JourneyEventType

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def received():
    handed_out = []

    def handler(event):
        handed_out.append(event.pk)

    subscribe(ALL_EVENTS)(handler)
    yield handed_out
    unsubscribe(handler)


@pytest.fixture(autouse=True)
def freshly_started_process(monkeypatch):
    """Run the command as `manage.py runperiodic` starts: the spine's tasks module not yet imported by
    anything else, so the command itself must make sure the tasks it schedules are registered."""
    for name in [name for name in app.tasks if name.startswith("journeys.")]:
        monkeypatch.delitem(app.tasks, name)
    monkeypatch.delitem(sys.modules, "journeys.tasks", raising=False)
    monkeypatch.delattr(journeys, "tasks", raising=False)


def pending_event():
    return journey_event_record(event_type=JourneyEventType.TOUCHPOINT_CREATED, payload={"touchpoint_id": 1})


def test_once_dispatches_the_pending_journey_events(received):
    event = pending_event()

    call_command("runperiodic", "--once")

    event.refresh_from_db()
    assert event.dispatched_at is not None
    assert received == [event.pk]


def test_once_prunes_delivered_events_past_their_retention(settings):
    settings.DSV_JOURNEY_EVENTS_KEEP_DAYS = 30
    old = pending_event()
    JourneyEvent.objects.filter(pk=old.pk).update(dispatched_at=timezone.now() - timedelta(days=31))

    call_command("runperiodic", "--once")

    assert not JourneyEvent.objects.filter(pk=old.pk).exists()


def test_running_once_twice_hands_each_event_out_once(received):
    event = pending_event()

    call_command("runperiodic", "--once")
    call_command("runperiodic", "--once")

    assert received == [event.pk]


def test_a_failing_job_does_not_stop_the_others(settings, monkeypatch):
    import journeys.events

    def relay_down(**kwargs):
        raise RuntimeError("relay down")

    monkeypatch.setattr(journeys.events, "journey_events_dispatch_pending", relay_down)
    settings.DSV_JOURNEY_EVENTS_KEEP_DAYS = 30
    old = pending_event()
    JourneyEvent.objects.filter(pk=old.pk).update(dispatched_at=timezone.now() - timedelta(days=31))

    call_command("runperiodic", "--once")

    assert not JourneyEvent.objects.filter(pk=old.pk).exists()
