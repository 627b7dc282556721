"""The target's page and the measurement pages: what they show, the inline and full-page forms, errors
next to the fields with nothing saved, deleting and excluding, the HTMX region, and the constant
number of queries of the measurement list."""

import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from agreements.models import AgreementStatus, Measurement
from tests.factories.agreements import (
    AgreementFactory,
    BreachFactory,
    BusinessCalendarFactory,
    MeasurementFactory,
    ServiceLevelTargetFactory,
    TargetScoreFactory,
)
from tests.helpers import HX, text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def agreement(account, owner):
    return AgreementFactory(
        organization=account,
        owner=owner,
        status=AgreementStatus.ACTIVE,
        starts_on=date(2026, 1, 1),
        ends_on=date(2027, 12, 31),
        title="Rentwheel booking SLA",
    )


@pytest.fixture
def target(agreement):
    calendar = BusinessCalendarFactory(name="Berlin office", time_zone="Europe/Berlin")
    return ServiceLevelTargetFactory(agreement=agreement, calendar=calendar, name="Portal availability")


def page_url(target):
    return reverse("agreements:target_detail", args=[target.pk])


def create_url(target):
    return reverse("agreements:measurement_create", args=[target.pk])


# --- the target's page ------------------------------------------------------------------------------


def test_the_target_page_shows_the_rule_the_scores_and_the_measurements(as_user, teammate, target, owner):
    now = timezone.now()
    current = timezone.localtime(now, ZoneInfo("Europe/Berlin")).date()
    TargetScoreFactory(
        target=target,
        period_start=current.replace(day=1),
        status="at_risk",
        achieved_value=Decimal("99.6000"),
        measurement_count=2,
        is_closed=False,
    )
    MeasurementFactory(
        target=target,
        measured_at=now - timedelta(hours=1),
        value=Decimal("99.6000"),
        recorded_by=owner,
        note="Monitoring",
    )
    MeasurementFactory(
        target=target,
        measured_at=now - timedelta(hours=2),
        value=Decimal("100"),
        excluded=True,
        source="api",
        source_id="probe-7",
    )

    response = as_user(teammate).get(page_url(target))

    assert response.status_code == 200
    text = text_of(response.content.decode())
    assert "≥ 99.5 %, as the average of each month's measurements" in text
    assert "At risk below 99.7 %, while still met" in text
    assert "Month, cut in Europe/Berlin time" in text
    assert "At risk" in text and "99.6 %" in text
    assert "Measurements (2)" in text
    assert "Pushed through the API probe-7" in text
    assert "100 %" in text and "Excluded" in text
    assert "Monitoring" in text
    assert "Add a measurement" in text  # the teammate may record


def test_readers_see_the_page_without_forms(as_user, analyst, target):
    MeasurementFactory(target=target, measured_at=timezone.now() - timedelta(hours=1))

    response = as_user(analyst).get(page_url(target))

    html = response.content.decode()
    assert response.status_code == 200
    assert create_url(target) not in html
    assert "Delete" not in text_of(html)


def test_the_page_shows_the_open_breach(as_user, owner, target):
    today = timezone.localdate()
    BreachFactory(target=target, period_start=today.replace(day=1), achieved_value=Decimal("98.1"))

    text = text_of(as_user(owner).get(page_url(target)).content.decode())

    assert "Breached in" in text and "98.1 % against ≥ 99.5 %" in text


def test_an_inactive_target_offers_no_form(as_user, owner, target):
    target.is_active = False
    target.save()

    response = as_user(owner).get(page_url(target))

    assert create_url(target) not in response.content.decode()
    assert "This target is no longer measured" in text_of(response.content.decode())


def test_the_measurement_list_pages_with_htmx(as_user, owner, target):
    start = timezone.now() - timedelta(days=40)
    for number in range(30):
        MeasurementFactory(target=target, measured_at=start + timedelta(hours=number))

    full = as_user(owner).get(page_url(target))
    second = as_user(owner).get(page_url(target), {"page": 2}, **HX)

    assert "Page 1 of 2" in text_of(full.content.decode())
    html = second.content.decode()
    assert html.lstrip().startswith('<h2 id="measurements-heading">')  # the inside of #measurements
    assert "Page 2 of 2" in text_of(html)
    assert len(re.findall(r'<tr id="measurement-', html)) == 5
    assert "HX-Request" in second["Vary"]


@pytest.mark.parametrize("count", [1, 30])
def test_the_page_costs_the_same_queries_whatever_the_number_of_measurements(
    as_user, teammate, target, count, django_assert_num_queries
):
    start = timezone.now() - timedelta(days=40)
    recorder = target.agreement.owner
    for number in range(count):
        MeasurementFactory(target=target, measured_at=start + timedelta(hours=number), recorded_by=recorder)
    client = as_user(teammate)

    # Session, user with roles and teams, the target with its agreement, account and calendar, its
    # scores, its open breach, the count and the page of measurements (with who recorded them).
    with django_assert_num_queries(7):
        response = client.get(page_url(target))
    assert response.status_code == 200

    with django_assert_num_queries(7):
        client.get(page_url(target), {"page": 2}, **HX)


