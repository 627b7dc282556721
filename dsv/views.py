"""The shell's pages: the portfolio dashboard, the account 360° page, each journey step's overview,
and the old addresses of the service desk and the value page. They compose the apps' selectors."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from agreements import selectors as agreements_selectors
from cocreation import selectors as cocreation_selectors
from dsv.context_processors import step_links
from exploration import selectors as exploration_selectors
from journeys import roles, selectors
from journeys.htmx import render_page, wants_fragment
from journeys.models import JourneyStep
from journeys.web import browser_view, peek_page
from offerings import selectors as offerings_selectors
from onboarding import selectors as onboarding_selectors
from realization import selectors as realization_selectors
from relationships import selectors as relationships_selectors

TIMELINE_PAGE = 20
KEY_PEOPLE = 12
STEP_PAGE = 50


class LoginView(auth_views.LoginView):
    redirect_authenticated_user = True


PORTFOLIO_PAGE = 25
# The Realize panel's survey figures cover the last quarter.
PANEL_MONTHS = 3


@browser_view
def dashboard(request: HttpRequest) -> HttpResponse:
    ordering = request.GET.get("ordering", "attention")
    if ordering not in selectors.PORTFOLIO_ORDERINGS:
        ordering = "attention"
    summary = selectors.portfolio_summary(user=request.user)
    rows = relationships_selectors.with_relationship_type(
        selectors.portfolio_page_rows(user=request.user, ordering=ordering)
    )
    paginator = Paginator(rows, PORTFOLIO_PAGE)
    # The summary counted the accounts already: spare the paginator its COUNT query.
    paginator.__dict__["count"] = summary["accounts"]
    page = paginator.get_page(request.GET.get("page"))
    # Each account's latest health and NPS, for the page's rows only: one query.
    page.object_list = realization_selectors.with_value_figures(list(page.object_list), key="pk")
    largest = max((row["accounts"] for row in summary["steps"]), default=0) or 1
    # The navigation has each step's URL already.
    urls = {link["step"]: link["url"] for link in step_links(request)}
    for row in summary["steps"]:
        row["percent"] = round(100 * row["accounts"] / largest)
        row["url"] = urls[row["step"]]
    return render_page(
        request,
        "dsv/dashboard.html",
        {"page": page, "ordering": ordering, "summary": summary, "now": timezone.now()},
        partial="portfolio",
    )


@browser_view
def account_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organization = selectors.organization_get(user=request.user, pk=pk)
    timeline = peek_page(
        selectors.touchpoint_timeline(user=request.user, organization=organization),
        request.GET.get("page"),
        TIMELINE_PAGE,
    )
    context = {
        "organization": organization,
        "timeline": timeline,
        "can_manage": roles.may_manage_accounts(request.user),
        "can_log": roles.may_log_touchpoints(request.user),
    }
    if not (wants_fragment(request) and request.GET.get("page")):
        everyone = request.GET.get("stakeholders") == "all"
        stakeholders = selectors.stakeholder_list_for_organization(
            user=request.user, organization=organization
        )
        if not everyone:
            # The page summarizes: the most influential active people; the full list is a click away.
            stakeholders = stakeholders.filter(is_active=True)[:KEY_PEOPLE]
        context.update(
            journeys=selectors.journey_list_for_organization(user=request.user, organization=organization),
            stakeholders=stakeholders,
            all_stakeholders=everyone,
            activity=selectors.organization_recent_activity(organization=organization),
        )
    context["key_people"] = KEY_PEOPLE
    context["panels"] = [
        ("explore", "Explore", "Segments, SWOT, PESTLE and decisions for this account"),
        ("engage", "Engage", "Relationship type, ladder, communication plans and assessments"),
        ("offer", "Offer", "Requirements by MoSCoW and WSJF, opportunities and the business case"),
        ("agree", "Agree", "Agreements, their service level targets and this month's compliance"),
        ("onboard", "Onboard", "Onboarding and offboarding plans under way, progress, overdue actions"),
        (
            "cocreate",
            "Co-create",
            "Open requests with their SLA clocks, feedback, moments of truth, communities",
        ),
        (
            "realize",
            "Realize",
            "Health score, NPS, CSAT and CES, watermelons, follow-ups, the next value review",
        ),
    ]
    return render_page(request, "dsv/account_detail.html", context, partial="timeline")


def _explore_panel(request: HttpRequest, organization) -> dict:
    user = request.user
    return {
        "segments": exploration_selectors.segments_for_organization(user=user, organization=organization),
        "analyses": exploration_selectors.analyses_for_organization(user=user, organization=organization),
        "decisions": exploration_selectors.decision_matrices_for_organization(
            user=user, organization=organization
        )[:5],
    }


def _engage_panel(request: HttpRequest, organization) -> dict:
    user = request.user
    return {
        "relationship": relationships_selectors.relationship_panel(user=user, organization=organization),
        "assessment_plan": relationships_selectors.assessment_plan(user=user, organization=organization),
    }


def _offer_panel(request: HttpRequest, organization) -> dict:
    return {"offer": offerings_selectors.offer_panel(user=request.user, organization=organization)}


def _agree_panel(request: HttpRequest, organization) -> dict:
    return {"agree": agreements_selectors.account_sla_panel(user=request.user, organization=organization)}


def _cocreate_panel(request: HttpRequest, organization) -> dict:
    return {
        "cocreate": cocreation_selectors.account_cocreate_panel(user=request.user, organization=organization),
        "can_log": roles.may_log_touchpoints(request.user),
    }


def _onboard_panel(request: HttpRequest, organization) -> dict:
    return {
        "onboard": onboarding_selectors.account_onboarding_panel(user=request.user, organization=organization)
    }


def _realize_panel(request: HttpRequest, organization) -> dict:
    user = request.user
    return {
        "value": realization_selectors.account_value(
            user=user, organization=organization, months=PANEL_MONTHS
        ),
        "follow_ups_open": realization_selectors.follow_up_list(user=user, organization=organization).count(),
        "next_review": next(
            iter(realization_selectors.reviews_upcoming(user=user, organization=organization, limit=1)), None
        ),
        "can_plan_review": roles.may_manage_accounts(user),
    }


ACCOUNT_PANELS = {
    "explore": _explore_panel,
    "engage": _engage_panel,
    "offer": _offer_panel,
    "agree": _agree_panel,
    "onboard": _onboard_panel,
    "cocreate": _cocreate_panel,
    "realize": _realize_panel,
}


@browser_view
@require_GET
def account_panel(request: HttpRequest, pk: int, panel: str) -> HttpResponse:
    """One panel of the account 360° page, as each step's app reports on the account. The account page
    loads the panels with HTMX once it is shown, so it stays as light as before; asked for without HTMX
    a panel is a page of its own."""
    build = ACCOUNT_PANELS.get(panel)
    if build is None:
        raise Http404("No such panel.")
    organization = selectors.organization_get(user=request.user, pk=pk)
    context = {
        "organization": organization,
        "panel": panel,
        "can_manage": roles.may_manage_accounts(request.user),
        **build(request, organization),
    }
    return render_page(request, "dsv/account_panel.html", context, partial="panel")


@browser_view
def step_overview(request: HttpRequest, step: str) -> HttpResponse:
    journeys = selectors.journeys_in_step(user=request.user, step=step)
    page = Paginator(journeys, STEP_PAGE).get_page(request.GET.get("page"))
    current = JourneyStep(step)
    return render_page(
        request,
        "dsv/step_overview.html",
        {
            "step": current,
            "page": page,
            "activity": selectors.step_touchpoint_summary(user=request.user, step=step),
            "now": timezone.now(),
        },
        partial="journeys",
    )


@browser_view
def service_desk(request: HttpRequest) -> HttpResponse:
    """The service desk moved to Co-create's console; old links and bookmarks (with their search) go
    there."""
    console = reverse("cocreation:console")
    query = request.META.get("QUERY_STRING", "")
    return redirect(f"{console}?{query}" if query else console)


@browser_view
def value_overview(request: HttpRequest) -> HttpResponse:
    """The value page became Realize's value dashboard (its sentiment per step moved there too); old
    links and bookmarks, with their query, go there."""
    dashboard = reverse("realization:value_dashboard")
    query = request.META.get("QUERY_STRING", "")
    return redirect(f"{dashboard}?{query}" if query else dashboard)
