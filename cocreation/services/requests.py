"""Requests and user queries: opened, changed, moved along their lifecycle, commented on.

The lifecycle is `REQUEST_TRANSITIONS`: new → in progress → waiting on customer → resolved → closed, a
resolved or closed request may be reopened. The first move out of "new" is the first response (it
stops the response clock); resolving stops the resolution clock and needs the resolution; waiting on
the customer and resolved open a pause of the clocks, leaving them closes it. Every change records a
history entry (`RequestUpdate`) and a journey event, and brings the clocks up to date
(`cocreation.services.clocks`) in the same transaction.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from agreements.models import Agreement, AgreementStatus
from cocreation.models import (
    REQUEST_TRANSITIONS,
    CoCreateEventType,
    Level,
    PauseReason,
    RequestKind,
    RequestPause,
    RequestStatus,
    RequestUpdate,
    ServiceRequest,
    priority_for,
)
from cocreation.services.clocks import clock_targets, clocks_refresh, clocks_start
from cocreation.services.common import check_belongs, check_choice, check_text, fail, require_may_write, save
from journeys import roles
from journeys.base import ApplicationError
from journeys.events import journey_event_record
from journeys.models import AccountSummary, Channel, JourneyStep

__all__ = [
    "REQUEST_EDITABLE_FIELDS",
    "request_comment",
    "request_open",
    "request_transition",
    "request_update",
]

# A request may be logged a little ahead of the server's clock (a desk PC's clock), never further.
FUTURE_TOLERANCE_SECONDS = 300
REQUEST_EDITABLE_FIELDS = (
    "title",
    "description",
    "kind",
    "channel",
    "impact",
    "urgency",
    "assignee",
    "requester",
)


def _default_step(organization, journey, touchpoint) -> str:
    if touchpoint is not None:
        return touchpoint.step
    if journey is not None:
        return journey.current_step
    try:
        step = organization.summary.journey_step
    except AccountSummary.DoesNotExist:
        step = ""
    return step or JourneyStep.CO_CREATE


def _check_level(errors: dict, name: str, value) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value not in Level.values:
        errors[name] = [f"{name.capitalize()} must be 1 (high), 2 (medium) or 3 (low)."]


def _check_assignee(errors: dict, assignee) -> None:
    if assignee is None:
        return
    if not isinstance(assignee, get_user_model()) or not assignee.is_active:
        errors["assignee"] = ["Assign it to an active DSV user."]
    elif not roles.may_log_touchpoints(assignee) or roles.roles_of(assignee) == {roles.Role.INTEGRATOR}:
        errors["assignee"] = [f"{assignee.get_username()} has no role that works on requests."]


def _check(request: ServiceRequest, errors: dict) -> None:
    check_text(
        errors, ServiceRequest, "title", request.title, required=True, example="Cannot reach the portal"
    )
    check_text(errors, ServiceRequest, "description", request.description)
    check_choice(errors, "kind", request.kind, RequestKind, "kind of request")
    check_choice(errors, "channel", request.channel, Channel, "channel")
    check_choice(errors, "step", request.step, JourneyStep, "journey step")
    _check_level(errors, "impact", request.impact)
    _check_level(errors, "urgency", request.urgency)
    check_belongs(errors, "requester", request.requester, request.organization, "person")
    check_belongs(errors, "touchpoint", request.touchpoint, request.organization, "touchpoint")
    check_belongs(errors, "journey", request.journey, request.organization, "journey")
    check_text(errors, ServiceRequest, "external_id", request.external_id)


def _check_agreement(errors: dict, agreement, organization) -> None:
    if agreement is None:
        return
    if not isinstance(agreement, Agreement) or agreement.organization_id != organization.pk:
        errors["agreement"] = ["This agreement belongs to another organization."]
    elif agreement.status != AgreementStatus.ACTIVE:
        errors["agreement"] = [
            f"“{agreement.title}” is {agreement.get_status_display().lower()}: only an active agreement times"
            " requests."
        ]


def _moment(errors: dict, name: str, value, now: datetime) -> datetime:
    if value is None:
        return now
    if not isinstance(value, datetime) or timezone.is_naive(value):
        errors[name] = ["Give the date and time with its time zone."]
        return now
    if (value - now).total_seconds() > FUTURE_TOLERANCE_SECONDS:
        errors[name] = ["A request cannot be opened in the future."]
    return value


def _history(request: ServiceRequest, *, actor, at: datetime, from_status="", to_status="", note="") -> None:
    RequestUpdate.objects.create(
        request=request,
        occurred_at=at,
        author=actor if getattr(actor, "pk", None) else None,
        from_status=from_status,
        to_status=to_status,
        note=note,
    )


def _event(event_type: str, request: ServiceRequest, *, actor, at: datetime, **payload: Any) -> None:
    journey_event_record(
        event_type=event_type,
        organization=request.organization,
        journey=request.journey,
        actor=actor,
        payload={"request_id": request.pk, "kind": request.kind, "status": request.status, **payload},
        occurred_at=at,
    )


@transaction.atomic
def request_open(
    *,
    actor,
    organization,
    title: str,
    kind: str = RequestKind.QUERY,
    impact: int = Level.MEDIUM,
    urgency: int = Level.MEDIUM,
    channel: str = Channel.TELEPHONE,
    description: str = "",
    requester=None,
    journey=None,
    touchpoint=None,
    agreement=None,
    assignee=None,
    step: str | None = None,
    opened_at: datetime | None = None,
    external_id: str = "",
) -> ServiceRequest:
    """Open a request (status new) and start its clocks from the account's request-clock targets (the
    given agreement's, or else the first active agreement that has them)."""
    require_may_write(actor, organization)
    now = timezone.now()
    errors: dict[str, list[str]] = {}
    moment = _moment(errors, "opened_at", opened_at, now)
    request = ServiceRequest(
        organization=organization,
        journey=journey,
        requester=requester,
        touchpoint=touchpoint,
        agreement=agreement,
        kind=kind,
        title=(title or "").strip() if isinstance(title, str) else title,
        description=(description or "").strip() if isinstance(description, str) else description,
        channel=channel,
        impact=impact,
        urgency=urgency,
        step=step or _default_step(organization, journey, touchpoint),
        status=RequestStatus.NEW,
        assignee=assignee,
        opened_at=moment,
        created_by=actor if getattr(actor, "pk", None) else None,
        external_id=(external_id or "").strip(),
    )
    _check(request, errors)
    _check_agreement(errors, agreement, organization)
    _check_assignee(errors, assignee)
    fail(errors)
    request.priority = priority_for(request.impact, request.urgency)
    targets = clock_targets(request)
    if request.agreement_id is None and targets:
        request.agreement = targets[0].agreement
        targets = [target for target in targets if target.agreement_id == request.agreement_id]
    save(request)
    _history(request, actor=actor, at=moment, to_status=RequestStatus.NEW, note="Opened.")
    clocks_start(request, targets=targets, now=now)
    _event(CoCreateEventType.REQUEST_OPENED, request, actor=actor, at=moment, priority=request.priority)
    return request


