"""Pages of the service catalogue: the catalogue with its filters, services, one offering with its
components, user engagement tiers, targets, value propositions, playbooks and linked journeys, and the
publish and retire actions. Views read through selectors and write through services; the rules live
there.

The offering page's components, tiers and journeys are edited in place with HTMX (each section is a
template partial) and with plain forms without it. HTMX swaps only successful answers, so a refused
change comes back to HTMX as the section with its errors and a 200, and to a plain form as the whole
page with a 400.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from exploration.selectors import market_segment_scope
from journeys import roles
from journeys.base import ApplicationError
from journeys.forms import apply_error
from journeys.htmx import render_page, wants_fragment
from journeys.selectors import journey_get, journey_map_scope, persona_scope
from journeys.web import browser_view, form_submitted, peek_page, render_form, require
from offerings import selectors, services
from offerings.forms.catalogue import (
    CatalogueFilterForm,
    ComponentForm,
    EngagementTierForm,
    JourneyLinkForm,
    JourneySearchForm,
    MoveForm,
    OfferingForm,
    ServiceForm,
    ValuePropositionForm,
)

WRITE_REFUSED = "Your role may not change the service catalogue."
CATALOGUE_TEMPLATE = "offerings/catalogue.html"
OFFERING_TEMPLATE = "offerings/offering_detail.html"
JOURNEYS_PER_PAGE = 20


def _require_writer(request: HttpRequest) -> None:
    require(roles.may_manage_accounts(request.user), WRITE_REFUSED)


class _Counted:
    """A queryset whose length is already known (from the status counts), so the paginator slices it
    without counting it again."""

    def __init__(self, queryset, count: int) -> None:
        self._queryset, self._count = queryset, count

    def count(self) -> int:
        return self._count

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, key):
        return self._queryset[key]


# --- the catalogue --------------------------------------------------------------------------------


@browser_view
@require_GET
def catalogue(request: HttpRequest) -> HttpResponse:
    """Services with their offerings, filtered by status, service, target segment, target persona and
    text; a page of CATALOGUE_PAGE_SIZE offerings at a time, in a constant number of queries."""
    user = request.user
    service_rows = list(selectors.service_choices(user=user))
    form = CatalogueFilterForm(
        request.GET,
        services=[(row["pk"], row["name"]) for row in service_rows],
        segments=market_segment_scope(user).order_by("name", "pk").values_list("pk", "name"),
        personas=persona_scope(user).order_by("name", "pk").values_list("pk", "name"),
        default_status=selectors.catalogue_default_status(user),
    )
    chosen = form.filters()
    others = {name: value for name, value in chosen.items() if name != "status"}
    counts = selectors.catalogue_status_counts(user=user, **others)
    offerings = selectors.offering_catalogue(user=user, **chosen)
    page = Paginator(_Counted(offerings, counts[chosen["status"]]), selectors.CATALOGUE_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    page.object_list = list(page.object_list)
    query = {
        "q": chosen["query"],
        "status": chosen["status"],
        "service": chosen["service"].pk if chosen["service"] else "",
        "segment": chosen["segment"].pk if chosen["segment"] else "",
        "persona": chosen["persona"].pk if chosen["persona"] else "",
    }
    context = {
        "form": form,
        "chosen": chosen,
        "status_label": selectors.CATALOGUE_STATUSES[chosen["status"]][0],
        "counts": counts,
        "page": page,
        "query": urlencode({name: value for name, value in query.items() if value}),
        "services": service_rows,
        "can_manage": roles.may_manage_accounts(user),
        "filtered": any(others.values()),
    }
    return render_page(request, CATALOGUE_TEMPLATE, context, partial="results")


# --- services -------------------------------------------------------------------------------------


@browser_view
@require_http_methods(["GET", "POST"])
def service_create(request: HttpRequest) -> HttpResponse:
    _require_writer(request)
    form = ServiceForm(request.POST or None)
    service = form_submitted(
        request, form, lambda: services.service_create(actor=request.user, **form.cleaned_data)
    )
    if service:
        messages.success(request, f"Service “{service.name}” added to the catalogue.")
        return redirect("offerings:service_detail", pk=service.pk)
    return render_form(request, "offerings/service_form.html", {"form": form, "service": None})


@browser_view
@require_GET
def service_detail(request: HttpRequest, pk: int) -> HttpResponse:
    service = selectors.service_get(user=request.user, pk=pk)
    return render_page(
        request,
        "offerings/service_detail.html",
        {
            "service": service,
            "offerings": selectors.service_offerings(user=request.user, service=service),
            "can_manage": roles.may_manage_accounts(request.user),
        },
    )


@browser_view
@require_http_methods(["GET", "POST"])
def service_edit(request: HttpRequest, pk: int) -> HttpResponse:
    service = selectors.service_get(user=request.user, pk=pk)
    _require_writer(request)
    form = ServiceForm(request.POST or None, initial=ServiceForm.initial_for(service))
    saved = form_submitted(
        request,
        form,
        lambda: services.service_update(actor=request.user, service=service, **form.cleaned_data),
    )
    if saved:
        messages.success(request, f"Service “{saved.name}” saved.")
        return redirect("offerings:service_detail", pk=saved.pk)
    return render_form(request, "offerings/service_form.html", {"form": form, "service": service})


@browser_view
@require_POST
def service_delete(request: HttpRequest, pk: int) -> HttpResponse:
    service = selectors.service_get(user=request.user, pk=pk)
    _require_writer(request)
    try:
        services.service_delete(actor=request.user, service=service)
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("offerings:service_detail", pk=service.pk)
    messages.success(request, f"Service “{service.name}” deleted.")
    return redirect("offerings:catalogue")


# --- offerings: create, edit, delete, publish, retire ---------------------------------------------


def _offering_form(request: HttpRequest, *, initial: dict | None = None) -> OfferingForm:
    user = request.user
    return OfferingForm(
        request.POST or None,
        initial=initial,
        services=selectors.service_scope(user).order_by("name"),
        segments=market_segment_scope(user).order_by("name"),
        personas=persona_scope(user).order_by("name"),
        journey_maps=journey_map_scope(user)
        .select_related("persona")
        .order_by("persona__name", "name", "version"),
    )


@browser_view
@require_http_methods(["GET", "POST"])
def offering_create(request: HttpRequest) -> HttpResponse:
    """A new draft offering; `?service=<pk>` starts the form on that service."""
    _require_writer(request)
    service = request.GET.get("service", "")
    form = _offering_form(request, initial={"service": int(service)} if service.isdigit() else None)
    offering = form_submitted(
        request, form, lambda: services.offering_create(actor=request.user, **form.cleaned_data)
    )
    if offering:
        messages.success(request, f"Draft offering “{offering.name}” created.")
        return redirect("offerings:offering_detail", pk=offering.pk)
    return render_form(request, "offerings/offering_form.html", {"form": form, "offering": None})


@browser_view
@require_http_methods(["GET", "POST"])
def offering_edit(request: HttpRequest, pk: int) -> HttpResponse:
    offering = selectors.offering_get(user=request.user, pk=pk)
    _require_writer(request)
    segments, personas = selectors.offering_targets(user=request.user, offering=offering)
    maps = offering.journey_maps.only("pk")
    form = _offering_form(request, initial=OfferingForm.initial_for(offering, segments, personas, maps))
    saved = form_submitted(
        request,
        form,
        lambda: services.offering_update(actor=request.user, offering=offering, **form.cleaned_data),
    )
    if saved:
        messages.success(request, f"Offering “{saved.name}” saved.")
        return redirect("offerings:offering_detail", pk=saved.pk)
    return render_form(request, "offerings/offering_form.html", {"form": form, "offering": offering})


@browser_view
@require_POST
def offering_delete(request: HttpRequest, pk: int) -> HttpResponse:
    offering = selectors.offering_get(user=request.user, pk=pk)
    _require_writer(request)
    try:
        services.offering_delete(actor=request.user, offering=offering)
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("offerings:offering_detail", pk=offering.pk)
    messages.success(request, f"Draft “{offering.name}” deleted.")
    return redirect("offerings:service_detail", pk=offering.service_id)


def _status_change(request: HttpRequest, pk: int, change: Callable, done: str) -> HttpResponse:
    """Publish or retire. A refusal shows the offering page again with the reason and a 400 (409 would
    be right for a conflict, but a browser shows any status; 400 is what the other forms answer)."""
    offering = selectors.offering_get(user=request.user, pk=pk)
    _require_writer(request)
    try:
        changed = change(actor=request.user, offering=offering)
    except ApplicationError as error:
        return _offering_page(request, offering, status_error=error.message, status=400)
    messages.success(request, done.format(name=changed.name))
    return redirect("offerings:offering_detail", pk=offering.pk)


@browser_view
@require_POST
def offering_publish(request: HttpRequest, pk: int) -> HttpResponse:
    return _status_change(request, pk, services.offering_publish, "“{name}” is published.")


@browser_view
@require_POST
def offering_retire(request: HttpRequest, pk: int) -> HttpResponse:
    return _status_change(request, pk, services.offering_retire, "“{name}” is retired.")


# --- the offering page ----------------------------------------------------------------------------


def _journey_candidates(request: HttpRequest, offering, query: str) -> dict:
    """The type-ahead's matches: up to JOURNEY_CANDIDATE_LIMIT, and whether more are left (one row
    more is fetched to know, never a count)."""
    if not query:
        return {"query": "", "candidates": [], "more_candidates": False}
    limit = selectors.JOURNEY_CANDIDATE_LIMIT
    rows = list(
        selectors.offering_journey_candidates(user=request.user, offering=offering, query=query)[: limit + 1]
    )
    return {"query": query, "candidates": rows[:limit], "more_candidates": len(rows) > limit}


def _offering_page(
    request: HttpRequest,
    offering,
    *,
    component_form: ComponentForm | None = None,
    editing_component=None,
    component_edit_form: ComponentForm | None = None,
    tier_form: EngagementTierForm | None = None,
    editing_tier=None,
    tier_edit_form: EngagementTierForm | None = None,
    link_form: JourneyLinkForm | None = None,
    status_error: str = "",
    component_error: str = "",
    notice: str = "",
    partial: str | None = None,
    status: int = 200,
) -> HttpResponse:
    can_manage = roles.may_manage_accounts(request.user)
    page = selectors.offering_page(user=request.user, offering=offering)
    if link_form is not None:
        query = (link_form.data.get("q") or "").strip()[:100]
    else:
        query = JourneySearchForm(request.GET).query()
    journeys = peek_page(
        selectors.journeys_for_offering(user=request.user, offering=offering),
        request.GET.get("journeys_page"),
        JOURNEYS_PER_PAGE,
    )
    context = {
        "offering": offering,
        "page": page,
        "journeys": journeys,
        "can_manage": can_manage,
        "editing_component": editing_component,
        "component_edit_form": component_edit_form,
        "editing_tier": editing_tier,
        "tier_edit_form": tier_edit_form,
        "link_form": link_form,
        "status_error": status_error,
        "component_error": component_error,
        "notice": notice,
        "query": query,
    }
    if can_manage:
        context["component_form"] = component_form or ComponentForm(auto_id="id_component_%s")
        context["tier_form"] = tier_form or EngagementTierForm(auto_id="id_tier_%s")
        context |= _journey_candidates(request, offering, query)
    return render_page(request, OFFERING_TEMPLATE, context, partial=partial, status=status)


@browser_view
@require_GET
def offering_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _offering_page(request, selectors.offering_get(user=request.user, pk=pk))


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


def _answer(
    request: HttpRequest, page: Callable[..., HttpResponse], url: str, *, notice: str, failed: bool = False
) -> HttpResponse:
    """After a write: the section again for HTMX (with a notice, or the errors), otherwise a redirect
    back to the offering page or, when the write was refused, the whole page with a 400."""
    if failed:
        return page(status=200 if wants_fragment(request) else 400)
    if wants_fragment(request):
        return page(notice=notice)
    messages.success(request, notice)
    return redirect(url)


def _section_url(offering, section: str) -> str:
    return f"{reverse('offerings:offering_detail', args=[offering.pk])}#{section}"


# --- components -----------------------------------------------------------------------------------


@browser_view
@require_POST
def offering_component_add(request: HttpRequest, pk: int) -> HttpResponse:
    offering = selectors.offering_get(user=request.user, pk=pk)
    _require_writer(request)
    form = ComponentForm(request.POST, auto_id="id_component_%s")
    ok = _saved(
        form,
        lambda: services.offering_component_add(actor=request.user, offering=offering, **form.cleaned_data),
    )
    return _answer(
        request,
        lambda **extra: _offering_page(
            request, offering, component_form=None if ok else form, partial="components", **extra
        ),
        _section_url(offering, "components"),
        notice=f"“{form.cleaned_data.get('name', '')}” added." if ok else "",
        failed=not ok,
    )


@browser_view
@require_http_methods(["GET", "POST"])
def offering_component_edit(request: HttpRequest, pk: int, component_pk: int) -> HttpResponse:
    """The offering page with one component open for editing (GET), or the change itself (POST)."""
    offering = selectors.offering_get(user=request.user, pk=pk)
    component = selectors.offering_component_get(user=request.user, pk=component_pk, offering=offering)
    _require_writer(request)
    auto_id = f"id_component_{component.pk}_%s"
    if request.method == "GET":
        form = ComponentForm(initial=ComponentForm.initial_for(component), auto_id=auto_id)
        form.fields["name"].widget.attrs["autofocus"] = True
        return _offering_page(
            request, offering, editing_component=component, component_edit_form=form, partial="components"
        )
    form = ComponentForm(request.POST, auto_id=auto_id)
    ok = _saved(
        form,
        lambda: services.offering_component_update(
            actor=request.user, component=component, **form.cleaned_data
        ),
    )
    return _answer(
        request,
        lambda **extra: _offering_page(
            request,
            offering,
            editing_component=None if ok else component,
            component_edit_form=None if ok else form,
            partial="components",
            **extra,
        ),
        _section_url(offering, "components"),
        notice="Component saved.",
        failed=not ok,
    )


@browser_view
@require_POST
def offering_component_remove(request: HttpRequest, pk: int, component_pk: int) -> HttpResponse:
    offering = selectors.offering_get(user=request.user, pk=pk)
    component = selectors.offering_component_get(user=request.user, pk=component_pk, offering=offering)
    _require_writer(request)
    try:
        services.offering_component_remove(actor=request.user, component=component)
    except ApplicationError as error:
        status = 200 if wants_fragment(request) else 400
        return _offering_page(
            request, offering, component_error=error.message, partial="components", status=status
        )
    return _answer(
        request,
        lambda **extra: _offering_page(request, offering, partial="components", **extra),
        _section_url(offering, "components"),
        notice=f"“{component.name}” removed.",
    )


# --- user engagement tiers ------------------------------------------------------------------------


@browser_view
@require_POST
def engagement_tier_add(request: HttpRequest, pk: int) -> HttpResponse:
    offering = selectors.offering_get(user=request.user, pk=pk)
    _require_writer(request)
    form = EngagementTierForm(request.POST, auto_id="id_tier_%s")
    ok = _saved(
        form,
        lambda: services.engagement_tier_add(actor=request.user, offering=offering, **form.cleaned_data),
    )
    return _answer(
        request,
        lambda **extra: _offering_page(
            request, offering, tier_form=None if ok else form, partial="tiers", **extra
        ),
        _section_url(offering, "tiers"),
        notice=f"Tier “{form.cleaned_data.get('name', '')}” added." if ok else "",
        failed=not ok,
    )


@browser_view
@require_http_methods(["GET", "POST"])
def engagement_tier_edit(request: HttpRequest, pk: int, tier_pk: int) -> HttpResponse:
    """The offering page with one tier open for editing (GET), or the change itself (POST)."""
    offering = selectors.offering_get(user=request.user, pk=pk)
    tier = selectors.engagement_tier_get(user=request.user, pk=tier_pk, offering=offering)
    _require_writer(request)
    auto_id = f"id_tier_{tier.pk}_%s"
    if request.method == "GET":
        form = EngagementTierForm(initial=EngagementTierForm.initial_for(tier), auto_id=auto_id)
        form.fields["name"].widget.attrs["autofocus"] = True
        return _offering_page(request, offering, editing_tier=tier, tier_edit_form=form, partial="tiers")
    form = EngagementTierForm(request.POST, auto_id=auto_id)
    ok = _saved(
        form, lambda: services.engagement_tier_update(actor=request.user, tier=tier, **form.cleaned_data)
    )
    return _answer(
        request,
        lambda **extra: _offering_page(
            request,
            offering,
            editing_tier=None if ok else tier,
            tier_edit_form=None if ok else form,
            partial="tiers",
            **extra,
        ),
        _section_url(offering, "tiers"),
        notice="Tier saved.",
        failed=not ok,
    )


@browser_view
@require_POST
def engagement_tier_move(request: HttpRequest, pk: int, tier_pk: int) -> HttpResponse:
    """One place lighter (up) or heavier (down)."""
    offering = selectors.offering_get(user=request.user, pk=pk)
    tier = selectors.engagement_tier_get(user=request.user, pk=tier_pk, offering=offering)
    _require_writer(request)
    form = MoveForm(request.POST)
    if form.is_valid():
        order = [other.pk for other in offering.engagement_tiers.order_by("position", "pk")]
        place = order.index(tier.pk) + 1
        services.engagement_tier_update(
            actor=request.user,
            tier=tier,
            position=max(1, place - 1) if form.cleaned_data["direction"] == "up" else place + 1,
        )
    return _answer(
        request,
        lambda **extra: _offering_page(request, offering, partial="tiers", **extra),
        _section_url(offering, "tiers"),
        notice=f"“{tier.name}” moved." if form.is_valid() else "",
        failed=not form.is_valid(),
    )


@browser_view
@require_POST
def engagement_tier_remove(request: HttpRequest, pk: int, tier_pk: int) -> HttpResponse:
    offering = selectors.offering_get(user=request.user, pk=pk)
    tier = selectors.engagement_tier_get(user=request.user, pk=tier_pk, offering=offering)
    _require_writer(request)
    services.engagement_tier_remove(actor=request.user, tier=tier)
    return _answer(
        request,
        lambda **extra: _offering_page(request, offering, partial="tiers", **extra),
        _section_url(offering, "tiers"),
        notice=f"Tier “{tier.name}” removed.",
    )


# --- value propositions ---------------------------------------------------------------------------


def _proposition_form(request: HttpRequest, offering, *, initial: dict | None = None) -> ValuePropositionForm:
    segments, personas = selectors.offering_targets(user=request.user, offering=offering)
    return ValuePropositionForm(request.POST or None, initial=initial, segments=segments, personas=personas)


@browser_view
@require_http_methods(["GET", "POST"])
def value_proposition_create(request: HttpRequest, pk: int) -> HttpResponse:
    """A new proposition; `?segment=<pk>` or `?persona=<pk>` starts it on that target."""
    offering = selectors.offering_get(user=request.user, pk=pk)
    _require_writer(request)
    initial = {
        name: int(request.GET[name]) for name in ("segment", "persona") if request.GET.get(name, "").isdigit()
    }
    form = _proposition_form(request, offering, initial=initial)
    proposition = form_submitted(
        request,
        form,
        lambda: services.value_proposition_create(
            actor=request.user, offering=offering, **form.service_data()
        ),
    )
    if proposition:
        messages.success(request, "Value proposition saved.")
        return redirect(_section_url(offering, "propositions"))
    return render_form(
        request,
        "offerings/value_proposition_form.html",
        {"form": form, "offering": offering, "proposition": None},
    )


@browser_view
@require_http_methods(["GET", "POST"])
def value_proposition_edit(request: HttpRequest, pk: int, proposition_pk: int) -> HttpResponse:
    offering = selectors.offering_get(user=request.user, pk=pk)
    proposition = selectors.value_proposition_get(user=request.user, pk=proposition_pk, offering=offering)
    _require_writer(request)
    form = _proposition_form(request, offering, initial=ValuePropositionForm.initial_for(proposition))
    saved = form_submitted(
        request,
        form,
        lambda: services.value_proposition_update(
            actor=request.user, proposition=proposition, **form.service_data()
        ),
    )
    if saved:
        messages.success(request, "Value proposition saved.")
        return redirect(_section_url(offering, "propositions"))
    return render_form(
        request,
        "offerings/value_proposition_form.html",
        {"form": form, "offering": offering, "proposition": proposition},
    )


@browser_view
@require_POST
def value_proposition_delete(request: HttpRequest, pk: int, proposition_pk: int) -> HttpResponse:
    offering = selectors.offering_get(user=request.user, pk=pk)
    proposition = selectors.value_proposition_get(user=request.user, pk=proposition_pk, offering=offering)
    _require_writer(request)
    try:
        services.value_proposition_delete(actor=request.user, proposition=proposition)
    except ApplicationError as error:
        return _offering_page(request, offering, status_error=error.message, status=400)
    messages.success(request, "Value proposition deleted.")
    return redirect(_section_url(offering, "propositions"))


# --- journeys -------------------------------------------------------------------------------------


def _journeys_url(offering, query: str = "") -> str:
    detail = reverse("offerings:offering_detail", args=[offering.pk])
    query = (query or "").strip()
    return f"{detail}?{urlencode({'q': query})}#journeys" if query else f"{detail}#journeys"


@browser_view
@require_GET
def offering_journey_candidates(request: HttpRequest, pk: int) -> HttpResponse:
    """The link-a-journey type-ahead's matches as a fragment for HTMX. Asked for without HTMX, it sends
    the browser to the offering page with the same search, which lists the same matches."""
    offering = selectors.offering_get(user=request.user, pk=pk)
    _require_writer(request)
    query = JourneySearchForm(request.GET).query()
    if not wants_fragment(request):
        return redirect(_journeys_url(offering, query))
    return render_page(
        request,
        OFFERING_TEMPLATE,
        {"offering": offering, "can_manage": True, **_journey_candidates(request, offering, query)},
        partial="candidates",
    )


@browser_view
@require_POST
def offering_journey_link(request: HttpRequest, pk: int) -> HttpResponse:
    offering = selectors.offering_get(user=request.user, pk=pk)
    _require_writer(request)
    form = JourneyLinkForm(request.POST)
    ok = _saved(
        form,
        lambda: services.offering_journey_link(
            actor=request.user,
            offering=offering,
            journey=selectors.offering_journey_candidate(user=request.user, pk=form.cleaned_data["journey"]),
        ),
    )
    return _answer(
        request,
        # The form comes back either way: its search text lists the remaining matches again.
        lambda **extra: _offering_page(request, offering, link_form=form, partial="journeys", **extra),
        _journeys_url(offering, form.cleaned_data.get("q", "") if ok else ""),
        notice="Journey linked to the offering.",
        failed=not ok,
    )


@browser_view
@require_POST
def offering_journey_unlink(request: HttpRequest, pk: int, journey_pk: int) -> HttpResponse:
    offering = selectors.offering_get(user=request.user, pk=pk)
    journey = journey_get(user=request.user, pk=journey_pk)
    _require_writer(request)
    services.offering_journey_unlink(actor=request.user, offering=offering, journey=journey)
    return _answer(
        request,
        lambda **extra: _offering_page(request, offering, partial="journeys", **extra),
        _journeys_url(offering),
        notice=f"“{journey.name}” of {journey.organization.name} unlinked.",
    )
