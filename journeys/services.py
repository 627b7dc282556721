"""Writes of the journey spine. Views, API views, tasks and other apps call these; each owns its
transaction, checks the actor's rights and raises ApplicationError (with field errors) on bad input."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from journeys import roles
from journeys.base import ApplicationError
from journeys.events import journey_event_record
from journeys.models import (
    SENTIMENT_MAX,
    SENTIMENT_MIN,
    AccountSummary,
    Channel,
    Direction,
    Journey,
    JourneyEventType,
    JourneyMap,
    JourneyStatus,
    JourneyStep,
    JourneyStepChange,
    MapStage,
    MapVersion,
    Organization,
    OrganizationKind,
    Persona,
    Scenario,
    Stakeholder,
    StakeholderCategory,
    Touchpoint,
    TouchpointKind,
)
from journeys.selectors import organization_is_visible

ORGANIZATION_FIELDS = (
    "name",
    "kind",
    "external_id",
    "owner",
    "team",
    "industry",
    "country",
    "city",
    "website",
    "annual_revenue",
    "employee_count",
    "notes",
)
STAKEHOLDER_FIELDS = (
    "name",
    "job_title",
    "email",
    "phone",
    "category",
    "is_customer",
    "is_user",
    "is_sponsor",
    "influence",
    "interest",
    "survey_consent",
    "is_active",
    "external_id",
)
TOUCHPOINT_FIELDS = (
    "journey",
    "stakeholder",
    "step",
    "channel",
    "kind",
    "direction",
    "sentiment",
    "moment_of_truth",
    "summary",
    "occurred_at",
    "duration_minutes",
    "external_id",
)
# A touchpoint may be logged a little ahead of the server clock (clock skew), never days ahead.
FUTURE_TOLERANCE = timedelta(minutes=10)


# --- shared helpers -------------------------------------------------------------------------------


def _error_from_validation(error: ValidationError) -> ApplicationError:
    fields = (
        {field: [str(message) for message in messages] for field, messages in error.message_dict.items()}
        if hasattr(error, "error_dict")
        else {"__all__": [str(m) for m in error.messages]}
    )
    first = next(iter(fields.values()))[0] if fields else "Invalid input."
    return ApplicationError(first, code="invalid", fields=fields)


def _validate(instance, *, exclude: list[str] | None = None) -> None:
    """Model field validation (types, choices, lengths, ranges) as field errors. Constraints that need
    a query are left to the database and mapped by `_save`."""
    try:
        instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        raise _error_from_validation(error) from None


def _check_external_id_free(model, instance) -> None:
    if (
        instance.external_id
        and model.objects.filter(external_id=instance.external_id).exclude(pk=instance.pk).exists()
    ):
        raise ApplicationError.for_field(
            "external_id",
            f"Another {model._meta.verbose_name} already has the external id “{instance.external_id}”.",
            code="duplicate",
            status=409,
        )


def _save(instance) -> None:
    """Save, mapping a constraint violation to a field error. Every service is atomic, so a violation
    rolls back the service's own transaction (or savepoint, inside a caller's transaction)."""
    try:
        instance.save()
    except IntegrityError as error:
        message = str(error).lower()
        if "external_id" in message:
            raise ApplicationError.for_field(
                "external_id", "This external id is already in use.", code="duplicate", status=409
            ) from None
        raise ApplicationError(f"The record breaks a data rule: {error}", code="constraint") from None


def _require(allowed: bool, message: str = "You may not do this.") -> None:
    if not allowed:
        raise PermissionDenied(message)


def _require_external_id(external_id: str) -> None:
    # Many rows have no external id: an upsert by "" would overwrite whichever of them comes first.
    if not (external_id or "").strip():
        raise ApplicationError.for_field("external_id", "An upsert needs the record's external id.")


def _require_visible(actor, organization: Organization) -> None:
    if not organization_is_visible(actor, organization):
        # Outsiders learn nothing: the same answer as for an organization that does not exist.
        from django.http import Http404

        raise Http404("No such organization.")


def _apply(instance, data: dict[str, Any], allowed: tuple[str, ...]) -> list[str]:
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        raise ApplicationError(
            f"Unknown field: {', '.join(unknown)}.", fields={name: ["Unknown field."] for name in unknown}
        )
    changed = []
    for name, value in data.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed.append(name)
    return changed


# --- organizations --------------------------------------------------------------------------------


@transaction.atomic
def organization_create(*, actor, name: str, kind: str = OrganizationKind.CONSUMER, **fields) -> Organization:
    _require(
        roles.may_manage_accounts(actor), "Only relationship managers and administrators add organizations."
    )
    organization = Organization(name=(name or "").strip(), kind=kind)
    _apply(organization, fields, ORGANIZATION_FIELDS)
    if organization.owner_id is None and roles.Role.RELATIONSHIP_MANAGER in roles.roles_of(actor):
        organization.owner = actor
    _validate(organization)
    _check_external_id_free(Organization, organization)
    _save(organization)
    journey_event_record(
        event_type=JourneyEventType.ORGANIZATION_CREATED,
        organization=organization,
        actor=actor,
        payload={"organization_id": organization.pk, "name": organization.name},
    )
    return organization


@transaction.atomic
def organization_update(*, actor, organization: Organization, **fields) -> Organization:
    _require_visible(actor, organization)
    _require(roles.may_manage_accounts(actor), "Your role may not edit organizations.")
    if "name" in fields:
        fields["name"] = (fields["name"] or "").strip()
    changed = _apply(organization, fields, ORGANIZATION_FIELDS)
    if not changed:
        return organization
    _validate(organization)
    _check_external_id_free(Organization, organization)
    _save(organization)
    journey_event_record(
        event_type=JourneyEventType.ORGANIZATION_UPDATED,
        organization=organization,
        actor=actor,
        payload={"organization_id": organization.pk, "changed": changed},
    )
    return organization


@transaction.atomic
def organization_upsert(*, actor, external_id: str, data: dict[str, Any]) -> tuple[Organization, bool]:
    """Create or update the organization the CRM knows by `external_id`. Returns (organization, created)."""
    _require_external_id(external_id)
    data = {k: v for k, v in data.items() if k != "external_id"}
    existing = Organization.objects.select_for_update().filter(external_id=external_id).first()
    if existing is None:
        if "name" not in data:
            raise ApplicationError.for_field("name", "A new organization needs a name.")
        return organization_create(actor=actor, external_id=external_id, **data), True
    return organization_update(actor=actor, organization=existing, **data), False


# --- stakeholders ---------------------------------------------------------------------------------


def _check_stakeholder(stakeholder: Stakeholder) -> None:
    _validate(stakeholder, exclude=["organization"])
    errors: dict[str, list[str]] = {}
    for axis in ("influence", "interest"):
        value = getattr(stakeholder, axis)
        if value is None or not 1 <= int(value) <= 5:
            errors[axis] = [f"{axis.capitalize()} must be between 1 and 5."]
    if errors:
        raise ApplicationError(next(iter(errors.values()))[0], fields=errors)
    _check_external_id_free(Stakeholder, stakeholder)


@transaction.atomic
def stakeholder_create(*, actor, organization: Organization, name: str, **fields) -> Stakeholder:
    _require_visible(actor, organization)
    _require(roles.may_manage_accounts(actor), "Your role may not add stakeholders.")
    stakeholder = Stakeholder(organization=organization, name=(name or "").strip())
    _apply(stakeholder, fields, STAKEHOLDER_FIELDS)
    if organization.kind != OrganizationKind.CONSUMER and "category" not in fields:
        stakeholder.category = StakeholderCategory.OTHER
    _check_stakeholder(stakeholder)
    _save(stakeholder)
    journey_event_record(
        event_type=JourneyEventType.STAKEHOLDER_CREATED,
        organization=organization,
        actor=actor,
        payload={"stakeholder_id": stakeholder.pk, "roles": stakeholder.roles},
    )
    return stakeholder


@transaction.atomic
def stakeholder_update(
    *, actor, stakeholder: Stakeholder, organization: Organization | None = None, **fields
) -> Stakeholder:
    _require_visible(actor, stakeholder.organization)
    _require(roles.may_manage_accounts(actor), "Your role may not edit stakeholders.")
    if organization is not None and organization.pk != stakeholder.organization_id:
        _require_visible(actor, organization)
        stakeholder.organization = organization
        fields_changed = ["organization"]
    else:
        fields_changed = []
    if "name" in fields:
        fields["name"] = (fields["name"] or "").strip()
    changed = fields_changed + _apply(stakeholder, fields, STAKEHOLDER_FIELDS)
    if not changed:
        return stakeholder
    _check_stakeholder(stakeholder)
    _save(stakeholder)
    journey_event_record(
        event_type=JourneyEventType.STAKEHOLDER_UPDATED,
        organization=stakeholder.organization,
        actor=actor,
        payload={"stakeholder_id": stakeholder.pk, "changed": changed},
    )
    return stakeholder


def stakeholder_survey_opt_out(*, stakeholder: Stakeholder, source: str) -> bool:
    """The person asked, from a survey e-mail, not to be surveyed again: their consent goes (recorded in
    their history and as a journey event, with no user behind it). False if it was gone already."""
    if not stakeholder.survey_consent:
        return False
    stakeholder.survey_consent = False
    stakeholder._change_reason = source
    _save(stakeholder)
    journey_event_record(
        event_type=JourneyEventType.STAKEHOLDER_UPDATED,
        organization=stakeholder.organization,
        payload={"stakeholder_id": stakeholder.pk, "changed": ["survey_consent"], "source": source},
    )
    return True


@transaction.atomic
def stakeholder_upsert(
    *, actor, external_id: str, organization: Organization | None, data: dict[str, Any]
) -> tuple[Stakeholder, bool]:
    _require_external_id(external_id)
    data = {k: v for k, v in data.items() if k != "external_id"}
    existing = (
        Stakeholder.objects.select_for_update()
        .select_related("organization")
        .filter(external_id=external_id)
        .first()
    )
    if existing is None:
        if organization is None:
            raise ApplicationError.for_field("organization", "A new stakeholder needs an organization.")
        if "name" not in data:
            raise ApplicationError.for_field("name", "A new stakeholder needs a name.")
        return stakeholder_create(
            actor=actor, organization=organization, external_id=external_id, **data
        ), True
    return stakeholder_update(actor=actor, stakeholder=existing, organization=organization, **data), False


# --- journeys -------------------------------------------------------------------------------------


def _check_step(step: str, field: str = "step") -> JourneyStep:
    if step not in JourneyStep.values:
        raise ApplicationError.for_field(
            field, f"“{step}” is not a journey step; use one of {', '.join(JourneyStep.values)}."
        )
    return JourneyStep(step)


@transaction.atomic
def journey_start(
    *,
    actor,
    organization: Organization,
    name: str,
    step: str = JourneyStep.EXPLORE,
    started_at: datetime | None = None,
    external_id: str = "",
) -> Journey:
    _require_visible(actor, organization)
    _require(roles.may_manage_accounts(actor), "Your role may not start journeys.")
    step = _check_step(step)
    moment = started_at or timezone.now()
    journey = Journey(
        organization=organization,
        name=(name or "").strip(),
        current_step=step,
        step_entered_at=moment,
        started_at=moment,
        external_id=external_id,
    )
    _validate(journey, exclude=["organization"])
    _check_external_id_free(Journey, journey)
    _save(journey)
    JourneyStepChange.objects.create(
        journey=journey,
        from_step="",
        to_step=step,
        changed_at=moment,
        changed_by=actor,
        note="Journey started",
    )
    journey_event_record(
        event_type=JourneyEventType.JOURNEY_STARTED,
        organization=organization,
        journey=journey,
        actor=actor,
        payload={"journey_id": journey.pk, "step": step.value},
        occurred_at=moment,
    )
    return journey


@transaction.atomic
def journey_move(
    *, actor, journey: Journey, to_step: str, note: str = "", moved_at: datetime | None = None
) -> Journey:
    """Move a journey to another step. Journeys are not linear: any step may follow any other, and
    going back is recorded like going forward."""
    _require_visible(actor, journey.organization)
    _require(roles.may_manage_accounts(actor), "Your role may not move journeys.")
    target = _check_step(to_step, "to_step")
    journey = Journey.objects.select_for_update().select_related("organization").get(pk=journey.pk)
    if journey.status != JourneyStatus.ACTIVE:
        raise ApplicationError(
            "This journey has ended; start a new one instead.", code="journey_ended", status=409
        )
    if journey.current_step == target:
        raise ApplicationError.for_field("to_step", f"The journey is already in {target.label}.", status=409)
    moment = moved_at or timezone.now()
    if moment < journey.step_entered_at:
        raise ApplicationError.for_field(
            "moved_at", "A step change cannot come before the current step began."
        )
    previous = journey.current_step
    JourneyStepChange.objects.create(
        journey=journey,
        from_step=previous,
        to_step=target,
        changed_at=moment,
        changed_by=actor,
        note=(note or "")[:500],
    )
    journey.current_step = target
    journey.step_entered_at = moment
    journey.save(update_fields=["current_step", "step_entered_at", "updated_at"])
    journey_event_record(
        event_type=JourneyEventType.JOURNEY_STEP_CHANGED,
        organization=journey.organization,
        journey=journey,
        actor=actor,
        payload={"journey_id": journey.pk, "from_step": previous, "to_step": target.value, "note": note},
        occurred_at=moment,
    )
    return journey


@transaction.atomic
def journey_advance(*, journey: Journey, to_step: str, note: str, actor=None) -> bool:
    """Move a journey forward to a step because of what happened in a later app (an onboarding plan
    completed), not by a person's choice: the caller has checked its own rights. Nothing happens when
    the journey has ended or is already in that step or beyond it, so a retried caller moves it once
    and a journey that went on meanwhile is not taken back. Recorded in the step history like any
    move, with `actor` (None: DSV itself). True when it moved."""
    target = _check_step(to_step, "to_step")
    journey = Journey.objects.select_for_update().select_related("organization").get(pk=journey.pk)
    if journey.status != JourneyStatus.ACTIVE or JourneyStep(journey.current_step).number >= target.number:
        return False
    moment = max(timezone.now(), journey.step_entered_at)
    previous = journey.current_step
    JourneyStepChange.objects.create(
        journey=journey,
        from_step=previous,
        to_step=target,
        changed_at=moment,
        changed_by=actor,
        note=note[:500],
    )
    journey.current_step = target
    journey.step_entered_at = moment
    journey.save(update_fields=["current_step", "step_entered_at", "updated_at"])
    journey_event_record(
        event_type=JourneyEventType.JOURNEY_STEP_CHANGED,
        organization=journey.organization,
        journey=journey,
        actor=actor,
        payload={"journey_id": journey.pk, "from_step": previous, "to_step": target.value, "note": note},
        occurred_at=moment,
    )
    return True


@transaction.atomic
def journey_end(*, journey: Journey, note: str, actor=None) -> bool:
    """Close a journey as left (the consumer went off board), on behalf of a later app that has checked
    its own rights. Nothing happens when it has already ended. True when it ended."""
    journey = Journey.objects.select_for_update().select_related("organization").get(pk=journey.pk)
    if journey.status != JourneyStatus.ACTIVE:
        return False
    moment = max(timezone.now(), journey.step_entered_at)
    journey.status = JourneyStatus.LEFT
    journey.ended_at = moment
    journey.save(update_fields=["status", "ended_at", "updated_at"])
    journey_event_record(
        event_type=JourneyEventType.JOURNEY_ENDED,
        organization=journey.organization,
        journey=journey,
        actor=actor,
        payload={"journey_id": journey.pk, "step": journey.current_step, "note": note[:500]},
        occurred_at=moment,
    )
    return True


@transaction.atomic
def journey_update(
    *,
    actor,
    journey: Journey,
    name: str | None = None,
    current_step: str | None = None,
    external_id: str | None = None,
) -> Journey:
    _require_visible(actor, journey.organization)
    _require(roles.may_manage_accounts(actor), "Your role may not edit journeys.")
    changed = False
    if name is not None and name.strip() != journey.name:
        journey.name = name.strip()
        changed = True
    if external_id is not None and external_id != journey.external_id:
        journey.external_id = external_id
        changed = True
    if changed:
        _validate(journey, exclude=["organization"])
        _check_external_id_free(Journey, journey)
        _save(journey)
    if current_step is not None and current_step != journey.current_step:
        journey = journey_move(actor=actor, journey=journey, to_step=current_step)
    return journey


@transaction.atomic
def journey_upsert(
    *, actor, external_id: str, organization: Organization | None, data: dict[str, Any]
) -> tuple[Journey, bool]:
    _require_external_id(external_id)
    existing = (
        Journey.objects.select_for_update()
        .select_related("organization")
        .filter(external_id=external_id)
        .first()
    )
    if existing is None:
        if organization is None:
            raise ApplicationError.for_field("organization", "A new journey needs an organization.")
        if not data.get("name"):
            raise ApplicationError.for_field("name", "A new journey needs a name.")
        journey = journey_start(
            actor=actor,
            organization=organization,
            name=data["name"],
            step=data.get("current_step") or JourneyStep.EXPLORE,
            external_id=external_id,
        )
        return journey, True
    if organization is not None and organization.pk != existing.organization_id:
        raise ApplicationError.for_field("organization", "A journey cannot move to another organization.")
    return journey_update(
        actor=actor, journey=existing, name=data.get("name"), current_step=data.get("current_step")
    ), False


# --- touchpoints ----------------------------------------------------------------------------------


def _check_touchpoint(touchpoint: Touchpoint) -> None:
    errors: dict[str, list[str]] = {}
    if touchpoint.step not in JourneyStep.values:
        errors["step"] = [f"“{touchpoint.step}” is not a journey step."]
    if touchpoint.channel not in Channel.values:
        errors["channel"] = [f"“{touchpoint.channel}” is not a channel."]
    if touchpoint.kind not in TouchpointKind.values:
        errors["kind"] = [f"“{touchpoint.kind}” is not a kind of touchpoint."]
    if touchpoint.direction not in Direction.values:
        errors["direction"] = ["Direction must be inbound or outbound."]
    try:
        sentiment = int(touchpoint.sentiment)
    except (TypeError, ValueError):
        sentiment = None
    if sentiment is None or not SENTIMENT_MIN <= sentiment <= SENTIMENT_MAX:
        errors["sentiment"] = ["Sentiment must be a whole number from −2 to +2."]
    if not (touchpoint.summary or "").strip():
        errors["summary"] = ["Say in a few words what happened."]
    elif len(touchpoint.summary) > 10_000:
        errors["summary"] = ["Keep the summary under 10,000 characters."]
    if touchpoint.duration_minutes is not None and not 0 <= touchpoint.duration_minutes <= 24 * 60:
        errors["duration_minutes"] = ["Duration must be between 0 and 1,440 minutes."]
    if touchpoint.occurred_at is None:
        errors["occurred_at"] = ["When did it happen?"]
    elif touchpoint.occurred_at > timezone.now() + FUTURE_TOLERANCE:
        errors["occurred_at"] = ["A touchpoint cannot be logged in the future."]
    if len(touchpoint.external_id or "") > 100:
        errors["external_id"] = ["External ids are at most 100 characters."]
    if touchpoint.journey is not None and touchpoint.journey.organization_id != touchpoint.organization_id:
        errors["journey"] = ["This journey belongs to another organization."]
    if (
        touchpoint.stakeholder is not None
        and touchpoint.stakeholder.organization_id != touchpoint.organization_id
    ):
        errors["stakeholder"] = ["This person belongs to another organization."]
    if errors:
        raise ApplicationError(next(iter(errors.values()))[0], fields=errors)


def _default_step(organization: Organization, journey: Journey | None) -> str:
    """The journey's current step; without a journey, the step of the account's most recently moved
    active journey (kept in its summary, which callers often load with the organization)."""
    if journey is not None:
        return journey.current_step
    try:
        step = organization.summary.journey_step
    except AccountSummary.DoesNotExist:
        step = ""
    return step or JourneyStep.CO_CREATE


@transaction.atomic
def touchpoint_log(
    *,
    actor,
    organization: Organization,
    channel: str,
    kind: str,
    summary: str,
    journey: Journey | None = None,
    stakeholder: Stakeholder | None = None,
    step: str | None = None,
    direction: str = Direction.INBOUND,
    sentiment: int = 0,
    moment_of_truth: bool = False,
    occurred_at: datetime | None = None,
    duration_minutes: int | None = None,
    external_id: str = "",
) -> Touchpoint:
    """Log one touchpoint. Without a step it takes the journey's current step (or the account's)."""
    _require_visible(actor, organization)
    _require(roles.may_log_touchpoints(actor), "Your role may not log touchpoints.")
    touchpoint = Touchpoint(
        organization=organization,
        journey=journey,
        stakeholder=stakeholder,
        step=step or _default_step(organization, journey),
        channel=channel,
        kind=kind,
        direction=direction,
        sentiment=sentiment,
        moment_of_truth=bool(moment_of_truth),
        summary=(summary or "").strip(),
        occurred_at=occurred_at or timezone.now(),
        duration_minutes=duration_minutes,
        logged_by=actor if getattr(actor, "pk", None) else None,
        external_id=external_id or "",
    )
    _check_touchpoint(touchpoint)
    _check_external_id_free(Touchpoint, touchpoint)
    _save(touchpoint)
    journey_event_record(
        event_type=JourneyEventType.TOUCHPOINT_CREATED,
        organization=organization,
        journey=journey,
        actor=actor,
        payload={
            "touchpoint_id": touchpoint.pk,
            "step": touchpoint.step,
            "channel": touchpoint.channel,
            "kind": touchpoint.kind,
            "sentiment": touchpoint.sentiment,
            "moment_of_truth": touchpoint.moment_of_truth,
        },
        occurred_at=touchpoint.occurred_at,
    )
    return touchpoint


@transaction.atomic
def touchpoint_update(*, actor, touchpoint: Touchpoint, **fields) -> Touchpoint:
    _require_visible(actor, touchpoint.organization)
    _require(roles.may_log_touchpoints(actor), "Your role may not edit touchpoints.")
    if "summary" in fields:
        fields["summary"] = (fields["summary"] or "").strip()
    changed = _apply(touchpoint, fields, TOUCHPOINT_FIELDS)
    if not changed:
        return touchpoint
    _check_touchpoint(touchpoint)
    _check_external_id_free(Touchpoint, touchpoint)
    _save(touchpoint)
    return touchpoint


@transaction.atomic
def touchpoint_upsert(
    *, actor, external_id: str, organization: Organization | None, data: dict[str, Any]
) -> tuple[Touchpoint, bool]:
    _require_external_id(external_id)
    data = {k: v for k, v in data.items() if k != "external_id"}
    existing = (
        Touchpoint.objects.select_for_update()
        .select_related("organization")
        .filter(external_id=external_id)
        .first()
    )
    if existing is None:
        if organization is None:
            raise ApplicationError.for_field("organization", "A new touchpoint needs an organization.")
        missing = [name for name in ("channel", "kind", "summary") if not data.get(name)]
        if missing:
            raise ApplicationError(
                f"A new touchpoint needs {', '.join(missing)}.",
                fields={name: ["This field is required."] for name in missing},
            )
        return touchpoint_log(actor=actor, organization=organization, external_id=external_id, **data), True
    if organization is not None and organization.pk != existing.organization_id:
        raise ApplicationError.for_field("organization", "A touchpoint cannot move to another organization.")
    return touchpoint_update(actor=actor, touchpoint=existing, **data), False


# --- personas and scenarios -----------------------------------------------------------------------
# Personas are the provider's own design material, not a consumer's data: they belong to no account,
# every role may read them, and the roles that shape accounts (relationship managers, administrators,
# integrators through the API) shape them. Names are unique whatever their case, so "Fleet manager
# Fatima" cannot exist twice under slightly different spellings.

PERSONA_FIELDS = (
    "name",
    "consumer_role",
    "job_title",
    "summary",
    "goals",
    "pain_points",
    "needs",
    "preferred_channel",
    "quote",
)
SCENARIO_FIELDS = ("title", "journey_step", "situation", "goal", "narrative", "expected_outcome")


def _require_persona_rights(actor) -> None:
    _require(
        roles.may_manage_accounts(actor), "Only relationship managers and administrators shape personas."
    )


def _apply_text(instance, data: dict[str, Any], allowed: tuple[str, ...]) -> list[str]:
    """`_apply` for records made only of text and choices: surrounding blanks are dropped, and a missing
    value (None) counts as empty, so "  " never passes for a name."""
    cleaned = {
        name: (value or "").strip() if isinstance(value, str) or value is None else value
        for name, value in data.items()
    }
    return _apply(instance, cleaned, allowed)


def _save_unique(instance, *, field: str, message: str) -> None:
    """Save; a unique constraint broken by a concurrent save becomes the same 409 field error that the
    check before it gives."""
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError:
        raise ApplicationError.for_field(field, message, code="duplicate", status=409) from None


def _persona_name_taken(persona: Persona) -> str:
    return f"Another persona is already called “{persona.name}”."


def _check_persona(persona: Persona) -> None:
    _validate(persona, exclude=["owner"])
    if Persona.objects.filter(name__iexact=persona.name).exclude(pk=persona.pk).exists():
        raise ApplicationError.for_field("name", _persona_name_taken(persona), code="duplicate", status=409)


@transaction.atomic
def persona_create(*, actor, name: str, **fields: Any) -> Persona:
    """Describe a new persona (any of PERSONA_FIELDS); the actor becomes its owner."""
    _require_persona_rights(actor)
    persona = Persona(owner=actor if getattr(actor, "pk", None) else None)
    _apply_text(persona, {"name": name, **fields}, PERSONA_FIELDS)
    _check_persona(persona)
    _save_unique(persona, field="name", message=_persona_name_taken(persona))
    return persona


@transaction.atomic
def persona_update(*, actor, persona: Persona, **fields: Any) -> Persona:
    """Change any of PERSONA_FIELDS; unchanged input writes nothing (and keeps `updated_at`)."""
    _require_persona_rights(actor)
    persona = Persona.objects.select_for_update().get(pk=persona.pk)
    if not _apply_text(persona, fields, PERSONA_FIELDS):
        return persona
    _check_persona(persona)
    _save_unique(persona, field="name", message=_persona_name_taken(persona))
    return persona


@transaction.atomic
def persona_delete(*, actor, persona: Persona) -> None:
    """Remove the persona with its scenarios; segments that pointed at it simply lose the link. A
    persona with journey maps stays until its maps go (they are design work of their own)."""
    _require_persona_rights(actor)
    maps = JourneyMap.objects.filter(persona=persona).count()
    if maps:
        raise ApplicationError(
            f"{persona.name} has {maps} journey map{'s' if maps != 1 else ''}: delete "
            f"{'them' if maps != 1 else 'it'} before the persona.",
            code="persona_in_use",
            status=409,
        )
    persona.delete()


def _scenario_title_taken(scenario: Scenario) -> str:
    return f"This persona already has a scenario called “{scenario.title}”."


def _check_scenario(scenario: Scenario) -> None:
    _validate(scenario, exclude=["persona"])
    duplicate = (
        Scenario.objects.filter(persona_id=scenario.persona_id, title__iexact=scenario.title)
        .exclude(pk=scenario.pk)
        .exists()
    )
    if duplicate:
        raise ApplicationError.for_field(
            "title", _scenario_title_taken(scenario), code="duplicate", status=409
        )


@transaction.atomic
def scenario_create(*, actor, persona: Persona, title: str, **fields: Any) -> Scenario:
    """Write a scenario for the persona (any of SCENARIO_FIELDS); titles are unique per persona."""
    _require_persona_rights(actor)
    scenario = Scenario(persona=persona)
    _apply_text(scenario, {"title": title, **fields}, SCENARIO_FIELDS)
    _check_scenario(scenario)
    _save_unique(scenario, field="title", message=_scenario_title_taken(scenario))
    return scenario


@transaction.atomic
def scenario_update(*, actor, scenario: Scenario, **fields: Any) -> Scenario:
    """Change any of SCENARIO_FIELDS; a scenario stays with the persona it was written for."""
    _require_persona_rights(actor)
    scenario = Scenario.objects.select_for_update().select_related("persona").get(pk=scenario.pk)
    if not _apply_text(scenario, fields, SCENARIO_FIELDS):
        return scenario
    _check_scenario(scenario)
    _save_unique(scenario, field="title", message=_scenario_title_taken(scenario))
    return scenario


@transaction.atomic
def scenario_delete(*, actor, scenario: Scenario) -> None:
    _require_persona_rights(actor)
    scenario.delete()


# --- journey maps ---------------------------------------------------------------------------------
# Designed journey maps are design material like the personas they belong to: every role reads them,
# the roles that shape personas shape the maps. A map's name is unique per persona and version
# (whatever its case), so an as-is map and the to-be map drawn from it may share a name. Stages sit
# within one journey step each; `step_number` copies the step's place so stages sort by the journey
# without a CASE, and `position` orders the stages of one step (kept by the services: a new stage goes
# last in its step, `map_stage_move` swaps neighbours).

JOURNEY_MAP_FIELDS = ("name", "persona", "version", "description", "based_on")
MAP_STAGE_FIELDS = (
    "step",
    "name",
    "expected_touchpoints",
    "channels",
    "expected_emotion",
    "pain_points",
    "opportunities",
    "front_stage",
    "back_stage",
)


def _require_map_rights(actor) -> None:
    _require(
        roles.may_manage_accounts(actor),
        "Only relationship managers and administrators shape journey maps.",
    )


def _map_name_taken(journey_map: JourneyMap) -> str:
    version = dict(MapVersion.choices).get(journey_map.version, journey_map.version)
    return f"{journey_map.persona.name} already has a map called “{journey_map.name}”, {version}."


def _check_map_references(fields: dict[str, Any]) -> None:
    """The persona and the map drawn from must be saved records before they are set on a map."""
    if "persona" in fields:
        persona = fields["persona"]
        if not isinstance(persona, Persona) or persona.pk is None:
            raise ApplicationError.for_field("persona", "Choose the persona the map is for.")
    if fields.get("based_on") is not None:
        based_on = fields["based_on"]
        if not isinstance(based_on, JourneyMap) or based_on.pk is None:
            raise ApplicationError.for_field("based_on", "Choose an existing journey map.")


def _apply_map(journey_map: JourneyMap, fields: dict[str, Any]) -> list[str]:
    """`_apply_text` for the map's text and choices; the persona and the map drawn from are records
    (checked by `_check_map_references`) and are set as they are."""
    references = {name: fields.pop(name) for name in ("persona", "based_on") if name in fields}
    changed = _apply_text(journey_map, fields, JOURNEY_MAP_FIELDS)
    for name, value in references.items():
        if getattr(journey_map, f"{name}_id") != getattr(value, "pk", None):
            setattr(journey_map, name, value)
            changed.append(name)
    return changed


def _check_journey_map(journey_map: JourneyMap) -> None:
    if journey_map.version not in MapVersion.values:
        raise ApplicationError.for_field(
            "version", f"“{journey_map.version}” is not a map version; use as_is or to_be."
        )
    _validate(journey_map, exclude=["persona", "based_on", "owner"])
    based_on = journey_map.based_on
    if based_on is not None:
        if journey_map.version != MapVersion.TO_BE:
            raise ApplicationError.for_field(
                "based_on", "Only a to-be map is drawn from another map; an as-is map records today."
            )
        if based_on.version != MapVersion.AS_IS:
            raise ApplicationError.for_field("based_on", "A to-be map is drawn from an as-is map.")
        if based_on.persona_id != journey_map.persona.pk:
            raise ApplicationError.for_field(
                "based_on", f"“{based_on.name}” is a map of another persona than {journey_map.persona.name}."
            )
    duplicate = (
        JourneyMap.objects.filter(
            persona_id=journey_map.persona.pk, version=journey_map.version, name__iexact=journey_map.name
        )
        .exclude(pk=journey_map.pk)
        .exists()
    )
    if duplicate:
        raise ApplicationError.for_field("name", _map_name_taken(journey_map), code="duplicate", status=409)


def _map_changed(journey_map: JourneyMap) -> None:
    """A change to a map's stages is a change to the map (lists sort and sync by `updated_at`)."""
    JourneyMap.objects.filter(pk=journey_map.pk).update(updated_at=timezone.now())


