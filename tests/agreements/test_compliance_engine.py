"""The compliance engine over stored measurements: which periods a target is scored in (cut in its
calendar's time zone), the achieved value of every aggregation, excluded measurements, no data, the
scorecards per agreement and per account, the breaches, and running it twice."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from agreements.models import (
    AgreeEventType,
    AgreementStatus,
    Breach,
    ComplianceStatus,
    Measurement,
    Scorecard,
    TargetScore,
)
from agreements.services.compliance import compliance_recompute
from journeys.models import JourneyEvent
from tests.factories.agreements import (
    AgreementFactory,
    BusinessCalendarFactory,
    MeasurementFactory,
    ServiceLevelTargetFactory,
)

pytestmark = pytest.mark.django_db

TODAY = date(2026, 5, 15)


def at(text: str) -> datetime:
    """An aware moment from ISO 8601 text (UTC unless it says otherwise)."""
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@pytest.fixture
def berlin():
    return BusinessCalendarFactory(name="Berlin office", time_zone="Europe/Berlin")


@pytest.fixture
def utc_calendar():
    return BusinessCalendarFactory(name="Round the clock", time_zone="UTC", round_the_clock=True)


@pytest.fixture
def agreement(account, owner):
    return AgreementFactory(
        organization=account,
        owner=owner,
        status=AgreementStatus.ACTIVE,
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 12, 31),
        title="Rentwheel booking SLA",
    )


def target_for(agreement, calendar=None, **fields):
    return ServiceLevelTargetFactory(agreement=agreement, calendar=calendar, **fields)


def measure(target, moment: str, value, **fields):
    return MeasurementFactory(target=target, measured_at=at(moment), value=Decimal(str(value)), **fields)


def scores_of(target) -> dict[date, TargetScore]:
    return {score.period_start: score for score in TargetScore.objects.filter(target=target)}


def recompute(**scope):
    scope.setdefault("today", TODAY)
    return compliance_recompute(**scope)


# --- periods and time zones -------------------------------------------------------------------------


def test_a_value_measured_at_2330_utc_on_31_march_counts_in_april_on_berlin_time(
    agreement, berlin, utc_calendar
):
    in_berlin = target_for(agreement, berlin)
    in_utc = target_for(agreement, utc_calendar)
    for target in (in_berlin, in_utc):
        measure(target, "2026-03-31T21:30:00", "99.0")  # 23:30 in Berlin: still March
        measure(target, "2026-03-31T23:30:00", "99.9")  # 01:30 on 1 April in Berlin

    recompute()

    berlin_scores, utc_scores = scores_of(in_berlin), scores_of(in_utc)
    assert berlin_scores[date(2026, 3, 1)].measurement_count == 1
    assert berlin_scores[date(2026, 3, 1)].achieved_value == Decimal("99.0000")
    assert berlin_scores[date(2026, 4, 1)].measurement_count == 1
    assert berlin_scores[date(2026, 4, 1)].achieved_value == Decimal("99.9000")
    assert utc_scores[date(2026, 3, 1)].measurement_count == 2
    assert utc_scores[date(2026, 4, 1)].measurement_count == 0
    assert utc_scores[date(2026, 4, 1)].status == ComplianceStatus.NO_DATA


def test_a_target_without_a_calendar_is_cut_in_the_sites_time_zone(agreement, settings):
    target = target_for(agreement)
    measure(target, "2026-03-31T23:30:00", "99.9")

    recompute()

    assert settings.TIME_ZONE == "UTC"
    assert scores_of(target)[date(2026, 3, 1)].measurement_count == 1


def test_quarterly_targets_are_scored_per_quarter_ending_on_its_last_day(agreement, berlin):
    target = target_for(agreement, berlin, period="quarter")
    measure(target, "2026-01-10T10:00:00", "99.0")
    measure(target, "2026-02-10T10:00:00", "99.6")
    measure(target, "2026-03-31T21:59:00", "100")  # 23:59 on 31 March in Berlin: Q1
    measure(target, "2026-03-31T22:30:00", "98.0")  # 00:30 on 1 April in Berlin: Q2

    recompute()

    scores = scores_of(target)
    assert sorted(scores) == [date(2026, 1, 1), date(2026, 4, 1)]
    first, second = scores[date(2026, 1, 1)], scores[date(2026, 4, 1)]
    assert (first.period, first.period_end, first.measurement_count) == ("quarter", date(2026, 3, 31), 3)
    assert first.achieved_value == Decimal("99.5333")
    assert first.status == ComplianceStatus.AT_RISK
    assert first.is_closed
    assert (second.period_end, second.measurement_count, second.is_closed) == (date(2026, 6, 30), 1, False)
    assert second.status == ComplianceStatus.BREACHED


def test_month_ends_are_the_last_day_of_each_month(agreement, utc_calendar):
    target = target_for(agreement, utc_calendar)
    measure(target, "2026-02-28T23:59:59", "99.9")

    recompute()

    ends = {score.period_start: score.period_end for score in TargetScore.objects.filter(target=target)}
    assert ends[date(2026, 2, 1)] == date(2026, 2, 28)
    assert ends[date(2026, 4, 1)] == date(2026, 4, 30)
    assert ends[date(2026, 5, 1)] == date(2026, 5, 31)


def test_a_period_is_closed_once_it_ended_in_the_targets_time_zone(
    agreement, berlin, utc_calendar, monkeypatch
):
    in_berlin = target_for(agreement, berlin)
    in_utc = target_for(agreement, utc_calendar)
    for target in (in_berlin, in_utc):
        measure(target, "2026-03-20T10:00:00", "99.9")
    # 22:30 UTC on 31 March is already 1 April in Berlin.
    monkeypatch.setattr(timezone, "now", lambda: datetime(2026, 3, 31, 22, 30, tzinfo=UTC))

    compliance_recompute()

    assert scores_of(in_berlin)[date(2026, 3, 1)].is_closed
    assert sorted(scores_of(in_berlin)) == [date(2026, 3, 1), date(2026, 4, 1)]
    assert not scores_of(in_utc)[date(2026, 3, 1)].is_closed
    assert sorted(scores_of(in_utc)) == [date(2026, 3, 1)]


def test_scoring_starts_at_the_first_measured_period_and_fills_the_gaps_with_no_data(agreement, utc_calendar):
    target = target_for(agreement, utc_calendar)
    measure(target, "2026-02-10T10:00:00", "99.9")
    measure(target, "2026-04-10T10:00:00", "99.9")

    recompute()

    statuses = {start: score.status for start, score in scores_of(target).items()}
    assert statuses == {
        date(2026, 2, 1): ComplianceStatus.MET,
        date(2026, 3, 1): ComplianceStatus.NO_DATA,
        date(2026, 4, 1): ComplianceStatus.MET,
        date(2026, 5, 1): ComplianceStatus.NO_DATA,
    }


def test_a_target_never_measured_gets_a_no_data_score_for_the_current_period(agreement):
    target = target_for(agreement)

    recompute()

    [score] = TargetScore.objects.filter(target=target)
    assert (score.period_start, score.status, score.achieved_value) == (
        date(2026, 5, 1),
        ComplianceStatus.NO_DATA,
        None,
    )


def test_nothing_is_scored_before_the_agreement_starts_or_beyond_months_back(account, utc_calendar):
    agreement = AgreementFactory(
        organization=account, status=AgreementStatus.ACTIVE, starts_on=date(2026, 3, 10), ends_on=None
    )
    target = target_for(agreement, utc_calendar)
    measure(target, "2026-01-10T10:00:00", "99.9")  # before the term
    measure(target, "2026-03-01T10:00:00", "99.0")

    recompute()
    assert sorted(scores_of(target)) == [date(2026, 3, 1), date(2026, 4, 1), date(2026, 5, 1)]

    TargetScore.objects.all().delete()
    recompute(months_back=1)
    assert sorted(scores_of(target)) == [date(2026, 4, 1), date(2026, 5, 1)]


def test_an_expired_agreement_is_scored_only_within_its_term(account, utc_calendar):
    agreement = AgreementFactory(
        organization=account,
        status=AgreementStatus.EXPIRED,
        starts_on=date(2025, 1, 1),
        ends_on=date(2026, 3, 15),
    )
    target = target_for(agreement, utc_calendar)
    measure(target, "2026-02-10T10:00:00", "99.9")
    measure(target, "2026-04-10T10:00:00", "90")  # after the term: kept, not scored

    recompute()

    assert sorted(scores_of(target)) == [date(2026, 2, 1), date(2026, 3, 1)]
    assert not Breach.objects.exists()


@pytest.mark.parametrize(
    "status", [AgreementStatus.AGREED, AgreementStatus.TERMINATED, AgreementStatus.DRAFT]
)
def test_only_active_and_expired_agreements_are_scored(account, utc_calendar, status):
    agreement = AgreementFactory(organization=account, status=status, starts_on=date(2026, 1, 1))
    target = target_for(agreement, utc_calendar)
    measure(target, "2026-05-02T10:00:00", "90")

    summary = recompute()

    assert summary["targets"] == 0
    assert not TargetScore.objects.exists()


def test_a_target_switched_off_keeps_its_closed_periods_and_loses_its_open_one(agreement, utc_calendar):
    target = target_for(agreement, utc_calendar)
    measure(target, "2026-04-10T10:00:00", "90")
    measure(target, "2026-05-10T10:00:00", "90")
    recompute()
    assert Breach.objects.filter(target=target, cleared_at__isnull=True).count() == 2

    target.is_active = False
    target.save()
    recompute()

    assert sorted(scores_of(target)) == [date(2026, 4, 1)]
    assert Breach.objects.get(target=target, period_start=date(2026, 4, 1)).cleared_at is None
    assert Breach.objects.get(target=target, period_start=date(2026, 5, 1)).cleared_at is not None
    # May held only the retired score, so its card goes; April's stays as it was.
    assert list(Scorecard.objects.filter(agreement=agreement).values_list("month", "breached")) == [
        (date(2026, 4, 1), 1)
    ]


# --- achieved values ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("aggregation", "achieved"),
    [
        ("average", "99.0000"),
        ("minimum", "97.5000"),
        ("maximum", "100.0000"),
        ("sum", "297.0000"),
        ("count", "3.0000"),
        ("latest", "97.5000"),
    ],
)
def test_each_aggregation_combines_the_periods_measurements(agreement, utc_calendar, aggregation, achieved):
    target = target_for(
        agreement, utc_calendar, aggregation=aggregation, target_value=Decimal("1"), warning_threshold=None
    )
    measure(target, "2026-04-01T10:00:00", "99.5")
    measure(target, "2026-04-30T23:00:00", "97.5")  # the latest
    measure(target, "2026-04-15T10:00:00", "100")
    measure(target, "2026-04-30T23:30:00", "50", excluded=True)  # later, but excluded

    recompute()

    score = scores_of(target)[date(2026, 4, 1)]
    assert score.achieved_value == Decimal(achieved)
    assert score.measurement_count == 3


def test_the_latest_of_two_at_the_same_moment_is_the_one_recorded_last(agreement, utc_calendar):
    target = target_for(agreement, utc_calendar, aggregation="latest")
    measure(target, "2026-04-10T10:00:00", "99.0")
    measure(target, "2026-04-10T10:00:00", "99.9")

    recompute()

    assert scores_of(target)[date(2026, 4, 1)].achieved_value == Decimal("99.9000")


def test_excluded_measurements_are_not_counted(agreement, utc_calendar):
    target = target_for(agreement, utc_calendar)
    measure(target, "2026-04-10T10:00:00", "99.9")
    measure(target, "2026-04-11T10:00:00", "80", excluded=True)
    measure(target, "2026-03-11T10:00:00", "80", excluded=True)

    recompute()

    scores = scores_of(target)
    assert (scores[date(2026, 4, 1)].achieved_value, scores[date(2026, 4, 1)].status) == (
        Decimal("99.9000"),
        ComplianceStatus.MET,
    )
    assert (scores[date(2026, 3, 1)].measurement_count, scores[date(2026, 3, 1)].status) == (
        0,
        ComplianceStatus.NO_DATA,
    )
    assert not Breach.objects.exists()


def test_the_score_copies_the_target_agreement_account_and_kind(agreement, utc_calendar):
    target = target_for(agreement, utc_calendar, kind="utility")
    measure(target, "2026-04-10T10:00:00", "99.6")

    recompute()

    score = scores_of(target)[date(2026, 4, 1)]
    assert (score.agreement_id, score.organization_id, score.kind, score.period) == (
        agreement.pk,
        agreement.organization_id,
        "utility",
        "month",
    )
    assert (score.status, score.is_closed) == (ComplianceStatus.AT_RISK, True)


# --- scorecards ---------------------------------------------------------------------------------------


@pytest.fixture
def mixed(agreement, utc_calendar):
    """Three monthly targets (met, at risk, breached in March) and a quarterly one met in Q1."""
    met = target_for(agreement, utc_calendar, name="Portal availability")
    at_risk = target_for(agreement, utc_calendar, name="API availability")
    breached = target_for(agreement, utc_calendar, name="Mobile availability")
    quarterly = target_for(agreement, utc_calendar, name="Quarterly satisfaction", period="quarter")
    measure(met, "2026-03-05T10:00:00", "99.9")
    measure(at_risk, "2026-03-05T10:00:00", "99.6")
    measure(breached, "2026-03-05T10:00:00", "98")
    measure(quarterly, "2026-02-05T10:00:00", "99.9")
    measure(met, "2026-04-05T10:00:00", "99.9")
    return {"met": met, "at_risk": at_risk, "breached": breached, "quarterly": quarterly}


def card(month: date, agreement=None, organization=None) -> tuple:
    row = (
        Scorecard.objects.get(agreement=agreement, month=month)
        if agreement
        else Scorecard.objects.get(agreement__isnull=True, organization=organization, month=month)
    )
    return (row.targets_measured, row.met, row.at_risk, row.breached, row.compliance_pct)


def test_an_agreements_scorecard_counts_monthly_targets_and_quarters_ending_in_the_month(agreement, mixed):
    recompute()

    # March: three monthly targets and the first quarter, which ends in March.
    assert card(date(2026, 3, 1), agreement) == (4, 2, 1, 1, Decimal("75.0"))
    # April: one monthly target measured; the others have no data and do not count.
    assert card(date(2026, 4, 1), agreement) == (1, 1, 0, 0, Decimal("100.0"))
    # May: nothing measured yet, the card says so; June holds the second quarter, not measured.
    assert card(date(2026, 5, 1), agreement) == (0, 0, 0, 0, None)
    assert card(date(2026, 6, 1), agreement) == (0, 0, 0, 0, None)
    assert not Scorecard.objects.filter(agreement=agreement, month=date(2026, 1, 1)).exists()


def test_an_accounts_scorecard_sums_its_agreements(account, agreement, mixed, utc_calendar, other_account):
    second = AgreementFactory(
        organization=account, status=AgreementStatus.ACTIVE, starts_on=date(2026, 1, 1), ends_on=None
    )
    measure(target_for(second, utc_calendar), "2026-03-09T10:00:00", "90")
    measure(target_for(second, utc_calendar, period="quarter"), "2026-03-09T10:00:00", "99.9")
    elsewhere = AgreementFactory(
        organization=other_account, status=AgreementStatus.ACTIVE, starts_on=date(2026, 1, 1)
    )
    measure(target_for(elsewhere, utc_calendar), "2026-03-09T10:00:00", "90")

    recompute()

    assert card(date(2026, 3, 1), second) == (2, 1, 0, 1, Decimal("50.0"))
    assert card(date(2026, 3, 1), organization=account) == (6, 3, 1, 2, Decimal("66.7"))
    assert card(date(2026, 3, 1), organization=other_account) == (1, 0, 0, 1, Decimal("0.0"))


def test_a_recompute_of_one_agreement_keeps_the_account_card_whole(account, agreement, mixed, utc_calendar):
    second = AgreementFactory(
        organization=account, status=AgreementStatus.ACTIVE, starts_on=date(2026, 1, 1), ends_on=None
    )
    late = target_for(second, utc_calendar)
    measure(late, "2026-03-09T10:00:00", "90")
    recompute()
    assert card(date(2026, 3, 1), organization=account) == (5, 2, 1, 2, Decimal("60.0"))

    Measurement.objects.filter(target=late).update(value=Decimal("99.9"))
    recompute(agreement_ids=[second.pk])

    assert card(date(2026, 3, 1), organization=account) == (5, 3, 1, 1, Decimal("80.0"))


def test_a_month_left_without_scores_loses_its_scorecard(agreement, utc_calendar):
    target = target_for(agreement, utc_calendar)
    measure(target, "2026-02-05T10:00:00", "99.9")
    recompute()
    assert Scorecard.objects.filter(agreement=agreement, month=date(2026, 2, 1)).exists()

    Measurement.objects.filter(target=target).delete()
    recompute()

    assert sorted(scores_of(target)) == [date(2026, 5, 1)]
    assert list(Scorecard.objects.filter(agreement=agreement).values_list("month", flat=True)) == [
        date(2026, 5, 1)
    ]
    assert not Scorecard.objects.filter(agreement__isnull=True, month=date(2026, 2, 1)).exists()


# --- breaches -----------------------------------------------------------------------------------------


def test_a_breached_period_raises_one_breach_with_its_event(agreement, mixed, owner):
    recompute()
    recompute()

    breach = Breach.objects.get()
    assert (breach.target, breach.period_start, breach.achieved_value) == (
        mixed["breached"],
        date(2026, 3, 1),
        Decimal("98.0000"),
    )
    assert (breach.agreement, breach.organization) == (agreement, agreement.organization)
    [event] = JourneyEvent.objects.filter(event_type=AgreeEventType.SLA_BREACHED)
    assert event.organization == agreement.organization
    assert event.payload["agreement_id"] == agreement.pk
    assert event.payload["target_id"] == mixed["breached"].pk
    assert event.payload["period_start"] == "2026-03-01"


def test_an_open_period_that_recovers_is_cleared_and_raised_again_when_it_slips(agreement, utc_calendar):
    target = target_for(agreement, utc_calendar)
    first = measure(target, "2026-05-02T10:00:00", "99")
    recompute()
    breach = Breach.objects.get()
    assert breach.cleared_at is None

    measure(target, "2026-05-03T10:00:00", "100")
    measure(target, "2026-05-04T10:00:00", "100")
    recompute()
    breach.refresh_from_db()
    assert breach.cleared_at is not None
    assert scores_of(target)[date(2026, 5, 1)].status == ComplianceStatus.AT_RISK

    Measurement.objects.exclude(pk=first.pk).delete()
    recompute()
    breach.refresh_from_db()
    assert breach.cleared_at is None
    assert Breach.objects.count() == 1
    assert JourneyEvent.objects.filter(event_type=AgreeEventType.SLA_BREACHED).count() == 1


def test_a_closed_periods_breach_stays_when_a_late_value_lifts_it(agreement, utc_calendar):
    target = target_for(agreement, utc_calendar)
    measure(target, "2026-03-02T10:00:00", "98")
    recompute()

    measure(target, "2026-03-03T10:00:00", "101.5")
    recompute()

    assert scores_of(target)[date(2026, 3, 1)].status == ComplianceStatus.MET
    assert Breach.objects.get().cleared_at is None


# --- running it again -----------------------------------------------------------------------------


def snapshot() -> dict:
    ignored = {"computed_at", "updated_at", "created_at"}

    def rows(model):
        names = [f.attname for f in model._meta.concrete_fields if f.attname not in ignored]
        return sorted(model.objects.values_list(*names), key=repr)

    return {model.__name__: rows(model) for model in (TargetScore, Scorecard, Breach)} | {
        "events": JourneyEvent.objects.count(),
        "mails": len(mail.outbox),
    }


def test_running_it_twice_gives_the_same_rows_and_writes_nothing_the_second_time(
    agreement, mixed, account, utc_calendar, django_capture_on_commit_callbacks
):
    quarterly_breach = target_for(
        agreement,
        utc_calendar,
        period="quarter",
        comparator="lte",
        target_value=Decimal(4),
        warning_threshold=Decimal(3),
    )
    measure(quarterly_breach, "2026-04-20T10:00:00", "5")
    with django_capture_on_commit_callbacks(execute=True):
        first = recompute()
    before = snapshot()

    with django_capture_on_commit_callbacks(execute=True):
        second = recompute()

    assert snapshot() == before
    assert first["scores_written"] > 0 and first["breaches_raised"] == 2
    assert {
        key: value for key, value in second.items() if key not in ("targets", "seconds")
    } == dict.fromkeys(
        [
            "scores_written",
            "scores_deleted",
            "scorecards_written",
            "scorecards_deleted",
            "breaches_raised",
            "breaches_cleared",
            "breaches_reraised",
        ],
        0,
    )


def test_the_daily_close_touches_only_the_last_two_periods(agreement, utc_calendar):
    target = target_for(agreement, utc_calendar)
    measure(target, "2026-02-05T10:00:00", "99.9")
    measure(target, "2026-04-05T10:00:00", "99.9")
    recompute()
    Measurement.objects.update(value=Decimal("90"))

    recompute(recent_periods=2)

    statuses = {start: score.status for start, score in scores_of(target).items()}
    assert statuses[date(2026, 2, 1)] == ComplianceStatus.MET  # left as it was
    assert statuses[date(2026, 4, 1)] == ComplianceStatus.BREACHED
    assert statuses[date(2026, 5, 1)] == ComplianceStatus.NO_DATA


def test_the_scope_narrows_by_target_agreement_and_account(agreement, account, other_account, utc_calendar):
    mine = target_for(agreement, utc_calendar)
    theirs = target_for(
        AgreementFactory(
            organization=other_account, status=AgreementStatus.ACTIVE, starts_on=date(2026, 1, 1)
        ),
        utc_calendar,
    )

    assert recompute(target_ids=[mine.pk])["targets"] == 1
    assert recompute(agreement_ids=[theirs.agreement_id])["targets"] == 1
    assert recompute(organization_ids=[account.pk])["targets"] == 1
    assert recompute(target_ids=[])["targets"] == 0
    assert recompute()["targets"] == 2
    assert set(TargetScore.objects.values_list("target_id", flat=True)) == {mine.pk, theirs.pk}


def test_the_command_recomputes_and_prints_the_summary(agreement, mixed, capsys):
    other = AgreementFactory(status=AgreementStatus.ACTIVE)
    call_command(
        "recompute_compliance", "--agreement", str(agreement.pk), str(other.pk), "--months-back", "12"
    )

    output = capsys.readouterr().out
    assert output.startswith("Recomputed 4 targets in ")  # the other agreement has none
    assert "1 breaches raised" in output
    assert TargetScore.objects.filter(agreement=agreement).exists()


def test_rows_read_past_the_orm_are_the_orms_rows(agreement, utc_calendar):
    """The engine reads its large queries straight from the cursor on PostgreSQL; the rows must be
    those the ORM gives (same order of columns, same types)."""
    from django.db.models import Avg, Count

    from agreements.services.compliance import _among, _rows

    target = target_for(agreement, utc_calendar, aggregation="average")
    measure(target, "2026-05-02T10:00:00", "99.12345")
    measure(target, "2026-05-03T10:00:00", "98")
    recompute()
    grouped = (
        Measurement.objects.filter(_among("target_id", [target.pk]))
        .order_by()
        .values("target_id", "period_start")
        .annotate(count=Count("pk"), value=Avg("value"))
        .values_list("target_id", "period_start", "value", "count")
    )
    scores = TargetScore.objects.filter(_among("target_id", [target.pk])).values_list(
        "target_id", "period_start", "period_end", "achieved_value", "status", "is_closed", "pk"
    )

    for queryset in (grouped, scores, TargetScore.objects.filter(_among("target_id", [])).values_list("pk")):
        assert _rows(queryset) == [tuple(row) for row in queryset]
    assert _rows(grouped)[0][3] == 2
