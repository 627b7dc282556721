"""REST API of a plan's actions (/api/v1/onboard/...): the actions of all plans for incremental sync (a
CRM pulls `owner_user=me`, `status`, `overdue=true`...), list and add them per plan, read, change and
delete one, move its status, and read and write its comments.

The conventions of onboarding/api/plans.py. The services name the field of every planning mistake
and save nothing: a due date before the plan starts (`due_on`), waiting for an action of another plan
or in a circle (`depends_on`, the actions on the circle named), an owner on the wrong side
(`owner_user`, `owner_stakeholder`). Marking an action done while an action it waits for is open
answers 409 naming `status`. The provider person who owns an action may change its status and comment
on it even on an account they do not otherwise see; changing the plan is for those who may change the
account.
"""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.urls import path
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_field
from rest_framework import exceptions, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from journeys.api import IDEMPOTENCY_PARAMETER, READ_ERRORS, WRITE_ERRORS, ListApi, UpdatedSinceFilterSet
from journeys.idempotency import idempotent
from offerings.models import OwnerParty
from onboarding import selectors, services
from onboarding.api.plans import REPLAY_ERRORS, validated
from onboarding.api.serializers import (
    ActionCommentInput,
    ActionOutput,
    CommentOutput,
    PlanActionInput,
    PlanActionStatusInput,
)
from onboarding.models import ActionStatus, PlanAction

__all__: list[str] = []

TAGS = ["onboarding actions"]

ACTION_EXAMPLE = {
    "id": 88,
    "plan": 7,
    "organization": 4,
    "title": "Train the depot super-users",
    "description": "Two sessions per depot, recorded for late joiners.",
    "area": "people",
    "owner_party": "provider",
    "owner_user": 2,
    "owner_stakeholder": None,
    "owner_role": "Trainer",
    "due_on": "2026-02-13",
    "status": "in_progress",
    "allowed_transitions": ["planned", "blocked", "done", "cancelled"],
    "is_overdue": False,
    "waits_for_open_action": False,
    "depends_on": [85, 86],
    "evidence": "",
    "completed_at": None,
    "completed_by": None,
    "completed_by_stakeholder": None,
    "position": 4,
    "playbook_action": 31,
    "created_at": "2026-01-02T09:30:00Z",
    "updated_at": "2026-02-02T11:00:00Z",
}
OPEN_DEPENDENCY_MESSAGE = "It waits for “Create the depot accounts”, still open: finish or cancel that first."
CIRCLE_MESSAGE = (
    "That would make the actions wait for each other in a circle: “Train the depot super-users” → "
    "“Create the depot accounts” → “Train the depot super-users”."
)


# --- all actions (incremental sync) ---------------------------------------------------------------


def _flag(method: str, help_text: str) -> django_filters.ChoiceFilter:
    """true or false, and nothing else: a misspelt flag is an error rather than no filter at all."""
    return django_filters.ChoiceFilter(
        choices=[("true", "true"), ("false", "false")], method=method, help_text=help_text
    )


