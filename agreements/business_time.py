"""Business time: how much of a business-hours calendar's working time lies between two instants, and
when a given amount of it will have been used up.

The arithmetic works in real elapsed time. Each local day of the calendar becomes a list of instants
(its stretches of hours, built as aware datetimes in the calendar's time zone and turned into UTC), and
ranges and pauses are intersected with those. So a 09:00–17:00 day is eight hours whatever the UTC
offset, on daylight-saving days too (the wall clock decides where a stretch lies), while a
round-the-clock day is as long as that day really is: 23 hours when the clocks go forward, 25 when they
go back. A stretch ending at 23:59:59 runs to the next midnight.

Public holidays (the `holidays` library, for the calendar's country and subdivision) and the calendar's
own closures stop the clock for the whole local day when the calendar says they do
(`holidays_stop_clock`); that applies to round-the-clock calendars too.

Pauses are `(pause_start, pause_end)` pairs; `pause_end` None means still paused. They may overlap
each other, reach outside the range, or be empty.

Nothing here touches a request; `schedule_for` is the only function that reads the database.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays as holiday_library

__all__ = [
    "CLOSURE",
    "END_OF_DAY",
    "HOLIDAY",
    "BusinessSchedule",
    "Pause",
    "business_deadline",
    "business_seconds",
    "duration_label",
    "holidays_between",
    "is_business_time",
    "public_holidays",
    "schedule_for",
]

# The latest end a stretch may have in the database (ends_at > starts_at, so midnight cannot be an
# end): the arithmetic reads it, and anything later, as the next midnight.
END_OF_DAY = time(23, 59, 59)
HOLIDAY = "public holiday"
CLOSURE = "closure"

Pause = tuple[datetime, datetime | None]
Stretch = tuple[time, time]

ONE_DAY = timedelta(days=1)
OUT_OF_RANGE = "That reaches beyond the dates the calendar can count (years 1 to 9999)."
# How far the deadline search goes without finding a single second of business time before it gives
# up (only a calendar closed for years on end gets there).
IDLE_DAYS_LIMIT = 3660
# Days of stretches a schedule keeps ready; clocks of many requests on one calendar reuse them.
DAY_CACHE_SIZE = 4096


@lru_cache(maxsize=1024)
def _holidays_of_year(country: str, subdivision: str, year: int) -> Mapping[date, str]:
    """{date: name} of the country's public holidays in one year, English names where the library
    has them. An unknown country or subdivision has none (the services refuse them on input)."""
    if not country:
        return {}
    language = "en_US" if "en_US" in holiday_library.list_localized_countries().get(country, ()) else None
    try:
        found = holiday_library.country_holidays(
            country, subdiv=subdivision or None, years=year, language=language
        )
    except NotImplementedError:
        return {}
    return {day: "; ".join(found.get_list(day)) for day in sorted(found)}


def public_holidays(country: str, subdivision: str, year: int) -> Mapping[date, str]:
    """The public holidays of a country (and subdivision) in a year, as {date: name}."""
    return _holidays_of_year((country or "").upper(), subdivision or "", year)


def _as_time(value) -> time:
    if isinstance(value, time):
        return value
    if isinstance(value, str):
        return time.fromisoformat(value)
    raise ValueError(f"{value!r} is not a time of day.")


def _normalized_week(week) -> tuple[tuple[Stretch, ...], ...]:
    """Seven tuples (Monday first) of (start, end) stretches, sorted, overlaps merged, end-of-day
    ends read as midnight. `week` is a mapping {weekday: stretches} or a sequence of seven lists."""
    if isinstance(week, Mapping):
        days = [list(week.get(weekday, ())) for weekday in range(7)]
    else:
        days = [list(stretches) for stretches in week]
        if len(days) != 7:
            raise ValueError("A week has seven days of stretches, Monday first.")
    normalized = []
    for weekday, stretches in enumerate(days):
        merged: list[list[time]] = []
        for start, end in sorted((_as_time(start), _as_time(end)) for start, end in stretches):
            if end < END_OF_DAY and end <= start:
                raise ValueError(f"A stretch on weekday {weekday} ends at {end} before it starts at {start}.")
            end = END_OF_DAY if end >= END_OF_DAY else end
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        normalized.append(tuple((start, end) for start, end in merged))
    return tuple(normalized)


def _normalized_closures(closures) -> tuple[tuple[date, str], ...]:
    if isinstance(closures, Mapping):
        pairs = closures.items()
    else:
        pairs = [item if isinstance(item, tuple) else (item, "Closed") for item in closures]
    return tuple(sorted((day, name) for day, name in pairs))


@dataclass(frozen=True)
class BusinessSchedule:
    """A calendar's working time, ready for arithmetic. Build it with `schedule_for(calendar)`, or
    directly (tests, previews): `week` is {weekday: [(start, end), ...]} with 0 = Monday, `closures`
    {date: name} or dates; they are normalized on creation."""

    zone: ZoneInfo
    round_the_clock: bool = False
    week: tuple[tuple[Stretch, ...], ...] = ((),) * 7
    closures: tuple[tuple[date, str], ...] = ()
    country: str = ""
    subdivision: str = ""
    holidays_stop_clock: bool = True
    _closure_names: dict = field(init=False, repr=False, compare=False, hash=False)
    _days: dict = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        set_field = object.__setattr__
        if isinstance(self.zone, str):
            set_field(self, "zone", ZoneInfo(self.zone))
        set_field(self, "week", _normalized_week(self.week))
        set_field(self, "closures", _normalized_closures(self.closures))
        set_field(self, "country", (self.country or "").upper())
        set_field(self, "subdivision", self.subdivision or "")
        set_field(self, "_closure_names", dict(self.closures))
        set_field(self, "_days", {})

    @property
    def has_hours(self) -> bool:
        """Whether the clock ever runs: round the clock, or some weekly hours."""
        return self.round_the_clock or any(self.week)

    @property
    def never_stops(self) -> bool:
        """Round the clock with nothing that could stop it: business time is real time."""
        return self.round_the_clock and not (self.holidays_stop_clock and (self.country or self.closures))

    def holiday_name(self, day: date) -> str | None:
        if not self.country:
            return None
        return public_holidays(self.country, self.subdivision, day.year).get(day)

    def closure_name(self, day: date) -> str | None:
        return self._closure_names.get(day)

    def is_day_off(self, day: date) -> bool:
        """Whether a holiday or closure stops the clock for the whole (local) day."""
        if not self.holidays_stop_clock:
            return False
        return day in self._closure_names or self.holiday_name(day) is not None

    def weekly_seconds(self) -> int:
        """Business seconds of an ordinary week (no holiday, no clock change)."""
        if self.round_the_clock:
            return 7 * 86400
        total = 0
        for stretches in self.week:
            for start, end in stretches:
                total += _seconds_of_day(end) - _seconds_of_day(start)
        return total

    def day_intervals(self, day: date) -> tuple[tuple[datetime, datetime], ...]:
        """The local day's business time as UTC (start, end) pairs, ascending, not overlapping."""
        cached = self._days.get(day)
        if cached is not None:
            return cached
        intervals: tuple[tuple[datetime, datetime], ...] = ()
        if not self.is_day_off(day):
            if self.round_the_clock:
                stretches: Sequence[Stretch] = ((time(0), END_OF_DAY),)
            else:
                stretches = self.week[day.weekday()]
            found = []
            for start, end in stretches:
                start_at = _local_instant(day, start, self.zone)
                end_at = _local_instant(day, end, self.zone)
                # A stretch starting in the hour the clocks skip may end up empty or back to front.
                if end_at > start_at:
                    found.append((start_at, end_at))
            intervals = tuple(found)
        if len(self._days) < DAY_CACHE_SIZE:
            self._days[day] = intervals
        return intervals


