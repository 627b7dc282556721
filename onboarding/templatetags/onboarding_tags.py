"""Template helpers of the Onboard pages: the board's rows, the plan's action rows (with their status
form and comments), "my actions" and the progress bars.

The board and the plan's page are on the bench, and a large plan has hundreds of actions, each with a
status form. Their rows are written out here with f-strings, since a row of template tags and
includes costs several times more. Every text that comes from data goes through `_text`, which
escapes it; numbers, dates and the labels of our own choices are ours (labels are escaped all the
same). URLs are reversed once per page (journeys.html.pk_url).
"""

from __future__ import annotations

import html

from django import template
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from journeys.html import day_text, pk_url, short_datetime
from offerings.models import OwnerParty
from onboarding.models import (
    ACTION_TRANSITIONS,
    ActionArea,
    ActionStatus,
    GoalEvaluation,
    GoalTemplate,
    PlanKind,
    PlanStatus,
)
from onboarding.selectors.plans import CLOSED_ACTION_STATUSES, Progress, person_name

register = template.Library()


def _text(value) -> str:
    return html.escape(str(value))


def _labels(choices) -> dict[str, str]:
    return {value: html.escape(str(label)) for value, label in choices.choices}


_PLAN_STATUS = _labels(PlanStatus)
_PLAN_KIND = _labels(PlanKind)
_ACTION_STATUS = _labels(ActionStatus)
_AREA = _labels(ActionArea)
_GOAL_TEMPLATE = _labels(GoalTemplate)
_GOAL_EVALUATION = _labels(GoalEvaluation)
_SIDE = {OwnerParty.PROVIDER: "our side", OwnerParty.CONSUMER: "consumer's side"}
_MUTED_DASH = '<span class="muted">—</span>'
# Long descriptions and evidence show their start in a row; the edit form has them whole.
TEXT_IN_ROW = 160


def _label(labels: dict[str, str], value: str) -> str:
    label = labels.get(value)
    return _text(value) if label is None else label


def _plan_status(status: str) -> str:
    return f'<span class="plan-status plan-status-{_text(status)}">{_label(_PLAN_STATUS, status)}</span>'


def _action_status(status: str) -> str:
    return (
        f'<span class="action-status action-status-{_text(status)}">{_label(_ACTION_STATUS, status)}</span>'
    )


def _short(value: str) -> str:
    text = " ".join(value.split())
    return _text(text if len(text) <= TEXT_IN_ROW else text[:TEXT_IN_ROW].rstrip() + "…")


def _bar(progress: Progress, name: str) -> str:
    """A progress bar with its figures in words beside it (the bar alone says nothing to a screen
    reader that does not announce progress values)."""
    if not progress.total:
        return '<span class="muted">no action yet</span>'
    return (
        f'<progress class="plan-progress-bar" value="{progress.done}" max="{progress.total}"'
        f' aria-label="Actions of {name} done"></progress>'
        f" <small>{progress.done}/{progress.total} · {progress.percent} %</small>"
    )


@register.simple_tag
def progress_bar(progress: Progress, name: str = "the plan") -> SafeString:
    return mark_safe(_bar(progress, _text(name)))  # noqa: S308 - figures and escaped text only


# --- the board and the account's plans ------------------------------------------------------------


def _get(row, name: str):
    return row[name] if isinstance(row, dict) else getattr(row, name)


def _owner_of(row) -> str:
    if isinstance(row, dict):
        if row["owner_id"] is None:
            return _MUTED_DASH
        return _text(person_name(row["owner_first_name"], row["owner_last_name"], row["owner_username"]))
    owner = row.owner
    if owner is None:
        return _MUTED_DASH
    return _text(person_name(owner.first_name, owner.last_name, owner.username))


