"""What the Realize API's filter sets share: the selector-filtered sets of `journeys.api_base`, and
the parsing of the moments and months they take (a bad value answers 400 naming the filter)."""

from __future__ import annotations

from datetime import date, datetime

from rest_framework import exceptions

from journeys.api_base import parse_updated_since
from realization.services.activity import site_zone

__all__ = ["parse_moment", "parse_month"]


def parse_moment(value: str | None, *, name: str) -> datetime | None:
    """An ISO 8601 moment with its time zone (a plain date is its midnight in the site's time zone)."""
    if not value:
        return None
    try:
        return parse_updated_since(value)
    except exceptions.ValidationError:
        pass
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise exceptions.ValidationError(
            {name: ["Use an ISO 8601 date-time with its time zone (2026-01-31T12:00:00Z) or a date."]}
        ) from None
    return datetime(day.year, day.month, day.day, tzinfo=site_zone())


def parse_month(value: str | None, *, name: str) -> date | None:
    """`YYYY-MM` as the first day of that month."""
    if not value:
        return None
    try:
        year, month = value.split("-")
        if len(year) != 4 or len(month) != 2:
            raise ValueError
        return date(int(year), int(month), 1)
    except ValueError:
        raise exceptions.ValidationError({name: ["Use a month as YYYY-MM, e.g. 2026-03."]}) from None
