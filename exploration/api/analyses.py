"""REST API of SWOT and PESTLE analyses (/api/v1/swot-analyses/, /api/v1/pestle-analyses/ and their
items and factors).

The conventions of journeys/api.py: one class per URL, input and output serializers apart, reads through
the selectors (an analysis of an organization the caller may not see is a 404), writes through the
services, errors in the one envelope.
"""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from exploration import selectors, services
from exploration.models import (
    AnalysisSubject,
    MarketSegment,
    PestleAnalysis,
    PestleArea,
    PestleEffect,
    PestleFactor,
    SwotAnalysis,
    SwotItem,
    SwotQuadrant,
)
from journeys.api import IDEMPOTENCY_PARAMETER, READ_ERRORS, WRITE_ERRORS, ListApi, UpdatedSinceFilterSet
from journeys.api_base import NamedChoiceField
from journeys.api_base import validated as _validated
from journeys.idempotency import idempotent
from journeys.models import Organization
from journeys.selectors import organization_scope
from journeys.serializers import ErrorOutput, InputSerializer, ScopedIdField

SCALE = {"min_value": services.SCALE_MIN, "max_value": services.SCALE_MAX}
REPLAY_ERRORS = {422: ErrorOutput}
NO_CONTENT = {204: None}


# --- serializers ----------------------------------------------------------------------------------


class AnalysisInput(InputSerializer):
    title = serializers.CharField(max_length=160)
    subject = NamedChoiceField(
        AnalysisSubject,
        required=False,
        help_text="`provider` (our own organization, the default), `organization` or `segment`.",
    )
    organization = ScopedIdField(
        model=Organization,
        scope=organization_scope,
        required=False,
        allow_null=True,
        help_text="Required when the subject is `organization`; empty otherwise.",
    )
    segment = serializers.PrimaryKeyRelatedField(
        queryset=MarketSegment.objects.all(),
        required=False,
        allow_null=True,
        help_text="Required when the subject is `segment`; empty otherwise.",
    )
    analysed_on = serializers.DateField(required=False, help_text="Today when left out.")
    notes = serializers.CharField(required=False, allow_blank=True)


