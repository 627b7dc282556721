"""Background jobs of Realize. Thin and idempotent like the spine's (journeys/tasks.py): running one
twice, or both at once, leaves the same rows (each takes the refresh mark's lock first)."""

from celery import shared_task

from journeys.tasks import TRANSIENT
from realization import services


@shared_task(**TRANSIENT)
def step_activity_refresh() -> int:
    """Every five minutes: recount the organization-months whose touchpoints changed, the requests
    that changed and the stays of the journeys that moved."""
    return services.step_activity_refresh()


@shared_task(**TRANSIENT)
def step_activity_rebuild() -> int:
    """Nightly: every row from scratch, which also forgets deleted and moved touchpoints and deleted
    step changes."""
    return services.step_activity_rebuild()
