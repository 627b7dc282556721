"""The persona, scenario and job-to-be-done API under /api/v1/: status, shape, who may write, the error
envelope naming the field, incremental sync and idempotent POSTs."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from exploration.models import JobToBeDone
from journeys.models import Persona, Scenario
from tests.factories.exploration import MarketSegmentFactory
from tests.factories.personas import JobToBeDoneFactory, PersonaFactory, ScenarioFactory

pytestmark = pytest.mark.django_db

PERSONA_KEYS = {
    "id", "name", "consumer_role", "job_title", "summary", "goals", "pain_points", "needs",
    "preferred_channel", "quote", "owner", "created_at", "updated_at",
}  # fmt: skip
SCENARIO_KEYS = {
    "id", "persona", "title", "journey_step", "situation", "goal", "narrative", "expected_outcome",
    "created_at", "updated_at",
}  # fmt: skip
JOB_KEYS = {
    "id", "persona", "segment", "job", "situation", "desired_outcome", "importance", "satisfaction",
    "opportunity", "owner", "created_at", "updated_at",
}  # fmt: skip


def url(name, *args):
    return reverse(name, args=args)


def assert_error(response, status, code=None, field=None):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "fields"}
    if code is not None:
        assert body["error"]["code"] == code
    if field is not None:
        assert field in body["error"]["fields"], body
    return body["error"]


def ids(response):
    return [row["id"] for row in response.json()["results"]]


# --- personas -------------------------------------------------------------------------------------


def test_every_role_lists_every_persona(request, token_client):
    orla = PersonaFactory(name="Orla")
    for role in ("owner", "outsider", "desk", "analyst", "integrator"):
        response = token_client(request.getfixturevalue(role)).get(url("api_personas"))
        assert response.status_code == 200
        assert ids(response) == [orla.pk]
        assert set(response.json()["results"][0]) == PERSONA_KEYS


def test_an_integrator_describes_a_persona(integrator, token_client):
    response = token_client(integrator).post(
        url("api_personas"),
        {"name": "Fleet manager Femi", "consumer_role": "customer", "preferred_channel": "chat"},
    )

    assert response.status_code == 201, response.content
    assert set(response.json()) == PERSONA_KEYS
    persona = Persona.objects.get()
    assert (persona.name, persona.preferred_channel, persona.owner) == (
        "Fleet manager Femi",
        "chat",
        integrator,
    )


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "Femi", "consumer_role": "boss"}, "consumer_role"),
        ({"name": "Femi", "hobby": "sailing"}, "hobby"),
        ({}, "name"),
    ],
)
def test_bad_persona_input_is_a_400_naming_the_field(owner, token_client, body, field):
    assert_error(token_client(owner).post(url("api_personas"), body), 400, code="invalid", field=field)
    assert not Persona.objects.exists()


def test_a_duplicate_persona_name_is_a_409(owner, token_client):
    PersonaFactory(name="Orla")

    assert_error(
        token_client(owner).post(url("api_personas"), {"name": "ORLA"}), 409, code="duplicate", field="name"
    )


@pytest.mark.parametrize(("reader", "status"), [("desk", 403), ("analyst", 403)])
def test_readers_may_not_write_personas(request, token_client, reader, status):
    persona = PersonaFactory(name="Orla")
    client = token_client(request.getfixturevalue(reader))

    assert_error(client.post(url("api_personas"), {"name": "Femi"}), status)
    assert_error(client.patch(url("api_persona", persona.pk), {"name": "X"}), status)
    assert_error(client.delete(url("api_persona", persona.pk)), status)
    assert list(Persona.objects.values_list("name", flat=True)) == ["Orla"]


def test_a_persona_is_read_patched_and_deleted(owner, token_client):
    persona = PersonaFactory(name="Orla", goals="On time")
    client = token_client(owner)

    assert client.get(url("api_persona", persona.pk)).json()["goals"] == "On time"
    response = client.patch(url("api_persona", persona.pk), {"needs": "A named engineer"})
    assert response.status_code == 200
    assert (response.json()["name"], response.json()["needs"]) == ("Orla", "A named engineer")
    assert client.delete(url("api_persona", persona.pk)).status_code == 204
    assert_error(client.get(url("api_persona", persona.pk)), 404, code="not_found")


def test_personas_sync_incrementally(integrator, token_client):
    old = PersonaFactory(name="Old")
    Persona.objects.filter(pk=old.pk).update(updated_at=timezone.now() - timedelta(days=3))
    new = PersonaFactory(name="New")
    since = (timezone.now() - timedelta(days=1)).isoformat().replace("+00:00", "Z")

    response = token_client(integrator).get(url("api_personas"), {"updated_since": since})

    assert ids(response) == [new.pk]
    assert_error(
        token_client(integrator).get(url("api_personas"), {"updated_since": "yesterday"}),
        400,
        field="updated_since",
    )


def test_posting_a_persona_twice_with_the_same_key_creates_one(owner, token_client):
    client = token_client(owner)

    first = client.post(url("api_personas"), {"name": "Femi"}, HTTP_IDEMPOTENCY_KEY="persona-1")
    again = client.post(url("api_personas"), {"name": "Femi"}, HTTP_IDEMPOTENCY_KEY="persona-1")

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert Persona.objects.count() == 1


# --- scenarios ------------------------------------------------------------------------------------


def test_a_persona_lists_and_gets_its_scenarios(analyst, token_client):
    scenario = ScenarioFactory()
    ScenarioFactory()  # another persona's
    client = token_client(analyst)

    response = client.get(url("api_persona_scenarios", scenario.persona_id))

    assert ids(response) == [scenario.pk]
    assert set(response.json()["results"][0]) == SCENARIO_KEYS
    assert client.get(url("api_scenario", scenario.pk)).json()["persona"] == scenario.persona_id
    assert_error(client.get(url("api_persona_scenarios", 999)), 404)


def test_a_scenario_is_written_patched_and_deleted(owner, token_client):
    persona = PersonaFactory()
    client = token_client(owner)

    created = client.post(
        url("api_persona_scenarios", persona.pk), {"title": "Clinic opens", "journey_step": "co_create"}
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    patched = client.patch(url("api_scenario", pk), {"journey_step": ""})
    assert (patched.status_code, patched.json()["journey_step"], patched.json()["title"]) == (
        200,
        "",
        "Clinic opens",
    )
    assert client.delete(url("api_scenario", pk)).status_code == 204
    assert not Scenario.objects.exists()


def test_bad_scenario_input_names_the_field(owner, token_client):
    persona = PersonaFactory()
    ScenarioFactory(persona=persona, title="Taken")
    client = token_client(owner)

    assert_error(
        client.post(url("api_persona_scenarios", persona.pk), {"title": "x", "journey_step": "dream"}),
        400,
        field="journey_step",
    )
    assert_error(
        client.post(url("api_persona_scenarios", persona.pk), {"title": "TAKEN"}), 409, field="title"
    )
    assert persona.scenarios.count() == 1


def test_the_desk_may_not_write_scenarios(desk, token_client):
    scenario = ScenarioFactory()

    assert_error(
        token_client(desk).post(url("api_persona_scenarios", scenario.persona_id), {"title": "x"}), 403
    )
    assert_error(token_client(desk).delete(url("api_scenario", scenario.pk)), 403)
    assert Scenario.objects.count() == 1


# --- jobs to be done ------------------------------------------------------------------------------


def test_a_job_is_recorded_with_its_opportunity(integrator, token_client):
    persona, segment = PersonaFactory(), MarketSegmentFactory()

    response = token_client(integrator).post(
        url("api_jobs_to_be_done"),
        {
            "job": "Pass the audit",
            "persona": persona.pk,
            "segment": segment.pk,
            "importance": 5,
            "satisfaction": 2,
        },
    )

    assert response.status_code == 201, response.content
    assert set(response.json()) == JOB_KEYS
    assert (response.json()["opportunity"], response.json()["segment"]) == (8, segment.pk)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"job": "x"}, "persona"),
        ({"job": "x", "persona": 999}, "persona"),
        ({"job": "x", "segment": 999}, "segment"),
        ({"job": "x", "persona": "PERSONA", "importance": 6}, "importance"),
        ({"job": "x", "persona": "PERSONA", "satisfaction": 0}, "satisfaction"),
        ({"persona": "PERSONA"}, "job"),
    ],
)
def test_bad_job_input_is_a_400_naming_the_field(owner, token_client, body, field):
    persona = PersonaFactory()
    body = {key: persona.pk if value == "PERSONA" else value for key, value in body.items()}

    assert_error(token_client(owner).post(url("api_jobs_to_be_done"), body), 400, field=field)
    assert not JobToBeDone.objects.exists()


def test_jobs_are_filtered_by_persona_and_segment(analyst, token_client):
    segment = MarketSegmentFactory()
    mine = JobToBeDoneFactory(segment=segment)
    other = JobToBeDoneFactory()
    client = token_client(analyst)

    assert ids(client.get(url("api_jobs_to_be_done"), {"segment": segment.pk})) == [mine.pk]
    assert ids(client.get(url("api_jobs_to_be_done"), {"persona": other.persona_id})) == [other.pk]


def test_a_job_is_patched_and_deleted(owner, token_client):
    job = JobToBeDoneFactory(importance=3, satisfaction=3)
    client = token_client(owner)

    response = client.patch(url("api_job_to_be_done", job.pk), {"importance": 5, "satisfaction": 1})
    assert (response.status_code, response.json()["opportunity"]) == (200, 9)
    assert_error(client.patch(url("api_job_to_be_done", job.pk), {"persona": None}), 400, field="persona")
    assert client.delete(url("api_job_to_be_done", job.pk)).status_code == 204
    assert not JobToBeDone.objects.exists()


def test_the_analyst_may_not_write_jobs(analyst, token_client):
    job = JobToBeDoneFactory()

    assert_error(token_client(analyst).patch(url("api_job_to_be_done", job.pk), {"importance": 5}), 403)
    job.refresh_from_db()
    assert job.importance == 3


@pytest.mark.parametrize("size", [2, 20])
def test_the_job_list_costs_the_same_queries_at_any_size(
    integrator, token_client, size, django_assert_num_queries
):
    JobToBeDoneFactory.create_batch(size)
    client = token_client(integrator)

    with django_assert_num_queries(2):  # the token with its user and roles, the page of jobs
        assert len(ids(client.get(url("api_jobs_to_be_done")))) == size
