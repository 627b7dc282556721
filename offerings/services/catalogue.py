"""Writes of the service catalogue: services, their offerings (components, user engagement tiers,
target segments and personas, value propositions), publishing and retiring, and the journeys each
offering concerns.

The catalogue is the provider's own, like Explore's market segments: relationship managers,
administrators and integrators shape it (the pages refuse integrators, the API serves them); analysts
and the service desk only read it. Linking a journey also needs the actor to see the journey's
organization. Bad input raises ApplicationError naming the field, and nothing is saved.

What publishing needs (`publication_gaps`): a summary for the catalogue card, at least one component
(an offering is a bundle of goods, access to resources or service actions), a target consumer group
(a segment or a persona) and a value proposition. A published offering keeps those: the last
component or proposition cannot be removed, nor the last target, while it is published.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import CharField, Max, Model, TextField
from django.utils import timezone

from exploration.models import MarketSegment
from journeys import roles
from journeys.base import ApplicationError
from journeys.events import journey_event_record
from journeys.models import ConsumerRole, Journey, JourneyMap, Persona
from journeys.selectors import organization_is_visible
from offerings.models import (
    EngagementTier,
    OfferEventType,
    OfferingComponent,
    OfferingComponentKind,
    OfferingJourney,
    OfferingStatus,
    Service,
    ServiceOffering,
    ValueProposition,
)
from offerings.selectors.catalogue import publication_gaps

__all__ = [
    "ENGAGEMENT_TIER_FIELDS",
    "OFFERING_COMPONENT_FIELDS",
    "OFFERING_FIELDS",
    "SERVICE_FIELDS",
    "VALUE_PROPOSITION_FIELDS",
    "engagement_tier_add",
    "engagement_tier_remove",
    "engagement_tier_update",
    "offering_component_add",
    "offering_component_remove",
    "offering_component_update",
    "offering_create",
    "offering_delete",
    "offering_journey_link",
    "offering_journey_unlink",
    "offering_publish",
    "offering_retire",
    "offering_update",
    "service_create",
    "service_delete",
    "service_update",
    "value_proposition_create",
    "value_proposition_delete",
    "value_proposition_update",
]

CATALOGUE_WRITE_REFUSED = "Only relationship managers and administrators shape the service catalogue."

SERVICE_FIELDS = ("name", "description", "scope", "owner")
OFFERING_FIELDS = ("service", "name", "summary")
OFFERING_COMPONENT_FIELDS = ("kind", "name", "description")
ENGAGEMENT_TIER_FIELDS = ("name", "description")
VALUE_PROPOSITION_FIELDS = (
    "segment",
    "persona",
    "headline",
    "how_it_solves_problems",
    "what_to_expect",
    "advantage_over_competitors",
    "target_decision_maker_role",
    "decision_maker_title",
)


# --- shared helpers -------------------------------------------------------------------------------


def _require_catalogue_rights(actor) -> None:
    # Integrators hold may_manage_accounts too: they keep the catalogue in sync through the API.
    if not roles.may_manage_accounts(actor):
        raise PermissionDenied(CATALOGUE_WRITE_REFUSED)


def _apply(instance: Model, fields: dict[str, Any], allowed: tuple[str, ...]) -> list[str]:
    """Set the given fields (text stripped) and return the names of those that changed. A field the
    resource does not have is an error naming it, not silently ignored."""
    unknown = sorted(set(fields) - set(allowed))
    if unknown:
        raise ApplicationError(
            f"Unknown field: {', '.join(unknown)}.", fields={name: ["Unknown field."] for name in unknown}
        )
    changed = []
    for name, value in fields.items():
        model_field = instance._meta.get_field(name)
        if model_field.is_relation:
            # Compared by key: reading an unset required relation would raise.
            if getattr(instance, f"{name}_id") != (value.pk if value is not None else None):
                setattr(instance, name, value)
                changed.append(name)
            continue
        if isinstance(value, str):
            value = value.strip()
        elif value is None and isinstance(model_field, (CharField, TextField)):
            value = ""
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed.append(name)
    return changed


def _check(instance: Model, *, exclude: Iterable[str] = ()) -> None:
    """The model's field rules (lengths, choices, required text), each error on its field. The
    database constraints stay as the last guard."""
    try:
        instance.full_clean(exclude=list(exclude), validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        fields = {name: [str(text) for text in messages] for name, messages in error.message_dict.items()}
        raise ApplicationError(next(iter(fields.values()))[0], fields=fields) from None


def _duplicate(field: str, message: str) -> ApplicationError:
    return ApplicationError.for_field(field, message, code="duplicate", status=409)


def _save(instance: Model, duplicate: ApplicationError) -> None:
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError:
        # Two people saving the same name at once: the unique constraint decides, the loser hears why.
        raise duplicate from None


def _locked_offering(offering: ServiceOffering) -> ServiceOffering:
    """The offering row, locked until the transaction ends: publishing and removing the parts that
    publishing needs are serialized, so neither acts on a state the other is changing."""
    return ServiceOffering.objects.select_for_update().select_related("service").get(pk=offering.pk)


def _touch(offering: ServiceOffering) -> None:
    # A changed part or target is a change of the offering for incremental sync (`updated_since`). An
    # update() rather than save(), so the offering's history gets no row for it.
    ServiceOffering.objects.filter(pk=offering.pk).update(updated_at=timezone.now())


def _next_position(model: type[Model], **parent) -> int:
    highest = model.objects.filter(**parent).aggregate(highest=Max("position"))["highest"]
    return 0 if highest is None else highest + 1


def _user_label(user) -> str:
    return user.get_full_name() or user.username


# --- services -------------------------------------------------------------------------------------


def _check_service(service: Service) -> None:
    if service.owner is not None and not service.owner.is_active:
        raise ApplicationError.for_field(
            "owner", f"{_user_label(service.owner)} is no longer an active user."
        )
    _check(service, exclude=["owner"])
    if Service.objects.filter(name__iexact=service.name).exclude(pk=service.pk).exists():
        raise _duplicate("name", f"Another service is already called “{service.name}”.")


@transaction.atomic
def service_create(*, actor, name: str, description: str = "", scope: str = "", owner=None) -> Service:
    """Add a service to the catalogue; the actor answers for it unless someone else is named."""
    _require_catalogue_rights(actor)
    service = Service()
    _apply(
        service,
        {"name": name, "description": description, "scope": scope, "owner": owner or actor},
        SERVICE_FIELDS,
    )
    _check_service(service)
    _save(service, _duplicate("name", f"Another service is already called “{service.name}”."))
    return service


@transaction.atomic
def service_update(*, actor, service: Service, **fields: Any) -> Service:
    """Change any of SERVICE_FIELDS; unchanged input writes nothing."""
    _require_catalogue_rights(actor)
    service = Service.objects.select_for_update().get(pk=service.pk)
    if _apply(service, fields, SERVICE_FIELDS):
        _check_service(service)
        _save(service, _duplicate("name", f"Another service is already called “{service.name}”."))
    return service


@transaction.atomic
def service_delete(*, actor, service: Service) -> None:
    """Remove a service that has no offering; one with offerings keeps them (retire them instead)."""
    _require_catalogue_rights(actor)
    count = ServiceOffering.objects.filter(service=service).count()
    if count:
        raise ApplicationError(
            f"“{service.name}” still has {count} offering{'' if count == 1 else 's'}: delete the drafts "
            "or move them to another service first (published and retired offerings are kept).",
            code="has_offerings",
            status=409,
        )
    service.delete()


# --- offerings ------------------------------------------------------------------------------------


def _offering_duplicate(offering: ServiceOffering) -> ApplicationError:
    return _duplicate("name", f"“{offering.service.name}” already has an offering called “{offering.name}”.")


def _check_offering(offering: ServiceOffering) -> None:
    if offering.service_id is None:
        raise ApplicationError.for_field("service", "Choose the service the offering belongs to.")
    _check(offering, exclude=["service", "status", "published_at", "retired_at"])
    siblings = ServiceOffering.objects.filter(service_id=offering.service_id, name__iexact=offering.name)
    if siblings.exclude(pk=offering.pk).exists():
        raise _offering_duplicate(offering)


def _targets(name: str, values: Iterable | None, model: type[Model]) -> list | None:
    if values is None:
        return None
    chosen = list(values)
    if any(not isinstance(value, model) or value.pk is None for value in chosen):
        raise ApplicationError.for_field(name, f"Choose existing {model._meta.verbose_name_plural}.")
    return chosen


@transaction.atomic
def offering_create(
    *,
    actor,
    service: Service | None,
    name: str,
    summary: str = "",
    target_segments: Iterable[MarketSegment] | None = None,
    target_personas: Iterable[Persona] | None = None,
    journey_maps: Iterable[JourneyMap] | None = None,
) -> ServiceOffering:
    """Start a draft offering of a service, optionally with the segments and personas it targets and
    the designed journey maps it points to."""
    _require_catalogue_rights(actor)
    segments = _targets("target_segments", target_segments, MarketSegment)
    personas = _targets("target_personas", target_personas, Persona)
    maps = _targets("journey_maps", journey_maps, JourneyMap)
    offering = ServiceOffering(status=OfferingStatus.DRAFT)
    _apply(offering, {"service": service, "name": name, "summary": summary}, OFFERING_FIELDS)
    _check_offering(offering)
    offering._history_user = actor
    _save(offering, _offering_duplicate(offering))
    if segments:
        offering.target_segments.set(segments)
    if personas:
        offering.target_personas.set(personas)
    if maps:
        offering.journey_maps.set(maps)
    return offering


def _target_change(
    offering: ServiceOffering, field: str, wanted: list | None, current_ids: set[int], proposition_key: str
) -> set[int] | None:
    """The new target ids, or None when unchanged. A target that a value proposition is written for
    stays until the proposition goes, and a published offering keeps at least one target group."""
    if wanted is None:
        return None
    wanted_ids = {target.pk for target in wanted}
    if wanted_ids == current_ids:
        return None
    dropped = current_ids - wanted_ids
    if dropped:
        addressed = (
            ValueProposition.objects.filter(offering=offering, **{f"{proposition_key}__in": dropped})
            .select_related(proposition_key)
            .order_by(f"{proposition_key}__name")
            .first()
        )
        if addressed is not None:
            target = getattr(addressed, proposition_key)
            raise ApplicationError.for_field(
                field,
                f"A value proposition is written for {target.name}: delete or retarget it before "
                f"dropping {target.name} from the offering's targets.",
                code="target_in_use",
                status=409,
            )
    return wanted_ids


@transaction.atomic
def offering_update(
    *,
    actor,
    offering: ServiceOffering,
    target_segments: Iterable[MarketSegment] | None = None,
    target_personas: Iterable[Persona] | None = None,
    journey_maps: Iterable[JourneyMap] | None = None,
    **fields: Any,
) -> ServiceOffering:
    """Change any of OFFERING_FIELDS (moving the offering to another service included) and, when
    given, the whole set of target segments or personas (an empty list drops them all, as far as
    the rules allow) or of designed journey maps. Unchanged input writes nothing."""
    _require_catalogue_rights(actor)
    segments = _targets("target_segments", target_segments, MarketSegment)
    personas = _targets("target_personas", target_personas, Persona)
    maps = _targets("journey_maps", journey_maps, JourneyMap)
    offering = _locked_offering(offering)
    changed = _apply(offering, fields, OFFERING_FIELDS)
    if changed:
        if "summary" in changed and offering.is_published and not offering.summary:
            raise ApplicationError.for_field(
                "summary", "A published offering keeps its summary: the catalogue shows it."
            )
        _check_offering(offering)
        offering._history_user = actor
        _save(offering, _offering_duplicate(offering))
    new_segments = _target_change(
        offering,
        "target_segments",
        segments,
        set(offering.target_segments.values_list("pk", flat=True)),
        "segment",
    )
    new_personas = _target_change(
        offering,
        "target_personas",
        personas,
        set(offering.target_personas.values_list("pk", flat=True)),
        "persona",
    )
    if offering.is_published and (new_segments is not None or new_personas is not None):
        segment_count = len(new_segments) if new_segments is not None else offering.target_segments.count()
        persona_count = len(new_personas) if new_personas is not None else offering.target_personas.count()
        if not segment_count and not persona_count:
            raise ApplicationError.for_field(
                "target_segments",
                "A published offering keeps at least one target segment or persona.",
                code="published_needs_target",
                status=409,
            )
    if new_segments is not None:
        offering.target_segments.set(new_segments)
    if new_personas is not None:
        offering.target_personas.set(new_personas)
    new_maps = None
    if maps is not None:
        wanted = {journey_map.pk for journey_map in maps}
        if wanted != set(offering.journey_maps.values_list("pk", flat=True)):
            new_maps = wanted
            offering.journey_maps.set(wanted)
    if not changed and (new_segments is not None or new_personas is not None or new_maps is not None):
        _touch(offering)
    return offering


@transaction.atomic
def offering_delete(*, actor, offering: ServiceOffering) -> None:
    """Remove a draft with everything in it. An offering that has been published stays on record
    (agreements and plans may refer to it): retire it instead."""
    _require_catalogue_rights(actor)
    offering = _locked_offering(offering)
    if offering.status != OfferingStatus.DRAFT or offering.published_at is not None:
        raise ApplicationError(
            f"“{offering.name}” has been published, so it stays on record; retire it instead.",
            code="not_a_draft",
            status=409,
        )
    offering.delete()


def _offering_payload(offering: ServiceOffering) -> dict:
    return {
        "offering": offering.pk,
        "offering_name": offering.name,
        "service": offering.service_id,
        "service_name": offering.service.name,
        "status": offering.status,
    }


@transaction.atomic
def offering_publish(*, actor, offering: ServiceOffering) -> ServiceOffering:
    """Offer the offering to consumers: from draft, or again after it was retired. Refused, with the
    missing parts named, unless it has everything publishing needs; publishing a published offering
    changes nothing."""
    _require_catalogue_rights(actor)
    offering = _locked_offering(offering)
    if offering.status == OfferingStatus.PUBLISHED:
        return offering
    gaps = publication_gaps(
        summary=offering.summary,
        component_count=offering.components.count(),
        target_count=offering.target_segments.count() + offering.target_personas.count(),
        proposition_count=offering.value_propositions.count(),
    )
    if gaps:
        missing = [message for _, message in gaps]
        listed = missing[0] if len(missing) == 1 else ", ".join(missing[:-1]) + " and " + missing[-1]
        raise ApplicationError(
            f"“{offering.name}” cannot be published yet: it needs {listed}.",
            code="not_ready",
            status=409,
            fields={field: [f"Needed to publish: {message}."] for field, message in gaps},
        )
    previous = offering.status
    offering.status = OfferingStatus.PUBLISHED
    offering.published_at = timezone.now()
    offering.retired_at = None
    offering._history_user = actor
    offering.save()
    journey_event_record(
        event_type=OfferEventType.OFFERING_PUBLISHED,
        actor=actor,
        payload={**_offering_payload(offering), "previous_status": previous},
    )
    return offering


@transaction.atomic
def offering_retire(*, actor, offering: ServiceOffering) -> ServiceOffering:
    """Stop offering a published offering to new consumers; what was agreed on it stays valid.
    Retiring a retired offering changes nothing; a draft was never offered, so it is deleted rather
    than retired."""
    _require_catalogue_rights(actor)
    offering = _locked_offering(offering)
    if offering.status == OfferingStatus.RETIRED:
        return offering
    if offering.status != OfferingStatus.PUBLISHED:
        raise ApplicationError(
            f"“{offering.name}” is a draft: only a published offering can be retired (delete the draft "
            "if it is no longer wanted).",
            code="not_published",
            status=409,
        )
    offering.status = OfferingStatus.RETIRED
    offering.retired_at = timezone.now()
    offering._history_user = actor
    offering.save()
    journey_event_record(
        event_type=OfferEventType.OFFERING_RETIRED,
        actor=actor,
        payload={**_offering_payload(offering), "previous_status": OfferingStatus.PUBLISHED.value},
    )
    return offering


# --- components -----------------------------------------------------------------------------------


def _check_component(component: OfferingComponent) -> None:
    if component.kind not in OfferingComponentKind.values:
        choices = ", ".join(OfferingComponentKind.values)
        raise ApplicationError.for_field(
            "kind", f"“{component.kind}” is not a kind of component; use {choices}."
        )
    _check(component, exclude=["offering", "position"])


@transaction.atomic
def offering_component_add(
    *, actor, offering: ServiceOffering, kind: str, name: str, description: str = ""
) -> OfferingComponent:
    """Add goods, access to resources or a service action to the offering, after the others."""
    _require_catalogue_rights(actor)
    offering = _locked_offering(offering)
    component = OfferingComponent(offering=offering)
    _apply(component, {"kind": kind, "name": name, "description": description}, OFFERING_COMPONENT_FIELDS)
    _check_component(component)
    component.position = _next_position(OfferingComponent, offering=offering)
    component.save()
    _touch(offering)
    return component


@transaction.atomic
def offering_component_update(*, actor, component: OfferingComponent, **fields: Any) -> OfferingComponent:
    _require_catalogue_rights(actor)
    component = OfferingComponent.objects.select_for_update().get(pk=component.pk)
    if _apply(component, fields, OFFERING_COMPONENT_FIELDS):
        _check_component(component)
        component.save()
        _touch(component.offering)
    return component


@transaction.atomic
def offering_component_remove(*, actor, component: OfferingComponent) -> None:
    """Take a component out. A published offering keeps at least one."""
    _require_catalogue_rights(actor)
    offering = _locked_offering(component.offering)
    if offering.is_published and offering.components.exclude(pk=component.pk).count() == 0:
        raise ApplicationError(
            f"“{component.name}” is the last component of the published offering “{offering.name}”: add "
            "another one first, or retire the offering.",
            code="published_needs_component",
            status=409,
        )
    component.delete()
    _touch(offering)


# --- user engagement tiers ------------------------------------------------------------------------


def _tier_duplicate(tier: EngagementTier) -> ApplicationError:
    return _duplicate("name", f"The offering already has a tier called “{tier.name}”.")


def _check_tier(tier: EngagementTier) -> None:
    _check(tier, exclude=["offering", "position"])
    siblings = EngagementTier.objects.filter(offering_id=tier.offering_id, name__iexact=tier.name)
    if siblings.exclude(pk=tier.pk).exists():
        raise _tier_duplicate(tier)


def _move_to(siblings: list, item, position: int) -> bool:
    """Put `item` at 1-based `position` among its ordered `siblings` (clamped to the list) and number
    them all 0, 1, 2… again. True when anything moved. The caller holds the parent's lock."""
    others = [sibling for sibling in siblings if sibling.pk != item.pk]
    index = min(max(position, 1), len(others) + 1) - 1
    ordered = [*others[:index], item, *others[index:]]
    changed = [entry for number, entry in enumerate(ordered) if entry.position != number]
    now = timezone.now()
    for number, entry in enumerate(ordered):
        entry.position = number
    for entry in changed:
        entry.updated_at = now  # bulk_update leaves auto_now fields alone
    if changed:
        type(item).objects.bulk_update(changed, ["position", "updated_at"])
    return bool(changed)


