"""Factories for designed journey maps and their stages (journey spine)."""

import factory

from journeys.models import JourneyMap, JourneyStep, MapStage, MapVersion
from tests.factories.personas import PersonaFactory


class JourneyMapFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JourneyMap

    persona = factory.SubFactory(PersonaFactory)
    name = factory.Sequence(lambda n: f"Journey map {n}")
    version = MapVersion.AS_IS


class MapStageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MapStage

    journey_map = factory.SubFactory(JourneyMapFactory)
    step = JourneyStep.EXPLORE
    step_number = factory.LazyAttribute(lambda stage: JourneyStep(stage.step).number)
    position = 0
    name = factory.Sequence(lambda n: f"Stage {n}")
    expected_emotion = 0
