"""Writes of value reviews: planning one for an account (and one of its agreements), preparing it
from the approved business case and the agreement's targets, holding it, signing it off with the
customer sponsor, and the actions it leaves.

Who may write: whoever may see the account and manage accounts (its owner, its team's relationship
managers, administrators; integrators through the API). Outsiders get 404, read-only roles (analysts,
desk agents) 403. Every bad input raises ApplicationError naming its field, and nothing is saved.

The lifecycle is `REVIEW_TRANSITIONS`: planned → prepared → held → signed off, planned and prepared
may be cancelled, a held review may go back to prepared. Moving to prepared prepares it; signing off
needs the sponsor and the signed name (`review_sign_off`, not a plain move); a signed-off or cancelled
review no longer changes (409 `review_closed`) — except that the actions it left can still be ticked
off (or reopened) after the meeting, the one thing about a signed review that is meant to move on.

Preparing copies into the review what it compares, so a later change to the case or the targets does
not rewrite it:

- **Expected benefits** from the business case's benefit lines. Year 0 of a case starts on the
  agreement's start date when the review concerns an agreement that has one, else on the day the case
  was approved (site time zone); year n runs from that day n years later for one year. A recurring
  line's yearly amount is spread evenly over the days of each year it runs (366 in a year holding a
  29 February), and the review expects the share of the days the period covers. A one-off amount is
  expected in full in the period holding the first day of its year (so consecutive periods never
  count it twice). A line none of whose years touch the period is left out; a line of amount 0 that
  runs in the period is kept (a benefit valued at nothing can still be reviewed). The year 0 used is
  kept in `figures["case"]`.
- **Targets**: the agreement's active outcome and experience targets with their rule and baseline,
  and what their scores of the periods lying inside the review's period achieved: the values combined
  the way the target combines its measurements (average, minimum, maximum, sum, count, latest), and
  the worst status of those periods (breached before at risk before met); `figures["targets"]` keeps
  how many periods were met, at risk and breached.
- **Figures**: the account's monthly value snapshots (all steps) of the months the period touches,
  added up in one database aggregate — invitations, answers, promoters, detractors, CSAT and CES
  counts and sums, touchpoints and sentiment, SLA targets measured and met — and the NPS, CSAT (% and
  mean), CES, response rate, SLA compliance and mean sentiment worked out from those sums; with the
  health score of the last month that has one.

Preparing again (while prepared) refreshes all of it and keeps the realized values and comments
already entered on lines that come from the same benefit line or target.

Signing off records who signed, when and what they added, and the journey event
`value_review.signed_off`. A review of an agreed or active agreement is then also recorded as a
review of that agreement (agreements.services.agreement_review_record), which plans the agreement's
next review at the day held plus its review cadence; the value review's own next review date takes
that date when none was given. (The agreements app has no write that sets the agreement's next
review to any other day, so a different date given on the value review stays on the value review.)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, Max, Min, Q, Sum
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from agreements.models import (
    Aggregation,
    Agreement,
    AgreementStatus,
    Comparator,
    ComplianceStatus,
    ReviewCadence,
    ReviewOutcome,
    ServiceLevelTarget,
    TargetKind,
    TargetScore,
)
from agreements.services import add_months, agreement_review_record
from journeys import roles
from journeys.base import ApplicationError
from journeys.events import journey_event_record
from journeys.models import Organization, Stakeholder
from journeys.selectors import organization_is_visible
from offerings.models import BenefitLine, BusinessCase, BusinessCaseStatus, Recurrence
from realization.models import (
    ANALYSIS_QUESTIONS,
    REVIEW_TRANSITIONS,
    RealizeEventType,
    ReviewAction,
    ReviewActionStatus,
    ReviewBenefit,
    ReviewTarget,
    SnapshotLevel,
    ValueReview,
    ValueReviewStatus,
    ValueSnapshot,
)
from realization.selectors.reviews import review_default_case
from realization.services.activity import site_zone

__all__ = [
    "ANALYSIS_KEYS",
    "DEFAULT",
    "REVIEW_ACTION_FIELDS",
    "REVIEW_EDITABLE_FIELDS",
    "REVIEW_PERIOD_MONTHS",
    "benefit_expected_in_period",
    "case_year_zero",
    "review_action_add",
    "review_action_update",
    "review_cancel",
    "review_lines_update",
    "review_period_default",
    "review_plan",
    "review_prepare",
    "review_sign_off",
    "review_transition",
    "review_update",
]


class _Default:
    """Marks an argument left out (as opposed to given as None: "no business case")."""

    def __repr__(self) -> str:
        return "DEFAULT"


DEFAULT: Any = _Default()

WRITE_REFUSED = "Your role may read value reviews but not plan or change them."
TEXT_LIMIT = 10_000
ANALYSIS_KEYS = tuple(key for key, _question in ANALYSIS_QUESTIONS)
# A review without an agreement, or of an agreement reviewed on demand, looks back a quarter.
REVIEW_PERIOD_MONTHS = 3
# What review_update may change; the status moves with review_transition / review_sign_off.
REVIEW_EDITABLE_FIELDS = (
    "title",
    "agreement",
    "business_case",
    "period_start",
    "period_end",
    "scheduled_on",
    "held_on",
    "sponsor",
    "owner",
    "participants",
    "analysis",
    "comments",
    "decisions",
    "next_review_on",
    "external_id",
)
# Changing one of these changes what the review compares: its lines are prepared again.
SUBJECT_FIELDS = ("agreement", "business_case", "period_start", "period_end")
REVIEW_ACTION_FIELDS = ("description", "owner", "due_on", "status")
TARGET_STATUSES = (ComplianceStatus.MET, ComplianceStatus.AT_RISK, ComplianceStatus.BREACHED)
REVIEWABLE_AGREEMENTS = (
    AgreementStatus.AGREED,
    AgreementStatus.ACTIVE,
    AgreementStatus.EXPIRED,
    AgreementStatus.TERMINATED,
)
LIVE_AGREEMENTS = (AgreementStatus.AGREED, AgreementStatus.ACTIVE)
CENT = Decimal("0.01")
MONEY_LIMIT = Decimal("1e12")  # the lines' columns hold 12 digits before the point


# --- checks -----------------------------------------------------------------------------------------


def _require_may_write(actor, organization: Organization) -> None:
    """404 for an outsider (they learn nothing), 403 for a role that may only read."""
    if not organization_is_visible(actor, organization):
        raise Http404("Not found.")
    if not roles.may_manage_accounts(actor):
        raise PermissionDenied(WRITE_REFUSED)


def _fail(errors: Mapping[str, list[str]]) -> None:
    if errors:
        raise ApplicationError(next(iter(errors.values()))[0], fields=dict(errors))


def _require_open(review: ValueReview) -> None:
    if review.status == ValueReviewStatus.SIGNED_OFF:
        signed = timezone.localtime(review.signed_off_at).date() if review.signed_off_at else None
        message = (
            f"“{review.title}” was signed off"
            f"{' on ' + _day(signed) if signed else ''} by {review.signed_off_by_name}: it no longer changes."
        )
    elif review.status == ValueReviewStatus.CANCELLED:
        message = f"“{review.title}” was cancelled: it no longer changes. Plan a new review instead."
    else:
        return
    raise ApplicationError(message, code="review_closed", fields={"status": [message]}, status=409)


def _day(value: date) -> str:
    return f"{value.day} {value:%b %Y}"


def _text(errors: dict, name: str, value, *, limit: int = TEXT_LIMIT, required: str = "") -> str:
    """The text stripped; an error on `name` when it is not text, too long, or empty but required."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        errors[name] = ["Give this as text."]
        return ""
    value = value.strip()
    if required and not value:
        errors[name] = [required]
    elif len(value) > limit:
        errors[name] = [f"Keep it to {limit:,} characters."]
    return value


