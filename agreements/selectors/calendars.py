"""Reads of Agree's business-hours calendars: the list with each calendar's hours and how many targets
count time in it, one calendar's page (its week, the holidays and closures ahead, the targets using
it), and the calendars a target may choose.

Calendars are the provider's reference data: every signed-in role reads all of them. The targets that
use one belong to their accounts, so a calendar's page names only the targets of accounts the user may
see.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time, timedelta

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from agreements.business_time import (
    CLOSURE,
    END_OF_DAY,
    BusinessSchedule,
    holidays_between,
    schedule_for,
)
from agreements.models import BusinessCalendar, BusinessHours, CalendarClosure, ServiceLevelTarget, Weekday
from journeys import roles
from journeys.selectors import organization_scope

__all__ = [
    "CALENDAR_PAGE_TARGET_LIMIT",
    "CalendarDayOff",
    "CalendarPage",
    "calendar_choices",
    "calendar_get",
    "calendar_list",
    "calendar_page",
    "calendar_scope",
    "clock_label",
    "closure_get",
    "hours_summary",
    "week_of",
]

CALENDAR_PAGE_TARGET_LIMIT = 100
SHORT_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def calendar_scope(user) -> QuerySet[BusinessCalendar]:
    """Every calendar, for anyone holding a role."""
    if not roles.roles_of(user):
        return BusinessCalendar.objects.none()
    return BusinessCalendar.objects.all()


def _ordered_hours() -> Prefetch:
    return Prefetch("hours", queryset=BusinessHours.objects.order_by("weekday", "starts_at"))


def calendar_list(
    *, user, is_active: bool | None = None, country: str = "", closures: bool = False
) -> QuerySet[BusinessCalendar]:
    """Calendars by name, each with its hours (prefetched as `hours`, ordered) and `target_count`,
    the number of service level targets counting time in it (every account's: deleting a calendar
    waits for all of them). `closures=True` prefetches the closures too. Two or three queries
    whatever the number of calendars."""
    calendars = calendar_scope(user)
    if is_active is not None:
        calendars = calendars.filter(is_active=is_active)
    if country:
        calendars = calendars.filter(country=country.upper())
    prefetches: list = [_ordered_hours()]
    if closures:
        prefetches.append(Prefetch("closures", queryset=CalendarClosure.objects.order_by("date")))
    # One relation counted and none joined: the count cannot multiply.
    return (
        calendars.annotate(target_count=Count("targets")).prefetch_related(*prefetches).order_by("name", "pk")
    )


def calendar_get(*, user, pk: int) -> BusinessCalendar:
    """One calendar with its hours, closures and `target_count` (404 when there is none)."""
    calendar = calendar_list(user=user, closures=True).filter(pk=pk).first()
    if calendar is None:
        raise Http404("No such calendar.")
    return calendar


def closure_get(*, user, pk: int) -> CalendarClosure:
    closure = (
        CalendarClosure.objects.select_related("calendar")
        .filter(calendar__in=calendar_scope(user), pk=pk)
        .first()
    )
    if closure is None:
        raise Http404("No such closure.")
    return closure


def calendar_choices(*, include: BusinessCalendar | int | None = None) -> QuerySet[BusinessCalendar]:
    """The calendars a target may pick: the active ones, plus `include` (the target's current calendar,
    so editing a target on a calendar since deactivated keeps it)."""
    condition = Q(is_active=True)
    if include is not None:
        condition |= Q(pk=include.pk if isinstance(include, BusinessCalendar) else include)
    return BusinessCalendar.objects.filter(condition).order_by("name", "pk")


# --- presenting hours -----------------------------------------------------------------------------


def clock_label(moment: time) -> str:
    """A time of day as the pages show it; the end of the day is 24:00."""
    if moment >= END_OF_DAY:
        return "24:00"
    return f"{moment:%H:%M}" if not moment.second else f"{moment:%H:%M:%S}"


def _stretches_label(stretches: tuple[tuple[time, time], ...]) -> str:
    return ", ".join(f"{clock_label(start)}–{clock_label(end)}" for start, end in stretches)


def _days_label(weekdays: list[int]) -> str:
    """Mon–Fri; Mon, Wed, Fri; Mon–Wed, Sat."""
    runs: list[list[int]] = []
    for weekday in weekdays:
        if runs and weekday == runs[-1][-1] + 1:
            runs[-1].append(weekday)
        else:
            runs.append([weekday])
    parts = []
    for run in runs:
        if len(run) >= 3:
            parts.append(f"{SHORT_DAYS[run[0]]}–{SHORT_DAYS[run[-1]]}")
        else:
            parts.extend(SHORT_DAYS[weekday] for weekday in run)
    return ", ".join(parts)


def week_of(calendar: BusinessCalendar) -> tuple[tuple[tuple[time, time], ...], ...]:
    """Seven tuples of (start, end), Monday first, from the calendar's (prefetched) hours."""
    days: list[list[tuple[time, time]]] = [[] for _ in range(7)]
    for stretch in calendar.hours.all():
        days[stretch.weekday].append((stretch.starts_at, stretch.ends_at))
    return tuple(tuple(sorted(day)) for day in days)


