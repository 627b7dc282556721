"""Reads of value reviews. A review follows its account: those who may not see the account get 404.

- `review_list`: the reviews the user may see, filtered, each with its benefit totals and open actions
  (subqueries, so a page of them is one query);
- `review_get` / `review_page`: one review with its lines, actions and people; the page adds each
  line's variance, the totals expected and realized (a database aggregate), the answers to the
  analysis questions in their order and the period's figures as people read them;
- `reviews_upcoming`: what is coming up — planned and prepared reviews due within `UPCOMING_DAYS`
  (overdue ones included), and agreed or active agreements whose next review falls in that window
  without a review planned for them (the value dashboard shows it);
- `review_csv_rows`: the review pack's figures as CSV rows.

Variance is realized − expected (achieved − target for a target); its percentage is that over what was
expected, none where nothing was expected. The totals compare only the lines with a realized value:
a line not entered yet counts in what was expected overall, not in the variance.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import (
    Case,
    Count,
    DecimalField,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from agreements.models import Agreement, AgreementStatus, Comparator, ComplianceStatus
from agreements.selectors import agreement_scope
from journeys import roles
from journeys.models import Organization, Stakeholder
from journeys.selectors import in_organization_scope, organization_is_visible
from offerings.models import BenefitType, BusinessCase, BusinessCaseStatus
from realization.models import (
    ANALYSIS_QUESTIONS,
    REVIEW_TRANSITIONS,
    ReviewAction,
    ReviewActionStatus,
    ReviewBenefit,
    ReviewTarget,
    ValueReview,
    ValueReviewStatus,
)

__all__ = [
    "OPEN_REVIEW_STATUSES",
    "REVIEWS_PER_PAGE",
    "REVIEW_CSV_HEADER",
    "REVIEW_DUE_FILTERS",
    "UPCOMING_DAYS",
    "FigureRow",
    "ReviewPage",
    "ReviewPlanChoices",
    "UpcomingReview",
    "review_colleague_choices",
    "review_csv_rows",
    "review_default_case",
    "review_get",
    "review_list",
    "review_page",
    "review_plan_choices",
    "review_scope",
    "review_sponsor_choices",
    "review_totals",
    "reviews_upcoming",
]

REVIEWS_PER_PAGE = 50
UPCOMING_DAYS = 60
OPEN_REVIEW_STATUSES = (ValueReviewStatus.PLANNED, ValueReviewStatus.PREPARED, ValueReviewStatus.HELD)
REVIEW_DUE_FILTERS = {
    "overdue": "Overdue (the day has passed, not signed off)",
    "upcoming": f"Due in the next {UPCOMING_DAYS} days",
    "awaiting_sign_off": "Held, awaiting sign-off",
}
MONEY = DecimalField(max_digits=16, decimal_places=2)


# --- scope and lists --------------------------------------------------------------------------------


def review_scope(user) -> QuerySet[ValueReview]:
    """The reviews of the organizations the user may see."""
    return in_organization_scope(ValueReview.objects.all(), user)


def _benefit_sum(column: str) -> Coalesce | Subquery:
    lines = ReviewBenefit.objects.filter(review=OuterRef("pk")).order_by().values("review")
    return Subquery(lines.annotate(total=Sum(column)).values("total")[:1], output_field=MONEY)


def _open_actions() -> Coalesce:
    actions = (
        ReviewAction.objects.filter(review=OuterRef("pk"), status=ReviewActionStatus.OPEN)
        .order_by()
        .values("review")
        .annotate(count=Count("id"))
        .values("count")[:1]
    )
    return Coalesce(Subquery(actions, output_field=IntegerField()), 0)


def review_list(
    *,
    user,
    status: str = "",
    organization: Organization | int | None = None,
    agreement: Agreement | int | None = None,
    due: str = "",
    query: str = "",
    today: date | None = None,
) -> QuerySet[ValueReview]:
    """The reviews the user may see: the open ones first, soonest first, then the signed-off and
    cancelled ones, latest first. `status` is a status or `open` (planned, prepared or held); `due`
    one of REVIEW_DUE_FILTERS; `query` part of the title or the account's name. Each row carries
    `expected_total`, `realized_total` and `open_actions`, and its account, agreement, sponsor and
    owner: one query for any number of rows."""
    today = today or timezone.localdate()
    rows = review_scope(user)
    if status == "open":
        rows = rows.filter(status__in=OPEN_REVIEW_STATUSES)
    elif status:
        rows = rows.filter(status=status)
    if organization is not None:
        rows = rows.filter(organization_id=getattr(organization, "pk", organization))
    if agreement is not None:
        rows = rows.filter(agreement_id=getattr(agreement, "pk", agreement))
    if due == "overdue":
        rows = rows.filter(status__in=OPEN_REVIEW_STATUSES, scheduled_on__lt=today)
    elif due == "upcoming":
        rows = rows.filter(
            status__in=(ValueReviewStatus.PLANNED, ValueReviewStatus.PREPARED),
            scheduled_on__gte=today,
            scheduled_on__lte=today + timedelta(days=UPCOMING_DAYS),
        )
    elif due == "awaiting_sign_off":
        rows = rows.filter(status=ValueReviewStatus.HELD)
    if query:
        rows = rows.filter(Q(title__icontains=query) | Q(organization__name__icontains=query))
    is_open = Q(status__in=OPEN_REVIEW_STATUSES)
    return (
        rows.select_related("organization", "agreement", "sponsor", "owner")
        .annotate(
            expected_total=_benefit_sum("expected"),
            realized_total=_benefit_sum("realized"),
            open_actions=_open_actions(),
            closed=Case(When(is_open, then=Value(0)), default=Value(1), output_field=IntegerField()),
            open_day=Case(When(is_open, then="scheduled_on"), default=None),
        )
        .order_by("closed", "open_day", "-scheduled_on", "-pk")
    )


def review_get(*, user, pk: int) -> ValueReview:
    """One review with its account, agreement, business case, people, lines and actions (their owners);
    404 for one the user may not see."""
    try:
        found = (
            ValueReview.objects.select_related(
                "organization",
                "agreement",
                "business_case",
                "sponsor",
                "owner",
                "sign_off_recorded_by",
            )
            .prefetch_related(
                Prefetch("benefits", queryset=ReviewBenefit.objects.order_by("position", "pk")),
                Prefetch("targets", queryset=ReviewTarget.objects.order_by("position", "pk")),
                Prefetch(
                    "actions",
                    queryset=ReviewAction.objects.select_related("owner").order_by("status", "due_on", "pk"),
                ),
            )
            .get(pk=pk)
        )
    except ValueReview.DoesNotExist:
        raise Http404("No such value review.") from None
    if not organization_is_visible(user, found.organization):
        raise Http404("No such value review.")
    return found


# --- one review's page ------------------------------------------------------------------------------


@dataclass(frozen=True)
class FigureRow:
    """One figure of the period: `value` as people read it, `number` (and `unit`) for the CSV."""

    key: str
    label: str
    value: str
    detail: str = ""
    number: str = ""
    unit: str = ""


@dataclass
class ReviewPage:
    review: ValueReview
    benefits: list[ReviewBenefit]
    targets: list[ReviewTarget]
    actions: list[ReviewAction]
    totals: dict[str, Any]
    analysis: list[dict[str, str]]
    figures: list[FigureRow]
    target_periods: dict[int, str]
    moves: list[dict[str, str]]
    case: dict[str, Any] | None
    is_overdue: bool
    missing_realized: int
    open_actions: int
    notes: list[str] = field(default_factory=list)


def _day(value: date) -> str:
    return f"{value.day} {value:%b %Y}"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _figure_rows(figures: dict[str, Any]) -> list[FigureRow]:
    """The period's figures as the page and the pack write them (none before the review is prepared)."""
    if not figures or "months" not in figures:
        return []
    get = figures.get

    def shown(key: str, template: str = "{}") -> str:
        return template.format(get(key)) if get(key) is not None else "—"

    experience_missed = get("experience_missed") or 0
    rows = [
        FigureRow(
            key="nps",
            label="NPS",
            value=shown("nps"),
            detail=f"{_plural(get('nps_responses', 0), 'answer')}: {get('promoters', 0)} promoters (9–10), "
            f"{get('detractors', 0)} detractors (0–6)",
            number=get("nps") or "",
        ),
        FigureRow(
            key="csat",
            label="CSAT",
            value=shown("csat_pct", "{} % satisfied"),
            detail=f"{get('csat_satisfied', 0)} of {_plural(get('csat_responses', 0), 'answer')} gave 4 or 5",
            number=get("csat_pct") or "",
            unit="%",
        ),
        FigureRow(
            key="csat_mean",
            label="CSAT mean",
            value=shown("csat_mean", "{} of 5"),
            detail="the mean answer, 1 to 5",
            number=get("csat_mean") or "",
        ),
        FigureRow(
            key="ces",
            label="CES",
            value=shown("ces_mean", "{} of 7"),
            detail=f"{_plural(get('ces_responses', 0), 'answer')}, 1 to 7, higher is easier",
            number=get("ces_mean") or "",
        ),
        FigureRow(
            key="response_rate",
            label="Response rate",
            value=shown("response_rate", "{} %"),
            detail=f"{get('responses', 0)} answers to {_plural(get('invitations', 0), 'invitation')} sent",
            number=get("response_rate") or "",
            unit="%",
        ),
        FigureRow(
            key="sla_compliance",
            label="SLA compliance",
            value=shown("sla_compliance", "{} %"),
            detail=f"{get('sla_met', 0)} of {_plural(get('sla_measured', 0), 'target')} measured met"
            + (f"; {_plural(experience_missed, 'experience target')} missed" if experience_missed else ""),
            number=get("sla_compliance") or "",
            unit="%",
        ),
        FigureRow(
            key="sentiment",
            label="Touchpoint sentiment",
            value=shown("sentiment_avg"),
            detail=f"mean of {_plural(get('touchpoints', 0), 'touchpoint')}, −2 to +2",
            number=get("sentiment_avg") or "",
        ),
    ]
    health = get("health")
    if health:
        band = {"healthy": "healthy", "watch": "watch", "at_risk": "at risk"}.get(health.get("band"), "")
        month = date.fromisoformat(health["month"])
        watermelon = "; a watermelon: SLA green, experience red" if health.get("is_watermelon") else ""
        rows.append(
            FigureRow(
                key="health",
                label="Health score",
                value=health["score"] + (f" ({band})" if band else ""),
                detail=f"as of {month:%B %Y}{watermelon}",
                number=health["score"],
            )
        )
    else:
        rows.append(
            FigureRow(key="health", label="Health score", value="—", detail="no health score in the period")
        )
    return rows


