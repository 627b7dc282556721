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
function and read in full only the few kept, in the same query; the whole of either list is read a
page at a time (`sla_score_list`) in the same order. A test holds the two sources to the same figures.

Its queries are written in SQL that PostgreSQL and SQLite both run (see `_Scope`): built by the ORM,
their expressions cost more to compile than the database takes to answer them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import NamedTuple

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    F,
    Lookup,
    OuterRef,
    QuerySet,
)
from django.db.models.expressions import RawSQL
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
from journeys.models import Organization
from journeys.selectors import organization_is_visible, organization_scope
from journeys.sql import as_day as _day
from journeys.sql import as_decimal as _decimal
from journeys.sql import as_moment as _moment
from journeys.sql import fetch as _rows
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
    "OpenBreach",
    "PeriodScore",
    "ScorePage",
    "ScoreRow",
    "SlaAccounts",
    "SlaDashboard",
    "TargetPeriods",
    "account_agreements_compliance",
    "account_sla_panel",
    "agreement_compliance",
    "rule_text",
    "sla_accounts",
    "sla_dashboard",
    "sla_export_rows",
    "sla_offering_choices",
    "sla_score_list",
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


def _visible_accounts(
    *, user, organization: Organization | None, search: str = "", with_agreements: list[int] | None = None
) -> list[int] | None:
    """The ids of the accounts the figures cover: the one account (404 for an outsider), or the
    accounts the user may see whose name holds `search`; None for all of them. One query unless it is
    one account or everything, or the caller has read the ids of the accounts the user may see that
    have an agreement (`with_agreements`, from `sla_accounts`): only those have figures.

    The ids are read first and named outright in the queries that count: PostgreSQL misjudges how
    many rows a subquery of accounts keeps and then reads a whole month range of scores (or every
    account's scorecards) instead of each account's own, through the (organization, …) indexes."""
    if organization is not None:
        if not organization_is_visible(user, organization):
            raise Http404("Not found.")
        return [organization.pk]
    if roles.sees_whole_portfolio(user) and not search:
        return None
    if with_agreements is not None and not search:
        return with_agreements
    accounts = organization_scope(user)
    if search:
        accounts = accounts.filter(name__icontains=search)
    return [pk for (pk,) in _fetched(accounts.order_by().values_list("pk"))]


def _fetched(rows: QuerySet) -> list[tuple]:
    """The rows of a `values_list()` query of plain columns (no conversions to apply), read at once:
    the ORM's iteration, row by row, costs more than the database takes for a few hundred rows."""
    try:
        sql, params = rows.query.sql_with_params()
    except EmptyResultSet:  # a query that can match nothing (`none()`)
        return []
    return _rows(sql, params)


class _AmongIds(Lookup):
    """`column IN (ids)` for a list of ids read from the database: on PostgreSQL one array parameter
    (`= ANY('{…}')`), elsewhere a plain IN. Django's own `__in` prepares and checks each of the hundreds
    of ids, on every query that names them; these are ids already."""

    lookup_name = "among_ids"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        column, params = compiler.compile(self.lhs)
        condition, ids = _among_sql(column, self.rhs, connection.vendor)
        return condition, [*params, *ids]


def _among_sql(column: str, ids: list[int], vendor: str, *, hidden: bool = False) -> tuple[str, list]:
    """`column` is one of `ids`, as SQL and its parameters.

    On PostgreSQL the ids are one array parameter; `hidden` hands it over as the result of a subquery,
    which the planner does not look into. It otherwise estimates how many rows each of the hundreds of
    ids matches, which takes longer than many of the dashboard's queries take to run; the plans are
    the same, the (organization, …) indexes read account by account."""
    ids = [int(pk) for pk in ids]
    if vendor == "postgresql":
        # An array literal ('{1,2,3}', typed by the column): written as ARRAY[1,2,3] the planner
        # turns small scans into parallel ones that cost more to start than to run.
        array = "{" + ",".join(map(str, ids)) + "}"
        if hidden:
            return f"{column} = ANY((SELECT %s::bigint[])::bigint[])", [array]
        return f"{column} = ANY(%s)", [array]
    if not ids:
        return "1 = 0", []
    return f"{column} IN ({', '.join(['%s'] * len(ids))})", ids


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


# The dashboard's queries are written in SQL that PostgreSQL and SQLite both run. Built by the ORM,
# their ranking and counting expressions cost several times more to compile than the database takes
# to answer them. Only the models' own table names and the code's constants are written into the text;
# every value comes as a parameter.

