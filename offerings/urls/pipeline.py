"""URLs of Offer: pipeline (being written)."""

urlpatterns: list = []
