"""Recording and ranking a consumer's requirements: bad input names its field and saves nothing, the
lifecycle's rules hold, moves keep every column's ranks dense (1, 2, 3 …), each reprioritization is
a journey event, and only people who may change the account can do any of it."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404

from journeys import roles
from journeys.base import ApplicationError
from journeys.models import JourneyEvent, OrganizationKind
from offerings.models import OfferEventType, Requirement
from offerings.services import (
    requirement_column_rank_by_wsjf,
    requirement_create,
    requirement_delete,
    requirement_reprioritize,
    requirement_step,
    requirement_update,
)
from tests.factories.journeys import JourneyFactory, OrganizationFactory
from tests.factories.offerings import RequirementFactory, ServiceOfferingFactory

pytestmark = pytest.mark.django_db

SCORED = {"service_impact": 3, "urgency": 5, "risk_reduction": 2, "job_size": 5}


def columns(organization) -> dict[str, list[tuple[str, int]]]:
    """Each column's (title, rank), top first."""
    board: dict[str, list[tuple[str, int]]] = {}
    for title, moscow, rank in (
        Requirement.objects.filter(organization=organization)
        .order_by("moscow", "rank", "id")
        .values_list("title", "moscow", "rank")
    ):
        board.setdefault(moscow, []).append((title, rank))
    return board


def titles(organization, moscow: str) -> list[str]:
    return [title for title, _rank in columns(organization).get(moscow, [])]


def reprioritized_events():
    return JourneyEvent.objects.filter(event_type=OfferEventType.REQUIREMENT_REPRIORITIZED).order_by("pk")


@pytest.fixture
def should_column(account):
    """Three should-haves ranked A, B, C (with gaps in the ranks, as older data may have)."""
    return [
        RequirementFactory(organization=account, title=title, moscow="should", rank=rank)
        for title, rank in (("A", 2), ("B", 5), ("C", 9))
    ]


# --- create -----------------------------------------------------------------------------------------


def test_a_new_requirement_joins_the_bottom_of_its_column_with_its_history(owner, account, should_column):
    requirement = requirement_create(
        actor=owner,
        organization=account,
        title="  Book a car from the phone ",
        as_a="fleet manager",
        i_want="to book a replacement car",
        so_that="drivers are back on the road",
        moscow="should",
        **SCORED,
    )

    assert requirement.title == "Book a car from the phone"
    assert requirement.rank == 10
    assert requirement.wsjf_score == Decimal("2.00")
    assert requirement.history.get().history_user == owner
    assert titles(account, "should") == ["A", "B", "C", "Book a car from the phone"]


def test_a_requirement_without_a_category_waits_to_be_prioritized(owner, account):
    first = requirement_create(actor=owner, organization=account, title="Export invoices")
    second = requirement_create(actor=owner, organization=account, title="Single sign-on")

    assert (first.moscow, first.rank, second.rank) == ("", 1, 2)


def test_a_job_size_of_zero_is_refused_naming_the_field_and_nothing_is_saved(owner, account):
    with pytest.raises(ApplicationError) as caught:
        requirement_create(actor=owner, organization=account, title="Export", **{**SCORED, "job_size": 0})

    assert set(caught.value.fields) == {"job_size"}
    assert "cannot be ranked" in caught.value.fields["job_size"][0]
    assert not Requirement.objects.exists()


@pytest.mark.parametrize("field", ["service_impact", "urgency", "risk_reduction"])
@pytest.mark.parametrize("value", [0, 4, 21, True])
def test_a_wsjf_component_off_the_scale_is_refused_naming_it(owner, account, field, value):
    with pytest.raises(ApplicationError) as caught:
        requirement_create(actor=owner, organization=account, title="Export", **{**SCORED, field: value})

    assert set(caught.value.fields) == {field}
    assert "1, 2, 3, 5, 8, 13, 20" in caught.value.fields[field][0]
    assert not Requirement.objects.exists()


def test_the_four_wsjf_figures_go_together(owner, account):
    with pytest.raises(ApplicationError) as caught:
        requirement_create(actor=owner, organization=account, title="Export", service_impact=3, job_size=2)

    assert set(caught.value.fields) == {"urgency", "risk_reduction"}
    assert not Requirement.objects.exists()


