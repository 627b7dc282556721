"""Pages of the service relationship (Engage): the portfolio of relationships by type, one account's
relationship (types, profiles, ladder, type history), its communication plans with their adherence,
and the reference page of the three relationship types. Views read through selectors and write through
services; the rules live there.

Ladder steps and communication plans are edited in place with HTMX (the swapped region is a template
partial) and with plain forms without it. HTMX swaps only successful answers, so a refused change
comes back to HTMX with 200 and the reason in the fragment, and to a plain form with 400.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from journeys import roles
from journeys import selectors as journeys_selectors
from journeys.htmx import render_page, wants_fragment
from journeys.models import Organization, OrganizationKind
from journeys.web import browser_view, form_submitted, require
from relationships import selectors, services
from relationships.forms.relationship import (
    CommunicationPlanForm,
    LadderStepForm,
    RelationshipFilterForm,
    RelationshipTypesForm,
    plan_owner_choices,
)
from relationships.models import LadderStep, RelationshipType
from relationships.profiles import CLOSER_IS_NOT_ALWAYS_BETTER

DETAIL_TEMPLATE = "relationships/relationship_detail.html"
PLANS_TEMPLATE = "relationships/communication_plans.html"
WRITE_REFUSED = "Your role may not change service relationships."
PAGE_SIZE = 50


# --- portfolio and reference ------------------------------------------------------------------------


@browser_view
@require_GET
def relationship_list(request: HttpRequest) -> HttpResponse:
    """Engage's landing page: the consumers' relationships, filtered by type."""
    form = RelationshipFilterForm(request.GET)
    chosen = form.cleaned_data["type"] if form.is_valid() else ""
    page = Paginator(
        selectors.relationship_list(user=request.user, relationship_type=chosen or None), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "chosen": RelationshipType(chosen) if chosen else None,
        "counts": selectors.relationship_type_counts(user=request.user),
        "page": page,
        "query": f"type={chosen}" if chosen else "",
    }
    return render_page(
        request,
        "relationships/relationship_list.html",
        context,
        partial="results",
        status=400 if form.errors else 200,
    )


@browser_view
@require_GET
def relationship_types(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "relationships/relationship_types.html",
        {"profiles": selectors.relationship_type_profiles(), "closer_note": CLOSER_IS_NOT_ALWAYS_BETTER},
    )


# --- one account's relationship -------------------------------------------------------------------


def _detail(
    request: HttpRequest,
    organization: Organization,
    *,
    types_form: RelationshipTypesForm | None = None,
    failed_step: tuple[str, LadderStepForm] | None = None,
    saved_step: str | None = None,
    partial: str | None = None,
    status: int = 200,
) -> HttpResponse:
    page = selectors.relationship_page(user=request.user, organization=organization)
    can_manage = roles.may_manage_accounts(request.user) and page.is_consumer
    if can_manage and types_form is None:
        types_form = RelationshipTypesForm(initial=RelationshipTypesForm.initial_for(page.relationship))

    def entry(row):
        form = None
        if can_manage:
            if failed_step and failed_step[0] == row.step:
                form = failed_step[1]
            else:
                form = LadderStepForm(
                    prefix=row.step, initial={"status": row.status, "evidence": row.evidence}
                )
        return {"row": row, "form": form, "saved": saved_step == row.step}

    rungs = [
        [entry(row) for row in rung] if isinstance(rung, list) else [entry(rung)]
        for rung in page.ladder_steps
    ]
    context = {
        "organization": organization,
        "page": page,
        "rungs": rungs,
        "types_form": types_form,
        "can_manage": can_manage,
        "closer_note": CLOSER_IS_NOT_ALWAYS_BETTER,
    }
    if partial is None or not wants_fragment(request):
        # The assessments this relationship type calls for, and which are missing (the whole page only).
        context["assessment_plan"] = selectors.assessment_plan(
            user=request.user,
            organization=organization,
            relationship=page.relationship if page.recorded else None,
        )
    return render_page(request, DETAIL_TEMPLATE, context, partial=partial, status=status)


@browser_view
@require_GET
def relationship_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, journeys_selectors.organization_get(user=request.user, pk=pk, brief=True))


@browser_view
@require_POST
def relationship_set_types(request: HttpRequest, pk: int) -> HttpResponse:
    organization = journeys_selectors.organization_get(user=request.user, pk=pk)
    require(roles.may_manage_accounts(request.user), WRITE_REFUSED)
    form = RelationshipTypesForm(request.POST)
    saved = form_submitted(
        request,
        form,
        lambda: services.service_relationship_set_types(
            actor=request.user, organization=organization, **form.cleaned_data
        ),
    )
    if saved:
        messages.success(
            request,
            f"Relationship saved: {saved.get_current_type_display().lower()} today, "
            f"aiming for {saved.get_target_type_display().lower()}.",
        )
        return redirect("relationships:relationship_detail", pk=organization.pk)
    return _detail(request, organization, types_form=form, status=400)


@browser_view
@require_POST
def ladder_step_update(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    organization = journeys_selectors.organization_get(user=request.user, pk=pk)
    require(roles.may_manage_accounts(request.user), WRITE_REFUSED)
    if step not in LadderStep.values:
        raise Http404("No such ladder step.")
    form = LadderStepForm(request.POST, prefix=step)
    saved = form_submitted(
        request,
        form,
        lambda: services.ladder_step_update(
            actor=request.user,
            organization=organization,
            step=step,
            status=form.cleaned_data["status"],
            evidence=form.cleaned_data["evidence"],
        ),
    )
    fragment = wants_fragment(request)
    if saved and not fragment:
        messages.success(request, f"‘{LadderStep(step).label}’ is now {saved.get_status_display().lower()}.")
        return redirect(reverse("relationships:relationship_detail", args=[organization.pk]) + "#ladder")
    return _detail(
        request,
        organization,
        failed_step=(step, form) if form.errors else None,
        saved_step=step if saved else None,
        partial="ladder",
        status=400 if form.errors and not fragment else 200,
    )


# --- communication plans ----------------------------------------------------------------------------


def _plans_page(
    request: HttpRequest,
    organization: Organization,
    *,
    failed: tuple[int, CommunicationPlanForm] | None = None,
    saved_pk: int | None = None,
    status: int = 200,
) -> HttpResponse:
    rows = selectors.communication_plans_for_organization(user=request.user, organization=organization)
    can_manage = roles.may_manage_accounts(request.user) and organization.kind == OrganizationKind.CONSUMER

    # One form on the page at a time, for the person asked for (`?person=`) or whose save failed: a
    # form per row would render every select's options for every person, the page's main cost.
    editing = failed[0] if failed else _person_asked(request)
    # The people who may keep a plan, only when a blank form needs them (a failed one has them already).
    owners = plan_owner_choices() if can_manage and editing is not None and not failed else []

    def entry(row):
        form = None
        if can_manage and row.stakeholder.pk == editing:
            if failed:
                form = failed[1]
            else:
                form = CommunicationPlanForm(
                    prefix=f"plan-{row.stakeholder.pk}",
                    initial=CommunicationPlanForm.initial_for(row.plan),
                    owners=owners,
                )
        return {"row": row, "form": form}

    context = {
        "organization": organization,
        "entries": [entry(row) for row in rows],
        "can_manage": can_manage,
        "saved_pk": saved_pk,
        "failed_pk": failed[0] if failed else None,
        "editing_pk": editing,
        "window_days": selectors.ADHERENCE_WINDOW_DAYS,
        "plan_count": sum(1 for row in rows if row.plan),
        "overdue_count": sum(1 for row in rows if row.overdue),
    }
    return render_page(request, PLANS_TEMPLATE, context, partial="plans", status=status)


def _person_asked(request: HttpRequest) -> int | None:
    value = request.GET.get("person", "")
    return int(value) if value.isdigit() else None


@browser_view
@require_GET
def communication_plans(request: HttpRequest, pk: int) -> HttpResponse:
    return _plans_page(request, journeys_selectors.organization_get(user=request.user, pk=pk, brief=True))


def _plans_url(stakeholder) -> str:
    return (
        reverse("relationships:communication_plans", args=[stakeholder.organization_id])
        + f"#person-{stakeholder.pk}"
    )


@browser_view
@require_POST
def communication_plan_set(request: HttpRequest, pk: int) -> HttpResponse:
    stakeholder = journeys_selectors.stakeholder_get(user=request.user, pk=pk)
    require(roles.may_manage_accounts(request.user), WRITE_REFUSED)
    form = CommunicationPlanForm(request.POST, prefix=f"plan-{pk}", owners=plan_owner_choices())
    saved = form_submitted(
        request,
        form,
        lambda: services.communication_plan_set(
            actor=request.user, stakeholder=stakeholder, **form.cleaned_data
        ),
    )
    fragment = wants_fragment(request)
    if saved and not fragment:
        messages.success(request, f"Communication plan for {stakeholder.name} saved.")
        return redirect(_plans_url(stakeholder))
    return _plans_page(
        request,
        stakeholder.organization,
        failed=(stakeholder.pk, form) if form.errors else None,
        saved_pk=stakeholder.pk if saved else None,
        status=400 if form.errors and not fragment else 200,
    )


@browser_view
@require_POST
def communication_plan_remove(request: HttpRequest, pk: int) -> HttpResponse:
    stakeholder = journeys_selectors.stakeholder_get(user=request.user, pk=pk)
    require(roles.may_manage_accounts(request.user), WRITE_REFUSED)
    removed = services.communication_plan_remove(actor=request.user, stakeholder=stakeholder)
    if not wants_fragment(request):
        if removed:
            messages.success(request, f"Communication plan for {stakeholder.name} removed.")
        return redirect(_plans_url(stakeholder))
    return _plans_page(request, stakeholder.organization)
