"""Template helpers of the Offer boards: the cards of the requirement board and of the opportunity
pipeline.

A board shows every requirement of an account (a few hundred on a large one) or a pipeline's
opportunities, each a card with its own move form: written out here with f-strings, since a card of
template tags costs several times more (the requirement board is on the bench). Every text that comes
from data goes through `_text`, which escapes it; numbers, dates and labels of our own choices are
ours. Move URLs are reversed once per board (journeys.html.pk_url).
"""

from __future__ import annotations

import html
from decimal import Decimal
from functools import lru_cache
from urllib.parse import urlencode

from django import template
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from journeys.html import day_text, pk_url
from offerings.models import NonFunctionalCategory, OpportunityStage, RequirementKind, RequirementStatus
from offerings.prioritization import wsjf_score
from offerings.selectors import BOARD_COLUMNS

register = template.Library()

_DISABLED = ' aria-disabled="true"'
_STATUS_LABELS = {value: html.escape(label) for value, label in RequirementStatus.choices}
_CATEGORY_LABELS = {value: html.escape(label) for value, label in NonFunctionalCategory.choices}
# Each column's neighbours on the board, for the ← and → buttons: (key, label) or None at an edge.
_COLUMN_KEYS = [key for _moscow, key, _label in BOARD_COLUMNS]
_COLUMN_LABELS = {key: label for _moscow, key, label in BOARD_COLUMNS}
_KEY_OF = {moscow: key for moscow, key, _label in BOARD_COLUMNS}


def _text(value) -> str:
    return html.escape(str(value))


def _neighbours(moscow: str) -> tuple[str | None, str | None]:
    index = _COLUMN_KEYS.index(_KEY_OF[moscow])
    left = _COLUMN_KEYS[index - 1] if index > 0 else None
    right = _COLUMN_KEYS[index + 1] if index + 1 < len(_COLUMN_KEYS) else None
    return left, right


# A board repeats a few dozen INVEST results and WSJF figures over hundreds of cards: each is written
# once per process, keyed by the plain numbers it comes from.
_INVEST_HTML: dict[int, str] = {}


def _invest(card) -> str:
    written = _INVEST_HTML.get(card.invest_bits)
    if written is None:
        check = card.invest
        if check.passed:
            written = '<span class="invest invest-pass">INVEST ✓</span>'
        else:
            failed = ", ".join(criterion.label.lower() for criterion in check.failed_criteria)
            written = (
                f'<span class="invest invest-fail">INVEST {6 - len(check.failures)}/6 '
                f'<span class="muted">· not yet {failed}</span></span>'
            )
        _INVEST_HTML[card.invest_bits] = written
    return written


@lru_cache(maxsize=4096)
def _wsjf(
    service_impact: int | None, urgency: int | None, risk_reduction: int | None, job_size: int | None
) -> str:
    if job_size is None:
        return '<span class="wsjf wsjf-none muted">not scored</span>'
    cost_of_delay = service_impact + urgency + risk_reduction
    score = wsjf_score(
        service_impact=service_impact, urgency=urgency, risk_reduction=risk_reduction, job_size=job_size
    )
    return (
        f'<span class="wsjf">WSJF <strong>{score}</strong> '
        f'<small class="muted">({cost_of_delay} ÷ {job_size})</small></span>'
    )


def _column_buttons(moscow: str) -> tuple[tuple[str, str, str, str], ...]:
    """The ← and → buttons of a column's cards: (side, arrow, value, label or "" at an edge)."""
    own = _KEY_OF[moscow]
    left, right = _neighbours(moscow)
    return tuple(
        (side, arrow, neighbour or own, _COLUMN_LABELS[neighbour] if neighbour else "")
        for side, arrow, neighbour in (("left", "←", left), ("right", "→", right))
    )


def _url_parts(context, name: str) -> tuple[str, str]:
    """The (escaped) URL of `name` for any pk, as the text before and after the pk."""
    before, after = pk_url(context, name, "\0").split("\0")
    return before, after


