"""The service desk console (/co-create/desk/): find the caller as you type, pick them with the
keyboard, see their account's context, log the touchpoint, next caller.

Every region is a partial of one page template. With HTMX, typing asks for the matches alone, picking
one answers the context panel with the form filled in (out of band), and saving answers a fresh form
with the agent's list, the panel's latest touchpoints and the announcement out of band; a refused
form answers 400 with the form and its errors (static/js/console.js lets HTMX swap it). Without
JavaScript each match is a link to the page with that caller picked, and the form posts and comes
back to it.

One rendered form logs one touchpoint: it carries a one-time token, stored with the touchpoint's id as
an idempotency key in the same transaction, so the same form posted twice (Enter pressed twice, a
resent request) answers the first result instead of logging again.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET, require_POST

from cocreation import selectors
from cocreation import services as cocreation_services
from cocreation.forms.console import ConsoleTouchpointForm, new_submission_token
from journeys import roles
from journeys.base import ApplicationError
from journeys.forms import apply_error
from journeys.htmx import render_page, wants_fragment
from journeys.models import Channel, Touchpoint, TouchpointKind
from journeys.web import browser_view, require

__all__ = ["console", "console_log", "console_panel"]

TEMPLATE = "cocreation/console.html"
PICKED_TEMPLATE = "cocreation/_console_picked.html"
LOGGED_TEMPLATE = "cocreation/_console_logged.html"
# The idempotency keys of the console's forms, apart from the API's (journeys.idempotency).
LOGGED_EVENT = "console-logged"


def _choice(value: str | None, choices) -> str | None:
    return value if value in choices.values else None


def _person_key(value, people) -> str:
    value = str(value or "")
    return value if any(str(person.pk) == value for person in people) else ""


def _fresh_form(
    *, organization, people, person=None, channel: str | None = None, kind: str | None = None
) -> ConsoleTouchpointForm:
    """An empty form for the next touchpoint: a new token, the caller (if picked), the account's
    current step preselected, neutral sentiment; channel and kind as given (the agent's last ones)."""
    form = ConsoleTouchpointForm(
        people=people,
        initial={
            "token": new_submission_token(),
            "organization": organization.pk if organization is not None else None,
            "person": _person_key(person, people),
            "channel": channel or Channel.TELEPHONE,
            "kind": kind or TouchpointKind.QUERY,
            "step": selectors.console_default_step(organization),
            "sentiment": 0,
        },
    )
    _mark_current_step(form, organization)
    return form


def _mark_current_step(form: ConsoleTouchpointForm, organization) -> None:
    """Say which step is the account's current one in the step list."""
    current = selectors.console_default_step(organization)
    if current:
        form.fields["step"].choices = [
            (value, f"{label} (current)" if value == current else label)
            for value, label in form.fields["step"].choices
        ]


def _page(
    request: HttpRequest,
    *,
    organization=None,
    person=None,
    query: str = "",
    form: ConsoleTouchpointForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    can_log = roles.may_log_touchpoints(user)
    panel = (
        selectors.console_panel(user=user, organization=organization) if organization is not None else None
    )
    if can_log and form is None:
        form = _fresh_form(
            organization=organization,
            people=panel.people if panel else [],
            person=person,
            channel=_choice(request.GET.get("channel"), Channel),
            kind=_choice(request.GET.get("kind"), TouchpointKind),
        )
    context = {
        "query": query,
        "matches": selectors.console_search(user=user, query=query) if query else [],
        "panel": panel,
        "caller": organization,
        "form": form,
        "can_log": can_log,
        "recent": selectors.console_recent(user=user),
    }
    response = render(request, TEMPLATE, context, status=status)
    patch_vary_headers(response, ("HX-Request",))
    return response


@browser_view
@require_GET
def console(request: HttpRequest) -> HttpResponse:
    """The console; `q` lists the matches (alone for HTMX), `organization` (and `person`) picks the
    caller."""
    query = request.GET.get("q", "").strip()[:100]
    if wants_fragment(request):
        context = {"query": query, "matches": selectors.console_search(user=request.user, query=query)}
        return render_page(request, TEMPLATE, context, partial="results")
    organization = None
    if request.GET.get("organization"):
        organization = selectors.console_account(user=request.user, pk=request.GET["organization"])
        if organization is None:
            raise Http404("No such organization.")
    return _page(request, organization=organization, person=request.GET.get("person"), query=query)


@browser_view
@require_GET
def console_panel(request: HttpRequest, pk: int) -> HttpResponse:
    """The caller's account picked: for HTMX the context panel, with the form filled in for the
    caller and the matches closed (out of band); otherwise the whole console with the caller picked."""
    organization = selectors.console_account(user=request.user, pk=pk)
    if organization is None:
        raise Http404("No such organization.")
    person = request.GET.get("person")
    if not wants_fragment(request):
        return _page(request, organization=organization, person=person)
    panel = selectors.console_panel(user=request.user, organization=organization)
    can_log = roles.may_log_touchpoints(request.user)
    picked = next((someone for someone in panel.people if str(someone.pk) == str(person or "")), None)
    # Channel and kind stay as the agent left them in the form the pick replaces (hx-include).
    form = (
        _fresh_form(
            organization=organization,
            people=panel.people,
            person=picked.pk if picked else None,
            channel=_choice(request.GET.get("channel"), Channel),
            kind=_choice(request.GET.get("kind"), TouchpointKind),
        )
        if can_log
        else None
    )
    caller = f"{picked.name}, {organization.name}" if picked else organization.name
    response = render(
        request,
        PICKED_TEMPLATE,
        {
            "panel": panel,
            "caller": organization,
            "form": form,
            "can_log": can_log,
            "status_message": f"Caller: {caller}.",
        },
    )
    patch_vary_headers(response, ("HX-Request",))
    return response


def _log_once(*, user, form: ConsoleTouchpointForm, organization) -> tuple[Touchpoint, bool]:
    return cocreation_services.console_touchpoint_log(
        actor=user,
        token=form.cleaned_data["token"],
        fingerprint=form.fingerprint(),
        organization=organization,
        journey=selectors.console_journey(organization=organization),
        **form.service_data(),
    )


def _apply_service_error(form: ConsoleTouchpointForm, error: ApplicationError) -> None:
    """The service names the person `stakeholder`; the form calls it `person`."""
    fields = {("person" if name == "stakeholder" else name): texts for name, texts in error.fields.items()}
    apply_error(form, ApplicationError(error.message, code=error.code, fields=fields, status=error.status))


def _logged_message(touchpoint: Touchpoint, replayed: bool) -> str:
    person = f", {touchpoint.stakeholder.name}" if touchpoint.stakeholder_id else ""
    message = (
        f"Logged: {touchpoint.get_kind_display()} ({touchpoint.get_channel_display()}) "
        f"for {touchpoint.organization.name}{person}."
    )
    return f"{message} (It was saved already; nothing was logged twice.)" if replayed else message


@browser_view
@require_POST
def console_log(request: HttpRequest) -> HttpResponse:
    """Log the touchpoint of the console's form. HTMX: a fresh form (for the same caller, with the same
    channel and kind), the agent's list and the announcement; 400 with the form's errors when refused.
    Without HTMX: back to the console (PRG), or the console with the errors (400)."""
    require(roles.may_log_touchpoints(request.user), "Your role may not log touchpoints.")
    user = request.user
    organization = selectors.console_account(user=user, pk=request.POST.get("organization"))
    people = selectors.console_people(organization=organization)
    form = ConsoleTouchpointForm(request.POST, people=people)
    logged = None
    if form.is_valid() and organization is not None:
        try:
            logged = _log_once(user=user, form=form, organization=organization)
        except ApplicationError as error:
            _apply_service_error(form, error)
    if organization is None and "organization" not in form.errors:
        form.add_error(
            "organization",
            "No organization you may see has this number: find the caller above and pick them again.",
        )
    if logged is None:
        _mark_current_step(form, organization)
        if wants_fragment(request):
            response = render(
                request,
                f"{TEMPLATE}#form",
                {"form": form, "caller": organization, "can_log": True},
                status=400,
            )
            patch_vary_headers(response, ("HX-Request",))
            return response
        return _page(request, organization=organization, form=form, status=400)
    touchpoint, replayed = logged
    message = _logged_message(touchpoint, replayed)
    channel, kind = touchpoint.channel, touchpoint.kind
    if not wants_fragment(request):
        messages.success(request, message)
        query = {"organization": organization.pk, "channel": channel, "kind": kind}
        if touchpoint.stakeholder_id:
            query["person"] = touchpoint.stakeholder_id
        return redirect(f"{reverse('cocreation:console')}?{urlencode(query)}")
    form = _fresh_form(
        organization=organization, people=people, person=touchpoint.stakeholder_id, channel=channel, kind=kind
    )
    response = render(
        request,
        LOGGED_TEMPLATE,
        {
            "form": form,
            "caller": organization,
            "can_log": True,
            "recent": selectors.console_recent(user=user),
            "panel_touchpoints": selectors.console_account_touchpoints(user=user, organization=organization),
            "status_message": message,
            # The announcement offers to open a request, or record feedback, from what was logged.
            "logged": touchpoint,
        },
    )
    response["HX-Trigger-After-Settle"] = LOGGED_EVENT
    patch_vary_headers(response, ("HX-Request",))
    return response
