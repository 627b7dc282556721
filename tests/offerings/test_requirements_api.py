"""The requirements API: statuses, shapes, filters, permissions and the error envelope."""

import pytest
from django.urls import reverse

from offerings.models import Requirement
from tests.factories.journeys import JourneyFactory
from tests.factories.offerings import RequirementFactory

pytestmark = pytest.mark.django_db

UNSCORED = {"service_impact": None, "urgency": None, "risk_reduction": None, "job_size": None}


def api(name, *args):
    return reverse(name, args=args)


def error_fields(response) -> set[str]:
    assert set(response.json()) == {"error"}
    assert set(response.json()["error"]) == {"code", "message", "fields"}
    return set(response.json()["error"]["fields"])


def order_in(account, moscow: str) -> list[str]:
    return list(
        Requirement.objects.filter(organization=account, moscow=moscow)
        .order_by("rank")
        .values_list("title", flat=True)
    )


@pytest.fixture
def export(account):
    return RequirementFactory(organization=account, title="Export invoices", moscow="should", rank=1)


@pytest.fixture
def sign_on(account):
    return RequirementFactory(
        organization=account, title="Single sign-on", moscow="should", rank=2, job_size=2
    )


# --- list -------------------------------------------------------------------------------------------


def test_the_list_holds_what_the_caller_may_see_with_scores_and_invest(
    token_client, owner, outsider, other_team, other_account, export
):
    RequirementFactory(organization=other_account, title="Theirs")

    mine = token_client(owner).get(api("api_offer_requirements")).json()
    theirs = token_client(outsider).get(api("api_offer_requirements")).json()

    assert [row["title"] for row in mine["results"]] == ["Export invoices"]
    assert [row["title"] for row in theirs["results"]] == ["Theirs"]
    row = mine["results"][0]
    assert (row["moscow"], row["rank"], row["cost_of_delay"], row["wsjf_score"]) == ("should", 1, 10, "2.00")
    assert row["user_story"].startswith("As a fleet manager, I want")
    assert row["invest"]["passed"] is False
    assert row["invest"]["failures"][0] == {
        "criterion": "independent",
        "explanation": "It leans on other stories, so it cannot be planned or delivered alone.",
    }
    assert set(mine) >= {"next", "previous", "results"}


def test_the_list_filters_by_organization_moscow_and_status(
    token_client, administrator, account, other_account
):
    RequirementFactory(organization=account, title="Must", moscow="must", status="drafted")
    RequirementFactory(organization=account, title="Triage", moscow="", status="need_identified")
    RequirementFactory(organization=other_account, title="Elsewhere", moscow="must")
    client = token_client(administrator)

    def titles(**query):
        return sorted(
            row["title"] for row in client.get(api("api_offer_requirements"), query).json()["results"]
        )

    assert titles(organization=account.pk) == ["Must", "Triage"]
    assert titles(moscow="must") == ["Elsewhere", "Must"]
    assert titles(moscow="none") == ["Triage"]
    assert titles(status="need_identified") == ["Triage"]


def test_an_unknown_filter_value_answers_with_the_envelope(token_client, owner):
    response = token_client(owner).get(api("api_offer_requirements"), {"moscow": "urgent"})

    assert response.status_code == 400
    assert error_fields(response) == {"moscow"}


# --- create, update, delete -------------------------------------------------------------------------