def _position(value) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ApplicationError.for_field("position", "Give the position as a whole number from 1.")
    return value


@transaction.atomic
def engagement_tier_add(
    *, actor, offering: ServiceOffering, name: str, description: str = ""
) -> EngagementTier:
    """Add a tier of user engagement above the existing ones (tiers run from the lightest up)."""
    _require_catalogue_rights(actor)
    offering = _locked_offering(offering)
    tier = EngagementTier(offering=offering)
    _apply(tier, {"name": name, "description": description}, ENGAGEMENT_TIER_FIELDS)
    _check_tier(tier)
    tier.position = _next_position(EngagementTier, offering=offering)
    _save(tier, _tier_duplicate(tier))
    _touch(offering)
    return tier


@transaction.atomic
def engagement_tier_update(
    *, actor, tier: EngagementTier, position: int | None = None, **fields: Any
) -> EngagementTier:
    """Change a tier's name or description, and with `position` (1 = the lightest) its place."""
    _require_catalogue_rights(actor)
    offering = _locked_offering(tier.offering)
    tier = EngagementTier.objects.get(pk=tier.pk)
    changed = _apply(tier, fields, ENGAGEMENT_TIER_FIELDS)
    if changed:
        _check_tier(tier)
        _save(tier, _tier_duplicate(tier))
    moved = False
    if position is not None:
        moved = _move_to(list(offering.engagement_tiers.all()), tier, _position(position))
    if changed or moved:
        _touch(offering)
    return tier


