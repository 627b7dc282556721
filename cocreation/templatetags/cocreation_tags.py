"""Template helpers of the Co-create pages: the badge of an SLA clock, of a request's status and
priority, and the request list's rows.

A clock's badge says its state in words as well as colour (breached red, close to its limit amber,
paused grey, running neutral, met green); the state and the time left come from the selectors'
`clock_status`, never from arithmetic here. The list's rows are written in Python (every text from data
escaped), since a row of template tags costs several times more on a page of fifty.
"""

from __future__ import annotations

import html
from datetime import datetime

from django import forms, template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from cocreation.models import ClockState, Priority, RequestKind, RequestStatus
from journeys.html import pk_url
from journeys.templatetags.journeys_tags import ago, sentiment, step_label
from journeys.templatetags.journeys_tags import label as choice_label

register = template.Library()

# Short words for a badge; the clock's full label ("Due in 3 h", "Breached 40 min ago") goes beside it.
CLOCK_WORDS = {
    ClockState.BREACHED: "Breached",
    ClockState.WARNING: "Close to limit",
    ClockState.PAUSED: "Paused",
    ClockState.RUNNING: "Running",
    ClockState.MET: "Met",
}
_STATUS = {value: escape(label) for value, label in RequestStatus.choices}
_KIND = {value: escape(label) for value, label in RequestKind.choices}
_PRIORITY = {value: escape(label) for value, label in Priority.choices}


def _text(value) -> str:
    return html.escape(str(value))


_NO_CLOCK = '<span class="muted">No clock</span>'
_NOBODY = '<span class="muted">Nobody yet</span>'


def _clock_word(state: str, label: str) -> str:
    word = _text(CLOCK_WORDS.get(state, label))
    return f'<span class="clock-badge clock-{_text(state)}">{word}</span>'


# The badges of the known values, written once (a list repeats them on every row).
_CLOCK_WORD = {state: _clock_word(state, label) for state, label in ClockState.choices}


def _clock_badge(status, *, detail: bool) -> str:
    if status is None:
        return _NO_CLOCK
    badge = _CLOCK_WORD.get(status.state) or _clock_word(status.state, status.state_label)
    if detail:
        badge += f' <small class="clock-text">{_text(status.kind_label)}: {_text(status.label)}</small>'
    return badge


def _status_badge(status: str, label: str) -> str:
    return f'<span class="request-status request-status-{_text(status)}">{label}</span>'


def _priority_badge(priority, label: str) -> str:
    return f'<span class="priority-badge priority-{_text(priority)}">{label}</span>'


_STATUS_BADGE = {value: _status_badge(value, label) for value, label in _STATUS.items()}
_PRIORITY_BADGE = {value: _priority_badge(value, label) for value, label in _PRIORITY.items()}


def _status(status: str) -> str:
    return _STATUS_BADGE.get(status) or _status_badge(status, _text(status))


def _priority(priority: int) -> str:
    return _PRIORITY_BADGE.get(priority) or _priority_badge(priority, _text(priority))


_ROW_CLASS = {value: _text(value) for value in RequestStatus.values}


def _row(context, row, now: datetime) -> str:
    detail_url = pk_url(context, "cocreation:request_detail", row.pk)
    account_url = pk_url(context, "account_detail", row.organization_id)
    requester = f'<br><small class="muted">{_text(row.requester_name)}</small>' if row.requester_name else ""
    opened = f'<time datetime="{row.opened_at.isoformat()}">{ago(row.opened_at, now)}</time>'
    return (
        f'<tr class="request-row request-{_ROW_CLASS.get(row.status) or _text(row.status)}">'
        f'<td><a href="{detail_url}">{row.reference}</a></td>'
        f'<td><a href="{detail_url}">{_text(row.title)}</a>{requester}</td>'
        f'<td><a href="{account_url}">{_text(row.organization_name)}</a></td>'
        f"<td>{_KIND.get(row.kind) or _text(row.kind)}</td>"
        f"<td>{_priority(row.priority)}</td>"
        f"<td>{_status(row.status)}</td>"
        f"<td>{_text(row.assignee_name) if row.assignee_name else _NOBODY}</td>"
        f"<td>{opened}</td>"
        f"<td>{_clock_badge(row.worst_clock, detail=True)}</td>"
        "</tr>"
    )


@register.simple_tag
def clock_badge(status, detail: bool = True) -> SafeString:
    """`{% clock_badge request.worst_clock %}`: the clock's state as a coloured word, with (unless
    `detail=False`) its kind and its label beside it; "No clock" for None."""
    return mark_safe(_clock_badge(status, detail=detail))  # noqa: S308 - escaped


@register.simple_tag
def request_status(status: str) -> SafeString:
    return mark_safe(_status(status))  # noqa: S308 - escaped


@register.simple_tag
def priority_badge(priority: int) -> SafeString:
    return mark_safe(_priority(priority))  # noqa: S308 - escaped


@register.simple_tag(takes_context=True)
def request_rows(context, requests, now: datetime) -> SafeString:
    """The rows of the request list: reference, title (and requester), account, kind, priority,
    status, assignee, age and the worst clock. The rows come from selectors.request_page
    (selectors.RequestRow, `worst_clock` set)."""
    return mark_safe("\n".join(_row(context, row, now) for row in requests))  # noqa: S308 - escaped


