"""The SWOT and PESTLE API: statuses, shapes, permissions and the error envelope."""

import pytest
from django.urls import reverse

from exploration.models import PestleAnalysis, PestleFactor, SwotAnalysis, SwotItem
from tests.factories.analyses import (
    PestleAnalysisFactory,
    PestleFactorFactory,
    SwotAnalysisFactory,
    SwotItemFactory,
)

pytestmark = pytest.mark.django_db


def api(name, *args):
    return reverse(name, args=args)


def error_fields(response) -> set[str]:
    assert set(response.json()) == {"error"}
    return set(response.json()["error"]["fields"])


@pytest.fixture
def board(account):
    analysis = SwotAnalysisFactory(title="Rentwheel renewal", organization=account)
    SwotItemFactory(analysis=analysis, quadrant="strength", text="Fast desk", weight=2)
    SwotItemFactory(analysis=analysis, quadrant="weakness", text="Old tablets", weight=4)
    return analysis


# --- SWOT analyses --------------------------------------------------------------------------------


def test_the_list_holds_what_the_caller_may_see(token_client, owner, outsider, other_team, board):
    ours = SwotAnalysisFactory(title="Ours")

    for_owner = token_client(owner).get(api("api_swot_analyses")).json()
    for_outsider = token_client(outsider).get(api("api_swot_analyses")).json()

    assert {row["title"] for row in for_owner["results"]} == {"Rentwheel renewal", "Ours"}
    assert [row["id"] for row in for_outsider["results"]] == [ours.pk]
    assert set(for_owner) >= {"next", "previous", "results"}
    assert set(for_owner["results"][0]) == {
        "id",
        "title",
        "subject",
        "organization",
        "segment",
        "analysed_on",
        "notes",
        "owner",
        "created_at",
        "updated_at",
    }


def test_the_list_filters_by_subject_and_organization(token_client, owner, account, board):
    SwotAnalysisFactory(title="Ours")
    client = token_client(owner)

    by_subject = client.get(api("api_swot_analyses"), {"subject": "provider"}).json()["results"]
    by_organization = client.get(api("api_swot_analyses"), {"organization": account.pk}).json()["results"]

    assert [row["title"] for row in by_subject] == ["Ours"]
    assert [row["title"] for row in by_organization] == ["Rentwheel renewal"]


def test_a_bad_updated_since_answers_with_the_envelope(token_client, owner):
    response = token_client(owner).get(api("api_swot_analyses"), {"updated_since": "yesterday"})

    assert response.status_code == 400
    assert error_fields(response) == {"updated_since"}


def test_creating_a_swot_answers_with_it(token_client, owner, account):
    response = token_client(owner).post(
        api("api_swot_analyses"),
        {
            "title": "Renewal",
            "subject": "organization",
            "organization": account.pk,
            "analysed_on": "2026-02-01",
        },
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["title"], body["organization"], body["analysed_on"], body["owner"]) == (
        "Renewal",
        account.pk,
        "2026-02-01",
        owner.pk,
    )
    assert body["items"] == []
    assert body["balance"]["needs_bridging"] is False


def test_a_subject_without_its_link_is_refused_with_the_field_named(token_client, owner):
    response = token_client(owner).post(api("api_swot_analyses"), {"title": "Renewal", "subject": "segment"})

    assert response.status_code == 400
    assert error_fields(response) == {"segment"}
    assert not SwotAnalysis.objects.exists()


def test_an_organization_the_caller_may_not_see_is_refused_like_a_missing_one(
    token_client, outsider, other_team, account
):
    response = token_client(outsider).post(
        api("api_swot_analyses"), {"title": "Peek", "subject": "organization", "organization": account.pk}
    )

    assert response.status_code == 400
    assert response.json()["error"]["fields"]["organization"] == [
        f"No organization with the id {account.pk}."
    ]


