"""Writes of Agree: measurements of service level targets, entered by hand, imported from a CSV file,
pushed through the API (one or up to MAX_PUSH_ROWS at once) or produced by another app.

Every write by a person checks that the actor may see the target's account (404 otherwise) and that
the actor's role may change accounts (403); another app recording a measurement for DSV itself passes
`actor=None` with source "system". Then the input, with the field named on every error and nothing
saved:

- the target must be active, and its agreement agreed, active or expired: before it is agreed there
  is nothing to measure against, and a terminated agreement is over;
- `measured_at` carries its time zone; a naive moment (a form, a spreadsheet) is read in the time
  zone of the target's calendar. The API refuses naive moments instead, since a program can always say
  what it means. A moment more than FUTURE_TOLERANCE ahead of now is refused;
- `value` must be a finite number, below 10¹² in size; it is stored rounded to 4 decimal places;
- `note` at most 500 characters, `source_id` at most 120.

`period_start` is set from `measured_at` in the target calendar's time zone. A measurement with a
`source_id` is stored once per target: sending it again updates it ("updated") or changes nothing
("unchanged"); a unique constraint backs this, and a concurrent duplicate insert is caught and turned
into an update. Excluded measurements are stored and shown but not counted.

After commit, one compliance recompute is enqueued for the targets touched by the transaction (the
task is idempotent, so an extra one does no harm).
"""

from __future__ import annotations

import csv
import hashlib
import io
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Case, DateField, F, Max, Min, Value, When
from django.http import Http404
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from agreements.models import (
    Agreement,
    AgreementStatus,
    Measurement,
    MeasurementSource,
    ServiceLevelTarget,
)
from agreements.periods import add_periods, period_start_at, zone_named
from journeys import roles
from journeys.base import ApplicationError
from journeys.selectors import organization_is_visible, organization_scope

__all__ = [
    "FUTURE_TOLERANCE",
    "IMPORT_COLUMNS",
    "MAX_IMPORT_BYTES",
    "MAX_IMPORT_ROWS",
    "MAX_PUSH_ROWS",
    "MEASURABLE_STATUSES",
    "ImportResult",
    "RowError",
    "measurement_delete",
    "measurement_periods_refresh",
    "measurement_record",
    "measurement_set_excluded",
    "measurement_withdraw",
    "measurements_import",
    "measurements_push",
    "target_zone",
    "targets_recompute_after_commit",
]

MAX_PUSH_ROWS = 1000
MAX_IMPORT_ROWS = 5000
MAX_IMPORT_BYTES = 2 * 1024 * 1024
FUTURE_TOLERANCE = timedelta(minutes=5)
MEASURABLE_STATUSES = (AgreementStatus.AGREED, AgreementStatus.ACTIVE, AgreementStatus.EXPIRED)
VALUE_LIMIT = Decimal(10) ** 12
FOUR_PLACES = Decimal("0.0001")
NOTE_MAX = Measurement._meta.get_field("note").max_length
SOURCE_ID_MAX = Measurement._meta.get_field("source_id").max_length
IMPORT_COLUMNS = ("target", "measured_at", "value", "source_id", "note", "excluded")
REQUIRED_COLUMNS = ("target", "measured_at", "value")
PUSH_FIELDS = {"target", "measured_at", "value", "source_id", "note", "excluded"}
WRITE_REFUSED = "Your role may not record measurements."
logger = logging.getLogger(__name__)
TRUE_WORDS = {"1", "true", "yes", "y", "x", "excluded"}
FALSE_WORDS = {"", "0", "false", "no", "n"}


def target_zone(target: ServiceLevelTarget):
    """The time zone the target's periods are cut in: its calendar's, else the site's."""
    calendar = target.calendar if target.calendar_id else None
    return zone_named(calendar.time_zone if calendar is not None else "")


def _require_may_record(actor, organization) -> None:
    if not organization_is_visible(actor, organization):
        raise Http404("Not found.")
    if not roles.may_manage_accounts(actor):
        raise PermissionDenied(WRITE_REFUSED)


# --- checking one measurement -----------------------------------------------------------------------


