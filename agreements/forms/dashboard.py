"""The SLA dashboard's filters, read from the query string (the page, its CSV export and its refresh
all carry the same ones), and which of its lists to show whole, at which page. A value that is not
understood counts as not given; an account the user may not see is refused by the view (404), like any
other way of naming it."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms

from agreements.models import ComplianceStatus, TargetKind
from agreements.selectors.dashboard import DASHBOARD_MAX_MONTHS

__all__ = ["LIST_CHOICES", "TREND_CHOICES", "SlaFilterForm", "sla_filters", "sla_query"]

TREND_CHOICES = (6, 12, 24)
DEFAULT_MONTHS = 12
# The lists the dashboard shows the worst of, and whole on a page of their own.
LIST_CHOICES = [(ComplianceStatus.BREACHED.value, "Breached"), (ComplianceStatus.AT_RISK.value, "At risk")]


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
    list = forms.ChoiceField(required=False, choices=LIST_CHOICES, label="List")
    page = forms.IntegerField(required=False, min_value=1, label="Page")

    def filters(self) -> dict:
        """account and offering (ids or None), search, kind and months, and the list shown whole ("" for
        the dashboard) with its page; bad values count as not given."""
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
            "list": data.get("list") or "",
            "page": data.get("page") or 1,
        }


NO_FILTERS = SlaFilterForm().filters()


def sla_filters(data) -> dict:
    """The filters of a query string (`SlaFilterForm.filters`); without any, the defaults, without
    building a form (which copies its fields) on every plain view of the page."""
    return SlaFilterForm(data).filters() if data else dict(NO_FILTERS)


def sla_query(
    *,
    account=None,
    search: str = "",
    offering=None,
    kind: str = "",
    months: int = DEFAULT_MONTHS,
    listing: str = "",
    page: int = 1,
) -> str:
    """The dashboard's query string for a set of filters (empty when none is set); `account` and
    `offering` are ids; `listing` names a list shown whole, at its `page`."""
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
    if listing:
        query["list"] = listing
        if page > 1:
            query["page"] = page
    return urlencode(query)