def _locked(request: ServiceRequest) -> ServiceRequest:
    return (
        ServiceRequest.objects.select_for_update(of=("self",))
        .select_related("organization", "journey", "agreement", "assignee")
        .get(pk=request.pk)
    )


@transaction.atomic
def request_update(*, actor, request: ServiceRequest, **fields: Any) -> ServiceRequest:
    """Change what the request is about, its priority inputs, its assignee or requester."""
    current = _locked(request)
    require_may_write(actor, current.organization)
    unknown = sorted(set(fields) - set(REQUEST_EDITABLE_FIELDS))
    if unknown:
        fail({name: ["This field cannot be changed here."] for name in unknown})
    changed = []
    for name, value in fields.items():
        if isinstance(value, str) and name in ("title", "description"):
            value = value.strip()
        if getattr(current, name) != value:
            setattr(current, name, value)
            changed.append(name)
    if not changed:
        return current
    errors: dict[str, list[str]] = {}
    _check(current, errors)
    if "assignee" in changed:
        _check_assignee(errors, current.assignee)
    fail(errors)
    current.priority = priority_for(current.impact, current.urgency)
    save(current)
    labels = ", ".join(ServiceRequest._meta.get_field(name).verbose_name for name in changed)
    _history(current, actor=actor, at=timezone.now(), note=f"Changed {labels}.")
    return current