def _date(errors: dict, name: str, value, *, required: str = "") -> date | None:
    if value is None or value == "":
        if required:
            errors[name] = [required]
        return None
    if isinstance(value, datetime) or not isinstance(value, date):
        errors[name] = ["Give a day, e.g. 2026-09-30."]
        return None
    return value


def _amount(errors: dict, name: str, value) -> Decimal | None:
    """A money amount to the cent, or None (not known); an error naming `name` otherwise."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        errors[name] = ["Give the amount as a number with at most two decimals, e.g. 1250.50."]
        return None
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        errors[name] = ["Give the amount as a number with at most two decimals, e.g. 1250.50."]
        return None
    if not amount.is_finite() or abs(amount) >= MONEY_LIMIT:
        errors[name] = ["Give an amount below a million millions."]
        return None
    if amount != amount.quantize(CENT):
        errors[name] = ["Give at most two decimals (cents)."]
        return None
    return amount.quantize(CENT)


def _value(errors: dict, name: str, value) -> Decimal | None:
    """A target's achieved value (four decimals), or None."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        errors[name] = ["Give the value as a number, e.g. 97.5."]
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        errors[name] = ["Give the value as a number, e.g. 97.5."]
        return None
    if not number.is_finite() or abs(number) >= Decimal("1e12"):
        errors[name] = ["Give a value below a million millions."]
        return None
    if number != number.quantize(Decimal("0.0001")):
        errors[name] = ["Give at most four decimals."]
        return None
    return number


def _check_agreement(errors: dict, agreement, organization: Organization) -> None:
    if agreement is None:
        return
    if not isinstance(agreement, Agreement) or agreement.organization_id != organization.pk:
        errors["agreement"] = ["This agreement belongs to another organization."]
    elif agreement.status not in REVIEWABLE_AGREEMENTS:
        errors["agreement"] = [
            f"“{agreement.title}” is {agreement.get_status_display().lower()}: a value review looks at an "
            "agreement once it has been agreed."
        ]


def _check_case(errors: dict, case, organization: Organization) -> None:
    if case is None:
        return
    if not isinstance(case, BusinessCase) or case.organization_id != organization.pk:
        errors["business_case"] = ["This business case belongs to another organization."]
    elif case.status != BusinessCaseStatus.APPROVED or not case.is_baseline:
        state = "approved, but a later version is the baseline" if case.status == "approved" else case.status
        errors["business_case"] = [
            f"“{case}” is {state}: a review compares with the approved baseline of a case."
        ]


def _check_sponsor(errors: dict, sponsor, organization: Organization, *, name: str = "sponsor") -> None:
    if sponsor is None:
        return
    if not isinstance(sponsor, Stakeholder) or sponsor.organization_id != organization.pk:
        errors[name] = ["This person belongs to another organization."]
    elif not sponsor.is_sponsor:
        errors[name] = [
            f"{sponsor.name} is not a sponsor of {organization.name}: the sign-off is the sponsor's. "
            "Mark them as sponsor among the account's people first, or choose its sponsor."
        ]
    elif not sponsor.is_active:
        errors[name] = [f"{sponsor.name} is no longer active at {organization.name}."]


def _check_colleague(errors: dict, name: str, user) -> None:
    if user is None:
        return
    if not isinstance(user, get_user_model()) or not user.is_active:
        errors[name] = ["Choose an active DSV user."]
    elif not roles.may_log_touchpoints(user) or roles.roles_of(user) == {roles.Role.INTEGRATOR}:
        errors[name] = [f"{user.get_username()} has no role that works with accounts."]


