"""Onboarding playbooks: the approach to onboarding designed with each offering, as template actions
that the Onboard step turns into a plan for each consumer."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower

from journeys.base import BaseModel

__all__ = [
    "OnboardingPlaybook",
    "OwnerParty",
    "PlaybookAction",
    "PlaybookActionDependency",
]


class OnboardingPlaybook(BaseModel):
    """The designed approach to getting a consumer on board with an offering. An offering may have
    several (a light one for standard consumers, a full transition programme for large ones).

    The text fields follow the continual improvement model as applied to onboarding: the expected
    result, the starting point and scope, the goals, and the controls that tell whether it worked.
    """

    offering = models.ForeignKey(
        "offerings.ServiceOffering", on_delete=models.CASCADE, related_name="onboarding_playbooks"
    )
    name = models.CharField(max_length=160)
    vision = models.TextField(blank=True, default="", help_text="What onboarding should have achieved.")
    scope = models.TextField(
        blank=True, default="", help_text="Where consumers usually start, what is in scope and what it takes."
    )
    goals = models.TextField(
        blank=True,
        default="",
        help_text="The goals onboarding aims for, including how the resources work together.",
    )
    controls = models.TextField(
        blank=True, default="", help_text="How success is checked against the starting point and the goals."
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["offering_id", "name"]
        constraints = [
            models.UniqueConstraint("offering", Lower("name"), name="playbook_name_unique_per_offering"),
        ]

    def __str__(self) -> str:
        return self.name


class OwnerParty(models.TextChoices):
    """Which side of the relationship carries out an action."""

    PROVIDER = "provider", "Service provider"
    CONSUMER = "consumer", "Service consumer"


class PlaybookAction(BaseModel):
    """A template action: who does it, how many days after the start of onboarding it is due, and
    which other actions of the same playbook must be done first."""

    playbook = models.ForeignKey(OnboardingPlaybook, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, default="")
    owner_party = models.CharField(max_length=20, choices=OwnerParty.choices, default=OwnerParty.PROVIDER)
    owner_role = models.CharField(
        max_length=120, blank=True, default="", help_text="Who on that side, e.g. “the customer's IT lead”."
    )
    due_after_days = models.PositiveSmallIntegerField(
        default=0, help_text="Days after onboarding starts by which the action is due (0: on the first day)."
    )
    position = models.PositiveSmallIntegerField(default=0)
    depends_on = models.ManyToManyField(
        "self",
        through="PlaybookActionDependency",
        symmetrical=False,
        related_name="dependents",
        blank=True,
        help_text="Actions of the same playbook that must be done first.",
    )

    class Meta:
        ordering = ["playbook_id", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(owner_party__in=OwnerParty.values), name="playbook_action_owner_party_valid"
            ),
            models.CheckConstraint(
                condition=Q(due_after_days__gte=0),
                name="playbook_action_due_days_not_negative",
                violation_error_message="An action cannot be due before onboarding starts.",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class PlaybookActionDependency(BaseModel):
    """`action` waits for `depends_on`. Both belong to one playbook and an action never waits for
    itself; a longer circle (a waits for b, b for a) is refused by the services with
    offerings.dependencies.find_cycle, since one row cannot see the others."""

    action = models.ForeignKey(PlaybookAction, on_delete=models.CASCADE, related_name="dependency_links")
    depends_on = models.ForeignKey(PlaybookAction, on_delete=models.CASCADE, related_name="dependent_links")

    class Meta:
        verbose_name_plural = "playbook action dependencies"
        ordering = ["action_id", "depends_on_id"]
        constraints = [
            models.UniqueConstraint(fields=["action", "depends_on"], name="playbook_dependency_once"),
            models.CheckConstraint(
                condition=~Q(action=F("depends_on")),
                name="playbook_dependency_not_on_itself",
                violation_error_message="An action cannot depend on itself.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action_id} after {self.depends_on_id}"

    def clean(self) -> None:
        super().clean()
        if self.action_id is None or self.depends_on_id is None:
            return
        if self.action_id == self.depends_on_id:
            raise ValidationError({"depends_on": "An action cannot depend on itself."})
        if self.action.playbook_id != self.depends_on.playbook_id:
            raise ValidationError({"depends_on": "An action can only wait for actions of its own playbook."})
