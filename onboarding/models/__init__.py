"""Onboard: onboarding and offboarding plans with their goals and actions (owned by provider people or
consumer stakeholders, with dependencies), the signed links consumer owners answer through, and the
reminders sent. One module per subject, all re-exported here so callers write
`from onboarding.models import OnboardingPlan`."""

from onboarding.models.actions import *  # noqa: F403
from onboarding.models.events import *  # noqa: F403
from onboarding.models.links import *  # noqa: F403
from onboarding.models.plans import *  # noqa: F403
