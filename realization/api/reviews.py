"""REST API of Realize: reviews."""

urlpatterns: list = []
