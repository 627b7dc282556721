"""Forms of the value review pages: the list's filters, planning a review, its details, the lines
(what was realized and achieved), the meeting notes (analysis, comments, decisions, next review),
actions, a move along the lifecycle and the sponsor's sign-off. They check types and choices, each
error naming its field; the services (realization.services.reviews) check the rules and the actor's
rights, and their errors land on the field they name."""

from __future__ import annotations

import re
from urllib.parse import urlencode

from django import forms

from agreements.models import ReviewOutcome
from journeys.base import ApplicationError
from journeys.forms import apply_error
from realization.models import ANALYSIS_QUESTIONS, ReviewActionStatus, ValueReview, ValueReviewStatus
from realization.selectors.reviews import REVIEW_DUE_FILTERS, ReviewPlanChoices, review_colleague_choices

__all__ = [
    "ActionForm",
    "ActionUpdateForm",
    "ReviewDetailsForm",
    "ReviewFilterForm",
    "ReviewLinesForm",
    "ReviewNotesForm",
    "ReviewPlanForm",
    "SignOffForm",
    "TransitionForm",
]

TEXT_LIMIT = 10_000
STATUS_OPEN = "open"
STATUS_ALL = "all"


def _person(user) -> str:
    return user.get_full_name() or user.get_username()


def _plain(value):
    """A stored value without its trailing zeros (4.3000 → "4.3"), for an input's first value."""
    return None if value is None else format(value.normalize(), "f")