def test_unknown_fields_are_refused(token_client, owner):
    response = token_client(owner).post(api("api_swot_analyses"), {"title": "x", "colour": "red"})

    assert response.status_code == 400
    assert error_fields(response) == {"colour"}


@pytest.mark.parametrize(("persona", "status"), [("desk", 403), ("analyst", 403), ("integrator", 201)])
def test_who_may_create_through_the_api(request, token_client, persona, status):
    response = token_client(request.getfixturevalue(persona)).post(
        api("api_swot_analyses"), {"title": "Ours"}
    )

    assert response.status_code == status
    assert SwotAnalysis.objects.exists() == (status == 201)


def test_a_replayed_idempotency_key_creates_one_analysis(token_client, owner):
    client = token_client(owner)

    first = client.post(api("api_pestle_analyses"), {"title": "Around us"}, HTTP_IDEMPOTENCY_KEY="k-1")
    second = client.post(api("api_pestle_analyses"), {"title": "Around us"}, HTTP_IDEMPOTENCY_KEY="k-1")

    assert (first.status_code, second.status_code) == (201, 201)
    assert second["Idempotent-Replayed"] == "true"
    assert PestleAnalysis.objects.count() == 1


def test_the_detail_has_items_and_the_balance(token_client, teammate, board):
    SwotItemFactory(analysis=board, quadrant="weakness", text="No spares", weight=1)

    body = token_client(teammate).get(api("api_swot_analysis", board.pk)).json()

    assert [(item["quadrant"], item["text"], item["weight"]) for item in body["items"]] == [
        ("strength", "Fast desk", 2),
        ("weakness", "Old tablets", 4),
        ("weakness", "No spares", 1),
    ]
    assert body["balance"] == {
        "counts": {"strength": 1, "weakness": 2, "opportunity": 0, "threat": 0},
        "weights": {"strength": 2, "weakness": 5, "opportunity": 0, "threat": 0},
        "needs_bridging": True,
        "triggered_by": ["count", "weight"],
        "message": body["balance"]["message"],
    }
    assert body["balance"]["message"].startswith("Weaknesses outnumber and outweigh strengths")


def test_an_outsider_gets_404_on_an_account_analysis(token_client, outsider, other_team, board):
    client = token_client(outsider)
    item = board.items.first()

    assert client.get(api("api_swot_analysis", board.pk)).status_code == 404
    assert client.patch(api("api_swot_analysis", board.pk), {"title": "Mine"}).status_code == 404
    assert client.delete(api("api_swot_analysis", board.pk)).status_code == 404
    assert client.patch(api("api_swot_item", item.pk), {"weight": 5}).status_code == 404
    response = client.post(api("api_swot_items", board.pk), {"quadrant": "strength", "text": "x"})
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    board.refresh_from_db()
    assert board.title == "Rentwheel renewal" and board.items.count() == 2


def test_patch_and_delete_an_analysis(token_client, owner, board):
    client = token_client(owner)

    response = client.patch(api("api_swot_analysis", board.pk), {"title": "Renewal 2026"})
    assert (response.status_code, response.json()["title"]) == (200, "Renewal 2026")
    assert client.delete(api("api_swot_analysis", board.pk)).status_code == 204
    assert not SwotAnalysis.objects.exists()


# --- SWOT items and pulling -----------------------------------------------------------------------


def test_adding_changing_and_removing_an_item(token_client, owner, board):
    client = token_client(owner)

    created = client.post(
        api("api_swot_items", board.pk), {"quadrant": "threat", "text": "Rival offer", "weight": 4}
    )
    assert created.status_code == 201
    body = created.json()
    assert (body["quadrant"], body["text"], body["weight"], body["pestle_factor"]) == (
        "threat",
        "Rival offer",
        4,
        None,
    )

    changed = client.patch(api("api_swot_item", body["id"]), {"weight": 2})
    assert (changed.status_code, changed.json()["weight"]) == (200, 2)
    assert client.delete(api("api_swot_item", body["id"])).status_code == 204
    assert not SwotItem.objects.filter(pk=body["id"]).exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"quadrant": "strength", "text": "x", "weight": 6}, "weight"),
        ({"quadrant": "luck", "text": "x"}, "quadrant"),
        ({"quadrant": "strength", "text": ""}, "text"),
    ],
)
def test_a_bad_item_is_refused_with_the_field_named(token_client, owner, board, data, field):
    response = token_client(owner).post(api("api_swot_items", board.pk), data)

    assert response.status_code == 400
    assert error_fields(response) == {field}
    assert board.items.count() == 2


