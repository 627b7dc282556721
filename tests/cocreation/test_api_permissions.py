"""Who may do what through Co-create's API, in two tables: every read × every persona and an anonymous
caller, then every write by each of them (refused ones change nothing, allowed ones write).

Requests, feedback, moments and communities belong to their account: relationship managers of other
teams get 404 (they learn nothing); analysts read every account and write nothing (403); the desk,
integrators and administrators read and write every account; the account's team writes its own.
"""

import pytest
from django.urls import reverse

from cocreation.api import communities as communities_api
from cocreation.api import feedback as feedback_api
from cocreation.api import requests as requests_api
from cocreation.models import (
    CommunityMember,
    Feedback,
    MomentReview,
    RequestUpdate,
    ServiceRequest,
    UserCommunity,
)
from tests.factories.cocreation import (
    CommunityMemberFactory,
    FeedbackFactory,
    ServiceRequestFactory,
    UserCommunityFactory,
)
from tests.factories.journeys import StakeholderFactory, TouchpointFactory
from tests.permissions import PERSONAS

pytestmark = pytest.mark.django_db


def cocreate(name, key=None):
    """The route's URL for the objects (`key` names the one in the path); the route's name rides along."""

    def url(objects):
        return reverse(f"api_cocreate_{name}", args=[objects[key].pk] if key else [])

    url.route = name
    return url


READS = {
    "requests": cocreate("requests"),
    "request": cocreate("request", "request"),
    "feedback_list": cocreate("feedback_list"),
    "feedback": cocreate("feedback", "feedback"),
    "moments": cocreate("moments"),
    "moment_review": cocreate("moment_review", "moment"),
    "communities": cocreate("communities"),
    "community": cocreate("community", "community"),
    "community_members": cocreate("community_members", "community"),
    "member": cocreate("member", "member"),
}

# What a GET answers (lists answer 200 to everyone with a role, holding only what they may see).
# fmt: off
#                        anonymous owner teammate outsider desk analyst integrator admin
GET_TABLE = {
    "requests":          (401, 200, 200, 200, 200, 200, 200, 200),
    "request":           (401, 200, 200, 404, 200, 200, 200, 200),
    "feedback_list":     (401, 200, 200, 200, 200, 200, 200, 200),
    "feedback":          (401, 200, 200, 404, 200, 200, 200, 200),
    "moments":           (401, 200, 200, 200, 200, 200, 200, 200),
    "moment_review":     (401, 200, 200, 404, 200, 200, 200, 200),
    "communities":       (401, 200, 200, 200, 200, 200, 200, 200),
    "community":         (401, 200, 200, 404, 200, 200, 200, 200),
    "community_members": (401, 200, 200, 404, 200, 200, 200, 200),
    "member":            (401, 200, 200, 404, 200, 200, 200, 200),
}
# fmt: on

