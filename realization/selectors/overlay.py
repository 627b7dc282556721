"""Reads of Realize: the live journey map.

For one account, a market segment or the user's whole portfolio, and a period of whole months, the
overlay gives per journey step (all seven, in order) the touchpoint volume, the average sentiment,
the moments of truth and the negative contacts (from `StepActivityMonth`); the open requests and
those whose clock breached in the period (from `RequestStanding`); the funnel: accounts whose journey
is at each step now (their `AccountSummary`), those whose history says they reached it, and the
median time a journey spends in each step (from `JourneyStepStay`); the survey answers counted in
each step, as CSAT (% satisfied and mean) and CES (mean), from the value metrics' per-step monthly
snapshots (`ValueSnapshot`); and a peak-end check on the sentiment curve. All of it is one query
(`overlay_figures`). A designed journey map may be laid
beside it (its stages' expected emotion, averaged per step: expected against lived).

Every figure is an aggregate in the database over read models kept by realization.services (they
catch up within five minutes), so the page costs the same few queries for one account or ten
thousand. Only accounts the user may see are counted (journeys.selectors.organization_scope).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import connection
from django.db.models import Avg, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from exploration.models import MarketSegment, SegmentMembership
from journeys import roles
from journeys import selectors as spine_selectors
from journeys.models import (
    AccountSummary,
    JourneyMap,
    JourneyStep,
    MapStage,
    MapVersion,
    Organization,
    Persona,
)
from journeys.sql import fetch
from realization.models import (
    JourneyStepStay,
    RequestStanding,
    SnapshotLevel,
    StepActivityMonth,
    ValueSnapshot,
)
from realization.services.activity import month_bounds, month_of

__all__ = [
    "DEFAULT_PERIOD",
    "PERIODS",
    "SCOPES",
    "Overlay",
    "OverlayChoices",
    "OverlayScope",
    "PeakEnd",
    "StepFigures",
    "account_search",
    "journey_map_get",
    "journey_overlay",
    "overlay_choices",
    "overlay_figures",
    "overlay_scope",
    "peak_end_check",
    "period_months",
    "scope_organization_ids",
    "segment_get",
]

PERIODS = (3, 6, 12)
DEFAULT_PERIOD = 6
SCOPES = {"portfolio": "My portfolio", "account": "One account", "segment": "A market segment"}


# --- scope ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OverlayScope:
    """Whose journeys the overlay adds up: the user's portfolio, one account or a segment's members."""

    kind: str
    organization: Organization | None = None
    segment: MarketSegment | None = None

    @property
    def label(self) -> str:
        if self.organization is not None:
            return self.organization.name
        if self.segment is not None:
            return f"Segment {self.segment.name}"
        return "Your portfolio"


def overlay_scope(
    *, user, kind: str = "portfolio", organization_id: int | None = None, segment: MarketSegment | None = None
) -> OverlayScope:
    """The scope asked for; an account the user may not see is not found (404), like everywhere."""
    if kind == "account" and organization_id is not None:
        return OverlayScope(
            kind="account",
            organization=spine_selectors.organization_get(user=user, pk=organization_id, brief=True),
        )
    if kind == "segment" and segment is not None:
        return OverlayScope(kind="segment", segment=segment)
    return OverlayScope(kind="portfolio")


def scope_organization_ids(*, user, scope: OverlayScope) -> QuerySet | list[int] | None:
    """The ids of the organizations in scope, as a subquery (or a list of one); None when the scope is
    every organization there is (a portfolio-wide role's portfolio), so no filter is needed."""
    if scope.organization is not None:
        return [scope.organization.pk]
    if scope.segment is not None:
        members = SegmentMembership.objects.filter(segment=scope.segment)
        if not roles.sees_whole_portfolio(user):
            members = members.filter(organization__in=spine_selectors.organization_scope(user))
        return members.order_by().values("organization_id")
    if roles.sees_whole_portfolio(user):
        return None
    # No ORDER BY: the median's plain SQL embeds this subquery as it is compiled.
    return spine_selectors.organization_scope(user).order_by().values("pk")


# --- the overlay ----------------------------------------------------------------------------------


@dataclass
class StepFigures:
    step: JourneyStep
    touchpoints: int = 0
    sentiment_sum: int = 0
    moments_of_truth: int = 0
    negative: int = 0
    open_requests: int = 0
    breached_requests: int = 0
    current_accounts: int = 0
    reached_accounts: int = 0
    median_days: float | None = None
    expected_emotion: float | None = None
    csat_responses: int = 0
    csat_satisfied: int = 0
    csat_sum: int = 0
    ces_responses: int = 0
    ces_sum: int = 0

    @property
    def average_sentiment(self) -> float | None:
        return self.sentiment_sum / self.touchpoints if self.touchpoints else None

    @property
    def csat_pct(self) -> float | None:
        """The share of CSAT answers of 4 or 5, in %."""
        return 100 * self.csat_satisfied / self.csat_responses if self.csat_responses else None

    @property
    def csat_mean(self) -> float | None:
        return self.csat_sum / self.csat_responses if self.csat_responses else None

    @property
    def ces_mean(self) -> float | None:
        return self.ces_sum / self.ces_responses if self.ces_responses else None


@dataclass(frozen=True)
class PeakEnd:
    """The peak-end check: people remember a journey by its most intense moment and by its end. Over
    the steps that had touchpoints, the end is the last of them and the peak the one whose average is
    furthest from neutral; the check warns when the end's average is below the mean of the steps'."""

    peak: StepFigures | None
    end: StepFigures | None
    mean: float | None
    steps_counted: int

    @property
    def end_below_mean(self) -> bool:
        """Compared at two decimals, as the page shows them: a difference nobody can see is none."""
        if self.end is None or self.steps_counted < 2:
            return False
        return round(self.end.average_sentiment, 2) < round(self.mean, 2)

    @property
    def shortfall(self) -> float:
        """How far the end is below the mean (0 when it is not)."""
        if not self.end_below_mean:
            return 0.0
        return self.mean - self.end.average_sentiment


@dataclass
class Overlay:
    scope: OverlayScope
    months: int
    first_month: date
    last_month: date
    steps: list[StepFigures]
    peak_end: PeakEnd
    journey_map: JourneyMap | None = None
    totals: dict = field(default_factory=dict)

    @property
    def has_activity(self) -> bool:
        return any(step.touchpoints for step in self.steps)

    @property
    def max_accounts(self) -> int:
        return max((max(step.current_accounts, step.reached_accounts) for step in self.steps), default=0)


def period_months(months: int, *, now: datetime | None = None) -> tuple[date, date]:
    """The first and last month of a period of whole months ending with the current one."""
    last = month_of(now or timezone.now())
    index = last.year * 12 + last.month - 1 - (months - 1)
    return date(index // 12, index % 12 + 1, 1), last


def peak_end_check(steps: list[StepFigures]) -> PeakEnd:
    lived = [step for step in steps if step.touchpoints]
    if not lived:
        return PeakEnd(peak=None, end=None, mean=None, steps_counted=0)
    mean = sum(step.average_sentiment for step in lived) / len(lived)
    peak = max(lived, key=lambda step: abs(step.average_sentiment))
    return PeakEnd(peak=peak, end=lived[-1], mean=mean, steps_counted=len(lived))


def _seconds_between(start: str, end: str) -> str:
    if connection.vendor == "postgresql":
        return f"date_part('epoch', {end} - {start})"
    return f"((julianday({end}) - julianday({start})) * 86400.0)"


COLUMN = "{column}"


@dataclass(frozen=True)
class _ScopeSql:
    """The organizations in scope as an SQL condition on a column (written where COLUMN stands). On
    PostgreSQL a subquery is read once, into an array in a CTE (`scope`) that every part uses as
    `= ANY(…)`: the planner then reads each table by its organization index, instead of hashing the
    scope against the whole table. With a list of ids (one account), or on other databases, the
    condition is written out in each part."""

    cte: str = ""
    cte_params: tuple = ()
    condition: str = "1 = 1"
    params: tuple = ()

    def among(self, column: str) -> tuple[str, list]:
        """A condition restricting `column` to the scope, and its parameters."""
        return self.condition.replace(COLUMN, column), list(self.params)


def _scope_sql(organization_ids) -> _ScopeSql:
    if organization_ids is None:
        return _ScopeSql()
    if isinstance(organization_ids, list):
        marks = ", ".join(["%s"] * len(organization_ids))
        return _ScopeSql(condition=f"{COLUMN} IN ({marks})", params=tuple(organization_ids))
    subquery, params = organization_ids.query.sql_with_params()
    if connection.vendor != "postgresql":
        return _ScopeSql(condition=f"{COLUMN} IN ({subquery})", params=tuple(params))
    id_type = Organization._meta.pk.rel_db_type(connection)
    return _ScopeSql(
        cte=f"scope AS (SELECT ARRAY({subquery}) AS ids), ",
        cte_params=tuple(params),
        condition=f"{COLUMN} = ANY((SELECT ids FROM scope)::{id_type}[])",  # noqa: S608 - no values
    )


def _median_seconds() -> tuple[str, str, str]:
    """The median of the `stays` CTE's seconds per step: the middle one, or the mean of the two middle
    ones. PostgreSQL has it as an ordered-set aggregate (percentile_cont interpolates halfway between
    the two middle values: their mean). Elsewhere a second CTE numbers each step's stays with
    ROW_NUMBER and COUNT, and the median averages the middle positions. Returns the extra CTE, the
    CTE the stays part reads and the aggregate."""
    if connection.vendor == "postgresql":
        return "", "stays", "percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds)"
    ranked = """,
        ranked AS (
            SELECT step, organization_id, seconds,
                   ROW_NUMBER() OVER (PARTITION BY step ORDER BY seconds) AS position,
                   COUNT(*) OVER (PARTITION BY step) AS total
            FROM stays
        )"""
    return ranked, "ranked", "AVG(CASE WHEN position IN ((total + 1) / 2, (total + 2) / 2) THEN seconds END)"


def overlay_figures(
    organization_ids, *, first: date, last: date, since: datetime, now: datetime
) -> dict[str, dict[str, tuple]]:
    """Every figure of the overlay in one query: a UNION ALL of grouped parts, each reading only its
    own rows, each row (figure, step, values…):

    - activity: the scope's StepActivityMonth rows from month `first` to `last`, summed per step
      (touchpoints, sentiment sum, moments of truth, negative contacts);
    - requests: from the scope's RequestStanding rows, per step the requests open (at the last
      refresh) and those whose latest breached clock breached since `since` (a clock is in the
      breached state exactly when it has breached, cocreation.services.clocks), whatever their status
      now, each request once;
    - stays: from the scope's JourneyStepStay rows (each step change lasts until the journey's next
      change, or until the journey ended, or until now for the step it is in), per step the median
      stay in seconds (the middle one, or the mean of the two middle ones) and the distinct accounts
      that reached the step, at any time;
    - current: accounts whose current journey step (their AccountSummary) is the step;
    - surveys: the scope's per-step ValueSnapshot rows of the accounts from month `first` to `last`,
      summed per step (CSAT answers, satisfied ones and their sum; CES answers and their sum).

    Plain SQL (journeys.sql), written once: only the scope condition, the seconds between two
    instants and the median are written per database. Every value is a parameter."""
    quote = connection.ops.quote_name
    tables = {
        name: quote(model._meta.db_table)
        for name, model in (
            ("activity", StepActivityMonth),
            ("standing", RequestStanding),
            ("stay", JourneyStepStay),
            ("summary", AccountSummary),
            ("snapshot", ValueSnapshot),
        )
    }
    seconds = _seconds_between("stay.entered_at", "COALESCE(stay.left_at, %s)")
    ranked, stays_source, median = _median_seconds()
    scope = _scope_sql(organization_ids)
    stays_in_scope, stay_params = scope.among("stay.organization_id")
    activity_in_scope, activity_params = scope.among("activity.organization_id")
    standing_in_scope, standing_params = scope.among("standing.organization_id")
    summaries_in_scope, summary_params = scope.among("summary.organization_id")
    snapshots_in_scope, snapshot_params = scope.among("snapshot.organization_id")
    ops = connection.ops
    sql = f"""
        WITH {scope.cte}stays AS (
            SELECT stay.step AS step, stay.organization_id AS organization_id, {seconds} AS seconds
            FROM {tables["stay"]} stay WHERE {stays_in_scope}
        ){ranked}
        SELECT 'activity', activity.step, SUM(activity.touchpoints), SUM(activity.sentiment_sum),
               SUM(activity.moments_of_truth), SUM(activity.negative), 0
        FROM {tables["activity"]} activity
        WHERE activity.month >= %s AND activity.month <= %s AND {activity_in_scope}
        GROUP BY activity.step
        UNION ALL
        SELECT 'requests', standing.step, SUM(CASE WHEN standing.is_open THEN 1 ELSE 0 END),
               SUM(CASE WHEN standing.breached_at >= %s THEN 1 ELSE 0 END), 0, 0, 0
        FROM {tables["standing"]} standing WHERE {standing_in_scope}
        GROUP BY standing.step
        UNION ALL
        SELECT 'stays', step, {median}, COUNT(DISTINCT organization_id), 0, 0, 0 FROM {stays_source}
        GROUP BY step
        UNION ALL
        SELECT 'current', summary.journey_step, COUNT(*), 0, 0, 0, 0 FROM {tables["summary"]} summary
        WHERE summary.journey_step <> '' AND {summaries_in_scope}
        GROUP BY summary.journey_step
        UNION ALL
        SELECT 'surveys', snapshot.step, SUM(snapshot.csat_responses), SUM(snapshot.csat_satisfied),
               SUM(snapshot.csat_sum), SUM(snapshot.ces_responses), SUM(snapshot.ces_sum)
        FROM {tables["snapshot"]} snapshot
        WHERE snapshot.level = %s AND snapshot.step <> '' AND snapshot.month >= %s AND snapshot.month <= %s
              AND {snapshots_in_scope}
        GROUP BY snapshot.step
    """  # noqa: S608
    params = [
        *scope.cte_params,
        ops.adapt_datetimefield_value(now),
        *stay_params,
        ops.adapt_datefield_value(first),
        ops.adapt_datefield_value(last),
        *activity_params,
        ops.adapt_datetimefield_value(since),
        *standing_params,
        *summary_params,
        SnapshotLevel.ACCOUNT.value,
        ops.adapt_datefield_value(first),
        ops.adapt_datefield_value(last),
        *snapshot_params,
    ]
    figures: dict[str, dict[str, tuple]] = {
        name: {} for name in ("activity", "requests", "stays", "current", "surveys")
    }
    for figure, step, *values in fetch(sql, params):
        figures[figure][step] = tuple(values)
    return figures


def _expected_emotions(journey_map: JourneyMap) -> dict[str, float]:
    rows = (
        MapStage.objects.filter(journey_map=journey_map)
        .order_by()
        .values("step")
        .annotate(expected=Avg("expected_emotion"))
    )
    return {row["step"]: float(row["expected"]) for row in rows}


def journey_overlay(
    *,
    user,
    scope: OverlayScope,
    months: int = DEFAULT_PERIOD,
    journey_map: JourneyMap | None = None,
    now: datetime | None = None,
) -> Overlay:
    """The live journey map of the scope over the last `months` whole months (see the module)."""
    if months not in PERIODS:
        months = DEFAULT_PERIOD
    if not roles.roles_of(user):
        raise Http404("Not found.")
    now = now or timezone.now()
    first, last = period_months(months, now=now)
    organization_ids = scope_organization_ids(user=user, scope=scope)
    figures = overlay_figures(
        organization_ids, first=first, last=last, since=month_bounds(first, last)[0], now=now
    )
    expected = _expected_emotions(journey_map) if journey_map is not None else {}

    steps = []
    for step in JourneyStep:
        volume, sentiment, moments, negative, _ = (
            int(value or 0) for value in figures["activity"].get(step.value, (0, 0, 0, 0, 0))
        )
        csat_responses, csat_satisfied, csat_sum, ces_responses, ces_sum = (
            int(value or 0) for value in figures["surveys"].get(step.value, (0, 0, 0, 0, 0))
        )
        median, reached, *_ = figures["stays"].get(step.value, (None, 0))
        open_requests, breached_requests, *_ = figures["requests"].get(step.value, (0, 0))
        steps.append(
            StepFigures(
                step=step,
                touchpoints=volume,
                sentiment_sum=sentiment,
                moments_of_truth=moments,
                negative=negative,
                open_requests=int(open_requests or 0),
                breached_requests=int(breached_requests or 0),
                current_accounts=int(figures["current"].get(step.value, (0,))[0] or 0),
                reached_accounts=int(reached or 0),
                median_days=max(float(median), 0.0) / 86400 if median is not None else None,
                expected_emotion=expected.get(step.value),
                csat_responses=csat_responses,
                csat_satisfied=csat_satisfied,
                csat_sum=csat_sum,
                ces_responses=ces_responses,
                ces_sum=ces_sum,
            )
        )
    volume = sum(step.touchpoints for step in steps)
    csat = sum(step.csat_responses for step in steps)
    ces = sum(step.ces_responses for step in steps)
    return Overlay(
        scope=scope,
        months=months,
        first_month=first,
        last_month=last,
        steps=steps,
        peak_end=peak_end_check(steps),
        journey_map=journey_map,
        totals={
            "touchpoints": volume,
            "average_sentiment": sum(step.sentiment_sum for step in steps) / volume if volume else None,
            "moments_of_truth": sum(step.moments_of_truth for step in steps),
            "negative": sum(step.negative for step in steps),
            "open_requests": sum(step.open_requests for step in steps),
            "breached_requests": sum(step.breached_requests for step in steps),
            "current_accounts": sum(step.current_accounts for step in steps),
            "csat_responses": csat,
            "csat_pct": 100 * sum(step.csat_satisfied for step in steps) / csat if csat else None,
            "csat_mean": sum(step.csat_sum for step in steps) / csat if csat else None,
            "ces_responses": ces,
            "ces_mean": sum(step.ces_sum for step in steps) / ces if ces else None,
        },
    )


# --- the page's choices ---------------------------------------------------------------------------


@dataclass(frozen=True)
class OverlayChoices:
    """What the page's lists offer: the market segments (id, name) by name, and the designed maps
    (id, "persona: name (version)") by persona, name and version."""

    segments: list[tuple[int, str]]
    journey_maps: list[tuple[int, str]]


def overlay_choices(*, user) -> OverlayChoices:
    """Both lists in one query, as plain rows (the page shows only their names): any role may choose
    a segment (its members are still limited to the user's accounts) and read the designed maps."""
    if not roles.roles_of(user):
        return OverlayChoices(segments=[], journey_maps=[])
    quote = connection.ops.quote_name
    sql = f"""
        SELECT 'segment', segment.id, segment.name, '', '' FROM {quote(MarketSegment._meta.db_table)} segment
        UNION ALL
        SELECT 'map', map.id, map.name, map.version, persona.name
        FROM {quote(JourneyMap._meta.db_table)} map
        JOIN {quote(Persona._meta.db_table)} persona ON persona.id = map.persona_id
        ORDER BY 1 DESC, 5, 3, 4, 2
    """  # noqa: S608 - our own table names, no values
    versions = dict(MapVersion.choices)
    segments, journey_maps = [], []
    for kind, pk, name, version, persona in fetch(sql, []):
        if kind == "segment":
            segments.append((pk, name))
        else:
            journey_maps.append((pk, f"{persona}: {name} ({versions.get(version, version)})"))
    return OverlayChoices(segments=segments, journey_maps=journey_maps)


def segment_get(*, user, pk: int) -> MarketSegment:
    if not roles.roles_of(user):
        raise Http404("Not found.")
    return get_object_or_404(MarketSegment, pk=pk)


def journey_map_get(*, user, pk: int) -> JourneyMap:
    """A designed map with its persona (the page names both)."""
    return get_object_or_404(spine_selectors.journey_map_scope(user).select_related("persona"), pk=pk)


def account_search(*, user, query: str, limit: int = 10) -> list[Organization]:
    """Accounts the user may see matching the text (name, external id or a person's name or e-mail)."""
    query = (query or "").strip()
    if len(query) < 2:
        return []
    return spine_selectors.organization_search(user=user, query=query, limit=limit)
