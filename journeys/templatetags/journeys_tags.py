"""Template helpers used in every list: step badges, sentiment figures and coarse ages.

They are plain functions rather than included templates because lists call them on every row.
"""

from datetime import datetime

from django import template
from django.template.defaultfilters import linebreaksbr
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from journeys.html import pk_url, short_datetime
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
# The same labels, escaped for the rows that are written in Python.
_LABELS_HTML = {
    choice: {value: escape(text) for value, text in labels.items()}
    for choice, labels in _CHOICE_LABELS.items()
}
# The badge of each step, written once rather than on every row that shows it.
_STEP_BADGES = {
    value: format_html('<span class="badge badge-{}">{}</span>', value, label)
    for value, label in _STEP_LABELS.items()
}
_NO_JOURNEY = mark_safe('<span class="badge badge-none">No active journey</span>')
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
        return _NO_JOURNEY
    badge = _STEP_BADGES.get(step)
    if badge is None:
        return format_html('<span class="badge badge-{}">{}</span>', step, step)
    return badge


@register.filter
def sentiment_label(value) -> str:
    if value is None:
        return ""
    return SENTIMENT_LABELS.get(round(value), "")


def _sentiment_badge(value) -> str:
    css = "sentiment-neg" if value < 0 else "sentiment-pos" if value > 0 else "sentiment-zero"
    text = f"{value:+.2f}".rstrip("0").rstrip(".") if isinstance(value, float) else f"{value:+d}"
    if text in {"+0", "-0"}:
        text = "0"
    return format_html(
        '<span class="sentiment {}" title="{}">{}</span>', css, SENTIMENT_LABELS.get(round(value), ""), text
    )


# The badge of each whole sentiment, the one every touchpoint has, written once.
_SENTIMENT_BADGES = {value: _sentiment_badge(value) for value in SENTIMENT_LABELS}


@register.simple_tag
def sentiment(value) -> str:
    """A sentiment (−2..+2, or an average of them) coloured by sign, with its label as a tooltip."""
    if value is None:
        return "—"
    badge = _SENTIMENT_BADGES.get(value)
    return badge if badge is not None else _sentiment_badge(value)


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


def _label_html(choice: str, value: str) -> str:
    """The escaped label of a stored choice value (the value itself, escaped, when it has none)."""
    label = _LABELS_HTML[choice].get(value)
    return label if label is not None else escape(value)


@register.simple_tag
def timeline_entry(touchpoint: dict) -> str:
    """One touchpoint of an account's timeline, from the dictionary `touchpoint_timeline` gives. Built in
    Python because a timeline renders it on every row, where two dozen template lookups per row added
    up to most of the account page's time; and with plain string formatting, each user-written value
    escaped once, because `format_html` on every part of every entry still came to a good share of it."""
    who = []
    if touchpoint["stakeholder__name"] is not None:
        who.append(f"with {escape(touchpoint['stakeholder__name'])}")
    who.append(_label_html("direction", touchpoint["direction"]))
    if touchpoint["logged_by__username"] is not None:
        author = _full_name(touchpoint["logged_by__first_name"], touchpoint["logged_by__last_name"])
        who.append(f"logged by {escape(author or touchpoint['logged_by__username'])}")
    what = (
        f"{_label_html('channel', touchpoint['channel'])} · {_label_html('kind', touchpoint['kind'])} · "
        f"{_label_html('step', touchpoint['step'])}"
    )
    moment = touchpoint["occurred_at"]
    important = touchpoint["moment_of_truth"]
    css = ' class="moment-of-truth"' if important else ""
    flag = " · <strong>moment of truth</strong>" if important else ""
    summary = touchpoint["summary"]
    # linebreaksbr escapes too; a summary on one line (most are) only needs that.
    summary = (
        linebreaksbr(summary, autoescape=True) if "\n" in summary or "\r" in summary else escape(summary)
    )
    return mark_safe(  # noqa: S308 - every value written in it is escaped above
        f'<li{css}><div class="meta"><time datetime="{moment.isoformat()}">'
        f"{short_datetime(timezone.localtime(moment))}</time> · {what} · sentiment "
        f'{sentiment(touchpoint["sentiment"])}{flag}</div><div>{summary}</div><div class="meta">'
        f"{' · '.join(who)}</div></li>"
    )


