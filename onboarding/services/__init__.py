"""Writes of Onboard, the app's public surface for changes: one module per subject, all re-exported
here so callers write `from onboarding import services`."""

from onboarding.services.actions import *  # noqa: F403
from onboarding.services.goals import *  # noqa: F403
from onboarding.services.links import *  # noqa: F403
from onboarding.services.plans import *  # noqa: F403
from onboarding.services.reminders import *  # noqa: F403
