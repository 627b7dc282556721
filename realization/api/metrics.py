"""REST API of value metrics (/api/v1/realize/...): the monthly snapshots per account and per market
segment (all steps together and per journey step) with their figures and the health score explained,
and the health policy that weighs them.

The conventions of realization/api/surveys.py. Snapshots are computed by the metrics jobs
(realization.services.metrics); the API only reads them. An account's snapshots follow the account (a
relationship manager of another team gets 404 and never sees them in a list); a segment's adds up
every member account, so only the roles that see the whole portfolio read segment rows. The health
policy is read by every role and changed by administrators only.
"""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.urls import path
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_field
from rest_framework import exceptions
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from journeys import roles
from journeys.api import READ_ERRORS, WRITE_ERRORS, ListApi
from journeys.api_base import SyncSelectorFilterSet
from journeys.models import JourneyStep
from journeys.selectors import in_organization_scope
from realization import services
from realization.api.filters import parse_month
from realization.api.serializers import HealthPolicyInput, HealthPolicyOutput, SnapshotOutput
from realization.models import HealthBand, HealthPolicy, SnapshotLevel, ValueSnapshot

__all__: list[str] = []

SNAPSHOT_TAGS = ["realize value metrics"]
POLICY_TAGS = ["realize health policy"]
ALL_STEPS = "all_steps"


def snapshot_scope(user) -> QuerySet[ValueSnapshot]:
    """The snapshots the user may read: the accounts they see; segments for whole-portfolio roles."""
    if not roles.roles_of(user):
        return ValueSnapshot.objects.none()
    if roles.sees_whole_portfolio(user):
        return ValueSnapshot.objects.all()
    return in_organization_scope(ValueSnapshot.objects.filter(level=SnapshotLevel.ACCOUNT), user)


def _explainer(policy: HealthPolicy):
    return lambda snapshot: services.health_explain(snapshot, policy)


# --- examples -------------------------------------------------------------------------------------

SNAPSHOT_EXAMPLE = {
    "id": 5120,
    "level": "account",
    "organization": 4,
    "segment": None,
    "step": "",
    "month": "2026-10",
    "invitations": 40,
    "responses": 18,
    "nps_responses": 6,
    "promoters": 3,
    "passives": 2,
    "detractors": 1,
    "csat_responses": 10,
    "csat_satisfied": 7,
    "ces_responses": 2,
    "touchpoints": 64,
    "sla_measured": 12,
    "sla_met": 12,
    "experience_missed": 0,
    "nps": 33.3,
    "csat_pct": 70.0,
    "csat_mean": 3.9,
    "ces_mean": 5.5,
    "response_rate": 45.0,
    "sla_compliance": 100.0,
    "sentiment_avg": 0.31,
    "health_score": 72.8,
    "health_band": "healthy",
    "is_watermelon": True,
    "watermelon_reasons": ["csat"],
    "health": {
        "score": 72.8,
        "band": "healthy",
        "band_label": "Healthy",
        "first_month": "2026-08",
        "window_months": 3,
        "weight_counted": 100,
        "formula": "(25 × 61.5 + 25 × 70.0 + 15 × 75.0 + 20 × 100.0 + 15 × 57.8) ÷ 100 = 72.8",
        "factors": [
            {
                "key": "nps",
                "label": "NPS",
                "value": 23.0,
                "conversion": "(NPS + 100) ÷ 2",
                "score": 61.5,
                "weight": 25,
                "counted": True,
                "contribution": 15.38,
            },
        ],
    },
    "computed_at": "2026-11-01T02:10:00Z",
}


# --- snapshots ------------------------------------------------------------------------------------


class MonthOrder(CursorPagination):
    """Snapshots oldest month first (then by id), one cursor page at a time."""

    ordering = ("month", "id")
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 500


