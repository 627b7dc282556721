"""Template helpers of the business case and demand profile pages: amounts, percentages and years as
the pages write them, at a fraction of the cost of `floatformat` (the case page shows dozens of
amounts and is on the bench)."""

from __future__ import annotations

import html
from decimal import Decimal

from django import template
from django.template.defaultfilters import linebreaksbr
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from journeys.html import day_text, pk_url
from offerings.models import (
    BenefitType,
    BusinessCaseStatus,
    Confidence,
    CostCategory,
    ExpenseType,
    UncertaintyArea,
)

register = template.Library()

MINUS = "−"


@register.filter
def money(value: Decimal | int | float | None) -> str:
    """12345.5 → "12,345.50"; a negative amount with a real minus sign; None → "—"."""
    if value is None or value == "":
        return "—"
    text = f"{abs(Decimal(value)):,.2f}"
    return f"{MINUS}{text}" if value < 0 else text


@register.filter
def signed_money(value: Decimal | None) -> str:
    """A difference: "+1,200.00", "−300.00" or "0.00"."""
    if value is None:
        return "—"
    return f"+{money(value)}" if value > 0 else money(value)


@register.filter
def percent(value: Decimal | None, places: int = 2) -> str:
    """A percentage already multiplied by 100: 12.5 → "12.50 %"; None → "—"."""
    if value is None or value == "":
        return "—"
    text = f"{abs(Decimal(value)):,.{int(places)}f} %"
    return f"{MINUS}{text}" if value < 0 else text


@register.filter
def fraction_percent(value: Decimal | None) -> str:
    """A fraction as a percentage without trailing zeros: 0.0825 → "8.25 %", 0.1 → "10 %"."""
    if value is None:
        return "—"
    number = (Decimal(value) * 100).quantize(Decimal("0.01")).normalize()
    text = f"{abs(number):f} %"
    return f"{MINUS}{text}" if number < 0 else text


@register.filter
def years(value: Decimal | None) -> str:
    """A payback period: 2.5 → "2.50 years", 1 → "1.00 year"; None → "never, within the horizon"."""
    if value is None:
        return "not within the horizon"
    return f"{Decimal(value):.2f} year{'' if value == 1 else 's'}"


@register.filter
def year_span(line) -> str:
    """When a cost or benefit line falls: "year 2" or "years 1–5"."""
    if line.last_year is None or line.last_year == line.year:
        return f"year {line.year}"
    return f"years {line.year}–{line.last_year}"


_LABELS = {
    "cost_category": dict(CostCategory.choices),
    "expense_type": {ExpenseType.CAPITAL: "CAPEX", ExpenseType.OPERATING: "OPEX"},
    "benefit_type": dict(BenefitType.choices),
    "confidence": dict(Confidence.choices),
    "uncertainty_area": dict(UncertaintyArea.choices),
}


@register.filter
def label(value: str, choices: str) -> str:
    """The label of a stored choice (`{{ line.category|label:"cost_category" }}`), without the
    per-row cost of `get_FOO_display`."""
    return _LABELS[choices].get(value, value)


# --- the rows of a business case ------------------------------------------------------------------
# A case's costs, benefits, risks and assumptions are written out here with f-strings: a row of
# template tags costs several times more, and the case page is on the bench. Every text that comes
# from data goes through `_text`, which escapes it; numbers and our own labels are ours.

_HEADINGS = {
    "costs": ("Cost", "Category", "Type", "When", '<th scope="col" class="number">Amount</th>'),
    "benefits": (
        "Benefit",
        "Type",
        "Measurable indicator",
        "When",
        '<th scope="col" class="number">Amount</th>',
    ),
    "risks": (
        "Risk",
        '<th scope="col" class="number">Probability</th>',
        '<th scope="col" class="number">Impact</th>',
        '<th scope="col" class="number">Exposure</th>',
        "Mitigation",
    ),
    "assumptions": ("Assumption", "How sure", "Area of uncertainty", "Who checks it"),
}
_EMPTY = {
    "costs": "No costs yet: investment, running costs, training, change and exit all count towards the "
    "total cost of ownership.",
    "benefits": "No benefits yet: each benefit names the indicator that will show it was realized.",
    "risks": "No risks recorded.",
    "assumptions": "No assumptions written down.",
}
_ADD_LABELS = {
    "costs": "Add a cost line",
    "benefits": "Add a benefit line",
    "risks": "Add a risk",
    "assumptions": "Add an assumption",
}


def _text(value) -> str:
    return html.escape(str(value))


def _heading(cell: str) -> str:
    return cell if cell.startswith("<th") else f'<th scope="col">{cell}</th>'


