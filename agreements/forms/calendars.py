"""Forms of the business-hours calendar pages. They check types; the services check the rules (time
zone, country and subdivision, overlapping hours) and their errors land next to the input or the
weekday row they name."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django import forms

from agreements.business_time import END_OF_DAY
from agreements.models import BusinessCalendar, Weekday
from agreements.selectors.calendars import week_of
from journeys.base import ApplicationError

__all__ = ["BusinessTimeForm", "CalendarForm", "ClosureForm"]

SLOTS = 2
TIME_INPUT = {"type": "time"}
ROW_KEY = re.compile(r"^hours\[(\d+)\]$")


def _time_widget(label: str) -> forms.TimeInput:
    return forms.TimeInput(attrs={**TIME_INPUT, "aria-label": label}, format="%H:%M")


class CalendarForm(forms.Form):
    """A calendar's fields and its week: per weekday up to `slots` stretches of start and end (two,
    or as many as the calendar already has on its busiest day)."""

    name = forms.CharField(max_length=120)
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="Which services or teams work to these hours.",
    )
    time_zone = forms.CharField(
        max_length=64,
        initial="Europe/Berlin",
        widget=forms.TextInput(attrs={"list": "time-zones", "autocomplete": "off"}),
        help_text="The hours below are in this zone, e.g. Europe/Berlin, America/New_York, UTC.",
    )
    country = forms.CharField(
        max_length=2,
        required=False,
        widget=forms.TextInput(attrs={"list": "countries", "autocomplete": "off", "size": 3}),
        help_text="Two-letter code whose public holidays apply, e.g. DE; empty for none.",
    )
    subdivision = forms.CharField(
        max_length=10,
        required=False,
        help_text="A state or region with holidays of its own, e.g. BE for Berlin; empty for the "
        "national ones only.",
    )
    round_the_clock = forms.BooleanField(
        required=False, label="Round the clock (24 × 7): the weekly hours are not used"
    )
    holidays_stop_clock = forms.BooleanField(
        required=False, initial=True, label="Public holidays and closures stop the clock"
    )
    is_active = forms.BooleanField(required=False, initial=True, label="Active: new targets may choose it")

    def __init__(self, *args, calendar: BusinessCalendar | None = None, **kwargs):
        week = week_of(calendar) if calendar is not None else None
        self.slots = max([SLOTS, *(len(day) for day in week)] if week else [SLOTS])
        if calendar is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_for(calendar, week)
        super().__init__(*args, **kwargs)
        self.row_errors: dict[int, list[str]] = {}
        self.week_errors: list[str] = []
        self._row_of_index: list[int] = []
        for weekday, label in Weekday.choices:
            for slot in range(1, self.slots + 1):
                for part, word in (("start", "starts"), ("end", "ends")):
                    self.fields[self.hour_field(weekday, slot, part)] = forms.TimeField(
                        required=False,
                        widget=_time_widget(f"{label}, stretch {slot}, {word}"),
                        input_formats=["%H:%M", "%H:%M:%S"],
                    )

    @staticmethod
    def hour_field(weekday: int, slot: int, part: str) -> str:
        return f"hours_{weekday}_{slot}_{part}"

    @classmethod
    def initial_for(cls, calendar: BusinessCalendar, week=None) -> dict:
        initial = {name: getattr(calendar, name) for name in ("name", "description", "time_zone")}
        initial |= {
            name: getattr(calendar, name)
            for name in ("country", "subdivision", "round_the_clock", "holidays_stop_clock", "is_active")
        }
        for weekday, stretches in enumerate(week if week is not None else week_of(calendar)):
            for slot, (start, end) in enumerate(stretches, start=1):
                initial[cls.hour_field(weekday, slot, "start")] = start
                # The day's last second is midnight, which a time input writes 00:00.
                initial[cls.hour_field(weekday, slot, "end")] = time(0) if end >= END_OF_DAY else end
        return initial

    def clean(self):
        data = super().clean()
        for weekday, label in Weekday.choices:
            for slot in range(1, self.slots + 1):
                start = data.get(self.hour_field(weekday, slot, "start"))
                end = data.get(self.hour_field(weekday, slot, "end"))
                if (start is None) != (end is None):
                    missing = "end" if end is None else "start"
                    self.row_errors.setdefault(weekday, []).append(
                        f"{label}, stretch {slot}: give its {missing} too, or clear both."
                    )
        if self.row_errors:
            raise forms.ValidationError("Some weekly hours are incomplete; see the rows marked below.")
        return data

    def hours(self) -> list[tuple[int, time, time]]:
        """The week as the service takes it; remembers which weekday each stretch came from so the
        service's errors (`hours[3]`) land on their row."""
        rows, self._row_of_index = [], []
        for weekday in Weekday.values:
            for slot in range(1, self.slots + 1):
                start = self.cleaned_data.get(self.hour_field(weekday, slot, "start"))
                end = self.cleaned_data.get(self.hour_field(weekday, slot, "end"))
                if start is not None and end is not None:
                    rows.append((weekday, start, end))
                    self._row_of_index.append(weekday)
        return rows

    def service_data(self) -> dict:
        fields = {
            name: self.cleaned_data[name]
            for name in (
                "name",
                "description",
                "time_zone",
                "country",
                "subdivision",
                "round_the_clock",
                "holidays_stop_clock",
                "is_active",
            )
        }
        return {**fields, "hours": self.hours()}

    def apply_error(self, error: ApplicationError) -> None:
        """A service error on its input, its weekday row, or the week as a whole."""
        placed = False
        for key, messages in error.fields.items():
            match = ROW_KEY.match(key)
            if match and int(match.group(1)) < len(self._row_of_index):
                self.row_errors.setdefault(self._row_of_index[int(match.group(1))], []).extend(messages)
                self.add_error(None, "Some weekly hours need a fix; see the rows marked below.")
            elif key == "hours":
                self.week_errors.extend(messages)
                self.add_error(None, messages[0])
            elif key in self.fields:
                for message in messages:
                    self.add_error(key, message)
            else:
                continue
            placed = True
        if not placed:
            self.add_error(None, error.message)

    def week_rows(self) -> list[dict]:
        """Per weekday: its label, its slots' start and end fields, and its errors (which the row's
        inputs point at)."""
        for weekday in self.row_errors:
            for slot in range(1, self.slots + 1):
                for part in ("start", "end"):
                    attrs = self.fields[self.hour_field(weekday, slot, part)].widget.attrs
                    attrs["aria-invalid"] = "true"
                    attrs["aria-describedby"] = f"week-{weekday}-errors"
        return [
            {
                "weekday": weekday,
                "label": label,
                "slots": [
                    (
                        self[self.hour_field(weekday, slot, "start")],
                        self[self.hour_field(weekday, slot, "end")],
                    )
                    for slot in range(1, self.slots + 1)
                ],
                "errors": self.row_errors.get(weekday, []),
            }
            for weekday, label in Weekday.choices
        ]

    def main_fields(self) -> list:
        return [self[name] for name in self.fields if not name.startswith("hours_")]


