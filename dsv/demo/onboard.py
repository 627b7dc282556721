"""Demo data of Onboard: the demo consumers' onboarding and offboarding plans, one at each stage of a
plan's life, with their goals, actions, comments, and the reminders and digests already sent.

- **Being planned.** Meridian's new Kiel depot: a draft made from the depot field service playbook for
  the agreement that starts next month, with one goal written so far.
- **In customer review.** Saltmarsh University's digital workplace, sent to their head of IT with the
  tender response: the standard workplace playbook plus a freeze around the exam weeks.
- **Accepted.** Lindqvist's second wave of docking stations in Lund, planned by hand (the gateways
  offering has no playbook), starting next week.
- **In progress.** Harbourview's ward-by-ward roll-out is behind: the first ward's manager holds back
  the sign-off until the badge readers of two medication carts are replaced, so the baseline review
  waits for it, and the emergency department's briefing is late. Cobalt's trading floor moves to the
  new screens under change control, on schedule.
- **Completed.** Skyport's device fleet take-over, finished ahead of plan with every goal achieved: it
  moved their journey on to Co-create, and the step history says so.
- **Offboarding.** Meridian's Hanover cross-dock closes and its users leave the service (in progress);
  Brenna left for their new parent group's provider, and the completed offboarding closed their
  journey as left, with the lessons learned written down.

Written with the ORM, as the past: history rows dated when the story says, no journey events (nothing
happens now), the reminders and digests of past days recorded as sent, so the daily job sends only
today's. Every record passes the model's own validation, and the plans keep the services' rules: no
action due before its plan starts, none done while an action it waits for is open, no circle of
dependencies, lifecycles that follow the allowed moves. `seed_onboard` starts with `reset_onboard`, so
seeding twice leaves the same data; only dates move with `now`.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from agreements.models import Agreement
from dsv.demo import accounts
from dsv.demo.offer import (
    BRANCH,
    BRENNA,
    CLINICAL,
    COBALT,
    DEPOT_FIELD,
    ESSENTIALS,
    GATEWAYS,
    HARBOURVIEW,
    JOURNEYS,
    LINDQVIST,
    MERIDIAN,
    NETWORK_REFRESH,
    RUGGED,
    SALTMARSH,
    SKYPORT,
)
from journeys.models import Journey, JourneyStep, Organization, Stakeholder
from offerings.dependencies import find_cycle
from offerings.models import OnboardingPlaybook, OwnerParty, ServiceOffering
from onboarding.models import (
    PLAN_TRANSITIONS,
    ActionArea,
    ActionComment,
    ActionDependency,
    ActionLink,
    ActionReminder,
    ActionStatus,
    ControlApproach,
    CustomerScenario,
    GoalEvaluation,
    GoalTemplate,
    OffboardingKind,
    OffboardingReason,
    OnboardingPlan,
    PlanAction,
    PlanGoal,
    PlanKind,
    PlanStatus,
    RelationshipDigest,
    ReminderKind,
    StartTrigger,
)
from onboarding.services.plans import OFFBOARDING_ACTIONS

US, THEM = OwnerParty.PROVIDER, OwnerParty.CONSUMER
DRAFT, IN_REVIEW, ACCEPTED, IN_PROGRESS, ON_HOLD, COMPLETED, CANCELLED = PlanStatus
PLANNED, STARTED, BLOCKED, DONE = (
    ActionStatus.PLANNED,
    ActionStatus.IN_PROGRESS,
    ActionStatus.BLOCKED,
    ActionStatus.DONE,
)
ONBOARDING, OFFBOARDING = PlanKind.ONBOARDING, PlanKind.OFFBOARDING
ACHIEVED, PARTIALLY, PENDING = GoalEvaluation.ACHIEVED, GoalEvaluation.PARTIALLY, GoalEvaluation.PENDING

# The consumer's people by the part they play in the account, in the order dsv.demo.builder creates
# them (vocabulary.PEOPLE_SLOTS): a plan names its people by part, since their names are drawn at random.
SPONSOR, CUSTOMER, KEY_USER, USER, COMMERCIAL, SECOND_KEY_USER = range(6)

# Where a plan's dates are counted from (see PlanSpec).
TODAY, AGREEMENT_START, JOURNEY_ONBOARD, JOURNEY_LEFT = "today", "agreement", "onboard", "left"
DIGEST_WEEKS = 3  # weekly digests already sent to the managers with open plans


# --- what a plan looks like -----------------------------------------------------------------------


@dataclass(frozen=True)
class ActionSpec:
    """One action of a plan. Days count from the plan's start. An action copied from the playbook
    (`playbook`: its position there) takes the template's title, side, role, due day and dependencies
    unless given here.

    `owner`: None for the services' default (the plan's owner for a provider action, its customer
    contact for a consumer one), "" for nobody named yet (the role only), a demo username for a
    provider action, a part (SPONSOR, CUSTOMER...) for a consumer one."""

    title: str = ""
    party: str | None = None
    role: str | None = None
    due: int | None = None
    after: tuple[int, ...] | None = None  # positions in this plan of the actions it waits for
    playbook: int | None = None
    area: str = ""
    owner: str | int | None = None
    added: int | None = None  # the day it was added; None: with the plan
    started: int | None = None  # the day it went under way (or was marked blocked)
    done: int | None = None  # the day it was done
    status: str | None = None  # None: done, under way or planned, from the days above
    by_link: bool = False  # the consumer's owner marked it done through the e-mailed link
    evidence: str = ""
    comments: tuple[tuple[int, str | int, str], ...] = ()  # (day, a username or a part, text)


def playbook_action(position: int, **fields) -> ActionSpec:
    return ActionSpec(playbook=position, **fields)


@dataclass(frozen=True)
class GoalSpec:
    description: str
    metric: str
    target: str
    due: int  # the target date, days after the plan's start
    template: str = ""
    evaluation: str = PENDING
    result: str = ""
    evidence: str = ""
    evaluated: int | None = None  # the day it was evaluated
    evaluated_by: str = ""  # a demo username; "" for the plan's owner


@dataclass(frozen=True)
class PlanSpec:
    """A plan and its story. `anchor` says where its dates are counted from: TODAY, or the start of its
    agreement (AGREEMENT_START, whose steps still count from today), or the day its journey entered
    Onboard (JOURNEY_ONBOARD) or was left (JOURNEY_LEFT). `starts` is the start's distance from the
    anchor, `steps` its lifecycle as (status, days from the anchor, note); a COMPLETED step with no
    days takes the moment the journey moved on (Co-create) or was left."""

    account: str
    title: str
    status: str
    anchor: str
    starts: int
    length: int  # days from the start to the planned end
    steps: tuple[tuple[str, int | None, str], ...]
    actions: tuple[ActionSpec, ...]
    goals: tuple[GoalSpec, ...] = ()
    kind: str = ONBOARDING
    playbook: tuple[str, str] | None = None  # (offering, playbook name)
    agreement: str = ""  # its reference
    journey: str = ""  # the name of the account's journey it moves on; "" for none
    offerings: tuple[str, ...] = ()
    owner: str = ""  # a demo username; "" for the account's owner
    contact: int = CUSTOMER
    accepted_by: int | None = None
    acceptance_note: str = ""
    scenario: str = ""
    start_trigger: str = ""
    control_approach: str = ""
    user_groups: str = ""
    locations: str = ""
    user_count: int | None = None
    scope_notes: str = ""
    offboarding_kind: str = ""
    reason: str = ""
    lessons_learned: str = ""


# --- the plans ------------------------------------------------------------------------------------

HARBOURVIEW_ROLL_OUT = PlanSpec(
    HARBOURVIEW,
    "Ward-by-ward roll-out of the clinical workstations",
    IN_PROGRESS,
    TODAY,
    starts=-45,
    length=110,
    steps=(
        (DRAFT, -68, "Made from the ward-by-ward playbook once the contract was signed."),
        (IN_REVIEW, -60, "Sent to the hospital with the ward order agreed with the chief nursing officer."),
        (ACCEPTED, -50, "Accepted at the hospital's transition board."),
        (IN_PROGRESS, -45, "Work started."),
    ),
    playbook=(CLINICAL, "Ward-by-ward roll-out"),
    agreement="HHG-ICT-2026-031",
    journey="Clinical workstation service",
    accepted_by=CUSTOMER,
    acceptance_note="Accepted on condition that no ward goes live during a weekend on-call rota change.",
    scenario=CustomerScenario.NEW_CONSUMER,
    start_trigger=StartTrigger.CONTRACT_SIGNED,
    control_approach=ControlApproach.PROJECT,
    user_groups="Nurses, doctors and ward clerks",
    locations="Cork University wing (wards 4A to 4C, emergency department); Kinsale community hospital; "
    "Mallow day clinic",
    user_count=1_900,
    scope_notes="Workstations, badge sign-in and the clinical desk line for fourteen wards. The "
    "patient records viewer and the theatre scheduling system stay with the hospital's own teams; "
    "roaming sessions are tested with them before each ward goes live.",
    actions=(
        playbook_action(0, done=0, evidence="Ward order signed by the chief nursing officer: 4A first."),
        playbook_action(1, owner=CUSTOMER, done=2, by_link=True),
        playbook_action(2, area=ActionArea.TECHNOLOGY, done=9, evidence="Survey sheets for wards 4A to 4C."),
        playbook_action(
            3,
            owner="",
            area=ActionArea.PEOPLE,
            started=15,
            done=24,
            evidence="Badge list from the security office: 1,140 staff of the university wing enrolled.",
            comments=(
                (
                    16,
                    "manager",
                    "The security office is tied up with the fire audit this week. They will run two "
                    "evening enrolment sessions instead.",
                ),
            ),
        ),
        playbook_action(4, area=ActionArea.TECHNOLOGY, done=25, evidence="Test script and results, ward 4A."),
        playbook_action(
            5, owner=KEY_USER, done=26, by_link=True, evidence="Briefing notes sent to wards 4A, 4B and 4C."
        ),
        playbook_action(
            6, area=ActionArea.TECHNOLOGY, done=29, evidence="Ward 4A live overnight: 22 workstations."
        ),
        playbook_action(7, owner="desk", area=ActionArea.PEOPLE, done=30),
        playbook_action(
            8,
            owner=SECOND_KEY_USER,
            started=36,
            comments=(
                (
                    36,
                    SECOND_KEY_USER,
                    "The screens are fine. Two medication carts still drop the badge reader now and "
                    "then; we would like that fixed before we sign.",
                ),
                (
                    37,
                    "manager",
                    "Replacement readers are ordered. We fit them on the night shift and come back to "
                    "you for the sign-off.",
                ),
                (43, SECOND_KEY_USER, "The night shift says cart 1 works now. Waiting for cart 2."),
            ),
        ),
        playbook_action(
            9,
            owner="analyst",
            status=BLOCKED,
            started=43,
            comments=(
                (
                    43,
                    "analyst",
                    "Baseline and first-week sign-in times are in. The review waits for the ward's sign-off.",
                ),
            ),
        ),
        ActionSpec(
            "Replace the badge readers on two medication carts",
            US,
            "Our field engineer",
            due=38,
            after=(6,),
            area=ActionArea.TECHNOLOGY,
            added=37,
            started=37,
            comments=((41, "desk", "Cart 1 is done. The second reader arrives from Fernhill on Thursday."),),
        ),
        ActionSpec(
            "Brief the emergency department's nurse managers",
            THEM,
            "The ward systems coordinator",
            due=43,
            after=(5,),
            area=ActionArea.PEOPLE,
            owner=KEY_USER,
        ),
        ActionSpec(
            "Install wards 4B and 4C",
            US,
            "Our field engineer",
            due=50,
            after=(8, 10),
            area=ActionArea.TECHNOLOGY,
        ),
        ActionSpec(
            "Install the emergency department at night",
            US,
            "Our field engineer",
            due=63,
            after=(11, 12),
            area=ActionArea.TECHNOLOGY,
        ),
        ActionSpec(
            "Floor walker in the emergency department for the first three nights",
            US,
            "Our floor walker",
            due=64,
            after=(13,),
            area=ActionArea.PEOPLE,
            owner="desk",
        ),
        ActionSpec(
            "Survey the wards of the Kinsale community hospital",
            US,
            "Our field engineer",
            due=70,
            area=ActionArea.TECHNOLOGY,
        ),
        ActionSpec(
            "Enrol the Kinsale staff's badges",
            THEM,
            "The hospital's security office",
            due=77,
            after=(15,),
            area=ActionArea.PEOPLE,
            owner="",
        ),
        ActionSpec(
            "Install Kinsale and the Mallow day clinic",
            US,
            "Our field engineer",
            due=95,
            after=(15, 16),
            area=ActionArea.TECHNOLOGY,
        ),
        ActionSpec(
            "Sign-off by each site's nurse manager",
            THEM,
            "The hospital's infrastructure lead",
            due=102,
            after=(17,),
            area=ActionArea.PROCESSES,
            owner=CUSTOMER,
        ),
        ActionSpec(
            "Closing review of the goals with the hospital",
            US,
            "Our service manager",
            due=108,
            after=(9, 18),
            area=ActionArea.PROCESSES,
        ),
    ),
    goals=(
        GoalSpec(
            "Badge sign-in on every ward in scope, in the agreed order",
            "Wards live with tap-and-go sign-in",
            "14 wards",
            due=105,
            template=GoalTemplate.MIGRATE_TO_AGREED_SERVICES,
        ),
        GoalSpec(
            "Signing in takes under ten seconds at shift handover",
            "Median badge sign-in time at the 07:30, 15:30 and 23:30 handovers",
            "10 s or less",
            due=42,
            evaluation=PARTIALLY,
            result="12 s on ward 4A in its first week; 8 s on the carts with new readers",
            evidence="Sign-in log of ward 4A, its first week and the days after the reader swap.",
            evaluated=44,
            evaluated_by="analyst",
        ),
        GoalSpec(
            "No shift disrupted by the roll-out",
            "Clinical incidents raised because of the change",
            "0",
            due=105,
        ),
    ),
)

COBALT_TRADING_FLOOR = PlanSpec(
    COBALT,
    "Trading floor screens under change control",
    IN_PROGRESS,
    TODAY,
    starts=-24,
    length=80,
    steps=(
        (DRAFT, -40, "Adapted from the branch transition playbook for the trading floor."),
        (IN_REVIEW, -33, "Sent to the bank's head of IT and their risk office."),
        (ACCEPTED, -27, "Accepted by the head of IT after the risk office's questions were answered."),
        (IN_PROGRESS, -24, "Work started."),
    ),
    playbook=(BRANCH, "Branch estate transition under change control"),
    agreement="CTB-2026-0077",
    journey="Branch and back-office service desk",
    accepted_by=CUSTOMER,
    scenario=CustomerScenario.NEW_SERVICES,
    start_trigger=StartTrigger.SERVICES_READY,
    control_approach=ControlApproach.AUDITS,
    user_groups="Traders and trading assistants",
    locations="Luxembourg head office, trading floor on the third floor",
    user_count=48,
    scope_notes="Six-screen trading desks, their workstations and privileged access for the market "
    "data team. The trading applications and market data feeds stay with the bank.",
    actions=(
        playbook_action(0, done=1, evidence="Due-diligence pack, version 3, with the trading floor annex."),
        playbook_action(1, owner=CUSTOMER, done=6, by_link=True),
        playbook_action(
            2,
            owner=COMMERCIAL,
            done=9,
            evidence="The trading floor added to the outsourcing register; notice filed with the supervisor.",
        ),
        playbook_action(
            3,
            title="Build and test the trading desk image with the six-screen profile",
            area=ActionArea.TECHNOLOGY,
            done=19,
            evidence="Image 2.4 passed the bank's hardening checklist.",
        ),
        playbook_action(
            4,
            title="Change board approval for the pilot desk row",
            owner=CUSTOMER,
            started=22,
            comments=(
                (
                    23,
                    CUSTOMER,
                    "On the agenda of Thursday's board. The risk office has no open questions.",
                ),
            ),
        ),
        playbook_action(5, title="Switch the pilot desk row over on a Saturday", area=ActionArea.TECHNOLOGY),
        playbook_action(6, title="Access review of the pilot desk row", owner=SECOND_KEY_USER),
        playbook_action(7, title="Roll out to the remaining desk rows"),
        playbook_action(8),
    ),
    goals=(
        GoalSpec(
            "Every trader working at a new desk",
            "Desks switched over",
            "48 of 48 desks",
            due=72,
            template=GoalTemplate.MIGRATE_TO_AGREED_SERVICES,
        ),
        GoalSpec(
            "No change of the transition made outside the change board",
            "Transition changes without a board approval",
            "0",
            due=75,
        ),
        GoalSpec(
            "No trading time lost to the switch-over",
            "Minutes of trading time lost during switch-overs",
            "0 minutes",
            due=72,
        ),
    ),
)

SALTMARSH_WORKPLACE = PlanSpec(
    SALTMARSH,
    "Digital workplace onboarding for staff and researchers",
    IN_REVIEW,
    AGREEMENT_START,
    starts=0,
    length=75,
    steps=(
        (DRAFT, -20, "Drafted from the standard workplace playbook for the tender response."),
        (IN_REVIEW, -6, "Sent to the university's head of IT with the tender's transition section."),
    ),
    playbook=(ESSENTIALS, "Standard workplace onboarding"),
    agreement="SU-TENDER-2026-117",
    journey="Student and staff digital workplace",
    scenario=CustomerScenario.NEW_CONSUMER,
    start_trigger=StartTrigger.CONTRACT_SIGNED,
    control_approach=ControlApproach.PROJECT,
    user_groups="Academic and professional staff; postgraduate researchers",
    locations="Main campus and the medical school",
    user_count=2_400,
    scope_notes="Staff and researchers' laptops, their sign-in and the standard apps, with the "
    "self-service portal. Lab instruments and the student portal stay with the university. No "
    "department is enrolled during the exam weeks.",
    actions=(
        *(playbook_action(position) for position in range(10)),
        ActionSpec(
            "Agree the exam-week change freeze with the registry",
            THEM,
            "The student services lead",
            due=5,
            after=(1,),
            area=ActionArea.PROCESSES,
            owner=SECOND_KEY_USER,
        ),
    ),
    goals=(
        GoalSpec(
            "Every member of staff and researcher on a managed device",
            "Users enrolled, against the HR user list",
            "2,400 users (100 %)",
            due=45,
            template=GoalTemplate.MIGRATE_TO_AGREED_SERVICES,
        ),
        GoalSpec(
            "Most requests come in through the self-service portal",
            "Share of requests raised in the portal in the first full month",
            "60 %",
            due=75,
        ),
        GoalSpec(
            "The old support contracts ended",
            "Support contracts still running for devices in scope",
            "0",
            due=50,
            template=GoalTemplate.SUPPLIER_SWITCH,
        ),
    ),
)

MERIDIAN_KIEL = PlanSpec(
    MERIDIAN,
    "Kiel depot field service start",
    DRAFT,
    AGREEMENT_START,
    starts=0,
    length=45,
    steps=((DRAFT, -3, "Made from the depot field service playbook for the Kiel agreement."),),
    playbook=(DEPOT_FIELD, "Depot field service start"),
    agreement="LMS-MER-2027-01",
    # Their journey is in Realize; a new depot does not take it back to Co-create.
    start_trigger=StartTrigger.AGREEMENT_REACHED,
    locations="Kiel depot",
    actions=(
        *(playbook_action(position) for position in range(6)),
        ActionSpec(
            "Add Kiel to the spares run from the Hamburg hub",
            US,
            "Our logistics coordinator",
            due=20,
            after=(3,),
            area=ActionArea.PARTNERS,
        ),
    ),
    goals=(
        GoalSpec(
            "Four-hour fixes at Kiel from the first month",
            "Kiel faults fixed within four hours",
            "95 %",
            due=45,
        ),
    ),
)

LINDQVIST_LUND = PlanSpec(
    LINDQVIST,
    "Lund docking stations: second wave",
    ACCEPTED,
    TODAY,
    starts=5,
    length=40,
    steps=(
        (DRAFT, -16, "Planned by hand: the gateways offering has no playbook yet."),
        (IN_REVIEW, -9, "Sent to the infrastructure lead with the station list."),
        (ACCEPTED, -2, "Accepted by phone; the station list is final."),
    ),
    agreement="LMS-LIN-2026-01",
    journey="Docking station connectivity",
    offerings=(GATEWAYS,),
    accepted_by=CUSTOMER,
    acceptance_note="Accepted, provided the stations near the railway station come first.",
    start_trigger=StartTrigger.SERVICES_DEPLOYING,
    control_approach=ControlApproach.NORMAL_CHANGE,
    user_groups="Riders in Lund; the depot team",
    locations="Lund: 24 new docking stations",
    scope_notes="Gateways and mobile data for the new stations and their link to the rider app's back "
    "office. The stations themselves are installed by the bike share's own contractor.",
    actions=(
        ActionSpec(
            "Confirm the 24 station positions and their power feeds",
            THEM,
            "The infrastructure lead",
            due=0,
            area=ActionArea.TECHNOLOGY,
        ),
        ActionSpec(
            "Order gateways and SIM cards for the new stations",
            US,
            "Our logistics coordinator",
            due=3,
            after=(0,),
            area=ActionArea.PARTNERS,
        ),
        ActionSpec(
            "Configure the gateways with the rider app's back-office link",
            US,
            "Our mobility engineer",
            due=14,
            after=(1,),
            area=ActionArea.TECHNOLOGY,
        ),
        ActionSpec(
            "Give our engineers keys to the gateway cabinets",
            THEM,
            "The depot supervisor",
            due=14,
            area=ActionArea.PEOPLE,
            owner=KEY_USER,
        ),
        ActionSpec(
            "Install and test the gateways, ten stations a day",
            US,
            "Our field engineer",
            due=24,
            after=(2, 3),
            area=ActionArea.TECHNOLOGY,
        ),
        ActionSpec(
            "Check that every new station shows in the rider app",
            THEM,
            "The depot supervisor",
            due=28,
            after=(4,),
            area=ActionArea.PROCESSES,
            owner=KEY_USER,
        ),
        ActionSpec(
            "Add the Lund stations to the monitoring and the monthly report",
            US,
            "Our service desk",
            due=30,
            after=(4,),
            area=ActionArea.PROCESSES,
            owner="desk",
        ),
    ),
    goals=(
        GoalSpec(
            "All new stations online before the spring season",
            "New stations reporting to the back office",
            "24 of 24",
            due=35,
        ),
        GoalSpec(
            "Riders unlock bikes at the new stations from the first day",
            "Failed unlocks at the new stations in their first week",
            "under 1 %",
            due=40,
        ),
    ),
)

SKYPORT_FLEET = PlanSpec(
    SKYPORT,
    "Device fleet take-over on the ramp",
    COMPLETED,
    JOURNEY_ONBOARD,
    starts=1,
    length=45,
    steps=(
        (DRAFT, -12, "Made from the device fleet playbook while the agreement was negotiated."),
        (IN_REVIEW, -8, "Sent to the infrastructure lead."),
        (ACCEPTED, -4, "Accepted with the swap order of the aprons."),
        (IN_PROGRESS, 1, "Work started."),
        (COMPLETED, None, "Every action done and every goal achieved."),
    ),
    playbook=(RUGGED, "Device fleet take-over"),
    agreement="LMS-SKY-2026-01",
    journey="Ramp tablets and mobile devices",
    accepted_by=CUSTOMER,
    scenario=CustomerScenario.NEW_CONSUMER,
    start_trigger=StartTrigger.CONTRACT_SIGNED,
    control_approach=ControlApproach.PROJECT,
    user_groups="Ramp crews and shift leads",
    locations="Aprons of terminals 1 and 2, the cargo apron",
    user_count=420,
    scope_notes="Rugged tablets and handhelds for the ramp, their management, spares on each apron and "
    "the disposal of the old devices.",
    actions=(
        playbook_action(
            0, owner=KEY_USER, done=0, by_link=True, evidence="Inventory: 212 handhelds, 9 models."
        ),
        playbook_action(1, done=5, evidence="Two models chosen with the pilot crew of apron 2."),
        playbook_action(2, done=8),
        playbook_action(3, done=17),
        playbook_action(4, owner="desk", done=21, evidence="Twelve supervisors trained, two per shift."),
        playbook_action(5, done=30, evidence="Swap log signed by the shift leads of each apron."),
        playbook_action(
            6,
            owner=SECOND_KEY_USER,
            done=33,
            by_link=True,
            comments=(
                (
                    32,
                    SECOND_KEY_USER,
                    "All old handhelds are back in the store room; Fernhill collects them on Monday.",
                ),
            ),
        ),
        playbook_action(
            7, owner=SECOND_KEY_USER, done=34, by_link=True, evidence="Ten-hour shift test on apron 1."
        ),
    ),
    goals=(
        GoalSpec(
            "Every crew on managed rugged devices",
            "Ramp crews working with the new devices",
            "All 36 crews",
            due=40,
            template=GoalTemplate.SUPPLIER_SWITCH,
            evaluation=ACHIEVED,
            result="36 of 36 crews",
            evidence="Swap log signed by the shift leads.",
            evaluated=34,
        ),
        GoalSpec(
            "Fewer device failures than with the old fleet",
            "Device failures a month",
            "Under 10 a month (the old fleet: 31)",
            due=40,
            evaluation=ACHIEVED,
            result="6 in the first four weeks",
            evidence="Desk tickets tagged as device failure.",
            evaluated=34,
        ),
        GoalSpec(
            "Devices last a full shift",
            "Devices with battery left at the end of a ten-hour shift",
            "95 %",
            due=45,
            evaluation=ACHIEVED,
            result="98 %",
            evidence="Battery report of the device management console.",
            evaluated=34,
        ),
    ),
)

MERIDIAN_HANOVER = PlanSpec(
    MERIDIAN,
    "Offboarding the Hanover cross-dock's users",
    IN_PROGRESS,
    TODAY,
    kind=OFFBOARDING,
    starts=-12,
    length=40,
    steps=(
        (DRAFT, -16, "Planned when Meridian announced the cross-dock's closure."),
        (IN_PROGRESS, -12, "Started at once: the closing date is fixed."),
    ),
    agreement="LMS-MER-2025-04",
    # Only a group of users leaves: the account's journey goes on.
    offboarding_kind=OffboardingKind.USER,
    reason=OffboardingReason.MASS_OFFBOARDING,
    user_groups="The cross-dock's warehouse staff and supervisors",
    locations="Hanover cross-dock",
    user_count=45,
    scope_notes="The cross-dock closes at the end of next month; its work moves to the Hamburg hub and "
    "the Bremen depot. Twelve people move to Hamburg and keep their accounts and devices.",
    actions=(
        ActionSpec(
            OFFBOARDING_ACTIONS[0][1],
            due=0,
            area=OFFBOARDING_ACTIONS[0][0],
            done=1,
            evidence="Notice to the 45 staff and the two haulage partners, in German and Polish.",
        ),
        ActionSpec(
            OFFBOARDING_ACTIONS[1][1],
            due=14,
            area=OFFBOARDING_ACTIONS[1][0],
            owner="desk",
            after=(7,),
            started=10,
            comments=(
                (
                    11,
                    "desk",
                    "Accounts of the twelve moving to Hamburg stay; the other 33 are disabled on each "
                    "person's last day.",
                ),
            ),
        ),
        ActionSpec(OFFBOARDING_ACTIONS[2][1], due=21, area=OFFBOARDING_ACTIONS[2][0]),
        ActionSpec(
            OFFBOARDING_ACTIONS[3][1],
            THEM,
            "The cross-dock's team leader",
            due=21,
            area=OFFBOARDING_ACTIONS[3][0],
            owner=SECOND_KEY_USER,
        ),
        ActionSpec(OFFBOARDING_ACTIONS[4][1], due=28, area=OFFBOARDING_ACTIONS[4][0]),
        ActionSpec(OFFBOARDING_ACTIONS[5][1], due=35, area=OFFBOARDING_ACTIONS[5][0], after=(2, 3, 4)),
        ActionSpec(
            "Move the scanner docking cradles to the Bremen depot",
            US,
            "Our field engineer",
            due=8,
            area=ActionArea.EQUIPMENT_RETURN,
            done=9,
        ),
        ActionSpec(
            "Confirm each cross-dock user's last working day",
            THEM,
            "The head of IT",
            due=5,
            area=ActionArea.PEOPLE,
            done=4,
            by_link=True,
            evidence="List of the 45 users with their last days, from HR.",
        ),
    ),
    goals=(
        GoalSpec(
            "No account left open after its owner's last day",
            "Accounts of leavers still active the day after their last day",
            "0",
            due=30,
        ),
    ),
)

BRENNA_EXIT = PlanSpec(
    BRENNA,
    "Offboarding Brenna's depot network",
    COMPLETED,
    JOURNEY_LEFT,
    kind=OFFBOARDING,
    starts=-38,
    length=40,
    steps=(
        (DRAFT, -41, "Planned after their notice: the new parent group takes the sites to its own provider."),
        (IN_PROGRESS, -38, "Started with the notice period."),
        (COMPLETED, None, "Every action done and every goal achieved."),
    ),
    agreement="LMS-BRE-2026-01",
    journey="Depot network refresh",
    offerings=(NETWORK_REFRESH,),
    contact=SPONSOR,  # their service owner has left since
    offboarding_kind=OffboardingKind.PROVIDER_SWITCH,
    reason=OffboardingReason.PROVIDER_SWITCH,
    user_groups="Depot staff at Derby and Crewe",
    locations="Derby and Crewe depots",
    scope_notes="Derby's refreshed network and Crewe's half-finished cut-over go to the parent group's "
    "provider. Hardware maintenance carries on under its own contract until the lease ends.",
    lessons_learned="Ask early whether a new parent group has its own IT provider: the takeover was "
    "public months before the notice came. Keep the cut-over documents current after every weekend, "
    "so that a hand-over half-way costs a day, not a week.",
    actions=(
        ActionSpec(OFFBOARDING_ACTIONS[0][1], due=0, area=OFFBOARDING_ACTIONS[0][0], done=0),
        ActionSpec(
            OFFBOARDING_ACTIONS[1][1],
            due=14,
            area=OFFBOARDING_ACTIONS[1][0],
            after=(6, 7),
            done=13,
            evidence="Access list signed off by their CIO: none of our accounts left.",
        ),
        ActionSpec(
            OFFBOARDING_ACTIONS[2][1],
            due=21,
            area=OFFBOARDING_ACTIONS[2][0],
            done=20,
            evidence="Configurations, diagrams and the cut-over log handed over; our copies deleted "
            "after 30 days.",
        ),
        ActionSpec(
            OFFBOARDING_ACTIONS[3][1],
            THEM,
            "The operations coordinator",
            due=21,
            area=OFFBOARDING_ACTIONS[3][0],
            owner=KEY_USER,
            done=19,
            by_link=True,
            evidence="The loaned test kit and two spare switches are back.",
        ),
        ActionSpec(
            OFFBOARDING_ACTIONS[4][1],
            due=28,
            area=OFFBOARDING_ACTIONS[4][0],
            done=27,
            evidence="Answered by their CIO: good engineering, too slow on change requests.",
        ),
        ActionSpec(
            OFFBOARDING_ACTIONS[5][1],
            due=35,
            area=OFFBOARDING_ACTIONS[5][0],
            after=(1, 2, 3, 4),
            done=36,
        ),
        ActionSpec(
            "Hand over the Crewe cut-over as it stands, with its open changes",
            US,
            "Our network engineer",
            due=7,
            area=ActionArea.DATA_HANDOVER,
            done=6,
        ),
        ActionSpec(
            "Walk the group's provider through the Derby network",
            US,
            "Our network engineer",
            due=10,
            area=ActionArea.PARTNERS,
            after=(6,),
            done=9,
            comments=(
                (9, "manager", "Half a day on site with their two engineers; they have no open questions."),
            ),
        ),
    ),
    goals=(
        GoalSpec(
            "Crewe handed over without losing a working day",
            "Depot working days lost during the hand-over",
            "0",
            due=30,
            evaluation=ACHIEVED,
            result="0",
            evidence="Depot managers' confirmation.",
            evaluated=36,
        ),
        GoalSpec(
            "None of our access left behind",
            "Our accounts still active on their systems",
            "0",
            due=30,
            evaluation=ACHIEVED,
            result="0",
            evidence="Access list signed off by their CIO.",
            evaluated=36,
        ),
    ),
)

PLANS: tuple[PlanSpec, ...] = (
    MERIDIAN_KIEL,
    SALTMARSH_WORKPLACE,
    LINDQVIST_LUND,
    HARBOURVIEW_ROLL_OUT,
    COBALT_TRADING_FLOOR,
    SKYPORT_FLEET,
    MERIDIAN_HANOVER,
    BRENNA_EXIT,
)


# --- writing it down ------------------------------------------------------------------------------


def _valid(instance):
    """The model's own rules without the row-by-row database checks (as dsv.demo.agree does)."""
    relations = [field.name for field in instance._meta.concrete_fields if field.is_relation]
    instance.clean_fields(exclude=relations)
    instance.clean()
    return instance