def _check_dates(errors: dict, review: ValueReview, today: date) -> None:
    start, end = review.period_start, review.period_end
    if "period_start" not in errors and "period_end" not in errors and start and end:
        if end < start:
            errors["period_end"] = ["The period cannot end before it starts."]
        elif (end - start).days > 3 * 366:
            errors["period_end"] = ["Review at most three years at a time."]
    if "scheduled_on" not in errors and review.scheduled_on and start and review.scheduled_on < start:
        errors["scheduled_on"] = ["A review cannot be held before the period it looks at has begun."]
    if "held_on" not in errors and review.held_on:
        if review.held_on > today:
            errors["held_on"] = ["A review is held on a day that has come: the date cannot be in the future."]
        elif start and review.held_on < start:
            errors["held_on"] = ["A review cannot be held before the period it looks at has begun."]
    if "next_review_on" not in errors and review.next_review_on:
        after = review.held_on or review.scheduled_on
        if after and review.next_review_on <= after:
            errors["next_review_on"] = [f"Plan the next review after this one ({_day(after)})."]


def _check_external_id(errors: dict, review: ValueReview) -> None:
    if review.external_id and (
        ValueReview.objects.filter(external_id=review.external_id).exclude(pk=review.pk).exists()
    ):
        errors["external_id"] = ["This external id is already in use."]


def _save(instance) -> None:
    try:
        instance.save()
    except IntegrityError as error:
        message = str(error).lower()
        if "external_id" in message:
            raise ApplicationError.for_field(
                "external_id", "This external id is already in use.", code="duplicate", status=409
            ) from None
        raise ApplicationError(f"The record breaks a data rule: {error}", code="constraint") from None


# --- periods and the business case's years -----------------------------------------------------------


def review_period_default(*, agreement: Agreement | None, scheduled_on: date) -> tuple[date, date]:
    """The period a review held on `scheduled_on` looks back on: the whole calendar months of the
    agreement's review cadence (a quarter without an agreement or for reviews on demand) that end
    before the review's month, starting no earlier than the agreement."""
    months = None
    if agreement is not None:
        months = ReviewCadence(agreement.review_cadence).months
    months = months or REVIEW_PERIOD_MONTHS
    first_of_month = scheduled_on.replace(day=1)
    end = first_of_month - timedelta(days=1)
    start = add_months(first_of_month, -months)
    if agreement is not None and agreement.starts_on and start < agreement.starts_on <= end:
        start = agreement.starts_on
    return start, end


def case_year_zero(*, case: BusinessCase, agreement: Agreement | None) -> tuple[date | None, str]:
    """The first day of year 0 of the case, and what it was taken from: the agreement's start (when
    the review concerns an agreement with a start date), else the day the case was approved."""
    if agreement is not None and agreement.starts_on:
        return agreement.starts_on, "agreement_start"
    if case.approved_at:
        return case.approved_at.astimezone(site_zone()).date(), "case_approval"
    return None, ""


def benefit_expected_in_period(
    line: BenefitLine, *, year_zero: date, period_start: date, period_end: date
) -> Decimal | None:
    """What a benefit line expects in the period (to the cent), or None when none of its years
    touches the period (see the module's docstring for the rule)."""
    last_year = line.year if line.recurrence == Recurrence.ONE_OFF else (line.last_year or line.year)
    total = Decimal(0)
    counts = False
    for year in range(line.year, last_year + 1):
        year_start = add_months(year_zero, 12 * year)
        next_start = add_months(year_zero, 12 * (year + 1))
        year_end = next_start - timedelta(days=1)
        if year_end < period_start or year_start > period_end:
            continue
        if line.recurrence == Recurrence.ONE_OFF:
            if period_start <= year_start <= period_end:
                counts = True
                total += line.amount
            continue
        counts = True
        covered = (min(period_end, year_end) - max(period_start, year_start)).days + 1
        total += line.amount * covered / (next_start - year_start).days
    if not counts:
        return None
    return total.quantize(CENT, rounding=ROUND_HALF_UP)


# --- planning -------------------------------------------------------------------------------------


def _default_case(organization: Organization, agreement: Agreement | None) -> BusinessCase | None:
    return review_default_case(organization=organization, agreement=agreement)


def _default_sponsor(organization: Organization, agreement: Agreement | None) -> Stakeholder | None:
    """The agreement's customer contact when they are a sponsor, else the account's most influential
    active sponsor."""
    contact = agreement.customer_contact if agreement is not None else None
    if contact is not None and contact.is_sponsor and contact.is_active:
        return contact
    return (
        Stakeholder.objects.filter(organization=organization, is_sponsor=True, is_active=True)
        .order_by("-influence", "name", "pk")
        .first()
    )


def _default_title(organization: Organization, agreement: Agreement | None, start: date, end: date) -> str:
    subject = agreement.title if agreement is not None else organization.name
    span = (
        f"{start:%b %Y}"
        if (start.year, start.month) == (end.year, end.month)
        else (f"{start:%b}–{end:%b %Y}" if start.year == end.year else f"{start:%b %Y}–{end:%b %Y}")
    )
    return f"Value review {span}: {subject}"[:200]


