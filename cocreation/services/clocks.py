"""The SLA clocks of requests: started from the account's request-clock targets, counted in the target's
business hours, standing still while the request waits on the customer, warned once and breached once.

A clock's facts live on its row: the limit (copied from the target when it starts), the instants the
warning and the limit fall due (`warning_at`, `due_at`, in business time and skipping pauses; empty
while paused), when it stopped and whether it breached. `clocks_refresh` brings a request's clocks up
to date after every change of the request; `request_clocks_check` (every minute) finds the clocks whose
warning or limit has come and notifies each once.

A clock that stops (the first response; the resolution) or breaches becomes a measurement of its target
in Agree: 100 when met, 0 when breached, stored under the source id `request-<id>-<kind>`, so recording
it again (a retried job, a reopened request resolved again) updates the one measurement, never adds.

Notifications are claimed before they go out: the run that sets `warning_notified_at` or
`breach_notified_at` (a conditional update) sends, after its transaction commits; a send that fails
clears the claim so the next run tries again. A clock is therefore notified once, whatever runs twice.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Prefetch, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from agreements import selectors as agreement_selectors
from agreements import services as agreement_services
from agreements.business_time import business_deadline, business_seconds, schedule_for
from agreements.models import BusinessHours, ClockKind, MeasurementSource, ServiceLevelTarget
from cocreation.models import (
    ClockState,
    CoCreateEventType,
    RequestClock,
    RequestPause,
    RequestStatus,
    ServiceRequest,
)
from journeys.base import ApplicationError
from journeys.events import journey_event_record

__all__ = [
    "ClockCheck",
    "clock_pauses",
    "clock_targets",
    "clocks_refresh",
    "clocks_start",
    "request_clocks_check",
    "warning_percent",
]

logger = logging.getLogger(__name__)

MEASURED_MET = Decimal("100")
MEASURED_BREACHED = Decimal("0")
# The clock check looks at this many clocks per run at most (the rest wait a minute).
CHECK_BATCH = 500


def warning_percent() -> int:
    """How much of its limit a clock uses before it warns (DSV_REQUEST_CLOCK_WARNING_PERCENT)."""
    value = int(getattr(settings, "DSV_REQUEST_CLOCK_WARNING_PERCENT", 75))
    return min(max(value, 1), 99)


def _schedule(target: ServiceLevelTarget | None):
    return schedule_for(target.calendar if target is not None else None)


def clock_pauses(
    request: ServiceRequest, *, until: datetime | None = None
) -> list[tuple[datetime, datetime | None]]:
    """The request's pauses as (start, end) pairs (end None while it lasts), from its prefetched
    `pauses` when loaded. With `until`, pauses starting at or after it are left out (a stopped
    clock does not care what happened after it stopped)."""
    pauses = [(pause.started_at, pause.ended_at) for pause in request.pauses.all()]
    if until is not None:
        pauses = [
            (start, end if end is None or end <= until else until) for start, end in pauses if start < until
        ]
    return pauses


def _stop_moment(clock: RequestClock, request: ServiceRequest) -> datetime | None:
    if clock.kind == ClockKind.RESPONSE:
        return request.responded_at
    if request.status in (RequestStatus.RESOLVED, RequestStatus.CLOSED):
        return request.resolved_at
    return None


def _compute(clock: RequestClock, request: ServiceRequest, *, schedule, now: datetime) -> None:
    """Bring one clock's instants, elapsed time and state up to date (no save)."""
    stopped_at = _stop_moment(clock, request)
    clock.stopped_at = stopped_at
    end = max(stopped_at or now, clock.started_at)
    pauses = clock_pauses(request, until=stopped_at)
    clock.elapsed_seconds = business_seconds(schedule, clock.started_at, end, pauses=pauses)
    try:
        clock.due_at = business_deadline(schedule, clock.started_at, clock.limit_seconds, pauses=pauses)
        clock.warning_at = business_deadline(schedule, clock.started_at, clock.warning_seconds, pauses=pauses)
    except ValueError:  # a calendar without hours: the clock cannot run (the target's page says why)
        clock.due_at = clock.warning_at = None
    # Worked out afresh each time: a change dated in the past (a response logged late) may show that a
    # clock thought breached was within its limit after all.
    clock.breached_at = clock.due_at if clock.due_at is not None and end > clock.due_at else None
    paused = stopped_at is None and any(end_ is None for _start, end_ in pauses)
    if clock.breached_at is not None:
        clock.state = ClockState.BREACHED
    elif stopped_at is not None:
        clock.state = ClockState.MET
    elif paused:
        clock.state = ClockState.PAUSED
    elif clock.elapsed_seconds >= clock.warning_seconds:
        clock.state = ClockState.WARNING
    else:
        clock.state = ClockState.RUNNING


