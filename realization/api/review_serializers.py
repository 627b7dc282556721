"""Input and output serializers of the value review API (realization/api/reviews.py).

Input serializers check types, lengths and choices, and resolve ids among the records the caller may
see (an account, agreement, business case or person the caller may not see is refused like one that
does not exist). The rules — a business case that is not the approved baseline, a sponsor who is not
the account's sponsor, a move the lifecycle does not allow, a review already signed off — stay in the
services (realization.services.reviews), which name the field. Output serializers are read-only
views of what the selectors read.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import models
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from agreements.models import Agreement, ReviewOutcome
from agreements.selectors import agreement_scope
from journeys.api_base import NamedChoiceField
from journeys.models import Organization, Stakeholder
from journeys.selectors import organization_scope, stakeholder_scope
from journeys.serializers import InputSerializer, ScopedIdField
from offerings.models import BusinessCase
from offerings.selectors import business_case_scope
from realization.models import (
    ANALYSIS_QUESTIONS,
    REVIEW_TRANSITIONS,
    ReviewAction,
    ReviewActionStatus,
    ReviewBenefit,
    ReviewTarget,
    ValueReview,
    ValueReviewStatus,
)

__all__: list[str] = []

ANALYSIS_HELP = "The answers by question key: " + "; ".join(
    f"`{key}`: {question}" for key, question in ANALYSIS_QUESTIONS
)


class ReviewTargetStatus(models.TextChoices):
    """How a target did in the review's period; empty when there is no data."""

    MET = "met", "Met"
    AT_RISK = "at_risk", "At risk"
    BREACHED = "breached", "Breached"
    NO_DATA = "", "No data"


def colleague(**kwargs) -> serializers.PrimaryKeyRelatedField:
    """A user id among the active users (the services check the role)."""
    return serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.filter(is_active=True),
        required=False,
        allow_null=True,
        error_messages={"does_not_exist": "No active user with the id {pk_value}."},
        **kwargs,
    )


def _person(**kwargs) -> ScopedIdField:
    return ScopedIdField(
        model=Stakeholder, scope=stakeholder_scope, required=False, allow_null=True, **kwargs
    )


def _agreement(**kwargs) -> ScopedIdField:
    return ScopedIdField(model=Agreement, scope=agreement_scope, required=False, allow_null=True, **kwargs)


def _case(**kwargs) -> ScopedIdField:
    return ScopedIdField(
        model=BusinessCase, scope=business_case_scope, required=False, allow_null=True, **kwargs
    )


# --- inputs -----------------------------------------------------------------------------------------


class ReviewCreateInput(InputSerializer):
    organization = ScopedIdField(
        model=Organization, scope=organization_scope, help_text="The consumer account reviewed."
    )
    agreement = _agreement(
        help_text="One of the account's agreements (agreed or later): its outcome and experience targets "
        "are reviewed and its review cadence sets the default period."
    )
    business_case = _case(
        help_text="The approved baseline of one of the account's business cases. Left out: the account's "
        "baseline about one of the agreement's offerings, else its most recently approved one; null: "
        "none (targets and figures only)."
    )
    title = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        help_text="Left out: “Value review <months>: <subject>”.",
    )
    scheduled_on = serializers.DateField(
        required=False,
        help_text="The day of the review meeting; left out: the agreement's next review, else today.",
    )
    period_start = serializers.DateField(
        required=False, help_text="First day of the period reviewed (give both ends, or neither)."
    )
    period_end = serializers.DateField(
        required=False,
        help_text="Last day of the period. Left out with `period_start`: the whole months of the agreement's "
        "review cadence (a quarter without one) before the meeting's month.",
    )
    sponsor = _person(
        help_text="The customer sponsor who signs it off (a person of the account marked as sponsor). Left "
        "out: the agreement's customer contact when a sponsor, else the account's most influential sponsor."
    )
    owner = colleague(help_text="Who prepares it on the provider's side; left out: you.")
    participants = serializers.CharField(required=False, allow_blank=True, help_text="Who takes part.")
    external_id = serializers.CharField(
        max_length=100, required=False, allow_blank=True, help_text="The review's id in your own tool."
    )


