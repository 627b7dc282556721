"""Pages of a service level target and its measurements: the target's page (its rule, its status per
period, its measurements, an inline form to add one), the form to add a measurement on a page of its
own, deleting and excluding one, and importing an agreement's measurements from a CSV file (with the
template to fill in).

The target's page has one swappable region (`measurements`), which its "older/newer" links replace
with HTMX; without HTMX they load the whole page. Forms post plainly and redirect back to the target.
"""

from __future__ import annotations

import csv

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from agreements import selectors, services
from agreements.forms.measurements import MeasurementExcludeForm, MeasurementForm, MeasurementImportForm
from agreements.services.measurements import (
    IMPORT_COLUMNS,
    MAX_IMPORT_BYTES,
    MAX_IMPORT_ROWS,
    MEASURABLE_STATUSES,
    target_zone,
)
from journeys import roles
from journeys.base import ApplicationError
from journeys.forms import apply_error
from journeys.htmx import render_page
from journeys.web import browser_view, form_submitted, render_form, require

WRITE_REFUSED = "Your role may not record measurements."
TARGET_TEMPLATE = "agreements/target_detail.html"
FORM_TEMPLATE = "agreements/measurement_form.html"
IMPORT_TEMPLATE = "agreements/measurement_import.html"
# The template's extra columns, there to help whoever fills it in; the import ignores them quietly.
TEMPLATE_HELP_COLUMNS = ("target_name", "rule")


def _target_url(target_pk: int) -> str:
    return reverse("agreements:target_detail", args=[target_pk]) + "#measurements"


def _measurable(target) -> bool:
    return target.is_active and target.agreement.status in MEASURABLE_STATUSES


@browser_view
@require_GET
def target_detail(request: HttpRequest, pk: int) -> HttpResponse:
    page = selectors.target_page(user=request.user, target=pk)
    target = page.target
    can_manage = roles.may_manage_accounts(request.user)
    context = {
        "page": page,
        "target": target,
        "agreement": target.agreement,
        "organization": target.agreement.organization,
        "measurements": selectors.measurement_list(
            user=request.user, target=target, page=request.GET.get("page")
        ),
        "can_manage": can_manage,
        "can_record": can_manage and _measurable(target),
        "form": MeasurementForm(zone=target_zone(target)),
    }
    return render_page(request, TARGET_TEMPLATE, context, partial="measurements")


@browser_view
@require_http_methods(["GET", "POST"])
def measurement_create(request: HttpRequest, pk: int) -> HttpResponse:
    target = selectors.measurable_target_get(user=request.user, pk=pk)
    require(roles.may_manage_accounts(request.user), WRITE_REFUSED)
    form = MeasurementForm(request.POST if request.method == "POST" else None, zone=target_zone(target))
    saved = form_submitted(
        request,
        form,
        lambda: services.measurement_record(actor=request.user, target=target, **form.service_data()),
    )
    if saved:
        measurement, _status = saved
        messages.success(
            request,
            f"Measurement of {format(measurement.value.normalize(), 'f')} recorded; compliance is being "
            "recomputed.",
        )
        return redirect(_target_url(target.pk))
    return render_form(
        request,
        FORM_TEMPLATE,
        {
            "form": form,
            "target": target,
            "agreement": target.agreement,
            "organization": target.agreement.organization,
            "measurable": _measurable(target),
        },
    )


