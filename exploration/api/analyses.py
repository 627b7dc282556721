"""Placeholder: filled in by the analyses work."""

urlpatterns: list = []
