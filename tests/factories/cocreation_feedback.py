"""Factories for Co-create's feedback, moment reviews and user communities. They write rows directly,
without the services' rules, so tests can set up any state."""

from datetime import timedelta

import factory
from django.utils import timezone

from cocreation.models import (
    CommunityMember,
    CommunityOrigin,
    Feedback,
    FeedbackKind,
    FeedbackSource,
    FeedbackStatus,
    MemberRole,
    MomentPolarity,
    MomentReview,
    UserCommunity,
)
from journeys.models import TouchpointKind
from tests.factories.journeys import OrganizationFactory, StakeholderFactory, TouchpointFactory


class MomentOfTruthFactory(TouchpointFactory):
    """A touchpoint flagged as a moment of truth."""

    moment_of_truth = True
    kind = TouchpointKind.INCIDENT
    sentiment = -2
    summary = "The booking portal was down on the first day of the holidays"


class FeedbackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Feedback

    organization = factory.SubFactory(OrganizationFactory)
    touchpoint = factory.LazyAttribute(
        lambda feedback: TouchpointFactory(
            organization=feedback.organization, kind=TouchpointKind.FEEDBACK, sentiment=feedback.sentiment
        )
    )
    kind = FeedbackKind.COMMENT
    source = FeedbackSource.USER
    sentiment = 0
    text = "The monthly report arrives two days late."
    status = FeedbackStatus.RECEIVED
    received_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=3))


class MomentReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MomentReview

    touchpoint = factory.SubFactory(MomentOfTruthFactory)
    polarity = MomentPolarity.NEGATIVE
    recovered = None
    reviewed_at = factory.LazyFunction(timezone.now)


class UserCommunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UserCommunity

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Users' circle {n}")
    origin = CommunityOrigin.PROVIDER
    platform = "Forum"


class CommunityMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommunityMember

    community = factory.SubFactory(UserCommunityFactory)
    stakeholder = factory.LazyAttribute(
        lambda member: StakeholderFactory(organization=member.community.organization)
    )
    role = MemberRole.MEMBER
