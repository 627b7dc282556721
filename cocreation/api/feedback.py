"""REST API of feedback and moments of truth (/api/v1/co-create/...): list feedback (for a desk tool or
an incremental sync), record it, read it, move it through its handling (acknowledged, answered,
closed); list the moments of truth and review one.

The conventions of cocreation/api/requests.py. Feedback without a touchpoint logs one for it (on the
`channel` it came by); anonymous feedback records no person. A move that skips a step answers 409
`transition_not_allowed` naming `to_status`; a sentiment outside −2..+2 is refused naming `sentiment`.
A moment's review is one per touchpoint: saving it again replaces it.
"""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.urls import path
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_field
from rest_framework import exceptions, status
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cocreation import selectors, services
from cocreation.api.requests import REPLAY_ERRORS, validated
from cocreation.api.serializers import (
    FeedbackCreateInput,
    FeedbackOutput,
    FeedbackTransitionInput,
    MomentOutput,
    MomentReviewInput,
)
from cocreation.models import Feedback, FeedbackKind, FeedbackSource, FeedbackStatus, MomentPolarity
from journeys.api import IDEMPOTENCY_PARAMETER, READ_ERRORS, WRITE_ERRORS, ListApi
from journeys.api_base import SelectorFilterSet, SyncSelectorFilterSet, parse_updated_since
from journeys.idempotency import idempotent
from journeys.models import JourneyStep
from journeys.selectors import touchpoint_get

__all__: list[str] = []

TAGS = ["co-create feedback"]
MOMENT_TAGS = ["co-create moments of truth"]

FEEDBACK_EXAMPLE = {
    "id": 77,
    "organization": 4,
    "touchpoint": 312,
    "stakeholder": 17,
    "request": 42,
    "kind": "complaint",
    "source": "user",
    "anonymous": False,
    "sentiment": -2,
    "text": "Third failed print this week; drivers wait at the counter.",
    "status": "acknowledged",
    "allowed_transitions": ["responded"],
    "received_at": "2026-11-17T08:10:00Z",
    "acknowledged_by": 5,
    "acknowledged_at": "2026-11-17T08:30:00Z",
    "response": "",
    "responded_at": None,
    "closed_at": None,
    "created_by": 5,
    "created_at": "2026-11-17T08:10:02Z",
    "updated_at": "2026-11-17T08:30:00Z",
}
SENTIMENT_MESSAGE = "Ensure this value is less than or equal to 2."
MOMENT_EXAMPLE = {
    "id": 312,
    "organization": 4,
    "journey": 9,
    "stakeholder": 17,
    "step": "co_create",
    "channel": "telephone",
    "kind": "complaint",
    "sentiment": -2,
    "summary": "Drivers waited at the counter while slips would not print.",
    "occurred_at": "2026-11-17T08:10:00Z",
    "review": {
        "touchpoint": 312,
        "polarity": "negative",
        "recovered": True,
        "notes": "A same-day fix and a call from the account manager turned it round.",
        "follow_up": "Test printing on a depot tablet before every release (desk lead).",
        "reviewed_by": 2,
        "reviewed_at": "2026-11-18T09:00:00Z",
    },
}


# --- feedback -------------------------------------------------------------------------------------


class FeedbackFilter(SyncSelectorFilterSet):
    """Validated like any filter set; the rows come from cocreation.selectors.feedback_list."""

    status = django_filters.ChoiceFilter(
        choices=[("open", "Open (not closed)"), *FeedbackStatus.choices],
        method="keep",
        help_text="A status, or `open` for everything not closed yet.",
    )
    kind = django_filters.ChoiceFilter(choices=FeedbackKind.choices, method="keep")
    source = django_filters.ChoiceFilter(choices=FeedbackSource.choices, method="keep")
    request = django_filters.NumberFilter(method="filter_request")

    @extend_schema_field({"type": "integer", "description": "Id of the request it is about."})
    def filter_request(self, queryset: QuerySet, name: str, value: int) -> QuerySet:
        return queryset

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        data = self.form.cleaned_data
        organization = data.get("organization")
        rows = selectors.feedback_list(
            user=self.request.user,
            status=data.get("status") or "",
            kind=data.get("kind") or "",
            organization=int(organization) if organization is not None else None,
        )
        if data.get("source"):
            rows = rows.filter(source=data["source"])
        if data.get("request") is not None:
            rows = rows.filter(request_id=int(data["request"]))
        since = parse_updated_since(data.get("updated_since"))
        if since is not None:
            rows = rows.filter(updated_at__gte=since)
        return rows


def _answer(request: Request, feedback: Feedback, *, status_code: int = status.HTTP_200_OK) -> Response:
    found = selectors.feedback_get(user=request.user, pk=feedback.pk)
    return Response(FeedbackOutput(found).data, status=status_code)


