"""The decision matrix API under /api/v1/: status, shape (the computed result included), permissions
per persona, the error envelope naming the field or row, and all-or-nothing ratings."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from exploration.models import DecisionCriterion, DecisionMatrix, DecisionOption, DecisionRating
from tests.factories.decisions import (
    DecisionCriterionFactory,
    DecisionMatrixFactory,
    DecisionOptionFactory,
    DecisionRatingFactory,
)
from tests.factories.journeys import OrganizationFactory

pytestmark = pytest.mark.django_db

LIST_KEYS = {
    "id", "title", "purpose", "organization", "owner", "option_count", "criterion_count", "leading_option",
    "created_at", "updated_at",
}  # fmt: skip
DETAIL_KEYS = {
    "id", "title", "purpose", "organization", "owner", "created_at", "updated_at", "criteria", "options",
    "ratings", "result",
}  # fmt: skip


def url(name, *args):
    return reverse(name, args=args)


def assert_error(response, status, *, code=None, field=None):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "fields"}
    assert body["error"]["message"]
    if code is not None:
        assert body["error"]["code"] == code
    if field is not None:
        assert field in body["error"]["fields"], body
    return body["error"]


@pytest.fixture
def grid(owner, account):
    """Price (weight 10), Security (30), Trust (20, intangible); A: price 5, security 2, trust 5 → 110;
    B: price 2, security 3 → 110 as well (a tie); maximum (10 + 30) × 5 = 200."""
    matrix = DecisionMatrixFactory(title="Hosting partner", organization=account, owner=owner)
    price = DecisionCriterionFactory(matrix=matrix, name="Price", weight=10, position=1)
    security = DecisionCriterionFactory(matrix=matrix, name="Security", weight=30, position=2)
    trust = DecisionCriterionFactory(matrix=matrix, name="Trust", weight=20, position=3, is_intangible=True)
    a = DecisionOptionFactory(matrix=matrix, name="Option A")
    b = DecisionOptionFactory(matrix=matrix, name="Option B")
    for option, criterion, rating in [
        (a, price, 5),
        (a, security, 2),
        (a, trust, 5),
        (b, price, 2),
        (b, security, 3),
    ]:
        DecisionRatingFactory(option=option, criterion=criterion, rating=rating)
    return matrix, price, security, trust, a, b


def test_the_list_shows_the_matrices_the_client_may_see(grid, token_client, owner, outsider):
    DecisionMatrixFactory(title="Provider-wide")

    mine = token_client(owner).get(url("api_decision_matrices"))
    theirs = token_client(outsider).get(url("api_decision_matrices"))

    assert mine.status_code == 200
    rows = {row["title"]: row for row in mine.json()["results"]}
    assert set(rows) == {"Hosting partner", "Provider-wide"}
    assert set(rows["Hosting partner"]) == LIST_KEYS
    assert (rows["Hosting partner"]["option_count"], rows["Hosting partner"]["criterion_count"]) == (2, 3)
    assert rows["Hosting partner"]["leading_option"] == "Option A"  # tied on score; first by name
    assert [row["title"] for row in theirs.json()["results"]] == ["Provider-wide"]


def test_the_list_pages_with_a_cursor_and_filters_by_updated_since(token_client, analyst):
    for index in range(3):
        DecisionMatrixFactory(title=f"Matrix {index}")
    old = DecisionMatrix.objects.get(title="Matrix 0")
    DecisionMatrix.objects.filter(pk=old.pk).update(updated_at=timezone.now() - timedelta(days=3))
    client = token_client(analyst)

    first = client.get(url("api_decision_matrices"), {"page_size": 2}).json()
    second = client.get(first["next"]).json()
    recent = client.get(
        url("api_decision_matrices"), {"updated_since": (timezone.now() - timedelta(days=1)).isoformat()}
    )
    bad = client.get(url("api_decision_matrices"), {"updated_since": "yesterday"})

    assert [row["title"] for row in first["results"] + second["results"]] == [
        "Matrix 0",
        "Matrix 1",
        "Matrix 2",
    ]
    assert {row["title"] for row in recent.json()["results"]} == {"Matrix 1", "Matrix 2"}
    assert_error(bad, 400, field="updated_since")


def test_a_matrix_comes_with_its_grid_and_computed_result(grid, token_client, teammate):
    matrix, _, _, trust, a, b = grid

    response = token_client(teammate).get(url("api_decision_matrix", matrix.pk))

    body = response.json()
    assert response.status_code == 200 and set(body) == DETAIL_KEYS
    assert [criterion["name"] for criterion in body["criteria"]] == ["Price", "Security", "Trust"]
    assert [option["name"] for option in body["options"]] == ["Option A", "Option B"]
    assert len(body["ratings"]) == 5
    result = body["result"]
    assert (result["can_rank"], result["weight_total"], result["maximum"]) == (True, 40, 200)
    assert result["intangible_criteria"] == [trust.pk]
    assert sorted(result["leaders"]) == [a.pk, b.pk]
    assert result["ranking"] == [
        {
            "option": a.pk, "name": "Option A", "score": 110, "share_of_maximum": 55.0, "normalized": 2.75,
            "rank": 1, "unrated_criteria": 0, "is_complete": True,
        },
        {
            "option": b.pk, "name": "Option B", "score": 110, "share_of_maximum": 55.0, "normalized": 2.75,
            "rank": 1, "unrated_criteria": 0, "is_complete": True,
        },
    ]  # fmt: skip


def test_creating_a_matrix_answers_201_with_the_default_criteria(token_client, integrator, account):
    response = token_client(integrator).post(
        url("api_decision_matrices"), {"title": "Hosting", "organization": account.pk}, format="json"
    )

    assert response.status_code == 201
    assert len(response.json()["criteria"]) == 14
    assert response.json()["result"]["maximum"] == 14 * 5 * 5


def test_creating_is_idempotent_with_a_key(token_client, owner):
    client = token_client(owner)

    first = client.post(
        url("api_decision_matrices"), {"title": "Hosting"}, format="json", HTTP_IDEMPOTENCY_KEY="k1"
    )
    again = client.post(
        url("api_decision_matrices"), {"title": "Hosting"}, format="json", HTTP_IDEMPOTENCY_KEY="k1"
    )

    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert DecisionMatrix.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "field", "status"),
    [
        ({"title": ""}, "title", 400),
        ({"title": "Hosting", "colour": "green"}, "colour", 400),
        ({"title": "Hosting", "organization": 999999}, "organization", 400),
        ({"title": "hosting PARTNER"}, "title", 409),
    ],
)
def test_bad_matrix_input_gets_the_envelope_naming_the_field(grid, token_client, owner, body, field, status):
    response = token_client(owner).post(url("api_decision_matrices"), body, format="json")

    assert_error(response, status, field=field)
    assert DecisionMatrix.objects.count() == 1


def test_patch_and_delete_a_matrix(grid, token_client, owner):
    matrix = grid[0]
    client = token_client(owner)

    patched = client.patch(url("api_decision_matrix", matrix.pk), {"purpose": "Due in May"}, format="json")
    deleted = client.delete(url("api_decision_matrix", matrix.pk))

    assert patched.status_code == 200 and patched.json()["purpose"] == "Due in May"
    assert deleted.status_code == 204
    assert not DecisionMatrix.objects.exists()


def test_criteria_and_options_are_added_changed_and_removed(grid, token_client, owner):
    matrix, price, _, _, a, _ = grid
    partner = OrganizationFactory(kind="partner", owner=owner)
    client = token_client(owner)

    criterion = client.post(
        url("api_decision_matrix_criteria", matrix.pk), {"name": "Exit terms", "weight": 12}, format="json"
    )
    option = client.post(
        url("api_decision_matrix_options", matrix.pk),
        {"name": "Quaystone", "organization": partner.pk},
        format="json",
    )
    changed = client.patch(url("api_decision_criterion", price.pk), {"is_intangible": True}, format="json")
    renamed = client.patch(url("api_decision_option", a.pk), {"name": "Option A (revised)"}, format="json")
    removed = client.delete(url("api_decision_criterion", criterion.json()["id"]))
    removed_option = client.delete(url("api_decision_option", option.json()["id"]))

    assert criterion.status_code == option.status_code == 201
    assert criterion.json()["position"] == 4 and option.json()["organization"] == partner.pk
    assert changed.json()["is_intangible"] is True and renamed.json()["name"] == "Option A (revised)"
    assert removed.status_code == removed_option.status_code == 204
    assert DecisionCriterion.objects.count() == 3 and DecisionOption.objects.count() == 2


def test_a_criterion_weight_out_of_range_is_named(grid, token_client, owner):
    response = token_client(owner).post(
        url("api_decision_matrix_criteria", grid[0].pk), {"name": "Exit terms", "weight": 120}, format="json"
    )

    error = assert_error(response, 400, field="weight")
    assert error["fields"]["weight"] == ["A weight is a whole number from 0 to 100."]


def test_put_ratings_sets_and_clears_cells_and_answers_with_the_new_result(grid, token_client, owner):
    matrix, price, security, _, a, b = grid

    response = token_client(owner).put(
        url("api_decision_matrix_ratings", matrix.pk),
        {
            "ratings": [
                {"option": b.pk, "criterion": security.pk, "rating": 5, "note": "Audited last month"},
                {"option": a.pk, "criterion": price.pk, "rating": None},
            ]
        },
        format="json",
    )

    assert response.status_code == 200
    # B: 10·2 + 30·5 = 170; A: 30·2 = 60, price no longer rated.
    ranking = response.json()["result"]["ranking"]
    assert [(row["name"], row["score"], row["rank"], row["is_complete"]) for row in ranking] == [
        ("Option B", 170, 1, True),
        ("Option A", 60, 2, False),
    ]
    assert DecisionRating.objects.get(option=b, criterion=security).note == "Audited last month"


def test_a_bare_list_of_ratings_is_accepted(grid, token_client, owner):
    matrix, price, _, _, _, b = grid

    response = token_client(owner).put(
        url("api_decision_matrix_ratings", matrix.pk),
        [{"option": b.pk, "criterion": price.pk, "rating": 0}],
        format="json",
    )

    assert response.status_code == 200
    assert DecisionRating.objects.get(option=b, criterion=price).rating == 0


def test_put_ratings_with_bad_rows_names_each_row_and_saves_nothing(grid, token_client, owner):
    matrix, price, security, _, a, b = grid
    other = DecisionCriterionFactory()
    before = sorted(DecisionRating.objects.values_list("option_id", "criterion_id", "rating"))
    client = token_client(owner)

    out_of_range = client.put(
        url("api_decision_matrix_ratings", matrix.pk),
        {
            "ratings": [{"option": a.pk, "criterion": price.pk, "rating": 1}] * 3
            + [{"option": b.pk, "criterion": price.pk, "rating": 9}]
        },
        format="json",
    )
    foreign = client.put(
        url("api_decision_matrix_ratings", matrix.pk),
        {
            "ratings": [
                {"option": a.pk, "criterion": security.pk, "rating": 1},
                {"option": a.pk, "criterion": other.pk, "rating": 1},
            ]
        },
        format="json",
    )

    error = assert_error(out_of_range, 400, code="invalid", field="ratings[3].rating")
    assert error["fields"]["ratings[3].rating"] == [
        "A rating is a whole number from 0 to 5, or null for not rated."
    ]
    assert_error(foreign, 400, field="ratings[1].criterion")
    assert sorted(DecisionRating.objects.values_list("option_id", "criterion_id", "rating")) == before


def test_an_outsider_gets_404_on_everything_of_an_account_matrix(grid, token_client, outsider):
    matrix, price, _, _, a, _ = grid
    client = token_client(outsider)

    assert_error(client.get(url("api_decision_matrix", matrix.pk)), 404)
    assert_error(client.patch(url("api_decision_matrix", matrix.pk), {"title": "Mine"}, format="json"), 404)
    assert_error(client.delete(url("api_decision_matrix", matrix.pk)), 404)
    assert_error(
        client.post(url("api_decision_matrix_criteria", matrix.pk), {"name": "X"}, format="json"), 404
    )
    assert_error(
        client.post(url("api_decision_matrix_options", matrix.pk), {"name": "X"}, format="json"), 404
    )
    assert_error(client.patch(url("api_decision_criterion", price.pk), {"weight": 1}, format="json"), 404)
    assert_error(client.delete(url("api_decision_option", a.pk)), 404)
    assert_error(
        client.put(url("api_decision_matrix_ratings", matrix.pk), {"ratings": []}, format="json"), 404
    )
    assert DecisionMatrix.objects.get().title == "Hosting partner"


@pytest.mark.parametrize("persona", ["desk", "analyst"])
def test_readers_may_read_but_get_403_on_writes(grid, token_client, request, persona):
    matrix, price, _, _, a, _ = grid
    client = token_client(request.getfixturevalue(persona))

    assert client.get(url("api_decision_matrix", matrix.pk)).status_code == 200
    assert_error(client.post(url("api_decision_matrices"), {"title": "X"}, format="json"), 403)
    assert_error(client.patch(url("api_decision_matrix", matrix.pk), {"title": "X"}, format="json"), 403)
    assert_error(client.delete(url("api_decision_criterion", price.pk)), 403)
    assert_error(
        client.put(
            url("api_decision_matrix_ratings", matrix.pk),
            {"ratings": [{"option": a.pk, "criterion": price.pk, "rating": 0}]},
            format="json",
        ),
        403,
    )
    assert DecisionRating.objects.get(option=a, criterion=price).rating == 5


def test_an_anonymous_client_gets_401(grid, api_client):
    assert_error(api_client.get(url("api_decision_matrices")), 401)


def test_the_schema_documents_the_decision_routes(api_client):
    schema = api_client.get(url("api_schema")).content.decode()

    for route in (
        "/api/v1/decision-matrices/{id}/ratings/",
        "/api/v1/decision-criteria/{id}/",
        "/api/v1/decision-options/{id}/",
    ):
        assert route in schema


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "ratings"),
        ({"ratings": "all fives"}, "ratings"),
        ({"ratings": [{"option": 1}]}, "ratings[0].criterion"),
    ],
)
def test_a_malformed_ratings_body_is_named(grid, token_client, owner, body, field):
    response = token_client(owner).put(url("api_decision_matrix_ratings", grid[0].pk), body, format="json")

    error = assert_error(response, 400, field=field)
    assert all(isinstance(message, str) and "{" not in message for message in error["fields"][field])
