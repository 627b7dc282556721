"""Input and output serializers of Onboard's API (onboarding/api/plans.py, goals.py, actions.py).

Input serializers check types, lengths and choices and resolve ids among the records the caller may
see (an account, person, journey, agreement or playbook the caller may not see is refused like one
that does not exist). The rules of planning (a due date before the plan starts, a circle of
dependencies, an owner on the wrong side, a move the lifecycle does not allow) stay in the services,
which name the field. Output serializers are read-only views of what the selectors read.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from agreements.models import Agreement
from agreements.selectors import agreement_scope
from journeys.api_base import NamedChoiceField, NamedChoiceFieldExtension
from journeys.models import Journey, Organization, Stakeholder
from journeys.selectors import journey_scope, organization_scope, stakeholder_scope
from journeys.serializers import InputSerializer, ScopedIdField
from offerings.models import OnboardingPlaybook, OwnerParty, ServiceOffering
from offerings.selectors import playbook_scope
from onboarding.models import (
    ACTION_TRANSITIONS,
    PLAN_TRANSITIONS,
    ActionArea,
    ActionComment,
    ActionStatus,
    ControlApproach,
    CustomerScenario,
    GoalEvaluation,
    GoalTemplate,
    OffboardingKind,
    OffboardingReason,
    OnboardingPlan,
    PlanAction,
    PlanGoal,
    PlanKind,
    PlanStatus,
    StartTrigger,
)
from onboarding.selectors import plan_api_shows_reasons

__all__: list[str] = []


class OptionalChoiceField(NamedChoiceField):
    """A named choice that may be left empty (""): in the schema, its choices class's enum or blank."""

    def __init__(self, choices_class, **kwargs) -> None:
        super().__init__(choices_class, required=False, allow_blank=True, **kwargs)


class OptionalChoiceFieldExtension(OpenApiSerializerFieldExtension):
    target_class = OptionalChoiceField
    # Before NamedChoiceFieldExtension, which also matches this subclass.
    priority = 1

    def map_serializer_field(self, auto_schema, direction):
        named = NamedChoiceFieldExtension(self.target).map_serializer_field(auto_schema, direction)
        blank = ResolvedComponent(
            name="BlankEnum", type=ResolvedComponent.SCHEMA, object="BlankEnum", schema={"enum": [""]}
        )
        auto_schema.registry.register_on_missing(blank)
        return {"oneOf": [named, blank.ref]}


def _optional_choice(choices_class, **kwargs) -> OptionalChoiceField:
    return OptionalChoiceField(choices_class, **kwargs)


# Dates a plan may hold. The services schedule actions so many days after a plan's start (up to two
# years for a playbook's), which a date near the calendar's end would overflow.
EARLIEST_DAY = date(2000, 1, 1)
LATEST_DAY = date(2999, 12, 31)


class PlanDateField(serializers.DateField):
    """A date between EARLIEST_DAY and LATEST_DAY."""

    def to_internal_value(self, value: Any) -> date:
        day = super().to_internal_value(value)
        if not EARLIEST_DAY <= day <= LATEST_DAY:
            raise serializers.ValidationError(
                f"Give a date between {EARLIEST_DAY.isoformat()} and {LATEST_DAY.isoformat()}."
            )
        return day


def _colleague(**kwargs) -> serializers.PrimaryKeyRelatedField:
    return serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.filter(is_active=True), required=False, allow_null=True, **kwargs
    )


def _person(**kwargs) -> ScopedIdField:
    return ScopedIdField(
        model=Stakeholder, scope=stakeholder_scope, required=False, allow_null=True, **kwargs
    )


# --- plans ----------------------------------------------------------------------------------------