class AnalysisOutput(serializers.ModelSerializer):
    subject = NamedChoiceField(AnalysisSubject, read_only=True)

    class Meta:
        fields = [
            "id",
            "title",
            "subject",
            "organization",
            "segment",
            "analysed_on",
            "notes",
            "owner",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class SwotItemInput(InputSerializer):
    quadrant = NamedChoiceField(SwotQuadrant)
    text = serializers.CharField(max_length=300)
    weight = serializers.IntegerField(required=False, help_text="1 (a little) to 5 (a great deal).", **SCALE)


class SwotItemOutput(serializers.ModelSerializer):
    quadrant = NamedChoiceField(SwotQuadrant, read_only=True)

    class Meta:
        model = SwotItem
        fields = ["id", "analysis", "quadrant", "text", "weight", "pestle_factor", "created_at", "updated_at"]
        read_only_fields = fields


class QuadrantFiguresOutput(serializers.Serializer):
    strength = serializers.IntegerField()
    weakness = serializers.IntegerField()
    opportunity = serializers.IntegerField()
    threat = serializers.IntegerField()


class SwotBalanceOutput(serializers.Serializer):
    counts = QuadrantFiguresOutput(help_text="Items per quadrant.")
    weights = QuadrantFiguresOutput(help_text="Sum of the items' weights per quadrant.")
    needs_bridging = serializers.BooleanField(
        help_text="True when weaknesses outnumber or outweigh strengths: the gap must be bridged."
    )
    triggered_by = serializers.ListField(
        child=serializers.ChoiceField(choices=["count", "weight"]),
        help_text="Which rule raised the flag: the number of items, the weights, or both.",
    )
    message = serializers.CharField()


class SwotAnalysisOutput(AnalysisOutput):
    class Meta(AnalysisOutput.Meta):
        model = SwotAnalysis


class SwotAnalysisDetailOutput(SwotAnalysisOutput):
    items = SwotItemOutput(many=True, source="board_items")
    balance = SwotBalanceOutput()

    class Meta(SwotAnalysisOutput.Meta):
        fields = [*SwotAnalysisOutput.Meta.fields, "items", "balance"]
        read_only_fields = fields


class PullInput(InputSerializer):
    factors = serializers.ListField(
        child=serializers.IntegerField(),
        help_text="Ids of PESTLE factors of an analysis of the same subject.",
    )


class PestleFactorInput(InputSerializer):
    area = NamedChoiceField(PestleArea)
    factor = serializers.CharField(max_length=160)
    description = serializers.CharField(required=False, allow_blank=True)
    effect = NamedChoiceField(PestleEffect)
    impact = serializers.IntegerField(required=False, help_text="1 (slight) to 5 (severe).", **SCALE)
    likelihood = serializers.IntegerField(
        required=False, help_text="1 (unlikely) to 5 (already happening).", **SCALE
    )


class PestleFactorOutput(serializers.ModelSerializer):
    area = NamedChoiceField(PestleArea, read_only=True)
    effect = NamedChoiceField(PestleEffect, read_only=True)
    score = serializers.SerializerMethodField(help_text="Impact × likelihood, 1 to 25.")

    class Meta:
        model = PestleFactor
        fields = [
            "id",
            "analysis",
            "area",
            "factor",
            "description",
            "effect",
            "impact",
            "likelihood",
            "score",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.INT)
    def get_score(self, factor: PestleFactor) -> int:
        # The board annotates it in the database; a single factor just written has its two figures.
        return getattr(factor, "score", None) or factor.impact * factor.likelihood


class PestleAnalysisOutput(AnalysisOutput):
    class Meta(AnalysisOutput.Meta):
        model = PestleAnalysis


class PestleAnalysisDetailOutput(PestleAnalysisOutput):
    factors = PestleFactorOutput(many=True, source="board_factors")

    class Meta(PestleAnalysisOutput.Meta):
        fields = [*PestleAnalysisOutput.Meta.fields, "factors"]
        read_only_fields = fields


# --- helpers --------------------------------------------------------------------------------------


class AnalysisFilter(UpdatedSinceFilterSet):
    subject = django_filters.ChoiceFilter(choices=AnalysisSubject.choices)
    organization = django_filters.NumberFilter(field_name="organization_id")
    segment = django_filters.NumberFilter(field_name="segment_id")


def _swot_detail(analysis: SwotAnalysis, *, status_code: int = status.HTTP_200_OK) -> Response:
    analysis.board_items = [
        item for quadrant in selectors.swot_board(analysis=analysis) for item in quadrant.items
    ]
    balance = selectors.swot_balance(analysis=analysis)
    analysis.balance = {
        "counts": balance.counts,
        "weights": balance.weights,
        "needs_bridging": balance.needs_bridging,
        "triggered_by": balance.triggered_by,
        "message": balance.message,
    }
    return Response(SwotAnalysisDetailOutput(analysis).data, status=status_code)


def _pestle_detail(analysis: PestleAnalysis, *, status_code: int = status.HTTP_200_OK) -> Response:
    analysis.board_factors = [
        factor for area in selectors.pestle_board(analysis=analysis) for factor in area.factors
    ]
    return Response(PestleAnalysisDetailOutput(analysis).data, status=status_code)


# --- SWOT -----------------------------------------------------------------------------------------


@extend_schema(tags=["swot analyses"])
class SwotAnalysisCollectionApi(ListApi):
    serializer_class = SwotAnalysisOutput
    filterset_class = AnalysisFilter

    def get_queryset(self) -> QuerySet:
        return selectors.swot_analysis_scope(self.request.user)

    @extend_schema(
        summary="List SWOT analyses", responses={200: SwotAnalysisOutput(many=True), **READ_ERRORS}
    )
    def get(self, request: Request) -> Response:
        return super().get(request)

    @extend_schema(
        summary="Start a SWOT analysis",
        parameters=[IDEMPOTENCY_PARAMETER],
        request=AnalysisInput,
        responses={201: SwotAnalysisDetailOutput, **WRITE_ERRORS, **REPLAY_ERRORS},
    )
    @idempotent
    def post(self, request: Request) -> Response:
        analysis = services.swot_analysis_create(actor=request.user, **_validated(AnalysisInput, request))
        return _swot_detail(analysis, status_code=status.HTTP_201_CREATED)


@extend_schema(tags=["swot analyses"])
class SwotAnalysisItemApi(APIView):
    @extend_schema(
        summary="Get a SWOT analysis with its items and balance",
        responses={200: SwotAnalysisDetailOutput, **READ_ERRORS},
    )
    def get(self, request: Request, pk: int) -> Response:
        return _swot_detail(selectors.swot_analysis_get(user=request.user, pk=pk))

    @extend_schema(
        summary="Update a SWOT analysis",
        request=AnalysisInput,
        responses={200: SwotAnalysisDetailOutput, **WRITE_ERRORS},
    )
    def patch(self, request: Request, pk: int) -> Response:
        analysis = selectors.swot_analysis_get(user=request.user, pk=pk)
        data = _validated(AnalysisInput, request, partial=True)
        return _swot_detail(services.swot_analysis_update(actor=request.user, analysis=analysis, **data))

    @extend_schema(summary="Delete a SWOT analysis and its items", responses={**NO_CONTENT, **WRITE_ERRORS})
    def delete(self, request: Request, pk: int) -> Response:
        analysis = selectors.swot_analysis_get(user=request.user, pk=pk)
        services.swot_analysis_delete(actor=request.user, analysis=analysis)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["swot analyses"])
