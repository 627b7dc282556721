"""The funnel's read model: each journey's stays in its steps, kept by the periodic refresh and the full
rebuild. Both must give exactly the stays the step history says, and the median time in step read
from them must be the middle stay (or the mean of the two middle ones), on every database."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from journeys import services as spine
from journeys.models import Journey, JourneyStepChange
from realization import selectors, services, tasks
from realization.models import JourneyStepStay, RefreshMark
from tests.factories.journeys import JourneyFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2025, 6, 18, 12, 0, tzinfo=UTC)


def stays_from_the_history() -> set:
    """What the rows must say, worked out in Python from every step change: a stay lasts until the
    journey's next change (by time, then id), else until the journey ended, else it is open."""
    expected = set()
    for journey in Journey.objects.all():
        changes = sorted(
            JourneyStepChange.objects.filter(journey=journey), key=lambda c: (c.changed_at, c.pk)
        )
        for index, change in enumerate(changes):
            left = changes[index + 1].changed_at if index + 1 < len(changes) else journey.ended_at
            expected.add((journey.pk, journey.organization_id, change.to_step, change.changed_at, left))
    return expected


def stored() -> set:
    return {
        (stay.journey_id, stay.organization_id, stay.step, stay.entered_at, stay.left_at)
        for stay in JourneyStepStay.objects.all()
    }


@pytest.fixture
def journeys(administrator):
    """Three accounts' journeys: one moved twice, one ended, one with two changes at the same moment."""
    now = timezone.now()
    moved = JourneyFactory(current_step="explore", step_entered_at=now - timedelta(days=30))
    spine.journey_move(
        actor=administrator, journey=moved, to_step="engage", moved_at=now - timedelta(days=20)
    )
    spine.journey_move(actor=administrator, journey=moved, to_step="offer", moved_at=now - timedelta(days=5))
    ended = JourneyFactory(current_step="agree", step_entered_at=now - timedelta(days=12))
    spine.journey_end(journey=ended, note="Went elsewhere.")
    tied = JourneyFactory(current_step="onboard", step_entered_at=now - timedelta(days=3))
    JourneyStepChange.objects.create(
        journey=tied, from_step="onboard", to_step="co_create", changed_at=tied.step_entered_at
    )
    return moved, ended, tied


def test_the_rebuild_writes_one_stay_per_step_change_as_the_history_says(journeys):
    rows = services.step_stays_rebuild()

    assert stored() == stays_from_the_history()
    assert rows == JourneyStepChange.objects.count() == 6
    moved, ended, tied = journeys
    # The stay a journey is in has no end; an ended journey's last stay ends when it ended.
    assert JourneyStepStay.objects.get(journey=moved, step="offer").left_at is None
    assert (
        JourneyStepStay.objects.get(journey=ended, step="agree").left_at
        == Journey.objects.get(pk=ended.pk).ended_at
    )
    # Two changes at the same moment: the first one's stay ends at once.
    onboard = JourneyStepStay.objects.get(journey=tied, step="onboard")
    assert onboard.left_at == onboard.entered_at


def test_the_activity_rebuild_and_the_command_rebuild_the_stays_too(journeys):
    services.step_activity_rebuild()
    assert stored() == stays_from_the_history()

    JourneyStepStay.objects.all().delete()
    tasks.step_activity_rebuild.delay()
    assert stored() == stays_from_the_history()


def test_a_refresh_after_a_step_change_gives_what_a_rebuild_gives(administrator, journeys):
    moved, _, _ = journeys
    services.step_activity_rebuild()

    spine.journey_move(actor=administrator, journey=moved, to_step="agree")
    # A change recorded later but dated before the last one (an import) slots in between: the stay
    # before it ends earlier.
    JourneyStepChange.objects.create(
        journey=moved, from_step="engage", to_step="explore", changed_at=timezone.now() - timedelta(days=10)
    )
    services.step_activity_refresh()

    assert stored() == stays_from_the_history()
    refreshed = stored()
    services.step_stays_rebuild()
    assert stored() == refreshed