def _target_periods(figures: dict[str, Any], targets: list[ReviewTarget]) -> dict[int, str]:
    """Per target line, how its periods went ("2 of 3 periods met, 1 breached")."""
    detail = (figures or {}).get("targets") or {}
    text = {}
    for line in targets:
        counts = detail.get(str(line.target_id)) if line.target_id else None
        if not counts or not counts.get("periods"):
            text[line.pk] = "no scored period" if line.target_id else ""
            continue
        parts = [f"{counts['met']} of {_plural(counts['periods'], 'period')} met"]
        if counts["at_risk"]:
            parts.append(f"{counts['at_risk']} at risk")
        if counts["breached"]:
            parts.append(f"{counts['breached']} breached")
        text[line.pk] = ", ".join(parts)
    return text


MOVE_LABELS = {
    ValueReviewStatus.PREPARED: "Prepare: copy the figures in",
    ValueReviewStatus.HELD: "Mark as held",
    ValueReviewStatus.CANCELLED: "Cancel the review",
}


def _moves(review: ValueReview) -> list[dict[str, str]]:
    """The moves open from the review's status (sign-off has its own form)."""
    moves = []
    for status in REVIEW_TRANSITIONS.get(review.status, ()):
        if status == ValueReviewStatus.SIGNED_OFF:
            continue
        label = MOVE_LABELS.get(status, ValueReviewStatus(status).label)
        if status == ValueReviewStatus.PREPARED and review.status == ValueReviewStatus.HELD:
            label = "Back to prepared"
        moves.append({"status": status, "label": label})
    return moves


