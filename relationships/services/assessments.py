"""Writes of the relationship assessments: recording one (its answers and its computed results) and
deleting one.

Recording is all or nothing: every item of the questionnaire must be answered within its scale, and
the answers, the relationship record (created the first time) and the results land in one
transaction; any bad input names the item (`answers.<code>`) or field to fix, and nothing is saved.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from journeys import roles
from journeys.base import ApplicationError
from journeys.events import journey_event_record
from journeys.models import Organization
from journeys.selectors import organization_is_visible
from relationships.models import (
    Assessment,
    AssessmentAnswer,
    AssessmentDirection,
    AssessmentKind,
    EngageEventType,
)
from relationships.questionnaires import TRUST_DIRECTIONS, Questionnaire, questionnaire_for
from relationships.selectors.assessments import assessment_result
from relationships.services.relationship import service_relationship_for

__all__ = ["assessment_delete", "assessment_record"]

RESPONDENT_MAX_LENGTH = Assessment._meta.get_field("respondent").max_length


def _require_may_assess(actor, organization: Organization) -> None:
    if not organization_is_visible(actor, organization):
        raise Http404("Not found.")
    if not roles.may_manage_accounts(actor):
        raise PermissionDenied("Your role may not record or delete assessments.")


def _questionnaire(kind: str, direction: str | None) -> Questionnaire:
    if kind not in AssessmentKind.values:
        raise ApplicationError.for_field(
            "kind", f"“{kind}” is not a kind of assessment; use one of {', '.join(AssessmentKind.values)}."
        )
    if kind == AssessmentKind.TRUST:
        if not direction:
            raise ApplicationError.for_field(
                "direction",
                "Say who is rated: provider_by_consumer (the consumer rates us) or consumer_by_provider "
                "(we rate the consumer).",
            )
        if direction not in TRUST_DIRECTIONS:
            raise ApplicationError.for_field(
                "direction", f"Trust is rated one way at a time; use one of {', '.join(TRUST_DIRECTIONS)}."
            )
    # "mutual" is accepted as a harmless echo of what is stored; any other direction is refused.
    elif direction not in (None, "", AssessmentDirection.MUTUAL):
        raise ApplicationError.for_field(
            "direction",
            f"Only trust is rated in one direction; {AssessmentKind(kind).label.lower()} looks at the "
            "relationship as a whole, so leave the direction out.",
        )
    return questionnaire_for(kind, direction)


def _answer_errors(questionnaire: Questionnaire, answers) -> dict[str, list[str]]:
    """Every problem with the answers, keyed `answers.<item code>`: unknown items, unanswered items and
    values outside the scale."""
    if not isinstance(answers, dict):
        return {"answers": ["Give the answers as an object of item code → value."]}
    errors: dict[str, list[str]] = {}
    allowed = questionnaire.allowed_values
    for code in answers:
        if code not in questionnaire.items:
            errors[f"answers.{code}"] = [
                f"“{code}” is not an item of the {questionnaire.title} questionnaire."
            ]
    for code, (_, item) in questionnaire.items.items():
        value = answers.get(code)
        if value is None:
            errors[f"answers.{code}"] = [
                f"“{item.text}” ({code}) is not answered; give {questionnaire.allowed_text}."
            ]
        elif isinstance(value, bool) or not isinstance(value, int) or value not in allowed:
            errors[f"answers.{code}"] = [
                f"“{item.text}” ({code}) takes {questionnaire.allowed_text}; {value!r} is outside that."
            ]
    return errors


def _field_errors(assessed_on, respondent: str, notes: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not isinstance(assessed_on, date):
        errors["assessed_on"] = ["Give the date of the assessment, e.g. 2026-03-31."]
    elif assessed_on > timezone.localdate():
        errors["assessed_on"] = [
            f"{assessed_on:%d %b %Y} is in the future; record an assessment on or after the day it was made."
        ]
    if not isinstance(respondent, str) or len(respondent) > RESPONDENT_MAX_LENGTH:
        errors["respondent"] = [f"Name the respondent in at most {RESPONDENT_MAX_LENGTH} characters."]
    if not isinstance(notes, str):
        errors["notes"] = ["Notes are text."]
    return errors


@transaction.atomic
def assessment_record(
    *,
    actor,
    organization: Organization,
    kind: str,
    direction: str | None = None,
    assessed_on: date | None = None,
    respondent: str = "",
    notes: str = "",
    answers: dict[str, int],
) -> Assessment:
    """Record an assessment of the consumer's relationship with every item of its questionnaire
    answered, and store its results (trust index or readiness score; for maturity both sides' levels
    and the overall level), computed in the database from the answers just inserted."""
    _require_may_assess(actor, organization)
    questionnaire = _questionnaire(kind, direction)
    assessed_on = timezone.localdate() if assessed_on is None else assessed_on
    respondent, notes = respondent or "", notes or ""
    errors = _field_errors(assessed_on, respondent, notes) | _answer_errors(questionnaire, answers)
    if errors:
        first = next(iter(errors.values()))[0]
        message = first if len(errors) == 1 else f"{first} ({len(errors)} problems in all.)"
        raise ApplicationError(message, fields=errors)
    relationship = service_relationship_for(organization=organization)
    assessment = Assessment.objects.create(
        relationship=relationship,
        kind=kind,
        direction=questionnaire.direction,
        assessed_on=assessed_on,
        assessed_by=actor if getattr(actor, "pk", None) else None,
        respondent=respondent.strip(),
        notes=notes.strip(),
    )
    AssessmentAnswer.objects.bulk_create(
        AssessmentAnswer(assessment=assessment, factor=factor.code, item=code, value=answers[code])
        for code, (factor, _) in questionnaire.items.items()
    )
    result = assessment_result(assessment=assessment)
    assessment.score = result.score
    assessment.consumer_level = result.consumer_level
    assessment.provider_level = result.provider_level
    assessment.save(update_fields=["score", "consumer_level", "provider_level", "updated_at"])
    journey_event_record(
        event_type=EngageEventType.ASSESSMENT_RECORDED,
        organization=organization,
        actor=actor,
        payload={
            "assessment": assessment.pk,
            "kind": assessment.kind,
            "direction": assessment.direction,
            "assessed_on": str(assessment.assessed_on),
            "score": str(assessment.score) if assessment.score is not None else None,
            "consumer_level": assessment.consumer_level,
            "provider_level": assessment.provider_level,
        },
    )
    return assessment


@transaction.atomic
def assessment_delete(*, actor, assessment: Assessment) -> None:
    """Remove an assessment recorded in error, with its answers; the trend simply loses that point."""
    _require_may_assess(actor, assessment.relationship.organization)
    assessment.delete()
