"""The catalogue API under /api/v1/offer/: services, offerings with their parts, publishing and retiring,
value propositions and journey links — statuses, shapes, who may write, and the error envelope."""

import pytest
from django.urls import reverse

from journeys.models import JourneyEvent
from offerings.models import (
    EngagementTier,
    OfferingComponent,
    OfferingJourney,
    OfferingStatus,
    Service,
    ServiceOffering,
    ValueProposition,
)
from tests.factories.exploration import MarketSegmentFactory
from tests.factories.journeys import JourneyFactory
from tests.factories.offerings import (
    EngagementTierFactory,
    OfferingComponentFactory,
    OfferingJourneyFactory,
    ServiceFactory,
    ServiceOfferingFactory,
    ValuePropositionFactory,
)
from tests.factories.personas import PersonaFactory

pytestmark = pytest.mark.django_db

SERVICE_KEYS = {
    "id", "name", "description", "scope", "owner", "offering_count", "published_count", "draft_count",
    "retired_count", "created_at", "updated_at",
}  # fmt: skip
OFFERING_KEYS = {
    "id", "service", "service_name", "name", "summary", "status", "published_at", "retired_at",
    "target_segments", "target_personas", "created_at", "updated_at",
}  # fmt: skip
DETAIL_KEYS = OFFERING_KEYS | {
    "components",
    "engagement_tiers",
    "value_propositions",
    "missing_for_publication",
}
PROPOSITION_BODY = {
    "how_it_solves_problems": "No more waiting for a laptop.",
    "what_to_expect": "A working device on day one.",
    "advantage_over_competitors": "We already run their identity platform.",
}


def url(name, *args):
    return reverse(name, args=args)


def assert_error(response, status, code=None, field=None):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "fields"}
    if code is not None:
        assert body["error"]["code"] == code
    if field is not None:
        assert field in body["error"]["fields"], body
    return body["error"]


def ids(response, key="id"):
    return [row[key] for row in response.json()["results"]]


@pytest.fixture
def hospitals():
    return MarketSegmentFactory(name="Hospitals")


@pytest.fixture
def clinic(hospitals):
    offering = ServiceOfferingFactory(name="Clinic laptops", target_segments=[hospitals])
    OfferingComponentFactory(offering=offering, name="Rugged laptop")
    ValuePropositionFactory(offering=offering, segment=hospitals)
    return offering


# --- services -------------------------------------------------------------------------------------


def test_an_integrator_adds_a_service_and_reads_it_back_with_its_counts(integrator, token_client):
    client = token_client(integrator)

    created = client.post(url("api_offer_services"), {"name": "Managed workplace", "scope": "Laptops"})
    ServiceOfferingFactory(service_id=created.json()["id"], status=OfferingStatus.PUBLISHED)
    read = client.get(url("api_offer_service", created.json()["id"]))

    assert created.status_code == 201, created.content
    assert set(created.json()) == SERVICE_KEYS
    assert created.json()["owner"] == integrator.pk
    assert (read.json()["offering_count"], read.json()["published_count"]) == (1, 1)


def test_a_duplicate_service_name_is_a_409_naming_the_field(owner, token_client):
    ServiceFactory(name="Managed workplace")

    assert_error(
        token_client(owner).post(url("api_offer_services"), {"name": "managed workplace"}),
        409,
        code="duplicate",
        field="name",
    )


def test_a_service_with_offerings_is_not_deleted(administrator, token_client, clinic):
    error = assert_error(token_client(administrator).delete(url("api_offer_service", clinic.service_id)), 409)

    assert error["code"] == "has_offerings"
    assert Service.objects.exists()


def test_services_are_listed_and_patched(owner, token_client):
    service = ServiceFactory(name="Hosting")
    client = token_client(owner)

    patched = client.patch(url("api_offer_service", service.pk), {"description": "Racks"})

    assert patched.json()["description"] == "Racks"
    assert ids(client.get(url("api_offer_services"))) == [service.pk]


# --- offerings ------------------------------------------------------------------------------------


