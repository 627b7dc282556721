"""The survey engine, part two: sending (claimed first, never twice), the one reminder, expiry, the
answers with their follow-ups, answers recorded by hand or by API, closing a follow-up."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.http import Http404
from django.utils import timezone

from journeys.base import ApplicationError
from journeys.models import JourneyEvent
from realization import services
from realization.models import (
    FollowUp,
    FollowUpReason,
    FollowUpStatus,
    InvitationStatus,
    RealizeEventType,
    ResponseSource,
    SurveyInvitation,
    SurveyResponse,
    SurveyType,
)
from realization.services import surveys
from tests.factories.journeys import StakeholderFactory
from tests.factories.realization import (
    FollowUpFactory,
    SurveyFactory,
    SurveyInvitationFactory,
    SurveyResponseFactory,
)

pytestmark = pytest.mark.django_db

URL = re.compile(r"https?://[^\s\"'<>]+")
SCORE_URL = re.compile(r"https?://\S+/s/[^/\s]+/\d+/")


@pytest.fixture(autouse=True)
def base_url(settings):
    settings.DSV_BASE_URL = "https://dsv.provider.example"


def scheduled(account, **fields) -> SurveyInvitation:
    """An invitation decided an hour ago, due now."""
    values = {
        "organization": account,
        "status": InvitationStatus.SCHEDULED,
        "send_after": timezone.now() - timedelta(minutes=1),
        "sent_at": None,
        "expires_at": None,
        "subject": "REQ-000042: Cannot export the monthly report",
    }
    values.update(fields)
    return SurveyInvitationFactory(**values)


def refuse(*args, **kwargs):
    raise ConnectionRefusedError("mail server down")


# --- sending ----------------------------------------------------------------------------------------------


def test_a_due_invitation_is_mailed_once_with_one_link_per_score(account, owner):
    invitation = scheduled(account, survey=SurveyFactory(survey_type=SurveyType.NPS, expiry_days=10))
    now = timezone.now()
    assert services.survey_invitations_send(now=now) == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [f"{invitation.stakeholder.name} <{invitation.stakeholder.email}>"]
    assert message.reply_to == [owner.email]
    assert "REQ-000042" in message.subject
    html = message.alternatives[0].content
    expiry = (now + timedelta(days=10)).strftime("%-d %B %Y")
    for body in (message.body, html):
        assert invitation.survey.question in body
        assert "Cannot export the monthly report" in body
        assert expiry in body
        for score in range(0, 11):
            assert services.survey_link(invitation, score) in body
        assert services.survey_opt_out_link(invitation) in body
        assert all(url.startswith("https://dsv.provider.example/s/") for url in URL.findall(body))
    assert len(set(SCORE_URL.findall(message.body))) == 11
    # Mail programs offer their own "unsubscribe", posting to the opt-out page (RFC 8058).
    assert message.extra_headers["List-Unsubscribe"] == f"<{services.survey_opt_out_link(invitation)}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.SENT
    assert invitation.sent_at == now
    assert invitation.expires_at == now + timedelta(days=10)
    assert invitation.attempts == 1
    # The next run finds nothing to send.
    assert services.survey_invitations_send(now=now + timedelta(minutes=1)) == 0
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(("survey_type", "count"), [(SurveyType.CSAT, 5), (SurveyType.CES, 7)])
def test_the_links_follow_the_scale(account, survey_type, count):
    scheduled(account, survey=SurveyFactory(survey_type=survey_type))
    services.survey_invitations_send()
    assert len(set(SCORE_URL.findall(mail.outbox[0].body))) == count


def test_the_send_delay_is_respected(account):
    due = timezone.now() + timedelta(hours=24)
    scheduled(account, send_after=due)
    assert services.survey_invitations_send(now=due - timedelta(minutes=1)) == 0
    assert mail.outbox == []
    assert services.survey_invitations_send(now=due) == 1


def test_a_failed_send_is_released_and_retried_and_sent_once(account, monkeypatch):
    invitation = scheduled(account)
    now = timezone.now()
    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)
    assert services.survey_invitations_send(now=now) == 0
    monkeypatch.undo()
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.SCHEDULED
    assert invitation.claimed_at is None
    assert invitation.attempts == 1
    assert "mail server down" in invitation.last_error
    assert invitation.send_after == now + timedelta(minutes=5)  # a pause before the next try
    assert services.survey_invitations_send(now=now + timedelta(minutes=1)) == 0
    assert services.survey_invitations_send(now=now + timedelta(minutes=5)) == 1
    assert services.survey_invitations_send(now=now + timedelta(minutes=6)) == 0
    assert len(mail.outbox) == 1
    invitation.refresh_from_db()
    assert (invitation.status, invitation.attempts, invitation.last_error) == (InvitationStatus.SENT, 2, "")


def test_a_run_that_overlaps_another_sends_nothing_twice(account, monkeypatch):
    scheduled(account)
    real_send = mail.EmailMultiAlternatives.send
    overlapping = []

    def send_while_another_run_starts(message, *args, **kwargs):
        # A second worker runs while this one is mid-send: the invitation is claimed, it keeps off.
        overlapping.append(services.survey_invitations_send())
        return real_send(message, *args, **kwargs)

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", send_while_another_run_starts)
    assert services.survey_invitations_send() == 1
    assert overlapping == [0]
    assert len(mail.outbox) == 1


def test_a_worker_that_listed_the_invitation_before_another_claimed_it_sends_nothing(account, monkeypatch):
    invitation = scheduled(account)
    now = timezone.now()
    real_send = mail.EmailMultiAlternatives.send
    racing = []

    def send_while_a_second_worker_tries(message, *args, **kwargs):
        # The second worker read the due list before this one claimed: it tries the same invitation.
        racing.append(surveys._send_one(invitation.pk, now))
        return real_send(message, *args, **kwargs)

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", send_while_a_second_worker_tries)
    assert services.survey_invitations_send(now=now) == 1
    assert racing == [0]
    assert len(mail.outbox) == 1


def test_sending_gives_up_after_the_last_attempt(account, monkeypatch):
    invitation = scheduled(account, attempts=services.MAX_ATTEMPTS - 1)
    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)
    services.survey_invitations_send()
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.CANCELLED
    assert "could not be sent" in invitation.reason_detail


@pytest.mark.parametrize(
    ("change", "detail"),
    [
        ({"survey_consent": False}, "withdrew their consent"),
        ({"is_active": False}, "became inactive"),
        ({"email": ""}, "e-mail address was removed"),
    ],
)
def test_a_person_who_changed_since_the_decision_is_not_mailed(account, change, detail):
    invitation = scheduled(account)
    for name, value in change.items():
        setattr(invitation.stakeholder, name, value)
    invitation.stakeholder.save()
    assert services.survey_invitations_send() == 0
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.CANCELLED
    assert detail in invitation.reason_detail
    assert mail.outbox == []


def test_a_deactivated_survey_is_not_sent(account):
    invitation = scheduled(account, survey=SurveyFactory(is_active=False))
    assert services.survey_invitations_send() == 0
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.CANCELLED


# --- reminder and expiry ----------------------------------------------------------------------------------


def test_an_unanswered_invitation_is_reminded_once(account):
    sent_at = timezone.now() - timedelta(days=5, minutes=1)
    invitation = SurveyInvitationFactory(
        organization=account,
        survey=SurveyFactory(reminder_after_days=5, expiry_days=14),
        sent_at=sent_at,
        expires_at=sent_at + timedelta(days=14),
    )
    assert services.survey_invitations_send(now=sent_at + timedelta(days=4)) == 0
    assert services.survey_invitations_send() == 1
    assert services.survey_invitations_send() == 0
    assert services.survey_invitations_send(now=timezone.now() + timedelta(days=3)) == 0
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject.startswith("Reminder")
    assert services.survey_link(invitation, 4) in mail.outbox[0].body
    invitation.refresh_from_db()
    assert invitation.reminder_sent_at is not None
    assert invitation.status == InvitationStatus.SENT


def test_a_reminder_is_sent_once_even_by_workers_that_overlap(account, monkeypatch):
    invitation = SurveyInvitationFactory(organization=account, sent_at=timezone.now() - timedelta(days=6))
    now = timezone.now()
    real_send = mail.EmailMultiAlternatives.send
    racing = []

    def send_while_a_second_worker_tries(message, *args, **kwargs):
        racing.append(surveys._remind_one(invitation.pk, now))
        return real_send(message, *args, **kwargs)

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", send_while_a_second_worker_tries)
    assert services.survey_invitations_send(now=now) == 1
    assert racing == [0]
    assert len(mail.outbox) == 1


def test_an_answered_invitation_or_a_survey_without_reminder_is_not_reminded(account):
    sent_at = timezone.now() - timedelta(days=6)
    answered = SurveyInvitationFactory(
        organization=account, sent_at=sent_at, status=InvitationStatus.RESPONDED, responded_at=sent_at
    )
    SurveyResponseFactory(invitation=answered, survey=answered.survey, organization=account)
    SurveyInvitationFactory(
        organization=account, survey=SurveyFactory(reminder_after_days=None), sent_at=sent_at
    )
    assert services.survey_invitations_send() == 0
    assert mail.outbox == []


def test_a_failed_reminder_is_tried_again(account, monkeypatch):
    sent_at = timezone.now() - timedelta(days=6)
    invitation = SurveyInvitationFactory(organization=account, sent_at=sent_at)
    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)
    assert services.survey_invitations_send() == 0
    monkeypatch.undo()
    invitation.refresh_from_db()
    assert invitation.reminder_claimed_at is None
    assert services.survey_invitations_send() == 1
    assert len(mail.outbox) == 1


def test_an_unanswered_invitation_expires(account):
    now = timezone.now()
    old = SurveyInvitationFactory(organization=account, sent_at=now - timedelta(days=15), expires_at=now)
    answered = SurveyInvitationFactory(
        organization=account,
        sent_at=now - timedelta(days=15),
        expires_at=now,
        status=InvitationStatus.RESPONDED,
    )
    open_one = SurveyInvitationFactory(organization=account, expires_at=now + timedelta(seconds=1))
    services.survey_invitations_send(now=now)
    statuses = dict(SurveyInvitation.objects.values_list("pk", "status"))
    assert statuses == {
        old.pk: InvitationStatus.EXPIRED,
        answered.pk: InvitationStatus.RESPONDED,
        open_one.pk: InvitationStatus.SENT,
    }
    assert mail.outbox == []


# --- a test e-mail ----------------------------------------------------------------------------------------


def test_a_test_send_mails_the_manager_and_records_nothing(owner):
    survey = SurveyFactory(survey_type=SurveyType.CES)
    services.survey_test_send(user=owner, survey=survey)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to[0].endswith(f"<{owner.email}>")
    assert mail.outbox[0].subject.startswith("[Test]")
    assert "record nothing" in mail.outbox[0].body
    assert len(set(SCORE_URL.findall(mail.outbox[0].body))) == 7
    survey.refresh_from_db()
    assert survey.tested_at is not None
    assert not SurveyInvitation.objects.exists()


def test_a_test_send_needs_an_address_and_a_managers_role(owner, desk):
    survey = SurveyFactory()
    with pytest.raises(ApplicationError) as refused:
        services.survey_test_send(user=desk, survey=survey)
    assert refused.value.status == 403
    owner.email = ""
    with pytest.raises(ApplicationError) as refused:
        services.survey_test_send(user=owner, survey=survey)
    assert refused.value.code == "no_email"
    survey.refresh_from_db()
    assert survey.tested_at is None
    assert mail.outbox == []


# --- answers and follow-ups -------------------------------------------------------------------------------


def answer(account, survey_type, score):
    invitation = SurveyInvitationFactory(organization=account, survey=SurveyFactory(survey_type=survey_type))
    token = services.survey_link(invitation).rstrip("/").rsplit("/", 1)[-1]
    return invitation, services.survey_answer(token=token, score=score)


@pytest.mark.parametrize(
    ("survey_type", "score", "reason"),
    [
        (SurveyType.NPS, 0, FollowUpReason.DETRACTOR),
        (SurveyType.NPS, 6, FollowUpReason.DETRACTOR),
        (SurveyType.NPS, 7, None),
        (SurveyType.NPS, 10, None),
        (SurveyType.CSAT, 1, FollowUpReason.DISSATISFIED),
        (SurveyType.CSAT, 2, FollowUpReason.DISSATISFIED),
        (SurveyType.CSAT, 3, None),
        (SurveyType.CES, 3, FollowUpReason.HIGH_EFFORT),
        (SurveyType.CES, 4, None),
    ],
)
def test_a_poor_answer_opens_a_follow_up_for_the_account_owner(
    account, owner, survey_type, score, reason, settings
):
    settings.DSV_FOLLOW_UP_DAYS = 5
    _invitation, response = answer(account, survey_type, score)
    assert response.score == score
    assert response.survey_type == survey_type
    assert response.source == ResponseSource.EMAIL
    follow_up = FollowUp.objects.filter(response=response).first()
    if reason is None:
        assert follow_up is None
        assert not JourneyEvent.objects.filter(event_type=RealizeEventType.FOLLOW_UP_OPENED).exists()
    else:
        assert follow_up.reason == reason
        assert follow_up.owner == owner
        assert follow_up.organization == account
        assert follow_up.status == FollowUpStatus.OPEN
        assert follow_up.due_on == timezone.localdate(response.answered_at) + timedelta(days=5)
        assert JourneyEvent.objects.filter(event_type=RealizeEventType.FOLLOW_UP_OPENED).count() == 1


def test_an_answer_copies_the_invitation_and_records_the_journey_event(account):
    invitation, response = answer(account, SurveyType.CSAT, 4)
    assert (response.organization, response.stakeholder, response.step, response.invitation) == (
        account,
        invitation.stakeholder,
        invitation.step,
        invitation,
    )
    assert len(response.comment_key) == 32
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.RESPONDED
    assert invitation.responded_at == response.answered_at
    event = JourneyEvent.objects.get(event_type=RealizeEventType.SURVEY_ANSWERED)
    assert event.organization == account
    assert event.payload["score"] == 4
    assert event.payload["response_id"] == response.pk


# --- answers recorded by hand or by API -------------------------------------------------------------------


def test_an_answer_is_recorded_by_hand_and_upserted_by_its_external_id(desk, account):
    survey = SurveyFactory(survey_type=SurveyType.NPS)
    someone = StakeholderFactory(organization=account)
    data = {"survey": survey, "stakeholder": someone, "score": 5, "external_id": "crm-77", "source": "api"}
    first = services.survey_response_record(user=desk, data=data)
    assert first.created
    assert (first.organization, first.source, first.step) == (account, ResponseSource.API, "co_create")
    assert FollowUp.objects.get(response=first).reason == FollowUpReason.DETRACTOR
    again = services.survey_response_record(
        user=desk, data={**data, "score": 9, "comment": "Much better now"}
    )
    assert not again.created
    assert again.pk == first.pk
    assert SurveyResponse.objects.count() == 1
    assert (again.score, again.comment) == (9, "Much better now")
    kept = services.survey_response_record(user=desk, data={**data, "score": 10})
    assert (kept.score, kept.comment) == (10, "Much better now")


def test_an_answer_to_an_invitation_marks_it_answered_once(owner, account):
    invitation = SurveyInvitationFactory(organization=account)
    response = services.survey_response_record(user=owner, data={"invitation": invitation, "score": 5})
    assert (response.survey, response.stakeholder) == (invitation.survey, invitation.stakeholder)
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.RESPONDED
    with pytest.raises(ApplicationError) as refused:
        services.survey_response_record(
            user=owner, data={"survey": invitation.survey, "invitation": invitation, "score": 4}
        )
    assert refused.value.status == 409
    assert SurveyResponse.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"score": 6}, "score"),
        ({"score": 0}, "score"),
        ({"score": "four"}, "score"),
        ({"survey": None}, "survey"),
        ({"stakeholder": "other"}, "stakeholder"),
        ({"organization": "hidden"}, "organization"),
        ({"answered_at": "yesterday"}, "answered_at"),
        ({"answered_at": "tomorrow"}, "answered_at"),
        ({"mood": "happy"}, "mood"),
    ],
)
def test_a_bad_answer_names_its_field_and_saves_nothing(owner, account, other_account, changes, field):
    survey = SurveyFactory(survey_type=SurveyType.CSAT)
    data = {"survey": survey, "organization": account, "score": 4}
    data.update(changes)
    if data.get("stakeholder") == "other":
        data["stakeholder"] = StakeholderFactory(organization=other_account)
    if data.get("organization") == "hidden":
        data["organization"] = other_account  # the owner does not see it: the same as not existing
    if data.get("answered_at") == "tomorrow":
        data["answered_at"] = timezone.now() + timedelta(days=1)
    with pytest.raises(ApplicationError) as refused:
        services.survey_response_record(user=owner, data=data)
    assert field in refused.value.fields
    assert not SurveyResponse.objects.exists()
    assert not FollowUp.objects.exists()


def test_an_analyst_records_no_answers(analyst, account):
    with pytest.raises(ApplicationError) as refused:
        services.survey_response_record(
            user=analyst, data={"survey": SurveyFactory(), "organization": account, "score": 3}
        )
    assert refused.value.status == 403


# --- closing a follow-up ----------------------------------------------------------------------------------


def test_the_owner_closes_a_follow_up_with_what_was_done(owner, account):
    follow_up = FollowUpFactory(response__organization=account, owner=owner)
    with pytest.raises(ApplicationError) as refused:
        services.follow_up_close(user=owner, follow_up=follow_up, outcome="  ")
    assert "outcome" in refused.value.fields
    closed = services.follow_up_close(
        user=owner, follow_up=follow_up, outcome="Called Lena; the fix ships Friday."
    )
    assert (closed.status, closed.closed_by, closed.outcome) == (
        FollowUpStatus.DONE,
        owner,
        "Called Lena; the fix ships Friday.",
    )
    with pytest.raises(ApplicationError) as refused:
        services.follow_up_close(user=owner, follow_up=follow_up, outcome="Again")
    assert refused.value.status == 409


def test_a_follow_up_is_closed_only_by_the_accounts_people(teammate, outsider, analyst, account, owner):
    follow_up = FollowUpFactory(response__organization=account, owner=owner)
    with pytest.raises(Http404):
        services.follow_up_close(user=outsider, follow_up=follow_up, outcome="Not mine")
    with pytest.raises(ApplicationError) as refused:
        services.follow_up_close(user=analyst, follow_up=follow_up, outcome="Read only")
    assert refused.value.status == 403
    assert (
        services.follow_up_close(user=teammate, follow_up=follow_up, outcome="Covered for Ana").status
        == "done"
    )
