"""Filters and tags of the value pages, and the Health and NPS cells the portfolio dashboard and the
account 360° page show (the shell's templates load them from here, as the figures are Realize's)."""

from __future__ import annotations

from html import escape

from django import template
from django.utils.safestring import SafeString, mark_safe

from journeys.templatetags.journeys_tags import portfolio_row
from realization.models import HealthBand
from realization.value_charts import number

register = template.Library()

BAND_LABELS = dict(HealthBand.choices)


@register.filter
def figure(value, spec: str = "0") -> str:
    """A figure as the value pages write it: `{{ x|figure:"1" }}` one decimal, `{{ x|figure:"0 %" }}`
    a whole percentage, `{{ x|figure:"+0" }}` with its sign (NPS, a change); "—" when there is none."""
    signed = spec.startswith("+")
    places, _, unit = spec.lstrip("+").partition(" ")
    text = number(value, int(places or 0), f" {unit}" if unit else "")
    if signed and value is not None and not text.startswith(("−", "0")):
        text = f"+{text}"
    return text


# How each health input is written: NPS signed, CSAT and SLA in %, CES on 1–7, sentiment on −2..+2.
FACTOR_FORMATS = {"nps": "+0", "csat": "1 %", "ces": "2", "sla": "1 %", "sentiment": "+2"}


@register.filter
def factor_value(factor) -> str:
    """A health factor's input (realization.services.HealthFactor) as its page writes it."""
    if factor.input_value is None:
        return "no data"
    return figure(factor.input_value, FACTOR_FORMATS.get(factor.key, "1"))


@register.filter
def band_label(band: str | None) -> str:
    return BAND_LABELS.get(band or "", "No data")


@register.filter
def score_text(score) -> str:
    """A health score with its one decimal, none when it is whole: "75.5", "42"."""
    text = number(score, 1)
    return text.removesuffix(".0")


def _health_badge(score, band: str | None, *, band_shown: bool = False) -> str:
    if score is None or not band:
        return '<span class="health health-none">no data</span>'
    label = BAND_LABELS.get(band, band)
    spoken = " of 100" if band_shown else f" of 100, {escape(label.lower())}"
    return (
        f'<span class="health health-{escape(band)}" title="{escape(label)}">{score_text(score)}'
        f'<span class="visually-hidden">{spoken}</span></span>'
    )


@register.simple_tag
def health_badge(score, band, band_shown: bool = False) -> SafeString:
    """A health score in its band's colour, its band named for screen readers (and on hover) unless
    the page writes it beside the badge anyway (`band_shown`)."""
    return mark_safe(_health_badge(score, band, band_shown=band_shown))  # noqa: S308 - escaped, a number


WATERMELON_FLAG = (
    '<span class="watermelon-flag" title="SLA green outside, experience red inside">watermelon</span>'
)


@register.simple_tag
def watermelon_flag() -> SafeString:
    """The small green-rimmed red badge that marks a watermelon, in words (no picture to miss)."""
    return mark_safe(WATERMELON_FLAG)  # noqa: S308 - our own markup


@register.simple_tag(takes_context=True)
def portfolio_value_row(context, row: dict, relationship: str, now) -> SafeString:
    """The portfolio dashboard's row of an account (journeys' `portfolio_row`) with two more cells:
    its latest health score in its band, and its NPS (from `with_value_figures`), a watermelon flag when
    it is one."""
    base = portfolio_row(context, row, relationship, now)
    flag = f" {WATERMELON_FLAG}" if row.get("is_watermelon") else ""
    nps = figure(row.get("nps"), "+0")
    cells = (
        f'<td class="number">{_health_badge(row.get("health_score"), row.get("health_band"))}{flag}</td>'
        f'<td class="number">{nps}</td>'
    )
    return mark_safe(base.removesuffix("</tr>") + cells + "</tr>")  # noqa: S308 - numbers and escaped text