@register.simple_tag(takes_context=True)
def plan_rows(context, plans, with_account: bool = True) -> SafeString:
    """The board's rows (values from onboarding.selectors.plan_board) or an account's (plans from
    account_plans): plan, account, status, owner, progress, overdue actions, next due date, term."""
    today = context["today"]
    rows = []
    for plan in plans:
        pk = _get(plan, "pk")
        title = _text(_get(plan, "title"))
        status = _get(plan, "status")
        progress = Progress(
            done=_get(plan, "actions_done"),
            total=_get(plan, "actions_total"),
            overdue=_get(plan, "actions_overdue"),
        )
        overdue = (
            f'<strong class="overdue-text">{progress.overdue} overdue</strong>'
            if progress.overdue and status not in ("completed", "cancelled")
            else '<span class="muted">none</span>'
        )
        next_due = _get(plan, "next_due_on")
        if next_due is None or status in ("completed", "cancelled"):
            due = _MUTED_DASH
        elif next_due < today:
            due = f'{day_text(next_due)} <strong class="overdue-text">overdue</strong>'
        else:
            due = day_text(next_due)
        ends = _get(plan, "ends_on")
        term = f"{day_text(_get(plan, 'starts_on'))} – {day_text(ends) if ends else 'open'}"
        account = ""
        if with_account:
            organization_id = _get(plan, "organization_id")
            name = _get(plan, "organization_name") if isinstance(plan, dict) else plan.organization.name
            url = pk_url(context, "onboarding:account_plans", organization_id)
            account = f'<td><a href="{url}">{_text(name)}</a></td>'
        rows.append(
            f'<tr class="plan-row plan-{status}">'
            f'<td><a href="{pk_url(context, "onboarding:plan_detail", pk)}">{title}</a>'
            f'<br><small class="muted">{_label(_PLAN_KIND, _get(plan, "kind"))}</small></td>'
            f"{account}"
            f"<td>{_plan_status(status)}</td>"
            f"<td>{_owner_of(plan)}</td>"
            f"<td>{_bar(progress, f'“{title}”')}</td>"
            f'<td class="number">{overdue}</td>'
            f"<td>{due}</td>"
            f"<td>{term}</td>"
            "</tr>"
        )
    return mark_safe("\n".join(rows))  # noqa: S308 - data escaped by _text


# --- the plan's actions -----------------------------------------------------------------------------


# The statuses each status may move to, as a select's options.
_OPTIONS = {
    status: "".join(
        f'<option value="{target}">{_label(_ACTION_STATUS, target)}</option>' for target in targets
    )
    for status, targets in ACTION_TRANSITIONS.items()
}


def _token(context) -> str:
    """The CSRF token, escaped, read once per rendering (it is a lazy object in the context)."""
    token = context.render_context.get("onboarding_csrf_token")
    if token is None:
        token = context.render_context["onboarding_csrf_token"] = _text(context.get("csrf_token", ""))
    return token


def _status_form(context, action, title: str, error: str, extra: str = "") -> str:
    """The form moving an action to one of the statuses it may go to, with optional evidence; HTMX
    swaps the row, without it the page reloads."""
    pk = action.pk
    url = pk_url(context, "onboarding:action_status", pk)
    options = _OPTIONS.get(action.status, "")
    described = f' aria-invalid="true" aria-describedby="status-{pk}-error"' if error else ""
    token = _token(context)
    return (
        f'<form method="post" action="{url}" hx-post="{url}" hx-target="#action-{pk}" hx-swap="outerHTML"'
        f' class="status-form">'
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{token}">{extra}'
        f'<label for="status-{pk}" class="visually-hidden">New status of “{title}”</label>'
        f'<select id="status-{pk}" name="status"{described}>{options}</select>'
        f'<label for="evidence-{pk}" class="visually-hidden">What shows “{title}” done (optional)</label>'
        f'<input id="evidence-{pk}" name="evidence" type="text" placeholder="Evidence (optional)"'
        f' autocomplete="off">'
        f'<button type="submit" class="secondary">Set<span class="visually-hidden"> the status of'
        f" “{title}”</span></button>"
        "</form>"
    )


def _error(pk: int, error: str) -> str:
    if not error:
        return ""
    return f'<p class="action-error" id="status-{pk}-error" role="alert">{_text(error)}</p>'


