"""The catalogue's writes: services, offerings and their parts, publishing and retiring with their rules,
value propositions for the offering's targets, and linking the journeys an offering concerns."""

import pytest
from django.core.exceptions import PermissionDenied

from journeys.base import ApplicationError
from journeys.models import JourneyEvent
from offerings import services
from offerings.models import (
    EngagementTier,
    OfferEventType,
    OfferingComponent,
    OfferingComponentKind,
    OfferingJourney,
    OfferingStatus,
    Service,
    ServiceOffering,
    ValueProposition,
)
from tests.factories.exploration import MarketSegmentFactory
from tests.factories.offerings import (
    EngagementTierFactory,
    OfferingComponentFactory,
    ServiceFactory,
    ServiceOfferingFactory,
    ValuePropositionFactory,
)
from tests.factories.personas import PersonaFactory

pytestmark = pytest.mark.django_db

STATEMENTS = {
    "how_it_solves_problems": "New staff no longer wait for a laptop.",
    "what_to_expect": "A working device on day one.",
    "advantage_over_competitors": "We run their identity platform already.",
}


@pytest.fixture
def hospitals():
    return MarketSegmentFactory(name="Hospitals")


@pytest.fixture
def ready(hospitals):
    """A draft offering with everything publishing needs."""
    offering = ServiceOfferingFactory(name="Clinic laptops", target_segments=[hospitals])
    OfferingComponentFactory(offering=offering, name="Laptop")
    ValuePropositionFactory(offering=offering, segment=hospitals)
    return offering


def events(event_type):
    return list(JourneyEvent.objects.filter(event_type=event_type))


# --- services -------------------------------------------------------------------------------------


def test_a_manager_adds_a_service_and_answers_for_it(owner):
    service = services.service_create(actor=owner, name="  Managed workplace ", scope="Laptops, not phones")

    assert (service.name, service.scope, service.owner) == ("Managed workplace", "Laptops, not phones", owner)


def test_a_service_name_is_taken_whatever_its_case(owner):
    ServiceFactory(name="Managed workplace")

    with pytest.raises(ApplicationError) as error:
        services.service_create(actor=owner, name="MANAGED WORKPLACE")

    assert (error.value.status, error.value.code) == (409, "duplicate")
    assert "already called “MANAGED WORKPLACE”" in error.value.fields["name"][0]
    assert Service.objects.count() == 1


def test_a_service_needs_a_name(owner):
    with pytest.raises(ApplicationError) as error:
        services.service_create(actor=owner, name="   ")

    assert "name" in error.value.fields
    assert not Service.objects.exists()


@pytest.mark.parametrize("reader", ["desk", "analyst"])
def test_read_only_roles_may_not_shape_the_catalogue(request, reader):
    with pytest.raises(PermissionDenied):
        services.service_create(actor=request.getfixturevalue(reader), name="Shadow IT")

    assert not Service.objects.exists()


def test_updating_a_service_changes_only_what_was_given(owner, teammate):
    service = ServiceFactory(name="Hosting", description="Racks")

    services.service_update(actor=owner, service=service, name="Managed hosting", owner=teammate)

    service.refresh_from_db()
    assert (service.name, service.description, service.owner) == ("Managed hosting", "Racks", teammate)


def test_an_unknown_field_is_named(owner):
    service = ServiceFactory()

    with pytest.raises(ApplicationError) as error:
        services.service_update(actor=owner, service=service, colour="blue")

    assert error.value.fields == {"colour": ["Unknown field."]}


def test_a_service_with_offerings_is_not_deleted(owner):
    offering = ServiceOfferingFactory()

    with pytest.raises(ApplicationError) as error:
        services.service_delete(actor=owner, service=offering.service)

    assert error.value.code == "has_offerings"
    assert Service.objects.filter(pk=offering.service_id).exists()


def test_an_empty_service_is_deleted(owner):
    service = ServiceFactory()

    services.service_delete(actor=owner, service=service)

    assert not Service.objects.exists()


# --- offerings ------------------------------------------------------------------------------------


def test_a_new_offering_is_a_draft_with_its_targets(owner, hospitals):
    fatima = PersonaFactory(name="Fleet manager Fatima")

    offering = services.offering_create(
        actor=owner,
        service=ServiceFactory(),
        name="Clinic laptops",
        summary="Laptops for clinics",
        target_segments=[hospitals],
        target_personas=[fatima],
    )

    assert offering.status == OfferingStatus.DRAFT
    assert list(offering.target_segments.all()) == [hospitals]
    assert list(offering.target_personas.all()) == [fatima]
    assert offering.history.first().history_user == owner


