"""Forms of the business case pages. They check types and choices; the services check the rules (amounts
not negative, lines within the horizon, the workflow) and the actor's rights, and their errors land on
the field they name.

Rates and probabilities are entered as percentages (8 for 8 %) and handed to the services as the
fractions the case stores (0.08).
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model

from journeys.models import OrganizationKind
from journeys.roles import Role
from journeys.selectors import organization_scope
from offerings.models import (
    HORIZON_MAX_YEARS,
    Assumption,
    BenefitLine,
    BenefitType,
    BusinessCase,
    BusinessCasePerspective,
    BusinessCaseRisk,
    BusinessCaseStatus,
    Confidence,
    CostCategory,
    CostLine,
    ExpenseType,
    Recurrence,
    ServiceOffering,
    UncertaintyArea,
)
from offerings.selectors.business_cases import QUESTIONS

HUNDRED = Decimal(100)


def _fraction(percent: Decimal | None) -> Decimal | None:
    return None if percent is None else percent / HUNDRED


def _percent(fraction: Decimal | None) -> Decimal | None:
    if fraction is None:
        return None
    number = (fraction * HUNDRED).quantize(Decimal("0.01"))
    # 10.00 → 10 and 8.50 → 8.5, never the exponent form normalize() gives whole tens (1E+1).
    return number.to_integral_value() if number == number.to_integral_value() else number.normalize()


class BusinessCaseFilterForm(forms.Form):
    """The list's filters, read from the query string; an unknown value is ignored."""

    organization = forms.ModelChoiceField(queryset=None, required=False, empty_label="Any account")
    status = forms.ChoiceField(choices=[("", "Any status"), *BusinessCaseStatus.choices], required=False)
    perspective = forms.ChoiceField(
        choices=[("", "Either perspective"), *BusinessCasePerspective.choices], required=False
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = (
            organization_scope(user).filter(kind=OrganizationKind.CONSUMER).order_by("name", "pk")
        )

    def filters(self) -> dict:
        if not self.is_bound:
            return {}
        self.is_valid()  # a field with a bad value is left out of cleaned_data, hence ignored
        return {
            "organization": self.cleaned_data.get("organization"),
            "status": self.cleaned_data.get("status") or "",
            "perspective": self.cleaned_data.get("perspective") or "",
        }


class BusinessCaseForm(forms.Form):
    """The case's heading, questions and financial settings. The organization is chosen when the case
    is started, among the consumers the user may see, and stays."""

    organization = forms.ModelChoiceField(
        queryset=None,
        label="Account",
        error_messages={"invalid_choice": "Choose one of the consumer organizations you look after."},
    )
    title = forms.CharField(max_length=BusinessCase._meta.get_field("title").max_length)
    perspective = forms.ChoiceField(
        choices=BusinessCasePerspective.choices,
        initial=BusinessCasePerspective.CONSUMER,
        widget=forms.RadioSelect,
        label="Whose business case?",
        help_text="The customer's case weighs what the consumer spends and gains; the provider's what "
        "serving them costs us and brings us.",
    )
    offering = forms.ModelChoiceField(
        queryset=None,
        required=False,
        empty_label="—",
        label="Service offering",
        help_text="The offering the case is about, if any.",
    )
    discount_rate = forms.DecimalField(
        max_digits=6,
        decimal_places=2,
        initial=Decimal(0),
        label="Discount rate (% a year)",
        help_text="For the net present value, e.g. 8 for 8 %; between −100 and 100.",
    )
    horizon_years = forms.IntegerField(
        initial=5,
        label="Horizon (years)",
        help_text=f"The last year counted; year 0 is the start. 1 to {HORIZON_MAX_YEARS}.",
    )
    budget = forms.DecimalField(
        max_digits=14, decimal_places=2, required=False, help_text="The budget set aside, if there is one."
    )

    def __init__(self, *args, user, case: BusinessCase | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name, question in QUESTIONS.items():
            self.fields[name] = forms.CharField(
                label=question,
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        self.fields["offering"].queryset = ServiceOffering.objects.select_related("service").order_by(
            "service__name", "name"
        )
        self.fields["offering"].label_from_instance = lambda offering: (
            f"{offering.service.name}: {offering.name}"
        )
        if case is None:
            self.fields["organization"].queryset = (
                organization_scope(user).filter(kind=OrganizationKind.CONSUMER).order_by("name", "pk")
            )
        else:
            del self.fields["organization"]

    @classmethod
    def initial_for(cls, case: BusinessCase) -> dict:
        initial = {name: getattr(case, name) for name in ("title", "perspective", "horizon_years", "budget")}
        initial.update({name: getattr(case, name) for name in QUESTIONS})
        initial["offering"] = case.offering_id
        initial["discount_rate"] = _percent(case.discount_rate)
        return initial

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["discount_rate"] = _fraction(data["discount_rate"])
        for name in QUESTIONS:
            data[name] = data.get(name) or ""
        return data


class _CashLineForm(forms.Form):
    description = forms.CharField(max_length=CostLine._meta.get_field("description").max_length)
    recurrence = forms.ChoiceField(choices=Recurrence.choices, initial=Recurrence.ONE_OFF)
    year = forms.IntegerField(
        initial=0, help_text="0 is the start of the case; for a recurring line, the first year."
    )
    last_year = forms.IntegerField(required=False, label="Last year", help_text="Recurring lines only.")
    amount = forms.DecimalField(
        max_digits=14, decimal_places=2, help_text="For a recurring line, the amount of each year."
    )

    @classmethod
    def initial_for(cls, line) -> dict:
        return {name: getattr(line, name) for name in cls.base_fields}

    def service_data(self) -> dict:
        return dict(self.cleaned_data)


class CostLineForm(_CashLineForm):
    category = forms.ChoiceField(choices=CostCategory.choices)
    expense_type = forms.ChoiceField(
        choices=ExpenseType.choices, initial=ExpenseType.OPERATING, label="Capital or operating"
    )

    field_order = ["description", "category", "expense_type", "recurrence", "year", "last_year", "amount"]


class BenefitLineForm(_CashLineForm):
    benefit_type = forms.ChoiceField(choices=BenefitType.choices, label="Type of benefit")
    indicator = forms.CharField(
        max_length=BenefitLine._meta.get_field("indicator").max_length,
        label="Measurable indicator",
        help_text="What will show the benefit was realized, e.g. “hours of downtime a month”.",
    )

    field_order = ["description", "benefit_type", "indicator", "recurrence", "year", "last_year", "amount"]


class RiskForm(forms.Form):
    description = forms.CharField(max_length=BusinessCaseRisk._meta.get_field("description").max_length)
    probability = forms.DecimalField(
        max_digits=6, decimal_places=2, label="Probability (%)", help_text="How likely it is: 0 to 100."
    )
    impact = forms.DecimalField(
        max_digits=14, decimal_places=2, help_text="What it would cost if it happened."
    )
    mitigation = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="What is done to make it less likely or less costly.",
    )

    @classmethod
    def initial_for(cls, risk: BusinessCaseRisk) -> dict:
        return {
            "description": risk.description,
            "probability": _percent(risk.probability),
            "impact": risk.impact,
            "mitigation": risk.mitigation,
        }

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["probability"] = _fraction(data["probability"])
        data["mitigation"] = data.get("mitigation") or ""
        return data


def assumption_owner_choices() -> list[tuple[str, str]]:
    """People who may keep an eye on an assumption: active relationship managers and administrators
    (the service checks that the one chosen looks after the account)."""
    users = (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=[Role.RELATIONSHIP_MANAGER, Role.ADMINISTRATOR])
        .distinct()
        .order_by("first_name", "last_name", "username")
    )
    return [("", "Nobody in particular")] + [
        (str(user.pk), user.get_full_name() or user.username) for user in users
    ]


class AssumptionForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label="Assumption")
    confidence = forms.ChoiceField(
        choices=Confidence.choices, initial=Confidence.MEDIUM, label="How sure are we?"
    )
    area = forms.ChoiceField(
        choices=[("", "—"), *UncertaintyArea.choices], required=False, label="Area of uncertainty"
    )
    owner = forms.TypedChoiceField(
        choices=(), coerce=int, empty_value=None, required=False, help_text="Who checks it still holds."
    )

    def __init__(self, *args, owners: list[tuple[str, str]] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = owners if owners is not None else assumption_owner_choices()

    @classmethod
    def initial_for(cls, assumption: Assumption) -> dict:
        return {
            "text": assumption.text,
            "confidence": assumption.confidence,
            "area": assumption.area,
            "owner": assumption.owner_id,
        }

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["area"] = data.get("area") or ""
        return data


class DecisionForm(forms.Form):
    decision_note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        label="Decision note",
        help_text="Whose decision it is and on what terms; a rejection needs the reason.",
    )
