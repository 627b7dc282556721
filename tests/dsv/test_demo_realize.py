"""The demo shows Realize: four surveys with eight months of invitations (answered, reminded, expired,
and left out for every reason), answers that tell each account's story (a watermelon, one improving,
one with detractors still to follow up, a healthy promoter), follow-ups open and done, and value
reviews signed off, held and planned. Building it e-mails nobody and leaves nothing for the survey jobs
to do, so closing the open request it leaves for that brings exactly one survey e-mail, whose link
records the score."""

import re
from collections import Counter
from datetime import timedelta
from email.utils import parseaddr
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db.models import Count, Q, Sum
from django.utils import timezone

from cocreation import services as cocreation_services
from cocreation.models import RequestStatus, ServiceRequest
from dsv.demo.builder import demo_seed
from dsv.demo.offer import HARBOURVIEW, MERIDIAN, ROVENA, SKYPORT, VELMONT
from dsv.demo.realize import DONE_WHEN_REQUEST, SURVEYS, reset_realize, seed_realize
from journeys.models import JourneyEvent
from realization import services
from realization.models import (
    FollowUp,
    FollowUpStatus,
    HealthBand,
    InvitationReason,
    InvitationStatus,
    SnapshotLevel,
    Survey,
    SurveyInvitation,
    SurveyResponse,
    ValueReview,
    ValueReviewStatus,
    ValueSnapshot,
    WatermelonAlert,
)
from realization.services.activity import month_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(django_capture_on_commit_callbacks):
    # Notifications and recomputations run after the commit: run them as `make run` would.
    with django_capture_on_commit_callbacks(execute=True):
        result = demo_seed()
    mail.outbox.clear()  # whatever the other steps' after-commit work sent is not Realize's
    return result


def _latest(name: str) -> ValueSnapshot:
    return (
        ValueSnapshot.objects.filter(level=SnapshotLevel.ACCOUNT, step="", organization__name=name)
        .exclude(health_score=None)
        .order_by("-month")
        .first()
    )


def _settled(name: str) -> ValueSnapshot:
    """The account's figures as its story reads them: this month's, or in the first week of a quarter
    (when the relationship round's answers are still coming in and the window has few) last month's."""
    today = timezone.localdate()
    month = today.replace(day=1)
    if today.month % 3 == 1 and today.day <= 7:
        month = (month - timedelta(days=1)).replace(day=1)
    return ValueSnapshot.objects.get(
        level=SnapshotLevel.ACCOUNT, step="", organization__name=name, month=month
    )


def _csat(name: str, months: tuple[int, int]) -> float | None:
    """CSAT % of the account's answers given between `months[0]` and `months[1]` months ago."""
    now = timezone.now()
    answers = SurveyResponse.objects.filter(
        organization__name=name,
        survey_type="csat",
        answered_at__gte=now - timedelta(days=30.4 * months[0]),
        answered_at__lt=now - timedelta(days=30.4 * months[1]),
    ).aggregate(total=Count("id"), satisfied=Count("id", filter=Q(score__gte=4)))
    return 100 * answers["satisfied"] / answers["total"] if answers["total"] else None


def _ces(name: str, months: tuple[int, int]) -> float | None:
    now = timezone.now()
    answers = SurveyResponse.objects.filter(
        organization__name=name,
        survey_type="ces",
        answered_at__gte=now - timedelta(days=30.4 * months[0]),
        answered_at__lt=now - timedelta(days=30.4 * months[1]),
    ).aggregate(total=Count("id"), points=Sum("score"))
    return answers["points"] / answers["total"] if answers["total"] else None


