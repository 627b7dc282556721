"""Background jobs of Offer. Thin: each loads what it needs by id and calls an idempotent service, so
running one twice (a retry, a redelivery after a worker died) does no harm. Only transient database
trouble is retried, with backoff and a bounded count (journeys.tasks.TRANSIENT).

- `demand_profile_recompute`: count one offering's demand profile again, enqueued after commit by
  offerings.services.demand (the page's and the API's "recompute", a journey linked to the offering).
- `demand_profiles_recompute_all`: the periodic recompute of every offering's demand profile (its
  schedule is in CELERY_BEAT_SCHEDULE).
"""

from datetime import date

from celery import shared_task

from journeys.tasks import TRANSIENT
from offerings.models import ServiceOffering
from offerings.services import demand as services


@shared_task(acks_late=True, **TRANSIENT)
def demand_profile_recompute(
    offering_id: int, covers_from: str | None = None, covers_to: str | None = None
) -> int | None:
    """The offering's computed profile over the period (ISO dates; the last 365 days when left out).
    Returns the profile's id, or None when the offering is gone."""
    offering = ServiceOffering.objects.filter(pk=offering_id).first()
    if offering is None:
        return None
    profile = services.demand_profile_recompute(
        offering=offering,
        covers_from=date.fromisoformat(covers_from) if covers_from else None,
        covers_to=date.fromisoformat(covers_to) if covers_to else None,
    )
    return profile.pk


@shared_task(**TRANSIENT)
def demand_profiles_recompute_all() -> int:
    return services.demand_profiles_recompute_all()
