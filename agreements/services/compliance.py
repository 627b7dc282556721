"""The compliance engine: each service level target's status per period, each agreement's and each
account's scorecard per month, and the breaches, computed from the measurements.

The rules:

- Scope. Active targets of active or expired agreements (an expired agreement only in the periods of
  its term). A target is scored in each of its periods (months or quarters, cut in its calendar's time
  zone) from the first period it has measurements in, but not before the period its agreement starts
  in nor more than `months_back` (24) months back, up to the period holding today (or, for an
  agreement that ended, holding its last day). A target without any measurement is scored in the
  current period only (as no data).
- A target switched off, or whose agreement is no longer active or expired (terminated), keeps its
  closed periods' scores as history; its open period's score is removed and its breach there cleared.
- Achieved value. The period's measurements that are not excluded, combined by the target's
  aggregation in the database (average, minimum, maximum, sum, count, or the latest by `measured_at`),
  rounded to 4 decimal places (half up) before it is compared, so the stored value and the status agree.
- Status. No data when nothing counted; breached when the comparator does not hold between the achieved
  value and the target; at risk when it holds but the achieved value has not reached the warning
  threshold: for ≥ and >, achieved < warning; for ≤ and <, achieved > warning. Reaching the threshold
  exactly is met. (= targets have no warning threshold.) Example, ≥ 99.5 % warning 99.7 %: 99.49 is
  breached, 99.5 and 99.69 are at risk, 99.7 and above are met.
- A score's period is closed when it ended before today in the target's time zone.
- Scorecards. Per agreement and month, over its scores whose period ends in that month (a quarterly
  target counts in its quarter's last month) and that have data: how many were measured, met, at risk,
  breached, and the compliance % = (met + at risk) ÷ measured × 100, one decimal, half up. Per account
  (agreement empty) the same over all its agreements' scores. A scorecard exists for every month that
  holds a score (no data only: zero measured, no %); one whose month no longer holds any is deleted.
- Breaches. Every breached score has one Breach (target, period). A breach of the open period whose
  score recovers is cleared; breached again, it is raised again (uncleared). Breaches of closed periods
  stay as they were raised. A new breach records the SLA_BREACHED journey event. The owner is e-mailed
  once per breach (`breach_notify`) when the breach is of the target's current or previous period and
  not cleared when the mail goes out; breaches found for older periods (a backfill, an old import) are
  recorded and shown but not e-mailed.
- Idempotent. Rows are compared with what is stored and only differences are written, so a second run
  over the same data writes nothing, raises no breach and sends no mail.

Speed: targets are taken in batches of about BATCH_TARGETS (never splitting an agreement), each batch in
its own transaction with its target rows locked (FOR NO KEY UPDATE, which does not block new
measurements) so two runs over the same targets queue up rather than interleave. A batch costs a fixed
handful of queries whatever its size: the first measured period per target, the grouped aggregates (one
query per aggregate function in use, each returning only its own), the latest values (only for "latest"
targets, by a window function), the stored scores and breaches, the writes, and the scorecards of its
agreements; the accounts' scorecards follow at the end. Writes are batched too: on PostgreSQL one INSERT
… SELECT FROM unnest(arrays) … ON CONFLICT per 2,000 rows, elsewhere the ORM's bulk_create. On
PostgreSQL the large reads take ids as one array (= ANY) and come straight from the cursor, without the
ORM's per-value converters. (On a two-core machine, 30,000 targets with 500,000 measurements take about
30 s the first time, writing 320,000 scores, 160,000 scorecards and 66,000 breaches; 23,000 targets with
200,000 scores take about 13 s the first time and about 3.5 s when nothing changed; the breach e-mails
come on top, about 5 ms each when Celery runs in-process.)
"""

from __future__ import annotations

import json
import logging
import operator
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import EmptyResultSet, PermissionDenied
from django.core.mail import EmailMultiAlternatives
from django.db import connection, transaction
from django.db.models import Avg, Count, F, Lookup, Max, Min, Q, Sum, Window
from django.db.models.functions import RowNumber
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from agreements.models import (
    Aggregation,
    AgreeEventType,
    AgreementStatus,
    Breach,
    Comparator,
    ComplianceStatus,
    Measurement,
    Scorecard,
    ServiceLevelTarget,
    TargetScore,
)
from agreements.periods import add_periods, period_bounds, period_label, period_start, zone_named
from journeys import roles
from journeys.base import ApplicationError
from journeys.events import subscribers_for
from journeys.models import JourneyEvent
from journeys.selectors import organization_is_visible

__all__ = [
    "BATCH_TARGETS",
    "MONTHS_BACK",
    "SCORED_AGREEMENT_STATUSES",
    "achieved_round",
    "breach_notification_send",
    "compliance_recompute",
    "compliance_recompute_request",
    "compliance_status",
]

logger = logging.getLogger(__name__)

BATCH_TARGETS = 2000
WRITE_BATCH = 2000
MONTHS_BACK = 24
SCORED_AGREEMENT_STATUSES = (AgreementStatus.ACTIVE, AgreementStatus.EXPIRED)
FOUR_PLACES = Decimal("0.0001")
TENTH = Decimal("0.1")
HUNDRED = Decimal(100)

# The score columns a recompute sets (besides target and period_start, its key, and the timestamps).
SCORE_FIELDS = (
    "agreement_id",
    "organization_id",
    "kind",
    "period",
    "period_end",
    "achieved_value",
    "measurement_count",
    "status",
    "is_closed",
)
SCORECARD_FIELDS = ("targets_measured", "met", "at_risk", "breached", "compliance_pct")


# --- the rules ------------------------------------------------------------------------------------


