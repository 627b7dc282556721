"""Demo data of Co-create: the service desk's requests with their SLA clocks, feedback in every state of
its handling, reviews of moments of truth, user communities with their super-users, and designed journey
maps (as-is and to-be) for two of the demo personas.

- **Requests.** About forty, over the consumers that use the service or are about to, of every kind
  and status: new ones waiting for a first answer, work under way, some waiting on the customer (their
  resolution clocks paused), resolved and closed ones going back weeks, and one reopened because the
  fix did not hold. Most clocks are met. A few are breached: a ward's medication cart nobody has called
  back yet, a branch printer fault past its resolution time, a dock scanner fault still unanswered, a
  VPN outage closed late. A few are close to their limit.
- **Feedback.** Complaints, compliments, suggestions and comments from users, customers, sponsors, a
  riders' group and social media (two anonymous), received, acknowledged, answered and closed; one
  answer did not satisfy and the complaint went back to acknowledged.
- **Moments of truth.** Reviews of some of the moments the touchpoint history flagged: good ones, bad
  ones that were turned round, and bad ones that were not.
- **Communities.** The hospital's ward systems champions (a super-user and a guru standing in for
  each other), the bank's branch staff forum (its moderator has no back-up yet) and the bike share's
  riders' and mechanics' group, which feeds their wish list.
- **Journey maps.** An as-is and a to-be map for two personas (the ward systems coordinator and the
  depot supervisor), a stage in each of the seven steps with the contacts and channels expected, the
  emotion expected, pain points and opportunities, and what happens front and back stage; the
  clinical workstation and depot field engineering offerings point at their to-be maps.

Written through the Co-create services, as the desk would have: every request is opened and moved along
its lifecycle at the moments the story says (the services accept past moments), so the clocks, pauses,
history and the measurements of the agreement targets are the services' own. The moments are counted
back in each account's business hours from the real clock, because that is what the clocks run on:
whatever the day and hour the demo is built, a request two business hours old is two business hours
old. The clock notifications of the past are recorded as sent (nobody is e-mailed when the demo is
built), like the SLA breaches of `dsv.demo.agree`. `seed_cocreate` starts with `reset_cocreate`, so
seeding twice leaves the same data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from agreements import selectors as agreement_selectors
from agreements.business_time import BusinessSchedule, business_seconds, schedule_for
from agreements.models import Breach, BusinessCalendar, Measurement, MeasurementSource
from agreements.services.compliance import compliance_recompute
from cocreation import services
from cocreation.models import (
    CommunityMember,
    CommunityOrigin,
    Feedback,
    FeedbackKind,
    FeedbackSource,
    FeedbackStatus,
    Level,
    MemberRole,
    MomentPolarity,
    MomentReview,
    RequestClock,
    RequestKind,
    RequestStatus,
    ServiceRequest,
    SuperUserActivity,
    UserCommunity,
)
from dsv.demo.offer import (
    CLINICAL,
    COBALT,
    DEEPAK,
    DEPOT_FIELD,
    HARBOURVIEW,
    JOURNEYS,
    LINDQVIST,
    MARTA,
    MERIDIAN,
    PEREGRINE,
    ROVENA,
    SALTMARSH,
    SKYPORT,
    VELMONT,
)
from journeys import services as journey_services
from journeys.models import (
    Channel,
    JourneyMap,
    JourneyStatus,
    JourneyStep,
    MapVersion,
    Organization,
    Persona,
    Stakeholder,
    Touchpoint,
    TouchpointKind,
)
from offerings.models import ServiceOffering

# The touchpoints this module logs carry this external id prefix, so a reset finds them.
EXTERNAL_ID_PREFIX = "demo-cocreate-"
# Moments of accounts without request clocks are counted in these hours (a desk's working day).
DEFAULT_CALENDAR = "Office hours Berlin"

NEW, IN_PROGRESS, WAITING, RESOLVED, CLOSED = RequestStatus
QUERY, SERVICE_REQUEST, INCIDENT, COMPLAINT, COMPLIMENT = RequestKind
HIGH, MEDIUM, LOW = Level.HIGH, Level.MEDIUM, Level.LOW
PHONE, CHAT, PORTAL, EMAIL = Channel.TELEPHONE, Channel.CHAT, Channel.PORTAL, Channel.EMAIL

# The consumer's people by the part they play (the order dsv.demo.builder creates them in).
SPONSOR, CUSTOMER, KEY_USER, USER, COMMERCIAL, SECOND_KEY_USER = range(6)

KIND_SENTIMENT = {QUERY: 0, SERVICE_REQUEST: 0, INCIDENT: -1, COMPLAINT: -2, COMPLIMENT: 2}


# --- requests ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RequestSpec:
    """One request. `opened` and the steps' moments are business hours ago, in the hours of the
    account's request clocks (DEFAULT_CALENDAR for an account without). `steps`: (status, business
    hours ago, note). `assignee`: a demo username, "" for nobody yet. `logged`: the desk logged the
    contact as a touchpoint and opened the request from it."""

    account: str
    kind: str
    title: str
    impact: int
    urgency: int
    channel: str
    opened: float
    steps: tuple[tuple[str, float, str], ...] = ()
    assignee: str = "desk"
    requester: int | None = USER
    description: str = ""
    logged: bool = False


R = RequestSpec
REQUESTS: tuple[RequestSpec, ...] = (
    # Meridian: office hours in Berlin, first response within 1 hour, resolution within 8.
    R(
        MERIDIAN,
        INCIDENT,
        "Two dock scanners at the Hamburg hub stopped syncing with the yard system",
        MEDIUM,
        HIGH,
        PHONE,
        3.2,
        assignee="",
        requester=KEY_USER,
        description="Scans from docks 7 and 8 do not show up in the yard system; staff write them down.",
        logged=True,
    ),
    R(
        MERIDIAN,
        SERVICE_REQUEST,
        "Tablet accounts for six drivers joining the Bremen night shift",
        LOW,
        MEDIUM,
        PORTAL,
        7.0,
        ((IN_PROGRESS, 6.6, "Accounts being created; tablets come from the spare pool."),),
        requester=CUSTOMER,
    ),
    R(
        MERIDIAN,
        SERVICE_REQUEST,
        "Second Wi-Fi access point for the Bremen loading bay",
        MEDIUM,
        LOW,
        EMAIL,
        4.0,
        (
            (IN_PROGRESS, 3.6, ""),
            (WAITING, 2.5, "Asked the depot for a floor plan showing where the racks are."),
        ),
        requester=CUSTOMER,
    ),
    R(
        MERIDIAN,
        INCIDENT,
        "Kiel gate camera pictures do not reach the yard system",
        MEDIUM,
        MEDIUM,
        PHONE,
        9.0,
        (
            (IN_PROGRESS, 8.8, ""),
            (WAITING, 6.0, "The depot will power-cycle the camera switch at the next shift change."),
        ),
        requester=KEY_USER,
        logged=True,
    ),
    R(
        MERIDIAN,
        INCIDENT,
        "Bremen label printer jams again after the roller swap",
        MEDIUM,
        MEDIUM,
        PHONE,
        12.0,
        (
            (IN_PROGRESS, 11.5, ""),
            (RESOLVED, 9.0, "Replaced the feed roller and ran fifty test labels."),
            (IN_PROGRESS, 2.0, "Reopened: it jammed twice this morning with the thicker labels."),
        ),
        requester=KEY_USER,
    ),
    R(
        MERIDIAN,
        INCIDENT,
        "Yard system slow at the Hanover shift change",
        MEDIUM,
        MEDIUM,
        CHAT,
        20.0,
        (
            (IN_PROGRESS, 19.6, ""),
            (RESOLVED, 15.0, "Rebuilt the slot index overnight; screens answer at once."),
        ),
    ),
    R(
        MERIDIAN,
        SERVICE_REQUEST,
        "Printer for the new customs desk at the Hamburg hub",
        LOW,
        LOW,
        PORTAL,
        80.0,
        (
            (IN_PROGRESS, 79.5, ""),
            (RESOLVED, 75.0, "Printer installed and added to the customs users' profiles."),
            (CLOSED, 60.0, ""),
        ),
        requester=CUSTOMER,
    ),
    R(
        MERIDIAN,
        QUERY,
        "How does a driver reset the PIN of a tablet?",
        LOW,
        MEDIUM,
        PHONE,
        120.0,
        (
            (IN_PROGRESS, 119.8, ""),
            (RESOLVED, 119.0, "Talked the driver through it and sent the two-step guide."),
            (CLOSED, 110.0, ""),
        ),
    ),
    R(
        MERIDIAN,
        COMPLIMENT,
        "Thanks for the Saturday fix of the gate barrier reader",
        LOW,
        LOW,
        EMAIL,
        45.0,
        (
            (IN_PROGRESS, 44.9, ""),
            (RESOLVED, 44.5, "Passed on to the field engineer and her team lead."),
            (CLOSED, 44.0, ""),
        ),
        requester=CUSTOMER,
    ),
    # Cobalt: Luxembourg branch hours, first response within 1 hour, resolution within 8.
    R(
        COBALT,
        INCIDENT,
        "Teller printers in the Esch branch print blank receipts",
        HIGH,
        MEDIUM,
        PHONE,
        11.0,
        ((IN_PROGRESS, 10.6, "Driver rolled back on one printer; still blank. Spare printers on the way."),),
        requester=KEY_USER,
        logged=True,
    ),
    R(
        COBALT,
        QUERY,
        "May branch staff use the new screens for video calls with clients?",
        LOW,
        MEDIUM,
        CHAT,
        0.8,
        assignee="",
    ),
    R(
        COBALT,
        SERVICE_REQUEST,
        "Access to the mortgage platform's test system for two analysts",
        MEDIUM,
        LOW,
        PORTAL,
        5.0,
        ((IN_PROGRESS, 4.7, ""), (WAITING, 4.0, "Waiting for their line manager to approve the access.")),
        assignee="manager2",
        requester=CUSTOMER,
    ),
    R(
        COBALT,
        INCIDENT,
        "VPN keeps dropping for the Kirchberg back-office team",
        MEDIUM,
        HIGH,
        PHONE,
        40.0,
        (
            (IN_PROGRESS, 39.7, ""),
            (RESOLVED, 29.5, "A firewall change had cut the keep-alive; the rule is back and monitored."),
            (CLOSED, 25.0, ""),
        ),
        requester=KEY_USER,
    ),
    R(
        COBALT,
        COMPLAINT,
        "Password resets take too long on Monday mornings",
        MEDIUM,
        MEDIUM,
        EMAIL,
        70.0,
        (
            (IN_PROGRESS, 69.5, ""),
            (RESOLVED, 66.0, "Self-service reset switched on for every branch; one more agent on Mondays."),
            (CLOSED, 60.0, ""),
        ),
        assignee="manager2",
        requester=CUSTOMER,
    ),
    R(
        COBALT,
        SERVICE_REQUEST,
        "Move two workstations into the new compliance office",
        LOW,
        MEDIUM,
        PORTAL,
        16.0,
        ((IN_PROGRESS, 15.5, ""), (RESOLVED, 10.0, "Both moved and tested with their users.")),
        requester=CUSTOMER,
    ),
    R(
        COBALT,
        QUERY,
        "Is the guest Wi-Fi in the branches kept apart from the staff network?",
        LOW,
        LOW,
        EMAIL,
        100.0,
        (
            (IN_PROGRESS, 99.8, ""),
            (RESOLVED, 99.5, "Yes: its own network, no route to staff systems. Sent the diagram."),
            (CLOSED, 95.0, ""),
        ),
        requester=SPONSOR,
    ),
    # Rovena: round the clock, first response within 1 hour.
    R(
        ROVENA,
        QUERY,
        "Porto pickup kiosk comes back in the wrong language after a restart",
        LOW,
        MEDIUM,
        CHAT,
        0.85,
        assignee="",
        logged=True,
    ),
    R(
        ROVENA,
        INCIDENT,
        "Key-drop kiosk at Faro does not release keys",
        MEDIUM,
        HIGH,
        PHONE,
        5.0,
        ((IN_PROGRESS, 4.6, "Engineer booked for the first slot tomorrow; staff hand keys out by hand."),),
        requester=KEY_USER,
        logged=True,
    ),
    R(
        ROVENA,
        QUERY,
        "Which network ports does the new card reader at Lisbon airport need?",
        LOW,
        MEDIUM,
        EMAIL,
        10.0,
        ((IN_PROGRESS, 9.6, ""), (WAITING, 8.0, "Asked for the reader's model number.")),
        requester=KEY_USER,
    ),
    R(
        ROVENA,
        INCIDENT,
        "Telematics feed misses the mileage of two vans",
        MEDIUM,
        MEDIUM,
        PORTAL,
        30.0,
        (
            (IN_PROGRESS, 29.7, ""),
            (RESOLVED, 22.0, "Both vans' boxes re-registered; mileage comes in again."),
        ),
    ),
    R(
        ROVENA,
        SERVICE_REQUEST,
        "Reservation system accounts for three new branch staff",
        LOW,
        MEDIUM,
        PORTAL,
        150.0,
        (
            (IN_PROGRESS, 149.6, ""),
            (RESOLVED, 140.0, "Accounts ready; sign-in details handed over by the branch manager."),
            (CLOSED, 120.0, ""),
        ),
        requester=CUSTOMER,
    ),
    R(
        ROVENA,
        COMPLIMENT,
        "The airport branch thanks the night desk for a fast kiosk fix",
        LOW,
        LOW,
        EMAIL,
        200.0,
        (
            (IN_PROGRESS, 199.8, ""),
            (RESOLVED, 199.5, "Shared with the night shift."),
            (CLOSED, 199.0, ""),
        ),
        requester=CUSTOMER,
    ),
    # Harbourview: round the clock, patient-affecting faults answered within 15 minutes.
    R(
        HARBOURVIEW,
        INCIDENT,
        "Badge reader on a ward 4B medication cart drops sessions",
        HIGH,
        HIGH,
        PHONE,
        0.7,
        requester=SECOND_KEY_USER,
        description="Nurses are signed out in the middle of a medication round.",
        logged=True,
    ),
    R(
        HARBOURVIEW,
        SERVICE_REQUEST,
        "Workstation and badge sign-in for the new ward clerk on 4A",
        LOW,
        MEDIUM,
        PORTAL,
        26.0,
        ((IN_PROGRESS, 25.9, "Workstation ready; waiting for the security office to enrol the badge."),),
        requester=KEY_USER,
    ),
    R(
        HARBOURVIEW,
        QUERY,
        "Could the badge time-out be longer on night shifts?",
        LOW,
        LOW,
        EMAIL,
        50.0,
        (
            (IN_PROGRESS, 49.9, ""),
            (RESOLVED, 30.0, "The clinical safety lead keeps it at five minutes; reasons sent to the ward."),
        ),
        requester=CUSTOMER,
    ),
    R(
        HARBOURVIEW,
        INCIDENT,
        "Emergency department screen froze during the handover",
        HIGH,
        HIGH,
        PHONE,
        300.0,
        (
            (IN_PROGRESS, 299.95, ""),
            (RESOLVED, 298.0, "Graphics driver updated on the department's screens."),
            (CLOSED, 290.0, ""),
        ),
        requester=KEY_USER,
    ),
    R(
        HARBOURVIEW,
        COMPLIMENT,
        "Ward 4A praises the floor walker of its first week",
        LOW,
        LOW,
        EMAIL,
        400.0,
        (
            (IN_PROGRESS, 399.9, ""),
            (RESOLVED, 399.8, "Thanked the floor walker; the ward's words go into the roll-out report."),
            (CLOSED, 399.0, ""),
        ),
        requester=SECOND_KEY_USER,
    ),
    # Accounts whose agreements time no requests: no clocks, the same lifecycle.
    R(
        SKYPORT,
        COMPLAINT,
        "Ramp tablets are too dim to read in bright sunlight",
        MEDIUM,
        MEDIUM,
        PHONE,
        30.0,
        ((IN_PROGRESS, 28.0, "Testing an outdoor screen profile with two ramp teams."),),
        assignee="manager",
        requester=CUSTOMER,
        logged=True,
    ),
    R(SKYPORT, INCIDENT, "Two ramp tablets do not charge in the crew room dock", MEDIUM, LOW, PORTAL, 2.0),
    R(
        SKYPORT,
        QUERY,
        "Can the ramp tablets show the de-icing queue?",
        LOW,
        LOW,
        EMAIL,
        40.0,
        ((IN_PROGRESS, 38.0, ""), (WAITING, 30.0, "Asked the operations lead which view the teams need.")),
        requester=CUSTOMER,
    ),
    R(
        SKYPORT,
        SERVICE_REQUEST,
        "Ten more tablets for the winter schedule",
        MEDIUM,
        LOW,
        EMAIL,
        150.0,
        (
            (IN_PROGRESS, 148.0, ""),
            (RESOLVED, 120.0, "Ten tablets enrolled and delivered to the ramp office."),
            (CLOSED, 110.0, ""),
        ),
        assignee="manager",
        requester=CUSTOMER,
    ),
    R(
        LINDQVIST,
        INCIDENT,
        "Docking stations on Stortorget offline after a power cut",
        MEDIUM,
        HIGH,
        PHONE,
        6.0,
        ((IN_PROGRESS, 5.5, "Four of six back; the last two need their gateways restarted on site."),),
        requester=KEY_USER,
        logged=True,
    ),
    R(
        LINDQVIST,
        SERVICE_REQUEST,
        "SIM cards for twelve new stations",
        LOW,
        MEDIUM,
        PORTAL,
        60.0,
        ((IN_PROGRESS, 58.0, ""), (RESOLVED, 40.0, "Twelve SIM cards activated and sent to the depot.")),
        requester=CUSTOMER,
    ),
    R(
        LINDQVIST,
        COMPLIMENT,
        "Riders noticed how fast the stations came back after the storm",
        LOW,
        LOW,
        EMAIL,
        90.0,
        (
            (IN_PROGRESS, 89.0, ""),
            (RESOLVED, 88.0, "Thanked; shared with the field team."),
            (CLOSED, 87.0, ""),
        ),
        requester=CUSTOMER,
    ),
    R(
        VELMONT,
        SERVICE_REQUEST,
        "More portal capacity for the council tax deadline week",
        MEDIUM,
        MEDIUM,
        EMAIL,
        1.5,
        assignee="",
        requester=CUSTOMER,
    ),
    R(
        VELMONT,
        QUERY,
        "Portal figures for the monthly council report",
        LOW,
        LOW,
        EMAIL,
        15.0,
        ((IN_PROGRESS, 13.0, "Pulling the figures from the portal's statistics."),),
        assignee="manager",
        requester=CUSTOMER,
    ),
    R(
        VELMONT,
        INCIDENT,
        "Residents stuck in a sign-in loop on the portal's mobile pages",
        HIGH,
        MEDIUM,
        CHAT,
        250.0,
        (
            (IN_PROGRESS, 249.0, ""),
            (RESOLVED, 240.0, "A cookie setting after the last release; fixed and tested on phones."),
            (CLOSED, 230.0, ""),
        ),
        requester=KEY_USER,
    ),
    R(
        VELMONT,
        COMPLAINT,
        "The maintenance notice reached residents too late",
        MEDIUM,
        MEDIUM,
        EMAIL,
        180.0,
        (
            (IN_PROGRESS, 179.0, ""),
            (RESOLVED, 170.0, "Notices now go out a week ahead, on the portal and by e-mail."),
            (CLOSED, 160.0, ""),
        ),
        assignee="manager",
        requester=SPONSOR,
    ),
    R(
        SALTMARSH,
        QUERY,
        "Does the tender's scope include student laptops?",
        LOW,
        MEDIUM,
        EMAIL,
        90.0,
        (
            (IN_PROGRESS, 89.0, ""),
            (RESOLVED, 85.0, "Staff devices only; student laptops can be added as an option."),
            (CLOSED, 80.0, ""),
        ),
        assignee="manager",
        requester=CUSTOMER,
    ),
    R(
        PEREGRINE,
        QUERY,
        "When can claims handlers try the new workplace?",
        LOW,
        MEDIUM,
        EMAIL,
        4.0,
        assignee="manager2",
        requester=CUSTOMER,
    ),
    R(
        PEREGRINE,
        QUERY,
        "Could we speak to a customer that already runs the claims workplace?",
        LOW,
        LOW,
        PHONE,
        40.0,
        ((IN_PROGRESS, 39.0, ""), (RESOLVED, 35.0, "Two reference calls arranged for next week.")),
        assignee="manager2",
        requester=SPONSOR,
    ),
)


# --- feedback ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FeedbackSpec:
    """Feedback and how far it got. `received` is business hours ago (as for requests); the steps
    follow it, each `gap` business hours after the one before. `request`: the title of the request it
    is about. `reopened`: answered, not satisfied, taken back to acknowledged."""

    account: str
    kind: str
    source: str
    sentiment: int
    text: str
    channel: str
    received: float
    status: str
    person: int | None = USER
    anonymous: bool = False
    response: str = ""
    request: str = ""
    reopened: bool = False
    gap: float = 1.0


FB = FeedbackSpec
RECEIVED, ACKNOWLEDGED, RESPONDED, FB_CLOSED = FeedbackStatus
FEEDBACK: tuple[FeedbackSpec, ...] = (
    FB(
        MERIDIAN,
        FeedbackKind.COMPLAINT,
        FeedbackSource.USER,
        -2,
        "When a tablet freezes at the gate, drivers wait on the phone for ages before anyone answers.",
        PHONE,
        2.0,
        RECEIVED,
    ),
    FB(
        MERIDIAN,
        FeedbackKind.COMPLIMENT,
        FeedbackSource.CUSTOMER,
        2,
        "Planning the docks in the yard system gives the Hamburg hub back about an hour every day.",
        EMAIL,
        60.0,
        FB_CLOSED,
        person=CUSTOMER,
        response="Thank you: we will share the figures at the next quarterly review.",
    ),
    FB(
        COBALT,
        FeedbackKind.COMPLAINT,
        FeedbackSource.CUSTOMER,
        -1,
        "Nobody told the branches about the printer update before it went out.",
        EMAIL,
        9.0,
        ACKNOWLEDGED,
        person=CUSTOMER,
        request="Teller printers in the Esch branch print blank receipts",
    ),
    FB(
        COBALT,
        FeedbackKind.SUGGESTION,
        FeedbackSource.USER,
        1,
        "A two-minute video on locking the screen would help new tellers in their first week.",
        PORTAL,
        30.0,
        RESPONDED,
        response="Good idea: the video is being made with your training team, ready next month.",
    ),
    FB(
        COBALT,
        FeedbackKind.COMMENT,
        FeedbackSource.COMMUNITY,
        0,
        "The branch forum would like a short tips post every month.",
        Channel.FORUM,
        3.0,
        RECEIVED,
        person=None,
        anonymous=True,
    ),
    FB(
        ROVENA,
        FeedbackKind.COMPLIMENT,
        FeedbackSource.USER,
        2,
        "The night desk had the Faro kiosk working again before the first flight landed.",
        EMAIL,
        190.0,
        FB_CLOSED,
        person=KEY_USER,
        response="Passed on to the night shift, who were glad to hear it.",
    ),
    FB(
        ROVENA,
        FeedbackKind.SUGGESTION,
        FeedbackSource.SPONSOR,
        1,
        "Please show each branch's kiosk uptime in the monthly report.",
        EMAIL,
        20.0,
        ACKNOWLEDGED,
        person=SPONSOR,
    ),
    FB(
        HARBOURVIEW,
        FeedbackKind.COMPLAINT,
        FeedbackSource.USER,
        -2,
        "Signing in on the medication carts still fails now and then during rounds.",
        PHONE,
        40.0,
        ACKNOWLEDGED,
        person=SECOND_KEY_USER,
        response="The new badge readers are fitted; please tell us if it happens again.",
        reopened=True,
        gap=6.0,
    ),
    FB(
        HARBOURVIEW,
        FeedbackKind.COMPLIMENT,
        FeedbackSource.CUSTOMER,
        2,
        "The floor walker made the first week on ward 4A easy for everyone.",
        Channel.IN_PERSON,
        390.0,
        FB_CLOSED,
        person=CUSTOMER,
        response="Thank you; we plan a floor walker for every ward that follows.",
    ),
    FB(
        SKYPORT,
        FeedbackKind.COMPLAINT,
        FeedbackSource.CUSTOMER,
        -2,
        "Ramp staff cannot read the tablets outdoors. For us this comes before anything else.",
        PHONE,
        29.0,
        ACKNOWLEDGED,
        person=CUSTOMER,
        request="Ramp tablets are too dim to read in bright sunlight",
    ),
    FB(
        SKYPORT,
        FeedbackKind.COMMENT,
        FeedbackSource.SOCIAL_MEDIA,
        -1,
        "A ramp agent posted that the tablets run flat before the end of a double shift.",
        Channel.SOCIAL_MEDIA,
        5.0,
        RECEIVED,
        person=None,
        anonymous=True,
    ),
    FB(
        LINDQVIST,
        FeedbackKind.COMPLIMENT,
        FeedbackSource.COMMUNITY,
        1,
        "The riders' group liked how quickly the stations were back after the storm.",
        Channel.FORUM,
        85.0,
        RESPONDED,
        person=KEY_USER,
        response="Thanks to the group; we posted what we changed since the last storm.",
    ),
    FB(
        VELMONT,
        FeedbackKind.COMPLAINT,
        FeedbackSource.SPONSOR,
        -1,
        "Residents should hear about planned maintenance a week before, not the day before.",
        EMAIL,
        175.0,
        FB_CLOSED,
        person=SPONSOR,
        response="Agreed: notices now go out seven days ahead on the portal and by e-mail.",
        request="The maintenance notice reached residents too late",
    ),
    FB(
        VELMONT,
        FeedbackKind.SUGGESTION,
        FeedbackSource.USER,
        0,
        "Put a link to the status page on the portal's sign-in screen.",
        PORTAL,
        12.0,
        RECEIVED,
        person=KEY_USER,
    ),
    FB(
        SALTMARSH,
        FeedbackKind.COMMENT,
        FeedbackSource.CUSTOMER,
        0,
        "The tender team asks for the portal's accessibility statement.",
        EMAIL,
        70.0,
        RESPONDED,
        person=CUSTOMER,
        response="Sent with the tender documents, with the last audit's results.",
    ),
    FB(
        PEREGRINE,
        FeedbackKind.SUGGESTION,
        FeedbackSource.SPONSOR,
        1,
        "Give the claims team a pilot room to try the workplace before it is rolled out.",
        Channel.VIDEO_CALL,
        45.0,
        FB_CLOSED,
        person=SPONSOR,
        response="A pilot room with six desks is planned for the first month.",
    ),
)


# --- moments of truth -------------------------------------------------------------------------------

# (polarity, recovered, notes, follow-up) for the moments reviewed, newest first within each polarity.
POSITIVE_REVIEWS = (
    (
        "The user was helped at once and said so. Nothing to change; worth telling the team.",
        "Share it in the next team meeting.",
    ),
    (
        "A quick, friendly answer at a busy time for the account made the difference.",
        "",
    ),
    (
        "The engineer explained what went wrong and what we do to keep it from happening again.",
        "Add the explanation to the knowledge base.",
    ),
)
NEGATIVE_REVIEWS = (
    (
        True,
        "The first answer missed the point; the account manager called back the same day and put it right.",
        "Brief the desk on this account's critical hours.",
    ),
    (
        True,
        "Work stopped for a team until a spare device arrived; the apology and the quick swap were "
        "appreciated.",
        "Keep two spare devices at the site.",
    ),
    (
        False,
        "We promised a call back that never came; the customer raised it with their sponsor.",
        "Account manager to meet the sponsor; call-backs get a reminder in the queue.",
    ),
    (
        False,
        "The change went out without notice and the users heard of it from their screens.",
        "Every change that users see is announced two days ahead.",
    ),
)


# --- communities ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CommunitySpec:
    """A community; `members`: (part, role, activities, share of time %, the part of their back-up
    among the members added before them, days since they joined, notes). `backups`: back-ups set once
    everyone is in, (part, part of the back-up)."""

    account: str
    name: str
    origin: str
    platform: str
    language: str
    is_open: bool
    description: str
    members: tuple[tuple[int, str, tuple[str, ...], int | None, int | None, int, str], ...]
    backups: tuple[tuple[int, int], ...] = ()


SUPPORT, COMMUNICATION, TRAINING, USER_STORIES, DEMOS, TESTING = SuperUserActivity
COMMUNITIES: tuple[CommunitySpec, ...] = (
    CommunitySpec(
        HARBOURVIEW,
        "Ward systems champions",
        CommunityOrigin.PROVIDER,
        "A chat channel and a monthly call",
        "English",
        False,
        "The nurses and clerks who help their wards with the workstations and try changes first.",
        (
            (SECOND_KEY_USER, MemberRole.GURU, (SUPPORT, TESTING), 15, None, 40, "Knows the carts best."),
            (KEY_USER, MemberRole.SUPER_USER, (SUPPORT, TRAINING, TESTING), 20, SECOND_KEY_USER, 60, ""),
            (USER, MemberRole.MEMBER, (), None, None, 30, ""),
            (CUSTOMER, MemberRole.MEMBER, (), None, None, 60, ""),
        ),
        backups=((SECOND_KEY_USER, KEY_USER),),
    ),
    CommunitySpec(
        COBALT,
        "Branch staff forum",
        CommunityOrigin.CUSTOMER,
        "The bank's intranet forum",
        "French and English",
        True,
        "Set up by the bank for branch staff to share tips; we answer questions there once a day.",
        (
            (
                KEY_USER,
                MemberRole.MODERATOR,
                (COMMUNICATION, SUPPORT),
                10,
                None,
                120,
                "No back-up named yet.",
            ),
            (USER, MemberRole.MEMBER, (), None, None, 90, ""),
            (
                CUSTOMER,
                MemberRole.PROVIDER_REPRESENTATIVE,
                (),
                None,
                None,
                120,
                "Joins for the monthly tips.",
            ),
        ),
    ),
    CommunitySpec(
        LINDQVIST,
        "Riders' and mechanics' group",
        CommunityOrigin.USER,
        "A public forum",
        "Swedish",
        True,
        "Started by riders; the bike mechanics joined, and it now feeds the station wish list.",
        (
            (CUSTOMER, MemberRole.MEMBER, (), None, None, 150, ""),
            (KEY_USER, MemberRole.SUPER_USER, (COMMUNICATION, USER_STORIES, DEMOS), 10, CUSTOMER, 150, ""),
            (USER, MemberRole.MEMBER, (), None, None, 80, ""),
        ),
    ),
)


# --- journey maps -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class StageSpec:
    step: str
    name: str
    touchpoints: str
    channels: tuple[str, ...]
    emotion: int
    pain_points: str = ""
    opportunities: str = ""
    front_stage: str = ""
    back_stage: str = ""


@dataclass(frozen=True)
class MapSpec:
    persona: str
    name: str
    description: str
    as_is: tuple[StageSpec, ...]
    to_be_description: str
    to_be: tuple[StageSpec, ...]
    offering: str = ""  # the offering that points at the to-be map


S = StageSpec
EX, EN, OF, AG, ON, CO, RE = JourneyStep
JOURNEY_MAPS: tuple[MapSpec, ...] = (
    MapSpec(
        DEEPAK,
        "Clinical workstations, ward by ward",
        "How a ward systems coordinator lives through our clinical workstation service today, from the "
        "first conversations to the yearly review.",
        (
            S(
                EX,
                "Hears of us from another hospital",
                "Conference talk, peer call",
                ("in_person", "telephone"),
                0,
            ),
            S(
                EN,
                "Site visit on a ward",
                "Walk-through with our clinical lead",
                ("in_person",),
                1,
                opportunities="Bring a nurse who has used the service.",
            ),
            S(
                OF,
                "Reads the proposal",
                "Proposal, questions by e-mail",
                ("email",),
                -1,
                pain_points="Forty pages; the ward's part is hard to find.",
                opportunities="A one-page summary per ward.",
            ),
            S(AG, "Signs off the ward order", "Transition board", ("video_call",), 0),
            S(
                ON,
                "First ward goes live",
                "Floor walker, desk line, badge enrolment",
                ("in_person", "telephone"),
                -1,
                pain_points="Badge enrolment clashes with shift changes.",
                front_stage="Floor walker on the ward for three nights.",
                back_stage="Engineers swap faulty readers on the night shift.",
            ),
            S(
                CO,
                "Calls the desk during a round",
                "Desk line, ward visits",
                ("telephone",),
                -2,
                pain_points="Nurses are signed out mid-round; a call back takes too long.",
                opportunities="A direct line for patient-affecting faults.",
                front_stage="Desk agent answers within fifteen minutes.",
                back_stage="Field engineer dispatched from the nearest site.",
            ),
            S(RE, "Yearly review", "Review meeting, sign-in figures", ("in_person",), 1),
        ),
        "The same journey with a ward-first onboarding and a direct line for faults that touch patients.",
        (
            S(EX, "Hears of us from another hospital", "Peer call with a ward manager", ("telephone",), 1),
            S(EN, "Site visit with a nurse who uses it", "Ward walk-through", ("in_person",), 1),
            S(OF, "Reads one page per ward", "Ward summary, proposal", ("email",), 1),
            S(AG, "Signs off the ward order", "Transition board", ("video_call",), 1),
            S(
                ON,
                "Badges enrolled before go-live",
                "Enrolment evenings, floor walker",
                ("in_person",),
                1,
                front_stage="Evening enrolment sessions on each ward.",
                back_stage="Spare readers staged on every floor.",
            ),
            S(
                CO,
                "Rings the fault line",
                "Fault line, ward visits",
                ("telephone",),
                1,
                front_stage="Answered at once by an agent who knows the wards.",
                back_stage="Engineer on call in the hospital during the day.",
            ),
            S(RE, "Yearly review with the nurses", "Review, sign-in times, ward survey", ("in_person",), 2),
        ),
        offering=CLINICAL,
    ),
    MapSpec(
        MARTA,
        "Depot IT, from first call to daily work",
        "A depot supervisor's journey with our field engineering at the depots, as it runs today.",
        (
            S(
                EX,
                "Looks for help with the depot's IT",
                "Web search, trade fair",
                ("recommendation", "in_person"),
                0,
            ),
            S(EN, "First call with our account manager", "Video call", ("video_call",), 1),
            S(
                OF,
                "Compares offers",
                "Offer, site survey",
                ("email", "in_person"),
                -1,
                pain_points="Hard to compare what is covered at night.",
                opportunities="State night and weekend cover on the first page.",
            ),
            S(AG, "Agrees the depot hours", "Contract meeting", ("in_person",), 0),
            S(
                ON,
                "Depot taken over",
                "Engineer visit, new scanners",
                ("in_person",),
                0,
                pain_points="Scanners arrive before the Wi-Fi is ready.",
            ),
            S(
                CO,
                "Reports a scanner fault at night",
                "Desk line, chat",
                ("telephone", "chat"),
                -2,
                pain_points="No one on site; the fault waits until morning.",
                opportunities="Spare scanners at every depot, swapped by the shift lead.",
                front_stage="Desk agent walks the shift lead through a swap.",
                back_stage="Repair pick-up booked for the next day.",
            ),
            S(RE, "Quarterly review", "Turnaround figures", ("in_person",), 1),
        ),
        "Depot IT with spare devices on site and night cover that the shift lead can reach.",
        (
            S(EX, "Finds depot references", "Case studies, peer visit", ("recommendation", "in_person"), 1),
            S(EN, "First call", "Video call", ("video_call",), 1),
            S(OF, "Night cover on page one", "Offer, site survey", ("email", "in_person"), 1),
            S(AG, "Agrees depot hours", "Contract meeting", ("in_person",), 1),
            S(ON, "Wi-Fi first, then scanners", "Engineer visit", ("in_person",), 1),
            S(
                CO,
                "Swaps a faulty scanner in minutes",
                "Desk line, chat",
                ("chat",),
                1,
                front_stage="Shift lead swaps the scanner with the desk on chat.",
                back_stage="Replacement spare shipped overnight.",
            ),
            S(RE, "Quarterly review", "Turnaround and uptime figures", ("in_person",), 2),
        ),
        offering=DEPOT_FIELD,
    ),
)


# --- building it ------------------------------------------------------------------------------------


def _demo_organization_ids() -> list[int]:
    return list(Organization.objects.filter(name__in=list(JOURNEYS)).values_list("pk", flat=True))


@transaction.atomic
def reset_cocreate() -> None:
    """Remove the demo consumers' requests, feedback, moment reviews and communities (and the
    touchpoints and target measurements they brought), and the journey maps of the demo personas. Runs
    before the demo personas, agreements and organizations go."""
    from dsv.demo.personas import demo_persona_names

    organization_ids = _demo_organization_ids()
    request_ids = list(
        ServiceRequest.objects.filter(organization_id__in=organization_ids).values_list("pk", flat=True)
    )
    # The clocks' measurements stay with their targets when the requests go: remove them first.
    Measurement.objects.filter(
        target__agreement__organization_id__in=organization_ids,
        source=MeasurementSource.SYSTEM,
        source_id__in=[f"request-{pk}-{kind}" for pk in request_ids for kind in ("response", "resolution")],
    ).delete()
    ServiceRequest.objects.filter(pk__in=request_ids).delete()
    Feedback.objects.filter(organization_id__in=organization_ids).delete()
    MomentReview.objects.filter(touchpoint__organization_id__in=organization_ids).delete()
    UserCommunity.objects.filter(organization_id__in=organization_ids).delete()
    Touchpoint.objects.filter(
        organization_id__in=organization_ids, external_id__startswith=EXTERNAL_ID_PREFIX
    ).delete()
    JourneyMap.objects.filter(persona__name__in=demo_persona_names()).delete()


@dataclass
class CoCreateResult:
    requests: int = 0
    feedback: int = 0
    reviews: int = 0
    communities: int = 0
    journey_maps: int = 0


@transaction.atomic
def seed_cocreate(*, users: dict, now: datetime) -> CoCreateResult:
    """Create the demo's Co-create data (after Onboard). Seeding again replaces it. The moments count
    back from the real clock, which the request clocks run on; `now` is accepted like the builder's
    other steps."""
    reset_cocreate()
    return _CoCreateBuilder(users=users).build()


class _CoCreateBuilder:
    def __init__(self, *, users: dict) -> None:
        self.users = users
        self.desk = users["desk"]
        self.now = timezone.now().replace(second=0, microsecond=0)
        self.result = CoCreateResult()
        self.touchpoint_number = 0

    def build(self) -> CoCreateResult:
        names = {spec.account for spec in REQUESTS} | {spec.account for spec in FEEDBACK}
        self.organizations = {
            organization.name: organization
            for organization in Organization.objects.filter(name__in=names).select_related("owner")
        }
        self.people: dict[int, list[Stakeholder]] = {}
        for person in Stakeholder.objects.filter(organization__in=self.organizations.values()).order_by("pk"):
            self.people.setdefault(person.organization_id, []).append(person)
        self.journeys = {}
        for organization in self.organizations.values():
            journeys = list(organization.journeys.order_by("pk"))
            active = [journey for journey in journeys if journey.status == JourneyStatus.ACTIVE]
            self.journeys[organization.pk] = (active or journeys or [None])[0]
        default = BusinessCalendar.objects.filter(name=DEFAULT_CALENDAR).first()
        self.default_schedule = schedule_for(default)
        self.schedules: dict[int, BusinessSchedule] = {}
        self.requests: dict[str, ServiceRequest] = {}
        for spec in REQUESTS:
            if spec.account in self.organizations:
                self._request(spec)
        self._clocks_checked()
        for spec in FEEDBACK:
            if spec.account in self.organizations:
                self._feedback(spec)
        self._moment_reviews()
        self._communities()
        self._journey_maps()
        return self.result

    # --- time -------------------------------------------------------------------------------------

    def _schedule(self, organization: Organization) -> BusinessSchedule:
        if organization.pk not in self.schedules:
            targets = agreement_selectors.clock_targets_for_account(organization_id=organization.pk)
            self.schedules[organization.pk] = (
                schedule_for(targets[0].calendar) if targets else self.default_schedule
            )
        return self.schedules[organization.pk]

    def _ago(self, organization: Organization, hours: float) -> datetime:
        """The latest moment `hours` business hours before now, in the account's hours (to the
        minute)."""
        schedule = self._schedule(organization)
        wanted = round(hours * 3600)
        if wanted <= 0:
            return self.now
        # Back a day at a time until enough business time lies between, then halve to the minute.
        late, early = self.now, self.now - timedelta(days=1)
        while business_seconds(schedule, early, self.now) < wanted:
            late, early = early, early - timedelta(days=1)
        while (late - early) > timedelta(minutes=1):
            middle = early + (late - early) / 2
            if business_seconds(schedule, middle, self.now) >= wanted:
                early = middle
            else:
                late = middle
        return early.replace(second=0, microsecond=0)

    # --- requests ---------------------------------------------------------------------------------

    def _person(self, organization: Organization, part: int | None) -> Stakeholder | None:
        if part is None:
            return None
        people = [person for person in self.people.get(organization.pk, []) if person.is_active]
        everyone = self.people.get(organization.pk, [])
        if part < len(everyone) and everyone[part].is_active:
            return everyone[part]
        return people[-1] if people else None

    def _touchpoint(self, organization, *, kind, channel, summary, sentiment, person, moment) -> Touchpoint:
        self.touchpoint_number += 1
        return journey_services.touchpoint_log(
            actor=self.desk,
            organization=organization,
            journey=self.journeys.get(organization.pk),
            stakeholder=person,
            channel=channel,
            kind=kind,
            sentiment=sentiment,
            summary=summary,
            occurred_at=moment,
            external_id=f"{EXTERNAL_ID_PREFIX}{self.touchpoint_number:03d}",
        )

    def _request(self, spec: RequestSpec) -> None:
        organization = self.organizations[spec.account]
        requester = self._person(organization, spec.requester)
        opened_at = self._ago(organization, spec.opened)
        touchpoint = None
        if spec.logged:
            touchpoint = self._touchpoint(
                organization,
                kind=TouchpointKind(spec.kind),
                channel=spec.channel,
                summary=spec.title,
                sentiment=KIND_SENTIMENT[spec.kind],
                person=requester,
                moment=opened_at,
            )
        request = services.request_open(
            actor=self.desk,
            organization=organization,
            title=spec.title,
            kind=spec.kind,
            impact=spec.impact,
            urgency=spec.urgency,
            channel=spec.channel,
            description=spec.description,
            requester=requester,
            journey=self.journeys.get(organization.pk),
            touchpoint=touchpoint,
            assignee=self.users[spec.assignee] if spec.assignee else None,
            opened_at=opened_at,
        )
        last = opened_at
        for status, hours, note in spec.steps:
            at = max(self._ago(organization, hours), last)
            actor = request.assignee or self.desk
            request = services.request_transition(
                actor=actor, request=request, to_status=status, note=note, at=at
            )
            last = at
        self.requests[spec.title] = request
        self.result.requests += 1

    def _clocks_checked(self) -> None:
        """The clock check as the every-minute job would have run it. The warnings and breaches of the
        past were notified when they happened: marked so, the check e-mails nobody now. The clocks'
        measurements were scored by the compliance engine then too: scored now, their breaches marked
        as notified (as dsv.demo.agree does)."""
        checked_at = timezone.now()
        clocks = RequestClock.objects.filter(request__in=list(self.requests.values()))
        clocks.filter(warning_notified_at__isnull=True).filter(
            Q(warning_at__lte=checked_at) | Q(breached_at__isnull=False)
        ).update(warning_notified_at=F("warning_at"))
        clocks.filter(breach_notified_at__isnull=True, breached_at__isnull=False).update(
            breach_notified_at=F("breached_at")
        )
        clocks.filter(
            breach_notified_at__isnull=True,
            breached_at__isnull=True,
            stopped_at__isnull=True,
            due_at__lt=checked_at,
        ).update(breach_notified_at=F("due_at"))
        services.request_clocks_check(now=checked_at)
        agreement_ids = {request.agreement_id for request in self.requests.values() if request.agreement_id}
        if agreement_ids:
            compliance_recompute(agreement_ids=sorted(agreement_ids), today=timezone.localdate(checked_at))
            Breach.objects.filter(agreement_id__in=agreement_ids, notified_at__isnull=True).update(
                notified_at=F("detected_at")
            )

    # --- feedback ---------------------------------------------------------------------------------

    def _feedback(self, spec: FeedbackSpec) -> None:
        organization = self.organizations[spec.account]
        person = None if spec.anonymous else self._person(organization, spec.person)
        received_at = self._ago(organization, spec.received)
        touchpoint = self._touchpoint(
            organization,
            kind=services.FEEDBACK_TOUCHPOINT_KIND[spec.kind],
            channel=spec.channel,
            summary=f"{FeedbackKind(spec.kind).label}: {spec.text}",
            sentiment=spec.sentiment,
            person=person,
            moment=received_at,
        )
        feedback = services.feedback_create(
            actor=self.desk,
            organization=organization,
            kind=spec.kind,
            text=spec.text,
            sentiment=spec.sentiment,
            source=spec.source,
            stakeholder=person,
            anonymous=spec.anonymous,
            touchpoint=touchpoint,
            request=self.requests.get(spec.request),
            received_at=received_at,
        )
        owner = organization.owner or self.desk
        hours = spec.received
        path = {
            RECEIVED: (),
            ACKNOWLEDGED: (ACKNOWLEDGED,),
            RESPONDED: (ACKNOWLEDGED, RESPONDED),
            FB_CLOSED: (ACKNOWLEDGED, RESPONDED, FB_CLOSED),
        }[spec.status]
        if spec.reopened:
            path = (ACKNOWLEDGED, RESPONDED, ACKNOWLEDGED)
        for step in path:
            hours = max(hours - spec.gap, 0)
            at = max(self._ago(organization, hours), received_at)
            feedback = services.feedback_transition(
                actor=owner if step == RESPONDED else self.desk,
                feedback=feedback,
                to_status=step,
                response=spec.response if step == RESPONDED else "",
                at=at,
            )
        self.result.feedback += 1

    # --- moments of truth -------------------------------------------------------------------------

    def _moment_reviews(self) -> None:
        """Reviews of the newest moments of truth the account managers have looked at: three that went
        well, two bad ones turned round, two that were not."""
        moments = (
            Touchpoint.objects.filter(organization__in=self.organizations.values(), moment_of_truth=True)
            .exclude(external_id__startswith=EXTERNAL_ID_PREFIX)
            .select_related("organization__owner")
            .order_by("-occurred_at", "-pk")
        )
        good = [moment for moment in moments if moment.sentiment > 0][: len(POSITIVE_REVIEWS)]
        bad = [moment for moment in moments if moment.sentiment < 0][: len(NEGATIVE_REVIEWS)]
        for moment, (notes, follow_up) in zip(good, POSITIVE_REVIEWS, strict=False):
            self._review(moment, MomentPolarity.POSITIVE, None, notes, follow_up)
        for moment, (recovered, notes, follow_up) in zip(bad, NEGATIVE_REVIEWS, strict=False):
            self._review(moment, MomentPolarity.NEGATIVE, recovered, notes, follow_up)

    def _review(self, moment: Touchpoint, polarity, recovered, notes: str, follow_up: str) -> None:
        services.moment_review_save(
            actor=moment.organization.owner or self.desk,
            touchpoint=moment,
            polarity=polarity,
            recovered=recovered,
            notes=notes,
            follow_up=follow_up,
        )
        self.result.reviews += 1

    # --- communities ------------------------------------------------------------------------------

    def _communities(self) -> None:
        """User communities with their members and super-users; one super-user has no back-up."""
        today = timezone.localdate(self.now)
        for spec in COMMUNITIES:
            organization = self.organizations.get(spec.account)
            if organization is None:
                continue
            actor = organization.owner or self.desk
            community = services.community_create(
                actor=actor,
                organization=organization,
                name=spec.name,
                origin=spec.origin,
                platform=spec.platform,
                language=spec.language,
                is_open=spec.is_open,
                description=spec.description,
            )
            members: dict[int, CommunityMember] = {}
            for part, role, activities, share, backup_part, days, notes in spec.members:
                person = self._person(organization, part)
                if person is None or person.pk in {member.stakeholder_id for member in members.values()}:
                    continue
                members[part] = services.member_add(
                    actor=actor,
                    community=community,
                    stakeholder=person,
                    role=role,
                    activities=list(activities) or None,
                    time_allocation_pct=share,
                    backup=members.get(backup_part) if backup_part is not None else None,
                    joined_on=today - timedelta(days=days),
                    notes=notes,
                )
            for part, backup_part in spec.backups:
                if part in members and backup_part in members:
                    services.member_update(actor=actor, member=members[part], backup=members[backup_part])
            self.result.communities += 1

    # --- journey maps -----------------------------------------------------------------------------

    def _journey_maps(self) -> None:
        """An as-is and a to-be map for two personas; the offering built for each persona points at
        its to-be map."""
        if not hasattr(journey_services, "journey_map_create"):
            return
        personas = {
            persona.name: persona
            for persona in Persona.objects.filter(name__in=[m.persona for m in JOURNEY_MAPS])
        }
        manager = self.users["manager"]
        for spec in JOURNEY_MAPS:
            persona = personas.get(spec.persona)
            if persona is None:
                continue
            as_is = journey_services.journey_map_create(
                actor=manager,
                persona=persona,
                name=spec.name,
                version=MapVersion.AS_IS,
                description=spec.description,
            )
            self._stages(manager, as_is, spec.as_is)
            to_be = journey_services.journey_map_create(
                actor=manager,
                persona=persona,
                name=spec.name,
                version=MapVersion.TO_BE,
                description=spec.to_be_description,
                based_on=as_is,
            )
            self._stages(manager, to_be, spec.to_be)
            self.result.journey_maps += 2
            if spec.offering:
                offering = ServiceOffering.objects.filter(name=spec.offering).first()
                if offering is not None:
                    offering.journey_maps.add(to_be)

    @staticmethod
    def _stages(actor, journey_map: JourneyMap, stages: tuple[StageSpec, ...]) -> None:
        for stage in stages:
            journey_services.map_stage_create(
                actor=actor,
                journey_map=journey_map,
                step=stage.step,
                name=stage.name,
                expected_touchpoints=stage.touchpoints,
                channels=list(stage.channels),
                expected_emotion=stage.emotion,
                pain_points=stage.pain_points,
                opportunities=stage.opportunities,
                front_stage=stage.front_stage,
                back_stage=stage.back_stage,
            )
