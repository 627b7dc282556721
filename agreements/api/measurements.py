"""REST API of measurements (/api/v1/agree/measurements/...): list with filters, record one, push up to
1,000 at once, read and delete one.

A measurement pushed with a `source_id` is stored once per target: sending it again answers 200 with
`status` "updated" or "unchanged" instead of 201 "created". Moments must carry their time zone (a
program can always say what it means; the browser forms read naive times in the target's calendar's
zone). After every change the targets' compliance is recomputed in the background.

The conventions of journeys/api.py: one class per URL, input and output serializers apart, reads
through the selectors (a measurement of an account the caller may not see is a 404), writes through
the services (which check the rules and name the field of any bad input), errors in the one envelope.
"""

from __future__ import annotations

import django_filters
from django.db import models
from django.db.models import QuerySet
from django.urls import path
from django.utils.dateparse import parse_datetime
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from agreements import selectors, services
from agreements.models import Measurement, MeasurementSource, ServiceLevelTarget
from agreements.services.measurements import MAX_PUSH_ROWS
from journeys import roles
from journeys.api import IDEMPOTENCY_PARAMETER, READ_ERRORS, WRITE_ERRORS, ListApi, UpdatedSinceFilterSet
from journeys.api_base import NamedChoiceField
from journeys.api_base import validated as _validated
from journeys.idempotency import idempotent
from journeys.selectors import organization_scope
from journeys.serializers import ErrorOutput, InputSerializer, ScopedIdField

REPLAY_ERRORS = {422: ErrorOutput}


class MeasurementOutcome(models.TextChoices):
    """What a request did with a measurement."""

    CREATED = "created", "Stored as a new measurement"
    UPDATED = "updated", "Stored over the one with the same source id"
    UNCHANGED = "unchanged", "Already stored as it is"


class PushRowOutcome(models.TextChoices):
    """What a bulk push did with one row."""

    CREATED = "created", "Stored as a new measurement"
    UPDATED = "updated", "Stored over the one with the same source id"
    UNCHANGED = "unchanged", "Already stored as it is"
    ERROR = "error", "Refused; see its errors"


def _target_scope(user) -> QuerySet[ServiceLevelTarget]:
    """The targets of the accounts the user may see, with what the service's checks read."""
    targets = ServiceLevelTarget.objects.select_related("agreement__organization", "calendar")
    if roles.sees_whole_portfolio(user):
        return targets
    return targets.filter(agreement__organization__in=organization_scope(user))


# --- serializers ----------------------------------------------------------------------------------


@extend_schema_field({"type": "string", "format": "date-time", "example": "2026-03-31T23:30:00Z"})
class AwareDateTimeField(serializers.DateTimeField):
    """An ISO 8601 moment that must carry its time zone (`Z` or an offset); a naive one is refused."""

    default_error_messages = {
        "naive": "Include the time zone, e.g. 2026-03-31T23:30:00Z or 2026-04-01T01:30:00+02:00.",
    }

    def to_internal_value(self, value):
        if isinstance(value, str):
            parsed = parse_datetime(value.strip())
            if parsed is not None and parsed.tzinfo is None:
                self.fail("naive")
        return super().to_internal_value(value)


class MeasurementInput(InputSerializer):
    target = ScopedIdField(model=ServiceLevelTarget, scope=_target_scope, help_text="The target's id.")
    measured_at = AwareDateTimeField(help_text="When it was measured, with its time zone; not in the future.")
    value = serializers.DecimalField(
        max_digits=None, decimal_places=None, help_text="A finite number; stored with 4 decimal places."
    )
    source_id = serializers.CharField(
        max_length=120,
        required=False,
        allow_blank=True,
        help_text="Your own id for the value: sending it again for the same target updates it, never adds.",
    )
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)
    excluded = serializers.BooleanField(
        required=False, default=False, help_text="Stored and shown, but not counted in compliance."
    )


