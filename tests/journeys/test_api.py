"""The journey spine's REST API under /api/v1/: status, shape, permissions per persona, the error
envelope, upserts, incremental sync, cursor pages, idempotent POSTs and constant query counts."""

import threading
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from journeys import services
from journeys.models import (
    IdempotencyKey,
    Journey,
    JourneyEvent,
    JourneyStatus,
    JourneyStep,
    JourneyStepChange,
    Organization,
    OrganizationKind,
    Stakeholder,
    Touchpoint,
)
from tests.factories.journeys import (
    JourneyFactory,
    OrganizationFactory,
    StakeholderFactory,
    TouchpointFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ORGANIZATION_KEYS = {
    "id", "name", "kind", "external_id", "owner", "team", "industry", "country", "city", "website",
    "annual_revenue", "employee_count", "notes", "created_at", "updated_at",
}  # fmt: skip
STAKEHOLDER_KEYS = {
    "id", "organization", "organization_external_id", "name", "job_title", "email", "phone", "category",
    "roles", "influence", "interest", "quadrant", "survey_consent", "is_active", "external_id",
    "created_at", "updated_at",
}  # fmt: skip
JOURNEY_KEYS = {
    "id", "organization", "organization_external_id", "name", "current_step", "status", "step_entered_at",
    "started_at", "ended_at", "external_id", "created_at", "updated_at",
}  # fmt: skip
TOUCHPOINT_KEYS = {
    "id", "organization", "organization_external_id", "journey", "stakeholder", "step", "channel", "kind",
    "direction", "sentiment", "moment_of_truth", "summary", "occurred_at", "duration_minutes", "logged_by",
    "external_id", "created_at", "updated_at",
}  # fmt: skip


def url(name, *args):
    return reverse(name, args=args)


def touchpoint_body(organization, **overrides):
    return {
        "organization": organization.pk,
        "channel": "telephone",
        "kind": "query",
        "summary": "Asked when the new booking screen goes live",
        **overrides,
    }


def assert_error(response, status, code=None, field=None):
    """The one envelope: {"error": {"code", "message", "fields"}}, naming the field when there is one."""
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "fields"}
    assert body["error"]["message"]
    if code is not None:
        assert body["error"]["code"] == code
    if field is not None:
        assert field in body["error"]["fields"], body
    return body["error"]


def ids(response):
    return [row["id"] for row in response.json()["results"]]


# --- authentication and the documentation ---------------------------------------------------------


def test_it_refuses_an_anonymous_client_with_a_401_envelope(account):
    response = APIClient().get(url("api_organizations"))

    assert_error(response, 401, code="not_authenticated")


def test_it_refuses_a_bad_token_with_a_401_envelope(account):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")

    assert_error(client.get(url("api_organizations")), 401)


def test_it_refuses_a_user_without_a_dsv_role(account, token_client):
    nobody = UserFactory(username="nobody")

    assert_error(token_client(nobody).get(url("api_organizations")), 403)


def test_a_browser_session_may_read_the_api(owner, account):
    client = APIClient()
    assert client.login(username="owner", password="demo-password")

    response = client.get(url("api_organizations"))

    assert response.status_code == 200
    assert ids(response) == [account.pk]


def test_it_serves_the_openapi_schema_and_offline_documentation():
    client = APIClient()

    schema = client.get(url("api_schema"))
    docs = client.get(url("api_docs"))
    redoc = client.get(url("api_redoc"))

    assert schema.status_code == 200
    assert b"/api/v1/touchpoints/" in schema.content
    assert docs.status_code == 200
    assert redoc.status_code == 200
    for page in (docs, redoc):
        html = page.content.decode()
        assert "drf_spectacular_sidecar" in html
        assert "cdn." not in html and "unpkg" not in html


def test_it_answers_an_unsupported_method_with_the_envelope(integrator, account, token_client):
    response = token_client(integrator).delete(url("api_organization", account.pk))

    assert_error(response, 405)
    assert Organization.objects.filter(pk=account.pk).exists()


# --- organizations --------------------------------------------------------------------------------


def test_an_organization_has_exactly_these_keys(owner, account, token_client):
    response = token_client(owner).get(url("api_organization", account.pk))

    assert response.status_code == 200
    assert set(response.json()) == ORGANIZATION_KEYS
    assert response.json()["owner"] == owner.pk


def test_it_lists_only_the_accounts_a_relationship_manager_may_see(
    owner, teammate, account, other_account, token_client
):
    assert ids(token_client(owner).get(url("api_organizations"))) == [account.pk]
    assert ids(token_client(teammate).get(url("api_organizations"))) == [account.pk]


