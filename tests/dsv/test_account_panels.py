"""The account 360° page's Explore and Engage panels: what they show, that the page loads them with
HTMX (with a plain link without it), and that each costs the same queries whatever the data."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories.analyses import SwotAnalysisFactory, SwotItemFactory
from tests.factories.assessments import AssessmentFactory
from tests.factories.exploration import MarketSegmentFactory
from tests.factories.journeys import OrganizationFactory
from tests.factories.relationships import (
    CommunicationPlanFactory,
    LadderProgressFactory,
    ServiceRelationshipFactory,
)
from tests.helpers import HX, text_of

pytestmark = pytest.mark.django_db


def panel_url(organization, panel):
    return reverse("account_panel", args=[organization.pk, panel])


def test_the_account_page_loads_both_panels_with_htmx_and_links_them(as_user, owner, account):
    html = as_user(owner).get(reverse("account_detail", args=[account.pk])).content.decode()

    for panel in ("explore", "engage"):
        assert f'hx-get="{panel_url(account, panel)}"' in html
        assert f'href="{panel_url(account, panel)}"' in html


def test_the_explore_panel_shows_segments_and_the_swot_balance_warning(as_user, owner, account):
    MarketSegmentFactory(name="Benelux mobility", organizations=[account])
    swot = SwotAnalysisFactory(title="Rentwheel outlook", subject="organization", organization=account)
    SwotItemFactory(analysis=swot, quadrant="weakness", text="No night shift")
    SwotItemFactory(analysis=swot, quadrant="weakness", text="Old tooling")
    SwotItemFactory(analysis=swot, quadrant="strength", text="Strong field team")

    response = as_user(owner).get(panel_url(account, "explore"), **HX)

    text = text_of(response.content.decode())
    assert response.status_code == 200
    assert "<html" not in response.content.decode()
    assert "Benelux mobility" in text
    assert "Rentwheel outlook" in text
    assert "⚠" in text


def test_the_explore_panel_offers_to_run_a_swot_when_there_is_none(as_user, owner, account):
    html = as_user(owner).get(panel_url(account, "explore"), **HX).content.decode()

    assert f"?organization={account.pk}" in html
    assert "Run a SWOT" in html


def test_the_engage_panel_shows_type_ladder_plans_and_missing_assessments(as_user, owner, account, sponsor):
    relationship = ServiceRelationshipFactory(organization=account, current_type="cooperative")
    LadderProgressFactory(relationship=relationship, step="create_environment", status="done")
    CommunicationPlanFactory(stakeholder=sponsor)

    text = text_of(as_user(owner).get(panel_url(account, "engage"), **HX).content.decode())

    assert "Cooperative relationship" in text
    assert "1 of 5 steps done" in text
    assert "build and sustain trust" in text
    assert "Communication plans: 1" in text
    assert "Assessments missing" in text


def test_a_panel_without_htmx_is_a_page_of_its_own(as_user, owner, account):
    html = as_user(owner).get(panel_url(account, "engage")).content.decode()

    assert "<html" in html
    assert "Engage" in html


def test_an_outsider_gets_no_panel(as_user, outsider, account):
    assert as_user(outsider).get(panel_url(account, "engage"), **HX).status_code == 404


@pytest.mark.parametrize("panel", ["explore", "engage"])
def test_each_panel_costs_the_same_queries_for_a_small_and_a_busy_account(as_user, owner, team, panel):
    client = as_user(owner)
    counts = []
    for size in (1, 5):
        organization = OrganizationFactory(owner=owner, team=team)
        relationship = ServiceRelationshipFactory(organization=organization, current_type="partnership")
        for number in range(size):
            MarketSegmentFactory(organizations=[organization])
            swot = SwotAnalysisFactory(subject="organization", organization=organization)
            SwotItemFactory(analysis=swot)
            AssessmentFactory(relationship=relationship)
            LadderProgressFactory(
                relationship=relationship,
                step=[
                    "create_environment",
                    "build_trust",
                    "understand_provider",
                    "understand_needs",
                    "assess_readiness",
                ][number % 5],
            )
        client.get(panel_url(organization, panel), **HX)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(panel_url(organization, panel), **HX)
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert counts[1] <= 12
