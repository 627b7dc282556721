"""The playbook API under /api/v1/offer/: playbooks with their actions in dependency order, actions with
their prerequisites, cycles refused with the actions named, who may write, and the error envelope."""

import pytest
from django.urls import reverse

from offerings.models import OnboardingPlaybook, PlaybookAction
from tests.factories.offerings import (
    OnboardingPlaybookFactory,
    PlaybookActionDependencyFactory,
    PlaybookActionFactory,
    ServiceOfferingFactory,
)

pytestmark = pytest.mark.django_db

PLAYBOOK_KEYS = {
    "id", "offering", "offering_name", "name", "vision", "scope", "goals", "controls", "owner",
    "action_count", "last_due_day", "created_at", "updated_at",
}  # fmt: skip
ACTION_KEYS = {
    "id", "playbook", "order", "title", "description", "owner_party", "owner_role", "due_after_days",
    "depends_on", "position", "created_at", "updated_at",
}  # fmt: skip


def url(name, *args):
    return reverse(name, args=args)


def assert_error(response, status, code=None, field=None):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "fields"}
    if code is not None:
        assert body["error"]["code"] == code
    if field is not None:
        assert field in body["error"]["fields"], body
    return body["error"]


@pytest.fixture
def playbook():
    """Ship laptops (placed first) waits for sign the order (placed last)."""
    playbook = OnboardingPlaybookFactory(name="Ward roll-out")
    ship = PlaybookActionFactory(playbook=playbook, title="Ship laptops", due_after_days=5, position=0)
    sign = PlaybookActionFactory(
        playbook=playbook, title="Sign the order", owner_party="consumer", position=1
    )
    PlaybookActionDependencyFactory(action=ship, depends_on=sign)
    return playbook


def test_a_playbook_reads_with_its_actions_in_dependency_order(analyst, token_client, playbook):
    body = token_client(analyst).get(url("api_offer_playbook", playbook.pk)).json()

    assert set(body) == PLAYBOOK_KEYS | {"actions"}
    assert [(action["order"], action["title"]) for action in body["actions"]] == [
        (1, "Sign the order"),
        (2, "Ship laptops"),
    ]
    assert set(body["actions"][0]) == ACTION_KEYS
    assert body["actions"][1]["depends_on"] == [body["actions"][0]["id"]]
    assert (body["action_count"], body["last_due_day"]) == (2, 5)


def test_the_actions_list_has_the_same_order(owner, token_client, playbook):
    titles = [
        action["title"]
        for action in token_client(owner).get(url("api_offer_playbook_actions", playbook.pk)).json()
    ]

    assert titles == ["Sign the order", "Ship laptops"]


def test_playbooks_are_listed_and_filtered_by_offering(owner, token_client, playbook):
    other = OnboardingPlaybookFactory()
    client = token_client(owner)

    everything = client.get(url("api_offer_playbooks")).json()["results"]
    filtered = client.get(url("api_offer_playbooks"), {"offering": other.offering_id}).json()["results"]

    assert {row["id"] for row in everything} == {playbook.pk, other.pk}
    assert set(everything[0]) == PLAYBOOK_KEYS
    assert [row["id"] for row in filtered] == [other.pk]


def test_an_integrator_designs_a_playbook(integrator, token_client):
    offering = ServiceOfferingFactory()

    response = token_client(integrator).post(
        url("api_offer_playbooks"), {"offering": offering.pk, "name": "Light"}
    )

    assert response.status_code == 201, response.content
    assert (response.json()["offering"], response.json()["actions"]) == (offering.pk, [])


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"name": "No offering"}, 400, "offering"),
        ({"offering": 999, "name": "Ghost"}, 400, "offering"),
        ({"name": ""}, 400, "name"),
    ],
)
def test_bad_playbook_input_is_named(owner, token_client, body, status, field):
    if "offering" not in body and field != "offering":
        body = {**body, "offering": ServiceOfferingFactory().pk}

    assert_error(token_client(owner).post(url("api_offer_playbooks"), body), status, field=field)
    assert not OnboardingPlaybook.objects.exists()


def test_a_duplicate_playbook_name_is_a_409(owner, token_client, playbook):
    assert_error(
        token_client(owner).post(
            url("api_offer_playbooks"), {"offering": playbook.offering_id, "name": "WARD ROLL-OUT"}
        ),
        409,
        code="duplicate",
        field="name",
    )


