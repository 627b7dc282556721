"""Services of Offer: catalogue (being written)."""

__all__: list[str] = []
