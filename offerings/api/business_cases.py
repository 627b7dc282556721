"""REST API of business cases (/api/v1/business-cases/ and their rows): list and start cases, read one
version with its lines, risks, assumptions, versions and computed figures, change a draft, add,
change and remove its rows, make a new version, and submit, withdraw, approve or reject it.

The conventions of journeys/api.py: one class per URL, input and output serializers apart, reads through
the selectors (a case of an organization the caller may not see is a 404), writes through the services,
errors in the one envelope. Rates and probabilities are fractions here (0.08 is 8 %), as stored.
"""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from journeys.api import IDEMPOTENCY_PARAMETER, READ_ERRORS, WRITE_ERRORS, ListApi, UpdatedSinceFilterSet
from journeys.api_base import NamedChoiceField
from journeys.api_base import validated as _validated
from journeys.idempotency import idempotent
from journeys.models import Organization
from journeys.selectors import organization_scope
from journeys.serializers import ErrorOutput, InputSerializer, ScopedIdField
from offerings.models import (
    Assumption,
    BenefitLine,
    BenefitType,
    BusinessCase,
    BusinessCasePerspective,
    BusinessCaseRisk,
    BusinessCaseStatus,
    Confidence,
    CostCategory,
    CostLine,
    ExpenseType,
    Recurrence,
    ServiceOffering,
    UncertaintyArea,
)
from offerings.selectors import business_cases as selectors
from offerings.services import business_cases as services

TAGS = ["business cases"]
REPLAY_ERRORS = {422: ErrorOutput}
NO_CONTENT = {204: None}
MONEY = {"max_digits": 14, "decimal_places": 2}
# Wide enough that a rate or probability out of range reaches the service, which names the range.
FRACTION = {"max_digits": 12, "decimal_places": 4}


# --- serializers: input ---------------------------------------------------------------------------


class BusinessCaseUpdateInput(InputSerializer):
    title = serializers.CharField(max_length=200)
    perspective = NamedChoiceField(BusinessCasePerspective, required=False)
    offering = serializers.PrimaryKeyRelatedField(
        queryset=ServiceOffering.objects.all(), required=False, allow_null=True
    )
    purpose = serializers.CharField(required=False, allow_blank=True)
    strategic_fit = serializers.CharField(required=False, allow_blank=True)
    problem = serializers.CharField(required=False, allow_blank=True)
    desired_outcome = serializers.CharField(required=False, allow_blank=True)
    stakeholders_affected = serializers.CharField(required=False, allow_blank=True)
    disadvantages = serializers.CharField(required=False, allow_blank=True)
    options_considered = serializers.CharField(required=False, allow_blank=True)
    resources_needed = serializers.CharField(required=False, allow_blank=True)
    timeline = serializers.CharField(required=False, allow_blank=True)
    organizational_change = serializers.CharField(required=False, allow_blank=True)
    budget = serializers.DecimalField(required=False, allow_null=True, **MONEY)
    discount_rate = serializers.DecimalField(
        required=False, help_text="A yearly fraction strictly between −1 and 1: 0.08 is 8 %.", **FRACTION
    )
    horizon_years = serializers.IntegerField(
        required=False, help_text="The last year counted (year 0 is the start): 1 to 50."
    )
    owner = serializers.IntegerField(
        required=False, allow_null=True, help_text="User id of someone who looks after the account."
    )


class BusinessCaseCreateInput(BusinessCaseUpdateInput):
    organization = ScopedIdField(
        model=Organization, scope=organization_scope, help_text="A service consumer."
    )


class _CashLineInput(InputSerializer):
    description = serializers.CharField(max_length=240)
    recurrence = NamedChoiceField(
        Recurrence,
        required=False,
        help_text="`one_off` (in `year`) or `recurring` (each year to `last_year`).",
    )
    year = serializers.IntegerField(required=False, help_text="0 is the start of the case.")
    last_year = serializers.IntegerField(required=False, allow_null=True, help_text="Recurring lines only.")
    amount = serializers.DecimalField(
        help_text="Not negative; for a recurring line, each year's amount.", **MONEY
    )


class CostLineInput(_CashLineInput):
    category = NamedChoiceField(CostCategory)
    expense_type = NamedChoiceField(ExpenseType, required=False)


