"""Pages of onboarding playbooks: the list, the playbook form, and one playbook with its template
actions in dependency order, their timeline, and their inline adds, edits, moves and removals.

The actions region is a template partial that HTMX replaces after each change; without HTMX the same
forms post normally and redirect back (or, when refused, show the whole page with a 400). HTMX swaps
only successful answers, so there a refused change comes back as the region with its errors and a 200.
"""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from journeys import roles
from journeys.base import ApplicationError
from journeys.forms import apply_error
from journeys.htmx import render_page, wants_fragment
from journeys.web import browser_view, form_submitted, render_form, require
from offerings import selectors, services
from offerings.forms.catalogue import MoveForm
from offerings.forms.playbooks import PlaybookActionForm, PlaybookForm
from offerings.playbook_timeline import playbook_timeline_chart

WRITE_REFUSED = "Your role may not change onboarding playbooks."
DETAIL_TEMPLATE = "offerings/playbook_detail.html"
LIST_PAGE_SIZE = 50


def _require_writer(request: HttpRequest) -> None:
    require(roles.may_manage_accounts(request.user), WRITE_REFUSED)


@browser_view
@require_GET
def playbook_list(request: HttpRequest) -> HttpResponse:
    """Every offering's playbooks, by service and offering."""
    page = Paginator(selectors.playbook_list(user=request.user), LIST_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render_page(
        request,
        "offerings/playbook_list.html",
        {"page": page, "can_manage": roles.may_manage_accounts(request.user)},
        partial="results",
    )


@browser_view
@require_http_methods(["GET", "POST"])
def playbook_create(request: HttpRequest, pk: int) -> HttpResponse:
    offering = selectors.offering_get(user=request.user, pk=pk)
    _require_writer(request)
    form = PlaybookForm(request.POST or None)
    playbook = form_submitted(
        request,
        form,
        lambda: services.playbook_create(actor=request.user, offering=offering, **form.cleaned_data),
    )
    if playbook:
        messages.success(request, f"Playbook “{playbook.name}” created: add its actions.")
        return redirect("offerings:playbook_detail", pk=playbook.pk)
    return render_form(
        request, "offerings/playbook_form.html", {"form": form, "offering": offering, "playbook": None}
    )


@browser_view
@require_http_methods(["GET", "POST"])
def playbook_edit(request: HttpRequest, pk: int) -> HttpResponse:
    playbook = selectors.playbook_get(user=request.user, pk=pk)
    _require_writer(request)
    form = PlaybookForm(request.POST or None, initial=PlaybookForm.initial_for(playbook))
    saved = form_submitted(
        request,
        form,
        lambda: services.playbook_update(actor=request.user, playbook=playbook, **form.cleaned_data),
    )
    if saved:
        messages.success(request, f"Playbook “{saved.name}” saved.")
        return redirect("offerings:playbook_detail", pk=saved.pk)
    return render_form(
        request,
        "offerings/playbook_form.html",
        {"form": form, "offering": playbook.offering, "playbook": playbook},
    )


@browser_view
@require_POST
def playbook_delete(request: HttpRequest, pk: int) -> HttpResponse:
    playbook = selectors.playbook_get(user=request.user, pk=pk)
    _require_writer(request)
    services.playbook_delete(actor=request.user, playbook=playbook)
    messages.success(request, f"Playbook “{playbook.name}” deleted.")
    return redirect(f"{reverse('offerings:offering_detail', args=[playbook.offering_id])}#playbooks")


# --- one playbook and its actions -----------------------------------------------------------------


def _action_form(*args, steps, exclude=None, **kwargs) -> PlaybookActionForm:
    """An action form whose "waits for" choices are the playbook's other actions, in dependency
    order."""
    candidates = [step.action for step in steps if exclude is None or step.action.pk != exclude.pk]
    return PlaybookActionForm(*args, candidates=candidates, **kwargs)


def _error_messages(form: forms.Form) -> list[str]:
    return [
        f"{form.fields[name].label or name.capitalize()}: {message}" if name in form.fields else message
        for name, errors in form.errors.items()
        for message in errors
    ]


def _detail(
    request: HttpRequest,
    playbook,
    *,
    add_form: PlaybookActionForm | None = None,
    editing=None,
    edit_form: PlaybookActionForm | None = None,
    errors: list[str] | None = None,
    notice: str = "",
    status: int = 200,
) -> HttpResponse:
    can_manage = roles.may_manage_accounts(request.user)
    timeline = selectors.playbook_timeline(user=request.user, playbook=playbook)
    if can_manage and add_form is None:
        add_form = _action_form(steps=timeline.steps, auto_id="id_add_%s")
    failed = next((form for form in (add_form, edit_form) if form is not None and form.errors), None)
    context = {
        "playbook": playbook,
        "offering": playbook.offering,
        "timeline": timeline,
        "chart": playbook_timeline_chart(timeline),
        "can_manage": can_manage,
        "add_form": add_form if can_manage else None,
        "editing": editing,
        "edit_form": edit_form,
        "errors": errors if errors is not None else (_error_messages(failed) if failed else []),
        "notice": notice,
    }
    return render_page(request, DETAIL_TEMPLATE, context, partial="actions", status=status)


@browser_view
@require_GET
def playbook_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.playbook_get(user=request.user, pk=pk))


