"""Build the demo data set from the catalogue.

Deterministic: every choice comes from one `random.Random(2026)`; only the dates move with the clock,
so the demo always shows the last six months. Organizations, people and journeys go through the ORM
(history records included); touchpoints, being hundreds, go in with one bulk insert. The backfill
records no journey events: nothing *happened* now, it is the past being written down.
"""

from __future__ import annotations

import bisect
import random
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from rest_framework.authtoken.models import Token
from simple_history.utils import bulk_create_with_history

from dsv.demo import accounts, vocabulary
from dsv.demo.agree import reset_agree, seed_agree
from dsv.demo.analyses import reset_analyses, seed_analyses
from dsv.demo.assessments import reset_assessments, seed_assessments
from dsv.demo.cocreate import reset_cocreate, seed_cocreate
from dsv.demo.decisions import reset_decisions, seed_decisions
from dsv.demo.offer import reset_offer, seed_offer
from dsv.demo.onboard import reset_onboard, seed_onboard
from dsv.demo.personas import reset_personas, seed_personas
from dsv.demo.realize import finish_realize, reset_realize, seed_realize
from dsv.demo.relationships import reset_relationships, seed_relationships
from exploration.models import MarketSegment, SegmentMembership
from journeys.models import (
    SENTIMENT_MAX,
    SENTIMENT_MIN,
    Journey,
    JourneyEvent,
    JourneyStatus,
    JourneyStep,
    JourneyStepChange,
    Organization,
    OrganizationKind,
    Stakeholder,
    StakeholderCategory,
    Team,
    Touchpoint,
)
from journeys.summaries import account_summaries_refresh_all
from realization.services import step_activity_rebuild, value_metrics_rebuild

SEED = 2026
TOUCHPOINT_WINDOW = timedelta(days=182)
DESK_KINDS = {"incident", "service_request", "query", "complaint", "compliment", "feedback"}
DESK_CHANNELS = {"telephone", "chat", "portal", "service_catalogue", "email", "forum"}
# Who a touchpoint of this kind is usually with, by the part they play in the account.
KIND_AUDIENCE = {
    "proposal": ("customer", "sponsor", "commercial"),
    "review": ("customer", "sponsor"),
    "meeting": ("customer", "sponsor", "key_user", "commercial"),
    "incident": ("user", "key_user"),
    "service_request": ("key_user", "user", "customer"),
    "query": ("user", "key_user", "customer"),
    "complaint": ("key_user", "customer", "user"),
    "compliment": ("key_user", "user", "customer"),
    "feedback": ("key_user", "user", "customer"),
    "communication": ("customer", "key_user", "sponsor", "user"),
}


@dataclass
class DemoResult:
    users: list[str] = field(default_factory=list)
    integrator_token: str | None = None
    organizations: int = 0
    stakeholders: int = 0
    journeys: int = 0
    step_changes: int = 0
    touchpoints: int = 0
    personas: int = 0
    analyses: int = 0
    relationships: int = 0
    assessments: int = 0
    decisions: int = 0
    offerings: int = 0
    agreements: int = 0
    plans: int = 0
    requests: int = 0
    survey_responses: int = 0
    value_reviews: int = 0


def demo_organization_names() -> list[str]:
    return [
        accounts.PROVIDER["name"],
        *(party["name"] for party in accounts.OTHER_PARTIES),
        *(account.name for account in accounts.ACCOUNTS),
    ]


def demo_data_present() -> bool:
    return Organization.objects.filter(name__in=demo_organization_names()).exists()


