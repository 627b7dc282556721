"""The value metrics engine: the snapshots' counts and formulas against hand-computed sets, the health
score and its explanation, the watermelons, the segments, the refresh against the rebuild, the
notification and the health policy's rules."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from io import StringIO
from unittest import mock

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from agreements.models import ComplianceStatus, Scorecard, TargetKind, TargetScore
from exploration.models import SegmentMembership
from journeys.base import ApplicationError
from journeys.models import JourneyEvent, JourneyStep, Touchpoint
from realization import services, tasks
from realization.models import (
    HealthPolicy,
    InvitationStatus,
    RealizeEventType,
    SnapshotLevel,
    StepActivityMonth,
    SurveyInvitation,
    SurveyResponse,
    SurveyType,
    ValueSnapshot,
    WatermelonAlert,
)
from tests.factories.agreements import ScorecardFactory, ServiceLevelTargetFactory, TargetScoreFactory
from tests.factories.exploration import MarketSegmentFactory
from tests.factories.journeys import OrganizationFactory, TouchpointFactory
from tests.factories.realization import SurveyFactory, SurveyInvitationFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2025, 6, 18, 12, 0, tzinfo=UTC)
JUNE, MAY, APRIL, MARCH = date(2025, 6, 1), date(2025, 5, 1), date(2025, 4, 1), date(2025, 3, 1)


@pytest.fixture
def surveys(db):
    return {kind: SurveyFactory(survey_type=kind, name=f"Survey {kind}") for kind in SurveyType.values}


def answer(surveys, organization, kind, scores, *, when=NOW, step=JourneyStep.CO_CREATE):
    SurveyResponse.objects.bulk_create(
        SurveyResponse(
            survey=surveys[kind],
            survey_type=kind,
            organization=organization,
            step=step,
            score=score,
            answered_at=when,
        )
        for score in scores
    )


def sla(organization, month, measured, met, at_risk=0):
    return ScorecardFactory(
        agreement=None,
        organization=organization,
        month=month,
        targets_measured=measured,
        met=met,
        at_risk=at_risk,
        breached=measured - met - at_risk,
    )


def row(organization, month=JUNE, step="") -> ValueSnapshot:
    return ValueSnapshot.objects.get(
        level=SnapshotLevel.ACCOUNT, organization=organization, step=step, month=month
    )


def rebuild(now=NOW) -> int:
    return services.value_metrics_rebuild(now=now)


def settle() -> None:
    """Date every source row an hour back, as if entered well before the last run (a refresh rereads
    the last two minutes before its mark)."""
    earlier = datetime.now(tz=UTC) - timedelta(hours=1)
    for model in (SurveyResponse, SurveyInvitation, Scorecard, TargetScore, Touchpoint, SegmentMembership):
        model.objects.update(updated_at=earlier)


def values() -> set:
    """Every snapshot's stored figures, without its id and time of computation."""
    return {
        tuple(
            value for key, value in sorted(item.items()) if key not in {"id", "computed_at", "health_weights"}
        )
        for item in ValueSnapshot.objects.values()
    }


# --- the month's figures --------------------------------------------------------------------------


def test_the_survey_formulas_match_hand_computed_sets(surveys, account):
    answer(surveys, account, "nps", [10, 9, 9, 8, 7, 7, 7, 7, 3, 0])  # 3 promoters, 2 detractors
    answer(surveys, account, "csat", [4, 5, 3, 2])  # 2 of 4 satisfied, mean 3.5
    answer(surveys, account, "ces", [7, 5, 3], step=JourneyStep.ONBOARD)  # mean 5
    answer(surveys, account, "nps", [10], when=datetime(2025, 5, 31, 12, tzinfo=UTC))  # May's

    rebuild()

    june = row(account)
    assert (june.nps_responses, june.promoters, june.detractors) == (10, 3, 2)
    assert june.nps == Decimal(10)
    assert (june.csat_responses, june.csat_satisfied, june.csat_sum) == (4, 2, 14)
    assert june.csat_pct == Decimal(50) and june.csat_mean == Decimal("3.5")
    assert june.ces_mean == Decimal(5)
    # The health inputs read the window (three months): May's promoter counts in June's NPS.
    assert june.input_nps == Decimal("18.2")  # 100 × (4 − 2) ÷ 11
    assert (june.input_csat, june.input_ces) == (Decimal("50.0"), Decimal("5.00"))
    co_create, onboard = row(account, step="co_create"), row(account, step="onboard")
    assert (co_create.nps_responses, co_create.csat_responses, co_create.ces_responses) == (10, 4, 0)
    assert (onboard.ces_responses, onboard.ces_sum, onboard.health_score) == (3, 15, None)
    assert row(account, MAY).nps_responses == 1