class MeasurementOutput(serializers.ModelSerializer):
    agreement = serializers.IntegerField(source="target.agreement_id", read_only=True)
    source = NamedChoiceField(MeasurementSource, read_only=True)

    class Meta:
        model = Measurement
        fields = [
            "id",
            "target",
            "agreement",
            "measured_at",
            "period_start",
            "value",
            "source",
            "source_id",
            "note",
            "excluded",
            "recorded_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class MeasurementRecordedOutput(MeasurementOutput):
    status = NamedChoiceField(
        MeasurementOutcome, read_only=True, help_text="What the request did with the stored measurement."
    )

    class Meta(MeasurementOutput.Meta):
        fields = [*MeasurementOutput.Meta.fields, "status"]
        read_only_fields = fields


class MeasurementRowInput(serializers.Serializer):
    """One row of a bulk push (for the schema: the service checks each row itself, so that a bad row is
    reported in the results rather than refusing the whole request)."""

    target = serializers.IntegerField(help_text="The target's id.")
    measured_at = AwareDateTimeField(help_text="With its time zone; not in the future.")
    value = serializers.DecimalField(max_digits=None, decimal_places=None)
    source_id = serializers.CharField(max_length=120, help_text="Required: a retried push changes nothing.")
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)
    excluded = serializers.BooleanField(required=False, default=False)


class BulkInputSchema(serializers.Serializer):
    rows = MeasurementRowInput(many=True, help_text=f"1 to {MAX_PUSH_ROWS} measurements.")


class BulkInput(InputSerializer):
    rows = serializers.ListField(child=serializers.JSONField(), allow_empty=False)


class RowResultOutput(serializers.Serializer):
    row = serializers.IntegerField(help_text="The row's index in `rows`, from 0.")
    status = NamedChoiceField(PushRowOutcome)
    id = serializers.IntegerField(required=False, help_text="The stored measurement (not for errors).")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="For errors: the messages per field of the row.",
    )


