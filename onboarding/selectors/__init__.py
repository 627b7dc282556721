"""Reads of Onboard, the app's public surface for queries: one module per subject, all re-exported
here so callers write `from onboarding import selectors`."""

from onboarding.selectors.actions import *  # noqa: F403
from onboarding.selectors.api import *  # noqa: F403
from onboarding.selectors.board import *  # noqa: F403
from onboarding.selectors.completed import *  # noqa: F403
from onboarding.selectors.plans import *  # noqa: F403
