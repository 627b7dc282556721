"""Writes of Explore: market segments and their members. Each service owns its transaction, checks the
actor's rights (relationship managers and administrators shape segments; analysts and the service
desk only read them) and raises ApplicationError naming the field on bad input, with nothing saved."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from exploration.models import MarketSegment, SegmentationApproach, SegmentMembership
from journeys import roles
from journeys.base import ApplicationError
from journeys.models import Organization, OrganizationKind, Persona
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
    # Integrators hold may_manage_accounts too: they shape segments through the API (pages refuse them).
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
    personas: Iterable[Persona] | None = None,
) -> MarketSegment:
    """Define a segment; the actor looks after it. `personas` links the personas standing for it."""
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
    if personas:
        segment.personas.set(personas)
    return segment


@transaction.atomic
def market_segment_update(
    *, actor, segment: MarketSegment, personas: Iterable[Persona] | None = None, **fields: Any
) -> MarketSegment:
    """Change any of MARKET_SEGMENT_FIELDS; unchanged input writes nothing. `personas`, when given, is
    the whole new set of linked personas (an empty list unlinks them all)."""
    _require_segment_rights(actor)
    segment = MarketSegment.objects.select_for_update().get(pk=segment.pk)
    changed = _apply(segment, fields)
    if changed:
        _check(segment)
        _save(segment)
    if personas is not None:
        _set_personas(segment, personas, touch=not changed)
    return segment


def _set_personas(segment: MarketSegment, personas: Iterable[Persona], *, touch: bool) -> None:
    wanted = {persona.pk for persona in personas}
    current = set(segment.personas.values_list("pk", flat=True))
    if wanted == current:
        return
    segment.personas.set(wanted)
    if touch:
        _touch(segment)


def _touch(segment: MarketSegment) -> None:
    # A changed link is a change of the segment for incremental sync (`updated_since`).
    segment.save(update_fields=["updated_at"])


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


# --- personas of a segment ------------------------------------------------------------------------


def _require_persona(persona: Persona | None) -> Persona:
    if persona is None:
        raise ApplicationError.for_field("persona", "Choose a persona.")
    return persona


@transaction.atomic
def market_segment_link_persona(*, actor, segment: MarketSegment, persona: Persona | None) -> bool:
    """Say that the persona stands for this segment's people. True when the link is new; linking twice
    is harmless (a double click, a retried request)."""
    _require_segment_rights(actor)
    persona = _require_persona(persona)
    _, created = MarketSegment.personas.through.objects.get_or_create(marketsegment=segment, persona=persona)
    if created:
        _touch(segment)
    return created


@transaction.atomic
def market_segment_unlink_persona(*, actor, segment: MarketSegment, persona: Persona | None) -> bool:
    """Remove the link; the persona itself stays. True when there was a link to remove."""
    _require_segment_rights(actor)
    persona = _require_persona(persona)
    deleted, _ = MarketSegment.personas.through.objects.filter(
        marketsegment=segment, persona=persona
    ).delete()
    if deleted:
        _touch(segment)
    return bool(deleted)
