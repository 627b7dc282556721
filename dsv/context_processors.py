"""Navigation for the base layout: the seven steps in journey order, then Service desk and Value."""

from django.urls import reverse
from django.utils import timezone

from journeys import roles
from journeys.models import JourneyStep


def step_links(request) -> list[dict]:
    """The seven steps in journey order with their overview's URL, reversed once per request: the
    navigation shows them on every page, and a page that lists the steps too (the dashboard's funnel)
    takes the URLs from here."""
    links = getattr(request, "_dsv_step_links", None)
    if links is None:
        links = request._dsv_step_links = [
            {
                "step": step,
                "number": index,
                "label": step.label,
                "url": reverse("step_overview", args=[step.value]),
            }
            for index, step in enumerate(JourneyStep, start=1)
        ]
    return links


def navigation(request):
    user = getattr(request, "user", None)
    if not getattr(user, "is_authenticated", False):
        return {}
    return {
        # One "now" per request, so every age on a page is measured from the same instant.
        "now": timezone.now(),
        "nav_steps": step_links(request),
        "nav_roles": sorted(roles.roles_of(user)),
        "nav_can_manage": roles.may_manage_accounts(user),
        "nav_can_log": roles.may_log_touchpoints(user),
    }
