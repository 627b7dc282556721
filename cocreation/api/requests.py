"""REST API of service requests and user queries (/api/v1/co-create/requests/...): list with filters
(for a desk tool or an incremental sync), open one, read one with its SLA clocks, change it, move it
through its lifecycle and add notes to its history.

The conventions of journeys/api.py and onboarding/api/: one class per URL, input and output serializers
apart (cocreation/api/serializers.py), reads through the selectors (a request of an account the caller
may not see is a 404), writes through the services (which name the field of any bad input and save
nothing), errors in the one envelope. A move the lifecycle does not allow answers 409
`transition_not_allowed` naming `to_status`.

Every request carries its clocks as they stand at the moment of the answer. Read on its own, a running
clock's business time left is worked out in its target's calendar (`precise`); lists read the stored
instants only (a running clock's `remaining_seconds` is null there, its `due_at` says it).
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_field
from rest_framework import exceptions, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cocreation import selectors, services
from cocreation.api.serializers import (
    RequestCreateInput,
    RequestDetailOutput,
    RequestNoteInput,
    RequestOutput,
    RequestTransitionInput,
    RequestUpdateInput,
    RequestUpdateOutput,
)
from cocreation.models import Priority, RequestKind, RequestStatus, ServiceRequest
from journeys.api import IDEMPOTENCY_PARAMETER, READ_ERRORS, WRITE_ERRORS, ListApi
from journeys.api_base import SyncSelectorFilterSet, parse_updated_since, validated
from journeys.idempotency import idempotent
from journeys.models import JourneyStep
from journeys.serializers import ErrorOutput

__all__: list[str] = []

REPLAY_ERRORS = {422: ErrorOutput}
TAGS = ["co-create requests"]


# --- examples -------------------------------------------------------------------------------------

CLOCK_EXAMPLE = {
    "kind": "resolution",
    "state": "warning",
    "label": "1 h 30 min of business time left",
    "target": 31,
    "target_name": "Resolution within 16 business hours",
    "started_at": "2026-11-16T14:00:00Z",
    "warning_at": "2026-11-18T10:00:00Z",
    "due_at": "2026-11-18T14:00:00Z",
    "stopped_at": None,
    "breached_at": None,
    "limit_seconds": 57600,
    "elapsed_seconds": 52200,
    "remaining_seconds": 5400,
    "percent_used": 91,
}
REQUEST_EXAMPLE = {
    "id": 42,
    "reference": "REQ-000042",
    "organization": 4,
    "journey": 9,
    "requester": 17,
    "touchpoint": 311,
    "agreement": 12,
    "step": "co_create",
    "kind": "incident",
    "title": "Depot tablets cannot print booking slips",
    "description": "Since this morning's update, every print ends with an empty page.",
    "channel": "telephone",
    "impact": 2,
    "urgency": 1,
    "priority": 2,
    "status": "in_progress",
    "allowed_transitions": ["waiting_on_customer", "resolved"],
    "is_open": True,
    "assignee": 5,
    "opened_at": "2026-11-16T14:00:00Z",
    "responded_at": "2026-11-16T14:20:00Z",
    "resolved_at": None,
    "closed_at": None,
    "reopened_count": 0,
    "resolution": "",
    "external_id": "",
    "created_by": 5,
    "clock_state": "warning",
    "clocks": [
        {
            **CLOCK_EXAMPLE,
            "kind": "response",
            "state": "met",
            "label": "Met, 3 h 40 min before the limit",
            "target": 30,
            "target_name": "First response within 4 business hours",
            "warning_at": "2026-11-16T17:00:00Z",
            "due_at": "2026-11-17T09:00:00Z",
            "stopped_at": "2026-11-16T14:20:00Z",
            "limit_seconds": 14400,
            "elapsed_seconds": 1200,
            "remaining_seconds": None,
            "percent_used": 8,
        },
        CLOCK_EXAMPLE,
    ],
    "created_at": "2026-11-16T14:00:05Z",
    "updated_at": "2026-11-16T14:20:00Z",
}
REQUEST_DETAIL_EXAMPLE = {
    **REQUEST_EXAMPLE,
    "pauses": [],
    "updates": [
        {
            "id": 901,
            "request": 42,
            "occurred_at": "2026-11-16T14:00:00Z",
            "author": 5,
            "from_status": "",
            "to_status": "new",
            "note": "Opened.",
            "created_at": "2026-11-16T14:00:05Z",
        },
        {
            "id": 902,
            "request": 42,
            "occurred_at": "2026-11-16T14:20:00Z",
            "author": 5,
            "from_status": "new",
            "to_status": "in_progress",
            "note": "Reproduced on a depot tablet.",
            "created_at": "2026-11-16T14:20:01Z",
        },
    ],
}
NOT_ALLOWED_MESSAGE = "A request that is new cannot move to “resolved”; it can move to “in progress”."
NOT_ALLOWED = OpenApiExample(
    "A move that skips the lifecycle",
    status_codes=["409"],
    response_only=True,
    value={
        "error": {
            "code": "transition_not_allowed",
            "message": NOT_ALLOWED_MESSAGE,
            "fields": {"to_status": [NOT_ALLOWED_MESSAGE]},
        }
    },
)


# --- filters --------------------------------------------------------------------------------------


class RequestFilter(SyncSelectorFilterSet):
    """Validated like any filter set (a bad value answers 400 naming it); the rows come from
    cocreation.selectors.request_list with every filter at once."""

    status = django_filters.ChoiceFilter(
        choices=[("open", "Open (new, in progress or waiting on customer)"), *RequestStatus.choices],
        method="keep",
        help_text="A status, or `open` for new, in progress and waiting on customer together.",
    )
    kind = django_filters.ChoiceFilter(choices=RequestKind.choices, method="keep")
    priority = django_filters.TypedChoiceFilter(choices=Priority.choices, coerce=int, method="keep")
    assignee = django_filters.CharFilter(method="filter_assignee")
    step = django_filters.ChoiceFilter(choices=JourneyStep.choices, method="keep")
    clock = django_filters.ChoiceFilter(
        choices=[
            ("breached", "A clock breached"),
            ("warning", "A clock past its warning, not breached"),
            ("paused", "A clock paused (waiting on the customer)"),
        ],
        method="keep",
        help_text="Requests with a clock in that state now.",
    )

    @extend_schema_field(
        {"type": "string", "description": "`me`, `none` (unassigned) or the user id of the assignee."}
    )
    def filter_assignee(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        data = self.form.cleaned_data
        user = self.request.user
        arguments: dict[str, Any] = {
            "status": data.get("status") or "",
            "kind": data.get("kind") or "",
            "priority": data.get("priority") or None,
            "step": data.get("step") or "",
            "clock": data.get("clock") or "",
        }
        assignee = (data.get("assignee") or "").strip()
        if assignee == "me":
            arguments["assignee"] = user
        elif assignee == "none":
            arguments["unassigned"] = True
        elif assignee:
            if not assignee.isdigit():
                raise exceptions.ValidationError({"assignee": ["Use `me`, `none` or a user id."]})
            arguments["assignee"] = int(assignee)
        if data.get("organization") is not None:
            arguments["organization"] = int(data["organization"])
        rows = selectors.request_list(user=user, **arguments)
        since = parse_updated_since(data.get("updated_since"))
        if since is not None:
            rows = rows.filter(updated_at__gte=since)
        return rows


# --- views ----------------------------------------------------------------------------------------


def _answer(request: Request, service_request: ServiceRequest, *, status_code: int = status.HTTP_200_OK):
    """The request read again with its clocks worked out to the second, as the caller may see it."""
    found = selectors.request_get(user=request.user, pk=service_request.pk)
    return Response(RequestDetailOutput(found).data, status=status_code)


@extend_schema(tags=TAGS)
class RequestCollectionApi(ListApi):
    serializer_class = RequestOutput
    filterset_class = RequestFilter

    def get_queryset(self) -> QuerySet:
        return selectors.request_scope(self.request.user)

    def list(self, request: Request, *args, **kwargs) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        selectors.with_clock_list(page, now=timezone.now())
        return self.get_paginated_response(RequestOutput(page, many=True).data)

    @extend_schema(
        summary="List requests and user queries",
        description="The requests of the accounts you may see, each with its SLA clocks as they stand "
        "now, oldest change first, one cursor page at a time (follow `next`). Filter by `status` (or "
        "`open`), `kind`, `priority`, `assignee` (`me`, `none` or a user id), `organization`, `step`, "
        "`clock` (`breached`, `warning`, `paused`: a clock in that state now) and `updated_since`. "
        "In lists a running clock's `remaining_seconds` is null (its `due_at` says when it runs out); "
        "read the request on its own for the business time left.",
        responses={200: RequestOutput(many=True), **READ_ERRORS},
        examples=[
            OpenApiExample("An incident close to its limit", value=REQUEST_EXAMPLE, response_only=True)
        ],
    )
    def get(self, request: Request) -> Response:
        return super().get(request)

    @extend_schema(
        summary="Open a request",
        description="A new request of a consumer. Its priority follows from `impact` and `urgency` "
        "(1 high to 3 low: P1 for high and high, P5 for low and low). Its response and resolution "
        "clocks start from the request-clock targets of `agreement`, or of the account's first active "
        "agreement that has them, counted in the target's business hours. A person, journey or "
        "touchpoint of another account is refused naming the field; nothing is saved.",
        parameters=[IDEMPOTENCY_PARAMETER],
        request=RequestCreateInput,
        responses={201: RequestDetailOutput, **WRITE_ERRORS, **REPLAY_ERRORS},
        examples=[
            OpenApiExample(
                "An incident by phone",
                request_only=True,
                value={
                    "organization": 4,
                    "title": "Depot tablets cannot print booking slips",
                    "kind": "incident",
                    "impact": 2,
                    "urgency": 1,
                    "channel": "telephone",
                    "requester": 17,
                    "assignee": 5,
                },
            ),
            OpenApiExample(
                "Impact out of range",
                status_codes=["400"],
                response_only=True,
                value={
                    "error": {
                        "code": "invalid",
                        "message": 'impact: "7" is not a valid choice.',
                        "fields": {"impact": ['"7" is not a valid choice.']},
                    }
                },
            ),
        ],
    )
    @idempotent
    def post(self, request: Request) -> Response:
        data = validated(RequestCreateInput, request)
        opened = services.request_open(actor=request.user, **data)
        return _answer(request, opened, status_code=status.HTTP_201_CREATED)


@extend_schema(tags=TAGS)
class RequestItemApi(APIView):
    @extend_schema(
        summary="Get a request",
        description="One request with its clocks worked out to the second in their targets' calendars "
        "(`remaining_seconds` in business seconds while running or paused), the stretches its clocks "
        "stood still, and its history.",
        responses={200: RequestDetailOutput, **READ_ERRORS},
        examples=[
            OpenApiExample("An incident close to its limit", value=REQUEST_DETAIL_EXAMPLE, response_only=True)
        ],
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(RequestDetailOutput(selectors.request_get(user=request.user, pk=pk)).data)

    @extend_schema(
        summary="Change a request",
        description="What it is about, its kind, channel, impact and urgency (the priority follows), its "
        "assignee (null: unassigned) or requester. Its status changes with a transition. Each change "
        "is written to its history.",
        request=RequestUpdateInput,
        responses={200: RequestDetailOutput, **WRITE_ERRORS},
        examples=[
            OpenApiExample("Escalate and assign", request_only=True, value={"impact": 1, "assignee": 5}),
        ],
    )
    def patch(self, request: Request, pk: int) -> Response:
        found = selectors.request_get(user=request.user, pk=pk)
        data = validated(RequestUpdateInput, request, partial=True)
        return _answer(request, services.request_update(actor=request.user, request=found, **data))


@extend_schema(tags=TAGS)
class RequestTransitionApi(APIView):
    @extend_schema(
        summary="Move a request through its lifecycle",
        description="new → in_progress → waiting_on_customer ⇄ in_progress → resolved → closed; a "
        "resolved or closed request may be reopened (back to in_progress). The first move out of new "
        "is the first response (it stops the response clock); waiting on the customer pauses the "
        "clocks; resolving needs a `note` (the resolution) and stops the resolution clock. `at` dates "
        "the change (not before the last one). A move that skips the lifecycle answers 409 "
        "`transition_not_allowed` naming `to_status`.",
        parameters=[IDEMPOTENCY_PARAMETER],
        request=RequestTransitionInput,
        responses={200: RequestDetailOutput, **WRITE_ERRORS, **REPLAY_ERRORS},
        examples=[
            OpenApiExample("Take it on", request_only=True, value={"to_status": "in_progress"}),
            OpenApiExample(
                "Resolve",
                request_only=True,
                value={
                    "to_status": "resolved",
                    "note": "Printer driver rolled back on the depot tablets.",
                    "at": "2026-11-17T10:15:00Z",
                },
            ),
            NOT_ALLOWED,
        ],
    )
    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        found = selectors.request_get(user=request.user, pk=pk)
        data = validated(RequestTransitionInput, request)
        moved = services.request_transition(
            actor=request.user,
            request=found,
            to_status=data["to_status"],
            note=data.get("note", ""),
            at=data.get("at"),
        )
        return _answer(request, moved)


@extend_schema(tags=TAGS)
class RequestNotesApi(APIView):
    @extend_schema(
        summary="Add a note to a request",
        description="A line in its history without a status change (e.g. a call back without an "
        "answer). The request's history is in `updates` when it is read.",
        parameters=[IDEMPOTENCY_PARAMETER],
        request=RequestNoteInput,
        responses={201: RequestUpdateOutput, **WRITE_ERRORS, **REPLAY_ERRORS},
        examples=[
            OpenApiExample("A call back", request_only=True, value={"note": "Called back, no answer."}),
        ],
    )
    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        found = selectors.request_get(user=request.user, pk=pk)
        data = validated(RequestNoteInput, request)
        update = services.request_comment(actor=request.user, request=found, note=data["note"])
        return Response(RequestUpdateOutput(update).data, status=status.HTTP_201_CREATED)


urlpatterns = [
    path("co-create/requests/", RequestCollectionApi.as_view(), name="api_cocreate_requests"),
    path("co-create/requests/<int:pk>/", RequestItemApi.as_view(), name="api_cocreate_request"),
    path(
        "co-create/requests/<int:pk>/transition/",
        RequestTransitionApi.as_view(),
        name="api_cocreate_request_transition",
    ),
    path("co-create/requests/<int:pk>/notes/", RequestNotesApi.as_view(), name="api_cocreate_request_notes"),
]
