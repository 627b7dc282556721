"""Forms of the decision matrix pages. They carry the raw input to the services, which check ranges,
names and rights; a service's error lands on the field (or grid cell) it names."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms

from exploration.models import RATING_MAX, RATING_MIN, WEIGHT_MAX, WEIGHT_MIN
from exploration.selectors import DecisionMatrixResult
from exploration.services.decisions import DEFAULT_CRITERION_WEIGHT

__all__ = ["DecisionCriterionForm", "DecisionGridForm", "DecisionMatrixForm", "DecisionOptionForm"]


class _OrganizationChoice(forms.Form):
    """A form with an optional `organization` picked among the given organizations."""

    organization_label = ""

    def __init__(self, *args, organizations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self._organizations = {str(organization.pk): organization for organization in organizations}
        self.fields["organization"].choices = [("", self.organization_label)] + [
            (key, organization.name) for key, organization in self._organizations.items()
        ]

    def clean_organization(self):
        return self._organizations.get(self.cleaned_data.get("organization") or "")


class DecisionMatrixForm(_OrganizationChoice):
    organization_label = "None: a provider-wide decision"

    title = forms.CharField(max_length=160)
    purpose = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="What is being decided and who takes part, e.g. “choose where the resident portal runs "
        "from next year, with the council's digital lead”.",
    )
    organization = forms.ChoiceField(
        required=False,
        label="For account",
        help_text="The consumer the decision is made for. Its account team sees and changes the matrix; "
        "without an account every relationship manager does.",
    )
    with_default_criteria = forms.BooleanField(
        required=False,
        initial=True,
        label="Start with the fourteen shortlist criteria",
        help_text="Price, coverage, governance, trust and the rest, at equal weight; remove what does not "
        "matter for this decision.",
    )

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["with_default_criteria"]

    @staticmethod
    def initial_for(matrix) -> dict[str, Any]:
        return {
            "title": matrix.title,
            "purpose": matrix.purpose,
            "organization": str(matrix.organization_id or ""),
        }


class DecisionCriterionForm(forms.Form):
    """Add a row to the matrix."""

    name = forms.CharField(max_length=200, label="Criterion")
    weight = forms.CharField(
        initial=DEFAULT_CRITERION_WEIGHT,
        widget=forms.NumberInput(attrs={"min": WEIGHT_MIN, "max": WEIGHT_MAX, "step": 1}),
        help_text=f"{WEIGHT_MIN} to {WEIGHT_MAX}",
    )
    is_intangible = forms.BooleanField(required=False, label="Intangible (discussed, not scored)")


class DecisionOptionForm(_OrganizationChoice):
    """Add a column to the matrix."""

    organization_label = "None on record"

    name = forms.CharField(max_length=160, label="Option")
    organization = forms.ChoiceField(
        required=False,
        label="Provider on record",
        help_text="A provider, supplier or partner we already know, if the option is one.",
    )
    notes = forms.CharField(required=False, widget=forms.TextInput())


@dataclass(frozen=True)
class GridCell:
    option: Any
    rating: forms.BoundField
    note: forms.BoundField


@dataclass(frozen=True)
class GridRow:
    criterion: Any
    weight: forms.BoundField
    intangible: forms.BoundField
    cells: list[GridCell]


class DecisionGridForm(forms.Form):
    """The whole grid as one form: per criterion a weight and an intangible mark, per cell a rating
    and a note. Field names are the services' cell names (`rating-<option>-<criterion>`), so their
    errors land in the offending cell. Only cells present in the submitted data are saved: a column
    someone added after the page was loaded is left as it is."""

    def __init__(self, *args, result: DecisionMatrixResult, **kwargs):
        super().__init__(*args, **kwargs)
        self.result = result
        for criterion in result.criteria:
            self.fields[f"weight-{criterion.pk}"] = forms.CharField(
                required=False,
                initial=criterion.weight,
                label=f"Weight of {criterion.name}",
                widget=forms.NumberInput(
                    attrs={"min": WEIGHT_MIN, "max": WEIGHT_MAX, "step": 1, "class": "decision-weight"}
                ),
            )
            self.fields[f"intangible-{criterion.pk}"] = forms.BooleanField(
                required=False, initial=criterion.is_intangible, label=f"{criterion.name} is intangible"
            )
            for option in result.options:
                rating = result.rating(option, criterion)
                self.fields[f"rating-{option.pk}-{criterion.pk}"] = forms.CharField(
                    required=False,
                    initial="" if rating is None else rating.rating,
                    label=f"Rating of {option.name} on {criterion.name}",
                    widget=forms.NumberInput(
                        attrs={"min": RATING_MIN, "max": RATING_MAX, "step": 1, "class": "decision-rating"}
                    ),
                )
                self.fields[f"note-{option.pk}-{criterion.pk}"] = forms.CharField(
                    required=False,
                    initial="" if rating is None else rating.note,
                    label=f"Note on {option.name} for {criterion.name}",
                    widget=forms.TextInput(attrs={"class": "decision-note", "placeholder": "note"}),
                )

    def rows(self) -> list[GridRow]:
        return [
            GridRow(
                criterion=criterion,
                weight=self[f"weight-{criterion.pk}"],
                intangible=self[f"intangible-{criterion.pk}"],
                cells=[
                    GridCell(
                        option=option,
                        rating=self[f"rating-{option.pk}-{criterion.pk}"],
                        note=self[f"note-{option.pk}-{criterion.pk}"],
                    )
                    for option in self.result.options
                ],
            )
            for criterion in self.result.criteria
        ]

    def row_groups(self) -> list[dict[str, Any]]:
        """The tangible rows, then the intangible ones (as saved), each group under its own heading."""
        rows = self.rows()
        groups = [
            {"intangible": False, "rows": [row for row in rows if not row.criterion.is_intangible]},
            {"intangible": True, "rows": [row for row in rows if row.criterion.is_intangible]},
        ]
        return [group for group in groups if group["rows"]]

    def grid(self) -> dict[str, dict]:
        """The submitted grid as the service takes it (raw values: the service checks them)."""
        data = self.cleaned_data
        weights, intangible, ratings, notes = {}, {}, {}, {}
        for criterion in self.result.criteria:
            if f"weight-{criterion.pk}" not in self.data:
                continue  # a row added after the page was loaded
            weights[criterion.pk] = data[f"weight-{criterion.pk}"]
            intangible[criterion.pk] = data[f"intangible-{criterion.pk}"]
            for option in self.result.options:
                key = (option.pk, criterion.pk)
                if f"rating-{option.pk}-{criterion.pk}" in self.data:
                    ratings[key] = data[f"rating-{option.pk}-{criterion.pk}"]
                    if f"note-{option.pk}-{criterion.pk}" in self.data:
                        notes[key] = data[f"note-{option.pk}-{criterion.pk}"]
        return {"weights": weights, "intangible": intangible, "ratings": ratings, "notes": notes}
