"""Writes of Realize: keeping the live journey map's read models true to their sources:
`StepActivityMonth` to the touchpoints, `RequestStanding` to the requests and their clocks,
`JourneyStepStay` to the journeys' step history.

Each row counts one organization's touchpoints of one journey step in one calendar month (the month
cut in the site's time zone): how many, the sum of their sentiment, the moments of truth and the
negative ones. Two ways keep the rows:

- `step_activity_refresh` (every five minutes) reads which (organization, month) pairs have
  touchpoints changed since its last run (`updated_at` past the `RefreshMark`) and recounts those
  organization-months whole, every step at once: one grouped query per month and batch of
  organizations, their old rows of that month deleted and the new ones inserted. A touchpoint whose
  step, sentiment or flag changed is therefore counted right at once. What a refresh cannot see is
  where a touchpoint was: one deleted, or moved to another month or organization, leaves its old
  organization-month counting it until the nightly rebuild heals it. Each run reads a little before
  its mark (`OVERLAP`), so a transaction that committed late with an older `updated_at` is still
  picked up; recounting a month twice changes nothing.
- `step_activity_rebuild` (nightly, after bulk loads, and `manage.py refresh_step_activity`) deletes
  every row and inserts them again with one `INSERT … SELECT … GROUP BY`, which also heals deletions.

The month is Django's `TruncMonth` in the site time zone, so the SQL comes from the ORM and is right on
SQLite and PostgreSQL alike.

The requests' standing (`RequestStanding`, one per request that is open or has a breached clock) is
kept the same two ways, under a mark of its own: the refresh rewrites the rows of the requests that
changed, or whose clocks changed, since the mark; the rebuild rewrites them all. Both write them with
one `INSERT … SELECT` (the latest breach of a request is the MAX over its breached clocks).

The stays (`JourneyStepStay`, one per `JourneyStepChange`) are kept the same two ways, under a mark
of their own: the refresh replaces the stays of every journey that has a step change, or whose own
row changed (its end, its organization), since the mark (`updated_at` of either past it, less
`OVERLAP`); the rebuild replaces them all. Both write them with one `INSERT … SELECT` in which LEAD
over the journey's changes (by time, then id) gives when each stay ended, else the journey's end; a
stay still open has no end, and the map counts it until now. A deleted step change is, again, healed
by the nightly rebuild.
"""

from __future__ import annotations

import zoneinfo
from calendar import monthrange
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, DateField, Max, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from cocreation.models import OPEN_REQUEST_STATUSES, ClockState, RequestClock, ServiceRequest
from journeys.models import Journey, JourneyStepChange, Touchpoint
from realization.models import JourneyStepStay, RefreshMark, RequestStanding, StepActivityMonth

__all__ = [
    "MARK",
    "month_bounds",
    "month_of",
    "request_standing_rebuild",
    "request_standing_refresh",
    "site_zone",
    "step_activity_rebuild",
    "step_activity_refresh",
    "step_stays_rebuild",
    "step_stays_refresh",
]

MARK = "step_activity"
STAYS_MARK = "step_stays"
REQUESTS_MARK = "request_standing"
OVERLAP = timedelta(minutes=2)
BATCH_ORGANIZATIONS = 500
BATCH_ROWS = 500
COLUMNS = ("organization_id", "step", "month", "touchpoints", "sentiment_sum", "moments_of_truth", "negative")


def site_zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def month_of(moment: datetime) -> date:
    """The first day of the moment's month in the site time zone."""
    local = moment.astimezone(site_zone())
    return date(local.year, local.month, 1)


def month_bounds(first: date, last: date) -> tuple[datetime, datetime]:
    """The instants from the start of month `first` to the end of month `last`, in the site zone."""
    zone = site_zone()
    end_day = date(last.year, last.month, monthrange(last.year, last.month)[1]) + timedelta(days=1)
    return (
        datetime(first.year, first.month, 1, tzinfo=zone),
        datetime(end_day.year, end_day.month, end_day.day, tzinfo=zone),
    )


def _month_expression() -> TruncMonth:
    return TruncMonth("occurred_at", output_field=DateField(), tzinfo=site_zone())


def _counted(touchpoints: QuerySet[Touchpoint]) -> QuerySet:
    """The grouped count of touchpoints per organization, step and month, its columns in COLUMNS'
    order (values_list keeps the order it is given)."""
    return (
        touchpoints.order_by()
        .annotate(activity_month=_month_expression())
        .values("organization_id", "step", "activity_month")
        .annotate(
            volume=Count("id"),
            sentiment_total=Coalesce(Sum("sentiment"), 0),
            moments=Count("id", filter=Q(moment_of_truth=True)),
            negatives=Count("id", filter=Q(sentiment__lt=0)),
        )
        .values_list(
            "organization_id", "step", "activity_month", "volume", "sentiment_total", "moments", "negatives"
        )
    )


