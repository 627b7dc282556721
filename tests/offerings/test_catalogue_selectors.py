"""The catalogue's reads: services with their counts, the filtered catalogue and its status counts in a
constant number of queries, one offering's page with what publishing still needs, and the journeys an
offering concerns as far as the user may see them."""

import pytest
from django.http import Http404

from journeys.roles import roles_of
from offerings import selectors
from offerings.models import OfferingStatus
from tests.factories.exploration import MarketSegmentFactory
from tests.factories.journeys import JourneyFactory, OrganizationFactory
from tests.factories.offerings import (
    EngagementTierFactory,
    OfferingComponentFactory,
    OfferingJourneyFactory,
    OnboardingPlaybookFactory,
    PlaybookActionFactory,
    ServiceFactory,
    ServiceOfferingFactory,
    ValuePropositionFactory,
)
from tests.factories.personas import PersonaFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def hospitals():
    return MarketSegmentFactory(name="Hospitals")


def names(offerings):
    return [offering["name"] if isinstance(offering, dict) else offering.name for offering in offerings]


# --- services -------------------------------------------------------------------------------------


def test_the_catalogues_service_choices_carry_the_same_counts(analyst):
    service = ServiceFactory(name="Hosting")
    ServiceOfferingFactory(service=service, status=OfferingStatus.RETIRED)

    assert list(selectors.service_choices(user=analyst)) == [
        {"pk": service.pk, "name": "Hosting", "published_count": 0, "draft_count": 0, "retired_count": 1}
    ]


def test_services_come_by_name_with_their_offerings_counted_by_status(analyst):
    hosting = ServiceFactory(name="Hosting")
    workplace = ServiceFactory(name="Managed workplace")
    ServiceOfferingFactory(service=workplace, status=OfferingStatus.PUBLISHED)
    ServiceOfferingFactory(service=workplace, status=OfferingStatus.PUBLISHED)
    ServiceOfferingFactory(service=workplace)
    ServiceOfferingFactory(service=workplace, status=OfferingStatus.RETIRED)

    rows = list(selectors.service_list(user=analyst))

    assert [service.name for service in rows] == ["Hosting", "Managed workplace"]
    assert (rows[0].offering_count, rows[1].offering_count) == (0, 4)
    assert (rows[1].published_count, rows[1].draft_count, rows[1].retired_count) == (2, 1, 1)
    assert hosting.pk


def test_a_user_without_a_role_sees_no_catalogue(django_user_model):
    nobody = django_user_model.objects.create_user("nobody")
    ServiceOfferingFactory()

    assert not selectors.service_list(user=nobody).exists()
    assert not selectors.offering_catalogue(user=nobody, status="all").exists()
    with pytest.raises(Http404):
        selectors.offering_get(user=nobody, pk=ServiceOfferingFactory().pk)


def test_a_services_offerings_come_published_first_then_drafts_then_retired(owner):
    service = ServiceFactory()
    ServiceOfferingFactory(service=service, name="A retired", status=OfferingStatus.RETIRED)
    ServiceOfferingFactory(service=service, name="B draft")
    ServiceOfferingFactory(service=service, name="C published", status=OfferingStatus.PUBLISHED)

    assert names(selectors.service_offerings(user=owner, service=service)) == [
        "C published",
        "B draft",
        "A retired",
    ]


# --- the catalogue --------------------------------------------------------------------------------


def test_the_default_status_depends_on_whether_the_user_shapes_the_catalogue(
    owner, administrator, desk, analyst
):
    assert [selectors.catalogue_default_status(user) for user in (owner, administrator, desk, analyst)] == [
        "current",
        "current",
        "published",
        "published",
    ]


def test_the_catalogue_keeps_the_chosen_statuses_by_service_then_name(owner):
    hosting, workplace = ServiceFactory(name="Hosting"), ServiceFactory(name="Workplace")
    ServiceOfferingFactory(service=workplace, name="Laptops", status=OfferingStatus.PUBLISHED)
    ServiceOfferingFactory(service=hosting, name="Racks")
    ServiceOfferingFactory(service=hosting, name="Mainframe", status=OfferingStatus.RETIRED)

    def shown(status):
        return names(selectors.offering_catalogue(user=owner, status=status))

    assert shown("current") == ["Racks", "Laptops"]
    assert shown("published") == ["Laptops"]
    assert shown("retired") == ["Mainframe"]
    assert shown("all") == ["Mainframe", "Racks", "Laptops"]


def test_the_catalogue_filters_combine(owner, hospitals):
    nurse = PersonaFactory(name="Nurse Nadia")
    both = ServiceOfferingFactory(name="Ward laptops", target_segments=[hospitals], target_personas=[nurse])
    ServiceOfferingFactory(name="Clinic laptops", target_segments=[hospitals])
    ServiceOfferingFactory(name="Nurse tablets", target_personas=[nurse])

    chosen = selectors.offering_catalogue(user=owner, segment=hospitals, persona=nurse, query="laptop")

    assert names(chosen) == ["Ward laptops"]
    assert names(selectors.offering_catalogue(user=owner, service=both.service)) == ["Ward laptops"]


