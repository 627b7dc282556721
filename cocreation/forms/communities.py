"""Forms of user communities and their members. They check types and choices, each error naming its
field; cocreation.services check the rules (unique names, one membership per person, back-ups from the
same community, what only super-users carry) and the user's rights."""

from __future__ import annotations

from django import forms

from cocreation.models import CommunityMember, CommunityOrigin, MemberRole, SuperUserActivity, UserCommunity

__all__ = ["CommunityForm", "MemberForm"]

DATE = {"type": "date"}


def _max(model, name: str) -> int:
    return model._meta.get_field(name).max_length


class CommunityForm(forms.Form):
    name = forms.CharField(max_length=_max(UserCommunity, "name"))
    origin = forms.ChoiceField(
        choices=CommunityOrigin.choices,
        initial=CommunityOrigin.PROVIDER,
        help_text="Who set it up: us, the customer, or the users themselves.",
        error_messages={"invalid_choice": "“%(value)s” is not an origin; pick one from the list."},
    )
    platform = forms.CharField(
        max_length=_max(UserCommunity, "platform"),
        required=False,
        help_text="Where it meets, e.g. a forum or a chat channel.",
    )
    language = forms.CharField(max_length=_max(UserCommunity, "language"), required=False)
    is_open = forms.BooleanField(
        required=False, initial=True, label="Open", help_text="Any user of the consumer may join."
    )
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=10_000)

    @classmethod
    def initial_for(cls, community: UserCommunity) -> dict:
        return {name: getattr(community, name) for name in cls.base_fields}

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        for name in ("platform", "language", "description"):
            data[name] = data.get(name) or ""
        data["is_open"] = bool(data.get("is_open"))
        return data


def _person_label(person) -> str:
    return f"{person.name} ({person.job_title})" if person.job_title else person.name


class MemberForm(forms.Form):
    """`people`: who may join (adding only; editing keeps the person); `backups`: the members who may
    stand in."""

    stakeholder = forms.ChoiceField(
        label="Person",
        error_messages={
            "required": "Pick who joins.",
            "invalid_choice": "Pick one of the account's people who is not a member yet.",
        },
    )
    role = forms.ChoiceField(
        choices=MemberRole.choices,
        initial=MemberRole.MEMBER,
        help_text="Super-users, gurus and moderators carry activities, a share of time and a back-up.",
        error_messages={"invalid_choice": "“%(value)s” is not a member role; pick one from the list."},
    )
    activities = forms.MultipleChoiceField(
        choices=SuperUserActivity.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Activities",
        help_text="Super-users: what they do for the community.",
        error_messages={"invalid_choice": "“%(value)s” is not a super-user activity."},
    )
    time_allocation_pct = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=100,
        label="Share of their time (%)",
        help_text="Super-users: the share agreed with them and their employer, 0–100.",
        error_messages={
            "min_value": "Give a share from 0 to 100 per cent.",
            "max_value": "Give a share from 0 to 100 per cent.",
            "invalid": "Give a whole number from 0 to 100.",
        },
    )
    backup = forms.ChoiceField(
        required=False,
        label="Back-up",
        help_text="Super-users: another member who stands in when they are away.",
        error_messages={"invalid_choice": "Pick another member of this community."},
    )
    joined_on = forms.DateField(required=False, widget=forms.DateInput(attrs=DATE), label="Joined on")
    notes = forms.CharField(max_length=_max(CommunityMember, "notes"), required=False)

    def __init__(self, *args, people=(), backups=(), editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self._people = {str(person.pk): person for person in people}
        self._backups = {str(member.pk): member for member in backups}
        if editing:
            del self.fields["stakeholder"]
        else:
            self.fields["stakeholder"].choices = [("", "—")] + [
                (key, _person_label(person)) for key, person in self._people.items()
            ]
        self.fields["backup"].choices = [("", "Nobody")] + [
            (key, member.stakeholder.name) for key, member in self._backups.items()
        ]

    @classmethod
    def initial_for(cls, member: CommunityMember) -> dict:
        return {
            "role": member.role,
            "activities": list(member.activities or []),
            "time_allocation_pct": member.time_allocation_pct,
            "backup": str(member.backup_id) if member.backup_id else "",
            "joined_on": member.joined_on,
            "notes": member.notes,
        }

    def service_data(self) -> dict:
        """The keyword arguments of services.member_add / member_update, but the community."""
        data = self.cleaned_data
        values = {
            "role": data["role"],
            "activities": list(data.get("activities") or []),
            "time_allocation_pct": data.get("time_allocation_pct"),
            "backup": self._backups.get(data.get("backup") or ""),
            "joined_on": data.get("joined_on"),
            "notes": data.get("notes") or "",
        }
        if "stakeholder" in self.fields:
            values["stakeholder"] = self._people[data["stakeholder"]]
        return values
