"""Realize: the read models behind the live journey map.

`StepActivityMonth` holds, per organization, journey step and calendar month, the number of touchpoints,
the sum of their sentiment, the moments of truth and the negative contacts. The live journey map adds
these rows up for one account, a segment or the whole portfolio instead of reading a million
touchpoints. `RequestStanding` holds, per request that is open or has breached a clock, its step,
whether it is open and when it last breached. `JourneyStepStay` holds each stay of a journey in a
step: from the step change into it until the journey's next change, or until the journey ended, or
(still open) until now; the funnel's "reached" and the median time in step read these rows instead of
ordering every step change of the scope's journeys. `realization.services.step_activity_refresh`
keeps all three: it recounts the months of the accounts whose touchpoints changed since its last
run, the requests that changed or whose clocks did, and the stays of the journeys whose step changes
or end changed (a periodic job); `manage.py refresh_step_activity` rebuilds every row. Nothing is
kept that the touchpoints, the requests and the journeys' history cannot rebuild.
"""

from __future__ import annotations

from django.db import models

__all__ = ["JourneyStepStay", "RefreshMark", "RequestStanding", "StepActivityMonth"]


class StepActivityMonth(models.Model):
    organization = models.ForeignKey(
        "journeys.Organization", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    step = models.CharField(max_length=20)
    month = models.DateField(help_text="The first day of the month (site time zone).")
    touchpoints = models.PositiveIntegerField(default=0)
    sentiment_sum = models.IntegerField(default=0)
    moments_of_truth = models.PositiveIntegerField(default=0)
    negative = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "month", "step"], name="step_activity_once"),
        ]
        indexes = [
            models.Index(fields=["month", "step"], name="step_activity_month"),
            # The live map's sums over the scope's accounts and months, as an index-only scan on
            # PostgreSQL (the other databases ignore `include`).
            models.Index(
                fields=["organization", "month"],
                include=["step", "touchpoints", "sentiment_sum", "moments_of_truth", "negative"],
                name="step_activity_org_month",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.step} {self.month:%Y-%m}"


class JourneyStepStay(models.Model):
    """One stay of a journey in a step: one row per `JourneyStepChange`, entered at the change, left at
    the journey's next change (by time, then id), or when the journey ended; `left_at` is empty while
    the journey is still in the step. The organization is the journey's, copied so the live map
    filters its scope without a join."""

    journey = models.ForeignKey("journeys.Journey", on_delete=models.CASCADE, related_name="+")
    organization = models.ForeignKey(
        "journeys.Organization", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    step = models.CharField(max_length=20)
    entered_at = models.DateTimeField()
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            # The scope's stays per step with their times, as an index-only scan on PostgreSQL.
            models.Index(
                fields=["organization", "step"], include=["entered_at", "left_at"], name="step_stay_org_step"
            ),
        ]

    def __str__(self) -> str:
        return f"journey {self.journey_id} in {self.step} from {self.entered_at:%Y-%m-%d}"


class RequestStanding(models.Model):
    """Where a request stands, for the live map: one row per request that is open or has a breached
    clock (the others count in no figure): its organization and step, whether it is open, and when
    its latest breached clock breached."""

    request = models.OneToOneField(
        "cocreation.ServiceRequest", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    organization = models.ForeignKey(
        "journeys.Organization", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    step = models.CharField(max_length=20)
    is_open = models.BooleanField()
    breached_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            # The scope's requests per step, as an index-only scan on PostgreSQL.
            models.Index(
                fields=["organization"],
                include=["step", "is_open", "breached_at"],
                name="request_standing_org",
            ),
        ]

    def __str__(self) -> str:
        return f"request {self.request_id} in {self.step}"


class RefreshMark(models.Model):
    """How far a periodic refresh has read (the `updated_at` of the last source row it counted)."""

    name = models.CharField(max_length=60, primary_key=True)
    reached = models.DateTimeField(null=True, blank=True)
    refreshed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.name
