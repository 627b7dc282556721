"""Writes of onboarding and offboarding plans: creating one by hand or from an offering's playbook
(also on its own when an agreement becomes active), changing it, its lifecycle, the customer's
acceptance, and completion, which moves the journey on.

Every write by a person checks, in this order, that the actor may see the account (404 otherwise),
that the actor's role may change accounts (403), and then the input: bad input raises ApplicationError
naming each wrong field, and nothing is saved. A completed or cancelled plan no longer changes (409).

A plan completes by itself, never by hand: when its last open action is done (or cancelled) and every
goal is evaluated as achieved. An onboarding plan's completion moves its journey to Co-create; an
offboarding plan's closes it as left. Both are recorded in the journey's step history and as events.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from agreements.models import Agreement, AgreementStatus
from journeys import roles
from journeys import services as journeys_services
from journeys.base import ApplicationError
from journeys.events import journey_event_record, subscribe
from journeys.models import (
    Journey,
    JourneyEvent,
    JourneyStatus,
    JourneyStep,
    Organization,
    OrganizationKind,
    Stakeholder,
)
from offerings.models import OnboardingPlaybook, ServiceOffering
from onboarding.models import (
    PLAN_TRANSITIONS,
    ActionArea,
    ActionDependency,
    ActionStatus,
    ControlApproach,
    CustomerScenario,
    GoalEvaluation,
    OffboardingKind,
    OffboardingReason,
    OnboardEventType,
    OnboardingPlan,
    PlanAction,
    PlanKind,
    PlanStatus,
    StartTrigger,
)
from onboarding.services.common import (
    check_choice,
    check_date,
    check_text,
    fail,
    require_may_change,
    require_open,
    save,
)

__all__ = [
    "OFFBOARDING_ACTIONS",
    "PLAN_FIELDS",
    "plan_accept",
    "plan_complete_if_done",
    "plan_create",
    "plan_create_from_playbook",
    "plan_delete",
    "plan_transition",
    "plan_update",
    "plans_create_for_agreement",
]

# What plan_create and plan_update take besides the title and start; the status changes only through
# plan_transition and plan_accept.
PLAN_FIELDS = (
    "title",
    "starts_on",
    "ends_on",
    "scenario",
    "start_trigger",
    "control_approach",
    "offerings",
    "user_groups",
    "locations",
    "user_count",
    "scope_notes",
    "owner",
    "customer_contact",
    "journey",
    "offboarding_kind",
    "reason",
    "confidential",
    "lessons_learned",
)
_TEXT_FIELDS = ("title", "user_groups", "locations", "scope_notes", "lessons_learned")

# The actions every offboarding plan starts with (area, title, which side, days after its start).
OFFBOARDING_ACTIONS: tuple[tuple[str, str, str, int], ...] = (
    (
        ActionArea.COMMUNICATION,
        "Tell users, customers and partners when and how the service ends",
        "provider",
        0,
    ),
    (
        ActionArea.ACCESS_REMOVAL,
        "Remove the users' access and the provider's access to consumer systems",
        "provider",
        14,
    ),
    (
        ActionArea.DATA_HANDOVER,
        "Hand over the consumer's data and agree what is kept, and for how long",
        "provider",
        21,
    ),
    (ActionArea.EQUIPMENT_RETURN, "Return the equipment and licences in the users' hands", "consumer", 21),
    (ActionArea.EXIT_SURVEY, "Send the exit survey and record why the consumer leaves", "provider", 28),
    (
        ActionArea.LESSONS_LEARNED,
        "Hold the closing review and write down the lessons learned",
        "provider",
        35,
    ),
)


# --- checks ---------------------------------------------------------------------------------------


def _offerings(values: Iterable | None) -> list[ServiceOffering] | str:
    wanted = []
    for value in values or ():
        pk = value.pk if isinstance(value, ServiceOffering) else value
        if isinstance(pk, bool) or not isinstance(pk, int):
            return "Give the services by their ids."
        wanted.append(pk)
    found = {offering.pk: offering for offering in ServiceOffering.objects.filter(pk__in=wanted)}
    missing = [str(pk) for pk in wanted if pk not in found]
    if missing:
        return f"No offering with the id {', '.join(missing)}."
    return [found[pk] for pk in dict.fromkeys(wanted)]


def _check(plan: OnboardingPlan, errors: dict | None = None) -> None:
    """Check the plan's fields, adding to `errors` found before, and fail naming every wrong field."""
    errors = errors if errors is not None else {}
    check_text(
        errors, OnboardingPlan, "title", plan.title, required=True, example="Onboarding Fleet booking portal"
    )
    for name in _TEXT_FIELDS[1:]:
        check_text(errors, OnboardingPlan, name, getattr(plan, name))
    check_date(errors, "starts_on", plan.starts_on)
    check_date(errors, "ends_on", plan.ends_on, required=False)
    if (
        "starts_on" not in errors
        and "ends_on" not in errors
        and plan.ends_on
        and plan.ends_on < plan.starts_on
    ):
        errors["ends_on"] = ["The end date comes before the start date: it must be on or after it."]
    check_choice(errors, "kind", plan.kind, PlanKind, "kind of plan", blank=False)
    check_choice(errors, "scenario", plan.scenario, CustomerScenario, "scenario")
    check_choice(errors, "start_trigger", plan.start_trigger, StartTrigger, "start trigger")
    check_choice(errors, "control_approach", plan.control_approach, ControlApproach, "control approach")
    check_choice(errors, "offboarding_kind", plan.offboarding_kind, OffboardingKind, "kind of offboarding")
    check_choice(errors, "reason", plan.reason, OffboardingReason, "reason for leaving")
    if plan.user_count is not None and (
        isinstance(plan.user_count, bool) or not isinstance(plan.user_count, int) or plan.user_count < 0
    ):
        errors["user_count"] = ["Give the number of users as a whole number, 0 or more."]
    if plan.kind == PlanKind.OFFBOARDING and not plan.reason and "reason" not in errors:
        errors["reason"] = ["Say why the consumer (or its users) leave: the next plan can learn from it."]
    owner = plan.owner
    if owner is not None and (
        not isinstance(owner, get_user_model())
        or not owner.is_active
        or not roles.roles_of(owner) & {roles.Role.RELATIONSHIP_MANAGER, roles.Role.ADMINISTRATOR}
    ):
        errors["owner"] = ["Choose an active relationship manager or administrator as the owner."]
    contact = plan.customer_contact
    if contact is not None and (
        not isinstance(contact, Stakeholder) or contact.organization_id != plan.organization_id
    ):
        errors["customer_contact"] = ["Choose one of this account's people as the customer contact."]
    journey = plan.journey
    if journey is not None and (
        not isinstance(journey, Journey) or journey.organization_id != plan.organization_id
    ):
        errors["journey"] = ["Choose one of this account's journeys."]
    fail(errors)


