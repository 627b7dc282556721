"""REST API of the opportunity pipeline (/api/v1/offer/opportunities/ and /api/v1/offer/pipeline/):
list with filters, open, change, delete and move opportunities between stages; the pipeline's totals
per stage.

The conventions of journeys/api.py: one class per URL, input and output serializers apart, reads
through the selectors (an opportunity of an account the caller may not see is a 404), writes through
the services (which check the rules and name the field of any bad input), errors in the one envelope.
"""

from __future__ import annotations

import django_filters
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from journeys.api import IDEMPOTENCY_PARAMETER, READ_ERRORS, WRITE_ERRORS, ListApi, UpdatedSinceFilterSet
from journeys.api_base import NamedChoiceField
from journeys.api_base import validated as _validated
from journeys.base import ApplicationError
from journeys.idempotency import idempotent
from journeys.models import Journey, Organization
from journeys.selectors import journey_scope, organization_get, organization_scope
from journeys.serializers import ErrorOutput, InputSerializer, ScopedIdField
from offerings import selectors, services
from offerings.models import Opportunity, OpportunityStage, ServiceOffering

REPLAY_ERRORS = {422: ErrorOutput}


# --- serializers ----------------------------------------------------------------------------------


class OpportunityUpdateInput(InputSerializer):
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True)
    offering = serializers.PrimaryKeyRelatedField(
        queryset=ServiceOffering.objects.all(), required=False, allow_null=True
    )
    journey = ScopedIdField(
        model=Journey, scope=journey_scope, required=False, allow_null=True, help_text="One of the account's."
    )
    # The service refuses a negative amount with its own message, naming the field.
    estimated_value = serializers.DecimalField(
        max_digits=14, decimal_places=2, required=False, allow_null=True, help_text="Not negative."
    )
    expected_close_date = serializers.DateField(required=False, allow_null=True)
    lost_reason = serializers.CharField(required=False, allow_blank=True, help_text="Only for a lost one.")
    owner = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.filter(is_active=True), required=False, allow_null=True
    )


class OpportunityCreateInput(OpportunityUpdateInput):
    organization = ScopedIdField(model=Organization, scope=organization_scope, help_text="The consumer.")
    stage = NamedChoiceField(
        OpportunityStage,
        required=False,
        help_text="Its first stage, `demand` by default; `lost` needs a reason.",
    )