@transaction.atomic
def engagement_tier_remove(*, actor, tier: EngagementTier) -> None:
    _require_catalogue_rights(actor)
    offering = _locked_offering(tier.offering)
    tier.delete()
    _touch(offering)


# --- value propositions ---------------------------------------------------------------------------

_STATEMENT_MESSAGES = {
    "how_it_solves_problems": "Say how the offering takes away the consumer's problems.",
    "what_to_expect": "Say what the consumer can expect once they have it.",
    "advantage_over_competitors": "Say why the consumer should choose us over another provider.",
}


def _check_proposition(proposition: ValueProposition) -> None:
    errors: dict[str, list[str]] = {}
    offering = proposition.offering
    if proposition.segment is None and proposition.persona is None:
        errors["segment"] = ["Choose the target segment or persona (or both) the proposition is written for."]
    if (
        proposition.segment is not None
        and not offering.target_segments.filter(pk=proposition.segment.pk).exists()
    ):
        errors["segment"] = [
            f"{proposition.segment.name} is not a target segment of “{offering.name}”: add it to the "
            "offering's targets first."
        ]
    if (
        proposition.persona is not None
        and not offering.target_personas.filter(pk=proposition.persona.pk).exists()
    ):
        errors["persona"] = [
            f"{proposition.persona.name} is not a target persona of “{offering.name}”: add it to the "
            "offering's targets first."
        ]
    for name, message in _STATEMENT_MESSAGES.items():
        if not getattr(proposition, name):
            errors[name] = [message]
    if proposition.target_decision_maker_role not in ConsumerRole.values:
        errors["target_decision_maker_role"] = [f"Choose a consumer role: {', '.join(ConsumerRole.values)}."]
    if errors:
        raise ApplicationError(next(iter(errors.values()))[0], fields=errors)
    _check(proposition, exclude=["offering", "segment", "persona", "position"])
    same_target = ValueProposition.objects.filter(
        offering=offering, segment=proposition.segment, persona=proposition.persona
    ).exclude(pk=proposition.pk)
    if same_target.exists():
        target = " and ".join(
            target.name for target in (proposition.segment, proposition.persona) if target is not None
        )
        raise _duplicate(
            "segment" if proposition.segment is not None else "persona",
            f"“{offering.name}” already has a value proposition for {target}: edit that one instead.",
        )


