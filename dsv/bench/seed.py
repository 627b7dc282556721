"""Seed the benchmark data set (BENCH.md scales) with bulk inserts.

Organizations, stakeholders, journeys and step changes go in with `bulk_create` in large batches;
touchpoints, the bulk of the rows, are streamed with `COPY` on PostgreSQL and `executemany` elsewhere,
generated chunk by chunk so a million rows never sit in memory at once. Account sizes follow a
log-normal spread, so a few accounts are large and most are small, as in a real portfolio.

Every organization the bench creates carries an external id starting with `bench-`: that is how the
bench tells its own data from anybody else's before it wipes anything.
"""

from __future__ import annotations

import bisect
import random
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from agreements.models import Agreement, Breach, Measurement
from cocreation.models import ServiceRequest
from dsv.bench.bulk import bulk_load, insert_dicts, insert_rows, timestamp_formatter
from dsv.bench.seed_agree import AGREE_MODELS, seed_agree
from dsv.bench.seed_cocreate import COCREATE_MODELS, seed_cocreate
from dsv.bench.seed_cocreate import scale_of as cocreate_scale_of
from dsv.bench.seed_offer import OFFER_MODELS, seed_offer
from dsv.bench.seed_onboard import ONBOARD_MODELS, seed_onboard
from dsv.bench.seed_realize import REALIZE_MODELS, seed_realize
from dsv.bench.seed_realize import scale_of as realize_scale_of
from dsv.demo import vocabulary
from journeys.models import (
    GRID_HIGH_FROM,
    Channel,
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
from journeys.roles import Role
from journeys.summaries import account_summaries_refresh_all
from offerings.models import ServiceOffering
from onboarding.models import OnboardingPlan, PlanAction
from realization.models import (
    JourneyStepStay,
    RequestStanding,
    StepActivityMonth,
    SurveyResponse,
    ValueSnapshot,
)
from realization.services import step_activity_rebuild, value_metrics_rebuild
from relationships.models import (
    Cadence,
    CommunicationPlan,
    LadderProgress,
    LadderStatus,
    LadderStep,
    RelationshipType,
    ServiceRelationship,
)


@dataclass(frozen=True)
class Scale:
    name: str
    organizations: int
    stakeholders: int
    touchpoints: int
    agreements: int
    measurements: int
    plans: int  # onboarding and offboarding plans, about twenty actions each
    # The bench manager's plan page: one plan's size does not grow with the portfolio.
    largest_plan_actions: int


SCALES = {
    # "tiny" is for the test suite: the same code paths in well under a second.
    "tiny": Scale(
        "tiny",
        organizations=40,
        stakeholders=200,
        touchpoints=1_000,
        agreements=80,
        measurements=2_000,
        plans=24,
        largest_plan_actions=40,
    ),
    "small": Scale(
        "small",
        organizations=200,
        stakeholders=2_000,
        touchpoints=20_000,
        agreements=400,
        measurements=10_000,
        plans=120,
        largest_plan_actions=200,
    ),
    "large": Scale(
        "large",
        organizations=5_000,
        stakeholders=50_000,
        touchpoints=1_000_000,
        agreements=10_000,
        measurements=500_000,
        plans=3_000,
        largest_plan_actions=200,
    ),
}

SEED = 2026
EXTERNAL_ID_PREFIX = "bench-"
BENCH_MANAGER = "bench_manager"
BENCH_DESK = "bench_desk"
OTHER_MANAGERS = 19  # with bench_manager, 20 managers: each owns about 5 % of the accounts
TEAM_SIZE = 2
BATCH = 5_000
TOUCHPOINT_CHUNK = 50_000
TOUCHPOINT_DAYS = 365
STEP_WEIGHTS = {  # where the portfolio's journeys are now
    JourneyStep.EXPLORE: 8,
    JourneyStep.ENGAGE: 10,
    JourneyStep.OFFER: 10,
    JourneyStep.AGREE: 8,
    JourneyStep.ONBOARD: 8,
    JourneyStep.CO_CREATE: 36,
    JourneyStep.REALIZE: 20,
}
STEPS = list(JourneyStep)
CATEGORY_OF_KIND = {
    OrganizationKind.CONSUMER: StakeholderCategory.CONSUMER,
    OrganizationKind.PROVIDER: StakeholderCategory.PROVIDER_EMPLOYEE,
    OrganizationKind.PARTNER: StakeholderCategory.PARTNER,
    OrganizationKind.SUPPLIER: StakeholderCategory.SUPPLIER,
}

NAME_FIRST = [
    "Alder",
    "Birch",
    "Cedar",
    "Delta",
    "Ember",
    "Fjord",
    "Granite",
    "Harbour",
    "Iris",
    "Juniper",
    "Kestrel",
    "Linden",
    "Meridian",
    "Northgate",
    "Orchard",
    "Pinewood",
    "Quarry",
    "Riverside",
    "Saltmarsh",
    "Tidewater",
    "Upland",
    "Vale",
    "Westbrook",
    "Yarrow",
]
NAME_SECOND = [
    "Logistics",
    "Health",
    "Foods",
    "Mutual",
    "Mobility",
    "Energy",
    "Retail",
    "Travel",
    "Water",
    "Freight",
    "Clinics",
    "Insurance",
    "Council",
    "University",
    "Engineering",
    "Media",
    "Bank",
    "Housing",
    "Pharma",
    "Airports",
]
INDUSTRIES = [
    "Logistics",
    "Healthcare",
    "Food retail",
    "Insurance",
    "Car rental",
    "Energy",
    "Retail",
    "Travel",
    "Utilities",
    "Local government",
    "Higher education",
    "Engineering",
    "Banking",
]
PLACES = [
    ("GB", "Leeds"),
    ("DE", "Hamburg"),
    ("NL", "Utrecht"),
    ("IE", "Cork"),
    ("FR", "Lyon"),
    ("ES", "Valencia"),
    ("PT", "Porto"),
    ("BE", "Ghent"),
    ("PL", "Poznań"),
    ("SE", "Malmö"),
    ("DK", "Aarhus"),
    ("IT", "Turin"),
]
FIRST_NAMES = sorted({name for names in vocabulary.FIRST_NAMES.values() for name in names})
LAST_NAMES = sorted({name for names in vocabulary.LAST_NAMES.values() for name in names})
TITLES = sorted({title for titles in vocabulary.TITLES.values() for title in titles})


@dataclass
class SeedReport:
    scale: str
    seconds: float
    counts: dict[str, int]


# --- what is in the database ------------------------------------------------------------------------


def bench_counts() -> dict[str, int]:
    return {
        "organizations": Organization.objects.count(),
        "stakeholders": Stakeholder.objects.count(),
        "journeys": Journey.objects.count(),
        "touchpoints": Touchpoint.objects.count(),
        "agreements": Agreement.objects.count(),
        "measurements": Measurement.objects.count(),
        "plans": OnboardingPlan.objects.count(),
        "plan_actions": PlanAction.objects.count(),
        "requests": ServiceRequest.objects.count(),
        "survey_responses": SurveyResponse.objects.count(),
    }


def database_state() -> str:
    """ "empty", "bench" (only bench organizations) or "foreign" (someone else's data is there)."""
    if not Organization.objects.exists():
        return "empty"
    if Organization.objects.exclude(external_id__startswith=EXTERNAL_ID_PREFIX).exists():
        return "foreign"
    return "bench"


def holds_scale(scale: Scale) -> bool:
    counts = bench_counts()
    return (
        database_state() == "bench"
        and get_user_model().objects.filter(username=BENCH_MANAGER).exists()
        and counts["organizations"] == scale.organizations
        and counts["stakeholders"] == scale.stakeholders
        and counts["touchpoints"] == scale.touchpoints
        and counts["agreements"] == scale.agreements
        and counts["measurements"] == scale.measurements
        # A data set seeded before the Engage, Offer, Onboard, Co-create or Realize rows existed is seeded
        # again.
        and counts["plans"] == scale.plans
        and counts["requests"] == cocreate_scale_of(scale.name).requests
        and counts["survey_responses"] == realize_scale_of(scale.name).responses
        and ServiceRelationship.objects.exists()
        and ServiceOffering.objects.exists()
        and StepActivityMonth.objects.exists()
        and JourneyStepStay.objects.exists()
        and RequestStanding.objects.exists()
        and ValueSnapshot.objects.exists()
    )


def _spine_models() -> list:
    """Spine tables, children first, so deleting in this order never trips a foreign key; the Offer
    step's catalogue, which points at no spine table, goes with them."""
    return [
        *REALIZE_MODELS,
        *COCREATE_MODELS,
        *ONBOARD_MODELS,
        *AGREE_MODELS,
        *OFFER_MODELS,
        Touchpoint,
        JourneyStepChange,
        JourneyEvent,
        Journey,
        Stakeholder.history.model,
        Stakeholder,
        Organization.history.model,
        Organization,
        Team.members.through,
        Team,
    ]


@transaction.atomic
def wipe_spine() -> None:
    """Delete every row of the spine tables (and of any later table that points at them)."""
    spine = _spine_models()
    tables = [model._meta.db_table for model in spine]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Foreign keys are deferred: checks still pending in this transaction would block TRUNCATE.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"TRUNCATE {', '.join(quote(t) for t in tables)} RESTART IDENTITY CASCADE")
            return
        # Tables pointing at the spine, and tables pointing at those, and so on; deleted farthest first.
        dependents: list = []
        reached = set(spine)
        while True:
            found = [
                model
                for model in apps.get_models(include_auto_created=True)
                if model not in reached
                and any(
                    field.related_model in reached
                    for field in model._meta.concrete_fields
                    if field.is_relation
                )
            ]
            if not found:
                break
            dependents[:0] = found
            reached.update(found)
        for model in dependents:
            cursor.execute(f"DELETE FROM {quote(model._meta.db_table)}")  # noqa: S608 (model metadata)
        for table in tables:
            cursor.execute(f"DELETE FROM {quote(table)}")  # noqa: S608 (model metadata)


