"""The figures of a business case: yearly cash flows, total cost of ownership (TCO), total benefits,
return on investment (ROI), net present value (NPV), payback period and the risk adjustment that
decides whether the case is positive. Pure arithmetic on Decimal, no database: the models hand in
their lines (anything with the attributes below), tests hand in plain objects.

Choices made here, since the book names these figures without defining their details:

- **Years.** Year 0 is the start of the case (typically when the investment is made); the horizon T
  is the last year counted, so a case covers the years 0..T (T + 1 cash flows). A one-off line falls
  in its `year`; a recurring line repeats its `amount` in every year from `year` to `last_year`, both
  included. Whatever falls after the horizon is left out of every figure.
- **TCO** is the sum of all costs in years 0..T; **total benefits** the sum of all benefits, each
  benefit line counted at its money value (a non-financial benefit counts with the amount it was
  valued at, which may be 0).
- **ROI** = (total benefits − TCO) / TCO, as a fraction (0.125 is 12.5 %) rounded to 4 places;
  None when the TCO is 0, because a return on nothing invested has no meaning.
- **NPV** = Σ_{t=0..T} (benefit_t − cost_t) / (1 + r)^t. Discounting works at full precision; only
  the result is rounded, so the yearly discounted figures shown (rounded each) may differ from the
  NPV by a cent.
- **Payback period**: the point, in years, from which the cumulative undiscounted net stays ≥ 0 up
  to the horizon. Within the year it turns, the year's net is taken to come in evenly, so the
  fraction is interpolated: (t − 1) + (what was still to recover at the end of year t − 1) / net_t.
  A case whose cumulative net is never ≥ 0, or falls below 0 again later (say, through exit costs),
  has no payback (None). A case that starts at ≥ 0 and stays there pays back at 0.
- **Risk adjustment** = Σ probability × impact over the risks (probability a fraction 0..1).
  The case **is positive** when total benefits > TCO + risk adjustment.
- **Rounding**: money to 2 places, half up (the way amounts are usually rounded on paper); ROI to 4
  places; payback to 2 places.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Protocol

CENT = Decimal("0.01")
ROI_PLACES = Decimal("0.0001")
PAYBACK_PLACES = Decimal("0.01")
ZERO = Decimal("0")
ONE = Decimal("1")


class CashLine(Protocol):
    """A cost or benefit line: an amount in one year, or every year from `year` to `last_year`."""

    amount: Decimal
    year: int
    last_year: int | None


class Risk(Protocol):
    probability: Decimal
    impact: Decimal


@dataclass(frozen=True)
class Line:
    """A plain cost or benefit line, for callers that have no model instance at hand."""

    amount: Decimal
    year: int
    last_year: int | None = None


@dataclass(frozen=True)
class RiskLine:
    probability: Decimal
    impact: Decimal


@dataclass(frozen=True)
class YearFigures:
    """One year of the case. `cumulative_net` is undiscounted; `discounted_net` is rounded on its own."""

    year: int
    costs: Decimal
    benefits: Decimal
    net: Decimal
    discounted_net: Decimal
    cumulative_net: Decimal


@dataclass(frozen=True)
class BusinessCaseFigures:
    years: tuple[YearFigures, ...]
    total_cost_of_ownership: Decimal
    total_benefits: Decimal
    net_benefit: Decimal
    return_on_investment: Decimal | None
    net_present_value: Decimal
    payback_years: Decimal | None
    risk_adjustment: Decimal
    is_positive: bool

    @property
    def return_on_investment_percent(self) -> Decimal | None:
        """The ROI as a percentage with 2 places (0.125 → 12.50), for display."""
        if self.return_on_investment is None:
            return None
        return (self.return_on_investment * 100).quantize(CENT, rounding=ROUND_HALF_UP)


def money(value: Decimal) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def _check_line(line: CashLine) -> None:
    if line.amount < 0:
        raise ValueError(f"An amount cannot be negative (got {line.amount}).")
    if line.year < 0:
        raise ValueError(f"Years count from 0, the start of the case (got {line.year}).")
    if line.last_year is not None and line.last_year < line.year:
        raise ValueError(f"A line cannot end (year {line.last_year}) before it starts (year {line.year}).")


def yearly_amounts(lines: Iterable[CashLine], horizon_years: int) -> list[Decimal]:
    """The lines spread over the years 0..horizon_years: index t holds the total of year t."""
    if horizon_years < 0:
        raise ValueError(f"The horizon cannot be negative (got {horizon_years}).")
    totals = [ZERO] * (horizon_years + 1)
    for line in lines:
        _check_line(line)
        last = line.year if line.last_year is None else line.last_year
        for year in range(line.year, min(last, horizon_years) + 1):
            totals[year] += Decimal(line.amount)
    return totals


def check_discount_rate(discount_rate: Decimal) -> None:
    if not -ONE < discount_rate < ONE:
        raise ValueError(
            f"The discount rate must lie strictly between −100 % and 100 % (got {discount_rate})."
        )


def net_present_value(nets: Sequence[Decimal], discount_rate: Decimal) -> Decimal:
    """Σ net_t / (1 + r)^t over the yearly nets (index = year), rounded to the cent at the end."""
    check_discount_rate(discount_rate)
    factor = ONE + Decimal(discount_rate)
    return money(sum((net / factor**year for year, net in enumerate(nets)), ZERO))


def return_on_investment(total_benefits: Decimal, total_costs: Decimal) -> Decimal | None:
    """(benefits − costs) / costs as a fraction with 4 places; None when nothing is spent."""
    if total_costs == 0:
        return None
    return ((total_benefits - total_costs) / total_costs).quantize(ROI_PLACES, rounding=ROUND_HALF_UP)


def payback_years(nets: Sequence[Decimal]) -> Decimal | None:
    """Years until the cumulative net turns ≥ 0 for good (see the module's notes), or None."""
    cumulative = ZERO
    cumulatives = []
    for net in nets:
        cumulative += net
        cumulatives.append(cumulative)
    if not cumulatives or cumulatives[-1] < 0:
        return None
    # The last year that ends short of recovery; the case pays back in the year after it.
    short = max((year for year, total in enumerate(cumulatives) if total < 0), default=None)
    if short is None:
        return ZERO.quantize(PAYBACK_PLACES)
    turning_year = short + 1
    still_to_recover = -cumulatives[short]
    fraction = still_to_recover / nets[turning_year]
    return (Decimal(turning_year - 1) + fraction).quantize(PAYBACK_PLACES, rounding=ROUND_HALF_UP)


def risk_adjustment(risks: Iterable[Risk]) -> Decimal:
    """Σ probability × impact, rounded to the cent."""
    total = ZERO
    for risk in risks:
        if not ZERO <= risk.probability <= ONE:
            raise ValueError(f"A probability lies between 0 and 1 (got {risk.probability}).")
        if risk.impact < 0:
            raise ValueError(f"An impact cannot be negative (got {risk.impact}).")
        total += Decimal(risk.probability) * Decimal(risk.impact)
    return money(total)


def business_case_figures(
    *,
    costs: Iterable[CashLine],
    benefits: Iterable[CashLine],
    risks: Iterable[Risk] = (),
    discount_rate: Decimal,
    horizon_years: int,
) -> BusinessCaseFigures:
    """Every figure of a business case from its lines, risks, discount rate and horizon."""
    check_discount_rate(discount_rate)
    yearly_costs = yearly_amounts(costs, horizon_years)
    yearly_benefits = yearly_amounts(benefits, horizon_years)
    nets = [benefit - cost for benefit, cost in zip(yearly_benefits, yearly_costs, strict=True)]
    factor = ONE + Decimal(discount_rate)

    years = []
    cumulative = ZERO
    for year, (cost, benefit, net) in enumerate(zip(yearly_costs, yearly_benefits, nets, strict=True)):
        cumulative += net
        years.append(
            YearFigures(
                year=year,
                costs=money(cost),
                benefits=money(benefit),
                net=money(net),
                discounted_net=money(net / factor**year),
                cumulative_net=money(cumulative),
            )
        )

    total_costs = sum(yearly_costs, ZERO)
    total_benefits = sum(yearly_benefits, ZERO)
    adjustment = risk_adjustment(risks)
    return BusinessCaseFigures(
        years=tuple(years),
        total_cost_of_ownership=money(total_costs),
        total_benefits=money(total_benefits),
        net_benefit=money(total_benefits - total_costs),
        return_on_investment=return_on_investment(total_benefits, total_costs),
        net_present_value=net_present_value(nets, discount_rate),
        payback_years=payback_years(nets),
        risk_adjustment=adjustment,
        is_positive=total_benefits > total_costs + adjustment,
    )
