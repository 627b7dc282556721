"""Writes of Co-create, the app's public surface for changes: one module per subject, all re-exported
here so callers write `from cocreation import services`."""

from cocreation.services.clocks import *  # noqa: F403
from cocreation.services.communities import *  # noqa: F403
from cocreation.services.console import *  # noqa: F403
from cocreation.services.feedback import *  # noqa: F403
from cocreation.services.requests import *  # noqa: F403