@transaction.atomic
def review_plan(
    *,
    actor,
    organization: Organization,
    agreement: Agreement | None = None,
    business_case: BusinessCase | None = DEFAULT,
    title: str = "",
    period_start: date | None = None,
    period_end: date | None = None,
    scheduled_on: date | None = None,
    sponsor: Stakeholder | None = DEFAULT,
    owner=DEFAULT,
    participants: str = "",
    external_id: str = "",
    today: date | None = None,
) -> ValueReview:
    """Plan a review of the account (and one of its agreements). Left out, the business case is the
    account's approved baseline (the one about the agreement's offerings first), the day is the
    agreement's next review date (else today), the period the whole months of the agreement's review
    cadence before that day (a quarter without one), the sponsor the agreement's customer contact when
    a sponsor (else the account's most influential sponsor), the owner the one who plans it."""
    _require_may_write(actor, organization)
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    _check_agreement(errors, agreement, organization)
    if errors:
        _fail(errors)
    if business_case is DEFAULT:
        business_case = _default_case(organization, agreement)
    if sponsor is DEFAULT:
        sponsor = _default_sponsor(organization, agreement)
    if owner is DEFAULT:
        owner = actor if roles.may_log_touchpoints(actor) and getattr(actor, "pk", None) else None
    scheduled_on = _date(errors, "scheduled_on", scheduled_on)
    period_start = _date(errors, "period_start", period_start)
    period_end = _date(errors, "period_end", period_end)
    if scheduled_on is None and "scheduled_on" not in errors:
        scheduled_on = (agreement.next_review_on if agreement is not None else None) or today
    if scheduled_on is not None and not errors:
        default_start, default_end = review_period_default(agreement=agreement, scheduled_on=scheduled_on)
        if period_start is None and period_end is None:
            period_start, period_end = default_start, default_end
        elif period_start is None:
            errors["period_start"] = ["Give the first day of the period as well."]
        elif period_end is None:
            errors["period_end"] = ["Give the last day of the period as well."]
    title = _text(errors, "title", title, limit=200)
    participants = _text(errors, "participants", participants)
    external_id = _text(errors, "external_id", external_id, limit=100)
    _check_case(errors, business_case, organization)
    _check_sponsor(errors, sponsor, organization)
    _check_colleague(errors, "owner", owner)
    review = ValueReview(
        organization=organization,
        agreement=agreement,
        business_case=business_case,
        title=title,
        period_start=period_start,
        period_end=period_end,
        scheduled_on=scheduled_on,
        status=ValueReviewStatus.PLANNED,
        owner=owner,
        sponsor=sponsor,
        participants=participants,
        external_id=external_id,
    )
    _check_dates(errors, review, today)
    _check_external_id(errors, review)
    _fail(errors)
    if not review.title:
        review.title = _default_title(organization, agreement, period_start, period_end)
    _save(review)
    return review


# --- preparing ------------------------------------------------------------------------------------


def _ratio(numerator: int, denominator: int, places: str, scale: int = 1) -> str | None:
    if not denominator:
        return None
    return str((Decimal(numerator * scale) / denominator).quantize(Decimal(places), rounding=ROUND_HALF_UP))


SNAPSHOT_COUNTS = (
    "invitations",
    "responses",
    "nps_responses",
    "promoters",
    "detractors",
    "csat_responses",
    "csat_satisfied",
    "csat_sum",
    "ces_responses",
    "ces_sum",
    "touchpoints",
    "sentiment_sum",
    "sla_measured",
    "sla_met",
    "experience_missed",
)


def _period_figures(review: ValueReview) -> dict[str, Any]:
    """The experience and SLA figures of the review's period from the account's monthly snapshots
    (all steps), added up in the database; and the health of the last month that has one."""
    snapshots = ValueSnapshot.objects.filter(
        level=SnapshotLevel.ACCOUNT,
        organization_id=review.organization_id,
        step="",
        month__gte=review.period_start.replace(day=1),
        month__lte=review.period_end,
    )
    sums = snapshots.order_by().aggregate(
        months=Count("id"), **{name: Coalesce(Sum(name), 0) for name in SNAPSHOT_COUNTS}
    )
    figures: dict[str, Any] = {name: sums[name] for name in ("months", *SNAPSHOT_COUNTS)}
    figures.update(
        nps=_ratio(sums["promoters"] - sums["detractors"], sums["nps_responses"], "0.1", 100),
        csat_pct=_ratio(sums["csat_satisfied"], sums["csat_responses"], "0.1", 100),
        csat_mean=_ratio(sums["csat_sum"], sums["csat_responses"], "0.01"),
        ces_mean=_ratio(sums["ces_sum"], sums["ces_responses"], "0.01"),
        response_rate=_ratio(sums["responses"], sums["invitations"], "0.1", 100),
        sla_compliance=_ratio(sums["sla_met"], sums["sla_measured"], "0.1", 100),
        sentiment_avg=_ratio(sums["sentiment_sum"], sums["touchpoints"], "0.01"),
    )
    latest = (
        snapshots.filter(health_score__isnull=False)
        .order_by("-month")
        .values("month", "health_score", "health_band", "is_watermelon")
        .first()
    )
    figures["health"] = (
        {
            "month": latest["month"].isoformat(),
            "score": str(latest["health_score"]),
            "band": latest["health_band"],
            "is_watermelon": latest["is_watermelon"],
        }
        if latest
        else None
    )
    return figures


