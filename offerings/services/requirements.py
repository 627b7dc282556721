"""Writes of Offer: a consumer's requirements and their place on the requirement board.

Every write checks, in this order, that the actor may see the organization (404 otherwise, so an
outsider learns nothing), that the actor's role may change accounts (403), and then the input: bad
input raises ApplicationError naming the field, and nothing is saved.

The board's order is the MoSCoW column, then `rank` within it: 1 on top, dense (1, 2, 3 …) per
organization and column. Every write that changes a column's order first locks the organization's
row (FOR NO KEY UPDATE on PostgreSQL, which leaves inserts that merely refer to the account alone),
so two people reordering one account's board take turns and each works on the order the other left.
The requirement that moves is saved with a history row; the neighbours it pushes aside get their new
ranks in one UPDATE, with a fresh `updated_at` (incremental sync sees them) but no history row each.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, F, IntegerField, Max, Value, When
from django.http import Http404
from django.utils import timezone

from journeys import roles
from journeys.base import ApplicationError
from journeys.events import journey_event_record
from journeys.models import Journey, Organization, OrganizationKind
from journeys.selectors import organization_is_visible
from offerings.models import (
    STATUSES_WITH_ACCEPTANCE,
    STATUSES_WITH_PRIORITY,
    WSJF_FIELDS,
    MoscowCategory,
    NonFunctionalCategory,
    OfferEventType,
    Requirement,
    RequirementKind,
    RequirementStatus,
    ServiceOffering,
    wsjf_score_expression,
)
from offerings.prioritization import WSJF_SCALE, moscow_position

__all__ = [
    "MOVE_DIRECTIONS",
    "REQUIREMENT_FIELDS",
    "requirement_column_rank_by_wsjf",
    "requirement_create",
    "requirement_delete",
    "requirement_reprioritize",
    "requirement_step",
    "requirement_update",
]

REQUIREMENT_FIELDS = (
    "title",
    "description",
    "journey",
    "offering",
    "as_a",
    "i_want",
    "so_that",
    "kind",
    "non_functional_category",
    "acceptance_criteria",
    "status",
    "moscow",
    "candidate_release",
    "service_impact",
    "urgency",
    "risk_reduction",
    "job_size",
    "is_independent",
    "is_negotiable",
    "is_valuable",
    "is_estimable",
    "is_small",
    "is_testable",
    "owner",
)
_TEXT_FIELDS = (
    "title",
    "description",
    "as_a",
    "i_want",
    "so_that",
    "acceptance_criteria",
    "candidate_release",
)
MOVE_DIRECTIONS = ("up", "down")
WRITE_REFUSED = "Your role may not change requirements."
_SCALE_TEXT = ", ".join(map(str, WSJF_SCALE))
_COMPONENT_LABELS = {
    "service_impact": "Service impact",
    "urgency": "Urgency",
    "risk_reduction": "Risk reduction / opportunity enablement",
}


# --- rights and checks ----------------------------------------------------------------------------


def _require_may_change(actor, organization: Organization) -> None:
    if not organization_is_visible(actor, organization):
        raise Http404("Not found.")
    if not roles.may_manage_accounts(actor):
        raise PermissionDenied(WRITE_REFUSED)


def _require_consumer(organization: Organization) -> None:
    if organization.kind != OrganizationKind.CONSUMER:
        raise ApplicationError(
            f"{organization.name} is not a service consumer, so it has no requirements to record.",
            code="not_a_consumer",
            status=409,
        )


def _fail(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ApplicationError(next(iter(errors.values()))[0], fields=errors)


def _unknown(fields: dict[str, Any]) -> None:
    _fail({name: ["Unknown field."] for name in sorted(set(fields) - set(REQUIREMENT_FIELDS))})


def _is_whole_number(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _wsjf_errors(requirement: Requirement) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for field, label in _COMPONENT_LABELS.items():
        value = getattr(requirement, field)
        if value is not None and (not _is_whole_number(value) or value not in WSJF_SCALE):
            errors[field] = [f"{label} is scored on the scale {_SCALE_TEXT}; {value!r} is not on it."]
    size = requirement.job_size
    if size is not None and (not _is_whole_number(size) or size < 1):
        errors["job_size"] = [
            f"The job size is a whole number from 1 up; {size!r} cannot be ranked "
            "(a job of size zero would come before everything)."
        ]
    given = [getattr(requirement, field) is not None for field in WSJF_FIELDS]
    if any(given) and not all(given):
        for field, present in zip(WSJF_FIELDS, given, strict=True):
            if not present:
                errors.setdefault(field, ["Score all four WSJF figures, or leave all four empty."])
    return errors


def _check(requirement: Requirement) -> None:
    """Everything a requirement must satisfy before it is saved, reported per field."""
    errors: dict[str, list[str]] = {}
    if not requirement.title:
        errors["title"] = ["Give the requirement a short title."]
    if requirement.kind not in RequirementKind.values:
        errors["kind"] = ["Choose utility (fit for purpose) or non-functional (fit for use)."]
    category = requirement.non_functional_category
    if category and category not in NonFunctionalCategory.values:
        errors["non_functional_category"] = ["Choose one of the non-functional categories."]
    elif category and requirement.kind != RequirementKind.NON_FUNCTIONAL:
        errors["non_functional_category"] = [
            "Only a non-functional requirement has a category; leave it empty for a utility one."
        ]
    status = requirement.status
    if status not in RequirementStatus.values:
        errors["status"] = ["Choose a status of the requirements lifecycle."]
    if requirement.moscow and requirement.moscow not in MoscowCategory.values:
        errors["moscow"] = ["Choose must, should, could or won't have (or leave it unprioritized)."]
    elif status == RequirementStatus.DEFERRED and requirement.moscow != MoscowCategory.WONT:
        errors["moscow"] = ["A requirement deferred to a later release is a won't-have for this time."]
    elif status in STATUSES_WITH_PRIORITY and not requirement.moscow:
        errors["moscow"] = [
            f"A requirement that is “{RequirementStatus(status).label.lower()}” needs its MoSCoW "
            "category; choose the one agreed with the customer."
        ]
    if status in STATUSES_WITH_ACCEPTANCE and not requirement.acceptance_criteria:
        errors["acceptance_criteria"] = [
            "Write down the acceptance criteria (how it will be tested) before it goes this far."
        ]
    if requirement.candidate_release and requirement.moscow != MoscowCategory.WONT:
        errors["candidate_release"] = ["Only a won't-have waits for a candidate release."]
    journey = requirement.journey
    if journey is not None and journey.organization_id != requirement.organization_id:
        errors["journey"] = ["Choose one of this account's journeys."]
    errors |= _wsjf_errors(requirement)
    _fail(errors)
    try:
        requirement.full_clean(
            exclude=["organization", "journey", "offering", "owner", *WSJF_FIELDS],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as error:
        _fail({name: [str(text) for text in texts] for name, texts in error.message_dict.items()})


def _apply(requirement: Requirement, fields: dict[str, Any]) -> list[str]:
    """Set the given fields (text stripped); the names of those that changed."""
    changed = []
    for name, value in fields.items():
        if name in _TEXT_FIELDS:
            value = (value or "").strip()
        elif name in ("moscow", "non_functional_category"):
            value = value or ""
        if getattr(requirement, name) != value:
            setattr(requirement, name, value)
            changed.append(name)
    return changed


def _stamp_validation(requirement: Requirement, was_status: str | None) -> None:
    if requirement.status == RequirementStatus.VALIDATED and was_status != RequirementStatus.VALIDATED:
        requirement.validated_at = timezone.now()
    elif requirement.status != RequirementStatus.VALIDATED:
        requirement.validated_at = None


# --- the board's order ----------------------------------------------------------------------------


def _lock_board(organization_id: int) -> None:
    """Take the account's board lock: one reordering of its requirements at a time."""
    list(Organization.objects.select_for_update(no_key=True).filter(pk=organization_id).values_list("pk"))


