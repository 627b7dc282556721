"""Reads of Agree, the app's public surface for queries: one module per subject, all re-exported
here so callers write `from agreements import selectors`."""

from agreements.selectors.agreements import *  # noqa: F403
from agreements.selectors.calendars import *  # noqa: F403
from agreements.selectors.compliance import *  # noqa: F403
from agreements.selectors.dashboard import *  # noqa: F403
from agreements.selectors.measurements import *  # noqa: F403
from agreements.selectors.targets import *  # noqa: F403
