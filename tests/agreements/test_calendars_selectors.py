"""Reads of the business-hours calendars: the list in a constant number of queries, one calendar's
page (its week, the holidays and closures ahead, the targets using it as far as the user may see
their accounts) and the calendars a target may choose."""

from datetime import date, time

import pytest
from django.http import Http404

from agreements import selectors
from agreements.business_time import CLOSURE, END_OF_DAY, HOLIDAY
from journeys.roles import roles_of
from tests.factories.agreements import (
    AgreementFactory,
    BusinessCalendarFactory,
    BusinessHoursFactory,
    CalendarClosureFactory,
    ServiceLevelTargetFactory,
)

pytestmark = pytest.mark.django_db


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


def test_the_list_shows_each_calendar_with_its_hours_and_how_many_targets_use_it(owner, berlin):
    always = BusinessCalendarFactory(name="Round the clock", round_the_clock=True, country="")
    ServiceLevelTargetFactory.create_batch(3, calendar=berlin)

    calendars = {calendar.name: calendar for calendar in selectors.calendar_list(user=owner)}

    assert list(calendars) == ["Office hours Berlin", "Round the clock"]
    assert calendars["Office hours Berlin"].target_count == 3
    assert calendars["Round the clock"].target_count == 0
    assert selectors.hours_summary(calendars["Office hours Berlin"]) == "Mon–Fri 09:00–17:00"
    assert selectors.hours_summary(calendars[always.name]) == "Round the clock (24 × 7)"


@pytest.mark.parametrize("size", [1, 12])
def test_the_list_costs_the_same_queries_whatever_the_number_of_calendars(
    owner, size, django_assert_num_queries
):
    for number in range(size):
        calendar = BusinessCalendarFactory(name=f"Calendar {number}", office_hours=True)
        ServiceLevelTargetFactory(calendar=calendar)
    roles_of(owner)  # load the roles once, as a request does

    # One for the calendars with their target counts, one for all their hours.
    with django_assert_num_queries(2):
        rows = [
            (calendar, selectors.hours_summary(calendar)) for calendar in selectors.calendar_list(user=owner)
        ]

    assert len(rows) == size


def test_the_list_filters_by_activity_and_country(owner, berlin):
    BusinessCalendarFactory(name="New York", time_zone="America/New_York", country="US", is_active=False)

    assert [c.name for c in selectors.calendar_list(user=owner, is_active=False)] == ["New York"]
    assert [c.name for c in selectors.calendar_list(user=owner, country="de")] == ["Office hours Berlin"]


def test_someone_without_a_role_sees_no_calendar(berlin, django_user_model):
    nobody = django_user_model.objects.create_user("nobody")

    assert not selectors.calendar_list(user=nobody).exists()


@pytest.mark.parametrize(
    ("hours", "summary"),
    [
        (
            [(0, 9, 17), (1, 9, 17), (2, 9, 17), (3, 9, 17), (4, 9, 13)],
            "Mon–Thu 09:00–17:00 · Fri 09:00–13:00",
        ),
        ([(0, 8, 12), (2, 8, 12), (4, 8, 12)], "Mon, Wed, Fri 08:00–12:00"),
        ([(5, 10, 14), (6, 10, 14)], "Sat, Sun 10:00–14:00"),
        ([], "No hours yet"),
    ],
)
def test_hours_summary_groups_days_with_the_same_hours(hours, summary):
    calendar = BusinessCalendarFactory()
    for weekday, start, end in hours:
        BusinessHoursFactory(calendar=calendar, weekday=weekday, starts_at=time(start), ends_at=time(end))

    assert selectors.hours_summary(calendar) == summary


def test_hours_summary_shows_several_stretches_and_the_end_of_the_day():
    calendar = BusinessCalendarFactory()
    BusinessHoursFactory(calendar=calendar, weekday=0, starts_at=time(13), ends_at=time(17))
    BusinessHoursFactory(calendar=calendar, weekday=0, starts_at=time(8), ends_at=time(12))
    BusinessHoursFactory(calendar=calendar, weekday=1, starts_at=time(18), ends_at=END_OF_DAY)

    assert selectors.hours_summary(calendar) == "Mon 08:00–12:00, 13:00–17:00 · Tue 18:00–24:00"


def test_calendar_get_answers_404_for_a_calendar_that_does_not_exist(owner):
    with pytest.raises(Http404):
        selectors.calendar_get(user=owner, pk=999)


