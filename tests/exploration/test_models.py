"""The database's own guards on market segments: they hold even when a service is bypassed."""

import pytest
from django.db import IntegrityError, transaction

from exploration.models import MarketSegment, SegmentationApproach, SegmentationBasis, SegmentMembership
from tests.factories.exploration import MarketSegmentFactory

pytestmark = pytest.mark.django_db


def test_a_characteristic_based_segment_needs_a_basis():
    with pytest.raises(IntegrityError), transaction.atomic():
        MarketSegment.objects.create(name="Big ones", approach=SegmentationApproach.CHARACTERISTIC_BASED)


def test_a_need_based_segment_may_go_without_a_basis():
    segment = MarketSegment.objects.create(name="Always-on support", approach=SegmentationApproach.NEED_BASED)

    assert segment.basis == ""


def test_segment_names_are_unique_whatever_their_case():
    MarketSegmentFactory(name="Benelux mobility")

    with pytest.raises(IntegrityError), transaction.atomic():
        MarketSegmentFactory(name="BENELUX MOBILITY")


def test_an_unknown_basis_is_refused():
    with pytest.raises(IntegrityError), transaction.atomic():
        MarketSegment.objects.create(name="Odd", basis="astrological")


def test_an_organization_is_a_member_once(account):
    segment = MarketSegmentFactory(organizations=[account])

    with pytest.raises(IntegrityError), transaction.atomic():
        SegmentMembership.objects.create(segment=segment, organization=account)


def test_deleting_an_organization_removes_its_memberships_not_the_segment(account):
    segment = MarketSegmentFactory(organizations=[account])

    account.delete()

    assert MarketSegment.objects.filter(pk=segment.pk).exists()
    assert not SegmentMembership.objects.exists()


def test_checks_passed_counts_the_three_segment_checks():
    segment = MarketSegmentFactory.build(
        basis=SegmentationBasis.BEHAVIOURAL, is_homogeneous=True, is_distinct=False, reacts_alike=True
    )

    assert segment.checks_passed == 2
    assert [name for name, _, _ in segment.checks] == ["Homogeneity", "Distinction", "Reaction"]
