"""The reference profiles of the three relationship types, and the warnings later steps get when an
offering, agreement or set of involved levels does not fit the consumer's relationship type."""

import pytest

from relationships.models import RelationshipType
from relationships.profiles import (
    RELATIONSHIP_PROFILES,
    AgreementType,
    ControlFormality,
    OrganizationalLevel,
    RelationshipMaturityRole,
    ServiceType,
    WorkingMode,
)
from relationships.selectors import (
    relationship_atypical_warnings,
    relationship_type_profile,
    relationship_type_profiles,
)


def test_every_type_has_a_profile_listed_from_the_least_to_the_most_involved():
    profiles = relationship_type_profiles()

    assert [profile.relationship_type for profile in profiles] == list(RelationshipType)
    assert set(RELATIONSHIP_PROFILES) == set(RelationshipType)
    assert [profile.rank for profile in profiles] == [1, 2, 3]


def test_the_enums_use_the_books_values():
    assert OrganizationalLevel.values == ["operational", "tactical", "strategic"]
    assert RelationshipMaturityRole.values == ["order_taker", "trusted_adviser", "strategic_partner"]
    assert ServiceType.values == ["cots", "out_of_box", "commodity", "goods_supply", "configured", "bespoke"]
    assert AgreementType.values == [
        "standard_contract",
        "sla",
        "experience_based",
        "advanced_sla",
        "outcome_based",
        "bespoke_contract",
        "none",
    ]


def test_each_type_involves_more_levels_and_trusts_differently_than_the_one_before():
    basic, cooperative, partnership = relationship_type_profiles()

    assert basic.organizational_levels == (OrganizationalLevel.OPERATIONAL,)
    assert cooperative.organizational_levels == (
        OrganizationalLevel.OPERATIONAL,
        OrganizationalLevel.TACTICAL,
    )
    assert OrganizationalLevel.STRATEGIC in partnership.organizational_levels
    assert [profile.typical_maturity for profile in (basic, cooperative, partnership)] == list(
        RelationshipMaturityRole
    )
    assert [profile.control_formality for profile in (basic, cooperative, partnership)] == list(
        ControlFormality
    )
    assert [profile.working_mode for profile in (basic, cooperative, partnership)] == [
        WorkingMode.COOPERATION,
        WorkingMode.COOPERATION,
        WorkingMode.COLLABORATION,
    ]
    assert [profile.focus for profile in (basic, cooperative, partnership)] == [
        "Support and efficiency",
        "Improvement and effectiveness",
        "Innovation and growth",
    ]


def test_each_party_has_advantages_and_disadvantages_in_every_type():
    for profile in relationship_type_profiles():
        for party in (profile.consumer, profile.provider):
            assert party.advantages and party.disadvantages
        assert profile.key_attributes and profile.trust_building


def test_a_profile_is_found_by_the_stored_value_of_its_type():
    assert relationship_type_profile("partnership").label == "Partnership"


def test_a_bespoke_service_in_a_basic_relationship_is_atypical():
    warnings = relationship_atypical_warnings(relationship_type="basic", service_type="bespoke")

    assert len(warnings) == 1
    assert "custom or bespoke service is unusual in a basic relationship" in warnings[0]
    assert "usually goes with a partnership" in warnings[0]


def test_an_outcome_based_agreement_in_a_basic_relationship_is_atypical():
    warnings = relationship_atypical_warnings(relationship_type="basic", agreement_type="outcome_based")

    assert warnings == [
        "Outcome-based agreement is unusual in a basic relationship: it usually goes with a cooperative "
        "relationship or partnership. Typical here: Standard contract; Service level agreement (SLA); "
        "Experience-based agreement."
    ]


def test_a_standard_contract_in_a_partnership_is_atypical():
    warnings = relationship_atypical_warnings(
        relationship_type="partnership", agreement_type="standard_contract"
    )

    assert len(warnings) == 1
    assert warnings[0].startswith("Standard contract is unusual in a partnership")


def test_a_partnership_without_the_strategic_level_is_warned_about():
    warnings = relationship_atypical_warnings(
        relationship_type="partnership", organizational_levels=["operational", "tactical"]
    )

    assert len(warnings) == 1
    assert "normally involves the strategic level" in warnings[0]


def test_strategic_involvement_in_a_basic_relationship_is_more_than_it_needs():
    warnings = relationship_atypical_warnings(
        relationship_type="basic", organizational_levels=["operational", "strategic"]
    )

    assert len(warnings) == 1
    assert "strategic level is more involvement than a basic relationship usually needs" in warnings[0]


@pytest.mark.parametrize(
    ("relationship_type", "service_type", "agreement_type", "levels"),
    [
        ("basic", "commodity", "sla", ["operational"]),
        ("cooperative", "configured", "outcome_based", ["operational", "tactical"]),
        ("partnership", "bespoke", "none", ["operational", "tactical", "strategic"]),
    ],
)
def test_typical_combinations_raise_no_warning(relationship_type, service_type, agreement_type, levels):
    assert (
        relationship_atypical_warnings(
            relationship_type=relationship_type,
            service_type=service_type,
            agreement_type=agreement_type,
            organizational_levels=levels,
        )
        == []
    )


def test_several_atypical_choices_give_one_warning_each():
    warnings = relationship_atypical_warnings(
        relationship_type="cooperative",
        service_type="goods_supply",
        agreement_type="bespoke_contract",
        organizational_levels=["operational"],
    )

    assert len(warnings) == 3
