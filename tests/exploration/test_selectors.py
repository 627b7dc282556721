"""Reads of Explore: segment lists and members scoped to what the user may see, and the Pareto (80/20)
analysis checked against figures worked out by hand."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.http import Http404
from django.utils import timezone

from exploration import selectors
from exploration.selectors import PARETO_ROW_LIMIT
from journeys.models import OrganizationKind
from tests.factories.exploration import MarketSegmentFactory
from tests.factories.journeys import OrganizationFactory, TouchpointFactory
from tests.factories.personas import PersonaFactory

pytestmark = pytest.mark.django_db


def consumer(name, revenue, **fields):
    return OrganizationFactory(
        name=name, annual_revenue=None if revenue is None else Decimal(revenue), **fields
    )


@pytest.fixture
def portfolio(owner, team, outsider, other_team):
    """Five of owner's consumers whose revenue sums to 1,000 (500, 200, 150, 100, 50), two without a
    revenue figure, a provider and an account of another team that the analysis must leave out.

    By hand: running totals 500, 700, 850, 950, 1,000 → 50 %, 70 %, 85 %, 95 %, 100 %. The first
    three are needed to reach 80 % (the third crosses it), so the vital few are 3 of 5 = 60 %,
    together 85 % of the revenue."""
    names = {}
    for name, revenue in [
        ("Echo Ferries", 50),
        ("Alpha Airlines", 500),
        ("Delta Depots", 100),
        ("Bravo Buses", 200),
        ("Charlie Cargo", 150),
        ("Foxtrot Freight", None),
        ("Golf Garages", 0),
    ]:
        names[name] = consumer(name, revenue, owner=owner, team=team)
    OrganizationFactory(name="Our own company", kind=OrganizationKind.PROVIDER, annual_revenue=10_000)
    consumer("Northbank Savings", 900, owner=outsider, team=other_team)
    return names


def names_of(rows):
    return [row.name for row in rows]


def test_pareto_by_revenue_matches_the_figures_worked_out_by_hand(owner, portfolio):
    analysis = selectors.pareto_analysis(user=owner, measure="revenue")

    assert names_of(analysis.rows) == [
        "Alpha Airlines",
        "Bravo Buses",
        "Charlie Cargo",
        "Delta Depots",
        "Echo Ferries",
    ]
    assert analysis.total == Decimal("1000.00")
    assert [row.value for row in analysis.rows] == [500, 200, 150, 100, 50]
    assert [row.cumulative for row in analysis.rows] == [500, 700, 850, 950, 1000]
    assert [round(row.cumulative_share, 6) for row in analysis.rows] == [50, 70, 85, 95, 100]
    assert [row.position for row in analysis.rows] == [1, 2, 3, 4, 5]
    assert analysis.vital_count == 3
    assert names_of(analysis.vital_few) == ["Alpha Airlines", "Bravo Buses", "Charlie Cargo"]
    assert analysis.organization_count == 5
    assert analysis.vital_share_of_organizations == 60
    assert analysis.vital_share_of_total == pytest.approx(85)


def test_organizations_without_a_value_are_listed_apart_and_not_counted(owner, portfolio):
    analysis = selectors.pareto_analysis(user=owner, measure="revenue")

    assert names_of(analysis.without_value) == ["Foxtrot Freight", "Golf Garages"]
    assert analysis.without_value_count == 2
    assert "Foxtrot Freight" not in names_of(analysis.vital_few)


def test_reaching_exactly_eighty_percent_closes_the_vital_few(owner, team):
    # Running shares 40 %, 80 %, 100 %: the second reaches 80 % exactly, so the third is not needed.
    for name, revenue in [("A", 400), ("B", 400), ("C", 200)]:
        consumer(name, revenue, owner=owner, team=team)

    analysis = selectors.pareto_analysis(user=owner)

    assert names_of(analysis.vital_few) == ["A", "B"]
    assert analysis.vital_share_of_organizations == pytest.approx(200 / 3)


def test_equal_values_each_take_their_own_step_in_name_order(owner, team):
    for name in ("Beta", "Alpha", "Gamma", "Delta"):
        consumer(name, 100, owner=owner, team=team)

    analysis = selectors.pareto_analysis(user=owner)

    assert names_of(analysis.rows) == ["Alpha", "Beta", "Delta", "Gamma"]
    assert [row.cumulative for row in analysis.rows] == [100, 200, 300, 400]
    # 0 %, 25 %, 50 %, 75 % before each: all four are needed to reach 80 %.
    assert analysis.vital_count == 4


def test_one_dominant_consumer_is_the_vital_few_alone(owner, team):
    consumer("Giant", 9_000, owner=owner, team=team)
    consumer("Small", 1_000, owner=owner, team=team)

    analysis = selectors.pareto_analysis(user=owner)

    assert names_of(analysis.vital_few) == ["Giant"]
    assert analysis.vital_share_of_organizations == 50


def test_pareto_by_touchpoints_counts_the_last_thirty_days(owner, team):
    busy = consumer("Busy", None, owner=owner, team=team)
    steady = consumer("Steady", None, owner=owner, team=team)
    quiet = consumer("Quiet", None, owner=owner, team=team)
    consumer("Silent", None, owner=owner, team=team)
    for organization, count in ((busy, 6), (steady, 3), (quiet, 1)):
        TouchpointFactory.create_batch(count, organization=organization)
    # Older than the window: not part of the volume.
    TouchpointFactory.create_batch(5, organization=quiet, occurred_at=timezone.now() - timedelta(days=45))

    analysis = selectors.pareto_analysis(user=owner, measure="touchpoints")

    # Running totals 6, 9, 10 of 10 → 60 %, 90 %, 100 %: two of three are the vital few.
    assert names_of(analysis.rows) == ["Busy", "Steady", "Quiet"]
    assert [row.value for row in analysis.rows] == [6, 3, 1]
    assert [round(row.cumulative_share, 6) for row in analysis.rows] == [60, 90, 100]
    assert analysis.total == 10
    assert analysis.vital_count == 2
    assert names_of(analysis.without_value) == ["Silent"]


def test_pareto_of_one_segment_covers_only_its_members(owner, portfolio):
    segment = MarketSegmentFactory(
        organizations=[portfolio["Bravo Buses"], portfolio["Delta Depots"], portfolio["Golf Garages"]]
    )

    analysis = selectors.pareto_analysis(user=owner, segment=segment)

    # 200 and 100 of 300: 66.7 % then 100 %, so both are needed.
    assert names_of(analysis.rows) == ["Bravo Buses", "Delta Depots"]
    assert analysis.total == Decimal("300.00")
    assert analysis.vital_count == 2
    assert names_of(analysis.without_value) == ["Golf Garages"]


def test_pareto_sees_only_what_the_user_may_see(owner, outsider, analyst, portfolio):
    assert "Northbank Savings" not in names_of(selectors.pareto_analysis(user=owner).rows)
    assert names_of(selectors.pareto_analysis(user=outsider).rows) == ["Northbank Savings"]
    assert len(selectors.pareto_analysis(user=analyst).rows) == 6


def test_an_empty_portfolio_gives_an_empty_analysis(owner):
    analysis = selectors.pareto_analysis(user=owner, measure="touchpoints")

    assert analysis.rows == []
    assert analysis.total == 0
    assert analysis.vital_count == 0
    assert analysis.vital_share_of_organizations is None
    assert analysis.vital_share_of_total is None


def test_an_unknown_measure_is_refused(owner):
    with pytest.raises(ValueError, match="measure"):
        selectors.pareto_analysis(user=owner, measure="sentiment")


def test_rows_are_loaded_up_to_the_chart_limit_or_the_vital_few(analyst, owner):
    for index in range(PARETO_ROW_LIMIT + 10):
        consumer(f"Consumer {index:03d}", 100, owner=owner)

    analysis = selectors.pareto_analysis(user=analyst)

    # Equal revenue: 80 % needs 48 of 60 organizations, fewer than the 50 shown in the chart.
    assert analysis.vital_count == 48
    assert len(analysis.rows) == PARETO_ROW_LIMIT
    assert analysis.chart_is_cut
    assert analysis.organization_count == PARETO_ROW_LIMIT + 10


@pytest.mark.parametrize("size", [3, 30])
def test_pareto_runs_a_constant_number_of_queries(analyst, owner, size, django_assert_num_queries):
    for index in range(size):
        consumer(f"Consumer {index}", 100 + index, owner=owner)
    consumer("Without revenue", None, owner=owner)
    analyst = type(analyst).objects.get(pk=analyst.pk)
    selectors.pareto_analysis(user=analyst)  # load the roles once, as a request does

    with django_assert_num_queries(4):
        selectors.pareto_analysis(user=analyst, measure="revenue")


# --- segments -------------------------------------------------------------------------------------


def test_segment_list_counts_only_members_the_user_may_see(owner, outsider, analyst, account, other_account):
    MarketSegmentFactory(name="Benelux mobility", organizations=[account, other_account])

    [for_owner] = selectors.market_segment_list(user=owner)
    [for_outsider] = selectors.market_segment_list(user=outsider)
    [for_analyst] = selectors.market_segment_list(user=analyst)

    assert (for_owner.member_count, for_outsider.member_count, for_analyst.member_count) == (1, 1, 2)


@pytest.mark.parametrize("size", [1, 10])
def test_segment_list_runs_one_query(analyst, size, django_assert_num_queries):
    for _ in range(size):
        MarketSegmentFactory(organizations=[OrganizationFactory(), OrganizationFactory()])
    selectors.market_segment_list(user=analyst).count()  # load the roles once

    with django_assert_num_queries(1):
        segments = list(selectors.market_segment_list(user=analyst))

    assert [segment.member_count for segment in segments] == [2] * size


def test_members_leave_out_organizations_the_user_may_not_see(owner, account, other_account):
    segment = MarketSegmentFactory(organizations=[account, other_account])

    members = selectors.market_segment_members(user=owner, segment=segment)

    assert [membership.organization.name for membership in members] == ["Rentwheel Car Hire"]


def test_candidates_are_visible_consumers_not_yet_members(owner, team, account, other_account):
    segment = MarketSegmentFactory(organizations=[account])
    new = consumer("Harbour Logistics", 10, owner=owner, team=team)
    OrganizationFactory(name="A partner", kind=OrganizationKind.PARTNER, owner=owner)

    candidates = selectors.market_segment_candidates(user=owner, segment=segment)

    assert list(candidates) == [new]


def test_getting_a_missing_segment_is_not_found(owner):
    with pytest.raises(Http404):
        selectors.market_segment_get(user=owner, pk=999)


# --- the add-member type-ahead and the personas of a segment ------------------------------------------


def test_candidates_match_part_of_the_name_whatever_the_case(owner, team, account, other_account):
    segment = MarketSegmentFactory()
    harbour = consumer("Harbour Logistics", 10, owner=owner, team=team)
    consumer("Northbank Harbour Bank", 10)  # nobody's: the owner may not see it
    consumer("Seaview Hotels", 10, owner=owner, team=team)

    matches = selectors.market_segment_candidates(user=owner, segment=segment, query="  HARBOUR ")

    assert list(matches) == [harbour]
    assert selectors.market_segment_candidates(user=owner, segment=segment, query="northbank").count() == 0


@pytest.mark.parametrize("size", [3, 30])
def test_the_type_ahead_costs_one_query_at_any_size(owner, team, size, django_assert_num_queries):
    segment = MarketSegmentFactory()
    for index in range(size):
        consumer(f"Harbour {index:02d}", 10, owner=owner, team=team)
    selectors.market_segment_candidates(user=owner, segment=segment).exists()  # load the roles once

    with django_assert_num_queries(1):
        matches = list(selectors.market_segment_candidates(user=owner, segment=segment, query="harb")[:10])

    assert len(matches) == min(size, 10)


def test_a_member_candidate_is_found_only_among_visible_organizations(owner, account, other_account):
    assert selectors.market_segment_member_candidate(user=owner, pk=account.pk) == account
    assert selectors.market_segment_member_candidate(user=owner, pk=other_account.pk) is None
    assert selectors.market_segment_member_candidate(user=owner, pk=None) is None


def test_a_segment_lists_its_personas_and_offers_the_others(analyst):
    segment = MarketSegmentFactory()
    orla, femi, ana = (PersonaFactory(name=name) for name in ("Orla", "Femi", "Ana"))
    segment.personas.add(orla, femi)

    assert list(selectors.market_segment_personas(user=analyst, segment=segment)) == [femi, orla]
    assert list(selectors.market_segment_persona_candidates(user=analyst, segment=segment)) == [ana]


def test_the_segment_list_for_the_api_carries_persona_ids_in_two_queries(analyst, django_assert_num_queries):
    persona = PersonaFactory()
    for segment in MarketSegmentFactory.create_batch(3):
        segment.personas.add(persona)
    selectors.market_segment_list(user=analyst).exists()

    with django_assert_num_queries(2):
        segments = list(selectors.market_segment_list_with_personas(user=analyst))
        assert [[p.pk for p in segment.personas.all()] for segment in segments] == [[persona.pk]] * 3
