"""Demo data of Realize: the surveys Larkfield runs, eight months of invitations and answers, the
follow-ups the poor answers asked for, and value reviews in three states.

- **Surveys.** Four, as a customer-success team would set them up: an effort question (CES) a day
  after a request is closed, asked of half the requesters; a satisfaction question (CSAT) a day
  after a request is closed, for everyone the effort question left out; a satisfaction question
  three days after an onboarding plan is completed; and the quarterly relationship question (NPS)
  to every account's customers and sponsors at the start of each quarter.
- **Who was asked, and who was not.** Every candidate has an invitation row, with the reason when
  they were left out: no consent, no e-mail address (a ramp team leader at Skyport shares the crew's
  tablet), surveyed too recently (the 30-day cooldown across all surveys, which also keeps one
  closed request from bringing two e-mails), not drawn in the effort question's half, outside the
  survey's audience, no longer active, and the desk lead who raised and handled a request herself
  (she is on Meridian's contact list for the proactive work she logs for their depots). Sent
  invitations are answered, reminded once, or expired.
- **The stories the answers tell.** Meridian is a *watermelon*: every SLA target met all year and
  their sponsor still content, yet the depot staff who raise requests are less and less satisfied
  (repeat faults count as met in every target). Velmont recovered: effort and satisfaction climbed as
  permits moved online. Skyport's ramp staff are detractors, and several of their follow-ups are
  still open, some overdue. Rovena is the healthy promoter account. The others sit in between.
- **Value reviews.** Harbourview's last quarter, signed off by their sponsor, with the business
  case's expected benefits beside what was realized, the outcome targets, decisions and actions;
  Meridian's, held last week (every target met, the depot's satisfaction not) and waiting for the
  sponsor's sign-off; Rovena's, planned for the day their agreement is due for review.

The closed requests and the completed onboarding plan of the other demo modules are surveyed with
their real trigger keys (`request:<id>`, `plan:<id>`), so the trigger scan, which reads back a
little before its last position, finds them decided already; requests older than the desk's demo
history carry keys of the desk's earlier system (`request:legacy-…`). No invitation is left waiting
to be sent and no reminder falls due soon: closing an open request afterwards brings exactly one
survey e-mail. Everything is written as rows (the past, written down): no e-mail, no journey event.
Deterministic: one `random.Random` per account, seeded from 2026 and the account's name, so an
account's story does not depend on the others or on the order a database returns rows in; the shares
that make a story (who is sampled, who answers, satisfied or not, promoters and detractors) are dealt
out evenly rather than drawn, so a few answers a month still tell it. Only the dates move with the
clock (and the secret nonces, which are secrets). `seed_realize` starts with `reset_realize`, so
seeding twice leaves the same data.
"""

from __future__ import annotations

import random
import secrets
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from cocreation.models import RequestStatus, ServiceRequest
from dsv.demo import accounts
from dsv.demo.offer import (
    BRENNA,
    COBALT,
    HARBOURVIEW,
    JOURNEYS,
    LINDQVIST,
    MERIDIAN,
    ROVENA,
    SKYPORT,
    VELMONT,
)
from journeys.models import JourneyStep, Organization, OrganizationKind, Stakeholder, StakeholderCategory
from onboarding.models import OnboardingPlan, PlanKind
from realization.models import (
    FollowUp,
    FollowUpReason,
    FollowUpStatus,
    InvitationReason,
    InvitationStatus,
    RefreshMark,
    ResponseSource,
    Survey,
    SurveyInvitation,
    SurveyResponse,
    SurveyTrigger,
    SurveyType,
)
from realization.services.activity import site_zone
from realization.services.surveys import MARK as SCAN_MARK

SEED = 2026
CENT = Decimal("0.01")
HISTORY_DAYS = 240  # eight months of invitations and answers
# Requests older than this many days ago come from the desk's earlier system (the Co-create demo's
# own requests start about a month back).
LEGACY_UNTIL_DAYS = 28
# Whoever raises the request that the demo leaves for closing has not been surveyed in this many days.
DONE_WHEN_QUIET_DAYS = 45

NPS, CSAT, CES = SurveyType.NPS, SurveyType.CSAT, SurveyType.CES
NOT_IN_AUDIENCE, INACTIVE, NO_CONSENT, NO_EMAIL, HANDLED, COOLDOWN, SAMPLED_OUT, INVITED = (
    InvitationReason.NOT_IN_AUDIENCE,
    InvitationReason.INACTIVE,
    InvitationReason.NO_CONSENT,
    InvitationReason.NO_EMAIL,
    InvitationReason.HANDLED_REQUEST,
    InvitationReason.COOLDOWN,
    InvitationReason.SAMPLED_OUT,
    InvitationReason.INVITED,
)

# --- surveys ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SurveySpec:
    name: str
    survey_type: str
    question: str
    trigger: str
    to_customers: bool
    to_users: bool
    to_sponsors: bool
    sampling_percent: int
    send_delay_hours: int
    expiry_days: int
    reminder_after_days: int | None
    period_months: int | None = None
    step: str = ""


# The effort question comes first: the scan decides the surveys of a trigger in the order they were
# created, so the half of requesters it draws get the effort question and the cooldown keeps the
# satisfaction one from them; the other half get the satisfaction question.
CES_AFTER_REQUEST = SurveySpec(
    "After a closed request: effort (CES)",
    CES,
    "Larkfield made it easy for me to get my request dealt with. How much do you agree?",
    SurveyTrigger.REQUEST_CLOSED,
    to_customers=True,
    to_users=True,
    to_sponsors=False,
    sampling_percent=50,
    send_delay_hours=24,
    expiry_days=7,
    reminder_after_days=None,
)
CSAT_AFTER_REQUEST = SurveySpec(
    "After a closed request: satisfaction (CSAT)",
    CSAT,
    "How satisfied are you with the way we handled your request?",
    SurveyTrigger.REQUEST_CLOSED,
    to_customers=True,
    to_users=True,
    to_sponsors=False,
    sampling_percent=100,
    send_delay_hours=24,
    expiry_days=7,
    reminder_after_days=3,
)
CSAT_AFTER_ONBOARDING = SurveySpec(
    "After onboarding: satisfaction (CSAT)",
    CSAT,
    "Now that you are up and running: how satisfied are you with the way the move to our service went?",
    SurveyTrigger.ONBOARDING_COMPLETED,
    to_customers=True,
    to_users=True,
    to_sponsors=True,
    sampling_percent=100,
    send_delay_hours=72,
    expiry_days=14,
    reminder_after_days=5,
    step=JourneyStep.ONBOARD,
)
NPS_QUARTERLY = SurveySpec(
    "Quarterly relationship survey (NPS)",
    NPS,
    "How likely are you to recommend Larkfield to a colleague in another organization?",
    SurveyTrigger.PERIODIC,
    to_customers=True,
    to_users=False,
    to_sponsors=True,
    sampling_percent=100,
    send_delay_hours=9,
    expiry_days=21,
    reminder_after_days=7,
    period_months=3,
    step=JourneyStep.REALIZE,
)
SURVEYS = (CES_AFTER_REQUEST, CSAT_AFTER_REQUEST, CSAT_AFTER_ONBOARDING, NPS_QUARTERLY)