class OpportunityOutput(serializers.ModelSerializer):
    stage = NamedChoiceField(OpportunityStage, read_only=True)

    class Meta:
        model = Opportunity
        fields = [
            "id",
            "organization",
            "offering",
            "journey",
            "title",
            "description",
            "stage",
            "stage_changed_at",
            "estimated_value",
            "expected_close_date",
            "lost_reason",
            "position",
            "owner",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class MoveInput(InputSerializer):
    stage = NamedChoiceField(OpportunityStage)
    lost_reason = serializers.CharField(
        required=False, allow_blank=True, help_text="Required to move to `lost`."
    )


class StageTotalOutput(serializers.Serializer):
    stage = NamedChoiceField(OpportunityStage, source="stage.value")
    count = serializers.IntegerField()
    total_value = serializers.DecimalField(
        max_digits=16, decimal_places=2, help_text="Summed estimated value."
    )


class PipelineOutput(serializers.Serializer):
    organization = serializers.IntegerField(allow_null=True, source="organization.pk", default=None)
    closed_since = serializers.DateTimeField(help_text="Agreed and lost ones count from this moment on.")
    open_value = serializers.DecimalField(max_digits=16, decimal_places=2, help_text="Demand and proposal.")
    stages = StageTotalOutput(many=True, source="columns")


# --- views ----------------------------------------------------------------------------------------


class OpportunityFilter(UpdatedSinceFilterSet):
    organization = django_filters.NumberFilter(field_name="organization_id")
    stage = django_filters.ChoiceFilter(choices=OpportunityStage.choices)
    owner = django_filters.NumberFilter(field_name="owner_id", help_text="User id of the owner.")
    offering = django_filters.NumberFilter(field_name="offering_id")
    journey = django_filters.NumberFilter(field_name="journey_id")


def _answer(opportunity: Opportunity, *, status_code: int = status.HTTP_200_OK) -> Response:
    return Response(OpportunityOutput(opportunity).data, status=status_code)


@extend_schema(tags=["opportunities"])
class OpportunityCollectionApi(ListApi):
    serializer_class = OpportunityOutput
    filterset_class = OpportunityFilter

    def get_queryset(self) -> QuerySet:
        return selectors.opportunity_scope(self.request.user)

    @extend_schema(
        summary="List opportunities",
        description="Filter by `organization`, `stage`, `owner`, `offering`, `journey`, `updated_since`.",
        responses={200: OpportunityOutput(many=True), **READ_ERRORS},
    )
    def get(self, request: Request) -> Response:
        return super().get(request)

    @extend_schema(
        summary="Open an opportunity for a consumer",
        parameters=[IDEMPOTENCY_PARAMETER],
        request=OpportunityCreateInput,
        responses={201: OpportunityOutput, **WRITE_ERRORS, **REPLAY_ERRORS},
    )
    @idempotent
    def post(self, request: Request) -> Response:
        data = _validated(OpportunityCreateInput, request)
        opportunity = services.opportunity_create(actor=request.user, **data)
        return _answer(opportunity, status_code=status.HTTP_201_CREATED)


@extend_schema(tags=["opportunities"])
class OpportunityItemApi(APIView):
    @extend_schema(summary="Get an opportunity", responses={200: OpportunityOutput, **READ_ERRORS})
    def get(self, request: Request, pk: int) -> Response:
        return _answer(selectors.opportunity_get(user=request.user, pk=pk))

    @extend_schema(
        summary="Change an opportunity (its stage changes with a move)",
        request=OpportunityUpdateInput,
        responses={200: OpportunityOutput, **WRITE_ERRORS},
    )
    def patch(self, request: Request, pk: int) -> Response:
        opportunity = selectors.opportunity_get(user=request.user, pk=pk)
        data = _validated(OpportunityUpdateInput, request, partial=True)
        return _answer(services.opportunity_update(actor=request.user, opportunity=opportunity, **data))

    @extend_schema(summary="Delete an opportunity recorded by mistake", responses={204: None, **WRITE_ERRORS})
    def delete(self, request: Request, pk: int) -> Response:
        opportunity = selectors.opportunity_get(user=request.user, pk=pk)
        services.opportunity_delete(actor=request.user, opportunity=opportunity)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["opportunities"])
class OpportunityMoveApi(APIView):
    @extend_schema(
        summary="Move an opportunity to another stage",
        description="Any stage may follow any other; `lost` needs a `lost_reason`. Moving to the stage it "
        "is in answers 409.",
        request=MoveInput,
        responses={200: OpportunityOutput, **WRITE_ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        opportunity = selectors.opportunity_get(user=request.user, pk=pk)
        data = _validated(MoveInput, request)
        return _answer(services.opportunity_move(actor=request.user, opportunity=opportunity, **data))


@extend_schema(tags=["opportunities"])
class PipelineApi(APIView):
    @extend_schema(
        summary="The pipeline's totals per stage",
        description="Count and summed estimated value per stage over the accounts you may see (or one), "
        "agreed and lost ones counting for 90 days after they closed.",
        parameters=[
            OpenApiParameter("organization", OpenApiTypes.INT, description="One account only."),
            OpenApiParameter("owner", OpenApiTypes.STR, description="`me`, `none` or a user id."),
        ],
        responses={200: PipelineOutput, **READ_ERRORS},
    )
    def get(self, request: Request) -> Response:
        organization_pk = request.query_params.get("organization", "")
        organization = None
        if organization_pk:
            if not organization_pk.isdigit():
                raise ApplicationError.for_field("organization", "Give the organization by its id.")
            organization = organization_get(user=request.user, pk=int(organization_pk), brief=True)
        board = selectors.pipeline_board(
            user=request.user,
            organization=organization,
            owner=request.query_params.get("owner", ""),
            per_column=0,
        )
        return Response(PipelineOutput(board).data)


urlpatterns = [
    path("offer/opportunities/", OpportunityCollectionApi.as_view(), name="api_offer_opportunities"),
    path("offer/opportunities/<int:pk>/", OpportunityItemApi.as_view(), name="api_offer_opportunity"),
    path(
        "offer/opportunities/<int:pk>/move/", OpportunityMoveApi.as_view(), name="api_offer_opportunity_move"
    ),
    path("offer/pipeline/", PipelineApi.as_view(), name="api_offer_pipeline"),
]
