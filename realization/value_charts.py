"""The value dashboard's charts, drawn on the server: one figure per month as a line per series (NPS;
CSAT and CES; SLA compliance beside CSAT; the average health score), with the thresholds the health
policy sets as dashed lines and the months an account was a watermelon shaded.

Plain geometry and escaped text, no JavaScript, like `realization.charts`. Every chart carries its own
text alternative (`<title>` and a `<desc>` stating each month's values); the pages show the same
figures in a table beside it. Colours come from static/css/value.css.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from html import escape

from django.utils.safestring import SafeString, mark_safe

__all__ = ["Axis", "Marks", "Series", "Threshold", "month_label", "number", "trend_chart"]

WIDTH, HEIGHT = 720, 250
LEFT, RIGHT, TOP, BOTTOM = 56, 56, 18, 40


@dataclass(frozen=True)
class Axis:
    """A vertical scale: the values at the bottom and the top, and the ticks to write on it."""

    low: float
    high: float
    ticks: Sequence[tuple[float, str]]


@dataclass(frozen=True)
class Series:
    """One line: a value per month (None where the month has no data, which breaks the line)."""

    key: str  # the CSS class of the line, also its legend's
    label: str
    values: Sequence[Decimal | float | None]
    unit: str = ""
    places: int = 0
    right: bool = False  # drawn against the right-hand axis
    signed: bool = False  # a plus before positive values (NPS)

    def text(self, value) -> str:
        shown = number(value, self.places, self.unit)
        return f"+{shown}" if self.signed and value is not None and value > 0 and shown != "0" else shown


@dataclass(frozen=True)
class Threshold:
    value: float
    label: str
    right: bool = False


@dataclass(frozen=True)
class Marks:
    """Months to shade (by index) and what the shading means."""

    months: Sequence[int] = field(default_factory=tuple)
    label: str = ""


def number(value, places: int = 0, unit: str = "") -> str:
    """A figure as the pages write it: a real minus, the unit after it, "—" when there is none."""
    if value is None:
        return "—"
    text = f"{float(value):.{places}f}"
    if float(text) == 0:
        text = text.lstrip("-")
    return text.replace("-", "−") + unit


def month_label(month: date, *, short: bool = False) -> str:
    return month.strftime("%b %y" if short else "%b %Y")


def _path(points: list[tuple[float, float] | None]) -> str:
    parts, drawing = [], False
    for point in points:
        if point is None:
            drawing = False
            continue
        parts.append(f"{'L' if drawing else 'M'}{point[0]:g} {point[1]:g}")
        drawing = True
    return " ".join(parts)


def trend_chart(
    *,
    chart_id: str,
    title: str,
    months: Sequence[date],
    series: Sequence[Series],
    axis: Axis,
    right_axis: Axis | None = None,
    thresholds: Sequence[Threshold] = (),
    marks: Marks | None = None,
) -> SafeString:
    """A line per series over the months, oldest on the left. A lone series has every point labelled
    with its value; several have their last point labelled (the table beside the chart has them all)."""
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM
    slot = plot_width / max(len(months), 1)

    def y_of(value: float, scale: Axis) -> float:
        clipped = min(max(float(value), scale.low), scale.high)
        return round(TOP + plot_height * (scale.high - clipped) / (scale.high - scale.low), 2)

    def x_of(index: int) -> float:
        return round(LEFT + slot * (index + 0.5), 2)

    parts = []
    if marks is not None:
        parts.extend(
            f'<rect class="mark" x="{round(LEFT + slot * index, 2)}" y="{TOP}" width="{round(slot, 2)}" '
            f'height="{plot_height}"/>'
            for index in marks.months
        )
    for value, label in axis.ticks:
        y = y_of(value, axis)
        parts.append(
            f'<line class="grid{" zero" if value == 0 else ""}" x1="{LEFT}" y1="{y}" x2="{WIDTH - RIGHT}" '
            f'y2="{y}"/><text class="tick" x="{LEFT - 6}" y="{y}" text-anchor="end" '
            f'dominant-baseline="middle">{escape(label)}</text>'
        )
    if right_axis is not None:
        parts.extend(
            f'<text class="tick" x="{WIDTH - RIGHT + 6}" y="{y_of(value, right_axis)}" '
            f'dominant-baseline="middle">{escape(label)}</text>'
            for value, label in right_axis.ticks
        )
    for threshold in thresholds:
        scale = right_axis if threshold.right and right_axis is not None else axis
        y = y_of(threshold.value, scale)
        # Named in the legend under the chart and in its description, not on the line, where the
        # points' labels would collide with it.
        parts.append(f'<line class="threshold" x1="{LEFT}" y1="{y}" x2="{WIDTH - RIGHT}" y2="{y}"/>')
    for index, month in enumerate(months):
        parts.append(
            f'<text class="month-label" x="{x_of(index)}" y="{HEIGHT - BOTTOM + 18}" text-anchor="middle">'
            f"{escape(month_label(month, short=True))}</text>"
        )
    stated = []
    label_every_point = len(series) == 1
    for line in series:
        scale = right_axis if line.right and right_axis is not None else axis
        points: list[tuple[float, float] | None] = []
        for index, value in enumerate(line.values):
            points.append(None if value is None else (x_of(index), y_of(value, scale)))
        drawn = [(index, point) for index, point in enumerate(points) if point is not None]
        path = _path(points)
        if path:
            parts.append(f'<path class="line {line.key}" d="{path}"/>')
        for index, (x, y) in drawn:
            parts.append(f'<circle class="point {line.key}" cx="{x}" cy="{y}" r="4"/>')
            if label_every_point or index == drawn[-1][0]:
                parts.append(
                    f'<text class="point-label" x="{x}" y="{round(y - 9, 2)}" text-anchor="middle">'
                    f"{escape(line.text(line.values[index]))}</text>"
                )
        values = "; ".join(
            f"{month_label(month)} {'no data' if value is None else line.text(value)}"
            for month, value in zip(months, line.values, strict=True)
        )
        stated.append(f"{line.label}: {values}.")
    description = " ".join(stated) or "No data in the period."
    if thresholds:
        description += " Dashed lines: " + "; ".join(threshold.label for threshold in thresholds) + "."
    if marks is not None and marks.months:
        shaded = ", ".join(month_label(months[index]) for index in marks.months)
        description += f" Shaded: {marks.label} ({shaded})."
    return mark_safe(  # noqa: S308 - every text above is escaped or our own
        f'<svg class="value-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" preserveAspectRatio="xMidYMid meet">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>{"".join(parts)}</svg>'
    )
