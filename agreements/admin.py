from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from agreements.models import (
    Agreement,
    AgreementReview,
    Breach,
    BusinessCalendar,
    BusinessHours,
    CalendarClosure,
    Measurement,
    Scorecard,
    ServiceLevelTarget,
    TargetScore,
)

# --- calendars --------------------------------------------------------------------------------------


class BusinessHoursInline(admin.TabularInline):
    model = BusinessHours
    extra = 0


class CalendarClosureInline(admin.TabularInline):
    model = CalendarClosure
    extra = 0


@admin.register(BusinessCalendar)
class BusinessCalendarAdmin(admin.ModelAdmin):
    list_display = ["name", "time_zone", "country", "round_the_clock", "is_active"]
    list_filter = ["is_active", "round_the_clock", "country"]
    search_fields = ["name"]
    inlines = [BusinessHoursInline, CalendarClosureInline]


# --- agreements and targets ---------------------------------------------------------------------------


class ServiceLevelTargetInline(admin.TabularInline):
    model = ServiceLevelTarget
    extra = 0
    fields = ["name", "kind", "comparator", "target_value", "warning_threshold", "period", "is_active"]
    show_change_link = True


@admin.register(Agreement)
class AgreementAdmin(SimpleHistoryAdmin):
    list_display = ["title", "organization", "kind", "status", "starts_on", "ends_on", "owner"]
    list_filter = ["status", "kind", "form"]
    search_fields = ["title", "reference", "organization__name", "external_id"]
    list_select_related = ["organization", "owner"]
    raw_id_fields = ["organization", "owner", "customer_contact"]
    filter_horizontal = ["offerings"]
    inlines = [ServiceLevelTargetInline]


@admin.register(AgreementReview)
class AgreementReviewAdmin(admin.ModelAdmin):
    list_display = ["agreement", "held_on", "outcome", "compliance_pct"]
    list_select_related = ["agreement"]
    raw_id_fields = ["agreement", "reviewed_by"]


@admin.register(ServiceLevelTarget)
class ServiceLevelTargetAdmin(SimpleHistoryAdmin):
    list_display = ["name", "agreement", "kind", "comparator", "target_value", "period", "is_active"]
    list_filter = ["kind", "period", "is_active"]
    search_fields = ["name", "agreement__title"]
    list_select_related = ["agreement"]
    raw_id_fields = ["agreement", "calendar"]


# --- measurements and compliance ---------------------------------------------------------------------


@admin.register(Measurement)
class MeasurementAdmin(admin.ModelAdmin):
    list_display = ["target", "measured_at", "value", "source", "excluded"]
    list_filter = ["source", "excluded"]
    search_fields = ["source_id", "target__name"]
    list_select_related = ["target"]
    raw_id_fields = ["target", "recorded_by"]
    date_hierarchy = "measured_at"


@admin.register(TargetScore)
class TargetScoreAdmin(admin.ModelAdmin):
    list_display = ["target", "period_start", "achieved_value", "status", "is_closed"]
    list_filter = ["status", "is_closed", "kind", "period"]
    list_select_related = ["target"]
    raw_id_fields = ["target", "agreement", "organization"]


@admin.register(Scorecard)
class ScorecardAdmin(admin.ModelAdmin):
    list_display = ["organization", "agreement", "month", "compliance_pct", "breached"]
    list_select_related = ["organization", "agreement"]
    raw_id_fields = ["organization", "agreement"]


@admin.register(Breach)
class BreachAdmin(admin.ModelAdmin):
    list_display = ["target", "agreement", "period_start", "detected_at", "cleared_at", "notified_at"]
    list_select_related = ["target", "agreement"]
    raw_id_fields = ["target", "agreement", "organization"]
