"""The stakeholder grid over the API: an account's influence × interest grid, now or as of a past day,
with who moved since a comparison day and the coverage warnings. Moving people is a stakeholder
update (`PATCH /api/v1/stakeholders/<pk>/` with influence and interest), so it has no route here."""

from __future__ import annotations

from django.conf import settings
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from journeys.api import READ_ERRORS, _errors
from journeys.base import ApplicationError
from journeys.models import GridQuadrant
from journeys.selectors import organization_get
from relationships import selectors
from relationships.forms.grid import GridDatesForm


class GridPersonOutput(serializers.Serializer):
    id = serializers.IntegerField(source="stakeholder.pk")
    name = serializers.CharField(source="stakeholder.name")
    influence = serializers.IntegerField(source="stakeholder.influence")
    interest = serializers.IntegerField(source="stakeholder.interest")
    roles = serializers.ListField(child=serializers.CharField(), source="stakeholder.roles")
    moved = serializers.BooleanField()
    is_new = serializers.BooleanField(help_text="Not on the grid on the comparison day.")
    was = serializers.ListField(
        child=serializers.IntegerField(),
        allow_null=True,
        help_text="[influence, interest] on the comparison day, when one was given and the person was there.",
    )


class GridQuadrantOutput(serializers.Serializer):
    quadrant = serializers.CharField(source="quadrant.value")
    label = serializers.CharField(source="quadrant.label")
    people = GridPersonOutput(many=True)


class GridWarningsOutput(serializers.Serializer):
    silence_days = serializers.IntegerField()
    silent_key_players = serializers.ListField(child=serializers.IntegerField(), help_text="Stakeholder ids.")
    missing_roles = serializers.ListField(child=serializers.CharField())


class StakeholderGridOutput(serializers.Serializer):
    organization = serializers.IntegerField()
    as_of = serializers.DateTimeField(allow_null=True)
    compared_with = serializers.DateTimeField(allow_null=True)
    quadrants = GridQuadrantOutput(
        many=True, help_text="In the order manage closely, keep satisfied, keep informed, monitor."
    )
    warnings = GridWarningsOutput()


DAY_PARAMETERS = [
    OpenApiParameter("as_of", OpenApiTypes.DATE, description="The grid as it stood at the end of this day."),
    OpenApiParameter("compare", OpenApiTypes.DATE, description="Mark who moved since the end of this day."),
]


@extend_schema(tags=["stakeholders"])
class StakeholderGridApi(APIView):
    @extend_schema(
        summary="An account's stakeholder grid",
        parameters=DAY_PARAMETERS,
        responses={200: StakeholderGridOutput, **READ_ERRORS, **_errors(400)},
    )
    def get(self, request: Request, pk: int) -> Response:
        organization = organization_get(user=request.user, pk=pk)
        dates = GridDatesForm(request.query_params or None)
        if dates.is_bound and not dates.is_valid():
            fields = {name: [str(message) for message in messages] for name, messages in dates.errors.items()}
            raise ApplicationError(next(iter(fields.values()))[0], fields=fields)
        as_of, compare_with = dates.moments()
        grid = selectors.stakeholder_grid(
            user=request.user, organization=organization, as_of=as_of, compare_with=compare_with
        )
        warnings = selectors.grid_warnings(
            user=request.user, organization=organization, silence_days=settings.DSV_KEY_PLAYER_SILENCE_DAYS
        )
        data = {
            "organization": organization.pk,
            "as_of": grid.as_of,
            "compared_with": grid.compared_with,
            "quadrants": [grid.cells[quadrant] for quadrant in GridQuadrant],
            "warnings": {
                "silence_days": warnings.silence_days,
                "silent_key_players": [person.pk for person in warnings.silent_key_players],
                "missing_roles": [role.value for role in warnings.missing_roles],
            },
        }
        return Response(StakeholderGridOutput(data).data)


urlpatterns = [
    path(
        "organizations/<int:pk>/stakeholder-grid/",
        StakeholderGridApi.as_view(),
        name="api_stakeholder_grid",
    ),
]
