"""Offer: the catalogue of services and offerings with their value propositions, each consumer's
demand (requirements, the opportunity pipeline), the offerings' patterns of business activity,
business cases and onboarding playbooks. One module per subject, all re-exported here so callers
write `from offerings.models import ServiceOffering`."""

from offerings.models.business_cases import *  # noqa: F403
from offerings.models.catalogue import *  # noqa: F403
from offerings.models.demand import *  # noqa: F403
from offerings.models.events import *  # noqa: F403
from offerings.models.pipeline import *  # noqa: F403
from offerings.models.playbooks import *  # noqa: F403