# --- the accounts' stories ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Story:
    """How an account's answers move from eight months ago (first value) to now (second)."""

    requests_per_month: float  # closed requests a month before the demo's own (the legacy ones)
    answer_rate: float
    satisfied: tuple[float, float]  # the share of CSAT answers that are 4 or 5
    effort: tuple[float, float]  # the mean CES answer (1–7, higher is easier)
    promoters: tuple[float, float]
    detractors: tuple[float, float]
    open_days: int = 10  # a poor answer this recent still has its follow-up open
    comments: dict[str, tuple[str, ...]] = field(default_factory=dict)  # "good", "poor", "mixed"
    outcomes: tuple[str, ...] = ()  # what the owner learned and did, for the follow-ups done


STORIES: dict[str, Story] = {
    # The watermelon: every SLA target met, the sponsor still content, the depot staff who raise the
    # requests less and less satisfied (repeat faults count as met in every target).
    MERIDIAN: Story(
        requests_per_month=14,
        answer_rate=0.85,
        satisfied=(0.9, 0.1),
        effort=(5.9, 2.8),
        promoters=(0.75, 0.35),
        detractors=(0.05, 0.35),
        open_days=12,
        comments={
            "good": (
                "Sorted before the night shift started.",
                "The engineer walked the depot team through the fix as well.",
                "They treat our depots as if they were their own.",
            ),
            "mixed": (
                "Friendly engineer, but the fault was back the next day.",
                "Fixed in the end; it took three calls to reach someone who knew the history.",
            ),
            "poor": (
                "Third time this month the label printer jams. Closed as fixed each time.",
                "Scanner fixed on Tuesday, same fault on Thursday.",
                "The dock writes its scans on paper while we wait.",
                "Your monthly report says all green. The night shift would not agree.",
                "Quick to close the ticket, slow to fix the cause.",
                "Every call starts from zero: nobody knows what happened last week.",
            ),
        },
        outcomes=(
            "Walked the Bremen dock with their supervisor: the printers fail on the thicker labels and "
            "every repair counts as met. Proposed a first-time-fix measure for the next review.",
            "Agreed that one engineer owns the repeat faults at the Hamburg hub.",
            "Explained the spare-printer swap while the roller kits are on order; they accept it for now.",
        ),
    ),
    # Recovered: effort and satisfaction climbed as the permits moved online.
    VELMONT: Story(
        requests_per_month=12,
        answer_rate=0.78,
        satisfied=(0.45, 0.95),
        effort=(3.4, 6.1),
        promoters=(0.15, 0.6),
        detractors=(0.45, 0.1),
        comments={
            "good": (
                "The permit form fix was live the same afternoon.",
                "Far easier than in the spring: one call and it was done.",
                "The status page told me what I needed before I picked up the phone.",
                "Quick, polite and the residents noticed nothing.",
            ),
            "mixed": ("Fine in the end; the first answer missed the point.",),
            "poor": (
                "I had to chase twice before anyone looked at the permit form.",
                "Finding the right person took most of the morning.",
                "Residents were stuck for a day and nobody told us why.",
            ),
        },
        outcomes=(
            "Met the permits team; the form errors came from the old address lookup. Fixed in the "
            "next release.",
            "Agreed a named contact at the desk for the council's portal questions.",
        ),
    ),
    # Detractors with follow-ups still open.
    SKYPORT: Story(
        requests_per_month=12,
        answer_rate=0.75,
        satisfied=(0.6, 0.25),
        effort=(4.4, 2.6),
        promoters=(0.0, 0.0),
        detractors=(0.5, 0.85),
        open_days=70,
        comments={
            "good": ("Spare tablet arrived within the hour. That is what we need.",),
            "mixed": ("The swap was quick; the new tablet froze the next morning all the same.",),
            "poor": (
                "The tablets still freeze at shift change and the crew goes back to paper.",
                "Too dim to read on the apron at midday. Reported three times now.",
                "Two days for a swap. A turnaround takes forty minutes.",
                "The ticket says resolved; the ramp says otherwise.",
                "Your figures are all green. Our ramp agents would not agree.",
                "Not until the tablets last a full turnaround without a restart.",
            ),
        },
        outcomes=(
            "Visited the Málaga ramp at shift change and saw the freeze ourselves; logged it with the "
            "app vendor.",
        ),
    ),
    # The healthy promoter account.
    ROVENA: Story(
        requests_per_month=10,
        answer_rate=0.85,
        # Few of Rovena's people take surveys, so one lukewarm answer would sink a three-month window.
        satisfied=(1.0, 1.0),
        effort=(5.9, 6.3),
        promoters=(0.7, 0.85),
        detractors=(0.0, 0.0),
        comments={
            "good": (
                "Kiosk back in service before the morning pickups. Thank you.",
                "The night desk picked up straight away.",
                "Clear about what was changed and why.",
                "The branches hardly notice you are there, which is the highest praise.",
                "They think about our peak season before we do.",
            ),
            "mixed": ("Solved quickly; the telematics delays still deserve a report of their own.",),
            "poor": ("The Faro kiosk was out for a whole morning.",),
        },
        outcomes=("Added the Faro kiosk to the spares run; they were happy with the call.",),
    ),
    COBALT: Story(
        requests_per_month=12,
        answer_rate=0.7,
        satisfied=(0.95, 0.86),
        effort=(5.8, 5.3),
        promoters=(0.45, 0.3),
        detractors=(0.1, 0.25),
        comments={
            "good": (
                "The French-speaking agent made it very easy.",
                "Handled within the hour, with the change board's approval sorted for us.",
            ),
            "mixed": ("The scanners are better since the fix, not yet as quick as before the update.",),
            "poor": (
                "Monday password resets still take far too long.",
                "Since the teller software update every scan takes twice as long.",
            ),
        },
        outcomes=(
            "Added a second agent to the Monday morning reset queue.",
            "Booked the scanner driver fix with the change board for next week.",
        ),
    ),
    LINDQVIST: Story(
        requests_per_month=5,
        answer_rate=0.85,
        satisfied=(0.9, 0.95),
        effort=(6.0, 6.2),
        promoters=(0.6, 0.7),
        detractors=(0.1, 0.05),
        comments={
            "good": ("Stations back before the evening peak.", "Short and to the point, thanks."),
            "mixed": ("Fixed, though we only heard once a rider told us.",),
            "poor": ("The SIM swap left two stations offline over the weekend.",),
        },
        outcomes=("Agreed to text their mechanic when a station comes back online.",),
    ),
    HARBOURVIEW: Story(
        requests_per_month=8,
        answer_rate=0.7,
        satisfied=(0.7, 0.85),
        effort=(4.8, 5.5),
        promoters=(0.3, 0.4),
        detractors=(0.2, 0.15),
        comments={
            "good": (
                "The floor walker on 4A made go-live painless.",
                "Badge sign-in is quick now; the night shift noticed.",
            ),
            "mixed": ("Fixed, but the ward had to chase for an update.",),
            "poor": ("The emergency department screen was frozen far too long before anyone came.",),
        },
        outcomes=("Agreed a direct line from the emergency department to the on-site engineer.",),
    ),
    BRENNA: Story(
        requests_per_month=4,
        answer_rate=0.6,
        satisfied=(0.7, 0.5),
        effort=(5.0, 4.2),
        promoters=(0.2, 0.1),
        detractors=(0.3, 0.5),
        comments={
            "good": ("Cut-over weekend went as planned.",),
            "poor": ("Fine work, but the group is moving us to its own provider regardless.",),
        },
        outcomes=("Thanked them; handed the contact over for the hardware maintenance contract.",),
    ),
}

