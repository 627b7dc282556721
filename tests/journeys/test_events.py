"""The journey event outbox: an event exists exactly when its change committed, reaches each subscriber
once, survives a failing subscriber or a broker that is down, and is pruned only once delivered.

The relay is called directly (`journey_events_dispatch_pending`) rather than through the task enqueued
on commit: without REDIS_URL that task runs in-process, with it the task goes to a broker no worker
reads during the tests. Both runs of the suite must pass."""

from datetime import timedelta

import pytest
from celery.exceptions import Retry
from django.db import transaction
from django.utils import timezone

from journeys import events, services, tasks
from journeys.events import (
    ALL_EVENTS,
    MAX_ATTEMPTS,
    journey_event_record,
    journey_events_dispatch_pending,
    journey_events_prune,
    subscribe,
    unsubscribe,
)
from journeys.models import Channel, JourneyEvent, JourneyEventType, Team, Touchpoint, TouchpointKind

pytestmark = pytest.mark.django_db


class Subscriber:
    """Records the events it is handed; fails on those whose payload asks it to."""

    def __init__(self):
        self.received = []

    def __call__(self, event):
        self.received.append(event.pk)
        if event.payload.get("fail"):
            raise RuntimeError(f"subscriber could not handle {event.payload['fail']}")


@pytest.fixture
def subscriber():
    handler = Subscriber()
    subscribe(ALL_EVENTS)(handler)
    yield handler
    unsubscribe(handler)


@pytest.fixture
def touchpoint_subscriber():
    handler = Subscriber()
    subscribe(JourneyEventType.TOUCHPOINT_CREATED)(handler)
    yield handler
    unsubscribe(handler)


@pytest.fixture
def enqueued(monkeypatch):
    """Stand in for the broker: count the relay tasks enqueued instead of sending them."""
    calls = []
    monkeypatch.setattr(tasks.journey_events_relay, "delay", lambda *args, **kwargs: calls.append(args))
    return calls


def record(event_type=JourneyEventType.ORGANIZATION_UPDATED, **payload):
    return journey_event_record(event_type=event_type, payload=payload)


def log_touchpoint(actor, organization):
    return services.touchpoint_log(
        actor=actor,
        organization=organization,
        channel=Channel.TELEPHONE,
        kind=TouchpointKind.QUERY,
        summary="Asked about the renewal date",
    )


# --- delivery -------------------------------------------------------------------------------------


