"""The playbook pages as a user sees them: the list, the playbook form, and one playbook with its
actions in dependency order, its timeline, and the inline adds, edits, moves and removals (HTMX
fragments and plain forms alike), and who may do what."""

import re

import pytest
from django.urls import reverse

from offerings.models import OnboardingPlaybook, PlaybookAction
from tests.factories.offerings import (
    OnboardingPlaybookFactory,
    PlaybookActionDependencyFactory,
    PlaybookActionFactory,
    ServiceOfferingFactory,
)
from tests.helpers import HX, text_of

pytestmark = pytest.mark.django_db

ACTION = {"title": "Hand over laptops", "owner_party": "provider", "due_after_days": 5}


def url(name, *args):
    return reverse(f"offerings:{name}", args=args)


def page_text(response) -> str:
    return text_of(response.content.decode())


def field_error(response, field_id: str) -> str:
    found = re.search(
        rf'<ul class="errorlist" id="{field_id}_error">(.*?)</ul>', response.content.decode(), re.S
    )
    return text_of(found.group(1)) if found else ""


@pytest.fixture
def playbook():
    """Sign the order (day 0, consumer) → ship laptops (day 5) → train users (day 3: due too early)."""
    playbook = OnboardingPlaybookFactory(
        name="Ward roll-out", offering__name="Clinic laptops", vision="Every nurse logged in"
    )
    sign = PlaybookActionFactory(
        playbook=playbook, title="Sign the order", owner_party="consumer", due_after_days=0, position=2
    )
    ship = PlaybookActionFactory(playbook=playbook, title="Ship laptops", due_after_days=5, position=0)
    train = PlaybookActionFactory(playbook=playbook, title="Train users", due_after_days=3, position=1)
    PlaybookActionDependencyFactory(action=ship, depends_on=sign)
    PlaybookActionDependencyFactory(action=train, depends_on=ship)
    return playbook


def row_titles(response) -> list[str]:
    """The actions' titles in the order the table lists them."""
    return re.findall(
        r'<tr id="action-\d+">\s*<td class="number">\d+</td>\s*<td><strong>([^<]+)', response.content.decode()
    )


def action(title):
    return PlaybookAction.objects.get(title=title)


# --- list and form --------------------------------------------------------------------------------


def test_the_list_shows_each_playbook_with_its_offering_and_figures(as_user, analyst, playbook):
    text = page_text(as_user(analyst).get(url("playbook_list")))

    assert "Ward roll-out Clinic laptops Draft" in text
    assert "3 day 5" in text


def test_the_list_comes_alone_for_htmx(as_user, owner, playbook):
    response = as_user(owner).get(url("playbook_list"), **HX)

    assert "<html" not in response.content.decode()
    assert "Ward roll-out" in page_text(response)


def test_a_manager_creates_a_playbook_for_an_offering(as_user, owner):
    offering = ServiceOfferingFactory()

    response = as_user(owner).post(url("playbook_create", offering.pk), {"name": "Light onboarding"})

    playbook = OnboardingPlaybook.objects.get()
    assert response["Location"] == url("playbook_detail", playbook.pk)
    assert (playbook.offering, playbook.owner) == (offering, owner)


def test_a_duplicate_playbook_name_is_a_400_on_the_name(as_user, owner, playbook):
    response = as_user(owner).post(url("playbook_create", playbook.offering_id), {"name": "ward ROLL-OUT"})

    assert response.status_code == 400
    assert "already has a playbook called" in field_error(response, "id_name")
    assert OnboardingPlaybook.objects.count() == 1


def test_editing_and_deleting_a_playbook(as_user, teammate, playbook):
    client = as_user(teammate)

    client.post(url("playbook_edit", playbook.pk), {"name": "Ward roll-out", "goals": "All wards live"})
    playbook.refresh_from_db()
    response = client.post(url("playbook_delete", playbook.pk))

    assert playbook.goals == "All wards live"
    assert response["Location"] == url("offering_detail", playbook.offering_id) + "#playbooks"
    assert not OnboardingPlaybook.objects.exists()


