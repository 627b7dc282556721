"""The business-hours calendars API: statuses, shapes, filters, nested hours and closures, business
time for integrations, permissions and the error envelope."""

from datetime import date, time

import pytest
from django.urls import reverse

from agreements.models import BusinessCalendar, BusinessHours, CalendarClosure
from journeys.roles import roles_of
from tests.factories.agreements import (
    BusinessCalendarFactory,
    BusinessHoursFactory,
    CalendarClosureFactory,
    ServiceLevelTargetFactory,
)

pytestmark = pytest.mark.django_db

CALENDAR_FIELDS = {
    "id",
    "name",
    "description",
    "time_zone",
    "country",
    "subdivision",
    "round_the_clock",
    "holidays_stop_clock",
    "is_active",
    "hours",
    "hours_summary",
    "weekly_hours",
    "closures",
    "target_count",
    "created_at",
    "updated_at",
}


def api(name, *args):
    return reverse(name, args=args)


def error_fields(response) -> dict:
    assert set(response.json()) == {"error"}
    assert set(response.json()["error"]) == {"code", "message", "fields"}
    return response.json()["error"]["fields"]


@pytest.fixture
def berlin():
    calendar = BusinessCalendarFactory(
        name="Office hours Berlin",
        time_zone="Europe/Berlin",
        country="DE",
        subdivision="BE",
        office_hours=True,
    )
    CalendarClosureFactory(calendar=calendar, date=date(2026, 12, 24), name="Company day off")
    return calendar


CREATE_BODY = {
    "name": "Office hours Berlin",
    "time_zone": "Europe/Berlin",
    "country": "DE",
    "subdivision": "BE",
    "hours": [
        {"weekday": 0, "starts_at": "08:00", "ends_at": "12:00"},
        {"weekday": 0, "starts_at": "13:00", "ends_at": "18:00"},
        {"weekday": 1, "starts_at": "08:00", "ends_at": "18:00"},
    ],
    "closures": [{"date": "2026-12-24", "name": "Company day off"}],
}


# --- reading --------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["owner", "outsider", "desk", "analyst", "integrator", "administrator"])
def test_every_role_lists_the_calendars(request, token_client, berlin, persona):
    response = token_client(request.getfixturevalue(persona)).get(api("api_agree_calendars"))

    assert response.status_code == 200
    assert [row["name"] for row in response.json()["results"]] == ["Office hours Berlin"]


def test_a_calendar_reads_with_its_hours_closures_and_targets(token_client, integrator, berlin):
    ServiceLevelTargetFactory.create_batch(2, calendar=berlin)

    body = token_client(integrator).get(api("api_agree_calendar", berlin.pk)).json()

    assert set(body) == CALENDAR_FIELDS
    assert body["hours"][0] == {"weekday": 0, "starts_at": "09:00:00", "ends_at": "17:00:00"}
    assert len(body["hours"]) == 5
    assert body["closures"] == [
        {"id": berlin.closures.get().pk, "date": "2026-12-24", "name": "Company day off"}
    ]
    assert body["hours_summary"] == "Mon–Fri 09:00–17:00"
    assert body["weekly_hours"] == 40.0
    assert body["target_count"] == 2


def test_the_list_filters_by_activity_country_and_last_change(token_client, integrator, berlin):
    BusinessCalendarFactory(name="New York", time_zone="America/New_York", country="US", is_active=False)
    client = token_client(integrator)

    def names(**params):
        return [row["name"] for row in client.get(api("api_agree_calendars"), params).json()["results"]]

    assert names(is_active="false") == ["New York"]
    assert names(country="de") == ["Office hours Berlin"]
    assert names(updated_since="2999-01-01T00:00:00Z") == []


