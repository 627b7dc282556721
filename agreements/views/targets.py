"""Pages of service level targets: adding one to an agreement, changing it, and switching it on or off
(a plain POST from the agreement's page). Each target's own page (/agree/targets/<pk>/, its
measurements and scores) lives with the measurements."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from agreements import selectors, services
from agreements.forms.targets import TargetForm
from agreements.models import AgreementStatus, ServiceLevelTarget
from journeys import roles
from journeys.base import ApplicationError
from journeys.web import browser_view, form_submitted, render_form, require

__all__: list[str] = []

WRITE_REFUSED = "Your role may not change service level targets."
FORM_TEMPLATE = "agreements/target_form.html"


def _targets_of(agreement_pk: int) -> str:
    return reverse("agreements:agreement_detail", args=[agreement_pk]) + "#targets"


def _context(form: TargetForm, agreement, target: ServiceLevelTarget | None) -> dict:
    return {
        "form": form,
        "agreement": agreement,
        "organization": agreement.organization,
        "target": target,
        "is_final": AgreementStatus(agreement.status).is_final,
    }


@browser_view
@require_http_methods(["GET", "POST"])
def target_create(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = selectors.agreement_get(user=request.user, pk=pk)
    require(roles.may_manage_accounts(request.user), WRITE_REFUSED)
    form = TargetForm(request.POST or None, calendars=selectors.target_calendar_choices())
    target = form_submitted(
        request,
        form,
        lambda: services.target_create(actor=request.user, agreement=agreement, **form.service_data()),
    )
    if target:
        messages.success(request, f"Target “{target.name}” added: {target.rule}.")
        return redirect(_targets_of(agreement.pk))
    return render_form(request, FORM_TEMPLATE, _context(form, agreement, None))


@browser_view
@require_http_methods(["GET", "POST"])
def target_edit(request: HttpRequest, pk: int) -> HttpResponse:
    target = selectors.target_get(user=request.user, pk=pk)
    require(roles.may_manage_accounts(request.user), WRITE_REFUSED)
    form = TargetForm(
        request.POST or None,
        calendars=selectors.target_calendar_choices(keep=target.calendar),
        initial=TargetForm.initial_for(target),
    )
    saved = form_submitted(
        request,
        form,
        lambda: services.target_update(actor=request.user, target=target, **form.service_data()),
    )
    if saved:
        messages.success(request, f"Target “{saved.name}” saved: {saved.rule}.")
        return redirect(_targets_of(saved.agreement_id))
    return render_form(request, FORM_TEMPLATE, _context(form, target.agreement, target))


@browser_view
@require_POST
def target_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    """Stop measuring a target, or measure it again (`active` = 1 or 0; without it, the opposite of now)."""
    target = selectors.target_get(user=request.user, pk=pk)
    require(roles.may_manage_accounts(request.user), WRITE_REFUSED)
    wanted = request.POST.get("active")
    active = not target.is_active if wanted not in ("0", "1") else wanted == "1"
    try:
        saved = services.target_set_active(actor=request.user, target=target, active=active)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        state = "measured again" if saved.is_active else "no longer measured; its results so far stay"
        messages.success(request, f"Target “{saved.name}” is {state}.")
    return redirect(_targets_of(target.agreement_id))