class PlanUpdateInput(InputSerializer):
    title = serializers.CharField(max_length=200, required=False)
    starts_on = PlanDateField(
        required=False, help_text="The day it starts; no action or goal may be due before it."
    )
    ends_on = PlanDateField(
        required=False, allow_null=True, help_text="The day it should be finished; on or after `starts_on`."
    )
    scenario = _optional_choice(CustomerScenario)
    start_trigger = _optional_choice(StartTrigger)
    control_approach = _optional_choice(ControlApproach)
    offerings = serializers.PrimaryKeyRelatedField(
        queryset=ServiceOffering.objects.all(),
        many=True,
        required=False,
        help_text="Ids of the offerings in scope; replaces the list.",
    )
    user_groups = serializers.CharField(max_length=300, required=False, allow_blank=True)
    locations = serializers.CharField(max_length=300, required=False, allow_blank=True)
    user_count = serializers.IntegerField(
        min_value=0, max_value=2_147_483_647, required=False, allow_null=True
    )
    scope_notes = serializers.CharField(required=False, allow_blank=True)
    owner = _colleague(
        help_text="User id of the relationship manager or administrator accountable for it; defaults to "
        "you if you are a relationship manager."
    )
    customer_contact = _person(help_text="Id of the account's person who reviews and accepts it.")
    journey = ScopedIdField(
        model=Journey,
        scope=journey_scope,
        required=False,
        allow_null=True,
        help_text="The account's journey it moves on when it completes; defaults to its active one.",
    )
    offboarding_kind = _optional_choice(OffboardingKind, help_text="Offboarding plans only.")
    reason = _optional_choice(OffboardingReason, help_text="Why the consumer leaves; offboarding needs it.")
    confidential = serializers.BooleanField(
        required=False, help_text="Keep `reason` and `lessons_learned` to those who may change the account."
    )
    lessons_learned = serializers.CharField(required=False, allow_blank=True)


class PlanCreateInput(PlanUpdateInput):
    organization = ScopedIdField(model=Organization, scope=organization_scope, help_text="The consumer.")
    kind = NamedChoiceField(PlanKind, required=False)
    starts_on = PlanDateField(help_text="The day it starts; no action or goal may be due before it.")
    title = serializers.CharField(
        max_length=200, required=False, help_text="Needed, unless it is made from a playbook."
    )
    playbook = ScopedIdField(
        model=OnboardingPlaybook,
        scope=playbook_scope,
        required=False,
        allow_null=True,
        help_text="Make an onboarding plan from this playbook: its actions, due so many days after "
        "`starts_on`, with their dependencies.",
    )
    agreement = ScopedIdField(
        model=Agreement,
        scope=agreement_scope,
        required=False,
        allow_null=True,
        help_text="With `playbook`: the account's agreement whose services it brings into use.",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        playbook, agreement = attrs.get("playbook"), attrs.get("agreement")
        if playbook is not None and attrs.get("kind", PlanKind.ONBOARDING) != PlanKind.ONBOARDING:
            raise serializers.ValidationError(
                {"kind": ["A plan made from a playbook is an onboarding plan."]}
            )
        if agreement is not None:
            if playbook is None:
                raise serializers.ValidationError(
                    {"agreement": ["Name the agreement when making the plan from its offering's playbook."]}
                )
            if agreement.organization_id != attrs["organization"].pk:
                raise serializers.ValidationError({"agreement": ["Choose one of this account's agreements."]})
        return attrs


class PlanTransitionInput(InputSerializer):
    to_status = NamedChoiceField(PlanStatus, help_text="The status to move to.")
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, help_text="Why.")


class PlanAcceptInput(InputSerializer):
    accepted_by = ScopedIdField(
        model=Stakeholder, scope=stakeholder_scope, help_text="Id of the account's person who accepted it."
    )
    note = serializers.CharField(required=False, allow_blank=True, help_text="What they said.")


class PlanProgressOutput(serializers.Serializer):
    done = serializers.IntegerField(help_text="Actions done.")
    total = serializers.IntegerField(help_text="Actions, cancelled ones left out.")
    overdue = serializers.IntegerField(help_text="Open actions past their due date.")
    percent = serializers.IntegerField(help_text="Done of total, in whole percent (0 with no action).")