def _combined(aggregation: str, row: dict, latest: Decimal | None) -> Decimal | None:
    value = {
        Aggregation.AVERAGE: row["average"],
        Aggregation.MINIMUM: row["lowest"],
        Aggregation.MAXIMUM: row["highest"],
        Aggregation.SUM: row["total"],
        Aggregation.COUNT: row["total"],
        Aggregation.LATEST: latest,
    }.get(aggregation, row["average"])
    if value is None:
        return None
    return Decimal(value).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def _target_lines(
    review: ValueReview, kept: dict[tuple[str, int], tuple]
) -> tuple[list[ReviewTarget], dict[str, dict]]:
    """The agreement's active outcome and experience targets, each with what its scores of the
    periods inside the review's period achieved."""
    if review.agreement_id is None:
        return [], {}
    targets = list(
        ServiceLevelTarget.objects.filter(
            agreement_id=review.agreement_id,
            is_active=True,
            kind__in=(TargetKind.OUTCOME, TargetKind.EXPERIENCE),
        ).order_by("-kind", "position", "pk")  # outcome targets before experience ones
    )
    if not targets:
        return [], {}
    scores = TargetScore.objects.filter(
        target__in=[target.pk for target in targets],
        period_start__gte=review.period_start,
        period_end__lte=review.period_end,
    )
    rows = {
        row["target_id"]: row
        for row in scores.order_by()
        .values("target_id")
        .annotate(
            periods=Count("id", filter=~Q(status=ComplianceStatus.NO_DATA)),
            met=Count("id", filter=Q(status=ComplianceStatus.MET)),
            at_risk=Count("id", filter=Q(status=ComplianceStatus.AT_RISK)),
            breached=Count("id", filter=Q(status=ComplianceStatus.BREACHED)),
            average=Avg("achieved_value"),
            lowest=Min("achieved_value"),
            highest=Max("achieved_value"),
            total=Sum("achieved_value"),
            last_start=Max("period_start", filter=Q(achieved_value__isnull=False)),
        )
    }
    # A target read as its latest measurement takes the value of its last period that has one.
    latest_of = [
        target.pk
        for target in targets
        if target.aggregation == Aggregation.LATEST and rows.get(target.pk, {}).get("last_start") is not None
    ]
    latest: dict[int, Decimal] = {}
    if latest_of:
        last_periods = Q()
        for target_id in latest_of:
            last_periods |= Q(target_id=target_id, period_start=rows[target_id]["last_start"])
        latest = dict(scores.filter(last_periods).values_list("target_id", "achieved_value"))
    lines, detail = [], {}
    for position, target in enumerate(targets):
        row = rows.get(target.pk)
        achieved, status = None, ""
        if row is not None:
            achieved = _combined(target.aggregation, row, latest.get(target.pk))
            status = (
                ComplianceStatus.BREACHED
                if row["breached"]
                else ComplianceStatus.AT_RISK
                if row["at_risk"]
                else ComplianceStatus.MET
                if row["met"]
                else ""
            )
            detail[str(target.pk)] = {
                "periods": row["periods"],
                "met": row["met"],
                "at_risk": row["at_risk"],
                "breached": row["breached"],
                "aggregation": target.aggregation,
            }
        comment = ""
        previous = kept.get(("target", target.pk))
        if previous is not None:
            # A value entered by hand where the scores have none stays; new scores replace it.
            if achieved is None and previous[0] is not None:
                achieved, status = previous[0], previous[1]
            comment = previous[2]
        lines.append(
            ReviewTarget(
                review=review,
                target=target,
                name=target.name,
                kind=target.kind,
                comparator=target.comparator,
                target_value=target.target_value,
                unit=target.unit,
                baseline=target.baseline,
                achieved=achieved,
                status=status,
                comment=comment,
                position=position,
            )
        )
    return lines, detail


def _benefit_lines(
    review: ValueReview, kept: dict[tuple[str, int], tuple]
) -> tuple[list[ReviewBenefit], dict[str, Any] | None]:
    case = review.business_case
    if case is None:
        return [], None
    year_zero, basis = case_year_zero(case=case, agreement=review.agreement)
    about = {
        "id": case.pk,
        "title": case.title,
        "version": case.version,
        "year_zero": year_zero.isoformat() if year_zero else None,
        "year_zero_basis": basis,
    }
    if year_zero is None:
        return [], about
    lines = []
    for line in BenefitLine.objects.filter(business_case=case).order_by("year", "pk"):
        expected = benefit_expected_in_period(
            line, year_zero=year_zero, period_start=review.period_start, period_end=review.period_end
        )
        if expected is None:
            continue
        realized, comment = None, ""
        previous = kept.get(("benefit", line.pk))
        if previous is not None:
            realized, comment = previous[0], previous[2]
        lines.append(
            ReviewBenefit(
                review=review,
                benefit_line=line,
                description=line.description,
                benefit_type=line.benefit_type,
                indicator=line.indicator,
                expected=expected,
                realized=realized,
                comment=comment,
                position=len(lines),
            )
        )
    return lines, about


def _prepare(review: ValueReview, *, now: datetime) -> None:
    """(Re)build the review's lines and figures for its period, keeping what was entered on lines that
    come from the same source."""
    kept: dict[tuple[str, int], tuple] = {}
    for source, realized, comment in review.benefits.filter(benefit_line__isnull=False).values_list(
        "benefit_line_id", "realized", "comment"
    ):
        kept[("benefit", source)] = (realized, "", comment)
    for source, achieved, status, comment in review.targets.filter(target__isnull=False).values_list(
        "target_id", "achieved", "status", "comment"
    ):
        kept[("target", source)] = (achieved, status, comment)
    benefits, case = _benefit_lines(review, kept)
    targets, target_detail = _target_lines(review, kept)
    review.benefits.all().delete()
    review.targets.all().delete()
    ReviewBenefit.objects.bulk_create(benefits)
    ReviewTarget.objects.bulk_create(targets)
    figures = _period_figures(review)
    figures["case"] = case
    figures["targets"] = target_detail
    figures["prepared_at"] = now.isoformat()
    review.figures = figures


def _locked(review: ValueReview) -> ValueReview:
    return (
        ValueReview.objects.select_for_update(of=("self",))
        .select_related("organization", "agreement", "business_case", "sponsor")
        .get(pk=review.pk)
    )


@transaction.atomic
def review_prepare(*, actor, review: ValueReview, now: datetime | None = None) -> ValueReview:
    """Copy the expected benefits, the targets and the period's figures into a planned review and
    move it to prepared; on a prepared review, refresh them (what was entered on the lines is kept)."""
    current = _locked(review)
    _require_may_write(actor, current.organization)
    _require_open(current)
    if current.status not in (ValueReviewStatus.PLANNED, ValueReviewStatus.PREPARED):
        message = (
            f"A review that is {current.get_status_display().lower()} is not prepared again; move it back "
            "to prepared first."
        )
        raise ApplicationError(
            message, code="transition_not_allowed", fields={"to_status": [message]}, status=409
        )
    _prepare(current, now=now or timezone.now())
    current.status = ValueReviewStatus.PREPARED
    _save(current)
    return current


# --- editing --------------------------------------------------------------------------------------


def _analysis(errors: dict, current: dict, value) -> dict:
    """The answers merged into the current ones (an empty answer removes it)."""
    if not isinstance(value, Mapping):
        errors["analysis"] = ["Give the answers by question: " + ", ".join(ANALYSIS_KEYS) + "."]
        return current
    merged = dict(current)
    for key, answer in value.items():
        if key not in ANALYSIS_KEYS:
            errors[f"analysis.{key}"] = [
                f"“{key}” is not a question of the review; use one of {', '.join(ANALYSIS_KEYS)}."
            ]
            continue
        text = _text(errors, f"analysis.{key}", answer)
        if text:
            merged[key] = text
        else:
            merged.pop(key, None)
    return {key: merged[key] for key in ANALYSIS_KEYS if key in merged}


