from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from onboarding.models import ActionComment, ActionLink, ActionReminder, OnboardingPlan, PlanAction, PlanGoal


class PlanGoalInline(admin.TabularInline):
    model = PlanGoal
    extra = 0
    fields = ["description", "metric", "target", "target_date", "evaluation", "result"]


class PlanActionInline(admin.TabularInline):
    model = PlanAction
    extra = 0
    fields = ["title", "owner_party", "owner_user", "owner_stakeholder", "due_on", "status"]
    raw_id_fields = ["owner_user", "owner_stakeholder"]


@admin.register(OnboardingPlan)
class OnboardingPlanAdmin(SimpleHistoryAdmin):
    list_display = ["title", "organization", "kind", "status", "starts_on", "owner"]
    list_filter = ["kind", "status"]
    search_fields = ["title", "organization__name"]
    raw_id_fields = [
        "organization",
        "journey",
        "agreement",
        "playbook",
        "owner",
        "customer_contact",
        "accepted_by",
    ]
    inlines = [PlanGoalInline, PlanActionInline]


class ActionCommentInline(admin.TabularInline):
    model = ActionComment
    extra = 0
    raw_id_fields = ["author_user", "author_stakeholder"]


@admin.register(PlanAction)
class PlanActionAdmin(SimpleHistoryAdmin):
    list_display = ["title", "plan", "owner_party", "due_on", "status"]
    list_filter = ["status", "owner_party"]
    search_fields = ["title", "plan__title"]
    raw_id_fields = [
        "plan",
        "owner_user",
        "owner_stakeholder",
        "completed_by",
        "completed_by_stakeholder",
        "playbook_action",
    ]
    inlines = [ActionCommentInline]


@admin.register(ActionReminder)
class ActionReminderAdmin(admin.ModelAdmin):
    list_display = ["action", "day", "kind", "recipient", "sent_at"]
    list_filter = ["kind", "day"]
    raw_id_fields = ["action"]


@admin.register(ActionLink)
class ActionLinkAdmin(admin.ModelAdmin):
    """Links are shown without their tokens, which exist only in the e-mails."""

    list_display = ["action", "stakeholder", "expires_at", "used_at", "used_for"]
    readonly_fields = ["nonce"]
    raw_id_fields = ["action", "stakeholder"]
