"""Pages of business cases: the list (all the user's consumers, or one account's), the form that starts
or edits a case, and one version's page with its figures, cash flow, lines, versions and decision.

A version's cost lines, benefit lines, risks and assumptions are added, edited and removed in place: the
page's `workspace` region (a template partial) comes back to HTMX with the change and the new figures;
without HTMX the same links and forms load the page with the form open, post normally and redirect
back (or, when refused, show the page with the errors and a 400). HTMX swaps only successful answers,
so there a refused change comes back with a 200 and the errors in the region. The workflow (submit,
withdraw, approve, reject, new version) is plain forms that redirect. Reads go through selectors,
writes through services.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from journeys import roles
from journeys import selectors as journeys_selectors
from journeys.base import ApplicationError
from journeys.forms import apply_error
from journeys.htmx import render_page, wants_fragment
from journeys.web import browser_view, form_submitted, render_form, require
from offerings import charts
from offerings.forms.business_cases import (
    AssumptionForm,
    BenefitLineForm,
    BusinessCaseFilterForm,
    BusinessCaseForm,
    CostLineForm,
    DecisionForm,
    RiskForm,
)
from offerings.models import BusinessCase, BusinessCaseStatus
from offerings.selectors import business_cases as selectors
from offerings.services import business_cases as services

LIST_TEMPLATE = "offerings/business_case_list.html"
FORM_TEMPLATE = "offerings/business_case_form.html"
DETAIL_TEMPLATE = "offerings/business_case_detail.html"
DELETE_TEMPLATE = "offerings/business_case_confirm_delete.html"
WRITE_REFUSED = "Your role may not change business cases."
PAGE_SIZE = 50


@dataclass(frozen=True)
class LineKind:
    """What differs between the four kinds of row a case holds."""

    key: str
    label: str  # "Cost line"
    form: type[forms.Form]
    add: Callable
    update: Callable
    remove: Callable
    argument: str  # the service's name for the row: line, risk or assumption

    def form_for(self, *args, **kwargs) -> forms.Form:
        return self.form(*args, auto_id=f"id_{self.key}_%s", **kwargs)


KINDS = {
    "costs": LineKind(
        "costs",
        "Cost line",
        CostLineForm,
        services.cost_line_add,
        services.cost_line_update,
        services.cost_line_remove,
        "line",
    ),
    "benefits": LineKind(
        "benefits",
        "Benefit line",
        BenefitLineForm,
        services.benefit_line_add,
        services.benefit_line_update,
        services.benefit_line_remove,
        "line",
    ),
    "risks": LineKind(
        "risks",
        "Risk",
        RiskForm,
        services.business_case_risk_add,
        services.business_case_risk_update,
        services.business_case_risk_remove,
        "risk",
    ),
    "assumptions": LineKind(
        "assumptions",
        "Assumption",
        AssumptionForm,
        services.assumption_add,
        services.assumption_update,
        services.assumption_remove,
        "assumption",
    ),
}


def _kind(key: str) -> LineKind:
    kind = KINDS.get(key)
    if kind is None:
        raise Http404("No such kind of line.")
    return kind


def _require_writer(request: HttpRequest) -> None:
    require(roles.may_manage_accounts(request.user), WRITE_REFUSED)


def _detail_url(case: BusinessCase, anchor: str = "") -> str:
    return reverse("offerings:business_case_detail", args=[case.pk]) + (f"#{anchor}" if anchor else "")


def _saved(form: forms.Form, save: Callable) -> bool:
    """Run a service for a valid form; its ApplicationError lands on the form's fields."""
    if not form.is_valid():
        return False
    try:
        save()
    except ApplicationError as error:
        apply_error(form, error)
        return False
    return True


# --- lists ----------------------------------------------------------------------------------------


def _list_page(request: HttpRequest, organization=None) -> HttpResponse:
    filters = BusinessCaseFilterForm(request.GET or None, user=request.user)
    chosen = filters.filters()
    if organization is not None:
        chosen["organization"] = organization
    cases = selectors.business_case_list(user=request.user, **{k: v for k, v in chosen.items() if v})
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    query = {name: value for name, value in request.GET.items() if name != "page" and value}
    new_url = reverse("offerings:business_case_create")
    if chosen.get("organization"):
        new_url += f"?organization={chosen['organization'].pk}"
    return render_page(
        request,
        LIST_TEMPLATE,
        {
            "filters": filters,
            "organization": organization,
            "page": page,
            "rows": selectors.business_case_rows(page.object_list),
            "query": urlencode(query),
            "can_manage": roles.may_manage_accounts(request.user),
            "new_url": new_url,
        },
        partial="results",
    )


@browser_view
@require_GET
def business_case_list(request: HttpRequest) -> HttpResponse:
    """The business cases of every consumer the user may see, each case once (its latest version)."""
    return _list_page(request)


