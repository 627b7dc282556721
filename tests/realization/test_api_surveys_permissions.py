"""Who may do what through Realize's survey API, in tables: every read × every persona and an anonymous
caller, then every write by each of them (refused ones change nothing, allowed ones write).

Survey definitions are the provider's own: every role reads them; relationship managers and
administrators define them (integrators, desk agents and analysts 403). Invitations, answers and
follow-ups belong to their account: relationship managers of other teams get 404 and never see them in
a list. Answers are recorded by the roles that record contacts (the account's team, the desk,
integrators, administrators); a follow-up is closed by its owner or a relationship manager or
administrator of the account; analysts write nothing (403).
"""

import pytest
from django.urls import reverse

from realization.api import surveys as surveys_api
from realization.models import FollowUp, Survey, SurveyInvitation, SurveyResponse
from tests.factories.journeys import StakeholderFactory
from tests.factories.realization import (
    FollowUpFactory,
    SurveyFactory,
    SurveyInvitationFactory,
    SurveyResponseFactory,
)
from tests.permissions import PERSONAS

pytestmark = pytest.mark.django_db


def realize(name, key=None):
    """The route's URL for the objects (`key` names the one in the path); the route's name rides along."""

    def url(objects):
        return reverse(f"api_realize_{name}", args=[objects[key].pk] if key else [])

    url.route = name
    return url


def upsert_url(objects):
    return reverse("api_realize_response_upsert", args=["crm-answer-1"])


upsert_url.route = "response_upsert"

READS = {
    "surveys": realize("surveys"),
    "survey": realize("survey", "survey"),
    "invitations": realize("invitations"),
    "invitation": realize("invitation", "invitation"),
    "responses": realize("responses"),
    "response": realize("response", "response"),
    "follow_ups": realize("follow_ups"),
    "follow_up": realize("follow_up", "follow_up"),
}

# fmt: off
#                   anonymous owner teammate outsider desk analyst integrator admin
GET_TABLE = {
    "surveys":     (401, 200, 200, 200, 200, 200, 200, 200),
    "survey":      (401, 200, 200, 200, 200, 200, 200, 200),
    "invitations": (401, 200, 200, 200, 200, 200, 200, 200),
    "invitation":  (401, 200, 200, 404, 200, 200, 200, 200),
    "responses":   (401, 200, 200, 200, 200, 200, 200, 200),
    "response":    (401, 200, 200, 404, 200, 200, 200, 200),
    "follow_ups":  (401, 200, 200, 200, 200, 200, 200, 200),
    "follow_up":   (401, 200, 200, 404, 200, 200, 200, 200),
}
# fmt: on


def answer(objects):
    return {"survey": objects["survey"].pk, "stakeholder": objects["person"].pk, "score": 2}


# name → (method, url, body, answer when allowed)
WRITES = {
    "survey_create": (
        "post",
        realize("surveys"),
        lambda objects: {
            "name": "Onboarding CES",
            "survey_type": "ces",
            "question": "It was easy to get started with the service.",
            "trigger": "onboarding_completed",
        },
        201,
    ),
    "survey_update": ("patch", realize("survey", "survey"), lambda objects: {"sampling_percent": 40}, 200),
    "response_record": ("post", realize("responses"), answer, 201),
    "response_upsert": ("put", upsert_url, answer, 201),
    "follow_up_close": (
        "post",
        realize("follow_up_close", "follow_up"),
        lambda objects: {"outcome": "Called back; the invoice is corrected."},
        200,
    ),
}
SURVEY_REFUSED = {"anonymous": 401, "desk": 403, "analyst": 403, "integrator": 403}
# An account the caller may not see is an unknown person in the body, not a missing URL.
ANSWER_REFUSED = {"anonymous": 401, "outsider": 400, "analyst": 403}
REFUSED = {
    "survey_create": SURVEY_REFUSED,
    "survey_update": SURVEY_REFUSED,
    "response_record": ANSWER_REFUSED,
    "response_upsert": ANSWER_REFUSED,
    "follow_up_close": {"anonymous": 401, "outsider": 404, "desk": 403, "analyst": 403, "integrator": 403},
}
ALLOWED = {
    name: [persona for persona in PERSONAS if persona not in refused] for name, refused in REFUSED.items()
}