def test_the_response_rate_is_answered_invitations_over_those_sent_in_the_month(account):
    sent = datetime(2025, 6, 2, 9, tzinfo=UTC)
    for status in [InvitationStatus.RESPONDED] * 3 + [InvitationStatus.SENT, InvitationStatus.EXPIRED]:
        SurveyInvitationFactory(organization=account, status=status, sent_at=sent)
    SurveyInvitationFactory(
        organization=account, status=InvitationStatus.RESPONDED, sent_at=sent - timedelta(days=10)
    )
    SurveyInvitationFactory(organization=account, status=InvitationStatus.SCHEDULED, sent_at=None)

    rebuild()

    june = row(account)
    assert (june.invitations, june.responses, june.response_rate) == (5, 3, Decimal(60))
    assert (row(account, MAY).invitations, row(account, MAY).response_rate) == (1, Decimal(100))
    assert row(account, step="co_create").invitations == 5


def test_sla_sentiment_and_experience_targets_come_from_their_sources(account):
    sla(account, JUNE, measured=10, met=8, at_risk=1)  # at risk is still within the target
    ScorecardFactory(organization=account, month=JUNE, targets_measured=99, met=0)  # an agreement's own row
    StepActivityMonth.objects.create(
        organization=account, step="onboard", month=JUNE, touchpoints=4, sentiment_sum=-2
    )
    StepActivityMonth.objects.create(
        organization=account, step="engage", month=JUNE, touchpoints=6, sentiment_sum=7
    )
    target = ServiceLevelTargetFactory(agreement__organization=account, kind=TargetKind.EXPERIENCE)
    TargetScoreFactory(
        target=target, status=ComplianceStatus.BREACHED, period_start=JUNE, period_end=date(2025, 6, 30)
    )

    rebuild()

    june = row(account)
    assert (june.sla_measured, june.sla_met, june.sla_compliance) == (10, 9, Decimal(90))
    assert (june.touchpoints, june.sentiment_sum, june.sentiment_avg) == (10, 5, Decimal("0.5"))
    assert june.experience_missed == 1
    assert (june.input_sla, june.input_sentiment) == (Decimal("90.0"), Decimal("0.50"))
    assert row(account, step="onboard").touchpoints == 4
    assert not ValueSnapshot.objects.filter(step="onboard", sla_measured__gt=0).exists()


def test_months_are_cut_in_the_site_time_zone(settings, surveys, account):
    settings.TIME_ZONE = "Europe/Amsterdam"
    # 22:30 UTC on 31 May is 00:30 on 1 June in Amsterdam.
    answer(surveys, account, "csat", [5], when=datetime(2025, 5, 31, 22, 30, tzinfo=UTC))
    answer(surveys, account, "csat", [1], when=datetime(2025, 5, 31, 21, 30, tzinfo=UTC))

    rebuild()

    assert (row(account, MAY).csat_sum, row(account, JUNE).csat_sum) == (1, 5)


def test_only_the_horizon_is_kept(surveys, account):
    answer(surveys, account, "csat", [5], when=NOW - timedelta(days=800))
    answer(surveys, account, "csat", [5], when=NOW + timedelta(days=60))

    assert rebuild() == 0
    assert services.HORIZON_MONTHS == 24


# --- health ---------------------------------------------------------------------------------------