class ReviewUpdateInput(InputSerializer):
    title = serializers.CharField(max_length=200, required=False)
    agreement = _agreement(
        help_text="Changeable until the review is held (a prepared review is prepared again)."
    )
    business_case = _case(
        help_text="Changeable until the review is held (a prepared review is prepared again)."
    )
    period_start = serializers.DateField(required=False)
    period_end = serializers.DateField(required=False)
    scheduled_on = serializers.DateField(required=False)
    held_on = serializers.DateField(required=False, allow_null=True, help_text="Not in the future.")
    sponsor = _person()
    owner = colleague()
    participants = serializers.CharField(required=False, allow_blank=True)
    analysis = serializers.DictField(
        child=serializers.CharField(allow_blank=True),
        required=False,
        help_text=ANALYSIS_HELP + ". Merged into the answers given before; an empty answer removes one.",
    )
    comments = serializers.CharField(required=False, allow_blank=True, help_text="The overall assessment.")
    decisions = serializers.CharField(required=False, allow_blank=True)
    next_review_on = serializers.DateField(
        required=False, allow_null=True, help_text="After this review's day."
    )
    external_id = serializers.CharField(max_length=100, required=False, allow_blank=True)


class ReviewBenefitLineInput(InputSerializer):
    id = serializers.IntegerField(help_text="The benefit line of the review.")
    realized = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        required=False,
        allow_null=True,
        help_text="What was realized in the period (null: not known yet).",
    )
    comment = serializers.CharField(required=False, allow_blank=True)


class ReviewTargetLineInput(InputSerializer):
    id = serializers.IntegerField(help_text="The target line of the review.")
    achieved = serializers.DecimalField(
        max_digits=16, decimal_places=4, required=False, allow_null=True, help_text="What was achieved."
    )
    status = NamedChoiceField(
        ReviewTargetStatus,
        required=False,
        allow_blank=True,
        help_text="Left out when `achieved` changes: met or breached by the target's rule.",
    )
    comment = serializers.CharField(required=False, allow_blank=True)


class ReviewLinesInput(InputSerializer):
    benefits = ReviewBenefitLineInput(many=True, required=False)
    targets = ReviewTargetLineInput(many=True, required=False)


class ReviewTransitionInput(InputSerializer):
    to_status = NamedChoiceField(
        ValueReviewStatus, help_text="prepared (prepares it), held, cancelled; sign off with sign-off."
    )
    note = serializers.CharField(required=False, allow_blank=True, help_text="Why it is cancelled.")


class ReviewSignOffInput(InputSerializer):
    sponsor = ScopedIdField(
        model=Stakeholder,
        scope=stakeholder_scope,
        required=False,
        help_text="The account's sponsor who signs; left out: the review's sponsor.",
    )
    signed_off_by_name = serializers.CharField(max_length=200, help_text="The name the sponsor signed with.")
    sign_off_note = serializers.CharField(
        required=False, allow_blank=True, help_text="What the sponsor added."
    )
    signed_off_at = serializers.DateTimeField(
        required=False, help_text="When (with its time zone), not before the day held; left out: now."
    )
    agreement_outcome = NamedChoiceField(
        ReviewOutcome,
        required=False,
        help_text="Recorded with the agreement's review (agreed or active agreements), which plans its next.",
    )


class ReviewActionInput(InputSerializer):
    description = serializers.CharField(max_length=300, help_text="What is to be done.")
    owner = colleague(help_text="Who follows it up (a user who works with accounts).")
    due_on = serializers.DateField(required=False, allow_null=True)


class ReviewActionUpdateInput(InputSerializer):
    description = serializers.CharField(max_length=300, required=False)
    owner = colleague()
    due_on = serializers.DateField(required=False, allow_null=True)
    status = NamedChoiceField(ReviewActionStatus, required=False, help_text="open or done.")


# --- outputs ----------------------------------------------------------------------------------------


@extend_schema_serializer(component_name="ValueReviewBenefit")
class ReviewBenefitOutput(serializers.ModelSerializer):
    variance = serializers.DecimalField(
        max_digits=16, decimal_places=2, read_only=True, allow_null=True, help_text="realized − expected."
    )
    variance_pct = serializers.SerializerMethodField(help_text="The variance over what was expected, in %.")

    class Meta:
        model = ReviewBenefit
        fields = [
            "id",
            "benefit_line",
            "description",
            "benefit_type",
            "indicator",
            "expected",
            "realized",
            "variance",
            "variance_pct",
            "comment",
            "position",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.DecimalField(max_digits=10, decimal_places=1, allow_null=True))
    def get_variance_pct(self, line: ReviewBenefit) -> str | None:
        value = line.variance_pct
        return None if value is None else str(value.quantize(Decimal("0.1")))


