"""Business time: the arithmetic request clocks and the calendar pages rely on.

Every expected value is worked out by hand in the comment beside it. Calendar facts used below:
2026-01-12 is a Monday; Berlin is UTC+1 in winter and UTC+2 from 29 March to 25 October 2026 (the
clocks change on those Sundays); New York is UTC−5 in winter and UTC−4 from 8 March to 1 November 2026.
German public holidays of 2026 on weekdays: 1 Jan (Thu), Good Friday 3 Apr, Easter Monday 6 Apr,
1 May (Fri), Ascension 14 May (Thu), Whit Monday 25 May, Christmas 25 Dec (Fri); 3 Oct and 26 Dec fall
on Saturdays. In the US, Independence Day 2026 is observed on Friday 3 July.
"""

import random
import time as clock
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays
import pytest

from agreements.business_time import (
    CLOSURE,
    END_OF_DAY,
    HOLIDAY,
    BusinessSchedule,
    business_deadline,
    business_seconds,
    duration_label,
    holidays_between,
    is_business_time,
    schedule_for,
)
from tests.factories.agreements import BusinessCalendarFactory, BusinessHoursFactory, CalendarClosureFactory

H = 3600
BERLIN_ZONE = ZoneInfo("Europe/Berlin")
NEW_YORK_ZONE = ZoneInfo("America/New_York")
TOKYO_ZONE = ZoneInfo("Asia/Tokyo")


def utc(*parts) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def berlin(*parts) -> datetime:
    return datetime(*parts, tzinfo=BERLIN_ZONE)


def new_york(*parts) -> datetime:
    return datetime(*parts, tzinfo=NEW_YORK_ZONE)


def weekdays(*stretches, days=range(5)) -> dict:
    return {day: [(time(*start), time(*end)) for start, end in stretches] for day in days}


OFFICE = weekdays(((9,), (17,)))
BERLIN = BusinessSchedule(zone=BERLIN_ZONE, week=OFFICE, country="DE")
BERLIN_NO_STOP = BusinessSchedule(zone=BERLIN_ZONE, week=OFFICE, country="DE", holidays_stop_clock=False)
BERLIN_BAVARIA = BusinessSchedule(zone=BERLIN_ZONE, week=OFFICE, country="DE", subdivision="BY")
BERLIN_SPLIT = BusinessSchedule(zone=BERLIN_ZONE, week=weekdays(((8,), (12,)), ((13,), (17,))), country="DE")
BERLIN_CLOSED = BusinessSchedule(
    zone=BERLIN_ZONE, week=OFFICE, country="DE", closures={date(2026, 1, 19): "Company day off"}
)
BERLIN_CLOSED_NO_STOP = BusinessSchedule(
    zone=BERLIN_ZONE,
    week=OFFICE,
    country="DE",
    closures={date(2026, 1, 19): "Company day off"},
    holidays_stop_clock=False,
)
BERLIN_SEVEN_DAYS = BusinessSchedule(zone=BERLIN_ZONE, week=weekdays(((9,), (17,)), days=range(7)))
BERLIN_WHOLE_DAYS = BusinessSchedule(zone=BERLIN_ZONE, week=weekdays(((0,), (23, 59, 59)), days=range(7)))
BERLIN_ALWAYS = BusinessSchedule(zone=BERLIN_ZONE, round_the_clock=True)
BERLIN_ALWAYS_BUT_HOLIDAYS = BusinessSchedule(zone=BERLIN_ZONE, round_the_clock=True, country="DE")
NEW_YORK = BusinessSchedule(zone=NEW_YORK_ZONE, week=OFFICE, country="US")


# --- business_seconds -----------------------------------------------------------------------------