def _measure(clock: RequestClock, request: ServiceRequest) -> None:
    """A stopped or breached clock becomes (or updates) its target's measurement."""
    if clock.target_id is None:
        return
    source_id = f"request-{request.pk}-{clock.kind}"
    if clock.breached_at is not None:
        value, moment = MEASURED_BREACHED, clock.breached_at
    elif clock.stopped_at is not None:
        value, moment = MEASURED_MET, clock.stopped_at
    else:
        # Running again (reopened), or a breach withdrawn by a change dated in the past.
        if clock.measured_value is not None:
            agreement_services.measurement_withdraw(target=clock.target, source_id=source_id)
            clock.measured_value = None
        return
    if clock.measured_value is not None and clock.measured_value == value:
        return
    verdict = "over" if value == MEASURED_BREACHED else "within"
    try:
        agreement_services.measurement_record(
            actor=None,
            target=clock.target,
            measured_at=moment,
            value=value,
            source=MeasurementSource.SYSTEM,
            source_id=source_id,
            note=f"{request.reference}: {clock.get_kind_display().lower()} {verdict} the limit",
        )
    except ApplicationError as error:  # e.g. the target was retired since: the clock still counts
        logger.warning("Request clock %s not measured: %s", clock.pk, error.message)
        return
    clock.measured_value = value


CLOCK_FIELDS = [
    "due_at",
    "warning_at",
    "stopped_at",
    "elapsed_seconds",
    "state",
    "breached_at",
    "measured_value",
    "updated_at",
]


def clocks_start(
    request: ServiceRequest, *, targets: Iterable[ServiceLevelTarget], now: datetime
) -> list[RequestClock]:
    """Start one clock per clock kind among `targets` (the first target of each kind wins)."""
    percent = warning_percent()
    clocks: dict[str, RequestClock] = {}
    schedules = {}
    for target in targets:
        if target.clock in clocks or target.clock not in ClockKind.values:
            continue
        limit = max(int(Decimal(target.clock_limit_hours) * 3600), 1)
        clocks[target.clock] = RequestClock(
            request=request,
            kind=target.clock,
            target=target,
            limit_seconds=limit,
            warning_seconds=max(min(math.ceil(limit * percent / 100), limit), 1),
            started_at=request.opened_at,
        )
        schedules[target.clock] = _schedule(target)
    created = []
    for kind, clock in clocks.items():
        _compute(clock, request, schedule=schedules[kind], now=now)
        clock.save()
        _measure(clock, request)
        if clock.measured_value is not None:
            clock.save(update_fields=["measured_value", "updated_at"])
        created.append(clock)
    return created


def _loaded_clocks(request: ServiceRequest) -> list[RequestClock]:
    return list(
        request.clocks.select_related("target__calendar").prefetch_related(
            Prefetch(
                "target__calendar__hours", queryset=BusinessHours.objects.order_by("weekday", "starts_at")
            ),
            "target__calendar__closures",
        )
    )


def clocks_refresh(request: ServiceRequest, *, now: datetime | None = None) -> list[RequestClock]:
    """Bring the request's clocks up to date after a change (status, pause), measure the ones that
    stopped or breached. Call inside the transaction that changed the request."""
    now = now or timezone.now()
    # The pauses as they are now (the caller may just have opened or closed one).
    request._prefetched_objects_cache = getattr(request, "_prefetched_objects_cache", {})
    request._prefetched_objects_cache["pauses"] = RequestPause.objects.filter(request=request).order_by(
        "started_at", "id"
    )
    clocks = _loaded_clocks(request)
    for clock in clocks:
        _compute(clock, request, schedule=_schedule(clock.target), now=now)
        _measure(clock, request)
        clock.save(update_fields=CLOCK_FIELDS)
    return clocks


def clock_targets(request: ServiceRequest) -> list[ServiceLevelTarget]:
    """The request-clock targets that time a new request of the account (its agreement's, if set)."""
    return agreement_selectors.clock_targets_for_account(
        organization_id=request.organization_id, agreement_id=request.agreement_id
    )


# --- the every-minute check -------------------------------------------------------------------------


@dataclass
class ClockCheck:
    """What one run of the clock check did."""

    examined: int = 0
    warned: list[int] = field(default_factory=list)
    breached: list[int] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