def test_an_offering_is_created_as_a_draft_with_its_targets(owner, token_client, hospitals):
    service = ServiceFactory()
    persona = PersonaFactory()

    response = token_client(owner).post(
        url("api_offer_offerings"),
        {
            "service": service.pk,
            "name": "Clinic laptops",
            "target_segments": [hospitals.pk],
            "target_personas": [persona.pk],
        },
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == DETAIL_KEYS
    assert (body["status"], body["target_segments"], body["target_personas"]) == (
        "draft",
        [hospitals.pk],
        [persona.pk],
    )
    assert [gap["field"] for gap in body["missing_for_publication"]] == [
        "summary",
        "components",
        "value_propositions",
    ]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "No service"}, "service"),
        ({"service": 999, "name": "Ghost"}, "service"),
        ({"name": "Bad segment", "target_segments": [999]}, "target_segments"),
        ({"name": "Bad field", "colour": "blue"}, "colour"),
    ],
)
def test_bad_offering_input_is_a_400_naming_the_field(owner, token_client, body, field):
    service = ServiceFactory()
    if "service" not in body and field != "service":
        body = {**body, "service": service.pk}

    assert_error(token_client(owner).post(url("api_offer_offerings"), body), 400, field=field)
    assert not ServiceOffering.objects.exists()


def test_the_detail_shows_parts_propositions_and_nothing_missing(analyst, token_client, clinic):
    EngagementTierFactory(offering=clinic, name="Assisted")

    body = token_client(analyst).get(url("api_offer_offering", clinic.pk)).json()

    assert [component["name"] for component in body["components"]] == ["Rugged laptop"]
    assert [tier["name"] for tier in body["engagement_tiers"]] == ["Assisted"]
    assert body["value_propositions"][0]["segment"] == body["target_segments"][0]
    assert body["missing_for_publication"] == []


def test_the_offering_list_filters_by_status_segment_persona_service_and_text(
    owner, token_client, clinic, hospitals
):
    persona = PersonaFactory()
    published = ServiceOfferingFactory(
        name="Ward tablets", status=OfferingStatus.PUBLISHED, target_personas=[persona]
    )
    client = token_client(owner)

    def listed(**filters):
        return ids(client.get(url("api_offer_offerings"), filters))

    assert sorted(listed()) == sorted([clinic.pk, published.pk])
    assert listed(status="published") == [published.pk]
    assert listed(segment=hospitals.pk) == [clinic.pk]
    assert listed(persona=persona.pk) == [published.pk]
    assert listed(service=clinic.service_id) == [clinic.pk]
    assert listed(q="tablets") == [published.pk]
    assert set(client.get(url("api_offer_offerings")).json()["results"][0]) == OFFERING_KEYS


def test_an_unknown_status_filter_is_a_400(owner, token_client):
    assert_error(
        token_client(owner).get(url("api_offer_offerings"), {"status": "sideways"}), 400, field="status"
    )


@pytest.mark.parametrize("size", [2, 20])
def test_the_offering_list_costs_the_same_queries_at_any_size(
    integrator, token_client, size, hospitals, django_assert_num_queries
):
    for _ in range(size):
        ServiceOfferingFactory(target_segments=[hospitals], target_personas=[PersonaFactory()])
    client = token_client(integrator)

    with django_assert_num_queries(4):  # the token with its user and roles, offerings, segments, personas
        assert len(ids(client.get(url("api_offer_offerings")))) == size


def test_patching_targets_replaces_the_set(owner, token_client, clinic, hospitals):
    persona = PersonaFactory()

    response = token_client(owner).patch(
        url("api_offer_offering", clinic.pk), {"target_personas": [persona.pk]}
    )

    assert response.status_code == 200, response.content
    assert (response.json()["target_personas"], response.json()["target_segments"]) == (
        [persona.pk],
        [hospitals.pk],
    )


def test_dropping_a_target_that_has_a_proposition_is_a_409(owner, token_client, clinic):
    assert_error(
        token_client(owner).patch(url("api_offer_offering", clinic.pk), {"target_segments": []}),
        409,
        code="target_in_use",
        field="target_segments",
    )


