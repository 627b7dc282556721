"""URLs of Offer: business cases (being written)."""

urlpatterns: list = []
