"""The SLA dashboard's filters, read from the query string (the page, its CSV export and its refresh
all carry the same ones). A value that is not understood counts as not given; an account the user may
not see is refused by the view (404), like any other way of naming it."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms

from agreements.models import TargetKind
from agreements.selectors.dashboard import DASHBOARD_MAX_MONTHS

__all__ = ["TREND_CHOICES", "SlaFilterForm", "sla_query"]

TREND_CHOICES = (6, 12, 24)
DEFAULT_MONTHS = 12


class SlaFilterForm(forms.Form):
    account = forms.IntegerField(required=False, min_value=1, label="Account")
    q = forms.CharField(required=False, max_length=100, label="Account name")
    offering = forms.IntegerField(required=False, min_value=1, label="Service offering")
    kind = forms.ChoiceField(
        required=False, choices=[("", "Every kind"), *TargetKind.choices], label="Target kind"
    )
    months = forms.IntegerField(
        required=False, min_value=1, max_value=DASHBOARD_MAX_MONTHS, label="Trend over"
    )

    def filters(self) -> dict:
        """account and offering (ids or None), search, kind and months; bad values count as not given."""
        data = {}
        if self.is_bound:
            self.is_valid()
            data = self.cleaned_data  # what is fine, even when another value is not
        return {
            "account": data.get("account"),
            "search": (data.get("q") or "").strip(),
            "offering": data.get("offering"),
            "kind": data.get("kind") or "",
            "months": data.get("months") or DEFAULT_MONTHS,
        }


def sla_query(
    *, account=None, search: str = "", offering=None, kind: str = "", months: int = DEFAULT_MONTHS
) -> str:
    """The dashboard's query string for a set of filters (empty when none is set); `account` and
    `offering` are ids."""
    query: dict[str, object] = {}
    if account:
        query["account"] = account
    if search:
        query["q"] = search
    if offering:
        query["offering"] = offering
    if kind:
        query["kind"] = kind
    if months and months != DEFAULT_MONTHS:
        query["months"] = months
    return urlencode(query)
