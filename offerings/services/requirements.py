"""Services of Offer: requirements (being written)."""

__all__: list[str] = []
