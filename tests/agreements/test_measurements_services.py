"""Recording measurements: the rights, every refusal (with the field named and nothing saved), the
period a moment counts in, storing a source id once, deleting and excluding, the bulk push, and the
recompute enqueued after commit."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from agreements import services
from agreements.models import AgreementStatus, Measurement, TargetScore
from agreements.services.measurements import MAX_PUSH_ROWS
from journeys.base import ApplicationError
from tests.factories.agreements import (
    AgreementFactory,
    BusinessCalendarFactory,
    MeasurementFactory,
    ServiceLevelTargetFactory,
)

pytestmark = pytest.mark.django_db

MARCH_END = datetime(2026, 3, 31, 23, 30, tzinfo=UTC)


@pytest.fixture
def agreement(account, owner):
    return AgreementFactory(
        organization=account,
        owner=owner,
        status=AgreementStatus.ACTIVE,
        starts_on=date(2026, 1, 1),
        ends_on=date(2027, 12, 31),
    )


@pytest.fixture
def target(agreement):
    calendar = BusinessCalendarFactory(time_zone="Europe/Berlin")
    return ServiceLevelTargetFactory(agreement=agreement, calendar=calendar, name="Portal availability")


def record(actor, target, **fields):
    fields.setdefault("measured_at", MARCH_END)
    fields.setdefault("value", Decimal("99.9"))
    return services.measurement_record(actor=actor, target=target, **fields)


def refused_field(call) -> dict:
    before = Measurement.objects.count()
    with pytest.raises(ApplicationError) as raised:
        call()
    assert Measurement.objects.count() == before
    return raised.value.fields


# --- one measurement ----------------------------------------------------------------------------------


def test_a_measurement_is_recorded_in_the_period_of_the_targets_time_zone(owner, target):
    measurement, status = record(owner, target, note="From the monitoring report")

    assert status == "created"
    assert measurement.period_start == date(2026, 4, 1)  # 01:30 on 1 April in Berlin
    assert (measurement.value, measurement.source, measurement.recorded_by) == (
        Decimal("99.9000"),
        "manual",
        owner,
    )


def test_a_moment_without_a_time_zone_is_read_in_the_targets_calendar(owner, target):
    measurement, _status = record(owner, target, measured_at=datetime(2026, 4, 1, 0, 30))

    assert measurement.measured_at == datetime(2026, 3, 31, 22, 30, tzinfo=UTC)
    assert measurement.period_start == date(2026, 4, 1)


def test_a_plain_date_means_its_start_in_the_targets_calendar(owner, target):
    measurement, _status = record(owner, target, measured_at=date(2026, 4, 1))

    assert measurement.measured_at == datetime(2026, 3, 31, 22, 0, tzinfo=UTC)


def test_a_quarterly_target_counts_in_its_quarter(owner, agreement):
    target = ServiceLevelTargetFactory(agreement=agreement, period="quarter")

    measurement, _status = record(owner, target, measured_at=datetime(2026, 5, 20, 10, tzinfo=UTC))

    assert measurement.period_start == date(2026, 4, 1)


def test_values_are_stored_with_four_decimal_places(owner, target):
    measurement, _status = record(owner, target, value="99.123456")

    assert measurement.value == Decimal("99.1235")


@pytest.mark.parametrize("value", ["", "abc", "NaN", "Infinity", "-inf", None, True, "1e13"])
def test_a_value_that_is_not_a_finite_number_is_refused(owner, target, value):
    fields = refused_field(lambda: record(owner, target, value=value))

    assert list(fields) == ["value"]


def test_a_moment_more_than_five_minutes_ahead_is_refused(owner, target):
    soon = timezone.now() + timedelta(minutes=4)
    later = timezone.now() + timedelta(minutes=6)

    assert record(owner, target, measured_at=soon)[1] == "created"
    fields = refused_field(lambda: record(owner, target, measured_at=later))
    assert fields["measured_at"] == [
        "That moment is still to come: record a value once it has been measured."
    ]


def test_an_inactive_target_is_refused(owner, target):
    target.is_active = False
    target.save()

    fields = refused_field(lambda: record(owner, target))

    assert "no longer measured" in fields["target"][0]


@pytest.mark.parametrize(
    ("status", "says"),
    [
        (AgreementStatus.DRAFT, "nothing has been agreed to measure yet"),
        (AgreementStatus.NEGOTIATING, "nothing has been agreed to measure yet"),
        (AgreementStatus.TERMINATED, "was terminated"),
    ],
)
def test_a_target_of_an_agreement_not_in_force_is_refused(owner, target, agreement, status, says):
    agreement.status = status
    agreement.save()

    fields = refused_field(lambda: record(owner, target))

    assert says in fields["target"][0]


@pytest.mark.parametrize("status", [AgreementStatus.AGREED, AgreementStatus.EXPIRED])
def test_agreed_and_expired_agreements_take_measurements(owner, target, agreement, status):
    agreement.status = status
    agreement.save()

    assert record(owner, target)[1] == "created"


def test_long_notes_and_source_ids_are_refused(owner, target):
    fields = refused_field(lambda: record(owner, target, note="x" * 501, source_id="y" * 121))

    assert set(fields) == {"note", "source_id"}


def test_an_unknown_source_is_refused(owner, target):
    assert list(refused_field(lambda: record(owner, target, source="telepathy"))) == ["source"]


@pytest.mark.parametrize(("persona", "error"), [("outsider", Http404), ("desk", PermissionDenied)])
def test_who_may_not_record_is_refused(request, target, persona, error):
    with pytest.raises(error):
        record(request.getfixturevalue(persona), target)

    assert not Measurement.objects.exists()


@pytest.mark.parametrize("persona", ["owner", "teammate", "integrator", "administrator"])
def test_who_may_record(request, target, persona):
    assert record(request.getfixturevalue(persona), target)[1] == "created"


def test_another_app_records_for_dsv_itself_without_an_actor(target):
    measurement, status = record(None, target, source="system", source_id="request:42")

    assert (status, measurement.source, measurement.recorded_by) == ("created", "system", None)


def test_without_an_actor_only_the_system_source_is_allowed(target):
    with pytest.raises(Http404):
        record(None, target)


# --- the same source id -------------------------------------------------------------------------------


def test_the_same_source_id_is_stored_once(owner, teammate, target):
    first, created = record(owner, target, source_id="probe-1")
    again, unchanged = record(owner, target, source_id="probe-1")
    changed, updated = record(teammate, target, source_id="probe-1", value="98.5", note="Corrected")

    assert (created, unchanged, updated) == ("created", "unchanged", "updated")
    assert first.pk == again.pk == changed.pk
    stored = Measurement.objects.get()
    assert (stored.value, stored.note, stored.recorded_by) == (Decimal("98.5000"), "Corrected", teammate)


def test_a_moved_moment_moves_the_measurement_to_its_new_period(owner, target):
    record(owner, target, source_id="probe-1")
    moved, status = record(owner, target, source_id="probe-1", measured_at=datetime(2026, 3, 10, tzinfo=UTC))

    assert (status, moved.period_start) == ("updated", date(2026, 3, 1))


def test_the_same_source_id_on_another_target_is_another_measurement(owner, target, agreement):
    other = ServiceLevelTargetFactory(agreement=agreement)

    record(owner, target, source_id="probe-1")
    record(owner, other, source_id="probe-1")

    assert Measurement.objects.count() == 2


def test_the_database_refuses_a_second_row_with_the_same_source_id(target):
    MeasurementFactory(target=target, source_id="probe-1")

    with pytest.raises(IntegrityError):
        MeasurementFactory(target=target, source_id="probe-1")


def test_a_concurrent_insert_of_the_same_source_id_becomes_an_update(owner, target, monkeypatch):
    """Between our look-up and our insert another request stored the same source id: the unique
    constraint refuses our row, and the service updates the other one instead."""
    real_first = QuerySet.first
    calls = []

    def first_after_a_race(queryset):
        calls.append(queryset.model)
        if len(calls) == 1:
            MeasurementFactory(target=target, source_id="probe-1", value=Decimal("97"))
            return None
        return real_first(queryset)

    monkeypatch.setattr(QuerySet, "first", first_after_a_race)

    measurement, status = record(owner, target, source_id="probe-1", value="99.1")

    assert status == "updated"
    assert Measurement.objects.get().value == Decimal("99.1000")
    assert measurement.pk == Measurement.objects.get().pk


# --- deleting and excluding ---------------------------------------------------------------------------


def test_a_measurement_recorded_by_mistake_is_deleted(owner, target):
    measurement, _status = record(owner, target)

    services.measurement_delete(actor=owner, measurement=measurement)

    assert not Measurement.objects.exists()


@pytest.mark.parametrize(("persona", "error"), [("outsider", Http404), ("analyst", PermissionDenied)])
def test_deleting_is_refused_to_who_may_not_record(request, owner, target, persona, error):
    measurement, _status = record(owner, target)

    with pytest.raises(error):
        services.measurement_delete(actor=request.getfixturevalue(persona), measurement=measurement)

    assert Measurement.objects.count() == 1


def test_excluding_needs_the_reason_and_keeps_the_measurement(owner, target):
    measurement, _status = record(owner, target)

    with pytest.raises(ApplicationError) as raised:
        services.measurement_set_excluded(actor=owner, measurement=measurement, excluded=True)
    assert list(raised.value.fields) == ["note"]

    services.measurement_set_excluded(
        actor=owner, measurement=measurement, excluded=True, note="Consumer's planned outage"
    )
    measurement.refresh_from_db()
    assert (measurement.excluded, measurement.note) == (True, "Consumer's planned outage")

    services.measurement_set_excluded(actor=owner, measurement=measurement, excluded=False)
    measurement.refresh_from_db()
    assert (measurement.excluded, measurement.note) == (False, "Consumer's planned outage")


def test_excluding_is_refused_to_the_desk(owner, desk, target):
    measurement, _status = record(owner, target)

    with pytest.raises(PermissionDenied):
        services.measurement_set_excluded(actor=desk, measurement=measurement, excluded=True, note="No")


# --- the recompute after commit -----------------------------------------------------------------------


def test_recording_recomputes_the_targets_compliance_after_commit(
    owner, target, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        record(owner, target, measured_at=timezone.now() - timedelta(hours=1), value="90")

    assert TargetScore.objects.filter(target=target, status="breached").exists()


def test_an_unchanged_measurement_enqueues_nothing(owner, target, django_capture_on_commit_callbacks):
    record(owner, target, source_id="probe-1")

    with django_capture_on_commit_callbacks() as callbacks:
        record(owner, target, source_id="probe-1")

    assert callbacks == []


def test_deleting_and_excluding_recompute_too(owner, target, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        measurement, _status = record(
            owner, target, measured_at=timezone.now() - timedelta(hours=1), value="90"
        )
    assert TargetScore.objects.get(target=target, period_start=measurement.period_start).status == "breached"

    with django_capture_on_commit_callbacks(execute=True):
        services.measurement_set_excluded(actor=owner, measurement=measurement, excluded=True, note="Outage")
    assert TargetScore.objects.get(target=target, period_start=measurement.period_start).status == "no_data"

    with django_capture_on_commit_callbacks(execute=True):
        services.measurement_delete(actor=owner, measurement=measurement)
    assert not TargetScore.objects.filter(target=target, measurement_count__gt=0).exists()


# --- the bulk push ------------------------------------------------------------------------------------


def row(target, source_id, **fields):
    return {
        "target": target.pk,
        "measured_at": "2026-03-31T23:30:00Z",
        "value": "99.95",
        "source_id": source_id,
        **fields,
    }


def test_a_push_stores_each_row_and_reports_it(integrator, target, django_capture_on_commit_callbacks):
    rows = [row(target, "a"), row(target, "b", value=98, note="Slow night", excluded=True)]

    with django_capture_on_commit_callbacks() as callbacks:
        results = services.measurements_push(actor=integrator, rows=rows)

    assert [(result["row"], result["status"]) for result in results] == [(0, "created"), (1, "created")]
    stored = Measurement.objects.get(source_id="b")
    assert (stored.source, stored.value, stored.note, stored.excluded, stored.period_start) == (
        "api",
        Decimal("98.0000"),
        "Slow night",
        True,
        date(2026, 4, 1),
    )
    assert results[1]["id"] == stored.pk
    assert len(callbacks) == 1  # one recompute for the whole push


def test_pushing_the_same_rows_again_changes_nothing(integrator, target):
    rows = [row(target, "a"), row(target, "b")]
    services.measurements_push(actor=integrator, rows=rows)
    first = list(Measurement.objects.order_by("pk").values_list("pk", "updated_at"))

    results = services.measurements_push(actor=integrator, rows=rows)

    assert [result["status"] for result in results] == ["unchanged", "unchanged"]
    assert list(Measurement.objects.order_by("pk").values_list("pk", "updated_at")) == first


def test_a_push_updates_what_changed_and_keeps_the_rest(integrator, target):
    services.measurements_push(actor=integrator, rows=[row(target, "a"), row(target, "b")])

    results = services.measurements_push(
        actor=integrator, rows=[row(target, "a", value="97"), row(target, "b"), row(target, "c")]
    )

    assert [result["status"] for result in results] == ["updated", "unchanged", "created"]
    assert Measurement.objects.get(source_id="a").value == Decimal("97.0000")
    assert Measurement.objects.count() == 3


def test_a_source_id_twice_in_one_push_is_stored_once(integrator, target):
    results = services.measurements_push(
        actor=integrator, rows=[row(target, "a"), row(target, "a", value="90")]
    )

    assert [result["status"] for result in results] == ["created", "updated"]
    assert results[0]["id"] == results[1]["id"]
    assert Measurement.objects.get().value == Decimal("90.0000")


def test_bad_rows_are_reported_and_the_good_ones_stored(integrator, target, agreement, other_account):
    inactive = ServiceLevelTargetFactory(agreement=agreement, is_active=False)
    rows = [
        row(target, "good"),
        row(target, "no-zone", measured_at="2026-03-31T23:30:00"),
        row(target, "nan", value="NaN"),
        {**row(target, ""), "colour": "red"},
        row(inactive, "off"),
        {**row(target, "x"), "target": 999999},
        "not an object",
        row(target, "future", measured_at=(timezone.now() + timedelta(days=1)).isoformat()),
    ]

    results = services.measurements_push(actor=integrator, rows=rows)

    assert [result["status"] for result in results] == ["created"] + ["error"] * 7
    assert results[1]["errors"]["measured_at"][0].startswith("Include the time zone")
    assert list(results[2]["errors"]) == ["value"]
    assert set(results[3]["errors"]) == {"colour", "source_id"}
    assert "no longer measured" in results[4]["errors"]["target"][0]
    assert results[5]["errors"]["target"] == ["No target with the id 999999."]
    assert list(results[6]["errors"]) == ["row"]
    assert list(results[7]["errors"]) == ["measured_at"]
    assert list(Measurement.objects.values_list("source_id", flat=True)) == ["good"]


def test_a_push_sees_only_targets_of_visible_accounts(outsider, target):
    results = services.measurements_push(actor=outsider, rows=[row(target, "a")])

    assert results[0]["errors"]["target"] == [f"No target with the id {target.pk}."]
    assert not Measurement.objects.exists()


def test_a_push_is_refused_to_read_only_roles(analyst, target):
    with pytest.raises(PermissionDenied):
        services.measurements_push(actor=analyst, rows=[row(target, "a")])


def test_a_push_of_too_many_rows_is_refused_as_a_whole(integrator, target):
    with pytest.raises(ApplicationError) as raised:
        services.measurements_push(
            actor=integrator, rows=[row(target, str(n)) for n in range(MAX_PUSH_ROWS + 1)]
        )

    assert "at most 1000" in raised.value.fields["rows"][0]
    assert not Measurement.objects.exists()


def test_a_push_loads_targets_and_stored_ids_in_a_few_queries(
    integrator, target, agreement, django_assert_max_num_queries
):
    other = ServiceLevelTargetFactory(agreement=agreement)
    rows = [row(t, f"id-{n}") for n in range(100) for t in (target, other)]

    with django_assert_max_num_queries(8):
        results = services.measurements_push(actor=integrator, rows=rows)

    assert {result["status"] for result in results} == {"created"}
    assert Measurement.objects.count() == 200