def test_deleting_a_published_offering_is_refused(administrator, token_client):
    offering = ServiceOfferingFactory(status=OfferingStatus.PUBLISHED)

    assert_error(
        token_client(administrator).delete(url("api_offer_offering", offering.pk)), 409, code="not_a_draft"
    )
    assert ServiceOffering.objects.exists()


# --- publish and retire ---------------------------------------------------------------------------


def test_publishing_and_retiring(owner, token_client, clinic):
    client = token_client(owner)

    published = client.post(url("api_offer_offering_publish", clinic.pk))
    retired = client.post(url("api_offer_offering_retire", clinic.pk))

    assert (published.status_code, published.json()["status"]) == (200, "published")
    assert (retired.status_code, retired.json()["status"]) == (200, "retired")
    assert list(JourneyEvent.objects.values_list("event_type", flat=True)) == [
        "offering.published",
        "offering.retired",
    ]


def test_publishing_without_the_required_parts_is_a_409_naming_them_and_changes_nothing(owner, token_client):
    offering = ServiceOfferingFactory(name="Bare", summary="")

    error = assert_error(
        token_client(owner).post(url("api_offer_offering_publish", offering.pk)), 409, code="not_ready"
    )

    assert set(error["fields"]) == {"summary", "components", "target_segments", "value_propositions"}
    assert error["message"].startswith("“Bare” cannot be published yet: it needs a summary")
    offering.refresh_from_db()
    assert offering.status == OfferingStatus.DRAFT
    assert not JourneyEvent.objects.exists()


def test_retiring_a_draft_is_a_409(owner, token_client, clinic):
    assert_error(
        token_client(owner).post(url("api_offer_offering_retire", clinic.pk)), 409, code="not_published"
    )


@pytest.mark.parametrize("reader", ["desk", "analyst"])
def test_readers_get_403_on_every_write(request, token_client, reader, clinic):
    client = token_client(request.getfixturevalue(reader))
    component = clinic.components.get()
    proposition = clinic.value_propositions.get()

    assert_error(client.post(url("api_offer_services"), {"name": "Shadow"}), 403)
    assert_error(client.patch(url("api_offer_offering", clinic.pk), {"name": "Mine"}), 403)
    assert_error(client.post(url("api_offer_offering_publish", clinic.pk)), 403)
    assert_error(
        client.post(url("api_offer_offering_components", clinic.pk), {"kind": "goods", "name": "X"}), 403
    )
    assert_error(client.delete(url("api_offer_component", component.pk)), 403)
    assert_error(client.delete(url("api_offer_value_proposition", proposition.pk)), 403)
    clinic.refresh_from_db()
    assert (clinic.name, clinic.status) == ("Clinic laptops", OfferingStatus.DRAFT)
    assert OfferingComponent.objects.count() == 1 and ValueProposition.objects.count() == 1


def test_a_missing_offering_is_a_404_envelope(owner, token_client):
    assert_error(token_client(owner).get(url("api_offer_offering", 999)), 404, code="not_found")


def test_anonymous_callers_get_401(api_client, clinic):
    assert_error(api_client.get(url("api_offer_offering", clinic.pk)), 401)


# --- parts ----------------------------------------------------------------------------------------


def test_components_are_added_patched_and_removed(owner, token_client, clinic):
    client = token_client(owner)

    added = client.post(
        url("api_offer_offering_components", clinic.pk), {"kind": "service_actions", "name": "Set-up on site"}
    )
    patched = client.patch(url("api_offer_component", added.json()["id"]), {"name": "Set-up on the ward"})
    removed = client.delete(url("api_offer_component", added.json()["id"]))

    assert added.status_code == 201, added.content
    assert set(added.json()) == {
        "id",
        "offering",
        "kind",
        "name",
        "description",
        "position",
        "created_at",
        "updated_at",
    }
    assert patched.json()["name"] == "Set-up on the ward"
    assert removed.status_code == 204
    assert OfferingComponent.objects.count() == 1


def test_an_unknown_component_kind_is_a_400(owner, token_client, clinic):
    assert_error(
        token_client(owner).post(
            url("api_offer_offering_components", clinic.pk), {"kind": "gifts", "name": "Mug"}
        ),
        400,
        field="kind",
    )


