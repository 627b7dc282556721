"""Pages of Realize: the live journey map (the designed journey laid over what consumers lived). Views
read through selectors; the page works as a plain GET form, HTMX swaps its result region."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from journeys.htmx import render_page
from journeys.web import browser_view
from realization import selectors
from realization.charts import sentiment_curve_chart
from realization.forms import OverlayForm

__all__ = ["account_lookup", "journey_map"]


def _account_link(keep: dict) -> str:
    """The live map's address for one account, to which each match appends its id."""
    return reverse("realization:journey_map") + f"?{urlencode({'scope': 'account', **keep})}&account="


def _month_label(month) -> str:
    return month.strftime("%b %Y")


@browser_view
@require_GET
def journey_map(request: HttpRequest) -> HttpResponse:
    user = request.user
    choices = selectors.overlay_choices(user=user)
    form = OverlayForm(request.GET or None, segments=choices.segments, journey_maps=choices.journey_maps)
    asked = form.choices()
    matches: list = []
    account_id = asked["account"]
    if asked["kind"] == "account" and account_id is None and asked["query"]:
        matches = selectors.account_search(user=user, query=asked["query"])
        if len(matches) == 1:
            account_id = matches[0].pk
    waiting = asked["kind"] == "account" and account_id is None
    overlay = None
    if not waiting:
        segment = None
        if asked["kind"] == "segment":
            segment = selectors.segment_get(user=user, pk=asked["segment"])
        journey_map = None
        if asked["journey_map"] is not None:
            journey_map = selectors.journey_map_get(user=user, pk=asked["journey_map"])
        scope = selectors.overlay_scope(
            user=user, kind=asked["kind"], organization_id=account_id, segment=segment
        )
        overlay = selectors.journey_overlay(
            user=user, scope=scope, months=asked["months"], journey_map=journey_map
        )
    keep = {"months": asked["months"]}
    if asked["journey_map"] is not None:
        keep["journey_map"] = asked["journey_map"]
    context = {
        "form": form,
        "asked": asked,
        "matches": matches,
        "waiting": waiting,
        "overlay": overlay,
        "account_link": _account_link(keep),
        # Co-create's review list of moments of truth, filtered by step (?step=…).
        "moments_url": reverse("cocreation:moment_list"),
    }
    if overlay is not None:
        period = f"{_month_label(overlay.first_month)} – {_month_label(overlay.last_month)}"
        context["period"] = period
        context["chart"] = sentiment_curve_chart(
            overlay.steps,
            title=f"Average sentiment per step: {overlay.scope.label}, {period}",
            map_name=str(overlay.journey_map) if overlay.journey_map else "",
        )
    return render_page(request, "realization/journey_map.html", context, partial="overlay")


@browser_view
@require_GET
def account_lookup(request: HttpRequest) -> HttpResponse:
    """The account search's type-ahead (HTMX): up to ten accounts the user may see, each a link that
    opens the live map for it. Without scripts the page's own form searches the same way."""
    query = request.GET.get("q", "")
    keep = {"months": request.GET.get("months", "")}
    if request.GET.get("journey_map", "").isdigit():
        keep["journey_map"] = request.GET["journey_map"]
    return render(
        request,
        "realization/_account_matches.html",
        {
            "matches": selectors.account_search(user=request.user, query=query),
            "query": query.strip(),
            "account_link": _account_link(keep),
        },
    )
