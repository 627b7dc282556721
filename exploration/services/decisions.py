"""Writes of Explore: decision matrices that compare providers or options against weighted criteria.

Rights follow what the matrix is about. A matrix made for one consumer account follows that account:
whoever may not see the account gets a 404, and only those who may manage accounts change it. A matrix
without an account is a provider-wide comparison that every relationship manager and administrator may
shape. Every bad input names its field (or its grid cell) and nothing is saved.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.http import Http404

from exploration.models import (
    RATING_MAX,
    RATING_MIN,
    WEIGHT_MAX,
    WEIGHT_MIN,
    DecisionCriterion,
    DecisionMatrix,
    DecisionOption,
    DecisionRating,
)
from journeys import roles
from journeys.base import ApplicationError
from journeys.models import Organization, OrganizationKind
from journeys.selectors import organization_is_visible

__all__ = [
    "DEFAULT_CRITERIA",
    "DEFAULT_CRITERION_WEIGHT",
    "decision_criterion_add",
    "decision_criterion_remove",
    "decision_criterion_update",
    "decision_matrix_create",
    "decision_matrix_delete",
    "decision_matrix_update",
    "decision_option_add",
    "decision_option_remove",
    "decision_option_update",
]

# The shortlist assessment criteria, in the order the guidance gives them: the rows a new matrix
# starts with. Trimming the list to what matters for the decision is part of the discussion.
DEFAULT_CRITERIA = (
    "Products and services offered, and their functional coverage",
    "Delivery models, warranties, architectural fit and integration options",
    "Price",
    "Geographical presence and language capabilities",
    "Service attitude, proactivity and responsiveness",
    "Competency levels, skills and experience",
    "Availability of resources and partners",
    "Governance profile (policies, security and the like)",
    "Size of the organization",
    "Flexibility and scalability",
    "Financial situation",
    "Brand, reputation, credentials, certifications and reference customers",
    "Trust and existing relationship",
    "Charges",
)
# Every default criterion starts equal; the people deciding move the weights apart together.
DEFAULT_CRITERION_WEIGHT = 5
OPTION_ORGANIZATION_KINDS = (OrganizationKind.PROVIDER, OrganizationKind.SUPPLIER, OrganizationKind.PARTNER)

MATRIX_FIELDS = ("title", "purpose", "organization")
CRITERION_FIELDS = ("name", "weight", "is_intangible", "position")
OPTION_FIELDS = ("name", "organization", "notes")

TITLE_MAX = DecisionMatrix._meta.get_field("title").max_length
CRITERION_NAME_MAX = DecisionCriterion._meta.get_field("name").max_length
OPTION_NAME_MAX = DecisionOption._meta.get_field("name").max_length
NOTE_MAX = DecisionRating._meta.get_field("note").max_length
WEIGHT_RULE = f"a weight is a whole number from {WEIGHT_MIN} to {WEIGHT_MAX}"
RATING_RULE = f"a rating is a whole number from {RATING_MIN} to {RATING_MAX}"


# --- rights -----------------------------------------------------------------------------------------


def _require_write(actor, matrix_organization: Organization | None) -> None:
    """Role first (desk and analysts only read), then the account: an account the actor may not see
    answers like one that does not exist."""
    if not roles.may_manage_accounts(actor):
        raise PermissionDenied("Only relationship managers and administrators change decision matrices.")
    if matrix_organization is not None and not organization_is_visible(actor, matrix_organization):
        raise Http404("No such decision matrix.")


# --- value checks -----------------------------------------------------------------------------------


def _unknown(fields: dict[str, Any], allowed: Iterable[str]) -> None:
    unknown = sorted(set(fields) - set(allowed))
    if unknown:
        raise ApplicationError(
            f"Unknown field: {', '.join(unknown)}.", fields={name: ["Unknown field."] for name in unknown}
        )


# field → (label, max length or None, required)
_TEXTS = {
    "title": ("The title", TITLE_MAX, True),
    "purpose": ("The purpose", None, False),
    "criterion": ("The name", CRITERION_NAME_MAX, True),
    "option": ("The name", OPTION_NAME_MAX, True),
    "notes": ("The notes", None, False),
}


def _text(value: Any, rule: str, field: str | None = None) -> str:
    label, max_length, required = _TEXTS[rule]
    field = field or rule
    text = "" if value is None else str(value).strip()
    if required and not text:
        raise ApplicationError.for_field(field, f"{label} is required.")
    if max_length is not None and len(text) > max_length:
        raise ApplicationError.for_field(field, f"{label} is at most {max_length} characters.")
    return text


def _whole_number(value: Any, low: int, high: int) -> int | None:
    """The value as an int within [low, high], or None when it is not one: "3" and 3 pass; 3.5, "3.0",
    True, "" and 7 do not."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and value.strip().lstrip("-").isdigit():
        number = int(value.strip())
    else:
        return None
    return number if low <= number <= high else None


