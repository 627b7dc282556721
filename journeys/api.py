"""The journey spine's REST API (/api/v1/): organizations, stakeholders, journeys and touchpoints.

Each class serves one URL and each of its methods one operation, with its own input serializer and the
resource's output serializer (journeys/serializers.py). Reads come from the selectors, writes go
through the services; errors become the one envelope of journeys/api_base.py.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.mixins import ListModelMixin
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from journeys import services
from journeys.api_base import parse_updated_since
from journeys.api_base import validated as _validated
from journeys.idempotency import HEADER as IDEMPOTENCY_HEADER
from journeys.idempotency import idempotent
from journeys.models import (
    Channel,
    Journey,
    JourneyStatus,
    JourneyStep,
    OrganizationKind,
    TouchpointKind,
)
from journeys.selectors import (
    journey_get,
    journey_scope,
    journey_step_history,
    organization_get,
    organization_scope,
    stakeholder_get,
    stakeholder_scope,
    touchpoint_get,
    touchpoint_scope,
)
from journeys.serializers import (
    ErrorOutput,
    JourneyCreateInput,
    JourneyDetailOutput,
    JourneyMoveInput,
    JourneyOutput,
    JourneyUpdateInput,
    JourneyUpsertInput,
    OrganizationInput,
    OrganizationOutput,
    OrganizationUpsertInput,
    StakeholderInput,
    StakeholderOutput,
    StakeholderUpsertInput,
    TouchpointInput,
    TouchpointOutput,
    TouchpointUpdateInput,
    TouchpointUpsertInput,
)

# --- shared -----------------------------------------------------------------------------------------

IDEMPOTENCY_PARAMETER = OpenApiParameter(
    IDEMPOTENCY_HEADER,
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description="Replaying a request with the same key and body returns the first response "
    "(with `Idempotent-Replayed: true`) instead of acting twice; a different body is refused (422).",
)


def _errors(*codes: int) -> dict[int, type[serializers.Serializer]]:
    return dict.fromkeys(codes, ErrorOutput)


READ_ERRORS = _errors(401, 403, 404)
WRITE_ERRORS = _errors(400, 401, 403, 404, 409)


def _upserted(instance: Any, created: bool, output: type[serializers.Serializer]) -> Response:
    return Response(output(instance).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class UpdatedSinceFilterSet(django_filters.FilterSet):
    """Incremental sync: `updated_since` keeps the records changed at or after a moment."""

    updated_since = django_filters.CharFilter(method="filter_updated_since")

    @extend_schema_field(
        {"type": "string", "format": "date-time", "description": "Changed at or after this ISO 8601 moment."}
    )
    def filter_updated_since(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(updated_at__gte=parse_updated_since(value))


class ListApi(ListModelMixin, GenericAPIView):
    """The records you may see, oldest change first, one cursor page at a time (follow `next`). For
    incremental sync, pass the moment of your last sync as `updated_since`."""

    def get(self, request: Request) -> Response:
        return self.list(request)


# --- organizations ----------------------------------------------------------------------------------


class OrganizationFilter(UpdatedSinceFilterSet):
    kind = django_filters.ChoiceFilter(choices=OrganizationKind.choices)
    owner = django_filters.NumberFilter(field_name="owner_id", help_text="User id of the owner.")
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", help_text="Part of the name.")


@extend_schema(tags=["organizations"])
class OrganizationCollectionApi(ListApi):
    serializer_class = OrganizationOutput
    filterset_class = OrganizationFilter

    def get_queryset(self) -> QuerySet:
        return organization_scope(self.request.user)

    @extend_schema(
        summary="List organizations", responses={200: OrganizationOutput(many=True), **READ_ERRORS}
    )
    def get(self, request: Request) -> Response:
        return super().get(request)

    @extend_schema(
        summary="Create an organization",
        parameters=[IDEMPOTENCY_PARAMETER],
        request=OrganizationInput,
        responses={201: OrganizationOutput, **WRITE_ERRORS, **_errors(422)},
    )
    @idempotent
    def post(self, request: Request) -> Response:
        data = _validated(OrganizationInput, request)
        organization = services.organization_create(actor=request.user, **data)
        return Response(OrganizationOutput(organization).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["organizations"])
class OrganizationItemApi(APIView):
    @extend_schema(summary="Get an organization", responses={200: OrganizationOutput, **READ_ERRORS})
    def get(self, request: Request, pk: int) -> Response:
        return Response(OrganizationOutput(organization_get(user=request.user, pk=pk)).data)

    @extend_schema(
        summary="Update an organization",
        request=OrganizationInput,
        responses={200: OrganizationOutput, **WRITE_ERRORS},
    )
    def patch(self, request: Request, pk: int) -> Response:
        organization = organization_get(user=request.user, pk=pk)
        data = _validated(OrganizationInput, request, partial=True)
        organization = services.organization_update(actor=request.user, organization=organization, **data)
        return Response(OrganizationOutput(organization).data)


@extend_schema(tags=["organizations"])
class OrganizationUpsertApi(APIView):
    @extend_schema(
        summary="Create or update an organization by its external id",
        request=OrganizationUpsertInput,
        responses={200: OrganizationOutput, 201: OrganizationOutput, **WRITE_ERRORS},
    )
    def put(self, request: Request, external_id: str) -> Response:
        data = _validated(OrganizationUpsertInput, request, partial=True)
        organization, created = services.organization_upsert(
            actor=request.user, external_id=external_id, data=data
        )
        return _upserted(organization, created, OrganizationOutput)


# --- stakeholders -----------------------------------------------------------------------------------


class StakeholderFilter(UpdatedSinceFilterSet):
    organization = django_filters.NumberFilter(field_name="organization_id")
    is_customer = django_filters.BooleanFilter()
    is_user = django_filters.BooleanFilter()
    is_sponsor = django_filters.BooleanFilter()
    email = django_filters.CharFilter(lookup_expr="iexact")


@extend_schema(tags=["stakeholders"])
class StakeholderCollectionApi(ListApi):
    serializer_class = StakeholderOutput
    filterset_class = StakeholderFilter

    def get_queryset(self) -> QuerySet:
        return stakeholder_scope(self.request.user).select_related("organization")

    @extend_schema(summary="List stakeholders", responses={200: StakeholderOutput(many=True), **READ_ERRORS})
    def get(self, request: Request) -> Response:
        return super().get(request)

    @extend_schema(
        summary="Add a stakeholder",
        parameters=[IDEMPOTENCY_PARAMETER],
        request=StakeholderInput,
        responses={201: StakeholderOutput, **WRITE_ERRORS, **_errors(422)},
    )
    @idempotent
    def post(self, request: Request) -> Response:
        stakeholder = services.stakeholder_create(actor=request.user, **_validated(StakeholderInput, request))
        return Response(StakeholderOutput(stakeholder).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["stakeholders"])
class StakeholderItemApi(APIView):
    @extend_schema(summary="Get a stakeholder", responses={200: StakeholderOutput, **READ_ERRORS})
    def get(self, request: Request, pk: int) -> Response:
        return Response(StakeholderOutput(stakeholder_get(user=request.user, pk=pk)).data)

    @extend_schema(
        summary="Update a stakeholder",
        request=StakeholderInput,
        responses={200: StakeholderOutput, **WRITE_ERRORS},
    )
    def patch(self, request: Request, pk: int) -> Response:
        stakeholder = stakeholder_get(user=request.user, pk=pk)
        data = _validated(StakeholderInput, request, partial=True)
        stakeholder = services.stakeholder_update(actor=request.user, stakeholder=stakeholder, **data)
        return Response(StakeholderOutput(stakeholder).data)


@extend_schema(tags=["stakeholders"])
class StakeholderUpsertApi(APIView):
    @extend_schema(
        summary="Create or update a stakeholder by its external id",
        request=StakeholderUpsertInput,
        responses={200: StakeholderOutput, 201: StakeholderOutput, **WRITE_ERRORS},
    )
    def put(self, request: Request, external_id: str) -> Response:
        data = _validated(StakeholderUpsertInput, request, partial=True)
        organization = data.pop("organization", None)
        stakeholder, created = services.stakeholder_upsert(
            actor=request.user, external_id=external_id, organization=organization, data=data
        )
        return _upserted(stakeholder, created, StakeholderOutput)


# --- journeys ---------------------------------------------------------------------------------------


class JourneyFilter(UpdatedSinceFilterSet):
    organization = django_filters.NumberFilter(field_name="organization_id")
    current_step = django_filters.ChoiceFilter(choices=JourneyStep.choices)
    status = django_filters.ChoiceFilter(choices=JourneyStatus.choices)


def _journey_detail(request: Request, journey: Journey) -> Response:
    journey.step_history = list(journey_step_history(user=request.user, journey=journey))
    return Response(JourneyDetailOutput(journey).data)


@extend_schema(tags=["journeys"])
class JourneyCollectionApi(ListApi):
    serializer_class = JourneyOutput
    filterset_class = JourneyFilter

    def get_queryset(self) -> QuerySet:
        return journey_scope(self.request.user).select_related("organization")

    @extend_schema(summary="List journeys", responses={200: JourneyOutput(many=True), **READ_ERRORS})
    def get(self, request: Request) -> Response:
        return super().get(request)

    @extend_schema(
        summary="Start a journey",
        parameters=[IDEMPOTENCY_PARAMETER],
        request=JourneyCreateInput,
        responses={201: JourneyOutput, **WRITE_ERRORS, **_errors(422)},
    )
    @idempotent
    def post(self, request: Request) -> Response:
        data = _validated(JourneyCreateInput, request)
        if "current_step" in data:
            data["step"] = data.pop("current_step")
        journey = services.journey_start(actor=request.user, **data)
        return Response(JourneyOutput(journey).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["journeys"])
class JourneyItemApi(APIView):
    @extend_schema(
        summary="Get a journey with its step history",
        responses={200: JourneyDetailOutput, **READ_ERRORS},
    )
    def get(self, request: Request, pk: int) -> Response:
        return _journey_detail(request, journey_get(user=request.user, pk=pk))

    @extend_schema(
        summary="Update a journey (a new current_step moves it)",
        request=JourneyUpdateInput,
        responses={200: JourneyDetailOutput, **WRITE_ERRORS},
    )
    def patch(self, request: Request, pk: int) -> Response:
        journey = journey_get(user=request.user, pk=pk)
        data = _validated(JourneyUpdateInput, request, partial=True)
        return _journey_detail(request, services.journey_update(actor=request.user, journey=journey, **data))


@extend_schema(tags=["journeys"])
class JourneyMoveApi(APIView):
    @extend_schema(
        summary="Move a journey to another step",
        parameters=[IDEMPOTENCY_PARAMETER],
        request=JourneyMoveInput,
        responses={200: JourneyDetailOutput, **WRITE_ERRORS, **_errors(422)},
    )
    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        journey = journey_get(user=request.user, pk=pk)
        data = _validated(JourneyMoveInput, request)
        return _journey_detail(request, services.journey_move(actor=request.user, journey=journey, **data))


@extend_schema(tags=["journeys"])
class JourneyUpsertApi(APIView):
    @extend_schema(
        summary="Create or update a journey by its external id",
        request=JourneyUpsertInput,
        responses={200: JourneyOutput, 201: JourneyOutput, **WRITE_ERRORS},
    )
    def put(self, request: Request, external_id: str) -> Response:
        data = _validated(JourneyUpsertInput, request, partial=True)
        organization = data.pop("organization", None)
        journey, created = services.journey_upsert(
            actor=request.user, external_id=external_id, organization=organization, data=data
        )
        return _upserted(journey, created, JourneyOutput)


# --- touchpoints ------------------------------------------------------------------------------------


class TouchpointFilter(UpdatedSinceFilterSet):
    organization = django_filters.NumberFilter(field_name="organization_id")
    journey = django_filters.NumberFilter(field_name="journey_id")
    stakeholder = django_filters.NumberFilter(field_name="stakeholder_id")
    step = django_filters.ChoiceFilter(choices=JourneyStep.choices)
    channel = django_filters.ChoiceFilter(choices=Channel.choices)
    kind = django_filters.ChoiceFilter(choices=TouchpointKind.choices)
    occurred_after = django_filters.IsoDateTimeFilter(field_name="occurred_at", lookup_expr="gte")
    occurred_before = django_filters.IsoDateTimeFilter(field_name="occurred_at", lookup_expr="lt")


@extend_schema(tags=["touchpoints"])
class TouchpointCollectionApi(ListApi):
    serializer_class = TouchpointOutput
    filterset_class = TouchpointFilter

    def get_queryset(self) -> QuerySet:
        return touchpoint_scope(self.request.user).select_related("organization")

    @extend_schema(summary="List touchpoints", responses={200: TouchpointOutput(many=True), **READ_ERRORS})
    def get(self, request: Request) -> Response:
        return super().get(request)

    @extend_schema(
        summary="Log a touchpoint",
        parameters=[IDEMPOTENCY_PARAMETER],
        request=TouchpointInput,
        responses={201: TouchpointOutput, **WRITE_ERRORS, **_errors(422)},
    )
    @idempotent
    def post(self, request: Request) -> Response:
        touchpoint = services.touchpoint_log(actor=request.user, **_validated(TouchpointInput, request))
        return Response(TouchpointOutput(touchpoint).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["touchpoints"])
class TouchpointItemApi(APIView):
    @extend_schema(summary="Get a touchpoint", responses={200: TouchpointOutput, **READ_ERRORS})
    def get(self, request: Request, pk: int) -> Response:
        return Response(TouchpointOutput(touchpoint_get(user=request.user, pk=pk)).data)

    @extend_schema(
        summary="Update a touchpoint",
        request=TouchpointUpdateInput,
        responses={200: TouchpointOutput, **WRITE_ERRORS},
    )
    def patch(self, request: Request, pk: int) -> Response:
        touchpoint = touchpoint_get(user=request.user, pk=pk)
        data = _validated(TouchpointUpdateInput, request, partial=True)
        touchpoint = services.touchpoint_update(actor=request.user, touchpoint=touchpoint, **data)
        return Response(TouchpointOutput(touchpoint).data)


@extend_schema(tags=["touchpoints"])
class TouchpointUpsertApi(APIView):
    @extend_schema(
        summary="Create or update a touchpoint by its external id",
        request=TouchpointUpsertInput,
        responses={200: TouchpointOutput, 201: TouchpointOutput, **WRITE_ERRORS},
    )
    def put(self, request: Request, external_id: str) -> Response:
        data = _validated(TouchpointUpsertInput, request, partial=True)
        organization = data.pop("organization", None)
        touchpoint, created = services.touchpoint_upsert(
            actor=request.user, external_id=external_id, organization=organization, data=data
        )
        return _upserted(touchpoint, created, TouchpointOutput)
