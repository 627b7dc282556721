"""Ranking requirements: MoSCoW categories, weighted shortest job first (WSJF) and the INVEST check
of user stories. Pure functions, no database; the models and selectors build on them.

WSJF, as the book adapts it to service management: the cost of delay (CoD) is what a requirement
loses by waiting, made of its service impact (the value of its outcome), its urgency (time
criticality) and the risk it reduces or the opportunity it enables. The book does not say how the
three combine; like most teams we add them. The score (CD3) is the cost of delay divided by the job
size (its duration or size), so small valuable jobs come first.

The three cost-of-delay components are relative scores on the modified Fibonacci scale 1, 2, 3, 5,
8, 13, 20: the gaps widen as numbers grow, so nobody argues over 11 versus 12. The job size is any
whole number from 1 (usually on the same scale, but a team may use days); 0 would make every job
infinitely urgent and is refused.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

WSJF_SCALE: tuple[int, ...] = (1, 2, 3, 5, 8, 13, 20)
SCORE_PLACES = Decimal("0.01")

# MoSCoW categories from the most to the least pressing; "" is a requirement not yet categorized.
MOSCOW_ORDER: tuple[str, ...] = ("must", "should", "could", "wont")


def cost_of_delay(*, service_impact: int, urgency: int, risk_reduction: int) -> int:
    """Service impact + urgency + risk reduction / opportunity enablement."""
    for name, value in (
        ("service_impact", service_impact),
        ("urgency", urgency),
        ("risk_reduction", risk_reduction),
    ):
        if value not in WSJF_SCALE:
            raise ValueError(f"{name} must be one of {', '.join(map(str, WSJF_SCALE))} (got {value}).")
    return service_impact + urgency + risk_reduction


def wsjf_score(*, service_impact: int, urgency: int, risk_reduction: int, job_size: int) -> Decimal:
    """Cost of delay ÷ job size, to 2 places (half up). A job size below 1 raises ValueError."""
    if job_size < 1:
        raise ValueError(f"The job size must be at least 1 (got {job_size}).")
    delay = cost_of_delay(service_impact=service_impact, urgency=urgency, risk_reduction=risk_reduction)
    return (Decimal(delay) / Decimal(job_size)).quantize(SCORE_PLACES, rounding=ROUND_HALF_UP)


def moscow_position(category: str) -> int:
    """0 for must, 1 should, 2 could, 3 won't; anything else (not yet categorized) after them."""
    try:
        return MOSCOW_ORDER.index(category)
    except ValueError:
        return len(MOSCOW_ORDER)


def board_key(*, moscow: str, rank: int) -> tuple[int, int]:
    """The order of the requirement board: by MoSCoW column, then the rank agreed within it."""
    return (moscow_position(moscow), rank)


def priority_key(*, moscow: str, wsjf: Decimal | None, rank: int = 0) -> tuple[int, int, Decimal, int]:
    """MoSCoW first, WSJF (highest first) to separate requirements of one category, unscored ones
    after the scored, the manual rank last. Sort ascending with it."""
    unscored = 1 if wsjf is None else 0
    return (moscow_position(moscow), unscored, -(wsjf or Decimal(0)), rank)


class InvestCriterion(enum.StrEnum):
    """The six qualities of a good user story, one per letter of INVEST."""

    INDEPENDENT = "independent"
    NEGOTIABLE = "negotiable"
    VALUABLE = "valuable"
    ESTIMABLE = "estimable"
    SMALL = "small"
    TESTABLE = "testable"

    @property
    def label(self) -> str:
        return self.value.capitalize()


# What a story lacks when a criterion is not ticked, in our own words.
_WHY_NOT = {
    InvestCriterion.INDEPENDENT: "It leans on other stories, so it cannot be planned or delivered alone.",
    InvestCriterion.NEGOTIABLE: "It fixes the solution instead of leaving room to agree how the need is met.",
    InvestCriterion.VALUABLE: "It is not clear what the user or the customer gains from it.",
    InvestCriterion.ESTIMABLE: "The team cannot yet say how much work it is.",
    InvestCriterion.SMALL: "It is too big to finish within one sprint; split it.",
    InvestCriterion.TESTABLE: "There is no way yet to tell whether it is done.",
}


@dataclass(frozen=True)
class InvestFailure:
    criterion: InvestCriterion
    explanation: str


@dataclass(frozen=True)
class InvestCheck:
    failures: tuple[InvestFailure, ...]

    @property
    def passed(self) -> bool:
        return not self.failures

    @property
    def failed_criteria(self) -> tuple[InvestCriterion, ...]:
        return tuple(failure.criterion for failure in self.failures)

    @property
    def passed_criteria(self) -> tuple[InvestCriterion, ...]:
        failed = set(self.failed_criteria)
        return tuple(criterion for criterion in InvestCriterion if criterion not in failed)


def invest_check(
    *,
    independent: bool,
    negotiable: bool,
    valuable: bool,
    estimable: bool,
    small: bool,
    testable: bool,
    as_a: str = "",
    i_want: str = "",
    so_that: str = "",
    acceptance_criteria: str = "",
) -> InvestCheck:
    """Which INVEST criteria a story fails, in INVEST order, each with a short reason.

    The flags are the team's judgement; the story text can still overrule a ticked flag where it
    shows the opposite: a story that names no benefit ("so that …") is not shown to be valuable, one
    that says nothing of what is wanted ("I want …") cannot be estimated, and one without acceptance
    criteria is not testable, whatever was ticked.
    """
    flags = {
        InvestCriterion.INDEPENDENT: independent,
        InvestCriterion.NEGOTIABLE: negotiable,
        InvestCriterion.VALUABLE: valuable,
        InvestCriterion.ESTIMABLE: estimable,
        InvestCriterion.SMALL: small,
        InvestCriterion.TESTABLE: testable,
    }
    text_gaps = {
        InvestCriterion.VALUABLE: (
            not so_that.strip(),
            "Ticked, but the story names no benefit: add what it is for (“so that …”).",
        ),
        InvestCriterion.ESTIMABLE: (
            not i_want.strip(),
            "Ticked, but the story does not say what is wanted (“I want …”), so it cannot be sized.",
        ),
        InvestCriterion.TESTABLE: (
            not acceptance_criteria.strip(),
            "Ticked, but no acceptance criteria are written down to test it against.",
        ),
    }
    failures = []
    for criterion, ticked in flags.items():
        if not ticked:
            failures.append(InvestFailure(criterion, _WHY_NOT[criterion]))
            continue
        gap, explanation = text_gaps.get(criterion, (False, ""))
        if gap:
            failures.append(InvestFailure(criterion, explanation))
    return InvestCheck(failures=tuple(failures))


def story_text(*, as_a: str, i_want: str, so_that: str) -> str:
    """The story in its usual form, leaving out the parts not filled in."""
    parts = []
    if as_a.strip():
        parts.append(f"As {_with_article(as_a.strip())}")
    if i_want.strip():
        parts.append(f"I want {i_want.strip()}")
    if so_that.strip():
        parts.append(f"so that {so_that.strip()}")
    return ", ".join(parts) + ("." if parts else "")


def _with_article(role: str) -> str:
    lowered = role.lower()
    if lowered.startswith(("a ", "an ", "the ")):
        return role
    return f"{'an' if lowered[0] in 'aeiou' else 'a'} {role}"