def test_the_lifecycle_needs_acceptance_criteria_and_a_category_before_prioritized(owner, account):
    with pytest.raises(ApplicationError) as caught:
        requirement_create(actor=owner, organization=account, title="Export", status="prioritized")

    assert set(caught.value.fields) == {"acceptance_criteria", "moscow"}
    assert not Requirement.objects.exists()


def test_a_deferred_requirement_is_a_wont_have(owner, account):
    with pytest.raises(ApplicationError) as caught:
        requirement_create(
            actor=owner,
            organization=account,
            title="Export",
            status="deferred",
            moscow="could",
            acceptance_criteria="Exports open in a spreadsheet.",
        )

    assert caught.value.fields["moscow"] == [
        "A requirement deferred to a later release is a won't-have for this time."
    ]


def test_a_utility_requirement_has_no_non_functional_category(owner, account):
    with pytest.raises(ApplicationError) as caught:
        requirement_create(
            actor=owner, organization=account, title="Fast", non_functional_category="capacity"
        )

    assert set(caught.value.fields) == {"non_functional_category"}


def test_a_journey_of_another_account_is_refused(owner, account, other_account):
    with pytest.raises(ApplicationError) as caught:
        requirement_create(
            actor=owner,
            organization=account,
            title="Export",
            journey=JourneyFactory(organization=other_account),
        )

    assert caught.value.fields == {"journey": ["Choose one of this account's journeys."]}


def test_a_non_consumer_has_no_requirements(owner, team):
    partner = OrganizationFactory(name="Quay Hosting", kind=OrganizationKind.PARTNER, owner=owner, team=team)

    with pytest.raises(ApplicationError) as caught:
        requirement_create(actor=owner, organization=partner, title="Export")

    assert caught.value.code == "not_a_consumer"
    assert not Requirement.objects.exists()


def test_an_outsider_gets_not_found_before_any_check_of_the_input(outsider, account):
    with pytest.raises(Http404):
        requirement_create(actor=outsider, organization=account, title="")


@pytest.mark.parametrize("persona", ["desk", "analyst"])
def test_read_only_roles_may_not_record_requirements(request, account, persona):
    with pytest.raises(PermissionDenied):
        requirement_create(actor=request.getfixturevalue(persona), organization=account, title="Export")
    assert not Requirement.objects.exists()


@pytest.mark.parametrize("persona", ["teammate", "administrator", "integrator"])
def test_the_team_administrators_and_integrators_may_record_requirements(request, account, persona):
    requirement_create(actor=request.getfixturevalue(persona), organization=account, title="Export")

    assert Requirement.objects.filter(organization=account).count() == 1


# --- update and delete ------------------------------------------------------------------------------


def test_an_update_changes_what_it_is_given_and_stamps_validation(owner, account):
    requirement = RequirementFactory(
        organization=account, moscow="must", status="demoed", acceptance_criteria="It books in two taps."
    )

    updated = requirement_update(
        actor=owner, requirement=requirement, status="validated", title=" Book fast "
    )

    assert (updated.title, updated.status) == ("Book fast", "validated")
    assert updated.validated_at is not None
    assert not reprioritized_events().exists()


def test_an_unchanged_update_writes_nothing(owner, account):
    requirement = RequirementFactory(organization=account, title="Export")
    history = requirement.history.count()

    requirement_update(actor=owner, requirement=requirement, title="Export")

    assert requirement.history.count() == history


def test_an_update_that_breaks_a_rule_saves_nothing(owner, account):
    requirement = RequirementFactory(organization=account, title="Export", job_size=5)

    with pytest.raises(ApplicationError) as caught:
        requirement_update(actor=owner, requirement=requirement, title="Renamed", job_size=0)

    assert set(caught.value.fields) == {"job_size"}
    requirement.refresh_from_db()
    assert (requirement.title, requirement.job_size) == ("Export", 5)


def test_an_unknown_field_is_refused(owner, account):
    requirement = RequirementFactory(organization=account)

    with pytest.raises(ApplicationError) as caught:
        requirement_update(actor=owner, requirement=requirement, organization=None)

    assert caught.value.fields == {"organization": ["Unknown field."]}


def test_a_new_category_moves_the_requirement_and_is_a_reprioritization(owner, account, should_column):
    must = RequirementFactory(organization=account, title="M", moscow="must", rank=1)

    requirement_update(actor=owner, requirement=should_column[1], moscow="must")

    assert columns(account) == {"must": [("M", 1), ("B", 2)], "should": [("A", 1), ("C", 2)]}
    event = reprioritized_events().get()
    assert event.payload["from_moscow"] == "should" and event.payload["to_moscow"] == "must"
    assert event.organization == account
    assert must.pk != should_column[1].pk


