"""REST API of the decision matrices (/api/v1/): matrices, their criteria and options, the ratings
grid, and the weighted result computed by the selectors.

One class per URL; input serializers check types and resolve ids among what the user may see, the
services check the rules. A matrix's detail carries its criteria, options, ratings and result, so a
client sees what the page shows.
"""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.urls import path
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from exploration import selectors, services
from exploration.models import (
    RATING_MAX,
    RATING_MIN,
    WEIGHT_MAX,
    WEIGHT_MIN,
    DecisionCriterion,
    DecisionMatrix,
    DecisionOption,
    DecisionRating,
)
from journeys.api import IDEMPOTENCY_PARAMETER, READ_ERRORS, WRITE_ERRORS, ListApi, UpdatedSinceFilterSet
from journeys.api_base import validated as _validated
from journeys.base import ApplicationError
from journeys.idempotency import idempotent
from journeys.models import Organization
from journeys.selectors import organization_scope
from journeys.serializers import ErrorOutput, InputSerializer, ScopedIdField

RATING_RULE = f"A rating is a whole number from {RATING_MIN} to {RATING_MAX}, or null for not rated."
WEIGHT_RULE = f"A weight is a whole number from {WEIGHT_MIN} to {WEIGHT_MAX}."


def _errors(*codes: int) -> dict[int, type[serializers.Serializer]]:
    return dict.fromkeys(codes, ErrorOutput)


def _whole(rule: str) -> dict[str, str]:
    return {"invalid": rule, "min_value": rule, "max_value": rule, "max_string_length": rule}


# --- output -----------------------------------------------------------------------------------------


class DecisionCriterionOutput(serializers.ModelSerializer):
    class Meta:
        model = DecisionCriterion
        fields = ["id", "matrix", "name", "weight", "is_intangible", "position", "created_at", "updated_at"]
        read_only_fields = fields


class DecisionOptionOutput(serializers.ModelSerializer):
    class Meta:
        model = DecisionOption
        fields = ["id", "matrix", "name", "organization", "notes", "created_at", "updated_at"]
        read_only_fields = fields


class DecisionRatingOutput(serializers.ModelSerializer):
    class Meta:
        model = DecisionRating
        fields = ["option", "criterion", "rating", "note", "updated_at"]
        read_only_fields = fields


class DecisionOptionResultOutput(serializers.Serializer):
    option = serializers.IntegerField(source="pk")
    name = serializers.CharField()
    score = serializers.IntegerField(help_text="Σ weight × rating over the tangible criteria.")
    share_of_maximum = serializers.FloatField(
        source="share", allow_null=True, help_text="The score as a percentage of the maximum."
    )
    normalized = serializers.FloatField(
        allow_null=True, help_text="Σ weight × rating ÷ Σ weight: the weighted average rating, 0 to 5."
    )
    rank = serializers.IntegerField(
        allow_null=True, help_text="Competition ranking: equal scores share a rank (1, 1, 3)."
    )
    unrated_criteria = serializers.IntegerField(
        source="unrated_count", help_text="Tangible criteria without a rating for this option."
    )
    is_complete = serializers.SerializerMethodField()

    @extend_schema_field(serializers.BooleanField())
    def get_is_complete(self, option) -> bool:
        return not option.unrated_count


class DecisionResultOutput(serializers.Serializer):
    can_rank = serializers.BooleanField(help_text="False until a tangible criterion has a weight above 0.")
    weight_total = serializers.IntegerField(help_text="Σ of the tangible criteria's weights.")
    maximum = serializers.IntegerField(help_text="The best possible score: every tangible criterion rated 5.")
    tangible_criteria = serializers.IntegerField(source="tangible_count")
    intangible_criteria = serializers.SerializerMethodField(
        help_text="Ids of the criteria kept out of the score."
    )
    leaders = serializers.SerializerMethodField(
        help_text="Ids of the options ranked first (several on a tie)."
    )
    ranking = DecisionOptionResultOutput(many=True, help_text="Best first.")

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_intangible_criteria(self, result) -> list[int]:
        return [criterion.pk for criterion in result.intangible_criteria]

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_leaders(self, result) -> list[int]:
        return [option.pk for option in result.leaders]