class BenefitLineInput(_CashLineInput):
    benefit_type = NamedChoiceField(BenefitType)
    indicator = serializers.CharField(
        max_length=240, help_text="The measurable indicator that will prove it."
    )


class RiskInput(InputSerializer):
    description = serializers.CharField(max_length=300)
    probability = serializers.DecimalField(help_text="A fraction from 0 to 1: 0.25 is 25 %.", **FRACTION)
    impact = serializers.DecimalField(help_text="What it would cost if it happened.", **MONEY)
    mitigation = serializers.CharField(required=False, allow_blank=True)


class AssumptionInput(InputSerializer):
    text = serializers.CharField()
    confidence = NamedChoiceField(Confidence, required=False)
    area = serializers.ChoiceField(
        choices=[("", "None"), *UncertaintyArea.choices], required=False, allow_blank=True
    )
    owner = serializers.IntegerField(
        required=False, allow_null=True, help_text="User id; who checks it holds."
    )


class DecisionInput(InputSerializer):
    decision_note = serializers.CharField(
        required=False, allow_blank=True, help_text="Whose decision and on what terms; required to reject."
    )


# --- serializers: output --------------------------------------------------------------------------


CASE_FIELDS = [
    "id",
    "organization",
    "offering",
    "perspective",
    "title",
    "lineage",
    "version",
    "previous_version",
    "status",
    "is_baseline",
    "discount_rate",
    "horizon_years",
    "budget",
    "owner",
    "submitted_at",
    "approved_at",
    "approved_by",
    "decision_note",
    "created_at",
    "updated_at",
]


class BusinessCaseOutput(serializers.ModelSerializer):
    perspective = NamedChoiceField(BusinessCasePerspective, read_only=True)
    status = NamedChoiceField(BusinessCaseStatus, read_only=True)
    total_cost_of_ownership = serializers.DecimalField(source="total_costs", read_only=True, **MONEY)
    total_benefits = serializers.DecimalField(read_only=True, **MONEY)
    risk_adjustment = serializers.DecimalField(source="risk_total", read_only=True, **MONEY)

    class Meta:
        model = BusinessCase
        fields = [*CASE_FIELDS, "total_cost_of_ownership", "total_benefits", "risk_adjustment"]
        read_only_fields = fields