@extend_schema(tags=TAGS)
class FeedbackCollectionApi(ListApi):
    serializer_class = FeedbackOutput
    filterset_class = FeedbackFilter

    def get_queryset(self) -> QuerySet:
        return selectors.feedback_scope(self.request.user)

    @extend_schema(
        summary="List feedback",
        description="Complaints, compliments, suggestions and comments of the accounts you may see, "
        "oldest change first, one cursor page at a time. Filter by `status` (or `open`), `kind`, "
        "`source`, `organization`, `request` and `updated_since`.",
        responses={200: FeedbackOutput(many=True), **READ_ERRORS},
        examples=[OpenApiExample("A complaint taken on", value=FEEDBACK_EXAMPLE, response_only=True)],
    )
    def get(self, request: Request) -> Response:
        return super().get(request)

    @extend_schema(
        summary="Record feedback",
        description="Feedback from a consumer, linked to the touchpoint it came with or, without one, "
        "to a touchpoint logged for it on `channel` (with the same sentiment). Anonymous feedback "
        "names no person. A person, touchpoint or request of another account is refused naming the "
        "field; a sentiment outside −2..+2 naming `sentiment`. Nothing is saved on an error.",
        parameters=[IDEMPOTENCY_PARAMETER],
        request=FeedbackCreateInput,
        responses={201: FeedbackOutput, **WRITE_ERRORS, **REPLAY_ERRORS},
        examples=[
            OpenApiExample(
                "A complaint by phone",
                request_only=True,
                value={
                    "organization": 4,
                    "kind": "complaint",
                    "text": "Third failed print this week; drivers wait at the counter.",
                    "sentiment": -2,
                    "stakeholder": 17,
                    "request": 42,
                    "channel": "telephone",
                },
            ),
            OpenApiExample(
                "Sentiment out of range",
                status_codes=["400"],
                response_only=True,
                value={
                    "error": {
                        "code": "invalid",
                        "message": f"sentiment: {SENTIMENT_MESSAGE}",
                        "fields": {"sentiment": [SENTIMENT_MESSAGE]},
                    }
                },
            ),
        ],
    )
    @idempotent
    def post(self, request: Request) -> Response:
        data = validated(FeedbackCreateInput, request)
        feedback = services.feedback_create(actor=request.user, **data)
        return _answer(request, feedback, status_code=status.HTTP_201_CREATED)


