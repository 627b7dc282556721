"""Demo data of Engage: a service relationship for every demo consumer, its ladder progress, and
communication plans for each account's key stakeholders.

The types vary on purpose: some accounts are happy where they are, some are aimed closer, one was
moved back to basic after the consumer left, and one is aimed two types away (the page warns about it).
The ladders follow the ladder's rules. Plans start some months back and use cadences from weekly to
quarterly, so against the demo touchpoints some are kept and some are overdue.

Deterministic: no randomness, only dates move with `now`. Safe to run twice (existing records are
updated, not duplicated).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from dsv.demo import accounts
from journeys.models import Channel, Organization, Stakeholder
from relationships.models import (
    Cadence,
    CommunicationPlan,
    LadderProgress,
    LadderStatus,
    LadderStep,
    RelationshipType,
    ServiceRelationship,
)
from relationships.selectors import KEY_STAKEHOLDER_INFLUENCE

BASIC, COOPERATIVE, PARTNERSHIP = RelationshipType
NOT, WIP, DONE = LadderStatus.NOT_STARTED, LadderStatus.IN_PROGRESS, LadderStatus.DONE


@dataclass(frozen=True)
class RelationshipPlan:
    current: RelationshipType
    target: RelationshipType
    ladder: tuple[LadderStatus, ...]  # the five steps in order, consistent with the ladder's rules
    notes: str
    # (current, target, days ago) of an earlier type, shown in the type history
    earlier: tuple[RelationshipType, RelationshipType, int] | None = None
    plans: bool = True  # whether the key stakeholders have communication plans


PLANS: dict[str, RelationshipPlan] = {
    "Rovena Car Rental": RelationshipPlan(
        COOPERATIVE,
        COOPERATIVE,
        (DONE, DONE, DONE, DONE, DONE),
        "Branch IT runs to an advanced SLA and they now ask us before choosing kiosk hardware. Neither "
        "side wants joint planning: keep it cooperative and keep it working.",
        earlier=(BASIC, COOPERATIVE, 420),
    ),
    "Meridian Freight Lines": RelationshipPlan(
        COOPERATIVE,
        PARTNERSHIP,
        (DONE, DONE, DONE, DONE, DONE),
        "Their depot automation roadmap is shared with us every quarter. A joint warehouse analytics "
        "service is on the table; a partnership would fit both sides' plans.",
        earlier=(COOPERATIVE, COOPERATIVE, 380),
    ),
    "Skyport Ground Handling": RelationshipPlan(
        COOPERATIVE,
        COOPERATIVE,
        (DONE, DONE, DONE, WIP, NOT),
        "The ramp tablet roll-out strained trust. We still do not fully understand their turnaround "
        "pressures; finish that before talking about anything bigger.",
    ),
    "Alder Coach Travel": RelationshipPlan(
        BASIC,
        BASIC,
        (WIP, NOT, NOT, NOT, NOT),
        "New prospect for ticketing support. A standard catalogue service suits them.",
        plans=False,
    ),
    "Kestrel Parcel Couriers": RelationshipPlan(
        BASIC,
        COOPERATIVE,
        (DONE, WIP, NOT, NOT, NOT),
        "Handheld management is a commodity today, but their route planning team wants advice on "
        "device choices: worth growing into a cooperative relationship.",
    ),
    "Brenna Rail Maintenance": RelationshipPlan(
        BASIC,
        BASIC,
        (DONE, DONE, DONE, DONE, WIP),
        "They left after the depot network refresh. Kept as a basic relationship for the remaining "
        "hardware maintenance contract.",
        earlier=(COOPERATIVE, COOPERATIVE, 300),
        plans=False,
    ),
    "Lindqvist Bike Share": RelationshipPlan(
        BASIC,
        BASIC,
        (DONE, DONE, NOT, NOT, NOT),
        "Small, happy consumer of a standard connectivity service. No reason to invest in more.",
    ),
    "Saltmarsh University": RelationshipPlan(
        BASIC,
        COOPERATIVE,
        (DONE, DONE, WIP, DONE, NOT),
        "The digital workplace tender is won; the faculty IT leads want a say in configuration. "
        "Their needs are mapped; they are still checking our capabilities.",
    ),
    "Harbourview Hospital Group": RelationshipPlan(
        COOPERATIVE,
        COOPERATIVE,
        (DONE, DONE, DONE, DONE, WIP),
        "Clinical workstations need outcomes agreed with the wards, not only uptime. Readiness "
        "assessment with the new CIO is under way.",
        earlier=(BASIC, COOPERATIVE, 330),
    ),
    "Velmont City Council": RelationshipPlan(
        COOPERATIVE,
        COOPERATIVE,
        (DONE, DONE, DONE, DONE, DONE),
        "Portal hosting runs to agreed resident outcomes. Public procurement rules make a partnership "
        "neither possible nor wanted.",
    ),
    "Cobalt Trust Bank": RelationshipPlan(
        COOPERATIVE,
        PARTNERSHIP,
        (DONE, DONE, DONE, DONE, DONE),
        "The mortgage platform could be built together with their product team. Their regulator's view "
        "on shared risk has to be clear first.",
        earlier=(BASIC, COOPERATIVE, 400),
    ),
    "Peregrine Mutual Insurance": RelationshipPlan(
        BASIC,
        PARTNERSHIP,
        (DONE, WIP, NOT, NOT, NOT),
        "Their new COO talks about a partnership for claims handling; the agreement went back to "
        "negotiation once already. Check this target is realistic.",
    ),
    "Orchard Lane Credit Union": RelationshipPlan(
        BASIC,
        BASIC,
        (DONE, NOT, NOT, NOT, NOT),
        "Member services IT from the standard catalogue; the manager likes one point of contact.",
    ),
}

EVIDENCE = {
    LadderStep.CREATE_ENVIRONMENT: "Introduced at a sector round table in Dublin; walked them through the "
    "service catalogue afterwards.",
    LadderStep.BUILD_TRUST: "Monthly reviews held since the start; every action from them closed on time.",
    LadderStep.UNDERSTAND_PROVIDER: "Their IT lead visited our service desk and read the last ISO 20000 "
    "audit report.",
    LadderStep.UNDERSTAND_NEEDS: "Jobs-to-be-done workshop with their operations team; needs written up "
    "and signed off.",
    LadderStep.ASSESS_READINESS: "Joint maturity assessment done; both sides agreed where to start.",
}

# Cadence and channel of a key stakeholder's plan, by the part they play in the account (see
# vocabulary.PEOPLE_SLOTS): sponsors hear from us less often and in person, customers more often.
PLAN_STYLE = {
    "sponsor": (Cadence.QUARTERLY, Channel.IN_PERSON, "Quarterly business review with the sponsor"),
    "customer": (Cadence.FORTNIGHTLY, Channel.VIDEO_CALL, "Fortnightly service check-in"),
    "commercial": (Cadence.MONTHLY, Channel.EMAIL, "Monthly note on contract and invoices"),
    "key_user": (Cadence.WEEKLY, Channel.TELEPHONE, "Weekly call with the key user"),
}
PLAN_STARTED_DAYS_AGO = 150


def _role_of(person: Stakeholder) -> str:
    if person.is_sponsor:
        return "sponsor"
    if person.is_customer and person.interest >= 4:
        return "customer"
    if person.is_customer:
        return "commercial"
    return "key_user"


def _save_types(relationship: ServiceRelationship, current, target, moment: datetime) -> None:
    relationship.current_type, relationship.target_type = current, target
    relationship.save()
    # Backdate the history row just written, so the type history tells the account's story.
    relationship.history.filter(pk=relationship.history.latest().pk).update(history_date=moment)


def seed_relationships(*, users: dict, now: datetime) -> int:
    """Create (or update) the demo consumers' relationships, ladders and plans; returns the number of
    relationships."""
    organizations = {
        organization.name: organization
        for organization in Organization.objects.filter(name__in=PLANS).select_related("owner")
    }
    count = 0
    for name, plan in PLANS.items():
        organization = organizations.get(name)
        if organization is None:
            continue
        owner = organization.owner or users.get("manager")
        relationship, created = ServiceRelationship.objects.get_or_create(organization=organization)
        if created:
            # The creation's own history row would date the record today; the story starts earlier.
            relationship.history.all().delete()
            if plan.earlier:
                current, target, days_ago = plan.earlier
                _save_types(relationship, current, target, now - timedelta(days=days_ago))
        relationship.notes = plan.notes
        _save_types(
            relationship, plan.current, plan.target, now - timedelta(days=40 if plan.earlier else 200)
        )
        _seed_ladder(relationship, plan, owner, now)
        if plan.plans:
            _seed_plans(organization, owner, now)
        count += 1
    return count


def _seed_ladder(relationship: ServiceRelationship, plan: RelationshipPlan, owner, now: datetime) -> None:
    for index, (step, status) in enumerate(zip(LadderStep, plan.ladder, strict=True)):
        LadderProgress.objects.update_or_create(
            relationship=relationship,
            step=step,
            defaults={
                "status": status,
                "evidence": EVIDENCE[step] if status == DONE else "",
                "completed_at": now - timedelta(days=240 - 35 * index) if status == DONE else None,
                "updated_by": owner,
            },
        )


def _seed_plans(organization: Organization, owner, now: datetime) -> None:
    key_people = Stakeholder.objects.filter(
        organization=organization, is_active=True, influence__gte=KEY_STAKEHOLDER_INFLUENCE
    ).order_by("pk")
    for person in key_people:
        cadence, channel, purpose = PLAN_STYLE[_role_of(person)]
        CommunicationPlan.objects.update_or_create(
            stakeholder=person,
            defaults={
                "cadence_days": cadence,
                "preferred_channel": channel,
                "purpose": purpose,
                "starts_on": (now - timedelta(days=PLAN_STARTED_DAYS_AGO)).date(),
                "owner": owner,
            },
        )


def reset_relationships() -> None:
    """Remove the demo relationships' change history. The relationships, their ladders and plans need
    no step of their own: they are deleted with their organizations and stakeholders (cascade). The
    history rows are not (simple-history keeps them on purpose), so this runs before the demo
    organizations are deleted, while their ids can still be found by name."""
    names = [plan.name for plan in accounts.ACCOUNTS]
    ids = Organization.objects.filter(name__in=names).values("pk")
    ServiceRelationship.history.filter(organization_id__in=ids).delete()
