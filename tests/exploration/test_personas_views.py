"""The persona, scenario and job-to-be-done pages as a user sees them: the list with its figures, the
profile card with scenarios by journey step, jobs ranked by opportunity, the forms with their errors,
and who may open or change what."""

import re

import pytest
from django.urls import reverse

from exploration.models import JobToBeDone
from journeys.models import Persona, Scenario
from tests.factories.exploration import MarketSegmentFactory
from tests.factories.personas import JobToBeDoneFactory, PersonaFactory, ScenarioFactory
from tests.helpers import HX, text_of

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"exploration:{name}", args=args)


def field_error(response, field: str) -> str:
    found = re.search(
        rf'<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', response.content.decode(), re.S
    )
    return text_of(found.group(1)) if found else ""


@pytest.fixture
def orla():
    persona = PersonaFactory(
        name="Practice manager Orla",
        job_title="Practice manager, dental clinic",
        consumer_role="customer",
        preferred_channel="telephone",
        goals="Surgeries that open on time",
        pain_points="Waiting on hold to report the same fault twice",
        needs="One number that knows her clinic",
        quote="I don't want to understand it, I want it working.",
    )
    ScenarioFactory(persona=persona, title="Card reader down at 8:55", journey_step="co_create")
    ScenarioFactory(persona=persona, title="Comparing support offers", journey_step="explore")
    ScenarioFactory(persona=persona, title="Annual review", journey_step="")
    return persona


# --- the list -------------------------------------------------------------------------------------


def test_the_list_shows_each_persona_with_its_figures(as_user, analyst, orla):
    JobToBeDoneFactory.create_batch(2, persona=orla)
    MarketSegmentFactory().personas.add(orla)

    response = as_user(analyst).get(url("persona_list"))

    text = text_of(response.content.decode())
    assert response.status_code == 200
    assert "Practice manager Orla Practice manager, dental clinic Customer Telephone 3 2 1" in text
    assert url("persona_create") not in response.content.decode()


def test_the_explore_pages_link_to_each_other(as_user, owner):
    for page in ("market_segment_list", "pareto_analysis", "persona_list", "job_list"):
        html = as_user(owner).get(url(page)).content.decode()
        nav = re.search(r'<nav aria-label="Explore tools".*?</nav>', html, re.S).group(0)
        for other in ("market_segment_list", "pareto_analysis", "persona_list", "job_list"):
            assert f'href="{url(other)}"' in nav
        assert nav.count('aria-current="page"') == 1


@pytest.mark.parametrize("size", [1, 12])
def test_the_list_costs_the_same_queries_at_any_size(as_user, analyst, size, django_assert_num_queries):
    for _ in range(size):
        persona = PersonaFactory()
        ScenarioFactory(persona=persona)
        JobToBeDoneFactory(persona=persona)
    client = as_user(analyst)

    with django_assert_num_queries(3):  # session, user with roles, personas with their figures
        assert client.get(url("persona_list")).status_code == 200


# --- the profile ----------------------------------------------------------------------------------


def test_the_profile_shows_the_card_scenarios_by_step_jobs_by_opportunity_and_segments(as_user, desk, orla):
    JobToBeDoneFactory(persona=orla, job="Report a fault once", importance=5, satisfaction=2)  # 8
    JobToBeDoneFactory(persona=orla, job="Know the bill in advance", importance=3, satisfaction=3)  # 3
    MarketSegmentFactory(name="Dental and medical practices").personas.add(orla)

    response = as_user(desk).get(url("persona_detail", orla.pk))

    text = text_of(response.content.decode())
    assert response.status_code == 200
    assert "“I don't want to understand it, I want it working.”" in text
    assert "Preferred channel Telephone" in text
    assert "Pain points Waiting on hold to report the same fault twice" in text
    assert re.search(
        r"Scenarios \(3\) Explore Comparing support offers.* Co-create Card reader down at 8:55.* "
        r"Not tied to one step Annual review",
        text,
    )
    assert "1 Report a fault once — 5 2 8 2 Know the bill in advance — 3 3 3" in text
    assert "Dental and medical practices" in text
    assert url("persona_edit", orla.pk) not in response.content.decode()