class CostLineOutput(serializers.ModelSerializer):
    recurrence = NamedChoiceField(Recurrence, read_only=True)
    category = NamedChoiceField(CostCategory, read_only=True)
    expense_type = NamedChoiceField(ExpenseType, read_only=True)

    class Meta:
        model = CostLine
        fields = [
            "id",
            "business_case",
            "description",
            "category",
            "expense_type",
            "recurrence",
            "year",
            "last_year",
            "amount",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class BenefitLineOutput(serializers.ModelSerializer):
    recurrence = NamedChoiceField(Recurrence, read_only=True)
    benefit_type = NamedChoiceField(BenefitType, read_only=True)

    class Meta:
        model = BenefitLine
        fields = [
            "id",
            "business_case",
            "description",
            "benefit_type",
            "indicator",
            "recurrence",
            "year",
            "last_year",
            "amount",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class RiskOutput(serializers.ModelSerializer):
    exposure = serializers.DecimalField(read_only=True, help_text="Probability × impact.", **MONEY)

    class Meta:
        model = BusinessCaseRisk
        fields = [
            "id",
            "business_case",
            "description",
            "probability",
            "impact",
            "exposure",
            "mitigation",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class AssumptionOutput(serializers.ModelSerializer):
    confidence = NamedChoiceField(Confidence, read_only=True)

    class Meta:
        model = Assumption
        fields = ["id", "business_case", "text", "confidence", "area", "owner", "created_at", "updated_at"]
        read_only_fields = fields


class YearOutput(serializers.Serializer):
    year = serializers.IntegerField()
    costs = serializers.DecimalField(**MONEY)
    benefits = serializers.DecimalField(**MONEY)
    net = serializers.DecimalField(**MONEY)
    discounted_net = serializers.DecimalField(**MONEY)
    cumulative_net = serializers.DecimalField(**MONEY)


class FiguresOutput(serializers.Serializer):
    total_cost_of_ownership = serializers.DecimalField(**MONEY)
    total_benefits = serializers.DecimalField(**MONEY)
    net_benefit = serializers.DecimalField(**MONEY)
    return_on_investment = serializers.DecimalField(
        max_digits=14, decimal_places=4, allow_null=True, help_text="A fraction; null when nothing is spent."
    )
    net_present_value = serializers.DecimalField(**MONEY)
    payback_years = serializers.DecimalField(
        max_digits=6, decimal_places=2, allow_null=True, help_text="Null when it does not pay back in time."
    )
    risk_adjustment = serializers.DecimalField(**MONEY)
    is_positive = serializers.BooleanField(help_text="Benefits exceed costs plus the risk adjustment.")
    years = YearOutput(many=True)


class VersionOutput(serializers.ModelSerializer):
    status = NamedChoiceField(BusinessCaseStatus, read_only=True)

    class Meta:
        model = BusinessCase
        fields = ["id", "version", "status", "is_baseline", "submitted_at", "approved_at"]
        read_only_fields = fields


class BusinessCaseDetailOutput(serializers.ModelSerializer):
    perspective = NamedChoiceField(BusinessCasePerspective, read_only=True)
    status = NamedChoiceField(BusinessCaseStatus, read_only=True)
    cost_lines = CostLineOutput(many=True, source="page.cost_lines")
    benefit_lines = BenefitLineOutput(many=True, source="page.benefit_lines")
    risks = RiskOutput(many=True, source="page.risks")
    assumptions = AssumptionOutput(many=True, source="page.assumptions")
    figures = FiguresOutput(source="page.figures")
    versions = VersionOutput(many=True, source="page.versions")

    class Meta:
        model = BusinessCase
        fields = [
            *CASE_FIELDS,
            *selectors.QUESTION_FIELDS,
            "cost_lines",
            "benefit_lines",
            "risks",
            "assumptions",
            "figures",
            "versions",
        ]
        read_only_fields = fields


def _detail(request: Request, case: BusinessCase, *, status_code: int = status.HTTP_200_OK) -> Response:
    # Compared with itself means compared with nothing: the API reads no other version's lines.
    page = selectors.business_case_page(user=request.user, pk=case.pk, compare_with=case.pk)
    page.case.page = page
    return Response(BusinessCaseDetailOutput(page.case).data, status=status_code)


def _case(request: Request, pk: int) -> BusinessCase:
    return selectors.business_case_get(user=request.user, pk=pk)


# --- cases ----------------------------------------------------------------------------------------


class BusinessCaseFilter(UpdatedSinceFilterSet):
    organization = django_filters.NumberFilter(field_name="organization_id")
    offering = django_filters.NumberFilter(field_name="offering_id")
    status = django_filters.ChoiceFilter(choices=BusinessCaseStatus.choices)
    perspective = django_filters.ChoiceFilter(choices=BusinessCasePerspective.choices)
    lineage = django_filters.UUIDFilter()
    is_baseline = django_filters.BooleanFilter()


@extend_schema(tags=TAGS)
class BusinessCaseCollectionApi(ListApi):
    serializer_class = BusinessCaseOutput
    filterset_class = BusinessCaseFilter

    def get_queryset(self) -> QuerySet:
        return selectors.business_case_list(user=self.request.user, latest_only=False)

    @extend_schema(
        summary="List business case versions",
        description="Every version of every case you may see, with its TCO, total benefits and risk "
        "adjustment. Filter `is_baseline=true` for the approved baselines, `lineage` for the versions "
        "of one case.",
        responses={200: BusinessCaseOutput(many=True), **READ_ERRORS},
    )
    def get(self, request: Request) -> Response:
        return super().get(request)

    @extend_schema(
        summary="Start a business case",
        parameters=[IDEMPOTENCY_PARAMETER],
        request=BusinessCaseCreateInput,
        responses={201: BusinessCaseDetailOutput, **WRITE_ERRORS, **REPLAY_ERRORS},
    )
    @idempotent
    def post(self, request: Request) -> Response:
        case = services.business_case_create(
            actor=request.user, **_validated(BusinessCaseCreateInput, request)
        )
        return _detail(request, case, status_code=status.HTTP_201_CREATED)


@extend_schema(tags=TAGS)
class BusinessCaseItemApi(APIView):
    @extend_schema(
        summary="Get a business case version with its rows, versions and figures",
        responses={200: BusinessCaseDetailOutput, **READ_ERRORS},
    )
    def get(self, request: Request, pk: int) -> Response:
        return _detail(request, BusinessCase(pk=pk))  # the page selector checks who may see it

    @extend_schema(
        summary="Change a draft business case",
        request=BusinessCaseUpdateInput,
        responses={200: BusinessCaseDetailOutput, **WRITE_ERRORS},
    )
    def patch(self, request: Request, pk: int) -> Response:
        case = _case(request, pk)
        data = _validated(BusinessCaseUpdateInput, request, partial=True)
        return _detail(request, services.business_case_update(actor=request.user, case=case, **data))

    @extend_schema(summary="Delete a draft version", responses={**NO_CONTENT, **WRITE_ERRORS})
    def delete(self, request: Request, pk: int) -> Response:
        services.business_case_delete(actor=request.user, case=_case(request, pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


def _workflow_api(
    name: str, summary: str, description: str, act, *, request_serializer=None, created: bool = False
):
    """One APIView class for one workflow step (new version, submit, withdraw, approve, reject)."""

    @extend_schema(tags=TAGS)
    class WorkflowApi(APIView):
        @extend_schema(
            summary=summary,
            description=description,
            parameters=[IDEMPOTENCY_PARAMETER],
            request=request_serializer,
            responses={201 if created else 200: BusinessCaseDetailOutput, **WRITE_ERRORS, **REPLAY_ERRORS},
        )
        @idempotent
        def post(self, request: Request, pk: int) -> Response:
            case = _case(request, pk)
            data = _validated(request_serializer, request) if request_serializer else {}
            result = act(actor=request.user, case=case, **data)
            return _detail(
                request, result, status_code=status.HTTP_201_CREATED if created else status.HTTP_200_OK
            )

    WorkflowApi.__name__ = WorkflowApi.__qualname__ = name
    return WorkflowApi


BusinessCaseNewVersionApi = _workflow_api(
    "BusinessCaseNewVersionApi",
    "Make a new version of a business case",
    "Copies the version with its rows into the next version of its lineage, in draft. Refused (409) while "
    "the lineage has a draft or submitted version.",
    services.business_case_new_version,
    created=True,
)
BusinessCaseSubmitApi = _workflow_api(
    "BusinessCaseSubmitApi",
    "Submit a draft for a decision",
    "Needs at least one benefit line; the version no longer changes afterwards.",
    services.business_case_submit,
)
BusinessCaseWithdrawApi = _workflow_api(
    "BusinessCaseWithdrawApi",
    "Withdraw a submitted version back to draft",
    "",
    services.business_case_withdraw,
)
BusinessCaseApproveApi = _workflow_api(
    "BusinessCaseApproveApi",
    "Approve a submitted version",
    "It becomes the baseline of its lineage (the previous baseline loses the mark) and a "
    "`business_case.approved` journey event is recorded. Needs at least one benefit line.",
    services.business_case_approve,
    request_serializer=DecisionInput,
)
BusinessCaseRejectApi = _workflow_api(
    "BusinessCaseRejectApi",
    "Reject a submitted version",
    "`decision_note` says why; it is required.",
    services.business_case_reject,
    request_serializer=DecisionInput,
)


# --- rows -----------------------------------------------------------------------------------------


def _row_apis(kind: str, label: str, input_serializer, output_serializer, add, update, remove, argument: str):
    """The two classes of one kind of row: add to a case, and change or remove one."""

    @extend_schema(tags=TAGS)
    class RowCollectionApi(APIView):
        @extend_schema(
            summary=f"Add a {label} to a draft business case",
            parameters=[IDEMPOTENCY_PARAMETER],
            request=input_serializer,
            responses={201: output_serializer, **WRITE_ERRORS, **REPLAY_ERRORS},
        )
        @idempotent
        def post(self, request: Request, pk: int) -> Response:
            case = _case(request, pk)
            row = add(actor=request.user, case=case, **_validated(input_serializer, request))
            return Response(output_serializer(row).data, status=status.HTTP_201_CREATED)

    @extend_schema(tags=TAGS)
    class RowItemApi(APIView):
        @extend_schema(
            summary=f"Change a {label} of a draft business case",
            request=input_serializer,
            responses={200: output_serializer, **WRITE_ERRORS},
        )
        def patch(self, request: Request, pk: int) -> Response:
            row = selectors.business_case_line_get(user=request.user, kind=kind, pk=pk)
            data = _validated(input_serializer, request, partial=True)
            return Response(output_serializer(update(actor=request.user, **{argument: row}, **data)).data)

        @extend_schema(
            summary=f"Remove a {label} from a draft business case", responses={**NO_CONTENT, **WRITE_ERRORS}
        )
        def delete(self, request: Request, pk: int) -> Response:
            row = selectors.business_case_line_get(user=request.user, kind=kind, pk=pk)
            remove(actor=request.user, **{argument: row})
            return Response(status=status.HTTP_204_NO_CONTENT)

    RowCollectionApi.__name__ = RowCollectionApi.__qualname__ = f"{kind.title()}CollectionApi"
    RowItemApi.__name__ = RowItemApi.__qualname__ = f"{kind.title()}ItemApi"
    return RowCollectionApi, RowItemApi


CostLineCollectionApi, CostLineItemApi = _row_apis(
    "costs",
    "cost line",
    CostLineInput,
    CostLineOutput,
    services.cost_line_add,
    services.cost_line_update,
    services.cost_line_remove,
    "line",
)
BenefitLineCollectionApi, BenefitLineItemApi = _row_apis(
    "benefits",
    "benefit line",
    BenefitLineInput,
    BenefitLineOutput,
    services.benefit_line_add,
    services.benefit_line_update,
    services.benefit_line_remove,
    "line",
)
RiskCollectionApi, RiskItemApi = _row_apis(
    "risks",
    "risk",
    RiskInput,
    RiskOutput,
    services.business_case_risk_add,
    services.business_case_risk_update,
    services.business_case_risk_remove,
    "risk",
)
AssumptionCollectionApi, AssumptionItemApi = _row_apis(
    "assumptions",
    "assumption",
    AssumptionInput,
    AssumptionOutput,
    services.assumption_add,
    services.assumption_update,
    services.assumption_remove,
    "assumption",
)


urlpatterns = [
    path("business-cases/", BusinessCaseCollectionApi.as_view(), name="api_offer_business_cases"),
    path("business-cases/<int:pk>/", BusinessCaseItemApi.as_view(), name="api_offer_business_case"),
    path(
        "business-cases/<int:pk>/new-version/",
        BusinessCaseNewVersionApi.as_view(),
        name="api_offer_business_case_new_version",
    ),
    path(
        "business-cases/<int:pk>/submit/",
        BusinessCaseSubmitApi.as_view(),
        name="api_offer_business_case_submit",
    ),
    path(
        "business-cases/<int:pk>/withdraw/",
        BusinessCaseWithdrawApi.as_view(),
        name="api_offer_business_case_withdraw",
    ),
    path(
        "business-cases/<int:pk>/approve/",
        BusinessCaseApproveApi.as_view(),
        name="api_offer_business_case_approve",
    ),
    path(
        "business-cases/<int:pk>/reject/",
        BusinessCaseRejectApi.as_view(),
        name="api_offer_business_case_reject",
    ),
    path(
        "business-cases/<int:pk>/cost-lines/",
        CostLineCollectionApi.as_view(),
        name="api_offer_business_case_cost_lines",
    ),
    path(
        "business-case-cost-lines/<int:pk>/",
        CostLineItemApi.as_view(),
        name="api_offer_business_case_cost_line",
    ),
    path(
        "business-cases/<int:pk>/benefit-lines/",
        BenefitLineCollectionApi.as_view(),
        name="api_offer_business_case_benefit_lines",
    ),
    path(
        "business-case-benefit-lines/<int:pk>/",
        BenefitLineItemApi.as_view(),
        name="api_offer_business_case_benefit_line",
    ),
    path("business-cases/<int:pk>/risks/", RiskCollectionApi.as_view(), name="api_offer_business_case_risks"),
    path("business-case-risks/<int:pk>/", RiskItemApi.as_view(), name="api_offer_business_case_risk"),
    path(
        "business-cases/<int:pk>/assumptions/",
        AssumptionCollectionApi.as_view(),
        name="api_offer_business_case_assumptions",
    ),
    path(
        "business-case-assumptions/<int:pk>/",
        AssumptionItemApi.as_view(),
        name="api_offer_business_case_assumption",
    ),
]
