"""Business-hours calendars: the weekly hours a service level target's time counts in, in one time zone,
less the public holidays of a country (from the maintained `holidays` library) and the calendar's own
closures. `agreements.business_time` does the arithmetic."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q

from journeys.base import BaseModel

__all__ = ["BusinessCalendar", "BusinessHours", "CalendarClosure", "Weekday"]


class Weekday(models.IntegerChoices):
    """ISO order, Monday first, as datetime.weekday() counts (0 = Monday)."""

    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class BusinessCalendar(BaseModel):
    """When the provider's clock runs for a target: weekly hours in `time_zone`, minus the country's
    public holidays and the calendar's closures when `holidays_stop_clock` is on. A round-the-clock
    calendar (24 × 7) has no hours of its own; every other one needs at least one stretch of hours.
    """

    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(blank=True, default="")
    time_zone = models.CharField(
        max_length=64, default="UTC", help_text="IANA time zone name, e.g. Europe/Berlin."
    )
    country = models.CharField(
        max_length=2,
        blank=True,
        default="",
        help_text="ISO 3166 two-letter code whose public holidays apply.",
    )
    subdivision = models.CharField(
        max_length=10,
        blank=True,
        default="",
        help_text="A state or region code when holidays differ by region.",
    )
    round_the_clock = models.BooleanField(
        default=False, help_text="24 × 7: the clock runs every hour of every day (weekly hours are ignored)."
    )
    holidays_stop_clock = models.BooleanField(
        default=True, help_text="Whether the clock stops on public holidays and closures."
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class BusinessHours(BaseModel):
    """One stretch of working time on a weekday, in the calendar's time zone. End after start; a day
    may have several stretches (e.g. 08:00–12:00 and 13:00–17:00) that must not overlap."""

    calendar = models.ForeignKey(BusinessCalendar, on_delete=models.CASCADE, related_name="hours")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    starts_at = models.TimeField()
    ends_at = models.TimeField(help_text="00:00 is not allowed; use 23:59:59 for the end of the day.")

    class Meta:
        verbose_name_plural = "business hours"
        ordering = ["calendar_id", "weekday", "starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weekday__gte=0, weekday__lte=6), name="business_hours_weekday"
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="business_hours_end_after_start",
                violation_error_message="The hours must end after they start.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.starts_at:%H:%M}–{self.ends_at:%H:%M}"


class CalendarClosure(BaseModel):
    """A day the calendar's own organization is closed beyond the country's public holidays
    (a company day off, a regional holiday the library does not know)."""

    calendar = models.ForeignKey(BusinessCalendar, on_delete=models.CASCADE, related_name="closures")
    date = models.DateField()
    name = models.CharField(max_length=120)

    class Meta:
        ordering = ["calendar_id", "date"]
        constraints = [
            models.UniqueConstraint(fields=["calendar", "date"], name="calendar_closure_once_a_day"),
        ]

    def __str__(self) -> str:
        return f"{self.date}: {self.name}"
