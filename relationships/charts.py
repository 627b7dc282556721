"""Charts of the assessments, drawn on the server as inline SVG: the trust profile as a radar (one axis
per factor, both directions overlaid) and small trend lines of scores over time.

Plain geometry and escaped text, no JavaScript, so they work offline and without scripts. Each chart
carries its own text alternative (`<title>` and a `<desc>` that states every value), and the pages
show the same figures in a table next to it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

Number = int | float | Decimal

# One colour class per series (see static/css/assessments.css); patterns differ too (solid, dashed),
# so the series stay apart without colour.
SERIES_CLASSES = ("series-a", "series-b", "series-c")

RADAR_WIDTH = 440  # room on both sides for the axis labels
RADAR_RADIUS = 110
RADAR_CENTRE = (RADAR_WIDTH / 2, 144)  # the top label sits just inside the top edge
LABEL_DISTANCE = 1.16  # axis labels, as a share of the radius
LEGEND_LINE = 22
TREND_WIDTH, TREND_HEIGHT = 320, 120
TREND_LEFT, TREND_RIGHT, TREND_TOP, TREND_BOTTOM = 28, 12, 10, 22


def _text(value: Number | None) -> str:
    return "not rated" if value is None else f"{float(value):.2f}".rstrip("0").rstrip(".")


def _position(low: float, high: float, value: Number) -> float:
    """Where a value sits between low (0) and high (1), clamped."""
    return min(1.0, max(0.0, (float(value) - low) / (high - low)))


def radar_chart(
    axes: Sequence[tuple[str, Number | None]],
    *,
    name: str = "",
    series: Sequence[tuple[str, Sequence[tuple[str, Number | None]]]] = (),
    title: str = "Profile",
    low: int = 1,
    high: int = 5,
    chart_id: str = "radar",
) -> SafeString:
    """A radar chart: one spoke per axis (label, value) from `low` at the centre to `high` at the rim,
    a ring per scale step and one polygon per series. `axes` is the first series (called `name`);
    `series` adds more as (name, axes) with the same labels in the same order. A legend appears when
    there is more than one series. Unrated values (None) sit at the centre and are said so in the
    description."""
    all_series = [(name, list(axes)), *((label, list(values)) for label, values in series)]
    labels = [label for label, _ in all_series[0][1]]
    count = len(labels)
    cx, cy = RADAR_CENTRE

    def point(index: int, share: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * index / count
        return (
            round(cx + RADAR_RADIUS * share * math.cos(angle), 2),
            round(cy + RADAR_RADIUS * share * math.sin(angle), 2),
        )

    # The legend starts below the lowest axis label; the chart ends below the legend.
    legend_top = max(point(index, LABEL_DISTANCE)[1] for index in range(count)) + 18
    height = round(legend_top + (LEGEND_LINE * len(all_series) if len(all_series) > 1 else 0))

    rings = []
    for step in range(low + 1, high + 1):
        share = _position(low, high, step)
        points = " ".join(f"{x},{y}" for x, y in (point(i, share) for i in range(count)))
        rings.append(format_html('<polygon class="ring" points="{}"/>', points))
    ring_labels = format_html_join(
        "",
        '<text class="tick" x="{}" y="{}" dx="4">{}</text>',
        ((*point(0, _position(low, high, step)), step) for step in range(low, high + 1)),
    )
    spokes, axis_labels = [], []
    for index, label in enumerate(labels):
        x, y = point(index, 1)
        spokes.append(format_html('<line class="spoke" x1="{}" y1="{}" x2="{}" y2="{}"/>', cx, cy, x, y))
        lx, ly = point(index, LABEL_DISTANCE)
        anchor = "middle" if abs(lx - cx) < 8 else ("start" if lx > cx else "end")
        axis_labels.append(
            format_html(
                '<text class="axis-label" x="{}" y="{}" text-anchor="{}">{}</text>', lx, ly, anchor, label
            )
        )
    shapes, legend, descriptions = [], [], []
    for number, (series_name, values) in enumerate(all_series):
        css = SERIES_CLASSES[number % len(SERIES_CLASSES)]
        corners = [
            point(index, 0 if value is None else _position(low, high, value))
            for index, (_, value) in enumerate(values)
        ]
        shapes.append(
            format_html(
                '<polygon class="area {}" points="{}"><title>{}</title></polygon>',
                css,
                " ".join(f"{x},{y}" for x, y in corners),
                series_name or title,
            )
        )
        shapes.append(
            format_html_join(
                "",
                '<circle class="dot {}" cx="{}" cy="{}" r="3.5"><title>{}: {}</title></circle>',
                (
                    (css, x, y, label, _text(value))
                    for (x, y), (label, value) in zip(corners, values, strict=True)
                ),
            )
        )
        stated = "; ".join(f"{label} {_text(value)}" for label, value in values)
        descriptions.append(f"{series_name}: {stated}" if series_name else stated)
        if len(all_series) > 1:
            y = legend_top + LEGEND_LINE * number
            legend.append(
                format_html(
                    '<g class="legend-entry"><rect class="swatch {}" x="24" y="{}" width="14" height="14"/>'
                    '<text x="44" y="{}" dominant-baseline="middle">{}</text></g>',
                    css,
                    y,
                    y + 7,
                    series_name,
                )
            )
    description = f"Scale {low} (centre) to {high} (rim). " + ". ".join(descriptions) + "."
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        'class="radar-chart" role="img" aria-labelledby="{id}-title {id}-desc">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>'
        '<g class="grid">{rings}{spokes}</g>{ticks}{labels}<g class="series">{shapes}</g>{legend}</svg>',
        width=RADAR_WIDTH,
        height=height,
        id=chart_id,
        title=title,
        desc=description,
        rings=mark_safe("".join(rings)),  # noqa: S308 - built with format_html above
        spokes=mark_safe("".join(spokes)),  # noqa: S308
        ticks=ring_labels,
        labels=mark_safe("".join(axis_labels)),  # noqa: S308
        shapes=mark_safe("".join(shapes)),  # noqa: S308
        legend=mark_safe("".join(legend)),  # noqa: S308
    )


def trend_chart(
    points: Sequence[tuple[date, Number | None]],
    *,
    title: str = "Trend",
    low: int = 1,
    high: int = 5,
    chart_id: str = "trend",
) -> SafeString:
    """A small line chart of scores over time: x by date (spaced by the real time between points), y
    from `low` to `high`. A single point is drawn in the middle; points without a score are left out.
    Each point carries its date and value as a tooltip, and the description lists them all."""
    rated = sorted(((day, value) for day, value in points if value is not None), key=lambda p: p[0])
    plot_width = TREND_WIDTH - TREND_LEFT - TREND_RIGHT
    plot_height = TREND_HEIGHT - TREND_TOP - TREND_BOTTOM
    bottom = TREND_TOP + plot_height
    first, last = (rated[0][0], rated[-1][0]) if rated else (None, None)
    span = (last - first).days if rated else 0

    def x_of(day: date) -> float:
        share = 0.5 if span == 0 else (day - first).days / span
        return round(TREND_LEFT + plot_width * share, 2)

    def y_of(value: Number) -> float:
        return round(bottom - plot_height * _position(low, high, value), 2)

    coordinates = [(x_of(day), y_of(value), day, value) for day, value in rated]
    line = (
        format_html(
            '<polyline class="line" points="{}"/>', " ".join(f"{x},{y}" for x, y, _, _ in coordinates)
        )
        if len(coordinates) > 1
        else ""
    )
    dots = format_html_join(
        "",
        '<circle class="dot" cx="{}" cy="{}" r="3"><title>{}: {}</title></circle>',
        ((x, y, f"{day:%d %b %Y}", _text(value)) for x, y, day, value in coordinates),
    )
    ticks = format_html_join(
        "",
        '<text class="tick" x="{}" y="{}" text-anchor="end" dominant-baseline="middle">{}</text>',
        ((TREND_LEFT - 5, y_of(value), value) for value in (low, high)),
    )
    dates = (
        format_html(
            '<text class="tick" x="{}" y="{}" text-anchor="start">{}</text>'
            '<text class="tick" x="{}" y="{}" text-anchor="end">{}</text>',
            TREND_LEFT,
            TREND_HEIGHT - 4,
            f"{first:%b %Y}",
            TREND_WIDTH - TREND_RIGHT,
            TREND_HEIGHT - 4,
            f"{last:%b %Y}",
        )
        if rated
        else ""
    )
    description = (
        "; ".join(f"{day:%d %b %Y}: {_text(value)}" for day, value in rated) + "."
        if rated
        else "No scores yet."
    )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" class="trend-chart" '
        'role="img" aria-labelledby="{id}-title {id}-desc">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">Scale {low} to {high}. {desc}</desc>'
        '<line class="axis" x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}"/>'
        '<line class="axis" x1="{left}" y1="{top}" x2="{left}" y2="{bottom}"/>'
        "{ticks}{dates}{line}{dots}</svg>",
        w=TREND_WIDTH,
        h=TREND_HEIGHT,
        id=chart_id,
        title=title,
        low=low,
        high=high,
        desc=description,
        left=TREND_LEFT,
        right=TREND_WIDTH - TREND_RIGHT,
        top=TREND_TOP,
        bottom=bottom,
        ticks=ticks,
        dates=dates,
        line=line,
        dots=dots,
    )
