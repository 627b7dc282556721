"""Pages of the business-hours calendars: the list, one calendar (its week, the holidays and closures
ahead, the targets counting time in it, and a calculator for business time), the form with the week's
hours, closures, and deleting. Views read through selectors and write through services.

Every role but the integrator (API only) reads the calendars; relationship managers and
administrators change them. The calculator is a GET form: with HTMX it swaps its result in place,
without it the page reloads with the result.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from agreements import selectors, services
from agreements.business_time import business_deadline, business_seconds, duration_label
from agreements.forms.calendars import BusinessTimeForm, CalendarForm, ClosureForm
from journeys import roles
from journeys.base import ApplicationError
from journeys.htmx import render_page
from journeys.web import browser_view, form_submitted, render_form, require

WRITE_REFUSED = "Your role may not change business-hours calendars."
DETAIL_TEMPLATE = "agreements/calendar_detail.html"
FORM_TEMPLATE = "agreements/calendar_form.html"


def _require_writer(request: HttpRequest) -> None:
    require(roles.may_manage_accounts(request.user), WRITE_REFUSED)


@browser_view
@require_GET
def calendar_list(request: HttpRequest) -> HttpResponse:
    calendars = selectors.calendar_list(user=request.user)
    rows = [(calendar, selectors.hours_summary(calendar)) for calendar in calendars]
    return render(
        request,
        "agreements/calendar_list.html",
        {"rows": rows, "can_manage": roles.may_manage_accounts(request.user)},
    )


def _form_context(form: CalendarForm, calendar) -> dict:
    return {
        "form": form,
        "calendar": calendar,
        "time_zones": services.time_zone_choices(),
        "countries": services.country_choices(),
    }


def _save_calendar(request: HttpRequest, form: CalendarForm, save):
    """Like form_submitted, with the service's errors placed on the week's rows."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return save()
    except ApplicationError as error:
        form.apply_error(error)
        return None


@browser_view
@require_http_methods(["GET", "POST"])
def calendar_create(request: HttpRequest) -> HttpResponse:
    _require_writer(request)
    form = CalendarForm(request.POST or None)
    calendar = _save_calendar(
        request, form, lambda: services.calendar_create(actor=request.user, **form.service_data())
    )
    if calendar:
        messages.success(request, f"Calendar “{calendar.name}” created.")
        return redirect("agreements:calendar_detail", pk=calendar.pk)
    return render_form(request, FORM_TEMPLATE, _form_context(form, None))


@browser_view
@require_http_methods(["GET", "POST"])
def calendar_edit(request: HttpRequest, pk: int) -> HttpResponse:
    calendar = selectors.calendar_get(user=request.user, pk=pk)
    _require_writer(request)
    form = CalendarForm(request.POST or None, calendar=calendar)
    saved = _save_calendar(
        request,
        form,
        lambda: services.calendar_update(actor=request.user, calendar=calendar, **form.service_data()),
    )
    if saved:
        messages.success(request, f"Calendar “{saved.name}” saved.")
        return redirect("agreements:calendar_detail", pk=saved.pk)
    return render_form(request, FORM_TEMPLATE, _form_context(form, calendar))


def _agreement_url(agreement_pk: int) -> str | None:
    # The agreement page arrives with the agreements' own views; until its URL exists the target's
    # agreement is named without a link.
    try:
        return reverse("agreements:agreement_detail", args=[agreement_pk])
    except NoReverseMatch:
        return None


def _calculation(form: BusinessTimeForm, schedule) -> dict | None:
    """The calculator's answer, or None when it was not asked (or the input is wrong)."""
    if not form.is_bound or not form.is_valid():
        return None
    data = form.cleaned_data
    pauses = form.pauses()
    try:
        seconds = business_seconds(schedule, data["start"], data["end"], pauses=pauses)
    except ValueError as error:
        form.add_error(None, str(error))
        return None
    result = {
        "seconds": seconds,
        "label": duration_label(seconds),
        "hours": None,
        "deadline": None,
        "deadline_label": "",
    }
    if data.get("hours") is not None:
        result["hours"] = data["hours"]
        try:
            deadline = business_deadline(schedule, data["start"], data["hours"] * 3600, pauses=pauses)
        except ValueError as error:
            result["deadline_label"] = str(error)
        else:
            if deadline is None:
                result["deadline_label"] = "None while the pause lasts: a paused clock has no deadline."
            else:
                # Formatted here: a template would show an aware moment in the site's zone.
                local = deadline.astimezone(schedule.zone)
                result["deadline"] = local
                result["deadline_text"] = f"{local:%a} {local.day} {local:%b %Y, %H:%M}"
    return result


@browser_view
@require_GET
def calendar_detail(request: HttpRequest, pk: int) -> HttpResponse:
    calendar = selectors.calendar_get(user=request.user, pk=pk)
    page = selectors.calendar_page(user=request.user, calendar=calendar, today=timezone.localdate())
    asked = any(request.GET.get(name) for name in ("start", "end"))
    form = BusinessTimeForm(request.GET if asked else None, zone=page.schedule.zone)
    context = {
        "calendar": calendar,
        "page": page,
        "form": form,
        "result": _calculation(form, page.schedule),
        "targets": [(target, _agreement_url(target.agreement_id)) for target in page.targets],
        "can_manage": roles.may_manage_accounts(request.user),
    }
    return render_page(request, DETAIL_TEMPLATE, context, partial="calculator")


@browser_view
@require_http_methods(["GET", "POST"])
def calendar_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks for confirmation (or says why it cannot be deleted); POST deletes."""
    calendar = selectors.calendar_get(user=request.user, pk=pk)
    _require_writer(request)
    refusal = ""
    if request.method == "POST":
        try:
            services.calendar_delete(actor=request.user, calendar=calendar)
        except ApplicationError as error:
            refusal = error.message
        else:
            messages.success(request, f"Calendar “{calendar.name}” deleted.")
            return redirect("agreements:calendar_list")
    status = 409 if refusal else 200
    return render(
        request,
        "agreements/calendar_confirm_delete.html",
        {"calendar": calendar, "refusal": refusal},
        status=status,
    )


@browser_view
@require_http_methods(["GET", "POST"])
def calendar_closure_create(request: HttpRequest, pk: int) -> HttpResponse:
    calendar = selectors.calendar_get(user=request.user, pk=pk)
    _require_writer(request)
    form = ClosureForm(request.POST or None)
    closure = form_submitted(
        request,
        form,
        lambda: services.calendar_closure_add(actor=request.user, calendar=calendar, **form.cleaned_data),
    )
    if closure:
        messages.success(request, f"“{calendar.name}” is closed on {closure.date:%d %B %Y} ({closure.name}).")
        return redirect("agreements:calendar_detail", pk=calendar.pk)
    return render_form(request, "agreements/calendar_closure_form.html", {"form": form, "calendar": calendar})


@browser_view
@require_http_methods(["GET", "POST"])
def calendar_closure_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks for confirmation; POST removes the closure."""
    closure = selectors.closure_get(user=request.user, pk=pk)
    _require_writer(request)
    if request.method == "POST":
        services.calendar_closure_remove(actor=request.user, closure=closure)
        messages.success(request, f"The closure on {closure.date:%d %B %Y} is removed.")
        return redirect("agreements:calendar_detail", pk=closure.calendar_id)
    return render(request, "agreements/calendar_closure_confirm_delete.html", {"closure": closure})
