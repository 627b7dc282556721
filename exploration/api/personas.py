"""REST API of personas, their scenarios and jobs to be done (/api/v1/).

Same conventions as the spine's API (journeys/api.py): one class per URL, separate input and output
serializers, reads through selectors, writes through services, errors in the one envelope. Personas
and jobs belong to no account: every role reads them; relationship managers, administrators and
integrators write them; the service desk gets 403 from the services, analysts from the permission.
"""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.urls import path
from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from exploration import selectors, services
from exploration.models import JobToBeDone, MarketSegment
from journeys import selectors as spine_selectors
from journeys import services as spine_services
from journeys.api import IDEMPOTENCY_PARAMETER, READ_ERRORS, WRITE_ERRORS, ListApi, UpdatedSinceFilterSet
from journeys.api_base import validated
from journeys.idempotency import idempotent
from journeys.models import Channel, ConsumerRole, JourneyStep, Persona, Scenario
from journeys.serializers import ErrorOutput, InputSerializer, ScopedIdField

WRITE_ERRORS_WITH_REPLAY = {**WRITE_ERRORS, 422: ErrorOutput}


# --- personas -------------------------------------------------------------------------------------


class PersonaInput(InputSerializer):
    name = serializers.CharField(max_length=120)
    consumer_role = serializers.ChoiceField(choices=ConsumerRole.choices, required=False, allow_blank=True)
    job_title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    summary = serializers.CharField(required=False, allow_blank=True)
    goals = serializers.CharField(required=False, allow_blank=True)
    pain_points = serializers.CharField(required=False, allow_blank=True)
    needs = serializers.CharField(required=False, allow_blank=True)
    preferred_channel = serializers.ChoiceField(choices=Channel.choices, required=False, allow_blank=True)
    quote = serializers.CharField(max_length=240, required=False, allow_blank=True)


@extend_schema_serializer(component_name="Persona")
class PersonaOutput(serializers.ModelSerializer):
    class Meta:
        model = Persona
        fields = ["id", *spine_services.PERSONA_FIELDS, "owner", "created_at", "updated_at"]
        read_only_fields = fields


