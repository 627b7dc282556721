"""Pages of a consumer's requirements: the requirement board (MoSCoW columns, ranked within or by
WSJF), the moves made on it, and each requirement's page and forms.

The board is one page whose swappable region (`board`) HTMX replaces after a move; without HTMX the
same buttons post plain forms and redirect back to the card. HTMX only swaps successful answers, so
there a refused move comes back as the board with its reason and a 200; without HTMX the page comes
back with the reason and a 400. Reads go through selectors, writes through services.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from journeys import roles
from journeys import selectors as journeys_selectors
from journeys.base import ApplicationError
from journeys.forms import apply_error
from journeys.htmx import render_page, wants_fragment
from journeys.models import Organization, OrganizationKind
from journeys.web import browser_view, form_submitted, render_form, require
from offerings import selectors, services
from offerings.forms.requirements import (
    COLUMN_KEYS,
    INVEST_FIELDS,
    BoardViewForm,
    ColumnForm,
    RequirementForm,
    RequirementMoveForm,
    board_query,
)
from offerings.models import Requirement

WRITE_REFUSED = "Your role may not change requirements."
BOARD_TEMPLATE = "offerings/requirement_board.html"
FORM_TEMPLATE = "offerings/requirement_form.html"
# The form's fields in the groups the page shows them in.
FORM_GROUPS = (
    ("The requirement", ("title", "description", "kind", "non_functional_category")),
    ("User story", ("as_a", "i_want", "so_that", "acceptance_criteria")),
    ("Lifecycle and priority", ("status", "moscow", "candidate_release", "owner", "journey", "offering")),
    (
        "Weighted shortest job first (WSJF)",
        ("service_impact", "urgency", "risk_reduction", "job_size"),
    ),
    ("INVEST: what makes a good story", INVEST_FIELDS),
)


def _board_url(organization_pk: int, state: str = "") -> str:
    """The board's URL with the view a form carried back (`state`), keeping only what a view is made
    of: the order and the ids of a journey and an offering."""
    query = QueryDict(state)
    kept = {}
    if query.get("order") in selectors.BOARD_ORDERS and query.get("order") != "rank":
        kept["order"] = query["order"]
    for name in ("journey", "offering"):
        if query.get(name, "").isdigit():
            kept[name] = query[name]
    url = reverse("offerings:requirement_board", args=[organization_pk])
    return f"{url}?{urlencode(kept)}" if kept else url


def _board_page(
    request: HttpRequest,
    organization: Organization,
    query: QueryDict | None,
    *,
    errors: list[str] | None = None,
    notice: str = "",
    status: int = 200,
) -> HttpResponse:
    journeys, offerings = selectors.requirement_board_choices(user=request.user, organization=organization)
    view_form = BoardViewForm(query or None, journeys=journeys, offerings=offerings)
    view = view_form.view()
    board = selectors.requirement_board(user=request.user, organization=organization, **view)
    is_consumer = organization.kind == OrganizationKind.CONSUMER
    context = {
        "organization": organization,
        "board": board,
        "view_form": view_form,
        "board_state": board_query(**view),
        "can_move": roles.may_manage_accounts(request.user),
        "can_add": roles.may_manage_accounts(request.user) and is_consumer,
        "is_consumer": is_consumer,
        "errors": errors or [],
        "notice": notice,
    }
    return render_page(request, BOARD_TEMPLATE, context, partial="board", status=status)


@browser_view
@require_GET
def requirement_board(request: HttpRequest, pk: int) -> HttpResponse:
    organization = journeys_selectors.organization_get(user=request.user, pk=pk, brief=True)
    return _board_page(request, organization, request.GET)


def _after_board_write(
    request: HttpRequest,
    organization: Organization,
    state: str,
    *,
    errors: list[str],
    notice: str,
    anchor: str = "",
) -> HttpResponse:
    """A redirect back to the board (to the card that moved) without HTMX; the board itself for HTMX,
    or for a refused write (400 without HTMX, 200 with it: HTMX swaps only successful answers)."""
    if not errors and not wants_fragment(request):
        if notice:
            messages.success(request, notice)
        return redirect(_board_url(organization.pk, state) + (f"#{anchor}" if anchor else ""))
    status = 400 if errors and not wants_fragment(request) else 200
    return _board_page(
        request, organization, QueryDict(state), errors=errors, notice="" if errors else notice, status=status
    )


def _messages_of(form, prefix: str) -> list[str]:
    return [f"{prefix}{message}" for messages_ in form.errors.values() for message in messages_]


@browser_view
@require_POST
def requirement_board_move(request: HttpRequest, pk: int) -> HttpResponse:
    """Move a card of the account's board one place up or down, to another column, or to a position
    in its column (the button pressed says which card, and where)."""
    organization = journeys_selectors.organization_get(user=request.user, pk=pk, brief=True)
    require(roles.may_manage_accounts(request.user), WRITE_REFUSED)
    form = RequirementMoveForm(request.POST)
    requirement = None
    if form.is_valid():
        move = form.cleaned_data["move"]
        requirement = selectors.requirement_get(user=request.user, pk=move["requirement"])
        if requirement.organization_id != organization.pk:
            raise Http404("No such requirement on this board.")
        try:
            if move["direction"]:
                services.requirement_step(
                    actor=request.user, requirement=requirement, direction=move["direction"]
                )
            else:
                services.requirement_reprioritize(
                    actor=request.user,
                    requirement=requirement,
                    moscow=COLUMN_KEYS[move["to"]] if move["to"] else requirement.moscow,
                    position=move["position"],
                )
        except ApplicationError as error:
            apply_error(form, error)
    return _after_board_write(
        request,
        organization,
        request.POST.get("board", ""),
        errors=_messages_of(form, f"{requirement.title}: " if requirement else ""),
        notice="",
        anchor=f"requirement-{requirement.pk}" if requirement else "",
    )


@browser_view
@require_POST
def requirement_rank_by_wsjf(request: HttpRequest, pk: int) -> HttpResponse:
    """Make a column's WSJF order its agreed order."""
    organization = journeys_selectors.organization_get(user=request.user, pk=pk, brief=True)
    require(roles.may_manage_accounts(request.user), WRITE_REFUSED)
    form = ColumnForm(request.POST)
    notice = ""
    if form.is_valid():
        try:
            moved = services.requirement_column_rank_by_wsjf(
                actor=request.user, organization=organization, moscow=form.moscow
            )
        except ApplicationError as error:
            apply_error(form, error)
        else:
            label = dict((key, label) for _moscow, key, label in selectors.BOARD_COLUMNS)[
                form.cleaned_data["column"]
            ]
            count = len(moved)
            cards = "1 requirement took its" if count == 1 else f"{count} requirements took their"
            notice = f"{label}: {cards} place by WSJF score."
            if not moved:
                notice = f"{label} already followed the WSJF order."
    return _after_board_write(
        request, organization, request.POST.get("board", ""), errors=_messages_of(form, ""), notice=notice
    )


