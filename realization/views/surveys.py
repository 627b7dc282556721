"""Pages of surveys: the list with each survey's figures, a survey's definition form, its results with
the invitation log, sending it by hand (or a test to oneself), the answers, and the follow-ups of poor
answers with the form that closes one. Views read through the selectors and write through the services;
the rules (governance, who may, the formulas) live there.

Every user with a browser role reads the surveys and, for the accounts they see, their figures,
invitations, answers and follow-ups (another team's account given by number is 404). Relationship
managers and administrators define, test and send surveys (services.may_manage_surveys); others get 403
on those forms and see no button for them. A follow-up is closed by its owner or a manager who sees its
account.

The lists' filters and page links swap their results with HTMX and work as plain GET links without it;
a follow-up closed with HTMX is swapped in place, without it the browser comes back to the list.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from journeys import selectors as journeys_selectors
from journeys.base import ApplicationError
from journeys.forms import apply_error
from journeys.htmx import render_page, wants_fragment
from journeys.models import Stakeholder
from journeys.web import browser_view, form_submitted, peek_page, render_form, require
from realization import selectors, services
from realization.forms.surveys import (
    FollowUpCloseForm,
    FollowUpFilterForm,
    InvitationFilterForm,
    ResponseFilterForm,
    SendForm,
    SurveyForm,
)
from realization.models import FollowUp, FollowUpStatus, Survey, SurveyTrigger
from realization.survey_charts import survey_trend_chart

__all__ = [
    "follow_up_close",
    "follow_up_detail",
    "follow_up_list",
    "response_list",
    "survey_detail",
    "survey_edit",
    "survey_list",
    "survey_new",
    "survey_send",
    "survey_test",
]

WRITE_REFUSED = "Only relationship managers and administrators define and send surveys."
CLOSE_REFUSED = "Only the follow-up's owner, or a relationship manager or administrator, may close it."
INVITATIONS_PER_PAGE = 50
RESPONSES_PER_PAGE = 50
FOLLOW_UPS_PER_PAGE = 25
FORM_TEMPLATE = "realization/surveys/survey_form.html"


def _may_manage(request: HttpRequest) -> bool:
    return services.may_manage_surveys(request.user)


def _require_manager(request: HttpRequest) -> None:
    require(_may_manage(request), WRITE_REFUSED)


def _account_from(request: HttpRequest, value: str | None):
    """The account named by `?organization=<id>` (404 for one the user may not see, or nonsense)."""
    if not value:
        return None
    if not str(value).isdigit():
        raise Http404("No such organization.")
    return journeys_selectors.organization_get(user=request.user, pk=int(value), brief=True)


def audience_text(survey: Survey) -> str:
    """Whom the survey asks, in words: "customers and users"."""
    words = [
        {"customer": "customers", "user": "users", "sponsor": "sponsors"}[role]
        for role in survey.audience_roles
    ]
    return " and ".join([", ".join(words[:-1]), words[-1]] if len(words) > 1 else words)


def _posted(request: HttpRequest):
    return request.POST if request.method == "POST" else None


# --- the survey list ---------------------------------------------------------------------------------


@browser_view
@require_GET
def survey_list(request: HttpRequest) -> HttpResponse:
    """Every survey with its figures of the last 90 days in the accounts the user sees."""
    return render(
        request,
        "realization/surveys/survey_list.html",
        {
            "surveys": selectors.survey_list(user=request.user),
            "days": selectors.FIGURES_DAYS,
            "can_manage": _may_manage(request),
        },
    )


# --- a survey's definition ---------------------------------------------------------------------------


@browser_view
@require_http_methods(["GET", "POST"])
def survey_new(request: HttpRequest) -> HttpResponse:
    _require_manager(request)
    form = SurveyForm(_posted(request))
    created = form_submitted(
        request, form, lambda: services.survey_create(user=request.user, data=form.service_data())
    )
    if created:
        messages.success(
            request,
            f"“{created.name}” saved. Send yourself a test to see the e-mail as people will get it.",
        )
        return redirect("realization:survey_detail", pk=created.pk)
    return render_form(request, FORM_TEMPLATE, {"form": form, "survey": None})


@browser_view
@require_http_methods(["GET", "POST"])
def survey_edit(request: HttpRequest, pk: int) -> HttpResponse:
    survey = selectors.survey_get(user=request.user, pk=pk)
    _require_manager(request)
    form = SurveyForm(_posted(request), survey=survey)
    saved = form_submitted(
        request,
        form,
        lambda: services.survey_update(user=request.user, survey=survey, data=form.service_data()),
    )
    if saved:
        messages.success(request, f"“{saved.name}” saved.")
        return redirect("realization:survey_detail", pk=saved.pk)
    return render_form(request, FORM_TEMPLATE, {"form": form, "survey": survey})


# --- a survey's results and invitation log -----------------------------------------------------------


def _invitation_log(request: HttpRequest, survey: Survey, organization) -> dict:
    form = InvitationFilterForm(request.GET or None)
    values = form.values()
    rows = selectors.invitation_list(
        user=request.user,
        survey=survey,
        reason=values["reason"],
        status=values["status"],
        organization=organization,
    )
    return {
        "log_form": form,
        "log_page": peek_page(rows, request.GET.get("page"), INVITATIONS_PER_PAGE),
        "log_query": form.query(organization=organization.pk if organization else None),
        "log_filtered": form.filtered() or organization is not None,
    }


@browser_view
@require_GET
def survey_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The survey's results (headline of 90 days, twelve months' trend, scores, comments) and its
    invitation log, filtered by decision, status or account (`?organization=`). With HTMX the log's
    filters and pages swap the log alone."""
    survey = selectors.survey_get(user=request.user, pk=pk)
    organization = _account_from(request, request.GET.get("organization"))
    context = {
        "survey": survey,
        "organization": organization,
        **_invitation_log(request, survey, organization),
    }
    if wants_fragment(request):
        return render_page(request, "realization/surveys/survey_detail.html", context, partial="log")
    results = selectors.survey_results(survey=survey, user=request.user)
    selectors.survey_figures(user=request.user, survey=survey)
    period = f"{results.first_month:%b %Y} – {results.last_month:%b %Y}"
    context.update(
        {
            "results": results,
            "period": period,
            "days": selectors.FIGURES_DAYS,
            "summary": selectors.invitation_summary(
                user=request.user, survey=survey, organization=organization
            ),
            "chart": survey_trend_chart(
                results.months,
                survey_type=survey.survey_type,
                title=f"{survey.name}: {survey.figures.headline_name} and answers per month, {period}",
            ),
            "can_manage": _may_manage(request),
            "audience": audience_text(survey),
        }
    )
    return render_page(request, "realization/surveys/survey_detail.html", context, partial="log")