class ActionFilter(UpdatedSinceFilterSet):
    plan = django_filters.NumberFilter(field_name="plan_id")
    organization = django_filters.NumberFilter(field_name="plan__organization_id")
    owner_user = django_filters.CharFilter(method="filter_owner_user")
    owner_party = django_filters.ChoiceFilter(choices=OwnerParty.choices)
    status = django_filters.ChoiceFilter(choices=ActionStatus.choices)
    open = _flag("filter_open", "true: neither done nor cancelled; false: done or cancelled.")
    overdue = _flag("filter_overdue", "true: open after its due date; false: the others.")

    @extend_schema_field({"type": "string", "description": "`me`, or the user id of a provider owner."})
    def filter_owner_user(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == "me":
            return queryset.filter(owner_user=self.request.user)
        if not value.isdigit():
            raise exceptions.ValidationError({"owner_user": ["Use `me` or a user id."]})
        return queryset.filter(owner_user_id=int(value))

    def filter_open(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return selectors.action_api_open(queryset, value == "true")

    def filter_overdue(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return selectors.action_api_overdue(queryset, value == "true")


@extend_schema(tags=TAGS)
class ActionCollectionApi(ListApi):
    serializer_class = ActionOutput
    filterset_class = ActionFilter

    def get_queryset(self) -> QuerySet:
        return selectors.action_api_list(user=self.request.user)

    @extend_schema(
        summary="List actions of every plan",
        description="The actions of the accounts you may see and those you own, oldest change first, one "
        "cursor page at a time. Filter by `plan`, `organization`, `owner_user` (`me` for yours), "
        "`owner_party`, `status`, `open`, `overdue` and `updated_since`.",
        responses={200: ActionOutput(many=True), **READ_ERRORS},
        examples=[OpenApiExample("An action under way", value=ACTION_EXAMPLE, response_only=True)],
    )
    def get(self, request: Request) -> Response:
        return super().get(request)


# --- a plan's actions -----------------------------------------------------------------------------


def _answer(request: Request, action: PlanAction, *, status_code: int = status.HTTP_200_OK) -> Response:
    """The action read again with its figures (overdue, waiting, dependencies)."""
    action = selectors.action_api_get(user=request.user, pk=action.pk)
    return Response(ActionOutput(action).data, status=status_code)


@extend_schema(tags=TAGS)
class PlanActionsApi(APIView):
    @extend_schema(
        summary="List a plan's actions",
        description="All of them, in the plan's order (due date, then place).",
        responses={200: ActionOutput(many=True), **READ_ERRORS},
        examples=[OpenApiExample("One action", response_only=True, value=[ACTION_EXAMPLE])],
    )
    def get(self, request: Request, pk: int) -> Response:
        plan = selectors.plan_api_get(user=request.user, pk=pk, brief=True)
        actions = selectors.action_api_list(user=request.user, plan=plan).order_by("due_on", "position", "id")
        return Response(ActionOutput(actions, many=True).data)

    @extend_schema(
        summary="Add an action to a plan",
        description="Owned by a colleague (`owner_party` provider, `owner_user`) or by one of the account's "
        "people (consumer, `owner_stakeholder`), or by a role until a person is named. Due on or after "
        "the plan's start; `depends_on` names the actions of the same plan it waits for (a circle is "
        "refused naming the actions on it).",
        parameters=[IDEMPOTENCY_PARAMETER],
        request=PlanActionInput,
        responses={201: ActionOutput, **WRITE_ERRORS, **REPLAY_ERRORS},
        examples=[
            OpenApiExample(
                "Training after the accounts",
                request_only=True,
                value={
                    "title": "Train the depot super-users",
                    "area": "people",
                    "owner_party": "provider",
                    "owner_user": 2,
                    "due_on": "2026-02-13",
                    "depends_on": [85],
                },
            ),
            OpenApiExample(
                "Due before the plan starts",
                status_codes=["400"],
                response_only=True,
                value={
                    "error": {
                        "code": "invalid",
                        "message": "The due date comes before the plan starts (5 Jan 2026).",
                        "fields": {"due_on": ["The due date comes before the plan starts (5 Jan 2026)."]},
                    }
                },
            ),
        ],
    )
    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        plan = selectors.plan_api_get(user=request.user, pk=pk, brief=True)
        action = services.action_create(actor=request.user, plan=plan, **validated(PlanActionInput, request))
        return _answer(request, action, status_code=status.HTTP_201_CREATED)


@extend_schema(tags=TAGS)
class ActionItemApi(APIView):
    @extend_schema(
        summary="Get an action",
        responses={200: ActionOutput, **READ_ERRORS},
        examples=[OpenApiExample("An action under way", value=ACTION_EXAMPLE, response_only=True)],
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(ActionOutput(selectors.action_api_get(user=request.user, pk=pk)).data)

    @extend_schema(
        summary="Change an action",
        description="Its title, owner, due date, place or dependencies (`depends_on` replaces the set; "
        "`[]` clears it). Its status changes with the status endpoint.",
        request=PlanActionInput,
        responses={200: ActionOutput, **WRITE_ERRORS},
        examples=[
            OpenApiExample("Wait for two actions", request_only=True, value={"depends_on": [85, 86]}),
            OpenApiExample(
                "A circle",
                status_codes=["400"],
                response_only=True,
                value={
                    "error": {
                        "code": "invalid",
                        "message": CIRCLE_MESSAGE,
                        "fields": {"depends_on": [CIRCLE_MESSAGE]},
                    }
                },
            ),
        ],
    )
    def patch(self, request: Request, pk: int) -> Response:
        action = selectors.action_api_get(user=request.user, pk=pk, brief=True)
        data = validated(PlanActionInput, request, partial=True)
        return _answer(request, services.action_update(actor=request.user, action=action, **data))

    @extend_schema(
        summary="Delete an action",
        description="Actions that waited for it no longer do.",
        responses={204: None, **WRITE_ERRORS},
    )
    def delete(self, request: Request, pk: int) -> Response:
        action = selectors.action_api_get(user=request.user, pk=pk, brief=True)
        services.action_delete(actor=request.user, action=action)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=TAGS)
class ActionStatusApi(APIView):
    @extend_schema(
        summary="Change an action's status",
        description="For its provider owner and those who may change the account. planned, in_progress, "
        "blocked, done or cancelled, as `allowed_transitions` says; done only once every action it waits "
        "for is done or cancelled (409 naming `status` otherwise). The first action under way starts an "
        "accepted plan; the last one closed may complete it.",
        parameters=[IDEMPOTENCY_PARAMETER],
        request=PlanActionStatusInput,
        responses={200: ActionOutput, **WRITE_ERRORS, **REPLAY_ERRORS},
        examples=[
            OpenApiExample(
                "Done",
                request_only=True,
                value={"status": "done", "evidence": "Attendance lists in the shared folder."},
            ),
            OpenApiExample(
                "An open dependency",
                status_codes=["409"],
                response_only=True,
                value={
                    "error": {
                        "code": "invalid",
                        "message": OPEN_DEPENDENCY_MESSAGE,
                        "fields": {"status": [OPEN_DEPENDENCY_MESSAGE]},
                    }
                },
            ),
        ],
    )
    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        action = selectors.action_api_get(user=request.user, pk=pk, brief=True)
        data = validated(PlanActionStatusInput, request)
        moved = services.action_set_status(
            actor=request.user, action=action, status=data["status"], evidence=data.get("evidence")
        )
        return _answer(request, moved)


@extend_schema(tags=TAGS)
class ActionCommentsApi(APIView):
    @extend_schema(
        summary="List an action's comments",
        description="Oldest first, by colleagues (`author_user`) or by the consumer's owner through their "
        "link (`author_stakeholder`).",
        responses={200: CommentOutput(many=True), **READ_ERRORS},
    )
    def get(self, request: Request, pk: int) -> Response:
        action = selectors.action_api_get(user=request.user, pk=pk, brief=True)
        comments = selectors.action_api_comments(user=request.user, action=action)
        return Response(CommentOutput(comments, many=True).data)

    @extend_schema(
        summary="Comment on an action",
        description="For its provider owner and those who may change the account.",
        parameters=[IDEMPOTENCY_PARAMETER],
        request=ActionCommentInput,
        responses={201: CommentOutput, **WRITE_ERRORS, **REPLAY_ERRORS},
        examples=[
            OpenApiExample("A remark", request_only=True, value={"body": "Waiting for the VPN accounts."})
        ],
    )
    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        action = selectors.action_api_get(user=request.user, pk=pk, brief=True)
        data = validated(ActionCommentInput, request)
        comment = services.action_comment(actor=request.user, action=action, body=data["body"])
        return Response(CommentOutput(comment).data, status=status.HTTP_201_CREATED)


urlpatterns = [
    path("onboard/actions/", ActionCollectionApi.as_view(), name="api_onboard_actions"),
    path("onboard/plans/<int:pk>/actions/", PlanActionsApi.as_view(), name="api_onboard_plan_actions"),
    path("onboard/actions/<int:pk>/", ActionItemApi.as_view(), name="api_onboard_action"),
    path("onboard/actions/<int:pk>/status/", ActionStatusApi.as_view(), name="api_onboard_action_status"),
    path(
        "onboard/actions/<int:pk>/comments/", ActionCommentsApi.as_view(), name="api_onboard_action_comments"
    ),
]