def test_health_renormalises_the_weights_over_the_factors_with_data(surveys, account):
    answer(surveys, account, "nps", [10, 9, 9, 8, 7, 7, 7, 7, 3, 0])  # NPS 10: score 55
    sla(account, JUNE, measured=10, met=9)  # 90 %

    rebuild()

    june = row(account)
    # (25 × 55 + 20 × 90) ÷ (25 + 20) = 70.56
    assert june.health_score == Decimal("70.6")
    assert june.health_band == "healthy"
    assert june.health_weights == {"nps": 25, "csat": 25, "ces": 15, "sla": 20, "sentiment": 15}
    explanation = services.health_explain(june)
    assert [factor.key for factor in explanation.missing] == ["csat", "ces", "sentiment"]
    assert explanation.weight_counted == 45
    nps, *_, sla_factor, _ = explanation.factors
    assert (nps.input_value, nps.score, nps.weight) == (Decimal("10.0"), Decimal("55.0"), 25)
    assert sla_factor.score == Decimal("90.0")
    assert sum(factor.contribution for factor in explanation.factors if factor.counted).quantize(
        Decimal("0.1")
    ) == Decimal("70.6")
    assert explanation.formula == "(25 × 55.0 + 20 × 90.0) ÷ 45 = 70.6"


def test_every_factor_becomes_a_score_from_0_to_100(surveys, account):
    answer(surveys, account, "nps", [10, 0])  # NPS 0 → 50
    answer(surveys, account, "csat", [5, 5, 5, 1])  # 75 %
    answer(surveys, account, "ces", [7, 4])  # 5.5 → 75
    sla(account, JUNE, measured=4, met=2)  # 50 %
    StepActivityMonth.objects.create(
        organization=account, step="engage", month=JUNE, touchpoints=2, sentiment_sum=2
    )
    # sentiment 1 → 75

    rebuild()

    # (25 × 50 + 25 × 75 + 15 × 75 + 20 × 50 + 15 × 75) ÷ 100 = 63.75
    june = row(account)
    assert june.health_score == Decimal("63.8")
    assert june.health_band == "watch"
    assert [factor.score for factor in services.health_explain(june).factors] == [
        Decimal(50),
        Decimal("75.0"),
        Decimal(75),
        Decimal("50.0"),
        Decimal(75),
    ]


def test_changed_weights_and_bands_change_the_scores(surveys, account, administrator):
    answer(surveys, account, "nps", [10, 9, 9, 8, 7, 7, 7, 7, 3, 0])  # score 55
    sla(account, JUNE, measured=10, met=9)  # score 90

    services.health_policy_update(user=administrator, data={"weight_sla": 0})
    rebuild()
    assert (row(account).health_score, row(account).health_band) == (Decimal("55.0"), "watch")
    assert row(account).health_weights["sla"] == 0

    services.health_policy_update(user=administrator, data={"at_risk_below": "60", "weight_sla": 75})
    rebuild()
    # (25 × 55 + 75 × 90) ÷ 100 = 81.25
    assert (row(account).health_score, row(account).health_band) == (Decimal("81.3"), "healthy")
    services.health_policy_update(user=administrator, data={"weight_sla": "0"})
    rebuild()
    assert row(account).health_band == "at_risk"


def test_the_window_reads_the_months_up_to_the_snapshot(surveys, account, administrator):
    answer(surveys, account, "nps", [10, 10], when=datetime(2025, 4, 10, tzinfo=UTC))
    answer(surveys, account, "nps", [0, 0], when=NOW)

    rebuild()

    assert row(account, APRIL).input_nps == Decimal(100)
    may = row(account, MAY)  # no answers of its own: its window still holds April's
    assert (may.nps_responses, may.input_nps, may.health_score) == (0, Decimal(100), Decimal(100))
    assert row(account, JUNE).input_nps == Decimal(0)
    assert not ValueSnapshot.objects.filter(month=MARCH).exists()

    services.health_policy_update(user=administrator, data={"window_months": 1})
    rebuild()
    assert row(account, JUNE).input_nps == Decimal(-100)
    assert not ValueSnapshot.objects.filter(month=MAY).exists()

    services.health_policy_update(user=administrator, data={"window_months": 6})
    rebuild(now=datetime(2025, 9, 18, tzinfo=UTC))
    assert row(account, date(2025, 9, 1)).input_nps == Decimal(0)
    assert not ValueSnapshot.objects.filter(month=date(2025, 10, 1)).exists()


# --- watermelons ----------------------------------------------------------------------------------