class BulkOutput(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    errors = serializers.IntegerField(help_text="Rows refused; the others were stored.")
    results = RowResultOutput(many=True)


# --- examples -------------------------------------------------------------------------------------

ONE_REQUEST = OpenApiExample(
    "Monthly availability from the monitoring tool",
    value={
        "target": 42,
        "measured_at": "2026-03-31T23:30:00Z",
        "value": "99.95",
        "source_id": "uptime-2026-03",
        "note": "From the uptime report",
    },
    request_only=True,
)
ONE_RESPONSE = OpenApiExample(
    "Stored",
    value={
        "id": 901,
        "target": 42,
        "agreement": 7,
        "measured_at": "2026-03-31T23:30:00Z",
        "period_start": "2026-04-01",
        "value": "99.9500",
        "source": "api",
        "source_id": "uptime-2026-03",
        "note": "From the uptime report",
        "excluded": False,
        "recorded_by": 3,
        "created_at": "2026-04-01T06:00:00Z",
        "updated_at": "2026-04-01T06:00:00Z",
        "status": "created",
    },
    response_only=True,
)
BULK_REQUEST = OpenApiExample(
    "Two values, one without its time zone",
    value={
        "rows": [
            {
                "target": 42,
                "measured_at": "2026-04-30T22:00:00Z",
                "value": 99.7,
                "source_id": "uptime-2026-04",
            },
            {
                "target": 42,
                "measured_at": "2026-05-31T22:00:00",
                "value": 99.9,
                "source_id": "uptime-2026-05",
            },
        ]
    },
    request_only=True,
)
BULK_RESPONSE = OpenApiExample(
    "One stored, one refused",
    value={
        "created": 1,
        "updated": 0,
        "unchanged": 0,
        "errors": 1,
        "results": [
            {"row": 0, "status": "created", "id": 902},
            {
                "row": 1,
                "status": "error",
                "errors": {"measured_at": ["Include the time zone, e.g. 2026-03-31T23:30:00Z."]},
            },
        ],
    },
    response_only=True,
)
LIST_RESPONSE = OpenApiExample(
    "A page",
    value={
        "next": "https://dsv.example/api/v1/agree/measurements/?cursor=cD0y",
        "previous": None,
        "results": [],
    },
    response_only=True,
)


# --- views ----------------------------------------------------------------------------------------


class MeasurementFilter(UpdatedSinceFilterSet):
    target = django_filters.NumberFilter(field_name="target_id")
    agreement = django_filters.NumberFilter(field_name="target__agreement_id")
    source = django_filters.ChoiceFilter(choices=MeasurementSource.choices)
    measured_after = django_filters.IsoDateTimeFilter(
        field_name="measured_at", lookup_expr="gte", help_text="Measured at or after this moment."
    )
    measured_before = django_filters.IsoDateTimeFilter(
        field_name="measured_at", lookup_expr="lt", help_text="Measured before this moment."
    )


@extend_schema(tags=["measurements"])
class MeasurementCollectionApi(ListApi):
    serializer_class = MeasurementOutput
    filterset_class = MeasurementFilter

    def get_queryset(self) -> QuerySet:
        return selectors.measurement_scope(self.request.user).select_related("target")

    @extend_schema(
        summary="List measurements",
        description="The measurements of the accounts you may see, oldest change first, a cursor page at a "
        "time. Filter by `target`, `agreement`, `source`, `measured_after`, `measured_before` (ISO 8601 "
        "moments) and `updated_since`.",
        responses={200: MeasurementOutput(many=True), **READ_ERRORS},
        examples=[LIST_RESPONSE],
    )
    def get(self, request: Request) -> Response:
        return super().get(request)

    @extend_schema(
        summary="Record a measurement",
        description="Stores one measurement of an active target of an agreed, active or expired agreement "
        "(source `api`). With a `source_id` the target already has, the stored measurement is updated "
        "(200, `status` updated) or left as it is (200, unchanged); otherwise 201, created. The target's "
        "compliance is recomputed in the background.",
        parameters=[IDEMPOTENCY_PARAMETER],
        request=MeasurementInput,
        responses={
            201: MeasurementRecordedOutput,
            200: MeasurementRecordedOutput,
            **WRITE_ERRORS,
            **REPLAY_ERRORS,
        },
        examples=[ONE_REQUEST, ONE_RESPONSE],
    )
    @idempotent
    def post(self, request: Request) -> Response:
        data = _validated(MeasurementInput, request)
        measurement, outcome = services.measurement_record(
            actor=request.user, source=MeasurementSource.API, **data
        )
        body = MeasurementRecordedOutput(measurement).data | {"status": outcome}
        return Response(body, status=status.HTTP_201_CREATED if outcome == "created" else status.HTTP_200_OK)


@extend_schema(tags=["measurements"])
class MeasurementBulkApi(APIView):
    @extend_schema(
        summary="Push many measurements at once",
        description=f"Up to {MAX_PUSH_ROWS} rows, each with its `source_id` (so a retried push changes "
        "nothing). Each row is checked and stored on its own: the answer (200) lists, in order, what "
        "happened to each: created, updated, unchanged, or error with the messages per field. Too many "
        "rows, or no list at all, refuse the whole request (400). One recompute of the targets touched "
        "follows in the background.",
        parameters=[IDEMPOTENCY_PARAMETER],
        request=BulkInputSchema,
        responses={200: BulkOutput, **WRITE_ERRORS, **REPLAY_ERRORS},
        examples=[BULK_REQUEST, BULK_RESPONSE],
    )
    @idempotent
    def post(self, request: Request) -> Response:
        rows = _validated(BulkInput, request)["rows"]
        results = services.measurements_push(actor=request.user, rows=rows)
        counts = {name: 0 for name in ("created", "updated", "unchanged", "error")}
        for result in results:
            counts[result["status"]] += 1
        return Response(
            {
                "created": counts["created"],
                "updated": counts["updated"],
                "unchanged": counts["unchanged"],
                "errors": counts["error"],
                "results": results,
            }
        )


@extend_schema(tags=["measurements"])
class MeasurementItemApi(APIView):
    @extend_schema(
        summary="Get a measurement",
        description="One measurement of an account you may see.",
        responses={200: MeasurementOutput, **READ_ERRORS},
        examples=[
            OpenApiExample(
                "A measurement",
                value={key: value for key, value in ONE_RESPONSE.value.items() if key != "status"},
                response_only=True,
            )
        ],
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(MeasurementOutput(selectors.measurement_get(user=request.user, pk=pk)).data)

    @extend_schema(
        summary="Delete a measurement recorded by mistake",
        description="Removes it and recomputes its target's compliance. A right value that should not "
        "count is better pushed again with `excluded: true`, so it stays on record.",
        responses={204: None, **WRITE_ERRORS},
        examples=[OpenApiExample("Deleted", value=None, response_only=True, status_codes=["204"])],
    )
    def delete(self, request: Request, pk: int) -> Response:
        measurement = selectors.measurement_get(user=request.user, pk=pk)
        services.measurement_delete(actor=request.user, measurement=measurement)
        return Response(status=status.HTTP_204_NO_CONTENT)


urlpatterns = [
    path("agree/measurements/", MeasurementCollectionApi.as_view(), name="api_measurements"),
    path("agree/measurements/bulk/", MeasurementBulkApi.as_view(), name="api_measurements_bulk"),
    path("agree/measurements/<int:pk>/", MeasurementItemApi.as_view(), name="api_measurement"),
]
