"""Reads of the decision matrices: who sees which matrix, and the weighted result with hand-checked
figures — intangible criteria kept out of the sum, ties sharing a rank — in a constant number of
queries."""

import pytest
from django.http import Http404

from exploration import selectors
from tests.factories.decisions import (
    DecisionCriterionFactory,
    DecisionMatrixFactory,
    DecisionOptionFactory,
    DecisionRatingFactory,
)
from tests.factories.journeys import OrganizationFactory

pytestmark = pytest.mark.django_db


def rate(option, ratings: dict):
    for criterion, rating in ratings.items():
        DecisionRatingFactory(option=option, criterion=criterion, rating=rating)


@pytest.fixture
def hosting():
    """Price (weight 30), Security (50), Trust (40, intangible); three options:

    - Quaystone: price 4, security 3, trust 5  → 30·4 + 50·3 = 270 (trust left out)
    - Scheldt:   price 2, security 4, trust 1  → 30·2 + 50·4 = 260
    - Cloud:     price 5 only                  → 30·5        = 150, security not rated
    Σ tangible weights = 80, maximum = 400.
    """
    matrix = DecisionMatrixFactory(title="Hosting")
    price = DecisionCriterionFactory(matrix=matrix, name="Price", weight=30, position=1)
    security = DecisionCriterionFactory(matrix=matrix, name="Security", weight=50, position=2)
    trust = DecisionCriterionFactory(matrix=matrix, name="Trust", weight=40, position=3, is_intangible=True)
    quaystone = DecisionOptionFactory(matrix=matrix, name="Quaystone")
    scheldt = DecisionOptionFactory(matrix=matrix, name="Scheldt")
    cloud = DecisionOptionFactory(matrix=matrix, name="Cloud")
    rate(quaystone, {price: 4, security: 3, trust: 5})
    rate(scheldt, {price: 2, security: 4, trust: 1})
    rate(cloud, {price: 5})
    return matrix


def figures(result):
    return {
        option.name: (
            option.score,
            round(option.share, 2),
            round(option.normalized, 4),
            option.rank,
            option.unrated_count,
        )
        for option in result.options
    }


def test_the_weighted_score_leaves_intangible_criteria_out(hosting):
    result = selectors.decision_matrix_result(matrix=hosting)

    assert (result.weight_total, result.maximum, result.tangible_count) == (80, 400, 2)
    assert figures(result) == {
        "Quaystone": (270, 67.5, 3.375, 1, 0),
        "Scheldt": (260, 65.0, 3.25, 2, 0),
        "Cloud": (150, 37.5, 1.875, 3, 1),
    }
    assert [option.name for option in result.options] == ["Cloud", "Quaystone", "Scheldt"]
    assert [option.name for option in result.ranking] == ["Quaystone", "Scheldt", "Cloud"]
    assert [option.name for option in result.leaders] == ["Quaystone"]
    assert [criterion.name for criterion in result.intangible_criteria] == ["Trust"]
    trust_row = result.intangible_table[0]
    assert [rating.rating if rating else None for rating in trust_row[1]] == [None, 5, 1]


def test_equal_scores_share_a_rank_and_the_next_rank_skips(hosting):
    # Cloud gains security 4: 150 + 200 = 350; Scheldt's price goes to 5: 150 + 200 = 350.
    cloud = hosting.options.get(name="Cloud")
    security = hosting.criteria.get(name="Security")
    rate(cloud, {security: 4})
    scheldt_price = hosting.criteria.get(name="Price").ratings.get(option__name="Scheldt")
    scheldt_price.rating = 5
    scheldt_price.save()

    result = selectors.decision_matrix_result(matrix=hosting)

    assert {name: row[0] for name, row in figures(result).items()} == {
        "Cloud": 350,
        "Scheldt": 350,
        "Quaystone": 270,
    }
    assert {name: row[3] for name, row in figures(result).items()} == {
        "Cloud": 1,
        "Scheldt": 1,
        "Quaystone": 3,
    }
    assert [option.name for option in result.leaders] == ["Cloud", "Scheldt"]


def test_without_a_tangible_weight_nothing_is_ranked(hosting, analyst):
    hosting.criteria.filter(is_intangible=False).update(weight=0)

    result = selectors.decision_matrix_result(matrix=hosting)
    [listed] = selectors.decision_matrix_list(user=analyst)

    assert not result.can_rank
    assert result.leaders == []
    assert listed.leading_option_name is None
    assert {(option.rank, option.share, option.normalized) for option in result.options} == {
        (None, None, None)
    }


def test_an_unrated_option_scores_zero_and_is_incomplete(hosting):
    DecisionOptionFactory(matrix=hosting, name="Late entry")

    result = selectors.decision_matrix_result(matrix=hosting)

    assert figures(result)["Late entry"] == (0, 0.0, 0.0, 4, 2)


