"""Writes of onboarding playbooks: the approach to onboarding designed with an offering, and its
template actions (who carries each out, when it is due relative to the start of onboarding, and which
other actions it waits for). The Onboard step turns a playbook into a plan for one consumer.

Same rights as the catalogue the playbooks belong to: relationship managers, administrators and
integrators write, every other role reads. Changes to one playbook's actions are serialized by
locking the playbook row, so two people adding dependencies at once cannot close a circle that
neither of them sees; a circle is refused with the actions named.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from journeys.base import ApplicationError
from offerings.dependencies import cycle_if_added
from offerings.models import (
    OnboardingPlaybook,
    OwnerParty,
    PlaybookAction,
    PlaybookActionDependency,
    ServiceOffering,
)
from offerings.selectors.playbooks import actions_in_dependency_order
from offerings.services.catalogue import (
    _apply,
    _check,
    _duplicate,
    _move_to,
    _next_position,
    _position,
    _require_catalogue_rights,
    _save,
)

__all__ = [
    "MAX_DUE_AFTER_DAYS",
    "PLAYBOOK_ACTION_FIELDS",
    "PLAYBOOK_FIELDS",
    "playbook_action_add",
    "playbook_action_move",
    "playbook_action_remove",
    "playbook_action_update",
    "playbook_create",
    "playbook_delete",
    "playbook_update",
]

PLAYBOOK_FIELDS = ("name", "vision", "scope", "goals", "controls")
PLAYBOOK_ACTION_FIELDS = ("title", "description", "owner_party", "owner_role", "due_after_days")
# Two years: an onboarding that takes longer is a programme of its own.
MAX_DUE_AFTER_DAYS = 730


def _locked_playbook(playbook: OnboardingPlaybook) -> OnboardingPlaybook:
    return OnboardingPlaybook.objects.select_for_update().select_related("offering").get(pk=playbook.pk)


def _touch(playbook: OnboardingPlaybook) -> None:
    # A changed action is a change of the playbook for incremental sync (`updated_since`).
    OnboardingPlaybook.objects.filter(pk=playbook.pk).update(updated_at=timezone.now())


# --- playbooks ------------------------------------------------------------------------------------


def _playbook_duplicate(playbook: OnboardingPlaybook) -> ApplicationError:
    return _duplicate("name", f"“{playbook.offering.name}” already has a playbook called “{playbook.name}”.")


def _check_playbook(playbook: OnboardingPlaybook) -> None:
    _check(playbook, exclude=["offering", "owner"])
    siblings = OnboardingPlaybook.objects.filter(offering_id=playbook.offering_id, name__iexact=playbook.name)
    if siblings.exclude(pk=playbook.pk).exists():
        raise _playbook_duplicate(playbook)


@transaction.atomic
def playbook_create(
    *,
    actor,
    offering: ServiceOffering,
    name: str,
    vision: str = "",
    scope: str = "",
    goals: str = "",
    controls: str = "",
) -> OnboardingPlaybook:
    """Design a way of onboarding consumers of the offering; the actor looks after it."""
    _require_catalogue_rights(actor)
    playbook = OnboardingPlaybook(offering=offering, owner=actor if getattr(actor, "pk", None) else None)
    _apply(
        playbook,
        {"name": name, "vision": vision, "scope": scope, "goals": goals, "controls": controls},
        PLAYBOOK_FIELDS,
    )
    _check_playbook(playbook)
    _save(playbook, _playbook_duplicate(playbook))
    return playbook


@transaction.atomic
def playbook_update(*, actor, playbook: OnboardingPlaybook, **fields: Any) -> OnboardingPlaybook:
    """Change any of PLAYBOOK_FIELDS; unchanged input writes nothing."""
    _require_catalogue_rights(actor)
    playbook = _locked_playbook(playbook)
    if _apply(playbook, fields, PLAYBOOK_FIELDS):
        _check_playbook(playbook)
        _save(playbook, _playbook_duplicate(playbook))
    return playbook


@transaction.atomic
def playbook_delete(*, actor, playbook: OnboardingPlaybook) -> None:
    """Remove the playbook and its actions. Plans already made from it in Onboard keep their copy."""
    _require_catalogue_rights(actor)
    _locked_playbook(playbook).delete()


# --- actions --------------------------------------------------------------------------------------


def _due_days(value) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_DUE_AFTER_DAYS:
        raise ApplicationError.for_field(
            "due_after_days",
            f"Give the days after the start of onboarding as a whole number from 0 to {MAX_DUE_AFTER_DAYS}.",
        )
    return value


def _check_action(action: PlaybookAction) -> None:
    if action.owner_party not in OwnerParty.values:
        raise ApplicationError.for_field(
            "owner_party", f"Choose who carries the action out: {', '.join(OwnerParty.values)}."
        )
    _due_days(action.due_after_days)
    _check(action, exclude=["playbook", "position", "due_after_days"])


def _quoted(titles: dict[int, str], pk: int) -> str:
    return f"“{titles.get(pk, pk)}”"


def _chain(cycle: list[int], start: int, titles: dict[int, str]) -> str:
    """The circle as titles, starting from the action being changed when it is on it."""
    nodes = cycle[:-1]
    if start in nodes:
        index = nodes.index(start)
        nodes = nodes[index:] + nodes[:index]
    return " → ".join(_quoted(titles, pk) for pk in [*nodes, nodes[0]])


def _set_dependencies(
    playbook: OnboardingPlaybook, action: PlaybookAction, prerequisites: Iterable[PlaybookAction]
) -> bool:
    """Make `prerequisites` the whole set of actions `action` waits for. Each must belong to the same
    playbook; a set that would close a circle is refused, naming the actions around it. The caller
    holds the playbook's lock. True when the set changed."""
    wanted: dict[int, PlaybookAction] = {}
    for prerequisite in prerequisites:
        if not isinstance(prerequisite, PlaybookAction) or prerequisite.playbook_id != playbook.pk:
            raise ApplicationError.for_field(
                "depends_on", "An action can only wait for other actions of the same playbook."
            )
        if prerequisite.pk == action.pk:
            raise ApplicationError.for_field(
                "depends_on", f"“{action.title}” cannot wait for itself.", code="dependency_cycle"
            )
        wanted[prerequisite.pk] = prerequisite
    links = PlaybookActionDependency.objects.filter(action__playbook=playbook)
    current = set(links.filter(action=action).values_list("depends_on_id", flat=True))
    if set(wanted) == current:
        return False
    # The other actions' edges stay; this action's edges are replaced by the new ones, added one by
    # one so the first one that closes a circle is the one named.
    edges = [
        (waiting, prerequisite)
        for waiting, prerequisite in links.exclude(action=action).values_list("action_id", "depends_on_id")
    ]
    titles = dict(PlaybookAction.objects.filter(playbook=playbook).values_list("pk", "title"))
    titles[action.pk] = action.title
    for prerequisite_pk in sorted(wanted):
        cycle = cycle_if_added(edges, (action.pk, prerequisite_pk))
        if cycle is not None:
            raise ApplicationError.for_field(
                "depends_on",
                f"{_quoted(titles, action.pk)} cannot wait for {_quoted(titles, prerequisite_pk)}: "
                f"that would close a circle ({_chain(cycle, action.pk, titles)}, each waiting for the next).",
                code="dependency_cycle",
            )
        edges.append((action.pk, prerequisite_pk))
    PlaybookActionDependency.objects.filter(action=action).exclude(depends_on_id__in=wanted).delete()
    PlaybookActionDependency.objects.bulk_create(
        [PlaybookActionDependency(action=action, depends_on_id=pk) for pk in sorted(set(wanted) - current)]
    )
    return True


