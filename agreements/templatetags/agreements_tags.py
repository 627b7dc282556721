"""Template helpers of the agreement pages: the list's rows and filters, and the agreement page's
targets table, history and lifecycle moves.

Both pages are on the bench. Their repeated markup (a row per agreement, target or change) is written
out here with f-strings, since a row of template tags and includes costs several times more. Every text
that comes from data goes through `_text`, which escapes it; numbers, dates and the labels of our own
choices are ours (labels are escaped all the same). URLs are reversed once per page
(journeys.html.pk_url).
"""

from __future__ import annotations

import html
from datetime import date

from django import forms, template
from django.utils import formats, timezone
from django.utils.safestring import SafeString, mark_safe

from agreements.models import (
    Aggregation,
    AgreementKind,
    AgreementStatus,
    ClockKind,
    MeasurementPeriod,
    TargetKind,
    WarrantyAspect,
)
from journeys.html import MONTHS, day_text, pk_url

register = template.Library()


def _text(value) -> str:
    return html.escape(str(value))


def _labels(choices) -> dict[str, str]:
    return {value: html.escape(str(label)) for value, label in choices.choices}


_STATUS = _labels(AgreementStatus)
_KIND = _labels(AgreementKind)
_TARGET_KIND = _labels(TargetKind)
_ASPECT = {value: html.escape(str(label).lower()) for value, label in WarrantyAspect.choices}
_CLOCK = {value: html.escape(str(label).lower()) for value, label in ClockKind.choices}
_AGGREGATION = _labels(Aggregation)
_PERIOD = {value: html.escape(str(label).lower()) for value, label in MeasurementPeriod.choices}
_REVIEWED = (AgreementStatus.AGREED, AgreementStatus.ACTIVE)
_MUTED_DASH = '<span class="muted">—</span>'


def _label(labels: dict[str, str], value: str) -> str:
    """A choice's label; a value outside the choices is shown as it is (what get_FOO_display does)."""
    label = labels.get(value)
    return _text(value) if label is None else label


def _person(user) -> str:
    return _text(f"{user.first_name} {user.last_name}".strip() or user.username)


# --- dates of an agreement, as the list and the page write them ---------------------------------------


def _term(agreement) -> str:
    """ "1 Jan 2026 – 31 Dec 2026", "… – open-ended", "until …" or "not set"."""
    if agreement.starts_on:
        ends = day_text(agreement.ends_on) if agreement.ends_on else "open-ended"
        return f"{day_text(agreement.starts_on)} – {ends}"
    if agreement.ends_on:
        return f"until {day_text(agreement.ends_on)}"
    return '<span class="muted">not set</span>'


@register.simple_tag
def agreement_term(agreement) -> SafeString:
    """The agreement's term (start and end)."""
    return mark_safe(_term(agreement))  # noqa: S308 - dates and our own words only


def _next_review(agreement, today: date) -> str:
    if agreement.status not in _REVIEWED:
        return _MUTED_DASH
    if agreement.next_review_on:
        day = day_text(agreement.next_review_on)
        if agreement.next_review_on < today:
            return f'<strong class="warning-text">{day}, overdue</strong>'
        return day
    if agreement.review_cadence == "on_demand":
        return '<span class="muted">on demand</span>'
    return '<span class="muted">not planned</span>'


# --- the list ---------------------------------------------------------------------------------------


def _compliance(agreement) -> str:
    if agreement.compliance_pct is None:
        return '<span class="muted">not measured</span>'
    month = agreement.compliance_month
    return (
        f'<span class="badge compliance">{_text(formats.localize(agreement.compliance_pct))} %</span> '
        f'<small class="muted">{MONTHS[month.month - 1]} {month.year}</small>'
    )


