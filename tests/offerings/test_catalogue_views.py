"""The catalogue pages as a user sees them: the filtered catalogue (HTMX fragment and plain GET form),
services, the offering page with its parts edited in place, publishing and retiring, value
propositions, linking journeys, and who may do what."""

import re

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
    OnboardingPlaybookFactory,
    ServiceFactory,
    ServiceOfferingFactory,
    ValuePropositionFactory,
)
from tests.factories.personas import PersonaFactory
from tests.helpers import HX, text_of

pytestmark = pytest.mark.django_db

STATEMENTS = {
    "how_it_solves_problems": "No more waiting for a laptop.",
    "what_to_expect": "A working device on day one.",
    "advantage_over_competitors": "We already run their identity platform.",
    "target_decision_maker_role": "customer",
}


def url(name, *args):
    return reverse(f"offerings:{name}", args=args)


def page_text(response) -> str:
    return text_of(response.content.decode())


def field_error(response, field_id: str) -> str:
    found = re.search(
        rf'<ul class="errorlist" id="{field_id}_error">(.*?)</ul>', response.content.decode(), re.S
    )
    return text_of(found.group(1)) if found else ""


@pytest.fixture
def hospitals():
    return MarketSegmentFactory(name="Hospitals")


@pytest.fixture
def workplace():
    return ServiceFactory(name="Managed workplace", description="Laptops and support for office staff.")


@pytest.fixture
def clinic(workplace, hospitals):
    """A draft offering with everything publishing needs."""
    offering = ServiceOfferingFactory(
        service=workplace, name="Clinic laptops", summary="Laptops for clinics", target_segments=[hospitals]
    )
    OfferingComponentFactory(offering=offering, name="Rugged laptop")
    ValuePropositionFactory(offering=offering, segment=hospitals, headline="Ready on the ward")
    return offering


# --- the catalogue --------------------------------------------------------------------------------


def test_the_catalogue_shows_services_with_their_offerings_and_figures(as_user, owner, clinic):
    response = as_user(owner).get(url("catalogue"))

    assert response.status_code == 200
    text = page_text(response)
    assert "Managed workplace Laptops and support for office staff." in text
    assert "Clinic laptops Draft Laptops for clinics" in text
    assert "Hospitals (segment)" in text
    assert "1 component · 1 value proposition" in text


def test_managers_see_drafts_and_published_by_default_readers_only_published(as_user, owner, analyst, clinic):
    ServiceOfferingFactory(service=clinic.service, name="Office desktops", status=OfferingStatus.PUBLISHED)
    ServiceOfferingFactory(service=clinic.service, name="Old thin clients", status=OfferingStatus.RETIRED)

    for_owner = page_text(as_user(owner).get(url("catalogue")))
    for_analyst = page_text(as_user(analyst).get(url("catalogue")))

    assert "Clinic laptops" in for_owner and "Office desktops" in for_owner
    assert "Old thin clients" not in for_owner
    assert "Office desktops" in for_analyst
    assert "Clinic laptops" not in for_analyst and "Old thin clients" not in for_analyst
    assert "1 published, 1 draft, 1 retired" in for_analyst


def test_readers_may_still_ask_for_drafts_and_retired_offerings(as_user, desk, clinic):
    ServiceOfferingFactory(service=clinic.service, name="Old thin clients", status=OfferingStatus.RETIRED)

    text = page_text(as_user(desk).get(url("catalogue"), {"status": "all"}))

    assert "Clinic laptops" in text and "Old thin clients" in text


