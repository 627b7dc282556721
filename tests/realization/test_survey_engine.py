"""The survey engine, part one: survey definitions and the trigger scan with its governance.

Every candidate a trigger puts forward gets one invitation row with the first reason that keeps them
out (not in the audience, inactive, no consent, no e-mail, handled the request, cooldown, sampled
out), or `invited`. The cases are small enough to check by hand."""

import hashlib
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from cocreation.models import RequestStatus
from journeys.base import ApplicationError
from journeys.models import JourneyStep, OrganizationKind, Stakeholder
from realization import services
from realization.models import (
    InvitationReason,
    InvitationStatus,
    RefreshMark,
    Survey,
    SurveyInvitation,
    SurveyTrigger,
    SurveyType,
)
from tests.factories.journeys import OrganizationFactory, StakeholderFactory, UserFactory
from tests.factories.realization import (
    ClosedRequestFactory,
    CompletedPlanFactory,
    SurveyFactory,
    SurveyInvitationFactory,
    SurveyResponseFactory,
)

pytestmark = pytest.mark.django_db

UTC = ZoneInfo("UTC")


def valid(**changes) -> dict:
    data = {
        "name": "After a request is closed",
        "survey_type": SurveyType.CSAT,
        "question": "How satisfied are you with how we handled your request?",
        "trigger": SurveyTrigger.REQUEST_CLOSED,
        "audience": ["customer", "user"],
        "sampling_percent": 100,
        "send_delay_hours": 24,
        "expiry_days": 14,
        "reminder_after_days": 5,
    }
    data.update(changes)
    return data


def person(account, **fields) -> Stakeholder:
    values = {"survey_consent": True, "is_user": True, "email": "lena.berg@rentwheel.example"}
    values.update(fields)
    return StakeholderFactory(organization=account, **values)


def bucket(survey, trigger_key: str, stakeholder) -> int:
    """The documented sample: sha256 of "survey:trigger:person", first four bytes, modulo 100."""
    digest = hashlib.sha256(f"{survey.pk}:{trigger_key}:{stakeholder.pk}".encode()).digest()
    return int.from_bytes(digest[:4], "big") % 100


def only_invitation(survey=None) -> SurveyInvitation:
    rows = (
        SurveyInvitation.objects.all() if survey is None else SurveyInvitation.objects.filter(survey=survey)
    )
    assert rows.count() == 1
    return rows.get()


# --- definitions ---------------------------------------------------------------------------------------


def test_a_relationship_manager_defines_a_survey(owner):
    survey = services.survey_create(user=owner, data=valid())
    assert survey.owner == owner
    assert (survey.to_customers, survey.to_users, survey.to_sponsors) == (True, True, False)
    assert survey.scale == (1, 5)
    assert survey.is_active


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"audience": []}, "audience"),
        ({"audience": None, "to_customers": False, "to_users": False, "to_sponsors": False}, "audience"),
        ({"reminder_after_days": 14}, "reminder_after_days"),
        ({"reminder_after_days": 20}, "reminder_after_days"),
        ({"trigger": SurveyTrigger.PERIODIC}, "period_months"),
        ({"trigger": SurveyTrigger.PERIODIC, "period_months": 0}, "period_months"),
        ({"sampling_percent": 0}, "sampling_percent"),
        ({"sampling_percent": 101}, "sampling_percent"),
        ({"survey_type": "stars"}, "survey_type"),
        ({"name": "  "}, "name"),
        ({"question": ""}, "question"),
        ({"expiry_days": 0}, "expiry_days"),
        ({"colour": "blue"}, "colour"),
    ],
)
def test_a_bad_definition_names_its_field_and_saves_nothing(owner, changes, field):
    data = valid(**changes)
    if data.get("audience") is None:
        data.pop("audience")
    with pytest.raises(ApplicationError) as refused:
        services.survey_create(user=owner, data=data)
    assert field in refused.value.fields
    assert not Survey.objects.exists()


def test_a_survey_name_is_unique_whatever_its_case(owner):
    SurveyFactory(name="After a request is closed")
    with pytest.raises(ApplicationError) as refused:
        services.survey_create(user=owner, data=valid(name="after a request is CLOSED"))
    assert "name" in refused.value.fields
    assert Survey.objects.count() == 1


