"""The timeline of an onboarding playbook, drawn on the server as inline SVG: one row per template
action in dependency order, a bar from the day its last prerequisite is due to its own due day (a
dot when it waits for nothing, or its prerequisites are due the same day), coloured by the party
that carries it out. An action due before something it waits for is drawn in the warning style.

Plain geometry and escaped text, no JavaScript. The chart carries its own text alternative (`<title>`
and a `<desc>` that states every row), and the page lists the same actions in a table beneath it.
"""

from __future__ import annotations

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from offerings.selectors.playbooks import PlaybookTimeline

LABEL_WIDTH = 230
PLOT_WIDTH = 460
RIGHT = 40
ROW = 24
TOP = 30
BOTTOM = 10
LABEL_CHARACTERS = 32
TICK_STEPS = (1, 2, 5, 7, 10, 14, 15, 30, 60, 90, 180, 365)


def _tick_step(last_day: int) -> int:
    """A step that puts at most eight ticks on the axis."""
    return next((step for step in TICK_STEPS if last_day / step <= 8), 365)


def _label(number: int, title: str) -> str:
    text = f"{number}. {title}"
    return text if len(text) <= LABEL_CHARACTERS else text[: LABEL_CHARACTERS - 1] + "…"


def _days(count: int) -> str:
    return "day 0 (the first day)" if count == 0 else f"day {count}"


def playbook_timeline_chart(timeline: PlaybookTimeline, *, chart_id: str = "playbook-timeline") -> SafeString:
    steps = timeline.steps
    if not steps:
        return mark_safe("")
    step = _tick_step(max(timeline.last_day, 1))
    axis_end = max(step, -(-max(timeline.last_day, 1) // step) * step)  # the last day, rounded up to a tick
    width = LABEL_WIDTH + PLOT_WIDTH + RIGHT
    height = TOP + ROW * len(steps) + BOTTOM

    def x(day: int) -> float:
        return round(LABEL_WIDTH + PLOT_WIDTH * day / axis_end, 2)

    ticks = format_html_join(
        "",
        '<line class="tick" x1="{0}" y1="{1}" x2="{0}" y2="{2}"/><text class="tick-label" x="{0}" y="{3}" '
        'text-anchor="middle">{4}</text>',
        ((x(day), TOP - 6, height - BOTTOM, TOP - 12, day) for day in range(0, axis_end + 1, step)),
    )
    rows = []
    descriptions = []
    for index, entry in enumerate(steps):
        action = entry.action
        y = TOP + ROW * index + ROW / 2
        start = max((other.due_after_days for other in entry.prerequisites), default=action.due_after_days)
        low, high = sorted((start, action.due_after_days))
        party = "provider" if entry.is_provider else "consumer"
        classes = f"bar bar-{party}" + (" bar-late" if entry.waits_longer else "")
        rows.append(
            format_html(
                '<text class="row-label" x="{}" y="{}" dominant-baseline="middle">{}</text>',
                4,
                y,
                _label(entry.number, action.title),
            )
        )
        if high > low:
            rows.append(
                format_html(
                    '<rect class="{}" x="{}" y="{}" width="{}" height="{}" rx="3"/>',
                    classes,
                    x(low),
                    y - 7,
                    round(x(high) - x(low), 2),
                    14,
                )
            )
        rows.append(
            format_html(
                '<circle class="{} due" cx="{}" cy="{}" r="6"/>', classes, x(action.due_after_days), y
            )
        )
        described = (
            f"{entry.number}. {action.title}: carried out by the service {party}, due on "
            f"{_days(action.due_after_days)}"
        )
        if entry.prerequisites:
            described += (
                f", after {', '.join(other.title for other in entry.prerequisites)} (due by {_days(start)})"
            )
        if entry.waits_longer:
            described += "; it is due before something it waits for"
        descriptions.append(described + ".")
    return format_html(
        '<svg class="playbook-timeline" id="{}" viewBox="0 0 {} {}" width="100%" role="img" '
        'aria-labelledby="{}-title {}-desc"><title id="{}-title">Timeline of the actions, in days after '
        'onboarding starts</title><desc id="{}-desc">{}</desc>'
        '<line class="axis" x1="{}" y1="{}" x2="{}" y2="{}"/>{}{}</svg>',
        chart_id,
        width,
        height,
        chart_id,
        chart_id,
        chart_id,
        chart_id,
        " ".join(descriptions),
        LABEL_WIDTH,
        TOP - 6,
        LABEL_WIDTH + PLOT_WIDTH,
        TOP - 6,
        ticks,
        format_html_join("", "{}", ((row,) for row in rows)),
    )
