"""Pages of service requests and user queries: the desk's queue (most urgent first, filtered with
HTMX), a new request for an account, the request's page (its clocks, its lifecycle moves, notes and
history) and its edit form. Views read through the selectors and write through the services; the rules
(who may, which move is allowed, how the clocks count) live there.

A lifecycle move and a note are small forms posted from the request's page. With HTMX a move swaps the
request's summary (header, clocks and moves) and its history in place; without, it redirects back. A
refused move comes back next to its form with its reason: 409 for a move the lifecycle does not allow,
400 for missing input (the resolution).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agreements.models import ClockKind
from cocreation import selectors, services
from cocreation.forms.requests import (
    CommentForm,
    RequestEditForm,
    RequestFilterForm,
    RequestForm,
    TransitionForm,
    priority_matrix,
)
from cocreation.models import REQUEST_TRANSITIONS, RequestStatus, ServiceRequest
from journeys import roles
from journeys import selectors as journeys_selectors
from journeys.base import ApplicationError
from journeys.htmx import render_page, wants_fragment
from journeys.web import browser_view, form_submitted, render_form, require

__all__ = [
    "request_comment",
    "request_detail",
    "request_edit",
    "request_list",
    "request_new",
    "request_transition",
]

WRITE_REFUSED = "Your role may read requests but not open or change them."
DETAIL_TEMPLATE = "cocreation/request_detail.html"
FORM_TEMPLATE = "cocreation/request_form.html"


def _may_change(request: HttpRequest) -> bool:
    return roles.may_log_touchpoints(request.user)


def _require_writer(request: HttpRequest) -> None:
    require(_may_change(request), WRITE_REFUSED)


def _request_or_404(request: HttpRequest, pk: int) -> ServiceRequest:
    """The request with its account, for the write pages (the services lock and check it again)."""
    found = (
        selectors.request_scope(request.user)
        .select_related("organization", "requester", "assignee")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404("No such request.")
    return found


# --- the queue --------------------------------------------------------------------------------------


@browser_view
@require_GET
def request_list(request: HttpRequest) -> HttpResponse:
    """Requests of the accounts the user sees, most urgent first (open ones unless the filters say
    otherwise). With HTMX the filters and the page links swap the results alone."""
    form = RequestFilterForm(request.GET or None)
    found = selectors.request_page(
        user=request.user,
        page=request.GET.get("page"),
        with_counts=not wants_fragment(request),
        **form.selector_arguments(request.user),
    )
    context = {
        "form": form,
        "page": found.page,
        "requests": found.rows,
        "query": form.query(),
        "filtered": form.filtered(),
        "can_change": _may_change(request),
    }
    if found.counts is not None:
        context["counts"] = found.counts
    return render_page(request, "cocreation/request_list.html", context, partial="results")


# --- a new request ----------------------------------------------------------------------------------


def _account_from(request: HttpRequest, raw: str):
    """The account of this id if the user may see it, else None (an outsider learns nothing more)."""
    if not raw.isdigit():
        return None
    try:
        return journeys_selectors.organization_get(user=request.user, pk=int(raw), brief=True)
    except Http404:
        return None


def _touchpoint_from(request: HttpRequest, raw: str, organization):
    if not raw or organization is None:
        return None, ""
    found = None
    if raw.isdigit():
        found = (
            journeys_selectors.touchpoint_scope(request.user)
            .select_related("stakeholder")
            .filter(pk=int(raw), organization=organization)
            .first()
        )
    if found is None:
        return None, f"No contact number “{raw}” is logged for {organization.name}."
    return found, ""


def _initial_from_touchpoint(touchpoint) -> dict:
    if touchpoint is None:
        return {}
    return {
        "channel": touchpoint.channel,
        "description": touchpoint.summary,
        "requester": touchpoint.stakeholder_id,
    }


@browser_view
@require_http_methods(["GET", "POST"])
def request_new(request: HttpRequest) -> HttpResponse:
    """A new request for `?organization=<id>` (and the contact it came with, `&touchpoint=<id>`), as
    the account's page and the console link here. Without an account the page asks for it first:
    a search by name as you type (`?q=`), each match a link back here with its id."""
    _require_writer(request)
    source = request.POST if request.method == "POST" else request.GET
    raw = (source.get("organization") or "").strip()
    organization = _account_from(request, raw) if raw else None
    organization_problem = ""
    if raw and organization is None:
        organization_problem = (
            f"No account you may see has the number “{raw}”. Find the account by its name instead."
        )
    search = (request.GET.get("q") or "").strip()[:100]
    if request.method == "GET" and organization is None:
        context = {
            "search": search,
            "matches": journeys_selectors.organization_search(user=request.user, query=search),
            "organization_problem": organization_problem,
        }
        return render_page(
            request,
            "cocreation/request_account.html",
            context,
            partial="matches",
            status=400 if organization_problem else 200,
        )
    touchpoint, touchpoint_problem = _touchpoint_from(
        request, (source.get("touchpoint") or "").strip(), organization
    )
    form = RequestForm(
        request.POST if request.method == "POST" else None,
        organization=organization,
        organization_problem=organization_problem,
        touchpoint=touchpoint,
        touchpoint_problem=touchpoint_problem,
        initial={
            "organization": organization.pk if organization else "",
            "touchpoint": touchpoint.pk if touchpoint else "",
            "assignee": request.user.pk
            if roles.Role.SERVICE_DESK_AGENT in roles.roles_of(request.user)
            else None,
            **_initial_from_touchpoint(touchpoint),
        },
    )
    created = form_submitted(
        request,
        form,
        lambda: services.request_open(actor=request.user, organization=organization, **form.service_data()),
    )
    if created:
        clocks = created.clocks.count()
        timing = (
            f"{clocks} clock{'s' if clocks != 1 else ''} started from “{created.agreement.title}”."
            if clocks and created.agreement
            else "No clock runs: the account has no active agreement with response or resolution targets."
        )
        messages.success(request, f"{created.reference} opened for {organization.name}. {timing}")
        return redirect("cocreation:request_detail", pk=created.pk)
    return render_form(
        request,
        FORM_TEMPLATE,
        {
            "form": form,
            "organization": organization,
            "touchpoint": touchpoint,
            "service_request": None,
            "priority_matrix": priority_matrix(),
            "agreement_count": len(form.fields["agreement"].queryset) if organization else 0,
        },
    )


# --- one request ------------------------------------------------------------------------------------

# What each move is called on its button, by the status it leaves and the one it reaches.
MOVE_LABELS = {
    (RequestStatus.NEW, RequestStatus.IN_PROGRESS): "Start work",
    (RequestStatus.WAITING, RequestStatus.IN_PROGRESS): "Customer answered: resume",
    (RequestStatus.RESOLVED, RequestStatus.IN_PROGRESS): "Reopen",
    (RequestStatus.CLOSED, RequestStatus.IN_PROGRESS): "Reopen",
}
MOVE_VERBS = {
    RequestStatus.WAITING: "Wait on the customer",
    RequestStatus.RESOLVED: "Resolve",
    RequestStatus.CLOSED: "Close",
}


def _moves(service_request: ServiceRequest) -> list[dict]:
    """The moves open from the request's status, in the lifecycle's order, each with its button's
    words; resolving asks for the resolution, waiting may say what was asked."""
    current = service_request.status
    return [
        {
            "status": status,
            "label": MOVE_LABELS.get((current, status))
            or MOVE_VERBS.get(status, RequestStatus(status).label),
            "asks_note": status in (RequestStatus.RESOLVED, RequestStatus.WAITING),
            "needs_note": status == RequestStatus.RESOLVED,
        }
        for status in REQUEST_TRANSITIONS.get(current, ())
    ]


def _detail_context(
    request: HttpRequest,
    service_request: ServiceRequest,
    *,
    move_error: str = "",
    move_form: TransitionForm | None = None,
    comment_form: CommentForm | None = None,
) -> dict:
    # Response before resolution, the order they stop in.
    service_request.clock_list = sorted(
        service_request.clock_list, key=lambda clock: clock.kind != ClockKind.RESPONSE
    )
    note_error = ""
    if move_form is not None and move_form.errors.get("note"):
        note_error = move_form.errors["note"][0]
    return {
        "service_request": service_request,
        "organization": service_request.organization,
        "can_change": _may_change(request),
        "moves": _moves(service_request),
        "move_error": move_error,
        "move_to": move_form.data.get("to_status", "") if move_form is not None else "",
        "move_note": move_form.data.get("note", "") if move_form is not None else "",
        "note_error": note_error,
        "comment_form": comment_form or CommentForm(),
    }


@browser_view
@require_GET
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    service_request = selectors.request_get(user=request.user, pk=pk)
    return render(request, DETAIL_TEMPLATE, _detail_context(request, service_request))


@browser_view
@require_http_methods(["GET", "POST"])
def request_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change what the request is about, its priority inputs, requester and assignee (its status moves
    on its page)."""
    service_request = _request_or_404(request, pk)
    _require_writer(request)
    form = RequestEditForm(request.POST if request.method == "POST" else None, request=service_request)
    saved = form_submitted(
        request,
        form,
        lambda: services.request_update(actor=request.user, request=service_request, **form.service_data()),
    )
    if saved:
        messages.success(request, f"{saved.reference} saved.")
        return redirect("cocreation:request_detail", pk=saved.pk)
    return render_form(
        request,
        FORM_TEMPLATE,
        {
            "form": form,
            "organization": service_request.organization,
            "service_request": service_request,
            "priority_matrix": priority_matrix(),
        },
    )


