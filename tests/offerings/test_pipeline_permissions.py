"""Who may open which pipeline page, in one table: every page × every persona and an anonymous
visitor, then every form posted by each persona who may not write (nothing changes) and by the owner
(it writes). The same rows belong in tests/dsv/test_permissions.py, which covers the app.

Opportunities belong to their account: outsiders get 404 for the account's pages and see none of its
opportunities on the pipeline of all accounts; the desk and analysts read; integrators use the API.
"""

import pytest
from django.urls import reverse

from journeys.models import JourneyEvent
from offerings.models import Opportunity
from tests.factories.offerings import OpportunityFactory
from tests.permissions import LOGIN, assert_answer, get_cases, post_cases

pytestmark = pytest.mark.django_db


def offer(name, *keys):
    return lambda objects: reverse(f"offerings:{name}", args=[objects[key].pk for key in keys])


PAGES = {
    "pipeline": offer("pipeline"),
    "account_pipeline": offer("account_pipeline", "account"),
    "opportunity_create": offer("opportunity_create", "account"),
    "opportunity_detail": offer("opportunity_detail", "opportunity"),
    "opportunity_edit": offer("opportunity_edit", "opportunity"),
    "opportunity_delete": offer("opportunity_delete", "opportunity"),
    "opportunity_move": offer("opportunity_move", "opportunity"),
}

# What a GET answers (the move page is the form that asks why an opportunity was lost).
# fmt: off
#                           anonymous owner teammate outsider desk analyst integrator admin
GET_TABLE = {
    "pipeline":             (LOGIN, 200, 200, 200, 200, 200, 403, 200),
    "account_pipeline":     (LOGIN, 200, 200, 404, 200, 200, 403, 200),
    "opportunity_create":   (LOGIN, 200, 200, 404, 403, 403, 403, 200),
    "opportunity_detail":   (LOGIN, 200, 200, 404, 200, 200, 403, 200),
    "opportunity_edit":     (LOGIN, 200, 200, 404, 403, 403, 403, 200),
    "opportunity_delete":   (LOGIN, 200, 200, 404, 403, 403, 403, 200),
    "opportunity_move":     (LOGIN, 200, 200, 404, 403, 403, 403, 200),
}
# fmt: on

# Form input each form would accept from someone allowed to use it.
FORMS = {
    "opportunity_create": lambda objects: {"title": "Driver app", "stage": "demand"},
    "opportunity_edit": lambda objects: {"title": "Renamed opportunity"},
    "opportunity_move": lambda objects: {"stage": "proposal"},
}

# What a POST answers from each persona who may not write there.
REFUSED = {"anonymous": LOGIN, "outsider": 404, "desk": 403, "analyst": 403, "integrator": 403}
POST_TABLE = dict.fromkeys(FORMS, REFUSED)


@pytest.fixture
def objects(account, other_account):
    return {"account": account, "opportunity": OpportunityFactory(organization=account, title="Fleet app")}


def everything_written():
    return {
        "opportunities": list(Opportunity.objects.order_by("pk").values_list("pk", "updated_at")),
        "events": JourneyEvent.objects.count(),
    }


def test_the_table_covers_every_pipeline_page():
    from offerings.urls import pipeline

    assert {pattern.name for pattern in pipeline.urlpatterns} == set(GET_TABLE) == set(PAGES)
    form_pages = {name for name in GET_TABLE if name.endswith(("_create", "_edit", "_start", "_move"))}
    assert form_pages == set(FORMS) == set(POST_TABLE)


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


@pytest.mark.parametrize("page", sorted(FORMS))
def test_the_same_input_from_the_owner_is_accepted(client_as, objects, page):
    """The refusals above come from the persona, not from the input: the owner's identical POST writes."""
    before = everything_written()

    response = client_as("owner").post(PAGES[page](objects), FORMS[page](objects))

    assert response.status_code == 302
    assert everything_written() != before


@pytest.mark.parametrize("persona", ["outsider", "desk", "analyst"])
def test_deleting_is_refused_to_those_who_may_not_write(client_as, objects, persona):
    before = everything_written()

    response = client_as(persona).post(PAGES["opportunity_delete"](objects))

    assert response.status_code == (404 if persona == "outsider" else 403)
    assert everything_written() == before