@pytest.mark.parametrize("persona", ["desk", "analyst", "integrator", "administrator"])
def test_portfolio_wide_roles_list_every_account(persona, account, other_account, token_client, request):
    response = token_client(request.getfixturevalue(persona)).get(url("api_organizations"))

    assert set(ids(response)) == {account.pk, other_account.pk}


def test_it_hides_an_organization_from_an_outsider_with_a_404_envelope(outsider, account, token_client):
    client = token_client(outsider)

    assert_error(client.get(url("api_organization", account.pk)), 404, code="not_found")
    assert_error(client.patch(url("api_organization", account.pk), {"name": "Mine now"}), 404)
    account.refresh_from_db()
    assert account.name == "Rentwheel Car Hire"


def test_it_creates_an_organization_with_an_owner(integrator, owner, token_client):
    response = token_client(integrator).post(
        url("api_organizations"),
        {"name": "Harbour Logistics", "kind": "partner", "owner": owner.pk, "annual_revenue": "125000.50"},
    )

    assert response.status_code == 201, response.content
    assert set(response.json()) == ORGANIZATION_KEYS
    organization = Organization.objects.get(pk=response.json()["id"])
    assert (organization.name, organization.kind, organization.owner) == (
        "Harbour Logistics",
        "partner",
        owner,
    )
    assert response.json()["annual_revenue"] == "125000.50"
    assert JourneyEvent.objects.filter(event_type="organization.created", organization=organization).exists()


def test_a_relationship_manager_owns_the_organization_they_create(owner, token_client):
    response = token_client(owner).post(url("api_organizations"), {"name": "Harbour Logistics"})

    assert response.status_code == 201
    assert response.json()["owner"] == owner.pk


def test_the_service_desk_may_not_create_an_organization(desk, token_client):
    response = token_client(desk).post(url("api_organizations"), {"name": "Harbour Logistics"})

    assert_error(response, 403, code="permission_denied")
    assert not Organization.objects.filter(name="Harbour Logistics").exists()


def test_it_rejects_an_unknown_organization_kind(integrator, token_client):
    response = token_client(integrator).post(url("api_organizations"), {"name": "Harbour", "kind": "vendor"})

    assert_error(response, 400, code="invalid", field="kind")
    assert not Organization.objects.exists()


def test_it_rejects_a_field_it_does_not_know(integrator, token_client):
    response = token_client(integrator).post(url("api_organizations"), {"name": "Harbour", "nmae": "x"})

    assert_error(response, 400, field="nmae")


def test_it_rejects_an_owner_that_does_not_exist(integrator, token_client):
    response = token_client(integrator).post(url("api_organizations"), {"name": "Harbour", "owner": 999_999})

    assert_error(response, 400, field="owner")


def test_it_refuses_a_second_organization_with_the_same_external_id(integrator, account, token_client):
    Organization.objects.filter(pk=account.pk).update(external_id="crm-1")

    response = token_client(integrator).post(
        url("api_organizations"), {"name": "Copy", "external_id": "crm-1"}
    )

    assert_error(response, 409, code="duplicate", field="external_id")
    assert Organization.objects.filter(external_id="crm-1").count() == 1


def test_it_updates_an_organization(teammate, account, token_client):
    response = token_client(teammate).patch(url("api_organization", account.pk), {"city": "Porto"})

    assert response.status_code == 200
    assert response.json()["city"] == "Porto"
    assert response.json()["name"] == "Rentwheel Car Hire"
    account.refresh_from_db()
    assert account.city == "Porto"


def test_it_filters_organizations_by_kind_owner_and_name(
    integrator, owner, account, other_account, token_client
):
    partner = OrganizationFactory(name="Rentwheel Partners", kind=OrganizationKind.PARTNER)
    client = token_client(integrator)

    assert ids(client.get(url("api_organizations"), {"kind": "partner"})) == [partner.pk]
    assert ids(client.get(url("api_organizations"), {"owner": owner.pk})) == [account.pk]
    assert set(ids(client.get(url("api_organizations"), {"q": "rentwheel"}))) == {account.pk, partner.pk}
    assert_error(client.get(url("api_organizations"), {"kind": "vendor"}), 400, field="kind")


