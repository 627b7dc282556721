"""Reads of SWOT and PESTLE analyses: who sees what, the figures the database computes (the SWOT balance
with hand-checked sums, PESTLE scores) and constant query counts."""

import datetime

import pytest
from django.http import Http404

from exploration import selectors
from tests.factories.analyses import (
    PestleAnalysisFactory,
    PestleFactorFactory,
    SwotAnalysisFactory,
    SwotItemFactory,
)
from tests.factories.exploration import MarketSegmentFactory
from tests.factories.journeys import OrganizationFactory

pytestmark = pytest.mark.django_db


def board_with(*items, analysis=None):
    """A SWOT analysis holding (quadrant, weight) items."""
    analysis = analysis or SwotAnalysisFactory()
    for quadrant, weight in items:
        SwotItemFactory(analysis=analysis, quadrant=quadrant, weight=weight)
    return analysis


def fresh(user):
    """The user as a request loads it, with roles read once, so query counts measure the selector."""
    user = type(user).objects.get(pk=user.pk)
    selectors.analysis_list(user=user)
    return user


# --- the balance check ----------------------------------------------------------------------------


def test_more_weaknesses_than_strengths_trigger_the_count_rule():
    # Strengths: 2 items weighing 5 + 5 = 10. Weaknesses: 3 items weighing 1 + 1 + 1 = 3.
    analysis = board_with(("strength", 5), ("strength", 5), ("weakness", 1), ("weakness", 1), ("weakness", 1))

    balance = selectors.swot_balance(analysis=analysis)

    assert balance.counts == {"strength": 2, "weakness": 3, "opportunity": 0, "threat": 0}
    assert balance.weights == {"strength": 10, "weakness": 3, "opportunity": 0, "threat": 0}
    assert balance.needs_bridging
    assert balance.triggered_by == ["count"]
    assert "outnumber strengths (3 weaknesses against 2 strengths)" in balance.message
    assert "improving our services or by obtaining services" in balance.message


def test_heavier_weaknesses_trigger_the_weight_rule():
    # Strengths: 3 items weighing 1 + 1 + 1 = 3. Weaknesses: 2 items weighing 4 + 2 = 6.
    analysis = board_with(("strength", 1), ("strength", 1), ("strength", 1), ("weakness", 4), ("weakness", 2))

    balance = selectors.swot_balance(analysis=analysis)

    assert (balance.counts["weakness"], balance.weights["weakness"]) == (2, 6)
    assert (balance.counts["strength"], balance.weights["strength"]) == (3, 3)
    assert balance.triggered_by == ["weight"]
    assert "outweigh strengths (a weight of 6 against 3)" in balance.message


def test_weaknesses_ahead_on_both_rules_name_both():
    analysis = board_with(("strength", 2), ("weakness", 3), ("weakness", 1))

    balance = selectors.swot_balance(analysis=analysis)

    assert balance.triggered_by == ["count", "weight"]
    assert "outnumber and outweigh" in balance.message


def test_a_tie_and_outside_items_do_not_raise_the_flag():
    # 2 against 2 items, 4 against 4 in weight; opportunities and threats are not part of the check.
    analysis = board_with(
        ("strength", 3), ("strength", 1), ("weakness", 2), ("weakness", 2), ("threat", 5), ("threat", 5)
    )

    balance = selectors.swot_balance(analysis=analysis)

    assert not balance.needs_bridging
    assert balance.triggered_by == []
    assert balance.message == ""
    assert balance.weights["threat"] == 10


def test_an_empty_board_is_balanced():
    balance = selectors.swot_balance(analysis=SwotAnalysisFactory())

    assert balance.counts == dict.fromkeys(["strength", "weakness", "opportunity", "threat"], 0)
    assert not balance.needs_bridging


@pytest.mark.parametrize("size", [2, 20])
def test_the_balance_takes_one_query(size, django_assert_num_queries):
    analysis = board_with(*[("weakness", 2)] * size, ("strength", 1))

    with django_assert_num_queries(1):
        balance = selectors.swot_balance(analysis=analysis)

    assert balance.weights["weakness"] == 2 * size


# --- lists and visibility -------------------------------------------------------------------------


