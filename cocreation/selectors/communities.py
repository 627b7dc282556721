"""Reads of user communities and their members, limited to the accounts the user may see.

Each community comes with its coverage by super-users, counted by the database: members, super-users
(the roles in SUPER_USER_ROLES), super-users with a back-up and without one, and the share of time
agreed with them added up (100 = one full-time person).
"""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.http import Http404

from cocreation.models import SUPER_USER_ROLES, CommunityMember, UserCommunity
from journeys.models import Stakeholder
from journeys.selectors import organization_scope

__all__ = [
    "community_get",
    "community_list",
    "community_scope",
    "member_backing_up",
    "member_backup_choices",
    "member_get",
    "member_people_choices",
]


def community_scope(user) -> QuerySet[UserCommunity]:
    return UserCommunity.objects.filter(organization__in=organization_scope(user))


def _with_coverage(rows: QuerySet[UserCommunity]) -> QuerySet[UserCommunity]:
    super_user = Q(members__role__in=SUPER_USER_ROLES)
    return rows.annotate(
        member_count=Count("members", distinct=True),
        super_user_count=Count("members", filter=super_user, distinct=True),
        backed_up_count=Count("members", filter=super_user & Q(members__backup__isnull=False), distinct=True),
        without_backup_count=Count(
            "members", filter=super_user & Q(members__backup__isnull=True), distinct=True
        ),
        allocation_total=Sum("members__time_allocation_pct", filter=super_user),
    )


def community_list(*, user, organization=None) -> QuerySet[UserCommunity]:
    """The communities the user may see (of one account, given it), by account then name, each with
    its coverage figures (`member_count`, `super_user_count`, `backed_up_count`, `without_backup_count`,
    `allocation_total`)."""
    rows = community_scope(user)
    if organization is not None:
        rows = rows.filter(organization=organization)
    return _with_coverage(rows).select_related("organization").order_by("organization__name", "name", "id")


def community_get(*, user, pk: int, with_members: bool = True) -> UserCommunity:
    """One community with its coverage figures and, `with_members`, its members (person and back-up
    loaded), by name (404 for an outsider)."""
    rows = _with_coverage(community_scope(user)).select_related("organization")
    if with_members:
        rows = rows.prefetch_related(
            Prefetch(
                "members",
                queryset=CommunityMember.objects.select_related(
                    "stakeholder", "backup__stakeholder"
                ).order_by("stakeholder__name", "id"),
            )
        )
    try:
        community = rows.get(pk=pk)
    except UserCommunity.DoesNotExist:
        raise Http404("No such community.") from None
    return community


def member_get(*, user, pk: int) -> CommunityMember:
    """One membership with its community, account, person and back-up (404 for an outsider)."""
    try:
        return CommunityMember.objects.select_related(
            "community__organization", "stakeholder", "backup__stakeholder"
        ).get(pk=pk, community__organization__in=organization_scope(user))
    except CommunityMember.DoesNotExist:
        raise Http404("No such member.") from None


def member_people_choices(*, community: UserCommunity, member: CommunityMember | None = None) -> list:
    """The account's active people who are not members yet (a member being edited keeps its person)."""
    taken = CommunityMember.objects.filter(community=community).values("stakeholder_id")
    rows = Stakeholder.objects.filter(organization_id=community.organization_id, is_active=True).exclude(
        pk__in=taken
    )
    if member is not None:
        rows = Stakeholder.objects.filter(pk=member.stakeholder_id) | rows
    return list(rows.order_by("name", "id"))


def member_backup_choices(*, community: UserCommunity, exclude=None) -> list[CommunityMember]:
    """The members who may back up a super-user: the community's other members."""
    rows = CommunityMember.objects.filter(community=community).select_related("stakeholder")
    if exclude is not None:
        rows = rows.exclude(pk=exclude.pk)
    return list(rows.order_by("stakeholder__name", "id"))


def member_backing_up(*, member: CommunityMember) -> list[CommunityMember]:
    """The super-users this member backs up (they lose their back-up when the member leaves)."""
    return list(member.backing_up.select_related("stakeholder").order_by("stakeholder__name", "id"))