SECONDS_CASES = {
    # Mon 10:00–15:30 Berlin (09:00Z–14:30Z in winter): 5 h 30.
    "inside one day": (BERLIN, utc(2026, 1, 12, 9), utc(2026, 1, 12, 14, 30), 5.5 * H),
    # Mon 07:00–21:00 Berlin: the whole 09:00–17:00 day, 8 h.
    "before opening to after closing": (BERLIN, utc(2026, 1, 12, 6), utc(2026, 1, 12, 20), 8 * H),
    # Fri 16:00 → Mon 10:00 Berlin: 1 h on Friday + 1 h on Monday.
    "over a weekend": (BERLIN, utc(2026, 1, 16, 15), utc(2026, 1, 19, 9), 2 * H),
    # Mon 12 Jan 00:00 → Mon 19 Jan 00:00: five days of 8 h.
    "a whole week": (BERLIN, berlin(2026, 1, 12), berlin(2026, 1, 19), 40 * H),
    # Sat 00:00 → Mon 00:00: nothing.
    "a weekend alone": (BERLIN, berlin(2026, 1, 17), berlin(2026, 1, 19), 0),
    # Thu 2 Apr 09:00 CEST → Tue 7 Apr 17:00 CEST: Thu 8 h, Good Friday, weekend, Easter Monday, Tue 8 h.
    "over Easter": (BERLIN, utc(2026, 4, 2, 7), utc(2026, 4, 7, 15), 16 * H),
    # Thu 24 Dec 09:00 → Mon 28 Dec 17:00: Thu 8 h, Christmas (Fri), weekend, Mon 8 h.
    "over Christmas": (BERLIN, utc(2026, 12, 24, 8), utc(2026, 12, 28, 16), 16 * H),
    # The same when holidays do not stop the clock: Thu, Fri and Mon, 8 h each.
    "over Christmas, holidays not stopping": (
        BERLIN_NO_STOP,
        utc(2026, 12, 24, 8),
        utc(2026, 12, 28, 16),
        24 * H,
    ),
    # Fri 16:00 → Tue 10:00 with Monday closed: 1 h + 0 + 1 h.
    "over a closure": (BERLIN_CLOSED, berlin(2026, 1, 16, 16), berlin(2026, 1, 20, 10), 2 * H),
    # The closure does not stop this one: 1 h + 8 h + 1 h.
    "over a closure, closures not stopping": (
        BERLIN_CLOSED_NO_STOP,
        berlin(2026, 1, 16, 16),
        berlin(2026, 1, 20, 10),
        10 * H,
    ),
    # 08–12 and 13–17; 11:00 → 14:00 is 11–12 and 13–14.
    "two stretches a day, across lunch": (
        BERLIN_SPLIT,
        berlin(2026, 1, 12, 11),
        berlin(2026, 1, 12, 14),
        2 * H,
    ),
    # A whole day of the split hours: 4 h + 4 h.
    "two stretches a day, whole day": (BERLIN_SPLIT, berlin(2026, 1, 12), berlin(2026, 1, 13), 8 * H),
    # 09:00–17:00 EST is 14:00Z–22:00Z in winter.
    "New York in winter": (NEW_YORK, utc(2026, 1, 12, 14), utc(2026, 1, 12, 22), 8 * H),
    # 09:00–17:00 EDT is 13:00Z–21:00Z in summer.
    "New York in summer": (NEW_YORK, utc(2026, 7, 13, 13), utc(2026, 7, 13, 21), 8 * H),
    # Tue 03:00Z is Mon 22:00 in New York; Tue 15:00Z is 10:00 there: only Tue 09–10.
    "New York, UTC a day ahead": (NEW_YORK, utc(2026, 1, 13, 3), utc(2026, 1, 13, 15), 1 * H),
    # Thu 2 Jul 16:00 → Mon 6 Jul 10:00 EDT: Thu 1 h, Independence Day observed Fri, weekend, Mon 1 h.
    "New York over Independence Day": (NEW_YORK, new_york(2026, 7, 2, 16), new_york(2026, 7, 6, 10), 2 * H),
    # Fri 27 Mar 16:00 CET → Mon 30 Mar 10:00 CEST, the clocks going forward on Sunday: 1 h + 1 h.
    "a weekend the clocks go forward": (BERLIN, utc(2026, 3, 27, 15), utc(2026, 3, 30, 8), 2 * H),
    # Sunday 29 Mar (23 h long): 09:00–17:00 on the wall clock is still 8 h.
    "09–17 on the day the clocks go forward": (
        BERLIN_SEVEN_DAYS,
        berlin(2026, 3, 29),
        berlin(2026, 3, 30),
        8 * H,
    ),
    # Sunday 25 Oct (25 h long): still 8 h.
    "09–17 on the day the clocks go back": (
        BERLIN_SEVEN_DAYS,
        berlin(2026, 10, 25),
        berlin(2026, 10, 26),
        8 * H,
    ),
    # Round the clock counts real time: 29 Mar 00:00 CET (23:00Z) → 30 Mar 00:00 CEST (22:00Z) is 23 h.
    "round the clock, the day the clocks go forward": (
        BERLIN_ALWAYS,
        berlin(2026, 3, 29),
        berlin(2026, 3, 30),
        23 * H,
    ),
    # 25 Oct 00:00 CEST (22:00Z on the 24th) → 26 Oct 00:00 CET (23:00Z) is 25 h.
    "round the clock, the day the clocks go back": (
        BERLIN_ALWAYS,
        berlin(2026, 10, 25),
        berlin(2026, 10, 26),
        25 * H,
    ),
    # Stretches 00:00–23:59:59 (the end of the day) behave like round the clock: 23 h and 25 h.
    "whole-day stretches, the day the clocks go forward": (
        BERLIN_WHOLE_DAYS,
        berlin(2026, 3, 29),
        berlin(2026, 3, 30),
        23 * H,
    ),
    "whole-day stretches, the day the clocks go back": (
        BERLIN_WHOLE_DAYS,
        berlin(2026, 10, 25),
        berlin(2026, 10, 26),
        25 * H,
    ),
    # A year round the clock: 365 × 24 h (the hour lost in March comes back in October).
    "round the clock, a year": (BERLIN_ALWAYS, berlin(2026, 1, 1), berlin(2027, 1, 1), 8760 * H),
    # Round the clock stopping on holidays: Good Friday (a 24 h day in April) is left out of 2–4 April.
    "round the clock, stopping on a holiday": (
        BERLIN_ALWAYS_BUT_HOLIDAYS,
        berlin(2026, 4, 2),
        berlin(2026, 4, 4),
        24 * H,
    ),
    # January 2026: 22 weekdays less New Year's Day = 21 days of 8 h.
    "a month": (BERLIN, berlin(2026, 1, 1), berlin(2026, 2, 1), 168 * H),
    # In Bavaria, Epiphany (Tue 6 Jan) is a holiday too: 20 days.
    "a month in Bavaria": (BERLIN_BAVARIA, berlin(2026, 1, 1), berlin(2026, 2, 1), 160 * H),
    # Fri 30 Jan 16:00 → Mon 2 Feb 10:00: 1 h + 1 h across the month's end.
    "across a month's end": (BERLIN, berlin(2026, 1, 30, 16), berlin(2026, 2, 2, 10), 2 * H),
    # Wed 30 Dec 16:00 → Mon 4 Jan 2027 10:00: Wed 1 h, Thu 31 Dec 8 h, New Year (Fri), weekend, Mon 1 h.
    "across a year's end": (BERLIN, berlin(2026, 12, 30, 16), berlin(2027, 1, 4, 10), 10 * H),
    # 2026: 261 weekdays (52 weeks and a Thursday) less 7 weekday holidays = 254 days of 8 h.
    "a whole year": (BERLIN, berlin(2026, 1, 1), berlin(2027, 1, 1), 2032 * H),
    # 18:00 in Tokyo is 09:00Z, 10:00 in Berlin; until 14:30Z (15:30 Berlin): 5 h 30.
    "start given in another zone": (
        BERLIN,
        datetime(2026, 1, 12, 18, tzinfo=TOKYO_ZONE),
        utc(2026, 1, 12, 14, 30),
        5.5 * H,
    ),
    "an empty range": (BERLIN, utc(2026, 1, 12, 10), utc(2026, 1, 12, 10), 0),
}


