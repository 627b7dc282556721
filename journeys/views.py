"""Pages of the journey spine: the accounts list and the forms that change accounts, stakeholders,
journeys and touchpoints. Each view reads through selectors and writes through services."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods

from journeys import roles, selectors, services
from journeys.forms import (
    JourneyMoveForm,
    JourneyStartForm,
    OrganizationForm,
    StakeholderForm,
    TouchpointForm,
)
from journeys.htmx import render_page
from journeys.models import JourneyStatus, JourneyStep, OrganizationKind
from journeys.web import browser_view, form_submitted, render_form, require

ORGANIZATIONS_PER_PAGE = 25


@browser_view
def organization_list(request: HttpRequest) -> HttpResponse:
    filters = {
        "search": request.GET.get("q", "").strip()[:100],
        "kind": request.GET.get("kind", ""),
        "step": request.GET.get("step", ""),
        "owner": request.GET.get("owner", ""),
        "ordering": request.GET.get("ordering", "name"),
    }
    organizations = selectors.organization_list_rows(user=request.user, **filters)
    page = Paginator(organizations, ORGANIZATIONS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render_page(
        request,
        "journeys/organization_list.html",
        {
            "page": page,
            "filters": filters,
            "query": query.urlencode(),
            "kinds": OrganizationKind.choices,
            "steps": JourneyStep.choices,
            "can_manage": roles.may_manage_accounts(request.user),
        },
        partial="results",
    )


@browser_view
@require_http_methods(["GET", "POST"])
def organization_create(request: HttpRequest) -> HttpResponse:
    require(roles.may_manage_accounts(request.user), "Your role may not add organizations.")
    form = OrganizationForm(request.POST or None, initial={"owner": request.user.pk})
    organization = form_submitted(
        request, form, lambda: services.organization_create(actor=request.user, **form.service_data())
    )
    if organization:
        messages.success(request, f"{organization.name} added.")
        return redirect("account_detail", pk=organization.pk)
    return render_form(request, "journeys/organization_form.html", {"form": form, "organization": None})


@browser_view
@require_http_methods(["GET", "POST"])
def organization_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organization = selectors.organization_get(user=request.user, pk=pk)
    require(roles.may_manage_accounts(request.user), "Your role may not edit organizations.")
    initial = {name: getattr(organization, name) for name in services.ORGANIZATION_FIELDS}
    form = OrganizationForm(request.POST or None, initial=initial)
    saved = form_submitted(
        request,
        form,
        lambda: services.organization_update(
            actor=request.user, organization=organization, **form.service_data()
        ),
    )
    if saved:
        messages.success(request, "Organization saved.")
        return redirect("account_detail", pk=organization.pk)
    return render_form(
        request, "journeys/organization_form.html", {"form": form, "organization": organization}
    )


@browser_view
@require_http_methods(["GET", "POST"])
def stakeholder_create(request: HttpRequest, organization_pk: int) -> HttpResponse:
    organization = selectors.organization_get(user=request.user, pk=organization_pk)
    require(roles.may_manage_accounts(request.user), "Your role may not add stakeholders.")
    form = StakeholderForm(request.POST or None)
    stakeholder = form_submitted(
        request,
        form,
        lambda: services.stakeholder_create(
            actor=request.user, organization=organization, **form.service_data()
        ),
    )
    if stakeholder:
        messages.success(request, f"{stakeholder.name} added to {organization.name}.")
        return redirect("account_detail", pk=organization.pk)
    return render_form(
        request,
        "journeys/stakeholder_form.html",
        {"form": form, "organization": organization, "stakeholder": None},
    )


@browser_view
@require_http_methods(["GET", "POST"])
def stakeholder_edit(request: HttpRequest, pk: int) -> HttpResponse:
    stakeholder = selectors.stakeholder_get(user=request.user, pk=pk)
    require(roles.may_manage_accounts(request.user), "Your role may not edit stakeholders.")
    form = StakeholderForm(request.POST or None, initial=StakeholderForm.initial_for(stakeholder))
    saved = form_submitted(
        request,
        form,
        lambda: services.stakeholder_update(
            actor=request.user, stakeholder=stakeholder, **form.service_data()
        ),
    )
    if saved:
        messages.success(request, f"{saved.name} saved.")
        return redirect("account_detail", pk=saved.organization_id)
    return render_form(
        request,
        "journeys/stakeholder_form.html",
        {"form": form, "organization": stakeholder.organization, "stakeholder": stakeholder},
    )


@browser_view
@require_http_methods(["GET", "POST"])
def touchpoint_create(request: HttpRequest, organization_pk: int) -> HttpResponse:
    organization = selectors.organization_get(user=request.user, pk=organization_pk)
    require(roles.may_log_touchpoints(request.user), "Your role may not log touchpoints.")
    stakeholders = selectors.stakeholder_list_for_organization(user=request.user, organization=organization)
    journeys = selectors.journey_list_for_organization(user=request.user, organization=organization).filter(
        status=JourneyStatus.ACTIVE
    )
    form = TouchpointForm(
        request.POST or None,
        stakeholders=stakeholders.filter(is_active=True),
        journeys=journeys,
        initial={"stakeholder": request.GET.get("stakeholder", "")},
    )
    touchpoint = form_submitted(
        request,
        form,
        lambda: services.touchpoint_log(actor=request.user, organization=organization, **form.service_data()),
    )
    if touchpoint:
        messages.success(request, "Touchpoint logged.")
        if "another" in request.POST:
            return redirect("touchpoint_create", organization_pk=organization.pk)
        return redirect("account_detail", pk=organization.pk)
    return render_form(request, "journeys/touchpoint_form.html", {"form": form, "organization": organization})


@browser_view
@require_http_methods(["GET", "POST"])
def journey_start(request: HttpRequest, organization_pk: int) -> HttpResponse:
    organization = selectors.organization_get(user=request.user, pk=organization_pk)
    require(roles.may_manage_accounts(request.user), "Your role may not start journeys.")
    form = JourneyStartForm(request.POST or None)
    journey = form_submitted(
        request,
        form,
        lambda: services.journey_start(actor=request.user, organization=organization, **form.cleaned_data),
    )
    if journey:
        messages.success(request, f"Journey “{journey.name}” started.")
        return redirect("account_detail", pk=organization.pk)
    return render_form(request, "journeys/journey_start.html", {"form": form, "organization": organization})


@browser_view
@require_http_methods(["GET", "POST"])
def journey_move(request: HttpRequest, pk: int) -> HttpResponse:
    journey = selectors.journey_get(user=request.user, pk=pk)
    require(roles.may_manage_accounts(request.user), "Your role may not move journeys.")
    form = JourneyMoveForm(request.POST or None, initial={"to_step": journey.current_step})
    moved = form_submitted(
        request, form, lambda: services.journey_move(actor=request.user, journey=journey, **form.cleaned_data)
    )
    if moved:
        messages.success(request, f"“{moved.name}” moved to {moved.step.label}.")
        return redirect("account_detail", pk=moved.organization_id)
    history = selectors.journey_step_history(user=request.user, journey=journey)
    return render_form(
        request, "journeys/journey_move.html", {"form": form, "journey": journey, "history": history}
    )
