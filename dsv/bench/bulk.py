"""Raw bulk loading for the bench: rows straight into a table, `COPY` on PostgreSQL and `executemany`
elsewhere, without building a model instance per row."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from django.db import connection

BATCH_ROWS = 50_000  # rows per COPY or executemany call


def timestamp_formatter() -> Callable[[float], object]:
    """Seconds since the epoch → what the backend stores, without Django's per-value adaptation."""
    if connection.vendor == "postgresql":
        return lambda value: datetime.fromtimestamp(int(value), UTC).isoformat(" ")
    if connection.vendor == "sqlite":
        # Django keeps aware datetimes in SQLite as naive UTC text.
        return lambda value: datetime.fromtimestamp(int(value), UTC).isoformat(" ")[:19]
    return lambda value: connection.ops.adapt_datetimefield_value(datetime.fromtimestamp(int(value), UTC))


@contextmanager
def bulk_load(table: str) -> Iterator[None]:
    """Drop the table's secondary indexes (and on PostgreSQL its foreign keys), let the caller load it,
    then create them again from their own definitions: one sort per index and one join per foreign key
    instead of a million random index updates and a queue of a million deferred checks. DDL is
    transactional on SQLite and PostgreSQL, so a load that fails leaves the table as it was."""
    quote = connection.ops.quote_name
    indexes, foreign_keys = [], []
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name, sql FROM sqlite_master"
                " WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL",
                [table],
            )
            indexes = cursor.fetchall()
        elif connection.vendor == "postgresql":
            # Run the checks still deferred from the rows inserted so far (they would run at commit
            # anyway): a table with pending checks cannot be altered.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(
                """
                SELECT index_class.relname, pg_get_indexdef(pg_index.indexrelid)
                FROM pg_index
                JOIN pg_class index_class ON index_class.oid = pg_index.indexrelid
                WHERE pg_index.indrelid = %s::regclass
                  AND NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conindid = pg_index.indexrelid)
                """,
                [table],
            )
            indexes = cursor.fetchall()
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
                " WHERE conrelid = %s::regclass AND contype = 'f'",
                [table],
            )
            foreign_keys = cursor.fetchall()
        for name, _definition in foreign_keys:
            cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {quote(name)}")
    yield
    with connection.cursor() as cursor:
        for _name, definition in indexes:
            cursor.execute(definition)
        for name, definition in foreign_keys:
            cursor.execute(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}")


def insert_dicts(model, rows: list[dict], *, now: object) -> None:
    """Raw bulk insert of rows given as {attname: database-ready value}; fields a row leaves out take
    their default (created/updated take `now`)."""
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    defaults: dict[str, object] = {"created_at": now, "updated_at": now}
    for field in fields:
        if field.attname not in defaults and field.has_default():
            defaults[field.attname] = field.get_default()
        elif field.attname not in defaults and field.null:
            defaults[field.attname] = None
    names = [field.attname for field in fields]
    columns = [field.column for field in fields]
    for offset in range(0, len(rows), BATCH_ROWS):
        batch = [
            tuple(row[name] if name in row else defaults[name] for name in names)
            for row in rows[offset : offset + BATCH_ROWS]
        ]
        insert_rows(model._meta.db_table, columns, batch)


def copy_text(value) -> str:
    if value is None:
        return r"\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, datetime):
        return value.isoformat()
    text = str(value)
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return text


def insert_rows(table: str, columns: list[str], rows: list[tuple]) -> None:
    quote = connection.ops.quote_name
    column_list = ", ".join(quote(column) for column in columns)
    with connection.cursor() as cursor:
        raw = cursor.cursor
        if connection.vendor == "postgresql":
            buffer = io.StringIO()
            buffer.writelines("\t".join(copy_text(value) for value in row) + "\n" for row in rows)
            statement = f"COPY {quote(table)} ({column_list}) FROM STDIN"
            if hasattr(raw, "copy_expert"):  # psycopg2
                buffer.seek(0)
                raw.copy_expert(statement, buffer)
            else:  # psycopg 3
                with raw.copy(statement) as copy:
                    copy.write(buffer.getvalue())
            return
        placeholders = ", ".join(["%s"] * len(columns))
        statement = f"INSERT INTO {quote(table)} ({column_list}) VALUES ({placeholders})"  # noqa: S608
        cursor.executemany(statement, rows)