def test_upsert_creates_an_organization_then_updates_it(integrator, token_client):
    client = token_client(integrator)
    target = url("api_organization_upsert", "hubspot-42")

    created = client.put(target, {"name": "Harbour Logistics", "city": "Rotterdam"})
    updated = client.put(target, {"city": "Antwerp"})

    assert created.status_code == 201, created.content
    assert updated.status_code == 200, updated.content
    assert created.json()["id"] == updated.json()["id"]
    organization = Organization.objects.get(external_id="hubspot-42")
    assert (organization.name, organization.city) == ("Harbour Logistics", "Antwerp")


def test_upsert_of_a_new_organization_needs_a_name(integrator, token_client):
    response = token_client(integrator).put(
        url("api_organization_upsert", "hubspot-42"), {"city": "Rotterdam"}
    )

    assert_error(response, 400, field="name")
    assert not Organization.objects.exists()


# --- permissions on writes, per persona -----------------------------------------------------------


def write_requests(account, journey, touchpoint):
    return [
        ("post", url("api_organizations"), {"name": "New account"}),
        ("patch", url("api_organization", account.pk), {"city": "Porto"}),
        ("put", url("api_organization_upsert", "crm-9"), {"name": "New account"}),
        ("post", url("api_stakeholders"), {"organization": account.pk, "name": "Ines Duarte"}),
        ("post", url("api_journeys"), {"organization": account.pk, "name": "Fleet telematics"}),
        ("post", url("api_journey_move", journey.pk), {"to_step": "offer"}),
        ("post", url("api_touchpoints"), touchpoint_body(account)),
        ("patch", url("api_touchpoint", touchpoint.pk), {"sentiment": 1}),
    ]


def test_an_analyst_may_not_write_anything(analyst, account, journey, token_client):
    touchpoint = TouchpointFactory(organization=account)
    client = token_client(analyst)

    for method, target, body in write_requests(account, journey, touchpoint):
        assert_error(getattr(client, method)(target, body), 403, code="permission_denied")

    assert Organization.objects.count() == 1
    assert not Stakeholder.objects.exists()
    assert Journey.objects.get().current_step == JourneyStep.ENGAGE
    assert Touchpoint.objects.get().sentiment == 0


@pytest.mark.parametrize("persona", ["integrator", "administrator"])
def test_integrators_and_administrators_may_write_everything(
    persona, account, journey, token_client, request
):
    touchpoint = TouchpointFactory(organization=account)
    client = token_client(request.getfixturevalue(persona))

    for method, target, body in write_requests(account, journey, touchpoint):
        response = getattr(client, method)(target, body)
        assert response.status_code in (200, 201), (target, response.content)


def test_the_service_desk_may_log_touchpoints_but_not_edit_accounts(desk, account, journey, token_client):
    client = token_client(desk)

    logged = client.post(url("api_touchpoints"), touchpoint_body(account))
    moved = client.post(url("api_journey_move", journey.pk), {"to_step": "offer"})
    edited = client.patch(url("api_organization", account.pk), {"city": "Porto"})

    assert logged.status_code == 201
    assert logged.json()["logged_by"] == desk.pk
    assert_error(moved, 403)
    assert_error(edited, 403)


# --- stakeholders ---------------------------------------------------------------------------------


def test_a_stakeholder_shows_its_consumer_roles_as_a_list(owner, sponsor, token_client):
    StakeholderFactory(organization=sponsor.organization, is_customer=True, is_user=True)

    response = token_client(owner).get(url("api_stakeholder", sponsor.pk))

    assert response.status_code == 200
    assert set(response.json()) == STAKEHOLDER_KEYS
    assert response.json()["roles"] == ["sponsor"]
    assert response.json()["quadrant"] == "manage_closely"


def test_it_adds_a_stakeholder_with_roles_given_as_a_list(owner, account, token_client):
    response = token_client(owner).post(
        url("api_stakeholders"),
        {"organization": account.pk, "name": "Ines Duarte", "roles": ["customer", "sponsor"], "influence": 4},
    )

    assert response.status_code == 201, response.content
    assert response.json()["roles"] == ["customer", "sponsor"]
    stakeholder = Stakeholder.objects.get(pk=response.json()["id"])
    assert (stakeholder.is_customer, stakeholder.is_user, stakeholder.is_sponsor) == (True, False, True)


def test_it_adds_a_stakeholder_with_roles_given_as_flags(owner, account, token_client):
    response = token_client(owner).post(
        url("api_stakeholders"), {"organization": account.pk, "name": "Ines Duarte", "is_user": True}
    )

    assert response.status_code == 201
    assert response.json()["roles"] == ["user"]


