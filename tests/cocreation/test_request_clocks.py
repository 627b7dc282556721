"""SLA clocks of requests: counted in the target's business hours, paused while waiting on the
customer, warned and breached once, measured in Agree. Times are Europe/Berlin office hours
(Monday–Friday 09:00–17:00, German public holidays off)."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone

from agreements.models import AgreementStatus, ClockKind, Measurement, MeasurementSource, TargetKind
from cocreation import selectors, services
from cocreation.models import ClockState, RequestClock, RequestStatus, RequestUpdate, ServiceRequest
from journeys.base import ApplicationError
from tests.factories.agreements import AgreementFactory, BusinessCalendarFactory, ServiceLevelTargetFactory

BERLIN = ZoneInfo("Europe/Berlin")


def berlin(*args) -> datetime:
    return datetime(*args, tzinfo=BERLIN)


@pytest.fixture
def now_is(monkeypatch):
    """Set the server's clock: now_is(berlin(2026, 11, 16, 15, 0))."""

    def set_now(moment):
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return set_now


@pytest.fixture
def agreement(account, owner):
    calendar = BusinessCalendarFactory(office_hours=True, time_zone="Europe/Berlin", country="DE")
    agreement = AgreementFactory(organization=account, status=AgreementStatus.ACTIVE, owner=owner)
    for clock, hours, name in (
        (ClockKind.RESPONSE, 4, "First response"),
        (ClockKind.RESOLUTION, 16, "Resolution"),
    ):
        ServiceLevelTargetFactory(
            agreement=agreement,
            name=name,
            kind=TargetKind.EXPERIENCE,
            comparator="gte",
            target_value=Decimal("90"),
            warning_threshold=None,
            unit="%",
            clock=clock,
            clock_limit_hours=Decimal(hours),
            calendar=calendar,
        )
    return agreement


def clocks_of(request) -> dict[str, RequestClock]:
    return {clock.kind: clock for clock in RequestClock.objects.filter(request=request)}


def open_request(desk, account, now_is, moment, **fields):
    now_is(moment)
    return services.request_open(
        actor=desk, organization=account, title="Cannot print invoices", opened_at=moment, **fields
    )


@pytest.mark.django_db
def test_clocks_start_from_the_active_agreement_in_business_hours(desk, account, agreement, now_is):
    # Monday 15:00: two hours left that day.
    request = open_request(desk, account, now_is, berlin(2026, 11, 16, 15, 0))
    assert request.agreement == agreement
    clocks = clocks_of(request)
    # Response 4 h: Monday 15–17, Tuesday 09–11.
    assert clocks["response"].due_at == berlin(2026, 11, 17, 11, 0)
    # Warning at 75 %: three hours in, Tuesday 10:00.
    assert clocks["response"].warning_at == berlin(2026, 11, 17, 10, 0)
    # Resolution 16 h: Monday 2 h, Tuesday 8 h, Wednesday 6 h → Wednesday 15:00.
    assert clocks["resolution"].due_at == berlin(2026, 11, 18, 15, 0)
    assert {clock.state for clock in clocks.values()} == {ClockState.RUNNING}


@pytest.mark.django_db
def test_a_request_opened_outside_business_hours_starts_counting_next_morning(
    desk, account, agreement, now_is
):
    # Friday 20:00: nothing counts until Monday 09:00.
    request = open_request(desk, account, now_is, berlin(2026, 11, 20, 20, 0))
    assert clocks_of(request)["response"].due_at == berlin(2026, 11, 23, 13, 0)


@pytest.mark.django_db
def test_public_holidays_stop_the_clock(desk, account, agreement, now_is):
    # Thursday 24 December 16:00: one hour that day, Christmas Day (Friday) is a public holiday, then
    # the weekend; the remaining three hours run on Monday 28 December.
    request = open_request(desk, account, now_is, berlin(2026, 12, 24, 16, 0))
    assert clocks_of(request)["response"].due_at == berlin(2026, 12, 28, 12, 0)


@pytest.mark.django_db
def test_waiting_on_the_customer_pauses_the_resolution_clock(desk, account, agreement, now_is):
    request = open_request(desk, account, now_is, berlin(2026, 11, 16, 15, 0))
    now_is(berlin(2026, 11, 17, 9, 30))
    services.request_transition(actor=desk, request=request, to_status=RequestStatus.IN_PROGRESS)
    # Tuesday 12:00 the agent asks the customer for the printer's model; 5 h used (Mon 2, Tue 3).
    now_is(berlin(2026, 11, 17, 12, 0))
    services.request_transition(
        actor=desk, request=request, to_status=RequestStatus.WAITING, note="Asked for the printer model."
    )
    resolution = clocks_of(request)["resolution"]
    assert resolution.state == ClockState.PAUSED
    assert resolution.due_at is None
    assert resolution.elapsed_seconds == 5 * 3600

    # Still paused two days later: the time left has not moved.
    now_is(berlin(2026, 11, 19, 9, 0))
    shown = selectors.request_get(user=desk, pk=request.pk).clock_list
    paused = next(status for status in shown if status.kind == "resolution")
    assert paused.state == ClockState.PAUSED
    assert paused.remaining_seconds == 11 * 3600
    assert "Paused" in paused.label

    # Thursday 10:00 the customer answers: 11 h left → Thursday 10–17 (7 h), Friday 09–13 (4 h).
    now_is(berlin(2026, 11, 19, 10, 0))
    services.request_transition(actor=desk, request=request, to_status=RequestStatus.IN_PROGRESS)
    resolution = clocks_of(request)["resolution"]
    assert resolution.state == ClockState.RUNNING
    assert resolution.due_at == berlin(2026, 11, 20, 13, 0)


