"""REST API of onboarding and offboarding plans (/api/v1/onboard/plans/...): list with filters, make one
by hand or from an offering's playbook, read one with its progress and goal summary, change it, delete
a draft, move it through its lifecycle, and record the customer's acceptance.

The conventions of journeys/api.py and agreements/api/: one class per URL, input and output serializers
apart (onboarding/api/serializers.py), reads through the selectors (a plan of an account the caller
may not see is a 404), writes through the services (which name the field of any bad input and save
nothing), errors in the one envelope. A move the lifecycle does not allow answers 409
`transition_not_allowed`; accepting a plan that is not in customer review 409 `not_in_review`.
"""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.urls import path
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from journeys.api import IDEMPOTENCY_PARAMETER, READ_ERRORS, WRITE_ERRORS, ListApi, UpdatedSinceFilterSet
from journeys.api_base import validated
from journeys.idempotency import idempotent
from journeys.serializers import ErrorOutput
from onboarding import selectors, services
from onboarding.api.serializers import (
    PlanAcceptInput,
    PlanCreateInput,
    PlanOutput,
    PlanTransitionInput,
    PlanUpdateInput,
)
from onboarding.models import OnboardingPlan, PlanKind, PlanStatus

__all__: list[str] = []

REPLAY_ERRORS = {422: ErrorOutput}
TAGS = ["onboarding plans"]


# --- examples -------------------------------------------------------------------------------------

PLAN_EXAMPLE = {
    "id": 7,
    "organization": 4,
    "journey": 9,
    "agreement": 12,
    "playbook": 3,
    "kind": "onboarding",
    "title": "Onboarding Rentwheel Car Hire: Fleet booking SLA 2026",
    "status": "in_progress",
    "status_changed_at": "2026-01-12T08:00:00Z",
    "allowed_transitions": ["on_hold", "cancelled"],
    "starts_on": "2026-01-05",
    "ends_on": "2026-03-31",
    "scenario": "new_services",
    "start_trigger": "agreement_reached",
    "control_approach": "project",
    "offerings": [3],
    "user_groups": "Depot planners, drivers",
    "locations": "Utrecht, Rotterdam",
    "user_count": 420,
    "scope_notes": "Booking portal and driver app.",
    "owner": 2,
    "customer_contact": 17,
    "accepted_at": "2026-01-09T14:30:00Z",
    "accepted_by": 17,
    "acceptance_note": "Agreed in the kick-off.",
    "completed_at": None,
    "offboarding_kind": "",
    "reason": "",
    "confidential": False,
    "lessons_learned": "",
    "progress": {"done": 8, "total": 14, "overdue": 1, "percent": 57},
    "goal_summary": {"total": 2, "pending": 1, "achieved": 1, "partially": 0, "not_achieved": 0},
    "created_at": "2026-01-02T09:30:00Z",
    "updated_at": "2026-02-10T16:05:00Z",
}
NOT_ALLOWED = OpenApiExample(
    "A move the lifecycle does not allow",
    status_codes=["409"],
    response_only=True,
    value={
        "error": {
            "code": "transition_not_allowed",
            "message": "A plan that is draft cannot become completed: it completes by itself when its "
            "actions are done and its goals achieved.",
            "fields": {"to_status": ["Not allowed from draft."]},
        }
    },
)


# --- views ----------------------------------------------------------------------------------------


class PlanFilter(UpdatedSinceFilterSet):
    organization = django_filters.NumberFilter(field_name="organization_id")
    kind = django_filters.ChoiceFilter(choices=PlanKind.choices)
    status = django_filters.ChoiceFilter(choices=PlanStatus.choices)
    agreement = django_filters.NumberFilter(field_name="agreement_id", help_text="Id of its agreement.")


def _answer(request: Request, plan: OnboardingPlan, *, status_code: int = status.HTTP_200_OK) -> Response:
    """The plan read again with its figures, as the caller may see it."""
    plan = selectors.plan_api_get(user=request.user, pk=plan.pk)
    return Response(PlanOutput(plan, context={"request": request}).data, status=status_code)


@extend_schema(tags=TAGS)
class PlanCollectionApi(ListApi):
    serializer_class = PlanOutput
    filterset_class = PlanFilter

    def get_queryset(self) -> QuerySet:
        return selectors.plan_api_list(user=self.request.user)

    @extend_schema(
        summary="List onboarding and offboarding plans",
        description="The plans of the accounts you may see with their progress and goals, oldest change "
        "first, one cursor page at a time. Filter by `organization`, `kind`, `status`, `agreement` and "
        "`updated_since`.",
        responses={200: PlanOutput(many=True), **READ_ERRORS},
        examples=[OpenApiExample("A plan under way", value=PLAN_EXAMPLE, response_only=True)],
    )
    def get(self, request: Request) -> Response:
        return super().get(request)

    @extend_schema(
        summary="Make a plan for a consumer",
        description="A draft, by hand or, with `playbook`, from an offering's onboarding playbook (its "
        "actions scheduled from `starts_on`, with their dependencies; `title` then defaults). An "
        "offboarding plan needs its `reason` and starts with the actions every exit needs. The "
        "organization must be a service consumer (409 `not_a_consumer`).",
        parameters=[IDEMPOTENCY_PARAMETER],
        request=PlanCreateInput,
        responses={201: PlanOutput, **WRITE_ERRORS, **REPLAY_ERRORS},
        examples=[
            OpenApiExample(
                "From a playbook",
                request_only=True,
                value={"organization": 4, "playbook": 3, "agreement": 12, "starts_on": "2026-01-05"},
            ),
            OpenApiExample(
                "Offboarding by hand",
                request_only=True,
                value={
                    "organization": 4,
                    "kind": "offboarding",
                    "title": "Offboarding the Rotterdam depot",
                    "starts_on": "2026-09-01",
                    "offboarding_kind": "user",
                    "reason": "user_role_change",
                },
            ),
        ],
    )
    @idempotent
    def post(self, request: Request) -> Response:
        data = validated(PlanCreateInput, request)
        organization, playbook = data.pop("organization"), data.pop("playbook", None)
        kind, agreement = data.pop("kind", PlanKind.ONBOARDING), data.pop("agreement", None)
        title, starts_on = data.pop("title", ""), data.pop("starts_on")
        if playbook is not None:
            plan = services.plan_create_from_playbook(
                actor=request.user,
                organization=organization,
                playbook=playbook,
                starts_on=starts_on,
                title=title,
                agreement=agreement,
                **data,
            )
        else:
            plan = services.plan_create(
                actor=request.user,
                organization=organization,
                title=title,
                starts_on=starts_on,
                kind=kind,
                **data,
            )
        return _answer(request, plan, status_code=status.HTTP_201_CREATED)


