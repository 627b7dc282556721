"""The account 360° page's Explore, Engage and Offer panels: what they show, that the page loads them with
HTMX (with a plain link without it), and that each costs the same queries whatever the data."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories.analyses import SwotAnalysisFactory, SwotItemFactory
from tests.factories.assessments import AssessmentFactory
from tests.factories.exploration import MarketSegmentFactory
from tests.factories.journeys import OrganizationFactory
from tests.factories.offerings import (
    BenefitLineFactory,
    BusinessCaseFactory,
    CostLineFactory,
    OfferingJourneyFactory,
    OpportunityFactory,
    RequirementFactory,
)
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


# --- Offer ------------------------------------------------------------------------------------------


def _approved_baseline(organization, owner):
    case = BusinessCaseFactory(
        organization=organization,
        title="Managed laptops for new starters",
        status="approved",
        approved_by=owner,
        is_baseline=True,
    )
    CostLineFactory(business_case=case)  # 1,000 in year 0
    BenefitLineFactory(business_case=case)  # 600 a year in years 1–3
    return case


def test_the_account_page_links_the_offer_panel(as_user, owner, account):
    html = as_user(owner).get(reverse("account_detail", args=[account.pk])).content.decode()

    assert f'hx-get="{panel_url(account, "offer")}"' in html


def test_the_offer_panel_names_the_offerings_its_journeys_concern(as_user, owner, account, journey):
    OfferingJourneyFactory(journey=journey, offering__name="Managed laptops Standard")

    text = text_of(as_user(owner).get(panel_url(account, "offer"), **HX).content.decode())

    assert f"Offerings its journeys concern: Managed laptops Standard ({journey.name})" in text


def test_the_offer_panel_shows_requirements_pipeline_and_the_baseline(as_user, owner, account):
    RequirementFactory(organization=account, title="Book a car from the app", moscow="must", job_size=1)
    RequirementFactory(organization=account, title="Dark mode", moscow="could", job_size=13)
    RequirementFactory(
        organization=account,
        title="Already done",
        status="validated",
        validated_at=timezone.now(),
        acceptance_criteria="Demoed.",
        moscow="must",
    )
    OpportunityFactory(organization=account, stage="proposal", estimated_value=Decimal("40000"))
    OpportunityFactory(organization=account, stage="lost", lost_reason="Price")
    case = _approved_baseline(account, owner)
    BusinessCaseFactory(organization=account, lineage=case.lineage, version=2, previous_version=case)

    response = as_user(owner).get(panel_url(account, "offer"), **HX)

    text = text_of(response.content.decode())
    assert "Open requirements: 2 (must have 1, could have 1)" in text
    assert text.index("Book a car from the app") < text.index("Dark mode")  # WSJF 10 before 10/13
    assert "proposal 1" in text and "lost 1" in text and "40000 estimated value" in text
    # NPV at 10 %: −1000 + 600/1.1 + 600/1.1² + 600/1.1³ = 492.11; ROI (1800 − 1000) / 1000 = 80 %.
    assert "Managed laptops for new starters" in text
    assert "TCO 1000 · NPV 492 · ROI 80.0 %" in text
    assert "1 newer version not yet decided" in text
    assert reverse("offerings:business_case_detail", args=[case.pk]) in response.content.decode()


def test_the_offer_panel_says_when_there_is_nothing_yet(as_user, owner, account):
    text = text_of(as_user(owner).get(panel_url(account, "offer"), **HX).content.decode())

    assert "Open requirements: 0" in text
    assert "none approved yet" in text
    assert "Offerings its journeys concern: none linked yet" in text


def test_an_outsider_gets_no_offer_panel(as_user, outsider, account):
    assert as_user(outsider).get(panel_url(account, "offer"), **HX).status_code == 404


def test_the_offer_panel_costs_the_same_queries_for_a_small_and_a_busy_account(as_user, owner, team):
    client = as_user(owner)
    counts = []
    for size in (1, 6):
        organization = OrganizationFactory(owner=owner, team=team)
        _approved_baseline(organization, owner)
        for _ in range(size):
            RequirementFactory(organization=organization)
            OpportunityFactory(organization=organization)
        client.get(panel_url(organization, "offer"), **HX)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(panel_url(organization, "offer"), **HX)
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 12
