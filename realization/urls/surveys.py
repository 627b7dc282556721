"""URLs of Realize: surveys."""

urlpatterns: list = []
