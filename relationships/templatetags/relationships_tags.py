"""Template helpers of Engage."""

import html
from datetime import date, datetime

from django import forms, template
from django.template.backends.utils import csrf_input
from django.template.defaultfilters import linebreaksbr
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from journeys.html import day_text, pk_url
from relationships.models import RelationshipType

register = template.Library()
_TYPE_LABELS = dict(RelationshipType.choices)


@register.filter
def relationship_type_label(value: str | None) -> str:
    """The type's name; an account with nothing recorded counts as a basic relationship."""
    return _TYPE_LABELS.get(value or RelationshipType.BASIC, value)


@register.filter
def day(value: date | datetime | None) -> str:
    """A day as "7 Mar 2026" (a moment in the current time zone): what `date:"j M Y"` writes, at a
    fraction of its cost on pages that show a date or two for every row."""
    return day_text(value)


# --- form fields on the relationship page ----------------------------------------------------------
# Five ladder forms and the types form: their selects and text boxes are written out here, since
# Django's widget templates cost more than the rest of the page (a select renders an included template
# per option). Other widgets fall back to Django's own rendering.


def _errors(field) -> str:
    if not field.errors:
        return ""
    items = "".join(f"<li>{_text(error)}</li>" for error in field.errors)
    return f'<ul class="errorlist" id="{field.auto_id}_error" role="alert">{items}</ul>'


def _described(field, *, with_help: bool) -> str:
    ids = []
    if field.help_text and with_help:
        ids.append(f"{field.auto_id}_helptext")
    if field.errors:
        ids.append(f"{field.auto_id}_error")
    invalid = ' aria-invalid="true"' if field.errors else ""
    return f'{invalid} aria-describedby="{" ".join(ids)}"' if ids else ""


def _widget(field, *, with_help: bool = True) -> str:
    widget = field.field.widget
    attributes = f'name="{field.html_name}" id="{field.auto_id}"{_described(field, with_help=with_help)}'
    if isinstance(widget, forms.Select) and not isinstance(widget, forms.SelectMultiple):
        value = field.value()
        chosen = "" if value is None else str(value)
        options = "".join(
            f'<option value="{_text(option)}"{" selected" if str(option) == chosen else ""}>'
            f"{_text(label)}</option>"
            for option, label in field.field.choices
        )
        return f"<select {attributes}>{options}</select>"
    if isinstance(widget, forms.Textarea):
        rows = widget.attrs.get("rows", 10)
        return f'<textarea {attributes} rows="{rows}">\n{_text(field.value() or "")}</textarea>'
    return str(field)


@register.simple_tag
def plain_field(field, label: str = "") -> SafeString:
    """A form field as label, widget, help text and errors (what _components/form_fields.html writes),
    with selects and text boxes written out directly."""
    required = ' <span aria-hidden="true">*</span>' if field.field.required and not label else ""
    help_text = (
        f'<small id="{field.auto_id}_helptext">{_text(field.help_text)}</small>\n' if field.help_text else ""
    )
    return mark_safe(  # noqa: S308 - labels, values and messages are escaped by _text
        f'<label for="{field.auto_id}">{_text(label or field.label)}{required}</label>\n'
        f"{_widget(field)}\n{help_text}{_errors(field)}"
    )


@register.simple_tag
def ladder_step_fields(form) -> SafeString:
    """The status select and the evidence box of one LadderStepForm, with their labels and errors (the
    evidence's help text is the same for every step: the page says it once, above the ladder)."""
    status, evidence = form["status"], form["evidence"]
    return mark_safe(  # noqa: S308 - built from escaped pieces
        plain_field(status, "Status") + "\n"
        f'<label for="{evidence.auto_id}">Evidence</label>\n'
        f"{_widget(evidence, with_help=False)}\n{_errors(evidence)}"
    )


def _step_list(steps) -> str:
    return " and ".join(f"‘{_text(step.label)}’" for step in steps)


def _ladder_rule(row) -> str:
    if row.is_done:
        if row.blocking:
            verb = "is" if len(row.blocking) == 1 else "are"
            return f"Stays done while {_step_list(row.blocking)} {verb} done."
        return "Done."
    if row.missing:
        verb = "is" if len(row.missing) == 1 else "are"
        return f"Can be marked done once {_step_list(row.missing)} {verb} done."
    return "Ready to be marked done."


