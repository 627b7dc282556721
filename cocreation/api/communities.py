"""REST API of user communities and their members (/api/v1/co-create/...): list, set up, read, change
and delete a consumer's communities; list, add, change and remove their members, super-users among
them.

The conventions of cocreation/api/requests.py. Each community carries its coverage by super-users
(members, super-users, those with a back-up, the share of time agreed added up), counted by the
database. Only super-user roles (super-user, guru or expert, moderator) carry activities, a share of
time and a back-up; given for another role they are refused naming the field. A name already used in
the account, or a person already a member, answers 409 `duplicate` naming the field.
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

from cocreation import selectors, services
from cocreation.api.requests import REPLAY_ERRORS, validated
from cocreation.api.serializers import (
    CommunityCreateInput,
    CommunityDetailOutput,
    CommunityOutput,
    CommunityUpdateInput,
    MemberCreateInput,
    MemberOutput,
    MemberUpdateInput,
)
from cocreation.models import CommunityOrigin, UserCommunity
from journeys.api import IDEMPOTENCY_PARAMETER, READ_ERRORS, WRITE_ERRORS, ListApi, UpdatedSinceFilterSet
from journeys.idempotency import idempotent

__all__: list[str] = []

TAGS = ["co-create communities"]

MEMBER_EXAMPLE = {
    "id": 14,
    "community": 3,
    "stakeholder": 17,
    "stakeholder_name": "Ana Ferreira",
    "role": "super_user",
    "is_super_user": True,
    "activities": ["support", "training"],
    "time_allocation_pct": 20,
    "backup": 15,
    "joined_on": "2026-02-01",
    "notes": "Runs the Monday drop-in for depot planners.",
    "created_at": "2026-02-01T10:00:00Z",
    "updated_at": "2026-03-12T09:30:00Z",
}
COMMUNITY_EXAMPLE = {
    "id": 3,
    "organization": 4,
    "name": "Depot planners forum",
    "origin": "provider",
    "platform": "Chat channel #depot-planners",
    "language": "Dutch",
    "is_open": True,
    "description": "Planners share tips on the booking portal and test new releases early.",
    "member_count": 12,
    "super_user_count": 2,
    "backed_up_count": 1,
    "allocation_total": 35,
    "created_at": "2026-02-01T09:00:00Z",
    "updated_at": "2026-03-12T09:30:00Z",
}
NOT_A_SUPER_USER = (
    "Only super-user roles (super-user, guru or expert, moderator or administrator) carry this; a member "
    "does not."
)


class CommunityFilter(UpdatedSinceFilterSet):
    organization = django_filters.NumberFilter(field_name="organization_id", help_text="Id of the consumer.")
    origin = django_filters.ChoiceFilter(choices=CommunityOrigin.choices)
    is_open = django_filters.BooleanFilter()


def _community_answer(request: Request, community: UserCommunity, *, status_code=status.HTTP_200_OK):
    found = selectors.community_get(user=request.user, pk=community.pk)
    return Response(CommunityDetailOutput(found).data, status=status_code)


@extend_schema(tags=TAGS)
class CommunityCollectionApi(ListApi):
    serializer_class = CommunityOutput
    filterset_class = CommunityFilter

    def get_queryset(self) -> QuerySet:
        return selectors.community_list(user=self.request.user)

    @extend_schema(
        summary="List user communities",
        description="The communities of the accounts you may see with their coverage by super-users, "
        "oldest change first, one cursor page at a time. Filter by `organization`, `origin`, `is_open` "
        "and `updated_since`.",
        responses={200: CommunityOutput(many=True), **READ_ERRORS},
        examples=[OpenApiExample("A forum", value=COMMUNITY_EXAMPLE, response_only=True)],
    )
    def get(self, request: Request) -> Response:
        return super().get(request)

    @extend_schema(
        summary="Set up a user community",
        description="A community of one consumer; its name is unique within the account (409 "
        "`duplicate` naming `name`).",
        parameters=[IDEMPOTENCY_PARAMETER],
        request=CommunityCreateInput,
        responses={201: CommunityDetailOutput, **WRITE_ERRORS, **REPLAY_ERRORS},
        examples=[
            OpenApiExample(
                "A provider-run forum",
                request_only=True,
                value={
                    "organization": 4,
                    "name": "Depot planners forum",
                    "platform": "Chat channel #depot-planners",
                    "language": "Dutch",
                },
            )
        ],
    )
    @idempotent
    def post(self, request: Request) -> Response:
        community = services.community_create(actor=request.user, **validated(CommunityCreateInput, request))
        return _community_answer(request, community, status_code=status.HTTP_201_CREATED)


@extend_schema(tags=TAGS)
class CommunityItemApi(APIView):
    @extend_schema(
        summary="Get a user community with its members",
        responses={200: CommunityDetailOutput, **READ_ERRORS},
        examples=[
            OpenApiExample(
                "A forum",
                value={**COMMUNITY_EXAMPLE, "members": [MEMBER_EXAMPLE]},
                response_only=True,
            )
        ],
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(CommunityDetailOutput(selectors.community_get(user=request.user, pk=pk)).data)

    @extend_schema(
        summary="Change a user community",
        request=CommunityUpdateInput,
        responses={200: CommunityDetailOutput, **WRITE_ERRORS},
        examples=[OpenApiExample("Close it", request_only=True, value={"is_open": False})],
    )
    def patch(self, request: Request, pk: int) -> Response:
        community = selectors.community_get(user=request.user, pk=pk, with_members=False)
        data = validated(CommunityUpdateInput, request, partial=True)
        return _community_answer(
            request, services.community_update(actor=request.user, community=community, **data)
        )

    @extend_schema(
        summary="Delete a user community",
        description="With its memberships; the people stay with the account.",
        responses={204: None, **WRITE_ERRORS},
    )
    def delete(self, request: Request, pk: int) -> Response:
        community = selectors.community_get(user=request.user, pk=pk, with_members=False)
        services.community_delete(actor=request.user, community=community)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- members --------------------------------------------------------------------------------------


MEMBER_INPUT_EXAMPLE = OpenApiExample(
    "A super-user with a back-up",
    request_only=True,
    value={
        "stakeholder": 17,
        "role": "super_user",
        "activities": ["support", "training"],
        "time_allocation_pct": 20,
        "backup": 15,
    },
)
NOT_A_SUPER_USER_EXAMPLE = OpenApiExample(
    "A share of time for a plain member",
    status_codes=["400"],
    response_only=True,
    value={
        "error": {
            "code": "invalid",
            "message": NOT_A_SUPER_USER,
            "fields": {"time_allocation_pct": [NOT_A_SUPER_USER]},
        }
    },
)


@extend_schema(tags=TAGS)
class CommunityMembersApi(APIView):
    @extend_schema(
        summary="List a community's members",
        description="By name, with their roles; super-users with their activities, share of time and "
        "back-up.",
        responses={200: MemberOutput(many=True), **READ_ERRORS},
        examples=[OpenApiExample("One super-user", value=[MEMBER_EXAMPLE], response_only=True)],
    )
    def get(self, request: Request, pk: int) -> Response:
        community = selectors.community_get(user=request.user, pk=pk)
        return Response(MemberOutput(community.members.all(), many=True).data)

    @extend_schema(
        summary="Add a member to a community",
        description="One of the account's people, once per community (409 `duplicate` naming "
        "`stakeholder`). Super-user roles may carry `activities`, `time_allocation_pct` (0–100) and a "
        "`backup` (another member of the same community); other roles may not.",
        parameters=[IDEMPOTENCY_PARAMETER],
        request=MemberCreateInput,
        responses={201: MemberOutput, **WRITE_ERRORS, **REPLAY_ERRORS},
        examples=[MEMBER_INPUT_EXAMPLE, NOT_A_SUPER_USER_EXAMPLE],
    )
    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        community = selectors.community_get(user=request.user, pk=pk, with_members=False)
        data = validated(MemberCreateInput, request)
        member = services.member_add(actor=request.user, community=community, **data)
        found = selectors.member_get(user=request.user, pk=member.pk)
        return Response(MemberOutput(found).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=TAGS)
class MemberItemApi(APIView):
    @extend_schema(
        summary="Get a community member",
        responses={200: MemberOutput, **READ_ERRORS},
        examples=[OpenApiExample("A super-user", value=MEMBER_EXAMPLE, response_only=True)],
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(MemberOutput(selectors.member_get(user=request.user, pk=pk)).data)

    @extend_schema(
        summary="Change a community member",
        description="Their role and, for super-user roles, activities (the whole list), share of time "
        "and back-up. Moving someone to a role without these clears them; the person stays (remove "
        "and add to change who).",
        request=MemberUpdateInput,
        responses={200: MemberOutput, **WRITE_ERRORS},
        examples=[
            OpenApiExample("Back to plain member", request_only=True, value={"role": "member"}),
            NOT_A_SUPER_USER_EXAMPLE,
        ],
    )
    def patch(self, request: Request, pk: int) -> Response:
        member = selectors.member_get(user=request.user, pk=pk)
        data = validated(MemberUpdateInput, request, partial=True)
        services.member_update(actor=request.user, member=member, **data)
        return Response(MemberOutput(selectors.member_get(user=request.user, pk=pk)).data)

    @extend_schema(
        summary="Remove a community member",
        description="Super-users they backed up are left without a back-up.",
        responses={204: None, **WRITE_ERRORS},
    )
    def delete(self, request: Request, pk: int) -> Response:
        member = selectors.member_get(user=request.user, pk=pk)
        services.member_remove(actor=request.user, member=member)
        return Response(status=status.HTTP_204_NO_CONTENT)


urlpatterns = [
    path("co-create/communities/", CommunityCollectionApi.as_view(), name="api_cocreate_communities"),
    path("co-create/communities/<int:pk>/", CommunityItemApi.as_view(), name="api_cocreate_community"),
    path(
        "co-create/communities/<int:pk>/members/",
        CommunityMembersApi.as_view(),
        name="api_cocreate_community_members",
    ),
    path("co-create/community-members/<int:pk>/", MemberItemApi.as_view(), name="api_cocreate_member"),
]
