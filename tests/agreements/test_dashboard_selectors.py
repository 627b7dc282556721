"""The SLA dashboard's figures, proved on the hand-built portfolio of test_dashboard_data: the headline
of this month and last with the change, the trend (a quarterly target counted in its quarter's last
month), the breakdown per kind, the filters, the at-risk and breached lists worst first, the accounts
lowest this month, who sees what, and a constant number of queries."""

from datetime import date
from decimal import Decimal

import pytest
from django.http import Http404

from agreements.models import ComplianceStatus
from agreements.selectors import (
    DASHBOARD_LOWEST_ACCOUNTS,
    ComplianceFigures,
    rule_text,
    sla_accounts,
    sla_dashboard,
    sla_offering_choices,
    sla_score_list,
)
from journeys import roles
from journeys.roles import Role
from tests.agreements.test_dashboard_data import (
    APRIL,
    MARCH,
    MAY,
    TODAY,
    build_portfolio,
    cards_from_scores,
    score,
)
from tests.factories.agreements import AgreementFactory, ServiceLevelTargetFactory
from tests.factories.journeys import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

P = Decimal


@pytest.fixture
def portfolio(account, other_account):
    return build_portfolio(account, other_account)


def trend_of(dashboard) -> dict[date, tuple]:
    """Each month with anything measured: (compliance %, measured, breached)."""
    return {
        entry.month: (entry.figures.pct, entry.figures.measured, entry.figures.breached)
        for entry in dashboard.trend
        if entry.figures.measured
    }


def kinds_of(dashboard) -> dict[str, tuple]:
    return {entry.kind.value: (entry.figures.pct, entry.figures.measured) for entry in dashboard.by_kind}


def names(rows) -> list[tuple[str, str]]:
    return [(row.target_name, row.period_label) for row in rows]


# --- the figures ----------------------------------------------------------------------------------


def test_compliance_is_met_or_at_risk_over_measured_with_one_decimal():
    assert ComplianceFigures(met=1, at_risk=1, breached=1).pct == P("66.7")
    assert ComplianceFigures(met=1, breached=2).pct == P("33.3")
    assert ComplianceFigures(met=1, at_risk=0, breached=7).pct == P("12.5")
    assert ComplianceFigures().pct is None


def test_the_headline_shows_this_month_so_far_and_last_month_with_the_change(owner, portfolio):
    dashboard = sla_dashboard(user=owner, today=TODAY)

    current, previous = dashboard.current, dashboard.previous
    assert (current.measured, current.met, current.at_risk, current.breached, current.pct) == (
        3,
        1,
        1,
        1,
        P("66.7"),
    )
    assert (previous.measured, previous.met, previous.breached, previous.pct) == (3, 1, 2, P("33.3"))
    assert dashboard.change == P("33.4")
    assert dashboard.active_agreements == 2  # the draft does not count


def test_the_trend_counts_a_quarterly_target_in_its_quarters_last_month(owner, portfolio):
    dashboard = sla_dashboard(user=owner, today=TODAY)

    assert len(dashboard.trend) == 12
    assert (dashboard.trend[0].month, dashboard.trend[-1].month) == (date(2025, 6, 1), MAY)
    # March holds the first quarter's utility target (breached) beside two met monthly ones; the second
    # quarter's (at risk, still open) counts in June, after this month.
    assert trend_of(dashboard) == {
        MARCH: (P("66.7"), 3, 1),
        APRIL: (P("33.3"), 3, 2),
        MAY: (P("66.7"), 3, 1),
    }


def test_the_trend_covers_the_months_asked_for(owner, portfolio):
    dashboard = sla_dashboard(user=owner, today=TODAY, months=2)

    assert [entry.month for entry in dashboard.trend] == [APRIL, MAY]
    assert sla_dashboard(user=owner, today=TODAY, months=500).months == 36


def test_this_month_is_broken_down_by_kind(owner, portfolio):
    dashboard = sla_dashboard(user=owner, today=TODAY)

    assert kinds_of(dashboard) == {
        "utility": (None, 0),  # its quarter ends in June
        "warranty": (P("100.0"), 1),
        "experience": (P("100.0"), 1),  # at risk still counts as kept
        "outcome": (P("0.0"), 1),
    }


