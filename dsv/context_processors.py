"""Navigation for the base layout: the seven steps in journey order, then Service desk and Value."""

from django.urls import reverse
from django.utils import timezone

from journeys import roles
from journeys.models import JourneyStep


def navigation(request):
    user = getattr(request, "user", None)
    if not getattr(user, "is_authenticated", False):
        return {}
    steps = [
        {
            "step": step,
            "number": index,
            "label": step.label,
            "url": reverse("step_overview", args=[step.value]),
        }
        for index, step in enumerate(JourneyStep, start=1)
    ]
    return {
        # One "now" per request, so every age on a page is measured from the same instant.
        "now": timezone.now(),
        "nav_steps": steps,
        "nav_roles": sorted(roles.roles_of(user)),
        "nav_can_manage": roles.may_manage_accounts(user),
        "nav_can_log": roles.may_log_touchpoints(user),
    }
