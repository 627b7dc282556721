"""Celery tasks of Agree (autodiscovered as `agreements.tasks`): one module per subject."""

from agreements.tasks.agreements import *  # noqa: F403
from agreements.tasks.compliance import *  # noqa: F403
