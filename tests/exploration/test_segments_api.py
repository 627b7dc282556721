"""The market-segment API under /api/v1/: segments with their linked personas, members as far as the
caller may see them, who may write, and the error envelope naming the field."""

import pytest
from django.urls import reverse

from exploration.models import MarketSegment, SegmentMembership
from tests.factories.exploration import MarketSegmentFactory
from tests.factories.journeys import OrganizationFactory
from tests.factories.personas import PersonaFactory

pytestmark = pytest.mark.django_db

SEGMENT_KEYS = {
    "id", "name", "description", "approach", "basis", "criteria", "is_homogeneous", "homogeneity_notes",
    "is_distinct", "distinction_notes", "reacts_alike", "reaction_notes", "owner", "member_count",
    "personas", "created_at", "updated_at",
}  # fmt: skip
MEMBER_KEYS = {
    "segment", "organization", "organization_name", "organization_external_id", "added_by", "created_at",
    "updated_at",
}  # fmt: skip
SEGMENT_BODY = {"name": "Benelux mobility", "approach": "characteristic_based", "basis": "geographic"}


def url(name, *args):
    return reverse(name, args=args)


def assert_error(response, status, code=None, field=None):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "fields"}
    if code is not None:
        assert body["error"]["code"] == code
    if field is not None:
        assert field in body["error"]["fields"], body
    return body["error"]


def ids(response, key="id"):
    return [row[key] for row in response.json()["results"]]


# --- segments -------------------------------------------------------------------------------------


def test_a_segment_shows_its_personas_and_the_members_the_caller_may_see(
    owner, analyst, account, other_account, token_client
):
    orla = PersonaFactory()
    segment = MarketSegmentFactory(organizations=[account, other_account])
    segment.personas.add(orla)

    for_owner = token_client(owner).get(url("api_market_segment", segment.pk)).json()
    for_analyst = token_client(analyst).get(url("api_market_segments")).json()["results"][0]

    assert set(for_owner) == SEGMENT_KEYS
    assert (for_owner["member_count"], for_owner["personas"]) == (1, [orla.pk])
    assert for_analyst["member_count"] == 2


def test_an_integrator_defines_a_segment_with_personas(integrator, token_client):
    orla, femi = PersonaFactory(), PersonaFactory()

    response = token_client(integrator).post(
        url("api_market_segments"), SEGMENT_BODY | {"personas": [orla.pk, femi.pk]}
    )

    assert response.status_code == 201, response.content
    segment = MarketSegment.objects.get()
    assert set(segment.personas.all()) == {orla, femi}
    assert sorted(response.json()["personas"]) == sorted([orla.pk, femi.pk])
    assert segment.owner == integrator


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        (SEGMENT_BODY | {"basis": ""}, 400, "basis"),
        (SEGMENT_BODY | {"approach": "astrological"}, 400, "approach"),
        (SEGMENT_BODY | {"personas": [999]}, 400, "personas"),
        (SEGMENT_BODY | {"colour": "blue"}, 400, "colour"),
        ({"approach": "need_based"}, 400, "name"),
    ],
)
def test_bad_segment_input_is_a_400_naming_the_field(owner, token_client, body, status, field):
    assert_error(token_client(owner).post(url("api_market_segments"), body), status, field=field)
    assert not MarketSegment.objects.exists()


def test_a_duplicate_segment_name_is_a_409(owner, token_client):
    MarketSegmentFactory(name="Benelux mobility")

    assert_error(
        token_client(owner).post(url("api_market_segments"), SEGMENT_BODY),
        409,
        code="duplicate",
        field="name",
    )


def test_patching_sets_the_personas_and_keeps_the_rest(owner, token_client):
    orla, femi = PersonaFactory(), PersonaFactory()
    segment = MarketSegmentFactory(name="Ports", criteria="Runs a port")
    segment.personas.add(orla)
    client = token_client(owner)

    response = client.patch(url("api_market_segment", segment.pk), {"personas": [femi.pk]})

    assert response.status_code == 200, response.content
    assert (response.json()["personas"], response.json()["criteria"]) == ([femi.pk], "Runs a port")
    cleared = client.patch(url("api_market_segment", segment.pk), {"personas": []})
    assert cleared.json()["personas"] == []


