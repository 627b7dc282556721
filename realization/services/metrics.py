"""Writes of Realize: the value metrics. Every `ValueSnapshot` is computed in the database, from the
survey answers and invitations, the live map's touchpoint counts (`StepActivityMonth`) and Agree's
scorecards and target scores, with a handful of set-based statements (`SELECT … GROUP BY` into a
temporary table, then one DELETE, one UPDATE and one INSERT … SELECT), the same SQL on SQLite and
PostgreSQL.

What is kept (see realization/models/metrics.py for the formulas):

- per account and month, one row for all steps together (`step` empty) and one per journey step that
  had answers, invitations or touchpoints in the month; the same per market segment, the sums of its
  member accounts' rows;
- the horizon is the last `HORIZON_MONTHS` (24) whole months up to the current one: a year's trend, each
  month with up to a year of health window behind it. A month's data counts in the site time zone's
  calendar month (TruncMonth, as the live map's counts do); a target score counts in the month its
  period ends, like Agree's scorecards;
- an all-steps row exists for every month whose health window holds any data, so an account that had
  answers last month still has a health score this month; a per-step row only for a month with data
  in that step. Health and watermelon are worked out on the all-steps rows;
- `responses` counts the invitations sent in the month that have been answered (so far), so the
  response rate — answered ÷ sent, by the month they were sent — never passes 100 %. NPS, CSAT and CES
  count every answer of the month (e-mail link, API or by hand) by the month it was given;
- SLA: targets measured, and those within their target (met, or met but at risk: Agree's compliance
  counts both), from the account's own monthly scorecard; experience targets breached: the account's
  experience-kind target scores whose status is breached, in the month their period ends.

One statement computes every account row (a CTE unions the grouped sources, groups them per step and
per month, spreads the months over the health window with a small calendar, then works out the inputs,
the score, the band and the watermelon); the rows go to a temporary table beside the stored row each
replaces, and only what differs is written (`_store`): a recomputation of unchanged data writes almost
nothing, and a row's `computed_at` is when its figures last changed. The segment rows are computed the
same way from the account rows. The window's first months read only the months the horizon holds.

Two ways keep them, like the live map's counts (services/activity.py):

- `value_metrics_rebuild` (nightly, and `manage.py compute_value_metrics`): every row computed again,
  rows no longer computed deleted.
- `value_metrics_refresh` (every ten minutes): the accounts whose answers, invitations, scorecards or
  experience target scores changed since the `RefreshMark` "value_metrics" (less `OVERLAP`), or whose
  touchpoints the live map's counts took in since this job's own mark "value_metrics_activity", get
  their rows computed by the same SQL restricted to them; then the segments those accounts belong to
  (and segments whose members changed). A changed health policy rebuilds everything. Then
  `watermelons_notify`. A deleted answer or a member removed from a segment is healed by the nightly
  rebuild.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMultiAlternatives
from django.db import connection, transaction
from django.db.models import Count, DateField, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, TruncMonth
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from agreements.models import ComplianceStatus, Scorecard, TargetKind, TargetScore
from exploration.models import SegmentMembership
from journeys import roles
from journeys.base import ApplicationError
from journeys.events import journey_event_record
from journeys.models import Organization, Touchpoint
from realization.models import (
    HEALTH_FACTORS,
    HealthBand,
    HealthPolicy,
    InvitationStatus,
    RealizeEventType,
    RefreshMark,
    SnapshotLevel,
    StepActivityMonth,
    SurveyInvitation,
    SurveyResponse,
    SurveyType,
    ValueSnapshot,
    WatermelonAlert,
    WatermelonReason,
)
from realization.services.activity import MARK as STEP_ACTIVITY_MARK
from realization.services.activity import month_bounds, month_of, site_zone

__all__ = [
    "FACTOR_LABELS",
    "HORIZON_MONTHS",
    "METRICS_MARK",
    "HealthExplanation",
    "HealthFactor",
    "add_months",
    "factor_score",
    "health_explain",
    "health_policy_update",
    "value_metrics_rebuild",
    "value_metrics_refresh",
    "watermelons_notify",
]

logger = logging.getLogger(__name__)

METRICS_MARK = "value_metrics"
ACTIVITY_MARK = "value_metrics_activity"
WATERMELON_MARK = "watermelons"
OVERLAP = timedelta(minutes=2)
HORIZON_MONTHS = 24
BATCH_ACCOUNTS = 500

# The stored counts, in the order every part of the SQL writes them.
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
# The counts the health window adds up.
WINDOWED = (
    "nps_responses",
    "promoters",
    "detractors",
    "csat_responses",
    "csat_satisfied",
    "ces_responses",
    "ces_sum",
    "touchpoints",
    "sentiment_sum",
    "sla_measured",
    "sla_met",
    "experience_missed",
)

FACTOR_LABELS = {
    "nps": "NPS",
    "csat": "CSAT (% satisfied)",
    "ces": "CES (mean)",
    "sla": "SLA compliance",
    "sentiment": "Touchpoint sentiment",
}
# How each input becomes a score from 0 to 100, in words.
FACTOR_CONVERSIONS = {
    "nps": "(NPS + 100) ÷ 2",
    "csat": "the % satisfied",
    "ces": "(mean − 1) ÷ 6 × 100",
    "sla": "the % compliant",
    "sentiment": "(mean + 2) ÷ 4 × 100",
}


# --- months ---------------------------------------------------------------------------------------


def add_months(month: date, count: int) -> date:
    """The first day of the month `count` months after (before, when negative) `month`."""
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def _calendar(now: datetime, window_months: int) -> list[tuple[date, date]]:
    """The horizon's months, oldest first, each with the first month of its health window."""
    last = month_of(now)
    months = [add_months(last, -offset) for offset in range(HORIZON_MONTHS - 1, -1, -1)]
    return [(month, add_months(month, -(window_months - 1))) for month in months]


