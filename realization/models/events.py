"""The journey event types Realize records (journeys.events), for outbound webhooks."""

from django.db import models

__all__ = ["RealizeEventType"]


class RealizeEventType(models.TextChoices):
    SURVEY_ANSWERED = "survey.answered", "Survey answered"
    FOLLOW_UP_OPENED = "survey.follow_up_opened", "Poor survey answer to follow up"
    WATERMELON_DETECTED = "value.watermelon_detected", "Watermelon detected"
    VALUE_REVIEW_SIGNED_OFF = "value_review.signed_off", "Value review signed off"