def achieved_round(value) -> Decimal | None:
    """An aggregate as stored and compared: a Decimal with 4 decimal places (SQLite averages in floats)."""
    if value is None:
        return None
    if not isinstance(value, Decimal):
        value = Decimal(str(value))
    return value.quantize(FOUR_PLACES, rounding=ROUND_HALF_UP)


def compliance_status(
    *, achieved: Decimal | None, comparator: str, target_value: Decimal, warning_threshold: Decimal | None
) -> ComplianceStatus:
    """A period's status from its achieved value (the rules in this module's docstring)."""
    if achieved is None:
        return ComplianceStatus.NO_DATA
    rule = Comparator(comparator)
    if not rule.holds(achieved, target_value):
        return ComplianceStatus.BREACHED
    if warning_threshold is not None:
        if rule.higher_is_better is True and achieved < warning_threshold:
            return ComplianceStatus.AT_RISK
        if rule.higher_is_better is False and achieved > warning_threshold:
            return ComplianceStatus.AT_RISK
    return ComplianceStatus.MET


@lru_cache(maxsize=65536)
def _pct(met: int, at_risk: int, measured: int) -> Decimal | None:
    if not measured:
        return None
    return (Decimal(met + at_risk) * HUNDRED / Decimal(measured)).quantize(TENTH, rounding=ROUND_HALF_UP)


def _months_before(day: date, months: int) -> date:
    return add_periods("month", day.replace(day=1), -months)


# --- the same rules, fast: a full run judges hundreds of thousands of periods ------------------------

_HOLDS = {
    Comparator.GTE.value: operator.ge,
    Comparator.GT.value: operator.gt,
    Comparator.LTE.value: operator.le,
    Comparator.LT.value: operator.lt,
    Comparator.EQ.value: operator.eq,
}
_MET = ComplianceStatus.MET.value
_AT_RISK = ComplianceStatus.AT_RISK.value
_BREACHED = ComplianceStatus.BREACHED.value
_NO_DATA = ComplianceStatus.NO_DATA.value
# The aggregate function of each aggregation (another one: the average); count and latest use the count.
_FUNCTIONS = {
    Aggregation.AVERAGE.value: Avg,
    Aggregation.MINIMUM.value: Min,
    Aggregation.MAXIMUM.value: Max,
    Aggregation.SUM.value: Sum,
    Aggregation.COUNT.value: None,
    Aggregation.LATEST.value: None,
}


@lru_cache(maxsize=4096)
def _judge(comparator: str, target_value: Decimal, warning_threshold: Decimal | None) -> Callable:
    """compliance_status for one rule, as a function of the achieved value alone (its .value)."""
    rule = Comparator(comparator)
    holds = _HOLDS[rule.value]
    higher = rule.higher_is_better
    if warning_threshold is None or higher is None:

        def judge(achieved):
            if achieved is None:
                return _NO_DATA
            return _MET if holds(achieved, target_value) else _BREACHED

    elif higher:

        def judge(achieved):
            if achieved is None:
                return _NO_DATA
            if not holds(achieved, target_value):
                return _BREACHED
            return _AT_RISK if achieved < warning_threshold else _MET

    else:

        def judge(achieved):
            if achieved is None:
                return _NO_DATA
            if not holds(achieved, target_value):
                return _BREACHED
            return _AT_RISK if achieved > warning_threshold else _MET

    return judge


@lru_cache(maxsize=4096)
def _spans(period: str, first: date, last: date) -> tuple[tuple[date, date], ...]:
    """(first day, last day) of each period from the one starting on `first` to the one on `last`."""
    spans = []
    start = first
    while start <= last:
        following = add_periods(period, start, 1)
        spans.append((start, following - timedelta(days=1)))
        start = following
    return tuple(spans)


class _AnyOf(Lookup):
    """`column = ANY(%s)` with the ids as one array (PostgreSQL): an IN list of a few thousand ids costs
    the ORM more to prepare, a placeholder per id, than the database to run."""

    lookup_name = "any_of"  # not registered: built by _among only
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", (*params, self.rhs)


def _among(field: str, ids: Iterable[int]):
    """A filter: `field` (a column of the queried model) is one of `ids`."""
    ids = list(ids)
    if connection.vendor == "postgresql" and ids:
        return _AnyOf(F(field), ids)
    return Q(**{f"{field}__in": ids})


def _rows(queryset) -> list[tuple]:
    """A values_list query's rows. On PostgreSQL straight from the cursor: psycopg2 already returns what
    the ORM would (int, Decimal, date, bool, str), and skipping the ORM's per-value converters saves
    seconds over the hundreds of thousands of rows of a full run. Elsewhere (SQLite returns an
    aggregate's date or decimal as text) through the ORM."""
    if connection.vendor != "postgresql":
        return list(queryset)
    try:
        sql, params = queryset.query.get_compiler(connection=connection).as_sql()
    except EmptyResultSet:
        return []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


# --- what one target is scored over -----------------------------------------------------------------


@dataclass(slots=True)
class _Target:
    pk: int
    agreement_id: int
    organization_id: int
    kind: str
    period: str
    aggregation: str
    comparator: str
    target_value: Decimal
    warning_threshold: Decimal | None
    time_zone: str | None
    starts_on: date | None
    ends_on: date | None
    # Set per run:
    today: date | None = None
    current: date | None = None  # start of the period holding today
    earliest: date | None = None  # the first period a run may write or delete
    last: date | None = None  # the last period scored (None: nothing to score)

    def window(self, *, today: date, months_back: int, recent_periods: int | None):
        """Set the run's window; `today` is the day in this target's time zone."""
        self.today = today
        self.current, self.earliest, self.last = _window(
            self.period, today, self.starts_on, self.ends_on, months_back, recent_periods
        )

    def spans(self, first_measured: date | None) -> tuple[tuple[date, date], ...]:
        """(first day, last day) of each period this target is scored in."""
        if self.last is None:
            return ()
        start = self.current if first_measured is None else min(first_measured, self.current)
        return _spans(self.period, max(start, self.earliest), self.last)

    def notifiable(self, start: date) -> bool:
        """Whether a breach of this period is e-mailed: the current period or the one before."""
        return start >= add_periods(self.period, self.current, -1)


