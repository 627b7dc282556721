"""Input and output serializers of Co-create's API (cocreation/api/requests.py, feedback.py,
communities.py).

Input serializers check types, lengths and choices and resolve ids among the records the caller may
see (an account, person, journey, touchpoint or agreement the caller may not see is refused like one
that does not exist). The rules of the service desk (a person of another account, a move that skips
the lifecycle, an agreement that is not active, an assignee without a desk role) stay in the services,
which name the field. Output serializers are read-only views of what the selectors read.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from agreements.models import Agreement, ClockKind
from agreements.selectors import agreement_scope
from cocreation.models import (
    FEEDBACK_TRANSITIONS,
    REQUEST_TRANSITIONS,
    ClockState,
    CommunityMember,
    CommunityOrigin,
    Feedback,
    FeedbackKind,
    FeedbackSource,
    FeedbackStatus,
    Level,
    MemberRole,
    MomentPolarity,
    MomentReview,
    PauseReason,
    Priority,
    RequestClock,
    RequestKind,
    RequestPause,
    RequestStatus,
    RequestUpdate,
    ServiceRequest,
    SuperUserActivity,
    UserCommunity,
)
from cocreation.selectors import ClockStatus, request_scope
from journeys.api_base import NamedChoiceField
from journeys.models import (
    SENTIMENT_MAX,
    SENTIMENT_MIN,
    Channel,
    Journey,
    JourneyStep,
    Organization,
    Stakeholder,
    Touchpoint,
)
from journeys.selectors import journey_scope, organization_scope, stakeholder_scope, touchpoint_scope
from journeys.serializers import InputSerializer, ScopedIdField

__all__: list[str] = []


def colleague(**kwargs) -> serializers.PrimaryKeyRelatedField:
    """A user id among the active users (the services check the role)."""
    return serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.filter(is_active=True),
        required=False,
        allow_null=True,
        error_messages={"does_not_exist": "No active user with the id {pk_value}."},
        **kwargs,
    )


def person(**kwargs) -> ScopedIdField:
    return ScopedIdField(
        model=Stakeholder, scope=stakeholder_scope, required=False, allow_null=True, **kwargs
    )


def touchpoint(**kwargs) -> ScopedIdField:
    return ScopedIdField(model=Touchpoint, scope=touchpoint_scope, required=False, allow_null=True, **kwargs)


# --- requests -------------------------------------------------------------------------------------


class RequestUpdateInput(InputSerializer):
    title = serializers.CharField(max_length=200, required=False, help_text="What is asked, in a line.")
    description = serializers.CharField(required=False, allow_blank=True)
    kind = NamedChoiceField(RequestKind, required=False)
    channel = NamedChoiceField(Channel, required=False, help_text="How it came in.")
    impact = NamedChoiceField(Level, required=False, help_text="1 high, 2 medium, 3 low.")
    urgency = NamedChoiceField(Level, required=False, help_text="1 high, 2 medium, 3 low.")
    assignee = colleague(
        help_text="User id of the colleague who works on it (a desk agent, relationship manager or "
        "administrator); null leaves it unassigned."
    )
    requester = person(help_text="Id of the account's person who asked.")


class RequestCreateInput(RequestUpdateInput):
    organization = ScopedIdField(
        model=Organization,
        scope=lambda user: organization_scope(user).select_related("summary"),
        help_text="The consumer the request comes from.",
    )
    title = serializers.CharField(max_length=200, help_text="What is asked, in a line.")
    journey = ScopedIdField(
        model=Journey,
        scope=journey_scope,
        required=False,
        allow_null=True,
        help_text="The account's journey it concerns; its current step becomes the request's `step`.",
    )
    touchpoint = touchpoint(help_text="The contact it came in with (its step becomes the request's).")
    agreement = ScopedIdField(
        model=Agreement,
        scope=agreement_scope,
        required=False,
        allow_null=True,
        help_text="The account's active agreement whose response and resolution targets time it; "
        "defaults to the first active agreement that has such targets.",
    )
    step = NamedChoiceField(
        JourneyStep,
        required=False,
        help_text="The journey step the consumer is in; defaults from the touchpoint, the journey or "
        "the account.",
    )
    opened_at = serializers.DateTimeField(
        required=False, help_text="When it came in (with its time zone); defaults to now, never later."
    )
    external_id = serializers.CharField(
        max_length=100, required=False, allow_blank=True, help_text="The ticket's id in your own tool."
    )


class RequestTransitionInput(InputSerializer):
    to_status = NamedChoiceField(RequestStatus, help_text="The status to move to.")
    note = serializers.CharField(
        required=False, allow_blank=True, help_text="Why; resolving needs it (it becomes the resolution)."
    )
    at = serializers.DateTimeField(
        required=False,
        help_text="When it happened (with its time zone), not before the request's last change; "
        "defaults to now.",
    )


class RequestNoteInput(InputSerializer):
    note = serializers.CharField(help_text="What happened, e.g. a call back without an answer.")


@extend_schema_serializer(component_name="RequestClock")
class ClockOutput(serializers.Serializer):
    """One SLA clock as it stands at the moment of the answer (built from the clock and its
    cocreation.selectors.clock_status)."""

    kind = NamedChoiceField(ClockKind, help_text="response (until the first answer) or resolution.")
    state = NamedChoiceField(ClockState, help_text="At the moment of the answer.")
    label = serializers.CharField(help_text="How it stands, in words, e.g. “Due in 3 h”.")
    target = serializers.IntegerField(
        allow_null=True, help_text="Id of the service level target that times it."
    )
    target_name = serializers.CharField(help_text="That target's name.")
    started_at = serializers.DateTimeField()
    warning_at = serializers.DateTimeField(
        allow_null=True, help_text="When it crosses its warning threshold; empty while paused."
    )
    due_at = serializers.DateTimeField(
        allow_null=True,
        help_text="When its limit passes (in business time, pauses skipped); empty while paused.",
    )
    stopped_at = serializers.DateTimeField(allow_null=True, help_text="When it stopped (met or late).")
    breached_at = serializers.DateTimeField(allow_null=True, help_text="When its limit passed unmet.")
    limit_seconds = serializers.IntegerField(help_text="Its limit, in business seconds.")
    elapsed_seconds = serializers.IntegerField(
        help_text="Business seconds used: at the moment of the answer for a running clock read on its "
        "own (GET requests/<id>/), as at its last update in lists."
    )
    remaining_seconds = serializers.IntegerField(
        allow_null=True,
        help_text="Business seconds left, only while running or paused: for paused clocks everywhere, "
        "for running ones when the request is read on its own (null in lists, where `due_at` says it).",
    )
    percent_used = serializers.IntegerField(allow_null=True, help_text="Of its limit, in whole percent.")


def clock_data(clock: RequestClock, status: ClockStatus) -> dict[str, Any]:
    running = status.state in (ClockState.RUNNING, ClockState.WARNING)
    elapsed = clock.elapsed_seconds
    if running and status.remaining_seconds is not None:
        elapsed = max(clock.limit_seconds - status.remaining_seconds, 0)
    return {
        "kind": clock.kind,
        "state": status.state,
        "label": status.label,
        "target": clock.target_id,
        "target_name": status.target_name,
        "started_at": clock.started_at,
        "warning_at": clock.warning_at,
        "due_at": clock.due_at,
        "stopped_at": clock.stopped_at,
        "breached_at": clock.breached_at
        or (clock.due_at if status.state == ClockState.BREACHED and clock.stopped_at is None else None),
        "limit_seconds": clock.limit_seconds,
        "elapsed_seconds": elapsed,
        "remaining_seconds": status.remaining_seconds,
        "percent_used": status.percent_used,
    }


@extend_schema_serializer(component_name="ServiceRequest")
class RequestOutput(serializers.ModelSerializer):
    """A request with its clocks; the view gives the request its `clock_list` (with_clock_list)."""

    reference = serializers.CharField(read_only=True, help_text="How people name it, e.g. REQ-000042.")
    kind = NamedChoiceField(RequestKind, read_only=True)
    channel = NamedChoiceField(Channel, read_only=True)
    step = NamedChoiceField(JourneyStep, read_only=True)
    impact = NamedChoiceField(Level, read_only=True)
    urgency = NamedChoiceField(Level, read_only=True)
    priority = NamedChoiceField(
        Priority, read_only=True, help_text="impact + urgency − 1: 1 (critical) to 5 (planning)."
    )
    status = NamedChoiceField(RequestStatus, read_only=True)
    allowed_transitions = serializers.SerializerMethodField(
        help_text="The statuses it may move to from its current one."
    )
    is_open = serializers.BooleanField(read_only=True, help_text="New, in progress or waiting on customer.")
    clock_state = serializers.SerializerMethodField(
        help_text="The state of its most urgent clock (breached, then warning, running, paused, met); "
        "null without clocks."
    )
    clocks = serializers.SerializerMethodField(help_text="One per clock kind its agreement's targets set.")

    class Meta:
        model = ServiceRequest
        fields = [
            "id",
            "reference",
            "organization",
            "journey",
            "requester",
            "touchpoint",
            "agreement",
            "step",
            "kind",
            "title",
            "description",
            "channel",
            "impact",
            "urgency",
            "priority",
            "status",
            "allowed_transitions",
            "is_open",
            "assignee",
            "opened_at",
            "responded_at",
            "resolved_at",
            "closed_at",
            "reopened_count",
            "resolution",
            "external_id",
            "created_by",
            "clock_state",
            "clocks",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=NamedChoiceField(RequestStatus)))
    def get_allowed_transitions(self, request: ServiceRequest) -> list[str]:
        return [str(status) for status in REQUEST_TRANSITIONS[request.status]]

    @extend_schema_field(NamedChoiceField(ClockState, allow_null=True))
    def get_clock_state(self, request: ServiceRequest) -> str | None:
        worst = getattr(request, "worst_clock", None)
        return str(worst.state) if worst is not None else None

    @extend_schema_field(ClockOutput(many=True))
    def get_clocks(self, request: ServiceRequest) -> list[dict[str, Any]]:
        return [
            ClockOutput(clock_data(clock, status)).data
            for clock, status in zip(request.clocks.all(), request.clock_list, strict=True)
        ]


@extend_schema_serializer(component_name="ServiceRequestUpdate")
class RequestUpdateOutput(serializers.ModelSerializer):
    """One entry of a request's history: a status change or a note."""

    from_status = serializers.CharField(read_only=True, help_text="A request status, or empty for a note.")
    to_status = serializers.CharField(read_only=True, help_text="A request status, or empty for a note.")

    class Meta:
        model = RequestUpdate
        fields = ["id", "request", "occurred_at", "author", "from_status", "to_status", "note", "created_at"]
        read_only_fields = fields


