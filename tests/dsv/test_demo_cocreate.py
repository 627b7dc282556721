"""The demo shows Co-create: requests of every kind and status with their clocks (most met, a few
breached, some close to their limit, some paused while waiting on the customer, one request reopened),
feedback at every stage of its handling, reviewed moments of truth, user communities with super-users,
and designed journey maps. Building it e-mails nobody and records no journey events; seeding again
changes nothing and the reset removes it all."""

from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone

from agreements.models import Breach, Measurement, MeasurementSource
from cocreation import selectors
from cocreation.models import (
    SUPER_USER_ROLES,
    ClockState,
    CommunityMember,
    Feedback,
    FeedbackKind,
    FeedbackStatus,
    MomentPolarity,
    MomentReview,
    RequestClock,
    RequestKind,
    RequestPause,
    RequestStatus,
    RequestUpdate,
    ServiceRequest,
    UserCommunity,
)
from dsv.demo import accounts
from dsv.demo.builder import demo_seed
from dsv.demo.cocreate import COMMUNITIES, FEEDBACK, JOURNEY_MAPS, REQUESTS, reset_cocreate, seed_cocreate
from journeys.models import JourneyEvent, JourneyMap, JourneyStep, MapVersion, Touchpoint

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(django_capture_on_commit_callbacks):
    # Notifications and the compliance recompute run after the commit: run them as `make run` would.
    with django_capture_on_commit_callbacks(execute=True):
        return demo_seed()


def demo_users() -> dict:
    return {user.username: user for user in get_user_model().objects.filter(username__in=accounts.DEMO_USERS)}


def test_requests_of_every_kind_and_status_with_breached_warning_and_paused_clocks(demo):
    users = demo_users()
    requests = list(ServiceRequest.objects.select_related("organization", "assignee"))

    assert demo.requests == len(requests) == len(REQUESTS)
    assert {request.kind for request in requests} == set(RequestKind.values)
    assert {request.status for request in requests} == set(RequestStatus.values)
    assert {request.priority for request in requests} >= {1, 2, 3, 4, 5}
    assigned = {request.assignee.username for request in requests if request.assignee}
    assert assigned <= {"desk", "manager", "manager2"} and "desk" in assigned
    assert any(request.assignee is None and request.status == RequestStatus.NEW for request in requests)
    assert any(request.touchpoint_id for request in requests)
    reopened = [request for request in requests if request.reopened_count]
    assert len(reopened) == 1 and reopened[0].status == RequestStatus.IN_PROGRESS
    for request in requests:
        history = list(request.updates.order_by("occurred_at", "id"))
        assert history[0].to_status == RequestStatus.NEW
        assert history[-1].to_status == request.status
        assert request.opened_at <= timezone.now()
        if request.status == RequestStatus.WAITING:
            assert RequestPause.objects.filter(request=request, ended_at__isnull=True).exists()

    # What the desk sees on the request list, clock by clock.
    desk = users["desk"]
    breached = list(selectors.request_list(user=desk, clock="breached"))
    warning = list(selectors.request_list(user=desk, clock="warning"))
    paused = list(selectors.request_list(user=desk, clock="paused"))
    assert 3 <= len(breached) <= 6
    assert any(request.is_open for request in breached) and any(not request.is_open for request in breached)
    assert len(warning) >= 2
    assert len(paused) >= 2
    assert all(request.status == RequestStatus.WAITING for request in paused)
    states = Counter(RequestClock.objects.values_list("state", flat=True))
    assert states[ClockState.MET] > states[ClockState.BREACHED] > 0
    assert states[ClockState.PAUSED] >= 2 and states[ClockState.WARNING] >= 2
    shown = selectors.with_clock_list(selectors.request_list(user=desk, status="open"))
    labels = [status.label for request in shown for status in request.clock_list]
    assert any(label.startswith("Breached") for label in labels)
    assert any(label.startswith("Paused") for label in labels)


def test_breaches_are_measured_and_nobody_is_e_mailed(demo):
    breached = RequestClock.objects.filter(breached_at__isnull=False)

    assert breached.exists()
    assert not breached.filter(breach_notified_at__isnull=True).exists()
    assert (
        not RequestClock.objects.filter(warning_at__lte=timezone.now(), warning_notified_at__isnull=True)
        .filter(stopped_at__isnull=True)
        .exists()
    )
    measured = Measurement.objects.filter(source=MeasurementSource.SYSTEM, source_id__startswith="request-")
    assert measured.filter(value=0).count() == breached.exclude(target__isnull=True).count()
    assert measured.filter(value=100).exists()
    assert not Breach.objects.filter(notified_at__isnull=True).exists()
    assert mail.outbox == []
    assert not JourneyEvent.objects.exists()


