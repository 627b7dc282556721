"""Who may open which value page, in one table: every page × every persona and an anonymous visitor,
then the health policy posted by each persona who may not change it (nothing changes) and by an
administrator (it changes).

The value dashboard and the health policy are everyone's to read (the dashboard counts only the
accounts the user sees); an account's value page follows the account (outsiders get 404); only
administrators change the policy; integrators use the API.
"""

import pytest
from django.urls import reverse

from realization.models import HealthPolicy
from tests.factories.exploration import MarketSegmentFactory
from tests.permissions import LOGIN, assert_answer, get_cases, post_cases

pytestmark = pytest.mark.django_db


def page(name, key=None, query=""):
    def url(objects):
        path = reverse(f"realization:{name}", args=[objects[key].pk] if key else [])
        return f"{path}?{query}" if query else path

    return url


PAGES = {
    "value_dashboard": page("value_dashboard"),
    "value_dashboard_of_segment": lambda objects: (
        reverse("realization:value_dashboard") + f"?segment={objects['segment'].pk}"
    ),
    "value_accounts": page("value_accounts", query="band=at_risk"),
    "account_value": page("account_value", "account"),
    "account_value_of_another_team": page("account_value", "other_account"),
    "health_policy": page("health_policy"),
}

# fmt: off
#                                     anonymous owner teammate outsider desk analyst integrator admin
GET_TABLE = {
    "value_dashboard":                   (LOGIN, 200, 200, 200, 200, 200, 403, 200),
    "value_dashboard_of_segment":        (LOGIN, 200, 200, 200, 200, 200, 403, 200),
    "value_accounts":                    (LOGIN, 200, 200, 200, 200, 200, 403, 200),
    "account_value":                     (LOGIN, 200, 200, 404, 200, 200, 403, 200),
    "account_value_of_another_team":     (LOGIN, 404, 404, 200, 200, 200, 403, 200),
    "health_policy":                     (LOGIN, 200, 200, 200, 200, 200, 403, 200),
}
# fmt: on

FORMS = {
    "health_policy": lambda objects: {
        "weight_nps": 40,
        "weight_csat": 20,
        "weight_ces": 10,
        "weight_sla": 20,
        "weight_sentiment": 10,
        "window_months": 6,
        "healthy_from": "75",
        "at_risk_below": "45",
        "watermelon_sla_from": "90",
        "watermelon_csat_below": "70",
        "watermelon_ces_below": "4.5",
        "watermelon_sentiment_below": "-0.5",
    },
}
REFUSED = {
    "anonymous": LOGIN,
    "owner": 403,
    "teammate": 403,
    "outsider": 403,
    "desk": 403,
    "analyst": 403,
    "integrator": 403,
}
POST_TABLE = dict.fromkeys(FORMS, REFUSED)


@pytest.fixture
def objects(account, other_account):
    segment = MarketSegmentFactory(name="Benelux mobility", organizations=[account, other_account])
    return {"account": account, "other_account": other_account, "segment": segment}


def everything_written():
    return list(HealthPolicy.objects.order_by("pk").values_list("pk", "updated_at", "weight_nps"))


def test_the_table_covers_every_page():
    from realization.urls import value

    assert {pattern.name for pattern in value.urlpatterns} == {
        name for name in GET_TABLE if not name.endswith(("_of_segment", "_of_another_team"))
    }
    assert set(GET_TABLE) == set(PAGES)


@pytest.mark.parametrize(("page", "persona", "expected"), get_cases(GET_TABLE))
def test_who_may_open_which_page(client_as, objects, page, persona, expected):
    url = PAGES[page](objects)

    assert_answer(client_as(persona).get(url), expected, url)


@pytest.mark.parametrize(("page", "persona", "expected"), post_cases(POST_TABLE))
def test_a_persona_who_may_not_write_changes_nothing(client_as, objects, page, persona, expected):
    HealthPolicy.current()
    url = PAGES[page](objects)
    before = everything_written()

    response = client_as(persona).post(url, FORMS[page](objects))

    assert_answer(response, expected, url)
    assert everything_written() == before


@pytest.mark.parametrize("page", sorted(FORMS))
def test_the_same_input_from_an_administrator_is_accepted(client_as, objects, page):
    HealthPolicy.current()
    before = everything_written()

    response = client_as("administrator").post(PAGES[page](objects), FORMS[page](objects))

    assert response.status_code == 302
    assert everything_written() != before
