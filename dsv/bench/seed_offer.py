"""Bench rows of the Offer step (BENCH.md: rows that later issues add are seeded in proportion): a
catalogue of services and offerings with their parts, each consumer journey linked to an offering,
requirements, opportunities and business cases per consumer in proportion to the account's activity,
an onboarding playbook and a demand profile per offering.

Rows go in with the raw bulk loader (dsv.bench.bulk.insert_dicts), so defaults that Django computes
per instance (a business case's lineage) are set here explicitly.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import connection

from dsv.bench.bulk import insert_dicts
from journeys.models import ConsumerRole, Journey, Persona
from offerings.models import (
    Assumption,
    BenefitLine,
    BenefitType,
    BusinessCase,
    BusinessCasePerspective,
    BusinessCaseRisk,
    BusinessCaseStatus,
    Confidence,
    CostCategory,
    CostLine,
    DemandDimension,
    DemandProfile,
    DemandProfileCell,
    DemandProfileSource,
    EngagementTier,
    ExpenseType,
    MoscowCategory,
    OfferingComponent,
    OfferingComponentKind,
    OfferingJourney,
    OfferingStatus,
    OnboardingPlaybook,
    Opportunity,
    OpportunityStage,
    OwnerParty,
    PlaybookAction,
    PlaybookActionDependency,
    Recurrence,
    Requirement,
    RequirementKind,
    RequirementStatus,
    Service,
    ServiceOffering,
    ValueProposition,
)
from offerings.models.demand import STATUSES_WITH_ACCEPTANCE, STATUSES_WITH_PRIORITY, WSJF_SCALE

# Offer tables, children first (the bench wipes them with the spine).
OFFER_MODELS = [
    PlaybookActionDependency,
    PlaybookAction,
    OnboardingPlaybook,
    DemandProfileCell,
    DemandProfile,
    Assumption,
    BusinessCaseRisk,
    BenefitLine,
    CostLine,
    BusinessCase.history.model,
    BusinessCase,
    Opportunity.history.model,
    Opportunity,
    Requirement.history.model,
    Requirement,
    OfferingJourney,
    ValueProposition,
    EngagementTier,
    OfferingComponent,
    ServiceOffering.target_personas.through,
    ServiceOffering.target_segments.through,
    ServiceOffering.history.model,
    ServiceOffering,
    Service,
    Persona,
]

SERVICES = [
    "Managed workplace",
    "Service desk",
    "Cloud hosting",
    "Network operations",
    "Field engineering",
    "Security monitoring",
    "Data platform",
    "Application support",
]
OFFERING_TIERS = ["Essential", "Standard", "Premium", "Enterprise", "Regional", "Starter"]
PERSONAS = [
    ("Operations lead Olu", ConsumerRole.USER),
    ("Finance director Fenna", ConsumerRole.SPONSOR),
    ("IT manager Ines", ConsumerRole.CUSTOMER),
    ("Site supervisor Sam", ConsumerRole.USER),
    ("Procurement officer Priya", ConsumerRole.CUSTOMER),
    ("Chief operating officer Chen", ConsumerRole.SPONSOR),
]
NEEDS = [
    ("a site engineer", "to see every open ticket for my site", "I can plan my visits"),
    ("a service owner", "a monthly availability report", "I can show the board how we did"),
    ("a new starter", "my laptop ready on day one", "I can work from the first morning"),
    ("a finance lead", "costs split by department", "each department pays its share"),
    ("a team lead", "to approve access requests from my phone", "nobody waits for me"),
    ("a user", "to reset my own password", "I am not stuck when I forget it"),
    ("an auditor", "a log of every change to permissions", "the audit takes days, not weeks"),
]
ACTIONS = [
    ("Kick-off meeting with the sponsor", OwnerParty.PROVIDER, 0),
    ("Name the consumer's onboarding lead", OwnerParty.CONSUMER, 2),
    ("Share the user list", OwnerParty.CONSUMER, 5),
    ("Create accounts and access", OwnerParty.PROVIDER, 10),
    ("Train the key users", OwnerParty.PROVIDER, 15),
    ("Switch over the first site", OwnerParty.PROVIDER, 20),
    ("Confirm the service works as agreed", OwnerParty.CONSUMER, 25),
    ("Review onboarding with the consumer", OwnerParty.PROVIDER, 30),
]


@dataclass(frozen=True)
class OfferSeed:
    offerings: int
    requirements: int
    opportunities: int
    business_cases: int


def _money(rng: random.Random, low: int, high: int) -> Decimal:
    return Decimal(rng.randint(low, high) * 100)


def seed_offer(
    *, rng: random.Random, now: datetime, stamp: object, consumers: list[tuple[int, float, int]], users
) -> OfferSeed:
    """`consumers`: (organization pk, activity weight, owner id) per consumer; `stamp`: `now` as the
    bulk loader writes it."""
    owner_ids = [user.pk for user in users]
    # Personas to aim value propositions at.
    insert_dicts(
        Persona,
        [{"name": name, "consumer_role": role, "summary": "A bench persona."} for name, role in PERSONAS],
        now=stamp,
    )
    personas = list(Persona.objects.order_by("pk").values_list("pk", flat=True))

    # The catalogue: every service has three offerings.
    insert_dicts(
        Service,
        [
            {"name": name, "description": f"The {name.lower()} service.", "owner_id": owner_ids[0]}
            for name in SERVICES
        ],
        now=stamp,
    )
    services = list(Service.objects.order_by("pk").values_list("pk", "name"))
    offering_rows = []
    for service_pk, service_name in services:
        for tier in rng.sample(OFFERING_TIERS, 3):
            status = rng.choices(list(OfferingStatus.values), weights=(2, 7, 1))[0]
            offering_rows.append(
                {
                    "service_id": service_pk,
                    "name": f"{service_name} {tier}",
                    "summary": f"{service_name} at the {tier.lower()} level.",
                    "status": status,
                    "published_at": stamp if status != OfferingStatus.DRAFT else None,
                    "retired_at": stamp if status == OfferingStatus.RETIRED else None,
                }
            )
    insert_dicts(ServiceOffering, offering_rows, now=stamp)
    offerings = list(ServiceOffering.objects.order_by("pk").values_list("pk", flat=True))
    kinds = list(OfferingComponentKind.values)
    insert_dicts(
        OfferingComponent,
        [
            {"offering_id": pk, "kind": kinds[index % 3], "name": f"Component {index + 1}", "position": index}
            for pk in offerings
            for index in range(rng.randint(3, 6))
        ],
        now=stamp,
    )
    insert_dicts(
        EngagementTier,
        [
            {"offering_id": pk, "name": name, "position": index}
            for pk in offerings
            for index, name in enumerate(("Self-service", "Assisted", "Dedicated"))
        ],
        now=stamp,
    )
    insert_dicts(
        ServiceOffering.target_personas.through,
        [
            {"serviceoffering_id": pk, "persona_id": persona}
            for pk in offerings
            for persona in rng.sample(personas, 2)
        ],
        now=stamp,
    )
    insert_dicts(
        ValueProposition,
        [
            {
                "offering_id": pk,
                "persona_id": persona,
                "headline": "Fewer interruptions, predictable costs",
                "how_it_solves_problems": "Problems are picked up before users notice them.",
                "what_to_expect": "A named contact and a monthly review.",
                "advantage_over_competitors": "Engineers on site within four hours.",
                "target_decision_maker_role": ConsumerRole.SPONSOR,
            }
            for pk in offerings
            for persona in rng.sample(personas, rng.randint(1, 2))
        ],
        now=stamp,
    )

    # Each consumer journey concerns one offering.
    journeys = list(Journey.objects.order_by("pk").values_list("pk", "organization_id"))
    insert_dicts(
        OfferingJourney,
        [{"offering_id": rng.choice(offerings), "journey_id": pk} for pk, _org in journeys],
        now=stamp,
    )
    journey_of = {}
    for pk, organization_id in journeys:
        journey_of.setdefault(organization_id, pk)

    # Onboarding playbooks: one per offering, its actions in a chain with a side branch.
    insert_dicts(
        OnboardingPlaybook,
        [
            {"offering_id": pk, "name": "Standard onboarding", "vision": "Users productive in a month."}
            for pk in offerings
        ],
        now=stamp,
    )
    playbooks = list(OnboardingPlaybook.objects.order_by("pk").values_list("pk", flat=True))
    insert_dicts(
        PlaybookAction,
        [
            {
                "playbook_id": pk,
                "title": title,
                "owner_party": party,
                "due_after_days": days,
                "position": index,
            }
            for pk in playbooks
            for index, (title, party, days) in enumerate(ACTIONS)
        ],
        now=stamp,
    )
    action_pks: dict[int, list[int]] = {}
    for pk, playbook_id in PlaybookAction.objects.order_by("playbook_id", "position").values_list(
        "pk", "playbook_id"
    ):
        action_pks.setdefault(playbook_id, []).append(pk)
    insert_dicts(
        PlaybookActionDependency,
        [
            {"action_id": actions[index], "depends_on_id": actions[index - (2 if index in (3, 5) else 1)]}
            for actions in action_pks.values()
            for index in range(1, len(actions))
        ],
        now=stamp,
    )

    # Demand profiles, as entered by hand: a working-hours pattern per offering.
    insert_dicts(
        DemandProfile,
        [
            {"offering_id": pk, "source": DemandProfileSource.ENTERED, "activity": "Users working"}
            for pk in offerings
        ],
        now=stamp,
    )
    cells = []
    for profile in DemandProfile.objects.order_by("pk").values_list("pk", flat=True):
        for hour in range(24):
            busy = 8 <= hour < 18
            cells.append(
                {
                    "profile_id": profile,
                    "dimension": DemandDimension.HOUR_OF_DAY,
                    "bucket": hour,
                    "volume": rng.randint(40, 120) if busy else rng.randint(0, 15),
                }
            )
        for day in range(7):
            cells.append(
                {
                    "profile_id": profile,
                    "dimension": DemandDimension.DAY_OF_WEEK,
                    "bucket": day,
                    "volume": rng.randint(300, 600) if day < 5 else rng.randint(10, 60),
                }
            )
        for month in range(1, 13):
            cells.append(
                {
                    "profile_id": profile,
                    "dimension": DemandDimension.MONTH,
                    "bucket": month,
                    "volume": rng.randint(1500, 2600),
                }
            )
    insert_dicts(DemandProfileCell, cells, now=stamp)

    requirements = _requirements(rng, stamp, consumers, offerings, journey_of)
    opportunities = _opportunities(rng, now, stamp, consumers, offerings)
    cases = _business_cases(rng, stamp, consumers, offerings)
    return OfferSeed(
        offerings=len(offerings), requirements=requirements, opportunities=opportunities, business_cases=cases
    )


def _requirements(rng, stamp, consumers, offerings, journey_of) -> int:
    """About sixteen requirements per unit of an account's activity, at most 400: the busiest accounts
    have boards of a hundred cards and more."""
    statuses = list(RequirementStatus.values)
    categories = [MoscowCategory.MUST, MoscowCategory.SHOULD, MoscowCategory.COULD, MoscowCategory.WONT]
    rows = []
    for organization_id, weight, owner_id in consumers:
        ranks = dict.fromkeys([*categories, ""], 0)
        for number in range(min(400, round(weight * 16))):
            role, want, benefit = rng.choice(NEEDS)
            status = rng.choice(statuses)
            if status == RequirementStatus.DEFERRED:
                moscow = MoscowCategory.WONT
            elif status in STATUSES_WITH_PRIORITY or rng.random() < 0.5:
                moscow = rng.choices(categories, weights=(4, 3, 2, 1))[0]
            else:
                moscow = ""
            scored = rng.random() < 0.8
            ranks[moscow] += 1
            rows.append(
                {
                    "organization_id": organization_id,
                    "journey_id": journey_of.get(organization_id),
                    "offering_id": rng.choice(offerings),
                    "title": f"{want[0].upper()}{want[1:]} ({number + 1})",
                    "as_a": role,
                    "i_want": want,
                    "so_that": benefit,
                    "kind": RequirementKind.UTILITY,
                    "acceptance_criteria": "Shown in a demo with real data."
                    if status in STATUSES_WITH_ACCEPTANCE or rng.random() < 0.5
                    else "",
                    "status": status,
                    "validated_at": stamp if status == RequirementStatus.VALIDATED else None,
                    "moscow": moscow,
                    "rank": ranks[moscow],
                    "service_impact": rng.choice(WSJF_SCALE) if scored else None,
                    "urgency": rng.choice(WSJF_SCALE) if scored else None,
                    "risk_reduction": rng.choice(WSJF_SCALE) if scored else None,
                    "job_size": rng.choice((1, 2, 3, 5, 8, 13)) if scored else None,
                    "is_independent": rng.random() < 0.8,
                    "is_negotiable": rng.random() < 0.9,
                    "is_valuable": True,
                    "is_estimable": scored,
                    "is_small": rng.random() < 0.7,
                    "is_testable": rng.random() < 0.7,
                    "owner_id": owner_id,
                }
            )
    insert_dicts(Requirement, rows, now=stamp)
    return len(rows)


def _opportunities(rng, now, stamp, consumers, offerings) -> int:
    stages = list(OpportunityStage.values)
    rows = []
    for organization_id, weight, owner_id in consumers:
        for position in range(min(12, round(weight * 2))):
            stage = rng.choices(stages, weights=(4, 3, 2, 1))[0]
            rows.append(
                {
                    "organization_id": organization_id,
                    "offering_id": rng.choice(offerings),
                    "title": f"Extend the service ({position + 1})",
                    "stage": stage,
                    "stage_changed_at": stamp,
                    "estimated_value": _money(rng, 50, 5000),
                    "expected_close_date": (now + timedelta(days=rng.randint(10, 200))).date(),
                    "lost_reason": "Went with a cheaper offer." if stage == OpportunityStage.LOST else "",
                    "position": position,
                    "owner_id": owner_id,
                }
            )
    insert_dicts(Opportunity, rows, now=stamp)
    return len(rows)


def _business_cases(rng, stamp, consumers, offerings) -> int:
    """Every other account with above-median activity has a consumer business case: an approved
    baseline and, for some, a newer draft version; each version with its lines."""
    case_rows = []
    lineage_field = BusinessCase._meta.get_field("lineage")
    for organization_id, weight, owner_id in consumers:
        if weight < 1 or rng.random() < 0.5:
            continue
        lineage = lineage_field.get_db_prep_value(uuid.UUID(int=rng.getrandbits(128)), connection)
        versions = rng.choice((1, 2, 2, 3))
        for version in range(1, versions + 1):
            latest = version == versions
            approved = not latest or versions == 1
            case_rows.append(
                {
                    "organization_id": organization_id,
                    "offering_id": rng.choice(offerings),
                    "perspective": BusinessCasePerspective.CONSUMER,
                    "title": "Move the workplace to a managed service",
                    "purpose": "Fewer outages and a predictable monthly cost.",
                    "discount_rate": Decimal("0.08"),
                    "horizon_years": 5,
                    "status": BusinessCaseStatus.APPROVED if approved else BusinessCaseStatus.DRAFT,
                    "submitted_at": stamp if approved else None,
                    "approved_at": stamp if approved else None,
                    "approved_by_id": owner_id if approved else None,
                    "lineage": lineage,
                    "version": version,
                    "is_baseline": approved and (version == versions - 1 or versions == 1),
                    "owner_id": owner_id,
                }
            )
    insert_dicts(BusinessCase, case_rows, now=stamp)
    cases = list(BusinessCase.objects.order_by("pk").values_list("pk", flat=True))
    # Versions point at the one before them.
    previous: dict[tuple[uuid.UUID, int], int] = {}
    updates = []
    for pk, lineage, version in BusinessCase.objects.values_list("pk", "lineage", "version"):
        previous[(lineage, version)] = pk
    for (lineage, version), pk in previous.items():
        if version > 1:
            updates.append(BusinessCase(pk=pk, previous_version_id=previous[(lineage, version - 1)]))
    BusinessCase.objects.bulk_update(updates, ["previous_version"], batch_size=2_000)

    categories = list(CostCategory.values)
    cost_rows, benefit_rows, risk_rows, assumption_rows = [], [], [], []
    for pk in cases:
        cost_rows.append(
            {
                "business_case_id": pk,
                "description": "Transition project",
                "category": CostCategory.INVESTMENT,
                "expense_type": ExpenseType.CAPITAL,
                "recurrence": Recurrence.ONE_OFF,
                "year": 0,
                "amount": _money(rng, 200, 900),
            }
        )
        for index in range(rng.randint(3, 8)):
            first = rng.randint(0, 2)
            cost_rows.append(
                {
                    "business_case_id": pk,
                    "description": f"Running cost {index + 1}",
                    "category": rng.choice(categories),
                    "expense_type": ExpenseType.OPERATING,
                    "recurrence": Recurrence.RECURRING,
                    "year": first,
                    "last_year": rng.randint(first, 5),
                    "amount": _money(rng, 10, 120),
                }
            )
        for index in range(rng.randint(2, 6)):
            first = rng.randint(1, 2)
            benefit_rows.append(
                {
                    "business_case_id": pk,
                    "description": f"Saving {index + 1}",
                    "benefit_type": rng.choice([BenefitType.COST_REDUCTION, BenefitType.REVENUE]),
                    "indicator": "Monthly cost per user",
                    "recurrence": Recurrence.RECURRING,
                    "year": first,
                    "last_year": 5,
                    "amount": _money(rng, 30, 200),
                }
            )
        for index in range(rng.randint(1, 3)):
            risk_rows.append(
                {
                    "business_case_id": pk,
                    "description": f"Risk {index + 1}: the transition takes longer",
                    "probability": Decimal(rng.randint(5, 60)) / 100,
                    "impact": _money(rng, 50, 400),
                }
            )
        assumption_rows.append(
            {"business_case_id": pk, "text": "User numbers stay stable.", "confidence": Confidence.MEDIUM}
        )
    insert_dicts(CostLine, cost_rows, now=stamp)
    insert_dicts(BenefitLine, benefit_rows, now=stamp)
    insert_dicts(BusinessCaseRisk, risk_rows, now=stamp)
    insert_dicts(Assumption, assumption_rows, now=stamp)
    return len(cases)
