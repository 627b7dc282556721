"""Reads of Realize, the app's public surface for queries: one module per subject, all re-exported
here so callers write `from realization import selectors`."""

from realization.selectors.overlay import *  # noqa: F403
