"""Writes of Agree, the app's public surface for changes: one module per subject, all re-exported
here so callers write `from agreements import services`."""

from agreements.services.agreements import *  # noqa: F403
from agreements.services.calendars import *  # noqa: F403
from agreements.services.compliance import *  # noqa: F403
from agreements.services.measurements import *  # noqa: F403
from agreements.services.targets import *  # noqa: F403
