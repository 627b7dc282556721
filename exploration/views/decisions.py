"""Pages of Explore: decision matrices comparing providers or options. The matrix page is one grid —
criteria as rows, options as columns — saved as a whole; the result row under it ranks the options.
Views read through selectors and write through services, where the rules live."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from exploration import selectors, services
from exploration.forms.decisions import (
    DecisionCriterionForm,
    DecisionGridForm,
    DecisionMatrixForm,
    DecisionOptionForm,
)
from exploration.models import DecisionMatrix
from journeys import roles
from journeys.base import ApplicationError
from journeys.forms import apply_error
from journeys.htmx import render_page
from journeys.models import OrganizationKind
from journeys.selectors import organization_scope
from journeys.web import browser_view, form_submitted, render_form, require

WRITE_REFUSED = "Your role may not change decision matrices."
DETAIL_TEMPLATE = "exploration/decisions/detail.html"
FORM_TEMPLATE = "exploration/decisions/form.html"


def _consumers(user):
    return organization_scope(user).filter(kind=OrganizationKind.CONSUMER).only("pk", "name").order_by("name")


def _providers(user):
    return (
        organization_scope(user).exclude(kind=OrganizationKind.CONSUMER).only("pk", "name").order_by("name")
    )


@browser_view
@require_GET
def decision_list(request: HttpRequest) -> HttpResponse:
    return render_page(
        request,
        "exploration/decisions/list.html",
        {
            "matrices": selectors.decision_matrix_list(user=request.user),
            "can_manage": roles.may_manage_accounts(request.user),
        },
    )


@browser_view
@require_http_methods(["GET", "POST"])
def decision_create(request: HttpRequest) -> HttpResponse:
    require(roles.may_manage_accounts(request.user), WRITE_REFUSED)
    form = DecisionMatrixForm(request.POST or None, organizations=_consumers(request.user))
    matrix = form_submitted(
        request, form, lambda: services.decision_matrix_create(actor=request.user, **form.cleaned_data)
    )
    if matrix:
        messages.success(request, f"Decision matrix “{matrix.title}” created.")
        return redirect("exploration:decision_detail", pk=matrix.pk)
    return render_form(request, FORM_TEMPLATE, {"form": form, "matrix": None})


@browser_view
@require_http_methods(["GET", "POST"])
def decision_edit(request: HttpRequest, pk: int) -> HttpResponse:
    matrix = selectors.decision_matrix_get(user=request.user, pk=pk)
    require(roles.may_manage_accounts(request.user), WRITE_REFUSED)
    form = DecisionMatrixForm(
        request.POST or None,
        initial=DecisionMatrixForm.initial_for(matrix),
        organizations=_consumers(request.user),
        editing=True,
    )
    saved = form_submitted(
        request,
        form,
        lambda: services.decision_matrix_update(actor=request.user, matrix=matrix, **form.cleaned_data),
    )
    if saved:
        messages.success(request, f"Decision matrix “{saved.title}” saved.")
        return redirect("exploration:decision_detail", pk=saved.pk)
    return render_form(request, FORM_TEMPLATE, {"form": form, "matrix": matrix})


@browser_view
@require_http_methods(["GET", "POST"])
def decision_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks for confirmation; POST deletes."""
    matrix = selectors.decision_matrix_get(user=request.user, pk=pk)
    require(roles.may_manage_accounts(request.user), WRITE_REFUSED)
    if request.method == "POST":
        services.decision_matrix_delete(actor=request.user, matrix=matrix)
        messages.success(request, f"Decision matrix “{matrix.title}” deleted.")
        return redirect("exploration:decision_list")
    return render_page(request, "exploration/decisions/delete.html", {"matrix": matrix})


