"""Reads of surveys: the definitions, their figures, the invitation log, the answers and the follow-ups.

A survey's definition is the provider's own material: every user with a role reads every survey. What
the survey found is about accounts, so every figure, invitation, answer and follow-up is limited to the
accounts the user may see (journeys.selectors.in_organization_scope): a relationship manager's figures
are those of their own accounts, and another team's answers never show (404 where one is asked for by
its number).

The formulas, the same everywhere in Realize:

- NPS (0–10) = % promoters (9–10) − % detractors (0–6), a whole number from −100 to +100;
- CSAT (1–5) = the share of satisfied answers (4–5), and the mean score;
- CES (1–7, higher is easier) = the mean score;
- response rate = the invitations sent that were answered ÷ the invitations sent.

Each answer also falls in one of three bands, named after the survey's type: positive (promoter,
satisfied, easy: NPS 9–10, CSAT 4–5, CES 5–7), neutral (passive, neutral: NPS 7–8, CSAT 3, CES 4) and
negative (detractor, dissatisfied, hard: NPS 0–6, CSAT 1–2, CES 1–3). The negative band is the one
that opens a follow-up.

Every figure is counted by the database (grouped counts and sums); Python only divides them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import EmptyResultSet
from django.db.models import BooleanField, Case, CharField, Count, IntegerField, Q, QuerySet, Sum, Value, When
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.utils import timezone

from journeys import roles
from journeys.selectors import in_organization_scope
from realization.models import (
    FollowUp,
    FollowUpStatus,
    InvitationReason,
    InvitationStatus,
    Survey,
    SurveyInvitation,
    SurveyResponse,
    SurveyType,
)
from realization.services.activity import month_bounds, month_of, site_zone

__all__ = [
    "BANDS",
    "BAND_NAMES",
    "FIGURES_DAYS",
    "FollowUpCounts",
    "InvitationSummary",
    "MonthFigures",
    "ScoreBar",
    "ScoreFigures",
    "SurveyResults",
    "band_label",
    "band_of",
    "follow_up_counts",
    "follow_up_get",
    "follow_up_list",
    "follow_ups_open",
    "invitation_list",
    "invitation_summary",
    "response_list",
    "survey_figures",
    "survey_get",
    "survey_list",
    "survey_results",
    "survey_scope",
]

# The survey list and a survey's headline figure count the last 90 days.
FIGURES_DAYS = 90
COMMENTS_SHOWN = 8

POSITIVE, NEUTRAL, NEGATIVE = "positive", "neutral", "negative"
BANDS = (POSITIVE, NEUTRAL, NEGATIVE)

# The lowest score of the positive and of the neutral band, per survey type.
_BAND_FLOORS: dict[str, tuple[int, int]] = {
    SurveyType.NPS: (9, 7),
    SurveyType.CSAT: (4, 3),
    SurveyType.CES: (5, 4),
}
_BAND_LABELS: dict[str, dict[str, str]] = {
    SurveyType.NPS: {POSITIVE: "Promoter", NEUTRAL: "Passive", NEGATIVE: "Detractor"},
    SurveyType.CSAT: {POSITIVE: "Satisfied", NEUTRAL: "Neutral", NEGATIVE: "Dissatisfied"},
    SurveyType.CES: {POSITIVE: "Easy", NEUTRAL: "Neutral", NEGATIVE: "Hard"},
}
BAND_NAMES = {
    POSITIVE: "Promoters, satisfied, easy",
    NEUTRAL: "Passives and neutral",
    NEGATIVE: "Detractors, dissatisfied, hard",
}


def _band_counted(survey_type: str, band: str, count: int) -> str:
    """The band's name after a number: "1 promoter", "2 passives", "3 dissatisfied"."""
    label = _BAND_LABELS[survey_type][band].lower()
    return f"{label}s" if survey_type == SurveyType.NPS and count != 1 else label