def test_recording_a_requirement_answers_with_it(token_client, owner, account, journey):
    response = token_client(owner).post(
        api("api_offer_requirements"),
        {
            "organization": account.pk,
            "journey": journey.pk,
            "title": "Book from the phone",
            "moscow": "could",
            "service_impact": 8,
            "urgency": 3,
            "risk_reduction": 2,
            "job_size": 3,
        },
        format="json",
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["organization"], body["journey"], body["moscow"], body["rank"]) == (
        account.pk,
        journey.pk,
        "could",
        1,
    )
    assert body["wsjf_score"] == "4.33"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"job_size": 0}, "job_size"),
        ({"urgency": 4}, "urgency"),
        ({"service_impact": 21}, "service_impact"),
        ({"moscow": "urgent"}, "moscow"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_input_names_its_field_and_saves_nothing(token_client, owner, account, change, field):
    data = {"organization": account.pk, "title": "Export"}
    data |= {"service_impact": 3, "urgency": 5, "risk_reduction": 2, "job_size": 3, **change}

    response = token_client(owner).post(api("api_offer_requirements"), data, format="json")

    assert response.status_code == 400
    assert error_fields(response) == {field}
    assert not Requirement.objects.exists()


def test_a_requirement_for_an_account_the_caller_may_not_see_is_refused_like_a_missing_one(
    token_client, outsider, other_team, account
):
    response = token_client(outsider).post(
        api("api_offer_requirements"), {"organization": account.pk, "title": "Peek"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["error"]["fields"]["organization"] == [
        f"No organization with the id {account.pk}."
    ]


def test_an_analyst_may_not_record_requirements(token_client, analyst, account):
    response = token_client(analyst).post(
        api("api_offer_requirements"), {"organization": account.pk, "title": "Export"}, format="json"
    )

    assert response.status_code == 403
    assert error_fields(response) == set()


def test_a_desk_agent_may_read_but_not_write(token_client, desk, export):
    client = token_client(desk)

    assert client.get(api("api_offer_requirement", export.pk)).status_code == 200
    assert (
        client.patch(api("api_offer_requirement", export.pk), {"title": "X"}, format="json").status_code
        == 403
    )


def test_anonymous_callers_get_the_envelope(api_client, export):
    response = api_client.get(api("api_offer_requirement", export.pk))

    assert response.status_code == 401
    assert error_fields(response) == set()


def test_updating_a_requirement(token_client, owner, export):
    response = token_client(owner).patch(
        api("api_offer_requirement", export.pk),
        {"status": "acceptance_defined", "acceptance_criteria": "An export opens in a spreadsheet."},
        format="json",
    )

    assert response.status_code == 200
    assert response.json()["status"] == "acceptance_defined"


def test_an_update_breaking_the_lifecycle_is_refused(token_client, owner, export):
    response = token_client(owner).patch(
        api("api_offer_requirement", export.pk), {"status": "prioritized"}, format="json"
    )

    assert response.status_code == 400
    assert error_fields(response) == {"acceptance_criteria"}


def test_an_outsider_finds_no_requirement(token_client, outsider, other_team, export):
    client = token_client(outsider)

    assert client.get(api("api_offer_requirement", export.pk)).status_code == 404
    assert client.delete(api("api_offer_requirement", export.pk)).status_code == 404
    assert Requirement.objects.filter(pk=export.pk).exists()


def test_deleting_a_requirement(token_client, owner, export):
    response = token_client(owner).delete(api("api_offer_requirement", export.pk))

    assert response.status_code == 204
    assert not Requirement.objects.exists()


# --- reprioritizing ---------------------------------------------------------------------------------


def test_reprioritizing_to_a_column_and_position(token_client, owner, account, export, sign_on):
    response = token_client(owner).post(
        api("api_offer_requirement_reprioritize", sign_on.pk),
        {"moscow": "should", "position": 1},
        format="json",
    )

    assert response.status_code == 200
    assert response.json()["rank"] == 1
    assert order_in(account, "should") == ["Single sign-on", "Export invoices"]


def test_reprioritizing_one_place_down(token_client, owner, account, export, sign_on):
    token_client(owner).post(
        api("api_offer_requirement_reprioritize", export.pk), {"direction": "down"}, format="json"
    )

    assert order_in(account, "should") == ["Single sign-on", "Export invoices"]


def test_moving_past_the_top_is_refused(token_client, owner, export):
    response = token_client(owner).post(
        api("api_offer_requirement_reprioritize", export.pk), {"direction": "up"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "at_edge"
    assert error_fields(response) == {"direction"}


@pytest.mark.parametrize(
    ("data", "field"),
    [({}, "moscow"), ({"direction": "up", "position": 2}, "direction"), ({"position": 0}, "position")],
)
def test_a_reprioritization_without_a_clear_target_is_refused(token_client, owner, export, data, field):
    response = token_client(owner).post(
        api("api_offer_requirement_reprioritize", export.pk), data, format="json"
    )

    assert response.status_code == 400
    assert error_fields(response) == {field}


def test_unprioritizing_a_prioritized_requirement_is_refused(token_client, owner, account):
    requirement = RequirementFactory(
        organization=account, moscow="must", status="prioritized", acceptance_criteria="Opens."
    )

    response = token_client(owner).post(
        api("api_offer_requirement_reprioritize", requirement.pk), {"moscow": ""}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "lifecycle"


# --- the board --------------------------------------------------------------------------------------


def test_the_board_lists_the_columns_in_order_with_their_cards(token_client, owner, account, export, sign_on):
    RequirementFactory(organization=account, title="Triage", moscow="", **UNSCORED)

    body = token_client(owner).get(api("api_offer_requirement_board", account.pk), {"order": "wsjf"}).json()

    assert body["order"] == "wsjf"
    assert [column["moscow"] for column in body["columns"]] == ["", "must", "should", "could", "wont"]
    should = body["columns"][2]
    assert [card["title"] for card in should["cards"]] == ["Single sign-on", "Export invoices"]
    assert (should["count"], should["effort"]) == (2, 7)
    assert should["cards"][0]["wsjf_score"] == "5.00"
    assert body["columns"][0]["cards"][0]["wsjf_score"] is None


def test_the_board_refuses_a_journey_its_requirements_do_not_name(
    token_client, owner, account, other_account
):
    response = token_client(owner).get(
        api("api_offer_requirement_board", account.pk),
        {"journey": JourneyFactory(organization=other_account).pk},
    )

    assert response.status_code == 400
    assert error_fields(response) == {"journey"}


def test_an_outsider_finds_no_board(token_client, outsider, other_team, account):
    assert token_client(outsider).get(api("api_offer_requirement_board", account.pk)).status_code == 404


def test_a_column_adopts_the_wsjf_order(token_client, owner, account, export, sign_on):
    response = token_client(owner).post(
        api("api_offer_requirement_rank_by_wsjf", account.pk), {"moscow": "should"}, format="json"
    )

    assert response.status_code == 200
    assert set(response.json()["moved"]) == {export.pk, sign_on.pk}
    assert order_in(account, "should") == ["Single sign-on", "Export invoices"]


def test_the_schema_lists_the_routes(api_client):
    schema = api_client.get(api("api_schema")).content.decode()

    for route in (
        "/api/v1/offer/requirements/{id}/reprioritize/",
        "/api/v1/offer/organizations/{id}/requirement-board/",
    ):
        assert route in schema
