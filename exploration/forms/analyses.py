"""Placeholder: filled in by the analyses work."""
