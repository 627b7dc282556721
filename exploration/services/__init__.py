"""Writes of Explore, the app's public surface for changes: one module per subject, all re-exported
here so callers write `from exploration import services`."""

from exploration.services.analyses import *  # noqa: F403
from exploration.services.decision_grid import *  # noqa: F403
from exploration.services.decisions import *  # noqa: F403
from exploration.services.personas import *  # noqa: F403
from exploration.services.segments import *  # noqa: F403
