"""Reads of demand profiles: peak detection and peak windows (hand-worked), the trend a profile's monthly
volumes suggest, the heat map counted by the database or estimated, and the page's query count."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from offerings import selectors, services
from offerings.models import DemandDimension, DemandProfileSource
from offerings.selectors.demand import dimension_profile, estimated_heat_map, peak_cells, trend_suggestion
from tests.factories.journeys import TouchpointFactory
from tests.factories.offerings import OfferingJourneyFactory, ServiceOfferingFactory

HOUR, DAY, MONTH = DemandDimension.HOUR_OF_DAY, DemandDimension.DAY_OF_WEEK, DemandDimension.MONTH


# --- peaks (no database) --------------------------------------------------------------------------


def test_peak_hours_are_those_at_one_and_a_half_times_the_mean_and_neighbours_form_windows():
    # 20 hours at 2, hour 10 at 20, hour 11 at 16, hours 23 and 0 at 8: 92 in all, a mean of 3.83 and
    # a threshold of 5.75. Peaks: 10, 11 (36, 39.1 % of the volume in 2 of 24 hours) and 23, 0 (16,
    # 17.4 %, one window across midnight).
    volumes = dict.fromkeys(range(24), 2) | {10: 20, 11: 16, 23: 8, 0: 8}

    hours = dimension_profile(HOUR, volumes)

    assert hours.total == 92
    assert hours.threshold == Decimal(92) / 24 * Decimal("1.5")
    assert hours.peaks == {0, 10, 11, 23}
    [busiest, night] = hours.windows
    assert (busiest.label, busiest.buckets, busiest.volume) == ("10:00–12:00", (10, 11), 36)
    assert (busiest.share, busiest.time_share, busiest.share_percent) == (
        Decimal("0.3913"),
        Decimal("0.0833"),
        Decimal("39.1"),
    )
    assert busiest.intensity == Decimal("4.7")
    assert (night.label, night.buckets, night.volume) == ("23:00–01:00", (23, 0), 16)


def test_one_busy_day_is_a_peak_window_of_its_own():
    days = dimension_profile(DAY, {4: 7})

    assert days.peaks == {4}
    [friday] = days.windows
    assert (friday.label, friday.share, friday.time_share, friday.intensity) == (
        "Friday",
        Decimal("1.0000"),
        Decimal("0.1429"),
        Decimal("7.0"),
    )


def test_an_even_or_empty_profile_has_no_peaks():
    assert dimension_profile(DAY, dict.fromkeys(range(7), 5)).windows == ()
    empty = dimension_profile(MONTH, {})
    assert (empty.volumes, empty.peaks, empty.windows) == ((0,) * 12, frozenset(), ())


def test_months_wrap_from_december_to_january():
    months = dimension_profile(MONTH, dict.fromkeys(range(1, 13), 1) | {12: 6, 1: 5})

    assert [window.label for window in months.windows] == ["December to January"]


def test_peak_cells_of_the_heat_map_use_the_same_rule():
    # 167 cells at 1 and Friday 14:00 at 30: a mean of 197/168 = 1.17, a threshold of 1.76.
    matrix = [[1] * 24 for _ in range(7)]
    matrix[4][14] = 30

    assert peak_cells(matrix) == {(4, 14)}


def test_an_entered_profile_spreads_each_day_over_the_hours_as_the_hour_profile_does():
    hours = dimension_profile(HOUR, {9: 30, 10: 10})
    days = dimension_profile(DAY, {0: 8, 4: 4})

    heat = estimated_heat_map(hours, days)

    # Monday: 8 × 30/40 = 6 at 09:00 and 8 × 10/40 = 2 at 10:00; Friday: 3 and 1.
    assert (heat.matrix[0][9], heat.matrix[0][10], heat.matrix[4][9], heat.matrix[4][10]) == (6, 2, 3, 1)
    assert sum(map(sum, heat.matrix)) == 12
    assert heat.estimated


@pytest.mark.parametrize(
    ("volumes", "trend", "change"),
    [
        # Slope 10 a month on an average month of 115: +8.7 %.
        ([100, 110, 120, 130], "growth", Decimal("8.7")),
        ([130, 120, 110, 100], "decline", Decimal("-8.7")),
        ([100, 102, 98, 100], "repetitive", Decimal("-0.4")),
    ],
)
def test_the_monthly_volumes_suggest_a_trend(volumes, trend, change):
    suggestion = trend_suggestion(volumes)

    assert (suggestion.trend, suggestion.change_percent, suggestion.months) == (trend, change, 4)


def test_too_few_months_or_no_volume_suggest_nothing():
    assert trend_suggestion([10, 20]) is None
    assert trend_suggestion([0, 0, 0, 0]) is None


# --- from the database ----------------------------------------------------------------------------


@pytest.fixture
def offering(journey):
    offering = ServiceOfferingFactory(name="Managed laptops")
    OfferingJourneyFactory(offering=offering, journey=journey)
    for moment in (
        datetime(2026, 1, 9, 14, 10, tzinfo=UTC),  # Friday
        datetime(2026, 3, 6, 14, 20, tzinfo=UTC),  # Friday
        datetime(2026, 3, 6, 14, 50, tzinfo=UTC),
        datetime(2026, 3, 2, 9, 0, tzinfo=UTC),  # Monday
    ):
        TouchpointFactory(organization=journey.organization, journey=journey, occurred_at=moment)
    return offering


@pytest.mark.django_db
def test_the_heat_map_and_monthly_volumes_are_counted_by_the_database(offering):
    touchpoints = selectors.demand_touchpoints(
        offering=offering, covers_from=date(2026, 1, 1), covers_to=date(2026, 3, 31)
    )

    heat = selectors.demand_heat_map(touchpoints=touchpoints)
    monthly = selectors.demand_monthly_volumes(
        touchpoints=touchpoints, covers_from=date(2026, 1, 1), covers_to=date(2026, 3, 31)
    )

    assert (heat.matrix[4][14], heat.matrix[0][9], sum(map(sum, heat.matrix))) == (3, 1, 4)
    assert heat.peaks == {(4, 14), (0, 9)}
    assert monthly == [(date(2026, 1, 1), 1), (date(2026, 2, 1), 0), (date(2026, 3, 1), 3)]


@pytest.mark.django_db
def test_the_page_shows_the_computed_profile_in_five_queries(
    owner, offering, monkeypatch, django_assert_num_queries
):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: date(2026, 4, 15))
    services.demand_profile_recompute(
        offering=offering, covers_from=date(2026, 1, 1), covers_to=date(2026, 3, 31)
    )

    with django_assert_num_queries(5):
        page = selectors.demand_page(user=owner, offering=offering)

    view = page.view
    assert (page.source, page.linked_journeys, view.total) == (DemandProfileSource.COMPUTED, 1, 4)
    # So few touchpoints make every busy bucket a peak: each is well above its dimension's mean.
    assert [window.label for window in view.windows] == [
        "14:00–15:00",
        "09:00–10:00",
        "Friday",
        "Monday",
        "March",
        "January",
    ]
    assert view.heat_map.matrix[4][14] == 3 and not view.heat_map.estimated
    assert view.suggestion.trend == "growth"  # 1, 0, 3 a month


@pytest.mark.django_db
def test_without_a_computed_profile_the_page_shows_the_entered_one(owner, offering):
    services.demand_profile_enter(
        actor=owner,
        offering=offering,
        hour_of_day=[1] * 24,
        day_of_week=[1] * 7,
        month=[1] * 12,
    )

    page = selectors.demand_page(user=owner, offering=offering)
    asked = selectors.demand_page(user=owner, offering=offering, source="computed")

    assert page.source == DemandProfileSource.ENTERED
    assert page.view.heat_map.estimated
    assert (asked.source, asked.view) == (DemandProfileSource.COMPUTED, None)


def test_months_cut_short_by_the_period_do_not_count_towards_the_trend():
    from offerings.selectors.demand import _full_months

    # A period from 16 April to 15 July: April and July are only partly in it.
    monthly = [(date(2025, 4, 1), 3), (date(2025, 5, 1), 100), (date(2025, 6, 1), 100), (date(2025, 7, 1), 4)]

    volumes = _full_months(monthly, covers_from=date(2025, 4, 16), covers_to=date(2025, 7, 15))

    assert volumes == [100, 100]
