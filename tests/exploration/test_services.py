"""Writes of Explore: who may shape market segments, and bad input answered with an error that names
the field while nothing is saved."""

import pytest
from django.core.exceptions import PermissionDenied

from exploration import services
from exploration.models import MarketSegment, SegmentMembership
from journeys.base import ApplicationError
from journeys.models import OrganizationKind, Persona
from tests.factories.exploration import MarketSegmentFactory
from tests.factories.journeys import OrganizationFactory
from tests.factories.personas import PersonaFactory

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


# --- personas of a segment ------------------------------------------------------------------------


def test_linking_a_persona_twice_is_harmless(owner):
    segment, persona = MarketSegmentFactory(), PersonaFactory()

    assert services.market_segment_link_persona(actor=owner, segment=segment, persona=persona) is True
    assert services.market_segment_link_persona(actor=owner, segment=segment, persona=persona) is False

    assert list(segment.personas.all()) == [persona]


def test_unlinking_keeps_the_persona_and_a_second_unlink_is_harmless(owner):
    segment, persona = MarketSegmentFactory(), PersonaFactory()
    segment.personas.add(persona)

    assert services.market_segment_unlink_persona(actor=owner, segment=segment, persona=persona) is True
    assert services.market_segment_unlink_persona(actor=owner, segment=segment, persona=persona) is False

    assert not segment.personas.exists()
    assert Persona.objects.filter(pk=persona.pk).exists()


def test_linking_without_a_persona_names_the_field(owner):
    with pytest.raises(ApplicationError) as caught:
        services.market_segment_link_persona(actor=owner, segment=MarketSegmentFactory(), persona=None)

    assert "persona" in caught.value.fields


@pytest.mark.parametrize("reader", ["desk", "analyst"])
def test_readers_may_not_link_personas(request, reader):
    segment, persona = MarketSegmentFactory(), PersonaFactory()
    actor = request.getfixturevalue(reader)

    with pytest.raises(PermissionDenied):
        services.market_segment_link_persona(actor=actor, segment=segment, persona=persona)

    assert not segment.personas.exists()


def test_a_changed_link_counts_as_a_change_of_the_segment_for_sync(owner):
    segment, persona = MarketSegmentFactory(), PersonaFactory()
    before = segment.updated_at

    services.market_segment_link_persona(actor=owner, segment=segment, persona=persona)

    segment.refresh_from_db()
    assert segment.updated_at > before


def test_update_sets_the_whole_persona_set_and_an_empty_list_clears_it(owner):
    orla, femi, ana = PersonaFactory(), PersonaFactory(), PersonaFactory()
    segment = create(owner, personas=[orla, femi])
    assert set(segment.personas.all()) == {orla, femi}

    services.market_segment_update(actor=owner, segment=segment, personas=[ana], criteria="Ports")
    assert list(segment.personas.all()) == [ana]
    segment.refresh_from_db()
    assert segment.criteria == "Ports"

    services.market_segment_update(actor=owner, segment=segment, personas=[])
    assert not segment.personas.exists()


def test_update_without_personas_leaves_the_links_alone(owner):
    persona = PersonaFactory()
    segment = create(owner, personas=[persona])

    services.market_segment_update(actor=owner, segment=segment, name="Renamed")

    assert list(segment.personas.all()) == [persona]
