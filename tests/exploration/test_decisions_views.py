"""The decision matrix pages as a user sees them: the list, the forms, the grid saved as a whole (and
refused as a whole, with the error in the offending cell), the result with its leader and bars, and
what each persona may do."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from exploration.models import DecisionCriterion, DecisionMatrix, DecisionOption, DecisionRating
from journeys.models import OrganizationKind
from tests.factories.decisions import (
    DecisionCriterionFactory,
    DecisionMatrixFactory,
    DecisionOptionFactory,
    DecisionRatingFactory,
)
from tests.factories.journeys import OrganizationFactory
from tests.helpers import text_of

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"exploration:{name}", args=args)


def cell_error(response, field: str) -> str:
    found = re.search(
        rf'<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', response.content.decode(), re.S
    )
    return text_of(found.group(1)) if found else ""


def input_value(response, field: str) -> str | None:
    found = re.search(rf'<input[^>]*name="{field}"[^>]*>', response.content.decode())
    if not found:
        return None
    value = re.search(r'value="([^"]*)"', found.group(0))
    return value.group(1) if value else ""


@pytest.fixture
def grid(owner, account):
    """Price (weight 10), Coverage (20), Trust (30, intangible); options A and B.
    A: price 4, coverage 2, trust 5 → 40 + 40 = 80 of 150 (53 %); B: price 1 → 10 of 150 (7 %)."""
    matrix = DecisionMatrixFactory(title="Hosting partner", organization=account, owner=owner)
    price = DecisionCriterionFactory(matrix=matrix, name="Price", weight=10, position=1)
    coverage = DecisionCriterionFactory(matrix=matrix, name="Coverage", weight=20, position=2)
    trust = DecisionCriterionFactory(matrix=matrix, name="Trust", weight=30, position=3, is_intangible=True)
    a = DecisionOptionFactory(matrix=matrix, name="Option A")
    b = DecisionOptionFactory(matrix=matrix, name="Option B")
    DecisionRatingFactory(option=a, criterion=price, rating=4)
    DecisionRatingFactory(option=a, criterion=coverage, rating=2)
    DecisionRatingFactory(option=a, criterion=trust, rating=5, note="Years of good work")
    DecisionRatingFactory(option=b, criterion=price, rating=1)
    return matrix, price, coverage, trust, a, b


def grid_post(grid, **overrides):
    """The grid form as the page submits it, with the saved values, and the given cells changed."""
    _matrix, price, coverage, trust, a, b = grid
    data = {
        f"weight-{price.pk}": "10",
        f"weight-{coverage.pk}": "20",
        f"weight-{trust.pk}": "30",
        f"intangible-{trust.pk}": "on",
        f"rating-{a.pk}-{price.pk}": "4",
        f"rating-{a.pk}-{coverage.pk}": "2",
        f"rating-{a.pk}-{trust.pk}": "5",
        f"rating-{b.pk}-{price.pk}": "1",
        f"rating-{b.pk}-{coverage.pk}": "",
        f"rating-{b.pk}-{trust.pk}": "",
    }
    for key in list(data):
        if key.startswith("rating-"):
            data["note-" + key.removeprefix("rating-")] = ""
    data[f"note-{a.pk}-{trust.pk}"] = "Years of good work"
    return data | overrides


# --- list and forms -------------------------------------------------------------------------------


def test_the_list_shows_each_matrix_with_its_leader(as_user, owner, grid):
    DecisionMatrixFactory(title="Service desk tool")

    response = as_user(owner).get(url("decision_list"))

    text = text_of(response.content.decode())
    assert response.status_code == 200
    assert "Hosting partner Rentwheel Car Hire 2 3 Option A" in text
    assert "Service desk tool provider-wide 0 0 not rated yet" in text
    assert url("decision_create") in response.content.decode()


def test_readers_see_the_list_without_the_new_button(as_user, analyst, grid):
    page = as_user(analyst).get(url("decision_list")).content.decode()

    assert "Hosting partner" in page and url("decision_create") not in page


def test_creating_a_matrix_for_an_account_goes_to_its_grid_of_fourteen_criteria(as_user, owner, account):
    response = as_user(owner).post(
        url("decision_create"),
        {"title": "Hosting partner", "organization": str(account.pk), "with_default_criteria": "on"},
    )

    matrix = DecisionMatrix.objects.get()
    assert response.status_code == 302 and response["Location"] == url("decision_detail", matrix.pk)
    assert matrix.organization == account and matrix.criteria.count() == 14


def test_a_duplicate_title_is_shown_under_the_title_and_nothing_saved(as_user, owner, grid):
    response = as_user(owner).post(
        url("decision_create"), {"title": "HOSTING PARTNER", "with_default_criteria": "on"}
    )

    assert response.status_code == 400
    assert "already called" in cell_error(response, "title")
    assert DecisionMatrix.objects.count() == 1 and DecisionCriterion.objects.count() == 3


def test_the_account_choice_offers_only_the_users_consumers(as_user, owner, account, other_account):
    page = as_user(owner).get(url("decision_create")).content.decode()

    assert "Rentwheel Car Hire" in page and "Northbank Savings" not in page


def test_editing_moves_a_matrix_to_provider_wide(as_user, owner, grid):
    matrix = grid[0]

    response = as_user(owner).post(url("decision_edit", matrix.pk), {"title": "Hosting", "organization": ""})

    matrix.refresh_from_db()
    assert response.status_code == 302
    assert (matrix.title, matrix.organization) == ("Hosting", None)


def test_deleting_asks_first_then_removes_the_matrix(as_user, owner, grid):
    client = as_user(owner)
    matrix = grid[0]

    confirm = client.get(url("decision_delete", matrix.pk))
    response = client.post(url("decision_delete", matrix.pk))

    assert "Delete Hosting partner?" in text_of(confirm.content.decode())
    assert response.status_code == 302 and response["Location"] == url("decision_list")
    assert not DecisionMatrix.objects.exists()


# --- the matrix page ------------------------------------------------------------------------------


def test_the_matrix_page_shows_the_grid_and_the_ranked_result(as_user, owner, grid):
    matrix, price, coverage, _trust, a, b = grid

    response = as_user(owner).get(url("decision_detail", matrix.pk))

    page = response.content.decode()
    text = text_of(page)
    assert response.status_code == 200
    assert "Leading: Option A , 80 of 150 (53 %)" in text
    assert "1. Option A 80 · 53 % · 2.7 of 5" in text
    assert "2. Option B 10 · 7 % · 0.3 of 5 incomplete: 1 criterion not rated" in text
    assert "Weighted score 30 80 10 % of maximum 53 % 7 % Rank 1 leader 2 incomplete" in text
    assert "Trust 5 — Years of good work" in text  # the intangible criterion, beside the result
    assert 'width="53.33"' in page  # Option A's bar
    assert input_value(response, f"rating-{a.pk}-{price.pk}") == "4"
    assert input_value(response, f"rating-{b.pk}-{coverage.pk}") is not None
    assert "Intangible: discussed, not scored" in text
    assert url("decision_grid_save", matrix.pk) in page


def test_the_grid_inputs_follow_the_rows_for_the_tab_key(as_user, owner, grid):
    matrix, price, coverage, _trust, a, b = grid

    page = as_user(owner).get(url("decision_detail", matrix.pk)).content.decode()

    names = re.findall(r'name="((?:weight|intangible|rating|note)-[\d-]+)"', page)
    assert names[:6] == [
        f"weight-{price.pk}",
        f"intangible-{price.pk}",
        f"rating-{a.pk}-{price.pk}",
        f"note-{a.pk}-{price.pk}",
        f"rating-{b.pk}-{price.pk}",
        f"note-{b.pk}-{price.pk}",
    ]
    assert names[6] == f"weight-{coverage.pk}"


def test_saving_the_grid_saves_every_change_and_returns_to_the_page(as_user, owner, grid):
    matrix, price, coverage, _trust, a, b = grid
    body = grid_post(grid, **{f"rating-{b.pk}-{coverage.pk}": "5", f"rating-{a.pk}-{price.pk}": ""})
    body[f"weight-{price.pk}"] = "40"
    body[f"note-{b.pk}-{coverage.pk}"] = "Full feature set"

    response = as_user(owner).post(url("decision_grid_save", matrix.pk), body, follow=True)

    text = text_of(response.content.decode())
    assert "Grid saved." in text
    assert sorted(
        DecisionRating.objects.filter(criterion__in=[price, coverage]).values_list(
            "option__name", "criterion__name", "rating", "note"
        )
    ) == [
        ("Option A", "Coverage", 2, ""),
        ("Option B", "Coverage", 5, "Full feature set"),
        ("Option B", "Price", 1, ""),
    ]
    price.refresh_from_db()
    assert price.weight == 40
    # B: 40·1 + 20·5 = 140 of 300; A: 20·2 = 40.
    assert "Leading: Option B , 140 of 300 (47 %)" in text


def test_a_bad_cell_is_shown_in_that_cell_and_nothing_is_saved(as_user, owner, grid):
    matrix, price, coverage, _trust, _a, b = grid
    before = sorted(DecisionRating.objects.values_list("option_id", "criterion_id", "rating"))
    body = grid_post(
        grid,
        **{
            f"rating-{b.pk}-{price.pk}": "7",
            f"weight-{coverage.pk}": "35",
            f"rating-{b.pk}-{coverage.pk}": "3",
        },
    )

    response = as_user(owner).post(url("decision_grid_save", matrix.pk), body)

    assert response.status_code == 400
    assert (
        cell_error(response, f"rating-{b.pk}-{price.pk}")
        == "Price × Option B: a rating is a whole number from 0 to 5."
    )
    assert "Nothing was saved" in text_of(response.content.decode())
    assert input_value(response, f"rating-{b.pk}-{price.pk}") == "7"  # the input comes back to be fixed
    assert input_value(response, f"weight-{coverage.pk}") == "35"
    assert sorted(DecisionRating.objects.values_list("option_id", "criterion_id", "rating")) == before
    coverage.refresh_from_db()
    assert coverage.weight == 20


def test_a_column_added_after_the_page_loaded_keeps_its_ratings(as_user, owner, grid):
    matrix, price, *_ = grid
    late = DecisionOptionFactory(matrix=matrix, name="Late entry")
    DecisionRatingFactory(option=late, criterion=price, rating=3)

    as_user(owner).post(url("decision_grid_save", matrix.pk), grid_post(grid))

    assert DecisionRating.objects.get(option=late).rating == 3


def test_without_a_tangible_weight_the_page_says_nothing_can_be_ranked(as_user, owner, grid):
    matrix, price, coverage, *_ = grid
    body = grid_post(grid, **{f"weight-{price.pk}": "0", f"weight-{coverage.pk}": "0"})

    response = as_user(owner).post(url("decision_grid_save", matrix.pk), body, follow=True)

    assert response.status_code == 200
    assert "cannot be ranked yet: give at least one tangible criterion a weight above 0" in text_of(
        response.content.decode()
    )


def test_criteria_and_options_are_added_and_removed_from_the_page(as_user, owner, grid):
    matrix, price, *_, b = grid
    partner = OrganizationFactory(name="Quaystone Cloud Hosting", kind=OrganizationKind.PARTNER, owner=owner)
    client = as_user(owner)

    added = client.post(
        url("decision_criterion_add", matrix.pk), {"criterion-name": "Exit terms", "criterion-weight": "15"}
    )
    option = client.post(
        url("decision_option_add", matrix.pk),
        {"option-name": "Quaystone", "option-organization": str(partner.pk)},
    )
    client.post(url("decision_criterion_remove", matrix.pk, price.pk))
    client.post(url("decision_option_remove", matrix.pk, b.pk))

    assert added.status_code == option.status_code == 302
    assert list(matrix.criteria.order_by("position").values_list("name", "weight")) == [
        ("Coverage", 20),
        ("Trust", 30),
        ("Exit terms", 15),
    ]
    assert list(matrix.options.values_list("name", "organization")) == [
        ("Option A", None),
        ("Quaystone", partner.pk),
    ]
    page = client.get(url("decision_detail", matrix.pk)).content.decode()
    assert reverse("account_detail", args=[partner.pk]) in page


def test_a_bad_new_criterion_shows_its_error_on_the_page(as_user, owner, grid):
    matrix = grid[0]

    response = as_user(owner).post(
        url("decision_criterion_add", matrix.pk), {"criterion-name": "price", "criterion-weight": "5"}
    )

    assert response.status_code == 400
    assert "already has a criterion" in cell_error(response, "criterion-name")
    assert matrix.criteria.count() == 3


def test_a_row_of_another_matrix_cannot_be_removed_through_this_one(as_user, owner, grid):
    stranger = DecisionCriterionFactory()

    response = as_user(owner).post(url("decision_criterion_remove", grid[0].pk, stranger.pk))

    assert response.status_code == 404
    assert DecisionCriterion.objects.filter(pk=stranger.pk).exists()


@pytest.mark.parametrize("size", [2, 6])
def test_the_matrix_page_costs_the_same_queries_at_any_size(as_user, owner, account, size):
    matrix = DecisionMatrixFactory(organization=account)
    criteria = [DecisionCriterionFactory(matrix=matrix, is_intangible=index == 0) for index in range(size)]
    for _ in range(size):
        option = DecisionOptionFactory(matrix=matrix, organization=OrganizationFactory(kind="partner"))
        for criterion in criteria:
            DecisionRatingFactory(option=option, criterion=criterion, rating=2)
    client = as_user(owner)
    client.get(url("decision_detail", matrix.pk))

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url("decision_detail", matrix.pk)).status_code == 200
        assert client.get(url("decision_list")).status_code == 200

    assert len(queries) == QUERIES_FOR_DETAIL_AND_LIST


# The page: session, user with its roles, matrix, criteria, tangible totals, ratings, scored options,
# the providers offered by the add-option form. The list: session, user, matrices with their counts.
QUERIES_FOR_DETAIL_AND_LIST = 11


# --- personas -------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["teammate", "desk", "analyst", "administrator"])
def test_everyone_who_sees_the_account_reads_its_matrix(as_user, request, persona, grid):
    response = as_user(request.getfixturevalue(persona)).get(url("decision_detail", grid[0].pk))

    assert response.status_code == 200
    assert "Leading: Option A" in text_of(response.content.decode())


def test_readers_see_the_ratings_but_no_inputs(as_user, analyst, grid):
    matrix, price, _coverage, _trust, a, _b = grid

    response = as_user(analyst).get(url("decision_detail", matrix.pk))

    assert input_value(response, f"rating-{a.pk}-{price.pk}") is None
    assert "Save the grid" not in response.content.decode()
    assert url("decision_criterion_add", matrix.pk) not in response.content.decode()


def test_an_outsider_gets_404_on_every_page_of_an_account_matrix(as_user, outsider, grid):
    matrix, price, _coverage, _trust, a, _b = grid
    client = as_user(outsider)

    for name, args in [
        ("decision_detail", [matrix.pk]),
        ("decision_edit", [matrix.pk]),
        ("decision_delete", [matrix.pk]),
    ]:
        assert client.get(url(name, *args)).status_code == 404
    for name, args in [
        ("decision_grid_save", [matrix.pk]),
        ("decision_criterion_add", [matrix.pk]),
        ("decision_option_add", [matrix.pk]),
        ("decision_criterion_remove", [matrix.pk, price.pk]),
        ("decision_option_remove", [matrix.pk, a.pk]),
        ("decision_delete", [matrix.pk]),
    ]:
        assert client.post(url(name, *args), grid_post(grid)).status_code == 404
    assert "Hosting partner" not in client.get(url("decision_list")).content.decode()
    assert DecisionCriterion.objects.count() == 3 and DecisionOption.objects.count() == 2


@pytest.mark.parametrize("persona", ["desk", "analyst"])
def test_readers_get_403_on_every_write(as_user, request, persona, grid):
    matrix, price, _coverage, _trust, a, _b = grid
    client = as_user(request.getfixturevalue(persona))

    assert client.get(url("decision_create")).status_code == 403
    assert client.get(url("decision_edit", matrix.pk)).status_code == 403
    for name, args in [
        ("decision_create", []),
        ("decision_grid_save", [matrix.pk]),
        ("decision_criterion_add", [matrix.pk]),
        ("decision_option_add", [matrix.pk]),
        ("decision_criterion_remove", [matrix.pk, price.pk]),
        ("decision_option_remove", [matrix.pk, a.pk]),
        ("decision_delete", [matrix.pk]),
    ]:
        assert client.post(url(name, *args), grid_post(grid, title="X")).status_code == 403
    assert DecisionMatrix.objects.count() == 1 and DecisionRating.objects.count() == 4


def test_integrators_may_not_open_the_pages(as_user, integrator, grid):
    client = as_user(integrator)

    assert client.get(url("decision_list")).status_code == 403
    assert client.get(url("decision_detail", grid[0].pk)).status_code == 403
    assert client.post(url("decision_grid_save", grid[0].pk), grid_post(grid)).status_code == 403
