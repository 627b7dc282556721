"""Selectors of Offer: business cases (being written)."""

__all__: list[str] = []
