"""Input and output serializers of the journey spine's API (journeys/api.py).

Input serializers check types, choices and ranges and resolve ids through the selectors, so an id the
user may not see is refused exactly like an id that does not exist. Business rules stay in the
services. Output serializers are read-only views of the models.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Model, QuerySet
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from journeys.models import (
    SENTIMENT_MAX,
    SENTIMENT_MIN,
    Channel,
    ConsumerRole,
    Direction,
    GridQuadrant,
    Journey,
    JourneyStep,
    JourneyStepChange,
    Organization,
    OrganizationKind,
    Stakeholder,
    StakeholderCategory,
    Team,
    TouchpointKind,
)
from journeys.selectors import journey_scope, organization_scope, stakeholder_scope
from journeys.services import ORGANIZATION_FIELDS

ROLE_FLAGS = {
    ConsumerRole.CUSTOMER: "is_customer",
    ConsumerRole.USER: "is_user",
    ConsumerRole.SPONSOR: "is_sponsor",
}


# --- building blocks ------------------------------------------------------------------------------


class InputSerializer(serializers.Serializer):
    """Refuses fields it does not know: a misspelt field is an error, not silently ignored."""

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        if isinstance(data, Mapping):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError({name: ["Unknown field."] for name in unknown})
        return super().to_internal_value(data)


class AllOptionalInput(InputSerializer):
    """For upserts: every field may be left out (the service says what a new record needs)."""

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        for field in fields.values():
            field.required = False
        return fields


class ScopedIdField(serializers.PrimaryKeyRelatedField):
    """An id resolved among the records the acting user may see."""

    def __init__(self, *, model: type[Model], scope: Callable[[Any], QuerySet], **kwargs: Any) -> None:
        self.scope = scope
        label = model._meta.verbose_name
        kwargs.setdefault("error_messages", {"does_not_exist": f"No {label} with the id {{pk_value}}."})
        # The unscoped queryset only tells the schema generator which model the id belongs to.
        super().__init__(queryset=model.objects.all(), **kwargs)

    def get_queryset(self) -> QuerySet:
        return self.scope(self.context["request"].user)


class OrganizationReferenceInput(InputSerializer):
    """Refers to an organization by DSV id or by the CRM's external id; required unless partial."""

    organization = ScopedIdField(
        model=Organization,
        # With its summary: logging a touchpoint reads the account's current step from it.
        scope=lambda user: organization_scope(user).select_related("summary"),
        required=False,
        help_text="Required for a new record, unless `organization_external_id` is given.",
    )
    organization_external_id = serializers.CharField(
        required=False,
        max_length=100,
        help_text="The CRM's id of the organization (instead of `organization`).",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        external_id = attrs.pop("organization_external_id", None)
        if external_id is not None:
            user = self.context["request"].user
            organization = (
                organization_scope(user).select_related("summary").filter(external_id=external_id).first()
            )
            if organization is None:
                raise serializers.ValidationError(
                    {"organization_external_id": [f"No organization with the external id {external_id}."]}
                )
            if attrs.get("organization", organization) != organization:
                raise serializers.ValidationError(
                    {"organization_external_id": ["This is not the organization named by `organization`."]}
                )
            attrs["organization"] = organization
        if not self.partial and "organization" in self.fields and "organization" not in attrs:
            raise serializers.ValidationError({"organization": ["This field is required."]})
        return attrs


@extend_schema_serializer(component_name="ErrorDetail")
class ErrorDetailOutput(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()
    fields = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


@extend_schema_serializer(component_name="Error")
class ErrorOutput(serializers.Serializer):
    """The one error envelope (journeys/api_base.py)."""

    error = ErrorDetailOutput()


# --- organizations --------------------------------------------------------------------------------


class OrganizationInput(InputSerializer):
    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=OrganizationKind.choices, required=False)
    external_id = serializers.CharField(max_length=100, required=False, allow_blank=True)
    owner = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.filter(is_active=True),
        required=False,
        allow_null=True,
        help_text="User id of the relationship manager accountable for the account.",
    )
    team = serializers.PrimaryKeyRelatedField(queryset=Team.objects.all(), required=False, allow_null=True)
    industry = serializers.CharField(max_length=100, required=False, allow_blank=True)
    country = serializers.CharField(max_length=2, required=False, allow_blank=True)
    city = serializers.CharField(max_length=100, required=False, allow_blank=True)
    website = serializers.URLField(required=False, allow_blank=True)
    annual_revenue = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, required=False, allow_null=True
    )
    employee_count = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    notes = serializers.CharField(required=False, allow_blank=True)


