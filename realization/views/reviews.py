"""Pages of value reviews (/realize/reviews/): the list (overdue ones marked, agreements due for a
review with none planned), planning one for an account, a review's page — its figures, the benefits
and targets with what was realized beside what was expected, the analysis, decisions, actions, the
moves along its lifecycle and the sponsor's sign-off — and its review pack, to print (HTML) or to
take away (CSV).

Views read through the selectors and write through the services; the rules (who may, which move is
allowed, how the lines are prepared) live there. Each part of a review's page is a small form posted
to its own address; a saved change redirects back to the page, a refused one renders the page again
with the error beside its field (400, or 409 for a move the lifecycle does not allow). The actions
region swaps in place with HTMX and works as plain forms without it.
"""

from __future__ import annotations

import csv

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agreements.models import Agreement, AgreementStatus
from journeys import roles
from journeys import selectors as journeys_selectors
from journeys.base import ApplicationError
from journeys.forms import apply_error
from journeys.htmx import render_page, wants_fragment
from journeys.web import browser_view, form_submitted, peek_page, render_form, require
from realization import selectors, services
from realization.forms.reviews import (
    ActionForm,
    ActionUpdateForm,
    ReviewDetailsForm,
    ReviewFilterForm,
    ReviewLinesForm,
    ReviewNotesForm,
    ReviewPlanForm,
    SignOffForm,
    TransitionForm,
)
from realization.models import ReviewAction, ValueReview, ValueReviewStatus

__all__ = [
    "review_action_add",
    "review_action_update",
    "review_detail",
    "review_edit",
    "review_lines",
    "review_list",
    "review_new",
    "review_notes",
    "review_pack",
    "review_pack_csv",
    "review_prepare",
    "review_sign_off",
    "review_transition",
]

WRITE_REFUSED = "Your role may read value reviews but not plan or change them."
DETAIL_TEMPLATE = "realization/reviews/review_detail.html"
LIVE_AGREEMENTS = (AgreementStatus.AGREED, AgreementStatus.ACTIVE)


def _may_change(request: HttpRequest) -> bool:
    return roles.may_manage_accounts(request.user)


def _require_writer(request: HttpRequest) -> None:
    require(_may_change(request), WRITE_REFUSED)


def _review_or_404(request: HttpRequest, pk: int) -> ValueReview:
    """The review with its account, for the write pages (the services lock and check it again)."""
    found = selectors.review_scope(request.user).select_related("organization").filter(pk=pk).first()
    if found is None:
        raise Http404("No such value review.")
    return found


# --- the list ---------------------------------------------------------------------------------------


@browser_view
@require_GET
def review_list(request: HttpRequest) -> HttpResponse:
    """The reviews of the accounts the user sees, open ones first (soonest first, overdue marked),
    and the agreements due for a review that has not been planned yet."""
    form = ReviewFilterForm(request.GET or None)
    arguments = form.selector_arguments()
    page = peek_page(
        selectors.review_list(user=request.user, **arguments),
        request.GET.get("page"),
        selectors.REVIEWS_PER_PAGE,
    )
    context = {
        "form": form,
        "page": page,
        "reviews": page.object_list,
        "query": form.query(),
        "filtered": form.filtered(),
        "can_change": _may_change(request),
        "today": timezone.localdate(),
    }
    if not wants_fragment(request):
        context["due_agreements"] = [
            item
            for item in selectors.reviews_upcoming(user=request.user, limit=10)
            if item.kind == "agreement"
        ]
    return render_page(request, "realization/reviews/review_list.html", context, partial="results")


# --- planning ---------------------------------------------------------------------------------------


def _account_from(request: HttpRequest, raw: str):
    if not raw.isdigit():
        return None
    try:
        return journeys_selectors.organization_get(user=request.user, pk=int(raw), brief=True)
    except Http404:
        return None


def _agreement_from(raw: str, choices) -> Agreement | None:
    for agreement in choices.agreements:
        if str(agreement.pk) == raw:
            return agreement
    return None


