"""Pages of the relationship assessments: an account's assessments (what its relationship type calls
for, what is missing, the trust profile and the trends), the questionnaire to record one, and one
assessment's results. Reads go through selectors, writes through services; the views only arrange
what those return for the templates and charts."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from journeys import roles
from journeys.base import ApplicationError
from journeys.selectors import organization_get
from journeys.web import browser_view, require
from relationships import selectors, services
from relationships.charts import radar_chart, trend_chart
from relationships.forms.assessments import AssessmentForm
from relationships.models import AssessmentDirection, AssessmentKind
from relationships.questionnaires import (
    TRUST_DIRECTIONS,
    TRUST_FACTOR_LABELS,
    MaturityLevel,
    Scale,
    questionnaire_for,
)

WRITE_REFUSED = "Your role may not record or delete assessments."


def _trust_profile(plan) -> dict | None:
    """The latest trust rating of each direction, overlaid on one radar, with the same figures as a
    table (factor × direction)."""
    latest = plan.entry(AssessmentKind.TRUST).directions
    if not latest:
        return None
    results = selectors.assessment_results(assessments=latest)
    series = [
        (f"{assessment.direction_label} ({assessment.assessed_on:%d %b %Y})", results[assessment.pk])
        for assessment in latest
    ]
    axes = [[(figure.label, figure.mean) for figure in result.factors] for _, result in series]
    chart = radar_chart(
        axes[0],
        name=series[0][0],
        series=list(zip([name for name, _ in series[1:]], axes[1:], strict=True)),
        title="Trust profile: the three Cs",
        chart_id="trust-profile",
    )
    rows = [
        (label, [result.factors[index].rounded for _, result in series])
        for index, label in enumerate(TRUST_FACTOR_LABELS.values())
    ]
    rows.append(("Trust index", [result.score for _, result in series]))
    return {"chart": chart, "columns": [name for name, _ in series], "rows": rows, "latest": latest}


def _trends(history) -> list[dict]:
    """One small trend line per kind (and per direction for trust) that has at least one assessment."""
    trends = []
    for kind in AssessmentKind:
        directions = TRUST_DIRECTIONS if kind == AssessmentKind.TRUST else (AssessmentDirection.MUTUAL,)
        for direction in directions:
            points = [
                (p.assessed_on, p.score) for p in history if p.kind == kind and p.direction == direction
            ]
            if not points:
                continue
            title = kind.label if kind != AssessmentKind.TRUST else f"Trust index: {direction.label.lower()}"
            high = MaturityLevel.PARTNERSHIP if kind == AssessmentKind.MATURITY else 5
            low = MaturityLevel.NONE if kind == AssessmentKind.MATURITY else 1
            trends.append(
                {
                    "title": title,
                    "count": len(points),
                    "chart": trend_chart(
                        points, title=title, low=low, high=high, chart_id=f"trend-{kind}-{direction}"
                    ),
                }
            )
    return trends


@browser_view
@require_GET
def assessment_list(request: HttpRequest, pk: int) -> HttpResponse:
    organization = organization_get(user=request.user, pk=pk, brief=True)
    plan = selectors.assessment_plan(user=request.user, organization=organization)
    history = selectors.assessment_history(user=request.user, organization=organization)
    context = {
        "organization": organization,
        "assessment_plan": plan,
        "trust_profile": _trust_profile(plan),
        "trends": _trends(history),
        "history": history[::-1],
        "can_manage": plan.can_record,
    }
    return render(request, "relationships/assessment_list.html", context)


@browser_view
@require_http_methods(["GET", "POST"])
def assessment_create(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    organization = organization_get(user=request.user, pk=pk)
    require(roles.may_manage_accounts(request.user), WRITE_REFUSED)
    if kind not in AssessmentKind.values:
        raise Http404("No such kind of assessment.")
    kind = AssessmentKind(kind)
    direction = (request.POST.get("direction") or request.GET.get("direction") or "").strip()
    context = {"organization": organization, "kind": kind, "trust_directions": TRUST_DIRECTIONS}
    if kind == AssessmentKind.TRUST and direction not in TRUST_DIRECTIONS:
        # Each direction has its own behaviours, so the direction is chosen before the questionnaire.
        context["direction_error"] = (
            "Choose who is rated before answering." if request.method == "POST" or direction else ""
        )
        status = 400 if context["direction_error"] else 200
        return render(request, "relationships/assessment_form.html", context, status=status)
    questionnaire = questionnaire_for(kind, direction or None)
    form = AssessmentForm(request.POST or None, questionnaire=questionnaire)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.assessment_record(
                actor=request.user,
                organization=organization,
                kind=kind,
                direction=direction or None,
                **form.service_data(),
            )
        except ApplicationError as error:
            form.apply_service_error(error)
        else:
            messages.success(request, f"{questionnaire.title} recorded.")
            return redirect("relationships:assessment_detail", pk=assessment.pk)
    context |= {
        "form": form,
        "questionnaire": questionnaire,
        "direction": direction,
        "is_checklist": questionnaire.scale == Scale.CHECKLIST,
        "other_direction": next((d for d in TRUST_DIRECTIONS if d != direction), None)
        if kind == AssessmentKind.TRUST
        else None,
    }
    return render(request, "relationships/assessment_form.html", context, status=400 if form.errors else 200)


@browser_view
@require_GET
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = selectors.assessment_get(user=request.user, pk=pk)
    result = selectors.assessment_result(assessment=assessment)
    values = dict(assessment.answers.values_list("item", "value"))
    sections = [
        {
            "figure": figure,
            "factor": factor,
            "items": [(item, values.get(item.code)) for item in factor.items],
        }
        for figure, factor in zip(result.factors, result.questionnaire.factors, strict=True)
    ]
    radar = None
    if assessment.kind == AssessmentKind.TRUST:
        radar = radar_chart(
            [(figure.label, figure.mean) for figure in result.factors],
            name=assessment.get_direction_display(),
            title=f"Trust profile: {assessment.get_direction_display().lower()}",
            chart_id="trust-profile",
        )
    context = {
        "assessment": assessment,
        "organization": assessment.relationship.organization,
        "result": result,
        "sections": sections,
        "by_side": {
            side: [section for section in sections if section["factor"].side == side]
            for side in ("consumer", "provider")
        },
        "radar": radar,
        "can_manage": roles.may_manage_accounts(request.user),
    }
    return render(request, "relationships/assessment_detail.html", context)


@browser_view
@require_POST
def assessment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = selectors.assessment_get(user=request.user, pk=pk)
    require(roles.may_manage_accounts(request.user), WRITE_REFUSED)
    organization = assessment.relationship.organization
    services.assessment_delete(actor=request.user, assessment=assessment)
    messages.success(
        request, f"{assessment.get_kind_display()} of {assessment.assessed_on:%d %b %Y} deleted."
    )
    return redirect("relationships:assessment_list", pk=organization.pk)