@pytest.mark.parametrize("persona", ["desk", "analyst", "integrator"])
def test_only_relationship_managers_and_administrators_define_surveys(request, persona, administrator):
    user = request.getfixturevalue(persona)
    with pytest.raises(ApplicationError) as refused:
        services.survey_create(user=user, data=valid())
    assert refused.value.status == 403
    assert services.survey_create(user=administrator, data=valid()).pk


def test_an_update_is_validated_like_a_new_survey(owner):
    survey = SurveyFactory(expiry_days=14, reminder_after_days=5)
    with pytest.raises(ApplicationError) as refused:
        services.survey_update(user=owner, survey=survey, data={"expiry_days": 5})
    assert "reminder_after_days" in refused.value.fields
    survey.refresh_from_db()
    assert survey.expiry_days == 14
    updated = services.survey_update(
        user=owner, survey=survey, data={"expiry_days": 10, "sampling_percent": 40}
    )
    assert (updated.expiry_days, updated.sampling_percent) == (10, 40)


def test_the_type_of_an_answered_survey_cannot_change(owner):
    survey = SurveyFactory(survey_type=SurveyType.CSAT)
    SurveyResponseFactory(survey=survey)
    with pytest.raises(ApplicationError) as refused:
        services.survey_update(user=owner, survey=survey, data={"survey_type": SurveyType.NPS})
    assert "survey_type" in refused.value.fields


# --- the scan: a closed request -------------------------------------------------------------------------


def test_a_closed_request_invites_its_requester_after_the_delay(account, desk):
    survey = SurveyFactory(send_delay_hours=24)
    requester = person(account)
    request = ClosedRequestFactory(organization=account, requester=requester, assignee=desk, closed_by=desk)
    assert services.survey_triggers_scan() == 1
    invitation = only_invitation()
    assert invitation.reason == InvitationReason.INVITED
    assert invitation.status == InvitationStatus.SCHEDULED
    assert invitation.stakeholder == requester
    assert invitation.organization == account
    assert invitation.trigger_key == f"request:{request.pk}"
    assert invitation.triggered_at == request.closed_at
    assert invitation.send_after == request.closed_at + timedelta(hours=24)
    assert invitation.step == JourneyStep.CO_CREATE
    assert invitation.handled_by == desk
    assert request.reference in invitation.subject
    assert len(invitation.nonce) == 32
    assert invitation.survey == survey


def test_the_survey_step_overrides_the_requests(account):
    SurveyFactory(step=JourneyStep.REALIZE)
    ClosedRequestFactory(organization=account, requester=person(account), step=JourneyStep.ONBOARD)
    services.survey_triggers_scan()
    assert only_invitation().step == JourneyStep.REALIZE


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"is_user": False, "is_sponsor": True}, InvitationReason.NOT_IN_AUDIENCE),
        ({"is_active": False}, InvitationReason.INACTIVE),
        ({"survey_consent": False}, InvitationReason.NO_CONSENT),
        ({"email": ""}, InvitationReason.NO_EMAIL),
        # The first rule that applies is the one recorded.
        ({"is_user": False, "is_active": False, "survey_consent": False}, InvitationReason.NOT_IN_AUDIENCE),
        ({"is_active": False, "survey_consent": False, "email": ""}, InvitationReason.INACTIVE),
        ({"survey_consent": False, "email": ""}, InvitationReason.NO_CONSENT),
    ],
)
def test_each_person_left_out_is_recorded_with_the_first_reason(account, fields, reason):
    SurveyFactory(to_customers=True, to_users=True, to_sponsors=False)
    ClosedRequestFactory(organization=account, requester=person(account, **fields))
    services.survey_triggers_scan()
    invitation = only_invitation()
    assert invitation.reason == reason
    assert invitation.status == InvitationStatus.NOT_INVITED
    assert invitation.send_after is None


