"""Pages of feedback: the list over the accounts the user may see (or one account's), recording new
feedback from an account (about a touchpoint or a request when the page is opened from one), and one
piece of feedback with its handling: acknowledge, answer, close.

The list's filters swap the results with HTMX and work as a plain GET form without it. The handling
forms post to `feedback_transition`; with HTMX the answer replaces the status region of the page, and
without it the browser comes back to the page (or, refused, sees it again with the reason).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cocreation import selectors, services
from cocreation.forms.feedback import FeedbackFilterForm, FeedbackForm, FeedbackTransitionForm
from cocreation.models import FEEDBACK_TRANSITIONS, Feedback, FeedbackStatus
from journeys import roles
from journeys import selectors as journeys_selectors
from journeys.base import ApplicationError
from journeys.forms import apply_error
from journeys.htmx import render_page, wants_fragment
from journeys.web import browser_view, form_submitted, peek_page, render_form, require

__all__: list[str] = []

WRITE_REFUSED = "Your role may not record or handle feedback."
LIST_TEMPLATE = "cocreation/feedback_list.html"
DETAIL_TEMPLATE = "cocreation/feedback_detail.html"
FEEDBACK_PER_PAGE = 25


def require_writer(request: HttpRequest) -> None:
    require(roles.may_log_touchpoints(request.user), WRITE_REFUSED)


def posted(request: HttpRequest):
    """The form's input on a POST (even an empty one, which must fail validation), else None."""
    return request.POST if request.method == "POST" else None


def account_from(request: HttpRequest, value: str | None):
    """The account named by `?organization=<id>` (404 for an outsider or nonsense), or None."""
    if not value:
        return None
    if not str(value).isdigit():
        raise Http404("No such organization.")
    return journeys_selectors.organization_get(user=request.user, pk=int(value), brief=True)


# --- the list -------------------------------------------------------------------------------------


@browser_view
@require_GET
def feedback_list(request: HttpRequest) -> HttpResponse:
    form = FeedbackFilterForm(request.GET or None)
    organization = account_from(request, request.GET.get("organization"))
    filters = form.filters()
    rows = selectors.feedback_list(user=request.user, organization=organization, **filters)
    context = {
        "form": form,
        "organization": organization,
        "page": peek_page(rows, request.GET.get("page"), FEEDBACK_PER_PAGE),
        "counts": selectors.feedback_counts(user=request.user, organization=organization),
        "query": form.query(organization),
        "filtered": any(filters.values()),
        "can_add": roles.may_log_touchpoints(request.user),
    }
    return render_page(request, LIST_TEMPLATE, context, partial="results")


# --- new feedback ---------------------------------------------------------------------------------


def _pick_account(request: HttpRequest) -> HttpResponse:
    query = (request.GET.get("q") or "").strip()
    return render(
        request,
        "cocreation/feedback_pick_account.html",
        {
            "query": query,
            "accounts": journeys_selectors.organization_search(user=request.user, query=query, limit=20),
        },
    )


def _linked(request: HttpRequest, name: str, scope):
    """The touchpoint or request the page was opened from (`?touchpoint=` / `?request=`, or the posted
    hidden field): one the user may see, else 404."""
    value = request.POST.get(name) or request.GET.get(name)
    if not value:
        return None
    if not str(value).isdigit():
        raise Http404(f"No such {name}.")
    found = scope.filter(pk=int(value)).select_related("organization").first()
    if found is None:
        raise Http404(f"No such {name}.")
    return found


