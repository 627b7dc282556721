"""What every Onboard write shares: who may change a plan, and the checks on its input."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.http import Http404

from journeys import roles
from journeys.base import ApplicationError
from journeys.selectors import organization_is_visible
from onboarding.models import OnboardingPlan, PlanStatus

WRITE_REFUSED = "Your role may not change onboarding plans."


def require_may_change(actor, organization) -> None:
    """404 for an outsider (they learn nothing), 403 for a role that may not change accounts."""
    if not organization_is_visible(actor, organization):
        raise Http404("Not found.")
    if not roles.may_manage_accounts(actor):
        raise PermissionDenied(WRITE_REFUSED)


def require_open(plan: OnboardingPlan) -> None:
    if PlanStatus(plan.status).is_final:
        raise ApplicationError(
            f"“{plan.title}” is {plan.get_status_display().lower()}: it is kept as it was and no longer"
            " changes.",
            code="plan_closed",
            status=409,
        )


def fail(errors: dict[str, list[str]]) -> None:
    """Raise naming every field that is wrong (the first message as the summary)."""
    if errors:
        raise ApplicationError(next(iter(errors.values()))[0], fields=errors)


# Plans are scheduled in days after their start: a date near the calendar's end would overflow.
EARLIEST, LATEST = date(2000, 1, 1), date(2999, 12, 31)


def check_date(errors: dict, name: str, value, *, required: bool = True) -> None:
    if value is None:
        if required:
            errors[name] = ["Give a date, e.g. 2026-06-30."]
    elif not isinstance(value, date):
        errors[name] = ["Give the date as a date, e.g. 2026-06-30."]
    elif not EARLIEST <= value <= LATEST:
        errors[name] = [f"Give a date between {EARLIEST:%Y} and {LATEST:%Y}."]


def check_text(errors: dict, model, name: str, value, *, required: bool = False, example: str = "") -> None:
    limit = model._meta.get_field(name).max_length
    if required and not (value or "").strip():
        errors[name] = [f"This is needed{', e.g. ' + example if example else ''}."]
    elif limit and len(value or "") > limit:
        errors[name] = [f"Keep it to {limit} characters."]


def check_choice(errors: dict, name: str, value, choices, what: str, *, blank: bool = True) -> None:
    if (value == "" and blank) or value in choices.values:
        return
    errors[name] = [f"“{value}” is not a {what}; use one of {', '.join(choices.values)}."]


def save(instance) -> None:
    """Save, turning a database rule the checks did not foresee into a clear error."""
    try:
        instance.save()
    except IntegrityError as error:
        raise ApplicationError(f"The record breaks a data rule: {error}", code="constraint") from None
