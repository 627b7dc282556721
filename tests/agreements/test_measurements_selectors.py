"""Reads of measurements and compliance: the target's page, the measurement list (newest first, two
queries), scorecards and scores, all following the account (404 for an outsider); and cutting a
target's measurements into periods again after its calendar or period changed."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.http import Http404
from django.utils import timezone

from agreements import selectors, services
from agreements.models import AgreementStatus, Measurement, TargetScore
from agreements.tasks import compliance_close_periods, compliance_recompute_task
from tests.factories.agreements import (
    AgreementFactory,
    BreachFactory,
    BusinessCalendarFactory,
    MeasurementFactory,
    ScorecardFactory,
    ServiceLevelTargetFactory,
    TargetScoreFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def agreement(account, owner):
    return AgreementFactory(
        organization=account, owner=owner, status=AgreementStatus.ACTIVE, starts_on=date(2026, 1, 1)
    )


@pytest.fixture
def target(agreement):
    return ServiceLevelTargetFactory(agreement=agreement, calendar=BusinessCalendarFactory(time_zone="UTC"))


def test_the_target_page_lists_the_last_periods_newest_first_with_gaps_as_no_data(owner, target):
    TargetScoreFactory(target=target, period_start=date(2026, 5, 1), status="met", is_closed=False)
    TargetScoreFactory(target=target, period_start=date(2026, 3, 1), status="breached", is_closed=True)
    BreachFactory(target=target, period_start=date(2026, 5, 1))
    BreachFactory(target=target, period_start=date(2026, 3, 1))

    page = selectors.target_page(user=owner, target=target.pk, today=date(2026, 5, 20))

    assert [(line.label, line.status, line.computed) for line in page.scores] == [
        ("May 2026", "met", True),
        ("April 2026", "no_data", False),
        ("March 2026", "breached", True),
    ]
    assert page.current.is_current and page.current_label == "May 2026"
    assert page.open_breach.period_start == date(2026, 5, 1)
    assert page.time_zone == "UTC"


def test_the_target_page_holds_at_most_twelve_periods(owner, target):
    for month in range(1, 13):
        TargetScoreFactory(target=target, period_start=date(2025, month, 1))
    for month in range(1, 6):
        TargetScoreFactory(target=target, period_start=date(2026, month, 1))

    page = selectors.target_page(user=owner, target=target, today=date(2026, 5, 20))

    assert len(page.scores) == 12
    assert page.scores[-1].period_start == date(2025, 6, 1)
    assert page.open_breach is None


def test_outsiders_get_404_everywhere(outsider, target, agreement):
    measurement = MeasurementFactory(target=target)
    for read in (
        lambda: selectors.target_page(user=outsider, target=target.pk),
        lambda: selectors.target_page(user=outsider, target=target),
        lambda: selectors.measurement_list(user=outsider, target=target),
        lambda: selectors.measurement_get(user=outsider, pk=measurement.pk),
        lambda: selectors.measurable_agreement_get(user=outsider, pk=agreement.pk),
        lambda: selectors.agreement_scorecards(user=outsider, agreement=agreement),
        lambda: selectors.target_scores(user=outsider, target=target),
    ):
        with pytest.raises(Http404):
            read()
    assert not selectors.measurement_scope(outsider).exists()
    assert selectors.measurement_scope(target.agreement.owner).count() == 1


def test_the_measurement_list_is_newest_first_in_two_queries(owner, target, django_assert_num_queries):
    start = timezone.now() - timedelta(days=3)
    for hours in (5, 1, 3):
        MeasurementFactory(
            target=target, measured_at=start + timedelta(hours=hours), value=Decimal("100"), recorded_by=owner
        )

    target = selectors.measurable_target_get(user=owner, pk=target.pk)  # with its agreement and account

    with django_assert_num_queries(2):
        page = selectors.measurement_list(user=owner, target=target, per_page=2)
        rows = [(m.measured_at, m.recorded_by.username, m.value_text) for m in page.object_list]

    assert [row[0] for row in rows] == [start + timedelta(hours=5), start + timedelta(hours=3)]
    assert rows[0][1:] == ("owner", "100")
    assert page.has_next()


def test_scorecards_and_scores_are_newest_first_and_bounded(analyst, agreement, target):
    ScorecardFactory(agreement=agreement, month=date(2026, 4, 1))
    ScorecardFactory(agreement=agreement, month=date(2026, 5, 1))
    ScorecardFactory(agreement=agreement, month=date(2026, 6, 1))  # after "today"
    TargetScoreFactory(target=target, period_start=date(2026, 4, 1))
    TargetScoreFactory(target=target, period_start=date(2026, 5, 1))

    cards = selectors.agreement_scorecards(
        user=analyst, agreement=agreement, months=2, today=date(2026, 5, 9)
    )
    scores = selectors.target_scores(user=analyst, target=target, periods=1)

    assert [card.month for card in cards] == [date(2026, 5, 1), date(2026, 4, 1)]
    assert [score.period_start for score in scores] == [date(2026, 5, 1)]


# --- background jobs ------------------------------------------------------------------------------


def test_the_recompute_task_scores_the_targets_it_is_given(target):
    MeasurementFactory(target=target, measured_at=timezone.now() - timedelta(hours=1), value=Decimal("90"))

    summary = compliance_recompute_task.delay(target_ids=[target.pk]).get()

    assert summary["targets"] == 1
    assert TargetScore.objects.filter(target=target, status="breached").exists()


def test_the_close_recomputes_each_targets_last_two_periods(target):
    now = timezone.now()
    MeasurementFactory(target=target, measured_at=now - timedelta(days=400), value=Decimal("90"))
    MeasurementFactory(target=target, measured_at=now - timedelta(hours=1), value=Decimal("99.9"))

    compliance_close_periods.delay().get()

    starts = sorted(TargetScore.objects.filter(target=target).values_list("period_start", flat=True))
    this_month = timezone.localdate().replace(day=1)
    assert starts[-1] == this_month
    assert len(starts) == 2


# --- cutting periods again ------------------------------------------------------------------------


def test_measurements_move_to_their_periods_in_the_new_time_zone(
    owner, target, django_capture_on_commit_callbacks
):
    late_march = MeasurementFactory(target=target, measured_at=datetime(2026, 3, 31, 23, 30, tzinfo=UTC))
    mid_april = MeasurementFactory(target=target, measured_at=datetime(2026, 4, 15, tzinfo=UTC))
    assert late_march.period_start == date(2026, 3, 1)

    target.calendar.time_zone = "Europe/Berlin"
    target.calendar.save()
    with django_capture_on_commit_callbacks(execute=True):
        changed = services.measurement_periods_refresh(target_ids=[target.pk])

    assert changed == 1
    late_march.refresh_from_db()
    mid_april.refresh_from_db()
    assert (late_march.period_start, mid_april.period_start) == (date(2026, 4, 1), date(2026, 4, 1))
    assert TargetScore.objects.filter(
        target=target, period_start=date(2026, 4, 1), measurement_count=2
    ).exists()


def test_measurements_move_to_quarters_when_the_period_changes(target):
    MeasurementFactory(target=target, measured_at=datetime(2026, 2, 10, tzinfo=UTC))
    MeasurementFactory(target=target, measured_at=datetime(2026, 5, 10, tzinfo=UTC))
    target.period = "quarter"
    target.save()

    services.measurement_periods_refresh(target_ids=[target.pk])

    assert sorted(Measurement.objects.values_list("period_start", flat=True)) == [
        date(2026, 1, 1),
        date(2026, 4, 1),
    ]
