"""Pages of SWOT and PESTLE analyses: the list, the forms, and the two boards with their inline edits.

Each board is one page whose swappable region (`board`) HTMX replaces after an add, edit, removal or
pull; without HTMX the same forms post normally and redirect back (or, with errors, show the whole page
with a 400). An HTMX request only swaps successful answers, so there a refused write comes back as the
board with its errors and a 200. Reads go through selectors, writes through services.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from exploration import selectors, services
from exploration.forms.analyses import (
    AnalysisFilterForm,
    AnalysisForm,
    PestleFactorForm,
    PestlePullForm,
    SwotItemForm,
)
from exploration.models import AnalysisSubject, PestleArea, SwotQuadrant
from journeys import roles
from journeys.base import ApplicationError
from journeys.forms import apply_error
from journeys.htmx import render_page, wants_fragment
from journeys.web import browser_view, form_submitted, render_form, require

WRITE_REFUSED = "Your role may not change SWOT or PESTLE analyses."
FORM_TEMPLATE = "exploration/analyses/analysis_form.html"
DELETE_TEMPLATE = "exploration/analyses/confirm_delete.html"
SWOT_TEMPLATE = "exploration/analyses/swot_detail.html"
PESTLE_TEMPLATE = "exploration/analyses/pestle_detail.html"


@dataclass(frozen=True)
class _Kind:
    """What differs between the SWOT and the PESTLE pages that share a view."""

    name: str
    label: str
    get: Callable
    create: Callable
    update: Callable
    delete: Callable


SWOT = _Kind(
    "swot",
    "SWOT analysis",
    selectors.swot_analysis_get,
    services.swot_analysis_create,
    services.swot_analysis_update,
    services.swot_analysis_delete,
)
PESTLE = _Kind(
    "pestle",
    "PESTLE analysis",
    selectors.pestle_analysis_get,
    services.pestle_analysis_create,
    services.pestle_analysis_update,
    services.pestle_analysis_delete,
)


def _require_writer(request: HttpRequest) -> None:
    require(roles.may_manage_accounts(request.user), WRITE_REFUSED)


def _error_messages(form: forms.Form) -> list[str]:
    return [
        f"{form.fields[name].label or name.capitalize()}: {message}" if name in form.fields else message
        for name, errors in form.errors.items()
        for message in errors
    ]


# --- list -----------------------------------------------------------------------------------------


@browser_view
@require_GET
def analysis_list(request: HttpRequest) -> HttpResponse:
    filters = AnalysisFilterForm(request.GET or None, user=request.user)
    chosen = filters.filters()
    # "New" buttons carry the filter's organization or segment, so the new analysis starts there.
    prefill = {}
    if chosen.get("organization"):
        prefill["organization"] = chosen["organization"].pk
    elif chosen.get("segment"):
        prefill["segment"] = chosen["segment"].pk
    return render_page(
        request,
        "exploration/analyses/list.html",
        {
            "filters": filters,
            "organization": chosen.get("organization"),
            "segment": chosen.get("segment"),
            "analyses": selectors.analysis_list(user=request.user, **chosen),
            "can_manage": roles.may_manage_accounts(request.user),
            "prefill": f"?{urlencode(prefill)}" if prefill else "",
        },
        partial="results",
    )


# --- create, edit, delete (shared by both kinds) --------------------------------------------------


def _prefill(request: HttpRequest) -> dict:
    """`?organization=<pk>` or `?segment=<pk>` starts the form on that subject; the choice lists only
    hold what the user may see, so an id from elsewhere simply shows nothing chosen."""
    for name, subject in (
        ("organization", AnalysisSubject.ORGANIZATION),
        ("segment", AnalysisSubject.SEGMENT),
    ):
        value = request.GET.get(name, "")
        if value.isdigit():
            return {"subject": subject, name: int(value)}
    return {}


def _create(request: HttpRequest, kind: _Kind) -> HttpResponse:
    _require_writer(request)
    form = AnalysisForm(request.POST or None, user=request.user, initial=_prefill(request))
    analysis = form_submitted(request, form, lambda: kind.create(actor=request.user, **form.service_data()))
    if analysis:
        messages.success(request, f"{kind.label} “{analysis.title}” created.")
        return redirect(f"exploration:{kind.name}_detail", pk=analysis.pk)
    return render_form(request, FORM_TEMPLATE, {"form": form, "analysis": None, "kind": kind})


def _edit(request: HttpRequest, pk: int, kind: _Kind) -> HttpResponse:
    analysis = kind.get(user=request.user, pk=pk)
    _require_writer(request)
    form = AnalysisForm(request.POST or None, user=request.user, initial=AnalysisForm.initial_for(analysis))
    saved = form_submitted(
        request, form, lambda: kind.update(actor=request.user, analysis=analysis, **form.service_data())
    )
    if saved:
        messages.success(request, f"{kind.label} “{saved.title}” saved.")
        return redirect(f"exploration:{kind.name}_detail", pk=saved.pk)
    return render_form(request, FORM_TEMPLATE, {"form": form, "analysis": analysis, "kind": kind})


def _delete(request: HttpRequest, pk: int, kind: _Kind) -> HttpResponse:
    analysis = kind.get(user=request.user, pk=pk)
    _require_writer(request)
    if request.method == "POST":
        kind.delete(actor=request.user, analysis=analysis)
        messages.success(request, f"{kind.label} “{analysis.title}” deleted.")
        return redirect("exploration:analysis_list")
    return render(request, DELETE_TEMPLATE, {"analysis": analysis, "kind": kind})


@browser_view
@require_http_methods(["GET", "POST"])
def swot_create(request: HttpRequest) -> HttpResponse:
    return _create(request, SWOT)


@browser_view
@require_http_methods(["GET", "POST"])
def swot_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _edit(request, pk, SWOT)


@browser_view
@require_http_methods(["GET", "POST"])
def swot_delete(request: HttpRequest, pk: int) -> HttpResponse:
    return _delete(request, pk, SWOT)


@browser_view
@require_http_methods(["GET", "POST"])
def pestle_create(request: HttpRequest) -> HttpResponse:
    return _create(request, PESTLE)


@browser_view
@require_http_methods(["GET", "POST"])
def pestle_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _edit(request, pk, PESTLE)


@browser_view
@require_http_methods(["GET", "POST"])
def pestle_delete(request: HttpRequest, pk: int) -> HttpResponse:
    return _delete(request, pk, PESTLE)


def _saved(request: HttpRequest, form: forms.Form, save: Callable) -> bool:
    """Run a service for a valid form; its ApplicationError lands on the form's fields."""
    if not form.is_valid():
        return False
    try:
        save()
    except ApplicationError as error:
        apply_error(form, error)
        return False
    return True