# --- SQL pieces -----------------------------------------------------------------------------------


def _is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def _typed(sql_type: str) -> str:
    """A placeholder with its type spelled out on PostgreSQL (an untyped literal in a VALUES list or
    both sides of a UNION would be read as text there); SQLite takes the value as it is."""
    return f"CAST(%s AS {sql_type})" if _is_postgresql() else "%s"


def _number(value) -> Decimal | float:
    """A threshold as a parameter: SQLite gets a float (it would compare a Decimal, sent as text,
    as text), PostgreSQL the exact Decimal."""
    return Decimal(value) if _is_postgresql() else float(value)


def _day(value: date):
    return connection.ops.adapt_datefield_value(value)


def _month_of(field: str) -> TruncMonth:
    return TruncMonth(field, output_field=DateField(), tzinfo=site_zone())


def _part(queryset: QuerySet, columns: dict[str, str]) -> tuple[str, list]:
    """One source as `subject, step, month` and the fifteen counts (0 for those it has not): the
    queryset selects v_subject, v_step, v_month and the named columns."""
    sql, params = queryset.query.sql_with_params()
    counts = ", ".join(f"part.{columns[name]}" if name in columns else "0" for name in COUNTS)
    select = f"SELECT part.v_subject, part.v_step, part.v_month, {counts} FROM ({sql}) part"  # noqa: S608
    return select, list(params)


def _sources(first: date, last: date, organization_ids: list[int] | None) -> tuple[str, list]:
    """Every source's grouped counts per account, step and month from `first` to `last`, as one
    UNION ALL (the facts)."""
    start, end = month_bounds(first, last)
    last_day = end.date() - timedelta(days=1)

    def among(queryset: QuerySet) -> QuerySet:
        queryset = queryset.order_by()
        return queryset if organization_ids is None else queryset.filter(organization_id__in=organization_ids)

    nps, csat, ces = (Q(survey_type=kind) for kind in (SurveyType.NPS, SurveyType.CSAT, SurveyType.CES))
    answers = (
        among(SurveyResponse.objects.filter(answered_at__gte=start, answered_at__lt=end))
        .annotate(v_subject=F("organization_id"), v_step=F("step"), v_month=_month_of("answered_at"))
        .values("v_subject", "v_step", "v_month")
        .annotate(
            c_nps=Count("id", filter=nps),
            c_promoters=Count("id", filter=nps & Q(score__gte=9)),
            c_detractors=Count("id", filter=nps & Q(score__lte=6)),
            c_csat=Count("id", filter=csat),
            c_satisfied=Count("id", filter=csat & Q(score__gte=4)),
            c_csat_sum=Coalesce(Sum("score", filter=csat), 0),
            c_ces=Count("id", filter=ces),
            c_ces_sum=Coalesce(Sum("score", filter=ces), 0),
        )
        .values_list(
            "v_subject",
            "v_step",
            "v_month",
            "c_nps",
            "c_promoters",
            "c_detractors",
            "c_csat",
            "c_satisfied",
            "c_csat_sum",
            "c_ces",
            "c_ces_sum",
        )
    )
    invitations = (
        among(SurveyInvitation.objects.filter(sent_at__gte=start, sent_at__lt=end))
        .annotate(v_subject=F("organization_id"), v_step=F("step"), v_month=_month_of("sent_at"))
        .values("v_subject", "v_step", "v_month")
        .annotate(c_sent=Count("id"), c_answered=Count("id", filter=Q(status=InvitationStatus.RESPONDED)))
        .values_list("v_subject", "v_step", "v_month", "c_sent", "c_answered")
    )
    activity = (
        among(StepActivityMonth.objects.filter(month__gte=first, month__lte=last))
        .annotate(v_subject=F("organization_id"), v_step=F("step"), v_month=F("month"))
        .values_list("v_subject", "v_step", "v_month", "touchpoints", "sentiment_sum")
    )
    scorecards = (
        among(Scorecard.objects.filter(agreement__isnull=True, month__gte=first, month__lte=last))
        .annotate(
            v_subject=F("organization_id"),
            v_step=Value(""),
            v_month=F("month"),
            c_within=F("met") + F("at_risk"),
        )
        .values_list("v_subject", "v_step", "v_month", "targets_measured", "c_within")
    )
    missed = (
        among(
            TargetScore.objects.filter(
                kind=TargetKind.EXPERIENCE,
                status=ComplianceStatus.BREACHED,
                period_end__gte=first,
                period_end__lte=last_day,
            )
        )
        .annotate(v_subject=F("organization_id"), v_step=Value(""), v_month=TruncMonth("period_end"))
        .values("v_subject", "v_step", "v_month")
        .annotate(c_missed=Count("id"))
        .values_list("v_subject", "v_step", "v_month", "c_missed")
    )
    parts = [
        _part(
            answers,
            {
                "nps_responses": "c_nps",
                "promoters": "c_promoters",
                "detractors": "c_detractors",
                "csat_responses": "c_csat",
                "csat_satisfied": "c_satisfied",
                "csat_sum": "c_csat_sum",
                "ces_responses": "c_ces",
                "ces_sum": "c_ces_sum",
            },
        ),
        _part(invitations, {"invitations": "c_sent", "responses": "c_answered"}),
        _part(activity, {"touchpoints": "touchpoints", "sentiment_sum": "sentiment_sum"}),
        _part(scorecards, {"sla_measured": "targets_measured", "sla_met": "c_within"}),
        _part(missed, {"experience_missed": "c_missed"}),
    ]
    return "\nUNION ALL\n".join(sql for sql, _ in parts), [param for _, params in parts for param in params]


