"""Writes of Offer, the app's public surface for changes: one module per subject, all re-exported
here so callers write `from offerings import services`."""

from offerings.services.business_cases import *  # noqa: F403
from offerings.services.catalogue import *  # noqa: F403
from offerings.services.demand import *  # noqa: F403
from offerings.services.pipeline import *  # noqa: F403
from offerings.services.playbooks import *  # noqa: F403
from offerings.services.requirements import *  # noqa: F403