@register.simple_tag(takes_context=True)
def agreement_rows(context, agreements) -> SafeString:
    """The list's rows: title and reference, the account (on the list over all accounts, without an
    `organization` in the context), status, kind, term, next review, owner, active and breached
    targets, and the latest compliance."""
    today = context["today"]
    with_account = context.get("organization") is None
    rows = []
    for agreement in agreements:
        pk = agreement.pk
        reference = (
            f'<br><small class="muted">{_text(agreement.reference)}</small>' if agreement.reference else ""
        )
        account = ""
        if with_account:
            account_url = pk_url(context, "agreements:account_agreements", agreement.organization_id)
            account = f'<td><a href="{account_url}">{_text(agreement.organization.name)}</a></td>\n      '
        owner = _person(agreement.owner) if agreement.owner else '<span class="muted">nobody</span>'
        breached = (
            f'<br><small class="warning-text">{agreement.breached_targets} breached now</small>'
            if agreement.breached_targets
            else ""
        )
        rows.append(
            f'    <tr id="agreement-{pk}">\n'
            f'      <td><a href="{pk_url(context, "agreements:agreement_detail", pk)}">'
            f"{_text(agreement.title)}</a>{reference}</td>\n"
            f"      {account}"
            f'<td><span class="badge agreement-status agreement-status-{_text(agreement.status)}">'
            f"{_label(_STATUS, agreement.status)}</span></td>\n"
            f"      <td>{_label(_KIND, agreement.kind)}</td>\n"
            f"      <td>{_term(agreement)}\n</td>\n"
            f"      <td>{_next_review(agreement, today)}\n</td>\n"
            f"      <td>{owner}</td>\n"
            f'      <td class="number">{agreement.active_targets}{breached}</td>\n'
            f"      <td>{_compliance(agreement)}</td>\n"
            "    </tr>"
        )
    return mark_safe("\n".join(rows))  # noqa: S308 - every piece of data in it is escaped by _text


@register.simple_tag
def filter_field(field) -> SafeString:
    """One of the list's filters, its label around it; selects are written out here (Django's widget
    renders an included template per option), other widgets by Django."""
    widget = field.field.widget
    if isinstance(widget, forms.Select) and not isinstance(widget, forms.SelectMultiple):
        value = field.value()
        chosen = "" if value is None else str(value)
        options = "".join(
            f'  <option value="{_text(option)}"{" selected" if str(option) == chosen else ""}>'
            f"{_text(label)}</option>\n\n"
            for option, label in field.field.choices
        )
        attributes = {**widget.attrs, **field.build_widget_attrs({}, widget)}
        attributes.setdefault("id", field.auto_id)
        written = "".join(
            f" {name}" if value is True else f' {name}="{_text(value)}"'
            for name, value in attributes.items()
            if value is not False and value is not None
        )
        control = f'<select name="{field.html_name}"{written}>\n{options}</select>'
    else:
        control = str(field)
    return mark_safe(  # noqa: S308 - labels, values and choices are escaped by _text
        f'<label for="{field.auto_id}">{_text(field.label)}\n    {control}\n  </label>'
    )


# --- the agreement's page -----------------------------------------------------------------------------


def _target_row(context, row, *, actions: bool, token: str) -> str:
    target = row.target
    pk = target.pk
    name = _text(target.name)
    first = f'<a href="{pk_url(context, "agreements:target_detail", pk)}">{name}</a>'
    if target.metric:
        first += f'<br><small class="muted">{_text(target.metric)}</small>'
    if not target.is_active:
        first += "<br><small>not measured any more</small>"
    kind = _label(_TARGET_KIND, target.kind)
    if target.warranty_aspect:
        kind += f": {_label(_ASPECT, target.warranty_aspect)}"
    if target.clock:
        kind += (
            f'<br><small class="muted">{_label(_CLOCK, target.clock)} within {_text(row.clock_limit)}</small>'
        )
    baseline = row.baseline
    if baseline:
        kind += f'<br><small class="muted">from a baseline of {_text(baseline)}</small>'
    warning = row.warning
    calendar = (
        _text(target.calendar.name) if target.calendar else '<span class="muted">round the clock</span>'
    )
    if target.is_active:
        achieved = f" <small>{_text(row.achieved)}</small>" if row.achieved else ""
        status, label = _text(row.status), _text(row.status_label)
        now = f'<span class="badge target-status target-status-{status}">{label}</span>{achieved}'
    else:
        now = _MUTED_DASH
    cells = [
        f"        <td>{first}</td>",
        f"        <td>{kind}</td>",
        f"        <td>{_text(target.rule)}</td>",
        f"        <td>{_text(warning) if warning else _MUTED_DASH}</td>",
        f"        <td>{_label(_AGGREGATION, target.aggregation)} per {_label(_PERIOD, target.period)}</td>",
        f"        <td>{calendar}</td>",
        f"        <td>{now}</td>",
    ]
    if actions:
        toggle = "Stop measuring" if target.is_active else "Measure again"
        edit_url = pk_url(context, "agreements:target_edit", pk)
        toggle_url = pk_url(context, "agreements:target_toggle", pk)
        cells.append(
            "        <td>\n"
            '          <div class="actions">\n'
            f'            <a href="{edit_url}" aria-label="Edit {name}">Edit</a>\n'
            f'            <form method="post" action="{toggle_url}">'
            f'<input type="hidden" name="csrfmiddlewaretoken" value="{token}">'
            f'<input type="hidden" name="active" value="{0 if target.is_active else 1}">'
            f'<button type="submit" class="link-button" aria-label="{toggle}: {name}">{toggle}</button>'
            "</form>\n"
            "          </div>\n"
            "        </td>"
        )
    muted = "" if target.is_active else ' class="muted"'
    return f'      <tr id="target-{pk}"{muted}>\n' + "\n".join(cells) + "\n      </tr>"


