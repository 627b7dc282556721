"""Forms of a plan's actions: planning one (its owner on either side, due date, the actions it waits
for), changing its status and commenting. The services check the rules (an owner on the action's
side, the due date after the plan's start, no circle of dependencies, no "done" while a dependency is
open) and their ApplicationError lands on the field it names."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model

from journeys.models import Stakeholder
from journeys.roles import Role
from offerings.models import OwnerParty
from onboarding.forms.plans import person_choice_label, user_choice_label
from onboarding.models import ActionArea, ActionStatus, OnboardingPlan, PlanAction

__all__ = ["ActionForm", "ActionStatusForm", "CommentForm", "browser_people"]

DATE = {"type": "date"}


def _max(name: str) -> int:
    return PlanAction._meta.get_field(name).max_length


def browser_people(keep_pk: int | None = None):
    """Our people who sign in to DSV (every role but the API-only integrator), active."""
    people = get_user_model().objects.filter(
        groups__name__in=[
            Role.RELATIONSHIP_MANAGER,
            Role.SERVICE_DESK_AGENT,
            Role.ANALYST,
            Role.ADMINISTRATOR,
        ],
        is_active=True,
    )
    if keep_pk:
        people = people | get_user_model().objects.filter(pk=keep_pk)
    return people.distinct().order_by("first_name", "last_name", "username")


class ActionForm(forms.Form):
    title = forms.CharField(
        max_length=_max("title"), help_text="What is to be done, e.g. Train the super-users."
    )
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    area = forms.ChoiceField(choices=[("", "—"), *ActionArea.choices], required=False)
    owner_party = forms.ChoiceField(
        choices=OwnerParty.choices,
        initial=OwnerParty.PROVIDER,
        widget=forms.RadioSelect,
        label="Done by",
        help_text="Name its owner on that side below.",
    )
    owner_user = forms.ModelChoiceField(
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label="—",
        label="Owner on our side",
        help_text="For an action we do.",
        error_messages={"invalid_choice": "Choose one of our people who sign in to DSV."},
    )
    owner_stakeholder = forms.ModelChoiceField(
        queryset=Stakeholder.objects.none(),
        required=False,
        empty_label="—",
        label="Owner on the consumer's side",
        help_text="For an action the consumer does; they answer through an e-mailed link.",
        error_messages={"invalid_choice": "Choose one of this account's people."},
    )
    owner_role = forms.CharField(
        max_length=_max("owner_role"),
        required=False,
        label="Owner's role",
        help_text="Who should do it, until a person is named.",
    )
    due_on = forms.DateField(widget=forms.DateInput(attrs=DATE), label="Due date")
    depends_on = forms.ModelMultipleChoiceField(
        queryset=PlanAction.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        label="Waits for",
        help_text="Actions of this plan that must be done first (hold Ctrl or ⌘ to choose several).",
        error_messages={"invalid_choice": "Choose actions of this plan."},
    )

    def __init__(self, *args, plan: OnboardingPlan, action: PlanAction | None = None, **kw):
        super().__init__(*args, **kw)
        self.fields["owner_user"].queryset = browser_people(action.owner_user_id if action else None)
        self.fields["owner_user"].label_from_instance = user_choice_label
        self.fields["owner_stakeholder"].queryset = Stakeholder.objects.filter(
            organization_id=plan.organization_id
        ).order_by("name", "pk")
        self.fields["owner_stakeholder"].label_from_instance = person_choice_label
        others = PlanAction.objects.filter(plan_id=plan.pk).order_by("due_on", "position", "pk")
        if action is not None:
            others = others.exclude(pk=action.pk)
        self.fields["depends_on"].queryset = others
        self.fields["depends_on"].label_from_instance = lambda other: (
            f"{other.title} (due {other.due_on:%-d %b})"
        )

    @classmethod
    def initial_for(cls, action: PlanAction) -> dict:
        simple = ("title", "description", "area", "owner_party", "owner_role", "due_on")
        return {name: getattr(action, name) for name in simple} | {
            "owner_user": action.owner_user_id,
            "owner_stakeholder": action.owner_stakeholder_id,
            "depends_on": list(action.dependency_links.values_list("depends_on_id", flat=True)),
        }

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["depends_on"] = list(data.get("depends_on") or [])
        for name in ("description", "area", "owner_role"):
            data[name] = data.get(name) or ""
        return data


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(
        choices=ActionStatus.choices, error_messages={"invalid_choice": "Choose one of the statuses."}
    )
    evidence = forms.CharField(
        max_length=4000, required=False, help_text="What shows it done: a link or a note."
    )


class CommentForm(forms.Form):
    body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,
        label="Comment",
        error_messages={"required": "Write the comment."},
    )
