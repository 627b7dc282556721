"""Shared helpers for the browser views of every app."""

from __future__ import annotations

from dataclasses import dataclass
from functools import wraps

from django.core.exceptions import PermissionDenied

from journeys import roles


def browser_view(view):
    """Pages are for people: a logged-in user with a role other than integrator (API-only accounts).
    Login itself is enforced by LoginRequiredMiddleware."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not roles.may_use_browser(request.user):
            raise PermissionDenied("This account may use the API only.")
        return view(request, *args, **kwargs)

    return wrapped


def require(allowed: bool, message: str = "Your role may not do this.") -> None:
    if not allowed:
        raise PermissionDenied(message)


@dataclass(frozen=True)
class PeekPage:
    """A page of a list that only ever moves on ("older entries"): it fetches one row more than it
    shows to know whether a next page exists, and never counts the whole list."""

    object_list: list
    number: int
    has_next: bool

    @property
    def next_page_number(self) -> int:
        return self.number + 1


def peek_page(queryset, page: str | None, per_page: int) -> PeekPage:
    number = int(page) if page and page.isdigit() and int(page) > 0 else 1
    start = (number - 1) * per_page
    rows = list(queryset[start : start + per_page + 1])
    return PeekPage(object_list=rows[:per_page], number=number, has_next=len(rows) > per_page)