def test_surveys_with_months_of_invitations_for_every_reason(demo):
    surveys = Survey.objects.all()
    assert sorted(survey.name for survey in surveys) == sorted(spec.name for spec in SURVEYS)
    assert {survey.survey_type for survey in surveys} == {"nps", "csat", "ces"}
    assert {survey.trigger for survey in surveys} == {"request_closed", "onboarding_completed", "periodic"}
    invitations = SurveyInvitation.objects.all()
    assert set(invitations.values_list("reason", flat=True)) == set(InvitationReason.values)
    statuses = Counter(invitations.values_list("status", flat=True))
    assert {InvitationStatus.RESPONDED, InvitationStatus.EXPIRED, InvitationStatus.NOT_INVITED} <= set(
        statuses
    )
    # Nothing waits to be sent, except in the first hours of a quarter, when its relationship round
    # is decided and goes out later that morning.
    waiting = invitations.filter(status=InvitationStatus.SCHEDULED)
    assert not waiting.exclude(survey__trigger="periodic", send_after__gt=timezone.now()).exists()
    assert invitations.filter(reminder_sent_at__isnull=False).exists()
    oldest = invitations.order_by("triggered_at").first().triggered_at
    assert timezone.now() - timedelta(days=9 * 31) < oldest < timezone.now() - timedelta(days=6 * 30)
    # Every answered invitation has its answer, of the survey's type and in its scale.
    responses = SurveyResponse.objects.select_related("invitation", "survey")
    assert demo.survey_responses == responses.count() == statuses[InvitationStatus.RESPONDED] > 100
    for response in responses:
        assert response.invitation.status == InvitationStatus.RESPONDED
        assert response.survey_type == response.survey.survey_type
        low, high = response.survey.scale
        assert low <= response.score <= high
        assert response.invitation.sent_at < response.answered_at <= timezone.now()
    assert responses.exclude(comment="").count() > 20
    # The effort question takes half the requesters; the cooldown keeps the other question from them.
    assert invitations.filter(reason=InvitationReason.SAMPLED_OUT, survey__survey_type="ces").exists()
    assert invitations.filter(reason=InvitationReason.COOLDOWN, survey__survey_type="csat").exists()
    # The demo's own closed requests are decided under their real keys (the scan finds them done).
    closed = ServiceRequest.objects.filter(status=RequestStatus.CLOSED, requester__isnull=False)
    keys = set(invitations.values_list("trigger_key", flat=True))
    assert {f"request:{request.pk}" for request in closed} <= keys


def test_the_answers_tell_the_accounts_stories(demo):
    # Meridian, the watermelon: SLA green, experience red, and the CSAT falling.
    assert _latest(MERIDIAN).month == month_of(timezone.now())
    meridian = _settled(MERIDIAN)
    assert meridian.is_watermelon
    assert meridian.input_sla >= 95
    assert "ces" in meridian.watermelon_reason_list
    early, late = _csat(MERIDIAN, (8, 5)), _csat(MERIDIAN, (4, 0))
    assert early >= 60 and (late or 0) < 50
    assert _ces(MERIDIAN, (8, 5)) > _ces(MERIDIAN, (3, 0)) + 1.5
    assert WatermelonAlert.objects.filter(organization__name=MERIDIAN, notified_at__isnull=False).exists()
    # Velmont improved: easier and more satisfied than in the spring.
    assert _ces(VELMONT, (3, 0)) > _ces(VELMONT, (8, 5)) + 1
    # Skyport: detractors, with follow-ups still open (some overdue).
    skyport = _settled(SKYPORT)
    assert skyport.health_band == HealthBand.AT_RISK
    assert skyport.input_nps < 0
    open_follow_ups = FollowUp.objects.filter(organization__name=SKYPORT, status=FollowUpStatus.OPEN)
    assert open_follow_ups.count() >= 2
    assert open_follow_ups.filter(due_on__lt=timezone.localdate()).exists()
    # Rovena, the healthy promoter.
    rovena = _settled(ROVENA)
    assert rovena.health_band == HealthBand.HEALTHY
    # Its answers never make it a watermelon (the desk's touchpoint sentiment, which is not Realize's
    # demo, can dip below zero some month).
    assert not {"csat", "ces"} & set(rovena.watermelon_reason_list)
    assert rovena.input_nps >= 50


def test_follow_ups_open_and_done_for_every_poor_answer_only(demo):
    poor = SurveyResponse.objects.filter(
        Q(survey_type="nps", score__lte=6)
        | Q(survey_type="csat", score__lte=2)
        | Q(survey_type="ces", score__lte=3)
    )
    follow_ups = FollowUp.objects.select_related("response", "organization")
    assert set(follow_ups.values_list("response_id", flat=True)) == set(poor.values_list("pk", flat=True))
    assert {follow_up.status for follow_up in follow_ups} == {FollowUpStatus.OPEN, FollowUpStatus.DONE}
    for follow_up in follow_ups:
        assert follow_up.owner_id == follow_up.organization.owner_id
        assert follow_up.due_on == timezone.localdate(follow_up.response.answered_at) + timedelta(days=5)
        if follow_up.status == FollowUpStatus.DONE:
            assert (
                follow_up.outcome and follow_up.response.answered_at < follow_up.closed_at <= timezone.now()
            )


