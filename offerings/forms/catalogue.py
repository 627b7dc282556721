"""Forms of the catalogue pages. They check types and choices; the services check the rules and the
actor's rights, and their ApplicationError lands on the field it names."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model

from exploration.models import MarketSegment
from journeys.models import ConsumerRole, JourneyMap, Persona
from journeys.roles import Role
from offerings.models import OfferingComponentKind, Service
from offerings.selectors.catalogue import CATALOGUE_STATUSES


def _user_label(user) -> str:
    return user.get_full_name() or user.username


class CatalogueFilterForm(forms.Form):
    """The catalogue's filters, read from the query string; anything unknown falls back to no filter
    (and the status to the user's default). The choices come as (pk, name) pairs."""

    q = forms.CharField(required=False, max_length=100, label="Search")
    status = forms.ChoiceField(
        required=False, choices=[(key, label) for key, (label, _) in CATALOGUE_STATUSES.items()]
    )
    service = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)
    segment = forms.TypedChoiceField(coerce=int, required=False, empty_value=None, label="Target segment")
    persona = forms.TypedChoiceField(coerce=int, required=False, empty_value=None, label="Target persona")

    MODELS = {"service": Service, "segment": MarketSegment, "persona": Persona}

    def __init__(self, *args, services=(), segments=(), personas=(), default_status="current", **kwargs):
        super().__init__(*args, **kwargs)
        self.default_status = default_status
        for name, choices, everything in (
            ("service", services, "All services"),
            ("segment", segments, "Any segment"),
            ("persona", personas, "Any persona"),
        ):
            self.fields[name].choices = [("", everything), *choices]

    def filters(self) -> dict:
        """The selector's keyword arguments: status, service, segment, persona (each the chosen record,
        known by its key and name) and query."""
        data = self.cleaned_data if self.is_valid() else {}
        chosen = {}
        for name, model in self.MODELS.items():
            pk = data.get(name)
            label = dict(self.fields[name].choices).get(pk) if pk is not None else None
            chosen[name] = model(pk=pk, name=label) if label is not None else None
        return {
            "status": data.get("status") or self.default_status,
            **chosen,
            "query": (data.get("q") or "").strip(),
        }


def _owner_choices():
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=[Role.RELATIONSHIP_MANAGER, Role.ADMINISTRATOR])
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


class ServiceForm(forms.Form):
    name = forms.CharField(max_length=160)
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="What the service does and for whom, in a few sentences.",
    )
    scope = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Where the service begins and ends, so provider and consumers agree on it.",
    )
    owner = forms.ModelChoiceField(
        queryset=get_user_model().objects.none(),
        required=False,
        help_text="Who answers for the service and its offerings (you, if left empty).",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _owner_choices()
        self.fields["owner"].label_from_instance = _user_label

    @classmethod
    def initial_for(cls, service: Service) -> dict:
        return {name: getattr(service, name) for name in ("name", "description", "scope", "owner")}


class OfferingForm(forms.Form):
    service = forms.ModelChoiceField(queryset=Service.objects.none(), empty_label="Choose a service…")
    name = forms.CharField(max_length=160)
    summary = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="A few lines for the catalogue card: what consumers get. Needed to publish.",
    )
    target_segments = forms.ModelMultipleChoiceField(
        queryset=MarketSegment.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The market segments the offering is shaped for.",
    )
    target_personas = forms.ModelMultipleChoiceField(
        queryset=Persona.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The personas whose needs it answers. Publishing needs a segment or a persona.",
    )
    journey_maps = forms.ModelMultipleChoiceField(
        queryset=JourneyMap.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Journey maps",
        help_text="The designed journey maps (as-is or to-be) of the journeys this offering serves.",
    )

    def __init__(self, *args, services, segments, personas, journey_maps=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = services
        self.fields["target_segments"].queryset = segments
        self.fields["target_personas"].queryset = personas
        if journey_maps is None:
            del self.fields["journey_maps"]
        else:
            # The maps come with their persona (select_related), so the labels cost no query each.
            self.fields["journey_maps"].queryset = journey_maps
            self.fields["journey_maps"].label_from_instance = lambda m: f"{m.persona.name}: {m}"

    @classmethod
    def initial_for(cls, offering, segments, personas, journey_maps=()) -> dict:
        return {
            "service": offering.service_id,
            "name": offering.name,
            "summary": offering.summary,
            "target_segments": [segment.pk for segment in segments],
            "target_personas": [persona.pk for persona in personas],
            "journey_maps": [journey_map.pk for journey_map in journey_maps],
        }


class ComponentForm(forms.Form):
    kind = forms.ChoiceField(choices=OfferingComponentKind.choices, initial=OfferingComponentKind.GOODS)
    name = forms.CharField(max_length=160, help_text="E.g. “Laptop with docking station”.")
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)

    @classmethod
    def initial_for(cls, component) -> dict:
        return {"kind": component.kind, "name": component.name, "description": component.description}