def test_green_sla_with_red_csat_is_a_watermelon(surveys, account, other_account):
    for organization, met in ((account, 49), (other_account, 45)):
        sla(organization, JUNE, measured=50, met=met)  # 98 % and 90 %
        answer(surveys, organization, "csat", [5, 4, 4, 2, 1])  # 60 %

    rebuild()

    watermelon = row(account)
    assert (watermelon.is_watermelon, watermelon.watermelon_reason_list) == (True, ["csat"])
    assert watermelon.input_sla == Decimal("98.0")
    assert not row(other_account).is_watermelon
    assert row(other_account).watermelon_reasons == ""
    assert not row(account, step="co_create").is_watermelon


def test_each_red_experience_is_a_reason(surveys, account):
    sla(account, JUNE, measured=20, met=20)
    answer(surveys, account, "csat", [5, 5, 5, 5])  # 100 %: fine
    answer(surveys, account, "ces", [3, 4])  # 3.5 < 5
    StepActivityMonth.objects.create(
        organization=account, step="engage", month=JUNE, touchpoints=2, sentiment_sum=-1
    )
    target = ServiceLevelTargetFactory(agreement__organization=account, kind=TargetKind.EXPERIENCE)
    TargetScoreFactory(
        target=target, status=ComplianceStatus.BREACHED, period_start=MAY, period_end=date(2025, 5, 31)
    )

    rebuild()

    assert row(account).watermelon_reason_list == ["ces", "sentiment", "experience_target"]


def test_no_sla_data_is_no_watermelon(surveys, account):
    answer(surveys, account, "csat", [1, 1])

    rebuild()

    assert not row(account).is_watermelon


# --- segments -------------------------------------------------------------------------------------


def test_a_segment_row_is_the_sum_of_its_members(surveys, account, other_account):
    outside = OrganizationFactory()
    segment = MarketSegmentFactory(organizations=[account, other_account])
    answer(surveys, account, "nps", [10, 10, 10])
    answer(surveys, other_account, "nps", [0])
    answer(surveys, outside, "nps", [0, 0, 0])
    sla(account, JUNE, measured=10, met=10)
    sla(other_account, MAY, measured=10, met=5)

    rebuild()

    segment_june = ValueSnapshot.objects.get(
        level=SnapshotLevel.SEGMENT, segment=segment, step="", month=JUNE
    )
    members = [row(account), row(other_account)]
    for name in ("nps_responses", "promoters", "detractors", "sla_measured", "sla_met", "responses"):
        assert getattr(segment_june, name) == sum(getattr(member, name) for member in members)
    # The segment's NPS is over all its answers (3 − 1) ÷ 4, not the mean of its accounts' NPS.
    assert segment_june.input_nps == Decimal(50)
    assert segment_june.input_sla == Decimal(75)  # 15 of 20 over the window
    # (25 × 75 + 20 × 75) ÷ 45
    assert segment_june.health_score == Decimal(75)
    step = ValueSnapshot.objects.get(
        level=SnapshotLevel.SEGMENT, segment=segment, step="co_create", month=JUNE
    )
    assert step.nps_responses == 4
    assert ValueSnapshot.objects.filter(level=SnapshotLevel.SEGMENT).count() == 3  # May, June, co_create June


# --- refresh --------------------------------------------------------------------------------------


def test_a_refresh_after_a_new_answer_rewrites_only_that_accounts_rows(surveys, account, other_account):
    answer(surveys, account, "csat", [5])
    answer(surveys, other_account, "csat", [2])
    settle()
    rebuild()
    later = NOW + timedelta(hours=1)

    answer(surveys, account, "csat", [1])
    computed = services.value_metrics_refresh(now=later)

    assert computed == 2  # the account's June row and its co_create row
    assert set(
        ValueSnapshot.objects.filter(organization=other_account).values_list("computed_at", flat=True)
    ) == {NOW}
    assert set(ValueSnapshot.objects.filter(organization=account).values_list("computed_at", flat=True)) == {
        later
    }
    assert row(account).csat_responses == 2
    # A second run rereads the last two minutes before its mark (a late commit), nothing older.
    assert services.value_metrics_refresh(now=NOW) == 2
    settle()
    assert services.value_metrics_refresh(now=NOW) == 0