def _sums(prefix: str = "") -> str:
    """The counts summed, kept whole numbers: PostgreSQL's SUM of a bigint is a numeric, and adding up
    numerics again (the window) costs several times more than adding up bigints."""
    return ", ".join(f"CAST(SUM({prefix}{name}) AS bigint) AS {name}" for name in COUNTS)


def _calendar_sql(calendar: list[tuple[date, date]]) -> tuple[str, list]:
    row = f"({_typed('date')}, {_typed('date')})"
    params = [_day(day) for pair in calendar for day in pair]
    return f"calendar (month, window_start) AS (VALUES {', '.join([row] * len(calendar))})", params


def _health_sql(policy: HealthPolicy) -> tuple[str, list]:
    """The CTEs from `by_month` (subject, month and the counts of the month) to `judged`: each
    calendar month's own counts and its window's sums (`windowed`), the inputs (`inputs`), the weighed
    points and weights of the inputs that have data (`weighed`), the score and what is red
    (`judged`)."""
    own = ", ".join(
        f"CAST(SUM(CASE WHEN b.month = cal.month THEN b.{name} ELSE 0 END) AS bigint) AS {name}"
        for name in COUNTS
    )
    window = ", ".join(f"CAST(SUM(b.{name}) AS bigint) AS w_{name}" for name in WINDOWED)
    weights = policy.weights
    scores = {
        "nps": "(input_nps + 100) / 2.0",
        "csat": "input_csat",
        "ces": "(input_ces - 1) * 100 / 6.0",
        "sla": "input_sla",
        "sentiment": "(input_sentiment + 2) * 100 / 4.0",
    }
    points = " + ".join(
        f"CASE WHEN input_{factor} IS NOT NULL THEN %s * {scores[factor]} ELSE 0 END"
        for factor in HEALTH_FACTORS
    )
    weight = " + ".join(
        f"CASE WHEN input_{factor} IS NOT NULL THEN %s ELSE 0 END" for factor in HEALTH_FACTORS
    )
    weight_params = [weights[factor] for factor in HEALTH_FACTORS]
    red = {
        WatermelonReason.CSAT: "input_csat < %s",
        WatermelonReason.CES: "input_ces < %s",
        WatermelonReason.SENTIMENT: "input_sentiment < %s",
        WatermelonReason.EXPERIENCE_TARGET: "w_experience_missed > 0",
    }
    red_params = [
        _number(policy.watermelon_csat_below),
        _number(policy.watermelon_ces_below),
        _number(policy.watermelon_sentiment_below),
    ]
    any_red = " OR ".join(red.values())
    # PostgreSQL would otherwise inline each CTE into the next and work every input out again each
    # time a later expression names it (the band names the score four times).
    materialized = "MATERIALIZED " if _is_postgresql() else ""
    reasons = " || ".join(
        f"CASE WHEN {condition} THEN '{code.value},' ELSE '' END" for code, condition in red.items()
    )
    sql = f"""
        windowed AS (
            SELECT b.subject AS subject, cal.month AS month, {own}, {window}
            FROM by_month b JOIN calendar cal ON b.month >= cal.window_start AND b.month <= cal.month
            GROUP BY b.subject, cal.month
        ),
        inputs AS {materialized}(
            SELECT windowed.*,
                CASE WHEN w_nps_responses > 0
                     THEN ROUND(100.0 * (w_promoters - w_detractors) / w_nps_responses, 1) END AS input_nps,
                CASE WHEN w_csat_responses > 0
                     THEN ROUND(100.0 * w_csat_satisfied / w_csat_responses, 1) END AS input_csat,
                CASE WHEN w_ces_responses > 0
                     THEN ROUND(1.0 * w_ces_sum / w_ces_responses, 2) END AS input_ces,
                CASE WHEN w_sla_measured > 0
                     THEN ROUND(100.0 * w_sla_met / w_sla_measured, 1) END AS input_sla,
                CASE WHEN w_touchpoints > 0
                     THEN ROUND(1.0 * w_sentiment_sum / w_touchpoints, 2) END AS input_sentiment
            FROM windowed
        ),
        weighed AS (
            SELECT inputs.*, ({points}) AS points, ({weight}) AS weight FROM inputs
        ),
        judged AS {materialized}(
            SELECT weighed.*,
                CASE WHEN weight > 0 THEN ROUND(points / weight, 1) END AS health,
                CASE WHEN input_sla >= %s AND ({any_red}) THEN 1 ELSE 0 END AS flagged,
                RTRIM({reasons}, ',') AS red
            FROM weighed
        )"""  # noqa: S608 - our own names and codes; every value a parameter
    params = [
        *weight_params,
        *weight_params,
        _number(policy.watermelon_sla_from),
        *red_params,
        *red_params,
    ]
    return sql, params


