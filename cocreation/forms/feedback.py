"""Forms of feedback and of the review of moments of truth. They check types and choices, each error
naming its field; cocreation.services check the rules and the user's rights."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms

from cocreation.models import FeedbackKind, FeedbackSource, FeedbackStatus, MomentPolarity
from journeys.models import SENTIMENT_LABELS, Channel, JourneyStep

__all__ = [
    "DAYS_CHOICES",
    "FeedbackFilterForm",
    "FeedbackForm",
    "FeedbackTransitionForm",
    "MomentFilterForm",
    "MomentReviewForm",
]

SENTIMENT_RANGE = "Pick a whole number from −2 (very negative) to +2 (very positive)."
DATETIME = {"type": "datetime-local"}


def _sentiment_choices() -> list[tuple[int, str]]:
    return [
        (value, f"{value:+d} {label}" if value else f"0 {label}") for value, label in SENTIMENT_LABELS.items()
    ]


def _person_label(person) -> str:
    return f"{person.name} ({person.job_title})" if person.job_title else person.name


class FeedbackForm(forms.Form):
    kind = forms.ChoiceField(
        choices=FeedbackKind.choices,
        initial=FeedbackKind.COMMENT,
        error_messages={"invalid_choice": "“%(value)s” is not a kind of feedback; pick one from the list."},
    )
    text = forms.CharField(
        label="What they said",
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="In their words as far as possible.",
        error_messages={
            "required": "Write down what they said.",
            "max_length": "Keep it to 10,000 characters.",
        },
    )
    sentiment = forms.TypedChoiceField(
        choices=_sentiment_choices(),
        coerce=int,
        initial=0,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": SENTIMENT_RANGE, "required": SENTIMENT_RANGE},
    )
    source = forms.ChoiceField(
        choices=FeedbackSource.choices,
        initial=FeedbackSource.USER,
        label="From",
        error_messages={"invalid_choice": "“%(value)s” is not a source of feedback; pick one from the list."},
    )
    stakeholder = forms.ChoiceField(
        required=False,
        label="Person",
        error_messages={"invalid_choice": "Pick one of the account's people, or nobody."},
    )
    anonymous = forms.BooleanField(
        required=False,
        label="Anonymous",
        help_text="They asked not to be named: no person is recorded.",
    )
    channel = forms.ChoiceField(
        choices=[("", "—"), *Channel.choices],
        required=False,
        help_text="How it came in; a touchpoint is logged on it.",
        error_messages={"invalid_choice": "“%(value)s” is not a channel; pick one from the list."},
    )
    received_at = forms.DateTimeField(
        required=False,
        label="Received",
        widget=forms.DateTimeInput(attrs=DATETIME, format="%Y-%m-%dT%H:%M"),
        help_text="Leave empty for now.",
        error_messages={"invalid": "Give a date and time, e.g. 2025-03-14 09:30."},
    )
    touchpoint = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    request = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args, people=(), touchpoint=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._people = {str(person.pk): person for person in people}
        self.fields["stakeholder"].choices = [("", "—")] + [
            (key, _person_label(person)) for key, person in self._people.items()
        ]
        if touchpoint is not None:
            # The feedback joins a touchpoint already logged: its channel is that touchpoint's.
            del self.fields["channel"]
            del self.fields["received_at"]

    def chosen_person(self):
        return self._people.get(self.cleaned_data.get("stakeholder") or "")

    def service_data(self) -> dict:
        """The keyword arguments of services.feedback_create, but the account, touchpoint and request."""
        data = self.cleaned_data
        values = {
            "kind": data["kind"],
            "text": data["text"],
            "sentiment": data["sentiment"],
            "source": data["source"],
            "stakeholder": self.chosen_person(),
            "anonymous": data.get("anonymous", False),
        }
        if "channel" in self.fields:
            values["channel"] = data.get("channel") or None
            values["received_at"] = data.get("received_at")
        return values


class FeedbackFilterForm(forms.Form):
    status = forms.ChoiceField(
        choices=[("", "Any status"), ("open", "Open (not closed)"), *FeedbackStatus.choices], required=False
    )
    kind = forms.ChoiceField(choices=[("", "Any kind"), *FeedbackKind.choices], required=False)
    unacknowledged = forms.BooleanField(required=False, label="Not acknowledged yet")
    organization = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def filters(self) -> dict:
        """The filters as the selector takes them (empty ones when the input does not make sense)."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return {
            "status": data.get("status") or "",
            "kind": data.get("kind") or "",
            "unacknowledged": bool(data.get("unacknowledged")),
        }

    def query(self, organization=None) -> str:
        values = {key: value for key, value in self.filters().items() if value}
        if organization is not None:
            values["organization"] = organization.pk
        return urlencode({key: "on" if value is True else value for key, value in values.items()})