def _target_refusal(target: ServiceLevelTarget) -> str | None:
    """Why nothing may be recorded for this target, or None."""
    if not target.is_active:
        return (
            f"“{target.name}” is no longer measured: it was switched off. Record the value for one of the "
            "agreement's active targets, or switch this one on again first."
        )
    status = target.agreement.status
    if status in MEASURABLE_STATUSES:
        return None
    if status == AgreementStatus.TERMINATED:
        return (
            f"The agreement “{target.agreement.title}” was terminated, so its targets are no longer measured."
        )
    return (
        f"The agreement “{target.agreement.title}” is still {AgreementStatus(status).label.lower()}: "
        "nothing has been agreed to measure yet. Record measurements once it is agreed."
    )


def _value(value) -> Decimal | str:
    """The value as a Decimal with 4 places, or the message saying why it is not one."""
    wrong = "Give the value as a number, e.g. 99.95."
    if value is None or isinstance(value, bool) or (isinstance(value, str) and not value.strip()):
        return wrong
    try:
        number = Decimal(value.strip() if isinstance(value, str) else str(value))
    except (InvalidOperation, ValueError, TypeError):
        return wrong
    if not number.is_finite():
        return wrong
    if abs(number) >= VALUE_LIMIT:
        return "The value is too large: give it in a unit that keeps it below a million million."
    return number.quantize(FOUR_PLACES, rounding=ROUND_HALF_UP)


def _moment(measured_at, zone, *, naive_allowed: bool) -> datetime | str:
    """An aware moment from a datetime, a date (its start) or an ISO 8601 text; a message if not."""
    wrong = "Give the moment as a date and time, e.g. 2026-03-31T23:30:00Z."
    if isinstance(measured_at, str):
        text = measured_at.strip()
        try:
            parsed = parse_datetime(text)
            if parsed is None and len(text) == 10:
                parsed = parse_date(text)
        except ValueError:
            parsed = None
        if parsed is None:
            return wrong
        if isinstance(parsed, datetime) and timezone.is_naive(parsed) and not naive_allowed:
            return "Include the time zone, e.g. 2026-03-31T23:30:00Z or 2026-04-01T01:30:00+02:00."
        measured_at = parsed
    if isinstance(measured_at, datetime):
        if timezone.is_naive(measured_at):
            if not naive_allowed:
                return "Include the time zone, e.g. 2026-03-31T23:30:00Z or 2026-04-01T01:30:00+02:00."
            return timezone.make_aware(measured_at, zone)
        return measured_at
    if isinstance(measured_at, date):
        if not naive_allowed:
            return "Include the time of day and the time zone, e.g. 2026-03-31T23:30:00Z."
        return timezone.make_aware(datetime.combine(measured_at, time()), zone)
    return wrong


@dataclass(slots=True)
class _Checked:
    """A measurement that passed every check, ready to store."""

    target: ServiceLevelTarget
    measured_at: datetime
    period_start: date
    value: Decimal
    source_id: str
    note: str
    excluded: bool

    @property
    def key(self) -> tuple[int, str] | None:
        return (self.target.pk, self.source_id) if self.source_id else None


def _check(
    target: ServiceLevelTarget,
    *,
    measured_at,
    value,
    source_id,
    note,
    excluded,
    now: datetime,
    naive_allowed: bool = True,
) -> tuple[_Checked | None, dict[str, list[str]]]:
    errors: dict[str, list[str]] = {}
    refusal = _target_refusal(target)
    if refusal:
        errors["target"] = [refusal]
    zone = target_zone(target)
    moment = _moment(measured_at, zone, naive_allowed=naive_allowed)
    if isinstance(moment, str):
        errors["measured_at"] = [moment]
    elif moment > now + FUTURE_TOLERANCE:
        errors["measured_at"] = ["That moment is still to come: record a value once it has been measured."]
    number = _value(value)
    if isinstance(number, str):
        errors["value"] = [number]
    source_id = source_id.strip() if isinstance(source_id, str) else source_id
    if source_id is None:
        source_id = ""
    if not isinstance(source_id, str):
        errors["source_id"] = ["Give the source id as text."]
    elif len(source_id) > SOURCE_ID_MAX:
        errors["source_id"] = [f"Keep the source id to {SOURCE_ID_MAX} characters."]
    note = "" if note is None else note
    if not isinstance(note, str):
        errors["note"] = ["Give the note as text."]
    else:
        note = note.strip()
        if len(note) > NOTE_MAX:
            errors["note"] = [f"Keep the note to {NOTE_MAX} characters."]
    if not isinstance(excluded, bool):
        errors["excluded"] = ["Say true or false."]
    if errors:
        return None, errors
    return (
        _Checked(
            target=target,
            measured_at=moment,
            period_start=period_start_at(target.period, moment, zone),
            value=number,
            source_id=source_id,
            note=note,
            excluded=excluded,
        ),
        {},
    )


