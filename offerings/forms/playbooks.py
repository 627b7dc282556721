"""Forms of the onboarding playbook pages. They check types and choices; the services check the rules
(the days' range, dependencies that go round in a circle) and their ApplicationError lands on the
field it names."""

from __future__ import annotations

from django import forms

from offerings.models import OwnerParty
from offerings.services.playbooks import MAX_DUE_AFTER_DAYS


class PlaybookForm(forms.Form):
    name = forms.CharField(max_length=160, help_text="E.g. “Standard onboarding” or “Full transition”.")
    vision = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        label="Expected result",
        help_text="What onboarding should have achieved when it is over.",
    )
    scope = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label="Starting point and scope",
        help_text="Where consumers usually start, what is in scope and the resources it takes.",
    )
    goals = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="What onboarding aims for, including how our resources and theirs work together.",
    )
    controls = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        label="Controls and measures",
        help_text="How you will tell, against the starting point and the goals, that it worked.",
    )

    @classmethod
    def initial_for(cls, playbook) -> dict:
        return {name: getattr(playbook, name) for name in cls.base_fields}


class PlaybookActionForm(forms.Form):
    title = forms.CharField(max_length=200)
    owner_party = forms.ChoiceField(
        choices=OwnerParty.choices,
        initial=OwnerParty.PROVIDER,
        widget=forms.RadioSelect,
        label="Carried out by",
    )
    owner_role = forms.CharField(
        max_length=120, required=False, label="Who on that side", help_text="E.g. “the customer's IT lead”."
    )
    due_after_days = forms.IntegerField(
        min_value=0,
        max_value=MAX_DUE_AFTER_DAYS,
        initial=0,
        label="Due after (days)",
        help_text="Days after onboarding starts; 0 is the first day.",
    )
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    depends_on = forms.TypedMultipleChoiceField(
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Waits for",
        help_text="The actions that must be done first.",
    )

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self._candidates = {action.pk: action for action in candidates}
        self.fields["depends_on"].choices = [(pk, action.title) for pk, action in self._candidates.items()]

    @classmethod
    def initial_for(cls, action, prerequisites) -> dict:
        return {
            "title": action.title,
            "owner_party": action.owner_party,
            "owner_role": action.owner_role,
            "due_after_days": action.due_after_days,
            "description": action.description,
            "depends_on": [prerequisite.pk for prerequisite in prerequisites],
        }

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["depends_on"] = [self._candidates[pk] for pk in data.get("depends_on", [])]
        return data
