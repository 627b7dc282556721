"""The service desk console's touchpoint form. It checks types and choices, each error naming its field;
journeys.services.touchpoint_log checks the rules and the agent's rights."""

from __future__ import annotations

import hashlib
import secrets

from django import forms

from journeys.models import SENTIMENT_LABELS, Channel, JourneyStep, TouchpointKind

__all__ = ["ConsoleTouchpointForm", "new_submission_token"]

SENTIMENT_RANGE = "Pick a whole number from −2 (very negative) to +2 (very positive)."


def new_submission_token() -> str:
    """A one-time token for one rendered form: a second post of the same form logs nothing more."""
    return secrets.token_urlsafe(24)


def _sentiment_choice(value: int, label: str) -> tuple[int, str]:
    return value, f"{value:+d} {label}" if value else f"0 {label}"


class ConsoleTouchpointForm(forms.Form):
    token = forms.CharField(
        widget=forms.HiddenInput,
        max_length=64,
        error_messages={"required": "This form has expired: save it again."},
    )
    organization = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        error_messages={
            "required": "Find the caller above and pick their organization first.",
            "invalid": "Find the caller above and pick their organization.",
            "min_value": "Find the caller above and pick their organization.",
        },
    )
    person = forms.ChoiceField(
        required=False,
        label="Person",
        error_messages={"invalid_choice": "Pick one of the organization's people, or nobody."},
    )
    channel = forms.ChoiceField(
        choices=Channel.choices,
        initial=Channel.TELEPHONE,
        error_messages={"invalid_choice": "“%(value)s” is not a channel; pick one from the list."},
    )
    kind = forms.ChoiceField(
        choices=TouchpointKind.choices,
        initial=TouchpointKind.QUERY,
        error_messages={"invalid_choice": "“%(value)s” is not a kind of touchpoint; pick one from the list."},
    )
    step = forms.ChoiceField(
        choices=[("", "The account's current step"), *JourneyStep.choices],
        required=False,
        label="Journey step",
        error_messages={"invalid_choice": "“%(value)s” is not a journey step."},
    )
    sentiment = forms.TypedChoiceField(
        choices=[_sentiment_choice(value, label) for value, label in sorted(SENTIMENT_LABELS.items())],
        coerce=int,
        initial=0,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": SENTIMENT_RANGE, "required": SENTIMENT_RANGE},
    )
    moment_of_truth = forms.BooleanField(required=False, label="Moment of truth")
    summary = forms.CharField(
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 2, "data-console-summary": ""}),
        help_text="Enter saves; Shift+Enter starts a new line.",
        error_messages={
            "required": "Say in a few words what happened.",
            "max_length": "Keep it under 10,000 characters.",
        },
    )

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self._people = {str(person.pk): person for person in people}
        self.fields["person"].choices = [("", "—")] + [
            (key, f"{person.name}{f' ({person.job_title})' if person.job_title else ''}")
            for key, person in self._people.items()
        ]

    def clean_summary(self) -> str:
        summary = (self.cleaned_data.get("summary") or "").strip()
        if not summary:
            raise forms.ValidationError(self.fields["summary"].error_messages["required"], code="required")
        return summary

    def service_data(self) -> dict:
        """The keyword arguments of journeys.services.touchpoint_log, but the organization."""
        data = self.cleaned_data
        return {
            "stakeholder": self._people.get(data.get("person") or ""),
            "step": data.get("step") or None,
            "channel": data["channel"],
            "kind": data["kind"],
            "sentiment": data["sentiment"],
            "moment_of_truth": data.get("moment_of_truth", False),
            "summary": data["summary"],
        }

    def fingerprint(self) -> str:
        """What was submitted, to tell a replay of this form from other input under the same token."""
        data = {key: str(value) for key, value in sorted(self.cleaned_data.items()) if key != "token"}
        return hashlib.sha256(repr(sorted(data.items())).encode()).hexdigest()

    def error_summary(self) -> list[tuple[str, str]]:
        """(field id, "Field: message") of every error, fields in the form's order: what the form lists
        on top, each a link to its field (the organization's error leads to the search box)."""
        entries = [("", str(message)) for message in self.non_field_errors()]
        for name, field in self.fields.items():
            target = f"{self[name].auto_id}_0" if name == "sentiment" else self[name].auto_id
            if name in ("organization", "token"):
                target = "console-search"
            label = "Organization" if name in ("organization", "token") else field.label or name.capitalize()
            if name == "token":
                label = "Form"
            entries += [(target, f"{label}: {message}") for message in self.errors.get(name, [])]
        return entries
