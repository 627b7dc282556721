"""Forms of the survey pages: a survey's definition, the filters of the invitation log, the answers and
the follow-ups, sending a survey by hand and closing a follow-up. They check types and choices, each
error naming its field; realization.services check the rules (a periodic survey needs its period, the
reminder goes out before the expiry, the type stays once answered...) and the user's rights, and their
errors land on the field they name (journeys.web.form_submitted)."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms

from journeys.models import JourneyStep, Stakeholder
from realization.models import (
    FollowUpStatus,
    InvitationReason,
    InvitationStatus,
    Survey,
    SurveyTrigger,
    SurveyType,
)
from realization.selectors.surveys import BAND_NAMES, BANDS

__all__ = [
    "FollowUpCloseForm",
    "FollowUpFilterForm",
    "InvitationFilterForm",
    "ResponseFilterForm",
    "SendForm",
    "SurveyForm",
]

AUDIENCE_CHOICES = [("customer", "Customers"), ("user", "Users"), ("sponsor", "Sponsors")]
OUTCOME_LIMIT = 4000


def _number(label: str, *, low: int, high: int, help_text: str, required: bool = True, **extra):
    """A whole-number field whose errors say the allowed range."""
    rule = f"Enter a whole number from {low:,} to {high:,}."
    return forms.IntegerField(
        label=label,
        required=required,
        min_value=low,
        max_value=high,
        help_text=help_text,
        widget=forms.NumberInput(attrs={"min": low, "max": high, "step": 1, "inputmode": "numeric"}),
        error_messages={
            "required": rule,
            "invalid": rule,
            "min_value": rule,
            "max_value": rule,
        },
        **extra,
    )


class SurveyForm(forms.Form):
    """A survey's definition, new or changed."""

    name = forms.CharField(
        max_length=200,
        help_text="How the survey is listed here, e.g. “Request closed: CSAT”. "
        "People who are asked never see it.",
        error_messages={
            "required": "Give the survey a name, e.g. “Request closed: CSAT”.",
            "max_length": "Keep the name to 200 characters.",
        },
    )
    survey_type = forms.ChoiceField(
        label="Type",
        choices=SurveyType.choices,
        help_text="NPS asks how likely they are to recommend us (0–10); CSAT how satisfied they are (1–5); "
        "CES how easy it was to get done (1–7, 7 the easiest). Fixed once answers arrive.",
        error_messages={
            "required": "Choose NPS, CSAT or CES.",
            "invalid_choice": "“%(value)s” is not a survey type; choose NPS, CSAT or CES.",
        },
    )
    question = forms.CharField(
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Word it for the person who gets the e-mail: one question, about one thing, "
        "in plain words.",
        error_messages={
            "required": "Write the question as the person will read it.",
            "max_length": "Keep the question to 1,000 characters.",
        },
    )
    audience = forms.MultipleChoiceField(
        label="Ask",
        choices=AUDIENCE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        help_text="Which of the account's people are asked, by the role they hold. Only people who agreed "
        "to receive surveys and have an e-mail address are ever invited.",
        error_messages={
            "required": "Choose at least one role to ask: customers, users or sponsors.",
            "invalid_choice": "“%(value)s” is not a role; choose customers, users or sponsors.",
        },
    )
    trigger = forms.ChoiceField(
        label="Sent",
        choices=SurveyTrigger.choices,
        help_text="What sets it off: a request closed (its requester is asked), an onboarding plan "
        "completed, every period (a relationship survey), or only when someone sends it by hand.",
        error_messages={
            "required": "Choose what sets the survey off.",
            "invalid_choice": "“%(value)s” is not a trigger; pick one from the list.",
        },
    )
    period_months = _number(
        "Every (months)",
        low=1,
        high=36,
        required=False,
        help_text="Periodic surveys only: 3 asks each person once a quarter, 12 once a year.",
    )
    sampling_percent = _number(
        "Sample (%)",
        low=1,
        high=100,
        initial=100,
        help_text="The share of eligible people who get it; the others are logged as not drawn. 100 asks "
        "everyone.",
    )
    send_delay_hours = _number(
        "Wait before sending (hours)",
        low=0,
        high=2160,
        initial=24,
        help_text="Time between the trigger and the e-mail, so the experience has settled; 0 sends at once.",
    )
    expiry_days = _number(
        "Open for (days)",
        low=1,
        high=365,
        initial=14,
        help_text="After this many days an unanswered invitation closes and its links stop working.",
    )
    reminder_after_days = _number(
        "Remind after (days)",
        low=1,
        high=364,
        required=False,
        initial=5,
        help_text="One reminder to those who have not answered, this many days after the e-mail; it must "
        "come before the invitation closes. Leave empty for no reminder.",
    )
    step = forms.ChoiceField(
        label="Journey step",
        required=False,
        choices=[("", "The trigger's own step"), *JourneyStep.choices],
        help_text="Where its answers count on the journey map and the value dashboard. Usually the trigger "
        "decides: a request counts where it was raised, onboarding under Onboard.",
        error_messages={"invalid_choice": "“%(value)s” is not a journey step; pick one from the list."},
    )
    is_active = forms.BooleanField(
        label="Active",
        required=False,
        initial=True,
        help_text="Only an active survey sends invitations. Pausing it keeps its results.",
    )

    def __init__(self, *args, survey: Survey | None = None, **kwargs):
        if survey is not None:
            kwargs.setdefault("initial", self.initial_for(survey))
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["autofocus"] = True

    @staticmethod
    def initial_for(survey: Survey) -> dict:
        return {
            "name": survey.name,
            "survey_type": survey.survey_type,
            "question": survey.question,
            "audience": survey.audience_roles,
            "trigger": survey.trigger,
            "period_months": survey.period_months,
            "sampling_percent": survey.sampling_percent,
            "send_delay_hours": survey.send_delay_hours,
            "expiry_days": survey.expiry_days,
            "reminder_after_days": survey.reminder_after_days,
            "step": survey.step,
            "is_active": survey.is_active,
        }

    def clean_name(self) -> str:
        return (self.cleaned_data.get("name") or "").strip()

    def clean_question(self) -> str:
        return (self.cleaned_data.get("question") or "").strip()

    def service_data(self) -> dict:
        """The `data` of services.survey_create / survey_update."""
        data = dict(self.cleaned_data)
        data["audience"] = list(data.get("audience") or [])
        data["step"] = data.get("step") or ""
        if data.get("trigger") != SurveyTrigger.PERIODIC:
            data["period_months"] = None
        return data