class SwotItemCollectionApi(APIView):
    @extend_schema(
        summary="Add an item to a SWOT analysis",
        parameters=[IDEMPOTENCY_PARAMETER],
        request=SwotItemInput,
        responses={201: SwotItemOutput, **WRITE_ERRORS, **REPLAY_ERRORS},
    )
    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        analysis = selectors.swot_analysis_get(user=request.user, pk=pk)
        data = _validated(SwotItemInput, request)
        item = services.swot_item_add(actor=request.user, analysis=analysis, **data)
        return Response(SwotItemOutput(item).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["swot analyses"])
class SwotItemItemApi(APIView):
    @extend_schema(
        summary="Update a SWOT item", request=SwotItemInput, responses={200: SwotItemOutput, **WRITE_ERRORS}
    )
    def patch(self, request: Request, pk: int) -> Response:
        item = selectors.swot_item_get(user=request.user, pk=pk)
        data = _validated(SwotItemInput, request, partial=True)
        return Response(SwotItemOutput(services.swot_item_update(actor=request.user, item=item, **data)).data)

    @extend_schema(summary="Remove a SWOT item", responses={**NO_CONTENT, **WRITE_ERRORS})
    def delete(self, request: Request, pk: int) -> Response:
        item = selectors.swot_item_get(user=request.user, pk=pk)
        services.swot_item_remove(actor=request.user, item=item)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["swot analyses"])
class SwotPullPestleApi(APIView):
    @extend_schema(
        summary="Pull PESTLE opportunities and threats into a SWOT analysis",
        description="Each factor becomes an opportunity or threat item weighted by its impact; a factor "
        "already on the board is left alone, so repeating the call changes nothing.",
        parameters=[IDEMPOTENCY_PARAMETER],
        request=PullInput,
        responses={200: SwotAnalysisDetailOutput, **WRITE_ERRORS, **REPLAY_ERRORS},
    )
    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        analysis = selectors.swot_analysis_get(user=request.user, pk=pk)
        data = _validated(PullInput, request)
        services.swot_pull_pestle_factors(actor=request.user, analysis=analysis, factors=data["factors"])
        return _swot_detail(analysis)


# --- PESTLE ---------------------------------------------------------------------------------------


@extend_schema(tags=["pestle analyses"])
class PestleAnalysisCollectionApi(ListApi):
    serializer_class = PestleAnalysisOutput
    filterset_class = AnalysisFilter

    def get_queryset(self) -> QuerySet:
        return selectors.pestle_analysis_scope(self.request.user)

    @extend_schema(
        summary="List PESTLE analyses", responses={200: PestleAnalysisOutput(many=True), **READ_ERRORS}
    )
    def get(self, request: Request) -> Response:
        return super().get(request)

    @extend_schema(
        summary="Start a PESTLE analysis",
        parameters=[IDEMPOTENCY_PARAMETER],
        request=AnalysisInput,
        responses={201: PestleAnalysisDetailOutput, **WRITE_ERRORS, **REPLAY_ERRORS},
    )
    @idempotent
    def post(self, request: Request) -> Response:
        analysis = services.pestle_analysis_create(actor=request.user, **_validated(AnalysisInput, request))
        return _pestle_detail(analysis, status_code=status.HTTP_201_CREATED)