def _seconds_of_day(moment: time) -> int:
    if moment >= END_OF_DAY:
        return 86400
    return moment.hour * 3600 + moment.minute * 60 + moment.second


def _local_instant(day: date, moment: time, zone: ZoneInfo) -> datetime:
    """The first UTC instant at which the local clock reads `moment` (or later) on `day`; END_OF_DAY
    is the next midnight. A time the clocks repeat is its first occurrence; a time they skip (02:30
    when they jump from 02:00 to 03:00) is the jump itself."""
    if moment >= END_OF_DAY:
        day, moment = day + ONE_DAY, time(0)
    wall = datetime.combine(day, moment)
    instant = wall.replace(tzinfo=zone).astimezone(UTC)
    if instant.astimezone(zone).replace(tzinfo=None) == wall:
        return instant
    # Skipped: read with the offset after the jump the time lies before it, with the offset before
    # it lies after it; the jump is in between, found to the second.
    after_offset = instant.astimezone(zone).utcoffset()
    low = int(wall.replace(tzinfo=zone, fold=1).timestamp())
    high = int(instant.timestamp())
    while high - low > 1:
        middle = (low + high) // 2
        if datetime.fromtimestamp(middle, zone).utcoffset() == after_offset:
            high = middle
        else:
            low = middle
    return datetime.fromtimestamp(high, UTC)


# --- loading a calendar ---------------------------------------------------------------------------