@browser_view
@require_GET
def business_case_account_list(request: HttpRequest, pk: int) -> HttpResponse:
    """One account's business cases."""
    return _list_page(request, journeys_selectors.organization_get(user=request.user, pk=pk, brief=True))


# --- start, edit, delete --------------------------------------------------------------------------


@browser_view
@require_http_methods(["GET", "POST"])
def business_case_create(request: HttpRequest) -> HttpResponse:
    _require_writer(request)
    initial = {}
    if request.GET.get("organization", "").isdigit():
        initial["organization"] = int(request.GET["organization"])
    if request.GET.get("offering", "").isdigit():
        initial["offering"] = int(request.GET["offering"])
    form = BusinessCaseForm(request.POST or None, user=request.user, initial=initial)
    case = form_submitted(
        request, form, lambda: services.business_case_create(actor=request.user, **form.service_data())
    )
    if case:
        messages.success(request, f"Business case “{case.title}” started. Add its costs and benefits.")
        return redirect("offerings:business_case_detail", pk=case.pk)
    return render_form(request, FORM_TEMPLATE, {"form": form, "case": None})


@browser_view
@require_http_methods(["GET", "POST"])
def business_case_edit(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.business_case_get(user=request.user, pk=pk)
    _require_writer(request)
    form = BusinessCaseForm(
        request.POST or None, user=request.user, case=case, initial=BusinessCaseForm.initial_for(case)
    )
    saved = form_submitted(
        request,
        form,
        lambda: services.business_case_update(actor=request.user, case=case, **form.service_data()),
    )
    if saved:
        messages.success(request, f"Business case “{saved.title}” saved.")
        return redirect("offerings:business_case_detail", pk=saved.pk)
    return render_form(request, FORM_TEMPLATE, {"form": form, "case": case})


@browser_view
@require_http_methods(["GET", "POST"])
def business_case_delete(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.business_case_get(user=request.user, pk=pk)
    _require_writer(request)
    error = ""
    if request.method == "POST":
        try:
            services.business_case_delete(actor=request.user, case=case)
        except ApplicationError as refused:
            error = refused.message
        else:
            messages.success(request, f"Version {case.version} of “{case.title}” deleted.")
            return redirect("offerings:business_case_account_list", pk=case.organization_id)
    return render(request, DELETE_TEMPLATE, {"case": case, "error": error}, status=409 if error else 200)


# --- one version's page ---------------------------------------------------------------------------


@dataclass(frozen=True)
class OpenForm:
    kind: LineKind
    line_pk: int | None
    form: forms.Form


def _compare_with(request: HttpRequest) -> int | None:
    value = request.GET.get("compare", "")
    return int(value) if value.isdigit() else None


def _detail(
    request: HttpRequest,
    case: BusinessCase,
    *,
    open_form: OpenForm | None = None,
    decision_form: DecisionForm | None = None,
    notice: str = "",
    refusal: str = "",
    partial: str | None = "workspace",
    status: int = 200,
) -> HttpResponse:
    page = selectors.business_case_page(user=request.user, pk=case.pk, compare_with=_compare_with(request))
    case = page.case  # as the page read it, after whatever was just written
    can_manage = roles.may_manage_accounts(request.user)
    failed = open_form if open_form is not None and open_form.form.errors else None
    context = {
        "case": case,
        "page": page,
        "figures": page.figures,
        "can_manage": can_manage,
        "can_edit": can_manage and page.is_editable,
        "open_form": open_form,
        "errors": _error_messages(failed.form) if failed else [refusal] if refusal else [],
        "notice": notice,
        "case_url": reverse("offerings:business_case_detail", args=[case.pk]),
        "chart": charts.cash_flow_chart(page.figures.years, payback=page.figures.payback_years),
    }
    if can_manage and case.status == BusinessCaseStatus.SUBMITTED:
        context["decision_form"] = decision_form or DecisionForm()
    return render_page(request, DETAIL_TEMPLATE, context, partial=partial, status=status)


def _error_messages(form: forms.Form) -> list[str]:
    return [
        f"{form.fields[name].label or name.replace('_', ' ').capitalize()}: {message}"
        if name in form.fields
        else message
        for name, errors in form.errors.items()
        for message in errors
    ]


@browser_view
@require_GET
def business_case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    # The page reads the version with its lineage (and checks who may see it) in one query.
    return _detail(request, BusinessCase(pk=pk))


def _answer(
    request: HttpRequest, case: BusinessCase, *, notice: str, anchor: str, open_form: OpenForm | None = None
):
    """After a write to a row: the workspace again for HTMX (with a notice, or the errors), otherwise a
    redirect back to the page or, when the write was refused, the whole page with a 400."""
    refused = open_form is not None and open_form.form.errors
    if refused:
        return _detail(request, case, open_form=open_form, status=200 if wants_fragment(request) else 400)
    if wants_fragment(request):
        return _detail(request, case, notice=notice)
    messages.success(request, notice)
    return redirect(_detail_url(case, anchor))


@browser_view
@require_http_methods(["GET", "POST"])
def business_case_line_add(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """The page with the form for a new row open (GET), or the new row itself (POST)."""
    line_kind = _kind(kind)
    case = selectors.business_case_get(user=request.user, pk=pk)
    _require_writer(request)
    if request.method == "GET":
        return _detail(request, case, open_form=OpenForm(line_kind, None, line_kind.form_for()))
    form = line_kind.form_for(request.POST)
    _saved(form, lambda: line_kind.add(actor=request.user, case=case, **form.service_data()))
    return _answer(
        request,
        case,
        notice=f"{line_kind.label} added.",
        anchor=line_kind.key,
        open_form=OpenForm(line_kind, None, form),
    )


@browser_view
@require_http_methods(["GET", "POST"])
def business_case_line_edit(request: HttpRequest, pk: int, kind: str, line_pk: int) -> HttpResponse:
    """The page with one row open for editing (GET), or the change itself (POST)."""
    line_kind = _kind(kind)
    case = selectors.business_case_get(user=request.user, pk=pk)
    line = selectors.business_case_line_get(user=request.user, case=case, kind=kind, pk=line_pk)
    _require_writer(request)
    if request.method == "GET":
        form = line_kind.form_for(initial=line_kind.form.initial_for(line))
        return _detail(request, case, open_form=OpenForm(line_kind, line.pk, form))
    form = line_kind.form_for(request.POST)
    _saved(
        form,
        lambda: line_kind.update(actor=request.user, **{line_kind.argument: line}, **form.service_data()),
    )
    return _answer(
        request,
        case,
        notice=f"{line_kind.label} saved.",
        anchor=line_kind.key,
        open_form=OpenForm(line_kind, line.pk, form),
    )


@browser_view
@require_POST
def business_case_line_remove(request: HttpRequest, pk: int, kind: str, line_pk: int) -> HttpResponse:
    line_kind = _kind(kind)
    case = selectors.business_case_get(user=request.user, pk=pk)
    line = selectors.business_case_line_get(user=request.user, case=case, kind=kind, pk=line_pk)
    _require_writer(request)
    try:
        line_kind.remove(actor=request.user, **{line_kind.argument: line})
    except ApplicationError as error:
        if wants_fragment(request):
            return _detail(request, case, refusal=error.message)
        messages.error(request, error.message)
        return redirect(_detail_url(case, line_kind.key))
    return _answer(request, case, notice=f"{line_kind.label} removed.", anchor=line_kind.key)


# --- versions and the decision --------------------------------------------------------------------


def _workflow(
    request: HttpRequest, pk: int, act: Callable, done: Callable[[BusinessCase], str]
) -> HttpResponse:
    case = selectors.business_case_get(user=request.user, pk=pk)
    _require_writer(request)
    try:
        result = act(case)
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect(_detail_url(case))
    messages.success(request, done(result))
    return redirect(_detail_url(result))


@browser_view
@require_POST
def business_case_new_version(request: HttpRequest, pk: int) -> HttpResponse:
    return _workflow(
        request,
        pk,
        lambda case: services.business_case_new_version(actor=request.user, case=case),
        lambda copy: f"Version {copy.version} made as a copy; change it and submit it when it is ready.",
    )


@browser_view
@require_POST
def business_case_submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _workflow(
        request,
        pk,
        lambda case: services.business_case_submit(actor=request.user, case=case),
        lambda case: f"Version {case.version} submitted for a decision.",
    )


@browser_view
@require_POST
def business_case_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _workflow(
        request,
        pk,
        lambda case: services.business_case_withdraw(actor=request.user, case=case),
        lambda case: f"Version {case.version} is a draft again.",
    )


def _decide(request: HttpRequest, pk: int, decide: Callable, done: str) -> HttpResponse:
    case = selectors.business_case_get(user=request.user, pk=pk)
    _require_writer(request)
    form = DecisionForm(request.POST)
    decided = form_submitted(
        request,
        form,
        lambda: decide(actor=request.user, case=case, decision_note=form.cleaned_data["decision_note"]),
    )
    if decided:
        messages.success(request, done.format(version=decided.version))
        return redirect(_detail_url(decided))
    # Refused: the note's error under the note, any other (the status, no benefit lines) above it.
    return _detail(request, case, decision_form=form, partial=None, status=400)


@browser_view
@require_POST
def business_case_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(
        request, pk, services.business_case_approve, "Version {version} approved: it is now the baseline."
    )


@browser_view
@require_POST
def business_case_reject(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, services.business_case_reject, "Version {version} rejected.")
