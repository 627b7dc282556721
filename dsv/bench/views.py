"""The two bench-only views the budgets are measured against. They are mounted only by
dsv/bench/urls.py, which `manage.py bench` installs as ROOT_URLCONF for the duration of a run."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from journeys.models import Channel, Touchpoint, TouchpointKind
from journeys.web import browser_view


@browser_view
def floor_page(request: HttpRequest) -> HttpResponse:
    """The base layout and navigation, for a logged-in user, with no query of its own: the cost of
    Django, the middleware and the templates that every page pays."""
    return render(request, "bench/floor.html")


@csrf_exempt
@require_POST
def bare_insert(request: HttpRequest) -> HttpResponse:
    """Insert one touchpoint with the ORM and nothing else: no validation, no rights, no event. The API's
    create throughput is compared with this."""
    touchpoint = Touchpoint.objects.create(
        organization_id=int(request.POST["organization"]),
        step="co_create",
        channel=Channel.EMAIL,
        kind=TouchpointKind.QUERY,
        sentiment=1,
        summary=request.POST.get("summary", "Bench insert"),
        occurred_at=timezone.now(),
        logged_by=request.user,
    )
    return JsonResponse({"id": touchpoint.pk}, status=201)
