"""REST API of the offerings' patterns of business activity (/api/v1/offerings/<id>/demand-profiles/):
read an offering's profiles with their volumes and peak windows, enter (replace) the volumes of the
entered profile, describe or remove a profile, and ask for the computed one to be counted again.

The conventions of journeys/api.py: one class per URL, input and output serializers apart, reads through
the selectors, writes through the services, errors in the one envelope. Volumes are lists in bucket
order: 24 hours (0–23), 7 days (Monday first), 12 months (January first).
"""

from __future__ import annotations

from django.http import Http404
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from journeys.api import IDEMPOTENCY_PARAMETER, READ_ERRORS, WRITE_ERRORS
from journeys.api_base import NamedChoiceField
from journeys.api_base import validated as _validated
from journeys.base import ApplicationError
from journeys.idempotency import idempotent
from journeys.serializers import ErrorOutput, InputSerializer
from offerings.models import DemandProfileSource, DemandTrend, ServiceOffering
from offerings.selectors import catalogue as catalogue_selectors
from offerings.selectors import demand as selectors
from offerings.services import demand as services

TAGS = ["demand profiles"]
REPLAY_ERRORS = {422: ErrorOutput}
NO_CONTENT = {204: None}


# --- serializers ----------------------------------------------------------------------------------


class DescriptionInput(InputSerializer):
    activity = serializers.CharField(max_length=240, required=False, allow_blank=True)
    trend = serializers.ChoiceField(
        choices=[("", "Not assessed"), *DemandTrend.choices], required=False, allow_blank=True
    )
    notes = serializers.CharField(required=False, allow_blank=True)


class EntryInput(DescriptionInput):
    # Whole numbers are checked by the service, which names the bucket of a bad one (`hour_of_day[10]`).
    hour_of_day = serializers.ListField(child=serializers.JSONField(), help_text="24 volumes, hours 0 to 23.")
    day_of_week = serializers.ListField(child=serializers.JSONField(), help_text="7 volumes, Monday first.")
    month = serializers.ListField(child=serializers.JSONField(), help_text="12 volumes, January first.")


class RecomputeInput(InputSerializer):
    covers_from = serializers.DateField(
        required=False, help_text="The first day counted; a year before the last."
    )
    covers_to = serializers.DateField(required=False, help_text="The last day counted; today when left out.")


class PeakWindowOutput(serializers.Serializer):
    label = serializers.CharField(help_text="e.g. 10:00–12:00, Friday, November to December.")
    buckets = serializers.ListField(child=serializers.IntegerField())
    volume = serializers.IntegerField()
    share = serializers.DecimalField(max_digits=5, decimal_places=4, help_text="Of the volume, a fraction.")
    time_share = serializers.DecimalField(
        max_digits=5, decimal_places=4, help_text="Of the time, a fraction."
    )


class PeaksOutput(serializers.Serializer):
    hour_of_day = PeakWindowOutput(many=True, source="hours.windows")
    day_of_week = PeakWindowOutput(many=True, source="days.windows")
    month = PeakWindowOutput(many=True, source="months.windows")


class TrendSuggestionOutput(serializers.Serializer):
    trend = NamedChoiceField(DemandTrend)
    change_per_month = serializers.DecimalField(
        max_digits=8,
        decimal_places=4,
        help_text="The fitted change per month, as a fraction of an average month.",
    )
    months = serializers.IntegerField()


class DemandProfileOutput(serializers.Serializer):
    id = serializers.IntegerField(source="profile.pk")
    offering = serializers.IntegerField(source="profile.offering_id")
    source = NamedChoiceField(DemandProfileSource, source="profile.source")
    activity = serializers.CharField(source="profile.activity")
    trend = serializers.CharField(source="profile.trend", help_text="repetitive, growth, decline or empty.")
    notes = serializers.CharField(source="profile.notes")
    covers_from = serializers.DateField(source="profile.covers_from", allow_null=True)
    covers_to = serializers.DateField(source="profile.covers_to", allow_null=True)
    computed_at = serializers.DateTimeField(source="profile.computed_at", allow_null=True)
    updated_at = serializers.DateTimeField(source="profile.updated_at")
    hour_of_day = serializers.ListField(child=serializers.IntegerField(), source="hours.volumes")
    day_of_week = serializers.ListField(child=serializers.IntegerField(), source="days.volumes")
    month = serializers.ListField(child=serializers.IntegerField(), source="months.volumes")
    total = serializers.IntegerField(help_text="The volume of a week (the sum of the days).")
    peaks = PeaksOutput(
        source="*", help_text="Peak windows: buckets at 1.5 × their dimension's mean or more."
    )


class RecomputeOutput(serializers.Serializer):
    offering = serializers.IntegerField()
    covers_from = serializers.DateField()
    covers_to = serializers.DateField()
    status = serializers.CharField(help_text="Always `queued`: read the computed profile once it is done.")