def test_the_text_search_reads_names_summaries_services_and_components(owner):
    ServiceOfferingFactory(name="Alpha", summary="Quiet rooms")
    ServiceOfferingFactory(name="Beta", service__name="Conference services")
    gamma = ServiceOfferingFactory(name="Gamma")
    OfferingComponentFactory(offering=gamma, name="Projector")
    OfferingComponentFactory(offering=gamma, name="Projector screen")

    def found(query):
        return names(selectors.offering_catalogue(user=owner, query=query))

    assert (found("quiet"), found("CONFERENCE"), found("projector")) == (["Alpha"], ["Beta"], ["Gamma"])


def test_each_offering_carries_its_figures(owner, team, hospitals):
    offering = ServiceOfferingFactory(target_segments=[hospitals])
    OfferingComponentFactory(offering=offering)
    OfferingComponentFactory(offering=offering)
    EngagementTierFactory(offering=offering)
    ValuePropositionFactory(offering=offering, segment=hospitals)
    PlaybookActionFactory(playbook=OnboardingPlaybookFactory(offering=offering))
    OfferingJourneyFactory(offering=offering, journey=JourneyFactory(organization__owner=owner))
    OfferingJourneyFactory(offering=offering, journey=JourneyFactory(organization=OrganizationFactory()))

    [row] = selectors.offering_catalogue(user=owner)

    assert (row["component_count"], row["proposition_count"]) == (2, 1)
    assert (row["service__name"], row["status"]) == (offering.service.name, "draft")
    assert selectors.split_names(row["segment_names"]) == ["Hospitals"]
    assert selectors.split_names(row["persona_names"]) == []


def test_target_names_come_sorted_whatever_the_case(owner):
    ServiceOfferingFactory(
        target_segments=[MarketSegmentFactory(name="ports"), MarketSegmentFactory(name="Airports")],
        target_personas=[PersonaFactory(name="Zoe"), PersonaFactory(name="ana")],
    )

    [row] = selectors.offering_catalogue(user=owner)

    assert selectors.split_names(row["segment_names"]) == ["Airports", "ports"]
    assert selectors.split_names(row["persona_names"]) == ["ana", "Zoe"]


@pytest.mark.parametrize("size", [2, 25])
def test_the_catalogue_costs_one_query_at_any_size(owner, size, hospitals, django_assert_num_queries):
    persona = PersonaFactory()
    for _ in range(size):
        offering = ServiceOfferingFactory(target_segments=[hospitals], target_personas=[persona])
        OfferingComponentFactory(offering=offering)
    roles_of(owner)  # load the roles once, as a request does

    with django_assert_num_queries(1):  # offerings with their service, figures and target names
        rows = list(selectors.offering_catalogue(user=owner))
    assert all(row["segment_names"] and row["persona_names"] for row in rows)
    assert len(rows) == size


def test_status_counts_follow_the_other_filters_in_one_query(owner, hospitals, django_assert_num_queries):
    ServiceOfferingFactory(target_segments=[hospitals], status=OfferingStatus.PUBLISHED)
    ServiceOfferingFactory(target_segments=[hospitals])
    ServiceOfferingFactory(status=OfferingStatus.RETIRED)
    roles_of(owner)

    with django_assert_num_queries(1):
        counts = selectors.catalogue_status_counts(user=owner, segment=hospitals)

    assert counts == {"current": 2, "published": 1, "draft": 1, "retired": 0, "all": 2}


# --- one offering ---------------------------------------------------------------------------------


def test_the_offering_page_groups_components_and_names_uncovered_targets(owner, hospitals):
    nurse = PersonaFactory(name="Nurse Nadia")
    schools = MarketSegmentFactory(name="Schools")
    offering = ServiceOfferingFactory(target_segments=[hospitals, schools], target_personas=[nurse])
    OfferingComponentFactory(offering=offering, kind="service_actions", name="Set-up")
    OfferingComponentFactory(offering=offering, kind="goods", name="Laptop")
    ValuePropositionFactory(offering=offering, segment=hospitals, persona=None)

    page = selectors.offering_page(user=owner, offering=offering)

    assert [(group.label, [c.name for c in group.components]) for group in page.component_groups] == [
        ("Goods", ["Laptop"]),
        ("Access to resources", []),
        ("Service actions", ["Set-up"]),
    ]
    assert page.segments_without_proposition == [schools]
    assert page.personas_without_proposition == [nurse]
    assert page.gaps == [] and page.ready_to_publish