@transaction.atomic
def journey_map_create(
    *,
    actor,
    persona: Persona,
    name: str,
    version: str = MapVersion.AS_IS,
    description: str = "",
    based_on: JourneyMap | None = None,
) -> JourneyMap:
    """Start a map for a persona; a to-be map may name the as-is map of the same persona it is drawn
    from. The actor becomes its owner."""
    _require_map_rights(actor)
    _check_map_references({"persona": persona, "based_on": based_on})
    journey_map = JourneyMap(persona=persona, owner=actor if getattr(actor, "pk", None) else None)
    _apply_map(
        journey_map, {"name": name, "version": version, "description": description, "based_on": based_on}
    )
    _check_journey_map(journey_map)
    _save_unique(journey_map, field="name", message=_map_name_taken(journey_map))
    return journey_map


@transaction.atomic
def journey_map_update(*, actor, journey_map: JourneyMap, **fields: Any) -> JourneyMap:
    """Change any of JOURNEY_MAP_FIELDS. An as-is map that to-be maps are drawn from stays as-is, and
    stays with its persona; unchanged input writes nothing."""
    _require_map_rights(actor)
    _check_map_references(fields)
    journey_map = JourneyMap.objects.select_for_update().select_related("persona").get(pk=journey_map.pk)
    was_persona, was_version = journey_map.persona_id, journey_map.version
    changed = _apply_map(journey_map, dict(fields))
    if not changed:
        return journey_map
    if journey_map.pk == getattr(journey_map.based_on, "pk", None):
        raise ApplicationError.for_field("based_on", "A map cannot be drawn from itself.")
    if (
        journey_map.version != was_version or getattr(journey_map.persona, "pk", None) != was_persona
    ) and JourneyMap.objects.filter(based_on=journey_map).exists():
        field = "version" if journey_map.version != was_version else "persona"
        raise ApplicationError.for_field(
            field,
            "To-be maps are drawn from this map: it stays the as-is map of its persona.",
            code="map_in_use",
            status=409,
        )
    _check_journey_map(journey_map)
    _save_unique(journey_map, field="name", message=_map_name_taken(journey_map))
    return journey_map


