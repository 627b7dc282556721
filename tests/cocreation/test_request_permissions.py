"""Who may open which request page, in one table: every page × every persona and an anonymous visitor,
then every form posted by each persona who may not write there (nothing changes) and the same input from
the owner (it writes). The same rows belong in tests/dsv/test_permissions.py, which covers the app.

A request follows its account: an outsider gets 404 for another account's request (and the new-request
form does not know that account); the desk, relationship managers of the account and administrators
open and change requests; analysts read them and change nothing; integrators use the API.
"""

import pytest
from django.urls import reverse

from cocreation.models import RequestPause, RequestStatus, RequestUpdate, ServiceRequest
from journeys.models import JourneyEvent
from tests.factories.cocreation import ServiceRequestFactory
from tests.permissions import LOGIN, assert_answer, get_cases, post_cases

pytestmark = pytest.mark.django_db


def page(name, key=None, **query):
    def make(objects):
        path = reverse(f"cocreation:{name}", args=[objects[key].pk] if key else [])
        if query:
            path += "?" + "&".join(f"{field}={objects[value].pk}" for field, value in query.items())
        return path

    return make


PAGES = {
    "request_list": page("request_list"),
    "request_new": page("request_new", organization="account"),
    "request_detail": page("request_detail", "request"),
    "request_edit": page("request_edit", "request"),
    "request_transition": page("request_transition", "request"),
    "request_comment": page("request_comment", "request"),
}

# What a GET answers. The new-request form for an account the outsider may not see says the account is
# unknown (400, on the form); moves and notes are POSTs only.
# fmt: off
#                         anonymous owner teammate outsider desk analyst integrator admin
GET_TABLE = {
    "request_list":       (LOGIN, 200, 200, 200, 200, 200, 403, 200),
    "request_new":        (LOGIN, 200, 200, 400, 200, 403, 403, 200),
    "request_detail":     (LOGIN, 200, 200, 404, 200, 200, 403, 200),
    "request_edit":       (LOGIN, 200, 200, 404, 200, 403, 403, 200),
    "request_transition": (LOGIN, 405, 405, 405, 405, 405, 403, 405),
    "request_comment":    (LOGIN, 405, 405, 405, 405, 405, 403, 405),
}
# fmt: on

# Form input each form would accept from someone allowed to use it.
FORMS = {
    "request_new": lambda objects: {
        "organization": objects["account"].pk,
        "title": "Cannot log in to the portal",
        "kind": "query",
        "channel": "email",
        "impact": "2",
        "urgency": "2",
    },
    "request_edit": lambda objects: {
        "title": "Renamed request",
        "kind": "incident",
        "channel": "telephone",
        "impact": "1",
        "urgency": "1",
    },
    "request_transition": lambda objects: {"to_status": RequestStatus.IN_PROGRESS},
    "request_comment": lambda objects: {"note": "Called back, no answer."},
}

# What a POST answers from each persona who may not write there.
REFUSED = {"anonymous": LOGIN, "outsider": 404, "analyst": 403, "integrator": 403}
POST_TABLE = {name: REFUSED for name in FORMS} | {"request_new": REFUSED | {"outsider": 400}}
WRITERS = ("owner", "teammate", "desk", "administrator")


@pytest.fixture
def objects(account, other_account):
    return {
        "account": account,
        "request": ServiceRequestFactory(organization=account, title="Rentwheel printer"),
        "outsiders_request": ServiceRequestFactory(organization=other_account, title="Northbank card reader"),
    }


def everything_written():
    return {
        "requests": list(
            ServiceRequest.objects.order_by("pk").values_list("pk", "status", "title", "updated_at")
        ),
        "updates": RequestUpdate.objects.count(),
        "pauses": RequestPause.objects.count(),
        "events": JourneyEvent.objects.count(),
    }


def test_the_table_covers_every_request_page():
    from cocreation.urls import requests

    assert {pattern.name for pattern in requests.urlpatterns} == set(GET_TABLE) == set(PAGES)
    assert (
        set(FORMS)
        == set(POST_TABLE)
        == {name for name in GET_TABLE if name != "request_list" and name != "request_detail"}
    )


@pytest.mark.parametrize(("page", "persona", "expected"), get_cases(GET_TABLE))
def test_who_may_open_which_page(client_as, objects, page, persona, expected):
    url = PAGES[page](objects)

    assert_answer(client_as(persona).get(url), expected, url)


@pytest.mark.parametrize(("page", "persona", "expected"), post_cases(POST_TABLE))
def test_a_persona_who_may_not_write_changes_nothing(client_as, objects, page, persona, expected):
    url = PAGES[page](objects)
    before = everything_written()

    response = client_as(persona).post(url, FORMS[page](objects))

    assert_answer(response, expected, url)
    assert everything_written() == before


@pytest.mark.parametrize("persona", WRITERS)
@pytest.mark.parametrize("page", sorted(FORMS))
def test_the_same_input_from_those_who_may_write_is_accepted(client_as, objects, page, persona):
    """The refusals above come from the persona, not from the input."""
    before = everything_written()

    response = client_as(persona).post(PAGES[page](objects), FORMS[page](objects))

    assert response.status_code == 302
    assert everything_written() != before


@pytest.mark.parametrize("persona", ["owner", "teammate", "desk", "analyst", "administrator"])
def test_the_list_shows_only_the_requests_of_accounts_the_persona_sees(client_as, objects, persona):
    text = client_as(persona).get(PAGES["request_list"](objects)).content.decode()

    assert "Rentwheel printer" in text
    assert ("Northbank card reader" in text) == (persona in ("desk", "analyst", "administrator"))


def test_an_outsider_sees_nothing_of_another_accounts_requests(client_as, objects):
    text = client_as("outsider").get(PAGES["request_list"](objects)).content.decode()

    assert "Rentwheel printer" not in text
    assert "Northbank card reader" in text


def test_the_analyst_is_offered_no_new_request(client_as, objects):
    html = client_as("analyst").get(PAGES["request_list"](objects)).content.decode()

    assert reverse("cocreation:request_new") not in html
