"""Writes of Explore about jobs to be done: what a persona or a segment "hires" a service for, with how
much it matters (importance) and how well it is served today (satisfaction).

Personas themselves are written by the spine's services (journeys.services.persona_create and
friends); jobs follow the same rights: the roles that shape accounts shape them, the others read.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from exploration.models import JobToBeDone, MarketSegment
from journeys import roles
from journeys.base import ApplicationError
from journeys.models import Persona

__all__ = [
    "JOB_TO_BE_DONE_FIELDS",
    "job_to_be_done_create",
    "job_to_be_done_delete",
    "job_to_be_done_update",
]

JOB_TO_BE_DONE_FIELDS = (
    "persona",
    "segment",
    "job",
    "situation",
    "desired_outcome",
    "importance",
    "satisfaction",
)
_TEXT_FIELDS = {"job", "situation", "desired_outcome"}


def _require_job_rights(actor) -> None:
    if not roles.may_manage_accounts(actor):
        raise PermissionDenied("Only relationship managers and administrators record jobs to be done.")


def _apply(job: JobToBeDone, fields: dict[str, Any]) -> list[str]:
    unknown = sorted(set(fields) - set(JOB_TO_BE_DONE_FIELDS))
    if unknown:
        raise ApplicationError(
            f"Unknown field: {', '.join(unknown)}.", fields={name: ["Unknown field."] for name in unknown}
        )
    changed = []
    for name, value in fields.items():
        if name in _TEXT_FIELDS:
            value = (value or "").strip()
        if name in ("persona", "segment"):
            if getattr(job, f"{name}_id") != getattr(value, "pk", None):
                setattr(job, name, value)
                changed.append(name)
        elif getattr(job, name) != value:
            setattr(job, name, value)
            changed.append(name)
    return changed


def _check(job: JobToBeDone) -> None:
    """Whose job it is first (the rule people miss most), then each field's own rule (text, 1–5
    ranges), so every error names the input to fix. The database constraints stay as the last guard."""
    if job.persona_id is None and job.segment_id is None:
        raise ApplicationError.for_field(
            "persona", "Say whose job this is: choose a persona, a segment or both."
        )
    try:
        job.full_clean(
            exclude=["persona", "segment", "owner"], validate_unique=False, validate_constraints=False
        )
    except ValidationError as error:
        fields = {name: [str(text) for text in messages] for name, messages in error.message_dict.items()}
        raise ApplicationError(next(iter(fields.values()))[0], fields=fields) from None


@transaction.atomic
def job_to_be_done_create(
    *,
    actor,
    job: str,
    persona: Persona | None = None,
    segment: MarketSegment | None = None,
    situation: str = "",
    desired_outcome: str = "",
    importance: int = 3,
    satisfaction: int = 3,
) -> JobToBeDone:
    """Record a job for a persona, a segment or both; the actor owns the record."""
    _require_job_rights(actor)
    record = JobToBeDone(owner=actor if getattr(actor, "pk", None) else None)
    _apply(
        record,
        {
            "persona": persona,
            "segment": segment,
            "job": job,
            "situation": situation,
            "desired_outcome": desired_outcome,
            "importance": importance,
            "satisfaction": satisfaction,
        },
    )
    _check(record)
    record.save()
    return record


@transaction.atomic
def job_to_be_done_update(*, actor, job_to_be_done: JobToBeDone, **fields: Any) -> JobToBeDone:
    """Change any of JOB_TO_BE_DONE_FIELDS; setting persona (or segment) to None detaches it, as long as
    the other one remains."""
    _require_job_rights(actor)
    record = JobToBeDone.objects.select_for_update().get(pk=job_to_be_done.pk)
    if not _apply(record, fields):
        return record
    _check(record)
    record.save()
    return record


@transaction.atomic
def job_to_be_done_delete(*, actor, job_to_be_done: JobToBeDone) -> None:
    _require_job_rights(actor)
    job_to_be_done.delete()