_SCORES = TargetScore._meta.db_table
_CARDS = Scorecard._meta.db_table
_AGREEMENTS = Agreement._meta.db_table
_TARGETS = ServiceLevelTarget._meta.db_table
_ORGANIZATIONS = Organization._meta.db_table
_COVERS = Agreement.offerings.through._meta.db_table

_MET, _AT_RISK, _BREACHED, _NO_DATA = (
    ComplianceStatus.MET.value,
    ComplianceStatus.AT_RISK.value,
    ComplianceStatus.BREACHED.value,
    ComplianceStatus.NO_DATA.value,
)
# The counts of a set of target scores (alias `s`) and of scorecards (alias `c`), in this order.
_SCORE_COUNTS = ", ".join(
    f"SUM(CASE WHEN s.status = '{status}' THEN 1 ELSE 0 END) AS {status}"
    for status in (_MET, _AT_RISK, _BREACHED)
)
_CARD_COUNTS = "SUM(c.met) AS met, SUM(c.at_risk) AS at_risk, SUM(c.breached) AS breached"

# How far a score's (alias `s`) achieved value lies on the wrong side of its target, relative to the
# target (the distance itself for a target of zero): positive when breached, negative but near zero
# when at risk. Sorting by it, largest first, puts the worst of either list first. Floating point:
# SQLite keeps whole decimals as integers and would divide them as such. The target is read by its key
# for each score ranked, rather than joined: a join may read every target to find a few hundred.
_GAP = (
    "CAST(CASE WHEN t.comparator IN ('gte', 'gt') THEN t.target_value - s.achieved_value"
    " WHEN t.comparator IN ('lte', 'lt') THEN s.achieved_value - t.target_value"
    " ELSE ABS(t.target_value - s.achieved_value) END AS DOUBLE PRECISION)"
)
_SHORTFALL = (
    f"(SELECT COALESCE({_GAP} / NULLIF(CAST(ABS(t.target_value) AS DOUBLE PRECISION), 0.0), {_GAP})"  # noqa: S608
    f" FROM {_TARGETS} t WHERE t.id = s.target_id)"
)
_WORST_FIRST = f"{_SHORTFALL} DESC NULLS LAST, s.period_end DESC, s.id"
# What the lists show of a ranked score (`ranked.id`), its target, account and agreement: the columns,
# then the tables they come from.
_SCORE_ROW = (
    "score.id, score.status, score.organization_id,"  # noqa: S608 - names only
    f" (SELECT o.name FROM {_ORGANIZATIONS} o WHERE o.id = score.organization_id),"
    f" score.agreement_id, (SELECT a.title FROM {_AGREEMENTS} a WHERE a.id = score.agreement_id),"
    " score.target_id, t.name, score.kind, score.period, score.period_start, score.period_end,"
    " score.achieved_value, score.measurement_count, score.is_closed, t.unit, t.comparator, t.target_value"
)
_SCORE_ROW_FROM = (
    f"ranked JOIN {_SCORES} score ON score.id = ranked.id JOIN {_TARGETS} t ON t.id = score.target_id"
)


class _Where:
    """SQL conditions joined by AND, with their parameters in order."""

    __slots__ = ("conditions", "params")

    def __init__(self) -> None:
        self.conditions: list[str] = []
        self.params: list = []

    def add(self, condition: str, *params) -> _Where:
        self.conditions.append(condition)
        self.params.extend(params)
        return self

    def __str__(self) -> str:
        return " AND ".join(self.conditions) or "1 = 1"