# The snapshot's columns each computation writes, in order (the subject's column comes second).
FIGURES = (
    *COUNTS,
    "input_nps",
    "input_csat",
    "input_ces",
    "input_sla",
    "input_sentiment",
    "health_score",
    "health_band",
    "health_weights",
    "is_watermelon",
    "watermelon_reasons",
)
NEXT_TABLE = "value_snapshot_next"


def _rows_sql(level: str, subject_column: str, policy: HealthPolicy, now: datetime) -> tuple[str, list]:
    """The SELECT of the rows after the CTEs, named as the snapshot's columns: `by_step` as they are,
    `judged` with their health."""
    counts = ", ".join(COUNTS)
    json_type, moment_type = _typed("jsonb"), _typed("timestamp with time zone")
    sql = f"""
        SELECT %s AS level, subject AS {subject_column}, step, month, {counts},
               NULL AS input_nps, NULL AS input_csat, NULL AS input_ces, NULL AS input_sla,
               NULL AS input_sentiment, NULL AS health_score, '' AS health_band,
               {json_type} AS health_weights, FALSE AS is_watermelon, '' AS watermelon_reasons,
               {moment_type} AS computed_at
        FROM by_step
        UNION ALL
        SELECT %s, subject, '', month, {counts}, input_nps, input_csat, input_ces, input_sla, input_sentiment,
               health,
               CASE WHEN health IS NULL THEN ''
                    WHEN health >= %s THEN %s WHEN health < %s THEN %s ELSE %s END,
               {json_type}, CASE WHEN flagged = 1 THEN TRUE ELSE FALSE END,
               CASE WHEN flagged = 1 THEN red ELSE '' END, {moment_type}
        FROM judged
    """  # noqa: S608 - our own names; every value a parameter
    moment = connection.ops.adapt_datetimefield_value(now)
    params = [
        level,
        "{}",
        moment,
        level,
        _number(policy.healthy_from),
        HealthBand.HEALTHY.value,
        _number(policy.at_risk_below),
        HealthBand.AT_RISK.value,
        HealthBand.WATCH.value,
        json.dumps(policy.weights),
        moment,
    ]
    return sql, params


def _execute(sql: str, params: list) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return max(cursor.rowcount, 0)


def _accounts_query(
    *, policy: HealthPolicy, now: datetime, organization_ids: list[int] | None = None
) -> tuple[str, list]:
    """The accounts' rows (every account's with None), as the CTEs of one WITH …, the last of them
    (`fresh`) the rows."""
    calendar = _calendar(now, policy.window_months)
    first, last = calendar[0][0], calendar[-1][0]
    calendar_sql, calendar_params = _calendar_sql(calendar)
    facts_sql, facts_params = _sources(first, last, organization_ids)
    health_sql, health_params = _health_sql(policy)
    rows_sql, rows_params = _rows_sql(SnapshotLevel.ACCOUNT, "organization_id", policy, now)
    columns = ", ".join(COUNTS)
    sql = f"""
        WITH {calendar_sql},
        facts (subject, step, month, {columns}) AS ({facts_sql}),
        by_step AS (
            SELECT subject, step, month, {_sums()} FROM facts WHERE step <> '' GROUP BY subject, step, month
        ),
        by_month AS (SELECT subject, month, {_sums()} FROM facts GROUP BY subject, month),
        {health_sql},
        fresh AS ({rows_sql})
    """  # noqa: S608 - our own names; every value a parameter
    return sql, [*calendar_params, *facts_params, *health_params, *rows_params]


def _segments_query(
    *, policy: HealthPolicy, now: datetime, segment_ids: list[int] | None = None
) -> tuple[str, list]:
    """The segments' rows (every segment's with None) from their members' account rows, as the CTEs
    of one WITH …, the last of them (`fresh`) the rows: the counts add up, and the window and health
    are worked out from the sums."""
    quote = connection.ops.quote_name
    snapshots = quote(ValueSnapshot._meta.db_table)
    members = quote(SegmentMembership._meta.db_table)
    calendar_sql, calendar_params = _calendar_sql(_calendar(now, policy.window_months))
    health_sql, health_params = _health_sql(policy)
    rows_sql, rows_params = _rows_sql(SnapshotLevel.SEGMENT, "segment_id", policy, now)
    which, which_params = "", []
    if segment_ids is not None:
        which = f"AND member.segment_id IN ({', '.join(['%s'] * len(segment_ids))})"
        which_params = list(segment_ids)
    source = f"""
        FROM {snapshots} snapshot JOIN {members} member ON member.organization_id = snapshot.organization_id
        WHERE snapshot.level = %s {which} AND snapshot.step"""
    sql = f"""
        WITH {calendar_sql},
        by_step AS (
            SELECT member.segment_id AS subject, snapshot.step AS step, snapshot.month AS month,
                   {_sums("snapshot.")}
            {source} <> '' GROUP BY member.segment_id, snapshot.step, snapshot.month
        ),
        by_month AS (
            SELECT member.segment_id AS subject, snapshot.month AS month, {_sums("snapshot.")}
            {source} = '' GROUP BY member.segment_id, snapshot.month
        ),
        {health_sql},
        fresh AS ({rows_sql})
    """
    level = SnapshotLevel.ACCOUNT.value
    params = [*calendar_params, level, *which_params, level, *which_params, *health_params, *rows_params]
    return sql, params


