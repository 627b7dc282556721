"""URLs of Realize: reviews."""

urlpatterns: list = []
