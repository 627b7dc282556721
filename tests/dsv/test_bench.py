"""The benchmark harness at a tiny scale: what it seeds, what it refuses, and the file it writes. Timing
itself is never asserted (BENCH.md): only that the figures are there, in the documented shape."""

import itertools
import json
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db.models import Count, F
from django.urls import NoReverseMatch
from django.utils import timezone

from dsv.bench import measure
from dsv.bench.measure import PAGES, Bench
from dsv.bench.seed import BENCH_MANAGER, SCALES, bench_counts
from journeys.models import (
    Journey,
    JourneyStep,
    JourneyStepChange,
    Organization,
    OrganizationKind,
    Stakeholder,
    Touchpoint,
)
from offerings.models import BusinessCase, OfferingJourney, Requirement, ServiceOffering
from onboarding.models import (
    ActionComment,
    ActionStatus,
    OnboardingPlan,
    PlanAction,
    PlanGoal,
    PlanKind,
    PlanStatus,
)
from tests.factories.journeys import OrganizationFactory

TINY = SCALES["tiny"]


def seed_tiny(*extra):
    call_command("bench_seed", "--scale", "tiny", *extra, stdout=StringIO())


@pytest.mark.django_db
def test_bench_seed_creates_the_counts_of_the_scale():
    seed_tiny()

    assert Organization.objects.count() == TINY.organizations
    assert Stakeholder.objects.count() == TINY.stakeholders
    assert Touchpoint.objects.count() == TINY.touchpoints
    consumers = Organization.objects.filter(kind=OrganizationKind.CONSUMER)
    assert not consumers.annotate(journeys_count=Count("journeys")).filter(journeys_count=0).exists()
    assert consumers.filter(owner__username=BENCH_MANAGER).exists()


@pytest.mark.django_db
def test_bench_journeys_have_a_history_that_ends_in_their_current_step():
    seed_tiny()

    for journey in Journey.objects.prefetch_related("step_changes"):
        changes = list(journey.step_changes.all())
        assert changes[0].to_step == JourneyStep.EXPLORE
        assert changes[0].from_step == ""
        assert changes[-1].to_step == journey.current_step
        assert changes[-1].changed_at == journey.step_entered_at


@pytest.mark.django_db
def test_bench_touchpoints_are_logged_in_a_step_their_journey_had_reached():
    seed_tiny()

    reached = {}
    for change in JourneyStepChange.objects.all():
        reached.setdefault(change.journey_id, set()).add(change.to_step)
    for journey_id, step in Touchpoint.objects.values_list("journey_id", "step"):
        assert step in reached[journey_id]


@pytest.mark.django_db
def test_bench_seed_refuses_a_database_that_holds_other_organizations():
    OrganizationFactory(name="Somebody's real account")

    with pytest.raises(CommandError, match="--force"):
        seed_tiny()

    assert Organization.objects.count() == 1


@pytest.mark.django_db
def test_bench_seed_with_force_wipes_the_spine_first():
    OrganizationFactory(name="Somebody's real account")

    seed_tiny("--force")

    assert not Organization.objects.filter(name="Somebody's real account").exists()
    assert Organization.objects.count() == TINY.organizations


@pytest.mark.django_db
def test_bench_writes_the_documented_json(tmp_path):
    output = tmp_path / "bench.json"

    call_command(
        "bench",
        "--scale", "tiny",
        "--requests", "3",
        "--api-requests", "5",
        "--output", str(output),
        "--report-only",
        stdout=StringIO(),
    )  # fmt: skip

    report = json.loads(output.read_text())
    assert report["scale"] == "tiny"
    assert report["database"] in {"sqlite", "postgresql"}
    assert report["seed_seconds"] > 0
    assert report["counts"]["organizations"] == TINY.organizations
    assert report["counts"]["touchpoints"] == TINY.touchpoints
    assert set(report["floor_page"]) == {"p50_ms", "p95_ms"}
    assert report["floor_page"]["p50_ms"] <= report["floor_page"]["p95_ms"]
    for page in report.get("pages", {}).values():  # pages still being written are left out, not faked
        assert set(page) == {"url", "queries", "p50_ms", "p95_ms"}
        assert page["queries"] > 0
    assert set(report.get("api", {})) <= {"touchpoint_create_rps", "floor_insert_rps"}
    # What the API part inserted is removed, so the next run still recognises the scale.
    assert Touchpoint.objects.count() == TINY.touchpoints
    assert (tmp_path / "bench-tiny.json").exists()


@pytest.mark.django_db
def test_bench_does_not_reseed_data_of_the_same_scale(tmp_path):
    seed_tiny()
    first_ids = set(Organization.objects.values_list("pk", flat=True))
    output = tmp_path / "bench.json"

    call_command(
        "bench", "--scale", "tiny", "--requests", "1", "--api-requests", "1", "--output", str(output),
        "--report-only", stdout=StringIO(),
    )  # fmt: skip

    assert json.loads(output.read_text())["seed_seconds"] is None
    assert set(Organization.objects.values_list("pk", flat=True)) == first_ids