class _Scope:
    """The dashboard's filters: the accounts (None: all), the offering's id and the target kind."""

    __slots__ = ("_among", "kind", "offering_id")

    def __init__(self, *, accounts: list[int] | None, offering, kind: str) -> None:
        self.offering_id: int | None = offering.pk if offering is not None else None
        self.kind = kind
        # The accounts' condition on a column "{column}", written once for the queries that name it.
        self._among = None
        if accounts is not None:
            self._among = _among_sql("{column}", accounts, connection.vendor, hidden=True)

    def where(self, alias: str, *, agreement: str = "agreement_id", kind: bool = True) -> _Where:
        """The filters as conditions on the rows `alias` of a table with an `organization_id`, an
        agreement (its id in the column `agreement`) and, unless `kind` is False, a `kind`."""
        where = _Where()
        if self._among is not None:
            condition, params = self._among
            where.add(condition.replace("{column}", f"{alias}.organization_id"), *params)
        if self.offering_id is not None:
            where.add(
                f"EXISTS (SELECT 1 FROM {_COVERS} cover WHERE cover.agreement_id = {alias}.{agreement}"  # noqa: S608
                " AND cover.serviceoffering_id = %s)",
                self.offering_id,
            )
        if kind and self.kind:
            where.add(f"{alias}.kind = %s", self.kind)
        return where

    def counted(self) -> _Counted:
        """What a month's met, at-risk and breached counts are counted over.

        Without a kind they come from the engine's scorecards, which hold exactly these counts per
        account (and per agreement, for an offering's agreements) and month: a few rows per account
        instead of one per target. A kind is counted from the target scores, whose period ends in the
        month."""
        if self.kind:
            where = self.where("s").add("s.status <> %s", _NO_DATA)
            return _Counted(f"{_SCORES} s", "s", "s.period_end", _SCORE_COUNTS, where, per_account=False)
        where = self.where("c", kind=False)
        if self.offering_id is None:
            where.add("c.agreement_id IS NULL")
            return _Counted(f"{_CARDS} c", "c", "c.month", _CARD_COUNTS, where, per_account=True)
        where.add("c.agreement_id IS NOT NULL")
        return _Counted(f"{_CARDS} c", "c", "c.month", _CARD_COUNTS, where, per_account=False)


class _Counted(NamedTuple):
    """The rows a month's counts are counted over: the table with its alias, the column holding a day
    of the month, the three counts (met, at risk, breached) and the rows' conditions; `per_account`
    when a month has one row per account holding its counts (the accounts' own scorecards)."""

    table: str
    alias: str
    month: str
    counts: str
    where: _Where
    per_account: bool


def _figures(met, at_risk, breached) -> ComplianceFigures:
    return ComplianceFigures(met=int(met or 0), at_risk=int(at_risk or 0), breached=int(breached or 0))


# The parts of the dashboard's figures query, each one's rows marked with its number, and the typed
# empty values a part gives for the columns it has no use for (PostgreSQL would take a bare NULL in a
# subquery for text, which a date or a number of another part cannot be united with).
_PART_MONTH, _PART_LOWEST, _PART_KIND, _PART_ACTIVE = range(4)
_NO_DAY, _NO_TEXT, _NO_ID = "CAST(NULL AS DATE)", "CAST(NULL AS VARCHAR(255))", "CAST(NULL AS BIGINT)"


def _monthly_part(scope: _Scope, first_month: date, last_month: date) -> tuple[str, list]:
    """Met, at-risk and breached counts per month, from `first_month` to `last_month` (a row of the
    figures' query each, see `_figures_at_once`)."""
    table, _alias, month, counts, where, _per_account = scope.counted()
    where.add(f"{month} >= %s AND {month} <= %s", first_month, _month_end(last_month))
    return (
        f"SELECT {_PART_MONTH}, {month}, {_NO_TEXT}, {_NO_ID}, {counts}, {_NO_TEXT}, 0 FROM {table}"  # noqa: S608 - names and constants only
        f" WHERE {where} GROUP BY {month}",
        where.params,
    )


_COMPLIANCE = "(account.met + account.at_risk) * 100.0 / (account.met + account.at_risk + account.breached)"