@transaction.atomic
def playbook_action_add(
    *,
    actor,
    playbook: OnboardingPlaybook,
    title: str,
    owner_party: str = OwnerParty.PROVIDER,
    owner_role: str = "",
    due_after_days: int = 0,
    description: str = "",
    depends_on: Iterable[PlaybookAction] = (),
) -> PlaybookAction:
    """Add a template action after the others, optionally waiting for some of them."""
    _require_catalogue_rights(actor)
    playbook = _locked_playbook(playbook)
    action = PlaybookAction(playbook=playbook)
    _apply(
        action,
        {
            "title": title,
            "description": description,
            "owner_party": owner_party,
            "owner_role": owner_role,
            "due_after_days": due_after_days,
        },
        PLAYBOOK_ACTION_FIELDS,
    )
    _check_action(action)
    action.position = _next_position(PlaybookAction, playbook=playbook)
    action.save()
    _set_dependencies(playbook, action, depends_on)
    _touch(playbook)
    return action


@transaction.atomic
def playbook_action_update(
    *,
    actor,
    action: PlaybookAction,
    depends_on: Iterable[PlaybookAction] | None = None,
    position: int | None = None,
    **fields: Any,
) -> PlaybookAction:
    """Change any of PLAYBOOK_ACTION_FIELDS; `depends_on`, when given, is the whole new set of
    actions it waits for (an empty list frees it); `position` (1 = first) moves it in the list.
    Unchanged input writes nothing."""
    _require_catalogue_rights(actor)
    playbook = _locked_playbook(action.playbook)
    action = PlaybookAction.objects.get(pk=action.pk)
    changed = _apply(action, fields, PLAYBOOK_ACTION_FIELDS)
    if changed:
        _check_action(action)
        action.save()
    linked = depends_on is not None and _set_dependencies(playbook, action, depends_on)
    moved = False
    if position is not None:
        moved = _move_to(list(playbook.actions.order_by("position", "pk")), action, _position(position))
    if changed or linked or moved:
        _touch(playbook)
    return action


