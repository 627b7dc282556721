"""Writes of demand profiles: the computed profile counted by the database against hand-counted
touchpoints (time zones and day boundaries included), recomputing (idempotent, in a task after commit,
periodically), entering volumes by hand, describing and removing a profile, with their bad input."""

from datetime import UTC, date, datetime

import pytest
from django.core.exceptions import PermissionDenied

from journeys.base import ApplicationError
from offerings import services, tasks
from offerings.models import DemandDimension, DemandProfile, DemandProfileCell, DemandProfileSource
from tests.factories.journeys import JourneyFactory, TouchpointFactory
from tests.factories.offerings import DemandProfileFactory, OfferingJourneyFactory, ServiceOfferingFactory

pytestmark = pytest.mark.django_db

HOUR, DAY, MONTH = DemandDimension.HOUR_OF_DAY, DemandDimension.DAY_OF_WEEK, DemandDimension.MONTH
PERIOD = {"covers_from": date(2026, 1, 1), "covers_to": date(2026, 3, 31)}


@pytest.fixture(autouse=True)
def a_fixed_today(monkeypatch):
    """Today is 15 April 2026, so the periods of these tests lie in the past."""
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: date(2026, 4, 15))


@pytest.fixture
def offering(journey):
    offering = ServiceOfferingFactory(name="Managed laptops")
    OfferingJourneyFactory(offering=offering, journey=journey)
    return offering


def at(journey, *moments):
    for moment in moments:
        TouchpointFactory(organization=journey.organization, journey=journey, occurred_at=moment)


def cells(profile) -> dict[str, dict[int, int]]:
    found: dict[str, dict[int, int]] = {HOUR: {}, DAY: {}, MONTH: {}}
    for dimension, bucket, volume in DemandProfileCell.objects.filter(profile=profile).values_list(
        "dimension", "bucket", "volume"
    ):
        found[dimension][bucket] = volume
    return found


def nonzero(volumes: dict[int, int]) -> dict[int, int]:
    return {bucket: volume for bucket, volume in volumes.items() if volume}


def refused(call, **kwargs) -> ApplicationError:
    with pytest.raises(ApplicationError) as error:
        call(**kwargs)
    return error.value


# --- the computed profile -------------------------------------------------------------------------


