"""The business case figures against examples worked out by hand (the working is in the comments)."""

from decimal import Decimal

import pytest

from offerings import finance
from offerings.finance import Line, RiskLine, business_case_figures

D = Decimal


def figures(costs=(), benefits=(), risks=(), rate="0.10", horizon=3):
    return business_case_figures(
        costs=costs, benefits=benefits, risks=risks, discount_rate=D(rate), horizon_years=horizon
    )


# The example of the issue: 1000 invested in year 0, then 200 a year of running costs in years 1–3,
# against 600 a year of benefits in years 1–3, discounted at 10 %.
INVESTMENT = Line(amount=D("1000.00"), year=0)
RUNNING = Line(amount=D("200.00"), year=1, last_year=3)
BENEFITS = Line(amount=D("600.00"), year=1, last_year=3)


def test_the_worked_example_gives_the_hand_computed_figures():
    result = figures(costs=[INVESTMENT, RUNNING], benefits=[BENEFITS])

    # TCO = 1000 + 3 × 200 = 1600; benefits = 3 × 600 = 1800.
    assert result.total_cost_of_ownership == D("1600.00")
    assert result.total_benefits == D("1800.00")
    assert result.net_benefit == D("200.00")
    # ROI = (1800 − 1600) / 1600 = 0.125.
    assert result.return_on_investment == D("0.1250")
    assert result.return_on_investment_percent == D("12.50")
    # Nets per year: −1000, +400, +400, +400.
    # NPV = −1000 + 400/1.1 + 400/1.21 + 400/1.331
    #     = −1000 + 363.636364 + 330.578512 + 300.525920 = −5.259204 → −5.26.
    assert result.net_present_value == D("-5.26")
    # Cumulative nets: −1000, −600, −200, +200: recovered during year 3, when 200 of its 400 were
    # still to recover → 2 + 200/400 = 2.5 years.
    assert result.payback_years == D("2.50")


def test_the_worked_example_year_by_year():
    result = figures(costs=[INVESTMENT, RUNNING], benefits=[BENEFITS])

    assert [(y.year, y.costs, y.benefits, y.net, y.cumulative_net) for y in result.years] == [
        (0, D("1000.00"), D("0.00"), D("-1000.00"), D("-1000.00")),
        (1, D("200.00"), D("600.00"), D("400.00"), D("-600.00")),
        (2, D("200.00"), D("600.00"), D("400.00"), D("-200.00")),
        (3, D("200.00"), D("600.00"), D("400.00"), D("200.00")),
    ]
    # Each year is rounded on its own; their sum (−5.25) is a cent off the NPV, as documented.
    assert [y.discounted_net for y in result.years] == [D("-1000.00"), D("363.64"), D("330.58"), D("300.53")]


def test_a_risk_adjustment_below_the_margin_keeps_the_case_positive():
    # Risk adjustment = 0.2 × 500 = 100; 1800 > 1600 + 100.
    result = figures(
        costs=[INVESTMENT, RUNNING], benefits=[BENEFITS], risks=[RiskLine(D("0.2"), D("500.00"))]
    )

    assert result.risk_adjustment == D("100.00")
    assert result.is_positive


def test_risks_that_outweigh_the_margin_make_the_case_negative():
    # Risk adjustment = 0.5 × 500 + 0.1 × 100 = 260; 1800 < 1600 + 260.
    result = figures(
        costs=[INVESTMENT, RUNNING],
        benefits=[BENEFITS],
        risks=[RiskLine(D("0.5"), D("500.00")), RiskLine(D("0.1"), D("100.00"))],
    )

    assert result.risk_adjustment == D("260.00")
    assert not result.is_positive


def test_benefits_equal_to_costs_and_risks_are_not_positive():
    # 1800 = 1600 + 0.4 × 500: "exceeds" means strictly more.
    result = figures(
        costs=[INVESTMENT, RUNNING], benefits=[BENEFITS], risks=[RiskLine(D("0.4"), D("500.00"))]
    )

    assert not result.is_positive


def test_a_five_year_investment_at_ten_percent():
    # −10 000 in year 0, then +3 000 a year in years 1–5 at 10 %.
    # Annuity factor (1 − 1.1^−5) / 0.1 = 3.790787; 3000 × 3.790787 = 11 372.36 → NPV = 1 372.36.
    # Cumulative: −10 000, −7 000, −4 000, −1 000, +2 000 → 3 + 1000/3000 = 3.33 years.
    # ROI = (15 000 − 10 000) / 10 000 = 0.5.
    result = figures(costs=[Line(D("10000"), 0)], benefits=[Line(D("3000"), 1, 5)], rate="0.10", horizon=5)

    assert result.net_present_value == D("1372.36")
    assert result.payback_years == D("3.33")
    assert result.return_on_investment == D("0.5000")


def test_without_discounting_the_npv_is_the_net_benefit():
    result = figures(costs=[INVESTMENT, RUNNING], benefits=[BENEFITS], rate="0")

    assert result.net_present_value == result.net_benefit == D("200.00")


