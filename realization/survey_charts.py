"""A survey's trend, drawn on the server: a line through the survey's figure per month (NPS on
−100..+100, CSAT % on 0..100, CES mean on 1..7), each point labelled with its value, and under it a strip
of bars, one per month, for the number of answers the figure stands on.

Plain geometry and escaped text, no JavaScript. The chart carries its own text alternative (`<title>`
and a `<desc>` stating every month's values); the page shows the same figures in the table under it.
Colours come from static/css/surveys.css.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from django.utils.safestring import SafeString, mark_safe

from realization.models import SurveyType

WIDTH, HEIGHT = 720, 300
LEFT, RIGHT, TOP = 56, 16, 22
LINE_HEIGHT = 170  # the figure's plot
STRIP_TOP, STRIP_HEIGHT = TOP + LINE_HEIGHT + 14, 46  # the answers' bars under it
# The figure's axis per survey type: its range and the ticks drawn.
AXES = {
    SurveyType.NPS: (-100, 100, (-100, -50, 0, 50, 100)),
    SurveyType.CSAT: (0, 100, (0, 25, 50, 75, 100)),
    SurveyType.CES: (1, 7, (1, 2, 3, 4, 5, 6, 7)),
}


def _tick_label(survey_type: str, value: float) -> str:
    if survey_type == SurveyType.NPS:
        return f"+{value:g}" if value > 0 else f"{value:g}".replace("-", "−")
    if survey_type == SurveyType.CSAT:
        return f"{value:g} %"
    return f"{value:g}"


def survey_trend_chart(months: Sequence, *, survey_type: str, title: str) -> SafeString:
    """`months` are MonthFigures, the oldest first. A month without answers has no point and breaks the
    line."""
    low, high, ticks = AXES[survey_type]
    plot_width = WIDTH - LEFT - RIGHT
    slot = plot_width / max(len(months), 1)
    bottom = STRIP_TOP + STRIP_HEIGHT
    most = max((month.figures.answers for month in months), default=0) or 1

    def y_of(value: float) -> float:
        return round(TOP + LINE_HEIGHT * (high - value) / (high - low), 2)

    def x_of(index: int) -> float:
        return round(LEFT + slot * (index + 0.5), 2)

    grid = [
        f'<line class="grid" x1="{LEFT}" y1="{y_of(tick)}" x2="{WIDTH - RIGHT}" y2="{y_of(tick)}"/>'
        f'<text class="tick" x="{LEFT - 6}" y="{y_of(tick)}" text-anchor="end" dominant-baseline="middle">'
        f"{escape(_tick_label(survey_type, tick))}</text>"
        for tick in ticks
    ]
    grid.append(
        f'<line class="strip-base" x1="{LEFT}" y1="{bottom}" x2="{WIDTH - RIGHT}" y2="{bottom}"/>'
        f'<text class="tick" x="{LEFT - 6}" y="{STRIP_TOP + STRIP_HEIGHT / 2}" text-anchor="end" '
        f'dominant-baseline="middle">answers</text>'
    )
    bar_width = round(min(slot * 0.6, 36), 2)
    bars, labels, dots, points, stated = [], [], [], [], []
    for index, month in enumerate(months):
        x = x_of(index)
        label = month.month.strftime("%b %Y")
        short = month.month.strftime("%b")
        answers = month.figures.answers
        if answers:
            height = max(round(STRIP_HEIGHT * answers / most, 2), 1)
            left, top = round(x - bar_width / 2, 2), round(bottom - height, 2)
            bars.append(
                f'<rect class="answers-bar" x="{left}" y="{top}" width="{bar_width}" height="{height}"/>'
            )
        labels.append(
            f'<text class="month-label" x="{x}" y="{bottom + 16}" text-anchor="middle">{escape(short)}</text>'
            f'<text class="count-label" x="{x}" y="{bottom + 32}" text-anchor="middle">{answers}</text>'
        )
        value = month.figures.headline_value
        if value is None:
            points.append(None)
            stated.append(f"{label}: no answers")
            continue
        y = y_of(value)
        points.append((x, y))
        shown = escape(month.figures.headline)
        dots.append(
            f'<circle class="figure-point" cx="{x}" cy="{y}" r="4.5"/>'
            f'<text class="point-label" x="{x}" y="{round(y - 9, 2)}" text-anchor="middle">{shown}</text>'
        )
        stated.append(f"{label}: {shown} from {answers} answer{'s' if answers != 1 else ''}")
    path, drawing = [], False
    for point in points:
        if point is None:
            drawing = False
            continue
        path.append(f"{'L' if drawing else 'M'}{point[0]:g} {point[1]:g}")
        drawing = True
    line = f'<path class="figure-line" d="{" ".join(path)}"/>' if path else ""
    description = "Per month: " + "; ".join(stated) + ". Bars: the number of answers."
    return mark_safe(  # noqa: S308 - every text above is escaped or our own
        f'<svg class="survey-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="survey-chart-title survey-chart-desc" preserveAspectRatio="xMidYMid meet">'
        f'<title id="survey-chart-title">{escape(title)}</title>'
        f'<desc id="survey-chart-desc">{escape(description)}</desc>'
        f"{''.join(grid)}{''.join(bars)}{''.join(labels)}{line}{''.join(dots)}</svg>"
    )