def _amount_cell(line) -> str:
    yearly = ' <small class="muted">a year</small>' if line.last_year is not None else ""
    return f'<td class="number">{money(line.amount)}{yearly}</td>'


def _cells(kind: str, row) -> str:
    if kind == "costs":
        return (
            f"<td>{_text(row.description)}</td><td>{_text(label(row.category, 'cost_category'))}</td>"
            f"<td>{label(row.expense_type, 'expense_type')}</td><td>{year_span(row)}</td>{_amount_cell(row)}"
        )
    if kind == "benefits":
        return (
            f"<td>{_text(row.description)}</td><td>{_text(label(row.benefit_type, 'benefit_type'))}</td>"
            f"<td>{_text(row.indicator)}</td><td>{year_span(row)}</td>{_amount_cell(row)}"
        )
    if kind == "risks":
        return (
            f'<td>{_text(row.description)}</td><td class="number">{fraction_percent(row.probability)}</td>'
            f'<td class="number">{money(row.impact)}</td><td class="number">{money(row.exposure)}</td>'
            f"<td>{_text(row.mitigation)}</td>"
        )
    area = _text(label(row.area, "uncertainty_area")) if row.area else '<span class="muted">—</span>'
    owner = (
        _text(row.owner.get_full_name() or row.owner.username)
        if row.owner_id
        else '<span class="muted">nobody named</span>'
    )
    text = linebreaksbr(row.text, autoescape=True)
    return f"<td>{text}</td><td>{label(row.confidence, 'confidence')}</td><td>{area}</td><td>{owner}</td>"


def _row_name(row) -> str:
    """How a row is called in the labels of its buttons: its description, or an assumption's text."""
    name = getattr(row, "description", None) or getattr(row, "text", "")
    return name if len(name) <= 60 else name[:59] + "…"


def _line_form(context, kind: str, action: str, open_form, *, submit: str, css: str = "") -> str:
    return render_to_string(
        "offerings/business_case_line_form.html",
        {
            "kind": kind,
            "action": action,
            "form": open_form.form,
            "label": open_form.kind.label.lower(),
            "submit": submit,
            "css": css,
            "case_url": context["case_url"],
            "csrf_token": context.get("csrf_token", ""),
        },
    )


@register.simple_tag(takes_context=True)
def case_lines(context, kind: str, rows, heading: str) -> SafeString:
    """One kind of row of a business case (costs, benefits, risks or assumptions) as a section: its
    table, the row being edited as a form in its place, and the form (or the link) to add one. Edit and
    remove links and forms keep working without HTMX; with it they swap the case's workspace."""
    can_edit = context.get("can_edit", False)
    open_form = context.get("open_form")
    if open_form is not None and open_form.kind.key != kind:
        open_form = None
    base = context["case_url"]
    token = _text(context.get("csrf_token", ""))
    hx = 'hx-target="#case-workspace"'
    parts = [
        f'<section id="{kind}" class="case-lines" aria-labelledby="{kind}-heading">'
        f'<h2 id="{kind}-heading">{_text(heading)} <small class="muted">({len(rows)})</small></h2>'
    ]
    if rows:
        head = "".join(_heading(cell) for cell in _HEADINGS[kind])
        if can_edit:
            head += '<th scope="col"><span class="visually-hidden">Actions</span></th>'
        body = []
        for row in rows:
            if open_form is not None and open_form.line_pk == row.pk:
                form = _line_form(context, kind, f"{base}{kind}/{row.pk}/edit/", open_form, submit="Save")
                body.append(f'<tr class="editing" id="{kind}-{row.pk}"><td colspan="6">{form}</td></tr>')
                continue
            actions = ""
            if can_edit:
                edit, remove = f"{base}{kind}/{row.pk}/edit/", f"{base}{kind}/{row.pk}/remove/"
                name = _text(_row_name(row))
                actions = (
                    f'<td class="actions-cell"><a href="{edit}" hx-get="{edit}" {hx} '
                    f'aria-label="Edit “{name}”">Edit</a>'
                    f'<form method="post" action="{remove}" hx-post="{remove}" {hx}>'
                    f'<input type="hidden" name="csrfmiddlewaretoken" value="{token}">'
                    f'<button type="submit" class="link-button" aria-label="Remove “{name}”">Remove</button>'
                    "</form></td>"
                )
            body.append(f'<tr id="{kind}-{row.pk}">{_cells(kind, row)}{actions}</tr>')
        parts.append(
            f"<figure><table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></figure>"
        )
    else:
        parts.append(f'<p class="muted">{_EMPTY[kind]}</p>')
    if open_form is not None and open_form.line_pk is None:
        parts.append(
            _line_form(context, kind, f"{base}{kind}/add/", open_form, submit="Add", css=" case-add")
        )
    elif can_edit:
        add = f"{base}{kind}/add/"
        parts.append(f'<p class="case-add"><a href="{add}" hx-get="{add}" {hx}>{_ADD_LABELS[kind]}</a></p>')
    parts.append("</section>")
    return mark_safe("".join(parts))  # noqa: S308 - every piece of data in it is escaped