def _apply(plan: OnboardingPlan, fields: dict[str, Any]) -> tuple[list[str], list[ServiceOffering] | None]:
    """Set the given fields; the offerings are returned to be set once the plan is saved."""
    unknown = sorted(set(fields) - set(PLAN_FIELDS))
    if unknown:
        raise ApplicationError(
            f"Unknown field: {', '.join(unknown)}.", fields={name: ["Unknown field."] for name in unknown}
        )
    errors: dict[str, list[str]] = {}
    offerings = None
    changed = []
    for name, value in fields.items():
        if name == "offerings":
            found = _offerings(value)
            if isinstance(found, str):
                errors["offerings"] = [found]
            else:
                offerings = found
            continue
        if name in _TEXT_FIELDS:
            value = (value or "").strip()
        elif name in ("scenario", "start_trigger", "control_approach", "offboarding_kind", "reason"):
            value = value or ""
        if getattr(plan, name) != value:
            setattr(plan, name, value)
            changed.append(name)
    _check(plan, errors)
    return changed, offerings


# --- create, change, delete -----------------------------------------------------------------------


def _require_consumer(organization: Organization) -> None:
    if organization.kind != OrganizationKind.CONSUMER:
        raise ApplicationError(
            f"{organization.name} is not a service consumer: only consumers are on- or offboarded.",
            code="not_a_consumer",
            status=409,
        )