@pytest.mark.parametrize(
    ("schedule", "start", "end", "expected"), list(SECONDS_CASES.values()), ids=list(SECONDS_CASES)
)
def test_business_seconds(schedule, start, end, expected):
    assert business_seconds(schedule, start, end) == expected


# A Monday in Berlin, 08:00–18:00 local: the whole 09:00–17:00 day, 8 h before any pause.
MONDAY_8, MONDAY_18 = berlin(2026, 1, 12, 8), berlin(2026, 1, 12, 18)

PAUSE_CASES = {
    "no pause": ([], 8 * H),
    # 10–11 paused: 7 h.
    "one hour paused": ([(berlin(2026, 1, 12, 10), berlin(2026, 1, 12, 11))], 7 * H),
    # 10–11 and 10:30–12 overlap: 10–12 paused, 6 h.
    "overlapping pauses": (
        [
            (berlin(2026, 1, 12, 10), berlin(2026, 1, 12, 11)),
            (berlin(2026, 1, 12, 10, 30), berlin(2026, 1, 12, 12)),
        ],
        6 * H,
    ),
    # 11–12 inside 10–14: 10–14 paused, 4 h.
    "a pause inside another": (
        [
            (berlin(2026, 1, 12, 10), berlin(2026, 1, 12, 14)),
            (berlin(2026, 1, 12, 11), berlin(2026, 1, 12, 12)),
        ],
        4 * H,
    ),
    # Given out of order, the same as sorted: 10–11 and 15–16 paused, 6 h.
    "pauses out of order": (
        [
            (berlin(2026, 1, 12, 15), berlin(2026, 1, 12, 16)),
            (berlin(2026, 1, 12, 10), berlin(2026, 1, 12, 11)),
        ],
        6 * H,
    ),
    # 07:00–09:30 starts before the range: 09:00–09:30 paused, 7 h 30.
    "a pause starting before the range": ([(berlin(2026, 1, 12, 7), berlin(2026, 1, 12, 9, 30))], 7.5 * H),
    # 16:30–19:00 ends after it: 16:30–17:00 paused, 7 h 30.
    "a pause ending after the range": ([(berlin(2026, 1, 12, 16, 30), berlin(2026, 1, 12, 19))], 7.5 * H),
    # Paused only outside the hours: nothing lost.
    "a pause outside the hours": (
        [
            (berlin(2026, 1, 12, 6), berlin(2026, 1, 12, 7)),
            (berlin(2026, 1, 12, 17, 30), berlin(2026, 1, 12, 20)),
        ],
        8 * H,
    ),
    "a pause wholly before the range": ([(berlin(2026, 1, 9, 10), berlin(2026, 1, 9, 12))], 8 * H),
    "an empty pause": ([(berlin(2026, 1, 12, 10), berlin(2026, 1, 12, 10))], 8 * H),
    # Still paused since 15:00: 09–15 counted, 6 h.
    "a pause still open": ([(berlin(2026, 1, 12, 15), None)], 6 * H),
    # Paused since before the range and still paused: nothing counts.
    "paused throughout": ([(berlin(2026, 1, 12, 7), None)], 0),
    # 10:00–11:00 Berlin written in Tokyo time (18:00–19:00 JST): 7 h.
    "a pause given in another zone": (
        [(datetime(2026, 1, 12, 18, tzinfo=TOKYO_ZONE), datetime(2026, 1, 12, 19, tzinfo=TOKYO_ZONE))],
        7 * H,
    ),
}


