from django.contrib import admin

from exploration.models import MarketSegment, SegmentMembership


class SegmentMembershipInline(admin.TabularInline):
    model = SegmentMembership
    extra = 0
    fields = ["organization", "added_by", "created_at"]
    readonly_fields = ["created_at"]
    raw_id_fields = ["organization", "added_by"]


@admin.register(MarketSegment)
class MarketSegmentAdmin(admin.ModelAdmin):
    list_display = ["name", "approach", "basis", "is_homogeneous", "is_distinct", "reacts_alike", "owner"]
    list_filter = ["approach", "basis"]
    search_fields = ["name", "criteria"]
    list_select_related = ["owner"]
    raw_id_fields = ["owner"]
    inlines = [SegmentMembershipInline]
