"""Writes of Agree's business-hours calendars: a calendar with its weekly hours, time zone and public
holidays, its own closures, and deleting one no target uses.

Calendars are the provider's reference data, like the service catalogue: relationship managers,
administrators and integrators (through the API) shape them; the service desk and analysts only read
them. Bad input raises ApplicationError naming the field (a stretch of hours by its place in the list
given, `hours[2]`), and nothing is saved.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from datetime import date, time
from functools import cache
from typing import Any
from zoneinfo import available_timezones

import holidays as holiday_library
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_time

from agreements.business_time import END_OF_DAY
from agreements.models import BusinessCalendar, BusinessHours, CalendarClosure, ServiceLevelTarget, Weekday
from journeys import roles
from journeys.base import ApplicationError

__all__ = [
    "CALENDAR_FIELDS",
    "calendar_closure_add",
    "calendar_closure_remove",
    "calendar_create",
    "calendar_delete",
    "calendar_hours_set",
    "calendar_update",
    "country_choices",
    "subdivision_choices",
    "time_zone_choices",
]

CALENDAR_FIELDS = (
    "name",
    "description",
    "time_zone",
    "country",
    "subdivision",
    "round_the_clock",
    "holidays_stop_clock",
    "is_active",
)
CALENDAR_WRITE_REFUSED = "Only relationship managers and administrators change business-hours calendars."
NO_HOURS = (
    "Give the calendar its weekly hours (at least one stretch), or make it round the clock: without "
    "either its clock would never run."
)


# --- reference lists ------------------------------------------------------------------------------


@cache
def _supported_countries() -> dict[str, tuple[str, ...]]:
    """Two-letter country codes the holidays library knows, with their subdivision codes."""
    return {
        code: tuple(subdivisions)
        for code, subdivisions in holiday_library.list_supported_countries().items()
        if len(code) == 2
    }


def country_choices() -> list[str]:
    """The country codes whose public holidays the calendars can follow, sorted."""
    return sorted(_supported_countries())


def subdivision_choices(country: str) -> tuple[str, ...]:
    """The subdivision (state, region) codes of a country, empty when it has none or is unknown."""
    return _supported_countries().get((country or "").upper(), ())


@cache
def _time_zones() -> frozenset[str]:
    return frozenset(available_timezones())


@cache
def time_zone_choices() -> list[str]:
    """The IANA time zone names a calendar may be kept in, sorted (the old aliases left out)."""
    return sorted(name for name in _time_zones() if "/" in name or name == "UTC")


# --- shared helpers -------------------------------------------------------------------------------


def _require_calendar_rights(actor) -> None:
    # Integrators hold may_manage_accounts too: they keep the calendars in sync through the API.
    if not roles.may_manage_accounts(actor):
        raise PermissionDenied(CALENDAR_WRITE_REFUSED)


def _fail(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ApplicationError(next(iter(errors.values()))[0], fields=errors)


def _clock(value: time) -> str:
    if value >= END_OF_DAY:
        return "24:00"
    return value.strftime("%H:%M") if not value.second else value.strftime("%H:%M:%S")


def _time_of(value) -> time | None:
    if isinstance(value, time):
        return value.replace(tzinfo=None)
    if isinstance(value, str):
        text = value.strip()
        if text == "24:00":
            return END_OF_DAY
        try:
            return parse_time(text)
        except ValueError:
            return None
    return None


def _hour_rows(hours: Iterable) -> list[tuple[int, time, time]]:
    """The weekly hours as (weekday, start, end), each checked: a real weekday, times of day, the end
    after the start; no two stretches of a day overlapping. Errors are keyed by the stretch's place in
    the list given (`hours[2]`) and name the day and times."""
    errors: dict[str, list[str]] = {}
    rows: list[tuple[int, int, time, time]] = []
    for index, row in enumerate(hours):
        key = f"hours[{index}]"
        if isinstance(row, Mapping):
            weekday, starts_at, ends_at = row.get("weekday"), row.get("starts_at"), row.get("ends_at")
        else:
            try:
                weekday, starts_at, ends_at = row
            except (TypeError, ValueError):
                errors[key] = ["Give each stretch of hours as its weekday, start and end."]
                continue
        if isinstance(weekday, bool) or not isinstance(weekday, int) or not 0 <= weekday <= 6:
            errors[key] = ["Give the weekday as 0 (Monday) to 6 (Sunday)."]
            continue
        day = Weekday(weekday).label
        start, end = _time_of(starts_at), _time_of(ends_at)
        if start is None or end is None:
            errors[key] = [f"{day}: give the start and the end as times of day, e.g. 09:00 and 17:00."]
            continue
        if end == time(0):
            # Hours that run to midnight: the day's last second stands for it (stretches stay within a day).
            end = END_OF_DAY
        if end <= start:
            errors[key] = [
                f"{day} {_clock(start)}–{_clock(end)} ends before it starts: hours cannot run past "
                "midnight, so end this stretch at 24:00 and start the next day at 00:00."
                if end < start
                else f"{day} {_clock(start)}–{_clock(end)} is empty: the end must come after the start."
            ]
            continue
        rows.append((index, weekday, start, end))
    by_day: dict[int, list[tuple[int, time, time]]] = {}
    for index, weekday, start, end in rows:
        by_day.setdefault(weekday, []).append((index, start, end))
    for weekday, stretches in by_day.items():
        stretches.sort(key=lambda stretch: (stretch[1], stretch[2], stretch[0]))
        # Each stretch against the one reaching furthest before it: 09–17 overlaps 12–13 even with
        # 10–11 in between.
        reaching = stretches[0]
        for index, start, end in stretches[1:]:
            _, earlier_start, earlier_end = reaching
            if start < earlier_end:
                errors.setdefault(f"hours[{index}]", []).append(
                    f"{Weekday(weekday).label} {_clock(start)}–{_clock(end)} overlaps "
                    f"{_clock(earlier_start)}–{_clock(earlier_end)}: make one end before the other starts."
                )
            if end > earlier_end:
                reaching = (index, start, end)
    _fail(dict(sorted(errors.items(), key=lambda item: int(re.sub(r"\D", "", item[0]) or 0))))
    return sorted(((weekday, start, end) for _, weekday, start, end in rows))


def _closure_rows(closures: Iterable) -> list[tuple[date, str]]:
    errors: dict[str, list[str]] = {}
    rows: list[tuple[date, str]] = []
    seen: dict[date, int] = {}
    for index, row in enumerate(closures):
        key = f"closures[{index}]"
        if isinstance(row, Mapping):
            day, name = row.get("date"), row.get("name", "")
        else:
            try:
                day, name = row
            except (TypeError, ValueError):
                errors[key] = ["Give each closure as its date and name."]
                continue
        if isinstance(day, str):
            day = parse_date(day)
        if not isinstance(day, date):
            errors[key] = ["Give the closure's date, e.g. 2026-12-24."]
            continue
        name = (name or "").strip()
        if not name:
            errors[key] = [f"Say why the calendar is closed on {day:%d %B %Y}, e.g. Company day off."]
            continue
        if len(name) > 120:
            errors[key] = ["Keep the closure's name within 120 characters."]
            continue
        if day in seen:
            errors[key] = [f"{day:%d %B %Y} is listed twice; give each closed day once."]
            continue
        seen[day] = index
        rows.append((day, name))
    _fail(errors)
    return sorted(rows)


def _apply(calendar: BusinessCalendar, fields: dict[str, Any]) -> list[str]:
    unknown = sorted(set(fields) - set(CALENDAR_FIELDS))
    if unknown:
        raise ApplicationError(
            f"Unknown field: {', '.join(unknown)}.", fields={name: ["Unknown field."] for name in unknown}
        )
    changed = []
    for name, value in fields.items():
        if name in ("name", "description", "time_zone", "country", "subdivision"):
            value = (value or "").strip()
        if name == "country":
            value = value.upper()
        if name in ("round_the_clock", "holidays_stop_clock", "is_active") and not isinstance(value, bool):
            raise ApplicationError.for_field(name, "Answer yes or no (true or false).")
        if getattr(calendar, name) != value:
            setattr(calendar, name, value)
            changed.append(name)
    return changed


def _check_calendar(calendar: BusinessCalendar) -> None:
    errors: dict[str, list[str]] = {}
    if not calendar.name:
        errors["name"] = ["Name the calendar, e.g. Office hours Berlin."]
    if calendar.time_zone not in _time_zones():
        errors["time_zone"] = [
            f"“{calendar.time_zone}” is not a time zone we know: use an IANA name such as Europe/Berlin, "
            "America/New_York or UTC."
            if calendar.time_zone
            else "Choose the time zone the hours are kept in, e.g. Europe/Berlin."
        ]
    countries = _supported_countries()
    if calendar.country and calendar.country not in countries:
        errors["country"] = [
            f"We know no public holidays for “{calendar.country}”: use a two-letter country code such as "
            "DE, GB or US, or leave it empty for a calendar without public holidays."
        ]
    elif calendar.subdivision:
        if not calendar.country:
            errors["subdivision"] = ["Choose the country first: a subdivision is a state or region of it."]
        else:
            known = {code.upper(): code for code in countries[calendar.country]}
            match = known.get(calendar.subdivision.upper())
            if match is None:
                errors["subdivision"] = [_unknown_subdivision(calendar.country, calendar.subdivision)]
            else:
                calendar.subdivision = match
    _fail(errors)
    try:
        calendar.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        _fail({name: [str(text) for text in texts] for name, texts in error.message_dict.items()})


def _unknown_subdivision(country: str, subdivision: str) -> str:
    codes = _supported_countries()[country]
    if not codes:
        return f"{country} has no subdivisions with holidays of their own: leave the subdivision empty."
    listed = ", ".join(codes[:12]) + (", …" if len(codes) > 12 else "")
    return f"{country} has no subdivision “{subdivision}”: use one of {listed}, or leave it empty."


def _duplicate(calendar: BusinessCalendar) -> ApplicationError:
    return ApplicationError.for_field(
        "name", f"Another calendar is already called “{calendar.name}”.", code="duplicate", status=409
    )


def _save(calendar: BusinessCalendar) -> None:
    if BusinessCalendar.objects.filter(name__iexact=calendar.name).exclude(pk=calendar.pk).exists():
        raise _duplicate(calendar)
    try:
        with transaction.atomic():
            calendar.save()
    except IntegrityError:
        # Two people saving the same name at once: the unique constraint decides, the loser hears why.
        raise _duplicate(calendar) from None


def _replace_hours(calendar: BusinessCalendar, rows: list[tuple[int, time, time]]) -> None:
    BusinessHours.objects.filter(calendar=calendar).delete()
    BusinessHours.objects.bulk_create(
        BusinessHours(calendar=calendar, weekday=weekday, starts_at=start, ends_at=end)
        for weekday, start, end in rows
    )


def _replace_closures(calendar: BusinessCalendar, rows: list[tuple[date, str]]) -> None:
    CalendarClosure.objects.filter(calendar=calendar).delete()
    CalendarClosure.objects.bulk_create(
        CalendarClosure(calendar=calendar, date=day, name=name) for day, name in rows
    )


def _touch(calendar: BusinessCalendar) -> None:
    # Changed hours or closures are a change of the calendar for incremental sync (`updated_since`).
    calendar.updated_at = timezone.now()
    BusinessCalendar.objects.filter(pk=calendar.pk).update(updated_at=calendar.updated_at)


def _locked(calendar: BusinessCalendar) -> BusinessCalendar:
    return BusinessCalendar.objects.select_for_update().get(pk=calendar.pk)


# --- calendars ------------------------------------------------------------------------------------


@transaction.atomic
def calendar_create(
    *,
    actor,
    name: str,
    time_zone: str,
    country: str = "",
    subdivision: str = "",
    round_the_clock: bool = False,
    holidays_stop_clock: bool = True,
    description: str = "",
    is_active: bool = True,
    hours: Iterable = (),
    closures: Iterable = (),
) -> BusinessCalendar:
    """A new calendar with its weekly hours [(weekday, starts_at, ends_at), ...] (0 = Monday; an end
    of 00:00 or 24:00 means midnight) and, optionally, closures [(date, name), ...]. Every calendar but
    a round-the-clock one needs hours."""
    _require_calendar_rights(actor)
    calendar = BusinessCalendar()
    _apply(
        calendar,
        {
            "name": name,
            "description": description,
            "time_zone": time_zone,
            "country": country,
            "subdivision": subdivision,
            "round_the_clock": round_the_clock,
            "holidays_stop_clock": holidays_stop_clock,
            "is_active": is_active,
        },
    )
    _check_calendar(calendar)
    hour_rows = _hour_rows(hours)
    closure_rows = _closure_rows(closures)
    if not calendar.round_the_clock and not hour_rows:
        raise ApplicationError.for_field("hours", NO_HOURS)
    _save(calendar)
    _replace_hours(calendar, hour_rows)
    _replace_closures(calendar, closure_rows)
    return calendar


@transaction.atomic
def calendar_update(
    *,
    actor,
    calendar: BusinessCalendar,
    hours: Iterable | None = None,
    closures: Iterable | None = None,
    **fields: Any,
) -> BusinessCalendar:
    """Change any of CALENDAR_FIELDS and, when given, replace the whole week of hours or the whole list
    of closures. Unchanged input writes nothing."""
    _require_calendar_rights(actor)
    calendar = _locked(calendar)
    changed = _apply(calendar, fields)
    if changed:
        _check_calendar(calendar)
    hour_rows = _hour_rows(hours) if hours is not None else None
    closure_rows = _closure_rows(closures) if closures is not None else None
    if not calendar.round_the_clock:
        has_hours = bool(hour_rows) if hour_rows is not None else calendar.hours.exists()
        if not has_hours:
            raise ApplicationError.for_field("hours", NO_HOURS)
    if hour_rows is not None and hour_rows == _current_hours(calendar):
        hour_rows = None
    if closure_rows is not None and closure_rows == _current_closures(calendar):
        closure_rows = None
    if changed:
        _save(calendar)
    if hour_rows is not None:
        _replace_hours(calendar, hour_rows)
    if closure_rows is not None:
        _replace_closures(calendar, closure_rows)
    if (hour_rows is not None or closure_rows is not None) and not changed:
        _touch(calendar)
    return calendar


def _current_hours(calendar: BusinessCalendar) -> list[tuple[int, time, time]]:
    return list(
        calendar.hours.order_by("weekday", "starts_at", "ends_at").values_list(
            "weekday", "starts_at", "ends_at"
        )
    )


def _current_closures(calendar: BusinessCalendar) -> list[tuple[date, str]]:
    return list(calendar.closures.order_by("date").values_list("date", "name"))


@transaction.atomic
def calendar_hours_set(*, actor, calendar: BusinessCalendar, hours: Iterable) -> BusinessCalendar:
    """Replace the calendar's whole week of hours (a day left out has none)."""
    return calendar_update(actor=actor, calendar=calendar, hours=list(hours))


