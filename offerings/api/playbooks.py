"""REST API of onboarding playbooks (/api/v1/offer/): playbooks per offering and their template actions.

A playbook is read with its actions in dependency order (every action after those it waits for, ties
broken by the playbook's own order), which is the order a plan made from it follows. An action names
the actions it waits for by id in `depends_on`; a set that would go round in a circle is refused
(400, `dependency_cycle`) with the actions named.
"""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.urls import path
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from exploration.api.personas import WRITE_ERRORS_WITH_REPLAY, validated
from journeys.api import IDEMPOTENCY_PARAMETER, READ_ERRORS, WRITE_ERRORS, ListApi, UpdatedSinceFilterSet
from journeys.api_base import NamedChoiceField
from journeys.idempotency import idempotent
from journeys.serializers import InputSerializer, ScopedIdField
from offerings import selectors, services
from offerings.models import OnboardingPlaybook, OwnerParty, PlaybookAction, ServiceOffering
from offerings.services.playbooks import MAX_DUE_AFTER_DAYS

TAGS = ["onboarding playbooks"]


class PlaybookFilter(UpdatedSinceFilterSet):
    offering = django_filters.NumberFilter(field_name="offering_id", help_text="Id of an offering.")


class PlaybookInput(InputSerializer):
    offering = ScopedIdField(model=ServiceOffering, scope=selectors.offering_scope)
    name = serializers.CharField(max_length=160)
    vision = serializers.CharField(required=False, allow_blank=True, help_text="The expected result.")
    scope = serializers.CharField(required=False, allow_blank=True, help_text="Starting point and scope.")
    goals = serializers.CharField(required=False, allow_blank=True)
    controls = serializers.CharField(required=False, allow_blank=True, help_text="How success is checked.")


class PlaybookUpdateInput(PlaybookInput):
    offering = None  # a playbook stays with its offering