def test_the_whole_portfolio_counts_every_account(desk, portfolio):
    dashboard = sla_dashboard(user=desk, today=TODAY)

    assert trend_of(dashboard) == {
        MARCH: (P("66.7"), 3, 1),  # Northbank had no data in March: not measured
        APRIL: (P("50.0"), 4, 2),
        MAY: (P("50.0"), 4, 2),
    }
    assert dashboard.change == P("0.0")
    assert dashboard.active_agreements == 3


def test_the_figures_from_scorecards_agree_with_counting_the_scores_kind_by_kind(desk, portfolio):
    """Without a kind the trend comes from the scorecards; each kind is counted from the scores. The
    kinds add up to the whole."""
    whole = sla_dashboard(user=desk, today=TODAY)
    per_kind = [
        sla_dashboard(user=desk, today=TODAY, kind=kind)
        for kind in ("utility", "warranty", "experience", "outcome")
    ]

    for index, month in enumerate(whole.trend):
        added = ComplianceFigures()
        for dashboard in per_kind:
            added = added + dashboard.trend[index].figures
        assert added == month.figures, month.month
    assert sum((entry.figures for entry in whole.by_kind), ComplianceFigures()) == whole.current


# --- filters --------------------------------------------------------------------------------------


def test_an_offering_narrows_to_the_agreements_covering_it(owner, desk, portfolio):
    mine = sla_dashboard(user=owner, today=TODAY, offering=portfolio.o1)
    everyone = sla_dashboard(user=desk, today=TODAY, offering=portfolio.o1)

    assert trend_of(mine) == {MARCH: (P("100.0"), 2, 0), APRIL: (P("0.0"), 2, 2), MAY: (P("100.0"), 2, 0)}
    assert trend_of(everyone)[MAY] == (P("66.7"), 3, 1)
    assert mine.active_agreements == 1
    assert names(mine.breached) == [("First response", "April 2026"), ("Portal availability", "April 2026")]
    assert names(mine.at_risk) == [("First response", "May 2026")]


def test_a_kind_narrows_to_its_targets(owner, desk, portfolio):
    warranty = sla_dashboard(user=owner, today=TODAY, kind="warranty")

    assert trend_of(warranty) == {MARCH: (P("100.0"), 1, 0), APRIL: (P("0.0"), 1, 1), MAY: (P("100.0"), 1, 0)}
    assert kinds_of(warranty) == {"warranty": (P("100.0"), 1)}
    assert names(warranty.breached) == [("Portal availability", "April 2026")]
    assert warranty.at_risk == []
    assert sla_dashboard(user=desk, today=TODAY, kind="warranty").current.pct == P("50.0")
    assert sla_dashboard(user=owner, today=TODAY, kind="utility").active_agreements == 1


def test_an_unknown_kind_counts_as_none(owner, portfolio):
    assert sla_dashboard(user=owner, today=TODAY, kind="bogus").kind == ""


def test_one_account_shows_only_its_own(desk, portfolio):
    dashboard = sla_dashboard(user=desk, today=TODAY, organization=portfolio.other_account)

    assert trend_of(dashboard) == {APRIL: (P("100.0"), 1, 0), MAY: (P("0.0"), 1, 1)}
    assert names(dashboard.breached) == [("App availability", "May 2026")]
    assert dashboard.at_risk == []
    assert dashboard.active_agreements == 1


def test_a_search_narrows_to_the_accounts_named_like_it(desk, portfolio):
    dashboard = sla_dashboard(user=desk, today=TODAY, search="northbank")

    assert trend_of(dashboard) == {APRIL: (P("100.0"), 1, 0), MAY: (P("0.0"), 1, 1)}
    assert [row.name for row in dashboard.lowest_accounts] == ["Northbank Savings"]


def test_filters_combine(desk, portfolio):
    dashboard = sla_dashboard(
        user=desk, today=TODAY, offering=portfolio.o1, kind="warranty", organization=portfolio.account
    )

    assert trend_of(dashboard) == {
        MARCH: (P("100.0"), 1, 0),
        APRIL: (P("0.0"), 1, 1),
        MAY: (P("100.0"), 1, 0),
    }


# --- the lists ------------------------------------------------------------------------------------