@extend_schema_serializer(component_name="ServiceRequestPause")
class RequestPauseOutput(serializers.ModelSerializer):
    reason = NamedChoiceField(PauseReason, read_only=True)

    class Meta:
        model = RequestPause
        fields = ["reason", "started_at", "ended_at"]
        read_only_fields = fields


@extend_schema_serializer(component_name="ServiceRequestDetail")
class RequestDetailOutput(RequestOutput):
    """A request read on its own: its clocks worked out to the second, its pauses and history."""

    pauses = RequestPauseOutput(many=True, read_only=True, help_text="When its clocks stood still.")
    updates = RequestUpdateOutput(many=True, read_only=True, help_text="Its history, oldest first.")

    class Meta(RequestOutput.Meta):
        fields = [*RequestOutput.Meta.fields, "pauses", "updates"]
        read_only_fields = fields


# --- feedback -------------------------------------------------------------------------------------


class FeedbackCreateInput(InputSerializer):
    organization = ScopedIdField(
        model=Organization, scope=organization_scope, help_text="The consumer the feedback comes from."
    )
    kind = NamedChoiceField(FeedbackKind)
    text = serializers.CharField(help_text="What they said, in their words.")
    sentiment = serializers.IntegerField(
        min_value=SENTIMENT_MIN,
        max_value=SENTIMENT_MAX,
        required=False,
        help_text="−2 (very negative) to +2 (very positive); 0 by default.",
    )
    source = NamedChoiceField(FeedbackSource, required=False, help_text="Who it came from; user by default.")
    stakeholder = person(help_text="Id of the account's person who gave it; none when anonymous.")
    anonymous = serializers.BooleanField(
        required=False, help_text="The author asked not to be named: no person is recorded."
    )
    touchpoint = touchpoint(
        help_text="The contact it came with; without one, a touchpoint is logged for it (needs `channel`)."
    )
    request = ScopedIdField(
        model=ServiceRequest,
        scope=request_scope,
        required=False,
        allow_null=True,
        help_text="The account's request it is about.",
    )
    channel = NamedChoiceField(
        Channel, required=False, help_text="How it came in, when no `touchpoint` is given."
    )
    received_at = serializers.DateTimeField(
        required=False, help_text="When it came in (with its time zone); defaults to now, never later."
    )


