"""Charts of Agree, drawn on the server: compliance per month as bars on a 0–100 % scale, with the
number of breached targets under each month.

Plain geometry and escaped text, no JavaScript, so they work offline and without scripts. Each chart
carries its own text alternative (`<title>` and a `<desc>` that states every value); the pages show the
same figures in a table next to it. Colours come from static/css/agreements.css.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.utils.html import format_html, format_html_join
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
    still running: its bar is drawn lighter and called "so far"."""
    plot_width = TREND_WIDTH - TREND_LEFT - TREND_RIGHT
    plot_height = TREND_HEIGHT - TREND_TOP - TREND_BOTTOM
    bottom = TREND_TOP + plot_height
    slot = plot_width / max(len(months), 1)
    bar_width = _round(max(min(slot * 0.6, 40.0), 2.0))

    def y_of(pct: float) -> float:
        return _round(TREND_TOP + plot_height * (100 - pct) / 100)

    grid = format_html_join(
        "",
        '<line class="grid" x1="{}" y1="{}" x2="{}" y2="{}"/>'
        '<text class="tick" x="{}" y="{}" text-anchor="end" dominant-baseline="middle">{} %</text>',
        (
            (TREND_LEFT, y_of(tick), TREND_WIDTH - TREND_RIGHT, y_of(tick), TREND_LEFT - 6, y_of(tick), tick)
            for tick in AXIS_TICKS
        ),
    )
    bars, labels, stated = [], [], []
    for index, entry in enumerate(months):
        figures = entry.figures
        centre = TREND_LEFT + slot * (index + 0.5)
        month_name = f"{MONTH_SHORT[entry.month.month - 1]} {entry.month.year}"
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
                format_html(
                    '<rect class="bar {}{}" x="{}" y="{}" width="{}" height="{}"><title>{}: {}{} ({})</title>'
                    "</rect>"
                    '<text class="value" x="{}" y="{}" text-anchor="middle">{}</text>',
                    _level(pct),
                    " open" if is_open else "",
                    _round(centre - bar_width / 2),
                    top,
                    bar_width,
                    _round(max(bottom - top, 0.5)),
                    month_name,
                    _pct(pct),
                    so_far,
                    detail,
                    _round(centre),
                    _round(max(top - 4, TREND_TOP - 2)),
                    f"{pct:.0f}",
                )
            )
        labels.append(
            format_html(
                '<text class="tick" x="{}" y="{}" text-anchor="middle">{}</text>',
                _round(centre),
                bottom + 14,
                MONTH_SHORT[entry.month.month - 1],
            )
        )
        if figures.breached:
            labels.append(
                format_html(
                    '<text class="breached-count" x="{}" y="{}" text-anchor="middle">{} ✕</text>',
                    _round(centre),
                    bottom + 30,
                    figures.breached,
                )
            )
    description = "; ".join(stated) + "." if stated else "No months."
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" class="sla-trend-chart" '
        'role="img" aria-labelledby="{id}-title {id}-desc">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>'
        "{grid}"
        '<line class="axis" x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}"/>'
        "{bars}{labels}"
        '<text class="legend" x="{left}" y="{legend_y}">✕ targets breached that month</text>'
        "</svg>",
        w=TREND_WIDTH,
        h=TREND_HEIGHT,
        id=chart_id,
        title=title,
        desc=description,
        grid=grid,
        left=TREND_LEFT,
        right=TREND_WIDTH - TREND_RIGHT,
        bottom=bottom,
        bars=mark_safe("".join(bars)),  # noqa: S308 - built with format_html above
        labels=mark_safe("".join(labels)),  # noqa: S308
        legend_y=TREND_HEIGHT - 2,
    )
