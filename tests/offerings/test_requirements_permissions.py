"""Who may open which requirement page, in one table: every page × every persona and an anonymous
visitor, then every form posted by each persona who may not write (nothing changes) and by the owner
(it writes). The same rows belong in tests/dsv/test_permissions.py, which covers the app.

Requirements belong to their account: outsiders (relationship managers of another team) get 404,
the desk and analysts read, integrators use the API, never the pages.
"""

import pytest
from django.urls import reverse

from journeys.models import JourneyEvent
from offerings.models import Requirement
from tests.factories.offerings import RequirementFactory
from tests.permissions import LOGIN, assert_answer, get_cases, post_cases

pytestmark = pytest.mark.django_db


def offer(name, *keys):
    return lambda objects: reverse(f"offerings:{name}", args=[objects[key].pk for key in keys])


PAGES = {
    "requirement_board": offer("requirement_board", "account"),
    "requirement_create": offer("requirement_create", "account"),
    "requirement_board_move": offer("requirement_board_move", "account"),
    "requirement_rank_by_wsjf": offer("requirement_rank_by_wsjf", "account"),
    "requirement_detail": offer("requirement_detail", "requirement"),
    "requirement_edit": offer("requirement_edit", "requirement"),
    "requirement_delete": offer("requirement_delete", "requirement"),
}

# What a GET answers.
# fmt: off
#                                 anonymous owner teammate outsider desk analyst integrator admin
GET_TABLE = {
    "requirement_board":          (LOGIN, 200, 200, 404, 200, 200, 403, 200),
    "requirement_create":         (LOGIN, 200, 200, 404, 403, 403, 403, 200),
    "requirement_board_move":     (LOGIN, 405, 405, 405, 405, 405, 403, 405),
    "requirement_rank_by_wsjf":   (LOGIN, 405, 405, 405, 405, 405, 403, 405),
    "requirement_detail":         (LOGIN, 200, 200, 404, 200, 200, 403, 200),
    "requirement_edit":           (LOGIN, 200, 200, 404, 403, 403, 403, 200),
    "requirement_delete":         (LOGIN, 200, 200, 404, 403, 403, 403, 200),
}
# fmt: on

# Form input each form would accept from someone allowed to use it.
FORMS = {
    "requirement_create": lambda objects: {
        "title": "Book from the phone",
        "kind": "utility",
        "status": "drafted",
    },
    "requirement_edit": lambda objects: {
        "title": "Renamed requirement",
        "kind": "utility",
        "status": "drafted",
        "moscow": "should",
    },
    "requirement_board_move": lambda objects: {"move": f"{objects['requirement'].pk}:must"},
}

# What a POST answers from each persona who may not write there.
REFUSED = {"anonymous": LOGIN, "outsider": 404, "desk": 403, "analyst": 403, "integrator": 403}
POST_TABLE = dict.fromkeys(FORMS, REFUSED)


@pytest.fixture
def objects(account, other_account):
    return {
        "account": account,
        "requirement": RequirementFactory(organization=account, title="Fleet booking", moscow="should"),
    }


def everything_written():
    return {
        "requirements": list(Requirement.objects.order_by("pk").values_list("pk", "updated_at")),
        "events": JourneyEvent.objects.count(),
    }


def test_the_table_covers_every_requirement_page():
    from offerings.urls import requirements

    assert {pattern.name for pattern in requirements.urlpatterns} == set(GET_TABLE) == set(PAGES)
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


@pytest.mark.parametrize("page", ["requirement_rank_by_wsjf", "requirement_delete"])
@pytest.mark.parametrize("persona", ["outsider", "desk", "analyst"])
def test_the_other_writes_are_refused_to_those_who_may_not_write(client_as, objects, page, persona):
    before = everything_written()

    response = client_as(persona).post(PAGES[page](objects), {"column": "should"})

    assert response.status_code == (404 if persona == "outsider" else 403)
    assert everything_written() == before
