"""The SLA dashboard as its users see it: the headline cards, the trend chart and its table, the kinds,
the at-risk and breached tables, the lowest accounts, the filters (plain GET and HTMX), the account's
own dashboard with its agreements, the CSV export, and the cost of a page."""

import csv
import io
import re
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from agreements.views import dashboard as dashboard_views
from journeys import roles
from tests.agreements.test_dashboard_data import APRIL, MAY, TODAY, build_portfolio, cards_from_scores, score
from tests.factories.agreements import AgreementFactory, ServiceLevelTargetFactory
from tests.factories.journeys import OrganizationFactory
from tests.helpers import HX, text_of

pytestmark = pytest.mark.django_db

DASHBOARD = "agreements:sla_dashboard"


@pytest.fixture(autouse=True)
def today_is_the_twentieth_of_may(monkeypatch):
    """The pages ask for today's date; the portfolio's figures are for 20 May 2026."""
    monkeypatch.setattr(timezone, "localdate", lambda *args: TODAY)


@pytest.fixture
def portfolio(account, other_account):
    return build_portfolio(account, other_account)


def url(name=DASHBOARD, *args, **query) -> str:
    path = reverse(name, args=args)
    return path + ("?" + "&".join(f"{key}={value}" for key, value in query.items()) if query else "")


def section(response, heading_id: str) -> str:
    """The visible text of the section labelled by `heading_id`."""
    found = re.search(
        rf'<section aria-labelledby="{heading_id}".*?</section>', response.content.decode(), re.S
    )
    return text_of(found.group(0)) if found else ""


def cards(response) -> str:
    return section(response, "sla-headline")


def table_rows(response, heading_id: str) -> list[str]:
    found = re.search(
        rf'<section aria-labelledby="{heading_id}".*?</section>', response.content.decode(), re.S
    )
    return [text_of(row) for row in re.findall(r"<tr>.*?</tr>", found.group(0), re.S)] if found else []


# --- the portfolio dashboard ----------------------------------------------------------------------


def test_the_dashboard_shows_the_headline_of_this_month_and_last(as_user, owner, portfolio):
    response = as_user(owner).get(url())

    assert response.status_code == 200
    assert "<html" in response.content.decode()
    headline = cards(response)
    assert "May 2026 so far 66.7 % 3 measured: 1 met, 1 at risk, 1 breached" in headline
    assert "April 2026 33.3 % 3 measured: 1 met, 0 at risk, 2 breached" in headline
    assert "Change +33.4 percentage points since last month" in headline
    assert "At risk 2" in headline and "Breached 3" in headline
    assert "Active agreements 2" in headline


def test_the_trend_is_a_chart_that_states_every_month_and_a_table(as_user, owner, portfolio):
    response = as_user(owner).get(url())

    trend = section(response, "sla-trend-heading")
    html = response.content.decode()
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in html and 'role="img"' in html
    assert "Mar 2026: 66.7 % (3 measured, 1 breached)" in trend
    assert "May 2026: 66.7 % so far (3 measured, 1 breached)" in trend
    assert "Jun 2025: no measurements" in trend
    assert (
        "April 2026 33.3 % 3 1 0 2" in trend
    )  # the table: month, compliance, measured, met, at risk, breached


def test_this_months_kinds_and_the_lowest_accounts_are_listed(as_user, desk, portfolio):
    response = as_user(desk).get(url())

    kinds = section(response, "sla-kinds-heading")
    assert "Warranty 50.0 % 2 0 1" in kinds
    assert "Utility — 0 0 0" in kinds
    assert (
        "Lowest this month Account Compliance Breached "
        "Northbank Savings 0.0 % 1 of 1 Rentwheel Car Hire 66.7 % 1 of 3" in kinds
    )
    assert (
        reverse("agreements:account_sla_dashboard", args=[portfolio.other_account.pk])
        in response.content.decode()
    )