def test_offering_names_are_unique_within_their_service(owner):
    existing = ServiceOfferingFactory(name="Clinic laptops")

    with pytest.raises(ApplicationError) as error:
        services.offering_create(actor=owner, service=existing.service, name="clinic LAPTOPS")

    assert error.value.status == 409
    assert "already has an offering called" in error.value.fields["name"][0]
    assert ServiceOffering.objects.count() == 1


def test_an_offering_needs_a_service(owner):
    with pytest.raises(ApplicationError) as error:
        services.offering_create(actor=owner, service=None, name="Orphan")

    assert "service" in error.value.fields


def test_a_target_with_a_value_proposition_is_not_dropped(owner, ready, hospitals):
    with pytest.raises(ApplicationError) as error:
        services.offering_update(actor=owner, offering=ready, target_segments=[])

    assert error.value.code == "target_in_use"
    assert "written for Hospitals" in error.value.fields["target_segments"][0]
    assert list(ready.target_segments.all()) == [hospitals]


def test_changing_targets_alone_marks_the_offering_changed(owner, hospitals):
    offering = ServiceOfferingFactory()
    before = offering.updated_at

    services.offering_update(actor=owner, offering=offering, target_segments=[hospitals])

    offering.refresh_from_db()
    assert list(offering.target_segments.all()) == [hospitals]
    assert offering.updated_at > before


def test_a_published_offering_keeps_a_target_and_its_summary(owner):
    persona = PersonaFactory()
    offering = ServiceOfferingFactory(status=OfferingStatus.PUBLISHED, target_personas=[persona])

    with pytest.raises(ApplicationError) as no_target:
        services.offering_update(actor=owner, offering=offering, target_personas=[])
    with pytest.raises(ApplicationError) as no_summary:
        services.offering_update(actor=owner, offering=offering, summary="")

    assert "at least one target" in no_target.value.fields["target_segments"][0]
    assert "keeps its summary" in no_summary.value.fields["summary"][0]
    offering.refresh_from_db()
    assert offering.summary and list(offering.target_personas.all()) == [persona]


def test_only_drafts_that_were_never_published_are_deleted(owner, ready):
    retired = ServiceOfferingFactory(status=OfferingStatus.RETIRED)

    with pytest.raises(ApplicationError) as error:
        services.offering_delete(actor=owner, offering=retired)
    services.offering_delete(actor=owner, offering=ready)

    assert error.value.code == "not_a_draft"
    assert list(ServiceOffering.objects.all()) == [retired]
    assert not OfferingComponent.objects.exists()


# --- publishing and retiring ----------------------------------------------------------------------


def test_publishing_a_ready_offering_dates_it_and_records_the_event(owner, ready):
    published = services.offering_publish(actor=owner, offering=ready)

    ready.refresh_from_db()
    assert ready.status == OfferingStatus.PUBLISHED and ready.published_at is not None
    assert published.published_at == ready.published_at
    [event] = events(OfferEventType.OFFERING_PUBLISHED)
    assert event.actor == owner
    assert event.payload["offering"] == ready.pk
    assert event.payload["previous_status"] == "draft"


def test_publishing_without_the_required_parts_is_refused_naming_them_and_changes_nothing(owner):
    offering = ServiceOfferingFactory(name="Bare", summary="")

    with pytest.raises(ApplicationError) as error:
        services.offering_publish(actor=owner, offering=offering)

    assert error.value.code == "not_ready"
    assert error.value.message == (
        "“Bare” cannot be published yet: it needs a summary for the catalogue, a component (goods, access "
        "to resources or a service action), a target segment or persona and a value proposition."
    )
    assert set(error.value.fields) == {"summary", "components", "target_segments", "value_propositions"}
    offering.refresh_from_db()
    assert (offering.status, offering.published_at) == (OfferingStatus.DRAFT, None)
    assert not events(OfferEventType.OFFERING_PUBLISHED)


def test_publishing_needs_a_value_proposition_even_with_everything_else(owner, hospitals):
    offering = ServiceOfferingFactory(target_segments=[hospitals])
    OfferingComponentFactory(offering=offering)

    with pytest.raises(ApplicationError) as error:
        services.offering_publish(actor=owner, offering=offering)

    assert list(error.value.fields) == ["value_propositions"]
    offering.refresh_from_db()
    assert offering.status == OfferingStatus.DRAFT


def test_publishing_twice_records_one_event(owner, ready):
    services.offering_publish(actor=owner, offering=ready)
    services.offering_publish(actor=owner, offering=ready)

    assert len(events(OfferEventType.OFFERING_PUBLISHED)) == 1


