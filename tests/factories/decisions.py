"""Factories for decision matrices (Explore): a matrix, its criteria (rows), options (columns) and
ratings (cells)."""

import factory

from exploration.models import DecisionCriterion, DecisionMatrix, DecisionOption, DecisionRating


class DecisionMatrixFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DecisionMatrix

    title = factory.Sequence(lambda n: f"Hosting choice {n}")
    purpose = "Pick the hosting partner for the resident portal."


class DecisionCriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DecisionCriterion

    matrix = factory.SubFactory(DecisionMatrixFactory)
    name = factory.Sequence(lambda n: f"Criterion {n}")
    weight = 5
    position = factory.Sequence(lambda n: n)


class DecisionOptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DecisionOption

    matrix = factory.SubFactory(DecisionMatrixFactory)
    name = factory.Sequence(lambda n: f"Option {n}")


class DecisionRatingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DecisionRating

    option = factory.SubFactory(DecisionOptionFactory)
    criterion = factory.SubFactory(DecisionCriterionFactory, matrix=factory.SelfAttribute("..option.matrix"))
    rating = 3
