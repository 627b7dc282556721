"""The relationship API: relationships by type with incremental sync, one consumer's relationship with
its profiles and ladder, ladder steps under the ladder's rules, the reference profiles, and the
communication plans with their adherence; status codes, shapes, permissions and the error envelope."""

from datetime import timedelta

import pytest
from django.utils import timezone

from relationships.models import CommunicationPlan, LadderProgress, ServiceRelationship
from tests.factories.journeys import StakeholderFactory, TouchpointFactory
from tests.factories.relationships import (
    CommunicationPlanFactory,
    LadderProgressFactory,
    ServiceRelationshipFactory,
)

pytestmark = pytest.mark.django_db


def relationship_url(account):
    return f"/api/v1/organizations/{account.pk}/relationship/"


def ladder_url(account, step):
    return f"/api/v1/organizations/{account.pk}/relationship/ladder/{step}/"


# --- relationships ----------------------------------------------------------------------------------


def test_the_list_shows_visible_relationships_filtered_by_type_with_a_cursor(
    token_client, owner, account, other_account
):
    relationship = ServiceRelationshipFactory(organization=account, current_type="cooperative")
    LadderProgressFactory(relationship=relationship)
    ServiceRelationshipFactory(organization=other_account)

    body = token_client(owner).get("/api/v1/relationships/").json()

    assert [row["organization_name"] for row in body["results"]] == ["Rentwheel Car Hire"]
    row = body["results"][0]
    assert (row["current_type"], row["target_type"], row["ladder_done"]) == ("cooperative", "basic", 1)
    assert set(body) >= {"next", "previous", "results"}
    assert token_client(owner).get("/api/v1/relationships/?type=basic").json()["results"] == []


def test_the_list_supports_updated_since_and_rejects_a_bad_one(token_client, analyst, account):
    ServiceRelationshipFactory(organization=account)
    later = (timezone.now() + timedelta(hours=1)).isoformat().replace("+00:00", "Z")

    assert token_client(analyst).get(f"/api/v1/relationships/?updated_since={later}").json()["results"] == []
    bad = token_client(analyst).get("/api/v1/relationships/?updated_since=yesterday")
    assert bad.status_code == 400
    assert "updated_since" in bad.json()["error"]["fields"]


def test_a_consumers_relationship_comes_with_profiles_ladder_and_warnings(token_client, integrator, account):
    ServiceRelationshipFactory(organization=account, current_type="basic", target_type="partnership")

    body = token_client(integrator).get(relationship_url(account)).json()

    assert (body["recorded"], body["current_type"], body["target_type"]) == (True, "basic", "partnership")
    assert body["current_profile"]["organizational_levels"] == ["operational"]
    assert body["target_profile"]["typical_agreement_types"] == ["bespoke_contract", "outcome_based", "none"]
    assert [step["step"] for step in body["ladder"]] == [
        "create_environment",
        "build_trust",
        "understand_provider",
        "understand_needs",
        "assess_readiness",
    ]
    assert body["ladder"][4]["missing"] == ["understand_provider", "understand_needs"]
    assert body["warnings"][0].startswith("The target (partnership) is two types closer")


def test_put_and_patch_set_the_types(token_client, integrator, account):
    client = token_client(integrator)

    put = client.put(
        relationship_url(account), {"current_type": "basic", "target_type": "cooperative"}, format="json"
    )
    patch = client.patch(relationship_url(account), {"current_type": "cooperative"}, format="json")

    assert put.status_code == patch.status_code == 200
    assert (patch.json()["current_type"], patch.json()["target_type"]) == ("cooperative", "cooperative")


def test_a_put_without_both_types_or_with_an_unknown_one_is_refused_by_field(token_client, owner, account):
    client = token_client(owner)

    missing = client.put(relationship_url(account), {"current_type": "basic"}, format="json")
    unknown = client.patch(relationship_url(account), {"target_type": "closest"}, format="json")
    misspelt = client.patch(relationship_url(account), {"colour": "red"}, format="json")

    assert missing.status_code == 400
    assert list(missing.json()["error"]["fields"]) == ["target_type"]
    assert unknown.status_code == 400
    assert list(unknown.json()["error"]["fields"]) == ["target_type"]
    assert misspelt.json()["error"]["fields"] == {"colour": ["Unknown field."]}
    assert not ServiceRelationship.objects.exists()


def test_a_ladder_step_out_of_order_is_a_400_naming_status(token_client, owner, account):
    response = token_client(owner).patch(
        ladder_url(account, "build_trust"), {"status": "done"}, format="json"
    )

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "ladder_order"
    assert error["fields"]["status"] == [
        "‘Build and sustain trust and relationship’ needs ‘Create an environment for relational patterns’ "
        "done first."
    ]
    assert not LadderProgress.objects.exists()


def test_a_ladder_step_is_updated_and_evidence_alone_keeps_the_status(token_client, owner, account):
    client = token_client(owner)

    done = client.patch(ladder_url(account, "create_environment"), {"status": "done"}, format="json")
    evidence = client.patch(
        ladder_url(account, "create_environment"), {"evidence": "Round table."}, format="json"
    )

    assert done.status_code == 200
    assert done.json()["status"] == "done" and done.json()["completed_at"]
    assert (evidence.json()["status"], evidence.json()["evidence"]) == ("done", "Round table.")


