"""Explore: market segments, the groups of consumer organizations the provider addresses each in its
own way, and the checks that tell whether a grouping is worth treating as a segment."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower

from journeys.base import BaseModel


class SegmentationApproach(models.TextChoices):
    """Whether a segment is drawn from what consumers *are* or from what they *need*."""

    CHARACTERISTIC_BASED = "characteristic_based", "Characteristic-based"
    NEED_BASED = "need_based", "Need-based"


class SegmentationBasis(models.TextChoices):
    """The four bases of characteristic-based segmentation."""

    GEOGRAPHIC = "geographic", "Geographic"
    DEMOGRAPHIC = "demographic", "Demographic"
    BEHAVIOURAL = "behavioural", "Behavioural"
    PSYCHOGRAPHIC = "psychographic", "Psychographic"


class MarketSegment(BaseModel):
    """A group of consumer organizations the provider approaches in one way of its own.

    The three checks record whether the grouping holds up: members need much the same things
    (homogeneity), the group differs from the others (distinction) and its members respond alike to
    what the provider does (reaction). A segment failing a check is kept, but flagged on its page.
    """

    name = models.CharField(max_length=120)
    description = models.TextField(blank=True, default="")
    approach = models.CharField(
        max_length=30, choices=SegmentationApproach.choices, default=SegmentationApproach.CHARACTERISTIC_BASED
    )
    basis = models.CharField(
        max_length=20,
        choices=SegmentationBasis.choices,
        blank=True,
        default="",
        help_text="Which kind of characteristic draws the line; needed for a characteristic-based segment.",
    )
    criteria = models.TextField(
        blank=True, default="", help_text="What places an organization in this segment, in plain words."
    )
    is_homogeneous = models.BooleanField(default=False, verbose_name="homogeneity")
    homogeneity_notes = models.TextField(blank=True, default="")
    is_distinct = models.BooleanField(default=False, verbose_name="distinction")
    distinction_notes = models.TextField(blank=True, default="")
    reacts_alike = models.BooleanField(default=False, verbose_name="reaction")
    reaction_notes = models.TextField(blank=True, default="")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="market_segments",
        help_text="Who looks after this segment.",
    )
    members = models.ManyToManyField(
        "journeys.Organization", through="SegmentMembership", related_name="market_segments", blank=True
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="market_segment_name_unique"),
            models.CheckConstraint(
                condition=Q(approach__in=SegmentationApproach.values), name="market_segment_approach_valid"
            ),
            models.CheckConstraint(
                condition=Q(basis__in=[*SegmentationBasis.values, ""]), name="market_segment_basis_valid"
            ),
            # A characteristic-based segment is defined by its basis; only a need-based one may go without.
            models.CheckConstraint(
                condition=Q(approach=SegmentationApproach.NEED_BASED) | ~Q(basis=""),
                name="market_segment_basis_when_characteristic_based",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def checks(self) -> list[tuple[str, bool, str]]:
        """The three segment checks as (name, passed, notes), in the order they are usually asked."""
        return [
            ("Homogeneity", self.is_homogeneous, self.homogeneity_notes),
            ("Distinction", self.is_distinct, self.distinction_notes),
            ("Reaction", self.reacts_alike, self.reaction_notes),
        ]

    @property
    def checks_passed(self) -> int:
        return sum(passed for _, passed, _ in self.checks)


class SegmentMembership(BaseModel):
    """An organization placed in a segment, and who placed it there."""

    segment = models.ForeignKey(MarketSegment, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(
        "journeys.Organization", on_delete=models.CASCADE, related_name="segment_memberships"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["segment", "organization"]
        constraints = [
            models.UniqueConstraint(fields=["segment", "organization"], name="segment_membership_unique"),
        ]
        indexes = [models.Index(fields=["organization", "segment"], name="segment_membership_org")]

    def __str__(self) -> str:
        return f"{self.organization_id} in {self.segment_id}"
