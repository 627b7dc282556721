"""Pages of moments of truth: the touchpoints flagged as one in the accounts the user may see, those
still to review first, each row with its review form; and the review page of one moment (where the
row's form lands without JavaScript, and where a review with errors comes back).

The live journey map links here with `?step=<step>` (and `&organization=<id>` for one account). With
HTMX a row's review form replaces just that row; without it the browser comes back to the list.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods

from cocreation import selectors, services
from cocreation.forms.feedback import MomentFilterForm, MomentReviewForm
from cocreation.views.feedback import WRITE_REFUSED, account_from, posted
from journeys import roles
from journeys.htmx import render_page, wants_fragment
from journeys.web import browser_view, form_submitted, peek_page, render_form, require

__all__: list[str] = []

LIST_TEMPLATE = "cocreation/moment_list.html"
ROW_TEMPLATE = "cocreation/_moment_row.html"
MOMENTS_PER_PAGE = 25


@browser_view
@require_GET
def moment_list(request: HttpRequest) -> HttpResponse:
    form = MomentFilterForm(request.GET or None)
    organization = account_from(request, request.GET.get("organization"))
    filters = form.filters()
    rows = selectors.moments_of_truth(
        user=request.user, organization=organization, to_review_first=True, **filters
    )
    counts = selectors.moment_counts(
        user=request.user,
        organization=organization,
        polarity=filters["polarity"],
        step=filters["step"],
        days=filters["days"],
    )
    page = peek_page(rows, request.GET.get("page"), MOMENTS_PER_PAGE)
    for moment in page.object_list:
        moment.review_values = MomentReviewForm.initial_for(moment)
    context = {
        "form": form,
        "organization": organization,
        "page": page,
        "counts": counts,
        "query": form.query(organization),
        "filtered": form.filtered() or organization is not None,
        "can_write": roles.may_log_touchpoints(request.user),
        "back": request.get_full_path(),
    }
    return render_page(request, LIST_TEMPLATE, context, partial="results")


def _back(request: HttpRequest) -> str | None:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return None


@browser_view
@require_http_methods(["GET", "POST"])
def moment_review(request: HttpRequest, pk: int) -> HttpResponse:
    """Review one moment of truth (GET shows the form; the list's rows post here)."""
    moment = selectors.moment_get(user=request.user, pk=pk)
    require(roles.may_log_touchpoints(request.user), WRITE_REFUSED)
    form = MomentReviewForm(posted(request), initial=MomentReviewForm.initial_for(moment))
    review = form_submitted(
        request,
        form,
        lambda: services.moment_review_save(actor=request.user, touchpoint=moment, **form.service_data()),
    )
    fragment = request.method == "POST" and wants_fragment(request)
    if review and not fragment:
        messages.success(
            request,
            f"Moment of truth of {moment.organization.name} reviewed as "
            f"{review.get_polarity_display().lower()}.",
        )
        return redirect(_back(request) or "cocreation:moment_list")
    if review:
        moment = selectors.moment_get(user=request.user, pk=pk)
        moment.review_values = MomentReviewForm.initial_for(moment)
    else:
        moment.review_values = form.shown_values() if form.is_bound else MomentReviewForm.initial_for(moment)
    context = {
        "moment": moment,
        "form": form,
        "review_errors": form.errors,
        "review_general_errors": form.non_field_errors(),
        "can_write": True,
        "saved": bool(review),
        "back": _back(request) or "",
    }
    if fragment:
        # The list's row, with the review just saved or the input and its errors.
        context["organization"] = None if request.POST.get("with_account") else moment.organization
        return render(request, ROW_TEMPLATE, context, status=400 if form.errors else 200)
    return render_form(request, "cocreation/moment_review.html", context)