def test_it_refuses_roles_and_role_flags_together(owner, account, token_client):
    response = token_client(owner).post(
        url("api_stakeholders"),
        {"organization": account.pk, "name": "Ines", "roles": ["customer"], "is_customer": False},
    )

    assert_error(response, 400, field="roles")


def test_it_rejects_an_unknown_consumer_role(owner, account, token_client):
    response = token_client(owner).post(
        url("api_stakeholders"), {"organization": account.pk, "name": "Ines", "roles": ["buyer"]}
    )

    error = assert_error(response, 400)
    assert any(name.startswith("roles") for name in error["fields"])


@pytest.mark.parametrize(("field", "value"), [("influence", 6), ("interest", 0), ("influence", "high")])
def test_it_rejects_influence_and_interest_outside_one_to_five(field, value, owner, account, token_client):
    response = token_client(owner).post(
        url("api_stakeholders"), {"organization": account.pk, "name": "Ines", field: value}
    )

    assert_error(response, 400, field=field)
    assert not Stakeholder.objects.exists()


def test_it_refuses_a_stakeholder_for_an_organization_the_user_cannot_see(outsider, account, token_client):
    response = token_client(outsider).post(
        url("api_stakeholders"), {"organization": account.pk, "name": "Ines"}
    )

    error = assert_error(response, 400, field="organization")
    assert error["fields"]["organization"] == [f"No organization with the id {account.pk}."]
    assert not Stakeholder.objects.exists()


def test_a_new_stakeholder_needs_an_organization(owner, token_client):
    assert_error(
        token_client(owner).post(url("api_stakeholders"), {"name": "Ines"}), 400, field="organization"
    )


def test_it_updates_a_stakeholders_roles(owner, sponsor, token_client):
    response = token_client(owner).patch(url("api_stakeholder", sponsor.pk), {"roles": ["customer"]})

    assert response.status_code == 200
    assert response.json()["roles"] == ["customer"]
    sponsor.refresh_from_db()
    assert not sponsor.is_sponsor


def test_it_filters_stakeholders_by_role_and_email(integrator, account, other_account, sponsor, token_client):
    other = StakeholderFactory(organization=other_account, email="Ana@Northbank.example", is_sponsor=False)
    client = token_client(integrator)

    assert ids(client.get(url("api_stakeholders"), {"is_sponsor": "true"})) == [sponsor.pk]
    assert ids(client.get(url("api_stakeholders"), {"email": "ana@northbank.example"})) == [other.pk]
    assert ids(client.get(url("api_stakeholders"), {"organization": other_account.pk})) == [other.pk]


def test_upsert_finds_the_organization_by_its_external_id(integrator, account, token_client):
    Organization.objects.filter(pk=account.pk).update(external_id="sf-001")
    client = token_client(integrator)
    target = url("api_stakeholder_upsert", "sf-contact-7")

    created = client.put(target, {"organization_external_id": "sf-001", "name": "Ines", "roles": ["user"]})
    updated = client.put(target, {"job_title": "Fleet manager"})

    assert created.status_code == 201, created.content
    assert created.json()["organization"] == account.pk
    assert created.json()["organization_external_id"] == "sf-001"
    assert updated.status_code == 200
    stakeholder = Stakeholder.objects.get(external_id="sf-contact-7")
    assert (stakeholder.name, stakeholder.job_title, stakeholder.roles) == ("Ines", "Fleet manager", ["user"])


def test_upsert_names_an_unknown_organization_external_id(integrator, token_client):
    response = token_client(integrator).put(
        url("api_stakeholder_upsert", "sf-contact-7"), {"organization_external_id": "sf-404", "name": "Ines"}
    )

    assert_error(response, 400, field="organization_external_id")
    assert not Stakeholder.objects.exists()


# --- journeys -------------------------------------------------------------------------------------


def test_it_starts_a_journey(owner, account, token_client):
    response = token_client(owner).post(
        url("api_journeys"), {"organization": account.pk, "name": "Telematics"}
    )

    assert response.status_code == 201, response.content
    assert set(response.json()) == JOURNEY_KEYS
    assert response.json()["current_step"] == "explore"
    journey = Journey.objects.get(pk=response.json()["id"])
    assert list(journey.step_changes.values_list("to_step", flat=True)) == ["explore"]


def test_it_rejects_a_journey_in_an_unknown_step(owner, account, token_client):
    response = token_client(owner).post(
        url("api_journeys"), {"organization": account.pk, "name": "Telematics", "current_step": "negotiate"}
    )

    assert_error(response, 400, field="current_step")
    assert not Journey.objects.exists()