@transaction.atomic
def demo_reset() -> None:
    """Remove everything the demo created (and whatever was logged against its organizations since)."""
    organizations = Organization.objects.filter(name__in=demo_organization_names())
    ids = list(organizations.values_list("pk", flat=True))
    JourneyEvent.objects.filter(organization_id__in=ids).delete()
    reset_realize()  # before Co-create's requests and the organizations its answers belong to
    reset_cocreate()  # before the personas its journey maps are drawn for, and the agreements
    reset_personas()
    reset_analyses()
    reset_decisions()
    reset_assessments()
    reset_relationships()
    reset_onboard()  # before the agreements and playbooks its plans were made from
    reset_agree()  # before the catalogue: agreements cover its offerings
    reset_offer()
    MarketSegment.objects.filter(name__in=accounts.DEMO_SEGMENTS).delete()
    Touchpoint.objects.filter(organization_id__in=ids).delete()
    organizations.delete()
    Stakeholder.history.filter(organization_id__in=ids).delete()
    Organization.history.filter(id__in=ids).delete()
    Team.objects.filter(name__in=accounts.DEMO_TEAMS).delete()
    get_user_model().objects.filter(username__in=accounts.DEMO_USERS).delete()


@transaction.atomic
def demo_seed() -> DemoResult:
    builder = _Builder(random.Random(SEED), timezone.now().replace(minute=0, second=0, microsecond=0))
    return builder.build()


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower().replace(" ", "")


