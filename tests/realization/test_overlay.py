"""The live journey map's figures: per step activity over whole months, open and breached requests, the
peak-end check, the funnel of accounts with the median time in step, and whose accounts each user's
overlay adds up (an account, a segment, the portfolio)."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.http import Http404
from django.utils import timezone

from cocreation.models import RequestClock, ServiceRequest
from exploration.models import SegmentMembership
from journeys.models import AccountSummary, Journey, JourneyStep, JourneyStepChange
from realization import selectors, services
from realization.models import StepActivityMonth, ValueSnapshot
from realization.selectors import StepFigures, peak_end_check
from tests.factories.exploration import MarketSegmentFactory
from tests.factories.journey_maps import JourneyMapFactory, MapStageFactory
from tests.factories.journeys import OrganizationFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2025, 6, 18, 12, 0, tzinfo=UTC)


def activity(organization, step, month, touchpoints, sentiment_sum, moments=0, negative=0):
    return StepActivityMonth.objects.create(
        organization=organization,
        step=step,
        month=month,
        touchpoints=touchpoints,
        sentiment_sum=sentiment_sum,
        moments_of_truth=moments,
        negative=negative,
    )


def request_for(organization, step, status="new", breached_at=None):
    request = ServiceRequest.objects.create(
        organization=organization,
        step=step,
        status=status,
        title="Printer",
        opened_at=NOW - timedelta(days=3),
    )
    for kind in ("response", "resolution"):
        RequestClock.objects.create(
            request=request,
            kind=kind,
            limit_seconds=3600,
            warning_seconds=3000,
            started_at=request.opened_at,
            breached_at=breached_at if kind == "resolution" else None,
            state="breached" if breached_at and kind == "resolution" else "running",
        )
    return request


def overlay_for(user, scope=None, **options):
    # The requests' standing and the stays behind the funnel are read models: run their periodic
    # refresh first, as the job would.
    services.request_standing_refresh()
    services.step_stays_refresh()
    return selectors.journey_overlay(
        user=user, scope=scope or selectors.OverlayScope(kind="portfolio"), now=NOW, **options
    )


def by_step(overlay) -> dict:
    return {figures.step.value: figures for figures in overlay.steps}


# --- activity and requests ------------------------------------------------------------------------


def test_each_step_adds_up_the_months_of_the_period(administrator, account, other_account):
    activity(account, "offer", date(2025, 6, 1), 4, 6, moments=1, negative=0)
    activity(other_account, "offer", date(2025, 4, 1), 2, -3, moments=1, negative=2)
    activity(account, "co_create", date(2025, 1, 1), 10, -10, negative=8)  # Before a 3-month period.

    three = by_step(overlay_for(administrator, months=3))
    twelve = by_step(overlay_for(administrator, months=12))

    offer = three["offer"]
    assert (offer.touchpoints, offer.sentiment_sum, offer.moments_of_truth, offer.negative) == (6, 3, 2, 2)
    assert offer.average_sentiment == pytest.approx(0.5)
    assert three["co_create"].touchpoints == 0 and three["co_create"].average_sentiment is None
    assert twelve["co_create"].touchpoints == 10
    assert [figures.step for figures in overlay_for(administrator).steps] == list(JourneyStep)


def test_the_period_is_whole_months_ending_with_this_one():
    assert selectors.period_months(3, now=NOW) == (date(2025, 4, 1), date(2025, 6, 1))
    assert selectors.period_months(12, now=NOW) == (date(2024, 7, 1), date(2025, 6, 1))
    assert selectors.period_months(6, now=datetime(2025, 1, 5, tzinfo=UTC)) == (
        date(2024, 8, 1),
        date(2025, 1, 1),
    )


def test_requests_count_open_now_and_breached_in_the_period(administrator, account):
    request_for(account, "co_create")
    request_for(account, "co_create", status="waiting_on_customer", breached_at=NOW - timedelta(days=1))
    request_for(account, "co_create", status="closed", breached_at=NOW - timedelta(days=10))
    request_for(account, "co_create", status="closed", breached_at=NOW - timedelta(days=400))
    request_for(account, "onboard", status="resolved")

    steps = by_step(overlay_for(administrator, months=3))

    assert (steps["co_create"].open_requests, steps["co_create"].breached_requests) == (2, 2)
    assert (steps["onboard"].open_requests, steps["onboard"].breached_requests) == (0, 0)


def test_the_figures_come_from_the_touchpoints_once_the_rows_are_rebuilt(administrator, account):
    from tests.factories.journeys import TouchpointFactory

    now = timezone.now()
    TouchpointFactory(organization=account, step="agree", sentiment=-2, moment_of_truth=True, occurred_at=now)
    TouchpointFactory(organization=account, step="agree", sentiment=1, occurred_at=now)
    services.step_activity_rebuild()

    agree = by_step(
        selectors.journey_overlay(user=administrator, scope=selectors.OverlayScope(kind="portfolio"))
    )["agree"]

    assert (agree.touchpoints, agree.sentiment_sum, agree.moments_of_truth, agree.negative) == (2, -1, 1, 1)


def test_a_request_whose_both_clocks_breached_counts_once(administrator, account):
    request = request_for(account, "agree", breached_at=NOW - timedelta(days=1))
    request.clocks.update(state="breached", breached_at=NOW - timedelta(days=1))

    agree = by_step(overlay_for(administrator, months=3))["agree"]

    assert (agree.open_requests, agree.breached_requests) == (1, 1)


# --- survey answers per step ----------------------------------------------------------------------


def snapshot(organization, step, month, **counts):
    return ValueSnapshot.objects.create(
        level="account", organization=organization, step=step, month=month, computed_at=NOW, **counts
    )


def test_csat_and_ces_per_step_add_up_the_snapshots_of_the_scope_and_period(
    owner, analyst, account, other_account
):
    june, may = date(2025, 6, 1), date(2025, 5, 1)
    snapshot(
        account,
        "co_create",
        june,
        csat_responses=4,
        csat_satisfied=2,
        csat_sum=14,
        ces_responses=2,
        ces_sum=11,
    )
    snapshot(account, "co_create", may, csat_responses=1, csat_satisfied=1, csat_sum=5)
    snapshot(account, "onboard", may, ces_responses=3, ces_sum=6)
    snapshot(account, "co_create", date(2024, 1, 1), csat_responses=9, csat_sum=9)  # Before the period.
    snapshot(account, "", june, csat_responses=4, csat_satisfied=2, csat_sum=14)  # All steps: not twice.
    snapshot(other_account, "co_create", june, csat_responses=3, csat_satisfied=3, csat_sum=15)
    segment = MarketSegmentFactory(organizations=[account])
    ValueSnapshot.objects.create(
        level="segment", segment=segment, step="co_create", month=june, computed_at=NOW, csat_responses=50
    )

    overlay = overlay_for(owner, months=3)
    steps = by_step(overlay)

    co_create = steps["co_create"]
    assert (co_create.csat_responses, co_create.csat_pct, co_create.csat_mean) == (5, 60.0, 3.8)
    assert (co_create.ces_responses, co_create.ces_mean) == (2, 5.5)
    assert (steps["onboard"].ces_mean, steps["onboard"].csat_pct) == (2.0, None)
    assert steps["agree"].csat_mean is None and steps["agree"].ces_mean is None
    assert overlay.totals["csat_responses"] == 5 and overlay.totals["csat_pct"] == 60.0
    assert overlay.totals["ces_mean"] == pytest.approx(17 / 5)

    assert by_step(overlay_for(analyst, months=3))["co_create"].csat_responses == 8
    assert by_step(overlay_for(owner, months=12))["co_create"].csat_responses == 5
    in_segment = overlay_for(owner, scope=selectors.OverlayScope(kind="segment", segment=segment), months=3)
    assert by_step(in_segment)["co_create"].csat_responses == 5


def test_csat_and_ces_come_from_the_answers_once_the_metrics_are_computed(administrator, account):
    from realization.models import SurveyResponse
    from tests.factories.realization import SurveyFactory

    for kind, scores in (("csat", [5, 4, 3, 1]), ("ces", [6, 7])):
        survey = SurveyFactory(survey_type=kind)
        for score in scores:
            SurveyResponse.objects.create(
                survey=survey,
                survey_type=kind,
                organization=account,
                step="agree",
                score=score,
                answered_at=NOW,
            )
    services.value_metrics_rebuild(now=NOW)

    agree = by_step(overlay_for(administrator, months=3))["agree"]

    assert (agree.csat_pct, agree.csat_mean, agree.ces_mean) == (50.0, 3.25, 6.5)


# --- peak-end -------------------------------------------------------------------------------------


def figures(**averages) -> list[StepFigures]:
    """Steps with 10 touchpoints at the given averages (by step value); the others have none."""
    return [
        StepFigures(step=step, touchpoints=10, sentiment_sum=round(averages[step.value] * 10))
        if step.value in averages
        else StepFigures(step=step)
        for step in JourneyStep
    ]


def test_the_peak_end_check_warns_when_the_end_is_below_the_mean():
    check = peak_end_check(figures(engage=1.0, offer=-1.5, co_create=0.8, realize=-0.3))

    assert check.end.step == JourneyStep.REALIZE
    assert check.peak.step == JourneyStep.OFFER  # the most extreme, whichever its sign
    assert check.mean == pytest.approx(0.0)
    assert check.end_below_mean is True
    assert check.shortfall == pytest.approx(0.3)


def test_the_peak_end_check_passes_when_the_end_is_at_or_above_the_mean():
    check = peak_end_check(figures(explore=-1.0, agree=0.5, onboard=0.5))

    assert check.end.step == JourneyStep.ONBOARD
    assert check.end_below_mean is False
    assert check.shortfall == 0


def test_an_end_equal_to_the_mean_is_no_warning_whatever_the_rounding():
    # In floating point the mean of −2.0, −1.8 and −1.9 comes out a hair above −1.9.
    check = peak_end_check(figures(explore=-2.0, engage=-1.8, offer=-1.9))

    assert check.end_below_mean is False


def test_the_peak_end_check_needs_two_steps_with_touchpoints():
    assert peak_end_check(figures(offer=-2.0)).end_below_mean is False
    assert peak_end_check(figures()).end is None


# --- the funnel and the median time in step -------------------------------------------------------


def journey_with(organization, *changes, ended_at=None):
    """A journey with the given (step, days before NOW) changes; ended when `ended_at` is given."""
    first_at = NOW - timedelta(days=changes[0][1])
    journey = Journey.objects.create(
        organization=organization,
        name="Service",
        current_step=changes[-1][0],
        started_at=first_at,
        step_entered_at=NOW - timedelta(days=changes[-1][1]),
        status="left" if ended_at else "active",
        ended_at=ended_at,
    )
    for step, days_before in changes:
        JourneyStepChange.objects.create(
            journey=journey, to_step=step, changed_at=NOW - timedelta(days=days_before)
        )
    return journey


def test_the_median_time_in_step_is_counted_from_the_history(administrator):
    first, second, third = OrganizationFactory(), OrganizationFactory(), OrganizationFactory()
    # Explore: 2, 4 and 6 days → 4. Engage: 6 and 14 days → 10. Offer: 10 days, still there.
    journey_with(first, ("explore", 18), ("engage", 16), ("offer", 10))
    journey_with(second, ("explore", 18), ("engage", 14))
    journey_with(third, ("explore", 18), ended_at=NOW - timedelta(days=12))

    steps = overlay_for(administrator).steps
    medians = {
        figures.step.value: figures.median_days for figures in steps if figures.median_days is not None
    }

    assert medians == pytest.approx({"explore": 4.0, "engage": 10.0, "offer": 10.0})


def test_the_median_of_an_odd_number_of_stays_is_the_middle_one(administrator):
    for days in (1, 3, 30):
        journey_with(OrganizationFactory(), ("agree", 40), ("onboard", 40 - days))

    assert by_step(overlay_for(administrator))["agree"].median_days == pytest.approx(3.0)


def test_the_funnel_counts_accounts_now_in_each_step_and_those_that_reached_it(administrator):
    first, second = OrganizationFactory(), OrganizationFactory()
    journey_with(first, ("explore", 18), ("engage", 16), ("offer", 10))
    journey_with(first, ("explore", 5))  # A second journey of the same account counts it once.
    journey_with(second, ("explore", 18), ("engage", 14))
    AccountSummary.objects.filter(organization=first).update(journey_step="offer")
    AccountSummary.objects.filter(organization=second).update(journey_step="engage")

    steps = by_step(overlay_for(administrator))

    assert [
        (steps[s].reached_accounts, steps[s].current_accounts) for s in ("explore", "engage", "offer")
    ] == [
        (2, 0),
        (2, 1),
        (1, 1),
    ]
    assert steps["agree"].reached_accounts == 0 and steps["agree"].median_days is None
    assert steps["offer"].median_days == pytest.approx(10.0)


# --- scope ----------------------------------------------------------------------------------------


def test_an_outsiders_portfolio_holds_only_their_own_accounts(outsider, account, other_account):
    activity(account, "offer", date(2025, 6, 1), 5, 5)
    activity(other_account, "offer", date(2025, 6, 1), 2, -2)
    request_for(account, "offer")
    journey_with(account, ("offer", 3))

    steps = by_step(overlay_for(outsider))

    assert (steps["offer"].touchpoints, steps["offer"].sentiment_sum) == (2, -2)
    assert steps["offer"].open_requests == 0 and steps["offer"].reached_accounts == 0


def test_an_account_the_user_may_not_see_is_not_found(outsider, account):
    with pytest.raises(Http404):
        selectors.overlay_scope(user=outsider, kind="account", organization_id=account.pk)


def test_one_account_adds_up_only_its_own_figures(owner, account, other_account):
    activity(account, "agree", date(2025, 6, 1), 3, 3)
    activity(other_account, "agree", date(2025, 6, 1), 7, -7)
    journey_with(account, ("agree", 2))

    scope = selectors.overlay_scope(user=owner, kind="account", organization_id=account.pk)
    steps = by_step(overlay_for(owner, scope))

    assert scope.label == account.name
    assert steps["agree"].touchpoints == 3
    assert steps["agree"].reached_accounts == 1


def test_a_segment_adds_up_the_members_the_user_may_see(owner, account, other_account):
    segment = MarketSegmentFactory(name="Car hire")
    mine_too = OrganizationFactory(owner=owner)
    outside_segment = OrganizationFactory(owner=owner)
    for organization in (account, other_account, mine_too):
        SegmentMembership.objects.create(segment=segment, organization=organization)
    activity(account, "engage", date(2025, 6, 1), 1, 1)
    activity(mine_too, "engage", date(2025, 5, 1), 2, 2)
    activity(other_account, "engage", date(2025, 6, 1), 40, -40)  # Not the owner's to see.
    activity(outside_segment, "engage", date(2025, 6, 1), 9, 9)  # Not in the segment.

    scope = selectors.overlay_scope(user=owner, kind="segment", segment=segment)
    steps = by_step(overlay_for(owner, scope))

    assert steps["engage"].touchpoints == 3


def test_a_designed_map_lays_its_expected_emotion_per_step_beside_the_lived_one(analyst):
    journey_map = JourneyMapFactory()
    MapStageFactory(journey_map=journey_map, step="offer", expected_emotion=-1)
    MapStageFactory(journey_map=journey_map, step="offer", expected_emotion=2)
    MapStageFactory(journey_map=journey_map, step="realize", expected_emotion=1)

    steps = by_step(overlay_for(analyst, journey_map=journey_map))

    assert steps["offer"].expected_emotion == pytest.approx(0.5)
    assert steps["realize"].expected_emotion == pytest.approx(1.0)
    assert steps["explore"].expected_emotion is None
