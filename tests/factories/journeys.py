"""Factories for the journey spine."""

from datetime import timedelta

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from journeys.models import (
    Channel,
    Journey,
    JourneyStep,
    JourneyStepChange,
    Organization,
    OrganizationKind,
    Stakeholder,
    Team,
    Touchpoint,
    TouchpointKind,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@provider.example")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.django.Password("demo-password")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            for name in extracted:
                # get_or_create: a transactional test empties every table, the roles' groups included.
                self.groups.add(Group.objects.get_or_create(name=name)[0])


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Account team {n}")

    @factory.post_generation
    def members(self, create, extracted, **kwargs):
        if create and extracted:
            self.members.add(*extracted)


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Consumer {n} Ltd")
    kind = OrganizationKind.CONSUMER
    industry = "Logistics"
    country = "NL"
    city = "Utrecht"


class StakeholderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Stakeholder

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Faker("name")
    job_title = "Operations lead"
    email = factory.Sequence(lambda n: f"person{n}@consumer.example")
    is_user = True
    influence = 3
    interest = 3


class JourneyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Journey
        skip_postgeneration_save = True

    organization = factory.SubFactory(OrganizationFactory)
    name = "Managed workplace service"
    current_step = JourneyStep.ENGAGE
    started_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=30))
    step_entered_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=10))

    @factory.post_generation
    def history(self, create, extracted, **kwargs):
        if create:
            JourneyStepChange.objects.create(
                journey=self, from_step="", to_step=self.current_step, changed_at=self.step_entered_at
            )


class TouchpointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Touchpoint

    organization = factory.SubFactory(OrganizationFactory)
    step = JourneyStep.ENGAGE
    channel = Channel.EMAIL
    kind = TouchpointKind.QUERY
    sentiment = 0
    summary = "Asked about the renewal date"
    occurred_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=2))
