"""Writes of the business-hours calendars: creating one with its week, changing it, its closures,
deleting one no target uses, and every kind of bad input refused with the field named and nothing
saved."""

from datetime import date, time

import pytest
from django.core.exceptions import PermissionDenied

from agreements import services
from agreements.business_time import END_OF_DAY
from agreements.models import BusinessCalendar, BusinessHours, CalendarClosure
from journeys.base import ApplicationError
from tests.factories.agreements import (
    BusinessCalendarFactory,
    BusinessHoursFactory,
    CalendarClosureFactory,
    ServiceLevelTargetFactory,
)

pytestmark = pytest.mark.django_db

OFFICE_WEEK = [(weekday, time(8), time(18)) for weekday in range(5)]


def create(actor, **overrides):
    fields = {
        "name": "Office hours Berlin",
        "time_zone": "Europe/Berlin",
        "country": "DE",
        "subdivision": "BE",
        "hours": OFFICE_WEEK,
    } | overrides
    return services.calendar_create(actor=actor, **fields)


def week_of(calendar):
    return list(
        BusinessHours.objects.filter(calendar=calendar)
        .order_by("weekday", "starts_at")
        .values_list("weekday", "starts_at", "ends_at")
    )


def nothing_saved():
    return not BusinessCalendar.objects.exists() and not BusinessHours.objects.exists()


# --- creating -------------------------------------------------------------------------------------


def test_a_relationship_manager_creates_a_calendar_with_its_week(owner):
    calendar = create(
        owner,
        description="Service desk and second line.",
        closures=[(date(2026, 12, 24), "Company day off")],
    )

    assert calendar.name == "Office hours Berlin"
    assert (calendar.time_zone, calendar.country, calendar.subdivision) == ("Europe/Berlin", "DE", "BE")
    assert calendar.holidays_stop_clock and calendar.is_active and not calendar.round_the_clock
    assert week_of(calendar) == OFFICE_WEEK
    assert list(calendar.closures.values_list("date", "name")) == [(date(2026, 12, 24), "Company day off")]


def test_several_stretches_a_day_are_kept(owner):
    calendar = create(owner, hours=[(0, time(13), time(17)), (0, time(8), time(12))])

    assert week_of(calendar) == [(0, time(8), time(12)), (0, time(13), time(17))]


def test_hours_may_be_given_as_text_and_as_mappings(administrator):
    calendar = create(
        administrator,
        hours=[{"weekday": 1, "starts_at": "09:00", "ends_at": "17:30"}, (2, "10:00", "24:00")],
    )

    assert week_of(calendar) == [(1, time(9), time(17, 30)), (2, time(10), END_OF_DAY)]


def test_hours_ending_at_midnight_run_to_the_end_of_the_day(owner):
    calendar = create(owner, hours=[(4, time(18), time(0))])

    assert week_of(calendar) == [(4, time(18), END_OF_DAY)]


def test_a_round_the_clock_calendar_needs_no_hours(owner):
    calendar = create(
        owner, name="Round the clock", round_the_clock=True, hours=[], country="", subdivision=""
    )

    assert calendar.round_the_clock
    assert week_of(calendar) == []


def test_the_country_is_read_in_capitals_and_the_subdivision_as_the_library_spells_it(owner):
    calendar = create(owner, country="de", subdivision="by")

    assert (calendar.country, calendar.subdivision) == ("DE", "BY")


def test_an_integrator_creates_calendars_too(integrator):
    assert create(integrator).pk


@pytest.mark.parametrize("persona", ["desk", "analyst"])
def test_read_only_roles_may_not_create_a_calendar(request, persona):
    with pytest.raises(PermissionDenied):
        create(request.getfixturevalue(persona))

    assert nothing_saved()


# --- bad input ------------------------------------------------------------------------------------

