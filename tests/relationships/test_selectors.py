"""The stakeholder grid as the selectors read it: today's quadrants, the grid as it stood on a past date
(from the stakeholders' change history), who moved since a comparison date, and the coverage warnings."""

from datetime import timedelta

import pytest
from django.http import Http404
from django.utils import timezone

from journeys import services as journeys_services
from journeys.models import ConsumerRole, GridQuadrant, OrganizationKind
from relationships.selectors import grid_warnings, stakeholder_grid
from tests.factories.journeys import OrganizationFactory, StakeholderFactory, TouchpointFactory

pytestmark = pytest.mark.django_db


def names_by_quadrant(grid) -> dict[GridQuadrant, list[str]]:
    return {
        quadrant: [person.stakeholder.name for person in cell.people] for quadrant, cell in grid.cells.items()
    }


def person(grid, name):
    return next(person for person in grid.people if person.stakeholder.name == name)


# --- today's grid ---------------------------------------------------------------------------------


def test_the_grid_puts_each_active_person_in_the_quadrant_of_their_influence_and_interest(owner, account):
    StakeholderFactory(organization=account, name="Ana", influence=5, interest=4)
    StakeholderFactory(organization=account, name="Bram", influence=4, interest=2)
    StakeholderFactory(organization=account, name="Carla", influence=2, interest=5)
    StakeholderFactory(organization=account, name="Dirk", influence=3, interest=3)
    StakeholderFactory(organization=account, name="Eva", influence=5, interest=5, is_active=False)
    StakeholderFactory(name="Someone elsewhere", influence=5, interest=5)

    grid = stakeholder_grid(user=owner, organization=account)

    assert names_by_quadrant(grid) == {
        GridQuadrant.MANAGE_CLOSELY: ["Ana"],
        GridQuadrant.KEEP_SATISFIED: ["Bram"],
        GridQuadrant.KEEP_INFORMED: ["Carla"],
        GridQuadrant.MONITOR: ["Dirk"],
    }
    assert [[cell.quadrant for cell in row] for row in grid.rows] == [
        [GridQuadrant.KEEP_SATISFIED, GridQuadrant.MANAGE_CLOSELY],
        [GridQuadrant.MONITOR, GridQuadrant.KEEP_INFORMED],
    ]


def test_the_grid_of_an_account_the_user_may_not_see_is_not_found(outsider, account):
    with pytest.raises(Http404):
        stakeholder_grid(user=outsider, organization=account)


# --- the grid in the past -------------------------------------------------------------------------


def test_the_grid_as_of_before_a_move_shows_the_old_position(owner, account, sponsor):
    before_the_move = timezone.now()
    journeys_services.stakeholder_update(actor=owner, stakeholder=sponsor, influence=2)

    today = stakeholder_grid(user=owner, organization=account)
    back_then = stakeholder_grid(user=owner, organization=account, as_of=before_the_move)

    assert names_by_quadrant(today)[GridQuadrant.KEEP_INFORMED] == ["Ana Ferreira"]
    assert names_by_quadrant(back_then)[GridQuadrant.MANAGE_CLOSELY] == ["Ana Ferreira"]
    assert person(back_then, "Ana Ferreira").position == (5, 4)


def test_the_grid_as_of_a_date_leaves_out_people_not_yet_on_record_or_inactive_then(owner, account, sponsor):
    before = timezone.now()
    StakeholderFactory(organization=account, name="Newcomer", influence=5, interest=5)
    journeys_services.stakeholder_update(actor=owner, stakeholder=sponsor, is_active=False)
    after = timezone.now()

    assert [
        p.stakeholder.name for p in stakeholder_grid(user=owner, organization=account, as_of=before).people
    ] == ["Ana Ferreira"]
    assert [
        p.stakeholder.name for p in stakeholder_grid(user=owner, organization=account, as_of=after).people
    ] == ["Newcomer"]