class PlanGoalSummaryOutput(serializers.Serializer):
    total = serializers.IntegerField()
    pending = serializers.IntegerField(help_text="Not evaluated yet.")
    achieved = serializers.IntegerField()
    partially = serializers.IntegerField()
    not_achieved = serializers.IntegerField()


@extend_schema_serializer(component_name="OnboardingPlan")
class PlanOutput(serializers.ModelSerializer):
    """A plan as read through onboarding.selectors.plan_api_list / plan_api_get (with its figures)."""

    kind = NamedChoiceField(PlanKind, read_only=True)
    status = NamedChoiceField(PlanStatus, read_only=True)
    allowed_transitions = serializers.SerializerMethodField(
        help_text="The statuses a person may move it to from its current one (their conditions aside); "
        "it completes by itself."
    )
    offerings = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    scenario = serializers.CharField(read_only=True, help_text="A customer scenario, or empty.")
    start_trigger = serializers.CharField(read_only=True, help_text="A start trigger, or empty.")
    control_approach = serializers.CharField(read_only=True, help_text="A control approach, or empty.")
    offboarding_kind = serializers.CharField(read_only=True, help_text="Offboarding only, else empty.")
    reason = serializers.CharField(
        read_only=True,
        help_text="Why the consumer leaves (offboarding); empty on a confidential plan for roles that may "
        "not change the account.",
    )
    lessons_learned = serializers.CharField(
        read_only=True, help_text="Empty on a confidential plan for roles that may not change the account."
    )
    progress = serializers.SerializerMethodField()
    goal_summary = serializers.SerializerMethodField(help_text="The goals by evaluation.")

    class Meta:
        model = OnboardingPlan
        fields = [
            "id",
            "organization",
            "journey",
            "agreement",
            "playbook",
            "kind",
            "title",
            "status",
            "status_changed_at",
            "allowed_transitions",
            "starts_on",
            "ends_on",
            "scenario",
            "start_trigger",
            "control_approach",
            "offerings",
            "user_groups",
            "locations",
            "user_count",
            "scope_notes",
            "owner",
            "customer_contact",
            "accepted_at",
            "accepted_by",
            "acceptance_note",
            "completed_at",
            "offboarding_kind",
            "reason",
            "confidential",
            "lessons_learned",
            "progress",
            "goal_summary",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=NamedChoiceField(PlanStatus)))
    def get_allowed_transitions(self, plan: OnboardingPlan) -> list[str]:
        return [str(status) for status in PLAN_TRANSITIONS[plan.status]]

    @extend_schema_field(PlanProgressOutput)
    def get_progress(self, plan: OnboardingPlan) -> dict[str, int]:
        done, total = plan.actions_done, plan.actions_total
        return {
            "done": done,
            "total": total,
            "overdue": plan.actions_overdue,
            "percent": (100 * done) // total if total else 0,
        }

    @extend_schema_field(PlanGoalSummaryOutput)
    def get_goal_summary(self, plan: OnboardingPlan) -> dict[str, int]:
        return {
            "total": plan.goals_total,
            **{evaluation: getattr(plan, f"goals_{evaluation}") for evaluation in GoalEvaluation.values},
        }

    def to_representation(self, plan: OnboardingPlan) -> dict[str, Any]:
        data = super().to_representation(plan)
        if not plan_api_shows_reasons(self.context["request"].user, plan):
            data["reason"] = data["lessons_learned"] = ""
        return data


# --- goals ----------------------------------------------------------------------------------------


class PlanGoalInput(InputSerializer):
    template = _optional_choice(GoalTemplate, help_text="The kind of goal it follows, if any.")
    description = serializers.CharField(max_length=300)
    metric = serializers.CharField(max_length=200, help_text="What is measured.")
    target = serializers.CharField(max_length=100, help_text="The value to reach, e.g. “95 %”.")
    target_date = PlanDateField(help_text="On or after the plan's start.")
    position = serializers.IntegerField(
        min_value=0, max_value=32_767, required=False, help_text="Its place among the goals."
    )


