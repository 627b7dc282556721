"""URLs of Realize: public."""

urlpatterns: list = []
