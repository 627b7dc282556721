"""Who may open the page behind a consumer's e-mailed action link, in one table like the app's other
pages: anyone holding the link (it is the consumer's way in, without an account), signed in or not,
whatever their role. The link itself is the permission; tests/onboarding/test_links.py checks what it
refuses (used, expired, tampered with, handed over). The same rows belong in
tests/dsv/test_permissions.py, which covers the app."""

import pytest
from django.urls import reverse

from onboarding.services import link_issue
from tests.factories.onboarding import ConsumerActionFactory, OnboardingPlanFactory
from tests.permissions import PERSONAS, get_cases

pytestmark = pytest.mark.django_db

# fmt: off
#                anonymous owner teammate outsider desk analyst integrator admin
GET_TABLE = {
    "action_link": (200, 200, 200, 200, 200, 200, 200, 200),
}
# fmt: on


def test_the_table_covers_every_link_page():
    from onboarding.urls import links

    assert {pattern.name for pattern in links.urlpatterns} == set(GET_TABLE)
    assert all(len(row) == len(PERSONAS) for row in GET_TABLE.values())


@pytest.mark.parametrize(("page", "persona", "expected"), get_cases(GET_TABLE))
def test_who_may_open_the_link_page(client_as, account, page, persona, expected):
    action = ConsumerActionFactory(plan=OnboardingPlanFactory(organization=account), title="Sign the terms")
    _link, token = link_issue(action=action)

    response = client_as(persona).get(reverse(f"onboarding:{page}", args=[token]))

    assert response.status_code == expected
    assert "Sign the terms" in response.content.decode()