@pytest.fixture
def objects(account, owner):
    survey = SurveyFactory(name="After a request is closed")
    person = StakeholderFactory(organization=account, survey_consent=True, email="joris@example.com")
    response = SurveyResponseFactory(survey=survey, organization=account, stakeholder=person, score=1)
    return {
        "account": account,
        "survey": survey,
        "person": person,
        "invitation": SurveyInvitationFactory(survey=survey, organization=account, stakeholder=person),
        "response": response,
        "follow_up": FollowUpFactory(response=response, owner=owner),
    }


@pytest.fixture
def api_as(request, token_client, api_client):
    def make(persona):
        if persona == "anonymous":
            return api_client
        return token_client(request.getfixturevalue(persona))

    return make


def everything_written():
    return {
        "surveys": list(Survey.objects.order_by("pk").values_list("pk", "updated_at")),
        "invitations": list(
            SurveyInvitation.objects.order_by("pk").values_list("pk", "status", "updated_at")
        ),
        "responses": list(SurveyResponse.objects.order_by("pk").values_list("pk", "score", "updated_at")),
        "follow_ups": list(FollowUp.objects.order_by("pk").values_list("pk", "status", "updated_at")),
    }


def test_the_tables_cover_every_survey_route():
    routes = {pattern.name.removeprefix("api_realize_") for pattern in surveys_api.urlpatterns}

    assert set(GET_TABLE) == set(READS)
    assert routes == {url.route for url in READS.values()} | {url.route for _, url, *_ in WRITES.values()}


@pytest.mark.parametrize(
    ("read", "persona", "expected"),
    [
        pytest.param(read, persona, expected, id=f"{read}-{persona}")
        for read, row in GET_TABLE.items()
        for persona, expected in zip(PERSONAS, row, strict=True)
    ],
)
def test_who_may_read_what(api_as, objects, read, persona, expected):
    response = api_as(persona).get(READS[read](objects))

    assert response.status_code == expected
    if expected != 200:
        assert set(response.json()) == {"error"}


def test_lists_hold_nothing_of_an_account_the_caller_may_not_see(api_as, objects):
    client = api_as("outsider")

    for name in ("invitations", "responses", "follow_ups"):
        assert client.get(READS[name](objects)).json()["results"] == [], name
    assert client.get(READS["follow_ups"](objects), {"status": "all"}).json()["results"] == []
    # The same lists hold the account's rows for its team.
    for name in ("invitations", "responses", "follow_ups"):
        assert len(api_as("teammate").get(READS[name](objects)).json()["results"]) == 1, name


@pytest.mark.parametrize(
    ("write", "persona", "expected"),
    [
        pytest.param(write, persona, expected, id=f"{write}-{persona}")
        for write, refused in REFUSED.items()
        for persona, expected in refused.items()
    ],
)
def test_a_persona_who_may_not_write_changes_nothing(api_as, objects, write, persona, expected):
    method, url, body, _answer = WRITES[write]
    before = everything_written()

    response = getattr(api_as(persona), method)(url(objects), body(objects), format="json")

    assert response.status_code == expected, response.content
    assert set(response.json()) == {"error"}
    assert everything_written() == before


@pytest.mark.parametrize(
    ("write", "persona"),
    [pytest.param(write, persona, id=f"{write}-{persona}") for write in WRITES for persona in ALLOWED[write]],
)
def test_the_same_write_from_those_who_may_is_made(api_as, objects, write, persona):
    """The refusals above come from the persona, not from the input: the same request writes."""
    method, url, body, answer = WRITES[write]
    before = everything_written()

    response = getattr(api_as(persona), method)(url(objects), body(objects), format="json")

    assert response.status_code == answer, response.content
    assert everything_written() != before