@lru_cache(maxsize=4096)
def _window(
    period: str,
    today: date,
    starts_on: date | None,
    ends_on: date | None,
    months_back: int,
    recent_periods: int | None,
) -> tuple[date, date, date | None]:
    """(current, earliest, last) of a target's window: the start of the period holding today, the first
    period a run may write or delete, the last period scored (None: nothing to score)."""
    current = period_start(period, today)
    earliest = period_start(period, _months_before(today, months_back))
    if starts_on is not None:
        earliest = max(earliest, period_start(period, starts_on))
    if recent_periods is not None:
        earliest = max(earliest, add_periods(period, current, -(max(recent_periods, 1) - 1)))
    end_day = today if ends_on is None else min(today, ends_on)
    last = period_start(period, end_day)
    if starts_on is not None and starts_on > today:
        last = None
    return current, earliest, (last if last is not None and last >= earliest else None)


_TARGET_COLUMNS = (
    "pk",
    "agreement_id",
    "agreement__organization_id",
    "kind",
    "period",
    "aggregation",
    "comparator",
    "target_value",
    "warning_threshold",
    "calendar__time_zone",
    "agreement__starts_on",
    "agreement__ends_on",
)


def _scoped(queryset, *, target_ids, agreement_ids, organization_ids, fields: tuple[str, str, str]):
    """Narrow a query by target, agreement and account ids (None: no narrowing), named by `fields`."""
    for name, ids in zip(fields, (target_ids, agreement_ids, organization_ids), strict=True):
        if ids is not None:
            queryset = queryset.filter(**{f"{name}__in": ids})
    return queryset


def _batches(targets: list[_Target], size: int) -> Iterator[list[_Target]]:
    """Targets in batches of about `size`, an agreement's targets always together."""
    batch: list[_Target] = []
    for target in targets:
        if len(batch) >= size and batch[-1].agreement_id != target.agreement_id:
            yield batch
            batch = []
        batch.append(target)
    if batch:
        yield batch


def _chunks(items: list, size: int) -> Iterator[list]:
    for index in range(0, len(items), size):
        yield items[index : index + size]


def _write(
    model,
    columns: tuple[str, ...],
    rows: list[tuple],
    *,
    now: datetime,
    conflict: tuple[str, ...] = (),
    where: str = "",
    update: tuple[str, ...] = (),
) -> None:
    """Insert rows (tuples of `columns`, attnames) with created_at/updated_at = `now`. `conflict` names
    the unique index's columns (and its predicate, for a partial one) as SQL; with `update` a conflicting
    row is updated (and its updated_at set), without it left as it is.

    On PostgreSQL each batch is one INSERT … SELECT FROM unnest(arrays) … ON CONFLICT: a column per
    array, so the statement does not grow with a placeholder per value, and Django builds no model
    instance per row (a first run over a large portfolio writes hundreds of thousands). Elsewhere (SQLite)
    the ORM's bulk_create does the same."""
    if not rows:
        return
    stamps = [
        name for name in ("created_at", "updated_at") if any(f.name == name for f in model._meta.fields)
    ]
    if connection.vendor != "postgresql":
        objects = [
            model(**dict(zip(columns, row, strict=True)), **dict.fromkeys(stamps, now)) for row in rows
        ]
        options = {}
        if conflict and update:
            options = {
                "update_conflicts": True,
                "unique_fields": [model._meta.get_field(key).name for key in conflict],
                "update_fields": [model._meta.get_field(name).name for name in (*update, *stamps[1:])],
            }
        elif conflict:
            options = {"ignore_conflicts": True}
        model.objects.bulk_create(objects, batch_size=WRITE_BATCH, **options)
        return
    quote = connection.ops.quote_name
    fields = [model._meta.get_field(name) for name in columns]
    json_columns = {field.column for field in fields if field.get_internal_type() == "JSONField"}
    names = [field.column for field in fields]
    types = ["text" if field.column in json_columns else field.db_type(connection) for field in fields]
    selected = ", ".join(
        f"u.{quote(name)}::jsonb" if name in json_columns else f"u.{quote(name)}" for name in names
    )
    unnest = ", ".join(f"%s::{kind}[]" for kind in types)
    targets = ", ".join(quote(name) for name in [*names, *stamps])
    constants = "".join(", %s" for _stamp in stamps)
    statement = (
        f"INSERT INTO {quote(model._meta.db_table)} ({targets}) "  # noqa: S608 - our own names only
        f"SELECT {selected}{constants} FROM unnest({unnest}) AS u({', '.join(quote(name) for name in names)})"
    )
    target = ""
    if conflict:
        target = f"({', '.join(quote(model._meta.get_field(name).column) for name in conflict)})"
        target += f" WHERE {where}" if where else ""
    if conflict and update:
        updated = [quote(model._meta.get_field(name).column) for name in (*update, *stamps[1:])]
        assignments = ", ".join(f"{column} = EXCLUDED.{column}" for column in updated)
        statement += f" ON CONFLICT {target} DO UPDATE SET {assignments}"
    elif conflict:
        statement += f" ON CONFLICT {target} DO NOTHING"
    with connection.cursor() as cursor:
        for chunk in _chunks(rows, WRITE_BATCH):
            arrays = [list(values) for values in zip(*chunk, strict=True)]
            for index, field in enumerate(fields):
                if field.column in json_columns:
                    arrays[index] = [json.dumps(value) for value in arrays[index]]
            cursor.execute(statement, [*(now for _stamp in stamps), *arrays])


