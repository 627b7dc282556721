"""REST API of value reviews (/api/v1/realize/value-reviews/...): list them (with filters, or for an
incremental sync), plan one, read one with its lines, actions and figures, change it, enter what was
realized, prepare it again, add and update actions, move it along its lifecycle and record the
customer sponsor's sign-off.

The conventions of cocreation/api/requests.py: one class per URL, input and output serializers apart
(realization/api/review_serializers.py), reads through the selectors (a review of an account the
caller may not see is a 404), writes through the services (which name the field of any bad input and
save nothing), errors in the one envelope. A move the lifecycle does not allow answers 409
`transition_not_allowed` naming `to_status`; any change to a signed-off or cancelled review answers
409 `review_closed`.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.http import Http404
from django.urls import path
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_field
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from journeys.api import IDEMPOTENCY_PARAMETER, READ_ERRORS, WRITE_ERRORS, ListApi
from journeys.api_base import parse_updated_since, validated
from journeys.idempotency import idempotent
from journeys.serializers import ErrorOutput
from realization import selectors, services
from realization.api.review_serializers import (
    ReviewActionInput,
    ReviewActionOutput,
    ReviewActionUpdateInput,
    ReviewCreateInput,
    ReviewDetailOutput,
    ReviewLinesInput,
    ReviewOutput,
    ReviewSignOffInput,
    ReviewTransitionInput,
    ReviewUpdateInput,
)
from realization.models import ReviewAction, ValueReviewStatus

__all__: list[str] = []

REPLAY_ERRORS = {422: ErrorOutput}
TAGS = ["realize value reviews"]


# --- examples -------------------------------------------------------------------------------------

REVIEW_EXAMPLE = {
    "id": 7,
    "organization": 4,
    "agreement": 12,
    "business_case": 3,
    "title": "Value review Jul–Sep 2026: Fleet booking SLA",
    "period_start": "2026-07-01",
    "period_end": "2026-09-30",
    "scheduled_on": "2026-10-14",
    "held_on": "2026-10-14",
    "status": "held",
    "allowed_transitions": ["signed_off", "prepared"],
    "owner": 5,
    "sponsor": 17,
    "participants": "Ana Ferreira (fleet director), Tom Berg (account manager)",
    "next_review_on": None,
    "signed_off_at": None,
    "signed_off_by_name": "",
    "sign_off_note": "",
    "sign_off_recorded_by": None,
    "external_id": "",
    "expected_total": "15123.29",
    "realized_total": "14100.00",
    "open_actions": 1,
    "created_at": "2026-10-01T08:00:00Z",
    "updated_at": "2026-10-14T15:20:00Z",
}
REVIEW_DETAIL_EXAMPLE = {
    **REVIEW_EXAMPLE,
    "analysis": {"targets_met": "Both experience targets met; the outcome target slipped in August."},
    "comments": "Savings slightly behind the case, experience ahead of it.",
    "decisions": "Keep the current targets; look at the August dip together.",
    "figures": {
        "months": 3,
        "nps": "22.0",
        "csat_pct": "81.3",
        "csat_mean": "4.05",
        "ces_mean": "5.40",
        "response_rate": "38.5",
        "sla_compliance": "96.0",
        "sentiment_avg": "0.41",
        "case": {"id": 3, "year_zero": "2026-03-01", "year_zero_basis": "agreement_start"},
        "targets": {"31": {"periods": 3, "met": 2, "at_risk": 0, "breached": 1, "aggregation": "average"}},
    },
    "totals": {
        "lines": 2,
        "missing": 1,
        "expected": "15123.29",
        "compared": "12602.74",
        "realized": "14100.00",
        "variance": "1497.26",
        "variance_pct": "11.9",
    },
    "benefits": [
        {
            "id": 101,
            "benefit_line": 44,
            "description": "Fewer hours lost to outages",
            "benefit_type": "cost_reduction",
            "indicator": "Hours of downtime per month",
            "expected": "12602.74",
            "realized": "14100.00",
            "variance": "1497.26",
            "variance_pct": "11.9",
            "comment": "Two fewer outages than planned.",
            "position": 0,
            "updated_at": "2026-10-14T15:00:00Z",
        }
    ],
    "targets": [],
    "actions": [],
}
NOT_ALLOWED_MESSAGE = (
    "A review that is planned cannot move to “held”; it can move to “prepared” or “cancelled”."
)
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


class ReviewFilter(django_filters.FilterSet):
    """Validated like any filter set (a bad value answers 400 naming it); the rows come from
    realization.selectors.review_list with every filter at once, so the filters' own methods leave
    the rows as they are (they give the schema each filter's type and meaning)."""

    organization = django_filters.NumberFilter(method="keep", help_text="Id of the consumer account.")
    updated_since = django_filters.CharFilter(method="filter_updated_since")

    status = django_filters.ChoiceFilter(
        choices=[("open", "Open (planned, prepared or held)"), *ValueReviewStatus.choices],
        method="keep",
        help_text="A status, or `open` for planned, prepared and held together.",
    )
    due = django_filters.ChoiceFilter(
        choices=list(selectors.REVIEW_DUE_FILTERS.items()),
        method="keep",
        help_text="`overdue` (the day has passed, not signed off), `upcoming` (planned or prepared, due "
        f"within {selectors.UPCOMING_DAYS} days) or `awaiting_sign_off` (held).",
    )
    agreement = django_filters.NumberFilter(method="keep", help_text="Id of the agreement reviewed.")

    def keep(self, queryset: QuerySet, name: str, value: Any) -> QuerySet:
        return queryset

    @extend_schema_field(
        {"type": "string", "format": "date-time", "description": "Changed at or after this ISO 8601 moment."}
    )
    def filter_updated_since(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        data = self.form.cleaned_data
        rows = selectors.review_list(
            user=self.request.user,
            status=data.get("status") or "",
            due=data.get("due") or "",
            organization=int(data["organization"]) if data.get("organization") is not None else None,
            agreement=int(data["agreement"]) if data.get("agreement") is not None else None,
        )
        since = parse_updated_since(data.get("updated_since"))
        if since is not None:
            rows = rows.filter(updated_at__gte=since)
        return rows


# --- views ----------------------------------------------------------------------------------------


def _answer(request: Request, pk: int, *, status_code: int = status.HTTP_200_OK) -> Response:
    """The review read again, as the caller may see it, with its lines, actions and totals."""
    page = selectors.review_page(user=request.user, pk=pk)
    review = page.review
    review.expected_total = page.totals["expected"]
    review.realized_total = page.totals["realized"]
    review.open_actions = page.open_actions
    data = ReviewDetailOutput(review, context={"request": request, "totals": page.totals}).data
    return Response(data, status=status_code)


def _review(request: Request, pk: int):
    return selectors.review_get(user=request.user, pk=pk)


@extend_schema(tags=TAGS)
class ReviewCollectionApi(ListApi):
    serializer_class = ReviewOutput
    filterset_class = ReviewFilter

    def get_queryset(self) -> QuerySet:
        return selectors.review_scope(self.request.user)

    @extend_schema(
        summary="List value reviews",
        description="The value reviews of the accounts you may see, oldest change first, one cursor page "
        "at a time (follow `next`), each with its benefit totals and open actions. Filter by `status` (or "
        "`open`), `due`, `organization`, `agreement` and `updated_since`.",
        responses={200: ReviewOutput(many=True), **READ_ERRORS},
        examples=[OpenApiExample("A held review", value=REVIEW_EXAMPLE, response_only=True)],
    )
    def get(self, request: Request) -> Response:
        return super().get(request)

    @extend_schema(
        summary="Plan a value review",
        description="A review of an account (and one of its agreements), planned. Left out, the business "
        "case is the account's approved baseline, the day the agreement's next review (else today), the "
        "period the whole months of the agreement's review cadence before that day (a quarter without "
        "one), the sponsor the agreement's customer contact when a sponsor (else the account's most "
        "influential one). A business case that is not an approved baseline of the account, or a person "
        "who is not its sponsor, is refused naming the field; nothing is saved.",
        parameters=[IDEMPOTENCY_PARAMETER],
        request=ReviewCreateInput,
        responses={201: ReviewDetailOutput, **WRITE_ERRORS, **REPLAY_ERRORS},
        examples=[
            OpenApiExample(
                "The next review of an agreement",
                request_only=True,
                value={"organization": 4, "agreement": 12, "scheduled_on": "2026-10-14"},
            ),
            OpenApiExample(
                "Not the sponsor",
                status_codes=["400"],
                response_only=True,
                value={
                    "error": {
                        "code": "invalid",
                        "message": "Tom Berg is not a sponsor of Rentwheel Car Hire: the sign-off is "
                        "the sponsor's. Mark them as sponsor among the account's people first, or choose "
                        "its sponsor.",
                        "fields": {"sponsor": ["Tom Berg is not a sponsor of Rentwheel Car Hire: …"]},
                    }
                },
            ),
        ],
    )
    @idempotent
    def post(self, request: Request) -> Response:
        data = validated(ReviewCreateInput, request)
        planned = services.review_plan(actor=request.user, **data)
        return _answer(request, planned.pk, status_code=status.HTTP_201_CREATED)


@extend_schema(tags=TAGS)
class ReviewItemApi(APIView):
    @extend_schema(
        summary="Get a value review",
        description="One review with its analysis, the period's figures as prepared, its benefit lines "
        "(expected, realized, variance), its target lines (target, achieved, variance, status), the "
        "benefit totals and its actions.",
        responses={200: ReviewDetailOutput, **READ_ERRORS},
        examples=[OpenApiExample("A held review", value=REVIEW_DETAIL_EXAMPLE, response_only=True)],
    )
    def get(self, request: Request, pk: int) -> Response:
        return _answer(request, pk)

    @extend_schema(
        summary="Change a value review",
        description="Its title, days, period, agreement or business case (until it is held; a prepared "
        "review is then prepared again), sponsor, owner, participants, the answers to the analysis "
        "questions (merged by question), the assessment, decisions and the next review. A signed-off "
        "or cancelled review answers 409 `review_closed`.",
        request=ReviewUpdateInput,
        responses={200: ReviewDetailOutput, **WRITE_ERRORS},
        examples=[
            OpenApiExample(
                "Answers after the meeting",
                request_only=True,
                value={
                    "analysis": {
                        "targets_met": "Yes, except the August outage.",
                        "improvements": "None now.",
                    },
                    "decisions": "Keep the targets.",
                },
            )
        ],
    )
    def patch(self, request: Request, pk: int) -> Response:
        found = _review(request, pk)
        data = validated(ReviewUpdateInput, request, partial=True)
        services.review_update(actor=request.user, review=found, **data)
        return _answer(request, pk)


@extend_schema(tags=TAGS)
class ReviewLinesApi(APIView):
    @extend_schema(
        summary="Enter what was realized",
        description="Per benefit line (by `id`) the `realized` amount (null: not known) and a `comment`; "
        "per target line the `achieved` value, its `status` (when left out and `achieved` changes: met "
        "or breached by the target's rule) and a `comment`. Fields left out stay as they are. An error "
        "names the line by its place in the list, e.g. `benefits.0.realized`; nothing is saved.",
        request=ReviewLinesInput,
        responses={200: ReviewDetailOutput, **WRITE_ERRORS},
        examples=[
            OpenApiExample(
                "Realized savings",
                request_only=True,
                value={"benefits": [{"id": 101, "realized": "14100.00", "comment": "Two fewer outages."}]},
            )
        ],
    )
    def patch(self, request: Request, pk: int) -> Response:
        found = _review(request, pk)
        data = validated(ReviewLinesInput, request)
        services.review_lines_update(
            actor=request.user, review=found, benefits=data.get("benefits"), targets=data.get("targets")
        )
        return _answer(request, pk)


@extend_schema(tags=TAGS)
class ReviewPrepareApi(APIView):
    @extend_schema(
        summary="Prepare a value review (again)",
        description="Copies the business case's expected benefits for the period, the agreement's outcome "
        "and experience targets with what their scores achieved, and the period's experience and SLA "
        "figures into a planned review (which becomes prepared), or refreshes them on a prepared one "
        "(realized values and comments entered are kept).",
        parameters=[IDEMPOTENCY_PARAMETER],
        request=None,
        responses={200: ReviewDetailOutput, **WRITE_ERRORS, **REPLAY_ERRORS},
    )
    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        found = _review(request, pk)
        services.review_prepare(actor=request.user, review=found)
        return _answer(request, pk)


@extend_schema(tags=TAGS)
class ReviewTransitionApi(APIView):
    @extend_schema(
        summary="Move a value review through its lifecycle",
        description="planned → prepared (prepares it) → held (the day held defaults to today) → signed "
        "off (with sign-off); planned and prepared may be cancelled (`note` says why); held may go back "
        "to prepared. A move the lifecycle does not allow answers 409 `transition_not_allowed` naming "
        "`to_status`.",
        parameters=[IDEMPOTENCY_PARAMETER],
        request=ReviewTransitionInput,
        responses={200: ReviewDetailOutput, **WRITE_ERRORS, **REPLAY_ERRORS},
        examples=[OpenApiExample("Held", request_only=True, value={"to_status": "held"}), NOT_ALLOWED],
    )
    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        found = _review(request, pk)
        data = validated(ReviewTransitionInput, request)
        services.review_transition(
            actor=request.user, review=found, to_status=data["to_status"], note=data.get("note", "")
        )
        return _answer(request, pk)


@extend_schema(tags=TAGS)
class ReviewSignOffApi(APIView):
    @extend_schema(
        summary="Record the customer sponsor's sign-off",
        description="Signs off a held review: the sponsor (a person of the account marked as sponsor; "
        "defaults to the review's), the name they signed with, when and their note. The review no longer "
        "changes afterwards (its actions can still be marked done). A review of an agreed or active "
        "agreement is recorded as that agreement's review too, with `agreement_outcome`, which plans "
        "the agreement's next review (the review's next review takes that day when none was given).",
        parameters=[IDEMPOTENCY_PARAMETER],
        request=ReviewSignOffInput,
        responses={200: ReviewDetailOutput, **WRITE_ERRORS, **REPLAY_ERRORS},
        examples=[
            OpenApiExample(
                "Signed at the meeting",
                request_only=True,
                value={"sponsor": 17, "signed_off_by_name": "Ana Ferreira", "sign_off_note": "Agreed."},
            )
        ],
    )
    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        found = _review(request, pk)
        data = validated(ReviewSignOffInput, request)
        services.review_sign_off(actor=request.user, review=found, **data)
        return _answer(request, pk)


@extend_schema(tags=TAGS)
class ReviewActionsApi(APIView):
    @extend_schema(
        summary="Add an action to a value review",
        description="What the review decided to do, who follows it up and by when.",
        parameters=[IDEMPOTENCY_PARAMETER],
        request=ReviewActionInput,
        responses={201: ReviewActionOutput, **WRITE_ERRORS, **REPLAY_ERRORS},
        examples=[
            OpenApiExample(
                "An action", request_only=True, value={"description": "Agree a new baseline", "owner": 5}
            )
        ],
    )
    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        found = _review(request, pk)
        data = validated(ReviewActionInput, request)
        action = services.review_action_add(actor=request.user, review=found, **data)
        return Response(ReviewActionOutput(action).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=TAGS)
class ReviewActionItemApi(APIView):
    @extend_schema(
        summary="Change an action of a value review",
        description="Mark it done (or open again), give it another owner, due date or description. Once "
        "the review is signed off only the status still changes.",
        request=ReviewActionUpdateInput,
        responses={200: ReviewActionOutput, **WRITE_ERRORS},
        examples=[OpenApiExample("Done", request_only=True, value={"status": "done"})],
    )
    def patch(self, request: Request, pk: int, action_pk: int) -> Response:
        found = _review(request, pk)
        action = ReviewAction.objects.filter(pk=action_pk, review=found).first()
        if action is None:
            raise Http404("No such action.")
        data = validated(ReviewActionUpdateInput, request, partial=True)
        saved = services.review_action_update(actor=request.user, action=action, **data)
        return Response(ReviewActionOutput(saved).data)


PREFIX = "realize/value-reviews/"
urlpatterns = [
    path(PREFIX, ReviewCollectionApi.as_view(), name="api_realize_value_reviews"),
    path(f"{PREFIX}<int:pk>/", ReviewItemApi.as_view(), name="api_realize_value_review"),
    path(f"{PREFIX}<int:pk>/lines/", ReviewLinesApi.as_view(), name="api_realize_value_review_lines"),
    path(f"{PREFIX}<int:pk>/prepare/", ReviewPrepareApi.as_view(), name="api_realize_value_review_prepare"),
    path(
        f"{PREFIX}<int:pk>/transition/",
        ReviewTransitionApi.as_view(),
        name="api_realize_value_review_transition",
    ),
    path(f"{PREFIX}<int:pk>/sign-off/", ReviewSignOffApi.as_view(), name="api_realize_value_review_sign_off"),
    path(f"{PREFIX}<int:pk>/actions/", ReviewActionsApi.as_view(), name="api_realize_value_review_actions"),
    path(
        f"{PREFIX}<int:pk>/actions/<int:action_pk>/",
        ReviewActionItemApi.as_view(),
        name="api_realize_value_review_action",
    ),
]