@pytest.mark.parametrize("size", [1, 10])
def test_the_profile_costs_the_same_queries_at_any_size(as_user, analyst, size, django_assert_num_queries):
    persona = PersonaFactory()
    for _ in range(size):
        ScenarioFactory(persona=persona)
        JobToBeDoneFactory(persona=persona, segment=MarketSegmentFactory())
        MarketSegmentFactory().personas.add(persona)
    client = as_user(analyst)

    with django_assert_num_queries(6):  # session, user, persona, scenarios, jobs, segments
        assert client.get(url("persona_detail", persona.pk)).status_code == 200


def test_a_missing_persona_is_not_found(as_user, owner):
    assert as_user(owner).get(url("persona_detail", 999)).status_code == 404


# --- persona forms --------------------------------------------------------------------------------


def test_creating_a_persona_goes_to_its_profile(as_user, owner):
    response = as_user(owner).post(
        url("persona_create"),
        {"name": "Fleet manager Femi", "consumer_role": "customer", "preferred_channel": ""},
    )

    persona = Persona.objects.get()
    assert response["Location"] == url("persona_detail", persona.pk)
    assert (persona.name, persona.owner) == ("Fleet manager Femi", owner)


def test_a_duplicate_name_is_shown_under_the_name(as_user, owner, orla):
    response = as_user(owner).post(url("persona_create"), {"name": "practice manager orla"})

    assert response.status_code == 400
    assert "already called" in field_error(response, "name")
    assert Persona.objects.count() == 1


def test_an_unknown_channel_is_shown_under_the_channel(as_user, owner):
    response = as_user(owner).post(url("persona_create"), {"name": "Femi", "preferred_channel": "fax"})

    assert response.status_code == 400
    assert field_error(response, "preferred_channel")
    assert not Persona.objects.exists()


def test_editing_keeps_what_was_not_changed(as_user, owner, orla):
    form = as_user(owner).get(url("persona_edit", orla.pk)).content.decode()
    assert 'value="Practice manager Orla"' in form

    data = {name: getattr(orla, name) for name in ("name", "job_title", "consumer_role", "summary", "goals")}
    data |= {"pain_points": orla.pain_points, "needs": "A named engineer", "preferred_channel": "email"}
    response = as_user(owner).post(url("persona_edit", orla.pk), data | {"quote": orla.quote})

    orla.refresh_from_db()
    assert response.status_code == 302
    assert (orla.needs, orla.preferred_channel, orla.goals) == (
        "A named engineer",
        "email",
        "Surgeries that open on time",
    )


def test_deleting_a_persona_returns_to_the_list(as_user, administrator, orla):
    response = as_user(administrator).post(url("persona_delete", orla.pk))

    assert response["Location"] == url("persona_list")
    assert not Persona.objects.exists()
    assert not Scenario.objects.exists()


# --- scenarios ------------------------------------------------------------------------------------


def test_adding_a_scenario_returns_to_the_profile(as_user, owner, orla):
    response = as_user(owner).post(
        url("scenario_create", orla.pk),
        {"title": "New dentist starts", "journey_step": "onboard", "goal": "Accounts ready on day one"},
    )

    assert response["Location"] == url("persona_detail", orla.pk) + "#scenarios"
    assert orla.scenarios.filter(title="New dentist starts", journey_step="onboard").exists()


def test_a_scenario_title_used_twice_is_shown_under_the_title(as_user, owner, orla):
    response = as_user(owner).post(url("scenario_create", orla.pk), {"title": "ANNUAL REVIEW"})

    assert response.status_code == 400
    assert "already has a scenario" in field_error(response, "title")
    assert orla.scenarios.count() == 3


