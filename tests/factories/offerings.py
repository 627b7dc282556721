"""Factories for Offer: the catalogue, requirements, demand profiles, opportunities, business cases
and onboarding playbooks. They write rows directly, without the services' rules, so tests can set up
any state (and the model tests can check what the database itself refuses)."""

from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from journeys.models import ConsumerRole
from offerings.models import (
    Assumption,
    BenefitLine,
    BenefitType,
    BusinessCase,
    BusinessCasePerspective,
    BusinessCaseRisk,
    BusinessCaseStatus,
    Confidence,
    CostCategory,
    CostLine,
    DemandDimension,
    DemandProfile,
    DemandProfileCell,
    DemandProfileSource,
    EngagementTier,
    ExpenseType,
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
    Recurrence,
    Requirement,
    RequirementKind,
    RequirementStatus,
    Service,
    ServiceOffering,
    ValueProposition,
)
from tests.factories.exploration import MarketSegmentFactory
from tests.factories.journeys import JourneyFactory, OrganizationFactory

# --- catalogue --------------------------------------------------------------------------------------


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service

    name = factory.Sequence(lambda n: f"Managed workplace {n}")
    description = "Laptops, accounts and support for office staff."


class ServiceOfferingFactory(factory.django.DjangoModelFactory):
    """A draft offering; pass status=OfferingStatus.PUBLISHED for a published one (it gets a date)."""

    class Meta:
        model = ServiceOffering
        skip_postgeneration_save = True

    service = factory.SubFactory(ServiceFactory)
    name = factory.Sequence(lambda n: f"Workplace offering {n}")
    summary = "A ready-to-work laptop with support during office hours."
    status = OfferingStatus.DRAFT
    published_at = factory.LazyAttribute(
        lambda offering: (
            timezone.now() - timedelta(days=10)
            if offering.status in (OfferingStatus.PUBLISHED, OfferingStatus.RETIRED)
            else None
        )
    )
    retired_at = factory.LazyAttribute(
        lambda offering: timezone.now() if offering.status == OfferingStatus.RETIRED else None
    )

    @factory.post_generation
    def target_segments(self, create, extracted, **kwargs):
        if create and extracted:
            self.target_segments.add(*extracted)

    @factory.post_generation
    def target_personas(self, create, extracted, **kwargs):
        if create and extracted:
            self.target_personas.add(*extracted)


class OfferingComponentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OfferingComponent

    offering = factory.SubFactory(ServiceOfferingFactory)
    kind = OfferingComponentKind.GOODS
    name = factory.Sequence(lambda n: f"Component {n}")
    position = factory.Sequence(lambda n: n)


class EngagementTierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EngagementTier

    offering = factory.SubFactory(ServiceOfferingFactory)
    name = factory.Sequence(lambda n: f"Tier {n}")
    description = "Self-service portal and e-mail support on working days."
    position = factory.Sequence(lambda n: n)


class ValuePropositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ValueProposition

    offering = factory.SubFactory(ServiceOfferingFactory)
    segment = factory.SubFactory(MarketSegmentFactory)
    persona = None
    headline = "New starters productive on their first morning"
    how_it_solves_problems = "No more waiting a week for a laptop and accounts."
    what_to_expect = "A configured device on the desk and a named contact for questions."
    advantage_over_competitors = "We already run the customer's identity platform."
    target_decision_maker_role = ConsumerRole.CUSTOMER


class OfferingJourneyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OfferingJourney

    offering = factory.SubFactory(ServiceOfferingFactory)
    journey = factory.SubFactory(JourneyFactory)


# --- demand -----------------------------------------------------------------------------------------


