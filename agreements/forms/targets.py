"""The form of a service level target. It checks types and choices; the services check the rules (the
warning on the met side of the target, an aspect only for warranty, a baseline for outcomes, a clock
with its limit) and their ApplicationError lands on the field it names. Every field stays visible; the
help texts say which kinds use which."""

from __future__ import annotations

from django import forms

from agreements.models import (
    Aggregation,
    BusinessCalendar,
    ClockKind,
    Comparator,
    MeasurementPeriod,
    ServiceLevelTarget,
    TargetKind,
    WarrantyAspect,
)

__all__ = ["TargetForm"]


def _max(name: str) -> int:
    return ServiceLevelTarget._meta.get_field(name).max_length


class TargetForm(forms.Form):
    name = forms.CharField(
        max_length=_max("name"), help_text="What is measured, e.g. Availability of the portal."
    )
    kind = forms.ChoiceField(
        choices=TargetKind.choices,
        initial=TargetKind.WARRANTY,
        help_text="Utility: what the service does. Warranty: how well (availability, capacity...). "
        "Experience: how it feels to users. Outcome: what the consumer achieves with it.",
    )
    warranty_aspect = forms.ChoiceField(
        choices=[("", "—"), *WarrantyAspect.choices],
        required=False,
        label="Warranty aspect",
        help_text="Warranty targets only; leave empty for the other kinds.",
    )
    metric = forms.CharField(
        max_length=_max("metric"), required=False, help_text="How it is measured, e.g. % of service hours up."
    )
    unit = forms.CharField(max_length=_max("unit"), required=False, help_text="e.g. %, ms, hours, points.")
    comparator = forms.ChoiceField(
        choices=Comparator.choices,
        initial=Comparator.GTE,
        label="The achieved value must be",
    )
    target_value = forms.DecimalField(max_digits=14, decimal_places=4, label="Target", help_text="e.g. 99.5.")
    warning_threshold = forms.DecimalField(
        max_digits=14,
        decimal_places=4,
        required=False,
        label="Warn at",
        help_text="Still met but close, so it warns before the target is missed: above the target for "
        "“at least” and “more than”, below it for “at most” and “less than”, none for “exactly”.",
    )
    period = forms.ChoiceField(
        choices=MeasurementPeriod.choices, initial=MeasurementPeriod.MONTH, label="Measured per"
    )
    aggregation = forms.ChoiceField(
        choices=Aggregation.choices,
        initial=Aggregation.AVERAGE,
        label="Combine a period's measurements as",
    )
    calendar = forms.ModelChoiceField(
        queryset=BusinessCalendar.objects.none(),
        required=False,
        empty_label="Round the clock, site time zone",
        label="Business-hours calendar",
        help_text="The hours its time counts in; its time zone sets where months and quarters begin.",
        error_messages={"invalid_choice": "Choose one of the calendars in use."},
    )
    baseline = forms.DecimalField(
        max_digits=14,
        decimal_places=4,
        required=False,
        help_text="Outcome targets need it: where the consumer started, to show the change achieved.",
    )
    clock = forms.ChoiceField(
        choices=[("", "—"), *ClockKind.choices],
        required=False,
        label="Request clock",
        help_text="For targets on service requests only: each request counts as met when answered or "
        "resolved within the limit.",
    )
    clock_limit_hours = forms.DecimalField(
        max_digits=8,
        decimal_places=2,
        required=False,
        label="Clock limit (business hours)",
        help_text="With a request clock only.",
    )

    def __init__(self, *args, calendars=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["calendar"].queryset = BusinessCalendar.objects.filter(pk__in=[c.pk for c in calendars])
        self.fields["calendar"].choices = [("", self.fields["calendar"].empty_label)] + [
            (calendar.pk, calendar.name if calendar.is_active else f"{calendar.name} (no longer in use)")
            for calendar in calendars
        ]

    GROUPS = (
        ("What is promised", "", ("name", "kind", "warranty_aspect", "metric", "unit")),
        ("The rule", "", ("comparator", "target_value", "warning_threshold", "baseline")),
        ("How it is measured", "", ("period", "aggregation", "calendar")),
        (
            "Request clock (service requests only)",
            "Leave both empty unless the target counts requests answered or resolved in time; then aim "
            "at a share of them, e.g. at least 95 %.",
            ("clock", "clock_limit_hours"),
        ),
    )

    def groups(self) -> list[tuple[str, str, list]]:
        """The fields in the fieldsets the page shows, each with its legend and a note."""
        return [(legend, note, [self[name] for name in names]) for legend, note, names in self.GROUPS]

    @classmethod
    def initial_for(cls, target: ServiceLevelTarget) -> dict:
        return {name: getattr(target, name) for name in cls.base_fields if name != "calendar"} | {
            "calendar": target.calendar_id
        }

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        for name in ("warranty_aspect", "metric", "unit", "clock"):
            data[name] = data.get(name) or ""
        return data
