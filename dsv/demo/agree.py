"""Demo data of Agree: Larkfield's business-hours calendars and the agreements with the demo consumers,
their service level targets, a year of measurements and the compliance the engine makes of them.

- **Calendars.** Office hours in Berlin (with the company's own closures on 24 and 31 December), UK
  business hours, Luxembourg branch hours, US Eastern support hours for a trading floor that follows
  New York, and a round-the-clock calendar for availability, which no holiday stops.
- **Agreements.** Sixteen, for every consumer past Offer, in every status: ten active, two being
  negotiated (Saltmarsh's tender contract, and Peregrine's claims workplace, which went back to draft
  once when their new sponsor asked for the business case to be reworked), one draft (Rovena's
  kiosks), one agreed and waiting for its start date (Meridian's new Kiel depot), one expired
  (Rovena's summer standby engineer) and one terminated (Brenna's network refresh, when their new
  parent group took every site to its own provider). The kinds follow each account's relationship
  type, all but one: Peregrine, a basic relationship, is negotiating a bespoke contract, and the page
  says so. The older agreements have quarterly reviews on record; Skyport's next review is overdue.
- **Targets and measurements.** Three to six targets per active agreement, of all four kinds, monthly
  and quarterly, some on business-hours request clocks. Values come daily or weekly from the
  monitoring API, some by hand with a note (recovery tests, ward surveys), some imported (survey
  exports), two excluded because the consumer's own firewall change blocked the monitoring.
- **What the dashboard shows.** Most agreements are healthy. Harbourview and Cobalt are at risk this
  month: clinicians' sign-in time and branch staff satisfaction have been slipping since the end of
  last month. Velmont breached last month: a seven-hour portal outage on the 12th. Skyport breaches
  this month although every warranty target is green: ramp staff rate their tablets far below the
  agreed score (a watermelon: green outside, red inside), and their review, which should have caught
  it, is overdue. Meridian's turnaround outcome missed its first quarter, then the new dock
  scheduling took hold.

Deterministic: one `random.Random(2026)`, only dates move with `now`. Written with the ORM, history rows
dated when the story says; every record passes the model's own validation first. The scores, scorecards
and breaches come from the compliance engine, run at the end; the breaches it finds are marked as
already notified, so starting the demo e-mails nobody about the past. `seed_agree` starts with
`reset_agree`, so seeding twice leaves the same data.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from agreements.models import (
    Aggregation,
    AgreeEventType,
    Agreement,
    AgreementForm,
    AgreementKind,
    AgreementReview,
    AgreementStatus,
    Breach,
    BusinessCalendar,
    BusinessHours,
    CalendarClosure,
    ClockKind,
    Comparator,
    Measurement,
    MeasurementPeriod,
    MeasurementSource,
    ReviewCadence,
    ReviewOutcome,
    Scorecard,
    ServiceLevelTarget,
    TargetKind,
    WarrantyAspect,
)
from agreements.periods import add_periods, period_start_at, zone_named
from agreements.selectors.agreements import REVIEW_SOON_DAYS
from agreements.services.agreements import add_months
from agreements.services.compliance import compliance_recompute
from dsv.demo.offer import (
    APP_HOSTING,
    BRANCH,
    BRENNA,
    CLINICAL,
    COBALT,
    DEPOT_FIELD,
    ESSENTIALS,
    GATEWAYS,
    HARBOURVIEW,
    JOURNEYS,
    KIOSK_CARE,
    LINDQVIST,
    MERIDIAN,
    NETWORK_REFRESH,
    PEREGRINE,
    ROUND_THE_CLOCK,
    ROVENA,
    RUGGED,
    SALTMARSH,
    SERVICES,
    SKYPORT,
    VELMONT,
)
from journeys.models import JourneyEvent, Organization, Stakeholder
from offerings.models import ServiceOffering

SEED = 2026
MEASURED_MONTHS = 12  # the measurements of the last twelve months, this one included

DRAFT, NEGOTIATING, AGREED, ACTIVE, EXPIRED, TERMINATED = AgreementStatus
OBLIGATION, AGREEMENT, PROMISE, SOCIAL = AgreementForm
STANDARD, SLA, XLA, OUTCOME_BASED, BESPOKE = AgreementKind
UTILITY, WARRANTY, EXPERIENCE, OUTCOME = TargetKind
MONTH, QUARTER = MeasurementPeriod
GTE, LTE = Comparator.GTE, Comparator.LTE
AVERAGE, MAXIMUM, SUM = Aggregation.AVERAGE, Aggregation.MAXIMUM, Aggregation.SUM
API, MANUAL, IMPORT = MeasurementSource.API, MeasurementSource.MANUAL, MeasurementSource.IMPORT
CONTINUE, RENEGOTIATE = ReviewOutcome.CONTINUE, ReviewOutcome.RENEGOTIATE


# --- business-hours calendars ---------------------------------------------------------------------

BERLIN = "Office hours Berlin"
UK = "UK business hours"
AROUND = "Round the clock"
US_EAST = "US Eastern support hours"
LUXEMBOURG = "Luxembourg branch hours"


@dataclass(frozen=True)
class CalendarPlan:
    name: str
    description: str
    time_zone: str
    country: str = ""
    subdivision: str = ""
    hours: tuple[tuple[int, time, time], ...] = ()  # (weekday, from, to)
    round_the_clock: bool = False
    holidays_stop_clock: bool = True
    closures: tuple[tuple[int, int, str], ...] = ()  # (month, day, name), every year


def _weekdays(starts: time, ends: time) -> tuple[tuple[int, time, time], ...]:
    return tuple((weekday, starts, ends) for weekday in range(5))


CALENDARS: tuple[CalendarPlan, ...] = (
    CalendarPlan(
        BERLIN,
        "Our German desk team's hours. Berlin's public holidays stop the clock, and so do the two days "
        "the office closes every year.",
        "Europe/Berlin",
        "DE",
        "BE",
        hours=_weekdays(time(8), time(18)),
        closures=((12, 24, "Office closed: Christmas Eve"), (12, 31, "Office closed: New Year's Eve")),
    ),
    CalendarPlan(
        UK,
        "Working hours for consumers in England: bank holidays stop the clock.",
        "Europe/London",
        "GB",
        "ENG",
        hours=_weekdays(time(9), time(17, 30)),
    ),
    CalendarPlan(
        LUXEMBOURG,
        "The bank branches' opening hours, with Luxembourg's public holidays.",
        "Europe/Luxembourg",
        "LU",
        hours=_weekdays(time(8), time(17, 30)),
    ),
    CalendarPlan(
        US_EAST,
        "For consumers whose people work to New York hours: long weekdays and Saturday mornings, US "
        "federal holidays off.",
        "America/New_York",
        "US",
        hours=(*_weekdays(time(8), time(20)), (5, time(9), time(13))),
    ),
    CalendarPlan(
        AROUND,
        "Every hour of every day, holidays included: for availability and for services run around the clock.",
        "UTC",
        round_the_clock=True,
        holidays_stop_clock=False,
    ),
)


# --- how a target was measured --------------------------------------------------------------------


@dataclass(frozen=True)
class Series:
    """The values a target received. `every` is day, week, month (at its end), quarter (mid-quarter) or
    request (a request clock: each request scores 100 when within the limit, 0 when not)."""

    every: str
    level: float = 0.0  # the usual value
    spread: float = 0.0  # how much it wanders from one value to the next
    decimals: int = 2
    low: float | None = None
    high: float | None = None
    source: MeasurementSource = API
    start_level: float | None = None  # where the first value stood; it reaches `level` in `settle_days`
    settle_days: int = 0
    drift_to: float | None = None  # slipping since the last days of last month, to this value
    outage: float | None = None  # the value on the 12th of last month
    weekday: int = 0  # for weekly values
    requests: tuple[int, int] = (2, 6)  # requests a working day
    miss_every: int = 0  # request clocks: one request in so many misses its limit
    notes: tuple[str, ...] = ()  # for values entered by hand, in turn
    excluded: tuple[tuple[int, int, float, str], ...] = ()  # (months from now, day, value, note)


FIREWALL = "Consumer changed firewall rules; the monitoring could not reach the service. Not counted."


@dataclass(frozen=True)
class TargetPlan:
    name: str
    kind: TargetKind
    metric: str
    unit: str
    comparator: Comparator
    target: str
    warning: str | None = None
    series: Series | None = None  # None: not measured yet
    aspect: WarrantyAspect | str = ""
    period: MeasurementPeriod = MONTH
    aggregation: Aggregation = AVERAGE
    calendar: str | None = None
    baseline: str | None = None
    clock: ClockKind | str = ""
    clock_limit: str | None = None


def _availability(what: str, series: Series | None = None) -> TargetPlan:
    return TargetPlan(
        f"Availability of {what}",
        WARRANTY,
        "% of the month it answered the health check",
        "%",
        GTE,
        "99.5",
        "99.7",
        series,
        aspect=WarrantyAspect.AVAILABILITY,
        calendar=AROUND,
    )


def _response(calendar: str, series: Series | None = None, hours: str = "1", name: str = "") -> TargetPlan:
    label = "1 business hour" if hours == "1" else f"{hours} business hours"
    return TargetPlan(
        name or f"Requests answered within {label}",
        WARRANTY,
        f"% of requests with a first response within {label}",
        "%",
        GTE,
        "95",
        "97",
        series,
        aspect=WarrantyAspect.PERFORMANCE,
        calendar=calendar,
        clock=ClockKind.RESPONSE,
        clock_limit=hours,
    )


def _resolution(calendar: str, series: Series | None = None, hours: str = "8") -> TargetPlan:
    return TargetPlan(
        f"Requests resolved within {hours} business hours",
        WARRANTY,
        f"% of requests resolved within {hours} business hours",
        "%",
        GTE,
        "90",
        "93",
        series,
        aspect=WarrantyAspect.PERFORMANCE,
        calendar=calendar,
        clock=ClockKind.RESOLUTION,
        clock_limit=hours,
    )


def _restore(what: str, series: Series | None = None) -> TargetPlan:
    return TargetPlan(
        f"Restore time of {what} in the quarterly recovery test",
        WARRANTY,
        "Hours from the start of the test until users could work again",
        "hours",
        LTE,
        "4",
        "3",
        series,
        aspect=WarrantyAspect.CONTINUITY,
        period=QUARTER,
        aggregation=MAXIMUM,
        calendar=AROUND,
    )


def _security(name: str, metric: str) -> TargetPlan:
    # Zero allowed: a warning threshold would have to lie below zero, so there is none.
    return TargetPlan(
        name,
        WARRANTY,
        metric,
        "incidents",
        LTE,
        "0",
        None,
        Series("week", 0, 0, decimals=0),
        aspect=WarrantyAspect.SECURITY,
        aggregation=SUM,
    )


def _satisfaction(who: str, series: Series | None = None, *, target="4.2", warning="4.4") -> TargetPlan:
    return TargetPlan(
        f"{who} satisfaction",
        EXPERIENCE,
        "Average score of the satisfaction pulse, 1 (poor) to 5 (excellent)",
        "of 5",
        GTE,
        target,
        warning,
        series,
    )


def _p95(what: str, series: Series | None = None) -> TargetPlan:
    return TargetPlan(
        f"Response time of {what}",
        WARRANTY,
        "95th percentile of the day's page and API response times",
        "ms",
        LTE,
        "800",
        "650",
        series,
        aspect=WarrantyAspect.PERFORMANCE,
    )


RESTORE_NOTES = (
    "Restore test with their IT lead watching; the runbook held.",
    "Restored from the overnight backup to the standby site; one step of the runbook reordered.",
    "Full restore test. Took longer waiting for the consumer's approver than for the restore itself.",
    "Restore test during the planned maintenance window; report sent to both service owners.",
)


# --- agreements -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewPlan:
    months_ago: int  # the month it was held in, counted back from this one
    day: int
    summary: str
    outcome: ReviewOutcome = CONTINUE


@dataclass(frozen=True)
class AgreementPlan:
    account: str
    title: str
    reference: str
    form: AgreementForm
    kind: AgreementKind
    status: AgreementStatus
    offerings: tuple[str, ...]
    scope: str
    responsibilities: str
    # The steps before it went live, (status, days before the start) for one that went live; (status,
    # days ago) for one that has not started.
    steps: tuple[tuple[AgreementStatus, int], ...]
    starts: int | None  # the month it starts, counted from this one (negative: in the past)
    term_months: int | None
    review_cadence: ReviewCadence
    targets: tuple[TargetPlan, ...]
    reviews: tuple[ReviewPlan, ...] = ()
    ended_days_ago: int | None = None  # terminated
    termination_reason: str = ""
    external_id: str = ""
    summer: bool = False  # runs June to September of the last summer that is over


AGREEMENTS: tuple[AgreementPlan, ...] = (
    AgreementPlan(
        ROVENA,
        "Branch IT and fleet telematics experience agreement",
        "LMS-ROV-2026-01",
        AGREEMENT,
        XLA,
        ACTIVE,
        (ROUND_THE_CLOCK, DEPOT_FIELD),
        "Check-in terminals, key-drop kiosks and back-office PCs at the Lisbon airport, Porto and Faro "
        "branches and at head office; the fleet telematics feed into the reservation system; the desk "
        "around the clock in Portuguese and English.",
        "Tell us about new branches eight weeks before they open. Keep the branch network equipment in "
        "the state our survey found it. Send branch staff the monthly satisfaction pulse and let us see "
        "the answers.",
        steps=((DRAFT, 70), (NEGOTIATING, 56), (AGREED, 24)),
        starts=-10,
        term_months=36,
        review_cadence=ReviewCadence.QUARTERLY,
        external_id="CRM-AGR-10481",
        targets=(
            _availability(
                "the reservation system and check-in terminals", Series("day", 99.93, 0.06, high=100)
            ),
            _p95("the check-in terminals", Series("day", 480, 45, decimals=0, low=200)),
            TargetPlan(
                "Rentals checked out without an IT delay",
                UTILITY,
                "% of rentals handed over without waiting on a terminal, kiosk or the telematics feed",
                "%",
                GTE,
                "98",
                "98.8",
                Series("day", 99.4, 0.25, high=100),
            ),
            _satisfaction(
                "Branch staff",
                Series("week", 4.6, 0.1, low=1, high=5, source=IMPORT, weekday=4),
            ),
            _response(AROUND, Series("request", requests=(2, 5), miss_every=70)),
        ),
        reviews=(
            ReviewPlan(
                8,
                14,
                "First quarter live. Availability and check-in times well inside target; branch staff "
                "scores high from the start. Agreed to add the Faro branch kiosks in the spring.",
            ),
            ReviewPlan(
                5,
                12,
                "Peak season ahead: walked through the summer cover and the standby engineer. Every "
                "target met; nothing to change.",
            ),
            ReviewPlan(
                2,
                9,
                "Summer went through without a missed target. They asked for the telematics feed's "
                "delays to be reported separately next time.",
            ),
        ),
    ),
    AgreementPlan(
        ROVENA,
        "Summer standby engineer",
        "LMS-ROV-SUMMER",
        PROMISE,
        OUTCOME_BASED,
        EXPIRED,
        (DEPOT_FIELD,),
        "One engineer on standby for the Lisbon airport, Porto and Faro branches from June to "
        "September, seven days a week from 07:00 to 23:00.",
        "Keep a desk and a parking space free for the engineer at the airport branch; call the desk, "
        "not the engineer's phone, so every call-out is logged.",
        steps=((DRAFT, 75), (NEGOTIATING, 62), (AGREED, 52)),
        starts=None,
        term_months=4,
        review_cadence=ReviewCadence.ON_DEMAND,
        summer=True,
        targets=(
            TargetPlan(
                "Rentals delayed by IT during the peak season",
                OUTCOME,
                "% of rentals handed over late because of a terminal, kiosk or network fault",
                "%",
                LTE,
                "1",
                "0.8",
                Series("day", 0.45, 0.15, low=0),
                baseline="2.4",
            ),
            TargetPlan(
                "Engineer on site within two hours of a call-out",
                WARRANTY,
                "% of call-outs with the engineer at the branch within two hours",
                "%",
                GTE,
                "90",
                "95",
                Series(
                    "week",
                    100,
                    0,
                    decimals=0,
                    weekday=5,
                    source=MANUAL,
                    notes=(
                        "Faro, cash desk PC would not start; swapped from the van.",
                        "Airport branch, key-drop kiosk jammed; fixed on site.",
                        "Porto, check-in terminal lost its network; switch port replaced.",
                    ),
                ),
                aspect=WarrantyAspect.OTHER,
            ),
            _satisfaction(
                "Branch managers'",
                Series(
                    "month", 4.6, 0.12, low=1, high=5, source=MANUAL, notes=("Asked at the weekly call.",)
                ),
                target="4",
                warning="4.3",
            ),
        ),
    ),
    AgreementPlan(
        ROVENA,
        "Self-service kiosk care",
        "LMS-ROV-2027-02",
        AGREEMENT,
        XLA,
        DRAFT,
        (KIOSK_CARE,),
        "Pickup kiosks at the Lisbon airport and city branches: the kiosks, their software updates, "
        "swaps from site stock and the desk for customers stuck at a kiosk.",
        "Power and network at every kiosk; a branch employee within reach during opening hours.",
        steps=((DRAFT, 9),),
        starts=4,
        term_months=24,
        review_cadence=ReviewCadence.QUARTERLY,
        targets=(
            _availability("the pickup kiosks during branch opening hours"),
            TargetPlan(
                "Pickups finished at the kiosk without help",
                EXPERIENCE,
                "% of started kiosk pickups finished without calling staff",
                "%",
                GTE,
                "90",
                "93",
            ),
        ),
    ),
    AgreementPlan(
        MERIDIAN,
        "Warehouse and depot IT outcome agreement",
        "LMS-MER-2025-04",
        AGREEMENT,
        OUTCOME_BASED,
        ACTIVE,
        (ROUND_THE_CLOCK, DEPOT_FIELD),
        "Yard management, warehouse scanners, depot Wi-Fi and driver tablets at the Hamburg hub and the "
        "Bremen, Hanover and Kiel depots; the desk around the clock; engineers at the depots in German "
        "office hours.",
        "Share the depot automation roadmap every quarter. Keep dock scheduling in the yard system so "
        "the turnaround figures are real. Fund half of every improvement both sides agree on.",
        steps=((DRAFT, 60), (NEGOTIATING, 45), (AGREED, 21)),
        starts=-13,
        term_months=36,
        review_cadence=ReviewCadence.QUARTERLY,
        external_id="CRM-AGR-10212",
        targets=(
            _availability("the yard management system", Series("day", 99.95, 0.04, high=100)),
            _restore(
                "the yard management system",
                Series("quarter", 2.6, 0.4, low=1, source=MANUAL, notes=RESTORE_NOTES),
            ),
            _security("Security incidents affecting the depots", "Confirmed incidents on depot systems"),
            TargetPlan(
                "Average truck turnaround at the Hamburg hub",
                OUTCOME,
                "Minutes from gate in to gate out, averaged over the quarter",
                "minutes",
                LTE,
                "35",
                "32",
                Series("week", 30.5, 1.0, decimals=1, start_level=42, settle_days=100, weekday=0),
                period=QUARTER,
                baseline="52",
            ),
            _response(BERLIN, Series("request", requests=(2, 6), miss_every=60)),
            _resolution(BERLIN, Series("request", requests=(2, 5), miss_every=25)),
        ),
        reviews=(
            ReviewPlan(
                8,
                6,
                "Turnaround came down to 36 minutes but missed the first quarter's target; dock "
                "scheduling now runs in the yard system at every depot. Warranty targets all met.",
                RENEGOTIATE,
            ),
            ReviewPlan(
                5,
                4,
                "Turnaround well under target since the scheduling change. Agreed on the Kiel depot, "
                "to be added under its own agreement.",
            ),
            ReviewPlan(
                2,
                3,
                "Every target met for the quarter. Raised the idea of a joint warehouse analytics "
                "service; their sponsor will bring it to the board.",
            ),
        ),
    ),
    AgreementPlan(
        MERIDIAN,
        "Kiel depot field engineering",
        "LMS-MER-2027-01",
        OBLIGATION,
        XLA,
        AGREED,
        (DEPOT_FIELD,),
        "Installs, moves and repairs of scanners, tablets and network equipment at the new Kiel depot.",
        "Depot supervisors rate each visit in the work-order app; the depot keeps the agreed spares "
        "cupboard locked and stocked.",
        steps=((DRAFT, 110), (NEGOTIATING, 92), (AGREED, 75)),
        starts=1,
        term_months=24,
        review_cadence=ReviewCadence.QUARTERLY,
        targets=(
            _resolution(BERLIN, hours="4"),
            _satisfaction("Depot supervisors'"),
            TargetPlan(
                "Faults fixed at the first visit",
                UTILITY,
                "% of engineer visits that closed the fault without a second one",
                "%",
                GTE,
                "85",
                "90",
            ),
        ),
    ),
    AgreementPlan(
        SKYPORT,
        "Ramp tablets experience agreement",
        "LMS-SKY-2026-01",
        AGREEMENT,
        XLA,
        ACTIVE,
        (RUGGED,),
        "Rugged tablets and their management for ramp staff at Málaga and Alicante airports and the "
        "Seville station, with swaps from site stock and the ramp app's connection to the planning "
        "board.",
        "Ramp supervisors answer the in-app pulse at the end of each shift. Damaged tablets come back "
        "to the site stock room, not the lost-and-found.",
        steps=((DRAFT, 55), (NEGOTIATING, 40), (AGREED, 18)),
        starts=-8,
        term_months=24,
        review_cadence=ReviewCadence.QUARTERLY,
        external_id="CRM-AGR-10877",
        targets=(
            _availability("the ramp tablet fleet", Series("day", 99.9, 0.05, high=100)),
            _p95("the ramp app", Series("day", 520, 40, decimals=0, low=200)),
            _security(
                "Lost tablets not wiped within the hour",
                "Lost or stolen tablets still holding data an hour later",
            ),
            _satisfaction(
                "Ramp staff",
                Series("day", 4.5, 0.12, low=1, high=5, drift_to=3.75),
            ),
            TargetPlan(
                "Turnaround checklists abandoned unfinished",
                EXPERIENCE,
                "% of turnaround checklists started on a tablet and never finished",
                "%",
                LTE,
                "5",
                "4",
                Series("day", 2.6, 0.35, low=0, drift_to=4.5),
            ),
        ),
        reviews=(
            ReviewPlan(
                4,
                8,
                "All targets met on paper. Ramp supervisors still mention freezes at shift change; "
                "we will look at the app's sync before the next review.",
            ),
        ),
    ),
    AgreementPlan(
        BRENNA,
        "Depot network refresh",
        "LMS-BRE-2026-01",
        OBLIGATION,
        STANDARD,
        TERMINATED,
        (NETWORK_REFRESH,),
        "New switches, Wi-Fi and cabling at the Derby and Crewe depots, cut over one depot at a time.",
        "Give our engineers access to the depots at weekends; freeze changes to the old network during "
        "each cut-over.",
        steps=((DRAFT, 40), (NEGOTIATING, 30), (AGREED, 14)),
        starts=-5,
        term_months=12,
        review_cadence=ReviewCadence.MONTHLY,
        ended_days_ago=60,
        termination_reason="Their new parent group moves every site to the group's own IT provider. "
        "Ended by agreement with the Derby depot finished; Crewe is handed over as it stands. Hardware "
        "maintenance carries on under its own contract until the lease ends.",
        targets=(
            _availability("the depot network", Series("day", 99.85, 0.1, high=100)),
            _resolution(UK, Series("request", requests=(1, 4), miss_every=20)),
            TargetPlan(
                "Changes done inside the agreed weekend window",
                WARRANTY,
                "% of cut-over changes started and finished inside the window",
                "%",
                GTE,
                "95",
                "97",
                Series(
                    "week", 100, 0, decimals=0, weekday=6, source=MANUAL, notes=("Cut-over weekend report.",)
                ),
                aspect=WarrantyAspect.COMPLIANCE,
            ),
        ),
    ),
    AgreementPlan(
        BRENNA,
        "Depot hardware maintenance",
        "LMS-BRE-2026-02",
        OBLIGATION,
        STANDARD,
        ACTIVE,
        (DEPOT_FIELD,),
        "Repairs and swaps of the workshop PCs and depot network equipment at Derby and Crewe until the "
        "equipment lease ends.",
        "Report faults through the desk; keep the leased equipment where it was installed.",
        steps=((DRAFT, 16), (NEGOTIATING, 12), (AGREED, 8)),
        starts=-1,
        term_months=6,
        review_cadence=ReviewCadence.ON_DEMAND,
        targets=(
            _availability("the workshop PCs", Series("day", 99.8, 0.12, high=100)),
            _resolution(UK, Series("request", requests=(0, 3), miss_every=30), hours="16"),
            TargetPlan(
                "Spare parts in stock at both depots",
                WARRANTY,
                "% of the agreed spares list on the shelf at the weekly count",
                "%",
                GTE,
                "95",
                "97",
                Series("week", 99, 1.2, decimals=0, high=100, source=MANUAL, notes=("Weekly stock count.",)),
                aspect=WarrantyAspect.CAPACITY,
            ),
        ),
    ),
    AgreementPlan(
        LINDQVIST,
        "Docking station connectivity",
        "LMS-LIN-2026-01",
        PROMISE,
        SLA,
        ACTIVE,
        (GATEWAYS,),
        "Site gateways and mobile data for the docking stations in Malmö and Lund, with the link to the "
        "rider app's back office.",
        "Tell us before moving a docking station; keep the gateway cabinets locked.",
        steps=((DRAFT, 45), (NEGOTIATING, 38), (AGREED, 30)),
        starts=-7,
        term_months=24,
        review_cadence=ReviewCadence.HALF_YEARLY,
        targets=(
            _availability(
                "the docking station gateways",
                Series(
                    "day",
                    99.82,
                    0.1,
                    high=100,
                    excluded=((-3, 17, 61.5, FIREWALL), (-3, 18, 88.0, FIREWALL)),
                ),
            ),
            TargetPlan(
                "Station status in the rider app within a minute",
                UTILITY,
                "% of dock and undock events shown in the rider app within 60 seconds",
                "%",
                GTE,
                "98",
                "98.8",
                Series("day", 99.4, 0.2, high=100),
            ),
            _security("Gateways tampered with", "Gateway cabinets found opened without a work order"),
        ),
        reviews=(
            ReviewPlan(
                1,
                6,
                "Half-year review over coffee in the Malmö workshop: all met, two firewall days left out "
                "by agreement. They may want night-time alerts for the stations.",
            ),
        ),
    ),
    AgreementPlan(
        SALTMARSH,
        "Student and staff digital workplace",
        "SU-TENDER-2026-117",
        OBLIGATION,
        SLA,
        NEGOTIATING,
        (ESSENTIALS,),
        "Staff laptops, student portal sign-in, lecture capture support and the library Wi-Fi on the "
        "main campus, the medical school and the halls of residence.",
        "Faculty IT leads approve configuration changes within five working days; the university keeps "
        "its identity directory up to date for joiners and leavers.",
        steps=((DRAFT, 50), (NEGOTIATING, 31)),
        starts=2,
        term_months=36,
        review_cadence=ReviewCadence.QUARTERLY,
        targets=(
            _availability("the student portal sign-in"),
            _response(UK),
            _resolution(UK),
            _satisfaction("Staff and student"),
        ),
    ),
    AgreementPlan(
        HARBOURVIEW,
        "Clinical workstation outcome agreement",
        "HHG-ICT-2026-031",
        OBLIGATION,
        OUTCOME_BASED,
        ACTIVE,
        (CLINICAL,),
        "Ward workstations, badge readers and roaming sessions at the Cork University wing, ward by ward "
        "as they go live; the clinical priority desk line day and night.",
        "Ward managers name a floor contact for each roll-out and release the ward for two hours. The "
        "group runs the ward survey every month and shares the results.",
        steps=((DRAFT, 60), (NEGOTIATING, 45), (AGREED, 30)),
        starts=-6,
        term_months=48,
        review_cadence=ReviewCadence.QUARTERLY,
        external_id="CRM-AGR-11035",
        targets=(
            _availability("the ward workstations", Series("day", 99.92, 0.05, high=100)),
            TargetPlan(
                "Badge sign-in to the patient record",
                WARRANTY,
                "95th percentile of seconds from badge tap to the record on screen",
                "seconds",
                LTE,
                "10",
                "8",
                Series("day", 6.4, 0.3, decimals=1, low=2, drift_to=9.0),
                aspect=WarrantyAspect.PERFORMANCE,
            ),
            TargetPlan(
                "Clinician time to the record at shift start",
                OUTCOME,
                "Average minutes from arriving on the ward to working in the record",
                "minutes",
                LTE,
                "1.5",
                "1.2",
                Series("week", 1.05, 0.08, decimals=2, low=0.5, source=IMPORT),
                period=QUARTER,
                baseline="4",
            ),
            _response(
                AROUND,
                Series("request", requests=(1, 4), miss_every=80),
                hours="0.25",
                name="Patient-affecting faults answered within 15 minutes",
            ),
            _satisfaction(
                "Clinician",
                Series(
                    "month", 4.35, 0.1, low=1, high=5, source=MANUAL, notes=("From the monthly ward survey.",)
                ),
                target="4",
                warning="4.2",
            ),
        ),
        reviews=(
            ReviewPlan(
                2,
                11,
                "First wards live: sign-in well under ten seconds and clinicians save almost three "
                "minutes at each shift start. Next wards follow in the new year.",
            ),
        ),
    ),
    AgreementPlan(
        VELMONT,
        "Resident services portal outcome agreement",
        "VCC-2025-HOST-07",
        AGREEMENT,
        OUTCOME_BASED,
        ACTIVE,
        (APP_HOSTING,),
        "Hosting, monitoring, backups and patching of the resident services portal and the parking "
        "permit system, with extra capacity on election nights.",
        "Give us the dates of elections and permit campaigns a month ahead; test the council's own "
        "releases on the staging site first.",
        steps=((DRAFT, 50), (NEGOTIATING, 35), (AGREED, 20)),
        starts=-12,
        term_months=36,
        review_cadence=ReviewCadence.QUARTERLY,
        external_id="CRM-AGR-10118",
        targets=(
            _availability("the resident services portal", Series("day", 99.95, 0.04, high=100, outage=70.8)),
            _p95("the resident services portal", Series("day", 420, 35, decimals=0, low=150, outage=2400)),
            _restore(
                "the permit database", Series("quarter", 2.2, 0.3, low=1, source=MANUAL, notes=RESTORE_NOTES)
            ),
            _security(
                "Security incidents on the portal", "Confirmed incidents on the portal or the permit system"
            ),
            TargetPlan(
                "Applications completed without an error",
                UTILITY,
                "% of started applications that reached the confirmation page without an error",
                "%",
                GTE,
                "98",
                "98.8",
                Series("day", 99.25, 0.2, high=100, outage=80),
            ),
            TargetPlan(
                "Permit applications handled fully online",
                OUTCOME,
                "% of parking permits issued without a visit to a district office",
                "%",
                GTE,
                "70",
                "75",
                Series("week", 84, 1.2, decimals=1, high=100, start_level=72, settle_days=90, weekday=0),
                period=QUARTER,
                baseline="46",
            ),
        ),
        reviews=(
            ReviewPlan(
                8,
                10,
                "Permit applications online rose from 46 % to over 70 % in the first months. Portal "
                "availability met every month.",
            ),
            ReviewPlan(
                5,
                14,
                "Election night ran on the extra capacity without a slow page. All targets met.",
            ),
            ReviewPlan(
                2,
                12,
                "Online permits above the outcome target for a second quarter. Agreed to look at "
                "moving residents' parking complaints online too.",
            ),
        ),
    ),
    AgreementPlan(
        VELMONT,
        "Council meeting streaming",
        "VCC-2026-STREAM",
        SOCIAL,
        XLA,
        ACTIVE,
        (APP_HOSTING,),
        "Live streams and recordings of council and committee meetings from the city hall chamber.",
        "The clerk starts the chamber's cameras fifteen minutes before each meeting and tells us about "
        "extra meetings a day ahead.",
        steps=((DRAFT, 30), (NEGOTIATING, 20), (AGREED, 12)),
        starts=-9,
        term_months=None,
        review_cadence=ReviewCadence.ON_DEMAND,
        targets=(
            TargetPlan(
                "Meetings streamed from the first minute",
                UTILITY,
                "% of meetings whose stream was live when the chair opened the meeting",
                "%",
                GTE,
                "95",
                "97",
                Series(
                    "week",
                    100,
                    0,
                    decimals=0,
                    weekday=1,
                    source=MANUAL,
                    notes=("Council meeting.", "Mobility committee.", "Budget committee."),
                ),
            ),
            TargetPlan(
                "Viewer complaints per meeting",
                EXPERIENCE,
                "Complaints about the stream sent to the clerk, averaged per meeting",
                "complaints",
                LTE,
                "3",
                "2",
                Series("week", 0.8, 0.6, decimals=0, low=0, weekday=1),
            ),
            TargetPlan(
                "Meetings with live captions",
                WARRANTY,
                "% of streamed minutes with captions on screen",
                "%",
                GTE,
                "90",
                "95",
                Series("week", 97.5, 1.2, decimals=1, high=100, weekday=1),
                aspect=WarrantyAspect.ACCESSIBILITY,
            ),
        ),
    ),
    AgreementPlan(
        COBALT,
        "Branch and back-office service desk experience agreement",
        "CTB-2026-0042",
        OBLIGATION,
        XLA,
        ACTIVE,
        (ROUND_THE_CLOCK, BRANCH),
        "Teller workstations, document scanners and the secure e-mail gateway at the Kirchberg head "
        "office and the Esch and Ettelbruck branches; the desk in French, German and English.",
        "Every change to the branch estate goes through the bank's change board, which meets weekly; "
        "branch staff answer the short survey after each desk contact.",
        steps=((DRAFT, 80), (NEGOTIATING, 66), (AGREED, 35)),
        starts=-10,
        term_months=36,
        review_cadence=ReviewCadence.QUARTERLY,
        external_id="CRM-AGR-10390",
        targets=(
            _availability("the teller workstations", Series("day", 99.93, 0.05, high=100)),
            _response(LUXEMBOURG, Series("request", requests=(2, 6), miss_every=45)),
            _resolution(LUXEMBOURG, Series("request", requests=(2, 5), miss_every=22)),
            _security(
                "Access changes without change-board approval",
                "Access changes found in the audit without an approved change",
            ),
            _satisfaction("Branch staff", Series("day", 4.58, 0.08, low=1, high=5, drift_to=4.3)),
            _restore(
                "the secure e-mail gateway",
                Series("quarter", 2.5, 0.3, low=1, source=MANUAL, notes=RESTORE_NOTES),
            ),
        ),
        reviews=(
            ReviewPlan(
                7,
                16,
                "First quarter: all met. The change board asked for the audit export every month "
                "instead of every quarter; done.",
            ),
            ReviewPlan(
                4,
                15,
                "All met. Branch staff like the French-speaking desk; the Esch scanners are due for "
                "replacement next year.",
            ),
            ReviewPlan(
                1,
                14,
                "All met, with branch satisfaction slightly down after the teller software update. "
                "Their sponsor asked about the desk contract renewal.",
            ),
        ),
    ),
    AgreementPlan(
        COBALT,
        "Trading floor screen support",
        "CTB-2026-0077",
        AGREEMENT,
        OUTCOME_BASED,
        ACTIVE,
        (BRANCH,),
        "Support of the trading floor screens the bank's group bought elsewhere: swaps, driver updates "
        "and repairs, with the floor's US desk looked after in New York hours.",
        "Keep two spare screens on the floor; tell us before the group's hardware supplier changes models.",
        steps=((DRAFT, 28), (NEGOTIATING, 20), (AGREED, 9)),
        starts=-3,
        term_months=24,
        review_cadence=ReviewCadence.HALF_YEARLY,
        targets=(
            TargetPlan(
                "Trader time lost to screen faults",
                OUTCOME,
                "Minutes traders could not work because of a screen, summed over the month",
                "minutes",
                LTE,
                "60",
                "40",
                Series("day", 0.6, 1.4, decimals=0, low=0),
                aggregation=SUM,
                baseline="190",
            ),
            _resolution(US_EAST, Series("request", requests=(0, 3), miss_every=40), hours="4"),
            _availability("the trading floor screens", Series("day", 99.9, 0.07, high=100)),
        ),
    ),
    AgreementPlan(
        PEREGRINE,
        "Claims handling workplace",
        "PMI-JUR-2026-18",
        OBLIGATION,
        BESPOKE,
        NEGOTIATING,
        (BRANCH,),
        "Workstations, call recording and the claims workbench client for the Lyon claims centre and "
        "the Grenoble office, with terms their legal team drafted around claims-handling outcomes.",
        "Adjusters keep claims notes in the workbench, not on paper; the claims centre manager signs "
        "off each monthly outcome report.",
        # Sent back to draft once: their new COO wanted the business case reworked before signing.
        steps=((DRAFT, 160), (NEGOTIATING, 150), (DRAFT, 110), (NEGOTIATING, 45)),
        starts=2,
        term_months=36,
        review_cadence=ReviewCadence.QUARTERLY,
        targets=(
            TargetPlan(
                "Days to settle a simple claim",
                OUTCOME,
                "Average days from first notice to payment for claims under EUR 5,000",
                "days",
                LTE,
                "6",
                "5",
                period=QUARTER,
                baseline="11",
            ),
            _availability("the claims workbench"),
            _satisfaction("Adjuster"),
        ),
    ),
)

STEP_REASONS = {
    DRAFT: "Drafted from the agreed offer.",
    NEGOTIATING: "Sent to the consumer for negotiation.",
    AGREED: "Signed by both sides.",
    ACTIVE: "Live from its start date.",
    EXPIRED: "Ended on its end date.",
    TERMINATED: "Terminated early.",
}
BACK_TO_DRAFT = "Back to draft: the consumer asked for changes before negotiating further."


# --- writing it down ------------------------------------------------------------------------------


def _valid(instance):
    """The model's own rules without the row-by-row database checks (as dsv.demo.offer does): for the
    thousands of measurements, where full_clean() would cost a query each."""
    relations = [field.name for field in instance._meta.concrete_fields if field.is_relation]
    instance.clean_fields(exclude=relations)
    instance.clean()
    return instance


def _checked(instance):
    """full_clean(), for the few records that can afford its queries."""
    instance.full_clean()
    return instance


def _month(today: date, offset: int) -> date:
    return add_periods("month", today.replace(day=1), offset)


def _at(day: date, hour: int = 0, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=UTC)


@transaction.atomic
def reset_agree() -> None:
    """Remove the demo consumers' agreements with all that hangs off them (targets, measurements,
    reviews, scores, scorecards, breaches; history rows included) and the demo calendars no other
    target uses. Runs before the demo organizations go, while they can still be found by name."""
    organization_ids = list(Organization.objects.filter(name__in=list(JOURNEYS)).values_list("pk", flat=True))
    agreement_ids = set(
        Agreement.objects.filter(organization_id__in=organization_ids).values_list("pk", flat=True)
    )
    agreement_ids |= set(
        Agreement.history.filter(organization_id__in=organization_ids).values_list("id", flat=True)
    )
    Agreement.objects.filter(pk__in=agreement_ids).delete()
    Scorecard.objects.filter(organization_id__in=organization_ids).delete()
    Breach.objects.filter(organization_id__in=organization_ids).delete()
    ServiceLevelTarget.history.filter(agreement_id__in=agreement_ids).delete()
    Agreement.history.filter(id__in=agreement_ids).delete()
    names = [plan.name for plan in CALENDARS]
    BusinessCalendar.objects.filter(name__in=names, targets__isnull=True).delete()


@transaction.atomic
def seed_agree(*, users: dict, now: datetime) -> int:
    """Create the demo's Agree data (after Offer) and return the number of agreements. Seeding again
    replaces it."""
    reset_agree()
    return _AgreeBuilder(users=users, now=now).build()


class _AgreeBuilder:
    def __init__(self, *, users: dict, now: datetime) -> None:
        self.rng = random.Random(SEED)
        self.users = users
        self.now = now
        self.today = timezone.localdate(now)
        self.this_month = self.today.replace(day=1)
        # Slipping starts in the last days of last month, so this month's values have all slipped.
        self.drift_from = _at(self.this_month) - timedelta(days=6)
        self.drift_until = _at(self.this_month)
        self.outage_day = _month(self.today, -1) + timedelta(days=11)
        self.measured_from = _at(_month(self.today, 1 - MEASURED_MONTHS))
        self.calendars: dict[str, BusinessCalendar] = {}
        self.agreements: list[tuple[Agreement, AgreementPlan]] = []

    def build(self) -> int:
        self._calendars()
        organizations = {
            organization.name: organization
            for organization in Organization.objects.filter(name__in=list(JOURNEYS)).select_related("owner")
        }
        contacts = self._contacts(organizations.values())
        catalogue = ServiceOffering.objects.filter(service__name__in=list(SERVICES))
        offerings = {offering.name: offering for offering in catalogue}
        targets: list[tuple[ServiceLevelTarget, TargetPlan, Agreement]] = []
        for plan in AGREEMENTS:
            organization = organizations.get(plan.account)
            if organization is None:
                continue
            agreement = self._agreement(plan, organization, contacts.get(organization.pk))
            agreement.offerings.set([offerings[name] for name in plan.offerings])
            self.agreements.append((agreement, plan))
            targets.extend(
                (target, target_plan, agreement) for target, target_plan in self._targets(agreement, plan)
            )
        measurements = []
        for target, target_plan, agreement in targets:
            if target_plan.series is not None and agreement.status in (ACTIVE, EXPIRED, TERMINATED):
                measurements.extend(self._measurements(target, target_plan.series, agreement))
        Measurement.objects.bulk_create(measurements, batch_size=2000)
        self._compliance()
        self._reviews()
        return len(self.agreements)

    # --- calendars -----------------------------------------------------------------------------

    def _calendars(self) -> None:
        hours, closures = [], []
        for plan in CALENDARS:
            calendar = BusinessCalendar.objects.filter(name=plan.name).first() or BusinessCalendar(
                name=plan.name
            )
            calendar.description = plan.description
            calendar.time_zone = plan.time_zone
            calendar.country = plan.country
            calendar.subdivision = plan.subdivision
            calendar.round_the_clock = plan.round_the_clock
            calendar.holidays_stop_clock = plan.holidays_stop_clock
            calendar.is_active = True
            _checked(calendar).save()
            calendar.hours.all().delete()
            calendar.closures.all().delete()
            hours.extend(
                _checked(BusinessHours(calendar=calendar, weekday=weekday, starts_at=starts, ends_at=ends))
                for weekday, starts, ends in plan.hours
            )
            closures.extend(
                _checked(CalendarClosure(calendar=calendar, date=date(year, month, day), name=name))
                for year in (self.today.year - 1, self.today.year)
                for month, day, name in plan.closures
            )
            self.calendars[plan.name] = calendar
        BusinessHours.objects.bulk_create(hours)
        CalendarClosure.objects.bulk_create(closures)

    # --- agreements ----------------------------------------------------------------------------

    @staticmethod
    def _contacts(organizations) -> dict[int, Stakeholder]:
        """Each account's signatory: its first active sponsor, else its first active customer."""
        contacts: dict[int, Stakeholder] = {}
        people = Stakeholder.objects.filter(
            Q(is_sponsor=True) | Q(is_customer=True), organization__in=list(organizations), is_active=True
        ).order_by("organization_id", "-is_sponsor", "pk")
        for person in people:
            contacts.setdefault(person.organization_id, person)
        return contacts

    def _term(self, plan: AgreementPlan) -> tuple[date | None, date | None]:
        if plan.summer:
            year = self.today.year if self.today.month >= 10 else self.today.year - 1
            starts_on = date(year, 6, 1)
        elif plan.starts is None:
            return None, None
        else:
            starts_on = _month(self.today, plan.starts)
        ends_on = None
        if plan.term_months:
            ends_on = add_periods("month", starts_on, plan.term_months) - timedelta(days=1)
        return starts_on, ends_on

    def _timeline(self, plan: AgreementPlan, starts_on: date | None, ends_on: date | None):
        """(status, moment, reason) in order, from the draft to the current status."""
        live = plan.status in (ACTIVE, EXPIRED, TERMINATED)
        anchor = _at(starts_on, 7) if live else self.now
        timeline = []
        for index, (status, days) in enumerate(plan.steps):
            moment = (anchor - timedelta(days=days)).replace(hour=9 + index % 6, minute=0)
            back = status == DRAFT and index > 0
            timeline.append((status, moment, BACK_TO_DRAFT if back else STEP_REASONS[status]))
        if live:
            timeline.append((ACTIVE, anchor, STEP_REASONS[ACTIVE]))
        if plan.status == EXPIRED:
            timeline.append((EXPIRED, _at(ends_on + timedelta(days=1), 0, 5), STEP_REASONS[EXPIRED]))
        if plan.status == TERMINATED:
            moment = (self.now - timedelta(days=plan.ended_days_ago)).replace(hour=16, minute=0)
            timeline.append((TERMINATED, moment, STEP_REASONS[TERMINATED]))
        return timeline

    def _agreement(self, plan: AgreementPlan, organization: Organization, contact) -> Agreement:
        starts_on, ends_on = self._term(plan)
        owner = organization.owner
        agreement = Agreement(
            organization=organization,
            title=plan.title,
            reference=plan.reference,
            external_id=plan.external_id,
            form=plan.form,
            kind=plan.kind,
            scope=plan.scope,
            consumer_responsibilities=plan.responsibilities,
            starts_on=starts_on,
            ends_on=ends_on,
            review_cadence=plan.review_cadence,
            owner=owner,
            customer_contact=contact,
        )
        timeline = self._timeline(plan, starts_on, ends_on)
        # One history row per step of its lifecycle, dated when the step was taken.
        for index, (status, moment, reason) in enumerate(timeline):
            agreement.status = status
            agreement.status_changed_at = moment
            if status == AGREED:
                agreement.agreed_on = timezone.localdate(moment)
            if status == TERMINATED:
                agreement.termination_reason = plan.termination_reason
            if index == len(timeline) - 1:
                agreement.next_review_on = self._next_review(plan, starts_on)
                # Reminders go out a few days ahead: for a review due by now, it has gone out.
                due = agreement.next_review_on
                if (
                    due
                    and status in (AGREED, ACTIVE)
                    and due <= self.today + timedelta(days=REVIEW_SOON_DAYS)
                ):
                    agreement.review_reminded_on = due
            agreement._history_date = moment
            agreement._history_user = owner
            agreement._change_reason = reason
            # Every step passes the model's rules; the database checks (related rows, unique external
            # id) once, on the last.
            (_checked if index == len(timeline) - 1 else _valid)(agreement).save()
        return agreement

    def _next_review(self, plan: AgreementPlan, starts_on: date | None) -> date | None:
        """A cadence's length after the last review held, or after the start before the first."""
        months = ReviewCadence(plan.review_cadence).months
        if not months or starts_on is None or plan.status in (EXPIRED, TERMINATED):
            return None
        held = [self._review_day(review) for review in plan.reviews]
        return add_months(max(held) if held else starts_on, months)

    def _review_day(self, review: ReviewPlan) -> date:
        return _month(self.today, -review.months_ago) + timedelta(days=review.day - 1)

    def _targets(self, agreement: Agreement, plan: AgreementPlan):
        # Targets were written down while the agreement was drafted.
        drafted_at = self._timeline(plan, *self._term(plan))[0][1]
        rows = []
        for position, target_plan in enumerate(plan.targets):
            target = ServiceLevelTarget(
                agreement=agreement,
                name=target_plan.name,
                kind=target_plan.kind,
                warranty_aspect=target_plan.aspect,
                metric=target_plan.metric,
                unit=target_plan.unit,
                comparator=target_plan.comparator,
                target_value=Decimal(target_plan.target),
                warning_threshold=None if target_plan.warning is None else Decimal(target_plan.warning),
                period=target_plan.period,
                aggregation=target_plan.aggregation,
                calendar=self.calendars[target_plan.calendar] if target_plan.calendar else None,
                baseline=None if target_plan.baseline is None else Decimal(target_plan.baseline),
                clock=target_plan.clock,
                clock_limit_hours=None
                if target_plan.clock_limit is None
                else Decimal(target_plan.clock_limit),
                position=position,
            )
            target._history_date = drafted_at + timedelta(minutes=5 * (position + 1))
            target._history_user = agreement.owner
            rows.append(_checked(target))
        created = bulk_create_with_history(rows, ServiceLevelTarget)
        return list(zip(created, plan.targets, strict=True))

    # --- measurements --------------------------------------------------------------------------

    def _window(self, agreement: Agreement) -> tuple[datetime, datetime]:
        starts = _at(agreement.starts_on)
        if agreement.status == ACTIVE:
            starts = max(starts, self.measured_from)
        if agreement.status == EXPIRED:
            ends = _at(agreement.ends_on + timedelta(days=1))
        elif agreement.status == TERMINATED:
            ends = agreement.status_changed_at
        else:
            ends = self.now
        return starts, min(ends, self.now)

    def _moments(self, series: Series, starts: datetime, ends: datetime):
        day = starts.date()
        if series.every == "quarter":
            day = period_start_at("quarter", starts, UTC)
        while True:
            if series.every == "day":
                moment = _at(day, 12)
                day += timedelta(days=1)
            elif series.every == "week":
                day += timedelta(days=(series.weekday - day.weekday()) % 7)
                moment = _at(day, 18)
                day += timedelta(days=7)
            elif series.every == "month":
                last = add_periods("month", day.replace(day=1), 1) - timedelta(days=1)
                moment = _at(last, 20)
                day = last + timedelta(days=1)
            elif series.every == "quarter":
                moment = _at(add_periods("month", day, 1) + timedelta(days=14), 10)
                day = add_periods("quarter", day, 1)
            else:
                raise ValueError(f"Unknown series {series.every!r}.")
            if moment > ends:
                return
            if moment >= starts:
                yield moment

    def _value(self, series: Series, moment: datetime, starts: datetime) -> float:
        level = series.level
        if series.start_level is not None:
            settled = min(1.0, (moment - starts).days / max(series.settle_days, 1))
            level = series.start_level + (series.level - series.start_level) * settled
        if series.drift_to is not None and moment > self.drift_from:
            slipped = min(1.0, (moment - self.drift_from) / (self.drift_until - self.drift_from))
            level += (series.drift_to - series.level) * slipped
        value = level + self.rng.gauss(0, series.spread) if series.spread else level
        if series.outage is not None and moment.date() == self.outage_day:
            value = series.outage
        if series.low is not None:
            value = max(series.low, value)
        if series.high is not None:
            value = min(series.high, value)
        return value

    def _measurements(self, target, series: Series, agreement: Agreement):
        starts, ends = self._window(agreement)
        if series.every == "request":
            return self._requests(target, series, agreement, starts, ends)
        zone = zone_named(target.calendar.time_zone if target.calendar else "")
        excluded = {
            _month(self.today, months) + timedelta(days=day - 1): (value, note)
            for months, day, value, note in series.excluded
        }
        recorder = self.users.get("integrator") if series.source == API else agreement.owner
        rows = []
        for index, moment in enumerate(self._moments(series, starts, ends)):
            value = self._value(series, moment, starts)
            note, is_excluded = "", False
            if moment.date() in excluded:
                value, note = excluded[moment.date()]
                is_excluded = True
            elif series.notes:
                note = series.notes[index % len(series.notes)]
            source_id = ""
            if series.source == API:
                source_id = f"{agreement.reference}/{target.position}/{moment:%Y%m%d}"
            elif series.source == IMPORT:
                source_id = f"export-{moment:%Y-%m}.csv#{index + 1}"
            rows.append(
                _valid(
                    Measurement(
                        target=target,
                        measured_at=moment,
                        period_start=period_start_at(target.period, moment, zone),
                        value=Decimal(f"{value:.{series.decimals}f}"),
                        source=series.source,
                        source_id=source_id,
                        note=note,
                        excluded=is_excluded,
                        recorded_by=recorder,
                    )
                )
            )
        return rows

    def _requests(self, target, series: Series, agreement: Agreement, starts: datetime, ends: datetime):
        """One value per request: 100 within the clock's limit, 0 not. One request in `miss_every`
        missed it, the last of each run of that many, so a month just begun does not look worse than
        the month will be."""
        zone = zone_named(target.calendar.time_zone if target.calendar else "")
        recorder = self.users.get("integrator")
        rows = []
        day = starts.date()
        counted: dict[date, int] = {}
        number = 0
        while day <= ends.date():
            if day.weekday() < 5:
                for _ in range(self.rng.randint(*series.requests)):
                    moment = _at(day, self.rng.randint(8, 16), self.rng.choice((0, 10, 20, 30, 40, 50)))
                    if not starts <= moment <= ends:
                        continue
                    period = period_start_at(target.period, moment, zone)
                    counted[period] = counted.get(period, 0) + 1
                    every = series.miss_every
                    missed = bool(every) and counted[period] % every == every - 1
                    number += 1
                    rows.append(
                        _valid(
                            Measurement(
                                target=target,
                                measured_at=moment,
                                period_start=period,
                                value=Decimal(0 if missed else 100),
                                source=API,
                                source_id=f"{agreement.reference}/REQ-{number:05d}",
                                recorded_by=recorder,
                            )
                        )
                    )
            day += timedelta(days=1)
        return rows

    # --- compliance and reviews ----------------------------------------------------------------

    def _compliance(self) -> None:
        agreement_ids = [agreement.pk for agreement, _ in self.agreements]
        last_event = JourneyEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        compliance_recompute(agreement_ids=agreement_ids, today=self.today)
        # The owners heard of these breaches when they happened. The engine e-mails new breaches after
        # the commit, claiming each one that is not notified yet: marked now, nothing is sent.
        Breach.objects.filter(agreement_id__in=agreement_ids, notified_at__isnull=True).update(
            notified_at=F("detected_at")
        )
        # Nor did the breaches happen now: no journey events for them (the builder does the same for
        # the whole demo).
        JourneyEvent.objects.filter(pk__gt=last_event, event_type=AgreeEventType.SLA_BREACHED).delete()

    def _reviews(self) -> None:
        agreements = {agreement.pk: (agreement, plan) for agreement, plan in self.agreements}
        compliance = {
            (card.agreement_id, card.month): card.compliance_pct
            for card in Scorecard.objects.filter(agreement_id__in=list(agreements))
        }
        reviews = []
        for agreement, plan in agreements.values():
            for review in plan.reviews:
                held_on = self._review_day(review)
                reviews.append(
                    _checked(
                        AgreementReview(
                            agreement=agreement,
                            held_on=held_on,
                            summary=review.summary,
                            outcome=review.outcome,
                            compliance_pct=compliance.get((agreement.pk, _month(held_on, -1))),
                            reviewed_by=agreement.owner,
                        )
                    )
                )
        AgreementReview.objects.bulk_create(reviews)
