"""Factories for Engage: service relationships, ladder progress and communication plans."""

from datetime import date

import factory

from journeys.models import Channel
from relationships.models import (
    Cadence,
    CommunicationPlan,
    LadderProgress,
    LadderStatus,
    LadderStep,
    RelationshipType,
    ServiceRelationship,
)
from tests.factories.journeys import OrganizationFactory, StakeholderFactory


class ServiceRelationshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceRelationship
        django_get_or_create = ("organization",)

    organization = factory.SubFactory(OrganizationFactory)
    current_type = RelationshipType.BASIC
    target_type = RelationshipType.BASIC


class LadderProgressFactory(factory.django.DjangoModelFactory):
    """A step's progress written directly, without the ordering rules: tests set up any ladder."""

    class Meta:
        model = LadderProgress

    relationship = factory.SubFactory(ServiceRelationshipFactory)
    step = LadderStep.CREATE_ENVIRONMENT
    status = LadderStatus.DONE
    evidence = "Met the operations team at their depot open day."


class CommunicationPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommunicationPlan

    stakeholder = factory.SubFactory(StakeholderFactory)
    cadence_days = Cadence.MONTHLY
    preferred_channel = Channel.EMAIL
    purpose = "Monthly service review"
    starts_on = factory.LazyFunction(date.today)