def test_retiring_a_published_offering_records_the_event(teammate, ready):
    services.offering_publish(actor=teammate, offering=ready)

    services.offering_retire(actor=teammate, offering=ready)

    ready.refresh_from_db()
    assert ready.status == OfferingStatus.RETIRED
    assert ready.retired_at >= ready.published_at
    [event] = events(OfferEventType.OFFERING_RETIRED)
    assert (event.payload["offering_name"], event.payload["previous_status"]) == (
        "Clinic laptops",
        "published",
    )


def test_a_draft_cannot_be_retired(owner, ready):
    with pytest.raises(ApplicationError) as error:
        services.offering_retire(actor=owner, offering=ready)

    assert error.value.code == "not_published"
    ready.refresh_from_db()
    assert ready.status == OfferingStatus.DRAFT


def test_a_retired_offering_can_be_published_again(owner, ready):
    services.offering_publish(actor=owner, offering=ready)
    services.offering_retire(actor=owner, offering=ready)

    services.offering_publish(actor=owner, offering=ready)

    ready.refresh_from_db()
    assert (ready.status, ready.retired_at) == (OfferingStatus.PUBLISHED, None)
    assert [event.payload["previous_status"] for event in events(OfferEventType.OFFERING_PUBLISHED)] == [
        "draft",
        "retired",
    ]


def test_the_analyst_may_not_publish(analyst, ready):
    with pytest.raises(PermissionDenied):
        services.offering_publish(actor=analyst, offering=ready)

    ready.refresh_from_db()
    assert ready.status == OfferingStatus.DRAFT


# --- components and tiers -------------------------------------------------------------------------


def test_components_are_added_after_the_others(owner):
    offering = ServiceOfferingFactory()
    first = services.offering_component_add(
        actor=owner, offering=offering, kind=OfferingComponentKind.GOODS, name="Laptop"
    )

    second = services.offering_component_add(
        actor=owner, offering=offering, kind=OfferingComponentKind.SERVICE_ACTIONS, name="Set-up on site"
    )

    assert second.position == first.position + 1


def test_an_unknown_component_kind_is_named(owner):
    offering = ServiceOfferingFactory()

    with pytest.raises(ApplicationError) as error:
        services.offering_component_add(actor=owner, offering=offering, kind="gifts", name="Mug")

    assert "“gifts” is not a kind of component" in error.value.fields["kind"][0]
    assert not OfferingComponent.objects.exists()


def test_the_last_component_of_a_published_offering_stays(owner):
    offering = ServiceOfferingFactory(status=OfferingStatus.PUBLISHED)
    laptop = OfferingComponentFactory(offering=offering, name="Laptop")

    with pytest.raises(ApplicationError) as error:
        services.offering_component_remove(actor=owner, component=laptop)

    assert "last component" in error.value.message
    assert OfferingComponent.objects.filter(pk=laptop.pk).exists()


def test_a_component_is_edited_and_removed(owner):
    laptop = OfferingComponentFactory(name="Laptop")

    services.offering_component_update(actor=owner, component=laptop, name="Laptop and dock")
    laptop.refresh_from_db()
    services.offering_component_remove(actor=owner, component=laptop)

    assert laptop.name == "Laptop and dock"
    assert not OfferingComponent.objects.exists()


def test_tiers_run_from_the_lightest_up_and_can_be_moved(owner):
    offering = ServiceOfferingFactory()
    self_service = services.engagement_tier_add(actor=owner, offering=offering, name="Self-service")
    assisted = services.engagement_tier_add(actor=owner, offering=offering, name="Assisted")
    dedicated = services.engagement_tier_add(actor=owner, offering=offering, name="Dedicated")

    services.engagement_tier_update(actor=owner, tier=dedicated, position=1)

    names = list(offering.engagement_tiers.order_by("position").values_list("name", "position"))
    assert names == [("Dedicated", 0), ("Self-service", 1), ("Assisted", 2)]
    assert self_service.pk and assisted.pk


def test_a_tier_name_is_taken_within_its_offering(owner):
    tier = EngagementTierFactory(name="Assisted")

    with pytest.raises(ApplicationError) as error:
        services.engagement_tier_add(actor=owner, offering=tier.offering, name="assisted")

    assert error.value.status == 409
    assert EngagementTier.objects.count() == 1


def test_a_tier_position_must_be_a_whole_number_from_one(owner):
    tier = EngagementTierFactory()

    with pytest.raises(ApplicationError) as error:
        services.engagement_tier_update(actor=owner, tier=tier, position=0)

    assert "position" in error.value.fields


# --- value propositions ---------------------------------------------------------------------------


