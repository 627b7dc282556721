"""Placeholder: filled in by the relationship work."""

urlpatterns: list = []