def test_breached_targets_of_the_open_periods_and_last_month_come_worst_first(owner, portfolio):
    dashboard = sla_dashboard(user=owner, today=TODAY)

    # Repeat rentals 10 against ≥ 50 misses by 80 %, the response 5 h against ≤ 4 h by 25 %, the
    # availability 98 against ≥ 99.5 by 1.5 %. The first quarter's breach ended in March: not listed.
    assert names(dashboard.breached) == [
        ("Repeat rentals", "May 2026"),
        ("First response", "April 2026"),
        ("Portal availability", "April 2026"),
    ]
    assert dashboard.breached_total == 3
    first = dashboard.breached[0]
    assert (
        first.organization_name,
        first.agreement_title,
        first.kind_label,
        first.rule,
        first.achieved_text,
    ) == (
        "Rentwheel Car Hire",
        "Loyalty outcomes",
        "Outcome",
        "≥ 50 %",
        "10 %",
    )
    assert (first.is_closed, dashboard.breached[1].is_closed) == (False, True)


def test_targets_at_risk_come_closest_to_breaching_first(owner, portfolio):
    dashboard = sla_dashboard(user=owner, today=TODAY)

    # Bookings 95.5 against ≥ 95 are 0.5 % from breaching; the response 3.5 h against ≤ 4 h 12.5 %.
    assert names(dashboard.at_risk) == [
        ("Bookings completed online", "Q2 2026"),
        ("First response", "May 2026"),
    ]
    assert dashboard.at_risk_total == 2
    assert dashboard.at_risk[0].rule == "≥ 95 %"


def test_the_lists_are_capped_and_keep_their_totals(owner, portfolio):
    dashboard = sla_dashboard(user=owner, today=TODAY, list_limit=1)

    assert names(dashboard.breached) == [("Repeat rentals", "May 2026")]
    assert (dashboard.breached_total, dashboard.at_risk_total, len(dashboard.at_risk)) == (3, 2, 1)


def test_lists_of_periods_long_closed_are_left_out(owner, portfolio):
    score(portfolio.t1, date(2026, 2, 1), ComplianceStatus.BREACHED, "90")

    assert sla_dashboard(user=owner, today=TODAY).breached_total == 3


def test_the_whole_list_comes_worst_first_a_page_at_a_time(owner, portfolio):
    first = sla_score_list(user=owner, status="breached", today=TODAY, per_page=2)
    second = sla_score_list(user=owner, status="breached", today=TODAY, per_page=2, page=2)

    assert names(first.rows) == [("Repeat rentals", "May 2026"), ("First response", "April 2026")]
    assert names(second.rows) == [("Portal availability", "April 2026")]
    assert (first.total, first.pages, first.first_place, first.last_place) == (3, 2, 1, 2)
    assert (second.total, second.number, second.first_place, second.last_place) == (3, 2, 3, 3)
    assert second.rows[0].rule == "≥ 99.5 %" and second.rows[0].organization_name == "Rentwheel Car Hire"


@pytest.mark.parametrize("status", ["breached", "at_risk"])
def test_the_whole_list_holds_what_the_dashboard_shows_the_worst_of(desk, portfolio, status):
    for filters in (
        {},
        {"kind": "experience"},
        {"offering": portfolio.o1},
        {"organization": portfolio.other_account},
        {"search": "rentwheel"},
    ):
        dashboard = sla_dashboard(user=desk, today=TODAY, **filters)
        whole = sla_score_list(user=desk, status=status, today=TODAY, **filters)

        shown, total = (
            (dashboard.breached, dashboard.breached_total)
            if status == "breached"
            else (dashboard.at_risk, dashboard.at_risk_total)
        )
        assert (whole.rows, whole.total) == (shown, total), filters


def test_the_whole_list_of_nothing_is_an_empty_first_page(owner, account):
    empty = sla_score_list(user=owner, status="at_risk", today=TODAY)

    assert (empty.rows, empty.total, empty.pages) == ([], 0, 1)