@browser_view
@require_http_methods(["GET", "POST"])
def review_new(request: HttpRequest) -> HttpResponse:
    """Plan a review for `?organization=<id>` (and `&agreement=<id>`), as the account's page and the
    list of agreements due link here. Without an account the page asks for it first."""
    _require_writer(request)
    source = request.POST if request.method == "POST" else request.GET
    raw = (source.get("organization") or "").strip()
    organization = _account_from(request, raw) if raw else None
    problem = ""
    if raw and organization is None:
        problem = f"No account you may see has the number “{raw}”. Find the account by its name instead."
    if organization is None:
        search = (request.GET.get("q") or "").strip()[:100]
        context = {
            "search": search,
            "matches": journeys_selectors.organization_search(user=request.user, query=search),
            "organization_problem": problem,
        }
        return render_page(
            request,
            "realization/reviews/review_account.html",
            context,
            partial="matches",
            status=400 if problem or request.method == "POST" else 200,
        )
    agreement_raw = (request.GET.get("agreement") or "").strip()
    choices = selectors.review_plan_choices(user=request.user, organization=organization)
    agreement = _agreement_from(agreement_raw, choices)
    if agreement is not None:
        choices = selectors.review_plan_choices(
            user=request.user, organization=organization, agreement=agreement
        )
    form = ReviewPlanForm(
        request.POST if request.method == "POST" else None,
        choices=choices,
        initial={
            "agreement": agreement.pk if agreement else None,
            "business_case": choices.default_case.pk if choices.default_case else None,
            "sponsor": choices.sponsors[0].pk if choices.sponsors else None,
            "scheduled_on": agreement.next_review_on if agreement else None,
        },
    )
    planned = form_submitted(
        request,
        form,
        lambda: services.review_plan(actor=request.user, organization=organization, **form.service_data()),
    )
    if planned:
        messages.success(
            request,
            f"“{planned.title}” planned for {planned.scheduled_on:%d %b %Y}. Prepare it to copy in the "
            "expected benefits, the targets and the period's figures.",
        )
        return redirect("realization:review_detail", pk=planned.pk)
    return render_form(
        request,
        "realization/reviews/review_form.html",
        {"form": form, "organization": organization, "review": None, "choices": choices},
    )


# --- one review -------------------------------------------------------------------------------------


def _detail_context(request: HttpRequest, page, **forms) -> dict:
    review = page.review
    editable = review.is_editable and _may_change(request)
    context = {
        "page": page,
        "review": review,
        "organization": review.organization,
        "can_change": _may_change(request),
        "editable": editable,
        "today": timezone.localdate(),
        "move_error": forms.pop("move_error", ""),
        "prepare_error": forms.pop("prepare_error", ""),
    }
    if editable:
        context["lines_form"] = forms.get("lines_form") or ReviewLinesForm(
            benefits=page.benefits, targets=page.targets
        )
        context["notes_form"] = forms.get("notes_form") or ReviewNotesForm(review=review)
        context["action_form"] = forms.get("action_form") or ActionForm()
        if review.status == ValueReviewStatus.HELD:
            context["sign_off_form"] = forms.get("sign_off_form") or SignOffForm(
                review=review,
                sponsors=selectors.review_sponsor_choices(organization=review.organization),
                with_agreement=review.agreement is not None and review.agreement.status in LIVE_AGREEMENTS,
            )
    if editable:
        context["lines"] = context["lines_form"].rows()
    else:
        context["lines"] = {
            "benefits": [{"line": line} for line in page.benefits],
            "targets": [{"line": line} for line in page.targets],
        }
    context["actions_open"] = (
        review.is_editable or review.status == ValueReviewStatus.SIGNED_OFF
    ) and context["can_change"]
    return context


def _render_detail(request: HttpRequest, pk: int, *, status: int = 200, **forms) -> HttpResponse:
    page = selectors.review_page(user=request.user, pk=pk)
    return render(request, DETAIL_TEMPLATE, _detail_context(request, page, **forms), status=status)


@browser_view
@require_GET
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, pk)


