"""Forms of the demand profile pages: the period to recompute, the volumes entered by hand (24 hours,
7 days, 12 months) and the description of a profile. They check types; the services check the rules
and the actor's rights, and their errors land on the field they name."""

from __future__ import annotations

from django import forms

from offerings.models import BUCKET_RANGES, DemandDimension, DemandProfile, DemandTrend
from offerings.selectors.demand import DAY_NAMES, MONTH_NAMES

VOLUME_ERRORS = {"min_value": "A volume cannot be negative.", "invalid": "Enter a whole number."}
# The entry form's field for each bucket, and back (the services name a volume `hour_of_day[10]`).
FIELD_PREFIX = {
    DemandDimension.HOUR_OF_DAY: "hour",
    DemandDimension.DAY_OF_WEEK: "day",
    DemandDimension.MONTH: "month",
}


def _bucket_label(dimension: str, bucket: int) -> str:
    if dimension == DemandDimension.HOUR_OF_DAY:
        return f"{bucket:02d}:00–{(bucket + 1) % 24:02d}:00"
    if dimension == DemandDimension.DAY_OF_WEEK:
        return DAY_NAMES[bucket]
    return MONTH_NAMES[bucket - 1]


class DemandRecomputeForm(forms.Form):
    covers_from = forms.DateField(
        required=False,
        label="From",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="The first day counted; a year before the last day when left empty.",
    )
    covers_to = forms.DateField(
        required=False,
        label="To",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="The last day counted; today when left empty.",
    )


class DemandDescriptionForm(forms.Form):
    activity = forms.CharField(
        max_length=DemandProfile._meta.get_field("activity").max_length,
        required=False,
        label="Business activity",
        help_text="What creates the workload, e.g. month-end closing or timesheets on Friday afternoon.",
    )
    trend = forms.ChoiceField(
        choices=[("", "Not assessed"), *DemandTrend.choices],
        required=False,
        help_text="How the workload moves over time: repeating, growing or declining.",
    )
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)

    @classmethod
    def initial_for(cls, profile: DemandProfile | None) -> dict:
        if profile is None:
            return {}
        return {"activity": profile.activity, "trend": profile.trend, "notes": profile.notes}


class DemandEntryForm(DemandDescriptionForm):
    """The volumes of an entered profile: one number for every hour, day of the week and month."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for dimension, buckets in BUCKET_RANGES.items():
            for bucket in buckets:
                self.fields[f"{FIELD_PREFIX[dimension]}_{bucket}"] = forms.IntegerField(
                    min_value=0,
                    required=False,
                    label=_bucket_label(dimension, bucket),
                    error_messages=VOLUME_ERRORS,
                    widget=forms.NumberInput(attrs={"min": 0, "step": 1, "inputmode": "numeric"}),
                )

    def group(self, dimension: str) -> list[forms.BoundField]:
        return [self[f"{FIELD_PREFIX[dimension]}_{bucket}"] for bucket in BUCKET_RANGES[dimension]]

    @property
    def hour_fields(self):
        return self.group(DemandDimension.HOUR_OF_DAY)

    @property
    def day_fields(self):
        return self.group(DemandDimension.DAY_OF_WEEK)

    @property
    def month_fields(self):
        return self.group(DemandDimension.MONTH)

    @classmethod
    def initial_for(cls, profile: DemandProfile | None) -> dict:
        initial = super().initial_for(profile)
        if profile is not None:
            for cell in profile.cells.all():
                initial[f"{FIELD_PREFIX[cell.dimension]}_{cell.bucket}"] = cell.volume
        return initial

    def service_data(self) -> dict:
        """Empty inputs count as 0: a month without workload need not be typed in."""
        data = {name: self.cleaned_data.get(name) or "" for name in ("activity", "trend", "notes")}
        for dimension, buckets in BUCKET_RANGES.items():
            data[dimension] = [
                self.cleaned_data.get(f"{FIELD_PREFIX[dimension]}_{bucket}") or 0 for bucket in buckets
            ]
        return data

    def field_for(self, service_field: str) -> str:
        """The form's field for a field the service names: `hour_of_day[10]` is `hour_10`."""
        name, _, bucket = service_field.partition("[")
        if bucket and name in FIELD_PREFIX:
            return f"{FIELD_PREFIX[name]}_{bucket.rstrip(']')}"
        return service_field
