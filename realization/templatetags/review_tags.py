"""Filters of the value review pages and pack: target values without trailing zeros, a target's rule,
the words and colour class of a variance or a target's status."""

from __future__ import annotations

from decimal import Decimal

from django import template

from agreements.models import Comparator, ComplianceStatus, TargetKind
from offerings.models import BenefitType

register = template.Library()

MINUS = "−"
STATUS_LABELS = {**dict(ComplianceStatus.choices), "": "No data"}


@register.filter
def plain(value) -> str:
    """99.5000 → "99.5", 1200.00 → "1,200", −3.25 → "−3.25"; None → "—"."""
    if value is None or value == "":
        return "—"
    number = Decimal(value).normalize()
    if number == number.to_integral():
        number = number.quantize(Decimal(1))
    text = f"{abs(number):,f}"
    return f"{MINUS}{text}" if number < 0 else text


@register.filter
def signed_plain(value) -> str:
    """A difference with its sign: "+2.5", "−0.4", "0"; None → "—"."""
    if value is None:
        return "—"
    return f"+{plain(value)}" if value > 0 else plain(value)


@register.filter
def rule(line) -> str:
    """A target line's rule as people read it: "≥ 95 %"."""
    symbol = Comparator(line.comparator).symbol if line.comparator in Comparator.values else line.comparator
    unit = f" {line.unit}" if line.unit else ""
    return f"{symbol} {plain(line.target_value)}{unit}".strip()


@register.filter
def target_status(value: str) -> str:
    return STATUS_LABELS.get(value or "", value)


@register.filter
def target_kind(value: str) -> str:
    return dict(TargetKind.choices).get(value, value)


@register.filter
def benefit_type(value: str) -> str:
    return dict(BenefitType.choices).get(value, value)


@register.filter
def variance_tone(value) -> str:
    """The colour class of a benefit's variance: more realized than expected is good."""
    if value is None:
        return "variance-none"
    return "variance-good" if value > 0 else "variance-bad" if value < 0 else "variance-even"


@register.filter
def target_variance_tone(line) -> str:
    """A target's variance is good on the side its rule asks for (above for ≥, below for ≤)."""
    if line.achieved is None or line.comparator not in Comparator.values:
        return "variance-none"
    better = Comparator(line.comparator).higher_is_better
    difference = line.achieved - line.target_value
    if better is None or difference == 0:
        return "variance-even"
    return "variance-good" if (difference > 0) == better else "variance-bad"