# --- the playbook page ----------------------------------------------------------------------------


def test_the_page_lists_the_actions_in_dependency_order_with_the_timeline(as_user, owner, playbook):
    response = as_user(owner).get(url("playbook_detail", playbook.pk))

    text = page_text(response)
    assert "Expected result Every nurse logged in" in text
    assert (
        "3 actions, every one after those it waits for · 2 by the service provider, 1 by the service consumer"
        in text
    )
    assert row_titles(response) == ["Sign the order", "Ship laptops", "Train users"]
    assert "“Train users” (day 3) is due before “Ship laptops” (day 5), which it waits for." in text
    svg = re.search(r"<svg class=\"playbook-timeline\".*?</svg>", response.content.decode(), re.S).group(0)
    assert "1. Sign the order: carried out by the service consumer, due on day 0 (the first day)." in svg
    assert (
        "3. Train users: carried out by the service provider, due on day 3, after Ship laptops (due by day 5)"
        in svg
    )


def test_readers_see_the_playbook_without_the_forms(as_user, desk, playbook):
    page = as_user(desk).get(url("playbook_detail", playbook.pk)).content.decode()

    assert "Ship laptops" in page
    assert url("playbook_action_add", playbook.pk) not in page
    assert url("playbook_edit", playbook.pk) not in page


def test_the_actions_come_alone_for_htmx(as_user, owner, playbook):
    response = as_user(owner).get(url("playbook_detail", playbook.pk), **HX)

    assert "<html" not in response.content.decode()
    assert "Ship laptops" in page_text(response)


def test_adding_an_action_with_htmx_answers_with_the_region(as_user, owner, playbook):
    response = as_user(owner).post(
        url("playbook_action_add", playbook.pk),
        {**ACTION, "depends_on": [action("Ship laptops").pk]},
        **HX,
    )

    assert response.status_code == 200 and "<html" not in response.content.decode()
    assert "“Hand over laptops” added." in page_text(response)
    assert list(action("Hand over laptops").depends_on.values_list("title", flat=True)) == ["Ship laptops"]


def test_adding_an_action_without_htmx_redirects_back(as_user, owner, playbook):
    response = as_user(owner).post(url("playbook_action_add", playbook.pk), ACTION)

    assert response["Location"] == url("playbook_detail", playbook.pk) + "#actions"


@pytest.mark.parametrize(
    ("days", "message"),
    [("-1", "greater than or equal to 0"), ("731", "less than or equal to 730"), ("soon", "whole number")],
)
def test_due_days_off_the_range_are_a_400_naming_the_field(as_user, owner, playbook, days, message):
    response = as_user(owner).post(
        url("playbook_action_add", playbook.pk), {**ACTION, "due_after_days": days}
    )

    assert response.status_code == 400
    assert message in field_error(response, "id_add_due_after_days")
    assert not PlaybookAction.objects.filter(title="Hand over laptops").exists()


def test_a_dependency_cycle_is_refused_naming_the_actions(as_user, owner, playbook):
    sign = action("Sign the order")

    response = as_user(owner).post(
        url("playbook_action_edit", playbook.pk, sign.pk),
        {
            "title": "Sign the order",
            "owner_party": "consumer",
            "due_after_days": 0,
            "depends_on": [action("Train users").pk],
        },
    )

    assert response.status_code == 400
    assert field_error(response, f"id_action_{sign.pk}_depends_on") == (
        "“Sign the order” cannot wait for “Train users”: that would close a circle (“Sign the order” → "
        "“Train users” → “Ship laptops” → “Sign the order”, each waiting for the next)."
    )
    assert "Nothing was saved." in page_text(response)
    assert not sign.depends_on.exists()