def hours_summary(calendar: BusinessCalendar) -> str:
    """The week in one line: "Mon–Fri 08:00–18:00 · Sat 09:00–13:00", or "Round the clock (24 × 7)".
    Reads the prefetched hours."""
    if calendar.round_the_clock:
        return "Round the clock (24 × 7)"
    week = week_of(calendar)
    groups: dict[tuple, list[int]] = {}
    for weekday, stretches in enumerate(week):
        if stretches:
            groups.setdefault(stretches, []).append(weekday)
    if not groups:
        return "No hours yet"
    ordered = sorted(groups.items(), key=lambda item: item[1][0])
    return " · ".join(f"{_days_label(days)} {_stretches_label(stretches)}" for stretches, days in ordered)


# --- one calendar's page --------------------------------------------------------------------------


@dataclass(frozen=True)
class CalendarDayOff:
    date: date
    name: str
    source: str
    closure_pk: int | None = None

    @property
    def is_closure(self) -> bool:
        return self.source == CLOSURE


@dataclass
class CalendarPage:
    calendar: BusinessCalendar
    schedule: BusinessSchedule
    week: list[tuple[str, str]]
    summary: str
    first_day: date
    last_day: date
    days_off: list[CalendarDayOff]
    later_closures: list[CalendarClosure]
    targets: list[ServiceLevelTarget]
    hidden_target_count: int
    more_targets: bool = False
    weekly_hours: float = 0.0
    notes: list[str] = field(default_factory=list)


def _a_year_on(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def calendar_page(*, user, calendar: BusinessCalendar, today: date) -> CalendarPage:
    """Everything a calendar's page shows: its week, the public holidays and closures of the next
    twelve months (`today` included), the closures beyond, and the targets using it on accounts the
    user may see (up to CALENDAR_PAGE_TARGET_LIMIT). `calendar` comes from `calendar_get` (hours,
    closures and target count loaded)."""
    schedule = schedule_for(calendar)
    first_day, last_day = today, _a_year_on(today) - timedelta(days=1)
    closure_pks = {closure.date: closure.pk for closure in calendar.closures.all()}
    days_off = [
        CalendarDayOff(day, name, source, closure_pks.get(day) if source == CLOSURE else None)
        for day, name, source in holidays_between(schedule, first_day, last_day)
    ]
    later_closures = [closure for closure in calendar.closures.all() if closure.date > last_day]
    targets = ServiceLevelTarget.objects.filter(calendar=calendar)
    if not roles.sees_whole_portfolio(user):
        targets = targets.filter(agreement__organization__in=organization_scope(user))
    rows = list(
        targets.select_related("agreement", "agreement__organization").order_by(
            "agreement__organization__name", "agreement__title", "position", "pk"
        )[: CALENDAR_PAGE_TARGET_LIMIT + 1]
    )
    more = len(rows) > CALENDAR_PAGE_TARGET_LIMIT
    rows = rows[:CALENDAR_PAGE_TARGET_LIMIT]
    hidden = 0
    total = getattr(calendar, "target_count", None)
    if total is not None and not roles.sees_whole_portfolio(user):
        hidden = max(total - (targets.count() if more else len(rows)), 0)
    week = [
        (Weekday(weekday).label, _stretches_label(stretches) if stretches else "")
        for weekday, stretches in enumerate(week_of(calendar))
    ]
    notes = []
    if calendar.round_the_clock:
        notes.append("The clock runs every hour of every day; the weekly hours below are kept but not used.")
    if not calendar.holidays_stop_clock:
        notes.append("Public holidays and closures do not stop this calendar's clock; they are listed only.")
    elif not calendar.country:
        notes.append("No country is set, so no public holidays apply; only the closures stop the clock.")
    return CalendarPage(
        calendar=calendar,
        schedule=schedule,
        week=week,
        summary=hours_summary(calendar),
        first_day=first_day,
        last_day=last_day,
        days_off=days_off,
        later_closures=later_closures,
        targets=rows,
        hidden_target_count=hidden,
        more_targets=more,
        weekly_hours=schedule.weekly_seconds() / 3600,
        notes=notes,
    )
