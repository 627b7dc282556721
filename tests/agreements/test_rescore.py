"""A change to what a score depends on scores again after the commit: a target's rule, its period or
its calendar's time zone (which cut the periods), switching it off, and the agreement's status."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from agreements import services
from agreements.models import AgreementStatus, ComplianceStatus, TargetScore
from agreements.periods import add_periods
from tests.factories.agreements import (
    AgreementFactory,
    BusinessCalendarFactory,
    MeasurementFactory,
    ServiceLevelTargetFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def last_month():
    return add_periods("month", timezone.localdate().replace(day=1), -1)


@pytest.fixture
def target(account, owner, last_month):
    agreement = AgreementFactory(
        organization=account,
        owner=owner,
        status=AgreementStatus.ACTIVE,
        starts_on=last_month - timedelta(days=200),
        ends_on=last_month + timedelta(days=400),
    )
    target = ServiceLevelTargetFactory(
        agreement=agreement, calendar=BusinessCalendarFactory(time_zone="UTC"), target_value=Decimal("99.5")
    )
    MeasurementFactory(
        target=target,
        value=Decimal("99.6"),
        measured_at=datetime.combine(last_month, datetime.min.time(), UTC) + timedelta(days=3),
    )
    services.compliance_recompute(target_ids=[target.pk])
    return target


def score(target, month):
    return TargetScore.objects.get(target=target, period_start=month)


def test_raising_the_target_scores_it_again_after_the_commit(
    owner, target, last_month, django_capture_on_commit_callbacks
):
    assert score(target, last_month).status == ComplianceStatus.AT_RISK  # 99.6 under the 99.7 warning

    with django_capture_on_commit_callbacks(execute=True):
        services.target_update(
            actor=owner, target=target, target_value=Decimal("99.65"), warning_threshold=Decimal("99.8")
        )

    assert score(target, last_month).status == ComplianceStatus.BREACHED


def test_a_quarterly_period_cuts_the_measurements_again(
    owner, target, last_month, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.target_update(actor=owner, target=target, period="quarter")

    quarter = date(last_month.year, (last_month.month - 1) // 3 * 3 + 1, 1)
    assert target.measurements.get().period_start == quarter
    assert score(target, quarter).period == "quarter"


def test_switching_a_target_off_leaves_its_closed_periods(
    owner, target, last_month, django_capture_on_commit_callbacks
):
    ServiceLevelTargetFactory(agreement=target.agreement)  # the agreement keeps one active target

    with django_capture_on_commit_callbacks(execute=True):
        services.target_set_active(actor=owner, target=target, active=False)

    assert score(target, last_month).status == ComplianceStatus.AT_RISK


def test_terminating_the_agreement_drops_the_open_periods_score(
    owner, target, last_month, django_capture_on_commit_callbacks
):
    this_month = timezone.localdate().replace(day=1)
    assert TargetScore.objects.filter(target=target, period_start=this_month).exists()

    with django_capture_on_commit_callbacks(execute=True):
        services.agreement_transition(
            actor=owner, agreement=target.agreement, to_status="terminated", reason="Moved in-house."
        )

    assert not TargetScore.objects.filter(target=target, period_start=this_month).exists()
    assert score(target, last_month).status == ComplianceStatus.AT_RISK