def test_a_committed_touchpoint_reaches_its_subscriber_once(
    owner, account, subscriber, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        touchpoint = log_touchpoint(owner, account)
    journey_events_dispatch_pending()

    event = JourneyEvent.objects.get(event_type=JourneyEventType.TOUCHPOINT_CREATED)
    assert event.payload["touchpoint_id"] == touchpoint.pk
    assert callbacks, "the relay is arranged for after the commit"
    assert subscriber.received == [event.pk]
    assert event.dispatched_at is not None
    assert event.attempts == 1


def test_running_the_relay_twice_hands_an_event_out_once(subscriber):
    event = record()

    assert journey_events_dispatch_pending() == 1
    assert journey_events_dispatch_pending() == 0

    assert subscriber.received == [event.pk]


def test_events_are_handed_out_oldest_first(subscriber):
    first, second, third = record(), record(), record()

    journey_events_dispatch_pending()

    assert subscriber.received == [first.pk, second.pk, third.pk]


def test_a_subscriber_receives_only_the_event_types_it_subscribed_to(touchpoint_subscriber, owner, account):
    organization_event = record(JourneyEventType.ORGANIZATION_UPDATED)
    touchpoint = log_touchpoint(owner, account)

    journey_events_dispatch_pending()

    touchpoint_event = JourneyEvent.objects.get(event_type=JourneyEventType.TOUCHPOINT_CREATED)
    assert touchpoint_event.payload["touchpoint_id"] == touchpoint.pk
    assert touchpoint_subscriber.received == [touchpoint_event.pk]
    organization_event.refresh_from_db()
    assert organization_event.dispatched_at is not None, "an event nobody listens to is done, not pending"


def test_an_unsubscribed_handler_receives_nothing():
    handler = Subscriber()
    subscribe(ALL_EVENTS)(handler)
    unsubscribe(handler)
    record()

    journey_events_dispatch_pending()

    assert handler.received == []


def test_the_relay_hands_out_at_most_a_batch_at_a_time(subscriber):
    for _ in range(5):
        record()

    assert journey_events_dispatch_pending(batch_size=3) == 3
    assert journey_events_dispatch_pending(batch_size=3) == 2
    assert len(subscriber.received) == 5


# --- failures -------------------------------------------------------------------------------------


def test_a_failing_subscriber_leaves_its_event_pending_while_the_others_go_out(subscriber):
    before = record()
    failing = record(fail="a broken webhook")
    after = record()

    dispatched = journey_events_dispatch_pending()

    assert dispatched == 2
    failing.refresh_from_db()
    assert failing.dispatched_at is None
    assert failing.attempts == 1
    assert "a broken webhook" in failing.last_error
    assert JourneyEvent.objects.filter(pk__in=[before.pk, after.pk], dispatched_at__isnull=False).count() == 2


def test_a_failed_event_is_retried_and_delivered_once_the_subscriber_recovers(subscriber):
    event = record(fail="a broken webhook")
    journey_events_dispatch_pending()
    journey_events_dispatch_pending()
    JourneyEvent.objects.filter(pk=event.pk).update(payload={})

    assert journey_events_dispatch_pending() == 1

    event.refresh_from_db()
    assert event.dispatched_at is not None
    assert event.attempts == 3
    assert subscriber.received == [event.pk, event.pk, event.pk]


def test_the_work_of_a_failing_subscriber_is_rolled_back():
    def half_done(event):
        Team.objects.create(name="Created by a subscriber that then failed")
        raise RuntimeError("failed half-way")

    subscribe(ALL_EVENTS)(half_done)
    try:
        record()
        journey_events_dispatch_pending()
    finally:
        unsubscribe(half_done)

    assert not Team.objects.filter(name="Created by a subscriber that then failed").exists()


def test_an_event_that_keeps_failing_is_given_up_after_the_last_attempt(subscriber):
    event = record(fail="a broken webhook")
    JourneyEvent.objects.filter(pk=event.pk).update(attempts=MAX_ATTEMPTS - 1)

    journey_events_dispatch_pending()
    journey_events_dispatch_pending()

    event.refresh_from_db()
    assert event.attempts == MAX_ATTEMPTS
    assert event.dispatched_at is None
    assert subscriber.received == [event.pk]


# --- transactions ---------------------------------------------------------------------------------


def test_the_events_of_a_rolled_back_transaction_never_exist(
    owner, account, subscriber, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        log_touchpoint(owner, account)
        record(JourneyEventType.ORGANIZATION_UPDATED)
        raise RuntimeError("the surrounding work failed")

    assert not Touchpoint.objects.exists()
    assert not JourneyEvent.objects.exists()
    assert callbacks == []
    assert journey_events_dispatch_pending() == 0
    assert subscriber.received == []


def test_the_relay_is_enqueued_only_after_the_change_commits(
    owner, account, subscriber, enqueued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        log_touchpoint(owner, account)
        assert enqueued == [], "nothing is enqueued before the commit"

    assert len(enqueued) == 1


def test_one_relay_is_enqueued_for_a_transaction_that_records_many_events(
    owner, account, subscriber, enqueued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        for _ in range(3):
            log_touchpoint(owner, account)

    assert JourneyEvent.objects.filter(dispatched_at__isnull=True).count() == 3
    assert len(enqueued) == 1


def test_an_event_nobody_listens_to_is_logged_as_dispatched_without_a_relay(
    owner, account, enqueued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        log_touchpoint(owner, account)

    [event] = JourneyEvent.objects.all()
    assert event.event_type == JourneyEventType.TOUCHPOINT_CREATED
    assert event.dispatched_at is not None
    assert enqueued == []


def test_a_broker_that_is_down_loses_no_event(
    owner, account, subscriber, monkeypatch, django_capture_on_commit_callbacks
):
    def broker_down(*args, **kwargs):
        raise ConnectionError("Error 111 connecting to redis:6379. Connection refused.")

    monkeypatch.setattr(tasks.journey_events_relay, "delay", broker_down)

    with django_capture_on_commit_callbacks(execute=True):
        touchpoint = log_touchpoint(owner, account)

    assert Touchpoint.objects.filter(pk=touchpoint.pk).exists()
    event = JourneyEvent.objects.get(event_type=JourneyEventType.TOUCHPOINT_CREATED)
    assert event.dispatched_at is None
    assert journey_events_dispatch_pending() == 1, "the periodic relay catches up"
    assert subscriber.received == [event.pk]


def test_the_relay_task_hands_out_pending_events(subscriber):
    event = record()

    tasks.journey_events_relay.apply()

    assert subscriber.received == [event.pk]
    assert JourneyEvent.objects.get(pk=event.pk).dispatched_at is not None


def test_an_event_keeps_who_did_it_and_when(owner, account, subscriber):
    moment = timezone.now() - timedelta(hours=1)

    event = journey_event_record(
        event_type=JourneyEventType.ORGANIZATION_UPDATED,
        organization=account,
        actor=owner,
        payload={"changed": ["city"]},
        occurred_at=moment,
    )

    event.refresh_from_db()
    assert (event.organization, event.actor, event.occurred_at) == (account, owner, moment)
    assert event.payload == {"changed": ["city"]}
    assert (event.dispatched_at, event.attempts, event.last_error) == (None, 0, "")


# --- pruning --------------------------------------------------------------------------------------


@pytest.fixture
def aged_events():
    now = timezone.now()
    old_dispatched = record()
    recent_dispatched = record()
    old_pending = record()
    JourneyEvent.objects.filter(pk=old_dispatched.pk).update(
        occurred_at=now - timedelta(days=120), dispatched_at=now - timedelta(days=100)
    )
    JourneyEvent.objects.filter(pk=recent_dispatched.pk).update(
        occurred_at=now - timedelta(days=10), dispatched_at=now - timedelta(days=10)
    )
    JourneyEvent.objects.filter(pk=old_pending.pk).update(
        occurred_at=now - timedelta(days=200), attempts=MAX_ATTEMPTS
    )
    return old_dispatched, recent_dispatched, old_pending


def test_pruning_deletes_only_dispatched_events_older_than_the_retention(aged_events):
    _old_dispatched, recent_dispatched, old_pending = aged_events

    assert journey_events_prune(keep_days=90) == 1

    assert set(JourneyEvent.objects.values_list("pk", flat=True)) == {recent_dispatched.pk, old_pending.pk}


def test_the_prune_task_keeps_events_for_the_configured_number_of_days(aged_events, settings):
    *_dispatched, old_pending = aged_events
    settings.DSV_JOURNEY_EVENTS_KEEP_DAYS = 7

    tasks.journey_events_prune.apply()

    assert list(JourneyEvent.objects.values_list("pk", flat=True)) == [old_pending.pk]


def test_the_subscriber_registry_lists_specific_and_catch_all_handlers(subscriber, touchpoint_subscriber):
    assert events.subscribers_for(JourneyEventType.TOUCHPOINT_CREATED)[-2:] == [
        touchpoint_subscriber,
        subscriber,
    ]
    assert touchpoint_subscriber not in events.subscribers_for(JourneyEventType.ORGANIZATION_CREATED)


def test_old_idempotency_keys_are_pruned_and_recent_ones_kept(owner):
    from datetime import timedelta

    from django.utils import timezone

    from journeys.idempotency import idempotency_keys_prune
    from journeys.models import IdempotencyKey

    old = IdempotencyKey.objects.create(user=owner, key="old", endpoint="POST /x", request_fingerprint="a")
    IdempotencyKey.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=49))
    IdempotencyKey.objects.create(user=owner, key="new", endpoint="POST /x", request_fingerprint="b")

    assert idempotency_keys_prune(keep_hours=48) == 1
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["new"]


def test_the_relay_task_schedules_a_retry_when_the_database_connection_is_lost(monkeypatch):
    from django.db import OperationalError

    def lost_connection():
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(events, "journey_events_dispatch_pending", lost_connection)

    # Run in-process, Celery surfaces the scheduled retry as a Retry exception.
    with pytest.raises(Retry, match="server closed the connection"):
        tasks.journey_events_relay.apply(throw=False)


def test_the_relay_task_does_not_retry_a_programming_error(monkeypatch):
    def bug():
        raise ValueError("a bug, not a passing fault")

    monkeypatch.setattr(events, "journey_events_dispatch_pending", bug)

    result = tasks.journey_events_relay.apply(throw=False)

    assert result.state == "FAILURE"
