"""Bench rows of the Agree step (BENCH.md scales: 10,000 agreements and 500,000 measurements at large):
three business-hours calendars, agreements spread over the consumers in proportion to their activity
(most active, the rest in every other status) with their offerings and a few history rows each, three
service level targets per agreement, and measurements over the last year for the targets of active and
expired agreements, drawn so that most periods are met, some at risk and some breached.

Rows go in with the raw bulk loader (dsv.bench.bulk.insert_dicts); each measurement's period is cut
in its target's calendar time zone, as the services do. The compliance engine then computes the scores
(dsv.bench.seed times it as part of seeding; the bench measures a full recompute on its own).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

from agreements.models import (
    Agreement,
    AgreementForm,
    AgreementKind,
    AgreementReview,
    AgreementStatus,
    Breach,
    BusinessCalendar,
    BusinessHours,
    CalendarClosure,
    Measurement,
    MeasurementSource,
    ReviewCadence,
    Scorecard,
    ServiceLevelTarget,
    TargetKind,
    TargetScore,
    WarrantyAspect,
)
from agreements.periods import period_start_at, zone_named
from dsv.bench.bulk import insert_dicts

# Agree tables, children first (the bench wipes them with the spine, before Offer's).
AGREE_MODELS = [
    Breach,
    Scorecard,
    TargetScore,
    Measurement,
    ServiceLevelTarget.history.model,
    ServiceLevelTarget,
    AgreementReview,
    Agreement.offerings.through,
    Agreement.history.model,
    Agreement,
    CalendarClosure,
    BusinessHours,
    BusinessCalendar,
]

CALENDARS = [
    # name, time zone, country, round the clock, weekday hours
    ("Round the clock", "UTC", "", True, ()),
    ("Office hours Berlin", "Europe/Berlin", "DE", False, ((time(8), time(18)),)),
    ("US Eastern support hours", "America/New_York", "US", False, ((time(8), time(20)),)),
]
STATUS_WEIGHTS = {
    AgreementStatus.ACTIVE: 70,
    AgreementStatus.EXPIRED: 8,
    AgreementStatus.TERMINATED: 4,
    AgreementStatus.AGREED: 5,
    AgreementStatus.NEGOTIATING: 8,
    AgreementStatus.DRAFT: 5,
}
MEASURED = {AgreementStatus.ACTIVE, AgreementStatus.EXPIRED}
KIND_WEIGHTS = {
    AgreementKind.SLA: 50,
    AgreementKind.STANDARD_CONTRACT: 20,
    AgreementKind.EXPERIENCE_BASED: 12,
    AgreementKind.OUTCOME_BASED: 10,
    AgreementKind.BESPOKE_CONTRACT: 8,
}


@dataclass(frozen=True)
class TargetTemplate:
    name: str
    kind: str
    aspect: str
    unit: str
    comparator: str
    target: Decimal
    warning: Decimal | None
    period: str
    aggregation: str
    calendar: int  # index into CALENDARS
    baseline: Decimal | None = None
    clock: str = ""
    clock_limit_hours: Decimal | None = None
    # The values drawn: around `centre`, spread ± `spread`; `bad` is the share of periods that slip.
    centre: float = 0.0
    spread: float = 0.0
    slip: float = 0.0


TEMPLATES = [
    TargetTemplate(
        "Availability of the service", TargetKind.WARRANTY, WarrantyAspect.AVAILABILITY, "%", "gte",
        Decimal("99.5"), Decimal("99.7"), "month", "average", 0, centre=99.85, spread=0.12, slip=0.9,
    ),
    TargetTemplate(
        "Requests answered within one business hour", TargetKind.WARRANTY, WarrantyAspect.PERFORMANCE, "%",
        "gte", Decimal("95"), Decimal("97"), "month", "average", 1, clock="response",
        clock_limit_hours=Decimal("1"), centre=98.5, spread=1.5, slip=6.0,
    ),
    TargetTemplate(
        "User satisfaction with the service desk", TargetKind.EXPERIENCE, "", "of 5", "gte",
        Decimal("4.2"), Decimal("4.4"), "month", "average", 1, centre=4.55, spread=0.2, slip=0.6,
    ),
    TargetTemplate(
        "Bookings completed without error", TargetKind.UTILITY, "", "%", "gte",
        Decimal("98"), None, "month", "minimum", 0, centre=99.2, spread=0.6, slip=2.0,
    ),
    TargetTemplate(
        "Average turnaround time", TargetKind.OUTCOME, "", "min", "lte",
        Decimal("35"), Decimal("32"), "quarter", "average", 2, baseline=Decimal("52"),
        centre=30.0, spread=3.0, slip=9.0,
    ),
]  # fmt: skip
TARGETS_PER_AGREEMENT = 3


@dataclass(frozen=True)
class AgreeSeed:
    agreements: int
    targets: int
    measurements: int


def _split(total: int, weights: list[float], rng: random.Random) -> list[int]:
    """`total` items over the weights, each share rounded down, the remainder drawn by weight."""
    weight_sum = sum(weights) or 1.0
    counts = [int(total * weight / weight_sum) for weight in weights]
    for index in rng.choices(range(len(weights)), weights=weights, k=total - sum(counts)):
        counts[index] += 1
    return counts


def seed_agree(
    *,
    rng: random.Random,
    now: datetime,
    stamp: object,
    consumers: list[tuple[int, float, int]],
    offerings: list[int],
    agreements: int,
    measurements: int,
    format_time,
) -> AgreeSeed:
    """`consumers`: (organization pk, activity weight, owner id); `stamp`: `now` as the loader writes it;
    `format_time`: seconds since the epoch → what the loader writes."""
    today = now.date()
    calendar_ids = _calendars(stamp)

    # Agreements, in proportion to the consumers' activity.
    per_consumer = _split(agreements, [weight for _, weight, _ in consumers], rng)
    statuses = list(STATUS_WEIGHTS)
    kinds = list(KIND_WEIGHTS)
    rows = []
    for (organization_pk, _, owner_id), count in zip(consumers, per_consumer, strict=True):
        for number in range(count):
            status = rng.choices(statuses, weights=list(STATUS_WEIGHTS.values()))[0]
            starts = today - timedelta(days=rng.randint(30, 720))
            if status in (AgreementStatus.AGREED, AgreementStatus.NEGOTIATING, AgreementStatus.DRAFT):
                starts = today + timedelta(days=rng.randint(5, 90))
            ends = starts + timedelta(days=365 * rng.randint(1, 3))
            if status == AgreementStatus.EXPIRED:
                ends = today - timedelta(days=rng.randint(1, 120))
                starts = ends - timedelta(days=365)
            elif ends <= today:
                ends = today + timedelta(days=rng.randint(30, 400))
            changed = min(now, datetime.combine(starts, time(9), UTC))
            rows.append(
                {
                    "organization_id": organization_pk,
                    "title": f"{rng.choice(('Managed service', 'Support', 'Platform', 'Workplace'))} "
                    f"agreement {number + 1}",
                    "reference": f"AGR-{organization_pk:05d}-{number + 1:02d}",
                    "form": AgreementForm.AGREEMENT_BASED,
                    "kind": rng.choices(kinds, weights=list(KIND_WEIGHTS.values()))[0],
                    "status": status,
                    "status_changed_at": format_time(changed.timestamp()),
                    "scope": "All users at the consumer's sites.",
                    "starts_on": starts,
                    "ends_on": ends,
                    "review_cadence": ReviewCadence.QUARTERLY,
                    "next_review_on": today + timedelta(days=rng.randint(-20, 90)),
                    "owner_id": owner_id,
                    "agreed_on": starts - timedelta(days=14) if status in MEASURED else None,
                    "termination_reason": "The consumer moved the service in-house."
                    if status == AgreementStatus.TERMINATED
                    else "",
                }
            )
    insert_dicts(Agreement, rows, now=stamp)
    agreement_rows = list(
        Agreement.objects.order_by("pk").values_list("pk", "status", "organization_id", "owner_id")
    )
    _agreement_history(agreement_rows, rows, stamp)
    _reviews(rng, agreement_rows, rows, today, stamp)
    if offerings:
        insert_dicts(
            Agreement.offerings.through,
            [
                {"agreement_id": pk, "serviceoffering_id": offering}
                for pk, *_ in agreement_rows
                for offering in rng.sample(offerings, min(len(offerings), rng.randint(1, 2)))
            ],
            now=stamp,
        )

    # Targets: three per agreement, from a rotating set of templates.
    target_rows = []
    for index, (pk, *_rest) in enumerate(agreement_rows):
        for position in range(TARGETS_PER_AGREEMENT):
            template = TEMPLATES[(index + position) % len(TEMPLATES)]
            target_rows.append(_target_row(pk, position, template, calendar_ids))
    insert_dicts(ServiceLevelTarget, target_rows, now=stamp)
    targets = list(ServiceLevelTarget.objects.order_by("pk").values_list("pk", "agreement__status"))
    insert_dicts(
        ServiceLevelTarget.history.model,
        [
            {**row, "id": pk, "history_date": stamp, "history_type": "+", "history_change_reason": None}
            for row, (pk, _status) in zip(target_rows, targets, strict=True)
        ],
        now=stamp,
    )

    # Measurements over the last year, for the targets of active and expired agreements.
    measured_targets = []
    template_of = {}
    for index, (pk, status) in enumerate(targets):
        agreement_index, position = divmod(index, TARGETS_PER_AGREEMENT)
        template = TEMPLATES[(agreement_index + position) % len(TEMPLATES)]
        template_of[pk] = template
        if status in MEASURED:
            measured_targets.append(pk)
    count = _measurements(rng, now, measured_targets, template_of, measurements, format_time, stamp)
    return AgreeSeed(agreements=len(agreement_rows), targets=len(targets), measurements=count)


def _calendars(stamp) -> list[int]:
    insert_dicts(
        BusinessCalendar,
        [
            {
                "name": name,
                "time_zone": zone,
                "country": country,
                "round_the_clock": round_the_clock,
                "description": "A bench calendar.",
            }
            for name, zone, country, round_the_clock, _hours in CALENDARS
        ],
        now=stamp,
    )
    ids = list(BusinessCalendar.objects.order_by("pk").values_list("pk", flat=True))
    insert_dicts(
        BusinessHours,
        [
            {
                "calendar_id": calendar_pk,
                "weekday": weekday,
                "starts_at": starts.isoformat(),
                "ends_at": ends.isoformat(),
            }
            for calendar_pk, (_n, _z, _c, _r, hours) in zip(ids, CALENDARS, strict=True)
            for weekday in range(5)
            for starts, ends in hours
        ],
        now=stamp,
    )
    return ids


def _target_row(agreement_pk: int, position: int, template: TargetTemplate, calendar_ids: list[int]) -> dict:
    return {
        "agreement_id": agreement_pk,
        "name": template.name,
        "kind": template.kind,
        "warranty_aspect": template.aspect,
        "metric": "",
        "unit": template.unit,
        "comparator": template.comparator,
        "target_value": template.target,
        "warning_threshold": template.warning,
        "period": template.period,
        "aggregation": template.aggregation,
        "calendar_id": calendar_ids[template.calendar],
        "baseline": template.baseline,
        "clock": template.clock,
        "clock_limit_hours": template.clock_limit_hours,
        "is_active": True,
        "position": position,
    }


def _agreement_history(agreement_rows, rows: list[dict], stamp) -> None:
    """A creation row and one row per status reached, as the services would have left them."""
    path = [
        AgreementStatus.DRAFT,
        AgreementStatus.NEGOTIATING,
        AgreementStatus.AGREED,
        AgreementStatus.ACTIVE,
    ]
    history = []
    for (pk, status, _organization, owner_id), row in zip(agreement_rows, rows, strict=True):
        reached = path[: path.index(status) + 1] if status in path else [*path, status]
        for number, step in enumerate(reached):
            history.append(
                {
                    **row,
                    "id": pk,
                    "status": step,
                    "created_at": stamp,
                    "updated_at": stamp,
                    "history_date": stamp,
                    "history_type": "+" if number == 0 else "~",
                    "history_user_id": owner_id,
                    "history_change_reason": None,
                }
            )
    insert_dicts(Agreement.history.model, history, now=stamp)


def _reviews(rng, agreement_rows, rows: list[dict], today, stamp) -> None:
    """Live agreements that started more than a quarter ago were reviewed each quarter since (up to
    four times), as their quarterly cadence asks."""
    outcomes = ["continue", "continue", "continue", "renegotiate"]
    reviews = []
    for (pk, status, _organization, owner_id), row in zip(agreement_rows, rows, strict=True):
        if status not in MEASURED:
            continue
        held = row["starts_on"] + timedelta(days=91)
        for _ in range(4):
            if held > min(today, row["ends_on"]):
                break
            reviews.append(
                {
                    "agreement_id": pk,
                    "held_on": held,
                    "summary": "Targets and their trends went through with the consumer's service owner.",
                    "outcome": rng.choice(outcomes),
                    "compliance_pct": Decimal(rng.randint(800, 1000)) / 10,
                    "reviewed_by_id": owner_id,
                }
            )
            held += timedelta(days=91)
    insert_dicts(AgreementReview, reviews, now=stamp)


def _measurements(rng, now: datetime, target_pks, template_of, total: int, format_time, stamp) -> int:
    if not target_pks:
        return 0
    zones = {index: zone_named(zone) for index, (_n, zone, *_rest) in enumerate(CALENDARS)}
    per_target = _split(total, [1.0] * len(target_pks), rng)
    end = now.timestamp()
    start = end - 365 * 86_400
    rows = []
    written = 0
    for pk, count in zip(target_pks, per_target, strict=True):
        template = template_of[pk]
        zone = zones[template.calendar]
        slipping = rng.random() < 0.12  # about one target in eight has a bad stretch
        for _ in range(count):
            moment = rng.uniform(start, end)
            value = rng.gauss(template.centre, template.spread / 2)
            if slipping and rng.random() < 0.5:
                value += template.slip * (-1 if template.comparator in ("gte", "gt") else 1)
            measured_at = datetime.fromtimestamp(int(moment), UTC)
            written += 1
            rows.append(
                {
                    "target_id": pk,
                    "measured_at": format_time(moment),
                    "period_start": period_start_at(template.period, measured_at, zone).isoformat(),
                    "value": Decimal(f"{value:.4f}"),
                    "source": MeasurementSource.API,
                    "source_id": f"bench-{written}",
                    "note": "",
                    "excluded": False,
                }
            )
        if len(rows) >= 50_000:
            insert_dicts(Measurement, rows, now=stamp)
            rows = []
    if rows:
        insert_dicts(Measurement, rows, now=stamp)
    return written