def _store(level: str, query: tuple[str, list], subject_ids: list[int] | None = None) -> int:
    """Make the stored rows of the level (of the subjects, with ids) what the query computed, writing
    only what differs. The computed rows go to a temporary table, each beside the id of the stored row
    of its subject, step and month and whether its figures differ from that row's (one join); then
    one DELETE drops the stored rows the computation no longer has, one UPDATE rewrites the stored
    rows that differ (by id) and one INSERT adds the rows not stored yet. A row whose figures did not
    change is left alone: its `computed_at` is when its figures were last written. Returns the number
    of rows computed."""
    quote = connection.ops.quote_name
    table = quote(ValueSnapshot._meta.db_table)
    subject = "organization_id" if level == SnapshotLevel.ACCOUNT else "segment_id"
    with_sql, params = query
    postgresql = _is_postgresql()
    different = "IS DISTINCT FROM" if postgresql else "IS NOT"
    which, which_params = "", []
    if subject_ids is not None:
        which = f"AND {table}.{subject} IN ({', '.join(['%s'] * len(subject_ids))})"
        which_params = list(subject_ids)
    columns = ["level", subject, "step", "month", *FIGURES, "computed_at"]
    changed = " OR ".join(f"stored.{column} {different} fresh.{column}" for column in FIGURES)
    computed = f"""
        {with_sql}
        SELECT fresh.*, stored.id AS stored_id,
               CASE WHEN stored.id IS NULL OR {changed} THEN 1 ELSE 0 END AS differs
        FROM fresh LEFT JOIN {table} stored
             ON stored.level = %s AND stored.{subject} = fresh.{subject} AND stored.step = fresh.step
                AND stored.month = fresh.month
    """  # noqa: S608 - our own names; every value a parameter
    assignments = ", ".join(f"{quote(column)} = fresh.{column}" for column in (*FIGURES, "computed_at"))
    rewrite = f"""
        UPDATE {table} SET {assignments} FROM {NEXT_TABLE} fresh
        WHERE {table}.id = fresh.stored_id AND fresh.differs = 1
    """  # noqa: S608
    add = f"""
        INSERT INTO {table} ({", ".join(quote(column) for column in columns)})
        SELECT {", ".join(f"fresh.{column}" for column in columns)} FROM {NEXT_TABLE} fresh
        WHERE fresh.stored_id IS NULL
    """  # noqa: S608
    stale = f"""
        DELETE FROM {table} WHERE {table}.level = %s {which}
        AND NOT EXISTS (SELECT 1 FROM {NEXT_TABLE} fresh WHERE fresh.stored_id = {table}.id)
    """  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {NEXT_TABLE}")
        cursor.execute(f"CREATE TEMPORARY TABLE {NEXT_TABLE} AS {computed}", [*params, level])
        if postgresql:
            cursor.execute(f"ANALYZE {NEXT_TABLE}")
        cursor.execute(f"SELECT COUNT(*) FROM {NEXT_TABLE}")  # noqa: S608 - a constant name
        rows = cursor.fetchone()[0]
        cursor.execute(stale, [level, *which_params])
        cursor.execute(rewrite)
        cursor.execute(add)
        cursor.execute(f"DROP TABLE {NEXT_TABLE}")
    return rows


def _store_accounts(*, policy: HealthPolicy, now: datetime, organization_ids: list[int] | None = None) -> int:
    query = _accounts_query(policy=policy, now=now, organization_ids=organization_ids)
    return _store(SnapshotLevel.ACCOUNT, query, organization_ids)


def _store_segments(*, policy: HealthPolicy, now: datetime, segment_ids: list[int] | None = None) -> int:
    query = _segments_query(policy=policy, now=now, segment_ids=segment_ids)
    return _store(SnapshotLevel.SEGMENT, query, segment_ids)


# --- rebuild and refresh --------------------------------------------------------------------------


def _lock_mark(name: str) -> RefreshMark:
    RefreshMark.objects.get_or_create(name=name)
    return RefreshMark.objects.select_for_update().get(name=name)


def _activity_reached() -> datetime | None:
    """How far the live map's counts have read the touchpoints (their own mark)."""
    return RefreshMark.objects.filter(name=STEP_ACTIVITY_MARK).values_list("reached", flat=True).first()


@transaction.atomic
def value_metrics_rebuild(*, now: datetime | None = None) -> int:
    """Every snapshot from scratch (see the module): the accounts' rows in one computation, then the
    segments' from them, each written where it changed. Returns the number of rows computed."""
    return _rebuild(now=now or timezone.now())


def _rebuild(*, now: datetime) -> int:
    mark = _lock_mark(METRICS_MARK)
    activity_mark = _lock_mark(ACTIVITY_MARK)
    policy = HealthPolicy.current()
    started = timezone.now()
    activity_reached = _activity_reached()
    rows = _store_accounts(policy=policy, now=now)
    rows += _store_segments(policy=policy, now=now)
    mark.reached = started
    mark.refreshed_at = timezone.now()
    mark.save()
    activity_mark.reached = activity_reached
    activity_mark.refreshed_at = mark.refreshed_at
    activity_mark.save()
    return rows


def value_metrics_refresh(*, now: datetime | None = None) -> int:
    """Compute again the rows of the accounts with data changed since the last run and of their
    segments (see the module); without a mark yet, or after the health policy changed, rebuild
    everything. Then create and notify the watermelons (`watermelons_notify`). Returns the number of
    rows computed."""
    now = now or timezone.now()
    written = _refresh(now=now)
    watermelons_notify(now=now)
    return written


