"""Forms of the spine's pages. They check types and choices; the services check the rules and the
actor's rights, and their ApplicationError lands on the field it names (`apply_error`)."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone

from journeys.base import ApplicationError
from journeys.models import (
    SENTIMENT_LABELS,
    Channel,
    ConsumerRole,
    Direction,
    JourneyStep,
    OrganizationKind,
    StakeholderCategory,
    Team,
    TouchpointKind,
)
from journeys.roles import Role


def apply_error(form: forms.Form, error: ApplicationError) -> None:
    """Put a service's error on the matching field, or on the form when no field matches."""
    placed = False
    for field, messages in error.fields.items():
        target = field if field in form.fields else None
        for message in messages:
            form.add_error(target, message)
            placed = True
    if not placed:
        form.add_error(None, error.message)


class OrganizationForm(forms.Form):
    name = forms.CharField(max_length=200)
    kind = forms.ChoiceField(choices=OrganizationKind.choices, initial=OrganizationKind.CONSUMER)
    owner = forms.ModelChoiceField(
        queryset=get_user_model().objects.none(),
        required=False,
        help_text="The relationship manager accountable for this account.",
    )
    team = forms.ModelChoiceField(queryset=Team.objects.all(), required=False)
    industry = forms.CharField(max_length=100, required=False)
    country = forms.CharField(max_length=2, required=False, help_text="Two-letter code, e.g. NL.")
    city = forms.CharField(max_length=100, required=False)
    website = forms.URLField(required=False, assume_scheme="https")
    annual_revenue = forms.DecimalField(
        max_digits=14,
        decimal_places=2,
        min_value=0,
        required=False,
        help_text="Yearly revenue with this consumer.",
    )
    employee_count = forms.IntegerField(min_value=0, required=False)
    external_id = forms.CharField(max_length=100, required=False, help_text="The CRM's identifier, if any.")
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = (
            get_user_model()
            .objects.filter(groups__name=Role.RELATIONSHIP_MANAGER, is_active=True)
            .order_by("first_name", "username")
        )
        self.fields["owner"].label_from_instance = lambda user: user.get_full_name() or user.username

    def clean_country(self) -> str:
        return (self.cleaned_data.get("country") or "").upper()

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        for name in ("industry", "country", "city", "website", "external_id", "notes"):
            data[name] = data.get(name) or ""
        return data


class StakeholderForm(forms.Form):
    name = forms.CharField(max_length=200)
    job_title = forms.CharField(max_length=200, required=False)
    email = forms.EmailField(required=False)
    phone = forms.CharField(max_length=40, required=False)
    category = forms.ChoiceField(choices=StakeholderCategory.choices, initial=StakeholderCategory.CONSUMER)
    roles = forms.MultipleChoiceField(
        choices=ConsumerRole.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="One person may hold several consumer roles.",
    )
    influence = forms.TypedChoiceField(
        choices=[(i, str(i)) for i in range(1, 6)],
        coerce=int,
        initial=3,
        help_text="1 = little say, 5 = decides.",
    )
    interest = forms.TypedChoiceField(
        choices=[(i, str(i)) for i in range(1, 6)],
        coerce=int,
        initial=3,
        help_text="1 = indifferent, 5 = closely involved.",
    )
    survey_consent = forms.BooleanField(required=False, label="Agreed to receive satisfaction surveys")
    is_active = forms.BooleanField(required=False, initial=True, label="Still involved")
    external_id = forms.CharField(max_length=100, required=False)

    @classmethod
    def initial_for(cls, stakeholder) -> dict:
        return {
            "name": stakeholder.name,
            "job_title": stakeholder.job_title,
            "email": stakeholder.email,
            "phone": stakeholder.phone,
            "category": stakeholder.category,
            "roles": stakeholder.roles,
            "influence": stakeholder.influence,
            "interest": stakeholder.interest,
            "survey_consent": stakeholder.survey_consent,
            "is_active": stakeholder.is_active,
            "external_id": stakeholder.external_id,
        }

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        held = set(data.pop("roles", []))
        data["is_customer"] = ConsumerRole.CUSTOMER in held
        data["is_user"] = ConsumerRole.USER in held
        data["is_sponsor"] = ConsumerRole.SPONSOR in held
        for name in ("job_title", "email", "phone", "external_id"):
            data[name] = data.get(name) or ""
        return data


class TouchpointForm(forms.Form):
    stakeholder = forms.ChoiceField(required=False, label="Person")
    journey = forms.ChoiceField(required=False)
    step = forms.ChoiceField(
        choices=[("", "The journey's current step"), *JourneyStep.choices],
        required=False,
        label="Journey step",
    )
    channel = forms.ChoiceField(choices=Channel.choices, initial=Channel.TELEPHONE)
    kind = forms.ChoiceField(choices=TouchpointKind.choices, initial=TouchpointKind.QUERY)
    direction = forms.ChoiceField(choices=Direction.choices, initial=Direction.INBOUND)
    sentiment = forms.TypedChoiceField(
        choices=[
            (value, f"{value:+d} {label}" if value else f"0 {label}")
            for value, label in sorted(SENTIMENT_LABELS.items())
        ],
        coerce=int,
        initial=0,
    )
    moment_of_truth = forms.BooleanField(required=False, label="Moment of truth")
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=10_000)
    occurred_at = forms.DateTimeField(
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text="Leave empty for now.",
    )
    duration_minutes = forms.IntegerField(
        min_value=0, max_value=1440, required=False, label="Duration (minutes)"
    )

    def __init__(self, *args, stakeholders=(), journeys=(), **kwargs):
        super().__init__(*args, **kwargs)
        self._stakeholders = {str(s.pk): s for s in stakeholders}
        self._journeys = {str(j.pk): j for j in journeys}
        self.fields["stakeholder"].choices = [("", "—")] + [
            (k, s.name) for k, s in self._stakeholders.items()
        ]
        self.fields["journey"].choices = [("", "—")] + [
            (k, f"{j.name} ({j.get_current_step_display()})") for k, j in self._journeys.items()
        ]
        if len(self._journeys) == 1:
            self.fields["journey"].initial = next(iter(self._journeys))

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["stakeholder"] = self._stakeholders.get(data.get("stakeholder") or "")
        data["journey"] = self._journeys.get(data.get("journey") or "")
        data["step"] = data.get("step") or None
        data["occurred_at"] = data.get("occurred_at") or timezone.now()
        return data


class JourneyStartForm(forms.Form):
    name = forms.CharField(max_length=200, help_text="What the journey is about, usually one service.")
    step = forms.ChoiceField(choices=JourneyStep.choices, initial=JourneyStep.EXPLORE, label="Starting step")


class JourneyMoveForm(forms.Form):
    to_step = forms.ChoiceField(choices=JourneyStep.choices, label="Move to")
    note = forms.CharField(max_length=500, required=False, label="Why")