@browser_view
@require_http_methods(["GET", "POST"])
def measurement_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks for confirmation; POST deletes."""
    measurement = selectors.measurement_get(user=request.user, pk=pk)
    require(roles.may_manage_accounts(request.user), WRITE_REFUSED)
    target = measurement.target
    if request.method == "POST":
        services.measurement_delete(actor=request.user, measurement=measurement)
        messages.success(request, "Measurement deleted; compliance is being recomputed.")
        return redirect(_target_url(target.pk))
    return render(
        request,
        "agreements/measurement_confirm_delete.html",
        {
            "measurement": measurement,
            "target": target,
            "time_zone": target_zone(target).key,
            "agreement": target.agreement,
            "organization": target.agreement.organization,
        },
    )


@browser_view
@require_http_methods(["GET", "POST"])
def measurement_exclude(request: HttpRequest, pk: int) -> HttpResponse:
    """Exclude a measurement from compliance (with the reason), or count it again."""
    measurement = selectors.measurement_get(user=request.user, pk=pk)
    require(roles.may_manage_accounts(request.user), WRITE_REFUSED)
    target = measurement.target
    excluding = not measurement.excluded
    form = MeasurementExcludeForm(
        request.POST if request.method == "POST" else None, initial={"note": measurement.note}
    )
    saved = form_submitted(
        request,
        form,
        lambda: services.measurement_set_excluded(
            actor=request.user, measurement=measurement, excluded=excluding, note=form.cleaned_data["note"]
        ),
    )
    if saved:
        done = "excluded from compliance" if saved.excluded else "counted again"
        messages.success(request, f"Measurement {done}; compliance is being recomputed.")
        return redirect(_target_url(target.pk))
    return render_form(
        request,
        "agreements/measurement_exclude.html",
        {
            "form": form,
            "measurement": measurement,
            "excluding": excluding,
            "target": target,
            "time_zone": target_zone(target).key,
            "agreement": target.agreement,
            "organization": target.agreement.organization,
        },
    )


# --- importing --------------------------------------------------------------------------------------


def _import_context(agreement, form, result=None) -> dict:
    return {
        "form": form,
        "agreement": agreement,
        "organization": agreement.organization,
        "result": result,
        "columns": IMPORT_COLUMNS,
        "max_rows": MAX_IMPORT_ROWS,
        "max_megabytes": MAX_IMPORT_BYTES // 1024 // 1024,
        "measurable": agreement.status in MEASURABLE_STATUSES,
    }


@browser_view
@require_http_methods(["GET", "POST"])
def measurement_import(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the upload form and what the file must hold. POST: the import, all or nothing: with any bad
    row the page lists each (row and column) and nothing is saved (400); otherwise back to the
    agreement with what was stored."""
    agreement = selectors.measurable_agreement_get(user=request.user, pk=pk)
    require(roles.may_manage_accounts(request.user), WRITE_REFUSED)
    form = MeasurementImportForm(request.POST if request.method == "POST" else None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = services.measurements_import(
                actor=request.user, agreement=agreement, csv_file=form.cleaned_data["csv_file"]
            )
        except ApplicationError as error:
            apply_error(form, error)
        else:
            if result.saved:
                messages.success(request, _import_summary(result))
                return redirect("agreements:agreement_detail", pk=agreement.pk)
    status = 400 if form.errors or (result and result.errors) else 200
    return render(request, IMPORT_TEMPLATE, _import_context(agreement, form, result), status=status)


def _import_summary(result) -> str:
    summary = (
        f"Imported {result.total} measurement{'s' if result.total != 1 else ''}: {result.created} new, "
        f"{result.updated} changed, {result.unchanged} already there."
    )
    if result.skipped:
        summary += (
            f" {result.skipped} row{'s' if result.skipped != 1 else ''} without a moment and value skipped."
        )
    ignored = [name for name in result.ignored_columns if name not in TEMPLATE_HELP_COLUMNS]
    if ignored:
        summary += f" Columns ignored: {', '.join(ignored)}."
    if result.created or result.updated:
        summary += " Compliance is being recomputed."
    return summary


@browser_view
@require_GET
def measurement_import_template(request: HttpRequest, pk: int) -> HttpResponse:
    """A CSV to fill in: the import's columns and one row per active target of the agreement, with its
    name and rule beside its id (columns the import ignores). UTF-8 with a byte order mark, so
    spreadsheets open its ≥ and ≤ signs correctly."""
    agreement = selectors.measurable_agreement_get(user=request.user, pk=pk)
    targets = agreement.targets.filter(is_active=True).order_by("position", "pk")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="measurements-agreement-{agreement.pk}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(["target", *TEMPLATE_HELP_COLUMNS, *IMPORT_COLUMNS[1:]])
    for target in targets:
        writer.writerow([target.pk, target.name, target.rule, "", "", "", "", ""])
    return response
