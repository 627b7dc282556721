"""The account summaries behind lists and the dashboard stay true to their sources."""

from datetime import timedelta

import pytest
from django.utils import timezone

from journeys import services
from journeys.models import AccountSummary, JourneyStep, Touchpoint
from journeys.summaries import account_summaries_refresh_all, account_summary_refresh
from tests.factories.journeys import (
    JourneyFactory,
    OrganizationFactory,
    StakeholderFactory,
    TouchpointFactory,
)

pytestmark = pytest.mark.django_db


def summary_of(organization) -> AccountSummary:
    return AccountSummary.objects.get(organization=organization)


def test_a_new_organization_starts_with_an_empty_summary(owner):
    organization = services.organization_create(actor=owner, name="Harbour Logistics")

    summary = summary_of(organization)
    assert (summary.journey_step, summary.stakeholder_count, summary.last_touchpoint_at) == ("", 0, None)
    assert summary.recent_touchpoints == 0


def test_a_logged_touchpoint_counts_at_once(owner, account, journey):
    services.touchpoint_log(
        actor=owner,
        organization=account,
        channel="email",
        kind="complaint",
        summary="Late van",
        sentiment=-2,
        moment_of_truth=True,
    )
    services.touchpoint_log(
        actor=owner, organization=account, channel="email", kind="query", summary="Hi", sentiment=1
    )

    summary = summary_of(account)
    assert summary.recent_touchpoints == 2
    assert summary.recent_sentiment_sum == -1
    assert summary.recent_moments_of_truth == 1
    assert summary.recent_negative == 1
    assert summary.last_touchpoint_at == Touchpoint.objects.latest("occurred_at").occurred_at


def test_a_touchpoint_older_than_the_window_moves_the_last_contact_only_if_it_is_later(account):
    recent = TouchpointFactory(organization=account, occurred_at=timezone.now() - timedelta(days=2))
    TouchpointFactory(organization=account, occurred_at=timezone.now() - timedelta(days=45), sentiment=-2)

    summary = summary_of(account)
    assert summary.last_touchpoint_at == recent.occurred_at
    assert summary.recent_touchpoints == 1
    assert summary.recent_negative == 0


def test_the_refresh_lets_touchpoints_leave_the_30_day_window(account):
    touchpoint = TouchpointFactory(organization=account, occurred_at=timezone.now() - timedelta(days=29))
    assert summary_of(account).recent_touchpoints == 1
    Touchpoint.objects.filter(pk=touchpoint.pk).update(occurred_at=timezone.now() - timedelta(days=31))

    account_summaries_refresh_all()

    assert summary_of(account).recent_touchpoints == 0
    assert summary_of(account).last_touchpoint_at is not None


def test_changing_or_deleting_a_touchpoint_recomputes_the_account(
    account, django_capture_on_commit_callbacks
):
    touchpoint = TouchpointFactory(organization=account, sentiment=2)
    touchpoint.sentiment = -1
    touchpoint.save()
    assert summary_of(account).recent_sentiment_sum == -1

    with django_capture_on_commit_callbacks(execute=True):
        touchpoint.delete()

    summary = summary_of(account)
    assert (summary.recent_touchpoints, summary.last_touchpoint_at) == (0, None)


def test_stakeholders_and_journeys_update_the_summary(owner, account):
    StakeholderFactory(organization=account)
    leaver = StakeholderFactory(organization=account)
    journey = JourneyFactory(organization=account, current_step=JourneyStep.OFFER)
    leaver.is_active = False
    leaver.save()

    services.journey_move(actor=owner, journey=journey, to_step=JourneyStep.AGREE)

    summary = summary_of(account)
    assert summary.stakeholder_count == 1
    assert summary.journey_step == JourneyStep.AGREE
    journey.refresh_from_db()
    assert summary.journey_step_since == journey.step_entered_at


def test_refreshing_everything_gives_what_refreshing_each_account_gives(owner):
    organizations = [OrganizationFactory(owner=owner) for _ in range(3)]
    for index, organization in enumerate(organizations):
        JourneyFactory(organization=organization, current_step=list(JourneyStep)[index])
        StakeholderFactory.create_batch(index + 1, organization=organization)
        for days in range(index * 2):
            TouchpointFactory(
                organization=organization,
                occurred_at=timezone.now() - timedelta(days=days * 10),
                sentiment=(days % 5) - 2,
                moment_of_truth=days % 2 == 0,
            )
    fields = [
        "journey_step",
        "journey_step_since",
        "stakeholder_count",
        "last_touchpoint_at",
        "recent_touchpoints",
        "recent_sentiment_sum",
        "recent_moments_of_truth",
        "recent_negative",
    ]
    one_by_one = {}
    for organization in organizations:
        account_summary_refresh(organization_id=organization.pk)
        one_by_one[organization.pk] = AccountSummary.objects.filter(pk=organization.pk).values(*fields).get()
    AccountSummary.objects.update(stakeholder_count=99, recent_touchpoints=99, journey_step="")

    assert account_summaries_refresh_all() == 3

    for organization in organizations:
        assert (
            AccountSummary.objects.filter(pk=organization.pk).values(*fields).get()
            == one_by_one[organization.pk]
        )


def test_refreshing_everything_creates_missing_summaries(account):
    AccountSummary.objects.all().delete()

    account_summaries_refresh_all()

    assert AccountSummary.objects.filter(organization=account).exists()