@browser_view
@require_http_methods(["GET", "POST"])
def feedback_new(request: HttpRequest) -> HttpResponse:
    """Record feedback from an account (`?organization=<id>`; without it, find the account first),
    about a touchpoint (`&touchpoint=<id>`) or a request (`&request=<id>`) when opened from one."""
    organization = account_from(request, request.GET.get("organization") or request.POST.get("organization"))
    require_writer(request)
    if organization is None:
        return _pick_account(request)
    touchpoint = _linked(request, "touchpoint", journeys_selectors.touchpoint_scope(request.user))
    service_request = _linked(request, "request", selectors.request_scope(request.user))
    form = FeedbackForm(
        posted(request),
        people=selectors.console_people(organization=organization),
        touchpoint=touchpoint,
        initial={
            "touchpoint": touchpoint.pk if touchpoint else None,
            "request": service_request.pk if service_request else None,
            "sentiment": touchpoint.sentiment if touchpoint else 0,
            "stakeholder": touchpoint.stakeholder_id if touchpoint and touchpoint.stakeholder_id else "",
            "channel": service_request.channel if service_request else "",
        },
    )
    feedback = form_submitted(
        request,
        form,
        lambda: services.feedback_create(
            actor=request.user,
            organization=organization,
            touchpoint=touchpoint,
            request=service_request,
            **form.service_data(),
        ),
    )
    if feedback:
        messages.success(
            request,
            f"{feedback.get_kind_display()} from {organization.name} recorded"
            f"{'' if touchpoint else ' with its touchpoint'}. Acknowledge it once someone takes it on.",
        )
        return redirect("cocreation:feedback_detail", pk=feedback.pk)
    return render_form(
        request,
        "cocreation/feedback_form.html",
        {
            "form": form,
            "organization": organization,
            "touchpoint": touchpoint,
            "service_request": service_request,
        },
    )


# --- one piece of feedback and its handling -------------------------------------------------------


def _moves(feedback: Feedback) -> list[str]:
    return list(FEEDBACK_TRANSITIONS.get(feedback.status, ()))


def _detail_context(request: HttpRequest, feedback: Feedback, *, form=None, done: str = "") -> dict:
    moves = _moves(feedback)
    return {
        "feedback": feedback,
        "organization": feedback.organization,
        "form": form,
        "done": done,
        "can_write": roles.may_log_touchpoints(request.user),
        "may_acknowledge": FeedbackStatus.ACKNOWLEDGED in moves,
        "may_respond": FeedbackStatus.RESPONDED in moves,
        "may_close": FeedbackStatus.CLOSED in moves,
        "statuses": FeedbackStatus.choices,
        "status_index": FeedbackStatus.values.index(feedback.status),
    }


@browser_view
@require_GET
def feedback_detail(request: HttpRequest, pk: int) -> HttpResponse:
    feedback = selectors.feedback_get(user=request.user, pk=pk)
    return render(request, DETAIL_TEMPLATE, _detail_context(request, feedback))


DONE = {
    FeedbackStatus.ACKNOWLEDGED: "Acknowledged: it is yours to answer.",
    FeedbackStatus.RESPONDED: "Answer recorded. Close it once the author has it.",
    FeedbackStatus.CLOSED: "Closed.",
}


@browser_view
@require_POST
def feedback_transition(request: HttpRequest, pk: int) -> HttpResponse:
    """Acknowledge, answer, close, or take back to acknowledged (an answer that did not satisfy)."""
    feedback = selectors.feedback_get(user=request.user, pk=pk)
    require_writer(request)
    form = FeedbackTransitionForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            moved = services.feedback_transition(
                actor=request.user,
                feedback=feedback,
                to_status=form.cleaned_data["to_status"],
                response=form.cleaned_data.get("response") or "",
            )
        except ApplicationError as error:
            apply_error(form, error)
            status = error.status
        else:
            done = DONE.get(moved.status, "Saved.")
            if moved.status == FeedbackStatus.ACKNOWLEDGED and feedback.status == FeedbackStatus.RESPONDED:
                done = "Taken back: answer it again."
            if not wants_fragment(request):
                messages.success(request, done)
                return redirect("cocreation:feedback_detail", pk=pk)
            fresh = selectors.feedback_get(user=request.user, pk=pk)
            return render_page(
                request, DETAIL_TEMPLATE, _detail_context(request, fresh, done=done), partial="status"
            )
    return render_page(
        request,
        DETAIL_TEMPLATE,
        _detail_context(request, feedback, form=form),
        partial="status",
        status=status,
    )
