"""The value pages' forms: the dashboard's filters (period and market segment, read from the query
string, anything unknown falling back to the portfolio over twelve months) and the health policy
(weights, window, bands, watermelon thresholds). The form checks types and ranges; the service
(`health_policy_update`) checks the rules, such as weights that may not all be zero, and its error lands
on the field it names."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from realization.models import HealthPolicy

__all__ = ["DEFAULT_MONTHS", "PERIODS", "WEIGHT_FIELDS", "HealthPolicyForm", "ValueFilterForm"]

PERIODS = (3, 6, 12)
DEFAULT_MONTHS = 12
WEIGHT_FIELDS = ("weight_nps", "weight_csat", "weight_ces", "weight_sla", "weight_sentiment")


class ValueFilterForm(forms.Form):
    segment = forms.TypedChoiceField(coerce=int, required=False, empty_value=None, label="Accounts")
    months = forms.TypedChoiceField(
        coerce=int,
        choices=[(months, f"Last {months} months") for months in PERIODS],
        required=False,
        empty_value=DEFAULT_MONTHS,
        initial=DEFAULT_MONTHS,
        label="Period",
    )

    def __init__(self, *args, segments=(), **kwargs):
        """`segments` are (id, name) pairs in the order the list shows them."""
        super().__init__(*args, **kwargs)
        self._segments = {pk for pk, _ in segments}
        self.fields["segment"].choices = [
            ("", "My portfolio"),
            *((pk, f"Segment: {name}") for pk, name in segments),
        ]

    def choices(self) -> dict:
        """The period and the segment asked for, each falling back on its own when unknown."""
        data = {}
        if self.is_bound:
            self.is_valid()
            data = self.cleaned_data
        segment = data.get("segment")
        return {
            "months": data.get("months") or DEFAULT_MONTHS,
            "segment": segment if segment in self._segments else None,
        }


def _weight(label: str) -> forms.IntegerField:
    return forms.IntegerField(
        min_value=0, max_value=100, label=label, widget=forms.NumberInput(attrs={"inputmode": "numeric"})
    )


def _percent(label: str, help_text: str) -> forms.DecimalField:
    return forms.DecimalField(
        min_value=0, max_value=100, max_digits=4, decimal_places=1, label=label, help_text=help_text
    )


class HealthPolicyForm(forms.Form):
    weight_nps = _weight("NPS")
    weight_csat = _weight("CSAT")
    weight_ces = _weight("CES")
    weight_sla = _weight("SLA compliance")
    weight_sentiment = _weight("Touchpoint sentiment")
    window_months = forms.IntegerField(
        min_value=1,
        max_value=12,
        label="Window (months)",
        help_text="How many months, up to and including the month shown, each health score reads.",
    )
    healthy_from = _percent("Healthy from", "A score at or above this is healthy.")
    at_risk_below = _percent("At risk below", "A score below this is at risk; in between is watch.")
    watermelon_sla_from = _percent(
        "SLA green from (%)", "SLA compliance at or above this counts as green outside."
    )
    watermelon_csat_below = _percent("CSAT red below (%)", "A share of satisfied answers below this is red.")
    watermelon_ces_below = forms.DecimalField(
        min_value=1,
        max_value=7,
        max_digits=3,
        decimal_places=2,
        label="CES red below",
        help_text="A mean effort score (1–7, higher is easier) below this is red.",
    )
    watermelon_sentiment_below = forms.DecimalField(
        min_value=Decimal("-2"),
        max_value=2,
        max_digits=3,
        decimal_places=2,
        label="Sentiment red below",
        help_text="A mean touchpoint sentiment (−2 to +2) below this is red.",
    )
    FIELDSETS = (
        ("Weights", "How much each input counts; the health score is their weighted mean.", WEIGHT_FIELDS),
        ("Window and bands", "", ("window_months", "healthy_from", "at_risk_below")),
        (
            "Watermelon",
            "Green outside (SLA compliance) while red inside (the experience).",
            (
                "watermelon_sla_from",
                "watermelon_csat_below",
                "watermelon_ces_below",
                "watermelon_sentiment_below",
            ),
        ),
    )

    @classmethod
    def initial_for(cls, policy: HealthPolicy) -> dict:
        return {name: getattr(policy, name) for name in cls.base_fields}

    def fieldsets(self) -> list[tuple[str, str, list]]:
        return [(legend, hint, [self[name] for name in names]) for legend, hint, names in self.FIELDSETS]

    def service_data(self) -> dict:
        return dict(self.cleaned_data)