def test_an_action_is_added_with_its_prerequisites(owner, token_client, playbook):
    ship = PlaybookAction.objects.get(title="Ship laptops")

    response = token_client(owner).post(
        url("api_offer_playbook_actions", playbook.pk),
        {"title": "Train users", "owner_party": "provider", "due_after_days": 10, "depends_on": [ship.pk]},
    )

    assert response.status_code == 201, response.content
    assert (response.json()["order"], response.json()["depends_on"]) == (3, [ship.pk])


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": "Late", "due_after_days": 731}, "due_after_days"),
        ({"title": "Early", "due_after_days": -1}, "due_after_days"),
        ({"title": "Who", "owner_party": "supplier"}, "owner_party"),
        ({"title": "Ghost", "depends_on": [999]}, "depends_on"),
        ({"due_after_days": 3}, "title"),
    ],
)
def test_bad_action_input_is_a_400_naming_the_field(owner, token_client, playbook, body, field):
    assert_error(
        token_client(owner).post(url("api_offer_playbook_actions", playbook.pk), body), 400, field=field
    )
    assert PlaybookAction.objects.count() == 2


def test_a_prerequisite_from_another_playbook_is_refused(owner, token_client, playbook):
    elsewhere = PlaybookActionFactory()

    error = assert_error(
        token_client(owner).post(
            url("api_offer_playbook_actions", playbook.pk), {"title": "Mixed", "depends_on": [elsewhere.pk]}
        ),
        400,
        field="depends_on",
    )
    assert "same playbook" in error["fields"]["depends_on"][0]


def test_a_dependency_cycle_is_refused_with_the_actions_named(owner, token_client, playbook):
    sign = PlaybookAction.objects.get(title="Sign the order")
    ship = PlaybookAction.objects.get(title="Ship laptops")

    error = assert_error(
        token_client(owner).patch(url("api_offer_playbook_action", sign.pk), {"depends_on": [ship.pk]}),
        400,
        code="dependency_cycle",
        field="depends_on",
    )

    assert error["fields"]["depends_on"] == [
        "“Sign the order” cannot wait for “Ship laptops”: that would close a circle (“Sign the order” → "
        "“Ship laptops” → “Sign the order”, each waiting for the next)."
    ]
    assert not sign.depends_on.exists()


def test_patching_an_action_moves_it_and_frees_it(owner, token_client, playbook):
    ship = PlaybookAction.objects.get(title="Ship laptops")

    response = token_client(owner).patch(
        url("api_offer_playbook_action", ship.pk),
        {"depends_on": [], "position": 2, "owner_role": "Logistics"},
    )

    assert response.status_code == 200, response.content
    assert (response.json()["depends_on"], response.json()["order"], response.json()["owner_role"]) == (
        [],
        2,
        "Logistics",
    )


def test_removing_an_action(owner, token_client, playbook):
    sign = PlaybookAction.objects.get(title="Sign the order")

    assert token_client(owner).delete(url("api_offer_playbook_action", sign.pk)).status_code == 204

    assert list(PlaybookAction.objects.values_list("title", flat=True)) == ["Ship laptops"]


@pytest.mark.parametrize("reader", ["desk", "analyst"])
def test_readers_get_403_on_every_write(request, token_client, reader, playbook):
    client = token_client(request.getfixturevalue(reader))
    sign = PlaybookAction.objects.get(title="Sign the order")

    assert_error(
        client.post(url("api_offer_playbooks"), {"offering": playbook.offering_id, "name": "X"}), 403
    )
    assert_error(client.patch(url("api_offer_playbook", playbook.pk), {"name": "Mine"}), 403)
    assert_error(client.post(url("api_offer_playbook_actions", playbook.pk), {"title": "Sneaky"}), 403)
    assert_error(client.delete(url("api_offer_playbook_action", sign.pk)), 403)
    assert_error(client.delete(url("api_offer_playbook", playbook.pk)), 403)
    assert OnboardingPlaybook.objects.get().name == "Ward roll-out"
    assert PlaybookAction.objects.count() == 2


def test_missing_playbooks_and_actions_are_404_envelopes(owner, token_client):
    client = token_client(owner)

    assert_error(client.get(url("api_offer_playbook", 999)), 404, code="not_found")
    assert_error(client.get(url("api_offer_playbook_action", 999)), 404, code="not_found")


@pytest.mark.parametrize("size", [2, 20])
def test_the_playbook_list_costs_the_same_queries_at_any_size(
    owner, token_client, size, django_assert_num_queries
):
    for _ in range(size):
        PlaybookActionFactory(playbook=OnboardingPlaybookFactory())
    client = token_client(owner)

    with django_assert_num_queries(2):  # the token with its user and roles, the playbooks with their figures
        assert len(client.get(url("api_offer_playbooks")).json()["results"]) == size