@pytest.mark.django_db
def test_first_response_in_time_is_measured_as_met(desk, account, agreement, now_is):
    request = open_request(desk, account, now_is, berlin(2026, 11, 16, 15, 0))
    now_is(berlin(2026, 11, 17, 10, 45))
    services.request_transition(actor=desk, request=request, to_status=RequestStatus.IN_PROGRESS)
    response = clocks_of(request)["response"]
    assert response.state == ClockState.MET
    assert response.stopped_at == berlin(2026, 11, 17, 10, 45)
    measurement = Measurement.objects.get(target=response.target)
    assert measurement.value == Decimal("100")
    assert measurement.source == MeasurementSource.SYSTEM
    assert measurement.source_id == f"request-{request.pk}-response"


@pytest.mark.django_db
def test_the_check_warns_once_and_breaches_once(desk, account, agreement, owner, now_is):
    request = open_request(desk, account, now_is, berlin(2026, 11, 16, 15, 0))
    # Tuesday 10:30: past the warning (10:00), before the limit (11:00).
    now_is(berlin(2026, 11, 17, 10, 30))
    first = services.request_clocks_check()
    again = services.request_clocks_check()
    assert len(first.warned) == 1 and not first.breached
    assert not again.warned and not again.breached
    assert len(mail.outbox) == 1
    assert owner.email in mail.outbox[0].to  # unassigned: the account's owner hears of it
    assert "First response" in mail.outbox[0].body or "response" in mail.outbox[0].subject.lower()

    # Tuesday 11:01: the response limit has passed.
    now_is(berlin(2026, 11, 17, 11, 1))
    breached = services.request_clocks_check()
    services.request_clocks_check()
    assert len(breached.breached) == 1
    assert len(mail.outbox) == 2
    response = clocks_of(request)["response"]
    assert response.state == ClockState.BREACHED
    assert response.breached_at == berlin(2026, 11, 17, 11, 0)
    assert Measurement.objects.get(target=response.target).value == Decimal("0")
    # Answering late does not undo the breach, nor add a measurement.
    now_is(berlin(2026, 11, 17, 11, 30))
    services.request_transition(actor=desk, request=request, to_status=RequestStatus.IN_PROGRESS)
    assert clocks_of(request)["response"].state == ClockState.BREACHED
    assert Measurement.objects.filter(target=response.target).count() == 1


@pytest.mark.django_db
def test_a_failed_mail_is_tried_again_by_the_next_run(desk, account, agreement, now_is, monkeypatch):
    open_request(desk, account, now_is, berlin(2026, 11, 16, 15, 0))
    now_is(berlin(2026, 11, 17, 10, 30))

    def refuse(*args, **kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)
    failed = services.request_clocks_check()
    assert failed.failures
    monkeypatch.undo()
    now_is(berlin(2026, 11, 17, 10, 31))
    retried = services.request_clocks_check()
    assert len(retried.warned) == 1
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_reopening_resumes_the_clock_and_updates_its_one_measurement(desk, account, agreement, now_is):
    request = open_request(desk, account, now_is, berlin(2026, 11, 16, 15, 0))
    now_is(berlin(2026, 11, 16, 15, 30))
    services.request_transition(actor=desk, request=request, to_status=RequestStatus.IN_PROGRESS)
    now_is(berlin(2026, 11, 17, 9, 0))  # 2 h used
    services.request_transition(
        actor=desk, request=request, to_status=RequestStatus.RESOLVED, note="Driver reinstalled."
    )
    resolution = clocks_of(request)["resolution"]
    assert resolution.state == ClockState.MET
    assert Measurement.objects.get(target=resolution.target).value == Decimal("100")

    # Reopened a week later: the resolved week does not count, 14 h are left.
    now_is(berlin(2026, 11, 24, 9, 0))
    services.request_transition(
        actor=desk, request=request, to_status=RequestStatus.IN_PROGRESS, note="Back again."
    )
    resolution = clocks_of(request)["resolution"]
    assert resolution.state == ClockState.RUNNING
    assert resolution.stopped_at is None
    # Tuesday 8 h, Wednesday 6 h → Wednesday 15:00.
    assert resolution.due_at == berlin(2026, 11, 25, 15, 0)
    request.refresh_from_db()
    assert request.reopened_count == 1 and request.resolved_at is None

    # Resolved late this time: the same measurement now says breached.
    now_is(berlin(2026, 11, 26, 10, 0))
    services.request_transition(
        actor=desk, request=request, to_status=RequestStatus.RESOLVED, note="Replaced the printer."
    )
    resolution = clocks_of(request)["resolution"]
    assert resolution.state == ClockState.BREACHED
    measurements = Measurement.objects.filter(target=resolution.target)
    assert [m.value for m in measurements] == [Decimal("0")]