def review_totals(review: ValueReview) -> dict[str, Any]:
    """Expected against realized over the review's benefit lines, in one aggregate."""
    entered = Q(realized__isnull=False)
    found = ReviewBenefit.objects.filter(review=review).aggregate(
        line_count=Count("id"),
        missing_count=Count("id", filter=Q(realized__isnull=True)),
        expected_sum=Sum("expected"),
        compared_sum=Sum("expected", filter=entered),
        realized_sum=Sum("realized", filter=entered),
    )
    sums = {
        "lines": found["line_count"],
        "missing": found["missing_count"],
        "expected": found["expected_sum"],
        "compared": found["compared_sum"],
        "realized": found["realized_sum"],
    }
    variance = variance_pct = None
    if sums["realized"] is not None:
        variance = sums["realized"] - (sums["compared"] or 0)
        if sums["compared"]:
            variance_pct = (variance * 100 / sums["compared"]).quantize(
                Decimal("0.1"), rounding=ROUND_HALF_UP
            )
    return {**sums, "variance": variance, "variance_pct": variance_pct}


def review_page(*, user, pk: int, today: date | None = None) -> ReviewPage:
    """Everything a review's page (and its pack) shows; 404 for one the user may not see."""
    today = today or timezone.localdate()
    review = review_get(user=user, pk=pk)
    benefits = list(review.benefits.all())
    targets = list(review.targets.all())
    actions = list(review.actions.all())
    totals = review_totals(review)
    answers = review.analysis or {}
    analysis = [
        {"key": key, "question": question, "answer": answers.get(key, "")}
        for key, question in ANALYSIS_QUESTIONS
    ]
    figures = review.figures or {}
    notes = []
    case = figures.get("case")
    if case and case.get("year_zero"):
        basis = {
            "agreement_start": "the agreement's start",
            "case_approval": "the day the case was approved",
        }.get(case.get("year_zero_basis"), "")
        notes.append(
            f"Year 0 of the business case starts on {_day(date.fromisoformat(case['year_zero']))}"
            + (f" ({basis})" if basis else "")
            + "; recurring benefits are spread evenly over the days of each year, one-off ones count in the"
            " period holding the first day of their year."
        )
    elif review.status != ValueReviewStatus.PLANNED and review.business_case_id is None:
        notes.append(
            "No approved business case is reviewed: the review compares the targets and figures only."
        )
    target_periods = _target_periods(figures, targets)
    for line in targets:
        line.periods_text = target_periods.get(line.pk, "")
    is_open = review.status in OPEN_REVIEW_STATUSES
    return ReviewPage(
        review=review,
        benefits=benefits,
        targets=targets,
        actions=actions,
        totals=totals,
        analysis=analysis,
        figures=_figure_rows(figures),
        target_periods=target_periods,
        moves=_moves(review),
        case=case,
        is_overdue=is_open and review.scheduled_on < today,
        missing_realized=totals["missing"],
        open_actions=sum(1 for action in actions if action.status == ReviewActionStatus.OPEN),
        notes=notes,
    )


