"""Forms of the request pages: the list's filters, a new request, its edit form, a move along the
lifecycle and a note. They check types and choices, each error naming its field; the services
(cocreation.services.requests) check the rules and the actor's rights, and their errors land on the
field they name (journeys.web.form_submitted)."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.contrib.auth import get_user_model

from agreements.models import Agreement
from cocreation import selectors
from cocreation.models import (
    Level,
    Priority,
    RequestKind,
    RequestStatus,
    ServiceRequest,
    priority_for,
)
from journeys.models import Channel, JourneyStep, Stakeholder

__all__ = [
    "CommentForm",
    "RequestEditForm",
    "RequestFilterForm",
    "RequestForm",
    "TransitionForm",
    "priority_matrix",
]

STATUS_OPEN = "open"
STATUS_ALL = "all"
ASSIGNEE_ME = "me"
ASSIGNEE_NOBODY = "unassigned"
TEXT_LIMIT = 10_000
PRIORITY_HELP = (
    "Impact and urgency set the priority: high and high is P1, low and low is P5, and each step down in"
    " either lowers it by one (see the table)."
)


def priority_matrix() -> list[tuple[str, list[str]]]:
    """The priority of each impact (rows) × urgency (columns), as the form's help shows it."""
    return [
        (impact.label, [Priority(priority_for(impact, urgency)).label for urgency in Level])
        for impact in Level
    ]


def _person_label(user) -> str:
    return user.get_full_name() or user.get_username()


# --- the list's filters -----------------------------------------------------------------------------


class RequestFilterForm(forms.Form):
    """The request list's filters, read from the query string; an unknown value is ignored. Without a
    status the list shows the open requests."""

    status = forms.ChoiceField(
        required=False,
        choices=[
            (STATUS_OPEN, "Open (new, in progress, waiting)"),
            *RequestStatus.choices,
            (STATUS_ALL, "Any status"),
        ],
    )
    kind = forms.ChoiceField(required=False, choices=[("", "Any kind"), *RequestKind.choices])
    priority = forms.TypedChoiceField(
        required=False, coerce=int, empty_value=None, choices=[("", "Any priority"), *Priority.choices]
    )
    assignee = forms.ChoiceField(
        required=False,
        label="Assigned to",
        choices=[("", "Anyone"), (ASSIGNEE_ME, "Me"), (ASSIGNEE_NOBODY, "Nobody yet")],
    )
    clock = forms.ChoiceField(
        required=False,
        choices=[
            ("", "Any clock"),
            ("breached", "Breached"),
            ("warning", "Close to its limit"),
            ("paused", "Paused"),
        ],
    )
    step = forms.ChoiceField(
        required=False, label="Journey step", choices=[("", "Any step"), *JourneyStep.choices]
    )
    q = forms.CharField(required=False, max_length=100, label="Search")

    FIELDS = ("status", "kind", "priority", "assignee", "clock", "step", "q")

    def values(self) -> dict:
        """The filters in force, each an empty value when not set or not understood."""
        values = dict.fromkeys(self.FIELDS, "")
        values["priority"] = None
        if self.is_bound:
            self.is_valid()
            for name in self.FIELDS:
                if name in self.cleaned_data and self.cleaned_data[name] not in (None, ""):
                    values[name] = self.cleaned_data[name]
            values["q"] = (values["q"] or "").strip()
        return values

    def selector_arguments(self, user) -> dict:
        """The keyword arguments of selectors.request_list for these filters."""
        values = self.values()
        status = values["status"] or STATUS_OPEN
        return {
            "status": "" if status == STATUS_ALL else status,
            "kind": values["kind"],
            "priority": values["priority"],
            "assignee": user if values["assignee"] == ASSIGNEE_ME else None,
            "unassigned": values["assignee"] == ASSIGNEE_NOBODY,
            "clock": values["clock"],
            "step": values["step"],
            "query": values["q"],
        }

    def filtered(self) -> bool:
        """Whether anything but the default (open requests) is asked for."""
        values = self.values()
        return any(value for name, value in values.items() if name != "status") or values["status"] not in (
            "",
            STATUS_OPEN,
        )

    def query(self) -> str:
        """The query string of these filters, for the page links (empty when none is set)."""
        return urlencode({name: value for name, value in self.values().items() if value not in (None, "")})


# --- a new request and its edit form ----------------------------------------------------------------