class OrganizationUpsertInput(AllOptionalInput, OrganizationInput):
    external_id = None  # taken from the URL


@extend_schema_serializer(component_name="Organization")
class OrganizationOutput(serializers.ModelSerializer):
    class Meta:
        model = Organization
        # What a client may write (the services' list), plus the identity and timestamps.
        fields = ["id", *ORGANIZATION_FIELDS, "created_at", "updated_at"]
        read_only_fields = fields


# --- stakeholders ---------------------------------------------------------------------------------


class StakeholderInput(OrganizationReferenceInput):
    name = serializers.CharField(max_length=200)
    job_title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    category = serializers.ChoiceField(choices=StakeholderCategory.choices, required=False)
    roles = serializers.ListField(
        child=serializers.ChoiceField(choices=ConsumerRole.choices),
        required=False,
        allow_empty=True,
        help_text='The consumer roles held, e.g. ["customer", "sponsor"]; or send the is_* flags instead.',
    )
    is_customer = serializers.BooleanField(required=False)
    is_user = serializers.BooleanField(required=False)
    is_sponsor = serializers.BooleanField(required=False)
    influence = serializers.IntegerField(min_value=1, max_value=5, required=False)
    interest = serializers.IntegerField(min_value=1, max_value=5, required=False)
    survey_consent = serializers.BooleanField(required=False)
    is_active = serializers.BooleanField(required=False)
    external_id = serializers.CharField(max_length=100, required=False, allow_blank=True)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        roles = attrs.pop("roles", None)
        if roles is not None:
            if set(ROLE_FLAGS.values()) & attrs.keys():
                raise serializers.ValidationError(
                    {"roles": ["Send either roles or the is_customer/is_user/is_sponsor flags, not both."]}
                )
            attrs.update({flag: role in roles for role, flag in ROLE_FLAGS.items()})
        return attrs


class StakeholderUpsertInput(AllOptionalInput, StakeholderInput):
    external_id = None


@extend_schema_serializer(component_name="Stakeholder")
class StakeholderOutput(serializers.ModelSerializer):
    organization_external_id = serializers.CharField(source="organization.external_id", read_only=True)
    roles = serializers.ListField(child=serializers.ChoiceField(choices=ConsumerRole.choices), read_only=True)
    quadrant = serializers.ChoiceField(
        choices=GridQuadrant.choices, read_only=True, help_text="Place on the influence × interest grid."
    )

    class Meta:
        model = Stakeholder
        fields = [
            "id",
            "organization",
            "organization_external_id",
            "name",
            "job_title",
            "email",
            "phone",
            "category",
            "roles",
            "influence",
            "interest",
            "quadrant",
            "survey_consent",
            "is_active",
            "external_id",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


# --- journeys -------------------------------------------------------------------------------------


class JourneyCreateInput(OrganizationReferenceInput):
    name = serializers.CharField(max_length=200)
    current_step = serializers.ChoiceField(
        choices=JourneyStep.choices, required=False, help_text="The step the journey starts in (explore)."
    )
    started_at = serializers.DateTimeField(required=False)
    external_id = serializers.CharField(max_length=100, required=False, allow_blank=True)


class JourneyUpdateInput(InputSerializer):
    name = serializers.CharField(max_length=200, required=False)
    current_step = serializers.ChoiceField(
        choices=JourneyStep.choices, required=False, help_text="A new step moves the journey (recorded)."
    )
    external_id = serializers.CharField(max_length=100, required=False, allow_blank=True)


class JourneyUpsertInput(AllOptionalInput, OrganizationReferenceInput):
    name = serializers.CharField(max_length=200)
    current_step = serializers.ChoiceField(choices=JourneyStep.choices)


class JourneyMoveInput(InputSerializer):
    to_step = serializers.ChoiceField(choices=JourneyStep.choices)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)


