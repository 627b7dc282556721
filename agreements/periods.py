"""Measurement periods of service level targets (months and quarters) and the time zone they are cut
in. A moment belongs to the period that contains it *in the target's calendar's time zone*: a value
measured at 23:30 UTC on 31 March counts in April for a target on Berlin time."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.utils import timezone

__all__ = [
    "add_periods",
    "local_day",
    "period_bounds",
    "period_label",
    "period_start",
    "period_start_at",
    "site_zone",
    "zone_named",
]


def site_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def zone_named(name: str | None) -> ZoneInfo:
    """The time zone called `name`, or the site's when the name is empty or unknown."""
    if not name:
        return site_zone()
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return site_zone()


def _months(period: str) -> int:
    if period == "month":
        return 1
    if period == "quarter":
        return 3
    raise ValueError(f"Unknown measurement period {period!r}.")


def period_start(period: str, day: date) -> date:
    """The first day of the month or quarter holding `day`."""
    months = _months(period)
    first_month = (day.month - 1) // months * months + 1
    return date(day.year, first_month, 1)


def add_periods(period: str, start: date, count: int) -> date:
    """The start of the period `count` periods after (or before, negative) the one starting on `start`."""
    index = start.year * 12 + (start.month - 1) + count * _months(period)
    return date(index // 12, index % 12 + 1, 1)


def period_bounds(period: str, day: date) -> tuple[date, date]:
    """(first day, last day) of the period holding `day`."""
    start = period_start(period, day)
    return start, add_periods(period, start, 1) - timedelta(days=1)


def local_day(moment: datetime, zone: ZoneInfo) -> date:
    if timezone.is_naive(moment):
        raise ValueError("Measurement moments must carry their time zone.")
    return moment.astimezone(zone).date()


def period_start_at(period: str, moment: datetime, zone: ZoneInfo) -> date:
    """The first day of the period the moment falls in, in `zone`."""
    return period_start(period, local_day(moment, zone))


def period_label(period: str, start: date) -> str:
    if period == "quarter":
        return f"Q{(start.month - 1) // 3 + 1} {start.year}"
    return start.strftime("%B %Y")