@pytest.mark.django_db
def test_a_status_change_that_skips_the_lifecycle_is_refused(desk, account, agreement, now_is):
    request = open_request(desk, account, now_is, berlin(2026, 11, 16, 15, 0))
    with pytest.raises(ApplicationError) as refused:
        services.request_transition(actor=desk, request=request, to_status=RequestStatus.CLOSED)
    assert refused.value.status == 409
    assert "to_status" in refused.value.fields
    assert "in progress" in refused.value.message
    request.refresh_from_db()
    assert request.status == RequestStatus.NEW
    assert RequestUpdate.objects.filter(request=request).count() == 1  # only "opened"


@pytest.mark.django_db
def test_resolving_needs_the_resolution(desk, account, agreement, now_is):
    request = open_request(desk, account, now_is, berlin(2026, 11, 16, 15, 0))
    services.request_transition(actor=desk, request=request, to_status=RequestStatus.IN_PROGRESS)
    with pytest.raises(ApplicationError) as refused:
        services.request_transition(actor=desk, request=request, to_status=RequestStatus.RESOLVED, note="  ")
    assert "note" in refused.value.fields
    request.refresh_from_db()
    assert request.status == RequestStatus.IN_PROGRESS
    assert clocks_of(request)["resolution"].stopped_at is None


@pytest.mark.django_db
def test_priority_follows_impact_and_urgency(desk, account):
    request = services.request_open(
        actor=desk, organization=account, title="Portal down", impact=1, urgency=1
    )
    assert request.priority == 1
    request = services.request_update(actor=desk, request=request, urgency=3)
    assert request.priority == 3


@pytest.mark.django_db
def test_bad_input_names_the_field_and_saves_nothing(desk, account, other_account):
    from tests.factories.journeys import StakeholderFactory

    stranger = StakeholderFactory(organization=other_account)
    with pytest.raises(ApplicationError) as refused:
        services.request_open(
            actor=desk, organization=account, title="", kind="rant", impact=7, requester=stranger
        )
    assert {"title", "kind", "impact", "requester"} <= set(refused.value.fields)
    assert not ServiceRequest.objects.exists()


@pytest.mark.django_db
def test_an_account_without_an_active_agreement_gets_no_clocks(desk, account):
    request = services.request_open(actor=desk, organization=account, title="How do I export?")
    assert request.agreement is None
    assert not RequestClock.objects.filter(request=request).exists()


@pytest.mark.django_db
def test_the_every_minute_job_runs_through_celery_and_is_scheduled(desk, account, agreement, now_is):
    from django.conf import settings

    from cocreation.tasks import request_clocks_check
    from dsv.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["cocreation-request-clocks-check"]
    assert entry["task"] == "cocreation.tasks.request_clocks_check"
    assert entry["schedule"] == 60.0 and entry["options"]["expires"] < 60

    open_request(desk, account, now_is, berlin(2026, 11, 16, 15, 0))
    now_is(berlin(2026, 11, 17, 11, 1))  # past the response warning and limit
    before = {key: app.conf.get(key) for key in ("task_always_eager", "task_eager_propagates")}
    app.conf.update(task_always_eager=True, task_eager_propagates=True)
    try:
        first = request_clocks_check.delay().get()
        second = request_clocks_check.delay().get()
    finally:
        app.conf.update(before)
    assert first["breached"] == 1
    assert second == {"examined": 0, "warned": 0, "breached": 0}
    assert len(mail.outbox) == 1  # past the limit already: the breach mail, no separate warning


@pytest.mark.django_db
def test_a_request_logged_late_is_judged_on_the_moments_it_gives(desk, account, agreement, now_is):
    # Logged on Wednesday for a call of Monday 15:00 that was answered on Monday 16:00: at the moment
    # of logging the response clock looks long breached, until the answer is recorded with its time.
    now_is(berlin(2026, 11, 18, 12, 0))
    request = services.request_open(
        actor=desk, organization=account, title="Printer jam", opened_at=berlin(2026, 11, 16, 15, 0)
    )
    response = clocks_of(request)["response"]
    assert response.state == ClockState.BREACHED
    assert Measurement.objects.get(target=response.target).value == Decimal("0")

    services.request_transition(
        actor=desk, request=request, to_status=RequestStatus.IN_PROGRESS, at=berlin(2026, 11, 16, 16, 0)
    )
    response = clocks_of(request)["response"]
    assert response.state == ClockState.MET
    assert response.breached_at is None
    assert [m.value for m in Measurement.objects.filter(target=response.target)] == [Decimal("100")]
    # The resolution clock (16 h from Monday 15:00, due Wednesday 15:00) has used 13 h by Wednesday
    # noon: still running, past its warning.
    assert clocks_of(request)["resolution"].state == ClockState.WARNING