def test_the_catalogue_filters_by_segment_persona_service_and_text(as_user, owner, clinic, hospitals):
    nurse = PersonaFactory(name="Nurse Nadia")
    other = ServiceOfferingFactory(
        service__name="Bedside devices", name="Ward tablets", summary="Tablets", target_personas=[nurse]
    )
    OfferingComponentFactory(offering=other, name="Docking cradle")
    client = as_user(owner)

    def shown(**filters):
        text = page_text(client.get(url("catalogue"), filters))
        return [name for name in ("Clinic laptops", "Ward tablets") if name in text]

    assert shown(segment=hospitals.pk) == ["Clinic laptops"]
    assert shown(persona=nurse.pk) == ["Ward tablets"]
    assert shown(service=clinic.service_id) == ["Clinic laptops"]
    assert shown(q="cradle") == ["Ward tablets"]
    assert shown(q="workplace") == ["Clinic laptops"]
    assert shown(q="nothing like it") == []


def test_the_chosen_filters_stay_chosen_and_names_are_escaped(as_user, owner, clinic, hospitals):
    ServiceOfferingFactory(service=clinic.service, name="Fish & <Chips>", target_segments=[hospitals])

    page = as_user(owner).get(url("catalogue"), {"segment": hospitals.pk, "status": "draft"}).content.decode()

    assert f'<option value="{hospitals.pk}" selected>Hospitals</option>' in page
    assert '<option value="draft" selected>Draft</option>' in page
    assert "Fish &amp; &lt;Chips&gt;" in page and "<Chips>" not in page


def test_unknown_filter_values_fall_back_to_no_filter(as_user, owner, clinic):
    response = as_user(owner).get(url("catalogue"), {"segment": "999", "status": "sideways", "service": "x"})

    assert response.status_code == 200
    assert "Clinic laptops" in page_text(response)


def test_the_catalogue_results_come_alone_for_htmx(as_user, owner, clinic):
    response = as_user(owner).get(url("catalogue"), {"q": "clinic"}, **HX)

    page = response.content.decode()
    assert "<html" not in page and 'class="filters' not in page
    assert "Clinic laptops" in page
    assert "HX-Request" in response["Vary"]


def test_the_filter_form_works_without_htmx(as_user, owner, clinic):
    page = as_user(owner).get(url("catalogue")).content.decode()

    form = re.search(r'<form method="get" action="([^"]+)" class="filters', page)
    assert form and form.group(1) == url("catalogue")
    assert 'hx-get="' + url("catalogue") + '"' in page
    assert '<button type="submit">Show</button>' in page


def test_the_catalogue_is_paginated_with_the_filters_kept(as_user, owner, workplace):
    for number in range(30):
        ServiceOfferingFactory(service=workplace, name=f"Offering {number:02d}")

    first = as_user(owner).get(url("catalogue"), {"q": "Offering"})
    second = as_user(owner).get(url("catalogue"), {"q": "Offering", "page": 2})

    assert "Offering 24" in page_text(first) and "Offering 25" not in page_text(first)
    assert "Offering 25" in page_text(second)
    assert "Page 1 of 2" in page_text(first)
    assert "?q=Offering&amp;status=current&amp;page=2" in first.content.decode()


@pytest.mark.parametrize("size", [3, 30])
def test_the_catalogue_costs_the_same_queries_at_any_size(
    as_user, owner, team, size, django_assert_num_queries, hospitals
):
    persona = PersonaFactory()
    for number in range(size):
        service = ServiceFactory(name=f"Service {number}")
        offering = ServiceOfferingFactory(
            service=service, target_segments=[hospitals], target_personas=[persona]
        )
        OfferingComponentFactory(offering=offering)
        OfferingJourneyFactory(offering=offering, journey=JourneyFactory(organization__owner=owner))
    client = as_user(owner)
    client.get(url("catalogue"))  # warm up the session

    # session, user with roles, services, segments, personas, status counts, the page of offerings
    with django_assert_num_queries(7):
        response = client.get(url("catalogue"))
    assert response.status_code == 200


def test_integrators_may_not_open_the_catalogue_pages(as_user, integrator, clinic):
    assert as_user(integrator).get(url("catalogue")).status_code == 403


# --- services -------------------------------------------------------------------------------------


