"""The bench's Co-create rows at the tiny scale: requests in proportion, most closed and a few open,
each with its history and pauses, clocks that agree with their request (a few breached, the waiting
ones paused, past notifications recorded as sent), feedback in every state on the account's feedback
touchpoints, moment reviews and communities with super-users; and the pages the bench measures."""

from collections import Counter
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Count, F
from django.urls import NoReverseMatch

from cocreation.models import (
    OPEN_REQUEST_STATUSES,
    SUPER_USER_ROLES,
    ClockState,
    CommunityMember,
    Feedback,
    FeedbackStatus,
    MomentPolarity,
    MomentReview,
    RequestClock,
    RequestPause,
    RequestStatus,
    ServiceRequest,
    UserCommunity,
)
from dsv.bench import measure
from dsv.bench.measure import PAGES, Bench
from dsv.bench.seed import BENCH_MANAGER, SCALES, bench_counts, holds_scale
from dsv.bench.seed_cocreate import SCALES as COCREATE_SCALES

TINY = COCREATE_SCALES["tiny"]


@pytest.fixture
def seeded():
    call_command("bench_seed", "--scale", "tiny", stdout=StringIO())


@pytest.mark.django_db
def test_bench_seeds_requests_in_proportion_with_history_pauses_and_clocks(seeded):
    requests = ServiceRequest.objects.all()

    assert requests.count() == TINY.requests == bench_counts()["requests"]
    assert holds_scale(SCALES["tiny"])
    statuses = Counter(requests.values_list("status", flat=True))
    assert set(statuses) == set(RequestStatus.values)
    open_count = sum(statuses[status] for status in OPEN_REQUEST_STATUSES)
    assert 0 < open_count < TINY.requests * 0.12
    assert statuses[RequestStatus.CLOSED] > TINY.requests / 2
    # Every request's history starts as new and ends where the request is.
    for request in requests.prefetch_related("updates"):
        history = sorted(request.updates.all(), key=lambda update: (update.occurred_at, update.pk))
        assert history[0].to_status == RequestStatus.NEW
        assert history[-1].to_status == request.status
    waiting = requests.filter(status=RequestStatus.WAITING)
    assert waiting.count() == RequestPause.objects.filter(request__in=waiting, ended_at__isnull=True).count()
    assert (
        not RequestPause.objects.exclude(ended_at__isnull=True).filter(ended_at__lt=F("started_at")).exists()
    )

    clocks = RequestClock.objects.all()
    assert clocks.count() > TINY.requests
    assert clocks.filter(target__isnull=False).exists()
    states = Counter(clocks.values_list("state", flat=True))
    assert states[ClockState.MET] > states[ClockState.BREACHED] > 0
    assert states[ClockState.BREACHED] < clocks.count() * 0.1
    # Clocks agree with their request: a waiting request's resolution clock is paused (or breached),
    # a closed request's clocks have stopped, a breach was notified when it fell due.
    for clock in clocks.filter(kind="resolution", request__status=RequestStatus.WAITING):
        assert clock.state in (ClockState.PAUSED, ClockState.BREACHED)
        assert (clock.due_at is None) == (clock.state == ClockState.PAUSED)
    assert not clocks.filter(request__status=RequestStatus.CLOSED, stopped_at__isnull=True).exists()
    assert not clocks.filter(breached_at__isnull=False, breach_notified_at__isnull=True).exists()
    assert (
        not clocks.filter(state=ClockState.BREACHED).exclude(elapsed_seconds__gt=F("limit_seconds")).exists()
    )


@pytest.mark.django_db
def test_bench_seeds_feedback_reviews_and_communities(seeded):
    feedback = Feedback.objects.select_related("touchpoint")

    assert feedback.count() == TINY.feedback
    assert set(feedback.values_list("status", flat=True)) == set(FeedbackStatus.values)
    for item in feedback:
        assert item.touchpoint.organization_id == item.organization_id
        assert item.sentiment == item.touchpoint.sentiment
        assert not (item.anonymous and item.stakeholder_id)
    reviews = MomentReview.objects.select_related("touchpoint")
    assert reviews.count() == TINY.reviews
    assert all(review.touchpoint.moment_of_truth for review in reviews)
    assert not reviews.filter(polarity=MomentPolarity.POSITIVE, recovered__isnull=False).exists()

    assert UserCommunity.objects.count() == TINY.communities
    members = CommunityMember.objects.all()
    assert members.count() >= TINY.communities * 2
    assert not UserCommunity.objects.annotate(size=Count("members")).filter(size=0).exists()
    super_users = members.filter(role__in=SUPER_USER_ROLES)
    assert super_users.exists() and super_users.filter(backup__isnull=False).exists()
    for member in super_users.exclude(backup__isnull=True).select_related("backup"):
        assert member.backup.community_id == member.community_id
        assert member.activities and member.time_allocation_pct
    assert not members.exclude(role__in=SUPER_USER_ROLES).exclude(activities=[]).exists()


@pytest.mark.django_db
def test_the_request_pages_are_measured_on_the_managers_longest_request(seeded, monkeypatch):
    asked = {}

    def recording_reverse(name, args=None):
        asked[name] = list(args or [])
        raise NoReverseMatch(name)

    monkeypatch.setattr(measure, "reverse", recording_reverse)
    bench = Bench(requests=1, api_requests=1, log=lambda message: None)
    user = get_user_model().objects.get(username=BENCH_MANAGER)

    bench._pages(None, user)

    keys = {page.key: page for page in PAGES}
    assert keys["request_list"].url_name == "cocreation:request_list"
    assert keys["console_search"].query.startswith("q=")
    request = bench._largest_request(user)
    assert request.organization.owner == user
    # The manager's featured account has requests in every status.
    featured = ServiceRequest.objects.filter(organization=request.organization)
    assert set(featured.values_list("status", flat=True)) == set(RequestStatus.values)
    if RequestClock.objects.filter(request__organization__owner=user).exists():
        assert request.clocks.exists()
    assert asked["cocreation:request_detail"] == [request.pk]
    assert asked["cocreation:request_list"] == []


@pytest.mark.django_db
def test_the_request_and_console_pages_answer_with_the_bench_data(seeded):
    results = Bench(requests=1, api_requests=1, log=lambda message: None)
    user = get_user_model().objects.get(username=BENCH_MANAGER)
    from django.test import Client
    from django.test.utils import override_settings

    with override_settings(**measure._bench_settings()):
        client = Client()
        client.force_login(user)
        results._pages(client, user)

    for key in ("request_list", "request_detail", "console_search"):
        assert key in results.results.pages, results.results.skipped.get(key)
        assert results.results.pages[key]["queries"] <= 12
