"""The questionnaires as reference data: stable, unique codes that fit the answer table, the factors the
guidance names for each assessment, and the relevance of each assessment per relationship type."""

import pytest

from relationships.forms.assessments import AssessmentForm
from relationships.models import AssessmentAnswer, AssessmentDirection, AssessmentKind, RelationshipType
from relationships.questionnaires import (
    ASSESSMENT_RELEVANCE,
    CHANGE_READINESS,
    COLLABORATION_READINESS,
    MATURITY,
    QUESTIONNAIRES,
    TRUST_OF_CONSUMER,
    TRUST_OF_PROVIDER,
    MaturityLevel,
    Relevance,
    Scale,
    questionnaire_for,
)

ALL = list(QUESTIONNAIRES.values())
ITEM_MAX = AssessmentAnswer._meta.get_field("item").max_length
FACTOR_MAX = AssessmentAnswer._meta.get_field("factor").max_length


def item_codes(questionnaire) -> list[str]:
    return [item.code for factor in questionnaire.factors for item in factor.items]


def factor_items(questionnaire) -> dict[str, int]:
    return {factor.code: len(factor.items) for factor in questionnaire.factors}


@pytest.mark.parametrize("questionnaire", ALL, ids=lambda q: q.title)
def test_item_codes_are_unique_within_a_questionnaire_and_fit_the_answer_table(questionnaire):
    codes = item_codes(questionnaire)

    assert len(codes) == len(set(codes))
    assert all(code.isidentifier() and code == code.lower() for code in codes)
    assert max(len(code) for code in codes) <= ITEM_MAX
    assert max(len(factor.code) for factor in questionnaire.factors) <= FACTOR_MAX
    assert all(factor.items for factor in questionnaire.factors)


@pytest.mark.parametrize("questionnaire", ALL, ids=lambda q: q.title)
def test_no_item_code_clashes_with_the_other_fields_of_the_form(questionnaire):
    assert not set(item_codes(questionnaire)) & {"assessed_on", "respondent", "notes", "direction", "kind"}
    form = AssessmentForm(questionnaire=questionnaire)
    assert len(form.fields) == len(item_codes(questionnaire)) + 3


def test_every_kind_and_direction_the_database_allows_has_exactly_one_questionnaire():
    assert set(QUESTIONNAIRES) == {
        (AssessmentKind.TRUST, AssessmentDirection.PROVIDER_BY_CONSUMER),
        (AssessmentKind.TRUST, AssessmentDirection.CONSUMER_BY_PROVIDER),
        (AssessmentKind.MATURITY, AssessmentDirection.MUTUAL),
        (AssessmentKind.COLLABORATION_READINESS, AssessmentDirection.MUTUAL),
        (AssessmentKind.CHANGE_READINESS, AssessmentDirection.MUTUAL),
    }
    assert questionnaire_for(AssessmentKind.MATURITY) is MATURITY
    assert (
        questionnaire_for(AssessmentKind.TRUST, AssessmentDirection.CONSUMER_BY_PROVIDER) is TRUST_OF_CONSUMER
    )


def test_trust_is_the_three_cs_both_ways_with_fewer_capability_behaviours_for_the_consumer():
    assert factor_items(TRUST_OF_PROVIDER) == {"capability": 3, "commitment": 5, "consistency": 3}
    assert factor_items(TRUST_OF_CONSUMER) == {"capability": 1, "commitment": 4, "consistency": 2}
    assert not set(item_codes(TRUST_OF_PROVIDER)) & set(item_codes(TRUST_OF_CONSUMER))
    assert TRUST_OF_PROVIDER.scale == TRUST_OF_CONSUMER.scale == Scale.RATING


def test_maturity_is_a_checklist_of_demand_and_supply_characteristics_on_three_levels():
    assert MATURITY.scale == Scale.CHECKLIST
    assert MATURITY.allowed_values == (0, 1)
    sides = {(factor.side, factor.level): len(factor.items) for factor in MATURITY.factors}
    assert sides == {
        ("consumer", MaturityLevel.BASIC): 3,
        ("consumer", MaturityLevel.COOPERATIVE): 4,
        ("consumer", MaturityLevel.PARTNERSHIP): 3,
        ("provider", MaturityLevel.BASIC): 3,
        ("provider", MaturityLevel.COOPERATIVE): 3,
        ("provider", MaturityLevel.PARTNERSHIP): 3,
    }


def test_readiness_questionnaires_have_the_factors_of_the_guidance():
    assert list(factor_items(COLLABORATION_READINESS)) == [
        "initial_trust",
        "stakeholder_engagement",
        "organizational_basis",
    ]
    assert list(factor_items(CHANGE_READINESS)) == [
        "clear_objectives",
        "strong_leadership",
        "willing_participants",
        "sustained_improvement",
    ]
    assert factor_items(CHANGE_READINESS) == {
        "clear_objectives": 2,
        "strong_leadership": 3,
        "willing_participants": 2,
        "sustained_improvement": 4,
    }
    assert COLLABORATION_READINESS.allowed_values == CHANGE_READINESS.allowed_values == (1, 2, 3, 4, 5)


def test_the_relevance_table_follows_the_guidance_and_our_choice_for_trust():
    basic, cooperative, partnership = (ASSESSMENT_RELEVANCE[t] for t in RelationshipType)

    assert basic == {
        "trust": Relevance.MINOR,
        "maturity": Relevance.CRUCIAL,
        "collaboration_readiness": Relevance.NOT_APPLICABLE,
        "change_readiness": Relevance.NOT_APPLICABLE,
    }
    assert set(cooperative.values()) == {Relevance.MODERATE}
    assert partnership == {
        "trust": Relevance.CRUCIAL,
        "maturity": Relevance.MINOR,
        "collaboration_readiness": Relevance.CRUCIAL,
        "change_readiness": Relevance.CRUCIAL,
    }
    assert all(set(row) == set(AssessmentKind.values) for row in ASSESSMENT_RELEVANCE.values())
