"""Pages of a plan's goals: adding one, changing it, evaluating how it turned out, and deleting it.
Success is judged on the goals, so evaluating the last one as achieved may complete the plan."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from journeys.base import ApplicationError
from journeys.web import browser_view, form_submitted, render_form
from onboarding import selectors, services
from onboarding.forms.goals import GoalEvaluationForm, GoalForm
from onboarding.models import OnboardingPlan, PlanGoal, PlanStatus
from onboarding.views.plans import is_final, require_writer

__all__: list[str] = []


def _goals_of(plan_pk: int) -> str:
    return reverse("onboarding:plan_detail", args=[plan_pk]) + "#goals"


def _context(form, plan: OnboardingPlan, goal: PlanGoal | None) -> dict:
    return {
        "form": form,
        "plan": plan,
        "organization": plan.organization,
        "goal": goal,
        "is_final": is_final(plan),
    }


def _completed_note(plan_pk: int) -> str:
    completed = OnboardingPlan.objects.filter(pk=plan_pk, status=PlanStatus.COMPLETED).exists()
    return " Every action is done and every goal achieved: the plan is completed." if completed else ""


@browser_view
@require_http_methods(["GET", "POST"])
def goal_create(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get(user=request.user, pk=pk)
    require_writer(request)
    form = GoalForm(request.POST or None, initial={"target_date": plan.ends_on})
    goal = form_submitted(
        request, form, lambda: services.goal_create(actor=request.user, plan=plan, **form.service_data())
    )
    if goal:
        messages.success(request, f"Goal “{goal.description}” added: {goal.metric}, {goal.target}.")
        return redirect(_goals_of(plan.pk))
    return render_form(request, "onboarding/goal_form.html", _context(form, plan, None))


@browser_view
@require_http_methods(["GET", "POST"])
def goal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    goal = selectors.goal_get(user=request.user, pk=pk)
    require_writer(request)
    form = GoalForm(request.POST or None, initial=GoalForm.initial_for(goal))
    saved = form_submitted(
        request, form, lambda: services.goal_update(actor=request.user, goal=goal, **form.service_data())
    )
    if saved:
        messages.success(request, f"Goal “{saved.description}” saved.")
        return redirect(_goals_of(goal.plan_id))
    return render_form(request, "onboarding/goal_form.html", _context(form, goal.plan, goal))


@browser_view
@require_http_methods(["GET", "POST"])
def goal_evaluate(request: HttpRequest, pk: int) -> HttpResponse:
    goal = selectors.goal_get(user=request.user, pk=pk)
    require_writer(request)
    form = GoalEvaluationForm(request.POST or None, initial=GoalEvaluationForm.initial_for(goal))
    saved = form_submitted(
        request,
        form,
        lambda: services.goal_evaluate(actor=request.user, goal=goal, **form.cleaned_data),
    )
    if saved:
        messages.success(
            request,
            f"Goal “{saved.description}”: {saved.get_evaluation_display().lower()}."
            + _completed_note(saved.plan_id),
        )
        return redirect(_goals_of(goal.plan_id))
    return render_form(request, "onboarding/goal_evaluate.html", _context(form, goal.plan, goal))


@browser_view
@require_http_methods(["GET", "POST"])
def goal_delete(request: HttpRequest, pk: int) -> HttpResponse:
    goal = selectors.goal_get(user=request.user, pk=pk)
    require_writer(request)
    error = ""
    if request.method == "POST":
        try:
            services.goal_delete(actor=request.user, goal=goal)
        except ApplicationError as refused:
            error = refused.message
        else:
            messages.success(request, f"Goal “{goal.description}” deleted.")
            return redirect(_goals_of(goal.plan_id))
    return render(
        request,
        "onboarding/goal_confirm_delete.html",
        {"goal": goal, "plan": goal.plan, "organization": goal.plan.organization, "error": error},
        status=409 if error else 200,
    )