class FeedbackTransitionInput(InputSerializer):
    to_status = NamedChoiceField(FeedbackStatus, help_text="The status to move to.")
    response = serializers.CharField(
        required=False, allow_blank=True, help_text="What was answered to the author; answering needs it."
    )
    at = serializers.DateTimeField(required=False, help_text="When it happened; defaults to now.")


@extend_schema_serializer(component_name="Feedback")
class FeedbackOutput(serializers.ModelSerializer):
    kind = NamedChoiceField(FeedbackKind, read_only=True)
    source = NamedChoiceField(FeedbackSource, read_only=True)
    status = NamedChoiceField(FeedbackStatus, read_only=True)
    allowed_transitions = serializers.SerializerMethodField(
        help_text="The statuses it may move to from its current one."
    )

    class Meta:
        model = Feedback
        fields = [
            "id",
            "organization",
            "touchpoint",
            "stakeholder",
            "request",
            "kind",
            "source",
            "anonymous",
            "sentiment",
            "text",
            "status",
            "allowed_transitions",
            "received_at",
            "acknowledged_by",
            "acknowledged_at",
            "response",
            "responded_at",
            "closed_at",
            "created_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=NamedChoiceField(FeedbackStatus)))
    def get_allowed_transitions(self, feedback: Feedback) -> list[str]:
        return [str(status) for status in FEEDBACK_TRANSITIONS[feedback.status]]


# --- moments of truth -----------------------------------------------------------------------------


class MomentReviewInput(InputSerializer):
    polarity = NamedChoiceField(MomentPolarity, help_text="Did it make (positive) or break (negative) it?")
    recovered = serializers.BooleanField(
        required=False,
        allow_null=True,
        help_text="Negative moments only: was it turned round? Leave it out (null) for a positive one.",
    )
    notes = serializers.CharField(required=False, allow_blank=True, help_text="What happened, what we learn.")
    follow_up = serializers.CharField(
        required=False, allow_blank=True, help_text="What we do next, and who does it."
    )


@extend_schema_serializer(component_name="MomentReview")
class MomentReviewOutput(serializers.ModelSerializer):
    polarity = NamedChoiceField(MomentPolarity, read_only=True)

    class Meta:
        model = MomentReview
        fields = ["touchpoint", "polarity", "recovered", "notes", "follow_up", "reviewed_by", "reviewed_at"]
        read_only_fields = fields


@extend_schema_serializer(component_name="MomentOfTruth")
class MomentOutput(serializers.ModelSerializer):
    """A touchpoint flagged as a moment of truth, with its review (null until reviewed)."""

    step = NamedChoiceField(JourneyStep, read_only=True)
    channel = NamedChoiceField(Channel, read_only=True)
    review = serializers.SerializerMethodField()

    class Meta:
        model = Touchpoint
        fields = [
            "id",
            "organization",
            "journey",
            "stakeholder",
            "step",
            "channel",
            "kind",
            "sentiment",
            "summary",
            "occurred_at",
            "review",
        ]
        read_only_fields = fields

    @extend_schema_field(MomentReviewOutput(allow_null=True))
    def get_review(self, touchpoint: Touchpoint) -> dict[str, Any] | None:
        try:
            review = touchpoint.moment_review
        except MomentReview.DoesNotExist:
            return None
        return MomentReviewOutput(review).data


# --- communities ----------------------------------------------------------------------------------


class CommunityUpdateInput(InputSerializer):
    name = serializers.CharField(max_length=160, required=False, help_text="Unique within the account.")
    origin = NamedChoiceField(CommunityOrigin, required=False, help_text="Who set it up.")
    platform = serializers.CharField(
        max_length=120, required=False, allow_blank=True, help_text="Where it meets, e.g. a forum."
    )
    language = serializers.CharField(max_length=60, required=False, allow_blank=True)
    is_open = serializers.BooleanField(required=False, help_text="Any user of the consumer may join.")
    description = serializers.CharField(required=False, allow_blank=True)


class CommunityCreateInput(CommunityUpdateInput):
    organization = ScopedIdField(model=Organization, scope=organization_scope, help_text="The consumer.")
    name = serializers.CharField(max_length=160, help_text="Unique within the account.")


def _member_scope(user):
    return CommunityMember.objects.filter(community__organization__in=organization_scope(user))


class MemberUpdateInput(InputSerializer):
    role = NamedChoiceField(MemberRole, required=False, help_text="member by default.")
    activities = serializers.ListField(
        child=NamedChoiceField(SuperUserActivity),
        required=False,
        allow_null=True,
        help_text="Super-user roles only: what they do for the community (the whole list).",
    )
    time_allocation_pct = serializers.IntegerField(
        min_value=0,
        max_value=100,
        required=False,
        allow_null=True,
        help_text="Super-user roles only: the share of their time agreed, 0–100 %.",
    )
    backup = ScopedIdField(
        model=CommunityMember,
        scope=_member_scope,
        required=False,
        allow_null=True,
        help_text="Super-user roles only: id of another member of the community who stands in.",
    )
    joined_on = serializers.DateField(required=False, allow_null=True)
    notes = serializers.CharField(max_length=500, required=False, allow_blank=True)


class MemberCreateInput(MemberUpdateInput):
    stakeholder = ScopedIdField(
        model=Stakeholder, scope=stakeholder_scope, help_text="Id of one of the account's people."
    )


@extend_schema_serializer(component_name="CommunityMember")
class MemberOutput(serializers.ModelSerializer):
    role = NamedChoiceField(MemberRole, read_only=True)
    stakeholder_name = serializers.CharField(source="stakeholder.name", read_only=True)
    is_super_user = serializers.BooleanField(
        read_only=True, help_text="A super-user, guru or expert, or moderator."
    )
    activities = serializers.ListField(child=NamedChoiceField(SuperUserActivity), read_only=True)

    class Meta:
        model = CommunityMember
        fields = [
            "id",
            "community",
            "stakeholder",
            "stakeholder_name",
            "role",
            "is_super_user",
            "activities",
            "time_allocation_pct",
            "backup",
            "joined_on",
            "notes",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


@extend_schema_serializer(component_name="UserCommunity")
class CommunityOutput(serializers.ModelSerializer):
    """A community with its coverage by super-users (counted by community_list / community_get)."""

    origin = NamedChoiceField(CommunityOrigin, read_only=True)
    member_count = serializers.IntegerField(read_only=True)
    super_user_count = serializers.IntegerField(
        read_only=True, help_text="Members in a super-user role (super-user, guru or expert, moderator)."
    )
    backed_up_count = serializers.IntegerField(read_only=True, help_text="Super-users with a back-up.")
    allocation_total = serializers.IntegerField(
        read_only=True, help_text="Super-users' agreed shares of time added up (100 = one full-time person)."
    )

    class Meta:
        model = UserCommunity
        fields = [
            "id",
            "organization",
            "name",
            "origin",
            "platform",
            "language",
            "is_open",
            "description",
            "member_count",
            "super_user_count",
            "backed_up_count",
            "allocation_total",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def to_representation(self, community: UserCommunity) -> dict[str, Any]:
        data = super().to_representation(community)
        data["allocation_total"] = data["allocation_total"] or 0
        return data


@extend_schema_serializer(component_name="UserCommunityDetail")
class CommunityDetailOutput(CommunityOutput):
    members = MemberOutput(many=True, read_only=True, help_text="By name.")

    class Meta(CommunityOutput.Meta):
        fields = [*CommunityOutput.Meta.fields, "members"]
        read_only_fields = fields
