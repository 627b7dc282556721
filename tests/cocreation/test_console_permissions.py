"""Who may use the service desk console, in one table (the harness of tests/permissions.py): every page
× every persona and an anonymous visitor, then the logging form posted by each persona who may not log
(nothing is written). The same rows count for tests/dsv/test_permissions.py, which covers the app.

The console opens for every browser role; relationship managers find and pick only their accounts
(another account's panel is not found, and the form refuses it, naming the organization); analysts
read the console and panels without the form; integrators use the API.
"""

import pytest
from django.urls import reverse

from journeys.models import IdempotencyKey, JourneyEvent, Touchpoint
from tests.permissions import LOGIN, assert_answer, get_cases, post_cases

pytestmark = pytest.mark.django_db

PAGES = {
    "console": lambda objects: reverse("cocreation:console"),
    "console_panel": lambda objects: reverse("cocreation:console_panel", args=[objects["account"].pk]),
    "console_log": lambda objects: reverse("cocreation:console_log"),
}

# What a GET answers (logging is a POST only).
# fmt: off
#                    anonymous owner teammate outsider desk analyst integrator admin
GET_TABLE = {
    "console":       (LOGIN, 200, 200, 200, 200, 200, 403, 200),
    "console_panel": (LOGIN, 200, 200, 404, 200, 200, 403, 200),
    "console_log":   (LOGIN, 405, 405, 405, 405, 405, 403, 405),
}
# fmt: on

FORMS = {
    "console_log": lambda objects: {
        "token": "one-time-token-of-this-form",
        "organization": objects["account"].pk,
        "person": objects["sponsor"].pk,
        "channel": "telephone",
        "kind": "query",
        "step": "co_create",
        "sentiment": "1",
        "summary": "Asked for a second depot login",
    }
}

# What a POST answers from each persona who may not log there (the outsider's form names the
# organization it may not see: 400, the same answer as for one that does not exist).
POST_TABLE = {
    "console_log": {"anonymous": LOGIN, "outsider": 400, "analyst": 403, "integrator": 403},
}


@pytest.fixture
def objects(account, sponsor):
    return {"account": account, "sponsor": sponsor}


def everything_written():
    return {
        "touchpoints": Touchpoint.objects.count(),
        "events": JourneyEvent.objects.count(),
        "keys": IdempotencyKey.objects.count(),
    }


def test_the_table_covers_every_console_page():
    from cocreation.urls import console

    assert {pattern.name for pattern in console.urlpatterns} == set(GET_TABLE) == set(PAGES)
    assert set(FORMS) == set(POST_TABLE)


@pytest.mark.parametrize(("page", "persona", "expected"), get_cases(GET_TABLE))
def test_who_may_open_which_page(client_as, objects, page, persona, expected):
    url = PAGES[page](objects)

    assert_answer(client_as(persona).get(url), expected, url)


@pytest.mark.parametrize(("page", "persona", "expected"), post_cases(POST_TABLE))
def test_a_persona_who_may_not_log_writes_nothing(client_as, objects, page, persona, expected):
    url = PAGES[page](objects)
    before = everything_written()

    response = client_as(persona).post(url, FORMS[page](objects))

    assert_answer(response, expected, url)
    assert everything_written() == before


@pytest.mark.parametrize("persona", ["owner", "teammate", "desk", "administrator"])
def test_those_who_may_log_do(client_as, objects, persona):
    before = everything_written()

    response = client_as(persona).post(PAGES["console_log"](objects), FORMS["console_log"](objects))

    assert response.status_code == 302
    assert everything_written() != before
