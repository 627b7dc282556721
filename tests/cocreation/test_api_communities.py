"""Co-create's API for user communities and their members: the list with its coverage figures and
filters, setting up, changing and deleting a community, adding super-users with their activities,
share of time and back-up, the error envelope and the query counts.

Who may do what is in test_api_permissions.py."""

import pytest
from django.urls import reverse

from cocreation.models import CommunityMember, MemberRole, UserCommunity
from tests.factories.cocreation import CommunityMemberFactory, UserCommunityFactory
from tests.factories.journeys import StakeholderFactory

pytestmark = pytest.mark.django_db

COMMUNITY_FIELDS = {
    "id",
    "organization",
    "name",
    "origin",
    "platform",
    "language",
    "is_open",
    "description",
    "member_count",
    "super_user_count",
    "backed_up_count",
    "allocation_total",
    "created_at",
    "updated_at",
}
MEMBER_FIELDS = {
    "id",
    "community",
    "stakeholder",
    "stakeholder_name",
    "role",
    "is_super_user",
    "activities",
    "time_allocation_pct",
    "backup",
    "joined_on",
    "notes",
    "created_at",
    "updated_at",
}


def api(name, *args):
    return reverse(name, args=args)


def error_of(response) -> dict:
    assert set(response.json()) == {"error"}, response.json()
    assert set(response.json()["error"]) == {"code", "message", "fields"}
    return response.json()["error"]


def written():
    return {
        "communities": list(UserCommunity.objects.order_by("pk").values_list("pk", "name", "updated_at")),
        "members": list(CommunityMember.objects.order_by("pk").values_list("pk", "role", "updated_at")),
    }


@pytest.fixture
def community(account):
    return UserCommunityFactory(organization=account, name="Depot planners forum")


@pytest.fixture
def ana(account):
    return StakeholderFactory(organization=account, name="Ana Ferreira")


@pytest.fixture
def ben(community):
    return CommunityMemberFactory(community=community, stakeholder__name="Ben Okafor")


# --- communities ----------------------------------------------------------------------------------


def test_the_list_holds_what_the_caller_may_see_with_its_coverage(
    token_client, owner, outsider, community, ben, other_account
):
    CommunityMemberFactory(
        community=community,
        role=MemberRole.SUPER_USER,
        time_allocation_pct=20,
        backup=ben,
        activities=["support"],
    )
    CommunityMemberFactory(community=community, role=MemberRole.GURU, time_allocation_pct=15)
    UserCommunityFactory(organization=other_account, name="Theirs")

    mine = token_client(owner).get(api("api_cocreate_communities")).json()["results"]
    theirs = token_client(outsider).get(api("api_cocreate_communities")).json()["results"]

    assert [row["name"] for row in mine] == ["Depot planners forum"]
    assert [row["name"] for row in theirs] == ["Theirs"]
    assert set(mine[0]) == COMMUNITY_FIELDS
    figures = {name: mine[0][name] for name in ("member_count", "super_user_count", "backed_up_count")}
    assert figures == {"member_count": 3, "super_user_count": 2, "backed_up_count": 1}
    assert mine[0]["allocation_total"] == 35
    assert theirs[0]["allocation_total"] == 0


def test_the_list_filters(token_client, administrator, account, other_account, community):
    UserCommunityFactory(organization=other_account, name="Closed club", is_open=False, origin="user")
    client = token_client(administrator)

    def names(**query):
        response = client.get(api("api_cocreate_communities"), query)
        assert response.status_code == 200, response.json()
        return sorted(row["name"] for row in response.json()["results"])

    assert names(organization=account.pk) == ["Depot planners forum"]
    assert names(is_open="false") == ["Closed club"]
    assert names(origin="user") == ["Closed club"]
    assert names(updated_since="2999-01-01T00:00:00Z") == []
    bad = client.get(api("api_cocreate_communities"), {"origin": "aliens"})
    assert bad.status_code == 400 and set(error_of(bad)["fields"]) == {"origin"}


def test_the_list_costs_the_same_queries_at_any_size(token_client, owner, account, django_assert_num_queries):
    client = token_client(owner)

    def add(count):
        for _ in range(count):
            community = UserCommunityFactory(organization=account)
            CommunityMemberFactory.create_batch(2, community=community)

    add(2)
    with django_assert_num_queries(2):
        assert len(client.get(api("api_cocreate_communities")).json()["results"]) == 2
    add(6)
    with django_assert_num_queries(2):
        assert len(client.get(api("api_cocreate_communities")).json()["results"]) == 8


def test_a_community_reads_with_its_members_in_constant_queries(
    token_client, owner, outsider, community, django_assert_num_queries
):
    CommunityMemberFactory.create_batch(2, community=community)
    client = token_client(owner)
    url = api("api_cocreate_community", community.pk)

    with django_assert_num_queries(3):
        assert len(client.get(url).json()["members"]) == 2
    CommunityMemberFactory.create_batch(5, community=community)
    with django_assert_num_queries(3):
        body = client.get(url).json()
    assert len(body["members"]) == 7
    assert set(body) == COMMUNITY_FIELDS | {"members"}
    assert set(body["members"][0]) == MEMBER_FIELDS
    assert token_client(outsider).get(url).status_code == 404


