"""Placeholder: filled in by the assessments work."""
