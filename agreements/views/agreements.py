"""Pages of agreements: the list over the accounts the user may see and over one account, an
agreement's page (header, warnings, lifecycle moves, targets, compliance, reviews, history), its forms,
the lifecycle moves and the reviews. Views read through selectors and write through services; the
rules live there.

The lists' filters swap the results region with HTMX (a template partial) and work as plain GET
forms without it. A lifecycle move is a plain form posted from the agreement's page; terminating asks
why on a small page of its own (`?status=terminated`), which also shows a refused move with its reason.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_GET, require_http_methods

from agreements import selectors, services
from agreements.forms.agreements import (
    AgreementEditForm,
    AgreementFilterForm,
    ReviewForm,
    TransitionForm,
    agreement_query,
)
from agreements.models import Agreement, AgreementStatus
from journeys import roles
from journeys import selectors as journeys_selectors
from journeys.base import ApplicationError
from journeys.forms import apply_error
from journeys.htmx import render_page
from journeys.models import Organization, OrganizationKind
from journeys.web import browser_view, form_submitted, peek_page, render_form, require

__all__: list[str] = []

WRITE_REFUSED = "Your role may not change agreements."
LIST_TEMPLATE = "agreements/agreement_list.html"
FORM_TEMPLATE = "agreements/agreement_form.html"
# The lifecycle as the page draws it; an ended agreement shows "Expired" or "Terminated" last.
LIFECYCLE_STEPS = (
    ("draft", "Draft"),
    ("negotiating", "Negotiating"),
    ("agreed", "Agreed"),
    ("active", "Active"),
    ("ended", "Expired or terminated"),
)


def _require_writer(request: HttpRequest) -> None:
    require(roles.may_manage_accounts(request.user), WRITE_REFUSED)


# --- lists ----------------------------------------------------------------------------------------


def _list_page(request: HttpRequest, organization: Organization | None) -> HttpResponse:
    offerings = selectors.agreement_filter_offerings()
    form = AgreementFilterForm(request.GET or None, offerings=offerings, with_search=organization is None)
    filters = form.filters()
    if organization is not None:
        filters["search"] = ""
    today = timezone.localdate()
    rows = selectors.agreement_list(
        user=request.user,
        organization=organization,
        status=filters["status"] or None,
        kind=filters["kind"] or None,
        offering=filters["offering"],
        search=filters["search"],
        today=today,
    )
    page = peek_page(rows, request.GET.get("page"), selectors.AGREEMENTS_PER_PAGE)
    may_write = roles.may_manage_accounts(request.user)
    context = {
        "organization": organization,
        "form": form,
        "page": page,
        "query": agreement_query(**filters),
        "filtered": any(filters.values()),
        "today": today,
        "review_soon_days": selectors.REVIEW_SOON_DAYS,
        "can_add": may_write and organization is not None and organization.kind == OrganizationKind.CONSUMER,
    }
    return render_page(request, LIST_TEMPLATE, context, partial="results")


@browser_view
@require_GET
def agreement_list(request: HttpRequest) -> HttpResponse:
    return _list_page(request, None)


@browser_view
@require_GET
def account_agreements(request: HttpRequest, pk: int) -> HttpResponse:
    organization = journeys_selectors.organization_get(user=request.user, pk=pk, brief=True)
    return _list_page(request, organization)


# --- one agreement --------------------------------------------------------------------------------


def _warn(request: HttpRequest, agreement: Agreement) -> None:
    for warning in selectors.agreement_kind_warnings(
        organization=agreement.organization, kind=agreement.kind
    ):
        messages.warning(request, warning)


def _form(request: HttpRequest, organization: Organization, agreement: Agreement | None, initial: dict):
    return AgreementEditForm(
        request.POST or None,
        organization=organization,
        offerings=selectors.agreement_filter_offerings(),
        agreement=agreement,
        initial=initial,
    )


def _form_context(form, organization: Organization, agreement: Agreement | None) -> dict:
    kind = form.data.get("kind") if form.is_bound else form.initial.get("kind")
    kind = kind or (agreement.kind if agreement else "sla")
    return {
        "form": form,
        "organization": organization,
        "agreement": agreement,
        "warnings": selectors.agreement_kind_warnings(organization=organization, kind=kind)
        if kind in dict(form.fields["kind"].choices)
        else [],
    }


@browser_view
@require_http_methods(["GET", "POST"])
def agreement_create(request: HttpRequest, pk: int) -> HttpResponse:
    organization = journeys_selectors.organization_get(user=request.user, pk=pk, brief=True)
    _require_writer(request)
    initial = {
        "owner": request.user.pk if roles.Role.RELATIONSHIP_MANAGER in roles.roles_of(request.user) else None
    }
    form = _form(request, organization, None, initial)
    agreement = form_submitted(
        request,
        form,
        lambda: services.agreement_create(
            actor=request.user, organization=organization, **form.service_data()
        ),
    )
    if agreement:
        messages.success(
            request, f"Agreement “{agreement.title}” drafted. Add its service level targets next."
        )
        _warn(request, agreement)
        return redirect("agreements:agreement_detail", pk=agreement.pk)
    return render_form(request, FORM_TEMPLATE, _form_context(form, organization, None))


@browser_view
@require_GET
def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = selectors.agreement_get(user=request.user, pk=pk, for_page=True)
    today = timezone.localdate()
    page = selectors.agreement_page(user=request.user, agreement=agreement, today=today)
    can_manage = roles.may_manage_accounts(request.user)
    is_final = AgreementStatus(agreement.status).is_final
    return render(
        request,
        "agreements/agreement_detail.html",
        {
            "agreement": agreement,
            "organization": agreement.organization,
            "page": page,
            "compliance": selectors.agreement_compliance(
                user=request.user,
                agreement=agreement,
                today=today,
                targets=[row.target for row in page.targets],
            ),
            "can_manage": can_manage,
            "is_final": is_final,
            # Whether the user may still change it: edit it and add, edit, stop or resume its targets.
            "can_change": can_manage and not is_final,
            "lifecycle_steps": LIFECYCLE_STEPS,
        },
    )


@browser_view
@require_http_methods(["GET", "POST"])
def agreement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = selectors.agreement_get(user=request.user, pk=pk)
    _require_writer(request)
    form = _form(request, agreement.organization, agreement, AgreementEditForm.initial_for(agreement))
    saved = form_submitted(
        request,
        form,
        lambda: services.agreement_update(actor=request.user, agreement=agreement, **form.service_data()),
    )
    if saved:
        messages.success(request, f"Agreement “{saved.title}” saved.")
        _warn(request, saved)
        return redirect("agreements:agreement_detail", pk=saved.pk)
    context = _form_context(form, agreement.organization, agreement)
    context["is_final"] = AgreementStatus(agreement.status).is_final
    return render_form(request, FORM_TEMPLATE, context)


@browser_view
@require_http_methods(["GET", "POST"])
def agreement_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks for confirmation (or says why it cannot be deleted); POST deletes a draft."""
    agreement = selectors.agreement_get(user=request.user, pk=pk)
    _require_writer(request)
    error = ""
    if request.method == "POST":
        try:
            services.agreement_delete(actor=request.user, agreement=agreement)
        except ApplicationError as refused:
            error = refused.message
        else:
            messages.success(request, f"Agreement “{agreement.title}” deleted.")
            return redirect("agreements:account_agreements", pk=agreement.organization_id)
    return render(
        request,
        "agreements/agreement_confirm_delete.html",
        {"agreement": agreement, "organization": agreement.organization, "error": error},
        status=409 if error else 200,
    )


