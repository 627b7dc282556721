"""REST API of a plan's goals (/api/v1/onboard/...): list and add them per plan, read, change and delete
one, and record how it turned out.

The conventions of onboarding/api/plans.py. A goal's target date comes on or after its plan's start
(400 naming `target_date` otherwise); an evaluated goal needs the value measured (400 naming `result`).
Evaluating the last goal of a plan whose actions are all closed completes it, and moves its journey on.
"""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from journeys.api import IDEMPOTENCY_PARAMETER, READ_ERRORS, WRITE_ERRORS
from journeys.idempotency import idempotent
from onboarding import selectors, services
from onboarding.api.plans import REPLAY_ERRORS, validated
from onboarding.api.serializers import GoalOutput, PlanGoalEvaluateInput, PlanGoalInput

__all__: list[str] = []

TAGS = ["onboarding plans"]

GOAL_EXAMPLE = {
    "id": 21,
    "plan": 7,
    "template": "migrate_to_agreed_services",
    "description": "Depot planners book the fleet online",
    "metric": "Share of bookings made in the portal",
    "target": "90 %",
    "target_date": "2026-03-15",
    "evaluation": "achieved",
    "result": "93 %",
    "evidence": "Portal report for the first half of March.",
    "evaluated_at": "2026-03-16T10:00:00Z",
    "evaluated_by": 2,
    "position": 0,
    "created_at": "2026-01-02T09:30:00Z",
    "updated_at": "2026-03-16T10:00:00Z",
}


@extend_schema(tags=TAGS)
class PlanGoalsApi(APIView):
    @extend_schema(
        summary="List a plan's goals",
        description="In the plan's order, each with its evaluation.",
        responses={200: GoalOutput(many=True), **READ_ERRORS},
        examples=[OpenApiExample("One goal", response_only=True, value=[GOAL_EXAMPLE])],
    )
    def get(self, request: Request, pk: int) -> Response:
        plan = selectors.plan_api_get(user=request.user, pk=pk, brief=True)
        return Response(GoalOutput(selectors.goal_api_list(user=request.user, plan=plan), many=True).data)

    @extend_schema(
        summary="Add a goal to a plan",
        description="A measurable goal: what is measured, the value to reach and by when (on or after the "
        "plan's start). A completed or cancelled plan no longer changes (409 `plan_closed`).",
        parameters=[IDEMPOTENCY_PARAMETER],
        request=PlanGoalInput,
        responses={201: GoalOutput, **WRITE_ERRORS, **REPLAY_ERRORS},
        examples=[
            OpenApiExample(
                "Bookings online",
                request_only=True,
                value={
                    "description": "Depot planners book the fleet online",
                    "metric": "Share of bookings made in the portal",
                    "target": "90 %",
                    "target_date": "2026-03-15",
                },
            )
        ],
    )
    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        plan = selectors.plan_api_get(user=request.user, pk=pk, brief=True)
        goal = services.goal_create(actor=request.user, plan=plan, **validated(PlanGoalInput, request))
        return Response(GoalOutput(goal).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=TAGS)
class GoalItemApi(APIView):
    @extend_schema(
        summary="Get a goal",
        responses={200: GoalOutput, **READ_ERRORS},
        examples=[OpenApiExample("An achieved goal", response_only=True, value=GOAL_EXAMPLE)],
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(GoalOutput(selectors.goal_api_get(user=request.user, pk=pk)).data)

    @extend_schema(
        summary="Change a goal",
        description="Its description, metric, target, date or place; its evaluation is recorded with "
        "evaluate.",
        request=PlanGoalInput,
        responses={200: GoalOutput, **WRITE_ERRORS},
        examples=[OpenApiExample("Later", request_only=True, value={"target_date": "2026-04-15"})],
    )
    def patch(self, request: Request, pk: int) -> Response:
        goal = selectors.goal_api_get(user=request.user, pk=pk)
        data = validated(PlanGoalInput, request, partial=True)
        return Response(GoalOutput(services.goal_update(actor=request.user, goal=goal, **data)).data)

    @extend_schema(summary="Delete a goal", responses={204: None, **WRITE_ERRORS})
    def delete(self, request: Request, pk: int) -> Response:
        goal = selectors.goal_api_get(user=request.user, pk=pk)
        services.goal_delete(actor=request.user, goal=goal)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=TAGS)
class GoalEvaluateApi(APIView):
    @extend_schema(
        summary="Record how a goal turned out",
        description="achieved, partially, not_achieved (each with the `result` measured) or pending again. "
        "The plan completes when every action is closed and every goal achieved.",
        parameters=[IDEMPOTENCY_PARAMETER],
        request=PlanGoalEvaluateInput,
        responses={200: GoalOutput, **WRITE_ERRORS, **REPLAY_ERRORS},
        examples=[
            OpenApiExample(
                "Achieved",
                request_only=True,
                value={
                    "evaluation": "achieved",
                    "result": "93 %",
                    "evidence": "Portal report for the first half of March.",
                },
            )
        ],
    )
    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        goal = selectors.goal_api_get(user=request.user, pk=pk)
        data = validated(PlanGoalEvaluateInput, request)
        return Response(GoalOutput(services.goal_evaluate(actor=request.user, goal=goal, **data)).data)


urlpatterns = [
    path("onboard/plans/<int:pk>/goals/", PlanGoalsApi.as_view(), name="api_onboard_plan_goals"),
    path("onboard/goals/<int:pk>/", GoalItemApi.as_view(), name="api_onboard_goal"),
    path("onboard/goals/<int:pk>/evaluate/", GoalEvaluateApi.as_view(), name="api_onboard_goal_evaluate"),
]