def _prefetched(calendar, name: str):
    cache = getattr(calendar, "_prefetched_objects_cache", {})
    return cache.get(name)


def schedule_for(calendar) -> BusinessSchedule:
    """The schedule of a BusinessCalendar (its hours and closures in two queries at most; none when
    they were prefetched as `hours` and `closures`). None: round the clock in the site's time zone,
    without holidays."""
    from agreements.periods import site_zone, zone_named

    if calendar is None:
        return BusinessSchedule(zone=site_zone(), round_the_clock=True, holidays_stop_clock=False)
    week: dict[int, list[Stretch]] = {weekday: [] for weekday in range(7)}
    if not calendar.round_the_clock:
        hours = _prefetched(calendar, "hours")
        rows = (
            [(row.weekday, row.starts_at, row.ends_at) for row in hours]
            if hours is not None
            else calendar.hours.order_by().values_list("weekday", "starts_at", "ends_at")
        )
        for weekday, starts_at, ends_at in rows:
            week[weekday].append((starts_at, ends_at))
    # Loaded even when they do not stop the clock: the calendar's page lists them all the same.
    prefetched = _prefetched(calendar, "closures")
    closures = (
        [(row.date, row.name) for row in prefetched]
        if prefetched is not None
        else list(calendar.closures.order_by().values_list("date", "name"))
    )
    return BusinessSchedule(
        zone=zone_named(calendar.time_zone),
        round_the_clock=calendar.round_the_clock,
        week=week,
        closures=closures,
        country=calendar.country,
        subdivision=calendar.subdivision,
        holidays_stop_clock=calendar.holidays_stop_clock,
    )


# --- the arithmetic -------------------------------------------------------------------------------


def _utc(moment: datetime, name: str) -> datetime:
    if not isinstance(moment, datetime):
        raise ValueError(f"The {name} must be a date and time, not {moment!r}.")
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"The {name} must carry its time zone (got the naive {moment.isoformat()}).")
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        raise ValueError(OUT_OF_RANGE) from None


def _merged_pauses(
    pauses: Iterable[Pause], *, not_before: datetime, open_until: datetime | None
) -> list[tuple[datetime, datetime | None]]:
    """Pauses in UTC from `not_before` on, sorted and merged. An open pause runs to `open_until`, or
    stays open (None) when that is None."""
    spans = []
    for pause in pauses:
        try:
            start, end = pause
        except (TypeError, ValueError):
            raise ValueError("Give each pause as a (start, end) pair; end None while still paused.") from None
        start = _utc(start, "pause start")
        if end is not None:
            end = _utc(end, "pause end")
            if end < start:
                raise ValueError(f"A pause ends ({end.isoformat()}) before it starts ({start.isoformat()}).")
        else:
            end = open_until
        start = max(start, not_before)
        if open_until is not None:
            end = min(end, open_until)
            start = min(start, open_until)
        if end is not None and end <= start:
            continue
        spans.append((start, end))
    spans.sort(key=lambda span: span[0])
    merged: list[tuple[datetime, datetime | None]] = []
    for start, end in spans:
        if merged and (merged[-1][1] is None or start <= merged[-1][1]):
            previous_end = merged[-1][1]
            merged[-1] = (
                merged[-1][0],
                None if previous_end is None or end is None else max(previous_end, end),
            )
        else:
            merged.append((start, end))
    return merged


def _business_intervals(
    schedule: BusinessSchedule, start: datetime, end: datetime | None
) -> Iterator[tuple[datetime, datetime]]:
    """The schedule's business time from `start` (to `end`, or on and on), as ascending UTC pairs."""
    if schedule.never_stops:
        yield (start, end if end is not None else datetime.max.replace(tzinfo=UTC))
        return
    # The local day before the start's too: with odd offsets a stretch may reach past local midnight.
    day = max(start.astimezone(schedule.zone).date(), date.min + ONE_DAY) - ONE_DAY
    last_day = end.astimezone(schedule.zone).date() if end is not None else None
    idle_days = 0
    while last_day is None or day <= last_day:
        found = False
        for interval_start, interval_end in schedule.day_intervals(day):
            if interval_end <= start:
                continue
            if end is not None and interval_start >= end:
                return
            found = True
            yield (max(interval_start, start), interval_end if end is None else min(interval_end, end))
        if last_day is None:
            idle_days = 0 if found else idle_days + 1
            if idle_days > IDLE_DAYS_LIMIT:
                raise ValueError(
                    "The calendar has no business time for ten years after "
                    f"{day - timedelta(days=IDLE_DAYS_LIMIT)}: check its hours, holidays and closures."
                )
        if day >= date.max - ONE_DAY:
            raise OverflowError("past the last date")
        day += ONE_DAY


