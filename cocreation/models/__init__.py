"""Co-create: the service desk's requests and user queries with their SLA clocks, the feedback, complaints
and compliments linked to touchpoints, the review of moments of truth, and each consumer's user
communities with their super-users. One module per subject, all re-exported here so callers write
`from cocreation.models import ServiceRequest`."""

from cocreation.models.communities import *  # noqa: F403
from cocreation.models.events import *  # noqa: F403
from cocreation.models.feedback import *  # noqa: F403
from cocreation.models.requests import *  # noqa: F403