def test_it_rejects_a_malformed_start_date(owner, account, token_client):
    response = token_client(owner).post(
        url("api_journeys"), {"organization": account.pk, "name": "Telematics", "started_at": "31/01/2026"}
    )

    assert_error(response, 400, field="started_at")


def test_a_journey_shows_its_step_history_only_on_its_own_page(owner, journey, token_client):
    client = token_client(owner)

    detail = client.get(url("api_journey", journey.pk)).json()
    listed = client.get(url("api_journeys")).json()["results"][0]

    assert set(detail) == JOURNEY_KEYS | {"step_history"}
    assert set(listed) == JOURNEY_KEYS
    assert [change["to_step"] for change in detail["step_history"]] == ["engage"]
    assert set(detail["step_history"][0]) == {"from_step", "to_step", "changed_at", "changed_by", "note"}


def test_it_moves_a_journey_and_records_who_moved_it(owner, journey, token_client):
    response = token_client(owner).post(
        url("api_journey_move", journey.pk), {"to_step": "offer", "note": "Asked for a proposal"}
    )

    assert response.status_code == 200, response.content
    assert response.json()["current_step"] == "offer"
    last = response.json()["step_history"][-1]
    assert (last["from_step"], last["to_step"], last["changed_by"], last["note"]) == (
        "engage", "offer", owner.pk, "Asked for a proposal",
    )  # fmt: skip


def test_moving_a_journey_to_its_current_step_is_a_conflict(owner, journey, token_client):
    response = token_client(owner).post(url("api_journey_move", journey.pk), {"to_step": "engage"})

    assert_error(response, 409, field="to_step")
    assert journey.step_changes.count() == 1


def test_moving_needs_a_known_step(owner, journey, token_client):
    assert_error(
        token_client(owner).post(url("api_journey_move", journey.pk), {"to_step": "x"}), 400, field="to_step"
    )


def test_an_outsider_cannot_move_a_journey(outsider, journey, token_client):
    assert_error(token_client(outsider).post(url("api_journey_move", journey.pk), {"to_step": "offer"}), 404)
    journey.refresh_from_db()
    assert journey.current_step == JourneyStep.ENGAGE


def test_patching_the_current_step_moves_the_journey(owner, journey, token_client):
    response = token_client(owner).patch(url("api_journey", journey.pk), {"current_step": "agree"})

    assert response.status_code == 200
    assert [change["to_step"] for change in response.json()["step_history"]] == ["engage", "agree"]


def test_it_filters_journeys_by_step_and_status(integrator, account, journey, token_client):
    ended = JourneyFactory(organization=account, name="Old fleet", status=JourneyStatus.LEFT)
    client = token_client(integrator)

    assert ids(client.get(url("api_journeys"), {"current_step": "engage", "status": "active"})) == [
        journey.pk
    ]
    assert ids(client.get(url("api_journeys"), {"status": "left"})) == [ended.pk]
    assert ids(client.get(url("api_journeys"), {"current_step": "offer"})) == []


def test_upsert_starts_a_journey_then_moves_it(integrator, account, token_client):
    client = token_client(integrator)
    target = url("api_journey_upsert", "deal-5")

    created = client.put(target, {"organization": account.pk, "name": "Telematics", "current_step": "offer"})
    updated = client.put(target, {"current_step": "agree"})

    assert (created.status_code, updated.status_code) == (201, 200)
    journey = Journey.objects.get(external_id="deal-5")
    assert journey.current_step == "agree"
    assert list(journey.step_changes.values_list("to_step", flat=True)) == ["offer", "agree"]


# --- touchpoints ----------------------------------------------------------------------------------


def test_it_logs_a_touchpoint(owner, account, journey, sponsor, token_client):
    body = touchpoint_body(
        account, journey=journey.pk, stakeholder=sponsor.pk, sentiment=-2, duration_minutes=12
    )

    response = token_client(owner).post(url("api_touchpoints"), body)

    assert response.status_code == 201, response.content
    assert set(response.json()) == TOUCHPOINT_KEYS
    touchpoint = Touchpoint.objects.get(pk=response.json()["id"])
    assert (touchpoint.step, touchpoint.sentiment, touchpoint.logged_by) == ("engage", -2, owner)
    assert JourneyEvent.objects.filter(event_type="touchpoint.created", journey=journey).count() == 1


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("sentiment", 3),
        ("sentiment", -3),
        ("channel", "pigeon"),
        ("kind", "gossip"),
        ("step", "negotiate"),
        ("direction", "sideways"),
        ("occurred_at", "yesterday"),
        ("duration_minutes", -5),
    ],
)
def test_it_rejects_a_touchpoint_with_a_bad_value(field, value, owner, account, token_client):
    response = token_client(owner).post(url("api_touchpoints"), touchpoint_body(account, **{field: value}))

    assert_error(response, 400, code="invalid", field=field)
    assert not Touchpoint.objects.exists()
    assert not JourneyEvent.objects.exists()