# --- the lifecycle --------------------------------------------------------------------------------


@browser_view
@require_http_methods(["GET", "POST"])
def agreement_transition(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the form confirming a move (how terminating asks why). POST: the move; a refused one comes
    back on this page with its reason."""
    agreement = selectors.agreement_get(user=request.user, pk=pk)
    _require_writer(request)
    if request.method == "GET":
        status = request.GET.get("status", "")
        form = TransitionForm(
            initial={"status": status if status in AgreementStatus.values else AgreementStatus.TERMINATED}
        )
    else:
        form = TransitionForm(request.POST)
        if form.is_valid():
            try:
                moved = services.agreement_transition(
                    actor=request.user,
                    agreement=agreement,
                    to_status=form.cleaned_data["status"],
                    reason=form.cleaned_data["reason"],
                )
            except ApplicationError as error:
                apply_error(form, error)
            else:
                messages.success(request, f"“{moved.title}” is now {moved.get_status_display().lower()}.")
                return redirect("agreements:agreement_detail", pk=moved.pk)
    chosen = form["status"].value() or AgreementStatus.TERMINATED
    chosen = AgreementStatus(chosen) if chosen in AgreementStatus.values else AgreementStatus.TERMINATED
    return render_form(
        request,
        "agreements/agreement_transition.html",
        {
            "form": form,
            "agreement": agreement,
            "organization": agreement.organization,
            "chosen": chosen,
            "blockers": selectors.agreement_transition_blockers(
                agreement=agreement, to_status=chosen, today=timezone.localdate()
            )
            if chosen in agreement.allowed_transitions
            else {},
            "allowed": chosen in agreement.allowed_transitions,
        },
    )


# --- reviews --------------------------------------------------------------------------------------


@browser_view
@require_http_methods(["GET", "POST"])
def agreement_review_create(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = selectors.agreement_get(user=request.user, pk=pk)
    _require_writer(request)
    form = ReviewForm(request.POST or None)
    review = form_submitted(
        request,
        form,
        lambda: services.agreement_review_record(
            actor=request.user, agreement=agreement, **form.cleaned_data
        ),
    )
    if review:
        agreement.refresh_from_db(fields=["next_review_on"])
        planned = (
            f" Next review: {date_format(agreement.next_review_on, 'j M Y')}."
            if agreement.next_review_on
            else " Reviews are on demand, so none is planned."
        )
        messages.success(request, f"Review of {date_format(review.held_on, 'j M Y')} recorded.{planned}")
        return redirect(reverse("agreements:agreement_detail", args=[agreement.pk]) + "#reviews")
    return render_form(
        request,
        "agreements/agreement_review_form.html",
        {"form": form, "agreement": agreement, "organization": agreement.organization},
    )
