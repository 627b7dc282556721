"""Who may open which user-community page, in one table: every page × every persona and an anonymous
visitor, then every form posted by each persona who may not write (nothing changes) and by each who may
(it writes).

Communities follow their account: outsiders get 404; the desk, the account's relationship managers and
administrators change them; analysts read; integrators use the API.
"""

import pytest
from django.urls import reverse

from cocreation.models import CommunityMember, UserCommunity
from tests.factories.cocreation_feedback import CommunityMemberFactory, UserCommunityFactory
from tests.factories.journeys import StakeholderFactory
from tests.permissions import LOGIN, assert_answer, get_cases, post_cases

pytestmark = pytest.mark.django_db


def page(name, key=None, **query):
    def url(objects):
        path = reverse(f"cocreation:{name}", args=[objects[key].pk] if key else [])
        if query:
            path += "?" + "&".join(f"{param}={objects[value].pk}" for param, value in query.items())
        return path

    return url


PAGES = {
    "community_list": page("community_list"),
    "community_list_of_account": page("community_list", organization="account"),
    "community_new": page("community_new", organization="account"),
    "community_detail": page("community_detail", "community"),
    "community_edit": page("community_edit", "community"),
    "community_delete": page("community_delete", "community"),
    "member_new": page("member_new", "community"),
    "member_edit": page("member_edit", "member"),
    "member_delete": page("member_delete", "member"),
}

# fmt: off
#                             anonymous owner teammate outsider desk analyst integrator admin
GET_TABLE = {
    "community_list":            (LOGIN, 200, 200, 200, 200, 200, 403, 200),
    "community_list_of_account": (LOGIN, 200, 200, 404, 200, 200, 403, 200),
    "community_new":             (LOGIN, 200, 200, 404, 200, 403, 403, 200),
    "community_detail":          (LOGIN, 200, 200, 404, 200, 200, 403, 200),
    "community_edit":            (LOGIN, 200, 200, 404, 200, 403, 403, 200),
    "community_delete":          (LOGIN, 200, 200, 404, 200, 403, 403, 200),
    "member_new":                (LOGIN, 200, 200, 404, 200, 403, 403, 200),
    "member_edit":               (LOGIN, 200, 200, 404, 200, 403, 403, 200),
    "member_delete":             (LOGIN, 200, 200, 404, 200, 403, 403, 200),
}
# fmt: on

FORMS = {
    "community_new": lambda objects: {"name": "Depot leads", "origin": "customer"},
    "community_edit": lambda objects: {"name": "Fleet planners NL", "origin": "provider", "is_open": "on"},
    "community_delete": lambda objects: {},
    "member_new": lambda objects: {"stakeholder": objects["person"].pk, "role": "member"},
    "member_edit": lambda objects: {
        "role": "super_user",
        "activities": ["support"],
        "time_allocation_pct": "10",
    },
    "member_delete": lambda objects: {},
}
REFUSED = {"anonymous": LOGIN, "outsider": 404, "analyst": 403, "integrator": 403}
POST_TABLE = dict.fromkeys(FORMS, REFUSED)


@pytest.fixture
def objects(account, other_account):
    community = UserCommunityFactory(organization=account, name="Fleet planners")
    return {
        "account": account,
        "community": community,
        "member": CommunityMemberFactory(community=community),
        "person": StakeholderFactory(organization=account, name="Bram de Wit"),
        "outsiders_community": UserCommunityFactory(organization=other_account, name="Northbank savers"),
    }


def everything_written():
    return {
        "communities": list(UserCommunity.objects.order_by("pk").values_list("pk", "updated_at")),
        "members": list(CommunityMember.objects.order_by("pk").values_list("pk", "updated_at")),
    }


def test_the_table_covers_every_page():
    from cocreation.urls import communities

    assert {pattern.name for pattern in communities.urlpatterns} == {
        name for name in GET_TABLE if not name.endswith("_of_account")
    }
    assert set(GET_TABLE) == set(PAGES)


@pytest.mark.parametrize(("page", "persona", "expected"), get_cases(GET_TABLE))
def test_who_may_open_which_page(client_as, objects, page, persona, expected):
    url = PAGES[page](objects)

    assert_answer(client_as(persona).get(url), expected, url)


@pytest.mark.parametrize(("page", "persona", "expected"), post_cases(POST_TABLE))
def test_a_persona_who_may_not_write_changes_nothing(client_as, objects, page, persona, expected):
    url = PAGES[page](objects)
    before = everything_written()

    response = client_as(persona).post(url, FORMS[page](objects))

    assert_answer(response, expected, url)
    assert everything_written() == before


@pytest.mark.parametrize("persona", ["desk", "owner", "teammate", "administrator"])
@pytest.mark.parametrize("page", sorted(FORMS))
def test_the_same_input_from_a_writer_is_accepted(client_as, objects, page, persona):
    before = everything_written()

    response = client_as(persona).post(PAGES[page](objects), FORMS[page](objects))

    assert response.status_code == 302
    assert everything_written() != before


def test_the_list_over_every_account_hides_an_outsiders_communities(client_as, objects):
    text = client_as("owner").get(PAGES["community_list"](objects)).content.decode()

    assert "Fleet planners" in text
    assert "Northbank" not in text