@pytest.mark.parametrize("role", ["assignee", "closer"])
def test_nobody_rates_a_request_they_handled_themselves(account, role):
    SurveyFactory()
    agent = UserFactory(username="kim", email="kim.lee@Provider.example")
    requester = person(account, email="KIM.LEE@provider.example")  # the same address, another case
    if role == "assignee":
        ClosedRequestFactory(organization=account, requester=requester, assignee=agent)
    else:
        ClosedRequestFactory(organization=account, requester=requester, closed_by=agent)
    services.survey_triggers_scan()
    invitation = only_invitation()
    assert invitation.reason == InvitationReason.HANDLED_REQUEST
    assert invitation.handled_by == agent


def test_the_cooldown_spans_every_survey(account):
    csat = SurveyFactory(survey_type=SurveyType.CSAT)
    ces = SurveyFactory(survey_type=SurveyType.CES, question="It was easy to get my request handled.")
    ClosedRequestFactory(organization=account, requester=person(account))
    services.survey_triggers_scan()
    # One closing, two surveys: the older survey asks, the other one waits out the cooldown.
    assert only_invitation(csat).reason == InvitationReason.INVITED
    assert only_invitation(ces).reason == InvitationReason.COOLDOWN


def test_the_cooldown_counts_invitations_decided_earlier_in_the_same_scan(account):
    SurveyFactory()
    requester = person(account)
    first = ClosedRequestFactory(organization=account, requester=requester)
    second = ClosedRequestFactory(
        organization=account,
        requester=requester,
        resolved_at=timezone.now() - timedelta(minutes=30),
    )
    services.survey_triggers_scan()
    reasons = dict(SurveyInvitation.objects.values_list("trigger_key", "reason"))
    assert reasons == {
        f"request:{first.pk}": InvitationReason.INVITED,
        f"request:{second.pk}": InvitationReason.COOLDOWN,
    }


@pytest.mark.parametrize(
    ("days_before", "reason"), [(29, InvitationReason.COOLDOWN), (30, InvitationReason.INVITED)]
)
def test_the_cooldown_is_thirty_days_between_sends(account, days_before, reason, settings):
    settings.DSV_SURVEY_COOLDOWN_DAYS = 30
    survey = SurveyFactory(send_delay_hours=24)
    requester = person(account)
    request = ClosedRequestFactory(organization=account, requester=requester)
    new_send = request.closed_at + timedelta(hours=24)
    SurveyInvitationFactory(
        organization=account,
        stakeholder=requester,
        survey=SurveyFactory(trigger=SurveyTrigger.MANUAL, is_active=False),
        send_after=new_send - timedelta(days=days_before),
    )
    services.survey_triggers_scan()
    assert only_invitation(survey).reason == reason


def test_a_cooldown_ignores_invitations_that_never_went_out(account):
    survey = SurveyFactory()
    requester = person(account)
    other = SurveyFactory(trigger=SurveyTrigger.MANUAL, is_active=False)
    SurveyInvitationFactory(
        organization=account, stakeholder=requester, survey=other, status=InvitationStatus.CANCELLED
    )
    ClosedRequestFactory(organization=account, requester=requester)
    services.survey_triggers_scan()
    assert only_invitation(survey).reason == InvitationReason.INVITED


def test_the_sample_follows_the_documented_hash(account):
    survey = SurveyFactory(sampling_percent=50)
    people = [person(account, email=f"p{n}@rentwheel.example") for n in range(12)]
    requests = [ClosedRequestFactory(organization=account, requester=p) for p in people]
    # Far apart in time would be needed for one person twice; here each person has one request.
    services.survey_triggers_scan()
    for request, someone in zip(requests, people, strict=True):
        invitation = SurveyInvitation.objects.get(survey=survey, stakeholder=someone)
        expected = (
            InvitationReason.INVITED
            if bucket(survey, f"request:{request.pk}", someone) < 50
            else (InvitationReason.SAMPLED_OUT)
        )
        assert invitation.reason == expected


