"""Pages of the compliance engine: asking for an agreement's compliance to be recomputed (the button on
the agreement's page). The results are shown on the agreement's page, the target's page and the SLA
dashboard."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from agreements import selectors, services
from journeys.base import ApplicationError
from journeys.web import browser_view


@browser_view
@require_POST
def compliance_recompute(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = selectors.measurable_agreement_get(user=request.user, pk=pk)
    try:
        services.compliance_recompute_request(actor=request.user, agreement=agreement)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Compliance is being recomputed; reload the page in a moment to see it.")
    return redirect("agreements:agreement_detail", pk=agreement.pk)
