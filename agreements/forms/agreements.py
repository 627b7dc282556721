"""Forms of the agreement pages. They check types and choices; the services check the rules (dates in
order, a consumer's own contact, offerings still in the catalogue, the lifecycle's guards) and the
actor's rights, and their ApplicationError lands on the field it names."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone

from agreements.models import (
    Agreement,
    AgreementForm,
    AgreementKind,
    AgreementStatus,
    ReviewCadence,
    ReviewOutcome,
)
from journeys.models import Organization, Stakeholder
from journeys.roles import Role
from offerings.models import ServiceOffering

__all__ = [
    "AgreementEditForm",
    "AgreementFilterForm",
    "ReviewForm",
    "TransitionForm",
    "agreement_query",
]

DATE = {"type": "date"}


def _name_of(user) -> str:
    return user.get_full_name() or user.username


def _max(name: str) -> int:
    return Agreement._meta.get_field(name).max_length


class AgreementEditForm(forms.Form):
    """An agreement's details; its status changes with the lifecycle buttons on its page."""

    title = forms.CharField(max_length=_max("title"), help_text="e.g. Fleet booking SLA 2026.")
    reference = forms.CharField(
        max_length=_max("reference"), required=False, help_text="The contract number both sides quote."
    )
    form = forms.ChoiceField(
        choices=AgreementForm.choices,
        initial=AgreementForm.AGREEMENT_BASED,
        label="Form of agreement",
        help_text="How binding it is and how it came about.",
    )
    kind = forms.ChoiceField(choices=AgreementKind.choices, initial=AgreementKind.SLA, label="Kind")
    offerings = forms.ModelMultipleChoiceField(
        queryset=ServiceOffering.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Offerings covered",
        error_messages={"invalid_choice": "Choose offerings from the catalogue."},
    )
    starts_on = forms.DateField(required=False, widget=forms.DateInput(attrs=DATE), label="Start date")
    ends_on = forms.DateField(
        required=False,
        widget=forms.DateInput(attrs=DATE),
        label="End date",
        help_text="Leave empty for an agreement that runs until terminated.",
    )
    review_cadence = forms.ChoiceField(
        choices=ReviewCadence.choices, initial=ReviewCadence.QUARTERLY, label="Review cadence"
    )
    owner = forms.ModelChoiceField(
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label="—",
        help_text="Accountable for it on our side; review reminders and breaches are e-mailed to them.",
    )
    customer_contact = forms.ModelChoiceField(
        queryset=Stakeholder.objects.none(),
        required=False,
        empty_label="—",
        label="Customer contact",
        help_text="The consumer's signatory or main contact for it.",
        error_messages={"invalid_choice": "Choose one of this account's people."},
    )
    scope = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Which services, users and locations it covers.",
    )
    consumer_responsibilities = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label="Consumer responsibilities",
        help_text="What the consumer commits to do for the service to work, e.g. report incidents "
        "through the service desk.",
    )
    external_id = forms.CharField(
        max_length=_max("external_id"), required=False, label="External id", help_text="The CRM's id, if any."
    )

    def __init__(
        self, *args, organization: Organization, offerings, agreement: Agreement | None = None, **kw
    ):
        super().__init__(*args, **kw)
        offering_ids = [offering.pk for offering in offerings]
        people = get_user_model().objects.filter(
            groups__name__in=[Role.RELATIONSHIP_MANAGER, Role.ADMINISTRATOR], is_active=True
        )
        if agreement is not None:
            # An offering retired since, or an owner who left a role, stays choosable where chosen.
            offering_ids += list(agreement.offerings.values_list("pk", flat=True))
            if agreement.owner_id:
                people = people | get_user_model().objects.filter(pk=agreement.owner_id)
        self.fields["offerings"].queryset = ServiceOffering.objects.filter(pk__in=offering_ids).order_by(
            "name", "pk"
        )
        self.fields["offerings"].label_from_instance = lambda offering: offering.name
        self.fields["owner"].queryset = people.distinct().order_by("first_name", "username")
        self.fields["owner"].label_from_instance = _name_of
        self.fields["customer_contact"].queryset = Stakeholder.objects.filter(
            organization=organization
        ).order_by("name", "pk")
        self.fields["customer_contact"].label_from_instance = lambda person: (
            f"{person.name}, {person.job_title}" if person.job_title else person.name
        )

    @classmethod
    def initial_for(cls, agreement: Agreement) -> dict:
        return {
            "title": agreement.title,
            "reference": agreement.reference,
            "form": agreement.form,
            "kind": agreement.kind,
            "offerings": list(agreement.offerings.values_list("pk", flat=True)),
            "starts_on": agreement.starts_on,
            "ends_on": agreement.ends_on,
            "review_cadence": agreement.review_cadence,
            "owner": agreement.owner_id,
            "customer_contact": agreement.customer_contact_id,
            "scope": agreement.scope,
            "consumer_responsibilities": agreement.consumer_responsibilities,
            "external_id": agreement.external_id,
        }

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["offerings"] = list(data.get("offerings") or [])
        for name in ("reference", "scope", "consumer_responsibilities", "external_id"):
            data[name] = data.get(name) or ""
        return data


class AgreementFilterForm(forms.Form):
    """The list's filters, read from the query string; an unknown value is ignored."""

    q = forms.CharField(required=False, max_length=100, label="Search")
    status = forms.ChoiceField(required=False, choices=[("", "Any status"), *AgreementStatus.choices])
    kind = forms.ChoiceField(required=False, choices=[("", "Any kind"), *AgreementKind.choices])
    offering = forms.TypedChoiceField(coerce=int, empty_value=None, required=False, label="Offering")

    def __init__(self, *args, offerings=(), with_search: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self._offerings = {offering.pk: offering for offering in offerings}
        self.fields["offering"].choices = [
            ("", "Any offering"),
            *((offering.pk, offering.name) for offering in offerings),
        ]
        self.fields["q"].widget.attrs.update(
            {"placeholder": "Account, title or reference", "type": "search", "autocomplete": "off"}
        )
        if not with_search:
            del self.fields["q"]

    def filters(self) -> dict:
        """search, status, kind and offering (an instance or None); bad values count as not given."""
        empty = {"search": "", "status": "", "kind": "", "offering": None}
        if not self.is_bound:
            return empty
        self.is_valid()
        data = self.cleaned_data
        return {
            "search": (data.get("q") or "").strip(),
            "status": data.get("status") or "",
            "kind": data.get("kind") or "",
            "offering": self._offerings.get(data.get("offering")),
        }


def agreement_query(*, search: str = "", status: str = "", kind: str = "", offering=None) -> str:
    """The list's query string for a set of filters (empty when none is set)."""
    query = {"q": search, "status": status, "kind": kind, "offering": offering.pk if offering else ""}
    return urlencode({name: value for name, value in query.items() if value})


class TransitionForm(forms.Form):
    """One lifecycle move; terminating asks why."""

    status = forms.ChoiceField(
        choices=AgreementStatus.choices, error_messages={"invalid_choice": "Choose one of the statuses."}
    )
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label="Why is it terminated?",
        help_text="What led to ending it early, for whoever agrees the next one with this consumer.",
    )


class ReviewForm(forms.Form):
    held_on = forms.DateField(widget=forms.DateInput(attrs=DATE), label="Held on", initial=timezone.localdate)
    outcome = forms.ChoiceField(choices=ReviewOutcome.choices, initial=ReviewOutcome.CONTINUE)
    summary = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What was compared (targets, experience, value) and what both sides concluded.",
    )
