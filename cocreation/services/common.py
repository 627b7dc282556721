"""What every Co-create write shares: who may write, and the checks on its input."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.http import Http404

from journeys import roles
from journeys.base import ApplicationError
from journeys.selectors import organization_is_visible

WRITE_REFUSED = "Your role may not change requests, feedback or communities."


def require_may_write(actor, organization) -> None:
    """404 for an outsider (they learn nothing), 403 for a role that may not log contacts (analysts)."""
    if not organization_is_visible(actor, organization):
        raise Http404("Not found.")
    if not roles.may_log_touchpoints(actor):
        raise PermissionDenied(WRITE_REFUSED)


def fail(errors: dict[str, list[str]]) -> None:
    """Raise naming every field that is wrong (the first message as the summary)."""
    if errors:
        raise ApplicationError(next(iter(errors.values()))[0], fields=errors)


def check_text(errors: dict, model, name: str, value, *, required: bool = False, example: str = "") -> None:
    field = model._meta.get_field(name)
    limit = field.max_length or 10_000
    if value is not None and not isinstance(value, str):
        errors[name] = ["Give this as text."]
    elif required and not (value or "").strip():
        errors[name] = [f"This is needed{', e.g. ' + example if example else ''}."]
    elif len(value or "") > limit:
        errors[name] = [f"Keep it to {limit:,} characters."]


def check_choice(errors: dict, name: str, value, choices, what: str) -> None:
    if value in choices.values:
        return
    errors[name] = [f"“{value}” is not a {what}; use one of {', '.join(str(v) for v in choices.values)}."]


def check_belongs(errors: dict, name: str, instance, organization, what: str) -> None:
    """A linked record (person, touchpoint, journey...) must belong to the same account."""
    if instance is not None and instance.organization_id != organization.pk:
        errors[name] = [f"This {what} belongs to another organization."]


def save(instance) -> None:
    """Save, turning a database rule the checks did not foresee into a clear error."""
    try:
        instance.save()
    except IntegrityError as error:
        message = str(error).lower()
        if "external_id" in message:
            raise ApplicationError.for_field(
                "external_id", "This external id is already in use.", code="duplicate", status=409
            ) from None
        raise ApplicationError(f"The record breaks a data rule: {error}", code="constraint") from None