def _active_journey(organization: Organization) -> Journey | None:
    """The account's journey a plan moves on when none is named: its active journey in Agree or
    Onboard, the most recently moved if there are several; None when no journey is there (a journey
    in another step is about something else: the plan's form lets people name it)."""
    return (
        Journey.objects.filter(
            organization=organization,
            status=JourneyStatus.ACTIVE,
            current_step__in=(JourneyStep.AGREE, JourneyStep.ONBOARD),
        )
        .order_by("-step_entered_at", "-pk")
        .first()
    )


def _record(plan: OnboardingPlan, event_type: str, actor, **payload) -> None:
    journey_event_record(
        event_type=event_type,
        organization=plan.organization,
        journey=plan.journey,
        actor=actor,
        payload={"plan": plan.pk, "title": plan.title, "kind": plan.kind, **payload},
    )


def _created(plan: OnboardingPlan, actor, offerings: list[ServiceOffering] | None) -> OnboardingPlan:
    save(plan)
    if offerings:
        plan.offerings.set(offerings)
    _record(plan, OnboardEventType.PLAN_CREATED, actor, status=plan.status)
    return plan


@transaction.atomic
def plan_create(
    *,
    actor,
    organization: Organization,
    title: str,
    starts_on: date,
    kind: str = PlanKind.ONBOARDING,
    **fields: Any,
) -> OnboardingPlan:
    """A plan made by hand, as a draft with no actions yet (an offboarding plan with the actions every
    exit needs). Without a journey named, the account's active journey nearest to Onboard is used."""
    require_may_change(actor, organization)
    _require_consumer(organization)
    plan = OnboardingPlan(organization=organization, kind=kind, status=PlanStatus.DRAFT)
    if "journey" not in fields:
        fields["journey"] = _active_journey(organization)
    if "owner" not in fields and roles.Role.RELATIONSHIP_MANAGER in roles.roles_of(actor):
        fields["owner"] = actor
    _changed, offerings = _apply(plan, {"title": title, "starts_on": starts_on, **fields})
    plan = _created(plan, actor, offerings)
    if plan.kind == PlanKind.OFFBOARDING:
        _add_offboarding_actions(plan)
    return plan


def _add_offboarding_actions(plan: OnboardingPlan) -> None:
    PlanAction.objects.bulk_create(
        PlanAction(
            plan=plan,
            title=title,
            area=area,
            owner_party=party,
            owner_user=plan.owner if party == "provider" else None,
            owner_stakeholder=plan.customer_contact if party == "consumer" else None,
            due_on=plan.starts_on + timedelta(days=days),
            position=position,
        )
        for position, (area, title, party, days) in enumerate(OFFBOARDING_ACTIONS)
    )


def _copy_playbook(plan: OnboardingPlan, playbook: OnboardingPlaybook, *, first_position: int = 0) -> int:
    """Copy the playbook's actions into the plan, due so many days after the plan's start, with the same
    dependencies among them. Provider actions go to the plan's owner, consumer ones to its customer
    contact, until someone else is named. Returns how many were copied."""
    template = list(playbook.actions.order_by("position", "pk"))
    made = PlanAction.objects.bulk_create(
        PlanAction(
            plan=plan,
            title=action.title,
            description=action.description,
            owner_party=action.owner_party,
            owner_role=action.owner_role,
            owner_user=plan.owner if action.owner_party == "provider" else None,
            owner_stakeholder=plan.customer_contact if action.owner_party == "consumer" else None,
            due_on=plan.starts_on + timedelta(days=action.due_after_days),
            position=first_position + index,
            playbook_action=action,
        )
        for index, action in enumerate(template)
    )
    copies = {action.pk: copy for action, copy in zip(template, made, strict=True)}
    links = playbook.actions.model.depends_on.through.objects.filter(action__playbook=playbook)
    ActionDependency.objects.bulk_create(
        ActionDependency(action=copies[link.action_id], depends_on=copies[link.depends_on_id])
        for link in links
        if link.action_id in copies and link.depends_on_id in copies
    )
    return len(made)


