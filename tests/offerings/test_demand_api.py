"""The demand profile API: statuses, shapes with volumes and peak windows, entering by hand, describing,
removing, asking for a recompute, permissions and the error envelope."""

from datetime import UTC, date, datetime

import pytest
from django.urls import reverse

from offerings import services
from offerings.models import DemandProfile, DemandProfileSource
from tests.factories.journeys import TouchpointFactory
from tests.factories.offerings import OfferingJourneyFactory, ServiceOfferingFactory

pytestmark = pytest.mark.django_db


def api(name, *args):
    return reverse(f"api_offer_{name}", args=args)


def error_of(response) -> dict:
    body = response.json()
    assert set(body) == {"error"}
    return body["error"]


@pytest.fixture(autouse=True)
def a_fixed_today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: date(2026, 4, 15))


@pytest.fixture
def offering(journey):
    offering = ServiceOfferingFactory(name="Managed laptops")
    OfferingJourneyFactory(offering=offering, journey=journey)
    for day in (6, 13, 20):
        TouchpointFactory(
            organization=journey.organization,
            journey=journey,
            occurred_at=datetime(2026, 3, day, 14, 5, tzinfo=UTC),
        )
    return offering


@pytest.fixture
def computed(offering):
    return services.demand_profile_recompute(
        offering=offering, covers_from=date(2026, 1, 1), covers_to=date(2026, 3, 31)
    )


def entry(**overrides) -> dict:
    return {
        "hour_of_day": [0] * 9 + [4] * 8 + [0] * 7,
        "day_of_week": [5, 5, 5, 5, 12, 0, 0],
        "month": [30] * 12,
    } | overrides


def test_the_list_has_each_profile_with_volumes_and_peaks(token_client, owner, computed):
    response = token_client(owner).get(api("demand_profiles", computed.offering_id))

    assert response.status_code == 200
    [profile] = response.json()
    assert set(profile) == {
        "id",
        "offering",
        "source",
        "activity",
        "trend",
        "notes",
        "covers_from",
        "covers_to",
        "computed_at",
        "updated_at",
        "hour_of_day",
        "day_of_week",
        "month",
        "total",
        "peaks",
    }
    assert (profile["source"], profile["covers_from"], profile["total"]) == ("computed", "2026-01-01", 3)
    assert profile["day_of_week"] == [0, 0, 0, 0, 3, 0, 0]
    assert len(profile["hour_of_day"]) == 24 and len(profile["month"]) == 12
    assert profile["peaks"]["day_of_week"] == [
        {"label": "Friday", "buckets": [4], "volume": 3, "share": "1.0000", "time_share": "0.1429"}
    ]
    assert [window["label"] for window in profile["peaks"]["hour_of_day"]] == ["14:00–15:00"]


def test_one_profile_and_a_missing_one(token_client, analyst, computed):
    client = token_client(analyst)

    found = client.get(api("demand_profile", computed.offering_id, "computed"))
    missing = client.get(api("demand_profile", computed.offering_id, "entered"))
    unknown = client.get(api("demand_profile", computed.offering_id, "guessed"))

    assert (found.status_code, found.json()["month"][2]) == (200, 3)
    assert (missing.status_code, unknown.status_code) == (404, 404)
    assert error_of(missing)["code"] == "not_found"


def test_entering_volumes_by_hand(token_client, owner, offering):
    response = token_client(owner).put(
        api("demand_profile", offering.pk, "entered"), entry(activity="Timesheets", trend="repetitive")
    )

    assert response.status_code == 200
    body = response.json()
    assert (body["source"], body["activity"], body["trend"], body["day_of_week"]) == (
        "entered",
        "Timesheets",
        "repetitive",
        [5, 5, 5, 5, 12, 0, 0],
    )
    assert [window["label"] for window in body["peaks"]["day_of_week"]] == ["Friday"]


def test_a_negative_volume_names_its_bucket_in_the_envelope(token_client, owner, offering):
    hours = [0] * 24
    hours[10] = -1

    response = token_client(owner).put(
        api("demand_profile", offering.pk, "entered"), entry(hour_of_day=hours)
    )

    assert response.status_code == 400
    assert error_of(response)["fields"] == {
        "hour_of_day[10]": ["A volume is a whole number, 0 or more; -1 is not."]
    }
    assert not DemandProfile.objects.exists()


def test_a_list_of_the_wrong_length_is_refused(token_client, owner, offering):
    response = token_client(owner).put(
        api("demand_profile", offering.pk, "entered"), entry(day_of_week=[1, 2])
    )

    assert response.status_code == 400
    assert list(error_of(response)["fields"]) == ["day_of_week"]


def test_the_computed_profile_cannot_be_entered(token_client, owner, offering):
    response = token_client(owner).put(api("demand_profile", offering.pk, "computed"), entry())

    assert response.status_code == 409
    assert error_of(response)["code"] == "not_entered"


def test_describing_and_removing_a_profile(token_client, owner, computed):
    client = token_client(owner)

    described = client.patch(api("demand_profile", computed.offering_id, "computed"), {"trend": "growth"})
    bad = client.patch(api("demand_profile", computed.offering_id, "computed"), {"trend": "seasonal"})
    removed = client.delete(api("demand_profile", computed.offering_id, "computed"))

    assert (described.status_code, described.json()["trend"]) == (200, "growth")
    assert bad.status_code == 400
    assert list(error_of(bad)["fields"]) == ["trend"]
    assert removed.status_code == 204
    assert not DemandProfile.objects.exists()


def test_asking_for_a_recompute_is_accepted_and_counted_after_commit(
    token_client, owner, offering, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = token_client(owner).post(
            api("demand_profile_recompute", offering.pk),
            {"covers_from": "2026-03-01", "covers_to": "2026-03-31"},
        )

    assert response.status_code == 202
    assert response.json() == {
        "offering": offering.pk,
        "covers_from": "2026-03-01",
        "covers_to": "2026-03-31",
        "status": "queued",
    }
    profile = DemandProfile.objects.get(source=DemandProfileSource.COMPUTED)
    assert profile.cells.get(dimension="day_of_week", bucket=4).volume == 3


def test_a_recompute_into_the_future_is_refused(token_client, owner, offering):
    response = token_client(owner).post(
        api("demand_profile_recompute", offering.pk), {"covers_to": "2027-01-01"}
    )

    assert response.status_code == 400
    assert list(error_of(response)["fields"]) == ["covers_to"]


@pytest.mark.parametrize(
    ("persona", "status"), [("analyst", 403), ("desk", 403), ("integrator", 202), ("outsider", 202)]
)
def test_who_may_ask_for_a_recompute(request, token_client, offering, persona, status):
    response = token_client(request.getfixturevalue(persona)).post(
        api("demand_profile_recompute", offering.pk)
    )

    assert response.status_code == status


def test_an_unknown_offering_is_a_404(token_client, owner):
    response = token_client(owner).get(api("demand_profiles", 4242))

    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"
