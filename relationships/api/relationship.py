"""REST API of the service relationship (/api/v1/): relationships by type, one consumer's relationship
with its profile and ladder, the ladder steps, the reference profiles of the three types, and the
communication plans with their adherence.

One class per URL, separate input and output serializers; reads through the selectors, writes through
the services (which check rights and rules and name the field of any bad input). Errors use the one
envelope of journeys/api_base.py.
"""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.urls import path
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from journeys.api import IDEMPOTENCY_PARAMETER, ListApi, UpdatedSinceFilterSet
from journeys.api_base import NamedChoiceField
from journeys.api_base import validated as _validated
from journeys.idempotency import idempotent
from journeys.models import Channel, Stakeholder
from journeys.selectors import organization_get, stakeholder_scope
from journeys.serializers import ErrorOutput, InputSerializer, ScopedIdField
from relationships import selectors, services
from relationships.models import (
    Cadence,
    CommunicationPlan,
    LadderStatus,
    LadderStep,
    RelationshipType,
    ServiceRelationship,
)

READ_ERRORS = dict.fromkeys((401, 403, 404), ErrorOutput)
WRITE_ERRORS = dict.fromkeys((400, 401, 403, 404, 409), ErrorOutput)


# --- serializers ------------------------------------------------------------------------------------


class PartyViewOutput(serializers.Serializer):
    advantages = serializers.ListField(child=serializers.CharField())
    disadvantages = serializers.ListField(child=serializers.CharField())


class ProfileSummaryOutput(serializers.Serializer):
    type = NamedChoiceField(RelationshipType, source="relationship_type")
    label = serializers.CharField()
    focus = serializers.CharField()
    organizational_levels = serializers.ListField(child=serializers.CharField())
    typical_maturity = serializers.CharField()
    typical_service_types = serializers.ListField(child=serializers.CharField())
    typical_agreement_types = serializers.ListField(child=serializers.CharField())
    control_formality = serializers.CharField()
    working_mode = serializers.CharField()


@extend_schema_serializer(component_name="RelationshipTypeProfile")
class RelationshipTypeOutput(ProfileSummaryOutput):
    rank = serializers.IntegerField()
    summary = serializers.CharField()
    maturity_description = serializers.CharField()
    key_attributes = serializers.ListField(child=serializers.CharField())
    trust_building = serializers.CharField()
    consumer_trust_activities = serializers.ListField(child=serializers.CharField())
    provider_trust_activities = serializers.ListField(child=serializers.CharField())
    working_mode_note = serializers.CharField()
    delivery_focus = serializers.CharField()
    consumer = PartyViewOutput()
    provider = PartyViewOutput()


class LadderStepOutput(serializers.Serializer):
    step = NamedChoiceField(LadderStep)
    number = serializers.IntegerField()
    label = serializers.CharField(source="step.label")
    status = NamedChoiceField(LadderStatus)
    evidence = serializers.CharField()
    completed_at = serializers.DateTimeField(allow_null=True)
    prerequisites = serializers.ListField(child=serializers.CharField())
    missing = serializers.ListField(
        child=serializers.CharField(), help_text="Steps that must be done before this one may be done."
    )
    blocking = serializers.ListField(
        child=serializers.CharField(), help_text="Done steps resting on this one: it cannot be reopened."
    )
    may_be_done = serializers.BooleanField()
    may_reopen = serializers.BooleanField()