@transaction.atomic
def review_update(*, actor, review: ValueReview, today: date | None = None, **fields: Any) -> ValueReview:
    """Change any of REVIEW_EDITABLE_FIELDS of a review not signed off or cancelled. `analysis` merges
    answers by question key (an empty answer removes one). Changing the agreement, business case or
    period of a prepared review prepares it again; of a held one it is refused (move it back first)."""
    current = _locked(review)
    _require_may_write(actor, current.organization)
    _require_open(current)
    unknown = sorted(set(fields) - set(REVIEW_EDITABLE_FIELDS))
    if "status" in unknown:
        _fail(
            {"status": ["Move the review with a transition, or sign it off, rather than editing its status."]}
        )
    _fail({name: ["This field cannot be changed here."] for name in unknown})
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    values = dict(fields)
    for name in ("title", "participants", "comments", "decisions", "external_id"):
        if name in values:
            values[name] = _text(
                errors,
                name,
                values[name],
                limit=200 if name == "title" else 100 if name == "external_id" else TEXT_LIMIT,
                required="Give the review a title." if name == "title" else "",
            )
    for name in ("period_start", "period_end", "scheduled_on"):
        if name in values:
            values[name] = _date(errors, name, values[name], required="Give a day, e.g. 2026-09-30.")
    for name in ("held_on", "next_review_on"):
        if name in values:
            values[name] = _date(errors, name, values[name])
    if "analysis" in values:
        values["analysis"] = _analysis(errors, current.analysis or {}, values["analysis"])
    changed = [
        name for name, value in values.items() if name not in errors and getattr(current, name) != value
    ]
    subject_changed = [name for name in changed if name in SUBJECT_FIELDS]
    if subject_changed and current.status == ValueReviewStatus.HELD:
        for name in subject_changed:
            errors[name] = ["The review has been held: move it back to prepared to change what it looks at."]
    for name in changed:
        if name not in errors:
            setattr(current, name, values[name])
    if "agreement" in changed:
        _check_agreement(errors, current.agreement, current.organization)
    if "business_case" in changed:
        _check_case(errors, current.business_case, current.organization)
    if "sponsor" in changed:
        _check_sponsor(errors, current.sponsor, current.organization)
    if "owner" in changed:
        _check_colleague(errors, "owner", current.owner)
    if any(
        name in changed
        for name in ("period_start", "period_end", "scheduled_on", "held_on", "next_review_on")
    ):
        _check_dates(errors, current, today)
    if "external_id" in changed:
        _check_external_id(errors, current)
    _fail(errors)
    if not changed:
        return current
    if subject_changed and current.status == ValueReviewStatus.PREPARED:
        _prepare(current, now=timezone.now())
    _save(current)
    return current


def _line_rows(errors: dict, name: str, rows, known: dict[int, Any]) -> list[tuple[int, Any, dict]]:
    """The submitted lines as (index, line, row); errors keyed `<name>.<index>.<field>`."""
    if rows is None:
        return []
    if isinstance(rows, str | bytes | Mapping) or not isinstance(rows, Iterable):
        errors[name] = ["Give a list of lines, each with its id."]
        return []
    found = []
    seen: set[int] = set()
    for index, row in enumerate(rows):
        key = f"{name}.{index}"
        if not isinstance(row, Mapping):
            errors[key] = ["Give each line as an object with its id."]
            continue
        line_id = row.get("id")
        if isinstance(line_id, bool) or not isinstance(line_id, int) or line_id not in known:
            errors[f"{key}.id"] = [f"The review has no {name[:-1]} line with the id {line_id}."]
            continue
        if line_id in seen:
            errors[f"{key}.id"] = ["This line is given twice."]
            continue
        seen.add(line_id)
        found.append((index, known[line_id], row))
    return found


@transaction.atomic
def review_lines_update(
    *,
    actor,
    review: ValueReview,
    benefits: Iterable[Mapping] | None = None,
    targets: Iterable[Mapping] | None = None,
) -> ValueReview:
    """Enter what was realized: per benefit line `realized` (an amount, or null for not known) and
    `comment`; per target line `achieved`, `status` (met, at_risk, breached or empty; when left out
    and `achieved` changes, it follows the target's rule: met or breached) and `comment`. Each line is
    named by its `id`; fields left out stay as they are. Errors name `benefits.<index>.<field>`, as
    the API names a field of a list's item."""
    current = _locked(review)
    _require_may_write(actor, current.organization)
    _require_open(current)
    errors: dict[str, list[str]] = {}
    benefit_rows = _line_rows(
        errors, "benefits", benefits, {line.pk: line for line in current.benefits.all()}
    )
    target_rows = _line_rows(errors, "targets", targets, {line.pk: line for line in current.targets.all()})
    if current.status == ValueReviewStatus.PLANNED and (benefit_rows or target_rows):
        errors["status"] = ["Prepare the review before entering what was realized."]
    changed_benefits, changed_targets = [], []
    for index, line, row in benefit_rows:
        key = f"benefits.{index}"
        unknown = sorted(set(row) - {"id", "realized", "comment"})
        for name in unknown:
            errors[f"{key}.{name}"] = ["Unknown field."]
        before = (line.realized, line.comment)
        if "realized" in row:
            line.realized = _amount(errors, f"{key}.realized", row["realized"])
        if "comment" in row:
            line.comment = _text(errors, f"{key}.comment", row["comment"])
        if (line.realized, line.comment) != before:
            changed_benefits.append(line)
    for index, line, row in target_rows:
        key = f"targets.{index}"
        unknown = sorted(set(row) - {"id", "achieved", "status", "comment"})
        for name in unknown:
            errors[f"{key}.{name}"] = ["Unknown field."]
        before = (line.achieved, line.status, line.comment)
        if "achieved" in row:
            line.achieved = _value(errors, f"{key}.achieved", row["achieved"])
        if "status" in row:
            status = row["status"] if row["status"] is not None else ""
            if status not in ("", *TARGET_STATUSES):
                errors[f"{key}.status"] = [
                    f"“{status}” is not a target status; use met, at_risk, breached or leave it empty."
                ]
            else:
                line.status = status
        elif "achieved" in row and line.achieved != before[0]:
            if line.achieved is None:
                line.status = ""
            elif line.comparator in Comparator.values:
                held = Comparator(line.comparator).holds(line.achieved, line.target_value)
                line.status = ComplianceStatus.MET if held else ComplianceStatus.BREACHED
        if "comment" in row:
            line.comment = _text(errors, f"{key}.comment", row["comment"])
        if (line.achieved, line.status, line.comment) != before:
            changed_targets.append(line)
    _fail(errors)
    now = timezone.now()
    for line in changed_benefits:
        line.updated_at = now
    for line in changed_targets:
        line.updated_at = now
    if changed_benefits:
        ReviewBenefit.objects.bulk_update(changed_benefits, ["realized", "comment", "updated_at"])
    if changed_targets:
        ReviewTarget.objects.bulk_update(changed_targets, ["achieved", "status", "comment", "updated_at"])
    if changed_benefits or changed_targets:
        # The lines are part of the review: its change mark moves for incremental sync.
        current.save(update_fields=["updated_at"])
    return current


