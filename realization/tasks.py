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


@shared_task(**TRANSIENT)
def survey_triggers_scan() -> int:
    """Every five minutes: turn new triggers into invitations (or recorded decisions not to invite)."""
    return services.survey_triggers_scan()


@shared_task(**TRANSIENT)
def survey_invitations_send() -> int:
    """Every minute: send the invitations that are due, remind once, expire the old ones."""
    return services.survey_invitations_send()


@shared_task(**TRANSIENT)
def value_metrics_refresh() -> int:
    """Every ten minutes: recompute the snapshots of the accounts with new data; notify new watermelons."""
    return services.value_metrics_refresh()


@shared_task(**TRANSIENT)
def value_metrics_rebuild() -> int:
    """Nightly: every snapshot from scratch."""
    return services.value_metrics_rebuild()