def test_editing_and_deleting_a_scenario(as_user, owner, orla):
    scenario = orla.scenarios.get(title="Annual review")
    client = as_user(owner)

    client.post(
        url("scenario_edit", orla.pk, scenario.pk), {"title": "Yearly review", "journey_step": "realize"}
    )
    scenario.refresh_from_db()
    assert (scenario.title, scenario.journey_step) == ("Yearly review", "realize")

    client.post(url("scenario_delete", orla.pk, scenario.pk))
    assert not Scenario.objects.filter(pk=scenario.pk).exists()


def test_a_scenario_under_the_wrong_persona_is_not_found(as_user, owner, orla):
    scenario = orla.scenarios.first()
    other = PersonaFactory()

    assert as_user(owner).get(url("scenario_edit", other.pk, scenario.pk)).status_code == 404
    assert as_user(owner).post(url("scenario_delete", other.pk, scenario.pk)).status_code == 404
    assert Scenario.objects.filter(pk=scenario.pk).exists()


# --- jobs to be done ------------------------------------------------------------------------------


@pytest.fixture
def jobs(orla):
    segment = MarketSegmentFactory(name="Dental and medical practices")
    femi = PersonaFactory(name="Fleet manager Femi")
    JobToBeDoneFactory(persona=orla, job="Report a fault once", importance=5, satisfaction=2)  # 8
    JobToBeDoneFactory(persona=femi, job="Track every van", importance=4, satisfaction=4)  # 4
    JobToBeDoneFactory(
        persona=None, segment=segment, job="Pass the data audit", importance=4, satisfaction=1
    )  # 7
    return {"segment": segment, "femi": femi}


def test_the_job_list_ranks_every_job_by_opportunity(as_user, analyst, jobs):
    text = text_of(as_user(analyst).get(url("job_list")).content.decode())

    assert re.search(r"1 Report a fault once .* 8 2 Pass the data audit .* 7 3 Track every van .* 4", text)


def test_the_job_filter_swaps_only_the_list_for_htmx(as_user, analyst, jobs):
    response = as_user(analyst).get(url("job_list"), {"segment": jobs["segment"].pk}, **HX)

    page = response.content.decode()
    assert "<html" not in page
    assert "hx-request" in response.headers["Vary"].lower()
    assert "Pass the data audit" in page
    assert "Report a fault once" not in page


def test_the_job_filter_works_without_javascript(as_user, analyst, jobs):
    page = as_user(analyst).get(url("job_list"), {"persona": jobs["femi"].pk}).content.decode()

    assert "<html" in page
    assert f'<option value="{jobs["femi"].pk}" selected>Fleet manager Femi</option>' in page
    assert "Track every van" in page and "Report a fault once" not in page


@pytest.mark.parametrize("size", [2, 20])
def test_the_job_list_costs_the_same_queries_at_any_size(as_user, analyst, size, django_assert_num_queries):
    for _ in range(size):
        JobToBeDoneFactory(segment=MarketSegmentFactory())
    client = as_user(analyst)

    with django_assert_num_queries(5):  # session, user, personas and segments to filter by, jobs
        assert client.get(url("job_list")).status_code == 200


def test_a_new_job_starts_with_the_persona_it_was_asked_for(as_user, owner, orla):
    page = as_user(owner).get(url("job_create"), {"persona": orla.pk}).content.decode()

    assert f'<option value="{orla.pk}" selected>Practice manager Orla</option>' in page


def test_recording_a_job_returns_to_where_it_was_asked_from(as_user, owner, orla):
    back = url("persona_detail", orla.pk) + "#jobs"

    response = as_user(owner).post(
        url("job_create"),
        {"job": "Book a visit online", "persona": orla.pk, "importance": 4, "satisfaction": 2, "next": back},
    )

    assert response["Location"] == back
    assert JobToBeDone.objects.get().opportunity == 6


def test_a_job_of_nobody_is_shown_under_persona(as_user, owner, orla):
    response = as_user(owner).post(url("job_create"), {"job": "Orphan", "importance": 3, "satisfaction": 3})

    assert response.status_code == 400
    assert "persona, a segment or both" in field_error(response, "persona")
    assert not JobToBeDone.objects.exists()


