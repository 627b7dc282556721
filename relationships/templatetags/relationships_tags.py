"""Template helpers of Engage."""

import html
from datetime import date, datetime

from django import template
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from relationships.models import RelationshipType

register = template.Library()
_TYPE_LABELS = dict(RelationshipType.choices)


@register.filter
def relationship_type_label(value: str | None) -> str:
    """The type's name; an account with nothing recorded counts as a basic relationship."""
    return _TYPE_LABELS.get(value or RelationshipType.BASIC, value)


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@register.filter
def day(value: date | datetime | None) -> str:
    """A day as "7 Mar 2026" (a moment in the current time zone): what `date:"j M Y"` writes, at a
    fraction of its cost on pages that show a date or two for every row."""
    if not value:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"


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