# --- choices for the forms --------------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewPlanChoices:
    agreements: list[Agreement]
    business_cases: list[BusinessCase]
    sponsors: list[Stakeholder]
    default_case: BusinessCase | None


def review_default_case(
    *, organization: Organization, agreement: Agreement | None, cases: list[BusinessCase] | None = None
) -> BusinessCase | None:
    """The baseline a review of the account (and agreement) compares with when none is chosen: the
    account's baseline about one of the agreement's offerings, else its most recently approved one."""
    if cases is None:
        cases = _baselines(organization)
    if agreement is not None and cases:
        offering_ids = set(agreement.offerings.values_list("pk", flat=True))
        for case in cases:
            if case.offering_id in offering_ids:
                return case
    return cases[0] if cases else None


def _baselines(organization: Organization) -> list[BusinessCase]:
    return list(
        BusinessCase.objects.filter(
            organization=organization, is_baseline=True, status=BusinessCaseStatus.APPROVED
        ).order_by("-approved_at", "-pk")
    )


def review_sponsor_choices(*, organization: Organization) -> list[Stakeholder]:
    """The account's active sponsors, the most influential first."""
    return list(
        Stakeholder.objects.filter(organization=organization, is_sponsor=True, is_active=True).order_by(
            "-influence", "name", "pk"
        )
    )