# --- actions ---------------------------------------------------------------------------------------


@transaction.atomic
def review_action_add(
    *, actor, review: ValueReview, description: str, owner=None, due_on: date | None = None
) -> ReviewAction:
    """An action the review decided, with who follows it up and by when."""
    current = _locked(review)
    _require_may_write(actor, current.organization)
    _require_open(current)
    errors: dict[str, list[str]] = {}
    description = _text(
        errors,
        "description",
        description,
        limit=300,
        required="Say what is to be done, e.g. Agree a new baseline.",
    )
    due_on = _date(errors, "due_on", due_on)
    _check_colleague(errors, "owner", owner)
    _fail(errors)
    action = ReviewAction.objects.create(review=current, description=description, owner=owner, due_on=due_on)
    current.save(update_fields=["updated_at"])
    return action


@transaction.atomic
def review_action_update(*, actor, action: ReviewAction, **fields: Any) -> ReviewAction:
    """Change an action's description, owner, due date or status (open or done). Once the review is
    signed off only the status still changes: the actions are followed up after the meeting."""
    current = (
        ReviewAction.objects.select_for_update(of=("self",))
        .select_related("review__organization")
        .get(pk=action.pk)
    )
    review = current.review
    _require_may_write(actor, review.organization)
    unknown = sorted(set(fields) - set(REVIEW_ACTION_FIELDS))
    _fail({name: ["This field cannot be changed here."] for name in unknown})
    if review.status == ValueReviewStatus.SIGNED_OFF:
        frozen = sorted(
            name for name in fields if name != "status" and fields[name] != getattr(current, name)
        )
        if frozen:
            message = (
                "The review is signed off: its actions can still be marked done or reopened, nothing else "
                "about them changes."
            )
            raise ApplicationError(
                message, code="review_closed", fields={name: [message] for name in frozen}, status=409
            )
    else:
        _require_open(review)
    errors: dict[str, list[str]] = {}
    values = dict(fields)
    if "description" in values:
        values["description"] = _text(
            errors, "description", values["description"], limit=300, required="Say what is to be done."
        )
    if "due_on" in values:
        values["due_on"] = _date(errors, "due_on", values["due_on"])
    if "owner" in values and values["owner"] != current.owner:
        _check_colleague(errors, "owner", values["owner"])
    if "status" in values and values["status"] not in ReviewActionStatus.values:
        errors["status"] = [f"“{values['status']}” is not an action status; use open or done."]
    _fail(errors)
    changed = [name for name, value in values.items() if getattr(current, name) != value]
    if not changed:
        return current
    for name in changed:
        setattr(current, name, values[name])
    if "status" in changed:
        current.done_at = timezone.now() if current.status == ReviewActionStatus.DONE else None
    current.save()
    ValueReview.objects.filter(pk=review.pk).update(updated_at=timezone.now())
    return current


# --- the lifecycle ---------------------------------------------------------------------------------


def _refusal(current: ValueReview, to_status: str) -> ApplicationError:
    allowed = REVIEW_TRANSITIONS.get(current.status, ())
    now_label = current.get_status_display().lower()
    target_label = ValueReviewStatus(to_status).label.lower()
    options = " or ".join(f"“{ValueReviewStatus(s).label.lower()}”" for s in allowed) or "nothing"
    message = f"A review that is {now_label} cannot move to “{target_label}”; it can move to {options}."
    return ApplicationError(
        message, code="transition_not_allowed", fields={"to_status": [message]}, status=409
    )


@transaction.atomic
def review_transition(
    *, actor, review: ValueReview, to_status: str, note: str = "", today: date | None = None
) -> ValueReview:
    """Move the review one step of REVIEW_TRANSITIONS (409 `transition_not_allowed` naming
    `to_status` otherwise). To prepared: prepares it (from planned). To held: the day held defaults to
    today. To cancelled: `note` says why (added to the comments). Signing off needs review_sign_off."""
    current = _locked(review)
    _require_may_write(actor, current.organization)
    if to_status not in ValueReviewStatus.values:
        _fail(
            {
                "to_status": [
                    f"“{to_status}” is not a review status; use one of {', '.join(ValueReviewStatus.values)}."
                ]
            }
        )
    if to_status not in REVIEW_TRANSITIONS.get(current.status, ()):
        raise _refusal(current, to_status)
    errors: dict[str, list[str]] = {}
    note = _text(errors, "note", note)
    if to_status == ValueReviewStatus.SIGNED_OFF:
        errors["to_status"] = [
            "Sign the review off with its sign-off: the sponsor and the name they signed with are needed."
        ]
    _fail(errors)
    today = today or timezone.localdate()
    if to_status == ValueReviewStatus.PREPARED and current.status == ValueReviewStatus.PLANNED:
        _prepare(current, now=timezone.now())
    elif to_status == ValueReviewStatus.HELD:
        if current.held_on is None:
            if today < current.period_start:
                _fail({"to_status": ["A review cannot be held before the period it looks at has begun."]})
            current.held_on = today
    elif to_status == ValueReviewStatus.CANCELLED and note:
        current.comments = f"{current.comments}\n\nCancelled: {note}".strip()
    current.status = to_status
    _save(current)
    return current


