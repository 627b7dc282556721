"""Recording and deleting assessments: every item answered within its scale, direction only for trust,
no date in the future, results computed and stored, rights checked first, and nothing saved on any
error."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from journeys.base import ApplicationError
from journeys.models import OrganizationKind
from relationships import services
from relationships.models import (
    Assessment,
    AssessmentAnswer,
    AssessmentDirection,
    AssessmentKind,
    RelationshipType,
    ServiceRelationship,
)
from tests.factories.assessments import ServiceRelationshipFactory, answers_for, record
from tests.factories.journeys import OrganizationFactory

pytestmark = pytest.mark.django_db

PROVIDER_BY_CONSUMER = AssessmentDirection.PROVIDER_BY_CONSUMER


def refused(**kwargs) -> ApplicationError:
    with pytest.raises(ApplicationError) as caught:
        services.assessment_record(**kwargs)
    return caught.value


def nothing_saved() -> bool:
    return not (
        Assessment.objects.exists()
        or AssessmentAnswer.objects.exists()
        or ServiceRelationship.objects.exists()
    )


def test_recording_trust_stores_the_answers_and_the_trust_index(owner, account):
    answers = answers_for(
        AssessmentKind.TRUST,
        PROVIDER_BY_CONSUMER,
        provider_skills=5,
        provider_capacity=3,
        provider_agility=4,  # capability 4.00
        provider_shared_goals=5,
        provider_honesty=4,
        provider_explains_actions=4,
        provider_knows_us=3,
        provider_open_dialogue=4,  # commitment 4.00
        provider_listens_first=2,
        provider_steady_performance=3,
        provider_timely=4,  # consistency 3.00
    )

    assessment = services.assessment_record(
        actor=owner,
        organization=account,
        kind=AssessmentKind.TRUST,
        direction=PROVIDER_BY_CONSUMER,
        respondent="  Their head of fleet  ",
        answers=answers,
    )

    assessment.refresh_from_db()
    assert assessment.score == Decimal("3.67")  # (4 + 4 + 3) / 3
    assert assessment.direction == PROVIDER_BY_CONSUMER
    assert assessment.assessed_on == timezone.localdate()
    assert assessment.assessed_by == owner
    assert assessment.respondent == "Their head of fleet"
    assert assessment.answers.count() == 11
    assert set(assessment.answers.values_list("factor", flat=True)) == {
        "capability",
        "commitment",
        "consistency",
    }


def test_the_first_assessment_creates_the_relationship_as_a_basic_one(teammate, account):
    record(actor=teammate, organization=account, kind=AssessmentKind.MATURITY)

    relationship = ServiceRelationship.objects.get(organization=account)
    assert relationship.current_type == RelationshipType.BASIC


def test_an_existing_relationship_is_reused(owner, account):
    relationship = ServiceRelationshipFactory(organization=account, current_type=RelationshipType.PARTNERSHIP)

    assessment = record(actor=owner, organization=account, kind=AssessmentKind.CHANGE_READINESS)

    assert assessment.relationship == relationship
    assert ServiceRelationship.objects.count() == 1


def test_maturity_stores_both_levels_and_the_lower_as_its_score(owner, account):
    assessment = record(
        actor=owner,
        organization=account,
        kind=AssessmentKind.MATURITY,
        # The consumer misses one partnership characteristic; we miss a cooperative one.
        demand_market_intelligence=0,
        supply_open_networks=0,
    )

    assessment.refresh_from_db()
    assert (assessment.consumer_level, assessment.provider_level, assessment.score) == (2, 1, Decimal(1))


@pytest.mark.parametrize("value", [0, 6, -1])
def test_a_rating_outside_one_to_five_names_the_item_and_saves_nothing(owner, account, value):
    error = refused(
        actor=owner,
        organization=account,
        kind=AssessmentKind.CHANGE_READINESS,
        answers=answers_for(AssessmentKind.CHANGE_READINESS, resistance_low=value),
    )

    assert list(error.fields) == ["answers.resistance_low"]
    assert "Resistance to change is low." in error.fields["answers.resistance_low"][0]
    assert "1 to 5" in error.fields["answers.resistance_low"][0]
    assert nothing_saved()


@pytest.mark.parametrize("value", [2, True, "1"])
def test_a_checklist_answer_other_than_zero_or_one_is_refused(owner, account, value):
    error = refused(
        actor=owner,
        organization=account,
        kind=AssessmentKind.MATURITY,
        answers=answers_for(AssessmentKind.MATURITY, supply_stability=value),
    )

    assert "0 (not met) or 1 (met)" in error.fields["answers.supply_stability"][0]
    assert nothing_saved()


def test_every_unanswered_and_unknown_item_is_named(owner, account):
    answers = answers_for(AssessmentKind.COLLABORATION_READINESS)
    del answers["management_support"], answers["resources_allocated"]
    answers["mood_of_the_room"] = 3

    error = refused(
        actor=owner, organization=account, kind=AssessmentKind.COLLABORATION_READINESS, answers=answers
    )

    assert set(error.fields) == {
        "answers.management_support",
        "answers.resources_allocated",
        "answers.mood_of_the_room",
    }
    assert "is not answered" in error.fields["answers.management_support"][0]
    assert "is not an item" in error.fields["answers.mood_of_the_room"][0]
    assert "(3 problems in all.)" in error.message
    assert nothing_saved()


def test_trust_needs_a_direction(owner, account):
    error = refused(
        actor=owner,
        organization=account,
        kind=AssessmentKind.TRUST,
        answers=answers_for(AssessmentKind.TRUST, PROVIDER_BY_CONSUMER),
    )

    assert list(error.fields) == ["direction"]
    assert nothing_saved()


@pytest.mark.parametrize("direction", ["mutual", "sideways"])
def test_trust_refuses_a_direction_that_is_not_one_way(owner, account, direction):
    error = refused(
        actor=owner,
        organization=account,
        kind=AssessmentKind.TRUST,
        direction=direction,
        answers=answers_for(AssessmentKind.TRUST, PROVIDER_BY_CONSUMER),
    )

    assert "direction" in error.fields
    assert nothing_saved()


def test_the_other_kinds_refuse_a_direction(owner, account):
    error = refused(
        actor=owner,
        organization=account,
        kind=AssessmentKind.MATURITY,
        direction=PROVIDER_BY_CONSUMER,
        answers=answers_for(AssessmentKind.MATURITY),
    )

    assert "leave the direction out" in error.fields["direction"][0]
    assert nothing_saved()


def test_the_trust_answers_must_be_those_of_the_direction_chosen(owner, account):
    error = refused(
        actor=owner,
        organization=account,
        kind=AssessmentKind.TRUST,
        direction=AssessmentDirection.CONSUMER_BY_PROVIDER,
        answers=answers_for(AssessmentKind.TRUST, PROVIDER_BY_CONSUMER),
    )

    assert "answers.consumer_agility" in error.fields
    assert "answers.provider_skills" in error.fields


def test_an_unknown_kind_is_refused(owner, account):
    error = refused(actor=owner, organization=account, kind="vibes", answers={})

    assert list(error.fields) == ["kind"]


def test_a_date_in_the_future_is_refused(owner, account):
    error = refused(
        actor=owner,
        organization=account,
        kind=AssessmentKind.CHANGE_READINESS,
        assessed_on=timezone.localdate() + timedelta(days=1),
        answers=answers_for(AssessmentKind.CHANGE_READINESS),
    )

    assert list(error.fields) == ["assessed_on"]
    assert nothing_saved()


def test_an_assessment_of_a_past_day_is_recorded_for_that_day(owner, account):
    day = timezone.localdate() - timedelta(days=200)

    assessment = record(
        actor=owner, organization=account, kind=AssessmentKind.CHANGE_READINESS, assessed_on=day
    )

    assert assessment.assessed_on == day


def test_only_a_service_consumer_has_a_relationship_to_assess(owner):
    supplier = OrganizationFactory(kind=OrganizationKind.SUPPLIER, owner=owner)

    error = refused(
        actor=owner,
        organization=supplier,
        kind=AssessmentKind.CHANGE_READINESS,
        answers=answers_for(AssessmentKind.CHANGE_READINESS),
    )

    assert error.status == 409
    assert nothing_saved()


def test_an_outsider_learns_nothing_about_the_account(outsider, account):
    with pytest.raises(Http404):
        record(actor=outsider, organization=account, kind=AssessmentKind.MATURITY)
    assert nothing_saved()


@pytest.mark.parametrize("persona", ["desk", "analyst"])
def test_read_only_roles_may_not_record(persona, account, request):
    with pytest.raises(PermissionDenied):
        record(actor=request.getfixturevalue(persona), organization=account, kind=AssessmentKind.MATURITY)
    assert nothing_saved()


def test_rights_are_checked_before_the_answers(analyst, account):
    with pytest.raises(PermissionDenied):
        services.assessment_record(actor=analyst, organization=account, kind="vibes", answers="rubbish")


def test_deleting_removes_the_assessment_and_its_answers(owner, account):
    assessment = record(actor=owner, organization=account, kind=AssessmentKind.MATURITY)

    services.assessment_delete(actor=owner, assessment=assessment)

    assert not Assessment.objects.exists()
    assert not AssessmentAnswer.objects.exists()


def test_deleting_needs_the_right_to_manage_the_account(owner, outsider, analyst, account):
    assessment = record(actor=owner, organization=account, kind=AssessmentKind.MATURITY)

    with pytest.raises(Http404):
        services.assessment_delete(actor=outsider, assessment=assessment)
    with pytest.raises(PermissionDenied):
        services.assessment_delete(actor=analyst, assessment=assessment)
    assert Assessment.objects.count() == 1
