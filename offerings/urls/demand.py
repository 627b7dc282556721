"""URLs of Offer: demand (being written)."""

urlpatterns: list = []
