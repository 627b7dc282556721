"""The journey event types Onboard records (journeys.events), for later steps and outbound webhooks."""

from django.db import models

__all__ = ["OnboardEventType"]


class OnboardEventType(models.TextChoices):
    PLAN_CREATED = "onboarding.plan_created", "Onboarding or offboarding plan created"
    PLAN_STATUS_CHANGED = "onboarding.plan_status_changed", "Onboarding or offboarding plan status changed"
    PLAN_ACCEPTED = "onboarding.plan_accepted", "Plan accepted by the customer"
    PLAN_COMPLETED = "onboarding.plan_completed", "Onboarding or offboarding plan completed"
    ACTION_STATUS_CHANGED = "onboarding.action_status_changed", "Plan action status changed"
