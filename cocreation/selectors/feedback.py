"""Reads of feedback and of moments of truth, limited to the accounts the user may see.

The lists are written for a constant number of queries: every row's account, person, touchpoint and
review come with it (joins), and the figures above a list are one aggregate.
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import BooleanField, Count, ExpressionWrapper, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from cocreation.models import Feedback, FeedbackKind, FeedbackStatus, MomentPolarity
from journeys.models import JourneyStep, Touchpoint
from journeys.selectors import organization_scope

__all__ = [
    "FEEDBACK_OPEN_STATUSES",
    "feedback_counts",
    "feedback_get",
    "feedback_list",
    "feedback_scope",
    "moment_counts",
    "moment_get",
    "moments_of_truth",
]

FEEDBACK_OPEN_STATUSES = (FeedbackStatus.RECEIVED, FeedbackStatus.ACKNOWLEDGED, FeedbackStatus.RESPONDED)


def feedback_scope(user) -> QuerySet[Feedback]:
    return Feedback.objects.filter(organization__in=organization_scope(user))


def feedback_list(
    *,
    user,
    status: str = "",
    kind: str = "",
    organization=None,
    unacknowledged: bool = False,
) -> QuerySet[Feedback]:
    """The feedback the user may see, newest first; `status` "open" means not closed yet,
    `unacknowledged` keeps what nobody has taken on (received only)."""
    rows = feedback_scope(user)
    if status == "open":
        rows = rows.filter(status__in=FEEDBACK_OPEN_STATUSES)
    elif status in FeedbackStatus.values:
        rows = rows.filter(status=status)
    if kind in FeedbackKind.values:
        rows = rows.filter(kind=kind)
    if organization is not None:
        rows = rows.filter(organization=organization)
    if unacknowledged:
        rows = rows.filter(status=FeedbackStatus.RECEIVED)
    return rows.select_related("organization", "stakeholder", "touchpoint", "acknowledged_by").order_by(
        "-received_at", "-id"
    )


def feedback_counts(*, user, organization=None) -> dict[str, int]:
    """The figures above the feedback list, in one query: open, waiting for someone to take it on,
    open complaints, compliments received in the last 30 days."""
    rows = feedback_scope(user)
    if organization is not None:
        rows = rows.filter(organization=organization)
    open_rows = Q(status__in=FEEDBACK_OPEN_STATUSES)
    return rows.aggregate(
        open=Count("pk", filter=open_rows),
        unacknowledged=Count("pk", filter=Q(status=FeedbackStatus.RECEIVED)),
        complaints_open=Count("pk", filter=open_rows & Q(kind=FeedbackKind.COMPLAINT)),
        compliments_recent=Count(
            "pk",
            filter=Q(kind=FeedbackKind.COMPLIMENT, received_at__gte=timezone.now() - timedelta(days=30)),
        ),
    )


def feedback_get(*, user, pk: int) -> Feedback:
    """One piece of feedback with its account, person, touchpoint and request (404 for an outsider)."""
    try:
        return (
            feedback_scope(user)
            .select_related(
                "organization", "stakeholder", "touchpoint", "request", "acknowledged_by", "created_by"
            )
            .get(pk=pk)
        )
    except Feedback.DoesNotExist:
        raise Http404("No such feedback.") from None


# --- moments of truth -----------------------------------------------------------------------------


def _moment_rows(user, *, polarity: str, step: str, organization, days: int | None) -> QuerySet[Touchpoint]:
    rows = Touchpoint.objects.filter(moment_of_truth=True, organization__in=organization_scope(user))
    if organization is not None:
        rows = rows.filter(organization=organization)
    if step in JourneyStep.values:
        rows = rows.filter(step=step)
    if days:
        rows = rows.filter(occurred_at__gte=timezone.now() - timedelta(days=days))
    # Reviewed: the review's verdict; not reviewed yet: how the contact itself felt.
    if polarity == MomentPolarity.NEGATIVE:
        rows = rows.filter(
            Q(moment_review__polarity=MomentPolarity.NEGATIVE)
            | Q(moment_review__isnull=True, sentiment__lt=0)
        )
    elif polarity == MomentPolarity.POSITIVE:
        rows = rows.filter(
            Q(moment_review__polarity=MomentPolarity.POSITIVE)
            | Q(moment_review__isnull=True, sentiment__gt=0)
        )
    return rows


def moments_of_truth(
    *,
    user,
    reviewed: str = "any",
    polarity: str = "",
    step: str = "",
    organization=None,
    days: int | None = None,
    to_review_first: bool = False,
) -> QuerySet[Touchpoint]:
    """Touchpoints flagged as moments of truth in the user's accounts, newest first (those still to
    review first with `to_review_first`), each with its account, person and review.

    `reviewed` is "yes", "no" or "any"; `polarity` keeps the negative (or positive) ones: reviewed as
    such or, not reviewed yet, with a negative (positive) sentiment; `days` the last so many days."""
    rows = _moment_rows(user, polarity=polarity, step=step, organization=organization, days=days)
    if reviewed == "yes":
        rows = rows.filter(moment_review__isnull=False)
    elif reviewed == "no":
        rows = rows.filter(moment_review__isnull=True)
    ordering = ["-occurred_at", "-id"]
    if to_review_first:
        rows = rows.annotate(
            to_review=ExpressionWrapper(Q(moment_review__isnull=True), output_field=BooleanField())
        )
        ordering = ["-to_review", *ordering]
    return rows.select_related(
        "organization", "stakeholder", "moment_review", "moment_review__reviewed_by"
    ).order_by(*ordering)


def moment_counts(
    *, user, polarity: str = "", step: str = "", organization=None, days: int | None = None
) -> dict[str, int | None]:
    """The figures above the moments of truth, in one query: how many, still to review, reviewed
    positive and negative, negative ones recovered, and the share of negative ones recovered (%)."""
    rows = _moment_rows(user, polarity=polarity, step=step, organization=organization, days=days)
    negative = Q(moment_review__polarity=MomentPolarity.NEGATIVE)
    figures = rows.aggregate(
        total=Count("pk"),
        to_review=Count("pk", filter=Q(moment_review__isnull=True)),
        positive=Count("pk", filter=Q(moment_review__polarity=MomentPolarity.POSITIVE)),
        negative=Count("pk", filter=negative),
        recovered=Count("pk", filter=negative & Q(moment_review__recovered=True)),
    )
    figures["recovery_pct"] = (
        round(100 * figures["recovered"] / figures["negative"]) if figures["negative"] else None
    )
    return figures


def moment_get(*, user, pk: int) -> Touchpoint:
    """One moment of truth with its review (404 for an outsider or a touchpoint not flagged as one)."""
    try:
        return (
            Touchpoint.objects.filter(moment_of_truth=True, organization__in=organization_scope(user))
            .select_related("organization", "stakeholder", "moment_review", "moment_review__reviewed_by")
            .get(pk=pk)
        )
    except Touchpoint.DoesNotExist:
        raise Http404("No such moment of truth.") from None
