"""Services of Offer: pipeline (being written)."""

__all__: list[str] = []