def _checked(instance):
    instance.full_clean()
    return instance


def _at(day: date, hour: int = 0, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=UTC)


@transaction.atomic
def reset_onboard() -> None:
    """Remove the demo consumers' plans with all that hangs off them (history rows included) and the
    digests sent to the demo users. Runs before the demo organizations go, while they can be found."""
    organization_ids = list(Organization.objects.filter(name__in=list(JOURNEYS)).values_list("pk", flat=True))
    plan_ids = set(
        OnboardingPlan.objects.filter(organization_id__in=organization_ids).values_list("pk", flat=True)
    )
    plan_ids |= set(
        OnboardingPlan.history.filter(organization_id__in=organization_ids).values_list("id", flat=True)
    )
    OnboardingPlan.objects.filter(pk__in=plan_ids).delete()
    PlanAction.history.filter(plan_id__in=plan_ids).delete()
    OnboardingPlan.history.filter(id__in=plan_ids).delete()
    RelationshipDigest.objects.filter(user__username__in=list(accounts.DEMO_USERS)).delete()


@transaction.atomic
def seed_onboard(*, users: dict, now: datetime) -> int:
    """Create the demo's Onboard data (after Agree) and return the number of plans. Seeding again
    replaces it."""
    reset_onboard()
    return _OnboardBuilder(users=users, now=now).build()