@pytest.mark.parametrize(("pauses", "expected"), list(PAUSE_CASES.values()), ids=list(PAUSE_CASES))
def test_business_seconds_less_pauses(pauses, expected):
    assert business_seconds(BERLIN, MONDAY_8, MONDAY_18, pauses=pauses) == expected


def test_a_pause_overnight_stops_the_clock_on_both_days():
    # Mon 08:00 → Tue 18:00 is 16 h; paused Mon 16:00 → Tue 10:00 takes Mon 16–17 and Tue 09–10: 14 h.
    pauses = [(berlin(2026, 1, 12, 16), berlin(2026, 1, 13, 10))]

    assert business_seconds(BERLIN, MONDAY_8, berlin(2026, 1, 13, 18), pauses=pauses) == 14 * H


def test_a_pause_over_the_weekend_costs_nothing():
    # Fri 16:00 → Mon 10:00 is 2 h; a pause from Saturday to Sunday falls outside the hours.
    pauses = [(berlin(2026, 1, 17, 10), berlin(2026, 1, 18, 10))]

    assert business_seconds(BERLIN, berlin(2026, 1, 16, 16), berlin(2026, 1, 19, 10), pauses=pauses) == 2 * H


def test_overlapping_stretches_are_not_counted_twice():
    # 09–13 and 12–17 on Monday cover 09–17: 8 h, not 9.
    schedule = BusinessSchedule(zone=BERLIN_ZONE, week={0: [(time(9), time(13)), (time(12), time(17))]})

    assert business_seconds(schedule, berlin(2026, 1, 12), berlin(2026, 1, 13)) == 8 * H


def test_a_stretch_starting_in_the_skipped_hour_starts_when_the_clocks_jump():
    # On 29 Mar 2026 Berlin's clocks jump from 02:00 to 03:00: 02:30–05:00 runs 03:00–05:00, 2 h.
    schedule = BusinessSchedule(zone=BERLIN_ZONE, week={6: [(time(2, 30), time(5))]})

    assert business_seconds(schedule, berlin(2026, 3, 29), berlin(2026, 3, 30)) == 2 * H


def test_it_keeps_fractions_of_a_second_out():
    # 10:00:00 → 10:00:01.9 is one whole second.
    end = berlin(2026, 1, 12, 10, 0, 1, 900_000)

    assert business_seconds(BERLIN, berlin(2026, 1, 12, 10), end) == 1


@pytest.mark.parametrize(
    ("start", "end", "pauses", "message"),
    [
        (utc(2026, 1, 13), utc(2026, 1, 12), [], "after the end"),
        (datetime(2026, 1, 12, 9), utc(2026, 1, 12, 10), [], "time zone"),
        (utc(2026, 1, 12, 9), datetime(2026, 1, 12, 10), [], "time zone"),
        (utc(2026, 1, 12, 9), utc(2026, 1, 12, 10), [(datetime(2026, 1, 12, 9), None)], "time zone"),
        (
            utc(2026, 1, 12, 9),
            utc(2026, 1, 12, 10),
            [(utc(2026, 1, 12, 9, 30), utc(2026, 1, 12, 9))],
            "before",
        ),
        (utc(2026, 1, 12, 9), utc(2026, 1, 12, 10), [utc(2026, 1, 12, 9)], "pair"),
    ],
    ids=["start after end", "naive start", "naive end", "naive pause", "pause backwards", "pause not a pair"],
)
def test_business_seconds_refuses_bad_input(start, end, pauses, message):
    with pytest.raises(ValueError, match=message):
        business_seconds(BERLIN, start, end, pauses=pauses)


# --- business_deadline ----------------------------------------------------------------------------

