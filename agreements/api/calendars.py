"""REST API of the business-hours calendars (/api/v1/agree/calendars/): list, create, read, change and
delete calendars with their weekly hours and closures, and the business time between two moments for
integrations that run clocks of their own.

The conventions of journeys/api.py: one class per URL, input and output serializers apart, reads
through the selectors, writes through the services (which name the field of any bad input, a stretch
of hours as `hours[2]`), errors in the one envelope. Every role reads the calendars; relationship
managers, administrators and integrators change them.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

import django_filters
from django.db.models import QuerySet
from django.urls import path
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_serializer,
)
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from agreements import selectors, services
from agreements.business_time import (
    business_deadline,
    business_seconds,
    duration_label,
    is_business_time,
    schedule_for,
)
from agreements.models import BusinessCalendar, BusinessHours, CalendarClosure, Weekday
from journeys.api import IDEMPOTENCY_PARAMETER, READ_ERRORS, WRITE_ERRORS, ListApi, UpdatedSinceFilterSet
from journeys.api_base import NamedChoiceField, validated
from journeys.base import ApplicationError
from journeys.idempotency import idempotent
from journeys.serializers import ErrorOutput, InputSerializer

TAGS = ["business-hours calendars"]
# Business time is counted day by day: a bound keeps one request from counting for centuries.
MAX_RANGE = timedelta(days=36525)
WRITE_ERRORS_WITH_REPLAY = {**WRITE_ERRORS, 422: ErrorOutput}

# --- serializers ----------------------------------------------------------------------------------


class BusinessHoursInput(InputSerializer):
    weekday = NamedChoiceField(Weekday, help_text="0 = Monday … 6 = Sunday.")
    starts_at = serializers.TimeField(help_text="Local time in the calendar's zone, e.g. 09:00.")
    ends_at = serializers.TimeField(
        help_text="After the start; 00:00 (or 23:59:59) for hours that run to midnight."
    )


class CalendarClosureInput(InputSerializer):
    date = serializers.DateField()
    name = serializers.CharField(max_length=120, help_text="Why it is closed, e.g. Company day off.")


class BusinessCalendarUpdateInput(InputSerializer):
    name = serializers.CharField(max_length=120)
    description = serializers.CharField(required=False, allow_blank=True)
    time_zone = serializers.CharField(max_length=64, help_text="IANA name, e.g. Europe/Berlin.")
    country = serializers.CharField(
        max_length=2,
        required=False,
        allow_blank=True,
        help_text="Two-letter code whose public holidays apply (empty: none).",
    )
    subdivision = serializers.CharField(
        max_length=10,
        required=False,
        allow_blank=True,
        help_text="A state or region of the country with holidays of its own, e.g. BE.",
    )
    round_the_clock = serializers.BooleanField(
        required=False, help_text="24 × 7; the weekly hours are then not used."
    )
    holidays_stop_clock = serializers.BooleanField(
        required=False, help_text="Whether public holidays and closures stop the clock (true by default)."
    )
    is_active = serializers.BooleanField(required=False, help_text="Whether new targets may choose it.")
    hours = BusinessHoursInput(
        many=True,
        required=False,
        help_text="The whole week, replacing what there was; a day left out has no hours. Required "
        "(at least one stretch) unless round the clock.",
    )
    closures = CalendarClosureInput(
        many=True, required=False, help_text="Every closure, replacing what there was."
    )


class BusinessCalendarCreateInput(BusinessCalendarUpdateInput):
    pass


@extend_schema_serializer(component_name="BusinessHours")
class BusinessHoursOutput(serializers.ModelSerializer):
    weekday = NamedChoiceField(Weekday, read_only=True)

    class Meta:
        model = BusinessHours
        fields = ["weekday", "starts_at", "ends_at"]
        read_only_fields = fields


@extend_schema_serializer(component_name="CalendarClosure")
class CalendarClosureOutput(serializers.ModelSerializer):
    class Meta:
        model = CalendarClosure
        fields = ["id", "date", "name"]
        read_only_fields = fields


@extend_schema_serializer(component_name="BusinessCalendar")
class BusinessCalendarOutput(serializers.ModelSerializer):
    hours = BusinessHoursOutput(many=True, read_only=True)
    closures = CalendarClosureOutput(many=True, read_only=True)
    hours_summary = serializers.SerializerMethodField(help_text="The week in one line.")
    weekly_hours = serializers.SerializerMethodField(help_text="Business hours of an ordinary week.")
    target_count = serializers.IntegerField(
        read_only=True, help_text="Service level targets counting time in it (every account's)."
    )

    class Meta:
        model = BusinessCalendar
        fields = [
            "id",
            "name",
            "description",
            "time_zone",
            "country",
            "subdivision",
            "round_the_clock",
            "holidays_stop_clock",
            "is_active",
            "hours",
            "hours_summary",
            "weekly_hours",
            "closures",
            "target_count",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_hours_summary(self, calendar: BusinessCalendar) -> str:
        return selectors.hours_summary(calendar)

    @extend_schema_field(OpenApiTypes.DOUBLE)
    def get_weekly_hours(self, calendar: BusinessCalendar) -> float:
        return round(schedule_for(calendar).weekly_seconds() / 3600, 2)


@extend_schema_serializer(component_name="BusinessTime")
class BusinessTimeOutput(serializers.Serializer):
    calendar = serializers.IntegerField()
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    seconds = serializers.IntegerField(help_text="Whole seconds of business time, less the pauses.")
    hours = serializers.DecimalField(max_digits=12, decimal_places=2, help_text="The same in hours.")
    label = serializers.CharField(help_text='As people read it, e.g. "5 h 30 min".')
    end_in_business_time = serializers.BooleanField(help_text="Whether the clock runs at `end`.")
    deadline_hours = serializers.DecimalField(
        max_digits=12, decimal_places=2, allow_null=True, help_text="As asked, or null."
    )
    deadline = serializers.DateTimeField(
        allow_null=True,
        help_text="When `deadline_hours` of business time after `start` are used up; null when not "
        "asked or when an open pause holds the clock before then.",
    )


# --- examples -------------------------------------------------------------------------------------

CALENDAR_EXAMPLE = {
    "id": 3,
    "name": "Office hours Berlin",
    "description": "Service desk and second line.",
    "time_zone": "Europe/Berlin",
    "country": "DE",
    "subdivision": "BE",
    "round_the_clock": False,
    "holidays_stop_clock": True,
    "is_active": True,
    "hours": [{"weekday": weekday, "starts_at": "08:00:00", "ends_at": "18:00:00"} for weekday in range(5)],
    "hours_summary": "Mon–Fri 08:00–18:00",
    "weekly_hours": 50.0,
    "closures": [{"id": 7, "date": "2026-12-24", "name": "Company day off"}],
    "target_count": 4,
    "created_at": "2026-01-05T09:12:00Z",
    "updated_at": "2026-02-11T14:30:00Z",
}
CREATE_EXAMPLE = {
    "name": "Office hours Berlin",
    "time_zone": "Europe/Berlin",
    "country": "DE",
    "subdivision": "BE",
    "hours": [
        {"weekday": 0, "starts_at": "08:00", "ends_at": "12:00"},
        {"weekday": 0, "starts_at": "13:00", "ends_at": "18:00"},
        {"weekday": 1, "starts_at": "08:00", "ends_at": "18:00"},
    ],
    "closures": [{"date": "2026-12-24", "name": "Company day off"}],
}
OVERLAP_EXAMPLE = {
    "error": {
        "code": "invalid",
        "message": "Tuesday 12:00–14:00 overlaps 09:00–13:00: make one end before the other starts.",
        "fields": {
            "hours[2]": ["Tuesday 12:00–14:00 overlaps 09:00–13:00: make one end before the other starts."]
        },
    }
}
IN_USE_EXAMPLE = {
    "error": {
        "code": "calendar_in_use",
        "message": "“Office hours Berlin” is used by 4 service level targets: give them another calendar "
        "first, or deactivate this one so no new target picks it.",
        "fields": {},
    }
}
BUSINESS_TIME_EXAMPLE = {
    "calendar": 3,
    "start": "2026-04-02T14:00:00Z",
    "end": "2026-04-07T08:00:00Z",
    "seconds": 7200,
    "hours": "2.00",
    "label": "2 h",
    "end_in_business_time": True,
    "deadline_hours": "4.00",
    "deadline": "2026-04-07T10:00:00Z",
}


def _calendar_example(summary: str = "A calendar") -> OpenApiExample:
    return OpenApiExample(summary, value=CALENDAR_EXAMPLE, response_only=True)


def _error_example(summary: str, value: dict, status_code: str) -> OpenApiExample:
    return OpenApiExample(summary, value=value, response_only=True, status_codes=[status_code])


# --- helpers --------------------------------------------------------------------------------------


def _validated(serializer_class, request: Request, *, partial: bool = False) -> dict[str, Any]:
    data = validated(serializer_class, request, partial=partial)
    if "hours" in data:
        data["hours"] = [(row["weekday"], row["starts_at"], row["ends_at"]) for row in data["hours"]]
    if "closures" in data:
        data["closures"] = [(row["date"], row["name"]) for row in data["closures"]]
    return data


def _answer(
    request: Request, calendar: BusinessCalendar, *, status_code: int = status.HTTP_200_OK
) -> Response:
    # Read back through the selector: hours, closures and the target count come with it.
    calendar = selectors.calendar_get(user=request.user, pk=calendar.pk)
    return Response(BusinessCalendarOutput(calendar).data, status=status_code)


def _moment(name: str, value: str):
    moment = parse_datetime(value.strip().replace(" ", "+")) if value else None
    if moment is None:
        raise ApplicationError.for_field(name, "Use an ISO 8601 date-time, e.g. 2026-04-02T09:00:00+02:00.")
    if moment.tzinfo is None:
        raise ApplicationError.for_field(name, "Include a time zone, e.g. a trailing Z for UTC.")
    return moment


def _pause(value: str):
    start, separator, end = value.partition("/")
    if not separator:
        raise ApplicationError.for_field(
            "pause",
            "Give a pause as start/end, e.g. 2026-04-02T10:00Z/2026-04-02T11:00Z (end empty: still paused).",
        )
    return (_moment("pause", start), _moment("pause", end) if end.strip() else None)


# --- views ----------------------------------------------------------------------------------------


class CalendarFilter(UpdatedSinceFilterSet):
    is_active = django_filters.BooleanFilter()
    country = django_filters.CharFilter(
        method="filter_country", help_text="Two-letter code of the country whose holidays apply."
    )

    def filter_country(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(country=value.strip().upper())


@extend_schema(tags=TAGS)
class CalendarCollectionApi(ListApi):
    serializer_class = BusinessCalendarOutput
    filterset_class = CalendarFilter

    def get_queryset(self) -> QuerySet:
        return selectors.calendar_list(user=self.request.user, closures=True)

    @extend_schema(
        summary="List business-hours calendars",
        description="Every calendar with its weekly hours, closures and the number of service level "
        "targets counting time in it. Filter by `is_active`, `country` and `updated_since` (changed "
        "hours or closures count as a change of the calendar); follow `next` for more.",
        responses={200: BusinessCalendarOutput(many=True), **READ_ERRORS},
        examples=[_calendar_example("Office hours in Berlin")],
    )
    def get(self, request: Request) -> Response:
        return super().get(request)

    @extend_schema(
        summary="Create a business-hours calendar",
        description="A calendar with its week of hours (at least one stretch unless `round_the_clock`; "
        "stretches of a day must not overlap) and, optionally, closures. The time zone must be an IANA "
        "name, the country one whose public holidays are known, the subdivision one of that country's. "
        "Bad input names its field (a stretch by its place in the list, `hours[2]`); nothing is saved. "
        "A name already taken answers 409.",
        parameters=[IDEMPOTENCY_PARAMETER],
        request=BusinessCalendarCreateInput,
        responses={201: BusinessCalendarOutput, **WRITE_ERRORS_WITH_REPLAY},
        examples=[
            OpenApiExample(
                "Office hours with a lunch break on Monday", value=CREATE_EXAMPLE, request_only=True
            ),
            _calendar_example("The created calendar"),
            _error_example("Overlapping hours", OVERLAP_EXAMPLE, "400"),
        ],
    )
    @idempotent
    def post(self, request: Request) -> Response:
        calendar = services.calendar_create(
            actor=request.user, **_validated(BusinessCalendarCreateInput, request)
        )
        return _answer(request, calendar, status_code=status.HTTP_201_CREATED)


@extend_schema(tags=TAGS)
class CalendarItemApi(APIView):
    @extend_schema(
        summary="Get a business-hours calendar",
        description="The calendar with its weekly hours, closures and how many targets use it.",
        responses={200: BusinessCalendarOutput, **READ_ERRORS},
        examples=[_calendar_example()],
    )
    def get(self, request: Request, pk: int) -> Response:
        return _answer(request, selectors.calendar_get(user=request.user, pk=pk))

    @extend_schema(
        summary="Change a business-hours calendar",
        description="Change any field. `hours` and `closures`, when given, replace the whole week or "
        "the whole list; left out, they stay as they are.",
        request=BusinessCalendarUpdateInput,
        responses={200: BusinessCalendarOutput, **WRITE_ERRORS},
        examples=[
            OpenApiExample(
                "Longer Friday",
                value={
                    "hours": [
                        *(
                            {"weekday": weekday, "starts_at": "08:00", "ends_at": "18:00"}
                            for weekday in range(4)
                        ),
                        {"weekday": 4, "starts_at": "08:00", "ends_at": "20:00"},
                    ]
                },
                request_only=True,
            ),
            OpenApiExample("Deactivate", value={"is_active": False}, request_only=True),
            _calendar_example("The changed calendar"),
            _error_example("Overlapping hours", OVERLAP_EXAMPLE, "400"),
        ],
    )
    def patch(self, request: Request, pk: int) -> Response:
        calendar = selectors.calendar_get(user=request.user, pk=pk)
        data = _validated(BusinessCalendarUpdateInput, request, partial=True)
        return _answer(request, services.calendar_update(actor=request.user, calendar=calendar, **data))

    @extend_schema(
        summary="Delete a business-hours calendar",
        description="Only a calendar no service level target uses; one in use answers 409 with the "
        "number of targets (give them another calendar, or deactivate this one instead).",
        responses={204: None, **WRITE_ERRORS},
        examples=[_error_example("Still in use", IN_USE_EXAMPLE, "409")],
    )
    def delete(self, request: Request, pk: int) -> Response:
        calendar = selectors.calendar_get(user=request.user, pk=pk)
        services.calendar_delete(actor=request.user, calendar=calendar)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=TAGS)
class CalendarBusinessTimeApi(APIView):
    @extend_schema(
        summary="Business time between two moments",
        description="How much of the calendar's business time lies between `start` and `end` (now when "
        "left out), less the pauses, in real elapsed time: weekly hours in the calendar's time zone, "
        "public holidays and closures stopping the clock when the calendar says so. With "
        "`deadline_hours`, also when that much business time after `start` is used up (pauses that "
        "have ended are skipped; an open pause holds the clock, so there is no deadline). Read-only.",
        parameters=[
            OpenApiParameter(
                "start", OpenApiTypes.DATETIME, required=True, description="ISO 8601 with a time zone."
            ),
            OpenApiParameter(
                "end", OpenApiTypes.DATETIME, description="ISO 8601 with a time zone; now by default."
            ),
            OpenApiParameter(
                "pause",
                OpenApiTypes.STR,
                many=True,
                explode=True,
                description="A pause as `start/end` (ISO 8601 both; end empty while still paused). Repeat "
                "for several; they may overlap or reach outside the range.",
            ),
            OpenApiParameter(
                "deadline_hours",
                OpenApiTypes.DECIMAL,
                description="Business hours after `start` whose end you want to know, e.g. 4 or 0.5.",
            ),
        ],
        responses={200: BusinessTimeOutput, **READ_ERRORS, 400: ErrorOutput, 409: ErrorOutput},
        examples=[OpenApiExample("Over Easter in Berlin", value=BUSINESS_TIME_EXAMPLE, response_only=True)],
    )
    def get(self, request: Request, pk: int) -> Response:
        calendar = selectors.calendar_get(user=request.user, pk=pk)
        params = request.query_params
        start = _moment("start", params.get("start", ""))
        end = _moment("end", params["end"]) if params.get("end") else timezone.now()
        if end < start:
            raise ApplicationError.for_field("end", "The end comes before the start.")
        if end - start > MAX_RANGE:
            raise ApplicationError.for_field("end", "Ask about at most a hundred years at a time.")
        pauses = [_pause(value) for value in params.getlist("pause")]
        for pause_start, pause_end in pauses:
            if pause_end is not None and pause_end < pause_start:
                raise ApplicationError.for_field("pause", "A pause ends before it starts.")
        deadline_hours = None
        if params.get("deadline_hours"):
            try:
                deadline_hours = Decimal(params["deadline_hours"])
            except InvalidOperation:
                deadline_hours = None
            if (
                deadline_hours is None
                or not deadline_hours.is_finite()
                or not 0 <= deadline_hours <= 1_000_000
            ):
                raise ApplicationError.for_field(
                    "deadline_hours", "Give the business hours as a number from 0 to 1000000, e.g. 4 or 0.5."
                )
        schedule = schedule_for(calendar)
        try:
            seconds = business_seconds(schedule, start, end, pauses=pauses)
            in_business_time = is_business_time(schedule, end)
        except ValueError as error:
            raise ApplicationError.for_field("start", str(error)) from None
        deadline = None
        if deadline_hours is not None:
            try:
                deadline = business_deadline(schedule, start, deadline_hours * 3600, pauses=pauses)
            except ValueError as error:
                raise ApplicationError.for_field(
                    "deadline_hours", str(error), code="no_deadline", status=409
                ) from None
        result = {
            "calendar": calendar.pk,
            "start": start,
            "end": end,
            "seconds": seconds,
            "hours": (Decimal(seconds) / 3600).quantize(Decimal("0.01")),
            "label": duration_label(seconds),
            "end_in_business_time": in_business_time,
            "deadline_hours": deadline_hours,
            "deadline": deadline,
        }
        return Response(BusinessTimeOutput(result).data)


urlpatterns = [
    path("agree/calendars/", CalendarCollectionApi.as_view(), name="api_agree_calendars"),
    path("agree/calendars/<int:pk>/", CalendarItemApi.as_view(), name="api_agree_calendar"),
    path(
        "agree/calendars/<int:pk>/business-time/",
        CalendarBusinessTimeApi.as_view(),
        name="api_agree_calendar_business_time",
    ),
]
