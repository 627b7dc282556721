"""The database's guards on business cases, their lines, risks and assumptions, on their versions
and baseline, and the figures a stored case gives."""

import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from offerings.models import (
    Assumption,
    BenefitType,
    BusinessCase,
    BusinessCaseStatus,
    CostCategory,
    Recurrence,
)
from tests.factories.offerings import (
    AssumptionFactory,
    BenefitLineFactory,
    BusinessCaseFactory,
    BusinessCaseRiskFactory,
    CostLineFactory,
)

pytestmark = pytest.mark.django_db

D = Decimal


def approved(**kwargs):
    return BusinessCaseFactory(status=BusinessCaseStatus.APPROVED, **kwargs)


# --- the case -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("rate", ["1", "-1", "1.5", "-2", "9.9999"])
def test_the_database_refuses_a_discount_rate_outside_minus_to_plus_one_hundred_percent(account, rate):
    with pytest.raises(IntegrityError), transaction.atomic():
        BusinessCaseFactory(organization=account, discount_rate=D(rate))


@pytest.mark.parametrize("rate", ["0.9999", "-0.9999", "0", "0.0800"])
def test_discount_rates_inside_the_range_are_stored(account, rate):
    case = BusinessCaseFactory(organization=account, discount_rate=D(rate))

    case.refresh_from_db()
    assert case.discount_rate == D(rate)


def test_model_validation_explains_the_discount_rate(account):
    case = BusinessCaseFactory.build(organization=account, discount_rate=D("1"))

    with pytest.raises(ValidationError) as error:
        case.full_clean()

    assert list(error.value.message_dict) == ["discount_rate"]
    assert "strictly between" in error.value.message_dict["discount_rate"][0]


@pytest.mark.parametrize("horizon", [0, 51])
def test_the_horizon_runs_from_one_to_fifty_years(account, horizon):
    with pytest.raises(IntegrityError), transaction.atomic():
        BusinessCaseFactory(organization=account, horizon_years=horizon)


def test_a_negative_budget_is_refused(account):
    with pytest.raises(IntegrityError), transaction.atomic():
        BusinessCaseFactory(organization=account, budget=D("-0.01"))


@pytest.mark.parametrize(("field", "value"), [("perspective", "supplier"), ("status", "archived")])
def test_unknown_choices_are_refused(account, field, value):
    with pytest.raises(IntegrityError), transaction.atomic():
        BusinessCaseFactory(organization=account, **{field: value})


def test_an_approved_case_records_when(account):
    with pytest.raises(IntegrityError), transaction.atomic():
        BusinessCaseFactory(organization=account, status=BusinessCaseStatus.APPROVED, approved_at=None)


# --- versions and the baseline --------------------------------------------------------------------


def test_versions_count_from_one(account):
    with pytest.raises(IntegrityError), transaction.atomic():
        BusinessCaseFactory(organization=account, version=0)


def test_a_version_number_is_used_once_per_case(account):
    first = BusinessCaseFactory(organization=account)
    BusinessCaseFactory(organization=account, version=1)  # another case, its own lineage

    with pytest.raises(IntegrityError), transaction.atomic():
        BusinessCaseFactory(organization=account, lineage=first.lineage, version=1)


def test_a_new_version_points_back_to_the_one_it_was_made_from(account):
    first = BusinessCaseFactory(organization=account)
    second = BusinessCaseFactory(
        organization=account, lineage=first.lineage, version=2, previous_version=first
    )

    assert list(first.next_versions.all()) == [second]
    assert str(second) == f"{second.title} (v2)"


def test_a_case_is_not_its_own_previous_version(account):
    case = BusinessCaseFactory(organization=account)

    with pytest.raises(IntegrityError), transaction.atomic():
        BusinessCase.objects.filter(pk=case.pk).update(previous_version=case)


def test_model_validation_refuses_a_previous_version_of_another_case(account):
    other = BusinessCaseFactory(organization=account)
    case = BusinessCaseFactory.build(organization=account, version=2, previous_version=other)

    with pytest.raises(ValidationError) as error:
        case.full_clean()

    assert list(error.value.message_dict) == ["previous_version"]


def test_only_an_approved_case_can_be_the_baseline(account):
    with pytest.raises(IntegrityError), transaction.atomic():
        BusinessCaseFactory(organization=account, status=BusinessCaseStatus.SUBMITTED, is_baseline=True)


def test_a_case_has_one_baseline_version_at_a_time(account):
    first = approved(organization=account, is_baseline=True)

    with pytest.raises(IntegrityError), transaction.atomic():
        approved(organization=account, lineage=first.lineage, version=2, is_baseline=True)

    approved(organization=account, lineage=first.lineage, version=2, is_baseline=False)
    approved(organization=account, lineage=uuid.uuid4(), is_baseline=True)  # another case


def test_model_validation_reports_a_second_baseline(account):
    first = approved(organization=account, is_baseline=True)
    second = BusinessCaseFactory.build(
        organization=account,
        lineage=first.lineage,
        version=2,
        status=BusinessCaseStatus.APPROVED,
        approved_at=timezone.now(),
        is_baseline=True,
    )

    with pytest.raises(ValidationError, match="one baseline version"):
        second.full_clean()


def test_every_change_to_a_case_is_kept_in_its_history(account):
    case = BusinessCaseFactory(organization=account)

    case.status = BusinessCaseStatus.SUBMITTED
    case.save()

    assert [row.status for row in case.history.all()] == ["submitted", "draft"]


# --- cost and benefit lines ---------------------------------------------------------------------------


@pytest.mark.parametrize("factory", [CostLineFactory, BenefitLineFactory])
def test_a_negative_amount_is_refused(factory):
    with pytest.raises(IntegrityError), transaction.atomic():
        factory(amount=D("-0.01"))


