"""The portfolio board of every onboarding and offboarding plan a user may see, and "my actions": the
open actions a person owns, overdue first. Both filter or page with HTMX (a template partial) and
work as plain links and GET forms without it."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from journeys import roles
from journeys.htmx import render_page
from journeys.web import browser_view
from onboarding import selectors
from onboarding.forms.plans import BoardFilterForm, board_query

__all__: list[str] = []


@browser_view
@require_GET
def board(request: HttpRequest) -> HttpResponse:
    form = BoardFilterForm(request.GET or None)
    filters = form.filters()
    today = timezone.localdate()
    rows = selectors.plan_board(user=request.user, today=today, **filters)
    page = Paginator(rows, selectors.BOARD_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "query": board_query(**filters),
        "filtered": any(filters.values()),
        "today": today,
        "can_manage": roles.may_manage_accounts(request.user),
    }
    return render_page(request, "onboarding/board.html", context, partial="results")


@browser_view
@require_GET
def my_actions(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    summary = selectors.my_action_summary(user=request.user, today=today)
    paginator = Paginator(selectors.my_actions(user=request.user), selectors.MY_ACTIONS_PER_PAGE)
    # The summary counted them already: spare the paginator its COUNT query.
    paginator.__dict__["count"] = summary["open"]
    context = {"page": paginator.get_page(request.GET.get("page")), "summary": summary, "today": today}
    return render_page(request, "onboarding/my_actions.html", context, partial="results")
