"""Reference data of Engage: what each of the three service relationship types typically looks like.

A profile is what a relationship manager compares an account against: which organizational levels
usually take part, which services and agreements usually go with the type, how trust is built in it,
and what each party gains and gives up. It is reference data, not a rule: an account may differ from its
type's profile on purpose, which is why later steps (Offer, Agree) only *warn* about atypical records
(`relationships.selectors.relationship_atypical_warnings`).

The texts are our own summaries; the vocabulary (the type names, the levels, the maturity roles, the
service and agreement types) is the book's.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models

from relationships.models import LadderStep, RelationshipType


class OrganizationalLevel(models.TextChoices):
    OPERATIONAL = "operational", "Operational"
    TACTICAL = "tactical", "Tactical"
    STRATEGIC = "strategic", "Strategic"


class RelationshipMaturityRole(models.TextChoices):
    """How the consumer sees the provider, from the least to the most mature relationship."""

    ORDER_TAKER = "order_taker", "Ad hoc, order taker"
    TRUSTED_ADVISER = "trusted_adviser", "Service provider, trusted adviser"
    STRATEGIC_PARTNER = "strategic_partner", "Strategic partner"


class ServiceType(models.TextChoices):
    COTS = "cots", "Commercial off-the-shelf"
    OUT_OF_BOX = "out_of_box", "Out-of-the-box"
    COMMODITY = "commodity", "Highly standardized commodity"
    GOODS_SUPPLY = "goods_supply", "Goods supply"
    CONFIGURED = "configured", "Configured/customized"
    BESPOKE = "bespoke", "Custom or bespoke"


class AgreementType(models.TextChoices):
    STANDARD_CONTRACT = "standard_contract", "Standard contract"
    SLA = "sla", "Service level agreement (SLA)"
    EXPERIENCE_BASED = "experience_based", "Experience-based agreement"
    ADVANCED_SLA = "advanced_sla", "Advanced SLA"
    OUTCOME_BASED = "outcome_based", "Outcome-based agreement"
    BESPOKE_CONTRACT = "bespoke_contract", "Bespoke contract"
    NONE = "none", "No agreement"


class ControlFormality(models.TextChoices):
    """How the parties keep each other in check, which is also how trust is mostly built."""

    FORMAL = "formal", "Formal procedures and controls"
    SEMI_FORMAL = "semi_formal", "Semi-formal controls around shared outcomes"
    SHARED_RISK_REWARD = "shared_risk_reward", "Shared risks and rewards"


class WorkingMode(models.TextChoices):
    """Cooperation: each party works towards its own goals; collaboration: towards a common one."""

    COOPERATION = "cooperation", "Cooperation"
    COLLABORATION = "collaboration", "Collaboration"


@dataclass(frozen=True)
class PartyView:
    """What one party (consumer or provider) gains and gives up in a type of relationship."""

    advantages: tuple[str, ...]
    disadvantages: tuple[str, ...]


@dataclass(frozen=True)
class RelationshipProfile:
    relationship_type: RelationshipType
    focus: str
    summary: str
    organizational_levels: tuple[OrganizationalLevel, ...]
    typical_maturity: RelationshipMaturityRole
    maturity_description: str
    typical_service_types: tuple[ServiceType, ...]
    typical_agreement_types: tuple[AgreementType, ...]
    key_attributes: tuple[str, ...]
    trust_building: str
    consumer_trust_activities: tuple[str, ...]
    provider_trust_activities: tuple[str, ...]
    control_formality: ControlFormality
    working_mode: WorkingMode
    working_mode_note: str
    delivery_focus: str
    consumer: PartyView
    provider: PartyView

    @property
    def label(self) -> str:
        return self.relationship_type.label

    @property
    def rank(self) -> int:
        return self.relationship_type.rank

    @property
    def organizational_level_labels(self) -> list[str]:
        return [level.label for level in self.organizational_levels]

    @property
    def service_type_labels(self) -> list[str]:
        return [service_type.label for service_type in self.typical_service_types]

    @property
    def agreement_type_labels(self) -> list[str]:
        return [agreement_type.label for agreement_type in self.typical_agreement_types]


RELATIONSHIP_PROFILES: dict[RelationshipType, RelationshipProfile] = {
    RelationshipType.BASIC: RelationshipProfile(
        relationship_type=RelationshipType.BASIC,
        focus="Support and efficiency",
        summary="Standard services bought on clear terms, often by many consumers at once. The consumer "
        "knows what it wants and says so; the provider delivers it reliably at the lowest effort.",
        organizational_levels=(OrganizationalLevel.OPERATIONAL,),
        typical_maturity=RelationshipMaturityRole.ORDER_TAKER,
        maturity_description="Requests are taken as they come and ranked on thin or subjective "
        "information; the provider reacts rather than questions, and there is little data to weigh "
        "cost against value.",
        typical_service_types=(
            ServiceType.COTS,
            ServiceType.OUT_OF_BOX,
            ServiceType.COMMODITY,
            ServiceType.GOODS_SUPPLY,
        ),
        typical_agreement_types=(
            AgreementType.STANDARD_CONTRACT,
            AgreementType.SLA,
            AgreementType.EXPERIENCE_BASED,
        ),
        key_attributes=(
            "One point of contact and one channel",
            "Little information is shared",
            "Price decides most choices",
            "Easy to leave: there are plenty of alternatives",
        ),
        trust_building="Mostly through formal procedures and controls: published terms, reports and "
        "checks of past performance.",
        consumer_trust_activities=(
            "State the requirements to the provider",
            "Check the provider's track record, ratings and references",
            "Check certifications and compliance evidence",
            "Read the service level agreement",
        ),
        provider_trust_activities=(
            "Keep the service catalogue and request catalogue up to date",
            "Fulfil requests as asked, within the catalogue",
            "Report on what was delivered",
            "Concentrate on outputs",
        ),
        control_formality=ControlFormality.FORMAL,
        working_mode=WorkingMode.COOPERATION,
        working_mode_note="Each party pursues its own goals with a clear split of duties, which suits "
        "standardized work.",
        delivery_focus="Outputs",
        consumer=PartyView(
            advantages=("Easy to leave", "Easy to keep under control"),
            disadvantages=(
                "Attention goes to efficiency and single transactions",
                "A deeper relationship is hard to grow",
                "The value of the service is hard to judge",
            ),
        ),
        provider=PartyView(
            advantages=(
                "One channel to look after",
                "Simple to measure and report",
                "Scale and efficiency can be built into the way services are run",
                "One standard way of managing every customer",
            ),
            disadvantages=(
                "Attention goes to efficiency and single transactions",
                "Hard to become trusted",
                "Hardly any information comes back from the customer",
                "The customer can leave easily and buys on price",
                "Little room to stand out through the customer's experience",
            ),
        ),
    ),
    RelationshipType.COOPERATIVE: RelationshipProfile(
        relationship_type=RelationshipType.COOPERATIVE,
        focus="Improvement and effectiveness",
        summary="Services shaped to the consumer's needs. The consumer expects the provider to think "
        "about outcomes and experience, not only service levels, and to bring ideas of its own.",
        organizational_levels=(OrganizationalLevel.OPERATIONAL, OrganizationalLevel.TACTICAL),
        typical_maturity=RelationshipMaturityRole.TRUSTED_ADVISER,
        maturity_description="Both sides understand demand and supply; the provider is involved early "
        "in the consumer's decisions and both agree on what the services are worth.",
        typical_service_types=(ServiceType.CONFIGURED,),
        typical_agreement_types=(
            AgreementType.ADVANCED_SLA,
            AgreementType.EXPERIENCE_BASED,
            AgreementType.OUTCOME_BASED,
        ),
        key_attributes=(
            "The provider looks for ways to add value",
            "Many points of contact on both sides",
            "Forecasts are shared, plans are not made together",
            "Information is shared, within limits",
            "Costly in time and people",
        ),
        trust_building="Through frequent communication and joint effort towards agreed outcomes, with "
        "regular feedback and semi-formal controls.",
        consumer_trust_activities=(
            "Share needs, not only requirements",
            "Stay open to the provider's proposals",
            "Audit or assess the provider's maturity",
        ),
        provider_trust_activities=(
            "Develop the service portfolio as the consumer's needs change",
            "Advise on possible solutions",
            "Steer by outcomes rather than outputs",
        ),
        control_formality=ControlFormality.SEMI_FORMAL,
        working_mode=WorkingMode.COOPERATION,
        working_mode_note="Mostly cooperation, moving towards collaboration where outcomes are "
        "defined together.",
        delivery_focus="Outcomes",
        consumer=PartyView(
            advantages=(
                "The service fits the consumer's own needs",
                "New chances to do more with the provider",
            ),
            disadvantages=(
                "Joint activities can feel poorly coordinated",
                "Costly in time and people",
            ),
        ),
        provider=PartyView(
            advantages=(
                "The consumer depends more on the provider",
                "More information from the customer leads to better solutions",
            ),
            disadvantages=(
                "Joint activities can feel poorly coordinated",
                "Costly in time and people",
                "Resources may be spent in the wrong place",
                "New complexity in day-to-day operations",
                "The customer brings its internal problems along",
                "Less efficiency and less control over customers",
            ),
        ),
    ),
    RelationshipType.PARTNERSHIP: RelationshipProfile(
        relationship_type=RelationshipType.PARTNERSHIP,
        focus="Innovation and growth",
        summary="The parties plan and build together, sometimes acting as one organization, around "
        "goals they share. Openness is costly but shows both sides where to improve.",
        organizational_levels=(
            OrganizationalLevel.OPERATIONAL,
            OrganizationalLevel.TACTICAL,
            OrganizationalLevel.STRATEGIC,
        ),
        typical_maturity=RelationshipMaturityRole.STRATEGIC_PARTNER,
        maturity_description="Shared goals aimed at realizing value, clear accountability for the value "
        "of each investment, and good data to measure it.",
        typical_service_types=(ServiceType.BESPOKE,),
        typical_agreement_types=(
            AgreementType.BESPOKE_CONTRACT,
            AgreementType.OUTCOME_BASED,
            AgreementType.NONE,
        ),
        key_attributes=(
            "Deep mutual trust; each side knows it matters to the other",
            "Streamlined ways of working",
            "Many activities run jointly",
            "Sensitive information is exchanged freely",
            "Hard to leave",
        ),
        trust_building="By sharing risks and rewards, agreeing goals together and co-creating value.",
        consumer_trust_activities=(
            "Set up open platforms for working with the provider",
            "Share goals, risks and rewards",
            "Plan strategies, programmes and projects together",
            "Adapt quickly as circumstances change",
        ),
        provider_trust_activities=(
            "Set up open platforms for working with the consumer",
            "Show it can support the consumer's development and innovation",
            "Aim at realizing value as circumstances change, not at fixed outcomes",
        ),
        control_formality=ControlFormality.SHARED_RISK_REWARD,
        working_mode=WorkingMode.COLLABORATION,
        working_mode_note="Collaboration towards common objectives. (Our assumption: the guidance is "
        "ambiguous here, but the rest of it ties partnerships to collaboration.)",
        delivery_focus="Value realization",
        consumer=PartyView(
            advantages=(
                "Openness lets both sides find and remove waste, cutting costs for both",
                "Planning for the long term opens new markets",
            ),
            disadvantages=(
                "Lock-in can stop the consumer from raising its demands or leaving",
                "Separating is slow and painful",
            ),
        ),
        provider=PartyView(
            advantages=(
                "Openness lets both sides find and remove waste, cutting costs for both",
                "Planning for the long term opens new markets",
                "A chance to win larger, more strategic customers",
            ),
            disadvantages=("Separating is slow and painful",),
        ),
    ),
}


# The ladder's order: what must be done before a step may be marked done. Steps 3 and 4 both follow
# step 2 and run side by side; step 5 needs both of them.
LADDER_PREREQUISITES: dict[LadderStep, tuple[LadderStep, ...]] = {
    LadderStep.CREATE_ENVIRONMENT: (),
    LadderStep.BUILD_TRUST: (LadderStep.CREATE_ENVIRONMENT,),
    LadderStep.UNDERSTAND_PROVIDER: (LadderStep.BUILD_TRUST,),
    LadderStep.UNDERSTAND_NEEDS: (LadderStep.BUILD_TRUST,),
    LadderStep.ASSESS_READINESS: (LadderStep.UNDERSTAND_PROVIDER, LadderStep.UNDERSTAND_NEEDS),
}
LADDER_DEPENDENTS: dict[LadderStep, tuple[LadderStep, ...]] = {
    step: tuple(later for later, before in LADDER_PREREQUISITES.items() if step in before)
    for step in LadderStep
}


# A closer relationship is not always a better one: the reminder shown wherever a target is chosen.
CLOSER_IS_NOT_ALWAYS_BETTER = (
    "A closer relationship is not always a better one: it costs both sides more openness, time and "
    "shared risk. Aim for the type that adds value for this consumer, not automatically for a partnership."
)
