"""Writes of Offer: business cases, their lines, risks and assumptions, their versions and the decision
on them.

A case belongs with the consumer organization it is made for. Whoever may see and change the account
(its owner, its team's relationship managers, administrators; integrators through the API) may shape
its cases and decide on them: a business case is the account team's record of what the customer (or
the provider) decided, so the person who records the decision is the one accountable for the account,
and the decision note says whose decision it was. Outsiders get 404; read-only roles 403.

The workflow of a version: draft → submitted → approved or rejected (a submitted version may be
withdrawn back to draft). Only a draft changes; an approved or rejected version is kept as it was
decided, and reworking it means making a new version (a copy with its lines, same lineage, next
number). A lineage has at most one open (draft or submitted) version at a time. Approving needs at
least one benefit line and makes the version the lineage's baseline, in the same transaction that
takes the mark off the previous baseline, and records `OfferEventType.BUSINESS_CASE_APPROVED`.

Amounts are never negative (a cost is a cost, a benefit a benefit); every line falls within the
case's horizon (years 0..horizon); the discount rate lies strictly between −100 % and 100 %. Bad input
raises ApplicationError naming the field, and nothing is saved.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from journeys import roles
from journeys.base import ApplicationError
from journeys.events import journey_event_record
from journeys.models import Organization, OrganizationKind
from journeys.selectors import organization_is_visible
from offerings.models import (
    HORIZON_MAX_YEARS,
    Assumption,
    BenefitLine,
    BenefitType,
    BusinessCase,
    BusinessCasePerspective,
    BusinessCaseRisk,
    BusinessCaseStatus,
    Confidence,
    CostCategory,
    CostLine,
    ExpenseType,
    OfferEventType,
    Recurrence,
    ServiceOffering,
    UncertaintyArea,
)

__all__ = [
    "ASSUMPTION_FIELDS",
    "BENEFIT_LINE_FIELDS",
    "BUSINESS_CASE_FIELDS",
    "COST_LINE_FIELDS",
    "RISK_FIELDS",
    "assumption_add",
    "assumption_remove",
    "assumption_update",
    "benefit_line_add",
    "benefit_line_remove",
    "benefit_line_update",
    "business_case_approve",
    "business_case_create",
    "business_case_delete",
    "business_case_new_version",
    "business_case_reject",
    "business_case_risk_add",
    "business_case_risk_remove",
    "business_case_risk_update",
    "business_case_submit",
    "business_case_update",
    "business_case_withdraw",
    "cost_line_add",
    "cost_line_remove",
    "cost_line_update",
]

QUESTION_FIELDS = (
    "purpose",
    "strategic_fit",
    "problem",
    "desired_outcome",
    "stakeholders_affected",
    "disadvantages",
    "options_considered",
    "resources_needed",
    "timeline",
    "organizational_change",
)
BUSINESS_CASE_FIELDS = (
    "title",
    "perspective",
    "offering",
    *QUESTION_FIELDS,
    "budget",
    "discount_rate",
    "horizon_years",
    "owner",
)
LINE_FIELDS = ("description", "recurrence", "year", "last_year", "amount")
COST_LINE_FIELDS = (*LINE_FIELDS, "category", "expense_type")
BENEFIT_LINE_FIELDS = (*LINE_FIELDS, "benefit_type", "indicator")
RISK_FIELDS = ("description", "probability", "impact", "mitigation")
ASSUMPTION_FIELDS = ("text", "confidence", "area", "owner")

WRITE_REFUSED = "Your role may not change business cases."
OPEN_STATUSES = (BusinessCaseStatus.DRAFT, BusinessCaseStatus.SUBMITTED)


# --- rights and state -----------------------------------------------------------------------------


def _require_may_change(actor, organization: Organization) -> None:
    if not organization_is_visible(actor, organization):
        raise Http404("No such business case.")
    if not roles.may_manage_accounts(actor):
        raise PermissionDenied(WRITE_REFUSED)


def _locked(case: BusinessCase) -> BusinessCase:
    """The version's row, locked until the transaction ends: a line written while someone decides on
    the version waits, then sees the decision."""
    locked = (
        BusinessCase.objects.select_for_update(of=("self",)).select_related("organization").get(pk=case.pk)
    )
    return locked


def _require_draft(case: BusinessCase) -> None:
    if case.status == BusinessCaseStatus.DRAFT:
        return
    if case.status == BusinessCaseStatus.SUBMITTED:
        message = (
            f"Version {case.version} is submitted for a decision and cannot change; withdraw it to rework it."
        )
    else:
        message = (
            f"Version {case.version} is {case.get_status_display().lower()} and stays as it was decided; "
            "make a new version to rework it."
        )
    raise ApplicationError(message, code="read_only", status=409)


def _editable(actor, case: BusinessCase) -> BusinessCase:
    _require_may_change(actor, case.organization)
    locked = _locked(case)
    _require_draft(locked)
    return locked


def _touch(case: BusinessCase) -> None:
    """A line is part of its case: incremental sync of cases sees the change. An update() rather than
    save(), so the case's history gets no row for it."""
    BusinessCase.objects.filter(pk=case.pk).update(updated_at=timezone.now())


