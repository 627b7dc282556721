"""Small pieces for markup written in Python (the template tags that write a whole row or card per
person or account, where a row of template tags would cost several times more): dates as the pages
write them, and URLs reversed once per rendering of a page."""

from __future__ import annotations

from datetime import date, datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_PLACEHOLDER_PK = 987654321


def day_text(value: date | datetime | None) -> str:
    """A day as "7 Mar 2026", what the date filter's "j M Y" writes (a moment in the current time
    zone), without its per-call format lookups."""
    if not value:
        return ""
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def short_datetime(moment: datetime) -> str:
    """ "16 Nov 2026 15:28", as the date filter's "j M Y H:i" gives."""
    return f"{moment.day} {MONTHS[moment.month - 1]} {moment.year} {moment.hour:02d}:{moment.minute:02d}"


def pk_url(context, name: str, pk: int) -> str:
    """`reverse(name, args=[pk])` (escaped, as `{% url %}` writes it), reversed once per rendering of a
    page: the URL of a placeholder pk, in which each row's pk then takes the placeholder's place."""
    parts = context.render_context.get(("pk_url", name))
    if parts is None:
        url = reverse(name, args=[_PLACEHOLDER_PK])
        parts = [escape(part) for part in url.rsplit(str(_PLACEHOLDER_PK), 1)]
        context.render_context[("pk_url", name)] = parts
    return f"{parts[0]}{pk}{parts[1]}"
