"""URLs of Offer: playbooks (being written)."""

urlpatterns: list = []
