"""Personas and scenarios in the journey spine: who may shape them, the rules every write checks (names
unique whatever their case, choices, lengths) and the reads every step's pages build on."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from journeys import selectors, services
from journeys.base import ApplicationError
from journeys.models import Persona, Scenario
from tests.factories.journeys import UserFactory
from tests.factories.personas import PersonaFactory, ScenarioFactory

pytestmark = pytest.mark.django_db


# --- personas -------------------------------------------------------------------------------------


def test_a_relationship_manager_describes_a_persona_and_owns_it(owner):
    persona = services.persona_create(
        actor=owner,
        name="  Practice manager Orla ",
        job_title="Practice manager",
        consumer_role="customer",
        preferred_channel="email",
        quote="Just tell me when it will be fixed.",
    )

    persona.refresh_from_db()
    assert persona.name == "Practice manager Orla"
    assert (persona.consumer_role, persona.preferred_channel, persona.owner) == ("customer", "email", owner)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": "  "}, "name"),
        ({"name": "Orla", "consumer_role": "boss"}, "consumer_role"),
        ({"name": "Orla", "preferred_channel": "pigeon"}, "preferred_channel"),
        ({"name": "Orla", "quote": "x" * 241}, "quote"),
        ({"name": "Orla", "hobby": "sailing"}, "hobby"),
    ],
)
def test_bad_persona_input_names_the_field_and_saves_nothing(administrator, fields, field):
    with pytest.raises(ApplicationError) as caught:
        services.persona_create(actor=administrator, **fields)

    assert field in caught.value.fields
    assert not Persona.objects.exists()


def test_a_second_persona_of_the_same_name_in_another_case_is_a_conflict(owner):
    PersonaFactory(name="Practice manager Orla")

    with pytest.raises(ApplicationError) as caught:
        services.persona_create(actor=owner, name="PRACTICE MANAGER ORLA")

    assert (caught.value.code, caught.value.status) == ("duplicate", 409)
    assert "already called" in caught.value.fields["name"][0]
    assert Persona.objects.count() == 1


@pytest.mark.parametrize("reader", ["desk", "analyst"])
def test_readers_may_not_write_personas(request, reader):
    actor = request.getfixturevalue(reader)
    persona = PersonaFactory(name="Orla")

    with pytest.raises(PermissionDenied):
        services.persona_create(actor=actor, name="Fleet manager Femi")
    with pytest.raises(PermissionDenied):
        services.persona_update(actor=actor, persona=persona, name="Renamed")
    with pytest.raises(PermissionDenied):
        services.persona_delete(actor=actor, persona=persona)
    with pytest.raises(PermissionDenied):
        services.scenario_create(actor=actor, persona=persona, title="A story")

    assert list(Persona.objects.values_list("name", flat=True)) == ["Orla"]


def test_integrators_may_write_personas(integrator):
    assert services.persona_create(actor=integrator, name="Fleet manager Femi").pk


def test_updating_keeps_what_was_not_given_and_may_keep_its_own_name_in_another_case(owner):
    persona = PersonaFactory(name="Orla", goals="Fewer surprises")

    services.persona_update(actor=owner, persona=persona, name="ORLA", needs="A named contact")

    persona.refresh_from_db()
    assert (persona.name, persona.goals, persona.needs) == ("ORLA", "Fewer surprises", "A named contact")


def test_unchanged_input_writes_nothing(owner):
    persona = PersonaFactory(name="Orla")
    before = persona.updated_at

    services.persona_update(actor=owner, persona=persona, name="Orla")

    persona.refresh_from_db()
    assert persona.updated_at == before


def test_renaming_onto_another_persona_is_refused(owner):
    PersonaFactory(name="Femi")
    persona = PersonaFactory(name="Orla")

    with pytest.raises(ApplicationError) as caught:
        services.persona_update(actor=owner, persona=persona, name="femi")

    assert caught.value.status == 409
    persona.refresh_from_db()
    assert persona.name == "Orla"


def test_deleting_a_persona_takes_its_scenarios_along(owner):
    persona = ScenarioFactory().persona

    services.persona_delete(actor=owner, persona=persona)

    assert not Persona.objects.exists()
    assert not Scenario.objects.exists()


# --- scenarios ------------------------------------------------------------------------------------


def test_a_scenario_is_written_for_a_persona(owner):
    persona = PersonaFactory()

    scenario = services.scenario_create(
        actor=owner,
        persona=persona,
        title=" New starter on Monday ",
        journey_step="onboard",
        goal="Laptop ready",
    )

    assert (scenario.title, scenario.journey_step, scenario.persona) == (
        "New starter on Monday",
        "onboard",
        persona,
    )


def test_scenario_titles_are_unique_per_persona_only(owner):
    first, second = PersonaFactory(), PersonaFactory()
    services.scenario_create(actor=owner, persona=first, title="Password reset")

    services.scenario_create(actor=owner, persona=second, title="password reset")
    with pytest.raises(ApplicationError) as caught:
        services.scenario_create(actor=owner, persona=first, title="PASSWORD RESET")

    assert caught.value.status == 409 and "title" in caught.value.fields
    assert Scenario.objects.count() == 2


@pytest.mark.parametrize(
    ("fields", "field"), [({"title": ""}, "title"), ({"journey_step": "dream"}, "journey_step")]
)
def test_bad_scenario_input_names_the_field(owner, fields, field):
    persona = PersonaFactory()

    with pytest.raises(ApplicationError) as caught:
        services.scenario_create(actor=owner, persona=persona, **({"title": "A story"} | fields))

    assert field in caught.value.fields
    assert not Scenario.objects.exists()


def test_a_scenario_is_updated_and_deleted(owner):
    scenario = ScenarioFactory(title="Old")

    services.scenario_update(actor=owner, scenario=scenario, title="New", journey_step="")
    scenario.refresh_from_db()
    assert (scenario.title, scenario.journey_step) == ("New", "")

    services.scenario_delete(actor=owner, scenario=scenario)
    assert not Scenario.objects.exists()


# --- reads ----------------------------------------------------------------------------------------


def test_every_role_reads_every_persona_with_its_scenario_count(request):
    orla = PersonaFactory(name="Orla")
    ScenarioFactory.create_batch(2, persona=orla)
    PersonaFactory(name="Femi")

    for role in ("owner", "outsider", "desk", "analyst", "integrator"):
        rows = selectors.persona_list(user=request.getfixturevalue(role))
        assert [(p.name, p.scenario_count) for p in rows] == [("Femi", 0), ("Orla", 2)]


def test_a_user_without_a_role_reads_no_persona():
    PersonaFactory()

    assert not selectors.persona_list(user=UserFactory(username="nobody")).exists()


@pytest.mark.parametrize("size", [1, 15])
def test_the_persona_list_is_one_query(analyst, size, django_assert_num_queries):
    for _ in range(size):
        ScenarioFactory.create_batch(2, persona=PersonaFactory())
    selectors.persona_list(user=analyst).exists()  # the roles are loaded once per request

    with django_assert_num_queries(1):
        assert len(list(selectors.persona_list(user=analyst))) == size


def test_scenarios_come_in_journey_order_with_stories_without_a_step_last(analyst):
    persona = PersonaFactory()
    for title, step in [
        ("Z", "explore"),
        ("Loose", ""),
        ("Renewal", "realize"),
        ("A", "explore"),
        ("SLA", "agree"),
    ]:
        ScenarioFactory(persona=persona, title=title, journey_step=step)

    titles = [s.title for s in selectors.scenario_list_for_persona(user=analyst, persona=persona)]

    assert titles == ["A", "Z", "SLA", "Renewal", "Loose"]


def test_a_scenario_is_not_found_under_another_persona(analyst):
    scenario = ScenarioFactory()
    other = PersonaFactory()

    assert selectors.scenario_get(user=analyst, pk=scenario.pk, persona=scenario.persona) == scenario
    with pytest.raises(Http404):
        selectors.scenario_get(user=analyst, pk=scenario.pk, persona=other)
    with pytest.raises(Http404):
        selectors.persona_get(user=analyst, pk=other.pk + 100)
