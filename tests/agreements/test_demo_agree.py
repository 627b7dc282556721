"""The demo shows Agree: agreements in every status and kind (one on purpose unusual for its account's
relationship), targets of every kind on calendars with holidays, a year of measurements, and a dashboard
where most agreements are healthy, two accounts are at risk this month, one breached last month and one
breaches this month with every warranty target green. Seeding e-mails nobody, and seeding again changes
nothing."""

from collections import Counter
from datetime import UTC, date, datetime
from itertools import pairwise

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone

from agreements.models import (
    TRANSITIONS,
    Agreement,
    AgreementKind,
    AgreementReview,
    AgreementStatus,
    Breach,
    BusinessCalendar,
    BusinessHours,
    CalendarClosure,
    ClockKind,
    ComplianceStatus,
    Measurement,
    MeasurementPeriod,
    MeasurementSource,
    Scorecard,
    ServiceLevelTarget,
    TargetKind,
    TargetScore,
)
from agreements.periods import add_periods, period_start_at, zone_named
from agreements.selectors.agreements import agreement_kind_warnings
from dsv.demo import accounts
from dsv.demo.agree import (
    AROUND,
    BERLIN,
    CALENDARS,
    COBALT,
    HARBOURVIEW,
    PEREGRINE,
    SKYPORT,
    VELMONT,
    reset_agree,
    seed_agree,
)
from dsv.demo.builder import demo_seed
from journeys.models import JourneyEvent

pytestmark = pytest.mark.django_db

AGREE_MODELS = (
    BusinessCalendar,
    BusinessHours,
    CalendarClosure,
    Agreement,
    AgreementReview,
    ServiceLevelTarget,
    Measurement,
    TargetScore,
    Scorecard,
    Breach,
)
LIVE = (AgreementStatus.ACTIVE, AgreementStatus.EXPIRED, AgreementStatus.TERMINATED)


@pytest.fixture
def demo(django_capture_on_commit_callbacks):
    # The engine e-mails breaches after the commit: run those callbacks as `make run` would.
    with django_capture_on_commit_callbacks(execute=True):
        return demo_seed()


def demo_users() -> dict:
    return {user.username: user for user in get_user_model().objects.filter(username__in=accounts.DEMO_USERS)}


def scores_by_account(months: set[date]) -> dict[str, Counter]:
    statuses: dict[str, Counter] = {}
    for name, status in TargetScore.objects.filter(period_start__in=months, period="month").values_list(
        "organization__name", "status"
    ):
        statuses.setdefault(name, Counter())[status] += 1
    return statuses


def test_agreements_come_in_every_status_and_kind_with_histories_that_follow_the_lifecycle(demo):
    agreements = list(Agreement.objects.select_related("organization", "owner", "customer_contact"))

    assert demo.agreements == len(agreements)
    assert 15 <= len(agreements) <= 25
    statuses = Counter(agreement.status for agreement in agreements)
    assert set(statuses) == set(AgreementStatus.values)
    assert statuses[AgreementStatus.ACTIVE] >= 6
    assert statuses[AgreementStatus.NEGOTIATING] == 2
    assert {agreement.kind for agreement in agreements} == set(AgreementKind.values)
    assert len({agreement.form for agreement in agreements}) == 4
    unusual = [
        agreement.organization.name
        for agreement in agreements
        if agreement_kind_warnings(organization=agreement.organization, kind=agreement.kind)
    ]
    assert unusual == [PEREGRINE]
    for agreement in agreements:
        assert agreement.owner == agreement.organization.owner
        assert agreement.customer_contact.organization_id == agreement.organization_id
        assert agreement.offerings.exists()
        if agreement.status == AgreementStatus.TERMINATED:
            assert agreement.termination_reason
        if agreement.status in (AgreementStatus.AGREED, AgreementStatus.ACTIVE):
            assert agreement.agreed_on is not None
    agreed = Agreement.objects.get(status=AgreementStatus.AGREED)
    assert agreed.starts_on > timezone.localdate()  # waiting for its start date

    # Each history follows the lifecycle, step by step, and ends where the agreement is.
    went_back = 0
    for agreement in Agreement.objects.all():
        rows = list(agreement.history.order_by("history_date", "history_id"))
        steps = [row.status for row in rows]
        assert steps[0] == AgreementStatus.DRAFT
        for before, after in pairwise(steps):
            assert after in TRANSITIONS[before], (agreement.title, steps)
            went_back += after == AgreementStatus.DRAFT
        assert rows[-1].status == agreement.status
        assert rows[-1].history_date == agreement.status_changed_at
        assert all(row.history_user_id == agreement.owner_id for row in rows)
        assert rows[0].history_date < timezone.now()
        if agreement.status in LIVE:
            assert any(row.status == AgreementStatus.ACTIVE for row in rows)
            assert agreement.starts_on <= timezone.localdate()
    assert went_back == 1  # Peregrine's, sent back when their new sponsor asked for changes