def band_of(survey_type: str, score: int) -> str:
    """The band of one answer: positive, neutral or negative."""
    positive, neutral = _BAND_FLOORS[survey_type]
    if score >= positive:
        return POSITIVE
    return NEUTRAL if score >= neutral else NEGATIVE


def band_label(survey_type: str, band: str) -> str:
    """The band's name for this type of survey ("Promoter", "Dissatisfied", "Easy"...)."""
    return _BAND_LABELS[survey_type][band]


def _band_q(band: str, prefix: str = "") -> Q:
    """The answers (`prefix` the path to the response, e.g. "response__") that fall in `band`."""
    condition = Q()
    for survey_type, (positive, neutral) in _BAND_FLOORS.items():
        if band == POSITIVE:
            scores = {f"{prefix}score__gte": positive}
        elif band == NEUTRAL:
            scores = {f"{prefix}score__gte": neutral, f"{prefix}score__lt": positive}
        else:
            scores = {f"{prefix}score__lt": neutral}
        condition |= Q(**{f"{prefix}survey_type": survey_type}, **scores)
    return condition


def _band_case() -> Case:
    """Each answer's band, computed by the database."""
    return Case(
        When(_band_q(POSITIVE), then=Value(POSITIVE)),
        When(_band_q(NEUTRAL), then=Value(NEUTRAL)),
        default=Value(NEGATIVE),
        output_field=CharField(),
    )


def _band_label_case() -> Case:
    """Each answer's band by the name its survey type gives it ("Promoter", "Dissatisfied"...)."""
    whens = []
    for survey_type, labels in _BAND_LABELS.items():
        for band, label in labels.items():
            whens.append(When(Q(survey_type=survey_type) & _band_q(band), then=Value(label)))
    return Case(*whens, default=Value(""), output_field=CharField())


