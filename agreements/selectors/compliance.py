"""Reads of Agree: the compliance engine's stored results (target scores per period, scorecards per
agreement and month, breaches), for the API and the pages. They follow the account: 404 for an
outsider. Each read is one query."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from agreements.models import Agreement, Breach, Scorecard, ServiceLevelTarget, TargetScore
from agreements.periods import add_periods
from journeys import roles
from journeys.selectors import organization_is_visible, organization_scope

__all__ = [
    "MAX_HISTORY",
    "agreement_scorecards",
    "breach_scope",
    "target_scores",
]

MAX_HISTORY = 60


def breach_scope(user) -> QuerySet[Breach]:
    """The breaches of the accounts the user may see."""
    if roles.sees_whole_portfolio(user):
        return Breach.objects.all()
    return Breach.objects.filter(organization__in=organization_scope(user))


def agreement_scorecards(
    *, user, agreement: Agreement, months: int = 12, today: date | None = None
) -> list[Scorecard]:
    """The agreement's scorecards of the last `months` months up to this one (at most MAX_HISTORY),
    newest first; months the engine found nothing in have none."""
    if not organization_is_visible(user, agreement.organization):
        raise Http404("Not found.")
    months = max(1, min(int(months), MAX_HISTORY))
    this_month = (today or timezone.localdate()).replace(day=1)
    return list(
        Scorecard.objects.filter(
            agreement_id=agreement.pk,
            month__gte=add_periods("month", this_month, -(months - 1)),
            month__lte=this_month,
        ).order_by("-month")
    )


def target_scores(*, user, target: ServiceLevelTarget, periods: int = 12) -> list[TargetScore]:
    """The target's last `periods` scores (at most MAX_HISTORY), newest period first."""
    if not organization_is_visible(user, target.agreement.organization):
        raise Http404("Not found.")
    periods = max(1, min(int(periods), MAX_HISTORY))
    return list(TargetScore.objects.filter(target_id=target.pk).order_by("-period_start")[:periods])