@extend_schema_serializer(component_name="PlaybookAction")
class ActionOutput(serializers.ModelSerializer):
    owner_party = NamedChoiceField(OwnerParty, read_only=True)
    depends_on = serializers.SerializerMethodField(help_text="Ids of the actions it waits for.")
    order = serializers.SerializerMethodField(help_text="Its place in dependency order, from 1.")

    class Meta:
        model = PlaybookAction
        fields = [
            "id",
            "playbook",
            "order",
            "title",
            "description",
            "owner_party",
            "owner_role",
            "due_after_days",
            "depends_on",
            "position",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def _step(self, action) -> selectors.PlaybookStep:
        return self.context["steps"][action.pk]

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_depends_on(self, action) -> list[int]:
        return [prerequisite.pk for prerequisite in self._step(action).prerequisites]

    def get_order(self, action) -> int:
        return self._step(action).number


def _actions(steps: list[selectors.PlaybookStep]) -> list[dict]:
    return ActionOutput(
        [step.action for step in steps],
        many=True,
        context={"steps": {step.action.pk: step for step in steps}},
    ).data


@extend_schema_serializer(component_name="OnboardingPlaybook")
class PlaybookOutput(serializers.ModelSerializer):
    offering_name = serializers.CharField(source="offering.name", read_only=True)
    action_count = serializers.IntegerField(read_only=True)
    last_due_day = serializers.IntegerField(read_only=True, help_text="The day the last action is due.")

    class Meta:
        model = OnboardingPlaybook
        fields = [
            "id",
            "offering",
            "offering_name",
            *services.PLAYBOOK_FIELDS,
            "owner",
            "action_count",
            "last_due_day",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


@extend_schema_serializer(component_name="OnboardingPlaybookDetail")
class PlaybookDetailOutput(PlaybookOutput):
    actions = serializers.SerializerMethodField(help_text="The actions in dependency order.")

    class Meta(PlaybookOutput.Meta):
        fields = [*PlaybookOutput.Meta.fields, "actions"]
        read_only_fields = fields

    @extend_schema_field(ActionOutput(many=True))
    def get_actions(self, playbook) -> list[dict]:
        return _actions(self.context["steps"])


def _playbook_detail(request: Request, playbook: OnboardingPlaybook, *, created: bool = False) -> Response:
    playbook = selectors.playbook_get(user=request.user, pk=playbook.pk)
    steps = selectors.playbook_actions_in_order(user=request.user, playbook=playbook)
    return Response(
        PlaybookDetailOutput(playbook, context={"steps": steps}).data,
        status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
    )


@extend_schema(tags=TAGS)
class PlaybookCollectionApi(ListApi):
    serializer_class = PlaybookOutput
    filterset_class = PlaybookFilter

    def get_queryset(self) -> QuerySet:
        return selectors.playbook_list(user=self.request.user)

    @extend_schema(
        summary="List onboarding playbooks", responses={200: PlaybookOutput(many=True), **READ_ERRORS}
    )
    def get(self, request: Request) -> Response:
        return super().get(request)

    @extend_schema(
        summary="Design an onboarding playbook for an offering",
        parameters=[IDEMPOTENCY_PARAMETER],
        request=PlaybookInput,
        responses={201: PlaybookDetailOutput, **WRITE_ERRORS_WITH_REPLAY},
    )
    @idempotent
    def post(self, request: Request) -> Response:
        playbook = services.playbook_create(actor=request.user, **validated(PlaybookInput, request))
        return _playbook_detail(request, playbook, created=True)


@extend_schema(tags=TAGS)
class PlaybookItemApi(APIView):
    @extend_schema(
        summary="Get a playbook with its actions in dependency order",
        responses={200: PlaybookDetailOutput, **READ_ERRORS},
    )
    def get(self, request: Request, pk: int) -> Response:
        return _playbook_detail(request, selectors.playbook_get(user=request.user, pk=pk))

    @extend_schema(
        summary="Update a playbook",
        request=PlaybookUpdateInput,
        responses={200: PlaybookDetailOutput, **WRITE_ERRORS},
    )
    def patch(self, request: Request, pk: int) -> Response:
        playbook = selectors.playbook_get(user=request.user, pk=pk)
        data = validated(PlaybookUpdateInput, request, partial=True)
        return _playbook_detail(
            request, services.playbook_update(actor=request.user, playbook=playbook, **data)
        )

    @extend_schema(summary="Delete a playbook and its actions", responses={204: None, **WRITE_ERRORS})
    def delete(self, request: Request, pk: int) -> Response:
        playbook = selectors.playbook_get(user=request.user, pk=pk)
        services.playbook_delete(actor=request.user, playbook=playbook)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- actions --------------------------------------------------------------------------------------


class PrerequisiteField(serializers.PrimaryKeyRelatedField):
    """Ids of actions; the service checks they belong to the same playbook."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("error_messages", {"does_not_exist": "No playbook action with the id {pk_value}."})
        super().__init__(queryset=PlaybookAction.objects.all(), **kwargs)


class ActionInput(InputSerializer):
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True)
    owner_party = NamedChoiceField(OwnerParty, required=False, help_text="Who carries it out.")
    owner_role = serializers.CharField(max_length=120, required=False, allow_blank=True)
    due_after_days = serializers.IntegerField(
        min_value=0, max_value=MAX_DUE_AFTER_DAYS, required=False, help_text="Days after onboarding starts."
    )
    depends_on = PrerequisiteField(
        many=True,
        required=False,
        help_text="Ids of the actions of the same playbook it waits for: the whole set.",
    )


class ActionUpdateInput(ActionInput):
    position = serializers.IntegerField(
        min_value=1,
        required=False,
        help_text="Its place in the playbook's own order, from 1; the others shift.",
    )


def _action_response(request: Request, action: PlaybookAction, *, created: bool = False) -> Response:
    steps = selectors.playbook_actions_in_order(user=request.user, playbook=action.playbook)
    step = next(step for step in steps if step.action.pk == action.pk)
    return Response(
        ActionOutput(step.action, context={"steps": {step.action.pk: step}}).data,
        status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
    )


@extend_schema(tags=TAGS)
class ActionCollectionApi(APIView):
    @extend_schema(
        summary="List a playbook's actions in dependency order",
        responses={200: ActionOutput(many=True), **READ_ERRORS},
    )
    def get(self, request: Request, pk: int) -> Response:
        playbook = selectors.playbook_get(user=request.user, pk=pk)
        return Response(_actions(selectors.playbook_actions_in_order(user=request.user, playbook=playbook)))

    @extend_schema(
        summary="Add an action to a playbook",
        parameters=[IDEMPOTENCY_PARAMETER],
        request=ActionInput,
        responses={201: ActionOutput, **WRITE_ERRORS_WITH_REPLAY},
    )
    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        playbook = selectors.playbook_get(user=request.user, pk=pk)
        action = services.playbook_action_add(
            actor=request.user, playbook=playbook, **validated(ActionInput, request)
        )
        return _action_response(request, action, created=True)


def _action(request: Request, pk: int) -> PlaybookAction:
    action = PlaybookAction.objects.filter(pk=pk).only("playbook_id").first()
    playbook = selectors.playbook_get(user=request.user, pk=action.playbook_id if action else 0)
    return selectors.playbook_action_get(user=request.user, pk=pk, playbook=playbook)


@extend_schema(tags=TAGS)
class ActionItemApi(APIView):
    @extend_schema(summary="Get a playbook action", responses={200: ActionOutput, **READ_ERRORS})
    def get(self, request: Request, pk: int) -> Response:
        return _action_response(request, _action(request, pk))

    @extend_schema(
        summary="Update an action (its prerequisites, its place)",
        request=ActionUpdateInput,
        responses={200: ActionOutput, **WRITE_ERRORS},
    )
    def patch(self, request: Request, pk: int) -> Response:
        action = _action(request, pk)
        data = validated(ActionUpdateInput, request, partial=True)
        return _action_response(
            request, services.playbook_action_update(actor=request.user, action=action, **data)
        )

    @extend_schema(summary="Remove an action", responses={204: None, **WRITE_ERRORS})
    def delete(self, request: Request, pk: int) -> Response:
        services.playbook_action_remove(actor=request.user, action=_action(request, pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


urlpatterns = [
    path("offer/playbooks/", PlaybookCollectionApi.as_view(), name="api_offer_playbooks"),
    path("offer/playbooks/<int:pk>/", PlaybookItemApi.as_view(), name="api_offer_playbook"),
    path(
        "offer/playbooks/<int:pk>/actions/", ActionCollectionApi.as_view(), name="api_offer_playbook_actions"
    ),
    path("offer/playbook-actions/<int:pk>/", ActionItemApi.as_view(), name="api_offer_playbook_action"),
]
