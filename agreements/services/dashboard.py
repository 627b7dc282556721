"""Writes of Agree: dashboard. (Filled by its issue work.)"""

__all__: list[str] = []