class DecisionMatrixOutput(serializers.ModelSerializer):
    """A matrix in a list: its counts and leading option (null until an option is rated)."""

    option_count = serializers.IntegerField()
    criterion_count = serializers.IntegerField()
    leading_option = serializers.CharField(source="leading_option_name", allow_null=True)

    class Meta:
        model = DecisionMatrix
        fields = [
            "id", "title", "purpose", "organization", "owner", "option_count", "criterion_count",
            "leading_option", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields


class DecisionMatrixDetailOutput(serializers.Serializer):
    """A matrix with its rows, columns, cells and weighted result."""

    id = serializers.IntegerField(source="matrix.pk")
    title = serializers.CharField(source="matrix.title")
    purpose = serializers.CharField(source="matrix.purpose")
    organization = serializers.IntegerField(source="matrix.organization_id", allow_null=True)
    owner = serializers.IntegerField(source="matrix.owner_id", allow_null=True)
    created_at = serializers.DateTimeField(source="matrix.created_at")
    updated_at = serializers.DateTimeField(source="matrix.updated_at")
    criteria = DecisionCriterionOutput(many=True)
    options = DecisionOptionOutput(many=True)
    ratings = DecisionRatingOutput(many=True, source="rating_list")
    result = DecisionResultOutput(source="*")


def _detail(matrix: DecisionMatrix, *, status_code: int = status.HTTP_200_OK) -> Response:
    result = selectors.decision_matrix_result(matrix=matrix)
    return Response(DecisionMatrixDetailOutput(result).data, status=status_code)


# --- input ------------------------------------------------------------------------------------------


class DecisionMatrixUpdateInput(InputSerializer):
    title = serializers.CharField(max_length=160)
    purpose = serializers.CharField(required=False, allow_blank=True)
    organization = ScopedIdField(
        model=Organization,
        scope=organization_scope,
        required=False,
        allow_null=True,
        help_text="The consumer the decision is made for; null for a provider-wide matrix.",
    )


class DecisionMatrixCreateInput(DecisionMatrixUpdateInput):
    with_default_criteria = serializers.BooleanField(
        required=False, default=True, help_text="Start with the fourteen shortlist criteria at equal weight."
    )


class DecisionCriterionInput(InputSerializer):
    name = serializers.CharField(max_length=200)
    weight = serializers.IntegerField(
        min_value=WEIGHT_MIN, max_value=WEIGHT_MAX, required=False, error_messages=_whole(WEIGHT_RULE)
    )
    is_intangible = serializers.BooleanField(
        required=False, help_text="Kept out of the weighted score; shown for the discussion."
    )
    position = serializers.IntegerField(min_value=0, max_value=32767, required=False)


class DecisionOptionInput(InputSerializer):
    name = serializers.CharField(max_length=160)
    organization = ScopedIdField(
        model=Organization,
        scope=organization_scope,
        required=False,
        allow_null=True,
        help_text="A provider, supplier or partner on record that this option stands for.",
    )
    notes = serializers.CharField(required=False, allow_blank=True)


class DecisionRatingRowInput(InputSerializer):
    option = serializers.IntegerField()
    criterion = serializers.IntegerField()
    rating = serializers.IntegerField(
        min_value=RATING_MIN, max_value=RATING_MAX, allow_null=True, error_messages=_whole(RATING_RULE)
    )
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=DecisionRating._meta.get_field("note").max_length,
        help_text="Left out: the cell keeps its note; empty: the note is cleared.",
    )


class DecisionRatingsInput(InputSerializer):
    ratings = DecisionRatingRowInput(many=True, allow_empty=True)


