"""REST API of a consumer's requirements (/api/v1/offer/requirements/ and an account's requirement
board): list with filters, record, change, delete, and reprioritize (a MoSCoW column and a place in
it, or one place up or down).

The conventions of journeys/api.py: one class per URL, input and output serializers apart, reads
through the selectors (a requirement of an account the caller may not see is a 404), writes through
the services (which check the rules and name the field of any bad input), errors in the one envelope.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import QuerySet
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from journeys.api import IDEMPOTENCY_PARAMETER, READ_ERRORS, WRITE_ERRORS, ListApi, UpdatedSinceFilterSet
from journeys.api_base import NamedChoiceField
from journeys.api_base import validated as _validated
from journeys.base import ApplicationError
from journeys.idempotency import idempotent
from journeys.models import Journey, Organization
from journeys.selectors import journey_scope, organization_get, organization_scope
from journeys.serializers import ErrorOutput, InputSerializer, ScopedIdField
from offerings import selectors, services
from offerings.models import (
    MoscowCategory,
    NonFunctionalCategory,
    Requirement,
    RequirementKind,
    RequirementStatus,
    ServiceOffering,
)
from offerings.prioritization import WSJF_SCALE

SCALE_TEXT = ", ".join(map(str, WSJF_SCALE))
REPLAY_ERRORS = {422: ErrorOutput}


class MoveDirection(models.TextChoices):
    """One place up or down a column of the requirement board (services.MOVE_DIRECTIONS)."""

    UP = "up", "Up"
    DOWN = "down", "Down"


# --- serializers ----------------------------------------------------------------------------------


def _component(help_text: str) -> serializers.IntegerField:
    return serializers.IntegerField(
        required=False, allow_null=True, help_text=f"{help_text} One of {SCALE_TEXT}."
    )


class RequirementUpdateInput(InputSerializer):
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True)
    journey = ScopedIdField(
        model=Journey, scope=journey_scope, required=False, allow_null=True, help_text="One of the account's."
    )
    offering = serializers.PrimaryKeyRelatedField(
        queryset=ServiceOffering.objects.all(), required=False, allow_null=True
    )
    as_a = serializers.CharField(max_length=200, required=False, allow_blank=True, help_text="Who wants it.")
    i_want = serializers.CharField(
        max_length=400, required=False, allow_blank=True, help_text="What they want."
    )
    so_that = serializers.CharField(
        max_length=400, required=False, allow_blank=True, help_text="The benefit."
    )
    kind = NamedChoiceField(RequirementKind, required=False)
    non_functional_category = NamedChoiceField(
        NonFunctionalCategory,
        required=False,
        allow_blank=True,
        help_text="Only for a non-functional requirement.",
    )
    acceptance_criteria = serializers.CharField(
        required=False, allow_blank=True, help_text="Needed from `acceptance_defined` on."
    )
    status = NamedChoiceField(RequirementStatus, required=False)
    moscow = NamedChoiceField(
        MoscowCategory,
        required=False,
        allow_blank=True,
        help_text="Empty while not yet prioritized; needed from `prioritized` on. A new category puts the "
        "requirement at the end of that column nearest to where it was.",
    )
    candidate_release = serializers.CharField(
        max_length=80, required=False, allow_blank=True, help_text="Only for a won't-have."
    )
    service_impact = _component("WSJF: the value of its outcome.")
    urgency = _component("WSJF: time criticality.")
    risk_reduction = _component("WSJF: risk reduction / opportunity enablement.")
    job_size = serializers.IntegerField(
        required=False,
        allow_null=True,
        help_text="WSJF: size or duration, 1 or more. Score all four or none.",
    )
    is_independent = serializers.BooleanField(required=False)
    is_negotiable = serializers.BooleanField(required=False)
    is_valuable = serializers.BooleanField(required=False)
    is_estimable = serializers.BooleanField(required=False)
    is_small = serializers.BooleanField(required=False)
    is_testable = serializers.BooleanField(required=False)
    owner = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.filter(is_active=True),
        required=False,
        allow_null=True,
        help_text="User id of the requirement owner.",
    )


class RequirementCreateInput(RequirementUpdateInput):
    organization = ScopedIdField(model=Organization, scope=organization_scope, help_text="The consumer.")


class InvestFailureOutput(serializers.Serializer):
    criterion = serializers.CharField(source="criterion.value")
    explanation = serializers.CharField()


class InvestOutput(serializers.Serializer):
    passed = serializers.BooleanField()
    failures = InvestFailureOutput(
        many=True, help_text="The criteria not met, in INVEST order, each with why."
    )


class RequirementOutput(serializers.ModelSerializer):
    kind = NamedChoiceField(RequirementKind, read_only=True)
    status = NamedChoiceField(RequirementStatus, read_only=True)
    moscow = serializers.CharField(
        read_only=True, help_text="must, should, could, wont; empty: not yet prioritized."
    )
    user_story = serializers.CharField(read_only=True)
    cost_of_delay = serializers.IntegerField(read_only=True, allow_null=True)
    wsjf_score = serializers.DecimalField(
        max_digits=8,
        decimal_places=2,
        read_only=True,
        allow_null=True,
        help_text="Cost of delay ÷ job size; null while not scored.",
    )
    invest = InvestOutput(read_only=True)

    class Meta:
        model = Requirement
        fields = [
            "id",
            "organization",
            "journey",
            "offering",
            "title",
            "description",
            "as_a",
            "i_want",
            "so_that",
            "user_story",
            "kind",
            "non_functional_category",
            "acceptance_criteria",
            "status",
            "validated_at",
            "moscow",
            "candidate_release",
            "rank",
            "service_impact",
            "urgency",
            "risk_reduction",
            "job_size",
            "cost_of_delay",
            "wsjf_score",
            "is_independent",
            "is_negotiable",
            "is_valuable",
            "is_estimable",
            "is_small",
            "is_testable",
            "invest",
            "owner",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ReprioritizeInput(InputSerializer):
    moscow = NamedChoiceField(
        MoscowCategory,
        required=False,
        allow_blank=True,
        help_text="The column to put it in (empty: not yet prioritized); its own column when left out.",
    )
    position = serializers.IntegerField(
        required=False, min_value=1, help_text="1 is the top; past the end means the bottom."
    )
    direction = NamedChoiceField(
        MoveDirection, required=False, help_text="One place up or down its column, instead."
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if "direction" in attrs and ("moscow" in attrs or "position" in attrs):
            raise serializers.ValidationError(
                {"direction": ["Give a direction, or a column and position; not both."]}
            )
        if not attrs:
            raise serializers.ValidationError(
                {"moscow": ["Say where it goes: a column (`moscow`), a `position`, or a `direction`."]}
            )
        return attrs


class BoardCardOutput(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    title = serializers.CharField()
    status = NamedChoiceField(RequirementStatus)
    rank = serializers.IntegerField()
    cost_of_delay = serializers.IntegerField(allow_null=True)
    wsjf_score = serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True)
    invest_passed = serializers.BooleanField(source="invest.passed")
    invest_failed = serializers.SerializerMethodField(help_text="The INVEST criteria not met.")

    @extend_schema_field({"type": "array", "items": {"type": "string"}})
    def get_invest_failed(self, card) -> list[str]:
        return [criterion.value for criterion in card.invest.failed_criteria]


class BoardColumnOutput(serializers.Serializer):
    moscow = serializers.CharField(help_text="Empty for the requirements not yet prioritized.")
    label = serializers.CharField()
    count = serializers.IntegerField()
    effort = serializers.IntegerField(help_text="The sum of its job sizes.")
    effort_share = serializers.IntegerField(allow_null=True, help_text="Its effort as a % of the board's.")
    cards = BoardCardOutput(many=True)


class BoardOutput(serializers.Serializer):
    organization = serializers.IntegerField(source="organization.pk")
    order = serializers.ChoiceField(choices=selectors.BOARD_ORDERS)
    columns = BoardColumnOutput(many=True)


class RankByWsjfInput(InputSerializer):
    moscow = NamedChoiceField(
        MoscowCategory, allow_blank=True, help_text="The column; empty: not yet prioritized."
    )


class RankByWsjfOutput(serializers.Serializer):
    moved = serializers.ListField(child=serializers.IntegerField(), help_text="Ids whose place changed.")
    board = BoardOutput()


# --- views ----------------------------------------------------------------------------------------


class RequirementFilter(UpdatedSinceFilterSet):
    organization = django_filters.NumberFilter(field_name="organization_id")
    journey = django_filters.NumberFilter(field_name="journey_id")
    offering = django_filters.NumberFilter(field_name="offering_id")
    moscow = django_filters.ChoiceFilter(
        method="filter_moscow",
        choices=[*MoscowCategory.choices, ("none", "Not yet prioritized")],
        help_text="A MoSCoW category, or `none` for those not yet prioritized.",
    )
    status = django_filters.ChoiceFilter(choices=RequirementStatus.choices)
    kind = django_filters.ChoiceFilter(choices=RequirementKind.choices)

    def filter_moscow(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(moscow="" if value == "none" else value)


def _answer(requirement: Requirement, *, status_code: int = status.HTTP_200_OK) -> Response:
    return Response(RequirementOutput(requirement).data, status=status_code)


@extend_schema(tags=["requirements"])
class RequirementCollectionApi(ListApi):
    serializer_class = RequirementOutput
    filterset_class = RequirementFilter

    def get_queryset(self) -> QuerySet:
        return selectors.requirement_scope(self.request.user)

    @extend_schema(
        summary="List requirements",
        description="Filter by `organization`, `moscow` (`none`: not yet prioritized), `status`, `kind`, "
        "`journey`, `offering`, `updated_since`.",
        responses={200: RequirementOutput(many=True), **READ_ERRORS},
    )
    def get(self, request: Request) -> Response:
        return super().get(request)

    @extend_schema(
        summary="Record a consumer's requirement (it joins the bottom of its MoSCoW column)",
        parameters=[IDEMPOTENCY_PARAMETER],
        request=RequirementCreateInput,
        responses={201: RequirementOutput, **WRITE_ERRORS, **REPLAY_ERRORS},
    )
    @idempotent
    def post(self, request: Request) -> Response:
        data = _validated(RequirementCreateInput, request)
        requirement = services.requirement_create(actor=request.user, **data)
        return _answer(requirement, status_code=status.HTTP_201_CREATED)


@extend_schema(tags=["requirements"])
class RequirementItemApi(APIView):
    @extend_schema(summary="Get a requirement", responses={200: RequirementOutput, **READ_ERRORS})
    def get(self, request: Request, pk: int) -> Response:
        return _answer(selectors.requirement_get(user=request.user, pk=pk))

    @extend_schema(
        summary="Change a requirement",
        request=RequirementUpdateInput,
        responses={200: RequirementOutput, **WRITE_ERRORS},
    )
    def patch(self, request: Request, pk: int) -> Response:
        requirement = selectors.requirement_get(user=request.user, pk=pk)
        data = _validated(RequirementUpdateInput, request, partial=True)
        return _answer(services.requirement_update(actor=request.user, requirement=requirement, **data))

    @extend_schema(summary="Delete a requirement recorded by mistake", responses={204: None, **WRITE_ERRORS})
    def delete(self, request: Request, pk: int) -> Response:
        requirement = selectors.requirement_get(user=request.user, pk=pk)
        services.requirement_delete(actor=request.user, requirement=requirement)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["requirements"])
class RequirementReprioritizeApi(APIView):
    @extend_schema(
        summary="Reprioritize a requirement",
        description="Put it in a MoSCoW column at a position (`moscow`, `position`), or move it one place "
        "(`direction`: up or down). The other cards of the columns keep dense ranks 1, 2, 3 …",
        request=ReprioritizeInput,
        responses={200: RequirementOutput, **WRITE_ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        requirement = selectors.requirement_get(user=request.user, pk=pk)
        data = _validated(ReprioritizeInput, request)
        if "direction" in data:
            moved = services.requirement_step(
                actor=request.user, requirement=requirement, direction=data["direction"]
            )
        else:
            moved = services.requirement_reprioritize(
                actor=request.user,
                requirement=requirement,
                moscow=data.get("moscow", requirement.moscow),
                position=data.get("position"),
            )
        return _answer(moved)


BOARD_PARAMETERS = [
    OpenApiParameter(
        "order", OpenApiTypes.STR, enum=list(selectors.BOARD_ORDERS), description="`rank` or `wsjf`."
    ),
    OpenApiParameter("journey", OpenApiTypes.INT, description="Only the requirements of this journey."),
    OpenApiParameter("offering", OpenApiTypes.INT, description="Only the requirements of this offering."),
]


def _board(request: Request, organization: Organization) -> dict:
    query = request.query_params
    journeys, offerings = selectors.requirement_board_choices(user=request.user, organization=organization)
    chosen = {}
    for name, choices in (("journey", journeys), ("offering", offerings)):
        value = query.get(name, "")
        chosen[name] = next((item for item in choices if str(item.pk) == value), None)
        if value and chosen[name] is None:
            raise ApplicationError.for_field(
                name, f"The account's requirements name no {name} with the id {value}."
            )
    board = selectors.requirement_board(
        user=request.user, organization=organization, order=query.get("order", "rank"), **chosen
    )
    return BoardOutput(board).data


@extend_schema(tags=["requirements"])
class RequirementBoardApi(APIView):
    @extend_schema(
        summary="An account's requirement board",
        description="The five columns (not yet prioritized, must, should, could, won't) with their cards in "
        "the agreed order or by WSJF score, each column's count and effort.",
        parameters=BOARD_PARAMETERS,
        responses={200: BoardOutput, **READ_ERRORS, 400: ErrorOutput},
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(_board(request, organization_get(user=request.user, pk=pk, brief=True)))


@extend_schema(tags=["requirements"])
class RequirementRankByWsjfApi(APIView):
    @extend_schema(
        summary="Adopt the WSJF order as a column's agreed order",
        request=RankByWsjfInput,
        responses={200: RankByWsjfOutput, **WRITE_ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        organization = organization_get(user=request.user, pk=pk, brief=True)
        data = _validated(RankByWsjfInput, request)
        moved = services.requirement_column_rank_by_wsjf(
            actor=request.user, organization=organization, moscow=data["moscow"]
        )
        return Response({"moved": moved, "board": _board(request, organization)})


urlpatterns = [
    path("offer/requirements/", RequirementCollectionApi.as_view(), name="api_offer_requirements"),
    path("offer/requirements/<int:pk>/", RequirementItemApi.as_view(), name="api_offer_requirement"),
    path(
        "offer/requirements/<int:pk>/reprioritize/",
        RequirementReprioritizeApi.as_view(),
        name="api_offer_requirement_reprioritize",
    ),
    path(
        "offer/organizations/<int:pk>/requirement-board/",
        RequirementBoardApi.as_view(),
        name="api_offer_requirement_board",
    ),
    path(
        "offer/organizations/<int:pk>/requirement-board/rank-by-wsjf/",
        RequirementRankByWsjfApi.as_view(),
        name="api_offer_requirement_rank_by_wsjf",
    ),
]