def _changed_accounts(
    since: datetime, until: datetime, activity_since: datetime | None, activity_until
) -> set:
    window = {"updated_at__gt": since, "updated_at__lte": until}
    changed: set[int] = set()
    for rows in (
        SurveyResponse.objects.filter(**window),
        SurveyInvitation.objects.filter(sent_at__isnull=False, **window),
        Scorecard.objects.filter(agreement__isnull=True, **window),
        TargetScore.objects.filter(kind=TargetKind.EXPERIENCE, **window),
    ):
        changed.update(rows.order_by().values_list("organization_id", flat=True).distinct())
    if activity_until is not None and (activity_since is None or activity_until > activity_since):
        touchpoints = Touchpoint.objects.filter(updated_at__lte=activity_until)
        if activity_since is not None:
            touchpoints = touchpoints.filter(updated_at__gt=activity_since - OVERLAP)
        changed.update(touchpoints.order_by().values_list("organization_id", flat=True).distinct())
    return changed


@transaction.atomic
def _refresh(*, now: datetime) -> int:
    mark = _lock_mark(METRICS_MARK)
    activity_mark = _lock_mark(ACTIVITY_MARK)
    policy = HealthPolicy.current()
    if mark.reached is None or policy.updated_at > mark.reached:
        return _rebuild(now=now)
    started = timezone.now()
    since = mark.reached - OVERLAP
    activity_until = _activity_reached()
    accounts = sorted(_changed_accounts(since, started, activity_mark.reached, activity_until))
    segments = set(
        SegmentMembership.objects.filter(updated_at__gt=since, updated_at__lte=started)
        .order_by()
        .values_list("segment_id", flat=True)
    )
    written = 0
    for index in range(0, len(accounts), BATCH_ACCOUNTS):
        batch = accounts[index : index + BATCH_ACCOUNTS]
        written += _store_accounts(policy=policy, now=now, organization_ids=batch)
        segments.update(
            SegmentMembership.objects.filter(organization_id__in=batch)
            .order_by()
            .values_list("segment_id", flat=True)
        )
    segment_ids = sorted(segments)
    for index in range(0, len(segment_ids), BATCH_ACCOUNTS):
        batch = segment_ids[index : index + BATCH_ACCOUNTS]
        written += _store_segments(policy=policy, now=now, segment_ids=batch)
    mark.reached = started
    mark.refreshed_at = timezone.now()
    mark.save()
    if activity_until is not None:
        activity_mark.reached = max(activity_until, activity_mark.reached or activity_until)
    activity_mark.refreshed_at = mark.refreshed_at
    activity_mark.save()
    return written


# --- watermelons ----------------------------------------------------------------------------------


def _flagged(months: list[date]) -> QuerySet:
    return ValueSnapshot.objects.filter(
        level=SnapshotLevel.ACCOUNT, step="", month__in=months, is_watermelon=True
    ).order_by()


def watermelons_notify(*, now: datetime | None = None) -> int:
    """Keep a `WatermelonAlert` per account flagged in the current month or the last closed one:
    created when first found (with the journey event `value.watermelon_detected`), its reasons and SLA
    kept up to date, cleared when a later computation no longer flags it (and opened again if it
    comes back). Then e-mail each open alert's account owner, once: the alert is claimed with a
    conditional UPDATE before the mail goes out, so a retry or a second worker never mails twice; a
    failed send releases the claim for the next run. Returns the number of e-mails sent."""
    now = now or timezone.now()
    current = month_of(now)
    months = [add_months(current, -1), current]
    _alerts_sync(months=months, now=now)
    waiting = (
        WatermelonAlert.objects.filter(
            month__in=months,
            cleared_at__isnull=True,
            notified_at__isnull=True,
            notify_claimed_at__isnull=True,
            organization__owner__is_active=True,
        )
        .exclude(organization__owner__email="")
        .order_by("month", "organization_id")
        .values_list("pk", flat=True)
    )
    sent = 0
    for pk in list(waiting):
        try:
            sent += _alert_send(pk, now=now)
        except Exception:  # one failed mail must not stop the others; the next run retries it
            logger.exception("Could not e-mail watermelon alert %s; the next run tries again.", pk)
    return sent


@transaction.atomic
def _alerts_sync(*, months: list[date], now: datetime) -> None:
    _lock_mark(WATERMELON_MARK)
    flagged = {
        (organization_id, month): (reasons, sla)
        for organization_id, month, reasons, sla in _flagged(months).values_list(
            "organization_id", "month", "watermelon_reasons", "input_sla"
        )
    }
    stored = {
        (alert.organization_id, alert.month): alert
        for alert in WatermelonAlert.objects.filter(month__in=months).order_by()
    }
    new, changed = [], []
    for key, (reasons, sla) in flagged.items():
        alert = stored.get(key)
        if alert is None:
            new.append(
                WatermelonAlert(
                    organization_id=key[0], month=key[1], reasons=reasons, sla_compliance=sla, detected_at=now
                )
            )
        elif alert.reasons != reasons or alert.sla_compliance != sla or alert.cleared_at is not None:
            alert.reasons, alert.sla_compliance, alert.cleared_at = reasons, sla, None
            changed.append(alert)
    for key, alert in stored.items():
        if key not in flagged and alert.cleared_at is None:
            alert.cleared_at = now
            changed.append(alert)
    if changed:
        WatermelonAlert.objects.bulk_update(
            changed, ["reasons", "sla_compliance", "cleared_at", "updated_at"]
        )
    if new:
        WatermelonAlert.objects.bulk_create(new)
        organizations = Organization.objects.in_bulk([alert.organization_id for alert in new])
        for alert in new:
            journey_event_record(
                event_type=RealizeEventType.WATERMELON_DETECTED,
                organization=organizations.get(alert.organization_id),
                payload={
                    "organization_id": alert.organization_id,
                    "month": alert.month.isoformat(),
                    "reasons": alert.reasons.split(",") if alert.reasons else [],
                    "sla_compliance": str(alert.sla_compliance) if alert.sla_compliance is not None else None,
                },
                occurred_at=now,
            )


