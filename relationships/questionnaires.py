"""The four relationship assessments as reference data: what is asked, grouped by factor, and on which
scale; and which assessments matter for which type of service relationship.

Codes are stable: answers are stored under them (`AssessmentAnswer.factor` and `.item`), the API speaks
them and trends compare them across years, so a code is never renamed or reused. Texts may be reworded.

Scales (the guidance gives none, so they are ours): behaviours and questions are rated 1 (strongly
disagree) to 5 (strongly agree), every statement written so that 5 is the healthy answer; maturity
characteristics are a checklist, met (1) or not (0).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from django.db import models

from relationships.models import AssessmentDirection, AssessmentKind, RelationshipType

RATING_MIN, RATING_MAX = 1, 5
CHECKLIST_VALUES = (0, 1)
RATING_LABELS = {
    1: "Strongly disagree",
    2: "Disagree",
    3: "Neither agree nor disagree",
    4: "Agree",
    5: "Strongly agree",
}


class Scale(models.TextChoices):
    RATING = "rating", "Rating 1–5"
    CHECKLIST = "checklist", "Checklist: met or not"


class Relevance(models.TextChoices):
    """How much an assessment matters for a relationship type, and what the plan makes of it."""

    CRUCIAL = "crucial", "Required"
    MODERATE = "moderate", "Recommended"
    MINOR = "minor", "Optional"
    NOT_APPLICABLE = "not_applicable", "Not applicable"


class MaturityLevel(models.IntegerChoices):
    """The relationship maturity levels, cumulative: each includes the ones below. 0 = not even basic."""

    NONE = 0, "Below basic"
    BASIC = 1, "Basic relationship"
    COOPERATIVE = 2, "Cooperative relationship"
    PARTNERSHIP = 3, "Partnership"


@dataclass(frozen=True)
class Item:
    code: str
    text: str


@dataclass(frozen=True)
class Factor:
    """A group of items scored together: a trust factor, one side's characteristics at one maturity
    level, or a readiness factor. For maturity, `side` is consumer or provider and `level` 1–3."""

    code: str
    label: str
    help: str
    items: tuple[Item, ...]
    side: str = ""
    level: int = 0


@dataclass(frozen=True)
class Questionnaire:
    kind: str
    direction: str
    title: str
    intro: str
    scale: str
    factors: tuple[Factor, ...]

    @cached_property
    def items(self) -> dict[str, tuple[Factor, Item]]:
        """Every item by its code, in questionnaire order, with the factor it belongs to."""
        return {item.code: (factor, item) for factor in self.factors for item in factor.items}

    @cached_property
    def factor_labels(self) -> dict[str, str]:
        return {factor.code: factor.label for factor in self.factors}

    @property
    def allowed_values(self) -> tuple[int, ...]:
        return CHECKLIST_VALUES if self.scale == Scale.CHECKLIST else tuple(range(RATING_MIN, RATING_MAX + 1))

    @property
    def allowed_text(self) -> str:
        return "0 (not met) or 1 (met)" if self.scale == Scale.CHECKLIST else f"{RATING_MIN} to {RATING_MAX}"


def _factor(code: str, label: str, help: str, *items: tuple[str, str], side: str = "", level: int = 0):
    return Factor(
        code=code, label=label, help=help, items=tuple(Item(*item) for item in items), side=side, level=level
    )


# --- trust: the three Cs, rated by the other party -----------------------------------------------

CAPABILITY, COMMITMENT, CONSISTENCY = "capability", "commitment", "consistency"
TRUST_FACTOR_LABELS = {
    CAPABILITY: "Capability",
    COMMITMENT: "Commitment",
    CONSISTENCY: "Consistency",
}
_TRUST_HELP = {
    CAPABILITY: "Can they produce the results?",
    COMMITMENT: "Do they care about shared goals and about our success?",
    CONSISTENCY: "Do they perform as expected, the same way, time after time?",
}

TRUST_OF_PROVIDER = Questionnaire(
    kind=AssessmentKind.TRUST,
    direction=AssessmentDirection.PROVIDER_BY_CONSUMER,
    title="Trust in the provider, as the consumer sees it",
    intro="The consumer's people rate how the provider behaves. Each statement is about us, the provider.",
    scale=Scale.RATING,
    factors=(
        _factor(
            CAPABILITY,
            TRUST_FACTOR_LABELS[CAPABILITY],
            _TRUST_HELP[CAPABILITY],
            ("provider_skills", "Their people have the knowledge and skills our work needs."),
            ("provider_capacity", "They have enough capacity to keep up with what we ask of them."),
            ("provider_agility", "They adapt quickly when our situation or priorities change."),
        ),
        _factor(
            COMMITMENT,
            TRUST_FACTOR_LABELS[COMMITMENT],
            _TRUST_HELP[COMMITMENT],
            ("provider_shared_goals", "They care whether we succeed and work towards goals we share."),
            ("provider_honesty", "They are honest, respectful and cooperative with us."),
            ("provider_explains_actions", "They tell us why when something they do will affect us."),
            ("provider_knows_us", "They know our organization and what it needs."),
            ("provider_open_dialogue", "They encourage open conversation in both directions."),
        ),
        _factor(
            CONSISTENCY,
            TRUST_FACTOR_LABELS[CONSISTENCY],
            _TRUST_HELP[CONSISTENCY],
            ("provider_listens_first", "They listen and understand before they try to be understood."),
            ("provider_steady_performance", "They deliver the performance we expect, month after month."),
            ("provider_timely", "They respond within a reasonable time."),
        ),
    ),
)

TRUST_OF_CONSUMER = Questionnaire(
    kind=AssessmentKind.TRUST,
    direction=AssessmentDirection.CONSUMER_BY_PROVIDER,
    title="Trust in the consumer, as the provider sees it",
    intro="Our account team rates how the consumer behaves towards us. Each statement is about the consumer.",
    scale=Scale.RATING,
    factors=(
        _factor(
            CAPABILITY,
            TRUST_FACTOR_LABELS[CAPABILITY],
            _TRUST_HELP[CAPABILITY],
            ("consumer_agility", "They adapt quickly when circumstances change on either side."),
        ),
        _factor(
            COMMITMENT,
            TRUST_FACTOR_LABELS[COMMITMENT],
            _TRUST_HELP[COMMITMENT],
            ("consumer_shared_goals", "They care whether we succeed too and pursue goals we share."),
            ("consumer_honesty", "They are honest, respectful and cooperative with us."),
            ("consumer_explains_changes", "They tell us in time about changes on their side that affect us."),
            ("consumer_open_dialogue", "They encourage open conversation in both directions."),
        ),
        _factor(
            CONSISTENCY,
            TRUST_FACTOR_LABELS[CONSISTENCY],
            _TRUST_HELP[CONSISTENCY],
            ("consumer_listens_first", "They listen and understand before they try to be understood."),
            ("consumer_shares_information", "They share enough information for us to do our part well."),
        ),
    ),
)

# --- relationship maturity: demand (consumer) and supply (provider) characteristics per level ----

CONSUMER_SIDE, PROVIDER_SIDE = "consumer", "provider"
SIDE_LABELS = {CONSUMER_SIDE: "Demand (the consumer)", PROVIDER_SIDE: "Supply (the provider)"}

MATURITY = Questionnaire(
    kind=AssessmentKind.MATURITY,
    direction=AssessmentDirection.MUTUAL,
    title="Relationship maturity",
    intro="Tick each characteristic that holds today, on both sides. Levels build on each other: a "
    "side reaches a level only when every characteristic of that level and of the levels below holds.",
    scale=Scale.CHECKLIST,
    factors=(
        _factor(
            "consumer_basic",
            "Demand at the basic level",
            "What the consumer asks for when the relationship is transactional.",
            ("demand_transaction_automation", "They ask us to automate individual transactions."),
            ("demand_silo_requests", "Requests come from separate departments, each on its own."),
            ("demand_functional_performance", "They judge us on whether each function performs."),
            side=CONSUMER_SIDE,
            level=MaturityLevel.BASIC,
        ),
        _factor(
            "consumer_cooperative",
            "Demand at the cooperative level",
            "What the consumer asks for when both sides work closely on outcomes.",
            ("demand_end_to_end", "They want whole processes automated and their business integrated."),
            ("demand_decision_information", "They use transaction data as information for decisions."),
            ("demand_enterprise_systems", "They run enterprise-wide systems rather than local tools."),
            ("demand_process_improvement", "They improve or redesign their business processes with us."),
            side=CONSUMER_SIDE,
            level=MaturityLevel.COOPERATIVE,
        ),
        _factor(
            "consumer_partnership",
            "Demand at the partnership level",
            "What the consumer asks for when the relationship is strategic.",
            ("demand_innovation_growth", "They look to us for innovation and growth."),
            ("demand_market_intelligence", "They want business and market intelligence from the service."),
            (
                "demand_reconfigurable_portfolio",
                "They reshape their capabilities (people, IT, assets) as one portfolio.",
            ),
            side=CONSUMER_SIDE,
            level=MaturityLevel.PARTNERSHIP,
        ),
        _factor(
            "provider_basic",
            "Supply at the basic level",
            "What we, the provider, offer when the relationship is transactional.",
            ("supply_transaction_processing", "We process transactions and run basic services."),
            ("supply_silo_products", "We tailor products for individual departments."),
            ("supply_stability", "Our focus is keeping things stable."),
            side=PROVIDER_SIDE,
            level=MaturityLevel.BASIC,
        ),
        _factor(
            "provider_cooperative",
            "Supply at the cooperative level",
            "What we offer when both sides work closely on outcomes.",
            ("supply_open_networks", "We provide open networks and gateways between systems."),
            ("supply_common_infrastructure", "Most services run on optimized, shared infrastructure."),
            ("supply_commodity_outsourcing", "We outsource the commodity services."),
            side=PROVIDER_SIDE,
            level=MaturityLevel.COOPERATIVE,
        ),
        _factor(
            "provider_partnership",
            "Supply at the partnership level",
            "What we offer when the relationship is strategic.",
            ("supply_technology_capabilities", "Technology drives new business capabilities for them."),
            ("supply_market_differentiation", "Our services help them stand out in their market."),
            ("supply_standard_interfaces", "We work through standard interfaces."),
            side=PROVIDER_SIDE,
            level=MaturityLevel.PARTNERSHIP,
        ),
    ),
)

# --- readiness to collaborate --------------------------------------------------------------------

COLLABORATION_READINESS = Questionnaire(
    kind=AssessmentKind.COLLABORATION_READINESS,
    direction=AssessmentDirection.MUTUAL,
    title="Readiness to collaborate",
    intro="Both parties together judge whether the ground for close cooperation is laid. A factor is "
    "ready (green) when its average is 4 or more; the relationship is ready when every factor is.",
    scale=Scale.RATING,
    factors=(
        _factor(
            "initial_trust",
            "Initial trust",
            "Has a first level of trust been built? The latest trust assessments help answer this.",
            ("trust_capability_seen", "Each side believes the other can deliver what it promises."),
            ("trust_commitment_seen", "Each side believes the other cares about the shared goals."),
            ("trust_consistency_seen", "Each side has seen the other behave reliably over time."),
        ),
        _factor(
            "stakeholder_engagement",
            "Engaged stakeholders",
            "Are the right people involved, and does management back the cooperation? See the "
            "stakeholder grid.",
            ("relevant_stakeholders_engaged", "We are in touch with every stakeholder who matters here."),
            ("management_support", "Management on both sides openly supports working together."),
            ("stakeholder_map_current", "Our picture of who has influence and interest is up to date."),
        ),
        _factor(
            "organizational_basis",
            "Organizational basis",
            "Have both organizations prepared the ground for working closely?",
            ("principles_aligned", "We agree on working principles and day-to-day activities."),
            ("integrations_checked", "Integrations between our systems and other resources are checked."),
            ("risk_tolerance_shared", "Each side knows the other's risk tolerance and constraints."),
            ("channels_established", "Communication channels exist, including one for complaints."),
            ("resources_allocated", "People, technology and information are allocated on both sides."),
        ),
    ),
)

# --- readiness for change -------------------------------------------------------------------------

CHANGE_READINESS = Questionnaire(
    kind=AssessmentKind.CHANGE_READINESS,
    direction=AssessmentDirection.MUTUAL,
    title="Readiness for change",
    intro="How ready is the consumer's organization for the change a closer relationship brings? The "
    "overall figure is the average of the four factors; the weakest factor is where to act first.",
    scale=Scale.RATING,
    factors=(
        _factor(
            "clear_objectives",
            "Clear and relevant objectives",
            "Do people know where the relationship is heading and why?",
            ("vision_clear", "There is a clear picture of what the relationship should become."),
            ("reason_communicated", "The reason for the change has been explained well."),
        ),
        _factor(
            "strong_leadership",
            "Strong and committed leadership",
            "Is the change led by people others follow?",
            ("sponsors_respected", "The sponsors are respected and have delivered change before."),
            ("management_trusted", "Stakeholders trust management to weigh their interests."),
            ("lateral_leaders", "People without formal authority also help lead the change."),
        ),
        _factor(
            "willing_participants",
            "Willing and prepared participants",
            "Do the people affected want the change and understand it?",
            ("contributors_rewarded", "There is a plan to recognize the people who contribute."),
            ("whole_change_understood", "Stakeholders see the whole change, not only their own part."),
        ),
        _factor(
            "sustained_improvement",
            "Sustained improvement",
            "Can the organization keep improving without tiring or stalling?",
            ("resistance_low", "Resistance to change is low."),
            ("past_improvements_succeeded", "Earlier improvements achieved what they set out to."),
            ("change_load_manageable", "The amount of change already going on is manageable."),
            ("run_and_innovate_balanced", "Day-to-day operations and innovation get a fair balance."),
        ),
    ),
)

QUESTIONNAIRES: dict[tuple[str, str], Questionnaire] = {
    (questionnaire.kind, questionnaire.direction): questionnaire
    for questionnaire in (
        TRUST_OF_PROVIDER,
        TRUST_OF_CONSUMER,
        MATURITY,
        COLLABORATION_READINESS,
        CHANGE_READINESS,
    )
}

TRUST_DIRECTIONS = (AssessmentDirection.PROVIDER_BY_CONSUMER, AssessmentDirection.CONSUMER_BY_PROVIDER)


def questionnaire_for(kind: str, direction: str | None = None) -> Questionnaire:
    """The questionnaire of a kind (and, for trust, of a direction). KeyError for an unknown pair."""
    if kind != AssessmentKind.TRUST:
        direction = AssessmentDirection.MUTUAL
    return QUESTIONNAIRES[(kind, direction)]


# --- which assessments matter for which relationship type ----------------------------------------

_C, _MO, _MI, _NA = Relevance.CRUCIAL, Relevance.MODERATE, Relevance.MINOR, Relevance.NOT_APPLICABLE

# Maturity stands for "capabilities maturity and past performance", collaboration readiness for
# "readiness to cooperate", change readiness for "readiness to change". Trust is not in the guidance's
# table; our choice grows with closeness: a basic relationship runs on formal controls (trust is a
# minor concern), a cooperative one on communication and effort by both (moderate), a partnership on
# shared risks and rewards that cannot exist without it (crucial).
ASSESSMENT_RELEVANCE: dict[str, dict[str, str]] = {
    RelationshipType.BASIC: {
        AssessmentKind.TRUST: _MI,
        AssessmentKind.MATURITY: _C,
        AssessmentKind.COLLABORATION_READINESS: _NA,
        AssessmentKind.CHANGE_READINESS: _NA,
    },
    RelationshipType.COOPERATIVE: {
        AssessmentKind.TRUST: _MO,
        AssessmentKind.MATURITY: _MO,
        AssessmentKind.COLLABORATION_READINESS: _MO,
        AssessmentKind.CHANGE_READINESS: _MO,
    },
    RelationshipType.PARTNERSHIP: {
        AssessmentKind.TRUST: _C,
        AssessmentKind.MATURITY: _MI,
        AssessmentKind.COLLABORATION_READINESS: _C,
        AssessmentKind.CHANGE_READINESS: _C,
    },
}

# Who is assessed, for the plan's explanations.
ASSESSED_PARTY = {
    AssessmentKind.TRUST: "both parties, each rated by the other",
    AssessmentKind.MATURITY: "both parties, the provider's capabilities and past performance foremost",
    AssessmentKind.COLLABORATION_READINESS: "both parties",
    AssessmentKind.CHANGE_READINESS: "the consumer",
}