def test_the_whole_list_refuses_another_status_a_page_past_its_end_and_an_outsiders_account(
    owner, outsider, portfolio
):
    with pytest.raises(Http404):
        sla_score_list(user=owner, status="met", today=TODAY)
    with pytest.raises(Http404):
        sla_score_list(user=owner, status="breached", today=TODAY, page=2)
    with pytest.raises(Http404):
        sla_score_list(user=outsider, status="breached", organization=portfolio.account, today=TODAY)
    assert [
        row.organization_name for row in sla_score_list(user=outsider, status="breached", today=TODAY).rows
    ] == ["Northbank Savings"]


def test_the_accounts_lowest_this_month_come_first(desk, owner, portfolio):
    lowest = sla_dashboard(user=desk, today=TODAY).lowest_accounts

    assert [(row.name, row.figures.pct, row.figures.breached) for row in lowest] == [
        ("Northbank Savings", P("0.0"), 1),
        ("Rentwheel Car Hire", P("66.7"), 1),
    ]
    assert [row.name for row in sla_dashboard(user=owner, today=TODAY).lowest_accounts] == [
        "Rentwheel Car Hire"
    ]


def test_equally_low_accounts_come_most_breached_first_then_by_name(desk, portfolio):
    # Every one of these is at 0.0 % this month, as Northbank is; two missed two targets.
    for name, targets in [("Zeta Hire", 2), ("Alpha Hire", 1), ("Beta Hire", 2)] + [
        (f"Gamma Hire {number}", 1) for number in range(9)
    ]:
        agreement = AgreementFactory(organization=OrganizationFactory(name=name), status="active")
        for _ in range(targets):
            score(ServiceLevelTargetFactory(agreement=agreement), MAY, ComplianceStatus.BREACHED, "90")
    cards_from_scores()

    lowest = sla_dashboard(user=desk, today=TODAY).lowest_accounts

    assert [(row.name, row.figures.breached) for row in lowest] == [
        ("Beta Hire", 2),
        ("Zeta Hire", 2),
        ("Alpha Hire", 1),
        *((f"Gamma Hire {number}", 1) for number in range(7)),
    ]
    assert {row.figures.pct for row in lowest} == {P("0.0")}


def test_the_lowest_accounts_follow_the_filters(desk, portfolio):
    lowest = sla_dashboard(user=desk, today=TODAY, kind="outcome").lowest_accounts

    assert [(row.name, row.figures.pct) for row in lowest] == [("Rentwheel Car Hire", P("0.0"))]


def test_an_empty_portfolio_has_no_figures(owner, account):
    dashboard = sla_dashboard(user=owner, today=TODAY)

    assert not dashboard.has_data
    assert (dashboard.current.pct, dashboard.change, dashboard.breached, dashboard.lowest_accounts) == (
        None,
        None,
        [],
        [],
    )


# --- who sees what --------------------------------------------------------------------------------


def test_a_relationship_manager_sees_own_and_team_accounts_only(teammate, outsider, portfolio):
    assert sla_dashboard(user=teammate, today=TODAY).current.pct == P("66.7")
    theirs = sla_dashboard(user=outsider, today=TODAY)
    assert trend_of(theirs) == {APRIL: (P("100.0"), 1, 0), MAY: (P("0.0"), 1, 1)}
    assert [row.organization_name for row in theirs.breached] == ["Northbank Savings"]


def test_a_relationship_manager_without_accounts_sees_nothing(portfolio):
    newcomer = UserFactory(username="newcomer", roles=[Role.RELATIONSHIP_MANAGER])

    dashboard = sla_dashboard(user=newcomer, today=TODAY)

    assert (dashboard.has_data, dashboard.breached_total, dashboard.active_agreements) == (False, 0, 0)
    assert dashboard.breached == dashboard.lowest_accounts == []


@pytest.mark.parametrize("persona", ["desk", "analyst", "administrator", "integrator"])
def test_the_portfolio_wide_roles_see_every_account(request, persona, portfolio):
    dashboard = sla_dashboard(user=request.getfixturevalue(persona), today=TODAY)

    assert dashboard.current.pct == P("50.0")
    assert dashboard.breached_total == 4


def test_an_outsider_may_not_look_at_an_account_they_do_not_see(outsider, portfolio):
    with pytest.raises(Http404):
        sla_dashboard(user=outsider, organization=portfolio.account, today=TODAY)