@pytest.mark.django_db
def test_bench_times_each_page_request_right_after_a_floor_request(monkeypatch):
    seed_tiny()
    asked = []
    original = Bench._get

    def recording_get(self, client, url):
        asked.append(url)
        return original(self, client, url)

    monkeypatch.setattr(Bench, "_get", recording_get)

    results = Bench(requests=2, api_requests=1, log=lambda message: None).run()

    floor = "/_bench/floor/"
    pages = [page["url"] for page in results.pages.values()]
    assert pages, "the tiny data set has pages to measure"
    for url in pages:
        # 3 warm-ups, then floor and page in turn for each timed request.
        timed = [position for position, asked_url in enumerate(asked) if asked_url == url][-2:]
        assert all(asked[position - 1] == floor for position in timed)
    # The floor's figures pool its own run and the requests between pages: 2 + 2 per page.
    assert asked.count(floor) == 3 + 2 + 2 * len(pages)


@pytest.mark.django_db
def test_bench_seeds_the_offer_step_in_proportion_to_the_accounts():
    seed_tiny()

    assert ServiceOffering.objects.filter(status="published").exists()
    assert OfferingJourney.objects.count() == Journey.objects.count()
    busiest = (
        Organization.objects.filter(kind=OrganizationKind.CONSUMER)
        .annotate(volume=Count("touchpoints"))
        .order_by("-volume")
        .first()
    )
    assert Requirement.objects.filter(organization=busiest).count() > Requirement.objects.count() / (
        TINY.organizations
    )
    # Every business case lineage has exactly one approved baseline, and versions follow each other.
    for lineage in BusinessCase.objects.values_list("lineage", flat=True).distinct():
        versions = list(BusinessCase.objects.filter(lineage=lineage).order_by("version"))
        assert [case.is_baseline for case in versions].count(True) == 1
        assert all(case.previous_version_id == before.pk for before, case in itertools.pairwise(versions))
        assert all(case.benefit_lines.exists() for case in versions)


@pytest.mark.django_db
def test_bench_seeds_onboarding_plans_with_a_large_one_for_the_bench_manager():
    seed_tiny()

    assert OnboardingPlan.objects.count() == TINY.plans
    assert bench_counts()["plans"] == TINY.plans
    assert set(OnboardingPlan.objects.values_list("kind", flat=True)) == set(PlanKind.values)
    assert len(set(OnboardingPlan.objects.values_list("status", flat=True))) >= 4
    goals = OnboardingPlan.objects.annotate(goal_count=Count("goals")).values_list("goal_count", flat=True)
    assert min(goals) >= 2 and max(goals) <= 4
    assert PlanAction.objects.count() >= 12 * TINY.plans
    assert ActionComment.objects.exists()
    # Done actions never wait for open ones; actions are due within their plan.
    for action in PlanAction.objects.filter(status=ActionStatus.DONE).prefetch_related("depends_on"):
        assert all(other.status == ActionStatus.DONE for other in action.depends_on.all())
    assert not PlanAction.objects.filter(due_on__lt=F("plan__starts_on")).exists()
    # The plan page the bench measures: the bench manager's largest, under way, a week behind.
    manager = get_user_model().objects.get(username=BENCH_MANAGER)
    plan = Bench(requests=1, api_requests=1, log=lambda message: None)._largest_plan(manager)
    assert plan.actions.count() == TINY.largest_plan_actions
    assert plan.status == PlanStatus.IN_PROGRESS
    today = timezone.localdate()
    assert plan.actions.filter(due_on__lt=today).exclude(status=ActionStatus.DONE).exists()
    assert plan.actions.filter(
        owner_party="consumer", owner_stakeholder__organization=plan.organization
    ).exists()
    assert plan.actions.filter(dependency_links__isnull=False).exists()
    assert PlanGoal.objects.filter(plan=plan).exists()


@pytest.mark.django_db
def test_the_onboarding_pages_are_measured_on_the_largest_plan_and_the_board(monkeypatch):
    seed_tiny()
    asked = {}

    def recording_reverse(name, args=None):
        asked[name] = list(args or [])
        raise NoReverseMatch(name)  # only the arguments matter here, not whether the page exists yet

    monkeypatch.setattr(measure, "reverse", recording_reverse)
    bench = Bench(requests=1, api_requests=1, log=lambda message: None)
    user = get_user_model().objects.get(username=BENCH_MANAGER)

    bench._pages(None, user)

    keys = {page.key: page for page in PAGES}
    assert keys["onboarding_plan"].url_name == "onboarding:plan_detail"
    assert asked["onboarding:plan_detail"] == [bench._largest_plan(user).pk]
    assert asked["onboarding:board"] == []
    assert "onboarding_plan" in bench.results.skipped
    assert "no URL named" in bench.results.skipped["onboarding_plan"]