class _RequestFields(forms.Form):
    """What a request is about and who works on it (shared by the new and the edit form)."""

    title = forms.CharField(
        max_length=ServiceRequest._meta.get_field("title").max_length,
        help_text="What is asked or wrong, in a few words.",
        error_messages={"required": "Give the request a title, e.g. Cannot reach the portal."},
    )
    kind = forms.ChoiceField(
        choices=RequestKind.choices,
        initial=RequestKind.QUERY,
        error_messages={"invalid_choice": "“%(value)s” is not a kind of request; pick one from the list."},
    )
    description = forms.CharField(
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What the requester said, what they tried, what they need by when.",
    )
    channel = forms.ChoiceField(
        choices=Channel.choices,
        initial=Channel.TELEPHONE,
        help_text="How the request came in.",
        error_messages={"invalid_choice": "“%(value)s” is not a channel; pick one from the list."},
    )
    impact = forms.TypedChoiceField(
        choices=Level.choices,
        coerce=int,
        initial=Level.MEDIUM,
        help_text="How much of the consumer's work it hinders.",
        error_messages={"invalid_choice": "Pick high, medium or low."},
    )
    urgency = forms.TypedChoiceField(
        choices=Level.choices,
        coerce=int,
        initial=Level.MEDIUM,
        help_text=PRIORITY_HELP,
        error_messages={"invalid_choice": "Pick high, medium or low."},
    )
    requester = forms.ModelChoiceField(
        queryset=Stakeholder.objects.none(),
        required=False,
        empty_label="Nobody named",
        help_text="The person who asked (or who asked on their behalf).",
        error_messages={"invalid_choice": "Pick one of the account's people, or nobody."},
    )
    assignee = forms.ModelChoiceField(
        queryset=get_user_model().objects.none(),
        required=False,
        label="Assigned to",
        empty_label="Nobody yet (the desk's queue)",
        error_messages={"invalid_choice": "Pick a desk agent, relationship manager or administrator."},
    )

    def __init__(self, *args, organization=None, current: ServiceRequest | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if organization is not None:
            self.fields["requester"].queryset = selectors.request_people_choices(
                organization=organization, include=current.requester_id if current else None
            )
        self.fields["assignee"].queryset = selectors.request_assignee_choices(
            include=current.assignee_id if current else None
        )
        self.fields["assignee"].label_from_instance = _person_label

    def clean_title(self) -> str:
        return (self.cleaned_data.get("title") or "").strip()

    def clean_description(self) -> str:
        return (self.cleaned_data.get("description") or "").strip()

    def request_fields(self) -> dict:
        names = ("title", "kind", "description", "channel", "impact", "urgency", "requester", "assignee")
        return {name: self.cleaned_data.get(name) for name in names}


class RequestForm(_RequestFields):
    """A new request of one account. The account (and the touchpoint it came with, if any) arrive as
    ids from the account's page or the console; the view looks them up among those the user may see
    and says here what was wrong with them."""

    organization = forms.CharField(
        widget=forms.HiddenInput,
        required=False,
        label="Account",
    )
    touchpoint = forms.CharField(widget=forms.HiddenInput, required=False, label="Contact")
    agreement = forms.ModelChoiceField(
        queryset=Agreement.objects.none(),
        required=False,
        empty_label="The first active agreement with request clocks",
        help_text="Its response and resolution targets set the request's clocks.",
        error_messages={"invalid_choice": "Pick one of the account's active agreements."},
    )

    field_order = [
        "title",
        "kind",
        "description",
        "requester",
        "channel",
        "impact",
        "urgency",
        "assignee",
        "agreement",
    ]

    def __init__(
        self,
        *args,
        organization=None,
        organization_problem: str = "",
        touchpoint=None,
        touchpoint_problem: str = "",
        **kwargs,
    ):
        super().__init__(*args, organization=organization, **kwargs)
        self.organization = organization
        self.organization_problem = organization_problem
        self.touchpoint = touchpoint
        self.touchpoint_problem = touchpoint_problem
        # Keyboard first: the form opens with the cursor in the title.
        self.fields["title"].widget.attrs["autofocus"] = True
        if organization is not None:
            agreements = selectors.request_agreement_choices(organization=organization)
            self.fields["agreement"].queryset = agreements
            self.fields["agreement"].label_from_instance = lambda agreement: (
                agreement.title
                if agreement.clock_target_count
                else f"{agreement.title} (no response or resolution target: no clocks)"
            )

    def clean_organization(self):
        if self.organization is None:
            raise forms.ValidationError(
                self.organization_problem or "Find the account the request is for, then fill in the form.",
                code="unknown",
            )
        return self.organization

    def clean_touchpoint(self):
        if self.touchpoint_problem:
            raise forms.ValidationError(self.touchpoint_problem, code="unknown")
        return self.touchpoint

    def service_data(self) -> dict:
        """The keyword arguments of services.request_open, but the actor and the account."""
        return {
            **self.request_fields(),
            "agreement": self.cleaned_data.get("agreement"),
            "touchpoint": self.touchpoint,
        }


class RequestEditForm(_RequestFields):
    field_order = ["title", "kind", "description", "requester", "channel", "impact", "urgency", "assignee"]

    def __init__(self, *args, request: ServiceRequest, **kwargs):
        kwargs.setdefault("initial", self.initial_for(request))
        super().__init__(*args, organization=request.organization, current=request, **kwargs)

    @staticmethod
    def initial_for(request: ServiceRequest) -> dict:
        return {
            "title": request.title,
            "kind": request.kind,
            "description": request.description,
            "channel": request.channel,
            "impact": request.impact,
            "urgency": request.urgency,
            "requester": request.requester_id,
            "assignee": request.assignee_id,
        }

    def service_data(self) -> dict:
        """The keyword arguments of services.request_update, but the actor and the request."""
        return self.request_fields()


# --- moves and notes --------------------------------------------------------------------------------


class TransitionForm(forms.Form):
    to_status = forms.ChoiceField(
        choices=RequestStatus.choices,
        label="New status",
        error_messages={
            "required": "Say which status the request moves to.",
            "invalid_choice": "“%(value)s” is not a request status.",
        },
    )
    note = forms.CharField(
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": f"Keep it to {TEXT_LIMIT:,} characters."},
    )


class CommentForm(forms.Form):
    note = forms.CharField(
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Note",
        error_messages={
            "required": "Write the note first, e.g. Called back, no answer.",
            "max_length": f"Keep it to {TEXT_LIMIT:,} characters.",
        },
    )

    def clean_note(self) -> str:
        note = (self.cleaned_data.get("note") or "").strip()
        if not note:
            raise forms.ValidationError(self.fields["note"].error_messages["required"], code="required")
        return note