# --- adding one -------------------------------------------------------------------------------------


def test_the_inline_form_records_a_measurement_in_the_targets_time_zone(
    as_user, owner, target, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(owner).post(
            create_url(target),
            {"measured_at": "2026-04-01T00:30", "value": "99.95", "note": "Monthly report"},
        )

    assert response.status_code == 302
    assert response["Location"] == page_url(target) + "#measurements"
    measurement = Measurement.objects.get()
    assert measurement.measured_at == datetime(2026, 3, 31, 22, 30, tzinfo=UTC)
    assert (measurement.period_start, measurement.value, measurement.source) == (
        date(2026, 4, 1),
        Decimal("99.9500"),
        "manual",
    )
    assert target.scores.filter(period_start=date(2026, 4, 1)).exists()


def test_the_full_page_form_opens_with_now_in_the_targets_zone(as_user, owner, target):
    response = as_user(owner).get(create_url(target))

    assert response.status_code == 200
    assert "In Europe/Berlin time" in text_of(response.content.decode())
    assert 'type="datetime-local"' in response.content.decode()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"measured_at": "2026-04-01T00:30", "value": "lots"}, "value", "Give the value as a number"),
        (
            {"measured_at": "yesterday", "value": "99"},
            "measured_at",
            "Give the date and time it was measured",
        ),
        ({"measured_at": "2099-01-01T00:00", "value": "99"}, "measured_at", "That moment is still to come"),
    ],
)
def test_bad_input_comes_back_next_to_its_field_and_saves_nothing(
    as_user, owner, target, data, field, message
):
    response = as_user(owner).post(create_url(target), data)

    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not Measurement.objects.exists()


def test_an_inactive_targets_form_says_why_it_refuses(as_user, owner, target):
    target.is_active = False
    target.save()

    response = as_user(owner).post(create_url(target), {"measured_at": "2026-04-01T00:30", "value": "99"})

    assert response.status_code == 400
    assert "no longer measured" in text_of(response.content.decode())
    assert not Measurement.objects.exists()


# --- deleting and excluding -----------------------------------------------------------------------


def test_deleting_asks_first_then_deletes(as_user, owner, target):
    measurement = MeasurementFactory(
        target=target, measured_at=datetime(2026, 4, 2, 8, tzinfo=UTC), value=Decimal("100")
    )
    url = reverse("agreements:measurement_delete", args=[measurement.pk])

    confirm = as_user(owner).get(url)
    assert "100 %" in text_of(confirm.content.decode())
    assert "2 Apr 2026, 10:00" in text_of(confirm.content.decode())  # in Berlin time
    assert Measurement.objects.exists()

    response = as_user(owner).post(url)
    assert response.status_code == 302
    assert response["Location"] == page_url(target) + "#measurements"
    assert not Measurement.objects.exists()


def test_excluding_needs_a_reason_then_counting_again_does_not(as_user, owner, target):
    measurement = MeasurementFactory(target=target, measured_at=datetime(2026, 4, 2, 8, tzinfo=UTC))
    url = reverse("agreements:measurement_exclude", args=[measurement.pk])
    client = as_user(owner)

    refused = client.post(url, {"note": ""})
    assert refused.status_code == 400
    assert "Say why it does not count" in " ".join(refused.context["form"].errors["note"])

    assert client.post(url, {"note": "Consumer's planned outage"}).status_code == 302
    measurement.refresh_from_db()
    assert (measurement.excluded, measurement.note) == (True, "Consumer's planned outage")

    assert "Count this measurement again?" in text_of(client.get(url).content.decode())
    assert client.post(url, {"note": ""}).status_code == 302
    measurement.refresh_from_db()
    assert measurement.excluded is False


# --- asking for a recompute -------------------------------------------------------------------------


def test_recompute_enqueues_and_goes_back_to_the_agreement(
    as_user, owner, agreement, target, django_capture_on_commit_callbacks
):
    MeasurementFactory(target=target, measured_at=timezone.now() - timedelta(hours=1), value=Decimal("90"))

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = as_user(owner).post(reverse("agreements:compliance_recompute", args=[agreement.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("agreements:agreement_detail", args=[agreement.pk])
    assert len(callbacks) >= 1
    assert target.scores.filter(status="breached").exists()
    [message] = [str(message) for message in response.wsgi_request._messages]
    assert message.startswith("Compliance is being recomputed")


def test_recompute_of_a_draft_says_why_not(as_user, owner, agreement):
    agreement.status = AgreementStatus.DRAFT
    agreement.save()

    response = as_user(owner).post(
        reverse("agreements:compliance_recompute", args=[agreement.pk]), follow=True
    )

    assert "computed for active and expired agreements only" in text_of(response.content.decode())
