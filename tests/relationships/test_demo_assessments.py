"""The demo shows the assessments: trust both ways with a trend, a maturity gap at one account,
readiness for the accounts heading for a partnership, and plans with something missing."""

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from dsv.demo import accounts
from dsv.demo.assessments import DEMO_ASSESSMENTS, reset_assessments, seed_assessments
from dsv.demo.builder import demo_reset, demo_seed
from journeys.models import Organization
from relationships import selectors
from relationships.models import Assessment, AssessmentDirection, AssessmentKind

pytestmark = pytest.mark.django_db

EXPECTED = sum(len(plans) for plans in DEMO_ASSESSMENTS.values())


@pytest.fixture
def demo():
    demo_seed()
    users = {
        user.username: user for user in get_user_model().objects.filter(username__in=accounts.DEMO_USERS)
    }
    # The demo builder may already record them; seeding again adds nothing either way.
    seed_assessments(users=users, now=timezone.now())
    return users


def history(users, name, kind, direction=None):
    organization = Organization.objects.get(name=name)
    return selectors.assessment_history(
        user=users["admin"], organization=organization, kind=kind, direction=direction
    )


def test_the_demo_records_every_planned_assessment_once(demo):
    assert Assessment.objects.count() == EXPECTED
    assert seed_assessments(users=demo, now=timezone.now()) == 0
    assert Assessment.objects.count() == EXPECTED
    assert set(DEMO_ASSESSMENTS) <= {plan.name for plan in accounts.ACCOUNTS}


def test_trust_trends_rise_at_a_happy_account_and_fall_at_a_strained_one(demo):
    rising = [
        p.score
        for p in history(demo, "Meridian Freight Lines", "trust", AssessmentDirection.PROVIDER_BY_CONSUMER)
    ]
    falling = [
        p.score
        for p in history(demo, "Skyport Ground Handling", "trust", AssessmentDirection.PROVIDER_BY_CONSUMER)
    ]

    assert len(rising) == len(falling) == 3
    assert rising == sorted(rising) and rising[0] < rising[-1]
    assert falling == sorted(falling, reverse=True) and falling[0] > falling[-1]
    both_ways = {p.direction for p in history(demo, "Rovena Car Rental", "trust")}
    assert both_ways == {AssessmentDirection.PROVIDER_BY_CONSUMER, AssessmentDirection.CONSUMER_BY_PROVIDER}


def test_one_account_has_a_maturity_gap(demo):
    gaps = {
        assessment.relationship.organization.name
        for assessment in Assessment.objects.filter(kind=AssessmentKind.MATURITY).select_related(
            "relationship__organization"
        )
        if assessment.consumer_level != assessment.provider_level
    }

    assert gaps == {"Meridian Freight Lines"}
    meridian = Assessment.objects.get(
        kind=AssessmentKind.MATURITY, relationship__organization__name="Meridian Freight Lines"
    )
    result = selectors.assessment_result(assessment=meridian)
    assert (result.consumer_level, result.provider_level, result.gap_warning) == (3, 2, True)


def test_the_partnership_minded_accounts_have_readiness_assessments(demo):
    names = set(
        Assessment.objects.filter(kind=AssessmentKind.COLLABORATION_READINESS).values_list(
            "relationship__organization__name", flat=True
        )
    )

    assert {"Meridian Freight Lines", "Cobalt Trust Bank", "Peregrine Mutual Insurance"} <= names
    cobalt = Assessment.objects.get(
        kind=AssessmentKind.COLLABORATION_READINESS, relationship__organization__name="Cobalt Trust Bank"
    )
    assert [f.code for f in selectors.assessment_result(assessment=cobalt).not_ready] == [
        "organizational_basis"
    ]


def test_some_demo_plans_show_what_is_missing(demo):
    skyport = Organization.objects.get(name="Skyport Ground Handling")

    plan = selectors.assessment_plan(user=demo["manager"], organization=skyport)

    assert {entry.kind for entry in plan.to_do} >= {AssessmentKind.MATURITY}


def test_resetting_the_demo_takes_the_assessments_with_it(demo):
    reset_assessments()
    demo_reset()

    assert not Assessment.objects.exists()