BAD_INPUT = {
    "an unknown time zone": ({"time_zone": "Europe/Atlantis"}, "time_zone", "not a time zone we know"),
    "no time zone": ({"time_zone": ""}, "time_zone", "Choose the time zone"),
    "a country without holidays in the library": ({"country": "XX"}, "country", "public holidays for “XX”"),
    "a subdivision of another country": ({"subdivision": "NY"}, "subdivision", "DE has no subdivision “NY”"),
    "a subdivision without a country": (
        {"country": "", "subdivision": "BE"},
        "subdivision",
        "Choose the country first",
    ),
    "no name": ({"name": "  "}, "name", "Name the calendar"),
    "no hours": ({"hours": []}, "hours", "Give the calendar its weekly hours"),
    "an end before the start": (
        {"hours": [(0, time(9), time(17)), (1, time(17), time(9))]},
        "hours[1]",
        "Tuesday 17:00–09:00 ends before it starts",
    ),
    "an empty stretch": ({"hours": [(2, time(12), time(12))]}, "hours[0]", "Wednesday 12:00–12:00 is empty"),
    "a weekday out of range": ({"hours": [(7, time(9), time(17))]}, "hours[0]", "0 (Monday) to 6 (Sunday)"),
    "a time that is not one": ({"hours": [(0, "nine", time(17))]}, "hours[0]", "times of day"),
    "overlapping stretches": (
        {"hours": [(0, time(9), time(17)), (1, time(9), time(13)), (1, time(12), time(14))]},
        "hours[2]",
        "Tuesday 12:00–14:00 overlaps 09:00–13:00",
    ),
    "a stretch inside another with one between": (
        {"hours": [(3, time(9), time(17)), (3, time(10), time(11)), (3, time(12), time(13))]},
        "hours[2]",
        "Thursday 12:00–13:00 overlaps 09:00–17:00",
    ),
    "the same stretch twice": (
        {"hours": [(4, time(9), time(17)), (4, time(9), time(17))]},
        "hours[1]",
        "Friday 09:00–17:00 overlaps 09:00–17:00",
    ),
    "a closure without a name": ({"closures": [(date(2026, 12, 24), "")]}, "closures[0]", "Say why"),
    "a closed day listed twice": (
        {"closures": [(date(2026, 12, 24), "Day off"), (date(2026, 12, 24), "Again")]},
        "closures[1]",
        "listed twice",
    ),
}


@pytest.mark.parametrize(("overrides", "field", "message"), list(BAD_INPUT.values()), ids=list(BAD_INPUT))
def test_bad_input_is_refused_with_the_field_named_and_nothing_saved(owner, overrides, field, message):
    with pytest.raises(ApplicationError) as refused:
        create(owner, **overrides)

    assert field in refused.value.fields
    assert message in refused.value.fields[field][0]
    assert refused.value.status == 400
    assert nothing_saved()


def test_a_name_already_taken_is_a_conflict(owner):
    BusinessCalendarFactory(name="Office hours Berlin")

    with pytest.raises(ApplicationError) as refused:
        create(owner, name="office hours berlin")

    assert refused.value.status == 409
    assert "already called" in refused.value.fields["name"][0]
    assert BusinessCalendar.objects.count() == 1


def test_adjacent_stretches_do_not_overlap(owner):
    calendar = create(owner, hours=[(0, time(8), time(12)), (0, time(12), time(17))])

    assert len(week_of(calendar)) == 2


# --- changing -------------------------------------------------------------------------------------


def test_calendar_update_changes_fields_and_replaces_the_week(owner):
    calendar = create(owner)

    services.calendar_update(
        actor=owner,
        calendar=calendar,
        name="Office hours Berlin (long Fridays)",
        hours=[*OFFICE_WEEK[:4], (4, time(8), time(20))],
    )

    calendar.refresh_from_db()
    assert calendar.name == "Office hours Berlin (long Fridays)"
    assert week_of(calendar)[-1] == (4, time(8), time(20))


def test_unchanged_input_writes_nothing(owner):
    calendar = create(owner)
    before = BusinessCalendar.objects.get(pk=calendar.pk).updated_at

    services.calendar_update(actor=owner, calendar=calendar, name="Office hours Berlin", hours=OFFICE_WEEK)

    assert BusinessCalendar.objects.get(pk=calendar.pk).updated_at == before


def test_new_hours_count_as_a_change_of_the_calendar(owner):
    calendar = create(owner)
    before = BusinessCalendar.objects.get(pk=calendar.pk).updated_at

    services.calendar_hours_set(actor=owner, calendar=calendar, hours=[(0, time(9), time(17))])

    assert BusinessCalendar.objects.get(pk=calendar.pk).updated_at > before
    assert week_of(calendar) == [(0, time(9), time(17))]


def test_a_refused_change_leaves_the_calendar_and_its_week_as_they_were(owner):
    calendar = create(owner)

    with pytest.raises(ApplicationError) as refused:
        services.calendar_update(
            actor=owner,
            calendar=calendar,
            name="Renamed",
            hours=[(1, time(9), time(13)), (1, time(12), time(14))],
        )

    assert "hours[1]" in refused.value.fields
    calendar.refresh_from_db()
    assert calendar.name == "Office hours Berlin"
    assert week_of(calendar) == OFFICE_WEEK


def test_leaving_round_the_clock_needs_hours(owner):
    calendar = create(owner, name="Always", round_the_clock=True, hours=[])

    with pytest.raises(ApplicationError) as refused:
        services.calendar_update(actor=owner, calendar=calendar, round_the_clock=False)

    assert "hours" in refused.value.fields
    calendar.refresh_from_db()
    assert calendar.round_the_clock


def test_an_unknown_field_is_named(owner):
    calendar = create(owner)

    with pytest.raises(ApplicationError) as refused:
        services.calendar_update(actor=owner, calendar=calendar, colour="blue")

    assert refused.value.fields == {"colour": ["Unknown field."]}


