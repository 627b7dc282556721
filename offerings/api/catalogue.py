"""REST API of the service catalogue (/api/v1/offer/): services, offerings with their components, user
engagement tiers and value propositions, publishing and retiring, and the journeys each offering
concerns.

Same conventions as the spine's API (journeys/api.py): one class per URL, separate input and output
serializers, reads through the selectors and writes through the services, the one error envelope.
Every role reads the catalogue; relationship managers, administrators and integrators shape it. An
offering's parts are read with the offering (`GET …/offerings/<id>/`) and written one by one.
"""

from __future__ import annotations

import django_filters
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.urls import path
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from exploration.api.personas import WRITE_ERRORS_WITH_REPLAY, validated
from exploration.models import MarketSegment
from exploration.selectors import market_segment_scope
from journeys.api import IDEMPOTENCY_PARAMETER, READ_ERRORS, WRITE_ERRORS, ListApi, UpdatedSinceFilterSet
from journeys.api_base import NamedChoiceField
from journeys.idempotency import idempotent
from journeys.models import ConsumerRole, Journey, JourneyStep, Persona
from journeys.selectors import journey_get, journey_scope, persona_scope
from journeys.serializers import InputSerializer, ScopedIdField
from offerings import selectors, services
from offerings.models import (
    EngagementTier,
    OfferingComponent,
    OfferingComponentKind,
    OfferingJourney,
    OfferingStatus,
    Service,
    ServiceOffering,
    ValueProposition,
)

TAGS = ["service catalogue"]

# --- services -------------------------------------------------------------------------------------


class ServiceInput(InputSerializer):
    name = serializers.CharField(max_length=160)
    description = serializers.CharField(required=False, allow_blank=True)
    scope = serializers.CharField(required=False, allow_blank=True)
    owner = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.filter(is_active=True),
        required=False,
        allow_null=True,
        help_text="User id of who answers for the service (you, when left out on creation).",
    )