@register.simple_tag
def clock_progress(status) -> SafeString:
    """The share of the clock's limit used, as a bar (full at the limit) with the figure in words."""
    if status is None or status.percent_used is None:
        return mark_safe('<span class="muted">—</span>')
    shown = min(status.percent_used, 100)
    kind = escape(status.kind_label)
    return mark_safe(  # noqa: S308 - figures and escaped labels
        f'<progress class="clock-progress clock-{escape(status.state)}" value="{shown}" max="100"'
        f' aria-label="{kind}: {status.percent_used} % of the limit used"></progress>'
        f" <small>{status.percent_used} % of the limit used</small>"
    )


@register.simple_tag
def filter_select(field) -> SafeString:
    """A filter of the request list as its select, the options written out here: Django's widget
    renders an included template per option, which cost more than the rest of the filter bar."""
    value = field.value()
    chosen = "" if value is None else str(value)
    options = "".join(
        f'<option value="{_text(option)}"{" selected" if str(option) == chosen else ""}>'
        f"{_text(label)}</option>"
        for option, label in field.field.choices
    )
    return mark_safe(f'<select name="{field.html_name}" id="{field.auto_id}">{options}</select>')  # noqa: S308 - escaped


# --- the service desk console's form and lists --------------------------------------------------------


def _attributes(bound, widget) -> str:
    """The HTML attributes Django's widget would write for `bound` (required, aria-invalid,
    aria-describedby, the widget's own, the id), each escaped."""
    attributes = {**widget.attrs, **bound.build_widget_attrs({}, widget)}
    if bound.auto_id and "id" not in widget.attrs:
        attributes.setdefault("id", bound.auto_id)
    return "".join(
        f" {name}" if value is True else f' {name}="{_text(value)}"'
        for name, value in attributes.items()
        if value is not False and value is not None
    )


def _errors(bound) -> str:
    if not bound.errors:
        return ""
    items = "".join(f"<li>{_text(error)}</li>" for error in bound.errors)
    return f'<ul class="errorlist" id="{bound.auto_id}_error">{items}</ul>'


@register.simple_tag
def console_field(bound) -> SafeString:
    """A field of the console's form, its label above and its errors below; a select is written out here
    (Django's widget renders an included template per option), other widgets by Django."""
    widget = bound.field.widget
    if isinstance(widget, forms.Select) and not isinstance(widget, forms.SelectMultiple):
        value = bound.value()
        chosen = "" if value is None else str(value)
        options = "".join(
            f'<option value="{_text(option)}"{" selected" if str(option) == chosen else ""}>'
            f"{_text(label)}</option>"
            for option, label in bound.field.choices
        )
        control = f'<select name="{bound.html_name}"{_attributes(bound, widget)}>{options}</select>'
    else:
        control = str(bound)
    return mark_safe(  # noqa: S308 - labels, values and errors are escaped
        f'<div class="console-field">\n  <label for="{bound.id_for_label}">{_text(bound.label)}</label>\n'
        f"  {control}\n  {_errors(bound)}\n</div>"
    )


@register.simple_tag
def console_radios(bound) -> SafeString:
    """The radio buttons of a choice field, each in its label, as `{{ radio.tag }} {{ radio.choice_label }}`
    writes them (Django renders a template per button)."""
    widget = bound.field.widget
    value = bound.value()
    chosen = "" if value is None else str(value)
    attributes = "".join(
        f" {name}" if setting is True else f' {name}="{_text(setting)}"'
        for name, setting in bound.build_widget_attrs({}, widget).items()
        if setting is not False and setting is not None
    )
    radios = []
    for index, (option, label) in enumerate(bound.field.choices):
        radio_id = f"{bound.auto_id}_{index}"
        checked = " checked" if str(option) == chosen else ""
        radios.append(
            f'<label for="{radio_id}"><input type="radio" name="{bound.html_name}" value="{_text(option)}"'
            f' id="{radio_id}"{attributes}{checked}> {_text(label)}</label>'
        )
    return mark_safe("".join(radios))  # noqa: S308 - labels and values are escaped


@register.simple_tag(takes_context=True)
def console_recent_rows(context, rows, now: datetime) -> SafeString:
    """The rows of the console's list of touchpoints (selectors.ConsoleTouchpoint): when, account,
    person, channel, kind, step, sentiment (and moment of truth), summary."""
    written = []
    for row in rows:
        account_url = pk_url(context, "account_detail", row.organization_id)
        moment = ' <span class="badge">moment of truth</span>' if row.moment_of_truth else ""
        when = f'<time datetime="{row.occurred_at.isoformat()}">{ago(row.occurred_at, now)} ago</time>'
        written.append(
            f"<tr><td>{when}</td>"
            f'<td><a href="{account_url}">{_text(row.organization_name)}</a></td>'
            f"<td>{_text(row.stakeholder_name) if row.stakeholder_name else '—'}</td>"
            f"<td>{_text(choice_label(row.channel, 'channel'))}</td>"
            f"<td>{_text(choice_label(row.kind, 'kind'))}</td>"
            f"<td>{_text(step_label(row.step))}</td><td>{sentiment(row.sentiment)}{moment}</td>"
            f"<td>{_text(Truncator(row.summary).chars(80))}</td></tr>"
        )
    return mark_safe("\n".join(written))  # noqa: S308 - every piece of data in it is escaped