@pytest.mark.parametrize("factory", [CostLineFactory, BenefitLineFactory])
@pytest.mark.parametrize("year", [-1, 51])
def test_a_year_outside_the_longest_horizon_is_refused(factory, year):
    with pytest.raises(IntegrityError), transaction.atomic():
        factory(recurrence=Recurrence.ONE_OFF, year=year, last_year=None)


@pytest.mark.parametrize("factory", [CostLineFactory, BenefitLineFactory])
@pytest.mark.parametrize(
    ("recurrence", "year", "last_year"),
    [
        (Recurrence.ONE_OFF, 1, 3),  # a one-off line has no last year
        (Recurrence.RECURRING, 1, None),  # a recurring one must say when it stops
        (Recurrence.RECURRING, 3, 2),  # and cannot stop before it starts
        ("monthly", 1, 3),
    ],
)
def test_the_timing_of_a_line_must_be_consistent(factory, recurrence, year, last_year):
    with pytest.raises(IntegrityError), transaction.atomic():
        factory(recurrence=recurrence, year=year, last_year=last_year)


def test_a_recurring_line_may_run_for_a_single_year():
    assert CostLineFactory(recurrence=Recurrence.RECURRING, year=2, last_year=2).pk


def test_model_validation_explains_the_timing_of_a_line():
    line = CostLineFactory.build(
        business_case=BusinessCaseFactory(), recurrence=Recurrence.RECURRING, year=1, last_year=None
    )

    with pytest.raises(ValidationError) as error:
        line.full_clean()

    assert list(error.value.message_dict) == ["last_year"]


def test_model_validation_refuses_a_line_after_the_horizon():
    line = CostLineFactory.build(business_case=BusinessCaseFactory(horizon_years=3), year=4)

    with pytest.raises(ValidationError) as error:
        line.full_clean()

    assert error.value.message_dict["year"] == ["The case looks 3 years ahead; this year would not count."]


@pytest.mark.parametrize(("field", "value"), [("category", "coffee"), ("expense_type", "other")])
def test_unknown_cost_choices_are_refused(field, value):
    with pytest.raises(IntegrityError), transaction.atomic():
        CostLineFactory(**{field: value})


def test_an_unknown_benefit_type_is_refused():
    with pytest.raises(IntegrityError), transaction.atomic():
        BenefitLineFactory(benefit_type="happiness")


def test_a_benefit_names_the_indicator_that_will_prove_it():
    with pytest.raises(IntegrityError), transaction.atomic():
        BenefitLineFactory(indicator="")


def test_benefits_are_financial_or_not():
    assert BenefitLineFactory(benefit_type=BenefitType.REVENUE).is_financial
    assert not BenefitLineFactory(benefit_type=BenefitType.EXPERIENCE).is_financial


# --- risks and assumptions --------------------------------------------------------------------------


@pytest.mark.parametrize("probability", ["-0.0001", "1.0001", "2"])
def test_a_probability_outside_zero_to_one_is_refused(probability):
    with pytest.raises(IntegrityError), transaction.atomic():
        BusinessCaseRiskFactory(probability=D(probability))


def test_a_negative_impact_is_refused():
    with pytest.raises(IntegrityError), transaction.atomic():
        BusinessCaseRiskFactory(impact=D("-1"))


def test_a_risk_exposure_is_probability_times_impact():
    assert BusinessCaseRiskFactory(probability=D("0.25"), impact=D("1000.00")).exposure == D("250.00")


def test_an_assumption_needs_its_text():
    with pytest.raises(IntegrityError), transaction.atomic():
        AssumptionFactory(text="")


@pytest.mark.parametrize(("field", "value"), [("confidence", "certain"), ("area", "politics")])
def test_unknown_assumption_choices_are_refused(field, value):
    with pytest.raises(IntegrityError), transaction.atomic():
        AssumptionFactory(**{field: value})


def test_deleting_a_case_deletes_its_lines_risks_and_assumptions():
    case = BusinessCaseFactory()
    CostLineFactory(business_case=case)
    AssumptionFactory(business_case=case)

    case.delete()

    assert not Assumption.objects.exists()


# --- the figures of a stored case ---------------------------------------------------------------------


def test_a_stored_case_gives_the_hand_computed_figures():
    # The worked example of offerings/finance tests: 1000 invested in year 0, 200 a year to run in
    # years 1–3, 600 a year of benefits in years 1–3, at 10 %: TCO 1600, benefits 1800, ROI 0.125,
    # NPV −5.26, payback 2.5 years; one risk of 0.2 × 500 = 100 keeps it positive.
    case = BusinessCaseFactory(discount_rate=D("0.1"), horizon_years=3)
    CostLineFactory(business_case=case, category=CostCategory.INVESTMENT, amount=D("1000"), year=0)
    CostLineFactory(
        business_case=case,
        category=CostCategory.MAINTENANCE_AND_SUPPORT,
        recurrence=Recurrence.RECURRING,
        year=1,
        last_year=3,
        amount=D("200"),
    )
    BenefitLineFactory(
        business_case=case, recurrence=Recurrence.RECURRING, year=1, last_year=3, amount=D("600")
    )
    BusinessCaseRiskFactory(business_case=case, probability=D("0.2"), impact=D("500"))

    figures = case.figures()

    assert figures.total_cost_of_ownership == D("1600.00")
    assert figures.total_benefits == D("1800.00")
    assert figures.return_on_investment == D("0.1250")
    assert figures.net_present_value == D("-5.26")
    assert figures.payback_years == D("2.50")
    assert figures.risk_adjustment == D("100.00")
    assert figures.is_positive