def test_the_profile_counts_the_linked_journeys_touchpoints_by_hour_day_and_month(journey, offering, account):
    # Monday 2 March 2026: 09:15, 09:45, 14:00. Friday 6 March: 14:30 three times. Thursday 1 January:
    # 08:00. Counted: 7 touchpoints.
    at(
        journey,
        datetime(2026, 3, 2, 9, 15, tzinfo=UTC),
        datetime(2026, 3, 2, 9, 45, tzinfo=UTC),
        datetime(2026, 3, 2, 14, 0, tzinfo=UTC),
        datetime(2026, 3, 6, 14, 30, tzinfo=UTC),
        datetime(2026, 3, 6, 14, 30, tzinfo=UTC),
        datetime(2026, 3, 6, 14, 30, tzinfo=UTC),
        datetime(2026, 1, 1, 8, 0, tzinfo=UTC),
    )
    # Not counted: another journey's, one without a journey, and one after the period.
    at(JourneyFactory(organization=account), datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    TouchpointFactory(organization=account, journey=None, occurred_at=datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    at(journey, datetime(2026, 4, 1, 9, 0, tzinfo=UTC))

    profile = services.demand_profile_recompute(offering=offering, **PERIOD)

    counted = cells(profile)
    assert nonzero(counted[HOUR]) == {8: 1, 9: 2, 14: 4}
    assert nonzero(counted[DAY]) == {0: 3, 3: 1, 4: 3}  # Monday, Thursday, Friday
    assert nonzero(counted[MONTH]) == {1: 1, 3: 6}
    assert (len(counted[HOUR]), len(counted[DAY]), len(counted[MONTH])) == (24, 7, 12)  # empty ones too
    assert (profile.source, profile.covers_from, profile.covers_to) == (
        DemandProfileSource.COMPUTED,
        date(2026, 1, 1),
        date(2026, 3, 31),
    )
    assert profile.computed_at is not None


def test_hours_days_months_and_the_period_follow_the_current_time_zone(settings, journey, offering):
    settings.TIME_ZONE = "Europe/Amsterdam"  # UTC+1 in winter
    # 23:30 UTC on Sunday 1 March is 00:30 on Monday 2 March in Amsterdam: inside a period that starts
    # on 2 March. 22:30 UTC is still Sunday there (23:30): outside it. 23:30 UTC on 31 January is
    # 00:30 on 1 February in Amsterdam: a February touchpoint.
    at(
        journey,
        datetime(2026, 3, 1, 23, 30, tzinfo=UTC),
        datetime(2026, 3, 1, 22, 30, tzinfo=UTC),
        datetime(2026, 1, 31, 23, 30, tzinfo=UTC),
    )

    march = services.demand_profile_recompute(
        offering=offering, covers_from=date(2026, 3, 2), covers_to=date(2026, 3, 31)
    )
    counted = cells(march)
    assert (nonzero(counted[HOUR]), nonzero(counted[DAY]), nonzero(counted[MONTH])) == (
        {0: 1},
        {0: 1},
        {3: 1},
    )

    everything = services.demand_profile_recompute(offering=offering, **PERIOD)
    counted = cells(everything)
    assert nonzero(counted[MONTH]) == {2: 1, 3: 2}
    assert nonzero(counted[DAY]) == {0: 1, 6: 2}  # Monday 2 March; Sunday 1 March and Sunday 1 February
    assert nonzero(counted[HOUR]) == {0: 2, 23: 1}


def test_the_same_day_in_utc_counts_as_sunday_and_monday_in_utc(journey, offering):
    at(journey, datetime(2026, 3, 1, 23, 30, tzinfo=UTC))

    counted = cells(services.demand_profile_recompute(offering=offering, **PERIOD))

    assert (nonzero(counted[HOUR]), nonzero(counted[DAY])) == ({23: 1}, {6: 1})


def test_recomputing_twice_changes_nothing_and_a_new_touchpoint_is_counted_next_time(journey, offering):
    at(journey, datetime(2026, 3, 2, 9, 15, tzinfo=UTC))
    first = services.demand_profile_recompute(offering=offering, **PERIOD)
    again = services.demand_profile_recompute(offering=offering, **PERIOD)

    assert first.pk == again.pk
    assert DemandProfile.objects.count() == 1
    assert DemandProfileCell.objects.count() == 24 + 7 + 12
    assert cells(again)[HOUR][9] == 1

    at(journey, datetime(2026, 3, 3, 9, 40, tzinfo=UTC))
    services.demand_profile_recompute(offering=offering, **PERIOD)

    assert cells(first)[HOUR][9] == 2
    assert DemandProfileCell.objects.count() == 24 + 7 + 12


def test_the_default_period_is_the_last_365_days(journey, offering):
    at(journey, datetime(2025, 4, 15, 12, 0, tzinfo=UTC), datetime(2025, 4, 16, 12, 0, tzinfo=UTC))

    profile = services.demand_profile_recompute(offering=offering)

    assert (profile.covers_from, profile.covers_to) == (date(2025, 4, 16), date(2026, 4, 15))
    assert sum(cells(profile)[DAY].values()) == 1


def test_a_period_that_ends_before_it_starts_or_in_the_future_is_refused(owner, offering):
    backwards = refused(
        services.demand_profile_request_recompute,
        actor=owner,
        offering=offering,
        covers_from=date(2026, 3, 1),
        covers_to=date(2026, 2, 1),
    )
    future = refused(
        services.demand_profile_request_recompute, actor=owner, offering=offering, covers_to=date(2026, 5, 1)
    )

    assert backwards.fields == {
        "covers_to": ["The period cannot end (01 Feb 2026) before it starts (01 Mar 2026)."]
    }
    assert list(future.fields) == ["covers_to"]
    assert not DemandProfile.objects.exists()


def test_asking_for_a_recompute_counts_in_a_task_after_commit(
    owner, journey, offering, django_capture_on_commit_callbacks
):
    at(journey, datetime(2026, 3, 2, 9, 15, tzinfo=UTC))

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        period = services.demand_profile_request_recompute(actor=owner, offering=offering, **PERIOD)
        assert not DemandProfile.objects.exists()  # nothing counted before the commit
    for callback in callbacks:
        callback()

    assert period == (date(2026, 1, 1), date(2026, 3, 31))
    profile = DemandProfile.objects.get(source=DemandProfileSource.COMPUTED)
    assert cells(profile)[HOUR][9] == 1


@pytest.mark.parametrize("persona", ["analyst", "desk"])
def test_read_only_roles_may_not_ask_for_a_recompute(request, offering, persona):
    with pytest.raises(PermissionDenied):
        services.demand_profile_request_recompute(actor=request.getfixturevalue(persona), offering=offering)


def test_the_task_loads_the_offering_by_id_and_skips_one_that_is_gone(journey, offering):
    at(journey, datetime(2026, 3, 2, 9, 15, tzinfo=UTC))

    profile_id = tasks.demand_profile_recompute(offering.pk, "2026-01-01", "2026-03-31")

    assert cells(DemandProfile.objects.get(pk=profile_id))[MONTH][3] == 1
    assert tasks.demand_profile_recompute(offering.pk + 1000) is None


def test_the_periodic_job_recomputes_offerings_with_journeys_or_a_computed_profile(journey, offering):
    unlinked = ServiceOfferingFactory()
    DemandProfileFactory(
        offering=unlinked, source=DemandProfileSource.COMPUTED, computed_at=datetime(2026, 1, 1, tzinfo=UTC)
    )
    ServiceOfferingFactory()  # neither: left alone
    at(journey, datetime(2026, 3, 2, 9, 15, tzinfo=UTC))

    done = tasks.demand_profiles_recompute_all()

    assert done == 2
    assert DemandProfile.objects.filter(source=DemandProfileSource.COMPUTED).count() == 2
    assert cells(DemandProfile.objects.get(offering=offering))[HOUR][9] == 1


# --- the entered profile --------------------------------------------------------------------------


def volumes(hours=None, days=None, months=None) -> dict:
    return {
        "hour_of_day": hours if hours is not None else [0] * 8 + [10] * 9 + [0] * 7,
        "day_of_week": days if days is not None else [20, 20, 20, 20, 40, 0, 0],
        "month": months if months is not None else [100] * 10 + [300, 300],
    }


def test_entering_stores_every_volume_and_the_description(owner, offering):
    profile = services.demand_profile_enter(
        actor=owner, offering=offering, **volumes(), activity="Timesheets on Friday", trend="repetitive"
    )

    entered = cells(profile)
    assert entered[HOUR][8] == 10 and entered[HOUR][7] == 0
    assert entered[DAY] == {0: 20, 1: 20, 2: 20, 3: 20, 4: 40, 5: 0, 6: 0}
    assert entered[MONTH][12] == 300
    assert (profile.source, profile.activity, profile.trend) == (
        DemandProfileSource.ENTERED,
        "Timesheets on Friday",
        "repetitive",
    )


def test_entering_again_replaces_the_volumes(owner, offering):
    services.demand_profile_enter(actor=owner, offering=offering, **volumes())

    profile = services.demand_profile_enter(
        actor=owner, offering=offering, **volumes(days=[1, 1, 1, 1, 1, 1, 1])
    )

    assert cells(profile)[DAY] == dict.fromkeys(range(7), 1)
    assert DemandProfileCell.objects.count() == 24 + 7 + 12
    assert DemandProfile.objects.count() == 1


def test_a_negative_volume_is_refused_naming_its_bucket_and_nothing_is_saved(owner, offering):
    hours = [0] * 24
    hours[3] = -5
    hours[10] = True

    error = refused(services.demand_profile_enter, actor=owner, offering=offering, **volumes(hours=hours))

    assert error.fields == {
        "hour_of_day[3]": ["A volume is a whole number, 0 or more; -5 is not."],
        "hour_of_day[10]": ["A volume is a whole number, 0 or more; True is not."],
    }
    assert not DemandProfile.objects.exists()


def test_a_list_of_the_wrong_length_is_refused(owner, offering):
    error = refused(services.demand_profile_enter, actor=owner, offering=offering, **volumes(months=[1] * 11))

    assert error.fields == {"month": ["Give one volume for each of the 12 months."]}


def test_describing_a_profile_checks_the_trend(owner, offering):
    profile = DemandProfileFactory(offering=offering, activity="")

    error = refused(services.demand_profile_describe, actor=owner, profile=profile, trend="seasonal")
    services.demand_profile_describe(
        actor=owner, profile=profile, activity="Month-end closing", trend="growth"
    )

    assert list(error.fields) == ["trend"]
    profile.refresh_from_db()
    assert (profile.activity, profile.trend) == ("Month-end closing", "growth")


def test_removing_a_profile_takes_its_cells(owner, offering):
    profile = services.demand_profile_enter(actor=owner, offering=offering, **volumes())

    services.demand_profile_remove(actor=owner, profile=profile)

    assert not DemandProfile.objects.exists()
    assert not DemandProfileCell.objects.exists()


def test_analysts_may_not_enter_volumes(analyst, offering):
    with pytest.raises(PermissionDenied):
        services.demand_profile_enter(actor=analyst, offering=offering, **volumes())
