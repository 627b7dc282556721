"""The Co-create panel of the account page: open requests with their clocks, what waits for a person
(feedback to acknowledge, moments of truth to review), the communities; the same queries whatever the
account holds; nothing for an outsider."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cocreation.models import ClockState, RequestStatus
from tests.factories.cocreation import (
    FeedbackFactory,
    RequestClockFactory,
    ServiceRequestFactory,
    UserCommunityFactory,
)
from tests.factories.cocreation_feedback import MomentOfTruthFactory
from tests.factories.journeys import OrganizationFactory
from tests.helpers import HX

pytestmark = pytest.mark.django_db


def panel_url(organization):
    return reverse("account_panel", args=[organization.pk, "cocreate"])


def fill(organization, size):
    for number in range(size):
        request = ServiceRequestFactory(organization=organization, title=f"Printer fault {number}")
        RequestClockFactory(
            request=request,
            state=ClockState.BREACHED,
            due_at=timezone.now() - timedelta(hours=1),
            breached_at=timezone.now() - timedelta(hours=1),
        )
        ServiceRequestFactory(organization=organization, status=RequestStatus.CLOSED)
        FeedbackFactory(organization=organization)
        MomentOfTruthFactory(organization=organization)
        UserCommunityFactory(organization=organization, name=f"Depot key users {number}")


def test_the_panel_shows_open_requests_with_their_clocks_and_what_waits(as_user, owner, account):
    fill(account, 1)
    html = as_user(owner).get(panel_url(account), **HX).content.decode()

    assert "Co-create" in html
    assert "1</strong> open request" in html
    assert "1 with a breached clock" in html
    assert "Printer fault 0" in html and "Breached" in html
    assert "feedback waiting for acknowledgement" in html
    assert "moment of truth to review" in html
    assert "Depot key users 0" in html
    assert f"{reverse('cocreation:request_new')}?organization={account.pk}" in html


def test_the_account_page_links_the_cocreate_panel(as_user, owner, account):
    html = as_user(owner).get(reverse("account_detail", args=[account.pk])).content.decode()
    assert f'hx-get="{panel_url(account)}"' in html


def test_an_outsider_gets_no_cocreate_panel(as_user, outsider, account):
    assert as_user(outsider).get(panel_url(account), **HX).status_code == 404


def test_the_panel_costs_the_same_queries_for_a_small_and_a_busy_account(as_user, owner, team):
    client = as_user(owner)
    counts = []
    for size in (1, 4):
        organization = OrganizationFactory(owner=owner, team=team)
        fill(organization, size)
        client.get(panel_url(organization), **HX)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(panel_url(organization), **HX).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 12