def _requirement_card(
    card, *, detail: tuple[str, str], can_move: bool, order: str, filtered: bool, sides
) -> str:
    title = _text(card.title)
    pk = card.pk
    kind = ""
    if card.kind == RequirementKind.NON_FUNCTIONAL:
        category = _CATEGORY_LABELS.get(card.non_functional_category, "")
        kind = f' · <span class="nfr">non-functional{": " + category.lower() if category else ""}</span>'
    moves = ""
    if can_move:
        buttons = []
        if order == "rank":
            for direction, arrow, neighbour in (("up", "↑", card.above_rank), ("down", "↓", card.below_rank)):
                edge = neighbour is None
                # Narrowed boards move a card past its visible neighbour, whatever lies between.
                where = (card.rank if edge else neighbour) if filtered else direction
                buttons.append(
                    f'<button name="move" value="{pk}:{where}" id="move-{pk}-{direction}" '
                    f'aria-label="Move {title} {direction}"{_DISABLED if edge else ""}>{arrow}</button>'
                )
        for side, arrow, where, label in sides:
            described = (
                f'aria-label="Move {title} to {label}" title="To {label}">'
                if label
                else f'aria-label="Move {title}: no column further {side}"{_DISABLED}>'
            )
            buttons.append(
                f'<button name="move" value="{pk}:{where}" id="move-{pk}-{side}" {described}{arrow}</button>'
            )
        moves = f'<div class="board-moves">{"".join(buttons)}</div>'
    status = _STATUS_LABELS.get(card.status) or _text(card.status)
    return (
        f'<li class="board-card{" board-card-closed" if card.is_closed else ""}" id="requirement-{pk}">'
        f'<a href="{detail[0]}{pk}{detail[1]}" class="board-card-title">{title}</a>\n'
        f'<small class="board-card-meta">#{card.rank} · {status}{kind}</small>\n'
        f"{_wsjf(card.service_impact, card.urgency, card.risk_reduction, card.job_size)}\n{_invest(card)}\n"
        f"{moves}</li>"
    )


@register.simple_tag(takes_context=True)
def requirement_cards(context, column, *, can_move: bool, order: str, filtered: bool) -> SafeString:
    """The cards of one column of the requirement board, top first. A card shows its title (a link to
    the requirement), its place and status, its WSJF score with the cost of delay and job size and its
    INVEST check; for those who may change the board, the buttons that move it (of the column's one
    form): ↑ ↓ within its column (in the agreed order only) and ← → to the next column. Buttons at an
    edge stay in place, marked disabled, and every button keeps its id when the board is swapped, so
    the keyboard focus stays where it was."""
    if not column.cards:
        return mark_safe('<li class="muted board-empty">None.</li>')
    detail = _url_parts(context, "offerings:requirement_detail")
    sides = _column_buttons(column.moscow)
    cards = (
        _requirement_card(card, detail=detail, can_move=can_move, order=order, filtered=filtered, sides=sides)
        for card in column.cards
    )
    return mark_safe("\n".join(cards))  # noqa: S308 - every piece of data in it is escaped by _text


# --- the opportunity pipeline ---------------------------------------------------------------------

_STAGE_LABELS = {stage.value: stage.label for stage in OpportunityStage}
# The stages a card offers buttons for; "lost" asks why first, so it is a link to that question.
_BUTTON_STAGES = (OpportunityStage.DEMAND, OpportunityStage.PROPOSAL, OpportunityStage.AGREED)


def money(value: Decimal | None) -> str:
    """An amount as "25,000" (or "25,000.50" when it has cents)."""
    if value is None:
        return ""
    return f"{value:,.0f}" if value == value.to_integral_value() else f"{value:,.2f}"


register.filter("money", money)


def _days_in_stage(card, today) -> str:
    days = (today - timezone.localtime(card.stage_changed_at).date()).days
    stage = _STAGE_LABELS[card.stage].lower()
    if days <= 0:
        return f"in {stage} since today"
    return f"{days} day{'' if days == 1 else 's'} in {stage}"


def _state_inputs(board: str, view: str) -> str:
    state = f'<input type="hidden" name="board" value="{_text(board)}">' if board else ""
    if view:
        state += f'<input type="hidden" name="view" value="{_text(view)}">'
    return state


@register.simple_tag(takes_context=True)
def lost_reason_form(context, pk: int, *, board: str, view: str, reason: str = "", errors=()) -> SafeString:
    """The small form that asks why an opportunity was lost before it moves there (required by the
    service; the browser asks too)."""
    url = pk_url(context, "offerings:opportunity_move", pk)
    field_id = f"lost-reason-{pk}"
    error_list = ""
    described = ""
    if errors:
        items = "".join(f"<li>{_text(error)}</li>" for error in errors)
        error_list = f'<ul class="errorlist" id="{field_id}-error" role="alert">{items}</ul>'
        described = f' aria-invalid="true" aria-describedby="{field_id}-error"'
    token = _text(context.get("csrf_token", ""))
    board_url = _text(context.get("board_url") or "")
    cancel = f'<a href="{board_url}" role="button" class="secondary outline">Cancel</a>' if board_url else ""
    return mark_safe(  # noqa: S308 - the reason, the errors and the state are escaped by _text
        f'<form method="post" action="{url}" hx-post="{url}" hx-target="#pipeline-board" '
        'class="lost-reason-form">'
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{token}">'
        f'<input type="hidden" name="stage" value="lost">{_state_inputs(board, view)}'
        f'<label for="{field_id}">Why was it lost?</label>'
        f'<textarea name="lost_reason" id="{field_id}" rows="2" required autofocus{described}>'
        f"{_text(reason)}</textarea>"
        f'{error_list}<div class="actions"><button type="submit">Mark as lost</button>{cancel}</div></form>'
    )