def review_plan_choices(
    *, user, organization: Organization, agreement: Agreement | None = None
) -> ReviewPlanChoices:
    """What a review of the account may look at: its agreements once agreed, its approved baselines,
    its sponsors; 404 for an account the user may not see."""
    if not organization_is_visible(user, organization):
        raise Http404("No such organization.")
    agreements = list(
        Agreement.objects.filter(
            organization=organization,
            status__in=(
                AgreementStatus.AGREED,
                AgreementStatus.ACTIVE,
                AgreementStatus.EXPIRED,
                AgreementStatus.TERMINATED,
            ),
        ).order_by("status", "title", "pk")
    )
    cases = _baselines(organization)
    return ReviewPlanChoices(
        agreements=agreements,
        business_cases=cases,
        sponsors=review_sponsor_choices(organization=organization),
        default_case=review_default_case(organization=organization, agreement=agreement, cases=cases),
    )


def review_colleague_choices() -> QuerySet:
    """Who may own a review or one of its actions: active users with a role that works with accounts."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            groups__name__in=(
                roles.Role.RELATIONSHIP_MANAGER,
                roles.Role.SERVICE_DESK_AGENT,
                roles.Role.ADMINISTRATOR,
            ),
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


# --- what is coming up ------------------------------------------------------------------------------


@dataclass(frozen=True)
class UpcomingReview:
    """A review coming up (`kind` "review") or an agreement due for one with none planned ("agreement")."""

    kind: str
    due_on: date
    organization_id: int
    organization_name: str
    title: str
    status: str
    status_label: str
    is_overdue: bool
    review_id: int | None
    agreement_id: int | None
    url: str


def reviews_upcoming(
    *, user, limit: int = 10, organization: Organization | int | None = None, today: date | None = None
) -> list[UpcomingReview]:
    """Planned and prepared reviews due within UPCOMING_DAYS (overdue ones too), and agreed or active
    agreements whose next review falls within that window (or has passed) with no review planned,
    prepared or held for them; soonest first, at most `limit`; of one account when `organization` is
    given. Two queries."""
    today = today or timezone.localdate()
    horizon = today + timedelta(days=UPCOMING_DAYS)
    account = {} if organization is None else {"organization_id": getattr(organization, "pk", organization)}
    reviews = (
        review_scope(user)
        .filter(
            status__in=(ValueReviewStatus.PLANNED, ValueReviewStatus.PREPARED),
            scheduled_on__lte=horizon,
            **account,
        )
        .select_related("organization")
        .only("pk", "title", "status", "scheduled_on", "agreement_id", "organization__name")
        .order_by("scheduled_on", "pk")[:limit]
    )
    planned = ValueReview.objects.filter(agreement=OuterRef("pk"), status__in=OPEN_REVIEW_STATUSES)
    agreements = (
        agreement_scope(user)
        .filter(
            status__in=(AgreementStatus.AGREED, AgreementStatus.ACTIVE),
            next_review_on__isnull=False,
            next_review_on__lte=horizon,
            **account,
        )
        .filter(~Exists(planned))
        .select_related("organization")
        .only("pk", "title", "next_review_on", "organization__name")
        .order_by("next_review_on", "pk")[:limit]
    )
    items = [
        UpcomingReview(
            kind="review",
            due_on=review.scheduled_on,
            organization_id=review.organization_id,
            organization_name=review.organization.name,
            title=review.title,
            status=review.status,
            status_label=review.get_status_display(),
            is_overdue=review.scheduled_on < today,
            review_id=review.pk,
            agreement_id=review.agreement_id,
            url=reverse("realization:review_detail", args=[review.pk]),
        )
        for review in reviews
    ]
    plan_url = reverse("realization:review_new")
    items += [
        UpcomingReview(
            kind="agreement",
            due_on=agreement.next_review_on,
            organization_id=agreement.organization_id,
            organization_name=agreement.organization.name,
            title=agreement.title,
            status="not_planned",
            status_label="No review planned",
            is_overdue=agreement.next_review_on < today,
            review_id=None,
            agreement_id=agreement.pk,
            url=f"{plan_url}?organization={agreement.organization_id}&agreement={agreement.pk}",
        )
        for agreement in agreements
    ]
    items.sort(key=lambda item: (item.due_on, item.kind != "review", item.review_id or item.agreement_id))
    return items[:limit]


# --- the pack's CSV ---------------------------------------------------------------------------------

REVIEW_CSV_HEADER = [
    "section",
    "name",
    "type",
    "indicator or rule",
    "unit",
    "baseline",
    "expected or target",
    "realized or achieved",
    "variance",
    "variance %",
    "status",
    "comment",
]


def _number(value: Decimal | None, places: int | None = None) -> str:
    if value is None:
        return ""
    if places is not None:
        value = Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    text = format(Decimal(value), "f")
    if "." in text and places is None:
        text = text.rstrip("0").rstrip(".")
    return text


def review_csv_rows(*, page: ReviewPage) -> list[list[str]]:
    """The pack's figures: a header, one row per benefit line (expected, realized, variance), one per
    target (target, achieved, variance, status), then the period's experience and SLA figures and the
    benefit totals. Amounts to the cent, target values as entered; empty cells where nothing is known."""
    rows = [list(REVIEW_CSV_HEADER)]
    for line in page.benefits:
        rows.append(
            [
                "benefit",
                line.description,
                BenefitType(line.benefit_type).label
                if line.benefit_type in BenefitType.values
                else line.benefit_type,
                line.indicator,
                "",
                "",
                _number(line.expected, 2),
                _number(line.realized, 2),
                _number(line.variance, 2),
                _number(line.variance_pct, 1),
                "",
                line.comment,
            ]
        )
    totals = page.totals
    if page.benefits:
        rows.append(
            [
                "benefit total",
                "All benefits (variance over the lines with a realized value)",
                "",
                "",
                "",
                "",
                _number(totals["expected"], 2),
                _number(totals["realized"], 2),
                _number(totals["variance"], 2),
                _number(totals["variance_pct"], 1),
                "",
                "",
            ]
        )
    for line in page.targets:
        rule = line.comparator
        if line.comparator in Comparator.values:
            rule = f"{Comparator(line.comparator).symbol} {_number(line.target_value)}"
        rows.append(
            [
                "target",
                line.name,
                line.kind,
                rule,
                line.unit,
                _number(line.baseline),
                _number(line.target_value),
                _number(line.achieved),
                _number(line.variance),
                "",
                ComplianceStatus(line.status).label
                if line.status in ComplianceStatus.values
                else line.status,
                line.comment,
            ]
        )
    for figure in page.figures:
        rows.append(
            ["figure", figure.label, "", figure.detail, figure.unit, "", "", figure.number, "", "", "", ""]
        )
    return rows
