"""Reads of Realize: the value metrics (portfolio and account value pages, the portfolio's columns).

Every figure adds up the stored counts of `ValueSnapshot` rows in the database (an NPS over many
accounts is their promoters less their detractors over all their answers, never a mean of NPS), for
the accounts the user may see. Each function costs the same few queries for one account or thousands.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Avg, Count, Exists, Max, OuterRef, QuerySet, Subquery, Sum, Value, Window
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from exploration.models import MarketSegment, SegmentMembership
from journeys import roles
from journeys import selectors as spine_selectors
from journeys.models import JourneyStep, Organization, OrganizationKind
from realization.models import HealthBand, HealthPolicy, SnapshotLevel, ValueSnapshot
from realization.selectors.overlay import period_months
from realization.services.activity import month_of
from realization.services.metrics import HealthExplanation, add_months, health_explain

__all__ = [
    "VALUE_PERIODS",
    "AccountHealthRow",
    "AccountValue",
    "HealthDistribution",
    "StepValue",
    "ValueDashboard",
    "ValueFigures",
    "WatermelonRow",
    "account_value",
    "health_explain",
    "value_accounts",
    "value_dashboard",
    "with_value_figures",
]

VALUE_PERIODS = (3, 6, 12, 24)
DEFAULT_MONTHS = 12
WATERMELONS_SHOWN = 20
LOWEST_SHOWN = 10

COUNTS = (
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


def _ratio(numerator, denominator, scale: int = 1) -> Decimal | None:
    if not denominator:
        return None
    return Decimal(scale * numerator) / Decimal(denominator)


@dataclass(frozen=True)
class ValueFigures:
    """The counts of a set of snapshots added up (one month, or a whole period) and the figures they
    give. `average_health` is the mean health score of the accounts that have one (a month of a trend),
    `accounts_scored` how many those are."""

    month: date | None = None
    invitations: int = 0
    responses: int = 0
    nps_responses: int = 0
    promoters: int = 0
    detractors: int = 0
    csat_responses: int = 0
    csat_satisfied: int = 0
    csat_sum: int = 0
    ces_responses: int = 0
    ces_sum: int = 0
    touchpoints: int = 0
    sentiment_sum: int = 0
    sla_measured: int = 0
    sla_met: int = 0
    experience_missed: int = 0
    average_health: Decimal | None = None
    accounts_scored: int = 0

    @property
    def answers(self) -> int:
        """Every answer of the month(s), whatever the survey type (with or without an invitation)."""
        return self.nps_responses + self.csat_responses + self.ces_responses

    @property
    def nps(self) -> Decimal | None:
        return _ratio(self.promoters - self.detractors, self.nps_responses, 100)

    @property
    def csat_pct(self) -> Decimal | None:
        return _ratio(self.csat_satisfied, self.csat_responses, 100)

    @property
    def csat_mean(self) -> Decimal | None:
        return _ratio(self.csat_sum, self.csat_responses)

    @property
    def ces_mean(self) -> Decimal | None:
        return _ratio(self.ces_sum, self.ces_responses)

    @property
    def response_rate(self) -> Decimal | None:
        """Answers to invitations ÷ invitations sent, in %."""
        return _ratio(self.responses, self.invitations, 100)

    @property
    def sla_compliance(self) -> Decimal | None:
        return _ratio(self.sla_met, self.sla_measured, 100)

    @property
    def sentiment_avg(self) -> Decimal | None:
        return _ratio(self.sentiment_sum, self.touchpoints)

    @property
    def has_data(self) -> bool:
        return bool(self.answers or self.invitations or self.touchpoints or self.sla_measured)


@dataclass(frozen=True)
class HealthDistribution:
    """How many accounts in scope are healthy, to watch, at risk, or have no score, in one month."""

    month: date
    healthy: int = 0
    watch: int = 0
    at_risk: int = 0
    no_data: int = 0

    @property
    def total(self) -> int:
        return self.healthy + self.watch + self.at_risk + self.no_data


@dataclass(frozen=True)
class WatermelonRow:
    """An account green on SLA and red on experience in a month, with what is red."""

    organization_id: int
    organization_name: str
    owner_name: str
    month: date
    reasons: list[str]
    sla_compliance: Decimal | None
    csat: Decimal | None
    ces: Decimal | None
    sentiment: Decimal | None
    health_score: Decimal | None
    health_band: str

    @property
    def reason_labels(self) -> list[str]:
        from realization.models import WatermelonReason

        labels = dict(WatermelonReason.choices)
        return [labels.get(code, code) for code in self.reasons]


@dataclass(frozen=True)
class AccountHealthRow:
    organization_id: int
    organization_name: str
    owner_name: str
    month: date | None
    health_score: Decimal | None
    health_band: str
    nps: Decimal | None
    is_watermelon: bool


@dataclass
class ValueDashboard:
    """`computed_at`: the latest time a figure in view was written (a computation leaves rows whose
    figures did not change as they were)."""

    months: int
    first_month: date
    last_month: date
    segment: MarketSegment | None
    policy: HealthPolicy
    trend: list[ValueFigures]
    totals: ValueFigures
    distribution: HealthDistribution
    watermelons: list[WatermelonRow]
    watermelon_count: int
    lowest_health: list[AccountHealthRow]
    computed_at: datetime | None = None


@dataclass(frozen=True)
class StepValue:
    """One journey step's figures over the period (answers and touchpoints counted in that step)."""

    step: JourneyStep
    figures: ValueFigures