# name → (method, url, body, answer when allowed)
WRITES = {
    "request_open": (
        "post",
        cocreate("requests"),
        lambda objects: {"organization": objects["account"].pk, "title": "Portal down"},
        201,
    ),
    "request_update": ("patch", cocreate("request", "request"), lambda objects: {"impact": 1}, 200),
    "request_transition": (
        "post",
        cocreate("request_transition", "request"),
        lambda objects: {"to_status": "in_progress"},
        200,
    ),
    "request_note": ("post", cocreate("request_notes", "request"), lambda objects: {"note": "Called."}, 201),
    "feedback_create": (
        "post",
        cocreate("feedback_list"),
        lambda objects: {
            "organization": objects["account"].pk,
            "kind": "compliment",
            "text": "Thanks!",
            "channel": "email",
        },
        201,
    ),
    "feedback_transition": (
        "post",
        cocreate("feedback_transition", "feedback"),
        lambda objects: {"to_status": "acknowledged"},
        200,
    ),
    "moment_review": (
        "put",
        cocreate("moment_review", "moment"),
        lambda objects: {"polarity": "positive"},
        201,
    ),
    "community_create": (
        "post",
        cocreate("communities"),
        lambda objects: {"organization": objects["account"].pk, "name": "New forum"},
        201,
    ),
    "community_update": (
        "patch",
        cocreate("community", "community"),
        lambda objects: {"is_open": False},
        200,
    ),
    "community_delete": ("delete", cocreate("community", "community"), lambda objects: None, 204),
    "member_add": (
        "post",
        cocreate("community_members", "community"),
        lambda objects: {"stakeholder": objects["person"].pk},
        201,
    ),
    "member_update": ("patch", cocreate("member", "member"), lambda objects: {"notes": "Hosts."}, 200),
    "member_remove": ("delete", cocreate("member", "member"), lambda objects: None, 204),
}
# What a write answers to those who may not make it; the others get the answer of WRITES.
REFUSED = {"anonymous": 401, "outsider": 404, "analyst": 403}
# An account the caller may not see is an unknown id in the body, not a missing URL.
REFUSED_BY_WRITE = {
    name: {**REFUSED, "outsider": 400} for name in ("request_open", "feedback_create", "community_create")
}
ALLOWED = ("owner", "teammate", "desk", "integrator", "administrator")


@pytest.fixture
def objects(account):
    community = UserCommunityFactory(organization=account)
    return {
        "account": account,
        "request": ServiceRequestFactory(organization=account),
        "feedback": FeedbackFactory(organization=account),
        "moment": TouchpointFactory(organization=account, moment_of_truth=True),
        "community": community,
        "member": CommunityMemberFactory(community=community),
        "person": StakeholderFactory(organization=account),
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
        "requests": list(ServiceRequest.objects.order_by("pk").values_list("pk", "status", "updated_at")),
        "updates": RequestUpdate.objects.count(),
        "feedback": list(Feedback.objects.order_by("pk").values_list("pk", "status", "updated_at")),
        "reviews": MomentReview.objects.count(),
        "communities": list(UserCommunity.objects.order_by("pk").values_list("pk", "updated_at")),
        "members": list(CommunityMember.objects.order_by("pk").values_list("pk", "updated_at")),
    }


def test_the_tables_cover_every_cocreate_route():
    routes = {
        pattern.name.removeprefix("api_cocreate_")
        for module in (requests_api, feedback_api, communities_api)
        for pattern in module.urlpatterns
    }

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

    for name in ("requests", "feedback_list", "moments", "communities"):
        assert client.get(READS[name](objects)).json()["results"] == [], name


@pytest.mark.parametrize(
    ("write", "persona", "expected"),
    [
        pytest.param(write, persona, expected, id=f"{write}-{persona}")
        for write in WRITES
        for persona, expected in REFUSED_BY_WRITE.get(write, REFUSED).items()
    ],
)
def test_a_persona_who_may_not_write_changes_nothing(api_as, objects, write, persona, expected):
    method, url, body, _answer = WRITES[write]
    before = everything_written()

    response = getattr(api_as(persona), method)(url(objects), body(objects), format="json")

    assert response.status_code == expected
    assert set(response.json()) == {"error"}
    assert everything_written() == before


@pytest.mark.parametrize(
    ("write", "persona"),
    [pytest.param(write, persona, id=f"{write}-{persona}") for write in WRITES for persona in ALLOWED],
)
def test_the_same_write_from_those_who_may_is_made(api_as, objects, write, persona):
    """The refusals above come from the persona, not from the input: the same request writes."""
    method, url, body, answer = WRITES[write]
    before = everything_written()

    response = getattr(api_as(persona), method)(url(objects), body(objects), format="json")

    assert response.status_code == answer, response.content
    assert everything_written() != before


def test_a_session_writes_like_a_token(client, desk, objects):
    client.force_login(desk)

    response = client.post(
        reverse("api_cocreate_request_notes", args=[objects["request"].pk]),
        {"note": "Called."},
        content_type="application/json",
    )

    assert response.status_code == 201