@transaction.atomic
def plan_create_from_playbook(
    *,
    actor,
    organization: Organization,
    playbook: OnboardingPlaybook,
    starts_on: date,
    title: str = "",
    agreement=None,
    **fields: Any,
) -> OnboardingPlan:
    """A draft onboarding plan with the playbook's actions (and their dependencies) scheduled from
    `starts_on`, its scope notes from the playbook, its offering in scope."""
    require_may_change(actor, organization)
    _require_consumer(organization)
    if not isinstance(playbook, OnboardingPlaybook):
        raise ApplicationError.for_field("playbook", "Choose one of the offering's onboarding playbooks.")
    if agreement is not None and (
        not isinstance(agreement, Agreement) or agreement.organization_id != organization.pk
    ):
        raise ApplicationError.for_field("agreement", "Choose one of this account's agreements.")
    plan = OnboardingPlan(
        organization=organization,
        kind=PlanKind.ONBOARDING,
        status=PlanStatus.DRAFT,
        playbook=playbook,
        agreement=agreement,
    )
    fields.setdefault("journey", _active_journey(organization))
    fields.setdefault("scope_notes", playbook.scope)
    fields.setdefault("offerings", [playbook.offering_id])
    if "owner" not in fields and roles.Role.RELATIONSHIP_MANAGER in roles.roles_of(actor):
        fields["owner"] = actor
    _changed, offerings = _apply(
        plan,
        {
            "title": title or f"Onboarding {organization.name} to {playbook.offering.name}",
            "starts_on": starts_on,
            **fields,
        },
    )
    plan = _created(plan, actor, offerings)
    _copy_playbook(plan, playbook)
    return plan


@transaction.atomic
def plan_update(*, actor, plan: OnboardingPlan, **fields: Any) -> OnboardingPlan:
    """Change a plan's fields. Moving its start keeps its actions where they are: due dates are the
    plan's to change one by one."""
    require_may_change(actor, plan.organization)
    plan = (
        OnboardingPlan.objects.select_for_update(of=("self",)).select_related("organization").get(pk=plan.pk)
    )
    require_open(plan)
    changed, offerings = _apply(plan, fields)
    if changed:
        save(plan)
    if offerings is not None:
        plan.offerings.set(offerings)
    if "starts_on" in changed:
        early = plan.actions.filter(due_on__lt=plan.starts_on).order_by("due_on").first()
        if early is not None:
            raise ApplicationError.for_field(
                "starts_on",
                f"“{early.title}” is due on {early.due_on:%-d %b %Y}, before this start: move it first.",
            )
    return plan


@transaction.atomic
def plan_delete(*, actor, plan: OnboardingPlan) -> None:
    """Delete a draft (a plan under way or done is cancelled instead: its history is kept)."""
    require_may_change(actor, plan.organization)
    if plan.status != PlanStatus.DRAFT:
        raise ApplicationError(
            "Only a draft plan can be deleted; cancel it instead so its history is kept.",
            code="not_a_draft",
            status=409,
        )
    plan.delete()


# --- lifecycle ------------------------------------------------------------------------------------


def _set_status(plan: OnboardingPlan, status: str, actor, note: str = "") -> None:
    previous = plan.status
    plan.status = status
    plan.status_changed_at = timezone.now()
    plan.save(
        update_fields=[
            "status",
            "status_changed_at",
            "accepted_at",
            "accepted_by",
            "acceptance_note",
            "completed_at",
            "updated_at",
        ]
    )
    _record(
        plan,
        OnboardEventType.PLAN_STATUS_CHANGED,
        actor,
        **{"from": previous, "to": status, "note": note[:500]},
    )


