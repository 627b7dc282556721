"""Forms of the requirement pages. They check types and choices; the services check the rules (the
WSJF scale, a job size of at least 1, what each lifecycle status needs) and the actor's rights, and
their ApplicationError lands on the field it names."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q

from journeys.models import Journey, Organization
from journeys.roles import Role
from offerings.models import (
    MoscowCategory,
    NonFunctionalCategory,
    OfferingStatus,
    Requirement,
    RequirementKind,
    RequirementStatus,
    ServiceOffering,
)
from offerings.prioritization import WSJF_SCALE
from offerings.selectors import BOARD_COLUMNS, BOARD_ORDERS
from offerings.services import MOVE_DIRECTIONS

SCALE_TEXT = ", ".join(map(str, WSJF_SCALE))
_SCALE_CHOICES = [("", "—"), *((value, str(value)) for value in WSJF_SCALE)]
_OFF_SCALE = f"Use one of {SCALE_TEXT} (the scale's gaps widen as the figures grow)."
# Column keys as forms and URLs carry them ("unprioritized" stands for the empty category).
COLUMN_KEYS = {key: moscow for moscow, key, _label in BOARD_COLUMNS}
INVEST_FIELDS = ("is_independent", "is_negotiable", "is_valuable", "is_estimable", "is_small", "is_testable")


def _max_length(name: str) -> int:
    return Requirement._meta.get_field(name).max_length


def _component(label: str, help_text: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        choices=_SCALE_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        label=label,
        help_text=help_text,
        error_messages={"invalid_choice": _OFF_SCALE},
    )


def _people(also=None):
    """Who may own a requirement: relationship managers and administrators (and whoever owns it now)."""
    eligible = Q(groups__name__in=[Role.RELATIONSHIP_MANAGER, Role.ADMINISTRATOR], is_active=True)
    if also is not None:
        eligible |= Q(pk=also)
    return get_user_model().objects.filter(eligible).distinct().order_by("first_name", "username")


def _name_of(user) -> str:
    return user.get_full_name() or user.username


class RequirementForm(forms.Form):
    title = forms.CharField(max_length=_max_length("title"))
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    kind = forms.ChoiceField(choices=RequirementKind.choices, initial=RequirementKind.UTILITY)
    non_functional_category = forms.ChoiceField(
        choices=[("", "—"), *NonFunctionalCategory.choices],
        required=False,
        label="Non-functional category",
        help_text="For a non-functional requirement: the quality it is about.",
    )
    as_a = forms.CharField(
        max_length=_max_length("as_a"),
        required=False,
        label="As a …",
        help_text="The role that has the need.",
    )
    i_want = forms.CharField(
        max_length=_max_length("i_want"), required=False, label="I want …", help_text="What they need."
    )
    so_that = forms.CharField(
        max_length=_max_length("so_that"),
        required=False,
        label="so that …",
        help_text="What they gain from it: the benefit.",
    )
    acceptance_criteria = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="The tests it must pass to count as met; needed from “acceptance test defined” on.",
    )
    status = forms.ChoiceField(choices=RequirementStatus.choices, initial=RequirementStatus.NEED_IDENTIFIED)
    moscow = forms.ChoiceField(
        choices=[("", "Not yet prioritized"), *MoscowCategory.choices],
        required=False,
        label="MoSCoW category",
        help_text="As agreed with the customer; needed from “prioritized” on.",
    )
    candidate_release = forms.CharField(
        max_length=_max_length("candidate_release"),
        required=False,
        help_text="For a won't-have: the release it might come in.",
    )
    service_impact = _component("Service impact", "The value of its outcome.")
    urgency = _component("Urgency", "How fast that value drops while it waits (time criticality).")
    risk_reduction = _component(
        "Risk reduction / opportunity enablement", "The uncertainty it removes or the opportunity it opens."
    )
    job_size = forms.IntegerField(
        required=False,
        label="Job size",
        help_text="Its size or duration, 1 or more; the WSJF score is the cost of delay divided by it.",
    )
    is_independent = forms.BooleanField(required=False, label="Independent of other stories")
    is_negotiable = forms.BooleanField(required=False, label="Negotiable: leaves room for how it is met")
    is_valuable = forms.BooleanField(required=False, label="Valuable to the user or customer")
    is_estimable = forms.BooleanField(required=False, label="Estimable: the team can size it")
    is_small = forms.BooleanField(required=False, label="Small enough for one sprint")
    is_testable = forms.BooleanField(required=False, label="Testable against its acceptance criteria")
    journey = forms.ModelChoiceField(
        queryset=Journey.objects.none(),
        required=False,
        empty_label="—",
        error_messages={"invalid_choice": "Choose one of this account's journeys."},
    )
    offering = forms.ModelChoiceField(
        queryset=ServiceOffering.objects.none(),
        required=False,
        empty_label="—",
        label="Service offering",
        error_messages={"invalid_choice": "Choose one of the offerings in the catalogue."},
    )
    owner = forms.ModelChoiceField(
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label="—",
        label="Requirement owner",
        help_text="Who collects, tracks and validates it with the consumer.",
    )

    def __init__(self, *args, organization: Organization, requirement: Requirement | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["journey"].queryset = Journey.objects.filter(organization=organization).order_by(
            "name", "pk"
        )
        # Retired offerings are no longer offered; one the requirement already names stays choosable.
        current = requirement.offering_id if requirement else None
        self.fields["offering"].queryset = ServiceOffering.objects.filter(
            ~Q(status=OfferingStatus.RETIRED) | Q(pk=current)
        ).order_by("name", "pk")
        self.fields["offering"].label_from_instance = lambda offering: offering.name
        owner = requirement.owner_id if requirement else None
        self.fields["owner"].queryset = _people(also=owner)
        self.fields["owner"].label_from_instance = _name_of

    @classmethod
    def initial_for(cls, requirement: Requirement) -> dict:
        initial = {
            name: getattr(requirement, name)
            for name in cls.base_fields
            if name not in ("journey", "offering", "owner")
        }
        initial |= {
            "journey": requirement.journey_id,
            "offering": requirement.offering_id,
            "owner": requirement.owner_id,
        }
        return initial

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        for name in (
            "description",
            "as_a",
            "i_want",
            "so_that",
            "acceptance_criteria",
            "candidate_release",
            "moscow",
            "non_functional_category",
        ):
            data[name] = data.get(name) or ""
        return data


class BoardViewForm(forms.Form):
    """How the board is shown, read from the query string: its order and what it is narrowed to. An
    unknown value is ignored (an old bookmark still opens the board)."""

    order = forms.ChoiceField(
        choices=[("rank", "Agreed rank"), ("wsjf", "WSJF score")],
        required=False,
        label="Order each column by",
    )
    journey = forms.TypedChoiceField(coerce=int, empty_value=None, required=False)
    offering = forms.TypedChoiceField(coerce=int, empty_value=None, required=False, label="Service offering")

    def __init__(self, *args, journeys=(), offerings=(), **kwargs):
        super().__init__(*args, **kwargs)
        # The choices come from the board's selector, as instances; the view hands those back.
        self._choices = {
            "journey": {item.pk: item for item in journeys},
            "offering": {item.pk: item for item in offerings},
        }
        self.fields["journey"].choices = [("", "Any journey"), *((item.pk, item.name) for item in journeys)]
        self.fields["offering"].choices = [
            ("", "Any offering"),
            *((item.pk, item.name) for item in offerings),
        ]

    def view(self) -> dict:
        """The order and the chosen journey and offering (instances, or None)."""
        if not self.is_bound:
            return {"order": "rank", "journey": None, "offering": None}
        self.is_valid()  # a field with a bad value is left out of cleaned_data, hence ignored
        order = self.cleaned_data.get("order")
        return {
            "order": order if order in BOARD_ORDERS else "rank",
            **{
                name: self._choices[name].get(self.cleaned_data.get(name)) for name in ("journey", "offering")
            },
        }


def board_query(*, order: str = "rank", journey=None, offering=None) -> str:
    """The board's query string for a view (empty for the default one)."""
    query = {}
    if order != "rank":
        query["order"] = order
    if journey is not None:
        query["journey"] = journey.pk
    if offering is not None:
        query["offering"] = offering.pk
    return urlencode(query)


