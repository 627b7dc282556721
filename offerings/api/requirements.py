"""API of Offer: requirements (being written)."""

urlpatterns: list = []
