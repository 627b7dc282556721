"""REST API of the compliance engine's results (/api/v1/agree/...): an agreement's scorecards per
month, a target's scores per period, and asking for an agreement's compliance to be recomputed.

Reads go through the selectors (404 for an agreement or target of an account the caller may not
see); the recompute through the service (403 for read-only roles, 409 for an agreement the engine
does not score). Errors use the one envelope.
"""

from __future__ import annotations

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from agreements import selectors, services
from agreements.models import ComplianceStatus, MeasurementPeriod, Scorecard, TargetScore
from agreements.selectors.compliance import MAX_HISTORY
from journeys.api import READ_ERRORS, WRITE_ERRORS
from journeys.api_base import NamedChoiceField
from journeys.base import ApplicationError

# --- serializers ----------------------------------------------------------------------------------


class ScorecardOutput(serializers.ModelSerializer):
    compliance_pct = serializers.DecimalField(
        max_digits=5,
        decimal_places=1,
        allow_null=True,
        read_only=True,
        help_text="(Met + at risk) ÷ measured × 100; null when nothing was measured.",
    )

    class Meta:
        model = Scorecard
        fields = [
            "month",
            "targets_measured",
            "met",
            "at_risk",
            "breached",
            "compliance_pct",
            "computed_at",
        ]
        read_only_fields = fields


class AgreementScorecardsOutput(serializers.Serializer):
    agreement = serializers.IntegerField()
    results = ScorecardOutput(
        many=True, help_text="Newest month first; months with nothing scored are left out."
    )


class TargetScoreOutput(serializers.ModelSerializer):
    status = NamedChoiceField(ComplianceStatus, read_only=True)
    period = NamedChoiceField(MeasurementPeriod, read_only=True)

    class Meta:
        model = TargetScore
        fields = [
            "period",
            "period_start",
            "period_end",
            "achieved_value",
            "measurement_count",
            "status",
            "is_closed",
            "computed_at",
        ]
        read_only_fields = fields


class TargetScoresOutput(serializers.Serializer):
    target = serializers.IntegerField()
    results = TargetScoreOutput(many=True, help_text="Newest period first.")


class ComplianceRecomputeOutput(serializers.Serializer):
    agreement = serializers.IntegerField()
    status = serializers.CharField(help_text="Always `queued`: the recompute runs in the background.")


def _count(request: Request, name: str, default: int) -> int:
    raw = request.query_params.get(name, "")
    if not raw:
        return default
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_HISTORY:
        raise ApplicationError.for_field(name, f"Give a whole number from 1 to {MAX_HISTORY}.")
    return int(raw)


# --- views ----------------------------------------------------------------------------------------


@extend_schema(tags=["compliance"])
class AgreementScorecardsApi(APIView):
    @extend_schema(
        summary="An agreement's scorecards",
        description="Per month, how many of the agreement's targets were measured, met, at risk and "
        "breached, and the compliance %. A quarterly target counts in the month its quarter ends. "
        "`months` (1–60, default 12) sets how many months back from this one.",
        parameters=[OpenApiParameter("months", OpenApiTypes.INT, description="How many months (1–60).")],
        responses={200: AgreementScorecardsOutput, **READ_ERRORS, 400: WRITE_ERRORS[400]},
        examples=[
            OpenApiExample(
                "Two months",
                value={
                    "agreement": 7,
                    "results": [
                        {
                            "month": "2026-04-01",
                            "targets_measured": 4,
                            "met": 3,
                            "at_risk": 0,
                            "breached": 1,
                            "compliance_pct": "75.0",
                            "computed_at": "2026-04-30T22:05:00Z",
                        },
                        {
                            "month": "2026-03-01",
                            "targets_measured": 0,
                            "met": 0,
                            "at_risk": 0,
                            "breached": 0,
                            "compliance_pct": None,
                            "computed_at": "2026-04-01T00:05:00Z",
                        },
                    ],
                },
                response_only=True,
            )
        ],
    )
    def get(self, request: Request, pk: int) -> Response:
        agreement = selectors.measurable_agreement_get(user=request.user, pk=pk)
        cards = selectors.agreement_scorecards(
            user=request.user, agreement=agreement, months=_count(request, "months", 12)
        )
        return Response(AgreementScorecardsOutput({"agreement": agreement.pk, "results": cards}).data)


@extend_schema(tags=["compliance"])
class TargetScoresApi(APIView):
    @extend_schema(
        summary="A target's scores per period",
        description="The target's achieved value and status (met, at risk, breached, no data) in each of "
        "its last periods, newest first; `periods` (1–60, default 12) sets how many.",
        parameters=[OpenApiParameter("periods", OpenApiTypes.INT, description="How many periods (1–60).")],
        responses={200: TargetScoresOutput, **READ_ERRORS, 400: WRITE_ERRORS[400]},
        examples=[
            OpenApiExample(
                "The open month and the one before",
                value={
                    "target": 42,
                    "results": [
                        {
                            "period": "month",
                            "period_start": "2026-05-01",
                            "period_end": "2026-05-31",
                            "achieved_value": "99.6000",
                            "measurement_count": 12,
                            "status": "at_risk",
                            "is_closed": False,
                            "computed_at": "2026-05-15T08:00:00Z",
                        },
                        {
                            "period": "month",
                            "period_start": "2026-04-01",
                            "period_end": "2026-04-30",
                            "achieved_value": "99.9100",
                            "measurement_count": 30,
                            "status": "met",
                            "is_closed": True,
                            "computed_at": "2026-05-01T00:05:00Z",
                        },
                    ],
                },
                response_only=True,
            )
        ],
    )
    def get(self, request: Request, pk: int) -> Response:
        target = selectors.measurable_target_get(user=request.user, pk=pk)
        scores = selectors.target_scores(
            user=request.user, target=target, periods=_count(request, "periods", 12)
        )
        return Response(TargetScoresOutput({"target": target.pk, "results": scores}).data)


@extend_schema(tags=["compliance"])
class ComplianceRecomputeApi(APIView):
    @extend_schema(
        summary="Recompute an agreement's compliance",
        description="Queues a recompute of the agreement's scores, scorecards and breaches from its "
        "measurements (202). It happens anyway after every change of a measurement and each night; use "
        "this after changing targets or correcting data outside DSV. Only for active and expired "
        "agreements (409 otherwise).",
        request=None,
        responses={202: ComplianceRecomputeOutput, **WRITE_ERRORS},
        examples=[OpenApiExample("Queued", value={"agreement": 7, "status": "queued"}, response_only=True)],
    )
    def post(self, request: Request, pk: int) -> Response:
        agreement = selectors.measurable_agreement_get(user=request.user, pk=pk)
        services.compliance_recompute_request(actor=request.user, agreement=agreement)
        return Response({"agreement": agreement.pk, "status": "queued"}, status=status.HTTP_202_ACCEPTED)


urlpatterns = [
    path(
        "agree/agreements/<int:pk>/scorecards/",
        AgreementScorecardsApi.as_view(),
        name="api_agreement_scorecards",
    ),
    path("agree/targets/<int:pk>/scores/", TargetScoresApi.as_view(), name="api_target_scores"),
    path(
        "agree/agreements/<int:pk>/compliance/recompute/",
        ComplianceRecomputeApi.as_view(),
        name="api_agreement_compliance_recompute",
    ),
]
