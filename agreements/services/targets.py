"""Writes of Agree: an agreement's service level targets.

Targets change over the agreement's life (they "move over time"), active ones included; the history
keeps every version. Only an expired or terminated agreement's targets no longer change (409). Bad
input names its field and saves nothing: a warning threshold on the wrong side of the target (it must
warn while the target is still met), a warning for an "exactly" target, a warranty target without its
aspect (or another kind with one), an outcome target without its baseline, a request clock without a
positive limit (or a limit without a clock), a retired calendar, a number that is not finite. An
agreed or active agreement keeps at least one active target.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Max

from agreements.models import (
    Aggregation,
    Agreement,
    AgreementStatus,
    BusinessCalendar,
    ClockKind,
    Comparator,
    MeasurementPeriod,
    ServiceLevelTarget,
    TargetKind,
    WarrantyAspect,
)
from agreements.services.agreements import _require_may_change, _require_open
from agreements.services.measurements import measurement_periods_refresh, targets_recompute_after_commit
from journeys.base import ApplicationError

__all__ = ["TARGET_FIELDS", "target_create", "target_set_active", "target_update"]

# What an update may change; activation changes with target_set_active.
TARGET_FIELDS = (
    "name",
    "kind",
    "warranty_aspect",
    "metric",
    "unit",
    "comparator",
    "target_value",
    "warning_threshold",
    "period",
    "aggregation",
    "calendar",
    "baseline",
    "clock",
    "clock_limit_hours",
)
TEXT_FIELDS = ("name", "metric", "unit")
CHOICES = {
    "kind": (TargetKind, "kind of target"),
    "comparator": (Comparator, "comparison"),
    "period": (MeasurementPeriod, "measurement period"),
    "aggregation": (Aggregation, "way to combine measurements"),
}
NUMBERS = {
    # name: (max digits, decimal places, an example)
    "target_value": (14, 4, "99.5"),
    "warning_threshold": (14, 4, "99.7"),
    "baseline": (14, 4, "12"),
    "clock_limit_hours": (8, 2, "8"),
}
COMPARATOR_WORDS = {
    "gte": "at least",
    "gt": "more than",
    "lte": "at most",
    "lt": "less than",
    "eq": "exactly",
}


def _fail(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ApplicationError(next(iter(errors.values()))[0], fields=errors)


def _number(value, name: str) -> Decimal | str | None:
    """The value as a Decimal that fits its column (None when not given), or why it is not one."""
    digits, places, example = NUMBERS[name]
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return f"Give a number, e.g. {example}."
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return f"Give a number, e.g. {example}."
    if not number.is_finite():
        return f"Give a finite number, e.g. {example}."
    number = number.quantize(Decimal(1).scaleb(-places)) if number.as_tuple().exponent < -places else number
    if abs(number) >= Decimal(10) ** (digits - places):
        return f"Keep it below {Decimal(10) ** (digits - places):,}."
    return number


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _check(target: ServiceLevelTarget, *, calendar_changed: bool) -> None:
    errors: dict[str, list[str]] = {}
    if not target.name:
        errors["name"] = ["Name what is measured, e.g. Availability of the booking portal."]
    elif len(target.name) > ServiceLevelTarget._meta.get_field("name").max_length:
        errors["name"] = ["Keep the name to 200 characters."]
    for name in ("metric", "unit"):
        limit = ServiceLevelTarget._meta.get_field(name).max_length
        if len(getattr(target, name)) > limit:
            errors[name] = [f"Keep it to {limit} characters."]
    for name, (choices, what) in CHOICES.items():
        value = getattr(target, name)
        if value not in choices.values:
            errors[name] = [f"“{value}” is not a {what}; use one of {', '.join(choices.values)}."]
    for name in NUMBERS:
        number = _number(getattr(target, name), name)
        if isinstance(number, str):
            errors[name] = [number]
        else:
            setattr(target, name, number)
    if target.target_value is None and "target_value" not in errors:
        errors["target_value"] = ["Give the value to reach, e.g. 99.5."]

    if target.kind == TargetKind.WARRANTY:
        if not target.warranty_aspect:
            errors["warranty_aspect"] = ["Choose which aspect of warranty it covers, e.g. availability."]
        elif target.warranty_aspect not in WarrantyAspect.values:
            errors["warranty_aspect"] = [f"“{target.warranty_aspect}” is not a warranty aspect."]
    elif target.warranty_aspect and "kind" not in errors:
        kind = TargetKind(target.kind).label.lower()
        errors["warranty_aspect"] = [
            f"Only warranty targets have a warranty aspect: leave it empty for {kind}."
        ]

    if target.kind == TargetKind.OUTCOME and target.baseline is None and "baseline" not in errors:
        errors["baseline"] = ["An outcome target needs its baseline: the value the consumer started from."]

    warning, value = target.warning_threshold, target.target_value
    if (
        warning is not None
        and isinstance(warning, Decimal)
        and isinstance(value, Decimal)
        and "comparator" not in errors
    ):
        comparator = Comparator(target.comparator)
        rule = f"{COMPARATOR_WORDS[comparator]} {_plain(value)}{(' ' + target.unit) if target.unit else ''}"
        if comparator.higher_is_better is None:
            errors["warning_threshold"] = [
                f"A target of “{rule}” is either met or missed: leave the warning threshold empty."
            ]
        elif comparator.higher_is_better and warning <= value:
            errors["warning_threshold"] = [
                f"For “{rule}” the warning threshold must be above {_plain(value)}: "
                "it should warn before the target is missed."
            ]
        elif not comparator.higher_is_better and warning >= value:
            errors["warning_threshold"] = [
                f"For “{rule}” the warning threshold must be below {_plain(value)}: "
                "it should warn before the target is missed."
            ]

    if target.clock and target.clock not in ClockKind.values:
        errors["clock"] = [f"“{target.clock}” is not a request clock; use response or resolution."]
    elif target.clock:
        limit = target.clock_limit_hours
        if "clock_limit_hours" not in errors and (limit is None or limit <= 0):
            errors["clock_limit_hours"] = ["Give the business hours each request is allowed, e.g. 8."]
    elif target.clock_limit_hours is not None and "clock_limit_hours" not in errors:
        errors["clock"] = [
            "A limit in hours belongs to a request clock: choose one, or leave the limit empty."
        ]

    calendar = target.calendar
    if calendar is not None:
        if not isinstance(calendar, BusinessCalendar):
            errors["calendar"] = ["Choose one of the business-hours calendars."]
        elif calendar_changed and not calendar.is_active:
            errors["calendar"] = [f"“{calendar.name}” is no longer in use: choose an active calendar."]
    _fail(errors)


def _apply(target: ServiceLevelTarget, fields: dict[str, Any]) -> list[str]:
    changed = []
    for name, value in fields.items():
        if name in TEXT_FIELDS or name in ("warranty_aspect", "clock"):
            value = (value or "").strip()
        if name in NUMBERS and value is not None and not isinstance(value, Decimal):
            number = _number(value, name)
            value = number if isinstance(number, Decimal) else value
        if getattr(target, name) != value:
            setattr(target, name, value)
            changed.append(name)
    return changed


def _locked_agreement(agreement: Agreement) -> Agreement:
    return (
        Agreement.objects.select_for_update(of=("self",)).select_related("organization").get(pk=agreement.pk)
    )


@transaction.atomic
def target_create(
    *,
    actor,
    agreement: Agreement,
    name: str,
    kind: str,
    comparator: str,
    target_value,
    warranty_aspect: str = "",
    metric: str = "",
    unit: str = "",
    warning_threshold=None,
    period: str = MeasurementPeriod.MONTH,
    aggregation: str = Aggregation.AVERAGE,
    calendar: BusinessCalendar | None = None,
    baseline=None,
    clock: str = "",
    clock_limit_hours=None,
) -> ServiceLevelTarget:
    """Add a target to the agreement, after its other targets."""
    _require_may_change(actor, agreement.organization)
    current = _locked_agreement(agreement)
    _require_open(current)
    target = ServiceLevelTarget(agreement=current)
    _apply(
        target,
        {
            "name": name,
            "kind": kind,
            "warranty_aspect": warranty_aspect,
            "metric": metric,
            "unit": unit,
            "comparator": comparator,
            "target_value": target_value,
            "warning_threshold": warning_threshold,
            "period": period,
            "aggregation": aggregation,
            "calendar": calendar,
            "baseline": baseline,
            "clock": clock,
            "clock_limit_hours": clock_limit_hours,
        },
    )
    _check(target, calendar_changed=True)
    last = current.targets.aggregate(last=Max("position"))["last"]
    target.position = 0 if last is None else last + 1
    target._history_user = actor
    target.save()
    return target


def _locked(target: ServiceLevelTarget) -> ServiceLevelTarget:
    return (
        ServiceLevelTarget.objects.select_for_update(of=("self",))
        .select_related("agreement__organization", "calendar")
        .get(pk=target.pk)
    )


@transaction.atomic
def target_update(*, actor, target: ServiceLevelTarget, **fields: Any) -> ServiceLevelTarget:
    """Change any of TARGET_FIELDS; unchanged input writes nothing. A target keeps a calendar retired
    after it was chosen, but cannot be moved to one."""
    _require_may_change(actor, target.agreement.organization)
    unknown = sorted(set(fields) - set(TARGET_FIELDS))
    if "is_active" in unknown:
        _fail({"is_active": ["Activate or deactivate a target with its own action, not an edit."]})
    _fail({name: ["Unknown field."] for name in unknown})
    current = _locked(target)
    _require_open(current.agreement)
    changed = _apply(current, fields)
    if not changed:
        return current
    _check(current, calendar_changed="calendar" in changed)
    current._history_user = actor
    current.save()
    _rescore(current, changed)
    return current


@transaction.atomic
def target_set_active(*, actor, target: ServiceLevelTarget, active: bool) -> ServiceLevelTarget:
    """Measure the target again, or stop measuring it (its measurements and scores stay). An agreed or
    active agreement keeps at least one active target."""
    _require_may_change(actor, target.agreement.organization)
    agreement = _locked_agreement(target.agreement)
    _require_open(agreement)
    current = _locked(target)
    active = bool(active)
    if current.is_active == active:
        return current
    if not active and agreement.status in (AgreementStatus.AGREED, AgreementStatus.ACTIVE):
        others = agreement.targets.filter(is_active=True).exclude(pk=current.pk)
        if not others.exists():
            raise ApplicationError.for_field(
                "is_active",
                f"“{current.name}” is the last active target of an {agreement.get_status_display().lower()} "
                "agreement, which needs at least one: add or activate another first.",
                code="last_active_target",
                status=409,
            )
    current.is_active = active
    current._history_user = actor
    current.save()
    targets_recompute_after_commit(target_ids=[current.pk])
    return current


# What a target's scores depend on: a change to these scores it again (after commit).
SCORED_FIELDS = {"comparator", "target_value", "warning_threshold", "aggregation", "period", "calendar"}


def _rescore(target: ServiceLevelTarget, changed) -> None:
    """After a change to its rule, score the target again; after a change to its period or its
    calendar (whose time zone cuts the periods), first cut its measurements into periods again."""
    changed = set(changed)
    if changed & {"period", "calendar"}:
        measurement_periods_refresh(target_ids=[target.pk])
    elif changed & SCORED_FIELDS:
        targets_recompute_after_commit(target_ids=[target.pk])