def test_the_breached_and_at_risk_tables_come_worst_first_and_link_the_agreement(as_user, owner, portfolio):
    response = as_user(owner).get(url())

    breached = table_rows(response, "sla-breached-heading")
    assert breached[1:] == [
        "Rentwheel Car Hire Loyalty outcomes Repeat rentals Outcome 10 % ≥ 50 % May 2026 (open)",
        "Rentwheel Car Hire Booking portal SLA First response Experience 5 hours ≤ 4 hours April 2026",
        "Rentwheel Car Hire Booking portal SLA Portal availability Warranty 98 % ≥ 99.5 % April 2026",
    ]
    at_risk = table_rows(response, "sla-at-risk-heading")
    assert at_risk[1].startswith(
        "Rentwheel Car Hire Loyalty outcomes Bookings completed online Utility 95.5 %"
    )
    assert "Q2 2026 (open)" in at_risk[1]
    assert reverse("agreements:agreement_detail", args=[portfolio.a2.pk]) in response.content.decode()


def test_a_capped_list_says_how_many_more_there_are_and_links_them_all(
    as_user, owner, portfolio, monkeypatch
):
    monkeypatch.setattr(dashboard_views, "DASHBOARD_LIST_SHOWN", 2)

    response = as_user(owner).get(url(kind="experience"))

    breached = section(response, "sla-breached-heading")
    assert "The 1 furthest from their target of 1" not in breached  # not capped: nothing more to show
    response = as_user(owner).get(url())
    assert "The 2 furthest from their target of 3. Show all 3 breached targets" in section(
        response, "sla-breached-heading"
    )
    assert '<a href="/agree/?list=breached">Show all 3 breached targets</a>' in response.content.decode()
    assert "Show all" not in section(response, "sla-at-risk-heading")  # both of its two are shown


BREACHED_ROWS = [
    "Rentwheel Car Hire Loyalty outcomes Repeat rentals Outcome 10 % ≥ 50 % May 2026 (open)",
    "Rentwheel Car Hire Booking portal SLA First response Experience 5 hours ≤ 4 hours April 2026",
    "Rentwheel Car Hire Booking portal SLA Portal availability Warranty 98 % ≥ 99.5 % April 2026",
]


def test_show_all_lists_the_whole_list_worst_first_with_a_way_back(as_user, owner, portfolio):
    response = as_user(owner).get(url(list="breached"))

    assert response.status_code == 200
    html = response.content.decode()
    listed = section(response, "sla-list-heading")
    assert listed.startswith("Breached (3) Back to the dashboard 1–3 of 3, furthest from their target first")
    assert table_rows(response, "sla-list-heading")[1:] == BREACHED_ROWS
    assert '<a href="/agree/">Back to the dashboard</a>' in html
    assert "Page 1 of" not in listed  # one page: no page links
    form = re.search(r'<form method="get".*?</form>', html, re.S).group(0)
    assert '<input type="hidden" name="list" value="breached">' in form  # a filter keeps the list
    assert 'id="sla-headline"' not in html and "Lowest this month" not in html


def test_the_whole_list_is_paged(as_user, owner, portfolio, monkeypatch):
    monkeypatch.setattr(dashboard_views, "LIST_PAGE_SIZE", 2)
    client = as_user(owner)

    first = client.get(url(list="breached"))
    second = client.get(url(list="breached", page=2))

    assert table_rows(first, "sla-list-heading")[1:] == BREACHED_ROWS[:2]
    assert '<a href="/agree/?list=breached&amp;page=2" rel="next">Next page</a>' in first.content.decode()
    assert "Page 1 of 2" in section(first, "sla-list-heading")
    assert table_rows(second, "sla-list-heading")[1:] == BREACHED_ROWS[2:]
    assert '<a href="/agree/?list=breached" rel="prev">Previous page</a>' in second.content.decode()
    assert "3–3 of 3" in section(second, "sla-list-heading")
    assert client.get(url(list="breached", page=3)).status_code == 404


def test_the_whole_list_keeps_the_filters(as_user, owner, portfolio):
    response = as_user(owner).get(url(list="at_risk", kind="experience"))

    assert [row.split(" Experience")[0] for row in table_rows(response, "sla-list-heading")[1:]] == [
        "Rentwheel Car Hire Booking portal SLA First response"
    ]
    html = response.content.decode()
    assert '<a href="/agree/?kind=experience">Back to the dashboard</a>' in html
    assert 'hx-get="/agree/?kind=experience&amp;list=at_risk"' in html  # the refresh stays on the list
    assert "experience targets" in text_of(html)


