"""Keeping `AccountSummary` rows true to their sources.

Lists and the dashboard read one small row per account instead of aggregating touchpoints on every
page view (at a million touchpoints that costs hundreds of milliseconds). The rows are derived data:
`account_summary_refresh` rebuilds one from the source tables, `account_summaries_refresh_all`
rebuilds all in a few set-based queries, and the receivers below keep them current as records change.
Receivers (not the services) do it so that every way a record is written — services, the admin,
fixtures — keeps the summary right; bulk loads call `account_summaries_refresh_all` themselves.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.db.models import Count, F, Max, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Greatest
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from journeys.models import (
    SUMMARY_WINDOW_DAYS,
    AccountSummary,
    Journey,
    JourneyStatus,
    Organization,
    Stakeholder,
    Touchpoint,
)


def _window_start():
    return timezone.now() - timedelta(days=SUMMARY_WINDOW_DAYS)


def account_summary_refresh(*, organization_id: int) -> AccountSummary | None:
    """Recompute one account's summary from its touchpoints, stakeholders and journeys."""
    if not Organization.objects.filter(pk=organization_id).exists():
        return None
    journey = (
        Journey.objects.filter(organization_id=organization_id, status=JourneyStatus.ACTIVE)
        .order_by("-step_entered_at", "-id")
        .values("current_step", "step_entered_at")
        .first()
    )
    touchpoints = Touchpoint.objects.filter(organization_id=organization_id)
    recent = touchpoints.filter(occurred_at__gte=_window_start()).aggregate(
        volume=Count("id"),
        sentiment_sum=Coalesce(Sum("sentiment"), 0),
        moments_of_truth=Count("id", filter=Q(moment_of_truth=True)),
        negative=Count("id", filter=Q(sentiment__lt=0)),
    )
    summary, _ = AccountSummary.objects.update_or_create(
        organization_id=organization_id,
        defaults={
            "journey_step": journey["current_step"] if journey else "",
            "journey_step_since": journey["step_entered_at"] if journey else None,
            "stakeholder_count": Stakeholder.objects.filter(
                organization_id=organization_id, is_active=True
            ).count(),
            "last_touchpoint_at": touchpoints.aggregate(last=Max("occurred_at"))["last"],
            "recent_touchpoints": recent["volume"],
            "recent_sentiment_sum": recent["sentiment_sum"],
            "recent_moments_of_truth": recent["moments_of_truth"],
            "recent_negative": recent["negative"],
            "refreshed_at": timezone.now(),
        },
    )
    return summary


@transaction.atomic
def account_summaries_refresh_all() -> int:
    """Recompute every account's summary with set-based queries (the hourly job, and after bulk loads).
    Returns the number of accounts."""
    AccountSummary.objects.bulk_create(
        [
            AccountSummary(organization_id=pk)
            for pk in Organization.objects.filter(summary__isnull=True).values_list("pk", flat=True)
        ],
        batch_size=2000,
        ignore_conflicts=True,
    )
    since = _window_start()
    latest_journey = Journey.objects.filter(
        organization=OuterRef("organization_id"), status=JourneyStatus.ACTIVE
    ).order_by("-step_entered_at", "-id")
    touchpoints = Touchpoint.objects.filter(organization=OuterRef("organization_id")).order_by()
    recent = touchpoints.filter(occurred_at__gte=since).values("organization")

    def _recent(aggregate):
        return Coalesce(Subquery(recent.annotate(value=aggregate).values("value")[:1]), 0)

    return AccountSummary.objects.update(
        journey_step=Coalesce(Subquery(latest_journey.values("current_step")[:1]), Value("")),
        journey_step_since=Subquery(latest_journey.values("step_entered_at")[:1]),
        stakeholder_count=Coalesce(
            Subquery(
                Stakeholder.objects.filter(organization=OuterRef("organization_id"), is_active=True)
                .order_by()
                .values("organization")
                .annotate(total=Count("id"))
                .values("total")[:1]
            ),
            0,
        ),
        last_touchpoint_at=Subquery(touchpoints.order_by("-occurred_at").values("occurred_at")[:1]),
        recent_touchpoints=_recent(Count("id")),
        recent_sentiment_sum=_recent(Sum("sentiment")),
        recent_moments_of_truth=_recent(Count("id", filter=Q(moment_of_truth=True))),
        recent_negative=_recent(Count("id", filter=Q(sentiment__lt=0))),
        refreshed_at=timezone.now(),
    )


def _count_new_touchpoint(touchpoint: Touchpoint) -> None:
    """A new touchpoint: one UPDATE instead of a recomputation (touchpoints are the busiest write)."""
    in_window = touchpoint.occurred_at >= _window_start()
    changes = {
        "last_touchpoint_at": Greatest(
            Coalesce(F("last_touchpoint_at"), touchpoint.occurred_at), touchpoint.occurred_at
        )
    }
    if in_window:
        changes.update(
            recent_touchpoints=F("recent_touchpoints") + 1,
            recent_sentiment_sum=F("recent_sentiment_sum") + touchpoint.sentiment,
            recent_moments_of_truth=F("recent_moments_of_truth") + int(touchpoint.moment_of_truth),
            recent_negative=F("recent_negative") + int(touchpoint.sentiment < 0),
        )
    if not AccountSummary.objects.filter(organization_id=touchpoint.organization_id).update(**changes):
        account_summary_refresh(organization_id=touchpoint.organization_id)


@receiver(post_save, sender=Touchpoint, dispatch_uid="summary_touchpoint_saved")
def _touchpoint_saved(sender, instance: Touchpoint, created: bool, raw: bool = False, **kwargs) -> None:
    if raw:
        return
    if created:
        _count_new_touchpoint(instance)
    else:
        account_summary_refresh(organization_id=instance.organization_id)


@receiver(post_save, sender=Organization, dispatch_uid="summary_organization_saved")
def _organization_saved(sender, instance: Organization, created: bool, raw: bool = False, **kwargs) -> None:
    if created and not raw:
        # By id: assigning the instance would cache this empty row on it, and a later read of
        # `organization.summary` would not see the journeys and touchpoints that follow.
        AccountSummary.objects.get_or_create(organization_id=instance.pk)


@receiver(post_save, sender=Stakeholder, dispatch_uid="summary_stakeholder_saved")
@receiver(post_save, sender=Journey, dispatch_uid="summary_journey_saved")
def _account_part_saved(sender, instance, raw: bool = False, **kwargs) -> None:
    if not raw:
        account_summary_refresh(organization_id=instance.organization_id)


@receiver(post_delete, sender=Touchpoint, dispatch_uid="summary_touchpoint_deleted")
@receiver(post_delete, sender=Stakeholder, dispatch_uid="summary_stakeholder_deleted")
@receiver(post_delete, sender=Journey, dispatch_uid="summary_journey_deleted")
def _account_part_deleted(sender, instance, **kwargs) -> None:
    # When the organization itself is being deleted its summary goes with it (cascade).
    transaction.on_commit(lambda: account_summary_refresh(organization_id=instance.organization_id))
