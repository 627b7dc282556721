"""REST API of service level targets (/api/v1/agree/targets/...): list with filters, add one to an
agreement, read and change one (`is_active` switches it on or off).

The conventions of journeys/api.py: reads through the selectors (a target of an account the caller
may not see is a 404), writes through the services, which name the field of any bad input (a warning
threshold on the wrong side of the target, an outcome without its baseline...) and save nothing.
"""

from __future__ import annotations

import django_filters
from django.db import transaction
from django.db.models import QuerySet
from django.urls import path
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from agreements import selectors, services
from agreements.models import (
    Aggregation,
    Agreement,
    BusinessCalendar,
    ClockKind,
    Comparator,
    MeasurementPeriod,
    ServiceLevelTarget,
    TargetKind,
    WarrantyAspect,
)
from journeys.api import IDEMPOTENCY_PARAMETER, READ_ERRORS, WRITE_ERRORS, ListApi, UpdatedSinceFilterSet
from journeys.api_base import NamedChoiceField
from journeys.api_base import validated as _validated
from journeys.idempotency import idempotent
from journeys.serializers import ErrorOutput, InputSerializer, ScopedIdField

__all__: list[str] = []

REPLAY_ERRORS = {422: ErrorOutput}
TAGS = ["service level targets"]


# --- serializers ----------------------------------------------------------------------------------


def _number(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=14, decimal_places=4, **kwargs)


class TargetUpdateInput(InputSerializer):
    name = serializers.CharField(max_length=200)
    kind = NamedChoiceField(TargetKind)
    warranty_aspect = serializers.ChoiceField(
        choices=[("", "None"), *WarrantyAspect.choices],
        required=False,
        allow_blank=True,
        help_text="Required for warranty targets, empty for the others.",
    )
    metric = serializers.CharField(max_length=200, required=False, allow_blank=True)
    unit = serializers.CharField(max_length=30, required=False, allow_blank=True)
    comparator = NamedChoiceField(
        Comparator, help_text="How the achieved value must compare with the target."
    )
    target_value = _number()
    warning_threshold = _number(
        required=False,
        allow_null=True,
        help_text="On the met side of the target (above it for gte/gt, below it for lte/lt); none for eq.",
    )
    period = NamedChoiceField(MeasurementPeriod, required=False)
    aggregation = NamedChoiceField(Aggregation, required=False)
    calendar = serializers.PrimaryKeyRelatedField(
        queryset=BusinessCalendar.objects.all(),
        required=False,
        allow_null=True,
        help_text="Id of an active business-hours calendar; empty for round the clock in the site's "
        "time zone.",
    )
    baseline = _number(required=False, allow_null=True, help_text="Required for outcome targets.")
    clock = serializers.ChoiceField(
        choices=[("", "None"), *ClockKind.choices],
        required=False,
        allow_blank=True,
        help_text="Request clock targets only, with `clock_limit_hours`.",
    )
    clock_limit_hours = serializers.DecimalField(
        max_digits=8,
        decimal_places=2,
        required=False,
        allow_null=True,
        help_text="Positive; with a clock only.",
    )
    is_active = serializers.BooleanField(required=False, help_text="False stops measuring it.")


class TargetCreateInput(TargetUpdateInput):
    agreement = ScopedIdField(model=Agreement, scope=selectors.agreement_scope, help_text="The agreement.")


