"""Charts of Agree, drawn on the server: compliance per month as bars on a 0–100 % scale, with the
number of breached targets under each month.

Plain geometry and escaped text, no JavaScript, so they work offline and without scripts. Each chart
carries its own text alternative (`<title>` and a `<desc>` that states every value); the pages show the
same figures in a table next to it. Colours come from static/css/agreements.css.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from html import escape

from django.utils.safestring import SafeString, mark_safe

TREND_WIDTH, TREND_HEIGHT = 600, 230
TREND_LEFT, TREND_RIGHT, TREND_TOP, TREND_BOTTOM = 44, 10, 16, 44
AXIS_TICKS = (0, 25, 50, 75, 100)
MONTH_SHORT = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _round(value: float) -> float:
    return round(value, 2)


def _pct(value: Decimal) -> str:
    return f"{value:.1f} %"


def _level(pct: Decimal) -> str:
    """The colour class of a month: all targets kept, most kept, or many missed."""
    if pct >= 100:
        return "full"
    if pct >= 90:
        return "high"
    return "low"


def compliance_trend_chart(
    months: Sequence, *, chart_id: str = "sla-trend", title: str = "Compliance per month", open_month=None
) -> SafeString:
    """A bar per month (oldest first) of its compliance on a 0–100 % axis, with the number of targets
    measured and breached under it. `months` are MonthFigures (selectors): a month without
    measurements has no bar and says so. `open_month` (its first day), when in the chart, is the month
    still running: its bar is drawn lighter and called "so far".

    Written with f-strings: the only texts are the title and id given, escaped once, and month names
    and numbers of our own; format_html would escape each of the hundreds of numbers."""
    plot_width = TREND_WIDTH - TREND_LEFT - TREND_RIGHT
    plot_height = TREND_HEIGHT - TREND_TOP - TREND_BOTTOM
    bottom = TREND_TOP + plot_height
    slot = plot_width / max(len(months), 1)
    bar_width = _round(max(min(slot * 0.6, 40.0), 2.0))

    def y_of(pct: float) -> float:
        return _round(TREND_TOP + plot_height * (100 - pct) / 100)

    grid = "".join(
        f'<line class="grid" x1="{TREND_LEFT}" y1="{y_of(tick)}" x2="{TREND_WIDTH - TREND_RIGHT}" '
        f'y2="{y_of(tick)}"/><text class="tick" x="{TREND_LEFT - 6}" y="{y_of(tick)}" text-anchor="end" '
        f'dominant-baseline="middle">{tick} %</text>'
        for tick in AXIS_TICKS
    )
    bars, labels, stated = [], [], []
    for index, entry in enumerate(months):
        figures = entry.figures
        centre = _round(TREND_LEFT + slot * (index + 0.5))
        short_name = MONTH_SHORT[entry.month.month - 1]
        month_name = f"{short_name} {entry.month.year}"
        is_open = open_month is not None and entry.month == open_month
        pct = figures.pct
        so_far = " so far" if is_open else ""
        if pct is None:
            stated.append(f"{month_name}: no measurements{so_far}")
        else:
            detail = f"{figures.measured} measured, {figures.breached} breached"
            stated.append(f"{month_name}: {_pct(pct)}{so_far} ({detail})")
            top = y_of(float(pct))
            bars.append(
                f'<rect class="bar {_level(pct)}{" open" if is_open else ""}" '
                f'x="{_round(TREND_LEFT + slot * (index + 0.5) - bar_width / 2)}" y="{top}" '
                f'width="{bar_width}" height="{_round(max(bottom - top, 0.5))}">'
                f"<title>{month_name}: {_pct(pct)}{so_far} ({detail})</title></rect>"
                f'<text class="value" x="{centre}" y="{_round(max(top - 4, TREND_TOP - 2))}" '
                f'text-anchor="middle">{pct:.0f}</text>'
            )
        labels.append(
            f'<text class="tick" x="{centre}" y="{bottom + 14}" text-anchor="middle">{short_name}</text>'
        )
        if figures.breached:
            labels.append(
                f'<text class="breached-count" x="{centre}" y="{bottom + 30}" text-anchor="middle">'
                f"{figures.breached} ✕</text>"
            )
    description = "; ".join(stated) + "." if stated else "No months."
    chart_id = escape(chart_id)
    return mark_safe(  # noqa: S308 - the title and id are escaped; the rest is numbers and our own words
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {TREND_WIDTH} {TREND_HEIGHT}" '
        f'width="{TREND_WIDTH}" class="sla-trend-chart" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc">'
        f'<title id="{chart_id}-title">{escape(title)}</title><desc id="{chart_id}-desc">{description}</desc>'
        f"{grid}"
        f'<line class="axis" x1="{TREND_LEFT}" y1="{bottom}" x2="{TREND_WIDTH - TREND_RIGHT}" y2="{bottom}"/>'
        f"{''.join(bars)}{''.join(labels)}"
        f'<text class="legend" x="{TREND_LEFT}" y="{TREND_HEIGHT - 2}">✕ targets breached that month</text>'
        "</svg>"
    )
