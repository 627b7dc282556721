"""Writes of the Engage step: moving a stakeholder on the influence × interest grid.

A move is a change of the stakeholder, so it goes through the spine's `stakeholder_update`: the
change history that the grid reads "as of" a past date, and the journey event, come with it.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404

from journeys import roles
from journeys.base import ApplicationError
from journeys.models import GRID_HIGH_FROM, GridQuadrant, Stakeholder
from journeys.selectors import organization_is_visible
from journeys.services import stakeholder_update

GRID_MIN, GRID_MAX = 1, 5

# A grid direction: which axis it changes and by how much (up = more influence, right = more interest).
GRID_DIRECTIONS = {
    "up": ("influence", 1),
    "down": ("influence", -1),
    "right": ("interest", 1),
    "left": ("interest", -1),
}


def _require_may_move(actor, stakeholder: Stakeholder) -> None:
    if not organization_is_visible(actor, stakeholder.organization):
        raise Http404("Not found.")
    if not roles.may_manage_accounts(actor):
        raise PermissionDenied("Your role may not move stakeholders on the grid.")


def _grid_value(axis: str, value) -> tuple[int | None, str | None]:
    """The value as a whole number, or the message saying why it cannot be a grid position."""
    message = f"{axis.capitalize()} must be a whole number between {GRID_MIN} and {GRID_MAX}."
    if isinstance(value, bool):
        return None, message
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None, message
    if number != value and str(number) != str(value).strip():
        return None, message
    if not GRID_MIN <= number <= GRID_MAX:
        return (
            None,
            f"{axis.capitalize()} must be between {GRID_MIN} and {GRID_MAX}; {number} is off the grid.",
        )
    return number, None


@transaction.atomic
def stakeholder_grid_move(*, actor, stakeholder: Stakeholder, influence, interest) -> Stakeholder:
    """Put a stakeholder on a grid position. Rights are checked before the input, so a role that may
    not move anyone learns nothing from its error; a position off the 1–5 grid saves nothing."""
    _require_may_move(actor, stakeholder)
    if not stakeholder.is_active:
        raise ApplicationError(
            f"{stakeholder.name} is no longer an active stakeholder and is not on the grid.",
            code="inactive",
            status=409,
        )
    position: dict[str, int] = {}
    errors: dict[str, list[str]] = {}
    for axis, value in (("influence", influence), ("interest", interest)):
        number, message = _grid_value(axis, value)
        if message:
            errors[axis] = [message]
        else:
            position[axis] = number
    if errors:
        raise ApplicationError(next(iter(errors.values()))[0], fields=errors)
    return stakeholder_update(actor=actor, stakeholder=stakeholder, **position)


@transaction.atomic
def stakeholder_grid_step(*, actor, stakeholder: Stakeholder, direction: str) -> Stakeholder:
    """Move a stakeholder one square (the board's arrow buttons). The current position is read under a
    row lock, so two quick presses move two squares rather than one."""
    _require_may_move(actor, stakeholder)
    if direction not in GRID_DIRECTIONS:
        raise ApplicationError.for_field(
            "direction", f"“{direction}” is not a grid direction; use one of {', '.join(GRID_DIRECTIONS)}."
        )
    current = Stakeholder.objects.select_for_update().select_related("organization").get(pk=stakeholder.pk)
    axis, change = GRID_DIRECTIONS[direction]
    position = {"influence": current.influence, "interest": current.interest}
    position[axis] += change
    return stakeholder_grid_move(actor=actor, stakeholder=current, **position)


# Which halves of the grid a quadrant covers: (high influence?, high interest?).
QUADRANT_HALVES = {
    GridQuadrant.MANAGE_CLOSELY: (True, True),
    GridQuadrant.KEEP_SATISFIED: (True, False),
    GridQuadrant.KEEP_INFORMED: (False, True),
    GridQuadrant.MONITOR: (False, False),
}


def _nearest_in_half(value: int, high: bool) -> int:
    return max(value, GRID_HIGH_FROM) if high else min(value, GRID_HIGH_FROM - 1)


@transaction.atomic
def stakeholder_grid_to_quadrant(*, actor, stakeholder: Stakeholder, quadrant: str) -> Stakeholder:
    """Drop a person into a quadrant (drag and drop on the board). The person moves the least distance
    that lands them there: an axis already on the right side of the line keeps its value, the other
    goes just across it. Dropping someone into the quadrant they are in changes nothing."""
    _require_may_move(actor, stakeholder)
    if quadrant not in QUADRANT_HALVES:
        raise ApplicationError.for_field(
            "quadrant",
            f"“{quadrant}” is not a quadrant; use one of {', '.join(q.value for q in GridQuadrant)}.",
        )
    current = Stakeholder.objects.select_for_update().select_related("organization").get(pk=stakeholder.pk)
    high_influence, high_interest = QUADRANT_HALVES[GridQuadrant(quadrant)]
    return stakeholder_grid_move(
        actor=actor,
        stakeholder=current,
        influence=_nearest_in_half(current.influence, high_influence),
        interest=_nearest_in_half(current.interest, high_interest),
    )