def _lowest_part(scope: _Scope, month: date, limit: int) -> tuple[str, list]:
    """The accounts with the lowest compliance in `month` (the most breached first among equals, then
    by name), of those with anything measured, in their order (see `_figures_at_once`): the accounts
    are ranked by their counts, and only those that may be shown (the lowest and any tied with them)
    are looked up for their names."""
    table, alias, column, counts, where, per_account = scope.counted()
    where.add(f"{column} >= %s AND {column} <= %s", month, _month_end(month))
    if per_account:
        accounts = f"SELECT {alias}.organization_id, {alias}.met, {alias}.at_risk, {alias}.breached"
    else:
        accounts = f"SELECT {alias}.organization_id, {counts}"
    accounts += f" FROM {table} WHERE {where}" + ("" if per_account else f" GROUP BY {alias}.organization_id")
    ranked = (
        "SELECT ranked.organization_id, ranked.met, ranked.at_risk, ranked.breached, ranked.compliance,"  # noqa: S608
        f" (SELECT o.name FROM {_ORGANIZATIONS} o WHERE o.id = ranked.organization_id) AS name"
        f" FROM (SELECT account.organization_id, account.met, account.at_risk, account.breached,"
        f" {_COMPLIANCE} AS compliance, RANK() OVER (ORDER BY {_COMPLIANCE}, account.breached DESC) AS place"
        f" FROM ({accounts}) account WHERE account.met + account.at_risk + account.breached > 0) ranked"
        " WHERE ranked.place <= %s"
    )
    return (
        f"SELECT {_PART_LOWEST}, {_NO_DAY}, {_NO_TEXT}, lowest.organization_id, lowest.met, lowest.at_risk,"  # noqa: S608
        " lowest.breached, lowest.name, lowest.seq FROM (SELECT named.*, ROW_NUMBER() OVER"
        " (ORDER BY named.compliance, named.breached DESC, named.name, named.organization_id) AS seq"
        f" FROM ({ranked}) named) lowest WHERE lowest.seq <= %s",
        [*where.params, limit, limit],
    )


def _kind_part(scope: _Scope, month: date) -> tuple[str, list]:
    """The month's counts per target kind, from the scores whose period ends in it (see
    `_figures_at_once`)."""
    where = scope.where("s").add(
        "s.status <> %s AND s.period_end >= %s AND s.period_end <= %s", _NO_DATA, month, _month_end(month)
    )
    return (
        f"SELECT {_PART_KIND}, {_NO_DAY}, s.kind, {_NO_ID}, {_SCORE_COUNTS}, {_NO_TEXT}, 0 FROM {_SCORES} s"  # noqa: S608 - names and constants only
        f" WHERE {where} GROUP BY s.kind",
        where.params,
    )


def _active_part(scope: _Scope) -> tuple[str, list]:
    """The number of active agreements of the accounts (covering the offering, with an active target
    of the kind) (see `_figures_at_once`)."""
    where = scope.where("a", agreement="id", kind=False).add("a.status = %s", AgreementStatus.ACTIVE.value)
    if scope.kind:
        where.add(
            f"EXISTS (SELECT 1 FROM {_TARGETS} t"  # noqa: S608 - names only
            " WHERE t.agreement_id = a.id AND t.kind = %s AND t.is_active = %s)",
            scope.kind,
            True,
        )
    columns = f"{_PART_ACTIVE}, {_NO_DAY}, {_NO_TEXT}, {_NO_ID}, COUNT(*), 0, 0, {_NO_TEXT}, 0"
    return f"SELECT {columns} FROM {_AGREEMENTS} a WHERE {where}", where.params  # noqa: S608 - names only


class _Figures(NamedTuple):
    per_month: dict[date, ComplianceFigures]
    lowest: list[AccountCompliance]
    per_kind: dict[str, ComplianceFigures]
    active_agreements: int


def _figures_at_once(
    scope: _Scope, *, first_month: date, last_month: date, this_month: date, lowest: int
) -> _Figures:
    """The dashboard's counts in one query, its parts' rows one after the other: per month from
    `first_month` to `last_month`, the `lowest` accounts this month, this month per kind, the active
    agreements. Each part keeps its own plan; together they cost one round trip to the database."""
    parts = (
        _monthly_part(scope, first_month, last_month),
        _lowest_part(scope, this_month, lowest),
        _kind_part(scope, this_month),
        _active_part(scope),
    )
    sql = " UNION ALL ".join(
        f"SELECT * FROM ({part}) part_{number}"  # noqa: S608 - the parts' own text
        for number, (part, _) in enumerate(parts)
    )
    figures = _Figures(per_month={}, lowest=[], per_kind={}, active_agreements=0)
    active = 0
    for part, day, kind, organization_id, met, at_risk, breached, name, _seq in _rows(
        f"{sql} ORDER BY 1, 9", [param for _part, params in parts for param in params]
    ):
        if part == _PART_MONTH:
            # One row a month: a scorecard's month is its first day, and every period ends on a
            # month's last.
            figures.per_month[_day(day).replace(day=1)] = _figures(met, at_risk, breached)
        elif part == _PART_LOWEST:
            figures.lowest.append(
                AccountCompliance(
                    organization_id=organization_id, name=name, figures=_figures(met, at_risk, breached)
                )
            )
        elif part == _PART_KIND:
            figures.per_kind[kind] = _figures(met, at_risk, breached)
        else:
            active = int(met)
    return figures._replace(active_agreements=active)


