"""Realize's models, one module per subject, all re-exported here."""

from realization.models.activity import *  # noqa: F403
from realization.models.events import *  # noqa: F403
from realization.models.metrics import *  # noqa: F403
from realization.models.reviews import *  # noqa: F403
from realization.models.surveys import *  # noqa: F403