def _saved(form: forms.Form, save: Callable) -> bool:
    if not form.is_valid():
        return False
    try:
        save()
    except ApplicationError as error:
        apply_error(form, error)
        return False
    return True


def _answer(request: HttpRequest, page: Callable[..., HttpResponse], playbook, *, notice: str, failed: bool):
    """After a write: the actions region again for HTMX (with a notice, or the errors), otherwise a
    redirect back to the playbook or, when the write was refused, the whole page with a 400."""
    if failed:
        return page(status=200 if wants_fragment(request) else 400)
    if wants_fragment(request):
        return page(notice=notice)
    messages.success(request, notice)
    return redirect(f"{reverse('offerings:playbook_detail', args=[playbook.pk])}#actions")


@browser_view
@require_POST
def playbook_action_add(request: HttpRequest, pk: int) -> HttpResponse:
    playbook = selectors.playbook_get(user=request.user, pk=pk)
    _require_writer(request)
    steps = selectors.playbook_actions_in_order(user=request.user, playbook=playbook)
    form = _action_form(request.POST, steps=steps, auto_id="id_add_%s")
    ok = _saved(
        form,
        lambda: services.playbook_action_add(actor=request.user, playbook=playbook, **form.service_data()),
    )
    return _answer(
        request,
        lambda **extra: _detail(request, playbook, add_form=None if ok else form, **extra),
        playbook,
        notice=f"“{form.cleaned_data.get('title', '')}” added." if ok else "",
        failed=not ok,
    )


@browser_view
@require_http_methods(["GET", "POST"])
def playbook_action_edit(request: HttpRequest, pk: int, action_pk: int) -> HttpResponse:
    """The playbook with one action open for editing (GET), or the change itself (POST)."""
    playbook = selectors.playbook_get(user=request.user, pk=pk)
    action = selectors.playbook_action_get(user=request.user, pk=action_pk, playbook=playbook)
    _require_writer(request)
    steps = selectors.playbook_actions_in_order(user=request.user, playbook=playbook)
    auto_id = f"id_action_{action.pk}_%s"
    if request.method == "GET":
        current = next(step for step in steps if step.action.pk == action.pk)
        form = _action_form(
            steps=steps,
            exclude=action,
            initial=PlaybookActionForm.initial_for(action, current.prerequisites),
            auto_id=auto_id,
        )
        form.fields["title"].widget.attrs["autofocus"] = True
        return _detail(request, playbook, editing=action, edit_form=form)
    form = _action_form(request.POST, steps=steps, exclude=action, auto_id=auto_id)
    ok = _saved(
        form,
        lambda: services.playbook_action_update(actor=request.user, action=action, **form.service_data()),
    )
    return _answer(
        request,
        lambda **extra: _detail(
            request, playbook, editing=None if ok else action, edit_form=None if ok else form, **extra
        ),
        playbook,
        notice="Action saved.",
        failed=not ok,
    )


@browser_view
@require_POST
def playbook_action_move(request: HttpRequest, pk: int, action_pk: int) -> HttpResponse:
    playbook = selectors.playbook_get(user=request.user, pk=pk)
    action = selectors.playbook_action_get(user=request.user, pk=action_pk, playbook=playbook)
    _require_writer(request)
    form = MoveForm(request.POST)
    errors: list[str] = []
    if form.is_valid():
        try:
            services.playbook_action_move(
                actor=request.user, action=action, direction=form.cleaned_data["direction"]
            )
        except ApplicationError as error:
            errors = [error.message]
    else:
        errors = ["Move an action up or down."]
    return _answer(
        request,
        lambda **extra: _detail(request, playbook, errors=errors, **extra),
        playbook,
        notice=f"“{action.title}” moved.",
        failed=bool(errors),
    )


@browser_view
@require_POST
def playbook_action_remove(request: HttpRequest, pk: int, action_pk: int) -> HttpResponse:
    playbook = selectors.playbook_get(user=request.user, pk=pk)
    action = selectors.playbook_action_get(user=request.user, pk=action_pk, playbook=playbook)
    _require_writer(request)
    services.playbook_action_remove(actor=request.user, action=action)
    return _answer(
        request,
        lambda **extra: _detail(request, playbook, **extra),
        playbook,
        notice=f"“{action.title}” removed.",
        failed=False,
    )
