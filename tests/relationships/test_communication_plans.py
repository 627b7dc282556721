"""Setting and removing a stakeholder's communication plan: created or updated in place, the cadence
and channel checked by field, kept only for active people of a consumer, and only by people who may
change the account."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from journeys.base import ApplicationError
from journeys.models import OrganizationKind
from relationships.models import CommunicationPlan
from relationships.services import communication_plan_remove, communication_plan_set
from tests.factories.journeys import OrganizationFactory, StakeholderFactory

pytestmark = pytest.mark.django_db


def test_a_new_plan_starts_today_and_is_kept_by_the_accounts_owner(teammate, owner, sponsor):
    plan = communication_plan_set(
        actor=teammate, stakeholder=sponsor, cadence_days=91, preferred_channel="in_person", purpose=" QBR "
    )

    assert (plan.cadence_days, plan.preferred_channel, plan.purpose) == (91, "in_person", "QBR")
    assert plan.starts_on == timezone.localdate()
    assert plan.owner == owner


def test_setting_a_plan_again_updates_it_and_keeps_start_and_owner_unless_given(owner, teammate, sponsor):
    communication_plan_set(
        actor=owner,
        stakeholder=sponsor,
        cadence_days=30,
        preferred_channel="email",
        starts_on=date(2026, 1, 5),
    )

    plan = communication_plan_set(
        actor=owner, stakeholder=sponsor, cadence_days="14", preferred_channel="video_call"
    )
    assert (plan.cadence_days, plan.preferred_channel, plan.starts_on, plan.owner) == (
        14,
        "video_call",
        date(2026, 1, 5),
        owner,
    )
    plan = communication_plan_set(
        actor=owner, stakeholder=sponsor, cadence_days=14, preferred_channel="video_call", owner=teammate.pk
    )
    assert plan.owner == teammate
    assert CommunicationPlan.objects.count() == 1


def test_bad_cadence_channel_and_owner_are_refused_by_field_and_nothing_is_saved(owner, outsider, sponsor):
    with pytest.raises(ApplicationError) as caught:
        communication_plan_set(
            actor=owner, stakeholder=sponsor, cadence_days=10, preferred_channel="pigeon", owner=outsider.pk
        )

    fields = caught.value.fields
    assert set(fields) == {"cadence_days", "preferred_channel", "owner"}
    assert "7 (weekly)" in fields["cadence_days"][0]
    assert "“pigeon” is not a channel" in fields["preferred_channel"][0]
    assert "does not look after Rentwheel Car Hire" in fields["owner"][0]
    assert not CommunicationPlan.objects.exists()


def test_a_purpose_longer_than_the_field_is_refused(owner, sponsor):
    with pytest.raises(ApplicationError) as caught:
        communication_plan_set(
            actor=owner, stakeholder=sponsor, cadence_days=30, preferred_channel="email", purpose="x" * 241
        )

    assert list(caught.value.fields) == ["purpose"]


def test_an_inactive_stakeholder_gets_no_plan(owner, account):
    gone = StakeholderFactory(organization=account, name="Left Already", is_active=False)

    with pytest.raises(ApplicationError) as caught:
        communication_plan_set(actor=owner, stakeholder=gone, cadence_days=30, preferred_channel="email")

    assert caught.value.fields["stakeholder"] == [
        "Left Already is no longer an active stakeholder; plans are kept for active people only."
    ]
    assert not CommunicationPlan.objects.exists()


def test_a_stakeholder_of_a_non_consumer_gets_no_plan(owner, team):
    supplier = OrganizationFactory(kind=OrganizationKind.SUPPLIER, owner=owner, team=team)
    person = StakeholderFactory(organization=supplier)

    with pytest.raises(ApplicationError) as caught:
        communication_plan_set(actor=owner, stakeholder=person, cadence_days=30, preferred_channel="email")

    assert caught.value.code == "not_a_consumer"


def test_removing_a_plan_says_whether_there_was_one(owner, sponsor):
    communication_plan_set(actor=owner, stakeholder=sponsor, cadence_days=30, preferred_channel="email")

    assert communication_plan_remove(actor=owner, stakeholder=sponsor) is True
    assert communication_plan_remove(actor=owner, stakeholder=sponsor) is False
    assert not CommunicationPlan.objects.exists()


def test_an_outsider_cannot_plan_or_remove_contact_with_someone_they_may_not_see(outsider, sponsor):
    with pytest.raises(Http404):
        communication_plan_set(
            actor=outsider, stakeholder=sponsor, cadence_days=30, preferred_channel="email"
        )
    with pytest.raises(Http404):
        communication_plan_remove(actor=outsider, stakeholder=sponsor)


@pytest.mark.parametrize("persona", ["desk", "analyst"])
def test_read_only_roles_may_not_plan_contact(request, sponsor, persona):
    with pytest.raises(PermissionDenied):
        communication_plan_set(
            actor=request.getfixturevalue(persona),
            stakeholder=sponsor,
            cadence_days=30,
            preferred_channel="email",
        )