def _column(organization_id: int, moscow: str, *, without: int | None = None) -> list[int]:
    """The ids of one column, top first (by rank, then age for ranks that were ever equal)."""
    ids = Requirement.objects.filter(organization_id=organization_id, moscow=moscow).order_by("rank", "id")
    if without is not None:
        ids = ids.exclude(pk=without)
    return list(ids.values_list("pk", flat=True))


def _renumber(organization_id: int, moscow: str, order: list[int], *, skip: int | None = None) -> None:
    """Give the column the ranks 1, 2, 3 … in `order`, in one UPDATE of the rows whose rank changes
    (`skip`, the requirement being moved, is saved by its caller with a history row)."""
    current = dict(
        Requirement.objects.filter(organization_id=organization_id, moscow=moscow).values_list("pk", "rank")
    )
    new_ranks = {pk: rank for rank, pk in enumerate(order, start=1) if pk != skip and current.get(pk) != rank}
    if not new_ranks:
        return
    Requirement.objects.filter(pk__in=new_ranks).update(
        rank=Case(
            *(When(pk=pk, then=Value(rank)) for pk, rank in new_ranks.items()),
            output_field=IntegerField(),
        ),
        updated_at=timezone.now(),
    )


def _landing_index(source: str, target: str, length: int) -> int:
    """Where a requirement lands in another column when no place is asked for: it moves the least
    distance in the overall priority order, so up into a more pressing column it lands at the bottom,
    down into a less pressing one at the top."""
    return length if moscow_position(target) < moscow_position(source) else 0