def test_an_unknown_ladder_step_is_not_found(token_client, owner, account):
    response = token_client(owner).patch(ladder_url(account, "summit"), {"status": "done"}, format="json")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_the_reference_profiles_are_listed(token_client, analyst):
    body = token_client(analyst).get("/api/v1/relationship-types/").json()

    assert [profile["type"] for profile in body] == ["basic", "cooperative", "partnership"]
    assert body[2]["working_mode"] == "collaboration"
    assert body[0]["consumer"]["advantages"]


# --- communication plans ----------------------------------------------------------------------------


def test_posting_a_plan_creates_it_and_posting_again_updates_it(token_client, integrator, sponsor):
    client = token_client(integrator)
    data = {"stakeholder": sponsor.pk, "cadence_days": 30, "preferred_channel": "email", "purpose": "Review"}

    created = client.post("/api/v1/communication-plans/", data, format="json")
    updated = client.post("/api/v1/communication-plans/", {**data, "cadence_days": 14}, format="json")

    assert created.status_code == 201
    assert updated.status_code == 200
    body = updated.json()
    assert (body["cadence_days"], body["stakeholder_name"], body["organization"]) == (
        14,
        "Ana Ferreira",
        sponsor.organization_id,
    )
    assert body["adherence"]["expected_contacts"] == 1
    assert CommunicationPlan.objects.count() == 1


def test_a_plan_with_a_bad_cadence_channel_or_stakeholder_is_refused_by_field(
    token_client, owner, other_account
):
    outsiders_person = StakeholderFactory(organization=other_account)

    response = token_client(owner).post(
        "/api/v1/communication-plans/",
        {"stakeholder": outsiders_person.pk, "cadence_days": 10, "preferred_channel": "pigeon"},
        format="json",
    )

    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"stakeholder", "cadence_days", "preferred_channel"}
    assert not CommunicationPlan.objects.exists()


def test_a_plan_is_read_with_its_adherence_changed_and_removed(token_client, owner, account, sponsor):
    plan = CommunicationPlanFactory(stakeholder=sponsor, starts_on=timezone.localdate() - timedelta(days=60))
    TouchpointFactory(
        organization=account, stakeholder=sponsor, occurred_at=timezone.now() - timedelta(days=3)
    )
    client = token_client(owner)
    url = f"/api/v1/communication-plans/{plan.pk}/"

    read = client.get(url).json()
    changed = client.patch(url, {"preferred_channel": "video_call"}, format="json")
    removed = client.delete(url)

    assert (
        read["adherence"]["contacts"],
        read["adherence"]["expected_contacts"],
        read["adherence"]["adherence"],
    ) == (
        1,
        2,
        0.5,
    )
    assert read["adherence"]["overdue"] is False
    assert changed.status_code == 200
    assert (changed.json()["preferred_channel"], changed.json()["cadence_days"]) == ("video_call", 30)
    assert removed.status_code == 204
    assert not CommunicationPlan.objects.exists()


def test_the_plan_list_filters_by_organization_and_overdue(
    token_client, analyst, account, other_account, sponsor
):
    CommunicationPlanFactory(
        stakeholder=sponsor, cadence_days=7, starts_on=timezone.localdate() - timedelta(days=30)
    )
    CommunicationPlanFactory(stakeholder=StakeholderFactory(organization=other_account))
    client = token_client(analyst)

    mine = client.get(f"/api/v1/communication-plans/?organization={account.pk}").json()["results"]
    overdue = client.get("/api/v1/communication-plans/?overdue=true").json()["results"]

    assert [plan["stakeholder_name"] for plan in mine] == ["Ana Ferreira"]
    assert [plan["stakeholder"] for plan in overdue] == [sponsor.pk]


# --- permissions ------------------------------------------------------------------------------------


def test_an_outsider_gets_404_everywhere_on_another_teams_account(token_client, outsider, account, sponsor):
    plan = CommunicationPlanFactory(stakeholder=sponsor)
    client = token_client(outsider)

    assert client.get(relationship_url(account)).status_code == 404
    assert (
        client.put(
            relationship_url(account), {"current_type": "basic", "target_type": "basic"}, format="json"
        ).status_code
        == 404
    )
    assert (
        client.patch(ladder_url(account, "create_environment"), {"status": "done"}, format="json").status_code
        == 404
    )
    assert client.get(f"/api/v1/communication-plans/{plan.pk}/").status_code == 404
    assert client.get("/api/v1/communication-plans/").json()["results"] == []


@pytest.mark.parametrize("persona", ["desk", "analyst"])
def test_read_only_roles_read_but_get_403_with_the_envelope_on_writes(
    request, token_client, account, sponsor, persona
):
    plan = CommunicationPlanFactory(stakeholder=sponsor)
    client = token_client(request.getfixturevalue(persona))

    assert client.get(relationship_url(account)).status_code == 200
    writes = [
        client.patch(ladder_url(account, "create_environment"), {"status": "done"}, format="json"),
        client.patch(relationship_url(account), {"current_type": "cooperative"}, format="json"),
        client.delete(f"/api/v1/communication-plans/{plan.pk}/"),
    ]
    assert [response.status_code for response in writes] == [403, 403, 403]
    assert writes[0].json()["error"]["code"] == "permission_denied"
    assert CommunicationPlan.objects.exists()


def test_anonymous_clients_are_refused(api_client, account):
    assert api_client.get(relationship_url(account)).status_code in (401, 403)
    assert api_client.get("/api/v1/relationship-types/").status_code in (401, 403)
