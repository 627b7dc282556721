"""Pages of Explore about the people the provider designs for: personas with their scenarios (kept in
the journey spine, where every step's journey maps find them), and the jobs to be done of personas and
segments, ranked by opportunity. Views read through selectors and write through services."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from exploration import selectors, services
from exploration.forms.personas import JobFilterForm, JobToBeDoneForm, PersonaForm, ScenarioForm
from journeys import roles
from journeys import selectors as spine_selectors
from journeys import services as spine_services
from journeys.base import ApplicationError
from journeys.htmx import render_page
from journeys.web import browser_view, form_submitted, render_form, require

WRITE_REFUSED = "Your role may not change personas, scenarios or jobs to be done."


def _require_writer(request: HttpRequest) -> None:
    require(roles.may_manage_accounts(request.user), WRITE_REFUSED)


# --- personas -------------------------------------------------------------------------------------


@browser_view
@require_GET
def persona_list(request: HttpRequest) -> HttpResponse:
    return render_page(
        request,
        "exploration/persona_list.html",
        {
            "personas": selectors.persona_list_with_usage(user=request.user),
            "can_manage": roles.may_manage_accounts(request.user),
        },
    )


@browser_view
@require_http_methods(["GET", "POST"])
def persona_create(request: HttpRequest) -> HttpResponse:
    _require_writer(request)
    form = PersonaForm(request.POST or None)
    persona = form_submitted(
        request, form, lambda: spine_services.persona_create(actor=request.user, **form.cleaned_data)
    )
    if persona:
        messages.success(request, f"Persona “{persona.name}” created.")
        return redirect("exploration:persona_detail", pk=persona.pk)
    return render_form(request, "exploration/persona_form.html", {"form": form, "persona": None})


@browser_view
@require_GET
def persona_detail(request: HttpRequest, pk: int) -> HttpResponse:
    persona = spine_selectors.persona_get(user=request.user, pk=pk)
    return render_page(
        request,
        "exploration/persona_detail.html",
        {
            "persona": persona,
            "scenarios": spine_selectors.scenario_list_for_persona(user=request.user, persona=persona),
            "jobs": selectors.job_to_be_done_list(user=request.user, persona=persona),
            "segments": selectors.persona_segments(user=request.user, persona=persona),
            "can_manage": roles.may_manage_accounts(request.user),
        },
    )


@browser_view
@require_http_methods(["GET", "POST"])
def persona_edit(request: HttpRequest, pk: int) -> HttpResponse:
    persona = spine_selectors.persona_get(user=request.user, pk=pk)
    _require_writer(request)
    form = PersonaForm(request.POST or None, initial=PersonaForm.initial_for(persona))
    saved = form_submitted(
        request,
        form,
        lambda: spine_services.persona_update(actor=request.user, persona=persona, **form.cleaned_data),
    )
    if saved:
        messages.success(request, f"Persona “{saved.name}” saved.")
        return redirect("exploration:persona_detail", pk=saved.pk)
    return render_form(request, "exploration/persona_form.html", {"form": form, "persona": persona})


@browser_view
@require_POST
def persona_delete(request: HttpRequest, pk: int) -> HttpResponse:
    persona = spine_selectors.persona_get(user=request.user, pk=pk)
    _require_writer(request)
    try:
        spine_services.persona_delete(actor=request.user, persona=persona)
    except ApplicationError as error:  # e.g. journey maps are still drawn for the persona
        messages.error(request, error.message)
        return redirect("exploration:persona_detail", pk=persona.pk)
    messages.success(request, f"Persona “{persona.name}” deleted, with its scenarios and jobs to be done.")
    return redirect("exploration:persona_list")


# --- scenarios ------------------------------------------------------------------------------------


@browser_view
@require_http_methods(["GET", "POST"])
def scenario_create(request: HttpRequest, pk: int) -> HttpResponse:
    persona = spine_selectors.persona_get(user=request.user, pk=pk)
    _require_writer(request)
    form = ScenarioForm(request.POST or None, initial={"journey_step": request.GET.get("step", "")})
    scenario = form_submitted(
        request,
        form,
        lambda: spine_services.scenario_create(actor=request.user, persona=persona, **form.cleaned_data),
    )
    if scenario:
        messages.success(request, f"Scenario “{scenario.title}” added to {persona.name}.")
        return redirect(reverse("exploration:persona_detail", args=[persona.pk]) + "#scenarios")
    return render_form(
        request, "exploration/scenario_form.html", {"form": form, "persona": persona, "scenario": None}
    )


@browser_view
@require_http_methods(["GET", "POST"])
def scenario_edit(request: HttpRequest, pk: int, scenario_pk: int) -> HttpResponse:
    persona = spine_selectors.persona_get(user=request.user, pk=pk)
    scenario = spine_selectors.scenario_get(user=request.user, pk=scenario_pk, persona=persona)
    _require_writer(request)
    form = ScenarioForm(request.POST or None, initial=ScenarioForm.initial_for(scenario))
    saved = form_submitted(
        request,
        form,
        lambda: spine_services.scenario_update(actor=request.user, scenario=scenario, **form.cleaned_data),
    )
    if saved:
        messages.success(request, f"Scenario “{saved.title}” saved.")
        return redirect(reverse("exploration:persona_detail", args=[persona.pk]) + "#scenarios")
    return render_form(
        request, "exploration/scenario_form.html", {"form": form, "persona": persona, "scenario": scenario}
    )


@browser_view
@require_POST
def scenario_delete(request: HttpRequest, pk: int, scenario_pk: int) -> HttpResponse:
    persona = spine_selectors.persona_get(user=request.user, pk=pk)
    scenario = spine_selectors.scenario_get(user=request.user, pk=scenario_pk, persona=persona)
    _require_writer(request)
    spine_services.scenario_delete(actor=request.user, scenario=scenario)
    messages.success(request, f"Scenario “{scenario.title}” deleted.")
    return redirect(reverse("exploration:persona_detail", args=[persona.pk]) + "#scenarios")


# --- jobs to be done ------------------------------------------------------------------------------


def _choices(request: HttpRequest) -> dict:
    """The personas and segments a job may belong to: two queries, whatever the number of jobs."""
    return {
        "personas": list(spine_selectors.persona_scope(request.user).order_by("name", "pk")),
        "segments": list(selectors.market_segment_list(user=request.user)),
    }


def _next(request: HttpRequest) -> str:
    """The `next` address the form carries, if it stays on this site; "" otherwise."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return ""