def test_a_manager_adds_a_service(as_user, owner):
    response = as_user(owner).post(url("service_create"), {"name": "Hosting", "scope": "Racks, not networks"})

    service = Service.objects.get()
    assert response["Location"] == url("service_detail", service.pk)
    assert service.owner == owner


def test_a_duplicate_service_name_is_a_field_error_and_nothing_is_saved(as_user, owner, workplace):
    response = as_user(owner).post(url("service_create"), {"name": "managed WORKPLACE"})

    assert response.status_code == 400
    assert "Another service is already called" in field_error(response, "id_name")
    assert Service.objects.count() == 1


def test_the_service_page_lists_its_offerings_published_first(as_user, analyst, clinic):
    ServiceOfferingFactory(service=clinic.service, name="Office desktops", status=OfferingStatus.PUBLISHED)

    response = as_user(analyst).get(url("service_detail", clinic.service_id))

    text = page_text(response)
    assert text.index("Office desktops") < text.index("Clinic laptops")
    assert url("service_edit", clinic.service_id) not in response.content.decode()


def test_editing_a_service(as_user, teammate, workplace):
    response = as_user(teammate).post(url("service_edit", workplace.pk), {"name": "Workplace as a service"})

    assert response.status_code == 302
    workplace.refresh_from_db()
    assert workplace.name == "Workplace as a service"


def test_a_service_with_offerings_is_not_deleted_and_says_why(as_user, owner, clinic):
    response = as_user(owner).post(url("service_delete", clinic.service_id), follow=True)

    assert "still has 1 offering" in page_text(response)
    assert Service.objects.exists()


def test_an_empty_service_is_deleted(as_user, owner, workplace):
    response = as_user(owner).post(url("service_delete", workplace.pk))

    assert response["Location"] == url("catalogue")
    assert not Service.objects.exists()


# --- offering create and edit ---------------------------------------------------------------------


def test_creating_an_offering_starts_a_draft_with_its_targets(as_user, owner, workplace, hospitals):
    response = as_user(owner).post(
        url("offering_create"),
        {"service": workplace.pk, "name": "Clinic laptops", "target_segments": [hospitals.pk]},
    )

    offering = ServiceOffering.objects.get()
    assert response["Location"] == url("offering_detail", offering.pk)
    assert offering.status == OfferingStatus.DRAFT
    assert list(offering.target_segments.all()) == [hospitals]


def test_the_new_offering_form_starts_on_the_service_given(as_user, owner, workplace):
    page = as_user(owner).get(url("offering_create"), {"service": workplace.pk}).content.decode()

    assert f'<option value="{workplace.pk}" selected>' in page


def test_an_offering_without_service_or_name_is_refused_with_field_errors(as_user, owner):
    response = as_user(owner).post(url("offering_create"), {"summary": "Something"})

    assert response.status_code == 400
    assert field_error(response, "id_service") and field_error(response, "id_name")
    assert not ServiceOffering.objects.exists()


def test_dropping_a_target_with_a_proposition_is_refused_on_the_targets_field(as_user, owner, clinic):
    response = as_user(owner).post(
        url("offering_edit", clinic.pk), {"service": clinic.service_id, "name": "Clinic laptops"}
    )

    assert response.status_code == 400
    assert "A value proposition is written for Hospitals" in field_error(response, "id_target_segments")
    assert clinic.target_segments.count() == 1


# --- the offering page ----------------------------------------------------------------------------


def test_the_offering_page_shows_every_part(as_user, owner, clinic, hospitals, journey):
    EngagementTierFactory(offering=clinic, name="Self-service")
    OnboardingPlaybookFactory(offering=clinic, name="Ward roll-out")
    OfferingJourneyFactory(offering=clinic, journey=journey)
    fatima = PersonaFactory(name="Fleet manager Fatima")
    clinic.target_personas.add(fatima)

    response = as_user(owner).get(url("offering_detail", clinic.pk))

    text = page_text(response)
    assert "Clinic laptops Draft" in text
    assert "Ready to publish" in text
    assert "Ready on the ward For the Hospitals segment · written for the customer" in text
    assert "Targets without a value proposition: Fleet manager Fatima (persona)." in text
    assert "Goods (1) Rugged laptop" in text
    assert "Self-service" in text
    assert "Ward roll-out 0 actions" in text
    assert "Rentwheel Car Hire Fleet booking platform" in text


