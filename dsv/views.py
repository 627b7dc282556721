"""The shell's pages: the portfolio dashboard, the account 360° page, each journey step's overview,
the service desk's quick logging and the value overview. They compose the apps' selectors."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from journeys import roles, selectors
from journeys.htmx import render_page, wants_fragment
from journeys.models import JourneyStep
from journeys.web import browser_view, peek_page

TIMELINE_PAGE = 20
KEY_PEOPLE = 12
STEP_PAGE = 50


class LoginView(auth_views.LoginView):
    redirect_authenticated_user = True


PORTFOLIO_PAGE = 25


@browser_view
def dashboard(request: HttpRequest) -> HttpResponse:
    ordering = request.GET.get("ordering", "attention")
    if ordering not in selectors.PORTFOLIO_ORDERINGS:
        ordering = "attention"
    summary = selectors.portfolio_summary(user=request.user)
    paginator = Paginator(selectors.portfolio_page_rows(user=request.user, ordering=ordering), PORTFOLIO_PAGE)
    # The summary counted the accounts already: spare the paginator its COUNT query.
    paginator.__dict__["count"] = summary["accounts"]
    page = paginator.get_page(request.GET.get("page"))
    largest = max((row["accounts"] for row in summary["steps"]), default=0) or 1
    for row in summary["steps"]:
        row["percent"] = round(100 * row["accounts"] / largest)
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
    return render_page(request, "dsv/account_detail.html", context, partial="timeline")


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
    query = request.GET.get("q", "").strip()[:100]
    return render_page(
        request,
        "dsv/service_desk.html",
        {
            "query": query,
            "matches": selectors.organization_search(user=request.user, query=query),
            "recent": selectors.touchpoint_recent(user=request.user, limit=15),
            "can_log": roles.may_log_touchpoints(request.user),
        },
        partial="matches",
    )


@browser_view
def value_overview(request: HttpRequest) -> HttpResponse:
    by_step = selectors.touchpoint_summary_by_step(user=request.user, days=90)
    busiest = max((row["volume"] for row in by_step), default=0) or 1
    for row in by_step:
        row["percent"] = round(100 * row["volume"] / busiest)
    return render_page(
        request,
        "dsv/value_overview.html",
        {"by_step": by_step, "summary": selectors.portfolio_summary(user=request.user)},
    )
