"""The provider's catalogue: services, the offerings made of them for target consumer groups (their
components, user engagement tiers and value propositions) and the journeys each offering concerns.

The catalogue is the provider's own, like the market segments of Explore: every signed-in role may
read it, so services carry an owner (who answers for the service) but no team.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from simple_history.models import HistoricalRecords

from journeys.base import BaseModel
from journeys.models import ConsumerRole

__all__ = [
    "EngagementTier",
    "OfferingComponent",
    "OfferingComponentKind",
    "OfferingJourney",
    "OfferingStatus",
    "Service",
    "ServiceOffering",
    "ValueProposition",
]


class Service(BaseModel):
    """A service, scoped so that provider and consumers agree on what it is for and where it ends."""

    name = models.CharField(max_length=160)
    description = models.TextField(blank=True, default="", help_text="What the service does, for whom.")
    scope = models.TextField(
        blank=True, default="", help_text="What is part of the service and what is not, in plain words."
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_services",
        help_text="Who answers for the service and its offerings.",
    )

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(Lower("name"), name="service_name_unique")]

    def __str__(self) -> str:
        return self.name


class OfferingStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    RETIRED = "retired", "Retired"


class ServiceOffering(BaseModel):
    """One or more services described for a target consumer group: the goods, access to resources
    and service actions it bundles, and the tiers of user engagement it comes in.

    Draft while it is being shaped, published once consumers may be offered it, retired when it is
    no longer offered (agreements already made on it stay valid).
    """

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="offerings")
    name = models.CharField(max_length=160)
    summary = models.TextField(
        blank=True, default="", help_text="The offering in a few lines, as the catalogue shows it."
    )
    status = models.CharField(max_length=20, choices=OfferingStatus.choices, default=OfferingStatus.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    retired_at = models.DateTimeField(null=True, blank=True)
    target_segments = models.ManyToManyField(
        "exploration.MarketSegment",
        related_name="service_offerings",
        blank=True,
        help_text="The market segments the offering is designed for.",
    )
    target_personas = models.ManyToManyField(
        "journeys.Persona",
        related_name="service_offerings",
        blank=True,
        help_text="The personas whose needs the offering is shaped around.",
    )
    journey_maps = models.ManyToManyField(
        "journeys.JourneyMap",
        related_name="service_offerings",
        blank=True,
        help_text="The designed journey maps of the offering's personas.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["service__name", "name"]
        constraints = [
            models.UniqueConstraint("service", Lower("name"), name="offering_name_unique_per_service"),
            models.CheckConstraint(
                condition=Q(status__in=OfferingStatus.values), name="offering_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status=OfferingStatus.PUBLISHED) | Q(published_at__isnull=False),
                name="offering_published_has_date",
                violation_error_message="A published offering needs the moment it was published.",
            ),
            models.CheckConstraint(
                condition=~Q(status=OfferingStatus.RETIRED) | Q(retired_at__isnull=False),
                name="offering_retired_has_date",
                violation_error_message="A retired offering needs the moment it was retired.",
            ),
            models.CheckConstraint(
                condition=Q(published_at__isnull=True)
                | Q(retired_at__isnull=True)
                | Q(retired_at__gte=F("published_at")),
                name="offering_retired_after_published",
                violation_error_message="An offering cannot be retired before it was published.",
            ),
        ]
        indexes = [models.Index(fields=["status", "name"], name="offering_status_name")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_published(self) -> bool:
        return self.status == OfferingStatus.PUBLISHED


class OfferingComponentKind(models.TextChoices):
    """The three kinds of thing an offering may bundle."""

    GOODS = "goods", "Goods"
    ACCESS_TO_RESOURCES = "access_to_resources", "Access to resources"
    SERVICE_ACTIONS = "service_actions", "Service actions"


class OfferingComponent(BaseModel):
    """One part of an offering: goods handed over (a laptop), access to resources granted (a
    platform, a licence) or service actions done for the consumer (installation, support)."""

    offering = models.ForeignKey(ServiceOffering, on_delete=models.CASCADE, related_name="components")
    kind = models.CharField(max_length=30, choices=OfferingComponentKind.choices)
    name = models.CharField(max_length=160)
    description = models.TextField(blank=True, default="")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["offering_id", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=OfferingComponentKind.values), name="offering_component_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class EngagementTier(BaseModel):
    """A tier of user engagement an offering comes in (say self-service, assisted, dedicated): what
    users at that tier get in channels, support and attention. Ordered from the lightest up."""

    offering = models.ForeignKey(ServiceOffering, on_delete=models.CASCADE, related_name="engagement_tiers")
    name = models.CharField(max_length=80)
    description = models.TextField(
        blank=True, default="", help_text="What users at this tier can count on, e.g. channels and hours."
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["offering_id", "position", "id"]
        constraints = [
            models.UniqueConstraint("offering", Lower("name"), name="engagement_tier_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class ValueProposition(BaseModel):
    """The offering's promise to one target group, a market segment, a persona or both, written for
    the person who decides in the consumer organization. A proposition always has a target: deleting
    the segment or persona it was written for deletes it too."""

    offering = models.ForeignKey(ServiceOffering, on_delete=models.CASCADE, related_name="value_propositions")
    segment = models.ForeignKey(
        "exploration.MarketSegment",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="value_propositions",
    )
    persona = models.ForeignKey(
        "journeys.Persona", on_delete=models.CASCADE, null=True, blank=True, related_name="value_propositions"
    )
    headline = models.CharField(
        max_length=200, blank=True, default="", help_text="The promise in one line, for the catalogue."
    )
    how_it_solves_problems = models.TextField(
        help_text="Which of the consumer's problems the offering takes away, and how."
    )
    what_to_expect = models.TextField(help_text="What the consumer gains once they have it.")
    advantage_over_competitors = models.TextField(
        help_text="Why they should choose us rather than another provider."
    )
    target_decision_maker_role = models.CharField(
        max_length=20,
        choices=ConsumerRole.choices,
        default=ConsumerRole.CUSTOMER,
        help_text="The consumer role of the person the proposition is written for.",
    )
    decision_maker_title = models.CharField(
        max_length=120, blank=True, default="", help_text="Their usual job title, e.g. “HR manager”."
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["offering_id", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(segment__isnull=False) | Q(persona__isnull=False),
                name="value_proposition_has_target",
                violation_error_message="A value proposition is written for a segment, a persona or both.",
            ),
            models.CheckConstraint(
                condition=~Q(how_it_solves_problems="")
                & ~Q(what_to_expect="")
                & ~Q(advantage_over_competitors=""),
                name="value_proposition_statements_given",
                violation_error_message=(
                    "A value proposition states the problems it solves, what to expect and why us."
                ),
            ),
            models.CheckConstraint(
                condition=Q(target_decision_maker_role__in=ConsumerRole.values),
                name="value_proposition_role_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.headline or f"Value proposition #{self.pk}"

    def clean(self) -> None:
        super().clean()
        if self.segment_id is None and self.persona_id is None:
            raise ValidationError(
                {"segment": "Choose the segment or the persona (or both) the proposition is written for."}
            )


class OfferingJourney(BaseModel):
    """A consumer's journey that concerns an offering. The spine's journeys know nothing of offerings;
    Offer keeps the link, and the offering's demand profile is computed from these journeys'
    touchpoints."""

    offering = models.ForeignKey(ServiceOffering, on_delete=models.CASCADE, related_name="journey_links")
    journey = models.ForeignKey("journeys.Journey", on_delete=models.CASCADE, related_name="offering_links")
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["offering_id", "journey_id"]
        constraints = [
            models.UniqueConstraint(fields=["offering", "journey"], name="offering_journey_once"),
        ]

    def __str__(self) -> str:
        return f"{self.journey_id} → {self.offering_id}"
