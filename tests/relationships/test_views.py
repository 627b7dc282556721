"""The stakeholder grid page as its users see it: the board with its quadrants and cards, the grid of a
past day and the comparison with an earlier one, the warnings, the arrow buttons (plain forms that HTMX
enhances), and who may see and move what."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from journeys.models import JourneyEvent, Stakeholder
from tests.factories.journeys import StakeholderFactory, TouchpointFactory
from tests.helpers import HX, text_of

pytestmark = pytest.mark.django_db


def grid_url(account, **query) -> str:
    url = reverse("relationships:stakeholder_grid", args=[account.pk])
    return url + ("?" + "&".join(f"{key}={value}" for key, value in query.items()) if query else "")


def move_url(stakeholder) -> str:
    return reverse("relationships:stakeholder_grid_move", args=[stakeholder.pk])


def quadrant_text(response, quadrant: str) -> str:
    found = re.search(
        rf'<section class="grid-quadrant quadrant-{quadrant}".*?</section>', response.content.decode(), re.S
    )
    return text_of(found.group(0)) if found else ""


def position(stakeholder) -> tuple[int, int]:
    stakeholder.refresh_from_db()
    return (stakeholder.influence, stakeholder.interest)


def move_buttons(response) -> int:
    return len(re.findall(r'name="direction"', response.content.decode()))


# --- the page -------------------------------------------------------------------------------------


def test_the_grid_shows_each_person_in_their_quadrant_with_roles_and_position(
    as_user, owner, account, sponsor
):
    StakeholderFactory(organization=account, name="Bo Jansen", influence=2, interest=5, is_customer=True)

    response = as_user(owner).get(grid_url(account))

    assert response.status_code == 200
    assert "<html" in response.content.decode()
    assert "Ana Ferreira Sponsor" in quadrant_text(response, "manage_closely")
    assert "influence 5 × interest 4" in quadrant_text(response, "manage_closely")
    assert "Bo Jansen Customer, User" in quadrant_text(response, "keep_informed")
    assert "Nobody here." in quadrant_text(response, "monitor")
    assert move_buttons(response) == 2 * 4
    assert 'hx-post="' + move_url(sponsor) + '"' in response.content.decode()


def test_the_board_alone_is_sent_to_htmx(as_user, owner, account, sponsor):
    response = as_user(owner).get(grid_url(account), **HX)

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert "Ana Ferreira" in quadrant_text(response, "manage_closely")
    assert "Coverage warnings" in html
    assert "hx-request" in response.headers["Vary"].lower()


def test_the_grid_as_of_a_past_day_shows_old_positions_without_buttons(as_user, owner, account, sponsor):
    Stakeholder.history.filter(id=sponsor.pk).update(history_date=timezone.now() - timedelta(days=10))
    as_user(owner).post(move_url(sponsor), {"direction": "down"})
    past_day = (timezone.localdate() - timedelta(days=5)).isoformat()

    response = as_user(owner).get(grid_url(account, as_of=past_day))

    assert response.status_code == 200
    assert "Ana Ferreira" in quadrant_text(response, "manage_closely")
    assert "read-only" in text_of(response.content.decode())
    assert move_buttons(response) == 0


def test_the_grid_compared_with_an_earlier_day_shows_where_people_were(as_user, owner, account, sponsor):
    Stakeholder.history.filter(id=sponsor.pk).update(history_date=timezone.now() - timedelta(days=10))
    as_user(owner).post(move_url(sponsor), {"direction": "left"})
    as_user(owner).post(move_url(sponsor), {"direction": "left"})
    earlier_day = (timezone.localdate() - timedelta(days=5)).isoformat()

    response = as_user(owner).get(grid_url(account, compare=earlier_day))

    assert "Ana Ferreira" in quadrant_text(response, "keep_satisfied")
    assert "moved from 5×4 (Manage closely)" in quadrant_text(response, "keep_satisfied")
    assert f'name="compare" value="{earlier_day}"' in response.content.decode()


def test_a_day_in_the_future_is_a_field_error(as_user, owner, account, sponsor):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()

    response = as_user(owner).get(grid_url(account, as_of=tomorrow))

    assert response.status_code == 400
    assert "The grid's history ends today" in text_of(response.content.decode())
    assert "Ana Ferreira" in quadrant_text(response, "manage_closely")


def test_the_warnings_name_silent_key_players_and_missing_consumer_roles(as_user, owner, account, sponsor):
    TouchpointFactory(
        organization=account, stakeholder=sponsor, occurred_at=timezone.now() - timedelta(days=70)
    )

    text = text_of(as_user(owner).get(grid_url(account)).content.decode())

    assert "Ana Ferreira, a key player (manage closely), last had a touchpoint 2 months ago" in text
    assert "more than 60 days without contact" in text
    assert "No active stakeholder holds the consumer role customer." in text
    assert "No active stakeholder holds the consumer role user." in text
    assert "consumer role sponsor" not in text


def test_the_silence_setting_decides_who_is_flagged(as_user, owner, account, sponsor, settings):
    settings.DSV_KEY_PLAYER_SILENCE_DAYS = 90
    TouchpointFactory(
        organization=account, stakeholder=sponsor, occurred_at=timezone.now() - timedelta(days=70)
    )

    text = text_of(as_user(owner).get(grid_url(account)).content.decode())

    assert "key player" not in text


def test_the_account_page_links_to_the_grid(as_user, owner, account):
    response = as_user(owner).get(reverse("account_detail", args=[account.pk]))

    assert f'href="{grid_url(account)}"' in response.content.decode()


@pytest.mark.parametrize("size", [3, 15])
def test_the_grid_page_costs_the_same_queries_for_3_and_15_people(
    as_user, teammate, account, size, django_assert_num_queries
):
    for n in range(size):
        StakeholderFactory(organization=account, influence=1 + n % 5, interest=1 + (n * 3) % 5)
    client = as_user(teammate)
    earlier_day = timezone.localdate().isoformat()

    # Session, user with roles and teams, organization, today's grid, the comparison, the silent key
    # players, the consumer roles.
    with django_assert_num_queries(7):
        response = client.get(grid_url(account, compare=earlier_day))

    assert response.status_code == 200


# --- moving people --------------------------------------------------------------------------------


def test_a_move_without_javascript_redirects_back_to_the_grid(as_user, owner, account, sponsor):
    response = as_user(owner).post(move_url(sponsor), {"direction": "down"})

    assert response.status_code == 302
    assert response["Location"] == grid_url(account)
    assert position(sponsor) == (4, 4)


def test_a_move_keeps_the_comparison_day(as_user, owner, account, sponsor):
    day = timezone.localdate().isoformat()

    response = as_user(owner).post(move_url(sponsor), {"direction": "left", "compare": day})

    assert response["Location"] == grid_url(account, compare=day)


def test_a_move_by_htmx_answers_with_the_new_board(as_user, owner, account, sponsor):
    response = as_user(owner).post(move_url(sponsor), {"direction": "left"}, **HX)

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert "Ana Ferreira" in quadrant_text(response, "keep_satisfied")
    assert "influence 5 × interest 3" in html
    assert position(sponsor) == (5, 3)


def test_an_explicit_position_is_accepted(as_user, owner, account, sponsor):
    as_user(owner).post(move_url(sponsor), {"influence": 1, "interest": 2})

    assert position(sponsor) == (1, 2)


def test_a_move_off_the_grid_shows_the_reason_and_saves_nothing(as_user, owner, account, sponsor):
    events = JourneyEvent.objects.count()

    response = as_user(owner).post(move_url(sponsor), {"direction": "up"})

    assert response.status_code == 400
    assert "Ana Ferreira: Influence must be between 1 and 5; 6 is off the grid." in text_of(
        response.content.decode()
    )
    assert "<html" in response.content.decode()
    assert position(sponsor) == (5, 4)
    assert JourneyEvent.objects.count() == events


def test_a_move_off_the_grid_by_htmx_shows_the_reason_in_the_board(as_user, owner, account, sponsor):
    response = as_user(owner).post(move_url(sponsor), {"influence": 3, "interest": 7}, **HX)

    text = text_of(response.content.decode())
    assert response.status_code == 200  # HTMX swaps only successful answers
    assert "Nothing was moved." in text
    assert "Interest must be between 1 and 5; 7 is off the grid." in text
    assert position(sponsor) == (5, 4)


def test_a_move_without_direction_or_position_is_refused(as_user, owner, account, sponsor):
    response = as_user(owner).post(move_url(sponsor), {"direction": "diagonal"})

    assert response.status_code == 400
    assert position(sponsor) == (5, 4)


# --- who sees and moves what ----------------------------------------------------------------------


def test_an_outsider_finds_no_grid_and_moves_nobody(as_user, outsider, account, sponsor):
    client = as_user(outsider)

    assert client.get(grid_url(account)).status_code == 404
    assert client.post(move_url(sponsor), {"direction": "down"}).status_code == 404
    assert position(sponsor) == (5, 4)


def test_an_analyst_sees_the_grid_without_buttons_and_may_not_move(as_user, analyst, account, sponsor):
    client = as_user(analyst)

    response = client.get(grid_url(account))

    assert response.status_code == 200
    assert "Ana Ferreira" in quadrant_text(response, "manage_closely")
    assert move_buttons(response) == 0
    assert client.post(move_url(sponsor), {"direction": "down"}).status_code == 403
    assert position(sponsor) == (5, 4)


def test_an_integrator_may_not_use_the_grid_pages(as_user, integrator, account, sponsor):
    client = as_user(integrator)

    assert client.get(grid_url(account)).status_code == 403
    assert client.post(move_url(sponsor), {"direction": "down"}).status_code == 403
    assert position(sponsor) == (5, 4)


def test_a_card_dropped_on_a_quadrant_by_htmx_lands_there(as_user, owner, account, sponsor):
    response = as_user(owner).post(move_url(sponsor), {"quadrant": "monitor"}, **HX)

    assert response.status_code == 200
    assert "Ana Ferreira" in quadrant_text(response, "monitor")
    assert position(sponsor) == (3, 3)


def test_the_board_offers_drag_and_drop_only_to_those_who_may_move(as_user, owner, analyst, account, sponsor):
    mine = as_user(owner).get(grid_url(account)).content.decode()
    theirs = as_user(analyst).get(grid_url(account)).content.decode()

    assert 'draggable="true"' in mine and 'data-quadrant="monitor"' in mine
    assert "js/grid-dnd.js" in mine
    assert 'draggable="true"' not in theirs and "data-quadrant=" not in theirs
