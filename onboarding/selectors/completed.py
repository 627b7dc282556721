"""Reads of completed plans for the steps after Onboard, which pull their work instead of being told
(Realize asks for a survey after onboarding completes). Not scoped to a user: the callers are jobs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from onboarding.models import OnboardingPlan, PlanKind, PlanStatus

__all__ = ["CompletedPlan", "plans_completed_between"]


@dataclass(frozen=True)
class CompletedPlan:
    plan_id: int
    title: str
    organization_id: int
    journey_id: int | None
    completed_at: datetime
    owner_id: int | None


def plans_completed_between(
    *, since: datetime | None, until: datetime, kind: str = PlanKind.ONBOARDING
) -> list[CompletedPlan]:
    """The plans of `kind` completed after `since` (everything when None) and up to `until`, oldest
    first. A plan completes once (completed is final), so each is found once per window."""
    plans = OnboardingPlan.objects.filter(
        kind=kind, status=PlanStatus.COMPLETED, completed_at__isnull=False, completed_at__lte=until
    )
    if since is not None:
        plans = plans.filter(completed_at__gt=since)
    return [
        CompletedPlan(*row)
        for row in plans.order_by("completed_at", "id").values_list(
            "id", "title", "organization_id", "journey_id", "completed_at", "owner_id"
        )
    ]