def test_targets_of_every_kind_on_calendars_with_holidays_are_measured_for_months(demo):
    targets = list(ServiceLevelTarget.objects.select_related("agreement", "calendar"))

    assert {target.kind for target in targets} == set(TargetKind.values)
    assert {target.period for target in targets} == set(MeasurementPeriod.values)
    assert {target.clock for target in targets} == {"", *ClockKind.values}
    assert all(target.baseline is not None for target in targets if target.kind == TargetKind.OUTCOME)
    per_agreement = Counter(target.agreement_id for target in targets)
    for agreement in Agreement.objects.filter(status=AgreementStatus.ACTIVE):
        assert 3 <= per_agreement[agreement.pk] <= 6, agreement.title
    assert ServiceLevelTarget.history.count() == len(targets)

    calendars = {
        calendar.name: calendar for calendar in BusinessCalendar.objects.prefetch_related("closures")
    }
    assert set(calendars) == {plan.name for plan in CALENDARS}
    assert calendars[AROUND].round_the_clock and not calendars[AROUND].holidays_stop_clock
    berlin = calendars[BERLIN]
    assert (berlin.time_zone, berlin.country, berlin.subdivision) == ("Europe/Berlin", "DE", "BE")
    assert {(closure.date.month, closure.date.day) for closure in berlin.closures.all()} == {
        (12, 24),
        (12, 31),
    }
    hours = Counter(BusinessHours.objects.values_list("calendar__name", flat=True))
    for name, calendar in calendars.items():
        assert calendar.round_the_clock or (calendar.country and hours[name] >= 5), name
    used = {target.calendar.name for target in targets if target.calendar}
    assert used == set(calendars)

    # A year of measurements, from several sources, two left out on purpose.
    measurements = list(Measurement.objects.select_related("target__calendar", "target__agreement"))

    sources = Counter(measurement.source for measurement in measurements)
    assert sources[MeasurementSource.API] > sources[MeasurementSource.MANUAL] > 0
    assert sources[MeasurementSource.IMPORT] > 0
    excluded = [measurement for measurement in measurements if measurement.excluded]
    assert len(excluded) == 2
    assert all("firewall" in measurement.note for measurement in excluded)
    assert any(
        measurement.note for measurement in measurements if measurement.source == MeasurementSource.MANUAL
    )
    now = timezone.now()
    spans: dict[int, list[datetime]] = {}
    for measurement in measurements:
        target = measurement.target
        assert bool(measurement.source_id) == (measurement.source != MeasurementSource.MANUAL)
        assert measurement.measured_at <= now
        assert target.agreement.status in LIVE
        zone = zone_named(target.calendar.time_zone if target.calendar else "")
        assert measurement.period_start == period_start_at(target.period, measurement.measured_at, zone)
        if target.clock:
            assert measurement.value in (0, 100)
        spans.setdefault(target.agreement_id, []).append(measurement.measured_at)
    months_measured = sorted((max(moments) - min(moments)).days // 30 for moments in spans.values())
    assert months_measured[-1] >= 10
    assert sum(months >= 6 for months in months_measured) >= 6


def test_the_dashboard_shows_healthy_at_risk_and_breached_and_nobody_is_e_mailed(demo):
    this_month = timezone.localdate().replace(day=1)
    last_month = add_periods("month", this_month, -1)
    statuses = {
        status for counter in scores_by_account({this_month, last_month}).values() for status in counter
    }

    assert {ComplianceStatus.MET, ComplianceStatus.AT_RISK, ComplianceStatus.BREACHED} <= statuses
    assert Scorecard.objects.filter(agreement__isnull=True, compliance_pct=100).exists()
    assert Breach.objects.exists()
    assert not Breach.objects.filter(notified_at__isnull=True).exists()
    assert mail.outbox == []
    assert not JourneyEvent.objects.exists()
    reviewed = Agreement.objects.filter(reviews__isnull=False).distinct()
    assert reviewed.count() >= 5
    assert AgreementReview.objects.filter(held_on__gt=timezone.localdate()).count() == 0
    overdue = Agreement.objects.filter(status=AgreementStatus.ACTIVE, next_review_on__lt=timezone.localdate())
    assert [agreement.organization.name for agreement in overdue] == [SKYPORT]


STORY_DAYS = (
    datetime(2026, 11, 18, 10, tzinfo=UTC),  # the middle of a month
    datetime(2027, 3, 1, 14, tzinfo=UTC),  # the first day of a month, after the day's first values
    datetime(2027, 1, 31, 22, tzinfo=UTC),  # the last day of a long month
)


def test_the_story_holds_whatever_the_day(demo):
    users = demo_users()
    for now in STORY_DAYS:
        seed_agree(users=users, now=now)
        story_check(now)


def story_check(now: datetime) -> None:
    this_month = now.date().replace(day=1)
    last_month = add_periods("month", this_month, -1)
    current = scores_by_account({this_month})
    previous = scores_by_account({last_month})
    # Two accounts slipping this month, but not breaching.
    for account in (HARBOURVIEW, COBALT):
        assert current[account][ComplianceStatus.AT_RISK] >= 1, account
        assert current[account][ComplianceStatus.BREACHED] == 0, account
    # Velmont's outage on the 12th breached last month's availability; this month is fine again.
    outage = TargetScore.objects.get(
        organization__name=VELMONT, target__warranty_aspect="availability", period_start=last_month
    )
    assert outage.status == ComplianceStatus.BREACHED
    assert current[VELMONT][ComplianceStatus.BREACHED] == 0
    # Skyport: experience breached this month while every warranty target is met (a watermelon).
    skyport = TargetScore.objects.filter(organization__name=SKYPORT, period_start=this_month)
    assert skyport.filter(kind=TargetKind.EXPERIENCE, status=ComplianceStatus.BREACHED).exists()
    warranty = set(skyport.filter(kind=TargetKind.WARRANTY).values_list("status", flat=True))
    assert ComplianceStatus.MET in warranty <= {ComplianceStatus.MET, ComplianceStatus.NO_DATA}
    # Everybody else is healthy.
    for account, counter in (current | previous).items():
        if account not in (VELMONT, SKYPORT):
            assert counter[ComplianceStatus.BREACHED] == 0, account
    assert not Breach.objects.filter(notified_at__isnull=True).exists()


def test_every_record_is_valid_seeding_again_changes_nothing_and_the_reset_leaves_nothing(demo):
    for model in (
        BusinessCalendar,
        BusinessHours,
        CalendarClosure,
        Agreement,
        AgreementReview,
        ServiceLevelTarget,
    ):
        for record in model.objects.all():
            record.full_clean()
    for measurement in Measurement.objects.all():
        measurement.clean_fields(exclude=["target", "recorded_by"])

    def counts():
        return {model.__name__: model.objects.count() for model in AGREE_MODELS} | {
            "Agreement history": Agreement.history.count(),
            "ServiceLevelTarget history": ServiceLevelTarget.history.count(),
        }

    def values():
        return list(
            Measurement.objects.order_by(
                "target__agreement__title", "target__position", "measured_at", "source_id"
            ).values_list("target__name", "measured_at", "source_id", "value", "excluded")
        )

    now = datetime(2026, 11, 18, 10, tzinfo=UTC)
    users = demo_users()
    assert seed_agree(users=users, now=now) == demo.agreements
    before, measured = counts(), values()

    assert seed_agree(users=users, now=now) == demo.agreements
    assert counts() == before
    assert values() == measured
    reset_agree()
    assert not any(counts().values())
