"""The business-hours calendar pages as a user sees them: the list, the form with the week's hours and
its errors next to the row, a calendar's page with its holidays, targets and calculator (full page
and HTMX fragment), closures, and deleting."""

import re
from datetime import date, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agreements.business_time import END_OF_DAY
from agreements.models import BusinessCalendar, BusinessHours, CalendarClosure
from tests.factories.agreements import (
    AgreementFactory,
    BusinessCalendarFactory,
    BusinessHoursFactory,
    CalendarClosureFactory,
    ServiceLevelTargetFactory,
)
from tests.helpers import HX, text_of

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"agreements:{name}", args=args)


def page_text(response) -> str:
    return text_of(response.content.decode())


def field_error(response, field_id: str) -> str:
    found = re.search(
        rf'<ul class="errorlist" id="{field_id}_error">(.*?)</ul>', response.content.decode(), re.S
    )
    return text_of(found.group(1)) if found else ""


def row_errors(response, weekday: int) -> str:
    found = re.search(
        rf'<ul class="errorlist" id="week-{weekday}-errors">(.*?)</ul>', response.content.decode(), re.S
    )
    return text_of(found.group(1)) if found else ""


@pytest.fixture
def berlin():
    return BusinessCalendarFactory(
        name="Office hours Berlin",
        time_zone="Europe/Berlin",
        country="DE",
        subdivision="BE",
        office_hours=True,
    )


def form_data(**overrides):
    data = {
        "name": "Office hours Berlin",
        "time_zone": "Europe/Berlin",
        "country": "DE",
        "subdivision": "BE",
        "holidays_stop_clock": "on",
        "is_active": "on",
    }
    for weekday in range(5):
        data[f"hours_{weekday}_1_start"] = "08:00"
        data[f"hours_{weekday}_1_end"] = "18:00"
    return data | overrides


# --- the list -------------------------------------------------------------------------------------


def test_the_list_shows_each_calendar_with_its_hours_zone_holidays_and_targets(as_user, owner, berlin):
    BusinessCalendarFactory(name="Round the clock", round_the_clock=True, country="", time_zone="UTC")
    ServiceLevelTargetFactory.create_batch(2, calendar=berlin)

    response = as_user(owner).get(url("calendar_list"))

    assert response.status_code == 200
    text = page_text(response)
    assert "Office hours Berlin Mon–Fri 09:00–17:00 Europe/Berlin DE (BE) 2 Active" in text
    assert "Round the clock Round the clock (24 × 7) UTC None 0 Active" in text
    assert url("calendar_create") in response.content.decode()


def test_readers_get_the_list_without_the_button_to_create(as_user, desk, berlin):
    response = as_user(desk).get(url("calendar_list"))

    assert response.status_code == 200
    assert url("calendar_create") not in response.content.decode()


def test_the_list_page_costs_the_same_queries_with_more_calendars(as_user, owner):
    client = as_user(owner)
    BusinessCalendarFactory(name="First", office_hours=True)
    client.get(url("calendar_list"))
    with CaptureQueriesContext(connection) as few:
        client.get(url("calendar_list"))
    for number in range(8):
        calendar = BusinessCalendarFactory(name=f"Calendar {number}", office_hours=True)
        ServiceLevelTargetFactory(calendar=calendar)

    with CaptureQueriesContext(connection) as many:
        response = client.get(url("calendar_list"))

    assert response.status_code == 200
    assert len(many) == len(few)


# --- creating and editing -------------------------------------------------------------------------


def test_the_form_offers_two_stretches_for_each_day_of_the_week(as_user, owner):
    response = as_user(owner).get(url("calendar_create"))

    assert response.status_code == 200
    html = response.content.decode()
    for weekday in range(7):
        for slot in (1, 2):
            assert f'name="hours_{weekday}_{slot}_start"' in html
    assert 'aria-label="Tuesday, stretch 2, ends"' in html
    assert '<option value="Europe/Berlin">' in html


def test_a_calendar_is_created_from_the_form(as_user, owner):
    data = form_data(hours_0_2_start="", hours_5_1_start="10:00", hours_5_1_end="00:00")
    data["hours_0_1_end"], data["hours_0_2_start"], data["hours_0_2_end"] = "12:00", "13:00", "18:00"

    response = as_user(owner).post(url("calendar_create"), data)

    calendar = BusinessCalendar.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("calendar_detail", calendar.pk)
    hours = list(
        calendar.hours.order_by("weekday", "starts_at").values_list("weekday", "starts_at", "ends_at")
    )
    assert hours[:2] == [(0, time(8), time(12)), (0, time(13), time(18))]
    assert hours[-1] == (5, time(10), END_OF_DAY)