@browser_view
@require_POST
def survey_test(request: HttpRequest, pk: int) -> HttpResponse:
    """E-mail the survey to oneself as a person would get it (its links record nothing)."""
    survey = selectors.survey_get(user=request.user, pk=pk)
    _require_manager(request)
    try:
        services.survey_test_send(user=request.user, survey=survey)
    except ApplicationError as error:
        messages.error(request, f"No test sent: {error.message}")
    else:
        messages.success(request, f"A test of “{survey.name}” is on its way to {request.user.email}.")
    return redirect("realization:survey_detail", pk=survey.pk)


# --- sending by hand ---------------------------------------------------------------------------------


def _people_of(organization):
    """The account's people, the active ones first, by name."""
    return Stakeholder.objects.filter(organization=organization).order_by("-is_active", "name", "id")


@browser_view
@require_http_methods(["GET", "POST"])
def survey_send(request: HttpRequest, pk: int) -> HttpResponse:
    """Send the survey now to one account (`?organization=<id>`; without it, find the account by name
    first): everyone in its audience, or the people ticked. The answer lists every decision: who was
    invited (sent within the minute) and who was not, and why."""
    survey = selectors.survey_get(user=request.user, pk=pk)
    organization = _account_from(request, request.GET.get("organization") or request.POST.get("organization"))
    _require_manager(request)
    if organization is None:
        search = (request.GET.get("q") or "").strip()[:100]
        return render_page(
            request,
            "realization/surveys/survey_send_account.html",
            {
                "survey": survey,
                "search": search,
                "matches": journeys_selectors.organization_search(user=request.user, query=search),
            },
            partial="matches",
        )
    form = SendForm(_posted(request), people=_people_of(organization))
    decisions = form_submitted(
        request,
        form,
        lambda: services.survey_send_manual(
            user=request.user, survey=survey, organization=organization, stakeholders=form.chosen()
        ),
    )
    context = {
        "survey": survey,
        "organization": organization,
        "form": form,
        "decisions": decisions,
        "invited_count": sum(1 for row in decisions or () if row.reason == "invited"),
        "audience": audience_text(survey),
        "is_manual": survey.trigger == SurveyTrigger.MANUAL,
    }
    if decisions is not None:
        return render(request, "realization/surveys/survey_send.html", context)
    return render_form(request, "realization/surveys/survey_send.html", context)


# --- answers -----------------------------------------------------------------------------------------


