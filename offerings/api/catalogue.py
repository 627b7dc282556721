"""API of Offer: catalogue (being written)."""

urlpatterns: list = []
