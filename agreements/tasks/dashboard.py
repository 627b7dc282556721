"""Celery tasks of Agree: dashboard."""

__all__: list[str] = []
