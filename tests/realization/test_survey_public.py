"""The survey pages a person reaches from the e-mail (/s/...): no login, no navigation, not indexed.
One click records the score and thanks them, asking for a comment; whatever is refused says why, with
the matching status, and records nothing."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from cocreation import services as cocreation_services
from cocreation.models import RequestStatus
from journeys.models import JourneyEvent
from realization import services
from realization.models import (
    FollowUp,
    InvitationReason,
    InvitationStatus,
    RealizeEventType,
    SurveyInvitation,
    SurveyResponse,
    SurveyType,
)
from tests.factories.journeys import StakeholderFactory
from tests.factories.realization import SurveyFactory, SurveyInvitationFactory

pytestmark = pytest.mark.django_db

BASE = "https://dsv.provider.example"
URL = re.compile(r"https?://[^\s\"'<>]+")
SCORE_URL = re.compile(r"https?://\S+/s/[^/\s]+/\d+/")


@pytest.fixture(autouse=True)
def base_url(settings):
    settings.DSV_BASE_URL = BASE


@pytest.fixture
def invitation(account):
    return SurveyInvitationFactory(organization=account, survey=SurveyFactory(survey_type=SurveyType.NPS))


def path(url: str) -> str:
    assert url.startswith(BASE)
    return url[len(BASE) :]


def token_of(invitation) -> str:
    return path(services.survey_link(invitation)).strip("/").split("/")[1]


def click(client, invitation, score):
    return client.get(f"/s/{token_of(invitation)}/{score}/")


def comment(client, invitation, key, text="The export works again, thanks."):
    return client.post(
        reverse("survey:comment", args=[token_of(invitation)]), {"comment_key": key, "comment": text}
    )


def assert_public_page(page):
    html = page.content.decode()
    assert '<meta name="robots" content="noindex' in html
    assert page["X-Robots-Tag"] == "noindex, nofollow"
    assert 'aria-label="Main"' not in html  # not the site's layout: no navigation
    assert "http://" not in html  # nothing loaded from, or linking to, anywhere else
    assert "https://" not in html


# --- the one click ----------------------------------------------------------------------------------------


def test_one_click_records_the_score_and_asks_for_a_comment(client, invitation):
    page = click(client, invitation, 9)
    assert page.status_code == 200
    assert_public_page(page)
    response = SurveyResponse.objects.get()
    assert (response.invitation, response.score, response.survey_type) == (invitation, 9, SurveyType.NPS)
    html = page.content.decode()
    assert "Thank you" in html
    assert f'name="comment_key" value="{response.comment_key}"' in html
    assert '<label for="id_comment">' in html
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.RESPONDED


def test_the_link_without_a_score_shows_the_question_and_records_nothing(client, invitation):
    page = client.get(path(services.survey_link(invitation)))
    assert page.status_code == 200
    assert_public_page(page)
    html = page.content.decode()
    assert invitation.survey.question in html
    for score in range(11):
        assert f'href="{path(services.survey_link(invitation, score))}"' in html
    assert not SurveyResponse.objects.exists()


def test_a_second_click_shows_the_answer_given_instead_of_recording_another(client, invitation):
    click(client, invitation, 3)
    page = click(client, invitation, 10)
    assert page.status_code == 409
    assert_public_page(page)
    assert "Your answer on" in page.content.decode()
    assert "<strong>3</strong>" in page.content.decode()
    assert SurveyResponse.objects.get().score == 3
    assert JourneyEvent.objects.filter(event_type=RealizeEventType.SURVEY_ANSWERED).count() == 1
    assert client.get(path(services.survey_link(invitation))).status_code == 409


@pytest.mark.parametrize("score", ["11", "-1", "seven", "1.5"])
def test_a_score_outside_the_scale_is_refused(client, invitation, score):
    page = click(client, invitation, score)
    assert page.status_code == 400
    assert "Choose a score from 0 to 10" in page.content.decode()
    assert not SurveyResponse.objects.exists()
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.SENT


def test_an_expired_invitation_takes_no_answer(client, account):
    expired = SurveyInvitationFactory(organization=account, expires_at=timezone.now() - timedelta(minutes=1))
    page = click(client, expired, 4)
    assert page.status_code == 410
    assert "closed on" in page.content.decode()
    expired.status = InvitationStatus.EXPIRED
    expired.save()
    assert click(client, expired, 4).status_code == 410
    assert not SurveyResponse.objects.exists()


def test_a_tampered_or_unknown_link_is_not_valid(client, invitation):
    token = token_of(invitation)
    assert client.get(f"/s/{token[:-2]}xx/4/").status_code == 404
    assert client.get("/s/not-a-token/4/").status_code == 404
    # A signed link whose nonce no longer matches (the invitation's nonce was changed): not valid.
    invitation.nonce = "0" * 32
    invitation.save()
    page = client.get(f"/s/{token}/4/")
    assert page.status_code == 404
    assert "not valid" in page.content.decode()
    assert not SurveyResponse.objects.exists()


def test_a_mail_scanners_head_request_records_nothing(client, invitation):
    assert client.head(f"/s/{token_of(invitation)}/9/").status_code == 405
    assert not SurveyResponse.objects.exists()


# --- the comment after the click --------------------------------------------------------------------------


def test_the_comment_is_added_with_the_answers_key(client, invitation):
    click(client, invitation, 6)
    response = SurveyResponse.objects.get()
    page = comment(client, invitation, response.comment_key)
    assert page.status_code == 200
    assert_public_page(page)
    response.refresh_from_db()
    assert response.comment == "The export works again, thanks."
    assert response.commented_at is not None
    assert FollowUp.objects.get(response=response)  # a detractor's comment goes with the follow-up
    again = comment(client, invitation, response.comment_key, "And another thing")
    assert again.status_code == 409
    response.refresh_from_db()
    assert response.comment == "The export works again, thanks."


def test_a_comment_with_someone_elses_key_is_refused(client, invitation, account):
    other = SurveyInvitationFactory(organization=account)
    click(client, invitation, 8)
    click(client, other, 2)
    theirs = SurveyResponse.objects.get(invitation=other)
    page = comment(client, invitation, theirs.comment_key)
    assert page.status_code == 403
    assert "does not belong" in page.content.decode()
    assert not SurveyResponse.objects.exclude(comment="").exists()


def test_an_empty_comment_asks_again_and_keeps_the_form(client, invitation):
    click(client, invitation, 8)
    response = SurveyResponse.objects.get()
    page = comment(client, invitation, response.comment_key, "   ")
    assert page.status_code == 400
    html = page.content.decode()
    assert "Write your comment" in html
    assert f'value="{response.comment_key}"' in html
    assert 'aria-invalid="true"' in html


def test_a_comment_before_any_answer_is_refused(client, invitation):
    page = comment(client, invitation, "0" * 32)
    assert page.status_code == 400
    assert not SurveyResponse.objects.exists()


# --- a test e-mail's links --------------------------------------------------------------------------------


def test_a_test_emails_link_records_nothing(client, owner):
    survey = SurveyFactory(survey_type=SurveyType.CSAT)
    services.survey_test_send(user=owner, survey=survey)
    links = sorted(set(SCORE_URL.findall(mail.outbox[0].body)))
    assert len(links) == 5
    page = client.get(path(links[0]))
    assert page.status_code == 200
    assert "nothing was recorded" in page.content.decode()
    assert client.get(path(links[0]).rsplit("/", 2)[0] + "/9/").status_code == 400
    assert not SurveyResponse.objects.exists()


# --- done when: a closed request leads to exactly one e-mail whose link records the score ----------------


def test_closing_a_request_leads_to_one_survey_email_whose_link_records_the_score(
    client, account, desk, owner
):
    survey = services.survey_create(
        user=owner,
        data={
            "name": "After a request is closed",
            "survey_type": SurveyType.CSAT,
            "question": "How satisfied are you with how we handled your request?",
            "trigger": "request_closed",
            "audience": ["user"],
            "send_delay_hours": 2,
        },
    )
    requester = StakeholderFactory(
        organization=account, name="Lena Berg", email="lena.berg@rentwheel.example", survey_consent=True
    )
    request = cocreation_services.request_open(
        actor=desk,
        organization=account,
        title="Cannot export the monthly report",
        requester=requester,
        assignee=desk,
    )
    cocreation_services.request_transition(actor=desk, request=request, to_status=RequestStatus.IN_PROGRESS)
    cocreation_services.request_transition(
        actor=desk, request=request, to_status=RequestStatus.RESOLVED, note="Reset the export settings."
    )
    cocreation_services.request_transition(actor=desk, request=request, to_status=RequestStatus.CLOSED)
    request.refresh_from_db()

    assert services.survey_triggers_scan() == 1
    invitation = SurveyInvitation.objects.get()
    assert (invitation.reason, invitation.stakeholder, invitation.survey) == (
        InvitationReason.INVITED,
        requester,
        survey,
    )
    # Not before the delay...
    assert services.survey_invitations_send(now=request.closed_at + timedelta(hours=1)) == 0
    assert mail.outbox == []
    # ...then exactly one e-mail.
    later = request.closed_at + timedelta(hours=2, minutes=1)
    assert services.survey_invitations_send(now=later) == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["Lena Berg <lena.berg@rentwheel.example>"]
    assert request.reference in message.subject
    links = SCORE_URL.findall(message.body)
    assert len(links) == 5
    assert all(link.startswith(f"{BASE}/s/") for link in links)
    four = next(link for link in links if link.endswith("/4/"))

    page = client.get(path(four))
    assert page.status_code == 200
    response = SurveyResponse.objects.get()
    assert (response.score, response.stakeholder, response.organization, response.step) == (
        4,
        requester,
        account,
        request.step,
    )

    # Nothing more: another scan decides nothing, another send run mails nothing.
    assert services.survey_triggers_scan() == 0
    assert services.survey_invitations_send(now=later + timedelta(minutes=1)) == 0
    assert services.survey_invitations_send(now=later + timedelta(days=20)) == 0
    assert len(mail.outbox) == 1


# --- opting out of every survey -----------------------------------------------------------------------


def opt_out_path(invitation) -> str:
    return path(services.survey_opt_out_link(invitation))


def test_the_opt_out_link_asks_first_and_withdraws_nothing_on_a_get(client, invitation):
    person = invitation.stakeholder
    assert person.survey_consent
    page = client.get(opt_out_path(invitation))
    assert page.status_code == 200
    assert_public_page(page)
    html = page.content.decode()
    assert "Stop survey e-mails?" in html
    assert f'action="{opt_out_path(invitation)}"' in html
    person.refresh_from_db()
    assert person.survey_consent  # a mail scanner following the link changes nothing


def test_opting_out_withdraws_consent_so_nothing_more_is_sent(client, account):
    invitation = SurveyInvitationFactory(
        organization=account, survey=SurveyFactory(survey_type=SurveyType.CSAT)
    )
    person = invitation.stakeholder
    waiting = SurveyInvitationFactory(
        organization=account,
        stakeholder=person,
        survey=SurveyFactory(survey_type=SurveyType.NPS),
        status=InvitationStatus.SCHEDULED,
        send_after=timezone.now() - timedelta(minutes=1),
    )
    page = client.post(opt_out_path(invitation))  # as a mail program's one-click: no CSRF token
    assert page.status_code == 200
    assert "You will not be surveyed again" in page.content.decode()
    person.refresh_from_db()
    assert not person.survey_consent
    assert person.history.first().history_change_reason == "Opted out from a survey e-mail"
    # What was waiting for them is not sent.
    assert services.survey_invitations_send() == 0
    assert mail.outbox == []
    waiting.refresh_from_db()
    assert waiting.status != InvitationStatus.SENT
    # Asking again is harmless and says so.
    again = client.post(opt_out_path(invitation))
    assert again.status_code == 200
    assert "We had recorded this already" in again.content.decode()


def test_an_opt_out_link_that_is_not_valid_changes_nothing(client, invitation):
    token = token_of(invitation)
    page = client.post(f"/s/{token[:-2]}xx/opt-out/")
    assert page.status_code == 404
    invitation.stakeholder.refresh_from_db()
    assert invitation.stakeholder.survey_consent


def test_a_test_emails_opt_out_link_changes_nothing(client, owner):
    survey = SurveyFactory(survey_type=SurveyType.CES)
    services.survey_test_send(user=owner, survey=survey)
    [opt_out] = [link for link in URL.findall(mail.outbox[0].body) if link.endswith("/opt-out/")]
    page = client.post(path(opt_out))
    assert page.status_code == 200
    assert "nothing changes from a test link" in page.content.decode()
