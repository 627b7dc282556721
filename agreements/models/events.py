"""The journey event types Agree records (journeys.events), for later steps and outbound webhooks."""

from django.db import models

__all__ = ["AgreeEventType"]


class AgreeEventType(models.TextChoices):
    AGREEMENT_STATUS_CHANGED = "agreement.status_changed", "Agreement status changed"
    AGREEMENT_REVIEWED = "agreement.reviewed", "Agreement reviewed"
    SLA_BREACHED = "sla.breached", "Service level target breached"
