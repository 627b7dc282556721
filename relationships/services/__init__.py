"""Writes of Engage, the app's public surface for changes: one module per subject, all re-exported
here so callers write `from relationships import services`."""

from relationships.services.assessments import *  # noqa: F403
from relationships.services.grid import *  # noqa: F403
from relationships.services.relationship import *  # noqa: F403
