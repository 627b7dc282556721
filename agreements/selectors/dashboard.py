"""Reads of Agree: the SLA dashboard (portfolio and account), the compliance shown on an agreement's page
and on the account page's Agree panel, and the rows of the compliance export.

Compliance is the compliance engine's definition: over the target scores that were measured (status
other than no data), the share met or at risk. A month counts the scores whose period ends in it, so a
quarterly target counts in its quarter's last month. Periods always end on a month's last day, which
lets the counts group by `period_end` itself rather than by a month worked out per row.

The dashboard costs the same few queries whatever the size of the portfolio, and reads as few rows as
its figures allow. The counts per month (trend, headline, and the number of targets at risk and
breached) and the accounts lowest this month come from the engine's `Scorecard`s, which hold exactly
those counts per account and per agreement and month, unless a target kind is asked for: the kind, like
this month's breakdown by kind, is counted in the database over `TargetScore`, whose copies of the
account, agreement and kind filter without joins, narrowed first by `period_end` and the account ids.
The at-risk and breached lists rank the scores of the current periods worst first with a window
function, then read the hundred shown. A test holds the two sources to the same figures.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from django.db.models import (
    Case,
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    FilteredRelation,
    FloatField,
    Lookup,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Abs, Cast, Coalesce, NullIf, RowNumber
from django.http import Http404
from django.utils import timezone
from django.utils.safestring import SafeString

from agreements.charts import compliance_trend_chart
from agreements.models import (
    Agreement,
    AgreementKind,
    AgreementStatus,
    Breach,
    ComplianceStatus,
    Scorecard,
    ServiceLevelTarget,
    TargetKind,
    TargetScore,
)
from agreements.periods import add_periods, period_bounds, period_label, period_start
from journeys import roles
from journeys.models import Organization, OrganizationKind
from journeys.selectors import organization_is_visible, organization_scope
from offerings.models import ServiceOffering

__all__ = [
    "ACCOUNT_CHOICES_LIMIT",
    "AGREEMENT_TREND_MONTHS",
    "DASHBOARD_LIST_LIMIT",
    "DASHBOARD_LOWEST_ACCOUNTS",
    "DASHBOARD_MAX_MONTHS",
    "SLA_EXPORT_COLUMNS",
    "AccountCompliance",
    "AgreementCompliance",
    "AgreementRow",
    "ComplianceFigures",
    "KindFigures",
    "MonthFigures",
    "ScoreRow",
    "SlaDashboard",
    "TargetPeriods",
    "account_agreements_compliance",
    "account_sla_panel",
    "agreement_compliance",
    "rule_text",
    "sla_account_choices",
    "sla_dashboard",
    "sla_export_rows",
    "sla_offering_choices",
    "target_current_scores",
    "value_text",
]

DASHBOARD_LIST_LIMIT = 50
DASHBOARD_LOWEST_ACCOUNTS = 10
DASHBOARD_MAX_MONTHS = 36
# Above this many accounts the dashboard's account filter is a search box rather than a list.
ACCOUNT_CHOICES_LIMIT = 300
AGREEMENT_TREND_MONTHS = 12
AGREEMENT_OPEN_BREACHES = 20

MEASURED = ~Q(status=ComplianceStatus.NO_DATA)
HUNDRED = Decimal(100)
TENTH = Decimal("0.1")


def target_current_scores(*, agreement, today) -> dict[int, TargetScore]:
    """Each of the agreement's targets' score for the period holding `today` (the open one), by target
    id; targets not yet computed are missing. One query."""
    scores = TargetScore.objects.filter(agreement=agreement, period_start__lte=today, period_end__gte=today)
    return {score.target_id: score for score in scores}


# --- figures --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ComplianceFigures:
    """Counts of measured target scores and the compliance they give."""

    met: int = 0
    at_risk: int = 0
    breached: int = 0

    @property
    def measured(self) -> int:
        return self.met + self.at_risk + self.breached

    @property
    def compliant(self) -> int:
        return self.met + self.at_risk

    @property
    def pct(self) -> Decimal | None:
        """Met or at risk ÷ measured, in % with one decimal; None when nothing was measured."""
        if not self.measured:
            return None
        return (Decimal(self.compliant) * HUNDRED / Decimal(self.measured)).quantize(TENTH, ROUND_HALF_UP)

    def __add__(self, other: ComplianceFigures) -> ComplianceFigures:
        return ComplianceFigures(
            met=self.met + other.met,
            at_risk=self.at_risk + other.at_risk,
            breached=self.breached + other.breached,
        )

    def as_dict(self) -> dict:
        return {
            "measured": self.measured,
            "met": self.met,
            "at_risk": self.at_risk,
            "breached": self.breached,
            "compliance_pct": self.pct,
        }


def _change(current: ComplianceFigures, previous: ComplianceFigures) -> Decimal | None:
    if current.pct is None or previous.pct is None:
        return None
    return current.pct - previous.pct


@dataclass(frozen=True, slots=True)
class MonthFigures:
    month: date  # its first day
    figures: ComplianceFigures

    @property
    def label(self) -> str:
        return period_label("month", self.month)


@dataclass(frozen=True, slots=True)
class KindFigures:
    kind: TargetKind
    figures: ComplianceFigures


@dataclass(frozen=True, slots=True)
class AccountCompliance:
    organization_id: int
    name: str
    figures: ComplianceFigures


def value_text(value: Decimal | None, unit: str = "") -> str:
    """A measured value as people read it ("99.95 %"); empty when there is none."""
    if value is None:
        return ""
    text = format(value.normalize(), "f")
    return f"{text} {unit}" if unit else text


@lru_cache(maxsize=4096)
def rule_text(comparator: str, target_value: Decimal, unit: str) -> str:
    """A target as people read it ("≥ 99.5 %"), written by the target model itself."""
    return ServiceLevelTarget(comparator=comparator, target_value=target_value, unit=unit).rule


@dataclass(frozen=True, slots=True)
class ScoreRow:
    """One target in one period, as the at-risk and breached lists show it."""

    pk: int
    status: str
    organization_id: int
    organization_name: str
    agreement_id: int
    agreement_title: str
    target_id: int
    target_name: str
    kind: str
    period: str
    period_start: date
    period_end: date
    achieved_value: Decimal | None
    measurement_count: int
    is_closed: bool
    unit: str
    rule: str

    @property
    def period_label(self) -> str:
        return period_label(self.period, self.period_start)

    @property
    def kind_label(self) -> str:
        return TargetKind(self.kind).label

    @property
    def achieved_text(self) -> str:
        return value_text(self.achieved_value, self.unit)


@dataclass
class SlaDashboard:
    today: date
    months: int
    organization: Organization | None
    offering: object | None
    kind: str
    search: str
    current: ComplianceFigures
    previous: ComplianceFigures
    trend: list[MonthFigures]
    by_kind: list[KindFigures]
    at_risk: list[ScoreRow]
    at_risk_total: int
    breached: list[ScoreRow]
    breached_total: int
    lowest_accounts: list[AccountCompliance]
    active_agreements: int
    list_limit: int = DASHBOARD_LIST_LIMIT

    @property
    def current_month(self) -> date:
        return self.today.replace(day=1)

    @property
    def previous_month(self) -> date:
        return add_periods("month", self.current_month, -1)

    @property
    def change(self) -> Decimal | None:
        """This month's compliance so far minus last month's, in percentage points."""
        return _change(self.current, self.previous)

    @property
    def has_data(self) -> bool:
        return any(month.figures.measured for month in self.trend)


# --- the dashboard --------------------------------------------------------------------------------


def _visible_accounts(*, user, organization: Organization | None, search: str = "") -> list[int] | None:
    """The ids of the accounts the figures cover: the one account (404 for an outsider), or the
    accounts the user may see whose name holds `search`; None for all of them. One query unless it is
    one account or everything.

    The ids are read first and named outright in the queries that count: PostgreSQL misjudges how
    many rows a subquery of accounts keeps and then reads a whole month range of scores (or every
    account's scorecards) instead of each account's own, through the (organization, …) indexes."""
    if organization is not None:
        if not organization_is_visible(user, organization):
            raise Http404("Not found.")
        return [organization.pk]
    if roles.sees_whole_portfolio(user) and not search:
        return None
    accounts = organization_scope(user)
    if search:
        accounts = accounts.filter(name__icontains=search)
    return list(accounts.order_by().values_list("pk", flat=True))


class _AmongIds(Lookup):
    """`column IN (ids)` for a list of ids read from the database: on PostgreSQL one array parameter
    (`= ANY('{…}')`), elsewhere a plain IN. Django's own `__in` prepares and checks each of the hundreds
    of ids, on every query that names them; these are ids already."""

    lookup_name = "among_ids"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        column, params = compiler.compile(self.lhs)
        ids = [int(pk) for pk in self.rhs]
        if connection.vendor == "postgresql":
            # An array literal ('{1,2,3}', typed by the column): written as ARRAY[1,2,3] the planner
            # turns small scans into parallel ones that cost more to start than to run.
            return f"{column} = ANY(%s)", [*params, "{" + ",".join(map(str, ids)) + "}"]
        if not ids:
            return "1 = 0", params
        return f"{column} IN ({', '.join(['%s'] * len(ids))})", [*params, *ids]


def _in_scope(rows: QuerySet, accounts: list[int] | None) -> QuerySet:
    """Rows of a model with an `organization` (scores, scorecards, agreements) of those accounts."""
    return rows if accounts is None else rows.filter(_AmongIds(F("organization_id"), accounts))


def _covering(offering, agreement: str = "agreement_id") -> Exists:
    """The agreement (its id in the column `agreement`) covers the offering."""
    return Exists(
        Agreement.offerings.through.objects.filter(
            agreement_id=OuterRef(agreement), serviceoffering_id=offering.pk
        )
    )


def _scores_in_scope(*, accounts: list[int] | None, offering, kind: str) -> QuerySet[TargetScore]:
    """The target scores of the accounts, narrowed by offering and kind."""
    scores = _in_scope(TargetScore.objects.all(), accounts)
    if offering is not None:
        scores = scores.filter(_covering(offering))
    if kind:
        scores = scores.filter(kind=kind)
    return scores.order_by()


def _month_end(month: date) -> date:
    return period_bounds("month", month)[1]


def _figures_of(row: dict) -> ComplianceFigures:
    return ComplianceFigures(met=row["met"] or 0, at_risk=row["at_risk"] or 0, breached=row["breached"] or 0)


_COUNTS = {
    "met": Count("pk", filter=Q(status=ComplianceStatus.MET)),
    "at_risk": Count("pk", filter=Q(status=ComplianceStatus.AT_RISK)),
    "breached": Count("pk", filter=Q(status=ComplianceStatus.BREACHED)),
}
_SUMS = {"met": Sum("met"), "at_risk": Sum("at_risk"), "breached": Sum("breached")}


def _monthly_counts(
    *, accounts: list[int] | None, offering, kind: str, first_month: date, last_month: date, by=()
) -> QuerySet:
    """Met, at-risk and breached counts per month (`month`, a day of it) and per the fields `by`, for
    the months from `first_month` to `last_month`.

    Without a kind they come from the engine's scorecards, which hold exactly these counts per account
    (and per agreement, for an offering's agreements) and month: a few rows per account instead of one
    per target. A kind is counted from the target scores, whose period ends in the month."""
    if kind:
        scores = _scores_in_scope(accounts=accounts, offering=offering, kind=kind)
        return (
            scores.filter(MEASURED, period_end__gte=first_month, period_end__lte=_month_end(last_month))
            .values(*by, month=F("period_end"))
            .annotate(**_COUNTS)
        )
    cards = Scorecard.objects.filter(month__gte=first_month, month__lte=last_month)
    if offering is None:
        cards = cards.filter(agreement__isnull=True)
    else:
        cards = cards.filter(agreement__isnull=False).filter(_covering(offering))
    return _in_scope(cards, accounts).order_by().values(*by, "month").annotate(**_SUMS)


def _shortfall() -> Subquery:
    """How far the score's achieved value lies on the wrong side of its target, relative to the target
    (the distance itself for a target of zero): positive when breached, negative but near zero when at
    risk. Sorting by it, largest first, puts the worst of either list first.

    Worked out by the target's row for each score, rather than by joining every target: the lists
    rank a few hundred scores, and a join would read all the targets to find them."""
    target = F("target_value")
    achieved = OuterRef("achieved_value")
    gap = Case(
        When(comparator__in=["gte", "gt"], then=target - achieved),
        When(comparator__in=["lte", "lt"], then=achieved - target),
        default=Abs(target - achieved),
        output_field=DecimalField(max_digits=20, decimal_places=4),
    )
    # As floating point: SQLite keeps whole decimals as integers and would divide them as such.
    gap = Cast(gap, FloatField())
    relative = Coalesce(gap / NullIf(Cast(Abs(target), FloatField()), Value(0.0)), gap)
    return Subquery(
        ServiceLevelTarget.objects.filter(pk=OuterRef("target_id"))
        .order_by()
        .annotate(gap=relative)
        .values("gap"),
        output_field=FloatField(),
    )


_ROW_FIELDS = (
    "pk",
    "status",
    "organization_id",
    "organization_name",
    "agreement_id",
    "agreement_title",
    "target_id",
    "target__name",
    "kind",
    "period",
    "period_start",
    "period_end",
    "achieved_value",
    "measurement_count",
    "is_closed",
    "target__unit",
    "target__comparator",
    "target__target_value",
)


def _score_row(row: tuple) -> ScoreRow:
    *values, unit, comparator, target_value = row
    return ScoreRow(*values, unit=unit, rule=rule_text(comparator, target_value, unit))


def sla_dashboard(
    *,
    user,
    organization: Organization | None = None,
    offering=None,
    kind: str = "",
    months: int = 12,
    today: date | None = None,
    search: str = "",
    list_limit: int = DASHBOARD_LIST_LIMIT,
) -> SlaDashboard:
    """Service level compliance over the accounts the user may see, or over one account
    (`organization`, 404 for an outsider), narrowed to agreements covering an `offering`, to one target
    `kind`, and to accounts whose name holds `search`: this month so far and last month with the change
    between them, a trend over the last `months` months (this one included), this month per kind, the
    targets at risk and breached in the periods holding `today` or ended last month (worst first, at
    most `list_limit` each, with their totals; `list_limit=0` leaves the lists out), the accounts
    lowest this month and the active agreements.

    Seven queries at most, whatever the data: the ids of a relationship manager's accounts, the counts
    per month, the kinds, the lists ranked and then read, the lowest accounts, the active agreements."""
    today = today or timezone.localdate()
    months = max(1, min(int(months), DASHBOARD_MAX_MONTHS))
    kind = kind if kind in TargetKind.values else ""
    search = "" if organization is not None else search.strip()
    accounts = _visible_accounts(user=user, organization=organization, search=search)
    scores = _scores_in_scope(accounts=accounts, offering=offering, kind=kind)
    this_month = today.replace(day=1)
    last_month = add_periods("month", this_month, -1)
    first_month = add_periods("month", this_month, -(months - 1))
    filters = {"accounts": accounts, "offering": offering, "kind": kind}

    # 1. Counts per month from the trend's first month to the end of the quarter holding today: the
    # trend and the headline, and the at-risk and breached targets of the periods that hold today
    # (a quarter's end in a later month) or ended last month.
    per_month: dict[date, ComplianceFigures] = {}
    quarter_end = period_bounds("quarter", today)[1]
    for row in _monthly_counts(
        **filters, first_month=min(first_month, last_month), last_month=quarter_end.replace(day=1)
    ):
        month = row["month"].replace(day=1)
        per_month[month] = per_month.get(month, ComplianceFigures()) + _figures_of(row)
    trend = [
        MonthFigures(month=month, figures=per_month.get(month, ComplianceFigures()))
        for month in (add_periods("month", first_month, index) for index in range(months))
    ]
    current_periods = sum(
        (figures for month, figures in per_month.items() if month >= last_month), ComplianceFigures()
    )

    # 2. This month per kind.
    per_kind = {
        row["kind"]: _figures_of(row)
        for row in scores.filter(MEASURED, period_end__gte=this_month, period_end__lte=_month_end(this_month))
        .values("kind")
        .annotate(**_COUNTS)
    }

    # 3. The at-risk and breached lists, worst first: the few kept of each, then what they show.
    at_risk: list[ScoreRow] = []
    breached: list[ScoreRow] = []
    if list_limit > 0:
        worst_first = [F("shortfall").desc(nulls_last=True), F("period_end").desc(), "pk"]
        ranked = list(
            scores.filter(
                period_end__gte=last_month,
                period_end__lte=quarter_end,
                period_start__lte=today,
                status__in=[ComplianceStatus.AT_RISK, ComplianceStatus.BREACHED],
            )
            .annotate(
                shortfall=_shortfall(),
                place=Window(RowNumber(), partition_by=[F("status")], order_by=worst_first),
            )
            .filter(place__lte=list_limit)
            .order_by(*worst_first)
            .values_list("pk", "status")
        )
        details = {
            row[0]: row
            for row in TargetScore.objects.filter(pk__in=[pk for pk, _status in ranked])
            .order_by()
            .annotate(
                # Looked up per row: a join would read every account and agreement to find a hundred.
                organization_name=Subquery(
                    Organization.objects.filter(pk=OuterRef("organization_id")).order_by().values("name")
                ),
                agreement_title=Subquery(
                    Agreement.objects.filter(pk=OuterRef("agreement_id")).order_by().values("title")
                ),
            )
            .values_list(*_ROW_FIELDS)
        }
        for pk, status in ranked:
            if pk in details:  # unless the engine removed it in between
                (at_risk if status == ComplianceStatus.AT_RISK else breached).append(_score_row(details[pk]))

    # 4. The accounts lowest this month.
    lowest = [
        AccountCompliance(
            organization_id=row["organization_id"], name=row["organization__name"], figures=_figures_of(row)
        )
        for row in _monthly_counts(
            **filters,
            first_month=this_month,
            last_month=this_month,
            by=("organization_id", "organization__name"),
        )
        .annotate(measured=F("met") + F("at_risk") + F("breached"))
        .filter(measured__gt=0)
        .annotate(
            compliance=ExpressionWrapper(
                (F("met") + F("at_risk")) * Value(100.0) / F("measured"), output_field=FloatField()
            )
        )
        .order_by("compliance", "-breached", "organization__name", "organization_id")[
            :DASHBOARD_LOWEST_ACCOUNTS
        ]
    ]

    # 5. The active agreements.
    agreements = _in_scope(Agreement.objects.filter(status=AgreementStatus.ACTIVE), accounts)
    if offering is not None:
        agreements = agreements.filter(_covering(offering, "pk"))
    if kind:
        agreements = agreements.filter(
            Exists(ServiceLevelTarget.objects.filter(agreement_id=OuterRef("pk"), kind=kind, is_active=True))
        )

    return SlaDashboard(
        today=today,
        months=months,
        organization=organization,
        offering=offering,
        kind=kind,
        search=search,
        current=per_month.get(this_month, ComplianceFigures()),
        previous=per_month.get(last_month, ComplianceFigures()),
        trend=trend,
        by_kind=[
            KindFigures(kind=each, figures=per_kind.get(each.value, ComplianceFigures()))
            for each in TargetKind
            if not kind or each.value == kind
        ],
        at_risk=at_risk,
        at_risk_total=current_periods.at_risk,
        breached=breached,
        breached_total=current_periods.breached,
        lowest_accounts=lowest,
        active_agreements=agreements.order_by().count(),
        list_limit=list_limit,
    )


def sla_account_choices(*, user, limit: int = ACCOUNT_CHOICES_LIMIT) -> list[tuple[int, str]] | None:
    """The consumer accounts the user may see that have an agreement, as (id, name) by name, for the
    dashboard's account filter; None when there are more than `limit` (the filter is then a search by
    name). One query."""
    accounts = list(
        organization_scope(user)
        .filter(kind=OrganizationKind.CONSUMER)
        .filter(Exists(Agreement.objects.filter(organization_id=OuterRef("pk"))))
        .order_by("name", "pk")
        .values_list("pk", "name")[: limit + 1]
    )
    return accounts if len(accounts) <= limit else None


def sla_offering_choices() -> list[ServiceOffering]:
    """The catalogue's offerings (retired ones too: agreements may still cover them), for the
    dashboard's offering filter. One query."""
    return list(ServiceOffering.objects.only("pk", "name").order_by("name", "pk"))


# --- the export -----------------------------------------------------------------------------------

SLA_EXPORT_COLUMNS = (
    "Account",
    "Agreement",
    "Target",
    "Kind",
    "Period",
    "Period start",
    "Period end",
    "Achieved value",
    "Target rule",
    "Warning threshold",
    "Status",
    "Measurements",
)
EXPORT_CHUNK = 2000


def _plain(value: Decimal | None) -> str:
    if value is None:
        return ""
    return format(value.normalize(), "f")


def sla_export_rows(
    *,
    user,
    organization: Organization | None = None,
    offering=None,
    kind: str = "",
    months: int = 12,
    today: date | None = None,
    search: str = "",
) -> Iterator[tuple]:
    """The target scores behind the dashboard's trend (the same filters, periods ending in the last
    `months` months), those without data included, one tuple per score in the order of
    `SLA_EXPORT_COLUMNS`: by account, agreement, target and period. The account is checked at once
    (404 for an outsider); the rows are read in chunks as they are consumed, for a streamed answer."""
    today = today or timezone.localdate()
    months = max(1, min(int(months), DASHBOARD_MAX_MONTHS))
    kind = kind if kind in TargetKind.values else ""
    this_month = today.replace(day=1)
    search = "" if organization is not None else search.strip()
    accounts = _visible_accounts(user=user, organization=organization, search=search)
    scores = _scores_in_scope(accounts=accounts, offering=offering, kind=kind)
    rows = (
        scores.filter(
            period_end__gte=add_periods("month", this_month, -(months - 1)),
            period_end__lte=_month_end(this_month),
        )
        .order_by(
            "organization__name",
            "organization_id",
            "agreement__title",
            "agreement_id",
            "target__position",
            "target_id",
            "period_start",
        )
        .values_list(
            "organization__name",
            "agreement__title",
            "target__name",
            "kind",
            "period",
            "period_start",
            "period_end",
            "achieved_value",
            "target__comparator",
            "target__target_value",
            "target__unit",
            "target__warning_threshold",
            "status",
            "measurement_count",
        )
    )
    return _export_lines(rows)


def _export_lines(rows: QuerySet) -> Iterator[tuple]:
    kinds = dict(TargetKind.choices)
    statuses = dict(ComplianceStatus.choices)
    for (
        account,
        agreement,
        target,
        target_kind,
        period,
        start,
        end,
        achieved,
        comparator,
        target_value,
        unit,
        warning,
        status,
        count,
    ) in rows.iterator(chunk_size=EXPORT_CHUNK):
        yield (
            account,
            agreement,
            target,
            kinds.get(target_kind, target_kind),
            period_label(period, start),
            start.isoformat(),
            end.isoformat(),
            _plain(achieved),
            rule_text(comparator, target_value, unit),
            _plain(warning),
            statuses.get(status, status),
            count,
        )


# --- one agreement --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TargetPeriods:
    """A target with its score in the open period and in the one before."""

    target: ServiceLevelTarget
    current_label: str
    current: TargetScore | None
    previous_label: str
    previous: TargetScore | None

    @property
    def current_text(self) -> str:
        return value_text(self.current.achieved_value, self.target.unit) if self.current else ""

    @property
    def previous_text(self) -> str:
        return value_text(self.previous.achieved_value, self.target.unit) if self.previous else ""


@dataclass
class AgreementCompliance:
    agreement: Agreement
    today: date
    this_month: ComplianceFigures
    last_month: ComplianceFigures
    trend: list[MonthFigures]
    targets: list[TargetPeriods]
    open_breaches: list[Breach]
    open_breach_count: int
    computed_at: datetime | None

    @property
    def change(self) -> Decimal | None:
        return _change(self.this_month, self.last_month)

    @property
    def trend_chart(self) -> SafeString:
        """The twelve months as a chart (agreements.charts)."""
        return compliance_trend_chart(
            self.trend,
            chart_id=f"agreement-{self.agreement.pk}-trend",
            title="Compliance of this agreement per month",
            open_month=self.today.replace(day=1),
        )

    @property
    def this_month_label(self) -> str:
        return period_label("month", self.today.replace(day=1))

    @property
    def last_month_label(self) -> str:
        return period_label("month", add_periods("month", self.today.replace(day=1), -1))


def _card_figures(card: Scorecard | None) -> ComplianceFigures:
    if card is None:
        return ComplianceFigures()
    return ComplianceFigures(met=card.met, at_risk=card.at_risk, breached=card.breached)


def agreement_compliance(
    *, user, agreement: Agreement, today: date | None = None
) -> AgreementCompliance | None:
    """The compliance section of the agreement's page: this month's and last month's compliance and a
    twelve-month trend from the agreement's scorecards, each target's status in its open period and
    the one before, and the breaches not cleared (the latest few, with their number). None when the
    engine has computed nothing for the agreement yet. Four queries (two when nothing was computed);
    404 for an outsider."""
    if not organization_is_visible(user, agreement.organization):
        raise Http404("Not found.")
    today = today or timezone.localdate()
    this_month = today.replace(day=1)
    first_month = add_periods("month", this_month, -(AGREEMENT_TREND_MONTHS - 1))
    cards = {
        card.month: card
        for card in Scorecard.objects.filter(
            agreement_id=agreement.pk, month__gte=first_month, month__lte=this_month
        ).only("month", "met", "at_risk", "breached", "targets_measured", "computed_at")
    }
    # The open period and the one before, of a monthly or quarterly target.
    earliest = add_periods("quarter", period_start("quarter", today), -1)
    scores = list(
        TargetScore.objects.filter(
            agreement_id=agreement.pk, period_end__gte=earliest, period_start__lte=today
        ).order_by()
    )
    if not cards and not scores:
        return None
    targets = list(ServiceLevelTarget.objects.filter(agreement_id=agreement.pk).order_by("position", "pk"))
    by_target: dict[tuple[int, date], TargetScore] = {(s.target_id, s.period_start): s for s in scores}
    rows = []
    for target in targets:
        current_start = period_start(target.period, today)
        previous_start = add_periods(target.period, current_start, -1)
        current = by_target.get((target.pk, current_start))
        previous = by_target.get((target.pk, previous_start))
        if not target.is_active and current is None and previous is None:
            continue
        rows.append(
            TargetPeriods(
                target=target,
                current_label=period_label(target.period, current_start),
                current=current,
                previous_label=period_label(target.period, previous_start),
                previous=previous,
            )
        )
    breaches = Breach.objects.filter(agreement_id=agreement.pk, cleared_at__isnull=True)
    open_breaches = list(
        breaches.select_related("target")
        .annotate(total=Window(Count("pk")))
        .order_by("-period_start", "-detected_at", "-pk")[:AGREEMENT_OPEN_BREACHES]
    )
    for breach in open_breaches:
        breach.period_label = period_label(breach.target.period, breach.period_start)
        breach.achieved_text = value_text(breach.achieved_value, breach.target.unit)
    computed = [card.computed_at for card in cards.values()] + [score.computed_at for score in scores]
    return AgreementCompliance(
        agreement=agreement,
        today=today,
        this_month=_card_figures(cards.get(this_month)),
        last_month=_card_figures(cards.get(add_periods("month", this_month, -1))),
        trend=[
            MonthFigures(month=month, figures=_card_figures(cards.get(month)))
            for month in (add_periods("month", first_month, index) for index in range(AGREEMENT_TREND_MONTHS))
        ],
        targets=rows,
        open_breaches=open_breaches,
        open_breach_count=open_breaches[0].total if open_breaches else 0,
        computed_at=max(computed) if computed else None,
    )


# --- one account ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AgreementRow:
    """An agreement of an account with its compliance this month (from its scorecard)."""

    pk: int
    title: str
    reference: str
    kind: str
    status: str
    starts_on: date | None
    ends_on: date | None
    figures: ComplianceFigures
    computed: bool

    @property
    def status_label(self) -> str:
        return AgreementStatus(self.status).label

    @property
    def kind_label(self) -> str:
        return AgreementKind(self.kind).label


def _agreement_rows(agreements: QuerySet[Agreement], month: date) -> list[AgreementRow]:
    rows = agreements.annotate(
        card=FilteredRelation("scorecards", condition=Q(scorecards__month=month))
    ).values_list(
        "pk",
        "title",
        "reference",
        "kind",
        "status",
        "starts_on",
        "ends_on",
        "card__met",
        "card__at_risk",
        "card__breached",
        "card__pk",
    )
    return [
        AgreementRow(
            pk=pk,
            title=title,
            reference=reference,
            kind=kind,
            status=status,
            starts_on=starts_on,
            ends_on=ends_on,
            figures=ComplianceFigures(met=met or 0, at_risk=at_risk or 0, breached=breached or 0),
            computed=card is not None,
        )
        for pk, title, reference, kind, status, starts_on, ends_on, met, at_risk, breached, card in rows
    ]


_STATUS_ORDER = Case(
    *(When(status=status, then=Value(index)) for index, status in enumerate(AgreementStatus.values)),
    default=Value(len(AgreementStatus.values)),
)


def account_agreements_compliance(
    *, user, organization: Organization, today: date | None = None, active_only: bool = False
) -> list[AgreementRow]:
    """The account's agreements (active ones first, then in lifecycle order), each with this month's
    compliance from its scorecard. One query; 404 for an outsider."""
    if not organization_is_visible(user, organization):
        raise Http404("Not found.")
    today = today or timezone.localdate()
    agreements = Agreement.objects.filter(organization_id=organization.pk)
    if active_only:
        agreements = agreements.filter(status=AgreementStatus.ACTIVE)
    agreements = agreements.annotate(
        first=Case(When(status=AgreementStatus.ACTIVE, then=Value(0)), default=Value(1))
    ).order_by("first", _STATUS_ORDER, "title", "pk")
    return _agreement_rows(agreements, today.replace(day=1))


def account_sla_panel(*, user, organization: Organization, today: date | None = None) -> dict:
    """What the account page's Agree panel shows: the account's agreements counted by status, its
    active agreements with this month's compliance and breached targets, and the account's compliance
    this month and last (its own scorecards). Three queries; 404 for an outsider."""
    if not organization_is_visible(user, organization):
        raise Http404("Not found.")
    today = today or timezone.localdate()
    this_month = today.replace(day=1)
    last_month = add_periods("month", this_month, -1)
    counted = dict(
        Agreement.objects.filter(organization_id=organization.pk)
        .order_by()
        .values_list("status")
        .annotate(count=Count("pk"))
        .values_list("status", "count")
    )
    cards = {
        card.month: card
        for card in Scorecard.objects.filter(
            organization_id=organization.pk, agreement__isnull=True, month__in=[this_month, last_month]
        ).only("month", "met", "at_risk", "breached")
    }
    active = account_agreements_compliance(
        user=user, organization=organization, today=today, active_only=True
    )
    this_figures = _card_figures(cards.get(this_month))
    last_figures = _card_figures(cards.get(last_month))
    return {
        "organization": organization,
        "agreement_counts": [
            (status.value, status.label, counted.get(status.value, 0)) for status in AgreementStatus
        ],
        "agreement_statuses": [  # only the statuses it has agreements in
            (status.value, status.label, counted[status.value])
            for status in AgreementStatus
            if counted.get(status.value)
        ],
        "agreement_total": sum(counted.values()),
        "active_agreements": active,
        "breached_targets": sum(row.figures.breached for row in active),
        "this_month": this_figures,
        "last_month": last_figures,
        "this_month_label": period_label("month", this_month),
        "last_month_label": period_label("month", last_month),
        "change": _change(this_figures, last_figures),
        "computed": bool(cards) or any(row.computed for row in active),
        "dashboard_url_name": "agreements:account_sla_dashboard",
    }