@transaction.atomic
def value_proposition_create(
    *,
    actor,
    offering: ServiceOffering,
    segment: MarketSegment | None = None,
    persona: Persona | None = None,
    how_it_solves_problems: str = "",
    what_to_expect: str = "",
    advantage_over_competitors: str = "",
    headline: str = "",
    target_decision_maker_role: str = ConsumerRole.CUSTOMER,
    decision_maker_title: str = "",
) -> ValueProposition:
    """Write the offering's promise to one of its target groups: a target segment, a target persona
    or the persona within the segment. One proposition per target."""
    _require_catalogue_rights(actor)
    offering = _locked_offering(offering)
    proposition = ValueProposition(offering=offering)
    _apply(
        proposition,
        {
            "segment": segment,
            "persona": persona,
            "headline": headline,
            "how_it_solves_problems": how_it_solves_problems,
            "what_to_expect": what_to_expect,
            "advantage_over_competitors": advantage_over_competitors,
            "target_decision_maker_role": target_decision_maker_role,
            "decision_maker_title": decision_maker_title,
        },
        VALUE_PROPOSITION_FIELDS,
    )
    _check_proposition(proposition)
    proposition.position = _next_position(ValueProposition, offering=offering)
    proposition.save()
    _touch(offering)
    return proposition


