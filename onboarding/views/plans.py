"""Pages of onboarding and offboarding plans: an account's plans, a new plan (by hand, from one of the
offerings' playbooks, or to off board), the plan's page (progress, goals, scope, actions by owner or
by week, lifecycle, history), its form, the lifecycle moves, the customer's acceptance and deleting a
draft. Views read through selectors and write through services; the rules live there.

A lifecycle move is a plain form posted from the plan's page; a refused one comes back on the move's
own page (`plan_transition`) with its reason, which is also where cancelling asks why.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from agreements.models import Agreement
from journeys import roles
from journeys import selectors as journeys_selectors
from journeys.base import ApplicationError
from journeys.forms import apply_error
from journeys.htmx import render_page, wants_fragment
from journeys.models import JourneyStep, Organization, OrganizationKind
from journeys.web import browser_view, form_submitted, render_form, require
from offerings.models import OnboardingPlaybook
from onboarding import selectors, services
from onboarding.forms.plans import AcceptForm, PlanForm, PlaybookPlanForm, TransitionForm
from onboarding.models import OnboardingPlan, PlanKind, PlanStatus

__all__: list[str] = []

WRITE_REFUSED = "Your role may not change onboarding plans."
FORM_TEMPLATE = "onboarding/plan_form.html"


def require_writer(request: HttpRequest) -> None:
    require(roles.may_manage_accounts(request.user), WRITE_REFUSED)


def is_final(plan: OnboardingPlan) -> bool:
    return PlanStatus(plan.status).is_final


# --- an account's plans -----------------------------------------------------------------------------


@browser_view
@require_GET
def account_plans(request: HttpRequest, pk: int) -> HttpResponse:
    organization = journeys_selectors.organization_get(user=request.user, pk=pk, brief=True)
    return render(
        request,
        "onboarding/account_plans.html",
        {
            "organization": organization,
            "plans": selectors.account_plans(user=request.user, organization=organization),
            "today": timezone.localdate(),
            "can_add": roles.may_manage_accounts(request.user)
            and organization.kind == OrganizationKind.CONSUMER,
        },
    )


# --- a new plan -------------------------------------------------------------------------------------


def _owner_initial(request: HttpRequest) -> int | None:
    return request.user.pk if roles.Role.RELATIONSHIP_MANAGER in roles.roles_of(request.user) else None


def _create_from_playbook(request: HttpRequest, organization: Organization, playbook_pk: str) -> HttpResponse:
    try:
        playbook = OnboardingPlaybook.objects.select_related("offering").get(pk=int(playbook_pk))
    except (ValueError, OnboardingPlaybook.DoesNotExist):
        raise Http404("No such playbook.") from None
    choices = selectors.plan_playbook_choices(user=request.user, organization=organization)
    agreements = next((choice.agreements for choice in choices if choice.playbook.pk == playbook.pk), [])
    form = PlaybookPlanForm(
        request.POST or None,
        organization=organization,
        agreements=agreements,
        initial={
            "starts_on": timezone.localdate(),
            "owner": _owner_initial(request),
            "agreement": agreements[0][0] if len(agreements) == 1 else None,
        },
    )

    def save() -> OnboardingPlan:
        chosen = form.cleaned_data.get("agreement")
        agreement = Agreement.objects.filter(pk=chosen, organization=organization).first() if chosen else None
        return services.plan_create_from_playbook(
            actor=request.user,
            organization=organization,
            playbook=playbook,
            agreement=agreement,
            **form.service_data(),
        )

    plan = form_submitted(request, form, save)
    if plan:
        count = plan.actions.count()
        messages.success(
            request,
            f"Plan “{plan.title}” drafted from the playbook “{playbook.name}” with {count} action"
            f"{'s' if count != 1 else ''}. Add its goals, then send it to the customer for review.",
        )
        return redirect("onboarding:plan_detail", pk=plan.pk)
    return render_form(
        request,
        FORM_TEMPLATE,
        {
            "form": form,
            "organization": organization,
            "plan": None,
            "playbook": playbook,
            "kind": PlanKind.ONBOARDING,
        },
    )


@browser_view
@require_http_methods(["GET", "POST"])
def plan_create(request: HttpRequest, pk: int) -> HttpResponse:
    """A new plan: `?playbook=<id>` starts from a playbook, `?kind=offboarding` off boards; without
    either, the page lists the playbooks of the account's agreements above the form for a plan by
    hand."""
    organization = journeys_selectors.organization_get(user=request.user, pk=pk, brief=True)
    require_writer(request)
    if request.GET.get("playbook"):
        return _create_from_playbook(request, organization, request.GET["playbook"])
    kind = PlanKind.OFFBOARDING if request.GET.get("kind") == PlanKind.OFFBOARDING else PlanKind.ONBOARDING
    form = PlanForm(
        request.POST or None,
        organization=organization,
        kind=kind,
        initial={"starts_on": timezone.localdate(), "owner": _owner_initial(request)},
    )
    plan = form_submitted(
        request,
        form,
        lambda: services.plan_create(
            actor=request.user, organization=organization, kind=kind, **form.service_data(creating=True)
        ),
    )
    if plan:
        follow = (
            "It starts with the actions every offboarding needs: name their owners and dates."
            if kind == PlanKind.OFFBOARDING
            else "Add its goals and actions, then send it to the customer for review."
        )
        messages.success(request, f"Plan “{plan.title}” drafted. {follow}")
        return redirect("onboarding:plan_detail", pk=plan.pk)
    playbooks = []
    if kind == PlanKind.ONBOARDING:
        playbooks = selectors.plan_playbook_choices(user=request.user, organization=organization)
    return render_form(
        request,
        FORM_TEMPLATE,
        {"form": form, "organization": organization, "plan": None, "playbooks": playbooks, "kind": kind},
    )


# --- one plan ---------------------------------------------------------------------------------------


def _plan_context(request: HttpRequest, plan: OnboardingPlan) -> dict:
    can_manage = roles.may_manage_accounts(request.user)
    return {
        "plan": plan,
        "organization": plan.organization,
        "can_manage": can_manage,
        "plan_open": not is_final(plan),
        "can_change": can_manage and not is_final(plan),
        "today": timezone.localdate(),
    }


def _comment_row(request: HttpRequest, plan: OnboardingPlan, context: dict, pk: str) -> HttpResponse:
    """One action's row with its comment form open: what the row's "Comment" link asks with HTMX."""
    try:
        action = selectors.action_get(user=request.user, pk=int(pk), as_owner=True)
    except ValueError:
        raise Http404("No such action.") from None
    if action.plan_id != plan.pk:
        raise Http404("No such action.")
    context.update(
        row=selectors.action_row(user=request.user, action=action, today=context["today"]),
        comment_on=action.pk,
    )
    return render(request, "onboarding/plan_detail.html#action_row", context)


@browser_view
@require_GET
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan's page. Its open actions show by owner (`?group=week`: by the week due); `?closed=1`
    shows the done and cancelled ones as well; `?comment=<action>` opens that action's comment form
    (with HTMX, answers that row alone)."""
    today = timezone.localdate()
    plan = selectors.plan_get_for_page(user=request.user, pk=pk)
    context = _plan_context(request, plan)
    comment_on = request.GET.get("comment", "")
    if comment_on and wants_fragment(request):
        return _comment_row(request, plan, context, comment_on)
    show_closed = request.GET.get("closed") == "1"
    page = selectors.plan_page(user=request.user, plan=plan, today=today, show_closed=show_closed)
    group = "week" if request.GET.get("group") == "week" else "owner"
    context.update(
        page=page,
        progress=page.progress,
        group=group,
        groups=page.groups(group),
        show_closed=show_closed,
        history_limit=selectors.PAGE_HISTORY_LIMIT,
        comment_on=int(comment_on) if comment_on.isdigit() else None,
        journey_step=JourneyStep(plan.journey_step).label if plan.journey_step else "",
        # The reason a consumer leaves stays with those who change plans when it is confidential.
        show_reason=not plan.confidential or context["can_manage"],
    )
    return render_page(request, "onboarding/plan_detail.html", context, partial="actions")


