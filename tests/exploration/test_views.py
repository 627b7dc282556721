"""The Explore pages as a user sees them: the segment list, forms and detail with its members, and the
Pareto analysis with its measure switch, HTMX region and inline chart."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from exploration.models import MarketSegment, SegmentMembership
from tests.factories.exploration import MarketSegmentFactory
from tests.factories.journeys import OrganizationFactory, TouchpointFactory
from tests.factories.personas import JobToBeDoneFactory, PersonaFactory
from tests.helpers import HX, text_of

pytestmark = pytest.mark.django_db

SEGMENT_INPUT = {"name": "Benelux mobility", "approach": "characteristic_based", "basis": "geographic"}


def field_error(response, field: str) -> str:
    found = re.search(
        rf'<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', response.content.decode(), re.S
    )
    return text_of(found.group(1)) if found else ""


def url(name, *args):
    return reverse(f"exploration:{name}", args=args)


# --- segment list and forms -----------------------------------------------------------------------


def test_the_explore_step_page_links_to_the_tools(as_user, owner):
    page = as_user(owner).get(reverse("step_overview", args=["explore"])).content.decode()

    assert url("market_segment_list") in page
    assert url("pareto_analysis") in page


def test_other_step_pages_do_not_show_the_explore_tools(as_user, owner):
    page = as_user(owner).get(reverse("step_overview", args=["engage"])).content.decode()

    assert "Explore tools" not in page


def test_the_list_shows_segments_with_the_members_the_user_may_see(as_user, owner, account, other_account):
    MarketSegmentFactory(name="Benelux mobility", organizations=[account, other_account], is_distinct=True)

    response = as_user(owner).get(url("market_segment_list"))

    text = text_of(response.content.decode())
    assert "Benelux mobility Characteristic-based Geographic 1 1 of 3" in text
    assert url("market_segment_create") in response.content.decode()


def test_analysts_see_the_list_without_write_buttons(as_user, analyst):
    MarketSegmentFactory()

    page = as_user(analyst).get(url("market_segment_list")).content.decode()

    assert url("market_segment_create") not in page


def test_creating_a_segment_goes_to_its_page(as_user, owner):
    response = as_user(owner).post(url("market_segment_create"), SEGMENT_INPUT | {"is_homogeneous": "on"})

    segment = MarketSegment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("market_segment_detail", segment.pk)
    assert segment.is_homogeneous and segment.owner == owner


def test_a_characteristic_based_segment_without_basis_shows_the_error_under_basis(as_user, owner):
    response = as_user(owner).post(url("market_segment_create"), SEGMENT_INPUT | {"basis": ""})

    assert response.status_code == 400
    assert "needs its basis" in field_error(response, "basis")
    assert not MarketSegment.objects.exists()


def test_a_duplicate_name_shows_the_error_under_name(as_user, owner):
    MarketSegmentFactory(name="Benelux mobility")

    response = as_user(owner).post(url("market_segment_create"), SEGMENT_INPUT)

    assert response.status_code == 400
    assert "already called" in field_error(response, "name")
    assert MarketSegment.objects.count() == 1


def test_editing_a_segment_keeps_what_was_not_changed(as_user, owner):
    segment = MarketSegmentFactory(name="Old name", criteria="Head office in NL")

    form = as_user(owner).get(url("market_segment_edit", segment.pk)).content.decode()
    assert 'value="Old name"' in form
    response = as_user(owner).post(
        url("market_segment_edit", segment.pk),
        {"name": "New name", "approach": "need_based", "basis": "", "criteria": "Head office in NL"},
    )

    segment.refresh_from_db()
    assert response.status_code == 302
    assert (segment.name, segment.approach) == ("New name", "need_based")
    assert segment.criteria == "Head office in NL"


# --- segment detail and members -------------------------------------------------------------------


def test_the_detail_lists_visible_members_and_offers_a_search_for_others(
    as_user, owner, team, account, other_account
):
    segment = MarketSegmentFactory(name="Benelux mobility", organizations=[account, other_account])
    OrganizationFactory(name="Harbour Logistics", owner=owner, team=team)

    page = as_user(owner).get(url("market_segment_detail", segment.pk)).content.decode()

    assert "Rentwheel Car Hire" in page
    assert "Northbank Savings" not in page
    assert '<label for="candidate-search">Find a consumer organization to add</label>' in page
    assert "Harbour Logistics" not in page  # nothing is offered before the user types
    assert url("market_segment_member_remove", segment.pk, account.pk) in page


def test_analysts_see_members_but_no_forms(as_user, analyst, account):
    segment = MarketSegmentFactory(organizations=[account])

    page = as_user(analyst).get(url("market_segment_detail", segment.pk)).content.decode()

    assert "Rentwheel Car Hire" in page
    assert url("market_segment_member_add", segment.pk) not in page
    assert url("market_segment_delete", segment.pk) not in page


def test_adding_a_member(as_user, owner, account):
    segment = MarketSegmentFactory()

    response = as_user(owner).post(url("market_segment_member_add", segment.pk), {"organization": account.pk})

    assert response.status_code == 302
    assert list(segment.members.all()) == [account]


def test_adding_an_organization_one_may_not_see_is_a_field_error(as_user, owner, other_account):
    segment = MarketSegmentFactory()

    response = as_user(owner).post(
        url("market_segment_member_add", segment.pk), {"organization": other_account.pk}
    )

    assert response.status_code == 400
    assert field_error(response, "organization")
    assert not SegmentMembership.objects.exists()


def test_adding_without_choosing_is_a_field_error(as_user, owner):
    segment = MarketSegmentFactory()

    response = as_user(owner).post(url("market_segment_member_add", segment.pk), {"organization": ""})

    assert response.status_code == 400
    assert "Choose a consumer organization" in field_error(response, "organization")


def test_removing_a_member(as_user, owner, account):
    segment = MarketSegmentFactory(organizations=[account])

    response = as_user(owner).post(url("market_segment_member_remove", segment.pk, account.pk))

    assert response.status_code == 302
    assert not SegmentMembership.objects.exists()


def test_an_outsider_cannot_remove_a_member_they_may_not_see(as_user, outsider, account):
    segment = MarketSegmentFactory(organizations=[account])

    response = as_user(outsider).post(url("market_segment_member_remove", segment.pk, account.pk))

    assert response.status_code == 404
    assert SegmentMembership.objects.count() == 1


def test_deleting_a_segment(as_user, administrator, account):
    segment = MarketSegmentFactory(organizations=[account])

    response = as_user(administrator).post(url("market_segment_delete", segment.pk))

    assert response["Location"] == url("market_segment_list")
    assert not MarketSegment.objects.exists()


@pytest.mark.parametrize("persona", ["analyst", "desk"])
def test_readers_get_403_on_every_write(as_user, request, persona, account):
    segment = MarketSegmentFactory(organizations=[account])
    client = as_user(request.getfixturevalue(persona))

    answers = [
        client.post(url("market_segment_create"), SEGMENT_INPUT).status_code,
        client.post(url("market_segment_edit", segment.pk), SEGMENT_INPUT).status_code,
        client.post(url("market_segment_delete", segment.pk)).status_code,
        client.post(url("market_segment_member_add", segment.pk), {"organization": account.pk}).status_code,
        client.post(url("market_segment_member_remove", segment.pk, account.pk)).status_code,
    ]

    assert answers == [403] * 5
    assert MarketSegment.objects.get() == segment
    assert SegmentMembership.objects.count() == 1


def test_integrators_may_not_open_the_pages(as_user, integrator):
    segment = MarketSegmentFactory()
    client = as_user(integrator)

    assert client.get(url("market_segment_list")).status_code == 403
    assert client.get(url("market_segment_detail", segment.pk)).status_code == 403
    assert client.get(url("pareto_analysis")).status_code == 403
    assert client.post(url("market_segment_delete", segment.pk)).status_code == 403


def test_a_missing_segment_is_not_found(as_user, owner):
    assert as_user(owner).get(url("market_segment_detail", 999)).status_code == 404


def test_post_only_addresses_refuse_a_get(as_user, owner):
    segment = MarketSegmentFactory()

    assert as_user(owner).get(url("market_segment_delete", segment.pk)).status_code == 405


# --- Pareto analysis ------------------------------------------------------------------------------


@pytest.fixture
def revenues(owner, team):
    """500, 300, 150, 50 of 1,000: running shares 50 %, 80 %, 95 %, 100 % → the vital few are two."""
    return [
        OrganizationFactory(name=name, owner=owner, team=team, annual_revenue=Decimal(revenue))
        for name, revenue in [("Alpha", 500), ("Bravo", 300), ("Charlie", 150), ("Delta", 50)]
    ]


def test_the_pareto_page_shows_the_vital_few_the_chart_and_its_table(as_user, owner, revenues):
    response = as_user(owner).get(url("pareto_analysis"))

    page = response.content.decode()
    text = text_of(page)
    assert response.status_code == 200
    assert "2 of 4 organizations are the vital few" in text
    assert "50 % of the organizations" in text
    assert "1 Alpha 500 500 50.0 %" in text
    assert "2 Bravo 300 800 80.0 % Beyond the vital few 3 Charlie 150 950 95.0 %" in text
    svg = re.search(r"<svg .*?</svg>", page, re.S).group(0)
    assert 'role="img"' in svg
    assert '<title id="pareto-title">Pareto chart: Annual revenue</title>' in svg
    assert svg.count("<rect ") == 4
    assert svg.count('class="bar vital"') == 2
    assert "<polyline" in svg and 'class="threshold"' in svg


def test_the_measure_switch_swaps_only_the_result_for_htmx(as_user, owner, revenues):
    TouchpointFactory.create_batch(3, organization=revenues[3])
    TouchpointFactory.create_batch(1, organization=revenues[0])

    response = as_user(owner).get(url("pareto_analysis"), {"measure": "touchpoints"}, **HX)

    page = response.content.decode()
    assert "<html" not in page
    assert "hx-request" in response.headers["Vary"].lower()
    assert "last 30 days" in text_of(page)
    assert "1 Delta 3 3 75.0 %" in text_of(page)
    assert "Alpha, Bravo, Charlie" not in text_of(page)
    assert "2 organizations have no touchpoint in the last 30 days" in text_of(page)


def test_the_pareto_page_works_without_javascript(as_user, owner, revenues):
    response = as_user(owner).get(url("pareto_analysis"), {"measure": "touchpoints"})

    page = response.content.decode()
    assert "<html" in page
    assert 'value="touchpoints" checked' in page
    assert "nothing to rank yet" in text_of(page)


def test_the_segment_filter_narrows_the_analysis(as_user, owner, revenues):
    segment = MarketSegmentFactory(name="Small ones", organizations=revenues[2:])

    page = as_user(owner).get(url("pareto_analysis"), {"segment": segment.pk}).content.decode()

    assert "segment Small ones" in text_of(page)
    assert "Alpha" not in text_of(page)
    assert f'<option value="{segment.pk}" selected>Small ones</option>' in page


def test_unknown_settings_fall_back_to_revenue_for_everyone(as_user, owner, revenues):
    response = as_user(owner).get(url("pareto_analysis"), {"measure": "sentiment", "segment": "x"})

    assert response.status_code == 200
    assert "2 of 4 organizations" in text_of(response.content.decode())


def test_an_outsider_sees_only_their_own_consumers(as_user, outsider, revenues, other_account):
    other_account.annual_revenue = Decimal(10)
    other_account.save()

    text = text_of(as_user(outsider).get(url("pareto_analysis")).content.decode())

    assert "Northbank Savings" in text
    assert "Alpha" not in text


def test_the_chart_says_when_it_shows_only_the_top_fifty(as_user, analyst, owner):
    for index in range(55):
        OrganizationFactory(name=f"Consumer {index:02d}", owner=owner, annual_revenue=Decimal(100 + index))

    page = as_user(analyst).get(url("pareto_analysis")).content.decode()

    assert "shows the top 50 of 55 organizations" in text_of(page)
    svg = re.search(r"<svg .*?</svg>", page, re.S).group(0)
    assert svg.count("<rect ") == 50


@pytest.mark.parametrize("size", [2, 20])
def test_the_pareto_page_costs_the_same_queries_at_any_size(
    as_user, analyst, owner, size, django_assert_max_num_queries
):
    for index in range(size):
        OrganizationFactory(name=f"Consumer {index}", owner=owner, annual_revenue=Decimal(10 + index))
        MarketSegmentFactory(organizations=[OrganizationFactory(owner=owner)])
    client = as_user(analyst)

    with django_assert_max_num_queries(8):
        assert client.get(url("pareto_analysis")).status_code == 200


# --- the add-member type-ahead --------------------------------------------------------------------


@pytest.fixture
def harbours(owner, team):
    """Three consumers the owner looks after whose names contain "harbour", one that does not, and a
    provider (never a member candidate)."""
    made = [
        OrganizationFactory(name=name, owner=owner, team=team)
        for name in ("Harbour Logistics", "Old Harbour Ferries", "Northharbour Dental")
    ]
    OrganizationFactory(name="Seaview Hotels", owner=owner, team=team)
    OrganizationFactory(name="Harbour Provider Ltd", kind="provider", owner=owner, team=team)
    return made


def add_buttons(page: str) -> list[str]:
    return re.findall(r'<button type="submit" aria-label="Add (.*?) to this segment">Add</button>', page)


def test_the_segment_page_lists_the_matches_for_a_search_without_javascript(as_user, owner, harbours):
    segment = MarketSegmentFactory(organizations=[harbours[1]])

    page = as_user(owner).get(url("market_segment_detail", segment.pk), {"q": "HARBOUR"}).content.decode()

    assert add_buttons(page) == ["Harbour Logistics", "Northharbour Dental"]
    assert 'name="q" value="HARBOUR"' in page
    assert page.count(f'action="{url("market_segment_member_add", segment.pk)}"') == 2


def test_typing_fetches_only_the_matches_for_htmx(as_user, owner, harbours):
    segment = MarketSegmentFactory()

    response = as_user(owner).get(url("market_segment_candidates", segment.pk), {"q": "harb"}, **HX)

    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in page
    assert "hx-request" in response.headers["Vary"].lower()
    assert add_buttons(page) == ["Harbour Logistics", "Northharbour Dental", "Old Harbour Ferries"]
    assert "Seaview" not in page


def test_the_search_form_targets_the_fragment_and_falls_back_to_the_page(as_user, owner):
    segment = MarketSegmentFactory()

    page = as_user(owner).get(url("market_segment_detail", segment.pk)).content.decode()

    form = re.search(r'<form method="get"[^>]*role="search".*?</form>', page, re.S).group(0)
    assert f'action="{url("market_segment_detail", segment.pk)}"' in form
    assert f'hx-get="{url("market_segment_candidates", segment.pk)}"' in form
    assert 'hx-target="#candidates"' in form and "delay:300ms" in form
    assert '<label for="candidate-search">' in form and 'id="candidate-search" name="q"' in form


def test_the_fragment_address_without_htmx_sends_the_browser_to_the_page(as_user, owner):
    segment = MarketSegmentFactory()

    response = as_user(owner).get(url("market_segment_candidates", segment.pk), {"q": "harbour"})

    assert response.status_code == 302
    assert response["Location"] == url("market_segment_detail", segment.pk) + "?q=harbour"


def test_no_match_says_so(as_user, owner, harbours):
    segment = MarketSegmentFactory()

    page = (
        as_user(owner)
        .get(url("market_segment_candidates", segment.pk), {"q": "zebra"}, **HX)
        .content.decode()
    )

    assert "No consumer organization outside this segment matches “zebra”" in text_of(page)


def test_the_type_ahead_shows_ten_and_says_more_match(as_user, owner, team):
    for index in range(12):
        OrganizationFactory(name=f"Harbour {index:02d}", owner=owner, team=team)
    segment = MarketSegmentFactory()

    page = (
        as_user(owner)
        .get(url("market_segment_candidates", segment.pk), {"q": "harbour"}, **HX)
        .content.decode()
    )

    assert len(add_buttons(page)) == 10
    assert "More organizations match" in page


@pytest.mark.parametrize("size", [3, 30])
def test_the_type_ahead_costs_the_same_queries_at_any_size(
    as_user, owner, team, size, django_assert_num_queries
):
    for index in range(size):
        OrganizationFactory(name=f"Harbour {index:02d}", owner=owner, team=team)
    segment = MarketSegmentFactory()
    client = as_user(owner)

    with django_assert_num_queries(4):  # session, user with roles, the segment, the matches
        client.get(url("market_segment_candidates", segment.pk), {"q": "harbour"}, **HX)


def test_an_outsider_never_sees_another_teams_organizations_as_matches(as_user, outsider, harbours):
    segment = MarketSegmentFactory()

    page = (
        as_user(outsider)
        .get(url("market_segment_candidates", segment.pk), {"q": "harbour"}, **HX)
        .content.decode()
    )

    assert add_buttons(page) == []


def test_readers_may_not_search_for_candidates(as_user, analyst, harbours):
    segment = MarketSegmentFactory()

    response = as_user(analyst).get(url("market_segment_candidates", segment.pk), {"q": "harbour"}, **HX)

    assert response.status_code == 403


def test_adding_a_match_returns_to_the_same_search(as_user, owner, harbours):
    segment = MarketSegmentFactory()

    response = as_user(owner).post(
        url("market_segment_member_add", segment.pk), {"organization": harbours[0].pk, "q": "harbour"}
    )

    assert response["Location"] == url("market_segment_detail", segment.pk) + "?q=harbour"
    assert list(segment.members.all()) == [harbours[0]]
    page = as_user(owner).get(response["Location"]).content.decode()
    assert add_buttons(page) == ["Northharbour Dental", "Old Harbour Ferries"]


def test_adding_the_same_match_twice_is_harmless(as_user, owner, harbours):
    segment = MarketSegmentFactory()
    client = as_user(owner)

    for _ in range(2):
        assert (
            client.post(
                url("market_segment_member_add", segment.pk), {"organization": harbours[0].pk}
            ).status_code
            == 302
        )

    assert SegmentMembership.objects.count() == 1


@pytest.mark.parametrize("size", [2, 20])
def test_the_segment_page_costs_the_same_queries_at_any_size(
    as_user, owner, team, size, django_assert_num_queries
):
    segment = MarketSegmentFactory()
    for index in range(size):
        member = OrganizationFactory(name=f"Harbour member {index}", owner=owner, team=team)
        SegmentMembership.objects.create(segment=segment, organization=member)
        OrganizationFactory(name=f"Harbour candidate {index}", owner=owner, team=team)
        segment.personas.add(PersonaFactory())
        PersonaFactory()
        JobToBeDoneFactory(segment=segment)
    client = as_user(owner)

    # session, user, segment, members, personas, jobs, persona choices, matches
    with django_assert_num_queries(8):
        assert client.get(url("market_segment_detail", segment.pk), {"q": "harbour"}).status_code == 200