DEADLINE_CASES = {
    # Mon 10:00 + 4 h → 14:00 the same day.
    "within the day": (BERLIN, berlin(2026, 1, 12, 10), 4 * H, berlin(2026, 1, 12, 14)),
    # Mon 16:00 + 2 h → 1 h on Monday, then Tue 09:00 + 1 h.
    "into the next day": (BERLIN, berlin(2026, 1, 12, 16), 2 * H, berlin(2026, 1, 13, 10)),
    # Fri 16:00 + 2 h → Mon 10:00.
    "over a weekend": (BERLIN, berlin(2026, 1, 16, 16), 2 * H, berlin(2026, 1, 19, 10)),
    # Sat 12:00 + 1 h → the clock starts Monday 09:00: 10:00.
    "from a weekend": (BERLIN, berlin(2026, 1, 17, 12), 1 * H, berlin(2026, 1, 19, 10)),
    # Thu 2 Apr 16:00 + 2 h → 1 h Thu, Good Friday to Easter Monday off, Tue 7 Apr 10:00.
    "over Easter": (BERLIN, berlin(2026, 4, 2, 16), 2 * H, berlin(2026, 4, 7, 10)),
    # Thu 24 Dec 16:00 + 2 h, holidays not stopping: Fri 25 Dec 10:00.
    "over Christmas, holidays not stopping": (
        BERLIN_NO_STOP,
        berlin(2026, 12, 24, 16),
        2 * H,
        berlin(2026, 12, 25, 10),
    ),
    # Mon 09:00 + 8 h: used up at 17:00 that day, not at Tuesday's opening.
    "exactly a day": (BERLIN, berlin(2026, 1, 12, 9), 8 * H, berlin(2026, 1, 12, 17)),
    # Nothing to use up: the start itself, even outside the hours.
    "nothing": (BERLIN, berlin(2026, 1, 12, 20), 0, berlin(2026, 1, 12, 20)),
    # 08–12, 13–17: 11:00 + 2 h → 12:00 (1 h), then 13:00 + 1 h = 14:00.
    "across lunch": (BERLIN_SPLIT, berlin(2026, 1, 12, 11), 2 * H, berlin(2026, 1, 12, 14)),
    # Thu 2 Jul 16:00 EDT + 2 h → Independence Day observed Fri, weekend: Mon 6 Jul 10:00.
    "New York over Independence Day": (NEW_YORK, new_york(2026, 7, 2, 16), 2 * H, new_york(2026, 7, 6, 10)),
    # Round the clock: Sat 28 Mar 12:00 CET (11:00Z) + 24 h of real time = 11:00Z on Sunday (13:00 CEST).
    "round the clock over the clock change": (
        BERLIN_ALWAYS,
        berlin(2026, 3, 28, 12),
        24 * H,
        utc(2026, 3, 29, 11),
    ),
    # Thu 31 Dec 16:00 + 2 h → 1 h on Thu, New Year (Fri), weekend, Mon 4 Jan 2027 10:00.
    "across a year's end": (BERLIN, berlin(2026, 12, 31, 16), 2 * H, berlin(2027, 1, 4, 10)),
    # Mon 12 Jan 09:00 + 120 h = 15 working days: 12–16, 19–23, 26–30 Jan; Fri 30 Jan 17:00.
    "three working weeks": (BERLIN, berlin(2026, 1, 12, 9), 120 * H, berlin(2026, 1, 30, 17)),
    # 90 seconds from 09:00.
    "seconds": (BERLIN, berlin(2026, 1, 12, 9), 90, berlin(2026, 1, 12, 9, 1, 30)),
    # Fractions are kept: 1.5 s.
    "a fraction of a second": (BERLIN, berlin(2026, 1, 12, 9), 1.5, berlin(2026, 1, 12, 9, 0, 1, 500_000)),
}


@pytest.mark.parametrize(
    ("schedule", "start", "seconds", "expected"), list(DEADLINE_CASES.values()), ids=list(DEADLINE_CASES)
)
def test_business_deadline(schedule, start, seconds, expected):
    deadline = business_deadline(schedule, start, seconds)

    assert deadline == expected
    assert deadline.tzinfo is UTC


MONDAY_9 = berlin(2026, 1, 12, 9)

DEADLINE_PAUSE_CASES = {
    # Mon 09:00 + 4 h with 10–11 paused → 14:00.
    "a pause pushes it on": ([(berlin(2026, 1, 12, 10), berlin(2026, 1, 12, 11))], berlin(2026, 1, 12, 14)),
    # Paused 07:00–10:00: the clock starts at 10:00 → 14:00.
    "a pause reaching back before the start": (
        [(berlin(2026, 1, 12, 7), berlin(2026, 1, 12, 10))],
        berlin(2026, 1, 12, 14),
    ),
    # 10–11 and 10:30–12 overlap: 10–12 paused → 15:00.
    "overlapping pauses": (
        [
            (berlin(2026, 1, 12, 10), berlin(2026, 1, 12, 11)),
            (berlin(2026, 1, 12, 10, 30), berlin(2026, 1, 12, 12)),
        ],
        berlin(2026, 1, 12, 15),
    ),
    # Pauses before the start change nothing: 13:00.
    "a pause before the start": ([(berlin(2026, 1, 9, 10), berlin(2026, 1, 9, 12))], berlin(2026, 1, 12, 13)),
    # Still paused from 15:00 on: the 4 h are used up at 13:00 before that.
    "an open pause after the deadline": ([(berlin(2026, 1, 12, 15), None)], berlin(2026, 1, 12, 13)),
    # Still paused from exactly 13:00: used up at 13:00 all the same.
    "an open pause at the deadline": ([(berlin(2026, 1, 12, 13), None)], berlin(2026, 1, 12, 13)),
    # Still paused from 11:00: the clock holds, no deadline.
    "an open pause before the deadline": ([(berlin(2026, 1, 12, 11), None)], None),
}