def _place(
    actor, requirement: Requirement, *, source: str, moscow: str, index: int | None, changed: list[str]
) -> bool:
    """Put the requirement (read under the board lock, still in column `source` in the database) at
    `index` of column `moscow` (0 on top; None: where it is, or the nearest end of another column),
    renumber the columns it leaves and joins, and save it. True when its place changed."""
    organization_id = requirement.organization_id
    old_column = _column(organization_id, source)
    old_index = old_column.index(requirement.pk) if requirement.pk in old_column else None
    target = _column(organization_id, moscow, without=requirement.pk)
    if index is None:
        index = old_index if moscow == source and old_index is not None else None
    if index is None:
        index = _landing_index(source, moscow, len(target))
    index = max(0, min(index, len(target)))
    target.insert(index, requirement.pk)
    if moscow != source:
        _renumber(organization_id, source, [pk for pk in old_column if pk != requirement.pk])
        if source == MoscowCategory.WONT:
            requirement.candidate_release = ""
    _renumber(organization_id, moscow, target, skip=requirement.pk)
    moved = moscow != source or index != old_index
    requirement.moscow = moscow
    requirement.rank = index + 1
    requirement._history_user = actor
    requirement.save()
    if moved:
        journey_event_record(
            event_type=OfferEventType.REQUIREMENT_REPRIORITIZED,
            organization=requirement.organization,
            journey=requirement.journey,
            actor=actor,
            payload={
                "requirement_id": requirement.pk,
                "from_moscow": source,
                "from_rank": None if old_index is None else old_index + 1,
                "to_moscow": moscow,
                "to_rank": index + 1,
                "changed": changed,
            },
        )
    return moved


def _locked(requirement: Requirement) -> Requirement:
    """The requirement as it is now, read after taking its board's lock (which every write of the
    account's requirements takes, so no row lock of its own is needed)."""
    _lock_board(requirement.organization_id)
    return Requirement.objects.select_related("organization", "journey").get(pk=requirement.pk)


def _column_value(field: str, value) -> str:
    if value is None:
        value = ""
    if value not in ("", *MoscowCategory.values):
        raise ApplicationError.for_field(
            field, f"“{value}” is not a MoSCoW category; use must, should, could, wont or an empty value."
        )
    return value


