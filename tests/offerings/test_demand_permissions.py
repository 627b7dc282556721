"""Who may open which demand profile page, in one table: every page × every persona and an anonymous
visitor; then every write posted by each persona who may not write (nothing changes) and by the owner
(it writes). The rows belong in tests/dsv/test_permissions.py too, which covers the app.

Demand profiles belong to the provider-wide catalogue: every role reads them, outsiders included, and
every relationship manager shapes them; the desk and analysts only read; integrators use the API.
"""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from offerings.models import DemandProfile, DemandProfileCell, DemandProfileSource
from tests.factories.offerings import DemandProfileFactory, OfferingJourneyFactory, ServiceOfferingFactory
from tests.permissions import LOGIN, assert_answer, get_cases, post_cases

pytestmark = pytest.mark.django_db


def offer(name, *extra):
    return lambda objects: reverse(f"offerings:{name}", args=[objects["offering"].pk, *extra])


PAGES = {
    "demand_profile": offer("demand_profile"),
    "demand_profile_enter": offer("demand_profile_enter"),
    "demand_profile_recompute": offer("demand_profile_recompute"),
    "demand_profile_describe": offer("demand_profile_describe", "computed"),
    "demand_profile_remove": offer("demand_profile_remove", "computed"),
}

# fmt: off
#                                   anonymous owner teammate outsider desk analyst integrator admin
GET_TABLE = {
    "demand_profile":               (LOGIN, 200, 200, 200, 200, 200, 403, 200),
    "demand_profile_enter":         (LOGIN, 200, 200, 200, 403, 403, 403, 200),
    "demand_profile_recompute":     (LOGIN, 405, 405, 405, 405, 405, 403, 405),
    "demand_profile_describe":      (LOGIN, 405, 405, 405, 405, 405, 403, 405),
    "demand_profile_remove":        (LOGIN, 405, 405, 405, 405, 405, 403, 405),
}
# fmt: on

FORMS = {
    "demand_profile_enter": lambda objects: {"hour_9": "4", "day_4": "10", "month_11": "30"},
    "demand_profile_recompute": lambda objects: {"covers_to": ""},
    "demand_profile_describe": lambda objects: {"activity": "Month-end closing", "trend": "growth"},
    "demand_profile_remove": lambda objects: {},
}
REFUSED = {"anonymous": LOGIN, "desk": 403, "analyst": 403, "integrator": 403}
POST_TABLE = dict.fromkeys(FORMS, REFUSED)


@pytest.fixture(autouse=True)
def a_fixed_today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: date(2026, 4, 15))


@pytest.fixture
def objects(journey):
    offering = ServiceOfferingFactory(name="Managed laptops")
    OfferingJourneyFactory(offering=offering, journey=journey)
    DemandProfileFactory(offering=offering, source=DemandProfileSource.COMPUTED, computed_at=timezone.now())
    return {"offering": offering}


def everything_written():
    return {
        model.__name__: list(model.objects.order_by("pk").values_list("pk", "updated_at"))
        for model in (DemandProfile, DemandProfileCell)
    }


def test_the_table_covers_every_demand_page():
    from offerings.urls import demand

    assert {pattern.name for pattern in demand.urlpatterns} == set(GET_TABLE) == set(PAGES)
    assert set(FORMS) == set(GET_TABLE) - {"demand_profile"}


@pytest.mark.parametrize(("page", "persona", "expected"), get_cases(GET_TABLE))
def test_who_may_open_which_page(client_as, objects, page, persona, expected):
    url = PAGES[page](objects)

    assert_answer(client_as(persona).get(url), expected, url)


@pytest.mark.parametrize(("page", "persona", "expected"), post_cases(POST_TABLE))
def test_a_persona_who_may_not_write_changes_nothing(
    client_as, objects, page, persona, expected, django_capture_on_commit_callbacks
):
    url = PAGES[page](objects)
    before = everything_written()

    with django_capture_on_commit_callbacks(execute=True):
        response = client_as(persona).post(url, FORMS[page](objects))

    assert_answer(response, expected, url)
    assert everything_written() == before


@pytest.mark.parametrize("page", sorted(FORMS))
def test_the_same_input_from_the_owner_is_accepted(
    client_as, objects, page, django_capture_on_commit_callbacks
):
    """The refusals above come from the persona, not from the input: the owner's identical POST writes."""
    before = everything_written()

    with django_capture_on_commit_callbacks(execute=True):
        response = client_as("owner").post(PAGES[page](objects), FORMS[page](objects))

    assert response.status_code == 302
    assert everything_written() != before
