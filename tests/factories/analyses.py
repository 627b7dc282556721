"""Factories for SWOT and PESTLE analyses."""

import factory

from exploration.models import (
    AnalysisSubject,
    PestleAnalysis,
    PestleArea,
    PestleEffect,
    PestleFactor,
    SwotAnalysis,
    SwotItem,
    SwotQuadrant,
)


class SwotAnalysisFactory(factory.django.DjangoModelFactory):
    """Of our own organization unless an organization or segment is given."""

    class Meta:
        model = SwotAnalysis

    title = factory.Sequence(lambda n: f"SWOT {n}")
    subject = factory.LazyAttribute(
        lambda analysis: (
            AnalysisSubject.ORGANIZATION
            if analysis.organization
            else AnalysisSubject.SEGMENT
            if analysis.segment
            else AnalysisSubject.PROVIDER
        )
    )
    organization = None
    segment = None


class SwotItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SwotItem

    analysis = factory.SubFactory(SwotAnalysisFactory)
    quadrant = SwotQuadrant.STRENGTH
    text = factory.Sequence(lambda n: f"Item {n}")
    weight = 1


class PestleAnalysisFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PestleAnalysis

    title = factory.Sequence(lambda n: f"PESTLE {n}")
    subject = factory.LazyAttribute(
        lambda analysis: (
            AnalysisSubject.ORGANIZATION
            if analysis.organization
            else AnalysisSubject.SEGMENT
            if analysis.segment
            else AnalysisSubject.PROVIDER
        )
    )
    organization = None
    segment = None


class PestleFactorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PestleFactor

    analysis = factory.SubFactory(PestleAnalysisFactory)
    area = PestleArea.ECONOMIC
    factor = factory.Sequence(lambda n: f"Factor {n}")
    effect = PestleEffect.OPPORTUNITY
    impact = 3
    likelihood = 3
