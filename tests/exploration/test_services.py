"""Writes of Explore: who may shape market segments, and bad input answered with an error that names
the field while nothing is saved."""

import pytest
from django.core.exceptions import PermissionDenied

from exploration import services
from exploration.models import MarketSegment, SegmentMembership
from journeys.base import ApplicationError
from journeys.models import OrganizationKind
from tests.factories.exploration import MarketSegmentFactory
from tests.factories.journeys import OrganizationFactory

pytestmark = pytest.mark.django_db


def create(actor, **fields):
    data = {"name": "Benelux mobility", "approach": "characteristic_based", "basis": "geographic"} | fields
    return services.market_segment_create(actor=actor, **data)


def test_a_relationship_manager_defines_a_segment_and_looks_after_it(owner):
    segment = create(owner, criteria="  Head office in BE, NL or LU  ", is_homogeneous=True)

    assert segment.owner == owner
    assert segment.criteria == "Head office in BE, NL or LU"
    assert segment.is_homogeneous and not segment.is_distinct


def test_a_need_based_segment_needs_no_basis(administrator):
    segment = create(administrator, approach="need_based", basis="")

    assert segment.get_approach_display() == "Need-based"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"basis": ""}, "basis"),
        ({"basis": "astrological"}, "basis"),
        ({"approach": "gut_feeling"}, "approach"),
        ({"name": "   "}, "name"),
        ({"name": "x" * 121}, "name"),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(owner, fields, field):
    with pytest.raises(ApplicationError) as raised:
        create(owner, **fields)

    assert field in raised.value.fields
    assert not MarketSegment.objects.exists()


def test_a_second_segment_of_the_same_name_is_refused(owner):
    create(owner, name="Benelux mobility")

    with pytest.raises(ApplicationError) as raised:
        create(owner, name="benelux MOBILITY")

    assert list(raised.value.fields) == ["name"]
    assert MarketSegment.objects.count() == 1


@pytest.mark.parametrize("persona", ["analyst", "desk"])
def test_readers_may_not_write(request, persona, account):
    actor = request.getfixturevalue(persona)
    segment = MarketSegmentFactory()

    with pytest.raises(PermissionDenied):
        create(actor)
    with pytest.raises(PermissionDenied):
        services.market_segment_update(actor=actor, segment=segment, name="Renamed")
    with pytest.raises(PermissionDenied):
        services.market_segment_add_member(actor=actor, segment=segment, organization=account)
    with pytest.raises(PermissionDenied):
        services.market_segment_delete(actor=actor, segment=segment)
    segment.refresh_from_db()
    assert segment.name.startswith("Segment")
    assert not SegmentMembership.objects.exists()


def test_update_changes_the_given_fields_and_checks_the_rules(owner):
    segment = create(owner)

    services.market_segment_update(actor=owner, segment=segment, approach="need_based", basis="")
    segment.refresh_from_db()
    assert (segment.approach, segment.basis) == ("need_based", "")

    with pytest.raises(ApplicationError) as raised:
        services.market_segment_update(actor=owner, segment=segment, approach="characteristic_based")
    assert list(raised.value.fields) == ["basis"]
    segment.refresh_from_db()
    assert segment.approach == "need_based"


def test_update_refuses_an_unknown_field(owner):
    segment = create(owner)

    with pytest.raises(ApplicationError) as raised:
        services.market_segment_update(actor=owner, segment=segment, colour="blue")

    assert list(raised.value.fields) == ["colour"]


def test_delete_keeps_the_organizations(owner, account):
    segment = MarketSegmentFactory(organizations=[account])

    services.market_segment_delete(actor=owner, segment=segment)

    assert not MarketSegment.objects.exists()
    account.refresh_from_db()


def test_adding_a_member_twice_is_harmless(owner, account):
    segment = MarketSegmentFactory()

    first = services.market_segment_add_member(actor=owner, segment=segment, organization=account)
    second = services.market_segment_add_member(actor=owner, segment=segment, organization=account)

    assert first == second
    assert first.added_by == owner
    assert list(segment.members.all()) == [account]


def test_an_organization_the_actor_may_not_see_cannot_be_added(owner, other_account):
    segment = MarketSegmentFactory()

    with pytest.raises(ApplicationError) as raised:
        services.market_segment_add_member(actor=owner, segment=segment, organization=other_account)

    assert list(raised.value.fields) == ["organization"]
    assert not SegmentMembership.objects.exists()


def test_only_consumers_become_members(owner):
    partner = OrganizationFactory(kind=OrganizationKind.PARTNER, owner=owner)

    with pytest.raises(ApplicationError) as raised:
        services.market_segment_add_member(actor=owner, segment=MarketSegmentFactory(), organization=partner)

    assert list(raised.value.fields) == ["organization"]


def test_removing_a_member_and_then_again(owner, account):
    segment = MarketSegmentFactory(organizations=[account])

    assert services.market_segment_remove_member(actor=owner, segment=segment, organization=account)
    assert not services.market_segment_remove_member(actor=owner, segment=segment, organization=account)
    assert not SegmentMembership.objects.exists()


def test_an_outsider_cannot_remove_a_member_they_may_not_see(outsider, account):
    segment = MarketSegmentFactory(organizations=[account])

    with pytest.raises(ApplicationError):
        services.market_segment_remove_member(actor=outsider, segment=segment, organization=account)

    assert SegmentMembership.objects.count() == 1
