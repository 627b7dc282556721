"""The user-community pages: the lists with super-user coverage, the community's page with its
super-users (activities, share of time, back-up, a warning for those without one), and the forms for
communities and members. Bad input comes back on the form naming the field, with nothing saved."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cocreation.models import CommunityMember, UserCommunity
from tests.factories.cocreation_feedback import CommunityMemberFactory, UserCommunityFactory
from tests.factories.journeys import StakeholderFactory

pytestmark = pytest.mark.django_db

LIST = reverse("cocreation:community_list")


@pytest.fixture
def community(account):
    return UserCommunityFactory(organization=account, name="Fleet planners", platform="Teams")


@pytest.fixture
def carla(account, community):
    return CommunityMemberFactory(
        community=community,
        stakeholder=StakeholderFactory(organization=account, name="Carla Mendes"),
        role="super_user",
        activities=["support", "demos"],
        time_allocation_pct=20,
    )


@pytest.fixture
def bram(account, community, carla):
    return CommunityMemberFactory(
        community=community,
        stakeholder=StakeholderFactory(organization=account, name="Bram de Wit"),
        role="guru",
        time_allocation_pct=10,
        backup=carla,
    )


def memberships():
    return list(CommunityMember.objects.order_by("pk").values_list("pk", "updated_at"))


def test_the_list_shows_each_community_with_its_coverage(client_as, community, carla, bram):
    response = client_as("desk").get(LIST)

    text = response.content.decode()
    assert response.status_code == 200
    assert "Fleet planners" in text
    assert "(1 without)" in text
    assert "30 %" in text


def test_the_list_of_one_account_offers_a_new_community(client_as, account, community):
    text = client_as("owner").get(LIST, {"organization": account.pk}).content.decode()

    assert "User communities of Rentwheel Car Hire" in text
    assert f"{reverse('cocreation:community_new')}?organization={account.pk}" in text


def test_the_list_reads_a_constant_number_of_queries(client_as, account, community, carla):
    client = client_as("desk")
    client.get(LIST)
    with CaptureQueriesContext(connection) as few:
        client.get(LIST)
    for index in range(8):
        other = UserCommunityFactory(organization=account, name=f"Group {index}")
        CommunityMemberFactory(community=other, role="super_user", time_allocation_pct=5)

    with CaptureQueriesContext(connection) as many:
        client.get(LIST)

    assert len(many) == len(few)


def test_the_community_page_shows_super_users_and_warns_of_a_missing_back_up(
    client_as, community, carla, bram
):
    response = client_as("analyst").get(reverse("cocreation:community_detail", args=[community.pk]))

    text = response.content.decode()
    assert response.status_code == 200
    assert "Support, Demos" in text
    assert "20 %" in text
    assert "1 super-user without a back-up:</strong> Carla Mendes" in text
    assert "Add a member" not in text  # analysts read only


def test_the_community_page_reads_a_constant_number_of_queries(client_as, account, community, carla, bram):
    client = client_as("owner")
    url = reverse("cocreation:community_detail", args=[community.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(6):
        CommunityMemberFactory(community=community, role="super_user", backup=carla)

    with CaptureQueriesContext(connection) as many:
        client.get(url)

    assert len(many) == len(few)


def test_a_community_is_added_from_an_account(client_as, account):
    response = client_as("teammate").post(
        f"{reverse('cocreation:community_new')}?organization={account.pk}",
        {"name": "Depot leads", "origin": "user", "platform": "WhatsApp", "is_open": "on"},
    )

    community = UserCommunity.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("cocreation:community_detail", args=[community.pk])
    assert (community.organization, community.origin, community.is_open) == (account, "user", True)


def test_without_an_account_the_new_community_page_finds_one(client_as, account):
    text = client_as("desk").get(reverse("cocreation:community_new"), {"q": "Rentwheel"}).content.decode()

    assert f"?organization={account.pk}" in text


def test_a_duplicate_community_name_comes_back_on_the_form(client_as, account, community):
    response = client_as("owner").post(
        f"{reverse('cocreation:community_new')}?organization={account.pk}",
        {"name": "fleet planners", "origin": "provider"},
    )

    assert response.status_code == 400
    assert response.context["form"].errors["name"] == [
        "Rentwheel Car Hire already has a community called “fleet planners”."
    ]
    assert UserCommunity.objects.count() == 1


def test_a_member_is_added_as_a_super_user(client_as, account, community, carla):
    person = StakeholderFactory(organization=account, name="Dana Okafor")

    response = client_as("desk").post(
        reverse("cocreation:member_new", args=[community.pk]),
        {
            "stakeholder": person.pk,
            "role": "super_user",
            "activities": ["training", "validation_testing"],
            "time_allocation_pct": "15",
            "backup": carla.pk,
        },
    )

    member = CommunityMember.objects.get(stakeholder=person)
    assert response.status_code == 302
    assert member.activities == ["training", "validation_testing"]
    assert (member.time_allocation_pct, member.backup) == (15, carla)


def test_the_new_member_form_offers_only_people_not_yet_members(client_as, community, carla):
    response = client_as("desk").get(reverse("cocreation:member_new", args=[community.pk]))

    choices = dict(response.context["form"].fields["stakeholder"].choices)
    assert "Carla Mendes (Operations lead)" not in choices.values()


def test_a_back_up_from_another_community_comes_back_on_the_form(client_as, account, community, bram):
    elsewhere = CommunityMemberFactory(
        community=UserCommunityFactory(organization=account, name="Depot leads")
    )
    before = memberships()

    response = client_as("owner").post(
        reverse("cocreation:member_edit", args=[bram.pk]),
        {"role": "guru", "backup": elsewhere.pk, "time_allocation_pct": "10"},
    )

    assert response.status_code == 400
    assert response.context["form"].errors["backup"] == ["Pick another member of this community."]
    assert memberships() == before


def test_a_share_of_time_over_100_comes_back_on_the_form(client_as, community, carla):
    before = memberships()

    response = client_as("owner").post(
        reverse("cocreation:member_edit", args=[carla.pk]),
        {"role": "super_user", "time_allocation_pct": "120"},
    )

    assert response.status_code == 400
    assert "time_allocation_pct" in response.context["form"].errors
    assert memberships() == before


def test_duties_given_to_a_plain_member_come_back_on_the_form(client_as, community, carla):
    response = client_as("owner").post(
        reverse("cocreation:member_edit", args=[carla.pk]),
        {"role": "member", "activities": ["support"], "time_allocation_pct": "20"},
    )

    assert response.status_code == 400
    assert "Only super-user roles" in response.context["form"].errors["activities"][0]
    assert CommunityMember.objects.get(pk=carla.pk).role == "super_user"


def test_removing_a_back_up_warns_first(client_as, community, carla, bram):
    url = reverse("cocreation:member_delete", args=[carla.pk])

    page = client_as("owner").get(url).content.decode()
    response = client_as("owner").post(url)

    assert "Carla Mendes is the back-up of Bram de Wit" in page
    assert response.status_code == 302
    assert CommunityMember.objects.get(pk=bram.pk).backup is None


def test_deleting_a_community_goes_back_to_the_accounts_communities(client_as, account, community, carla):
    response = client_as("desk").post(reverse("cocreation:community_delete", args=[community.pk]))

    assert response["Location"] == f"{LIST}?organization={account.pk}"
    assert not UserCommunity.objects.exists()