class PersonaFilter(UpdatedSinceFilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", help_text="Part of the name.")


@extend_schema(tags=["personas"])
class PersonaCollectionApi(ListApi):
    serializer_class = PersonaOutput
    filterset_class = PersonaFilter

    def get_queryset(self) -> QuerySet:
        return spine_selectors.persona_scope(self.request.user)

    @extend_schema(summary="List personas", responses={200: PersonaOutput(many=True), **READ_ERRORS})
    def get(self, request: Request) -> Response:
        return super().get(request)

    @extend_schema(
        summary="Describe a persona",
        parameters=[IDEMPOTENCY_PARAMETER],
        request=PersonaInput,
        responses={201: PersonaOutput, **WRITE_ERRORS_WITH_REPLAY},
    )
    @idempotent
    def post(self, request: Request) -> Response:
        persona = spine_services.persona_create(actor=request.user, **validated(PersonaInput, request))
        return Response(PersonaOutput(persona).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["personas"])
class PersonaItemApi(APIView):
    @extend_schema(summary="Get a persona", responses={200: PersonaOutput, **READ_ERRORS})
    def get(self, request: Request, pk: int) -> Response:
        return Response(PersonaOutput(spine_selectors.persona_get(user=request.user, pk=pk)).data)

    @extend_schema(
        summary="Update a persona", request=PersonaInput, responses={200: PersonaOutput, **WRITE_ERRORS}
    )
    def patch(self, request: Request, pk: int) -> Response:
        persona = spine_selectors.persona_get(user=request.user, pk=pk)
        data = validated(PersonaInput, request, partial=True)
        persona = spine_services.persona_update(actor=request.user, persona=persona, **data)
        return Response(PersonaOutput(persona).data)

    @extend_schema(
        summary="Delete a persona with its scenarios and jobs to be done",
        responses={204: None, **WRITE_ERRORS},
    )
    def delete(self, request: Request, pk: int) -> Response:
        persona = spine_selectors.persona_get(user=request.user, pk=pk)
        spine_services.persona_delete(actor=request.user, persona=persona)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- scenarios ------------------------------------------------------------------------------------


class ScenarioInput(InputSerializer):
    title = serializers.CharField(max_length=160)
    journey_step = serializers.ChoiceField(
        choices=JourneyStep.choices,
        required=False,
        allow_blank=True,
        help_text="The journey step the story happens in; blank when it belongs to none.",
    )
    situation = serializers.CharField(required=False, allow_blank=True)
    goal = serializers.CharField(required=False, allow_blank=True)
    narrative = serializers.CharField(required=False, allow_blank=True)
    expected_outcome = serializers.CharField(required=False, allow_blank=True)


@extend_schema_serializer(component_name="Scenario")
class ScenarioOutput(serializers.ModelSerializer):
    class Meta:
        model = Scenario
        fields = ["id", "persona", *spine_services.SCENARIO_FIELDS, "created_at", "updated_at"]
        read_only_fields = fields


@extend_schema(tags=["personas"])
class PersonaScenarioCollectionApi(ListApi):
    serializer_class = ScenarioOutput
    filterset_class = UpdatedSinceFilterSet

    def get_queryset(self) -> QuerySet:
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no persona
            return Scenario.objects.none()
        persona = spine_selectors.persona_get(user=self.request.user, pk=self.kwargs["pk"])
        return spine_selectors.scenario_list_for_persona(user=self.request.user, persona=persona)

    @extend_schema(
        summary="List a persona's scenarios", responses={200: ScenarioOutput(many=True), **READ_ERRORS}
    )
    def get(self, request: Request, pk: int) -> Response:
        return self.list(request)

    @extend_schema(
        summary="Write a scenario for the persona",
        parameters=[IDEMPOTENCY_PARAMETER],
        request=ScenarioInput,
        responses={201: ScenarioOutput, **WRITE_ERRORS_WITH_REPLAY},
    )
    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        persona = spine_selectors.persona_get(user=request.user, pk=pk)
        data = validated(ScenarioInput, request)
        scenario = spine_services.scenario_create(actor=request.user, persona=persona, **data)
        return Response(ScenarioOutput(scenario).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["personas"])
class ScenarioItemApi(APIView):
    @extend_schema(summary="Get a scenario", responses={200: ScenarioOutput, **READ_ERRORS})
    def get(self, request: Request, pk: int) -> Response:
        return Response(ScenarioOutput(spine_selectors.scenario_get(user=request.user, pk=pk)).data)

    @extend_schema(
        summary="Update a scenario", request=ScenarioInput, responses={200: ScenarioOutput, **WRITE_ERRORS}
    )
    def patch(self, request: Request, pk: int) -> Response:
        scenario = spine_selectors.scenario_get(user=request.user, pk=pk)
        data = validated(ScenarioInput, request, partial=True)
        scenario = spine_services.scenario_update(actor=request.user, scenario=scenario, **data)
        return Response(ScenarioOutput(scenario).data)

    @extend_schema(summary="Delete a scenario", responses={204: None, **WRITE_ERRORS})
    def delete(self, request: Request, pk: int) -> Response:
        scenario = spine_selectors.scenario_get(user=request.user, pk=pk)
        spine_services.scenario_delete(actor=request.user, scenario=scenario)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- jobs to be done ------------------------------------------------------------------------------


class JobToBeDoneInput(InputSerializer):
    persona = ScopedIdField(
        model=Persona,
        scope=spine_selectors.persona_scope,
        required=False,
        allow_null=True,
        help_text="The persona whose job it is; a persona, a segment or both are required.",
    )
    segment = ScopedIdField(
        model=MarketSegment, scope=selectors.market_segment_scope, required=False, allow_null=True
    )
    job = serializers.CharField(max_length=240)
    situation = serializers.CharField(required=False, allow_blank=True)
    desired_outcome = serializers.CharField(required=False, allow_blank=True)
    importance = serializers.IntegerField(
        min_value=1, max_value=5, required=False, help_text="1 (minor) to 5 (vital)."
    )
    satisfaction = serializers.IntegerField(
        min_value=1,
        max_value=5,
        required=False,
        help_text="How well it is served today: 1 (badly) to 5 (fully).",
    )


@extend_schema_serializer(component_name="JobToBeDone")
class JobToBeDoneOutput(serializers.ModelSerializer):
    opportunity = serializers.IntegerField(
        read_only=True,
        help_text="importance + max(importance − satisfaction, 0): 1 to 9, higher means a bigger unmet need.",
    )

    class Meta:
        model = JobToBeDone
        fields = ["id", *services.JOB_TO_BE_DONE_FIELDS, "opportunity", "owner", "created_at", "updated_at"]
        read_only_fields = fields


class JobToBeDoneFilter(UpdatedSinceFilterSet):
    persona = django_filters.NumberFilter(field_name="persona_id")
    segment = django_filters.NumberFilter(field_name="segment_id")


@extend_schema(tags=["jobs to be done"])
class JobToBeDoneCollectionApi(ListApi):
    serializer_class = JobToBeDoneOutput
    filterset_class = JobToBeDoneFilter

    def get_queryset(self) -> QuerySet:
        return selectors.job_to_be_done_scope(self.request.user)

    @extend_schema(
        summary="List jobs to be done", responses={200: JobToBeDoneOutput(many=True), **READ_ERRORS}
    )
    def get(self, request: Request) -> Response:
        return super().get(request)

    @extend_schema(
        summary="Record a job to be done",
        parameters=[IDEMPOTENCY_PARAMETER],
        request=JobToBeDoneInput,
        responses={201: JobToBeDoneOutput, **WRITE_ERRORS_WITH_REPLAY},
    )
    @idempotent
    def post(self, request: Request) -> Response:
        job = services.job_to_be_done_create(actor=request.user, **validated(JobToBeDoneInput, request))
        return Response(JobToBeDoneOutput(job).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["jobs to be done"])
class JobToBeDoneItemApi(APIView):
    @extend_schema(summary="Get a job to be done", responses={200: JobToBeDoneOutput, **READ_ERRORS})
    def get(self, request: Request, pk: int) -> Response:
        return Response(JobToBeDoneOutput(selectors.job_to_be_done_get(user=request.user, pk=pk)).data)

    @extend_schema(
        summary="Update a job to be done",
        request=JobToBeDoneInput,
        responses={200: JobToBeDoneOutput, **WRITE_ERRORS},
    )
    def patch(self, request: Request, pk: int) -> Response:
        job = selectors.job_to_be_done_get(user=request.user, pk=pk)
        data = validated(JobToBeDoneInput, request, partial=True)
        job = services.job_to_be_done_update(actor=request.user, job_to_be_done=job, **data)
        return Response(JobToBeDoneOutput(job).data)

    @extend_schema(summary="Delete a job to be done", responses={204: None, **WRITE_ERRORS})
    def delete(self, request: Request, pk: int) -> Response:
        job = selectors.job_to_be_done_get(user=request.user, pk=pk)
        services.job_to_be_done_delete(actor=request.user, job_to_be_done=job)
        return Response(status=status.HTTP_204_NO_CONTENT)


urlpatterns = [
    path("personas/", PersonaCollectionApi.as_view(), name="api_personas"),
    path("personas/<int:pk>/", PersonaItemApi.as_view(), name="api_persona"),
    path(
        "personas/<int:pk>/scenarios/", PersonaScenarioCollectionApi.as_view(), name="api_persona_scenarios"
    ),
    path("scenarios/<int:pk>/", ScenarioItemApi.as_view(), name="api_scenario"),
    path("jobs-to-be-done/", JobToBeDoneCollectionApi.as_view(), name="api_jobs_to_be_done"),
    path("jobs-to-be-done/<int:pk>/", JobToBeDoneItemApi.as_view(), name="api_job_to_be_done"),
]
