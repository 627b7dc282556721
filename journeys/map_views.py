"""Pages of the designed journey maps: the list, a map drawn as a swimlane table (the seven steps as
column groups, a column per stage), and the forms that shape maps and their stages. Every role reads
maps; the roles that shape personas shape them. Views read through selectors and write through
services."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from journeys import roles, selectors, services
from journeys.base import ApplicationError
from journeys.forms import (
    JourneyMapCopyForm,
    JourneyMapForm,
    MapFilterForm,
    MapStageForm,
    MapStageMoveForm,
)
from journeys.htmx import render_page
from journeys.map_charts import CELL_HEIGHT, CELL_WIDTH, emotion_y, map_columns
from journeys.models import JourneyStep, MapVersion
from journeys.web import browser_view, form_submitted, render_form, require

WRITE_REFUSED = "Your role may not change journey maps."


def _require_writer(request: HttpRequest) -> None:
    require(roles.may_manage_accounts(request.user), WRITE_REFUSED)


def _personas(request: HttpRequest) -> list:
    return list(selectors.persona_scope(request.user).order_by("name", "pk"))


def _map_url(journey_map, anchor: str = "") -> str:
    url = reverse("journey_map_detail", args=[journey_map.pk])
    return f"{url}#{anchor}" if anchor else url


# --- maps -----------------------------------------------------------------------------------------


@browser_view
@require_GET
def journey_map_list(request: HttpRequest) -> HttpResponse:
    form = MapFilterForm(request.GET, personas=_personas(request))
    filters = form.filters()
    return render_page(
        request,
        "journeys/map_list.html",
        {
            "form": form,
            "filters": filters,
            "maps": selectors.journey_map_list(user=request.user, **filters),
            "can_manage": roles.may_manage_accounts(request.user),
        },
        partial="maps",
    )


def _map_form(request: HttpRequest, *, initial: dict | None = None, exclude_pk: int | None = None):
    as_is = selectors.journey_map_list(user=request.user, version=MapVersion.AS_IS)
    if exclude_pk is not None:
        as_is = as_is.exclude(pk=exclude_pk)
    return JourneyMapForm(
        request.POST or None, initial=initial, personas=_personas(request), as_is_maps=as_is
    )


@browser_view
@require_http_methods(["GET", "POST"])
def journey_map_create(request: HttpRequest) -> HttpResponse:
    """A new map; `?persona=<pk>` starts the form on that persona."""
    _require_writer(request)
    persona = request.GET.get("persona", "")
    form = _map_form(request, initial={"persona": int(persona)} if persona.isdigit() else None)
    journey_map = form_submitted(
        request, form, lambda: services.journey_map_create(actor=request.user, **form.service_data())
    )
    if journey_map:
        messages.success(request, f"Journey map “{journey_map.name}” created: add its stages.")
        return redirect(_map_url(journey_map))
    return render_form(request, "journeys/map_form.html", {"form": form, "journey_map": None})


def _detail_context(request: HttpRequest, journey_map, copy_form: JourneyMapCopyForm) -> dict:
    columns = map_columns(journey_map)
    return {
        "journey_map": journey_map,
        "columns": columns,
        "step_groups": [column for column in columns if column.first_of_step],
        "stage_count": sum(1 for column in columns if column.stage is not None),
        "cell_width": CELL_WIDTH,
        "cell_height": CELL_HEIGHT,
        "zero_y": emotion_y(0),
        "copy_form": copy_form,
        "can_manage": roles.may_manage_accounts(request.user),
    }


@browser_view
@require_GET
def journey_map_detail(request: HttpRequest, pk: int) -> HttpResponse:
    journey_map = selectors.journey_map_get(user=request.user, pk=pk)
    return render_page(
        request, "journeys/map_detail.html", _detail_context(request, journey_map, JourneyMapCopyForm())
    )


@browser_view
@require_http_methods(["GET", "POST"])
def journey_map_edit(request: HttpRequest, pk: int) -> HttpResponse:
    journey_map = selectors.journey_map_get(user=request.user, pk=pk)
    _require_writer(request)
    form = _map_form(request, initial=JourneyMapForm.initial_for(journey_map), exclude_pk=journey_map.pk)
    saved = form_submitted(
        request,
        form,
        lambda: services.journey_map_update(
            actor=request.user, journey_map=journey_map, **form.service_data()
        ),
    )
    if saved:
        messages.success(request, f"Journey map “{saved.name}” saved.")
        return redirect(_map_url(saved))
    return render_form(request, "journeys/map_form.html", {"form": form, "journey_map": journey_map})


@browser_view
@require_POST
def journey_map_delete(request: HttpRequest, pk: int) -> HttpResponse:
    journey_map = selectors.journey_map_get(user=request.user, pk=pk)
    _require_writer(request)
    services.journey_map_delete(actor=request.user, journey_map=journey_map)
    messages.success(request, f"Journey map “{journey_map.name}” deleted, with its stages.")
    return redirect("journey_map_list")


@browser_view
@require_POST
def journey_map_copy_to_be(request: HttpRequest, pk: int) -> HttpResponse:
    """Draw a to-be map from an as-is map. A refusal (not an as-is map, the name taken) shows the map
    page again with the reason next to the name field and a 400."""
    journey_map = selectors.journey_map_get(user=request.user, pk=pk)
    _require_writer(request)
    form = JourneyMapCopyForm(request.POST)
    copy = form_submitted(
        request,
        form,
        lambda: services.journey_map_copy_to_be(
            actor=request.user, journey_map=journey_map, name=form.cleaned_data["name"]
        ),
    )
    if copy:
        messages.success(request, f"To-be map “{copy.name}” drawn from the as-is map, with its stages.")
        return redirect(_map_url(copy))
    return render_page(
        request, "journeys/map_detail.html", _detail_context(request, journey_map, form), status=400
    )


# --- stages ---------------------------------------------------------------------------------------


@browser_view
@require_http_methods(["GET", "POST"])
def map_stage_create(request: HttpRequest, pk: int) -> HttpResponse:
    """A new stage; `?step=<step>` starts the form on that journey step."""
    journey_map = selectors.journey_map_get(user=request.user, pk=pk)
    _require_writer(request)
    step = request.GET.get("step", "")
    form = MapStageForm(
        request.POST or None, initial={"step": step if step in JourneyStep.values else JourneyStep.EXPLORE}
    )
    stage = form_submitted(
        request,
        form,
        lambda: services.map_stage_create(actor=request.user, journey_map=journey_map, **form.cleaned_data),
    )
    if stage:
        messages.success(request, f"Stage “{stage.name}” added to {stage.get_step_display()}.")
        return redirect(_map_url(journey_map, f"stage-{stage.pk}"))
    return render_form(
        request, "journeys/map_stage_form.html", {"form": form, "journey_map": journey_map, "stage": None}
    )


@browser_view
@require_http_methods(["GET", "POST"])
def map_stage_edit(request: HttpRequest, pk: int, stage_pk: int) -> HttpResponse:
    journey_map = selectors.journey_map_get(user=request.user, pk=pk)
    stage = selectors.map_stage_get(user=request.user, journey_map=journey_map, pk=stage_pk)
    _require_writer(request)
    form = MapStageForm(request.POST or None, initial=MapStageForm.initial_for(stage))
    saved = form_submitted(
        request,
        form,
        lambda: services.map_stage_update(actor=request.user, stage=stage, **form.cleaned_data),
    )
    if saved:
        messages.success(request, f"Stage “{saved.name}” saved.")
        return redirect(_map_url(journey_map, f"stage-{saved.pk}"))
    return render_form(
        request, "journeys/map_stage_form.html", {"form": form, "journey_map": journey_map, "stage": stage}
    )


@browser_view
@require_POST
def map_stage_delete(request: HttpRequest, pk: int, stage_pk: int) -> HttpResponse:
    journey_map = selectors.journey_map_get(user=request.user, pk=pk)
    stage = selectors.map_stage_get(user=request.user, journey_map=journey_map, pk=stage_pk)
    _require_writer(request)
    services.map_stage_delete(actor=request.user, stage=stage)
    messages.success(request, f"Stage “{stage.name}” deleted.")
    return redirect(_map_url(journey_map, "map"))


@browser_view
@require_POST
def map_stage_move(request: HttpRequest, pk: int, stage_pk: int) -> HttpResponse:
    """One place earlier or later within its step; the map comes back with focus on the stage."""
    journey_map = selectors.journey_map_get(user=request.user, pk=pk)
    stage = selectors.map_stage_get(user=request.user, journey_map=journey_map, pk=stage_pk)
    _require_writer(request)
    form = MapStageMoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Move a stage earlier or later.")
        return redirect(_map_url(journey_map, f"stage-{stage.pk}"))
    try:
        moved = services.map_stage_move(
            actor=request.user, stage=stage, direction=form.cleaned_data["direction"]
        )
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect(_map_url(journey_map, f"stage-{stage.pk}"))
    if not moved:
        end = "first" if form.cleaned_data["direction"] == "up" else "last"
        messages.info(request, f"“{stage.name}” is already the {end} stage of its step.")
    return redirect(_map_url(journey_map, f"stage-{stage.pk}"))
