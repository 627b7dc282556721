"""The value pages as a user sees them, for a hand-made set of monthly snapshots: the portfolio's value
dashboard (headline figures, trends as charts with their text, health bands, watermelons, lowest health,
follow-ups, reviews, filters), one account's value page (the health score and how it came about, the
watermelon banner, the figures per step) and the health policy (read by everyone, changed by
administrators, bad input refused with nothing saved). Each page costs the same queries for one
account as for many."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from realization.models import HealthPolicy, SnapshotLevel, ValueSnapshot
from realization.services import add_months, month_of
from tests.factories.exploration import MarketSegmentFactory
from tests.factories.journeys import OrganizationFactory, StakeholderFactory
from tests.factories.realization import FollowUpFactory, SurveyResponseFactory, ValueReviewFactory
from tests.helpers import HX, text_of

pytestmark = pytest.mark.django_db

WEIGHTS = {"nps": 25, "csat": 25, "ces": 15, "sla": 20, "sentiment": 15}


def this_month():
    return month_of(timezone.now())


def snapshot(organization, month, step="", **values) -> ValueSnapshot:
    """A stored month of an account, as the metrics job would have written it."""
    return ValueSnapshot.objects.create(
        level=SnapshotLevel.ACCOUNT,
        organization=organization,
        step=step,
        month=month,
        health_weights=WEIGHTS if not step else {},
        computed_at=timezone.now(),
        **values,
    )


def row_of(html: str, text: str) -> list[str]:
    for row in re.findall(r"<tr[^>]*>.*?</tr>", html, re.S):
        if text in text_of(row):
            return [text_of(cell) for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)]
    raise AssertionError(f"No table row mentions {text!r}.")


@pytest.fixture
def harbour(owner):
    return OrganizationFactory(name="Harbour Freight", owner=owner)


@pytest.fixture
def portfolio(account, harbour, other_account):
    """This month: Rentwheel healthy; Harbour Freight at risk and a watermelon (SLA green, CSAT red, an
    experience target missed); the outsider's Northbank, which the owner must not see, a watermelon too.
    Two months ago Rentwheel had answers as well."""
    now = this_month()
    snapshot(
        account,
        now,
        invitations=20,
        responses=10,
        nps_responses=10,
        promoters=6,
        detractors=2,
        csat_responses=4,
        csat_satisfied=3,
        csat_sum=15,
        ces_responses=2,
        ces_sum=11,
        touchpoints=5,
        sentiment_sum=2,
        sla_measured=10,
        sla_met=9,
        input_nps=Decimal("20.0"),
        input_csat=Decimal("75.0"),
        input_ces=Decimal("5.50"),
        input_sla=Decimal("96.0"),
        input_sentiment=None,
        health_score=Decimal("75.5"),
        health_band="healthy",
    )
    snapshot(
        harbour,
        now,
        nps_responses=5,
        promoters=1,
        detractors=3,
        csat_responses=6,
        csat_satisfied=2,
        csat_sum=16,
        sla_measured=4,
        sla_met=4,
        experience_missed=1,
        input_nps=Decimal("-40.0"),
        input_csat=Decimal("33.3"),
        input_sla=Decimal("100.0"),
        health_score=Decimal("42.0"),
        health_band="at_risk",
        is_watermelon=True,
        watermelon_reasons="csat,experience_target",
    )
    snapshot(
        other_account,
        now,
        nps_responses=10,
        promoters=10,
        sla_measured=5,
        sla_met=5,
        input_nps=Decimal("100.0"),
        input_sla=Decimal("100.0"),
        health_score=Decimal("99.0"),
        health_band="healthy",
        is_watermelon=True,
        watermelon_reasons="ces",
    )
    snapshot(
        account,
        add_months(now, -2),
        nps_responses=5,
        promoters=0,
        detractors=5,
        input_nps=Decimal("-100.0"),
        health_score=Decimal("0.0"),
        health_band="at_risk",
    )


URL = "/realize/value/"


def test_the_urls_are_named(account):
    assert reverse("realization:value_dashboard") == URL
    assert reverse("realization:account_value", args=[account.pk]) == f"/realize/value/accounts/{account.pk}/"
    assert reverse("realization:health_policy") == "/realize/value/policy/"
    assert reverse("realization:value_accounts") == "/realize/value/accounts/"


# --- the portfolio's dashboard ----------------------------------------------------------------------


def test_the_dashboard_adds_up_the_owners_accounts_and_not_the_outsiders(as_user, owner, portfolio):
    response = as_user(owner).get(URL, {"months": 3})

    assert response.status_code == 200
    text = text_of(response.content.decode())
    # NPS over both accounts' answers of the three months: (7 − 10) promoters less detractors of 20.
    assert "−15 NPS" in text
    # CSAT: 5 satisfied of 10; CES: 11 ÷ 2; response rate 10 of 20 sent; SLA: 13 of 14 targets met.
    assert "50 % CSAT" in text
    assert "5.5 CES" in text
    assert "50 % Response rate" in text
    assert "93 % SLA compliance" in text
    # Average health of this month: (75.5 + 42.0) ÷ 2.
    assert "58.8 Average health" in text
    assert "Northbank" not in text


def test_each_headline_figure_says_how_it_moved_since_the_period_before(as_user, owner, account, portfolio):
    before = add_months(this_month(), -3)
    snapshot(
        account,
        add_months(before, -1),
        nps_responses=10,
        promoters=2,
        detractors=2,
        sla_measured=10,
        sla_met=10,
    )
    snapshot(account, before, health_score=Decimal("60.0"), health_band="watch")

    html = as_user(owner).get(URL, {"months": 3}).content.decode()

    cards = {
        text_of(label): text_of(change)
        for label, change in re.findall(
            r'<span class="figure">[^<]*</span>([^<]+)\s*<span class="change[^"]*">(.*?)</span></span>',
            html,
            re.S,
        )
    }
    # NPS 0 → −15; SLA compliance 100 % → 93 %; average health 60 (the last month before) → 58.8.
    assert cards["NPS"] == "▼ −15 points down 15 points on the period before"
    assert cards["SLA compliance"] == "▼ −7 points down 7 points on the period before"
    assert cards["Average health"] == "▼ −1.2 points down 1.2 points on the period before"
    assert 'class="change change-worse"' in html
    # CSAT had no answer before: nothing to compare with.
    assert "CSAT" not in cards
    assert "no figure for the period before" in html


def test_the_dashboard_draws_four_trend_charts_each_stating_its_figures(as_user, owner, portfolio):
    html = as_user(owner).get(URL, {"months": 3}).content.decode()

    assert html.count('<svg class="value-chart"') == 4
    month = this_month().strftime("%b %Y")
    two_ago = add_months(this_month(), -2).strftime("%b %Y")
    descriptions = re.findall(r"<desc[^>]*>(.*?)</desc>", html, re.S)
    nps = next(text for text in descriptions if text.startswith("NPS:"))
    assert f"{two_ago} −100" in nps and f"{month} +13" in nps, "this month: (7 − 5) of 15 answers"
    watermelon = next(text for text in descriptions if text.startswith("SLA compliance:"))
    assert f"{month} 93 %" in watermelon and "SLA green from 95 %" in watermelon
    assert "The figures of each month, as a table" in html


def test_the_health_bands_count_the_accounts_and_link_to_them(as_user, owner, portfolio):
    OrganizationFactory(name="Quiet Harbour", owner=owner)

    html = as_user(owner).get(URL).content.decode()

    distribution = re.search(r'<ul class="distribution">(.*?)</ul>', html, re.S).group(1)
    counts = {
        text_of(label): int(count)
        for label, count in re.findall(
            r'<a href="[^"]+">([^<]+)</a>.*?<span class="number">(\d+)', distribution, re.S
        )
    }
    assert counts == {"Healthy": 1, "Watch": 0, "At risk": 1, "No data": 1}
    assert 'href="/realize/value/accounts/?months=12&amp;band=at_risk"' in distribution


def test_the_dashboard_lists_the_watermelons_with_their_reasons(as_user, owner, harbour, portfolio):
    html = as_user(owner).get(URL).content.decode()

    cells = row_of(html, "CSAT below its threshold")
    assert cells[0] == "Harbour Freight"
    assert cells[2:4] == ["100 %", "33 %"]
    assert cells[6] == "CSAT below its threshold; An experience target was missed"
    assert f'href="{reverse("realization:account_value", args=[harbour.pk])}"' in html
    assert "Northbank" not in html


def test_the_dashboard_lists_the_lowest_health_first(as_user, owner, portfolio):
    html = as_user(owner).get(URL).content.decode()

    section = html[html.index('id="lowest-heading"') :]
    assert section.index("Harbour Freight") < section.index("Rentwheel Car Hire")
    assert "42 of 100, at risk" in text_of(section)


def test_the_dashboard_shows_the_detractors_to_follow_up_and_the_reviews_coming_up(
    as_user, owner, account, other_account
):
    person = StakeholderFactory(organization=account, name="Bo Jansen")
    FollowUpFactory(
        response=SurveyResponseFactory(
            organization=account, stakeholder=person, score=1, comment="Nobody called back."
        ),
        owner=owner,
    )
    FollowUpFactory(response=SurveyResponseFactory(organization=other_account, score=1))
    ValueReviewFactory(
        organization=account,
        title="Rentwheel spring review",
        scheduled_on=timezone.localdate() + timedelta(days=10),
    )

    text = text_of(as_user(owner).get(URL).content.decode())

    assert "Bo Jansen, Rentwheel Car Hire" in text
    assert "Nobody called back." in text
    assert "Northbank" not in text
    assert "Rentwheel spring review" in text


def test_the_dashboard_without_any_figures_says_so(as_user, analyst):
    text = text_of(as_user(analyst).get(URL).content.decode())

    assert "No survey answer, touchpoint or SLA measurement of your portfolio in this period yet." in text
    assert "No account has a health score yet." in text


def test_a_segment_shows_only_its_members(as_user, owner, account, harbour, portfolio):
    segment = MarketSegmentFactory(name="Car hire", organizations=[account])

    response = as_user(owner).get(URL, {"segment": segment.pk, "months": 3})

    text = text_of(response.content.decode())
    assert "Segment Car hire" in text
    assert "Harbour Freight" not in text
    assert response.context["totals"].nps_responses == 15


def test_the_filters_swap_only_the_figures_with_htmx(as_user, owner, portfolio):
    response = as_user(owner).get(URL, {"months": 6}, **HX)

    html = response.content.decode()
    assert "<html" not in html
    assert "Detractors to follow up" not in html, "the follow-ups stay outside the swapped region"
    assert html.count('<svg class="value-chart"') == 4
    assert "hx-request" in response.headers["Vary"].lower()


def test_an_unknown_period_or_segment_falls_back_to_the_portfolio_over_twelve_months(
    as_user, owner, portfolio
):
    response = as_user(owner).get(URL, {"months": "7", "segment": "999999"})

    assert response.status_code == 200
    assert len(response.context["trend"]) == 12
    assert response.context["segment"] is None


def test_the_filters_are_a_plain_form_with_labels(as_user, owner):
    html = as_user(owner).get(URL).content.decode()

    assert f'<form method="get" action="{URL}"' in html
    assert '<label for="id_segment">' in html and '<label for="id_months">' in html
    assert '<button type="submit">Show</button>' in html


def _accounts_with_figures(owner, team, count):
    for number in range(count):
        organization = OrganizationFactory(owner=owner, team=team, name=f"Account {number:02d}")
        snapshot(
            organization,
            this_month(),
            nps_responses=2,
            promoters=1,
            sla_measured=1,
            sla_met=1,
            health_score=Decimal(40 + number),
            health_band="at_risk",
            is_watermelon=True,
            watermelon_reasons="csat",
        )
        FollowUpFactory(response=SurveyResponseFactory(organization=organization, score=1))
        ValueReviewFactory(organization=organization, scheduled_on=timezone.localdate() + timedelta(days=5))


@pytest.mark.parametrize("page", ["dashboard", "accounts"])
def test_the_dashboard_costs_the_same_queries_for_one_account_or_many(as_user, owner, team, page):
    url = URL if page == "dashboard" else reverse("realization:value_accounts") + "?band=at_risk"
    client = as_user(owner)
    counts = []
    for accounts in (1, 12):
        _accounts_with_figures(owner, team, accounts)
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


# --- the accounts of a band -------------------------------------------------------------------------


def test_the_accounts_of_a_band_are_listed_lowest_first(as_user, owner, team, portfolio):
    OrganizationFactory(name="Quiet Harbour", owner=owner)
    html = as_user(owner).get(reverse("realization:value_accounts"), {"band": "at_risk"}).content.decode()

    assert "Harbour Freight" in html and "Rentwheel" not in html and "Quiet Harbour" not in html

    no_data = as_user(owner).get(reverse("realization:value_accounts"), {"band": "no_data"}).content.decode()
    assert "Quiet Harbour" in no_data and "Harbour Freight" not in no_data


# --- one account ------------------------------------------------------------------------------------


def account_url(organization):
    return reverse("realization:account_value", args=[organization.pk])


def test_the_account_page_explains_its_health_score(as_user, owner, account, portfolio):
    html = as_user(owner).get(account_url(account)).content.decode()

    # Scores: NPS (20 + 100) ÷ 2 = 60; CSAT 75; CES (5.5 − 1) ÷ 6 × 100 = 75; SLA 96; no sentiment.
    # Counted weights 25 + 25 + 15 + 20 = 85; contributions weight × score ÷ 85.
    assert row_of(html, "(NPS + 100) ÷ 2") == ["NPS", "+20", "60.0", "(NPS + 100) ÷ 2", "25", "17.6"]
    assert row_of(html, "the % satisfied")[1:] == ["75.0 %", "75.0", "the % satisfied", "25", "22.1"]
    assert row_of(html, "(mean − 1) ÷ 6 × 100")[1:] == ["5.50", "75.0", "(mean − 1) ÷ 6 × 100", "15", "13.2"]
    assert row_of(html, "the % compliant")[1:] == ["96.0 %", "96.0", "the % compliant", "20", "22.6"]
    assert row_of(html, "(mean + 2) ÷ 4 × 100")[1:] == [
        "no data",
        "—",
        "(mean + 2) ÷ 4 × 100",
        "15",
        "no data, not counted",
    ]
    assert row_of(html, "Health score")[-2:] == ["85", "75.5"]
    text = text_of(html)
    assert "(25 × 60.0 + 25 × 75.0 + 15 × 75.0 + 20 × 96.0) ÷ 85 = 75.5" in text
    assert "Left out for want of data: Touchpoint sentiment" in text
    assert "75.5 of 100 Healthy: healthy from 70" in text


def test_the_account_page_warns_of_a_watermelon_with_its_reasons(as_user, owner, harbour, portfolio):
    html = as_user(owner).get(account_url(harbour)).content.decode()

    banner = re.search(r'<section class="watermelon-banner".*?</section>', html, re.S).group(0)
    text = text_of(banner)
    assert "green outside, red inside" in text
    assert "100 % SLA compliance" in text
    assert "CSAT below its threshold" in text and "An experience target was missed" in text


def test_a_healthy_account_shows_no_watermelon(as_user, owner, account, portfolio):
    assert "watermelon-banner" not in as_user(owner).get(account_url(account)).content.decode()


def test_the_account_page_shows_the_figures_of_each_journey_step(as_user, owner, account, portfolio):
    now = this_month()
    snapshot(
        account,
        now,
        step="co_create",
        csat_responses=4,
        csat_satisfied=3,
        csat_sum=15,
        touchpoints=3,
        sentiment_sum=-3,
    )
    snapshot(account, now, step="realize", nps_responses=10, promoters=6, detractors=2)

    html = as_user(owner).get(account_url(account), {"months": 3}).content.decode()

    assert row_of(html, "Co-create")[1:] == ["4", "—", "75 %", "—", "3", "−1.00"]
    assert row_of(html, "Realize")[1:] == ["10", "+40", "—", "—", "0", "—"]


def test_the_account_page_lists_its_follow_ups_and_offers_to_plan_a_review(
    as_user, owner, account, other_account
):
    FollowUpFactory(response=SurveyResponseFactory(organization=account, score=2, comment="Too slow."))
    FollowUpFactory(response=SurveyResponseFactory(organization=other_account, score=1, comment="Northbank"))

    html = as_user(owner).get(account_url(account)).content.decode()

    assert "Too slow." in html and "Northbank" not in html
    assert f"?organization={account.pk}" in html
    assert "Plan a value review" in html


def test_an_analyst_reads_the_account_page_but_is_not_offered_to_plan_a_review(as_user, analyst, account):
    html = as_user(analyst).get(account_url(account)).content.decode()

    assert "No health score yet" in html
    assert "Plan a value review" not in html


def test_an_outsider_does_not_find_the_account(as_user, outsider, account):
    assert as_user(outsider).get(account_url(account)).status_code == 404


def test_the_teammate_sees_the_account(as_user, teammate, account, portfolio):
    assert as_user(teammate).get(account_url(account)).status_code == 200


def test_the_account_page_costs_the_same_queries_for_a_quiet_and_a_busy_account(as_user, owner, team):
    client = as_user(owner)
    counts = []
    for months in (1, 12):
        organization = OrganizationFactory(owner=owner, team=team)
        for index in range(months):
            month = add_months(this_month(), -index)
            snapshot(
                organization,
                month,
                nps_responses=3,
                promoters=2,
                health_score=Decimal(70),
                health_band="healthy",
                input_nps=Decimal(66),
            )
            snapshot(organization, month, step="realize", nps_responses=3, promoters=2)
            FollowUpFactory(response=SurveyResponseFactory(organization=organization, score=1))
        client.get(account_url(organization))
        with CaptureQueriesContext(connection) as queries:
            response = client.get(account_url(organization))
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


# --- the health policy ------------------------------------------------------------------------------

POLICY_URL = "/realize/value/policy/"
GOOD = {
    "weight_nps": 40,
    "weight_csat": 20,
    "weight_ces": 10,
    "weight_sla": 20,
    "weight_sentiment": 10,
    "window_months": 6,
    "healthy_from": "75",
    "at_risk_below": "45",
    "watermelon_sla_from": "90",
    "watermelon_csat_below": "70",
    "watermelon_ces_below": "4.5",
    "watermelon_sentiment_below": "-0.5",
}


def policy_values():
    return HealthPolicy.objects.values().get(pk=1)


def test_everyone_reads_the_policy_but_only_an_administrator_gets_the_form(as_user, analyst, administrator):
    analyst_page = as_user(analyst).get(POLICY_URL).content.decode()

    assert f'action="{POLICY_URL}"' not in analyst_page
    assert row_of(analyst_page, "Healthy from")[-1] == "70.0"
    assert "Only administrators change the policy." in analyst_page

    admin_page = as_user(administrator).get(POLICY_URL).content.decode()
    assert f'<form method="post" action="{POLICY_URL}"' in admin_page
    assert 'name="weight_nps"' in admin_page and 'value="25"' in admin_page


def test_an_administrator_changes_the_policy_and_every_score_is_recomputed(
    as_user, administrator, monkeypatch, django_capture_on_commit_callbacks
):
    from realization import tasks

    rebuilds = []
    monkeypatch.setattr(tasks.value_metrics_rebuild, "delay", lambda *args, **kwargs: rebuilds.append(1))
    HealthPolicy.current()

    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(administrator).post(POLICY_URL, GOOD)

    assert response.status_code == 302 and response["Location"] == POLICY_URL
    saved = policy_values()
    assert (saved["weight_nps"], saved["window_months"], saved["healthy_from"]) == (40, 6, Decimal("75.0"))
    assert saved["watermelon_sentiment_below"] == Decimal("-0.50")
    assert rebuilds == [1]
    page = as_user(administrator).get(POLICY_URL).content.decode()
    assert "Health policy saved." in page


def test_weights_that_are_all_zero_are_refused_naming_the_weights(as_user, administrator):
    HealthPolicy.current()
    before = policy_values()
    zero = GOOD | dict.fromkeys(
        ["weight_nps", "weight_csat", "weight_ces", "weight_sla", "weight_sentiment"], 0
    )

    response = as_user(administrator).post(POLICY_URL, zero)

    assert response.status_code == 400
    assert policy_values() == before
    form = response.context["form"]
    for name in ("weight_nps", "weight_csat", "weight_ces", "weight_sla", "weight_sentiment"):
        assert form.errors[name] == ["The weights cannot all be zero: give at least one factor a weight."]
    assert 'aria-invalid="true"' in response.content.decode()
    assert "Nothing was saved" in response.content.decode()


@pytest.mark.parametrize(
    ("field", "value"),
    [("weight_nps", "-1"), ("window_months", "13"), ("watermelon_ces_below", "9"), ("healthy_from", "abc")],
)
def test_a_value_out_of_range_is_refused_on_its_field(as_user, administrator, field, value):
    HealthPolicy.current()
    before = policy_values()

    response = as_user(administrator).post(POLICY_URL, GOOD | {field: value})

    assert response.status_code == 400
    assert list(response.context["form"].errors) == [field]
    assert policy_values() == before


def test_an_at_risk_line_above_the_healthy_line_is_refused(as_user, administrator):
    HealthPolicy.current()
    before = policy_values()

    response = as_user(administrator).post(POLICY_URL, GOOD | {"healthy_from": "50", "at_risk_below": "60"})

    assert response.status_code == 400
    assert "at_risk_below" in response.context["form"].errors
    assert policy_values() == before


@pytest.mark.parametrize("persona", ["owner", "analyst", "desk"])
def test_only_an_administrator_may_change_the_policy(client_as, persona):
    HealthPolicy.current()
    before = policy_values()

    response = client_as(persona).post(POLICY_URL, GOOD)

    assert response.status_code == 403
    assert policy_values() == before


# --- the charts -------------------------------------------------------------------------------------


def test_a_chart_breaks_its_line_where_a_month_has_no_data_and_says_so():
    from realization.value_charts import Axis, Series, trend_chart

    months = [add_months(this_month(), index) for index in (-2, -1, 0)]

    svg = trend_chart(
        chart_id="test",
        title="NPS <per> month",
        months=months,
        series=[Series("nps", "NPS", [Decimal("10"), None, Decimal("-20")], signed=True)],
        axis=Axis(-100, 100, ((100, "+100"), (0, "0"), (-100, "−100"))),
    )

    path = re.search(r'<path class="line nps" d="([^"]+)"', svg).group(1)
    assert path.count("M") == 2 and "L" not in path, "two lone points, no line across the gap"
    assert f"{months[1]:%b %Y} no data" in svg
    assert "+10" in svg and "−20" in svg
    assert '<title id="test-title">NPS &lt;per&gt; month</title>' in svg


def test_the_account_page_writes_the_accounts_name_as_text_in_its_charts(as_user, owner):
    bold = OrganizationFactory(name="<b>Bold & Sons</b>", owner=owner)
    snapshot(
        bold, this_month(), nps_responses=1, promoters=1, health_score=Decimal(90), health_band="healthy"
    )

    html = as_user(owner).get(account_url(bold)).content.decode()

    assert "<b>Bold" not in html
    assert "NPS per month: &lt;b&gt;Bold &amp; Sons&lt;/b&gt;" in html


def test_the_account_page_period_swaps_only_the_figures_with_htmx(as_user, owner, account, portfolio):
    response = as_user(owner).get(account_url(account), {"months": 3}, **HX)

    html = response.content.decode()
    assert "<html" not in html and "Follow-ups" not in html
    assert "Health score" in html and html.count('<svg class="value-chart"') == 4


# --- from the answers, through the metrics job, to the pages ----------------------------------------


def test_answers_reach_the_pages_through_the_metrics_job(as_user, owner, account):
    from realization import services
    from tests.factories.realization import SurveyFactory

    survey = SurveyFactory(survey_type="nps", question="Would you recommend us?")
    for score in (10, 9, 3):
        SurveyResponseFactory(survey=survey, organization=account, step="realize", score=score)
    services.value_metrics_rebuild()

    dashboard = text_of(as_user(owner).get(URL, {"months": 3}).content.decode())
    page = as_user(owner).get(account_url(account)).content.decode()

    # Two promoters and one detractor of three answers: NPS +33; its score (33.3 + 100) ÷ 2 = 66.7 is
    # the whole health score (no other input has data), between at risk (50) and healthy (70).
    assert "+33 NPS" in dashboard
    assert row_of(page, "(NPS + 100) ÷ 2")[1:3] == ["+33", "66.7"]
    assert "66.7 of 100 Watch" in text_of(page)
    assert row_of(page, "Realize")[1:3] == ["3", "+33"]