def test_the_list_costs_the_same_queries_at_any_size(token_client, integrator, django_assert_num_queries):
    client = token_client(integrator)
    for number in range(5):
        calendar = BusinessCalendarFactory(name=f"Calendar {number}", office_hours=True)
        CalendarClosureFactory(calendar=calendar)
    client.get(api("api_agree_calendars"))
    roles_of(integrator)

    # Token and user, the calendars with their target counts, their hours, their closures.
    with django_assert_num_queries(4):
        response = client.get(api("api_agree_calendars"))

    assert len(response.json()["results"]) == 5


def test_a_calendar_that_does_not_exist_is_404_in_the_envelope(token_client, owner):
    response = token_client(owner).get(api("api_agree_calendar", 999))

    assert response.status_code == 404
    error_fields(response)


def test_anonymous_callers_are_refused(api_client, berlin):
    assert api_client.get(api("api_agree_calendars")).status_code in (401, 403)


# --- writing --------------------------------------------------------------------------------------


def test_an_integrator_creates_a_calendar_with_hours_and_closures(token_client, integrator):
    response = token_client(integrator).post(api("api_agree_calendars"), CREATE_BODY, format="json")

    assert response.status_code == 201
    body = response.json()
    assert set(body) == CALENDAR_FIELDS
    assert body["hours_summary"] == "Mon 08:00–12:00, 13:00–18:00 · Tue 08:00–18:00"
    assert [closure["date"] for closure in body["closures"]] == ["2026-12-24"]
    calendar = BusinessCalendar.objects.get()
    assert calendar.hours.count() == 3


def test_creating_twice_with_the_same_idempotency_key_creates_once(token_client, integrator):
    client = token_client(integrator)

    first = client.post(api("api_agree_calendars"), CREATE_BODY, format="json", HTTP_IDEMPOTENCY_KEY="cal-1")
    again = client.post(api("api_agree_calendars"), CREATE_BODY, format="json", HTTP_IDEMPOTENCY_KEY="cal-1")

    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert BusinessCalendar.objects.count() == 1


def test_overlapping_hours_are_refused_naming_the_stretch(token_client, owner):
    body = CREATE_BODY | {
        "hours": [
            {"weekday": 0, "starts_at": "09:00", "ends_at": "17:00"},
            {"weekday": 1, "starts_at": "09:00", "ends_at": "13:00"},
            {"weekday": 1, "starts_at": "12:00", "ends_at": "14:00"},
        ]
    }

    response = token_client(owner).post(api("api_agree_calendars"), body, format="json")

    assert response.status_code == 400
    assert error_fields(response) == {
        "hours[2]": ["Tuesday 12:00–14:00 overlaps 09:00–13:00: make one end before the other starts."]
    }
    assert not BusinessCalendar.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"time_zone": "Nowhere/Special"}, "time_zone"),
        ({"country": "ZZ"}, "country"),
        ({"subdivision": "XX"}, "subdivision"),
        ({"hours": []}, "hours"),
        ({"hours": [{"weekday": 7, "starts_at": "09:00", "ends_at": "17:00"}]}, "hours.0.weekday"),
        ({"hours": [{"weekday": 0, "starts_at": "17:00", "ends_at": "09:00"}]}, "hours[0]"),
        ({"colour": "blue"}, "colour"),
    ],
)
def test_bad_input_answers_400_naming_the_field_and_saves_nothing(token_client, owner, change, field):
    response = token_client(owner).post(api("api_agree_calendars"), CREATE_BODY | change, format="json")

    assert response.status_code == 400
    assert field in error_fields(response)
    assert not BusinessCalendar.objects.exists()
    assert not BusinessHours.objects.exists()


def test_a_taken_name_is_a_conflict(token_client, owner, berlin):
    response = token_client(owner).post(api("api_agree_calendars"), CREATE_BODY, format="json")

    assert response.status_code == 409
    assert "name" in error_fields(response)