def test_a_rebuild_writes_only_the_rows_whose_figures_changed(surveys, account, other_account):
    answer(surveys, account, "csat", [5])
    answer(surveys, other_account, "nps", [2], when=datetime(2025, 4, 2, tzinfo=UTC))
    rebuild()
    stored = dict(ValueSnapshot.objects.values_list("id", "computed_at"))
    later = NOW + timedelta(hours=5)

    assert rebuild(now=later) == len(stored)
    assert dict(ValueSnapshot.objects.values_list("id", "computed_at")) == stored

    answer(surveys, account, "csat", [1])
    SurveyResponse.objects.filter(organization=other_account).delete()
    rebuild(now=later)

    assert set(ValueSnapshot.objects.values_list("organization_id", "month", "step", "computed_at")) == {
        (account.pk, JUNE, "", later),
        (account.pk, JUNE, "co_create", later),
    }
    assert set(stored) & set(ValueSnapshot.objects.values_list("id", flat=True)) == set(
        ValueSnapshot.objects.values_list("id", flat=True)
    )


def test_the_refresh_gives_what_the_rebuild_gives(surveys, account, other_account):
    segment = MarketSegmentFactory(organizations=[account])
    answer(surveys, account, "nps", [9, 3])
    rebuild(now=None)

    # New answers, an invitation, a scorecard, touchpoints the live map has counted, a new member.
    answer(surveys, account, "csat", [2, 5], when=NOW.replace(year=2026, month=11))
    answer(surveys, other_account, "nps", [10])
    SurveyInvitationFactory(organization=other_account, status=InvitationStatus.RESPONDED)
    sla(account, date(2026, 11, 1), measured=4, met=4)
    TouchpointFactory(organization=other_account, step="engage", sentiment=-2)
    services.step_activity_refresh()
    segment.memberships.create(organization=other_account)

    services.value_metrics_refresh()
    refreshed = values()
    rebuild(now=None)

    assert refreshed == values()
    assert ValueSnapshot.objects.filter(level=SnapshotLevel.SEGMENT, touchpoints=1).exists()


def test_a_changed_policy_rebuilds_everything_at_the_next_refresh(surveys, account, administrator):
    answer(surveys, account, "nps", [10])
    rebuild()
    services.health_policy_update(user=administrator, data={"weight_nps": 0, "weight_sla": 10})

    services.value_metrics_refresh(now=NOW)

    assert row(account).health_score is None


def test_the_periodic_tasks_and_the_command(surveys, account):
    answer(surveys, account, "nps", [10], when=datetime.now(tz=UTC))
    settle()
    assert tasks.value_metrics_rebuild.delay().get() == 2
    assert tasks.value_metrics_refresh.delay().get() == 0

    out = StringIO()
    call_command("compute_value_metrics", stdout=out)
    assert "Computed 2 value snapshots" in out.getvalue()
    assert "2 of accounts (1 with a health score, 0 watermelons) and 0 of market segments" in out.getvalue()


# --- notifying the watermelons --------------------------------------------------------------------


@pytest.fixture
def watermelon(surveys, account):
    """The account green on SLA and red on CSAT this month."""
    now = datetime.now(tz=UTC)
    sla(account, now.date().replace(day=1), measured=50, met=49)
    answer(surveys, account, "csat", [5, 4, 4, 2, 1], when=now)
    return account


def test_a_watermelon_is_notified_to_the_owner_once(watermelon, owner):
    assert services.value_metrics_refresh() > 0

    alert = WatermelonAlert.objects.get(organization=watermelon)
    assert (alert.reasons, alert.sla_compliance, alert.cleared_at) == ("csat", Decimal("98.0"), None)
    assert alert.notified_at is not None
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [owner.email]
    assert watermelon.name in message.subject
    assert "98.0 %" in message.body and "CSAT: 60.0 % satisfied (below 80.0 %)" in message.body
    assert f"/realize/value/accounts/{watermelon.pk}/" in message.body
    assert message.alternatives[0][1] == "text/html"
    events = JourneyEvent.objects.filter(event_type=RealizeEventType.WATERMELON_DETECTED)
    assert events.count() == 1 and events.get().payload["reasons"] == ["csat"]

    assert services.watermelons_notify() == 0
    services.value_metrics_refresh()
    assert len(mail.outbox) == 1
    assert events.count() == 1