class ClosureForm(forms.Form):
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    name = forms.CharField(max_length=120, help_text="Why it is closed, e.g. Company day off.")


class BusinessTimeForm(forms.Form):
    """The calendar page's calculator: moments are read in the calendar's time zone."""

    start = forms.DateTimeField(
        label="From",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
    )
    end = forms.DateTimeField(
        label="To",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
    )
    pause_start = forms.DateTimeField(
        label="Paused from",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
    )
    pause_end = forms.DateTimeField(
        label="Paused until",
        required=False,
        help_text="Empty: still paused at “To”.",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
    )
    hours = forms.DecimalField(
        label="Deadline for",
        required=False,
        min_value=Decimal("0"),
        max_value=Decimal("100000"),
        max_digits=9,
        decimal_places=2,
        help_text="Business hours after “From”: when are they used up?",
    )

    def __init__(self, *args, zone: ZoneInfo, **kwargs):
        super().__init__(*args, **kwargs)
        self.zone = zone

    def _local(self, value: datetime | None) -> datetime | None:
        # The browser sends wall-clock time; it is the calendar's, whatever the site's zone.
        if value is None:
            return None
        return value.replace(tzinfo=None).replace(tzinfo=self.zone)

    def clean(self):
        data = super().clean()
        for name in ("start", "end", "pause_start", "pause_end"):
            data[name] = self._local(data.get(name))
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", "“To” comes before “From”: swap them.")
        elif start and end and end - start > timedelta(days=36525):
            self.add_error("end", "Ask about at most a hundred years at a time.")
        pause_start, pause_end = data.get("pause_start"), data.get("pause_end")
        if pause_end and not pause_start:
            self.add_error("pause_start", "Say when the pause began.")
        if pause_start and pause_end and pause_end < pause_start:
            self.add_error("pause_end", "The pause ends before it begins.")
        return data

    def pauses(self) -> list[tuple[datetime, datetime | None]]:
        if self.cleaned_data.get("pause_start") is None:
            return []
        return [(self.cleaned_data["pause_start"], self.cleaned_data.get("pause_end"))]
