"""Offerings point to the designed journey maps of the journeys they serve (never the other way round):
chosen on the offering's form, listed on its page, dropped when a map is deleted."""

import pytest
from django.urls import reverse

from journeys import services as spine_services
from journeys.base import ApplicationError
from offerings import services
from tests.factories.journey_maps import JourneyMapFactory
from tests.factories.offerings import ServiceFactory, ServiceOfferingFactory
from tests.factories.personas import PersonaFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def maps():
    orla = PersonaFactory(name="Practice manager Orla")
    as_is = JourneyMapFactory(persona=orla, name="Getting online")
    return as_is, JourneyMapFactory(persona=orla, name="Getting online", version="to_be", based_on=as_is)


def test_an_offering_points_to_maps_when_created_and_updated(owner, maps):
    as_is, to_be = maps
    offering = services.offering_create(
        actor=owner, service=ServiceFactory(), name="Clinic laptops", journey_maps=[as_is]
    )
    assert list(offering.journey_maps.all()) == [as_is]

    services.offering_update(actor=owner, offering=offering, journey_maps=[to_be])
    assert list(offering.journey_maps.all()) == [to_be]

    services.offering_update(actor=owner, offering=offering, name="Ward laptops")
    assert list(offering.journey_maps.all()) == [to_be]  # Not given: kept.


def test_a_map_that_is_not_a_saved_map_is_refused_on_its_field(owner):
    offering = ServiceOfferingFactory()

    with pytest.raises(ApplicationError) as caught:
        services.offering_update(actor=owner, offering=offering, journey_maps=["Getting online"])

    assert "journey_maps" in caught.value.fields
    assert not offering.journey_maps.exists()


def test_the_offering_form_offers_every_map_with_its_persona_and_saves_the_choice(as_user, owner, maps):
    _, to_be = maps
    offering = ServiceOfferingFactory(name="Clinic laptops")
    client = as_user(owner)
    url = reverse("offerings:offering_edit", args=[offering.pk])

    page = client.get(url).content.decode()
    assert "Practice manager Orla: Getting online (To-be (designed))" in page

    response = client.post(
        url, {"service": offering.service_id, "name": "Clinic laptops", "journey_maps": [to_be.pk]}
    )
    assert response.status_code == 302
    assert list(offering.journey_maps.all()) == [to_be]


def test_the_offering_page_lists_its_maps_with_links(as_user, analyst, maps):
    as_is, _ = maps
    offering = ServiceOfferingFactory()
    offering.journey_maps.add(as_is)

    page = as_user(analyst).get(reverse("offerings:offering_detail", args=[offering.pk])).content.decode()

    assert (
        f'<a href="{reverse("journey_map_detail", args=[as_is.pk])}">Getting online (As-is (today))</a>'
        in page
    )


def test_deleting_a_map_drops_it_from_its_offerings(owner, maps):
    as_is, _ = maps
    offering = ServiceOfferingFactory()
    offering.journey_maps.add(as_is)

    spine_services.journey_map_delete(actor=owner, journey_map=as_is)

    assert not offering.journey_maps.exists()
