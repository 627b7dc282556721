"""REST API of designed journey maps (/api/v1/journey-maps/...): list them, draw one for a persona,
read one with its stages in journey order, change or delete it, copy an as-is map into a to-be map, and
add, change, delete and reorder its stages.

The conventions of journeys/api.py: one class per URL, input and output serializers apart, reads
through the selectors, writes through the services (journeys/services.py), errors in the one envelope.
Maps are design material like the personas they belong to: every role reads them; relationship
managers, administrators and integrators shape them (the service desk gets 403 from the services,
analysts from the permission). The live overlay of a map on the accounts' touchpoints is Realize's.
"""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet, TextChoices
from django.urls import path
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from journeys import selectors, services
from journeys.api import IDEMPOTENCY_PARAMETER, READ_ERRORS, WRITE_ERRORS, ListApi, UpdatedSinceFilterSet
from journeys.api_base import NamedChoiceField, validated
from journeys.idempotency import idempotent
from journeys.models import (
    SENTIMENT_MAX,
    SENTIMENT_MIN,
    Channel,
    JourneyMap,
    JourneyStep,
    MapStage,
    MapVersion,
    Persona,
)
from journeys.serializers import ErrorOutput, InputSerializer, ScopedIdField

__all__: list[str] = []

TAGS = ["journey maps"]
REPLAY_ERRORS = {422: ErrorOutput}


# --- serializers ----------------------------------------------------------------------------------


class JourneyMapUpdateInput(InputSerializer):
    name = serializers.CharField(max_length=160, required=False)
    persona = ScopedIdField(
        model=Persona, scope=selectors.persona_scope, required=False, help_text="Id of the persona."
    )
    version = NamedChoiceField(MapVersion, required=False, help_text="as_is (today) or to_be (designed).")
    description = serializers.CharField(
        required=False, allow_blank=True, help_text="What the map covers and why."
    )
    based_on = ScopedIdField(
        model=JourneyMap,
        scope=selectors.journey_map_scope,
        required=False,
        allow_null=True,
        help_text="To-be maps only: id of the same persona's as-is map it is drawn from.",
    )


class JourneyMapCreateInput(JourneyMapUpdateInput):
    name = serializers.CharField(max_length=160, help_text="Unique per persona and version.")
    persona = ScopedIdField(model=Persona, scope=selectors.persona_scope, help_text="Id of the persona.")


class JourneyMapCopyInput(InputSerializer):
    name = serializers.CharField(
        max_length=160, required=False, allow_blank=True, help_text="Defaults to the as-is map's name."
    )


class MapStageUpdateInput(InputSerializer):
    step = NamedChoiceField(JourneyStep, required=False, help_text="The journey step it sits in.")
    name = serializers.CharField(max_length=160, required=False)
    expected_touchpoints = serializers.CharField(
        required=False, allow_blank=True, help_text="The contacts expected at this stage, one per line."
    )
    channels = serializers.ListField(
        child=NamedChoiceField(Channel), required=False, help_text="The channels those contacts use."
    )
    expected_emotion = serializers.IntegerField(
        min_value=SENTIMENT_MIN,
        max_value=SENTIMENT_MAX,
        required=False,
        help_text="How the persona is expected to feel: −2 (very negative) to +2 (very positive).",
    )
    pain_points = serializers.CharField(required=False, allow_blank=True)
    opportunities = serializers.CharField(required=False, allow_blank=True)
    front_stage = serializers.CharField(
        required=False, allow_blank=True, help_text="What the persona sees us do."
    )
    back_stage = serializers.CharField(
        required=False, allow_blank=True, help_text="What we do that they do not see."
    )


class MapStageCreateInput(MapStageUpdateInput):
    step = NamedChoiceField(JourneyStep, help_text="The journey step it sits in.")
    name = serializers.CharField(max_length=160)


class StageDirection(TextChoices):
    UP = "up", "One place earlier"
    DOWN = "down", "One place later"


class MapStageMoveInput(InputSerializer):
    direction = NamedChoiceField(StageDirection, help_text="One place earlier (up) or later (down).")


