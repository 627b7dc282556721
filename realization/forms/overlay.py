"""The live journey map's form: whose journeys (the portfolio, one account found by name, or a market
segment), over which period, and which designed map to lay beside them. Read from the query string;
anything unknown falls back to the portfolio over six months. The choices come from the selectors (the
view passes them), so the form itself reads nothing."""

from __future__ import annotations

from django import forms

from realization.selectors import DEFAULT_PERIOD, PERIODS


class OverlayForm(forms.Form):
    scope = forms.ChoiceField(required=False, label="Whose journeys")
    q = forms.CharField(required=False, max_length=100, label="Find an account")
    account = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    months = forms.TypedChoiceField(
        coerce=int,
        choices=[(months, f"Last {months} months") for months in PERIODS],
        required=False,
        empty_value=DEFAULT_PERIOD,
        initial=DEFAULT_PERIOD,
        label="Period",
    )
    journey_map = forms.TypedChoiceField(
        coerce=int, required=False, empty_value=None, label="Compare with a designed map"
    )

    def __init__(self, *args, segments=(), journey_maps=(), **kwargs):
        """`segments` and `journey_maps` are (id, name) pairs in the order the lists show them."""
        super().__init__(*args, **kwargs)
        self._segments = {f"segment:{pk}": pk for pk, _ in segments}
        self._maps = {pk for pk, _ in journey_maps}
        self.fields["scope"].choices = [
            ("portfolio", "My portfolio"),
            ("account", "One account (find it below)"),
            *((f"segment:{pk}", f"Segment: {name}") for pk, name in segments),
        ]
        self.fields["journey_map"].choices = [("", "No designed map"), *journey_maps]

    def choices(self) -> dict:
        """What was asked, each field falling back on its own. Typed search text means one account
        (whatever the scope list says: the user typed a name and pressed Enter); the scope "account"
        takes the account picked earlier; a segment, its members; anything else the portfolio. The
        segment and the designed map are given by their ids."""
        data = {}
        if self.is_bound:
            self.is_valid()
            data = self.cleaned_data
        query = (data.get("q") or "").strip()
        scope = data.get("scope") or ""
        segment = self._segments.get(scope)
        if query or scope == "account":
            kind = "account"
        elif segment is not None:
            kind = "segment"
        else:
            kind = "portfolio"
        return {
            "kind": kind,
            "account": data.get("account") if kind == "account" and not query else None,
            "query": query,
            "segment": segment,
            "months": data.get("months") or DEFAULT_PERIOD,
            "journey_map": data.get("journey_map") if data.get("journey_map") in self._maps else None,
        }