def _rounded(numerator: int, denominator: int, places: int = 0) -> Decimal:
    """numerator ÷ denominator, rounded half away from zero (17 for 16.67, −17 for −16.67)."""
    quantum = Decimal(1).scaleb(-places)
    return (Decimal(numerator) / Decimal(denominator)).quantize(quantum, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class ScoreFigures:
    """The answers of one survey type counted by band, and the sum of their scores."""

    survey_type: str
    answers: int = 0
    positive: int = 0
    neutral: int = 0
    negative: int = 0
    score_sum: int = 0

    @property
    def nps(self) -> int | None:
        """% promoters − % detractors, a whole number; None without answers or for another type."""
        if self.survey_type != SurveyType.NPS or not self.answers:
            return None
        return int(_rounded(100 * (self.positive - self.negative), self.answers))

    @property
    def csat_percent(self) -> int | None:
        """The share of satisfied answers (4–5), in whole per cent."""
        if self.survey_type != SurveyType.CSAT or not self.answers:
            return None
        return int(_rounded(100 * self.positive, self.answers))

    @property
    def mean(self) -> Decimal | None:
        """The mean score, to one decimal."""
        if not self.answers:
            return None
        return _rounded(self.score_sum, self.answers, 1)

    @property
    def headline(self) -> str:
        """The survey's figure as people read it: "+17", "−5", "83 %", "5.2"; "—" without answers."""
        if not self.answers:
            return "—"
        if self.survey_type == SurveyType.NPS:
            value = self.nps
            return f"+{value}" if value > 0 else str(value).replace("-", "−")
        if self.survey_type == SurveyType.CSAT:
            return f"{self.csat_percent} %"
        return str(self.mean)

    @property
    def headline_name(self) -> str:
        return {
            SurveyType.NPS: "NPS",
            SurveyType.CSAT: "satisfied (CSAT 4–5)",
            SurveyType.CES: "mean effort score (CES, 7 easiest)",
        }[self.survey_type]

    @property
    def headline_value(self) -> float | None:
        """The figure as a number (for the chart): NPS, CSAT %, CES mean."""
        if not self.answers:
            return None
        if self.survey_type == SurveyType.NPS:
            return float(self.nps)
        if self.survey_type == SurveyType.CSAT:
            return float(self.csat_percent)
        return float(self.mean)

    @property
    def detail(self) -> str:
        """What the headline is made of, in words."""
        if not self.answers:
            return "no answers"
        counts = ", ".join(
            f"{count} {_band_counted(self.survey_type, band, count)}"
            for band, count in ((POSITIVE, self.positive), (NEUTRAL, self.neutral), (NEGATIVE, self.negative))
        )
        if self.survey_type == SurveyType.CSAT:
            return f"mean {self.mean} of 5; {counts}"
        return counts


def _band_counts(prefix: str = "") -> dict:
    """The aggregates behind ScoreFigures, for a grouped query over responses."""
    return {
        "answers": Count(f"{prefix}id"),
        "positive_count": Count(f"{prefix}id", filter=_band_q(POSITIVE, prefix)),
        "neutral_count": Count(f"{prefix}id", filter=_band_q(NEUTRAL, prefix)),
        "negative_count": Count(f"{prefix}id", filter=_band_q(NEGATIVE, prefix)),
        "score_sum": Sum(f"{prefix}score"),
    }


# --- the surveys -------------------------------------------------------------------------------------


def survey_scope(user) -> QuerySet[Survey]:
    """The surveys the user may read: all of them, for anyone with a role."""
    if not roles.roles_of(user):
        return Survey.objects.none()
    return Survey.objects.all()


def survey_get(*, user, pk) -> Survey:
    """One survey with its owner; 404 when there is none (or the user has no role)."""
    try:
        return survey_scope(user).select_related("owner").get(pk=pk)
    except (Survey.DoesNotExist, ValueError, TypeError):
        raise Http404("No such survey.") from None


def _compiled(queryset: QuerySet) -> tuple[str, tuple]:
    return queryset.query.get_compiler(using=queryset.db).as_sql()


def _surveys_with_figures(user, *, since: datetime, survey_id: int | None = None) -> list[Survey]:
    """The surveys (or the one), by name, each with `invited`, `answered`, `response_rate` and `figures`
    (ScoreFigures) of the invitations sent and the answers given since `since` in the accounts the user
    sees. One query: the surveys joined to the invitations grouped by survey and to the answers grouped
    by survey (each grouped query compiled by the ORM, so the account scope is the house's own)."""
    if not roles.roles_of(user):
        return []
    invitations = (
        in_organization_scope(SurveyInvitation.objects.filter(sent_at__gte=since), user)
        .order_by()
        .values("survey_id")
        .annotate(
            invited_count=Count("id"),
            answered_count=Count("id", filter=Q(responded_at__isnull=False)),
        )
    )
    answers = (
        in_organization_scope(SurveyResponse.objects.filter(answered_at__gte=since), user)
        .order_by()
        .values("survey_id")
        .annotate(**_band_counts())
    )
    try:
        invitation_sql, invitation_params = _compiled(invitations)
        answer_sql, answer_params = _compiled(answers)
    except EmptyResultSet:  # the user sees no account at all: the surveys without figures
        found = list(survey_scope(user).filter(**({"pk": survey_id} if survey_id else {})))
        for survey in found:
            _attach(survey, 0, 0, ScoreFigures(survey.survey_type))
        return found
    sql = (
        "SELECT s.*, i.invited_count, i.answered_count, a.answers, a.positive_count, a.neutral_count,"  # noqa: S608 - names only
        f" a.negative_count, a.score_sum FROM {Survey._meta.db_table} s"
        f" LEFT OUTER JOIN ({invitation_sql}) i ON i.survey_id = s.id"
        f" LEFT OUTER JOIN ({answer_sql}) a ON a.survey_id = s.id"
    )
    params = [*invitation_params, *answer_params]
    if survey_id is not None:
        sql += " WHERE s.id = %s"
        params.append(survey_id)
    sql += " ORDER BY s.name, s.id"
    found = list(Survey.objects.raw(sql, params))
    for survey in found:
        figures = ScoreFigures(
            survey.survey_type,
            answers=survey.answers or 0,
            positive=survey.positive_count or 0,
            neutral=survey.neutral_count or 0,
            negative=survey.negative_count or 0,
            score_sum=int(survey.score_sum or 0),
        )
        _attach(survey, survey.invited_count or 0, survey.answered_count or 0, figures)
    return found


def _response_rate(invited: int, answered: int) -> int | None:
    """Answered ÷ sent, in whole per cent; None when nothing was sent."""
    return int(_rounded(100 * answered, invited)) if invited else None


def _attach(survey: Survey, invited: int, answered: int, figures: ScoreFigures) -> None:
    survey.invited = invited
    survey.answered = answered
    survey.response_rate = _response_rate(invited, answered)
    survey.figures = figures


def survey_list(*, user, days: int = FIGURES_DAYS, now: datetime | None = None) -> list[Survey]:
    """Every survey, by name, with the figures of the last `days` days in the accounts the user sees:
    `invited` (invitations sent), `answered` (of those), `response_rate` (answered ÷ sent, %, None
    when none was sent) and `figures` (ScoreFigures of the answers given: NPS, CSAT % and mean, or CES
    mean). One query."""
    since = (now or timezone.now()) - timedelta(days=days)
    return _surveys_with_figures(user, since=since)


def survey_figures(*, user, survey: Survey, days: int = FIGURES_DAYS, now: datetime | None = None) -> Survey:
    """The survey_list row of one survey (the survey itself, given `invited`, `answered`,
    `response_rate` and `figures`). One query."""
    since = (now or timezone.now()) - timedelta(days=days)
    found = _surveys_with_figures(user, since=since, survey_id=survey.pk)
    if not found:
        _attach(survey, 0, 0, ScoreFigures(survey.survey_type))
        return survey
    row = found[0]
    _attach(survey, row.invited, row.answered, row.figures)
    return survey


# --- one survey's results ----------------------------------------------------------------------------


@dataclass(frozen=True)
class MonthFigures:
    """One calendar month (site time zone) of a survey: the invitations sent in it and how many of
    those were answered, and the answers given in it."""

    month: date
    invited: int
    answered: int
    figures: ScoreFigures

    @property
    def response_rate(self) -> int | None:
        return _response_rate(self.invited, self.answered)


@dataclass(frozen=True)
class ScoreBar:
    """How many answers gave one score, and its band."""

    score: int
    count: int
    band: str
    band_label: str
    percent: int
    width: int  # the bar's length, in % of the longest bar's


@dataclass
class SurveyResults:
    """A survey's results over `months` calendar months up to this one, in the accounts the user sees:
    a row per month (the oldest first, months without anything included), the totals of the period,
    the answers per score (every score of the scale, with its band) and the latest comments."""

    survey: Survey
    first_month: date
    last_month: date
    months: list[MonthFigures]
    totals: ScoreFigures
    invited: int
    answered: int
    distribution: list[ScoreBar]
    comments: list[SurveyResponse] = field(default_factory=list)

    @property
    def response_rate(self) -> int | None:
        return _response_rate(self.invited, self.answered)

    @property
    def answered_months(self) -> list[MonthFigures]:
        return [month for month in self.months if month.figures.answers or month.invited]


def _month_back(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 - count
    return date(index // 12, index % 12 + 1, 1)


def survey_results(*, survey: Survey, user, months: int = 12, now: datetime | None = None) -> SurveyResults:
    """The survey's results month by month (see SurveyResults). Three queries: the invitations grouped
    by the month they were sent, the answers grouped by month and score (which give the months' figures
    and the distribution of scores), and the latest answers with a comment."""
    months = max(1, min(int(months), 36))
    last = month_of(now or timezone.now())
    first = _month_back(last, months - 1)
    start, end = month_bounds(first, last)
    zone = site_zone()
    invitations = (
        in_organization_scope(
            SurveyInvitation.objects.filter(survey=survey, sent_at__gte=start, sent_at__lt=end), user
        )
        .order_by()
        .annotate(period=TruncMonth("sent_at", tzinfo=zone))
        .values("period")
        .annotate(invited_count=Count("id"), answered_count=Count("id", filter=Q(responded_at__isnull=False)))
        .values_list("period", "invited_count", "answered_count")
    )
    answers = (
        in_organization_scope(
            SurveyResponse.objects.filter(survey=survey, answered_at__gte=start, answered_at__lt=end), user
        )
        .order_by()
        .annotate(period=TruncMonth("answered_at", tzinfo=zone))
        .values("period", "survey_type", "score")
        .annotate(answer_count=Count("id"))
        .values_list("period", "survey_type", "score", "answer_count")
    )
    sent: dict[date, tuple[int, int]] = {}
    for period, invited, answered in invitations:
        sent[_as_month(period)] = (invited, answered)
    per_month: dict[date, dict[str, int]] = {}
    per_score: dict[int, int] = {}
    for period, survey_type, score, count in answers:
        if survey_type != survey.survey_type:
            continue  # answers of a type the survey no longer has are not on its scale
        counted = per_month.setdefault(_as_month(period), dict.fromkeys((*BANDS, "answers", "sum"), 0))
        counted[band_of(survey_type, score)] += count
        counted["answers"] += count
        counted["sum"] += score * count
        per_score[score] = per_score.get(score, 0) + count

    def figures_of(counted: dict[str, int] | None) -> ScoreFigures:
        counted = counted or {}
        return ScoreFigures(
            survey.survey_type,
            answers=counted.get("answers", 0),
            positive=counted.get(POSITIVE, 0),
            neutral=counted.get(NEUTRAL, 0),
            negative=counted.get(NEGATIVE, 0),
            score_sum=counted.get("sum", 0),
        )

    rows = []
    for index in range(months):
        month = _month_back(last, months - 1 - index)
        invited, answered = sent.get(month, (0, 0))
        rows.append(MonthFigures(month, invited, answered, figures_of(per_month.get(month))))
    total: dict[str, int] = {}
    for counted in per_month.values():
        for name, value in counted.items():
            total[name] = total.get(name, 0) + value
    answers_total = total.get("answers", 0)
    low, high = survey.scale
    most = max(per_score.values(), default=0) or 1
    distribution = [
        ScoreBar(
            score,
            per_score.get(score, 0),
            band_of(survey.survey_type, score),
            band_label(survey.survey_type, band_of(survey.survey_type, score)),
            int(_rounded(100 * per_score.get(score, 0), answers_total)) if answers_total else 0,
            int(_rounded(100 * per_score.get(score, 0), most)),
        )
        for score in range(low, high + 1)
    ]
    comments = list(
        response_list(user=user, survey=survey, with_comment=True).order_by(
            "-commented_at", "-answered_at", "-id"
        )[:COMMENTS_SHOWN]
    )
    return SurveyResults(
        survey=survey,
        first_month=first,
        last_month=last,
        months=rows,
        totals=figures_of(total),
        invited=sum(invited for invited, _ in sent.values()),
        answered=sum(answered for _, answered in sent.values()),
        distribution=distribution,
        comments=comments,
    )


def _as_month(value) -> date:
    """A TruncMonth value as the first day of its month (a date on every database)."""
    if isinstance(value, datetime):
        value = value.astimezone(site_zone()).date() if timezone.is_aware(value) else value.date()
    return date(value.year, value.month, 1)


# --- the invitation log ------------------------------------------------------------------------------


def invitation_list(
    *,
    user,
    survey: Survey | None = None,
    reason: str = "",
    status: str = "",
    organization=None,
    stakeholder=None,
) -> QuerySet[SurveyInvitation]:
    """Every decision about inviting someone (invited or not, and why) in the accounts the user sees,
    the latest first, with its survey, account, person and the person who handled what it asks about.
    `reason` "not_invited" is every reason but invited."""
    rows = in_organization_scope(SurveyInvitation.objects.all(), user)
    if survey is not None:
        rows = rows.filter(survey=survey)
    if reason == InvitationStatus.NOT_INVITED:
        rows = rows.exclude(reason=InvitationReason.INVITED)
    elif reason in InvitationReason.values:
        rows = rows.filter(reason=reason)
    if status in InvitationStatus.values:
        rows = rows.filter(status=status)
    if organization is not None:
        rows = rows.filter(organization=organization)
    if stakeholder is not None:
        rows = rows.filter(stakeholder=stakeholder)
    return rows.select_related("survey", "organization", "stakeholder", "handled_by").order_by(
        "-triggered_at", "-id"
    )


@dataclass(frozen=True)
class InvitationSummary:
    """How many decisions there were, per reason (in the order governance checks them, invited first)
    and per status; every reason and status listed, with 0 when none."""

    total: int
    reasons: list[tuple[str, str, int]]
    statuses: list[tuple[str, str, int]]

    @property
    def invited(self) -> int:
        return next(count for reason, _, count in self.reasons if reason == InvitationReason.INVITED)

    @property
    def not_invited(self) -> int:
        return self.total - self.invited


_REASON_ORDER = (
    InvitationReason.INVITED,
    InvitationReason.NOT_IN_AUDIENCE,
    InvitationReason.INACTIVE,
    InvitationReason.NO_CONSENT,
    InvitationReason.NO_EMAIL,
    InvitationReason.HANDLED_REQUEST,
    InvitationReason.COOLDOWN,
    InvitationReason.SAMPLED_OUT,
)


def invitation_summary(*, user, survey: Survey | None = None, organization=None) -> InvitationSummary:
    """The invitation log's counts per reason and per status (for "why was who not invited"), in the
    accounts the user sees. One grouped query."""
    rows = in_organization_scope(SurveyInvitation.objects.all(), user)
    if survey is not None:
        rows = rows.filter(survey=survey)
    if organization is not None:
        rows = rows.filter(organization=organization)
    grouped = rows.order_by().values("reason", "status").annotate(count=Count("id"))
    by_reason: dict[str, int] = {}
    by_status: dict[str, int] = {}
    for row in grouped.values_list("reason", "status", "count"):
        by_reason[row[0]] = by_reason.get(row[0], 0) + row[2]
        by_status[row[1]] = by_status.get(row[1], 0) + row[2]
    return InvitationSummary(
        total=sum(by_reason.values()),
        reasons=[
            (reason, InvitationReason(reason).label, by_reason.get(reason, 0)) for reason in _REASON_ORDER
        ],
        statuses=[
            (status, label, by_status.get(status, 0))
            for status, label in InvitationStatus.choices
            if status != InvitationStatus.NOT_INVITED
        ],
    )


# --- answers -----------------------------------------------------------------------------------------


def response_list(
    *,
    user,
    survey: Survey | None = None,
    organization=None,
    survey_type: str = "",
    band: str = "",
    with_comment: bool = False,
    stakeholder=None,
    since: datetime | None = None,
) -> QuerySet[SurveyResponse]:
    """The answers given in the accounts the user sees, the latest first, with their survey, account,
    person and follow-up. `band` is positive, neutral or negative (see the module's docstring);
    `with_comment` keeps those with a comment."""
    rows = in_organization_scope(SurveyResponse.objects.all(), user)
    if survey is not None:
        rows = rows.filter(survey=survey)
    if organization is not None:
        rows = rows.filter(organization=organization)
    if survey_type in SurveyType.values:
        rows = rows.filter(survey_type=survey_type)
    if band in BANDS:
        rows = rows.filter(_band_q(band))
    if with_comment:
        rows = rows.exclude(comment="")
    if stakeholder is not None:
        rows = rows.filter(stakeholder=stakeholder)
    if since is not None:
        rows = rows.filter(answered_at__gte=since)
    return (
        rows.select_related("survey", "organization", "stakeholder", "follow_up")
        .annotate(band=_band_case(), band_label=_band_label_case())
        .order_by("-answered_at", "-id")
    )


# --- follow-ups --------------------------------------------------------------------------------------


def _follow_up_rows(user) -> QuerySet[FollowUp]:
    return in_organization_scope(FollowUp.objects.all(), user)


def follow_up_list(
    *,
    user,
    status: str = FollowUpStatus.OPEN,
    organization=None,
    mine: bool = False,
    today: date | None = None,
) -> QuerySet[FollowUp]:
    """The follow-ups of the accounts the user sees, with their answer, survey, person, account and
    owner. Open ones: the user's own first, then by due date; each has `is_mine` and `is_overdue` (open
    and due before today). Done ones (`status` "done"): the latest closed first. `status` "" is both,
    open first."""
    today = today or timezone.localdate()
    rows = _follow_up_rows(user)
    if status in FollowUpStatus.values:
        rows = rows.filter(status=status)
    if organization is not None:
        rows = rows.filter(organization=organization)
    if mine:
        rows = rows.filter(owner=user)
    rows = rows.annotate(
        mine_rank=Case(When(owner_id=user.pk, then=Value(0)), default=Value(1), output_field=IntegerField()),
        is_mine=Case(
            When(owner_id=user.pk, then=Value(True)), default=Value(False), output_field=BooleanField()
        ),
        is_overdue=Case(
            When(status=FollowUpStatus.OPEN, due_on__lt=today, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
    ).select_related("response__survey", "response__stakeholder", "organization", "owner", "closed_by")
    if status == FollowUpStatus.DONE:
        return rows.order_by("-closed_at", "-id")
    still_open = Case(
        When(status=FollowUpStatus.OPEN, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return rows.order_by(still_open, "mine_rank", "due_on", "id")


def follow_ups_open(*, user, limit: int = 10, organization=None) -> list[FollowUp]:
    """The open follow-ups of the accounts the user sees (or of one account), the user's own first,
    then the most overdue (the value dashboard's "detractors to follow up"). One query."""
    return list(follow_up_list(user=user, organization=organization)[:limit])


def follow_up_get(*, user, pk) -> FollowUp:
    """One follow-up of an account the user sees (404 otherwise), with its answer and account."""
    try:
        return (
            _follow_up_rows(user)
            .select_related("response__survey", "response__stakeholder", "organization", "owner")
            .get(pk=pk)
        )
    except (FollowUp.DoesNotExist, ValueError, TypeError):
        raise Http404("No such follow-up.") from None


@dataclass(frozen=True)
class FollowUpCounts:
    open: int
    overdue: int
    mine: int
    done_recently: int


def follow_up_counts(*, user, organization=None, today: date | None = None) -> FollowUpCounts:
    """The figures above the follow-up list (of every account the user sees, or of one): open,
    overdue, open and the user's own, closed in the last 30 days. One query."""
    today = today or timezone.localdate()
    is_open = Q(status=FollowUpStatus.OPEN)
    rows = _follow_up_rows(user)
    if organization is not None:
        rows = rows.filter(organization=organization)
    figures = rows.aggregate(
        open=Count("id", filter=is_open),
        overdue=Count("id", filter=is_open & Q(due_on__lt=today)),
        mine=Count("id", filter=is_open & Q(owner_id=user.pk)),
        done_recently=Count(
            "id",
            filter=Q(status=FollowUpStatus.DONE, closed_at__gte=timezone.now() - timedelta(days=30)),
        ),
    )
    return FollowUpCounts(**figures)
