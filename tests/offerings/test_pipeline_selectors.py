"""Reading the pipeline: the stage columns with their totals summed by the database, the filters, the
closed opportunities that drop off, the cap per column, the stage history, and only for those who
may see the account."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.http import Http404
from django.utils import timezone

from journeys import roles
from offerings.selectors import (
    opportunity_get,
    opportunity_scope,
    opportunity_stage_history,
    pipeline_board,
    pipeline_filter_choices,
)
from offerings.services import opportunity_create, opportunity_move
from tests.factories.offerings import OpportunityFactory, ServiceOfferingFactory

pytestmark = pytest.mark.django_db


def column(board, stage: str):
    return next(column for column in board.columns if column.stage == stage)


def titles(board, stage: str) -> list[str]:
    return [card.title for card in column(board, stage).cards]


def test_the_columns_hold_their_opportunities_with_count_and_value(owner, account, other_account):
    OpportunityFactory(organization=account, stage="demand", estimated_value=Decimal("1000.00"))
    OpportunityFactory(organization=account, stage="demand", estimated_value=None)
    OpportunityFactory(organization=account, stage="proposal", estimated_value=Decimal("250.50"))
    OpportunityFactory(organization=other_account, stage="demand")

    board = pipeline_board(user=owner)

    assert [column.stage.value for column in board.columns] == ["demand", "proposal", "agreed", "lost"]
    demand = column(board, "demand")
    assert (demand.count, demand.total_value, len(demand.cards)) == (2, Decimal("1000.00"), 2)
    assert column(board, "agreed").total_value == 0
    assert board.open_value == Decimal("1250.50")
    assert board.count == 3


def test_cards_expected_to_close_first_come_first(owner, account):
    today = timezone.localdate()
    OpportunityFactory(organization=account, title="Undated", expected_close_date=None)
    OpportunityFactory(organization=account, title="Later", expected_close_date=today + timedelta(days=40))
    OpportunityFactory(organization=account, title="Sooner", expected_close_date=today + timedelta(days=4))

    assert titles(pipeline_board(user=owner), "demand") == ["Sooner", "Later", "Undated"]


def test_closed_opportunities_drop_off_after_ninety_days(owner, account):
    long_ago = timezone.now() - timedelta(days=91)
    OpportunityFactory(organization=account, title="Recent win", stage="agreed")
    OpportunityFactory(organization=account, title="Old win", stage="agreed", stage_changed_at=long_ago)
    OpportunityFactory(organization=account, title="Old demand", stage="demand", stage_changed_at=long_ago)

    board = pipeline_board(user=owner)

    assert titles(board, "agreed") == ["Recent win"]
    assert titles(board, "demand") == ["Old demand"]
    assert column(board, "agreed").count == 1


def test_a_column_shows_at_most_its_cap_and_counts_the_rest(owner, account):
    for number in range(5):
        OpportunityFactory(
            organization=account, stage="proposal", estimated_value=Decimal(100 * (number + 1))
        )

    proposal = column(pipeline_board(user=owner, per_column=3), "proposal")

    assert (len(proposal.cards), proposal.count, proposal.hidden) == (3, 5, 2)
    assert proposal.total_value == Decimal("1500")


def test_the_pipeline_narrows_to_an_account_name_an_owner_and_an_offering(owner, teammate, account, team):
    offering = ServiceOfferingFactory()
    OpportunityFactory(organization=account, title="Mine", owner=owner, offering=offering)
    OpportunityFactory(organization=account, title="Theirs", owner=teammate)
    OpportunityFactory(organization=account, title="Nobody's", owner=None)

    assert titles(pipeline_board(user=owner, owner="me"), "demand") == ["Mine"]
    assert titles(pipeline_board(user=owner, owner=str(teammate.pk)), "demand") == ["Theirs"]
    assert titles(pipeline_board(user=owner, owner="none"), "demand") == ["Nobody's"]
    assert titles(pipeline_board(user=owner, offering=offering), "demand") == ["Mine"]
    assert len(column(pipeline_board(user=owner, search="rentwheel"), "demand").cards) == 3
    assert column(pipeline_board(user=owner, search="northbank"), "demand").cards == []


def test_a_card_shows_the_account_the_owner_and_the_start_of_a_lost_reason(owner, account):
    OpportunityFactory(organization=account, stage="lost", lost_reason="Too dear. " * 20, owner=owner)

    card = column(pipeline_board(user=owner), "lost").cards[0]

    assert card.organization_name == "Rentwheel Car Hire"
    assert card.owner_name == owner.get_full_name()
    assert len(card.lost_reason) <= 121 and card.lost_reason.endswith("Too dear.…")
    assert not card.is_open


def test_an_open_card_past_its_close_date_is_overdue(owner, account):
    today = timezone.localdate()
    OpportunityFactory(organization=account, expected_close_date=today - timedelta(days=1))

    card = column(pipeline_board(user=owner), "demand").cards[0]

    assert card.is_overdue(today)


def test_one_accounts_pipeline(owner, account, other_account, administrator):
    OpportunityFactory(organization=account, title="Ours")
    OpportunityFactory(organization=other_account, title="Theirs")

    assert titles(pipeline_board(user=administrator, organization=account), "demand") == ["Ours"]
    assert titles(pipeline_board(user=administrator), "demand") == ["Ours", "Theirs"]


def test_an_outsider_gets_no_pipeline_of_the_account(outsider, account):
    with pytest.raises(Http404):
        pipeline_board(user=outsider, organization=account)


@pytest.mark.parametrize("size", [2, 20])
def test_the_pipeline_is_two_queries_whatever_its_size(owner, account, size, django_assert_num_queries):
    for number in range(size):
        OpportunityFactory(organization=account, stage=["demand", "proposal", "agreed", "lost"][number % 4])
    roles.roles_of(owner)

    with django_assert_num_queries(2):
        board = pipeline_board(user=owner)

    assert board.count == size


@pytest.mark.parametrize("persona", ["owner", "teammate", "desk", "analyst", "administrator"])
def test_those_who_see_the_account_see_its_opportunities(request, account, persona):
    opportunity = OpportunityFactory(organization=account)
    user = request.getfixturevalue(persona)

    assert opportunity_get(user=user, pk=opportunity.pk) == opportunity
    assert list(opportunity_scope(user)) == [opportunity]


def test_an_outsider_sees_none_of_the_accounts_opportunities(outsider, account, other_account):
    opportunity = OpportunityFactory(organization=account)

    with pytest.raises(Http404):
        opportunity_get(user=outsider, pk=opportunity.pk)
    assert list(opportunity_scope(outsider)) == []
    assert pipeline_board(user=outsider).count == 0


def test_the_stage_history_lists_each_stage_with_who_moved_it_there(owner, teammate, account):
    opportunity = opportunity_create(actor=owner, organization=account, title="Fleet app")
    opportunity_move(actor=teammate, opportunity=opportunity, stage="proposal")
    opportunity_move(actor=owner, opportunity=opportunity, stage="lost", lost_reason="Budget cut")

    history = opportunity_stage_history(user=owner, opportunity=opportunity)

    assert [(visit.stage.value, visit.by) for visit in history] == [
        ("demand", owner.get_full_name()),
        ("proposal", teammate.get_full_name()),
        ("lost", owner.get_full_name()),
    ]
    assert history[0].until == history[1].since
    assert history[-1].until is None


def test_the_filters_offer_managers_and_offerings_not_retired(owner, analyst):
    live = ServiceOfferingFactory(name="Live", status="published")
    ServiceOfferingFactory(name="Gone", status="retired")

    people, offerings = pipeline_filter_choices()

    assert owner in people and analyst not in people
    assert offerings == [live]
