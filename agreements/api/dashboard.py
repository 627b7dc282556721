"""REST API of the SLA dashboard (/api/v1/agree/sla/): the dashboard's figures over the accounts the
caller may see, or one of them, with the same filters as the page (offering, target kind, months of
trend). The at-risk and breached targets themselves come with the target scores; here only their
number.

The conventions of journeys/api.py: reads through the selectors (an account the caller may not see is
a 404), a filter that is not understood a 400 naming it, errors in the one envelope.
"""

from __future__ import annotations

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from agreements import selectors
from agreements.models import TargetKind
from agreements.selectors.dashboard import DASHBOARD_MAX_MONTHS
from journeys.api import READ_ERRORS
from journeys.api_base import NamedChoiceField
from journeys.selectors import organization_get
from journeys.serializers import ErrorOutput
from offerings.models import ServiceOffering

__all__ = ["SlaDashboardApi"]


class SlaFilterInput(serializers.Serializer):
    organization = serializers.IntegerField(required=False, min_value=1)
    offering = serializers.PrimaryKeyRelatedField(
        queryset=ServiceOffering.objects.only("pk", "name"),
        required=False,
        error_messages={"does_not_exist": "No service offering with the id {pk_value}."},
    )
    kind = NamedChoiceField(TargetKind, required=False)
    months = serializers.IntegerField(required=False, min_value=1, max_value=DASHBOARD_MAX_MONTHS)


class FiguresOutput(serializers.Serializer):
    measured = serializers.IntegerField(help_text="Target scores with a result (met, at risk or breached).")
    met = serializers.IntegerField()
    at_risk = serializers.IntegerField()
    breached = serializers.IntegerField()
    compliance_pct = serializers.DecimalField(
        max_digits=5,
        decimal_places=1,
        allow_null=True,
        help_text="Met or at risk ÷ measured, in %; null when nothing was measured.",
    )


class MonthFiguresOutput(FiguresOutput):
    month = serializers.DateField(help_text="The month's first day.")


class KindFiguresOutput(FiguresOutput):
    kind = NamedChoiceField(TargetKind)


class AccountFiguresOutput(FiguresOutput):
    organization = serializers.IntegerField()
    name = serializers.CharField()


class SlaDashboardOutput(serializers.Serializer):
    organization = serializers.IntegerField(allow_null=True, help_text="The one account shown, if any.")
    offering = serializers.IntegerField(allow_null=True)
    kind = serializers.CharField(allow_blank=True, help_text="The one target kind counted, if any.")
    months = serializers.IntegerField()
    today = serializers.DateField()
    current = MonthFiguresOutput(help_text="This month so far.")
    previous = MonthFiguresOutput(help_text="Last month.")
    change = serializers.DecimalField(
        max_digits=5,
        decimal_places=1,
        allow_null=True,
        help_text="This month's compliance minus last month's, in percentage points.",
    )
    trend = MonthFiguresOutput(many=True, help_text="The last `months` months, oldest first, this one last.")
    by_kind = KindFiguresOutput(many=True, help_text="This month per target kind.")
    at_risk = serializers.IntegerField(
        help_text="Targets at risk in the periods holding today or ended last month."
    )
    breached = serializers.IntegerField(
        help_text="Targets breached in the periods holding today or ended last month."
    )
    active_agreements = serializers.IntegerField()
    lowest_accounts = AccountFiguresOutput(
        many=True, help_text="The accounts with the lowest compliance this month."
    )


def _month(month, figures) -> dict:
    return {"month": month, **figures.as_dict()}


def dashboard_data(dashboard) -> dict:
    return {
        "organization": dashboard.organization.pk if dashboard.organization else None,
        "offering": dashboard.offering.pk if dashboard.offering else None,
        "kind": dashboard.kind,
        "months": dashboard.months,
        "today": dashboard.today,
        "current": _month(dashboard.current_month, dashboard.current),
        "previous": _month(dashboard.previous_month, dashboard.previous),
        "change": dashboard.change,
        "trend": [_month(entry.month, entry.figures) for entry in dashboard.trend],
        "by_kind": [{"kind": entry.kind.value, **entry.figures.as_dict()} for entry in dashboard.by_kind],
        "at_risk": dashboard.at_risk_total,
        "breached": dashboard.breached_total,
        "active_agreements": dashboard.active_agreements,
        "lowest_accounts": [
            {"organization": entry.organization_id, "name": entry.name, **entry.figures.as_dict()}
            for entry in dashboard.lowest_accounts
        ],
    }


class SlaDashboardApi(APIView):
    @extend_schema(
        tags=["sla dashboard"],
        summary="Service level compliance: headline, trend and breakdown",
        description="Compliance is the share of measured target scores met or at risk; a month counts the "
        "scores whose period ends in it (a quarterly target in its quarter's last month). Over the accounts "
        "you may see, or one (`organization`), narrowed to the agreements covering an `offering` and to one "
        "target `kind`. The figures are the compliance engine's last results.",
        parameters=[
            OpenApiParameter("organization", OpenApiTypes.INT, description="One account only."),
            OpenApiParameter("offering", OpenApiTypes.INT, description="Agreements covering this offering."),
            OpenApiParameter(
                "kind", OpenApiTypes.STR, enum=TargetKind.values, description="Targets of this kind only."
            ),
            OpenApiParameter(
                "months",
                OpenApiTypes.INT,
                description=f"Months of trend, this one included (1 to {DASHBOARD_MAX_MONTHS}, default 12).",
            ),
        ],
        responses={200: SlaDashboardOutput, **READ_ERRORS, 400: ErrorOutput},
    )
    def get(self, request: Request) -> Response:
        filters = SlaFilterInput(data=request.query_params)
        filters.is_valid(raise_exception=True)
        data = filters.validated_data
        organization = None
        if data.get("organization"):
            organization = organization_get(user=request.user, pk=data["organization"], brief=True)
        dashboard = selectors.sla_dashboard(
            user=request.user,
            organization=organization,
            offering=data.get("offering"),
            kind=data.get("kind", ""),
            months=data.get("months", 12),
            list_limit=0,
        )
        return Response(SlaDashboardOutput(dashboard_data(dashboard)).data)


urlpatterns = [
    path("agree/sla/", SlaDashboardApi.as_view(), name="api_agree_sla_dashboard"),
]