def test_value_reviews_signed_off_held_and_planned(demo):
    reviews = {
        review.organization.name: review for review in ValueReview.objects.select_related("organization")
    }
    assert demo.value_reviews == len(reviews) == 3
    signed = reviews[HARBOURVIEW]
    assert signed.status == ValueReviewStatus.SIGNED_OFF
    assert signed.signed_off_by_name and signed.signed_off_at.date() > signed.held_on
    assert signed.business_case is not None and signed.decisions and signed.analysis
    assert signed.targets.exclude(achieved=None).count() == signed.targets.count() > 0
    # The business case's first-year benefit, expected in the quarter reviewed, beside what was realized.
    assert signed.benefits.exclude(realized=None).count() == signed.benefits.count() > 0
    assert all(line.expected > 0 for line in signed.benefits.all())
    assert signed.actions.filter(status="done").exists() and signed.actions.filter(status="open").exists()
    held = reviews[MERIDIAN]
    assert held.status == ValueReviewStatus.HELD and held.held_on < timezone.localdate()
    assert not held.signed_off_at
    assert held.figures["health"]["is_watermelon"]
    planned = reviews[ROVENA]
    assert planned.status == ValueReviewStatus.PLANNED
    assert timezone.localdate() < planned.scheduled_on <= timezone.localdate() + timedelta(days=60)
    assert not JourneyEvent.objects.exists()


def test_closing_the_open_request_brings_exactly_one_survey_email_whose_link_records_the_score(demo, client):
    request = ServiceRequest.objects.select_related("requester").get(title=DONE_WHEN_REQUEST)
    requester = request.requester
    assert request.status in (RequestStatus.NEW, RequestStatus.IN_PROGRESS, RequestStatus.WAITING)
    assert requester.survey_consent and requester.email and requester.is_active
    desk = get_user_model().objects.get(username="desk")
    # Nothing is waiting to be sent before the request is closed (but the quarter's relationship
    # round, in the first hours of a quarter: it goes out before the request is closed).
    round_due = SurveyInvitation.objects.filter(status=InvitationStatus.SCHEDULED).count()
    assert services.survey_triggers_scan() == 0
    assert services.survey_invitations_send(now=timezone.now() + timedelta(hours=25)) == round_due
    assert len(mail.outbox) == round_due
    mail.outbox.clear()

    # Closed as the desk does it on the request page: resolved, then closed.
    request = cocreation_services.request_transition(
        actor=desk,
        request=request,
        to_status=RequestStatus.RESOLVED,
        note="New roller kit fitted and tested.",
    )
    cocreation_services.request_transition(actor=desk, request=request, to_status=RequestStatus.CLOSED)
    mail.outbox.clear()  # the resolution sent to the requester is Co-create's
    closed_at = timezone.now()
    assert services.survey_triggers_scan() >= 1
    assert services.survey_invitations_send(now=closed_at + timedelta(hours=23)) == 0  # the day's delay
    assert not mail.outbox
    assert services.survey_invitations_send(now=closed_at + timedelta(hours=25)) == 1
    assert services.survey_invitations_send(now=closed_at + timedelta(hours=26)) == 0
    assert services.survey_triggers_scan() == 0

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert [parseaddr(address)[1] for address in message.to] == [requester.email]
    invitation = SurveyInvitation.objects.get(
        trigger_key=f"request:{request.pk}", status=InvitationStatus.SENT
    )
    links = re.findall(r"https?://\S+/s/[^/\s]+/\d+/", message.body)
    assert links
    response = client.get(urlsplit(links[-1]).path)
    assert response.status_code == 200
    answer = SurveyResponse.objects.get(invitation=invitation)
    assert answer.score == int(links[-1].rstrip("/").rsplit("/", 1)[1])


def test_seeding_again_gives_the_same_answers(demo):
    def answers():
        return list(
            SurveyResponse.objects.order_by("answered_at", "survey__name", "stakeholder__name").values_list(
                "survey__name", "stakeholder__name", "score", "comment"
            )
        )

    first = answers()
    users = {user.username: user for user in get_user_model().objects.all()}
    reset_realize()
    assert not SurveyInvitation.objects.exists()
    seed_realize(users=users, now=timezone.now())

    assert answers() == first