# The accounts without a story of their own (prospects, accounts still agreeing): a few answers to the
# relationship survey and to the odd request, mostly content.
DEFAULT_STORY = Story(
    requests_per_month=0,
    answer_rate=0.55,
    satisfied=(0.8, 0.8),
    effort=(5.2, 5.2),
    promoters=(0.35, 0.35),
    detractors=(0.15, 0.15),
    comments={
        "good": ("Helpful and quick.", "Good to talk to people who listen."),
        "poor": ("Too early to say much; the first answers were slow.",),
    },
    outcomes=("Called them; they wanted to know who to ring. Sent the contact sheet.",),
)

# Request subjects of the legacy requests, filled with the account's systems and sites.
LEGACY_SUBJECTS = (
    "{System} not responding at {site}",
    "{System} slow at {site}",
    "Access to {system} for a new starter",
    "Question about {system}",
    "{System} keeps dropping the connection",
    "Replacement needed for part of {system} at {site}",
)

# The request the demo leaves open for the reader to close (see the module docstring).
DONE_WHEN_REQUEST = "Bremen label printer jams again after the roller swap"

# People this module adds to the accounts: (account, name, job title, e-mail, roles, consent).
EXTRA_PEOPLE = (
    (
        SKYPORT,
        "Rocío Delgado",
        "Ramp team leader, night shift (shares the crew tablet; no e-mail address of her own)",
        "",
        {"is_user": True},
        True,
    ),
    (
        MERIDIAN,
        "Priya Nandakumar",
        "Larkfield service desk lead; named on the proactive requests she logs for the depots",
        "desk@larkfield-ms.example",
        {"is_user": True},
        True,
    ),
    # The people on the shop floor who raise most requests, and answer the surveys after them.
    (
        MERIDIAN,
        "Sven Albrecht",
        "Night shift supervisor, Bremen depot",
        "sven.albrecht@meridian-freight.example",
        {"is_user": True},
        True,
    ),
    (
        MERIDIAN,
        "Nadine Krüger",
        "Dock clerk, Hamburg hub",
        "nadine.krueger@meridian-freight.example",
        {"is_user": True},
        True,
    ),
    (
        MERIDIAN,
        "Emre Yılmaz",
        "Transport planner, Hannover depot",
        "emre.yilmaz@meridian-freight.example",
        {"is_user": True},
        True,
    ),
    (VELMONT, "Lotte Claes", "Permit officer", "lotte.claes@velmont-city.example", {"is_user": True}, True),
    (
        VELMONT,
        "Bram Willems",
        "Parking services clerk",
        "bram.willems@velmont-city.example",
        {"is_user": True},
        True,
    ),
    (
        VELMONT,
        "Ines Maes",
        "Citizen service desk officer",
        "ines.maes@velmont-city.example",
        {"is_user": True},
        True,
    ),
    (
        ROVENA,
        "Inês Ferreira",
        "Branch agent, Lisbon airport",
        "ines.ferreira@rovena-rental.example",
        {"is_user": True},
        True,
    ),
    (
        ROVENA,
        "Pedro Nunes",
        "Fleet coordinator, Porto",
        "pedro.nunes@rovena-rental.example",
        {"is_user": True},
        True,
    ),
    (
        ROVENA,
        "Sofia Lopes",
        "Branch agent, Faro",
        "sofia.lopes@rovena-rental.example",
        {"is_user": True},
        True,
    ),
    (
        SKYPORT,
        "Javier Navarro",
        "Ramp agent, Málaga",
        "javier.navarro@skyport-gh.example",
        {"is_user": True},
        True,
    ),
    (
        SKYPORT,
        "Carmen Ruiz",
        "Load controller, Málaga",
        "carmen.ruiz@skyport-gh.example",
        {"is_user": True},
        True,
    ),
    (
        SKYPORT,
        "Pablo Herrera",
        "Ramp agent, Alicante",
        "pablo.herrera@skyport-gh.example",
        {"is_user": True},
        True,
    ),
)
EXTRA_EXTERNAL_ID = "demo-realize-person-"


@dataclass
class RealizeResult:
    surveys: int = 0
    invitations: int = 0
    responses: int = 0
    follow_ups: int = 0


def _demo_organization_ids() -> list[int]:
    return list(Organization.objects.filter(name__in=list(JOURNEYS)).values_list("pk", flat=True))


@transaction.atomic
def reset_realize() -> None:
    """Remove the demo surveys (with every invitation, answer and follow-up), the demo accounts' value
    reviews, snapshots and watermelon alerts, and the people this module added. Runs before the demo
    organizations go."""
    from realization.models import ValueReview, ValueSnapshot, WatermelonAlert

    organization_ids = _demo_organization_ids()
    Survey.objects.filter(name__in=[spec.name for spec in SURVEYS]).delete()
    SurveyInvitation.objects.filter(organization_id__in=organization_ids).delete()
    SurveyResponse.objects.filter(organization_id__in=organization_ids).delete()
    ValueReview.objects.filter(organization_id__in=organization_ids).delete()
    ValueSnapshot.objects.filter(organization_id__in=organization_ids).delete()
    WatermelonAlert.objects.filter(organization_id__in=organization_ids).delete()
    extra = Stakeholder.objects.filter(
        organization_id__in=organization_ids, external_id__startswith=EXTRA_EXTERNAL_ID
    )
    Stakeholder.history.filter(id__in=list(extra.values_list("pk", flat=True))).delete()
    extra.delete()


@transaction.atomic
def seed_realize(*, users: dict, now: datetime) -> RealizeResult:
    """Create the demo's Realize data (after Co-create). Seeding again replaces it."""
    reset_realize()
    return _RealizeBuilder(users=users, now=now).build()


# --- building it -----------------------------------------------------------------------------------