def test_the_offering_page_lists_what_publishing_still_needs(as_user, analyst, workplace):
    offering = ServiceOfferingFactory(service=workplace, summary="")

    text = page_text(as_user(analyst).get(url("offering_detail", offering.pk)))

    assert "Before it can be published It still needs: a summary for the catalogue a component" in text
    assert "Publish" not in text.split("Before it can be published")[0]  # read-only: no button


def test_an_outsider_sees_the_offering_but_not_another_teams_journeys(
    as_user, outsider, other_team, clinic, journey
):
    OfferingJourneyFactory(offering=clinic, journey=journey)

    response = as_user(outsider).get(url("offering_detail", clinic.pk))

    assert response.status_code == 200
    assert "Fleet booking platform" not in page_text(response)
    assert "No journey of the accounts you look after" in page_text(response)


def test_a_missing_offering_is_a_404(as_user, owner):
    assert as_user(owner).get(url("offering_detail", 999)).status_code == 404


# --- publish and retire ---------------------------------------------------------------------------


def test_publishing_from_the_page(as_user, owner, clinic):
    response = as_user(owner).post(url("offering_publish", clinic.pk))

    assert response["Location"] == url("offering_detail", clinic.pk)
    clinic.refresh_from_db()
    assert clinic.status == OfferingStatus.PUBLISHED
    assert JourneyEvent.objects.filter(event_type="offering.published").count() == 1


def test_publishing_an_incomplete_offering_shows_why_and_changes_nothing(as_user, owner, workplace):
    offering = ServiceOfferingFactory(service=workplace, name="Bare")

    response = as_user(owner).post(url("offering_publish", offering.pk))

    assert response.status_code == 400
    assert "“Bare” cannot be published yet: it needs a component" in page_text(response)
    offering.refresh_from_db()
    assert offering.status == OfferingStatus.DRAFT
    assert not JourneyEvent.objects.exists()


def test_retiring_a_published_offering(as_user, teammate, clinic):
    as_user(teammate).post(url("offering_publish", clinic.pk))

    response = as_user(teammate).post(url("offering_retire", clinic.pk), follow=True)

    assert "“Clinic laptops” is retired." in page_text(response)
    clinic.refresh_from_db()
    assert clinic.status == OfferingStatus.RETIRED


def test_deleting_a_draft_goes_back_to_its_service(as_user, owner, clinic):
    response = as_user(owner).post(url("offering_delete", clinic.pk))

    assert response["Location"] == url("service_detail", clinic.service_id)
    assert not ServiceOffering.objects.exists()


@pytest.mark.parametrize(("persona", "status"), [("desk", 403), ("analyst", 403), ("integrator", 403)])
def test_read_only_roles_cannot_publish(request, as_user, clinic, persona, status):
    response = as_user(request.getfixturevalue(persona)).post(url("offering_publish", clinic.pk))

    assert response.status_code == status
    clinic.refresh_from_db()
    assert clinic.status == OfferingStatus.DRAFT


# --- components and tiers in place ----------------------------------------------------------------


def test_adding_a_component_with_htmx_answers_with_the_section(as_user, owner, clinic):
    response = as_user(owner).post(
        url("offering_component_add", clinic.pk),
        {"kind": "service_actions", "name": "Set-up on the ward"},
        **HX,
    )

    page = response.content.decode()
    assert response.status_code == 200 and "<html" not in page
    assert "“Set-up on the ward” added." in text_of(page)
    assert "Service actions (1) Set-up on the ward" in text_of(page)


