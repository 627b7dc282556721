"""Celery tasks of Agree: targets."""

__all__: list[str] = []