@dataclass
class _Trigger:
    """Something that asks for a survey: a closed request, a completed plan, a quarter's start."""

    at: datetime
    trigger: str
    key: str
    subject: str
    step: str
    organization: Organization
    candidates: list[Stakeholder]
    handled_by: object = None
    handler_emails: frozenset[str] = frozenset()
    decided_at: datetime | None = None  # when the scan saw it (later than `at` for people added later)


@dataclass
class _Decision:
    invitation: SurveyInvitation
    spec: SurveySpec
    story: Story | None
    score: int | None = None
    answered_at: datetime | None = None


# The stories stay where they started for the first part of the history, move between these two
# points and stay where they are now for the last months (which the health score reads).
TURNS_AT, SETTLED_AT = 0.25, 0.7
GOLDEN = 0.6180339887498949


def _lerp(pair: tuple[float, float], t: float) -> float:
    share = min(1.0, max(0.0, (t - TURNS_AT) / (SETTLED_AT - TURNS_AT)))
    return pair[0] + (pair[1] - pair[0]) * share


class _RealizeBuilder:
    def __init__(self, *, users: dict, now: datetime) -> None:
        # One generator per account (and one for the rest): an account's story does not shift when
        # another account gains a request, nor with the order a database returns rows in.
        self.rngs: dict[str, random.Random] = {}
        self.users = users
        # The requests' moments come from the real clock (dsv.demo.cocreate): so does "now" here.
        self.now = max(now, timezone.now().replace(second=0, microsecond=0))
        self.zone = site_zone()
        self.start = self.now - timedelta(days=HISTORY_DAYS)
        self.cooldown = timedelta(days=int(getattr(settings, "DSV_SURVEY_COOLDOWN_DAYS", 30)))
        self.follow_up_days = int(getattr(settings, "DSV_FOLLOW_UP_DAYS", 5))
        self.result = RealizeResult()
        self.invited_at: dict[int, list[datetime]] = defaultdict(list)
        self.owed: dict[tuple[int, str], dict[str, float]] = defaultdict(dict)

    def _rng(self, organization: Organization | str) -> random.Random:
        name = organization if isinstance(organization, str) else organization.name
        if name not in self.rngs:
            self.rngs[name] = random.Random(f"{SEED}:{name}")
        return self.rngs[name]

    def _dealt(self, key: tuple, share: float) -> bool:
        """True for `share` of the calls with this key, dealt out evenly (error diffusion) rather than
        drawn, so that a handful of cases a month still follows the share."""
        owed = self.owed[key]
        owed["dealt"] = owed.get("dealt", 0.0) + share
        if owed["dealt"] >= 0.5:
            owed["dealt"] -= 1
            return True
        return False

    def build(self) -> RealizeResult:
        self.organizations = {
            organization.name: organization
            for organization in Organization.objects.filter(
                name__in=list(JOURNEYS), kind=OrganizationKind.CONSUMER
            )
            .select_related("owner")
            .order_by("name")
        }
        self._extra_people()
        self.people: dict[int, list[Stakeholder]] = defaultdict(list)
        for person in Stakeholder.objects.filter(organization__in=self.organizations.values()).order_by("pk"):
            self.people[person.organization_id].append(person)
        self.surveys = self._surveys()
        self.quiet = self._done_when_requester()
        triggers = self._request_triggers() + self._plan_triggers() + self._period_triggers()
        triggers.sort(key=lambda trigger: (trigger.at, trigger.key))
        decisions = [decision for trigger in triggers for decision in self._decide(trigger)]
        self._write(decisions)
        # The scan's position: it reads back from here (less its overlap), where everything is decided.
        RefreshMark.objects.update_or_create(
            name=SCAN_MARK, defaults={"reached": timezone.now(), "refreshed_at": timezone.now()}
        )
        return self.result

    # --- people and surveys -------------------------------------------------------------------------

    def _extra_people(self) -> None:
        for number, (account, name, title, email, roles, consent) in enumerate(EXTRA_PEOPLE, start=1):
            organization = self.organizations.get(account)
            if organization is None:
                continue
            Stakeholder.objects.create(
                organization=organization,
                name=name,
                job_title=title,
                email=email,
                category=(
                    StakeholderCategory.PROVIDER_EMPLOYEE
                    if email.endswith("larkfield-ms.example")
                    else StakeholderCategory.CONSUMER
                ),
                influence=2,
                interest=4,
                survey_consent=consent,
                external_id=f"{EXTRA_EXTERNAL_ID}{number}",
                **roles,
            )

    def _surveys(self) -> dict[str, Survey]:
        created = {}
        for spec in SURVEYS:
            survey = Survey(
                name=spec.name,
                survey_type=spec.survey_type,
                question=spec.question,
                trigger=spec.trigger,
                to_customers=spec.to_customers,
                to_users=spec.to_users,
                to_sponsors=spec.to_sponsors,
                sampling_percent=spec.sampling_percent,
                send_delay_hours=spec.send_delay_hours,
                expiry_days=spec.expiry_days,
                reminder_after_days=spec.reminder_after_days,
                period_months=spec.period_months,
                step=spec.step,
                owner=self.users["manager"],
                tested_at=self.start - timedelta(days=3),
            )
            survey.full_clean()
            survey.save()
            created[spec.name] = survey
        # Set up before the history starts (the scan ignores triggers older than a survey).
        Survey.objects.filter(pk__in=[survey.pk for survey in created.values()]).update(
            created_at=self.start - timedelta(days=7)
        )
        self.result.surveys = len(created)
        return created

    def _done_when_requester(self) -> int | None:
        request = ServiceRequest.objects.filter(title=DONE_WHEN_REQUEST).first()
        return request.requester_id if request else None

    # --- triggers -----------------------------------------------------------------------------------

    @staticmethod
    def _moment(day: datetime, zone, rng: random.Random) -> datetime:
        """A working-hours moment on the day (or the working day before)."""
        local = day.astimezone(zone)
        while local.weekday() >= 5:
            local -= timedelta(days=1)
        return local.replace(hour=rng.randint(8, 17), minute=rng.randrange(0, 60, 5), second=0, microsecond=0)

    def _step_on(self, plan: accounts.AccountPlan, moment: datetime) -> str:
        days_ago = (self.now - moment).days
        step = JourneyStep.CO_CREATE
        for name, days in plan.journeys[0].history:
            if days >= days_ago:
                step = name
        return str(step)

    def _request_triggers(self) -> list[_Trigger]:
        triggers = []
        plans = {plan.name: plan for plan in accounts.ACCOUNTS}
        # Counted from the start of today (site time), so seeding again the same day gives the same days.
        today = self.now.astimezone(self.zone).replace(hour=0, minute=0, second=0, microsecond=0)
        legacy_until = today - timedelta(days=LEGACY_UNTIL_DAYS)
        for name, story in STORIES.items():
            organization = self.organizations.get(name)
            if organization is None or not story.requests_per_month:
                continue
            plan = plans[name]
            journey = plan.journeys[0]
            # Requests since the account reached onboarding, until it left.
            served_days = max(days for step, days in journey.history if step in ("onboard", "co_create"))
            first = today - timedelta(days=min(served_days, HISTORY_DAYS - 1))
            last = legacy_until
            if journey.left_days_ago:
                last = min(last, today - timedelta(days=journey.left_days_ago))
            if last <= first:
                continue
            months = (last - first).days / 30.4
            people = self.people[organization.pk]
            handled_person = next((p for p in people if p.email.endswith("larkfield-ms.example")), None)
            rng = self._rng(organization)
            # When each person is asked: the quarter's relationship survey, then the requests below.
            rounds = [
                datetime(first.year, first.month, first.day, tzinfo=self.zone)
                + timedelta(hours=NPS_QUARTERLY.send_delay_hours)
                for first in self._period_starts()
            ]
            asked: dict[int, list[datetime]] = {
                person.pk: list(rounds) if person.is_customer or person.is_sponsor else []
                for person in people
            }
            count = round(story.requests_per_month * months)
            for number in range(count):
                # Spread over the months (one request in each equal slice), not bunched by chance.
                moment = self._moment(
                    first + (last - first) * ((number + rng.random()) / count), self.zone, rng
                )
                requester = self._requester(people, moment, asked, rng)
                handled_by = self.users["desk"] if rng.random() < 0.8 else organization.owner
                if requester is handled_person:
                    handled_by = self.users["desk"]
                if requester.pk == self.quiet and moment > self.now - timedelta(days=DONE_WHEN_QUIET_DAYS):
                    continue
                subject = rng.choice(LEGACY_SUBJECTS).format(
                    system=rng.choice(plan.systems),
                    System=rng.choice(plan.systems).capitalize(),
                    site=rng.choice(plan.sites),
                )
                triggers.append(
                    _Trigger(
                        at=moment,
                        trigger=SurveyTrigger.REQUEST_CLOSED,
                        key=f"request:legacy-{moment.astimezone(self.zone):%Y%m%d}-{len(triggers) + 1:04d}",
                        subject=subject[0].upper() + subject[1:],
                        step=self._step_on(plan, moment),
                        organization=organization,
                        candidates=[requester],
                        handled_by=handled_by,
                        handler_emails=frozenset({handled_by.email.lower()} if handled_by.email else ()),
                    )
                )
        # The Co-create demo's own closed requests, with their real keys.
        for request in (
            ServiceRequest.objects.filter(
                organization__in=self.organizations.values(),
                status=RequestStatus.CLOSED,
                closed_at__isnull=False,
                requester__isnull=False,
            )
            .select_related("organization", "requester", "assignee")
            .order_by("pk")
        ):
            closer = (
                request.updates.filter(to_status=RequestStatus.CLOSED)
                .order_by("-occurred_at")
                .values_list("author_id", flat=True)
                .first()
            )
            closed_by = next((user for user in self.users.values() if user.pk == closer), None)
            triggers.append(
                _Trigger(
                    at=request.closed_at,
                    trigger=SurveyTrigger.REQUEST_CLOSED,
                    key=f"request:{request.pk}",
                    subject=f"REQ-{request.pk:06d}: {request.title}",
                    step=request.step or JourneyStep.CO_CREATE,
                    organization=self.organizations[request.organization.name],
                    candidates=[request.requester],
                    handled_by=request.assignee or closed_by,
                    handler_emails=frozenset(
                        user.email.lower() for user in (request.assignee, closed_by) if user and user.email
                    ),
                )
            )
        return triggers

    def _requester(
        self,
        people: list[Stakeholder],
        moment: datetime,
        asked: dict[int, list[datetime]],
        rng: random.Random,
    ) -> Stakeholder:
        """Mostly the people who use the service, sometimes a customer, now and then a sponsor; the
        people who take surveys and were not asked lately raise more of them (so that an account with
        few such people still has answers every month, and the quarter's relationship survey still
        reaches its customers), the others still some."""
        send_after = moment + timedelta(hours=CES_AFTER_REQUEST.send_delay_hours)
        weights = []
        for person in people:
            weight = 0.5
            if person.is_user:
                weight = 3.0
            elif person.is_customer:
                weight = 1.2
            if not person.email:
                weight = 1.0
            if person.category == StakeholderCategory.PROVIDER_EMPLOYEE:
                weight = 0.8
            answers = (
                person.survey_consent
                and person.email
                and person.is_active
                and (person.is_user or person.is_customer)
            )
            if answers:
                rested = all(abs(send_after - earlier) >= self.cooldown for earlier in asked[person.pk])
                weight *= 6 if rested else 0.1
            weights.append(weight)
        requester = rng.choices(people, weights=weights)[0]
        if requester.survey_consent and requester.email:
            asked[requester.pk].append(send_after)
        return requester

    def _plan_triggers(self) -> list[_Trigger]:
        triggers = []
        for plan in (
            OnboardingPlan.objects.filter(
                organization__in=self.organizations.values(),
                kind=PlanKind.ONBOARDING,
                completed_at__isnull=False,
                completed_at__gte=self.start,
            )
            .select_related("organization")
            .order_by("completed_at", "pk")
        ):
            organization = self.organizations[plan.organization.name]
            triggers.append(
                _Trigger(
                    at=plan.completed_at,
                    trigger=SurveyTrigger.ONBOARDING_COMPLETED,
                    key=f"plan:{plan.pk}",
                    subject=f"Onboarding: {plan.title}",
                    step=JourneyStep.ONBOARD,
                    organization=organization,
                    candidates=[
                        person
                        for person in self.people[organization.pk]
                        if person.is_customer or person.is_user or person.is_sponsor
                    ],
                )
            )
        return triggers

    def _period_starts(self) -> list[date]:
        """The first days of the quarters (January, April, July, October) in the history."""
        local = self.now.astimezone(self.zone)
        first = date(local.year, 1 + (local.month - 1) // 3 * 3, 1)
        starts = []
        while True:
            moment = datetime(first.year, first.month, first.day, tzinfo=self.zone)
            if moment < self.start:
                break
            starts.append(first)
            month = first.month - 3
            first = date(first.year - (month < 1), month + 12 if month < 1 else month, 1)
        return sorted(starts)

    def _period_triggers(self) -> list[_Trigger]:
        """Each quarter's round to the customers and sponsors of every consumer account, as the scan
        makes it. A past round counts the accounts we knew then; the current one counts them all (the
        scan adds an account's people at its first run after they are added)."""
        triggers = []
        plans = {plan.name: plan for plan in accounts.ACCOUNTS}
        starts = self._period_starts()
        for first in starts:
            moment = datetime(first.year, first.month, first.day, tzinfo=self.zone)
            for name, organization in self.organizations.items():
                known = self.now - timedelta(days=plans[name].journeys[0].history[0][1])
                decided = moment
                if known > moment:
                    if first != starts[-1]:
                        continue
                    decided = known
                triggers.append(
                    _Trigger(
                        at=moment,
                        trigger=SurveyTrigger.PERIODIC,
                        key=f"period:{first:%Y-%m}",
                        subject=f"Our service to {organization.name}",
                        step=JourneyStep.REALIZE,
                        organization=organization,
                        candidates=[
                            person
                            for person in self.people[organization.pk]
                            if person.is_customer or person.is_sponsor
                        ],
                        decided_at=decided,
                    )
                )
        return triggers

    # --- decisions --------------------------------------------------------------------------------

    def _reason(self, survey: Survey, person: Stakeholder, trigger: _Trigger, send_after: datetime) -> str:
        if not set(person.roles) & set(survey.audience_roles):
            return NOT_IN_AUDIENCE
        if not person.is_active:
            return INACTIVE
        if not person.survey_consent:
            return NO_CONSENT
        if not person.email:
            return NO_EMAIL
        if person.email.lower() in trigger.handler_emails:
            return HANDLED
        if any(abs(send_after - earlier) < self.cooldown for earlier in self.invited_at[person.pk]):
            return COOLDOWN
        if survey.sampling_percent < 100 and not self._dealt(
            (trigger.organization.pk, f"sample:{survey.name}"), survey.sampling_percent / 100
        ):
            return SAMPLED_OUT
        return INVITED

    def _decide(self, trigger: _Trigger) -> list[_Decision]:
        decisions = []
        specs = sorted(
            (spec for spec in SURVEYS if spec.trigger == trigger.trigger), key=lambda spec: spec.name
        )
        for spec in specs:
            survey = self.surveys[spec.name]
            for person in trigger.candidates:
                send_after = trigger.at + timedelta(hours=spec.send_delay_hours)
                reason = self._reason(survey, person, trigger, send_after)
                invitation = SurveyInvitation(
                    survey=survey,
                    organization=trigger.organization,
                    stakeholder=person,
                    trigger_key=trigger.key,
                    subject=trigger.subject[:240],
                    step=spec.step or trigger.step,
                    triggered_at=trigger.at,
                    status=InvitationStatus.NOT_INVITED,
                    reason=reason,
                    reason_detail=self._detail(reason, person, survey),
                    handled_by=trigger.handled_by,
                    nonce=secrets.token_hex(16),
                )
                decision = _Decision(invitation, spec, STORIES.get(trigger.organization.name, DEFAULT_STORY))
                if reason == INVITED:
                    self.invited_at[person.pk].append(send_after)
                    invitation.send_after = send_after
                    self._deliver(decision, trigger.decided_at or trigger.at)
                decisions.append(decision)
        return decisions

    def _detail(self, reason: str, person: Stakeholder, survey: Survey) -> str:
        if reason == COOLDOWN:
            latest = max(self.invited_at[person.pk])
            return f"Another survey is sent to them on {timezone.localtime(latest):%-d %b %Y}."
        if reason == HANDLED:
            return "Their e-mail is that of the person who handled the request."
        if reason == NOT_IN_AUDIENCE:
            held = ", ".join(person.roles) or "no consumer role"
            return f"Holds {held}; the survey asks {', '.join(survey.audience_roles)}."
        if reason == SAMPLED_OUT:
            return f"The survey asks {survey.sampling_percent} % of the people."
        return ""

    def _deliver(self, decision: _Decision, decided_at: datetime) -> None:
        """Sent, then answered, reminded or expired, as the jobs would have done it."""
        invitation, spec, story = decision.invitation, decision.spec, decision.story
        rng = self._rng(invitation.organization)
        now = self.now
        sent_at = max(invitation.send_after, decided_at) + timedelta(minutes=rng.randint(1, 4))
        if sent_at > now:  # not yet due: it waits for the sender (the demo's triggers are older)
            invitation.status = InvitationStatus.SCHEDULED
            return
        invitation.claimed_at = sent_at - timedelta(seconds=2)
        invitation.sent_at = sent_at
        invitation.attempts = 1
        invitation.expires_at = sent_at + timedelta(days=spec.expiry_days)
        reminder_at = (
            sent_at + timedelta(days=spec.reminder_after_days, minutes=rng.randint(1, 4))
            if spec.reminder_after_days
            else None
        )
        answered_at = None
        if story and self._dealt(
            (invitation.organization_id, f"answer:{spec.survey_type}"), story.answer_rate
        ):
            if reminder_at and rng.random() < 0.3:
                answered_at = reminder_at + timedelta(hours=rng.uniform(0.2, 40))
            else:
                answered_at = sent_at + timedelta(hours=rng.expovariate(1 / 9))
            answered_at = min(answered_at, invitation.expires_at - timedelta(minutes=5))
        if answered_at is not None and answered_at > now:
            answered_at = None
        if answered_at is None and reminder_at and now < reminder_at <= now + timedelta(days=2):
            # A reminder about to fall due: this person answered before it (the demo leaves nothing
            # for the sender to do, so the first e-mail after closing a request is the only one).
            answered_at = sent_at + (now - sent_at) * rng.uniform(0.3, 0.9)
        reminded = reminder_at is not None and reminder_at <= now and reminder_at < invitation.expires_at
        if reminded and (answered_at is None or reminder_at < answered_at):
            invitation.reminder_claimed_at = reminder_at - timedelta(seconds=2)
            invitation.reminder_sent_at = reminder_at
        if answered_at is not None:
            invitation.status = InvitationStatus.RESPONDED
            invitation.responded_at = answered_at
            decision.answered_at = answered_at
            decision.score = self._score(
                spec.survey_type, invitation.organization, story, invitation.triggered_at
            )
        elif invitation.expires_at <= now:
            invitation.status = InvitationStatus.EXPIRED
        else:
            invitation.status = InvitationStatus.SENT

    def _score(self, survey_type: str, organization: Organization, story: Story, moment: datetime) -> int:
        """A score that follows the story, dealt out rather than drawn so that a handful of answers a
        month still shows it: the effort means and the NPS groups by error diffusion per account; whether
        a CSAT answer is satisfied by the account's golden-ratio sequence against the story's share (an
        even spread over any run of answers, with no remainder carried from an older, better month)."""
        rng = self._rng(organization)
        t = min(max((moment - self.start) / (self.now - self.start), 0.0), 1.0)
        owed = self.owed[(organization.pk, survey_type)]
        if survey_type == CSAT:
            owed["count"] = owed.get("count", 0) + 1
            if (0.5 + owed["count"] * GOLDEN) % 1 < _lerp(story.satisfied, t):
                return 5 if rng.random() < 0.55 else 4
            return rng.choices((3, 2, 1), weights=(5, 3, 2))[0]
        if survey_type == CES:
            owed["sum"] = owed.get("sum", 0.0) + _lerp(story.effort, t)
            score = min(7, max(1, round(owed["sum"] + rng.uniform(-0.6, 0.6))))
            owed["sum"] -= score
            return score
        owed["promoter"] = owed.get("promoter", 0.0) + _lerp(story.promoters, t)
        owed["detractor"] = owed.get("detractor", 0.0) + _lerp(story.detractors, t)
        if owed["promoter"] >= 0.5 and owed["promoter"] >= owed["detractor"]:
            owed["promoter"] -= 1
            return 10 if rng.random() < 0.5 else 9
        if owed["detractor"] >= 0.5:
            owed["detractor"] -= 1
            return rng.choices((2, 3, 4, 5, 6), weights=(1, 2, 3, 4, 4))[0]
        return rng.choice((7, 8))

    # --- writing ----------------------------------------------------------------------------------

    def _write(self, decisions: list[_Decision]) -> None:
        invitations = SurveyInvitation.objects.bulk_create(
            [decision.invitation for decision in decisions], batch_size=500
        )
        self.result.invitations = len(invitations)
        answered = [decision for decision in decisions if decision.answered_at is not None]
        responses = []
        for decision in answered:
            invitation = decision.invitation
            comment = self._comment(decision)
            responses.append(
                SurveyResponse(
                    invitation=invitation,
                    survey=invitation.survey,
                    survey_type=decision.spec.survey_type,
                    organization=invitation.organization,
                    stakeholder=invitation.stakeholder,
                    step=invitation.step,
                    score=decision.score,
                    comment=comment,
                    comment_key=secrets.token_hex(16),
                    commented_at=decision.answered_at
                    + timedelta(minutes=self._rng(invitation.organization).randint(1, 4))
                    if comment
                    else None,
                    answered_at=decision.answered_at,
                    source=ResponseSource.EMAIL,
                )
            )
        responses = SurveyResponse.objects.bulk_create(responses, batch_size=500)
        self.result.responses = len(responses)
        follow_ups = []
        for decision, response in zip(answered, responses, strict=True):
            reason = self._poor(decision.spec.survey_type, decision.score)
            if reason:
                follow_ups.append(self._follow_up(decision, response, reason))
        FollowUp.objects.bulk_create(follow_ups, batch_size=500)
        self.result.follow_ups = len(follow_ups)

    @staticmethod
    def _poor(survey_type: str, score: int) -> str | None:
        if survey_type == NPS and score <= 6:
            return FollowUpReason.DETRACTOR
        if survey_type == CSAT and score <= 2:
            return FollowUpReason.DISSATISFIED
        if survey_type == CES and score <= 3:
            return FollowUpReason.HIGH_EFFORT
        return None

    @staticmethod
    def _polarity(survey_type: str, score: int) -> str:
        good = {NPS: 9, CSAT: 4, CES: 5}[survey_type]
        poor = {NPS: 6, CSAT: 2, CES: 3}[survey_type]
        return "good" if score >= good else ("poor" if score <= poor else "mixed")

    def _comment(self, decision: _Decision) -> str:
        polarity = self._polarity(decision.spec.survey_type, decision.score)
        pool = (decision.story.comments if decision.story else {}).get(polarity, ())
        chance = 0.65 if polarity == "poor" else 0.35
        rng = self._rng(decision.invitation.organization)
        if not pool or rng.random() >= chance:
            return ""
        return rng.choice(pool)

    def _follow_up(self, decision: _Decision, response: SurveyResponse, reason: str) -> FollowUp:
        invitation = decision.invitation
        organization = invitation.organization
        answered_on = timezone.localdate(decision.answered_at)
        story = decision.story
        follow_up = FollowUp(
            response=response,
            organization=organization,
            owner=organization.owner,
            reason=reason,
            due_on=answered_on + timedelta(days=self.follow_up_days),
        )
        age = self.now - decision.answered_at
        if age > timedelta(days=story.open_days if story else 10):
            rng = self._rng(organization)
            closed_at = decision.answered_at + timedelta(days=rng.uniform(0.5, self.follow_up_days + 2))
            follow_up.status = FollowUpStatus.DONE
            follow_up.closed_at = min(closed_at, self.now - timedelta(hours=1))
            follow_up.closed_by = organization.owner
            follow_up.outcome = rng.choice(
                story.outcomes if story and story.outcomes else ("Called them and agreed what to do next.",)
            )
        return follow_up


# --- after the value metrics: watermelons already told, value reviews --------------------------------


@transaction.atomic
def finish_realize(*, users: dict, now: datetime) -> int:
    """The part that reads the value metrics, so it runs after `value_metrics_rebuild`: the watermelons
    of this month and the last are on record as told (their owners heard when they turned up; building
    the demo e-mails nobody), and the three value reviews are written through the review services.
    Returns the number of reviews."""
    from journeys.models import JourneyEvent

    last_event = JourneyEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    _watermelons_told(now)
    reviews = _ValueReviews(users=users, now=now).build()
    JourneyEvent.objects.filter(pk__gt=last_event).delete()
    return reviews


def _watermelons_told(now: datetime) -> None:
    from realization.models import SnapshotLevel, ValueSnapshot, WatermelonAlert
    from realization.services.activity import month_of

    current = month_of(now)
    last = (current - timedelta(days=1)).replace(day=1)
    flagged = ValueSnapshot.objects.filter(
        level=SnapshotLevel.ACCOUNT,
        step="",
        month__in=[last, current],
        is_watermelon=True,
        organization_id__in=_demo_organization_ids(),
    ).values_list("organization_id", "month", "watermelon_reasons", "input_sla")
    alerts = []
    for organization_id, month, reasons, sla in flagged:
        # The ten-minute refresh found it early in the month.
        detected = min(datetime(month.year, month.month, 2, 9, tzinfo=site_zone()), now - timedelta(hours=1))
        alerts.append(
            WatermelonAlert(
                organization_id=organization_id,
                month=month,
                reasons=reasons,
                sla_compliance=sla,
                detected_at=detected,
                notify_claimed_at=detected,
                notified_at=detected,
            )
        )
    WatermelonAlert.objects.bulk_create(alerts)


class _ValueReviews:
    """Harbourview's review signed off, Meridian's held and waiting for the sponsor, Rovena's planned."""

    def __init__(self, *, users: dict, now: datetime) -> None:
        self.manager = users["manager"]
        self.now = now
        self.today = timezone.localdate(now)

    def build(self) -> int:
        from agreements.models import Agreement, AgreementStatus

        active = {
            agreement.organization.name: agreement
            for agreement in Agreement.objects.filter(
                organization__name__in=[HARBOURVIEW, MERIDIAN, ROVENA], status=AgreementStatus.ACTIVE
            )
            .select_related("organization")
            .order_by("-pk")
        }
        written = 0
        if HARBOURVIEW in active:
            self._signed_off(active[HARBOURVIEW])
            written += 1
        if MERIDIAN in active:
            self._held(active[MERIDIAN])
            written += 1
        if ROVENA in active:
            self._planned(active[ROVENA])
            written += 1
        return written

    def _services(self):
        from realization.services import reviews

        return reviews

    def _reported(self, services, review, values: dict[str, str]) -> None:
        """Figures the consumer reported for target lines whose scores do not fall inside the period
        (a quarterly target scored on calendar quarters), entered by hand as at the meeting."""
        lines = [
            {"id": line.pk, "achieved": values[line.name], "comment": "As reported at the meeting."}
            for line in review.targets.filter(achieved__isnull=True)
            if line.name in values
        ]
        if lines:
            services.review_lines_update(actor=self.manager, review=review, targets=lines)

    def _last_agreement_review(self, agreement) -> date | None:
        return agreement.reviews.order_by("-held_on").values_list("held_on", flat=True).first()

    def _signed_off(self, agreement) -> None:
        """The meeting of the agreement's last review (dsv.demo.agree has it on record), looking back
        on the quarter before it, signed off by the sponsor four days later."""
        services = self._services()
        held_on = self._last_agreement_review(agreement) or self.today - timedelta(days=60)
        review = services.review_plan(
            actor=self.manager,
            organization=agreement.organization,
            agreement=agreement,
            scheduled_on=held_on,
            participants="Declan Fitzgerald (sponsor), the chief nursing officer's deputy, Elena Marsh, "
            "our clinical service manager",
            today=self.today,
        )
        review = services.review_prepare(actor=self.manager, review=review)
        realized = {0: ("1.08", "More than planned: the night shift signs in faster too."), 1: ("0.92", "")}
        services.review_lines_update(
            actor=self.manager,
            review=review,
            benefits=[
                {
                    "id": line.pk,
                    "realized": str(
                        (line.expected * Decimal(realized.get(index, ("1", ""))[0])).quantize(CENT)
                    ),
                    "comment": realized.get(index, ("", "Measured by the hospital's finance office."))[1]
                    or "Measured by the hospital's finance office.",
                }
                for index, line in enumerate(review.benefits.order_by("position", "pk"))
            ],
        )
        self._reported(services, review, {"Clinician time to the record at shift start": "1.1"})
        services.review_update(
            actor=self.manager,
            review=review,
            held_on=held_on,
            analysis={
                "targets_met": "Yes: sign-in well under ten seconds, time to the record under target.",
                "dynamics": "Sign-in times rose a little in the last weeks as more wards joined.",
                "trends": "Time saved per shift start is steady at almost three minutes.",
                "trend_direction": "For the better overall; sign-in needs watching as wards are added.",
                "structural": "None found; the badge readers on two older wards are slow to wake.",
                "improvements": "Replace the two slow readers before the next wards go live.",
                "unforeseen": "The night shift uses roaming sessions more than the day shift.",
                "new_information": "The group plans to add the Kinsale hospital next year.",
            },
            comments="The first wards realized the time savings the case promised; the hospital's finance "
            "office confirmed the figures.",
            decisions="Carry on ward by ward in the new year. Replace the two slow badge readers first. "
            "Report sign-in times per ward from now on.",
            today=self.today,
        )
        for description, due, done in (
            ("Replace the badge readers on wards 2B and 3A", 14, True),
            ("Report sign-in times per ward in the monthly pack", 30, True),
            ("Plan the Kinsale roll-out with their IT lead", 75, False),
        ):
            action = services.review_action_add(
                actor=self.manager,
                review=review,
                description=description,
                owner=self.manager,
                due_on=held_on + timedelta(days=due),
            )
            if done:
                services.review_action_update(actor=self.manager, action=action, status="done")
        services.review_transition(actor=self.manager, review=review, to_status="held", today=self.today)
        # The sponsor's sign-off of that meeting. The agreement's own review of the same meeting is on
        # record already (dsv.demo.agree), so it is written here rather than through review_sign_off,
        # which would record the agreement's review a second time.
        from realization.models import ValueReview, ValueReviewStatus

        sponsor = review.sponsor
        ValueReview.objects.filter(pk=review.pk).update(
            status=ValueReviewStatus.SIGNED_OFF,
            signed_off_at=datetime.combine(held_on + timedelta(days=4), time(10, 30), tzinfo=site_zone()),
            signed_off_by_name=sponsor.name if sponsor else "Declan Fitzgerald",
            sign_off_note="Agreed. We want the per-ward sign-in figures before the next wards go live.",
            sign_off_recorded_by=self.manager,
            next_review_on=agreement.next_review_on,
        )

    def _held(self, agreement) -> None:
        """Held last week, every target met and the depot's satisfaction not: waiting for the sponsor."""
        services = self._services()
        held_on = self.today - timedelta(days=6)
        quarter_end = date(held_on.year, 1 + (held_on.month - 1) // 3 * 3, 1) - timedelta(days=1)
        review = services.review_plan(
            actor=self.manager,
            organization=agreement.organization,
            agreement=agreement,
            scheduled_on=held_on,
            period_start=date(quarter_end.year, quarter_end.month - 2, 1),
            period_end=quarter_end,
            participants="Anke Hoffmann (sponsor), their operations lead, Elena Marsh, the depot engineer",
            today=self.today,
        )
        review = services.review_prepare(actor=self.manager, review=review)
        self._reported(services, review, {"Average truck turnaround at the Hamburg hub": "30.4"})
        services.review_update(
            actor=self.manager,
            review=review,
            held_on=held_on,
            analysis={
                "targets_met": "Every target met, turnaround well under 35 minutes.",
                "dynamics": "The depot staff's satisfaction with how requests are handled kept falling.",
                "trend_direction": "For the worse on the shop floor, though every figure we report is green.",
                "structural": "Yes: repeat faults on label printers and scanners each count as met.",
                "improvements": "Measure first-time fixes at the depots.",
            },
            comments="A watermelon: green on every SLA target, red in the depots. The sponsor was surprised "
            "by the survey comments and wants a measure that the night shift would recognize.",
            decisions="Propose a first-time-fix target for the depots in the next version of the agreement. "
            "One engineer owns the repeat faults at the Hamburg hub until then.",
            today=self.today,
        )
        services.review_action_add(
            actor=self.manager,
            review=review,
            description="Draft the first-time-fix target with their operations lead",
            owner=self.manager,
            due_on=self.today + timedelta(days=14),
        )
        services.review_transition(actor=self.manager, review=review, to_status="held", today=self.today)

    def _planned(self, agreement) -> None:
        """Planned for the day the agreement is due for review (within the next few weeks)."""
        services = self._services()
        scheduled = agreement.next_review_on
        if scheduled is None or not (self.today < scheduled <= self.today + timedelta(days=60)):
            scheduled = self.today + timedelta(days=16)
        services.review_plan(
            actor=self.manager,
            organization=agreement.organization,
            agreement=agreement,
            scheduled_on=scheduled,
            participants="João Teixeira (sponsor), their fleet lead, Elena Marsh",
            today=self.today,
        )
