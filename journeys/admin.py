from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from journeys.models import (
    IdempotencyKey,
    Journey,
    JourneyEvent,
    JourneyStepChange,
    Organization,
    Stakeholder,
    Team,
    Touchpoint,
)


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "created_at"]
    search_fields = ["name"]
    filter_horizontal = ["members"]


class StakeholderInline(admin.TabularInline):
    model = Stakeholder
    extra = 0
    fields = ["name", "job_title", "email", "is_customer", "is_user", "is_sponsor", "influence", "interest"]
    show_change_link = True


@admin.register(Organization)
class OrganizationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "owner", "team", "country", "external_id", "updated_at"]
    list_filter = ["kind", "team", "country"]
    search_fields = ["name", "external_id", "city"]
    list_select_related = ["owner", "team"]
    raw_id_fields = ["owner"]
    inlines = [StakeholderInline]


@admin.register(Stakeholder)
class StakeholderAdmin(SimpleHistoryAdmin):
    list_display = [
        "name",
        "organization",
        "job_title",
        "is_customer",
        "is_user",
        "is_sponsor",
        "influence",
        "interest",
        "survey_consent",
    ]
    list_filter = ["category", "is_customer", "is_user", "is_sponsor", "survey_consent", "is_active"]
    search_fields = ["name", "email", "external_id", "organization__name"]
    list_select_related = ["organization"]
    raw_id_fields = ["organization"]


class JourneyStepChangeInline(admin.TabularInline):
    model = JourneyStepChange
    extra = 0
    readonly_fields = ["from_step", "to_step", "changed_at", "changed_by", "note"]
    can_delete = False


@admin.register(Journey)
class JourneyAdmin(admin.ModelAdmin):
    list_display = ["name", "organization", "current_step", "status", "step_entered_at"]
    list_filter = ["current_step", "status"]
    search_fields = ["name", "organization__name", "external_id"]
    list_select_related = ["organization"]
    raw_id_fields = ["organization"]
    inlines = [JourneyStepChangeInline]


@admin.register(Touchpoint)
class TouchpointAdmin(admin.ModelAdmin):
    list_display = [
        "occurred_at",
        "organization",
        "stakeholder",
        "step",
        "channel",
        "kind",
        "sentiment",
        "moment_of_truth",
    ]
    list_filter = ["step", "channel", "kind", "direction", "moment_of_truth"]
    search_fields = ["summary", "organization__name", "external_id"]
    list_select_related = ["organization", "stakeholder"]
    raw_id_fields = ["organization", "journey", "stakeholder", "logged_by"]
    date_hierarchy = "occurred_at"


@admin.register(JourneyEvent)
class JourneyEventAdmin(admin.ModelAdmin):
    list_display = ["id", "event_type", "organization", "occurred_at", "dispatched_at", "attempts"]
    list_filter = ["event_type"]
    raw_id_fields = ["organization", "journey", "actor"]
    readonly_fields = ["payload", "last_error"]


@admin.register(IdempotencyKey)
class IdempotencyKeyAdmin(admin.ModelAdmin):
    list_display = ["key", "user", "endpoint", "response_status", "created_at"]
    search_fields = ["key"]
    raw_id_fields = ["user"]
