"""REST API of Realize: surveys."""

urlpatterns: list = []