@dataclass
class AccountValue:
    organization: Organization
    months: int
    first_month: date
    last_month: date
    policy: HealthPolicy
    trend: list[ValueFigures]
    totals: ValueFigures
    current: ValueSnapshot | None
    explanation: HealthExplanation | None
    watermelon: WatermelonRow | None
    steps: list[StepValue] = field(default_factory=list)
    computed_at: datetime | None = None


# --- the functions --------------------------------------------------------------------------------


def _months_asked(months) -> int:
    try:
        months = int(months)
    except (TypeError, ValueError):
        return DEFAULT_MONTHS
    return months if months in VALUE_PERIODS else DEFAULT_MONTHS


def _account_rows(user, *, segment: MarketSegment | None = None) -> QuerySet[ValueSnapshot]:
    """The all-steps rows of the accounts the user may see (of the segment's members, if one)."""
    rows = ValueSnapshot.objects.filter(level=SnapshotLevel.ACCOUNT, step="").order_by()
    rows = spine_selectors.in_organization_scope(rows, user)
    if segment is not None:
        rows = rows.filter(
            organization_id__in=SegmentMembership.objects.filter(segment=segment).values("organization_id")
        )
    return rows


def _sums(prefix: str = "") -> dict:
    return {name: Coalesce(Sum(f"{prefix}{name}"), 0) for name in COUNTS}


def _figures(row: dict | ValueSnapshot, month: date | None = None, **extra) -> ValueFigures:
    get = row.get if isinstance(row, dict) else lambda name, default=0: getattr(row, name, default)
    return ValueFigures(month=month, **{name: int(get(name, 0) or 0) for name in COUNTS}, **extra)


def _owner_name(first: str | None, last: str | None, username: str | None) -> str:
    return f"{first or ''} {last or ''}".strip() or (username or "")


OWNER_FIELDS = (
    "organization__owner__first_name",
    "organization__owner__last_name",
    "organization__owner__username",
)


def _segment_of(user, segment) -> MarketSegment | None:
    if segment is None or segment == "" or isinstance(segment, MarketSegment):
        return segment or None
    if not roles.roles_of(user):
        raise Http404("Not found.")
    try:
        pk = int(segment)
    except (TypeError, ValueError):
        raise Http404("Not found.") from None
    return get_object_or_404(MarketSegment, pk=pk)


