"""Forms of the persona, scenario and job-to-be-done pages. They check types and choices; the services
check the rules and the actor's rights, and their ApplicationError lands on the field it names."""

from __future__ import annotations

from django import forms

from exploration.models import JobToBeDone
from journeys.models import Channel, ConsumerRole, JourneyStep, Persona, Scenario


class PersonaForm(forms.Form):
    name = forms.CharField(max_length=120, help_text="A name people remember, e.g. “Practice manager Orla”.")
    job_title = forms.CharField(
        max_length=200, required=False, label="Role", help_text="Their job, in a few words."
    )
    consumer_role = forms.ChoiceField(
        choices=[("", "—"), *ConsumerRole.choices],
        required=False,
        help_text="The part they mostly play for the consumer: buying, using or sponsoring the service.",
    )
    summary = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Who they are and what a working day looks like.",
    )
    goals = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    pain_points = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, label="Pain points"
    )
    needs = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="What they need from a provider like us.",
    )
    preferred_channel = forms.ChoiceField(choices=[("", "—"), *Channel.choices], required=False)
    quote = forms.CharField(
        max_length=240, required=False, help_text="A sentence they might say, in their own voice."
    )

    @classmethod
    def initial_for(cls, persona: Persona) -> dict:
        return {name: getattr(persona, name) for name in cls.base_fields}


class ScenarioForm(forms.Form):
    title = forms.CharField(max_length=160)
    journey_step = forms.ChoiceField(
        choices=[("", "Not tied to one step"), *JourneyStep.choices],
        required=False,
        label="Journey step",
        help_text="Where in the customer journey the story takes place.",
    )
    situation = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, help_text="What starts the story."
    )
    goal = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="What the persona is trying to get done.",
    )
    narrative = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text="What they do, and what happens, step by step.",
    )
    expected_outcome = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        label="Expected outcome",
        help_text="What a good ending looks like to them.",
    )

    @classmethod
    def initial_for(cls, scenario: Scenario) -> dict:
        return {name: getattr(scenario, name) for name in cls.base_fields}


RATING_CHOICES = [(value, str(value)) for value in range(1, 6)]


class JobToBeDoneForm(forms.Form):
    """A job for a persona, a segment or both; the choices come from the selectors (the view passes
    them), so the form itself reads nothing."""

    job = forms.CharField(
        max_length=240,
        help_text="In the consumer's own words, e.g. “get a new starter working on day one”.",
    )
    persona = forms.TypedChoiceField(
        coerce=int,
        required=False,
        empty_value=None,
        help_text="Whose job it is: a persona, a segment, or both.",
    )
    segment = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)
    situation = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, help_text="When the job comes up."
    )
    desired_outcome = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        label="Desired outcome",
        help_text="How they can tell the job was done well.",
    )
    importance = forms.TypedChoiceField(
        coerce=int, choices=RATING_CHOICES, initial=3, help_text="1 = minor, 5 = vital."
    )
    satisfaction = forms.TypedChoiceField(
        coerce=int,
        choices=RATING_CHOICES,
        initial=3,
        help_text="How well the job is served today: 1 = badly, 5 = fully.",
    )

    field_order = ["job", "persona", "segment", "situation", "desired_outcome", "importance", "satisfaction"]

    def __init__(self, *args, personas=(), segments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self._personas = {persona.pk: persona for persona in personas}
        self._segments = {segment.pk: segment for segment in segments}
        self.fields["persona"].choices = [("", "—")] + [(pk, p.name) for pk, p in self._personas.items()]
        self.fields["segment"].choices = [("", "—")] + [(pk, s.name) for pk, s in self._segments.items()]

    @classmethod
    def initial_for(cls, job: JobToBeDone) -> dict:
        initial = {name: getattr(job, name) for name in cls.base_fields if name not in ("persona", "segment")}
        return initial | {"persona": job.persona_id, "segment": job.segment_id}

    def service_fields(self) -> dict:
        """The cleaned data with persona and segment as objects, as the services take them."""
        data = dict(self.cleaned_data)
        data["persona"] = self._personas.get(data.get("persona"))
        data["segment"] = self._segments.get(data.get("segment"))
        return data


class JobFilterForm(forms.Form):
    """The job list's filters, read from the query string; anything unknown shows every job."""

    persona = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)
    segment = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)

    def __init__(self, *args, personas=(), segments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self._personas = {persona.pk: persona for persona in personas}
        self._segments = {segment.pk: segment for segment in segments}
        self.fields["persona"].choices = [("", "Every persona")] + [
            (pk, p.name) for pk, p in self._personas.items()
        ]
        self.fields["segment"].choices = [("", "Every segment")] + [
            (pk, s.name) for pk, s in self._segments.items()
        ]

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "persona": self._personas.get(data.get("persona")),
            "segment": self._segments.get(data.get("segment")),
        }