def _comments(context, row, title: str, may_answer: bool, error: str = "") -> str:
    pk = row.action.pk
    lines = "".join(
        f"<li>{_text(line.body)} <small class='muted'>{_text(line.author)},"
        f" {day_text(line.created_at)}</small></li>"
        for line in row.comments
    )
    more = row.comment_count - len(row.comments)
    shown = f"<ul class='action-comments'>{lines}</ul>" if lines else ""
    if more > 0:
        shown += f"<small class='muted'>and {more} earlier</small>"
    form = ""
    if may_answer and (error or context.get("comment_on") == pk):
        described = f' aria-invalid="true" aria-describedby="comment-{pk}-error"' if error else ""
        url = pk_url(context, "onboarding:action_comment", pk)
        token = _token(context)
        form = (
            f'<form method="post" action="{url}" hx-post="{url}" hx-target="#action-{pk}" hx-swap="outerHTML"'
            f' class="comment-form"><input type="hidden" name="csrfmiddlewaretoken" value="{token}">'
            f'<label for="comment-{pk}" class="visually-hidden">Comment on “{title}”</label>'
            f'<textarea id="comment-{pk}" name="body" rows="2" required autofocus{described}></textarea>'
            f'<button type="submit" class="secondary outline">Comment<span class="visually-hidden"> on'
            f" “{title}”</span></button></form>"
        )
    elif may_answer:
        # The form is asked for when wanted (HTMX swaps the row; without it the page opens it): a
        # form in each of hundreds of rows would weigh on every view of the page.
        query = f"?comment={pk}" + ("&amp;closed=1" if row.action.status in CLOSED_ACTION_STATUSES else "")
        form = (
            f'<a href="{query}#action-{pk}" hx-get="{query}" hx-target="#action-{pk}" hx-swap="outerHTML"'
            f' class="comment-link">Comment<span class="visually-hidden"> on “{title}”</span></a>'
        )
    if not shown and not form:
        return _MUTED_DASH
    count = row.comment_count
    if error:
        form += f'<p class="action-error" id="comment-{pk}-error" role="alert">{_text(error)}</p>'
    if not count:
        return form
    summary = f"{count} comment{'s' if count != 1 else ''}"
    opened = " open" if context.get("comment_on") == pk else ""
    return f"<details{opened}><summary>{summary}</summary>{shown}</details>{form}"


def _dependencies(row) -> str:
    if not row.waits_for:
        return ""
    parts = []
    for dependency in row.waits_for:
        name = f"“{_text(dependency.title)}”"
        label = _label(_ACTION_STATUS, dependency.status).lower()
        if dependency.is_open:
            parts.append(f'<span class="open-dependency">{name} ({label}, still open)</span>')
        else:
            parts.append(f"{name} ({label})")
    return f"<br><small>Waits for {', '.join(parts)}</small>"


def _action_row(context, row, error: str = "", comment_error: str = "") -> str:
    action = row.action
    pk = action.pk
    title = _text(action.title)
    user = context["user"]
    plan_open = context["plan_open"]
    can_manage = context["can_manage"]
    may_answer = plan_open and (
        can_manage or (action.owner_user_id is not None and action.owner_user_id == user.pk)
    )
    classes = f"action-row action-{action.status}" + (" overdue" if row.is_overdue else "")
    area = f"<br><small class='muted'>{_label(_AREA, action.area)}</small>" if action.area else ""
    description = f"<br><small>{_short(action.description)}</small>" if action.description else ""
    due = day_text(action.due_on)
    if row.is_overdue:
        due += ' <strong class="overdue-text">overdue</strong>'
    evidence = f"<br><small>Evidence: {_short(action.evidence)}</small>" if action.evidence else ""
    status = _action_status(action.status) + evidence
    if may_answer:
        status += _status_form(context, action, title, error)
    status += _error(pk, error)
    edit = ""
    if can_manage and plan_open:
        edit = (
            f'<td class="row-links"><a href="{pk_url(context, "onboarding:action_edit", pk)}">Edit'
            f'<span class="visually-hidden"> “{title}”</span></a> '
            f'<a href="{pk_url(context, "onboarding:action_delete", pk)}">Delete'
            f'<span class="visually-hidden"> “{title}”</span></a></td>'
        )
    return (
        f'<tr id="action-{pk}" class="{classes}">'
        f"<td><strong>{title}</strong>{area}{description}{_dependencies(row)}</td>"
        f"<td>{_text(row.owner)}<br><small class='muted'>{_SIDE.get(action.owner_party, '')}</small></td>"
        f"<td>{due}</td>"
        f"<td>{status}</td>"
        f"<td>{_comments(context, row, title, may_answer, comment_error)}</td>"
        f"{edit}"
        "</tr>"
    )


