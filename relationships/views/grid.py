"""Pages of the Engage step: an account's stakeholder grid, and the moves made on it. Each view reads
through selectors and writes through services."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from journeys import roles
from journeys import selectors as journeys_selectors
from journeys.base import ApplicationError
from journeys.forms import apply_error
from journeys.htmx import render_page, wants_fragment
from journeys.models import Organization
from journeys.web import browser_view, require
from relationships import selectors, services
from relationships.forms.grid import GridDatesForm, GridMoveForm

GRID_TEMPLATE = "relationships/stakeholder_grid.html"


def _grid_page(
    request: HttpRequest,
    organization: Organization,
    dates: GridDatesForm,
    *,
    errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    as_of, compare_with = dates.moments()
    context = {
        "organization": organization,
        "dates": dates,
        "grid": selectors.stakeholder_grid(
            user=request.user, organization=organization, as_of=as_of, compare_with=compare_with
        ),
        "warnings": selectors.grid_warnings(
            user=request.user,
            organization=organization,
            silence_days=settings.DSV_KEY_PLAYER_SILENCE_DAYS,
        ),
        # A past grid is a record: nobody moves people on it.
        "can_move": roles.may_manage_accounts(request.user) and as_of is None,
        "compare": dates.cleaned_data.get("compare") if dates.is_bound and dates.is_valid() else None,
        "errors": errors or [],
    }
    return render_page(request, GRID_TEMPLATE, context, partial="board", status=status)


@browser_view
@require_GET
def stakeholder_grid(request: HttpRequest, pk: int) -> HttpResponse:
    organization = journeys_selectors.organization_get(user=request.user, pk=pk, brief=True)
    dates = GridDatesForm(request.GET or None)
    return _grid_page(request, organization, dates, status=400 if dates.errors else 200)


@browser_view
@require_POST
def stakeholder_grid_move(request: HttpRequest, pk: int) -> HttpResponse:
    """Move a person one square (or to a given position) and show the board again. Without HTMX a
    successful move redirects to the grid; a refused one shows the page with the reason (400). HTMX only
    swaps successful answers, so there the refused move's board, with its reason, comes with 200."""
    stakeholder = journeys_selectors.stakeholder_get(user=request.user, pk=pk)
    require(roles.may_manage_accounts(request.user), "Your role may not move stakeholders on the grid.")
    form = GridMoveForm(request.POST)
    errors: list[str] = []
    if form.is_valid():
        try:
            if form.cleaned_data["direction"]:
                services.stakeholder_grid_step(
                    actor=request.user, stakeholder=stakeholder, direction=form.cleaned_data["direction"]
                )
            elif form.cleaned_data["quadrant"]:
                services.stakeholder_grid_to_quadrant(
                    actor=request.user, stakeholder=stakeholder, quadrant=form.cleaned_data["quadrant"]
                )
            else:
                services.stakeholder_grid_move(
                    actor=request.user,
                    stakeholder=stakeholder,
                    influence=form.cleaned_data["influence"],
                    interest=form.cleaned_data["interest"],
                )
        except ApplicationError as error:
            apply_error(form, error)
    if form.errors:
        errors = [
            f"{stakeholder.name}: {message}" for messages in form.errors.values() for message in messages
        ]
    compare = form.cleaned_data.get("compare") if hasattr(form, "cleaned_data") else None
    if not errors and not wants_fragment(request):
        url = reverse("relationships:stakeholder_grid", args=[stakeholder.organization_id])
        return redirect(f"{url}?{urlencode({'compare': compare.isoformat()})}" if compare else url)
    dates = GridDatesForm({"compare": compare.isoformat()} if compare else None)
    status = 400 if errors and not wants_fragment(request) else 200
    return _grid_page(request, stakeholder.organization, dates, errors=errors, status=status)
