"""Who may open which survey page, in one table: every page × every persona and an anonymous visitor,
then every form posted by each persona who may not write (nothing changes) and by those who may.

Surveys are the provider's own: everyone with a browser role reads them, with the figures, invitations,
answers and follow-ups of the accounts they see (another team's account asked for by number is 404).
Relationship managers and administrators define, test and send surveys and close follow-ups; the desk
and analysts read; integrators use the API.
"""

import pytest
from django.urls import reverse

from realization.models import FollowUp, Survey, SurveyInvitation
from tests.factories.journeys import StakeholderFactory
from tests.factories.realization import FollowUpFactory, SurveyFactory, SurveyResponseFactory
from tests.permissions import LOGIN, assert_answer, get_cases, post_cases

pytestmark = pytest.mark.django_db


def page(name, key=None, **query):
    def url(objects):
        path = reverse(f"realization:{name}", args=[objects[key].pk] if key else [])
        if query:
            path += "?" + "&".join(f"{param}={objects[value].pk}" for param, value in query.items())
        return path

    return url


PAGES = {
    "survey_list": page("survey_list"),
    "survey_new": page("survey_new"),
    "survey_detail": page("survey_detail", "survey"),
    "survey_detail_of_account": page("survey_detail", "survey", organization="account"),
    "survey_edit": page("survey_edit", "survey"),
    "survey_test": page("survey_test", "survey"),
    "survey_send": page("survey_send", "survey"),
    "survey_send_of_account": page("survey_send", "survey", organization="account"),
    "response_list": page("response_list"),
    "response_list_of_account": page("response_list", organization="account"),
    "follow_up_list": page("follow_up_list"),
    "follow_up_list_of_account": page("follow_up_list", organization="account"),
    "follow_up_detail": page("follow_up_detail", "follow_up"),
    "follow_up_close": page("follow_up_close", "follow_up"),
}

# fmt: off
#                                 anonymous owner teammate outsider desk analyst integrator admin
GET_TABLE = {
    "survey_list":                   (LOGIN, 200, 200, 200, 200, 200, 403, 200),
    "survey_new":                    (LOGIN, 200, 200, 200, 403, 403, 403, 200),
    "survey_detail":                 (LOGIN, 200, 200, 200, 200, 200, 403, 200),
    "survey_detail_of_account":      (LOGIN, 200, 200, 404, 200, 200, 403, 200),
    "survey_edit":                   (LOGIN, 200, 200, 200, 403, 403, 403, 200),
    "survey_test":                   (LOGIN, 405, 405, 405, 405, 405, 403, 405),
    "survey_send":                   (LOGIN, 200, 200, 200, 403, 403, 403, 200),
    "survey_send_of_account":        (LOGIN, 200, 200, 404, 403, 403, 403, 200),
    "response_list":                 (LOGIN, 200, 200, 200, 200, 200, 403, 200),
    "response_list_of_account":      (LOGIN, 200, 200, 404, 200, 200, 403, 200),
    "follow_up_list":                (LOGIN, 200, 200, 200, 200, 200, 403, 200),
    "follow_up_list_of_account":     (LOGIN, 200, 200, 404, 200, 200, 403, 200),
    "follow_up_detail":              (LOGIN, 200, 200, 404, 200, 200, 403, 200),
    "follow_up_close":               (LOGIN, 405, 405, 405, 405, 405, 403, 405),
}
# fmt: on

SURVEY_FORM = {
    "name": "Quarterly relationship NPS",
    "survey_type": "nps",
    "question": "How likely are you to recommend us?",
    "audience": ["customer", "sponsor"],
    "trigger": "periodic",
    "period_months": "3",
    "sampling_percent": "100",
    "send_delay_hours": "0",
    "expiry_days": "14",
    "reminder_after_days": "5",
    "is_active": "on",
}
FORMS = {
    "survey_new": lambda objects: SURVEY_FORM,
    "survey_edit": lambda objects: {**SURVEY_FORM, "survey_type": "csat", "trigger": "manual"},
    "survey_test": lambda objects: {},
    "survey_send_of_account": lambda objects: {"organization": objects["account"].pk},
    "follow_up_close": lambda objects: {"outcome": "Called; the invoice is corrected."},
}
REFUSED = {"anonymous": LOGIN, "desk": 403, "analyst": 403, "integrator": 403}
POST_TABLE = {
    "survey_new": REFUSED,
    "survey_edit": REFUSED,
    "survey_test": REFUSED,
    "survey_send_of_account": {**REFUSED, "outsider": 404},
    "follow_up_close": {**REFUSED, "outsider": 404},
}
# What a writer's post answers: a redirect, except a send by hand, which lists its decisions.
ACCEPTED = {"survey_send_of_account": 200}


@pytest.fixture
def objects(account, other_account):
    survey = SurveyFactory(name="After a request")
    StakeholderFactory(organization=account, survey_consent=True, email="eva@rentwheel.example")
    answer = SurveyResponseFactory(survey=survey, organization=account, score=1, comment="Slow.")
    return {
        "account": account,
        "survey": survey,
        "follow_up": FollowUpFactory(response=answer),
        "outsiders_answer": SurveyResponseFactory(survey=survey, organization=other_account, score=2),
    }


def everything_written():
    return {
        "surveys": list(
            Survey.objects.order_by("pk").values_list("pk", "survey_type", "tested_at", "updated_at")
        ),
        "invitations": SurveyInvitation.objects.count(),
        "follow_ups": list(FollowUp.objects.order_by("pk").values_list("pk", "status", "updated_at")),
    }


def test_the_table_covers_every_page():
    from realization.urls import surveys

    assert {pattern.name for pattern in surveys.urlpatterns} == {
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


@pytest.mark.parametrize("persona", ["owner", "teammate", "administrator"])
@pytest.mark.parametrize("page", sorted(FORMS))
def test_the_same_input_from_a_writer_is_accepted(client_as, objects, page, persona):
    before = everything_written()

    response = client_as(persona).post(PAGES[page](objects), FORMS[page](objects))

    assert response.status_code == ACCEPTED.get(page, 302)
    assert everything_written() != before


@pytest.mark.parametrize("page", ["response_list", "follow_up_list", "survey_detail"])
def test_the_lists_over_every_account_hide_an_outsiders_accounts(client_as, objects, other_account, page):
    FollowUpFactory(response=objects["outsiders_answer"])

    text = client_as("owner").get(PAGES[page](objects)).content.decode()

    assert "Northbank" not in text
