"""Writes of a decision matrix's grid: weights, the intangible marks and every option × criterion
rating, saved all at once or not at all, each bad cell named (the page's grid and the API's ratings)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from exploration.models import (
    RATING_MAX,
    RATING_MIN,
    WEIGHT_MAX,
    WEIGHT_MIN,
    DecisionCriterion,
    DecisionMatrix,
    DecisionOption,
    DecisionRating,
)
from exploration.services.decisions import (
    NOTE_MAX,
    RATING_RULE,
    WEIGHT_RULE,
    _require_write,
    _touch,
    _whole_number,
)
from journeys.base import ApplicationError

__all__ = ["decision_matrix_save_grid", "decision_ratings_put"]

# --- the grid ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Cell:
    """One rating to set or clear, with the names its errors go under (a grid cell or an API row)."""

    option_id: Any
    criterion_id: Any
    rating: Any
    note: Any
    keys: dict[str, str]  # field (option, criterion, rating, note) → the name its errors go under


class _Errors(dict):
    def add(self, key: str, message: str) -> None:
        self.setdefault(key, []).append(message)


def _as_id(value: Any) -> int | None:
    return _whole_number(value, 1, 2**63 - 1)


def _checked_cells(
    matrix: DecisionMatrix,
    cells: list[_Cell],
    criteria: dict[int, DecisionCriterion],
    errors: _Errors,
) -> dict[tuple[int, int], tuple[int | None, str | None]]:
    """Check every cell, collecting every error; return (option id, criterion id) → (rating or None,
    note or None) for the cells that passed."""
    options = {option.pk: option for option in DecisionOption.objects.filter(matrix=matrix)}
    checked: dict[tuple[int, int], tuple[int | None, str | None]] = {}
    seen: dict[tuple[int, int], str] = {}
    for cell in cells:
        option = options.get(_as_id(cell.option_id))
        criterion = criteria.get(_as_id(cell.criterion_id))
        if option is None:
            errors.add(cell.keys["option"], f"No option {cell.option_id} in this matrix.")
        if criterion is None:
            errors.add(cell.keys["criterion"], f"No criterion {cell.criterion_id} in this matrix.")
        if option is None or criterion is None:
            continue
        where = f"{criterion.name} × {option.name}"
        pair = (option.pk, criterion.pk)
        if pair in seen:
            errors.add(cell.keys["rating"], f"{where}: given twice (also as {seen[pair]}).")
            continue
        seen[pair] = cell.keys["rating"]
        # No note given (None) keeps the note the cell has; an empty one clears it.
        note = None if cell.note is None else str(cell.note).strip()
        if note and len(note) > NOTE_MAX:
            errors.add(cell.keys["note"], f"{where}: a note is at most {NOTE_MAX} characters.")
        empty = cell.rating is None or (isinstance(cell.rating, str) and not cell.rating.strip())
        if empty:
            if note:
                errors.add(cell.keys["note"], f"{where}: a note needs a rating; give one or clear the note.")
            else:
                checked[pair] = (None, "")
            continue
        rating = _whole_number(cell.rating, RATING_MIN, RATING_MAX)
        if rating is None:
            errors.add(cell.keys["rating"], f"{where}: {RATING_RULE}.")
        elif not note or len(note) <= NOTE_MAX:
            checked[pair] = (rating, note)
    return checked


def _write_ratings(
    matrix: DecisionMatrix, cells: dict[tuple[int, int], tuple[int | None, str | None]]
) -> None:
    """Set and clear in bulk: one read, then at most one delete, one insert and one update."""
    existing = {
        (rating.option_id, rating.criterion_id): rating
        for rating in DecisionRating.objects.filter(option__matrix=matrix)
    }
    cleared, created, changed = [], [], []
    now = timezone.now()  # bulk_update skips auto_now
    for (option_id, criterion_id), (value, note) in cells.items():
        current = existing.get((option_id, criterion_id))
        if value is None:
            if current is not None:
                cleared.append(current.pk)
        elif current is None:
            created.append(
                DecisionRating(option_id=option_id, criterion_id=criterion_id, rating=value, note=note or "")
            )
        else:
            note = current.note if note is None else note
            if (current.rating, current.note) != (value, note):
                current.rating, current.note, current.updated_at = value, note, now
                changed.append(current)
    if cleared:
        DecisionRating.objects.filter(pk__in=cleared).delete()
    if created:
        DecisionRating.objects.bulk_create(created)
    if changed:
        DecisionRating.objects.bulk_update(changed, ["rating", "note", "updated_at"])


def _save_cells(
    matrix: DecisionMatrix,
    criteria: dict[int, DecisionCriterion],
    cells: list[_Cell],
    errors: _Errors,
    changed_criteria: Iterable[DecisionCriterion] = (),
) -> DecisionMatrix:
    """Check the cells, then either refuse everything (every error named) or write it all."""
    checked = _checked_cells(matrix, cells, criteria, errors)
    if errors:
        count = sum(len(messages) for messages in errors.values())
        first = next(iter(errors.values()))[0]
        more = f" (and {count - 1} more)" if count > 1 else ""
        raise ApplicationError(f"Nothing was saved: {first}{more}", fields=dict(errors))
    if changed_criteria:
        DecisionCriterion.objects.bulk_update(changed_criteria, ["weight", "is_intangible", "updated_at"])
    _write_ratings(matrix, checked)
    _touch(matrix)
    return matrix


def _locked(actor, matrix: DecisionMatrix) -> tuple[DecisionMatrix, dict[int, DecisionCriterion]]:
    """Rights, then the matrix locked (two grid saves run one after the other) and its criteria."""
    _require_write(actor, matrix.organization)
    matrix = DecisionMatrix.objects.select_for_update().get(pk=matrix.pk)
    return matrix, {criterion.pk: criterion for criterion in DecisionCriterion.objects.filter(matrix=matrix)}


@transaction.atomic
def decision_matrix_save_grid(
    *,
    actor,
    matrix: DecisionMatrix,
    weights: dict[Any, Any],
    intangible: dict[Any, bool],
    ratings: dict[tuple[Any, Any], Any],
    notes: dict[tuple[Any, Any], str] | None = None,
) -> DecisionMatrix:
    """Save the whole grid at once: the criteria's weights and intangible marks, and the ratings.

    A rating of None (or blank) means "not rated" and removes the rating; cells, weights and marks not
    given stay as they are. Every bad value is reported under its cell's name — `weight-<criterion>`,
    `intangible-<criterion>`, `rating-<option>-<criterion>`, `note-<option>-<criterion>` — and then
    nothing at all is saved, so a half-saved grid never feeds a decision.
    """
    matrix, criteria = _locked(actor, matrix)
    errors = _Errors()
    changed_criteria: dict[int, DecisionCriterion] = {}
    for key, value in weights.items():
        criterion = criteria.get(_as_id(key))
        if criterion is None:
            errors.add(f"weight-{key}", f"No criterion {key} in this matrix.")
            continue
        weight = _whole_number(value, WEIGHT_MIN, WEIGHT_MAX)
        if weight is None:
            errors.add(f"weight-{key}", f"{criterion.name}: {WEIGHT_RULE}.")
        elif weight != criterion.weight:
            criterion.weight, criterion.updated_at = weight, timezone.now()
            changed_criteria[criterion.pk] = criterion
    for key, value in intangible.items():
        criterion = criteria.get(_as_id(key))
        if criterion is None:
            errors.add(f"intangible-{key}", f"No criterion {key} in this matrix.")
        elif bool(value) != criterion.is_intangible:
            criterion.is_intangible, criterion.updated_at = bool(value), timezone.now()
            changed_criteria[criterion.pk] = criterion
    notes = notes or {}
    for option_id, criterion_id in notes.keys() - ratings.keys():
        errors.add(f"note-{option_id}-{criterion_id}", "A note goes with its cell's rating; give both.")
    cells = [
        _Cell(
            option_id=option_id,
            criterion_id=criterion_id,
            rating=ratings.get((option_id, criterion_id)),
            note=notes.get((option_id, criterion_id)),
            # A cell's own ids cannot be mistyped on the page: every error goes to the rating input.
            keys={
                "option": f"rating-{option_id}-{criterion_id}",
                "criterion": f"rating-{option_id}-{criterion_id}",
                "rating": f"rating-{option_id}-{criterion_id}",
                "note": f"note-{option_id}-{criterion_id}",
            },
        )
        for option_id, criterion_id in ratings
    ]
    return _save_cells(matrix, criteria, cells, errors, list(changed_criteria.values()))


@transaction.atomic
def decision_ratings_put(*, actor, matrix: DecisionMatrix, ratings: list[dict[str, Any]]) -> DecisionMatrix:
    """Set or clear the listed ratings (the API's PUT): each row {option, criterion, rating, note},
    a rating of None clears the cell, cells not listed stay. All or nothing; errors name the row as
    `ratings[<index>].<field>`."""
    matrix, criteria = _locked(actor, matrix)
    cells = [
        _Cell(
            option_id=row.get("option"),
            criterion_id=row.get("criterion"),
            rating=row.get("rating"),
            note=row.get("note"),
            keys={field: f"ratings[{index}].{field}" for field in ("option", "criterion", "rating", "note")},
        )
        for index, row in enumerate(ratings)
    ]
    return _save_cells(matrix, criteria, cells, _Errors())