@transaction.atomic
def journey_map_delete(*, actor, journey_map: JourneyMap) -> None:
    """Remove the map with its stages; to-be maps drawn from it keep their stages and lose the link,
    offerings that pointed at it simply lose it."""
    _require_map_rights(actor)
    journey_map.delete()


@transaction.atomic
def journey_map_copy_to_be(*, actor, journey_map: JourneyMap, name: str | None = None) -> JourneyMap:
    """A to-be map drawn from an as-is map: the same persona and stages (every field copied), with
    `based_on` pointing back. It keeps the as-is map's name unless another is given."""
    _require_map_rights(actor)
    source = JourneyMap.objects.select_related("persona").get(pk=journey_map.pk)
    if source.version != MapVersion.AS_IS:
        raise ApplicationError.for_field(
            "version", "Only an as-is map is copied into a to-be map.", code="not_as_is", status=409
        )
    copy = journey_map_create(
        actor=actor,
        persona=source.persona,
        name=source.name if name is None or not name.strip() else name,
        version=MapVersion.TO_BE,
        description=source.description,
        based_on=source,
    )
    stages = list(MapStage.objects.filter(journey_map=source).order_by("step_number", "position", "pk"))
    MapStage.objects.bulk_create(
        [
            MapStage(
                journey_map=copy,
                step_number=stage.step_number,
                position=stage.position,
                **{field: getattr(stage, field) for field in MAP_STAGE_FIELDS},
            )
            for stage in stages
        ]
    )
    return copy


