"""Onboarding and offboarding plans and their goals.

A plan gets one consumer (or one group of its users) on board with the services of an agreement, or
off board. It answers the five questions of onboarding planning: its goals (`PlanGoal`), its scope
(the services, user groups, locations and number of users), its actions and who owns each
(`onboarding.models.actions`), and how it is controlled (`control_approach`, the goals' evaluations and
the customer's acceptance). An onboarding plan is usually created from the offering's playbook when an
agreement becomes active; success is judged on the goals (outcomes), not only on the actions done.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from journeys.base import BaseModel

__all__ = [
    "PLAN_TRANSITIONS",
    "ControlApproach",
    "CustomerScenario",
    "GoalEvaluation",
    "GoalTemplate",
    "OffboardingKind",
    "OffboardingReason",
    "OnboardingPlan",
    "PlanGoal",
    "PlanKind",
    "PlanStatus",
    "StartTrigger",
]


class PlanKind(models.TextChoices):
    ONBOARDING = "onboarding", "Onboarding"
    OFFBOARDING = "offboarding", "Offboarding"


class PlanStatus(models.TextChoices):
    """draft → in customer review → accepted → in progress → completed; on hold and back; cancelled.

    A draft is being planned by the provider; the customer then reviews it and accepts it (or it goes
    back to draft with their remarks). Work starts once it is accepted (an offboarding plan may start
    without acceptance: the consumer may be leaving in dispute). It is completed when every action is
    done or cancelled and, for onboarding, every goal is achieved."""

    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In customer review"
    ACCEPTED = "accepted", "Accepted by the customer"
    IN_PROGRESS = "in_progress", "In progress"
    ON_HOLD = "on_hold", "On hold"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"

    @property
    def is_final(self) -> bool:
        return self in (PlanStatus.COMPLETED, PlanStatus.CANCELLED)

    @property
    def is_open(self) -> bool:
        """Work on it may go on (actions may change)."""
        return not self.is_final


# The moves a person may make between statuses; completing is the services' own move, made when the
# last action is done and every goal achieved.
PLAN_TRANSITIONS: dict[str, tuple[str, ...]] = {
    PlanStatus.DRAFT: (PlanStatus.IN_REVIEW, PlanStatus.IN_PROGRESS, PlanStatus.CANCELLED),
    PlanStatus.IN_REVIEW: (PlanStatus.DRAFT, PlanStatus.CANCELLED),
    PlanStatus.ACCEPTED: (PlanStatus.IN_PROGRESS, PlanStatus.DRAFT, PlanStatus.CANCELLED),
    PlanStatus.IN_PROGRESS: (PlanStatus.ON_HOLD, PlanStatus.CANCELLED),
    PlanStatus.ON_HOLD: (PlanStatus.IN_PROGRESS, PlanStatus.CANCELLED),
    PlanStatus.COMPLETED: (),
    PlanStatus.CANCELLED: (),
}


class CustomerScenario(models.TextChoices):
    NEW_CONSUMER = "new_consumer", "New consumer organization"
    NEW_CUSTOMER = "new_customer", "New customer in an existing consumer"
    NEW_SERVICES = "new_services", "Existing customer, new services"
    CONSUMER_FROM_OTHER_PROVIDER = "consumer_from_other_provider", "Consumer migrating from another provider"
    SERVICE_FROM_OTHER_PROVIDER = "service_from_other_provider", "Service migrating from another provider"


class StartTrigger(models.TextChoices):
    AGREEMENT_REACHED = "agreement_reached", "Agreement reached"
    CONTRACT_SIGNED = "contract_signed", "Contract signed"
    SERVICES_READY = "services_ready", "Services ready for release"
    SERVICES_DEPLOYING = "services_deploying", "Services being deployed"
    USERS_EMPLOYED = "users_employed", "Users employed by the consumer"
    USERS_PROVISIONALLY_EMPLOYED = "users_provisionally_employed", "User employment provisionally agreed"


class ControlApproach(models.TextChoices):
    PROGRAMME = "programme", "Programme"
    PROJECT = "project", "Project"
    NORMAL_CHANGE = "normal_change", "Normal change (custom checklist)"
    STANDARD_CHANGE = "standard_change", "Standard change (predefined checklist)"
    AUTOMATED = "automated", "Automated deployment and release"
    AUDITS = "audits", "Audits and assurance"


class OffboardingKind(models.TextChoices):
    CUSTOMER = "customer", "The whole consumer"
    USER = "user", "A group of users"
    PROVIDER_SWITCH = "provider_switch", "Switch to another provider"


class OffboardingReason(models.TextChoices):
    AGREEMENT_EXPIRED = "agreement_expired", "Agreement expired"
    AGREEMENT_TERMINATED = "agreement_terminated", "Agreement terminated"
    DISSATISFACTION = "dissatisfaction", "Dissatisfaction"
    DISPUTE = "dispute", "Dispute"
    PROVIDER_SWITCH = "provider_switch", "Switch to another provider"
    USER_RESIGNED = "user_resigned", "Users resigned"
    USER_ROLE_CHANGE = "user_role_change", "Users changed role"
    MASS_OFFBOARDING = "mass_offboarding", "Mass offboarding"
    OTHER = "other", "Other"


class OnboardingPlan(BaseModel):
    """One consumer's onboarding (or offboarding) plan."""

    organization = models.ForeignKey(
        "journeys.Organization", on_delete=models.CASCADE, related_name="onboarding_plans"
    )
    journey = models.ForeignKey(
        "journeys.Journey",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="onboarding_plans",
        help_text="The journey this plan moves on when it completes.",
    )
    agreement = models.ForeignKey(
        "agreements.Agreement",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="onboarding_plans",
        help_text="The agreement whose services the plan brings into use (or ends).",
    )
    playbook = models.ForeignKey(
        "offerings.OnboardingPlaybook",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plans",
        help_text="The offering's playbook the plan was made from.",
    )
    kind = models.CharField(max_length=20, choices=PlanKind.choices, default=PlanKind.ONBOARDING)
    title = models.CharField(max_length=200)
    status = models.CharField(max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    starts_on = models.DateField(
        help_text="The day onboarding (or offboarding) starts; actions are due after it."
    )
    ends_on = models.DateField(null=True, blank=True, help_text="The day it should be finished.")
    scenario = models.CharField(max_length=40, choices=CustomerScenario.choices, blank=True, default="")
    start_trigger = models.CharField(max_length=40, choices=StartTrigger.choices, blank=True, default="")
    control_approach = models.CharField(
        max_length=30, choices=ControlApproach.choices, blank=True, default=""
    )
    # Scope: which services, which users, where, how many.
    offerings = models.ManyToManyField(
        "offerings.ServiceOffering", related_name="onboarding_plans", blank=True
    )
    user_groups = models.CharField(
        max_length=300, blank=True, default="", help_text="The groups of users in scope, e.g. “branch staff”."
    )
    locations = models.CharField(
        max_length=300, blank=True, default="", help_text="The sites or regions in scope."
    )
    user_count = models.PositiveIntegerField(null=True, blank=True, help_text="How many users are in scope.")
    scope_notes = models.TextField(blank=True, default="")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="onboarding_plans_owned",
        help_text="The provider person accountable for the plan.",
    )
    customer_contact = models.ForeignKey(
        "journeys.Stakeholder",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="onboarding_plans_as_contact",
        help_text="The consumer's person who reviews and accepts the plan.",
    )
    # The customer's acceptance.
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        "journeys.Stakeholder",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="onboarding_plans_accepted",
    )
    acceptance_note = models.TextField(blank=True, default="")
    completed_at = models.DateTimeField(null=True, blank=True)
    # Offboarding only.
    offboarding_kind = models.CharField(
        max_length=20, choices=OffboardingKind.choices, blank=True, default=""
    )
    reason = models.CharField(max_length=30, choices=OffboardingReason.choices, blank=True, default="")
    confidential = models.BooleanField(
        default=False, help_text="Keep the reasons to those who need them (e.g. a dispute)."
    )
    lessons_learned = models.TextField(blank=True, default="")

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=PlanKind.values), name="onboarding_plan_kind_valid"),
            models.CheckConstraint(
                condition=Q(status__in=PlanStatus.values), name="onboarding_plan_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="onboarding_plan_ends_after_start",
                violation_error_message="A plan cannot end before it starts.",
            ),
            # One onboarding plan per agreement made on its activation: the subscriber may run twice.
            models.UniqueConstraint(
                fields=["agreement"],
                condition=Q(kind="onboarding", agreement__isnull=False, playbook__isnull=False),
                name="onboarding_plan_once_per_agreement",
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "status"], name="onboarding_plan_account"),
            models.Index(fields=["status", "kind"], name="onboarding_plan_board"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_offboarding(self) -> bool:
        return self.kind == PlanKind.OFFBOARDING


class GoalTemplate(models.TextChoices):
    MIGRATE_TO_AGREED_SERVICES = "migrate_to_agreed_services", "Smooth migration to the agreed services"
    MIGRATE_TO_CLOUD = "migrate_to_cloud", "Smooth migration from in-house to the cloud"
    TEMPORARY_USER_INCREASE = "temporary_user_increase", "Support a temporary increase of users"
    SUPPLIER_SWITCH = "supplier_switch", "Support switching from one supplier to another"
    OTHER = "other", "Other"


class GoalEvaluation(models.TextChoices):
    PENDING = "pending", "Not evaluated yet"
    ACHIEVED = "achieved", "Achieved"
    PARTIALLY = "partially", "Partially achieved"
    NOT_ACHIEVED = "not_achieved", "Not achieved"


class PlanGoal(BaseModel):
    """A measurable goal of a plan: what is measured, the target, by when, and how it turned out."""

    plan = models.ForeignKey(OnboardingPlan, on_delete=models.CASCADE, related_name="goals")
    template = models.CharField(max_length=40, choices=GoalTemplate.choices, blank=True, default="")
    description = models.CharField(max_length=300)
    metric = models.CharField(max_length=200, help_text="What is measured, e.g. “users who logged in”.")
    target = models.CharField(max_length=100, help_text="The value to reach, e.g. “95 %” or “400 users”.")
    target_date = models.DateField(help_text="The day the target should be reached by.")
    evaluation = models.CharField(
        max_length=20, choices=GoalEvaluation.choices, default=GoalEvaluation.PENDING
    )
    result = models.CharField(max_length=200, blank=True, default="", help_text="The value measured.")
    evidence = models.TextField(blank=True, default="")
    evaluated_at = models.DateTimeField(null=True, blank=True)
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["plan_id", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(evaluation__in=GoalEvaluation.values), name="plan_goal_evaluation_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.description