def test_the_sample_decides_the_same_on_a_second_scan_and_keeps_near_its_rate():
    survey = SurveyFactory(trigger=SurveyTrigger.PERIODIC, period_months=3, sampling_percent=30)
    organization = OrganizationFactory()
    Stakeholder.objects.bulk_create(
        Stakeholder(
            organization=organization,
            name=f"Person {n}",
            email=f"person{n}@consumer.example",
            is_user=True,
            survey_consent=True,
        )
        for n in range(400)
    )
    services.survey_triggers_scan()
    first = dict(SurveyInvitation.objects.values_list("stakeholder_id", "reason"))
    invited = sum(reason == InvitationReason.INVITED for reason in first.values())
    assert 88 <= invited <= 152  # 30 % of 400 is 120; the hash keeps it well inside ±8 points
    # Forget every decision and the scan's position: the same people are drawn again.
    SurveyInvitation.objects.all().delete()
    RefreshMark.objects.filter(name=services.MARK).delete()
    services.survey_triggers_scan()
    assert dict(SurveyInvitation.objects.values_list("stakeholder_id", "reason")) == first
    assert survey.invitations.count() == 400


def test_a_rescan_decides_nothing_twice(account):
    SurveyFactory()
    ClosedRequestFactory(organization=account, requester=person(account))
    assert services.survey_triggers_scan() == 1
    assert services.survey_triggers_scan() == 0
    RefreshMark.objects.filter(name=services.MARK).delete()  # even reading everything again
    assert services.survey_triggers_scan() == 0
    assert SurveyInvitation.objects.count() == 1


def test_the_scan_reads_on_from_its_mark(account):
    SurveyFactory()
    services.survey_triggers_scan()
    mark = RefreshMark.objects.get(name=services.MARK)
    assert mark.reached is not None
    ClosedRequestFactory(organization=account, requester=person(account))
    assert services.survey_triggers_scan() == 1


def test_a_request_reopened_before_the_scan_waits_for_its_next_closing(account, desk):
    SurveyFactory()
    request = ClosedRequestFactory(organization=account, requester=person(account))
    request.status = RequestStatus.IN_PROGRESS
    request.closed_at = None
    request.save()
    assert services.survey_triggers_scan() == 0


def test_closings_from_before_the_survey_existed_are_not_surveyed(account):
    ClosedRequestFactory(organization=account, requester=person(account))
    SurveyFactory()
    assert services.survey_triggers_scan() == 0


def test_an_inactive_survey_is_not_decided(account):
    SurveyFactory(is_active=False)
    ClosedRequestFactory(organization=account, requester=person(account))
    assert services.survey_triggers_scan() == 0


# --- the scan: onboarding completed, periodic ---------------------------------------------------------


def test_a_completed_onboarding_asks_the_accounts_people_in_the_audience(account):
    survey = SurveyFactory(
        trigger=SurveyTrigger.ONBOARDING_COMPLETED, to_customers=True, to_users=False, to_sponsors=True
    )
    customer = person(account, is_customer=True, is_user=False, email="c@rentwheel.example")
    sponsor = person(
        account, is_sponsor=True, is_user=False, survey_consent=False, email="s@rentwheel.example"
    )
    person(account, email="u@rentwheel.example")  # a user only: not asked, not listed
    plan = CompletedPlanFactory(organization=account)
    assert services.survey_triggers_scan() == 2
    rows = {row.stakeholder_id: row for row in survey.invitations.all()}
    assert rows[customer.pk].reason == InvitationReason.INVITED
    assert rows[customer.pk].trigger_key == f"plan:{plan.pk}"
    assert rows[customer.pk].step == JourneyStep.ONBOARD
    assert rows[sponsor.pk].reason == InvitationReason.NO_CONSENT


def test_offboarding_is_not_an_onboarding_trigger(account):
    SurveyFactory(trigger=SurveyTrigger.ONBOARDING_COMPLETED)
    person(account)
    CompletedPlanFactory(organization=account, kind="offboarding", reason="agreement_expired")
    assert services.survey_triggers_scan() == 0