class RequirementMoveForm(forms.Form):
    """A move on the board, sent by the button pressed as `move=<requirement id>:<where>`, where is
    `up` or `down` (one place in its column), a column key (`must` … `unprioritized`: to that column)
    or a number (that position in its own column: on a narrowed board the arrows move a card past its
    visible neighbour, whatever lies between). One form per column carries the buttons of all its
    cards. `board` carries the board's view so the answer shows the same one."""

    move = forms.CharField(max_length=40, error_messages={"required": "Say which card to move, and where."})
    board = forms.CharField(required=False, max_length=200)

    def clean_move(self) -> dict:
        pk, _, where = self.cleaned_data["move"].partition(":")
        if not pk.isdigit():
            raise forms.ValidationError("Say which card to move, and where.")
        move = {"requirement": int(pk), "direction": "", "to": "", "position": None}
        if where in MOVE_DIRECTIONS:
            move["direction"] = where
        elif where in COLUMN_KEYS:
            move["to"] = where
        elif where.isdigit() and int(where) > 0:
            move["position"] = int(where)
        else:
            raise forms.ValidationError(
                f"“{where}” is no place on the board: use up, down, a column or a position from 1."
            )
        return move


class ColumnForm(forms.Form):
    """The column whose order a write concerns (ranking a column by WSJF)."""

    column = forms.ChoiceField(
        choices=[(key, key) for key in COLUMN_KEYS],
        error_messages={"invalid_choice": "Choose one of the board's columns."},
    )
    board = forms.CharField(required=False, max_length=200)

    @property
    def moscow(self) -> str:
        return COLUMN_KEYS[self.cleaned_data["column"]]
