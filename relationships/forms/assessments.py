"""The questionnaire form: one field per item of the chosen questionnaire (a 1–5 radio group, or a
met/not met checkbox for maturity characteristics), plus the date, the respondent and notes.

Items are optional here on purpose: the service checks that every item is answered and within its
scale and names each one it refuses, so the form only converts types and leaves the rules there.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.utils import timezone

from journeys.base import ApplicationError
from journeys.forms import apply_error
from relationships.questionnaires import RATING_LABELS, Factor, Item, Questionnaire, Scale

ANSWERS_PREFIX = "answers."


@dataclass(frozen=True)
class QuestionnaireSection:
    """A factor with its items and their bound fields, for the template to lay out as fieldsets."""

    factor: Factor
    rows: list[tuple[Item, forms.BoundField]]


def _whole_number_or_as_given(value: str):
    text = str(value).strip()
    return int(text) if text.lstrip("-").isdigit() else text


class RatingField(forms.TypedChoiceField):
    """A 1–5 radio group that passes any value on: the service names the item and the allowed range
    for a value off the scale, in the same pass that names the unanswered items."""

    def valid_value(self, value) -> bool:
        return True


class AssessmentForm(forms.Form):
    assessed_on = forms.DateField(
        label="Assessed on",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="The day the answers were given; not later than today.",
    )
    respondent = forms.CharField(
        max_length=200,
        required=False,
        help_text="Who gave the answers, e.g. their head of operations, or our account team.",
    )
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, questionnaire: Questionnaire, **kwargs):
        kwargs.setdefault("initial", {"assessed_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.questionnaire = questionnaire
        for code, (_, item) in questionnaire.items.items():
            if questionnaire.scale == Scale.CHECKLIST:
                self.fields[code] = forms.BooleanField(required=False, label=item.text)
            else:
                self.fields[code] = RatingField(
                    choices=[(value, f"{value} {label.lower()}") for value, label in RATING_LABELS.items()],
                    coerce=_whole_number_or_as_given,
                    empty_value=None,
                    required=False,
                    label=item.text,
                    widget=forms.RadioSelect,
                )

    def sections(self) -> list[QuestionnaireSection]:
        return [
            QuestionnaireSection(factor=factor, rows=[(item, self[item.code]) for item in factor.items])
            for factor in self.questionnaire.factors
        ]

    def answers(self) -> dict[str, int]:
        """The answers given; a checkbox left empty is a characteristic not met (0)."""
        answers: dict[str, int] = {}
        for code in self.questionnaire.items:
            value = self.cleaned_data.get(code)
            if self.questionnaire.scale == Scale.CHECKLIST:
                answers[code] = 1 if value else 0
            elif value is not None:
                answers[code] = value
        return answers

    def service_data(self) -> dict:
        return {
            "assessed_on": self.cleaned_data["assessed_on"],
            "respondent": self.cleaned_data.get("respondent") or "",
            "notes": self.cleaned_data.get("notes") or "",
            "answers": self.answers(),
        }

    def apply_service_error(self, error: ApplicationError) -> None:
        """The service names items `answers.<code>`; here each item is the field of that code."""
        fields = {name.removeprefix(ANSWERS_PREFIX): messages for name, messages in error.fields.items()}
        apply_error(
            self, ApplicationError(error.message, code=error.code, fields=fields, status=error.status)
        )

    @property
    def unanswered_count(self) -> int:
        return sum(1 for code in self.questionnaire.items if self.has_error(code))
