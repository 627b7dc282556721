"""The service level targets API: statuses, shapes, filters, rule checks, activation, permissions and
the error envelope."""

import pytest
from django.urls import reverse

from agreements.models import Agreement, ServiceLevelTarget
from tests.factories.agreements import AgreementFactory, BusinessCalendarFactory, ServiceLevelTargetFactory

pytestmark = pytest.mark.django_db

TARGET_FIELDS = {
    "id",
    "agreement",
    "name",
    "kind",
    "warranty_aspect",
    "metric",
    "unit",
    "comparator",
    "target_value",
    "warning_threshold",
    "rule",
    "period",
    "aggregation",
    "calendar",
    "baseline",
    "clock",
    "clock_limit_hours",
    "is_active",
    "position",
    "created_at",
    "updated_at",
}


def api(name, *args):
    return reverse(name, args=args)


def error_of(response) -> dict:
    assert set(response.json()) == {"error"}
    assert set(response.json()["error"]) == {"code", "message", "fields"}
    return response.json()["error"]


@pytest.fixture
def fleet(account, owner):
    return AgreementFactory(organization=account, owner=owner, title="Fleet booking SLA")


@pytest.fixture
def availability(fleet):
    return ServiceLevelTargetFactory(agreement=fleet, name="Availability")


def new_target(agreement, **overrides):
    return {
        "agreement": agreement.pk,
        "name": "Availability of the portal",
        "kind": "warranty",
        "warranty_aspect": "availability",
        "unit": "%",
        "comparator": "gte",
        "target_value": "99.5",
        "warning_threshold": "99.7",
    } | overrides


def test_the_list_holds_what_the_caller_may_see(token_client, owner, outsider, other_account, availability):
    ServiceLevelTargetFactory(agreement=AgreementFactory(organization=other_account), name="Theirs")

    mine = token_client(owner).get(api("api_agree_targets")).json()
    theirs = token_client(outsider).get(api("api_agree_targets")).json()

    assert [row["name"] for row in mine["results"]] == ["Availability"]
    assert [row["name"] for row in theirs["results"]] == ["Theirs"]
    row = mine["results"][0]
    assert set(row) == TARGET_FIELDS
    assert (row["rule"], row["target_value"], row["warranty_aspect"]) == (
        "≥ 99.5 %",
        "99.5000",
        "availability",
    )


def test_the_list_filters(token_client, administrator, fleet, availability):
    ServiceLevelTargetFactory(agreement=fleet, name="Happiness", kind="experience", is_active=False)
    ServiceLevelTargetFactory(name="Elsewhere")
    client = token_client(administrator)

    def names(**query):
        return sorted(row["name"] for row in client.get(api("api_agree_targets"), query).json()["results"])

    assert names(agreement=fleet.pk) == ["Availability", "Happiness"]
    assert names(kind="experience") == ["Happiness"]
    assert names(is_active="false") == ["Happiness"]


def test_adding_a_target(token_client, integrator, fleet):
    calendar = BusinessCalendarFactory()

    response = token_client(integrator).post(
        api("api_agree_targets"), new_target(fleet, calendar=calendar.pk, period="quarter"), format="json"
    )

    assert response.status_code == 201, response.json()
    assert (response.json()["rule"], response.json()["calendar"], response.json()["period"]) == (
        "≥ 99.5 %",
        calendar.pk,
        "quarter",
    )


def test_a_target_may_be_added_inactive(token_client, owner, fleet):
    response = token_client(owner).post(
        api("api_agree_targets"), new_target(fleet, is_active=False), format="json"
    )

    assert response.status_code == 201 and response.json()["is_active"] is False


def test_a_warning_on_the_wrong_side_is_refused_naming_its_field(token_client, owner, fleet):
    response = token_client(owner).post(
        api("api_agree_targets"), new_target(fleet, warning_threshold="99.0"), format="json"
    )

    assert response.status_code == 400
    assert error_of(response)["fields"] == {
        "warning_threshold": [
            "For “at least 99.5 %” the warning threshold must be above 99.5: it should warn before the "
            "target is missed."
        ]
    }
    assert not ServiceLevelTarget.objects.exists()


def test_an_outcome_without_baseline_and_a_retired_calendar_are_refused(token_client, owner, fleet):
    retired = BusinessCalendarFactory(is_active=False)

    response = token_client(owner).post(
        api("api_agree_targets"),
        new_target(fleet, kind="outcome", warranty_aspect="", calendar=retired.pk),
        format="json",
    )

    assert response.status_code == 400
    assert set(error_of(response)["fields"]) == {"baseline", "calendar"}


def test_a_target_of_an_ended_agreement_answers_409(token_client, owner, fleet, availability):
    Agreement.objects.filter(pk=fleet.pk).update(status="expired")

    response = token_client(owner).patch(
        api("api_agree_target", availability.pk), {"name": "x"}, format="json"
    )

    assert response.status_code == 409 and error_of(response)["code"] == "agreement_closed"


def test_get_and_patch_one(token_client, owner, availability):
    client = token_client(owner)

    assert client.get(api("api_agree_target", availability.pk)).json()["name"] == "Availability"
    patched = client.patch(
        api("api_agree_target", availability.pk),
        {"target_value": "99.8", "warning_threshold": "99.9"},
        format="json",
    )
    assert patched.status_code == 200 and patched.json()["rule"] == "≥ 99.8 %"

    off = client.patch(api("api_agree_target", availability.pk), {"is_active": False}, format="json")
    assert off.status_code == 200 and off.json()["is_active"] is False


def test_the_last_active_target_of_a_live_agreement_stays_on(token_client, owner, fleet, availability):
    Agreement.objects.filter(pk=fleet.pk).update(status="active")

    response = token_client(owner).patch(
        api("api_agree_target", availability.pk), {"is_active": False}, format="json"
    )

    assert response.status_code == 409 and error_of(response)["code"] == "last_active_target"


def test_outsiders_get_404_and_analysts_403(token_client, outsider, analyst, fleet, availability):
    assert token_client(outsider).get(api("api_agree_target", availability.pk)).status_code == 404
    hidden = token_client(outsider).post(api("api_agree_targets"), new_target(fleet), format="json")
    assert hidden.status_code == 400 and set(error_of(hidden)["fields"]) == {"agreement"}
    refused = token_client(analyst).patch(
        api("api_agree_target", availability.pk), {"name": "x"}, format="json"
    )
    assert refused.status_code == 403 and error_of(refused)
    availability.refresh_from_db()
    assert availability.name == "Availability"
