"""Reads of Offer, the app's public surface for queries: one module per subject, all re-exported
here so callers write `from offerings import selectors`."""

from offerings.selectors.business_cases import *  # noqa: F403
from offerings.selectors.catalogue import *  # noqa: F403
from offerings.selectors.demand import *  # noqa: F403
from offerings.selectors.panel import *  # noqa: F403
from offerings.selectors.pipeline import *  # noqa: F403
from offerings.selectors.playbooks import *  # noqa: F403
from offerings.selectors.requirements import *  # noqa: F403