def _detail(
    request: HttpRequest,
    matrix: DecisionMatrix,
    *,
    grid: DecisionGridForm | None = None,
    criterion_form: DecisionCriterionForm | None = None,
    option_form: DecisionOptionForm | None = None,
    grid_error: str = "",
    result: selectors.DecisionMatrixResult | None = None,
) -> HttpResponse:
    """The matrix page; with a refused form it comes back at 400 showing the input and its errors
    (the result shown is the saved one, since nothing of the refused input was saved)."""
    result = result or selectors.decision_matrix_result(matrix=matrix, user=request.user)
    can_manage = roles.may_manage_accounts(request.user)
    refused = any(form is not None and form.errors for form in (grid, criterion_form, option_form))
    grid = grid or DecisionGridForm(result=result)
    if can_manage:
        criterion_form = criterion_form or DecisionCriterionForm(prefix="criterion")
        option_form = option_form or DecisionOptionForm(
            prefix="option", organizations=_providers(request.user)
        )
    context = {
        "matrix": matrix,
        "result": result,
        "grid": grid,
        "grid_error": grid_error,
        "criterion_form": criterion_form,
        "option_form": option_form,
        "can_manage": can_manage,
    }
    return render_page(request, DETAIL_TEMPLATE, context, status=400 if refused else 200)


@browser_view
@require_GET
def decision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.decision_matrix_get(user=request.user, pk=pk))


@browser_view
@require_POST
def decision_grid_save(request: HttpRequest, pk: int) -> HttpResponse:
    matrix = selectors.decision_matrix_get(user=request.user, pk=pk)
    require(roles.may_manage_accounts(request.user), WRITE_REFUSED)
    result = selectors.decision_matrix_result(matrix=matrix, user=request.user)
    grid = DecisionGridForm(request.POST, result=result)
    if grid.is_valid():
        try:
            services.decision_matrix_save_grid(actor=request.user, matrix=matrix, **grid.grid())
        except ApplicationError as error:
            apply_error(grid, error)
            return _detail(request, matrix, grid=grid, grid_error=error.message, result=result)
        messages.success(request, "Grid saved.")
        return redirect("exploration:decision_detail", pk=matrix.pk)
    return _detail(
        request, matrix, grid=grid, grid_error="Nothing was saved: check the marked cells.", result=result
    )


@browser_view
@require_POST
def decision_criterion_add(request: HttpRequest, pk: int) -> HttpResponse:
    matrix = selectors.decision_matrix_get(user=request.user, pk=pk)
    require(roles.may_manage_accounts(request.user), WRITE_REFUSED)
    form = DecisionCriterionForm(request.POST, prefix="criterion")
    criterion = form_submitted(
        request,
        form,
        lambda: services.decision_criterion_add(actor=request.user, matrix=matrix, **form.cleaned_data),
    )
    if criterion:
        messages.success(request, f"Criterion “{criterion.name}” added.")
        return redirect("exploration:decision_detail", pk=matrix.pk)
    return _detail(request, matrix, criterion_form=form)


@browser_view
@require_POST
def decision_criterion_remove(request: HttpRequest, pk: int, criterion_pk: int) -> HttpResponse:
    criterion = selectors.decision_criterion_get(user=request.user, pk=criterion_pk, matrix_pk=pk)
    require(roles.may_manage_accounts(request.user), WRITE_REFUSED)
    services.decision_criterion_remove(actor=request.user, criterion=criterion)
    messages.success(request, f"Criterion “{criterion.name}” removed.")
    return redirect("exploration:decision_detail", pk=pk)


@browser_view
@require_POST
def decision_option_add(request: HttpRequest, pk: int) -> HttpResponse:
    matrix = selectors.decision_matrix_get(user=request.user, pk=pk)
    require(roles.may_manage_accounts(request.user), WRITE_REFUSED)
    form = DecisionOptionForm(request.POST, prefix="option", organizations=_providers(request.user))
    option = form_submitted(
        request,
        form,
        lambda: services.decision_option_add(actor=request.user, matrix=matrix, **form.cleaned_data),
    )
    if option:
        messages.success(request, f"Option “{option.name}” added.")
        return redirect("exploration:decision_detail", pk=matrix.pk)
    return _detail(request, matrix, option_form=form)


@browser_view
@require_POST
def decision_option_remove(request: HttpRequest, pk: int, option_pk: int) -> HttpResponse:
    option = selectors.decision_option_get(user=request.user, pk=option_pk, matrix_pk=pk)
    require(roles.may_manage_accounts(request.user), WRITE_REFUSED)
    services.decision_option_remove(actor=request.user, option=option)
    messages.success(request, f"Option “{option.name}” removed.")
    return redirect("exploration:decision_detail", pk=pk)