def _listed(scope: _Scope, *, today: date) -> _Where:
    """The scores the at-risk and breached lists show: those of the periods that hold `today` (a
    quarter may end in a later month) or ended last month."""
    last_month = add_periods("month", today.replace(day=1), -1)
    return scope.where("s").add(
        "s.period_end >= %s AND s.period_end <= %s AND s.period_start <= %s",
        last_month,
        period_bounds("quarter", today)[1],
        today,
    )


def _score_row(row: tuple) -> ScoreRow:
    (pk, status, organization_id, organization_name, agreement_id, agreement_title, target_id, target_name,
     kind, period, start, end, achieved, count, is_closed, unit, comparator, target_value) = row  # fmt: skip
    return ScoreRow(
        pk=pk,
        status=status,
        organization_id=organization_id,
        organization_name=organization_name,
        agreement_id=agreement_id,
        agreement_title=agreement_title,
        target_id=target_id,
        target_name=target_name,
        kind=kind,
        period=period,
        period_start=_day(start),
        period_end=_day(end),
        achieved_value=_decimal(achieved),
        measurement_count=count,
        is_closed=bool(is_closed),
        unit=unit,
        rule=rule_text(comparator, _decimal(target_value), unit),
    )


def _worst_scores(scope: _Scope, *, today: date, limit: int) -> tuple[list[ScoreRow], list[ScoreRow]]:
    """The at-risk and the breached scores of the listed periods, worst first, at most `limit` of each.
    One query: the scores are ranked within their status from the index's columns, and only the ones
    kept are read in full."""
    where = _listed(scope, today=today).add("s.status IN (%s, %s)", _AT_RISK, _BREACHED)
    sql = (
        "WITH ranked AS (SELECT s.id, s.status,"  # noqa: S608 - names and constants only
        f" ROW_NUMBER() OVER (PARTITION BY s.status ORDER BY {_WORST_FIRST}) AS place"
        f" FROM {_SCORES} s WHERE {where})"
        f" SELECT {_SCORE_ROW} FROM {_SCORE_ROW_FROM}"
        " WHERE ranked.place <= %s ORDER BY ranked.status, ranked.place"
    )
    at_risk: list[ScoreRow] = []
    breached: list[ScoreRow] = []
    for row in _rows(sql, [*where.params, limit]):
        (at_risk if row[1] == _AT_RISK else breached).append(_score_row(row))
    return at_risk, breached


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
    with_agreements: list[int] | None = None,
) -> SlaDashboard:
    """Service level compliance over the accounts the user may see, or over one account
    (`organization`, 404 for an outsider), narrowed to agreements covering an `offering`, to one target
    `kind`, and to accounts whose name holds `search`: this month so far and last month with the change
    between them, a trend over the last `months` months (this one included), this month per kind, the
    targets at risk and breached in the periods holding `today` or ended last month (worst first, at
    most `list_limit` each, with their totals; `list_limit=0` leaves the lists out), the accounts
    lowest this month and the active agreements.

    Three queries at most, whatever the data: the ids of a relationship manager's accounts (none when
    the caller passes those that have an agreement, `with_agreements`), the figures (per month, per
    kind, the lowest accounts, the active agreements), the lists."""
    today = today or timezone.localdate()
    months = max(1, min(int(months), DASHBOARD_MAX_MONTHS))
    kind = kind if kind in TargetKind.values else ""
    search = "" if organization is not None else search.strip()
    accounts = _visible_accounts(
        user=user, organization=organization, search=search, with_agreements=with_agreements
    )
    scope = _Scope(accounts=accounts, offering=offering, kind=kind)
    this_month = today.replace(day=1)
    last_month = add_periods("month", this_month, -1)
    first_month = add_periods("month", this_month, -(months - 1))

    # Counts per month from the trend's first month to the end of the quarter holding today: the
    # trend and the headline, and the at-risk and breached targets of the periods that hold today
    # (a quarter's end in a later month) or ended last month.
    counted = _figures_at_once(
        scope,
        first_month=min(first_month, last_month),
        last_month=period_bounds("quarter", today)[1].replace(day=1),
        this_month=this_month,
        lowest=DASHBOARD_LOWEST_ACCOUNTS,
    )
    per_month, per_kind = counted.per_month, counted.per_kind
    current_periods = sum(
        (figures for month, figures in per_month.items() if month >= last_month), ComplianceFigures()
    )
    at_risk, breached = _worst_scores(scope, today=today, limit=list_limit) if list_limit > 0 else ([], [])
    return SlaDashboard(
        today=today,
        months=months,
        organization=organization,
        offering=offering,
        kind=kind,
        search=search,
        current=per_month.get(this_month, ComplianceFigures()),
        previous=per_month.get(last_month, ComplianceFigures()),
        trend=[
            MonthFigures(month=month, figures=per_month.get(month, ComplianceFigures()))
            for month in (add_periods("month", first_month, index) for index in range(months))
        ],
        by_kind=[
            KindFigures(kind=each, figures=per_kind.get(each.value, ComplianceFigures()))
            for each in TargetKind
            if not kind or each.value == kind
        ],
        at_risk=at_risk,
        at_risk_total=current_periods.at_risk,
        breached=breached,
        breached_total=current_periods.breached,
        lowest_accounts=counted.lowest,
        active_agreements=counted.active_agreements,
        list_limit=list_limit,
    )


