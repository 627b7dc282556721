"""Reads of business cases: who sees which, the list's totals summed by the database (checked against
offerings.finance and by hand), one version's page with its comparison, the baselines Realize reviews
against, and constant query counts."""

from decimal import Decimal

import pytest
from django.http import Http404
from django.utils import timezone

from journeys.auth import RoleLoadingModelBackend
from offerings import selectors
from offerings.models import BusinessCaseStatus, Recurrence
from tests.factories.journeys import OrganizationFactory
from tests.factories.offerings import (
    AssumptionFactory,
    BenefitLineFactory,
    BusinessCaseFactory,
    BusinessCaseRiskFactory,
    CostLineFactory,
)

pytestmark = pytest.mark.django_db

APPROVED, SUBMITTED, DRAFT = (
    BusinessCaseStatus.APPROVED,
    BusinessCaseStatus.SUBMITTED,
    BusinessCaseStatus.DRAFT,
)


def fresh(user):
    """The user as a request loads it, with roles and teams, so query counts measure the selector."""
    return RoleLoadingModelBackend().get_user(user.pk)


def version(case, number, status=APPROVED, **fields):
    return BusinessCaseFactory(
        organization=case.organization,
        lineage=case.lineage,
        title=case.title,
        version=number,
        status=status,
        **fields,
    )


@pytest.fixture
def case(account):
    """Years 0–3 at 10 %. Costs: 1,000 in year 0, and 100 a year in years 2–5 of which only 2 and 3 fall
    within the horizon. Benefits: 600 a year in years 1–3. Risk: 20 % of 500 = 100."""
    case = BusinessCaseFactory(organization=account, title="Managed laptops")
    CostLineFactory(business_case=case, amount=Decimal("1000.00"))
    CostLineFactory(
        business_case=case, recurrence=Recurrence.RECURRING, year=2, last_year=5, amount=Decimal("100.00")
    )
    BenefitLineFactory(business_case=case, amount=Decimal("600.00"), year=1, last_year=3)
    BusinessCaseRiskFactory(business_case=case)
    return case


# --- the list -------------------------------------------------------------------------------------


def test_the_list_sums_each_case_within_its_horizon_as_the_finance_module_does(owner, case):
    [row] = selectors.business_case_rows(selectors.business_case_list(user=owner))

    # TCO = 1,000 + 2 × 100 = 1,200 (years 4 and 5 lie past the horizon); benefits 3 × 600 = 1,800.
    assert (row.total_cost_of_ownership, row.total_benefits, row.risk_adjustment) == (
        Decimal("1200.00"),
        Decimal("1800.00"),
        Decimal("100.00"),
    )
    assert row.return_on_investment == Decimal("0.5000")
    assert row.return_on_investment_percent == Decimal("50.00")
    assert row.is_positive  # 1,800 > 1,200 + 100
    figures = case.figures()
    assert (figures.total_cost_of_ownership, figures.total_benefits, figures.risk_adjustment) == (
        row.total_cost_of_ownership,
        row.total_benefits,
        row.risk_adjustment,
    )


def test_a_case_without_lines_lists_with_zeros_and_no_roi(owner, account):
    BusinessCaseFactory(organization=account)

    [row] = selectors.business_case_rows(selectors.business_case_list(user=owner))

    assert (row.total_cost_of_ownership, row.total_benefits, row.return_on_investment, row.is_positive) == (
        Decimal("0.00"),
        Decimal("0.00"),
        None,
        False,
    )


def test_each_case_is_listed_once_as_its_latest_version_with_its_baseline(owner, case):
    case.status, case.is_baseline, case.approved_at = APPROVED, True, timezone.now()
    case.save()
    latest = version(case, 2, status=DRAFT)

    cases = list(selectors.business_case_list(user=owner))

    assert [(found.pk, found.baseline_version, found.baseline_pk) for found in cases] == [
        (latest.pk, 1, case.pk)
    ]
    every_version = selectors.business_case_list(user=owner, latest_only=False)
    assert {found.pk for found in every_version} == {case.pk, latest.pk}


def test_outsiders_see_none_of_the_accounts_cases_and_portfolio_roles_see_them_all(
    outsider, other_team, analyst, case
):
    assert not selectors.business_case_list(user=outsider).exists()
    assert [found.pk for found in selectors.business_case_list(user=analyst)] == [case.pk]


def test_the_list_filters_by_account_status_and_perspective(owner, team, case):
    other = OrganizationFactory(owner=owner, team=team)
    provider_case = BusinessCaseFactory(organization=other, perspective="provider", status=SUBMITTED)

    def pks(**filters):
        return [found.pk for found in selectors.business_case_list(user=owner, **filters)]

    assert pks(organization=case.organization) == [case.pk]
    assert pks(status=SUBMITTED) == [provider_case.pk]
    assert pks(perspective="consumer") == [case.pk]
    assert set(pks(status="nonsense")) == {case.pk, provider_case.pk}


@pytest.mark.parametrize("cases", [1, 6])
def test_the_list_is_one_query_however_many_cases_and_lines(owner, account, cases, django_assert_num_queries):
    for _ in range(cases):
        case = BusinessCaseFactory(organization=account)
        CostLineFactory(business_case=case)
        BenefitLineFactory(business_case=case)
        BusinessCaseRiskFactory(business_case=case)
    user = fresh(owner)

    with django_assert_num_queries(1):
        rows = selectors.business_case_rows(selectors.business_case_list(user=user))
        assert [row.case.organization.name for row in rows] == ["Rentwheel Car Hire"] * cases