def _clean_channels(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, str) or not isinstance(value, list | tuple):
        raise ApplicationError.for_field("channels", "Give the channels as a list.")
    unknown = [str(channel) for channel in value if channel not in Channel.values]
    if unknown:
        raise ApplicationError.for_field(
            "channels", f"Not a channel: {', '.join(unknown)}. Use one of {', '.join(Channel.values)}."
        )
    return list(dict.fromkeys(value))


def _clean_emotion(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ApplicationError.for_field("expected_emotion", "The expected emotion is a whole number.")
    try:
        emotion = int(value)
    except ValueError:
        raise ApplicationError.for_field(
            "expected_emotion", "The expected emotion is a whole number."
        ) from None
    if not SENTIMENT_MIN <= emotion <= SENTIMENT_MAX:
        raise ApplicationError.for_field(
            "expected_emotion",
            f"The expected emotion runs from {SENTIMENT_MIN} (very negative) to +{SENTIMENT_MAX} "
            "(very positive).",
        )
    return emotion


def _stage_data(fields: dict[str, Any]) -> dict[str, Any]:
    data = dict(fields)
    if "channels" in data:
        data["channels"] = _clean_channels(data["channels"])
    if "expected_emotion" in data:
        data["expected_emotion"] = _clean_emotion(data["expected_emotion"])
    if "step" in data:
        data["step"] = _check_step(data["step"] or "").value
    return data


def _next_stage_position(journey_map_id: int, step: str) -> int:
    last = (
        MapStage.objects.filter(journey_map_id=journey_map_id, step=step)
        .order_by("-position")
        .values_list("position", flat=True)
        .first()
    )
    return 0 if last is None else last + 1


def _check_stage(stage: MapStage) -> None:
    _validate(stage, exclude=["journey_map", "channels"])
    stage.step_number = JourneyStep(stage.step).number


@transaction.atomic
def map_stage_create(*, actor, journey_map: JourneyMap, step: str, name: str, **fields: Any) -> MapStage:
    """Add a stage (any of MAP_STAGE_FIELDS) at the end of its step on the map."""
    _require_map_rights(actor)
    stage = MapStage(journey_map=journey_map)
    _apply_text(stage, _stage_data({"step": step, "name": name, **fields}), MAP_STAGE_FIELDS)
    _check_stage(stage)
    JourneyMap.objects.select_for_update().filter(pk=journey_map.pk).first()  # one writer orders a map
    stage.position = _next_stage_position(journey_map.pk, stage.step)
    _save(stage)
    _map_changed(journey_map)
    return stage


@transaction.atomic
def map_stage_update(*, actor, stage: MapStage, **fields: Any) -> MapStage:
    """Change any of MAP_STAGE_FIELDS; a stage moved to another step goes last in it."""
    _require_map_rights(actor)
    stage = MapStage.objects.select_for_update().get(pk=stage.pk)
    was_step = stage.step
    if not _apply_text(stage, _stage_data(fields), MAP_STAGE_FIELDS):
        return stage
    _check_stage(stage)
    if stage.step != was_step:
        stage.position = _next_stage_position(stage.journey_map_id, stage.step)
    _save(stage)
    _map_changed(stage.journey_map)
    return stage


@transaction.atomic
def map_stage_delete(*, actor, stage: MapStage) -> None:
    _require_map_rights(actor)
    stage.delete()
    _map_changed(stage.journey_map)


@transaction.atomic
def map_stage_move(*, actor, stage: MapStage, direction: str) -> bool:
    """Move a stage one place earlier ("up") or later ("down") within its step. Positions of the step's
    stages are renumbered 0, 1, 2… on the way, so gaps and ties left by deletions never matter. False
    when the stage is already first or last."""
    _require_map_rights(actor)
    if direction not in ("up", "down"):
        raise ApplicationError.for_field("direction", "Move a stage up or down.")
    JourneyMap.objects.select_for_update().filter(pk=stage.journey_map_id).first()
    siblings = list(
        MapStage.objects.filter(journey_map_id=stage.journey_map_id, step=stage.step).order_by(
            "position", "pk"
        )
    )
    index = next(i for i, sibling in enumerate(siblings) if sibling.pk == stage.pk)
    target = index - 1 if direction == "up" else index + 1
    if not 0 <= target < len(siblings):
        return False
    siblings[index], siblings[target] = siblings[target], siblings[index]
    moved = []
    for position, sibling in enumerate(siblings):
        if sibling.position != position:
            sibling.position = position
            moved.append(sibling)
    now = timezone.now()
    for sibling in moved:
        sibling.updated_at = now
    MapStage.objects.bulk_update(moved, ["position", "updated_at"])
    _map_changed(stage.journey_map)
    return True