def test_tiers_are_added_and_moved_by_position(owner, token_client, clinic):
    client = token_client(owner)
    client.post(url("api_offer_offering_tiers", clinic.pk), {"name": "Self-service"})
    dedicated = client.post(url("api_offer_offering_tiers", clinic.pk), {"name": "Dedicated"}).json()

    moved = client.patch(url("api_offer_tier", dedicated["id"]), {"position": 1})

    assert moved.json()["position"] == 0
    assert list(EngagementTier.objects.order_by("position").values_list("name", flat=True)) == [
        "Dedicated",
        "Self-service",
    ]
    assert_error(client.patch(url("api_offer_tier", dedicated["id"]), {"position": 0}), 400, field="position")


def test_a_proposition_for_a_target_of_the_offering(owner, token_client, clinic):
    persona = PersonaFactory()
    clinic.target_personas.add(persona)

    response = token_client(owner).post(
        url("api_offer_offering_value_propositions", clinic.pk),
        {"persona": persona.pk, "target_decision_maker_role": "sponsor", **PROPOSITION_BODY},
    )

    assert response.status_code == 201, response.content
    assert (response.json()["persona"], response.json()["target_decision_maker_role"]) == (
        persona.pk,
        "sponsor",
    )


def test_a_proposition_for_a_group_the_offering_does_not_target_is_a_400(owner, token_client, clinic):
    schools = MarketSegmentFactory(name="Schools")

    error = assert_error(
        token_client(owner).post(
            url("api_offer_offering_value_propositions", clinic.pk),
            {"segment": schools.pk, **PROPOSITION_BODY},
        ),
        400,
        field="segment",
    )
    assert "Schools is not a target segment" in error["fields"]["segment"][0]


def test_a_proposition_missing_a_statement_is_a_400(owner, token_client, clinic, hospitals):
    body = {"segment": hospitals.pk, **PROPOSITION_BODY}
    del body["what_to_expect"]

    assert_error(
        token_client(owner).post(url("api_offer_offering_value_propositions", clinic.pk), body),
        400,
        field="what_to_expect",
    )


# --- journeys -------------------------------------------------------------------------------------


def test_journeys_are_linked_listed_and_unlinked(owner, token_client, clinic, journey):
    client = token_client(owner)

    linked = client.post(url("api_offer_offering_journeys", clinic.pk), {"journey": journey.pk})
    listed = client.get(url("api_offer_offering_journeys", clinic.pk))
    offerings = client.get(url("api_offer_journey_offerings", journey.pk))
    unlinked = client.delete(url("api_offer_offering_journey", clinic.pk, journey.pk))

    assert linked.status_code == 201, linked.content
    assert linked.json()["organization_name"] == "Rentwheel Car Hire"
    assert ids(listed, "journey") == [journey.pk]
    assert [offering["id"] for offering in offerings.json()] == [clinic.pk]
    assert unlinked.status_code == 204
    assert not OfferingJourney.objects.exists()


def test_an_outsider_cannot_link_another_teams_journey(outsider, other_team, token_client, clinic, journey):
    error = assert_error(
        token_client(outsider).post(url("api_offer_offering_journeys", clinic.pk), {"journey": journey.pk}),
        400,
        field="journey",
    )

    assert error["fields"]["journey"] == [f"No journey with the id {journey.pk}."]
    assert not OfferingJourney.objects.exists()


def test_an_outsider_sees_neither_the_link_nor_the_journeys_offerings(
    outsider, other_team, token_client, clinic, journey
):
    OfferingJourneyFactory(offering=clinic, journey=journey)
    visible = OfferingJourneyFactory(offering=clinic, journey=JourneyFactory(organization__owner=outsider))
    client = token_client(outsider)

    assert ids(client.get(url("api_offer_offering_journeys", clinic.pk)), "journey") == [visible.journey_id]
    assert_error(client.get(url("api_offer_journey_offerings", journey.pk)), 404)
    assert_error(client.delete(url("api_offer_offering_journey", clinic.pk, journey.pk)), 404)
    assert OfferingJourney.objects.count() == 2
