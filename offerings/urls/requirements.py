"""URLs of Offer: requirements (being written)."""

urlpatterns: list = []