def test_deleting_a_segment_keeps_its_organizations(administrator, account, token_client):
    segment = MarketSegmentFactory(organizations=[account])

    assert token_client(administrator).delete(url("api_market_segment", segment.pk)).status_code == 204

    assert not MarketSegment.objects.exists()
    account.refresh_from_db()


@pytest.mark.parametrize("reader", ["desk", "analyst"])
def test_readers_get_403_on_every_write(request, token_client, reader, account):
    segment = MarketSegmentFactory(organizations=[account])
    client = token_client(request.getfixturevalue(reader))

    assert_error(client.post(url("api_market_segments"), SEGMENT_BODY), 403)
    assert_error(client.patch(url("api_market_segment", segment.pk), {"name": "Mine"}), 403)
    assert_error(client.delete(url("api_market_segment", segment.pk)), 403)
    assert_error(
        client.post(url("api_market_segment_members", segment.pk), {"organization": account.pk}), 403
    )
    assert_error(client.delete(url("api_market_segment_member", segment.pk, account.pk)), 403)
    assert MarketSegment.objects.get().name == segment.name
    assert SegmentMembership.objects.count() == 1


def test_a_missing_segment_is_a_404_envelope(owner, token_client):
    assert_error(token_client(owner).get(url("api_market_segment", 999)), 404, code="not_found")


@pytest.mark.parametrize("size", [2, 20])
def test_the_segment_list_costs_the_same_queries_at_any_size(
    integrator, token_client, size, django_assert_num_queries
):
    persona = PersonaFactory()
    for _ in range(size):
        MarketSegmentFactory(organizations=[OrganizationFactory()]).personas.add(persona)
    client = token_client(integrator)

    with django_assert_num_queries(3):  # the token with its user and roles, segments, their personas
        assert len(ids(client.get(url("api_market_segments")))) == size


# --- members --------------------------------------------------------------------------------------


def test_members_list_only_what_the_caller_may_see(owner, account, other_account, token_client):
    segment = MarketSegmentFactory(organizations=[account, other_account])

    response = token_client(owner).get(url("api_market_segment_members", segment.pk))

    assert response.status_code == 200
    assert ids(response, "organization") == [account.pk]
    assert set(response.json()["results"][0]) == MEMBER_KEYS
    assert response.json()["results"][0]["organization_name"] == "Rentwheel Car Hire"


def test_a_member_is_added_once_and_removed(owner, account, token_client):
    segment = MarketSegmentFactory()
    client = token_client(owner)

    first = client.post(url("api_market_segment_members", segment.pk), {"organization": account.pk})
    again = client.post(url("api_market_segment_members", segment.pk), {"organization": account.pk})

    assert (first.status_code, again.status_code) == (201, 201)
    assert SegmentMembership.objects.count() == 1
    assert client.delete(url("api_market_segment_member", segment.pk, account.pk)).status_code == 204
    assert not SegmentMembership.objects.exists()


def test_an_organization_the_caller_may_not_see_is_refused_like_a_missing_one(
    owner, other_account, token_client
):
    segment = MarketSegmentFactory(organizations=[other_account])
    client = token_client(owner)

    error = assert_error(
        client.post(url("api_market_segment_members", segment.pk), {"organization": other_account.pk}),
        400,
        field="organization",
    )
    assert str(other_account.pk) in error["fields"]["organization"][0]
    assert_error(client.delete(url("api_market_segment_member", segment.pk, other_account.pk)), 404)
    assert SegmentMembership.objects.count() == 1


def test_only_consumers_become_members(owner, team, token_client):
    partner = OrganizationFactory(kind="partner", owner=owner, team=team)
    segment = MarketSegmentFactory()

    assert_error(
        token_client(owner).post(url("api_market_segment_members", segment.pk), {"organization": partner.pk}),
        400,
        field="organization",
    )


def test_the_schema_lists_the_new_routes(api_client):
    schema = api_client.get(url("api_schema")).content.decode()

    for path in (
        "/api/v1/personas/{id}/scenarios/",
        "/api/v1/jobs-to-be-done/{id}/",
        "/api/v1/market-segments/{id}/members/{organization_pk}/",
    ):
        assert path in schema
