"""The journey spine: consumer organizations, their stakeholders, each consumer's journey through the
seven steps, the touchpoints logged along it, and the journey event outbox."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from simple_history.models import HistoricalRecords

from journeys.base import BaseModel


class JourneyStep(models.TextChoices):
    """The seven steps of the customer journey, in their designed order."""

    EXPLORE = "explore", "Explore"
    ENGAGE = "engage", "Engage"
    OFFER = "offer", "Offer"
    AGREE = "agree", "Agree"
    ONBOARD = "onboard", "Onboard"
    CO_CREATE = "co_create", "Co-create"
    REALIZE = "realize", "Realize"

    @classmethod
    def ordered(cls) -> list[JourneyStep]:
        return list(cls)

    @property
    def number(self) -> int:
        return list(JourneyStep).index(self) + 1


class OrganizationKind(models.TextChoices):
    CONSUMER = "consumer", "Service consumer"
    PROVIDER = "provider", "Service provider"
    PARTNER = "partner", "Partner"
    SUPPLIER = "supplier", "Supplier"


class ConsumerRole(models.TextChoices):
    CUSTOMER = "customer", "Customer"
    USER = "user", "User"
    SPONSOR = "sponsor", "Sponsor"


class StakeholderCategory(models.TextChoices):
    CONSUMER = "consumer", "Service consumer"
    PROVIDER_EMPLOYEE = "provider_employee", "Service provider employee"
    SUPPLIER = "supplier", "Third-party supplier"
    PARTNER = "partner", "Partner"
    OWNER = "owner", "Owner or investor"
    REGULATOR = "regulator", "Regulator"
    COMMUNITY = "community", "Community or society"
    OTHER = "other", "Other"


class GridQuadrant(models.TextChoices):
    """Influence × interest grid; the threshold sits above the midpoint of the 1–5 scale."""

    MANAGE_CLOSELY = "manage_closely", "Manage closely"
    KEEP_SATISFIED = "keep_satisfied", "Keep satisfied"
    KEEP_INFORMED = "keep_informed", "Keep informed"
    MONITOR = "monitor", "Monitor"


GRID_HIGH_FROM = 4  # 4 and 5 are "high" on the 1–5 scale; 1–3 are "low".


def grid_quadrant(influence: int, interest: int) -> GridQuadrant:
    high_influence = influence >= GRID_HIGH_FROM
    high_interest = interest >= GRID_HIGH_FROM
    if high_influence and high_interest:
        return GridQuadrant.MANAGE_CLOSELY
    if high_influence:
        return GridQuadrant.KEEP_SATISFIED
    if high_interest:
        return GridQuadrant.KEEP_INFORMED
    return GridQuadrant.MONITOR


class JourneyStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    LEFT = "left", "Left the journey"


class Channel(models.TextChoices):
    TELEPHONE = "telephone", "Telephone"
    EMAIL = "email", "E-mail"
    PORTAL = "portal", "Portal"
    SERVICE_CATALOGUE = "service_catalogue", "Service catalogue"
    IN_APP_MESSAGE = "in_app_message", "In-app message"
    CHAT = "chat", "Chat"
    SOCIAL_MEDIA = "social_media", "Social media"
    FORUM = "forum", "Forum"
    IN_PERSON = "in_person", "In person"
    VIDEO_CALL = "video_call", "Video call"
    RECOMMENDATION = "recommendation", "Recommendation"


class TouchpointKind(models.TextChoices):
    QUERY = "query", "Query"
    SERVICE_REQUEST = "service_request", "Service request"
    INCIDENT = "incident", "Incident"
    COMPLAINT = "complaint", "Complaint"
    COMPLIMENT = "compliment", "Compliment"
    FEEDBACK = "feedback", "Feedback"
    MEETING = "meeting", "Meeting"
    REVIEW = "review", "Service review"
    PROPOSAL = "proposal", "Proposal or offer"
    COMMUNICATION = "communication", "Communication"


class Direction(models.TextChoices):
    INBOUND = "inbound", "Inbound (consumer to provider)"
    OUTBOUND = "outbound", "Outbound (provider to consumer)"


SENTIMENT_MIN, SENTIMENT_MAX = -2, 2
SENTIMENT_LABELS = {-2: "Very negative", -1: "Negative", 0: "Neutral", 1: "Positive", 2: "Very positive"}


def _external_id_unique(model_name: str) -> models.UniqueConstraint:
    return models.UniqueConstraint(
        fields=["external_id"], condition=~Q(external_id=""), name=f"{model_name}_external_id_unique"
    )


class Team(BaseModel):
    """A group of provider people who share a set of accounts."""

    name = models.CharField(max_length=120, unique=True)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="dsv_teams", blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Organization(BaseModel):
    name = models.CharField(max_length=200)
    kind = models.CharField(
        max_length=20, choices=OrganizationKind.choices, default=OrganizationKind.CONSUMER
    )
    external_id = models.CharField(
        max_length=100, blank=True, default="", help_text="The identifier the CRM gives this organization."
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_organizations",
        help_text="The relationship manager accountable for this account.",
    )
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="organizations"
    )
    industry = models.CharField(max_length=100, blank=True, default="")
    country = models.CharField(max_length=2, blank=True, default="", help_text="ISO 3166 two-letter code.")
    city = models.CharField(max_length=100, blank=True, default="")
    website = models.URLField(blank=True, default="")
    annual_revenue = models.DecimalField(
        max_digits=14, decimal_places=2, null=True, blank=True, help_text="Annual revenue with this consumer."
    )
    employee_count = models.PositiveIntegerField(null=True, blank=True)
    notes = models.TextField(blank=True, default="")

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            _external_id_unique("organization"),
            models.CheckConstraint(
                condition=Q(annual_revenue__isnull=True) | Q(annual_revenue__gte=0),
                name="organization_revenue_not_negative",
            ),
        ]
        indexes = [
            models.Index(Lower("name"), name="organization_name_lower"),
            # Lists ordered by name read a page of accounts in order and stop (the agreement list).
            models.Index(fields=["name"], name="organization_name"),
            models.Index(fields=["owner", "name"]),
            models.Index(fields=["updated_at", "id"], name="organization_sync"),
        ]

    def __str__(self) -> str:
        return self.name


class Stakeholder(BaseModel):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="stakeholders")
    name = models.CharField(max_length=200)
    job_title = models.CharField(max_length=200, blank=True, default="")
    email = models.EmailField(blank=True, default="")
    phone = models.CharField(max_length=40, blank=True, default="")
    category = models.CharField(
        max_length=30, choices=StakeholderCategory.choices, default=StakeholderCategory.CONSUMER
    )
    is_customer = models.BooleanField(default=False, help_text="Defines requirements and owns the outcomes.")
    is_user = models.BooleanField(default=False, help_text="Uses the service.")
    is_sponsor = models.BooleanField(default=False, help_text="Authorizes the budget.")
    influence = models.PositiveSmallIntegerField(default=3, help_text="1 (little) to 5 (decisive).")
    interest = models.PositiveSmallIntegerField(
        default=3, help_text="1 (indifferent) to 5 (closely involved)."
    )
    survey_consent = models.BooleanField(default=False, help_text="Agreed to receive satisfaction surveys.")
    is_active = models.BooleanField(default=True)
    external_id = models.CharField(max_length=100, blank=True, default="")

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            _external_id_unique("stakeholder"),
            models.CheckConstraint(
                condition=Q(influence__gte=1, influence__lte=5), name="stakeholder_influence_1_5"
            ),
            models.CheckConstraint(
                condition=Q(interest__gte=1, interest__lte=5), name="stakeholder_interest_1_5"
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "name"]),
            models.Index(Lower("email"), name="stakeholder_email_lower"),
            models.Index(fields=["updated_at", "id"], name="stakeholder_sync"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def roles(self) -> list[str]:
        return [
            role
            for role, held in (
                (ConsumerRole.CUSTOMER, self.is_customer),
                (ConsumerRole.USER, self.is_user),
                (ConsumerRole.SPONSOR, self.is_sponsor),
            )
            if held
        ]

    @property
    def role_labels(self) -> list[str]:
        return [ConsumerRole(role).label for role in self.roles]

    @property
    def quadrant(self) -> GridQuadrant:
        return grid_quadrant(self.influence, self.interest)


class Persona(BaseModel):
    """A typical person the provider designs for: a made-up but research-based character standing for
    many real stakeholders. Journey maps, segments and jobs to be done refer to personas."""

    name = models.CharField(max_length=120, help_text="A memorable name, e.g. “Fleet manager Fatima”.")
    consumer_role = models.CharField(
        max_length=20,
        choices=ConsumerRole.choices,
        blank=True,
        default="",
        help_text="The consumer role this persona mostly plays.",
    )
    job_title = models.CharField(max_length=200, blank=True, default="")
    summary = models.TextField(blank=True, default="", help_text="Who they are and what their day is like.")
    goals = models.TextField(blank=True, default="", help_text="What they want to achieve.")
    pain_points = models.TextField(blank=True, default="", help_text="What frustrates or blocks them today.")
    needs = models.TextField(blank=True, default="", help_text="What they need from a provider like us.")
    preferred_channel = models.CharField(max_length=30, choices=Channel.choices, blank=True, default="")
    quote = models.CharField(
        max_length=240, blank=True, default="", help_text="One line they might say, in their own words."
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="personas"
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="persona_name_unique"),
            models.CheckConstraint(
                condition=Q(consumer_role__in=[*ConsumerRole.values, ""]), name="persona_consumer_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Scenario(BaseModel):
    """A short story of one persona in one situation: what sets it off, what they want, how it unfolds.
    Scenarios make a persona's needs concrete for a journey step."""

    persona = models.ForeignKey(Persona, on_delete=models.CASCADE, related_name="scenarios")
    title = models.CharField(max_length=160)
    journey_step = models.CharField(
        max_length=20,
        choices=JourneyStep.choices,
        blank=True,
        default="",
        help_text="The journey step the story happens in, if it belongs to one.",
    )
    situation = models.TextField(blank=True, default="", help_text="What sets the story off.")
    goal = models.TextField(blank=True, default="", help_text="What the persona wants to get done.")
    narrative = models.TextField(blank=True, default="", help_text="How it unfolds, step by step.")
    expected_outcome = models.TextField(blank=True, default="", help_text="What a good ending looks like.")

    class Meta:
        ordering = ["persona__name", "title"]
        constraints = [
            models.UniqueConstraint("persona", Lower("title"), name="scenario_title_unique_per_persona"),
            models.CheckConstraint(
                condition=Q(journey_step__in=[*JourneyStep.values, ""]), name="scenario_journey_step_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class MapVersion(models.TextChoices):
    AS_IS = "as_is", "As-is (today)"
    TO_BE = "to_be", "To-be (designed)"


class JourneyMap(BaseModel):
    """A designed journey map for one persona: the stages they go through within the seven steps, and
    at each what we expect (touchpoints, channels, emotion) and what we know (pain points,
    opportunities, what happens in front of and behind the line of visibility). An as-is map records
    today's journey; a to-be map the one we design, often drawn from an as-is map (`based_on`).
    Offerings point to their maps (offerings.Offering.journey_maps); the live overlay is in Realize."""

    name = models.CharField(max_length=160)
    persona = models.ForeignKey(Persona, on_delete=models.PROTECT, related_name="journey_maps")
    version = models.CharField(max_length=10, choices=MapVersion.choices, default=MapVersion.AS_IS)
    description = models.TextField(blank=True, default="", help_text="What the map covers and why.")
    based_on = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="derived_maps",
        help_text="The as-is map this to-be map was drawn from.",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="journey_maps",
    )

    class Meta:
        ordering = ["persona__name", "name", "version"]
        constraints = [
            models.UniqueConstraint(
                "persona", Lower("name"), "version", name="journey_map_name_unique_per_persona_version"
            ),
            models.CheckConstraint(
                condition=Q(version__in=MapVersion.values), name="journey_map_version_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_version_display()})"


class MapStage(BaseModel):
    """One stage of a designed journey map, within one journey step."""

    journey_map = models.ForeignKey(JourneyMap, on_delete=models.CASCADE, related_name="stages")
    step = models.CharField(max_length=20, choices=JourneyStep.choices)
    step_number = models.PositiveSmallIntegerField(
        default=1, editable=False, help_text="The step's place in the journey (kept by the services)."
    )
    position = models.PositiveSmallIntegerField(default=0, help_text="Order of the stage within its step.")
    name = models.CharField(max_length=160)
    expected_touchpoints = models.TextField(
        blank=True, default="", help_text="The contacts we expect at this stage, one per line."
    )
    channels = models.JSONField(default=list, blank=True, help_text="The channels those contacts use.")
    expected_emotion = models.SmallIntegerField(
        default=0, help_text="How we expect the persona to feel: −2 (very negative) to +2 (very positive)."
    )
    pain_points = models.TextField(blank=True, default="")
    opportunities = models.TextField(blank=True, default="")
    front_stage = models.TextField(
        blank=True, default="", help_text="What the persona sees us do (in front of the line of visibility)."
    )
    back_stage = models.TextField(
        blank=True, default="", help_text="What we do that they do not see (behind the line of visibility)."
    )

    class Meta:
        ordering = ["journey_map", "step_number", "position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(step__in=JourneyStep.values), name="map_stage_step_valid"),
            models.CheckConstraint(
                condition=Q(expected_emotion__gte=SENTIMENT_MIN, expected_emotion__lte=SENTIMENT_MAX),
                name="map_stage_emotion_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Journey(BaseModel):
    """A consumer's journey with the provider, usually about one service."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="journeys")
    name = models.CharField(max_length=200, help_text="What the journey is about, usually one service.")
    current_step = models.CharField(max_length=20, choices=JourneyStep.choices, default=JourneyStep.EXPLORE)
    status = models.CharField(max_length=20, choices=JourneyStatus.choices, default=JourneyStatus.ACTIVE)
    step_entered_at = models.DateTimeField()
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    external_id = models.CharField(max_length=100, blank=True, default="")

    class Meta:
        ordering = ["organization__name", "name"]
        constraints = [
            _external_id_unique("journey"),
            models.CheckConstraint(
                condition=Q(current_step__in=JourneyStep.values), name="journey_current_step_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "status"]),
            models.Index(fields=["current_step", "status"]),
            models.Index(fields=["updated_at", "id"], name="journey_sync"),
        ]

    def __str__(self) -> str:
        return f"{self.organization.name}: {self.name}"

    @property
    def step(self) -> JourneyStep:
        return JourneyStep(self.current_step)


class JourneyStepChange(BaseModel):
    """Every move of a journey from one step to another: who, when and why (time in step, funnel)."""

    journey = models.ForeignKey(Journey, on_delete=models.CASCADE, related_name="step_changes")
    from_step = models.CharField(max_length=20, choices=JourneyStep.choices, blank=True, default="")
    to_step = models.CharField(max_length=20, choices=JourneyStep.choices)
    changed_at = models.DateTimeField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.CharField(max_length=500, blank=True, default="")

    class Meta:
        ordering = ["journey", "changed_at", "id"]
        indexes = [models.Index(fields=["journey", "changed_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(to_step__in=JourneyStep.values), name="step_change_to_step_valid"
            ),
        ]


class Touchpoint(BaseModel):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="touchpoints")
    # Indexed together with occurred_at below (the last contact per journey or per person).
    journey = models.ForeignKey(
        Journey, on_delete=models.SET_NULL, null=True, blank=True, related_name="touchpoints", db_index=False
    )
    stakeholder = models.ForeignKey(
        Stakeholder,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="touchpoints",
        db_index=False,
    )
    step = models.CharField(max_length=20, choices=JourneyStep.choices)
    channel = models.CharField(max_length=30, choices=Channel.choices)
    kind = models.CharField(max_length=30, choices=TouchpointKind.choices)
    direction = models.CharField(max_length=10, choices=Direction.choices, default=Direction.INBOUND)
    sentiment = models.SmallIntegerField(default=0, help_text="−2 (very negative) to +2 (very positive).")
    moment_of_truth = models.BooleanField(
        default=False, help_text="A contact that decided how the consumer sees the whole service."
    )
    summary = models.TextField()
    occurred_at = models.DateTimeField()
    duration_minutes = models.PositiveIntegerField(null=True, blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    external_id = models.CharField(max_length=100, blank=True, default="")

    class Meta:
        ordering = ["-occurred_at", "-id"]
        constraints = [
            _external_id_unique("touchpoint"),
            models.CheckConstraint(
                condition=Q(sentiment__gte=SENTIMENT_MIN, sentiment__lte=SENTIMENT_MAX),
                name="touchpoint_sentiment_range",
            ),
            models.CheckConstraint(condition=Q(step__in=JourneyStep.values), name="touchpoint_step_valid"),
        ]
        indexes = [
            # Serves an account's timeline and last contact (scanned backwards) and, covering sentiment
            # and moments of truth, the per-account aggregates as index-only scans on PostgreSQL.
            models.Index(
                fields=["organization", "occurred_at"],
                include=["sentiment", "moment_of_truth"],
                name="touchpoint_org_time",
            ),
            models.Index(fields=["journey", "occurred_at"], name="touchpoint_journey_time"),
            models.Index(fields=["stakeholder", "occurred_at"], name="touchpoint_stakeholder_time"),
            models.Index(fields=["occurred_at"], name="touchpoint_occurred"),
            models.Index(fields=["step", "occurred_at"], name="touchpoint_step_time"),
            models.Index(fields=["updated_at", "id"], name="touchpoint_sync"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} via {self.get_channel_display()} ({self.occurred_at:%Y-%m-%d})"

    @property
    def sentiment_label(self) -> str:
        return SENTIMENT_LABELS.get(self.sentiment, "")


class JourneyEventType(models.TextChoices):
    ORGANIZATION_CREATED = "organization.created", "Organization created"
    ORGANIZATION_UPDATED = "organization.updated", "Organization updated"
    STAKEHOLDER_CREATED = "stakeholder.created", "Stakeholder created"
    STAKEHOLDER_UPDATED = "stakeholder.updated", "Stakeholder updated"
    JOURNEY_STARTED = "journey.started", "Journey started"
    JOURNEY_STEP_CHANGED = "journey.step_changed", "Journey step changed"
    JOURNEY_ENDED = "journey.ended", "Journey ended"
    TOUCHPOINT_CREATED = "touchpoint.created", "Touchpoint logged"


class JourneyEvent(models.Model):
    """The journey event outbox: what happened along a journey, written in the same transaction as the
    change. Later steps and webhooks consume these; a relay hands them to subscribers after commit and a
    periodic job re-relays any whose hand-over was lost (broker down, process killed)."""

    event_type = models.CharField(max_length=60, db_index=True)
    organization = models.ForeignKey(
        Organization, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    journey = models.ForeignKey(Journey, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    payload = models.JSONField(default=dict)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    occurred_at = models.DateTimeField()
    dispatched_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(
                fields=["id"], condition=Q(dispatched_at__isnull=True), name="journey_event_pending"
            ),
            models.Index(fields=["organization", "-occurred_at"], name="journey_event_org"),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} #{self.pk}"


class IdempotencyKey(models.Model):
    """A POST replayed with the same Idempotency-Key returns the first response instead of acting twice."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    endpoint = models.CharField(max_length=255)
    request_fingerprint = models.CharField(max_length=64)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "endpoint", "key"], name="idempotency_key_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.endpoint})"


SUMMARY_WINDOW_DAYS = 30


class AccountSummary(models.Model):
    """A read model of each organization for lists and the dashboard: where its journey stands, how
    many people are on record, the last contact and the touchpoints of the last 30 days.

    Kept by `journeys.summaries`: a new touchpoint updates it at once; other changes to an account's
    touchpoints, stakeholders or journeys recompute that account's row; an hourly job recomputes every
    row, which also lets old touchpoints fall out of the 30-day window. It never holds anything the
    source tables cannot rebuild (`manage.py refresh_account_summaries`).
    """

    organization = models.OneToOneField(
        Organization, on_delete=models.CASCADE, primary_key=True, related_name="summary"
    )
    journey_step = models.CharField(max_length=20, choices=JourneyStep.choices, blank=True, default="")
    journey_step_since = models.DateTimeField(null=True, blank=True)
    stakeholder_count = models.PositiveIntegerField(default=0)
    last_touchpoint_at = models.DateTimeField(null=True, blank=True)
    recent_touchpoints = models.PositiveIntegerField(default=0)
    recent_sentiment_sum = models.IntegerField(default=0)
    recent_moments_of_truth = models.PositiveIntegerField(default=0)
    recent_negative = models.PositiveIntegerField(default=0)
    refreshed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["last_touchpoint_at"], name="summary_last_touchpoint"),
            models.Index(fields=["journey_step"], name="summary_journey_step"),
        ]

    def __str__(self) -> str:
        return f"Summary of organization #{self.organization_id}"