@extend_schema_serializer(component_name="ServiceRelationship")
class ServiceRelationshipOutput(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name")
    current_type = NamedChoiceField(RelationshipType)
    target_type = NamedChoiceField(RelationshipType)
    ladder_done = serializers.IntegerField(help_text="Ladder steps done, of 5.")

    class Meta:
        model = ServiceRelationship
        fields = [
            "id",
            "organization",
            "organization_name",
            "current_type",
            "target_type",
            "notes",
            "ladder_done",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


@extend_schema_serializer(component_name="RelationshipDetail")
class RelationshipDetailOutput(serializers.Serializer):
    organization = serializers.IntegerField(source="organization.pk")
    organization_name = serializers.CharField(source="organization.name")
    recorded = serializers.BooleanField(help_text="False while nothing is recorded: it counts as basic.")
    current_type = NamedChoiceField(RelationshipType, source="relationship.current_type")
    target_type = NamedChoiceField(RelationshipType, source="relationship.target_type")
    notes = serializers.CharField(source="relationship.notes")
    updated_at = serializers.DateTimeField(source="relationship.updated_at", allow_null=True)
    current_profile = ProfileSummaryOutput()
    target_profile = ProfileSummaryOutput()
    ladder_done = serializers.IntegerField()
    ladder = LadderStepOutput(many=True)
    warnings = serializers.ListField(child=serializers.CharField())


class RelationshipTypesInput(InputSerializer):
    current_type = NamedChoiceField(RelationshipType)
    target_type = NamedChoiceField(
        RelationshipType,
        help_text="Chosen deliberately: a closer relationship is not always a better one.",
    )
    notes = serializers.CharField(required=False, allow_blank=True)


class LadderStepInput(InputSerializer):
    status = NamedChoiceField(LadderStatus, required=False)
    evidence = serializers.CharField(required=False, allow_blank=True)


class AdherenceOutput(serializers.Serializer):
    window_start = serializers.DateField()
    expected_contacts = serializers.IntegerField()
    contacts = serializers.IntegerField()
    contacts_on_channel = serializers.IntegerField()
    adherence = serializers.FloatField(allow_null=True, help_text="0–1; null before the plan starts.")
    channel_share = serializers.FloatField(allow_null=True, help_text="Share of contacts on the channel.")
    last_contact_at = serializers.DateTimeField(allow_null=True)
    next_due = serializers.DateField()
    overdue = serializers.BooleanField()


@extend_schema_serializer(component_name="CommunicationPlan")
class CommunicationPlanOutput(serializers.ModelSerializer):
    stakeholder_name = serializers.CharField(source="stakeholder.name")
    organization = serializers.IntegerField(source="stakeholder.organization_id")
    cadence_days = NamedChoiceField(Cadence)
    preferred_channel = NamedChoiceField(Channel)
    adherence = serializers.SerializerMethodField()

    class Meta:
        model = CommunicationPlan
        fields = [
            "id",
            "stakeholder",
            "stakeholder_name",
            "organization",
            "cadence_days",
            "preferred_channel",
            "purpose",
            "starts_on",
            "owner",
            "adherence",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(AdherenceOutput)
    def get_adherence(self, plan: CommunicationPlan) -> dict:
        return AdherenceOutput(plan.adherence_figures).data


class CommunicationPlanUpdateInput(InputSerializer):
    cadence_days = NamedChoiceField(Cadence)
    preferred_channel = NamedChoiceField(Channel)
    purpose = serializers.CharField(required=False, allow_blank=True, max_length=240)
    starts_on = serializers.DateField(required=False, help_text="Today, if left out for a new plan.")
    owner = serializers.IntegerField(
        required=False, help_text="User id of who keeps the contact going; the account's owner by default."
    )


class CommunicationPlanInput(CommunicationPlanUpdateInput):
    stakeholder = ScopedIdField(model=Stakeholder, scope=stakeholder_scope)


# --- relationships ----------------------------------------------------------------------------------


class RelationshipFilter(UpdatedSinceFilterSet):
    type = django_filters.ChoiceFilter(field_name="current_type", choices=RelationshipType.choices)


@extend_schema(tags=["relationships"])
class RelationshipCollectionApi(ListApi):
    serializer_class = ServiceRelationshipOutput
    filterset_class = RelationshipFilter

    def get_queryset(self) -> QuerySet:
        return selectors.service_relationship_list(user=self.request.user)

    @extend_schema(
        summary="List service relationships",
        responses={200: ServiceRelationshipOutput(many=True), **READ_ERRORS},
    )
    def get(self, request: Request) -> Response:
        return super().get(request)


def _detail(request: Request, organization) -> Response:
    page = selectors.relationship_page(user=request.user, organization=organization)
    return Response(RelationshipDetailOutput(page).data)


@extend_schema(tags=["relationships"])
class OrganizationRelationshipApi(APIView):
    @extend_schema(
        summary="Get a consumer's relationship with its profiles and ladder",
        responses={200: RelationshipDetailOutput, **READ_ERRORS},
    )
    def get(self, request: Request, pk: int) -> Response:
        return _detail(request, organization_get(user=request.user, pk=pk))

    def _write(self, request: Request, pk: int, *, partial: bool) -> Response:
        organization = organization_get(user=request.user, pk=pk)
        data = _validated(RelationshipTypesInput, request, partial=partial)
        current = selectors.service_relationship_of(organization=organization)
        services.service_relationship_set_types(
            actor=request.user,
            organization=organization,
            current_type=data.get(
                "current_type", current.current_type if current else RelationshipType.BASIC
            ),
            target_type=data.get("target_type", current.target_type if current else RelationshipType.BASIC),
            notes=data.get("notes"),
        )
        return _detail(request, organization)

    @extend_schema(
        summary="Set a consumer's relationship type and target",
        request=RelationshipTypesInput,
        responses={200: RelationshipDetailOutput, **WRITE_ERRORS},
    )
    def put(self, request: Request, pk: int) -> Response:
        return self._write(request, pk, partial=False)

    @extend_schema(
        summary="Change a consumer's relationship type or target",
        request=RelationshipTypesInput,
        responses={200: RelationshipDetailOutput, **WRITE_ERRORS},
    )
    def patch(self, request: Request, pk: int) -> Response:
        return self._write(request, pk, partial=True)


@extend_schema(tags=["relationships"])
class LadderStepApi(APIView):
    @extend_schema(
        summary="Update one step of the relationship ladder",
        description="A step may be done only once the steps it builds on are done (1 → 2 → 3 and 4 → 5), "
        "and may not be reopened while a later step resting on it is done; a refused change answers 400 "
        "naming `status`.",
        request=LadderStepInput,
        responses={200: LadderStepOutput, **WRITE_ERRORS},
    )
    def patch(self, request: Request, pk: int, step: str) -> Response:
        organization = organization_get(user=request.user, pk=pk)
        if step not in LadderStep.values:
            raise NotFound(f"No ladder step called “{step}”; the steps are {', '.join(LadderStep.values)}.")
        data = _validated(LadderStepInput, request)
        if "status" not in data:
            current = next(
                row
                for row in selectors.relationship_page(user=request.user, organization=organization).ladder
                if row.step == step
            )
            data["status"] = current.status
        services.ladder_step_update(actor=request.user, organization=organization, step=step, **data)
        page = selectors.relationship_page(user=request.user, organization=organization)
        return Response(LadderStepOutput(next(row for row in page.ladder if row.step == step)).data)


@extend_schema(tags=["relationships"])
class RelationshipTypeCollectionApi(APIView):
    @extend_schema(
        summary="The reference profiles of the three relationship types",
        responses={200: RelationshipTypeOutput(many=True), **READ_ERRORS},
    )
    def get(self, request: Request) -> Response:
        return Response(RelationshipTypeOutput(selectors.relationship_type_profiles(), many=True).data)


# --- communication plans --------------------------------------------------------------------------


class CommunicationPlanFilter(UpdatedSinceFilterSet):
    organization = django_filters.NumberFilter(field_name="stakeholder__organization_id")
    stakeholder = django_filters.NumberFilter(field_name="stakeholder_id")
    overdue = django_filters.BooleanFilter(method="filter_overdue", help_text="Only overdue plans, or none.")

    def filter_overdue(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        return selectors.communication_plans_overdue(queryset, overdue=value)


@extend_schema(tags=["communication plans"])
class CommunicationPlanCollectionApi(ListApi):
    serializer_class = CommunicationPlanOutput
    filterset_class = CommunicationPlanFilter

    def get_queryset(self) -> QuerySet:
        return selectors.communication_plan_list(user=self.request.user)

    @extend_schema(
        summary="List communication plans with their adherence",
        responses={200: CommunicationPlanOutput(many=True), **READ_ERRORS},
    )
    def get(self, request: Request) -> Response:
        return super().get(request)

    @extend_schema(
        summary="Plan contact with a stakeholder (replaces the stakeholder's plan if there is one)",
        parameters=[IDEMPOTENCY_PARAMETER],
        request=CommunicationPlanInput,
        responses={
            201: CommunicationPlanOutput,
            200: CommunicationPlanOutput,
            **WRITE_ERRORS,
            422: ErrorOutput,
        },
    )
    @idempotent
    def post(self, request: Request) -> Response:
        data = _validated(CommunicationPlanInput, request)
        stakeholder = data.pop("stakeholder")
        existed = CommunicationPlan.objects.filter(stakeholder=stakeholder).exists()
        plan = services.communication_plan_set(actor=request.user, stakeholder=stakeholder, **data)
        return Response(
            CommunicationPlanOutput(selectors.communication_plan_get(user=request.user, pk=plan.pk)).data,
            status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED,
        )


@extend_schema(tags=["communication plans"])
class CommunicationPlanItemApi(APIView):
    @extend_schema(
        summary="Get a communication plan with its adherence",
        responses={200: CommunicationPlanOutput, **READ_ERRORS},
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(
            CommunicationPlanOutput(selectors.communication_plan_get(user=request.user, pk=pk)).data
        )

    @extend_schema(
        summary="Change a communication plan",
        request=CommunicationPlanUpdateInput,
        responses={200: CommunicationPlanOutput, **WRITE_ERRORS},
    )
    def patch(self, request: Request, pk: int) -> Response:
        plan = selectors.communication_plan_get(user=request.user, pk=pk)
        data = _validated(CommunicationPlanUpdateInput, request, partial=True)
        data.setdefault("cadence_days", plan.cadence_days)
        data.setdefault("preferred_channel", plan.preferred_channel)
        data.setdefault("purpose", plan.purpose)
        services.communication_plan_set(actor=request.user, stakeholder=plan.stakeholder, **data)
        return Response(
            CommunicationPlanOutput(selectors.communication_plan_get(user=request.user, pk=pk)).data
        )

    @extend_schema(summary="Remove a communication plan", responses={204: None, **WRITE_ERRORS})
    def delete(self, request: Request, pk: int) -> Response:
        plan = selectors.communication_plan_get(user=request.user, pk=pk)
        services.communication_plan_remove(actor=request.user, stakeholder=plan.stakeholder)
        return Response(status=status.HTTP_204_NO_CONTENT)


urlpatterns = [
    path("relationships/", RelationshipCollectionApi.as_view(), name="api_relationships"),
    path(
        "organizations/<int:pk>/relationship/",
        OrganizationRelationshipApi.as_view(),
        name="api_organization_relationship",
    ),
    path(
        "organizations/<int:pk>/relationship/ladder/<str:step>/",
        LadderStepApi.as_view(),
        name="api_relationship_ladder_step",
    ),
    path("relationship-types/", RelationshipTypeCollectionApi.as_view(), name="api_relationship_types"),
    path("communication-plans/", CommunicationPlanCollectionApi.as_view(), name="api_communication_plans"),
    path(
        "communication-plans/<int:pk>/",
        CommunicationPlanItemApi.as_view(),
        name="api_communication_plan",
    ),
]