class FeedbackTransitionForm(forms.Form):
    to_status = forms.ChoiceField(
        choices=FeedbackStatus.choices,
        label="Move to",
        error_messages={"invalid_choice": "“%(value)s” is not a feedback status."},
    )
    response = forms.CharField(
        required=False,
        max_length=10_000,
        label="Our answer",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What we answered the author, in person.",
        error_messages={"max_length": "Keep it to 10,000 characters."},
    )


DAYS_CHOICES = [("30", "Last 30 days"), ("90", "Last 90 days"), ("365", "Last year"), ("all", "Any time")]
DEFAULT_DAYS = "90"


class MomentFilterForm(forms.Form):
    reviewed = forms.ChoiceField(
        choices=[("any", "Reviewed or not"), ("no", "To review"), ("yes", "Reviewed")],
        required=False,
        label="Review",
    )
    polarity = forms.ChoiceField(
        choices=[("", "Positive or negative"), *MomentPolarity.choices], required=False, label="Polarity"
    )
    step = forms.ChoiceField(
        choices=[("", "Any step"), *JourneyStep.choices], required=False, label="Journey step"
    )
    days = forms.ChoiceField(choices=DAYS_CHOICES, required=False, initial=DEFAULT_DAYS, label="When")
    organization = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        days = data.get("days") or DEFAULT_DAYS
        return {
            "reviewed": data.get("reviewed") or "any",
            "polarity": data.get("polarity") or "",
            "step": data.get("step") or "",
            "days": None if days == "all" else int(days),
        }

    def query(self, organization=None) -> str:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        values = {key: data.get(key) for key in ("reviewed", "polarity", "step", "days") if data.get(key)}
        if organization is not None:
            values["organization"] = organization.pk
        return urlencode(values)

    def filtered(self) -> bool:
        filters = self.filters()
        return bool(
            filters["reviewed"] != "any" or filters["polarity"] or filters["step"] or filters["days"] != 90
        )


RECOVERED_CHOICES = [("", "Not known yet, or not for a positive moment"), ("yes", "Yes"), ("no", "No")]


class MomentReviewForm(forms.Form):
    polarity = forms.ChoiceField(
        choices=MomentPolarity.choices,
        widget=forms.RadioSelect,
        label="It made or broke the experience",
        error_messages={
            "required": "Say whether the moment was positive or negative.",
            "invalid_choice": "Pick positive or negative.",
        },
    )
    recovered = forms.ChoiceField(
        choices=RECOVERED_CHOICES,
        required=False,
        label="Recovered",
        help_text="Negative moments only: was it turned round?",
    )
    notes = forms.CharField(
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="What happened and what we learn from it.",
    )
    follow_up = forms.CharField(
        required=False,
        max_length=10_000,
        label="Follow-up",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="What we do next, and who does it.",
    )

    @classmethod
    def initial_for(cls, touchpoint) -> dict:
        """The review's values as the form shows them (nothing picked before the first review)."""
        review = getattr(touchpoint, "moment_review", None)
        if review is None:
            return {"polarity": "", "recovered": "", "notes": "", "follow_up": ""}
        recovered = "" if review.recovered is None else ("yes" if review.recovered else "no")
        return {
            "polarity": review.polarity,
            "recovered": recovered,
            "notes": review.notes,
            "follow_up": review.follow_up,
        }

    def shown_values(self) -> dict:
        """What the row's form shows after a post: the input as typed."""
        return {name: self.data.get(name, "") for name in ("polarity", "recovered", "notes", "follow_up")}

    def service_data(self) -> dict:
        data = self.cleaned_data
        return {
            "polarity": data["polarity"],
            "recovered": {"yes": True, "no": False}.get(data.get("recovered") or ""),
            "notes": data.get("notes") or "",
            "follow_up": data.get("follow_up") or "",
        }
