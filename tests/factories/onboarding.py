"""Factories for Onboard: plans, goals, actions with dependencies, comments, links and reminders. They
write rows directly, without the services' rules, so tests can set up any state."""

from datetime import timedelta

import factory
from django.utils import timezone

from onboarding.models import (
    ActionComment,
    ActionDependency,
    ActionLink,
    ActionReminder,
    ActionStatus,
    GoalEvaluation,
    OnboardingPlan,
    PlanAction,
    PlanGoal,
    PlanKind,
    PlanStatus,
    ReminderKind,
)
from tests.factories.journeys import OrganizationFactory, StakeholderFactory


class OnboardingPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OnboardingPlan
        skip_postgeneration_save = True

    organization = factory.SubFactory(OrganizationFactory)
    kind = PlanKind.ONBOARDING
    title = factory.Sequence(lambda n: f"Onboarding plan {n}")
    status = PlanStatus.IN_PROGRESS
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=14))
    ends_on = factory.LazyAttribute(lambda plan: plan.starts_on + timedelta(days=60))
    owner = factory.LazyAttribute(lambda plan: plan.organization.owner)


class OffboardingPlanFactory(OnboardingPlanFactory):
    kind = PlanKind.OFFBOARDING
    title = factory.Sequence(lambda n: f"Offboarding plan {n}")
    reason = "agreement_expired"
    offboarding_kind = "customer"


class PlanGoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanGoal

    plan = factory.SubFactory(OnboardingPlanFactory)
    description = factory.Sequence(lambda n: f"Goal {n}")
    metric = "Share of users who signed in"
    target = "90 %"
    target_date = factory.LazyAttribute(lambda goal: goal.plan.starts_on + timedelta(days=30))
    evaluation = GoalEvaluation.PENDING
    position = factory.Sequence(lambda n: n)


class PlanActionFactory(factory.django.DjangoModelFactory):
    """A provider action owned by the plan's owner; pass `owner_party="consumer"` with an
    `owner_stakeholder` for a consumer action."""

    class Meta:
        model = PlanAction

    plan = factory.SubFactory(OnboardingPlanFactory)
    title = factory.Sequence(lambda n: f"Action {n}")
    owner_party = "provider"
    owner_user = factory.LazyAttribute(
        lambda action: action.plan.owner if action.owner_party == "provider" else None
    )
    due_on = factory.LazyAttribute(lambda action: action.plan.starts_on + timedelta(days=7))
    status = ActionStatus.PLANNED
    position = factory.Sequence(lambda n: n)


class ConsumerActionFactory(PlanActionFactory):
    owner_party = "consumer"
    owner_user = None
    owner_stakeholder = factory.SubFactory(
        StakeholderFactory, organization=factory.SelfAttribute("..plan.organization")
    )


class ActionDependencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionDependency

    action = factory.SubFactory(PlanActionFactory)
    depends_on = factory.SubFactory(PlanActionFactory, plan=factory.SelfAttribute("..action.plan"))


class ActionCommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionComment

    action = factory.SubFactory(PlanActionFactory)
    body = "Waiting for the VPN accounts."


class ActionLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionLink

    action = factory.SubFactory(ConsumerActionFactory)
    stakeholder = factory.LazyAttribute(lambda link: link.action.owner_stakeholder)
    nonce = factory.Sequence(lambda n: f"nonce-{n}")
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=14))


class ActionReminderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionReminder

    action = factory.SubFactory(PlanActionFactory)
    day = factory.LazyFunction(timezone.localdate)
    kind = ReminderKind.OVERDUE
    recipient = "owner@provider.example"


__all__ = [
    "ActionCommentFactory",
    "ActionDependencyFactory",
    "ActionLinkFactory",
    "ActionReminderFactory",
    "ConsumerActionFactory",
    "OffboardingPlanFactory",
    "OnboardingPlanFactory",
    "PlanActionFactory",
    "PlanGoalFactory",
]
