"""Services of Offer: demand (being written)."""

__all__: list[str] = []
