"""The actions of a plan: who does what by when, after which other actions, and what shows it done.

An action is owned by one side of the relationship: a provider user, or a consumer stakeholder who
answers through a signed link sent by e-mail (`onboarding.models.links`) and needs no account. An
action waits for the actions it depends on: it cannot be done while one of them is open.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from journeys.base import BaseModel
from offerings.models import OwnerParty
from onboarding.models.plans import OnboardingPlan

__all__ = [
    "ACTION_TRANSITIONS",
    "ActionArea",
    "ActionComment",
    "ActionDependency",
    "ActionReminder",
    "ActionStatus",
    "PlanAction",
    "RelationshipDigest",
    "ReminderKind",
]


class ActionStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    IN_PROGRESS = "in_progress", "In progress"
    BLOCKED = "blocked", "Blocked"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"

    @property
    def is_closed(self) -> bool:
        """Nothing more is expected of it: done or cancelled."""
        return self in (ActionStatus.DONE, ActionStatus.CANCELLED)


# Where an action may go from each status (reopening a done action is allowed: a check may fail).
ACTION_TRANSITIONS: dict[str, tuple[str, ...]] = {
    ActionStatus.PLANNED: (
        ActionStatus.IN_PROGRESS,
        ActionStatus.BLOCKED,
        ActionStatus.DONE,
        ActionStatus.CANCELLED,
    ),
    ActionStatus.IN_PROGRESS: (
        ActionStatus.PLANNED,
        ActionStatus.BLOCKED,
        ActionStatus.DONE,
        ActionStatus.CANCELLED,
    ),
    ActionStatus.BLOCKED: (
        ActionStatus.PLANNED,
        ActionStatus.IN_PROGRESS,
        ActionStatus.DONE,
        ActionStatus.CANCELLED,
    ),
    ActionStatus.DONE: (ActionStatus.IN_PROGRESS,),
    ActionStatus.CANCELLED: (ActionStatus.PLANNED,),
}


class ActionArea(models.TextChoices):
    """What an action deals with. Onboarding actions concern the consumer's resources in the four
    dimensions; offboarding actions are of the kinds every exit needs."""

    PEOPLE = "people", "Organizations and people"
    PROCESSES = "processes", "Value streams and processes"
    TECHNOLOGY = "technology", "Information and technology"
    PARTNERS = "partners", "Partners and suppliers"
    ACCESS_REMOVAL = "access_removal", "Access removal"
    DATA_HANDOVER = "data_handover", "Data hand-over and retention"
    EQUIPMENT_RETURN = "equipment_return", "Equipment return"
    EXIT_SURVEY = "exit_survey", "Exit survey"
    LESSONS_LEARNED = "lessons_learned", "Lessons learned"
    COMMUNICATION = "communication", "Communication"
    OTHER = "other", "Other"


class PlanAction(BaseModel):
    plan = models.ForeignKey(OnboardingPlan, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, default="")
    area = models.CharField(max_length=30, choices=ActionArea.choices, blank=True, default="")
    owner_party = models.CharField(max_length=20, choices=OwnerParty.choices, default=OwnerParty.PROVIDER)
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="onboarding_actions",
        help_text="The provider person who does it.",
    )
    owner_stakeholder = models.ForeignKey(
        "journeys.Stakeholder",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="onboarding_actions",
        help_text="The consumer's person who does it.",
    )
    owner_role = models.CharField(
        max_length=120, blank=True, default="", help_text="Who should do it, until a person is named."
    )
    due_on = models.DateField()
    status = models.CharField(max_length=20, choices=ActionStatus.choices, default=ActionStatus.PLANNED)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    completed_by_stakeholder = models.ForeignKey(
        "journeys.Stakeholder", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    evidence = models.TextField(blank=True, default="", help_text="What shows it done: a link, a note.")
    position = models.PositiveSmallIntegerField(default=0)
    playbook_action = models.ForeignKey(
        "offerings.PlaybookAction",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The playbook's template action it was made from.",
    )
    depends_on = models.ManyToManyField(
        "self",
        through="ActionDependency",
        symmetrical=False,
        related_name="dependents",
        blank=True,
        help_text="Actions of the same plan that must be done first.",
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["plan_id", "due_on", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ActionStatus.values), name="plan_action_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(owner_party__in=OwnerParty.values), name="plan_action_owner_party_valid"
            ),
            models.CheckConstraint(
                condition=~Q(owner_party="provider", owner_stakeholder__isnull=False)
                & ~Q(owner_party="consumer", owner_user__isnull=False),
                name="plan_action_owner_on_its_side",
                violation_error_message="An action's owner must be on the side that does it.",
            ),
        ]
        indexes = [
            models.Index(fields=["plan", "status"], name="plan_action_plan_status"),
            models.Index(fields=["owner_user", "status", "due_on"], name="plan_action_my_actions"),
            models.Index(fields=["status", "due_on"], name="plan_action_due"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_closed(self) -> bool:
        return ActionStatus(self.status).is_closed


class ActionDependency(BaseModel):
    """`action` waits for `depends_on`; both belong to one plan. A circle is refused by the services."""

    action = models.ForeignKey(PlanAction, on_delete=models.CASCADE, related_name="dependency_links")
    depends_on = models.ForeignKey(PlanAction, on_delete=models.CASCADE, related_name="dependent_links")

    class Meta:
        verbose_name_plural = "action dependencies"
        ordering = ["action_id", "depends_on_id"]
        constraints = [
            models.UniqueConstraint(fields=["action", "depends_on"], name="plan_action_dependency_once"),
            models.CheckConstraint(
                condition=~Q(action=F("depends_on")),
                name="plan_action_dependency_not_on_itself",
                violation_error_message="An action cannot depend on itself.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action_id} after {self.depends_on_id}"


class ActionComment(BaseModel):
    """A remark on an action, by a provider user or by the consumer's owner through their link."""

    action = models.ForeignKey(PlanAction, on_delete=models.CASCADE, related_name="comments")
    body = models.TextField()
    author_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    author_stakeholder = models.ForeignKey(
        "journeys.Stakeholder", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["action_id", "created_at", "id"]

    def __str__(self) -> str:
        return self.body[:60]


class ReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", "Due soon"
    OVERDUE = "overdue", "Overdue"


class ActionReminder(BaseModel):
    """A reminder e-mailed about an action on a day. The unique day makes the daily job idempotent:
    run twice, it finds the day's row and sends nothing more."""

    action = models.ForeignKey(PlanAction, on_delete=models.CASCADE, related_name="reminders")
    day = models.DateField()
    kind = models.CharField(max_length=20, choices=ReminderKind.choices)
    recipient = models.EmailField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-day", "action_id"]
        constraints = [
            models.UniqueConstraint(fields=["action", "day"], name="action_reminder_once_a_day"),
        ]

    def __str__(self) -> str:
        return f"{self.action_id} on {self.day}"


class RelationshipDigest(BaseModel):
    """The weekly digest e-mailed to a relationship manager, once per week (its Monday)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    week = models.DateField(help_text="The Monday of the week.")
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-week", "user_id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "week"], name="relationship_digest_once_a_week")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} week of {self.week}"