def test_leaving_the_wont_haves_drops_the_candidate_release(owner, account):
    requirement = RequirementFactory(organization=account, moscow="wont", candidate_release="2027.1")

    requirement_update(actor=owner, requirement=requirement, moscow="could")

    requirement.refresh_from_db()
    assert (requirement.moscow, requirement.candidate_release) == ("could", "")


def test_deleting_closes_the_gap_in_its_column(owner, account, should_column):
    requirement_delete(actor=owner, requirement=should_column[0])

    assert columns(account) == {"should": [("B", 1), ("C", 2)]}


@pytest.mark.parametrize("persona", ["outsider", "analyst"])
def test_only_those_who_may_change_the_account_delete(request, account, persona):
    requirement = RequirementFactory(organization=account)

    with pytest.raises((Http404, PermissionDenied)):
        requirement_delete(actor=request.getfixturevalue(persona), requirement=requirement)
    assert Requirement.objects.filter(pk=requirement.pk).exists()


# --- moving on the board ----------------------------------------------------------------------------


def test_up_and_down_swap_neighbours_and_keep_the_ranks_dense(owner, account, should_column):
    first, _second, third = should_column

    requirement_step(actor=owner, requirement=third, direction="up")
    assert columns(account)["should"] == [("A", 1), ("C", 2), ("B", 3)]

    requirement_step(actor=owner, requirement=first, direction="down")
    assert columns(account)["should"] == [("C", 1), ("A", 2), ("B", 3)]

    event = reprioritized_events().last()
    assert (event.payload["from_rank"], event.payload["to_rank"]) == (1, 2)
    assert event.actor == owner


def test_two_presses_move_two_places(owner, account, should_column):
    third = should_column[2]

    requirement_step(actor=owner, requirement=third, direction="up")
    requirement_step(actor=owner, requirement=third, direction="up")

    assert titles(account, "should") == ["C", "A", "B"]


def test_the_top_card_cannot_go_further_up(owner, account, should_column):
    with pytest.raises(ApplicationError) as caught:
        requirement_step(actor=owner, requirement=should_column[0], direction="up")

    assert caught.value.fields == {"direction": ["“A” is already at the top of its column."]}
    assert not reprioritized_events().exists()


def test_an_unknown_direction_is_refused(owner, account, should_column):
    with pytest.raises(ApplicationError) as caught:
        requirement_step(actor=owner, requirement=should_column[0], direction="sideways")

    assert set(caught.value.fields) == {"direction"}


def test_moving_up_into_a_more_pressing_column_lands_at_its_bottom(owner, account, should_column):
    RequirementFactory(organization=account, title="M1", moscow="must", rank=1)
    RequirementFactory(organization=account, title="M2", moscow="must", rank=2)

    requirement_reprioritize(actor=owner, requirement=should_column[2], moscow="must")

    assert columns(account) == {"must": [("M1", 1), ("M2", 2), ("C", 3)], "should": [("A", 1), ("B", 2)]}


def test_moving_down_into_a_less_pressing_column_lands_at_its_top(owner, account, should_column):
    RequirementFactory(organization=account, title="K", moscow="could", rank=1)

    requirement_reprioritize(actor=owner, requirement=should_column[0], moscow="could")

    assert columns(account) == {"could": [("A", 1), ("K", 2)], "should": [("B", 1), ("C", 2)]}


def test_a_position_puts_the_card_there_and_past_the_end_means_the_bottom(owner, account, should_column):
    first = should_column[0]

    requirement_reprioritize(actor=owner, requirement=first, moscow="should", position=2)
    assert titles(account, "should") == ["B", "A", "C"]

    requirement_reprioritize(actor=owner, requirement=first, moscow="should", position=99)
    assert columns(account)["should"] == [("B", 1), ("C", 2), ("A", 3)]


def test_staying_in_place_records_no_event(owner, account, should_column):
    requirement_reprioritize(actor=owner, requirement=should_column[1], moscow="should", position=2)

    assert not reprioritized_events().exists()