def account_value_link(organization_id: int) -> str:
    """The account's value page, absolute when the site's base URL is configured."""
    try:
        path = reverse("realization:account_value", args=[organization_id])
    except NoReverseMatch:
        path = f"/realize/value/accounts/{organization_id}/"
    base = getattr(settings, "DSV_BASE_URL", "") or ""
    return f"{base.rstrip('/')}{path}" if base else path


def _alert_send(pk: int, *, now: datetime) -> int:
    claimed_at = timezone.now()
    claimed = WatermelonAlert.objects.filter(
        pk=pk, cleared_at__isnull=True, notified_at__isnull=True, notify_claimed_at__isnull=True
    ).update(notify_claimed_at=claimed_at)
    if claimed != 1:
        return 0
    try:
        alert = WatermelonAlert.objects.select_related("organization__owner").get(pk=pk)
        snapshot = ValueSnapshot.objects.filter(
            level=SnapshotLevel.ACCOUNT, organization_id=alert.organization_id, step="", month=alert.month
        ).first()
        person = alert.organization.owner
        context = _alert_context(alert, snapshot, person)
        message = EmailMultiAlternatives(
            subject=" ".join(render_to_string("emails/watermelon_detected/subject.txt", context).split()),
            body=render_to_string("emails/watermelon_detected/body.txt", context),
            to=[person.email],
        )
        message.attach_alternative(
            render_to_string("emails/watermelon_detected/body.html", context), "text/html"
        )
        message.send()
    except Exception:
        WatermelonAlert.objects.filter(pk=pk, notify_claimed_at=claimed_at).update(notify_claimed_at=None)
        raise
    WatermelonAlert.objects.filter(pk=pk).update(notified_at=timezone.now())
    return 1


def _alert_context(alert: WatermelonAlert, snapshot: ValueSnapshot | None, person) -> dict:
    policy = HealthPolicy.current()
    codes = [code for code in alert.reasons.split(",") if code]
    red = []
    for code in codes:
        if code == WatermelonReason.CSAT:
            value = snapshot.input_csat if snapshot else None
            red.append(("CSAT", f"{value} % satisfied", f"below {policy.watermelon_csat_below} %"))
        elif code == WatermelonReason.CES:
            value = snapshot.input_ces if snapshot else None
            red.append(("CES", f"mean {value}", f"below {policy.watermelon_ces_below}"))
        elif code == WatermelonReason.SENTIMENT:
            value = snapshot.input_sentiment if snapshot else None
            red.append(
                ("Touchpoint sentiment", f"mean {value}", f"below {policy.watermelon_sentiment_below}")
            )
        elif code == WatermelonReason.EXPERIENCE_TARGET:
            count = _window_missed(alert, policy)
            red.append(("Experience targets", f"{count} breached", "none breached expected"))
    return {
        "alert": alert,
        "organization": alert.organization,
        "person": person,
        "snapshot": snapshot,
        "policy": policy,
        "red": red,
        "window_months": policy.window_months,
        "link": account_value_link(alert.organization_id),
    }


def _window_missed(alert: WatermelonAlert, policy: HealthPolicy) -> int:
    first = add_months(alert.month, -(policy.window_months - 1))
    return ValueSnapshot.objects.filter(
        level=SnapshotLevel.ACCOUNT,
        organization_id=alert.organization_id,
        step="",
        month__gte=first,
        month__lte=alert.month,
    ).aggregate(total=Coalesce(Sum("experience_missed"), 0))["total"]


# --- the health policy ----------------------------------------------------------------------------

WEIGHT_FIELDS = tuple(f"weight_{factor}" for factor in HEALTH_FACTORS)
# Each editable field of the policy: how to read it and the range it must be in.
POLICY_FIELDS: dict[str, tuple[type, Decimal | int, Decimal | int]] = {
    **{name: (int, 0, 100) for name in WEIGHT_FIELDS},
    "window_months": (int, 1, 12),
    "healthy_from": (Decimal, Decimal("0"), Decimal("100")),
    "at_risk_below": (Decimal, Decimal("0"), Decimal("100")),
    "watermelon_sla_from": (Decimal, Decimal("0"), Decimal("100")),
    "watermelon_csat_below": (Decimal, Decimal("0"), Decimal("100")),
    "watermelon_ces_below": (Decimal, Decimal("1"), Decimal("7")),
    "watermelon_sentiment_below": (Decimal, Decimal("-2"), Decimal("2")),
}


