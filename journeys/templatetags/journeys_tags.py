"""Template helpers used in every list: step badges, sentiment figures and coarse ages.

They are plain functions rather than included templates because lists call them on every row.
"""

from datetime import datetime

from django import template
from django.template.defaultfilters import linebreaksbr
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from journeys.models import (
    SENTIMENT_LABELS,
    Channel,
    Direction,
    GridQuadrant,
    JourneyStatus,
    JourneyStep,
    OrganizationKind,
    TouchpointKind,
    grid_quadrant,
)

register = template.Library()

_STEP_LABELS = dict(JourneyStep.choices)
# Labels of stored choice values. Model.get_FOO_display() rebuilds its lookup on every call, which
# adds up in lists; these dictionaries are built once.
_CHOICE_LABELS = {
    "channel": dict(Channel.choices),
    "kind": dict(TouchpointKind.choices),
    "direction": dict(Direction.choices),
    "step": _STEP_LABELS,
    "status": dict(JourneyStatus.choices),
    "organization_kind": dict(OrganizationKind.choices),
}
_UNITS = (
    (365 * 86400, "year"),
    (30 * 86400, "month"),
    (7 * 86400, "week"),
    (86400, "day"),
    (3600, "hour"),
    (60, "minute"),
)


@register.filter
def step_label(value: str) -> str:
    """The book's name of a journey step stored as its value (e.g. "co_create" → "Co-create")."""
    return _STEP_LABELS.get(value, "")


@register.filter
def label(value: str, choice: str) -> str:
    """`{{ touchpoint.channel|label:"channel" }}`: the display label of a stored choice value."""
    return _CHOICE_LABELS[choice].get(value, value)


@register.simple_tag
def step_badge(step: str | None) -> str:
    if not step:
        return mark_safe('<span class="badge badge-none">No active journey</span>')
    return format_html('<span class="badge badge-{}">{}</span>', step, _STEP_LABELS.get(step, step))


@register.filter
def sentiment_label(value) -> str:
    if value is None:
        return ""
    return SENTIMENT_LABELS.get(round(value), "")


@register.simple_tag
def sentiment(value) -> str:
    """A sentiment (−2..+2, or an average of them) coloured by sign, with its label as a tooltip."""
    if value is None:
        return "—"
    css = "sentiment-neg" if value < 0 else "sentiment-pos" if value > 0 else "sentiment-zero"
    text = f"{value:+.2f}".rstrip("0").rstrip(".") if isinstance(value, float) else f"{value:+d}"
    if text in {"+0", "-0"}:
        text = "0"
    return format_html(
        '<span class="sentiment {}" title="{}">{}</span>', css, SENTIMENT_LABELS.get(round(value), ""), text
    )


@register.filter
def ago(value: datetime | None, now: datetime | None = None) -> str:
    """A coarse age such as "3 days" (the largest whole unit), cheaper than Django's timesince."""
    if value is None:
        return ""
    seconds = int(((now or timezone.now()) - value).total_seconds())
    if seconds < 60:
        return "moments"
    for size, unit in _UNITS:
        if seconds >= size:
            count = seconds // size
            return f"{count} {unit}{'s' if count != 1 else ''}"
    return "moments"


@register.filter
def quadrant_label(stakeholder) -> str:
    return GridQuadrant(grid_quadrant(stakeholder.influence, stakeholder.interest)).label


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _short_datetime(moment: datetime) -> str:
    """ "16 Nov 2026 15:28", as the date filter's "j M Y H:i" gives, without its per-call format lookups."""
    return f"{moment.day} {_MONTHS[moment.month - 1]} {moment.year} {moment.hour:02d}:{moment.minute:02d}"


@register.simple_tag
def timeline_entry(touchpoint) -> str:
    """One touchpoint of an account's timeline. Built in Python because a timeline renders it on every
    row, where two dozen template lookups per row added up to most of the account page's time."""
    who = []
    if touchpoint.stakeholder_id:
        who.append(format_html("with {}", touchpoint.stakeholder.name))
    who.append(_CHOICE_LABELS["direction"].get(touchpoint.direction, touchpoint.direction))
    if touchpoint.logged_by_id:
        author = touchpoint.logged_by
        who.append(format_html("logged by {}", author.get_full_name() or author.username))
    what = [
        _CHOICE_LABELS["channel"].get(touchpoint.channel, touchpoint.channel),
        _CHOICE_LABELS["kind"].get(touchpoint.kind, touchpoint.kind),
        _STEP_LABELS.get(touchpoint.step, touchpoint.step),
    ]
    return format_html(
        '<li{}><div class="meta"><time datetime="{}">{}</time> · {} · sentiment {}{}</div>'
        '<div>{}</div><div class="meta">{}</div></li>',
        mark_safe(' class="moment-of-truth"') if touchpoint.moment_of_truth else "",
        touchpoint.occurred_at.isoformat(),
        _short_datetime(timezone.localtime(touchpoint.occurred_at)),
        format_html_join(" · ", "{}", ((part,) for part in what)),
        sentiment(touchpoint.sentiment),
        mark_safe(" · <strong>moment of truth</strong>") if touchpoint.moment_of_truth else "",
        linebreaksbr(touchpoint.summary, autoescape=True),
        format_html_join(" · ", "{}", ((part,) for part in who)),
    )
