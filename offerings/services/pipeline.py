"""Writes of Offer: a consumer's opportunities and their moves through the pipeline's stages
(demand → proposal → agreed, or lost).

Every write checks, in this order, that the actor may see the organization (404 otherwise), that the
actor's role may change accounts (403), and then the input: bad input raises ApplicationError naming
the field, and nothing is saved. A move is read and written under a row lock, records when the
opportunity entered its new stage (`stage_changed_at`) and the journey event, and puts the card at
the bottom of its new column for the account. Losing an opportunity needs the reason it was lost.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.http import Http404
from django.utils import timezone

from journeys import roles
from journeys.base import ApplicationError
from journeys.events import journey_event_record
from journeys.models import Journey, Organization, OrganizationKind
from journeys.selectors import organization_is_visible
from offerings.models import OfferEventType, Opportunity, OpportunityStage, ServiceOffering

__all__ = [
    "OPPORTUNITY_FIELDS",
    "opportunity_create",
    "opportunity_delete",
    "opportunity_move",
    "opportunity_update",
]

# What an update may change; the stage changes only through opportunity_move.
OPPORTUNITY_FIELDS = (
    "title",
    "description",
    "offering",
    "journey",
    "estimated_value",
    "expected_close_date",
    "lost_reason",
    "owner",
)
WRITE_REFUSED = "Your role may not change opportunities."
LOST_REASON_NEEDED = "Say why it was lost: the next offer to this consumer can learn from it."


def _require_may_change(actor, organization: Organization) -> None:
    if not organization_is_visible(actor, organization):
        raise Http404("Not found.")
    if not roles.may_manage_accounts(actor):
        raise PermissionDenied(WRITE_REFUSED)


def _require_consumer(organization: Organization) -> None:
    if organization.kind != OrganizationKind.CONSUMER:
        raise ApplicationError(
            f"{organization.name} is not a service consumer, so it has no opportunities in the pipeline.",
            code="not_a_consumer",
            status=409,
        )


def _fail(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ApplicationError(next(iter(errors.values()))[0], fields=errors)


def _stage(value) -> OpportunityStage:
    if value not in OpportunityStage.values:
        raise ApplicationError.for_field(
            "stage", f"“{value}” is not a stage; use one of {', '.join(OpportunityStage.values)}."
        )
    return OpportunityStage(value)


def _money(value) -> Decimal | str | None:
    """The estimated value as a Decimal (None when not given), or the message saying why it is not one."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "Give the estimated value as an amount, e.g. 25000.00."
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return "Give the estimated value as an amount, e.g. 25000.00."
    if not amount.is_finite():
        return "Give the estimated value as an amount, e.g. 25000.00."
    if amount < 0:
        return "The estimated value cannot be negative; leave it empty when it is not known yet."
    return amount


