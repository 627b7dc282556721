"""The demo shows Offer: a catalogue whose published offerings are complete (but for one gap the page
can point out), business cases in every state with one baseline per lineage, playbooks whose
dependencies make sense, ranked requirement boards and a pipeline in every stage. Seeding again
changes nothing."""

from collections import Counter, defaultdict

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Count
from django.utils import timezone

from dsv.demo import accounts
from dsv.demo.builder import demo_seed
from dsv.demo.offer import GATEWAYS, PUBLIC, reset_offer, seed_offer
from journeys.models import Journey
from offerings.dependencies import find_cycle
from offerings.models import (
    Assumption,
    BenefitLine,
    BusinessCase,
    BusinessCasePerspective,
    BusinessCaseRisk,
    BusinessCaseStatus,
    CostLine,
    DemandProfile,
    DemandProfileCell,
    EngagementTier,
    MoscowCategory,
    OfferingComponent,
    OfferingComponentKind,
    OfferingJourney,
    OfferingStatus,
    OnboardingPlaybook,
    Opportunity,
    OpportunityStage,
    OwnerParty,
    PlaybookAction,
    PlaybookActionDependency,
    Requirement,
    Service,
    ServiceOffering,
    ValueProposition,
)

pytestmark = pytest.mark.django_db

OFFER_MODELS = (
    Service,
    ServiceOffering,
    OfferingComponent,
    EngagementTier,
    ValueProposition,
    OfferingJourney,
    Requirement,
    Opportunity,
    BusinessCase,
    CostLine,
    BenefitLine,
    BusinessCaseRisk,
    Assumption,
    OnboardingPlaybook,
    PlaybookAction,
    PlaybookActionDependency,
    DemandProfile,
    DemandProfileCell,
)
WITH_HISTORY = (ServiceOffering, Requirement, Opportunity, BusinessCase)


@pytest.fixture
def demo():
    return demo_seed()


def test_published_offerings_have_every_kind_of_component_and_a_proposition_with_one_gap(demo):
    offerings = list(
        ServiceOffering.objects.prefetch_related("components", "value_propositions", "target_segments")
    )

    assert demo.offerings == len(offerings)
    assert {offering.status for offering in offerings} == set(OfferingStatus.values)
    gaps = []
    for offering in (offering for offering in offerings if offering.is_published):
        assert {component.kind for component in offering.components.all()} == set(
            OfferingComponentKind.values
        )
        propositions = list(offering.value_propositions.all())
        assert propositions, offering
        assert all(proposition.advantage_over_competitors for proposition in propositions)
        covered = {proposition.segment_id for proposition in propositions}
        gaps.extend(
            (offering.name, segment.name)
            for segment in offering.target_segments.all()
            if segment.pk not in covered
        )
    assert gaps == [(GATEWAYS, PUBLIC)]
    assert not Journey.objects.filter(offering_links__isnull=True).exists()


def test_each_lineage_has_at_most_one_baseline_and_approved_versions_have_benefits(demo):
    cases = list(BusinessCase.objects.prefetch_related("cost_lines", "benefit_lines", "risks"))
    lineages = defaultdict(list)
    for case in sorted(cases, key=lambda case: case.version):
        lineages[case.lineage].append(case)

    for versions in lineages.values():
        assert [case.version for case in versions] == list(range(1, len(versions) + 1))
        baselines = [case for case in versions if case.is_baseline]
        assert len(baselines) == (
            1 if any(case.status == BusinessCaseStatus.APPROVED for case in versions) else 0
        )
        for baseline in baselines:
            assert baseline.status == BusinessCaseStatus.APPROVED
            assert baseline.approved_by is not None and baseline.approved_at is not None
    for case in cases:
        if case.status == BusinessCaseStatus.APPROVED:
            assert case.benefit_lines.all(), case
    # Something for every part of the page: a baseline with a newer draft, every status, both
    # perspectives, and figures that are good news and bad.
    assert any(
        [(case.status, case.is_baseline) for case in versions]
        == [(BusinessCaseStatus.APPROVED, True), (BusinessCaseStatus.DRAFT, False)]
        for versions in lineages.values()
    )
    assert {case.status for case in cases} == set(BusinessCaseStatus.values)
    assert {case.perspective for case in cases} == set(BusinessCasePerspective.values)
    assert {case.figures().is_positive for case in cases} == {True, False}


def test_playbook_dependencies_stay_in_their_playbook_and_never_go_round(demo):
    edges = defaultdict(list)
    for dependency in PlaybookActionDependency.objects.select_related("action", "depends_on"):
        assert dependency.action.playbook_id == dependency.depends_on.playbook_id
        assert dependency.depends_on.due_after_days <= dependency.action.due_after_days
        edges[dependency.action.playbook_id].append((dependency.action_id, dependency.depends_on_id))

    playbooks = OnboardingPlaybook.objects.annotate(actions_count=Count("actions"))
    assert playbooks
    for playbook in playbooks:
        assert 6 <= playbook.actions_count <= 10
        assert edges[playbook.pk]
        assert find_cycle(edges[playbook.pk]) is None
    assert set(PlaybookAction.objects.values_list("owner_party", flat=True)) == set(OwnerParty.values)


def test_requirement_boards_are_densely_ranked_and_the_pipeline_has_every_stage(demo):
    requirements = list(Requirement.objects.all())
    columns = defaultdict(list)
    for requirement in requirements:
        columns[(requirement.organization_id, requirement.moscow)].append(requirement.rank)

    for ranks in columns.values():
        assert sorted(ranks) == list(range(1, len(ranks) + 1))
    boards = Counter(requirement.organization_id for requirement in requirements)
    assert sum(15 <= size <= 30 for size in boards.values()) >= 2
    assert {requirement.moscow for requirement in requirements} == {*MoscowCategory.values, ""}
    assert {requirement.is_scored for requirement in requirements} == {True, False}
    # A few stories far enough along to be tested still fail INVEST, as real ones do.
    assert any(
        requirement.acceptance_criteria and not requirement.invest.passed for requirement in requirements
    )

    opportunities = list(Opportunity.objects.all())
    assert {opportunity.stage for opportunity in opportunities} == set(OpportunityStage.values)
    assert all(
        opportunity.lost_reason for opportunity in opportunities if opportunity.stage == OpportunityStage.LOST
    )


def test_seeding_again_leaves_the_same_counts_and_the_reset_leaves_nothing(demo):
    def counts():
        return {model.__name__: model.objects.count() for model in OFFER_MODELS} | {
            f"{model.__name__} history": model.history.count() for model in WITH_HISTORY
        }

    before = counts()
    users = {
        user.username: user for user in get_user_model().objects.filter(username__in=accounts.DEMO_USERS)
    }

    assert seed_offer(users=users, now=timezone.now()) == demo.offerings
    assert counts() == before
    reset_offer()
    assert not any(counts().values())
