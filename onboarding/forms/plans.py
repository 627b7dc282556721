"""Forms of the plan pages. They check types and choices; the services check the rules (the end after
the start, a consumer's own people, the owner's role, a reason for leaving, the lifecycle's guards)
and the actor's rights, and their ApplicationError lands on the field it names."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.contrib.auth import get_user_model

from journeys.models import Journey, Organization, Stakeholder
from journeys.roles import Role
from offerings.models import OfferingStatus, ServiceOffering
from onboarding.models import (
    ControlApproach,
    CustomerScenario,
    OffboardingKind,
    OffboardingReason,
    OnboardingPlan,
    PlanKind,
    PlanStatus,
    StartTrigger,
)
from onboarding.selectors.board import BOARD_STATUS_OPEN

__all__ = [
    "AcceptForm",
    "BoardFilterForm",
    "PlanForm",
    "PlaybookPlanForm",
    "TransitionForm",
    "board_query",
    "person_choice_label",
    "user_choice_label",
]

DATE = {"type": "date"}
OFFBOARDING_FIELDS = ("offboarding_kind", "reason", "confidential", "lessons_learned")
_TEXT_FIELDS = ("user_groups", "locations", "scope_notes", "lessons_learned")
_CHOICE_FIELDS = ("scenario", "start_trigger", "control_approach", "offboarding_kind", "reason")


def _max(name: str) -> int:
    return OnboardingPlan._meta.get_field(name).max_length


def user_choice_label(user) -> str:
    return user.get_full_name() or user.username


def person_choice_label(person: Stakeholder) -> str:
    return f"{person.name}, {person.job_title}" if person.job_title else person.name


def _blank(choices) -> list:
    return [("", "—"), *choices]


def _plan_owners(keep_pk: int | None):
    """Relationship managers and administrators who are active (and the current owner, kept)."""
    people = get_user_model().objects.filter(
        groups__name__in=[Role.RELATIONSHIP_MANAGER, Role.ADMINISTRATOR], is_active=True
    )
    if keep_pk:
        people = people | get_user_model().objects.filter(pk=keep_pk)
    return people.distinct().order_by("first_name", "last_name", "username")


def _account_people(organization: Organization):
    return Stakeholder.objects.filter(organization=organization).order_by("-is_customer", "name", "pk")


class _PeopleMixin:
    """The owner (our people) and the customer contact (the account's people)."""

    def _set_people(self, organization: Organization, owner_pk: int | None) -> None:
        self.fields["owner"].queryset = _plan_owners(owner_pk)
        self.fields["owner"].label_from_instance = user_choice_label
        self.fields["customer_contact"].queryset = _account_people(organization)
        self.fields["customer_contact"].label_from_instance = person_choice_label


class PlanForm(_PeopleMixin, forms.Form):
    """A plan's details; its status changes with the lifecycle buttons on its page. An onboarding plan
    has no offboarding fields."""

    title = forms.CharField(max_length=_max("title"), help_text="e.g. Onboarding the Utrecht branches.")
    starts_on = forms.DateField(
        widget=forms.DateInput(attrs=DATE), label="Start date", help_text="No action may be due before it."
    )
    ends_on = forms.DateField(
        required=False,
        widget=forms.DateInput(attrs=DATE),
        label="End date",
        help_text="When it should be done.",
    )
    owner = forms.ModelChoiceField(
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label="—",
        help_text="Our person accountable for the plan; the weekly digest goes to them.",
        error_messages={"invalid_choice": "Choose a relationship manager or administrator."},
    )
    customer_contact = forms.ModelChoiceField(
        queryset=Stakeholder.objects.none(),
        required=False,
        empty_label="—",
        label="Customer contact",
        help_text="The consumer's person who reviews and accepts the plan.",
        error_messages={"invalid_choice": "Choose one of this account's people."},
    )
    journey = forms.ModelChoiceField(
        queryset=Journey.objects.none(),
        required=False,
        empty_label="—",
        help_text="The journey that moves on when the plan is completed (left empty on a new plan: the"
        " account's active journey in Agree or Onboard, if it has one).",
        error_messages={"invalid_choice": "Choose one of this account's journeys."},
    )
    scenario = forms.ChoiceField(choices=_blank(CustomerScenario.choices), required=False)
    start_trigger = forms.ChoiceField(
        choices=_blank(StartTrigger.choices),
        required=False,
        label="Start trigger",
        help_text="What starts it.",
    )
    control_approach = forms.ChoiceField(
        choices=_blank(ControlApproach.choices),
        required=False,
        label="Control approach",
        help_text="How progress is controlled and success checked.",
    )
    offerings = forms.ModelMultipleChoiceField(
        queryset=ServiceOffering.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Offerings in scope",
        error_messages={"invalid_choice": "Choose offerings from the catalogue."},
    )
    user_groups = forms.CharField(max_length=_max("user_groups"), required=False, label="User groups")
    locations = forms.CharField(max_length=_max("locations"), required=False)
    user_count = forms.IntegerField(min_value=0, required=False, label="Number of users")
    scope_notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label="Scope notes",
        help_text="The consumer's resources to bring on board and ours that it needs.",
    )
    offboarding_kind = forms.ChoiceField(
        choices=_blank(OffboardingKind.choices), required=False, label="Who leaves"
    )
    reason = forms.ChoiceField(
        choices=_blank(OffboardingReason.choices), required=False, label="Why they leave"
    )
    confidential = forms.BooleanField(required=False, label="Keep the reason to those who change plans")
    lessons_learned = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, label="Lessons learned"
    )

    def __init__(
        self, *args, organization: Organization, kind: str, plan: OnboardingPlan | None = None, **kw
    ):
        super().__init__(*args, **kw)
        self._set_people(organization, plan.owner_id if plan else None)
        self.fields["journey"].queryset = Journey.objects.filter(organization=organization).order_by(
            "name", "pk"
        )
        self.fields["journey"].label_from_instance = lambda journey: journey.name
        offerings = ServiceOffering.objects.exclude(status=OfferingStatus.RETIRED)
        if plan is not None:
            offerings = offerings | ServiceOffering.objects.filter(onboarding_plans=plan)
        self.fields["offerings"].queryset = offerings.distinct().order_by("name", "pk")
        self.fields["offerings"].label_from_instance = lambda offering: offering.name
        if kind != PlanKind.OFFBOARDING:
            for name in OFFBOARDING_FIELDS:
                del self.fields[name]

    @classmethod
    def initial_for(cls, plan: OnboardingPlan) -> dict:
        names = [
            name
            for name in cls.base_fields
            if name not in ("owner", "customer_contact", "journey", "offerings")
        ]
        return {name: getattr(plan, name) for name in names} | {
            "owner": plan.owner_id,
            "customer_contact": plan.customer_contact_id,
            "journey": plan.journey_id,
            "offerings": list(plan.offerings.values_list("pk", flat=True)),
        }

    def service_data(self, *, creating: bool = False) -> dict:
        """The fields as the services take them. A new plan with no journey chosen is left to the
        services, which look for the account's journey in Agree or Onboard."""
        data = dict(self.cleaned_data)
        if creating and data.get("journey") is None:
            data.pop("journey", None)
        data["offerings"] = list(data.get("offerings") or [])
        for name in (*_TEXT_FIELDS, *_CHOICE_FIELDS):
            if name in data:
                data[name] = data.get(name) or ""
        return data


