from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from offerings.models import (
    Assumption,
    BenefitLine,
    BusinessCase,
    BusinessCaseRisk,
    CostLine,
    DemandProfile,
    DemandProfileCell,
    EngagementTier,
    OfferingComponent,
    OfferingJourney,
    OnboardingPlaybook,
    Opportunity,
    PlaybookAction,
    PlaybookActionDependency,
    Requirement,
    Service,
    ServiceOffering,
    ValueProposition,
)

# --- catalogue --------------------------------------------------------------------------------------


class ServiceOfferingInline(admin.TabularInline):
    model = ServiceOffering
    extra = 0
    fields = ["name", "status", "published_at"]
    show_change_link = True


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "owner", "updated_at"]
    search_fields = ["name", "description"]
    list_select_related = ["owner"]
    raw_id_fields = ["owner"]
    inlines = [ServiceOfferingInline]


class OfferingComponentInline(admin.TabularInline):
    model = OfferingComponent
    extra = 0
    fields = ["kind", "name", "description", "position"]


class EngagementTierInline(admin.TabularInline):
    model = EngagementTier
    extra = 0
    fields = ["name", "description", "position"]


class ValuePropositionInline(admin.StackedInline):
    model = ValueProposition
    extra = 0
    raw_id_fields = ["segment", "persona"]


class OfferingJourneyInline(admin.TabularInline):
    model = OfferingJourney
    extra = 0
    raw_id_fields = ["journey", "linked_by"]


@admin.register(ServiceOffering)
class ServiceOfferingAdmin(SimpleHistoryAdmin):
    list_display = ["name", "service", "status", "published_at", "retired_at", "updated_at"]
    list_filter = ["status", "service"]
    search_fields = ["name", "summary", "service__name"]
    list_select_related = ["service"]
    filter_horizontal = ["target_segments", "target_personas"]
    inlines = [OfferingComponentInline, EngagementTierInline, ValuePropositionInline, OfferingJourneyInline]


@admin.register(ValueProposition)
class ValuePropositionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "offering", "segment", "persona", "target_decision_maker_role"]
    list_filter = ["target_decision_maker_role"]
    search_fields = ["headline", "offering__name", "segment__name", "persona__name"]
    list_select_related = ["offering", "segment", "persona"]
    raw_id_fields = ["offering", "segment", "persona"]


# --- demand -----------------------------------------------------------------------------------------


@admin.register(Requirement)
class RequirementAdmin(SimpleHistoryAdmin):
    list_display = [
        "title",
        "organization",
        "kind",
        "status",
        "moscow",
        "rank",
        "service_impact",
        "urgency",
        "risk_reduction",
        "job_size",
    ]
    list_filter = ["kind", "status", "moscow"]
    search_fields = ["title", "description", "i_want", "organization__name"]
    list_select_related = ["organization"]
    raw_id_fields = ["organization", "journey", "offering", "owner"]


class DemandProfileCellInline(admin.TabularInline):
    model = DemandProfileCell
    extra = 0
    fields = ["dimension", "bucket", "volume"]


@admin.register(DemandProfile)
class DemandProfileAdmin(admin.ModelAdmin):
    list_display = ["offering", "source", "trend", "covers_from", "covers_to", "computed_at"]
    list_filter = ["source", "trend"]
    search_fields = ["offering__name", "activity"]
    list_select_related = ["offering"]
    raw_id_fields = ["offering"]
    inlines = [DemandProfileCellInline]


@admin.register(Opportunity)
class OpportunityAdmin(SimpleHistoryAdmin):
    list_display = ["title", "organization", "stage", "estimated_value", "expected_close_date", "owner"]
    list_filter = ["stage"]
    search_fields = ["title", "organization__name"]
    list_select_related = ["organization", "owner"]
    raw_id_fields = ["organization", "offering", "journey", "owner"]


# --- business cases ---------------------------------------------------------------------------------


class CostLineInline(admin.TabularInline):
    model = CostLine
    extra = 0
    fields = ["description", "category", "expense_type", "recurrence", "year", "last_year", "amount"]


class BenefitLineInline(admin.TabularInline):
    model = BenefitLine
    extra = 0
    fields = ["description", "benefit_type", "indicator", "recurrence", "year", "last_year", "amount"]


class BusinessCaseRiskInline(admin.TabularInline):
    model = BusinessCaseRisk
    extra = 0
    fields = ["description", "probability", "impact", "mitigation"]


class AssumptionInline(admin.TabularInline):
    model = Assumption
    extra = 0
    fields = ["text", "confidence", "area", "owner"]
    raw_id_fields = ["owner"]


@admin.register(BusinessCase)
class BusinessCaseAdmin(SimpleHistoryAdmin):
    list_display = ["title", "version", "organization", "perspective", "status", "is_baseline", "updated_at"]
    list_filter = ["perspective", "status", "is_baseline"]
    search_fields = ["title", "organization__name"]
    list_select_related = ["organization"]
    raw_id_fields = ["organization", "offering", "previous_version", "approved_by", "owner"]
    readonly_fields = ["lineage"]
    inlines = [CostLineInline, BenefitLineInline, BusinessCaseRiskInline, AssumptionInline]


# --- onboarding playbooks ---------------------------------------------------------------------------


class PlaybookActionInline(admin.TabularInline):
    model = PlaybookAction
    extra = 0
    fields = ["title", "owner_party", "owner_role", "due_after_days", "position"]
    show_change_link = True


@admin.register(OnboardingPlaybook)
class OnboardingPlaybookAdmin(admin.ModelAdmin):
    list_display = ["name", "offering", "owner", "updated_at"]
    search_fields = ["name", "offering__name"]
    list_select_related = ["offering", "owner"]
    raw_id_fields = ["offering", "owner"]
    inlines = [PlaybookActionInline]


class PlaybookActionDependencyInline(admin.TabularInline):
    model = PlaybookActionDependency
    fk_name = "action"
    extra = 0
    raw_id_fields = ["depends_on"]


@admin.register(PlaybookAction)
class PlaybookActionAdmin(admin.ModelAdmin):
    list_display = ["title", "playbook", "owner_party", "due_after_days", "position"]
    list_filter = ["owner_party"]
    search_fields = ["title", "playbook__name"]
    list_select_related = ["playbook"]
    raw_id_fields = ["playbook"]
    inlines = [PlaybookActionDependencyInline]
