"""The live journey map's read model: monthly step activity per organization, kept by an incremental
refresh and a full rebuild. Both must give exactly what counting the touchpoints themselves gives."""

from collections import Counter
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from journeys.models import Touchpoint
from realization import services, tasks
from realization.models import RefreshMark, StepActivityMonth
from tests.factories.journeys import OrganizationFactory, TouchpointFactory

pytestmark = pytest.mark.django_db


def counted_directly() -> dict:
    """What the rows must say, counted in Python from every touchpoint."""
    zone = ZoneInfo(settings.TIME_ZONE)
    figures: dict = {}
    for touchpoint in Touchpoint.objects.all():
        local = touchpoint.occurred_at.astimezone(zone)
        key = (touchpoint.organization_id, touchpoint.step, date(local.year, local.month, 1))
        volume, total, moments, negative = figures.get(key, (0, 0, 0, 0))
        figures[key] = (
            volume + 1,
            total + touchpoint.sentiment,
            moments + touchpoint.moment_of_truth,
            negative + (touchpoint.sentiment < 0),
        )
    return figures


def stored() -> dict:
    return {
        (row.organization_id, row.step, row.month): (
            row.touchpoints,
            row.sentiment_sum,
            row.moments_of_truth,
            row.negative,
        )
        for row in StepActivityMonth.objects.all()
    }


@pytest.fixture
def history():
    """Two accounts with touchpoints over three months, every step kind of sentiment and flag."""
    now = timezone.now()
    first, second = OrganizationFactory(), OrganizationFactory()
    for index in range(24):
        TouchpointFactory(
            organization=first if index % 3 else second,
            step=["engage", "offer", "co_create", "realize"][index % 4],
            sentiment=(index % 5) - 2,
            moment_of_truth=index % 7 == 0,
            occurred_at=now - timedelta(days=index * 4, hours=1),
        )
    return first, second


def test_the_rebuild_counts_what_the_touchpoints_say(history):
    rows = services.step_activity_rebuild()

    assert stored() == counted_directly()
    assert rows == len(counted_directly()) > 4
    assert (
        RefreshMark.objects.get(name="step_activity").reached
        == Touchpoint.objects.latest("updated_at").updated_at
    )


def test_a_first_refresh_without_a_mark_rebuilds_everything(history):
    services.step_activity_refresh()

    assert stored() == counted_directly()


def test_the_refresh_recounts_changed_and_new_touchpoints_like_the_rebuild(history):
    first, second = history
    services.step_activity_rebuild()
    # A touchpoint moves to another step and turns negative; new ones arrive, one in an old month.
    changed = Touchpoint.objects.filter(organization=first).order_by("occurred_at").last()
    changed.step, changed.sentiment, changed.moment_of_truth = "agree", -2, True
    changed.save()
    TouchpointFactory(organization=second, step="onboard", sentiment=2)
    TouchpointFactory(
        organization=OrganizationFactory(), step="explore", occurred_at=timezone.now() - timedelta(days=200)
    )

    services.step_activity_refresh()

    assert stored() == counted_directly()
    refreshed = dict(stored())
    services.step_activity_rebuild()
    assert stored() == refreshed


def test_refreshing_again_with_nothing_new_leaves_the_same_rows(history):
    services.step_activity_rebuild()
    before = stored()

    services.step_activity_refresh()
    services.step_activity_refresh()

    assert stored() == before


def test_a_refresh_long_after_the_last_change_reads_nothing(history, django_assert_num_queries):
    services.step_activity_rebuild()
    Touchpoint.objects.update(updated_at=timezone.now() - timedelta(hours=2))
    RefreshMark.objects.update(reached=timezone.now() - timedelta(hours=1))
    before = stored()

    # Inside a savepoint, for the touchpoints, the requests and the stays: the mark (read, then
    # locked), the latest change past it (for the requests, of requests and of clocks; for the stays,
    # of step changes and of journeys), the mark saved. No touchpoint, request or step change is read.
    with django_assert_num_queries(16):
        assert services.step_activity_refresh() == 0

    assert stored() == before


def test_a_late_commit_with_an_older_timestamp_is_still_picked_up(history):
    first, _ = history
    services.step_activity_rebuild()
    mark = RefreshMark.objects.get(name="step_activity")
    # A transaction that began before the last run committed after it: its rows carry an updated_at a
    # minute before the mark.
    late = TouchpointFactory(organization=first, step="realize", sentiment=-1)
    Touchpoint.objects.filter(pk=late.pk).update(updated_at=mark.reached - timedelta(minutes=1))

    services.step_activity_refresh()

    assert stored() == counted_directly()


def test_a_deleted_touchpoint_is_healed_by_the_nightly_rebuild(history):
    first, _ = history
    services.step_activity_rebuild()
    # Hours after the last change and the last refresh, a touchpoint is deleted.
    Touchpoint.objects.update(updated_at=timezone.now() - timedelta(hours=3))
    RefreshMark.objects.update(reached=timezone.now() - timedelta(hours=1))
    Touchpoint.objects.filter(organization=first).order_by("occurred_at").last().delete()

    services.step_activity_refresh()
    assert stored() != counted_directly()  # the refresh cannot see what is gone, as documented

    tasks.step_activity_rebuild.delay()
    assert stored() == counted_directly()


def test_months_are_cut_in_the_site_time_zone(settings):
    settings.TIME_ZONE = "Europe/Amsterdam"
    organization = OrganizationFactory()
    # 23:30 UTC on 31 January is 00:30 on 1 February in Amsterdam.
    TouchpointFactory(organization=organization, occurred_at=datetime(2025, 1, 31, 23, 30, tzinfo=UTC))
    TouchpointFactory(organization=organization, occurred_at=datetime(2025, 1, 31, 22, 30, tzinfo=UTC))

    services.step_activity_rebuild()

    assert Counter(StepActivityMonth.objects.values_list("month", "touchpoints")) == Counter(
        {(date(2025, 1, 1), 1): 1, (date(2025, 2, 1), 1): 1}
    )
    Touchpoint.objects.update(sentiment=1)
    services.step_activity_refresh()
    assert stored() == counted_directly()


def test_the_command_and_the_periodic_task_fill_the_rows(history):
    call_command("refresh_step_activity", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert stored() == counted_directly()

    TouchpointFactory(organization=history[0], step="explore")
    tasks.step_activity_refresh.delay()
    assert stored() == counted_directly()