@pytest.mark.parametrize("size", [2, 8])
def test_the_result_runs_four_queries_whatever_the_size(size, django_assert_num_queries):
    matrix = DecisionMatrixFactory()
    criteria = [DecisionCriterionFactory(matrix=matrix, is_intangible=index == 0) for index in range(size)]
    for _ in range(size):
        option = DecisionOptionFactory(matrix=matrix)
        rate(option, dict.fromkeys(criteria, 3))

    with django_assert_num_queries(4):
        result = selectors.decision_matrix_result(matrix=matrix)

    assert len(result.options) == size and len(result.ratings) == size * size
    assert {option.score for option in result.options} == {3 * 5 * (size - 1)}


# --- visibility and lists -------------------------------------------------------------------------


def test_a_matrix_follows_its_account_and_a_provider_wide_one_is_seen_by_all(
    owner, teammate, outsider, desk, analyst, account
):
    ours = DecisionMatrixFactory(title="For the account", organization=account)
    everyone = DecisionMatrixFactory(title="Provider-wide")

    def titles(user):
        return sorted(matrix.title for matrix in selectors.decision_matrix_list(user=user))

    for user in (owner, teammate, desk, analyst):
        assert titles(user) == ["For the account", "Provider-wide"]
    assert titles(outsider) == ["Provider-wide"]
    assert selectors.decision_matrix_get(user=outsider, pk=everyone.pk) == everyone
    with pytest.raises(Http404):
        selectors.decision_matrix_get(user=outsider, pk=ours.pk)


def test_rows_and_columns_of_a_hidden_matrix_are_not_found(outsider, account):
    matrix = DecisionMatrixFactory(organization=account)
    criterion = DecisionCriterionFactory(matrix=matrix)
    option = DecisionOptionFactory(matrix=matrix)

    with pytest.raises(Http404):
        selectors.decision_criterion_get(user=outsider, pk=criterion.pk)
    with pytest.raises(Http404):
        selectors.decision_option_get(user=outsider, pk=option.pk)


def test_a_row_is_not_found_under_another_matrix(owner):
    criterion = DecisionCriterionFactory()
    other = DecisionMatrixFactory()

    with pytest.raises(Http404):
        selectors.decision_criterion_get(user=owner, pk=criterion.pk, matrix_pk=other.pk)
    assert (
        selectors.decision_criterion_get(user=owner, pk=criterion.pk, matrix_pk=criterion.matrix_id)
        == criterion
    )


def test_the_list_counts_rows_and_columns_and_names_the_leader(hosting, analyst):
    DecisionMatrixFactory(title="Empty")

    matrices = {matrix.title: matrix for matrix in selectors.decision_matrix_list(user=analyst)}

    hosting_row = matrices["Hosting"]
    assert (hosting_row.option_count, hosting_row.criterion_count) == (3, 3)
    assert (hosting_row.leading_option_name, hosting_row.leading_score, hosting_row.runner_up_score) == (
        "Quaystone",
        270,
        260,
    )
    empty = matrices["Empty"]
    assert (empty.option_count, empty.criterion_count, empty.leading_option_name) == (0, 0, None)


@pytest.mark.parametrize("size", [1, 6])
def test_the_list_runs_one_query(analyst, size, django_assert_num_queries):
    for _ in range(size):
        option = DecisionOptionFactory(matrix=DecisionMatrixFactory(organization=OrganizationFactory()))
        rate(option, {DecisionCriterionFactory(matrix=option.matrix): 4})
    list(selectors.decision_matrix_list(user=analyst))  # load the roles once, as a request does

    with django_assert_num_queries(1):
        matrices = list(selectors.decision_matrix_list(user=analyst))

    assert [(matrix.option_count, matrix.leading_score) for matrix in matrices] == [(1, 20)] * size


def test_the_account_panel_lists_only_that_accounts_matrices(owner, outsider, account):
    DecisionMatrixFactory(title="For the account", organization=account)
    DecisionMatrixFactory(title="Provider-wide")

    assert [
        matrix.title
        for matrix in selectors.decision_matrices_for_organization(user=owner, organization=account)
    ] == ["For the account"]
    assert not selectors.decision_matrices_for_organization(user=outsider, organization=account).exists()


def test_an_option_names_its_organization_only_to_those_who_see_it(owner, outsider):
    partner = OrganizationFactory(name="Quaystone", kind="partner", owner=owner)
    matrix = DecisionMatrixFactory()
    DecisionOptionFactory(matrix=matrix, organization=partner)

    [for_owner] = selectors.decision_matrix_result(matrix=matrix, user=owner).options
    [for_outsider] = selectors.decision_matrix_result(matrix=matrix, user=outsider).options

    assert for_owner.organization_visible and not for_outsider.organization_visible