@browser_view
@require_GET
def response_list(request: HttpRequest) -> HttpResponse:
    """The answers of the accounts the user sees (or of one, `?organization=`), the latest first."""
    organization = _account_from(request, request.GET.get("organization"))
    form = ResponseFilterForm(request.GET or None, surveys=selectors.survey_scope(request.user))
    values = form.values()
    rows = selectors.response_list(
        user=request.user,
        survey=values["survey"] or None,
        organization=organization,
        survey_type=values["survey_type"],
        band=values["band"],
        with_comment=bool(values["with_comment"]),
    )
    context = {
        "form": form,
        "organization": organization,
        "page": peek_page(rows, request.GET.get("page"), RESPONSES_PER_PAGE),
        "query": form.query(organization=organization.pk if organization else None),
        "filtered": form.filtered(),
    }
    return render_page(request, "realization/surveys/response_list.html", context, partial="results")


# --- follow-ups --------------------------------------------------------------------------------------


def _may_close(request: HttpRequest, follow_up: FollowUp) -> bool:
    return follow_up.status == FollowUpStatus.OPEN and (
        _may_manage(request) or follow_up.owner_id == request.user.pk
    )


def _with_close_form(request: HttpRequest, follow_up: FollowUp, form: FollowUpCloseForm | None = None):
    follow_up.may_close = _may_close(request, follow_up)
    follow_up.close_form = form or FollowUpCloseForm(follow_up=follow_up)
    return follow_up


@browser_view
@require_GET
def follow_up_list(request: HttpRequest) -> HttpResponse:
    """The follow-ups to do in the accounts the user sees (or one, `?organization=`): the user's own
    first, then by due date, the overdue ones marked; each with the answer and a form to close it."""
    organization = _account_from(request, request.GET.get("organization"))
    form = FollowUpFilterForm(request.GET or None)
    arguments = form.selector_arguments()
    rows = selectors.follow_up_list(user=request.user, organization=organization, **arguments)
    page = peek_page(rows, request.GET.get("page"), FOLLOW_UPS_PER_PAGE)
    for follow_up in page.object_list:
        _with_close_form(request, follow_up)
    context = {
        "form": form,
        "organization": organization,
        "page": page,
        "counts": selectors.follow_up_counts(user=request.user, organization=organization),
        "query": form.query(organization=organization.pk if organization else None),
        "filtered": form.filtered(),
        "showing_open": arguments["status"] == FollowUpStatus.OPEN,
        "back": request.get_full_path(),
    }
    return render_page(request, "realization/surveys/follow_up_list.html", context, partial="results")


def _shown_follow_up(request: HttpRequest, pk: int) -> FollowUp:
    """The follow-up as the pages show it (with `is_mine` and `is_overdue`)."""
    found = selectors.follow_up_list(user=request.user, status="").filter(pk=pk).first()
    if found is None:
        raise Http404("No such follow-up.")
    return found


@browser_view
@require_GET
def follow_up_detail(request: HttpRequest, pk: int) -> HttpResponse:
    follow_up = _with_close_form(request, _shown_follow_up(request, pk))
    return render(
        request,
        "realization/surveys/follow_up_detail.html",
        {"follow_up": follow_up, "back": request.get_full_path()},
    )


def _back_to(request: HttpRequest, fallback: str) -> str:
    """Where the form was posted from (a page of this site), else `fallback`."""
    back = request.POST.get("back") or ""
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return back
    return fallback


@browser_view
@require_POST
def follow_up_close(request: HttpRequest, pk: int) -> HttpResponse:
    """Close a follow-up with what was learned and done. With HTMX the follow-up is swapped in place
    (with its error next to the field, 400, when the outcome is missing); without, the browser goes
    back to the page it came from, or sees the follow-up's page with the error."""
    follow_up = selectors.follow_up_get(user=request.user, pk=pk)
    require(_may_manage(request) or follow_up.owner_id == request.user.pk, CLOSE_REFUSED)
    form = FollowUpCloseForm(request.POST, follow_up=follow_up)
    closed, status = None, 400
    if form.is_valid():
        try:
            closed = services.follow_up_close(
                user=request.user, follow_up=follow_up, outcome=form.cleaned_data["outcome"]
            )
        except ApplicationError as refused:
            apply_error(form, refused)
            status = refused.status
        else:
            status = 200
    if closed is not None and not wants_fragment(request):
        who = follow_up.response.stakeholder.name if follow_up.response.stakeholder else "the answer"
        messages.success(request, f"Follow-up of {who} ({follow_up.organization.name}) closed.")
        return redirect(_back_to(request, reverse("realization:follow_up_detail", args=[pk])))
    shown = _with_close_form(request, _shown_follow_up(request, pk), None if closed else form)
    context = {"follow_up": shown, "just_closed": closed is not None, "back": _back_to(request, "")}
    if wants_fragment(request):
        response = render(request, "realization/surveys/_follow_up.html", context, status=status)
        patch_vary_headers(response, ("HX-Request",))
        return response
    return render(request, "realization/surveys/follow_up_detail.html", context, status=status)