class RequirementFactory(factory.django.DjangoModelFactory):
    """A drafted utility requirement, scored for WSJF (CoD 3 + 5 + 2 = 10, job size 5: score 2.00)."""

    class Meta:
        model = Requirement

    organization = factory.SubFactory(OrganizationFactory)
    title = factory.Sequence(lambda n: f"Requirement {n}")
    as_a = "fleet manager"
    i_want = "to book a replacement car from my phone"
    so_that = "drivers are back on the road the same day"
    kind = RequirementKind.UTILITY
    status = RequirementStatus.DRAFTED
    moscow = MoscowCategory.SHOULD
    rank = factory.Sequence(lambda n: n + 1)
    service_impact = 3
    urgency = 5
    risk_reduction = 2
    job_size = 5


class DemandProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DemandProfile

    offering = factory.SubFactory(ServiceOfferingFactory)
    source = DemandProfileSource.ENTERED
    activity = "Timesheets filled in on Friday afternoons"


class DemandProfileCellFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DemandProfileCell

    profile = factory.SubFactory(DemandProfileFactory)
    dimension = DemandDimension.HOUR_OF_DAY
    bucket = factory.Sequence(lambda n: n % 24)
    volume = 10


class OpportunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Opportunity

    organization = factory.SubFactory(OrganizationFactory)
    title = factory.Sequence(lambda n: f"Opportunity {n}")
    stage = OpportunityStage.DEMAND
    stage_changed_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=3))
    estimated_value = Decimal("25000.00")
    position = factory.Sequence(lambda n: n)


# --- business cases ---------------------------------------------------------------------------------


class BusinessCaseFactory(factory.django.DjangoModelFactory):
    """A draft customer business case, 10 % discount rate over years 0–3, with no lines."""

    class Meta:
        model = BusinessCase

    organization = factory.SubFactory(OrganizationFactory)
    perspective = BusinessCasePerspective.CONSUMER
    title = factory.Sequence(lambda n: f"Business case {n}")
    purpose = "Cut the time new staff wait for a working laptop."
    discount_rate = Decimal("0.1000")
    horizon_years = 3
    status = BusinessCaseStatus.DRAFT
    approved_at = factory.LazyAttribute(
        lambda case: timezone.now() if case.status == BusinessCaseStatus.APPROVED else None
    )


class CostLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CostLine

    business_case = factory.SubFactory(BusinessCaseFactory)
    description = "Roll-out and set-up"
    category = CostCategory.INVESTMENT
    expense_type = ExpenseType.CAPITAL
    recurrence = Recurrence.ONE_OFF
    year = 0
    last_year = None
    amount = Decimal("1000.00")


class BenefitLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BenefitLine

    business_case = factory.SubFactory(BusinessCaseFactory)
    description = "Fewer hours lost by new starters"
    benefit_type = BenefitType.COST_REDUCTION
    indicator = "Days from start date to first login"
    recurrence = Recurrence.RECURRING
    year = 1
    last_year = 3
    amount = Decimal("600.00")


class BusinessCaseRiskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BusinessCaseRisk

    business_case = factory.SubFactory(BusinessCaseFactory)
    description = "Supplier cannot deliver devices on time"
    probability = Decimal("0.2000")
    impact = Decimal("500.00")


class AssumptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assumption

    business_case = factory.SubFactory(BusinessCaseFactory)
    text = "Forty people start each year."
    confidence = Confidence.MEDIUM


# --- onboarding playbooks ---------------------------------------------------------------------------


class OnboardingPlaybookFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OnboardingPlaybook

    offering = factory.SubFactory(ServiceOfferingFactory)
    name = factory.Sequence(lambda n: f"Standard onboarding {n}")
    vision = "Every user works on the new service within a month."


class PlaybookActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlaybookAction

    playbook = factory.SubFactory(OnboardingPlaybookFactory)
    title = factory.Sequence(lambda n: f"Action {n}")
    owner_party = OwnerParty.PROVIDER
    due_after_days = 5
    position = factory.Sequence(lambda n: n)


class PlaybookActionDependencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlaybookActionDependency

    action = factory.SubFactory(PlaybookActionFactory)
    depends_on = factory.SubFactory(
        PlaybookActionFactory, playbook=factory.SelfAttribute("..action.playbook")
    )
