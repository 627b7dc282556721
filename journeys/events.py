"""The journey event outbox.

Every app records what happened along a journey with `journey_event_record`, inside the transaction of
the change itself, so an event exists if and only if the change committed. After commit a relay task is
enqueued; it hands pending events to the subscribers that later steps register with `subscribe`. If the
broker is down the enqueue fails quietly and the periodic relay (every minute) picks the events up, so
no work is lost. Subscribers run inside the relay's transaction, once per event; they must be quick
(typically they enqueue their own task on commit) and idempotent, because a failed event is retried.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from journeys.models import JourneyEvent

logger = logging.getLogger(__name__)

Subscriber = Callable[[JourneyEvent], None]
_subscribers: dict[str, list[Subscriber]] = defaultdict(list)
ALL_EVENTS = "*"
MAX_ATTEMPTS = 10


def subscribe(*event_types: str) -> Callable[[Subscriber], Subscriber]:
    """Register a handler for some event types (or ALL_EVENTS). Call it at import time (AppConfig.ready)."""

    def register(handler: Subscriber) -> Subscriber:
        for event_type in event_types or (ALL_EVENTS,):
            if handler not in _subscribers[event_type]:
                _subscribers[event_type].append(handler)
        return handler

    return register


def unsubscribe(handler: Subscriber) -> None:
    for handlers in _subscribers.values():
        if handler in handlers:
            handlers.remove(handler)


def subscribers_for(event_type: str) -> list[Subscriber]:
    return [*_subscribers.get(event_type, []), *_subscribers.get(ALL_EVENTS, [])]


def journey_event_record(
    *,
    event_type: str,
    organization=None,
    journey=None,
    payload: dict | None = None,
    actor=None,
    occurred_at=None,
) -> JourneyEvent:
    """Write an event in the caller's transaction and arrange the relay for after commit.

    An event that no subscriber listens to is recorded as already dispatched: it stays in the journey's
    event log, and no relay runs for nothing."""
    has_subscribers = bool(subscribers_for(event_type))
    event = JourneyEvent.objects.create(
        event_type=event_type,
        organization=organization,
        journey=journey,
        payload=payload or {},
        actor=actor if getattr(actor, "pk", None) else None,
        occurred_at=occurred_at or timezone.now(),
        dispatched_at=None if has_subscribers else timezone.now(),
    )
    if has_subscribers:
        _enqueue_relay_once_on_commit()
    return event


def _enqueue_relay_once_on_commit() -> None:
    """One relay per transaction is enough, however many events it wrote (a bulk upsert writes many)."""
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(
        callback is _enqueue_relay for _savepoints, callback, _robust in connection.run_on_commit
    ):
        return
    transaction.on_commit(_enqueue_relay)


def _enqueue_relay() -> None:
    from journeys.tasks import journey_events_relay

    try:
        journey_events_relay.delay()
    except Exception:  # the broker is down: the periodic relay will find the pending events
        logger.warning("Could not enqueue the journey event relay; the periodic relay will catch up.")


def journey_events_dispatch_pending(*, batch_size: int = 500) -> int:
    """Hand pending events to their subscribers, oldest first. Returns how many were dispatched.

    Rows are locked with SKIP LOCKED (PostgreSQL) so concurrent relays never hand the same event out
    twice; each event's subscribers run in a savepoint and the event is marked dispatched in the same
    transaction as their work.
    """
    dispatched = 0
    with transaction.atomic():
        events = list(
            JourneyEvent.objects.select_for_update(skip_locked=True)
            .filter(dispatched_at__isnull=True, attempts__lt=MAX_ATTEMPTS)
            .order_by("id")[:batch_size]
        )
        now = timezone.now()
        done: list[int] = []
        for event in events:
            handlers = subscribers_for(event.event_type)
            try:
                if handlers:
                    with transaction.atomic():
                        for handler in handlers:
                            handler(event)
            except Exception as error:
                logger.exception("Journey event %s failed in a subscriber", event.pk)
                JourneyEvent.objects.filter(pk=event.pk).update(
                    attempts=event.attempts + 1, last_error=repr(error)[:2000]
                )
                continue
            done.append(event.pk)
        if done:
            JourneyEvent.objects.filter(pk__in=done).update(dispatched_at=now, attempts=F("attempts") + 1)
        dispatched = len(done)
    return dispatched


def journey_events_prune(*, keep_days: int) -> int:
    """Delete dispatched events older than `keep_days`; pending ones are always kept."""
    cutoff = timezone.now() - timedelta(days=keep_days)
    deleted, _ = JourneyEvent.objects.filter(dispatched_at__lt=cutoff).delete()
    return deleted