# --- filters -----------------------------------------------------------------------------------------


class _Filters(forms.Form):
    """A list's filters from the query string: an unknown value is ignored rather than refused."""

    FIELDS: tuple[str, ...] = ()

    def values(self) -> dict:
        values = dict.fromkeys(self.FIELDS, "")
        if self.is_bound:
            self.is_valid()
            for name in self.FIELDS:
                value = self.cleaned_data.get(name)
                if value not in (None, "", False):
                    values[name] = value
        return values

    def filtered(self) -> bool:
        return any(value not in ("", None, False) for value in self.values().values())

    def query(self, **extra) -> str:
        """The query string of these filters (and `extra`), for the page links."""
        pairs = {name: getattr(value, "pk", value) for name, value in self.values().items() if value}
        pairs.update({name: value for name, value in extra.items() if value})
        for name, value in pairs.items():
            if value is True:
                pairs[name] = "on"
        return urlencode(pairs)


class InvitationFilterForm(_Filters):
    reason = forms.ChoiceField(
        required=False,
        label="Decision",
        choices=[
            ("", "Any decision"),
            (InvitationStatus.NOT_INVITED, "Not invited (any reason)"),
            *InvitationReason.choices,
        ],
    )
    status = forms.ChoiceField(
        required=False,
        choices=[
            ("", "Any status"),
            *((value, label) for value, label in InvitationStatus.choices if value != "not_invited"),
        ],
    )

    FIELDS = ("reason", "status")


def _band_choices() -> list[tuple[str, str]]:
    return [("", "Any score"), *((band, BAND_NAMES[band]) for band in BANDS)]


class ResponseFilterForm(_Filters):
    survey = forms.ModelChoiceField(
        queryset=Survey.objects.none(), required=False, empty_label="Any survey", label="Survey"
    )
    survey_type = forms.ChoiceField(
        required=False, label="Type", choices=[("", "Any type"), *SurveyType.choices]
    )
    band = forms.ChoiceField(required=False, label="Score", choices=_band_choices())
    with_comment = forms.BooleanField(required=False, label="With a comment only")

    FIELDS = ("survey", "survey_type", "band", "with_comment")

    def __init__(self, *args, surveys=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["survey"].queryset = surveys


class FollowUpFilterForm(_Filters):
    status = forms.ChoiceField(
        required=False,
        label="Show",
        choices=[("", "To follow up"), (FollowUpStatus.DONE, "Followed up"), ("all", "All")],
    )
    mine = forms.BooleanField(required=False, label="Mine only")

    FIELDS = ("status", "mine")

    def selector_arguments(self) -> dict:
        values = self.values()
        status = values["status"]
        return {
            "status": "" if status == "all" else status or FollowUpStatus.OPEN,
            "mine": bool(values["mine"]),
        }


# --- actions -----------------------------------------------------------------------------------------


class FollowUpCloseForm(forms.Form):
    outcome = forms.CharField(
        label="What you learned and did",
        max_length=OUTCOME_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Say what you learned and did, e.g. “Called her; the export fix ships Friday.”",
            "max_length": f"Keep it to {OUTCOME_LIMIT:,} characters.",
        },
    )

    def __init__(self, *args, follow_up=None, **kwargs):
        super().__init__(*args, **kwargs)
        if follow_up is not None:
            # Every follow-up on the page has its own form: its field needs its own id.
            self.auto_id = f"id_follow_up_{follow_up.pk}_%s"

    def clean_outcome(self) -> str:
        outcome = (self.cleaned_data.get("outcome") or "").strip()
        if not outcome:
            raise forms.ValidationError(self.fields["outcome"].error_messages["required"], code="required")
        return outcome


def _person_label(person: Stakeholder) -> str:
    """The person with what decides whether they may be asked: roles, consent, e-mail, activity."""
    notes = [", ".join(role.lower() for role in person.role_labels) or "no consumer role"]
    if not person.is_active:
        notes.append("inactive")
    if not person.survey_consent:
        notes.append("no consent to surveys")
    if not person.email:
        notes.append("no e-mail address")
    return f"{person.name} ({'; '.join(notes)})"


class SendForm(forms.Form):
    """Send a survey now to one account's people: those chosen, or (none chosen) everyone of the account
    in the survey's audience."""

    stakeholders = forms.ModelMultipleChoiceField(
        queryset=Stakeholder.objects.none(),
        required=False,
        label="People",
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave all unticked to ask everyone of the account in the survey's audience (the sample "
        "then applies). Whoever you tick is still checked for consent, e-mail address and a recent survey.",
        error_messages={
            "invalid_choice": "Choose people of this account only.",
            "invalid_pk_value": "Choose people of this account only.",
        },
    )

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        if people is not None:
            self.fields["stakeholders"].queryset = people
        self.fields["stakeholders"].label_from_instance = _person_label

    def chosen(self):
        """The people ticked, or None for the account's audience."""
        people = list(self.cleaned_data.get("stakeholders") or [])
        return people or None
