"""REST API of surveys (/api/v1/realize/...): the survey definitions, the invitation log (who was
invited, and why the others were not), the answers (read them, or push one your own tool collected)
and the follow-ups poor answers open for the account owner.

The conventions of journeys/api.py and cocreation/api/: one class per URL, input and output serializers
apart (realization/api/serializers.py), reads through the selectors (an invitation, answer or follow-up
of an account the caller may not see is a 404), writes through the services (which name the field of
any bad input and save nothing), errors in the one envelope.

An answer pushed with an `external_id` is stored once: sending it again updates the same answer (200)
instead of adding one (201), so a CRM can replay its export safely.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.urls import path
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import exceptions, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from journeys.api import IDEMPOTENCY_PARAMETER, READ_ERRORS, WRITE_ERRORS, ListApi
from journeys.api_base import SyncSelectorFilterSet, validated
from journeys.idempotency import idempotent
from journeys.models import JourneyStep
from journeys.serializers import ErrorOutput
from realization import selectors, services
from realization.api.filters import parse_moment
from realization.api.serializers import (
    FollowUpCloseInput,
    FollowUpOutput,
    InvitationOutput,
    ResponseInput,
    ResponseOutput,
    ResponseUpsertInput,
    SurveyCreateInput,
    SurveyOutput,
    SurveyUpdateInput,
)
from realization.models import (
    FollowUpReason,
    FollowUpStatus,
    InvitationReason,
    InvitationStatus,
    ResponseSource,
    SurveyResponse,
    SurveyTrigger,
    SurveyType,
)

__all__: list[str] = []

REPLAY_ERRORS = {422: ErrorOutput}
SURVEY_TAGS = ["realize surveys"]
INVITATION_TAGS = ["realize survey invitations"]
RESPONSE_TAGS = ["realize survey responses"]
FOLLOW_UP_TAGS = ["realize follow-ups"]


def _id_filter(data: dict, name: str) -> int | None:
    value = data.get(name)
    if value is None:
        return None
    if value != int(value):
        raise exceptions.ValidationError({name: ["Give a whole id."]})
    return int(value)


# --- examples -------------------------------------------------------------------------------------

SURVEY_EXAMPLE = {
    "id": 3,
    "name": "After a request is closed",
    "survey_type": "csat",
    "scale": {"min": 1, "max": 5},
    "question": "How happy are you with the way we dealt with your request?",
    "to_customers": True,
    "to_users": True,
    "to_sponsors": False,
    "audience": ["customer", "user"],
    "trigger": "request_closed",
    "is_active": True,
    "sampling_percent": 50,
    "send_delay_hours": 24,
    "expiry_days": 14,
    "reminder_after_days": 5,
    "period_months": None,
    "step": "",
    "owner": 5,
    "tested_at": "2026-10-02T09:12:00Z",
    "created_at": "2026-10-01T15:00:00Z",
    "updated_at": "2026-10-02T09:12:00Z",
}
INVITATION_EXAMPLE = {
    "id": 811,
    "survey": 3,
    "survey_name": "After a request is closed",
    "survey_type": "csat",
    "organization": 4,
    "stakeholder": 17,
    "stakeholder_name": "Joris Bakker",
    "trigger_key": "request:42",
    "subject": "REQ-000042 Depot tablets cannot print booking slips",
    "step": "co_create",
    "triggered_at": "2026-11-17T10:15:00Z",
    "status": "not_invited",
    "reason": "cooldown",
    "reason_label": "Surveyed too recently",
    "reason_detail": "Last asked on 2026-11-02.",
    "handled_by": 5,
    "send_after": None,
    "sent_at": None,
    "reminder_sent_at": None,
    "expires_at": None,
    "responded_at": None,
    "attempts": 0,
    "created_at": "2026-11-17T10:20:00Z",
    "updated_at": "2026-11-17T10:20:00Z",
}
RESPONSE_EXAMPLE = {
    "id": 2204,
    "survey": 3,
    "survey_type": "csat",
    "invitation": None,
    "organization": 4,
    "stakeholder": 17,
    "step": "co_create",
    "score": 2,
    "nps_group": None,
    "comment": "Took three calls before anyone picked it up.",
    "commented_at": None,
    "answered_at": "2026-11-18T08:40:00Z",
    "source": "api",
    "external_id": "crm-answer-5521",
    "follow_up": 96,
    "created_at": "2026-11-18T08:41:00Z",
    "updated_at": "2026-11-18T08:41:00Z",
}
FOLLOW_UP_EXAMPLE = {
    "id": 96,
    "organization": 4,
    "owner": 5,
    "reason": "dissatisfied",
    "status": "open",
    "due_on": "2026-11-23",
    "is_overdue": False,
    "response": {
        "id": 2204,
        "survey": 3,
        "survey_name": "After a request is closed",
        "survey_type": "csat",
        "stakeholder": 17,
        "stakeholder_name": "Joris Bakker",
        "score": 2,
        "comment": "Took three calls before anyone picked it up.",
        "answered_at": "2026-11-18T08:40:00Z",
    },
    "outcome": "",
    "closed_at": None,
    "closed_by": None,
    "created_at": "2026-11-18T08:41:00Z",
    "updated_at": "2026-11-18T08:41:00Z",
}
SCORE_OUT_OF_SCALE_MESSAGE = "A CSAT answer is a score from 1 to 5."
SCORE_OUT_OF_SCALE = OpenApiExample(
    "A score outside the survey's scale",
    status_codes=["400"],
    response_only=True,
    value={
        "error": {
            "code": "invalid",
            "message": SCORE_OUT_OF_SCALE_MESSAGE,
            "fields": {"score": [SCORE_OUT_OF_SCALE_MESSAGE]},
        }
    },
)


# --- surveys --------------------------------------------------------------------------------------


class SurveyFilter(django_filters.FilterSet):
    survey_type = django_filters.ChoiceFilter(choices=SurveyType.choices)
    trigger = django_filters.ChoiceFilter(choices=SurveyTrigger.choices)
    is_active = django_filters.BooleanFilter()
    updated_since = django_filters.CharFilter(method="filter_updated_since")

    @extend_schema_field(
        {"type": "string", "format": "date-time", "description": "Changed at or after this ISO 8601 moment."}
    )
    def filter_updated_since(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(updated_at__gte=parse_moment(value, name="updated_since"))


@extend_schema(tags=SURVEY_TAGS)
class SurveyCollectionApi(ListApi):
    serializer_class = SurveyOutput
    filterset_class = SurveyFilter

    def get_queryset(self) -> QuerySet:
        return selectors.survey_scope(self.request.user)

    @extend_schema(
        summary="List surveys",
        description="Every survey definition, oldest change first, one cursor page at a time (follow "
        "`next`). Filter by `survey_type`, `trigger`, `is_active` and `updated_since`.",
        responses={200: SurveyOutput(many=True), **READ_ERRORS},
        examples=[
            OpenApiExample("A CSAT survey after closed requests", value=SURVEY_EXAMPLE, response_only=True)
        ],
    )
    def get(self, request: Request) -> Response:
        return super().get(request)

    @extend_schema(
        summary="Create a survey",
        description="A survey definition: its type (which sets the scale), question, the consumer roles "
        "it asks, what sends it and its governance (sampling, delay, expiry, one reminder). A "
        "periodic survey needs `period_months`; the reminder goes out before the expiry. Bad input "
        "names its field and saves nothing.",
        parameters=[IDEMPOTENCY_PARAMETER],
        request=SurveyCreateInput,
        responses={201: SurveyOutput, **WRITE_ERRORS, **REPLAY_ERRORS},
        examples=[
            OpenApiExample(
                "A relationship NPS every six months",
                request_only=True,
                value={
                    "name": "Relationship NPS",
                    "survey_type": "nps",
                    "question": "How likely are you to recommend us to a colleague?",
                    "to_customers": True,
                    "to_users": False,
                    "to_sponsors": True,
                    "trigger": "periodic",
                    "period_months": 6,
                    "sampling_percent": 100,
                },
            ),
        ],
    )
    @idempotent
    def post(self, request: Request) -> Response:
        data = validated(SurveyCreateInput, request)
        survey = services.survey_create(user=request.user, data=data)
        return Response(SurveyOutput(survey).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=SURVEY_TAGS)
class SurveyItemApi(APIView):
    @extend_schema(
        summary="Get a survey",
        responses={200: SurveyOutput, **READ_ERRORS},
        examples=[
            OpenApiExample("A CSAT survey after closed requests", value=SURVEY_EXAMPLE, response_only=True)
        ],
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(SurveyOutput(selectors.survey_get(user=request.user, pk=pk)).data)

    @extend_schema(
        summary="Change a survey",
        description="Any of its fields; what is left out stays. Switching it off (`is_active`: false) "
        "stops new invitations.",
        request=SurveyUpdateInput,
        responses={200: SurveyOutput, **WRITE_ERRORS},
        examples=[OpenApiExample("Ask half the people", request_only=True, value={"sampling_percent": 50})],
    )
    def patch(self, request: Request, pk: int) -> Response:
        survey = selectors.survey_get(user=request.user, pk=pk)
        data = validated(SurveyUpdateInput, request, partial=True)
        survey = services.survey_update(user=request.user, survey=survey, data=data)
        return Response(SurveyOutput(survey).data)


# --- invitations ----------------------------------------------------------------------------------


class InvitationFilter(SyncSelectorFilterSet):
    survey = django_filters.NumberFilter(method="keep", help_text="Id of the survey.")
    status = django_filters.ChoiceFilter(choices=InvitationStatus.choices, method="keep")
    reason = django_filters.ChoiceFilter(
        choices=[*InvitationReason.choices, ("not_invited", "Any reason but invited")],
        method="keep",
        help_text="`invited`, why someone was left out, or `not_invited` for every reason but invited.",
    )
    stakeholder = django_filters.NumberFilter(method="keep", help_text="Id of the person.")

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        data = self.form.cleaned_data
        rows = selectors.invitation_list(
            user=self.request.user,
            survey=_id_filter(data, "survey"),
            status=data.get("status") or "",
            reason=data.get("reason") or "",
            organization=self.organization_id(),
            stakeholder=_id_filter(data, "stakeholder"),
        )
        return self.since(rows)


@extend_schema(tags=INVITATION_TAGS)
class InvitationCollectionApi(ListApi):
    serializer_class = InvitationOutput
    filterset_class = InvitationFilter

    def get_queryset(self) -> QuerySet:
        return selectors.invitation_list(user=self.request.user)

    @extend_schema(
        summary="List survey invitations",
        description="Every decision the dispatch took about a person, in the accounts you may see: "
        "invited (`reason` `invited`, with when it was, or will be, sent, reminded and answered) or "
        "left out, with the reason (not in the survey's audience, inactive, no consent, no e-mail "
        "address, handled the request, surveyed too recently, not drawn in the sample). Oldest change "
        "first, one cursor page at a time. Filter by `survey`, `status`, `reason`, `organization`, "
        "`stakeholder` and `updated_since`.",
        responses={200: InvitationOutput(many=True), **READ_ERRORS},
        examples=[OpenApiExample("Left out by the cooldown", value=INVITATION_EXAMPLE, response_only=True)],
    )
    def get(self, request: Request) -> Response:
        return super().get(request)


@extend_schema(tags=INVITATION_TAGS)
class InvitationItemApi(APIView):
    @extend_schema(
        summary="Get a survey invitation",
        responses={200: InvitationOutput, **READ_ERRORS},
        examples=[OpenApiExample("Left out by the cooldown", value=INVITATION_EXAMPLE, response_only=True)],
    )
    def get(self, request: Request, pk: int) -> Response:
        found = _get_or_404(selectors.invitation_list(user=request.user), pk)
        return Response(InvitationOutput(found).data)


def _get_or_404(rows: QuerySet, pk: int):
    try:
        return rows.get(pk=pk)
    except rows.model.DoesNotExist:
        raise exceptions.NotFound() from None


# --- responses ------------------------------------------------------------------------------------


class ResponseFilter(SyncSelectorFilterSet):
    survey = django_filters.NumberFilter(method="keep", help_text="Id of the survey.")
    survey_type = django_filters.ChoiceFilter(choices=SurveyType.choices, method="keep")
    stakeholder = django_filters.NumberFilter(method="keep", help_text="Id of the person who answered.")
    step = django_filters.ChoiceFilter(choices=JourneyStep.choices, method="keep")
    source = django_filters.ChoiceFilter(choices=ResponseSource.choices, method="keep")
    band = django_filters.ChoiceFilter(
        choices=[
            ("positive", "Promoters (NPS 9–10), satisfied (CSAT 4–5), easy (CES 5–7)"),
            ("neutral", "Passives (NPS 7–8), neutral (CSAT 3, CES 4)"),
            ("negative", "Detractors (NPS 0–6), dissatisfied (CSAT 1–2), hard (CES 1–3)"),
        ],
        method="keep",
    )
    answered_since = django_filters.CharFilter(method="filter_answered_since")
    answered_until = django_filters.CharFilter(method="filter_answered_until")

    @extend_schema_field(
        {
            "type": "string",
            "description": "Answered at or after this ISO 8601 moment (a date: from its start, site time).",
        }
    )
    def filter_answered_since(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset

    @extend_schema_field(
        {"type": "string", "description": "Answered before this ISO 8601 moment (a date: before its start)."}
    )
    def filter_answered_until(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        data = self.form.cleaned_data
        rows = selectors.response_list(
            user=self.request.user,
            survey=_id_filter(data, "survey"),
            organization=self.organization_id(),
            survey_type=data.get("survey_type") or "",
            band=data.get("band") or "",
            stakeholder=_id_filter(data, "stakeholder"),
            since=parse_moment(data.get("answered_since"), name="answered_since"),
        )
        if data.get("step"):
            rows = rows.filter(step=data["step"])
        if data.get("source"):
            rows = rows.filter(source=data["source"])
        until = parse_moment(data.get("answered_until"), name="answered_until")
        if until is not None:
            rows = rows.filter(answered_at__lt=until)
        return self.since(rows)


def _answer_response(request: Request, response: SurveyResponse, status_code: int) -> Response:
    found = _get_or_404(selectors.response_list(user=request.user), response.pk)
    return Response(ResponseOutput(found).data, status=status_code)


def _record(request: Request, data: dict[str, Any]) -> Response:
    """Record the answer; an `external_id` seen before updates that answer (200) instead (201)."""
    response = services.survey_response_record(user=request.user, data={**data, "source": ResponseSource.API})
    created = getattr(response, "created", True)
    return _answer_response(request, response, status.HTTP_201_CREATED if created else status.HTTP_200_OK)


RESPONSE_REQUEST_EXAMPLE = OpenApiExample(
    "A CSAT answer collected by the CRM",
    request_only=True,
    value={
        "survey": 3,
        "stakeholder": 17,
        "score": 2,
        "comment": "Took three calls before anyone picked it up.",
        "answered_at": "2026-11-18T08:40:00Z",
        "external_id": "crm-answer-5521",
    },
)


@extend_schema(tags=RESPONSE_TAGS)
class ResponseCollectionApi(ListApi):
    serializer_class = ResponseOutput
    filterset_class = ResponseFilter

    def get_queryset(self) -> QuerySet:
        return selectors.response_list(user=self.request.user)

    @extend_schema(
        summary="List survey answers",
        description="The answers of the accounts you may see, oldest change first, one cursor page at a "
        "time. Filter by `survey`, `survey_type`, `organization`, `stakeholder`, `step`, `source`, "
        "`answered_since`, `answered_until` and `updated_since`.",
        responses={200: ResponseOutput(many=True), **READ_ERRORS},
        examples=[OpenApiExample("A dissatisfied answer", value=RESPONSE_EXAMPLE, response_only=True)],
    )
    def get(self, request: Request) -> Response:
        return super().get(request)

    @extend_schema(
        summary="Record a survey answer",
        description="An answer your own tool collected: the `survey` (or the `invitation` it answers), "
        "the person (`stakeholder`, or the invitation's), the `score` on the survey's scale, a "
        "`comment` and when it was given. With an `external_id` it is stored once: sending the same id "
        "again updates that answer (200) instead of adding one (201). A poor answer (NPS 0–6, CSAT "
        "1–2, CES 1–3) opens a follow-up for the account owner, as an e-mailed one does. A score "
        "outside the scale, an unknown survey or a person of another account is refused naming the "
        "field; nothing is saved.",
        parameters=[IDEMPOTENCY_PARAMETER],
        request=ResponseInput,
        responses={200: ResponseOutput, 201: ResponseOutput, **WRITE_ERRORS, **REPLAY_ERRORS},
        examples=[RESPONSE_REQUEST_EXAMPLE, SCORE_OUT_OF_SCALE],
    )
    @idempotent
    def post(self, request: Request) -> Response:
        return _record(request, validated(ResponseInput, request))


@extend_schema(tags=RESPONSE_TAGS)
class ResponseItemApi(APIView):
    @extend_schema(
        summary="Get a survey answer",
        responses={200: ResponseOutput, **READ_ERRORS},
        examples=[OpenApiExample("A dissatisfied answer", value=RESPONSE_EXAMPLE, response_only=True)],
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(ResponseOutput(_get_or_404(selectors.response_list(user=request.user), pk)).data)


@extend_schema(tags=RESPONSE_TAGS)
class ResponseUpsertApi(APIView):
    @extend_schema(
        summary="Record or update a survey answer by your tool's id",
        description="The same as recording an answer with `external_id` set to the id in the path: "
        "201 the first time, 200 when it updates the answer stored under that id.",
        parameters=[OpenApiParameter("external_id", str, OpenApiParameter.PATH)],
        request=ResponseUpsertInput,
        responses={200: ResponseOutput, 201: ResponseOutput, **WRITE_ERRORS},
        examples=[SCORE_OUT_OF_SCALE],
    )
    def put(self, request: Request, external_id: str) -> Response:
        data = validated(ResponseUpsertInput, request)
        if len(external_id) > SurveyResponse._meta.get_field("external_id").max_length:
            raise exceptions.ValidationError({"external_id": ["Use an id of at most 100 characters."]})
        return _record(request, {**data, "external_id": external_id})


# --- follow-ups -----------------------------------------------------------------------------------


class FollowUpFilter(SyncSelectorFilterSet):
    status = django_filters.ChoiceFilter(
        choices=[*FollowUpStatus.choices, ("all", "Open and done")],
        method="keep",
        help_text="`open` (the default), `done` or `all`.",
    )
    reason = django_filters.ChoiceFilter(choices=FollowUpReason.choices, method="keep")
    owner = django_filters.CharFilter(method="filter_owner")

    @extend_schema_field({"type": "string", "description": "`me`, `none` or the user id of the owner."})
    def filter_owner(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        data = self.form.cleaned_data
        status = data.get("status") or FollowUpStatus.OPEN
        rows = selectors.follow_up_list(
            user=self.request.user,
            status="" if status == "all" else status,
            organization=self.organization_id(),
        )
        owner = (data.get("owner") or "").strip()
        if owner == "me":
            rows = rows.filter(owner=self.request.user)
        elif owner == "none":
            rows = rows.filter(owner__isnull=True)
        elif owner:
            if not owner.isdigit():
                raise exceptions.ValidationError({"owner": ["Use `me`, `none` or a user id."]})
            rows = rows.filter(owner_id=int(owner))
        if data.get("reason"):
            rows = rows.filter(reason=data["reason"])
        return self.since(rows)


@extend_schema(tags=FOLLOW_UP_TAGS)
class FollowUpCollectionApi(ListApi):
    serializer_class = FollowUpOutput
    filterset_class = FollowUpFilter

    def get_queryset(self) -> QuerySet:
        return selectors.follow_up_list(user=self.request.user)

    @extend_schema(
        summary="List follow-ups",
        description="The poor answers to follow up (NPS 0–6, CSAT 1–2, CES 1–3), each with the answer "
        "that opened it, in the accounts you may see; open ones unless `status` says otherwise. "
        "Oldest change first, one cursor page at a time. Filter by `status` (`open`, `done`, `all`), "
        "`owner` (`me`, `none` or a user id), `reason`, `organization` and `updated_since`.",
        responses={200: FollowUpOutput(many=True), **READ_ERRORS},
        examples=[OpenApiExample("A dissatisfied customer", value=FOLLOW_UP_EXAMPLE, response_only=True)],
    )
    def get(self, request: Request) -> Response:
        return super().get(request)


@extend_schema(tags=FOLLOW_UP_TAGS)
class FollowUpItemApi(APIView):
    @extend_schema(
        summary="Get a follow-up",
        responses={200: FollowUpOutput, **READ_ERRORS},
        examples=[OpenApiExample("A dissatisfied customer", value=FOLLOW_UP_EXAMPLE, response_only=True)],
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(FollowUpOutput(selectors.follow_up_get(user=request.user, pk=pk)).data)


@extend_schema(tags=FOLLOW_UP_TAGS)
class FollowUpCloseApi(APIView):
    @extend_schema(
        summary="Close a follow-up",
        description="Record what was learned and done (`outcome`, required); the follow-up is then "
        "done, with who closed it and when.",
        parameters=[IDEMPOTENCY_PARAMETER],
        request=FollowUpCloseInput,
        responses={200: FollowUpOutput, **WRITE_ERRORS, **REPLAY_ERRORS},
        examples=[
            OpenApiExample(
                "Called back",
                request_only=True,
                value={"outcome": "Called Joris: the desk line was understaffed that week; added a backup."},
            ),
        ],
    )
    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        follow_up = selectors.follow_up_get(user=request.user, pk=pk)
        data = validated(FollowUpCloseInput, request)
        services.follow_up_close(user=request.user, follow_up=follow_up, outcome=data["outcome"])
        return Response(FollowUpOutput(selectors.follow_up_get(user=request.user, pk=pk)).data)


urlpatterns = [
    path("realize/surveys/", SurveyCollectionApi.as_view(), name="api_realize_surveys"),
    path("realize/surveys/<int:pk>/", SurveyItemApi.as_view(), name="api_realize_survey"),
    path("realize/survey-invitations/", InvitationCollectionApi.as_view(), name="api_realize_invitations"),
    path("realize/survey-invitations/<int:pk>/", InvitationItemApi.as_view(), name="api_realize_invitation"),
    path("realize/survey-responses/", ResponseCollectionApi.as_view(), name="api_realize_responses"),
    path("realize/survey-responses/<int:pk>/", ResponseItemApi.as_view(), name="api_realize_response"),
    path(
        "realize/survey-responses/external/<str:external_id>/",
        ResponseUpsertApi.as_view(),
        name="api_realize_response_upsert",
    ),
    path("realize/follow-ups/", FollowUpCollectionApi.as_view(), name="api_realize_follow_ups"),
    path("realize/follow-ups/<int:pk>/", FollowUpItemApi.as_view(), name="api_realize_follow_up"),
    path(
        "realize/follow-ups/<int:pk>/close/", FollowUpCloseApi.as_view(), name="api_realize_follow_up_close"
    ),
]
