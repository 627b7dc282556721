"""Forms of the Engage pages. They check types; the services check the rules and the actor's rights."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django import forms
from django.utils import timezone

from journeys.models import GridQuadrant
from relationships.services import GRID_DIRECTIONS


def end_of_day(day: date) -> datetime:
    """A grid "as of" a date shows it as it stood when that day ended, in the site's time zone."""
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=timezone.get_current_timezone()) - (
        timedelta(microseconds=1)
    )


class GridDatesForm(forms.Form):
    """The dates a grid is shown at: as of a past day (read-only), compared with an earlier day."""

    as_of = forms.DateField(
        required=False,
        label="As of",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Show the grid as it stood at the end of that day (read-only).",
    )
    compare = forms.DateField(
        required=False,
        label="Compare with",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Show where each person stood at the end of that day.",
    )

    def clean(self):
        cleaned = super().clean()
        today = timezone.localdate()
        for name in ("as_of", "compare"):
            day = cleaned.get(name)
            if day and day > today:
                self.add_error(name, "The grid's history ends today; pick today or an earlier day.")
        return cleaned

    def moments(self) -> tuple[datetime | None, datetime | None]:
        """(as of, compare with) as moments; days that are invalid or not given count as none."""
        if not self.is_bound or not self.is_valid():
            return None, None
        as_of, compare = self.cleaned_data.get("as_of"), self.cleaned_data.get("compare")
        return (end_of_day(as_of) if as_of else None, end_of_day(compare) if compare else None)


class GridMoveForm(forms.Form):
    """A move on the grid: one square in a direction (the arrow buttons), into a quadrant (drag and drop),
    or to an explicit position."""

    direction = forms.ChoiceField(choices=[(name, name) for name in GRID_DIRECTIONS], required=False)
    # Drag and drop sends the quadrant it was dropped on; the service picks the nearest position there.
    quadrant = forms.ChoiceField(choices=GridQuadrant.choices, required=False)
    influence = forms.IntegerField(required=False)
    interest = forms.IntegerField(required=False)
    compare = forms.DateField(required=False)

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        if not cleaned.get("direction") and not cleaned.get("quadrant"):
            for name in ("influence", "interest"):
                if cleaned.get(name) is None:
                    self.add_error(
                        name, f"Give a direction, or both influence and interest ({name} is missing)."
                    )
        return cleaned