def test_patch_replaces_the_week_when_given_and_keeps_it_otherwise(token_client, owner, berlin):
    client = token_client(owner)

    renamed = client.patch(
        api("api_agree_calendar", berlin.pk), {"description": "Second line"}, format="json"
    )
    assert renamed.status_code == 200
    assert len(renamed.json()["hours"]) == 5

    rewritten = client.patch(
        api("api_agree_calendar", berlin.pk),
        {"hours": [{"weekday": 5, "starts_at": "10:00", "ends_at": "00:00"}]},
        format="json",
    )
    assert rewritten.status_code == 200
    assert rewritten.json()["hours"] == [{"weekday": 5, "starts_at": "10:00:00", "ends_at": "23:59:59"}]
    assert rewritten.json()["hours_summary"] == "Sat 10:00–24:00"
    assert list(berlin.closures.values_list("name", flat=True)) == ["Company day off"]


def test_patch_replaces_the_closures_when_given(token_client, owner, berlin):
    response = token_client(owner).patch(
        api("api_agree_calendar", berlin.pk),
        {"closures": [{"date": "2026-12-31", "name": "New Year's Eve"}]},
        format="json",
    )

    assert response.status_code == 200
    assert list(CalendarClosure.objects.values_list("date", flat=True)) == [date(2026, 12, 31)]


def test_a_refused_patch_changes_nothing(token_client, owner, berlin):
    response = token_client(owner).patch(
        api("api_agree_calendar", berlin.pk),
        {
            "name": "Renamed",
            "hours": [
                {"weekday": 0, "starts_at": "09:00", "ends_at": "13:00"},
                {"weekday": 0, "starts_at": "10:00", "ends_at": "11:00"},
            ],
        },
        format="json",
    )

    assert response.status_code == 400
    assert "hours[1]" in error_fields(response)
    berlin.refresh_from_db()
    assert berlin.name == "Office hours Berlin"
    assert berlin.hours.count() == 5


def test_delete_removes_an_unused_calendar(token_client, integrator, berlin):
    response = token_client(integrator).delete(api("api_agree_calendar", berlin.pk))

    assert response.status_code == 204
    assert not BusinessCalendar.objects.exists()


def test_delete_of_a_calendar_in_use_is_a_conflict_naming_the_count(token_client, integrator, berlin):
    ServiceLevelTargetFactory.create_batch(3, calendar=berlin)

    response = token_client(integrator).delete(api("api_agree_calendar", berlin.pk))

    assert response.status_code == 409
    error_fields(response)
    assert response.json()["error"]["code"] == "calendar_in_use"
    assert "used by 3 service level targets" in response.json()["error"]["message"]
    assert BusinessCalendar.objects.exists()


@pytest.mark.parametrize("persona", ["desk", "analyst"])
def test_read_only_roles_may_not_write(request, token_client, berlin, persona):
    client = token_client(request.getfixturevalue(persona))

    created = client.post(api("api_agree_calendars"), CREATE_BODY | {"name": "Another"}, format="json")
    changed = client.patch(api("api_agree_calendar", berlin.pk), {"name": "Changed"}, format="json")
    deleted = client.delete(api("api_agree_calendar", berlin.pk))

    assert created.status_code == changed.status_code == deleted.status_code == 403
    error_fields(created)
    assert BusinessCalendar.objects.get().name == "Office hours Berlin"


# --- business time --------------------------------------------------------------------------------


def test_business_time_between_two_moments(token_client, integrator, berlin):
    # Thu 2 Apr 2026 16:00 CEST (14:00Z) → Tue 7 Apr 10:00 CEST (08:00Z): 1 h Thursday, Good Friday to
    # Easter Monday off, 1 h Tuesday. 4 business hours from the start end Tue 7 Apr 12:00 CEST (10:00Z).
    response = token_client(integrator).get(
        api("api_agree_calendar_business_time", berlin.pk),
        {"start": "2026-04-02T14:00:00Z", "end": "2026-04-07T08:00:00Z", "deadline_hours": "4"},
    )

    assert response.status_code == 200
    body = response.json()
    assert body["seconds"] == 7200
    assert body["hours"] == "2.00"
    assert body["label"] == "2 h"
    assert body["end_in_business_time"] is True
    assert body["deadline_hours"] == "4.00"
    assert body["deadline"] == "2026-04-07T10:00:00Z"