def _lock_mark(name: str = MARK) -> RefreshMark:
    """The mark's row, locked for the transaction: two runs at once would both insert the same rows.
    Whoever takes both marks takes the activity's first."""
    RefreshMark.objects.get_or_create(name=name)
    return RefreshMark.objects.select_for_update().get(name=name)


@transaction.atomic
def step_activity_rebuild() -> int:
    """Every row again from all touchpoints, in SQL: one DELETE and one INSERT … SELECT … GROUP BY;
    then the requests' standing and every stay (`request_standing_rebuild`, `step_stays_rebuild`).
    Returns the number of activity rows."""
    mark = _lock_mark()
    reached = Touchpoint.objects.aggregate(last=Max("updated_at"))["last"]
    StepActivityMonth.objects.all().delete()
    select_sql, params = _counted(Touchpoint.objects.all()).query.sql_with_params()
    table = connection.ops.quote_name(StepActivityMonth._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(column) for column in COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({columns}) {select_sql}", params)
        rows = cursor.rowcount
    mark.reached = reached
    mark.refreshed_at = timezone.now()
    mark.save()
    _standing_rebuild()
    _stays_rebuild()
    return rows


def _recount(organization_ids: list[int], month: date) -> int:
    """Recount the organizations' touchpoints of one month (every step): one grouped query, then
    their rows of that month replaced."""
    start, end = month_bounds(month, month)
    counted = list(
        _counted(
            Touchpoint.objects.filter(
                organization_id__in=organization_ids, occurred_at__gte=start, occurred_at__lt=end
            )
        )
    )
    StepActivityMonth.objects.filter(organization_id__in=organization_ids, month=month).delete()
    StepActivityMonth.objects.bulk_create(
        [StepActivityMonth(**dict(zip(COLUMNS, row, strict=True))) for row in counted], batch_size=1000
    )
    return len(counted)


@transaction.atomic
def step_activity_refresh() -> int:
    """Recount the organization-months whose touchpoints changed since the last run, then the rows of
    the requests that changed and the stays of the journeys whose history changed (see the module's
    docstring); without a mark yet, rebuild everything. Returns the number of rows written."""
    mark = _lock_mark()
    if mark.reached is None:
        return step_activity_rebuild()
    return _activity_refresh(mark) + _standing_refresh() + _stays_refresh()


def _activity_refresh(mark: RefreshMark) -> int:
    since = mark.reached - OVERLAP
    changed = Touchpoint.objects.filter(updated_at__gt=since)
    reached = changed.aggregate(last=Max("updated_at"))["last"]
    if reached is None:
        mark.refreshed_at = timezone.now()
        mark.save(update_fields=["refreshed_at"])
        return 0
    pairs = (
        changed.filter(updated_at__lte=reached)
        .order_by()
        .annotate(activity_month=_month_expression())
        .values_list("organization_id", "activity_month")
        .distinct()
    )
    organizations_by_month: dict[date, list[int]] = {}
    for organization_id, month in pairs:
        organizations_by_month.setdefault(month, []).append(organization_id)
    written = 0
    for month, organization_ids in sorted(organizations_by_month.items()):
        organization_ids.sort()
        for index in range(0, len(organization_ids), BATCH_ORGANIZATIONS):
            written += _recount(organization_ids[index : index + BATCH_ORGANIZATIONS], month)
    mark.reached = max(reached, mark.reached)
    mark.refreshed_at = timezone.now()
    mark.save()
    return written


# --- the requests' standing ------------------------------------------------------------------------


def _insert_standing(request_ids: list[int] | None = None) -> int:
    """Insert the rows of the requests (all of them with None) that are open or have a breached clock."""
    quote = connection.ops.quote_name
    standing = quote(RequestStanding._meta.db_table)
    requests = quote(ServiceRequest._meta.db_table)
    clocks = quote(RequestClock._meta.db_table)
    open_marks = ", ".join(["%s"] * len(OPEN_REQUEST_STATUSES))
    breached = "clock.request_id = request.id AND clock.state = %s"
    which, params = "", [*OPEN_REQUEST_STATUSES, ClockState.BREACHED.value, *OPEN_REQUEST_STATUSES]
    params.append(ClockState.BREACHED.value)
    if request_ids is not None:
        which = f"AND request.id IN ({', '.join(['%s'] * len(request_ids))})"
        params.extend(request_ids)
    sql = f"""
        INSERT INTO {standing} (request_id, organization_id, step, is_open, breached_at)
        SELECT request.id, request.organization_id, request.step, request.status IN ({open_marks}),
               (SELECT MAX(clock.breached_at) FROM {clocks} clock WHERE {breached})
        FROM {requests} request
        WHERE (request.status IN ({open_marks}) OR EXISTS (SELECT 1 FROM {clocks} clock WHERE {breached}))
        {which}
    """  # noqa: S608 - our own table names; every value a parameter
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


@transaction.atomic
def request_standing_rebuild() -> int:
    """Every request's row again: one DELETE and one INSERT … SELECT. Returns the number of rows."""
    return _standing_rebuild()


def _standing_rebuild() -> int:
    mark = _lock_mark(REQUESTS_MARK)
    reached = _latest(ServiceRequest.objects.all(), RequestClock.objects.all())
    RequestStanding.objects.all().delete()
    rows = _insert_standing()
    mark.reached = reached
    mark.refreshed_at = timezone.now()
    mark.save()
    return rows


@transaction.atomic
def request_standing_refresh() -> int:
    """Rewrite the rows of the requests that changed, or whose clocks changed, since the last run;
    without a mark yet, rebuild them all. Returns the number of rows written."""
    return _standing_refresh()


def _standing_refresh() -> int:
    mark = _lock_mark(REQUESTS_MARK)
    if mark.reached is None:
        return _standing_rebuild()
    since = mark.reached - OVERLAP
    requests = ServiceRequest.objects.filter(updated_at__gt=since)
    clocks = RequestClock.objects.filter(updated_at__gt=since)
    reached = _latest(requests, clocks)
    if reached is None:
        mark.refreshed_at = timezone.now()
        mark.save(update_fields=["refreshed_at"])
        return 0
    request_ids = sorted(
        set(requests.filter(updated_at__lte=reached).order_by().values_list("id", flat=True))
        | set(clocks.filter(updated_at__lte=reached).order_by().values_list("request_id", flat=True))
    )
    written = 0
    for index in range(0, len(request_ids), BATCH_ROWS):
        batch = request_ids[index : index + BATCH_ROWS]
        RequestStanding.objects.filter(request_id__in=batch).delete()
        written += _insert_standing(batch)
    mark.reached = max(reached, mark.reached)
    mark.refreshed_at = timezone.now()
    mark.save()
    return written


# --- the stays ------------------------------------------------------------------------------------


def _insert_stays(journey_ids: list[int] | None = None) -> int:
    """Insert the stays of the journeys (all of them with None) with one INSERT … SELECT."""
    quote = connection.ops.quote_name
    stays = quote(JourneyStepStay._meta.db_table)
    changes = quote(JourneyStepChange._meta.db_table)
    journeys = quote(Journey._meta.db_table)
    which, params = "", []
    if journey_ids is not None:
        which = f"WHERE journey.id IN ({', '.join(['%s'] * len(journey_ids))})"
        params = list(journey_ids)
    sql = f"""
        INSERT INTO {stays} (journey_id, organization_id, step, entered_at, left_at)
        SELECT change.journey_id, journey.organization_id, change.to_step, change.changed_at,
               COALESCE(LEAD(change.changed_at) OVER (PARTITION BY change.journey_id
                                                      ORDER BY change.changed_at, change.id),
                        journey.ended_at)
        FROM {changes} change JOIN {journeys} journey ON journey.id = change.journey_id
        {which}
    """  # noqa: S608 - our own table names; every value a parameter
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def _latest(*querysets: QuerySet) -> datetime | None:
    moments = [queryset.aggregate(last=Max("updated_at"))["last"] for queryset in querysets]
    return max((moment for moment in moments if moment is not None), default=None)


@transaction.atomic
def step_stays_rebuild() -> int:
    """Every stay again from every journey's step changes: one DELETE and one INSERT … SELECT.
    Returns the number of stays."""
    return _stays_rebuild()


def _stays_rebuild() -> int:
    mark = _lock_mark(STAYS_MARK)
    reached = _latest(JourneyStepChange.objects.all(), Journey.objects.all())
    JourneyStepStay.objects.all().delete()
    rows = _insert_stays()
    mark.reached = reached
    mark.refreshed_at = timezone.now()
    mark.save()
    return rows


@transaction.atomic
def step_stays_refresh() -> int:
    """Replace the stays of the journeys whose step changes or own row changed since the last run (see
    the module's docstring); without a mark yet, rebuild them all. Returns the number written."""
    return _stays_refresh()


def _stays_refresh() -> int:
    mark = _lock_mark(STAYS_MARK)
    if mark.reached is None:
        return _stays_rebuild()
    since = mark.reached - OVERLAP
    changes = JourneyStepChange.objects.filter(updated_at__gt=since)
    journeys = Journey.objects.filter(updated_at__gt=since)
    reached = _latest(changes, journeys)
    if reached is None:
        mark.refreshed_at = timezone.now()
        mark.save(update_fields=["refreshed_at"])
        return 0
    journey_ids = sorted(
        set(changes.filter(updated_at__lte=reached).order_by().values_list("journey_id", flat=True))
        | set(journeys.filter(updated_at__lte=reached).order_by().values_list("id", flat=True))
    )
    written = 0
    for index in range(0, len(journey_ids), BATCH_ROWS):
        batch = journey_ids[index : index + BATCH_ROWS]
        JourneyStepStay.objects.filter(journey_id__in=batch).delete()
        written += _insert_stays(batch)
    mark.reached = max(reached, mark.reached)
    mark.refreshed_at = timezone.now()
    mark.save()
    return written
