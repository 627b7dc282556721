"""Writes of a plan's actions: planning them (owner, due date, dependencies), moving their status,
and comments.

An action is due on or after its plan's start. It may wait for other actions of the same plan, never
(through any chain) for itself. It cannot be marked done while an action it waits for is still open
(neither done nor cancelled). Its status may be changed by those who may change the account and by
the provider person who owns it; its consumer owner answers through a signed link
(onboarding.services.links). The first action under way starts an accepted plan; the last one done
may complete it (plan_complete_if_done).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from journeys import roles
from journeys.base import ApplicationError
from journeys.events import journey_event_record
from journeys.models import Stakeholder
from journeys.selectors import organization_is_visible
from offerings.dependencies import find_cycle
from offerings.models import OwnerParty
from onboarding.models import (
    ACTION_TRANSITIONS,
    ActionArea,
    ActionComment,
    ActionDependency,
    ActionStatus,
    OnboardEventType,
    OnboardingPlan,
    PlanAction,
    PlanStatus,
)
from onboarding.selectors.actions import action_open_prerequisites
from onboarding.services.common import (
    check_choice,
    check_date,
    check_text,
    fail,
    require_may_change,
    require_open,
    save,
)
from onboarding.services.plans import plan_complete_if_done

__all__ = [
    "ACTION_FIELDS",
    "action_comment",
    "action_create",
    "action_delete",
    "action_set_status",
    "action_update",
    "apply_status",
]

ACTION_FIELDS = (
    "title",
    "description",
    "area",
    "owner_party",
    "owner_user",
    "owner_stakeholder",
    "owner_role",
    "due_on",
    "position",
    "depends_on",
)
_TEXT = ("title", "description", "owner_role")


def _dependencies(
    plan: OnboardingPlan, action: PlanAction, values: Iterable | None
) -> list[PlanAction] | str:
    wanted = []
    for value in values or ():
        pk = value.pk if isinstance(value, PlanAction) else value
        if isinstance(pk, bool) or not isinstance(pk, int):
            return "Give the actions it waits for by their ids."
        wanted.append(pk)
    found = {a.pk: a for a in PlanAction.objects.filter(plan=plan, pk__in=wanted)}
    missing = [str(pk) for pk in wanted if pk not in found]
    if missing:
        return f"No action of this plan with the id {', '.join(missing)}."
    if action.pk is not None and action.pk in found:
        return "An action cannot wait for itself."
    return [found[pk] for pk in dict.fromkeys(wanted)]


def _cycle_message(plan: OnboardingPlan, action: PlanAction, prerequisites: list[PlanAction]) -> str:
    """Why the new dependencies would close a circle, naming the actions on it; "" when they do not."""
    edges = [
        (link_action, link_depends)
        for link_action, link_depends in ActionDependency.objects.filter(action__plan=plan)
        .exclude(action_id=action.pk)
        .values_list("action_id", "depends_on_id")
    ]
    edges += [(action.pk, prerequisite.pk) for prerequisite in prerequisites]
    cycle = find_cycle(edges)
    if cycle is None:
        return ""
    titles = dict(PlanAction.objects.filter(pk__in=set(cycle)).values_list("pk", "title"))
    path = " → ".join(f"“{titles.get(pk, pk)}”" for pk in cycle)
    return f"That would make the actions wait for each other in a circle: {path}."


def _check(action: PlanAction, plan: OnboardingPlan, errors: dict) -> None:
    check_text(
        errors, PlanAction, "title", action.title, required=True, example="Train the branch super-users"
    )
    check_text(errors, PlanAction, "owner_role", action.owner_role)
    check_choice(errors, "area", action.area, ActionArea, "area")
    check_choice(errors, "owner_party", action.owner_party, OwnerParty, "side", blank=False)
    check_date(errors, "due_on", action.due_on)
    if "due_on" not in errors and action.due_on < plan.starts_on:
        errors["due_on"] = [f"The due date comes before the plan starts ({plan.starts_on:%-d %b %Y})."]
    if isinstance(action.position, bool) or not isinstance(action.position, int) or action.position < 0:
        errors["position"] = ["Give the position as a whole number, 0 or more."]
    user, stakeholder = action.owner_user, action.owner_stakeholder
    if action.owner_party == OwnerParty.PROVIDER:
        if stakeholder is not None:
            errors["owner_stakeholder"] = [
                "A provider action is owned by one of our people, not the consumer's."
            ]
        if user is not None and (
            not isinstance(user, get_user_model()) or not user.is_active or not roles.may_use_browser(user)
        ):
            errors["owner_user"] = ["Choose an active colleague who signs in to DSV as the owner."]
    elif action.owner_party == OwnerParty.CONSUMER:
        if user is not None:
            errors["owner_user"] = ["A consumer action is owned by one of the account's people, not ours."]
        if stakeholder is not None and (
            not isinstance(stakeholder, Stakeholder) or stakeholder.organization_id != plan.organization_id
        ):
            errors["owner_stakeholder"] = ["Choose one of this account's people as the owner."]


def _apply(action: PlanAction, plan: OnboardingPlan, fields: dict[str, Any]) -> list[PlanAction] | None:
    """Set and check the fields; returns the new dependencies (None: unchanged). Fails naming every
    wrong field."""
    unknown = sorted(set(fields) - set(ACTION_FIELDS))
    if unknown:
        raise ApplicationError(
            f"Unknown field: {', '.join(unknown)}.", fields={n: ["Unknown field."] for n in unknown}
        )
    errors: dict[str, list[str]] = {}
    prerequisites = None
    for name, value in fields.items():
        if name == "depends_on":
            found = _dependencies(plan, action, value)
            if isinstance(found, str):
                errors["depends_on"] = [found]
            else:
                prerequisites = found
            continue
        if name in _TEXT:
            value = (value or "").strip()
        elif name == "area":
            value = value or ""
        setattr(action, name, value)
    _check(action, plan, errors)
    # A new action has no one waiting for it yet, so it cannot close a circle.
    if prerequisites is not None and action.pk is not None and "depends_on" not in errors:
        circle = _cycle_message(plan, action, prerequisites)
        if circle:
            errors["depends_on"] = [circle]
    fail(errors)
    return prerequisites


def _set_dependencies(action: PlanAction, prerequisites: list[PlanAction] | None) -> None:
    if prerequisites is None:
        return
    ActionDependency.objects.filter(action=action).exclude(depends_on__in=prerequisites).delete()
    have = set(ActionDependency.objects.filter(action=action).values_list("depends_on_id", flat=True))
    ActionDependency.objects.bulk_create(
        ActionDependency(action=action, depends_on=p) for p in prerequisites if p.pk not in have
    )


@transaction.atomic
def action_create(*, actor, plan: OnboardingPlan, title: str, due_on: date, **fields: Any) -> PlanAction:
    require_may_change(actor, plan.organization)
    plan = (
        OnboardingPlan.objects.select_for_update(of=("self",)).select_related("organization").get(pk=plan.pk)
    )
    require_open(plan)
    action = PlanAction(plan=plan, position=plan.actions.count())
    prerequisites = _apply(action, plan, {"title": title, "due_on": due_on, **fields})
    save(action)
    _set_dependencies(action, prerequisites)
    return action


@transaction.atomic
def action_update(*, actor, action: PlanAction, **fields: Any) -> PlanAction:
    plan = (
        OnboardingPlan.objects.select_for_update(of=("self",))
        .select_related("organization")
        .get(pk=action.plan_id)
    )
    require_may_change(actor, plan.organization)
    require_open(plan)
    action = PlanAction.objects.select_for_update().get(pk=action.pk)
    prerequisites = _apply(action, plan, fields)
    save(action)
    _set_dependencies(action, prerequisites)
    return action


@transaction.atomic
def action_delete(*, actor, action: PlanAction) -> None:
    """Delete an action (those waiting for it no longer do)."""
    plan = (
        OnboardingPlan.objects.select_for_update(of=("self",))
        .select_related("organization")
        .get(pk=action.plan_id)
    )
    require_may_change(actor, plan.organization)
    require_open(plan)
    action.delete()
    plan_complete_if_done(plan_id=plan.pk)


def _require_may_update_status(actor, plan: OnboardingPlan, action: PlanAction) -> None:
    if not organization_is_visible(actor, plan.organization) and action.owner_user_id != getattr(
        actor, "pk", None
    ):
        raise Http404("Not found.")
    if roles.may_manage_accounts(actor):
        return
    if action.owner_user_id is not None and action.owner_user_id == getattr(actor, "pk", None):
        return
    raise PermissionDenied(
        "Only the action's owner or the account's relationship managers may change its status."
    )


def apply_status(
    *,
    action: PlanAction,
    plan: OnboardingPlan,
    status: str,
    evidence: str | None,
    actor=None,
    stakeholder=None,
) -> PlanAction:
    """Move a locked action to `status` for a person (`actor`) or a consumer owner (`stakeholder`):
    checks the move, the open dependencies for "done" and the plan being open, records who and when,
    starts an accepted plan and completes the plan when this was the last thing it waited for. For the
    services only (the callers check the rights and lock the rows)."""
    require_open(plan)
    if status not in ActionStatus.values:
        raise ApplicationError.for_field("status", f"“{status}” is not an action status.")
    current, target = ActionStatus(action.status), ActionStatus(status)
    if target == current:
        raise ApplicationError.for_field(
            "status", f"The action is already {current.label.lower()}.", status=409
        )
    if target not in ACTION_TRANSITIONS[current]:
        raise ApplicationError.for_field(
            "status",
            f"An action that is {current.label.lower()} cannot become {target.label.lower()}.",
            status=409,
        )
    if evidence is not None:
        evidence = evidence.strip()
        check = {}
        check_text(check, PlanAction, "evidence", evidence)
        fail(check)
        action.evidence = evidence
    if target == ActionStatus.DONE:
        waiting = [prerequisite.title for prerequisite in action_open_prerequisites(action=action)]
        if waiting:
            names = ", ".join(f"“{title}”" for title in waiting)
            raise ApplicationError.for_field(
                "status", f"It waits for {names}, still open: finish or cancel that first.", status=409
            )
        action.completed_at = timezone.now()
        action.completed_by = actor
        action.completed_by_stakeholder = stakeholder
    else:
        action.completed_at = action.completed_by = action.completed_by_stakeholder = None
    action.status = target
    action.save()
    journey_event_record(
        event_type=OnboardEventType.ACTION_STATUS_CHANGED,
        organization=plan.organization,
        journey=plan.journey,
        actor=actor,
        payload={
            "plan": plan.pk,
            "action": action.pk,
            "title": action.title,
            "from": current.value,
            "to": target.value,
        },
    )
    if plan.status == PlanStatus.ACCEPTED and target in (ActionStatus.IN_PROGRESS, ActionStatus.DONE):
        previous = plan.status
        plan.status, plan.status_changed_at = PlanStatus.IN_PROGRESS, timezone.now()
        plan.save(update_fields=["status", "status_changed_at", "updated_at"])
        journey_event_record(
            event_type=OnboardEventType.PLAN_STATUS_CHANGED,
            organization=plan.organization,
            journey=plan.journey,
            actor=actor,
            payload={
                "plan": plan.pk,
                "title": plan.title,
                "kind": plan.kind,
                "from": previous,
                "to": plan.status,
                "note": "Work started.",
            },
        )
    if target == ActionStatus.DONE or target == ActionStatus.CANCELLED:
        plan_complete_if_done(plan_id=plan.pk)
    return action


@transaction.atomic
def action_set_status(*, actor, action: PlanAction, status: str, evidence: str | None = None) -> PlanAction:
    """Move the action to `status` (see the module's rules), with what shows it done if given."""
    plan = (
        OnboardingPlan.objects.select_for_update(of=("self",))
        .select_related("organization", "journey")
        .get(pk=action.plan_id)
    )
    action = PlanAction.objects.select_for_update().get(pk=action.pk)
    _require_may_update_status(actor, plan, action)
    return apply_status(action=action, plan=plan, status=status, evidence=evidence, actor=actor)


@transaction.atomic
def action_comment(*, actor, action: PlanAction, body: str) -> ActionComment:
    plan = action.plan
    _require_may_update_status(actor, plan, action)
    body = (body or "").strip()
    if not body:
        raise ApplicationError.for_field("body", "Write the comment.")
    if len(body) > 4000:
        raise ApplicationError.for_field("body", "Keep the comment to 4000 characters.")
    comment = ActionComment(action=action, body=body, author_user=actor)
    save(comment)
    return comment
