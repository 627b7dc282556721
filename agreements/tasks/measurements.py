"""Celery tasks of Agree: measurements."""

__all__: list[str] = []
