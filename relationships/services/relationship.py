"""Writes of the service relationship: its type and target type, its ladder progress and the
communication plans of its stakeholders.

Every write checks, in this order, that the actor may see the organization (404 otherwise, so an
outsider learns nothing), that the actor's role may change accounts (403), and that the organization is
a service consumer (only consumers have a service relationship in this sense). Bad input raises
ApplicationError naming the field, and nothing is saved.
"""

from __future__ import annotations

from datetime import date

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from journeys import roles
from journeys.base import ApplicationError
from journeys.events import journey_event_record
from journeys.models import Channel, Organization, OrganizationKind, Stakeholder
from journeys.selectors import organization_is_visible
from relationships.models import (
    Cadence,
    CommunicationPlan,
    EngageEventType,
    LadderProgress,
    LadderStatus,
    LadderStep,
    RelationshipType,
    ServiceRelationship,
)
from relationships.profiles import LADDER_DEPENDENTS, LADDER_PREREQUISITES

__all__ = [
    "communication_plan_remove",
    "communication_plan_set",
    "ladder_step_update",
    "service_relationship_for",
    "service_relationship_set_types",
]

PURPOSE_MAX_LENGTH = CommunicationPlan._meta.get_field("purpose").max_length

WRITE_REFUSED = "Your role may not change service relationships."


def _quoted(steps) -> str:
    labels = [f"‘{LadderStep(step).label}’" for step in steps]
    return labels[0] if len(labels) == 1 else "both " + " and ".join(labels)


def _require_may_change(actor, organization: Organization) -> None:
    if not organization_is_visible(actor, organization):
        raise Http404("Not found.")
    if not roles.may_manage_accounts(actor):
        raise PermissionDenied(WRITE_REFUSED)


def _require_consumer(organization: Organization) -> None:
    if organization.kind != OrganizationKind.CONSUMER:
        raise ApplicationError(
            f"{organization.name} is not a service consumer, so it has no service relationship to record.",
            code="not_a_consumer",
            status=409,
        )


def service_relationship_for(*, organization: Organization) -> ServiceRelationship:
    """The consumer's relationship record, created (as a basic relationship) the first time anything is
    recorded about it. Callers check the actor's rights first and run inside their own transaction.
    Only service consumers have a service relationship in this sense."""
    _require_consumer(organization)
    relationship, _ = ServiceRelationship.objects.get_or_create(organization=organization)
    return relationship


def _locked_relationship(organization: Organization) -> ServiceRelationship:
    """The relationship row, locked until the transaction ends: ladder and type changes of one account
    are serialized, so two people cannot each pass the ordering check on a state the other changes."""
    relationship = service_relationship_for(organization=organization)
    return ServiceRelationship.objects.select_for_update().get(pk=relationship.pk)


def _relationship_type(field: str, value) -> RelationshipType:
    if value not in RelationshipType.values:
        choices = ", ".join(RelationshipType.values)
        raise ApplicationError.for_field(
            field, f"“{value}” is not a relationship type; use one of {choices}."
        )
    return RelationshipType(value)