# --- one version ----------------------------------------------------------------------------------


def test_a_case_of_an_account_the_user_may_not_see_is_a_404(outsider, other_team, case):
    with pytest.raises(Http404):
        selectors.business_case_get(user=outsider, pk=case.pk)
    with pytest.raises(Http404):
        selectors.business_case_page(user=outsider, pk=case.pk)


def test_the_page_compares_a_new_version_with_the_baseline(owner, case):
    case.status, case.is_baseline, case.approved_at = APPROVED, True, timezone.now()
    case.save()
    second = version(case, 2, status=DRAFT)
    CostLineFactory(business_case=second, amount=Decimal("1500.00"))
    BenefitLineFactory(business_case=second, amount=Decimal("900.00"), year=1, last_year=3)

    page = selectors.business_case_page(user=owner, pk=second.pk)

    assert page.baseline == case
    assert page.comparison.other == case
    figures = {row.label: (row.this, row.other, row.difference) for row in page.comparison.figures}
    # This version: TCO 1,500, benefits 2,700. The baseline: TCO 1,200, benefits 1,800.
    assert figures["Total cost of ownership"] == (Decimal("1500.00"), Decimal("1200.00"), Decimal("300.00"))
    assert figures["Total benefits"] == (Decimal("2700.00"), Decimal("1800.00"), Decimal("900.00"))
    assert page.comparison.line_counts == [
        ("Cost lines", 1, 2, "1 fewer"),
        ("Benefit lines", 1, 1, "same"),
        ("Risks", 0, 1, "1 fewer"),
    ]
    assert [year for year, _, _ in page.comparison.yearly_nets] == [0, 1, 2, 3]


def test_the_baseline_itself_is_compared_with_nothing_unless_asked(owner, case):
    case.status, case.is_baseline, case.approved_at = APPROVED, True, timezone.now()
    case.save()
    second = version(case, 2, status=DRAFT)

    plain = selectors.business_case_page(user=owner, pk=case.pk)
    asked = selectors.business_case_page(user=owner, pk=case.pk, compare_with=second.pk)

    assert plain.comparison is None
    assert asked.comparison.other == second
    assert plain.open_version == second


def test_the_page_reads_the_version_and_all_it_shows_in_five_queries_whatever_its_size(
    owner, case, django_assert_num_queries
):
    case.status, case.is_baseline, case.approved_at = APPROVED, True, timezone.now()
    case.save()
    second = version(case, 2, status=DRAFT, horizon_years=5)
    for year in range(6):
        CostLineFactory(business_case=second, year=year)
        BenefitLineFactory(business_case=second, year=1, last_year=5)
        AssumptionFactory(business_case=second, owner=owner)
    user = fresh(owner)

    with django_assert_num_queries(5):
        page = selectors.business_case_page(user=user, pk=second.pk)
        assert [entry.owner.username for entry in page.assumptions] == ["owner"] * 6
        assert (page.case.organization.name, page.versions[0].approved_by) == ("Rentwheel Car Hire", None)

    assert len(page.cost_lines) == 6
    assert page.figures.total_cost_of_ownership == Decimal("6000.00")
    assert page.questions_answered == 1  # the factory's purpose


# --- baselines ------------------------------------------------------------------------------------


def test_the_baseline_comes_with_its_lines_so_its_figures_cost_no_query(
    owner, case, django_assert_num_queries
):
    case.status, case.is_baseline, case.approved_at = APPROVED, True, timezone.now()
    case.save()
    version(case, 2, status=DRAFT)

    baseline = selectors.business_case_baseline(user=owner, organization=case.organization)

    with django_assert_num_queries(0):
        figures = baseline.figures()
        indicators = [line.indicator for line in baseline.benefit_lines.all()]
    assert baseline == case
    assert figures.total_benefits == Decimal("1800.00")
    assert indicators == ["Days from start date to first login"]


def test_each_lineage_has_its_own_baseline(owner, account, case):
    case.status, case.is_baseline, case.approved_at = APPROVED, True, timezone.now()
    case.save()
    other = BusinessCaseFactory(organization=account, status=APPROVED, is_baseline=True)
    BusinessCaseFactory(organization=account)  # never approved: no baseline

    baselines = selectors.business_case_baselines(user=owner, organization=account)

    assert set(baselines) == {case, other}
    assert selectors.business_case_baseline(user=owner, organization=account, lineage=case.lineage) == case
    assert selectors.business_case_baseline(user=owner, organization=account, lineage=other.lineage) == other


def test_no_baseline_until_something_is_approved(owner, case):
    assert selectors.business_case_baseline(user=owner, organization=case.organization) is None


def test_outsiders_get_no_baseline(outsider, other_team, case):
    with pytest.raises(Http404):
        selectors.business_case_baselines(user=outsider, organization=case.organization)


def test_the_account_panel_counts_open_cases_and_baselines(owner, case, django_assert_num_queries):
    case.status, case.is_baseline, case.approved_at = APPROVED, True, timezone.now()
    case.save()
    version(case, 2, status=DRAFT)
    BusinessCaseFactory(organization=case.organization, status=SUBMITTED)
    user = fresh(owner)

    with django_assert_num_queries(2):
        panel = selectors.business_cases_for_organization(user=user, organization=case.organization)

    assert (panel.open_count, panel.baseline_count) == (2, 1)
    assert len(panel.rows) == 2
