"""Who may open which target page, in one table: every page × every persona and an anonymous
visitor, then every form posted by each persona who may not write (nothing changes) and by the owner
(it writes). The same rows belong in tests/dsv/test_permissions.py, which covers the app.

Targets follow their agreement's account: outsiders get 404; the desk and analysts read the agreement
but change no target; integrators use the API. Switching a target on or off is a POST only.
"""

import pytest
from django.urls import reverse

from agreements.models import ServiceLevelTarget
from tests.factories.agreements import AgreementFactory, ServiceLevelTargetFactory
from tests.permissions import LOGIN, assert_answer, get_cases, post_cases

pytestmark = pytest.mark.django_db


def agree(name, *keys):
    return lambda objects: reverse(f"agreements:{name}", args=[objects[key].pk for key in keys])


PAGES = {
    "target_create": agree("target_create", "agreement"),
    "target_edit": agree("target_edit", "target"),
    "target_toggle": agree("target_toggle", "target"),
}

# fmt: off
#                    anonymous owner teammate outsider desk analyst integrator admin
GET_TABLE = {
    "target_create": (LOGIN, 200, 200, 404, 403, 403, 403, 200),
    "target_edit":   (LOGIN, 200, 200, 404, 403, 403, 403, 200),
    "target_toggle": (LOGIN, 405, 405, 405, 405, 405, 403, 405),
}
# fmt: on

TARGET_FORM = {
    "name": "Availability of the portal",
    "kind": "warranty",
    "warranty_aspect": "availability",
    "unit": "%",
    "comparator": "gte",
    "target_value": "99.0",
    "warning_threshold": "99.5",
    "period": "month",
    "aggregation": "average",
}
FORMS = {
    "target_create": lambda objects: TARGET_FORM,
    "target_edit": lambda objects: TARGET_FORM,
    "target_toggle": lambda objects: {"active": "0"},
}

REFUSED = {"anonymous": LOGIN, "outsider": 404, "desk": 403, "analyst": 403, "integrator": 403}
POST_TABLE = dict.fromkeys(FORMS, REFUSED)


@pytest.fixture
def objects(account, other_account):
    agreement = AgreementFactory(organization=account, title="Fleet SLA", status="negotiating")
    return {"agreement": agreement, "target": ServiceLevelTargetFactory(agreement=agreement)}


def everything_written():
    return list(ServiceLevelTarget.objects.order_by("pk").values_list("pk", "updated_at", "is_active"))


def test_the_table_covers_every_target_page():
    from agreements.urls import targets

    assert {pattern.name for pattern in targets.urlpatterns} == set(GET_TABLE) == set(PAGES)
    form_pages = {name for name in GET_TABLE if name.endswith(("_create", "_edit", "_toggle"))}
    assert form_pages == set(FORMS) == set(POST_TABLE)


@pytest.mark.parametrize(("page", "persona", "expected"), get_cases(GET_TABLE))
def test_who_may_open_which_page(client_as, objects, page, persona, expected):
    url = PAGES[page](objects)

    assert_answer(client_as(persona).get(url), expected, url)


@pytest.mark.parametrize(("page", "persona", "expected"), post_cases(POST_TABLE))
def test_a_persona_who_may_not_write_changes_nothing(client_as, objects, page, persona, expected):
    url = PAGES[page](objects)
    before = everything_written()

    response = client_as(persona).post(url, FORMS[page](objects))

    assert_answer(response, expected, url)
    assert everything_written() == before


@pytest.mark.parametrize("page", sorted(FORMS))
def test_the_same_input_from_the_owner_is_accepted(client_as, objects, page):
    """The refusals above come from the persona, not from the input: the owner's identical POST writes."""
    before = everything_written()

    response = client_as("owner").post(PAGES[page](objects), FORMS[page](objects))

    assert response.status_code == 302
    assert everything_written() != before