def _answer(request: HttpRequest, page: Callable[..., HttpResponse], url: str, *, notice: str, form=None):
    """After a write: the board again for HTMX (with a notice, or the errors), otherwise a redirect
    back to the board or, when the write was refused, the whole page with a 400."""
    if form is not None and form.errors:
        return page(status=200 if wants_fragment(request) else 400)
    if wants_fragment(request):
        return page(notice=notice)
    messages.success(request, notice)
    return redirect(url)


# --- the SWOT board -------------------------------------------------------------------------------


def _add_id(quadrant: str) -> str:
    return f"id_add_{quadrant}_%s"


def _swot_page(
    request: HttpRequest,
    analysis,
    *,
    add_form: SwotItemForm | None = None,
    editing=None,
    edit_form: SwotItemForm | None = None,
    pull_form: PestlePullForm | None = None,
    notice: str = "",
    status: int = 200,
) -> HttpResponse:
    can_manage = roles.may_manage_accounts(request.user)
    quadrants = []
    for quadrant in selectors.swot_board(analysis=analysis):
        form = None
        if can_manage:
            posted = add_form is not None and add_form.data.get("quadrant") == quadrant.quadrant
            form = (
                add_form
                if posted
                else SwotItemForm(initial={"quadrant": quadrant.quadrant}, auto_id=_add_id(quadrant.quadrant))
            )
            form.fields["quadrant"].widget = forms.HiddenInput()
        quadrants.append({"board": quadrant, "form": form})
    if can_manage and pull_form is None:
        pull_form = PestlePullForm(
            factors=selectors.pestle_pullable_factors(user=request.user, analysis=analysis)
        )
    failed = next(
        (form for form in (add_form, edit_form, pull_form) if form is not None and form.errors), None
    )
    context = {
        "analysis": analysis,
        "quadrants": quadrants,
        "balance": selectors.swot_balance(analysis=analysis),
        "can_manage": can_manage,
        "editing": editing,
        "edit_form": edit_form,
        "pull_form": pull_form if can_manage else None,
        "errors": _error_messages(failed) if failed else [],
        "notice": notice,
    }
    return render_page(request, SWOT_TEMPLATE, context, partial="board", status=status)


