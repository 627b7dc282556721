"""Pages of the opportunity pipeline: the board over the accounts the user may see and over one
account (a column per stage), the moves made on it, and each opportunity's page and forms.

The board is one page whose swappable region (`board`) HTMX replaces after a move; without HTMX the
same buttons post plain forms and redirect back to the card. Losing an opportunity asks why: the
"Lost…" link opens a small form in the card (HTMX) or on a page of its own (without). HTMX only swaps
successful answers, so there a refused move comes back as the board with its reason (and the form
still open) and a 200; without HTMX the page comes back with the reason and a 400.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from journeys import roles
from journeys import selectors as journeys_selectors
from journeys.base import ApplicationError
from journeys.forms import apply_error
from journeys.htmx import render_page, wants_fragment
from journeys.models import Organization, OrganizationKind
from journeys.web import browser_view, form_submitted, render_form, require
from offerings import selectors, services
from offerings.forms.pipeline import OpportunityForm, OpportunityMoveForm, PipelineFilterForm, pipeline_query
from offerings.models import Opportunity, OpportunityStage

WRITE_REFUSED = "Your role may not change opportunities."
PIPELINE_TEMPLATE = "offerings/pipeline.html"
FORM_TEMPLATE = "offerings/opportunity_form.html"
MOVE_TEMPLATE = "offerings/opportunity_move.html"


def _board_url(organization_pk: int | None, state: str = "") -> str:
    """The pipeline's URL (of every account, or of one) with the filters a form carried back
    (`state`), keeping only what the filters are made of."""
    query = QueryDict(state)
    kept = {name: query[name] for name in ("q", "owner", "offering") if query.get(name)}
    if organization_pk is None:
        url = reverse("offerings:pipeline")
    else:
        url = reverse("offerings:account_pipeline", args=[organization_pk])
        kept.pop("q", None)
    return f"{url}?{urlencode(kept)}" if kept else url


def _pipeline_page(
    request: HttpRequest,
    organization: Organization | None,
    query: QueryDict | None,
    *,
    errors: list[str] | None = None,
    open_form: dict | None = None,
    moved: int | None = None,
    status: int = 200,
) -> HttpResponse:
    people, offerings = selectors.pipeline_filter_choices()
    filter_form = PipelineFilterForm(
        query or None, people=people, offerings=offerings, with_account=organization is None
    )
    filters = filter_form.filters()
    if organization is not None:
        filters.pop("search")
    board = selectors.pipeline_board(user=request.user, organization=organization, **filters)
    can_manage = roles.may_manage_accounts(request.user)
    context = {
        "organization": organization,
        "board": board,
        "filter_form": filter_form,
        "board_state": pipeline_query(**filters),
        "view": "account" if organization is not None else "",
        "board_url": _board_url(organization.pk if organization else None, pipeline_query(**filters)),
        "show_account": organization is None,
        "closed_within_days": selectors.CLOSED_WITHIN_DAYS,
        "can_move": can_manage,
        "can_add": can_manage and organization is not None and organization.kind == OrganizationKind.CONSUMER,
        "errors": errors or [],
        "open_form": open_form,
        "moved": moved,
        "today": timezone.localdate(),
    }
    return render_page(request, PIPELINE_TEMPLATE, context, partial="board", status=status)


@browser_view
@require_GET
def pipeline(request: HttpRequest) -> HttpResponse:
    return _pipeline_page(request, None, request.GET)


@browser_view
@require_GET
def account_pipeline(request: HttpRequest, pk: int) -> HttpResponse:
    organization = journeys_selectors.organization_get(user=request.user, pk=pk, brief=True)
    return _pipeline_page(request, organization, request.GET)


# --- moves ----------------------------------------------------------------------------------------


def _move_context(opportunity: Opportunity, form: OpportunityMoveForm, view: str, state: str) -> dict:
    return {
        "opportunity": opportunity,
        "form": form,
        "board_url": _back_url(opportunity, view, state),
        "board_state": state,
        "view": view,
    }


def _back_url(opportunity: Opportunity, view: str, state: str) -> str:
    """Where a move goes back to: the opportunity's page, or its card on the board it was made on."""
    if view == "detail":
        return reverse("offerings:opportunity_detail", args=[opportunity.pk])
    organization_pk = opportunity.organization_id if view == "account" else None
    return _board_url(organization_pk, state) + f"#opportunity-{opportunity.pk}"