def test_business_time_takes_pauses(token_client, owner, berlin):
    # Mon 12 Jan 2026, 09:00–17:00 Berlin (08:00Z–16:00Z); paused 10:00–11:00 and 10:30–12:00 Berlin
    # (overlapping: 10:00–12:00 lost), and from 16:00 Berlin on, still paused: 09–10 and 12–16, 5 h.
    response = token_client(owner).get(
        api("api_agree_calendar_business_time", berlin.pk)
        + "?start=2026-01-12T08:00:00Z&end=2026-01-12T16:00:00Z"
        + "&pause=2026-01-12T09:00:00Z/2026-01-12T10:00:00Z"
        + "&pause=2026-01-12T10:30:00%2B01:00/2026-01-12T12:00:00%2B01:00"
        + "&pause=2026-01-12T15:00:00Z/"
    )

    assert response.status_code == 200
    assert response.json()["seconds"] == 5 * 3600
    assert response.json()["label"] == "5 h"


def test_an_open_pause_before_the_deadline_leaves_it_empty(token_client, owner, berlin):
    response = token_client(owner).get(
        api("api_agree_calendar_business_time", berlin.pk),
        {
            "start": "2026-01-12T08:00:00Z",
            "end": "2026-01-12T16:00:00Z",
            "pause": "2026-01-12T09:00:00Z/",
            "deadline_hours": "4",
        },
    )

    assert response.json()["seconds"] == 3600
    assert response.json()["deadline"] is None


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({}, "start"),
        ({"start": "yesterday"}, "start"),
        ({"start": "2026-01-12T08:00:00"}, "start"),
        ({"start": "2026-01-12T08:00:00Z", "end": "2026-01-11T08:00:00Z"}, "end"),
        (
            {"start": "2026-01-12T08:00:00Z", "end": "2026-01-12T09:00:00Z", "pause": "2026-01-12T08:00:00Z"},
            "pause",
        ),
        (
            {
                "start": "2026-01-12T08:00:00Z",
                "end": "2026-01-12T09:00:00Z",
                "pause": "2026-01-12T08:30:00Z/2026-01-12T08:00:00Z",
            },
            "pause",
        ),
        ({"start": "1026-01-12T08:00:00Z", "end": "2026-01-12T08:00:00Z"}, "end"),
        ({"start": "2026-01-12T08:00:00Z", "deadline_hours": "soon"}, "deadline_hours"),
        ({"start": "2026-01-12T08:00:00Z", "deadline_hours": "-1"}, "deadline_hours"),
    ],
)
def test_business_time_refuses_bad_moments_naming_the_parameter(token_client, owner, berlin, params, field):
    response = token_client(owner).get(api("api_agree_calendar_business_time", berlin.pk), params)

    assert response.status_code == 400
    assert field in error_fields(response)


def test_a_calendar_without_hours_has_no_deadline_to_give(token_client, owner):
    calendar = BusinessCalendarFactory(name="Empty")

    response = token_client(owner).get(
        api("api_agree_calendar_business_time", calendar.pk),
        {"start": "2026-01-12T08:00:00Z", "end": "2026-01-12T09:00:00Z", "deadline_hours": "1"},
    )

    assert response.status_code == 409
    assert "no business hours" in error_fields(response)["deadline_hours"][0]


def test_business_time_reads_up_to_now_by_default(token_client, owner):
    calendar = BusinessCalendarFactory(name="Always", round_the_clock=True, country="")
    BusinessHoursFactory(calendar=calendar, weekday=0, starts_at=time(9), ends_at=time(10))

    response = token_client(owner).get(
        api("api_agree_calendar_business_time", calendar.pk), {"start": "2026-01-01T00:00:00Z"}
    )

    assert response.status_code == 200
    assert response.json()["seconds"] > 0
