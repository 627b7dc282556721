"""Service requests and user queries, with their SLA clocks.

A request is anything a consumer's user (or someone acting for them) asks of the service desk: a query,
a service request, an incident, a complaint or a compliment. Its priority follows from impact × urgency.
Its status moves new → in progress → waiting on customer → resolved → closed, and a resolved or closed
request may be reopened (`REQUEST_TRANSITIONS`).

Each request gets one clock per request-clock target (response, resolution) of the consumer's active
agreement (`agreements.ServiceLevelTarget.clock`). A clock counts in the target's business-hours
calendar, stands still while the request waits on the customer (`RequestPause`), warns once
`DSV_REQUEST_CLOCK_WARNING_PERCENT` of its limit is used and is breached when the limit passes. When it
stops (the first response; the resolution) or breaches, it becomes a measurement of its target.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from agreements.models import ClockKind
from journeys.base import BaseModel
from journeys.models import Channel, JourneyStep

__all__ = [
    "CLOSED_REQUEST_STATUSES",
    "OPEN_REQUEST_STATUSES",
    "REQUEST_TRANSITIONS",
    "ClockState",
    "Level",
    "PauseReason",
    "Priority",
    "RequestClock",
    "RequestKind",
    "RequestPause",
    "RequestStatus",
    "RequestUpdate",
    "ServiceRequest",
    "priority_for",
]


class RequestKind(models.TextChoices):
    QUERY = "query", "User query"
    SERVICE_REQUEST = "service_request", "Service request"
    INCIDENT = "incident", "Incident"
    COMPLAINT = "complaint", "Complaint"
    COMPLIMENT = "compliment", "Compliment"


class Level(models.IntegerChoices):
    """Impact and urgency, each on three levels (1 is the highest)."""

    HIGH = 1, "High"
    MEDIUM = 2, "Medium"
    LOW = 3, "Low"


class Priority(models.IntegerChoices):
    CRITICAL = 1, "P1 – Critical"
    HIGH = 2, "P2 – High"
    MODERATE = 3, "P3 – Moderate"
    LOW = 4, "P4 – Low"
    PLANNING = 5, "P5 – Planning"


def priority_for(impact: int, urgency: int) -> int:
    """The priority matrix: high impact and high urgency is P1, low and low is P5, and each step down
    in either lowers the priority by one."""
    return int(impact) + int(urgency) - 1


class RequestStatus(models.TextChoices):
    NEW = "new", "New"
    IN_PROGRESS = "in_progress", "In progress"
    WAITING = "waiting_on_customer", "Waiting on customer"
    RESOLVED = "resolved", "Resolved"
    CLOSED = "closed", "Closed"


# The moves a person may make; anything else skips the lifecycle and is refused. Resolved and closed
# requests may be reopened (back to in progress).
REQUEST_TRANSITIONS: dict[str, tuple[str, ...]] = {
    RequestStatus.NEW: (RequestStatus.IN_PROGRESS,),
    RequestStatus.IN_PROGRESS: (RequestStatus.WAITING, RequestStatus.RESOLVED),
    RequestStatus.WAITING: (RequestStatus.IN_PROGRESS, RequestStatus.RESOLVED),
    RequestStatus.RESOLVED: (RequestStatus.CLOSED, RequestStatus.IN_PROGRESS),
    RequestStatus.CLOSED: (RequestStatus.IN_PROGRESS,),
}
OPEN_REQUEST_STATUSES = (RequestStatus.NEW, RequestStatus.IN_PROGRESS, RequestStatus.WAITING)
CLOSED_REQUEST_STATUSES = (RequestStatus.RESOLVED, RequestStatus.CLOSED)


class ServiceRequest(BaseModel):
    # Indexed with the status below (an account's requests, open ones first).
    organization = models.ForeignKey(
        "journeys.Organization", on_delete=models.CASCADE, related_name="service_requests", db_index=False
    )
    journey = models.ForeignKey(
        "journeys.Journey", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requester = models.ForeignKey(
        "journeys.Stakeholder",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="service_requests",
        help_text="The user (or their authorized representative) who asked.",
    )
    touchpoint = models.ForeignKey(
        "journeys.Touchpoint",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="service_requests",
        help_text="The contact the request came in with.",
    )
    agreement = models.ForeignKey(
        "agreements.Agreement",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="service_requests",
        help_text="The agreement whose request-clock targets time this request.",
    )
    step = models.CharField(
        max_length=20,
        choices=JourneyStep.choices,
        default=JourneyStep.CO_CREATE,
        help_text="The journey step the consumer was in when it came (the live map counts it there).",
    )
    kind = models.CharField(max_length=20, choices=RequestKind.choices, default=RequestKind.QUERY)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, default="")
    channel = models.CharField(max_length=30, choices=Channel.choices, default=Channel.TELEPHONE)
    impact = models.PositiveSmallIntegerField(choices=Level.choices, default=Level.MEDIUM)
    urgency = models.PositiveSmallIntegerField(choices=Level.choices, default=Level.MEDIUM)
    priority = models.PositiveSmallIntegerField(choices=Priority.choices, default=Priority.MODERATE)
    status = models.CharField(max_length=20, choices=RequestStatus.choices, default=RequestStatus.NEW)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_requests",
    )
    opened_at = models.DateTimeField()
    responded_at = models.DateTimeField(null=True, blank=True, help_text="The first response.")
    resolved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    reopened_count = models.PositiveSmallIntegerField(default=0)
    resolution = models.TextField(blank=True, default="", help_text="What was done to resolve it.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    external_id = models.CharField(max_length=100, blank=True, default="")

    class Meta:
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=RequestKind.values), name="request_kind_valid"),
            models.CheckConstraint(condition=Q(status__in=RequestStatus.values), name="request_status_valid"),
            models.CheckConstraint(condition=Q(impact__gte=1, impact__lte=3), name="request_impact_1_3"),
            models.CheckConstraint(condition=Q(urgency__gte=1, urgency__lte=3), name="request_urgency_1_3"),
            models.CheckConstraint(
                condition=Q(priority__gte=1, priority__lte=5), name="request_priority_1_5"
            ),
            models.UniqueConstraint(
                fields=["external_id"], condition=~Q(external_id=""), name="request_external_id_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "status"], name="request_account_status"),
            models.Index(fields=["status", "priority", "opened_at"], name="request_queue"),
            models.Index(fields=["assignee", "status"], name="request_assignee"),
            models.Index(fields=["opened_at"], name="request_opened"),
            models.Index(fields=["step", "status"], name="request_step_status"),
            models.Index(fields=["updated_at", "id"], name="request_sync"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.title}"

    @property
    def reference(self) -> str:
        return f"REQ-{self.pk:06d}" if self.pk else "REQ-new"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_REQUEST_STATUSES


class RequestUpdate(BaseModel):
    """The request's history: each status change and each note, who made it and when."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="updates")
    occurred_at = models.DateTimeField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    from_status = models.CharField(max_length=20, choices=RequestStatus.choices, blank=True, default="")
    to_status = models.CharField(max_length=20, choices=RequestStatus.choices, blank=True, default="")
    note = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["request", "occurred_at", "id"]
        indexes = [models.Index(fields=["request", "occurred_at"], name="request_update_time")]

    def __str__(self) -> str:
        return f"{self.from_status or '—'} → {self.to_status or '—'}"


