"""Background jobs of the spine. Thin: they call the outbox functions, which are idempotent."""

from celery import shared_task
from django.conf import settings

from journeys import events, idempotency, summaries


@shared_task(ignore_result=True, acks_late=True)
def journey_events_relay() -> int:
    return events.journey_events_dispatch_pending()


@shared_task(ignore_result=True)
def journey_events_prune() -> int:
    return events.journey_events_prune(keep_days=settings.DSV_JOURNEY_EVENTS_KEEP_DAYS)


@shared_task(ignore_result=True)
def idempotency_keys_prune() -> int:
    return idempotency.idempotency_keys_prune(keep_hours=settings.DSV_IDEMPOTENCY_KEEP_HOURS)


@shared_task(ignore_result=True)
def account_summaries_refresh() -> int:
    return summaries.account_summaries_refresh_all()