def test_the_grid_compared_with_an_earlier_date_says_who_moved_and_who_is_new(owner, account, sponsor):
    steady = StakeholderFactory(organization=account, name="Steady", influence=2, interest=2)
    earlier = timezone.now()
    journeys_services.stakeholder_update(actor=owner, stakeholder=sponsor, influence=2, interest=3)
    StakeholderFactory(organization=account, name="Newcomer")

    grid = stakeholder_grid(user=owner, organization=account, compare_with=earlier)

    moved = person(grid, "Ana Ferreira")
    assert (moved.moved, moved.was, moved.was_quadrant) == (True, (5, 4), GridQuadrant.MANAGE_CLOSELY)
    assert moved.position == (2, 3)
    assert person(grid, "Newcomer").is_new
    assert not person(grid, steady.name).moved
    assert not person(grid, steady.name).is_new


@pytest.mark.parametrize("size", [3, 15])
def test_the_grid_costs_the_same_queries_for_3_and_15_people(owner, account, size, django_assert_num_queries):
    people = [
        StakeholderFactory(
            organization=account, influence=1 + n % 5, interest=1 + (n * 2) % 5, is_customer=True
        )
        for n in range(size)
    ]
    earlier = timezone.now()
    for someone in people:
        journeys_services.stakeholder_update(
            actor=owner, stakeholder=someone, interest=1 + (someone.interest % 5)
        )

    # Today's grid and the comparison date's grid (the owner's roles are known already).
    with django_assert_num_queries(2):
        grid = stakeholder_grid(user=owner, organization=account, compare_with=earlier)
        shown = [(p.stakeholder.name, p.stakeholder.role_labels, p.position, p.was) for p in grid.people]

    assert len(shown) == size
    assert all(was is not None and was != position for *_, position, was in shown)


# --- warnings -------------------------------------------------------------------------------------


def test_warnings_name_key_players_without_a_recent_touchpoint(owner, account):
    now = timezone.now()
    never = StakeholderFactory(organization=account, name="Never contacted", influence=5, interest=5)
    long_ago = StakeholderFactory(organization=account, name="Long ago", influence=4, interest=4)
    recent = StakeholderFactory(organization=account, name="Recently", influence=5, interest=4)
    StakeholderFactory(organization=account, name="Low interest", influence=5, interest=2)
    StakeholderFactory(organization=account, name="Gone", influence=5, interest=5, is_active=False)
    TouchpointFactory(organization=account, stakeholder=long_ago, occurred_at=now - timedelta(days=61))
    TouchpointFactory(organization=account, stakeholder=long_ago, occurred_at=now - timedelta(days=90))
    TouchpointFactory(organization=account, stakeholder=recent, occurred_at=now - timedelta(days=59))
    TouchpointFactory(organization=account, stakeholder=recent, occurred_at=now - timedelta(days=200))

    warnings = grid_warnings(user=owner, organization=account, silence_days=60)

    assert [(p.name, p.last_touchpoint_at) for p in warnings.silent_key_players] == [
        (never.name, None),
        (long_ago.name, now - timedelta(days=61)),
    ]
    assert [
        p.name for p in grid_warnings(user=owner, organization=account, silence_days=30).silent_key_players
    ] == [
        "Never contacted",
        "Long ago",
        "Recently",
    ]


def test_warnings_name_the_consumer_roles_no_active_stakeholder_holds(owner, account, sponsor):
    StakeholderFactory(organization=account, is_user=True)
    StakeholderFactory(organization=account, is_customer=True, is_user=False, is_active=False)

    warnings = grid_warnings(user=owner, organization=account, silence_days=60)

    assert warnings.missing_roles == [ConsumerRole.CUSTOMER]


def test_a_supplier_gets_no_consumer_role_warning(owner):
    supplier = OrganizationFactory(kind=OrganizationKind.SUPPLIER, owner=owner)

    warnings = grid_warnings(user=owner, organization=supplier, silence_days=60)

    assert warnings.missing_roles == []
    assert not warnings


def test_a_well_covered_consumer_has_no_warning(owner, account):
    key_player = StakeholderFactory(
        organization=account, influence=5, interest=5, is_customer=True, is_user=True, is_sponsor=True
    )
    TouchpointFactory(organization=account, stakeholder=key_player)

    assert not grid_warnings(user=owner, organization=account, silence_days=60)


def test_warnings_of_an_account_the_user_may_not_see_are_not_found(outsider, account):
    with pytest.raises(Http404):
        grid_warnings(user=outsider, organization=account, silence_days=60)
