"""The bench's Realize rows at the tiny scale: the survey answers at the scale's count with about 1.3
invitations each (answered, expired, still open, left out for their reasons), a follow-up for every poor
answer, value reviews in every state, the value metrics computed after the seed; the pages the bench
measures; and the jobs figures (the value metrics recomputation against its raw SQL aggregates)."""

from collections import Counter
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Q
from django.test import Client
from django.test.utils import override_settings
from django.urls import NoReverseMatch

from agreements.models import Agreement
from dsv.bench import measure, report
from dsv.bench.measure import PAGES, Bench, metrics_raw_queries
from dsv.bench.seed import BENCH_MANAGER, SCALES, bench_counts, holds_scale
from dsv.bench.seed_realize import SCALES as REALIZE_SCALES
from realization.models import (
    FollowUp,
    FollowUpStatus,
    InvitationReason,
    InvitationStatus,
    SnapshotLevel,
    Survey,
    SurveyInvitation,
    SurveyResponse,
    ValueReview,
    ValueReviewStatus,
    ValueSnapshot,
)

TINY = REALIZE_SCALES["tiny"]
REALIZE_PAGES = ("value_dashboard", "account_value", "survey_list", "review_list")


@pytest.fixture
def seeded():
    call_command("bench_seed", "--scale", "tiny", stdout=StringIO())


@pytest.mark.django_db
def test_bench_seeds_survey_answers_invitations_and_follow_ups_in_proportion(seeded):
    responses = SurveyResponse.objects.select_related("invitation", "survey")

    assert responses.count() == TINY.responses == bench_counts()["survey_responses"]
    assert holds_scale(SCALES["tiny"])
    assert Survey.objects.count() == 4
    invitations = SurveyInvitation.objects.all()
    assert 1.25 * TINY.responses <= invitations.count() <= 1.35 * TINY.responses
    statuses = Counter(invitations.values_list("status", flat=True))
    assert statuses[InvitationStatus.RESPONDED] == TINY.responses
    assert statuses[InvitationStatus.EXPIRED] > 0 and statuses[InvitationStatus.NOT_INVITED] > 0
    left_out = set(invitations.filter(status=InvitationStatus.NOT_INVITED).values_list("reason", flat=True))
    assert {InvitationReason.COOLDOWN, InvitationReason.NO_CONSENT} <= left_out
    assert InvitationReason.INVITED not in left_out
    for response in responses:
        assert response.invitation.status == InvitationStatus.RESPONDED
        assert response.invitation.organization_id == response.organization_id
        assert response.survey_type == response.survey.survey_type
        low, high = response.survey.scale
        assert low <= response.score <= high
        assert response.invitation.sent_at <= response.answered_at
    # Every poor answer, and only those, has its follow-up: most done, the recent ones open.
    poor = responses.filter(
        Q(survey_type="nps", score__lte=6)
        | Q(survey_type="csat", score__lte=2)
        | Q(survey_type="ces", score__lte=3)
    )
    follow_ups = FollowUp.objects.all()
    assert set(follow_ups.values_list("response_id", flat=True)) == set(poor.values_list("pk", flat=True))
    assert {FollowUpStatus.OPEN, FollowUpStatus.DONE} <= set(follow_ups.values_list("status", flat=True))
    # A few value reviews, in proportion to the agreements, in every state but cancelled.
    reviews = ValueReview.objects.all()
    assert reviews.count() == Agreement.objects.count() // 20
    assert set(reviews.values_list("status", flat=True)) == set(ValueReviewStatus.values) - {"cancelled"}
    # The value metrics are computed from them.
    snapshots = ValueSnapshot.objects.filter(level=SnapshotLevel.ACCOUNT, step="")
    assert snapshots.exclude(health_score=None).exists()
    assert (
        sum(snapshots.values_list("nps_responses", flat=True)) == responses.filter(survey_type="nps").count()
    )


@pytest.mark.django_db
def test_the_realize_pages_are_measured_on_the_managers_portfolio_and_largest_account(seeded, monkeypatch):
    asked = {}

    def recording_reverse(name, args=None):
        asked[name] = list(args or [])
        raise NoReverseMatch(name)

    monkeypatch.setattr(measure, "reverse", recording_reverse)
    bench = Bench(requests=1, api_requests=1, log=lambda message: None)
    user = get_user_model().objects.get(username=BENCH_MANAGER)

    bench._pages(None, user)

    keys = {page.key: page.url_name for page in PAGES}
    assert keys["value_dashboard"] == "realization:value_dashboard"
    assert asked["realization:value_dashboard"] == []
    assert asked["realization:account_value"] == [bench._largest_account(user).pk]
    assert asked["realization:survey_list"] == [] and asked["realization:review_list"] == []


@pytest.mark.django_db
def test_the_realize_pages_answer_with_the_bench_data(seeded):
    bench = Bench(requests=1, api_requests=1, log=lambda message: None)
    user = get_user_model().objects.get(username=BENCH_MANAGER)

    with override_settings(**measure._bench_settings()):
        client = Client()
        client.force_login(user)
        bench._pages(client, user)

    for key in REALIZE_PAGES:
        assert key in bench.results.pages, bench.results.skipped.get(key)
        assert bench.results.pages[key]["queries"] <= 12


@pytest.mark.django_db
def test_the_jobs_time_the_value_metrics_against_their_raw_aggregates(seeded):
    bench = Bench(requests=1, api_requests=1, log=lambda message: None)
    before = ValueSnapshot.objects.count()

    bench._jobs()

    jobs = bench.results.jobs
    assert jobs["metrics_recompute_s"] > 0 and jobs["metrics_raw_sql_s"] > 0
    assert ValueSnapshot.objects.count() == before  # the rebuild replaces what it finds
    checks = report.check_budgets({"scale": "tiny", "database": "sqlite", "pages": {}, "jobs": jobs})
    assert any(check.label.startswith("value metrics recompute / raw SQL") for check in checks)
    # The raw aggregates read the same sources: every answer and every sent invitation counted once.
    answers, invitations, *_ = (list(query) for query in metrics_raw_queries())
    assert sum(row[4] for row in answers) == SurveyResponse.objects.count()
    assert sum(row[3] for row in invitations) == SurveyInvitation.objects.exclude(sent_at=None).count()