def test_adding_a_component_without_htmx_redirects_to_the_section(as_user, owner, clinic):
    response = as_user(owner).post(
        url("offering_component_add", clinic.pk), {"kind": "goods", "name": "Docking station"}
    )

    assert response["Location"] == url("offering_detail", clinic.pk) + "#components"
    assert OfferingComponent.objects.filter(name="Docking station").exists()


def test_a_component_without_a_name_is_a_400_with_the_field_error(as_user, owner, clinic):
    response = as_user(owner).post(url("offering_component_add", clinic.pk), {"kind": "goods", "name": ""})

    assert response.status_code == 400
    assert "This field is required." in field_error(response, "id_component_name")
    assert OfferingComponent.objects.count() == 1


def test_the_same_refusal_comes_back_to_htmx_as_the_section_with_a_200(as_user, owner, clinic):
    response = as_user(owner).post(
        url("offering_component_add", clinic.pk), {"kind": "gifts", "name": "Mug"}, **HX
    )

    assert response.status_code == 200
    assert "Select a valid choice." in field_error(response, "id_component_kind")
    assert OfferingComponent.objects.count() == 1


def test_editing_a_component_in_place(as_user, owner, clinic):
    laptop = clinic.components.get()
    client = as_user(owner)

    opened = client.get(url("offering_component_edit", clinic.pk, laptop.pk), **HX)
    saved = client.post(
        url("offering_component_edit", clinic.pk, laptop.pk),
        {"kind": "goods", "name": "Laptop and dock"},
        **HX,
    )

    assert 'value="Rugged laptop"' in opened.content.decode() and "autofocus" in opened.content.decode()
    assert "Component saved." in page_text(saved)
    laptop.refresh_from_db()
    assert laptop.name == "Laptop and dock"


def test_removing_the_last_component_of_a_published_offering_is_refused(as_user, owner, clinic):
    as_user(owner).post(url("offering_publish", clinic.pk))
    laptop = clinic.components.get()

    response = as_user(owner).post(url("offering_component_remove", clinic.pk, laptop.pk))

    assert response.status_code == 400
    assert "is the last component of the published offering" in page_text(response)
    assert OfferingComponent.objects.filter(pk=laptop.pk).exists()


def test_tiers_are_added_moved_and_removed(as_user, owner, clinic):
    client = as_user(owner)
    client.post(url("engagement_tier_add", clinic.pk), {"name": "Self-service"})
    client.post(url("engagement_tier_add", clinic.pk), {"name": "Dedicated"})
    dedicated = EngagementTier.objects.get(name="Dedicated")

    moved = client.post(url("engagement_tier_move", clinic.pk, dedicated.pk), {"direction": "up"}, **HX)
    client.post(url("engagement_tier_remove", clinic.pk, dedicated.pk))

    assert re.search(r"Dedicated.*Self-service", page_text(moved))
    assert list(EngagementTier.objects.values_list("name", flat=True)) == ["Self-service"]


def test_a_duplicate_tier_name_is_a_field_error(as_user, owner, clinic):
    EngagementTierFactory(offering=clinic, name="Assisted")

    response = as_user(owner).post(url("engagement_tier_add", clinic.pk), {"name": "assisted"})

    assert response.status_code == 400
    assert "already has a tier called" in field_error(response, "id_tier_name")


def test_a_component_of_another_offering_is_not_found(as_user, owner, clinic):
    elsewhere = OfferingComponentFactory()

    response = as_user(owner).get(url("offering_component_edit", clinic.pk, elsewhere.pk))

    assert response.status_code == 404


# --- value propositions ---------------------------------------------------------------------------


def test_writing_a_proposition_for_an_uncovered_target(as_user, owner, clinic):
    nurse = PersonaFactory(name="Nurse Nadia")
    clinic.target_personas.add(nurse)
    client = as_user(owner)

    form = client.get(url("value_proposition_create", clinic.pk), {"persona": nurse.pk}).content.decode()
    response = client.post(url("value_proposition_create", clinic.pk), {"persona": nurse.pk, **STATEMENTS})

    assert f'<option value="{nurse.pk}" selected>' in form
    assert response["Location"] == url("offering_detail", clinic.pk) + "#propositions"
    assert ValueProposition.objects.filter(persona=nurse).exists()


