"""The demo shows Explore too: a few market segments with demo consumers as members."""

from io import StringIO

import pytest
from django.core.management import call_command

from exploration.models import MarketSegment, SegmentationApproach
from exploration.selectors import pareto_analysis
from journeys.models import OrganizationKind
from journeys.roles import Role
from tests.factories.journeys import UserFactory


@pytest.mark.django_db
def test_the_demo_has_segments_of_both_approaches_with_consumer_members():
    call_command("seed_demo", stdout=StringIO())

    segments = list(MarketSegment.objects.prefetch_related("members"))
    assert len(segments) == 3
    assert {segment.approach for segment in segments} == set(SegmentationApproach.values)
    for segment in segments:
        assert segment.members.exists()
        assert {member.kind for member in segment.members.all()} == {OrganizationKind.CONSUMER}

    call_command("seed_demo", "--reset", stdout=StringIO())
    assert MarketSegment.objects.count() == 3


@pytest.mark.django_db
def test_the_demo_portfolio_has_a_vital_few():
    call_command("seed_demo", stdout=StringIO())
    analyst = UserFactory(username="someone", roles=[Role.ANALYST])

    analysis = pareto_analysis(user=analyst)

    assert 0 < analysis.vital_count < analysis.organization_count