def _day_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _text_area(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class _Choice(forms.ChoiceField):
    """A choice among records the page's selector read once (`rows`); cleans to the record or None."""

    def __init__(self, rows, *, label_of=str, empty_label: str | None = "—", **kwargs) -> None:
        rows = list(rows)
        self.rows = {str(row.pk): row for row in rows}
        choices = [("", empty_label)] if empty_label is not None else []
        choices += [(str(row.pk), label_of(row)) for row in rows]
        super().__init__(choices=choices, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        if value not in self.rows:
            raise forms.ValidationError(
                "Choose one of the options offered: that one is not among them.", code="invalid_choice"
            )
        return self.rows[value]

    def validate(self, value) -> None:
        if value is None and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")


# --- the list's filters -----------------------------------------------------------------------------


class ReviewFilterForm(forms.Form):
    """The list's filters from the query string; a value not understood is ignored. Without a status
    the list shows every review, the open ones first."""

    status = forms.ChoiceField(
        required=False,
        choices=[
            (STATUS_ALL, "Any status"),
            (STATUS_OPEN, "Open (planned, prepared, held)"),
            *ValueReviewStatus.choices,
        ],
    )
    due = forms.ChoiceField(
        required=False, label="Due", choices=[("", "Any day"), *REVIEW_DUE_FILTERS.items()]
    )
    q = forms.CharField(required=False, max_length=100, label="Search")
    organization = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)

    FIELDS = ("status", "due", "q", "organization")

    def values(self) -> dict:
        values = dict.fromkeys(self.FIELDS, "")
        values["organization"] = None
        if self.is_bound:
            self.is_valid()
            for name in self.FIELDS:
                if name in self.cleaned_data and self.cleaned_data[name] not in (None, ""):
                    values[name] = self.cleaned_data[name]
            values["q"] = (values["q"] or "").strip()
        return values

    def selector_arguments(self) -> dict:
        values = self.values()
        status = values["status"] or STATUS_ALL
        return {
            "status": "" if status == STATUS_ALL else status,
            "due": values["due"],
            "query": values["q"],
            "organization": values["organization"],
        }

    def filtered(self) -> bool:
        return any(value not in (None, "", STATUS_ALL) for value in self.values().values())

    def query(self) -> str:
        return urlencode({name: value for name, value in self.values().items() if value not in (None, "")})


# --- planning and details ---------------------------------------------------------------------------


def _agreement_label(agreement) -> str:
    status = agreement.get_status_display().lower()
    return f"{agreement.title} ({status}, reviewed {agreement.get_review_cadence_display().lower()})"


def _case_label(case) -> str:
    approved = f", approved {case.approved_at:%d %b %Y}" if case.approved_at else ""
    return f"{case.title} (v{case.version}{approved})"


def _sponsor_label(person) -> str:
    return f"{person.name}, {person.job_title}" if person.job_title else person.name


class _ReviewFields(forms.Form):
    title = forms.CharField(max_length=200, required=False)
    scheduled_on = forms.DateField(
        required=False,
        widget=_day_input(),
        label="Review meeting on",
        help_text="Left empty: the agreement's next review date, else today.",
    )
    period_start = forms.DateField(required=False, widget=_day_input(), label="Period from")
    period_end = forms.DateField(
        required=False,
        widget=_day_input(),
        label="Period to",
        help_text="Left empty: the whole months of the agreement's review cadence (a quarter without one) "
        "before the meeting's month.",
    )
    participants = forms.CharField(
        required=False,
        max_length=TEXT_LIMIT,
        widget=_text_area(2),
        help_text="Who takes part, on both sides.",
    )

    def __init__(self, *args, choices: ReviewPlanChoices, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.choices = choices
        self.fields["agreement"] = _Choice(
            choices.agreements,
            label_of=_agreement_label,
            required=False,
            empty_label="None: the account as a whole",
            help_text="Its outcome and experience targets are reviewed; its review cadence sets the period.",
        )
        self.fields["business_case"] = _Choice(
            choices.business_cases,
            label_of=_case_label,
            required=False,
            label="Business case",
            empty_label="None: targets and figures only",
            help_text="The approved baseline whose expected benefits are compared with what was realized.",
        )
        self.fields["sponsor"] = _Choice(
            choices.sponsors,
            label_of=_sponsor_label,
            required=False,
            label="Customer sponsor",
            empty_label="Not chosen yet",
            help_text="Who signs the review off for the customer (a person marked as sponsor).",
        )
        self.order_fields(
            ["agreement", "business_case", "title", "scheduled_on", "period_start", "period_end", "sponsor"]
        )


class ReviewPlanForm(_ReviewFields):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["title"].help_text = "Left empty: “Value review <months>: <agreement or account>”."

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        for name in ("title", "participants"):
            data[name] = data.get(name) or ""
        return data


class ReviewDetailsForm(_ReviewFields):
    """The details of a review not signed off: what it looks at only while it is not held yet."""

    owner = forms.ModelChoiceField(
        queryset=review_colleague_choices(),
        required=False,
        empty_label="Nobody",
        help_text="Who prepares it on our side.",
    )

    def __init__(self, *args, review: ValueReview, **kwargs) -> None:
        kwargs.setdefault(
            "initial",
            {
                "agreement": review.agreement_id,
                "business_case": review.business_case_id,
                "title": review.title,
                "scheduled_on": review.scheduled_on,
                "period_start": review.period_start,
                "period_end": review.period_end,
                "participants": review.participants,
                "sponsor": review.sponsor_id,
                "owner": review.owner_id,
            },
        )
        super().__init__(*args, **kwargs)
        self.review = review
        self.fields["owner"].queryset = review_colleague_choices()
        self.fields["owner"].label_from_instance = _person
        self.fields["title"].required = True
        for name in ("scheduled_on", "period_start", "period_end"):
            self.fields[name].required = True
            self.fields[name].help_text = ""
        if review.status == ValueReviewStatus.HELD:
            for name in ("agreement", "business_case", "period_start", "period_end"):
                del self.fields[name]
        elif review.status == ValueReviewStatus.PREPARED:
            self.fields[
                "period_end"
            ].help_text = (
                "Changing what the review looks at prepares it again (what was entered on the lines stays)."
            )

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["participants"] = data.get("participants") or ""
        return data


# --- the lines ----------------------------------------------------------------------------------------

LINE_FIELD = re.compile(r"^(benefits|targets)\.(\d+)\.(\w+)$")


class ReviewLinesForm(forms.Form):
    """Realized amounts and comments per benefit line, achieved values, status and comments per target
    line: fields `benefit_<id>_realized`, `target_<id>_achieved` and so on."""

    def __init__(self, *args, benefits, targets, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.benefits = list(benefits)
        self.targets = list(targets)
        for line in self.benefits:
            self.fields[f"benefit_{line.pk}_realized"] = forms.DecimalField(
                required=False,
                max_digits=14,
                decimal_places=2,
                label=f"Realized: {line.description}",
                initial=line.realized,
                widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
            )
            self.fields[f"benefit_{line.pk}_comment"] = forms.CharField(
                required=False,
                max_length=TEXT_LIMIT,
                label=f"Comment: {line.description}",
                initial=line.comment,
                widget=_text_area(1),
            )
        for line in self.targets:
            self.fields[f"target_{line.pk}_achieved"] = forms.DecimalField(
                required=False,
                max_digits=16,
                decimal_places=4,
                label=f"Achieved: {line.name}",
                initial=_plain(line.achieved),
                widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
            )
            self.fields[f"target_{line.pk}_status"] = forms.ChoiceField(
                required=False,
                label=f"Status: {line.name}",
                initial=line.status,
                choices=[("", "No data"), ("met", "Met"), ("at_risk", "At risk"), ("breached", "Breached")],
            )
            self.fields[f"target_{line.pk}_comment"] = forms.CharField(
                required=False,
                max_length=TEXT_LIMIT,
                label=f"Comment: {line.name}",
                initial=line.comment,
                widget=_text_area(1),
            )

    def rows(self) -> dict[str, list[dict]]:
        """Each line with its bound fields, for the template."""
        return {
            "benefits": [
                {
                    "line": line,
                    "realized": self[f"benefit_{line.pk}_realized"],
                    "comment": self[f"benefit_{line.pk}_comment"],
                }
                for line in self.benefits
            ],
            "targets": [
                {
                    "line": line,
                    "achieved": self[f"target_{line.pk}_achieved"],
                    "status": self[f"target_{line.pk}_status"],
                    "comment": self[f"target_{line.pk}_comment"],
                }
                for line in self.targets
            ],
        }

    def service_data(self) -> dict:
        data = self.cleaned_data
        benefits = [
            {
                "id": line.pk,
                "realized": data.get(f"benefit_{line.pk}_realized"),
                "comment": data.get(f"benefit_{line.pk}_comment") or "",
            }
            for line in self.benefits
        ]
        targets = []
        for line in self.targets:
            row = {
                "id": line.pk,
                "achieved": data.get(f"target_{line.pk}_achieved"),
                "comment": data.get(f"target_{line.pk}_comment") or "",
            }
            status = data.get(f"target_{line.pk}_status") or ""
            # The status follows a changed value unless it was changed as well.
            if status != (line.status or "") or row["achieved"] == line.achieved:
                row["status"] = status
            targets.append(row)
        return {"benefits": benefits, "targets": targets}

    def apply(self, error: ApplicationError) -> None:
        """Put a service error (`benefits.<index>.realized`) on its line's field."""
        placed = False
        for key, messages in error.fields.items():
            match = LINE_FIELD.match(key)
            if match:
                kind, index, name = match.groups()
                lines = self.benefits if kind == "benefits" else self.targets
                index = int(index)
                if index < len(lines):
                    field = f"{kind[:-1]}_{lines[index].pk}_{name}"
                    if field in self.fields:
                        for message in messages:
                            self.add_error(field, message)
                        placed = True
                        continue
        if not placed:
            apply_error(self, error)


# --- the meeting's notes ----------------------------------------------------------------------------


class ReviewNotesForm(forms.Form):
    """The answers to the analysis questions, the overall assessment, decisions and the next review."""

    comments = forms.CharField(
        required=False, max_length=TEXT_LIMIT, widget=_text_area(3), label="Overall assessment"
    )
    decisions = forms.CharField(required=False, max_length=TEXT_LIMIT, widget=_text_area(3))
    held_on = forms.DateField(required=False, widget=_day_input(), label="Held on")
    next_review_on = forms.DateField(
        required=False,
        widget=_day_input(),
        label="Next review on",
        help_text="Left empty for a review of an agreed or active agreement: the day held plus its "
        "review cadence, set when it is signed off.",
    )

    def __init__(self, *args, review: ValueReview, **kwargs) -> None:
        answers = review.analysis or {}
        kwargs.setdefault(
            "initial",
            {
                "comments": review.comments,
                "decisions": review.decisions,
                "held_on": review.held_on,
                "next_review_on": review.next_review_on,
                **{f"analysis_{key}": answers.get(key, "") for key, _question in ANALYSIS_QUESTIONS},
            },
        )
        super().__init__(*args, **kwargs)
        for key, question in ANALYSIS_QUESTIONS:
            self.fields[f"analysis_{key}"] = forms.CharField(
                required=False, max_length=TEXT_LIMIT, label=question, widget=_text_area(2)
            )
        if review.status != ValueReviewStatus.HELD:
            del self.fields["held_on"]
        self.order_fields([f"analysis_{key}" for key, _question in ANALYSIS_QUESTIONS])

    def questions(self) -> list:
        return [self[f"analysis_{key}"] for key, _question in ANALYSIS_QUESTIONS]

    def service_data(self) -> dict:
        data = self.cleaned_data
        values = {
            "analysis": {key: data.get(f"analysis_{key}") or "" for key, _question in ANALYSIS_QUESTIONS},
            "comments": data.get("comments") or "",
            "decisions": data.get("decisions") or "",
            "next_review_on": data.get("next_review_on"),
        }
        if "held_on" in self.fields:
            values["held_on"] = data.get("held_on")
        return values

    def apply(self, error: ApplicationError) -> None:
        for key, messages in error.fields.items():
            if key.startswith("analysis."):
                field = "analysis_" + key.split(".", 1)[1]
                if field in self.fields:
                    for message in messages:
                        self.add_error(field, message)
                    continue
            for message in messages:
                self.add_error(key if key in self.fields else None, message)
        if not error.fields:
            self.add_error(None, error.message)


# --- actions, moves and the sign-off ----------------------------------------------------------------


class ActionForm(forms.Form):
    description = forms.CharField(max_length=300, label="Action")
    owner = forms.ModelChoiceField(
        queryset=review_colleague_choices(), required=False, empty_label="Nobody yet"
    )
    due_on = forms.DateField(required=False, widget=_day_input(), label="Due on")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = review_colleague_choices()
        self.fields["owner"].label_from_instance = _person


class ActionUpdateForm(forms.Form):
    """Mark an action done or open again, or give it another owner or due date (the fields sent)."""

    status = forms.ChoiceField(required=False, choices=ReviewActionStatus.choices)
    owner = forms.ModelChoiceField(
        queryset=review_colleague_choices(), required=False, empty_label="Nobody yet"
    )
    due_on = forms.DateField(required=False, widget=_day_input())

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = review_colleague_choices()

    def service_data(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.fields if name in self.data}


class TransitionForm(forms.Form):
    to_status = forms.ChoiceField(choices=ValueReviewStatus.choices)
    note = forms.CharField(required=False, max_length=TEXT_LIMIT)


class SignOffForm(forms.Form):
    signed_off_by_name = forms.CharField(
        max_length=200, label="Signed by (name)", help_text="The name the sponsor signed with."
    )
    sign_off_note = forms.CharField(
        required=False, max_length=TEXT_LIMIT, widget=_text_area(2), label="The sponsor's note"
    )
    agreement_outcome = forms.ChoiceField(
        required=False,
        choices=ReviewOutcome.choices,
        initial=ReviewOutcome.CONTINUE,
        label="For the agreement",
        help_text="Recorded with the agreement's review, which plans its next one.",
    )

    def __init__(self, *args, review: ValueReview, sponsors, with_agreement: bool, **kwargs) -> None:
        kwargs.setdefault(
            "initial",
            {
                "sponsor": review.sponsor_id,
                "signed_off_by_name": review.sponsor.name if review.sponsor else "",
                "agreement_outcome": ReviewOutcome.CONTINUE,
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["sponsor"] = _Choice(
            sponsors,
            label_of=_sponsor_label,
            required=True,
            label="Customer sponsor",
            empty_label="Choose the sponsor",
        )
        self.order_fields(["sponsor", "signed_off_by_name", "sign_off_note", "agreement_outcome"])
        if not with_agreement:
            del self.fields["agreement_outcome"]

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["sign_off_note"] = data.get("sign_off_note") or ""
        if not data.get("agreement_outcome"):
            data.pop("agreement_outcome", None)
        return data
