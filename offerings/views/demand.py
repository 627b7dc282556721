"""Pages of an offering's patterns of business activity: the demand profile (computed from touchpoints
or entered by hand) as a heat map of days × hours with month bars and the peak windows; the form that
enters the volumes; recomputing, describing and removing a profile.

The switch between the computed and the entered profile, and the recompute, swap the page's `profile`
region with HTMX and work as plain links and forms without it. A refused write comes back to HTMX with
a 200 and the errors in the region, to a plain form with a 400. Reads go through selectors, writes
through services.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from journeys import roles
from journeys.base import ApplicationError
from journeys.htmx import render_page, wants_fragment
from journeys.web import browser_view, require
from offerings import charts
from offerings.forms.demand import DemandDescriptionForm, DemandEntryForm, DemandRecomputeForm
from offerings.models import DemandProfileSource, ServiceOffering
from offerings.selectors import catalogue as catalogue_selectors
from offerings.selectors import demand as selectors
from offerings.services import demand as services

PAGE_TEMPLATE = "offerings/demand_profile.html"
ENTRY_TEMPLATE = "offerings/demand_profile_form.html"
WRITE_REFUSED = "Your role may not change demand profiles."


def _offering(request: HttpRequest, pk: int) -> ServiceOffering:
    return catalogue_selectors.offering_get(user=request.user, pk=pk)


def _require_writer(request: HttpRequest) -> None:
    require(roles.may_manage_accounts(request.user), WRITE_REFUSED)


def _source(value: str | None) -> str:
    if value not in DemandProfileSource.values:
        raise Http404("No such kind of demand profile.")
    return value


def _page_url(offering: ServiceOffering, source: str | None = None) -> str:
    url = reverse("offerings:demand_profile", args=[offering.pk])
    return f"{url}?source={source}" if source else url


def _saved(form, save) -> bool:
    """Run a service for a valid form; its ApplicationError lands on the form's fields (or above them)."""
    if not form.is_valid():
        return False
    try:
        save()
    except ApplicationError as error:
        for field, texts in error.fields.items():
            for text in texts:
                form.add_error(field if field in form.fields else None, text)
        if not error.fields:
            form.add_error(None, error.message)
        return False
    return True


def _page(
    request: HttpRequest,
    offering: ServiceOffering,
    *,
    source: str | None = None,
    recompute_form: DemandRecomputeForm | None = None,
    description_form: DemandDescriptionForm | None = None,
    notice: str = "",
    status: int = 200,
) -> HttpResponse:
    page = selectors.demand_page(user=request.user, offering=offering, source=source)
    view = page.view
    can_manage = roles.may_manage_accounts(request.user)
    context = {
        "offering": offering,
        "page": page,
        "view": view,
        "can_manage": can_manage,
        "notice": notice,
        "sources": [
            (value, label, value in page.profiles, value == page.source)
            for value, label in DemandProfileSource.choices
        ],
        "peak_factor": selectors.PEAK_FACTOR,
    }
    if can_manage:
        context["recompute_form"] = recompute_form or DemandRecomputeForm()
        if view is not None:
            context["description_form"] = description_form or DemandDescriptionForm(
                initial=DemandDescriptionForm.initial_for(view.profile)
            )
    if view is not None:
        heat = view.heat_map
        context["heat_map"] = charts.heat_map(
            heat.matrix,
            peak_cells=set(heat.peaks),
            day_totals=view.days.volumes,
            hour_totals=view.hours.volumes,
            caption=(
                "Estimated workload by day of the week and hour of the day"
                if heat.estimated
                else "Touchpoints by day of the week and hour of the day"
            ),
            unit="" if heat.estimated else "touchpoints",
        )
        context["month_bars"] = charts.month_bars(
            view.months.volumes,
            peaks=set(view.months.peaks),
            unit="" if not view.is_computed else "touchpoints",
        )
    failed = next(
        (form for form in (recompute_form, description_form) if form is not None and form.errors), None
    )
    context["errors"] = [text for texts in failed.errors.values() for text in texts] if failed else []
    return render_page(request, PAGE_TEMPLATE, context, partial="profile", status=status)


@browser_view
@require_GET
def demand_profile(request: HttpRequest, pk: int) -> HttpResponse:
    """The offering's pattern of business activity, computed or entered (`?source=`)."""
    return _page(request, _offering(request, pk), source=request.GET.get("source"))


def _answer(
    request: HttpRequest, offering: ServiceOffering, source: str, notice: str, **failed
) -> HttpResponse:
    refused = any(form is not None and form.errors for form in failed.values())
    if refused:
        return _page(
            request, offering, source=source, status=200 if wants_fragment(request) else 400, **failed
        )
    if wants_fragment(request):
        return _page(request, offering, source=source, notice=notice)
    messages.success(request, notice)
    return redirect(_page_url(offering, source))


@browser_view
@require_POST
def demand_profile_recompute(request: HttpRequest, pk: int) -> HttpResponse:
    offering = _offering(request, pk)
    _require_writer(request)
    form = DemandRecomputeForm(request.POST)
    _saved(
        form,
        lambda: services.demand_profile_request_recompute(
            actor=request.user, offering=offering, **form.cleaned_data
        ),
    )
    return _answer(
        request,
        offering,
        DemandProfileSource.COMPUTED,
        "The demand profile is being counted from the touchpoints; it shows here as soon as it is done.",
        recompute_form=form,
    )


@browser_view
@require_POST
def demand_profile_describe(request: HttpRequest, pk: int, source: str) -> HttpResponse:
    offering = _offering(request, pk)
    _require_writer(request)
    source = _source(source)
    profile = selectors.demand_profiles_for_offering(offering=offering).get(source)
    if profile is None:
        raise Http404("This offering has no such profile yet.")
    form = DemandDescriptionForm(request.POST)
    _saved(
        form,
        lambda: services.demand_profile_describe(actor=request.user, profile=profile, **form.cleaned_data),
    )
    return _answer(
        request, offering, source, "The description of the profile is saved.", description_form=form
    )


@browser_view
@require_POST
def demand_profile_remove(request: HttpRequest, pk: int, source: str) -> HttpResponse:
    offering = _offering(request, pk)
    _require_writer(request)
    profile = selectors.demand_profiles_for_offering(offering=offering).get(_source(source))
    if profile is not None:
        services.demand_profile_remove(actor=request.user, profile=profile)
    return _answer(request, offering, source, "The demand profile is removed.")


@browser_view
@require_http_methods(["GET", "POST"])
def demand_profile_enter(request: HttpRequest, pk: int) -> HttpResponse:
    """The form of the entered profile: its 24 + 7 + 12 volumes and its description."""
    offering = _offering(request, pk)
    _require_writer(request)
    profile = selectors.demand_profiles_for_offering(offering=offering).get(DemandProfileSource.ENTERED)
    form = DemandEntryForm(request.POST or None, initial=DemandEntryForm.initial_for(profile))
    if request.method == "POST" and form.is_valid():
        try:
            services.demand_profile_enter(actor=request.user, offering=offering, **form.service_data())
        except ApplicationError as error:
            for field, texts in error.fields.items():
                target = form.field_for(field)
                for text in texts:
                    form.add_error(target if target in form.fields else None, text)
            if not error.fields:
                form.add_error(None, error.message)
        else:
            messages.success(request, "The demand profile is saved.")
            return redirect(_page_url(offering, DemandProfileSource.ENTERED))
    return render(
        request,
        ENTRY_TEMPLATE,
        {"offering": offering, "form": form, "profile": profile},
        status=400 if form.errors else 200,
    )