class _Builder:
    def __init__(self, rng: random.Random, now: datetime) -> None:
        self.rng = rng
        self.now = now
        self.result = DemoResult()
        self.users: dict[str, object] = {}
        self.teams: dict[str, Team] = {}

    def build(self) -> DemoResult:
        last_event = JourneyEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        self._users()
        self._teams()
        self._other_parties()
        touchpoints: list[Touchpoint] = []
        for plan in accounts.ACCOUNTS:
            touchpoints.extend(self._account(plan))
        Touchpoint.objects.bulk_create(touchpoints, batch_size=1000)
        self._market_segments()
        self.result.personas = seed_personas(users=self.users, now=self.now)
        self.result.analyses = seed_analyses(users=self.users, now=self.now)
        self.result.decisions = seed_decisions(users=self.users, now=self.now)
        # The relationships before their assessments: the relationship seeder dates the type history
        # only of the records it creates itself.
        self.result.relationships = seed_relationships(users=self.users, now=self.now)
        self.result.assessments = seed_assessments(users=self.users, now=self.now)
        self.result.offerings = seed_offer(users=self.users, now=self.now)
        self.result.agreements = seed_agree(users=self.users, now=self.now)
        self.result.plans = seed_onboard(users=self.users, now=self.now)
        self.result.requests = seed_cocreate(users=self.users, now=self.now).requests
        realize = seed_realize(users=self.users, now=self.now)
        self.result.survey_responses = realize.responses
        # Some seeders go through the services, which record journey events; the demo is the past
        # being written down, not something that happened now, so it leaves no events behind.
        JourneyEvent.objects.filter(pk__gt=last_event).delete()
        # bulk_create sends no signals: rebuild the accounts' summaries once, at the end.
        account_summaries_refresh_all()
        step_activity_rebuild()
        value_metrics_rebuild()  # the value metrics of every account, from all of the above
        self.result.value_reviews = finish_realize(users=self.users, now=self.now)
        self.result.touchpoints = len(touchpoints)
        return self.result

    # --- people of the provider ---------------------------------------------------------------

    def _users(self) -> None:
        user_model = get_user_model()
        groups = {group.name: group for group in Group.objects.all()}
        # One hash for the shared demo password: hashing is deliberately slow, six times would be seconds.
        password = make_password(accounts.DEMO_PASSWORD)
        for username, (first, last, role_names, superuser) in accounts.DEMO_USERS.items():
            user, _ = user_model.objects.get_or_create(username=username)
            user.first_name, user.last_name = first, last
            user.email = f"{username}@larkfield-ms.example"
            user.is_superuser = user.is_staff = superuser
            user.password = password
            user.save()
            user.groups.set([groups[name] for name in role_names])
            self.users[username] = user
            self.result.users.append(username)
        token, created = Token.objects.get_or_create(user=self.users["integrator"])
        if created:
            self.result.integrator_token = token.key

    def _teams(self) -> None:
        for name, members in accounts.DEMO_TEAMS.items():
            team, _ = Team.objects.get_or_create(name=name)
            team.members.set([self.users[username] for username in members])
            self.teams[name] = team

    def _other_parties(self) -> None:
        Organization.objects.create(kind=OrganizationKind.PROVIDER, **accounts.PROVIDER)
        self.result.organizations += 1
        for party in accounts.OTHER_PARTIES:
            data = {key: value for key, value in party.items() if key != "contact"}
            organization = Organization.objects.create(**data)
            first, last, title = party["contact"]
            domain = party["website"].removeprefix("https://")
            Stakeholder.objects.create(
                organization=organization,
                name=f"{first} {last}",
                job_title=title,
                email=f"{_ascii(first)}.{_ascii(last)}@{domain}",
                phone=self._phone(party["country"]),
                category=StakeholderCategory(party["kind"]),
                influence=3,
                interest=4,
            )
            self.result.organizations += 1
            self.result.stakeholders += 1

    def _market_segments(self) -> None:
        names = [plan.name for plan in accounts.ACCOUNTS]
        consumers = dict(Organization.objects.filter(name__in=names).values_list("name", "pk"))
        for name, (approach, basis, description, criteria, checks, members) in accounts.DEMO_SEGMENTS.items():
            segment = MarketSegment.objects.create(
                name=name,
                approach=approach,
                basis=basis,
                description=description,
                criteria=criteria,
                is_homogeneous=checks[0],
                is_distinct=checks[1],
                reacts_alike=checks[2],
                owner=self.users["manager"],
            )
            SegmentMembership.objects.bulk_create(
                SegmentMembership(segment=segment, organization_id=consumers[member], added_by=segment.owner)
                for member in members
            )

    # --- one consumer account ------------------------------------------------------------------

    def _account(self, plan: accounts.AccountPlan) -> list[Touchpoint]:
        owner = self.users[plan.owner]
        organization = Organization.objects.create(
            name=plan.name,
            kind=OrganizationKind.CONSUMER,
            owner=owner,
            team=self.teams[plan.team],
            industry=plan.industry,
            country=plan.country,
            city=plan.city,
            website=f"https://www.{plan.domain}",
            annual_revenue=Decimal(plan.revenue),
            employee_count=plan.employees,
            notes=plan.notes,
        )
        self.result.organizations += 1
        people = self._stakeholders(organization, plan)
        touchpoints = []
        for journey_plan in plan.journeys:
            journey, timeline, ends_at = self._journey(organization, journey_plan, owner)
            touchpoints.extend(
                self._touchpoints(plan, organization, journey, journey_plan, timeline, ends_at, people, owner)
            )
        return touchpoints

    def _phone(self, country: str) -> str:
        return f"{vocabulary.PHONE_PREFIX[country]} {self.rng.randint(100, 199):04d}"

    def _stakeholders(self, organization: Organization, plan: accounts.AccountPlan) -> dict[str, list]:
        rng = self.rng
        firsts = rng.sample(vocabulary.FIRST_NAMES[plan.country], plan.people)
        lasts = rng.sample(vocabulary.LAST_NAMES[plan.country], plan.people)
        industry_titles = vocabulary.INDUSTRY_TITLES.get(plan.industry, {})
        people: list[Stakeholder] = []
        parts: list[str] = []
        for index, (part, roles, influence, interest) in enumerate(vocabulary.PEOPLE_SLOTS[: plan.people]):
            roles = set(roles)
            # Small accounts: the sponsor often writes the requirements too; some customers use the
            # service themselves.
            if part == "sponsor" and plan.people <= 4 and rng.random() < 0.6:
                roles.add("customer")
            if part == "customer" and rng.random() < 0.35:
                roles.add("user")
            titles = industry_titles.get(part, []) + vocabulary.TITLES[part]
            first, last = firsts[index], lasts[index]
            people.append(
                Stakeholder(
                    organization=organization,
                    name=f"{first} {last}",
                    job_title=rng.choice(titles),
                    email=f"{_ascii(first)}.{_ascii(last)}@{plan.domain}",
                    phone=self._phone(plan.country),
                    category=StakeholderCategory.CONSUMER,
                    is_customer="customer" in roles,
                    is_user="user" in roles,
                    is_sponsor="sponsor" in roles,
                    influence=rng.randint(*influence),
                    interest=rng.randint(*interest),
                    survey_consent=rng.random() < 0.85,
                    # Someone at the account that left has moved on since.
                    is_active=not (plan.journeys[0].left_days_ago and part == "customer"),
                )
            )
            parts.append(part)
        bulk_create_with_history(people, Stakeholder)
        created = list(Stakeholder.objects.filter(organization=organization).order_by("pk"))
        self.result.stakeholders += len(created)
        by_part: dict[str, list] = {}
        for part, person in zip(parts, created, strict=True):
            by_part.setdefault(part, []).append(person)
        return by_part

    def _moment(self, days_ago: float) -> datetime:
        """A working-hours moment about `days_ago` days back."""
        day = self.now - timedelta(days=days_ago)
        while day.weekday() >= 5:
            day -= timedelta(days=1)
        return day.replace(hour=self.rng.randint(8, 17), minute=self.rng.choice((0, 15, 30, 45)))

    def _journey(self, organization, plan: accounts.JourneyPlan, owner):
        moments = [self._moment(days) for _, days in plan.history]
        steps = [step for step, _ in plan.history]
        left_at = self._moment(plan.left_days_ago) if plan.left_days_ago else None
        journey = Journey.objects.create(
            organization=organization,
            name=plan.name,
            current_step=steps[-1],
            status=JourneyStatus.LEFT if left_at else JourneyStatus.ACTIVE,
            started_at=moments[0],
            step_entered_at=moments[-1],
            ended_at=left_at,
        )
        changes = []
        for index, (step, moment) in enumerate(zip(steps, moments, strict=True)):
            note = plan.notes.get(index) or self.rng.choice(vocabulary.STEP_NOTES[step])
            changes.append(
                JourneyStepChange(
                    journey=journey,
                    from_step=steps[index - 1] if index else "",
                    to_step=step,
                    changed_at=moment,
                    changed_by=owner,
                    note=note,
                )
            )
        JourneyStepChange.objects.bulk_create(changes)
        self.result.journeys += 1
        self.result.step_changes += len(changes)
        ends_at = left_at or self.now - timedelta(hours=2)
        return journey, list(zip(moments, steps, strict=True)), ends_at

    # --- touchpoints ---------------------------------------------------------------------------

    def _touchpoint_moment(self, start: datetime, end: datetime, change_moments: list[datetime]):
        """A moment between start and end, on a working day when that stays within the same step (the
        caller lets incidents keep their weekend), at a believable hour; and the step index then."""
        rng = self.rng
        moment = start + timedelta(seconds=rng.uniform(0, (end - start).total_seconds()))
        hour = min(19, max(7, round(rng.gauss(12.5, 2.8))))
        moment = moment.replace(hour=hour, minute=rng.randint(0, 59), second=0, microsecond=0)
        moment = min(max(moment, start), end)
        return moment, max(0, bisect.bisect_right(change_moments, moment) - 1)

    def _on_working_day(
        self, moment: datetime, start: datetime, end: datetime, change_moments: list[datetime], index: int
    ) -> datetime:
        """Move a weekend moment to a working day within the same step, when the step has one."""
        low = max(start, change_moments[index])
        high = min(end, change_moments[index + 1]) if index + 1 < len(change_moments) else end
        for _ in range(10):
            if moment.weekday() < 5:
                return moment
            day = low + timedelta(seconds=self.rng.uniform(0, (high - low).total_seconds()))
            moment = min(max(day.replace(hour=moment.hour, minute=moment.minute), low), high)
        return moment

    def _touchpoints(self, plan, organization, journey, journey_plan, timeline, ends_at, people, owner):
        rng = self.rng
        start = max(timeline[0][0], self.now - TOUCHPOINT_WINDOW)
        change_moments = [moment for moment, _ in timeline]
        desk = self.users["desk"]
        touchpoints = []
        for _ in range(journey_plan.touchpoints):
            occurred_at, index = self._touchpoint_moment(start, ends_at, change_moments)
            step = timeline[index][1]
            mix = vocabulary.STEP_MIX[step]
            kind, channels, direction, _ = rng.choices(mix, weights=[entry[3] for entry in mix])[0]
            # Incidents happen any day; the rest mostly on working days.
            if kind != "incident" or rng.random() < 0.5:
                occurred_at = self._on_working_day(occurred_at, start, ends_at, change_moments, index)
            channel = rng.choice(channels)
            template = rng.choice(vocabulary.STEP_SUMMARIES.get((step, kind)) or vocabulary.SUMMARIES[kind])
            person = self._person_for(kind, people)
            if "{person}" not in template and rng.random() < 0.4:
                person = None
            sentiment, moment_of_truth = self._sentiment(kind, plan.mood)
            summary = template.format(
                person=person.name if person else "",
                system=rng.choice(plan.systems),
                site=rng.choice(plan.sites),
                service=journey.name[0].lower() + journey.name[1:],
                industry=plan.industry.lower(),
                n=rng.randint(2, 9),
            )
            summary = summary[0].upper() + summary[1:]
            endings = vocabulary.ENDINGS.get((kind, sentiment > 0)) if sentiment else None
            if person and endings and (abs(sentiment) == 2 or rng.random() < 0.35):
                summary += rng.choice(endings).format(first=person.name.split()[0])
            by_desk = direction == "inbound" and kind in DESK_KINDS and channel in DESK_CHANNELS
            low_high = vocabulary.DURATION.get(channel)
            touchpoints.append(
                Touchpoint(
                    organization=organization,
                    journey=journey,
                    stakeholder=person,
                    step=JourneyStep(step),
                    channel=channel,
                    kind=kind,
                    direction=direction,
                    sentiment=sentiment,
                    moment_of_truth=moment_of_truth,
                    summary=summary,
                    occurred_at=occurred_at,
                    duration_minutes=rng.randint(*low_high) if low_high and rng.random() < 0.85 else None,
                    logged_by=desk if by_desk else owner,
                )
            )
        if journey.status == JourneyStatus.LEFT:
            sponsor = (people.get("sponsor") or [None])[0]
            touchpoints.append(
                Touchpoint(
                    organization=organization,
                    journey=journey,
                    stakeholder=sponsor,
                    step=journey.current_step,
                    channel="in_person",
                    kind="meeting",
                    direction="outbound",
                    sentiment=-1,
                    moment_of_truth=True,
                    summary=vocabulary.EXIT_SUMMARY,
                    occurred_at=ends_at,
                    duration_minutes=60,
                    logged_by=owner,
                )
            )
        return touchpoints

    def _person_for(self, kind: str, people: dict[str, list]) -> Stakeholder | None:
        for part in self.rng.sample(KIND_AUDIENCE[kind], len(KIND_AUDIENCE[kind])):
            if people.get(part):
                return self.rng.choice(people[part])
        return self.rng.choice([person for group in people.values() for person in group])

    def _sentiment(self, kind: str, mood: float) -> tuple[int, bool]:
        mean, spread = vocabulary.KIND_SENTIMENT[kind]
        value = round(self.rng.gauss(mean + mood, spread))
        moment_of_truth = self.rng.random() < vocabulary.MOMENT_OF_TRUTH.get(kind, 0.0)
        if moment_of_truth:
            # What makes a moment of truth is that it was felt strongly, one way or the other.
            sign = (value > 0) - (value < 0) or (1 if mood >= 0 else -1)
            value = 2 * sign
        return max(SENTIMENT_MIN, min(SENTIMENT_MAX, value)), moment_of_truth