@pytest.mark.parametrize(
    ("pauses", "expected"), list(DEADLINE_PAUSE_CASES.values()), ids=list(DEADLINE_PAUSE_CASES)
)
def test_business_deadline_with_pauses(pauses, expected):
    assert business_deadline(BERLIN, MONDAY_9, 4 * H, pauses=pauses) == expected


def test_a_calendar_without_hours_has_no_deadline():
    closed = BusinessSchedule(zone=BERLIN_ZONE, week={})

    with pytest.raises(ValueError, match="no business hours"):
        business_deadline(closed, MONDAY_9, H)


@pytest.mark.parametrize("seconds", [-1, "3600", None, True])
def test_business_deadline_refuses_what_is_not_an_amount_of_time(seconds):
    with pytest.raises(ValueError):
        business_deadline(BERLIN, MONDAY_9, seconds)


def test_business_deadline_refuses_a_naive_start():
    with pytest.raises(ValueError, match="time zone"):
        business_deadline(BERLIN, datetime(2026, 1, 12, 9), H)


def test_a_calendar_closed_for_years_gives_up_rather_than_searching_forever():
    # Round the clock but every day of 2026–2037 closed: no business time within ten years.
    closures = {date(2026, 1, 1) + timedelta(days=offset): "Closed" for offset in range(12 * 366)}
    schedule = BusinessSchedule(zone=BERLIN_ZONE, round_the_clock=True, closures=closures)

    with pytest.raises(ValueError, match="no business time for ten years"):
        business_deadline(schedule, berlin(2026, 1, 1), H)


def test_the_ends_of_the_calendar_are_an_error_not_a_crash():
    with pytest.raises(ValueError, match="beyond the dates"):
        business_seconds(BERLIN, utc(9999, 12, 1), utc(9999, 12, 31, 23))
    with pytest.raises(ValueError, match="beyond the dates"):
        business_deadline(BERLIN, utc(9999, 12, 1), 10_000 * H)
    with pytest.raises(ValueError, match="beyond the dates"):
        is_business_time(BERLIN, utc(1, 1, 1))


def test_long_horizons_are_quick():
    # Ten years of office hours (about 20,000 h) forward and back, well within a second each.
    begun = clock.perf_counter()
    deadline = business_deadline(BERLIN, berlin(2026, 1, 1), 20_000 * H)
    elapsed = business_seconds(BERLIN, berlin(2026, 1, 1), deadline)

    assert elapsed == 20_000 * H
    assert deadline.year == 2035
    assert clock.perf_counter() - begun < 2


# --- is_business_time -----------------------------------------------------------------------------

MOMENT_CASES = {
    "at opening": (BERLIN, berlin(2026, 1, 12, 9), True),
    "a second before opening": (BERLIN, berlin(2026, 1, 12, 8, 59, 59), False),
    "a second before closing": (BERLIN, berlin(2026, 1, 12, 16, 59, 59), True),
    "at closing": (BERLIN, berlin(2026, 1, 12, 17), False),
    "on Saturday": (BERLIN, berlin(2026, 1, 17, 12), False),
    "on Good Friday": (BERLIN, berlin(2026, 4, 3, 12), False),
    "on Good Friday, holidays not stopping": (BERLIN_NO_STOP, berlin(2026, 4, 3, 12), True),
    "on a closure": (BERLIN_CLOSED, berlin(2026, 1, 19, 12), False),
    "at lunch": (BERLIN_SPLIT, berlin(2026, 1, 12, 12, 30), False),
    "round the clock, Sunday night": (BERLIN_ALWAYS, berlin(2026, 1, 18, 3), True),
    # 15:00Z is 10:00 in New York in winter, 16:00 in Berlin.
    "New York mid-morning": (NEW_YORK, utc(2026, 1, 12, 15), True),
    # 23:30 on Sunday night of the last stretch: a whole-day calendar runs to midnight.
    "the day's last minutes": (BERLIN_WHOLE_DAYS, berlin(2026, 1, 18, 23, 59, 30), True),
}


@pytest.mark.parametrize(
    ("schedule", "moment", "expected"), list(MOMENT_CASES.values()), ids=list(MOMENT_CASES)
)
def test_is_business_time(schedule, moment, expected):
    assert is_business_time(schedule, moment) is expected


# --- holidays_between -----------------------------------------------------------------------------


