"""Forms of the Explore pages. They check types and choices; the services check the rules and the
actor's rights, and their ApplicationError lands on the field it names."""

from __future__ import annotations

from django import forms

from exploration.models import MarketSegment, SegmentationApproach, SegmentationBasis
from exploration.selectors import MEASURES


class MarketSegmentForm(forms.Form):
    name = forms.CharField(max_length=120)
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="Who these consumers are, in a sentence or two.",
    )
    approach = forms.ChoiceField(
        choices=SegmentationApproach.choices,
        initial=SegmentationApproach.CHARACTERISTIC_BASED,
        widget=forms.RadioSelect,
        help_text="Group by what the organizations are like, or by what they need from us.",
    )
    basis = forms.ChoiceField(
        choices=[("", "—"), *SegmentationBasis.choices],
        required=False,
        help_text="Where they are, what they are, how they buy and use, or what they value. "
        "Required when the segment is characteristic-based.",
    )
    criteria = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="The test an organization must meet to belong here, e.g. “hospitals with more than "
        "2,000 staff” or “needs round-the-clock support for its field teams”.",
    )
    is_homogeneous = forms.BooleanField(
        required=False, label="Homogeneity: the members need much the same things"
    )
    homogeneity_notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, label="Why (homogeneity)"
    )
    is_distinct = forms.BooleanField(
        required=False, label="Distinction: this group clearly differs from our other segments"
    )
    distinction_notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, label="Why (distinction)"
    )
    reacts_alike = forms.BooleanField(
        required=False, label="Reaction: the members respond alike to what we offer and say"
    )
    reaction_notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, label="Why (reaction)"
    )

    @classmethod
    def initial_for(cls, segment: MarketSegment) -> dict:
        return {name: getattr(segment, name) for name in cls.base_fields}


class SegmentMemberForm(forms.Form):
    """Add one organization, picked from the type-ahead's matches (each match posts its own id). The
    search text comes along so the page can show the same matches again after the add."""

    organization = forms.IntegerField(
        widget=forms.HiddenInput,
        error_messages={
            "required": "Choose a consumer organization.",
            "invalid": "Choose a consumer organization.",
        },
    )
    q = forms.CharField(required=False, max_length=100, widget=forms.HiddenInput)


class CandidateSearchForm(forms.Form):
    """The add-member type-ahead's search box (also read from the segment page's query string)."""

    q = forms.CharField(required=False, max_length=100, label="Find a consumer organization to add")

    def query(self) -> str:
        return self.cleaned_data.get("q", "").strip() if self.is_valid() else ""


class PersonaLinkForm(forms.Form):
    """Link one of the personas not yet linked to the segment (personas are few: a plain select)."""

    persona = forms.TypedChoiceField(coerce=int, label="Link a persona", empty_value=None)

    def __init__(self, *args, personas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self._personas = {persona.pk: persona for persona in personas}
        self.fields["persona"].choices = [("", "Choose a persona…")] + [
            (pk, persona.name) for pk, persona in self._personas.items()
        ]

    def chosen_persona(self):
        return self._personas.get(self.cleaned_data.get("persona"))


class ParetoForm(forms.Form):
    """The analysis' settings, read from the query string; anything unknown falls back to the default."""

    measure = forms.ChoiceField(choices=list(MEASURES.items()), required=False)
    segment = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)

    def __init__(self, *args, segments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self._segments = {segment.pk: segment for segment in segments}
        self.fields["segment"].choices = [("", "All consumer organizations")] + [
            (segment.pk, segment.name) for segment in segments
        ]

    def settings(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "measure": data.get("measure") or "revenue",
            "segment": self._segments.get(data.get("segment")),
        }
