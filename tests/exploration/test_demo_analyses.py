"""The demo shows SWOT and PESTLE analyses: Larkfield's own, a strained account's (which the balance
check flags) and a segment's."""

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from dsv.demo import analyses as demo
from dsv.demo.accounts import DEMO_USERS
from dsv.demo.builder import demo_seed
from exploration import selectors
from exploration.models import PestleAnalysis, PestleArea, SwotAnalysis, SwotQuadrant

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    demo_seed()
    if not SwotAnalysis.objects.filter(title=demo.PROVIDER_SWOT).exists():
        # Until the builder calls it itself.
        users = {user.username: user for user in get_user_model().objects.filter(username__in=DEMO_USERS)}
        assert demo.seed_analyses(users=users, now=timezone.now()) == 4


def test_the_provider_swot_fills_every_quadrant_and_holds_pulled_pestle_factors(seeded):
    swot = SwotAnalysis.objects.get(title=demo.PROVIDER_SWOT)

    board = selectors.swot_board(analysis=swot)

    assert swot.subject == "provider"
    assert all(quadrant.items for quadrant in board)
    pulled = [item for quadrant in board for item in quadrant.items if item.pestle_factor_id]
    assert {item.quadrant for item in pulled} == {SwotQuadrant.OPPORTUNITY, SwotQuadrant.THREAT}
    assert len(pulled) == len(demo.PULLED_FACTORS)
    assert not selectors.swot_balance(analysis=swot).needs_bridging


def test_the_provider_pestle_covers_all_six_areas_and_keeps_some_factors_to_pull(seeded):
    pestle = PestleAnalysis.objects.get(title=demo.PROVIDER_PESTLE)
    swot = SwotAnalysis.objects.get(title=demo.PROVIDER_SWOT)
    manager = get_user_model().objects.get(username="manager")

    assert {area.area for area in selectors.pestle_board(analysis=pestle) if area.factors} == set(
        PestleArea.values
    )
    assert selectors.pestle_pullable_factors(user=manager, analysis=swot).exists()


def test_the_strained_account_swot_shows_the_balance_warning(seeded):
    swot = SwotAnalysis.objects.get(title=demo.ACCOUNT_SWOT)

    balance = selectors.swot_balance(analysis=swot)

    assert swot.organization.name == demo.ACCOUNT
    assert balance.triggered_by == ["count", "weight"]


def test_a_segment_has_its_swot_and_the_reset_removes_every_demo_analysis(seeded):
    swot = SwotAnalysis.objects.get(title=demo.SEGMENT_SWOT)
    assert swot.segment.name == demo.SEGMENT

    demo.reset_analyses()

    assert not SwotAnalysis.objects.filter(title__in=demo.DEMO_ANALYSIS_TITLES).exists()
    assert not PestleAnalysis.objects.filter(title__in=demo.DEMO_ANALYSIS_TITLES).exists()
