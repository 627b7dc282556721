"""Forms of the measurement pages. They check types; the services check the rules (an active target of
an agreement in force, a moment not ahead, a finite value) and the actor's rights, and their
ApplicationError lands on the field it names.

The moment a person types is read in the time zone of the target's calendar (the form cleans its
input under that zone), which is the time the target's periods are cut in."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from agreements.models import Measurement
from agreements.services.measurements import IMPORT_COLUMNS, MAX_IMPORT_BYTES, MAX_IMPORT_ROWS

__all__ = ["MeasurementExcludeForm", "MeasurementForm", "MeasurementImportForm"]

MOMENT_FORMAT = "%Y-%m-%dT%H:%M"


class MeasurementForm(forms.Form):
    measured_at = forms.DateTimeField(
        label="Measured at",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=MOMENT_FORMAT),
        error_messages={"invalid": "Give the date and time it was measured, e.g. 2026-03-31 23:30."},
    )
    value = forms.CharField(max_length=40, help_text="The achieved value, e.g. 99.95.")
    note = forms.CharField(
        max_length=Measurement._meta.get_field("note").max_length,
        required=False,
        help_text="Where it comes from, or anything a reviewer should know.",
    )
    excluded = forms.BooleanField(
        required=False,
        label="Do not count it",
        help_text="For a value taken while the consumer's side was not in place; say why in the note.",
    )

    def __init__(self, *args, zone, **kwargs):
        self.zone = zone
        kwargs.setdefault(
            "initial", {"measured_at": timezone.localtime(timezone.now(), zone).strftime(MOMENT_FORMAT)}
        )
        super().__init__(*args, **kwargs)
        self.fields["measured_at"].help_text = f"In {zone.key} time, the time zone of the target's calendar."

    def full_clean(self) -> None:
        with timezone.override(self.zone):
            super().full_clean()

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["note"] = data.get("note") or ""
        return data


class MeasurementExcludeForm(forms.Form):
    note = forms.CharField(
        max_length=Measurement._meta.get_field("note").max_length,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Why",
        help_text="Needed to exclude it, e.g. measured during the consumer's planned outage.",
    )


class MeasurementImportForm(forms.Form):
    csv_file = forms.FileField(
        label="CSV file",
        help_text=(
            f"Columns {', '.join(IMPORT_COLUMNS)}; at most {MAX_IMPORT_ROWS} rows and "
            f"{MAX_IMPORT_BYTES // 1024 // 1024} MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
        error_messages={"required": "Choose the CSV file to import."},
    )
