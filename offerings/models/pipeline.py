"""The opportunity pipeline: each consumer's openings for an offering, from demand to an agreement
(or a loss), shown as a board with one column per stage."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from journeys.base import BaseModel

__all__ = [
    "Opportunity",
    "OpportunityStage",
]


class OpportunityStage(models.TextChoices):
    """Demand expressed, a proposal made, then agreed or lost. Agreed and lost close it."""

    DEMAND = "demand", "Demand"
    PROPOSAL = "proposal", "Proposal"
    AGREED = "agreed", "Agreed"
    LOST = "lost", "Lost"

    @property
    def is_closed(self) -> bool:
        return self in (OpportunityStage.AGREED, OpportunityStage.LOST)


class Opportunity(BaseModel):
    # Indexed with the board order below.
    organization = models.ForeignKey(
        "journeys.Organization", on_delete=models.CASCADE, related_name="opportunities", db_index=False
    )
    offering = models.ForeignKey(
        "offerings.ServiceOffering",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="opportunities",
    )
    journey = models.ForeignKey(
        "journeys.Journey", on_delete=models.SET_NULL, null=True, blank=True, related_name="opportunities"
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, default="")
    stage = models.CharField(max_length=20, choices=OpportunityStage.choices, default=OpportunityStage.DEMAND)
    stage_changed_at = models.DateTimeField(help_text="When the opportunity entered its current stage.")
    estimated_value = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="What the opportunity is worth if agreed, e.g. the first year's revenue.",
    )
    expected_close_date = models.DateField(null=True, blank=True)
    lost_reason = models.TextField(blank=True, default="", help_text="Why it was lost, to learn from it.")
    position = models.PositiveIntegerField(
        default=0, help_text="Its place in its stage column: lowest on top."
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "opportunities"
        ordering = ["organization_id", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(stage__in=OpportunityStage.values), name="opportunity_stage_valid"
            ),
            models.CheckConstraint(
                condition=Q(estimated_value__isnull=True) | Q(estimated_value__gte=0),
                name="opportunity_value_not_negative",
                violation_error_message="The estimated value cannot be negative.",
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "stage", "position"], name="opportunity_board"),
            models.Index(fields=["stage", "position"], name="opportunity_stage"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_closed(self) -> bool:
        return OpportunityStage(self.stage).is_closed
