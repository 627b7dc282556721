"""Signed links for consumer owners: an e-mailed link lets the stakeholder who owns an action mark it
done or comment on it without an account. The link carries a signed token naming this row; the row
holds when it expires and when it was used, so a link works once and not after it expires."""

from __future__ import annotations

from django.db import models

from journeys.base import BaseModel
from onboarding.models.actions import PlanAction

__all__ = ["ActionLink"]


class ActionLink(BaseModel):
    action = models.ForeignKey(PlanAction, on_delete=models.CASCADE, related_name="links")
    stakeholder = models.ForeignKey("journeys.Stakeholder", on_delete=models.CASCADE, related_name="+")
    nonce = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    used_for = models.CharField(max_length=20, blank=True, default="", help_text="done or comment")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["action", "stakeholder"], name="action_link_owner")]

    def __str__(self) -> str:
        return f"link for action {self.action_id}"