def test_a_failed_send_is_retried_by_the_next_run(watermelon):
    with mock.patch("realization.services.metrics.EmailMultiAlternatives.send", side_effect=OSError("down")):
        assert services.value_metrics_refresh() > 0
    alert = WatermelonAlert.objects.get(organization=watermelon)
    assert (alert.notify_claimed_at, alert.notified_at) == (None, None)
    assert mail.outbox == []

    assert services.watermelons_notify() == 1
    assert services.watermelons_notify() == 0
    assert len(mail.outbox) == 1


def test_a_claimed_alert_is_never_sent_twice(watermelon):
    services.value_metrics_rebuild()
    with mock.patch("realization.services.metrics.EmailMultiAlternatives.send"):
        # Another worker claimed it already.
        services.watermelons_notify()
    WatermelonAlert.objects.update(notified_at=None, notify_claimed_at=datetime.now(tz=UTC))

    assert services.watermelons_notify() == 0


def test_an_alert_is_cleared_when_the_watermelon_is_gone(watermelon, surveys):
    services.value_metrics_refresh()
    answer(surveys, watermelon, "csat", [5] * 20, when=datetime.now(tz=UTC))

    services.value_metrics_refresh()

    alert = WatermelonAlert.objects.get()
    assert alert.cleared_at is not None
    assert len(mail.outbox) == 1


def test_no_mail_without_an_owner_to_tell(surveys):
    orphan = OrganizationFactory(owner=None)
    now = datetime.now(tz=UTC)
    sla(orphan, now.date().replace(day=1), measured=10, met=10)
    answer(surveys, orphan, "csat", [1], when=now)

    services.value_metrics_refresh()

    assert WatermelonAlert.objects.filter(organization=orphan, notified_at__isnull=True).exists()
    assert mail.outbox == []


# --- the health policy ----------------------------------------------------------------------------


def test_only_an_administrator_changes_the_policy(owner, analyst):
    for user in (owner, analyst):
        with pytest.raises(PermissionDenied):
            services.health_policy_update(user=user, data={"weight_nps": 10})
    assert HealthPolicy.current().weight_nps == 25


def test_weights_that_sum_to_zero_are_refused_naming_the_weights(administrator):
    zero = {f"weight_{factor}": 0 for factor in ("nps", "csat", "ces", "sla", "sentiment")}

    with pytest.raises(ApplicationError) as refused:
        services.health_policy_update(user=administrator, data={**zero, "window_months": 6})

    assert set(refused.value.fields) == set(zero)
    assert "cannot all be zero" in refused.value.message
    policy = HealthPolicy.current()
    assert (policy.weight_nps, policy.window_months) == (25, 3)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("window_months", 0),
        ("window_months", 13),
        ("weight_csat", -1),
        ("weight_csat", 2.5),
        ("healthy_from", "abc"),
        ("healthy_from", 101),
        ("watermelon_ces_below", 8),
        ("watermelon_sentiment_below", "-3"),
        ("watermelon_sla_from", ""),
        ("at_risk_below", 80),  # above the healthy line (70)
    ],
)
def test_a_threshold_out_of_range_is_refused_naming_it(administrator, field, value):
    with pytest.raises(ApplicationError) as refused:
        services.health_policy_update(user=administrator, data={field: value, "weight_nps": 5})

    assert list(refused.value.fields) == [field]
    assert HealthPolicy.current().weight_nps == 25


def test_a_policy_change_asks_for_a_recomputation(
    administrator, surveys, account, django_capture_on_commit_callbacks
):
    answer(surveys, account, "nps", [10], when=datetime.now(tz=UTC))
    with django_capture_on_commit_callbacks(execute=True):
        policy = services.health_policy_update(
            user=administrator,
            data={"weight_nps": "40", "healthy_from": "75.5", "watermelon_sentiment_below": "−0.5"},
        )

    assert (policy.weight_nps, policy.healthy_from, policy.updated_by) == (40, Decimal("75.5"), administrator)
    assert policy.watermelon_sentiment_below == Decimal("-0.5")
    assert ValueSnapshot.objects.filter(organization=account, step="").get().health_weights["nps"] == 40