def test_it_rejects_sentiment_out_of_range(owner, account, token_client):
    response = token_client(owner).post(url("api_touchpoints"), touchpoint_body(account, sentiment=5))

    error = assert_error(response, 400, field="sentiment")
    assert list(error["fields"]) == ["sentiment"]


def test_it_rejects_a_touchpoint_in_the_future(owner, account, token_client):
    tomorrow = (timezone.now() + timedelta(days=1)).isoformat()

    response = token_client(owner).post(
        url("api_touchpoints"), touchpoint_body(account, occurred_at=tomorrow)
    )

    assert_error(response, 400, field="occurred_at")


def test_it_rejects_a_person_from_another_organization(integrator, account, other_account, token_client):
    stranger = StakeholderFactory(organization=other_account)

    response = token_client(integrator).post(
        url("api_touchpoints"), touchpoint_body(account, stakeholder=stranger.pk)
    )

    assert_error(response, 400, field="stakeholder")
    assert not Touchpoint.objects.exists()


def test_it_does_not_reveal_a_journey_the_user_cannot_see(owner, account, other_account, token_client):
    hidden = JourneyFactory(organization=other_account)

    response = token_client(owner).post(url("api_touchpoints"), touchpoint_body(account, journey=hidden.pk))

    error = assert_error(response, 400, field="journey")
    assert error["fields"]["journey"] == [f"No journey with the id {hidden.pk}."]


def test_it_refuses_a_touchpoint_for_an_account_the_user_cannot_see(outsider, account, token_client):
    response = token_client(outsider).post(url("api_touchpoints"), touchpoint_body(account))

    assert_error(response, 400, field="organization")


def test_it_updates_a_touchpoint(desk, account, token_client):
    touchpoint = TouchpointFactory(organization=account)

    response = token_client(desk).patch(url("api_touchpoint", touchpoint.pk), {"moment_of_truth": True})

    assert response.status_code == 200
    touchpoint.refresh_from_db()
    assert touchpoint.moment_of_truth


def test_a_touchpoint_cannot_move_to_another_organization(desk, account, other_account, token_client):
    touchpoint = TouchpointFactory(organization=account)

    response = token_client(desk).patch(
        url("api_touchpoint", touchpoint.pk), {"organization": other_account.pk}
    )

    assert_error(response, 400, field="organization")


def test_it_filters_touchpoints(integrator, account, journey, sponsor, token_client):
    now = timezone.now()
    old = TouchpointFactory(organization=account, occurred_at=now - timedelta(days=40), channel="email")
    call = TouchpointFactory(
        organization=account, journey=journey, stakeholder=sponsor, channel="telephone", kind="complaint",
        step="co_create", occurred_at=now - timedelta(days=1),
    )  # fmt: skip
    client = token_client(integrator)
    since = (now - timedelta(days=7)).isoformat()

    assert ids(client.get(url("api_touchpoints"), {"channel": "telephone"})) == [call.pk]
    assert ids(client.get(url("api_touchpoints"), {"kind": "complaint", "step": "co_create"})) == [call.pk]
    assert ids(client.get(url("api_touchpoints"), {"journey": journey.pk})) == [call.pk]
    assert ids(client.get(url("api_touchpoints"), {"stakeholder": sponsor.pk})) == [call.pk]
    assert ids(client.get(url("api_touchpoints"), {"occurred_after": since})) == [call.pk]
    assert ids(client.get(url("api_touchpoints"), {"occurred_before": since})) == [old.pk]
    assert_error(
        client.get(url("api_touchpoints"), {"occurred_after": "last week"}), 400, field="occurred_after"
    )


def test_upsert_logs_a_touchpoint_then_updates_it(integrator, account, token_client):
    Organization.objects.filter(pk=account.pk).update(external_id="sf-001")
    client = token_client(integrator)
    target = url("api_touchpoint_upsert", "sf-task-1")
    body = {
        "organization_external_id": "sf-001",
        "channel": "email",
        "kind": "feedback",
        "summary": "Liked it",
    }

    created = client.put(target, body)
    updated = client.put(target, {"sentiment": 2})

    assert (created.status_code, updated.status_code) == (201, 200), created.content
    assert Touchpoint.objects.get(external_id="sf-task-1").sentiment == 2