@extend_schema_serializer(component_name="ValueReviewTarget")
class ReviewTargetOutput(serializers.ModelSerializer):
    variance = serializers.DecimalField(
        max_digits=18, decimal_places=4, read_only=True, allow_null=True, help_text="achieved − target value."
    )

    class Meta:
        model = ReviewTarget
        fields = [
            "id",
            "target",
            "name",
            "kind",
            "comparator",
            "target_value",
            "unit",
            "baseline",
            "achieved",
            "variance",
            "status",
            "comment",
            "position",
            "updated_at",
        ]
        read_only_fields = fields


@extend_schema_serializer(component_name="ValueReviewAction")
class ReviewActionOutput(serializers.ModelSerializer):
    status = NamedChoiceField(ReviewActionStatus, read_only=True)

    class Meta:
        model = ReviewAction
        fields = [
            "id",
            "review",
            "description",
            "owner",
            "due_on",
            "status",
            "done_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


@extend_schema_serializer(component_name="ValueReview")
class ReviewOutput(serializers.ModelSerializer):
    """A review as lists show it, with its benefit totals and open actions."""

    status = NamedChoiceField(ValueReviewStatus, read_only=True)
    allowed_transitions = serializers.SerializerMethodField(help_text="The statuses it may move to.")
    expected_total = serializers.DecimalField(
        max_digits=16,
        decimal_places=2,
        read_only=True,
        allow_null=True,
        help_text="What the benefit lines expect in the period, together.",
    )
    realized_total = serializers.DecimalField(
        max_digits=16,
        decimal_places=2,
        read_only=True,
        allow_null=True,
        help_text="What was realized, over the lines with a realized value.",
    )
    open_actions = serializers.IntegerField(read_only=True)

    class Meta:
        model = ValueReview
        fields = [
            "id",
            "organization",
            "agreement",
            "business_case",
            "title",
            "period_start",
            "period_end",
            "scheduled_on",
            "held_on",
            "status",
            "allowed_transitions",
            "owner",
            "sponsor",
            "participants",
            "next_review_on",
            "signed_off_at",
            "signed_off_by_name",
            "sign_off_note",
            "sign_off_recorded_by",
            "external_id",
            "expected_total",
            "realized_total",
            "open_actions",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=NamedChoiceField(ValueReviewStatus)))
    def get_allowed_transitions(self, review: ValueReview) -> list[str]:
        return [str(status) for status in REVIEW_TRANSITIONS[review.status]]


class ReviewTotalsOutput(serializers.Serializer):
    lines = serializers.IntegerField(help_text="Benefit lines.")
    missing = serializers.IntegerField(help_text="Benefit lines without a realized value.")
    expected = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)
    compared = serializers.DecimalField(
        max_digits=16,
        decimal_places=2,
        allow_null=True,
        help_text="Expected, over the lines with a realized value.",
    )
    realized = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)
    variance = serializers.DecimalField(
        max_digits=16, decimal_places=2, allow_null=True, help_text="realized − compared."
    )
    variance_pct = serializers.DecimalField(max_digits=10, decimal_places=1, allow_null=True)


@extend_schema_serializer(component_name="ValueReviewDetail")
class ReviewDetailOutput(ReviewOutput):
    """A review read on its own: its analysis, the figures as prepared, its lines and actions."""

    analysis = serializers.DictField(
        child=serializers.CharField(), read_only=True, help_text=ANALYSIS_HELP + "."
    )
    figures = serializers.JSONField(
        read_only=True,
        help_text="As prepared: the summed monthly counts of the period (`invitations`, `responses`, "
        "`promoters`, …), `nps`, `csat_pct`, `csat_mean`, `ces_mean`, `response_rate`, `sla_compliance`, "
        "`sentiment_avg` (decimal strings, null without data), `health`, `case` (year 0 of the business "
        "case and what it was taken from) and `targets` (periods met, at risk and breached per target id).",
    )
    benefits = ReviewBenefitOutput(many=True, read_only=True)
    targets = ReviewTargetOutput(many=True, read_only=True)
    actions = ReviewActionOutput(many=True, read_only=True)
    totals = serializers.SerializerMethodField()

    class Meta(ReviewOutput.Meta):
        fields = [
            *ReviewOutput.Meta.fields,
            "analysis",
            "comments",
            "decisions",
            "figures",
            "totals",
            "benefits",
            "targets",
            "actions",
        ]
        read_only_fields = fields

    @extend_schema_field(ReviewTotalsOutput)
    def get_totals(self, review: ValueReview) -> dict[str, Any]:
        return ReviewTotalsOutput(self.context["totals"]).data