def test_a_rating_out_of_range_is_shown_under_the_rating(as_user, owner, orla):
    response = as_user(owner).post(
        url("job_create"), {"job": "Too keen", "persona": orla.pk, "importance": 7, "satisfaction": 3}
    )

    assert response.status_code == 400
    assert field_error(response, "importance")
    assert not JobToBeDone.objects.exists()


def test_a_foreign_next_address_is_ignored(as_user, owner, orla):
    response = as_user(owner).post(
        url("job_create"),
        {
            "job": "Book",
            "persona": orla.pk,
            "importance": 3,
            "satisfaction": 3,
            "next": "https://evil.example/",
        },
    )

    assert response["Location"] == url("persona_detail", orla.pk) + "#jobs"


def test_editing_and_deleting_a_job(as_user, owner, jobs):
    job = JobToBeDone.objects.get(job="Track every van")
    client = as_user(owner)

    response = client.post(
        url("job_edit", job.pk),
        {"job": "Track every van live", "persona": jobs["femi"].pk, "importance": 5, "satisfaction": 1},
    )
    job.refresh_from_db()
    assert response.status_code == 302
    assert (job.job, job.opportunity) == ("Track every van live", 9)

    client.post(url("job_delete", job.pk), {"next": url("job_list")})
    assert not JobToBeDone.objects.filter(pk=job.pk).exists()


# --- who may do what ------------------------------------------------------------------------------


@pytest.mark.parametrize("reader", ["analyst", "desk"])
def test_readers_see_the_pages_and_get_403_on_every_write(as_user, request, reader, orla):
    job = JobToBeDoneFactory(persona=orla)
    scenario = orla.scenarios.first()
    client = as_user(request.getfixturevalue(reader))

    reads = [client.get(url(name, *args)).status_code for name, args in [
        ("persona_list", ()), ("persona_detail", (orla.pk,)), ("job_list", ()),
    ]]  # fmt: skip
    writes = [
        client.get(url("persona_create")).status_code,
        client.post(url("persona_create"), {"name": "Femi"}).status_code,
        client.post(url("persona_edit", orla.pk), {"name": "Renamed"}).status_code,
        client.post(url("persona_delete", orla.pk)).status_code,
        client.post(url("scenario_create", orla.pk), {"title": "A story"}).status_code,
        client.post(url("scenario_edit", orla.pk, scenario.pk), {"title": "A story"}).status_code,
        client.post(url("scenario_delete", orla.pk, scenario.pk)).status_code,
        client.post(url("job_create"), {"job": "x", "persona": orla.pk}).status_code,
        client.post(url("job_edit", job.pk), {"job": "x", "persona": orla.pk}).status_code,
        client.post(url("job_delete", job.pk)).status_code,
    ]

    assert reads == [200] * 3
    assert writes == [403] * 10
    assert list(Persona.objects.values_list("name", flat=True)) == ["Practice manager Orla"]
    assert orla.scenarios.count() == 3 and JobToBeDone.objects.count() == 1


def test_integrators_may_not_open_the_pages(as_user, integrator, orla):
    client = as_user(integrator)

    assert client.get(url("persona_list")).status_code == 403
    assert client.get(url("persona_detail", orla.pk)).status_code == 403
    assert client.get(url("job_list")).status_code == 403


def test_managers_see_the_write_buttons(as_user, owner, orla):
    page = as_user(owner).get(url("persona_detail", orla.pk)).content.decode()

    for address in (
        url("persona_edit", orla.pk),
        url("scenario_create", orla.pk),
        url("persona_delete", orla.pk),
    ):
        assert address in page
    assert f"{url('job_create')}?persona={orla.pk}" in page


def test_post_only_addresses_refuse_a_get(as_user, owner, orla):
    assert as_user(owner).get(url("persona_delete", orla.pk)).status_code == 405
