"""Writes of Explore: market segments and their members. Each service owns its transaction, checks the
actor's rights (relationship managers and administrators shape segments; analysts and the service
desk only read them) and raises ApplicationError naming the field on bad input, with nothing saved."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from exploration.models import MarketSegment, SegmentationApproach, SegmentMembership
from journeys import roles
from journeys.base import ApplicationError
from journeys.models import Organization, OrganizationKind
from journeys.selectors import organization_is_visible

MARKET_SEGMENT_FIELDS = (
    "name",
    "description",
    "approach",
    "basis",
    "criteria",
    "is_homogeneous",
    "homogeneity_notes",
    "is_distinct",
    "distinction_notes",
    "reacts_alike",
    "reaction_notes",
    "owner",
)
_TEXT_FIELDS = {"name", "description", "basis", "criteria", "homogeneity_notes", "distinction_notes"} | {
    "reaction_notes"
}


def _require_segment_rights(actor) -> None:
    # Integrators hold may_manage_accounts too, but segments have no API yet and pages refuse them.
    if not roles.may_manage_accounts(actor):
        raise PermissionDenied("Only relationship managers and administrators shape market segments.")


def _check(segment: MarketSegment) -> None:
    """Field rules first (types, choices, lengths), then the rules between fields and rows, so each
    error names the input to fix. The database constraints stay as the last guard."""
    try:
        segment.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        fields = {name: [str(text) for text in messages] for name, messages in error.message_dict.items()}
        raise ApplicationError(next(iter(fields.values()))[0], fields=fields) from None
    if segment.approach == SegmentationApproach.CHARACTERISTIC_BASED and not segment.basis:
        raise ApplicationError.for_field(
            "basis",
            "A characteristic-based segment needs its basis: geographic, demographic, "
            "behavioural or psychographic.",
        )
    if MarketSegment.objects.filter(name__iexact=segment.name).exclude(pk=segment.pk).exists():
        raise ApplicationError.for_field(
            "name", f"Another segment is already called “{segment.name}”.", code="duplicate", status=409
        )


def _save(segment: MarketSegment) -> None:
    try:
        with transaction.atomic():
            segment.save()
    except IntegrityError:
        # Two people saving the same name at once: the unique constraint decides, the loser hears why.
        raise ApplicationError.for_field(
            "name", f"Another segment is already called “{segment.name}”.", code="duplicate", status=409
        ) from None


def _apply(segment: MarketSegment, fields: dict[str, Any]) -> list[str]:
    unknown = sorted(set(fields) - set(MARKET_SEGMENT_FIELDS))
    if unknown:
        raise ApplicationError(
            f"Unknown field: {', '.join(unknown)}.", fields={name: ["Unknown field."] for name in unknown}
        )
    changed = []
    for name, value in fields.items():
        if name in _TEXT_FIELDS:
            value = (value or "").strip()
        if getattr(segment, name) != value:
            setattr(segment, name, value)
            changed.append(name)
    return changed


@transaction.atomic
def market_segment_create(
    *,
    actor,
    name: str,
    approach: str = SegmentationApproach.CHARACTERISTIC_BASED,
    basis: str = "",
    description: str = "",
    criteria: str = "",
    is_homogeneous: bool = False,
    homogeneity_notes: str = "",
    is_distinct: bool = False,
    distinction_notes: str = "",
    reacts_alike: bool = False,
    reaction_notes: str = "",
) -> MarketSegment:
    """Define a segment; the actor looks after it."""
    _require_segment_rights(actor)
    segment = MarketSegment(owner=actor)
    _apply(
        segment,
        {
            "name": name,
            "approach": approach,
            "basis": basis,
            "description": description,
            "criteria": criteria,
            "is_homogeneous": is_homogeneous,
            "homogeneity_notes": homogeneity_notes,
            "is_distinct": is_distinct,
            "distinction_notes": distinction_notes,
            "reacts_alike": reacts_alike,
            "reaction_notes": reaction_notes,
        },
    )
    _check(segment)
    _save(segment)
    return segment


@transaction.atomic
def market_segment_update(*, actor, segment: MarketSegment, **fields: Any) -> MarketSegment:
    """Change any of MARKET_SEGMENT_FIELDS; unchanged input writes nothing."""
    _require_segment_rights(actor)
    segment = MarketSegment.objects.select_for_update().get(pk=segment.pk)
    if not _apply(segment, fields):
        return segment
    _check(segment)
    _save(segment)
    return segment


@transaction.atomic
def market_segment_delete(*, actor, segment: MarketSegment) -> None:
    """Remove the segment and its memberships; the organizations themselves stay."""
    _require_segment_rights(actor)
    segment.delete()


def _require_member_candidate(actor, organization: Organization | None) -> Organization:
    # An organization the actor may not see gets the same answer as one that does not exist.
    if organization is None or not organization_is_visible(actor, organization):
        raise ApplicationError.for_field("organization", "Choose one of your consumer organizations.")
    return organization


@transaction.atomic
def market_segment_add_member(
    *, actor, segment: MarketSegment, organization: Organization | None
) -> SegmentMembership:
    """Place a consumer organization in the segment. Adding one that is already a member is harmless
    and returns the existing membership, so a double click or a retried request does no damage."""
    _require_segment_rights(actor)
    organization = _require_member_candidate(actor, organization)
    if organization.kind != OrganizationKind.CONSUMER:
        raise ApplicationError.for_field(
            "organization", "Market segments group service consumers; this organization is not one."
        )
    membership, _ = SegmentMembership.objects.get_or_create(
        segment=segment, organization=organization, defaults={"added_by": actor}
    )
    return membership


@transaction.atomic
def market_segment_remove_member(*, actor, segment: MarketSegment, organization: Organization | None) -> bool:
    """Take an organization out of the segment. True when it was a member; removing a non-member is
    harmless (the page may be out of date)."""
    _require_segment_rights(actor)
    organization = _require_member_candidate(actor, organization)
    deleted, _ = SegmentMembership.objects.filter(segment=segment, organization=organization).delete()
    return bool(deleted)