def _due_clock_ids(now: datetime) -> list[int]:
    warning_due = Q(stopped_at__isnull=True, warning_notified_at__isnull=True, warning_at__lte=now)
    limit_due = Q(stopped_at__isnull=True, breached_at__isnull=True, due_at__lt=now)
    unsent_breach = Q(breached_at__isnull=False, breach_notified_at__isnull=True)
    ids = set()
    for condition in (warning_due, limit_due, unsent_breach):
        ids.update(
            RequestClock.objects.filter(condition).order_by().values_list("pk", flat=True)[:CHECK_BATCH]
        )
    return sorted(ids)[:CHECK_BATCH]


def _claim(clock_id: int, column: str, now: datetime) -> bool:
    """Take the right to send one notification; only one run gets it."""
    return bool(
        RequestClock.objects.filter(pk=clock_id, **{f"{column}__isnull": True}).update(**{column: now})
    )


def _recipient(request: ServiceRequest):
    """Who hears of a clock: the assignee, else the account's owner, else the agreement's owner."""
    for person in (request.assignee, request.organization.owner, getattr(request.agreement, "owner", None)):
        if person is not None and person.is_active and person.email:
            return person
    return None


def _absolute(path: str) -> str:
    base = (getattr(settings, "DSV_BASE_URL", "") or "").rstrip("/")
    return f"{base}{path}"


def _notify(clock: RequestClock, request: ServiceRequest, *, breached: bool) -> None:
    person = _recipient(request)
    if person is None:
        return
    template = "request_clock_breached" if breached else "request_clock_warning"
    context = {
        "person": person,
        "request": request,
        "clock": clock,
        "url": _absolute(reverse("cocreation:request_detail", args=[request.pk])),
        "percent": warning_percent(),
    }
    message = EmailMultiAlternatives(
        subject=" ".join(render_to_string(f"emails/{template}/subject.txt", context).split()),
        body=render_to_string(f"emails/{template}/body.txt", context),
        to=[person.email],
    )
    message.attach_alternative(render_to_string(f"emails/{template}/body.html", context), "text/html")
    message.send()


def _check_one(clock_id: int, now: datetime, result: ClockCheck) -> None:
    sends: list[tuple[str, bool]] = []
    with transaction.atomic():
        request = (
            ServiceRequest.objects.select_for_update(of=("self",))
            .select_related("organization__owner", "assignee", "agreement__owner")
            .filter(clocks__pk=clock_id)
            .first()
        )
        if request is None:
            return
        clocks = {clock.pk: clock for clock in clocks_refresh(request, now=now)}
        clock = clocks.get(clock_id)
        if clock is None:
            return
        fresh = RequestClock.objects.only("warning_notified_at", "breach_notified_at").get(pk=clock_id)
        if clock.breached_at is not None and fresh.breach_notified_at is None:
            if _claim(clock_id, "breach_notified_at", now):
                sends.append(("breach_notified_at", True))
                if fresh.warning_notified_at is None:  # too late for a warning: the breach says it all
                    _claim(clock_id, "warning_notified_at", now)
                journey_event_record(
                    event_type=CoCreateEventType.CLOCK_BREACHED,
                    organization=request.organization,
                    journey=request.journey,
                    payload={
                        "request_id": request.pk,
                        "clock": clock.kind,
                        "target_id": clock.target_id,
                        "due_at": clock.due_at.isoformat() if clock.due_at else None,
                    },
                    occurred_at=clock.breached_at,
                )
                result.breached.append(clock_id)
        elif (
            clock.stopped_at is None
            and clock.warning_at is not None
            and clock.warning_at <= now
            and fresh.warning_notified_at is None
            and _claim(clock_id, "warning_notified_at", now)
        ):
            sends.append(("warning_notified_at", False))
            journey_event_record(
                event_type=CoCreateEventType.CLOCK_WARNING,
                organization=request.organization,
                journey=request.journey,
                payload={"request_id": request.pk, "clock": clock.kind, "due_at": clock.due_at.isoformat()},
                occurred_at=now,
            )
            result.warned.append(clock_id)
    for column, breached in sends:
        try:
            _notify(clock, request, breached=breached)
        except Exception as error:  # the mail server refused: let the next run try again
            RequestClock.objects.filter(pk=clock_id, **{column: now}).update(**{column: None})
            result.failures.append(f"clock {clock_id}: {error}")
            logger.exception("Could not send the notification of request clock %s", clock_id)


def request_clocks_check(*, now: datetime | None = None) -> ClockCheck:
    """Every minute: bring up to date the clocks whose warning or limit has come, measure the breached
    ones and notify each clock's warning and breach once."""
    now = now or timezone.now()
    result = ClockCheck()
    for clock_id in _due_clock_ids(now):
        result.examined += 1
        _check_one(clock_id, now, result)
    return result
