"""Factories for Co-create: requests with their history, pauses and clocks, feedback, reviews of moments
of truth, user communities and their members. They write rows directly, without the services' rules
(no clocks are started, no history is recorded), so tests can set up any state; a test about clocks
opens its request with `cocreation.services.request_open`."""

from datetime import timedelta

import factory
from django.utils import timezone

from agreements.models import ClockKind
from cocreation.models import (
    ClockState,
    CommunityMember,
    Feedback,
    FeedbackKind,
    Level,
    MemberRole,
    MomentPolarity,
    MomentReview,
    PauseReason,
    RequestClock,
    RequestKind,
    RequestPause,
    RequestStatus,
    RequestUpdate,
    ServiceRequest,
    UserCommunity,
    priority_for,
)
from journeys.models import Channel, JourneyStep
from tests.factories.journeys import OrganizationFactory, StakeholderFactory, TouchpointFactory


class ServiceRequestFactory(factory.django.DjangoModelFactory):
    """A new user query of medium impact and urgency (P3), opened now, without clocks. The priority
    follows impact and urgency unless given."""

    class Meta:
        model = ServiceRequest

    organization = factory.SubFactory(OrganizationFactory)
    title = factory.Sequence(lambda n: f"Cannot export the monthly report {n}")
    description = "The export button does nothing since this morning."
    kind = RequestKind.QUERY
    channel = Channel.TELEPHONE
    step = JourneyStep.CO_CREATE
    impact = Level.MEDIUM
    urgency = Level.MEDIUM
    priority = factory.LazyAttribute(lambda request: priority_for(request.impact, request.urgency))
    status = RequestStatus.NEW
    opened_at = factory.LazyFunction(timezone.now)


class RequestUpdateFactory(factory.django.DjangoModelFactory):
    """A note in the request's history; give from_status and to_status for a status change."""

    class Meta:
        model = RequestUpdate

    request = factory.SubFactory(ServiceRequestFactory)
    occurred_at = factory.LazyFunction(timezone.now)
    note = "Called the requester back."


class RequestPauseFactory(factory.django.DjangoModelFactory):
    """A pause that still lasts (waiting on the customer since an hour ago)."""

    class Meta:
        model = RequestPause

    request = factory.SubFactory(ServiceRequestFactory, status=RequestStatus.WAITING)
    reason = PauseReason.WAITING
    started_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))
    ended_at = None


class RequestClockFactory(factory.django.DjangoModelFactory):
    """A running response clock of 4 hours, started with its request, without a target; due in three
    hours and warning in two (wall-clock instants: set `due_at`/`warning_at` for any other state)."""

    class Meta:
        model = RequestClock

    request = factory.SubFactory(ServiceRequestFactory)
    kind = ClockKind.RESPONSE
    limit_seconds = 4 * 3600
    warning_seconds = 3 * 3600
    started_at = factory.LazyAttribute(lambda clock: clock.request.opened_at)
    elapsed_seconds = 3600
    due_at = factory.LazyFunction(lambda: timezone.now() + timedelta(hours=3))
    warning_at = factory.LazyFunction(lambda: timezone.now() + timedelta(hours=2))
    state = ClockState.RUNNING


class FeedbackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Feedback

    organization = factory.SubFactory(OrganizationFactory)
    kind = FeedbackKind.COMMENT
    sentiment = 0
    text = "The new booking screen takes getting used to."
    received_at = factory.LazyFunction(timezone.now)


class MomentReviewFactory(factory.django.DjangoModelFactory):
    """The review of a negative moment of truth that was not turned round."""

    class Meta:
        model = MomentReview

    touchpoint = factory.SubFactory(TouchpointFactory, moment_of_truth=True, sentiment=-2)
    polarity = MomentPolarity.NEGATIVE
    recovered = False
    notes = "The replacement car came two hours late."
    reviewed_at = factory.LazyFunction(timezone.now)


class UserCommunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UserCommunity

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Key users group {n}")
    platform = "Forum"


class CommunityMemberFactory(factory.django.DjangoModelFactory):
    """A plain member from the community's organization; pass role=MemberRole.SUPER_USER (with
    activities and time_allocation_pct) for a super-user."""

    class Meta:
        model = CommunityMember

    community = factory.SubFactory(UserCommunityFactory)
    stakeholder = factory.SubFactory(
        StakeholderFactory, organization=factory.SelfAttribute("..community.organization")
    )
    role = MemberRole.MEMBER