def test_feedback_reviews_communities_and_journey_maps(demo):
    feedback = list(Feedback.objects.select_related("touchpoint", "stakeholder"))
    assert len(feedback) == len(FEEDBACK)
    assert {item.status for item in feedback} == set(FeedbackStatus.values)
    assert {item.kind for item in feedback} == set(FeedbackKind.values)
    for item in feedback:
        assert item.touchpoint.organization_id == item.organization_id
        assert item.touchpoint.sentiment == item.sentiment
        if item.anonymous:
            assert item.stakeholder is None and item.touchpoint.stakeholder is None
        if item.status in (FeedbackStatus.RESPONDED, FeedbackStatus.CLOSED):
            assert item.response and item.responded_at
        if item.status != FeedbackStatus.RECEIVED:
            assert item.acknowledged_by is not None
    assert any(item.anonymous for item in feedback)
    assert any(item.request_id for item in feedback)

    reviews = list(MomentReview.objects.select_related("touchpoint"))
    assert all(review.touchpoint.moment_of_truth for review in reviews)
    kinds = {(review.polarity, review.recovered) for review in reviews}
    assert {
        (MomentPolarity.POSITIVE, None),
        (MomentPolarity.NEGATIVE, True),
        (MomentPolarity.NEGATIVE, False),
    } <= kinds

    assert UserCommunity.objects.count() == len(COMMUNITIES)
    super_users = CommunityMember.objects.filter(role__in=SUPER_USER_ROLES)
    assert super_users.count() >= 3
    assert super_users.filter(backup__isnull=True).count() == 1
    for member in super_users.exclude(backup__isnull=True):
        assert member.backup.community_id == member.community_id and member.backup_id != member.pk
        assert member.activities and member.time_allocation_pct
    for community in UserCommunity.objects.all():
        assert community.members.count() >= 2

    maps = list(JourneyMap.objects.select_related("based_on").prefetch_related("stages", "service_offerings"))
    assert len(maps) == 2 * len(JOURNEY_MAPS)
    for journey_map in maps:
        assert {stage.step for stage in journey_map.stages.all()} == set(JourneyStep.values)
        if journey_map.version == MapVersion.TO_BE:
            assert journey_map.based_on.version == MapVersion.AS_IS
            assert journey_map.based_on.persona_id == journey_map.persona_id
            assert journey_map.service_offerings.exists()
    stages = [stage for journey_map in maps for stage in journey_map.stages.all()]
    assert {stage.expected_emotion for stage in stages} >= {-2, -1, 0, 1, 2}
    assert all(stage.channels for stage in stages)
    assert any(stage.pain_points for stage in stages) and any(stage.opportunities for stage in stages)
    assert any(stage.front_stage and stage.back_stage for stage in stages)


def test_seeding_again_changes_nothing_and_reset_removes_it_all(demo, django_capture_on_commit_callbacks):
    users = demo_users()

    def rows():
        return {
            "requests": Counter(ServiceRequest.objects.values_list("kind", "status")),
            "clocks": Counter(RequestClock.objects.values_list("kind", "state")),
            "updates": RequestUpdate.objects.count(),
            "feedback": Counter(Feedback.objects.values_list("kind", "status")),
            "reviews": MomentReview.objects.count(),
            "communities": CommunityMember.objects.count(),
            "maps": JourneyMap.objects.count(),
            "touchpoints": Touchpoint.objects.count(),
            "measurements": Measurement.objects.count(),
        }

    before = rows()
    with django_capture_on_commit_callbacks(execute=True):
        result = seed_cocreate(users=users, now=timezone.now())

    assert result.requests == demo.requests
    assert rows() == before
    assert mail.outbox == []

    reset_cocreate()
    after = rows()
    assert not any(
        after[key] for key in ("requests", "clocks", "updates", "feedback", "reviews", "communities")
    )
    assert after["maps"] == 0
    assert after["touchpoints"] == before["touchpoints"] - len(FEEDBACK) - sum(
        spec.logged for spec in REQUESTS
    )
    assert not Measurement.objects.filter(source_id__startswith="request-").exists()