@register.simple_tag(takes_context=True)
def target_rows(context, targets, *, actions: bool) -> SafeString:
    """The targets table's rows: each target with its rule, warning, measurement, calendar and status
    now, and (with `actions`) its edit link and its stop or resume button."""
    token = _text(context.get("csrf_token", "")) if actions else ""
    return mark_safe(  # noqa: S308 - every piece of data in it is escaped by _text
        "\n".join(_target_row(context, row, actions=actions, token=token) for row in targets)
    )


@register.simple_tag
def history_rows(entries) -> SafeString:
    """The history table's rows: when, who, what, and each changed field from what to what."""
    rows = []
    for entry in entries:
        # In the current time zone, as the date filter writes "c" and "j M Y, H:i".
        when = timezone.localtime(entry.when)
        if entry.action == "changed" and entry.changes:
            items = "".join(
                f"<li>{_text(change.label)}: {_text(change.old)} → {_text(change.new)}</li>"
                for change in entry.changes
            )
            change = f"<ul>{items}</ul>"
        else:
            change = _text(entry.action)
        rows.append(
            "        <tr>\n"
            f'          <td><time datetime="{when.isoformat()}">{day_text(when)}, {when:%H:%M}</time></td>\n'
            f"          <td>{_text(entry.who)}</td>\n"
            f"          <td>{_text(entry.subject)}</td>\n"
            f"          <td>{change}</td>\n"
            "        </tr>"
        )
    return mark_safe("\n".join(rows))  # noqa: S308 - every piece of data in it is escaped by _text


@register.simple_tag
def lifecycle_steps(agreement, steps, *, is_final: bool) -> SafeString:
    """The lifecycle's steps, the agreement's own one marked (an ended agreement's says how it
    ended)."""
    written = []
    for step, label in steps:
        if step == agreement.status or (step == "ended" and is_final):
            shown = _label(_STATUS, agreement.status) if step == "ended" else _text(label)
            written.append(f'<strong aria-current="step">{shown}</strong>')
        else:
            written.append(_text(label))
    return mark_safe(" → ".join(written))  # noqa: S308 - labels escaped by _text


@register.simple_tag(takes_context=True)
def lifecycle_moves(context, agreement, moves) -> SafeString:
    """The buttons of the moves the user may make (a termination asks why on its own page; a move
    something still stops is disabled), then what stops each."""
    transition_url = pk_url(context, "agreements:agreement_transition", agreement.pk)
    buttons, blocked = [], []
    for move in moves:
        status = _text(move.status.value)
        label = _text(move.label)
        if move.needs_reason:
            href = f"{transition_url}?status={status}"
            buttons.append(f'<a role="button" class="secondary outline" href="{href}">{label}</a>')
        elif move.available:
            backwards = move.status.value == "draft" or (
                move.status.value == "negotiating" and agreement.status == "agreed"
            )
            css = ' class="secondary"' if backwards else ""
            buttons.append(f'<button type="submit" name="status" value="{status}"{css}>{label}</button>')
        else:
            buttons.append(
                f'<button type="submit" name="status" value="{status}" disabled '
                f'aria-describedby="move-{status}-blockers">{label}</button>'
            )
        if move.blockers:
            reasons = "".join(
                f'<li class="warning-text"><small>{_text(text)}</small></li>' for text in move.blockers
            )
            blocked.append(
                f'  <div id="move-{status}-blockers" class="move-blockers">\n'
                f"    <p><small>{label} is not possible yet:</small></p>\n"
                f"    <ul>{reasons}</ul>\n"
                "  </div>\n"
            )
    token = _text(context.get("csrf_token", ""))
    return mark_safe(  # noqa: S308 - every piece of data in it is escaped by _text
        f'<form method="post" action="{transition_url}" aria-label="Move it in its lifecycle">\n'
        f'  <input type="hidden" name="csrfmiddlewaretoken" value="{token}">\n'
        '  <div class="actions">\n'
        + "".join(f"    {button}\n" for button in buttons)
        + "  </div>\n"
        + "".join(blocked)
        + "</form>"
    )