def _without_pauses(
    intervals: Iterable[tuple[datetime, datetime]], pauses: list[tuple[datetime, datetime | None]]
) -> Iterator[tuple[datetime, datetime]]:
    """The intervals less the (sorted, merged) pauses; an open pause stops everything after it."""
    index = 0
    for start, end in intervals:
        cursor = start
        while index < len(pauses):
            pause_start, pause_end = pauses[index]
            if pause_end is not None and pause_end <= cursor:
                index += 1
                continue
            if pause_start >= end:
                break
            if pause_start > cursor:
                yield (cursor, pause_start)
            if pause_end is None:
                return
            cursor = pause_end
            if cursor >= end:
                break
        if cursor < end:
            yield (cursor, end)


def business_seconds(
    schedule: BusinessSchedule, start: datetime, end: datetime, *, pauses: Iterable[Pause] = ()
) -> int:
    """Whole seconds of business time between two aware instants, less the pauses (a pause without an
    end lasts until `end`)."""
    start, end = _utc(start, "start"), _utc(end, "end")
    if start > end:
        raise ValueError(f"The start ({start.isoformat()}) is after the end ({end.isoformat()}).")
    merged = _merged_pauses(pauses, not_before=start, open_until=end)
    total = timedelta(0)
    try:
        for interval_start, interval_end in _without_pauses(
            _business_intervals(schedule, start, end), merged
        ):
            total += interval_end - interval_start
    except OverflowError:
        raise ValueError(OUT_OF_RANGE) from None
    return total // timedelta(seconds=1)


def business_deadline(
    schedule: BusinessSchedule,
    start: datetime,
    seconds: int | float | Decimal,
    *,
    pauses: Iterable[Pause] = (),
) -> datetime | None:
    """The first instant (in UTC) at which `seconds` of business time have elapsed after `start`,
    skipping the pauses. None when a pause without an end stops the clock before then: a paused clock
    has no deadline until it runs again. Raises ValueError for a calendar without any hours."""
    start = _utc(start, "start")
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float, Decimal)):
        raise ValueError(f"Give the business time as a number of seconds, not {seconds!r}.")
    if seconds < 0:
        raise ValueError("The business time to add cannot be negative.")
    remaining = timedelta(seconds=float(seconds))
    merged = _merged_pauses(pauses, not_before=start, open_until=None)
    if not schedule.has_hours:
        raise ValueError(
            "The calendar has no business hours, so its clock never runs: give it weekly hours or make "
            "it round the clock."
        )
    if remaining <= timedelta(0):
        return start
    try:
        for interval_start, interval_end in _without_pauses(
            _business_intervals(schedule, start, None), merged
        ):
            length = interval_end - interval_start
            if remaining <= length:
                return interval_start + remaining
            remaining -= length
    except OverflowError:
        raise ValueError(OUT_OF_RANGE) from None
    return None


def is_business_time(schedule: BusinessSchedule, moment: datetime) -> bool:
    """Whether the clock runs at that instant (stretches include their start, not their end)."""
    moment = _utc(moment, "moment")
    if schedule.never_stops:
        return True
    try:
        local_day = moment.astimezone(schedule.zone).date()
        for day in (local_day - ONE_DAY, local_day):
            for start, end in schedule.day_intervals(day):
                if start <= moment < end:
                    return True
    except OverflowError:
        raise ValueError(OUT_OF_RANGE) from None
    return False


def holidays_between(
    schedule: BusinessSchedule, first_day: date, last_day: date
) -> list[tuple[date, str, str]]:
    """Public holidays and closures from `first_day` to `last_day` (both included), as
    (date, name, source) by date, source being HOLIDAY or CLOSURE. Listed whether or not they stop the
    clock (`schedule.holidays_stop_clock` says)."""
    found: list[tuple[date, str, str]] = []
    if schedule.country:
        for year in range(first_day.year, last_day.year + 1):
            for day, name in public_holidays(schedule.country, schedule.subdivision, year).items():
                if first_day <= day <= last_day:
                    found.append((day, name, HOLIDAY))
    found.extend((day, name, CLOSURE) for day, name in schedule.closures if first_day <= day <= last_day)
    found.sort(key=lambda entry: (entry[0], entry[2] != HOLIDAY))
    return found


def duration_label(seconds: int) -> str:
    """Business time as people read it: "5 h 30 min", "2 h", "45 min", "0 min"."""
    seconds = max(int(seconds), 0)
    hours, minutes = seconds // 3600, seconds % 3600 // 60
    if hours and minutes:
        return f"{hours:,} h {minutes} min"
    if hours:
        return f"{hours:,} h"
    return f"{minutes} min"