@browser_view
@require_http_methods(["GET", "POST"])
def review_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The review's details: title, day, period, what it looks at (until it is held), sponsor, owner
    and participants."""
    review = _review_or_404(request, pk)
    _require_writer(request)
    if not review.is_editable:
        messages.error(
            request, f"“{review.title}” is {review.get_status_display().lower()}: it no longer changes."
        )
        return redirect("realization:review_detail", pk=pk)
    review = selectors.review_get(user=request.user, pk=pk)
    choices = selectors.review_plan_choices(user=request.user, organization=review.organization)
    form = ReviewDetailsForm(
        request.POST if request.method == "POST" else None, choices=choices, review=review
    )
    saved = form_submitted(
        request,
        form,
        lambda: services.review_update(actor=request.user, review=review, **form.service_data()),
    )
    if saved:
        messages.success(request, f"“{saved.title}” saved.")
        return redirect("realization:review_detail", pk=pk)
    return render_form(
        request,
        "realization/reviews/review_form.html",
        {"form": form, "organization": review.organization, "review": review, "choices": choices},
    )


def _saved_or_page(request: HttpRequest, pk: int, saved, message: str, **forms) -> HttpResponse:
    if saved:
        messages.success(request, message)
        return redirect("realization:review_detail", pk=pk)
    return _render_detail(request, pk, status=400, **forms)


@browser_view
@require_POST
def review_lines(request: HttpRequest, pk: int) -> HttpResponse:
    """Save what was realized (benefit lines) and achieved (target lines), with their comments."""
    review = _review_or_404(request, pk)
    _require_writer(request)
    page = selectors.review_page(user=request.user, pk=pk)
    form = ReviewLinesForm(request.POST, benefits=page.benefits, targets=page.targets)
    saved = None
    if form.is_valid():
        try:
            saved = services.review_lines_update(actor=request.user, review=review, **form.service_data())
        except ApplicationError as error:
            if error.status == 409:
                messages.error(request, error.message)
                return redirect("realization:review_detail", pk=pk)
            form.apply(error)
    return _saved_or_page(request, pk, saved, "Realized values saved.", lines_form=form)


@browser_view
@require_POST
def review_notes(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the answers to the analysis questions, the assessment, decisions and the next review."""
    review = _review_or_404(request, pk)
    _require_writer(request)
    form = ReviewNotesForm(request.POST, review=review)
    saved = None
    if form.is_valid():
        try:
            saved = services.review_update(actor=request.user, review=review, **form.service_data())
        except ApplicationError as error:
            if error.status == 409 and "status" in error.fields:
                messages.error(request, error.message)
                return redirect("realization:review_detail", pk=pk)
            form.apply(error)
    return _saved_or_page(request, pk, saved, "Analysis and decisions saved.", notes_form=form)


@browser_view
@require_POST
def review_prepare(request: HttpRequest, pk: int) -> HttpResponse:
    """Prepare the review again: fresh expected benefits, targets and figures (entries kept)."""
    review = _review_or_404(request, pk)
    _require_writer(request)
    try:
        services.review_prepare(actor=request.user, review=review)
    except ApplicationError as error:
        return _render_detail(request, pk, status=error.status, prepare_error=error.message)
    messages.success(request, "The review is prepared again with the figures as they are now.")
    return redirect("realization:review_detail", pk=pk)


@browser_view
@require_POST
def review_transition(request: HttpRequest, pk: int) -> HttpResponse:
    """Move the review along its lifecycle; a move it does not allow is refused (409)."""
    review = _review_or_404(request, pk)
    _require_writer(request)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, pk, status=400, move_error=next(iter(form.errors.values()))[0])
    try:
        moved = services.review_transition(
            actor=request.user,
            review=review,
            to_status=form.cleaned_data["to_status"],
            note=form.cleaned_data["note"],
        )
    except ApplicationError as error:
        return _render_detail(request, pk, status=error.status, move_error=error.message)
    messages.success(request, f"“{moved.title}” is now {moved.get_status_display().lower()}.")
    return redirect("realization:review_detail", pk=pk)


