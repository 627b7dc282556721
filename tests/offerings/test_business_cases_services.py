"""Writes of business cases: starting and changing a case, its lines, risks and assumptions with their
bad input (nothing saved), versions, and the decision that fixes the baseline."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from journeys.base import ApplicationError
from journeys.models import JourneyEvent, OrganizationKind
from offerings import services
from offerings.models import (
    Assumption,
    BenefitLine,
    BusinessCase,
    BusinessCaseRisk,
    BusinessCaseStatus,
    CostLine,
    OfferEventType,
    Recurrence,
)
from tests.factories.journeys import OrganizationFactory
from tests.factories.offerings import (
    AssumptionFactory,
    BenefitLineFactory,
    BusinessCaseFactory,
    BusinessCaseRiskFactory,
    CostLineFactory,
    ServiceOfferingFactory,
)

pytestmark = pytest.mark.django_db

APPROVED, SUBMITTED, DRAFT, REJECTED = (
    BusinessCaseStatus.APPROVED,
    BusinessCaseStatus.SUBMITTED,
    BusinessCaseStatus.DRAFT,
    BusinessCaseStatus.REJECTED,
)


def set_status(case, status, **extra) -> None:
    """Put a version in a state directly (an approved one gets its date, as the database demands)."""
    approved_at = timezone.now() if status == APPROVED else None
    BusinessCase.objects.filter(pk=case.pk).update(status=status, approved_at=approved_at, **extra)
    case.refresh_from_db()


def refused(call, **kwargs) -> ApplicationError:
    with pytest.raises(ApplicationError) as error:
        call(**kwargs)
    return error.value


@pytest.fixture
def case(account):
    """A draft over years 0–3 at 10 %: 1,000 invested in year 0, 600 a year saved in years 1–3."""
    case = BusinessCaseFactory(organization=account, title="Managed laptops")
    CostLineFactory(business_case=case, amount=Decimal("1000.00"))
    BenefitLineFactory(business_case=case, amount=Decimal("600.00"), year=1, last_year=3)
    return case


# --- the case -------------------------------------------------------------------------------------


def test_starting_a_case_makes_version_one_of_a_new_lineage_owned_by_the_actor(owner, account):
    offering = ServiceOfferingFactory()

    case = services.business_case_create(
        actor=owner,
        organization=account,
        title="  Managed laptops ",
        offering=offering,
        discount_rate=Decimal("0.08"),
        horizon_years=4,
        purpose="Fewer lost hours",
    )

    assert (case.title, case.version, case.status, case.is_baseline) == ("Managed laptops", 1, DRAFT, False)
    assert (case.owner, case.offering, case.discount_rate, case.purpose) == (
        owner,
        offering,
        Decimal("0.08"),
        "Fewer lost hours",
    )
    assert case.lineage is not None
    assert case.history.first().history_user == owner


@pytest.mark.parametrize("rate", [Decimal("1"), Decimal("-1"), Decimal("1.5"), Decimal("-2")])
def test_a_discount_rate_outside_minus_100_to_100_percent_is_refused(owner, account, rate):
    error = refused(
        services.business_case_create, actor=owner, organization=account, title="Laptops", discount_rate=rate
    )

    assert list(error.fields) == ["discount_rate"]
    assert "strictly between −100 % and 100 %" in error.fields["discount_rate"][0]
    assert f"{(rate * 100).normalize():f} % is outside" in error.fields["discount_rate"][0]
    assert not BusinessCase.objects.exists()


@pytest.mark.parametrize("rate", [Decimal("0.9999"), Decimal("-0.5"), Decimal("0")])
def test_a_discount_rate_just_inside_the_range_is_accepted(owner, account, rate):
    case = services.business_case_create(
        actor=owner, organization=account, title="Laptops", discount_rate=rate
    )

    assert case.discount_rate == rate


def test_a_negative_budget_and_an_empty_title_are_named_together(owner, account):
    error = refused(
        services.business_case_create, actor=owner, organization=account, title=" ", budget=Decimal("-5")
    )

    assert set(error.fields) == {"title", "budget"}
    assert "2 problems in all" in error.message
    assert not BusinessCase.objects.exists()


def test_cases_are_made_for_service_consumers_only(owner, team):
    partner = OrganizationFactory(kind=OrganizationKind.PARTNER, owner=owner, team=team, name="Fixit")

    error = refused(services.business_case_create, actor=owner, organization=partner, title="Laptops")

    assert error.fields["organization"] == [
        "Fixit is a partner; business cases are made for service consumers."
    ]


def test_an_outsider_cannot_learn_the_account_exists(outsider, other_team, account):
    with pytest.raises(Http404):
        services.business_case_create(actor=outsider, organization=account, title="Peek")


@pytest.mark.parametrize("persona", ["analyst", "desk"])
def test_read_only_roles_may_not_start_a_case(request, account, persona):
    with pytest.raises(PermissionDenied):
        services.business_case_create(actor=request.getfixturevalue(persona), organization=account, title="x")


def test_a_teammate_changes_a_draft(teammate, case):
    services.business_case_update(actor=teammate, case=case, title="Laptops as a service", horizon_years=5)

    case.refresh_from_db()
    assert (case.title, case.horizon_years) == ("Laptops as a service", 5)


def test_a_shorter_horizon_is_refused_while_a_line_runs_past_it(owner, case):
    error = refused(services.business_case_update, actor=owner, case=case, horizon_years=2)

    assert error.fields["horizon_years"] == [
        "Benefit line “Fewer hours lost by new starters” runs to year 3; end it earlier or keep a horizon "
        "of at least 3 years."
    ]
    case.refresh_from_db()
    assert case.horizon_years == 3


def test_a_decided_version_no_longer_changes(owner, case):
    set_status(case, APPROVED)

    error = refused(services.business_case_update, actor=owner, case=case, title="Other")

    assert (error.code, error.status) == ("read_only", 409)
    assert "make a new version" in error.message


# --- lines ----------------------------------------------------------------------------------------


def test_adding_a_recurring_cost_line_touches_the_case(owner, case):
    before = case.updated_at

    line = services.cost_line_add(
        actor=owner,
        case=case,
        description="Support contract",
        category="maintenance_and_support",
        expense_type="opex",
        recurrence=Recurrence.RECURRING,
        year=1,
        last_year=3,
        amount=Decimal("150.00"),
    )

    assert (line.year, line.last_year, line.amount) == (1, 3, Decimal("150.00"))
    case.refresh_from_db()
    assert case.updated_at > before


def test_a_negative_amount_is_refused_and_nothing_is_saved(owner, case):
    error = refused(
        services.cost_line_add,
        actor=owner,
        case=case,
        description="Refund",
        category="usage",
        amount=Decimal("-10"),
    )

    assert error.fields == {
        "amount": ["An amount cannot be negative: enter what it costs (or brings) as a positive amount."]
    }
    assert CostLine.objects.filter(business_case=case).count() == 1


def test_a_line_after_the_horizon_is_refused_naming_the_year(owner, case):
    error = refused(
        services.benefit_line_add,
        actor=owner,
        case=case,
        description="Late saving",
        benefit_type="cost_reduction",
        indicator="Hours a month",
        year=4,
        amount=Decimal("10"),
    )

    assert error.fields == {"year": ["Year 4 lies beyond the case's horizon: it covers years 0 to 3."]}


def test_a_recurring_line_may_not_run_past_the_horizon(owner, case):
    error = refused(
        services.cost_line_add,
        actor=owner,
        case=case,
        description="Licences",
        category="usage",
        recurrence=Recurrence.RECURRING,
        year=1,
        last_year=7,
        amount=Decimal("10"),
    )

    assert list(error.fields) == ["last_year"]
    assert "end the line in year 3 at the latest" in error.fields["last_year"][0]


def test_a_recurring_line_needs_its_last_year_and_a_one_off_line_has_none(owner, case):
    recurring = refused(
        services.cost_line_add,
        actor=owner,
        case=case,
        description="Licences",
        category="usage",
        recurrence=Recurrence.RECURRING,
        year=1,
        amount=Decimal("10"),
    )
    one_off = refused(
        services.cost_line_add,
        actor=owner,
        case=case,
        description="Set-up",
        category="investment",
        year=1,
        last_year=2,
        amount=Decimal("10"),
    )

    assert recurring.fields == {"last_year": ["Say up to which year the line recurs."]}
    assert one_off.fields == {"last_year": ["A one-off line falls in one year; leave the last year empty."]}


def test_a_benefit_needs_the_indicator_that_will_prove_it(owner, case):
    error = refused(
        services.benefit_line_add,
        actor=owner,
        case=case,
        description="Happier users",
        benefit_type="experience",
        indicator="  ",
        amount=Decimal("0"),
    )

    assert list(error.fields) == ["indicator"]


def test_switching_a_line_to_one_off_drops_its_last_year(owner, case):
    line = BenefitLine.objects.get(business_case=case)

    services.benefit_line_update(actor=owner, line=line, recurrence=Recurrence.ONE_OFF, year=2)

    line.refresh_from_db()
    assert (line.recurrence, line.year, line.last_year) == (Recurrence.ONE_OFF, 2, None)


def test_lines_of_a_submitted_version_cannot_change(owner, case):
    set_status(case, SUBMITTED)
    line = CostLine.objects.get(business_case=case)

    error = refused(services.cost_line_remove, actor=owner, line=line)

    assert (error.code, error.status) == ("read_only", 409)
    assert "withdraw it" in error.message
    assert CostLine.objects.filter(pk=line.pk).exists()


def test_a_probability_above_100_percent_is_refused_in_percent(owner, case):
    error = refused(
        services.business_case_risk_add,
        actor=owner,
        case=case,
        description="Supplier late",
        probability=Decimal("1.5"),
        impact=Decimal("100"),
    )

    assert error.fields == {
        "probability": ["A probability lies between 0 % and 100 %; 150 % is outside that."]
    }
    assert not BusinessCaseRisk.objects.exists()


def test_an_assumption_is_checked_by_someone_who_looks_after_the_account(owner, teammate, outsider, case):
    kept = services.assumption_add(actor=owner, case=case, text="Forty starters a year", owner=teammate.pk)
    error = refused(services.assumption_add, actor=owner, case=case, text="Prices hold", owner=outsider)

    assert kept.owner == teammate
    assert list(error.fields) == ["owner"]
    assert "does not look after Rentwheel Car Hire" in error.fields["owner"][0]
    assert Assumption.objects.count() == 1


# --- versions -------------------------------------------------------------------------------------


def test_a_new_version_copies_the_case_and_its_rows_into_the_same_lineage(owner, case):
    BusinessCaseRiskFactory(business_case=case)
    AssumptionFactory(business_case=case)
    set_status(case, APPROVED, is_baseline=True)

    copy = services.business_case_new_version(actor=owner, case=case)

    assert (copy.lineage, copy.version, copy.previous_version, copy.status, copy.is_baseline) == (
        case.lineage,
        2,
        case,
        DRAFT,
        False,
    )
    assert (copy.title, copy.discount_rate, copy.horizon_years) == (case.title, case.discount_rate, 3)
    assert list(copy.cost_lines.values_list("description", "amount")) == [
        ("Roll-out and set-up", Decimal("1000.00"))
    ]
    assert list(copy.benefit_lines.values_list("year", "last_year", "amount")) == [(1, 3, Decimal("600.00"))]
    assert (copy.risks.count(), copy.assumptions.count()) == (1, 1)
    assert case.cost_lines.count() == 1  # the original keeps its own


def test_a_new_version_is_refused_while_the_lineage_has_an_open_one(owner, case):
    set_status(case, APPROVED)
    services.business_case_new_version(actor=owner, case=case)

    error = refused(services.business_case_new_version, actor=owner, case=case)

    assert (error.code, error.status) == ("open_version", 409)
    assert error.message.startswith("Version 2 is still draft")
    assert BusinessCase.objects.filter(lineage=case.lineage).count() == 2


def test_the_next_number_follows_the_highest_version_whichever_is_copied(owner, case):
    set_status(case, APPROVED)
    BusinessCaseFactory(organization=case.organization, lineage=case.lineage, version=2, status=REJECTED)

    copy = services.business_case_new_version(actor=owner, case=case)

    assert (copy.version, copy.previous_version) == (3, case)


# --- the decision ---------------------------------------------------------------------------------


def test_submitting_needs_a_benefit_line(owner, account):
    empty = BusinessCaseFactory(organization=account)

    error = refused(services.business_case_submit, actor=owner, case=empty)

    assert (list(error.fields), error.code) == (["benefit_lines"], "no_benefits")
    empty.refresh_from_db()
    assert empty.status == DRAFT


def test_approving_a_submitted_version_makes_it_the_baseline_and_records_the_event(owner, teammate, case):
    services.business_case_submit(actor=owner, case=case)

    approved = services.business_case_approve(actor=teammate, case=case, decision_note="Sponsor agreed")

    approved.refresh_from_db()
    assert (approved.status, approved.is_baseline, approved.approved_by, approved.decision_note) == (
        APPROVED,
        True,
        teammate,
        "Sponsor agreed",
    )
    assert approved.approved_at is not None
    event = JourneyEvent.objects.get(event_type=OfferEventType.BUSINESS_CASE_APPROVED)
    # Years 0–3 at 10 %: costs 1,000; benefits 3 × 600 = 1,800; NPV −1,000 + 600/1.1 + 600/1.21 +
    # 600/1.331 = 492.11; ROI 800 / 1,000 = 0.8; payback 1 + 400/600 = 1.67 years.
    assert event.organization == case.organization
    assert event.actor == teammate
    assert event.payload == {
        "business_case": case.pk,
        "lineage": str(case.lineage),
        "version": 1,
        "title": "Managed laptops",
        "perspective": "consumer",
        "offering": None,
        "previous_baseline": None,
        "total_cost_of_ownership": "1000.00",
        "total_benefits": "1800.00",
        "net_present_value": "492.11",
        "return_on_investment": "0.8000",
        "payback_years": "1.67",
        "risk_adjustment": "0.00",
        "is_positive": True,
    }


def test_approving_a_later_version_moves_the_baseline_in_one_go(owner, case):
    services.business_case_submit(actor=owner, case=case)
    services.business_case_approve(actor=owner, case=case)
    second = services.business_case_new_version(actor=owner, case=case)
    services.business_case_submit(actor=owner, case=second)

    services.business_case_approve(actor=owner, case=second)

    baselines = BusinessCase.objects.filter(lineage=case.lineage, is_baseline=True)
    assert list(baselines.values_list("version", flat=True)) == [2]
    case.refresh_from_db()
    assert case.status == APPROVED  # still approved, no longer the baseline
    event = JourneyEvent.objects.filter(event_type=OfferEventType.BUSINESS_CASE_APPROVED).latest("id")
    assert event.payload["previous_baseline"] == case.pk


def test_approving_without_a_benefit_line_is_refused_and_changes_nothing(owner, account):
    submitted = BusinessCaseFactory(organization=account, status=SUBMITTED)
    CostLineFactory(business_case=submitted)

    error = refused(services.business_case_approve, actor=owner, case=submitted)

    assert list(error.fields) == ["benefit_lines"]
    assert "Add at least one benefit line before you approve" in error.message
    submitted.refresh_from_db()
    assert (submitted.status, submitted.is_baseline) == (SUBMITTED, False)
    assert not JourneyEvent.objects.filter(event_type=OfferEventType.BUSINESS_CASE_APPROVED).exists()


def test_a_draft_must_be_submitted_before_it_is_approved(owner, case):
    error = refused(services.business_case_approve, actor=owner, case=case)

    assert (error.code, error.status) == ("wrong_status", 409)
    assert error.message.endswith("Submit it first.")


def test_rejecting_needs_the_reason_and_keeps_the_baseline(owner, case):
    baseline = BusinessCaseFactory(
        organization=case.organization, lineage=case.lineage, version=2, status=APPROVED, is_baseline=True
    )
    set_status(case, SUBMITTED, version=3)

    without_reason = refused(services.business_case_reject, actor=owner, case=case, decision_note=" ")
    services.business_case_reject(actor=owner, case=case, decision_note="Benefits not credible")

    assert list(without_reason.fields) == ["decision_note"]
    case.refresh_from_db()
    baseline.refresh_from_db()
    assert (case.status, case.decision_note, case.is_baseline) == (REJECTED, "Benefits not credible", False)
    assert baseline.is_baseline


def test_withdrawing_takes_a_submitted_version_back_to_draft(owner, case):
    services.business_case_submit(actor=owner, case=case)

    services.business_case_withdraw(actor=owner, case=case)

    case.refresh_from_db()
    assert (case.status, case.submitted_at) == (DRAFT, None)


def test_only_a_draft_may_be_deleted(owner, case):
    decided = BusinessCaseFactory(organization=case.organization, status=APPROVED)

    error = refused(services.business_case_delete, actor=owner, case=decided)
    services.business_case_delete(actor=owner, case=case)

    assert error.status == 409
    assert list(BusinessCase.objects.values_list("pk", flat=True)) == [decided.pk]
    assert not CostLine.objects.exists()


def test_an_outsider_cannot_approve(outsider, other_team, case):
    set_status(case, SUBMITTED)

    with pytest.raises(Http404):
        services.business_case_approve(actor=outsider, case=case)


def test_an_analyst_cannot_approve(analyst, case):
    set_status(case, SUBMITTED)

    with pytest.raises(PermissionDenied):
        services.business_case_approve(actor=analyst, case=case)
