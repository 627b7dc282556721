"""URLs of Offer: catalogue (being written)."""

urlpatterns: list = []