def test_upsert_of_a_new_touchpoint_names_what_is_missing(integrator, account, token_client):
    response = token_client(integrator).put(
        url("api_touchpoint_upsert", "sf-task-1"), {"organization": account.pk}
    )

    error = assert_error(response, 400)
    assert set(error["fields"]) == {"channel", "kind", "summary"}


# --- incremental sync and pagination --------------------------------------------------------------


def test_updated_since_keeps_only_what_changed_since(integrator, account, token_client):
    before = TouchpointFactory(organization=account)
    after = TouchpointFactory(organization=account)
    cutoff = timezone.now() - timedelta(hours=1)
    Touchpoint.objects.filter(pk=before.pk).update(updated_at=cutoff - timedelta(minutes=1))
    Touchpoint.objects.filter(pk=after.pk).update(updated_at=cutoff + timedelta(minutes=1))

    response = token_client(integrator).get(url("api_touchpoints"), {"updated_since": cutoff.isoformat()})

    assert ids(response) == [after.pk]


@pytest.mark.parametrize("value", ["yesterday", "2026-01-31T12:00:00"])
def test_it_rejects_an_updated_since_without_a_time_zone_or_malformed(value, integrator, token_client):
    for name in ("api_organizations", "api_stakeholders", "api_journeys", "api_touchpoints"):
        response = token_client(integrator).get(url(name), {"updated_since": value})

        assert_error(response, 400, code="invalid", field="updated_since")


def test_cursor_pages_walk_every_record_once_in_order_of_change(integrator, account, token_client):
    touchpoints = TouchpointFactory.create_batch(5, organization=account)
    start = timezone.now() - timedelta(hours=5)
    for offset, touchpoint in enumerate(reversed(touchpoints)):
        Touchpoint.objects.filter(pk=touchpoint.pk).update(updated_at=start + timedelta(minutes=offset))
    client = token_client(integrator)

    seen, page, pages = [], client.get(url("api_touchpoints"), {"page_size": 2}).json(), 1
    seen += [row["id"] for row in page["results"]]
    while page["next"]:
        page = client.get(page["next"]).json()
        seen += [row["id"] for row in page["results"]]
        pages += 1

    assert seen == [touchpoint.pk for touchpoint in reversed(touchpoints)]
    assert pages == 3


def make_rows(resource, account, count):
    if resource == "api_organizations":
        OrganizationFactory.create_batch(count, owner=account.owner)
    elif resource == "api_stakeholders":
        StakeholderFactory.create_batch(count, organization=account)
    elif resource == "api_journeys":
        JourneyFactory.create_batch(count, organization=account)
    else:
        journey = JourneyFactory(organization=account)
        stakeholder = StakeholderFactory(organization=account)
        TouchpointFactory.create_batch(count, organization=account, journey=journey, stakeholder=stakeholder)


@pytest.mark.parametrize(
    "resource", ["api_organizations", "api_stakeholders", "api_journeys", "api_touchpoints"]
)
def test_a_list_runs_the_same_number_of_queries_for_2_or_20_rows(
    resource, owner, account, token_client, django_assert_max_num_queries
):
    client = token_client(owner)
    make_rows(resource, account, 2)
    with django_assert_max_num_queries(5) as few:
        small = client.get(url(resource))
    make_rows(resource, account, 18)
    with django_assert_max_num_queries(5) as many:
        large = client.get(url(resource))

    assert len(small.json()["results"]) < len(large.json()["results"])
    assert len(few.captured_queries) == len(many.captured_queries)


# --- Idempotency-Key ------------------------------------------------------------------------------


def test_a_replayed_post_returns_the_first_response_and_creates_one_row(desk, account, token_client):
    client = token_client(desk)
    body = touchpoint_body(account)

    first = client.post(url("api_touchpoints"), body, HTTP_IDEMPOTENCY_KEY="call-1")
    replay = client.post(url("api_touchpoints"), body, HTTP_IDEMPOTENCY_KEY="call-1")

    assert (first.status_code, replay.status_code) == (201, 201)
    assert replay.json() == first.json()
    assert replay["Idempotent-Replayed"] == "true"
    assert not first.has_header("Idempotent-Replayed")
    assert Touchpoint.objects.count() == 1
    assert JourneyEvent.objects.filter(event_type="touchpoint.created").count() == 1