def test_deactivating_keeps_the_calendar_for_the_targets_using_it(owner):
    calendar = create(owner)
    ServiceLevelTargetFactory(calendar=calendar)

    services.calendar_update(actor=owner, calendar=calendar, is_active=False)

    calendar.refresh_from_db()
    assert not calendar.is_active


@pytest.mark.parametrize("persona", ["desk", "analyst"])
def test_read_only_roles_may_not_change_a_calendar(request, persona):
    calendar = BusinessCalendarFactory(name="Office")

    with pytest.raises(PermissionDenied):
        services.calendar_update(actor=request.getfixturevalue(persona), calendar=calendar, name="Changed")

    calendar.refresh_from_db()
    assert calendar.name == "Office"


# --- closures -------------------------------------------------------------------------------------


def test_a_closure_is_added_and_removed(owner):
    calendar = BusinessCalendarFactory(office_hours=True)

    closure = services.calendar_closure_add(
        actor=owner, calendar=calendar, date=date(2026, 12, 24), name=" Company day off "
    )
    assert (closure.date, closure.name) == (date(2026, 12, 24), "Company day off")

    services.calendar_closure_remove(actor=owner, closure=closure)
    assert not CalendarClosure.objects.exists()


def test_a_day_cannot_be_closed_twice(owner):
    calendar = BusinessCalendarFactory(name="Office")
    CalendarClosureFactory(calendar=calendar, date=date(2026, 12, 24), name="Company day off")

    with pytest.raises(ApplicationError) as refused:
        services.calendar_closure_add(actor=owner, calendar=calendar, date=date(2026, 12, 24), name="Again")

    assert refused.value.status == 409
    assert refused.value.fields["date"] == [
        "“Office” is already closed on 24 December 2026 (Company day off)."
    ]
    assert CalendarClosure.objects.count() == 1


@pytest.mark.parametrize(
    ("day", "name", "field"),
    [(None, "Day off", "date"), ("2026-12-24", "Day off", "date"), (date(2026, 12, 24), "", "name")],
)
def test_a_closure_needs_a_date_and_a_name(owner, day, name, field):
    calendar = BusinessCalendarFactory()

    with pytest.raises(ApplicationError) as refused:
        services.calendar_closure_add(actor=owner, calendar=calendar, date=day, name=name)

    assert field in refused.value.fields
    assert not CalendarClosure.objects.exists()


def test_read_only_roles_may_not_close_a_day(desk):
    calendar = BusinessCalendarFactory()

    with pytest.raises(PermissionDenied):
        services.calendar_closure_add(actor=desk, calendar=calendar, date=date(2026, 12, 24), name="Day off")

    assert not CalendarClosure.objects.exists()


# --- deleting -------------------------------------------------------------------------------------


def test_a_calendar_no_target_uses_is_deleted_with_its_hours_and_closures(owner):
    calendar = BusinessCalendarFactory(office_hours=True)
    CalendarClosureFactory(calendar=calendar)

    services.calendar_delete(actor=owner, calendar=calendar)

    assert not BusinessCalendar.objects.exists()
    assert not BusinessHours.objects.exists()
    assert not CalendarClosure.objects.exists()


def test_a_calendar_in_use_is_kept_and_the_refusal_counts_the_targets(owner):
    calendar = BusinessCalendarFactory(name="Office hours Berlin", office_hours=True)
    ServiceLevelTargetFactory.create_batch(2, calendar=calendar)

    with pytest.raises(ApplicationError) as refused:
        services.calendar_delete(actor=owner, calendar=calendar)

    assert refused.value.status == 409
    assert refused.value.code == "calendar_in_use"
    assert "used by 2 service level targets" in refused.value.message
    assert "deactivate" in refused.value.message
    assert BusinessCalendar.objects.filter(pk=calendar.pk).exists()


def test_read_only_roles_may_not_delete_a_calendar(analyst):
    calendar = BusinessCalendarFactory()

    with pytest.raises(PermissionDenied):
        services.calendar_delete(actor=analyst, calendar=calendar)

    assert BusinessCalendar.objects.exists()


def test_the_choices_offered_for_countries_and_subdivisions_come_from_the_holiday_library():
    assert {"DE", "GB", "US"} <= set(services.country_choices())
    assert "BE" in services.subdivision_choices("de")
    assert services.subdivision_choices("XX") == ()
    assert "Europe/Berlin" in services.time_zone_choices()


def test_hours_set_on_one_calendar_leave_the_others_alone(owner):
    mine = create(owner)
    other = BusinessCalendarFactory(name="Other")
    BusinessHoursFactory(calendar=other, weekday=6)

    services.calendar_hours_set(actor=owner, calendar=mine, hours=[(0, time(9), time(10))])

    assert week_of(other) == [(6, time(9), time(17))]