@extend_schema_serializer(component_name="ServiceLevelTarget")
class TargetOutput(serializers.ModelSerializer):
    kind = NamedChoiceField(TargetKind, read_only=True)
    comparator = NamedChoiceField(Comparator, read_only=True)
    period = NamedChoiceField(MeasurementPeriod, read_only=True)
    aggregation = NamedChoiceField(Aggregation, read_only=True)
    warranty_aspect = serializers.CharField(read_only=True, help_text="A warranty aspect, or empty.")
    clock = serializers.CharField(read_only=True, help_text="response, resolution, or empty.")
    rule = serializers.CharField(read_only=True, help_text="The target as people read it, e.g. “≥ 99.5 %”.")

    class Meta:
        model = ServiceLevelTarget
        fields = [
            "id",
            "agreement",
            "name",
            "kind",
            "warranty_aspect",
            "metric",
            "unit",
            "comparator",
            "target_value",
            "warning_threshold",
            "rule",
            "period",
            "aggregation",
            "calendar",
            "baseline",
            "clock",
            "clock_limit_hours",
            "is_active",
            "position",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


TARGET_EXAMPLE = {
    "id": 31,
    "agreement": 12,
    "name": "Availability of the booking portal",
    "kind": "warranty",
    "warranty_aspect": "availability",
    "metric": "% of agreed service time available",
    "unit": "%",
    "comparator": "gte",
    "target_value": "99.5000",
    "warning_threshold": "99.7000",
    "rule": "≥ 99.5 %",
    "period": "month",
    "aggregation": "average",
    "calendar": 2,
    "baseline": None,
    "clock": "",
    "clock_limit_hours": None,
    "is_active": True,
    "position": 0,
    "created_at": "2025-11-20T10:05:00Z",
    "updated_at": "2025-11-20T10:05:00Z",
}
WRONG_SIDE = OpenApiExample(
    "A warning on the wrong side",
    status_codes=["400"],
    response_only=True,
    value={
        "error": {
            "code": "invalid",
            "message": "For “at least 99.5 %” the warning threshold must be above 99.5: it should warn "
            "before the target is missed.",
            "fields": {
                "warning_threshold": [
                    "For “at least 99.5 %” the warning threshold must be above 99.5: it should warn before "
                    "the target is missed."
                ]
            },
        }
    },
)


# --- views ----------------------------------------------------------------------------------------


class TargetFilter(UpdatedSinceFilterSet):
    agreement = django_filters.NumberFilter(field_name="agreement_id")
    kind = django_filters.ChoiceFilter(choices=TargetKind.choices)
    is_active = django_filters.BooleanFilter()


def _answer(target: ServiceLevelTarget, *, status_code: int = status.HTTP_200_OK) -> Response:
    return Response(TargetOutput(target).data, status=status_code)


@extend_schema(tags=TAGS)
class TargetCollectionApi(ListApi):
    serializer_class = TargetOutput
    filterset_class = TargetFilter

    def get_queryset(self) -> QuerySet:
        return selectors.target_scope(self.request.user)

    @extend_schema(
        summary="List service level targets",
        description="The targets of the agreements you may see, oldest change first, one cursor page at a "
        "time. Filter by `agreement`, `kind`, `is_active` and `updated_since`.",
        responses={200: TargetOutput(many=True), **READ_ERRORS},
        examples=[OpenApiExample("An availability target", value=TARGET_EXAMPLE, response_only=True)],
    )
    def get(self, request: Request) -> Response:
        return super().get(request)

    @extend_schema(
        summary="Add a target to an agreement",
        description="Bad input names its field and saves nothing: a warning threshold on the wrong side, a "
        "warranty target without its aspect, an outcome target without its baseline, a clock without a "
        "positive limit, a retired calendar. An expired or terminated agreement's targets no longer "
        "change (409).",
        parameters=[IDEMPOTENCY_PARAMETER],
        request=TargetCreateInput,
        responses={201: TargetOutput, **WRITE_ERRORS, **REPLAY_ERRORS},
        examples=[
            OpenApiExample(
                "Monthly availability",
                request_only=True,
                value={
                    "agreement": 12,
                    "name": "Availability of the booking portal",
                    "kind": "warranty",
                    "warranty_aspect": "availability",
                    "unit": "%",
                    "comparator": "gte",
                    "target_value": "99.5",
                    "warning_threshold": "99.7",
                    "calendar": 2,
                },
            ),
            WRONG_SIDE,
        ],
    )
    @idempotent
    def post(self, request: Request) -> Response:
        data = _validated(TargetCreateInput, request)
        active = data.pop("is_active", True)
        with transaction.atomic():
            target = services.target_create(actor=request.user, **data)
            if not active:
                target = services.target_set_active(actor=request.user, target=target, active=False)
        return _answer(target, status_code=status.HTTP_201_CREATED)


@extend_schema(tags=TAGS)
class TargetItemApi(APIView):
    @extend_schema(
        summary="Get a service level target",
        description="One target with its rule as people read it.",
        responses={200: TargetOutput, **READ_ERRORS},
        examples=[OpenApiExample("An availability target", value=TARGET_EXAMPLE, response_only=True)],
    )
    def get(self, request: Request, pk: int) -> Response:
        return _answer(selectors.target_get(user=request.user, pk=pk))

    @extend_schema(
        summary="Change a service level target",
        description="Targets may change while the agreement runs; the history keeps every version. "
        "`is_active: false` stops measuring it (an agreed or active agreement keeps at least one active "
        "target, 409 otherwise).",
        request=TargetUpdateInput,
        responses={200: TargetOutput, **WRITE_ERRORS},
        examples=[
            OpenApiExample(
                "Raise the target",
                request_only=True,
                value={"target_value": "99.8", "warning_threshold": "99.9"},
            ),
            WRONG_SIDE,
        ],
    )
    def patch(self, request: Request, pk: int) -> Response:
        target = selectors.target_get(user=request.user, pk=pk)
        data = _validated(TargetUpdateInput, request, partial=True)
        active = data.pop("is_active", None)
        with transaction.atomic():
            if data:
                target = services.target_update(actor=request.user, target=target, **data)
            if active is not None:
                target = services.target_set_active(actor=request.user, target=target, active=active)
        return _answer(target)


urlpatterns = [
    path("agree/targets/", TargetCollectionApi.as_view(), name="api_agree_targets"),
    path("agree/targets/<int:pk>/", TargetItemApi.as_view(), name="api_agree_target"),
]