@transaction.atomic
def plan_transition(*, actor, plan: OnboardingPlan, to_status: str, note: str = "") -> OnboardingPlan:
    """Move the plan as PLAN_TRANSITIONS allows. Sending it to the customer needs a customer contact and
    an action; an onboarding plan starts only once the customer has accepted it (an offboarding plan
    may start from its draft). Completing is not a person's move: see plan_complete_if_done."""
    require_may_change(actor, plan.organization)
    plan = (
        OnboardingPlan.objects.select_for_update(of=("self",)).select_related("organization").get(pk=plan.pk)
    )
    if to_status not in PlanStatus.values:
        raise ApplicationError.for_field("to_status", f"“{to_status}” is not a plan status.")
    current = PlanStatus(plan.status)
    target = PlanStatus(to_status)
    if target not in PLAN_TRANSITIONS[current]:
        reason = (
            "it completes by itself when its actions are done and its goals achieved"
            if target == PlanStatus.COMPLETED
            else "that is not a next step"
        )
        raise ApplicationError(
            f"A plan that is {current.label.lower()} cannot become {target.label.lower()}: {reason}.",
            code="transition_not_allowed",
            status=409,
            fields={"to_status": [f"Not allowed from {current.label.lower()}."]},
        )
    if target == PlanStatus.IN_REVIEW:
        errors = {}
        if plan.customer_contact_id is None:
            errors["customer_contact"] = ["Name the customer contact who reviews the plan first."]
        if not plan.actions.exists():
            errors["actions"] = ["Plan at least one action before the customer reviews it."]
        fail(errors)
    if target == PlanStatus.IN_PROGRESS and current == PlanStatus.DRAFT and plan.kind == PlanKind.ONBOARDING:
        raise ApplicationError(
            "An onboarding plan starts once the customer has accepted it: send it for review first.",
            code="not_accepted",
            status=409,
        )
    if target == PlanStatus.DRAFT:
        plan.accepted_at, plan.accepted_by = None, None
    _set_status(plan, target, actor, note)
    if target == PlanStatus.IN_PROGRESS:
        plan_complete_if_done(plan_id=plan.pk)
    return plan


@transaction.atomic
def plan_accept(*, actor, plan: OnboardingPlan, accepted_by: Stakeholder, note: str = "") -> OnboardingPlan:
    """Record that the customer accepted the plan they reviewed, naming who accepted it."""
    require_may_change(actor, plan.organization)
    plan = (
        OnboardingPlan.objects.select_for_update(of=("self",)).select_related("organization").get(pk=plan.pk)
    )
    if plan.status != PlanStatus.IN_REVIEW:
        raise ApplicationError(
            "Only a plan in customer review can be accepted: send it to the customer first.",
            code="not_in_review",
            status=409,
        )
    if not isinstance(accepted_by, Stakeholder) or accepted_by.organization_id != plan.organization_id:
        raise ApplicationError.for_field("accepted_by", "Choose the account's person who accepted the plan.")
    plan.accepted_at = timezone.now()
    plan.accepted_by = accepted_by
    plan.acceptance_note = (note or "").strip()
    _set_status(plan, PlanStatus.ACCEPTED, actor, note)
    _record(plan, OnboardEventType.PLAN_ACCEPTED, actor, accepted_by=accepted_by.pk)
    return plan


@transaction.atomic
def plan_complete_if_done(*, plan_id: int) -> bool:
    """Complete the plan if it is under way, has actions, all of them done or cancelled (one done at
    least), and every goal achieved; then move its journey on (onboarding: to Co-create; offboarding:
    closed as left). Idempotent: a completed plan is left alone. True when it completed now."""
    plan = (
        OnboardingPlan.objects.select_for_update(of=("self",))
        .select_related("organization", "journey")
        .filter(pk=plan_id)
        .first()
    )
    if plan is None or plan.status not in (PlanStatus.IN_PROGRESS, PlanStatus.ACCEPTED):
        return False
    statuses = set(plan.actions.values_list("status", flat=True))
    if (
        not statuses
        or ActionStatus.DONE not in statuses
        or statuses - {ActionStatus.DONE, ActionStatus.CANCELLED}
    ):
        return False
    if plan.goals.exclude(evaluation=GoalEvaluation.ACHIEVED).exists():
        return False
    plan.completed_at = timezone.now()
    _set_status(plan, PlanStatus.COMPLETED, None, "Every action done and every goal achieved.")
    _record(plan, OnboardEventType.PLAN_COMPLETED, None)
    if plan.journey is not None:
        if plan.kind == PlanKind.ONBOARDING:
            journeys_services.journey_advance(
                journey=plan.journey,
                to_step=JourneyStep.CO_CREATE,
                note=f"Onboarding completed: {plan.title}"[:500],
            )
        elif plan.offboarding_kind != OffboardingKind.USER:
            # Only the whole consumer leaving ends the journey; a group of its users leaving does not.
            journeys_services.journey_end(
                journey=plan.journey, note=f"Offboarding completed: {plan.title}"[:500]
            )
    return True


