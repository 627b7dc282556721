"""Forms of the pipeline pages. They check types and choices; the services check the rules (a value
that is not negative, a reason for a lost opportunity) and the actor's rights, and their
ApplicationError lands on the field it names."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.contrib.auth import get_user_model

from journeys.models import Journey, Organization
from offerings.models import Opportunity, OpportunityStage, ServiceOffering

# Where a move was made: the pipeline of every account, the account's pipeline, or the opportunity's page.
MOVE_VIEWS = [("", "pipeline"), ("account", "account"), ("detail", "detail")]


def _name_of(user) -> str:
    return user.get_full_name() or user.username


class OpportunityForm(forms.Form):
    """An opportunity's details. A new one also gets its first stage (and, if lost, why); after that
    its stage changes only by moving it on the board."""

    title = forms.CharField(max_length=Opportunity._meta.get_field("title").max_length)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    stage = forms.ChoiceField(choices=OpportunityStage.choices, initial=OpportunityStage.DEMAND)
    estimated_value = forms.DecimalField(
        max_digits=14,
        decimal_places=2,
        required=False,
        help_text="What it is worth if agreed, e.g. the first year's revenue.",
    )
    expected_close_date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    offering = forms.ModelChoiceField(
        queryset=ServiceOffering.objects.none(),
        required=False,
        empty_label="—",
        label="Service offering",
        error_messages={"invalid_choice": "Choose one of the offerings in the catalogue."},
    )
    journey = forms.ModelChoiceField(
        queryset=Journey.objects.none(),
        required=False,
        empty_label="—",
        error_messages={"invalid_choice": "Choose one of this account's journeys."},
    )
    owner = forms.ModelChoiceField(queryset=get_user_model().objects.none(), required=False, empty_label="—")
    lost_reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        label="Why it was lost",
        help_text="Needed for a lost opportunity.",
    )

    def __init__(self, *args, organization: Organization, people, offerings, opportunity=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["journey"].queryset = Journey.objects.filter(organization=organization).order_by(
            "name", "pk"
        )
        offering_ids = [offering.pk for offering in offerings]
        person_ids = [person.pk for person in people]
        if opportunity is not None:
            # An offering retired since, or an owner who left a role, stays choosable where chosen.
            offering_ids.append(opportunity.offering_id)
            person_ids.append(opportunity.owner_id)
            del self.fields["stage"]
            if opportunity.stage != OpportunityStage.LOST:
                del self.fields["lost_reason"]
        self.fields["offering"].queryset = ServiceOffering.objects.filter(pk__in=offering_ids).order_by(
            "name", "pk"
        )
        self.fields["offering"].label_from_instance = lambda offering: offering.name
        self.fields["owner"].queryset = (
            get_user_model().objects.filter(pk__in=person_ids).order_by("first_name", "username")
        )
        self.fields["owner"].label_from_instance = _name_of

    @classmethod
    def initial_for(cls, opportunity: Opportunity) -> dict:
        return {
            "title": opportunity.title,
            "description": opportunity.description,
            "estimated_value": opportunity.estimated_value,
            "expected_close_date": opportunity.expected_close_date,
            "offering": opportunity.offering_id,
            "journey": opportunity.journey_id,
            "owner": opportunity.owner_id,
            "lost_reason": opportunity.lost_reason,
        }

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        for name in ("description", "lost_reason"):
            if name in data:
                data[name] = data[name] or ""
        return data


class PipelineFilterForm(forms.Form):
    """The pipeline's filters, read from the query string; an unknown value is ignored."""

    q = forms.CharField(required=False, max_length=100, label="Account")
    owner = forms.ChoiceField(required=False, label="Owner")
    offering = forms.TypedChoiceField(coerce=int, empty_value=None, required=False, label="Service offering")

    def __init__(self, *args, people=(), offerings=(), with_account: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self._offerings = {offering.pk: offering for offering in offerings}
        self.fields["owner"].choices = [
            ("", "Anyone"),
            ("me", "Me"),
            ("none", "Nobody"),
            *((str(person.pk), _name_of(person)) for person in people),
        ]
        self.fields["offering"].choices = [
            ("", "Any offering"),
            *((offering.pk, offering.name) for offering in offerings),
        ]
        self.fields["q"].widget.attrs["placeholder"] = "Part of the name"
        if not with_account:
            del self.fields["q"]

    def filters(self) -> dict:
        """search, owner and offering (an instance or None); bad values count as not given."""
        if not self.is_bound:
            return {"search": "", "owner": "", "offering": None}
        self.is_valid()
        return {
            "search": (self.cleaned_data.get("q") or "").strip(),
            "owner": self.cleaned_data.get("owner") or "",
            "offering": self._offerings.get(self.cleaned_data.get("offering")),
        }


def pipeline_query(*, search: str = "", owner: str = "", offering=None) -> str:
    """The pipeline's query string for a set of filters (empty when none is set)."""
    query = {}
    if search:
        query["q"] = search
    if owner:
        query["owner"] = owner
    if offering is not None:
        query["offering"] = offering.pk
    return urlencode(query)


class OpportunityMoveForm(forms.Form):
    """A move to another stage. `board` carries the filters of the pipeline it came from and `view`
    where the move was made, so the answer goes back there."""

    stage = forms.ChoiceField(
        choices=OpportunityStage.choices, error_messages={"invalid_choice": "Choose one of the four stages."}
    )
    lost_reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        label="Why was it lost?",
        help_text="What made the consumer decide against it, to learn from.",
    )
    board = forms.CharField(required=False, max_length=300, widget=forms.HiddenInput)
    view = forms.ChoiceField(choices=MOVE_VIEWS, required=False, widget=forms.HiddenInput)