@register.simple_tag(takes_context=True)
def ladder_step(context, row, form, *, saved: bool) -> SafeString:
    """One step of the relationship ladder: its status, since when and who changed it last, what it
    waits for or what rests on it, and (for those who may change it) its form, else the evidence."""
    step = _text(row.step)
    meta = ""
    if row.completed_at:
        meta += f' <small class="muted">since {day(row.completed_at)}</small>'
    if row.updated_by:
        who = row.updated_by.get_full_name() or row.updated_by.username
        meta += f' <small class="muted">· last changed by {_text(who)}</small>'
    parts = [
        f'<section class="ladder-step ladder-step-{_text(row.status)}" id="step-{step}" '
        f'aria-labelledby="step-{step}-title">',
        f'<h3 id="step-{step}-title"><span class="step-number">{row.number}</span> '
        f"{_text(row.step.label)}</h3>",
        f'<p><span class="badge badge-status-{_text(row.status)}">{_text(row.status.label)}</span>{meta}</p>',
        f'<p class="ladder-rule muted">{_ladder_rule(row)}</p>',
    ]
    if saved:
        parts.append('<p class="ladder-saved" role="status">Saved.</p>')
    if form is not None:
        url = html.escape(
            reverse("relationships:ladder_step_update", args=[context["organization"].pk, row.step])
        )
        errors = form.non_field_errors()
        parts += [
            f'<form method="post" action="{url}" hx-post="{url}" hx-target="#relationship-state" novalidate>',
            csrf_input(context.request),
            f'<div class="form-errors" role="alert">{errors}</div>' if errors else "",
            ladder_step_fields(form),
            f'<button type="submit" class="secondary">Save step {row.number}</button>',
            "</form>",
        ]
    elif row.evidence:
        parts.append(f"<p>{linebreaksbr(row.evidence, autoescape=True)}</p>")
    parts.append("</section>")
    return mark_safe("\n".join(part for part in parts if part))  # noqa: S308 - pieces escaped above


# --- the communication plans table ------------------------------------------------------------------
# Rendered here rather than in the template: an account lists every active stakeholder, and a row of
# template tags costs several times what these f-strings do (the page is on the bench). Every text
# that comes from data goes through `_text`, which escapes it; numbers and dates are ours.


def _text(value) -> str:
    return html.escape(str(value))


def _plan_cells(row) -> str:
    plan, figures, person = row.plan, row.figures, row.stakeholder
    owner = f" · kept by {_text(plan.owner.get_full_name() or plan.owner.username)}" if plan.owner else ""
    purpose = f"<br><small>{_text(plan.purpose)}</small>" if plan.purpose else ""
    cells = [
        f"<td>{_text(plan.get_cadence_days_display())} by "
        f"{_text(plan.get_preferred_channel_display().lower())}"
        f'{purpose}<br><small class="muted">since {day(plan.starts_on)}{owner}</small></td>'
    ]
    percent = figures.adherence_percent
    if percent is None:
        cells.append(f'<td><span class="muted">Starts {day(plan.starts_on)}</span></td>')
    else:
        plural = "" if figures.expected_contacts == 1 else "s"
        cells.append(
            f'<td><span class="adherence"><progress value="{percent}" max="100" '
            f'aria-label="Adherence for {_text(person.name)}">{percent} %</progress> {percent} %</span>\n'
            f'<small class="muted">{figures.contacts} of {figures.expected_contacts} '
            f"contact{plural}</small></td>"
        )
    share = figures.channel_share_percent
    if share is None:
        cells.append('<td><span class="muted">—</span></td>')
    else:
        cells.append(
            f'<td>{share} % <small class="muted">({figures.contacts_on_channel} of '
            f"{figures.contacts})</small></td>"
        )
    if figures.last_contact_at:
        cells.append(f"<td>{day(figures.last_contact_at)}</td>")
    else:
        cells.append('<td><span class="muted">never</span></td>')
    if figures.overdue:
        cells.append(f'<td><span class="overdue">Overdue since {day(figures.next_due)}</span></td>')
    else:
        cells.append(f"<td>{day(figures.next_due)}</td>")
    return "\n".join(cells)


