"""Setting a consumer's relationship type and target: any target may be chosen (closer or more distant),
bad input names its field and saves nothing, every real change lands in the type history, and only
people who may change the account can do it."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from journeys.base import ApplicationError
from journeys.models import OrganizationKind
from relationships.models import RelationshipType, ServiceRelationship
from relationships.services import service_relationship_set_types
from tests.factories.journeys import OrganizationFactory

pytestmark = pytest.mark.django_db


def test_setting_the_types_creates_the_relationship_with_its_history(owner, account):
    relationship = service_relationship_set_types(
        actor=owner, organization=account, current_type="basic", target_type="cooperative", notes=" Grow. "
    )

    assert (relationship.current_type, relationship.target_type, relationship.notes) == (
        "basic",
        "cooperative",
        "Grow.",
    )
    history = list(relationship.history.all())
    assert history[0].target_type == "cooperative"
    assert history[0].history_user == owner


def test_a_target_more_distant_than_today_is_allowed(owner, account):
    relationship = service_relationship_set_types(
        actor=owner, organization=account, current_type="partnership", target_type="cooperative"
    )

    assert relationship.target_type == RelationshipType.COOPERATIVE


def test_unchanged_types_write_no_history_and_notes_none_keeps_the_notes(owner, account):
    service_relationship_set_types(
        actor=owner, organization=account, current_type="basic", target_type="basic", notes="Fine as it is."
    )
    count = ServiceRelationship.history.count()

    relationship = service_relationship_set_types(
        actor=owner, organization=account, current_type="basic", target_type="basic"
    )

    assert relationship.notes == "Fine as it is."
    assert ServiceRelationship.history.count() == count


def test_unknown_types_are_refused_naming_each_field_and_nothing_is_saved(owner, account):
    with pytest.raises(ApplicationError) as caught:
        service_relationship_set_types(
            actor=owner, organization=account, current_type="close", target_type="best"
        )

    assert set(caught.value.fields) == {"current_type", "target_type"}
    assert "“close” is not a relationship type" in caught.value.fields["current_type"][0]
    assert not ServiceRelationship.objects.exists()


def test_a_non_consumer_has_no_service_relationship(owner, team):
    partner = OrganizationFactory(name="Quay Hosting", kind=OrganizationKind.PARTNER, owner=owner, team=team)

    with pytest.raises(ApplicationError) as caught:
        service_relationship_set_types(
            actor=owner, organization=partner, current_type="basic", target_type="basic"
        )

    assert caught.value.code == "not_a_consumer"
    assert "Quay Hosting is not a service consumer" in caught.value.message
    assert not ServiceRelationship.objects.exists()


def test_an_outsider_gets_not_found_before_any_check_of_the_input(outsider, account):
    with pytest.raises(Http404):
        service_relationship_set_types(
            actor=outsider, organization=account, current_type="x", target_type="y"
        )


@pytest.mark.parametrize("persona", ["desk", "analyst"])
def test_read_only_roles_may_not_set_the_types(request, account, persona):
    with pytest.raises(PermissionDenied):
        service_relationship_set_types(
            actor=request.getfixturevalue(persona),
            organization=account,
            current_type="basic",
            target_type="basic",
        )
    assert not ServiceRelationship.objects.exists()


def test_administrators_and_teammates_may_set_the_types(administrator, teammate, account):
    service_relationship_set_types(
        actor=teammate, organization=account, current_type="basic", target_type="basic"
    )
    relationship = service_relationship_set_types(
        actor=administrator, organization=account, current_type="cooperative", target_type="cooperative"
    )

    assert relationship.current_type == "cooperative"