def _weight(value: Any, *, field: str = "weight") -> int:
    number = _whole_number(value, WEIGHT_MIN, WEIGHT_MAX)
    if number is None:
        raise ApplicationError.for_field(field, WEIGHT_RULE.capitalize() + ".")
    return number


def _matrix_organization(actor, organization: Organization | None) -> Organization | None:
    if organization is None:
        return None
    if not organization_is_visible(actor, organization) or organization.kind != OrganizationKind.CONSUMER:
        raise ApplicationError.for_field(
            "organization", "Choose one of your consumer organizations, or none for a provider-wide matrix."
        )
    return organization


def _option_organization(actor, organization: Organization | None) -> Organization | None:
    if organization is None:
        return None
    if not organization_is_visible(actor, organization) or organization.kind not in OPTION_ORGANIZATION_KINDS:
        raise ApplicationError.for_field(
            "organization", "Choose a provider, supplier or partner on record, or leave it empty."
        )
    return organization


def _save_unique(instance, rows, field: str, message: str):
    """Save `instance` unless another of `rows` already holds the name (409 naming `field`). Two
    people saving the same name at once meet the unique constraint instead; the loser hears the same."""
    duplicate = ApplicationError.for_field(field, message, code="duplicate", status=409)
    if rows.exclude(pk=instance.pk).exists():
        raise duplicate
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError:
        raise duplicate from None
    return instance


# --- matrices ---------------------------------------------------------------------------------------


def _save_matrix(matrix: DecisionMatrix) -> DecisionMatrix:
    return _save_unique(
        matrix,
        DecisionMatrix.objects.filter(title__iexact=matrix.title),
        "title",
        f"Another decision matrix is already called “{matrix.title}”.",
    )


@transaction.atomic
def decision_matrix_create(
    *,
    actor,
    title: str,
    purpose: str = "",
    organization: Organization | None = None,
    with_default_criteria: bool = True,
) -> DecisionMatrix:
    """Start a matrix; the actor owns it. With the default criteria it holds the fourteen shortlist
    criteria at equal weight, so a team can start rating at once and trim afterwards."""
    _require_write(actor, None)
    matrix = DecisionMatrix(
        owner=actor,
        title=_text(title, "title"),
        purpose=_text(purpose, "purpose"),
        organization=_matrix_organization(actor, organization),
    )
    _save_matrix(matrix)
    if with_default_criteria:
        DecisionCriterion.objects.bulk_create(
            DecisionCriterion(matrix=matrix, name=name, weight=DEFAULT_CRITERION_WEIGHT, position=position)
            for position, name in enumerate(DEFAULT_CRITERIA, start=1)
        )
    return matrix


@transaction.atomic
def decision_matrix_update(*, actor, matrix: DecisionMatrix, **fields: Any) -> DecisionMatrix:
    """Change any of MATRIX_FIELDS. Moving a matrix to another account needs the right to write on
    both: the one it leaves and the one it joins."""
    _require_write(actor, matrix.organization)
    _unknown(fields, MATRIX_FIELDS)
    matrix = DecisionMatrix.objects.select_for_update().get(pk=matrix.pk)
    if "title" in fields:
        matrix.title = _text(fields["title"], "title")
    if "purpose" in fields:
        matrix.purpose = _text(fields["purpose"], "purpose")
    if "organization" in fields:
        matrix.organization = _matrix_organization(actor, fields["organization"])
    return _save_matrix(matrix)


@transaction.atomic
def decision_matrix_delete(*, actor, matrix: DecisionMatrix) -> None:
    """Remove the matrix with its criteria, options and ratings; the organizations stay."""
    _require_write(actor, matrix.organization)
    matrix.delete()


def _touch(matrix: DecisionMatrix) -> None:
    # A change to a row changes the matrix for whoever syncs by `updated_since`.
    matrix.save(update_fields=["updated_at"])


# --- criteria ---------------------------------------------------------------------------------------


