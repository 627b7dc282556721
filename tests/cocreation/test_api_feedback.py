"""Co-create's API for feedback and moments of truth: the feedback list and its filters, recording
feedback (with or without its touchpoint, anonymous), its handling step by step, the moments of truth
and their review, the error envelope and the query counts.

Who may do what is in test_api_permissions.py."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cocreation.models import Feedback, FeedbackStatus, MomentReview
from journeys.models import Touchpoint
from tests.factories.cocreation import FeedbackFactory, MomentReviewFactory, ServiceRequestFactory
from tests.factories.journeys import StakeholderFactory, TouchpointFactory

pytestmark = pytest.mark.django_db

FEEDBACK_FIELDS = {
    "id",
    "organization",
    "touchpoint",
    "stakeholder",
    "request",
    "kind",
    "source",
    "anonymous",
    "sentiment",
    "text",
    "status",
    "allowed_transitions",
    "received_at",
    "acknowledged_by",
    "acknowledged_at",
    "response",
    "responded_at",
    "closed_at",
    "created_by",
    "created_at",
    "updated_at",
}
MOMENT_FIELDS = {
    "id",
    "organization",
    "journey",
    "stakeholder",
    "step",
    "channel",
    "kind",
    "sentiment",
    "summary",
    "occurred_at",
    "review",
}


def api(name, *args):
    return reverse(name, args=args)


def error_of(response) -> dict:
    assert set(response.json()) == {"error"}, response.json()
    assert set(response.json()["error"]) == {"code", "message", "fields"}
    return response.json()["error"]


def written():
    return {
        "feedback": list(Feedback.objects.order_by("pk").values_list("pk", "status", "updated_at")),
        "touchpoints": Touchpoint.objects.count(),
        "reviews": list(MomentReview.objects.order_by("pk").values_list("pk", "polarity", "updated_at")),
    }


@pytest.fixture
def person(account):
    return StakeholderFactory(organization=account, name="Ana Ferreira")


@pytest.fixture
def moment(account, person):
    return TouchpointFactory(
        organization=account, stakeholder=person, moment_of_truth=True, sentiment=-2, summary="Car late"
    )


# --- feedback: reading ----------------------------------------------------------------------------


def test_the_list_holds_what_the_caller_may_see(token_client, owner, outsider, account, other_account):
    FeedbackFactory(organization=account, text="Ours", kind="complaint", sentiment=-1)
    FeedbackFactory(organization=other_account, text="Theirs")

    mine = token_client(owner).get(api("api_cocreate_feedback_list")).json()["results"]
    theirs = token_client(outsider).get(api("api_cocreate_feedback_list")).json()["results"]

    assert [row["text"] for row in mine] == ["Ours"]
    assert [row["text"] for row in theirs] == ["Theirs"]
    assert set(mine[0]) == FEEDBACK_FIELDS
    assert (mine[0]["status"], mine[0]["allowed_transitions"]) == ("received", ["acknowledged"])


def test_the_list_filters(token_client, administrator, account, other_account):
    request = ServiceRequestFactory(organization=account)
    FeedbackFactory(organization=account, text="Complaint", kind="complaint", request=request)
    FeedbackFactory(organization=account, text="Closed", status=FeedbackStatus.CLOSED, source="sponsor")
    old = FeedbackFactory(organization=other_account, text="Compliment", kind="compliment")
    Feedback.objects.filter(pk=old.pk).update(updated_at=timezone.now() - timedelta(days=3))
    client = token_client(administrator)

    def texts(**query):
        response = client.get(api("api_cocreate_feedback_list"), query)
        assert response.status_code == 200, response.json()
        return sorted(row["text"] for row in response.json()["results"])

    assert texts(status="open") == ["Complaint", "Compliment"]
    assert texts(status="closed") == ["Closed"]
    assert texts(kind="compliment") == ["Compliment"]
    assert texts(source="sponsor") == ["Closed"]
    assert texts(organization=other_account.pk) == ["Compliment"]
    assert texts(request=request.pk) == ["Complaint"]
    assert texts(updated_since=(timezone.now() - timedelta(days=1)).isoformat()) == ["Closed", "Complaint"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"status": "finished"}, "status"),
        ({"kind": "rant"}, "kind"),
        ({"source": "rumour"}, "source"),
        ({"organization": "acme"}, "organization"),
        ({"updated_since": "yesterday"}, "updated_since"),
    ],
)
def test_a_bad_filter_answers_with_the_envelope(token_client, owner, query, field):
    response = token_client(owner).get(api("api_cocreate_feedback_list"), query)

    assert response.status_code == 400
    assert set(error_of(response)["fields"]) == {field}


def test_the_list_costs_the_same_queries_at_any_size(
    token_client, owner, account, person, django_assert_num_queries
):
    client = token_client(owner)

    def add(count):
        for _ in range(count):
            FeedbackFactory(
                organization=account, stakeholder=person, touchpoint=TouchpointFactory(organization=account)
            )

    add(2)
    # The token with the user, the feedback.
    with django_assert_num_queries(2):
        assert len(client.get(api("api_cocreate_feedback_list")).json()["results"]) == 2
    add(6)
    with django_assert_num_queries(2):
        assert len(client.get(api("api_cocreate_feedback_list")).json()["results"]) == 8


def test_one_piece_reads_and_404_for_outsiders(token_client, owner, outsider, account):
    feedback = FeedbackFactory(organization=account)

    response = token_client(owner).get(api("api_cocreate_feedback", feedback.pk))
    hidden = token_client(outsider).get(api("api_cocreate_feedback", feedback.pk))

    assert response.status_code == 200 and set(response.json()) == FEEDBACK_FIELDS
    assert hidden.status_code == 404 and error_of(hidden)["code"] == "not_found"


# --- feedback: writing ----------------------------------------------------------------------------


def test_feedback_without_a_touchpoint_logs_one(token_client, desk, account, person):
    response = token_client(desk).post(
        api("api_cocreate_feedback_list"),
        {
            "organization": account.pk,
            "kind": "complaint",
            "text": "Third failed print this week.",
            "sentiment": -2,
            "stakeholder": person.pk,
            "channel": "telephone",
        },
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert set(body) == FEEDBACK_FIELDS
    assert (body["status"], body["sentiment"], body["stakeholder"]) == ("received", -2, person.pk)
    touchpoint = Touchpoint.objects.get(pk=body["touchpoint"])
    assert (touchpoint.channel, touchpoint.sentiment, touchpoint.kind) == ("telephone", -2, "complaint")


def test_feedback_with_its_touchpoint_logs_no_other(token_client, desk, account, moment):
    before = Touchpoint.objects.count()

    response = token_client(desk).post(
        api("api_cocreate_feedback_list"),
        {"organization": account.pk, "kind": "compliment", "text": "Thanks!", "touchpoint": moment.pk},
    )

    assert response.status_code == 201, response.json()
    assert response.json()["touchpoint"] == moment.pk
    assert Touchpoint.objects.count() == before


def test_anonymous_feedback_names_nobody(token_client, desk, account, person):
    client = token_client(desk)
    body = {"organization": account.pk, "kind": "suggestion", "text": "Dark mode?", "channel": "portal"}

    named = client.post(
        api("api_cocreate_feedback_list"), {**body, "anonymous": True, "stakeholder": person.pk}
    )
    anonymous = client.post(api("api_cocreate_feedback_list"), {**body, "anonymous": True})

    assert named.status_code == 400 and set(error_of(named)["fields"]) == {"stakeholder"}
    assert anonymous.status_code == 201
    assert (anonymous.json()["anonymous"], anonymous.json()["stakeholder"]) == (True, None)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"sentiment": 3}, "sentiment"),
        ({"sentiment": -5}, "sentiment"),
        ({"sentiment": "very"}, "sentiment"),
        ({"organization": 999_999}, "organization"),
        ({"kind": "rant"}, "kind"),
        ({"source": "rumour"}, "source"),
        ({"text": ""}, "text"),
        ({"channel": None}, "channel"),
        ({"channel": "pigeon"}, "channel"),
        ({"received_at": "2099-01-01T09:00:00Z"}, "received_at"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_feedback_names_its_field_and_saves_nothing(token_client, desk, account, body, field):
    before = written()
    payload = {"organization": account.pk, "kind": "complaint", "text": "Slow.", "channel": "email", **body}
    payload = {name: value for name, value in payload.items() if value is not None}

    response = token_client(desk).post(api("api_cocreate_feedback_list"), payload)

    assert response.status_code == 400
    assert set(error_of(response)["fields"]) == {field}
    assert written() == before


def test_records_of_another_account_are_refused(token_client, desk, owner, account, other_account):
    stranger = StakeholderFactory(organization=other_account)
    their_touchpoint = TouchpointFactory(organization=other_account)
    before = written()
    body = {"organization": account.pk, "kind": "complaint", "text": "Slow.", "channel": "email"}

    person = token_client(desk).post(api("api_cocreate_feedback_list"), {**body, "stakeholder": stranger.pk})
    contact = token_client(desk).post(
        api("api_cocreate_feedback_list"), {**body, "touchpoint": their_touchpoint.pk}
    )
    hidden = token_client(owner).post(
        api("api_cocreate_feedback_list"), {**body, "organization": other_account.pk}
    )

    assert person.status_code == 400 and set(error_of(person)["fields"]) == {"stakeholder"}
    assert contact.status_code == 400 and set(error_of(contact)["fields"]) == {"touchpoint"}
    assert hidden.status_code == 400 and set(error_of(hidden)["fields"]) == {"organization"}
    assert written() == before


def test_recording_with_an_idempotency_key_records_once(token_client, desk, account):
    client = token_client(desk)
    body = {"organization": account.pk, "kind": "comment", "text": "Fine.", "channel": "chat"}

    first = client.post(api("api_cocreate_feedback_list"), body, HTTP_IDEMPOTENCY_KEY="fb-1")
    again = client.post(api("api_cocreate_feedback_list"), body, HTTP_IDEMPOTENCY_KEY="fb-1")

    assert (first.status_code, again.status_code) == (201, 201)
    assert first.json()["id"] == again.json()["id"]
    assert Feedback.objects.count() == 1


def test_feedback_is_handled_step_by_step(token_client, desk, account):
    feedback = FeedbackFactory(organization=account, kind="complaint")
    client = token_client(desk)
    url = api("api_cocreate_feedback_transition", feedback.pk)

    acknowledged = client.post(url, {"to_status": "acknowledged"})
    no_answer = client.post(url, {"to_status": "responded"})
    answered = client.post(url, {"to_status": "responded", "response": "Fixed on Monday."})
    closed = client.post(url, {"to_status": "closed"})

    assert acknowledged.status_code == 200, acknowledged.json()
    assert acknowledged.json()["acknowledged_by"] == desk.pk
    assert no_answer.status_code == 400 and set(error_of(no_answer)["fields"]) == {"response"}
    assert answered.json()["response"] == "Fixed on Monday."
    assert (closed.json()["status"], closed.json()["allowed_transitions"]) == ("closed", [])


@pytest.mark.parametrize("to_status", ["closed", "responded", "received"])
def test_a_skipped_step_answers_409_naming_to_status(token_client, desk, account, to_status):
    feedback = FeedbackFactory(organization=account)
    before = written()

    response = token_client(desk).post(
        api("api_cocreate_feedback_transition", feedback.pk), {"to_status": to_status, "response": "x"}
    )

    assert response.status_code == 409
    assert error_of(response)["code"] == "transition_not_allowed"
    assert set(error_of(response)["fields"]) == {"to_status"}
    assert written() == before


def test_an_unknown_status_is_refused_naming_to_status(token_client, desk, account):
    feedback = FeedbackFactory(organization=account)

    response = token_client(desk).post(
        api("api_cocreate_feedback_transition", feedback.pk), {"to_status": "x"}
    )

    assert response.status_code == 400 and set(error_of(response)["fields"]) == {"to_status"}


# --- moments of truth -----------------------------------------------------------------------------


def test_moments_are_listed_newest_first_with_their_review(token_client, owner, outsider, account, moment):
    reviewed = MomentReviewFactory(
        touchpoint=TouchpointFactory(
            organization=account, moment_of_truth=True, occurred_at=timezone.now() - timedelta(days=2)
        ),
        recovered=True,
    )
    TouchpointFactory(organization=account, moment_of_truth=False)
    client = token_client(owner)

    rows = client.get(api("api_cocreate_moments")).json()["results"]
    to_review = client.get(api("api_cocreate_moments"), {"reviewed": "no"}).json()["results"]

    assert [row["id"] for row in rows] == [moment.pk, reviewed.touchpoint_id]
    assert set(rows[0]) == MOMENT_FIELDS
    assert rows[0]["review"] is None
    assert (rows[1]["review"]["polarity"], rows[1]["review"]["recovered"]) == ("negative", True)
    assert [row["id"] for row in to_review] == [moment.pk]
    assert token_client(outsider).get(api("api_cocreate_moments")).json()["results"] == []


@pytest.mark.parametrize(
    ("query", "field"),
    [({"reviewed": "maybe"}, "reviewed"), ({"polarity": "neutral"}, "polarity"), ({"days": 0}, "days")],
)
def test_a_bad_moment_filter_answers_with_the_envelope(token_client, owner, query, field):
    response = token_client(owner).get(api("api_cocreate_moments"), query)

    assert response.status_code == 400
    assert set(error_of(response)["fields"]) == {field}


def test_the_moment_list_costs_the_same_queries_at_any_size(
    token_client, owner, account, django_assert_num_queries
):
    client = token_client(owner)

    def add(count):
        for _ in range(count):
            MomentReviewFactory(touchpoint=TouchpointFactory(organization=account, moment_of_truth=True))

    add(2)
    with django_assert_num_queries(2):
        assert len(client.get(api("api_cocreate_moments")).json()["results"]) == 2
    add(6)
    with django_assert_num_queries(2):
        assert len(client.get(api("api_cocreate_moments")).json()["results"]) == 8


def test_a_moment_is_reviewed_then_the_review_replaced(token_client, desk, owner, moment):
    url = api("api_cocreate_moment_review", moment.pk)

    first = token_client(desk).put(url, {"polarity": "negative", "recovered": False, "notes": "Late car."})
    again = token_client(owner).post(
        url, {"polarity": "negative", "recovered": True, "follow_up": "Call the depot."}
    )
    read = token_client(owner).get(url)

    assert first.status_code == 201, first.json()
    assert again.status_code == 200, again.json()
    assert set(read.json()) == MOMENT_FIELDS
    review = read.json()["review"]
    assert (review["recovered"], review["follow_up"], review["reviewed_by"]) == (
        True,
        "Call the depot.",
        owner.pk,
    )
    assert MomentReview.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"polarity": "positive", "recovered": True}, "recovered"),
        ({"polarity": "neutral"}, "polarity"),
        ({}, "polarity"),
        ({"polarity": "negative", "score": 3}, "score"),
    ],
)
def test_a_bad_review_names_its_field_and_saves_nothing(token_client, desk, moment, body, field):
    response = token_client(desk).put(api("api_cocreate_moment_review", moment.pk), body)

    assert response.status_code == 400
    assert set(error_of(response)["fields"]) == {field}
    assert not MomentReview.objects.exists()


def test_a_touchpoint_that_is_no_moment_of_truth_has_nothing_to_review(token_client, desk, account):
    plain = TouchpointFactory(organization=account, moment_of_truth=False)

    read = token_client(desk).get(api("api_cocreate_moment_review", plain.pk))
    saved = token_client(desk).put(api("api_cocreate_moment_review", plain.pk), {"polarity": "positive"})

    assert read.status_code == 404
    assert saved.status_code == 400 and set(error_of(saved)["fields"]) == {"touchpoint"}
    assert not MomentReview.objects.exists()


def test_the_schema_lists_the_feedback_routes(api_client):
    schema = api_client.get(api("api_schema")).content.decode()

    for route in (
        "/api/v1/co-create/feedback/",
        "/api/v1/co-create/feedback/{id}/transition/",
        "/api/v1/co-create/moments/",
        "/api/v1/co-create/moments/{id}/review/",
    ):
        assert route in schema
