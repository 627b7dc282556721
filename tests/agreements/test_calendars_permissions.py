"""Who may open which business-hours calendar page, in one table: every page × every persona and an
anonymous visitor, then every form posted by each persona who may not write (nothing changes) and by
those who may (it writes). The same rows belong in tests/dsv/test_permissions.py, which covers the app.

Calendars are the provider's reference data, like the service catalogue: they belong to no account,
so every role reads them and any relationship manager (the outsider too) or administrator changes
them; the desk and analysts only read; integrators use the API.
"""

from datetime import date

import pytest
from django.urls import reverse

from agreements.models import BusinessCalendar, BusinessHours, CalendarClosure
from tests.factories.agreements import BusinessCalendarFactory, CalendarClosureFactory
from tests.permissions import LOGIN, assert_answer, get_cases, post_cases

pytestmark = pytest.mark.django_db


def agree(name, *keys):
    return lambda objects: reverse(f"agreements:{name}", args=[objects[key].pk for key in keys])


PAGES = {
    "calendar_list": agree("calendar_list"),
    "calendar_create": agree("calendar_create"),
    "calendar_detail": agree("calendar_detail", "calendar"),
    "calendar_edit": agree("calendar_edit", "calendar"),
    "calendar_delete": agree("calendar_delete", "calendar"),
    "calendar_closure_create": agree("calendar_closure_create", "calendar"),
    "calendar_closure_delete": agree("calendar_closure_delete", "closure"),
}

# What a GET answers (the delete pages ask for confirmation).
# fmt: off
#                              anonymous owner teammate outsider desk analyst integrator admin
GET_TABLE = {
    "calendar_list":           (LOGIN, 200, 200, 200, 200, 200, 403, 200),
    "calendar_create":         (LOGIN, 200, 200, 200, 403, 403, 403, 200),
    "calendar_detail":         (LOGIN, 200, 200, 200, 200, 200, 403, 200),
    "calendar_edit":           (LOGIN, 200, 200, 200, 403, 403, 403, 200),
    "calendar_delete":         (LOGIN, 200, 200, 200, 403, 403, 403, 200),
    "calendar_closure_create": (LOGIN, 200, 200, 200, 403, 403, 403, 200),
    "calendar_closure_delete": (LOGIN, 200, 200, 200, 403, 403, 403, 200),
}
# fmt: on


def _week(**extra):
    data = {"time_zone": "Europe/Berlin", "country": "DE", "holidays_stop_clock": "on", "is_active": "on"}
    for weekday in range(5):
        data[f"hours_{weekday}_1_start"], data[f"hours_{weekday}_1_end"] = "09:00", "17:00"
    return data | extra


# Form input each form would accept from someone allowed to use it.
FORMS = {
    "calendar_create": lambda objects: _week(
        name="Office hours Vienna", time_zone="Europe/Vienna", country="AT"
    ),
    "calendar_edit": lambda objects: _week(name="Office hours Berlin (renamed)"),
    "calendar_closure_create": lambda objects: {"date": "2026-12-31", "name": "New Year's Eve"},
}

# What a POST answers from each persona who may not write there.
REFUSED = {"anonymous": LOGIN, "desk": 403, "analyst": 403, "integrator": 403}
POST_TABLE = dict.fromkeys(FORMS, REFUSED)
DELETES = ("calendar_delete", "calendar_closure_delete")


@pytest.fixture
def objects(account, other_account):
    calendar = BusinessCalendarFactory(name="Office hours Berlin", office_hours=True)
    closure = CalendarClosureFactory(calendar=calendar, date=date(2026, 12, 24), name="Company day off")
    return {"calendar": calendar, "closure": closure}


def everything_written():
    return {
        "calendars": list(BusinessCalendar.objects.order_by("pk").values_list("pk", "name", "updated_at")),
        "hours": list(
            BusinessHours.objects.order_by("pk").values_list("pk", "weekday", "starts_at", "ends_at")
        ),
        "closures": list(CalendarClosure.objects.order_by("pk").values_list("pk", "date", "name")),
    }


def test_the_table_covers_every_calendar_page():
    from agreements.urls import calendars

    assert {pattern.name for pattern in calendars.urlpatterns} == set(GET_TABLE) == set(PAGES)
    form_pages = {name for name in GET_TABLE if name.endswith(("_create", "_edit"))}
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


@pytest.mark.parametrize("persona", ["owner", "outsider", "administrator"])
@pytest.mark.parametrize("page", sorted(FORMS))
def test_the_same_input_from_a_writer_is_accepted(client_as, objects, page, persona):
    """The refusals above come from the persona, not from the input: a relationship manager's (of any
    team: calendars belong to no account) or an administrator's identical POST writes."""
    before = everything_written()

    response = client_as(persona).post(PAGES[page](objects), FORMS[page](objects))

    assert response.status_code == 302
    assert everything_written() != before


@pytest.mark.parametrize("page", DELETES)
@pytest.mark.parametrize(("persona", "expected"), [(persona, code) for persona, code in REFUSED.items()])
def test_deleting_is_refused_to_those_who_may_not_write(client_as, objects, page, persona, expected):
    url = PAGES[page](objects)
    before = everything_written()

    response = client_as(persona).post(url)

    assert_answer(response, expected, url)
    assert everything_written() == before


@pytest.mark.parametrize("page", DELETES)
def test_deleting_is_open_to_any_relationship_manager(client_as, objects, page):
    before = everything_written()

    response = client_as("outsider").post(PAGES[page](objects))

    assert response.status_code == 302
    assert everything_written() != before
