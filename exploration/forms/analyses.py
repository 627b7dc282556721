"""Forms of the SWOT and PESTLE pages. They check types and choices; the services check the subject
rules and the actor's rights, and their ApplicationError lands on the field it names."""

from __future__ import annotations

from django import forms

from exploration.models import (
    AnalysisSubject,
    MarketSegment,
    PestleArea,
    PestleEffect,
    PestleFactor,
    SwotItem,
    SwotQuadrant,
)
from journeys.selectors import organization_scope

SCALE = [(value, str(value)) for value in range(1, 6)]


class AnalysisForm(forms.Form):
    """Title and subject of a SWOT or PESTLE analysis; the organization list holds only the
    organizations the user may see."""

    title = forms.CharField(max_length=160)
    subject = forms.ChoiceField(
        choices=AnalysisSubject.choices,
        initial=AnalysisSubject.PROVIDER,
        widget=forms.RadioSelect,
        label="What does it look at?",
    )
    organization = forms.ModelChoiceField(
        queryset=None,
        required=False,
        empty_label="—",
        help_text="Needed when the analysis looks at one organization.",
        error_messages={"invalid_choice": "Choose one of the organizations you look after."},
    )
    segment = forms.ModelChoiceField(
        queryset=None,
        required=False,
        empty_label="—",
        label="Market segment",
        help_text="Needed when the analysis looks at a market segment.",
        error_messages={"invalid_choice": "Choose one of the market segments."},
    )
    analysed_on = forms.DateField(
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        label="Analysed on",
        help_text="Today when left empty.",
    )
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organization_scope(user).order_by("name", "pk")
        self.fields["segment"].queryset = MarketSegment.objects.order_by("name")

    @classmethod
    def initial_for(cls, analysis) -> dict:
        return {
            "title": analysis.title,
            "subject": analysis.subject,
            "organization": analysis.organization_id,
            "segment": analysis.segment_id,
            "analysed_on": analysis.analysed_on,
            "notes": analysis.notes,
        }

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["notes"] = data.get("notes") or ""
        return data


class AnalysisFilterForm(forms.Form):
    """The list's filters, read from the query string; an unknown value is ignored."""

    subject = forms.ChoiceField(choices=[("", "Any subject"), *AnalysisSubject.choices], required=False)
    organization = forms.ModelChoiceField(queryset=None, required=False, empty_label="Any organization")
    segment = forms.ModelChoiceField(queryset=None, required=False, empty_label="Any segment")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organization_scope(user).order_by("name", "pk")
        self.fields["segment"].queryset = MarketSegment.objects.order_by("name")

    def filters(self) -> dict:
        if not self.is_bound:
            return {}
        self.is_valid()  # a field with a bad value is left out of cleaned_data, hence ignored
        return {name: self.cleaned_data.get(name) or None for name in ("subject", "organization", "segment")}


class SwotItemForm(forms.Form):
    quadrant = forms.ChoiceField(choices=SwotQuadrant.choices)
    text = forms.CharField(max_length=SwotItem._meta.get_field("text").max_length, label="Item")
    weight = forms.TypedChoiceField(
        choices=SCALE, coerce=int, initial=1, help_text="1 counts a little, 5 a great deal."
    )

    @classmethod
    def initial_for(cls, item: SwotItem) -> dict:
        return {"quadrant": item.quadrant, "text": item.text, "weight": item.weight}


class PestlePullForm(forms.Form):
    """Tick the PESTLE opportunities and threats to bring onto the SWOT board."""

    factors = forms.TypedMultipleChoiceField(
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        label="Factors to pull in",
        error_messages={
            "required": "Tick at least one factor to pull in.",
            "invalid_choice": "Factor %(value)s cannot be pulled into this analysis.",
        },
    )

    def __init__(self, *args, factors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["factors"].choices = [
            (
                factor.pk,
                f"{factor.get_effect_display()}: {factor.factor} "
                f"({factor.get_area_display()}, impact {factor.impact}) — {factor.analysis.title}",
            )
            for factor in factors
        ]


class PestleFactorForm(forms.Form):
    area = forms.ChoiceField(choices=PestleArea.choices)
    factor = forms.CharField(
        max_length=PestleFactor._meta.get_field("factor").max_length,
        help_text="Pick a suggestion or write your own.",
    )
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="What is happening, and what it would mean for the subject.",
    )
    effect = forms.ChoiceField(choices=PestleEffect.choices, initial=PestleEffect.OPPORTUNITY)
    impact = forms.TypedChoiceField(choices=SCALE, coerce=int, initial=3, help_text="1 slight, 5 severe.")
    likelihood = forms.TypedChoiceField(
        choices=SCALE, coerce=int, initial=3, help_text="1 unlikely, 5 already happening."
    )

    @classmethod
    def initial_for(cls, factor: PestleFactor) -> dict:
        return {name: getattr(factor, name) for name in cls.base_fields}

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["description"] = data.get("description") or ""
        return data
