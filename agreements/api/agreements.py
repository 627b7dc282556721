"""REST API of agreements (/api/v1/agree/agreements/...): list with filters, draft, change, delete
drafts, move through the lifecycle, record and list reviews, and read the change history.

The conventions of journeys/api.py: one class per URL, input and output serializers apart, reads
through the selectors (an agreement of an account the caller may not see is a 404), writes through
the services (which check the rules and name the field of any bad input), errors in the one envelope.
An illegal lifecycle move answers 409 with the code `illegal_transition`; a legal move whose
conditions are not met yet answers 409 with `transition_not_ready`, naming what is missing by field.
"""

from __future__ import annotations

import django_filters
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.urls import path
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from agreements import selectors, services
from agreements.models import (
    Agreement,
    AgreementForm,
    AgreementKind,
    AgreementReview,
    AgreementStatus,
    ReviewCadence,
    ReviewOutcome,
)
from journeys.api import IDEMPOTENCY_PARAMETER, READ_ERRORS, WRITE_ERRORS, ListApi, UpdatedSinceFilterSet
from journeys.api_base import NamedChoiceField
from journeys.api_base import validated as _validated
from journeys.idempotency import idempotent
from journeys.models import Organization, Stakeholder
from journeys.selectors import organization_scope, stakeholder_scope
from journeys.serializers import ErrorOutput, InputSerializer, ScopedIdField
from offerings.models import ServiceOffering

__all__: list[str] = []

REPLAY_ERRORS = {422: ErrorOutput}
TAGS = ["agreements"]


# --- serializers ----------------------------------------------------------------------------------


class AgreementUpdateInput(InputSerializer):
    title = serializers.CharField(max_length=200)
    form = NamedChoiceField(AgreementForm, required=False)
    kind = NamedChoiceField(AgreementKind, required=False)
    offerings = serializers.PrimaryKeyRelatedField(
        queryset=ServiceOffering.objects.all(),
        many=True,
        required=False,
        help_text="Ids of the offerings it covers (not retired ones); replaces the list.",
    )
    reference = serializers.CharField(max_length=60, required=False, allow_blank=True)
    external_id = serializers.CharField(max_length=100, required=False, allow_blank=True)
    scope = serializers.CharField(required=False, allow_blank=True)
    consumer_responsibilities = serializers.CharField(required=False, allow_blank=True)
    starts_on = serializers.DateField(required=False, allow_null=True)
    ends_on = serializers.DateField(
        required=False, allow_null=True, help_text="On or after `starts_on`; empty for no end date."
    )
    review_cadence = NamedChoiceField(ReviewCadence, required=False)
    owner = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.filter(is_active=True),
        required=False,
        allow_null=True,
        help_text="User id of a relationship manager or administrator; defaults to you if you are one.",
    )
    customer_contact = ScopedIdField(
        model=Stakeholder,
        scope=stakeholder_scope,
        required=False,
        allow_null=True,
        help_text="Id of one of the account's people.",
    )


class AgreementCreateInput(AgreementUpdateInput):
    organization = ScopedIdField(model=Organization, scope=organization_scope, help_text="The consumer.")