def test_the_account_dashboard_lists_whole_without_the_account_column(as_user, owner, portfolio):
    response = as_user(owner).get(
        url("agreements:account_sla_dashboard", portfolio.account.pk, list="breached")
    )

    rows = table_rows(response, "sla-list-heading")
    assert rows[0] == "Agreement Target Kind Achieved Target value Period"
    assert rows[1] == "Loyalty outcomes Repeat rentals Outcome 10 % ≥ 50 % May 2026 (open)"
    assert f"/agree/accounts/{portfolio.account.pk}/sla/" in response.content.decode()


def test_an_empty_list_says_so(as_user, outsider, portfolio):
    listed = section(as_user(outsider).get(url(list="at_risk")), "sla-list-heading")

    assert listed == (
        "At risk (0) Back to the dashboard No target is at risk in the current periods or last month."
    )


def test_an_unknown_list_shows_the_dashboard(as_user, owner, portfolio):
    response = as_user(owner).get(url(list="met"))

    assert response.status_code == 200
    assert "May 2026 so far 66.7 %" in cards(response)


def test_an_outsider_sees_nothing_of_the_owners_account(as_user, outsider, portfolio):
    page = text_of(as_user(outsider).get(url()).content.decode())

    assert "Rentwheel" not in page and "Booking portal SLA" not in page
    assert "Northbank Savings" in page


def test_without_scores_the_dashboard_says_what_to_do(as_user, owner, account):
    response = as_user(owner).get(url())

    assert response.status_code == 200
    page = text_of(response.content.decode())
    assert "Nothing measured in the last 12 months." in page
    assert "No target is breached in the current periods or last month." in page


# --- filters --------------------------------------------------------------------------------------


def test_the_filters_narrow_the_figures(as_user, owner, portfolio):
    client = as_user(owner)

    assert "May 2026 so far 100.0 %" in cards(client.get(url(kind="warranty")))
    assert "April 2026 0.0 %" in cards(client.get(url(offering=portfolio.o1.pk)))
    assert "May 2026 so far 66.7 %" in cards(client.get(url(account=portfolio.account.pk)))


def test_the_filter_form_offers_the_visible_accounts_and_keeps_the_choices(as_user, owner, portfolio):
    html = as_user(owner).get(url(offering=portfolio.o1.pk, kind="warranty", months=6)).content.decode()

    form = re.search(r'<form method="get".*?</form>', html, re.S).group(0)
    assert f'<option value="{portfolio.account.pk}">Rentwheel Car Hire</option>' in form
    assert "Northbank" not in form
    assert f'<option value="{portfolio.o1.pk}" selected>Fleet booking portal</option>' in form
    assert '<option value="warranty" selected>Warranty</option>' in form
    assert '<option value="6" selected>6 months</option>' in form
    assert 'hx-get="/agree/"' in form and 'hx-push-url="true"' in form and 'hx-target="#sla-results"' in form


def test_bad_filter_values_are_ignored(as_user, owner, portfolio):
    response = as_user(owner).get(url(kind="bogus", months="many", offering="x"))

    assert response.status_code == 200
    assert "May 2026 so far 66.7 %" in cards(response)


def test_an_account_the_user_may_not_see_is_not_found(as_user, outsider, portfolio):
    assert as_user(outsider).get(url(account=portfolio.account.pk)).status_code == 404


def test_with_many_accounts_the_filter_is_a_search_by_name(as_user, desk, portfolio, monkeypatch):
    monkeypatch.setattr(dashboard_views, "ACCOUNT_LIST_LIMIT", 1)

    response = as_user(desk).get(url(q="northbank"))

    html = response.content.decode()
    assert '<input id="sla-q" type="search" name="q" value="northbank"' in html
    assert "May 2026 so far 0.0 %" in cards(response)
    assert "accounts named like “northbank”" in text_of(html)


def test_htmx_gets_the_results_alone(as_user, owner, portfolio):
    response = as_user(owner).get(url(kind="warranty"), **HX)

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and "<form" not in html
    assert html.lstrip().startswith('<div id="sla-results"')
    assert 'hx-trigger="every 60s"' in html and 'hx-get="/agree/?kind=warranty"' in html
    assert "May 2026 so far 100.0 %" in text_of(html)
    assert "HX-Request" in response["Vary"]


