"""Factories for personas and scenarios (journey spine) and jobs to be done (Explore)."""

import factory

from exploration.models import JobToBeDone
from journeys.models import Persona, Scenario


class PersonaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Persona

    name = factory.Sequence(lambda n: f"Persona {n}")
    job_title = "Operations lead"
    goals = "Keep every site running without surprises."


class ScenarioFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Scenario

    persona = factory.SubFactory(PersonaFactory)
    title = factory.Sequence(lambda n: f"Scenario {n}")
    journey_step = "explore"


class JobToBeDoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JobToBeDone

    persona = factory.SubFactory(PersonaFactory)
    segment = None
    job = factory.Sequence(lambda n: f"Job {n}")
    importance = 3
    satisfaction = 3
