"""Shared helpers for the browser views of every app."""

from __future__ import annotations

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
