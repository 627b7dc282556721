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
    """Pick one of the consumer organizations the user may see that is not yet a member."""

    organization = forms.ChoiceField(label="Add an organization")

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self._candidates = {str(organization.pk): organization for organization in candidates}
        self.fields["organization"].choices = [("", "Choose a consumer organization…")] + [
            (key, organization.name) for key, organization in self._candidates.items()
        ]

    def chosen_organization(self):
        return self._candidates.get(self.cleaned_data.get("organization") or "")


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
