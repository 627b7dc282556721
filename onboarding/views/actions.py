"""Pages of a plan's actions: planning one (owner on either side, due date, what it waits for),
changing it, deleting it, and the two quick moves on the plan's page and "my actions": changing an
action's status and commenting on it.

Both quick moves are plain forms; with HTMX they answer the action's row alone (and, on the plan's
page, the progress bar out of band), a refusal (such as "done" while an action it waits for is still
open) shown in the row. A fragment always answers 200, since HTMX swaps nothing on an error status;
without HTMX a refusal comes back as a message on the page the form was on.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from journeys import roles
from journeys.base import ApplicationError
from journeys.htmx import wants_fragment
from journeys.web import browser_view, form_submitted, render_form
from onboarding import selectors, services
from onboarding.forms.actions import ActionForm, ActionStatusForm, CommentForm
from onboarding.models import ActionStatus, OnboardingPlan, PlanAction, PlanStatus
from onboarding.views.plans import is_final, require_writer

__all__: list[str] = []

FORM_TEMPLATE = "onboarding/action_form.html"


def _on_plan(plan_pk: int, action_pk: int | None = None) -> str:
    anchor = f"#action-{action_pk}" if action_pk else "#actions"
    return reverse("onboarding:plan_detail", args=[plan_pk]) + anchor


def _context(form, plan: OnboardingPlan, action: PlanAction | None) -> dict:
    return {
        "form": form,
        "plan": plan,
        "organization": plan.organization,
        "action": action,
        "is_final": is_final(plan),
    }


@browser_view
@require_http_methods(["GET", "POST"])
def action_create(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get(user=request.user, pk=pk)
    require_writer(request)
    form = ActionForm(
        request.POST or None, plan=plan, initial={"due_on": max(plan.starts_on, timezone.localdate())}
    )
    action = form_submitted(
        request, form, lambda: services.action_create(actor=request.user, plan=plan, **form.service_data())
    )
    if action:
        messages.success(request, f"Action “{action.title}” added, due {action.due_on:%-d %b %Y}.")
        return redirect(_on_plan(plan.pk, action.pk))
    return render_form(request, FORM_TEMPLATE, _context(form, plan, None))


@browser_view
@require_http_methods(["GET", "POST"])
def action_edit(request: HttpRequest, pk: int) -> HttpResponse:
    action = selectors.action_get(user=request.user, pk=pk)
    require_writer(request)
    form = ActionForm(
        request.POST or None, plan=action.plan, action=action, initial=ActionForm.initial_for(action)
    )
    saved = form_submitted(
        request,
        form,
        lambda: services.action_update(actor=request.user, action=action, **form.service_data()),
    )
    if saved:
        messages.success(request, f"Action “{saved.title}” saved.")
        return redirect(_on_plan(saved.plan_id, saved.pk))
    return render_form(request, FORM_TEMPLATE, _context(form, action.plan, action))


@browser_view
@require_http_methods(["GET", "POST"])
def action_delete(request: HttpRequest, pk: int) -> HttpResponse:
    action = selectors.action_get(user=request.user, pk=pk)
    require_writer(request)
    error = ""
    if request.method == "POST":
        try:
            services.action_delete(actor=request.user, action=action)
        except ApplicationError as refused:
            error = refused.message
        else:
            messages.success(request, f"Action “{action.title}” deleted.")
            return redirect(_on_plan(action.plan_id))
    waiting = list(action.dependent_links.select_related("action").values_list("action__title", flat=True))
    return render(
        request,
        "onboarding/action_confirm_delete.html",
        {
            "action": action,
            "plan": action.plan,
            "organization": action.plan.organization,
            "error": error,
            "waiting": waiting,
        },
        status=409 if error else 200,
    )


# --- the quick moves --------------------------------------------------------------------------------


def _first_error(form) -> str:
    return next((message for messages_of in form.errors.values() for message in messages_of), "")


def _row_response(
    request: HttpRequest, action: PlanAction, *, error: str = "", comment_error: str = "", plan_status: str
) -> HttpResponse:
    """The action's row as the page that asked shows it: "my actions" (`from=my_actions`) or the plan's
    page, whose progress bar comes along out of band. When the change moved the plan itself (the first
    action under way starts it, the last one done may complete it), HTMX reloads the whole page."""
    today = timezone.localdate()
    context = {"error": error, "comment_error": comment_error, "today": today}
    if request.POST.get("from") == "my_actions":
        context["action"] = selectors.my_action_get(user=request.user, pk=action.pk)
        return render(request, "onboarding/my_actions.html#action_row", context)
    plan = action.plan
    now = OnboardingPlan.objects.filter(pk=plan.pk).values_list("status", flat=True).first()
    if now != plan_status:
        messages.success(request, f"“{plan.title}” is now {PlanStatus(now).label.lower()}.")
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    context.update(
        row=selectors.action_row(user=request.user, action=action, today=today),
        progress=selectors.plan_progress(plan=plan, today=today),
        plan=plan,
        can_manage=roles.may_manage_accounts(request.user),
        plan_open=not is_final(plan),
        oob=True,
    )
    return render(request, "onboarding/plan_detail.html#action_row", context)


def _back(request: HttpRequest, action: PlanAction) -> HttpResponse:
    if request.POST.get("from") == "my_actions":
        return redirect("onboarding:my_actions")
    return redirect(_on_plan(action.plan_id, action.pk))


@browser_view
@require_POST
def action_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Move the action to another status (with what shows it done, if given). Its provider owner may,
    as may those who change the account's plans."""
    action = selectors.action_get(user=request.user, pk=pk, as_owner=True)
    plan_status = action.plan.status
    form = ActionStatusForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            moved = services.action_set_status(
                actor=request.user,
                action=action,
                status=form.cleaned_data["status"],
                evidence=form.cleaned_data["evidence"] or None,
            )
        except ApplicationError as refused:
            error = refused.fields.get("status", [refused.message])[0]
    else:
        error = _first_error(form)
    if wants_fragment(request):
        return _row_response(request, action, error=error, plan_status=plan_status)
    if error:
        messages.error(request, f"“{action.title}” is unchanged: {error}")
    else:
        label = ActionStatus(moved.status).label.lower()
        messages.success(request, f"“{moved.title}” is now {label}.")
    return _back(request, action)


@browser_view
@require_POST
def action_comment(request: HttpRequest, pk: int) -> HttpResponse:
    action = selectors.action_get(user=request.user, pk=pk, as_owner=True)
    form = CommentForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            services.action_comment(actor=request.user, action=action, body=form.cleaned_data["body"])
        except ApplicationError as refused:
            error = refused.fields.get("body", [refused.message])[0]
    else:
        error = _first_error(form)
    if wants_fragment(request):
        return _row_response(request, action, comment_error=error, plan_status=action.plan.status)
    if error:
        messages.error(request, f"Nothing was added to “{action.title}”: {error}")
    else:
        messages.success(request, f"Comment added to “{action.title}”.")
    return _back(request, action)
