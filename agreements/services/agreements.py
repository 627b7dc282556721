"""Writes of Agree: agreements with a service consumer, their lifecycle and their reviews.

Every write by a person checks, in this order, that the actor may see the organization (404
otherwise), that the actor's role may change accounts (403), and then the input: bad input raises
ApplicationError naming the field, and nothing is saved. An expired or terminated agreement is a
record of the past: it no longer changes (409).

The lifecycle moves only as TRANSITIONS allows (draft → negotiating → agreed → active → expired, with
steps back to negotiation and termination from any live status). A move is read and written under a
row lock, checked against its guards (agreeing needs a start date and an active target; activating
also an end date still ahead and a review cadence; expiring a passed end date; terminating a reason),
and recorded as a journey event in the same transaction. The daily jobs expire agreements whose end
date has passed and remind owners of reviews coming due, once per review date.
"""

from __future__ import annotations

import calendar
import logging
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from agreements.models import (
    TRANSITIONS,
    AgreeEventType,
    Agreement,
    AgreementForm,
    AgreementKind,
    AgreementReview,
    AgreementStatus,
    ReviewCadence,
    ReviewOutcome,
    Scorecard,
)
from agreements.selectors.agreements import REVIEW_SOON_DAYS, agreement_transition_blockers
from agreements.services.measurements import targets_recompute_after_commit
from journeys import roles
from journeys.base import ApplicationError
from journeys.events import journey_event_record
from journeys.models import Organization, OrganizationKind, Stakeholder
from journeys.selectors import organization_is_visible
from offerings.models import OfferingStatus, ServiceOffering

__all__ = [
    "AGREEMENT_FIELDS",
    "add_months",
    "agreement_create",
    "agreement_delete",
    "agreement_review_record",
    "agreement_review_reminders_send",
    "agreement_transition",
    "agreement_update",
    "agreements_expire_due",
]

logger = logging.getLogger(__name__)

