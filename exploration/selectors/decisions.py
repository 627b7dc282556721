"""Placeholder: filled in by the decisions work."""