@browser_view
@require_POST
def review_sign_off(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the customer sponsor's sign-off; the review no longer changes afterwards."""
    review = _review_or_404(request, pk)
    _require_writer(request)
    full = selectors.review_get(user=request.user, pk=pk)
    form = SignOffForm(
        request.POST,
        review=full,
        sponsors=selectors.review_sponsor_choices(organization=full.organization),
        with_agreement=full.agreement is not None and full.agreement.status in LIVE_AGREEMENTS,
    )
    signed = None
    if form.is_valid():
        try:
            signed = services.review_sign_off(actor=request.user, review=review, **form.service_data())
        except ApplicationError as error:
            if error.status == 409:
                return _render_detail(request, pk, status=409, move_error=error.message)
            apply_error(form, error)
    if signed:
        note = ""
        if signed.agreement_id and signed.next_review_on:
            note = f" The next review is planned for {signed.next_review_on:%d %b %Y}."
        messages.success(request, f"“{signed.title}” signed off by {signed.signed_off_by_name}.{note}")
        return redirect("realization:review_detail", pk=pk)
    return _render_detail(request, pk, status=400, sign_off_form=form)


# --- actions ----------------------------------------------------------------------------------------


def _actions_response(request: HttpRequest, pk: int, *, status: int = 200, **forms) -> HttpResponse:
    """With HTMX the actions region alone, otherwise the whole page."""
    if not wants_fragment(request):
        return _render_detail(request, pk, status=status, **forms)
    page = selectors.review_page(user=request.user, pk=pk)
    context = _detail_context(request, page, **forms)
    response = render(request, f"{DETAIL_TEMPLATE}#actions", context, status=status)
    patch_vary_headers(response, ("HX-Request",))
    return response


@browser_view
@require_POST
def review_action_add(request: HttpRequest, pk: int) -> HttpResponse:
    review = _review_or_404(request, pk)
    _require_writer(request)
    form = ActionForm(request.POST)
    added = form_submitted(
        request,
        form,
        lambda: services.review_action_add(
            actor=request.user,
            review=review,
            description=form.cleaned_data["description"],
            owner=form.cleaned_data["owner"],
            due_on=form.cleaned_data["due_on"],
        ),
    )
    if added and not wants_fragment(request):
        messages.success(request, "Action added.")
        return redirect("realization:review_detail", pk=pk)
    return _actions_response(request, pk, status=200 if added else 400, action_form=None if added else form)


@browser_view
@require_POST
def review_action_update(request: HttpRequest, pk: int, action_pk: int) -> HttpResponse:
    """Mark an action done or open again, or change its owner or due date."""
    review = _review_or_404(request, pk)
    _require_writer(request)
    action = ReviewAction.objects.filter(pk=action_pk, review=review).first()
    if action is None:
        raise Http404("No such action.")
    form = ActionUpdateForm(request.POST)
    error_text, status = "", 200
    if form.is_valid():
        try:
            services.review_action_update(actor=request.user, action=action, **form.service_data())
        except ApplicationError as error:
            error_text, status = error.message, error.status
    else:
        error_text, status = next(iter(form.errors.values()))[0], 400
    if not error_text and not wants_fragment(request):
        messages.success(request, "Action saved.")
        return redirect("realization:review_detail", pk=pk)
    if error_text and not wants_fragment(request):
        return _render_detail(request, pk, status=status, move_error=error_text)
    return _actions_response(request, pk, status=status, move_error=error_text)


# --- the review pack --------------------------------------------------------------------------------


@browser_view
@require_GET
def review_pack(request: HttpRequest, pk: int) -> HttpResponse:
    """The review pack to print: cover, figures, benefits and targets with their variance, analysis,
    decisions and actions; the page's print styles leave the navigation out."""
    page = selectors.review_page(user=request.user, pk=pk)
    return render(
        request,
        "realization/reviews/review_pack.html",
        {
            "page": page,
            "review": page.review,
            "organization": page.review.organization,
            "now": timezone.now(),
        },
    )


@browser_view
@require_GET
def review_pack_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """The pack's figures as CSV: one row per benefit and target line, then the period's figures."""
    page = selectors.review_page(user=request.user, pk=pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="value-review-{pk}.csv"'
    writer = csv.writer(response)
    for row in selectors.review_csv_rows(page=page):
        writer.writerow(row)
    return response