def test_holidays_between_lists_public_holidays_and_closures_by_date():
    schedule = BusinessSchedule(
        zone=BERLIN_ZONE, week=OFFICE, country="DE", closures={date(2026, 12, 24): "Company day off"}
    )

    assert holidays_between(schedule, date(2026, 12, 1), date(2027, 1, 10)) == [
        (date(2026, 12, 24), "Company day off", CLOSURE),
        (date(2026, 12, 25), "Christmas Day", HOLIDAY),
        (date(2026, 12, 26), "Second Day of Christmas", HOLIDAY),
        (date(2027, 1, 1), "New Year's Day", HOLIDAY),
    ]


def test_holidays_between_follows_the_subdivision():
    # Epiphany (6 Jan) is a holiday in Bavaria, not in Berlin.
    days = [day for day, _, _ in holidays_between(BERLIN_BAVARIA, date(2026, 1, 1), date(2026, 1, 31))]

    assert days == [date(2026, 1, 1), date(2026, 1, 6)]


def test_without_a_country_only_closures_are_listed():
    schedule = BusinessSchedule(
        zone=BERLIN_ZONE, week=OFFICE, closures={date(2026, 12, 24): "Company day off"}
    )

    assert holidays_between(schedule, date(2026, 12, 1), date(2026, 12, 31)) == [
        (date(2026, 12, 24), "Company day off", CLOSURE)
    ]


# --- properties over many random cases ------------------------------------------------------------

PROPERTY_SCHEDULES = [
    BERLIN,
    BERLIN_SPLIT,
    BERLIN_CLOSED,
    BERLIN_ALWAYS_BUT_HOLIDAYS,
    BERLIN_SEVEN_DAYS,
    BERLIN_WHOLE_DAYS,
    NEW_YORK,
    BusinessSchedule(
        zone=ZoneInfo("Asia/Kolkata"),
        week=weekdays(((9, 30), (13,)), ((14,), (18, 30)), days=range(6)),
        country="IN",
    ),
    BusinessSchedule(
        zone=ZoneInfo("Australia/Sydney"), week=weekdays(((7,), (23, 59, 59)), days=range(7)), country="AU"
    ),
]
# Days around clock changes, holidays and a year's end, where mistakes would show.
TRICKY_DAYS = [
    date(2026, 3, 7),
    date(2026, 3, 27),
    date(2026, 4, 1),
    date(2026, 4, 3),
    date(2026, 7, 2),
    date(2026, 10, 23),
    date(2026, 10, 31),
    date(2026, 12, 23),
    date(2026, 12, 30),
]


def _random_moment(rng: random.Random) -> datetime:
    if rng.random() < 0.5:
        day = rng.choice(TRICKY_DAYS)
    else:
        day = date(2026, 1, 1) + timedelta(days=rng.randrange(700))
    return utc(day.year, day.month, day.day) + timedelta(seconds=rng.randrange(86400))


def _random_cases(count: int, seed: int, max_days: int):
    rng = random.Random(seed)
    for _ in range(count):
        schedule = rng.choice(PROPERTY_SCHEDULES)
        start = _random_moment(rng)
        yield schedule, start, start + timedelta(seconds=rng.randrange(max_days * 86400))


@pytest.mark.parametrize("seed", range(4))
def test_the_deadline_of_the_elapsed_time_is_the_moment_it_elapsed(seed):
    """deadline(start, seconds(start, x)) is x whenever the clock was running just before x, and is
    never later than x otherwise (the last moment the clock ran before x)."""
    for schedule, start, moment in _random_cases(150, seed, max_days=30):
        elapsed = business_seconds(schedule, start, moment)
        deadline = business_deadline(schedule, start, elapsed)

        assert business_seconds(schedule, start, deadline) == elapsed
        assert deadline <= moment
        if elapsed and is_business_time(schedule, moment - timedelta(seconds=1)):
            assert deadline == moment, (schedule, start, moment)


@pytest.mark.parametrize("seed", range(2))
def test_business_time_adds_up(seed):
    rng = random.Random(100 + seed)
    for schedule, start, end in _random_cases(150, 200 + seed, max_days=40):
        middle = start + (end - start) * rng.random()
        middle = middle.replace(microsecond=0)

        assert business_seconds(schedule, start, end) == business_seconds(
            schedule, start, middle
        ) + business_seconds(schedule, middle, end)


@pytest.mark.parametrize("seed", range(2))
def test_pauses_only_ever_take_time_away(seed):
    rng = random.Random(300 + seed)
    for schedule, start, end in _random_cases(100, 400 + seed, max_days=10):
        pauses = []
        for _ in range(rng.randrange(1, 4)):
            pause_start = start + (end - start) * rng.uniform(-0.2, 1.2)
            pause_end = None if rng.random() < 0.2 else pause_start + (end - start) * rng.uniform(0, 0.5)
            pauses.append((pause_start, pause_end))
        paused = business_seconds(schedule, start, end, pauses=pauses)

        assert 0 <= paused <= business_seconds(schedule, start, end)