def test_a_refresh_after_a_journey_ends_gives_what_a_rebuild_gives(journeys):
    moved, _, _ = journeys
    services.step_activity_rebuild()
    assert JourneyStepStay.objects.get(journey=moved, step="offer").left_at is None

    spine.journey_end(journey=moved, note="Contract not renewed.")
    tasks.step_activity_refresh.delay()

    assert stored() == stays_from_the_history()
    assert (
        JourneyStepStay.objects.get(journey=moved, step="offer").left_at
        == Journey.objects.get(pk=moved.pk).ended_at
    )


def test_a_new_journey_and_a_journey_moved_to_another_account_are_refreshed(journeys):
    _, ended, _ = journeys
    services.step_activity_rebuild()

    JourneyFactory(current_step="realize")
    ended.organization = OrganizationFactory()
    ended.save()
    services.step_stays_refresh()

    assert stored() == stays_from_the_history()
    assert set(JourneyStepStay.objects.filter(journey=ended).values_list("organization_id", flat=True)) == {
        ended.organization_id
    }


def test_a_late_commit_with_an_older_timestamp_is_still_picked_up(journeys):
    moved, _, _ = journeys
    services.step_activity_rebuild()
    mark = RefreshMark.objects.get(name="step_stays")
    change = JourneyStepChange.objects.create(
        journey=moved, from_step="offer", to_step="agree", changed_at=timezone.now()
    )
    JourneyStepChange.objects.filter(pk=change.pk).update(updated_at=mark.reached - timedelta(minutes=1))

    services.step_stays_refresh()

    assert stored() == stays_from_the_history()


def test_refreshing_with_nothing_new_leaves_the_same_stays_and_a_deleted_journey_takes_its_own(journeys):
    services.step_activity_rebuild()
    before = stored()

    services.step_activity_refresh()
    assert stored() == before

    journeys[0].delete()
    assert stored() == stays_from_the_history() != before


# --- the median read from the stays, on every database ---------------------------------------------


def journey_with(organization, *changes, ended_at=None):
    """A journey with the given (step, days before NOW) changes; ended when `ended_at` is given."""
    journey = Journey.objects.create(
        organization=organization,
        name="Service",
        current_step=changes[-1][0],
        started_at=NOW - timedelta(days=changes[0][1]),
        step_entered_at=NOW - timedelta(days=changes[-1][1]),
        status="left" if ended_at else "active",
        ended_at=ended_at,
    )
    for step, days_before in changes:
        JourneyStepChange.objects.create(
            journey=journey, to_step=step, changed_at=NOW - timedelta(days=days_before)
        )
    return journey


def medians(user) -> dict:
    services.step_stays_refresh()
    overlay = selectors.journey_overlay(user=user, scope=selectors.OverlayScope(kind="portfolio"), now=NOW)
    return {
        figures.step.value: figures.median_days
        for figures in overlay.steps
        if figures.median_days is not None
    }


def test_the_median_of_an_even_number_of_stays_is_the_mean_of_the_two_middle_ones(administrator):
    # Engage: 1, 2, 7 and 20 days → (2 + 7) / 2 = 4.5. The last one is still open: counted until now.
    for days in (1, 2, 7):
        journey_with(OrganizationFactory(), ("engage", 30), ("offer", 30 - days))
    journey_with(OrganizationFactory(), ("engage", 20))

    assert medians(administrator)["engage"] == pytest.approx(4.5)


def test_the_median_counts_hours_an_ended_journey_and_a_stay_in_progress(administrator):
    # Agree: 36 hours (moved on), 2.5 days (the journey ended), 4 days (still there) → 2.5 days.
    journey_with(OrganizationFactory(), ("agree", 10), ("onboard", 8.5))
    journey_with(OrganizationFactory(), ("agree", 6), ended_at=NOW - timedelta(days=3.5))
    journey_with(OrganizationFactory(), ("agree", 4))

    assert medians(administrator) == pytest.approx({"agree": 2.5, "onboard": 8.5})


def test_the_median_follows_a_move_once_refreshed(administrator):
    journey = journey_with(OrganizationFactory(), ("realize", 9))
    assert medians(administrator) == pytest.approx({"realize": 9.0})

    JourneyStepChange.objects.create(journey=journey, to_step="co_create", changed_at=NOW - timedelta(days=3))

    assert medians(administrator) == pytest.approx({"realize": 6.0, "co_create": 3.0})