def test_the_results_link_a_refresh_and_an_export_with_the_filters(as_user, owner, portfolio):
    html = as_user(owner).get(url(kind="warranty", offering=portfolio.o1.pk)).content.decode()

    query = f"offering={portfolio.o1.pk}&amp;kind=warranty"
    assert f'<a href="/agree/?{query}" hx-get="/agree/?{query}"' in html
    assert f'<a href="/agree/sla/export.csv?{query}">Export CSV</a>' in html
    assert '<a href="/agree/">Clear the filters</a>' in html


# --- one account ----------------------------------------------------------------------------------


def test_the_account_dashboard_shows_its_figures_and_agreements(as_user, owner, portfolio):
    response = as_user(owner).get(url("agreements:account_sla_dashboard", portfolio.account.pk))

    assert response.status_code == 200
    assert "May 2026 so far 66.7 %" in cards(response)
    agreements = table_rows(response, "sla-agreements-heading")
    assert agreements[1].startswith("Booking portal SLA Service level agreement (SLA) Active")
    assert agreements[1].endswith("100.0 % 0")
    assert agreements[2].startswith("Loyalty outcomes") and agreements[2].endswith("0.0 % 1")
    assert agreements[3].startswith("Draft kiosk SLA") and agreements[3].endswith("— 0")
    page = text_of(response.content.decode())
    assert "Lowest this month" not in page and "Northbank" not in page
    assert '<a href="/agree/sla/export.csv?account=' in response.content.decode()


def test_the_account_dashboard_takes_the_other_filters(as_user, owner, portfolio):
    response = as_user(owner).get(
        url("agreements:account_sla_dashboard", portfolio.account.pk, kind="outcome")
    )

    assert "May 2026 so far 0.0 %" in cards(response)


def test_the_account_dashboard_is_not_found_for_an_outsider(as_user, outsider, portfolio):
    response = as_user(outsider).get(url("agreements:account_sla_dashboard", portfolio.account.pk))

    assert response.status_code == 404


# --- the export -----------------------------------------------------------------------------------


def export_rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(body)))


def test_the_export_is_a_csv_of_every_score_with_the_filters(as_user, owner, portfolio):
    response = as_user(owner).get(url("agreements:sla_dashboard_export", kind="warranty"))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="sla-compliance-2026-05-20.csv"'
    rows = export_rows(response)
    assert rows[0] == [
        "Account",
        "Agreement",
        "Target",
        "Kind",
        "Period",
        "Period start",
        "Period end",
        "Achieved value",
        "Target rule",
        "Warning threshold",
        "Status",
        "Measurements",
    ]
    assert rows[1:] == [
        [
            "Rentwheel Car Hire",
            "Booking portal SLA",
            "Portal availability",
            "Warranty",
            "March 2026",
            "2026-03-01",
            "2026-03-31",
            "99.9",
            "≥ 99.5 %",
            "99.7",
            "Met",
            "3",
        ],
        [
            "Rentwheel Car Hire",
            "Booking portal SLA",
            "Portal availability",
            "Warranty",
            "April 2026",
            "2026-04-01",
            "2026-04-30",
            "98",
            "≥ 99.5 %",
            "99.7",
            "Breached",
            "3",
        ],
        [
            "Rentwheel Car Hire",
            "Booking portal SLA",
            "Portal availability",
            "Warranty",
            "May 2026",
            "2026-05-01",
            "2026-05-31",
            "99.8",
            "≥ 99.5 %",
            "99.7",
            "Met",
            "3",
        ],
    ]


def test_the_export_covers_the_same_scores_as_the_dashboard(as_user, desk, portfolio):
    rows = export_rows(as_user(desk).get(url("agreements:sla_dashboard_export")))[1:]

    # Every score whose period ends in the last twelve months, no data included; the open second
    # quarter ends in June and is left out, as on the dashboard.
    assert len(rows) == 13
    assert [row[0] for row in rows[:4]] == ["Northbank Savings"] * 3 + ["Rentwheel Car Hire"]
    assert rows[9][2:5:2] == ["Bookings completed online", "Q1 2026"]
    assert {row[0] for row in rows} == {"Rentwheel Car Hire", "Northbank Savings"}
    assert [row[10] for row in rows if row[2] == "Repeat rentals"] == ["No data", "Met", "Breached"]