def test_a_prioritized_requirement_cannot_be_unprioritized(owner, account):
    requirement = RequirementFactory(
        organization=account,
        title="Export",
        moscow="must",
        status="prioritized",
        acceptance_criteria="Opens.",
    )

    with pytest.raises(ApplicationError) as caught:
        requirement_reprioritize(actor=owner, requirement=requirement, moscow="")

    assert caught.value.code == "lifecycle"
    assert "“Export” is prioritized" in caught.value.fields["moscow"][0]
    requirement.refresh_from_db()
    assert requirement.moscow == "must"


def test_a_deferred_requirement_stays_a_wont_have(owner, account):
    requirement = RequirementFactory(
        organization=account, moscow="wont", status="deferred", acceptance_criteria="Opens."
    )

    with pytest.raises(ApplicationError):
        requirement_reprioritize(actor=owner, requirement=requirement, moscow="should")


@pytest.mark.parametrize(
    ("moscow", "position", "field"), [("urgent", None, "moscow"), ("must", 0, "position")]
)
def test_a_bad_target_names_its_field(owner, account, should_column, moscow, position, field):
    with pytest.raises(ApplicationError) as caught:
        requirement_reprioritize(actor=owner, requirement=should_column[0], moscow=moscow, position=position)

    assert set(caught.value.fields) == {field}


def test_an_outsider_cannot_move_a_card(outsider, account, should_column):
    with pytest.raises(Http404):
        requirement_step(actor=outsider, requirement=should_column[2], direction="up")
    assert titles(account, "should") == ["A", "B", "C"]


def test_an_analyst_cannot_move_a_card(analyst, account, should_column):
    with pytest.raises(PermissionDenied):
        requirement_reprioritize(actor=analyst, requirement=should_column[2], moscow="must")


# --- adopting the WSJF order ------------------------------------------------------------------------


def test_a_column_can_adopt_its_wsjf_order(owner, account):
    low = RequirementFactory(organization=account, title="Low", moscow="could", rank=1, job_size=13)
    unscored = RequirementFactory(
        organization=account,
        title="Unscored",
        moscow="could",
        rank=2,
        service_impact=None,
        urgency=None,
        risk_reduction=None,
        job_size=None,
    )
    high = RequirementFactory(organization=account, title="High", moscow="could", rank=3, job_size=1)

    moved = requirement_column_rank_by_wsjf(actor=owner, organization=account, moscow="could")

    assert columns(account)["could"] == [("High", 1), ("Low", 2), ("Unscored", 3)]
    assert set(moved) == {high.pk, low.pk, unscored.pk}
    assert reprioritized_events().get().payload["by"] == "wsjf"


def test_a_column_already_in_wsjf_order_writes_nothing(owner, account):
    RequirementFactory(organization=account, moscow="must", rank=1, job_size=1)
    RequirementFactory(organization=account, moscow="must", rank=2, job_size=8)

    assert requirement_column_rank_by_wsjf(actor=owner, organization=account, moscow="must") == []
    assert not reprioritized_events().exists()


def test_ranking_by_wsjf_is_for_those_who_may_change_the_account(analyst, account):
    with pytest.raises(PermissionDenied):
        requirement_column_rank_by_wsjf(actor=analyst, organization=account, moscow="must")


def test_an_offering_is_kept_on_the_requirement(owner, account):
    offering = ServiceOfferingFactory()

    requirement = requirement_create(actor=owner, organization=account, title="Export", offering=offering)

    assert Requirement.objects.get(pk=requirement.pk).offering == offering


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs concurrent connections (the PostgreSQL CI run)"
)
@pytest.mark.django_db(transaction=True)
def test_moves_made_at_the_same_time_keep_every_column_dense(owner, account):
    cards = [RequirementFactory(organization=account, moscow="should", rank=rank) for rank in range(1, 9)]
    roles.roles_of(owner)
    start = threading.Barrier(4)
    failures = []

    def shuffle(mine):
        try:
            start.wait()
            for _round in range(3):
                requirement_reprioritize(actor=owner, requirement=mine, moscow="must", position=1)
                requirement_reprioritize(actor=owner, requirement=mine, moscow="should", position=2)
                requirement_step(actor=owner, requirement=mine, direction="down")
        except Exception as error:  # reported below
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=shuffle, args=(card,)) for card in cards[:4]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    board = columns(account)
    assert [rank for _title, rank in board["should"]] == list(range(1, 9))
    assert "must" not in board
