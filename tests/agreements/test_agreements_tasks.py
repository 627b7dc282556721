"""The daily jobs of agreements: active agreements past their end date expire (once, with their event),
and owners are reminded of reviews coming due, once per review date however often the job runs."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from agreements.models import AgreeEventType, Agreement
from agreements.services import (
    agreement_review_record,
    agreement_review_reminders_send,
    agreements_expire_due,
)
from agreements.tasks import agreement_review_reminders
from agreements.tasks import agreements_expire_due as expire_task
from journeys.models import JourneyEvent
from tests.factories.agreements import AgreementFactory, ServiceLevelTargetFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def today():
    return timezone.localdate()


def active(account, owner, **fields):
    agreement = AgreementFactory(organization=account, owner=owner, status="active", **fields)
    ServiceLevelTargetFactory(agreement=agreement)
    return agreement


# --- expiry -----------------------------------------------------------------------------------------


def test_active_agreements_past_their_end_expire_once(account, owner, today):
    ended = active(account, owner, title="Ended", ends_on=today - timedelta(days=1))
    ending = active(account, owner, title="Ends today", ends_on=today)
    open_ended = active(account, owner, title="Open", ends_on=None)
    draft = AgreementFactory(organization=account, status="draft", ends_on=today - timedelta(days=5))

    assert expire_task.delay().get() == 1
    assert expire_task.delay().get() == 0

    statuses = dict(Agreement.objects.values_list("title", "status"))
    assert statuses == {"Ended": "expired", "Ends today": "active", "Open": "active", draft.title: "draft"}
    event = JourneyEvent.objects.get(event_type=AgreeEventType.AGREEMENT_STATUS_CHANGED)
    assert (event.payload["agreement"], event.payload["from"], event.payload["to"], event.actor) == (
        ended.pk,
        "active",
        "expired",
        None,
    )
    last = Agreement.history.filter(id=ended.pk).first()
    assert (last.status, last.history_user) == ("expired", None)
    assert ending.pk and open_ended.pk


def test_expiry_is_counted_on_the_day_given(account, owner):
    active(account, owner, starts_on=date(2026, 1, 1), ends_on=date(2026, 3, 31))

    assert agreements_expire_due(today=date(2026, 3, 31)) == 0
    assert agreements_expire_due(today=date(2026, 4, 1)) == 1


# --- review reminders -------------------------------------------------------------------------------


def test_the_owner_is_reminded_once_of_a_review_within_a_week(account, owner, today):
    agreement = active(account, owner, title="Fleet SLA", next_review_on=today + timedelta(days=5))
    active(account, owner, title="Later", next_review_on=today + timedelta(days=8))

    assert agreement_review_reminders.delay().get() == 1
    assert agreement_review_reminders.delay().get() == 0

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [owner.email]
    assert message.subject.startswith("Review due ") and "Fleet SLA (Rentwheel Car Hire)" in message.subject
    assert "in 5 days" in message.body
    assert reverse("agreements:agreement_detail", args=[agreement.pk]) in message.body
    html, mime = message.alternatives[0]
    assert mime == "text/html" and "Open the agreement" in html
    agreement.refresh_from_db()
    assert agreement.review_reminded_on == agreement.next_review_on


def test_an_overdue_review_says_so(account, owner, today):
    active(account, owner, title="Fleet SLA", next_review_on=today - timedelta(days=3))

    agreement_review_reminders_send(today=today)

    assert mail.outbox[0].subject.startswith("Review overdue: Fleet SLA")
    assert "3 days ago" in mail.outbox[0].body


def test_a_new_review_date_is_reminded_again(account, owner, today):
    agreement = active(account, owner, next_review_on=today + timedelta(days=2), review_cadence="monthly")
    agreement_review_reminders_send(today=today)

    agreement_review_record(actor=owner, agreement=agreement, held_on=today, summary="Fine.")
    Agreement.objects.filter(pk=agreement.pk).update(next_review_on=today + timedelta(days=1))

    assert agreement_review_reminders_send(today=today) == 1
    assert len(mail.outbox) == 2


def test_no_reminder_without_an_owner_address_or_for_other_statuses(account, owner, today):
    soon = today + timedelta(days=1)
    AgreementFactory(organization=account, owner=None, status="active", next_review_on=soon)
    AgreementFactory(organization=account, owner=owner, status="negotiating", next_review_on=soon)
    AgreementFactory(organization=account, owner=owner, status="expired", next_review_on=soon)

    assert agreement_review_reminders_send(today=today) == 0
    assert mail.outbox == []


def test_a_failed_send_releases_the_claim(account, owner, today, monkeypatch):
    agreement = active(account, owner, next_review_on=today)

    def broken(*args, **kwargs):
        raise ConnectionError("mail server down")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", broken)
    with pytest.raises(ConnectionError):
        agreement_review_reminders_send(today=today)
    agreement.refresh_from_db()
    assert agreement.review_reminded_on is None

    monkeypatch.undo()
    assert agreement_review_reminders_send(today=today) == 1
