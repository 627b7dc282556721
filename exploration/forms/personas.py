"""Placeholder: filled in by the personas work."""
