"""The assessments API: list with filters and incremental sync, record with every answer (errors name
`answers.<item>` in the one envelope, nothing saved), read with answers and computed results, delete,
the reference questionnaires and an account's assessment plan; who may read and write what."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from relationships.models import Assessment, AssessmentDirection, AssessmentKind, RelationshipType
from tests.factories.assessments import AssessmentFactory, ServiceRelationshipFactory, answers_for, record

pytestmark = pytest.mark.django_db

TRUST, MATURITY = AssessmentKind.TRUST, AssessmentKind.MATURITY
COLLABORATION, CHANGE = AssessmentKind.COLLABORATION_READINESS, AssessmentKind.CHANGE_READINESS
OF_PROVIDER, OF_CONSUMER = AssessmentDirection.PROVIDER_BY_CONSUMER, AssessmentDirection.CONSUMER_BY_PROVIDER
ASSESSMENT_KEYS = {
    "id",
    "organization",
    "kind",
    "direction",
    "assessed_on",
    "assessed_by",
    "respondent",
    "notes",
    "score",
    "consumer_level",
    "provider_level",
    "created_at",
    "updated_at",
}


def url(name: str, *args) -> str:
    return reverse(name, args=args)


def assert_error(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert set(error) == {"code", "message", "fields"}
    if code:
        assert error["code"] == code
    return error


def body(account, kind, direction=None, **overrides) -> dict:
    data = {"organization": account.pk, "kind": kind, "answers": answers_for(kind, direction, **overrides)}
    return data | ({"direction": direction} if direction else {})


# --- recording ------------------------------------------------------------------------------------


def test_it_records_an_assessment_and_answers_with_its_results(integrator, account, token_client):
    response = token_client(integrator).post(
        url("api_assessments"), body(account, MATURITY, demand_innovation_growth=0), format="json"
    )

    assert response.status_code == 201, response.content
    data = response.json()
    assert set(data) == ASSESSMENT_KEYS | {"answers", "result"}
    assert data["organization"] == account.pk
    assert (data["consumer_level"], data["provider_level"], data["score"]) == (2, 3, "2.00")
    assert len(data["answers"]) == 19
    assert {"factor": "consumer_partnership", "item": "demand_innovation_growth", "value": 0} in data[
        "answers"
    ]
    result = data["result"]
    assert (result["gap"], result["gap_warning"], result["is_ready"]) == (1, True, None)
    assert result["factors"][0] == {
        "code": "consumer_basic",
        "label": "Demand at the basic level",
        "mean": "1.00",
        "items": 3,
        "total": 3,
        "side": "consumer",
        "level": 1,
    }


def test_a_trust_assessment_comes_back_with_its_factor_scores(owner, account, token_client):
    response = token_client(owner).post(
        url("api_assessments"), body(account, TRUST, OF_CONSUMER, consumer_agility=1), format="json"
    )

    result = response.json()["result"]
    assert response.status_code == 201
    assert [factor["mean"] for factor in result["factors"]] == ["1.00", "4.00", "4.00"]
    assert result["score"] == "3.00"


def test_a_bad_answer_is_named_in_the_envelope_and_nothing_is_saved(owner, account, token_client):
    data = body(account, CHANGE, resistance_low=7)
    del data["answers"]["vision_clear"]

    response = token_client(owner).post(url("api_assessments"), data, format="json")

    error = assert_error(response, 400, code="invalid")
    assert set(error["fields"]) == {"answers.resistance_low", "answers.vision_clear"}
    assert "1 to 5" in error["fields"]["answers.resistance_low"][0]
    assert not Assessment.objects.exists()


def test_an_answer_that_is_not_a_number_is_named_by_its_item(owner, account, token_client):
    response = token_client(owner).post(
        url("api_assessments"), body(account, CHANGE, resistance_low="lots"), format="json"
    )

    error = assert_error(response, 400)
    assert list(error["fields"]) == ["answers.resistance_low"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"direction": None}, "direction"),
        ({"assessed_on": "2999-01-01"}, "assessed_on"),
        ({"kind": "vibes"}, "kind"),
        ({"mood": "good"}, "mood"),
    ],
)
def test_bad_fields_are_named(owner, account, token_client, change, field):
    data = body(account, TRUST, OF_PROVIDER) | change

    error = assert_error(token_client(owner).post(url("api_assessments"), data, format="json"), 400)

    assert field in error["fields"]
    assert not Assessment.objects.exists()


def test_a_direction_is_refused_for_readiness(owner, account, token_client):
    data = body(account, COLLABORATION) | {"direction": OF_PROVIDER}

    error = assert_error(token_client(owner).post(url("api_assessments"), data, format="json"), 400)

    assert list(error["fields"]) == ["direction"]


def test_an_outsider_may_not_name_an_account_it_cannot_see(outsider, account, token_client):
    error = assert_error(
        token_client(outsider).post(url("api_assessments"), body(account, CHANGE), format="json"), 400
    )

    assert "organization" in error["fields"]


@pytest.mark.parametrize("persona", ["desk", "analyst"])
def test_read_only_roles_may_not_record(persona, account, token_client, request):
    client = token_client(request.getfixturevalue(persona))

    assert_error(client.post(url("api_assessments"), body(account, CHANGE), format="json"), 403)
    assert not Assessment.objects.exists()


def test_a_replayed_idempotency_key_records_once(owner, account, token_client):
    client = token_client(owner)
    first = client.post(
        url("api_assessments"), body(account, CHANGE), format="json", HTTP_IDEMPOTENCY_KEY="k-1"
    )
    second = client.post(
        url("api_assessments"), body(account, CHANGE), format="json", HTTP_IDEMPOTENCY_KEY="k-1"
    )

    assert (first.status_code, second.status_code) == (201, 201)
    assert second.headers["Idempotent-Replayed"] == "true"
    assert Assessment.objects.count() == 1


# --- reading --------------------------------------------------------------------------------------


def test_it_lists_the_visible_assessments_filtered_by_organization_kind_and_direction(
    owner, outsider, account, other_account, token_client
):
    record(actor=owner, organization=account, kind=TRUST, direction=OF_PROVIDER)
    record(actor=owner, organization=account, kind=TRUST, direction=OF_CONSUMER)
    record(actor=owner, organization=account, kind=CHANGE)
    record(actor=outsider, organization=other_account, kind=CHANGE)
    client = token_client(owner)

    everything = client.get(url("api_assessments")).json()["results"]
    trust_of_consumer = client.get(url("api_assessments"), {"kind": TRUST, "direction": OF_CONSUMER}).json()

    assert len(everything) == 3
    assert set(everything[0]) == ASSESSMENT_KEYS
    assert [row["direction"] for row in trust_of_consumer["results"]] == [OF_CONSUMER]
    assert client.get(url("api_assessments"), {"organization": other_account.pk}).json()["results"] == []
    assert len(token_client(outsider).get(url("api_assessments")).json()["results"]) == 1


def test_the_list_supports_incremental_sync(owner, account, token_client):
    old = record(actor=owner, organization=account, kind=CHANGE)
    Assessment.objects.filter(pk=old.pk).update(updated_at=timezone.now() - timedelta(days=3))
    new = record(actor=owner, organization=account, kind=MATURITY)
    since = (timezone.now() - timedelta(days=1)).isoformat().replace("+00:00", "Z")

    response = token_client(owner).get(url("api_assessments"), {"updated_since": since})

    assert [row["id"] for row in response.json()["results"]] == [new.pk]
    assert_error(token_client(owner).get(url("api_assessments"), {"updated_since": "yesterday"}), 400)


def test_one_assessment_comes_with_answers_and_results_and_is_hidden_from_outsiders(
    owner, outsider, analyst, account, token_client
):
    assessment = record(actor=owner, organization=account, kind=COLLABORATION, management_support=2)

    data = token_client(analyst).get(url("api_assessment", assessment.pk)).json()

    assert data["result"]["is_ready"] is False
    assert data["result"]["not_ready"] == ["stakeholder_engagement"]
    assert len(data["answers"]) == 11
    assert_error(token_client(outsider).get(url("api_assessment", assessment.pk)), 404, code="not_found")


def test_anonymous_clients_are_refused_with_the_envelope(account):
    assert_error(APIClient().get(url("api_assessments")), 401)


# --- deleting -------------------------------------------------------------------------------------


def test_it_deletes_an_assessment(owner, account, token_client):
    assessment = record(actor=owner, organization=account, kind=CHANGE)

    response = token_client(owner).delete(url("api_assessment", assessment.pk))

    assert response.status_code == 204
    assert not Assessment.objects.exists()


def test_deleting_is_refused_to_readers_and_outsiders(owner, outsider, analyst, desk, account, token_client):
    assessment = record(actor=owner, organization=account, kind=CHANGE)

    assert_error(token_client(outsider).delete(url("api_assessment", assessment.pk)), 404)
    assert_error(token_client(analyst).delete(url("api_assessment", assessment.pk)), 403)
    assert_error(token_client(desk).delete(url("api_assessment", assessment.pk)), 403)
    assert Assessment.objects.count() == 1


# --- reference data and plan ----------------------------------------------------------------------


def test_the_questionnaires_and_relevance_table_are_published(analyst, token_client):
    data = token_client(analyst).get(url("api_assessment_questionnaires")).json()

    assert [(q["kind"], q["direction"]) for q in data["questionnaires"]] == [
        (TRUST, OF_PROVIDER),
        (TRUST, OF_CONSUMER),
        (MATURITY, "mutual"),
        (COLLABORATION, "mutual"),
        (CHANGE, "mutual"),
    ]
    maturity = data["questionnaires"][2]
    assert (maturity["scale"], maturity["allowed_values"]) == ("checklist", [0, 1])
    assert maturity["factors"][0]["items"][0] == {
        "code": "demand_transaction_automation",
        "text": "They ask us to automate individual transactions.",
    }
    assert data["relevance"]["partnership"] == {
        "trust": "crucial",
        "maturity": "minor",
        "collaboration_readiness": "crucial",
        "change_readiness": "crucial",
    }
    assert data["rating_labels"]["5"] == "Strongly agree"


def test_the_plan_says_what_the_relationship_type_calls_for_and_what_is_missing(
    owner, outsider, account, token_client
):
    relationship = ServiceRelationshipFactory(organization=account, current_type=RelationshipType.PARTNERSHIP)
    trust = AssessmentFactory(relationship=relationship, kind=TRUST, direction=OF_PROVIDER, score=4)

    data = token_client(owner).get(url("api_assessment_plan", account.pk)).json()

    assert (data["organization"], data["relationship_type"], data["has_relationship"]) == (
        account.pk,
        "partnership",
        True,
    )
    entries = {entry["kind"]: entry for entry in data["entries"]}
    assert entries["trust"]["status"] == "missing"
    assert entries["trust"]["missing_directions"] == [OF_CONSUMER]
    assert entries["trust"]["latest"]["id"] == trust.pk
    assert entries["trust"]["latest"]["score"] == "4.00"
    assert [row["direction"] for row in entries["trust"]["latest_by_direction"]] == [OF_PROVIDER]
    assert (entries["maturity"]["relevance"], entries["maturity"]["status"]) == ("minor", "optional")
    assert entries["change_readiness"]["latest"] is None
    assert_error(token_client(outsider).get(url("api_assessment_plan", account.pk)), 404)