def test_the_page_shows_the_week_and_the_days_off_of_the_next_twelve_months(owner, berlin):
    calendar = selectors.calendar_get(user=owner, pk=berlin.pk)
    CalendarClosureFactory(calendar=berlin, date=date(2028, 1, 3), name="Far ahead")
    CalendarClosureFactory(calendar=berlin, date=date(2026, 6, 1), name="Gone by")
    calendar = selectors.calendar_get(user=owner, pk=berlin.pk)

    page = selectors.calendar_page(user=owner, calendar=calendar, today=date(2026, 12, 1))

    assert page.week[0] == ("Monday", "09:00–17:00")
    assert page.week[6] == ("Sunday", "")
    assert page.weekly_hours == 40
    assert (page.first_day, page.last_day) == (date(2026, 12, 1), date(2027, 11, 30))
    days = [(day.date, day.source) for day in page.days_off]
    assert days[:3] == [
        (date(2026, 12, 24), CLOSURE),
        (date(2026, 12, 25), HOLIDAY),
        (date(2026, 12, 26), HOLIDAY),
    ]
    # Berlin's own holiday, International Women's Day, is there: the subdivision is followed.
    assert (date(2027, 3, 8), HOLIDAY) in days
    assert page.days_off[0].closure_pk is not None
    assert [closure.name for closure in page.later_closures] == ["Far ahead"]
    assert date(2026, 6, 1) not in [day for day, _ in days]


def test_the_page_names_only_the_targets_of_accounts_the_user_may_see(
    owner, outsider, desk, account, other_account, berlin
):
    mine = ServiceLevelTargetFactory(
        calendar=berlin, name="Ticket response", agreement=AgreementFactory(organization=account)
    )
    theirs = ServiceLevelTargetFactory(
        calendar=berlin, agreement=AgreementFactory(organization=other_account)
    )
    calendar = selectors.calendar_get(user=owner, pk=berlin.pk)

    as_owner = selectors.calendar_page(user=owner, calendar=calendar, today=date(2026, 1, 1))
    as_outsider = selectors.calendar_page(user=outsider, calendar=calendar, today=date(2026, 1, 1))
    as_desk = selectors.calendar_page(user=desk, calendar=calendar, today=date(2026, 1, 1))

    assert as_owner.targets == [mine]
    assert as_owner.targets[0].agreement.organization == account
    assert as_owner.hidden_target_count == 1
    assert as_outsider.targets == [theirs]
    assert {target.pk for target in as_desk.targets} == {mine.pk, theirs.pk}
    assert as_desk.hidden_target_count == 0


def test_the_page_of_a_calendar_whose_holidays_do_not_stop_the_clock_says_so(owner):
    calendar = BusinessCalendarFactory(holidays_stop_clock=False, office_hours=True)

    page = selectors.calendar_page(
        user=owner, calendar=selectors.calendar_get(user=owner, pk=calendar.pk), today=date(2026, 12, 1)
    )

    assert any("do not stop" in note for note in page.notes)
    # Still listed, for information.
    assert date(2026, 12, 25) in [day.date for day in page.days_off]


def test_the_page_reads_in_a_few_queries(owner, account, berlin, django_assert_num_queries):
    for _ in range(5):
        ServiceLevelTargetFactory(calendar=berlin, agreement=AgreementFactory(organization=account))
    roles_of(owner)

    with django_assert_num_queries(4):
        # The calendar with its target count, its hours, its closures; then the visible targets.
        calendar = selectors.calendar_get(user=owner, pk=berlin.pk)
        page = selectors.calendar_page(user=owner, calendar=calendar, today=date(2026, 12, 1))
        names = [(target.agreement.title, target.agreement.organization.name) for target in page.targets]

    assert len(names) == 5


def test_targets_choose_among_the_active_calendars_and_keep_their_own(berlin):
    retired = BusinessCalendarFactory(name="Old office", is_active=False)

    assert list(selectors.calendar_choices()) == [berlin]
    assert list(selectors.calendar_choices(include=retired)) == [berlin, retired]
    assert list(selectors.calendar_choices(include=retired.pk)) == [berlin, retired]


def test_closure_get_finds_a_closure_or_answers_404(owner, berlin):
    closure = berlin.closures.get()

    assert selectors.closure_get(user=owner, pk=closure.pk) == closure
    with pytest.raises(Http404):
        selectors.closure_get(user=owner, pk=closure.pk + 100)