def _priority_rules(requirement: Requirement, moscow: str) -> None:
    """What the lifecycle asks of a requirement's column, checked before a move."""
    status = requirement.status
    if status == RequirementStatus.DEFERRED and moscow != MoscowCategory.WONT:
        raise ApplicationError.for_field(
            "moscow",
            f"“{requirement.title}” is deferred to a later release, so it stays a won't-have; change its "
            "status first.",
            code="lifecycle",
        )
    if status in STATUSES_WITH_PRIORITY and not moscow:
        raise ApplicationError.for_field(
            "moscow",
            f"“{requirement.title}” is {RequirementStatus(status).label.lower()}, so it keeps a MoSCoW "
            "category; take its status back first.",
            code="lifecycle",
        )


# --- create, update, delete -----------------------------------------------------------------------


@transaction.atomic
def requirement_create(
    *,
    actor,
    organization: Organization,
    title: str,
    description: str = "",
    journey: Journey | None = None,
    offering: ServiceOffering | None = None,
    as_a: str = "",
    i_want: str = "",
    so_that: str = "",
    kind: str = RequirementKind.UTILITY,
    non_functional_category: str = "",
    acceptance_criteria: str = "",
    status: str = RequirementStatus.NEED_IDENTIFIED,
    moscow: str = "",
    candidate_release: str = "",
    service_impact: int | None = None,
    urgency: int | None = None,
    risk_reduction: int | None = None,
    job_size: int | None = None,
    is_independent: bool = False,
    is_negotiable: bool = False,
    is_valuable: bool = False,
    is_estimable: bool = False,
    is_small: bool = False,
    is_testable: bool = False,
    owner=None,
) -> Requirement:
    """Record a consumer's requirement; it joins the bottom of its MoSCoW column."""
    _require_may_change(actor, organization)
    _require_consumer(organization)
    requirement = Requirement(organization=organization)
    _apply(
        requirement,
        {
            "title": title,
            "description": description,
            "journey": journey,
            "offering": offering,
            "as_a": as_a,
            "i_want": i_want,
            "so_that": so_that,
            "kind": kind,
            "non_functional_category": non_functional_category,
            "acceptance_criteria": acceptance_criteria,
            "status": status,
            "moscow": moscow,
            "candidate_release": candidate_release,
            "service_impact": service_impact,
            "urgency": urgency,
            "risk_reduction": risk_reduction,
            "job_size": job_size,
            "is_independent": is_independent,
            "is_negotiable": is_negotiable,
            "is_valuable": is_valuable,
            "is_estimable": is_estimable,
            "is_small": is_small,
            "is_testable": is_testable,
            "owner": owner,
        },
    )
    _check(requirement)
    _stamp_validation(requirement, None)
    _lock_board(organization.pk)
    last = Requirement.objects.filter(organization=organization, moscow=requirement.moscow).aggregate(
        last=Max("rank")
    )["last"]
    requirement.rank = (last or 0) + 1
    requirement._history_user = actor
    requirement.save()
    return requirement


@transaction.atomic
def requirement_update(*, actor, requirement: Requirement, **fields: Any) -> Requirement:
    """Change any of REQUIREMENT_FIELDS; unchanged input writes nothing. A new MoSCoW category moves
    the requirement to that column (at the end nearest to where it was) and counts as a
    reprioritization."""
    _require_may_change(actor, requirement.organization)
    _unknown(fields)
    current = _locked(requirement)
    was_status, was_moscow = current.status, current.moscow
    changed = _apply(current, fields)
    if not changed:
        return current
    if current.moscow != MoscowCategory.WONT and "candidate_release" not in changed:
        # Out of the won't-haves it no longer waits for a release (an edit form sends the old one back).
        current.candidate_release = ""
    _check(current)
    _stamp_validation(current, was_status)
    if current.moscow != was_moscow:
        _place(actor, current, source=was_moscow, moscow=current.moscow, index=None, changed=changed)
        return current
    current._history_user = actor
    current.save()
    return current