def _row_errors(errors: dict) -> ApplicationError:
    """Name a bad row's field `ratings[<index>].<field>`, as the service does for bad ids, whichever
    shape (a list, or a dict by index) DRF gives a nested list's errors."""
    fields: dict[str, list[str]] = {}

    def add(key: str, messages) -> None:
        fields.setdefault(key, []).extend(str(message) for message in messages)

    for name, detail in errors.items():
        rows = list(detail.items() if isinstance(detail, dict) else enumerate(detail))
        for index, row in rows:
            if isinstance(row, dict):
                for field, messages in row.items():
                    add(f"{name}[{index}].{field}", messages)
            elif isinstance(detail, dict):  # {"non_field_errors": [...]}: the list itself is wrong
                add(name, row)
            else:
                add(name, [row])
    key, messages = next(iter(fields.items()))
    return ApplicationError(f"{key}: {messages[0]}", fields=fields)


# --- matrices ---------------------------------------------------------------------------------------


class DecisionMatrixFilter(UpdatedSinceFilterSet):
    organization = django_filters.NumberFilter(field_name="organization_id")


@extend_schema(tags=["decision matrices"])
class DecisionMatrixCollectionApi(ListApi):
    serializer_class = DecisionMatrixOutput
    filterset_class = DecisionMatrixFilter

    def get_queryset(self) -> QuerySet:
        return selectors.decision_matrix_list(user=self.request.user)

    @extend_schema(
        summary="List decision matrices", responses={200: DecisionMatrixOutput(many=True), **READ_ERRORS}
    )
    def get(self, request: Request) -> Response:
        return super().get(request)

    @extend_schema(
        summary="Start a decision matrix",
        parameters=[IDEMPOTENCY_PARAMETER],
        request=DecisionMatrixCreateInput,
        responses={201: DecisionMatrixDetailOutput, **WRITE_ERRORS, **_errors(422)},
    )
    @idempotent
    def post(self, request: Request) -> Response:
        matrix = services.decision_matrix_create(
            actor=request.user, **_validated(DecisionMatrixCreateInput, request)
        )
        return _detail(matrix, status_code=status.HTTP_201_CREATED)


@extend_schema(tags=["decision matrices"])
class DecisionMatrixItemApi(APIView):
    @extend_schema(
        summary="Get a decision matrix with its grid and result",
        responses={200: DecisionMatrixDetailOutput, **READ_ERRORS},
    )
    def get(self, request: Request, pk: int) -> Response:
        return _detail(selectors.decision_matrix_get(user=request.user, pk=pk))

    @extend_schema(
        summary="Update a decision matrix",
        request=DecisionMatrixUpdateInput,
        responses={200: DecisionMatrixDetailOutput, **WRITE_ERRORS},
    )
    def patch(self, request: Request, pk: int) -> Response:
        matrix = selectors.decision_matrix_get(user=request.user, pk=pk)
        data = _validated(DecisionMatrixUpdateInput, request, partial=True)
        return _detail(services.decision_matrix_update(actor=request.user, matrix=matrix, **data))

    @extend_schema(summary="Delete a decision matrix", responses={204: None, **_errors(401, 403, 404)})
    def delete(self, request: Request, pk: int) -> Response:
        matrix = selectors.decision_matrix_get(user=request.user, pk=pk)
        services.decision_matrix_delete(actor=request.user, matrix=matrix)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["decision matrices"])
class DecisionRatingsApi(APIView):
    @extend_schema(
        summary="Set or clear ratings of a decision matrix",
        description="Each row sets one cell (option × criterion); a null rating clears it; cells not "
        "listed stay as they are. All or nothing: one bad row saves none, and its errors are named "
        "`ratings[<index>].<field>`. A bare list of rows is accepted as well. Answers with the matrix "
        "and its new result.",
        request=DecisionRatingsInput,
        responses={200: DecisionMatrixDetailOutput, **WRITE_ERRORS},
    )
    def put(self, request: Request, pk: int) -> Response:
        matrix = selectors.decision_matrix_get(user=request.user, pk=pk)
        body = {"ratings": request.data} if isinstance(request.data, list) else request.data
        serializer = DecisionRatingsInput(data=body, context={"request": request})
        if not serializer.is_valid():
            raise _row_errors(serializer.errors)
        services.decision_ratings_put(
            actor=request.user, matrix=matrix, ratings=serializer.validated_data["ratings"]
        )
        return _detail(matrix)


# --- criteria and options ---------------------------------------------------------------------------