def test_posts_without_a_key_are_not_deduplicated(desk, account, token_client):
    client = token_client(desk)

    client.post(url("api_touchpoints"), touchpoint_body(account))
    client.post(url("api_touchpoints"), touchpoint_body(account))

    assert Touchpoint.objects.count() == 2


def test_a_key_reused_with_another_body_is_refused(integrator, token_client):
    client = token_client(integrator)
    client.post(url("api_organizations"), {"name": "Harbour Logistics"}, HTTP_IDEMPOTENCY_KEY="k-1")

    response = client.post(url("api_organizations"), {"name": "Harbour Shipping"}, HTTP_IDEMPOTENCY_KEY="k-1")

    assert_error(response, 422, code="idempotency_key_reused", field="Idempotency-Key")
    assert list(Organization.objects.values_list("name", flat=True)) == ["Harbour Logistics"]


def test_a_failed_request_does_not_use_up_its_key(desk, account, token_client):
    client = token_client(desk)

    failed = client.post(
        url("api_touchpoints"), touchpoint_body(account, sentiment=9), HTTP_IDEMPOTENCY_KEY="c"
    )
    fixed = client.post(
        url("api_touchpoints"), touchpoint_body(account, sentiment=1), HTTP_IDEMPOTENCY_KEY="c"
    )

    assert failed.status_code == 400
    assert fixed.status_code == 201
    assert not fixed.has_header("Idempotent-Replayed")
    assert IdempotencyKey.objects.count() == 1


def test_keys_belong_to_one_user(desk, integrator, account, token_client):
    body = touchpoint_body(account)

    token_client(desk).post(url("api_touchpoints"), body, HTTP_IDEMPOTENCY_KEY="same")
    second = token_client(integrator).post(url("api_touchpoints"), body, HTTP_IDEMPOTENCY_KEY="same")

    assert second.status_code == 201
    assert not second.has_header("Idempotent-Replayed")
    assert Touchpoint.objects.count() == 2


def test_it_rejects_an_overlong_idempotency_key(desk, account, token_client):
    response = token_client(desk).post(
        url("api_touchpoints"), touchpoint_body(account), HTTP_IDEMPOTENCY_KEY="k" * 256
    )

    assert_error(response, 400, field="Idempotency-Key")
    assert not Touchpoint.objects.exists()


def test_a_replayed_move_does_not_move_twice(owner, journey, token_client):
    client = token_client(owner)

    first = client.post(url("api_journey_move", journey.pk), {"to_step": "offer"}, HTTP_IDEMPOTENCY_KEY="m")
    replay = client.post(url("api_journey_move", journey.pk), {"to_step": "offer"}, HTTP_IDEMPOTENCY_KEY="m")

    assert (first.status_code, replay.status_code) == (200, 200)
    assert replay["Idempotent-Replayed"] == "true"
    assert JourneyStepChange.objects.filter(journey=journey).count() == 2


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs concurrent connections (the PostgreSQL CI run)"
)
@pytest.mark.django_db(transaction=True)
def test_a_key_replayed_concurrently_creates_one_row(desk, account, token_client, monkeypatch):
    real_log = services.touchpoint_log

    def slow_log(**kwargs):
        # Hold the first transaction open so the second request arrives while it is still running.
        touchpoint = real_log(**kwargs)
        time.sleep(0.5)
        return touchpoint

    monkeypatch.setattr(services, "touchpoint_log", slow_log)
    clients = [token_client(desk), token_client(desk)]
    start = threading.Barrier(len(clients))
    responses = []

    def post(client):
        try:
            start.wait()
            responses.append(
                client.post(url("api_touchpoints"), touchpoint_body(account), HTTP_IDEMPOTENCY_KEY="race")
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(response.status_code for response in responses) == [201, 201]
    assert sum(response.has_header("Idempotent-Replayed") for response in responses) == 1
    assert Touchpoint.objects.count() == 1


def test_a_token_request_learns_the_users_roles_with_the_user(
    integrator, token_client, django_assert_num_queries
):
    client = token_client(integrator)

    # The token with its user and role names, then the organizations page: no separate roles query.
    with django_assert_num_queries(2):
        response = client.get("/api/v1/organizations/")

    assert response.status_code == 200


def test_an_invalid_token_is_refused_with_the_error_envelope(api_client):
    api_client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")

    response = api_client.get("/api/v1/organizations/")

    assert response.status_code in (401, 403)
    assert response.json()["error"]["message"] == "Invalid token."
