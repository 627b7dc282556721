"""Reading requirements: the board's columns, orders and figures in a fixed number of queries, and
only for those who may see the account."""

from decimal import Decimal

import pytest
from django.http import Http404

from journeys import roles
from offerings.selectors import (
    requirement_board,
    requirement_board_choices,
    requirement_get,
    requirement_scope,
)
from tests.factories.journeys import JourneyFactory
from tests.factories.offerings import RequirementFactory, ServiceOfferingFactory

pytestmark = pytest.mark.django_db

UNSCORED = {"service_impact": None, "urgency": None, "risk_reduction": None, "job_size": None}


def titles(board, key: str) -> list[str]:
    return [card.title for card in next(column for column in board.columns if column.key == key).cards]


def column(board, key: str):
    return next(column for column in board.columns if column.key == key)


def test_the_board_has_the_unprioritized_column_first_then_must_to_wont(owner, account):
    board = requirement_board(user=owner, organization=account)

    assert [(column.key, column.label) for column in board.columns] == [
        ("unprioritized", "Not yet prioritized"),
        ("must", "Must have"),
        ("should", "Should have"),
        ("could", "Could have"),
        ("wont", "Won't have this time"),
    ]


def test_each_column_follows_the_agreed_rank_or_the_wsjf_score(owner, account):
    RequirementFactory(organization=account, title="Slow", moscow="must", rank=1, job_size=13)
    RequirementFactory(organization=account, title="Unscored", moscow="must", rank=2, **UNSCORED)
    RequirementFactory(organization=account, title="Quick", moscow="must", rank=3, job_size=1)

    by_rank = requirement_board(user=owner, organization=account)
    by_wsjf = requirement_board(user=owner, organization=account, order="wsjf")

    assert titles(by_rank, "must") == ["Slow", "Unscored", "Quick"]
    assert titles(by_wsjf, "must") == ["Quick", "Slow", "Unscored"]
    assert by_wsjf.order == "wsjf"
    assert requirement_board(user=owner, organization=account, order="nonsense").order == "rank"


def test_a_card_carries_its_wsjf_score_and_invest_check(owner, account):
    RequirementFactory(
        organization=account,
        moscow="should",
        job_size=3,
        so_that="",
        is_valuable=True,
        is_small=True,
        acceptance_criteria="Two taps.",
        is_testable=True,
    )

    card = column(requirement_board(user=owner, organization=account), "should").cards[0]

    assert (card.cost_of_delay, card.wsjf_score) == (10, Decimal("3.33"))
    # Ticked valuable, but the story names no benefit: it still fails that criterion.
    assert [criterion.value for criterion in card.invest.failed_criteria] == [
        "independent",
        "negotiable",
        "valuable",
        "estimable",
    ]


def test_the_columns_count_and_sum_their_effort(owner, account):
    RequirementFactory(organization=account, moscow="must", job_size=3)
    RequirementFactory(organization=account, moscow="must", job_size=1)
    RequirementFactory(organization=account, moscow="could", **UNSCORED)

    board = requirement_board(user=owner, organization=account)

    must, could = column(board, "must"), column(board, "could")
    assert (must.count, must.scored, must.effort, must.effort_share) == (2, 2, 4, 100)
    assert (could.count, could.scored, could.effort, could.effort_share) == (1, 0, 0, 0)
    assert board.count == 3


def test_the_board_can_be_narrowed_to_a_journey_or_an_offering(owner, account):
    journey = JourneyFactory(organization=account)
    offering = ServiceOfferingFactory()
    RequirementFactory(organization=account, title="Of the journey", moscow="must", journey=journey)
    RequirementFactory(organization=account, title="Of the offering", moscow="must", offering=offering)
    RequirementFactory(organization=account, title="Neither", moscow="must")

    assert titles(requirement_board(user=owner, organization=account, journey=journey), "must") == [
        "Of the journey"
    ]
    narrowed = requirement_board(user=owner, organization=account, offering=offering)
    assert titles(narrowed, "must") == ["Of the offering"]
    assert narrowed.filtered and column(narrowed, "must").count == 1


def test_each_card_knows_the_ranks_of_its_visible_neighbours(owner, account):
    for rank in (1, 2, 3):
        RequirementFactory(organization=account, moscow="could", rank=rank)

    cards = column(requirement_board(user=owner, organization=account), "could").cards

    assert [(card.above_rank, card.below_rank) for card in cards] == [(None, 2), (1, 3), (2, None)]


@pytest.mark.parametrize("size", [3, 30])
def test_the_board_is_two_queries_whatever_its_size(owner, account, size, django_assert_num_queries):
    for number in range(size):
        RequirementFactory(organization=account, moscow=["must", "should", ""][number % 3])
    roles.roles_of(owner)  # a request's user arrives with its roles

    with django_assert_num_queries(2):
        board = requirement_board(user=owner, organization=account, order="wsjf")

    assert board.count == size


def test_an_outsider_gets_no_board(outsider, account):
    with pytest.raises(Http404):
        requirement_board(user=outsider, organization=account)
    with pytest.raises(Http404):
        requirement_board_choices(user=outsider, organization=account)


def test_the_choices_are_the_accounts_journeys_and_the_offerings_its_requirements_name(
    owner, account, journey
):
    named = ServiceOfferingFactory(name="Mobility desk")
    ServiceOfferingFactory(name="Not named")
    RequirementFactory(organization=account, offering=named)

    journeys, offerings = requirement_board_choices(user=owner, organization=account)

    assert journeys == [journey]
    assert offerings == [named]


@pytest.mark.parametrize("persona", ["owner", "teammate", "desk", "analyst", "administrator"])
def test_those_who_see_the_account_see_its_requirements(request, account, persona):
    requirement = RequirementFactory(organization=account)
    user = request.getfixturevalue(persona)

    assert requirement_get(user=user, pk=requirement.pk) == requirement
    assert list(requirement_scope(user)) == [requirement]


def test_an_outsider_sees_none_of_the_accounts_requirements(outsider, account, other_account):
    requirement = RequirementFactory(organization=account)
    theirs = RequirementFactory(organization=other_account)

    with pytest.raises(Http404):
        requirement_get(user=outsider, pk=requirement.pk)
    assert list(requirement_scope(outsider)) == [theirs]
