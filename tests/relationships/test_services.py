"""Moving a stakeholder on the grid: positions and one-square steps, the refusals for positions off the
1–5 grid (naming the field, saving nothing), and who may move people at all."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from journeys.base import ApplicationError
from journeys.models import JourneyEvent, JourneyEventType, Stakeholder
from relationships.services import stakeholder_grid_move, stakeholder_grid_step, stakeholder_grid_to_quadrant
from tests.factories.journeys import StakeholderFactory

pytestmark = pytest.mark.django_db


def position(stakeholder) -> tuple[int, int]:
    stakeholder.refresh_from_db()
    return (stakeholder.influence, stakeholder.interest)


def history_length(stakeholder) -> int:
    return stakeholder.history.count()


def test_a_move_puts_the_person_on_the_new_position_and_keeps_the_change(owner, sponsor):
    kept_before = history_length(sponsor)

    stakeholder_grid_move(actor=owner, stakeholder=sponsor, influence=2, interest=3)

    assert position(sponsor) == (2, 3)
    assert history_length(sponsor) == kept_before + 1
    event = JourneyEvent.objects.get(event_type=JourneyEventType.STAKEHOLDER_UPDATED)
    assert event.payload["changed"] == ["influence", "interest"]


def test_a_teammate_may_move_people_of_the_team_s_account(teammate, sponsor):
    stakeholder_grid_move(actor=teammate, stakeholder=sponsor, influence="3", interest="3")

    assert position(sponsor) == (3, 3)


@pytest.mark.parametrize(
    ("direction", "expected"), [("up", (4, 3)), ("down", (2, 3)), ("right", (3, 4)), ("left", (3, 2))]
)
def test_a_step_moves_one_square_in_its_direction(owner, account, direction, expected):
    someone = StakeholderFactory(organization=account, influence=3, interest=3)

    stakeholder_grid_step(actor=owner, stakeholder=someone, direction=direction)

    assert position(someone) == expected


def test_steps_read_the_position_saved_so_far_not_the_one_the_caller_holds(owner, account):
    someone = StakeholderFactory(organization=account, influence=3, interest=3)
    stale = Stakeholder.objects.get(pk=someone.pk)

    stakeholder_grid_step(actor=owner, stakeholder=someone, direction="up")
    stakeholder_grid_step(actor=owner, stakeholder=stale, direction="up")

    assert position(someone) == (5, 3)


@pytest.mark.parametrize(
    ("influence", "interest", "fields"),
    [
        (6, 3, ["influence"]),
        (3, 0, ["interest"]),
        (0, 9, ["influence", "interest"]),
        ("high", 3, ["influence"]),
        (2.5, 3, ["influence"]),
        (None, 3, ["influence"]),
    ],
)
def test_a_position_off_the_grid_names_the_field_and_saves_nothing(
    owner, sponsor, influence, interest, fields
):
    kept_before = history_length(sponsor)

    with pytest.raises(ApplicationError) as refused:
        stakeholder_grid_move(actor=owner, stakeholder=sponsor, influence=influence, interest=interest)

    assert sorted(refused.value.fields) == fields
    assert "between 1 and 5" in refused.value.message
    assert position(sponsor) == (5, 4)
    assert history_length(sponsor) == kept_before
    assert not JourneyEvent.objects.filter(event_type=JourneyEventType.STAKEHOLDER_UPDATED).exists()


def test_a_step_off_the_edge_of_the_grid_is_refused(owner, sponsor):
    with pytest.raises(ApplicationError) as refused:
        stakeholder_grid_step(actor=owner, stakeholder=sponsor, direction="up")

    assert refused.value.fields == {"influence": ["Influence must be between 1 and 5; 6 is off the grid."]}
    assert position(sponsor) == (5, 4)


def test_an_unknown_direction_is_refused(owner, sponsor):
    with pytest.raises(ApplicationError) as refused:
        stakeholder_grid_step(actor=owner, stakeholder=sponsor, direction="sideways")

    assert list(refused.value.fields) == ["direction"]
    assert position(sponsor) == (5, 4)


def test_a_former_stakeholder_is_not_moved(owner, account):
    former = StakeholderFactory(organization=account, is_active=False)

    with pytest.raises(ApplicationError) as refused:
        stakeholder_grid_move(actor=owner, stakeholder=former, influence=5, interest=5)

    assert refused.value.status == 409
    assert position(former) == (3, 3)


@pytest.mark.parametrize("persona", ["desk", "analyst"])
def test_roles_that_may_not_manage_accounts_may_not_move_people(request, persona, sponsor):
    with pytest.raises(PermissionDenied):
        stakeholder_grid_move(
            actor=request.getfixturevalue(persona), stakeholder=sponsor, influence=1, interest=1
        )

    assert position(sponsor) == (5, 4)


def test_an_outsider_learns_nothing_even_from_a_bad_position(outsider, sponsor):
    with pytest.raises(Http404):
        stakeholder_grid_move(actor=outsider, stakeholder=sponsor, influence=9, interest=9)

    assert position(sponsor) == (5, 4)


@pytest.mark.parametrize(
    ("start", "quadrant", "expected"),
    [
        ((2, 2), "manage_closely", (4, 4)),
        ((5, 1), "manage_closely", (5, 4)),
        ((5, 5), "monitor", (3, 3)),
        ((4, 2), "keep_informed", (3, 4)),
        ((1, 5), "keep_satisfied", (4, 3)),
    ],
)
def test_a_drop_on_a_quadrant_moves_the_person_just_across_the_lines(
    owner, account, start, quadrant, expected
):
    someone = StakeholderFactory(organization=account, influence=start[0], interest=start[1])

    stakeholder_grid_to_quadrant(actor=owner, stakeholder=someone, quadrant=quadrant)

    assert position(someone) == expected


def test_a_drop_on_the_quadrant_a_person_is_in_changes_nothing(owner, account):
    someone = StakeholderFactory(organization=account, influence=5, interest=4)
    kept_before = history_length(someone)

    stakeholder_grid_to_quadrant(actor=owner, stakeholder=someone, quadrant="manage_closely")

    assert position(someone) == (5, 4)
    assert history_length(someone) == kept_before


def test_a_drop_on_an_unknown_quadrant_names_the_field(owner, sponsor):
    with pytest.raises(ApplicationError) as raised:
        stakeholder_grid_to_quadrant(actor=owner, stakeholder=sponsor, quadrant="centre")

    assert "quadrant" in raised.value.fields
    assert position(sponsor) == (5, 4)


def test_an_analyst_may_not_drop_people_on_the_grid(analyst, sponsor):
    with pytest.raises(PermissionDenied):
        stakeholder_grid_to_quadrant(actor=analyst, stakeholder=sponsor, quadrant="monitor")

    assert position(sponsor) == (5, 4)