def test_the_periodic_survey_asks_each_person_once_per_period(account):
    survey = SurveyFactory(trigger=SurveyTrigger.PERIODIC, period_months=3, send_delay_hours=0)
    Survey.objects.filter(pk=survey.pk).update(created_at=datetime(2026, 1, 5, tzinfo=UTC))
    someone = person(account)
    supplier = OrganizationFactory(kind=OrganizationKind.SUPPLIER)
    person(supplier, email="vendor@supplier.example")  # not a consumer: never asked
    assert services.survey_triggers_scan(now=datetime(2026, 2, 10, tzinfo=UTC)) == 1
    assert services.survey_triggers_scan(now=datetime(2026, 3, 30, tzinfo=UTC)) == 0
    invitation = only_invitation()
    assert invitation.trigger_key == "period:2026-01"
    assert invitation.triggered_at == datetime(2026, 1, 5, tzinfo=UTC)  # the survey began mid-period
    assert invitation.step == JourneyStep.REALIZE
    assert services.survey_triggers_scan(now=datetime(2026, 4, 2, tzinfo=UTC)) == 1
    april = survey.invitations.get(trigger_key="period:2026-04")
    assert april.stakeholder == someone
    assert april.reason == InvitationReason.INVITED
    assert april.send_after == datetime(2026, 4, 1, tzinfo=UTC)


def test_the_period_starts_count_from_january():
    survey = Survey(period_months=3)
    assert services.period_start(survey, datetime(2026, 11, 23, tzinfo=UTC)) == datetime(
        2026, 10, 1, tzinfo=UTC
    )
    survey.period_months = 12
    assert services.period_start(survey, datetime(2026, 11, 23, tzinfo=UTC)) == datetime(
        2026, 1, 1, tzinfo=UTC
    )
    survey.period_months = 1
    assert services.period_start(survey, datetime(2026, 2, 28, tzinfo=UTC)) == datetime(
        2026, 2, 1, tzinfo=UTC
    )


# --- sent by hand -----------------------------------------------------------------------------------------


def test_a_manager_sends_a_survey_by_hand_under_the_same_governance(owner, account):
    survey = SurveyFactory(trigger=SurveyTrigger.MANUAL, sampling_percent=100)
    willing = person(account, email="w@rentwheel.example")
    unwilling = person(account, email="u@rentwheel.example", survey_consent=False)
    decisions = services.survey_send_manual(user=owner, survey=survey, organization=account)
    reasons = {row.stakeholder_id: row.reason for row in decisions}
    assert reasons == {willing.pk: InvitationReason.INVITED, unwilling.pk: InvitationReason.NO_CONSENT}
    invited = SurveyInvitation.objects.get(stakeholder=willing)
    assert invited.trigger_key.startswith("manual:")
    assert invited.send_after <= timezone.now()
    assert invited.step == JourneyStep.REALIZE
    # Sent again straight away: the cooldown keeps them out this time.
    again = services.survey_send_manual(
        user=owner, survey=survey, organization=account, stakeholders=[willing]
    )
    assert [row.reason for row in again] == [InvitationReason.COOLDOWN]


def test_people_chosen_by_hand_are_not_sampled(owner, account):
    survey = SurveyFactory(trigger=SurveyTrigger.MANUAL, sampling_percent=1)
    chosen = [person(account, email=f"p{n}@rentwheel.example") for n in range(5)]
    decisions = services.survey_send_manual(
        user=owner, survey=survey, organization=account, stakeholders=chosen
    )
    assert {row.reason for row in decisions} == {InvitationReason.INVITED}


def test_a_manual_send_is_refused_where_it_should_be(owner, outsider, desk, account, other_account):
    survey = SurveyFactory(trigger=SurveyTrigger.MANUAL)
    person(account)
    stranger = person(other_account, email="x@northbank.example")
    from django.http import Http404

    with pytest.raises(Http404):
        services.survey_send_manual(user=outsider, survey=survey, organization=account)
    with pytest.raises(ApplicationError) as refused:
        services.survey_send_manual(user=desk, survey=survey, organization=account)
    assert refused.value.status == 403
    with pytest.raises(ApplicationError) as refused:
        services.survey_send_manual(user=owner, survey=survey, organization=account, stakeholders=[stranger])
    assert "stakeholders" in refused.value.fields
    survey.is_active = False
    survey.save()
    with pytest.raises(ApplicationError) as refused:
        services.survey_send_manual(user=owner, survey=survey, organization=account)
    assert refused.value.status == 409
    assert not SurveyInvitation.objects.exists()