def value_dashboard(
    *, user, months: int = DEFAULT_MONTHS, segment=None, now: datetime | None = None
) -> ValueDashboard:
    """The portfolio's value over the last `months` whole months (the current one last), for the
    accounts the user may see (of one market segment's members, if given): the trend per month, the
    health distribution and the watermelons of the current month, the accounts with the lowest
    health. Four queries and the policy's, however many accounts. `segment` is a MarketSegment or
    its id (an unknown id is not found, 404)."""
    if not roles.roles_of(user):
        raise Http404("Not found.")
    months = _months_asked(months)
    segment = _segment_of(user, segment)
    first, last = period_months(months, now=now)
    policy = HealthPolicy.current()
    rows = _account_rows(user, segment=segment)

    by_month = {
        row["month"]: row
        for row in rows.filter(month__gte=first, month__lte=last)
        .values("month")
        .annotate(
            **_sums(),
            average_health=Avg("health_score"),
            accounts_scored=Count("health_score"),
            computed=Max("computed_at"),
        )
    }
    trend = []
    for index in range(months):
        month = add_months(first, index)
        row = by_month.get(month, {})
        trend.append(
            _figures(
                row,
                month,
                average_health=_rounded(row.get("average_health")),
                accounts_scored=int(row.get("accounts_scored") or 0),
            )
        )
    totals = ValueFigures(**{name: sum(getattr(figures, name) for figures in trend) for name in COUNTS})

    accounts = spine_selectors.organization_scope(user).filter(kind=OrganizationKind.CONSUMER)
    if segment is not None:
        accounts = accounts.filter(segment_memberships__segment=segment)
    band_of = (
        ValueSnapshot.objects.filter(
            level=SnapshotLevel.ACCOUNT, step="", month=last, organization_id=OuterRef("pk")
        )
        .order_by()
        .values("health_band")[:1]
    )
    bands = {
        row["band"]: row["accounts"]
        for row in accounts.order_by()
        .annotate(band=Coalesce(Subquery(band_of), Value("")))
        .values("band")
        .annotate(accounts=Count("pk"))
    }
    distribution = HealthDistribution(
        month=last,
        healthy=bands.get(HealthBand.HEALTHY, 0),
        watch=bands.get(HealthBand.WATCH, 0),
        at_risk=bands.get(HealthBand.AT_RISK, 0),
        no_data=bands.get("", 0),
    )

    watermelons, watermelon_count = [], 0
    for row in (
        rows.filter(month=last, is_watermelon=True)
        .annotate(total=Window(Count("pk")))
        .order_by("health_score", "organization__name", "organization_id")
        .values(
            "organization_id",
            "organization__name",
            *OWNER_FIELDS,
            "month",
            "watermelon_reasons",
            "input_sla",
            "input_csat",
            "input_ces",
            "input_sentiment",
            "health_score",
            "health_band",
            "total",
        )[:WATERMELONS_SHOWN]
    ):
        watermelon_count = row["total"]
        watermelons.append(_watermelon(row))

    lowest = [
        AccountHealthRow(
            organization_id=row["organization_id"],
            organization_name=row["organization__name"],
            owner_name=_owner_name(*(row[name] for name in OWNER_FIELDS)),
            month=row["month"],
            health_score=row["health_score"],
            health_band=row["health_band"],
            nps=row["input_nps"],
            is_watermelon=row["is_watermelon"],
        )
        for row in rows.filter(month=last, health_score__isnull=False)
        .order_by("health_score", "organization__name", "organization_id")
        .values(
            "organization_id",
            "organization__name",
            *OWNER_FIELDS,
            "month",
            "health_score",
            "health_band",
            "input_nps",
            "is_watermelon",
        )[:LOWEST_SHOWN]
    ]
    return ValueDashboard(
        months=months,
        first_month=first,
        last_month=last,
        segment=segment,
        policy=policy,
        trend=trend,
        totals=totals,
        distribution=distribution,
        watermelons=watermelons,
        watermelon_count=watermelon_count,
        lowest_health=lowest,
        computed_at=max((row["computed"] for row in by_month.values() if row.get("computed")), default=None),
    )


def _rounded(value) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal("0.1"))


def _watermelon(row: dict) -> WatermelonRow:
    return WatermelonRow(
        organization_id=row["organization_id"],
        organization_name=row["organization__name"],
        owner_name=_owner_name(*(row[name] for name in OWNER_FIELDS)),
        month=row["month"],
        reasons=[code for code in row["watermelon_reasons"].split(",") if code],
        sla_compliance=row["input_sla"],
        csat=row["input_csat"],
        ces=row["input_ces"],
        sentiment=row["input_sentiment"],
        health_score=row["health_score"],
        health_band=row["health_band"],
    )


def account_value(
    *, user, organization, months: int = DEFAULT_MONTHS, now: datetime | None = None
) -> AccountValue:
    """One account's value over the last `months` whole months: the trend, the current month's health
    with its explanation and watermelon, and each journey step's figures over the period. The account
    must be one the user may see (404 otherwise). Three queries and the policy's."""
    if isinstance(organization, Organization):
        if not spine_selectors.organization_is_visible(user, organization):
            raise Http404("Not found.")
    else:
        organization = spine_selectors.organization_get(user=user, pk=organization, brief=True)
    months = _months_asked(months)
    first, last = period_months(months, now=now)
    policy = HealthPolicy.current()
    snapshots = {
        snapshot.month: snapshot
        for snapshot in ValueSnapshot.objects.filter(
            level=SnapshotLevel.ACCOUNT, organization=organization, step="", month__gte=first, month__lte=last
        ).order_by("month")
    }
    trend = []
    for index in range(months):
        month = add_months(first, index)
        snapshot = snapshots.get(month)
        if snapshot is None:
            trend.append(ValueFigures(month=month))
        else:
            trend.append(
                _figures(
                    snapshot,
                    month,
                    average_health=snapshot.health_score,
                    accounts_scored=int(snapshot.health_score is not None),
                )
            )
    totals = ValueFigures(**{name: sum(getattr(figures, name) for figures in trend) for name in COUNTS})
    current = snapshots.get(last)
    by_step = {
        row["step"]: row
        for row in ValueSnapshot.objects.filter(
            level=SnapshotLevel.ACCOUNT, organization=organization, month__gte=first, month__lte=last
        )
        .exclude(step="")
        .order_by()
        .values("step")
        .annotate(**_sums())
    }
    steps = [StepValue(step=step, figures=_figures(by_step.get(step.value, {}))) for step in JourneyStep]
    watermelon = None
    if current is not None and current.is_watermelon:
        owner = organization.owner if organization.owner_id and "owner" in _cached(organization) else None
        watermelon = WatermelonRow(
            organization_id=organization.pk,
            organization_name=organization.name,
            owner_name=(owner.get_full_name() or owner.username) if owner is not None else "",
            month=current.month,
            reasons=current.watermelon_reason_list,
            sla_compliance=current.input_sla,
            csat=current.input_csat,
            ces=current.input_ces,
            sentiment=current.input_sentiment,
            health_score=current.health_score,
            health_band=current.health_band,
        )
    return AccountValue(
        organization=organization,
        months=months,
        first_month=first,
        last_month=last,
        policy=policy,
        trend=trend,
        totals=totals,
        current=current,
        explanation=health_explain(current, policy) if current is not None else None,
        watermelon=watermelon,
        steps=steps,
        computed_at=max((snapshot.computed_at for snapshot in snapshots.values()), default=None),
    )