def test_the_list_shows_shared_analyses_to_all_and_account_analyses_to_their_team(
    owner, teammate, outsider, other_team, desk, analyst, account
):
    segment = MarketSegmentFactory()
    ours = SwotAnalysisFactory(title="Ours")
    of_segment = PestleAnalysisFactory(title="Segment", segment=segment)
    of_account = SwotAnalysisFactory(title="Account", organization=account)

    for persona in (owner, teammate, desk, analyst):
        seen = selectors.analysis_list(user=persona)
        assert set(seen.swot_analyses) == {ours, of_account}
        assert seen.pestle_analyses == [of_segment]
    seen = selectors.analysis_list(user=outsider)
    assert seen.swot_analyses == [ours]
    assert seen.pestle_analyses == [of_segment]


def test_the_list_carries_figures_and_the_balance_flag(owner):
    flagged = board_with(("weakness", 1), ("weakness", 1), ("strength", 4), ("opportunity", 2))
    pestle = PestleAnalysisFactory()
    PestleFactorFactory(analysis=pestle, effect="opportunity")
    PestleFactorFactory(analysis=pestle, effect="threat")
    PestleFactorFactory(analysis=pestle, effect="threat")

    seen = selectors.analysis_list(user=owner)

    [swot] = seen.swot_analyses
    assert swot == flagged
    assert (swot.item_count, swot.strength_count, swot.weakness_count, swot.opportunity_count) == (4, 1, 2, 1)
    assert (swot.strength_weight, swot.weakness_weight) == (4, 2)
    assert swot.needs_bridging  # by count: 2 weaknesses against 1 strength
    [row] = seen.pestle_analyses
    assert (row.factor_count, row.opportunity_count, row.threat_count) == (3, 1, 2)


def test_the_list_filters_by_subject_organization_and_segment(owner, account):
    segment = MarketSegmentFactory()
    ours = SwotAnalysisFactory()
    of_account = SwotAnalysisFactory(organization=account)
    of_segment = SwotAnalysisFactory(segment=segment)

    assert selectors.analysis_list(user=owner, subject="provider").swot_analyses == [ours]
    assert selectors.analysis_list(user=owner, organization=account).swot_analyses == [of_account]
    assert selectors.analysis_list(user=owner, segment=segment.pk).swot_analyses == [of_segment]


def test_the_list_is_newest_first(owner):
    older = SwotAnalysisFactory(analysed_on=datetime.date(2026, 1, 5))
    newer = SwotAnalysisFactory(analysed_on=datetime.date(2026, 3, 5))

    assert selectors.analysis_list(user=owner).swot_analyses == [newer, older]


@pytest.mark.parametrize("size", [1, 8])
def test_the_list_runs_two_queries_whatever_its_size(owner, account, size, django_assert_num_queries):
    for _ in range(size):
        board_with(("strength", 2), ("weakness", 3), analysis=SwotAnalysisFactory(organization=account))
        PestleFactorFactory(analysis=PestleAnalysisFactory(segment=MarketSegmentFactory()))
    owner = fresh(owner)

    with django_assert_num_queries(2):
        seen = selectors.analysis_list(user=owner)
        labels = [analysis.subject_label for analysis in seen.swot_analyses + seen.pestle_analyses]

    assert len(labels) == 2 * size


def test_an_outsider_gets_404_for_an_account_analysis_and_its_items(outsider, other_team, account):
    analysis = SwotAnalysisFactory(organization=account)
    item = SwotItemFactory(analysis=analysis)
    factor = PestleFactorFactory(analysis=PestleAnalysisFactory(organization=account))

    with pytest.raises(Http404):
        selectors.swot_analysis_get(user=outsider, pk=analysis.pk)
    with pytest.raises(Http404):
        selectors.swot_item_get(user=outsider, pk=item.pk)
    with pytest.raises(Http404):
        selectors.pestle_factor_get(user=outsider, pk=factor.pk)


def test_an_item_is_found_only_under_its_own_analysis(owner):
    item = SwotItemFactory()

    with pytest.raises(Http404):
        selectors.swot_item_get(user=owner, pk=item.pk, analysis=SwotAnalysisFactory())


# --- boards ---------------------------------------------------------------------------------------


