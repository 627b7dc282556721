"""Shared helpers for the browser views of every app."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from journeys import roles
from journeys.base import ApplicationError
from journeys.forms import apply_error


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


def form_submitted[T](request: HttpRequest, form, save: Callable[[], T]) -> T | None:
    """For a valid POST, run `save` (a service call) and return its result; a service's errors land
    on the form's fields. None when nothing was saved."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return save()
    except ApplicationError as error:
        apply_error(form, error)
        return None


def render_form(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    """Render a form page; 400 when it carries errors, so clients and tests can tell."""
    return render(request, template, context, status=400 if context["form"].errors else 200)


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