@transaction.atomic
def requirement_delete(*, actor, requirement: Requirement) -> None:
    """Remove a requirement recorded by mistake (one the customer dropped is better rejected, so the
    decision stays on record); the cards below it move up."""
    _require_may_change(actor, requirement.organization)
    current = _locked(requirement)
    current._history_user = actor
    current.delete()
    _renumber(current.organization_id, current.moscow, _column(current.organization_id, current.moscow))


# --- reprioritizing -------------------------------------------------------------------------------


@transaction.atomic
def requirement_reprioritize(
    *, actor, requirement: Requirement, moscow: str | None, position: int | None = None
) -> Requirement:
    """Put a requirement in a MoSCoW column (empty: not yet prioritized) at `position` (1 on top;
    past the end means the bottom). Without a position it keeps its place when the column is its
    own, and otherwise lands at the end nearest to where it came from."""
    _require_may_change(actor, requirement.organization)
    moscow = _column_value("moscow", moscow)
    if position is not None and (not _is_whole_number(position) or position < 1):
        raise ApplicationError.for_field("position", "The position is a whole number from 1 (the top).")
    current = _locked(requirement)
    _priority_rules(current, moscow)
    _place(
        actor,
        current,
        source=current.moscow,
        moscow=moscow,
        index=None if position is None else position - 1,
        changed=["moscow", "rank"],
    )
    return current


@transaction.atomic
def requirement_step(*, actor, requirement: Requirement, direction: str) -> Requirement:
    """Move a requirement one place up or down its column (the board's arrow buttons). Its place is
    read under the board lock, so two quick presses move it two places rather than one."""
    _require_may_change(actor, requirement.organization)
    if direction not in MOVE_DIRECTIONS:
        raise ApplicationError.for_field(
            "direction", f"“{direction}” is not a direction; use {' or '.join(MOVE_DIRECTIONS)}."
        )
    current = _locked(requirement)
    column = _column(current.organization_id, current.moscow)
    index = column.index(current.pk)
    if direction == "up" and index == 0:
        raise ApplicationError.for_field(
            "direction", f"“{current.title}” is already at the top of its column.", code="at_edge"
        )
    if direction == "down" and index == len(column) - 1:
        raise ApplicationError.for_field(
            "direction", f"“{current.title}” is already at the bottom of its column.", code="at_edge"
        )
    _place(
        actor,
        current,
        source=current.moscow,
        moscow=current.moscow,
        index=index - 1 if direction == "up" else index + 1,
        changed=["rank"],
    )
    return current


@transaction.atomic
def requirement_column_rank_by_wsjf(*, actor, organization: Organization, moscow: str | None) -> list[int]:
    """Adopt the WSJF order as the agreed order of one column: highest cost of delay ÷ job size on
    top, unscored requirements below the scored ones in their current order. Returns the ids of the
    requirements whose place changed (none: nothing is written, no event recorded)."""
    _require_may_change(actor, organization)
    moscow = _column_value("moscow", moscow)
    _lock_board(organization.pk)
    before = _column(organization.pk, moscow)
    after = list(
        Requirement.objects.filter(organization=organization, moscow=moscow)
        .annotate(score=wsjf_score_expression())
        .order_by(F("score").desc(nulls_last=True), "rank", "id")
        .values_list("pk", flat=True)
    )
    moved = [pk for index, pk in enumerate(after) if index >= len(before) or before[index] != pk]
    _renumber(organization.pk, moscow, after)
    if moved:
        journey_event_record(
            event_type=OfferEventType.REQUIREMENT_REPRIORITIZED,
            organization=organization,
            actor=actor,
            payload={"moscow": moscow, "by": "wsjf", "order": after, "moved": moved},
        )
    return moved
