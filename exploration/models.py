"""Explore: market segments, the groups of consumer organizations the provider addresses each in its
own way, and the checks that tell whether a grouping is worth treating as a segment."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
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
    personas = models.ManyToManyField(
        "journeys.Persona",
        related_name="market_segments",
        blank=True,
        help_text="The personas that stand for this segment's people.",
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


class JobToBeDone(BaseModel):
    """What a persona or a segment "hires" a service for: the progress they want to make in a given
    situation. Importance and today's satisfaction (1–5) show where the unmet need is."""

    persona = models.ForeignKey(
        "journeys.Persona", on_delete=models.CASCADE, null=True, blank=True, related_name="jobs_to_be_done"
    )
    segment = models.ForeignKey(
        MarketSegment, on_delete=models.CASCADE, null=True, blank=True, related_name="jobs_to_be_done"
    )
    job = models.CharField(
        max_length=240, help_text="The job in the consumer's words, e.g. “keep every van on the road”."
    )
    situation = models.TextField(blank=True, default="", help_text="When the job comes up.")
    desired_outcome = models.TextField(blank=True, default="", help_text="How they tell the job went well.")
    importance = models.PositiveSmallIntegerField(
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="1 (minor) to 5 (vital).",
    )
    satisfaction = models.PositiveSmallIntegerField(
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="How well the job is served today: 1 (badly) to 5 (fully).",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-importance", "job"]
        constraints = [
            models.CheckConstraint(
                condition=Q(persona__isnull=False) | Q(segment__isnull=False),
                name="job_for_persona_or_segment",
            ),
            models.CheckConstraint(
                condition=Q(importance__gte=1, importance__lte=5), name="job_importance_1_5"
            ),
            models.CheckConstraint(
                condition=Q(satisfaction__gte=1, satisfaction__lte=5), name="job_satisfaction_1_5"
            ),
        ]

    def __str__(self) -> str:
        return self.job

    @property
    def opportunity(self) -> int:
        """Importance plus the part of it left unserved: high when a job matters and is badly served."""
        return self.importance + max(self.importance - self.satisfaction, 0)


class AnalysisSubject(models.TextChoices):
    """What a SWOT or PESTLE analysis looks at."""

    PROVIDER = "provider", "Our own organization (the provider)"
    ORGANIZATION = "organization", "An organization"
    SEGMENT = "segment", "A market segment"


def _subject_constraints(prefix: str) -> list[models.BaseConstraint]:
    return [
        models.CheckConstraint(
            condition=(
                Q(subject=AnalysisSubject.PROVIDER, organization__isnull=True, segment__isnull=True)
                | Q(subject=AnalysisSubject.ORGANIZATION, organization__isnull=False, segment__isnull=True)
                | Q(subject=AnalysisSubject.SEGMENT, organization__isnull=True, segment__isnull=False)
            ),
            name=f"{prefix}_subject_consistent",
        ),
    ]


class SubjectAnalysis(BaseModel):
    """An analysis of the provider itself, of one organization or of one market segment."""

    title = models.CharField(max_length=160)
    subject = models.CharField(
        max_length=20, choices=AnalysisSubject.choices, default=AnalysisSubject.PROVIDER
    )
    organization = models.ForeignKey(
        "journeys.Organization", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    segment = models.ForeignKey(
        MarketSegment, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    analysed_on = models.DateField(default=datetime.date.today)
    notes = models.TextField(blank=True, default="")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        abstract = True
        ordering = ["-analysed_on", "title"]

    def __str__(self) -> str:
        return self.title

    @property
    def subject_label(self) -> str:
        if self.subject == AnalysisSubject.ORGANIZATION:
            return self.organization.name
        if self.subject == AnalysisSubject.SEGMENT:
            return f"Segment: {self.segment.name}"
        return "Our own organization"


class PestleAnalysis(SubjectAnalysis):
    """The external factors around a subject, in the six PESTLE areas."""

    class Meta(SubjectAnalysis.Meta):
        constraints = _subject_constraints("pestle")
        indexes = [
            models.Index(fields=["organization", "analysed_on"], name="pestle_organization"),
            models.Index(fields=["segment", "analysed_on"], name="pestle_segment"),
        ]


class PestleArea(models.TextChoices):
    POLITICAL = "political", "Political"
    ECONOMIC = "economic", "Economic"
    SOCIOLOGICAL = "sociological", "Sociological"
    TECHNOLOGICAL = "technological", "Technological"
    LEGAL = "legal", "Legal"
    ENVIRONMENTAL = "environmental", "Environmental"


class PestleEffect(models.TextChoices):
    OPPORTUNITY = "opportunity", "Opportunity"
    THREAT = "threat", "Threat or constraint"


class PestleFactor(BaseModel):
    analysis = models.ForeignKey(PestleAnalysis, on_delete=models.CASCADE, related_name="factors")
    area = models.CharField(max_length=20, choices=PestleArea.choices)
    factor = models.CharField(max_length=160, help_text="e.g. “energy supply” or “employment law”.")
    description = models.TextField(blank=True, default="")
    effect = models.CharField(max_length=20, choices=PestleEffect.choices)
    impact = models.PositiveSmallIntegerField(
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="1 (slight) to 5 (severe).",
    )
    likelihood = models.PositiveSmallIntegerField(
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="1 (unlikely) to 5 (already happening).",
    )

    class Meta:
        ordering = ["area", "-impact", "factor"]
        constraints = [
            models.CheckConstraint(condition=Q(area__in=PestleArea.values), name="pestle_factor_area_valid"),
            models.CheckConstraint(
                condition=Q(effect__in=PestleEffect.values), name="pestle_factor_effect_valid"
            ),
            models.CheckConstraint(
                condition=Q(impact__gte=1, impact__lte=5), name="pestle_factor_impact_1_5"
            ),
            models.CheckConstraint(
                condition=Q(likelihood__gte=1, likelihood__lte=5), name="pestle_factor_likelihood_1_5"
            ),
        ]

    def __str__(self) -> str:
        return self.factor


class SwotAnalysis(SubjectAnalysis):
    """Strengths and weaknesses inside a subject, opportunities and threats around it."""

    class Meta(SubjectAnalysis.Meta):
        constraints = _subject_constraints("swot")
        indexes = [
            models.Index(fields=["organization", "analysed_on"], name="swot_organization"),
            models.Index(fields=["segment", "analysed_on"], name="swot_segment"),
        ]


class SwotQuadrant(models.TextChoices):
    STRENGTH = "strength", "Strengths"
    WEAKNESS = "weakness", "Weaknesses"
    OPPORTUNITY = "opportunity", "Opportunities"
    THREAT = "threat", "Threats"


class SwotItem(BaseModel):
    analysis = models.ForeignKey(SwotAnalysis, on_delete=models.CASCADE, related_name="items")
    quadrant = models.CharField(max_length=20, choices=SwotQuadrant.choices)
    text = models.CharField(max_length=300)
    weight = models.PositiveSmallIntegerField(
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="How much the item counts: 1 (a little) to 5 (a great deal).",
    )
    pestle_factor = models.ForeignKey(
        PestleFactor,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="swot_items",
        help_text="The PESTLE factor this opportunity or threat was pulled from.",
    )

    class Meta:
        ordering = ["quadrant", "-weight", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quadrant__in=SwotQuadrant.values), name="swot_item_quadrant_valid"
            ),
            models.CheckConstraint(condition=Q(weight__gte=1, weight__lte=5), name="swot_item_weight_1_5"),
            models.UniqueConstraint(
                fields=["analysis", "pestle_factor"],
                condition=Q(pestle_factor__isnull=False),
                name="swot_item_pestle_factor_once",
            ),
        ]

    def __str__(self) -> str:
        return self.text


class DecisionMatrix(BaseModel):
    """A comparison of providers or options against weighted criteria."""

    title = models.CharField(max_length=160)
    purpose = models.TextField(blank=True, default="", help_text="What is being decided, and for whom.")
    organization = models.ForeignKey(
        "journeys.Organization",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text="The consumer the decision is made for, if it is about one account.",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-updated_at", "title"]
        constraints = [models.UniqueConstraint(Lower("title"), name="decision_matrix_title_unique")]

    def __str__(self) -> str:
        return self.title


WEIGHT_MIN, WEIGHT_MAX = 0, 100
RATING_MIN, RATING_MAX = 0, 5


class DecisionCriterion(BaseModel):
    matrix = models.ForeignKey(DecisionMatrix, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(max_length=200)
    weight = models.PositiveSmallIntegerField(
        default=5,
        validators=[MinValueValidator(WEIGHT_MIN), MaxValueValidator(WEIGHT_MAX)],
        help_text="How much the criterion counts, 0 to 100; weights are compared with each other.",
    )
    is_intangible = models.BooleanField(
        default=False, help_text="Shown for discussion but kept out of the weighted score."
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["matrix", "position", "id"]
        constraints = [
            models.UniqueConstraint("matrix", Lower("name"), name="decision_criterion_name_unique"),
            models.CheckConstraint(
                condition=Q(weight__gte=WEIGHT_MIN, weight__lte=WEIGHT_MAX),
                name="decision_criterion_weight_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class DecisionOption(BaseModel):
    matrix = models.ForeignKey(DecisionMatrix, on_delete=models.CASCADE, related_name="options")
    name = models.CharField(max_length=160)
    organization = models.ForeignKey(
        "journeys.Organization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The provider on record this option stands for, if any.",
    )
    notes = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["matrix", "name"]
        constraints = [models.UniqueConstraint("matrix", Lower("name"), name="decision_option_name_unique")]

    def __str__(self) -> str:
        return self.name


class DecisionRating(BaseModel):
    option = models.ForeignKey(DecisionOption, on_delete=models.CASCADE, related_name="ratings")
    criterion = models.ForeignKey(DecisionCriterion, on_delete=models.CASCADE, related_name="ratings")
    rating = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(RATING_MIN), MaxValueValidator(RATING_MAX)],
        help_text="0 (does not meet it at all) to 5 (meets it fully).",
    )
    note = models.CharField(max_length=240, blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["option", "criterion"], name="decision_rating_once"),
            models.CheckConstraint(
                condition=Q(rating__gte=RATING_MIN, rating__lte=RATING_MAX), name="decision_rating_range"
            ),
        ]
        indexes = [models.Index(fields=["criterion", "option"], name="decision_rating_criterion")]

    def __str__(self) -> str:
        return f"{self.option_id}×{self.criterion_id}: {self.rating}"
