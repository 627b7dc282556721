"""Filters and tags of the live journey map's template. The page is on the bench: its two tables'
rows and its lists are written here with f-strings, every text from data escaped, since a row of
template tags (or a widget template per list) costs several times more."""

import html

from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def signed(value, places: int = 1) -> str:
    """A sentiment with its sign and a real minus: "+0.4", "−1.2", "0.0"; "—" when there is none."""
    if value is None or value == "":
        return "—"
    text = f"{float(value):+.{int(places)}f}"
    if float(text) == 0:
        text = text.lstrip("+-")
    return text.replace("-", "−")


@register.filter
def tone(value) -> str:
    """The sentiment's colour class (dsv.css): negative, positive or neutral."""
    if value is None or value == "":
        return "sentiment-zero"
    return "sentiment-neg" if value < 0 else "sentiment-pos" if value > 0 else "sentiment-zero"


@register.filter
def days(value) -> str:
    """A median time in step in days: "12.5 days", "0.3 days", "—"."""
    if value is None:
        return "—"
    shown = f"{value:.0f}" if value >= 10 else f"{value:.1f}"
    return f"{shown} day{'' if shown == '1.0' else 's'}"


@register.simple_tag
def csat_cell(pct, mean, answers) -> SafeString:
    """A CSAT cell: the share satisfied, the mean and how many answers, "—" without answers."""
    if not answers:
        return mark_safe("—")
    return mark_safe(  # noqa: S308 - numbers only
        f'{float(pct):.0f} % <small class="muted">· {float(mean):.1f} ({int(answers)})</small>'
    )


@register.simple_tag
def ces_cell(mean, answers) -> SafeString:
    """A CES cell: the mean effort score (1–7, higher is easier) and how many answers."""
    if not answers:
        return mark_safe("—")
    return mark_safe(f'{float(mean):.1f} <small class="muted">({int(answers)})</small>')  # noqa: S308 - numbers


# --- markup written here rather than by a loop of template tags (the live map is on the bench) -------


def _text(value) -> str:
    return html.escape(str(value))


@register.simple_tag
def choice_select(bound_field) -> SafeString:
    """A form field's <select>, as Django's Select widget writes it (name, id, the chosen option),
    without rendering a widget template per field."""
    value = bound_field.value()
    chosen = {
        "" if item is None else str(item) for item in (value if isinstance(value, list | tuple) else [value])
    }
    options = "".join(
        f'<option value="{_text(key)}"{" selected" if str(key) in chosen else ""}>{_text(label)}</option>'
        for key, label in bound_field.field.choices
    )
    return mark_safe(  # noqa: S308 - every text above is escaped
        f'<select name="{_text(bound_field.html_name)}" id="{_text(bound_field.auto_id)}">{options}</select>'
    )


def _width(value: int, largest: int) -> str:
    """What {% widthratio value largest 100 %} writes."""
    if not largest:
        return "0"
    return str(round(value / largest * 100))


@register.simple_tag
def overlay_step_rows(overlay, moments_url: str) -> SafeString:
    """The per-step table's body rows: volume, sentiment, (designed emotion,) moments of truth (a link
    to their review when there are any), negative, open and breached requests, CSAT and CES."""
    designed = overlay.journey_map is not None
    rows = []
    for figures in overlay.steps:
        step = figures.step
        average = figures.average_sentiment
        moments = (
            f'<a href="{_text(moments_url)}?step={step.value}">{figures.moments_of_truth}</a>'
            if figures.moments_of_truth
            else "0"
        )
        breached = (
            f'<span class="warning-text">{figures.breached_requests}</span>'
            if figures.breached_requests
            else "0"
        )
        rows.append(
            f'<tr><th scope="row"><span class="badge badge-{step.value}">{step.number}</span> '
            f"{_text(step.label)}</th>"
            f'<td class="number">{figures.touchpoints}</td>'
            f'<td class="number"><span class="sentiment {tone(average)}">{signed(average)}</span></td>'
            + (f'<td class="number">{signed(figures.expected_emotion)}</td>' if designed else "")
            + f'<td class="number">{moments}</td><td class="number">{figures.negative}</td>'
            f'<td class="number">{figures.open_requests}</td><td class="number">{breached}</td>'
            f'<td class="number">{csat_cell(figures.csat_pct, figures.csat_mean, figures.csat_responses)}'
            "</td>"
            f'<td class="number">{ces_cell(figures.ces_mean, figures.ces_responses)}</td></tr>'
        )
    return mark_safe("\n".join(rows))  # noqa: S308 - labels escaped, the rest numbers and our classes


@register.simple_tag
def overlay_funnel_rows(overlay) -> SafeString:
    """The funnel's body rows: the bars of accounts that reached each step and are in it now (scaled to
    the largest), the two counts and the median time in step."""
    largest = overlay.max_accounts
    rows = [
        f'<tr><th scope="row">{figures.step.number} {_text(figures.step.label)}</th>'
        f'<td class="funnel-bars" aria-hidden="true">'
        f'<span class="bar bar-reached" style="width: {_width(figures.reached_accounts, largest)}%"></span>'
        f'<span class="bar bar-current" style="width: {_width(figures.current_accounts, largest)}%"></span>'
        f'</td><td class="number">{figures.reached_accounts}</td>'
        f'<td class="number">{figures.current_accounts}</td>'
        f'<td class="number">{days(figures.median_days)}</td></tr>'
        for figures in overlay.steps
    ]
    return mark_safe("\n".join(rows))  # noqa: S308 - labels escaped, the rest numbers and our classes