@dataclass(frozen=True, slots=True)
class ScorePage:
    """A page of the full at-risk or breached list."""

    status: str
    rows: list[ScoreRow]
    total: int
    number: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def first_place(self) -> int:
        return (self.number - 1) * self.per_page + 1

    @property
    def last_place(self) -> int:
        return self.first_place + len(self.rows) - 1


def sla_score_list(
    *,
    user,
    status: str,
    organization: Organization | None = None,
    offering=None,
    kind: str = "",
    today: date | None = None,
    search: str = "",
    page: int = 1,
    per_page: int = DASHBOARD_LIST_LIMIT,
    with_agreements: list[int] | None = None,
) -> ScorePage:
    """The whole list of the targets at risk or breached (`status`) that the dashboard shows the worst
    of, with the same filters and in the same order, a page of `per_page` at a time, with their number.
    404 for an outsider's account, for another status, and for a page past the end. Two queries at
    most: the ids of a relationship manager's accounts (unless passed as `with_agreements`, as for
    `sla_dashboard`), the page."""
    if status not in (_AT_RISK, _BREACHED):
        raise Http404("Not found.")
    today = today or timezone.localdate()
    kind = kind if kind in TargetKind.values else ""
    search = "" if organization is not None else search.strip()
    page = max(1, int(page))
    accounts = _visible_accounts(
        user=user, organization=organization, search=search, with_agreements=with_agreements
    )
    scope = _Scope(accounts=accounts, offering=offering, kind=kind)
    where = _listed(scope, today=today).add("s.status = %s", status)
    sql = (
        f"WITH ranked AS (SELECT s.id, ROW_NUMBER() OVER (ORDER BY {_WORST_FIRST}) AS place,"  # noqa: S608 - names and constants only
        f" COUNT(*) OVER () AS total FROM {_SCORES} s WHERE {where})"
        f" SELECT {_SCORE_ROW}, ranked.total FROM {_SCORE_ROW_FROM}"
        " WHERE ranked.place > %s AND ranked.place <= %s ORDER BY ranked.place"
    )
    rows = _rows(sql, [*where.params, (page - 1) * per_page, page * per_page])
    if not rows and page > 1:
        raise Http404("No such page.")
    return ScorePage(
        status=status,
        rows=[_score_row(row[:-1]) for row in rows],
        total=rows[0][-1] if rows else 0,
        number=page,
        per_page=per_page,
    )


# The account has an agreement: what `Exists(Agreement.objects.filter(organization_id=OuterRef("pk")))`
# writes, at a fraction of the cost of compiling it on every page.
_HAS_AGREEMENT = RawSQL(  # noqa: S611 - table names only
    f'EXISTS (SELECT 1 FROM {_AGREEMENTS} a WHERE a.organization_id = "{_ORGANIZATIONS}"."id")',  # noqa: S608
    [],
    output_field=BooleanField(),
)


class SlaAccounts(NamedTuple):
    """The accounts the user may see that have an agreement: as (id, name) by name for the
    dashboard's account filter (`choices`, None when there are too many: the filter is then a search
    by name), and all their ids for the figures of a user who sees only some accounts
    (`with_agreements`, None for one who sees them all)."""

    choices: list[tuple[int, str]] | None
    with_agreements: list[int] | None


