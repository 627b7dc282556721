"""Engage: the service relationship with each consumer (its type now and the type aimed for), its
progress up the relationship ladder, the assessments made along the way (trust, maturity, readiness to
collaborate, readiness for change) and each stakeholder's communication plan."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from journeys.base import BaseModel
from journeys.models import Channel
from relationships.adherence import Adherence, adherence_of


class EngageEventType(models.TextChoices):
    """What Engage records in the journey event outbox (journeys.events), for later steps and webhooks."""

    RELATIONSHIP_TYPE_CHANGED = "relationship.type_changed", "Relationship type changed"
    LADDER_STEP_CHANGED = "relationship.ladder_step_changed", "Relationship ladder step changed"
    ASSESSMENT_RECORDED = "assessment.recorded", "Assessment recorded"


class RelationshipType(models.TextChoices):
    """The three fundamental types of service relationship, from the least to the most involved."""

    BASIC = "basic", "Basic relationship"
    COOPERATIVE = "cooperative", "Cooperative relationship"
    PARTNERSHIP = "partnership", "Partnership"

    @property
    def rank(self) -> int:
        return list(RelationshipType).index(self) + 1


class ServiceRelationship(BaseModel):
    """The provider's relationship with one service consumer organization."""

    organization = models.OneToOneField(
        "journeys.Organization", on_delete=models.CASCADE, related_name="service_relationship"
    )
    current_type = models.CharField(
        max_length=20, choices=RelationshipType.choices, default=RelationshipType.BASIC
    )
    target_type = models.CharField(
        max_length=20,
        choices=RelationshipType.choices,
        default=RelationshipType.BASIC,
        help_text="The type aimed for, chosen deliberately: a closer relationship is not always better.",
    )
    notes = models.TextField(blank=True, default="")

    history = HistoricalRecords()

    class Meta:
        ordering = ["organization__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(current_type__in=RelationshipType.values), name="relationship_current_type_valid"
            ),
            models.CheckConstraint(
                condition=Q(target_type__in=RelationshipType.values), name="relationship_target_type_valid"
            ),
        ]
        indexes = [models.Index(fields=["current_type"], name="relationship_type")]

    def __str__(self) -> str:
        return f"{self.organization_id}: {self.get_current_type_display()}"


class LadderStep(models.TextChoices):
    """The service relationship ladder. Steps 3 and 4 run side by side; step 5 needs both done."""

    CREATE_ENVIRONMENT = "create_environment", "Create an environment for relational patterns"
    BUILD_TRUST = "build_trust", "Build and sustain trust and relationship"
    UNDERSTAND_PROVIDER = "understand_provider", "Understand the provider's capabilities"
    UNDERSTAND_NEEDS = "understand_needs", "Understand the customer's needs"
    ASSESS_READINESS = "assess_readiness", "Assess mutual readiness and maturity"


class LadderStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"


class LadderProgress(BaseModel):
    """Where one relationship stands on one step of the ladder."""

    relationship = models.ForeignKey(ServiceRelationship, on_delete=models.CASCADE, related_name="ladder")
    step = models.CharField(max_length=30, choices=LadderStep.choices)
    status = models.CharField(max_length=20, choices=LadderStatus.choices, default=LadderStatus.NOT_STARTED)
    evidence = models.TextField(blank=True, default="", help_text="What shows the step's progress.")
    completed_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["relationship", "step"], name="ladder_progress_once"),
            models.CheckConstraint(
                condition=Q(step__in=LadderStep.values), name="ladder_progress_step_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=LadderStatus.values), name="ladder_progress_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.relationship_id} {self.step}: {self.status}"


class AssessmentKind(models.TextChoices):
    TRUST = "trust", "Trust (the three Cs)"
    MATURITY = "maturity", "Relationship maturity"
    COLLABORATION_READINESS = "collaboration_readiness", "Readiness to collaborate"
    CHANGE_READINESS = "change_readiness", "Readiness for change"


class AssessmentDirection(models.TextChoices):
    """Who is assessed, by whom. Trust is rated both ways; the others look at the relationship as a
    whole (maturity rates both sides in one go) or at the consumer (readiness for change)."""

    PROVIDER_BY_CONSUMER = "provider_by_consumer", "The provider, as the consumer sees it"
    CONSUMER_BY_PROVIDER = "consumer_by_provider", "The consumer, as the provider sees it"
    MUTUAL = "mutual", "Both parties together"