# --- the run --------------------------------------------------------------------------------------


@dataclass
class _Summary:
    targets: int = 0
    scores_written: int = 0
    scores_deleted: int = 0
    scorecards_written: int = 0
    scorecards_deleted: int = 0
    breaches_raised: int = 0
    breaches_cleared: int = 0
    breaches_reraised: int = 0


@dataclass
class _MonthSpan:
    """The months whose scorecards a run recomputes, per agreement and per account."""

    agreements: dict[int, int]  # agreement id → its organization id
    low: date | None = None
    high: date | None = None

    def cover(self, month: date) -> None:
        self.low = month if self.low is None or month < self.low else self.low
        self.high = month if self.high is None or month > self.high else self.high


def compliance_recompute(
    *,
    target_ids: Iterable[int] | None = None,
    agreement_ids: Iterable[int] | None = None,
    organization_ids: Iterable[int] | None = None,
    today: date | None = None,
    months_back: int | None = None,
    recent_periods: int | None = None,
) -> dict:
    """Recompute scores, scorecards and breaches of the targets in scope (all by default; narrowed by
    target, agreement and account ids, which combine). `today` fixes the day for every target (tests);
    by default each target's today is in its calendar's time zone. `months_back` bounds how far back
    (24 months); `recent_periods` limits the run to each target's last few periods (the daily close
    uses 2: the period that just ended and the current one). Returns a summary of what it wrote."""
    started = time.monotonic()
    now = timezone.now()
    months_back = MONTHS_BACK if months_back is None else max(0, int(months_back))
    summary = _Summary()
    if target_ids is not None:
        target_ids = list(target_ids)
    if agreement_ids is not None:
        agreement_ids = list(agreement_ids)
    if organization_ids is not None:
        organization_ids = list(organization_ids)

    rows = _scoped(
        ServiceLevelTarget.objects.filter(is_active=True, agreement__status__in=SCORED_AGREEMENT_STATUSES),
        target_ids=target_ids,
        agreement_ids=agreement_ids,
        organization_ids=organization_ids,
        fields=("pk", "agreement_id", "agreement__organization_id"),
    )
    targets = [
        _Target(*row) for row in _rows(rows.order_by("agreement_id", "pk").values_list(*_TARGET_COLUMNS))
    ]
    todays: dict[str | None, date] = {}  # time zone → its today
    for target in targets:
        local_today = today
        if local_today is None:
            local_today = todays.get(target.time_zone)
            if local_today is None:
                zone = zone_named(target.time_zone or "")
                local_today = todays[target.time_zone] = timezone.localtime(now, zone).date()
        target.window(today=local_today, months_back=months_back, recent_periods=recent_periods)
    summary.targets = len(targets)

    accounts: dict[int, set[date]] = defaultdict(set)  # organization id → months whose card may change
    for batch in _batches(targets, BATCH_TARGETS):
        with transaction.atomic():
            span = _recompute_batch(batch, now=now, summary=summary)
            _scorecards_write(span, now=now, summary=summary, accounts=accounts)

    # Scores of targets no longer measured (switched off, agreement terminated) leave their open period.
    with transaction.atomic():
        _retire_open_scores(
            target_ids=target_ids,
            agreement_ids=agreement_ids,
            organization_ids=organization_ids,
            now=now,
            summary=summary,
            accounts=accounts,
        )
    _account_scorecards_write(accounts, now=now, summary=summary)

    result = {
        "targets": summary.targets,
        "scores_written": summary.scores_written,
        "scores_deleted": summary.scores_deleted,
        "scorecards_written": summary.scorecards_written,
        "scorecards_deleted": summary.scorecards_deleted,
        "breaches_raised": summary.breaches_raised,
        "breaches_cleared": summary.breaches_cleared,
        "breaches_reraised": summary.breaches_reraised,
        "seconds": round(time.monotonic() - started, 3),
    }
    logger.info("Compliance recomputed: %s", result)
    return result


class _Score(NamedTuple):
    """A score as the run wants it: its key, then SCORE_FIELDS in order. (The run itself keeps scores
    as plain tuples in this order, compared as they are with the rows read back.)"""

    target_id: int
    period_start: date
    agreement_id: int
    organization_id: int
    kind: str
    period: str
    period_end: date
    achieved_value: Decimal | None
    measurement_count: int
    status: str
    is_closed: bool


_STATUS = _Score._fields.index("status")
_PERIOD_END = 2 + SCORE_FIELDS.index("period_end")