@extend_schema_serializer(component_name="Service")
class ServiceOutput(serializers.ModelSerializer):
    offering_count = serializers.IntegerField(read_only=True)
    published_count = serializers.IntegerField(read_only=True)
    draft_count = serializers.IntegerField(read_only=True)
    retired_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Service
        fields = [
            "id",
            *services.SERVICE_FIELDS,
            "offering_count",
            "published_count",
            "draft_count",
            "retired_count",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


def _service_response(request: Request, service: Service, *, created: bool = False) -> Response:
    # Read back through the selector: the offering counts come with it.
    service = selectors.service_get(user=request.user, pk=service.pk)
    return Response(
        ServiceOutput(service).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
    )


@extend_schema(tags=TAGS)
class ServiceCollectionApi(ListApi):
    serializer_class = ServiceOutput
    filterset_class = UpdatedSinceFilterSet

    def get_queryset(self) -> QuerySet:
        return selectors.service_list(user=self.request.user)

    @extend_schema(summary="List services", responses={200: ServiceOutput(many=True), **READ_ERRORS})
    def get(self, request: Request) -> Response:
        return super().get(request)

    @extend_schema(
        summary="Add a service to the catalogue",
        parameters=[IDEMPOTENCY_PARAMETER],
        request=ServiceInput,
        responses={201: ServiceOutput, **WRITE_ERRORS_WITH_REPLAY},
    )
    @idempotent
    def post(self, request: Request) -> Response:
        service = services.service_create(actor=request.user, **validated(ServiceInput, request))
        return _service_response(request, service, created=True)


@extend_schema(tags=TAGS)
class ServiceItemApi(APIView):
    @extend_schema(summary="Get a service", responses={200: ServiceOutput, **READ_ERRORS})
    def get(self, request: Request, pk: int) -> Response:
        return _service_response(request, selectors.service_get(user=request.user, pk=pk))

    @extend_schema(
        summary="Update a service", request=ServiceInput, responses={200: ServiceOutput, **WRITE_ERRORS}
    )
    def patch(self, request: Request, pk: int) -> Response:
        service = selectors.service_get(user=request.user, pk=pk)
        data = validated(ServiceInput, request, partial=True)
        return _service_response(
            request, services.service_update(actor=request.user, service=service, **data)
        )

    @extend_schema(
        summary="Delete a service that has no offering (409 otherwise)", responses={204: None, **WRITE_ERRORS}
    )
    def delete(self, request: Request, pk: int) -> Response:
        service = selectors.service_get(user=request.user, pk=pk)
        services.service_delete(actor=request.user, service=service)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- offerings ------------------------------------------------------------------------------------


class OfferingFilter(UpdatedSinceFilterSet):
    """The filters are applied by the selector (`offering_list`); this set declares them for the schema
    and validates them."""

    status = django_filters.ChoiceFilter(choices=OfferingStatus.choices, method="keep")
    service = django_filters.NumberFilter(method="keep", help_text="Id of a service.")
    segment = django_filters.NumberFilter(method="keep", help_text="Id of a target market segment.")
    persona = django_filters.NumberFilter(method="keep", help_text="Id of a target persona.")
    q = django_filters.CharFilter(
        method="keep", help_text="Part of the name, the summary, the service's name or a component's name."
    )

    def keep(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset


class OfferingInput(InputSerializer):
    service = ScopedIdField(model=Service, scope=selectors.service_scope)
    name = serializers.CharField(max_length=160)
    summary = serializers.CharField(required=False, allow_blank=True)
    target_segments = ScopedIdField(
        model=MarketSegment,
        scope=market_segment_scope,
        many=True,
        required=False,
        help_text="Ids of the target market segments: the whole set (an empty list drops them all).",
    )
    target_personas = ScopedIdField(
        model=Persona,
        scope=persona_scope,
        many=True,
        required=False,
        help_text="Ids of the target personas: the whole set (an empty list drops them all).",
    )


@extend_schema_serializer(component_name="ServiceOffering")
class OfferingOutput(serializers.ModelSerializer):
    service_name = serializers.CharField(source="service.name", read_only=True)
    status = NamedChoiceField(OfferingStatus, read_only=True)
    target_segments = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    target_personas = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = ServiceOffering
        fields = [
            "id",
            "service",
            "service_name",
            "name",
            "summary",
            "status",
            "published_at",
            "retired_at",
            "target_segments",
            "target_personas",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


@extend_schema_serializer(component_name="OfferingComponent")
class ComponentOutput(serializers.ModelSerializer):
    kind = NamedChoiceField(OfferingComponentKind, read_only=True)

    class Meta:
        model = OfferingComponent
        fields = ["id", "offering", "kind", "name", "description", "position", "created_at", "updated_at"]
        read_only_fields = fields


@extend_schema_serializer(component_name="EngagementTier")
class TierOutput(serializers.ModelSerializer):
    class Meta:
        model = EngagementTier
        fields = ["id", "offering", "name", "description", "position", "created_at", "updated_at"]
        read_only_fields = fields


@extend_schema_serializer(component_name="ValueProposition")
class PropositionOutput(serializers.ModelSerializer):
    target_decision_maker_role = NamedChoiceField(ConsumerRole, read_only=True)

    class Meta:
        model = ValueProposition
        fields = [
            "id",
            "offering",
            *services.VALUE_PROPOSITION_FIELDS,
            "position",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class PublicationGapOutput(serializers.Serializer):
    field = serializers.CharField(
        help_text="Where the gap is: summary, components, target_segments or value_propositions."
    )
    missing = serializers.CharField()


@extend_schema_serializer(component_name="ServiceOfferingDetail")
class OfferingDetailOutput(OfferingOutput):
    components = serializers.SerializerMethodField()
    engagement_tiers = serializers.SerializerMethodField()
    value_propositions = serializers.SerializerMethodField()
    missing_for_publication = serializers.SerializerMethodField(
        help_text="What publishing still needs; empty when the offering could be published."
    )

    class Meta(OfferingOutput.Meta):
        fields = [
            *OfferingOutput.Meta.fields,
            "components",
            "engagement_tiers",
            "value_propositions",
            "missing_for_publication",
        ]
        read_only_fields = fields

    def _page(self, offering) -> selectors.OfferingPage:
        return self.context["page"]

    @extend_schema_field(ComponentOutput(many=True))
    def get_components(self, offering) -> list[dict]:
        return ComponentOutput(
            [component for group in self._page(offering).component_groups for component in group.components],
            many=True,
        ).data

    @extend_schema_field(TierOutput(many=True))
    def get_engagement_tiers(self, offering) -> list[dict]:
        return TierOutput(self._page(offering).tiers, many=True).data

    @extend_schema_field(PropositionOutput(many=True))
    def get_value_propositions(self, offering) -> list[dict]:
        return PropositionOutput(self._page(offering).propositions, many=True).data

    @extend_schema_field(PublicationGapOutput(many=True))
    def get_missing_for_publication(self, offering) -> list[dict]:
        return [{"field": field, "missing": missing} for field, missing in self._page(offering).gaps]


def _offering_detail(request: Request, offering: ServiceOffering, *, created: bool = False) -> Response:
    offering = selectors.offering_get(user=request.user, pk=offering.pk)
    page = selectors.offering_page(user=request.user, offering=offering)
    return Response(
        OfferingDetailOutput(offering, context={"page": page}).data,
        status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
    )


def _filter_value(request: Request, name: str):
    value = request.query_params.get(name, "")
    return int(value) if value.isdigit() else None


@extend_schema(tags=TAGS)
class OfferingCollectionApi(ListApi):
    serializer_class = OfferingOutput
    filterset_class = OfferingFilter

    def get_queryset(self) -> QuerySet:
        user = self.request.user
        params = self.request.query_params
        segment_pk, persona_pk, service_pk = (
            _filter_value(self.request, name) for name in ("segment", "persona", "service")
        )
        return selectors.offering_list(
            user=user,
            status=params.get("status") if params.get("status") in OfferingStatus.values else None,
            # An id that names nothing the user may see filters down to nothing, as it would by id.
            segment=MarketSegment(pk=segment_pk) if segment_pk is not None else None,
            persona=Persona(pk=persona_pk) if persona_pk is not None else None,
            service=Service(pk=service_pk) if service_pk is not None else None,
            query=params.get("q", ""),
        )

    @extend_schema(
        summary="List offerings (every status unless filtered)",
        responses={200: OfferingOutput(many=True), **READ_ERRORS},
    )
    def get(self, request: Request) -> Response:
        return super().get(request)

    @extend_schema(
        summary="Start a draft offering",
        parameters=[IDEMPOTENCY_PARAMETER],
        request=OfferingInput,
        responses={201: OfferingDetailOutput, **WRITE_ERRORS_WITH_REPLAY},
    )
    @idempotent
    def post(self, request: Request) -> Response:
        offering = services.offering_create(actor=request.user, **validated(OfferingInput, request))
        return _offering_detail(request, offering, created=True)


@extend_schema(tags=TAGS)
class OfferingItemApi(APIView):
    @extend_schema(
        summary="Get an offering with its components, tiers, value propositions and what publishing needs",
        responses={200: OfferingDetailOutput, **READ_ERRORS},
    )
    def get(self, request: Request, pk: int) -> Response:
        return _offering_detail(request, selectors.offering_get(user=request.user, pk=pk))

    @extend_schema(
        summary="Update an offering (and set its targets)",
        request=OfferingInput,
        responses={200: OfferingDetailOutput, **WRITE_ERRORS},
    )
    def patch(self, request: Request, pk: int) -> Response:
        offering = selectors.offering_get(user=request.user, pk=pk)
        data = validated(OfferingInput, request, partial=True)
        return _offering_detail(
            request, services.offering_update(actor=request.user, offering=offering, **data)
        )

    @extend_schema(
        summary="Delete a draft that was never published (409 otherwise: retire it)",
        responses={204: None, **WRITE_ERRORS},
    )
    def delete(self, request: Request, pk: int) -> Response:
        offering = selectors.offering_get(user=request.user, pk=pk)
        services.offering_delete(actor=request.user, offering=offering)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=TAGS)
class OfferingPublishApi(APIView):
    @extend_schema(
        summary="Publish an offering (409 `not_ready`, naming what is missing, until it can be)",
        request=None,
        responses={200: OfferingDetailOutput, **WRITE_ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        offering = selectors.offering_get(user=request.user, pk=pk)
        return _offering_detail(request, services.offering_publish(actor=request.user, offering=offering))


@extend_schema(tags=TAGS)
class OfferingRetireApi(APIView):
    @extend_schema(
        summary="Retire a published offering",
        request=None,
        responses={200: OfferingDetailOutput, **WRITE_ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        offering = selectors.offering_get(user=request.user, pk=pk)
        return _offering_detail(request, services.offering_retire(actor=request.user, offering=offering))


# --- components -----------------------------------------------------------------------------------


class ComponentInput(InputSerializer):
    kind = NamedChoiceField(OfferingComponentKind)
    name = serializers.CharField(max_length=160)
    description = serializers.CharField(required=False, allow_blank=True)


@extend_schema(tags=TAGS)
class ComponentCollectionApi(APIView):
    @extend_schema(
        summary="Add a component (goods, access to resources or a service action) to an offering",
        parameters=[IDEMPOTENCY_PARAMETER],
        request=ComponentInput,
        responses={201: ComponentOutput, **WRITE_ERRORS_WITH_REPLAY},
    )
    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        offering = selectors.offering_get(user=request.user, pk=pk)
        component = services.offering_component_add(
            actor=request.user, offering=offering, **validated(ComponentInput, request)
        )
        return Response(ComponentOutput(component).data, status=status.HTTP_201_CREATED)


def _component(request: Request, pk: int) -> OfferingComponent:
    return selectors.offering_component_get(user=request.user, pk=pk)


@extend_schema(tags=TAGS)
class ComponentItemApi(APIView):
    @extend_schema(summary="Get a component", responses={200: ComponentOutput, **READ_ERRORS})
    def get(self, request: Request, pk: int) -> Response:
        return Response(ComponentOutput(_component(request, pk)).data)

    @extend_schema(
        summary="Update a component", request=ComponentInput, responses={200: ComponentOutput, **WRITE_ERRORS}
    )
    def patch(self, request: Request, pk: int) -> Response:
        component = _component(request, pk)
        data = validated(ComponentInput, request, partial=True)
        component = services.offering_component_update(actor=request.user, component=component, **data)
        return Response(ComponentOutput(component).data)

    @extend_schema(
        summary="Remove a component (409 for the last one of a published offering)",
        responses={204: None, **WRITE_ERRORS},
    )
    def delete(self, request: Request, pk: int) -> Response:
        services.offering_component_remove(actor=request.user, component=_component(request, pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- user engagement tiers ------------------------------------------------------------------------


class TierInput(InputSerializer):
    name = serializers.CharField(max_length=80)
    description = serializers.CharField(required=False, allow_blank=True)


class TierUpdateInput(TierInput):
    position = serializers.IntegerField(
        min_value=1, required=False, help_text="The tier's place, 1 being the lightest; the others shift."
    )


@extend_schema(tags=TAGS)
class TierCollectionApi(APIView):
    @extend_schema(
        summary="Add a user engagement tier above an offering's others",
        parameters=[IDEMPOTENCY_PARAMETER],
        request=TierInput,
        responses={201: TierOutput, **WRITE_ERRORS_WITH_REPLAY},
    )
    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        offering = selectors.offering_get(user=request.user, pk=pk)
        tier = services.engagement_tier_add(
            actor=request.user, offering=offering, **validated(TierInput, request)
        )
        return Response(TierOutput(tier).data, status=status.HTTP_201_CREATED)


def _tier(request: Request, pk: int) -> EngagementTier:
    return selectors.engagement_tier_get(user=request.user, pk=pk)


@extend_schema(tags=TAGS)
class TierItemApi(APIView):
    @extend_schema(summary="Get a user engagement tier", responses={200: TierOutput, **READ_ERRORS})
    def get(self, request: Request, pk: int) -> Response:
        return Response(TierOutput(_tier(request, pk)).data)

    @extend_schema(
        summary="Update a tier (a new position moves it)",
        request=TierUpdateInput,
        responses={200: TierOutput, **WRITE_ERRORS},
    )
    def patch(self, request: Request, pk: int) -> Response:
        tier = _tier(request, pk)
        data = validated(TierUpdateInput, request, partial=True)
        return Response(
            TierOutput(services.engagement_tier_update(actor=request.user, tier=tier, **data)).data
        )

    @extend_schema(summary="Remove a tier", responses={204: None, **WRITE_ERRORS})
    def delete(self, request: Request, pk: int) -> Response:
        services.engagement_tier_remove(actor=request.user, tier=_tier(request, pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- value propositions ---------------------------------------------------------------------------


class PropositionInput(InputSerializer):
    segment = ScopedIdField(
        model=MarketSegment,
        scope=market_segment_scope,
        required=False,
        allow_null=True,
        help_text="A target segment of the offering (a segment, a persona or both).",
    )
    persona = ScopedIdField(
        model=Persona,
        scope=persona_scope,
        required=False,
        allow_null=True,
        help_text="A target persona of the offering.",
    )
    headline = serializers.CharField(max_length=200, required=False, allow_blank=True)
    how_it_solves_problems = serializers.CharField()
    what_to_expect = serializers.CharField()
    advantage_over_competitors = serializers.CharField()
    target_decision_maker_role = NamedChoiceField(ConsumerRole, required=False)
    decision_maker_title = serializers.CharField(max_length=120, required=False, allow_blank=True)


@extend_schema(tags=TAGS)
class PropositionCollectionApi(APIView):
    @extend_schema(
        summary="Write a value proposition for one of an offering's targets",
        parameters=[IDEMPOTENCY_PARAMETER],
        request=PropositionInput,
        responses={201: PropositionOutput, **WRITE_ERRORS_WITH_REPLAY},
    )
    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        offering = selectors.offering_get(user=request.user, pk=pk)
        proposition = services.value_proposition_create(
            actor=request.user, offering=offering, **validated(PropositionInput, request)
        )
        return Response(PropositionOutput(proposition).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=TAGS)
class PropositionItemApi(APIView):
    @extend_schema(summary="Get a value proposition", responses={200: PropositionOutput, **READ_ERRORS})
    def get(self, request: Request, pk: int) -> Response:
        return Response(PropositionOutput(selectors.value_proposition_get(user=request.user, pk=pk)).data)

    @extend_schema(
        summary="Update a value proposition",
        request=PropositionInput,
        responses={200: PropositionOutput, **WRITE_ERRORS},
    )
    def patch(self, request: Request, pk: int) -> Response:
        proposition = selectors.value_proposition_get(user=request.user, pk=pk)
        data = validated(PropositionInput, request, partial=True)
        proposition = services.value_proposition_update(actor=request.user, proposition=proposition, **data)
        return Response(PropositionOutput(proposition).data)

    @extend_schema(
        summary="Delete a value proposition (409 for the last one of a published offering)",
        responses={204: None, **WRITE_ERRORS},
    )
    def delete(self, request: Request, pk: int) -> Response:
        proposition = selectors.value_proposition_get(user=request.user, pk=pk)
        services.value_proposition_delete(actor=request.user, proposition=proposition)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- journeys -------------------------------------------------------------------------------------


class OfferingJourneyInput(InputSerializer):
    journey = ScopedIdField(model=Journey, scope=journey_scope, help_text="Id of a journey you may see.")


@extend_schema_serializer(component_name="OfferingJourney")
class OfferingJourneyOutput(serializers.ModelSerializer):
    journey_name = serializers.CharField(source="journey.name", read_only=True)
    current_step = NamedChoiceField(JourneyStep, source="journey.current_step", read_only=True)
    organization = serializers.IntegerField(source="journey.organization_id", read_only=True)
    organization_name = serializers.CharField(source="journey.organization.name", read_only=True)

    class Meta:
        model = OfferingJourney
        fields = [
            "offering",
            "journey",
            "journey_name",
            "current_step",
            "organization",
            "organization_name",
            "linked_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


@extend_schema(tags=TAGS)
class OfferingJourneyCollectionApi(ListApi):
    serializer_class = OfferingJourneyOutput
    filterset_class = UpdatedSinceFilterSet

    def get_queryset(self) -> QuerySet:
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no offering
            return OfferingJourney.objects.none()
        offering = selectors.offering_get(user=self.request.user, pk=self.kwargs["pk"])
        return selectors.offering_journey_links(user=self.request.user, offering=offering)

    @extend_schema(
        summary="List the journeys you may see that an offering concerns",
        responses={200: OfferingJourneyOutput(many=True), **READ_ERRORS},
    )
    def get(self, request: Request, pk: int) -> Response:
        return self.list(request)

    @extend_schema(
        summary="Link a journey to the offering (linking again is harmless)",
        parameters=[IDEMPOTENCY_PARAMETER],
        request=OfferingJourneyInput,
        responses={201: OfferingJourneyOutput, **WRITE_ERRORS_WITH_REPLAY},
    )
    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        offering = selectors.offering_get(user=request.user, pk=pk)
        data = validated(OfferingJourneyInput, request)
        link = services.offering_journey_link(actor=request.user, offering=offering, journey=data["journey"])
        return Response(OfferingJourneyOutput(link).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=TAGS)
class OfferingJourneyItemApi(APIView):
    @extend_schema(
        summary="Unlink a journey from the offering (204 also when it was not linked)",
        responses={204: None, **WRITE_ERRORS},
    )
    def delete(self, request: Request, pk: int, journey_pk: int) -> Response:
        offering = selectors.offering_get(user=request.user, pk=pk)
        journey = journey_get(user=request.user, pk=journey_pk)
        services.offering_journey_unlink(actor=request.user, offering=offering, journey=journey)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=TAGS)
class JourneyOfferingsApi(APIView):
    @extend_schema(
        summary="List the offerings a journey concerns",
        responses={200: OfferingOutput(many=True), **READ_ERRORS},
    )
    def get(self, request: Request, pk: int) -> Response:
        journey = journey_get(user=request.user, pk=pk)
        offerings = selectors.offerings_for_journey(user=request.user, journey=journey).prefetch_related(
            "target_segments", "target_personas"
        )
        return Response(OfferingOutput(offerings, many=True).data)


urlpatterns = [
    path("offer/services/", ServiceCollectionApi.as_view(), name="api_offer_services"),
    path("offer/services/<int:pk>/", ServiceItemApi.as_view(), name="api_offer_service"),
    path("offer/offerings/", OfferingCollectionApi.as_view(), name="api_offer_offerings"),
    path("offer/offerings/<int:pk>/", OfferingItemApi.as_view(), name="api_offer_offering"),
    path(
        "offer/offerings/<int:pk>/publish/", OfferingPublishApi.as_view(), name="api_offer_offering_publish"
    ),
    path("offer/offerings/<int:pk>/retire/", OfferingRetireApi.as_view(), name="api_offer_offering_retire"),
    path(
        "offer/offerings/<int:pk>/components/",
        ComponentCollectionApi.as_view(),
        name="api_offer_offering_components",
    ),
    path("offer/components/<int:pk>/", ComponentItemApi.as_view(), name="api_offer_component"),
    path("offer/offerings/<int:pk>/tiers/", TierCollectionApi.as_view(), name="api_offer_offering_tiers"),
    path("offer/tiers/<int:pk>/", TierItemApi.as_view(), name="api_offer_tier"),
    path(
        "offer/offerings/<int:pk>/value-propositions/",
        PropositionCollectionApi.as_view(),
        name="api_offer_offering_value_propositions",
    ),
    path(
        "offer/value-propositions/<int:pk>/", PropositionItemApi.as_view(), name="api_offer_value_proposition"
    ),
    path(
        "offer/offerings/<int:pk>/journeys/",
        OfferingJourneyCollectionApi.as_view(),
        name="api_offer_offering_journeys",
    ),
    path(
        "offer/offerings/<int:pk>/journeys/<int:journey_pk>/",
        OfferingJourneyItemApi.as_view(),
        name="api_offer_offering_journey",
    ),
    path(
        "offer/journeys/<int:pk>/offerings/",
        JourneyOfferingsApi.as_view(),
        name="api_offer_journey_offerings",
    ),
]
