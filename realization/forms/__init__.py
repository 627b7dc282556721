"""Realize's forms, one module per subject."""

from realization.forms.overlay import OverlayForm

__all__ = ["OverlayForm"]
