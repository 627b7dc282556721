"""Agree: agreements with their lifecycle and reviews, their service level targets, the business-hours
calendars the targets count time in, measurements, and the compliance scorecards computed from them.
One module per subject, all re-exported here so callers write `from agreements.models import Agreement`."""

from agreements.models.agreements import *  # noqa: F403
from agreements.models.calendars import *  # noqa: F403
from agreements.models.compliance import *  # noqa: F403
from agreements.models.events import *  # noqa: F403
from agreements.models.measurements import *  # noqa: F403
from agreements.models.targets import *  # noqa: F403
