"""REST API of Realize: metrics."""

urlpatterns: list = []
