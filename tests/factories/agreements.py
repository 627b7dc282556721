"""Factories for Agree: calendars, agreements, targets, measurements and the compliance engine's
results. They write rows directly, without the services' rules, so tests can set up any state (and the
model tests can check what the database itself refuses)."""

from datetime import date, time, timedelta
from decimal import Decimal

import factory
from django.utils import timezone

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
    ComplianceStatus,
    Measurement,
    MeasurementSource,
    Scorecard,
    ServiceLevelTarget,
    TargetKind,
    TargetScore,
    WarrantyAspect,
)
from agreements.periods import period_bounds, period_start_at, zone_named
from tests.factories.journeys import OrganizationFactory


class BusinessCalendarFactory(factory.django.DjangoModelFactory):
    """A calendar without hours; pass `office_hours=True` for Monday–Friday 09:00–17:00."""

    class Meta:
        model = BusinessCalendar
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Office hours {n}")
    time_zone = "Europe/Berlin"
    country = "DE"

    @factory.post_generation
    def office_hours(calendar, create, extracted, **kwargs):
        if create and extracted:
            for weekday in range(5):
                BusinessHours.objects.create(
                    calendar=calendar, weekday=weekday, starts_at=time(9), ends_at=time(17)
                )


class BusinessHoursFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BusinessHours

    calendar = factory.SubFactory(BusinessCalendarFactory)
    weekday = 0
    starts_at = time(9)
    ends_at = time(17)


class CalendarClosureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CalendarClosure

    calendar = factory.SubFactory(BusinessCalendarFactory)
    date = date(2026, 12, 24)
    name = "Company day off"


class AgreementFactory(factory.django.DjangoModelFactory):
    """A draft SLA; pass status=AgreementStatus.ACTIVE (with dates) for a live one. `offerings=[...]`
    links offerings."""

    class Meta:
        model = Agreement
        skip_postgeneration_save = True

    organization = factory.SubFactory(OrganizationFactory)
    title = factory.Sequence(lambda n: f"Service level agreement {n}")
    form = AgreementForm.AGREEMENT_BASED
    kind = AgreementKind.SLA
    status = AgreementStatus.DRAFT
    status_changed_at = factory.LazyFunction(timezone.now)
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=120))
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=245))

    @factory.post_generation
    def offerings(agreement, create, extracted, **kwargs):
        if create and extracted:
            agreement.offerings.set(extracted)


class AgreementReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgreementReview

    agreement = factory.SubFactory(AgreementFactory)
    held_on = factory.LazyFunction(timezone.localdate)
    summary = "Availability held; two slow months on the booking portal, agreed to watch them."


class ServiceLevelTargetFactory(factory.django.DjangoModelFactory):
    """Monthly availability ≥ 99.5 % with a warning at 99.7 %."""

    class Meta:
        model = ServiceLevelTarget

    agreement = factory.SubFactory(AgreementFactory)
    name = factory.Sequence(lambda n: f"Availability of the booking portal {n}")
    kind = TargetKind.WARRANTY
    warranty_aspect = factory.LazyAttribute(
        lambda target: WarrantyAspect.AVAILABILITY if target.kind == TargetKind.WARRANTY else ""
    )
    metric = "% of agreed service time available"
    unit = "%"
    comparator = "gte"
    target_value = Decimal("99.5")
    warning_threshold = Decimal("99.7")
    baseline = factory.LazyAttribute(
        lambda target: Decimal("0") if target.kind == TargetKind.OUTCOME else None
    )


class MeasurementFactory(factory.django.DjangoModelFactory):
    """A measurement; `period_start` follows `measured_at` in the target's calendar's time zone."""

    class Meta:
        model = Measurement

    target = factory.SubFactory(ServiceLevelTargetFactory)
    measured_at = factory.LazyFunction(timezone.now)
    value = Decimal("99.9")
    source = MeasurementSource.MANUAL
    period_start = factory.LazyAttribute(
        lambda m: period_start_at(
            m.target.period,
            m.measured_at,
            zone_named(m.target.calendar.time_zone if m.target.calendar else ""),
        )
    )


class TargetScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TargetScore

    target = factory.SubFactory(ServiceLevelTargetFactory)
    agreement = factory.LazyAttribute(lambda score: score.target.agreement)
    organization = factory.LazyAttribute(lambda score: score.target.agreement.organization)
    kind = factory.LazyAttribute(lambda score: score.target.kind)
    period = factory.LazyAttribute(lambda score: score.target.period)
    period_start = factory.LazyAttribute(lambda score: period_bounds(score.period, timezone.localdate())[0])
    period_end = factory.LazyAttribute(lambda score: period_bounds(score.period, score.period_start)[1])
    achieved_value = Decimal("99.9")
    measurement_count = 1
    status = ComplianceStatus.MET
    computed_at = factory.LazyFunction(timezone.now)


class ScorecardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Scorecard

    agreement = factory.SubFactory(AgreementFactory)
    organization = factory.LazyAttribute(lambda card: card.agreement.organization if card.agreement else None)
    month = factory.LazyFunction(lambda: timezone.localdate().replace(day=1))
    targets_measured = 4
    met = 3
    at_risk = 0
    breached = 1
    compliance_pct = Decimal("75.0")
    computed_at = factory.LazyFunction(timezone.now)


class BreachFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Breach

    target = factory.SubFactory(ServiceLevelTargetFactory)
    agreement = factory.LazyAttribute(lambda breach: breach.target.agreement)
    organization = factory.LazyAttribute(lambda breach: breach.target.agreement.organization)
    period_start = factory.LazyFunction(lambda: timezone.localdate().replace(day=1))
    achieved_value = Decimal("98.1")
    detected_at = factory.LazyFunction(timezone.now)