def _save_criterion(criterion: DecisionCriterion) -> DecisionCriterion:
    return _save_unique(
        criterion,
        DecisionCriterion.objects.filter(matrix_id=criterion.matrix_id, name__iexact=criterion.name),
        "name",
        f"This matrix already has a criterion called “{criterion.name}”.",
    )


def _apply_criterion(criterion: DecisionCriterion, fields: dict[str, Any]) -> None:
    _unknown(fields, CRITERION_FIELDS)
    if "name" in fields:
        criterion.name = _text(fields["name"], "criterion", "name")
    if "weight" in fields:
        criterion.weight = _weight(fields["weight"])
    if "is_intangible" in fields:
        criterion.is_intangible = bool(fields["is_intangible"])
    if "position" in fields:
        position = _whole_number(fields["position"], 0, 32767)
        if position is None:
            raise ApplicationError.for_field("position", "The position is a whole number from 0.")
        criterion.position = position


@transaction.atomic
def decision_criterion_add(
    *,
    actor,
    matrix: DecisionMatrix,
    name: str,
    weight: int | str = DEFAULT_CRITERION_WEIGHT,
    is_intangible: bool = False,
    position: int | None = None,
) -> DecisionCriterion:
    """Add a row; without a position it goes last."""
    _require_write(actor, matrix.organization)
    criterion = DecisionCriterion(matrix=matrix)
    fields: dict[str, Any] = {"name": name, "weight": weight, "is_intangible": is_intangible}
    if position is None:
        last = DecisionCriterion.objects.filter(matrix=matrix).aggregate(last=Max("position"))["last"]
        position = (last or 0) + 1
    _apply_criterion(criterion, fields | {"position": position})
    _save_criterion(criterion)
    _touch(matrix)
    return criterion


@transaction.atomic
def decision_criterion_update(*, actor, criterion: DecisionCriterion, **fields: Any) -> DecisionCriterion:
    """Change any of CRITERION_FIELDS."""
    _require_write(actor, criterion.matrix.organization)
    criterion = DecisionCriterion.objects.select_for_update().get(pk=criterion.pk)
    _apply_criterion(criterion, fields)
    _save_criterion(criterion)
    _touch(criterion.matrix)
    return criterion


@transaction.atomic
def decision_criterion_remove(*, actor, criterion: DecisionCriterion) -> None:
    """Remove the row and the ratings given against it."""
    _require_write(actor, criterion.matrix.organization)
    matrix = criterion.matrix
    criterion.delete()
    _touch(matrix)


# --- options ----------------------------------------------------------------------------------------


def _save_option(option: DecisionOption) -> DecisionOption:
    return _save_unique(
        option,
        DecisionOption.objects.filter(matrix_id=option.matrix_id, name__iexact=option.name),
        "name",
        f"This matrix already has an option called “{option.name}”.",
    )


def _apply_option(actor, option: DecisionOption, fields: dict[str, Any]) -> None:
    _unknown(fields, OPTION_FIELDS)
    if "name" in fields:
        option.name = _text(fields["name"], "option", "name")
    if "organization" in fields:
        option.organization = _option_organization(actor, fields["organization"])
    if "notes" in fields:
        option.notes = _text(fields["notes"], "notes")


@transaction.atomic
def decision_option_add(
    *,
    actor,
    matrix: DecisionMatrix,
    name: str,
    organization: Organization | None = None,
    notes: str = "",
) -> DecisionOption:
    """Add a column: a candidate provider (optionally one on record) or a course of action."""
    _require_write(actor, matrix.organization)
    option = DecisionOption(matrix=matrix)
    _apply_option(actor, option, {"name": name, "organization": organization, "notes": notes})
    _save_option(option)
    _touch(matrix)
    return option


@transaction.atomic
def decision_option_update(*, actor, option: DecisionOption, **fields: Any) -> DecisionOption:
    """Change any of OPTION_FIELDS."""
    _require_write(actor, option.matrix.organization)
    option = DecisionOption.objects.select_for_update().get(pk=option.pk)
    _apply_option(actor, option, fields)
    _save_option(option)
    _touch(option.matrix)
    return option


@transaction.atomic
def decision_option_remove(*, actor, option: DecisionOption) -> None:
    """Remove the column and its ratings."""
    _require_write(actor, option.matrix.organization)
    matrix = option.matrix
    option.delete()
    _touch(matrix)