def _summary_response(
    request: HttpRequest, service_request: ServiceRequest, context: dict, *, status: int = 200
) -> HttpResponse:
    """What a move answers: with HTMX the summary and the history regions (the history out of band),
    otherwise the whole page."""
    if wants_fragment(request):
        response = render(request, "cocreation/_request_moved.html", context, status=status)
    else:
        response = render(request, DETAIL_TEMPLATE, context, status=status)
    patch_vary_headers(response, ("HX-Request",))
    return response


@browser_view
@require_POST
def request_transition(request: HttpRequest, pk: int) -> HttpResponse:
    """Move the request one step along its lifecycle; a move that skips a step is refused (409)."""
    service_request = _request_or_404(request, pk)
    _require_writer(request)
    form = TransitionForm(request.POST)
    error, status = "", 400
    if form.is_valid():
        try:
            moved = services.request_transition(
                actor=request.user,
                request=service_request,
                to_status=form.cleaned_data["to_status"],
                note=form.cleaned_data["note"],
            )
        except ApplicationError as refused:
            status = refused.status
            if "note" in refused.fields:
                form.add_error("note", refused.fields["note"][0])
                error = "Nothing changed: " + refused.fields["note"][0]
            else:
                error = refused.message
        else:
            label = RequestStatus(moved.status).label.lower()
            if not wants_fragment(request):
                messages.success(request, f"{moved.reference} is now {label}.")
                return redirect("cocreation:request_detail", pk=moved.pk)
            fresh = selectors.request_get(user=request.user, pk=pk)
            context = _detail_context(request, fresh)
            context["moved_message"] = f"{moved.reference} is now {label}."
            return _summary_response(request, fresh, context)
    else:
        error = next(iter(form.errors.values()))[0]
    current = selectors.request_get(user=request.user, pk=pk)
    context = _detail_context(request, current, move_error=error, move_form=form)
    return _summary_response(request, current, context, status=status)


@browser_view
@require_POST
def request_comment(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a note to the request's history. With HTMX the history region is swapped in place."""
    service_request = _request_or_404(request, pk)
    _require_writer(request)
    form = CommentForm(request.POST)
    added = form_submitted(
        request,
        form,
        lambda: services.request_comment(
            actor=request.user, request=service_request, note=form.cleaned_data["note"]
        ),
    )
    if added and not wants_fragment(request):
        messages.success(request, f"Note added to {service_request.reference}.")
        return redirect("cocreation:request_detail", pk=pk)
    current = selectors.request_get(user=request.user, pk=pk)
    context = _detail_context(request, current, comment_form=None if added else form)
    status = 200 if added else 400
    if wants_fragment(request):
        context["note_added"] = bool(added)
        response = render(request, f"{DETAIL_TEMPLATE}#history", context, status=status)
        patch_vary_headers(response, ("HX-Request",))
        return response
    return render(request, DETAIL_TEMPLATE, context, status=status)
