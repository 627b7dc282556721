"""Realize in the shell: the portfolio dashboard's Health and NPS columns, the account 360° page's Realize
panel, the Realize menu and the Realize step's tools. Each link leads to a page that opens, and the
dashboard and the panel cost the same queries however many accounts or figures there are."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from realization.models import SnapshotLevel, ValueSnapshot
from realization.services import month_of
from tests.factories.agreements import AgreementFactory
from tests.factories.journeys import OrganizationFactory
from tests.factories.realization import FollowUpFactory, SurveyResponseFactory, ValueReviewFactory
from tests.helpers import HX, text_of

pytestmark = pytest.mark.django_db


def snapshot(organization, **values) -> ValueSnapshot:
    return ValueSnapshot.objects.create(
        level=SnapshotLevel.ACCOUNT,
        organization=organization,
        month=month_of(timezone.now()),
        computed_at=timezone.now(),
        **values,
    )


def row_of(html: str, text: str) -> list[str]:
    for row in re.findall(r"<tr[^>]*>.*?</tr>", html, re.S):
        if text in text_of(row):
            return [text_of(cell) for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)]
    raise AssertionError(f"No table row mentions {text!r}.")


@pytest.fixture
def troubled(account):
    """This month the account is at risk, and a watermelon: SLA met, CSAT red."""
    return snapshot(
        account,
        nps_responses=5,
        promoters=1,
        detractors=3,
        csat_responses=6,
        csat_satisfied=2,
        csat_sum=16,
        ces_responses=2,
        ces_sum=7,
        sla_measured=4,
        sla_met=4,
        input_nps=Decimal("-40.0"),
        input_csat=Decimal("33.3"),
        input_sla=Decimal("100.0"),
        health_score=Decimal("42.0"),
        health_band="at_risk",
        is_watermelon=True,
        watermelon_reasons="csat",
    )


# --- the portfolio dashboard ------------------------------------------------------------------------


def test_the_portfolio_shows_each_accounts_health_and_nps(as_user, owner, account, troubled):
    quiet = OrganizationFactory(name="Quiet Harbour", owner=owner)

    html = as_user(owner).get(reverse("dashboard")).content.decode()

    assert '<abbr title="Health score 0–100, latest month computed">Health</abbr>' in html
    health, nps = row_of(html, "Rentwheel Car Hire")[-2:]
    assert health.startswith("42 of 100, at risk")
    assert nps == "−40"
    assert row_of(html, quiet.name)[-2:] == ["no data", "—"]


def test_the_portfolio_costs_the_same_queries_with_health_figures_for_few_or_many_accounts(
    as_user, owner, team
):
    client = as_user(owner)
    counts = []
    for accounts in (1, 15):
        for _ in range(accounts):
            organization = OrganizationFactory(owner=owner, team=team)
            snapshot(organization, health_score=Decimal("80"), health_band="healthy", input_nps=Decimal(30))
        client.get(reverse("dashboard"))
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("dashboard"))
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] == 5


# --- the account 360° page --------------------------------------------------------------------------


def panel_url(organization):
    return reverse("account_panel", args=[organization.pk, "realize"])


def test_the_account_page_loads_the_realize_panel_and_links_it(as_user, owner, account):
    html = as_user(owner).get(reverse("account_detail", args=[account.pk])).content.decode()

    assert f'hx-get="{panel_url(account)}"' in html
    assert f'href="{panel_url(account)}"' in html


def test_the_realize_panel_shows_health_watermelon_figures_follow_ups_and_the_next_review(
    as_user, owner, account, troubled
):
    FollowUpFactory(response=SurveyResponseFactory(organization=account, score=1))
    FollowUpFactory(response=SurveyResponseFactory(organization=account, score=2))
    ValueReviewFactory(
        organization=account, title="Spring review", scheduled_on=timezone.localdate() + timedelta(days=9)
    )

    response = as_user(owner).get(panel_url(account), **HX)

    html = response.content.decode()
    text = text_of(html)
    assert "<html" not in html
    assert "Health: 42 of 100 at risk" in text
    month = timezone.localdate().strftime("%B")
    assert f"watermelon {month}: SLA green (100 %), yet CSAT below its threshold." in text
    # NPS (1 − 3) of 5; CSAT 2 of 6; CES 7 ÷ 2.
    assert "NPS −40 · CSAT 33 % · CES 3.5" in text
    assert "2 follow-ups open" in text
    assert "Next value review: Spring review" in text
    assert f'href="{reverse("realization:account_value", args=[account.pk])}"' in html
    assert f'href="{reverse("realization:review_new")}?organization={account.pk}"' in html


def test_the_realize_panel_of_a_quiet_account_says_there_is_nothing_yet(as_user, analyst, account):
    text = text_of(as_user(analyst).get(panel_url(account), **HX).content.decode())

    assert "Health: no score yet" in text
    assert "No follow-up open" in text
    assert "Next value review: none coming up" in text
    assert "plan a value review" not in text, "an analyst plans nothing"


def test_the_realize_panel_names_an_agreement_due_for_a_review_none_is_planned_for(as_user, owner, account):
    AgreementFactory(
        organization=account,
        title="Fleet hosting",
        status="active",
        next_review_on=timezone.localdate() + timedelta(days=20),
    )

    text = text_of(as_user(owner).get(panel_url(account), **HX).content.decode())

    assert "Next value review: due for Fleet hosting" in text


def test_an_outsider_gets_no_realize_panel(as_user, outsider, account):
    assert as_user(outsider).get(panel_url(account), **HX).status_code == 404


def test_the_realize_panel_costs_the_same_queries_for_a_quiet_and_a_busy_account(as_user, owner, team):
    client = as_user(owner)
    counts = []
    for size in (1, 6):
        organization = OrganizationFactory(owner=owner, team=team)
        snapshot(organization, health_score=Decimal("80"), health_band="healthy")
        for _ in range(size):
            FollowUpFactory(response=SurveyResponseFactory(organization=organization, score=1))
            ValueReviewFactory(organization=organization)
        client.get(panel_url(organization), **HX)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(panel_url(organization), **HX)
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 12


# --- the menu and the Realize step ------------------------------------------------------------------


def test_the_realize_menu_lists_its_pages_and_each_opens(as_user, owner, account):
    client = as_user(owner)
    html = client.get(reverse("dashboard")).content.decode()

    menu = re.search(r"<summary>Realize</summary>\s*<ul>(.*?)</ul>", html, re.S).group(1)
    links = re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', menu)
    assert [label for _, label in links] == [
        "Value dashboard",
        "Surveys",
        "Survey answers",
        "Follow-ups",
        "Value reviews",
        "Live journey map",
        "Health policy",
    ]
    for url, label in links:
        assert url.startswith("/realize/"), label
        assert client.get(url).status_code == 200, label


def test_the_menu_marks_the_page_the_user_is_on(as_user, owner):
    html = as_user(owner).get(reverse("realization:value_dashboard")).content.decode()

    assert '<a href="/realize/value/" aria-current="page">Value dashboard</a>' in html


def test_the_realize_step_lists_its_tools_and_each_opens(as_user, owner, account):
    client = as_user(owner)
    html = client.get(reverse("step_overview", args=["realize"])).content.decode()

    tools = re.search(r'<section aria-labelledby="realize-tools">(.*?)</section>', html, re.S).group(1)
    urls = re.findall(r'<a href="([^"]+)">', tools)
    for name in (
        "value_dashboard",
        "survey_list",
        "follow_up_list",
        "review_list",
        "journey_map",
        "health_policy",
    ):
        assert reverse(f"realization:{name}") in urls
    for url in urls:
        assert client.get(url).status_code == 200, url
