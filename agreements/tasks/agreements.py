"""Background jobs of Agree's agreements, both daily (their schedule is in CELERY_BEAT_SCHEDULE). Thin:
each calls an idempotent service, so running one twice does no harm; only transient database trouble
is retried (journeys.tasks.TRANSIENT).

- `agreements_expire_due`: active agreements whose end date has passed become expired, through the
  lifecycle's own move (history and journey event).
- `agreement_review_reminders`: the owner of each agreed or active agreement whose review is within a
  week or overdue gets one e-mail per review date.
"""

from celery import shared_task

from agreements.services import agreements as services
from journeys.tasks import TRANSIENT

__all__ = ["agreement_review_reminders", "agreements_expire_due"]


@shared_task(**TRANSIENT)
def agreements_expire_due() -> int:
    return services.agreements_expire_due()


@shared_task(**TRANSIENT)
def agreement_review_reminders() -> int:
    return services.agreement_review_reminders_send()
