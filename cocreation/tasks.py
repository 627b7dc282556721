"""Background jobs of Co-create (their schedule is in CELERY_BEAT_SCHEDULE). Thin: each calls an
idempotent service, so running one twice, or two at once, notifies nobody twice; only transient
database trouble is retried (journeys.tasks.TRANSIENT).

- `request_clocks_check`: every minute; request clocks whose warning or limit has come are brought up
  to date, a breach becomes a measurement of its target in Agree, and the assignee (or the account's
  owner) gets one e-mail for the warning and one for the breach.
"""

from celery import shared_task

from cocreation.services import clocks as services
from journeys.tasks import TRANSIENT

__all__ = ["request_clocks_check"]


@shared_task(**TRANSIENT)
def request_clocks_check() -> dict:
    result = services.request_clocks_check()
    return {"examined": result.examined, "warned": len(result.warned), "breached": len(result.breached)}
