"""Forms of the relationship pages: the relationship's types, one ladder step, one communication plan.
They check types and choices; the services check the rules (the ladder's order, who may keep a plan)
and the actor's rights, and their errors land on the field they name."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model

from journeys.models import Channel
from journeys.roles import Role
from relationships.models import Cadence, LadderStatus, RelationshipType
from relationships.profiles import CLOSER_IS_NOT_ALWAYS_BETTER


class RelationshipTypesForm(forms.Form):
    current_type = forms.ChoiceField(
        choices=RelationshipType.choices,
        label="Type today",
        help_text="How the relationship actually works now, whatever the contract says.",
    )
    target_type = forms.ChoiceField(
        choices=RelationshipType.choices, label="Type aimed for", help_text=CLOSER_IS_NOT_ALWAYS_BETTER
    )
    notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Why this target: what the consumer wants from us, and what we want to invest.",
    )

    @classmethod
    def initial_for(cls, relationship) -> dict:
        return {
            "current_type": relationship.current_type,
            "target_type": relationship.target_type,
            "notes": relationship.notes,
        }


class RelationshipFilterForm(forms.Form):
    """The portfolio's filter: one relationship type, or all."""

    type = forms.ChoiceField(choices=[("", "All types"), *RelationshipType.choices], required=False)


class LadderStepForm(forms.Form):
    """One step's status and evidence; prefixed with the step, so the five forms of a page differ."""

    status = forms.ChoiceField(choices=LadderStatus.choices)
    evidence = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="What shows the progress: a meeting, a document, an assessment.",
    )


def plan_owner_choices() -> list[tuple[str, str]]:
    """People who may keep a plan going: active relationship managers and administrators, as choices
    for the plan form (loaded only when a form is shown)."""
    users = (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=[Role.RELATIONSHIP_MANAGER, Role.ADMINISTRATOR])
        .distinct()
        .order_by("first_name", "last_name", "username")
    )
    return [("", "The account's owner")] + [
        (str(user.pk), user.get_full_name() or user.username) for user in users
    ]


class CommunicationPlanForm(forms.Form):
    cadence_days = forms.TypedChoiceField(
        choices=Cadence.choices, coerce=int, initial=Cadence.MONTHLY, label="Cadence"
    )
    preferred_channel = forms.ChoiceField(choices=Channel.choices, initial=Channel.EMAIL, label="Channel")
    purpose = forms.CharField(
        max_length=240, required=False, help_text="What the contact is for, e.g. the monthly review."
    )
    starts_on = forms.DateField(
        required=False,
        label="Starts on",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Today, if left empty for a new plan.",
    )
    owner = forms.TypedChoiceField(
        choices=(), coerce=int, empty_value=None, required=False, help_text="Who keeps the contact going."
    )

    def __init__(self, *args, owners: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = owners

    @staticmethod
    def initial_for(plan) -> dict:
        if plan is None:
            return {}
        return {
            "cadence_days": plan.cadence_days,
            "preferred_channel": plan.preferred_channel,
            "purpose": plan.purpose,
            "starts_on": plan.starts_on,
            "owner": plan.owner_id,
        }