@transaction.atomic
def service_relationship_set_types(
    *, actor, organization: Organization, current_type: str, target_type: str, notes: str | None = None
) -> ServiceRelationship:
    """Record what the relationship is now and what it is aimed at. Any target is allowed, closer or
    more distant than today: the target is a deliberate choice, not a ladder to climb. `notes=None`
    keeps the notes; unchanged input writes nothing (and adds no history row)."""
    _require_may_change(actor, organization)
    errors: dict[str, list[str]] = {}
    for field, value in (("current_type", current_type), ("target_type", target_type)):
        try:
            _relationship_type(field, value)
        except ApplicationError as error:
            errors.update(error.fields)
    if errors:
        raise ApplicationError(next(iter(errors.values()))[0], fields=errors)
    _require_consumer(organization)
    changes = {"current_type": current_type, "target_type": target_type}
    if notes is not None:
        changes["notes"] = notes.strip()
    relationship = ServiceRelationship.objects.select_for_update().filter(organization=organization).first()
    if relationship is None:
        # Created with the types given, so the history starts with them rather than with a default.
        relationship = ServiceRelationship(organization=organization, **changes)
        relationship._history_user = actor
        try:
            with transaction.atomic():
                relationship.save()
            _record_type_change(actor, relationship, before=None)
            return relationship
        except IntegrityError:  # someone else recorded it at the same moment: change theirs
            relationship = ServiceRelationship.objects.select_for_update().get(organization=organization)
    before = {"current_type": relationship.current_type, "target_type": relationship.target_type}
    changed = [name for name, value in changes.items() if getattr(relationship, name) != value]
    if changed:
        for name in changed:
            setattr(relationship, name, changes[name])
        relationship._history_user = actor
        relationship.save()
        if {"current_type", "target_type"} & set(changed):
            _record_type_change(actor, relationship, before=before)
    return relationship


def _record_type_change(actor, relationship: ServiceRelationship, *, before: dict | None) -> None:
    journey_event_record(
        event_type=EngageEventType.RELATIONSHIP_TYPE_CHANGED,
        organization=relationship.organization,
        actor=actor,
        payload={
            "current_type": relationship.current_type,
            "target_type": relationship.target_type,
            "previous_current_type": before["current_type"] if before else None,
            "previous_target_type": before["target_type"] if before else None,
        },
    )


@transaction.atomic
def ladder_step_update(
    *, actor, organization: Organization, step: str, status: str, evidence: str | None = None
) -> LadderProgress:
    """Set where the relationship stands on one ladder step. A step may be marked done only once the
    steps it builds on are done, and a done step may not be reopened while a later step that builds on
    it is still done: the ladder never shows a result resting on unfinished groundwork."""
    _require_may_change(actor, organization)
    if step not in LadderStep.values:
        raise ApplicationError.for_field("step", f"“{step}” is not a step of the relationship ladder.")
    if status not in LadderStatus.values:
        choices = ", ".join(LadderStatus.values)
        raise ApplicationError.for_field(
            "status", f"“{status}” is not a ladder status; use one of {choices}."
        )
    step, status = LadderStep(step), LadderStatus(status)
    relationship = _locked_relationship(organization)
    statuses = dict(relationship.ladder.values_list("step", "status"))
    if status == LadderStatus.DONE:
        missing = [
            before for before in LADDER_PREREQUISITES[step] if statuses.get(before) != LadderStatus.DONE
        ]
        if missing:
            raise ApplicationError.for_field(
                "status", f"‘{step.label}’ needs {_quoted(missing)} done first.", code="ladder_order"
            )
    elif statuses.get(step) == LadderStatus.DONE:
        done_later = [later for later in LADDER_DEPENDENTS[step] if statuses.get(later) == LadderStatus.DONE]
        if done_later:
            one = len(done_later) == 1
            raise ApplicationError.for_field(
                "status",
                f"‘{step.label}’ cannot go back from done while {_quoted(done_later)} "
                f"{'is' if one else 'are'} done; reopen {'it' if one else 'them'} first.",
                code="ladder_order",
            )
    progress, _ = LadderProgress.objects.get_or_create(relationship=relationship, step=step)
    if status == LadderStatus.DONE and progress.status != LadderStatus.DONE:
        progress.completed_at = timezone.now()
    elif status != LadderStatus.DONE:
        progress.completed_at = None
    progress.status = status
    if evidence is not None:
        progress.evidence = evidence.strip()
    progress.updated_by = actor if getattr(actor, "pk", None) else None
    changed_status = statuses.get(step, LadderStatus.NOT_STARTED) != status
    progress.save()
    if changed_status:
        journey_event_record(
            event_type=EngageEventType.LADDER_STEP_CHANGED,
            organization=organization,
            actor=actor,
            payload={"step": step.value, "status": status.value, "previous_status": statuses.get(step)},
        )
    # The ladder is part of the relationship: incremental sync of relationships sees the change. An
    # update() rather than save(), so the type history gets no row for it.
    ServiceRelationship.objects.filter(pk=relationship.pk).update(updated_at=timezone.now())
    return progress


