"""The live journey map's chart, drawn on the server: average sentiment per journey step as a curve on
the −2..+2 scale, each point labelled with its value, and (when a designed map is chosen) the designed
expected emotion as a dashed second curve.

Plain geometry and escaped text, no JavaScript. The chart carries its own text alternative (`<title>`
and a `<desc>` stating every value); the page shows the same figures in the table under it. Colours
come from static/css/realization.css.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 720, 270
LEFT, RIGHT, TOP, BOTTOM = 112, 16, 18, 40
TICKS = ((2, "+2 very positive"), (1, "+1"), (0, "0 neutral"), (-1, "−1"), (-2, "−2 very negative"))


def _signed(value: float) -> str:
    text = f"{value:+.1f}"
    return text.replace("-", "−")


def _path(points: list[tuple[float, float] | None]) -> str:
    """A line through the points, broken where a point is missing."""
    parts, drawing = [], False
    for point in points:
        if point is None:
            drawing = False
            continue
        parts.append(f"{'L' if drawing else 'M'}{point[0]:g} {point[1]:g}")
        drawing = True
    return " ".join(parts)


def sentiment_curve_chart(steps: Sequence, *, title: str, map_name: str = "") -> SafeString:
    """`steps` are the overlay's StepFigures in journey order. A step without touchpoints has no point
    and breaks the curve; the designed line is drawn where the map has stages."""
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM
    slot = plot_width / max(len(steps), 1)

    def y_of(value: float) -> float:
        return round(TOP + plot_height * (2 - value) / 4, 2)

    def x_of(index: int) -> float:
        return round(LEFT + slot * (index + 0.5), 2)

    grid = "".join(
        f'<line class="grid{" zero" if value == 0 else ""}" x1="{LEFT}" y1="{y_of(value)}" '
        f'x2="{WIDTH - RIGHT}" y2="{y_of(value)}"/>'
        f'<text class="tick" x="{LEFT - 8}" y="{y_of(value)}" text-anchor="end" dominant-baseline="middle">'
        f"{label}</text>"
        for value, label in TICKS
    )
    labels, lived, designed, dots, stated = [], [], [], [], []
    for index, figures in enumerate(steps):
        x = x_of(index)
        step_label = escape(figures.step.label)
        labels.append(
            f'<text class="step-label" x="{x}" y="{HEIGHT - BOTTOM + 18}" text-anchor="middle">'
            f"{figures.step.number} {step_label}</text>"
        )
        average = figures.average_sentiment
        if average is None:
            lived.append(None)
            stated.append(f"{step_label}: no touchpoints")
        else:
            y = y_of(average)
            lived.append((x, y))
            tone = "negative" if average < 0 else "positive" if average > 0 else "neutral"
            dots.append(
                f'<circle class="point {tone}" cx="{x}" cy="{y}" r="5"/>'
                f'<text class="point-label" x="{x}" y="{round(y - 10, 2)}" text-anchor="middle">'
                f"{_signed(average)}</text>"
            )
            stated.append(f"{step_label}: {_signed(average)} over {figures.touchpoints} touchpoints")
        expected = figures.expected_emotion
        if expected is None:
            designed.append(None)
        else:
            designed.append((x, y_of(expected)))
            stated[-1] += f", designed {_signed(expected)}"
    designed_path = _path(designed)
    designed_markup = (
        f'<path class="designed" d="{designed_path}"/>'
        + "".join(
            f'<rect class="designed-point" x="{point[0] - 4}" y="{point[1] - 4}" width="8" height="8"/>'
            for point in designed
            if point is not None
        )
        if designed_path
        else ""
    )
    lived_path = _path(lived)
    description = "Average sentiment per journey step. " + "; ".join(stated) + "."
    if map_name:
        description += f" Dashed: the expected emotion of the designed map {escape(map_name)}."
    return mark_safe(  # noqa: S308 - every text above is escaped or our own
        f'<svg class="sentiment-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="sentiment-chart-title sentiment-chart-desc" preserveAspectRatio="xMidYMid meet">'
        f'<title id="sentiment-chart-title">{escape(title)}</title>'
        f'<desc id="sentiment-chart-desc">{description}</desc>'
        f"{grid}{''.join(labels)}{designed_markup}"
        f"{f'<path class="lived" d="{lived_path}"/>' if lived_path else ''}"
        f"{''.join(dots)}</svg>"
    )
