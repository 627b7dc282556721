"""Writes of Offer: the patterns of business activity (demand profiles) of an offering.

A computed profile is counted from the touchpoints of the journeys linked to the offering, by the
database, in the current time zone, and stored as one cell per bucket (every hour, day of the week and
month, empty ones included); computing it again replaces the cells, so doing it twice changes nothing.
The page and the API ask for it through `demand_profile_request_recompute`, which checks the actor's
rights and hands the work to a Celery task after the transaction commits; a periodic job recomputes
every offering's profile (`demand_profiles_recompute_all`). An entered profile holds the 24 + 7 + 12
volumes someone typed in.

The catalogue is the provider's own: relationship managers and administrators (and integrators,
through the API) shape every offering's profiles; the service desk and analysts only read them. Bad
input raises ApplicationError naming the field (a volume as `hour_of_day[10]`), and nothing is saved.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from journeys import roles
from journeys.base import ApplicationError
from offerings.models import (
    BUCKET_RANGES,
    DemandDimension,
    DemandProfile,
    DemandProfileCell,
    DemandProfileSource,
    DemandTrend,
    OfferingJourney,
    ServiceOffering,
)
from offerings.selectors.demand import demand_counts, demand_period, demand_touchpoints

__all__ = [
    "DEMAND_DESCRIPTION_FIELDS",
    "demand_profile_describe",
    "demand_profile_enter",
    "demand_profile_recompute",
    "demand_profile_remove",
    "demand_profile_request_recompute",
    "demand_profile_schedule_recompute",
    "demand_profiles_recompute_all",
]

logger = logging.getLogger(__name__)

DEMAND_DESCRIPTION_FIELDS = ("activity", "trend", "notes")
ACTIVITY_MAX_LENGTH = DemandProfile._meta.get_field("activity").max_length
WRITE_REFUSED = "Only relationship managers and administrators shape the demand profiles of offerings."
VOLUME_MAX = 2_147_483_647  # what the database's volume column holds


def _require_writer(actor) -> None:
    if not roles.may_manage_accounts(actor):
        raise PermissionDenied(WRITE_REFUSED)


def _fail(errors: dict[str, list[str]]) -> None:
    if errors:
        first = next(iter(errors.values()))[0]
        message = first if len(errors) == 1 else f"{first} ({len(errors)} problems in all.)"
        raise ApplicationError(message, fields=errors)


def _profile_for(offering: ServiceOffering, source: str) -> DemandProfile:
    """The offering's profile of that source, locked until the transaction ends; made when missing (a
    computed one gets its date at once, as the database demands)."""
    profile = DemandProfile.objects.select_for_update().filter(offering=offering, source=source).first()
    if profile is not None:
        return profile
    try:
        with transaction.atomic():
            return DemandProfile.objects.create(
                offering=offering,
                source=source,
                activity="",
                computed_at=timezone.now() if source == DemandProfileSource.COMPUTED else None,
            )
    except IntegrityError:  # made by someone else at the same moment: use theirs
        return DemandProfile.objects.select_for_update().get(offering=offering, source=source)


def _replace_cells(profile: DemandProfile, volumes: dict[str, dict[int, int]]) -> None:
    """Every bucket of every dimension, empty ones as 0, in place of whatever the profile held."""
    DemandProfileCell.objects.filter(profile=profile).delete()
    DemandProfileCell.objects.bulk_create(
        DemandProfileCell(
            profile=profile, dimension=dimension, bucket=bucket, volume=volumes[dimension].get(bucket, 0)
        )
        for dimension, buckets in BUCKET_RANGES.items()
        for bucket in buckets
    )


# --- computed profiles ----------------------------------------------------------------------------


def _period(covers_from, covers_to) -> tuple[date, date]:
    errors: dict[str, list[str]] = {}
    for name, value in (("covers_from", covers_from), ("covers_to", covers_to)):
        if value is not None and not isinstance(value, date):
            errors[name] = ["Give the day as a date, e.g. 2026-01-31."]
    _fail(errors)
    first, last = demand_period(covers_from, covers_to)
    if last < first:
        _fail(
            {"covers_to": [f"The period cannot end ({last:%d %b %Y}) before it starts ({first:%d %b %Y})."]}
        )
    if last > timezone.localdate():
        _fail({"covers_to": ["The period ends today at the latest: touchpoints to come cannot be counted."]})
    return first, last


def demand_profile_recompute(
    *, offering: ServiceOffering, covers_from: date | None = None, covers_to: date | None = None
) -> DemandProfile:
    """Count the touchpoints of the offering's linked journeys per hour, day of the week and month over
    the period (the last 365 days unless given) and store them as the computed profile, replacing its
    cells. Idempotent: the same touchpoints give the same profile. Three counting queries, then one
    short transaction. Rights are the caller's to check (the task runs on behalf of no one)."""
    first, last = _period(covers_from, covers_to)
    counts = demand_counts(demand_touchpoints(offering=offering, covers_from=first, covers_to=last))
    with transaction.atomic():
        profile = _profile_for(offering, DemandProfileSource.COMPUTED)
        _replace_cells(profile, counts)
        profile.covers_from, profile.covers_to = first, last
        profile.computed_at = timezone.now()
        profile.save(update_fields=["covers_from", "covers_to", "computed_at", "updated_at"])
    return profile


def _enqueue(offering_id: int, covers_from: date | None, covers_to: date | None) -> None:
    from offerings.tasks import demand_profile_recompute as task

    try:
        task.delay(
            offering_id,
            covers_from.isoformat() if covers_from else None,
            covers_to.isoformat() if covers_to else None,
        )
    except Exception:  # the broker is down: the periodic recompute will catch up
        logger.warning(
            "Could not enqueue the demand profile of offering %s; the periodic job will.", offering_id
        )