def test_overlapping_hours_are_shown_next_to_their_day_and_nothing_is_saved(as_user, owner):
    data = form_data(
        hours_1_1_start="09:00", hours_1_1_end="13:00", hours_1_2_start="12:00", hours_1_2_end="14:00"
    )

    response = as_user(owner).post(url("calendar_create"), data)

    assert response.status_code == 400
    assert "Tuesday 12:00–14:00 overlaps 09:00–13:00" in row_errors(response, 1)
    assert row_errors(response, 0) == ""
    assert not BusinessCalendar.objects.exists()


def test_a_stretch_missing_its_end_is_marked_on_its_row(as_user, owner):
    response = as_user(owner).post(url("calendar_create"), form_data(hours_3_2_start="19:00"))

    assert response.status_code == 400
    assert "Thursday, stretch 2: give its end too" in row_errors(response, 3)
    assert not BusinessCalendar.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"time_zone": "Mars/Olympus"}, "time_zone", "not a time zone we know"),
        ({"country": "XX"}, "country", "We know no public holidays for “XX”"),
        ({"subdivision": "ZZ"}, "subdivision", "DE has no subdivision “ZZ”"),
    ],
)
def test_bad_fields_are_shown_next_to_their_input(as_user, owner, overrides, field, message):
    response = as_user(owner).post(url("calendar_create"), form_data(**overrides))

    assert response.status_code == 400
    assert message in field_error(response, f"id_{field}")
    assert not BusinessCalendar.objects.exists()


def test_a_calendar_without_hours_is_refused_above_the_week(as_user, owner):
    data = {key: value for key, value in form_data().items() if not key.startswith("hours_")}

    response = as_user(owner).post(url("calendar_create"), data)

    assert response.status_code == 400
    assert "Give the calendar its weekly hours" in page_text(response)
    assert not BusinessCalendar.objects.exists()


def test_the_edit_form_shows_the_current_week_and_saves_the_change(as_user, owner, berlin):
    client = as_user(owner)

    shown = client.get(url("calendar_edit", berlin.pk))

    assert shown.status_code == 200
    assert re.search(r'name="hours_0_1_start" value="09:00"', shown.content.decode())
    data = form_data(name="Office hours Berlin", hours_4_1_end="20:00")
    saved = client.post(url("calendar_edit", berlin.pk), data)
    assert saved.status_code == 302
    assert berlin.hours.get(weekday=4).ends_at == time(20)
    assert berlin.hours.get(weekday=0).ends_at == time(18)


def test_a_day_with_more_stretches_than_the_form_usually_offers_keeps_them_all(as_user, owner):
    calendar = BusinessCalendarFactory(name="Shifts")
    for start, end in ((6, 9), (10, 13), (14, 18)):
        BusinessHoursFactory(calendar=calendar, weekday=2, starts_at=time(start), ends_at=time(end))

    response = as_user(owner).get(url("calendar_edit", calendar.pk))

    html = response.content.decode()
    assert 'name="hours_2_3_start" value="14:00"' in html


def test_the_end_of_the_day_is_shown_as_midnight_and_kept(as_user, owner):
    calendar = BusinessCalendarFactory(name="Evenings", time_zone="Europe/Berlin", country="DE")
    BusinessHoursFactory(calendar=calendar, weekday=0, starts_at=time(18), ends_at=END_OF_DAY)
    client = as_user(owner)

    html = client.get(url("calendar_edit", calendar.pk)).content.decode()
    assert 'name="hours_0_1_end" value="00:00"' in html
    client.post(
        url("calendar_edit", calendar.pk),
        {
            "name": "Evenings",
            "time_zone": "Europe/Berlin",
            "country": "DE",
            "hours_0_1_start": "18:00",
            "hours_0_1_end": "00:00",
            "holidays_stop_clock": "on",
            "is_active": "on",
        },
    )
    assert calendar.hours.get().ends_at == END_OF_DAY


# --- one calendar ---------------------------------------------------------------------------------


def test_the_page_shows_the_week_the_days_off_ahead_and_the_targets(as_user, owner, account, berlin):
    CalendarClosureFactory(
        calendar=berlin, date=timezone.localdate() + timedelta(days=10), name="Team offsite"
    )
    agreement = AgreementFactory(organization=account, title="Fleet SLA")
    ServiceLevelTargetFactory(calendar=berlin, agreement=agreement, name="First response")

    response = as_user(owner).get(url("calendar_detail", berlin.pk))

    assert response.status_code == 200
    text = page_text(response)
    assert "Monday 09:00–17:00" in text
    assert "Saturday Closed" in text
    assert "40 business hours in an ordinary week" in text
    assert "Team offsite Closure" in text
    assert "Public holiday" in text  # a year ahead always holds one
    assert f"{account.name} Fleet SLA (draft) First response ≥ 99.5 %" in text
    assert reverse("account_detail", args=[account.pk]) in response.content.decode()


def test_readers_see_the_page_without_the_buttons_that_change_it(as_user, analyst, berlin):
    response = as_user(analyst).get(url("calendar_detail", berlin.pk))

    assert response.status_code == 200
    assert url("calendar_edit", berlin.pk) not in response.content.decode()