@transaction.atomic
def value_proposition_update(*, actor, proposition: ValueProposition, **fields: Any) -> ValueProposition:
    """Change any of VALUE_PROPOSITION_FIELDS; unchanged input writes nothing."""
    _require_catalogue_rights(actor)
    offering = _locked_offering(proposition.offering)
    proposition = ValueProposition.objects.select_related("segment", "persona").get(pk=proposition.pk)
    proposition.offering = offering
    if _apply(proposition, fields, VALUE_PROPOSITION_FIELDS):
        _check_proposition(proposition)
        proposition.save()
        _touch(offering)
    return proposition


@transaction.atomic
def value_proposition_delete(*, actor, proposition: ValueProposition) -> None:
    """Remove a proposition. A published offering keeps at least one."""
    _require_catalogue_rights(actor)
    offering = _locked_offering(proposition.offering)
    if offering.is_published and offering.value_propositions.exclude(pk=proposition.pk).count() == 0:
        raise ApplicationError(
            f"This is the last value proposition of the published offering “{offering.name}”: write "
            "another one first, or retire the offering.",
            code="published_needs_proposition",
            status=409,
        )
    proposition.delete()
    _touch(offering)


# --- journeys the offering concerns ---------------------------------------------------------------


def _require_visible_journey(actor, journey: Journey | None) -> Journey:
    # A journey the actor may not see gets the same answer as one that does not exist.
    if journey is None or not organization_is_visible(actor, journey.organization):
        raise ApplicationError.for_field("journey", "Choose a journey of one of the accounts you look after.")
    return journey


@transaction.atomic
def offering_journey_link(*, actor, offering: ServiceOffering, journey: Journey | None) -> OfferingJourney:
    """Record that a consumer's journey concerns the offering (its touchpoints then count towards
    the offering's demand profile). Linking twice is harmless and returns the existing link."""
    _require_catalogue_rights(actor)
    journey = _require_visible_journey(actor, journey)
    link, _ = OfferingJourney.objects.get_or_create(
        offering=offering,
        journey=journey,
        defaults={"linked_by": actor if getattr(actor, "pk", None) else None},
    )
    return link


@transaction.atomic
def offering_journey_unlink(*, actor, offering: ServiceOffering, journey: Journey | None) -> bool:
    """Remove the link; the journey itself stays. True when there was a link to remove."""
    _require_catalogue_rights(actor)
    journey = _require_visible_journey(actor, journey)
    deleted, _ = OfferingJourney.objects.filter(offering=offering, journey=journey).delete()
    return bool(deleted)
