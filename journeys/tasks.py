"""Background jobs of the spine. Thin: each calls an idempotent function, so running one twice (a
retry, a redelivery after a worker died) does no harm. Only transient database trouble (a lost
connection, a lock timeout) is retried, with backoff and a bounded count; anything else is a bug
to see in the logs, and the periodic schedule runs the job again anyway."""

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError

from journeys import events, idempotency, summaries

TRANSIENT = {
    "autoretry_for": (OperationalError, InterfaceError),
    "retry_backoff": 2,
    "retry_backoff_max": 60,
    "max_retries": 5,
    "ignore_result": True,
}


@shared_task(acks_late=True, **TRANSIENT)
def journey_events_relay() -> int:
    return events.journey_events_dispatch_pending()


@shared_task(**TRANSIENT)
def journey_events_prune() -> int:
    return events.journey_events_prune(keep_days=settings.DSV_JOURNEY_EVENTS_KEEP_DAYS)


@shared_task(**TRANSIENT)
def idempotency_keys_prune() -> int:
    return idempotency.idempotency_keys_prune(keep_hours=settings.DSV_IDEMPOTENCY_KEEP_HOURS)


@shared_task(**TRANSIENT)
def account_summaries_refresh() -> int:
    return summaries.account_summaries_refresh_all()
