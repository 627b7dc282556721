"""Feedback (complaints, compliments, suggestions, comments) and the review of moments of truth.

Every piece of feedback hangs on the touchpoint it came with: given one, it must be the account's;
without one, the feedback logs its own touchpoint (a complaint, a compliment or plain feedback, on the
channel it came by, with the same sentiment) in the same transaction. Anonymous feedback records no
person, on the feedback or on its touchpoint. Feedback is then handled by people, one step at a time
(`FEEDBACK_TRANSITIONS`): acknowledged by someone by name, answered with a response, closed; an answer
that did not satisfy takes it back to acknowledged. A move that skips a step is refused (409).

A moment of truth is a touchpoint flagged as one; its review says whether it made (positive) or broke
(negative) the experience and, for a negative one, whether it was turned round. Saving a review again
updates the one review of the touchpoint.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from cocreation.models import (
    FEEDBACK_TRANSITIONS,
    CoCreateEventType,
    Feedback,
    FeedbackKind,
    FeedbackSource,
    FeedbackStatus,
    MomentPolarity,
    MomentReview,
)
from cocreation.services.common import check_belongs, check_choice, check_text, fail, require_may_write, save
from journeys.base import ApplicationError
from journeys.events import journey_event_record
from journeys.models import SENTIMENT_MAX, SENTIMENT_MIN, Channel, Touchpoint, TouchpointKind
from journeys.services import touchpoint_log

__all__ = [
    "FEEDBACK_TOUCHPOINT_KIND",
    "feedback_acknowledge",
    "feedback_close",
    "feedback_create",
    "feedback_respond",
    "feedback_transition",
    "moment_review_save",
]

# Feedback may be dated a little ahead of the server's clock (a desk PC's clock), never further.
FUTURE_TOLERANCE_SECONDS = 300
# The touchpoint that feedback logs when it came without one carries the start of its text.
SUMMARY_LENGTH = 280
# The kind of touchpoint each kind of feedback logs.
FEEDBACK_TOUCHPOINT_KIND = {
    FeedbackKind.COMPLAINT: TouchpointKind.COMPLAINT,
    FeedbackKind.COMPLIMENT: TouchpointKind.COMPLIMENT,
    FeedbackKind.SUGGESTION: TouchpointKind.FEEDBACK,
    FeedbackKind.COMMENT: TouchpointKind.FEEDBACK,
}
SENTIMENT_RANGE = "Sentiment must be a whole number from −2 (very negative) to +2 (very positive)."


def _check_sentiment(errors: dict, value) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not SENTIMENT_MIN <= value <= SENTIMENT_MAX:
        errors["sentiment"] = [SENTIMENT_RANGE]


def _moment(errors: dict, name: str, value, now: datetime) -> datetime:
    if value is None:
        return now
    if not isinstance(value, datetime) or timezone.is_naive(value):
        errors[name] = ["Give the date and time with its time zone."]
        return now
    if (value - now).total_seconds() > FUTURE_TOLERANCE_SECONDS:
        errors[name] = ["Feedback cannot be received in the future."]
    return value


def _summary(kind: str, text: str) -> str:
    label = FeedbackKind(kind).label
    if len(text) > SUMMARY_LENGTH:
        text = text[: SUMMARY_LENGTH - 1].rstrip() + "…"
    return f"{label}: {text}"


def _check_feedback(errors: dict, *, organization, kind, source, text, sentiment, stakeholder, anonymous):
    check_choice(errors, "kind", kind, FeedbackKind, "kind of feedback")
    check_choice(errors, "source", source, FeedbackSource, "source of feedback")
    check_text(errors, Feedback, "text", text, required=True, example="The new portal hides the invoices")
    _check_sentiment(errors, sentiment)
    if not isinstance(anonymous, bool):
        errors["anonymous"] = ["Say yes or no."]
    elif anonymous and stakeholder is not None:
        errors["stakeholder"] = [
            "Anonymous feedback records no person: leave the person out, or do not mark it anonymous."
        ]
    check_belongs(errors, "stakeholder", stakeholder, organization, "person")


@transaction.atomic
def feedback_create(
    *,
    actor,
    organization,
    kind: str,
    text: str,
    sentiment: int = 0,
    source: str = FeedbackSource.USER,
    stakeholder=None,
    anonymous: bool = False,
    touchpoint: Touchpoint | None = None,
    request=None,
    channel: str | None = None,
    received_at: datetime | None = None,
) -> Feedback:
    """Record feedback from the account, linked to `touchpoint` or, without one, to a touchpoint it
    logs (on `channel`; a request's own channel when it is about a request)."""
    require_may_write(actor, organization)
    text = text.strip() if isinstance(text, str) else text
    errors: dict[str, list[str]] = {}
    _check_feedback(
        errors,
        organization=organization,
        kind=kind,
        source=source,
        text=text,
        sentiment=sentiment,
        stakeholder=stakeholder,
        anonymous=anonymous,
    )
    check_belongs(errors, "touchpoint", touchpoint, organization, "touchpoint")
    check_belongs(errors, "request", request, organization, "request")
    if touchpoint is None:
        channel = channel or getattr(request, "channel", None)
        if not channel:
            errors["channel"] = [
                "Say how the feedback came in (the channel), or link the touchpoint it came with."
            ]
        else:
            check_choice(errors, "channel", channel, Channel, "channel")
    moment = _moment(errors, "received_at", received_at, timezone.now())
    fail(errors)
    if touchpoint is None:
        touchpoint = touchpoint_log(
            actor=actor,
            organization=organization,
            journey=getattr(request, "journey", None),
            stakeholder=stakeholder,
            step=getattr(request, "step", None),
            channel=channel,
            kind=FEEDBACK_TOUCHPOINT_KIND[kind],
            sentiment=sentiment,
            summary=_summary(kind, text),
            occurred_at=moment,
        )
    feedback = Feedback(
        organization=organization,
        touchpoint=touchpoint,
        stakeholder=stakeholder,
        request=request,
        kind=kind,
        source=source,
        anonymous=anonymous,
        sentiment=sentiment,
        text=text,
        status=FeedbackStatus.RECEIVED,
        received_at=moment,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    save(feedback)
    journey_event_record(
        event_type=CoCreateEventType.FEEDBACK_RECEIVED,
        organization=organization,
        journey=touchpoint.journey,
        actor=actor,
        payload={
            "feedback_id": feedback.pk,
            "kind": kind,
            "source": source,
            "sentiment": sentiment,
            "anonymous": anonymous,
            "touchpoint_id": touchpoint.pk,
            "request_id": getattr(request, "pk", None),
        },
        occurred_at=moment,
    )
    return feedback


def _locked(feedback: Feedback) -> Feedback:
    return Feedback.objects.select_for_update(of=("self",)).select_related("organization").get(pk=feedback.pk)


def _refusal(current: Feedback, to_status: str) -> str | None:
    allowed = FEEDBACK_TRANSITIONS.get(current.status, ())
    if to_status in allowed:
        return None
    now_label = current.get_status_display().lower()
    target_label = FeedbackStatus(to_status).label.lower()
    if to_status == current.status:
        return f"This feedback is already {now_label}."
    options = " or ".join(f"“{FeedbackStatus(s).label.lower()}”" for s in allowed) or "nothing (it is final)"
    return f"Feedback that is {now_label} cannot move to “{target_label}”; it can move to {options}."


@transaction.atomic
def feedback_transition(
    *, actor, feedback: Feedback, to_status: str, response: str = "", at: datetime | None = None
) -> Feedback:
    """Move the feedback one step along received → acknowledged → answered → closed (an answer that did
    not satisfy may go back to acknowledged). Answering needs the `response` given to the author."""
    current = _locked(feedback)
    require_may_write(actor, current.organization)
    if to_status not in FeedbackStatus.values:
        fail(
            {
                "to_status": [
                    f"“{to_status}” is not a feedback status; use one of {', '.join(FeedbackStatus.values)}."
                ]
            }
        )
    refusal = _refusal(current, to_status)
    if refusal:
        raise ApplicationError(
            refusal, code="transition_not_allowed", fields={"to_status": [refusal]}, status=409
        )
    response = response.strip() if isinstance(response, str) else response
    errors: dict[str, list[str]] = {}
    moment = _moment(errors, "at", at, timezone.now())
    if to_status == FeedbackStatus.RESPONDED:
        check_text(errors, Feedback, "response", response, required=True, example="Fixed in Monday's release")
    fail(errors)
    if to_status == FeedbackStatus.ACKNOWLEDGED:
        # Taken back after an answer that did not satisfy: the first acknowledgement stays on record.
        if current.acknowledged_at is None:
            current.acknowledged_at = moment
            current.acknowledged_by = actor if getattr(actor, "pk", None) else None
        current.responded_at = None
    elif to_status == FeedbackStatus.RESPONDED:
        current.response = response
        current.responded_at = moment
    elif to_status == FeedbackStatus.CLOSED:
        current.closed_at = moment
    current.status = to_status
    save(current)
    return current


def feedback_acknowledge(*, actor, feedback: Feedback, at: datetime | None = None) -> Feedback:
    """Someone has read it and takes it on (their name is recorded)."""
    return feedback_transition(actor=actor, feedback=feedback, to_status=FeedbackStatus.ACKNOWLEDGED, at=at)


def feedback_respond(*, actor, feedback: Feedback, response: str, at: datetime | None = None) -> Feedback:
    """Record what was answered to the author."""
    return feedback_transition(
        actor=actor, feedback=feedback, to_status=FeedbackStatus.RESPONDED, response=response, at=at
    )


def feedback_close(*, actor, feedback: Feedback, at: datetime | None = None) -> Feedback:
    return feedback_transition(actor=actor, feedback=feedback, to_status=FeedbackStatus.CLOSED, at=at)


# --- moments of truth -----------------------------------------------------------------------------


@transaction.atomic
def moment_review_save(
    *,
    actor,
    touchpoint: Touchpoint,
    polarity: str,
    recovered: bool | None = None,
    notes: str = "",
    follow_up: str = "",
) -> MomentReview:
    """Review a moment of truth: whether it made or broke the experience and, for one that broke it,
    whether it was recovered. A second review replaces the first."""
    require_may_write(actor, touchpoint.organization)
    if not touchpoint.moment_of_truth:
        raise ApplicationError.for_field(
            "touchpoint", "This touchpoint is not flagged as a moment of truth: there is nothing to review."
        )
    notes = notes.strip() if isinstance(notes, str) else notes
    follow_up = follow_up.strip() if isinstance(follow_up, str) else follow_up
    errors: dict[str, list[str]] = {}
    check_choice(errors, "polarity", polarity, MomentPolarity, "polarity")
    if recovered is not None and not isinstance(recovered, bool):
        errors["recovered"] = ["Say yes, no, or leave it open."]
    elif recovered is not None and polarity == MomentPolarity.POSITIVE:
        errors["recovered"] = ["Only a negative moment can be recovered: leave this open for a positive one."]
    check_text(errors, MomentReview, "notes", notes)
    check_text(errors, MomentReview, "follow_up", follow_up)
    fail(errors)
    review = MomentReview.objects.select_for_update().filter(touchpoint=touchpoint).first()
    if review is None:
        review = MomentReview(touchpoint=touchpoint)
    review.polarity = polarity
    review.recovered = recovered
    review.notes = notes
    review.follow_up = follow_up
    review.reviewed_by = actor if getattr(actor, "pk", None) else None
    review.reviewed_at = timezone.now()
    save(review)
    return review
