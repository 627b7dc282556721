"""Feedback (complaints, compliments, suggestions, comments) linked to the touchpoint it came with, and
the review of moments of truth.

Every piece of feedback is answered by a person: it is received, acknowledged by someone by name,
answered, then closed. A moment of truth is a touchpoint flagged as one (`Touchpoint.moment_of_truth`);
reviewing it records whether it went well or badly for the consumer and, for a bad one, whether it was
turned round.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from journeys.base import BaseModel
from journeys.models import SENTIMENT_MAX, SENTIMENT_MIN

__all__ = [
    "FEEDBACK_TRANSITIONS",
    "Feedback",
    "FeedbackKind",
    "FeedbackSource",
    "FeedbackStatus",
    "MomentPolarity",
    "MomentReview",
]


class FeedbackKind(models.TextChoices):
    COMPLAINT = "complaint", "Complaint"
    COMPLIMENT = "compliment", "Compliment"
    SUGGESTION = "suggestion", "Suggestion for improvement"
    COMMENT = "comment", "Comment"


class FeedbackSource(models.TextChoices):
    """Who the feedback came from."""

    USER = "user", "User"
    CUSTOMER = "customer", "Customer"
    SPONSOR = "sponsor", "Sponsor"
    COMMUNITY = "community", "User community"
    SOCIAL_MEDIA = "social_media", "Social media"


class FeedbackStatus(models.TextChoices):
    RECEIVED = "received", "Received"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    RESPONDED = "responded", "Answered"
    CLOSED = "closed", "Closed"


FEEDBACK_TRANSITIONS: dict[str, tuple[str, ...]] = {
    FeedbackStatus.RECEIVED: (FeedbackStatus.ACKNOWLEDGED,),
    FeedbackStatus.ACKNOWLEDGED: (FeedbackStatus.RESPONDED,),
    FeedbackStatus.RESPONDED: (FeedbackStatus.CLOSED, FeedbackStatus.ACKNOWLEDGED),
    FeedbackStatus.CLOSED: (),
}


class Feedback(BaseModel):
    organization = models.ForeignKey(
        "journeys.Organization", on_delete=models.CASCADE, related_name="feedback"
    )
    touchpoint = models.ForeignKey(
        "journeys.Touchpoint",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="feedback",
        help_text="The contact the feedback came with.",
    )
    stakeholder = models.ForeignKey(
        "journeys.Stakeholder", on_delete=models.SET_NULL, null=True, blank=True, related_name="feedback"
    )
    request = models.ForeignKey(
        "cocreation.ServiceRequest", on_delete=models.SET_NULL, null=True, blank=True, related_name="feedback"
    )
    kind = models.CharField(max_length=20, choices=FeedbackKind.choices)
    source = models.CharField(max_length=20, choices=FeedbackSource.choices, default=FeedbackSource.USER)
    anonymous = models.BooleanField(
        default=False, help_text="The author asked not to be named; the person is not recorded."
    )
    sentiment = models.SmallIntegerField(default=0, help_text="−2 (very negative) to +2 (very positive).")
    text = models.TextField()
    status = models.CharField(max_length=20, choices=FeedbackStatus.choices, default=FeedbackStatus.RECEIVED)
    received_at = models.DateTimeField()
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    response = models.TextField(blank=True, default="", help_text="What we answered the author.")
    responded_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name_plural = "feedback"
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=FeedbackKind.values), name="feedback_kind_valid"),
            models.CheckConstraint(
                condition=Q(status__in=FeedbackStatus.values), name="feedback_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(sentiment__gte=SENTIMENT_MIN, sentiment__lte=SENTIMENT_MAX),
                name="feedback_sentiment_range",
            ),
            models.CheckConstraint(
                condition=Q(anonymous=False) | Q(stakeholder__isnull=True),
                name="feedback_anonymous_has_no_author",
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "received_at"], name="feedback_account"),
            models.Index(fields=["status", "received_at"], name="feedback_queue"),
            models.Index(fields=["updated_at", "id"], name="feedback_sync"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


class MomentPolarity(models.TextChoices):
    POSITIVE = "positive", "Positive"
    NEGATIVE = "negative", "Negative"


class MomentReview(BaseModel):
    """The review of one moment of truth: did it make or break the experience, and if it broke it, was
    it turned round (recovered)?"""

    touchpoint = models.OneToOneField(
        "journeys.Touchpoint", on_delete=models.CASCADE, related_name="moment_review"
    )
    polarity = models.CharField(max_length=10, choices=MomentPolarity.choices)
    recovered = models.BooleanField(
        null=True, blank=True, help_text="Negative moments only: was it turned into a positive one?"
    )
    notes = models.TextField(blank=True, default="", help_text="What happened and what we learn from it.")
    follow_up = models.TextField(blank=True, default="", help_text="What we do next, and who does it.")
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField()

    class Meta:
        ordering = ["-reviewed_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(polarity__in=MomentPolarity.values), name="moment_review_polarity_valid"
            ),
            models.CheckConstraint(
                condition=Q(polarity="negative") | Q(recovered__isnull=True),
                name="moment_review_recovered_only_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"Review of touchpoint #{self.touchpoint_id}"