class EngagementTierForm(forms.Form):
    name = forms.CharField(max_length=80, help_text="E.g. “Self-service”, “Assisted”, “Dedicated”.")
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="What users at this tier get: channels, hours, attention.",
    )

    @classmethod
    def initial_for(cls, tier) -> dict:
        return {"name": tier.name, "description": tier.description}


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", "Up"), ("down", "Down")])


class ValuePropositionForm(forms.Form):
    """A proposition for one of the offering's targets: the choices list only those."""

    segment = forms.TypedChoiceField(coerce=int, required=False, empty_value=None, label="Target segment")
    persona = forms.TypedChoiceField(coerce=int, required=False, empty_value=None, label="Target persona")
    headline = forms.CharField(max_length=200, required=False, help_text="The promise in one line.")
    how_it_solves_problems = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        label="How it solves their problems",
        help_text="Which problems of the consumer the offering takes away, and how.",
    )
    what_to_expect = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        label="What they can expect",
        help_text="What changes for them once they have it.",
    )
    advantage_over_competitors = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Why us",
        help_text="Why they should choose us rather than another provider.",
    )
    target_decision_maker_role = forms.ChoiceField(
        choices=ConsumerRole.choices,
        initial=ConsumerRole.CUSTOMER,
        label="Written for the",
        help_text="The consumer role of the person who decides.",
    )
    decision_maker_title = forms.CharField(
        max_length=120, required=False, label="Their job title", help_text="E.g. “HR manager”."
    )

    def __init__(self, *args, segments=(), personas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self._segments = {segment.pk: segment for segment in segments}
        self._personas = {persona.pk: persona for persona in personas}
        self.fields["segment"].choices = [("", "—")] + [
            (pk, item.name) for pk, item in self._segments.items()
        ]
        self.fields["persona"].choices = [("", "—")] + [
            (pk, item.name) for pk, item in self._personas.items()
        ]

    @classmethod
    def initial_for(cls, proposition) -> dict:
        return {
            "segment": proposition.segment_id,
            "persona": proposition.persona_id,
            **{
                name: getattr(proposition, name)
                for name in (
                    "headline",
                    "how_it_solves_problems",
                    "what_to_expect",
                    "advantage_over_competitors",
                    "target_decision_maker_role",
                    "decision_maker_title",
                )
            },
        }

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["segment"] = self._segments.get(data.get("segment"))
        data["persona"] = self._personas.get(data.get("persona"))
        return data


class JourneySearchForm(forms.Form):
    """The link-a-journey type-ahead's search box (also read from the offering page's query string)."""

    q = forms.CharField(required=False, max_length=100, label="Find a journey to link")

    def query(self) -> str:
        return self.cleaned_data.get("q", "").strip() if self.is_valid() else ""


class JourneyLinkForm(forms.Form):
    """Link one journey, picked from the type-ahead's matches (each match posts its own id). The search
    text comes along so the page can show the same matches again afterwards."""

    journey = forms.IntegerField(
        widget=forms.HiddenInput,
        error_messages={"required": "Choose a journey.", "invalid": "Choose a journey."},
    )
    q = forms.CharField(required=False, max_length=100, widget=forms.HiddenInput)
