"""REST API of the relationship assessments (/api/v1/): list and record assessments, read one with its
answers and computed results, delete one; the reference questionnaires; an account's assessment plan.

Reads come from the selectors, writes go through the services; an answer the service refuses comes
back as a field error named `answers.<item code>` in the one error envelope.
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

from journeys.api import IDEMPOTENCY_PARAMETER, READ_ERRORS, WRITE_ERRORS, ListApi, UpdatedSinceFilterSet
from journeys.api_base import NamedChoiceField
from journeys.idempotency import idempotent
from journeys.models import Organization
from journeys.selectors import organization_get, organization_scope
from journeys.serializers import ErrorOutput, InputSerializer, ScopedIdField
from relationships import selectors, services
from relationships.models import Assessment, AssessmentDirection, AssessmentKind, RelationshipType
from relationships.questionnaires import ASSESSMENT_RELEVANCE, QUESTIONNAIRES, RATING_LABELS, Relevance, Scale
from relationships.selectors import PlanStatus

TAGS = ["assessments"]

# --- serializers ----------------------------------------------------------------------------------


class AssessmentFilter(UpdatedSinceFilterSet):
    organization = django_filters.NumberFilter(field_name="relationship__organization_id")
    kind = django_filters.ChoiceFilter(choices=AssessmentKind.choices)
    direction = django_filters.ChoiceFilter(choices=AssessmentDirection.choices)


class AssessmentInput(InputSerializer):
    organization = ScopedIdField(
        model=Organization, scope=organization_scope, help_text="A service consumer."
    )
    kind = NamedChoiceField(AssessmentKind)
    direction = NamedChoiceField(
        AssessmentDirection,
        required=False,
        allow_null=True,
        help_text="Trust only: provider_by_consumer or consumer_by_provider. Leave it out for the others.",
    )
    assessed_on = serializers.DateField(required=False, help_text="Defaults to today; not in the future.")
    respondent = serializers.CharField(max_length=200, required=False, allow_blank=True)
    notes = serializers.CharField(required=False, allow_blank=True)
    answers = serializers.DictField(
        child=serializers.IntegerField(),
        help_text="Item code → value for every item of the questionnaire (see /assessment-questionnaires/): "
        "1–5 for ratings, 0 or 1 for maturity characteristics.",
    )


class AssessmentOutput(serializers.ModelSerializer):
    organization = serializers.IntegerField(source="relationship.organization_id", read_only=True)
    kind = NamedChoiceField(AssessmentKind, read_only=True)
    direction = NamedChoiceField(AssessmentDirection, read_only=True)

    class Meta:
        model = Assessment
        fields = [
            "id",
            "organization",
            "kind",
            "direction",
            "assessed_on",
            "assessed_by",
            "respondent",
            "notes",
            "score",
            "consumer_level",
            "provider_level",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class AnswerOutput(serializers.Serializer):
    factor = serializers.CharField()
    item = serializers.CharField()
    value = serializers.IntegerField()


class FactorResultOutput(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    mean = serializers.DecimalField(max_digits=4, decimal_places=2, source="rounded", allow_null=True)
    items = serializers.IntegerField()
    total = serializers.IntegerField(help_text="Sum of the values; for a checklist, the characteristics met.")
    side = serializers.CharField(help_text="Maturity only: consumer (demand) or provider (supply).")
    level = serializers.IntegerField(
        help_text="Maturity only: the level 1–3 these characteristics belong to."
    )


class ResultOutput(serializers.Serializer):
    score = serializers.DecimalField(max_digits=4, decimal_places=2, allow_null=True)
    factors = FactorResultOutput(many=True)
    consumer_level = serializers.IntegerField(allow_null=True)
    provider_level = serializers.IntegerField(allow_null=True)
    gap = serializers.IntegerField(allow_null=True, help_text="Maturity only: |provider − consumer|.")
    gap_warning = serializers.BooleanField()
    is_ready = serializers.SerializerMethodField(help_text="Readiness to collaborate only.")
    not_ready = serializers.SerializerMethodField()
    weakest = serializers.SerializerMethodField()

    @extend_schema_field(serializers.BooleanField(allow_null=True))
    def get_is_ready(self, result) -> bool | None:
        return result.is_ready if result.kind == AssessmentKind.COLLABORATION_READINESS else None

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_not_ready(self, result) -> list[str]:
        return [figure.code for figure in result.not_ready]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_weakest(self, result) -> list[str]:
        return [figure.code for figure in result.weakest]


class AssessmentDetailOutput(AssessmentOutput):
    answers = AnswerOutput(many=True, source="answer_rows")
    result = ResultOutput()

    class Meta(AssessmentOutput.Meta):
        fields = [*AssessmentOutput.Meta.fields, "answers", "result"]
        read_only_fields = fields


class ItemOutput(serializers.Serializer):
    code = serializers.CharField()
    text = serializers.CharField()


class FactorOutput(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    help = serializers.CharField()
    side = serializers.CharField()
    level = serializers.IntegerField()
    items = ItemOutput(many=True)


class QuestionnaireOutput(serializers.Serializer):
    kind = NamedChoiceField(AssessmentKind)
    direction = NamedChoiceField(AssessmentDirection)
    title = serializers.CharField()
    intro = serializers.CharField()
    scale = NamedChoiceField(Scale, help_text="rating (1–5) or checklist (0 = not met, 1 = met).")
    allowed_values = serializers.ListField(child=serializers.IntegerField())
    factors = FactorOutput(many=True)


class QuestionnairesOutput(serializers.Serializer):
    questionnaires = QuestionnaireOutput(many=True)
    rating_labels = serializers.DictField(child=serializers.CharField())
    relevance = serializers.DictField(
        child=serializers.DictField(child=serializers.CharField()),
        help_text="relationship type → assessment kind → crucial (required), moderate (recommended), "
        "minor (optional) or not_applicable.",
    )


class LatestOutput(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    direction = NamedChoiceField(AssessmentDirection)
    assessed_on = serializers.DateField()
    score = serializers.DecimalField(max_digits=4, decimal_places=2, allow_null=True)
    count = serializers.IntegerField(help_text="How many assessments of this kind and direction exist.")
    is_stale = serializers.BooleanField(help_text="Older than a year.")


class PlanEntryOutput(serializers.Serializer):
    kind = NamedChoiceField(AssessmentKind)
    relevance = NamedChoiceField(Relevance)
    status = NamedChoiceField(PlanStatus, help_text="hidden = not applicable to the relationship type.")
    latest = LatestOutput(allow_null=True)
    latest_by_direction = LatestOutput(many=True, source="directions", help_text="Trust only.")
    missing_directions = serializers.ListField(child=NamedChoiceField(AssessmentDirection))
    stale_directions = serializers.ListField(child=NamedChoiceField(AssessmentDirection))


class PlanOutput(serializers.Serializer):
    organization = serializers.IntegerField(source="organization.pk")
    relationship_type = NamedChoiceField(RelationshipType)
    has_relationship = serializers.BooleanField()
    entries = PlanEntryOutput(many=True)


# --- views ----------------------------------------------------------------------------------------


def _detail(assessment: Assessment) -> Response:
    assessment.answer_rows = list(assessment.answers.order_by("id").values("factor", "item", "value"))
    assessment.result = selectors.assessment_result(assessment=assessment)
    return Response(AssessmentDetailOutput(assessment).data)


@extend_schema(tags=TAGS)
class AssessmentCollectionApi(ListApi):
    serializer_class = AssessmentOutput
    filterset_class = AssessmentFilter

    def get_queryset(self) -> QuerySet:
        return selectors.assessment_scope(self.request.user).select_related("relationship")

    @extend_schema(summary="List assessments", responses={200: AssessmentOutput(many=True), **READ_ERRORS})
    def get(self, request: Request) -> Response:
        return super().get(request)

    @extend_schema(
        summary="Record an assessment with every answer",
        parameters=[IDEMPOTENCY_PARAMETER],
        request=AssessmentInput,
        responses={201: AssessmentDetailOutput, 422: ErrorOutput, **WRITE_ERRORS},
    )
    @idempotent
    def post(self, request: Request) -> Response:
        serializer = AssessmentInput(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        assessment = services.assessment_record(actor=request.user, **serializer.validated_data)
        response = _detail(selectors.assessment_get(user=request.user, pk=assessment.pk))
        response.status_code = status.HTTP_201_CREATED
        return response


@extend_schema(tags=TAGS)
class AssessmentItemApi(APIView):
    @extend_schema(
        summary="Get an assessment with its answers and results",
        responses={200: AssessmentDetailOutput, **READ_ERRORS},
    )
    def get(self, request: Request, pk: int) -> Response:
        return _detail(selectors.assessment_get(user=request.user, pk=pk))

    @extend_schema(summary="Delete an assessment", responses={204: None, **WRITE_ERRORS})
    def delete(self, request: Request, pk: int) -> Response:
        assessment = selectors.assessment_get(user=request.user, pk=pk)
        services.assessment_delete(actor=request.user, assessment=assessment)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=TAGS)
class QuestionnairesApi(APIView):
    @extend_schema(
        summary="The assessment questionnaires and which assessments each relationship type calls for",
        responses={200: QuestionnairesOutput, **READ_ERRORS},
    )
    def get(self, request: Request) -> Response:
        data = {
            "questionnaires": list(QUESTIONNAIRES.values()),
            "rating_labels": {str(value): label for value, label in RATING_LABELS.items()},
            "relevance": {
                RelationshipType(kind).value: {k: Relevance(v).value for k, v in row.items()}
                for kind, row in ASSESSMENT_RELEVANCE.items()
            },
        }
        return Response(QuestionnairesOutput(data).data)


@extend_schema(tags=TAGS)
class AssessmentPlanApi(APIView):
    @extend_schema(
        summary="The assessments an account's relationship type calls for, and what is missing",
        responses={200: PlanOutput, **READ_ERRORS},
    )
    def get(self, request: Request, pk: int) -> Response:
        organization = organization_get(user=request.user, pk=pk)
        plan = selectors.assessment_plan(user=request.user, organization=organization)
        return Response(PlanOutput(plan).data)


urlpatterns = [
    path("assessments/", AssessmentCollectionApi.as_view(), name="api_assessments"),
    path("assessments/<int:pk>/", AssessmentItemApi.as_view(), name="api_assessment"),
    path("assessment-questionnaires/", QuestionnairesApi.as_view(), name="api_assessment_questionnaires"),
    path("organizations/<int:pk>/assessment-plan/", AssessmentPlanApi.as_view(), name="api_assessment_plan"),
]