@register.simple_tag(takes_context=True)
def opportunity_card(
    context,
    card,
    *,
    can_move: bool,
    board: str,
    view: str,
    show_account: bool,
    today,
    open_form=None,
    moved=None,
) -> SafeString:
    """One opportunity's card: title (a link to it), account, offering and owner, estimated value,
    expected close date (marked when overdue) and time in its stage, and (for those who may change
    the pipeline) a button per stage it can move to, with "Lost…" asking why first. The card that
    just moved takes the focus, so a keyboard user carries on from it."""
    title = _text(card.title)
    detail = pk_url(context, "offerings:opportunity_detail", card.pk)
    about = []
    if show_account:
        account = pk_url(context, "offerings:account_pipeline", card.organization_id)
        about.append(f'<a href="{account}">{_text(card.organization_name)}</a>')
    if card.offering_name:
        about.append(_text(card.offering_name))
    if card.owner_name:
        about.append(_text(card.owner_name))
    figures = [money(card.estimated_value) if card.estimated_value is not None else "value not estimated"]
    overdue = card.is_overdue(today)
    if card.expected_close_date:
        close = f"closes {day_text(card.expected_close_date)}"
        figures.append(f'<strong class="overdue">{close}, overdue</strong>' if overdue else close)
    figures.append(_days_in_stage(card, today))
    if card.lost_reason:
        figures.append(f'<span class="lost-reason">lost: {_text(card.lost_reason)}</span>')
    form = lost = ""
    if can_move:
        url = pk_url(context, "offerings:opportunity_move", card.pk)
        buttons = "".join(
            f'<button type="submit" name="stage" value="{stage.value}" '
            f'id="opportunity-{card.pk}-{stage.value}" class="secondary" '
            f'aria-label="Move {title} to {stage.label.lower()}">{stage.label}</button>'
            for stage in _BUTTON_STAGES
            if stage != card.stage
        )
        if card.stage != OpportunityStage.LOST:
            query = urlencode(
                {"stage": "lost", **({"board": board} if board else {}), **({"view": view} if view else {})}
            )
            lost_url = f"{url}?{_text(query)}"
            buttons += (
                f'<a href="{lost_url}" hx-get="{lost_url}" hx-target="#opportunity-{card.pk}-lost" '
                f'class="board-lost" id="opportunity-{card.pk}-lost-link" '
                f'aria-label="Mark {title} as lost">Lost…</a>'
            )
        token = _text(context.get("csrf_token", ""))
        form = (
            f'<form method="post" action="{url}" hx-post="{url}" hx-target="#pipeline-board" '
            f'class="board-moves" aria-label="Move {title}">'
            f'<input type="hidden" name="csrfmiddlewaretoken" value="{token}">'
            f"{_state_inputs(board, view)}{buttons}</form>"
        )
        inline = ""
        if open_form and open_form.get("pk") == card.pk:
            inline = lost_reason_form(
                context,
                card.pk,
                board=board,
                view=view,
                reason=open_form["reason"],
                errors=open_form["errors"],
            )
        lost = f'<div id="opportunity-{card.pk}-lost">{inline}</div>'
    focus = ' tabindex="-1" autofocus' if moved == card.pk else ""
    classes = (
        "board-card"
        + (" board-card-overdue" if overdue else "")
        + ("" if card.is_open else " board-card-closed")
    )
    return mark_safe(  # noqa: S308 - every piece of data in it is escaped by _text
        f'<li class="{classes}" id="opportunity-{card.pk}"{focus}>'
        f'<a href="{detail}" class="board-card-title">{title}</a>\n'
        f'<small class="board-card-meta">{" · ".join(about)}</small>\n'
        f'<span class="opportunity-figures">{" · ".join(figures)}</span>\n{form}{lost}</li>'
    )


@register.simple_tag
def board_select(field) -> SafeString:
    """A filter of a board (a choice field) as its label and select, written out here: Django's
    widget templates render an included template per option, which costs more than the rest of the
    filter bar."""
    value = field.value()
    chosen = "" if value is None else str(value)
    options = "".join(
        f'<option value="{_text(option)}"{" selected" if str(option) == chosen else ""}>'
        f"{_text(label)}</option>"
        for option, label in field.field.choices
    )
    return mark_safe(  # noqa: S308 - labels and values are escaped by _text
        f'<label for="{field.auto_id}">{_text(field.label)}\n'
        f'<select name="{field.html_name}" id="{field.auto_id}">{options}</select>\n</label>'
    )