@browser_view
@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get(user=request.user, pk=pk)
    require_writer(request)
    form = PlanForm(
        request.POST or None,
        organization=plan.organization,
        kind=plan.kind,
        plan=plan,
        initial=PlanForm.initial_for(plan),
    )
    saved = form_submitted(
        request, form, lambda: services.plan_update(actor=request.user, plan=plan, **form.service_data())
    )
    if saved:
        messages.success(request, f"Plan “{saved.title}” saved.")
        return redirect("onboarding:plan_detail", pk=saved.pk)
    return render_form(
        request,
        FORM_TEMPLATE,
        {
            "form": form,
            "organization": plan.organization,
            "plan": plan,
            "kind": plan.kind,
            "is_final": is_final(plan),
        },
    )


@browser_view
@require_http_methods(["GET", "POST"])
def plan_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks for confirmation (or says why it cannot be deleted); POST deletes a draft."""
    plan = selectors.plan_get(user=request.user, pk=pk)
    require_writer(request)
    error = ""
    if request.method == "POST":
        try:
            services.plan_delete(actor=request.user, plan=plan)
        except ApplicationError as refused:
            error = refused.message
        else:
            messages.success(request, f"Plan “{plan.title}” deleted.")
            return redirect("onboarding:account_plans", pk=plan.organization_id)
    return render(
        request,
        "onboarding/plan_confirm_delete.html",
        {"plan": plan, "organization": plan.organization, "error": error},
        status=409 if error else 200,
    )


# --- the lifecycle ----------------------------------------------------------------------------------


@browser_view
@require_http_methods(["GET", "POST"])
def plan_transition(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the form confirming a move (`?to=<status>`; how cancelling asks why). POST: the move; a
    refused one comes back on this page with its reason."""
    plan = selectors.plan_get(user=request.user, pk=pk)
    require_writer(request)
    moves = selectors.plan_moves(plan)
    if request.method == "GET":
        wanted = request.GET.get("to", "")
        known = [move.status for move in moves]
        form = TransitionForm(
            initial={"to_status": wanted if wanted in known else (known[0] if known else "")}
        )
    else:
        form = TransitionForm(request.POST)
        if form.is_valid():
            try:
                moved = services.plan_transition(
                    actor=request.user,
                    plan=plan,
                    to_status=form.cleaned_data["to_status"],
                    note=form.cleaned_data["note"],
                )
            except ApplicationError as error:
                placed = [message for found in error.fields.values() for message in found]
                apply_error(form, error)
                # A refused move says why in its summary ("… cannot become …: …"); keep it in sight.
                if placed and error.message not in placed:
                    form.add_error(None, error.message)
            else:
                messages.success(request, f"“{moved.title}” is now {moved.get_status_display().lower()}.")
                return redirect("onboarding:plan_detail", pk=moved.pk)
    form.fields["to_status"].choices = [(move.status, move.label) for move in moves] or [
        ("", "No move is open from here")
    ]
    return render_form(
        request,
        "onboarding/plan_transition.html",
        {"form": form, "plan": plan, "organization": plan.organization, "moves": moves},
    )


@browser_view
@require_http_methods(["GET", "POST"])
def plan_accept(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the customer's acceptance of the plan they reviewed, naming who accepted it."""
    plan = selectors.plan_get(user=request.user, pk=pk)
    require_writer(request)
    form = AcceptForm(
        request.POST or None,
        organization=plan.organization,
        initial={"accepted_by": plan.customer_contact_id},
    )
    accepted = form_submitted(
        request,
        form,
        lambda: services.plan_accept(
            actor=request.user,
            plan=plan,
            accepted_by=form.cleaned_data["accepted_by"],
            note=form.cleaned_data["note"],
        ),
    )
    if accepted:
        messages.success(
            request,
            f"“{accepted.title}” accepted by {accepted.accepted_by.name}. Start the work when the first"
            " action is under way.",
        )
        return redirect("onboarding:plan_detail", pk=accepted.pk)
    return render_form(
        request,
        "onboarding/plan_accept.html",
        {"form": form, "plan": plan, "organization": plan.organization},
    )
