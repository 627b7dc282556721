"""Reads of Explore: decision matrices and their weighted result.

A matrix made for a consumer account is seen by whoever sees the account; a matrix without one is a
provider-wide comparison every role reads. The weighted score of an option is Σ weight × rating over
the tangible criteria, summed by the database; intangible criteria are shown beside the result for
the discussion, never added into it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import (
    Count,
    Exists,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    Window,
)
from django.db.models.functions import Cast, Coalesce, Rank
from django.http import Http404

from exploration.models import RATING_MAX, DecisionCriterion, DecisionMatrix, DecisionOption, DecisionRating
from journeys.models import Organization
from journeys.selectors import organization_is_visible, organization_scope

__all__ = [
    "DecisionMatrixResult",
    "decision_criterion_get",
    "decision_matrices_for_organization",
    "decision_matrix_get",
    "decision_matrix_list",
    "decision_matrix_result",
    "decision_matrix_scope",
    "decision_option_get",
]

_TANGIBLE = Q(ratings__criterion__is_intangible=False)


def _scored(options: QuerySet[DecisionOption]) -> QuerySet[DecisionOption]:
    """Options with `score` = Σ weight × rating over their tangible ratings (0 when none) and
    `rated_count` = how many tangible criteria they are rated on; one GROUP BY in the database."""
    return options.annotate(
        score=Coalesce(
            Sum(F("ratings__rating") * F("ratings__criterion__weight"), filter=_TANGIBLE),
            Value(0),
            output_field=IntegerField(),
        ),
        rated_count=Count("ratings", filter=_TANGIBLE),
    )


def _count_of(model, matrix_field: str = "matrix") -> Coalesce:
    """How many rows of `model` belong to the outer matrix, as a correlated subquery (two counts over
    two joins in one GROUP BY would multiply each other)."""
    rows = (
        model.objects.filter(**{matrix_field: OuterRef("pk")})
        .order_by()
        .values(matrix_field)
        .annotate(total=Count("pk"))
        .values("total")[:1]
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def _leading(offset: int, field: str) -> Subquery:
    """The `field` of the option at `offset` when a matrix's options are sorted by score (best first,
    then by name), among those scoring above 0."""
    ranked = (
        _scored(DecisionOption.objects.filter(matrix=OuterRef("pk")))
        .filter(score__gt=0)
        .order_by("-score", "name", "pk")
        .values(field)[offset : offset + 1]
    )
    return Subquery(ranked)


def decision_matrix_scope(user) -> QuerySet[DecisionMatrix]:
    """The matrices the user may see: provider-wide ones and those of the accounts the user sees."""
    if not getattr(user, "is_authenticated", False):
        return DecisionMatrix.objects.none()
    return DecisionMatrix.objects.filter(
        Q(organization__isnull=True) | Q(organization__in=organization_scope(user).values("pk"))
    )


def decision_matrix_list(*, user) -> QuerySet[DecisionMatrix]:
    """The user's matrices, last changed first, each with `option_count`, `criterion_count` and the
    leading option (`leading_option_name`, `leading_score`; `runner_up_score` tells a tie): one query.

    The leader is the option with the best weighted score above 0 (ties: first by name); a matrix
    whose options score nothing yet — unrated, or no tangible weight — has none.
    """
    return (
        decision_matrix_scope(user)
        .select_related("organization", "owner")
        .annotate(
            option_count=_count_of(DecisionOption),
            criterion_count=_count_of(DecisionCriterion),
            leading_option_name=_leading(0, "name"),
            leading_score=_leading(0, "score"),
            runner_up_score=_leading(1, "score"),
        )
        .order_by("-updated_at", "title", "pk")
    )


def decision_matrix_get(*, user, pk: int) -> DecisionMatrix:
    matrix = decision_matrix_scope(user).select_related("organization", "owner").filter(pk=pk).first()
    if matrix is None:
        raise Http404("No such decision matrix.")
    return matrix


def decision_criterion_get(*, user, pk: int, matrix_pk: int | None = None) -> DecisionCriterion:
    """A criterion of a matrix the user may see (404 otherwise; also when it is not of `matrix_pk`),
    with its matrix loaded."""
    rows = DecisionCriterion.objects.filter(pk=pk, matrix__in=decision_matrix_scope(user))
    if matrix_pk is not None:
        rows = rows.filter(matrix_id=matrix_pk)
    criterion = rows.select_related("matrix", "matrix__organization").first()
    if criterion is None:
        raise Http404("No such criterion.")
    return criterion


def decision_option_get(*, user, pk: int, matrix_pk: int | None = None) -> DecisionOption:
    """An option of a matrix the user may see (404 otherwise; also when it is not of `matrix_pk`),
    with its matrix loaded."""
    rows = DecisionOption.objects.filter(pk=pk, matrix__in=decision_matrix_scope(user))
    if matrix_pk is not None:
        rows = rows.filter(matrix_id=matrix_pk)
    option = rows.select_related("matrix", "matrix__organization", "organization").first()
    if option is None:
        raise Http404("No such option.")
    return option


def decision_matrices_for_organization(*, user, organization: Organization) -> QuerySet[DecisionMatrix]:
    """The matrices made for one account, for its 360° page; none when the user may not see it."""
    if not organization_is_visible(user, organization):
        return DecisionMatrix.objects.none()
    return decision_matrix_list(user=user).filter(organization=organization)


# --- the result -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DecisionMatrixResult:
    """A matrix's grid and weighted result.

    `options` are in column order (by name); each carries `score` (Σ weight × rating over tangible
    criteria), `share` (the score as a percentage of `maximum`), `normalized` (Σ w·r ÷ Σ w, on the
    0–5 rating scale), `rated_count`, `unrated_count` (tangible criteria without a rating: the result
    is incomplete) and `rank`. Ranks use competition ranking ("1, 1, 3"): options with the same score
    share a rank and the next rank skips as many places as shared it. When no tangible criterion has
    a weight above 0 nothing can be ranked: `can_rank` is False and figures are None.
    """

    matrix: DecisionMatrix
    criteria: list[DecisionCriterion]
    options: list[DecisionOption]
    ratings: dict[tuple[int, int], DecisionRating]
    weight_total: int
    tangible_count: int
    maximum: int

    @property
    def can_rank(self) -> bool:
        return self.weight_total > 0

    @property
    def tangible_criteria(self) -> list[DecisionCriterion]:
        return [criterion for criterion in self.criteria if not criterion.is_intangible]

    @property
    def intangible_criteria(self) -> list[DecisionCriterion]:
        return [criterion for criterion in self.criteria if criterion.is_intangible]

    @property
    def ranking(self) -> list[DecisionOption]:
        """The options best first (ties by name), for the bars."""
        return sorted(self.options, key=lambda option: (option.rank or 0, option.name.lower()))

    @property
    def leaders(self) -> list[DecisionOption]:
        """The option(s) ranked first, once they hold a rating; more than one means a tie."""
        return [option for option in self.options if option.rank == 1 and option.rated_count]

    @property
    def rating_list(self) -> list[DecisionRating]:
        return list(self.ratings.values())

    @property
    def intangible_table(self) -> list[tuple[DecisionCriterion, list[DecisionRating | None]]]:
        """Per intangible criterion, its rating (or None) for each option in column order."""
        return [
            (criterion, [self.rating(option, criterion) for option in self.options])
            for criterion in self.intangible_criteria
        ]

    def rating(self, option: DecisionOption, criterion: DecisionCriterion) -> DecisionRating | None:
        return self.ratings.get((option.pk, criterion.pk))


def decision_matrix_result(*, matrix: DecisionMatrix, user=None) -> DecisionMatrixResult:
    """The grid and the ranked weighted scores of a matrix, in four queries whatever its size.

    Everything summed is summed by the database: the tangible weights (Σ w, and the maximum Σ w × 5)
    in one aggregate, and per option Σ w·r, its share of the maximum, the normalized figure and the
    rank in one grouped query with a window function. With `user`, each option says whether the
    organization on record behind it is one the user may see (`organization_visible`), so the page
    names only those.
    """
    criteria = list(DecisionCriterion.objects.filter(matrix=matrix).order_by("position", "pk"))
    totals = DecisionCriterion.objects.filter(matrix=matrix, is_intangible=False).aggregate(
        weight_total=Coalesce(Sum("weight"), 0), tangible_count=Count("pk")
    )
    weight_total, tangible_count = totals["weight_total"], totals["tangible_count"]
    maximum = weight_total * RATING_MAX

    options = _scored(DecisionOption.objects.filter(matrix=matrix).select_related("organization"))
    if weight_total:
        score = Cast(F("score"), FloatField())
        options = options.annotate(
            share=score * 100.0 / Value(float(maximum)),
            normalized=score / Value(float(weight_total)),
            rank=Window(Rank(), order_by=F("score").desc()),
        )
    else:
        options = options.annotate(
            share=Value(None, output_field=FloatField()),
            normalized=Value(None, output_field=FloatField()),
            rank=Value(None, output_field=IntegerField()),
        )
    options = options.annotate(unrated_count=Value(tangible_count) - F("rated_count"))
    if user is not None:
        options = options.annotate(
            organization_visible=Exists(organization_scope(user).filter(pk=OuterRef("organization_id")))
        )
    ratings = {
        (rating.option_id, rating.criterion_id): rating
        for rating in DecisionRating.objects.filter(option__matrix=matrix)
    }
    return DecisionMatrixResult(
        matrix=matrix,
        criteria=criteria,
        options=list(options.order_by("name", "pk")),
        ratings=ratings,
        weight_total=weight_total,
        tangible_count=tangible_count,
        maximum=maximum,
    )