@register.simple_tag(takes_context=True)
def action_rows(context, rows) -> SafeString:
    """The rows of a group of the plan's actions. The context gives `user`, `can_manage` (may change
    the account's plans) and `plan_open` (the plan still changes)."""
    return mark_safe("\n".join(_action_row(context, row) for row in rows))  # noqa: S308 - escaped


@register.simple_tag(takes_context=True)
def action_row(context, row, error: str = "", comment_error: str = "") -> SafeString:
    """One action's row, after its status changed or a comment was added, or either was refused."""
    return mark_safe(_action_row(context, row, error, comment_error))  # noqa: S308 - escaped


_ACTION_HEAD = (
    '<thead><tr><th scope="col">Action</th><th scope="col">Owner</th><th scope="col">Due</th>'
    '<th scope="col">Status</th><th scope="col">Comments</th>{change}</tr></thead>'
)
_CHANGE_HEAD = '<th scope="col"><span class="visually-hidden">Change</span></th>'


@register.simple_tag(takes_context=True)
def action_groups(context, groups) -> SafeString:
    """The plan's actions by group (onboarding.selectors.ActionGroup): each group's heading with its
    figures, then its table, or a note that all its actions are done or cancelled (and hidden)."""
    head = _ACTION_HEAD.format(change=_CHANGE_HEAD if context["can_manage"] and context["plan_open"] else "")
    parts = []
    for group in groups:
        key = _text(group.key)
        note = f' <small class="muted">{_text(group.note)}</small>' if group.note else ""
        parts.append(f'<h3 id="{key}" class="action-group">{_text(group.label)}{note}</h3>')
        if group.rows:
            rows = "\n".join(_action_row(context, row) for row in group.rows)
            parts.append(
                f'<figure class="table-scroll"><table class="striped action-table" aria-labelledby="{key}">'
                f"{head}<tbody>\n{rows}\n</tbody></table></figure>"
            )
        else:
            closed = (
                "Its action is done or cancelled."
                if group.closed == 1
                else f"All its {group.closed} actions are done or cancelled."
            )
            parts.append(f'<p class="muted closed-note">{closed}</p>')
    return mark_safe("\n".join(parts))  # noqa: S308 - escaped


# --- the plan's goals and history -------------------------------------------------------------------