# What an update may change; the status changes only through agreement_transition.
AGREEMENT_FIELDS = (
    "title",
    "form",
    "kind",
    "offerings",
    "reference",
    "external_id",
    "scope",
    "consumer_responsibilities",
    "starts_on",
    "ends_on",
    "review_cadence",
    "owner",
    "customer_contact",
)
TEXT_FIELDS = ("title", "reference", "external_id", "scope", "consumer_responsibilities")
WRITE_REFUSED = "Your role may not change agreements."
REASON_NEEDED = "Say why it is terminated: the account's next agreement can learn from it."
LIVE_STATUSES = (AgreementStatus.AGREED, AgreementStatus.ACTIVE)


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it has fewer days (31 Jan + 1 → 28 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _require_may_change(actor, organization: Organization) -> None:
    if not organization_is_visible(actor, organization):
        raise Http404("Not found.")
    if not roles.may_manage_accounts(actor):
        raise PermissionDenied(WRITE_REFUSED)


def _require_consumer(organization: Organization) -> None:
    if organization.kind != OrganizationKind.CONSUMER:
        raise ApplicationError(
            f"{organization.name} is not a service consumer, so it has no agreements with us.",
            code="not_a_consumer",
            status=409,
        )


def _require_open(agreement: Agreement) -> None:
    if AgreementStatus(agreement.status).is_final:
        raise ApplicationError(
            f"“{agreement.title}” is {agreement.get_status_display().lower()}: it is kept as it was and no "
            "longer changes. Draft a new agreement to continue the service.",
            code="agreement_closed",
            status=409,
        )


def _fail(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ApplicationError(next(iter(errors.values()))[0], fields=errors)


def _choice(errors: dict, name: str, value, choices, what: str) -> None:
    if value not in choices.values:
        errors[name] = [f"“{value}” is not a {what}; use one of {', '.join(choices.values)}."]


def _offerings(values: Iterable | None, keep: Iterable[int] = ()) -> list[ServiceOffering] | str:
    """The offerings named by instances or ids, or the message saying which cannot be covered. Retired
    ones are refused unless already covered (`keep`)."""
    wanted = []
    for value in values or ():
        pk = value.pk if isinstance(value, ServiceOffering) else value
        if isinstance(pk, bool) or not isinstance(pk, int):
            return "Give the offerings by their ids."
        wanted.append(pk)
    found = {offering.pk: offering for offering in ServiceOffering.objects.filter(pk__in=wanted)}
    missing = [str(pk) for pk in wanted if pk not in found]
    if missing:
        return f"No offering with the id {', '.join(missing)}."
    retired = [o.name for o in found.values() if o.status == OfferingStatus.RETIRED and o.pk not in keep]
    if retired:
        return f"“{retired[0]}” is retired: an agreement can cover only offerings still in the catalogue."
    return [found[pk] for pk in dict.fromkeys(wanted)]


def _check_owner(errors: dict, owner) -> None:
    if owner is None:
        return
    if not isinstance(owner, get_user_model()) or not owner.is_active:
        errors["owner"] = ["Choose an active person as the owner."]
    elif not roles.roles_of(owner) & {roles.Role.RELATIONSHIP_MANAGER, roles.Role.ADMINISTRATOR}:
        errors["owner"] = ["Choose a relationship manager or an administrator as the owner."]


def _check(agreement: Agreement, *, owner_changed: bool = True, errors: dict | None = None) -> None:
    """Check the agreement's fields, adding to `errors` found before, and fail naming every field."""
    errors = errors if errors is not None else {}
    if not agreement.title:
        errors["title"] = ["Give the agreement a title, e.g. Fleet booking SLA 2026."]
    elif len(agreement.title) > Agreement._meta.get_field("title").max_length:
        errors["title"] = ["Keep the title to 200 characters."]
    for name in ("reference", "external_id"):
        limit = Agreement._meta.get_field(name).max_length
        if len(getattr(agreement, name)) > limit:
            errors[name] = [f"Keep it to {limit} characters."]
    _choice(errors, "form", agreement.form, AgreementForm, "form of agreement")
    _choice(errors, "kind", agreement.kind, AgreementKind, "kind of agreement")
    _choice(errors, "review_cadence", agreement.review_cadence, ReviewCadence, "review cadence")
    for name in ("starts_on", "ends_on"):
        value = getattr(agreement, name)
        if value is not None and not isinstance(value, date):
            errors[name] = ["Give the date as a date, e.g. 2026-06-30."]
    starts, ends = agreement.starts_on, agreement.ends_on
    if "starts_on" not in errors and "ends_on" not in errors and starts and ends and ends < starts:
        errors["ends_on"] = ["The end date comes before the start date: it must be on or after it."]
    if agreement.status in LIVE_STATUSES and starts is None and "starts_on" not in errors:
        errors["starts_on"] = [f"An {agreement.get_status_display().lower()} agreement keeps its start date."]
    contact = agreement.customer_contact
    if contact is not None and (
        not isinstance(contact, Stakeholder) or contact.organization_id != agreement.organization_id
    ):
        errors["customer_contact"] = ["Choose one of this account's people as the customer contact."]
    if owner_changed:
        _check_owner(errors, agreement.owner)
    if agreement.external_id:
        taken = Agreement.objects.filter(external_id=agreement.external_id).exclude(pk=agreement.pk)
        if taken.exists():
            errors["external_id"] = ["Another agreement already has this external id."]
    _fail(errors)


def _apply(agreement: Agreement, fields: dict[str, Any]) -> list[str]:
    changed = []
    for name, value in fields.items():
        if name in TEXT_FIELDS:
            value = (value or "").strip()
        if getattr(agreement, name) != value:
            setattr(agreement, name, value)
            changed.append(name)
    return changed


def _locked(agreement: Agreement) -> Agreement:
    return (
        Agreement.objects.select_for_update(of=("self",))
        .select_related("organization", "owner", "customer_contact")
        .get(pk=agreement.pk)
    )


@transaction.atomic
def agreement_create(
    *,
    actor,
    organization: Organization,
    title: str,
    form: str = AgreementForm.AGREEMENT_BASED,
    kind: str = AgreementKind.SLA,
    offerings: Iterable = (),
    reference: str = "",
    external_id: str = "",
    scope: str = "",
    consumer_responsibilities: str = "",
    starts_on: date | None = None,
    ends_on: date | None = None,
    review_cadence: str = ReviewCadence.QUARTERLY,
    owner=None,
    customer_contact: Stakeholder | None = None,
) -> Agreement:
    """Draft an agreement with a consumer. Its owner is the actor when none is given and the actor is a
    relationship manager."""
    _require_may_change(actor, organization)
    _require_consumer(organization)
    if owner is None and roles.Role.RELATIONSHIP_MANAGER in roles.roles_of(actor):
        owner = actor
    agreement = Agreement(
        organization=organization, status=AgreementStatus.DRAFT, status_changed_at=timezone.now()
    )
    _apply(
        agreement,
        {
            "title": title,
            "form": form,
            "kind": kind,
            "reference": reference,
            "external_id": external_id,
            "scope": scope,
            "consumer_responsibilities": consumer_responsibilities,
            "starts_on": starts_on,
            "ends_on": ends_on,
            "review_cadence": review_cadence,
            "owner": owner,
            "customer_contact": customer_contact,
        },
    )
    covered = _offerings(offerings)
    _check(agreement, errors={"offerings": [covered]} if isinstance(covered, str) else {})
    agreement._history_user = actor
    agreement.save()
    agreement.offerings.set(covered)
    return agreement


@transaction.atomic
def agreement_update(*, actor, agreement: Agreement, **fields: Any) -> Agreement:
    """Change any of AGREEMENT_FIELDS; unchanged input writes nothing. The status changes with
    `agreement_transition`. A new review cadence on an agreed or active agreement moves its next
    review to the last review (or the start) plus the new cadence."""
    _require_may_change(actor, agreement.organization)
    unknown = sorted(set(fields) - set(AGREEMENT_FIELDS))
    if "status" in unknown:
        _fail({"status": ["Change the status with a lifecycle move, not an edit."]})
    _fail({name: ["Unknown field."] for name in unknown})
    current = _locked(agreement)
    _require_open(current)
    covered = None
    if "offerings" in fields:
        already = set(current.offerings.values_list("pk", flat=True))
        covered = _offerings(fields.pop("offerings"), keep=already)
        if isinstance(covered, str):
            _fail({"offerings": [covered]})
        if {offering.pk for offering in covered} == already:
            covered = None
    changed = _apply(current, fields)
    if not changed and covered is None:
        return current
    _check(current, owner_changed="owner" in changed)
    if "review_cadence" in changed and current.status in LIVE_STATUSES:
        months = ReviewCadence(current.review_cadence).months
        last = current.reviews.order_by("-held_on").values_list("held_on", flat=True).first()
        start = last or current.starts_on
        current.next_review_on = add_months(start, months) if months and start else None
        current.review_reminded_on = None
    if changed:
        current._history_user = actor
        current.save()
    if covered is not None:
        current.offerings.set(covered)
        if not changed:
            # The offerings are no column of the agreement: mark it changed for incremental sync.
            Agreement.objects.filter(pk=current.pk).update(updated_at=timezone.now())
    return current


@transaction.atomic
def agreement_delete(*, actor, agreement: Agreement) -> None:
    """Remove a draft recorded by mistake. Anything past draft has been shared with the consumer: it is
    terminated, with its reason, rather than deleted."""
    _require_may_change(actor, agreement.organization)
    current = _locked(agreement)
    if current.status != AgreementStatus.DRAFT:
        raise ApplicationError(
            f"Only a draft can be deleted; “{current.title}” is {current.get_status_display().lower()}. "
            "Terminate it instead, saying why.",
            code="not_a_draft",
            status=409,
        )
    current._history_user = actor
    current.delete()


def _status(value) -> AgreementStatus:
    if value not in AgreementStatus.values:
        raise ApplicationError.for_field(
            "status", f"“{value}” is not a status; use one of {', '.join(AgreementStatus.values)}."
        )
    return AgreementStatus(value)


def _illegal(current: Agreement, target: AgreementStatus) -> ApplicationError:
    status = AgreementStatus(current.status)
    allowed = [AgreementStatus(value).label.lower() for value in TRANSITIONS[status]]
    if not allowed:
        message = f"“{current.title}” is {status.label.lower()}: its status no longer changes."
    elif target == status:
        message = (
            f"“{current.title}” is already {status.label.lower()}; from here it can become {_or(allowed)}."
        )
    else:
        message = (
            f"A {status.label.lower()} agreement cannot become {target.label.lower()}; "
            f"from {status.label.lower()} it can become {_or(allowed)}."
        )
    return ApplicationError(message, code="illegal_transition", fields={"status": [message]}, status=409)


def _or(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"


def _move(current: Agreement, target: AgreementStatus, *, actor, reason: str, today: date) -> Agreement:
    """Check and make one lifecycle move of a locked agreement, with its journey event."""
    if target not in TRANSITIONS[current.status]:
        raise _illegal(current, target)
    blockers = agreement_transition_blockers(agreement=current, to_status=target, today=today)
    if blockers:
        first = next(iter(blockers.values()))[0]
        raise ApplicationError(first, code="transition_not_ready", fields=blockers, status=409)
    reason = (reason or "").strip()
    if target == AgreementStatus.TERMINATED:
        if not reason:
            raise ApplicationError.for_field("reason", REASON_NEEDED)
        current.termination_reason = reason
    if target == AgreementStatus.AGREED:
        current.agreed_on = today
    elif target == AgreementStatus.NEGOTIATING and current.status == AgreementStatus.AGREED:
        current.agreed_on = None
    if target == AgreementStatus.ACTIVE and current.next_review_on is None:
        months = ReviewCadence(current.review_cadence).months
        current.next_review_on = add_months(current.starts_on, months) if months else None
    previous = current.status
    current.status = target
    current.status_changed_at = timezone.now()
    current._history_user = actor
    current.save()
    journey_event_record(
        event_type=AgreeEventType.AGREEMENT_STATUS_CHANGED,
        organization=current.organization,
        actor=actor,
        payload={"agreement": current.pk, "title": current.title, "from": previous, "to": current.status},
        occurred_at=current.status_changed_at,
    )
    if target in (AgreementStatus.ACTIVE, AgreementStatus.EXPIRED, AgreementStatus.TERMINATED):
        # Which periods are scored depends on the status (an ended agreement keeps its term's history).
        targets_recompute_after_commit(target_ids=current.targets.values_list("pk", flat=True))
    return current


@transaction.atomic
def agreement_transition(
    *, actor, agreement: Agreement, to_status: str, reason: str = "", today: date | None = None
) -> Agreement:
    """Move the agreement to another status of its lifecycle. Only the moves of TRANSITIONS are
    allowed (409 `illegal_transition` otherwise); a move whose guards are not met is refused (409
    `transition_not_ready`, naming what is missing by field); terminating needs `reason`. Agreeing
    sets the agreed date; activating sets the first review (start + cadence) when none is planned."""
    _require_may_change(actor, agreement.organization)
    target = _status(to_status)
    current = _locked(agreement)
    return _move(current, target, actor=actor, reason=reason, today=today or timezone.localdate())


@transaction.atomic
def agreement_review_record(
    *,
    actor,
    agreement: Agreement,
    held_on: date,
    summary: str,
    outcome: str = ReviewOutcome.CONTINUE,
) -> AgreementReview:
    """Record a review of an agreed or active agreement held with the consumer. It keeps the compliance
    of the agreement's latest measured month, plans the next review (the review's date plus the
    cadence; none for reviews on demand) and records the journey event."""
    _require_may_change(actor, agreement.organization)
    current = _locked(agreement)
    if current.status not in LIVE_STATUSES:
        raise ApplicationError(
            f"“{current.title}” is {current.get_status_display().lower()}: only agreed and active agreements "
            "are reviewed.",
            code="not_reviewable",
            status=409,
        )
    errors: dict[str, list[str]] = {}
    if not isinstance(held_on, date):
        errors["held_on"] = ["Give the day the review was held, e.g. 2026-03-31."]
    elif held_on > timezone.localdate():
        errors["held_on"] = ["A review is recorded once it has been held: the date cannot be in the future."]
    summary = (summary or "").strip()
    if not summary:
        errors["summary"] = ["Say what was compared and what both sides concluded."]
    _choice(errors, "outcome", outcome, ReviewOutcome, "review outcome")
    _fail(errors)
    compliance = (
        Scorecard.objects.filter(agreement=current, compliance_pct__isnull=False)
        .order_by("-month")
        .values_list("compliance_pct", flat=True)
        .first()
    )
    review = AgreementReview.objects.create(
        agreement=current,
        held_on=held_on,
        summary=summary,
        outcome=outcome,
        compliance_pct=compliance,
        reviewed_by=actor if getattr(actor, "pk", None) else None,
    )
    months = ReviewCadence(current.review_cadence).months
    current.next_review_on = add_months(held_on, months) if months else None
    current.review_reminded_on = None
    current._history_user = actor
    current.save()
    journey_event_record(
        event_type=AgreeEventType.AGREEMENT_REVIEWED,
        organization=current.organization,
        actor=actor,
        payload={
            "agreement": current.pk,
            "title": current.title,
            "review": review.pk,
            "held_on": held_on.isoformat(),
            "outcome": outcome,
            "compliance_pct": None if compliance is None else str(compliance),
            "next_review_on": current.next_review_on.isoformat() if current.next_review_on else None,
        },
    )
    return review


# --- daily jobs -------------------------------------------------------------------------------------


def agreements_expire_due(*, today: date | None = None) -> int:
    """Expire every active agreement whose end date has passed, each in its own transaction, through
    the lifecycle's own move (history and journey event, made by DSV rather than a person). Safe to
    run twice: an expired agreement is no longer active. Returns how many expired."""
    today = today or timezone.localdate()
    due = Agreement.objects.filter(status=AgreementStatus.ACTIVE, ends_on__lt=today).values_list(
        "pk", flat=True
    )
    expired = 0
    for pk in list(due):
        with transaction.atomic():
            current = (
                Agreement.objects.select_for_update(of=("self",)).select_related("organization").get(pk=pk)
            )
            if (
                current.status != AgreementStatus.ACTIVE
                or current.ends_on is None
                or current.ends_on >= today
            ):
                continue
            _move(current, AgreementStatus.EXPIRED, actor=None, reason="", today=today)
            expired += 1
    return expired


def _agreement_link(agreement: Agreement) -> str:
    """The agreement page's address, absolute when the site's base URL is configured."""
    path = reverse("agreements:agreement_detail", args=[agreement.pk])
    base = getattr(settings, "DSV_BASE_URL", "") or ""
    return f"{base.rstrip('/')}{path}" if base else path


def _send_review_reminder(agreement: Agreement, today: date) -> None:
    review_on = agreement.next_review_on
    context = {
        "agreement": agreement,
        "organization": agreement.organization,
        "owner": agreement.owner,
        "review_on": review_on,
        "overdue": review_on < today,
        "days": abs((review_on - today).days),
        "link": _agreement_link(agreement),
    }
    subject = " ".join(render_to_string("emails/agreement_review_due/subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("emails/agreement_review_due/body.txt", context),
        to=[agreement.owner.email],
    )
    message.attach_alternative(
        render_to_string("emails/agreement_review_due/body.html", context), "text/html"
    )
    message.send()


def agreement_review_reminders_send(*, today: date | None = None) -> int:
    """E-mail the owner of each agreed or active agreement whose next review is within REVIEW_SOON_DAYS
    or overdue, once per review date: each agreement is claimed with a conditional UPDATE (its reminded
    date is not yet its review date) and mailed only when that UPDATE changed its row, so two runs at
    once, or one after the other, send one mail. A failed send releases the claim for the next run.
    Returns how many were sent."""
    today = today or timezone.localdate()
    not_reminded = Q(review_reminded_on__isnull=True) | ~Q(review_reminded_on=F("next_review_on"))
    due = (
        Agreement.objects.filter(
            not_reminded,
            status__in=LIVE_STATUSES,
            next_review_on__isnull=False,
            next_review_on__lte=today + timedelta(days=REVIEW_SOON_DAYS),
            owner__isnull=False,
            owner__is_active=True,
        )
        .exclude(owner__email="")
        .values_list("pk", "next_review_on")
    )
    sent = 0
    for pk, review_on in list(due):
        with transaction.atomic():
            claimed = Agreement.objects.filter(
                not_reminded, pk=pk, next_review_on=review_on, status__in=LIVE_STATUSES
            ).update(review_reminded_on=review_on)
            if claimed != 1:
                continue
            agreement = Agreement.objects.select_related("organization", "owner").get(pk=pk)
            _send_review_reminder(agreement, today)
            sent += 1
    return sent