NO_DATA = "no_data"


def value_accounts(
    *, user, band: str, segment=None, limit: int = 100, now: datetime | None = None
) -> list[AccountHealthRow]:
    """The accounts the user may see (of the segment's members, if given) in one health band this
    month, lowest score first; with `band` "no_data", the consumer accounts without a score this month,
    by name. One query."""
    if not roles.roles_of(user):
        raise Http404("Not found.")
    segment = _segment_of(user, segment)
    month = month_of(now or timezone.now())
    if band == NO_DATA:
        accounts = spine_selectors.organization_scope(user).filter(kind=OrganizationKind.CONSUMER)
        if segment is not None:
            accounts = accounts.filter(segment_memberships__segment=segment)
        scored = ValueSnapshot.objects.filter(
            level=SnapshotLevel.ACCOUNT,
            step="",
            month=month,
            organization_id=OuterRef("pk"),
            health_score__isnull=False,
        )
        return [
            AccountHealthRow(
                organization_id=row["pk"],
                organization_name=row["name"],
                owner_name=_owner_name(
                    row["owner__first_name"], row["owner__last_name"], row["owner__username"]
                ),
                month=None,
                health_score=None,
                health_band="",
                nps=None,
                is_watermelon=False,
            )
            for row in accounts.exclude(Exists(scored))
            .order_by("name", "pk")
            .values("pk", "name", "owner__first_name", "owner__last_name", "owner__username")[:limit]
        ]
    return [
        AccountHealthRow(
            organization_id=row["organization_id"],
            organization_name=row["organization__name"],
            owner_name=_owner_name(*(row[name] for name in OWNER_FIELDS)),
            month=row["month"],
            health_score=row["health_score"],
            health_band=row["health_band"],
            nps=row["input_nps"],
            is_watermelon=row["is_watermelon"],
        )
        for row in _account_rows(user, segment=segment)
        .filter(month=month, health_band=band, health_score__isnull=False)
        .order_by("health_score", "organization__name", "organization_id")
        .values(
            "organization_id",
            "organization__name",
            *OWNER_FIELDS,
            "month",
            "health_score",
            "health_band",
            "input_nps",
            "is_watermelon",
        )[:limit]
    ]


def _cached(instance) -> dict:
    return instance._state.fields_cache


def with_value_figures(rows, *, key: str = "id", now: datetime | None = None):
    """The portfolio's rows (objects or dicts, each with the account's id under `key`) with the
    account's current health: `health_score`, `health_band` and `nps` (the NPS over the health
    window) of its all-steps snapshot of the current month, None and "" without one. One query."""
    rows = list(rows)
    if not rows:
        return rows

    def get(row):
        return row[key] if isinstance(row, dict) else getattr(row, key)

    month = month_of(now or timezone.now())
    figures = {
        organization_id: (score, band, nps)
        for organization_id, score, band, nps in ValueSnapshot.objects.filter(
            level=SnapshotLevel.ACCOUNT, step="", month=month, organization_id__in={get(row) for row in rows}
        )
        .order_by()
        .values_list("organization_id", "health_score", "health_band", "input_nps")
    }
    for row in rows:
        score, band, nps = figures.get(get(row), (None, "", None))
        if isinstance(row, dict):
            row.update(health_score=score, health_band=band, nps=nps)
        else:
            row.health_score, row.health_band, row.nps = score, band, nps
    return rows