def _fail(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ApplicationError(next(iter(errors.values()))[0], fields=errors)


# --- storing ----------------------------------------------------------------------------------------


def _differs(measurement: Measurement, checked: _Checked) -> bool:
    return (
        measurement.measured_at != checked.measured_at
        or measurement.value != checked.value
        or measurement.note != checked.note
        or measurement.excluded != checked.excluded
        or measurement.period_start != checked.period_start
    )


def _assign(measurement: Measurement, checked: _Checked, actor) -> None:
    measurement.measured_at = checked.measured_at
    measurement.period_start = checked.period_start
    measurement.value = checked.value
    measurement.note = checked.note
    measurement.excluded = checked.excluded
    measurement.recorded_by = actor if getattr(actor, "pk", None) else None


def _new(checked: _Checked, actor, source: str) -> Measurement:
    measurement = Measurement(target=checked.target, source=source, source_id=checked.source_id)
    _assign(measurement, checked, actor)
    return measurement


def _update(measurement: Measurement, checked: _Checked, actor) -> tuple[Measurement, str]:
    if not _differs(measurement, checked):
        return measurement, "unchanged"
    _assign(measurement, checked, actor)
    measurement.save()
    return measurement, "updated"


def _store_one(checked: _Checked, actor, source: str) -> tuple[Measurement, str]:
    """Create the measurement, or update the one stored under its source id. A concurrent insert of the
    same source id makes ours fail on the unique constraint: then the other one is updated instead."""
    for attempt in range(2):
        if checked.source_id:
            stored = (
                Measurement.objects.select_for_update()
                .filter(target_id=checked.target.pk, source_id=checked.source_id)
                .first()
            )
            if stored is not None:
                return _update(stored, checked, actor)
        try:
            with transaction.atomic():
                measurement = _new(checked, actor, source)
                measurement.save()
                return measurement, "created"
        except IntegrityError:
            if not checked.source_id or attempt:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def _store_many(checked_rows: list[_Checked], actor, source: str) -> list[tuple[Measurement, str]]:
    """Store many at once: the stored ones under the same source ids read (and locked) in one query,
    the new ones inserted in one statement, the changed ones updated in another. A source id repeated
    in the rows is stored once (later rows update it). When a concurrent request inserted one of the
    source ids meanwhile, the new ones are stored one by one instead."""
    keys = {row.key for row in checked_rows if row.key}
    stored: dict[tuple[int, str], Measurement] = {}
    if keys:
        target_ids = {target_id for target_id, _source_id in keys}
        source_ids = {source_id for _target_id, source_id in keys}
        for measurement in Measurement.objects.select_for_update().filter(
            target_id__in=target_ids, source_id__in=source_ids
        ):
            if (measurement.target_id, measurement.source_id) in keys:
                stored[(measurement.target_id, measurement.source_id)] = measurement
    results: list[tuple[Measurement, str]] = []
    new: list[Measurement] = []
    changed: dict[int, Measurement] = {}
    pending: dict[tuple[int, str], Measurement] = {}
    for checked in checked_rows:
        current = None
        if checked.key:
            current = pending.get(checked.key) or stored.get(checked.key)
        if current is None:
            measurement = _new(checked, actor, source)
            new.append(measurement)
            if checked.key:
                pending[checked.key] = measurement
            results.append((measurement, "created"))
        elif _differs(current, checked):
            _assign(current, checked, actor)
            if current.pk:
                changed[current.pk] = current
            results.append((current, "updated"))
        else:
            results.append((current, "unchanged"))
    try:
        with transaction.atomic():
            Measurement.objects.bulk_create(new)
    except IntegrityError:
        # Another request stored some of these source ids meanwhile: store the new ones one at a time.
        outcome: dict[int, str] = {}
        for measurement in new:
            checked = _Checked(
                target=measurement.target,
                measured_at=measurement.measured_at,
                period_start=measurement.period_start,
                value=measurement.value,
                source_id=measurement.source_id,
                note=measurement.note,
                excluded=measurement.excluded,
            )
            stored_one, status = _store_one(checked, actor, source)
            measurement.pk = stored_one.pk
            outcome[id(measurement)] = status
        results = [
            (measurement, outcome.get(id(measurement), status) if status == "created" else status)
            for measurement, status in results
        ]
    if changed:
        now = timezone.now()
        for measurement in changed.values():
            measurement.updated_at = now
        Measurement.objects.bulk_update(
            list(changed.values()),
            ["measured_at", "period_start", "value", "note", "excluded", "recorded_by", "updated_at"],
            batch_size=500,
        )
    return results


class _PendingRecompute:
    """The targets whose compliance a transaction changed, recomputed once after it commits."""

    def __init__(self) -> None:
        self.target_ids: set[int] = set()
        self.done = False

    def __call__(self) -> None:
        from agreements.tasks.compliance import compliance_recompute_task

        self.done = True
        try:
            compliance_recompute_task.delay(target_ids=sorted(self.target_ids))
        except Exception:  # the broker is down: the hourly close recomputes the recent periods
            logger.warning(
                "Could not enqueue the compliance recompute of targets %s.", sorted(self.target_ids)
            )


def targets_recompute_after_commit(*, target_ids: Iterable[int]) -> None:
    """Recompute these targets' compliance once the caller's transaction commits (one task for every
    target a transaction touched). Services that change what a score depends on (a measurement, a
    target's rule, an agreement's status) call it."""
    _recompute_after_commit(target_ids)


def _recompute_after_commit(target_ids: Iterable[int]) -> None:
    ids = set(target_ids)
    if not ids:
        return
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        for _savepoints, callback, _robust in connection.run_on_commit:
            if isinstance(callback, _PendingRecompute) and not callback.done:
                callback.target_ids |= ids
                return
    pending = _PendingRecompute()
    pending.target_ids |= ids
    transaction.on_commit(pending)


# --- one measurement --------------------------------------------------------------------------------


def _loaded(target: ServiceLevelTarget) -> ServiceLevelTarget:
    """The target with its agreement, account and calendar, read once."""
    return ServiceLevelTarget.objects.select_related("agreement__organization", "calendar").get(pk=target.pk)


@transaction.atomic
def measurement_record(
    *,
    actor,
    target: ServiceLevelTarget,
    measured_at,
    value,
    source: str = MeasurementSource.MANUAL,
    source_id: str = "",
    note: str = "",
    excluded: bool = False,
) -> tuple[Measurement, str]:
    """Record one measurement of a target; with a `source_id` already stored for the target, update it
    instead. Returns the measurement and "created", "updated" or "unchanged". Other apps call this
    with `source="system"` (and may pass `actor=None`)."""
    if source not in MeasurementSource.values:
        raise ApplicationError.for_field("source", f"“{source}” is not a source of measurements.")
    target = _loaded(target)
    if not (actor is None and source == MeasurementSource.SYSTEM):
        _require_may_record(actor, target.agreement.organization)
    checked, errors = _check(
        target,
        measured_at=measured_at,
        value=value,
        source_id=source_id,
        note=note,
        excluded=excluded,
        now=timezone.now(),
    )
    _fail(errors)
    measurement, status = _store_one(checked, actor, source)
    if status != "unchanged":
        _recompute_after_commit([target.pk])
    return measurement, status


def _locked(measurement: Measurement) -> Measurement:
    try:
        return (
            Measurement.objects.select_for_update(of=("self",))
            .select_related("target__agreement__organization")
            .get(pk=measurement.pk)
        )
    except Measurement.DoesNotExist:
        raise Http404("No such measurement.") from None


@transaction.atomic
def measurement_delete(*, actor, measurement: Measurement) -> None:
    """Remove a measurement recorded by mistake. One that is right but should not count (taken while
    the consumer's side was not in place) is better excluded, so it stays on record."""
    current = _locked(measurement)
    _require_may_record(actor, current.target.agreement.organization)
    target_id = current.target_id
    current.delete()
    _recompute_after_commit([target_id])


@transaction.atomic
def measurement_withdraw(*, target: ServiceLevelTarget, source_id: str) -> bool:
    """Remove the measurement another app produced under `source_id` (source "system") once what it
    recorded no longer holds: Co-create withdraws a request clock's breach when a change dated in the
    past shows the clock was still within its limit. True when one was removed."""
    if not source_id:
        raise ApplicationError.for_field("source_id", "Say which measurement to withdraw.")
    deleted, _ = Measurement.objects.filter(
        target=target, source=MeasurementSource.SYSTEM, source_id=source_id
    ).delete()
    if deleted:
        _recompute_after_commit([target.pk])
    return bool(deleted)


@transaction.atomic
def measurement_set_excluded(
    *, actor, measurement: Measurement, excluded: bool, note: str = ""
) -> Measurement:
    """Exclude a measurement from its target's compliance (it stays on record), or count it again.
    Excluding needs the reason, kept as its note; counting it again keeps the note unless a new one is
    given."""
    current = _locked(measurement)
    _require_may_record(actor, current.target.agreement.organization)
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise ApplicationError.for_field("note", f"Keep the note to {NOTE_MAX} characters.")
    if excluded and not note:
        raise ApplicationError.for_field(
            "note", "Say why it does not count, e.g. measured during the consumer's planned outage."
        )
    if current.excluded == excluded and (not note or note == current.note):
        return current
    current.excluded = excluded
    if note:
        current.note = note
    current.recorded_by = actor if getattr(actor, "pk", None) else None
    current.save(update_fields=["excluded", "note", "recorded_by", "updated_at"])
    _recompute_after_commit([current.target_id])
    return current


# --- the API's bulk push ----------------------------------------------------------------------------


def _visible_targets(actor, target_ids: set[int]) -> dict[int, ServiceLevelTarget]:
    """The targets among the ids whose account the actor may see, with what the checks read; two
    queries at most."""
    if not target_ids:
        return {}
    targets = ServiceLevelTarget.objects.select_related("agreement__organization", "calendar").filter(
        pk__in=target_ids
    )
    if not roles.sees_whole_portfolio(actor):
        targets = targets.filter(agreement__organization__in=organization_scope(actor))
    return {target.pk: target for target in targets}


def _target_id(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


@transaction.atomic
def measurements_push(*, actor, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Store up to MAX_PUSH_ROWS measurements sent by a program (source "api"). Each row is
    {target, measured_at, value, source_id, note?, excluded?}; `source_id` is required, so sending the
    same batch again changes nothing. Returns one result per row, in order: {row (its index), status
    (created, updated, unchanged or error), id, errors}. A bad row is reported and the others are
    stored. One recompute is enqueued for all the targets touched."""
    if not roles.may_manage_accounts(actor):
        raise PermissionDenied(WRITE_REFUSED)
    if not isinstance(rows, list) or not rows:
        raise ApplicationError.for_field("rows", "Send the measurements as a list of at least one row.")
    if len(rows) > MAX_PUSH_ROWS:
        raise ApplicationError.for_field(
            "rows", f"Send at most {MAX_PUSH_ROWS} measurements at once; this request has {len(rows)}."
        )
    wanted_ids = {_target_id(row.get("target")) for row in rows if isinstance(row, dict)}
    targets = _visible_targets(actor, {pk for pk in wanted_ids if pk is not None})
    now = timezone.now()
    results: list[dict[str, Any]] = []
    good: list[tuple[int, _Checked]] = []
    for index, row in enumerate(rows):
        errors: dict[str, list[str]] = {}
        if not isinstance(row, dict):
            results.append(
                {"row": index, "status": "error", "errors": {"row": ["Send each row as an object."]}}
            )
            continue
        for name in sorted(set(row) - PUSH_FIELDS):
            errors[name] = ["Unknown field."]
        for name in ("target", "measured_at", "value", "source_id"):
            if row.get(name) in (None, ""):
                errors[name] = ["This field is required."]
        target_pk = _target_id(row.get("target"))
        target = targets.get(target_pk) if target_pk is not None else None
        if target is None and "target" not in errors:
            errors["target"] = [f"No target with the id {row.get('target')}."]
        if not errors:
            checked, errors = _check(
                target,
                measured_at=row["measured_at"],
                value=row["value"],
                source_id=row["source_id"],
                note=row.get("note", ""),
                excluded=row.get("excluded", False),
                now=now,
                naive_allowed=False,
            )
        if errors:
            results.append({"row": index, "status": "error", "errors": errors})
            continue
        results.append({"row": index})
        good.append((index, checked))
    stored = _store_many([checked for _index, checked in good], actor, MeasurementSource.API)
    touched = set()
    for (index, checked), (measurement, status) in zip(good, stored, strict=True):
        results[index] = {"row": index, "status": status, "id": measurement.pk}
        if status != "unchanged":
            touched.add(checked.target.pk)
    _recompute_after_commit(touched)
    return results


# --- the browser's CSV import -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RowError:
    row: int  # as a spreadsheet numbers it: the header is row 1
    field: str
    message: str


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    errors: list[RowError] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def saved(self) -> bool:
        return not self.errors

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


def _file_error(message: str) -> ApplicationError:
    return ApplicationError.for_field("csv_file", message)


def _read_text(csv_file) -> str:
    size = getattr(csv_file, "size", None)
    if size is not None and size > MAX_IMPORT_BYTES:
        raise _file_error(
            f"The file is {size // 1024} KB; import at most {MAX_IMPORT_BYTES // 1024 // 1024} MB at a "
            "time (split it into several files)."
        )
    raw = csv_file.read(MAX_IMPORT_BYTES + 1)
    if len(raw) > MAX_IMPORT_BYTES:
        raise _file_error(
            f"The file is larger than {MAX_IMPORT_BYTES // 1024 // 1024} MB; split it into several files."
        )
    if isinstance(raw, str):
        return raw
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _file_error(
            "The file is not UTF-8 text. Save it from your spreadsheet as “CSV UTF-8” and upload it again."
        ) from None


def _rows_of(text: str) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """The header (lower-cased) and the data rows with their spreadsheet row numbers."""
    if not text.strip():
        raise _file_error("The file is empty: it needs a header row and one row per measurement.")
    first_line = text.splitlines()[0]
    delimiter = max((";", ",", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = [name.strip().lower() for name in next(reader)]
        rows = []
        for index, line in enumerate(reader):
            if len(rows) >= MAX_IMPORT_ROWS:
                raise _file_error(
                    f"The file has more than {MAX_IMPORT_ROWS} measurements; import at most "
                    f"{MAX_IMPORT_ROWS} at a time (split it into several files)."
                )
            rows.append((index + 2, line))
    except csv.Error as error:
        raise _file_error(f"The file could not be read as CSV ({error}).") from None
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        raise _file_error(
            f"The header row lacks the column{'s' if len(missing) > 1 else ''} {', '.join(missing)}. "
            f"Use the columns {', '.join(IMPORT_COLUMNS)} (download the template)."
        )
    duplicated = sorted({name for name in header if name and header.count(name) > 1})
    if duplicated:
        raise _file_error(f"The column {', '.join(duplicated)} appears more than once in the header row.")
    records = [
        (
            number,
            {name: (line[index].strip() if index < len(line) else "") for index, name in enumerate(header)},
        )
        for number, line in rows
    ]
    return header, records


def _flag(text: str) -> bool | None:
    word = text.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    return None


def _import_value(text: str) -> str:
    """A number as a spreadsheet may write it: a decimal comma is read as a point."""
    text = text.replace(" ", "").replace("\u00a0", "")
    if "," in text and "." not in text:
        text = text.replace(",", ".")
    return text


def _derived_source_id(target_id: int, moment: datetime, value: Decimal) -> str:
    """A stable id for an imported row without one, so importing the same file again changes nothing."""
    utc = moment.astimezone(UTC).isoformat()
    digest = hashlib.sha1(f"{target_id}|{utc}|{value.normalize()}".encode(), usedforsecurity=False)
    return f"import:{digest.hexdigest()}"


def measurements_import(*, actor, agreement: Agreement, csv_file) -> ImportResult:
    """Import measurements of one agreement's targets from a CSV file (source "import"), all or nothing:
    every row is checked first; with any error the result lists each (row number and column) and
    nothing is saved. Columns: `target` (the target's id, or its exact name within the agreement),
    `measured_at` (ISO 8601; without a time zone, in the target's calendar's; a plain date is its
    00:00), `value`, and optionally `source_id`, `note`, `excluded` (yes/no). Rows without a source id
    get one derived from target, moment and value. Empty rows (no moment and no value) are skipped;
    other columns are ignored and listed. A file too large, not CSV or lacking a column is refused as a
    whole (field `csv_file`)."""
    _require_may_record(actor, agreement.organization)
    header, records = _rows_of(_read_text(csv_file))
    result = ImportResult(ignored_columns=[name for name in header if name and name not in IMPORT_COLUMNS])
    targets = list(
        ServiceLevelTarget.objects.select_related("agreement__organization", "calendar").filter(
            agreement=agreement
        )
    )
    by_id = {str(target.pk): target for target in targets}
    by_name: dict[str, list[ServiceLevelTarget]] = {}
    for target in targets:
        by_name.setdefault(target.name.strip(), []).append(target)
    now = timezone.now()
    checked_rows: list[_Checked] = []
    for number, record in records:
        if not any(record.values()):
            continue  # a blank line
        if not record.get("measured_at") and not record.get("value"):
            result.skipped += 1  # a template row not filled in
            continue
        reference = record.get("target", "")
        target = by_id.get(reference)
        if target is None:
            named = by_name.get(reference, [])
            if len(named) == 1:
                target = named[0]
            elif len(named) > 1:
                result.errors.append(
                    RowError(
                        number, "target", f"Several targets are called “{reference}”: give its id instead."
                    )
                )
                continue
        if target is None:
            message = (
                "Give the target's id or its exact name."
                if not reference
                else f"“{reference}” is not a target of this agreement: give its id or its exact name."
            )
            result.errors.append(RowError(number, "target", message))
            continue
        excluded = _flag(record.get("excluded", ""))
        if excluded is None:
            result.errors.append(RowError(number, "excluded", "Write yes or no (or leave it empty)."))
            continue
        checked, errors = _check(
            target,
            measured_at=record.get("measured_at", ""),
            value=_import_value(record.get("value", "")),
            source_id=record.get("source_id", ""),
            note=record.get("note", ""),
            excluded=excluded,
            now=now,
        )
        if errors:
            result.errors.extend(
                RowError(number, name, message) for name, messages in errors.items() for message in messages
            )
            continue
        if not checked.source_id:
            checked.source_id = _derived_source_id(target.pk, checked.measured_at, checked.value)
        checked_rows.append(checked)
    if result.errors:
        return result
    if not checked_rows:
        raise _file_error("The file holds no measurements: fill in one row per value below the header.")
    with transaction.atomic():
        stored = _store_many(checked_rows, actor, MeasurementSource.IMPORT)
        touched = set()
        for checked, (_measurement, status) in zip(checked_rows, stored, strict=True):
            setattr(result, status, getattr(result, status) + 1)
            if status != "unchanged":
                touched.add(checked.target.pk)
        _recompute_after_commit(touched)
    return result


# --- a target's periods cut again -------------------------------------------------------------------


def measurement_periods_refresh(*, target_ids: Iterable[int]) -> int:
    """Set the period of every measurement of these targets again from its moment, after a target's
    period (month, quarter) or its calendar's time zone changed; then recompute their compliance after
    commit. One UPDATE per target, whatever its number of measurements. Returns how many changed."""
    targets = list(
        ServiceLevelTarget.objects.select_related("calendar").filter(pk__in=list(target_ids)).order_by("pk")
    )
    spans = dict(
        (target_id, (first, last))
        for target_id, first, last in Measurement.objects.filter(target__in=targets)
        .order_by()
        .values("target_id")
        .annotate(first=Min("measured_at"), last=Max("measured_at"))
        .values_list("target_id", "first", "last")
    )
    changed = 0
    with transaction.atomic():
        for target in targets:
            if target.pk not in spans:
                continue
            zone = target_zone(target)
            first, last = spans[target.pk]
            start = period_start_at(target.period, first, zone)
            end = period_start_at(target.period, last, zone)
            cases = []
            while start <= end:
                following = add_periods(target.period, start, 1)
                cases.append(
                    When(
                        measured_at__gte=timezone.make_aware(datetime.combine(start, time()), zone),
                        measured_at__lt=timezone.make_aware(datetime.combine(following, time()), zone),
                        then=Value(start),
                    )
                )
                start = following
            changed += (
                Measurement.objects.filter(target_id=target.pk)
                .exclude(period_start=Case(*cases, default=F("period_start"), output_field=DateField()))
                .update(
                    period_start=Case(*cases, default=F("period_start"), output_field=DateField()),
                    updated_at=timezone.now(),
                )
            )
        _recompute_after_commit(target.pk for target in targets)
    return changed