@extend_schema(tags=["pestle analyses"])
class PestleAnalysisItemApi(APIView):
    @extend_schema(
        summary="Get a PESTLE analysis with its factors",
        responses={200: PestleAnalysisDetailOutput, **READ_ERRORS},
    )
    def get(self, request: Request, pk: int) -> Response:
        return _pestle_detail(selectors.pestle_analysis_get(user=request.user, pk=pk))

    @extend_schema(
        summary="Update a PESTLE analysis",
        request=AnalysisInput,
        responses={200: PestleAnalysisDetailOutput, **WRITE_ERRORS},
    )
    def patch(self, request: Request, pk: int) -> Response:
        analysis = selectors.pestle_analysis_get(user=request.user, pk=pk)
        data = _validated(AnalysisInput, request, partial=True)
        return _pestle_detail(services.pestle_analysis_update(actor=request.user, analysis=analysis, **data))

    @extend_schema(
        summary="Delete a PESTLE analysis and its factors", responses={**NO_CONTENT, **WRITE_ERRORS}
    )
    def delete(self, request: Request, pk: int) -> Response:
        analysis = selectors.pestle_analysis_get(user=request.user, pk=pk)
        services.pestle_analysis_delete(actor=request.user, analysis=analysis)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["pestle analyses"])
class PestleFactorCollectionApi(APIView):
    @extend_schema(
        summary="Add a factor to a PESTLE analysis",
        parameters=[IDEMPOTENCY_PARAMETER],
        request=PestleFactorInput,
        responses={201: PestleFactorOutput, **WRITE_ERRORS, **REPLAY_ERRORS},
    )
    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        analysis = selectors.pestle_analysis_get(user=request.user, pk=pk)
        data = _validated(PestleFactorInput, request)
        factor = services.pestle_factor_add(actor=request.user, analysis=analysis, **data)
        return Response(PestleFactorOutput(factor).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["pestle analyses"])
class PestleFactorItemApi(APIView):
    @extend_schema(
        summary="Update a PESTLE factor",
        request=PestleFactorInput,
        responses={200: PestleFactorOutput, **WRITE_ERRORS},
    )
    def patch(self, request: Request, pk: int) -> Response:
        factor = selectors.pestle_factor_get(user=request.user, pk=pk)
        data = _validated(PestleFactorInput, request, partial=True)
        factor = services.pestle_factor_update(actor=request.user, pestle_factor=factor, **data)
        return Response(PestleFactorOutput(factor).data)

    @extend_schema(summary="Remove a PESTLE factor", responses={**NO_CONTENT, **WRITE_ERRORS})
    def delete(self, request: Request, pk: int) -> Response:
        factor = selectors.pestle_factor_get(user=request.user, pk=pk)
        services.pestle_factor_remove(actor=request.user, pestle_factor=factor)
        return Response(status=status.HTTP_204_NO_CONTENT)


urlpatterns = [
    path("swot-analyses/", SwotAnalysisCollectionApi.as_view(), name="api_swot_analyses"),
    path("swot-analyses/<int:pk>/", SwotAnalysisItemApi.as_view(), name="api_swot_analysis"),
    path("swot-analyses/<int:pk>/items/", SwotItemCollectionApi.as_view(), name="api_swot_items"),
    path("swot-analyses/<int:pk>/pull-pestle/", SwotPullPestleApi.as_view(), name="api_swot_pull_pestle"),
    path("swot-items/<int:pk>/", SwotItemItemApi.as_view(), name="api_swot_item"),
    path("pestle-analyses/", PestleAnalysisCollectionApi.as_view(), name="api_pestle_analyses"),
    path("pestle-analyses/<int:pk>/", PestleAnalysisItemApi.as_view(), name="api_pestle_analysis"),
    path("pestle-analyses/<int:pk>/factors/", PestleFactorCollectionApi.as_view(), name="api_pestle_factors"),
    path("pestle-factors/<int:pk>/", PestleFactorItemApi.as_view(), name="api_pestle_factor"),
]