def analyze() -> None:
    """Bring freshly loaded tables to the state autovacuum keeps a live database in: the planner's
    statistics refreshed and, on PostgreSQL, the visibility map set (without it no index-only scan
    can skip the table, which no long-running database sees)."""
    with connection.cursor() as cursor:
        # VACUUM cannot run in a transaction (the test suite seeds inside one): there, statistics only.
        vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
        cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")


# --- seeding ----------------------------------------------------------------------------------------


def seed(scale: Scale, *, log: Callable[[str], None] = lambda message: None) -> SeedReport:
    """Seed `scale` into an empty spine. The caller checks (or wipes) first."""
    started = time.perf_counter()
    seeder = _Seeder(scale, random.Random(SEED), timezone.now().replace(microsecond=0), log)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            # A large page cache keeps the touchpoint indexes in memory while a million rows go in.
            cursor.execute("PRAGMA cache_size = -262144")
    with transaction.atomic():
        seeder.run()
        summaries_started = time.perf_counter()
        account_summaries_refresh_all()
        log(f"account summaries in {time.perf_counter() - summaries_started:.1f} s")
        activity_started = time.perf_counter()
        step_activity_rebuild()
        log(f"monthly step activity in {time.perf_counter() - activity_started:.1f} s")
        compliance_started = time.perf_counter()
        _compliance()
        log(f"compliance scores in {time.perf_counter() - compliance_started:.1f} s")
        metrics_started = time.perf_counter()
        value_metrics_rebuild()
        log(f"value metrics in {time.perf_counter() - metrics_started:.1f} s")
    analyze()
    seconds = time.perf_counter() - started
    log(f"seeded {scale.name} in {seconds:.1f} s")
    return SeedReport(scale=scale.name, seconds=round(seconds, 2), counts=bench_counts())