@browser_view
@require_http_methods(["GET", "POST"])
def opportunity_move(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the form that moves an opportunity (how "Lost…" asks why): in the card for HTMX, as a
    page otherwise. POST: the move itself."""
    opportunity = selectors.opportunity_get(user=request.user, pk=pk)
    require(roles.may_manage_accounts(request.user), WRITE_REFUSED)
    source = request.POST if request.method == "POST" else request.GET
    view = source.get("view", "")
    view = view if view in ("account", "detail") else ""
    state = source.get("board", "")
    if request.method == "GET":
        stage = request.GET.get("stage", "")
        form = OpportunityMoveForm(
            initial={
                "stage": stage if stage in OpportunityStage.values else OpportunityStage.LOST,
                "board": state,
                "view": view,
            }
        )
        return render_page(
            request, MOVE_TEMPLATE, _move_context(opportunity, form, view, state), partial="lost_form"
        )
    form = OpportunityMoveForm(request.POST)
    if form.is_valid():
        try:
            services.opportunity_move(
                actor=request.user,
                opportunity=opportunity,
                stage=form.cleaned_data["stage"],
                lost_reason=form.cleaned_data["lost_reason"],
            )
        except ApplicationError as error:
            apply_error(form, error)
    organization = opportunity.organization if view else None
    if not form.errors:
        if wants_fragment(request):
            return _pipeline_page(request, organization, QueryDict(state), moved=opportunity.pk)
        return redirect(_back_url(opportunity, view, state))
    lost = request.POST.get("stage") == OpportunityStage.LOST
    if lost and not wants_fragment(request):
        # Without HTMX a lost move that lacks its reason comes back to its own page, with the error.
        return render(request, MOVE_TEMPLATE, _move_context(opportunity, form, view, state), status=400)
    open_form = None
    if lost:
        reasons = [message for texts in form.errors.values() for message in texts]
        open_form = {"pk": opportunity.pk, "reason": request.POST.get("lost_reason", ""), "errors": reasons}
    return _pipeline_page(
        request,
        organization,
        QueryDict(state),
        errors=[f"{opportunity.title}: {message}" for texts in form.errors.values() for message in texts],
        open_form=open_form,
        status=200 if wants_fragment(request) else 400,
    )


# --- one opportunity ------------------------------------------------------------------------------


def _form(request: HttpRequest, organization: Organization, opportunity: Opportunity | None, initial: dict):
    people, offerings = selectors.pipeline_filter_choices()
    return OpportunityForm(
        request.POST or None,
        organization=organization,
        people=people,
        offerings=offerings,
        opportunity=opportunity,
        initial=initial,
    )


@browser_view
@require_http_methods(["GET", "POST"])
def opportunity_create(request: HttpRequest, pk: int) -> HttpResponse:
    organization = journeys_selectors.organization_get(user=request.user, pk=pk, brief=True)
    require(roles.may_manage_accounts(request.user), WRITE_REFUSED)
    initial = {"owner": request.user.pk}
    stage = request.GET.get("stage", "")
    if stage in OpportunityStage.values:
        initial["stage"] = stage
    form = _form(request, organization, None, initial)
    opportunity = form_submitted(
        request,
        form,
        lambda: services.opportunity_create(
            actor=request.user, organization=organization, **form.service_data()
        ),
    )
    if opportunity:
        messages.success(request, f"Opportunity “{opportunity.title}” opened.")
        return redirect("offerings:opportunity_detail", pk=opportunity.pk)
    return render_form(
        request, FORM_TEMPLATE, {"form": form, "organization": organization, "opportunity": None}
    )


@browser_view
@require_GET
def opportunity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = selectors.opportunity_get(user=request.user, pk=pk)
    return render(
        request,
        "offerings/opportunity_detail.html",
        {
            "opportunity": opportunity,
            "organization": opportunity.organization,
            "history": selectors.opportunity_stage_history(user=request.user, opportunity=opportunity),
            "can_manage": roles.may_manage_accounts(request.user),
            "stages": [stage for stage in OpportunityStage if stage != opportunity.stage],
        },
    )


@browser_view
@require_http_methods(["GET", "POST"])
def opportunity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = selectors.opportunity_get(user=request.user, pk=pk)
    require(roles.may_manage_accounts(request.user), WRITE_REFUSED)
    form = _form(request, opportunity.organization, opportunity, OpportunityForm.initial_for(opportunity))
    saved = form_submitted(
        request,
        form,
        lambda: services.opportunity_update(
            actor=request.user, opportunity=opportunity, **form.service_data()
        ),
    )
    if saved:
        messages.success(request, f"Opportunity “{saved.title}” saved.")
        return redirect("offerings:opportunity_detail", pk=saved.pk)
    return render_form(
        request,
        FORM_TEMPLATE,
        {"form": form, "organization": opportunity.organization, "opportunity": opportunity},
    )


@browser_view
@require_http_methods(["GET", "POST"])
def opportunity_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks for confirmation; POST deletes."""
    opportunity = selectors.opportunity_get(user=request.user, pk=pk)
    require(roles.may_manage_accounts(request.user), WRITE_REFUSED)
    if request.method == "POST":
        services.opportunity_delete(actor=request.user, opportunity=opportunity)
        messages.success(request, f"Opportunity “{opportunity.title}” deleted.")
        return redirect("offerings:account_pipeline", pk=opportunity.organization_id)
    return render(request, "offerings/opportunity_confirm_delete.html", {"opportunity": opportunity})
