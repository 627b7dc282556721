"""Pages of Explore: market segments with their members (added through a type-ahead), the personas
that stand for them and their jobs to be done, and the Pareto (80/20) analysis. Each view reads through
selectors and writes through services; the rules live there."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from exploration import selectors, services
from exploration.charts import pareto_chart
from exploration.forms.segments import (
    CandidateSearchForm,
    MarketSegmentForm,
    ParetoForm,
    PersonaLinkForm,
    SegmentMemberForm,
)
from journeys import roles
from journeys.htmx import render_page, wants_fragment
from journeys.selectors import organization_get, persona_get
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


def _candidates(request: HttpRequest, segment, query: str) -> dict:
    """The type-ahead's matches: up to CANDIDATE_LIMIT, and whether more are left (one row more is
    fetched to know, never a count)."""
    if not query:
        return {"query": "", "candidates": [], "more_candidates": False}
    limit = selectors.CANDIDATE_LIMIT
    rows = list(
        selectors.market_segment_candidates(user=request.user, segment=segment, query=query)[: limit + 1]
    )
    return {"query": query, "candidates": rows[:limit], "more_candidates": len(rows) > limit}


def _detail(
    request: HttpRequest,
    segment,
    *,
    member_form: SegmentMemberForm | None = None,
    persona_form: PersonaLinkForm | None = None,
) -> HttpResponse:
    """The segment page. A failed add (member or persona) renders it again with the error and 400."""
    can_manage = roles.may_manage_accounts(request.user)
    if member_form is not None:
        query = (member_form.data.get("q") or "").strip()[:100]
    else:
        query = CandidateSearchForm(request.GET).query()
    context = {
        "segment": segment,
        "members": selectors.market_segment_members(user=request.user, segment=segment),
        "personas": selectors.market_segment_personas(user=request.user, segment=segment),
        "jobs": selectors.job_to_be_done_list(user=request.user, segment=segment),
        "can_manage": can_manage,
        "member_form": member_form,
        "persona_form": None,
    }
    if can_manage:
        context |= _candidates(request, segment, query)
        context["search_form"] = CandidateSearchForm(initial={"q": query})
        context["persona_form"] = persona_form or PersonaLinkForm(
            personas=selectors.market_segment_persona_candidates(user=request.user, segment=segment)
        )
    failed = any(form is not None and form.errors for form in (member_form, persona_form))
    return render_page(request, "exploration/segment_detail.html", context, status=400 if failed else 200)


@browser_view
@require_GET
def market_segment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.market_segment_get(user=request.user, pk=pk))


@browser_view
@require_GET
def market_segment_candidates(request: HttpRequest, pk: int) -> HttpResponse:
    """The add-member type-ahead's matches as a fragment for HTMX. Asked for without HTMX, it sends the
    browser to the segment page with the same search, which lists the same matches."""
    segment = selectors.market_segment_get(user=request.user, pk=pk)
    require(roles.may_manage_accounts(request.user), WRITE_REFUSED)
    query = CandidateSearchForm(request.GET).query()
    if not wants_fragment(request):
        return redirect(_detail_url(segment, query))
    return render_page(
        request,
        "exploration/segment_detail.html",
        {"segment": segment, "can_manage": True, **_candidates(request, segment, query)},
        partial="candidates",
    )


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
    form = SegmentMemberForm(request.POST)
    membership = form_submitted(
        request,
        form,
        lambda: services.market_segment_add_member(
            actor=request.user,
            segment=segment,
            organization=selectors.market_segment_member_candidate(
                user=request.user, pk=form.cleaned_data["organization"]
            ),
        ),
    )
    if membership:
        messages.success(request, f"{membership.organization.name} added to “{segment.name}”.")
        # Back to the same search, so the next match is one Tab away.
        return redirect(_detail_url(segment, form.cleaned_data.get("q", "")))
    return _detail(request, segment, member_form=form)


def _detail_url(segment, query: str = "") -> str:
    detail = reverse("exploration:market_segment_detail", args=[segment.pk])
    query = (query or "").strip()
    return f"{detail}?{urlencode({'q': query})}" if query else detail


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
@require_POST
def market_segment_persona_link(request: HttpRequest, pk: int) -> HttpResponse:
    segment = selectors.market_segment_get(user=request.user, pk=pk)
    require(roles.may_manage_accounts(request.user), WRITE_REFUSED)
    form = PersonaLinkForm(
        request.POST,
        personas=selectors.market_segment_persona_candidates(user=request.user, segment=segment),
    )
    linked = form_submitted(
        request,
        form,
        lambda: services.market_segment_link_persona(
            actor=request.user, segment=segment, persona=form.chosen_persona()
        ),
    )
    if linked is None:
        return _detail(request, segment, persona_form=form)
    messages.success(request, f"{form.chosen_persona().name} now stands for “{segment.name}”.")
    return redirect("exploration:market_segment_detail", pk=segment.pk)


@browser_view
@require_POST
def market_segment_persona_unlink(request: HttpRequest, pk: int, persona_pk: int) -> HttpResponse:
    segment = selectors.market_segment_get(user=request.user, pk=pk)
    persona = persona_get(user=request.user, pk=persona_pk)
    require(roles.may_manage_accounts(request.user), WRITE_REFUSED)
    if services.market_segment_unlink_persona(actor=request.user, segment=segment, persona=persona):
        messages.success(request, f"{persona.name} no longer linked to “{segment.name}”.")
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
