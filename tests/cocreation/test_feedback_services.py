"""Feedback: recorded with its touchpoint (given, or logged with it), anonymous when asked, handled one
step at a time (acknowledged by someone, answered, closed); bad input is refused naming the field and
leaves nothing behind."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from cocreation import services
from cocreation.models import CoCreateEventType, Feedback, FeedbackStatus
from journeys.base import ApplicationError
from journeys.models import JourneyEvent, Touchpoint, TouchpointKind
from tests.factories.cocreation_feedback import FeedbackFactory
from tests.factories.journeys import StakeholderFactory, TouchpointFactory

pytestmark = pytest.mark.django_db


def nothing_written():
    return (Feedback.objects.count(), Touchpoint.objects.count(), JourneyEvent.objects.count())


def test_feedback_without_a_touchpoint_logs_one_with_the_same_sentiment(desk, account, sponsor):
    feedback = services.feedback_create(
        actor=desk,
        organization=account,
        kind="complaint",
        text="  The invoices portal logs me out every five minutes.  ",
        sentiment=-2,
        stakeholder=sponsor,
        channel="email",
    )

    touchpoint = feedback.touchpoint
    assert feedback.text == "The invoices portal logs me out every five minutes."
    assert feedback.status == FeedbackStatus.RECEIVED
    assert touchpoint.organization == account
    assert touchpoint.kind == TouchpointKind.COMPLAINT
    assert touchpoint.channel == "email"
    assert touchpoint.sentiment == -2
    assert touchpoint.stakeholder == sponsor
    assert touchpoint.summary.startswith("Complaint: The invoices portal")
    assert touchpoint.logged_by == desk


@pytest.mark.parametrize(
    ("kind", "touchpoint_kind"),
    [("compliment", "compliment"), ("suggestion", "feedback"), ("comment", "feedback")],
)
def test_each_kind_of_feedback_logs_its_kind_of_touchpoint(desk, account, kind, touchpoint_kind):
    feedback = services.feedback_create(
        actor=desk, organization=account, kind=kind, text="Noted.", channel="portal"
    )

    assert feedback.touchpoint.kind == touchpoint_kind


def test_feedback_on_a_given_touchpoint_logs_no_other(owner, account):
    touchpoint = TouchpointFactory(organization=account, kind=TouchpointKind.INCIDENT, sentiment=-1)
    before = Touchpoint.objects.count()

    feedback = services.feedback_create(
        actor=owner,
        organization=account,
        kind="complaint",
        text="Third outage this month.",
        touchpoint=touchpoint,
    )

    assert feedback.touchpoint == touchpoint
    assert Touchpoint.objects.count() == before


def test_recording_feedback_records_a_journey_event(desk, account):
    feedback = services.feedback_create(
        actor=desk,
        organization=account,
        kind="compliment",
        text="Fast answer, thanks!",
        sentiment=2,
        channel="chat",
    )

    event = JourneyEvent.objects.get(event_type=CoCreateEventType.FEEDBACK_RECEIVED)
    assert event.organization == account
    assert event.payload["feedback_id"] == feedback.pk
    assert event.payload["touchpoint_id"] == feedback.touchpoint_id
    assert event.payload["sentiment"] == 2


def test_a_long_text_is_shortened_in_the_touchpoint_summary(desk, account):
    text = "word " * 200

    feedback = services.feedback_create(
        actor=desk, organization=account, kind="suggestion", text=text, channel="forum"
    )

    assert feedback.text == text.strip()
    assert len(feedback.touchpoint.summary) < 320
    assert feedback.touchpoint.summary.endswith("…")


def test_anonymous_feedback_records_no_person(desk, account):
    feedback = services.feedback_create(
        actor=desk,
        organization=account,
        kind="complaint",
        text="Nobody listens.",
        anonymous=True,
        channel="forum",
    )

    assert feedback.anonymous
    assert feedback.stakeholder is None
    assert feedback.touchpoint.stakeholder is None


def test_feedback_may_come_back_dated_when_it_was_received(desk, account):
    received = timezone.now() - timedelta(days=2)

    feedback = services.feedback_create(
        actor=desk,
        organization=account,
        kind="comment",
        text="Said at the review.",
        channel="in_person",
        received_at=received,
    )

    assert feedback.received_at == received
    assert feedback.touchpoint.occurred_at == received


# --- bad input: a field error, nothing saved --------------------------------------------------------


@pytest.mark.parametrize("sentiment", [3, -3, "2", 1.5, True, None])
def test_a_sentiment_out_of_range_is_refused(desk, account, sentiment):
    before = nothing_written()

    with pytest.raises(ApplicationError) as error:
        services.feedback_create(
            actor=desk,
            organization=account,
            kind="complaint",
            text="Slow.",
            sentiment=sentiment,
            channel="email",
        )

    assert "sentiment" in error.value.fields
    assert nothing_written() == before


def test_a_touchpoint_of_another_account_is_refused(desk, account, other_account):
    elsewhere = TouchpointFactory(organization=other_account)
    before = nothing_written()

    with pytest.raises(ApplicationError) as error:
        services.feedback_create(
            actor=desk, organization=account, kind="comment", text="Fine.", touchpoint=elsewhere
        )

    assert error.value.fields["touchpoint"] == ["This touchpoint belongs to another organization."]
    assert nothing_written() == before


def test_a_person_of_another_account_is_refused(desk, account, other_account):
    stranger = StakeholderFactory(organization=other_account)
    before = nothing_written()

    with pytest.raises(ApplicationError) as error:
        services.feedback_create(
            actor=desk,
            organization=account,
            kind="comment",
            text="Fine.",
            stakeholder=stranger,
            channel="email",
        )

    assert "stakeholder" in error.value.fields
    assert nothing_written() == before


def test_anonymous_feedback_with_a_person_is_refused(desk, account, sponsor):
    before = nothing_written()

    with pytest.raises(ApplicationError) as error:
        services.feedback_create(
            actor=desk,
            organization=account,
            kind="complaint",
            text="Please keep my name out of it.",
            stakeholder=sponsor,
            anonymous=True,
            channel="email",
        )

    assert "Anonymous feedback records no person" in error.value.fields["stakeholder"][0]
    assert nothing_written() == before


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"kind": "rant"}, "kind"),
        ({"source": "rumour"}, "source"),
        ({"text": "   "}, "text"),
        ({"channel": None}, "channel"),
        ({"channel": "pigeon"}, "channel"),
        ({"received_at": timezone.now() + timedelta(days=1)}, "received_at"),
    ],
)
def test_other_bad_input_names_its_field(desk, account, changes, field):
    data = {"kind": "comment", "text": "Fine.", "channel": "email", **changes}
    before = nothing_written()

    with pytest.raises(ApplicationError) as error:
        services.feedback_create(actor=desk, organization=account, **data)

    assert field in error.value.fields
    assert nothing_written() == before


def test_an_analyst_may_not_record_feedback(analyst, account):
    with pytest.raises(PermissionDenied):
        services.feedback_create(
            actor=analyst, organization=account, kind="comment", text="Hi.", channel="email"
        )


def test_an_outsider_learns_nothing(outsider, account):
    with pytest.raises(Http404):
        services.feedback_create(
            actor=outsider, organization=account, kind="comment", text="Hi.", channel="email"
        )


# --- handling ---------------------------------------------------------------------------------------


def test_feedback_is_acknowledged_answered_and_closed_by_name(owner, teammate, account):
    feedback = FeedbackFactory(organization=account)

    services.feedback_acknowledge(actor=teammate, feedback=feedback)
    services.feedback_respond(actor=owner, feedback=feedback, response="  We moved the report to Monday.  ")
    closed = services.feedback_close(actor=owner, feedback=feedback)

    assert closed.status == FeedbackStatus.CLOSED
    assert closed.acknowledged_by == teammate
    assert closed.acknowledged_at is not None
    assert closed.response == "We moved the report to Monday."
    assert closed.responded_at is not None
    assert closed.closed_at is not None


def test_an_answer_that_did_not_satisfy_goes_back_to_acknowledged(owner, teammate, account):
    feedback = FeedbackFactory(organization=account)
    services.feedback_acknowledge(actor=teammate, feedback=feedback)
    first = Feedback.objects.get(pk=feedback.pk).acknowledged_at
    services.feedback_respond(actor=owner, feedback=feedback, response="Try clearing the cache.")

    back = services.feedback_transition(actor=owner, feedback=feedback, to_status="acknowledged")

    assert back.status == FeedbackStatus.ACKNOWLEDGED
    assert back.acknowledged_by == teammate
    assert back.acknowledged_at == first
    assert back.responded_at is None


@pytest.mark.parametrize(
    ("status", "to_status"),
    [
        ("received", "responded"),
        ("received", "closed"),
        ("acknowledged", "closed"),
        ("closed", "acknowledged"),
    ],
)
def test_a_move_that_skips_a_step_is_refused_with_409(owner, account, status, to_status):
    feedback = FeedbackFactory(organization=account, status=status)

    with pytest.raises(ApplicationError) as error:
        services.feedback_transition(actor=owner, feedback=feedback, to_status=to_status, response="Done.")

    assert error.value.status == 409
    assert "to_status" in error.value.fields
    assert Feedback.objects.get(pk=feedback.pk).status == status


def test_an_unknown_status_is_refused(owner, account):
    feedback = FeedbackFactory(organization=account)

    with pytest.raises(ApplicationError) as error:
        services.feedback_transition(actor=owner, feedback=feedback, to_status="forgotten")

    assert error.value.status == 400
    assert "to_status" in error.value.fields


def test_answering_needs_the_answer(owner, account):
    feedback = FeedbackFactory(organization=account, status="acknowledged")

    with pytest.raises(ApplicationError) as error:
        services.feedback_respond(actor=owner, feedback=feedback, response="  ")

    assert "response" in error.value.fields
    assert Feedback.objects.get(pk=feedback.pk).status == "acknowledged"


def test_an_analyst_may_not_handle_feedback(analyst, account):
    feedback = FeedbackFactory(organization=account)

    with pytest.raises(PermissionDenied):
        services.feedback_acknowledge(actor=analyst, feedback=feedback)

    assert Feedback.objects.get(pk=feedback.pk).status == FeedbackStatus.RECEIVED
