"""Reads of Agree: measurements, and a service level target's page (its rule, its scores per period,
its open breach, its measurements).

Measurements, targets and scores belong to the target's account: exactly those who may see the
account see them (404 otherwise). The list of a target's measurements costs two queries whatever its
length (the count and the page).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from agreements.models import (
    Agreement,
    Breach,
    ComplianceStatus,
    Measurement,
    ServiceLevelTarget,
    TargetScore,
)
from agreements.periods import add_periods, period_bounds, period_label, period_start, zone_named
from journeys import roles
from journeys.selectors import organization_is_visible, organization_scope

__all__ = [
    "MEASUREMENTS_PER_PAGE",
    "TARGET_PAGE_PERIODS",
    "ScoreLine",
    "TargetPage",
    "measurable_agreement_get",
    "measurable_target_get",
    "measurement_get",
    "measurement_list",
    "measurement_scope",
    "plain_number",
    "target_page",
]

MEASUREMENTS_PER_PAGE = 25
TARGET_PAGE_PERIODS = 12


def measurement_scope(user) -> QuerySet[Measurement]:
    """The measurements of the accounts the user may see."""
    if roles.sees_whole_portfolio(user):
        return Measurement.objects.all()
    return Measurement.objects.filter(target__agreement__organization__in=organization_scope(user))


def measurement_get(*, user, pk: int) -> Measurement:
    """One measurement with its target, agreement, account and who recorded it; 404 for one the user
    may not see."""
    try:
        found = Measurement.objects.select_related(
            "target__agreement__organization", "target__calendar", "recorded_by"
        ).get(pk=pk)
    except Measurement.DoesNotExist:
        raise Http404("No such measurement.") from None
    if not organization_is_visible(user, found.target.agreement.organization):
        raise Http404("No such measurement.")
    found.value_text = plain_number(found.value)
    return found


def measurable_target_get(*, user, pk: int) -> ServiceLevelTarget:
    """One target with its agreement, account and calendar; 404 for one the user may not see."""
    try:
        found = ServiceLevelTarget.objects.select_related("agreement__organization", "calendar").get(pk=pk)
    except ServiceLevelTarget.DoesNotExist:
        raise Http404("No such target.") from None
    if not organization_is_visible(user, found.agreement.organization):
        raise Http404("No such target.")
    return found


def measurable_agreement_get(*, user, pk: int) -> Agreement:
    """One agreement with its account; 404 for one the user may not see."""
    try:
        found = Agreement.objects.select_related("organization").get(pk=pk)
    except Agreement.DoesNotExist:
        raise Http404("No such agreement.") from None
    if not organization_is_visible(user, found.organization):
        raise Http404("No such agreement.")
    return found


def measurement_list(
    *, user, target: ServiceLevelTarget, page: int | str | None = None, per_page: int = MEASUREMENTS_PER_PAGE
) -> Page:
    """A page of the target's measurements, newest first, with who recorded each. Two queries."""
    if not organization_is_visible(user, target.agreement.organization):
        raise Http404("Not found.")
    rows = (
        Measurement.objects.filter(target_id=target.pk)
        .select_related("recorded_by")
        .order_by("-measured_at", "-pk")
    )
    found = Paginator(rows, per_page).get_page(page)
    found.object_list = list(found.object_list)
    for measurement in found.object_list:
        measurement.value_text = plain_number(measurement.value)
    return found


def plain_number(value: Decimal | None) -> str:
    """A stored decimal as people write it: 99.9 rather than 99.9000, 100 rather than 1E+2."""
    if value is None:
        return ""
    return format(value.normalize(), "f")


@dataclass(frozen=True, slots=True)
class ScoreLine:
    """One period of a target as its page shows it (a score, or nothing computed yet)."""

    period_start: date
    period_end: date
    label: str
    status: str
    achieved_value: Decimal | None
    measurement_count: int
    is_closed: bool
    is_current: bool
    computed: bool

    @property
    def status_label(self) -> str:
        return ComplianceStatus(self.status).label

    @property
    def achieved_text(self) -> str:
        return plain_number(self.achieved_value)


@dataclass
class TargetPage:
    target: ServiceLevelTarget
    today: date
    time_zone: str
    current_label: str
    scores: list[ScoreLine]
    open_breach: Breach | None

    @property
    def agreement(self) -> Agreement:
        return self.target.agreement

    @property
    def organization(self):
        return self.target.agreement.organization

    @property
    def breach_achieved_text(self) -> str:
        return plain_number(self.open_breach.achieved_value) if self.open_breach else ""

    @property
    def warning_text(self) -> str:
        return plain_number(self.target.warning_threshold)

    @property
    def baseline_text(self) -> str:
        return plain_number(self.target.baseline)

    @property
    def clock_limit_text(self) -> str:
        return plain_number(self.target.clock_limit_hours)

    @property
    def current(self) -> ScoreLine | None:
        return next((line for line in self.scores if line.is_current), None)


def target_page(*, user, target: ServiceLevelTarget | int, today: date | None = None) -> TargetPage:
    """What a target's page shows: the target with its agreement, account and calendar; its last
    TARGET_PAGE_PERIODS periods, newest first, each with its score (periods without one read as no
    data); and its breach of the open period if it has one not cleared. Three queries (one more when
    given an id); 404 for an outsider."""
    if isinstance(target, int):
        target = measurable_target_get(user=user, pk=target)
    elif not organization_is_visible(user, target.agreement.organization):
        raise Http404("Not found.")
    zone = zone_named(target.calendar.time_zone if target.calendar_id else "")
    today = today or timezone.localtime(timezone.now(), zone).date()
    current = period_start(target.period, today)
    scores = {
        score.period_start: score
        for score in TargetScore.objects.filter(target_id=target.pk, period_start__lte=current).order_by(
            "-period_start"
        )[:TARGET_PAGE_PERIODS]
    }
    lines = []
    start = current
    for _index in range(TARGET_PAGE_PERIODS):
        score = scores.get(start)
        if score is None and start < min(scores, default=current):
            break  # nothing scored this far back: the list ends with the first computed period
        lines.append(
            ScoreLine(
                period_start=start,
                period_end=period_bounds(target.period, start)[1],
                label=period_label(target.period, start),
                status=score.status if score else ComplianceStatus.NO_DATA,
                achieved_value=score.achieved_value if score else None,
                measurement_count=score.measurement_count if score else 0,
                is_closed=score.is_closed if score else start < current,
                is_current=start == current,
                computed=score is not None,
            )
        )
        start = add_periods(target.period, start, -1)
    open_breach = Breach.objects.filter(
        target_id=target.pk, period_start=current, cleared_at__isnull=True
    ).first()
    return TargetPage(
        target=target,
        today=today,
        time_zone=zone.key,
        current_label=period_label(target.period, current),
        scores=lines,
        open_breach=open_breach,
    )
