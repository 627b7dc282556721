"""Jobs to be done: whose job it is (a persona, a segment or both), the 1–5 ratings, who may record
them, and the ranking by opportunity computed by the database, checked against figures by hand."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from exploration import selectors, services
from exploration.models import JobToBeDone
from journeys.base import ApplicationError
from journeys.services import persona_delete
from tests.factories.exploration import MarketSegmentFactory
from tests.factories.personas import JobToBeDoneFactory, PersonaFactory, ScenarioFactory

pytestmark = pytest.mark.django_db


# --- services -------------------------------------------------------------------------------------


def test_a_job_is_recorded_for_a_persona_and_a_segment(owner):
    persona, segment = PersonaFactory(), MarketSegmentFactory()

    job = services.job_to_be_done_create(
        actor=owner,
        job="  Get a new starter working on day one ",
        persona=persona,
        segment=segment,
        importance=5,
        satisfaction=2,
    )

    job.refresh_from_db()
    assert (job.job, job.persona, job.segment, job.owner) == (
        "Get a new starter working on day one",
        persona,
        segment,
        owner,
    )
    assert job.opportunity == 8


def test_a_job_of_nobody_names_the_persona_field(owner):
    with pytest.raises(ApplicationError) as caught:
        services.job_to_be_done_create(actor=owner, job="Keep the vans on the road")

    assert "persona" in caught.value.fields
    assert not JobToBeDone.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"importance": 0}, "importance"),
        ({"importance": 6}, "importance"),
        ({"satisfaction": 0}, "satisfaction"),
        ({"satisfaction": 9}, "satisfaction"),
        ({"importance": "very"}, "importance"),
        ({"job": "   "}, "job"),
        ({"job": "x" * 241}, "job"),
    ],
)
def test_bad_job_input_names_the_field_and_saves_nothing(owner, fields, field):
    persona = PersonaFactory()

    with pytest.raises(ApplicationError) as caught:
        services.job_to_be_done_create(actor=owner, persona=persona, **({"job": "Keep vans moving"} | fields))

    assert field in caught.value.fields
    assert not JobToBeDone.objects.exists()


@pytest.mark.parametrize("reader", ["desk", "analyst"])
def test_readers_may_not_record_jobs(request, reader):
    actor = request.getfixturevalue(reader)
    job = JobToBeDoneFactory()

    with pytest.raises(PermissionDenied):
        services.job_to_be_done_create(actor=actor, job="x", persona=job.persona)
    with pytest.raises(PermissionDenied):
        services.job_to_be_done_update(actor=actor, job_to_be_done=job, importance=5)
    with pytest.raises(PermissionDenied):
        services.job_to_be_done_delete(actor=actor, job_to_be_done=job)

    job.refresh_from_db()
    assert job.importance == 3


def test_a_job_may_move_from_a_persona_to_a_segment_but_not_to_nobody(owner):
    job = JobToBeDoneFactory()
    segment = MarketSegmentFactory()

    services.job_to_be_done_update(actor=owner, job_to_be_done=job, segment=segment, persona=None)
    job.refresh_from_db()
    assert (job.persona, job.segment) == (None, segment)

    with pytest.raises(ApplicationError) as caught:
        services.job_to_be_done_update(actor=owner, job_to_be_done=job, segment=None)
    assert "persona" in caught.value.fields
    job.refresh_from_db()
    assert job.segment == segment


def test_updating_with_an_unknown_field_is_refused(owner):
    job = JobToBeDoneFactory()

    with pytest.raises(ApplicationError) as caught:
        services.job_to_be_done_update(actor=owner, job_to_be_done=job, urgency=5)

    assert "urgency" in caught.value.fields


def test_a_job_is_deleted(administrator):
    job = JobToBeDoneFactory()

    services.job_to_be_done_delete(actor=administrator, job_to_be_done=job)

    assert not JobToBeDone.objects.exists()


def test_deleting_a_persona_takes_its_own_jobs_along(owner):
    job = JobToBeDoneFactory()

    persona_delete(actor=owner, persona=job.persona)

    assert not JobToBeDone.objects.exists()


# --- the ranking ----------------------------------------------------------------------------------


@pytest.fixture
def ranked_jobs():
    """Five jobs whose opportunity, by hand (importance + max(importance − satisfaction, 0)):
    vital and badly served  5 + (5 − 1) = 9
    important, half served  4 + (4 − 2) = 6
    vital but well served   5 + 0       = 5  (satisfaction above importance counts as 0, not −)
    minor and unserved      2 + (2 − 1) = 3
    minor, over-served      1 + 0       = 1  (1 − 5 would be −4)"""
    persona = PersonaFactory(name="Orla")
    for job, importance, satisfaction in [
        ("Minor over-served", 1, 5),
        ("Vital well served", 5, 5),
        ("Minor unserved", 2, 1),
        ("Vital badly served", 5, 1),
        ("Important half served", 4, 2),
    ]:
        JobToBeDoneFactory(persona=persona, job=job, importance=importance, satisfaction=satisfaction)
    return persona


def test_jobs_are_ranked_by_the_opportunity_worked_out_by_hand(analyst, ranked_jobs):
    jobs = selectors.job_to_be_done_list(user=analyst)

    assert [(job.job, job.opportunity_score) for job in jobs] == [
        ("Vital badly served", 9),
        ("Important half served", 6),
        ("Vital well served", 5),
        ("Minor unserved", 3),
        ("Minor over-served", 1),
    ]
    assert all(job.opportunity_score == job.opportunity for job in jobs)


def test_equal_opportunity_goes_to_the_more_important_job_then_by_name(analyst):
    persona = PersonaFactory()
    JobToBeDoneFactory(persona=persona, job="B: 4 and 2", importance=4, satisfaction=2)  # 6
    JobToBeDoneFactory(persona=persona, job="C: 3 and 1", importance=3, satisfaction=1)  # 3 + 2 = 5
    JobToBeDoneFactory(persona=persona, job="A: 4 and 2", importance=4, satisfaction=2)  # 6
    JobToBeDoneFactory(persona=persona, job="D: 5 and 5", importance=5, satisfaction=5)  # 5

    names = [job.job for job in selectors.job_to_be_done_list(user=analyst)]

    assert names == ["A: 4 and 2", "B: 4 and 2", "D: 5 and 5", "C: 3 and 1"]


def test_jobs_are_filtered_by_persona_and_by_segment(analyst):
    orla, femi = PersonaFactory(name="Orla"), PersonaFactory(name="Femi")
    segment = MarketSegmentFactory()
    orla_only = JobToBeDoneFactory(persona=orla, job="Orla alone")
    both = JobToBeDoneFactory(persona=orla, segment=segment, job="Orla in segment")
    segment_only = JobToBeDoneFactory(persona=None, segment=segment, job="Segment alone")
    JobToBeDoneFactory(persona=femi, job="Femi alone")

    assert set(selectors.job_to_be_done_list(user=analyst, persona=orla)) == {orla_only, both}
    assert set(selectors.job_to_be_done_list(user=analyst, segment=segment)) == {both, segment_only}
    assert list(selectors.job_to_be_done_list(user=analyst, persona=orla, segment=segment)) == [both]


@pytest.mark.parametrize("size", [2, 20])
def test_the_job_list_is_one_query(analyst, size, django_assert_num_queries):
    segment = MarketSegmentFactory()
    for _ in range(size):
        JobToBeDoneFactory(segment=segment)

    with django_assert_num_queries(1):
        jobs = list(selectors.job_to_be_done_list(user=analyst))
        assert all(job.persona.name and job.segment.name for job in jobs)


def test_a_missing_job_is_not_found(analyst):
    with pytest.raises(Http404):
        selectors.job_to_be_done_get(user=analyst, pk=12345)


def test_the_persona_list_counts_scenarios_jobs_and_segments_without_multiplying(analyst, ranked_jobs):
    ScenarioFactory.create_batch(3, persona=ranked_jobs)
    for segment in MarketSegmentFactory.create_batch(2):
        segment.personas.add(ranked_jobs)
    PersonaFactory(name="Femi")

    rows = {
        p.name: (p.scenario_count, p.job_count, p.segment_count)
        for p in selectors.persona_list_with_usage(user=analyst)
    }

    assert rows == {"Orla": (3, 5, 2), "Femi": (0, 0, 0)}


@pytest.mark.parametrize("size", [1, 12])
def test_the_persona_list_with_usage_is_one_query(analyst, size, django_assert_num_queries):
    for _ in range(size):
        JobToBeDoneFactory(segment=MarketSegmentFactory())
    selectors.persona_list_with_usage(user=analyst).exists()  # loads the roles once

    with django_assert_num_queries(1):
        assert len(list(selectors.persona_list_with_usage(user=analyst))) == size


def test_a_persona_lists_the_segments_it_stands_for(analyst):
    persona = PersonaFactory()
    beta, alpha = MarketSegmentFactory(name="Beta"), MarketSegmentFactory(name="Alpha")
    MarketSegmentFactory(name="Gamma")
    for segment in (beta, alpha):
        segment.personas.add(persona)

    assert list(selectors.persona_segments(user=analyst, persona=persona)) == [alpha, beta]
