"""Celery tasks of Agree: calendars."""

__all__: list[str] = []