def test_the_export_follows_account_and_offering(as_user, desk, portfolio):
    client = as_user(desk)

    northbank = export_rows(
        client.get(url("agreements:sla_dashboard_export", account=portfolio.other_account.pk))
    )
    loyalty = export_rows(client.get(url("agreements:sla_dashboard_export", offering=portfolio.o2.pk)))

    assert {row[0] for row in northbank[1:]} == {"Northbank Savings"}
    assert {row[1] for row in loyalty[1:]} == {"Loyalty outcomes"}


def test_the_export_keeps_formulas_from_running(as_user, owner, account):
    agreement = AgreementFactory(organization=account, title="+Agreement", status="active")
    target = ServiceLevelTargetFactory(agreement=agreement, name='=HYPERLINK("http://evil.example")')
    score(target, MAY, "met", "99.9")
    OrganizationFactory(name="@Other")

    rows = export_rows(as_user(owner).get(url("agreements:sla_dashboard_export")))

    assert rows[1][:3] == ["Rentwheel Car Hire", "'+Agreement", '\'=HYPERLINK("http://evil.example")']


def test_the_export_of_an_outsiders_account_is_not_found(as_user, outsider, portfolio):
    response = as_user(outsider).get(url("agreements:sla_dashboard_export", account=portfolio.account.pk))

    assert response.status_code == 404


# --- cost -----------------------------------------------------------------------------------------


def more_scores(account, count: int) -> None:
    for number in range(count):
        organization = OrganizationFactory(name=f"Extra {number}", owner=account.owner, team=account.team)
        agreement = AgreementFactory(organization=organization, status="active")
        target = ServiceLevelTargetFactory(agreement=agreement, name=f"Extra target {number}")
        score(target, APRIL, "breached", "90")
        score(target, MAY, "at_risk", "99.6")
    cards_from_scores()


@pytest.mark.parametrize("name", ["agreements:sla_dashboard", "agreements:account_sla_dashboard"])
def test_a_page_costs_the_same_queries_whatever_the_data(
    client, owner, account, other_account, name, django_assert_num_queries
):
    build_portfolio(account, other_account)
    client.force_login(owner)
    page = url(name, *([account.pk] if name.endswith("account_sla_dashboard") else []))
    client.get(page)
    roles.roles_of(owner)

    # The session and its user, the accounts (on the portfolio page: the filter's choices, whose ids
    # the figures reuse) or the account itself, the offerings, the dashboard's figures and its lists,
    # and on an account's page its agreements.
    with django_assert_num_queries(6 if name == DASHBOARD else 7) as captured:
        client.get(page)
    more_scores(account, 8)
    with django_assert_num_queries(len(captured)):
        response = client.get(page)
    assert "Extra target 7" in response.content.decode() or name != DASHBOARD


@pytest.mark.parametrize("name", ["agreements:sla_dashboard", "agreements:account_sla_dashboard"])
def test_a_whole_list_costs_the_same_queries_whatever_the_data(
    client, owner, account, other_account, name, django_assert_num_queries
):
    build_portfolio(account, other_account)
    client.force_login(owner)
    page = url(name, *([account.pk] if name.endswith("account_sla_dashboard") else []), list="breached")
    client.get(page)

    # The session and its user, the accounts (on the portfolio page: the filter's choices, whose ids
    # the list reuses) or the account itself, the offerings, the page.
    with django_assert_num_queries(5) as captured:
        client.get(page)
    more_scores(account, 8)
    with django_assert_num_queries(len(captured)):
        response = client.get(page)
    assert "Extra target 7" in response.content.decode() or name != DASHBOARD


def test_the_open_month_is_labelled_so_far_in_the_chart(as_user, owner, portfolio):
    html = as_user(owner).get(url(months=6)).content.decode()

    assert 'class="bar high open"' not in html  # 66.7 % is low
    assert 'class="bar low open"' in html
    assert date(2026, 5, 1).strftime("%b %Y") + ": 66.7 % so far" in html
