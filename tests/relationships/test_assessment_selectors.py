"""The assessment figures as the selectors compute them, checked by hand: the trust index, the
cumulative maturity levels and their gap, the readiness rules; the assessment plan per relationship
type; and the constant number of queries each read costs."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.http import Http404
from django.utils import timezone

from journeys import roles
from relationships import selectors
from relationships.models import AssessmentDirection, AssessmentKind, RelationshipType
from relationships.questionnaires import Relevance
from relationships.selectors import PlanStatus
from tests.factories.assessments import AssessmentFactory, ServiceRelationshipFactory, record
from tests.factories.journeys import OrganizationFactory

pytestmark = pytest.mark.django_db

TRUST, MATURITY = AssessmentKind.TRUST, AssessmentKind.MATURITY
COLLABORATION, CHANGE = AssessmentKind.COLLABORATION_READINESS, AssessmentKind.CHANGE_READINESS
OF_PROVIDER, OF_CONSUMER = AssessmentDirection.PROVIDER_BY_CONSUMER, AssessmentDirection.CONSUMER_BY_PROVIDER


def means(result) -> dict[str, Decimal]:
    return {figure.code: figure.rounded for figure in result.factors}


# --- trust ----------------------------------------------------------------------------------------


def test_the_trust_index_is_the_mean_of_the_three_factor_means_not_of_all_items(owner, account):
    # Consumer side: capability has one item, commitment four, consistency two.
    assessment = record(
        actor=owner,
        organization=account,
        kind=TRUST,
        direction=OF_CONSUMER,
        consumer_agility=2,  # capability 2.00
        consumer_shared_goals=5,
        consumer_honesty=5,
        consumer_explains_changes=4,
        consumer_open_dialogue=4,  # commitment 4.50
        consumer_listens_first=3,
        consumer_shares_information=4,  # consistency 3.50
    )

    result = selectors.assessment_result(assessment=assessment)

    assert means(result) == {
        "capability": Decimal("2.00"),
        "commitment": Decimal("4.50"),
        "consistency": Decimal("3.50"),
    }
    assert result.score == Decimal("3.33")  # (2 + 4.5 + 3.5) / 3; the mean of all 7 items would be 3.86
    assert [figure.items for figure in result.factors] == [1, 4, 2]


# --- maturity -------------------------------------------------------------------------------------


def test_each_side_reaches_the_highest_level_whose_characteristics_and_those_below_are_all_met(
    owner, account
):
    assessment = record(actor=owner, organization=account, kind=MATURITY, demand_innovation_growth=0)

    result = selectors.assessment_result(assessment=assessment)

    assert (result.consumer_level, result.provider_level) == (2, 3)
    assert result.score == 2
    assert result.gap == 1
    assert result.gap_warning
    assert result.overall_level_label == "Cooperative relationship"


def test_a_level_met_above_an_unmet_one_does_not_count(owner, account):
    assessment = record(
        actor=owner,
        organization=account,
        kind=MATURITY,
        demand_enterprise_systems=0,  # consumer: basic and partnership complete, cooperative not → 1
        supply_stability=0,  # provider: basic incomplete, the rest complete → 0
    )

    result = selectors.assessment_result(assessment=assessment)

    assert (result.consumer_level, result.provider_level, result.score) == (1, 0, 0)
    assert result.provider_level_label == "Below basic"
    assert [figure.all_met for figure in result.side("consumer")] == [True, False, True]
    assert result.gap_warning


def test_sides_at_the_same_level_give_no_gap_warning(owner, account):
    assessment = record(
        actor=owner,
        organization=account,
        kind=MATURITY,
        demand_market_intelligence=0,
        supply_standard_interfaces=0,
    )

    result = selectors.assessment_result(assessment=assessment)

    assert (result.consumer_level, result.provider_level, result.gap) == (2, 2, 0)
    assert not result.gap_warning


def test_nothing_met_is_below_basic_on_both_sides(owner, account):
    result = selectors.assessment_result(
        assessment=record(actor=owner, organization=account, kind=MATURITY, value=0)
    )

    assert (result.consumer_level, result.provider_level, result.score) == (0, 0, 0)


# --- readiness ------------------------------------------------------------------------------------


def test_readiness_to_collaborate_needs_every_factor_at_four_or_more_and_names_those_below(owner, account):
    assessment = record(
        actor=owner,
        organization=account,
        kind=COLLABORATION,
        trust_capability_seen=5,  # initial trust (5 + 4 + 4) / 3 = 4.33
        stakeholder_map_current=3,  # engaged stakeholders (4 + 4 + 3) / 3 = 3.67
        # organizational basis: all 4 → exactly 4.00, which counts as ready
    )

    result = selectors.assessment_result(assessment=assessment)

    assert means(result) == {
        "initial_trust": Decimal("4.33"),
        "stakeholder_engagement": Decimal("3.67"),
        "organizational_basis": Decimal("4.00"),
    }
    assert not result.is_ready
    assert [figure.code for figure in result.not_ready] == ["stakeholder_engagement"]
    assert result.ready_count == 2
    assert result.score == Decimal("4.00")


def test_readiness_to_collaborate_is_ready_when_all_factors_are_green(owner, account):
    result = selectors.assessment_result(
        assessment=record(actor=owner, organization=account, kind=COLLABORATION)
    )

    assert result.is_ready
    assert result.not_ready == []


def test_readiness_for_change_averages_the_factors_and_names_the_weakest(owner, account):
    assessment = record(
        actor=owner,
        organization=account,
        kind=CHANGE,
        vision_clear=5,  # clear objectives (5 + 4) / 2 = 4.5
        sponsors_respected=3,
        management_trusted=3,
        lateral_leaders=3,  # strong leadership 3
        contributors_rewarded=2,  # willing participants (2 + 4) / 2 = 3
        # sustained improvement: 4
    )

    result = selectors.assessment_result(assessment=assessment)

    assert result.score == Decimal("3.63")  # (4.5 + 3 + 3 + 4) / 4 = 3.625
    assert [figure.code for figure in result.weakest] == ["strong_leadership", "willing_participants"]


# --- reading and history --------------------------------------------------------------------------


def test_an_outsider_cannot_read_an_assessment_or_the_history(owner, outsider, account):
    assessment = record(actor=owner, organization=account, kind=MATURITY)

    with pytest.raises(Http404):
        selectors.assessment_get(user=outsider, pk=assessment.pk)
    with pytest.raises(Http404):
        selectors.assessment_history(user=outsider, organization=account)
    with pytest.raises(Http404):
        selectors.assessment_plan(user=outsider, organization=account)
    assert selectors.assessment_get(user=owner, pk=assessment.pk) == assessment


def test_the_history_lists_stored_scores_oldest_first_filtered_by_kind_and_direction(owner, account):
    today = timezone.localdate()
    relationship = ServiceRelationshipFactory(organization=account)
    AssessmentFactory(relationship=relationship, kind=TRUST, assessed_on=today - timedelta(days=90), score=3)
    AssessmentFactory(relationship=relationship, kind=TRUST, assessed_on=today - timedelta(days=300), score=2)
    AssessmentFactory(relationship=relationship, kind=TRUST, direction=OF_CONSUMER, score=5)
    AssessmentFactory(relationship=relationship, kind=CHANGE, score=4)

    history = selectors.assessment_history(
        user=owner, organization=account, kind=TRUST, direction=OF_PROVIDER
    )

    assert [(point.assessed_on, point.score) for point in history] == [
        (today - timedelta(days=300), Decimal(2)),
        (today - timedelta(days=90), Decimal(3)),
    ]
    assert len(selectors.assessment_history(user=owner, organization=account)) == 4


# --- the plan -------------------------------------------------------------------------------------


def statuses(plan) -> dict[str, str]:
    return {entry.kind: entry.status for entry in plan.entries}


def test_an_account_without_a_relationship_counts_as_basic_and_misses_its_maturity_assessment(owner, account):
    plan = selectors.assessment_plan(user=owner, organization=account)

    assert plan.relationship_type == RelationshipType.BASIC
    assert not plan.has_relationship
    assert statuses(plan) == {
        TRUST: PlanStatus.OPTIONAL,
        MATURITY: PlanStatus.MISSING,
        COLLABORATION: PlanStatus.HIDDEN,
        CHANGE: PlanStatus.HIDDEN,
    }
    assert [entry.kind for entry in plan.to_do] == [MATURITY]
    assert [entry.kind for entry in plan.visible_entries] == [TRUST, MATURITY]
    assert plan.can_record


def test_a_cooperative_relationship_shows_missing_directions_and_stale_assessments(owner, analyst, account):
    today = timezone.localdate()
    relationship = ServiceRelationshipFactory(organization=account, current_type=RelationshipType.COOPERATIVE)
    AssessmentFactory(relationship=relationship, kind=TRUST, assessed_on=today - timedelta(days=400), score=2)
    latest_trust = AssessmentFactory(
        relationship=relationship, kind=TRUST, assessed_on=today - timedelta(days=20)
    )
    AssessmentFactory(
        relationship=relationship, kind=MATURITY, score=1, assessed_on=today - timedelta(days=10)
    )
    AssessmentFactory(relationship=relationship, kind=CHANGE, assessed_on=today - timedelta(days=366))

    plan = selectors.assessment_plan(user=owner, organization=account)

    assert {entry.relevance for entry in plan.entries} == {Relevance.MODERATE}
    assert statuses(plan) == {
        TRUST: PlanStatus.MISSING,
        MATURITY: PlanStatus.DONE,
        COLLABORATION: PlanStatus.MISSING,
        CHANGE: PlanStatus.STALE,
    }
    trust = plan.entry(TRUST)
    assert trust.missing_directions == [OF_CONSUMER]
    assert trust.latest.pk == latest_trust.pk
    assert trust.by_direction[OF_PROVIDER].count == 2
    assert plan.entry(MATURITY).latest.score_text == "Basic relationship"
    assert not selectors.assessment_plan(user=analyst, organization=account).can_record


def test_a_partnership_needs_trust_both_ways_and_both_readiness_assessments(owner, account):
    relationship = ServiceRelationshipFactory(organization=account, current_type=RelationshipType.PARTNERSHIP)
    for direction in (OF_PROVIDER, OF_CONSUMER):
        AssessmentFactory(relationship=relationship, kind=TRUST, direction=direction)
    AssessmentFactory(relationship=relationship, kind=COLLABORATION)

    plan = selectors.assessment_plan(user=owner, organization=account)

    assert statuses(plan) == {
        TRUST: PlanStatus.DONE,
        MATURITY: PlanStatus.OPTIONAL,
        COLLABORATION: PlanStatus.DONE,
        CHANGE: PlanStatus.MISSING,
    }
    assert plan.entry(TRUST).relevance == Relevance.CRUCIAL
    assert [latest.direction for latest in plan.entry(TRUST).directions] == [OF_PROVIDER, OF_CONSUMER]


def test_a_trust_direction_over_a_year_old_makes_trust_stale(owner, account):
    relationship = ServiceRelationshipFactory(organization=account, current_type=RelationshipType.PARTNERSHIP)
    AssessmentFactory(relationship=relationship, kind=TRUST, direction=OF_PROVIDER)
    AssessmentFactory(
        relationship=relationship,
        kind=TRUST,
        direction=OF_CONSUMER,
        assessed_on=timezone.localdate() - timedelta(days=500),
    )

    trust = selectors.assessment_plan(user=owner, organization=account).entry(TRUST)

    assert trust.status == PlanStatus.STALE
    assert trust.stale_directions == [OF_CONSUMER]


# --- queries --------------------------------------------------------------------------------------


def seed(account, size: int) -> None:
    relationship = ServiceRelationshipFactory(organization=account, current_type=RelationshipType.COOPERATIVE)
    today = timezone.localdate()
    for index in range(size):
        for kind in AssessmentKind.values:
            AssessmentFactory(
                relationship=relationship, kind=kind, assessed_on=today - timedelta(days=30 * index)
            )


@pytest.mark.parametrize("size", [1, 6])
def test_the_plan_costs_two_queries_and_the_history_one_whatever_the_number_of_assessments(
    owner, teammate, account, size, django_assert_num_queries
):
    seed(account, size)
    for user in (owner, teammate):
        roles.roles_of(user)
        with django_assert_num_queries(2):
            plan = selectors.assessment_plan(user=user, organization=account)
        assert plan.entry(CHANGE).latest.count == size
    with django_assert_num_queries(1):
        history = selectors.assessment_history(user=owner, organization=account)
    assert len(history) == 4 * size


@pytest.mark.parametrize("size", [1, 3])
def test_results_cost_one_query_for_one_assessment_or_several(
    owner, account, size, django_assert_num_queries
):
    other = OrganizationFactory(owner=owner)
    assessments = [
        record(actor=owner, organization=organization, kind=CHANGE)
        for organization in [account, other] * size
    ]

    with django_assert_num_queries(1):
        selectors.assessment_result(assessment=assessments[0])
    with django_assert_num_queries(1):
        results = selectors.assessment_results(assessments=assessments)
    assert {result.score for result in results.values()} == {Decimal("4.00")}