@register.simple_tag
def cash_flow_rows(years) -> SafeString:
    """The rows of the yearly cash-flow table: year, costs, benefits, net, discounted and cumulative net."""
    return mark_safe(  # noqa: S308 - numbers only
        "".join(
            f'<tr><th scope="row">{year.year}</th><td class="number">{money(year.costs)}</td>'
            f'<td class="number">{money(year.benefits)}</td><td class="number">{money(year.net)}</td>'
            f'<td class="number">{money(year.discounted_net)}</td>'
            f'<td class="number">{money(year.cumulative_net)}</td></tr>'
            for year in years
        )
    )


@register.simple_tag
def case_questions(page) -> SafeString:
    """The questions the case answers in words, each with its answer or “Not answered yet.”, and the
    budget, as the terms and descriptions of a list."""
    parts = []
    for _name, question, answer in page.questions:
        if answer:
            parts.append(f"<dt>{_text(question)}</dt><dd>{linebreaksbr(answer, autoescape=True)}</dd>")
        else:
            parts.append(f'<dt>{_text(question)}</dt><dd class="unanswered">Not answered yet.</dd>')
    budget = page.case.budget
    parts.append(
        f"<dt>What is the budget?</dt><dd>{money(budget)}</dd>"
        if budget is not None
        else '<dt>What is the budget?</dt><dd class="unanswered">None set.</dd>'
    )
    return mark_safe("".join(parts))  # noqa: S308 - answers are escaped by linebreaksbr, questions ours


def _compared(row) -> str:
    if row.unit == "percent":
        this, other = percent(row.this), percent(row.other)
        change = "—" if row.difference is None else f"{percent(row.difference)} points"
    elif row.unit == "years":
        this, other = years(row.this), years(row.other)
        change = "—" if row.difference is None else f"{signed_money(row.difference)} years"
    else:
        this, other, change = money(row.this), money(row.other), signed_money(row.difference)
    return (
        f'<tr><th scope="row">{row.label}</th><td class="number">{this}</td><td class="number">{other}</td>'
        f'<td class="number">{change}</td></tr>'
    )


@register.simple_tag
def case_comparison_rows(comparison) -> SafeString:
    """The rows of the comparison with another version: each figure on both sides with the difference,
    then the number of lines of each kind."""
    rows = [_compared(row) for row in comparison.figures]
    rows += [
        f'<tr><th scope="row">{name}</th><td class="number">{this}</td><td class="number">{other}</td>'
        f'<td class="number">{change}</td></tr>'
        for name, this, other, change in comparison.line_counts
    ]
    return mark_safe("".join(rows))  # noqa: S308 - numbers and our own labels


_STATUS_LABELS = dict(BusinessCaseStatus.choices)


def _person(user) -> str:
    return _text(user.get_full_name() or user.username)


@register.simple_tag(takes_context=True)
def case_version_rows(context, page) -> SafeString:
    """The versions of the lineage, the one on the page marked, each with its status, when it was
    submitted or decided, whether it is the baseline, and a link to compare it with the page's version."""
    case = page.case
    compared = page.comparison.other.pk if page.comparison else None
    rows = []
    for version in page.versions:
        current = version.pk == case.pk
        if current:
            name = f"v{version.version} (this page)"
        else:
            link = pk_url(context, "offerings:business_case_detail", version.pk)
            name = f'<a href="{link}">v{version.version}</a>'
        if version.approved_at:
            by = f" by {_person(version.approved_by)}" if version.approved_by_id else ""
            decided = f"{day_text(version.approved_at)}{by}"
        elif version.submitted_at:
            decided = f"submitted {day_text(version.submitted_at)}"
        else:
            decided = '<span class="muted">—</span>'
        if current:
            compare = ""
        elif version.pk == compared:
            compare = '<span class="muted">compared above</span>'
        else:
            compare = f'<a href="?compare={version.pk}#comparison">compare with this page</a>'
        status = (
            f'<span class="case-status case-status-{version.status}">{_STATUS_LABELS[version.status]}</span>'
        )
        baseline = "Baseline" if version.is_baseline else ""
        rows.append(
            f'<tr{' class="current" aria-current="true"' if current else ""}><th scope="row">{name}</th>'
            f"<td>{status}</td><td>{decided}</td><td>{baseline}</td><td>{compare}</td></tr>"
        )
    return mark_safe("".join(rows))  # noqa: S308 - names escaped by _person, the rest ours