def _back(request: HttpRequest, job) -> str:
    """Where to go after a change: the page the form came from (`next`, if it is ours), else the
    persona's or the segment's page."""
    target = _next(request)
    if target:
        return target
    if job.persona_id:
        return reverse("exploration:persona_detail", args=[job.persona_id]) + "#jobs"
    if job.segment_id:
        return reverse("exploration:market_segment_detail", args=[job.segment_id]) + "#jobs"
    return reverse("exploration:job_list")


@browser_view
@require_GET
def job_list(request: HttpRequest) -> HttpResponse:
    choices = _choices(request)
    form = JobFilterForm(request.GET, **choices)
    filters = form.filters()
    return render_page(
        request,
        "exploration/job_list.html",
        {
            "form": form,
            "filters": filters,
            "jobs": selectors.job_to_be_done_list(user=request.user, **filters),
            "can_manage": roles.may_manage_accounts(request.user),
        },
        partial="jobs",
    )


@browser_view
@require_http_methods(["GET", "POST"])
def job_create(request: HttpRequest) -> HttpResponse:
    _require_writer(request)
    initial = {"persona": request.GET.get("persona"), "segment": request.GET.get("segment")}
    form = JobToBeDoneForm(request.POST or None, initial=initial, **_choices(request))
    job = form_submitted(
        request,
        form,
        lambda: services.job_to_be_done_create(actor=request.user, **form.service_fields()),
    )
    if job:
        messages.success(request, f"Job to be done “{job.job}” recorded.")
        return redirect(_back(request, job))
    return render_form(
        request, "exploration/job_form.html", {"form": form, "job": None, "next": _next(request)}
    )


@browser_view
@require_http_methods(["GET", "POST"])
def job_edit(request: HttpRequest, pk: int) -> HttpResponse:
    job = selectors.job_to_be_done_get(user=request.user, pk=pk)
    _require_writer(request)
    form = JobToBeDoneForm(
        request.POST or None, initial=JobToBeDoneForm.initial_for(job), **_choices(request)
    )
    saved = form_submitted(
        request,
        form,
        lambda: services.job_to_be_done_update(
            actor=request.user, job_to_be_done=job, **form.service_fields()
        ),
    )
    if saved:
        messages.success(request, f"Job to be done “{saved.job}” saved.")
        return redirect(_back(request, saved))
    return render_form(
        request, "exploration/job_form.html", {"form": form, "job": job, "next": _next(request)}
    )


@browser_view
@require_POST
def job_delete(request: HttpRequest, pk: int) -> HttpResponse:
    job = selectors.job_to_be_done_get(user=request.user, pk=pk)
    _require_writer(request)
    services.job_to_be_done_delete(actor=request.user, job_to_be_done=job)
    messages.success(request, f"Job to be done “{job.job}” deleted.")
    return redirect(_back(request, job))
