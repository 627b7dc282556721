"""Input and output serializers of Realize's API (realization/api/surveys.py and metrics.py).

Input serializers check types, lengths, choices and ranges, and resolve ids among the records the
caller may see (a survey, person or invitation the caller may not see is refused like one that does
not exist). The rules of surveys and of the health policy (a score outside the survey's scale, a person
of another account than the invitation's, a reminder after the expiry, weights that add up to zero)
stay in the services, which name the field. Output serializers are read-only views of what the
selectors read.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from journeys.api_base import NamedChoiceField
from journeys.models import ConsumerRole, JourneyStep, Organization, Stakeholder
from journeys.selectors import in_organization_scope, organization_scope, stakeholder_scope
from journeys.serializers import InputSerializer, ScopedIdField
from realization.models import (
    HEALTH_FACTORS,
    SCALES,
    FollowUp,
    FollowUpReason,
    FollowUpStatus,
    HealthBand,
    HealthPolicy,
    InvitationReason,
    InvitationStatus,
    NpsGroup,
    ResponseSource,
    SnapshotLevel,
    Survey,
    SurveyInvitation,
    SurveyResponse,
    SurveyTrigger,
    SurveyType,
    ValueSnapshot,
    WatermelonReason,
)
from realization.selectors.surveys import survey_scope

__all__: list[str] = []


def figure(**kwargs) -> serializers.DecimalField:
    """A computed figure, sent as a JSON number (null without data)."""
    kwargs.setdefault("max_digits", 7)
    kwargs.setdefault("decimal_places", 1)
    return serializers.DecimalField(
        read_only=True, allow_null=True, coerce_to_string=False, rounding=ROUND_HALF_UP, **kwargs
    )


# --- surveys --------------------------------------------------------------------------------------


class SurveyUpdateInput(InputSerializer):
    name = serializers.CharField(max_length=200, required=False, help_text="Unique among surveys.")
    survey_type = NamedChoiceField(
        SurveyType, required=False, help_text="nps (0–10), csat (1–5) or ces (1–7); sets the scale."
    )
    question = serializers.CharField(required=False, help_text="The question as the person reads it.")
    to_customers = serializers.BooleanField(required=False, help_text="Ask people in the customer role.")
    to_users = serializers.BooleanField(required=False, help_text="Ask people in the user role.")
    to_sponsors = serializers.BooleanField(required=False, help_text="Ask people in the sponsor role.")
    audience = serializers.ListField(
        child=serializers.ChoiceField(choices=ConsumerRole.choices),
        required=False,
        help_text='The consumer roles to ask, instead of the three flags, e.g. ["customer", "sponsor"].',
    )
    trigger = NamedChoiceField(SurveyTrigger, required=False, help_text="What sends it.")
    is_active = serializers.BooleanField(required=False, help_text="Only an active survey is sent.")
    sampling_percent = serializers.IntegerField(
        min_value=1, max_value=100, required=False, help_text="The share of eligible people asked, 1–100 %."
    )
    send_delay_hours = serializers.IntegerField(
        min_value=0, max_value=24 * 90, required=False, help_text="Hours between the trigger and the e-mail."
    )
    expiry_days = serializers.IntegerField(
        min_value=1, max_value=365, required=False, help_text="Days an invitation takes an answer once sent."
    )
    reminder_after_days = serializers.IntegerField(
        min_value=1,
        max_value=364,
        required=False,
        allow_null=True,
        help_text="Days after sending to remind once (before it expires); null for no reminder.",
    )
    period_months = serializers.IntegerField(
        min_value=1,
        max_value=36,
        required=False,
        allow_null=True,
        help_text="A periodic survey's period in months (needed for the periodic trigger).",
    )
    step = serializers.ChoiceField(
        choices=[("", "The trigger's own step"), *JourneyStep.choices],
        required=False,
        allow_blank=True,
        help_text="The journey step its answers count towards; empty to take the trigger's own step.",
    )
    owner = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.filter(is_active=True),
        required=False,
        allow_null=True,
        error_messages={"does_not_exist": "No active user with the id {pk_value}."},
        help_text="User id of the colleague who looks after it (and gets its test e-mail).",
    )


class SurveyCreateInput(SurveyUpdateInput):
    name = serializers.CharField(max_length=200, help_text="Unique among surveys.")
    survey_type = NamedChoiceField(SurveyType, help_text="nps (0–10), csat (1–5) or ces (1–7).")
    question = serializers.CharField(help_text="The question as the person reads it.")
    trigger = NamedChoiceField(SurveyTrigger, help_text="What sends it.")


class ScaleOutput(serializers.Serializer):
    min = serializers.IntegerField(help_text="The lowest score.")
    max = serializers.IntegerField(help_text="The highest score.")


@extend_schema_serializer(component_name="Survey")
class SurveyOutput(serializers.ModelSerializer):
    survey_type = NamedChoiceField(SurveyType, read_only=True)
    trigger = NamedChoiceField(SurveyTrigger, read_only=True)
    step = serializers.CharField(
        read_only=True, help_text="A journey step, or empty for the trigger's own step."
    )
    scale = serializers.SerializerMethodField(help_text="The scores an answer may take.")
    audience = serializers.SerializerMethodField(help_text="The consumer roles it asks.")

    class Meta:
        model = Survey
        fields = [
            "id",
            "name",
            "survey_type",
            "scale",
            "question",
            "to_customers",
            "to_users",
            "to_sponsors",
            "audience",
            "trigger",
            "is_active",
            "sampling_percent",
            "send_delay_hours",
            "expiry_days",
            "reminder_after_days",
            "period_months",
            "step",
            "owner",
            "tested_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(ScaleOutput)
    def get_scale(self, survey: Survey) -> dict[str, int]:
        low, high = SCALES[survey.survey_type]
        return {"min": low, "max": high}

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=ConsumerRole.choices)))
    def get_audience(self, survey: Survey) -> list[str]:
        return survey.audience_roles


# --- invitations ----------------------------------------------------------------------------------


@extend_schema_serializer(component_name="SurveyInvitation")
class InvitationOutput(serializers.ModelSerializer):
    """One decision of the dispatch about one person: invited, or why not."""

    survey_name = serializers.CharField(source="survey.name", read_only=True)
    survey_type = NamedChoiceField(SurveyType, source="survey.survey_type", read_only=True)
    stakeholder_name = serializers.CharField(source="stakeholder.name", read_only=True)
    step = NamedChoiceField(JourneyStep, read_only=True)
    status = NamedChoiceField(InvitationStatus, read_only=True)
    reason = NamedChoiceField(
        InvitationReason, read_only=True, help_text="`invited`, or why the person was left out."
    )
    reason_label = serializers.CharField(source="get_reason_display", read_only=True)

    class Meta:
        model = SurveyInvitation
        fields = [
            "id",
            "survey",
            "survey_name",
            "survey_type",
            "organization",
            "stakeholder",
            "stakeholder_name",
            "trigger_key",
            "subject",
            "step",
            "triggered_at",
            "status",
            "reason",
            "reason_label",
            "reason_detail",
            "handled_by",
            "send_after",
            "sent_at",
            "reminder_sent_at",
            "expires_at",
            "responded_at",
            "attempts",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "trigger_key": {
                "help_text": "What set it off: request:<id>, plan:<id>, period:YYYY-MM, manual:…"
            },
            "handled_by": {"help_text": "User id of the colleague who handled what it asks about."},
            "attempts": {"help_text": "Failed sending attempts so far (retried by the next run)."},
        }


# --- responses ------------------------------------------------------------------------------------


class ResponseInput(InputSerializer):
    survey = ScopedIdField(
        model=Survey,
        scope=survey_scope,
        required=False,
        allow_null=True,
        help_text="Id of the survey answered; with `invitation`, it may be left out.",
    )
    invitation = ScopedIdField(
        model=SurveyInvitation,
        scope=lambda user: in_organization_scope(SurveyInvitation.objects.all(), user).select_related(
            "survey", "stakeholder"
        ),
        required=False,
        allow_null=True,
        help_text="Id of the invitation answered, when the answer comes from one of ours.",
    )
    stakeholder = ScopedIdField(
        model=Stakeholder,
        scope=lambda user: stakeholder_scope(user).select_related("organization"),
        required=False,
        allow_null=True,
        help_text="Id of the account's person who answered (the invitation's, when one is given).",
    )
    organization = ScopedIdField(
        model=Organization,
        scope=organization_scope,
        required=False,
        allow_null=True,
        help_text="The consumer, when neither a person nor an invitation is given (an answer without a "
        "name); otherwise taken from them.",
    )
    score = serializers.IntegerField(
        help_text="On the survey's scale: NPS 0–10, CSAT 1–5, CES 1–7 (anything else is refused)."
    )
    comment = serializers.CharField(
        required=False, allow_blank=True, help_text="What they said, if anything."
    )
    answered_at = serializers.DateTimeField(
        required=False, help_text="When they answered (with its time zone); defaults to now, never later."
    )
    step = NamedChoiceField(
        JourneyStep,
        required=False,
        help_text="The journey step it counts towards; defaults to the survey's step, the invitation's "
        "or the account's current one.",
    )
    external_id = serializers.CharField(
        max_length=100,
        required=False,
        allow_blank=True,
        help_text="The answer's id in your tool: sending it again updates the same answer.",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        invitation = attrs.get("invitation")
        if attrs.get("survey") is None:
            if invitation is None:
                raise serializers.ValidationError(
                    {"survey": ["Give the survey answered (or its invitation)."]}
                )
            attrs["survey"] = invitation.survey
        return {key: value for key, value in attrs.items() if value is not None}


class ResponseUpsertInput(ResponseInput):
    """The same answer by your tool's id in the path (the body's `external_id` is not used)."""

    external_id = None


@extend_schema_serializer(component_name="SurveyResponse")
class ResponseOutput(serializers.ModelSerializer):
    survey_type = NamedChoiceField(SurveyType, read_only=True)
    step = NamedChoiceField(JourneyStep, read_only=True)
    source = NamedChoiceField(ResponseSource, read_only=True)
    nps_group = serializers.SerializerMethodField(
        help_text="NPS answers only: promoter (9–10), passive (7–8) or detractor (0–6)."
    )
    follow_up = serializers.SerializerMethodField(
        help_text="Id of the follow-up a poor answer opened, or null."
    )

    class Meta:
        model = SurveyResponse
        fields = [
            "id",
            "survey",
            "survey_type",
            "invitation",
            "organization",
            "stakeholder",
            "step",
            "score",
            "nps_group",
            "comment",
            "commented_at",
            "answered_at",
            "source",
            "external_id",
            "follow_up",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(NamedChoiceField(NpsGroup, allow_null=True))
    def get_nps_group(self, response: SurveyResponse) -> str | None:
        group = response.nps_group
        return None if group is None else str(group)

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_follow_up(self, response: SurveyResponse) -> int | None:
        try:
            return response.follow_up.pk
        except FollowUp.DoesNotExist:
            return None


# --- follow-ups -----------------------------------------------------------------------------------


class FollowUpCloseInput(InputSerializer):
    outcome = serializers.CharField(help_text="What was learned and done (required).")


class FollowUpResponseOutput(serializers.ModelSerializer):
    """The answer that asked for the follow-up, as the owner reads it before calling."""

    survey_type = NamedChoiceField(SurveyType, read_only=True)
    survey_name = serializers.CharField(source="survey.name", read_only=True)
    stakeholder_name = serializers.CharField(source="stakeholder.name", read_only=True, allow_null=True)

    class Meta:
        model = SurveyResponse
        fields = [
            "id",
            "survey",
            "survey_name",
            "survey_type",
            "stakeholder",
            "stakeholder_name",
            "score",
            "comment",
            "answered_at",
        ]
        read_only_fields = fields


@extend_schema_serializer(component_name="FollowUp")
class FollowUpOutput(serializers.ModelSerializer):
    reason = NamedChoiceField(FollowUpReason, read_only=True)
    status = NamedChoiceField(FollowUpStatus, read_only=True)
    is_overdue = serializers.SerializerMethodField(help_text="Still open after its due date.")
    response = FollowUpResponseOutput(read_only=True)

    class Meta:
        model = FollowUp
        fields = [
            "id",
            "organization",
            "owner",
            "reason",
            "status",
            "due_on",
            "is_overdue",
            "response",
            "outcome",
            "closed_at",
            "closed_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_is_overdue(self, follow_up: FollowUp) -> bool:
        return follow_up.status == FollowUpStatus.OPEN and follow_up.due_on < timezone.localdate()


# --- metric snapshots -----------------------------------------------------------------------------


class HealthFactorOutput(serializers.Serializer):
    key = serializers.ChoiceField(choices=[(factor, factor) for factor in HEALTH_FACTORS])
    label = serializers.CharField()
    value = figure(
        source="input_value",
        max_digits=7,
        decimal_places=2,
        help_text="The input over the window: NPS, CSAT %, CES mean, SLA %, mean sentiment (null: no data).",
    )
    conversion = serializers.CharField(help_text="How the input becomes a score from 0 to 100.")
    score = figure(help_text="The input as a score from 0 to 100 (null: no data).")
    weight = serializers.IntegerField(help_text="Its weight in the policy the score was computed with.")
    counted = serializers.BooleanField(help_text="It has data and a weight, so it counts in the score.")
    contribution = figure(
        max_digits=7,
        decimal_places=2,
        help_text="The points it adds: weight × score ÷ the weights counted (null when it does not count).",
    )


class HealthExplanationOutput(serializers.Serializer):
    score = figure(help_text="The health score, 0–100 (null when no factor has data).")
    band = serializers.CharField(help_text="healthy, watch or at_risk; empty without a score.")
    band_label = serializers.CharField()
    first_month = serializers.SerializerMethodField(help_text="The window's first month, YYYY-MM.")
    window_months = serializers.IntegerField(
        help_text="How many months up to the snapshot's the score reads."
    )
    weight_counted = serializers.IntegerField(help_text="The weights of the factors with data, added up.")
    formula = serializers.CharField(help_text="The weighted mean written out with this snapshot's figures.")
    factors = HealthFactorOutput(many=True, help_text="NPS, CSAT, CES, SLA and sentiment, in that order.")

    def get_first_month(self, explanation) -> str:
        return f"{explanation.first_month:%Y-%m}"


@extend_schema_serializer(component_name="ValueSnapshot")
class SnapshotOutput(serializers.ModelSerializer):
    """One month of an account (or a market segment), all steps together or one step: the counts the
    figures come from, the figures, and the health score with the inputs and weights behind it."""

    level = NamedChoiceField(SnapshotLevel, read_only=True)
    step = serializers.CharField(read_only=True, help_text="A journey step, or empty for all steps together.")
    month = serializers.SerializerMethodField(help_text="YYYY-MM.")
    passives = serializers.SerializerMethodField(help_text="NPS answers of 7–8.")
    nps = figure(help_text="% promoters − % detractors, −100..+100.")
    csat_pct = figure(help_text="% of CSAT answers of 4 or 5.")
    csat_mean = figure(max_digits=4, decimal_places=2, help_text="The mean CSAT answer, 1–5.")
    ces_mean = figure(max_digits=4, decimal_places=2, help_text="The mean CES answer, 1–7 (higher: easier).")
    response_rate = figure(help_text="Answers ÷ invitations sent in the month, %.")
    sla_compliance = figure(help_text="Targets met ÷ targets measured, %.")
    sentiment_avg = figure(
        max_digits=4, decimal_places=2, help_text="The touchpoints' mean sentiment, −2..+2."
    )
    health_score = figure(help_text="0–100, over the policy's window of months up to this one.")
    health_band = serializers.SerializerMethodField()
    watermelon_reasons = serializers.SerializerMethodField(
        help_text="Why it is a watermelon (empty when it is not)."
    )
    health = serializers.SerializerMethodField(
        help_text="How the health score came about: each input, its score, weight and share."
    )

    class Meta:
        model = ValueSnapshot
        fields = [
            "id",
            "level",
            "organization",
            "segment",
            "step",
            "month",
            "invitations",
            "responses",
            "nps_responses",
            "promoters",
            "passives",
            "detractors",
            "csat_responses",
            "csat_satisfied",
            "ces_responses",
            "touchpoints",
            "sla_measured",
            "sla_met",
            "experience_missed",
            "nps",
            "csat_pct",
            "csat_mean",
            "ces_mean",
            "response_rate",
            "sla_compliance",
            "sentiment_avg",
            "health_score",
            "health_band",
            "is_watermelon",
            "watermelon_reasons",
            "health",
            "computed_at",
        ]
        read_only_fields = fields

    def get_month(self, snapshot: ValueSnapshot) -> str:
        return f"{snapshot.month:%Y-%m}"

    def get_passives(self, snapshot: ValueSnapshot) -> int:
        return snapshot.nps_responses - snapshot.promoters - snapshot.detractors

    @extend_schema_field(NamedChoiceField(HealthBand, allow_null=True))
    def get_health_band(self, snapshot: ValueSnapshot) -> str | None:
        return snapshot.health_band or None

    @extend_schema_field(serializers.ListField(child=NamedChoiceField(WatermelonReason)))
    def get_watermelon_reasons(self, snapshot: ValueSnapshot) -> list[str]:
        return snapshot.watermelon_reason_list

    @extend_schema_field(HealthExplanationOutput)
    def get_health(self, snapshot: ValueSnapshot) -> dict[str, Any]:
        explain = self.context["explain"]
        return HealthExplanationOutput(explain(snapshot)).data


# --- health policy --------------------------------------------------------------------------------


def _weight(factor: str) -> serializers.IntegerField:
    return serializers.IntegerField(
        min_value=0, max_value=100, required=False, help_text=f"The weight of {factor} (0 leaves it out)."
    )


def _threshold(help_text: str, *, low: int = 0, high: int = 100, places: int = 1) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=5,
        decimal_places=places,
        min_value=Decimal(low),
        max_value=Decimal(high),
        required=False,
        coerce_to_string=False,
        help_text=help_text,
    )


class HealthPolicyInput(InputSerializer):
    weight_nps = _weight("NPS")
    weight_csat = _weight("CSAT")
    weight_ces = _weight("CES")
    weight_sla = _weight("SLA compliance")
    weight_sentiment = _weight("touchpoint sentiment")
    window_months = serializers.IntegerField(
        min_value=1,
        max_value=12,
        required=False,
        help_text="Months up to a snapshot's month the score reads.",
    )
    healthy_from = _threshold("A score from here up is healthy (0–100).")
    at_risk_below = _threshold("A score below this is at risk (0–100).")
    watermelon_sla_from = _threshold("SLA compliance (%) from which the service counts as green.")
    watermelon_csat_below = _threshold("CSAT (% satisfied) below this is red.")
    watermelon_ces_below = _threshold("A mean CES below this is red (1–7).", low=1, high=7, places=2)
    watermelon_sentiment_below = _threshold(
        "A mean touchpoint sentiment below this is red (−2..+2).", low=-2, high=2, places=2
    )


@extend_schema_serializer(component_name="HealthPolicy")
class HealthPolicyOutput(serializers.ModelSerializer):
    weights = serializers.SerializerMethodField(
        help_text="The weights by factor, in the explanation's order."
    )
    healthy_from = figure(max_digits=5)
    at_risk_below = figure(max_digits=5)
    watermelon_sla_from = figure(max_digits=5)
    watermelon_csat_below = figure(max_digits=5)
    watermelon_ces_below = figure(max_digits=4, decimal_places=2)
    watermelon_sentiment_below = figure(max_digits=4, decimal_places=2)

    class Meta:
        model = HealthPolicy
        fields = [
            "weight_nps",
            "weight_csat",
            "weight_ces",
            "weight_sla",
            "weight_sentiment",
            "weights",
            "window_months",
            "healthy_from",
            "at_risk_below",
            "watermelon_sla_from",
            "watermelon_csat_below",
            "watermelon_ces_below",
            "watermelon_sentiment_below",
            "updated_by",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.DictField(child=serializers.IntegerField()))
    def get_weights(self, policy: HealthPolicy) -> dict[str, int]:
        return policy.weights