def _recompute_batch(batch: list[_Target], *, now: datetime, summary: _Summary) -> _MonthSpan:
    by_pk = {target.pk: target for target in batch}
    ids = list(by_pk)
    span = _MonthSpan(agreements={target.agreement_id: target.organization_id for target in batch})
    scored = [target for target in batch if target.last is not None]
    lowest = min(target.earliest for target in batch)
    # Queue up behind another run over the same targets (NO KEY: new measurements are not blocked).
    list(
        ServiceLevelTarget.objects.select_for_update(no_key=True)
        .filter(_among("pk", ids))
        .order_by("pk")
        .values_list("pk", flat=True)
    )

    first_measured = dict(
        _rows(
            Measurement.objects.filter(_among("target_id", ids))
            .order_by()
            .values("target_id")
            .annotate(first=Min("period_start"))
            .values_list("target_id", "first")
        )
    )
    # The grouped aggregates, (value, count) per target and period: one query per aggregate function,
    # each computing (and returning) only the one its targets use; count and latest need the count only.
    by_function: dict[type | None, list[int]] = defaultdict(list)
    for target in scored:
        by_function[_FUNCTIONS.get(target.aggregation, Avg)].append(target.pk)
    aggregates: dict[tuple[int, date], tuple] = {}
    for function, group in by_function.items():
        grouped = (
            Measurement.objects.filter(_among("target_id", group), excluded=False, period_start__gte=lowest)
            .order_by()
            .values("target_id", "period_start")
            .annotate(count=Count("pk"))
        )
        if function is None:
            for target_id, start, count in _rows(grouped.values_list("target_id", "period_start", "count")):
                aggregates[target_id, start] = (None, count)
        else:
            grouped = grouped.annotate(value=function("value"))
            for target_id, start, value, count in _rows(
                grouped.values_list("target_id", "period_start", "value", "count")
            ):
                aggregates[target_id, start] = (value, count)
    latest = _latest_values([t.pk for t in scored if t.aggregation == Aggregation.LATEST], lowest)

    # What the scores should be (as _Score tuples). The achieved value is rounded by achieved_round
    # and judged by compliance_status, inlined: Decimals quantized directly, the rule resolved per target.
    wanted: dict[tuple[int, date], tuple] = {}
    no_values = (None, 0)
    for target in scored:
        pk = target.pk
        spans = target.spans(first_measured.get(pk))
        if not spans:
            continue
        judge = _judge(target.comparator, target.target_value, target.warning_threshold)
        is_latest = target.aggregation == Aggregation.LATEST
        is_count = target.aggregation == Aggregation.COUNT
        agreement_id, organization_id, kind, period = (
            target.agreement_id,
            target.organization_id,
            target.kind,
            target.period,
        )
        today = target.today
        for start, end in spans:
            key = (pk, start)
            value, count = aggregates.get(key, no_values)
            if count:
                if is_latest:
                    value = latest.get(key)
                elif is_count:
                    value = count
                if type(value) is Decimal:
                    achieved = value.quantize(FOUR_PLACES, rounding=ROUND_HALF_UP)
                else:
                    achieved = achieved_round(value)
                status = judge(achieved)
            else:
                achieved, status = None, _NO_DATA
            wanted[key] = (
                pk,
                start,
                agreement_id,
                organization_id,
                kind,
                period,
                end,
                achieved,
                count,
                status,
                end < today,
            )
        span.cover(spans[0][1].replace(day=1))
        span.cover(spans[-1][1].replace(day=1))

    # What is stored: write only the differences, delete what should no longer be there.
    changed: list[tuple] = []
    stale: list[int] = []
    unstored = dict(wanted)
    for row in _rows(
        TargetScore.objects.filter(_among("target_id", ids), period_start__gte=lowest)
        .order_by()
        .values_list("target_id", "period_start", *SCORE_FIELDS, "pk")
    ):
        target_id, start = row[0], row[1]
        score = unstored.pop((target_id, start), None)
        if score is None:
            if start >= by_pk[target_id].earliest:
                stale.append(row[-1])
                span.cover(row[_PERIOD_END].replace(day=1))
            continue
        if row[:-1] != score:
            changed.append(score)
    changed.extend(unstored.values())
    _write(
        TargetScore,
        ("target_id", "period_start", *SCORE_FIELDS, "computed_at"),
        [(*score, now) for score in changed],
        now=now,
        conflict=("target_id", "period_start"),
        update=(*SCORE_FIELDS, "computed_at"),
    )
    for chunk in _chunks(stale, WRITE_BATCH):
        TargetScore.objects.filter(pk__in=chunk).delete()
    summary.scores_written += len(changed)
    summary.scores_deleted += len(stale)

    breached = {key: _Score(*score) for key, score in wanted.items() if score[_STATUS] == _BREACHED}
    _breaches_reconcile(by_pk, breached, lowest=lowest, now=now, summary=summary)
    return span


def _latest_values(target_ids: list[int], lowest: date) -> dict[tuple[int, date], Decimal]:
    """The value measured last in each period (ties: the one recorded last), numbered by the database."""
    if not target_ids:
        return {}
    order = [F("measured_at").desc(), F("pk").desc()]
    rows = (
        Measurement.objects.filter(_among("target_id", target_ids), excluded=False, period_start__gte=lowest)
        .annotate(place=Window(RowNumber(), partition_by=[F("target_id"), F("period_start")], order_by=order))
        .filter(place=1)
        .order_by()
        .values_list("target_id", "period_start", "value")
    )
    return {(target_id, start): value for target_id, start, value in _rows(rows)}


# --- breaches -------------------------------------------------------------------------------------


