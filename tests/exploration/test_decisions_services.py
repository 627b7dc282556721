"""Writes of the decision matrices: the default criteria, who may change which matrix, and a grid with
one bad cell answered with every bad cell named while nothing at all is saved."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from exploration import services
from exploration.models import DecisionCriterion, DecisionMatrix, DecisionOption, DecisionRating
from journeys.base import ApplicationError
from journeys.models import OrganizationKind
from tests.factories.decisions import (
    DecisionCriterionFactory,
    DecisionMatrixFactory,
    DecisionOptionFactory,
    DecisionRatingFactory,
)
from tests.factories.journeys import OrganizationFactory

pytestmark = pytest.mark.django_db


def snapshot(matrix):
    """Everything the grid may change, to compare before and after a refused save."""
    return (
        list(DecisionCriterion.objects.filter(matrix=matrix).values_list("pk", "weight", "is_intangible")),
        sorted(
            DecisionRating.objects.filter(option__matrix=matrix).values_list(
                "option_id", "criterion_id", "rating", "note"
            )
        ),
    )


@pytest.fixture
def grid(owner, account):
    """A matrix for the account: criteria Price (weight 10) and Coverage (20), options A and B."""
    matrix = DecisionMatrixFactory(title="Hosting", organization=account, owner=owner)
    price = DecisionCriterionFactory(matrix=matrix, name="Price", weight=10, position=1)
    coverage = DecisionCriterionFactory(matrix=matrix, name="Coverage", weight=20, position=2)
    a = DecisionOptionFactory(matrix=matrix, name="Option A")
    b = DecisionOptionFactory(matrix=matrix, name="Option B")
    DecisionRatingFactory(option=a, criterion=price, rating=4, note="fair quote")
    return matrix, price, coverage, a, b


# --- matrices -------------------------------------------------------------------------------------


def test_a_new_matrix_starts_with_the_fourteen_shortlist_criteria_in_order(owner):
    matrix = services.decision_matrix_create(actor=owner, title="  Hosting partner  ", purpose=" Portal ")

    criteria = list(matrix.criteria.order_by("position"))
    assert matrix.title == "Hosting partner" and matrix.purpose == "Portal" and matrix.owner == owner
    assert len(criteria) == 14
    assert [criterion.position for criterion in criteria] == list(range(1, 15))
    assert criteria[0].name.startswith("Products and services offered")
    assert criteria[2].name == "Price" and criteria[13].name == "Charges"
    assert {criterion.weight for criterion in criteria} == {services.DEFAULT_CRITERION_WEIGHT}
    assert not any(criterion.is_intangible for criterion in criteria)


def test_a_matrix_may_start_empty(owner):
    matrix = services.decision_matrix_create(actor=owner, title="Blank", with_default_criteria=False)

    assert not matrix.criteria.exists()


def test_a_matrix_for_an_account_needs_a_consumer_the_actor_sees(owner, account, other_account):
    partner = OrganizationFactory(kind=OrganizationKind.PARTNER, owner=owner)

    assert (
        services.decision_matrix_create(actor=owner, title="Ours", organization=account).organization
        == account
    )
    for organization in (other_account, partner):
        with pytest.raises(ApplicationError) as raised:
            services.decision_matrix_create(
                actor=owner, title=f"For {organization.pk}", organization=organization
            )
        assert list(raised.value.fields) == ["organization"]
    assert DecisionMatrix.objects.count() == 1


@pytest.mark.parametrize("title", ["", "   ", "x" * 161])
def test_a_bad_title_is_refused_and_nothing_saved(owner, title):
    with pytest.raises(ApplicationError) as raised:
        services.decision_matrix_create(actor=owner, title=title)

    assert list(raised.value.fields) == ["title"]
    assert not DecisionMatrix.objects.exists() and not DecisionCriterion.objects.exists()


def test_titles_are_unique_whatever_the_case(owner, teammate):
    services.decision_matrix_create(actor=owner, title="Hosting partner")

    with pytest.raises(ApplicationError) as raised:
        services.decision_matrix_create(actor=teammate, title="HOSTING partner")

    assert raised.value.status == 409 and list(raised.value.fields) == ["title"]
    assert DecisionCriterion.objects.count() == 14


@pytest.mark.parametrize("persona", ["desk", "analyst"])
def test_readers_may_not_write(request, persona):
    with pytest.raises(PermissionDenied):
        services.decision_matrix_create(actor=request.getfixturevalue(persona), title="Nope")


def test_an_account_matrix_is_changed_by_the_account_team_only(grid, teammate, outsider):
    matrix = grid[0]

    services.decision_matrix_update(actor=teammate, matrix=matrix, purpose="Agreed with the council")
    with pytest.raises(Http404):
        services.decision_matrix_update(actor=outsider, matrix=matrix, purpose="Mine now")
    with pytest.raises(Http404):
        services.decision_option_add(actor=outsider, matrix=matrix, name="Sneaky")

    matrix.refresh_from_db()
    assert matrix.purpose == "Agreed with the council"
    assert not DecisionOption.objects.filter(name="Sneaky").exists()


def test_a_provider_wide_matrix_is_changed_by_any_relationship_manager(outsider, desk):
    matrix = DecisionMatrixFactory(title="Service desk tool")

    services.decision_criterion_add(actor=outsider, matrix=matrix, name="Cost")
    with pytest.raises(PermissionDenied):
        services.decision_criterion_add(actor=desk, matrix=matrix, name="Speed")

    assert list(matrix.criteria.values_list("name", flat=True)) == ["Cost"]


def test_update_refuses_an_unknown_field(grid, owner):
    with pytest.raises(ApplicationError) as raised:
        services.decision_matrix_update(actor=owner, matrix=grid[0], colour="green")

    assert list(raised.value.fields) == ["colour"]


def test_deleting_a_matrix_takes_its_rows_columns_and_cells(grid, owner, account):
    services.decision_matrix_delete(actor=owner, matrix=grid[0])

    assert not DecisionCriterion.objects.exists() and not DecisionRating.objects.exists()
    assert account.__class__.objects.filter(pk=account.pk).exists()


# --- criteria and options -------------------------------------------------------------------------


def test_a_new_criterion_goes_last_and_its_name_is_unique_in_the_matrix(grid, owner):
    matrix = grid[0]

    added = services.decision_criterion_add(actor=owner, matrix=matrix, name="Exit terms", weight="15")
    with pytest.raises(ApplicationError) as raised:
        services.decision_criterion_add(actor=owner, matrix=matrix, name="PRICE")

    assert (added.position, added.weight) == (3, 15)
    assert raised.value.status == 409 and list(raised.value.fields) == ["name"]
    assert matrix.criteria.count() == 3


@pytest.mark.parametrize("weight", [-1, 101, "ten", 2.5, "", None, True])
def test_a_criterion_weight_is_a_whole_number_from_0_to_100(grid, owner, weight):
    with pytest.raises(ApplicationError) as raised:
        services.decision_criterion_add(actor=owner, matrix=grid[0], name="Exit terms", weight=weight)

    assert raised.value.fields == {"weight": ["A weight is a whole number from 0 to 100."]}
    assert grid[0].criteria.count() == 2


def test_updating_and_removing_a_criterion(grid, owner):
    _, price, coverage, *_ = grid

    services.decision_criterion_update(actor=owner, criterion=coverage, weight=0, is_intangible=True)
    services.decision_criterion_remove(actor=owner, criterion=price)

    coverage.refresh_from_db()
    assert (coverage.weight, coverage.is_intangible) == (0, True)
    assert not DecisionRating.objects.exists()


def test_an_option_may_stand_for_a_provider_on_record(grid, owner, account):
    matrix = grid[0]
    partner = OrganizationFactory(name="Quaystone", kind=OrganizationKind.PARTNER, owner=owner)

    option = services.decision_option_add(actor=owner, matrix=matrix, name="Quaystone", organization=partner)
    with pytest.raises(ApplicationError) as raised:
        services.decision_option_add(actor=owner, matrix=matrix, name="A consumer", organization=account)

    assert option.organization == partner
    assert list(raised.value.fields) == ["organization"]


def test_an_option_name_is_unique_in_the_matrix_and_may_be_renamed(grid, owner):
    *_, b = grid

    with pytest.raises(ApplicationError) as raised:
        services.decision_option_update(actor=owner, option=b, name="option a")
    services.decision_option_update(actor=owner, option=b, name="Option C", notes="Late entry")

    b.refresh_from_db()
    assert raised.value.status == 409
    assert (b.name, b.notes) == ("Option C", "Late entry")


def test_removing_an_option_takes_its_ratings(grid, owner):
    services.decision_option_remove(actor=owner, option=grid[3])

    assert not DecisionRating.objects.exists()


# --- the grid -------------------------------------------------------------------------------------


def test_the_grid_saves_weights_marks_and_ratings_at_once(grid, owner):
    matrix, price, coverage, a, b = grid

    services.decision_matrix_save_grid(
        actor=owner,
        matrix=matrix,
        weights={price.pk: "30", coverage.pk: 0},
        intangible={price.pk: False, coverage.pk: True},
        ratings={(a.pk, price.pk): "", (b.pk, price.pk): "5", (a.pk, coverage.pk): 0},
        notes={(b.pk, price.pk): "best quote"},
    )

    assert snapshot(matrix) == (
        [(price.pk, 30, False), (coverage.pk, 0, True)],
        sorted([(b.pk, price.pk, 5, "best quote"), (a.pk, coverage.pk, 0, "")]),
    )


def test_a_rating_without_a_note_keeps_the_note_it_had(grid, owner):
    matrix, price, _, a, _ = grid

    services.decision_matrix_save_grid(
        actor=owner, matrix=matrix, weights={}, intangible={}, ratings={(a.pk, price.pk): 2}
    )

    assert DecisionRating.objects.get().note == "fair quote"


def test_a_grid_with_bad_cells_names_each_one_and_saves_nothing(grid, owner):
    matrix, price, coverage, a, b = grid
    before = snapshot(matrix)

    with pytest.raises(ApplicationError) as raised:
        services.decision_matrix_save_grid(
            actor=owner,
            matrix=matrix,
            weights={price.pk: 50, coverage.pk: "150"},
            intangible={coverage.pk: True},
            ratings={
                (a.pk, price.pk): 1,
                (b.pk, price.pk): "7",
                (a.pk, coverage.pk): "3.5",
                (b.pk, coverage.pk): 2,
            },
        )

    assert raised.value.fields == {
        f"weight-{coverage.pk}": ["Coverage: a weight is a whole number from 0 to 100."],
        f"rating-{b.pk}-{price.pk}": ["Price × Option B: a rating is a whole number from 0 to 5."],
        f"rating-{a.pk}-{coverage.pk}": ["Coverage × Option A: a rating is a whole number from 0 to 5."],
    }
    assert raised.value.message.startswith("Nothing was saved: Coverage: a weight")
    assert snapshot(matrix) == before


def test_a_grid_naming_rows_or_columns_of_another_matrix_saves_nothing(grid, owner):
    matrix, price, *_ = grid
    stranger = DecisionOptionFactory(name="Elsewhere")
    foreign_criterion = DecisionCriterionFactory(matrix=stranger.matrix)
    before = snapshot(matrix)

    with pytest.raises(ApplicationError) as raised:
        services.decision_matrix_save_grid(
            actor=owner,
            matrix=matrix,
            weights={price.pk: 1, foreign_criterion.pk: 5},
            intangible={},
            ratings={(stranger.pk, price.pk): 3},
        )

    assert set(raised.value.fields) == {f"weight-{foreign_criterion.pk}", f"rating-{stranger.pk}-{price.pk}"}
    assert snapshot(matrix) == before
    assert not DecisionRating.objects.filter(option=stranger).exists()


def test_a_note_needs_a_rating(grid, owner):
    matrix, price, _, _, b = grid

    with pytest.raises(ApplicationError) as raised:
        services.decision_matrix_save_grid(
            actor=owner,
            matrix=matrix,
            weights={},
            intangible={},
            ratings={(b.pk, price.pk): ""},
            notes={(b.pk, price.pk): "ask again"},
        )

    assert list(raised.value.fields) == [f"note-{b.pk}-{price.pk}"]


def test_the_grid_is_refused_to_readers_and_outsiders(grid, desk, outsider):
    matrix, price, *_ = grid

    with pytest.raises(PermissionDenied):
        services.decision_matrix_save_grid(
            actor=desk, matrix=matrix, weights={price.pk: 1}, intangible={}, ratings={}
        )
    with pytest.raises(Http404):
        services.decision_matrix_save_grid(
            actor=outsider, matrix=matrix, weights={price.pk: 1}, intangible={}, ratings={}
        )

    price.refresh_from_db()
    assert price.weight == 10


def test_putting_ratings_names_the_bad_rows_by_index_and_saves_nothing(grid, owner):
    matrix, price, coverage, a, b = grid
    before = snapshot(matrix)

    with pytest.raises(ApplicationError) as raised:
        services.decision_ratings_put(
            actor=owner,
            matrix=matrix,
            ratings=[
                {"option": b.pk, "criterion": price.pk, "rating": 2},
                {"option": a.pk, "criterion": 999999, "rating": 2},
                {"option": a.pk, "criterion": coverage.pk, "rating": 6},
                {"option": b.pk, "criterion": price.pk, "rating": 3},
            ],
        )

    assert set(raised.value.fields) == {"ratings[1].criterion", "ratings[2].rating", "ratings[3].rating"}
    assert snapshot(matrix) == before


def test_putting_ratings_sets_and_clears_the_listed_cells_only(grid, owner):
    matrix, price, coverage, a, b = grid

    services.decision_ratings_put(
        actor=owner,
        matrix=matrix,
        ratings=[
            {"option": b.pk, "criterion": coverage.pk, "rating": 5, "note": "all features"},
            {"option": a.pk, "criterion": price.pk, "rating": None},
        ],
    )

    assert snapshot(matrix)[1] == [(b.pk, coverage.pk, 5, "all features")]