@transaction.atomic
def playbook_action_remove(*, actor, action: PlaybookAction) -> None:
    """Remove an action; those that waited for it no longer do (their other prerequisites stay)."""
    _require_catalogue_rights(actor)
    playbook = _locked_playbook(action.playbook)
    action.delete()
    _touch(playbook)


@transaction.atomic
def playbook_action_move(*, actor, action: PlaybookAction, direction: str) -> bool:
    """Swap the action with its neighbour in the dependency order ("up" or "down"), as far as the
    dependencies allow: an action never moves above one it waits for. True when it moved; at the
    top or the bottom already, nothing changes."""
    _require_catalogue_rights(actor)
    if direction not in ("up", "down"):
        raise ApplicationError.for_field("direction", "Move an action “up” or “down”.")
    playbook = _locked_playbook(action.playbook)
    actions = list(playbook.actions.order_by("position", "pk"))
    edges = set(
        PlaybookActionDependency.objects.filter(action__playbook=playbook).values_list(
            "action_id", "depends_on_id"
        )
    )
    order = actions_in_dependency_order(actions, sorted(edges))
    action = next(candidate for candidate in actions if candidate.pk == action.pk)
    index = order.index(action) + (-1 if direction == "up" else 1)
    if not 0 <= index < len(order):
        return False
    neighbour = order[index]
    first, then = (neighbour, action) if direction == "up" else (action, neighbour)
    if (then.pk, first.pk) in edges:
        raise ApplicationError.for_field(
            "direction",
            f"“{then.title}” waits for “{first.title}”, so it stays after it.",
            code="dependency_order",
            status=409,
        )
    others = [candidate.pk for candidate in actions if candidate.pk != action.pk]
    place = others.index(neighbour.pk) + (1 if direction == "up" else 2)
    moved = _move_to(actions, action, place)
    if moved:
        _touch(playbook)
    return moved