def _breaches_reconcile(
    by_pk: dict[int, _Target],
    breached: dict[tuple[int, date], _Score],
    *,
    lowest: date,
    now: datetime,
    summary: _Summary,
) -> None:
    """Bring the batch's breaches in line with its scores: raise the missing ones (with their journey
    events), clear those of open periods that recovered, raise cleared ones again, keep the achieved
    value current, and e-mail (after commit) the ones that should be and were not yet. `breached`: the
    batch's breached scores."""
    stored: dict[tuple[int, date], tuple] = {}
    for pk, target_id, start, achieved, cleared_at, notified_at in _rows(
        Breach.objects.filter(_among("target_id", by_pk), period_start__gte=lowest)
        .order_by()
        .values_list("pk", "target_id", "period_start", "achieved_value", "cleared_at", "notified_at")
    ):
        if start >= by_pk[target_id].earliest:
            stored[(target_id, start)] = (pk, achieved, cleared_at, notified_at)

    to_notify: list[int] = []
    updates: list[Breach] = []
    clear: list[int] = []
    for key, (pk, achieved, cleared_at, notified_at) in stored.items():
        target = by_pk[key[0]]
        score = breached.get(key)
        if score is None:
            # Only the open period recovers; a closed period's breach stays as it was raised.
            if cleared_at is None and key[1] == target.current:
                clear.append(pk)
            continue
        if cleared_at is not None or achieved != score.achieved_value:
            updates.append(
                Breach(pk=pk, achieved_value=score.achieved_value, cleared_at=None, updated_at=now)
            )
            if cleared_at is not None:
                summary.breaches_reraised += 1
        if notified_at is None and target.notifiable(key[1]):
            to_notify.append(pk)  # raised again, or an earlier notification that never went out
    if clear:
        summary.breaches_cleared += Breach.objects.filter(pk__in=clear, cleared_at__isnull=True).update(
            cleared_at=now, updated_at=now
        )
    for chunk in _chunks(updates, 500):
        Breach.objects.bulk_update(chunk, ["achieved_value", "cleared_at", "updated_at"])

    missing = [score for key, score in breached.items() if key not in stored]
    if missing:
        _write(
            Breach,
            ("target_id", "agreement_id", "organization_id", "period_start", "achieved_value", "detected_at"),
            [
                (
                    score.target_id,
                    score.agreement_id,
                    score.organization_id,
                    score.period_start,
                    score.achieved_value,
                    now,
                )
                for score in missing
            ],
            now=now,
            conflict=("target_id", "period_start"),
        )
        # Read back the ones this run created (another run's would carry another detection moment).
        created = list(
            Breach.objects.filter(
                target_id__in={score.target_id for score in missing},
                period_start__gte=lowest,
                detected_at=now,
            )
            .order_by("pk")
            .values_list("pk", "target_id", "agreement_id", "organization_id", "period_start")
        )
        summary.breaches_raised += len(created)
        _breach_events_record(created, by_pk, now=now)
        to_notify.extend(pk for pk, target_id, _a, _o, start in created if by_pk[target_id].notifiable(start))
    if to_notify:
        transaction.on_commit(lambda ids=tuple(to_notify): _enqueue_notifications(ids))


def _breach_events_record(created: list[tuple], by_pk: dict[int, _Target], *, now: datetime) -> None:
    """The SLA_BREACHED journey events of new breaches, written in this transaction like
    journeys.events.journey_event_record writes one, but in one statement for the whole batch (a first
    run over a large portfolio raises thousands)."""
    if not created:
        return
    has_subscribers = bool(subscribers_for(AgreeEventType.SLA_BREACHED))
    _write(
        JourneyEvent,
        (
            "event_type",
            "organization_id",
            "payload",
            "occurred_at",
            "dispatched_at",
            "attempts",
            "last_error",
        ),
        [
            (
                AgreeEventType.SLA_BREACHED.value,
                organization_id,
                {
                    "breach_id": pk,
                    "agreement_id": agreement_id,
                    "target_id": target_id,
                    "period": by_pk[target_id].period,
                    "period_start": start.isoformat(),
                    "period_label": period_label(by_pk[target_id].period, start),
                },
                now,
                None if has_subscribers else now,
                0,
                "",
            )
            for pk, target_id, agreement_id, organization_id, start in created
        ],
        now=now,
    )
    if has_subscribers:
        transaction.on_commit(_relay_events)


def _relay_events() -> None:
    from journeys.tasks import journey_events_relay

    try:
        journey_events_relay.delay()
    except Exception:  # the broker is down: the periodic relay picks the events up
        logger.warning("Could not enqueue the journey event relay; the periodic relay will catch up.")


def _enqueue_notifications(breach_ids: tuple[int, ...]) -> None:
    """Enqueue the e-mail of each breach still waiting for one once the transaction committed (those
    claimed or cleared meanwhile, e.g. by a bulk load that counts its past breaches as told, are left
    out rather than sent to a task that would find nothing to do)."""
    from agreements.tasks.compliance import breach_notify

    for chunk in _chunks(list(breach_ids), WRITE_BATCH):
        waiting = Breach.objects.filter(pk__in=chunk, notified_at__isnull=True, cleared_at__isnull=True)
        for breach_id in waiting.order_by("pk").values_list("pk", flat=True):
            try:
                breach_notify.delay(breach_id)
            except Exception:  # the broker is down: the next recompute enqueues it again
                logger.warning("Could not enqueue the notification of breach %s.", breach_id)


def _retire_open_scores(
    *, target_ids, agreement_ids, organization_ids, now: datetime, summary: _Summary, accounts
) -> None:
    """Delete the open-period scores of targets in scope that are no longer measured (switched off, or
    their agreement is neither active nor expired), clear their open breaches, and recompute the
    scorecards those scores counted in. Their closed periods stay as history."""
    retired = _scoped(
        TargetScore.objects.filter(is_closed=False).filter(
            Q(target__is_active=False) | ~Q(agreement__status__in=SCORED_AGREEMENT_STATUSES)
        ),
        target_ids=target_ids,
        agreement_ids=agreement_ids,
        organization_ids=organization_ids,
        fields=("target_id", "agreement_id", "organization_id"),
    )
    rows = list(
        retired.order_by().values_list(
            "pk", "target_id", "period_start", "agreement_id", "organization_id", "period_end"
        )
    )
    if not rows:
        return
    span = _MonthSpan(agreements={})
    for _pk, _target_id, _start, agreement_id, organization_id, end in rows:
        span.agreements[agreement_id] = organization_id
        span.cover(end.replace(day=1))
    for chunk in _chunks(rows, 500):
        TargetScore.objects.filter(pk__in=[row[0] for row in chunk]).delete()
        keys = Q()
        for _pk, target_id, start, *_rest in chunk:
            keys |= Q(target_id=target_id, period_start=start)
        summary.breaches_cleared += Breach.objects.filter(keys, cleared_at__isnull=True).update(
            cleared_at=now, updated_at=now
        )
    summary.scores_deleted += len(rows)
    _scorecards_write(span, now=now, summary=summary, accounts=accounts)


