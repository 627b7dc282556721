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
    JourneyMap,
    JourneyStep,
    MapStage,
    MapVersion,
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


# --- journey maps ---------------------------------------------------------------------------------

EMOTION_CHOICES = [
    (value, f"{value:+d} {label}" if value else f"0 {label}")
    for value, label in sorted(SENTIMENT_LABELS.items())
]


class JourneyMapForm(forms.Form):
    """A designed map's heading. The personas and the as-is maps it may be drawn from come from the
    view (the selectors), so the form itself reads nothing."""

    name = forms.CharField(
        max_length=160, help_text="What the journey is about, e.g. “Getting a new site online”."
    )
    persona = forms.TypedChoiceField(coerce=int, empty_value=None, help_text="Whose journey the map follows.")
    version = forms.ChoiceField(
        choices=MapVersion.choices,
        initial=MapVersion.AS_IS,
        help_text="As-is: the journey as it runs today. To-be: the journey we are designing.",
    )
    based_on = forms.TypedChoiceField(
        coerce=int,
        empty_value=None,
        required=False,
        label="Drawn from",
        help_text="For a to-be map: the as-is map of the same persona it improves on.",
    )
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, help_text="What the map covers and why."
    )

    def __init__(self, *args, personas=(), as_is_maps=(), **kwargs):
        super().__init__(*args, **kwargs)
        self._personas = {persona.pk: persona for persona in personas}
        self._maps = {journey_map.pk: journey_map for journey_map in as_is_maps}
        self.fields["persona"].choices = [("", "Choose a persona…")] + [
            (pk, persona.name) for pk, persona in self._personas.items()
        ]
        self.fields["based_on"].choices = [("", "—")] + [
            (pk, f"{journey_map.persona.name}: {journey_map.name}") for pk, journey_map in self._maps.items()
        ]

    @classmethod
    def initial_for(cls, journey_map: JourneyMap) -> dict:
        return {
            "name": journey_map.name,
            "persona": journey_map.persona_id,
            "version": journey_map.version,
            "based_on": journey_map.based_on_id,
            "description": journey_map.description,
        }

    def service_data(self) -> dict:
        """The cleaned data with the persona and the map drawn from as objects, as the services take
        them."""
        data = dict(self.cleaned_data)
        data["persona"] = self._personas.get(data.get("persona"))
        data["based_on"] = self._maps.get(data.get("based_on"))
        return data


class JourneyMapCopyForm(forms.Form):
    name = forms.CharField(
        max_length=160,
        required=False,
        label="Name of the to-be map",
        help_text="Leave empty to keep the as-is map's name.",
    )


class MapFilterForm(forms.Form):
    """The map list's filters, read from the query string; anything unknown shows every map."""

    persona = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)
    version = forms.ChoiceField(choices=[("", "Both versions"), *MapVersion.choices], required=False)

    def __init__(self, *args, personas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self._personas = {persona.pk: persona for persona in personas}
        self.fields["persona"].choices = [("", "Every persona")] + [
            (pk, persona.name) for pk, persona in self._personas.items()
        ]

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {"persona": self._personas.get(data.get("persona")), "version": data.get("version") or None}


class MapStageForm(forms.Form):
    step = forms.ChoiceField(choices=JourneyStep.choices, label="Journey step")
    name = forms.CharField(
        max_length=160, help_text="The stage in the persona's words, e.g. “Compare offers”."
    )
    expected_touchpoints = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label="Expected touchpoints",
        help_text="The contacts we expect at this stage, one per line.",
    )
    channels = forms.MultipleChoiceField(
        choices=Channel.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The channels those contacts use.",
    )
    expected_emotion = forms.TypedChoiceField(
        choices=EMOTION_CHOICES, coerce=int, initial=0, label="Expected emotion"
    )
    pain_points = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, label="Pain points"
    )
    opportunities = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    front_stage = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        label="Front stage",
        help_text="What the persona sees us do.",
    )
    back_stage = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        label="Back stage",
        help_text="What we do behind the line of visibility, unseen by the persona.",
    )

    @classmethod
    def initial_for(cls, stage: MapStage) -> dict:
        return {name: getattr(stage, name) for name in cls.base_fields}


class MapStageMoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", "Earlier"), ("down", "Later")])
