"""Measurements of a target: one achieved value at one moment, entered by hand, imported from a file,
pushed through the API (stored once per source id) or produced by another app (Co-create's request
clocks). `period_start` is the first day of the month or quarter the moment falls in, in the time zone
of the target's calendar (the site's time zone when it has none); the services set it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from journeys.base import BaseModel

__all__ = ["Measurement", "MeasurementSource"]


class MeasurementSource(models.TextChoices):
    MANUAL = "manual", "Entered by hand"
    IMPORT = "import", "Imported from a file"
    API = "api", "Pushed through the API"
    SYSTEM = "system", "Produced by DSV"


class Measurement(BaseModel):
    target = models.ForeignKey(
        "agreements.ServiceLevelTarget", on_delete=models.CASCADE, related_name="measurements", db_index=False
    )
    measured_at = models.DateTimeField(
        help_text="The moment (or the end of the stretch) the value describes."
    )
    period_start = models.DateField(help_text="First day of the target's month or quarter it counts in.")
    value = models.DecimalField(max_digits=16, decimal_places=4)
    source = models.CharField(
        max_length=10, choices=MeasurementSource.choices, default=MeasurementSource.MANUAL
    )
    source_id = models.CharField(
        max_length=120,
        blank=True,
        default="",
        help_text="The sender's own id for this value: sending it again updates the stored one, never adds.",
    )
    note = models.CharField(max_length=500, blank=True, default="")
    excluded = models.BooleanField(
        default=False, help_text="Taken while a consumer condition was not met: shown, but not counted."
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["target_id", "-measured_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(source__in=MeasurementSource.values), name="measurement_source_valid"
            ),
            models.UniqueConstraint(
                fields=["target", "source_id"], condition=~Q(source_id=""), name="measurement_source_id_once"
            ),
        ]
        indexes = [
            models.Index(fields=["target", "period_start"], name="measurement_target_period"),
            models.Index(fields=["updated_at", "id"], name="measurement_sync"),
        ]

    def __str__(self) -> str:
        return f"{self.value} at {self.measured_at:%Y-%m-%d %H:%M}"
