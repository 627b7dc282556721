"""Background jobs of Onboard (their schedule is in CELERY_BEAT_SCHEDULE). Thin: each calls an
idempotent service, so running one twice, or two at once, sends no mail twice; only transient database
trouble is retried (journeys.tasks.TRANSIENT).

- `onboarding_action_reminders`: daily; the owner of each open action due within
  DSV_ONBOARDING_DUE_SOON_DAYS, or overdue, gets one e-mail a day (a consumer's owner with a signed
  link to answer without an account).
- `onboarding_weekly_digest`: Mondays; each relationship manager gets one e-mail a week with the open
  plans of their accounts, their progress, and the actions overdue or due that week.
"""

from celery import shared_task

from journeys.tasks import TRANSIENT
from onboarding.services import reminders as services

__all__ = ["onboarding_action_reminders", "onboarding_weekly_digest"]


@shared_task(**TRANSIENT)
def onboarding_action_reminders() -> int:
    return services.action_reminders_send()


@shared_task(**TRANSIENT)
def onboarding_weekly_digest() -> int:
    return services.relationship_digests_send()
