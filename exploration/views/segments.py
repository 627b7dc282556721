"""Pages of Explore: market segments with their members, and the Pareto (80/20) analysis. Each view
reads through selectors and writes through services; the rules live there."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from exploration import selectors, services
from exploration.charts import pareto_chart
from exploration.forms.segments import MarketSegmentForm, ParetoForm, SegmentMemberForm
from journeys import roles
from journeys.htmx import render_page
from journeys.selectors import organization_get
from journeys.web import browser_view, form_submitted, render_form, require

WRITE_REFUSED = "Your role may not change market segments."


@browser_view
@require_GET
def market_segment_list(request: HttpRequest) -> HttpResponse:
    return render_page(
        request,
        "exploration/segment_list.html",
        {
            "segments": selectors.market_segment_list(user=request.user),
            "can_manage": roles.may_manage_accounts(request.user),
        },
    )


@browser_view
@require_http_methods(["GET", "POST"])
def market_segment_create(request: HttpRequest) -> HttpResponse:
    require(roles.may_manage_accounts(request.user), WRITE_REFUSED)
    form = MarketSegmentForm(request.POST or None)
    segment = form_submitted(
        request,
        form,
        lambda: services.market_segment_create(actor=request.user, **form.cleaned_data),
    )
    if segment:
        messages.success(request, f"Segment “{segment.name}” created.")
        return redirect("exploration:market_segment_detail", pk=segment.pk)
    return render_form(request, "exploration/segment_form.html", {"form": form, "segment": None})


@browser_view
@require_http_methods(["GET", "POST"])
def market_segment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    segment = selectors.market_segment_get(user=request.user, pk=pk)
    require(roles.may_manage_accounts(request.user), WRITE_REFUSED)
    form = MarketSegmentForm(request.POST or None, initial=MarketSegmentForm.initial_for(segment))
    saved = form_submitted(
        request,
        form,
        lambda: services.market_segment_update(actor=request.user, segment=segment, **form.cleaned_data),
    )
    if saved:
        messages.success(request, f"Segment “{saved.name}” saved.")
        return redirect("exploration:market_segment_detail", pk=saved.pk)
    return render_form(request, "exploration/segment_form.html", {"form": form, "segment": segment})


def _detail(request: HttpRequest, segment, form: SegmentMemberForm | None = None) -> HttpResponse:
    can_manage = roles.may_manage_accounts(request.user)
    if can_manage and form is None:
        candidates = selectors.market_segment_candidates(user=request.user, segment=segment)
        form = SegmentMemberForm(candidates=candidates)
    context = {
        "segment": segment,
        "members": selectors.market_segment_members(user=request.user, segment=segment),
        "form": form,
        "can_manage": can_manage,
    }
    return render_page(
        request,
        "exploration/segment_detail.html",
        context,
        status=400 if form is not None and form.errors else 200,
    )


@browser_view
@require_GET
def market_segment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.market_segment_get(user=request.user, pk=pk))


@browser_view
@require_POST
def market_segment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    segment = selectors.market_segment_get(user=request.user, pk=pk)
    require(roles.may_manage_accounts(request.user), WRITE_REFUSED)
    services.market_segment_delete(actor=request.user, segment=segment)
    messages.success(request, f"Segment “{segment.name}” deleted.")
    return redirect("exploration:market_segment_list")


@browser_view
@require_POST
def market_segment_member_add(request: HttpRequest, pk: int) -> HttpResponse:
    segment = selectors.market_segment_get(user=request.user, pk=pk)
    require(roles.may_manage_accounts(request.user), WRITE_REFUSED)
    candidates = selectors.market_segment_candidates(user=request.user, segment=segment)
    form = SegmentMemberForm(request.POST, candidates=candidates)
    membership = form_submitted(
        request,
        form,
        lambda: services.market_segment_add_member(
            actor=request.user, segment=segment, organization=form.chosen_organization()
        ),
    )
    if membership:
        messages.success(request, f"{membership.organization.name} added to “{segment.name}”.")
        return redirect("exploration:market_segment_detail", pk=segment.pk)
    return _detail(request, segment, form)


@browser_view
@require_POST
def market_segment_member_remove(request: HttpRequest, pk: int, organization_pk: int) -> HttpResponse:
    segment = selectors.market_segment_get(user=request.user, pk=pk)
    organization = organization_get(user=request.user, pk=organization_pk)
    require(roles.may_manage_accounts(request.user), WRITE_REFUSED)
    if services.market_segment_remove_member(actor=request.user, segment=segment, organization=organization):
        messages.success(request, f"{organization.name} removed from “{segment.name}”.")
    return redirect("exploration:market_segment_detail", pk=segment.pk)


@browser_view
@require_GET
def pareto_analysis(request: HttpRequest) -> HttpResponse:
    segments = list(selectors.market_segment_list(user=request.user))
    form = ParetoForm(request.GET, segments=segments)
    analysis = selectors.pareto_analysis(user=request.user, **form.settings())
    return render_page(
        request,
        "exploration/pareto.html",
        {
            "form": form,
            "analysis": analysis,
            "chart": pareto_chart(analysis),
            "row_limit": selectors.PARETO_ROW_LIMIT,
        },
        partial="result",
    )