# --- validation -----------------------------------------------------------------------------------


def _fail(errors: dict[str, list[str]]) -> None:
    if errors:
        first = next(iter(errors.values()))[0]
        message = first if len(errors) == 1 else f"{first} ({len(errors)} problems in all.)"
        raise ApplicationError(message, fields=errors)


def _full_clean(instance, *, exclude: Iterable[str]) -> None:
    """Types, lengths and digits of the model's own fields, reported per field."""
    try:
        instance.full_clean(exclude=list(exclude), validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        _fail({name: [str(text) for text in messages] for name, messages in error.message_dict.items()})


def _unknown(fields: dict[str, Any], allowed: Iterable[str]) -> None:
    _fail({name: ["Unknown field."] for name in sorted(set(fields) - set(allowed))})


def _text(value) -> str:
    return (value or "").strip() if isinstance(value, str) or value is None else str(value).strip()


def _decimal(value) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _integer(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    return None


def _percent(fraction: Decimal) -> str:
    return f"{(fraction * 100).normalize():f} %"


def _choice(errors: dict, field: str, value, choices, what: str) -> None:
    if value not in choices.values:
        errors[field] = [f"Choose {what}: {', '.join(choices.values)}."]


def _user_for(value, organization: Organization, errors: dict, field: str):
    """A user who may see and change the organization (for owners of cases and assumptions)."""
    if value is None or value == "":
        return None
    user = value
    if not hasattr(value, "pk"):
        number = _integer(value)
        user = get_user_model().objects.filter(pk=number).first() if number is not None else None
        if user is None:
            errors[field] = [f"No user with the id {value}."]
            return None
    name = user.get_full_name() or user.username
    if not user.is_active:
        errors[field] = [f"{name} is no longer an active user."]
    elif not organization_is_visible(user, organization) or not roles.may_manage_accounts(user):
        errors[field] = [f"{name} does not look after {organization.name}; choose someone who does."]
    return user


# --- the case itself ------------------------------------------------------------------------------


def _apply_case_fields(case: BusinessCase, fields: dict[str, Any]) -> list[str]:
    """Set the given fields on the case after checking each; returns the names that changed."""
    _unknown(fields, BUSINESS_CASE_FIELDS)
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {}
    for name, value in fields.items():
        if name == "title":
            values[name] = _text(value)
            if not values[name]:
                errors[name] = ["Give the business case a title."]
        elif name in QUESTION_FIELDS:
            values[name] = _text(value)
        elif name == "perspective":
            _choice(errors, name, value, BusinessCasePerspective, "whose business case it is")
            values[name] = value
        elif name == "offering":
            if value is not None and not isinstance(value, ServiceOffering):
                number = _integer(value)
                value = ServiceOffering.objects.filter(pk=number).first() if number is not None else None
                if value is None:
                    errors[name] = [f"No service offering with the id {fields[name]}."]
            values[name] = value
        elif name == "budget":
            budget = None if value in (None, "") else _decimal(value)
            if value not in (None, "") and budget is None:
                errors[name] = ["Give the budget as an amount, e.g. 25000.00."]
            elif budget is not None and budget < 0:
                errors[name] = ["The budget cannot be negative; leave it empty when there is none."]
            values[name] = budget
        elif name == "discount_rate":
            rate = _decimal(value)
            if rate is None:
                errors[name] = ["Give the discount rate as a number, e.g. 8 % a year."]
            elif not -1 < rate < 1:
                errors[name] = [
                    f"The discount rate lies strictly between −100 % and 100 % a year; {_percent(rate)} "
                    "is outside that."
                ]
            values[name] = rate
        elif name == "horizon_years":
            horizon = _integer(value)
            if horizon is None or not 1 <= horizon <= HORIZON_MAX_YEARS:
                errors[name] = [
                    f"The horizon runs from 1 to {HORIZON_MAX_YEARS} years; {value!r} is outside that."
                ]
            values[name] = horizon
        elif name == "owner":
            values[name] = _user_for(value, case.organization, errors, name)
    horizon = values.get("horizon_years")
    if "horizon_years" not in errors and case.pk and horizon is not None and horizon < case.horizon_years:
        beyond = _lines_beyond(case, horizon)
        if beyond:
            errors["horizon_years"] = [
                f"{beyond[0]} runs to year {beyond[1]}; end it earlier or keep a horizon of at least "
                f"{beyond[1]} years."
            ]
    _fail(errors)
    changed = [name for name, value in values.items() if getattr(case, name) != value]
    for name in changed:
        setattr(case, name, values[name])
    _full_clean(
        case, exclude=("organization", "offering", "owner", "approved_by", "previous_version", "lineage")
    )
    return changed


def _lines_beyond(case: BusinessCase, horizon: int) -> tuple[str, int] | None:
    """The line that runs furthest past a horizon, as (“Cost line “…””, its last year), or None."""
    furthest = None
    for label, model in (("Cost line", CostLine), ("Benefit line", BenefitLine)):
        for description, year, last_year in model.objects.filter(business_case=case).values_list(
            "description", "year", "last_year"
        ):
            end = last_year if last_year is not None else year
            if end > horizon and (furthest is None or end > furthest[1]):
                furthest = (f"{label} “{description}”", end)
    return furthest


@transaction.atomic
def business_case_create(
    *,
    actor,
    organization: Organization,
    title: str,
    perspective: str = BusinessCasePerspective.CONSUMER,
    offering: ServiceOffering | None = None,
    discount_rate: Decimal = Decimal("0"),
    horizon_years: int = 5,
    budget: Decimal | None = None,
    owner=None,
    **questions: str,
) -> BusinessCase:
    """Start a business case for a consumer organization, as version 1 of a new lineage, in draft. The
    actor owns it unless someone else who looks after the account is named."""
    _require_may_change(actor, organization)
    if organization.kind != OrganizationKind.CONSUMER:
        raise ApplicationError.for_field(
            "organization",
            f"{organization.name} is a {organization.get_kind_display().lower()}; business cases are "
            "made for service consumers.",
        )
    case = BusinessCase(organization=organization, owner=actor if getattr(actor, "pk", None) else None)
    fields = {
        "title": title,
        "perspective": perspective,
        "offering": offering,
        "discount_rate": discount_rate,
        "horizon_years": horizon_years,
        "budget": budget,
        **questions,
    }
    if owner is not None:
        fields["owner"] = owner
    _apply_case_fields(case, fields)
    case._history_user = actor
    case.save()
    return case


@transaction.atomic
def business_case_update(*, actor, case: BusinessCase, **fields: Any) -> BusinessCase:
    """Change any of BUSINESS_CASE_FIELDS of a draft; unchanged input writes nothing. A shorter horizon
    is refused while a line runs past it."""
    case = _editable(actor, case)
    if _apply_case_fields(case, fields):
        case._history_user = actor
        case.save()
    return case


@transaction.atomic
def business_case_delete(*, actor, case: BusinessCase) -> None:
    """Remove a draft version with its lines (an abandoned new version, or a case that never went
    anywhere). Versions that were submitted or decided stay: they are the record."""
    case = _editable(actor, case)
    case._history_user = actor
    case.delete()


# --- versions -------------------------------------------------------------------------------------

COPIED_CASE_FIELDS = (
    "organization",
    "offering",
    "perspective",
    "title",
    *QUESTION_FIELDS,
    "budget",
    "discount_rate",
    "horizon_years",
    "lineage",
    "owner",
)


def _copies(model, source: BusinessCase, target: BusinessCase, fields: tuple[str, ...]) -> list:
    return [
        model(business_case=target, **{name: getattr(row, name) for name in fields})
        for row in model.objects.filter(business_case=source).order_by("pk")
    ]


@transaction.atomic
def business_case_new_version(*, actor, case: BusinessCase) -> BusinessCase:
    """Copy a version, with its cost and benefit lines, risks and assumptions, into the next version of
    its lineage, in draft: the way to rework a case once it was decided. Refused while the lineage
    still has an open (draft or submitted) version, which is the one to work on."""
    _require_may_change(actor, case.organization)
    versions = list(BusinessCase.objects.select_for_update().filter(lineage=case.lineage).order_by("version"))
    open_version = next((version for version in versions if version.status in OPEN_STATUSES), None)
    if open_version is not None:
        raise ApplicationError(
            f"Version {open_version.version} is still {open_version.get_status_display().lower()}: "
            "work on that one (or have it decided) before making another.",
            code="open_version",
            status=409,
        )
    source = next(version for version in versions if version.pk == case.pk)
    copy = BusinessCase(
        **{name: getattr(source, name) for name in COPIED_CASE_FIELDS},
        version=versions[-1].version + 1,
        previous_version=source,
        status=BusinessCaseStatus.DRAFT,
    )
    copy._history_user = actor
    copy.save()
    CostLine.objects.bulk_create(_copies(CostLine, source, copy, COST_LINE_FIELDS))
    BenefitLine.objects.bulk_create(_copies(BenefitLine, source, copy, BENEFIT_LINE_FIELDS))
    BusinessCaseRisk.objects.bulk_create(_copies(BusinessCaseRisk, source, copy, RISK_FIELDS))
    Assumption.objects.bulk_create(_copies(Assumption, source, copy, ASSUMPTION_FIELDS))
    return copy


# --- the decision ---------------------------------------------------------------------------------


def _require_benefits(case: BusinessCase, verb: str) -> None:
    if not BenefitLine.objects.filter(business_case=case).exists():
        raise ApplicationError.for_field(
            "benefit_lines",
            f"Add at least one benefit line before you {verb} the case: without an expected benefit "
            "there is nothing to approve, nor to review later.",
            code="no_benefits",
        )


def _require_status(case: BusinessCase, status: str, message: str) -> None:
    if case.status != status:
        raise ApplicationError(message, code="wrong_status", status=409)


@transaction.atomic
def business_case_submit(*, actor, case: BusinessCase) -> BusinessCase:
    """Put a draft forward for a decision. It needs at least one benefit line (it could never be
    approved without one). A submitted version no longer changes."""
    case = _editable(actor, case)
    _require_benefits(case, "submit")
    case.status = BusinessCaseStatus.SUBMITTED
    case.submitted_at = timezone.now()
    case._history_user = actor
    case.save()
    return case


@transaction.atomic
def business_case_withdraw(*, actor, case: BusinessCase) -> BusinessCase:
    """Take a submitted version back to draft, to rework it before anyone decides."""
    _require_may_change(actor, case.organization)
    case = _locked(case)
    _require_status(
        case,
        BusinessCaseStatus.SUBMITTED,
        f"Only a submitted version can be withdrawn; version {case.version} is "
        f"{case.get_status_display().lower()}.",
    )
    case.status = BusinessCaseStatus.DRAFT
    case.submitted_at = None
    case._history_user = actor
    case.save()
    return case


def _decision_note(note) -> str:
    if note is not None and not isinstance(note, str):
        raise ApplicationError.for_field("decision_note", "The decision note is text.")
    return (note or "").strip()


@transaction.atomic
def business_case_approve(*, actor, case: BusinessCase, decision_note: str = "") -> BusinessCase:
    """Approve a submitted version: it becomes the baseline of its lineage (the previous baseline loses
    the mark in the same transaction) and the approval is recorded as a journey event with the figures
    as approved. Needs at least one benefit line."""
    _require_may_change(actor, case.organization)
    note = _decision_note(decision_note)
    # Every version of the lineage is locked, so two approvals of the same case cannot both pass.
    versions = {
        version.pk: version
        for version in BusinessCase.objects.select_for_update(of=("self",))
        .select_related("organization")
        .filter(lineage=case.lineage)
        .order_by("version")
    }
    case = versions[case.pk]
    _require_status(
        case,
        BusinessCaseStatus.SUBMITTED,
        f"Only a submitted version can be approved; version {case.version} is "
        f"{case.get_status_display().lower()}."
        + (" Submit it first." if case.status == BusinessCaseStatus.DRAFT else ""),
    )
    _require_benefits(case, "approve")
    previous = next((version for version in versions.values() if version.is_baseline), None)
    if previous is not None:
        previous.is_baseline = False
        previous._history_user = actor
        previous.save(update_fields=["is_baseline", "updated_at"])
    case.status = BusinessCaseStatus.APPROVED
    case.approved_at = timezone.now()
    case.approved_by = actor if getattr(actor, "pk", None) else None
    case.decision_note = note
    case.is_baseline = True
    case._history_user = actor
    case.save()
    figures = case.figures()
    journey_event_record(
        event_type=OfferEventType.BUSINESS_CASE_APPROVED,
        organization=case.organization,
        actor=actor,
        payload={
            "business_case": case.pk,
            "lineage": str(case.lineage),
            "version": case.version,
            "title": case.title,
            "perspective": case.perspective,
            "offering": case.offering_id,
            "previous_baseline": previous.pk if previous else None,
            "total_cost_of_ownership": str(figures.total_cost_of_ownership),
            "total_benefits": str(figures.total_benefits),
            "net_present_value": str(figures.net_present_value),
            "return_on_investment": (
                str(figures.return_on_investment) if figures.return_on_investment is not None else None
            ),
            "payback_years": str(figures.payback_years) if figures.payback_years is not None else None,
            "risk_adjustment": str(figures.risk_adjustment),
            "is_positive": figures.is_positive,
        },
    )
    return case


@transaction.atomic
def business_case_reject(*, actor, case: BusinessCase, decision_note: str = "") -> BusinessCase:
    """Reject a submitted version, saying why (the next version has to answer it). A rejected version
    stays as it was; the baseline, if the lineage has one, stays the baseline."""
    _require_may_change(actor, case.organization)
    note = _decision_note(decision_note)
    case = _locked(case)
    _require_status(
        case,
        BusinessCaseStatus.SUBMITTED,
        f"Only a submitted version can be rejected; version {case.version} is "
        f"{case.get_status_display().lower()}.",
    )
    if not note:
        raise ApplicationError.for_field(
            "decision_note", "Say why the version is rejected, so that the next version can answer it."
        )
    case.status = BusinessCaseStatus.REJECTED
    case.decision_note = note
    case._history_user = actor
    case.save()
    return case


# --- cost and benefit lines -----------------------------------------------------------------------


def _check_cash_line(line, case: BusinessCase, errors: dict[str, list[str]]) -> None:
    """The rules every cost and benefit line keeps: a description, a recurrence that fits its years,
    years within the horizon, and an amount that is not negative."""
    line.description = _text(line.description)
    if not line.description:
        errors["description"] = ["Describe the line, e.g. “Licences for 40 users”."]
    if line.recurrence not in Recurrence.values:
        errors["recurrence"] = [
            "Choose one-off (one year) or recurring (every year from the first to the last)."
        ]
    year = _integer(line.year)
    if year is None or year < 0:
        errors["year"] = ["Give the year as a whole number: 0 is the start of the case, 1 the year after."]
    elif year > case.horizon_years:
        errors["year"] = [
            f"Year {year} lies beyond the case's horizon: it covers years 0 to {case.horizon_years}."
        ]
    else:
        line.year = year
    last_year = None if line.last_year in (None, "") else _integer(line.last_year)
    if line.recurrence == Recurrence.ONE_OFF:
        if last_year is not None and last_year != year:
            errors["last_year"] = ["A one-off line falls in one year; leave the last year empty."]
        line.last_year = None
    elif line.recurrence == Recurrence.RECURRING:
        if line.last_year in (None, ""):
            errors["last_year"] = ["Say up to which year the line recurs."]
        elif last_year is None:
            errors["last_year"] = ["Give the last year as a whole number."]
        elif year is not None and last_year < year:
            errors["last_year"] = [f"The last year ({last_year}) cannot come before the first ({year})."]
        elif last_year > case.horizon_years:
            errors["last_year"] = [
                f"Year {last_year} lies beyond the case's horizon: end the line in year "
                f"{case.horizon_years} at the latest, or lengthen the horizon."
            ]
        else:
            line.last_year = last_year
    amount = _decimal(line.amount)
    if amount is None:
        errors["amount"] = ["Give the amount as a number, e.g. 1200.00."]
    elif amount < 0:
        errors["amount"] = [
            "An amount cannot be negative: enter what it costs (or brings) as a positive amount."
        ]
    else:
        line.amount = amount


def _check_cost_line(line: CostLine, case: BusinessCase) -> None:
    errors: dict[str, list[str]] = {}
    _check_cash_line(line, case, errors)
    _choice(errors, "category", line.category, CostCategory, "a cost category")
    _choice(errors, "expense_type", line.expense_type, ExpenseType, "capital (capex) or operating (opex)")
    _fail(errors)
    _full_clean(line, exclude=("business_case",))


def _check_benefit_line(line: BenefitLine, case: BusinessCase) -> None:
    errors: dict[str, list[str]] = {}
    _check_cash_line(line, case, errors)
    _choice(errors, "benefit_type", line.benefit_type, BenefitType, "a type of benefit")
    line.indicator = _text(line.indicator)
    if not line.indicator:
        errors["indicator"] = [
            "Name the measurable indicator that will show the benefit was realized, e.g. "
            "“hours of downtime a month”."
        ]
    _fail(errors)
    _full_clean(line, exclude=("business_case",))


def _line_add(model, check, actor, case: BusinessCase, fields: dict[str, Any]):
    case = _editable(actor, case)
    line = model(business_case=case, **fields)
    check(line, case)
    line.save()
    _touch(case)
    return line


def _line_update(model, check, allowed, actor, line, fields: dict[str, Any]):
    _unknown(fields, allowed)
    case = _editable(actor, line.business_case)
    line = model.objects.select_for_update().get(pk=line.pk)
    if fields.get("recurrence") == Recurrence.ONE_OFF and "last_year" not in fields:
        fields["last_year"] = None  # switching to one-off drops the last year
    changed = [name for name, value in fields.items() if getattr(line, name) != value]
    if not changed:
        return line
    for name in changed:
        setattr(line, name, fields[name])
    check(line, case)
    line.save()
    _touch(case)
    return line


def _line_remove(actor, line) -> None:
    case = _editable(actor, line.business_case)
    type(line).objects.filter(pk=line.pk).delete()
    _touch(case)


@transaction.atomic
def cost_line_add(
    *,
    actor,
    case: BusinessCase,
    description: str,
    category: str,
    amount: Decimal,
    expense_type: str = ExpenseType.OPERATING,
    recurrence: str = Recurrence.ONE_OFF,
    year: int = 0,
    last_year: int | None = None,
) -> CostLine:
    """Add a cost: in one year (one-off) or every year from `year` to `last_year` (recurring)."""
    fields = {
        "description": description,
        "category": category,
        "expense_type": expense_type,
        "recurrence": recurrence,
        "year": year,
        "last_year": last_year,
        "amount": amount,
    }
    return _line_add(CostLine, _check_cost_line, actor, case, fields)


@transaction.atomic
def cost_line_update(*, actor, line: CostLine, **fields: Any) -> CostLine:
    """Change any of COST_LINE_FIELDS of a draft's cost line; unchanged input writes nothing."""
    return _line_update(CostLine, _check_cost_line, COST_LINE_FIELDS, actor, line, fields)


@transaction.atomic
def cost_line_remove(*, actor, line: CostLine) -> None:
    _line_remove(actor, line)


@transaction.atomic
def benefit_line_add(
    *,
    actor,
    case: BusinessCase,
    description: str,
    benefit_type: str,
    indicator: str,
    amount: Decimal,
    recurrence: str = Recurrence.ONE_OFF,
    year: int = 0,
    last_year: int | None = None,
) -> BenefitLine:
    """Add an expected benefit with its money value, its timing and the indicator that will prove it."""
    fields = {
        "description": description,
        "benefit_type": benefit_type,
        "indicator": indicator,
        "recurrence": recurrence,
        "year": year,
        "last_year": last_year,
        "amount": amount,
    }
    return _line_add(BenefitLine, _check_benefit_line, actor, case, fields)


@transaction.atomic
def benefit_line_update(*, actor, line: BenefitLine, **fields: Any) -> BenefitLine:
    """Change any of BENEFIT_LINE_FIELDS of a draft's benefit line; unchanged input writes nothing."""
    return _line_update(BenefitLine, _check_benefit_line, BENEFIT_LINE_FIELDS, actor, line, fields)


@transaction.atomic
def benefit_line_remove(*, actor, line: BenefitLine) -> None:
    _line_remove(actor, line)


# --- risks and assumptions ------------------------------------------------------------------------


def _check_risk(risk: BusinessCaseRisk, case: BusinessCase) -> None:
    errors: dict[str, list[str]] = {}
    risk.description = _text(risk.description)
    risk.mitigation = _text(risk.mitigation)
    if not risk.description:
        errors["description"] = ["Describe what could go wrong."]
    probability = _decimal(risk.probability)
    if probability is None or not 0 <= probability <= 1:
        shown = _percent(probability) if probability is not None else repr(risk.probability)
        errors["probability"] = [f"A probability lies between 0 % and 100 %; {shown} is outside that."]
    else:
        risk.probability = probability
    impact = _decimal(risk.impact)
    if impact is None:
        errors["impact"] = ["Give the impact as an amount: what it would cost if it happened."]
    elif impact < 0:
        errors["impact"] = ["The impact cannot be negative: enter what it would cost as a positive amount."]
    else:
        risk.impact = impact
    _fail(errors)
    _full_clean(risk, exclude=("business_case",))


def _check_assumption(assumption: Assumption, case: BusinessCase, errors: dict[str, list[str]]) -> None:
    """`errors` may hold the owner's problems already (see `_assumption_owner`)."""
    assumption.text = _text(assumption.text)
    if not assumption.text:
        errors["text"] = ["Write down what the case takes for granted."]
    _choice(errors, "confidence", assumption.confidence, Confidence, "how sure we are")
    if assumption.area and assumption.area not in UncertaintyArea.values:
        errors["area"] = [f"Choose an area of uncertainty: {', '.join(UncertaintyArea.values)}, or none."]
    assumption.area = assumption.area or ""
    _fail(errors)
    _full_clean(assumption, exclude=("business_case", "owner"))


def _assumption_owner(value, case: BusinessCase) -> tuple[Any, dict[str, list[str]]]:
    """Who keeps an eye on the assumption: someone who looks after the account, or nobody."""
    errors: dict[str, list[str]] = {}
    return _user_for(value, case.organization, errors, "owner"), errors


@transaction.atomic
def business_case_risk_add(
    *,
    actor,
    case: BusinessCase,
    description: str,
    probability: Decimal,
    impact: Decimal,
    mitigation: str = "",
) -> BusinessCaseRisk:
    """Add a risk: how likely it is (a fraction, 0.25 is 25 %) and what it would cost. Probability ×
    impact adds to the case's risk adjustment."""
    fields = {
        "description": description,
        "probability": probability,
        "impact": impact,
        "mitigation": mitigation,
    }
    return _line_add(BusinessCaseRisk, _check_risk, actor, case, fields)


@transaction.atomic
def business_case_risk_update(*, actor, risk: BusinessCaseRisk, **fields: Any) -> BusinessCaseRisk:
    return _line_update(BusinessCaseRisk, _check_risk, RISK_FIELDS, actor, risk, fields)


@transaction.atomic
def business_case_risk_remove(*, actor, risk: BusinessCaseRisk) -> None:
    _line_remove(actor, risk)


@transaction.atomic
def assumption_add(
    *,
    actor,
    case: BusinessCase,
    text: str,
    confidence: str = Confidence.MEDIUM,
    area: str = "",
    owner=None,
) -> Assumption:
    """Write down something the case takes for granted, how sure we are of it and who keeps an eye on it."""
    case = _editable(actor, case)
    chosen, errors = _assumption_owner(owner, case)
    assumption = Assumption(
        business_case=case, text=text, confidence=confidence, area=area or "", owner=chosen
    )
    _check_assumption(assumption, case, errors)
    assumption.save()
    _touch(case)
    return assumption


@transaction.atomic
def assumption_update(*, actor, assumption: Assumption, **fields: Any) -> Assumption:
    """Change any of ASSUMPTION_FIELDS of a draft's assumption; unchanged input writes nothing."""
    _unknown(fields, ASSUMPTION_FIELDS)
    case = _editable(actor, assumption.business_case)
    row = Assumption.objects.select_for_update().get(pk=assumption.pk)
    errors: dict[str, list[str]] = {}
    if "owner" in fields:
        fields["owner"], errors = _assumption_owner(fields["owner"], case)
    changed = [name for name, value in fields.items() if getattr(row, name) != value]
    if not changed and not errors:
        return row
    for name in changed:
        setattr(row, name, fields[name])
    _check_assumption(row, case, errors)
    row.save()
    _touch(case)
    return row


@transaction.atomic
def assumption_remove(*, actor, assumption: Assumption) -> None:
    _line_remove(actor, assumption)