def _minute_by_minute(schedule: BusinessSchedule, start: datetime, end: datetime) -> int:
    """An independent count: every minute whose local wall-clock time lies in one of its weekday's
    stretches, on a local day that is neither a holiday nor a closure, is 60 business seconds."""
    closed = dict(schedule.closures)
    known: dict[int, holidays.HolidayBase] = {}
    total = 0
    minute = start
    while minute < end:
        local = minute.astimezone(schedule.zone)
        day = local.date()
        if day.year not in known:
            known[day.year] = (
                holidays.country_holidays(schedule.country, years=day.year) if schedule.country else {}
            )
        off = schedule.holidays_stop_clock and (day in closed or day in known[day.year])
        wall = local.time().replace(tzinfo=None)
        if not off and any(
            start_at <= wall and (end_at >= END_OF_DAY or wall < end_at)
            for start_at, end_at in schedule.week[day.weekday()]
        ):
            total += 60
        minute += timedelta(minutes=1)
    return total


@pytest.mark.parametrize("seed", range(3))
def test_it_agrees_with_counting_minute_by_minute(seed):
    """Stretches here start and end outside 01:00–03:00, the hours the clocks change in: there "the
    minutes whose wall-clock time lies in the stretch" would count a repeated hour twice."""
    rng = random.Random(500 + seed)
    for _ in range(12):
        stretches = sorted(rng.sample(range(8, 46), 4))  # half hours from 04:00 to 23:00
        week = {
            day: [
                (
                    time(stretches[0] // 2, 30 * (stretches[0] % 2)),
                    time(stretches[1] // 2, 30 * (stretches[1] % 2)),
                ),
                (
                    time(stretches[2] // 2, 30 * (stretches[2] % 2)),
                    time(stretches[3] // 2, 30 * (stretches[3] % 2)),
                ),
            ]
            for day in rng.sample(range(7), rng.randrange(1, 8))
        }
        zone = rng.choice([BERLIN_ZONE, NEW_YORK_ZONE, ZoneInfo("Australia/Sydney")])
        schedule = BusinessSchedule(
            zone=zone,
            week=week,
            country=rng.choice(["DE", "US", "AU", ""]),
            closures={rng.choice(TRICKY_DAYS): "Closed"},
        )
        day = rng.choice(TRICKY_DAYS)
        start = utc(day.year, day.month, day.day) + timedelta(minutes=rng.randrange(1440))
        end = start + timedelta(minutes=rng.randrange(4 * 1440))

        assert business_seconds(schedule, start, end) == _minute_by_minute(schedule, start, end), (
            week,
            zone,
            start,
            end,
        )


# --- schedule_for and duration_label --------------------------------------------------------------


@pytest.mark.django_db
def test_without_a_calendar_the_clock_runs_round_the_clock_in_the_site_zone(settings):
    schedule = schedule_for(None)

    assert schedule.zone == ZoneInfo(settings.TIME_ZONE)
    # Real time, holidays included: Christmas Day is 24 h.
    assert business_seconds(schedule, utc(2026, 12, 25), utc(2026, 12, 26)) == 24 * H


@pytest.mark.django_db
def test_schedule_for_loads_hours_and_closures_in_two_queries(django_assert_num_queries):
    calendar = BusinessCalendarFactory(time_zone="Europe/Berlin", country="DE", office_hours=True)
    BusinessHoursFactory(calendar=calendar, weekday=5, starts_at=time(10), ends_at=END_OF_DAY)
    CalendarClosureFactory(calendar=calendar, date=date(2026, 1, 19), name="Company day off")

    with django_assert_num_queries(2):
        schedule = schedule_for(calendar)

    # Fri 16 Jan 09:00 → Mon 20 Jan 10:00: Fri 8 h, Sat 10:00–24:00 14 h, Mon closed, Tue 1 h.
    assert business_seconds(schedule, berlin(2026, 1, 16, 9), berlin(2026, 1, 20, 10)) == 23 * H


@pytest.mark.django_db
def test_schedule_for_reads_a_prefetched_calendar_without_queries(django_assert_num_queries):
    from agreements.models import BusinessCalendar

    BusinessCalendarFactory(name="Office", office_hours=True)
    calendar = BusinessCalendar.objects.prefetch_related("hours", "closures").get(name="Office")

    with django_assert_num_queries(0):
        schedule = schedule_for(calendar)

    assert schedule.weekly_seconds() == 40 * H


@pytest.mark.django_db
def test_a_round_the_clock_calendar_needs_no_hours_query(django_assert_num_queries):
    calendar = BusinessCalendarFactory(round_the_clock=True, country="")

    with django_assert_num_queries(1):
        schedule = schedule_for(calendar)

    assert schedule.never_stops


@pytest.mark.parametrize(
    ("seconds", "label"),
    [
        (0, "0 min"),
        (59, "0 min"),
        (45 * 60, "45 min"),
        (2 * H, "2 h"),
        (5.5 * H, "5 h 30 min"),
        (1234 * H, "1,234 h"),
    ],
)
def test_duration_label(seconds, label):
    assert duration_label(seconds) == label
