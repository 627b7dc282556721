"""Services of Offer: playbooks (being written)."""

__all__: list[str] = []
