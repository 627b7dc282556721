"""Reads of Engage, the app's public surface for queries: one module per subject, all re-exported
here so callers write `from relationships import selectors`."""

from relationships.selectors.assessments import *  # noqa: F403
from relationships.selectors.communication import *  # noqa: F403
from relationships.selectors.grid import *  # noqa: F403
from relationships.selectors.relationship import *  # noqa: F403