# --- communication plans --------------------------------------------------------------------------


def _cadence(value) -> tuple[int | None, str | None]:
    options = ", ".join(f"{cadence.value} ({cadence.label.lower()})" for cadence in Cadence)
    message = f"Choose a cadence in days: {options}."
    if isinstance(value, bool):
        return None, message
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None, message
    return (number, None) if number in Cadence.values else (None, message)


def _owner(value, organization: Organization):
    if value is None:
        return None, None
    user = value
    if not hasattr(value, "pk"):
        user = get_user_model().objects.filter(pk=value).first() if str(value).isdigit() else None
        if user is None:
            return None, f"No user with the id {value}."
    if not user.is_active:
        return None, f"{user.get_full_name() or user.username} is no longer an active user."
    if not organization_is_visible(user, organization) or not roles.may_manage_accounts(user):
        return None, (
            f"{user.get_full_name() or user.username} does not look after {organization.name}; "
            "choose someone who can see and manage the account."
        )
    return user, None


@transaction.atomic
def communication_plan_set(
    *,
    actor,
    stakeholder: Stakeholder,
    cadence_days,
    preferred_channel: str,
    purpose: str = "",
    starts_on: date | None = None,
    owner=None,
) -> CommunicationPlan:
    """Create or change how often, and through which channel, we keep one stakeholder in touch. A new
    plan starts today unless told otherwise and is kept by the account's owner unless someone else is
    named; on an existing plan, `starts_on=None` and `owner=None` keep what is there."""
    organization = stakeholder.organization
    _require_may_change(actor, organization)
    service_relationship_for(organization=organization)  # consumers only; explains itself otherwise
    if not stakeholder.is_active:
        raise ApplicationError.for_field(
            "stakeholder",
            f"{stakeholder.name} is no longer an active stakeholder; plans are kept for active people only.",
            code="inactive",
            status=409,
        )
    errors: dict[str, list[str]] = {}
    cadence, message = _cadence(cadence_days)
    if message:
        errors["cadence_days"] = [message]
    if preferred_channel not in Channel.values:
        errors["preferred_channel"] = [
            f"“{preferred_channel}” is not a channel; use one of {', '.join(Channel.values)}."
        ]
    purpose = (purpose or "").strip()
    if len(purpose) > PURPOSE_MAX_LENGTH:
        errors["purpose"] = [f"Keep the purpose to {PURPOSE_MAX_LENGTH} characters; it has {len(purpose)}."]
    if starts_on is not None and not isinstance(starts_on, date):
        errors["starts_on"] = ["Give the start as a date, e.g. 2026-03-01."]
    chosen_owner, message = _owner(owner, organization)
    if message:
        errors["owner"] = [message]
    if errors:
        raise ApplicationError(next(iter(errors.values()))[0], fields=errors)
    plan = CommunicationPlan.objects.select_for_update().filter(stakeholder=stakeholder).first()
    if plan is None:
        plan = CommunicationPlan(
            stakeholder=stakeholder,
            starts_on=starts_on or timezone.localdate(),
            owner=chosen_owner or organization.owner,
        )
    else:
        plan.starts_on = starts_on or plan.starts_on
        plan.owner = chosen_owner or plan.owner
    plan.cadence_days = cadence
    plan.preferred_channel = preferred_channel
    plan.purpose = purpose
    plan.save()
    return plan


@transaction.atomic
def communication_plan_remove(*, actor, stakeholder: Stakeholder) -> bool:
    """Stop planning contact with a stakeholder. True when there was a plan to remove."""
    _require_may_change(actor, stakeholder.organization)
    deleted, _ = CommunicationPlan.objects.filter(stakeholder=stakeholder).delete()
    return bool(deleted)