@extend_schema(tags=["decision matrices"])
class DecisionCriterionCollectionApi(APIView):
    @extend_schema(
        summary="Add a criterion to a decision matrix",
        parameters=[IDEMPOTENCY_PARAMETER],
        request=DecisionCriterionInput,
        responses={201: DecisionCriterionOutput, **WRITE_ERRORS, **_errors(422)},
    )
    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        matrix = selectors.decision_matrix_get(user=request.user, pk=pk)
        data = _validated(DecisionCriterionInput, request)
        criterion = services.decision_criterion_add(actor=request.user, matrix=matrix, **data)
        return Response(DecisionCriterionOutput(criterion).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["decision matrices"])
class DecisionCriterionItemApi(APIView):
    @extend_schema(
        summary="Update a criterion",
        request=DecisionCriterionInput,
        responses={200: DecisionCriterionOutput, **WRITE_ERRORS},
    )
    def patch(self, request: Request, pk: int) -> Response:
        criterion = selectors.decision_criterion_get(user=request.user, pk=pk)
        data = _validated(DecisionCriterionInput, request, partial=True)
        criterion = services.decision_criterion_update(actor=request.user, criterion=criterion, **data)
        return Response(DecisionCriterionOutput(criterion).data)

    @extend_schema(
        summary="Remove a criterion and its ratings", responses={204: None, **_errors(401, 403, 404)}
    )
    def delete(self, request: Request, pk: int) -> Response:
        criterion = selectors.decision_criterion_get(user=request.user, pk=pk)
        services.decision_criterion_remove(actor=request.user, criterion=criterion)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["decision matrices"])
class DecisionOptionCollectionApi(APIView):
    @extend_schema(
        summary="Add an option to a decision matrix",
        parameters=[IDEMPOTENCY_PARAMETER],
        request=DecisionOptionInput,
        responses={201: DecisionOptionOutput, **WRITE_ERRORS, **_errors(422)},
    )
    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        matrix = selectors.decision_matrix_get(user=request.user, pk=pk)
        data = _validated(DecisionOptionInput, request)
        option = services.decision_option_add(actor=request.user, matrix=matrix, **data)
        return Response(DecisionOptionOutput(option).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["decision matrices"])
class DecisionOptionItemApi(APIView):
    @extend_schema(
        summary="Update an option",
        request=DecisionOptionInput,
        responses={200: DecisionOptionOutput, **WRITE_ERRORS},
    )
    def patch(self, request: Request, pk: int) -> Response:
        option = selectors.decision_option_get(user=request.user, pk=pk)
        data = _validated(DecisionOptionInput, request, partial=True)
        option = services.decision_option_update(actor=request.user, option=option, **data)
        return Response(DecisionOptionOutput(option).data)

    @extend_schema(
        summary="Remove an option and its ratings", responses={204: None, **_errors(401, 403, 404)}
    )
    def delete(self, request: Request, pk: int) -> Response:
        option = selectors.decision_option_get(user=request.user, pk=pk)
        services.decision_option_remove(actor=request.user, option=option)
        return Response(status=status.HTTP_204_NO_CONTENT)


urlpatterns = [
    path("decision-matrices/", DecisionMatrixCollectionApi.as_view(), name="api_decision_matrices"),
    path("decision-matrices/<int:pk>/", DecisionMatrixItemApi.as_view(), name="api_decision_matrix"),
    path(
        "decision-matrices/<int:pk>/criteria/",
        DecisionCriterionCollectionApi.as_view(),
        name="api_decision_matrix_criteria",
    ),
    path(
        "decision-matrices/<int:pk>/options/",
        DecisionOptionCollectionApi.as_view(),
        name="api_decision_matrix_options",
    ),
    path(
        "decision-matrices/<int:pk>/ratings/",
        DecisionRatingsApi.as_view(),
        name="api_decision_matrix_ratings",
    ),
    path("decision-criteria/<int:pk>/", DecisionCriterionItemApi.as_view(), name="api_decision_criterion"),
    path("decision-options/<int:pk>/", DecisionOptionItemApi.as_view(), name="api_decision_option"),
]