def demand_profile_schedule_recompute(
    *, offering_id: int, covers_from: date | None = None, covers_to: date | None = None
) -> None:
    """Recompute the offering's computed profile in the background once the caller's transaction
    commits (at once when there is none). For other services, e.g. after linking a journey to the
    offering; no rights are checked here."""
    transaction.on_commit(lambda: _enqueue(offering_id, covers_from, covers_to))


@transaction.atomic
def demand_profile_request_recompute(
    *, actor, offering: ServiceOffering, covers_from: date | None = None, covers_to: date | None = None
) -> tuple[date, date]:
    """Someone asks for the computed profile to be counted again (over the period given, else the last
    365 days): checked here, counted by a task after commit. Returns the period that will be counted."""
    _require_writer(actor)
    first, last = _period(covers_from, covers_to)
    demand_profile_schedule_recompute(offering_id=offering.pk, covers_from=first, covers_to=last)
    return first, last


def demand_profiles_recompute_all() -> int:
    """The periodic job: recompute the profile of every offering that has linked journeys or a computed
    profile already (whose journeys may all have been unlinked since), each over the last 365 days and
    in its own transaction. Returns how many were recomputed."""
    linked = OfferingJourney.objects.filter(offering=OuterRef("pk"))
    computed = DemandProfile.objects.filter(offering=OuterRef("pk"), source=DemandProfileSource.COMPUTED)
    offerings = ServiceOffering.objects.filter(Q(Exists(linked)) | Q(Exists(computed))).order_by("pk")
    done = 0
    for offering in offerings.iterator():
        demand_profile_recompute(offering=offering)
        done += 1
    return done


# --- entered profiles and descriptions ------------------------------------------------------------


def _description(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(fields) - set(DEMAND_DESCRIPTION_FIELDS))
    errors: dict[str, list[str]] = {name: ["Unknown field."] for name in unknown}
    values = {}
    if fields.get("activity") is not None:
        activity = str(fields["activity"]).strip()
        if len(activity) > ACTIVITY_MAX_LENGTH:
            errors["activity"] = [
                f"Keep the activity to {ACTIVITY_MAX_LENGTH} characters; it has {len(activity)}."
            ]
        values["activity"] = activity
    if fields.get("trend") is not None:
        if fields["trend"] not in [*DemandTrend.values, ""]:
            errors["trend"] = [f"Choose repetitive, growth or decline (or none); not “{fields['trend']}”."]
        values["trend"] = fields["trend"]
    if fields.get("notes") is not None:
        values["notes"] = str(fields["notes"]).strip()
    _fail(errors)
    return values


def _volumes(hour_of_day, day_of_week, month) -> dict[str, dict[int, int]]:
    """The three lists of volumes, each checked: the right length, whole numbers, none negative."""
    errors: dict[str, list[str]] = {}
    volumes: dict[str, dict[int, int]] = {}
    for dimension, given in (
        (DemandDimension.HOUR_OF_DAY, hour_of_day),
        (DemandDimension.DAY_OF_WEEK, day_of_week),
        (DemandDimension.MONTH, month),
    ):
        buckets = BUCKET_RANGES[dimension]
        what = {
            "hour_of_day": "24 hours (0 to 23)",
            "day_of_week": "7 days (Monday first)",
            "month": "12 months",
        }
        if not isinstance(given, list | tuple) or len(given) != len(buckets):
            errors[dimension] = [f"Give one volume for each of the {what[dimension]}."]
            continue
        volumes[dimension] = {}
        for bucket, value in zip(buckets, given, strict=True):
            if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= VOLUME_MAX:
                errors[f"{dimension}[{bucket}]"] = [
                    f"A volume is a whole number, 0 or more; {value!r} is not."
                ]
            else:
                volumes[dimension][bucket] = value
    _fail(errors)
    return volumes


@transaction.atomic
def demand_profile_enter(
    *,
    actor,
    offering: ServiceOffering,
    hour_of_day: list[int],
    day_of_week: list[int],
    month: list[int],
    **description: Any,
) -> DemandProfile:
    """Enter (or replace) the offering's profile by hand: a volume for each hour of the day (0–23),
    each day of the week (Monday first) and each month, with the activity, trend and notes if given."""
    _require_writer(actor)
    volumes = _volumes(hour_of_day, day_of_week, month)
    values = _description(description)
    profile = _profile_for(offering, DemandProfileSource.ENTERED)
    _replace_cells(profile, volumes)
    for name, value in values.items():
        setattr(profile, name, value)
    profile.save()
    return profile


@transaction.atomic
def demand_profile_describe(*, actor, profile: DemandProfile, **fields: Any) -> DemandProfile:
    """Say which business activity creates the workload, how it moves (repetitive, growth, decline)
    and anything else worth knowing; fields left out (or None) keep what is there."""
    _require_writer(actor)
    values = _description(fields)
    profile = DemandProfile.objects.select_for_update().get(pk=profile.pk)
    changed = [name for name, value in values.items() if getattr(profile, name) != value]
    for name in changed:
        setattr(profile, name, values[name])
    if changed:
        profile.save(update_fields=[*changed, "updated_at"])
    return profile


@transaction.atomic
def demand_profile_remove(*, actor, profile: DemandProfile) -> None:
    """Remove a profile with its cells (a computed one comes back with the next recompute)."""
    _require_writer(actor)
    DemandProfile.objects.filter(pk=profile.pk).delete()