@browser_view
@require_GET
def swot_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _swot_page(request, selectors.swot_analysis_get(user=request.user, pk=pk))


@browser_view
@require_POST
def swot_item_add(request: HttpRequest, pk: int) -> HttpResponse:
    analysis = selectors.swot_analysis_get(user=request.user, pk=pk)
    _require_writer(request)
    quadrant = request.POST.get("quadrant", "")
    form = SwotItemForm(
        request.POST, auto_id=_add_id(quadrant if quadrant in SwotQuadrant.values else "item")
    )
    _saved(
        request,
        form,
        lambda: services.swot_item_add(actor=request.user, analysis=analysis, **form.cleaned_data),
    )
    return _answer(
        request,
        lambda **extra: _swot_page(request, analysis, add_form=form, **extra),
        reverse("exploration:swot_detail", args=[analysis.pk]),
        notice="Item added.",
        form=form,
    )


@browser_view
@require_http_methods(["GET", "POST"])
def swot_item_edit(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    """The board with one item open for editing (GET), or the change itself (POST)."""
    analysis = selectors.swot_analysis_get(user=request.user, pk=pk)
    item = selectors.swot_item_get(user=request.user, pk=item_pk, analysis=analysis)
    _require_writer(request)
    auto_id = f"id_item_{item.pk}_%s"
    if request.method == "GET":
        form = SwotItemForm(initial=SwotItemForm.initial_for(item), auto_id=auto_id)
        # Keyboard users land in the form the swap (or the page) just opened.
        form.fields["text"].widget.attrs["autofocus"] = True
        return _swot_page(request, analysis, editing=item, edit_form=form)
    form = SwotItemForm(request.POST, auto_id=auto_id)
    if _saved(
        request, form, lambda: services.swot_item_update(actor=request.user, item=item, **form.cleaned_data)
    ):
        return _answer(
            request,
            lambda **extra: _swot_page(request, analysis, **extra),
            _board_url(analysis),
            notice="Item saved.",
        )
    return _answer(
        request,
        lambda **extra: _swot_page(request, analysis, editing=item, edit_form=form, **extra),
        _board_url(analysis),
        notice="",
        form=form,
    )


def _board_url(analysis) -> str:
    name = "swot_detail" if analysis._meta.model_name == "swotanalysis" else "pestle_detail"
    return reverse(f"exploration:{name}", args=[analysis.pk])


@browser_view
@require_POST
def swot_item_remove(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    analysis = selectors.swot_analysis_get(user=request.user, pk=pk)
    item = selectors.swot_item_get(user=request.user, pk=item_pk, analysis=analysis)
    _require_writer(request)
    services.swot_item_remove(actor=request.user, item=item)
    return _answer(
        request,
        lambda **extra: _swot_page(request, analysis, **extra),
        _board_url(analysis),
        notice=f"“{item.text}” removed.",
    )


@browser_view
@require_POST
def swot_pull_pestle(request: HttpRequest, pk: int) -> HttpResponse:
    analysis = selectors.swot_analysis_get(user=request.user, pk=pk)
    _require_writer(request)
    pullable = list(selectors.pestle_pullable_factors(user=request.user, analysis=analysis))
    form = PestlePullForm(request.POST, factors=pullable)
    pulled: list = []

    def pull() -> None:
        pulled.extend(
            services.swot_pull_pestle_factors(
                actor=request.user, analysis=analysis, factors=form.cleaned_data["factors"]
            )
        )

    _saved(request, form, pull)
    return _answer(
        request,
        lambda **extra: _swot_page(request, analysis, pull_form=form if form.errors else None, **extra),
        _board_url(analysis),
        notice=f"{len(pulled)} PESTLE factor{'' if len(pulled) == 1 else 's'} pulled in.",
        form=form,
    )


# --- the PESTLE board -----------------------------------------------------------------------------


def _factor_form(*args, area: str, auto_id: str, **kwargs) -> PestleFactorForm:
    form = PestleFactorForm(*args, auto_id=auto_id, **kwargs)
    form.fields["factor"].widget.attrs["list"] = f"suggestions-{area}"
    return form


def _pestle_page(
    request: HttpRequest,
    analysis,
    *,
    add_form: PestleFactorForm | None = None,
    editing=None,
    edit_form: PestleFactorForm | None = None,
    notice: str = "",
    status: int = 200,
) -> HttpResponse:
    can_manage = roles.may_manage_accounts(request.user)
    areas = []
    for area in selectors.pestle_board(analysis=analysis):
        form = None
        if can_manage:
            posted = add_form is not None and add_form.data.get("area") == area.area
            form = (
                add_form
                if posted
                else _factor_form(
                    initial={"area": area.area}, area=area.area, auto_id=f"id_add_{area.area}_%s"
                )
            )
            form.fields["area"].widget = forms.HiddenInput()
        areas.append({"board": area, "form": form})
    failed = next((form for form in (add_form, edit_form) if form is not None and form.errors), None)
    context = {
        "analysis": analysis,
        "areas": areas,
        "can_manage": can_manage,
        "editing": editing,
        "edit_form": edit_form,
        "errors": _error_messages(failed) if failed else [],
        "notice": notice,
    }
    return render_page(request, PESTLE_TEMPLATE, context, partial="board", status=status)


@browser_view
@require_GET
def pestle_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _pestle_page(request, selectors.pestle_analysis_get(user=request.user, pk=pk))


@browser_view
@require_POST
def pestle_factor_add(request: HttpRequest, pk: int) -> HttpResponse:
    analysis = selectors.pestle_analysis_get(user=request.user, pk=pk)
    _require_writer(request)
    area = request.POST.get("area", "")
    area = area if area in PestleArea.values else "factor"
    form = _factor_form(request.POST, area=area, auto_id=f"id_add_{area}_%s")
    _saved(
        request,
        form,
        lambda: services.pestle_factor_add(actor=request.user, analysis=analysis, **form.service_data()),
    )
    return _answer(
        request,
        lambda **extra: _pestle_page(request, analysis, add_form=form, **extra),
        _board_url(analysis),
        notice="Factor added.",
        form=form,
    )


@browser_view
@require_http_methods(["GET", "POST"])
def pestle_factor_edit(request: HttpRequest, pk: int, factor_pk: int) -> HttpResponse:
    """The board with one factor open for editing (GET), or the change itself (POST)."""
    analysis = selectors.pestle_analysis_get(user=request.user, pk=pk)
    factor = selectors.pestle_factor_get(user=request.user, pk=factor_pk, analysis=analysis)
    _require_writer(request)
    auto_id = f"id_factor_{factor.pk}_%s"
    if request.method == "GET":
        form = _factor_form(initial=PestleFactorForm.initial_for(factor), area=factor.area, auto_id=auto_id)
        form.fields["factor"].widget.attrs["autofocus"] = True
        return _pestle_page(request, analysis, editing=factor, edit_form=form)
    form = _factor_form(request.POST, area=factor.area, auto_id=auto_id)
    if _saved(
        request,
        form,
        lambda: services.pestle_factor_update(
            actor=request.user, pestle_factor=factor, **form.service_data()
        ),
    ):
        return _answer(
            request,
            lambda **extra: _pestle_page(request, analysis, **extra),
            _board_url(analysis),
            notice="Factor saved.",
        )
    return _answer(
        request,
        lambda **extra: _pestle_page(request, analysis, editing=factor, edit_form=form, **extra),
        _board_url(analysis),
        notice="",
        form=form,
    )


@browser_view
@require_POST
def pestle_factor_remove(request: HttpRequest, pk: int, factor_pk: int) -> HttpResponse:
    analysis = selectors.pestle_analysis_get(user=request.user, pk=pk)
    factor = selectors.pestle_factor_get(user=request.user, pk=factor_pk, analysis=analysis)
    _require_writer(request)
    services.pestle_factor_remove(actor=request.user, pestle_factor=factor)
    return _answer(
        request,
        lambda **extra: _pestle_page(request, analysis, **extra),
        _board_url(analysis),
        notice=f"“{factor.factor}” removed.",
    )