@register.simple_tag
def communication_row(row, *, can_manage: bool, editing: object) -> SafeString:
    """One stakeholder's row of the communication plans table, and below it (for those who may change
    plans, unless `editing` says that person's form is open) the link that opens it."""
    person = row.stakeholder
    name = _text(person.name)
    if row.plan:
        cells = _plan_cells(row)
    elif row.last_contact_at:
        cells = (
            f'<td colspan="5"><span class="muted">No plan.</span> '
            f"Last contact {day(row.last_contact_at)}.</td>"
        )
    else:
        cells = '<td colspan="5"><span class="muted">No plan.</span> Never contacted.</td>'
    labels = person.role_labels
    roles = f" · {_text(', '.join(labels))}" if labels else ""
    html_ = (
        f'<tr id="person-{person.pk}"{' class="plan-overdue"' if row.overdue else ""}>\n'
        f"<td><strong>{name}</strong>{' <span class="badge">key</span>' if row.is_key else ''}<br>\n"
        f'<small class="muted">{_text(person.job_title)}{roles} · influence {person.influence}</small></td>\n'
        f"{cells}\n</tr>"
    )
    if can_manage and not editing:
        action = "Change the plan for" if row.plan else "Plan contact with"
        html_ += (
            f'\n<tr class="plan-form-row">\n<td colspan="6">'
            f'<a href="?person={person.pk}#person-{person.pk}">{action} {name}</a></td>\n</tr>'
        )
    return mark_safe(html_)  # noqa: S308 - every piece of data in it is escaped by _text


# --- the stakeholder grid's cards -------------------------------------------------------------------
# Every active stakeholder of the account is a card with its own move form: written out here for the
# same reason as the plans table. The move URL is reversed once per board (journeys.html.pk_url).

_MOVES = (
    ("up", "↑", "More influence", lambda person: person.influence >= 5),
    ("down", "↓", "Less influence", lambda person: person.influence <= 1),
    ("left", "←", "Less interest", lambda person: person.interest <= 1),
    ("right", "→", "More interest", lambda person: person.interest >= 5),
)
_DISABLED = ' aria-disabled="true"'


@register.simple_tag(takes_context=True)
def grid_card(context, person, *, can_move: bool, compare: date | None, compared_with: date | None):
    """One person's card on the stakeholder grid: name, roles, position, how they moved since the
    comparison date, and (for those who may move people) the four arrow buttons of their move form."""
    someone = person.stakeholder
    name = _text(someone.name)
    roles = _text(", ".join(someone.role_labels) or "no consumer role")
    job = f" · {_text(someone.job_title)}" if someone.job_title else ""
    if person.moved:
        was = f"{person.was[0]}×{person.was[1]} ({_text(person.was_quadrant.label)})"
        history = f'<span class="grid-was">moved from {was}</span>'
    elif person.is_new:
        history = f'<span class="grid-was">not on the grid on {day(compared_with)}</span>'
    elif person.compared:
        history = '<span class="grid-was muted">unchanged</span>'
    else:
        history = ""
    moved_class = " grid-card-moved" if person.moved else ""
    drag = form = ""
    if can_move:
        url = pk_url(context, "relationships:stakeholder_grid_move", someone.pk)
        compare_value = compare.isoformat() if compare else ""
        drag = f' draggable="true" data-move-url="{url}"'
        hidden = ""
        if compare:
            drag += f' data-compare="{compare_value}"'
            hidden = f'<input type="hidden" name="compare" value="{compare_value}">'
        buttons = "\n".join(
            f'<button type="submit" name="direction" value="{value}" id="move-{someone.pk}-{value}" '
            f'title="{title}" aria-label="{title} for {name}"{_DISABLED if at_edge(someone) else ""}>'
            f"{arrow}</button>"
            for value, arrow, title, at_edge in _MOVES
        )
        token = _text(context.get("csrf_token", ""))
        form = (
            f'<form method="post" action="{url}" hx-post="{url}" hx-target="#board" class="grid-moves" '
            f'aria-label="Move {name}">'
            f'<input type="hidden" name="csrfmiddlewaretoken" value="{token}">{hidden}\n{buttons}\n</form>'
        )
    return mark_safe(  # noqa: S308 - every piece of data in it is escaped by _text
        f'<li class="grid-card{moved_class}" id="person-{someone.pk}"{drag}>\n'
        f"<strong>{name}</strong>\n<small>{roles}{job}</small>\n"
        f'<span class="grid-position">influence {someone.influence} × interest {someone.interest}</span>\n'
        f"{history}\n{form}\n</li>"
    )
