"""Compliance where one agreement or one account is shown: the compliance section of the agreement's
page (this month, last month, the trend, each target in its open period and the one before, the open
breaches; "not computed yet" before the engine ran) and the figures of the account page's Agree
panel."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone

from agreements.models import Agreement
from agreements.selectors import account_agreements_compliance, account_sla_panel, agreement_compliance
from journeys import roles
from tests.agreements.test_dashboard_data import APRIL, MAY, Q1, TODAY, build_portfolio
from tests.factories.agreements import AgreementFactory, BreachFactory
from tests.helpers import text_of

pytestmark = pytest.mark.django_db

P = Decimal


@pytest.fixture
def portfolio(account, other_account):
    return build_portfolio(account, other_account)


def loaded(agreement) -> Agreement:
    """The agreement as its page loads it, with its account."""
    return Agreement.objects.select_related("organization").get(pk=agreement.pk)


def rows_of(compliance) -> list[tuple]:
    return [
        (
            row.target.name,
            row.current.status if row.current else None,
            row.current_text,
            row.current_label,
            row.previous.status if row.previous else None,
            row.previous_text,
            row.previous_label,
        )
        for row in compliance.targets
    ]


# --- the agreement's section ----------------------------------------------------------------------


def test_an_agreement_shows_this_month_last_month_and_the_trend(owner, portfolio):
    compliance = agreement_compliance(user=owner, agreement=loaded(portfolio.a1), today=TODAY)

    assert (compliance.this_month.pct, compliance.this_month.measured, compliance.this_month.at_risk) == (
        P("100.0"),
        2,
        1,
    )
    assert (compliance.last_month.pct, compliance.last_month.breached) == (P("0.0"), 2)
    assert compliance.change == P("100.0")
    assert len(compliance.trend) == 12 and compliance.trend[-1].month == MAY
    assert [(entry.month, entry.figures.pct) for entry in compliance.trend if entry.figures.measured] == [
        (date(2026, 3, 1), P("100.0")),
        (APRIL, P("0.0")),
        (MAY, P("100.0")),
    ]
    assert (compliance.this_month_label, compliance.last_month_label) == ("May 2026", "April 2026")


def test_each_target_shows_its_open_period_and_the_one_before(owner, portfolio):
    monthly = agreement_compliance(user=owner, agreement=loaded(portfolio.a1), today=TODAY)
    quarterly = agreement_compliance(user=owner, agreement=loaded(portfolio.a2), today=TODAY)

    assert rows_of(monthly) == [
        ("Portal availability", "met", "99.8 %", "May 2026", "breached", "98 %", "April 2026"),
        ("First response", "at_risk", "3.5 hours", "May 2026", "breached", "5 hours", "April 2026"),
    ]
    assert rows_of(quarterly) == [
        ("Bookings completed online", "at_risk", "95.5 %", "Q2 2026", "breached", "90 %", "Q1 2026"),
        ("Repeat rentals", "breached", "10 %", "May 2026", "met", "70 %", "April 2026"),
    ]


def test_open_breaches_are_listed_latest_first_and_cleared_ones_left_out(owner, portfolio):
    BreachFactory(target=portfolio.t3, period_start=Q1, achieved_value=P("90"))
    BreachFactory(target=portfolio.t5, period_start=MAY, achieved_value=P("10"))
    BreachFactory(target=portfolio.t5, period_start=APRIL, achieved_value=P("40"), cleared_at=timezone.now())

    compliance = agreement_compliance(user=owner, agreement=loaded(portfolio.a2), today=TODAY)

    assert [
        (breach.target.name, breach.period_label, breach.achieved_text) for breach in compliance.open_breaches
    ] == [
        ("Repeat rentals", "May 2026", "10 %"),
        ("Bookings completed online", "Q1 2026", "90 %"),
    ]
    assert compliance.open_breach_count == 2


def test_an_agreement_nothing_was_computed_for_has_no_compliance(owner, account):
    agreement = AgreementFactory(organization=account, status="active")

    assert agreement_compliance(user=owner, agreement=loaded(agreement), today=TODAY) is None


def test_an_outsider_may_not_read_an_agreements_compliance(outsider, portfolio):
    with pytest.raises(Http404):
        agreement_compliance(user=outsider, agreement=loaded(portfolio.a1), today=TODAY)


def test_the_section_costs_four_queries_whatever_the_agreement(owner, portfolio, django_assert_num_queries):
    for number in range(6):
        BreachFactory(target=portfolio.t1, period_start=date(2025, 6 + number, 1))
    agreement = loaded(portfolio.a1)
    roles.roles_of(owner)  # read with the user on every request

    with django_assert_num_queries(4):
        agreement_compliance(user=owner, agreement=agreement, today=TODAY)
    empty = loaded(AgreementFactory(organization=portfolio.account))
    with django_assert_num_queries(2):  # nothing computed: no targets or breaches to read
        agreement_compliance(user=owner, agreement=empty, today=TODAY)


def test_the_section_renders_the_figures_targets_breaches_and_chart(owner, portfolio):
    BreachFactory(target=portfolio.t1, period_start=APRIL, achieved_value=P("98"), notified_at=timezone.now())
    compliance = agreement_compliance(user=owner, agreement=loaded(portfolio.a1), today=TODAY)

    html = render_to_string("agreements/_agreement_compliance.html", {"compliance": compliance})

    text = text_of(html)
    assert "May 2026 so far 100.0 % 2 measured: 1 met, 1 at risk, 0 breached" in text
    assert "April 2026 0.0 %" in text and "Change +100.0 percentage points since last month" in text
    assert "Open breaches 1" in text
    assert "Portal availability Warranty ≥ 99.5 % Met 99.8 % May 2026 Breached 98 % April 2026" in text
    assert (
        "First response Experience ≤ 4 hours At risk 3.5 hours May 2026 Breached 5 hours April 2026" in text
    )
    assert "Portal availability in April 2026: 98 % against ≥ 99.5 %" in text and "owner e-mailed" in text
    assert 'class="score-status score-status-at_risk"' in html
    assert "<svg" in html and "May 2026: 100.0 % so far (2 measured, 0 breached)" in text
    assert f"/agree/accounts/{portfolio.account.pk}/sla/" in html


def test_the_section_says_when_nothing_was_computed_yet():
    text = text_of(render_to_string("agreements/_agreement_compliance.html", {"compliance": None}))

    assert "Not computed yet." in text
    assert "record measurements for its targets" in text


def test_a_target_without_a_score_says_so(owner, portfolio):
    from tests.factories.agreements import ServiceLevelTargetFactory

    ServiceLevelTargetFactory(agreement=portfolio.a1, name="Capacity headroom")
    compliance = agreement_compliance(user=owner, agreement=loaded(portfolio.a1), today=TODAY)

    text = text_of(render_to_string("agreements/_agreement_compliance.html", {"compliance": compliance}))

    assert "Capacity headroom Warranty ≥ 99.5 % not computed May 2026 not computed April 2026" in text


# --- the account panel ----------------------------------------------------------------------------


def test_the_panel_counts_agreements_by_status_and_shows_the_accounts_compliance(owner, portfolio):
    panel = account_sla_panel(user=owner, organization=portfolio.account, today=TODAY)

    counts = {value: count for value, _label, count in panel["agreement_counts"]}
    assert counts == {"draft": 1, "negotiating": 0, "agreed": 0, "active": 2, "expired": 0, "terminated": 0}
    assert panel["agreement_total"] == 3
    assert (panel["this_month"].pct, panel["last_month"].pct, panel["change"]) == (
        P("66.7"),
        P("33.3"),
        P("33.4"),
    )
    assert (panel["this_month_label"], panel["last_month_label"]) == ("May 2026", "April 2026")
    assert panel["computed"] is True


def test_the_panel_lists_active_agreements_with_this_months_compliance(owner, portfolio):
    panel = account_sla_panel(user=owner, organization=portfolio.account, today=TODAY)

    assert [(row.title, row.figures.pct, row.figures.breached) for row in panel["active_agreements"]] == [
        ("Booking portal SLA", P("100.0"), 0),
        ("Loyalty outcomes", P("0.0"), 1),
    ]
    assert panel["breached_targets"] == 1


def test_the_panel_of_an_account_without_scores_says_nothing_was_computed(owner, account):
    AgreementFactory(organization=account, status="active", starts_on=TODAY - timedelta(days=3))

    panel = account_sla_panel(user=owner, organization=account, today=TODAY)

    assert panel["computed"] is False
    assert panel["this_month"].pct is None
    assert [row.computed for row in panel["active_agreements"]] == [False]


def test_the_panel_costs_three_queries_and_is_not_found_for_outsiders(
    owner, outsider, portfolio, django_assert_num_queries
):
    roles.roles_of(owner)
    with django_assert_num_queries(3):
        account_sla_panel(user=owner, organization=portfolio.account, today=TODAY)
    with pytest.raises(Http404):
        account_sla_panel(user=outsider, organization=portfolio.account, today=TODAY)


def test_the_accounts_agreements_list_active_ones_first(owner, portfolio):
    rows = account_agreements_compliance(user=owner, organization=portfolio.account, today=TODAY)

    assert [(row.title, row.status, row.computed) for row in rows] == [
        ("Booking portal SLA", "active", True),
        ("Loyalty outcomes", "active", True),
        ("Draft kiosk SLA", "draft", False),
    ]


def test_the_panel_template_shows_the_figures_and_links(owner, portfolio):
    panel = account_sla_panel(user=owner, organization=portfolio.account, today=TODAY)

    html = render_to_string(
        "agreements/_sla_account_panel.html", {"agree": panel, "organization": portfolio.account}
    )

    text = text_of(html)
    assert "Agreements: 1 draft · 2 active · agreements" in text
    assert "Compliance: May 2026 so far 66.7 % (April 2026: 33.3 %, +33.4 points)" in text
    assert "1 target breached this month." in text
    assert "Booking portal SLA 100.0 % this month" in text
    assert "Loyalty outcomes 0.0 % this month, 1 breached" in text
    assert f"/agree/accounts/{portfolio.account.pk}/sla/" in html
    assert f"/agree/agreements/{portfolio.a1.pk}/" in html


def test_the_panel_template_of_an_account_without_agreements(owner, account):
    panel = account_sla_panel(user=owner, organization=account, today=TODAY)

    text = text_of(
        render_to_string("agreements/_sla_account_panel.html", {"agree": panel, "organization": account})
    )

    assert "Agreements: none yet" in text
    assert "Compliance: not computed yet" in text