def _read(name: str, raw) -> Decimal | int:
    kind, low, high = POLICY_FIELDS[name]
    text = str(raw).strip().replace("−", "-") if raw is not None else ""
    if text == "":
        raise ValueError("Enter a value.")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError("Enter a number.") from None
    if not value.is_finite():
        raise ValueError("Enter a number.")
    if kind is int:
        if value != value.to_integral_value():
            raise ValueError("Enter a whole number.")
        value = int(value)
    elif value != value.quantize(Decimal("0.01")):
        raise ValueError("Use at most two decimals.")
    if value < low or value > high:
        raise ValueError(f"Enter a value from {low} to {high}.")
    return value


@transaction.atomic
def health_policy_update(*, user, data: dict) -> HealthPolicy:
    """Change the weights and thresholds (administrators only; 403 for anyone else). Only the fields
    given change. Every field is checked against its range, the weights cannot all be zero, and the
    at-risk line cannot be above the healthy one; on any error nothing is saved. The snapshots are
    recomputed in the background after the change (and by the next refresh in any case)."""
    if not roles.is_administrator(user):
        raise PermissionDenied("Only an administrator may change the health policy.")
    HealthPolicy.current()
    policy = HealthPolicy.objects.select_for_update().get(pk=1)
    errors: dict[str, list[str]] = {}
    values: dict = {}
    for name in POLICY_FIELDS:
        if name not in data:
            continue
        try:
            values[name] = _read(name, data[name])
        except ValueError as error:
            errors[name] = [str(error)]
    merged = {name: values.get(name, getattr(policy, name)) for name in POLICY_FIELDS}
    weight_errors = [name for name in WEIGHT_FIELDS if name in errors]
    if not weight_errors and not any(merged[name] for name in WEIGHT_FIELDS):
        message = "The weights cannot all be zero: give at least one factor a weight."
        for name in WEIGHT_FIELDS:
            errors[name] = [message]
    if (
        "healthy_from" not in errors
        and "at_risk_below" not in errors
        and merged["at_risk_below"] > merged["healthy_from"]
    ):
        errors["at_risk_below"] = ["The at-risk line cannot be above the healthy line."]
    if errors:
        first = next(iter(errors.values()))[0]
        raise ApplicationError(first, fields=errors)
    for name, value in values.items():
        setattr(policy, name, value)
    policy.updated_by = user if getattr(user, "pk", None) else None
    policy.save()

    def recompute() -> None:
        from realization.tasks import value_metrics_rebuild as rebuild_task

        rebuild_task.delay()

    transaction.on_commit(recompute)
    return policy


# --- the explanation ------------------------------------------------------------------------------


def factor_score(factor: str, value: Decimal | None) -> Decimal | None:
    """An input as a score from 0 to 100 (see the model's docstring)."""
    if value is None:
        return None
    value = Decimal(value)
    if factor == "nps":
        return (value + 100) / 2
    if factor == "ces":
        return (value - 1) * 100 / 6
    if factor == "sentiment":
        return (value + 2) * 100 / 4
    return value


@dataclass(frozen=True)
class HealthFactor:
    key: str
    label: str
    input_value: Decimal | None
    score: Decimal | None
    weight: int
    contribution: Decimal | None
    conversion: str

    @property
    def has_data(self) -> bool:
        return self.input_value is not None

    @property
    def counted(self) -> bool:
        """It has data and a weight, so it counts in the score."""
        return self.input_value is not None and self.weight > 0


@dataclass(frozen=True)
class HealthExplanation:
    month: date
    window_months: int
    first_month: date
    factors: list[HealthFactor]
    score: Decimal | None
    band: str
    band_label: str
    weight_counted: int

    @property
    def missing(self) -> list[HealthFactor]:
        return [factor for factor in self.factors if not factor.has_data]

    @property
    def formula(self) -> str:
        """The sum written out: Σ weight × score ÷ Σ weight over the factors with data."""
        counted = [factor for factor in self.factors if factor.counted]
        if not counted:
            return "No factor has data in the window: no score."
        terms = " + ".join(f"{factor.weight} × {factor.score:.1f}" for factor in counted)
        return f"({terms}) ÷ {self.weight_counted} = {self.score:.1f}" if self.score is not None else terms


def health_explain(snapshot: ValueSnapshot, policy: HealthPolicy | None = None) -> HealthExplanation:
    """How the snapshot's health score came about: each factor's input over the window, its score
    from 0 to 100, its weight (the ones the score was computed with) and the points it adds; the
    factors without data are left out and the others' weights renormalised."""
    policy = policy or HealthPolicy.current()
    weights = snapshot.health_weights or policy.weights
    rows = []
    for factor in HEALTH_FACTORS:
        value = getattr(snapshot, f"input_{factor}")
        rows.append((factor, value, factor_score(factor, value), int(weights.get(factor, 0))))
    counted = sum(weight for _, value, _, weight in rows if value is not None and weight > 0)
    factors = [
        HealthFactor(
            key=factor,
            label=FACTOR_LABELS[factor],
            input_value=value,
            score=score,
            weight=weight,
            contribution=(Decimal(weight) * score / counted) if score is not None and counted else None,
            conversion=FACTOR_CONVERSIONS[factor],
        )
        for factor, value, score, weight in rows
    ]
    band = snapshot.health_band or (policy.band(snapshot.health_score) or "")
    return HealthExplanation(
        month=snapshot.month,
        window_months=policy.window_months,
        first_month=add_months(snapshot.month, -(policy.window_months - 1)),
        factors=factors,
        score=snapshot.health_score,
        band=band,
        band_label=HealthBand(band).label if band else "No score",
        weight_counted=counted,
    )
