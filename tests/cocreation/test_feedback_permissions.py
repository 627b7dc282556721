"""Who may open which feedback and moments-of-truth page, in one table: every page × every persona and
an anonymous visitor, then every form posted by each persona who may not write (nothing changes) and by
the desk (it writes).

Feedback and moments follow their account: outsiders get 404; the desk, the account's relationship
managers and administrators record and handle them; analysts read; integrators use the API.
"""

import pytest
from django.urls import reverse

from cocreation.models import Feedback, MomentReview
from journeys.models import JourneyEvent, Touchpoint
from tests.factories.cocreation_feedback import FeedbackFactory, MomentOfTruthFactory
from tests.factories.journeys import TouchpointFactory
from tests.permissions import LOGIN, assert_answer, get_cases, post_cases

pytestmark = pytest.mark.django_db


def page(name, key=None, **query):
    def url(objects):
        path = reverse(f"cocreation:{name}", args=[objects[key].pk] if key else [])
        if query:
            path += "?" + "&".join(f"{param}={objects[value].pk}" for param, value in query.items())
        return path

    return url


PAGES = {
    "feedback_list": page("feedback_list"),
    "feedback_list_of_account": page("feedback_list", organization="account"),
    "feedback_new": page("feedback_new", organization="account"),
    "feedback_detail": page("feedback_detail", "feedback"),
    "feedback_transition": page("feedback_transition", "feedback"),
    "moment_list": page("moment_list"),
    "moment_list_of_account": page("moment_list", organization="account"),
    "moment_review": page("moment_review", "moment"),
}

# fmt: off
#                                 anonymous owner teammate outsider desk analyst integrator admin
GET_TABLE = {
    "feedback_list":                 (LOGIN, 200, 200, 200, 200, 200, 403, 200),
    "feedback_list_of_account":      (LOGIN, 200, 200, 404, 200, 200, 403, 200),
    "feedback_new":                  (LOGIN, 200, 200, 404, 200, 403, 403, 200),
    "feedback_detail":               (LOGIN, 200, 200, 404, 200, 200, 403, 200),
    "feedback_transition":           (LOGIN, 405, 405, 405, 405, 405, 403, 405),
    "moment_list":                   (LOGIN, 200, 200, 200, 200, 200, 403, 200),
    "moment_list_of_account":        (LOGIN, 200, 200, 404, 200, 200, 403, 200),
    "moment_review":                 (LOGIN, 200, 200, 404, 200, 403, 403, 200),
}
# fmt: on

FORMS = {
    "feedback_new": lambda objects: {
        "kind": "complaint",
        "text": "Too slow.",
        "sentiment": "-1",
        "source": "user",
        "channel": "email",
    },
    "feedback_transition": lambda objects: {"to_status": "acknowledged"},
    "moment_review": lambda objects: {"polarity": "negative", "recovered": "yes"},
}
REFUSED = {"anonymous": LOGIN, "outsider": 404, "analyst": 403, "integrator": 403}
POST_TABLE = dict.fromkeys(FORMS, REFUSED)


@pytest.fixture
def objects(account, other_account):
    return {
        "account": account,
        "touchpoint": TouchpointFactory(organization=account),
        "feedback": FeedbackFactory(organization=account, text="The bills are unreadable."),
        "moment": MomentOfTruthFactory(organization=account),
        "outsiders_feedback": FeedbackFactory(organization=other_account, text="Northbank wants statements."),
    }


def everything_written():
    return {
        "feedback": list(Feedback.objects.order_by("pk").values_list("pk", "status", "updated_at")),
        "touchpoints": Touchpoint.objects.count(),
        "reviews": MomentReview.objects.count(),
        "events": JourneyEvent.objects.count(),
    }


def test_the_table_covers_every_page():
    from cocreation.urls import feedback

    assert {pattern.name for pattern in feedback.urlpatterns} == {
        name for name in GET_TABLE if not name.endswith("_of_account")
    }
    assert set(GET_TABLE) == set(PAGES)


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


@pytest.mark.parametrize("persona", ["desk", "owner", "teammate", "administrator"])
@pytest.mark.parametrize("page", sorted(FORMS))
def test_the_same_input_from_a_writer_is_accepted(client_as, objects, page, persona):
    before = everything_written()

    response = client_as(persona).post(PAGES[page](objects), FORMS[page](objects))

    assert response.status_code == 302
    assert everything_written() != before


@pytest.mark.parametrize("page", ["feedback_list", "moment_list"])
def test_the_lists_over_every_account_hide_an_outsiders_accounts(client_as, objects, other_account, page):
    MomentOfTruthFactory(organization=other_account, summary="Northbank vault closed")

    text = client_as("owner").get(PAGES[page](objects)).content.decode()

    assert "Northbank" not in text
