"""Reads of Co-create, the app's public surface for queries: one module per subject, all re-exported
here so callers write `from cocreation import selectors`."""

from cocreation.selectors.closings import *  # noqa: F403
from cocreation.selectors.communities import *  # noqa: F403
from cocreation.selectors.console import *  # noqa: F403
from cocreation.selectors.feedback import *  # noqa: F403
from cocreation.selectors.requests import *  # noqa: F403