# --- scorecards -----------------------------------------------------------------------------------

_COUNTS = {
    "measured": Count("pk", filter=~Q(status=ComplianceStatus.NO_DATA)),
    "met": Count("pk", filter=Q(status=ComplianceStatus.MET)),
    "at_risk": Count("pk", filter=Q(status=ComplianceStatus.AT_RISK)),
    "breached": Count("pk", filter=Q(status=ComplianceStatus.BREACHED)),
}


def _card_values(measured: int, met: int, at_risk: int, breached: int) -> tuple:
    return (measured, met, at_risk, breached, _pct(met, at_risk, measured))


def _scorecards_write(span: _MonthSpan, *, now: datetime, summary: _Summary, accounts) -> None:
    """The agreements' scorecards for the months of the span, counted by the database (grouped by the
    period's last day: periods end on a month's last day, so each is one month)."""
    if not span.agreements or span.low is None:
        return
    low, high = span.low, period_bounds("month", span.high)[1]
    wanted: dict[tuple[int, date], tuple] = {}
    organization_of: dict[int, int] = dict(span.agreements)
    for agreement_id, organization_id, end, measured, met, at_risk, breached in _rows(
        TargetScore.objects.filter(
            _among("agreement_id", span.agreements), period_end__gte=low, period_end__lte=high
        )
        .order_by()
        .values("agreement_id", "organization_id", "period_end")
        .annotate(**_COUNTS)
        .values_list(
            "agreement_id", "organization_id", "period_end", "measured", "met", "at_risk", "breached"
        )
    ):
        organization_of[agreement_id] = organization_id
        wanted[(agreement_id, end.replace(day=1))] = _card_values(measured, met, at_risk, breached)
    stored = {
        (row[1], row[2]): (row[0], row[3:])
        for row in _rows(
            Scorecard.objects.filter(_among("agreement_id", span.agreements), month__gte=low, month__lte=high)
            .order_by()
            .values_list("pk", "agreement_id", "month", *SCORECARD_FIELDS)
        )
    }
    _cards_sync(
        wanted,
        stored,
        make=lambda key, values: (organization_of[key[0]], key[0], key[1], *values),
        conflict=("agreement_id", "month"),
        where='"agreement_id" IS NOT NULL',
        now=now,
        summary=summary,
    )
    months = []
    month = low
    while month <= span.high:
        months.append(month)
        month = add_periods("month", month, 1)
    for organization_id in set(organization_of.values()):
        accounts[organization_id].update(months)


def _card_fields(values: tuple) -> dict:
    return dict(zip(SCORECARD_FIELDS, values, strict=True))


def _cards_sync(
    wanted: dict,
    stored: dict,
    *,
    make,
    conflict: tuple[str, str],
    where: str,
    now: datetime,
    summary: _Summary,
) -> None:
    """Write the scorecards that are new or changed, delete those no longer wanted. `make(key, values)`
    gives a new card's row: (organization_id, agreement_id, month, *SCORECARD_FIELDS)."""
    written = [
        make(key, values) for key, values in wanted.items() if key not in stored or stored[key][1] != values
    ]
    gone = [pk for key, (pk, _values) in stored.items() if key not in wanted]
    if connection.vendor == "postgresql":
        # One upsert for new and changed cards (the partial unique index named with its predicate).
        _write(
            Scorecard,
            ("organization_id", "agreement_id", "month", *SCORECARD_FIELDS, "computed_at"),
            [(*row, now) for row in written],
            now=now,
            conflict=conflict,
            where=where,
            update=(*SCORECARD_FIELDS, "computed_at"),
        )
    else:
        new = [row for row in written if (row[1] or row[0], row[2]) not in stored]
        _write(
            Scorecard,
            ("organization_id", "agreement_id", "month", *SCORECARD_FIELDS, "computed_at"),
            [(*row, now) for row in new],
            now=now,
        )
        changed = [
            Scorecard(
                pk=stored[(row[1] or row[0], row[2])][0],
                computed_at=now,
                updated_at=now,
                **_card_fields(row[3:]),
            )
            for row in written
            if (row[1] or row[0], row[2]) in stored
        ]
        for chunk in _chunks(changed, 500):
            Scorecard.objects.bulk_update(chunk, [*SCORECARD_FIELDS, "computed_at", "updated_at"])
    for chunk in _chunks(gone, WRITE_BATCH):
        Scorecard.objects.filter(pk__in=chunk).delete()
    summary.scorecards_written += len(written)
    summary.scorecards_deleted += len(gone)