def test_the_offering_page_says_what_publishing_still_needs(owner, django_assert_num_queries):
    offering = ServiceOfferingFactory(summary="")
    roles_of(owner)

    with django_assert_num_queries(6):  # components, segments, personas, propositions, playbooks, tiers
        page = selectors.offering_page(user=owner, offering=offering)

    assert [field for field, _ in page.gaps] == [
        "summary",
        "components",
        "target_segments",
        "value_propositions",
    ]


def test_publication_gaps_are_named_in_order():
    assert selectors.publication_gaps(
        summary=" ", component_count=1, target_count=0, proposition_count=2
    ) == [
        ("summary", "a summary for the catalogue"),
        ("target_segments", "a target segment or persona"),
    ]


def test_a_part_of_another_offering_is_not_found(owner):
    offering = ServiceOfferingFactory()
    elsewhere = OfferingComponentFactory()
    tier = EngagementTierFactory()

    with pytest.raises(Http404):
        selectors.offering_component_get(user=owner, pk=elsewhere.pk, offering=offering)
    with pytest.raises(Http404):
        selectors.engagement_tier_get(user=owner, pk=tier.pk, offering=offering)
    assert selectors.engagement_tier_get(user=owner, pk=tier.pk) == tier


# --- journeys -------------------------------------------------------------------------------------


def test_journeys_for_an_offering_are_those_the_user_may_see(
    owner, teammate, outsider, other_team, journey, other_account
):
    offering = ServiceOfferingFactory()
    hidden = JourneyFactory(organization=other_account)
    OfferingJourneyFactory(offering=offering, journey=journey)
    OfferingJourneyFactory(offering=offering, journey=hidden)

    assert list(selectors.journeys_for_offering(user=teammate, offering=offering)) == [journey]
    assert list(selectors.journeys_for_offering(user=outsider, offering=offering)) == [hidden]
    assert sorted(selectors.offering_linked_journey_ids(offering=offering)) == sorted([journey.pk, hidden.pk])


def test_offerings_for_a_journey_come_by_service_and_name(owner, outsider, other_team, journey):
    first = ServiceOfferingFactory(service__name="A service", name="Zeta")
    second = ServiceOfferingFactory(service__name="B service", name="Alpha")
    OfferingJourneyFactory(offering=second, journey=journey)
    OfferingJourneyFactory(offering=first, journey=journey)

    assert list(selectors.offerings_for_journey(user=owner, journey=journey)) == [first, second]
    assert not selectors.offerings_for_journey(user=outsider, journey=journey).exists()


def test_journey_candidates_are_the_users_unlinked_journeys_matching_the_text(owner, journey, other_account):
    offering = ServiceOfferingFactory()
    linked = JourneyFactory(organization=journey.organization, name="Fleet renewal")
    OfferingJourneyFactory(offering=offering, journey=linked)
    JourneyFactory(organization=other_account, name="Fleet savings")

    found = selectors.offering_journey_candidates(user=owner, offering=offering, query="fleet")

    assert list(found) == [journey]
    assert list(selectors.offering_journey_candidates(user=owner, offering=offering, query="rentwheel")) == [
        journey
    ]
    assert selectors.offering_journey_candidate(user=owner, pk=linked.pk) == linked
    assert selectors.offering_journey_candidate(user=owner, pk=other_account.journeys.get().pk) is None


def test_journey_links_list_only_visible_journeys(owner, journey, other_account, django_assert_num_queries):
    offering = ServiceOfferingFactory()
    OfferingJourneyFactory(offering=offering, journey=journey)
    OfferingJourneyFactory(offering=offering, journey=JourneyFactory(organization=other_account))
    roles_of(owner)

    with django_assert_num_queries(1):
        links = list(selectors.offering_journey_links(user=owner, offering=offering))

    assert [(link.journey.name, link.journey.organization.name) for link in links] == [
        ("Fleet booking platform", "Rentwheel Car Hire")
    ]


def test_an_accounts_offerings_come_with_the_journeys_they_concern(
    owner, outsider, other_team, account, journey
):
    renewal = JourneyFactory(organization=account, name="Fleet renewal")
    laptops = ServiceOfferingFactory(name="Laptops")
    tablets = ServiceOfferingFactory(name="Tablets")
    OfferingJourneyFactory(offering=tablets, journey=journey)
    OfferingJourneyFactory(offering=laptops, journey=renewal)
    OfferingJourneyFactory(offering=laptops, journey=JourneyFactory())  # another account's
    roles_of(owner)

    links = list(selectors.offerings_for_organization(user=owner, organization=account))

    assert [(link.offering.name, link.journey.name) for link in links] == [
        ("Laptops", "Fleet renewal"),
        ("Tablets", "Fleet booking platform"),
    ]
    assert not selectors.offerings_for_organization(user=outsider, organization=account).exists()