@extend_schema(tags=TAGS)
class FeedbackItemApi(APIView):
    @extend_schema(
        summary="Get feedback",
        responses={200: FeedbackOutput, **READ_ERRORS},
        examples=[OpenApiExample("A complaint taken on", value=FEEDBACK_EXAMPLE, response_only=True)],
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(FeedbackOutput(selectors.feedback_get(user=request.user, pk=pk)).data)


@extend_schema(tags=TAGS)
class FeedbackTransitionApi(APIView):
    @extend_schema(
        summary="Move feedback through its handling",
        description="received → acknowledged (your name is recorded) → responded (needs the `response` "
        "given to the author) → closed; an answer that did not satisfy goes back to acknowledged. A "
        "move that skips a step answers 409 `transition_not_allowed` naming `to_status`.",
        parameters=[IDEMPOTENCY_PARAMETER],
        request=FeedbackTransitionInput,
        responses={200: FeedbackOutput, **WRITE_ERRORS, **REPLAY_ERRORS},
        examples=[
            OpenApiExample("Take it on", request_only=True, value={"to_status": "acknowledged"}),
            OpenApiExample(
                "Answer",
                request_only=True,
                value={
                    "to_status": "responded",
                    "response": "Fixed in Monday's release; sorry for the wait.",
                },
            ),
            OpenApiExample(
                "A step skipped",
                status_codes=["409"],
                response_only=True,
                value={
                    "error": {
                        "code": "transition_not_allowed",
                        "message": "Feedback that is received cannot move to “closed”; it can move to "
                        "“acknowledged”.",
                        "fields": {
                            "to_status": [
                                "Feedback that is received cannot move to “closed”; it can move to "
                                "“acknowledged”."
                            ]
                        },
                    }
                },
            ),
        ],
    )
    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        feedback = selectors.feedback_get(user=request.user, pk=pk)
        data = validated(FeedbackTransitionInput, request)
        moved = services.feedback_transition(
            actor=request.user,
            feedback=feedback,
            to_status=data["to_status"],
            response=data.get("response", ""),
            at=data.get("at"),
        )
        return _answer(request, moved)


# --- moments of truth -----------------------------------------------------------------------------


class NewestMomentsFirst(CursorPagination):
    """Moments of truth newest first (a review does not change the touchpoint's place)."""

    ordering = ("-occurred_at", "-id")
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


class MomentFilter(SelectorFilterSet):
    reviewed = django_filters.ChoiceFilter(
        choices=[("yes", "yes"), ("no", "no"), ("any", "any")],
        method="keep",
        help_text="`no`: still to review; `yes`: reviewed; `any` (the default).",
    )
    polarity = django_filters.ChoiceFilter(
        choices=MomentPolarity.choices,
        method="keep",
        help_text="Reviewed as such or, not reviewed yet, with a negative (positive) sentiment.",
    )
    step = django_filters.ChoiceFilter(choices=JourneyStep.choices, method="keep")
    days = django_filters.NumberFilter(method="filter_days")

    @extend_schema_field({"type": "integer", "minimum": 1, "description": "The last so many days."})
    def filter_days(self, queryset: QuerySet, name: str, value: int) -> QuerySet:
        return queryset

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        data = self.form.cleaned_data
        days, organization = data.get("days"), data.get("organization")
        if days is not None and (days < 1 or days != int(days)):
            raise exceptions.ValidationError({"days": ["Give a whole number of days, 1 or more."]})
        return selectors.moments_of_truth(
            user=self.request.user,
            reviewed=data.get("reviewed") or "any",
            polarity=data.get("polarity") or "",
            step=data.get("step") or "",
            organization=int(organization) if organization is not None else None,
            days=int(days) if days is not None else None,
        )


@extend_schema(tags=MOMENT_TAGS)
class MomentCollectionApi(ListApi):
    serializer_class = MomentOutput
    filterset_class = MomentFilter
    pagination_class = NewestMomentsFirst

    def get_queryset(self) -> QuerySet:
        return selectors.moments_of_truth(user=self.request.user)

    @extend_schema(
        summary="List moments of truth",
        description="Touchpoints flagged as moments of truth in the accounts you may see, newest first, "
        "each with its review (null until reviewed), one cursor page at a time. Filter by `reviewed` "
        "(`no` for those still to review), `polarity`, `step`, `organization` and `days`.",
        responses={200: MomentOutput(many=True), **READ_ERRORS},
        examples=[OpenApiExample("A moment recovered", value=MOMENT_EXAMPLE, response_only=True)],
    )
    def get(self, request: Request) -> Response:
        return super().get(request)


def _moment_answer(request: Request, pk: int, *, status_code: int = status.HTTP_200_OK) -> Response:
    return Response(MomentOutput(selectors.moment_get(user=request.user, pk=pk)).data, status=status_code)


def _save_review(request: Request, pk: int) -> Response:
    touchpoint = touchpoint_get(user=request.user, pk=pk)
    data = validated(MomentReviewInput, request)
    existed = hasattr(touchpoint, "moment_review")
    services.moment_review_save(actor=request.user, touchpoint=touchpoint, **data)
    return _moment_answer(request, pk, status_code=status.HTTP_200_OK if existed else status.HTTP_201_CREATED)


REVIEW_EXAMPLES = [
    OpenApiExample(
        "Broken, then turned round",
        request_only=True,
        value={
            "polarity": "negative",
            "recovered": True,
            "notes": "A same-day fix and a call from the account manager turned it round.",
            "follow_up": "Test printing on a depot tablet before every release (desk lead).",
        },
    ),
    OpenApiExample("It made the day", request_only=True, value={"polarity": "positive"}),
]
REVIEW_DESCRIPTION = (
    "Whether the moment made (positive) or broke (negative) the experience and, for a negative one, "
    "whether it was recovered (`recovered` stays empty for a positive one, or it is refused naming the "
    "field). A touchpoint has one review: saving again replaces it (200), the first save answers 201. "
    "A touchpoint not flagged as a moment of truth is refused naming `touchpoint`."
)


@extend_schema(tags=MOMENT_TAGS)
class MomentReviewApi(APIView):
    @extend_schema(
        summary="Get a moment of truth with its review",
        responses={200: MomentOutput, **READ_ERRORS},
        examples=[OpenApiExample("A moment recovered", value=MOMENT_EXAMPLE, response_only=True)],
    )
    def get(self, request: Request, pk: int) -> Response:
        return _moment_answer(request, pk)

    @extend_schema(
        summary="Review a moment of truth",
        description=REVIEW_DESCRIPTION,
        request=MomentReviewInput,
        responses={200: MomentOutput, 201: MomentOutput, **WRITE_ERRORS},
        examples=REVIEW_EXAMPLES,
    )
    def put(self, request: Request, pk: int) -> Response:
        return _save_review(request, pk)

    @extend_schema(
        summary="Review a moment of truth (with an idempotency key)",
        description=f"As PUT, for clients that retry with an `Idempotency-Key`. {REVIEW_DESCRIPTION}",
        parameters=[IDEMPOTENCY_PARAMETER],
        request=MomentReviewInput,
        responses={200: MomentOutput, 201: MomentOutput, **WRITE_ERRORS, **REPLAY_ERRORS},
        examples=REVIEW_EXAMPLES,
    )
    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        return _save_review(request, pk)


urlpatterns = [
    path("co-create/feedback/", FeedbackCollectionApi.as_view(), name="api_cocreate_feedback_list"),
    path("co-create/feedback/<int:pk>/", FeedbackItemApi.as_view(), name="api_cocreate_feedback"),
    path(
        "co-create/feedback/<int:pk>/transition/",
        FeedbackTransitionApi.as_view(),
        name="api_cocreate_feedback_transition",
    ),
    path("co-create/moments/", MomentCollectionApi.as_view(), name="api_cocreate_moments"),
    path("co-create/moments/<int:pk>/review/", MomentReviewApi.as_view(), name="api_cocreate_moment_review"),
]
