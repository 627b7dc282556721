"""Writes of Realize, the app's public surface for changes: one module per subject, all re-exported
here so callers write `from realization import services`."""

from realization.services.activity import *  # noqa: F403
from realization.services.metrics import *  # noqa: F403
from realization.services.reviews import *  # noqa: F403
from realization.services.surveys import *  # noqa: F403