def _check(opportunity: Opportunity) -> None:
    errors: dict[str, list[str]] = {}
    if not opportunity.title:
        errors["title"] = ["Give the opportunity a short title."]
    amount = _money(opportunity.estimated_value)
    if isinstance(amount, str):
        errors["estimated_value"] = [amount]
    else:
        opportunity.estimated_value = amount
    close = opportunity.expected_close_date
    if close is not None and not isinstance(close, date):
        errors["expected_close_date"] = ["Give the expected close date as a date, e.g. 2026-06-30."]
    if opportunity.stage == OpportunityStage.LOST and not opportunity.lost_reason:
        errors["lost_reason"] = [LOST_REASON_NEEDED]
    elif opportunity.stage != OpportunityStage.LOST and opportunity.lost_reason:
        errors["lost_reason"] = ["Only a lost opportunity has a reason it was lost."]
    journey = opportunity.journey
    if journey is not None and journey.organization_id != opportunity.organization_id:
        errors["journey"] = ["Choose one of this account's journeys."]
    _fail(errors)
    try:
        opportunity.full_clean(
            exclude=["organization", "offering", "journey", "owner", "estimated_value", "stage_changed_at"],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as error:
        _fail({name: [str(text) for text in texts] for name, texts in error.message_dict.items()})


def _apply(opportunity: Opportunity, fields: dict[str, Any]) -> list[str]:
    changed = []
    for name, value in fields.items():
        if name in ("title", "description", "lost_reason"):
            value = (value or "").strip()
        if getattr(opportunity, name) != value:
            setattr(opportunity, name, value)
            changed.append(name)
    return changed


def _bottom_of(organization_id: int, stage: str, *, without: int | None = None) -> int:
    """The position just below the account's last card in that stage."""
    column = Opportunity.objects.filter(organization_id=organization_id, stage=stage)
    if without is not None:
        column = column.exclude(pk=without)
    last = column.aggregate(last=Max("position"))["last"]
    return 0 if last is None else last + 1


def _record_move(actor, opportunity: Opportunity, previous: str | None) -> None:
    journey_event_record(
        event_type=OfferEventType.OPPORTUNITY_STAGE_CHANGED,
        organization=opportunity.organization,
        journey=opportunity.journey,
        actor=actor,
        payload={
            "opportunity_id": opportunity.pk,
            "from_stage": previous,
            "to_stage": opportunity.stage,
            "estimated_value": None
            if opportunity.estimated_value is None
            else str(opportunity.estimated_value),
            "lost_reason": opportunity.lost_reason,
        },
        occurred_at=opportunity.stage_changed_at,
    )


@transaction.atomic
def opportunity_create(
    *,
    actor,
    organization: Organization,
    title: str,
    description: str = "",
    offering: ServiceOffering | None = None,
    journey: Journey | None = None,
    stage: str = OpportunityStage.DEMAND,
    estimated_value: Decimal | None = None,
    expected_close_date: date | None = None,
    lost_reason: str = "",
    owner=None,
) -> Opportunity:
    """Open an opportunity for a consumer, at the bottom of its stage's column (demand by default).
    Entering the pipeline is its first stage change, recorded as such."""
    _require_may_change(actor, organization)
    _require_consumer(organization)
    opportunity = Opportunity(organization=organization, stage=_stage(stage), stage_changed_at=timezone.now())
    _apply(
        opportunity,
        {
            "title": title,
            "description": description,
            "offering": offering,
            "journey": journey,
            "estimated_value": estimated_value,
            "expected_close_date": expected_close_date,
            "lost_reason": lost_reason,
            "owner": owner,
        },
    )
    _check(opportunity)
    opportunity.position = _bottom_of(organization.pk, opportunity.stage)
    opportunity._history_user = actor
    opportunity.save()
    _record_move(actor, opportunity, None)
    return opportunity


def _locked(opportunity: Opportunity) -> Opportunity:
    return (
        Opportunity.objects.select_for_update(of=("self",))
        .select_related("organization", "journey")
        .get(pk=opportunity.pk)
    )


@transaction.atomic
def opportunity_update(*, actor, opportunity: Opportunity, **fields: Any) -> Opportunity:
    """Change any of OPPORTUNITY_FIELDS; unchanged input writes nothing. Moving to another stage is
    `opportunity_move`."""
    _require_may_change(actor, opportunity.organization)
    unknown = sorted(set(fields) - set(OPPORTUNITY_FIELDS))
    if "stage" in unknown:
        _fail({"stage": ["Move the opportunity to another stage with a move, not an edit."]})
    _fail({name: ["Unknown field."] for name in unknown})
    current = _locked(opportunity)
    if not _apply(current, fields):
        return current
    _check(current)
    current._history_user = actor
    current.save()
    return current


@transaction.atomic
def opportunity_move(*, actor, opportunity: Opportunity, stage: str, lost_reason: str = "") -> Opportunity:
    """Move an opportunity to another stage: any stage may follow any other (a lost opportunity may be
    reopened). Losing it needs the reason; leaving lost clears the reason. The opportunity is read
    under a row lock, so of two moves at once the second sees where the first left it."""
    _require_may_change(actor, opportunity.organization)
    target = _stage(stage)
    current = _locked(opportunity)
    if current.stage == target:
        raise ApplicationError.for_field(
            "stage", f"“{current.title}” is already in {target.label.lower()}.", code="same_stage", status=409
        )
    reason = (lost_reason or "").strip()
    if target == OpportunityStage.LOST and not reason:
        raise ApplicationError.for_field("lost_reason", LOST_REASON_NEEDED)
    previous = current.stage
    current.stage = target
    current.lost_reason = reason if target == OpportunityStage.LOST else ""
    current.stage_changed_at = timezone.now()
    current.position = _bottom_of(current.organization_id, target, without=current.pk)
    _check(current)
    current._history_user = actor
    current.save()
    _record_move(actor, current, previous)
    return current


@transaction.atomic
def opportunity_delete(*, actor, opportunity: Opportunity) -> None:
    """Remove an opportunity recorded by mistake (one that did not come through is better lost, with
    its reason, so the pipeline keeps the lesson)."""
    _require_may_change(actor, opportunity.organization)
    current = _locked(opportunity)
    current._history_user = actor
    current.delete()