@transaction.atomic
def review_cancel(*, actor, review: ValueReview, reason: str = "") -> ValueReview:
    """Cancel a planned or prepared review (the reason is added to its comments)."""
    return review_transition(actor=actor, review=review, to_status=ValueReviewStatus.CANCELLED, note=reason)


def _agreement_summary(review: ValueReview, totals: dict) -> str:
    parts = [f"Value review “{review.title}” of {_day(review.period_start)} to {_day(review.period_end)}"]
    parts.append(f"signed off by {review.signed_off_by_name}")
    if totals["expected"] is not None:
        realized = totals["realized"]
        parts.append(
            f"benefits expected {totals['expected']:,.2f}"
            + (f", realized {realized:,.2f}" if realized is not None else ", realized not entered")
        )
    text = "; ".join(parts) + "."
    if review.decisions:
        text += f"\nDecisions: {review.decisions}"
    return text[:TEXT_LIMIT]


@transaction.atomic
def review_sign_off(
    *,
    actor,
    review: ValueReview,
    signed_off_by_name: str,
    sponsor: Stakeholder | None = DEFAULT,
    sign_off_note: str = "",
    signed_off_at: datetime | None = None,
    agreement_outcome: str = ReviewOutcome.CONTINUE,
) -> ValueReview:
    """Record the customer sponsor's sign-off of a held review: the sponsor (a sponsor of the account;
    defaults to the review's), the name they signed with, when (not in the future, not before the day
    held; defaults to now) and their note. The review no longer changes afterwards. Records the journey
    event; a review of an agreed or active agreement is recorded as that agreement's review too (with
    `agreement_outcome`), which plans the agreement's next review."""
    current = _locked(review)
    _require_may_write(actor, current.organization)
    _require_open(current)
    if current.status != ValueReviewStatus.HELD:
        message = (
            f"Only a held review is signed off; this one is {current.get_status_display().lower()}. Hold the "
            "review with the sponsor first."
        )
        raise ApplicationError(
            message, code="transition_not_allowed", fields={"to_status": [message]}, status=409
        )
    now = timezone.now()
    errors: dict[str, list[str]] = {}
    if sponsor is DEFAULT:
        sponsor = current.sponsor
    if sponsor is None:
        errors["sponsor"] = [f"Say which sponsor of {current.organization.name} signs the review off."]
    else:
        _check_sponsor(errors, sponsor, current.organization)
    name = _text(
        errors,
        "signed_off_by_name",
        signed_off_by_name,
        limit=200,
        required="Give the name the sponsor signed with.",
    )
    note = _text(errors, "sign_off_note", sign_off_note)
    moment = now
    if signed_off_at is not None:
        if not isinstance(signed_off_at, datetime) or timezone.is_naive(signed_off_at):
            errors["signed_off_at"] = ["Give the date and time with its time zone."]
        elif signed_off_at > now + timedelta(minutes=5):
            errors["signed_off_at"] = ["A sign-off cannot be dated in the future."]
        elif current.held_on and signed_off_at.astimezone(site_zone()).date() < current.held_on:
            errors["signed_off_at"] = [
                f"The review was held on {_day(current.held_on)}: it is signed after that."
            ]
        else:
            moment = signed_off_at
    if agreement_outcome not in ReviewOutcome.values:
        errors["agreement_outcome"] = [
            f"“{agreement_outcome}” is not a review outcome; use one of {', '.join(ReviewOutcome.values)}."
        ]
    if current.held_on is None:
        errors["held_on"] = ["Say on which day the review was held."]
    _fail(errors)
    current.sponsor = sponsor
    current.signed_off_by_name = name
    current.sign_off_note = note
    current.signed_off_at = moment
    current.sign_off_recorded_by = actor if getattr(actor, "pk", None) else None
    current.status = ValueReviewStatus.SIGNED_OFF
    sums = current.benefits.aggregate(expected_sum=Sum("expected"), realized_sum=Sum("realized"))
    totals = {
        name: None if sums[f"{name}_sum"] is None else Decimal(sums[f"{name}_sum"]).quantize(CENT)
        for name in ("expected", "realized")
    }
    agreement = current.agreement
    if agreement is not None and agreement.status in LIVE_AGREEMENTS:
        agreement_review_record(
            actor=actor,
            agreement=agreement,
            held_on=current.held_on,
            summary=_agreement_summary(current, totals),
            outcome=agreement_outcome,
        )
        agreement.refresh_from_db(fields=["next_review_on"])
        if current.next_review_on is None:
            current.next_review_on = agreement.next_review_on
    _save(current)
    journey_event_record(
        event_type=RealizeEventType.VALUE_REVIEW_SIGNED_OFF,
        organization=current.organization,
        actor=actor,
        occurred_at=moment,
        payload={
            "review": current.pk,
            "title": current.title,
            "agreement": current.agreement_id,
            "business_case": current.business_case_id,
            "period_start": current.period_start.isoformat(),
            "period_end": current.period_end.isoformat(),
            "held_on": current.held_on.isoformat(),
            "sponsor": sponsor.pk,
            "signed_off_by_name": name,
            "benefits_expected": None if totals["expected"] is None else str(totals["expected"]),
            "benefits_realized": None if totals["realized"] is None else str(totals["realized"]),
            "next_review_on": current.next_review_on.isoformat() if current.next_review_on else None,
        },
    )
    return current