def test_a_negative_discount_rate_inflates_later_years():
    # 100 in year 1 at −50 %: 100 / 0.5 = 200.
    result = figures(benefits=[Line(D("100"), 1)], rate="-0.5", horizon=1)

    assert result.net_present_value == D("200.00")


def test_there_is_no_return_on_investment_without_costs():
    # Nothing to recover: the case pays back at once. NPV = 100 / 1.05 = 95.238 → 95.24.
    result = figures(benefits=[Line(D("100"), 1)], rate="0.05", horizon=1)

    assert result.return_on_investment is None
    assert result.return_on_investment_percent is None
    assert result.payback_years == D("0.00")
    assert result.net_present_value == D("95.24")
    assert result.is_positive


def test_a_case_that_never_recovers_its_costs_has_no_payback():
    # −1000, +100, +100, +100: still −700 at the horizon. ROI = (300 − 1000) / 1000 = −0.7.
    result = figures(costs=[INVESTMENT], benefits=[Line(D("100"), 1, 3)])

    assert result.payback_years is None
    assert result.return_on_investment == D("-0.7000")
    assert not result.is_positive


def test_a_case_that_dips_below_zero_again_at_the_end_has_no_payback():
    # Exit costs of 1500 in year 3: nets −1000, +700, +700, −800; cumulative −1000, −300, +400, −400.
    # It was ahead in year 2 but ends behind, so it does not pay back.
    result = figures(costs=[INVESTMENT, Line(D("1500"), 3)], benefits=[Line(D("700"), 1, 3)], horizon=3)

    assert result.payback_years is None


def test_payback_counts_from_the_last_time_the_cumulative_net_turns():
    # Nets −1000, +700, +700, −800, +1000; cumulative −1000, −300, +400, −400, +600.
    # Behind for the last time at the end of year 3 → 3 + 400/1000 = 3.4 years.
    result = figures(
        costs=[INVESTMENT, Line(D("1500"), 3)],
        benefits=[Line(D("700"), 1, 3), Line(D("1000"), 4)],
        horizon=4,
    )

    assert result.payback_years == D("3.40")


def test_whatever_falls_after_the_horizon_is_left_out():
    # Recurring 100 in years 1–10 counts only in years 1–3; a one-off in year 5 not at all.
    result = figures(costs=[Line(D("100"), 1, 10), Line(D("999"), 5)], horizon=3)

    assert result.total_cost_of_ownership == D("300.00")
    assert len(result.years) == 4


def test_a_line_recurring_over_a_single_year_counts_once():
    assert finance.yearly_amounts([Line(D("50"), 2, 2)], 3) == [D(0), D(0), D(50), D(0)]


def test_amounts_of_several_lines_in_one_year_add_up():
    assert finance.yearly_amounts([Line(D("10.10"), 1), Line(D("0.25"), 1, 2)], 2) == [
        D(0),
        D("10.35"),
        D("0.25"),
    ]


def test_an_empty_case_has_zero_figures():
    result = figures()

    assert result.total_cost_of_ownership == result.total_benefits == result.net_present_value == D("0.00")
    assert result.return_on_investment is None
    assert not result.is_positive


def test_money_rounds_half_up():
    # 0.5 × 0.01 = 0.005: half up gives 0.01 (banker's rounding would give 0.00).
    assert finance.risk_adjustment([RiskLine(D("0.5"), D("0.01"))]) == D("0.01")


def test_return_on_investment_keeps_four_places():
    # (1000 − 300) / 300 = 2.333… → 2.3333, shown as 233.33 %.
    result = figures(costs=[Line(D("300"), 0)], benefits=[Line(D("1000"), 1)], horizon=1)

    assert result.return_on_investment == D("2.3333")
    assert result.return_on_investment_percent == D("233.33")


@pytest.mark.parametrize("rate", ["1", "-1", "1.5", "-2"])
def test_a_discount_rate_outside_minus_one_to_one_is_refused(rate):
    with pytest.raises(ValueError, match="discount rate"):
        figures(rate=rate)


@pytest.mark.parametrize("rate", ["0.9999", "-0.9999", "0"])
def test_discount_rates_just_inside_the_limits_are_accepted(rate):
    figures(costs=[INVESTMENT], rate=rate)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (Line(D("-1"), 0), "negative"),
        (Line(D("1"), -1), "Years count from 0"),
        (Line(D("1"), 3, 2), "cannot end"),
    ],
)
def test_bad_lines_are_refused(line, message):
    with pytest.raises(ValueError, match=message):
        figures(costs=[line])


@pytest.mark.parametrize(("probability", "impact"), [("1.01", "10"), ("-0.1", "10"), ("0.5", "-1")])
def test_bad_risks_are_refused(probability, impact):
    with pytest.raises(ValueError):
        finance.risk_adjustment([RiskLine(D(probability), D(impact))])


def test_a_negative_horizon_is_refused():
    with pytest.raises(ValueError, match="horizon"):
        finance.yearly_amounts([], -1)


def test_the_figures_are_frozen():
    result = figures()

    with pytest.raises(AttributeError):
        result.net_present_value = D("1")
