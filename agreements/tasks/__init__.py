"""Celery tasks of Agree (autodiscovered as `agreements.tasks`): one module per subject."""

from agreements.tasks.agreements import *  # noqa: F403
from agreements.tasks.calendars import *  # noqa: F403
from agreements.tasks.compliance import *  # noqa: F403
from agreements.tasks.dashboard import *  # noqa: F403
from agreements.tasks.measurements import *  # noqa: F403
from agreements.tasks.targets import *  # noqa: F403