class Assessment(BaseModel):
    """One assessment of a relationship on a given date; repeated over time to show the trend. The
    answers are its rows; `score` (and for maturity the two parties' levels) are kept with it when it is
    recorded, so trends and lists read one row per assessment."""

    relationship = models.ForeignKey(
        ServiceRelationship, on_delete=models.CASCADE, related_name="assessments"
    )
    kind = models.CharField(max_length=30, choices=AssessmentKind.choices)
    direction = models.CharField(
        max_length=30, choices=AssessmentDirection.choices, default=AssessmentDirection.MUTUAL
    )
    assessed_on = models.DateField(default=datetime.date.today)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    respondent = models.CharField(
        max_length=200, blank=True, default="", help_text="Who gave the answers, e.g. the customer's CIO."
    )
    notes = models.TextField(blank=True, default="")
    score = models.DecimalField(
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="The overall figure: trust index or readiness (1–5), or the maturity level (0–3).",
    )
    consumer_level = models.PositiveSmallIntegerField(null=True, blank=True)
    provider_level = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-assessed_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=AssessmentKind.values), name="assessment_kind_valid"),
            models.CheckConstraint(
                condition=Q(direction__in=AssessmentDirection.values), name="assessment_direction_valid"
            ),
            # Only trust is rated one way at a time; the other kinds are mutual.
            models.CheckConstraint(
                condition=Q(kind=AssessmentKind.TRUST) | Q(direction=AssessmentDirection.MUTUAL),
                name="assessment_direction_only_for_trust",
            ),
            models.CheckConstraint(
                condition=~Q(kind=AssessmentKind.TRUST) | ~Q(direction=AssessmentDirection.MUTUAL),
                name="assessment_trust_has_direction",
            ),
        ]
        indexes = [
            models.Index(fields=["relationship", "kind", "assessed_on"], name="assessment_trend"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.assessed_on}"


ANSWER_MIN, ANSWER_MAX = 0, 5


class AssessmentAnswer(models.Model):
    """One answer: a rating 1–5 of a behaviour or question, or 0/1 for a checklist item (maturity
    characteristics). `factor` groups items (a trust factor, a maturity level and side, a readiness
    factor), so factor scores are averaged in the database."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    factor = models.CharField(max_length=40)
    item = models.CharField(max_length=60)
    value = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "item"], name="assessment_answer_once"),
            models.CheckConstraint(
                condition=Q(value__gte=ANSWER_MIN, value__lte=ANSWER_MAX), name="assessment_answer_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item}={self.value}"


class Cadence(models.IntegerChoices):
    """How often a stakeholder should hear from us, in days."""

    WEEKLY = 7, "Weekly"
    FORTNIGHTLY = 14, "Every two weeks"
    MONTHLY = 30, "Monthly"
    QUARTERLY = 91, "Quarterly"
    HALF_YEARLY = 182, "Twice a year"


class CommunicationPlan(BaseModel):
    """How often, and through which channel, we keep one stakeholder in touch, and about what."""

    stakeholder = models.OneToOneField(
        "journeys.Stakeholder", on_delete=models.CASCADE, related_name="communication_plan"
    )
    cadence_days = models.PositiveSmallIntegerField(choices=Cadence.choices, default=Cadence.MONTHLY)
    preferred_channel = models.CharField(max_length=30, choices=Channel.choices, default=Channel.EMAIL)
    purpose = models.CharField(
        max_length=240, blank=True, default="", help_text="What the contact is for, e.g. the monthly review."
    )
    starts_on = models.DateField(default=datetime.date.today)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who keeps the contact going.",
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(cadence_days__in=Cadence.values), name="communication_plan_cadence_valid"
            ),
            models.CheckConstraint(
                condition=Q(preferred_channel__in=Channel.values), name="communication_plan_channel_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.stakeholder_id}: every {self.cadence_days} days"

    @property
    def adherence_figures(self) -> Adherence:
        """How well the plan is kept, from the counts that relationships.selectors.communication_plan_list
        annotates on each plan (a plan loaded any other way has none to offer)."""
        try:
            contacts, on_channel = self.contacts, self.contacts_on_channel
            last_contact_at, today = self.last_contact_at, self.adherence_as_of
        except AttributeError as missing:
            raise AttributeError(
                "adherence_figures needs a plan loaded by relationships.selectors.communication_plan_list"
            ) from missing
        return adherence_of(
            starts_on=self.starts_on,
            cadence_days=self.cadence_days,
            contacts=contacts,
            contacts_on_channel=on_channel,
            last_contact_at=last_contact_at,
            today=today,
        )