def _compliance() -> None:
    """Score every target as the periodic job would, and count the breaches as already e-mailed: the
    bench's past must not send thousands of mails when the transaction commits."""
    from agreements.services import compliance_recompute

    compliance_recompute()
    Breach.objects.filter(notified_at__isnull=True).update(notified_at=F("detected_at"))


# How many touchpoints a day of each step brings, relative to each other: a live service (co-create,
# realize) is far busier than a prospect being explored.
STEP_INTENSITY = {
    "explore": 0.3, "engage": 0.5, "offer": 0.6, "agree": 0.6,
    "onboard": 1.5, "co_create": 3.0, "realize": 2.5,
}  # fmt: skip


class _JourneyRow:
    """A journey's steps within the touchpoint window, as (start, length, step) in seconds since the
    epoch, with cumulative weights (length × step intensity) to pick a step by."""

    def __init__(
        self, pk: int, starts: list[float], steps: list[str], ends: float, window_start: float
    ) -> None:
        self.pk = pk
        if ends <= window_start:  # it ended before the window: its last week is all there is to log
            window_start = ends - 7 * 86_400
        bounds = [*starts[1:], ends]
        self.segments = []
        self.cumulative = []
        running = 0.0
        for start, end, step in zip(starts, bounds, steps, strict=True):
            start = max(start, window_start)
            if end <= start:
                continue
            self.segments.append((start, end - start, step))
            running += (end - start) * STEP_INTENSITY[step]
            self.cumulative.append(running)
        if not self.segments:
            self.segments.append((ends - 86_400, 86_400.0, steps[-1]))
            self.cumulative.append(1.0)