def test_the_cycle_comes_back_to_htmx_as_the_region_with_a_200(as_user, owner, playbook):
    sign = action("Sign the order")

    response = as_user(owner).post(
        url("playbook_action_edit", playbook.pk, sign.pk),
        {
            "title": "Sign the order",
            "owner_party": "consumer",
            "due_after_days": 0,
            "depends_on": [action("Ship laptops").pk],
        },
        **HX,
    )

    assert response.status_code == 200
    assert "cannot wait for “Ship laptops”" in page_text(response)


def test_the_edit_form_opens_in_place_without_the_action_itself_as_a_choice(as_user, owner, playbook):
    ship = action("Ship laptops")

    page = as_user(owner).get(url("playbook_action_edit", playbook.pk, ship.pk), **HX).content.decode()

    assert f'value="{action("Sign the order").pk}"' in page
    assert re.search(rf'value="{action("Sign the order").pk}"[^>]*checked', page)
    assert f'value="{ship.pk}" id="id_action_{ship.pk}_depends_on' not in page


def test_moving_an_action_down_past_an_independent_one(as_user, owner, playbook):
    hand_over = PlaybookActionFactory(playbook=playbook, title="Hand over laptops", position=3)
    survey = PlaybookActionFactory(playbook=playbook, title="Send a survey", position=4)

    response = as_user(owner).post(
        url("playbook_action_move", playbook.pk, hand_over.pk), {"direction": "down"}, **HX
    )

    assert "“Hand over laptops” moved." in page_text(response)
    assert row_titles(response)[-2:] == ["Send a survey", "Hand over laptops"]
    survey.refresh_from_db()
    hand_over.refresh_from_db()
    assert survey.position < hand_over.position


def test_an_action_cannot_move_above_what_it_waits_for(as_user, owner, playbook):
    ship = action("Ship laptops")

    response = as_user(owner).post(url("playbook_action_move", playbook.pk, ship.pk), {"direction": "up"})

    assert response.status_code == 400
    assert "“Ship laptops” waits for “Sign the order”, so it stays after it." in page_text(response)


def test_removing_an_action(as_user, owner, playbook):
    response = as_user(owner).post(url("playbook_action_remove", playbook.pk, action("Ship laptops").pk))

    assert response["Location"] == url("playbook_detail", playbook.pk) + "#actions"
    assert sorted(playbook.actions.values_list("title", flat=True)) == ["Sign the order", "Train users"]


@pytest.mark.parametrize("persona", ["desk", "analyst", "integrator"])
def test_roles_that_may_not_write_get_403_and_nothing_changes(request, as_user, playbook, persona):
    client = as_user(request.getfixturevalue(persona))

    assert client.post(url("playbook_action_add", playbook.pk), ACTION).status_code == 403
    assert client.post(url("playbook_delete", playbook.pk)).status_code == 403
    assert PlaybookAction.objects.count() == 3 and OnboardingPlaybook.objects.exists()


def test_an_action_of_another_playbook_is_not_found(as_user, owner, playbook):
    elsewhere = PlaybookActionFactory()

    assert as_user(owner).post(url("playbook_action_remove", playbook.pk, elsewhere.pk)).status_code == 404
    assert PlaybookAction.objects.filter(pk=elsewhere.pk).exists()


def test_the_playbook_page_costs_the_same_queries_at_any_size(as_user, owner, django_assert_num_queries):
    small = OnboardingPlaybookFactory()
    PlaybookActionFactory(playbook=small)
    large = OnboardingPlaybookFactory()
    previous = None
    for _ in range(15):
        current = PlaybookActionFactory(playbook=large)
        if previous:
            PlaybookActionDependencyFactory(action=current, depends_on=previous)
        previous = current
    client = as_user(owner)
    client.get(url("playbook_detail", small.pk))

    # session, user with roles, the playbook with its offering, actions, dependencies
    with django_assert_num_queries(5):
        client.get(url("playbook_detail", small.pk))
    with django_assert_num_queries(5):
        client.get(url("playbook_detail", large.pk))
