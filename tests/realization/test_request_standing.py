"""The live map's read model of requests: per request that is open or has a breached clock, its step,
whether it is open and its latest breach. The periodic refresh must give what the rebuild gives, and
both what the requests and their clocks say."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cocreation.models import OPEN_REQUEST_STATUSES, RequestClock, ServiceRequest
from realization import services, tasks
from realization.models import RequestStanding
from tests.factories.journeys import OrganizationFactory

pytestmark = pytest.mark.django_db


def from_the_requests() -> set:
    expected = set()
    for request in ServiceRequest.objects.all():
        breaches = [
            clock.breached_at for clock in RequestClock.objects.filter(request=request, state="breached")
        ]
        is_open = request.status in OPEN_REQUEST_STATUSES
        if is_open or breaches:
            expected.add(
                (request.pk, request.organization_id, request.step, is_open, max(breaches, default=None))
            )
    return expected


def stored() -> set:
    return {
        (row.request_id, row.organization_id, row.step, row.is_open, row.breached_at)
        for row in RequestStanding.objects.all()
    }


def request_with(organization, step, status="new", breached_days_ago=()):
    """A request with a response and a resolution clock; the clocks named by `breached_days_ago`
    (response first) breached that many days ago."""
    now = timezone.now()
    request = ServiceRequest.objects.create(
        organization=organization,
        step=step,
        status=status,
        title="Printer",
        opened_at=now - timedelta(days=40),
    )
    for index, kind in enumerate(("response", "resolution")):
        breached_at = (
            now - timedelta(days=breached_days_ago[index]) if index < len(breached_days_ago) else None
        )
        RequestClock.objects.create(
            request=request,
            kind=kind,
            limit_seconds=3600,
            warning_seconds=3000,
            started_at=request.opened_at,
            breached_at=breached_at,
            state="breached" if breached_at else "running",
        )
    return request


@pytest.fixture
def requests():
    first, second = OrganizationFactory(), OrganizationFactory()
    return [
        request_with(first, "co_create"),
        request_with(first, "realize", status="closed"),  # neither open nor breached: no row
        request_with(first, "co_create", status="resolved", breached_days_ago=(30, 3)),
        request_with(second, "onboard", status="in_progress", breached_days_ago=(12,)),
    ]


def test_the_rebuild_keeps_a_row_per_open_or_breached_request(requests):
    rows = services.request_standing_rebuild()

    assert stored() == from_the_requests()
    assert rows == 3
    # Both clocks breached: the latest breach counts.
    assert (
        RequestStanding.objects.get(request=requests[2]).breached_at
        == requests[2].clocks.get(kind="resolution").breached_at
    )


def test_a_refresh_after_requests_and_clocks_change_gives_what_a_rebuild_gives(requests):
    services.step_activity_rebuild()
    assert stored() == from_the_requests()

    closed = requests[0]
    closed.status = "closed"
    closed.save()
    clock = requests[1].clocks.get(kind="resolution")
    clock.state, clock.breached_at = "breached", timezone.now()
    clock.save()
    requests[3].step = "co_create"
    requests[3].save()
    request_with(OrganizationFactory(), "agree")
    tasks.step_activity_refresh.delay()

    assert stored() == from_the_requests()
    refreshed = stored()
    services.request_standing_rebuild()
    assert stored() == refreshed


def test_refreshing_with_nothing_new_changes_nothing_and_a_deleted_request_takes_its_row(requests):
    services.request_standing_rebuild()
    before = stored()

    services.request_standing_refresh()
    assert stored() == before

    requests[0].delete()
    assert stored() == from_the_requests() != before
