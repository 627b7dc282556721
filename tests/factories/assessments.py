"""Factories and helpers for the relationship assessments.

Most tests record assessments through the service (so the stored results are the computed ones); the
factories are for rows whose figures a test sets on purpose (plans, histories, query counts)."""

from __future__ import annotations

from datetime import date

import factory
from django.utils import timezone

from relationships import services
from relationships.models import (
    Assessment,
    AssessmentAnswer,
    AssessmentDirection,
    AssessmentKind,
    RelationshipType,
    ServiceRelationship,
)
from relationships.questionnaires import Scale, questionnaire_for
from tests.factories.journeys import OrganizationFactory


class ServiceRelationshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceRelationship
        django_get_or_create = ("organization",)

    organization = factory.SubFactory(OrganizationFactory)
    current_type = RelationshipType.BASIC
    target_type = RelationshipType.BASIC


class AssessmentFactory(factory.django.DjangoModelFactory):
    """An assessment row with the figures given (no answers): for plans and trends."""

    class Meta:
        model = Assessment

    relationship = factory.SubFactory(ServiceRelationshipFactory)
    kind = AssessmentKind.TRUST
    direction = factory.LazyAttribute(
        lambda a: (
            AssessmentDirection.PROVIDER_BY_CONSUMER
            if a.kind == AssessmentKind.TRUST
            else AssessmentDirection.MUTUAL
        )
    )
    assessed_on = factory.LazyFunction(timezone.localdate)
    score = 4


class AssessmentAnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AssessmentAnswer

    assessment = factory.SubFactory(AssessmentFactory)
    factor = "capability"
    item = factory.Sequence(lambda n: f"item_{n}")
    value = 4


def answers_for(kind: str, direction: str | None = None, value: int | None = None, **overrides: int) -> dict:
    """Every item of the questionnaire answered with `value` (4 for ratings, 1 = met for checklists),
    then the items named in `overrides` set to theirs."""
    questionnaire = questionnaire_for(kind, direction)
    if value is None:
        value = 1 if questionnaire.scale == Scale.CHECKLIST else 4
    return {code: value for code in questionnaire.items} | overrides


def record(
    *,
    actor,
    organization,
    kind: str,
    direction: str | None = None,
    assessed_on: date | None = None,
    value: int | None = None,
    **overrides: int,
) -> Assessment:
    """Record an assessment through the service, all items at `value` unless overridden."""
    return services.assessment_record(
        actor=actor,
        organization=organization,
        kind=kind,
        direction=direction,
        assessed_on=assessed_on,
        answers=answers_for(kind, direction, value, **overrides),
    )
