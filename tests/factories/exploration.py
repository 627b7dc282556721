"""Factories for Explore."""

import factory

from exploration.models import MarketSegment, SegmentationApproach, SegmentationBasis, SegmentMembership
from tests.factories.journeys import OrganizationFactory


class MarketSegmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MarketSegment
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Segment {n}")
    approach = SegmentationApproach.CHARACTERISTIC_BASED
    basis = SegmentationBasis.GEOGRAPHIC
    criteria = "Head office in the Benelux"

    @factory.post_generation
    def organizations(self, create, extracted, **kwargs):
        if create and extracted:
            for organization in extracted:
                SegmentMembership.objects.create(segment=self, organization=organization)


class SegmentMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SegmentMembership

    segment = factory.SubFactory(MarketSegmentFactory)
    organization = factory.SubFactory(OrganizationFactory)
