"""The measurements API: recording one (201, then 200 with the same source id), the bulk push with
some bad rows, listing with filters, reading and deleting, permissions, and the error envelope."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from agreements.models import AgreementStatus, Measurement
from tests.factories.agreements import (
    AgreementFactory,
    BusinessCalendarFactory,
    MeasurementFactory,
    ServiceLevelTargetFactory,
)

pytestmark = pytest.mark.django_db

LIST = "api_measurements"
BULK = "api_measurements_bulk"


def api(name, *args):
    return reverse(name, args=args)


def error_fields(response) -> set[str]:
    assert set(response.json()) == {"error"}
    assert set(response.json()["error"]) == {"code", "message", "fields"}
    return set(response.json()["error"]["fields"])


@pytest.fixture
def agreement(account, owner):
    return AgreementFactory(
        organization=account,
        owner=owner,
        status=AgreementStatus.ACTIVE,
        starts_on=date(2026, 1, 1),
        ends_on=None,
    )


@pytest.fixture
def target(agreement):
    calendar = BusinessCalendarFactory(time_zone="Europe/Berlin")
    return ServiceLevelTargetFactory(agreement=agreement, calendar=calendar, name="Portal availability")


def body(target, **fields):
    return {"target": target.pk, "measured_at": "2026-03-31T23:30:00Z", "value": "99.95", **fields}


# --- one measurement ----------------------------------------------------------------------------------


def test_a_measurement_is_recorded_with_201_and_its_shape(token_client, integrator, target):
    response = token_client(integrator).post(api(LIST), body(target, source_id="uptime-1", note="Report"))

    assert response.status_code == 201
    data = response.json()
    assert set(data) == {
        "id",
        "target",
        "agreement",
        "measured_at",
        "period_start",
        "value",
        "source",
        "source_id",
        "note",
        "excluded",
        "recorded_by",
        "created_at",
        "updated_at",
        "status",
    }
    assert (data["status"], data["source"], data["period_start"], data["value"]) == (
        "created",
        "api",
        "2026-04-01",
        "99.9500",
    )
    assert data["agreement"] == target.agreement_id
    assert data["recorded_by"] == integrator.pk


def test_the_same_source_id_twice_is_stored_once_and_answers_200(token_client, integrator, target):
    client = token_client(integrator)
    first = client.post(api(LIST), body(target, source_id="uptime-1"))

    again = client.post(api(LIST), body(target, source_id="uptime-1"))
    changed = client.post(api(LIST), body(target, source_id="uptime-1", value="98"))

    assert (first.status_code, again.status_code, changed.status_code) == (201, 200, 200)
    assert (again.json()["status"], changed.json()["status"]) == ("unchanged", "updated")
    assert first.json()["id"] == again.json()["id"] == changed.json()["id"]
    assert Measurement.objects.get().value == Decimal("98.0000")


def test_a_moment_without_its_time_zone_is_refused(token_client, integrator, target):
    response = token_client(integrator).post(api(LIST), body(target, measured_at="2026-03-31T23:30:00"))

    assert response.status_code == 400
    assert error_fields(response) == {"measured_at"}
    assert "Include the time zone" in response.json()["error"]["fields"]["measured_at"][0]
    assert not Measurement.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"target": 999999}, "target"),
        ({"value": "NaN"}, "value"),
        ({"value": "lots"}, "value"),
        ({"measured_at": "2099-01-01T00:00:00Z"}, "measured_at"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_input_answers_400_naming_the_field(token_client, integrator, target, change, field):
    response = token_client(integrator).post(api(LIST), body(target) | change)

    assert response.status_code == 400
    assert error_fields(response) == {field}
    assert not Measurement.objects.exists()


def test_an_inactive_target_is_refused_with_the_reason(token_client, integrator, target):
    target.is_active = False
    target.save()

    response = token_client(integrator).post(api(LIST), body(target))

    assert response.status_code == 400
    assert "no longer measured" in response.json()["error"]["fields"]["target"][0]


def test_a_target_of_an_account_the_caller_may_not_see_is_unknown(token_client, outsider, target):
    response = token_client(outsider).post(api(LIST), body(target))

    assert response.status_code == 400
    assert response.json()["error"]["fields"]["target"] == [
        f"No service level target with the id {target.pk}."
    ]


@pytest.mark.parametrize("persona", ["analyst", "desk"])
def test_read_only_roles_may_not_record(token_client, request, target, persona):
    response = token_client(request.getfixturevalue(persona)).post(api(LIST), body(target))

    assert response.status_code == 403
    assert error_fields(response) == set()
    assert not Measurement.objects.exists()


def test_an_idempotency_key_replays_the_first_answer(token_client, integrator, target):
    client = token_client(integrator)

    first = client.post(api(LIST), body(target), HTTP_IDEMPOTENCY_KEY="k-1")
    replay = client.post(api(LIST), body(target), HTTP_IDEMPOTENCY_KEY="k-1")

    assert (first.status_code, replay.status_code) == (201, 201)
    assert replay["Idempotent-Replayed"] == "true"
    assert Measurement.objects.count() == 1


# --- bulk ---------------------------------------------------------------------------------------------


def test_a_bulk_push_stores_the_good_rows_and_reports_the_bad(token_client, integrator, target):
    rows = [
        body(target, source_id="a"),
        body(target, source_id="b", measured_at="2026-04-01T00:30:00"),
        body(target, source_id="c", value=99.1, excluded=True),
    ]

    response = token_client(integrator).post(api(BULK), {"rows": rows}, format="json")

    assert response.status_code == 200
    data = response.json()
    assert (data["created"], data["updated"], data["unchanged"], data["errors"]) == (2, 0, 0, 1)
    assert [(result["row"], result["status"]) for result in data["results"]] == [
        (0, "created"),
        (1, "error"),
        (2, "created"),
    ]
    assert list(data["results"][1]["errors"]) == ["measured_at"]
    assert sorted(Measurement.objects.values_list("source_id", flat=True)) == ["a", "c"]


def test_the_same_bulk_push_twice_is_stored_once(token_client, integrator, target):
    client = token_client(integrator)
    rows = [body(target, source_id="a"), body(target, source_id="b")]

    client.post(api(BULK), {"rows": rows}, format="json")
    again = client.post(api(BULK), {"rows": rows}, format="json").json()

    assert (again["created"], again["unchanged"]) == (0, 2)
    assert Measurement.objects.count() == 2


def test_a_bulk_push_needs_rows_and_at_most_a_thousand(token_client, integrator, target):
    client = token_client(integrator)

    empty = client.post(api(BULK), {"rows": []}, format="json")
    too_many = client.post(
        api(BULK), {"rows": [body(target, source_id=str(n)) for n in range(1001)]}, format="json"
    )
    missing = client.post(api(BULK), {}, format="json")

    assert (empty.status_code, too_many.status_code, missing.status_code) == (400, 400, 400)
    assert error_fields(too_many) == {"rows"}
    assert "at most 1000" in too_many.json()["error"]["message"]
    assert error_fields(missing) == {"rows"}
    assert not Measurement.objects.exists()


def test_a_bulk_push_is_refused_to_analysts(token_client, analyst, target):
    response = token_client(analyst).post(api(BULK), {"rows": [body(target, source_id="a")]}, format="json")

    assert response.status_code == 403


# --- reading ------------------------------------------------------------------------------------------


def test_the_list_holds_what_the_caller_may_see_and_filters(
    token_client, owner, outsider, target, other_account
):
    theirs = ServiceLevelTargetFactory(
        agreement=AgreementFactory(organization=other_account, status=AgreementStatus.ACTIVE)
    )
    march = MeasurementFactory(target=target, measured_at=datetime(2026, 3, 10, tzinfo=UTC))
    april = MeasurementFactory(target=target, measured_at=datetime(2026, 4, 10, tzinfo=UTC), source="api")
    MeasurementFactory(target=theirs, measured_at=datetime(2026, 4, 10, tzinfo=UTC))
    client = token_client(owner)

    def ids(**query):
        return sorted(row["id"] for row in client.get(api(LIST), query).json()["results"])

    assert ids() == sorted([march.pk, april.pk])
    assert ids(target=target.pk) == sorted([march.pk, april.pk])
    assert ids(agreement=target.agreement_id) == sorted([march.pk, april.pk])
    assert ids(source="api") == [april.pk]
    assert ids(measured_after="2026-04-01T00:00:00Z") == [april.pk]
    assert ids(measured_before="2026-04-01T00:00:00Z") == [march.pk]
    assert ids(target=theirs.pk) == []
    assert len(token_client(outsider).get(api(LIST)).json()["results"]) == 1


def test_a_measurement_is_read_and_deleted(token_client, owner, integrator, analyst, outsider, target):
    measurement = MeasurementFactory(target=target, measured_at=datetime(2026, 3, 10, tzinfo=UTC))
    url = api("api_measurement", measurement.pk)

    assert token_client(analyst).get(url).json()["id"] == measurement.pk
    assert token_client(outsider).get(url).status_code == 404
    assert token_client(analyst).delete(url).status_code == 403
    assert token_client(outsider).delete(url).status_code == 404
    assert token_client(integrator).delete(url).status_code == 204
    assert not Measurement.objects.exists()
    assert token_client(owner).get(url).status_code == 404