@transaction.atomic
def calendar_delete(*, actor, calendar: BusinessCalendar) -> None:
    """Delete a calendar no service level target uses; one in use stays (deactivate it instead, so no
    new target picks it)."""
    _require_calendar_rights(actor)
    calendar = _locked(calendar)
    count = ServiceLevelTarget.objects.filter(calendar=calendar).count()
    if count:
        raise ApplicationError(
            f"“{calendar.name}” is used by {count} service level target{'' if count == 1 else 's'}: give "
            f"{'it' if count == 1 else 'them'} another calendar first, or deactivate this one so no new "
            "target picks it.",
            code="calendar_in_use",
            status=409,
        )
    calendar.delete()


# --- closures -------------------------------------------------------------------------------------


@transaction.atomic
def calendar_closure_add(*, actor, calendar: BusinessCalendar, date: date, name: str) -> CalendarClosure:
    """Close the calendar for a whole day (a company day off, a local holiday the library misses)."""
    _require_calendar_rights(actor)
    calendar = _locked(calendar)
    errors: dict[str, list[str]] = {}
    if not isinstance(date, dt.date) or isinstance(date, dt.datetime):
        errors["date"] = ["Give the day the calendar is closed, e.g. 2026-12-24."]
    name = (name or "").strip()
    if not name:
        errors["name"] = ["Say why it is closed, e.g. Company day off."]
    elif len(name) > 120:
        errors["name"] = ["Keep the name within 120 characters."]
    _fail(errors)
    existing = CalendarClosure.objects.filter(calendar=calendar, date=date).first()
    if existing is not None:
        raise ApplicationError.for_field(
            "date",
            f"“{calendar.name}” is already closed on {date:%d %B %Y} ({existing.name}).",
            code="duplicate",
            status=409,
        )
    closure = CalendarClosure.objects.create(calendar=calendar, date=date, name=name)
    _touch(calendar)
    return closure


@transaction.atomic
def calendar_closure_remove(*, actor, closure: CalendarClosure) -> None:
    _require_calendar_rights(actor)
    calendar = _locked(closure.calendar)
    closure.delete()
    _touch(calendar)
