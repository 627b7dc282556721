"""The page a consumer's owner of an action reaches from their reminder e-mail: no account, no login.

The signed link in the address is the only permission: the page shows the one action it names and
lets its owner mark it done or comment, once (onboarding.services.links). Opening the page spends
nothing, so a mail scanner that follows the link does no harm; only a POST does. A link that is not
valid, used or expired gets a page saying so and what to do, with the matching status (404 or 410).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from journeys.base import ApplicationError
from journeys.forms import apply_error
from onboarding import selectors, services
from onboarding.forms.links import CommentForm, DoneForm
from onboarding.models import ActionLink, PlanStatus

__all__ = ["action_link"]

# The errors that mean the link itself no longer answers: nothing about the action is shown then.
LINK_REFUSALS = ("link_invalid", "link_used", "link_expired", "link_owner_changed")


def _page(
    request: HttpRequest,
    link: ActionLink,
    *,
    done_form: DoneForm | None = None,
    comment_form: CommentForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    action = link.action
    plan = action.plan
    waiting = selectors.action_open_prerequisites(action=action)
    return render(
        request,
        "onboarding/link_action.html",
        {
            "link": link,
            "action": action,
            "plan": plan,
            "organization": plan.organization,
            "stakeholder": link.stakeholder,
            "waiting": waiting,
            "overdue": not action.is_closed and action.due_on < timezone.localdate(),
            "plan_open": PlanStatus(plan.status).is_open,
            "may_mark_done": not action.is_closed and not waiting and PlanStatus(plan.status).is_open,
            "done_form": done_form or DoneForm(),
            "comment_form": comment_form or CommentForm(),
            "error": error,
        },
        status=status,
    )


def _refused(request: HttpRequest, error: ApplicationError) -> HttpResponse:
    return render(
        request, "onboarding/link_refused.html", {"error": error, "code": error.code}, status=error.status
    )


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def action_link(request: HttpRequest, token: str) -> HttpResponse:
    try:
        link = services.link_open(token=token)
    except ApplicationError as error:
        return _refused(request, error)
    if request.method == "GET":
        return _page(request, link)

    what = request.POST.get("action")
    if what == "done":
        form = DoneForm(request.POST)
        if not form.is_valid():
            return _page(request, link, done_form=form, status=400)
        try:
            action = services.link_mark_done(token=token, evidence=form.cleaned_data["evidence"])
        except ApplicationError as error:
            return _answer_refused(request, token, error, done_form=form)
        return render(
            request, "onboarding/link_thanks.html", {"action": action, "plan": link.action.plan, "done": True}
        )
    if what == "comment":
        form = CommentForm(request.POST)
        if not form.is_valid():
            return _page(request, link, comment_form=form, status=400)
        try:
            services.link_comment(token=token, body=form.cleaned_data["body"])
        except ApplicationError as error:
            return _answer_refused(request, token, error, comment_form=form)
        return render(
            request,
            "onboarding/link_thanks.html",
            {"action": link.action, "plan": link.action.plan, "done": False},
        )
    return _page(request, link, error="Choose “Mark as done” or “Send comment”.", status=400)


def _answer_refused(
    request: HttpRequest,
    token: str,
    error: ApplicationError,
    *,
    done_form: DoneForm | None = None,
    comment_form: CommentForm | None = None,
) -> HttpResponse:
    """The service wrote nothing. A link that stopped answering in the meantime gets the refusal
    page; otherwise the action's page again (read afresh), with the reason next to the field it names
    or, when it concerns the action itself ("it waits for ...", "already done"), above the forms."""
    if error.code in LINK_REFUSALS:
        return _refused(request, error)
    form = done_form or comment_form
    message = error.message
    if any(name in form.fields for name in error.fields):
        apply_error(form, error)
        message = ""
    try:
        link = services.link_open(token=token)
    except ApplicationError as refusal:
        return _refused(request, refusal)
    return _page(
        request, link, done_form=done_form, comment_form=comment_form, error=message, status=error.status
    )