def test_a_community_is_set_up_changed_and_deleted(token_client, desk, account):
    client = token_client(desk)

    made = client.post(
        api("api_cocreate_communities"),
        {"organization": account.pk, "name": "Depot planners forum", "platform": "Chat", "language": "Dutch"},
    )
    url = api("api_cocreate_community", made.json()["id"])
    changed = client.patch(url, {"is_open": False, "description": "By invitation."})
    deleted = client.delete(url)

    assert made.status_code == 201, made.json()
    assert (made.json()["members"], made.json()["origin"]) == ([], "provider")
    assert changed.status_code == 200
    assert (changed.json()["is_open"], changed.json()["description"]) == (False, "By invitation.")
    assert deleted.status_code == 204
    assert not UserCommunity.objects.exists()


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({"name": "DEPOT PLANNERS FORUM"}, "name", 409),
        ({"name": ""}, "name", 400),
        ({"name": "x", "origin": "aliens"}, "origin", 400),
        ({"name": "x", "organization": 999_999}, "organization", 400),
        ({"name": "x", "is_open": "perhaps"}, "is_open", 400),
        ({"name": "x", "members": []}, "members", 400),
    ],
)
def test_a_bad_community_names_its_field_and_saves_nothing(
    token_client, desk, account, community, body, field, code
):
    before = written()

    response = token_client(desk).post(api("api_cocreate_communities"), {"organization": account.pk, **body})

    assert response.status_code == code
    assert set(error_of(response)["fields"]) == {field}
    assert written() == before


# --- members --------------------------------------------------------------------------------------


def test_a_super_user_is_added_with_activities_time_and_backup(token_client, desk, community, ana, ben):
    response = token_client(desk).post(
        api("api_cocreate_community_members", community.pk),
        {
            "stakeholder": ana.pk,
            "role": "super_user",
            "activities": ["training", "support"],
            "time_allocation_pct": 20,
            "backup": ben.pk,
            "joined_on": "2026-02-01",
        },
    )
    listed = token_client(desk).get(api("api_cocreate_community_members", community.pk)).json()

    assert response.status_code == 201, response.json()
    body = response.json()
    assert set(body) == MEMBER_FIELDS
    assert (body["stakeholder_name"], body["is_super_user"], body["backup"]) == ("Ana Ferreira", True, ben.pk)
    assert body["activities"] == ["support", "training"]
    assert [row["stakeholder_name"] for row in listed] == ["Ana Ferreira", "Ben Okafor"]


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({"role": "member", "time_allocation_pct": 20}, "time_allocation_pct", 400),
        ({"role": "super_user", "time_allocation_pct": 120}, "time_allocation_pct", 400),
        ({"role": "super_user", "activities": ["cooking"]}, "activities.0", 400),
        ({"role": "captain"}, "role", 400),
        ({"stakeholder": "ben"}, "stakeholder", 409),
        ({"stakeholder": 999_999}, "stakeholder", 400),
        ({"backup": 999_999, "role": "super_user"}, "backup", 400),
    ],
)
def test_a_bad_member_names_its_field_and_saves_nothing(
    token_client, desk, community, ana, ben, body, field, code
):
    if body.get("stakeholder") == "ben":
        body = {**body, "stakeholder": ben.stakeholder_id}
    before = written()

    response = token_client(desk).post(
        api("api_cocreate_community_members", community.pk), {"stakeholder": ana.pk, **body}
    )

    assert response.status_code == code
    assert set(error_of(response)["fields"]) == {field}
    assert written() == before


def test_people_and_backups_of_another_account_or_community_are_refused(
    token_client, desk, community, ana, other_account, account
):
    stranger = StakeholderFactory(organization=other_account)
    elsewhere = CommunityMemberFactory(community=UserCommunityFactory(organization=account))
    url = api("api_cocreate_community_members", community.pk)
    before = written()

    person = token_client(desk).post(url, {"stakeholder": stranger.pk})
    backup = token_client(desk).post(
        url, {"stakeholder": ana.pk, "role": "super_user", "backup": elsewhere.pk}
    )

    assert person.status_code == 400 and set(error_of(person)["fields"]) == {"stakeholder"}
    assert backup.status_code == 400 and set(error_of(backup)["fields"]) == {"backup"}
    assert written() == before


def test_a_member_is_changed_demoted_and_removed(token_client, owner, community, ben):
    star = CommunityMemberFactory(
        community=community,
        role=MemberRole.SUPER_USER,
        activities=["demos"],
        time_allocation_pct=10,
        backup=ben,
    )
    client = token_client(owner)
    url = api("api_cocreate_member", star.pk)

    read = client.get(url)
    more = client.patch(url, {"time_allocation_pct": 25, "notes": "Runs the drop-in."})
    demoted = client.patch(url, {"role": "member"})
    removed = client.delete(url)

    assert read.status_code == 200 and set(read.json()) == MEMBER_FIELDS
    assert more.json()["time_allocation_pct"] == 25
    assert demoted.status_code == 200
    assert (
        demoted.json()["activities"],
        demoted.json()["time_allocation_pct"],
        demoted.json()["backup"],
    ) == (
        [],
        None,
        None,
    )
    assert removed.status_code == 204
    assert not CommunityMember.objects.filter(pk=star.pk).exists()


def test_a_member_of_an_invisible_account_is_404(token_client, outsider, ben):
    response = token_client(outsider).patch(api("api_cocreate_member", ben.pk), {"notes": "x"})

    assert response.status_code == 404
    assert CommunityMember.objects.get(pk=ben.pk).notes == ""


def test_the_schema_lists_the_community_routes(api_client):
    schema = api_client.get(api("api_schema")).content.decode()

    for route in (
        "/api/v1/co-create/communities/",
        "/api/v1/co-create/communities/{id}/members/",
        "/api/v1/co-create/community-members/{id}/",
    ):
        assert route in schema