@extend_schema_serializer(component_name="MapStage")
class MapStageOutput(serializers.ModelSerializer):
    step = NamedChoiceField(JourneyStep, read_only=True)
    channels = serializers.ListField(child=NamedChoiceField(Channel), read_only=True)

    class Meta:
        model = MapStage
        fields = [
            "id",
            "journey_map",
            "step",
            "step_number",
            "position",
            "name",
            "expected_touchpoints",
            "channels",
            "expected_emotion",
            "pain_points",
            "opportunities",
            "front_stage",
            "back_stage",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


@extend_schema_serializer(component_name="JourneyMap")
class JourneyMapOutput(serializers.ModelSerializer):
    version = NamedChoiceField(MapVersion, read_only=True)
    persona_name = serializers.CharField(source="persona.name", read_only=True)
    stage_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = JourneyMap
        fields = [
            "id",
            "name",
            "persona",
            "persona_name",
            "version",
            "description",
            "based_on",
            "owner",
            "stage_count",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


@extend_schema_serializer(component_name="JourneyMapDetail")
class JourneyMapDetailOutput(JourneyMapOutput):
    stage_count = serializers.SerializerMethodField()
    stages = MapStageOutput(many=True, read_only=True, help_text="In journey order, then by position.")

    class Meta(JourneyMapOutput.Meta):
        fields = [*JourneyMapOutput.Meta.fields, "stages"]
        read_only_fields = fields

    def get_stage_count(self, journey_map: JourneyMap) -> int:
        return len(journey_map.stages.all())


# --- examples -------------------------------------------------------------------------------------

STAGE_EXAMPLE = {
    "id": 51,
    "journey_map": 6,
    "step": "onboard",
    "step_number": 5,
    "position": 0,
    "name": "First booking on the portal",
    "expected_touchpoints": "Welcome e-mail\nPortal log-in\nFirst booking",
    "channels": ["email", "web"],
    "expected_emotion": -1,
    "pain_points": "Depot codes are not where planners look for them.",
    "opportunities": "Pre-fill the home depot from the user's profile.",
    "front_stage": "Welcome e-mail with a two-minute video.",
    "back_stage": "Accounts created from the HR export overnight.",
    "created_at": "2026-03-02T10:00:00Z",
    "updated_at": "2026-03-09T15:20:00Z",
}
MAP_EXAMPLE = {
    "id": 6,
    "name": "Depot planner, first quarter",
    "persona": 2,
    "persona_name": "Depot planner",
    "version": "as_is",
    "description": "How planners get going with fleet booking today.",
    "based_on": None,
    "owner": 2,
    "stage_count": 1,
    "created_at": "2026-03-02T09:45:00Z",
    "updated_at": "2026-03-09T15:20:00Z",
}


# --- maps -----------------------------------------------------------------------------------------


class JourneyMapFilter(UpdatedSinceFilterSet):
    persona = django_filters.NumberFilter(field_name="persona_id", help_text="Id of the persona.")
    version = django_filters.ChoiceFilter(choices=MapVersion.choices)
    based_on = django_filters.NumberFilter(field_name="based_on_id", help_text="Id of the as-is map.")


def _map_answer(request: Request, journey_map: JourneyMap, *, status_code: int = status.HTTP_200_OK):
    found = selectors.journey_map_get(user=request.user, pk=journey_map.pk)
    return Response(JourneyMapDetailOutput(found).data, status=status_code)


@extend_schema(tags=TAGS)
class JourneyMapCollectionApi(ListApi):
    serializer_class = JourneyMapOutput
    filterset_class = JourneyMapFilter

    def get_queryset(self) -> QuerySet:
        return selectors.journey_map_list(user=self.request.user)

    @extend_schema(
        summary="List journey maps",
        description="The designed maps of every persona with their number of stages, oldest change "
        "first (a change to a stage is a change to its map), one cursor page at a time. Filter by "
        "`persona`, `version`, `based_on` and `updated_since`.",
        responses={200: JourneyMapOutput(many=True), **READ_ERRORS},
        examples=[OpenApiExample("An as-is map", value=MAP_EXAMPLE, response_only=True)],
    )
    def get(self, request: Request) -> Response:
        return super().get(request)

    @extend_schema(
        summary="Draw a journey map",
        description="A map for a persona, as_is (today) or to_be (designed); a to-be map may name the "
        "as-is map of the same persona it is drawn from (`based_on`). The name is unique per persona "
        "and version (409 `duplicate` naming `name`). You become its owner.",
        parameters=[IDEMPOTENCY_PARAMETER],
        request=JourneyMapCreateInput,
        responses={201: JourneyMapDetailOutput, **WRITE_ERRORS, **REPLAY_ERRORS},
        examples=[
            OpenApiExample(
                "An as-is map",
                request_only=True,
                value={
                    "persona": 2,
                    "name": "Depot planner, first quarter",
                    "description": "How planners get going with fleet booking today.",
                },
            )
        ],
    )
    @idempotent
    def post(self, request: Request) -> Response:
        journey_map = services.journey_map_create(
            actor=request.user, **validated(JourneyMapCreateInput, request)
        )
        return _map_answer(request, journey_map, status_code=status.HTTP_201_CREATED)


@extend_schema(tags=TAGS)
class JourneyMapItemApi(APIView):
    @extend_schema(
        summary="Get a journey map with its stages",
        description="Its stages in journey order (explore to realize), then by their place in the step.",
        responses={200: JourneyMapDetailOutput, **READ_ERRORS},
        examples=[
            OpenApiExample(
                "An as-is map", value={**MAP_EXAMPLE, "stages": [STAGE_EXAMPLE]}, response_only=True
            )
        ],
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(JourneyMapDetailOutput(selectors.journey_map_get(user=request.user, pk=pk)).data)

    @extend_schema(
        summary="Change a journey map",
        description="Its name, persona, version, description or the map it is drawn from. An as-is map "
        "that to-be maps are drawn from keeps its version and persona (409 `map_in_use`).",
        request=JourneyMapUpdateInput,
        responses={200: JourneyMapDetailOutput, **WRITE_ERRORS},
        examples=[OpenApiExample("Rename", request_only=True, value={"name": "Depot planner, first month"})],
    )
    def patch(self, request: Request, pk: int) -> Response:
        journey_map = selectors.journey_map_get(user=request.user, pk=pk)
        data = validated(JourneyMapUpdateInput, request, partial=True)
        updated = services.journey_map_update(actor=request.user, journey_map=journey_map, **data)
        return _map_answer(request, updated)

    @extend_schema(
        summary="Delete a journey map",
        description="With its stages; to-be maps drawn from it keep theirs and lose the link.",
        responses={204: None, **WRITE_ERRORS},
    )
    def delete(self, request: Request, pk: int) -> Response:
        journey_map = selectors.journey_map_get(user=request.user, pk=pk)
        services.journey_map_delete(actor=request.user, journey_map=journey_map)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=TAGS)
class JourneyMapCopyApi(APIView):
    @extend_schema(
        summary="Copy an as-is map into a to-be map",
        description="A to-be map of the same persona with a copy of every stage, drawn from this one "
        "(`based_on`). Only an as-is map is copied (409 `not_as_is`).",
        parameters=[IDEMPOTENCY_PARAMETER],
        request=JourneyMapCopyInput,
        responses={201: JourneyMapDetailOutput, **WRITE_ERRORS, **REPLAY_ERRORS},
        examples=[
            OpenApiExample("Keep the name", request_only=True, value={}),
            OpenApiExample("A new name", request_only=True, value={"name": "Depot planner, redesigned"}),
        ],
    )
    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        journey_map = selectors.journey_map_get(user=request.user, pk=pk)
        data = validated(JourneyMapCopyInput, request)
        copy = services.journey_map_copy_to_be(
            actor=request.user, journey_map=journey_map, name=data.get("name")
        )
        return _map_answer(request, copy, status_code=status.HTTP_201_CREATED)


# --- stages ---------------------------------------------------------------------------------------


def _stage(request: Request, pk: int, stage_pk: int) -> MapStage:
    journey_map = selectors.journey_map_get(user=request.user, pk=pk)
    return selectors.map_stage_get(user=request.user, journey_map=journey_map, pk=stage_pk)


def _stage_answer(stage: MapStage, *, status_code: int = status.HTTP_200_OK) -> Response:
    return Response(MapStageOutput(MapStage.objects.get(pk=stage.pk)).data, status=status_code)


@extend_schema(tags=TAGS)
class MapStagesApi(APIView):
    @extend_schema(
        summary="Add a stage to a journey map",
        description="At the end of its step. `expected_emotion` runs from −2 to +2; `channels` is a list "
        "of channels.",
        parameters=[IDEMPOTENCY_PARAMETER],
        request=MapStageCreateInput,
        responses={201: MapStageOutput, **WRITE_ERRORS, **REPLAY_ERRORS},
        examples=[
            OpenApiExample(
                "A stage of Onboard",
                request_only=True,
                value={
                    "step": "onboard",
                    "name": "First booking on the portal",
                    "channels": ["email", "web"],
                    "expected_emotion": -1,
                    "pain_points": "Depot codes are not where planners look for them.",
                },
            ),
            OpenApiExample(
                "Emotion out of range",
                status_codes=["400"],
                response_only=True,
                value={
                    "error": {
                        "code": "invalid",
                        "message": "expected_emotion: Ensure this value is less than or equal to 2.",
                        "fields": {"expected_emotion": ["Ensure this value is less than or equal to 2."]},
                    }
                },
            ),
        ],
    )
    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        journey_map = selectors.journey_map_get(user=request.user, pk=pk)
        data = validated(MapStageCreateInput, request)
        stage = services.map_stage_create(actor=request.user, journey_map=journey_map, **data)
        return _stage_answer(stage, status_code=status.HTTP_201_CREATED)


@extend_schema(tags=TAGS)
class MapStageItemApi(APIView):
    @extend_schema(
        summary="Get a stage of a journey map",
        responses={200: MapStageOutput, **READ_ERRORS},
        examples=[OpenApiExample("A stage of Onboard", value=STAGE_EXAMPLE, response_only=True)],
    )
    def get(self, request: Request, pk: int, stage_pk: int) -> Response:
        return Response(MapStageOutput(_stage(request, pk, stage_pk)).data)

    @extend_schema(
        summary="Change a stage of a journey map",
        description="Any of its fields; `channels` replaces the list. A stage moved to another step goes "
        "last in it.",
        request=MapStageUpdateInput,
        responses={200: MapStageOutput, **WRITE_ERRORS},
        examples=[OpenApiExample("Feel better", request_only=True, value={"expected_emotion": 1})],
    )
    def patch(self, request: Request, pk: int, stage_pk: int) -> Response:
        stage = _stage(request, pk, stage_pk)
        data = validated(MapStageUpdateInput, request, partial=True)
        return _stage_answer(services.map_stage_update(actor=request.user, stage=stage, **data))

    @extend_schema(summary="Delete a stage of a journey map", responses={204: None, **WRITE_ERRORS})
    def delete(self, request: Request, pk: int, stage_pk: int) -> Response:
        services.map_stage_delete(actor=request.user, stage=_stage(request, pk, stage_pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=TAGS)
class MapStageMoveApi(APIView):
    @extend_schema(
        summary="Move a stage within its step",
        description="One place earlier (`up`) or later (`down`) among the stages of its step; the "
        "first stays first and the last stays last. Answers the map with its stages.",
        request=MapStageMoveInput,
        responses={200: JourneyMapDetailOutput, **WRITE_ERRORS},
        examples=[OpenApiExample("Earlier", request_only=True, value={"direction": "up"})],
    )
    def post(self, request: Request, pk: int, stage_pk: int) -> Response:
        stage = _stage(request, pk, stage_pk)
        data = validated(MapStageMoveInput, request)
        services.map_stage_move(actor=request.user, stage=stage, direction=data["direction"])
        return _map_answer(request, stage.journey_map)


urlpatterns = [
    path("journey-maps/", JourneyMapCollectionApi.as_view(), name="api_journey_maps"),
    path("journey-maps/<int:pk>/", JourneyMapItemApi.as_view(), name="api_journey_map"),
    path("journey-maps/<int:pk>/copy-to-be/", JourneyMapCopyApi.as_view(), name="api_journey_map_copy"),
    path("journey-maps/<int:pk>/stages/", MapStagesApi.as_view(), name="api_journey_map_stages"),
    path(
        "journey-maps/<int:pk>/stages/<int:stage_pk>/",
        MapStageItemApi.as_view(),
        name="api_journey_map_stage",
    ),
    path(
        "journey-maps/<int:pk>/stages/<int:stage_pk>/move/",
        MapStageMoveApi.as_view(),
        name="api_journey_map_stage_move",
    ),
]