def _account_scorecards_write(accounts: dict[int, set[date]], *, now: datetime, summary: _Summary) -> None:
    """Each account's scorecards (agreement empty) for the months its agreements' cards were
    recomputed in, over all of its agreements' scores: accounts in batches, one transaction each."""
    organization_ids = sorted(accounts)
    for chunk in _chunks(organization_ids, BATCH_TARGETS):
        months = set().union(*(accounts[pk] for pk in chunk))
        low, high = min(months), period_bounds("month", max(months))[1]
        with transaction.atomic():
            wanted: dict[tuple[int, date], tuple] = {}
            for organization_id, end, measured, met, at_risk, breached in _rows(
                TargetScore.objects.filter(
                    _among("organization_id", chunk), period_end__gte=low, period_end__lte=high
                )
                .order_by()
                .values("organization_id", "period_end")
                .annotate(**_COUNTS)
                .values_list("organization_id", "period_end", "measured", "met", "at_risk", "breached")
            ):
                month = end.replace(day=1)
                if month in accounts[organization_id]:
                    wanted[(organization_id, month)] = _card_values(measured, met, at_risk, breached)
            stored = {
                (row[1], row[2]): (row[0], row[3:])
                for row in _rows(
                    Scorecard.objects.filter(
                        _among("organization_id", chunk),
                        agreement__isnull=True,
                        month__gte=low,
                        month__lte=high,
                    )
                    .order_by()
                    .values_list("pk", "organization_id", "month", *SCORECARD_FIELDS)
                )
                if row[2] in accounts[row[1]]
            }
            _cards_sync(
                wanted,
                stored,
                make=lambda key, values: (key[0], None, key[1], *values),
                conflict=("organization_id", "month"),
                where='"agreement_id" IS NULL',
                now=now,
                summary=summary,
            )


# --- the breach e-mail ----------------------------------------------------------------------------


def _recipient(breach: Breach):
    """Who hears of a breach: the agreement's owner, else the account's owner; None when neither is an
    active user with an e-mail address. One query for both (a join of them all costs PostgreSQL more
    to plan than to run)."""
    owner_ids = [breach.agreement.owner_id, breach.agreement.organization.owner_id]
    people = {
        person.pk: person
        for person in get_user_model().objects.filter(pk__in=[pk for pk in owner_ids if pk], is_active=True)
    }
    for pk in owner_ids:
        person = people.get(pk)
        if person is not None and person.email:
            return person
    return None


def _agreement_link(agreement_id: int) -> str:
    """The agreement page's address, absolute when the site's base URL is configured."""
    path = reverse("agreements:agreement_detail", args=[agreement_id])
    base = getattr(settings, "DSV_BASE_URL", "") or ""
    return f"{base.rstrip('/')}{path}" if base else path


def breach_notification_send(*, breach_id: int) -> bool:
    """E-mail a breach to its agreement's owner (or the account's owner), once: the breach is claimed
    with a conditional UPDATE (not notified yet, not cleared) and mailed only when that UPDATE changed
    exactly its row, so two workers, or a retry, send one mail. A breach cleared before the mail goes
    out is not mailed. With nobody to mail it is only marked. A failed send releases the claim for the
    next recompute to try again. Returns whether a mail was sent."""
    claimed_at = timezone.now()
    claimed = Breach.objects.filter(pk=breach_id, notified_at__isnull=True, cleared_at__isnull=True).update(
        notified_at=claimed_at
    )
    if claimed != 1:
        return False
    breach = Breach.objects.select_related("target__calendar", "agreement__organization").get(pk=breach_id)
    person = _recipient(breach)
    if person is None:
        logger.info("Breach %s has nobody with an e-mail address to tell.", breach_id)
        return False
    target = breach.target
    end = period_bounds(target.period, breach.period_start)[1]
    context = {
        "breach": breach,
        "target": target,
        "agreement": breach.agreement,
        "organization": breach.agreement.organization,
        "person": person,
        "rule": target.rule,
        "warning_text": _plain(target.warning_threshold, target.unit),
        "achieved": breach.achieved_value,
        "achieved_text": _plain(breach.achieved_value, target.unit),
        "period": period_label(target.period, breach.period_start),
        "period_start": breach.period_start,
        "period_end": end,
        "running": end >= timezone.localtime(claimed_at, zone_named(_zone_of(target))).date(),
        "aggregation": Aggregation(target.aggregation).label.lower(),
        "link": _agreement_link(breach.agreement_id),
    }
    try:
        message = EmailMultiAlternatives(
            subject=" ".join(render_to_string("emails/sla_breach/subject.txt", context).split()),
            body=render_to_string("emails/sla_breach/body.txt", context),
            to=[person.email],
        )
        message.attach_alternative(render_to_string("emails/sla_breach/body.html", context), "text/html")
        message.send()
    except Exception:
        Breach.objects.filter(pk=breach_id, notified_at=claimed_at).update(notified_at=None)
        raise
    return True


def _zone_of(target: ServiceLevelTarget) -> str:
    return target.calendar.time_zone if target.calendar_id else ""


def _plain(value: Decimal | None, unit: str = "") -> str:
    if value is None:
        return ""
    text = format(value.normalize(), "f")
    return f"{text} {unit}" if unit else text


# --- on request -----------------------------------------------------------------------------------


def compliance_recompute_request(*, actor, agreement) -> None:
    """Ask for the agreement's compliance to be recomputed (in the background, after commit), for
    those who may change its account: 404 for an outsider, 403 for read-only roles. An agreement the
    engine does not score (not active or expired) is refused with 409, saying why."""
    if not organization_is_visible(actor, agreement.organization):
        raise Http404("Not found.")
    if not roles.may_manage_accounts(actor):
        raise PermissionDenied("Your role may not recompute compliance.")
    if agreement.status not in SCORED_AGREEMENT_STATUSES:
        raise ApplicationError(
            f"“{agreement.title}” is {AgreementStatus(agreement.status).label.lower()}: compliance is "
            "computed for active and expired agreements only.",
            code="not_scored",
            status=409,
        )

    def enqueue() -> None:
        from agreements.tasks.compliance import compliance_recompute_task

        compliance_recompute_task.delay(agreement_ids=[agreement.pk])

    transaction.on_commit(enqueue)
