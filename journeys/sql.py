"""Plain SQL reads for the hot pages' selectors (the SLA dashboard, the agreement and plan pages):
where compiling a query through the ORM costs more than running it, a selector writes its SQL once
and reads the rows here. Values read this way skip the ORM's conversions, so SQLite hands some back in
other types than PostgreSQL does; the `as_*` functions give every database's value the same type."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from django.db import connection
from django.utils import timezone


def fetch(sql: str, params) -> list[tuple]:
    """All rows of a query (our own table and column names in `sql`; every value a parameter)."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def as_day(value) -> date | None:
    """A date column's value (SQLite may hand back its text)."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)


def as_decimal(value) -> Decimal | None:
    """A decimal column's value (SQLite hands back an int or a float)."""
    if value is None or isinstance(value, Decimal):
        return value
    return Decimal(str(value))


def as_moment(value) -> datetime | None:
    """A timestamp column's value, aware (SQLite hands back a naive datetime, or its text, in UTC)."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if timezone.is_aware(value) else timezone.make_aware(value, UTC)