def test_the_account_filter_lists_visible_consumers_with_agreements(owner, desk, portfolio):
    OrganizationFactory(name="Without agreements", owner=owner)

    mine = sla_accounts(user=owner)
    assert mine.choices == [(portfolio.account.pk, "Rentwheel Car Hire")]
    assert mine.with_agreements == [portfolio.account.pk]
    assert sla_accounts(user=desk).with_agreements is None  # sees every account: no ids needed
    assert [name for _pk, name in sla_accounts(user=desk).choices] == [
        "Northbank Savings",
        "Rentwheel Car Hire",
    ]
    assert sla_accounts(user=desk, limit=1).choices is None  # too many for a list: a search box
    assert [offering.name for offering in sla_offering_choices()] == [
        "Fleet booking portal",
        "Loyalty programme",
    ]


# --- cost -----------------------------------------------------------------------------------------


def more_accounts(owner, count: int, offering) -> None:
    for number in range(count):
        organization = OrganizationFactory(name=f"Extra {number}", owner=owner)
        agreement = AgreementFactory(organization=organization, status="active", offerings=[offering])
        target = ServiceLevelTargetFactory(agreement=agreement)
        for month, status in ((APRIL, ComplianceStatus.BREACHED), (MAY, ComplianceStatus.AT_RISK)):
            score(target, month, status, "99.0")
    cards_from_scores()


@pytest.mark.parametrize("persona", ["owner", "desk"])
@pytest.mark.parametrize("filters", [{}, {"kind": "warranty"}, {"offering": True}])
def test_the_dashboard_costs_the_same_queries_whatever_the_data(
    request, persona, filters, account, other_account, django_assert_num_queries
):
    user = request.getfixturevalue(persona)
    roles.roles_of(user)
    small = build_portfolio(account, other_account)
    if filters.get("offering"):
        filters = {"offering": small.o1}
    # The account ids (a relationship manager's), the figures (the trend, the kinds, the lowest
    # accounts, the active agreements), the lists.
    expected = 3 if persona == "owner" else 2
    with django_assert_num_queries(expected):
        sla_dashboard(user=user, today=TODAY, **filters)

    more_accounts(account.owner, 12, small.o1)

    with django_assert_num_queries(expected):
        dashboard = sla_dashboard(user=user, today=TODAY, **filters)
    assert dashboard.breached_total > 3
    assert len(dashboard.lowest_accounts) == DASHBOARD_LOWEST_ACCOUNTS


@pytest.mark.parametrize("filters", [{}, {"kind": "warranty"}, {"offering": True}])
def test_the_dashboard_need_not_read_the_accounts_the_account_filter_read(
    owner, filters, account, other_account, django_assert_num_queries
):
    small = build_portfolio(account, other_account)
    more_accounts(owner, 3, small.o1)
    if filters.get("offering"):
        filters = {"offering": small.o1}
    roles.roles_of(owner)
    visible = sla_accounts(user=owner)
    assert sorted(visible.with_agreements) == sorted(pk for pk, _name in visible.choices)

    with django_assert_num_queries(2):  # the figures, the lists
        given = sla_dashboard(user=owner, today=TODAY, with_agreements=visible.with_agreements, **filters)

    assert given == sla_dashboard(user=owner, today=TODAY, **filters)


@pytest.mark.parametrize("persona", ["owner", "desk"])
def test_the_whole_list_costs_the_same_queries_whatever_the_data(
    request, persona, account, other_account, django_assert_num_queries
):
    user = request.getfixturevalue(persona)
    roles.roles_of(user)
    small = build_portfolio(account, other_account)
    expected = 2 if persona == "owner" else 1  # a relationship manager's account ids, the page

    with django_assert_num_queries(expected):
        sla_score_list(user=user, status="breached", today=TODAY)
    more_accounts(account.owner, 12, small.o1)
    with django_assert_num_queries(expected):
        whole = sla_score_list(user=user, status="breached", today=TODAY, per_page=5, page=2)
    assert (len(whole.rows), whole.total) == (5, 3 + 12 + (1 if persona == "desk" else 0))


def test_the_rule_is_the_targets_own():
    assert rule_text("gte", Decimal("99.5000"), "%") == "≥ 99.5 %"
    assert rule_text("lte", Decimal("4"), "hours") == "≤ 4 hours"
    assert rule_text("eq", Decimal("0"), "") == "= 0"