@extend_schema_serializer(component_name="Agreement")
class AgreementOutput(serializers.ModelSerializer):
    form = NamedChoiceField(AgreementForm, read_only=True)
    kind = NamedChoiceField(AgreementKind, read_only=True)
    status = NamedChoiceField(AgreementStatus, read_only=True)
    review_cadence = NamedChoiceField(ReviewCadence, read_only=True)
    offerings = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    allowed_transitions = serializers.ListField(
        child=NamedChoiceField(AgreementStatus),
        read_only=True,
        help_text="The statuses it may move to from its current one (their conditions aside).",
    )

    class Meta:
        model = Agreement
        fields = [
            "id",
            "organization",
            "title",
            "reference",
            "external_id",
            "form",
            "kind",
            "status",
            "status_changed_at",
            "allowed_transitions",
            "offerings",
            "scope",
            "consumer_responsibilities",
            "starts_on",
            "ends_on",
            "review_cadence",
            "next_review_on",
            "agreed_on",
            "termination_reason",
            "owner",
            "customer_contact",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class TransitionInput(InputSerializer):
    status = NamedChoiceField(AgreementStatus, help_text="The status to move to.")
    reason = serializers.CharField(required=False, allow_blank=True, help_text="Required to terminate.")


class ReviewInput(InputSerializer):
    held_on = serializers.DateField(help_text="The day it was held; not in the future.")
    summary = serializers.CharField(help_text="What was compared and what both sides concluded.")
    outcome = NamedChoiceField(ReviewOutcome, required=False)


@extend_schema_serializer(component_name="AgreementReview")
class ReviewOutput(serializers.ModelSerializer):
    outcome = NamedChoiceField(ReviewOutcome, read_only=True)

    class Meta:
        model = AgreementReview
        fields = [
            "id",
            "agreement",
            "held_on",
            "summary",
            "outcome",
            "compliance_pct",
            "reviewed_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class FieldChangeOutput(serializers.Serializer):
    label = serializers.CharField(help_text="The field, as the page names it.")
    old = serializers.CharField(help_text="Its value before, as people read it (— when empty).")
    new = serializers.CharField(help_text="Its value after.")


class HistoryEntryOutput(serializers.Serializer):
    when = serializers.DateTimeField()
    who = serializers.CharField(help_text="Who made the change (DSV for automatic ones).")
    subject = serializers.CharField(help_text="The agreement or one of its targets.")
    target = serializers.IntegerField(
        source="target_id", allow_null=True, help_text="The target's id, if any."
    )
    action = serializers.ChoiceField(
        choices=[("created", "created"), ("changed", "changed"), ("deleted", "deleted")]
    )
    changes = FieldChangeOutput(many=True)


# --- examples -------------------------------------------------------------------------------------

AGREEMENT_EXAMPLE = {
    "id": 12,
    "organization": 4,
    "title": "Fleet booking SLA 2026",
    "reference": "C-2026-014",
    "external_id": "",
    "form": "agreement_based",
    "kind": "sla",
    "status": "active",
    "status_changed_at": "2026-01-02T09:30:00Z",
    "allowed_transitions": ["expired", "terminated"],
    "offerings": [3],
    "scope": "Booking portal and driver app, all depots in the Netherlands.",
    "consumer_responsibilities": "Report incidents through the service desk.",
    "starts_on": "2026-01-01",
    "ends_on": "2026-12-31",
    "review_cadence": "quarterly",
    "next_review_on": "2026-04-01",
    "agreed_on": "2025-12-15",
    "termination_reason": "",
    "owner": 2,
    "customer_contact": 17,
    "created_at": "2025-11-20T10:00:00Z",
    "updated_at": "2026-01-02T09:30:00Z",
}
REVIEW_EXAMPLE = {
    "id": 5,
    "agreement": 12,
    "held_on": "2026-03-31",
    "summary": "Availability held; response times slipped in February, agreed to watch them.",
    "outcome": "continue",
    "compliance_pct": "87.5",
    "reviewed_by": 2,
    "created_at": "2026-03-31T15:00:00Z",
    "updated_at": "2026-03-31T15:00:00Z",
}
ILLEGAL_MESSAGE = (
    "A draft agreement cannot become active; from draft it can become negotiating or terminated."
)
ILLEGAL_MOVE = OpenApiExample(
    "An illegal move",
    status_codes=["409"],
    response_only=True,
    value={
        "error": {
            "code": "illegal_transition",
            "message": ILLEGAL_MESSAGE,
            "fields": {"status": [ILLEGAL_MESSAGE]},
        }
    },
)


# --- views ----------------------------------------------------------------------------------------


class AgreementFilter(UpdatedSinceFilterSet):
    organization = django_filters.NumberFilter(field_name="organization_id")
    status = django_filters.ChoiceFilter(choices=AgreementStatus.choices)
    kind = django_filters.ChoiceFilter(choices=AgreementKind.choices)
    offering = django_filters.NumberFilter(field_name="offerings", help_text="Id of an offering it covers.")


def _answer(agreement: Agreement, *, status_code: int = status.HTTP_200_OK) -> Response:
    return Response(AgreementOutput(agreement).data, status=status_code)


@extend_schema(tags=TAGS)
class AgreementCollectionApi(ListApi):
    serializer_class = AgreementOutput
    filterset_class = AgreementFilter

    def get_queryset(self) -> QuerySet:
        return selectors.agreement_scope(self.request.user).prefetch_related("offerings")

    @extend_schema(
        summary="List agreements",
        description="The agreements of the accounts you may see, oldest change first, one cursor page at a "
        "time. Filter by `organization`, `status`, `kind`, `offering` and `updated_since`.",
        responses={200: AgreementOutput(many=True), **READ_ERRORS},
        examples=[OpenApiExample("An active SLA", value=AGREEMENT_EXAMPLE, response_only=True)],
    )
    def get(self, request: Request) -> Response:
        return super().get(request)

    @extend_schema(
        summary="Draft an agreement with a consumer",
        description="Creates a draft. The organization must be a service consumer (409 otherwise); the "
        "owner defaults to you when you are a relationship manager; the customer contact must be one of "
        "the account's people; retired offerings are refused.",
        parameters=[IDEMPOTENCY_PARAMETER],
        request=AgreementCreateInput,
        responses={201: AgreementOutput, **WRITE_ERRORS, **REPLAY_ERRORS},
        examples=[
            OpenApiExample(
                "A new SLA",
                request_only=True,
                value={
                    "organization": 4,
                    "title": "Fleet booking SLA 2026",
                    "kind": "sla",
                    "form": "agreement_based",
                    "offerings": [3],
                    "starts_on": "2026-01-01",
                    "ends_on": "2026-12-31",
                    "review_cadence": "quarterly",
                },
            )
        ],
    )
    @idempotent
    def post(self, request: Request) -> Response:
        data = _validated(AgreementCreateInput, request)
        agreement = services.agreement_create(actor=request.user, **data)
        return _answer(agreement, status_code=status.HTTP_201_CREATED)


@extend_schema(tags=TAGS)
class AgreementItemApi(APIView):
    @extend_schema(
        summary="Get an agreement",
        description="One agreement with the statuses it may move to next.",
        responses={200: AgreementOutput, **READ_ERRORS},
        examples=[OpenApiExample("An active SLA", value=AGREEMENT_EXAMPLE, response_only=True)],
    )
    def get(self, request: Request, pk: int) -> Response:
        return _answer(selectors.agreement_get(user=request.user, pk=pk))

    @extend_schema(
        summary="Change an agreement",
        description="Change any of its details; `offerings` replaces the list. Its status changes with a "
        "transition. An expired or terminated agreement no longer changes (409).",
        request=AgreementUpdateInput,
        responses={200: AgreementOutput, **WRITE_ERRORS},
        examples=[
            OpenApiExample(
                "Move the end date",
                request_only=True,
                value={"ends_on": "2027-03-31", "review_cadence": "monthly"},
            )
        ],
    )
    def patch(self, request: Request, pk: int) -> Response:
        agreement = selectors.agreement_get(user=request.user, pk=pk)
        data = _validated(AgreementUpdateInput, request, partial=True)
        return _answer(services.agreement_update(actor=request.user, agreement=agreement, **data))

    @extend_schema(
        summary="Delete a draft agreement",
        description="Only drafts are deleted (409 otherwise): anything shared with the consumer is "
        "terminated instead, with its reason.",
        responses={204: None, **WRITE_ERRORS},
        examples=[
            OpenApiExample(
                "Not a draft",
                status_codes=["409"],
                response_only=True,
                value={
                    "error": {
                        "code": "not_a_draft",
                        "message": "Only a draft can be deleted; “Fleet booking SLA 2026” is active. "
                        "Terminate it instead, saying why.",
                        "fields": {},
                    }
                },
            )
        ],
    )
    def delete(self, request: Request, pk: int) -> Response:
        agreement = selectors.agreement_get(user=request.user, pk=pk)
        services.agreement_delete(actor=request.user, agreement=agreement)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=TAGS)
class AgreementTransitionApi(APIView):
    @extend_schema(
        summary="Move an agreement through its lifecycle",
        description="draft → negotiating → agreed → active → expired, back from negotiating to draft and "
        "from agreed to negotiating, and terminated from any live status. Agreeing needs an active target "
        "and a start date; activating also an end date still ahead (or none) and a review cadence; "
        "expiring an end date that has passed; terminating a `reason`. An illegal move answers 409 "
        "`illegal_transition`, unmet conditions 409 `transition_not_ready`.",
        parameters=[IDEMPOTENCY_PARAMETER],
        request=TransitionInput,
        responses={200: AgreementOutput, **WRITE_ERRORS, **REPLAY_ERRORS},
        examples=[
            OpenApiExample("Activate", request_only=True, value={"status": "active"}),
            OpenApiExample(
                "Terminate",
                request_only=True,
                value={"status": "terminated", "reason": "The consumer moved its fleet to another provider."},
            ),
            ILLEGAL_MOVE,
        ],
    )
    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        agreement = selectors.agreement_get(user=request.user, pk=pk)
        data = _validated(TransitionInput, request)
        moved = services.agreement_transition(
            actor=request.user, agreement=agreement, to_status=data["status"], reason=data.get("reason", "")
        )
        return _answer(moved)


@extend_schema(tags=TAGS)
class AgreementReviewsApi(APIView):
    @extend_schema(
        summary="List an agreement's reviews",
        description="Newest first, each with the compliance it kept from the latest measured month.",
        responses={200: ReviewOutput(many=True), **READ_ERRORS},
        examples=[OpenApiExample("One review", response_only=True, value=[REVIEW_EXAMPLE])],
    )
    def get(self, request: Request, pk: int) -> Response:
        agreement = selectors.agreement_get(user=request.user, pk=pk)
        reviews = agreement.reviews.order_by("-held_on", "-id")
        return Response(ReviewOutput(reviews, many=True).data)

    @extend_schema(
        summary="Record a review of an agreement",
        description="For agreed and active agreements (409 otherwise), once held (the date is not in the "
        "future). It keeps the latest measured compliance and plans the next review from the cadence.",
        parameters=[IDEMPOTENCY_PARAMETER],
        request=ReviewInput,
        responses={201: ReviewOutput, **WRITE_ERRORS, **REPLAY_ERRORS},
        examples=[
            OpenApiExample(
                "A quarterly review",
                request_only=True,
                value={
                    "held_on": "2026-03-31",
                    "summary": "Availability held; response times slipped in February, agreed to watch them.",
                    "outcome": "continue",
                },
            )
        ],
    )
    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        agreement = selectors.agreement_get(user=request.user, pk=pk)
        data = _validated(ReviewInput, request)
        review = services.agreement_review_record(actor=request.user, agreement=agreement, **data)
        return Response(ReviewOutput(review).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=TAGS)
class AgreementHistoryApi(APIView):
    @extend_schema(
        summary="An agreement's change history",
        description=f"The last {selectors.HISTORY_LIMIT} changes to the agreement and its targets, newest "
        "first: who, when, and which fields went from what to what (values as the page shows them).",
        responses={200: HistoryEntryOutput(many=True), **READ_ERRORS},
        examples=[
            OpenApiExample(
                "Activated",
                response_only=True,
                value=[
                    {
                        "when": "2026-01-02T09:30:00Z",
                        "who": "Maria Jansen",
                        "subject": "Agreement",
                        "target": None,
                        "action": "changed",
                        "changes": [
                            {"label": "Status", "old": "Agreed", "new": "Active"},
                            {"label": "Next review", "old": "—", "new": "1 Apr 2026"},
                        ],
                    }
                ],
            )
        ],
    )
    def get(self, request: Request, pk: int) -> Response:
        agreement = selectors.agreement_get(user=request.user, pk=pk)
        entries = selectors.agreement_history(user=request.user, agreement=agreement)
        return Response(HistoryEntryOutput(entries, many=True).data)


urlpatterns = [
    path("agree/agreements/", AgreementCollectionApi.as_view(), name="api_agreements"),
    path("agree/agreements/<int:pk>/", AgreementItemApi.as_view(), name="api_agreement"),
    path(
        "agree/agreements/<int:pk>/transition/",
        AgreementTransitionApi.as_view(),
        name="api_agreement_transition",
    ),
    path("agree/agreements/<int:pk>/reviews/", AgreementReviewsApi.as_view(), name="api_agreement_reviews"),
    path("agree/agreements/<int:pk>/history/", AgreementHistoryApi.as_view(), name="api_agreement_history"),
]
