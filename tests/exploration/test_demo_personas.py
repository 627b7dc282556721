"""The demo's personas: a handful of Larkfield's typical consumer people, each with scenarios and jobs to
be done, linked to the demo segments; seeding twice or resetting leaves no duplicates behind."""

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from dsv.demo import accounts, builder
from dsv.demo.personas import demo_persona_names, reset_personas, seed_personas
from exploration import selectors
from exploration.models import JobToBeDone, MarketSegment
from journeys.models import Persona, Scenario
from tests.factories.journeys import UserFactory

pytestmark = pytest.mark.django_db


def seed() -> int:
    users = {
        user.username: user for user in get_user_model().objects.filter(username__in=accounts.DEMO_USERS)
    }
    return seed_personas(users=users, now=timezone.now())


@pytest.fixture
def demo():
    builder.demo_seed()


def test_the_demo_has_personas_with_scenarios_and_jobs_linked_to_every_segment(demo):
    count = seed()

    personas = list(selectors.persona_list_with_usage(user=UserFactory(username="reader", roles=["analyst"])))
    assert count == len(personas) == len(demo_persona_names())
    assert 4 <= count <= 6
    assert all(p.scenario_count >= 1 and p.job_count >= 1 and p.segment_count >= 1 for p in personas)
    assert {p.owner.username for p in personas} == {"manager"}
    for segment in MarketSegment.objects.filter(name__in=accounts.DEMO_SEGMENTS):
        assert segment.personas.exists(), segment.name
        assert segment.jobs_to_be_done.filter(persona__isnull=True).exists(), segment.name


def test_demo_jobs_spread_over_the_opportunity_scale(demo):
    seed()
    analyst = UserFactory(username="reader", roles=["analyst"])

    scores = [job.opportunity_score for job in selectors.job_to_be_done_list(user=analyst)]

    assert scores == sorted(scores, reverse=True)
    assert scores[0] >= 8 and scores[-1] <= 4


def test_seeding_twice_leaves_one_set_and_reset_removes_it(demo):
    seed()
    seed()
    assert Persona.objects.filter(name__in=demo_persona_names()).count() == len(demo_persona_names())

    reset_personas()

    assert not Persona.objects.exists()
    assert not Scenario.objects.exists()
    assert not JobToBeDone.objects.exists()
    assert MarketSegment.objects.count() == len(accounts.DEMO_SEGMENTS)


def test_reset_leaves_personas_the_demo_did_not_make(demo):
    seed()
    Persona.objects.create(name="Someone of our own")

    reset_personas()

    assert list(Persona.objects.values_list("name", flat=True)) == ["Someone of our own"]