def test_desk_may_not_change_items(token_client, desk, board):
    item = board.items.first()

    response = token_client(desk).patch(api("api_swot_item", item.pk), {"weight": 5})

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"


def test_pulling_pestle_factors_is_harmless_to_repeat(token_client, owner, board, account):
    factor = PestleFactorFactory(
        analysis=PestleAnalysisFactory(organization=account), factor="Fuel prices", effect="threat", impact=5
    )
    client = token_client(owner)

    first = client.post(api("api_swot_pull_pestle", board.pk), {"factors": [factor.pk]})
    second = client.post(api("api_swot_pull_pestle", board.pk), {"factors": [factor.pk]})

    assert (first.status_code, second.status_code) == (200, 200)
    pulled = [item for item in second.json()["items"] if item["pestle_factor"] == factor.pk]
    assert [(item["quadrant"], item["text"], item["weight"]) for item in pulled] == [
        ("threat", "Fuel prices", 5)
    ]
    assert second.json()["balance"]["counts"]["threat"] == 1


def test_pulling_a_factor_the_caller_may_not_see_names_factors(token_client, outsider, other_team, account):
    hidden = PestleFactorFactory(analysis=PestleAnalysisFactory(organization=account))
    swot = SwotAnalysisFactory()

    response = token_client(outsider).post(api("api_swot_pull_pestle", swot.pk), {"factors": [hidden.pk]})

    assert response.status_code == 400
    assert error_fields(response) == {"factors"}
    assert not SwotItem.objects.exists()


# --- PESTLE ---------------------------------------------------------------------------------------


def test_a_pestle_with_factors_and_their_scores(token_client, owner):
    client = token_client(owner)
    pestle = client.post(api("api_pestle_analyses"), {"title": "Around us"}).json()

    created = client.post(
        api("api_pestle_factors", pestle["id"]),
        {"area": "legal", "factor": "NIS2", "effect": "threat", "impact": 4, "likelihood": 5},
    )
    assert created.status_code == 201
    assert created.json()["score"] == 20
    detail = client.get(api("api_pestle_analysis", pestle["id"])).json()

    assert [(row["area"], row["factor"], row["score"]) for row in detail["factors"]] == [
        ("legal", "NIS2", 20)
    ]
    changed = client.patch(api("api_pestle_factor", created.json()["id"]), {"likelihood": 2})
    assert changed.json()["score"] == 8
    assert client.delete(api("api_pestle_factor", created.json()["id"])).status_code == 204
    assert not PestleFactor.objects.exists()


def test_a_bad_factor_names_its_fields(token_client, owner):
    pestle = PestleAnalysisFactory()

    response = token_client(owner).post(
        api("api_pestle_factors", pestle.pk),
        {"area": "cosmic", "factor": "x", "effect": "threat", "impact": 0},
    )

    assert response.status_code == 400
    assert error_fields(response) == {"area", "impact"}
    assert not PestleFactor.objects.exists()


def test_the_pestle_list_and_an_analyst_reading_it(token_client, analyst, account):
    PestleAnalysisFactory(title="Account", organization=account)
    PestleAnalysisFactory(title="Ours")

    client = token_client(analyst)
    rows = client.get(api("api_pestle_analyses")).json()["results"]

    assert {row["title"] for row in rows} == {"Account", "Ours"}
    assert client.post(api("api_pestle_analyses"), {"title": "x"}).status_code == 403