# --- from an agreement's activation ---------------------------------------------------------------


def _system_actor(agreement):
    """Who the plan is made for when nobody acts: the agreement's owner (or the account's)."""
    return agreement.owner or agreement.organization.owner


@transaction.atomic
def plans_create_for_agreement(*, agreement_id: int) -> OnboardingPlan | None:
    """Make the onboarding plan of an agreement that became active, from the playbook of the first of
    its offerings that has one (by name): a draft scheduled from the agreement's start (today if that
    has passed), owned by the agreement's owner, reviewed by its customer contact, with the other
    offerings' playbooks' actions added after it. Moves the account's journey to Onboard if it was
    before it. Nothing when no offering has a playbook, or when the agreement already has its plan:
    the event may be handed out twice."""
    agreement = (
        Agreement.objects.select_related("organization", "owner", "organization__owner", "customer_contact")
        .filter(pk=agreement_id)
        .first()
    )
    if agreement is None or agreement.status != AgreementStatus.ACTIVE:
        return None
    if OnboardingPlan.objects.filter(agreement=agreement, kind=PlanKind.ONBOARDING).exists():
        return None
    playbooks = list(
        OnboardingPlaybook.objects.filter(offering__in=agreement.offerings.all())
        .select_related("offering")
        .order_by("offering__name", "name", "pk")
    )
    if not playbooks:
        return None
    first, *others = playbooks
    seen_offerings = {first.offering_id}
    others = [p for p in others if not (p.offering_id in seen_offerings or seen_offerings.add(p.offering_id))]
    organization = agreement.organization
    starts_on = max(agreement.starts_on or timezone.localdate(), timezone.localdate())
    journey = _active_journey(organization)
    plan = OnboardingPlan(
        organization=organization,
        kind=PlanKind.ONBOARDING,
        status=PlanStatus.DRAFT,
        playbook=first,
        agreement=agreement,
        journey=journey,
        title=f"Onboarding {organization.name}: {agreement.title}"[:200],
        starts_on=starts_on,
        start_trigger=StartTrigger.AGREEMENT_REACHED,
        scope_notes=first.scope,
        owner=_system_actor(agreement),
        customer_contact=agreement.customer_contact,
    )
    save(plan)
    plan.offerings.set(agreement.offerings.all())
    position = _copy_playbook(plan, first)
    for playbook in others:
        position += _copy_playbook(plan, playbook, first_position=position)
    _record(plan, OnboardEventType.PLAN_CREATED, None, status=plan.status, agreement=agreement.pk)
    if journey is not None and JourneyStep(journey.current_step).number < JourneyStep.ONBOARD.number:
        journeys_services.journey_advance(
            journey=journey, to_step=JourneyStep.ONBOARD, note=f"Agreement active: {agreement.title}"[:500]
        )
    return plan


@subscribe("agreement.status_changed")
def _on_agreement_status_changed(event: JourneyEvent) -> None:
    """An agreement that became active gets its onboarding plan (made at once: it is a few inserts)."""
    if (event.payload or {}).get("to") == "active" and (event.payload or {}).get("agreement"):
        plans_create_for_agreement(agreement_id=event.payload["agreement"])