class SnapshotFilter(SyncSelectorFilterSet):
    level = django_filters.ChoiceFilter(choices=SnapshotLevel.choices, method="keep")
    segment = django_filters.NumberFilter(method="keep", help_text="Id of the market segment.")
    step = django_filters.ChoiceFilter(
        choices=[(ALL_STEPS, "All steps together"), *JourneyStep.choices],
        method="keep",
        help_text="A journey step, or `all_steps` for the rows of all steps together; every row when "
        "left out.",
    )
    month_from = django_filters.CharFilter(method="filter_month_from")
    month_to = django_filters.CharFilter(method="filter_month_to")
    health_band = django_filters.ChoiceFilter(choices=HealthBand.choices, method="keep")
    is_watermelon = django_filters.BooleanFilter(method="keep")

    @extend_schema_field(
        {"type": "string", "pattern": r"^\d{4}-\d{2}$", "description": "From this month, YYYY-MM."}
    )
    def filter_month_from(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset

    @extend_schema_field(
        {
            "type": "string",
            "pattern": r"^\d{4}-\d{2}$",
            "description": "Up to this month (included), YYYY-MM.",
        }
    )
    def filter_month_to(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        data = self.form.cleaned_data
        rows = snapshot_scope(self.request.user)
        if data.get("level"):
            rows = rows.filter(level=data["level"])
        organization = self.organization_id()
        if organization is not None:
            rows = rows.filter(organization_id=organization)
        segment = data.get("segment")
        if segment is not None:
            if segment != int(segment):
                raise exceptions.ValidationError({"segment": ["Give the id of a market segment."]})
            rows = rows.filter(segment_id=int(segment))
        step = data.get("step")
        if step:
            rows = rows.filter(step="" if step == ALL_STEPS else step)
        first = parse_month(data.get("month_from"), name="month_from")
        last = parse_month(data.get("month_to"), name="month_to")
        if first and last and first > last:
            raise exceptions.ValidationError({"month_to": ["The last month comes on or after the first."]})
        if first:
            rows = rows.filter(month__gte=first)
        if last:
            rows = rows.filter(month__lte=last)
        if data.get("health_band"):
            rows = rows.filter(health_band=data["health_band"])
        if data.get("is_watermelon") is not None:
            rows = rows.filter(is_watermelon=data["is_watermelon"])
        return self.since(rows, "computed_at")


@extend_schema(tags=SNAPSHOT_TAGS)
class SnapshotCollectionApi(ListApi):
    serializer_class = SnapshotOutput
    filterset_class = SnapshotFilter
    pagination_class = MonthOrder

    def get_queryset(self) -> QuerySet:
        return snapshot_scope(self.request.user)

    def list(self, request: Request, *args, **kwargs) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        context = {"explain": _explainer(HealthPolicy.current())}
        return self.get_paginated_response(SnapshotOutput(page, many=True, context=context).data)

    @extend_schema(
        summary="List value snapshots",
        description="One row per account (or market segment), month and step (empty `step`: all steps "
        "together): the counts of the month (invitations sent, answers by type, promoters and "
        "detractors, satisfied CSAT answers, touchpoints, SLA targets measured and met, experience "
        "targets missed), the figures they give (NPS, CSAT % and mean, CES mean, response rate, SLA "
        "compliance, mean sentiment) and the health score with its band, its watermelon flag and "
        "`health`: each input, its 0–100 score, its weight and its share, and the formula. Oldest "
        "month first, one cursor page at a time (follow `next`). Filter by `level`, `organization`, "
        "`segment`, `step` (`all_steps` for the rows of all steps together), `month_from`, "
        "`month_to` (YYYY-MM), `health_band`, `is_watermelon` and `updated_since` (computed at or "
        "after). Segment rows are read by the roles that see the whole portfolio.",
        responses={200: SnapshotOutput(many=True), **READ_ERRORS},
        examples=[OpenApiExample("An account's month", value=SNAPSHOT_EXAMPLE, response_only=True)],
    )
    def get(self, request: Request) -> Response:
        return super().get(request)


@extend_schema(tags=SNAPSHOT_TAGS)
class SnapshotItemApi(APIView):
    @extend_schema(
        summary="Get a value snapshot",
        responses={200: SnapshotOutput, **READ_ERRORS},
        examples=[OpenApiExample("An account's month", value=SNAPSHOT_EXAMPLE, response_only=True)],
    )
    def get(self, request: Request, pk: int) -> Response:
        try:
            snapshot = snapshot_scope(request.user).get(pk=pk)
        except ValueSnapshot.DoesNotExist:
            raise exceptions.NotFound() from None
        context = {"explain": _explainer(HealthPolicy.current())}
        return Response(SnapshotOutput(snapshot, context=context).data)


# --- health policy --------------------------------------------------------------------------------

POLICY_EXAMPLE = {
    "weight_nps": 25,
    "weight_csat": 25,
    "weight_ces": 15,
    "weight_sla": 20,
    "weight_sentiment": 15,
    "weights": {"nps": 25, "csat": 25, "ces": 15, "sla": 20, "sentiment": 15},
    "window_months": 3,
    "healthy_from": 70.0,
    "at_risk_below": 50.0,
    "watermelon_sla_from": 95.0,
    "watermelon_csat_below": 80.0,
    "watermelon_ces_below": 5.0,
    "watermelon_sentiment_below": 0.0,
    "updated_by": 1,
    "updated_at": "2026-10-01T12:00:00Z",
}
WEIGHTS_ZERO_MESSAGE = "The weights cannot all be zero: give at least one factor a weight."
WEIGHTS_ZERO = OpenApiExample(
    "Weights that add up to zero",
    status_codes=["400"],
    response_only=True,
    value={
        "error": {
            "code": "invalid",
            "message": WEIGHTS_ZERO_MESSAGE,
            "fields": {
                name: [WEIGHTS_ZERO_MESSAGE]
                for name in ("weight_nps", "weight_csat", "weight_ces", "weight_sla", "weight_sentiment")
            },
        }
    },
)


@extend_schema(tags=POLICY_TAGS)
class HealthPolicyApi(APIView):
    @extend_schema(
        summary="Get the health policy",
        description="The weights of the health score's factors (NPS, CSAT, CES, SLA compliance, "
        "touchpoint sentiment), how many months a score reads, the bands' limits and the watermelon "
        "thresholds.",
        responses={200: HealthPolicyOutput, **READ_ERRORS},
        examples=[OpenApiExample("The default policy", value=POLICY_EXAMPLE, response_only=True)],
    )
    def get(self, request: Request) -> Response:
        return Response(HealthPolicyOutput(HealthPolicy.current()).data)

    @extend_schema(
        summary="Change the health policy",
        description="Administrators only. Any of its fields; what is left out stays. Weights that add "
        "up to zero are refused naming every weight; nothing is saved.",
        request=HealthPolicyInput,
        responses={200: HealthPolicyOutput, **WRITE_ERRORS},
        examples=[
            OpenApiExample("Weigh SLA compliance more", request_only=True, value={"weight_sla": 30}),
            WEIGHTS_ZERO,
        ],
    )
    def patch(self, request: Request) -> Response:
        serializer = HealthPolicyInput(data=request.data, partial=True, context={"request": request})
        serializer.is_valid(raise_exception=True)
        policy = services.health_policy_update(user=request.user, data=dict(serializer.validated_data))
        return Response(HealthPolicyOutput(policy).data)


urlpatterns = [
    path("realize/metric-snapshots/", SnapshotCollectionApi.as_view(), name="api_realize_snapshots"),
    path("realize/metric-snapshots/<int:pk>/", SnapshotItemApi.as_view(), name="api_realize_snapshot"),
    path("realize/health-policy/", HealthPolicyApi.as_view(), name="api_realize_health_policy"),
]