@extend_schema(tags=TAGS)
class PlanItemApi(APIView):
    @extend_schema(
        summary="Get a plan",
        description="One plan with its progress (actions done of those not cancelled, overdue ones), its "
        "goals by evaluation and the statuses it may move to.",
        responses={200: PlanOutput, **READ_ERRORS},
        examples=[OpenApiExample("A plan under way", value=PLAN_EXAMPLE, response_only=True)],
    )
    def get(self, request: Request, pk: int) -> Response:
        plan = selectors.plan_api_get(user=request.user, pk=pk)
        return Response(PlanOutput(plan, context={"request": request}).data)

    @extend_schema(
        summary="Change a plan",
        description="Change its scope, dates, owner, contacts; `offerings` replaces the list. Its status "
        "changes with a transition. A start after an action's due date is refused naming `starts_on`; a "
        "completed or cancelled plan no longer changes (409 `plan_closed`).",
        request=PlanUpdateInput,
        responses={200: PlanOutput, **WRITE_ERRORS},
        examples=[
            OpenApiExample(
                "Widen the scope", request_only=True, value={"user_count": 480, "locations": "All depots"}
            )
        ],
    )
    def patch(self, request: Request, pk: int) -> Response:
        plan = selectors.plan_api_get(user=request.user, pk=pk, brief=True)
        data = validated(PlanUpdateInput, request, partial=True)
        return _answer(request, services.plan_update(actor=request.user, plan=plan, **data))

    @extend_schema(
        summary="Delete a draft plan",
        description="Only drafts are deleted (409 `not_a_draft` otherwise): a plan under way is cancelled "
        "instead, so its history is kept.",
        responses={204: None, **WRITE_ERRORS},
    )
    def delete(self, request: Request, pk: int) -> Response:
        plan = selectors.plan_api_get(user=request.user, pk=pk, brief=True)
        services.plan_delete(actor=request.user, plan=plan)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=TAGS)
class PlanTransitionApi(APIView):
    @extend_schema(
        summary="Move a plan through its lifecycle",
        description="draft → in_review (needs a customer contact and an action) → accepted (see accept) → "
        "in_progress ⇄ on_hold; back to draft from review or acceptance; cancelled from any open status. "
        "An onboarding plan starts only once accepted (409 `not_accepted`); an offboarding plan may start "
        "from its draft. It completes by itself when every action is closed and every goal achieved. "
        "A move the lifecycle does not allow answers 409 `transition_not_allowed`.",
        parameters=[IDEMPOTENCY_PARAMETER],
        request=PlanTransitionInput,
        responses={200: PlanOutput, **WRITE_ERRORS, **REPLAY_ERRORS},
        examples=[
            OpenApiExample("Send to the customer", request_only=True, value={"to_status": "in_review"}),
            OpenApiExample(
                "Hold", request_only=True, value={"to_status": "on_hold", "note": "Depot move delayed."}
            ),
            NOT_ALLOWED,
        ],
    )
    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        plan = selectors.plan_api_get(user=request.user, pk=pk, brief=True)
        data = validated(PlanTransitionInput, request)
        moved = services.plan_transition(
            actor=request.user, plan=plan, to_status=data["to_status"], note=data.get("note", "")
        )
        return _answer(request, moved)


@extend_schema(tags=TAGS)
class PlanAcceptApi(APIView):
    @extend_schema(
        summary="Record the customer's acceptance of a plan",
        description="For a plan in customer review (409 `not_in_review` otherwise), naming the account's "
        "person who accepted it.",
        parameters=[IDEMPOTENCY_PARAMETER],
        request=PlanAcceptInput,
        responses={200: PlanOutput, **WRITE_ERRORS, **REPLAY_ERRORS},
        examples=[
            OpenApiExample(
                "Accepted", request_only=True, value={"accepted_by": 17, "note": "Agreed in the kick-off."}
            )
        ],
    )
    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        plan = selectors.plan_api_get(user=request.user, pk=pk, brief=True)
        data = validated(PlanAcceptInput, request)
        accepted = services.plan_accept(
            actor=request.user, plan=plan, accepted_by=data["accepted_by"], note=data.get("note", "")
        )
        return _answer(request, accepted)


urlpatterns = [
    path("onboard/plans/", PlanCollectionApi.as_view(), name="api_onboard_plans"),
    path("onboard/plans/<int:pk>/", PlanItemApi.as_view(), name="api_onboard_plan"),
    path(
        "onboard/plans/<int:pk>/transition/", PlanTransitionApi.as_view(), name="api_onboard_plan_transition"
    ),
    path("onboard/plans/<int:pk>/accept/", PlanAcceptApi.as_view(), name="api_onboard_plan_accept"),
]
