"""Reads of Realize, the app's public surface for queries: one module per subject, all re-exported
here so callers write `from realization import selectors`."""

from realization.selectors.metrics import *  # noqa: F403
from realization.selectors.overlay import *  # noqa: F403
from realization.selectors.reviews import *  # noqa: F403
from realization.selectors.surveys import *  # noqa: F403
