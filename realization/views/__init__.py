"""Realize's pages, one module per subject (the URL modules import them by name)."""
