"""User communities and their members: unique names per account, one membership per person, super-users
with activities, a share of time and a back-up from the same community; coverage counted by the
database. Bad input is refused naming the field and leaves nothing behind."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from cocreation import selectors, services
from cocreation.models import CommunityMember, UserCommunity
from journeys.base import ApplicationError
from tests.factories.cocreation_feedback import CommunityMemberFactory, UserCommunityFactory
from tests.factories.journeys import StakeholderFactory

pytestmark = pytest.mark.django_db


def memberships():
    return list(
        CommunityMember.objects.order_by("pk").values_list(
            "pk", "role", "activities", "time_allocation_pct", "backup_id", "updated_at"
        )
    )


@pytest.fixture
def community(account):
    return UserCommunityFactory(organization=account, name="Fleet planners")


@pytest.fixture
def person(account):
    return StakeholderFactory(organization=account, name="Bram de Wit")


@pytest.fixture
def backup(account, community):
    return CommunityMemberFactory(
        community=community, stakeholder=StakeholderFactory(organization=account, name="Carla Mendes")
    )


# --- communities ------------------------------------------------------------------------------------


def test_a_community_is_created_for_the_account(desk, account):
    community = services.community_create(
        actor=desk,
        organization=account,
        name="  Depot leads  ",
        origin="customer",
        platform="Teams",
        is_open=False,
    )

    assert community.organization == account
    assert community.name == "Depot leads"
    assert community.origin == "customer"
    assert community.is_open is False


def test_a_duplicate_name_in_the_account_is_refused_whatever_the_case(owner, account, community):
    with pytest.raises(ApplicationError) as error:
        services.community_create(actor=owner, organization=account, name="FLEET planners")

    assert error.value.fields["name"] == [
        "Rentwheel Car Hire already has a community called “FLEET planners”."
    ]
    assert error.value.status == 409
    assert UserCommunity.objects.count() == 1


def test_the_same_name_in_another_account_is_fine(administrator, other_account, community):
    services.community_create(actor=administrator, organization=other_account, name="Fleet planners")

    assert UserCommunity.objects.count() == 2


def test_renaming_onto_another_community_is_refused(owner, account, community):
    other = UserCommunityFactory(organization=account, name="Depot leads")

    with pytest.raises(ApplicationError) as error:
        services.community_update(actor=owner, community=other, name="fleet PLANNERS")

    assert "name" in error.value.fields
    assert UserCommunity.objects.get(pk=other.pk).name == "Depot leads"


def test_a_community_is_changed_and_deleted_with_its_memberships(owner, community, backup):
    services.community_update(actor=owner, community=community, language="Dutch", description="Weekly call")
    assert UserCommunity.objects.get(pk=community.pk).language == "Dutch"

    services.community_delete(actor=owner, community=community)

    assert not UserCommunity.objects.exists()
    assert not CommunityMember.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"name": "  "}, "name"), ({"origin": "government"}, "origin"), ({"is_open": "yes"}, "is_open")],
)
def test_bad_community_input_names_its_field(owner, account, changes, field):
    with pytest.raises(ApplicationError) as error:
        services.community_create(actor=owner, organization=account, **{"name": "Drivers", **changes})

    assert field in error.value.fields
    assert not UserCommunity.objects.exists()


def test_an_analyst_may_not_create_and_an_outsider_learns_nothing(analyst, outsider, account):
    with pytest.raises(PermissionDenied):
        services.community_create(actor=analyst, organization=account, name="Drivers")
    with pytest.raises(Http404):
        services.community_create(actor=outsider, organization=account, name="Drivers")
    assert not UserCommunity.objects.exists()


# --- members ----------------------------------------------------------------------------------------


def test_a_super_user_joins_with_activities_time_and_back_up(desk, community, person, backup):
    member = services.member_add(
        actor=desk,
        community=community,
        stakeholder=person,
        role="super_user",
        activities=["training", "support", "training"],
        time_allocation_pct=20,
        backup=backup,
    )

    assert member.activities == ["support", "training"]  # in the list's order, once each
    assert member.time_allocation_pct == 20
    assert member.backup == backup
    assert member.is_super_user


def test_a_person_joins_a_community_once(owner, community, backup):
    before = memberships()

    with pytest.raises(ApplicationError) as error:
        services.member_add(actor=owner, community=community, stakeholder=backup.stakeholder)

    assert error.value.fields["stakeholder"] == ["Carla Mendes is already a member of Fleet planners."]
    assert memberships() == before


def test_a_person_of_another_account_cannot_join(owner, community, other_account):
    with pytest.raises(ApplicationError) as error:
        services.member_add(
            actor=owner, community=community, stakeholder=StakeholderFactory(organization=other_account)
        )

    assert "stakeholder" in error.value.fields
    assert not CommunityMember.objects.exists()


def test_a_back_up_from_another_community_is_refused(owner, account, community, person):
    elsewhere = CommunityMemberFactory(
        community=UserCommunityFactory(organization=account, name="Depot leads")
    )
    before = memberships()

    with pytest.raises(ApplicationError) as error:
        services.member_add(
            actor=owner, community=community, stakeholder=person, role="super_user", backup=elsewhere
        )

    assert error.value.fields["backup"] == ["The back-up must be another member of this community."]
    assert memberships() == before


def test_a_super_user_cannot_back_up_themselves(owner, community, backup):
    services.member_update(actor=owner, member=backup, role="guru")
    before = memberships()

    with pytest.raises(ApplicationError) as error:
        services.member_update(actor=owner, member=backup, backup=backup)

    assert "backup" in error.value.fields
    assert memberships() == before


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"activities": ["support", "cooking"]}, "activities"),
        ({"activities": "support"}, "activities"),
        ({"time_allocation_pct": 101}, "time_allocation_pct"),
        ({"time_allocation_pct": -5}, "time_allocation_pct"),
        ({"time_allocation_pct": "20"}, "time_allocation_pct"),
        ({"role": "king"}, "role"),
        ({"notes": "x" * 501}, "notes"),
    ],
)
def test_bad_member_input_names_its_field(owner, community, person, changes, field):
    with pytest.raises(ApplicationError) as error:
        services.member_add(
            actor=owner, community=community, stakeholder=person, **{"role": "super_user", **changes}
        )

    assert field in error.value.fields
    assert not CommunityMember.objects.filter(stakeholder=person).exists()


@pytest.mark.parametrize(
    "carried", [{"activities": ["demos"]}, {"time_allocation_pct": 10}, {"backup": "the back-up"}]
)
def test_a_plain_member_carries_no_super_user_duties(owner, community, person, backup, carried):
    if "backup" in carried:
        carried = {"backup": backup}

    with pytest.raises(ApplicationError) as error:
        services.member_add(actor=owner, community=community, stakeholder=person, role="member", **carried)

    assert "Only super-user roles" in error.value.fields[next(iter(carried))][0]
    assert not CommunityMember.objects.filter(stakeholder=person).exists()


def test_moving_a_super_user_to_another_role_clears_their_duties(owner, community, person, backup):
    member = services.member_add(
        actor=owner,
        community=community,
        stakeholder=person,
        role="moderator",
        activities=["communication"],
        time_allocation_pct=10,
        backup=backup,
    )

    demoted = services.member_update(actor=owner, member=member, role="member")

    assert (demoted.activities, demoted.time_allocation_pct, demoted.backup) == ([], None, None)


def test_removing_a_back_up_leaves_the_super_user_without_one(owner, community, person, backup):
    member = services.member_add(
        actor=owner, community=community, stakeholder=person, role="super_user", backup=backup
    )

    services.member_remove(actor=owner, member=backup)

    assert CommunityMember.objects.get(pk=member.pk).backup is None


def test_an_unknown_member_field_is_refused(owner, backup):
    with pytest.raises(ApplicationError) as error:
        services.member_update(actor=owner, member=backup, stakeholder=None)

    assert "stakeholder" in error.value.fields


def test_an_analyst_may_not_add_members(analyst, community, person):
    with pytest.raises(PermissionDenied):
        services.member_add(actor=analyst, community=community, stakeholder=person)
    assert not CommunityMember.objects.exists()


# --- coverage ---------------------------------------------------------------------------------------


def test_coverage_is_counted_per_community(owner, account, other_account, community, backup):
    CommunityMemberFactory(community=community, role="super_user", time_allocation_pct=20, backup=backup)
    CommunityMemberFactory(community=community, role="guru", time_allocation_pct=15)
    CommunityMemberFactory(community=community, role="member")
    quiet = UserCommunityFactory(organization=account, name="Accountants")
    UserCommunityFactory(organization=other_account, name="Savers")

    rows = {row.name: row for row in selectors.community_list(user=owner)}

    assert set(rows) == {"Fleet planners", "Accountants"}
    fleet = rows["Fleet planners"]
    assert (
        fleet.member_count,
        fleet.super_user_count,
        fleet.backed_up_count,
        fleet.without_backup_count,
    ) == (
        4,
        2,
        1,
        1,
    )
    assert fleet.allocation_total == 35
    assert (rows["Accountants"].member_count, rows["Accountants"].allocation_total) == (0, None)
    assert quiet.pk == rows["Accountants"].pk


def test_community_get_hides_an_outsiders_community(outsider, community):
    with pytest.raises(Http404):
        selectors.community_get(user=outsider, pk=community.pk)