def test_a_proposition_is_written_for_a_target_of_the_offering(owner, hospitals):
    offering = ServiceOfferingFactory(target_segments=[hospitals])

    proposition = services.value_proposition_create(
        actor=owner,
        offering=offering,
        segment=hospitals,
        headline="  Ready on day one ",
        target_decision_maker_role="sponsor",
        decision_maker_title="Chief nursing officer",
        **STATEMENTS,
    )

    assert (proposition.segment, proposition.headline, proposition.target_decision_maker_role) == (
        hospitals,
        "Ready on day one",
        "sponsor",
    )


def test_a_proposition_for_a_group_the_offering_does_not_target_is_refused(owner, hospitals):
    offering = ServiceOfferingFactory(name="Clinic laptops")
    persona = PersonaFactory(name="Ward manager Wim")

    with pytest.raises(ApplicationError) as error:
        services.value_proposition_create(
            actor=owner, offering=offering, segment=hospitals, persona=persona, **STATEMENTS
        )

    assert error.value.fields == {
        "segment": [
            "Hospitals is not a target segment of “Clinic laptops”: add it to the offering's targets first."
        ],
        "persona": [
            "Ward manager Wim is not a target persona of “Clinic laptops”: add it to the offering's "
            "targets first."
        ],
    }
    assert not ValueProposition.objects.exists()


def test_a_proposition_states_all_three_things(owner, hospitals):
    offering = ServiceOfferingFactory(target_segments=[hospitals])

    with pytest.raises(ApplicationError) as error:
        services.value_proposition_create(
            actor=owner, offering=offering, segment=hospitals, how_it_solves_problems="It helps."
        )

    assert set(error.value.fields) == {"what_to_expect", "advantage_over_competitors"}
    assert not ValueProposition.objects.exists()


def test_a_proposition_needs_a_target(owner):
    with pytest.raises(ApplicationError) as error:
        services.value_proposition_create(actor=owner, offering=ServiceOfferingFactory(), **STATEMENTS)

    assert "segment" in error.value.fields


def test_one_proposition_per_target(owner, ready, hospitals):
    with pytest.raises(ApplicationError) as error:
        services.value_proposition_create(actor=owner, offering=ready, segment=hospitals, **STATEMENTS)

    assert error.value.code == "duplicate"
    assert ValueProposition.objects.count() == 1


def test_a_proposition_is_edited(owner, ready):
    proposition = ready.value_propositions.get()

    services.value_proposition_update(actor=owner, proposition=proposition, what_to_expect="A laptop by 9am.")

    proposition.refresh_from_db()
    assert proposition.what_to_expect == "A laptop by 9am."


def test_the_last_proposition_of_a_published_offering_stays(owner, ready):
    services.offering_publish(actor=owner, offering=ready)

    with pytest.raises(ApplicationError) as error:
        services.value_proposition_delete(actor=owner, proposition=ready.value_propositions.get())

    assert error.value.code == "published_needs_proposition"
    assert ready.value_propositions.exists()


# --- journeys -------------------------------------------------------------------------------------


def test_linking_a_journey_twice_keeps_one_link(owner, journey):
    offering = ServiceOfferingFactory()

    first = services.offering_journey_link(actor=owner, offering=offering, journey=journey)
    again = services.offering_journey_link(actor=owner, offering=offering, journey=journey)

    assert first == again
    assert (first.linked_by, OfferingJourney.objects.count()) == (owner, 1)


def test_an_outsider_cannot_link_another_teams_journey(outsider, other_team, journey):
    offering = ServiceOfferingFactory()

    with pytest.raises(ApplicationError) as error:
        services.offering_journey_link(actor=outsider, offering=offering, journey=journey)

    assert error.value.fields == {"journey": ["Choose a journey of one of the accounts you look after."]}
    assert not OfferingJourney.objects.exists()


def test_unlinking_keeps_the_journey(teammate, journey):
    offering = ServiceOfferingFactory()
    services.offering_journey_link(actor=teammate, offering=offering, journey=journey)

    assert services.offering_journey_unlink(actor=teammate, offering=offering, journey=journey) is True
    assert services.offering_journey_unlink(actor=teammate, offering=offering, journey=journey) is False

    journey.refresh_from_db()
    assert not OfferingJourney.objects.exists()


def test_an_outsider_cannot_unlink_a_journey_they_may_not_see(outsider, other_team, journey):
    offering = ServiceOfferingFactory()
    OfferingJourney.objects.create(offering=offering, journey=journey)

    with pytest.raises(ApplicationError):
        services.offering_journey_unlink(actor=outsider, offering=offering, journey=journey)

    assert OfferingJourney.objects.count() == 1


def test_the_desk_may_not_link_journeys(desk, journey):
    with pytest.raises(PermissionDenied):
        services.offering_journey_link(actor=desk, offering=ServiceOfferingFactory(), journey=journey)

    assert not OfferingJourney.objects.exists()
