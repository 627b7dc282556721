"""User communities per consumer and their members, super-users among them.

A community may be set up by the provider, by the customer or by the users themselves; super-users are
members the provider relies on for support, communication, training, requirements, demos and testing,
with the share of their time agreed and a back-up for when they are away.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower

from journeys.base import BaseModel

__all__ = [
    "SUPER_USER_ROLES",
    "CommunityMember",
    "CommunityOrigin",
    "MemberRole",
    "SuperUserActivity",
    "UserCommunity",
]


class CommunityOrigin(models.TextChoices):
    PROVIDER = "provider", "Provider-established"
    CUSTOMER = "customer", "Customer-established"
    USER = "user", "User-established"


class MemberRole(models.TextChoices):
    MEMBER = "member", "Member"
    SUPER_USER = "super_user", "Super-user"
    GURU = "guru", "Guru or expert"
    MODERATOR = "moderator", "Moderator or administrator"
    PROVIDER_REPRESENTATIVE = "provider_representative", "Provider representative"


SUPER_USER_ROLES = (MemberRole.SUPER_USER, MemberRole.GURU, MemberRole.MODERATOR)


class SuperUserActivity(models.TextChoices):
    SUPPORT = "support", "Support"
    COMMUNICATION = "communication", "Communication"
    TRAINING = "training", "Training"
    USER_STORIES = "user_stories", "User stories and requirements"
    DEMOS = "demos", "Demos"
    VALIDATION_TESTING = "validation_testing", "Validation and testing"


class UserCommunity(BaseModel):
    organization = models.ForeignKey(
        "journeys.Organization", on_delete=models.CASCADE, related_name="user_communities"
    )
    name = models.CharField(max_length=160)
    origin = models.CharField(
        max_length=10, choices=CommunityOrigin.choices, default=CommunityOrigin.PROVIDER
    )
    platform = models.CharField(
        max_length=120, blank=True, default="", help_text="Where it meets, e.g. a forum, a chat channel."
    )
    language = models.CharField(max_length=60, blank=True, default="")
    is_open = models.BooleanField(default=True, help_text="Any user of the consumer may join.")
    description = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["organization", "name"]
        verbose_name_plural = "user communities"
        constraints = [
            models.UniqueConstraint("organization", Lower("name"), name="community_name_unique_per_account"),
            models.CheckConstraint(
                condition=Q(origin__in=CommunityOrigin.values), name="community_origin_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CommunityMember(BaseModel):
    community = models.ForeignKey(UserCommunity, on_delete=models.CASCADE, related_name="members")
    stakeholder = models.ForeignKey(
        "journeys.Stakeholder", on_delete=models.CASCADE, related_name="community_memberships"
    )
    role = models.CharField(max_length=30, choices=MemberRole.choices, default=MemberRole.MEMBER)
    activities = models.JSONField(
        default=list, blank=True, help_text="Super-users: what they do for the community."
    )
    time_allocation_pct = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Super-users: the share of their time agreed, 0–100 %."
    )
    backup = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="backing_up",
        help_text="Super-users: who stands in when they are away.",
    )
    joined_on = models.DateField(null=True, blank=True)
    notes = models.CharField(max_length=500, blank=True, default="")

    class Meta:
        ordering = ["community", "role", "stakeholder__name"]
        constraints = [
            models.UniqueConstraint(fields=["community", "stakeholder"], name="community_member_once"),
            models.CheckConstraint(
                condition=Q(role__in=MemberRole.values), name="community_member_role_valid"
            ),
            models.CheckConstraint(
                condition=Q(time_allocation_pct__isnull=True) | Q(time_allocation_pct__lte=100),
                name="community_member_allocation_0_100",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.stakeholder_id} in {self.community_id}"

    @property
    def is_super_user(self) -> bool:
        return self.role in SUPER_USER_ROLES
