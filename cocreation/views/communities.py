"""Pages of user communities: every community the user may see (or one account's, `?organization=`),
a community's page with its members and super-users (roles, activities, share of time, back-up; a
warning for each super-user without a back-up), and the forms to add, change and delete communities
and members. Views read through selectors and write through services; the rules live there.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from cocreation import selectors, services
from cocreation.forms.communities import CommunityForm, MemberForm
from cocreation.models import SuperUserActivity
from cocreation.views.feedback import account_from, posted
from journeys import roles
from journeys import selectors as journeys_selectors
from journeys.base import ApplicationError
from journeys.web import browser_view, form_submitted, render_form, require

__all__: list[str] = []

WRITE_REFUSED = "Your role may not change user communities."
FORM_TEMPLATE = "cocreation/community_form.html"
MEMBER_TEMPLATE = "cocreation/community_member_form.html"


def _require_writer(request: HttpRequest) -> None:
    require(roles.may_log_touchpoints(request.user), WRITE_REFUSED)


def _members_of(community_pk: int) -> str:
    return reverse("cocreation:community_detail", args=[community_pk]) + "#members"


# --- lists and the community's page ---------------------------------------------------------------


@browser_view
@require_GET
def community_list(request: HttpRequest) -> HttpResponse:
    organization = account_from(request, request.GET.get("organization"))
    return render(
        request,
        "cocreation/community_list.html",
        {
            "organization": organization,
            "communities": selectors.community_list(user=request.user, organization=organization),
            "can_write": roles.may_log_touchpoints(request.user),
        },
    )


@browser_view
@require_GET
def community_detail(request: HttpRequest, pk: int) -> HttpResponse:
    community = selectors.community_get(user=request.user, pk=pk)
    members = list(community.members.all())
    labels = dict(SuperUserActivity.choices)
    for member in members:
        member.activity_labels = [labels.get(value, value) for value in member.activities or []]
    super_users = [member for member in members if member.is_super_user]
    return render(
        request,
        "cocreation/community_detail.html",
        {
            "community": community,
            "organization": community.organization,
            "super_users": super_users,
            "others": [member for member in members if not member.is_super_user],
            "without_backup": [member for member in super_users if member.backup_id is None],
            "can_write": roles.may_log_touchpoints(request.user),
        },
    )


# --- communities ----------------------------------------------------------------------------------


@browser_view
@require_http_methods(["GET", "POST"])
def community_new(request: HttpRequest) -> HttpResponse:
    """A new community of the account `?organization=<id>` (without it, find the account first)."""
    organization = account_from(request, request.GET.get("organization"))
    _require_writer(request)
    if organization is None:
        query = (request.GET.get("q") or "").strip()
        return render(
            request,
            "cocreation/community_pick_account.html",
            {
                "query": query,
                "accounts": journeys_selectors.organization_search(user=request.user, query=query, limit=20),
            },
        )
    form = CommunityForm(posted(request))
    community = form_submitted(
        request,
        form,
        lambda: services.community_create(
            actor=request.user, organization=organization, **form.service_data()
        ),
    )
    if community:
        messages.success(request, f"Community “{community.name}” added. Add its members and super-users.")
        return redirect("cocreation:community_detail", pk=community.pk)
    return render_form(
        request, FORM_TEMPLATE, {"form": form, "organization": organization, "community": None}
    )


@browser_view
@require_http_methods(["GET", "POST"])
def community_edit(request: HttpRequest, pk: int) -> HttpResponse:
    community = selectors.community_get(user=request.user, pk=pk, with_members=False)
    _require_writer(request)
    form = CommunityForm(posted(request), initial=CommunityForm.initial_for(community))
    saved = form_submitted(
        request,
        form,
        lambda: services.community_update(actor=request.user, community=community, **form.service_data()),
    )
    if saved:
        messages.success(request, f"Community “{saved.name}” saved.")
        return redirect("cocreation:community_detail", pk=saved.pk)
    return render_form(
        request, FORM_TEMPLATE, {"form": form, "organization": community.organization, "community": community}
    )


@browser_view
@require_http_methods(["GET", "POST"])
def community_delete(request: HttpRequest, pk: int) -> HttpResponse:
    community = selectors.community_get(user=request.user, pk=pk, with_members=False)
    _require_writer(request)
    error = ""
    if request.method == "POST":
        try:
            services.community_delete(actor=request.user, community=community)
        except ApplicationError as refused:
            error = refused.message
        else:
            messages.success(request, f"Community “{community.name}” deleted.")
            return redirect(
                f"{reverse('cocreation:community_list')}?organization={community.organization_id}"
            )
    return render(
        request,
        "cocreation/community_confirm_delete.html",
        {"community": community, "organization": community.organization, "error": error},
        status=409 if error else 200,
    )


# --- members --------------------------------------------------------------------------------------


@browser_view
@require_http_methods(["GET", "POST"])
def member_new(request: HttpRequest, pk: int) -> HttpResponse:
    community = selectors.community_get(user=request.user, pk=pk, with_members=False)
    _require_writer(request)
    form = MemberForm(
        posted(request),
        people=selectors.member_people_choices(community=community),
        backups=selectors.member_backup_choices(community=community),
    )
    member = form_submitted(
        request,
        form,
        lambda: services.member_add(actor=request.user, community=community, **form.service_data()),
    )
    if member:
        messages.success(
            request,
            f"{member.stakeholder.name} joined {community.name} as {member.get_role_display().lower()}.",
        )
        return redirect(_members_of(community.pk))
    return render_form(
        request,
        MEMBER_TEMPLATE,
        {"form": form, "community": community, "organization": community.organization, "member": None},
    )


@browser_view
@require_http_methods(["GET", "POST"])
def member_edit(request: HttpRequest, pk: int) -> HttpResponse:
    member = selectors.member_get(user=request.user, pk=pk)
    community = member.community
    _require_writer(request)
    form = MemberForm(
        posted(request),
        backups=selectors.member_backup_choices(community=community, exclude=member),
        editing=True,
        initial=MemberForm.initial_for(member),
    )
    saved = form_submitted(
        request,
        form,
        lambda: services.member_update(actor=request.user, member=member, **form.service_data()),
    )
    if saved:
        messages.success(request, f"{member.stakeholder.name}: {saved.get_role_display().lower()}, saved.")
        return redirect(_members_of(community.pk))
    return render_form(
        request,
        MEMBER_TEMPLATE,
        {"form": form, "community": community, "organization": community.organization, "member": member},
    )


@browser_view
@require_http_methods(["GET", "POST"])
def member_delete(request: HttpRequest, pk: int) -> HttpResponse:
    member = selectors.member_get(user=request.user, pk=pk)
    community = member.community
    _require_writer(request)
    if request.method == "POST":
        services.member_remove(actor=request.user, member=member)
        messages.success(request, f"{member.stakeholder.name} left {community.name}.")
        return redirect(_members_of(community.pk))
    return render(
        request,
        "cocreation/community_member_confirm_delete.html",
        {
            "member": member,
            "community": community,
            "organization": community.organization,
            "backing_up": selectors.member_backing_up(member=member),
        },
    )
