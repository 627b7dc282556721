"""The opportunities API: statuses, shapes, filters, moves, permissions and the error envelope."""

from decimal import Decimal

import pytest
from django.urls import reverse

from journeys.models import JourneyEvent
from offerings.models import OfferEventType, Opportunity
from tests.factories.offerings import OpportunityFactory

pytestmark = pytest.mark.django_db


def api(name, *args):
    return reverse(name, args=args)


def error_fields(response) -> set[str]:
    assert set(response.json()) == {"error"}
    assert set(response.json()["error"]) == {"code", "message", "fields"}
    return set(response.json()["error"]["fields"])


@pytest.fixture
def fleet(account, owner):
    return OpportunityFactory(organization=account, title="Fleet app", owner=owner)


def test_the_list_holds_what_the_caller_may_see(
    token_client, owner, outsider, other_team, other_account, fleet
):
    OpportunityFactory(organization=other_account, title="Theirs")

    mine = token_client(owner).get(api("api_offer_opportunities")).json()
    theirs = token_client(outsider).get(api("api_offer_opportunities")).json()

    assert [row["title"] for row in mine["results"]] == ["Fleet app"]
    assert [row["title"] for row in theirs["results"]] == ["Theirs"]
    assert set(mine["results"][0]) == {
        "id",
        "organization",
        "offering",
        "journey",
        "title",
        "description",
        "stage",
        "stage_changed_at",
        "estimated_value",
        "expected_close_date",
        "lost_reason",
        "position",
        "owner",
        "created_at",
        "updated_at",
    }
    assert mine["results"][0]["estimated_value"] == "25000.00"


def test_the_list_filters_by_organization_stage_and_owner(
    token_client, administrator, owner, account, other_account
):
    OpportunityFactory(organization=account, title="Won", stage="agreed", owner=owner)
    OpportunityFactory(organization=account, title="Open", stage="demand")
    OpportunityFactory(organization=other_account, title="Elsewhere", stage="agreed")
    client = token_client(administrator)

    def titles(**query):
        return sorted(
            row["title"] for row in client.get(api("api_offer_opportunities"), query).json()["results"]
        )

    assert titles(organization=account.pk) == ["Open", "Won"]
    assert titles(stage="agreed") == ["Elsewhere", "Won"]
    assert titles(owner=owner.pk) == ["Won"]


def test_a_bad_stage_filter_answers_with_the_envelope(token_client, owner):
    response = token_client(owner).get(api("api_offer_opportunities"), {"stage": "won"})

    assert response.status_code == 400
    assert error_fields(response) == {"stage"}


def test_opening_an_opportunity_answers_with_it(token_client, owner, account, journey):
    response = token_client(owner).post(
        api("api_offer_opportunities"),
        {
            "organization": account.pk,
            "journey": journey.pk,
            "title": "Driver app",
            "estimated_value": "4500.00",
        },
        format="json",
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["stage"], body["estimated_value"], body["journey"]) == ("demand", "4500.00", journey.pk)
    assert JourneyEvent.objects.filter(event_type=OfferEventType.OPPORTUNITY_STAGE_CHANGED).count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"estimated_value": "-1.00"}, "estimated_value"),
        ({"estimated_value": "lots"}, "estimated_value"),
        ({"stage": "lost"}, "lost_reason"),
        ({"stage": "won"}, "stage"),
        ({"title": ""}, "title"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_input_names_its_field_and_saves_nothing(token_client, owner, account, change, field):
    response = token_client(owner).post(
        api("api_offer_opportunities"),
        {"organization": account.pk, "title": "Driver app", **change},
        format="json",
    )

    assert response.status_code == 400
    assert error_fields(response) == {field}
    assert not Opportunity.objects.exists()


def test_an_analyst_may_not_open_opportunities(token_client, analyst, account):
    response = token_client(analyst).post(
        api("api_offer_opportunities"), {"organization": account.pk, "title": "Driver app"}, format="json"
    )

    assert response.status_code == 403
    assert not Opportunity.objects.exists()


def test_updating_an_opportunity(token_client, owner, fleet):
    response = token_client(owner).patch(
        api("api_offer_opportunity", fleet.pk), {"estimated_value": "30000.00"}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["estimated_value"] == "30000.00"


def test_the_stage_is_not_changed_by_an_update(token_client, owner, fleet):
    response = token_client(owner).patch(
        api("api_offer_opportunity", fleet.pk), {"stage": "agreed"}, format="json"
    )

    assert response.status_code == 400
    assert error_fields(response) == {"stage"}


def test_moving_an_opportunity(token_client, owner, fleet):
    response = token_client(owner).post(
        api("api_offer_opportunity_move", fleet.pk),
        {"stage": "lost", "lost_reason": "Budget cut"},
        format="json",
    )

    assert response.status_code == 200
    assert (response.json()["stage"], response.json()["lost_reason"]) == ("lost", "Budget cut")


def test_moving_to_lost_without_a_reason_is_refused(token_client, owner, fleet):
    response = token_client(owner).post(
        api("api_offer_opportunity_move", fleet.pk), {"stage": "lost"}, format="json"
    )

    assert response.status_code == 400
    assert error_fields(response) == {"lost_reason"}
    fleet.refresh_from_db()
    assert fleet.stage == "demand"


def test_moving_to_its_own_stage_is_a_conflict(token_client, owner, fleet):
    response = token_client(owner).post(
        api("api_offer_opportunity_move", fleet.pk), {"stage": "demand"}, format="json"
    )

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "same_stage"


def test_an_outsider_finds_no_opportunity(token_client, outsider, other_team, fleet):
    client = token_client(outsider)

    assert client.get(api("api_offer_opportunity", fleet.pk)).status_code == 404
    assert (
        client.post(
            api("api_offer_opportunity_move", fleet.pk), {"stage": "agreed"}, format="json"
        ).status_code
        == 404
    )
    fleet.refresh_from_db()
    assert fleet.stage == "demand"


def test_deleting_an_opportunity(token_client, owner, fleet):
    assert token_client(owner).delete(api("api_offer_opportunity", fleet.pk)).status_code == 204
    assert not Opportunity.objects.exists()


def test_the_pipeline_totals_per_stage(token_client, owner, account, fleet):
    OpportunityFactory(organization=account, stage="proposal", estimated_value=Decimal("100.50"))

    body = token_client(owner).get(api("api_offer_pipeline"), {"organization": account.pk}).json()

    assert body["organization"] == account.pk
    assert body["open_value"] == "25100.50"
    assert body["stages"][:2] == [
        {"stage": "demand", "count": 1, "total_value": "25000.00"},
        {"stage": "proposal", "count": 1, "total_value": "100.50"},
    ]


def test_the_pipeline_of_an_account_the_caller_may_not_see_is_not_found(
    token_client, outsider, other_team, account
):
    assert (
        token_client(outsider).get(api("api_offer_pipeline"), {"organization": account.pk}).status_code == 404
    )
    response = token_client(outsider).get(api("api_offer_pipeline"), {"organization": "abc"})
    assert response.status_code == 400
    assert error_fields(response) == {"organization"}


def test_the_schema_lists_the_routes(api_client):
    schema = api_client.get(api("api_schema")).content.decode()

    assert "/api/v1/offer/opportunities/{id}/move/" in schema
    assert "/api/v1/offer/pipeline/" in schema