def _open_pause(request: ServiceRequest, reason: str, at: datetime) -> None:
    RequestPause.objects.create(request=request, reason=reason, started_at=at)


def _close_pause(request: ServiceRequest, at: datetime) -> None:
    for pause in RequestPause.objects.filter(request=request, ended_at__isnull=True):
        pause.ended_at = max(at, pause.started_at)
        pause.save(update_fields=["ended_at", "updated_at"])


def _transition_refusal(current: ServiceRequest, to_status: str) -> str | None:
    allowed = REQUEST_TRANSITIONS.get(current.status, ())
    if to_status in allowed:
        return None
    now_label = current.get_status_display().lower()
    target_label = RequestStatus(to_status).label.lower()
    options = " or ".join(f"“{RequestStatus(s).label.lower()}”" for s in allowed) or "nothing"
    return f"A request that is {now_label} cannot move to “{target_label}”; it can move to {options}."


@transaction.atomic
def request_transition(
    *, actor, request: ServiceRequest, to_status: str, note: str = "", at: datetime | None = None
) -> ServiceRequest:
    """Move the request one step along its lifecycle (a move that skips a step is refused)."""
    current = _locked(request)
    require_may_write(actor, current.organization)
    if to_status not in RequestStatus.values:
        fail(
            {
                "to_status": [
                    f"“{to_status}” is not a request status; use one of {', '.join(RequestStatus.values)}."
                ]
            }
        )
    refusal = _transition_refusal(current, to_status)
    if refusal:
        raise ApplicationError(
            refusal, code="transition_not_allowed", fields={"to_status": [refusal]}, status=409
        )
    note = (note or "").strip() if isinstance(note, str) else note
    errors: dict[str, list[str]] = {}
    check_text(errors, RequestUpdate, "note", note)
    now = timezone.now()
    moment = _moment(errors, "at", at, now)
    last_change = current.updates.order_by("-occurred_at").values_list("occurred_at", flat=True).first()
    if not errors and moment < (last_change or current.opened_at):
        errors["at"] = ["A change cannot be dated before the request's last change."]
    if to_status == RequestStatus.RESOLVED and not note:
        errors["note"] = ["Say how it was resolved (the resolution is sent to the requester)."]
    fail(errors)
    from_status = current.status
    _close_pause(current, moment)
    if from_status == RequestStatus.NEW and current.responded_at is None:
        current.responded_at = moment
    if to_status == RequestStatus.WAITING:
        _open_pause(current, PauseReason.WAITING, moment)
    elif to_status == RequestStatus.RESOLVED:
        current.resolved_at = moment
        current.resolution = note
        _open_pause(current, PauseReason.RESOLVED, moment)
    elif to_status == RequestStatus.CLOSED:
        current.closed_at = moment
        # The pause of "resolved" goes on: a closed request's clocks stay stopped.
        _open_pause(current, PauseReason.RESOLVED, moment)
    elif to_status == RequestStatus.IN_PROGRESS and from_status in (
        RequestStatus.RESOLVED,
        RequestStatus.CLOSED,
    ):
        current.reopened_count += 1
        current.resolved_at = None
        current.closed_at = None
    current.status = to_status
    save(current)
    _history(current, actor=actor, at=moment, from_status=from_status, to_status=to_status, note=note)
    clocks_refresh(current, now=max(now, moment))
    event_type = (
        CoCreateEventType.REQUEST_CLOSED
        if to_status == RequestStatus.CLOSED
        else CoCreateEventType.REQUEST_STATUS_CHANGED
    )
    _event(event_type, current, actor=actor, at=moment, from_status=from_status)
    return current


@transaction.atomic
def request_comment(*, actor, request: ServiceRequest, note: str) -> RequestUpdate:
    """Add a note to the request's history (no status change)."""
    current = _locked(request)
    require_may_write(actor, current.organization)
    note = (note or "").strip() if isinstance(note, str) else note
    errors: dict[str, list[str]] = {}
    check_text(errors, RequestUpdate, "note", note, required=True, example="Called back, no answer")
    fail(errors)
    update = RequestUpdate.objects.create(
        request=current,
        occurred_at=timezone.now(),
        author=actor if getattr(actor, "pk", None) else None,
        note=note,
    )
    current.save(update_fields=["updated_at"])
    return update