def test_the_calculator_gives_business_time_and_a_deadline(as_user, owner, berlin):
    query = {"start": "2026-01-16T16:00", "end": "2026-01-19T11:30", "hours": "2"}

    response = as_user(owner).get(url("calendar_detail", berlin.pk), query)

    text = page_text(response)
    # Fri 16:00–17:00 and Mon 09:00–11:30 in Berlin: 3 h 30; 2 h from Friday 16:00 end Monday 10:00.
    assert "Business time elapsed: 3 h 30 min" in text
    assert "are used up at Mon 19 Jan 2026, 10:00 (Europe/Berlin)" in text


def test_the_calculator_takes_a_pause(as_user, owner, berlin):
    query = {
        "start": "2026-01-12T09:00",
        "end": "2026-01-12T17:00",
        "pause_start": "2026-01-12T12:00",
        "pause_end": "2026-01-12T14:30",
    }

    response = as_user(owner).get(url("calendar_detail", berlin.pk), query)

    assert "Business time elapsed: 5 h 30 min" in page_text(response)


def test_the_calculator_answers_htmx_with_its_region_alone(as_user, owner, berlin):
    query = {"start": "2026-01-12T09:00", "end": "2026-01-12T10:15"}

    response = as_user(owner).get(url("calendar_detail", berlin.pk), query, **HX)

    html = response.content.decode()
    assert "Business time elapsed: 1 h 15 min" in text_of(html)
    assert "<h1>" not in html
    assert "HX-Request" in response["Vary"]


def test_the_calculator_says_what_is_wrong(as_user, owner, berlin):
    query = {"start": "2026-01-12T09:00", "end": "2026-01-11T09:00"}

    response = as_user(owner).get(url("calendar_detail", berlin.pk), query)

    assert "“To” comes before “From”" in field_error(response, "id_end")
    assert "Business time elapsed" not in page_text(response)


def test_a_calendar_that_does_not_exist_is_404(as_user, owner):
    assert as_user(owner).get(url("calendar_detail", 999)).status_code == 404


# --- closures -------------------------------------------------------------------------------------


def test_a_closure_is_added_from_its_form(as_user, owner, berlin):
    response = as_user(owner).post(
        url("calendar_closure_create", berlin.pk), {"date": "2026-12-24", "name": "Company day off"}
    )

    assert response.status_code == 302
    assert list(berlin.closures.values_list("date", "name")) == [(date(2026, 12, 24), "Company day off")]


def test_a_day_already_closed_is_refused_next_to_the_date(as_user, owner, berlin):
    CalendarClosureFactory(calendar=berlin, date=date(2026, 12, 24), name="Company day off")

    response = as_user(owner).post(
        url("calendar_closure_create", berlin.pk), {"date": "2026-12-24", "name": "Again"}
    )

    assert response.status_code == 400
    assert "already closed on 24 December 2026" in field_error(response, "id_date")
    assert berlin.closures.count() == 1


def test_a_closure_is_removed_after_confirmation(as_user, owner, berlin):
    closure = CalendarClosureFactory(calendar=berlin, date=date(2026, 12, 24), name="Company day off")
    client = as_user(owner)

    asked = client.get(url("calendar_closure_delete", closure.pk))
    assert "Remove the closure on Thursday 24 December 2026?" in page_text(asked)
    assert CalendarClosure.objects.exists()

    removed = client.post(url("calendar_closure_delete", closure.pk))
    assert removed.status_code == 302
    assert removed["Location"] == url("calendar_detail", berlin.pk)
    assert not CalendarClosure.objects.exists()


# --- deleting -------------------------------------------------------------------------------------


def test_a_calendar_no_target_uses_is_deleted_after_confirmation(as_user, owner, berlin):
    client = as_user(owner)

    asked = client.get(url("calendar_delete", berlin.pk))
    assert "No target uses this calendar" in page_text(asked)

    deleted = client.post(url("calendar_delete", berlin.pk))
    assert deleted.status_code == 302
    assert not BusinessCalendar.objects.exists()
    assert not BusinessHours.objects.exists()


def test_a_calendar_in_use_is_kept_and_the_page_says_how_to_retire_it(as_user, owner, berlin):
    ServiceLevelTargetFactory.create_batch(2, calendar=berlin)
    client = as_user(owner)

    asked = client.get(url("calendar_delete", berlin.pk))
    assert "2 service level targets count time in this calendar" in page_text(asked)
    assert "<form" not in asked.content.decode().split("<main", 1)[1].split("</main>")[0]

    refused = client.post(url("calendar_delete", berlin.pk))
    assert refused.status_code == 409
    assert "used by 2 service level targets" in page_text(refused)
    assert BusinessCalendar.objects.filter(pk=berlin.pk).exists()