def _full_name(first_name: str | None, last_name: str | None) -> str:
    """What User.get_full_name() gives for these names."""
    return f"{first_name or ''} {last_name or ''}".strip()


# --- table rows -----------------------------------------------------------------------------------
# The accounts list and the portfolio dashboard show 25 accounts a page, the account page a dozen
# people, each a row of half a dozen cells. Written in Python (the accounts from the dictionaries their
# selectors return: ORGANIZATION_ROW_FIELDS, PORTFOLIO_ROW_FIELDS), with each value escaped once, a row
# costs a fraction of the same row's template lookups, filters and `{% url %}`.

_NEVER = '<span class="muted">never</span>'


def _owner_name(row: dict) -> str:
    """The owner as `{% firstof owner.get_full_name owner.username "—" %}` shows them."""
    return _full_name(row["owner__first_name"], row["owner__last_name"]) or row["owner__username"] or "—"


def _last_touchpoint(moment: datetime | None, now: datetime) -> str:
    if moment is None:
        return _NEVER
    return f'<time datetime="{moment.isoformat()}">{ago(moment, now)} ago</time>'


@register.simple_tag(takes_context=True)
def organization_row(context, row: dict, now: datetime) -> str:
    """One account of the accounts list: name (and city), kind, step, owner, people, last contact."""
    city = f' <small class="muted">{escape(row["city"])}</small>' if row["city"] else ""
    url = pk_url(context, "account_detail", row["pk"])
    return mark_safe(  # noqa: S308 - every value written in it is escaped
        f'<tr><td><a href="{url}">{escape(row["name"])}</a>{city}</td>'
        f"<td>{_label_html('organization_kind', row['kind'])}</td><td>{step_badge(row['journey_step'])}</td>"
        f'<td>{escape(_owner_name(row))}</td><td class="number">{row["stakeholder_count"]}</td>'
        f"<td>{_last_touchpoint(row['last_touchpoint_at'], now)}</td></tr>"
    )


@register.simple_tag(takes_context=True)
def portfolio_row(context, row: dict, relationship: str, now: datetime) -> str:
    """One account of the dashboard's portfolio: name, relationship (its label, from Engage's
    `relationship_type_label`), step, time in the step, last contact, people, owner."""
    since = row["journey_step_since"]
    url = pk_url(context, "account_detail", row["pk"])
    return mark_safe(  # noqa: S308 - every value written in it is escaped
        f'<tr><td><a href="{url}">{escape(row["name"])}</a></td>'
        f"<td>{escape(relationship)}</td><td>{step_badge(row['journey_step'])}</td>"
        f"<td>{ago(since, now) if since else '—'}</td>"
        f"<td>{_last_touchpoint(row['last_touchpoint_at'], now)}</td>"
        f'<td class="number">{row["stakeholder_count"]}</td><td>{escape(_owner_name(row))}</td></tr>'
    )


@register.simple_tag(takes_context=True)
def stakeholder_row(context, person, can_manage: bool, now: datetime) -> str:
    """One person of the account page's stakeholders: name (a link to edit them for those who may) and
    job title, consumer roles, place on the influence × interest grid, last contact."""
    name = escape(person.name)
    if can_manage:
        name = f'<a href="{pk_url(context, "stakeholder_edit", person.pk)}">{name}</a>'
    roles = escape(", ".join(person.role_labels) or "—")
    contact = person.last_touchpoint_at
    css = "" if person.is_active else ' class="muted"'
    return mark_safe(  # noqa: S308 - every value written in it is escaped
        f"<tr{css}><td>{name}<br>"
        f'<small class="muted">{escape(person.job_title)}</small></td><td>{roles}</td>'
        f"<td><small>{escape(quadrant_label(person))}<br>{person.influence} × {person.interest}</small></td>"
        f"<td>{f'{ago(contact, now)} ago' if contact else _NEVER}</td></tr>"
    )
