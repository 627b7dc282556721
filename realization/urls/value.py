"""URLs of Realize: value."""

urlpatterns: list = []
