"""Placeholder: filled in by the decisions work."""

urlpatterns: list = []