def test_a_proposition_missing_its_statements_is_a_400_naming_them(as_user, owner, clinic, hospitals):
    response = as_user(owner).post(
        url("value_proposition_create", clinic.pk),
        {"segment": hospitals.pk, "target_decision_maker_role": "user"},
    )

    assert response.status_code == 400
    assert field_error(response, "id_how_it_solves_problems") == "This field is required."
    assert ValueProposition.objects.count() == 1


def test_the_targets_offered_are_the_offerings_own(as_user, owner, clinic):
    elsewhere = MarketSegmentFactory(name="Schools")

    response = as_user(owner).post(
        url("value_proposition_create", clinic.pk), {"segment": elsewhere.pk, **STATEMENTS}
    )

    assert response.status_code == 400
    assert "Select a valid choice." in field_error(response, "id_segment")


def test_editing_and_deleting_a_proposition(as_user, owner, clinic, hospitals):
    proposition = clinic.value_propositions.get()
    client = as_user(owner)

    client.post(
        url("value_proposition_edit", clinic.pk, proposition.pk),
        {"segment": hospitals.pk, **STATEMENTS, "headline": "Laptops by nine"},
    )
    proposition.refresh_from_db()
    client.post(url("value_proposition_delete", clinic.pk, proposition.pk))

    assert proposition.headline == "Laptops by nine"
    assert not ValueProposition.objects.exists()


# --- journeys -------------------------------------------------------------------------------------


def test_the_journey_type_ahead_lists_only_journeys_the_user_may_see(
    as_user, owner, clinic, journey, other_account
):
    JourneyFactory(organization=other_account, name="Fleet savings plan")

    response = as_user(owner).get(url("offering_journey_candidates", clinic.pk), {"q": "fleet"}, **HX)

    text = page_text(response)
    assert "<html" not in response.content.decode()
    assert "Fleet booking platform Rentwheel Car Hire" in text
    assert "Fleet savings plan" not in text


def test_the_type_ahead_without_htmx_goes_to_the_offering_page_with_the_search(
    as_user, owner, clinic, journey
):
    client = as_user(owner)

    response = client.get(url("offering_journey_candidates", clinic.pk), {"q": "fleet"})
    page = client.get(response["Location"])

    assert response["Location"] == url("offering_detail", clinic.pk) + "?q=fleet#journeys"
    assert "Link “Fleet booking platform” of Rentwheel Car Hire" in page.content.decode()


def test_linking_and_unlinking_a_journey(as_user, owner, clinic, journey):
    client = as_user(owner)

    linked = client.post(url("offering_journey_link", clinic.pk), {"journey": journey.pk, "q": "fleet"}, **HX)
    assert "Journey linked to the offering." in page_text(linked)
    assert OfferingJourney.objects.filter(offering=clinic, journey=journey).exists()

    unlinked = client.post(url("offering_journey_unlink", clinic.pk, journey.pk))
    assert unlinked["Location"] == url("offering_detail", clinic.pk) + "#journeys"
    assert not OfferingJourney.objects.exists()


def test_an_outsider_cannot_link_another_teams_journey(as_user, outsider, other_team, clinic, journey):
    response = as_user(outsider).post(url("offering_journey_link", clinic.pk), {"journey": journey.pk})

    assert response.status_code == 400
    assert "Choose a journey of one of the accounts you look after." in field_error(response, "id_journey")
    assert not OfferingJourney.objects.exists()


def test_an_outsider_cannot_unlink_another_teams_journey(as_user, outsider, other_team, clinic, journey):
    OfferingJourneyFactory(offering=clinic, journey=journey)

    response = as_user(outsider).post(url("offering_journey_unlink", clinic.pk, journey.pk))

    assert response.status_code == 404
    assert OfferingJourney.objects.count() == 1
