"""Who may open which SLA dashboard page, in one table: every page × every persona and an anonymous
visitor. The pages only read, so there is nothing to post.

Compliance belongs to its account: outsiders get 404 for the account's dashboard and its export and see
none of its figures on the dashboard of all accounts; the desk and analysts read everything;
integrators use the API (403 on every page, the API answers them).
"""

import pytest
from django.urls import reverse

from tests.agreements.test_dashboard_data import build_portfolio
from tests.permissions import LOGIN, assert_answer, get_cases

pytestmark = pytest.mark.django_db


def agree(name, *keys, query=""):
    return lambda objects: reverse(f"agreements:{name}", args=[objects[key].pk for key in keys]) + query


PAGES = {
    "sla_dashboard": agree("sla_dashboard"),
    "account_sla_dashboard": agree("account_sla_dashboard", "account"),
    "sla_dashboard_export": agree("sla_dashboard_export"),
}
# The same pages narrowed to the owner's account by a filter.
FILTERED = {
    "sla_dashboard": lambda objects: PAGES["sla_dashboard"](objects) + f"?account={objects['account'].pk}",
    "sla_dashboard_export": lambda objects: (
        PAGES["sla_dashboard_export"](objects) + f"?account={objects['account'].pk}"
    ),
}

# fmt: off
#                              anonymous owner teammate outsider desk analyst integrator admin
GET_TABLE = {
    "sla_dashboard":          (LOGIN, 200, 200, 200, 200, 200, 403, 200),
    "account_sla_dashboard":  (LOGIN, 200, 200, 404, 200, 200, 403, 200),
    "sla_dashboard_export":   (LOGIN, 200, 200, 200, 200, 200, 403, 200),
}
FILTERED_TABLE = {
    "sla_dashboard":          (LOGIN, 200, 200, 404, 200, 200, 403, 200),
    "sla_dashboard_export":   (LOGIN, 200, 200, 404, 200, 200, 403, 200),
}
# fmt: on


@pytest.fixture
def objects(account, other_account):
    build_portfolio(account, other_account)
    return {"account": account}


def test_the_table_covers_every_dashboard_page():
    from agreements.urls import dashboard

    assert {pattern.name for pattern in dashboard.urlpatterns} == set(GET_TABLE) == set(PAGES)
    assert set(FILTERED) == set(FILTERED_TABLE) <= set(PAGES)


@pytest.mark.parametrize(("page", "persona", "expected"), get_cases(GET_TABLE))
def test_who_may_open_which_page(client_as, objects, page, persona, expected):
    url = PAGES[page](objects)

    assert_answer(client_as(persona).get(url), expected, url)


@pytest.mark.parametrize(("page", "persona", "expected"), get_cases(FILTERED_TABLE))
def test_who_may_narrow_a_page_to_the_owners_account(client_as, objects, page, persona, expected):
    url = FILTERED[page](objects)

    assert_answer(client_as(persona).get(url), expected, url)


@pytest.mark.parametrize("page", ["sla_dashboard", "sla_dashboard_export"])
def test_the_outsider_reads_nothing_of_the_owners_account(client_as, objects, page):
    response = client_as("outsider").get(PAGES[page](objects))

    body = (
        b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content
    ).decode()
    assert "Rentwheel" not in body and "Booking portal SLA" not in body
    assert "Northbank Savings" in body


@pytest.mark.parametrize("persona", ["owner", "outsider", "desk", "analyst", "integrator", "administrator"])
def test_every_role_may_read_the_api(token_client, request, objects, persona):
    response = token_client(request.getfixturevalue(persona)).get(reverse("api_agree_sla_dashboard"))

    assert response.status_code == 200