class _OnboardBuilder:
    def __init__(self, *, users: dict, now: datetime) -> None:
        self.users = users
        self.now = now
        self.today = timezone.localdate(now)
        self.link_days = int(getattr(settings, "DSV_ACTION_LINK_DAYS", 14))

    def build(self) -> int:
        names = {spec.account for spec in PLANS}
        self.organizations = {
            organization.name: organization
            for organization in Organization.objects.filter(name__in=names).select_related("owner")
        }
        self.people: dict[int, list[Stakeholder]] = {}
        for person in Stakeholder.objects.filter(organization__in=self.organizations.values()).order_by("pk"):
            self.people.setdefault(person.organization_id, []).append(person)
        self.agreements = {
            agreement.reference: agreement
            for agreement in Agreement.objects.filter(organization__in=self.organizations.values())
        }
        self.playbooks = {
            (playbook.offering.name, playbook.name): playbook
            for playbook in OnboardingPlaybook.objects.select_related("offering").prefetch_related(
                "actions__depends_on"
            )
        }
        self.offerings = {offering.name: offering for offering in ServiceOffering.objects.all()}
        made = 0
        for spec in PLANS:
            if spec.account in self.organizations:
                self._plan(spec)
                made += 1
        self._digests()
        return made

    # --- one plan ------------------------------------------------------------------------------

    def _person(self, organization: Organization, part: int) -> Stakeholder:
        people = self.people.get(organization.pk, [])
        if part >= len(people) or not people[part].is_active:
            raise ValueError(f"{organization.name} has no active person for part {part} of the demo plans.")
        return people[part]

    def _user(self, username: str, plan: OnboardingPlan):
        return self.users[username] if username else plan.owner

    def _journey(self, organization: Organization, name: str) -> Journey | None:
        if not name:
            return None
        return Journey.objects.get(organization=organization, name=name)

    def _anchor(
        self, spec: PlanSpec, journey: Journey | None, agreement
    ) -> tuple[date, date, datetime | None]:
        """(the day the steps count from, the plan's start, the moment it completed if the journey says)."""
        if spec.anchor == TODAY:
            return self.today, self.today + timedelta(days=spec.starts), None
        if spec.anchor == AGREEMENT_START:
            return self.today, agreement.starts_on + timedelta(days=spec.starts), None
        if spec.anchor == JOURNEY_ONBOARD:
            changes = list(journey.step_changes.order_by("changed_at", "pk"))
            entered = [change for change in changes if change.to_step == JourneyStep.ONBOARD][-1]
            moved_on = next(
                change
                for change in changes
                if change.to_step == JourneyStep.CO_CREATE and change.changed_at > entered.changed_at
            )
            day = entered.changed_at.date()
            return day, day + timedelta(days=spec.starts), moved_on.changed_at
        if spec.anchor == JOURNEY_LEFT:
            day = journey.ended_at.date()
            return day, day + timedelta(days=spec.starts), journey.ended_at
        raise ValueError(f"Unknown anchor {spec.anchor!r}.")

    def _plan(self, spec: PlanSpec) -> None:
        organization = self.organizations[spec.account]
        journey = self._journey(organization, spec.journey)
        agreement = self.agreements[spec.agreement] if spec.agreement else None
        playbook = self.playbooks[spec.playbook] if spec.playbook else None
        anchor, starts_on, journey_moment = self._anchor(spec, journey, agreement)
        owner = self.users[spec.owner] if spec.owner else organization.owner
        plan = OnboardingPlan(
            organization=organization,
            journey=journey,
            agreement=agreement,
            playbook=playbook,
            kind=spec.kind,
            title=spec.title,
            starts_on=starts_on,
            ends_on=starts_on + timedelta(days=spec.length),
            scenario=spec.scenario,
            start_trigger=spec.start_trigger,
            control_approach=spec.control_approach,
            user_groups=spec.user_groups,
            locations=spec.locations,
            user_count=spec.user_count,
            scope_notes=spec.scope_notes or (playbook.scope if playbook else ""),
            owner=owner,
            customer_contact=self._person(organization, spec.contact),
            offboarding_kind=spec.offboarding_kind,
            reason=spec.reason,
        )
        steps = self._steps(spec, anchor, journey_moment)
        for index, (status, moment, note) in enumerate(steps):
            plan.status = status
            plan.status_changed_at = moment
            if status == ACCEPTED:
                plan.accepted_at = moment
                plan.accepted_by = self._person(organization, spec.accepted_by)
                plan.acceptance_note = spec.acceptance_note
            if status == COMPLETED:
                plan.completed_at = moment
                plan.lessons_learned = spec.lessons_learned
            plan._history_date = moment
            # Completion is DSV's own move (plan_complete_if_done), made for nobody.
            plan._history_user = None if status == COMPLETED else owner
            plan._change_reason = note
            _checked(plan).save()
            if index == 0:
                offerings = [self.offerings[name] for name in spec.offerings]
                if not offerings and playbook:
                    offerings = [playbook.offering]
                if not offerings and agreement:
                    offerings = list(agreement.offerings.all())
                plan.offerings.set(offerings)
        created_at = steps[0][1]
        closes_at = steps[-1][1] if spec.status == COMPLETED else self.now
        self._actions(spec, plan, playbook, created_at, closes_at)
        self._goals(spec, plan, closes_at)
        if spec.status == COMPLETED and spec.kind == ONBOARDING and journey is not None:
            # The move to Co-create is in the step history already: say that this plan made it.
            change = journey.step_changes.get(to_step=JourneyStep.CO_CREATE, changed_at=journey_moment)
            change.note = f"Onboarding completed: {plan.title}"[:500]
            change.changed_by = None
            change.save(update_fields=["note", "changed_by", "updated_at"])

    def _steps(self, spec: PlanSpec, anchor: date, journey_moment: datetime | None):
        """The lifecycle as (status, moment, note), checked against the moves the services allow."""
        steps = []
        previous = None
        for index, (status, days, note) in enumerate(spec.steps):
            if previous is None:
                allowed = {DRAFT}
            else:
                allowed = set(PLAN_TRANSITIONS[previous])
                if previous == IN_REVIEW:
                    allowed.add(ACCEPTED)  # plan_accept
                if previous in (ACCEPTED, IN_PROGRESS):
                    allowed.add(COMPLETED)  # plan_complete_if_done
            if status not in allowed:
                raise ValueError(f"{spec.title!r}: {previous} cannot become {status}.")
            if days is None:
                moment = journey_moment
            else:
                moment = min(_at(anchor + timedelta(days=days), 9 + index % 6), self.now - timedelta(hours=1))
            if steps and moment <= steps[-1][1]:
                raise ValueError(f"{spec.title!r}: the steps are out of order.")
            steps.append((status, moment, note))
            previous = status
        if previous != spec.status:
            raise ValueError(f"{spec.title!r} ends its steps as {previous}, not {spec.status}.")
        return steps

    def _moment(self, plan: OnboardingPlan, day: int, hour: int, latest: datetime) -> datetime:
        """A moment `day` days after the plan's start, never after `latest` (now, or its completion)."""
        return min(_at(plan.starts_on + timedelta(days=day), hour), latest - timedelta(hours=1))

    def _actions(self, spec, plan, playbook, created_at: datetime, closes_at: datetime) -> None:
        organization = plan.organization
        template = list(playbook.actions.all()) if playbook else []
        template.sort(key=lambda action: action.position)
        position_of = {action.pk: action.position for action in template}
        in_plan = {
            action.playbook: index for index, action in enumerate(spec.actions) if action.playbook is not None
        }
        rows, states, waits = [], [], []
        for position, action_spec in enumerate(spec.actions):
            source = template[action_spec.playbook] if action_spec.playbook is not None else None
            party = action_spec.party or (source.owner_party if source else US)
            due = action_spec.due if action_spec.due is not None else source.due_after_days
            if action_spec.after is not None:
                after = action_spec.after
            elif source is not None:
                after = tuple(in_plan[position_of[other.pk]] for other in source.depends_on.all())
            else:
                after = ()
            owner_user, owner_stakeholder = None, None
            if action_spec.owner is None:
                owner_user = plan.owner if party == US else None
                owner_stakeholder = plan.customer_contact if party == THEM else None
            elif isinstance(action_spec.owner, int):
                owner_stakeholder = self._person(organization, action_spec.owner)
            elif action_spec.owner:
                owner_user = self.users[action_spec.owner]
            status = action_spec.status or (
                DONE
                if action_spec.done is not None
                else STARTED
                if action_spec.started is not None
                else PLANNED
            )
            action = PlanAction(
                plan=plan,
                title=action_spec.title or source.title,
                description=source.description if source else "",
                area=action_spec.area,
                owner_party=party,
                owner_user=owner_user,
                owner_stakeholder=owner_stakeholder,
                owner_role=action_spec.role
                if action_spec.role is not None
                else (source.owner_role if source else ""),
                due_on=plan.starts_on + timedelta(days=due),
                status=status,
                evidence=action_spec.evidence,
                position=position,
                playbook_action=source,
            )
            added = (
                created_at + timedelta(minutes=position + 1)
                if action_spec.added is None
                else self._moment(plan, action_spec.added, 9, closes_at)
            )
            history = [(added, PLANNED, None, "Planned.")]
            if action_spec.started is not None:
                moment = self._moment(plan, action_spec.started, 10, closes_at)
                history.append((moment, BLOCKED if status == BLOCKED else STARTED, None, ""))
            if status == DONE:
                moment = self._moment(plan, action_spec.done, 15, closes_at)
                action.completed_at = moment
                if action_spec.by_link:
                    action.completed_by_stakeholder = owner_stakeholder
                else:
                    action.completed_by = owner_user or plan.owner
                history.append((moment, DONE, action.completed_by, "Done."))
            if action_spec.by_link and (status != DONE or owner_stakeholder is None):
                raise ValueError(f"{action.title!r}: only a done consumer action is done through a link.")
            if action.due_on < plan.starts_on:
                raise ValueError(f"{action.title!r} is due before its plan starts.")
            rows.append(_checked(action))
            states.append(history)
            waits.append(after)
        self._check_dependencies(spec, rows, waits)
        made = PlanAction.objects.bulk_create(rows)
        self._action_history(plan, made, states)
        ActionDependency.objects.bulk_create(
            _valid(ActionDependency(action=made[index], depends_on=made[other]))
            for index, after in enumerate(waits)
            for other in after
        )
        self._comments(spec, plan, made, closes_at)
        self._links(spec, made)
        if plan.status == IN_PROGRESS:
            self._reminders(made, [history[0][0] for history in states])

    @staticmethod
    def _check_dependencies(spec: PlanSpec, rows: list[PlanAction], waits: list[tuple[int, ...]]) -> None:
        cycle = find_cycle([(index, other) for index, after in enumerate(waits) for other in after])
        if cycle is not None:  # a mistake in the plans above, not something a user did
            raise ValueError(f"{spec.title!r}: actions wait for each other in a circle: {cycle}.")
        for action, after in zip(rows, waits, strict=True):
            if action.status != DONE:
                continue
            for other in after:
                prerequisite = rows[other]
                if prerequisite.status != DONE or prerequisite.completed_at > action.completed_at:
                    raise ValueError(f"{action.title!r} is done before {prerequisite.title!r}.")

    def _action_history(self, plan: OnboardingPlan, made: list[PlanAction], states) -> None:
        """A history row for each status an action went through, dated when it did."""
        model = PlanAction.history.model
        rows = []
        for action, history in zip(made, states, strict=True):
            values = {field.attname: getattr(action, field.attname) for field in model.tracked_fields}
            for number, (moment, status, by, reason) in enumerate(history):
                done = status == DONE
                rows.append(
                    model(
                        **{
                            **values,
                            "status": status,
                            "completed_at": action.completed_at if done else None,
                            "completed_by_id": action.completed_by_id if done else None,
                            "completed_by_stakeholder_id": action.completed_by_stakeholder_id
                            if done
                            else None,
                            "evidence": action.evidence if done else "",
                        },
                        history_date=moment,
                        history_type="+" if number == 0 else "~",
                        history_user=by or (plan.owner if number == 0 else action.owner_user),
                        history_change_reason=reason or None,
                    )
                )
        model.objects.bulk_create(rows)

    def _comments(self, spec: PlanSpec, plan: OnboardingPlan, made: list[PlanAction], closes_at) -> None:
        for action, action_spec in zip(made, spec.actions, strict=True):
            for day, author, body in action_spec.comments:
                moment = self._moment(plan, day, 11, closes_at)
                comment = ActionComment(action=action, body=body)
                if isinstance(author, int):
                    comment.author_stakeholder = self._person(plan.organization, author)
                    if comment.author_stakeholder != action.owner_stakeholder:
                        raise ValueError(
                            f"{action.title!r}: only its consumer owner comments through a link."
                        )
                    self._link(action, comment.author_stakeholder, moment, "comment")
                else:
                    comment.author_user = self.users[author]
                _checked(comment).save()
                # created_at is set on insert; the comment was written then, not now.
                ActionComment.objects.filter(pk=comment.pk).update(created_at=moment, updated_at=moment)

    def _links(self, spec: PlanSpec, made: list[PlanAction]) -> None:
        for action, action_spec in zip(made, spec.actions, strict=True):
            if action_spec.by_link:
                self._link(action, action.owner_stakeholder, action.completed_at, "done")

    def _link(self, action: PlanAction, stakeholder: Stakeholder, used_at: datetime, used_for: str) -> None:
        """A link that was e-mailed two days before it was used, and used. Its nonce is random like any
        link's: a demo database must not hold guessable links."""
        issued = used_at - timedelta(days=2)
        link = _checked(
            ActionLink(
                action=action,
                stakeholder=stakeholder,
                nonce=secrets.token_urlsafe(24),
                expires_at=issued + timedelta(days=self.link_days),
                used_at=used_at,
                used_for=used_for,
            )
        )
        link.save()
        ActionLink.objects.filter(pk=link.pk).update(created_at=issued, updated_at=used_at)

    def _reminders(self, made: list[PlanAction], added: list[datetime]) -> None:
        """The daily reminders already sent for the plan's actions: the day before each is due and every
        day it was overdue, up to yesterday, while it was open. Today's are the job's to send."""
        yesterday = self.today - timedelta(days=1)
        rows = []
        for action, added_at in zip(made, added, strict=True):
            recipient = (action.owner_user.email if action.owner_user else "") or (
                action.owner_stakeholder.email if action.owner_stakeholder else ""
            )
            if not recipient:
                continue
            first = max(action.due_on - timedelta(days=1), action.plan.starts_on, added_at.date())
            last = yesterday
            if action.completed_at is not None:
                last = min(last, action.completed_at.date() - timedelta(days=1))
            day = first
            while day <= last:
                rows.append(
                    _valid(
                        ActionReminder(
                            action=action,
                            day=day,
                            kind=ReminderKind.DUE_SOON if day < action.due_on else ReminderKind.OVERDUE,
                            recipient=recipient,
                            sent_at=_at(day, 7),
                        )
                    )
                )
                day += timedelta(days=1)
        ActionReminder.objects.bulk_create(rows)

    def _goals(self, spec: PlanSpec, plan: OnboardingPlan, closes_at: datetime) -> None:
        goals = []
        for position, goal_spec in enumerate(spec.goals):
            goal = PlanGoal(
                plan=plan,
                template=goal_spec.template,
                description=goal_spec.description,
                metric=goal_spec.metric,
                target=goal_spec.target,
                target_date=plan.starts_on + timedelta(days=goal_spec.due),
                evaluation=goal_spec.evaluation,
                result=goal_spec.result,
                evidence=goal_spec.evidence,
                position=position,
            )
            if goal_spec.evaluation != PENDING:
                if goal_spec.evaluated is None or not goal_spec.result:
                    raise ValueError(f"{goal.description!r}: an evaluated goal needs its day and its result.")
                goal.evaluated_at = self._moment(plan, goal_spec.evaluated, 16, closes_at)
                goal.evaluated_by = self._user(goal_spec.evaluated_by, plan)
            goals.append(_checked(goal))
        if plan.status == COMPLETED and any(goal.evaluation != ACHIEVED for goal in goals):
            raise ValueError(f"{plan.title!r} completed with a goal not achieved.")
        PlanGoal.objects.bulk_create(goals)

    # --- digests ---------------------------------------------------------------------------------

    def _digests(self) -> None:
        """The weekly digests of the last weeks, sent on Monday mornings to the managers who have open
        plans; this week's is the job's to send."""
        monday = self.today - timedelta(days=self.today.weekday())
        managers = (
            OnboardingPlan.objects.filter(organization__in=self.organizations.values())
            .exclude(status__in=(COMPLETED, CANCELLED))
            .values_list("owner", flat=True)
            .distinct()
        )
        owners = [user for user in self.users.values() if user.pk in set(managers)]
        RelationshipDigest.objects.bulk_create(
            _valid(RelationshipDigest(user=user, week=week, sent_at=_at(week, 7, 30)))
            for user in sorted(owners, key=lambda user: user.pk)
            for week in (monday - timedelta(weeks=weeks) for weeks in range(DIGEST_WEEKS, 0, -1))
        )
