"""Reads of Explore, the app's public surface for queries: one module per subject, all re-exported
here so callers write `from exploration import selectors`."""

from exploration.selectors.analyses import *  # noqa: F403
from exploration.selectors.decisions import *  # noqa: F403
from exploration.selectors.personas import *  # noqa: F403
from exploration.selectors.segments import *  # noqa: F403