class PlaybookPlanForm(_PeopleMixin, forms.Form):
    """A plan started from a playbook: its actions come from the playbook, scheduled from the start."""

    starts_on = forms.DateField(
        widget=forms.DateInput(attrs=DATE),
        label="Start date",
        help_text="The playbook's actions are due so many days after it.",
    )
    title = forms.CharField(
        max_length=_max("title"),
        required=False,
        help_text="Leave empty to name it after the account and offering.",
    )
    agreement = forms.TypedChoiceField(
        coerce=int,
        empty_value=None,
        required=False,
        label="Agreement",
        help_text="The agreement whose services it brings into use.",
        error_messages={"invalid_choice": "Choose one of the account's agreements that cover the offering."},
    )
    owner = PlanForm.base_fields["owner"]
    customer_contact = PlanForm.base_fields["customer_contact"]

    def __init__(self, *args, organization: Organization, agreements: list[tuple[int, str]], **kw):
        super().__init__(*args, **kw)
        self._set_people(organization, None)
        self.fields["agreement"].choices = [("", "—"), *agreements]

    def service_data(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name != "agreement"}


class TransitionForm(forms.Form):
    to_status = forms.ChoiceField(
        choices=PlanStatus.choices,
        label="Move to",
        error_messages={"invalid_choice": "Choose one of the statuses."},
    )
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=500,
        help_text="Why, for whoever picks it up next.",
    )


class AcceptForm(forms.Form):
    accepted_by = forms.ModelChoiceField(
        queryset=Stakeholder.objects.none(),
        label="Accepted by",
        help_text="The customer's person who accepted the plan.",
        error_messages={"invalid_choice": "Choose one of this account's people."},
    )
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="What they agreed to, or asked for.",
    )

    def __init__(self, *args, organization: Organization, **kw):
        super().__init__(*args, **kw)
        self.fields["accepted_by"].queryset = _account_people(organization)
        self.fields["accepted_by"].label_from_instance = person_choice_label


class BoardFilterForm(forms.Form):
    """The board's filters, read from the query string; an unknown value is ignored."""

    kind = forms.ChoiceField(required=False, choices=[("", "Any kind"), *PlanKind.choices])
    status = forms.ChoiceField(
        required=False,
        choices=[
            ("", "Any status"),
            (BOARD_STATUS_OPEN, "Under way (not completed or cancelled)"),
            *PlanStatus.choices,
        ],
    )
    mine = forms.BooleanField(required=False, label="Only the plans I own")

    def filters(self) -> dict:
        if not self.is_bound:
            return {"kind": "", "status": "", "mine": False}
        self.is_valid()
        data = self.cleaned_data
        return {
            "kind": data.get("kind") or "",
            "status": data.get("status") or "",
            "mine": bool(data.get("mine")),
        }


def board_query(*, kind: str = "", status: str = "", mine: bool = False) -> str:
    """The board's query string for a set of filters (empty when none is set)."""
    query = {"kind": kind, "status": status, "mine": "on" if mine else ""}
    return urlencode({name: value for name, value in query.items() if value})