def sla_accounts(*, user, limit: int = ACCOUNT_CHOICES_LIMIT) -> SlaAccounts:
    """The accounts the user may see that have an agreement (only consumers are offered one), for
    the dashboard's account filter and, for a user who sees only some accounts, as the accounts its
    figures cover: only those have any. One query, which reads at most `limit` + 1 accounts for a
    user who sees them all."""
    accounts = (
        organization_scope(user).filter(_HAS_AGREEMENT).order_by("name", "pk").values_list("pk", "name")
    )
    if roles.sees_whole_portfolio(user):
        found = _fetched(accounts[: limit + 1])
        return SlaAccounts(choices=found if len(found) <= limit else None, with_agreements=None)
    found = _fetched(accounts)
    return SlaAccounts(
        choices=found if len(found) <= limit else None, with_agreements=[pk for pk, _name in found]
    )


def sla_offering_choices() -> list[ServiceOffering]:
    """The catalogue's offerings (retired ones too: agreements may still cover them), for the
    dashboard's offering filter. One query."""
    # As `ServiceOffering.objects.only("pk", "name").order_by("name", "pk")` loads them, without the
    # cost of compiling the query on every page.
    sql = f"SELECT o.id, o.name FROM {ServiceOffering._meta.db_table} o ORDER BY o.name, o.id"  # noqa: S608
    return [ServiceOffering.from_db(connection.alias, ["id", "name"], row) for row in _rows(sql, [])]


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
class PeriodScore:
    """A target's score in one period, as the agreement's page shows it."""

    status: str
    achieved_value: Decimal | None

    @property
    def status_label(self) -> str:
        return ComplianceStatus(self.status).label


@dataclass(frozen=True, slots=True)
class TargetPeriods:
    """A target with its score in the open period and in the one before."""

    target: ServiceLevelTarget
    current_label: str
    current: PeriodScore | None
    previous_label: str
    previous: PeriodScore | None

    @property
    def current_text(self) -> str:
        return value_text(self.current.achieved_value, self.target.unit) if self.current else ""

    @property
    def previous_text(self) -> str:
        return value_text(self.previous.achieved_value, self.target.unit) if self.previous else ""


@dataclass(frozen=True, slots=True)
class OpenBreach:
    """A breach not cleared, of one of the agreement's targets."""

    target: ServiceLevelTarget
    period_start: date
    achieved_value: Decimal | None
    detected_at: datetime
    notified_at: datetime | None

    @property
    def period_label(self) -> str:
        return period_label(self.target.period, self.period_start)

    @property
    def achieved_text(self) -> str:
        return value_text(self.achieved_value, self.target.unit)


@dataclass
class AgreementCompliance:
    agreement: Agreement
    today: date
    this_month: ComplianceFigures
    last_month: ComplianceFigures
    trend: list[MonthFigures]
    targets: list[TargetPeriods]
    open_breaches: list[OpenBreach]
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


_BREACHES = Breach._meta.db_table