def _offering(request: Request, pk: int) -> ServiceOffering:
    return catalogue_selectors.offering_get(user=request.user, pk=pk)


def _source(value: str) -> str:
    if value not in DemandProfileSource.values:
        raise Http404("No such kind of demand profile.")
    return value


def _profile(offering: ServiceOffering, source: str):
    profile = selectors.demand_profiles_for_offering(offering=offering).get(_source(source))
    if profile is None:
        raise Http404("This offering has no such profile yet.")
    return profile


def _output(profile, *, status_code: int = status.HTTP_200_OK) -> Response:
    fresh = selectors.demand_profiles_for_offering(offering=profile.offering)[profile.source]
    return Response(DemandProfileOutput(selectors.demand_profile_view(fresh)).data, status=status_code)


# --- views ----------------------------------------------------------------------------------------


@extend_schema(tags=TAGS)
class DemandProfileCollectionApi(APIView):
    @extend_schema(
        summary="List an offering's demand profiles (computed and entered) with their peak windows",
        responses={200: DemandProfileOutput(many=True), **READ_ERRORS},
    )
    def get(self, request: Request, pk: int) -> Response:
        profiles = selectors.demand_profiles_for_offering(offering=_offering(request, pk))
        views = [selectors.demand_profile_view(profiles[source]) for source in sorted(profiles)]
        return Response(DemandProfileOutput(views, many=True).data)


@extend_schema(tags=TAGS)
class DemandProfileItemApi(APIView):
    @extend_schema(summary="Get one demand profile", responses={200: DemandProfileOutput, **READ_ERRORS})
    def get(self, request: Request, pk: int, source: str) -> Response:
        profile = _profile(_offering(request, pk), source)
        return Response(DemandProfileOutput(selectors.demand_profile_view(profile)).data)

    @extend_schema(
        summary="Enter (or replace) the volumes of the entered profile",
        description="Only `entered`: the computed profile is counted from touchpoints.",
        request=EntryInput,
        responses={200: DemandProfileOutput, **WRITE_ERRORS},
    )
    def put(self, request: Request, pk: int, source: str) -> Response:
        offering = _offering(request, pk)
        if _source(source) != DemandProfileSource.ENTERED:
            raise ApplicationError(
                "The computed profile is counted from touchpoints: POST …/computed/recompute/ instead.",
                code="not_entered",
                status=status.HTTP_409_CONFLICT,
            )
        data = _validated(EntryInput, request)
        profile = services.demand_profile_enter(actor=request.user, offering=offering, **data)
        return _output(profile)

    @extend_schema(
        summary="Describe a profile: its business activity, trend and notes",
        request=DescriptionInput,
        responses={200: DemandProfileOutput, **WRITE_ERRORS},
    )
    def patch(self, request: Request, pk: int, source: str) -> Response:
        profile = _profile(_offering(request, pk), source)
        data = _validated(DescriptionInput, request, partial=True)
        return _output(services.demand_profile_describe(actor=request.user, profile=profile, **data))

    @extend_schema(summary="Remove a demand profile", responses={**NO_CONTENT, **WRITE_ERRORS})
    def delete(self, request: Request, pk: int, source: str) -> Response:
        profile = _profile(_offering(request, pk), source)
        services.demand_profile_remove(actor=request.user, profile=profile)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=TAGS)
class DemandProfileRecomputeApi(APIView):
    @extend_schema(
        summary="Count the computed profile again from the touchpoints of the linked journeys",
        description="Queued for a background worker once the request commits (202); the profile shows the "
        "new counts when it is done. The period defaults to the last 365 days.",
        parameters=[IDEMPOTENCY_PARAMETER],
        request=RecomputeInput,
        responses={202: RecomputeOutput, **WRITE_ERRORS, **REPLAY_ERRORS},
    )
    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        offering = _offering(request, pk)
        data = _validated(RecomputeInput, request)
        first, last = services.demand_profile_request_recompute(actor=request.user, offering=offering, **data)
        body = {"offering": offering.pk, "covers_from": first, "covers_to": last, "status": "queued"}
        return Response(RecomputeOutput(body).data, status=status.HTTP_202_ACCEPTED)


urlpatterns = [
    path(
        "offerings/<int:pk>/demand-profiles/",
        DemandProfileCollectionApi.as_view(),
        name="api_offer_demand_profiles",
    ),
    path(
        "offerings/<int:pk>/demand-profiles/computed/recompute/",
        DemandProfileRecomputeApi.as_view(),
        name="api_offer_demand_profile_recompute",
    ),
    path(
        "offerings/<int:pk>/demand-profiles/<str:source>/",
        DemandProfileItemApi.as_view(),
        name="api_offer_demand_profile",
    ),
]