@register.simple_tag(takes_context=True)
def goal_rows(context, goals) -> SafeString:
    """The rows of the plan's goals: what, measured by, target, by when (past when still pending on an
    open plan), the evaluation and, for those who change the plan, its links."""
    today = context["today"]
    plan_open = context["plan_open"]
    can_change = context["can_manage"] and plan_open
    rows = []
    for goal in goals:
        pk = goal.pk
        description = _text(goal.description)
        kind = ""
        if goal.template and goal.template != GoalTemplate.OTHER:
            kind = f'<br><small class="muted">{_label(_GOAL_TEMPLATE, goal.template)}</small>'
        past = ""
        if goal.evaluation == GoalEvaluation.PENDING and goal.target_date < today and plan_open:
            past = ' <strong class="overdue-text">past</strong>'
        result = f"<br><small>{_text(goal.result)}</small>" if goal.result else ""
        links = ""
        if can_change:
            named = f'<span class="visually-hidden"> “{description}”</span>'
            links = (
                f'<td class="row-links"><a href="{pk_url(context, "onboarding:goal_evaluate", pk)}">Evaluate'
                f'{named}</a> <a href="{pk_url(context, "onboarding:goal_edit", pk)}">Edit{named}</a>'
                f' <a href="{pk_url(context, "onboarding:goal_delete", pk)}">Delete{named}</a></td>'
            )
        rows.append(
            f"<tr><td>{description}{kind}</td>"
            f"<td>{_text(goal.metric)}</td>"
            f"<td>{_text(goal.target)}</td>"
            f"<td>{day_text(goal.target_date)}{past}</td>"
            f'<td><span class="goal-evaluation goal-evaluation-{_text(goal.evaluation)}">'
            f"{_label(_GOAL_EVALUATION, goal.evaluation)}</span>{result}</td>"
            f"{links}</tr>"
        )
    return mark_safe("\n".join(rows))  # noqa: S308 - escaped


@register.simple_tag
def history_rows(entries) -> SafeString:
    """The rows of the plan's history (onboarding.selectors.HistoryEntry): when, who, what, and each
    changed field from what to what (or created, deleted)."""
    rows = []
    for entry in entries:
        if entry.changes:
            change = "".join(
                f"<li>{_text(item.label)}: {_text(item.old)} → {_text(item.new)}</li>"
                for item in entry.changes
            )
            change = f"<ul>{change}</ul>"
        else:
            change = _text(entry.action)
        rows.append(
            f"<tr><td>{short_datetime(timezone.localtime(entry.when))}</td><td>{_text(entry.who)}</td>"
            f"<td>{_text(entry.subject)}</td><td>{change}</td></tr>"
        )
    return mark_safe("\n".join(rows))  # noqa: S308 - escaped


# --- my actions -------------------------------------------------------------------------------------


def _my_row(context, action, error: str = "") -> str:
    pk = action.pk
    title = _text(action.title)
    today = context["today"]
    closed = action.status in CLOSED_ACTION_STATUSES
    overdue = not closed and action.due_on < today
    plan = action.plan
    plan_title = _text(plan.title)
    if action.plan_visible:
        plan_link = f'<a href="{pk_url(context, "onboarding:plan_detail", plan.pk)}">{plan_title}</a>'
    else:
        plan_link = plan_title
    due = day_text(action.due_on) + (' <strong class="overdue-text">overdue</strong>' if overdue else "")
    waiting = getattr(action, "waiting_on", None) or 0
    waits = (
        f"<br><small class='open-dependency'>waits for {waiting} open"
        f" action{'s' if waiting != 1 else ''}</small>"
        if waiting and not closed
        else ""
    )
    status = _action_status(action.status)
    if closed:
        status += " <small class='muted'>It leaves this list.</small>"
    extra = '<input type="hidden" name="from" value="my_actions">'
    status += _status_form(context, action, title, error, extra) + _error(pk, error)
    classes = f"action-row action-{action.status}" + (" overdue" if overdue else "")
    return (
        f'<tr id="action-{pk}" class="{classes}">'
        f"<td><strong>{title}</strong>"
        + (f"<br><small class='muted'>{_label(_AREA, action.area)}</small>" if action.area else "")
        + f"{waits}</td>"
        f"<td>{plan_link}<br><small class='muted'>{_text(plan.organization.name)}</small></td>"
        f"<td>{due}</td>"
        f"<td>{status}</td>"
        "</tr>"
    )


@register.simple_tag(takes_context=True)
def my_action_rows(context, actions) -> SafeString:
    return mark_safe("\n".join(_my_row(context, action) for action in actions))  # noqa: S308 - escaped


@register.simple_tag(takes_context=True)
def my_action_row(context, action, error: str = "") -> SafeString:
    return mark_safe(_my_row(context, action, error))  # noqa: S308 - escaped
