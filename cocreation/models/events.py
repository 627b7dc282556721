"""The journey event types Co-create records (journeys.events), for later steps and outbound webhooks."""

from django.db import models

__all__ = ["CoCreateEventType"]


class CoCreateEventType(models.TextChoices):
    REQUEST_OPENED = "request.opened", "Request or user query opened"
    REQUEST_STATUS_CHANGED = "request.status_changed", "Request status changed"
    REQUEST_CLOSED = "request.closed", "Request closed"
    CLOCK_WARNING = "request.clock_warning", "Request clock close to its limit"
    CLOCK_BREACHED = "request.clock_breached", "Request clock breached"
    FEEDBACK_RECEIVED = "feedback.received", "Feedback received"
