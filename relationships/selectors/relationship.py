"""Reads of the service relationship: its type, the type's profile, its ladder progress and its
place in the portfolio. The communication plans' reads are in `communication.py`.

A consumer with no relationship record yet counts as a basic relationship aimed at staying basic: the
record is created by the first change (`services.service_relationship_for`), not by looking.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import (
    Count,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from journeys.models import Organization, OrganizationKind, Stakeholder
from journeys.selectors import organization_scope
from relationships.models import (
    CommunicationPlan,
    LadderProgress,
    LadderStatus,
    LadderStep,
    RelationshipType,
    ServiceRelationship,
)
from relationships.profiles import (
    LADDER_DEPENDENTS,
    LADDER_PREREQUISITES,
    RELATIONSHIP_PROFILES,
    AgreementType,
    OrganizationalLevel,
    RelationshipProfile,
    ServiceType,
)
from relationships.selectors.communication import (
    KEY_STAKEHOLDER_INFLUENCE,
    _require_visible,
    plan_is_overdue,
)

__all__ = [
    "LadderRow",
    "RelationshipPage",
    "TypeChange",
    "relationship_atypical_warnings",
    "relationship_list",
    "relationship_page",
    "relationship_panel",
    "relationship_type_counts",
    "relationship_type_profile",
    "relationship_type_profiles",
    "service_relationship_list",
    "service_relationship_of",
    "with_relationship_type",
]

# --- profiles and atypical combinations -----------------------------------------------------------


def relationship_type_profile(relationship_type) -> RelationshipProfile:
    return RELATIONSHIP_PROFILES[RelationshipType(relationship_type)]


def relationship_type_profiles() -> list[RelationshipProfile]:
    """The three profiles, from the least to the most involved relationship."""
    return [RELATIONSHIP_PROFILES[relationship_type] for relationship_type in RelationshipType]


def _typical_for(attribute: str, value) -> list[str]:
    return [
        profile.label.lower()
        for profile in relationship_type_profiles()
        if value in getattr(profile, attribute)
    ]


def relationship_atypical_warnings(
    *,
    relationship_type,
    service_type=None,
    agreement_type=None,
    organizational_levels=None,
) -> list[str]:
    """What is unusual about a service, agreement or set of involved levels for a relationship of this
    type. Warnings, never errors: a consumer may be served differently from its type on purpose, but
    whoever records it should notice (Offer and Agree call this when an offering or agreement is set)."""
    profile = relationship_type_profile(relationship_type)
    kind = profile.label.lower()
    warnings: list[str] = []
    if service_type:
        service_type = ServiceType(service_type)
        if service_type not in profile.typical_service_types:
            usual = " or ".join(_typical_for("typical_service_types", service_type))
            warnings.append(
                f"A {service_type.label.lower()} service is unusual in a {kind}: it usually goes with a "
                f"{usual}. Typical here: {'; '.join(profile.service_type_labels)}."
            )
    if agreement_type:
        agreement_type = AgreementType(agreement_type)
        if agreement_type not in profile.typical_agreement_types:
            usual = " or ".join(_typical_for("typical_agreement_types", agreement_type))
            warnings.append(
                f"{agreement_type.label} is unusual in a {kind}"
                + (f": it usually goes with a {usual}" if usual else "")
                + f". Typical here: {'; '.join(profile.agreement_type_labels)}."
            )
    if organizational_levels is not None:
        levels = {OrganizationalLevel(level) for level in organizational_levels}
        missing = [level for level in profile.organizational_levels if level not in levels]
        extra = [
            level
            for level in OrganizationalLevel
            if level in levels and level not in profile.organizational_levels
        ]
        if missing:
            warnings.append(
                f"A {kind} normally involves the {', '.join(level.label.lower() for level in missing)} "
                f"level{'s' if len(missing) > 1 else ''} too; without it the relationship may not hold "
                "what the type promises."
            )
        if extra:
            warnings.append(
                f"The {', '.join(level.label.lower() for level in extra)} level is more involvement "
                f"than a {kind} usually needs: check it adds value for both sides."
            )
    return warnings


# --- the relationship page ------------------------------------------------------------------------


@dataclass(frozen=True)
class LadderRow:
    """One step of the ladder as it stands, with what its status may change to."""

    step: LadderStep
    status: LadderStatus
    evidence: str = ""
    completed_at: datetime | None = None
    updated_by: object | None = None
    missing: tuple[LadderStep, ...] = ()  # steps before it that are not done yet
    blocking: tuple[LadderStep, ...] = ()  # done steps after it that rest on it

    @property
    def number(self) -> int:
        return list(LadderStep).index(self.step) + 1

    @property
    def prerequisites(self) -> tuple[LadderStep, ...]:
        return LADDER_PREREQUISITES[self.step]

    @property
    def is_done(self) -> bool:
        return self.status == LadderStatus.DONE

    @property
    def may_be_done(self) -> bool:
        return not self.missing

    @property
    def may_reopen(self) -> bool:
        return not self.blocking

    @property
    def parallel(self) -> bool:
        """Steps 3 and 4 run side by side."""
        return self.step in (LadderStep.UNDERSTAND_PROVIDER, LadderStep.UNDERSTAND_NEEDS)


@dataclass(frozen=True)
class TypeChange:
    moment: datetime
    user: object | None
    current_type: RelationshipType
    target_type: RelationshipType
    first: bool


@dataclass(frozen=True)
class RelationshipPage:
    organization: Organization
    relationship: ServiceRelationship
    recorded: bool
    ladder: list[LadderRow]
    history: list[TypeChange]
    warnings: list[str]
    key_without_plan: list[str] = field(default_factory=list)

    @property
    def is_consumer(self) -> bool:
        return self.organization.kind == OrganizationKind.CONSUMER

    @property
    def current_profile(self) -> RelationshipProfile:
        return relationship_type_profile(self.relationship.current_type)

    @property
    def target_profile(self) -> RelationshipProfile:
        return relationship_type_profile(self.relationship.target_type)

    @property
    def same_type(self) -> bool:
        return self.relationship.current_type == self.relationship.target_type

    @property
    def ladder_done(self) -> int:
        return sum(row.is_done for row in self.ladder)

    @property
    def ladder_steps(self) -> list[LadderRow | list[LadderRow]]:
        """The ladder as drawn: steps 3 and 4 together on one rung."""
        return [self.ladder[0], self.ladder[1], [self.ladder[2], self.ladder[3]], self.ladder[4]]


def _ladder_rows(progress: dict[str, LadderProgress]) -> list[LadderRow]:
    statuses = {
        step: (progress[step].status if step in progress else LadderStatus.NOT_STARTED) for step in LadderStep
    }
    rows = []
    for step in LadderStep:
        entry = progress.get(step)
        rows.append(
            LadderRow(
                step=step,
                status=LadderStatus(statuses[step]),
                evidence=entry.evidence if entry else "",
                completed_at=entry.completed_at if entry else None,
                updated_by=entry.updated_by if entry else None,
                missing=tuple(
                    before for before in LADDER_PREREQUISITES[step] if statuses[before] != LadderStatus.DONE
                ),
                blocking=tuple(
                    later for later in LADDER_DEPENDENTS[step] if statuses[later] == LadderStatus.DONE
                ),
            )
        )
    return rows


def _type_history(relationship: ServiceRelationship) -> list[TypeChange]:
    """The moments the type or the target changed (notes edits left out), newest first."""
    if relationship.pk is None:
        return []
    records = relationship.history.select_related("history_user").order_by("history_date", "history_id")
    changes: list[TypeChange] = []
    previous = None
    for record in records:
        types = (record.current_type, record.target_type)
        if types != previous:
            changes.append(
                TypeChange(
                    moment=record.history_date,
                    user=record.history_user,
                    current_type=RelationshipType(record.current_type),
                    target_type=RelationshipType(record.target_type),
                    first=previous is None,
                )
            )
        previous = types
    return changes[::-1]


def _page_warnings(
    page_relationship: ServiceRelationship, ladder_done: int, key_without_plan, overdue
) -> list[str]:
    current = RelationshipType(page_relationship.current_type)
    target = RelationshipType(page_relationship.target_type)
    warnings = []
    if abs(target.rank - current.rank) > 1:
        direction = "closer" if target.rank > current.rank else "more distant"
        warnings.append(
            f"The target ({target.label.lower()}) is two types {direction} than today's "
            f"{current.label.lower()}: relationships usually change one type at a time, and a closer "
            "relationship is not always a better one."
        )
    if current != RelationshipType.BASIC and ladder_done < len(LadderStep):
        warnings.append(
            f"A {current.label.lower()} rests on the whole relationship ladder, but only {ladder_done} of "
            f"{len(LadderStep)} steps are done."
        )
    if key_without_plan:
        names = ", ".join(key_without_plan)
        warnings.append(
            f"Key stakeholders (influence {KEY_STAKEHOLDER_INFLUENCE} or more) without a communication plan: "
            f"{names}."
        )
    if overdue:
        warnings.append(f"Contact is overdue under the communication plan with: {', '.join(overdue)}.")
    return warnings


def _default_relationship(organization: Organization) -> ServiceRelationship:
    return ServiceRelationship(organization=organization)


def relationship_page(*, user, organization: Organization, today: date | None = None) -> RelationshipPage:
    """Everything the relationship page shows, in four queries whatever the account's size (one more for
    a teammate, whose team membership is checked)."""
    _require_visible(user, organization)
    today = today or timezone.localdate()
    relationship = ServiceRelationship.objects.filter(organization=organization).first()
    recorded = relationship is not None
    relationship = relationship or _default_relationship(organization)
    progress = {}
    if recorded:
        progress = {
            entry.step: entry
            for entry in LadderProgress.objects.filter(relationship=relationship).select_related("updated_by")
        }
    ladder = _ladder_rows(progress)
    # One query for both warnings about people: key stakeholders without a plan, and overdue plans.
    flagged = list(
        Stakeholder.objects.filter(organization=organization, is_active=True)
        .filter(
            Q(influence__gte=KEY_STAKEHOLDER_INFLUENCE, communication_plan__isnull=True)
            | (
                Q(communication_plan__isnull=False)
                & plan_is_overdue(today=today, plan="communication_plan__", person="pk")
            )
        )
        .order_by("-influence", "name", "pk")
        .values_list("name", "communication_plan__id")
    )
    key_without_plan = [name for name, plan in flagged if plan is None]
    overdue = sorted(name for name, plan in flagged if plan is not None)
    done = sum(row.is_done for row in ladder)
    return RelationshipPage(
        organization=organization,
        relationship=relationship,
        recorded=recorded,
        ladder=ladder,
        history=_type_history(relationship),
        warnings=_page_warnings(relationship, done, key_without_plan, overdue)
        if organization.kind == OrganizationKind.CONSUMER
        else [],
        key_without_plan=key_without_plan,
    )


def relationship_panel(*, user, organization: Organization, today: date | None = None) -> dict:
    """The relationship in brief, for the account's 360° page: type and target, the next ladder step
    (None when the ladder is done), how many steps are done, how many plans and how many overdue. At
    most three queries (visibility, relationship with its ladder, plans)."""
    _require_visible(user, organization)
    statuses = {
        f"ladder_{step.value}": Max("ladder__status", filter=Q(ladder__step=step)) for step in LadderStep
    }
    row = next(
        iter(
            ServiceRelationship.objects.filter(organization=organization)
            .order_by()
            .annotate(**statuses)
            .values("current_type", "target_type", *statuses)
        ),
        None,
    )
    done = {step for step in LadderStep if row and row[f"ladder_{step.value}"] == LadderStatus.DONE}
    next_step = next(
        (
            step
            for step in LadderStep
            if step not in done and all(before in done for before in LADDER_PREREQUISITES[step])
        ),
        None,
    )
    plans = CommunicationPlan.objects.filter(
        stakeholder__organization=organization, stakeholder__is_active=True
    ).aggregate(
        plans=Count("pk"),
        overdue=Count("pk", filter=plan_is_overdue(today=today or timezone.localdate())),
    )
    return {
        "recorded": row is not None,
        "relationship_type": RelationshipType(row["current_type"] if row else RelationshipType.BASIC),
        "target_type": RelationshipType(row["target_type"] if row else RelationshipType.BASIC),
        "next_ladder_step": next_step,
        "ladder_done": len(done),
        "ladder_total": len(LadderStep),
        "plans": plans["plans"],
        "overdue_plans": plans["overdue"],
    }


# --- portfolio --------------------------------------------------------------------------------------


def _ladder_done_count(relationship_ref: str) -> Coalesce:
    return Coalesce(
        Subquery(
            LadderProgress.objects.filter(relationship=OuterRef(relationship_ref), status=LadderStatus.DONE)
            .order_by()
            .values("relationship")
            .annotate(n=Count("pk"))
            .values("n")[:1]
        ),
        Value(0),
    )


def relationship_list(*, user, relationship_type: str | None = None) -> QuerySet[Organization]:
    """The consumers the user may see with their relationship type and target (basic when nothing is
    recorded), ladder steps done and number of communication plans, by name. One query."""
    plans = (
        CommunicationPlan.objects.filter(
            stakeholder__organization=OuterRef("pk"), stakeholder__is_active=True
        )
        .order_by()
        .values("stakeholder__organization")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    organizations = (
        organization_scope(user)
        .filter(kind=OrganizationKind.CONSUMER)
        .select_related("owner")
        .annotate(
            relationship_type=Coalesce(
                F("service_relationship__current_type"), Value(RelationshipType.BASIC.value)
            ),
            relationship_target=Coalesce(
                F("service_relationship__target_type"), Value(RelationshipType.BASIC.value)
            ),
            ladder_done=_ladder_done_count("service_relationship"),
            plan_count=Coalesce(Subquery(plans), Value(0)),
        )
        .order_by("name", "pk")
    )
    if relationship_type:
        organizations = organizations.filter(relationship_type=relationship_type)
    return organizations


def relationship_type_counts(*, user) -> dict[RelationshipType, int]:
    """How many consumers the user may see are in each type of relationship. One query."""
    counts = dict(
        relationship_list(user=user)
        .order_by()
        .values("relationship_type")
        .annotate(n=Count("pk"))
        .values_list("relationship_type", "n")
    )
    return {
        relationship_type: counts.get(relationship_type.value, 0) for relationship_type in RelationshipType
    }


def service_relationship_list(*, user, relationship_type: str | None = None) -> QuerySet[ServiceRelationship]:
    """The recorded relationships the user may see, with their ladder steps done (for the API)."""
    relationships = (
        ServiceRelationship.objects.filter(organization__in=organization_scope(user))
        .select_related("organization")
        .annotate(ladder_done=_ladder_done_count("pk"))
    )
    if relationship_type:
        relationships = relationships.filter(current_type=relationship_type)
    return relationships


def service_relationship_of(*, organization: Organization) -> ServiceRelationship | None:
    """The consumer's relationship record, or None while nothing has been recorded about it (it then
    counts as a basic relationship). The caller has checked that the user may see the organization."""
    return ServiceRelationship.objects.filter(organization=organization).first()


def with_relationship_type(organizations: QuerySet[Organization]) -> QuerySet[Organization]:
    """Annotate organizations with their service relationship's current type (`relationship_type`,
    None while nothing is recorded: it then counts as basic), for lists such as the portfolio
    dashboard. A join in the same query, not a query per row."""
    return organizations.annotate(relationship_type=F("service_relationship__current_type"))