def test_the_swot_board_groups_items_with_the_default_handling(owner):
    analysis = SwotAnalysisFactory()
    light = SwotItemFactory(analysis=analysis, quadrant="strength", weight=1, text="Light")
    heavy = SwotItemFactory(analysis=analysis, quadrant="strength", weight=5, text="Heavy")
    threat = SwotItemFactory(analysis=analysis, quadrant="threat", weight=2)

    board = selectors.swot_board(analysis=analysis)

    assert [(quadrant.quadrant, quadrant.handling) for quadrant in board] == [
        ("strength", "Build upon"),
        ("weakness", "Manage or turn into strengths"),
        ("opportunity", "Identify"),
        ("threat", "Manage"),
    ]
    assert board[0].items == [heavy, light]
    assert board[3].items == [threat]
    assert [quadrant.is_internal for quadrant in board] == [True, True, False, False]


def test_the_pestle_board_scores_factors_by_impact_times_likelihood(owner):
    analysis = PestleAnalysisFactory()
    mild = PestleFactorFactory(analysis=analysis, area="legal", impact=2, likelihood=2)
    severe = PestleFactorFactory(analysis=analysis, area="legal", impact=3, likelihood=5)
    PestleFactorFactory(analysis=analysis, area="economic", impact=1, likelihood=1)

    board = selectors.pestle_board(analysis=analysis)

    assert [area.label for area in board] == [
        "Political",
        "Economic",
        "Sociological",
        "Technological",
        "Legal",
        "Environmental",
    ]
    legal = board[4]
    assert [(factor, factor.score) for factor in legal.factors] == [(severe, 15), (mild, 4)]
    assert "Employment law" in legal.suggestions
    assert all(area.suggestions for area in board)


def test_pullable_factors_are_those_of_the_same_subject_not_yet_on_the_board(owner, account):
    swot = SwotAnalysisFactory(organization=account)
    same = PestleAnalysisFactory(organization=account)
    pulled = PestleFactorFactory(analysis=same)
    waiting = PestleFactorFactory(analysis=same, effect="threat")
    PestleFactorFactory(analysis=PestleAnalysisFactory())  # our own organization's: another subject
    PestleFactorFactory(analysis=PestleAnalysisFactory(organization=OrganizationFactory()))
    SwotItemFactory(analysis=swot, quadrant="opportunity", pestle_factor=pulled)

    assert list(selectors.pestle_pullable_factors(user=owner, analysis=swot)) == [waiting]


# --- the account 360° panel -----------------------------------------------------------------------


def test_the_account_panel_shows_the_latest_swot_with_its_balance_and_the_latest_pestle(owner, account):
    SwotAnalysisFactory(organization=account, analysed_on=datetime.date(2026, 1, 1))
    latest = board_with(
        ("weakness", 3),
        ("strength", 1),
        analysis=SwotAnalysisFactory(organization=account, analysed_on=datetime.date(2026, 2, 1)),
    )
    pestle = PestleAnalysisFactory(organization=account)
    PestleFactorFactory(analysis=pestle, effect="threat")
    SwotAnalysisFactory()  # ours, not the account's

    panel = selectors.analyses_for_organization(user=owner, organization=account)

    assert panel.latest_swot == latest
    assert panel.balance.triggered_by == ["weight"]
    assert panel.balance.weights == {"strength": 1, "weakness": 3, "opportunity": 0, "threat": 0}
    assert panel.latest_pestle == pestle
    assert panel.latest_pestle.threat_count == 1


def test_the_account_panel_is_empty_without_analyses_and_404_for_an_outsider(owner, outsider, account):
    panel = selectors.analyses_for_organization(user=owner, organization=account)
    assert (panel.latest_swot, panel.balance, panel.latest_pestle) == (None, None, None)

    with pytest.raises(Http404):
        selectors.analyses_for_organization(user=outsider, organization=account)


@pytest.mark.parametrize("size", [1, 6])
def test_the_account_panel_runs_a_constant_number_of_queries(owner, account, size, django_assert_num_queries):
    for _ in range(size):
        board_with(("strength", 2), ("weakness", 1), analysis=SwotAnalysisFactory(organization=account))
        PestleFactorFactory(analysis=PestleAnalysisFactory(organization=account))
    owner = fresh(owner)

    with django_assert_num_queries(2):
        selectors.analyses_for_organization(user=owner, organization=account)
