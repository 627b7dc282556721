"""Reads of Explore about personas and jobs to be done. Personas live in the journey spine (every
step's journey maps use them); Explore adds what it knows about them: the segments they stand for and
the jobs they hire a service to do, ranked by opportunity.

Personas, segments and jobs are the provider's own market view: every role reads all of them.
"""

from __future__ import annotations

from django.db.models import Count, F, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Greatest
from django.http import Http404

from exploration.models import JobToBeDone, MarketSegment
from journeys.models import Persona
from journeys.selectors import persona_list, persona_scope

__all__ = [
    "job_to_be_done_get",
    "job_to_be_done_list",
    "job_to_be_done_scope",
    "opportunity_expression",
    "persona_list_with_usage",
    "persona_segments",
]


def _count_per_persona(queryset: QuerySet, persona_field: str) -> Coalesce:
    """A correlated count per persona: one subquery per figure instead of joins that would multiply
    each other (a persona with 3 scenarios and 4 jobs is not 12 of anything)."""
    counted = (
        queryset.filter(**{persona_field: OuterRef("pk")})
        .order_by()
        .values(persona_field)
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def persona_list_with_usage(*, user) -> QuerySet[Persona]:
    """The spine's persona list with what Explore adds: `job_count` and `segment_count`, besides the
    spine's `scenario_count`. One query whatever the number of personas."""
    links = MarketSegment.personas.through.objects.all()
    return persona_list(user=user).annotate(
        job_count=_count_per_persona(JobToBeDone.objects.all(), "persona"),
        segment_count=_count_per_persona(links, "persona"),
    )


def persona_segments(*, user, persona: Persona) -> QuerySet[MarketSegment]:
    """The segments the persona stands for, by name."""
    visible = persona_scope(user).filter(pk=persona.pk)
    return MarketSegment.objects.filter(personas__in=visible).order_by("name", "pk")


def opportunity_expression() -> Greatest:
    """Opportunity in SQL, the same figure as `JobToBeDone.opportunity`: importance plus the part of it
    left unserved, importance + max(importance − satisfaction, 0). From 1 (minor and fully served) to
    9 (vital and badly served). GREATEST exists on SQLite (as MAX) and PostgreSQL alike."""
    unserved = Greatest(F("importance") - F("satisfaction"), Value(0), output_field=IntegerField())
    return F("importance") + unserved


def job_to_be_done_scope(user) -> QuerySet[JobToBeDone]:
    if not getattr(user, "is_authenticated", False):
        return JobToBeDone.objects.none()
    return JobToBeDone.objects.all()


def job_to_be_done_list(
    *, user, persona: Persona | None = None, segment: MarketSegment | None = None
) -> QuerySet[JobToBeDone]:
    """Jobs to be done, optionally of one persona and/or one segment, the biggest opportunity first
    (`opportunity_score`, computed by the database); ties go to the more important job, then by name.
    One query: persona and segment come along by join."""
    jobs = job_to_be_done_scope(user).select_related("persona", "segment")
    if persona is not None:
        jobs = jobs.filter(persona=persona)
    if segment is not None:
        jobs = jobs.filter(segment=segment)
    return jobs.annotate(opportunity_score=opportunity_expression()).order_by(
        "-opportunity_score", "-importance", "job", "pk"
    )


def job_to_be_done_get(*, user, pk: int) -> JobToBeDone:
    job = job_to_be_done_list(user=user).filter(pk=pk).first()
    if job is None:
        raise Http404("No such job to be done.")
    return job
