"""A breach is e-mailed to its agreement's owner once (through Celery, after commit): not again on the
next run, not when it was cleared before the mail went out, to the account's owner when the agreement
has none, and not at all for old periods found by a backfill."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.db.models import F

from agreements.models import AgreementStatus, Breach
from agreements.services.compliance import breach_notification_send, compliance_recompute
from agreements.tasks import breach_notify
from tests.factories.agreements import (
    AgreementFactory,
    BreachFactory,
    BusinessCalendarFactory,
    MeasurementFactory,
    ServiceLevelTargetFactory,
)
from tests.factories.journeys import UserFactory
from tests.helpers import text_of

pytestmark = pytest.mark.django_db

TODAY = date(2026, 5, 15)


@pytest.fixture
def agreement(account, owner):
    return AgreementFactory(
        organization=account,
        owner=owner,
        status=AgreementStatus.ACTIVE,
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 12, 31),
        title="Rentwheel booking SLA",
    )


@pytest.fixture
def target(agreement):
    calendar = BusinessCalendarFactory(time_zone="UTC")
    return ServiceLevelTargetFactory(
        agreement=agreement, calendar=calendar, name="Booking portal availability"
    )


def measure(target, moment: str, value: str):
    return MeasurementFactory(
        target=target, measured_at=datetime.fromisoformat(moment).replace(tzinfo=UTC), value=Decimal(value)
    )


def run(capture):
    with capture(execute=True):
        return compliance_recompute(today=TODAY)


def test_the_owner_gets_one_mail_per_breach_however_often_it_runs(
    target, owner, django_capture_on_commit_callbacks
):
    measure(target, "2026-05-02T10:00:00", "98.25")

    run(django_capture_on_commit_callbacks)
    run(django_capture_on_commit_callbacks)

    [message] = mail.outbox
    assert message.to == [owner.email]
    assert message.subject == "SLA breached: Booking portal availability in May 2026 (Rentwheel Car Hire)"
    body = message.body
    assert "≥ 99.5 %, as the period's average" in body
    assert "Warning:   99.7 %" in body
    assert "Achieved:  98.25 %" in body
    assert "May 2026 (1 May 2026 to 31 May 2026)" in body
    breach = Breach.objects.get()
    assert f"/agree/agreements/{target.agreement_id}/" in body
    html = message.alternatives[0].content
    assert "Rentwheel booking SLA" in text_of(html)
    assert breach.notified_at is not None


def test_the_task_run_twice_sends_one_mail(target, owner):
    breach = BreachFactory(target=target, period_start=date(2026, 4, 1))

    assert breach_notify.delay(breach.pk).get() is True
    assert breach_notify.delay(breach.pk).get() is False

    assert len(mail.outbox) == 1
    assert "The period is still running" not in mail.outbox[0].body


def test_the_mail_says_when_the_period_is_still_running(target):
    breach = BreachFactory(target=target)  # of the current month

    breach_notification_send(breach_id=breach.pk)

    assert "if the service recovers before it ends, the breach is cleared" in mail.outbox[0].body


def test_a_breach_cleared_before_the_mail_goes_out_is_not_mailed(target):
    breach = BreachFactory(target=target, cleared_at=datetime(2026, 5, 3, tzinfo=UTC))

    assert breach_notification_send(breach_id=breach.pk) is False

    assert mail.outbox == []
    breach.refresh_from_db()
    assert breach.notified_at is None


def test_a_breach_that_recovers_in_the_same_run_sends_nothing(target, django_capture_on_commit_callbacks):
    measure(target, "2026-05-02T10:00:00", "99")
    measure(target, "2026-05-03T10:00:00", "100.5")

    run(django_capture_on_commit_callbacks)

    assert not Breach.objects.exists()
    assert mail.outbox == []


def test_without_an_agreement_owner_the_accounts_owner_is_told(target, agreement, owner):
    agreement.owner = None
    agreement.save()
    breach = BreachFactory(target=target)

    breach_notification_send(breach_id=breach.pk)

    assert [message.to for message in mail.outbox] == [[owner.email]]


def test_with_nobody_to_tell_the_breach_is_only_marked(target, agreement, account):
    agreement.owner = UserFactory(username="no-mail", email="")
    agreement.save()
    account.owner = None
    account.save()
    breach = BreachFactory(target=target)

    assert breach_notification_send(breach_id=breach.pk) is False

    assert mail.outbox == []
    breach.refresh_from_db()
    assert breach.notified_at is not None


def test_a_failed_send_releases_the_claim_for_the_next_run(target, monkeypatch):
    breach = BreachFactory(target=target)

    def broken(self, *args, **kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", broken)
    with pytest.raises(OSError):
        breach_notification_send(breach_id=breach.pk)
    breach.refresh_from_db()
    assert breach.notified_at is None
    monkeypatch.undo()

    assert breach_notification_send(breach_id=breach.pk) is True
    assert len(mail.outbox) == 1


def test_breaches_of_old_periods_found_by_a_backfill_are_recorded_but_not_mailed(
    target, django_capture_on_commit_callbacks
):
    measure(target, "2026-02-02T10:00:00", "90")  # closed long ago
    measure(target, "2026-04-02T10:00:00", "90")  # the period that just ended

    run(django_capture_on_commit_callbacks)

    assert Breach.objects.count() == 2
    assert [message.subject.split(" in ")[1][:10] for message in mail.outbox] == ["April 2026"]
    assert Breach.objects.get(period_start=date(2026, 2, 1)).notified_at is None


def test_a_mail_that_never_went_out_is_sent_by_the_next_run(target, django_capture_on_commit_callbacks):
    measure(target, "2026-05-02T10:00:00", "90")
    compliance_recompute(today=TODAY)  # its notification is lost: nothing ran after commit
    assert mail.outbox == []

    run(django_capture_on_commit_callbacks)

    assert len(mail.outbox) == 1


def test_breaches_a_bulk_load_counts_as_told_before_its_commit_are_not_mailed(
    target, django_capture_on_commit_callbacks, monkeypatch
):
    sent = []
    monkeypatch.setattr(breach_notify, "delay", lambda breach_id: sent.append(breach_id))
    measure(target, "2026-05-02T10:00:00", "90")

    with django_capture_on_commit_callbacks(execute=True):
        compliance_recompute(today=TODAY)
        Breach.objects.update(notified_at=F("detected_at"))

    assert sent == []
    assert mail.outbox == []