class PauseReason(models.TextChoices):
    WAITING = "waiting_on_customer", "Waiting on customer"
    RESOLVED = "resolved", "Resolved (until reopened)"


class RequestPause(BaseModel):
    """A stretch in which the request's clocks stand still: waiting on the customer, or resolved
    until someone reopened it. `ended_at` is empty while it lasts."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="pauses")
    reason = models.CharField(max_length=20, choices=PauseReason.choices)
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["request", "started_at", "id"]
        indexes = [models.Index(fields=["request", "started_at"], name="request_pause_time")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("started_at")),
                name="request_pause_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["request"], condition=Q(ended_at__isnull=True), name="request_one_open_pause"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} from {self.started_at:%Y-%m-%d %H:%M}"


class ClockState(models.TextChoices):
    RUNNING = "running", "Running"
    WARNING = "warning", "Running, close to its limit"
    PAUSED = "paused", "Paused"
    MET = "met", "Met"
    BREACHED = "breached", "Breached"


class RequestClock(BaseModel):
    """One SLA clock of one request (response or resolution), timed by one request-clock target.

    The limit is copied from the target when the clock starts, so a later change to the target does
    not move running clocks. `due_at` and `warning_at` are the instants the limit and the warning are
    reached in business time, skipping pauses; both are empty while the clock is paused. `state`,
    `elapsed_seconds` and the instants are brought up to date by the services whenever the request
    changes and by the every-minute clock check."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="clocks")
    kind = models.CharField(max_length=12, choices=ClockKind.choices)
    target = models.ForeignKey(
        "agreements.ServiceLevelTarget",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="request_clocks",
    )
    limit_seconds = models.PositiveIntegerField()
    warning_seconds = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    due_at = models.DateTimeField(null=True, blank=True)
    warning_at = models.DateTimeField(null=True, blank=True)
    stopped_at = models.DateTimeField(null=True, blank=True)
    elapsed_seconds = models.PositiveIntegerField(default=0, help_text="Business seconds used so far.")
    state = models.CharField(max_length=10, choices=ClockState.choices, default=ClockState.RUNNING)
    breached_at = models.DateTimeField(null=True, blank=True)
    warning_notified_at = models.DateTimeField(null=True, blank=True)
    breach_notified_at = models.DateTimeField(null=True, blank=True)
    measured_value = models.DecimalField(
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="The value last recorded as the target's measurement (100 met, 0 breached).",
    )

    class Meta:
        ordering = ["request", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["request", "kind"], name="request_clock_once_per_kind"),
            models.CheckConstraint(condition=Q(kind__in=ClockKind.values), name="request_clock_kind_valid"),
            models.CheckConstraint(
                condition=Q(state__in=ClockState.values), name="request_clock_state_valid"
            ),
            models.CheckConstraint(condition=Q(limit_seconds__gt=0), name="request_clock_limit_positive"),
        ]
        indexes = [
            # The clock check: running clocks whose warning or limit has come.
            models.Index(
                fields=["due_at"],
                condition=Q(stopped_at__isnull=True, breached_at__isnull=True),
                name="request_clock_due",
            ),
            models.Index(
                fields=["warning_at"],
                condition=Q(stopped_at__isnull=True, warning_notified_at__isnull=True),
                name="request_clock_warning",
            ),
            models.Index(fields=["state", "due_at"], name="request_clock_state"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of request #{self.request_id}"

    @property
    def is_running(self) -> bool:
        return self.stopped_at is None and self.state != ClockState.PAUSED
