from __future__ import annotations

from django.db import models

__all__ = [
    "OfferEventType",
]


class OfferEventType(models.TextChoices):
    """What Offer records in the journey event outbox (journeys.events), for later steps and webhooks."""

    OFFERING_PUBLISHED = "offering.published", "Service offering published"
    OFFERING_RETIRED = "offering.retired", "Service offering retired"
    REQUIREMENT_REPRIORITIZED = "requirement.reprioritized", "Requirement reprioritized"
    BUSINESS_CASE_APPROVED = "business_case.approved", "Business case approved"
    OPPORTUNITY_STAGE_CHANGED = "opportunity.stage_changed", "Opportunity stage changed"
