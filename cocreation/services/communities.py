"""User communities of a consumer and their members, super-users among them.

A community's name is unique within its account (whatever the case). A member is one of the account's
people, once per community. Super-users (the roles in `SUPER_USER_ROLES`: super-user, guru or expert,
moderator) carry what they do for the community (`SuperUserActivity`), the share of their time agreed
(0–100 %) and a back-up: another member of the same community who stands in when they are away.

Other roles carry none of these. Given explicitly for such a role they are refused (a field error on
each); values a member kept from an earlier super-user role are cleared when an update moves them to
a role without them, so demoting someone is a change of role alone.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models.functions import Lower

from cocreation.models import (
    SUPER_USER_ROLES,
    CommunityMember,
    CommunityOrigin,
    MemberRole,
    SuperUserActivity,
    UserCommunity,
)
from cocreation.services.common import check_belongs, check_choice, check_text, fail, require_may_write, save
from journeys.base import ApplicationError
from journeys.models import Stakeholder

__all__ = [
    "COMMUNITY_FIELDS",
    "MEMBER_FIELDS",
    "community_create",
    "community_delete",
    "community_update",
    "member_add",
    "member_remove",
    "member_update",
]

COMMUNITY_FIELDS = ("name", "origin", "platform", "language", "is_open", "description")
MEMBER_FIELDS = ("role", "activities", "time_allocation_pct", "backup", "joined_on", "notes")
SUPER_USER_FIELDS = ("activities", "time_allocation_pct", "backup")
SUPER_USER_ROLE_NAMES = ", ".join(MemberRole(role).label.lower() for role in SUPER_USER_ROLES)


# --- communities ----------------------------------------------------------------------------------


def _name_taken(community: UserCommunity) -> str:
    return f"{community.organization.name} already has a community called “{community.name}”."


def _check_community(community: UserCommunity) -> None:
    errors: dict[str, list[str]] = {}
    check_text(errors, UserCommunity, "name", community.name, required=True, example="Fleet planners forum")
    check_choice(errors, "origin", community.origin, CommunityOrigin, "community origin")
    for name in ("platform", "language", "description"):
        check_text(errors, UserCommunity, name, getattr(community, name))
    if not isinstance(community.is_open, bool):
        errors["is_open"] = ["Say yes or no."]
    fail(errors)
    taken = (
        UserCommunity.objects.filter(organization=community.organization)
        .annotate(lower_name=Lower("name"))
        .filter(lower_name=community.name.lower())
        .exclude(pk=community.pk)
    )
    if taken.exists():
        raise ApplicationError.for_field("name", _name_taken(community), code="duplicate", status=409)


def _save_community(community: UserCommunity) -> None:
    """Save; a concurrent save of the same name breaks the unique constraint: the same 409 as the check."""
    try:
        with transaction.atomic():
            community.save()
    except IntegrityError:
        raise ApplicationError.for_field(
            "name", _name_taken(community), code="duplicate", status=409
        ) from None


def _clean(value):
    return value.strip() if isinstance(value, str) else ("" if value is None else value)


@transaction.atomic
def community_create(
    *,
    actor,
    organization,
    name: str,
    origin: str = CommunityOrigin.PROVIDER,
    platform: str = "",
    language: str = "",
    is_open: bool = True,
    description: str = "",
) -> UserCommunity:
    require_may_write(actor, organization)
    community = UserCommunity(
        organization=organization,
        name=_clean(name),
        origin=origin,
        platform=_clean(platform),
        language=_clean(language),
        is_open=is_open,
        description=_clean(description),
    )
    _check_community(community)
    _save_community(community)
    return community


def _locked_community(community: UserCommunity) -> UserCommunity:
    return (
        UserCommunity.objects.select_for_update(of=("self",))
        .select_related("organization")
        .get(pk=community.pk)
    )


@transaction.atomic
def community_update(*, actor, community: UserCommunity, **fields: Any) -> UserCommunity:
    """Change any of COMMUNITY_FIELDS."""
    current = _locked_community(community)
    require_may_write(actor, current.organization)
    unknown = sorted(set(fields) - set(COMMUNITY_FIELDS))
    if unknown:
        fail({name: ["This field cannot be changed here."] for name in unknown})
    changed = False
    for name, value in fields.items():
        value = value if name == "is_open" else _clean(value)
        if getattr(current, name) != value:
            setattr(current, name, value)
            changed = True
    if not changed:
        return current
    _check_community(current)
    _save_community(current)
    return current


@transaction.atomic
def community_delete(*, actor, community: UserCommunity) -> None:
    """Delete the community with its memberships (the people stay with the account)."""
    current = _locked_community(community)
    require_may_write(actor, current.organization)
    current.delete()


# --- members --------------------------------------------------------------------------------------


def _check_activities(errors: dict, activities) -> list[str]:
    if activities is None:
        return []
    if isinstance(activities, str) or not isinstance(activities, (list, tuple, set, frozenset)):
        errors["activities"] = ["Give the activities as a list."]
        return []
    unknown = [value for value in activities if value not in SuperUserActivity.values]
    if unknown:
        errors["activities"] = [
            f"“{unknown[0]}” is not a super-user activity; use any of {', '.join(SuperUserActivity.values)}."
        ]
        return []
    # In the order of the choices, once each.
    return [value for value in SuperUserActivity.values if value in set(activities)]


def _check_allocation(errors: dict, value) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
        errors["time_allocation_pct"] = ["Give the share of their time as a whole number from 0 to 100 (%)."]


def _check_backup(errors: dict, member: CommunityMember) -> None:
    backup = member.backup
    if backup is None:
        return
    if backup.community_id != member.community_id:
        errors["backup"] = ["The back-up must be another member of this community."]
    elif member.pk is not None and backup.pk == member.pk:
        errors["backup"] = ["A super-user cannot be their own back-up: pick another member."]


def _check_instances(*, backup: Any, stakeholder: Any = None, with_stakeholder: bool = False) -> None:
    """The person and the back-up are records, not ids (a model refuses anything else outright)."""
    errors: dict[str, list[str]] = {}
    if with_stakeholder and not isinstance(stakeholder, Stakeholder):
        errors["stakeholder"] = ["Pick one of the account's people."]
    if backup is not None and not isinstance(backup, CommunityMember):
        errors["backup"] = ["The back-up must be another member of this community."]
    fail(errors)


def _check_member(member: CommunityMember, *, given: set[str]) -> None:
    errors: dict[str, list[str]] = {}
    community = member.community
    check_choice(errors, "role", member.role, MemberRole, "member role")
    check_belongs(errors, "stakeholder", member.stakeholder, community.organization, "person")
    member.activities = _check_activities(errors, member.activities)
    _check_allocation(errors, member.time_allocation_pct)
    _check_backup(errors, member)
    if member.joined_on is not None and not isinstance(member.joined_on, date):
        errors["joined_on"] = ["Give the date they joined."]
    check_text(errors, CommunityMember, "notes", member.notes)
    if member.role in MemberRole.values and member.role not in SUPER_USER_ROLES:
        role = MemberRole(member.role).label.lower()
        carried = {
            "activities": bool(member.activities),
            "time_allocation_pct": member.time_allocation_pct is not None,
            "backup": member.backup is not None,
        }
        for name, present in carried.items():
            if not present or name in errors:
                continue
            if name in given:
                errors[name] = [
                    f"Only super-user roles ({SUPER_USER_ROLE_NAMES}) carry this; a {role} does not."
                ]
            else:  # kept from an earlier super-user role
                setattr(member, name, [] if name == "activities" else None)
    fail(errors)
    if (
        CommunityMember.objects.filter(community=community, stakeholder=member.stakeholder)
        .exclude(pk=member.pk)
        .exists()
    ):
        raise ApplicationError.for_field("stakeholder", _already_member(member), code="duplicate", status=409)


def _already_member(member: CommunityMember) -> str:
    return f"{member.stakeholder.name} is already a member of {member.community.name}."


def _save_member(member: CommunityMember) -> None:
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError:
        raise ApplicationError.for_field(
            "stakeholder", _already_member(member), code="duplicate", status=409
        ) from None


@transaction.atomic
def member_add(
    *,
    actor,
    community: UserCommunity,
    stakeholder: Stakeholder,
    role: str = MemberRole.MEMBER,
    activities=None,
    time_allocation_pct: int | None = None,
    backup: CommunityMember | None = None,
    joined_on: date | None = None,
    notes: str = "",
) -> CommunityMember:
    """Add one of the account's people to the community, in a role; super-users with their activities,
    share of time and back-up."""
    community = _locked_community(community)
    require_may_write(actor, community.organization)
    _check_instances(stakeholder=stakeholder, backup=backup, with_stakeholder=True)
    member = CommunityMember(
        community=community,
        stakeholder=stakeholder,
        role=role,
        activities=activities if activities is not None else [],
        time_allocation_pct=time_allocation_pct,
        backup=backup,
        joined_on=joined_on,
        notes=_clean(notes),
    )
    given = {
        name
        for name, value in (
            ("activities", activities),
            ("time_allocation_pct", time_allocation_pct),
            ("backup", backup),
        )
        if value not in (None, [], ())
    }
    _check_member(member, given=given)
    _save_member(member)
    return member


def _locked_member(member: CommunityMember) -> CommunityMember:
    return (
        CommunityMember.objects.select_for_update(of=("self",))
        .select_related("community__organization", "stakeholder", "backup")
        .get(pk=member.pk)
    )


@transaction.atomic
def member_update(*, actor, member: CommunityMember, **fields: Any) -> CommunityMember:
    """Change any of MEMBER_FIELDS (the person stays: remove and add to change who)."""
    current = _locked_member(member)
    require_may_write(actor, current.community.organization)
    unknown = sorted(set(fields) - set(MEMBER_FIELDS))
    if unknown:
        fail({name: ["This field cannot be changed here."] for name in unknown})
    _check_instances(backup=fields.get("backup"))
    if "activities" in fields and fields["activities"] is None:
        fields["activities"] = []
    if "notes" in fields:
        fields["notes"] = _clean(fields["notes"])
    for name, value in fields.items():
        setattr(current, name, value)
    given = {name for name in SUPER_USER_FIELDS if name in fields and fields[name] not in (None, [], ())}
    _check_member(current, given=given)
    save(current)
    return current


@transaction.atomic
def member_remove(*, actor, member: CommunityMember) -> None:
    """Remove the member; super-users they backed up are left without a back-up (their page warns)."""
    current = _locked_member(member)
    require_may_write(actor, current.community.organization)
    current.delete()
