"""REST API of market segments, their members and the personas linked to them (/api/v1/).

Same conventions as the spine's API (journeys/api.py). Segments are the provider's market view: every
role reads them, with the members it may see; relationship managers, administrators and integrators
shape them. A member is named by its organization's id, so removing one is a DELETE on
`…/members/<organization id>/`.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.urls import path
from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from exploration import selectors, services
from exploration.api.personas import WRITE_ERRORS_WITH_REPLAY, validated
from exploration.models import MarketSegment, SegmentationApproach, SegmentationBasis, SegmentMembership
from exploration.services.segments import MARKET_SEGMENT_FIELDS
from journeys.api import IDEMPOTENCY_PARAMETER, READ_ERRORS, WRITE_ERRORS, ListApi, UpdatedSinceFilterSet
from journeys.idempotency import idempotent
from journeys.models import Organization, Persona
from journeys.selectors import organization_get, organization_scope, persona_scope
from journeys.serializers import InputSerializer, ScopedIdField

# --- segments -------------------------------------------------------------------------------------


class MarketSegmentInput(InputSerializer):
    name = serializers.CharField(max_length=120)
    description = serializers.CharField(required=False, allow_blank=True)
    approach = serializers.ChoiceField(choices=SegmentationApproach.choices, required=False)
    basis = serializers.ChoiceField(
        choices=SegmentationBasis.choices,
        required=False,
        allow_blank=True,
        help_text="Required when the approach is characteristic-based.",
    )
    criteria = serializers.CharField(required=False, allow_blank=True)
    is_homogeneous = serializers.BooleanField(required=False)
    homogeneity_notes = serializers.CharField(required=False, allow_blank=True)
    is_distinct = serializers.BooleanField(required=False)
    distinction_notes = serializers.CharField(required=False, allow_blank=True)
    reacts_alike = serializers.BooleanField(required=False)
    reaction_notes = serializers.CharField(required=False, allow_blank=True)
    personas = ScopedIdField(
        model=Persona,
        scope=persona_scope,
        many=True,
        required=False,
        help_text="Ids of the personas standing for the segment: the whole set (an empty list unlinks all).",
    )


@extend_schema_serializer(component_name="MarketSegment")
class MarketSegmentOutput(serializers.ModelSerializer):
    member_count = serializers.IntegerField(
        read_only=True, help_text="Members among the organizations you may see."
    )
    personas = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = MarketSegment
        fields = ["id", *MARKET_SEGMENT_FIELDS, "member_count", "personas", "created_at", "updated_at"]
        read_only_fields = fields


def _segment_response(request: Request, segment: MarketSegment, *, created: bool = False) -> Response:
    # Read back through the selector: the member count and the persona links are the user's view.
    segment = selectors.market_segment_list_with_personas(user=request.user).get(pk=segment.pk)
    return Response(
        MarketSegmentOutput(segment).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
    )


@extend_schema(tags=["market segments"])
class MarketSegmentCollectionApi(ListApi):
    serializer_class = MarketSegmentOutput
    filterset_class = UpdatedSinceFilterSet

    def get_queryset(self) -> QuerySet:
        return selectors.market_segment_list_with_personas(user=self.request.user)

    @extend_schema(
        summary="List market segments", responses={200: MarketSegmentOutput(many=True), **READ_ERRORS}
    )
    def get(self, request: Request) -> Response:
        return super().get(request)

    @extend_schema(
        summary="Define a market segment",
        parameters=[IDEMPOTENCY_PARAMETER],
        request=MarketSegmentInput,
        responses={201: MarketSegmentOutput, **WRITE_ERRORS_WITH_REPLAY},
    )
    @idempotent
    def post(self, request: Request) -> Response:
        segment = services.market_segment_create(actor=request.user, **validated(MarketSegmentInput, request))
        return _segment_response(request, segment, created=True)


@extend_schema(tags=["market segments"])
class MarketSegmentItemApi(APIView):
    @extend_schema(summary="Get a market segment", responses={200: MarketSegmentOutput, **READ_ERRORS})
    def get(self, request: Request, pk: int) -> Response:
        return _segment_response(request, selectors.market_segment_get(user=request.user, pk=pk))

    @extend_schema(
        summary="Update a market segment (and set its personas)",
        request=MarketSegmentInput,
        responses={200: MarketSegmentOutput, **WRITE_ERRORS},
    )
    def patch(self, request: Request, pk: int) -> Response:
        segment = selectors.market_segment_get(user=request.user, pk=pk)
        data = validated(MarketSegmentInput, request, partial=True)
        segment = services.market_segment_update(actor=request.user, segment=segment, **data)
        return _segment_response(request, segment)

    @extend_schema(
        summary="Delete a market segment (its organizations stay)", responses={204: None, **WRITE_ERRORS}
    )
    def delete(self, request: Request, pk: int) -> Response:
        segment = selectors.market_segment_get(user=request.user, pk=pk)
        services.market_segment_delete(actor=request.user, segment=segment)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- members --------------------------------------------------------------------------------------


class SegmentMemberInput(InputSerializer):
    organization = ScopedIdField(
        model=Organization, scope=organization_scope, help_text="Id of a consumer organization you may see."
    )


@extend_schema_serializer(component_name="SegmentMember")
class SegmentMemberOutput(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    organization_external_id = serializers.CharField(source="organization.external_id", read_only=True)

    class Meta:
        model = SegmentMembership
        fields = [
            "segment",
            "organization",
            "organization_name",
            "organization_external_id",
            "added_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


@extend_schema(tags=["market segments"])
class SegmentMemberCollectionApi(ListApi):
    serializer_class = SegmentMemberOutput
    filterset_class = UpdatedSinceFilterSet

    def get_queryset(self) -> QuerySet:
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no segment
            return SegmentMembership.objects.none()
        segment = selectors.market_segment_get(user=self.request.user, pk=self.kwargs["pk"])
        return selectors.market_segment_members(user=self.request.user, segment=segment)

    @extend_schema(
        summary="List a segment's members you may see",
        responses={200: SegmentMemberOutput(many=True), **READ_ERRORS},
    )
    def get(self, request: Request, pk: int) -> Response:
        return self.list(request)

    @extend_schema(
        summary="Add a consumer organization to the segment (adding a member again is harmless)",
        parameters=[IDEMPOTENCY_PARAMETER],
        request=SegmentMemberInput,
        responses={201: SegmentMemberOutput, **WRITE_ERRORS_WITH_REPLAY},
    )
    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        segment = selectors.market_segment_get(user=request.user, pk=pk)
        data = validated(SegmentMemberInput, request)
        membership = services.market_segment_add_member(
            actor=request.user, segment=segment, organization=data["organization"]
        )
        return Response(SegmentMemberOutput(membership).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["market segments"])
class SegmentMemberItemApi(APIView):
    @extend_schema(
        summary="Take an organization out of the segment (204 also when it was not a member)",
        responses={204: None, **WRITE_ERRORS},
    )
    def delete(self, request: Request, pk: int, organization_pk: int) -> Response:
        segment = selectors.market_segment_get(user=request.user, pk=pk)
        organization = organization_get(user=request.user, pk=organization_pk)
        services.market_segment_remove_member(actor=request.user, segment=segment, organization=organization)
        return Response(status=status.HTTP_204_NO_CONTENT)


urlpatterns = [
    path("market-segments/", MarketSegmentCollectionApi.as_view(), name="api_market_segments"),
    path("market-segments/<int:pk>/", MarketSegmentItemApi.as_view(), name="api_market_segment"),
    path(
        "market-segments/<int:pk>/members/",
        SegmentMemberCollectionApi.as_view(),
        name="api_market_segment_members",
    ),
    path(
        "market-segments/<int:pk>/members/<int:organization_pk>/",
        SegmentMemberItemApi.as_view(),
        name="api_market_segment_member",
    ),
]
