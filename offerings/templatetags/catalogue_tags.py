"""Template helpers of the service catalogue: the page of offerings grouped by service, the filter's
selects and the list of services, written in Python because the catalogue shows a page of cards at
once and a dozen template tags per card cost more than the rest of the page (it is a bench page)."""

from __future__ import annotations

from itertools import groupby

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from journeys.html import pk_url
from offerings.models import OfferingStatus
from offerings.selectors.catalogue import split_names

register = template.Library()
_STATUS_LABELS = dict(OfferingStatus.choices)


def _words(text: str, count: int) -> str:
    """The first `count` words of `text`, with an ellipsis when cut (what `truncatewords` writes,
    without its lazy machinery)."""
    words = text.split()
    return text if len(words) <= count else " ".join(words[:count]) + " …"


def _count(number: int, singular: str) -> str:
    return f"{number} {singular if number == 1 else singular + 's'}"


def _chips(names: list[str], kind: str) -> list[str]:
    return [
        f'<span class="target target-{kind}" title="Target {kind}">{escape(name)}'
        f'<span class="visually-hidden"> ({kind})</span></span>'
        for name in names
    ]


def _card(context, row: dict) -> str:
    """One offering's card from a row of `offering_catalogue`."""
    url = pk_url(context, "offerings:offering_detail", row["pk"])
    status = row["status"]
    summary = (
        f"<p>{escape(_words(row['summary'], 40))}</p>"
        if row["summary"]
        else '<p class="muted">No summary yet.</p>'
    )
    chips = _chips(split_names(row["segment_names"]), "segment") + _chips(
        split_names(row["persona_names"]), "persona"
    )
    targets = (
        f'<p class="targets"><span class="visually-hidden">Targets: </span>{" ".join(chips)}</p>'
        if chips
        else ""
    )
    figures = (
        f"{_count(row['component_count'], 'component')} · "
        f"{_count(row['proposition_count'], 'value proposition')}"
    )
    label = escape(_STATUS_LABELS.get(status, status))
    badge = f'<span class="status-badge status-{escape(status)}">{label}</span>'
    return (
        f'<li class="offering-card"><h3><a href="{url}">{escape(row["name"])}</a> {badge}</h3>'
        f'{summary}{targets}<p class="figures muted"><small>{figures}</small></p></li>'
    )


@register.simple_tag(takes_context=True)
def catalogue_groups(context, rows: list[dict]) -> SafeString:
    """The page of offerings as one section per service (rows come by service), each a list of cards."""
    sections = []
    for service_pk, group in groupby(rows, key=lambda row: row["service_id"]):
        offerings = list(group)
        first = offerings[0]
        url = pk_url(context, "offerings:service_detail", service_pk)
        description = (
            f'<p class="muted">{escape(_words(first["service__description"], 30))}</p>'
            if first["service__description"]
            else ""
        )
        cards = "".join(_card(context, row) for row in offerings)
        sections.append(
            f'<section class="catalogue-service" aria-labelledby="service-{service_pk}">'
            f'<h2 id="service-{service_pk}"><a href="{url}">{escape(first["service__name"])}</a></h2>'
            f'{description}<ul class="offering-cards">{cards}</ul></section>'
        )
    return mark_safe("".join(sections))  # noqa: S308 - every value above is escaped


@register.simple_tag
def catalogue_select(field, chosen) -> SafeString:
    """A filter's select (label around it, as the other filters), its options written out directly."""
    selected = "" if chosen is None else str(getattr(chosen, "pk", chosen))
    options = "".join(
        f'<option value="{escape(value)}"{" selected" if str(value) == selected else ""}>'
        f"{escape(label)}</option>"
        for value, label in field.field.choices
    )
    return mark_safe(  # noqa: S308 - escaped above
        f'<label for="{field.auto_id}">{escape(field.label)}'
        f'<select name="{field.html_name}" id="{field.auto_id}">{options}</select></label>'
    )


@register.simple_tag(takes_context=True)
def service_list(context, services: list[dict]) -> SafeString:
    """Every service with its offerings counted by status, as a list of links."""
    items = []
    for service in services:
        url = pk_url(context, "offerings:service_detail", service["pk"])
        counts = f"{service['published_count']} published · {_count(service['draft_count'], 'draft')}"
        if service["retired_count"]:
            counts += f" · {service['retired_count']} retired"
        items.append(
            f'<li><a href="{url}">{escape(service["name"])}</a> <small class="muted">{counts}</small></li>'
        )
    return mark_safe(f'<ul class="service-list">{"".join(items)}</ul>')  # noqa: S308 - escaped above