# --- one requirement ------------------------------------------------------------------------------


def _form_page(request: HttpRequest, form: RequirementForm, organization, requirement) -> HttpResponse:
    groups = [(legend, [form[name] for name in names]) for legend, names in FORM_GROUPS]
    return render_form(
        request,
        FORM_TEMPLATE,
        {"form": form, "groups": groups, "organization": organization, "requirement": requirement},
    )


def _prefill(request: HttpRequest) -> dict:
    """`?journey=<pk>`, `?offering=<pk>` or `?moscow=<category>` start the form there (from a narrowed
    board or a column's "add" link); the choice lists hold only what fits, so a foreign id shows
    nothing chosen."""
    initial = {"owner": request.user.pk}
    for name in ("journey", "offering"):
        value = request.GET.get(name, "")
        if value.isdigit():
            initial[name] = int(value)
    column = request.GET.get("column", "")
    if column in COLUMN_KEYS:
        initial["moscow"] = COLUMN_KEYS[column]
    return initial


@browser_view
@require_http_methods(["GET", "POST"])
def requirement_create(request: HttpRequest, pk: int) -> HttpResponse:
    organization = journeys_selectors.organization_get(user=request.user, pk=pk, brief=True)
    require(roles.may_manage_accounts(request.user), WRITE_REFUSED)
    form = RequirementForm(request.POST or None, organization=organization, initial=_prefill(request))
    requirement = form_submitted(
        request,
        form,
        lambda: services.requirement_create(
            actor=request.user, organization=organization, **form.service_data()
        ),
    )
    if requirement:
        messages.success(request, f"Requirement “{requirement.title}” recorded.")
        return redirect("offerings:requirement_detail", pk=requirement.pk)
    return _form_page(request, form, organization, None)


@browser_view
@require_GET
def requirement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    requirement = selectors.requirement_get(user=request.user, pk=pk)
    return render(
        request,
        "offerings/requirement_detail.html",
        {
            "requirement": requirement,
            "organization": requirement.organization,
            "invest": requirement.invest,
            "column_label": _column_label(requirement),
            "can_manage": roles.may_manage_accounts(request.user),
        },
    )


def _column_label(requirement: Requirement) -> str:
    return next(label for moscow, _key, label in selectors.BOARD_COLUMNS if moscow == requirement.moscow)


@browser_view
@require_http_methods(["GET", "POST"])
def requirement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    requirement = selectors.requirement_get(user=request.user, pk=pk)
    require(roles.may_manage_accounts(request.user), WRITE_REFUSED)
    form = RequirementForm(
        request.POST or None,
        organization=requirement.organization,
        requirement=requirement,
        initial=RequirementForm.initial_for(requirement),
    )
    saved = form_submitted(
        request,
        form,
        lambda: services.requirement_update(
            actor=request.user, requirement=requirement, **form.service_data()
        ),
    )
    if saved:
        messages.success(request, f"Requirement “{saved.title}” saved.")
        return redirect("offerings:requirement_detail", pk=saved.pk)
    return _form_page(request, form, requirement.organization, requirement)


@browser_view
@require_http_methods(["GET", "POST"])
def requirement_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks for confirmation; POST deletes."""
    requirement = selectors.requirement_get(user=request.user, pk=pk)
    require(roles.may_manage_accounts(request.user), WRITE_REFUSED)
    if request.method == "POST":
        services.requirement_delete(actor=request.user, requirement=requirement)
        messages.success(request, f"Requirement “{requirement.title}” deleted.")
        return redirect("offerings:requirement_board", pk=requirement.organization_id)
    return render(request, "offerings/requirement_confirm_delete.html", {"requirement": requirement})