def agreement_compliance(
    *,
    user,
    agreement: Agreement,
    today: date | None = None,
    targets: Iterable[ServiceLevelTarget] | None = None,
) -> AgreementCompliance | None:
    """The compliance section of the agreement's page: this month's and last month's compliance and a
    twelve-month trend from the agreement's scorecards, each target's status in its open period and
    the one before, and the breaches not cleared (the latest few, with their number). None when the
    engine has computed nothing for the agreement yet. Four queries (two when nothing was computed),
    three when the caller passes the agreement's `targets` it has already read (the page does);
    404 for an outsider."""
    if not organization_is_visible(user, agreement.organization):
        raise Http404("Not found.")
    today = today or timezone.localdate()
    this_month = today.replace(day=1)
    first_month = add_periods("month", this_month, -(AGREEMENT_TREND_MONTHS - 1))
    cards = {
        _day(month): (_figures(met, at_risk, breached), _moment(computed_at))
        for month, met, at_risk, breached, computed_at in _rows(
            f"SELECT c.month, c.met, c.at_risk, c.breached, c.computed_at FROM {_CARDS} c"  # noqa: S608 - names only
            " WHERE c.agreement_id = %s AND c.month >= %s AND c.month <= %s",
            [agreement.pk, first_month, this_month],
        )
    }
    # The open period and the one before, of a monthly or quarterly target.
    earliest = add_periods("quarter", period_start("quarter", today), -1)
    scores = {
        (target_id, _day(start)): (PeriodScore(status=status, achieved_value=_decimal(achieved)), _moment(at))
        for target_id, start, status, achieved, at in _rows(
            "SELECT s.target_id, s.period_start, s.status, s.achieved_value, s.computed_at"  # noqa: S608 - names only
            f" FROM {_SCORES} s WHERE s.agreement_id = %s AND s.period_end >= %s AND s.period_start <= %s",
            [agreement.pk, earliest, today],
        )
    }
    if not cards and not scores:
        return None
    if targets is None:
        targets = ServiceLevelTarget.objects.filter(agreement_id=agreement.pk)
    targets = sorted(targets, key=lambda target: (target.position, target.pk))
    rows = []
    for target in targets:
        current_start = period_start(target.period, today)
        previous_start = add_periods(target.period, current_start, -1)
        current, _at = scores.get((target.pk, current_start), (None, None))
        previous, _at = scores.get((target.pk, previous_start), (None, None))
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
    by_pk = {target.pk: target for target in targets}
    found = _rows(
        "SELECT b.target_id, b.period_start, b.achieved_value, b.detected_at, b.notified_at,"  # noqa: S608 - names only
        f" COUNT(*) OVER () FROM {_BREACHES} b WHERE b.agreement_id = %s AND b.cleared_at IS NULL"
        " ORDER BY b.period_start DESC, b.detected_at DESC, b.id DESC LIMIT %s",
        [agreement.pk, AGREEMENT_OPEN_BREACHES],
    )
    open_breaches = [
        OpenBreach(
            target=by_pk[target_id],
            period_start=_day(start),
            achieved_value=_decimal(achieved),
            detected_at=_moment(detected_at),
            notified_at=_moment(notified_at),
        )
        for target_id, start, achieved, detected_at, notified_at, _total in found
    ]
    computed = [at for _figures_, at in cards.values()] + [at for _score, at in scores.values()]
    return AgreementCompliance(
        agreement=agreement,
        today=today,
        this_month=cards.get(this_month, (ComplianceFigures(), None))[0],
        last_month=cards.get(add_periods("month", this_month, -1), (ComplianceFigures(), None))[0],
        trend=[
            MonthFigures(month=month, figures=cards.get(month, (ComplianceFigures(), None))[0])
            for month in (add_periods("month", first_month, index) for index in range(AGREEMENT_TREND_MONTHS))
        ],
        targets=rows,
        open_breaches=open_breaches,
        open_breach_count=found[0][-1] if found else 0,
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


# Active agreements first, then the others in the order of their lifecycle.
_AGREEMENT_ORDER = (
    f"CASE WHEN a.status = '{AgreementStatus.ACTIVE.value}' THEN 0 ELSE 1 END, CASE a.status "
    + " ".join(f"WHEN '{status}' THEN {place}" for place, status in enumerate(AgreementStatus.values))
    + f" ELSE {len(AgreementStatus.values)} END, a.title, a.id"
)


def account_agreements_compliance(
    *, user, organization: Organization, today: date | None = None, active_only: bool = False
) -> list[AgreementRow]:
    """The account's agreements (active ones first, then in lifecycle order), each with this month's
    compliance from its scorecard. One query; 404 for an outsider."""
    if not organization_is_visible(user, organization):
        raise Http404("Not found.")
    today = today or timezone.localdate()
    where = _Where().add("a.organization_id = %s", organization.pk)
    if active_only:
        where.add("a.status = %s", AgreementStatus.ACTIVE.value)
    sql = (
        "SELECT a.id, a.title, a.reference, a.kind, a.status, a.starts_on, a.ends_on,"  # noqa: S608 - names and constants only
        f" c.met, c.at_risk, c.breached, c.id FROM {_AGREEMENTS} a"
        f" LEFT JOIN {_CARDS} c ON c.agreement_id = a.id AND c.month = %s"
        f" WHERE {where} ORDER BY {_AGREEMENT_ORDER}"
    )
    return [
        AgreementRow(
            pk=pk,
            title=title,
            reference=reference,
            kind=kind,
            status=status,
            starts_on=_day(starts_on) if starts_on else None,
            ends_on=_day(ends_on) if ends_on else None,
            figures=_figures(met, at_risk, breached),
            computed=card is not None,
        )
        for pk, title, reference, kind, status, starts_on, ends_on, met, at_risk, breached, card in _rows(
            sql, [today.replace(day=1), *where.params]
        )
    ]


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