class PlanGoalEvaluateInput(InputSerializer):
    evaluation = NamedChoiceField(GoalEvaluation)
    result = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        help_text="The value measured; needed once evaluated.",
    )
    evidence = serializers.CharField(required=False, allow_blank=True, help_text="What shows it.")


@extend_schema_serializer(component_name="OnboardingGoal")
class GoalOutput(serializers.ModelSerializer):
    evaluation = NamedChoiceField(GoalEvaluation, read_only=True)
    template = serializers.CharField(read_only=True, help_text="A goal template, or empty.")

    class Meta:
        model = PlanGoal
        fields = [
            "id",
            "plan",
            "template",
            "description",
            "metric",
            "target",
            "target_date",
            "evaluation",
            "result",
            "evidence",
            "evaluated_at",
            "evaluated_by",
            "position",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


# --- actions --------------------------------------------------------------------------------------


class PlanActionInput(InputSerializer):
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True)
    area = _optional_choice(ActionArea)
    owner_party = NamedChoiceField(OwnerParty, required=False, help_text="Which side does it (provider).")
    owner_user = _colleague(help_text="Provider actions: the colleague who does it.")
    owner_stakeholder = _person(help_text="Consumer actions: the account's person who does it.")
    owner_role = serializers.CharField(
        max_length=120,
        required=False,
        allow_blank=True,
        help_text="Who should do it, until a person is named.",
    )
    due_on = PlanDateField(help_text="On or after the plan's start.")
    position = serializers.IntegerField(
        min_value=0, max_value=32_767, required=False, help_text="Its place in the plan."
    )
    depends_on = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
        required=False,
        allow_empty=True,
        help_text="Ids of the actions of the same plan it waits for: the whole set (a circle is refused).",
    )


class PlanActionStatusInput(InputSerializer):
    status = NamedChoiceField(ActionStatus, help_text="The status to move to.")
    evidence = serializers.CharField(
        required=False, allow_blank=True, help_text="What shows it done; left as it was when not sent."
    )


@extend_schema_serializer(component_name="OnboardingAction")
class ActionOutput(serializers.ModelSerializer):
    """An action as read through onboarding.selectors.action_api_list / action_api_get."""

    organization = serializers.IntegerField(source="organization_id", read_only=True)
    area = serializers.CharField(read_only=True, help_text="An action area, or empty.")
    owner_party = NamedChoiceField(OwnerParty, read_only=True)
    status = NamedChoiceField(ActionStatus, read_only=True)
    allowed_transitions = serializers.SerializerMethodField(
        help_text="The statuses it may move to (done only once what it waits for is closed)."
    )
    is_overdue = serializers.BooleanField(read_only=True, help_text="Open after its due date.")
    waits_for_open_action = serializers.BooleanField(
        read_only=True, help_text="An action it depends on is neither done nor cancelled."
    )
    depends_on = serializers.SerializerMethodField(help_text="Ids of the actions it waits for.")

    class Meta:
        model = PlanAction
        fields = [
            "id",
            "plan",
            "organization",
            "title",
            "description",
            "area",
            "owner_party",
            "owner_user",
            "owner_stakeholder",
            "owner_role",
            "due_on",
            "status",
            "allowed_transitions",
            "is_overdue",
            "waits_for_open_action",
            "depends_on",
            "evidence",
            "completed_at",
            "completed_by",
            "completed_by_stakeholder",
            "position",
            "playbook_action",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=NamedChoiceField(ActionStatus)))
    def get_allowed_transitions(self, action: PlanAction) -> list[str]:
        return [str(status) for status in ACTION_TRANSITIONS[action.status]]

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_depends_on(self, action: PlanAction) -> list[int]:
        return [link.depends_on_id for link in action.dependency_links.all()]


class ActionCommentInput(InputSerializer):
    body = serializers.CharField(help_text="Up to 4000 characters.")


@extend_schema_serializer(component_name="OnboardingActionComment")
class CommentOutput(serializers.ModelSerializer):
    class Meta:
        model = ActionComment
        fields = ["id", "action", "body", "author_user", "author_stakeholder", "created_at", "updated_at"]
        read_only_fields = fields