class _Seeder:
    def __init__(self, scale: Scale, rng: random.Random, now: datetime, log: Callable[[str], None]) -> None:
        self.scale = scale
        self.rng = rng
        self.now = now
        self.log = log

    def run(self) -> None:
        self._users()
        self._organizations()
        self._stakeholders()
        self._journeys()
        self._touchpoints()
        self._engage()
        self._offer()
        self._agree()
        self._onboard()
        self._cocreate()
        self._realize()

    def _timed(self, label: str, started: float, rows: int) -> None:
        self.log(f"  {label:<13} {rows:>9,} rows in {time.perf_counter() - started:6.1f} s")

    # --- provider people ------------------------------------------------------------------------

    def _users(self) -> None:
        user_model = get_user_model()
        manager_group = Group.objects.get(name=Role.RELATIONSHIP_MANAGER)
        desk_group = Group.objects.get(name=Role.SERVICE_DESK_AGENT)
        names = [BENCH_MANAGER] + [f"bench_rm_{index:02d}" for index in range(1, OTHER_MANAGERS + 1)]
        self.managers = []
        for index, username in enumerate(names):
            user, created = user_model.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": "Bench" if index == 0 else FIRST_NAMES[index % len(FIRST_NAMES)],
                    "last_name": "Manager" if index == 0 else LAST_NAMES[index % len(LAST_NAMES)],
                    "email": f"{username}@provider.example",
                },
            )
            if created:
                user.set_unusable_password()  # the bench logs in with force_login and a token
                user.save(update_fields=["password"])
            user.groups.add(manager_group)
            self.managers.append(user)
        desk, created = user_model.objects.get_or_create(
            username=BENCH_DESK, defaults={"first_name": "Bench", "last_name": "Desk"}
        )
        if created:
            desk.set_unusable_password()
            desk.save(update_fields=["password"])
        desk.groups.add(desk_group)
        self.desk = desk
        self.teams = []
        for index in range(0, len(self.managers), TEAM_SIZE):
            team = Team.objects.create(name=f"Bench accounts {index // TEAM_SIZE + 1:02d}")
            members = self.managers[index : index + TEAM_SIZE]
            team.members.add(*members)
            self.teams.extend([team] * len(members))

    # --- organizations ----------------------------------------------------------------------------

    def _organizations(self) -> None:
        started = time.perf_counter()
        rng = self.rng
        total = self.scale.organizations
        others = max(2, total // 50)  # a provider, partners and suppliers; the rest are consumers
        rows = []
        self.weights: list[float] = []
        for index in range(total):
            if index == 0:
                kind = OrganizationKind.PROVIDER
            elif index <= others:
                kind = OrganizationKind.PARTNER if index % 2 else OrganizationKind.SUPPLIER
            else:
                kind = OrganizationKind.CONSUMER
            consumer = kind == OrganizationKind.CONSUMER
            weight = rng.lognormvariate(0, 1.0) if consumer else 0.0
            # Every 20th consumer belongs to bench_manager: about 5 % of the accounts.
            manager_index = index % len(self.managers)
            country, city = rng.choice(PLACES)
            rows.append(
                Organization(
                    name=f"{rng.choice(NAME_FIRST)} {rng.choice(NAME_SECOND)} {index:05d}",
                    kind=kind,
                    external_id=f"{EXTERNAL_ID_PREFIX}org-{index:05d}",
                    owner=self.managers[manager_index] if consumer else None,
                    team=self.teams[manager_index] if consumer else None,
                    industry=rng.choice(INDUSTRIES),
                    country=country,
                    city=city,
                    annual_revenue=Decimal(round(weight * 150_000, -2)) if consumer else None,
                    employee_count=int(weight * 400) + 10,
                )
            )
            self.weights.append(weight)
        self.organizations = Organization.objects.bulk_create(rows, batch_size=BATCH)
        self._require_pks(self.organizations)
        self._timed("organizations", started, len(rows))

    @staticmethod
    def _require_pks(objects) -> None:
        if objects and objects[0].pk is None:
            raise RuntimeError("The database did not return primary keys from a bulk insert.")

    # --- stakeholders -------------------------------------------------------------------------------

    def _stakeholders(self) -> None:
        started = time.perf_counter()
        rng = self.rng
        organizations = self.organizations
        # Everyone gets one contact; the rest follow account size (non-consumers get no more).
        per_organization = Counter(range(len(organizations)))
        consumer_weights = [weight or 0.0 for weight in self.weights]
        extra = self.scale.stakeholders - len(organizations)
        per_organization.update(rng.choices(range(len(organizations)), weights=consumer_weights, k=extra))
        rows = []
        for index, organization in enumerate(organizations):
            consumer = organization.kind == OrganizationKind.CONSUMER
            category = str(CATEGORY_OF_KIND[organization.kind])
            for number in range(per_organization[index]):
                roles = rng.random()
                rows.append(
                    {
                        "organization_id": organization.pk,
                        "name": f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                        "job_title": rng.choice(TITLES),
                        "email": f"p{number}.{index}@org{index:05d}.example",
                        "phone": f"+44 113 555 {rng.randint(0, 9999):04d}",
                        "category": category,
                        "is_customer": consumer and (number == 0 or roles < 0.25),
                        "is_user": consumer and roles > 0.2,
                        "is_sponsor": consumer and (number == 1 or roles < 0.05),
                        "influence": rng.randint(1, 5),
                        "interest": rng.randint(1, 5),
                        "survey_consent": rng.random() < 0.8,
                    }
                )
        insert_dicts(Stakeholder, rows, now=timestamp_formatter()(self.now.timestamp()))
        self.people: dict[int, list[int]] = {}
        for organization_id, pk in Stakeholder.objects.order_by("pk").values_list("organization_id", "pk"):
            self.people.setdefault(organization_id, []).append(pk)
        self._timed("stakeholders", started, len(rows))

    # --- journeys -----------------------------------------------------------------------------------

    def _journeys(self) -> None:
        started = time.perf_counter()
        rng = self.rng
        step_names = list(STEP_WEIGHTS)
        step_weights = list(STEP_WEIGHTS.values())
        plans = []  # (organization, steps, moments, left_at)
        for organization in self.organizations:
            if organization.kind != OrganizationKind.CONSUMER:
                continue
            for _ in range(2 if rng.random() < 0.3 else 1):
                current = rng.choices(step_names, weights=step_weights)[0]
                steps = STEPS[: STEPS.index(current) + 1]
                # Whole seconds: the step changes are written as text with seconds only.
                entered = self.now - timedelta(seconds=int(rng.uniform(1, 90) * 86_400))
                moments = [entered]
                for _step in steps[:-1]:
                    moments.append(moments[-1] - timedelta(seconds=int(rng.uniform(15, 60) * 86_400)))
                moments.reverse()
                left_at = None
                if rng.random() < 0.03:
                    left_at = entered + timedelta(
                        seconds=int((self.now - entered).total_seconds() * rng.random())
                    )
                plans.append((organization, steps, moments, left_at))
        journeys = Journey.objects.bulk_create(
            [
                Journey(
                    organization=organization,
                    name=f"{rng.choice(NAME_SECOND)} service",
                    current_step=steps[-1],
                    status=JourneyStatus.LEFT if left_at else JourneyStatus.ACTIVE,
                    step_entered_at=moments[-1],
                    started_at=moments[0],
                    ended_at=left_at,
                )
                for organization, steps, moments, left_at in plans
            ],
            batch_size=BATCH,
        )
        self._require_pks(journeys)
        changes = []
        self.journeys: dict[int, list[_JourneyRow]] = {}
        manager_of = {organization.pk: organization.owner_id for organization in self.organizations}
        stamp = timestamp_formatter()
        window_start = (self.now - timedelta(days=TOUCHPOINT_DAYS)).timestamp()
        for journey, (organization, steps, moments, left_at) in zip(journeys, plans, strict=True):
            stamps = [moment.timestamp() for moment in moments]
            for index, step in enumerate(steps):
                changes.append(
                    {
                        "journey_id": journey.pk,
                        "from_step": str(steps[index - 1]) if index else "",
                        "to_step": str(step),
                        "changed_at": stamp(stamps[index]),
                        "changed_by_id": manager_of[organization.pk],
                    }
                )
            self.journeys.setdefault(organization.pk, []).append(
                _JourneyRow(
                    journey.pk,
                    stamps,
                    [str(step) for step in steps],
                    (left_at or self.now).timestamp(),
                    window_start,
                )
            )
        insert_dicts(JourneyStepChange, changes, now=stamp(self.now.timestamp()))
        self._timed("journeys", started, len(journeys))
        self.log(f"  {'step changes':<13} {len(changes):>9,} rows")

    # --- touchpoints ----------------------------------------------------------------------------------

    def _touchpoints(self) -> None:
        started = time.perf_counter()
        columns = [field for field in Touchpoint._meta.concrete_fields if not field.primary_key]
        inserted = 0
        with bulk_load(Touchpoint._meta.db_table):
            for chunk in self._touchpoint_chunks(columns):
                insert_rows(Touchpoint._meta.db_table, [field.column for field in columns], chunk)
                inserted += len(chunk)
        self._timed("touchpoints", started, inserted)

    # --- Engage: relationships, ladder, communication plans -------------------------------------

    def _engage(self) -> None:
        """Every consumer gets its service relationship, with ladder progress that keeps the ladder's
        order; every key player (influence and interest 4 or 5) of a consumer gets a communication plan."""
        started = time.perf_counter()
        rng = self.rng
        now = timestamp_formatter()(self.now.timestamp())
        today = self.now.date().isoformat()
        types = list(RelationshipType.values)
        consumers = [org.pk for org in self.organizations if org.kind == OrganizationKind.CONSUMER]
        relationship_rows = []
        for pk in consumers:
            current = rng.choices(range(3), weights=(50, 35, 15))[0]
            target = min(2, current + rng.choice((0, 0, 1)))
            relationship_rows.append(
                {"organization_id": pk, "current_type": types[current], "target_type": types[target]}
            )
        insert_dicts(ServiceRelationship, relationship_rows, now=now)
        relationships = dict(
            ServiceRelationship.objects.filter(organization_id__in=consumers).values_list(
                "organization_id", "pk"
            )
        )
        steps = list(LadderStep.values)
        ladder_rows = []
        for pk in relationships.values():
            reached = rng.randint(0, len(steps))  # steps done, in ladder order
            for index, step in enumerate(steps):
                if index < reached:
                    ladder_rows.append(
                        {
                            "relationship_id": pk,
                            "step": step,
                            "status": LadderStatus.DONE,
                            "completed_at": now,
                        }
                    )
                elif index == reached:
                    ladder_rows.append(
                        {"relationship_id": pk, "step": step, "status": LadderStatus.IN_PROGRESS}
                    )
        insert_dicts(LadderProgress, ladder_rows, now=now)
        key_players = Stakeholder.objects.filter(
            organization_id__in=consumers, influence__gte=GRID_HIGH_FROM, interest__gte=GRID_HIGH_FROM
        ).values_list("pk", "organization__owner_id")
        cadences = list(Cadence.values)
        channels = [Channel.EMAIL, Channel.VIDEO_CALL, Channel.IN_PERSON, Channel.TELEPHONE]
        plan_rows = [
            {
                "stakeholder_id": pk,
                "cadence_days": rng.choice(cadences),
                "preferred_channel": rng.choice(channels),
                "starts_on": today,
                "owner_id": owner_id,
            }
            for pk, owner_id in key_players
        ]
        insert_dicts(CommunicationPlan, plan_rows, now=now)
        self._timed("engage", started, len(relationship_rows) + len(ladder_rows) + len(plan_rows))

    # --- Offer: catalogue, requirements, pipeline, business cases (dsv.bench.seed_offer) ----------

    def _offer(self) -> None:
        started = time.perf_counter()
        consumers = [
            (organization.pk, weight, organization.owner_id)
            for organization, weight in zip(self.organizations, self.weights, strict=True)
            if organization.kind == OrganizationKind.CONSUMER
        ]
        report = seed_offer(
            rng=self.rng,
            now=self.now,
            stamp=timestamp_formatter()(self.now.timestamp()),
            consumers=consumers,
            users=self.managers,
        )
        rows = report.offerings + report.requirements + report.opportunities + report.business_cases
        self._timed("offer", started, rows)

    # --- Agree: calendars, agreements, targets, measurements (dsv.bench.seed_agree) ---------------

    def _agree(self) -> None:
        started = time.perf_counter()
        consumers = [
            (organization.pk, weight, organization.owner_id)
            for organization, weight in zip(self.organizations, self.weights, strict=True)
            if organization.kind == OrganizationKind.CONSUMER
        ]
        formatter = timestamp_formatter()
        report = seed_agree(
            rng=self.rng,
            now=self.now,
            stamp=formatter(self.now.timestamp()),
            consumers=consumers,
            offerings=list(ServiceOffering.objects.order_by("pk").values_list("pk", flat=True)),
            agreements=self.scale.agreements,
            measurements=self.scale.measurements,
            format_time=formatter,
        )
        self._timed("agree", started, report.agreements + report.targets + report.measurements)

    # --- Onboard: plans, goals, actions (dsv.bench.seed_onboard) ----------------------------------

    def _onboard(self) -> None:
        started = time.perf_counter()
        formatter = timestamp_formatter()
        report = seed_onboard(
            rng=self.rng,
            now=self.now,
            stamp=formatter(self.now.timestamp()),
            consumers=[
                (organization.pk, weight, organization.owner_id)
                for organization, weight in zip(self.organizations, self.weights, strict=True)
                if organization.kind == OrganizationKind.CONSUMER
            ],
            journeys={pk: rows[0].pk for pk, rows in self.journeys.items()},
            people=self.people,
            plans=self.scale.plans,
            largest_plan_actions=self.scale.largest_plan_actions,
            manager_id=self.managers[0].pk,
            format_time=formatter,
        )
        self._timed("onboard", started, report.plans + report.actions + report.goals)

    # --- Co-create: requests and clocks, feedback, moment reviews, communities (dsv.bench.seed_cocreate)

    def _cocreate(self) -> None:
        started = time.perf_counter()
        formatter = timestamp_formatter()
        report = seed_cocreate(
            rng=self.rng,
            now=self.now,
            stamp=formatter(self.now.timestamp()),
            scale=cocreate_scale_of(self.scale.name),
            consumers=[
                (organization.pk, weight, organization.owner_id)
                for organization, weight in zip(self.organizations, self.weights, strict=True)
                if organization.kind == OrganizationKind.CONSUMER
            ],
            journeys={pk: rows[0].pk for pk, rows in self.journeys.items()},
            people=self.people,
            desk_id=self.desk.pk,
            manager_id=self.managers[0].pk,
            format_time=formatter,
        )
        rows = report.requests + report.clocks + report.updates + report.feedback + report.reviews
        self._timed("co-create", started, rows + report.communities + report.members)

    # --- Realize: surveys, invitations, answers, follow-ups, value reviews (dsv.bench.seed_realize) ----

    def _realize(self) -> None:
        started = time.perf_counter()
        formatter = timestamp_formatter()
        report = seed_realize(
            rng=self.rng,
            now=self.now,
            stamp=formatter(self.now.timestamp()),
            scale=realize_scale_of(self.scale.name),
            consumers=[
                (organization.pk, weight, organization.owner_id)
                for organization, weight in zip(self.organizations, self.weights, strict=True)
                if organization.kind == OrganizationKind.CONSUMER
            ],
            people=self.people,
            manager_id=self.managers[0].pk,
            format_time=formatter,
        )
        self._timed("realize", started, report.invitations + report.responses + report.follow_ups)

    def _summary_pool(self) -> dict[str, list[str]]:
        """A few pre-written summaries per kind (filled once, not per row)."""
        rng = self.rng
        pool = {}
        for kind, templates in vocabulary.SUMMARIES.items():
            pool[kind] = [
                template.format(
                    person=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                    system=rng.choice(
                        [
                            "the booking system",
                            "the warehouse scanners",
                            "staff laptops",
                            "the member portal",
                            "the ward tablets",
                            "the office Wi-Fi",
                        ]
                    ),
                    site=rng.choice(["head office", "the north depot", "the city branch", "the main campus"]),
                    service="the managed workplace service",
                    industry="logistics",
                    n=rng.randint(2, 9),
                )
                for template in templates
                for _ in range(3)
            ]
        return pool

    def _touchpoint_chunks(self, columns) -> Iterator[list[tuple]]:
        """Rows in column order, chunk by chunk; each chunk sorted by time, as a live system logs them.
        The loop works on float timestamps and pre-computed cumulative weights: a million rows is the
        point, so every call per row counts."""
        rng = self.rng
        random_ = rng.random
        choice = rng.choice
        now = self.now.timestamp()
        summaries = self._summary_pool()
        mixes = {}
        for step, entries in vocabulary.STEP_MIX.items():
            total, cumulative_weights = 0, []
            for *_, weight in entries:
                total += weight
                cumulative_weights.append(total / sum(entry[3] for entry in entries))
            mixes[step] = (
                [(kind, channels, direction) for kind, channels, direction, _ in entries],
                cumulative_weights,
            )
        sentiments = (-2, -1, 0, 1, 2)
        sentiment_cumulative = (0.05, 0.20, 0.60, 0.90, 1.0)
        # A journey's share: its account's size times how busy its steps in the window were.
        journeys, cumulative, running = [], [], 0.0
        for organization, weight in zip(self.organizations, self.weights, strict=True):
            for journey in self.journeys.get(organization.pk, []):
                running += weight * journey.cumulative[-1]
                journeys.append((organization, journey))
                cumulative.append(running)
        stamp = timestamp_formatter()
        order = [field.attname for field in columns]
        if order != TOUCHPOINT_COLUMNS:
            raise RuntimeError(f"Touchpoint columns changed; update TOUCHPOINT_COLUMNS: {order}")
        people_of = self.people
        desk_id = self.desk.pk
        remaining = self.scale.touchpoints
        while remaining:
            size = min(TOUCHPOINT_CHUNK, remaining)
            remaining -= size
            chunk = []
            for organization, journey in rng.choices(journeys, cum_weights=cumulative, k=size):
                # A step in proportion to its time in the window and how busy such a step is; then a
                # moment within it.
                index = bisect.bisect_left(journey.cumulative, random_() * journey.cumulative[-1])
                segment_start, segment_length, step = journey.segments[index]
                occurred = segment_start + segment_length * random_()
                options, option_cumulative = mixes[step]
                kind, channels, direction = options[bisect.bisect_left(option_cumulative, random_())]
                logged = min(occurred + 60 + 1740 * random_(), now)
                people = people_of.get(organization.pk)
                chunk.append(
                    (
                        occurred,
                        (
                            stamp(logged),  # created_at
                            stamp(logged),  # updated_at
                            organization.pk,
                            journey.pk,
                            choice(people) if people and random_() < 0.9 else None,
                            step,
                            choice(channels),
                            kind,
                            direction,
                            sentiments[bisect.bisect_left(sentiment_cumulative, random_())],
                            random_() < 0.03,  # moment of truth
                            choice(summaries[kind]),
                            stamp(occurred),
                            int(2 + 58 * random_()) if random_() < 0.7 else None,  # duration
                            desk_id if direction == "inbound" else organization.owner_id,
                            "",  # external id
                        ),
                    )
                )
            chunk.sort(key=lambda pair: pair[0])
            yield [row for _, row in chunk]


TOUCHPOINT_COLUMNS = [
    "created_at", "updated_at", "organization_id", "journey_id", "stakeholder_id", "step", "channel", "kind",
    "direction", "sentiment", "moment_of_truth", "summary", "occurred_at", "duration_minutes", "logged_by_id",
    "external_id",
]  # fmt: skip


class ForeignData(Exception):
    """The database holds organizations the bench did not create."""


def ensure_schema(log: Callable[[str], None], *, allow_foreign: bool) -> None:
    """Apply pending migrations, so the bench runs on a fresh database file too; but first make sure the
    database is empty or the bench's own (unless `allow_foreign`): a benchmark never migrates somebody
    else's database."""
    from django.core.management import call_command
    from django.db.migrations.executor import MigrationExecutor

    migrated_before = Organization._meta.db_table in connection.introspection.table_names()
    if migrated_before and not allow_foreign and database_state() == "foreign":
        raise ForeignData(
            "This database holds organizations that the bench did not create. Point DATABASE_URL at a "
            "database of its own (e.g. DATABASE_URL=sqlite:///var/bench.sqlite3, relative to the "
            "working directory), or use --force to wipe the spine tables."
        )
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        log("applying migrations")
        call_command("migrate", interactive=False, verbosity=0)
