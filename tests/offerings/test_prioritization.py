"""Ranking requirements: WSJF, MoSCoW order and the INVEST check of user stories."""

from decimal import Decimal

import pytest

from offerings.prioritization import (
    MOSCOW_ORDER,
    InvestCriterion,
    board_key,
    cost_of_delay,
    invest_check,
    moscow_position,
    priority_key,
    story_text,
    wsjf_score,
)

# --- WSJF -------------------------------------------------------------------------------------------


def test_cost_of_delay_adds_impact_urgency_and_risk_reduction():
    assert cost_of_delay(service_impact=8, urgency=13, risk_reduction=5) == 26


@pytest.mark.parametrize(
    ("impact", "urgency", "risk", "size", "score"),
    [
        (8, 13, 5, 3, Decimal("8.67")),  # 26 / 3 = 8.666… → 8.67
        (1, 1, 1, 2, Decimal("1.50")),  # 3 / 2
        (20, 20, 20, 1, Decimal("60.00")),  # the most pressing, smallest job
        (1, 1, 3, 8, Decimal("0.63")),  # 5 / 8 = 0.625 → 0.63, half up (not 0.62)
        (2, 3, 5, 20, Decimal("0.50")),  # 10 / 20
        (1, 2, 3, 7, Decimal("0.86")),  # a job size off the scale (days) is fine: 6 / 7 = 0.857…
    ],
)
def test_the_wsjf_score_is_the_cost_of_delay_divided_by_the_job_size(impact, urgency, risk, size, score):
    assert wsjf_score(service_impact=impact, urgency=urgency, risk_reduction=risk, job_size=size) == score


@pytest.mark.parametrize("size", [0, -1])
def test_a_job_size_below_one_is_refused(size):
    with pytest.raises(ValueError, match="job size"):
        wsjf_score(service_impact=3, urgency=3, risk_reduction=3, job_size=size)


@pytest.mark.parametrize("field", ["service_impact", "urgency", "risk_reduction"])
@pytest.mark.parametrize("value", [0, 4, 21])
def test_cost_of_delay_components_must_be_on_the_scale(field, value):
    components = {"service_impact": 3, "urgency": 3, "risk_reduction": 3, field: value}

    with pytest.raises(ValueError, match=field):
        cost_of_delay(**components)


# --- MoSCoW -----------------------------------------------------------------------------------------


def test_moscow_categories_run_from_must_to_wont_with_uncategorized_last():
    assert [moscow_position(category) for category in [*MOSCOW_ORDER, ""]] == [0, 1, 2, 3, 4]
    assert moscow_position("someday") == 4


def test_the_board_orders_by_column_then_agreed_rank():
    requirements = [("could", 1), ("must", 2), ("wont", 1), ("must", 1), ("", 1), ("should", 5)]

    ordered = sorted(requirements, key=lambda r: board_key(moscow=r[0], rank=r[1]))

    assert ordered == [("must", 1), ("must", 2), ("should", 5), ("could", 1), ("wont", 1), ("", 1)]


def test_priority_puts_moscow_first_then_the_highest_wsjf_then_unscored():
    requirements = {
        "should, 9.00": ("should", Decimal("9.00"), 1),
        "must, 1.50": ("must", Decimal("1.50"), 1),
        "must, unscored": ("must", None, 0),
        "must, 4.00": ("must", Decimal("4.00"), 2),
        "could, 20.00": ("could", Decimal("20.00"), 1),
    }

    ordered = sorted(
        requirements, key=lambda name: priority_key(moscow=requirements[name][0], wsjf=requirements[name][1])
    )

    assert ordered == ["must, 4.00", "must, 1.50", "must, unscored", "should, 9.00", "could, 20.00"]


def test_equal_wsjf_scores_fall_back_on_the_manual_rank():
    first = priority_key(moscow="must", wsjf=Decimal("2.00"), rank=1)
    second = priority_key(moscow="must", wsjf=Decimal("2.00"), rank=2)

    assert first < second


# --- INVEST -----------------------------------------------------------------------------------------

ALL_TICKED = dict(independent=True, negotiable=True, valuable=True, estimable=True, small=True, testable=True)
FULL_STORY = dict(
    as_a="fleet manager",
    i_want="to book a replacement car from my phone",
    so_that="drivers are back on the road the same day",
    acceptance_criteria="Given a broken-down car, a replacement is booked in under two minutes.",
)


def test_a_well_formed_story_passes_every_criterion():
    check = invest_check(**ALL_TICKED, **FULL_STORY)

    assert check.passed
    assert check.failures == ()
    assert check.passed_criteria == tuple(InvestCriterion)


def test_each_criterion_left_unticked_fails_with_its_reason_in_invest_order():
    nothing_ticked = {name: False for name in ALL_TICKED}

    check = invest_check(**nothing_ticked, **FULL_STORY)

    assert not check.passed
    assert check.failed_criteria == tuple(InvestCriterion)
    assert [criterion.label[0] for criterion in check.failed_criteria] == list("INVEST")
    assert all(failure.explanation for failure in check.failures)


@pytest.mark.parametrize("criterion", list(InvestCriterion))
def test_a_single_unticked_criterion_is_the_only_failure(criterion):
    flags = {**ALL_TICKED, criterion.value: False}

    check = invest_check(**flags, **FULL_STORY)

    assert check.failed_criteria == (criterion,)
    assert criterion not in check.passed_criteria


@pytest.mark.parametrize(
    ("missing", "criterion", "hint"),
    [
        ("so_that", InvestCriterion.VALUABLE, "so that"),
        ("i_want", InvestCriterion.ESTIMABLE, "I want"),
        ("acceptance_criteria", InvestCriterion.TESTABLE, "acceptance criteria"),
    ],
)
def test_the_story_text_overrules_a_ticked_flag_it_contradicts(missing, criterion, hint):
    story = {**FULL_STORY, missing: "   "}

    check = invest_check(**ALL_TICKED, **story)

    assert check.failed_criteria == (criterion,)
    assert hint in check.failures[0].explanation


def test_an_unticked_criterion_gives_its_own_reason_even_when_the_text_is_missing_too():
    check = invest_check(**{**ALL_TICKED, "testable": False}, **{**FULL_STORY, "acceptance_criteria": ""})

    (failure,) = check.failures
    assert failure.criterion == InvestCriterion.TESTABLE
    assert "Ticked" not in failure.explanation


# --- the story text -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("as_a", "i_want", "so_that", "text"),
    [
        (
            "fleet manager",
            "to book cars",
            "drivers drive",
            "As a fleet manager, I want to book cars, so that drivers drive.",
        ),
        ("operator", "alerts", "", "As an operator, I want alerts."),
        ("the CIO", "one report", "", "As the CIO, I want one report."),
        ("", "", "", ""),
    ],
)
def test_the_story_reads_in_its_usual_form(as_a, i_want, so_that, text):
    assert story_text(as_a=as_a, i_want=i_want, so_that=so_that) == text
