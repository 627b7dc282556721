"""Background jobs of the compliance engine. Thin: each calls an idempotent service with ids, so running
one twice (a retry, a redelivery after a worker died) does no harm. Only transient database trouble is
retried, with backoff and a bounded count (journeys.tasks.TRANSIENT).

- `compliance_recompute_task`: on demand, enqueued after commit by the measurement services (the
  targets whose measurements changed) and by the agreement page's and the API's "recompute".
- `compliance_close_periods`: daily, shortly after midnight (CELERY_BEAT_SCHEDULE
  "agreements-compliance-close-periods"): every target's previous and current period, so the period
  that just ended is final (`is_closed`) and its breaches are e-mailed.
- `breach_notify`: e-mails one breach to its owner, once.
"""

from celery import shared_task

from agreements.services import compliance as services
from journeys.tasks import TRANSIENT

__all__ = ["breach_notify", "compliance_close_periods", "compliance_recompute_task"]


@shared_task(acks_late=True, **TRANSIENT)
def compliance_recompute_task(
    target_ids: list[int] | None = None, agreement_ids: list[int] | None = None
) -> dict:
    return services.compliance_recompute(target_ids=target_ids, agreement_ids=agreement_ids)


@shared_task(acks_late=True, **TRANSIENT)
def compliance_close_periods() -> dict:
    return services.compliance_recompute(recent_periods=2)


@shared_task(acks_late=True, **TRANSIENT)
def breach_notify(breach_id: int) -> bool:
    return services.breach_notification_send(breach_id=breach_id)
