"""The survey pages a person reaches from the e-mail: no account, no login, no navigation, not indexed.

The signed token in the address is the only permission (realization.services.surveys). Following a
score's link records that score (the one click) and thanks the person, offering a comment; the comment
form carries the answer's own key, so only the page that recorded the answer can add to it. Whatever
is refused gets a plain page saying why, with the matching status: 404 a link that is not valid, 400 a
score outside the scale, 409 answered already (showing the answer given), 410 expired, 403 a comment
form that belongs to another answer. A HEAD request (mail scanners) records nothing: only GET does.

Every e-mail also links to the opt-out page: GET asks to confirm (a scanner following links withdraws
nothing), POST withdraws the person's consent to surveys. Mail programs' own "unsubscribe" posts there
too (RFC 8058 one-click), without a CSRF token: the signed token in the address is the permission.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from journeys.base import ApplicationError
from realization import services
from realization.models import SCALES, SurveyResponse
from realization.services.surveys import SurveyLink

__all__ = ["answer", "comment", "opt_out", "question"]

HEADINGS = {
    "link_invalid": "This link is not valid",
    "expired": "This survey has closed",
    "not_open": "This survey is not open",
    "score_out_of_scale": "That score is not on the scale",
    "wrong_comment_key": "This comment form is not yours",
    "already_commented": "Comment received already",
    "not_answered": "Choose a score first",
    "test_link": "A test link",
}


def _page(request: HttpRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    response = render(request, f"realization/public/{template}", context, status=status)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _refused(request: HttpRequest, error: ApplicationError) -> HttpResponse:
    heading = HEADINGS.get(error.code, "That was not possible")
    return _page(request, "refused.html", {"error": error, "heading": heading}, status=error.status)


def _label(survey_type: str, score: int) -> str:
    return services.SCORE_LABELS[survey_type].get(score, "")


def _scale(opened: SurveyLink, token: str) -> dict:
    survey = opened.survey
    low, high = SCALES[survey.survey_type]
    return {
        "survey": survey,
        "invitation": opened.invitation,
        "test": opened.is_test,
        "token": token,
        "scores": [
            {"score": score, "url": reverse("survey:answer", args=[token, score]), "label": label}
            for score, label in services.score_choices(survey.survey_type)
        ],
        "low": low,
        "high": high,
        "low_label": _label(survey.survey_type, low),
        "high_label": _label(survey.survey_type, high),
        "expires_at": opened.invitation.expires_at if opened.invitation else None,
    }


def _answered(request: HttpRequest, token: str, error: ApplicationError) -> HttpResponse:
    """The 409 page: the answer already given, not a second one."""
    try:
        opened = services.survey_token_open(token=token)
    except ApplicationError as refusal:
        return _refused(request, refusal)
    response: SurveyResponse | None = opened.response
    return _page(
        request,
        "answered.html",
        {
            "error": error,
            "response": response,
            "score_label": _label(response.survey_type, response.score) if response else "",
        },
        status=409,
    )


@login_not_required
@never_cache
@require_http_methods(["GET"])
def question(request: HttpRequest, token: str) -> HttpResponse:
    """The question with its scale, for a person who opens the link without a score (records nothing)."""
    try:
        opened = services.survey_open(token=token)
    except ApplicationError as error:
        if error.code == "already_answered":
            return _answered(request, token, error)
        return _refused(request, error)
    return _page(request, "question.html", _scale(opened, token))


@login_not_required
@never_cache
@require_http_methods(["GET"])
def answer(request: HttpRequest, token: str, score: str) -> HttpResponse:
    """The one click: record the score and thank the person, asking for a comment."""
    try:
        opened = services.survey_token_open(token=token)
    except ApplicationError as error:
        return _refused(request, error)
    if opened.is_test:
        try:
            value = services.score_for_test(survey=opened.survey, score=score)
        except ApplicationError as error:
            return _page(
                request, "question.html", {**_scale(opened, token), "error": error.message}, status=400
            )
        return _page(
            request,
            "thanks.html",
            {
                "survey": opened.survey,
                "test": True,
                "score": value,
                "score_label": _label(opened.survey.survey_type, value),
            },
        )
    try:
        response = services.survey_answer(token=token, score=score)
    except ApplicationError as error:
        if error.code == "already_answered":
            return _answered(request, token, error)
        if error.code == "score_out_of_scale":
            return _page(
                request, "question.html", {**_scale(opened, token), "error": error.message}, status=400
            )
        return _refused(request, error)
    return _thanks(request, token, response)


def _thanks(
    request: HttpRequest,
    token: str,
    response: SurveyResponse,
    *,
    comment: str = "",
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    return _page(
        request,
        "thanks.html",
        {
            "survey": response.survey,
            "token": token,
            "score": response.score,
            "score_label": _label(response.survey_type, response.score),
            "comment_key": response.comment_key,
            "comment": comment,
            "error": error,
        },
        status=status,
    )


@login_not_required
@never_cache
@require_http_methods(["POST"])
def comment(request: HttpRequest, token: str) -> HttpResponse:
    """The thank-you page's comment, added to the answer its key belongs to."""
    text = request.POST.get("comment", "")
    try:
        services.survey_comment(token=token, comment_key=request.POST.get("comment_key", ""), comment=text)
    except ApplicationError as error:
        if "comment" not in error.fields:
            return _refused(request, error)
        # The key was right (it is checked first); only the text was not: the form again, as it was.
        response = services.survey_token_open(token=token).response
        return _thanks(request, token, response, comment=text, error=error.message, status=400)
    return _page(request, "comment_thanks.html", {})


@login_not_required
@never_cache
@csrf_exempt
@require_http_methods(["GET", "POST"])
def opt_out(request: HttpRequest, token: str) -> HttpResponse:
    """Stop all survey e-mails to the person of the link: asked on GET, done on POST."""
    try:
        if request.method == "POST":
            opened, withdrawn = services.survey_opt_out(token=token)
        else:
            opened, withdrawn = services.survey_token_open(token=token), None
    except ApplicationError as error:
        return _refused(request, error)
    person = opened.invitation.stakeholder if opened.invitation else None
    return _page(
        request,
        "opt_out.html",
        {
            "token": token,
            "survey": opened.survey,
            "test": opened.is_test,
            "person": person,
            "done": request.method == "POST",
            "withdrawn": withdrawn,
            "consenting": bool(person and person.survey_consent),
        },
    )