@extend_schema_serializer(component_name="Journey")
class JourneyOutput(serializers.ModelSerializer):
    organization_external_id = serializers.CharField(source="organization.external_id", read_only=True)

    class Meta:
        model = Journey
        fields = [
            "id",
            "organization",
            "organization_external_id",
            "name",
            "current_step",
            "status",
            "step_entered_at",
            "started_at",
            "ended_at",
            "external_id",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


@extend_schema_serializer(component_name="JourneyStepChange")
class JourneyStepChangeOutput(serializers.ModelSerializer):
    class Meta:
        model = JourneyStepChange
        fields = ["from_step", "to_step", "changed_at", "changed_by", "note"]
        read_only_fields = fields


@extend_schema_serializer(component_name="JourneyDetail")
class JourneyDetailOutput(JourneyOutput):
    """A single journey with its step history (the view sets `step_history` on the instance)."""

    step_history = JourneyStepChangeOutput(many=True, read_only=True)

    class Meta(JourneyOutput.Meta):
        fields = [*JourneyOutput.Meta.fields, "step_history"]
        read_only_fields = fields


# --- touchpoints ----------------------------------------------------------------------------------


class TouchpointInput(OrganizationReferenceInput):
    journey = ScopedIdField(model=Journey, scope=journey_scope, required=False, allow_null=True)
    stakeholder = ScopedIdField(model=Stakeholder, scope=stakeholder_scope, required=False, allow_null=True)
    step = serializers.ChoiceField(
        choices=JourneyStep.choices,
        required=False,
        help_text="Defaults to the journey's current step (or the account's).",
    )
    channel = serializers.ChoiceField(choices=Channel.choices)
    kind = serializers.ChoiceField(choices=TouchpointKind.choices)
    direction = serializers.ChoiceField(choices=Direction.choices, required=False)
    sentiment = serializers.IntegerField(min_value=SENTIMENT_MIN, max_value=SENTIMENT_MAX, required=False)
    moment_of_truth = serializers.BooleanField(required=False)
    summary = serializers.CharField(max_length=10_000)
    occurred_at = serializers.DateTimeField(required=False, help_text="Defaults to now.")
    duration_minutes = serializers.IntegerField(
        min_value=0, max_value=24 * 60, required=False, allow_null=True
    )
    external_id = serializers.CharField(max_length=100, required=False, allow_blank=True)


class TouchpointUpdateInput(TouchpointInput):
    # A touchpoint stays with the organization it was logged for.
    organization = None
    organization_external_id = None


class TouchpointUpsertInput(AllOptionalInput, TouchpointInput):
    external_id = None


@extend_schema_serializer(component_name="Touchpoint")
class TouchpointOutput(serializers.Serializer):
    # Declared field by field rather than as a ModelSerializer: touchpoints are the busiest write, and
    # a ModelSerializer introspects the model again on every instantiation.

    id = serializers.IntegerField(read_only=True)
    organization = serializers.IntegerField(source="organization_id", read_only=True)
    organization_external_id = serializers.CharField(source="organization.external_id", read_only=True)
    journey = serializers.IntegerField(source="journey_id", read_only=True, allow_null=True)
    stakeholder = serializers.IntegerField(source="stakeholder_id", read_only=True, allow_null=True)
    step = serializers.ChoiceField(choices=JourneyStep.choices, read_only=True)
    channel = serializers.ChoiceField(choices=Channel.choices, read_only=True)
    kind = serializers.ChoiceField(choices=TouchpointKind.choices, read_only=True)
    direction = serializers.ChoiceField(choices=Direction.choices, read_only=True)
    sentiment = serializers.IntegerField(
        read_only=True, help_text="−2 (very negative) to +2 (very positive)."
    )
    moment_of_truth = serializers.BooleanField(
        read_only=True, help_text="A contact that decided how the consumer sees the whole service."
    )
    summary = serializers.CharField(read_only=True)
    occurred_at = serializers.DateTimeField(read_only=True)
    duration_minutes = serializers.IntegerField(read_only=True, allow_null=True)
    logged_by = serializers.IntegerField(source="logged_by_id", read_only=True, allow_null=True)
    external_id = serializers.CharField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)
