"""Reads of Offer: the patterns of business activity (demand profiles) of an offering.

A profile spreads the consumers' workload over the hours of the day, the days of the week and the
months of the year: computed from the touchpoints of the journeys linked to the offering, or entered
from what the consumers say. Like the catalogue it belongs to, every role may read it; it holds counts
per time bucket only, never who the touchpoints came from.

Peaks, the rule the pages and the API use: a bucket is a peak when its volume is at least
PEAK_FACTOR (1.5) times the mean volume of its dimension (the mean over all its buckets, empty ones
included) and not zero. Neighbouring peak buckets form a peak window (hours, days and months wrap
around: 23:00–01:00, Sunday–Monday, December–January); each window states its share of the volume
next to its share of the time, so “2 hours of the day hold 40 % of the calls” reads at a glance.

The day-of-week × hour-of-day heat map of a computed profile is counted by the database from the same
touchpoints over the same period; an entered profile has only the three separate dimensions, so its
heat map is an estimate (each day's volume spread over the hours as the hour profile spreads), and
says so. The trend a computed profile suggests comes from a least-squares line through its monthly
volumes: growth or decline when the line moves by at least TREND_THRESHOLD (3 %) of the average month
per month, else repetitive.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, QuerySet
from django.db.models.functions import ExtractHour, ExtractIsoWeekDay, ExtractMonth, TruncMonth
from django.utils import timezone

from journeys.models import Touchpoint
from offerings.models import (
    BUCKET_RANGES,
    DemandDimension,
    DemandProfile,
    DemandProfileSource,
    DemandTrend,
    OfferingJourney,
    ServiceOffering,
)

__all__ = [
    "DAY_NAMES",
    "MONTH_NAMES",
    "PEAK_FACTOR",
    "TREND_THRESHOLD",
    "DemandPage",
    "DimensionProfile",
    "HeatMap",
    "PeakWindow",
    "ProfileView",
    "TrendSuggestion",
    "demand_counts",
    "demand_heat_map",
    "demand_monthly_volumes",
    "demand_page",
    "demand_period",
    "demand_profile_view",
    "demand_profiles_for_offering",
    "demand_touchpoints",
    "dimension_profile",
    "estimated_heat_map",
    "peak_cells",
    "trend_suggestion",
]

PEAK_FACTOR = Decimal("1.5")
TREND_THRESHOLD = Decimal("0.03")
TREND_MIN_MONTHS = 3
DEFAULT_PERIOD_DAYS = 365
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
SHARE = Decimal("0.0001")


# --- the touchpoints a profile counts -------------------------------------------------------------


def demand_period(covers_from: date | None = None, covers_to: date | None = None) -> tuple[date, date]:
    """The days a computed profile counts: as given, else the last 365 days up to today (a year, so
    that each month of the year counts about once)."""
    covers_to = covers_to or timezone.localdate()
    covers_from = covers_from or covers_to - timedelta(days=DEFAULT_PERIOD_DAYS - 1)
    return covers_from, covers_to


def demand_touchpoints(
    *, offering: ServiceOffering, covers_from: date, covers_to: date
) -> QuerySet[Touchpoint]:
    """The touchpoints of the journeys linked to the offering on the days covered, first to last day
    included, days as the current time zone draws them."""
    start = timezone.make_aware(datetime.combine(covers_from, time.min))
    end = timezone.make_aware(datetime.combine(covers_to + timedelta(days=1), time.min))
    journeys = OfferingJourney.objects.filter(offering=offering).values("journey_id")
    # No ordering: the model's own (latest first) would join the GROUP BY of every count made of this.
    return Touchpoint.objects.filter(
        journey_id__in=journeys, occurred_at__gte=start, occurred_at__lt=end
    ).order_by()


def _counts(touchpoints: QuerySet[Touchpoint], bucket) -> dict[int, int]:
    rows = touchpoints.annotate(bucket=bucket).values("bucket").annotate(volume=Count("pk")).order_by()
    return {row["bucket"]: row["volume"] for row in rows}


def demand_counts(touchpoints: QuerySet[Touchpoint]) -> dict[str, dict[int, int]]:
    """Touchpoints per hour of the day (0–23), day of the week (0 Monday – 6 Sunday) and month (1–12),
    each counted by the database in the current time zone. Three queries."""
    days = _counts(touchpoints, ExtractIsoWeekDay("occurred_at"))
    return {
        DemandDimension.HOUR_OF_DAY: _counts(touchpoints, ExtractHour("occurred_at")),
        # ISO numbers the days 1 (Monday) to 7; the profile 0 to 6, as Python's weekday() does.
        DemandDimension.DAY_OF_WEEK: {day - 1: volume for day, volume in days.items()},
        DemandDimension.MONTH: _counts(touchpoints, ExtractMonth("occurred_at")),
    }


# --- peaks ----------------------------------------------------------------------------------------


def _hour_label(first: int, last: int) -> str:
    return f"{first:02d}:00–{(last + 1) % 24:02d}:00"


def _span_label(dimension: str, first: int, last: int) -> str:
    if dimension == DemandDimension.HOUR_OF_DAY:
        return _hour_label(first, last)
    names = DAY_NAMES if dimension == DemandDimension.DAY_OF_WEEK else MONTH_NAMES
    offset = 0 if dimension == DemandDimension.DAY_OF_WEEK else 1
    if first == last:
        return names[first - offset]
    return f"{names[first - offset]} to {names[last - offset]}"


@dataclass(frozen=True)
class PeakWindow:
    """Neighbouring peak buckets of one dimension, with their share of the volume and of the time."""

    dimension: str
    buckets: tuple[int, ...]
    volume: int
    share: Decimal  # of the dimension's volume, a fraction
    time_share: Decimal  # of the dimension's buckets, a fraction

    @property
    def first(self) -> int:
        return self.buckets[0]

    @property
    def last(self) -> int:
        return self.buckets[-1]

    @property
    def label(self) -> str:
        return _span_label(self.dimension, self.first, self.last)

    @property
    def intensity(self) -> Decimal:
        """How many times its share of the time the window's share of the volume is (1 is even)."""
        return (self.share / self.time_share).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def share_percent(self) -> Decimal:
        return (self.share * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def time_share_percent(self) -> Decimal:
        return (self.time_share * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class DimensionProfile:
    dimension: str
    buckets: tuple[int, ...]
    volumes: tuple[int, ...]  # in bucket order
    peaks: frozenset[int]  # the peak buckets
    windows: tuple[PeakWindow, ...]

    @property
    def total(self) -> int:
        return sum(self.volumes)

    @property
    def mean(self) -> Decimal:
        return Decimal(self.total) / len(self.buckets)

    @property
    def threshold(self) -> Decimal:
        return self.mean * PEAK_FACTOR

    @property
    def rows(self) -> list[tuple[int, str, int, bool]]:
        """(bucket, label, volume, is a peak) in bucket order, for tables."""
        return [
            (bucket, _span_label(self.dimension, bucket, bucket), volume, bucket in self.peaks)
            for bucket, volume in zip(self.buckets, self.volumes, strict=True)
        ]


def _windows(dimension: str, buckets: tuple[int, ...], volumes: tuple[int, ...], peaks: frozenset[int]):
    """Runs of neighbouring peak buckets; a run that reaches the end of the range and one that starts
    at its beginning are one window (the range is a circle)."""
    flags = [bucket in peaks for bucket in buckets]
    if not any(flags):
        return ()
    count = len(buckets)
    if all(flags):
        runs = [list(range(count))]
    else:
        # Start the walk just after a bucket that is not a peak, so no run is cut at the wrap.
        start = next(index for index in range(count) if not flags[index]) + 1
        runs, current = [], []
        for step in range(count):
            index = (start + step) % count
            if flags[index]:
                current.append(index)
            elif current:
                runs.append(current)
                current = []
        if current:
            runs.append(current)
    total = sum(volumes)
    windows = []
    for run in runs:
        volume = sum(volumes[index] for index in run)
        windows.append(
            PeakWindow(
                dimension=dimension,
                buckets=tuple(buckets[index] for index in run),
                volume=volume,
                share=(Decimal(volume) / total).quantize(SHARE, rounding=ROUND_HALF_UP),
                time_share=(Decimal(len(run)) / count).quantize(SHARE, rounding=ROUND_HALF_UP),
            )
        )
    windows.sort(key=lambda window: (-window.volume, window.first))
    return tuple(windows)


def dimension_profile(dimension: str, volumes_by_bucket: dict[int, int]) -> DimensionProfile:
    """One dimension's volumes in bucket order (missing buckets count 0), its peaks and peak windows."""
    buckets = tuple(BUCKET_RANGES[dimension])
    volumes = tuple(int(volumes_by_bucket.get(bucket, 0)) for bucket in buckets)
    total = sum(volumes)
    threshold = Decimal(total) / len(buckets) * PEAK_FACTOR
    peaks = frozenset(
        bucket for bucket, volume in zip(buckets, volumes, strict=True) if volume > 0 and volume >= threshold
    )
    return DimensionProfile(
        dimension=dimension,
        buckets=buckets,
        volumes=volumes,
        peaks=peaks,
        windows=_windows(dimension, buckets, volumes, peaks),
    )


def peak_cells(matrix: list[list[int]]) -> frozenset[tuple[int, int]]:
    """The peak cells of a day × hour matrix, by the same rule over its 168 cells."""
    cells = [volume for row in matrix for volume in row]
    if not cells:
        return frozenset()
    threshold = Decimal(sum(cells)) / len(cells) * PEAK_FACTOR
    return frozenset(
        (day, hour)
        for day, row in enumerate(matrix)
        for hour, volume in enumerate(row)
        if volume > 0 and volume >= threshold
    )


# --- the heat map and the trend -------------------------------------------------------------------


@dataclass(frozen=True)
class HeatMap:
    matrix: list[list[int]]  # 7 days × 24 hours
    peaks: frozenset[tuple[int, int]]
    estimated: bool


def demand_heat_map(*, touchpoints: QuerySet[Touchpoint]) -> HeatMap:
    """Touchpoints per day of the week and hour of the day, counted by the database. One query."""
    rows = (
        touchpoints.annotate(day=ExtractIsoWeekDay("occurred_at"), hour=ExtractHour("occurred_at"))
        .values("day", "hour")
        .annotate(volume=Count("pk"))
        .order_by()
    )
    matrix = [[0] * 24 for _ in range(7)]
    for row in rows:
        matrix[row["day"] - 1][row["hour"]] = row["volume"]
    return HeatMap(matrix=matrix, peaks=peak_cells(matrix), estimated=False)


def estimated_heat_map(hours: DimensionProfile, days: DimensionProfile) -> HeatMap:
    """For a profile with separate day and hour volumes only: each day's volume spread over the hours
    the way the hour profile spreads (rounded to whole numbers)."""
    hour_total = hours.total
    matrix = [
        [
            int((Decimal(day_volume) * hour_volume / hour_total).quantize(Decimal(1), rounding=ROUND_HALF_UP))
            if hour_total
            else 0
            for hour_volume in hours.volumes
        ]
        for day_volume in days.volumes
    ]
    return HeatMap(matrix=matrix, peaks=peak_cells(matrix), estimated=True)


def demand_monthly_volumes(
    *, touchpoints: QuerySet[Touchpoint], covers_from: date, covers_to: date
) -> list[tuple[date, int]]:
    """Touchpoints per calendar month of the period, months without any included as 0. One query."""
    counted = {
        timezone.localtime(row["month"]).date() if isinstance(row["month"], datetime) else row["month"]: row[
            "volume"
        ]
        for row in touchpoints.annotate(month=TruncMonth("occurred_at"))
        .values("month")
        .annotate(volume=Count("pk"))
        .order_by()
    }
    months, month = [], covers_from.replace(day=1)
    while month <= covers_to:
        months.append((month, counted.get(month, 0)))
        month = (month + timedelta(days=32)).replace(day=1)
    return months


def _full_months(monthly: list[tuple[date, int]], *, covers_from: date, covers_to: date) -> list[int]:
    """The volumes of the months the period covers whole: a month cut short at either end of the
    period would look like a dip and tilt the trend."""
    full = []
    for month, volume in monthly:
        last_day = (month + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        if month >= covers_from and last_day <= covers_to:
            full.append(volume)
    return full


@dataclass(frozen=True)
class TrendSuggestion:
    trend: str  # a DemandTrend value
    change_per_month: Decimal  # as a fraction of the average month
    months: int

    @property
    def label(self) -> str:
        return DemandTrend(self.trend).label

    @property
    def change_percent(self) -> Decimal:
        return (self.change_per_month * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def trend_suggestion(volumes: list[int]) -> TrendSuggestion | None:
    """Growth, decline or repetitive, from the least-squares slope of monthly volumes relative to the
    average month; None with fewer than three months or no volume at all."""
    count = len(volumes)
    if count < TREND_MIN_MONTHS or not any(volumes):
        return None
    mean_x = Decimal(count - 1) / 2
    mean_y = Decimal(sum(volumes)) / count
    spread = sum((Decimal(x) - mean_x) ** 2 for x in range(count))
    slope = sum((Decimal(x) - mean_x) * (Decimal(y) - mean_y) for x, y in enumerate(volumes)) / spread
    change = (slope / mean_y).quantize(SHARE, rounding=ROUND_HALF_UP)
    if change >= TREND_THRESHOLD:
        trend = DemandTrend.GROWTH
    elif change <= -TREND_THRESHOLD:
        trend = DemandTrend.DECLINE
    else:
        trend = DemandTrend.REPETITIVE
    return TrendSuggestion(trend=trend, change_per_month=change, months=count)


# --- pages ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProfileView:
    """One profile as the page and the API show it."""

    profile: DemandProfile
    hours: DimensionProfile
    days: DimensionProfile
    months: DimensionProfile
    heat_map: HeatMap | None = None
    monthly: tuple[tuple[date, int], ...] = ()
    suggestion: TrendSuggestion | None = None

    @property
    def total(self) -> int:
        return self.days.total

    @property
    def is_computed(self) -> bool:
        return self.profile.source == DemandProfileSource.COMPUTED

    @property
    def windows(self) -> list[PeakWindow]:
        return [*self.hours.windows, *self.days.windows, *self.months.windows]


def demand_profiles_for_offering(*, offering: ServiceOffering) -> dict[str, DemandProfile]:
    """The offering's profiles by source (at most one of each), each with its cells. Two queries."""
    return {profile.source: profile for profile in offering.demand_profiles.prefetch_related("cells")}


def demand_profile_view(profile: DemandProfile, *, detailed: bool = False) -> ProfileView:
    """A profile's three dimensions with their peaks (from its prefetched cells). `detailed` adds the
    heat map and, for a computed profile, its monthly volumes and suggested trend (two queries)."""
    cells: dict[str, dict[int, int]] = {dimension: {} for dimension in DemandDimension.values}
    for cell in profile.cells.all():
        cells[cell.dimension][cell.bucket] = cell.volume
    hours = dimension_profile(DemandDimension.HOUR_OF_DAY, cells[DemandDimension.HOUR_OF_DAY])
    days = dimension_profile(DemandDimension.DAY_OF_WEEK, cells[DemandDimension.DAY_OF_WEEK])
    months = dimension_profile(DemandDimension.MONTH, cells[DemandDimension.MONTH])
    if not detailed:
        return ProfileView(profile=profile, hours=hours, days=days, months=months)
    if profile.source == DemandProfileSource.COMPUTED and profile.covers_from and profile.covers_to:
        touchpoints = demand_touchpoints(
            offering=profile.offering, covers_from=profile.covers_from, covers_to=profile.covers_to
        )
        monthly = demand_monthly_volumes(
            touchpoints=touchpoints, covers_from=profile.covers_from, covers_to=profile.covers_to
        )
        return ProfileView(
            profile=profile,
            hours=hours,
            days=days,
            months=months,
            heat_map=demand_heat_map(touchpoints=touchpoints),
            monthly=tuple(monthly),
            suggestion=trend_suggestion(
                _full_months(monthly, covers_from=profile.covers_from, covers_to=profile.covers_to)
            ),
        )
    return ProfileView(
        profile=profile, hours=hours, days=days, months=months, heat_map=estimated_heat_map(hours, days)
    )


@dataclass(frozen=True)
class DemandPage:
    offering: ServiceOffering
    source: str
    profiles: dict[str, DemandProfile]
    view: ProfileView | None
    linked_journeys: int


def demand_page(*, user, offering: ServiceOffering, source: str | None = None) -> DemandPage:
    """The demand page of an offering: which profiles it has, the one shown (the source asked for, else
    the computed one when there is one) in detail, and how many journeys are linked to it. Up to five
    queries."""
    profiles = demand_profiles_for_offering(offering=offering)
    if source not in DemandProfileSource.values:
        source = (
            DemandProfileSource.COMPUTED
            if DemandProfileSource.COMPUTED in profiles or not profiles
            else (DemandProfileSource.ENTERED)
        )
    profile = profiles.get(source)
    if profile is not None:
        profile.offering = offering
    return DemandPage(
        offering=offering,
        source=source,
        profiles=profiles,
        view=demand_profile_view(profile, detailed=True) if profile is not None else None,
        linked_journeys=OfferingJourney.objects.filter(offering=offering).count(),
    )
