"""Writes of Realize's surveys: their definitions, the job that turns triggers into invitation decisions,
the job that sends them, the one-click answers from the e-mail and the follow-up of poor answers.

Triggers are pulled, never pushed: `survey_triggers_scan` (every five minutes) reads the requests closed
and the onboarding plans completed since its `RefreshMark` (less `OVERLAP`, so a transaction that
committed late is still seen) through Co-create's and Onboard's selectors, and the periodic surveys'
current period. Every candidate gets one `SurveyInvitation` row, invited or not, with the first rule
that keeps them out, in this order: not in the survey's audience, inactive, no consent, no e-mail
address, handled the request themselves (their e-mail is the assignee's or the closer's), surveyed too
recently (any invitation of any survey whose send time is less than DSV_SURVEY_COOLDOWN_DAYS from this
one's, those decided earlier in the same scan included), left out by the sample (a hash of survey,
trigger and person against the sampling rate, so a re-scan decides the same). The unique (survey,
trigger, person) makes a re-scan of the overlap harmless. A survey ignores triggers from before it was
created.

`survey_invitations_send` (every minute) expires the invitations past their expiry, reminds once, and
sends the due ones. Each send is claimed first (a conditional UPDATE of `claimed_at` that only one run
wins), then mailed, then marked sent; a failed mail releases the claim (attempts + 1, the error kept,
retried after a growing pause, given up after MAX_ATTEMPTS), so a retried or concurrent run never sends
an invitation twice. A run that dies between its claim and its mark leaves the invitation claimed and
unsent rather than risk a second e-mail.

Links are signed (django.core.signing, salt "dsv.survey") and carry the invitation's id and its random
nonce; the expiry lives on the invitation. One click on a score records the answer; the thank-you page
then takes a comment with the response's own `comment_key`. A poor answer (NPS 0–6, CSAT 1–2, CES 1–3)
opens a `FollowUp` for the account's owner, due in DSV_FOLLOW_UP_DAYS days; the answer, the invitation's
status, the follow-up and the journey events are written in one transaction.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from email.utils import formataddr
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from cocreation import selectors as cocreation_selectors
from journeys import roles
from journeys import services as journeys_services
from journeys.base import ApplicationError
from journeys.events import journey_event_record
from journeys.models import JourneyStep, Organization, OrganizationKind, Stakeholder
from journeys.selectors import organization_is_visible
from onboarding import selectors as onboarding_selectors
from realization.models import (
    INVITED_STATUSES,
    SCALES,
    FollowUp,
    FollowUpReason,
    FollowUpStatus,
    InvitationReason,
    InvitationStatus,
    RealizeEventType,
    RefreshMark,
    ResponseSource,
    Survey,
    SurveyInvitation,
    SurveyResponse,
    SurveyTrigger,
    SurveyType,
)
from realization.services.activity import site_zone

__all__ = [
    "MARK",
    "MAX_ATTEMPTS",
    "SCORE_LABELS",
    "TOKEN_SALT",
    "SurveyLink",
    "follow_up_close",
    "follow_up_reason_for",
    "may_manage_surveys",
    "period_start",
    "score_choices",
    "score_for_test",
    "survey_answer",
    "survey_comment",
    "survey_create",
    "survey_invitations_send",
    "survey_link",
    "survey_open",
    "survey_opt_out",
    "survey_opt_out_link",
    "survey_response_record",
    "survey_send_manual",
    "survey_test_send",
    "survey_token_open",
    "survey_triggers_scan",
    "survey_update",
]

logger = logging.getLogger(__name__)

MARK = "survey_triggers"
# How far before its mark each scan reads again: a closing whose transaction committed after the last
# scan, with an older time, is still found. Reading a trigger twice changes nothing.
OVERLAP = timedelta(minutes=10)
TOKEN_SALT = "dsv.survey"
# A failed e-mail is tried again after 5, 10, 20 ... minutes (at most 6 hours), this many times in all.
MAX_ATTEMPTS = 5
RETRY_FIRST = timedelta(minutes=5)
RETRY_LONGEST = timedelta(hours=6)
# Each send run mails at most this many invitations and this many reminders (the rest wait a minute).
SEND_BATCH = 500
# Candidates decided (and their cooldown looked up) per query.
DECIDE_BATCH = 1000
COMMENT_LIMIT = 4000
FUTURE_TOLERANCE = timedelta(minutes=10)

SCORE_LABELS: dict[str, dict[int, str]] = {
    SurveyType.NPS: {0: "Not at all likely", 10: "Extremely likely"},
    SurveyType.CSAT: {
        1: "Very dissatisfied",
        2: "Dissatisfied",
        3: "Neither satisfied nor dissatisfied",
        4: "Satisfied",
        5: "Very satisfied",
    },
    SurveyType.CES: {
        1: "Strongly disagree",
        2: "Disagree",
        3: "Somewhat disagree",
        4: "Neither agree nor disagree",
        5: "Somewhat agree",
        6: "Agree",
        7: "Strongly agree",
    },
}

# The highest score of each type that asks for a follow-up, and why.
POOR_ANSWERS: dict[str, tuple[int, str]] = {
    SurveyType.NPS: (6, FollowUpReason.DETRACTOR),
    SurveyType.CSAT: (2, FollowUpReason.DISSATISFIED),
    SurveyType.CES: (3, FollowUpReason.HIGH_EFFORT),
}

TRIGGER_STEPS = {
    SurveyTrigger.ONBOARDING_COMPLETED: JourneyStep.ONBOARD,
    SurveyTrigger.PERIODIC: JourneyStep.REALIZE,
    SurveyTrigger.MANUAL: JourneyStep.REALIZE,
    SurveyTrigger.REQUEST_CLOSED: JourneyStep.CO_CREATE,
}

MANAGE_REFUSED = "Only relationship managers and administrators may define and send surveys."


# --- small shared rules -------------------------------------------------------------------------------


def score_choices(survey_type: str) -> list[tuple[int, str]]:
    """Every score of the type's scale with its label ("" where the scale names only its ends)."""
    low, high = SCALES[survey_type]
    labels = SCORE_LABELS[survey_type]
    return [(score, labels.get(score, "")) for score in range(low, high + 1)]


def follow_up_reason_for(survey_type: str, score: int) -> str | None:
    """The follow-up a score asks for (detractor, dissatisfied, high effort), or None."""
    highest, reason = POOR_ANSWERS[survey_type]
    return reason if score <= highest else None


def may_manage_surveys(user) -> bool:
    """Relationship managers and administrators. Integrators are left out: surveys are defined and
    sent by people, and an integration only reads results or records answers collected elsewhere."""
    return bool(roles.roles_of(user) & {roles.Role.RELATIONSHIP_MANAGER, roles.Role.ADMINISTRATOR})


def _require_manager(user) -> None:
    if not may_manage_surveys(user):
        raise ApplicationError(MANAGE_REFUSED, code="forbidden", status=403)


def _fail(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ApplicationError(next(iter(errors.values()))[0], fields=errors)


def _follow_up_days() -> int:
    return int(getattr(settings, "DSV_FOLLOW_UP_DAYS", 5))


def _cooldown() -> timedelta:
    return timedelta(days=int(getattr(settings, "DSV_SURVEY_COOLDOWN_DAYS", 30)))


def _absolute(path: str) -> str:
    return f"{(getattr(settings, 'DSV_BASE_URL', '') or '').rstrip('/')}{path}"


def _local_date(moment: datetime) -> date:
    return moment.astimezone(site_zone()).date()


# --- survey definitions -------------------------------------------------------------------------------

EDITABLE = (
    "name",
    "survey_type",
    "question",
    "to_customers",
    "to_users",
    "to_sponsors",
    "trigger",
    "is_active",
    "sampling_percent",
    "send_delay_hours",
    "expiry_days",
    "reminder_after_days",
    "period_months",
    "step",
    "owner",
)
AUDIENCE_FIELDS = {"customer": "to_customers", "user": "to_users", "sponsor": "to_sponsors"}
INTEGER_RULES = {
    # field: (lowest, highest, what the number is)
    "sampling_percent": (1, 100, "The sampling rate is a share from 1 to 100 %."),
    "send_delay_hours": (0, 24 * 90, "The delay is from 0 to 2,160 hours (90 days)."),
    "expiry_days": (1, 365, "An invitation stays open from 1 to 365 days."),
    "reminder_after_days": (1, 364, "The reminder goes out 1 to 364 days after sending."),
    "period_months": (1, 36, "The period is from 1 to 36 months."),
}


def _apply_audience(survey: Survey, value, errors: dict) -> None:
    """`audience` as a list of consumer roles, the API's and the form's alternative to the three flags."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list | tuple | set) or any(role not in AUDIENCE_FIELDS for role in value):
        errors["audience"] = ["Choose the roles to ask among customer, user and sponsor."]
        return
    for role, field in AUDIENCE_FIELDS.items():
        setattr(survey, field, role in value)


def _apply(survey: Survey, data: dict[str, Any], errors: dict) -> None:
    unknown = sorted(set(data) - set(EDITABLE) - {"audience"})
    for name in unknown:
        errors[name] = ["This field cannot be set on a survey."]
    for name, value in data.items():
        if name in unknown:
            continue
        if name == "audience":
            _apply_audience(survey, value, errors)
        elif name in ("name", "question") and isinstance(value, str):
            setattr(survey, name, value.strip())
        elif name == "step" and value is None:
            survey.step = ""
        else:
            setattr(survey, name, value)


def _check_integer(errors: dict, survey: Survey, name: str, *, required: bool) -> None:
    value = getattr(survey, name)
    if value is None and not required:
        return
    lowest, highest, rule = INTEGER_RULES[name]
    if isinstance(value, bool) or not isinstance(value, int) or not lowest <= value <= highest:
        errors[name] = [rule]


def _check_survey(survey: Survey, errors: dict) -> None:
    if not isinstance(survey.name, str) or not survey.name:
        errors.setdefault("name", ["Give the survey a name, e.g. “After a request is closed”."])
    elif len(survey.name) > 200:
        errors.setdefault("name", ["Keep the name to 200 characters."])
    elif Survey.objects.filter(name__iexact=survey.name).exclude(pk=survey.pk).exists():
        errors.setdefault("name", [f"Another survey is already called “{survey.name}”."])
    if survey.survey_type not in SurveyType.values:
        errors.setdefault("survey_type", ["Choose NPS, CSAT or CES."])
    if not isinstance(survey.question, str) or not survey.question:
        errors.setdefault("question", ["Write the question as the person will read it."])
    elif len(survey.question) > 1000:
        errors.setdefault("question", ["Keep the question to 1,000 characters."])
    flags = (survey.to_customers, survey.to_users, survey.to_sponsors)
    if any(not isinstance(flag, bool) for flag in flags):
        errors.setdefault("audience", ["Say yes or no for each role."])
    elif not any(flags):
        errors.setdefault("audience", ["Choose at least one role to ask: customer, user or sponsor."])
    if survey.trigger not in SurveyTrigger.values:
        errors.setdefault(
            "trigger", ["Choose when it is sent: request closed, onboarding completed, periodic or manual."]
        )
    if not isinstance(survey.is_active, bool):
        errors.setdefault("is_active", ["Say yes or no."])
    if survey.step not in ("", *JourneyStep.values):
        errors.setdefault("step", ["Choose a journey step, or none to take the trigger's own."])
    for name in ("sampling_percent", "send_delay_hours", "expiry_days"):
        if name not in errors:
            _check_integer(errors, survey, name, required=True)
    if "reminder_after_days" not in errors:
        _check_integer(errors, survey, "reminder_after_days", required=False)
    if (
        "reminder_after_days" not in errors
        and "expiry_days" not in errors
        and survey.reminder_after_days is not None
        and survey.reminder_after_days >= survey.expiry_days
    ):
        errors["reminder_after_days"] = [
            f"The reminder must go out before the invitation expires (after {survey.expiry_days} days)."
        ]
    if survey.trigger == SurveyTrigger.PERIODIC:
        if survey.period_months is None:
            errors.setdefault("period_months", ["A periodic survey needs its period in months, e.g. 3."])
        else:
            _check_integer(errors, survey, "period_months", required=True)
    else:
        survey.period_months = None
    if survey.owner is not None and not isinstance(survey.owner, get_user_model()):
        errors.setdefault("owner", ["Choose a DSV user."])


def _save_survey(survey: Survey) -> None:
    try:
        with transaction.atomic():
            survey.save()
    except IntegrityError:  # the same name saved by someone else a moment ago
        raise ApplicationError.for_field(
            "name", f"Another survey is already called “{survey.name}”.", code="duplicate", status=409
        ) from None


@transaction.atomic
def survey_create(*, user, data: dict) -> Survey:
    """A new survey from `data` (the fields in EDITABLE, or `audience` as a list of roles); its owner
    is the user unless given."""
    _require_manager(user)
    survey = Survey(owner=user if getattr(user, "pk", None) else None)
    errors: dict[str, list[str]] = {}
    _apply(survey, data, errors)
    for required in ("name", "survey_type", "question", "trigger"):
        if required not in data:
            errors.setdefault(required, ["This is needed."])
    _check_survey(survey, errors)
    _fail(errors)
    _save_survey(survey)
    return survey


@transaction.atomic
def survey_update(*, user, survey: Survey, data: dict) -> Survey:
    """Change the given fields. Its type cannot change once it has answers (they are on its scale)."""
    _require_manager(user)
    current = Survey.objects.select_for_update().get(pk=survey.pk)
    errors: dict[str, list[str]] = {}
    old_type = current.survey_type
    _apply(current, data, errors)
    if current.survey_type != old_type and current.responses.exists():
        errors["survey_type"] = [
            "This survey has answers on its scale already; make a new survey to ask on another scale."
        ]
    _check_survey(current, errors)
    _fail(errors)
    _save_survey(current)
    return current


# --- signed links ---------------------------------------------------------------------------------------


def _signer() -> signing.Signer:
    # Without a timestamp: an invitation's links stay the same in its e-mail and its reminder; when
    # they stop working is the invitation's own expiry.
    return signing.Signer(salt=TOKEN_SALT)


def _token(invitation: SurveyInvitation) -> str:
    return _signer().sign_object({"i": invitation.pk, "n": invitation.nonce})


def _test_token(survey: Survey) -> str:
    return _signer().sign_object({"t": survey.pk})


def _link(token: str, score: int | None) -> str:
    if score is None:
        return _absolute(reverse("survey:question", args=[token]))
    return _absolute(reverse("survey:answer", args=[token, score]))


def _opt_out_link(token: str) -> str:
    return _absolute(reverse("survey:opt_out", args=[token]))


def survey_opt_out_link(invitation: SurveyInvitation) -> str:
    """The absolute address of the invitation's page where the person stops all survey e-mails."""
    return _opt_out_link(_token(invitation))


def survey_link(invitation: SurveyInvitation, score: int | None = None) -> str:
    """The absolute address (DSV_BASE_URL) of the invitation's signed page, or of one score's click."""
    return _link(_token(invitation), score)


@dataclass
class SurveyLink:
    """What a token names: an invitation, or (a test e-mail's link) only its survey."""

    survey: Survey
    invitation: SurveyInvitation | None = None

    @property
    def is_test(self) -> bool:
        return self.invitation is None

    @property
    def response(self) -> SurveyResponse | None:
        if self.invitation is None:
            return None
        return getattr(self.invitation, "response", None)


INVALID_LINK = "This link is not valid. Open it again from the e-mail, copying the whole address."


def survey_token_open(*, token: str, lock: bool = False) -> SurveyLink:
    """The invitation (with its survey, account, person and any answer) or the test survey a token
    names; ApplicationError 404 if it names nothing."""
    try:
        payload = _signer().unsign_object(token)
    except (signing.BadSignature, ValueError):
        raise ApplicationError(INVALID_LINK, code="link_invalid", status=404) from None
    if isinstance(payload, dict) and isinstance(payload.get("t"), int):
        survey = Survey.objects.filter(pk=payload["t"]).first()
        if survey is None:
            raise ApplicationError(INVALID_LINK, code="link_invalid", status=404)
        return SurveyLink(survey=survey)
    if not (
        isinstance(payload, dict) and isinstance(payload.get("i"), int) and isinstance(payload.get("n"), str)
    ):
        raise ApplicationError(INVALID_LINK, code="link_invalid", status=404)
    rows = SurveyInvitation.objects.select_related("survey", "organization__owner", "stakeholder", "response")
    if lock:
        rows = rows.select_for_update(of=("self",))
    invitation = rows.filter(pk=payload["i"]).first()
    if invitation is None or not constant_time_compare(invitation.nonce, payload["n"]):
        raise ApplicationError(INVALID_LINK, code="link_invalid", status=404)
    return SurveyLink(survey=invitation.survey, invitation=invitation)


def _score(survey_type: str, value) -> int:
    low, high = SCALES[survey_type]
    message = f"Choose a score from {low} to {high}."
    if isinstance(value, bool):
        raise ApplicationError.for_field("score", message, code="score_out_of_scale")
    if isinstance(value, str):
        value = value.strip()
        if not value.lstrip("-").isdigit():
            raise ApplicationError.for_field("score", message, code="score_out_of_scale")
        value = int(value)
    if not isinstance(value, int) or not low <= value <= high:
        raise ApplicationError.for_field("score", message, code="score_out_of_scale")
    return value


def score_for_test(*, survey: Survey, score) -> int:
    """A test link's score, checked like a real one (nothing is recorded)."""
    return _score(survey.survey_type, score)


def _refuse_answer(invitation: SurveyInvitation, now: datetime) -> None:
    """Raise when the invitation takes no answer now: answered (409), closed or expired (410)."""
    if invitation.status == InvitationStatus.RESPONDED or getattr(invitation, "response", None) is not None:
        raise ApplicationError(
            "You have answered this survey already; thank you. Your first answer is the one that counts.",
            code="already_answered",
            status=409,
        )
    if invitation.status == InvitationStatus.EXPIRED or (
        invitation.expires_at is not None and invitation.expires_at <= now
    ):
        day = f" on {timezone.localtime(invitation.expires_at):%-d %B %Y}" if invitation.expires_at else ""
        raise ApplicationError(
            f"This survey closed{day}, so it no longer takes answers. Thank you all the same.",
            code="expired",
            status=410,
        )
    if invitation.status != InvitationStatus.SENT:
        raise ApplicationError("This survey is not open for answers.", code="not_open", status=410)


def survey_open(*, token: str, now: datetime | None = None) -> SurveyLink:
    """What the token names, if it takes an answer now (a test link always does); the same refusals
    as `survey_answer`: 404 not valid, 409 answered already, 410 expired or not open."""
    opened = survey_token_open(token=token)
    if opened.invitation is not None:
        _refuse_answer(opened.invitation, now or timezone.now())
    return opened


# --- answers --------------------------------------------------------------------------------------------


def _default_step(survey: Survey) -> str:
    return survey.step or TRIGGER_STEPS.get(survey.trigger, JourneyStep.REALIZE)


def _record_answer(response: SurveyResponse, *, actor=None, organization: Organization) -> None:
    """Save a new answer, its event, and the follow-up a poor answer asks for (in the caller's
    transaction)."""
    response.save()
    journey_event_record(
        event_type=RealizeEventType.SURVEY_ANSWERED,
        organization=organization,
        actor=actor,
        payload={
            "response_id": response.pk,
            "survey_id": response.survey_id,
            "survey_type": response.survey_type,
            "score": response.score,
            "step": response.step,
            "stakeholder_id": response.stakeholder_id,
            "invitation_id": response.invitation_id,
            "source": response.source,
        },
        occurred_at=response.answered_at,
    )
    _open_follow_up(response, organization=organization, actor=actor)


def _open_follow_up(response: SurveyResponse, *, organization: Organization, actor=None) -> FollowUp | None:
    reason = follow_up_reason_for(response.survey_type, response.score)
    if reason is None or FollowUp.objects.filter(response=response).exists():
        return None
    follow_up = FollowUp.objects.create(
        response=response,
        organization=organization,
        owner=organization.owner,
        reason=reason,
        due_on=_local_date(response.answered_at) + timedelta(days=_follow_up_days()),
    )
    journey_event_record(
        event_type=RealizeEventType.FOLLOW_UP_OPENED,
        organization=organization,
        actor=actor,
        payload={
            "follow_up_id": follow_up.pk,
            "response_id": response.pk,
            "reason": reason,
            "score": response.score,
            "owner_id": follow_up.owner_id,
            "due_on": follow_up.due_on.isoformat(),
        },
        occurred_at=response.answered_at,
    )
    return follow_up


@transaction.atomic
def survey_answer(*, token: str, score, now: datetime | None = None) -> SurveyResponse:
    """The one click: record `score` for the invitation the token names. Refused with nothing written
    for a link that is not valid (404), answered already (409), expired (410) or a score outside the
    survey's scale (400)."""
    now = now or timezone.now()
    opened = survey_token_open(token=token, lock=True)
    invitation = opened.invitation
    if invitation is None:
        raise ApplicationError("This is a test link: nothing is recorded.", code="test_link", status=400)
    _refuse_answer(invitation, now)
    value = _score(invitation.survey.survey_type, score)
    response = SurveyResponse(
        invitation=invitation,
        survey=invitation.survey,
        survey_type=invitation.survey.survey_type,
        organization=invitation.organization,
        stakeholder=invitation.stakeholder,
        step=invitation.step,
        score=value,
        comment_key=secrets.token_hex(16),
        answered_at=now,
        source=ResponseSource.EMAIL,
    )
    try:
        with transaction.atomic():
            _record_answer(response, organization=invitation.organization)
    except IntegrityError:  # a second click that raced the first past the lock (SQLite has none)
        raise ApplicationError(
            "You have answered this survey already; thank you.", code="already_answered", status=409
        ) from None
    invitation.status = InvitationStatus.RESPONDED
    invitation.responded_at = now
    invitation.save(update_fields=["status", "responded_at", "updated_at"])
    return response


@transaction.atomic
def survey_opt_out(*, token: str) -> tuple[SurveyLink, bool]:
    """The person of the token's invitation asks to receive no more surveys: their consent goes, so the
    scan invites them to nothing and whatever is scheduled for them is not sent. Works on an expired or
    answered invitation too (asking to stop should never fail); a test link records nothing. Returns the
    link and whether consent was withdrawn now (False if it was gone already, or a test)."""
    opened = survey_token_open(token=token, lock=True)
    if opened.is_test:
        return opened, False
    withdrawn = journeys_services.stakeholder_survey_opt_out(
        stakeholder=opened.invitation.stakeholder, source="Opted out from a survey e-mail"
    )
    return opened, withdrawn


@transaction.atomic
def survey_comment(*, token: str, comment_key: str, comment: str) -> SurveyResponse:
    """Add the person's comment to the answer they just gave: the form carries the answer's
    comment key, which only the page that recorded the answer showed. One comment per answer."""
    opened = survey_token_open(token=token, lock=True)
    if opened.invitation is None:
        raise ApplicationError("This is a test link: nothing is recorded.", code="test_link", status=400)
    response = SurveyResponse.objects.select_for_update().filter(invitation=opened.invitation).first()
    if response is None:
        raise ApplicationError(
            "Choose a score first; the comment goes with your answer.", code="not_answered", status=400
        )
    if (
        not isinstance(comment_key, str)
        or not response.comment_key
        or not constant_time_compare(response.comment_key, comment_key)
    ):
        raise ApplicationError(
            "This comment form does not belong to this answer, so the comment was not saved.",
            code="wrong_comment_key",
            status=403,
        )
    if response.commented_at is not None:
        raise ApplicationError(
            "Your comment was received already; thank you.", code="already_commented", status=409
        )
    text = comment.strip() if isinstance(comment, str) else ""
    if not text:
        raise ApplicationError.for_field("comment", "Write your comment, or close the page if you have none.")
    if len(text) > COMMENT_LIMIT:
        raise ApplicationError.for_field("comment", f"Keep the comment to {COMMENT_LIMIT:,} characters.")
    response.comment = text
    response.commented_at = timezone.now()
    response.save(update_fields=["comment", "commented_at", "updated_at"])
    return response


RECORD_FIELDS = (
    "survey",
    "organization",
    "stakeholder",
    "invitation",
    "score",
    "comment",
    "answered_at",
    "external_id",
    "step",
    "source",
)


def _instance(model, value, errors: dict, name: str, message: str):
    if value is None or value == "":
        return None
    if isinstance(value, model):
        return value
    if isinstance(value, bool) or not isinstance(value, int | str) or not str(value).isdigit():
        errors[name] = [message]
        return None
    found = model.objects.filter(pk=int(value)).first()
    if found is None:
        errors[name] = [message]
    return found


def _answered_at(value, errors: dict, now: datetime) -> datetime:
    if value is None:
        return now
    if not isinstance(value, datetime) or timezone.is_naive(value):
        errors["answered_at"] = ["Give the date and time of the answer with its time zone."]
        return now
    if value - now > FUTURE_TOLERANCE:
        errors["answered_at"] = ["An answer cannot be given in the future."]
    return value


@transaction.atomic
def survey_response_record(*, user, data: dict) -> SurveyResponse:
    """An answer given outside the e-mail (an API client's, or one typed in from a call): `survey`
    (or the invitation's), `organization` (or the person's or the invitation's), `stakeholder` or
    `invitation`, `score`, optional `comment`, `answered_at` (now), `step` (the invitation's, else
    the survey's, else its trigger's), `source` ("manual"), `external_id`. With an external id
    already known, that answer is updated with what is given (upsert); the result's `created` says
    which. The user must see the account and hold a role that records contacts; a poor answer opens
    its follow-up."""
    if not roles.may_log_touchpoints(user):
        raise ApplicationError("Your role may not record survey answers.", code="forbidden", status=403)
    now = timezone.now()
    errors: dict[str, list[str]] = {}
    for name in sorted(set(data) - set(RECORD_FIELDS)):
        errors[name] = ["This field cannot be set on an answer."]
    survey = _instance(Survey, data.get("survey"), errors, "survey", "There is no such survey.")
    invitation = _instance(
        SurveyInvitation, data.get("invitation"), errors, "invitation", "There is no such invitation."
    )
    if survey is None and invitation is not None and "survey" not in errors:
        survey = invitation.survey
    if survey is None and "survey" not in errors:
        errors["survey"] = ["Say which survey the answer is to (or the invitation answered)."]
    stakeholder = _instance(
        Stakeholder, data.get("stakeholder"), errors, "stakeholder", "There is no such person."
    )
    organization = _instance(
        Organization, data.get("organization"), errors, "organization", "There is no such organization."
    )
    if invitation is not None:
        if survey is not None and invitation.survey_id != survey.pk:
            errors["invitation"] = ["This invitation is to another survey."]
        organization = organization or invitation.organization
        stakeholder = stakeholder or invitation.stakeholder
        if stakeholder is not None and stakeholder.pk != invitation.stakeholder_id:
            errors["stakeholder"] = ["This invitation was sent to someone else."]
    if organization is None and stakeholder is not None:
        organization = stakeholder.organization
    if organization is not None and not organization_is_visible(user, organization):
        # An account the user may not see gets the same answer as one that does not exist.
        errors["organization"] = ["There is no such organization."]
        organization = None
    elif organization is None and "organization" not in errors:
        errors["organization"] = ["Say whose answer it is: the organization, the person or the invitation."]
    if organization is not None:
        if stakeholder is not None and stakeholder.organization_id != organization.pk:
            errors["stakeholder"] = ["This person belongs to another organization."]
        if invitation is not None and invitation.organization_id != organization.pk:
            errors["invitation"] = ["This invitation belongs to another organization."]
    score = None
    if survey is not None:
        try:
            score = _score(survey.survey_type, data.get("score"))
        except ApplicationError as error:
            errors.update(error.fields)
    comment = data.get("comment") or ""
    if not isinstance(comment, str):
        errors["comment"] = ["Give the comment as text."]
    elif len(comment.strip()) > COMMENT_LIMIT:
        errors["comment"] = [f"Keep the comment to {COMMENT_LIMIT:,} characters."]
    answered_at = _answered_at(data.get("answered_at"), errors, now)
    external_id = data.get("external_id") or ""
    if not isinstance(external_id, str) or len(external_id.strip()) > 100:
        errors["external_id"] = ["Give the external id as text of at most 100 characters."]
        external_id = ""
    external_id = external_id.strip()
    source = data.get("source") or ResponseSource.MANUAL
    if source not in (ResponseSource.MANUAL, ResponseSource.API):
        errors["source"] = ["An answer recorded here comes from the API or is entered by hand."]
    step = data.get("step") or (invitation.step if invitation else None)
    if survey is not None:
        step = step or _default_step(survey)
        if step not in JourneyStep.values:
            errors["step"] = ["Choose a journey step."]
    _fail(errors)

    existing = (
        SurveyResponse.objects.select_for_update().filter(external_id=external_id).first()
        if external_id
        else None
    )
    if existing is not None:
        if (
            existing.survey_id != survey.pk
            or existing.organization_id != organization.pk
            or existing.stakeholder_id != getattr(stakeholder, "pk", None)
            or existing.invitation_id != getattr(invitation, "pk", existing.invitation_id)
        ):
            raise ApplicationError.for_field(
                "external_id",
                "This external id belongs to an answer of another survey, organization or person.",
                code="duplicate",
                status=409,
            )
        # An upsert changes what it is given: an answer sent again without its comment keeps it.
        existing.score = score
        if "comment" in data:
            existing.comment = comment.strip()
            existing.commented_at = existing.commented_at or (answered_at if existing.comment else None)
        if "answered_at" in data:
            existing.answered_at = answered_at
        if data.get("step"):
            existing.step = step
        existing.save()
        _open_follow_up(existing, organization=organization, actor=user)
        existing.created = False
        return existing

    if invitation is not None:
        invitation = SurveyInvitation.objects.select_for_update().get(pk=invitation.pk)
        if (
            invitation.status == InvitationStatus.RESPONDED
            or SurveyResponse.objects.filter(invitation=invitation).exists()
        ):
            raise ApplicationError.for_field(
                "invitation", "This invitation has its answer already.", code="already_answered", status=409
            )
    response = SurveyResponse(
        invitation=invitation,
        survey=survey,
        survey_type=survey.survey_type,
        organization=organization,
        stakeholder=stakeholder,
        step=step,
        score=score,
        comment=comment.strip(),
        commented_at=answered_at if comment.strip() else None,
        answered_at=answered_at,
        source=source,
        external_id=external_id,
    )
    try:
        with transaction.atomic():
            _record_answer(response, actor=user, organization=organization)
    except IntegrityError:
        raise ApplicationError.for_field(
            "external_id", "This external id is already in use.", code="duplicate", status=409
        ) from None
    if invitation is not None:
        invitation.status = InvitationStatus.RESPONDED
        invitation.responded_at = answered_at
        invitation.save(update_fields=["status", "responded_at", "updated_at"])
    response.created = True
    return response


@transaction.atomic
def follow_up_close(*, user, follow_up: FollowUp, outcome: str) -> FollowUp:
    """Record what was learned and done, and close the follow-up. Its owner, or a relationship
    manager or administrator who sees the account, may close it."""
    current = FollowUp.objects.select_for_update().select_related("organization").get(pk=follow_up.pk)
    if not organization_is_visible(user, current.organization):
        raise Http404("Not found.")
    if current.owner_id != user.pk and not may_manage_surveys(user):
        raise ApplicationError(
            "Only the account's people (relationship managers, administrators) may close a follow-up.",
            code="forbidden",
            status=403,
        )
    if current.status != FollowUpStatus.OPEN:
        raise ApplicationError("This follow-up is closed already.", code="already_closed", status=409)
    text = outcome.strip() if isinstance(outcome, str) else ""
    if not text:
        raise ApplicationError.for_field(
            "outcome", "Say what you learned and did, e.g. “Called her; the export fix is scheduled.”"
        )
    if len(text) > COMMENT_LIMIT:
        raise ApplicationError.for_field("outcome", f"Keep it to {COMMENT_LIMIT:,} characters.")
    current.outcome = text
    current.status = FollowUpStatus.DONE
    current.closed_at = timezone.now()
    current.closed_by = user
    current.save(update_fields=["outcome", "status", "closed_at", "closed_by", "updated_at"])
    return current


# --- decisions: who is invited ------------------------------------------------------------------------


@dataclass
class Candidate:
    """One person a trigger puts forward for one survey."""

    survey: Survey
    organization_id: int
    stakeholder: Stakeholder
    trigger_key: str
    subject: str
    step: str
    triggered_at: datetime
    send_after: datetime
    handled_by_id: int | None = None
    handler_emails: frozenset[str] = frozenset()
    sample: bool = True


def _in_sample(survey: Survey, trigger_key: str, stakeholder_id: int) -> bool:
    """The same answer for the same survey, trigger and person, every time it is asked."""
    digest = hashlib.sha256(f"{survey.pk}:{trigger_key}:{stakeholder_id}".encode()).digest()
    return int.from_bytes(digest[:4], "big") % 100 < survey.sampling_percent


def _first_reason(candidate: Candidate) -> tuple[str, str]:
    """The first governance rule (before cooldown and sample) that keeps the person out."""
    person = candidate.stakeholder
    survey = candidate.survey
    if not set(person.roles) & set(survey.audience_roles):
        held = ", ".join(person.roles) or "no consumer role"
        return (
            InvitationReason.NOT_IN_AUDIENCE,
            f"Holds {held}; the survey asks {', '.join(survey.audience_roles)}.",
        )
    if not person.is_active:
        return InvitationReason.INACTIVE, ""
    if not person.survey_consent:
        return InvitationReason.NO_CONSENT, ""
    if not person.email:
        return InvitationReason.NO_EMAIL, ""
    if person.email.lower() in candidate.handler_emails:
        return InvitationReason.HANDLED_REQUEST, "Their e-mail is that of the person who handled the request."
    return "", ""


def _cooldown_times(stakeholder_ids: list[int], start: datetime, end: datetime) -> dict[int, list[datetime]]:
    times: dict[int, list[datetime]] = defaultdict(list)
    for stakeholder_id, send_after in SurveyInvitation.objects.filter(
        stakeholder_id__in=stakeholder_ids,
        status__in=INVITED_STATUSES,
        send_after__gte=start,
        send_after__lte=end,
    ).values_list("stakeholder_id", "send_after"):
        times[stakeholder_id].append(send_after)
    return times


def _decide(candidates: list[Candidate], now: datetime) -> list[SurveyInvitation]:
    """One row per candidate not decided before (same survey, trigger and person), in the order given;
    written at once. The caller holds the mark's lock, so no other scan decides meanwhile."""
    created: list[SurveyInvitation] = []
    cooldown = _cooldown()
    for index in range(0, len(candidates), DECIDE_BATCH):
        batch = candidates[index : index + DECIDE_BATCH]
        keys = {(c.survey.pk, c.trigger_key) for c in batch}
        existing: set[tuple[int, str, int]] = set()
        for survey_id in {survey_id for survey_id, _key in keys}:
            trigger_keys = [key for s, key in keys if s == survey_id]
            existing.update(
                (survey_id, key, stakeholder_id)
                for key, stakeholder_id in SurveyInvitation.objects.filter(
                    survey_id=survey_id,
                    trigger_key__in=trigger_keys,
                    stakeholder_id__in=[c.stakeholder.pk for c in batch],
                ).values_list("trigger_key", "stakeholder_id")
            )
        fresh = []
        for candidate in batch:
            key = (candidate.survey.pk, candidate.trigger_key, candidate.stakeholder.pk)
            if key not in existing:
                existing.add(key)
                fresh.append(candidate)
        if not fresh:
            continue
        times = _cooldown_times(
            sorted({c.stakeholder.pk for c in fresh}),
            min(c.send_after for c in fresh) - cooldown,
            max(c.send_after for c in fresh) + cooldown,
        )
        rows = []
        for candidate in fresh:
            reason, detail = _first_reason(candidate)
            if not reason:
                previous = times.get(candidate.stakeholder.pk, [])
                if any(abs(moment - candidate.send_after) < cooldown for moment in previous):
                    reason = InvitationReason.COOLDOWN
                    latest = max(previous)
                    detail = f"Another survey is sent to them on {timezone.localtime(latest):%-d %b %Y}."
                elif candidate.sample and not _in_sample(
                    candidate.survey, candidate.trigger_key, candidate.stakeholder.pk
                ):
                    reason = InvitationReason.SAMPLED_OUT
                    detail = f"The survey asks {candidate.survey.sampling_percent} % of the people."
                else:
                    reason = InvitationReason.INVITED
                    times[candidate.stakeholder.pk].append(candidate.send_after)
            invited = reason == InvitationReason.INVITED
            rows.append(
                SurveyInvitation(
                    survey=candidate.survey,
                    organization_id=candidate.organization_id,
                    stakeholder=candidate.stakeholder,
                    trigger_key=candidate.trigger_key[:80],
                    subject=candidate.subject[:240],
                    step=candidate.step,
                    triggered_at=candidate.triggered_at,
                    status=InvitationStatus.SCHEDULED if invited else InvitationStatus.NOT_INVITED,
                    reason=reason,
                    reason_detail=detail[:240],
                    handled_by_id=candidate.handled_by_id,
                    send_after=candidate.send_after if invited else None,
                    nonce=secrets.token_hex(16),
                )
            )
        SurveyInvitation.objects.bulk_create(rows, batch_size=500)
        created.extend(rows)
    return created


def _audience_filter(survey: Survey) -> Q:
    condition = Q(pk__in=[])
    for role, field in (("customer", "is_customer"), ("user", "is_user"), ("sponsor", "is_sponsor")):
        if role in survey.audience_roles:
            condition |= Q(**{field: True})
    return condition


def _lock_mark() -> RefreshMark:
    RefreshMark.objects.get_or_create(name=MARK)
    return RefreshMark.objects.select_for_update().get(name=MARK)


def period_start(survey: Survey, moment: datetime) -> datetime:
    """The start (midnight, site time zone) of the periodic survey's period holding `moment`. Periods
    of n months count from January of year 0, so 3 gives quarters and 12 calendar years."""
    day = _local_date(moment)
    months = max(int(survey.period_months or 1), 1)
    first = (day.year * 12 + day.month - 1) // months * months
    start = date(first // 12, first % 12 + 1, 1)
    return datetime.combine(start, time.min, tzinfo=site_zone())


def _request_candidates(surveys: list[Survey], since: datetime | None, until: datetime) -> list[Candidate]:
    if not surveys:
        return []
    closings = cocreation_selectors.requests_closed_between(since=since, until=until)
    people = Stakeholder.objects.in_bulk({c.requester_id for c in closings if c.requester_id})
    candidates = []
    for survey in surveys:
        delay = timedelta(hours=survey.send_delay_hours)
        for closing in closings:
            person = people.get(closing.requester_id)
            if person is None or closing.recorded_at < survey.created_at:
                continue
            candidates.append(
                Candidate(
                    survey=survey,
                    organization_id=closing.organization_id,
                    stakeholder=person,
                    trigger_key=f"request:{closing.request_id}",
                    subject=f"{closing.reference}: {closing.title}",
                    step=survey.step or closing.step or JourneyStep.CO_CREATE,
                    triggered_at=closing.closed_at,
                    send_after=closing.closed_at + delay,
                    handled_by_id=closing.assignee_id or closing.closed_by_id,
                    handler_emails=frozenset(
                        email.lower() for email in (closing.assignee_email, closing.closed_by_email) if email
                    ),
                )
            )
    return candidates


def _plan_candidates(surveys: list[Survey], since: datetime | None, until: datetime) -> list[Candidate]:
    if not surveys:
        return []
    plans = onboarding_selectors.plans_completed_between(since=since, until=until)
    if not plans:
        return []
    people: dict[int, list[Stakeholder]] = defaultdict(list)
    for person in Stakeholder.objects.filter(
        organization_id__in={plan.organization_id for plan in plans}
    ).order_by("organization_id", "id"):
        people[person.organization_id].append(person)
    candidates = []
    for survey in surveys:
        delay = timedelta(hours=survey.send_delay_hours)
        audience = set(survey.audience_roles)
        for plan in plans:
            if plan.completed_at < survey.created_at:
                continue
            for person in people.get(plan.organization_id, []):
                if not set(person.roles) & audience:
                    continue
                candidates.append(
                    Candidate(
                        survey=survey,
                        organization_id=plan.organization_id,
                        stakeholder=person,
                        trigger_key=f"plan:{plan.plan_id}",
                        subject=f"Onboarding: {plan.title}",
                        step=survey.step or JourneyStep.ONBOARD,
                        triggered_at=plan.completed_at,
                        send_after=plan.completed_at + delay,
                    )
                )
    return candidates


def _periodic_decisions(survey: Survey, now: datetime) -> list[SurveyInvitation]:
    """This period's decisions for everyone in the audience of every consumer account not decided
    yet (new people join the period's round at the next scan)."""
    start = period_start(survey, now)
    key = f"period:{start:%Y-%m}"
    triggered_at = max(start, survey.created_at)
    send_after = triggered_at + timedelta(hours=survey.send_delay_hours)
    decided = SurveyInvitation.objects.filter(survey=survey, trigger_key=key).values("stakeholder_id")
    people = (
        Stakeholder.objects.filter(_audience_filter(survey), organization__kind=OrganizationKind.CONSUMER)
        .exclude(pk__in=decided)
        .select_related("organization")
        .order_by("id")
    )
    created = []
    last_id = 0
    while True:
        batch = list(people.filter(pk__gt=last_id)[:DECIDE_BATCH])
        if not batch:
            return created
        last_id = batch[-1].pk
        created.extend(
            _decide(
                [
                    Candidate(
                        survey=survey,
                        organization_id=person.organization_id,
                        stakeholder=person,
                        trigger_key=key,
                        subject=f"Our service to {person.organization.name}",
                        step=survey.step or JourneyStep.REALIZE,
                        triggered_at=triggered_at,
                        send_after=send_after,
                    )
                    for person in batch
                ],
                now,
            )
        )


@transaction.atomic
def survey_triggers_scan(*, now: datetime | None = None) -> int:
    """Turn the triggers since the last scan into invitation decisions (see the module's docstring).
    `now` is the moment the decisions are made for (the periods, the cooldown); the window of
    closings and completions read always ends at the real time. Returns the rows written."""
    real_now = timezone.now()
    now = now or real_now
    mark = _lock_mark()
    active = list(Survey.objects.filter(is_active=True).order_by("id"))
    by_trigger: dict[str, list[Survey]] = defaultdict(list)
    for survey in active:
        by_trigger[survey.trigger].append(survey)
    since = mark.reached - OVERLAP if mark.reached else None
    earliest = min(
        (
            s.created_at
            for s in active
            if s.trigger in (SurveyTrigger.REQUEST_CLOSED, SurveyTrigger.ONBOARDING_COMPLETED)
        ),
        default=None,
    )
    if earliest is not None:
        # Nothing before the oldest survey counts: the first scan does not read the whole history.
        since = max(since, earliest - OVERLAP) if since else earliest - OVERLAP
    candidates = _request_candidates(by_trigger[SurveyTrigger.REQUEST_CLOSED], since, real_now)
    candidates += _plan_candidates(by_trigger[SurveyTrigger.ONBOARDING_COMPLETED], since, real_now)
    # The earliest trigger first: a person the cooldown keeps out is kept out of the later one.
    candidates.sort(key=lambda c: (c.triggered_at, c.survey.pk, c.stakeholder.pk))
    written = len(_decide(candidates, now))
    for survey in by_trigger[SurveyTrigger.PERIODIC]:
        written += len(_periodic_decisions(survey, now))
    mark.reached = real_now
    mark.refreshed_at = real_now
    mark.save()
    return written


@transaction.atomic
def survey_send_manual(
    *, user, survey: Survey, organization: Organization, stakeholders: Iterable[Stakeholder] | None = None
) -> list[SurveyInvitation]:
    """Send the survey now to the account's people in its audience, or to the people given, under the
    same governance as a trigger (audience, activity, consent, e-mail, cooldown; the sample only when
    the people were not chosen by hand). Returns every decision, invited or not."""
    _require_manager(user)
    if not organization_is_visible(user, organization):
        raise Http404("Not found.")
    if not survey.is_active:
        raise ApplicationError(
            f"“{survey.name}” is not active; activate it before sending it.",
            code="survey_inactive",
            status=409,
        )
    chosen = stakeholders is not None
    if chosen:
        people = list(stakeholders)
        strangers = [person for person in people if person.organization_id != organization.pk]
        if strangers:
            raise ApplicationError.for_field(
                "stakeholders", f"{strangers[0].name} belongs to another organization."
            )
        if not people:
            raise ApplicationError.for_field("stakeholders", "Choose at least one person.")
    else:
        people = list(
            Stakeholder.objects.filter(_audience_filter(survey), organization=organization).order_by(
                "name", "id"
            )
        )
        if not people:
            raise ApplicationError.for_field(
                "stakeholders",
                f"Nobody at {organization.name} holds a role the survey asks "
                f"({', '.join(survey.audience_roles)}).",
            )
    _lock_mark()  # decisions one at a time: the cooldown sees the scan's and the other sends'
    now = timezone.now()
    key = f"manual:{now:%Y%m%d%H%M%S}-{secrets.token_hex(3)}"
    return _decide(
        [
            Candidate(
                survey=survey,
                organization_id=organization.pk,
                stakeholder=person,
                trigger_key=key,
                subject=f"Our service to {organization.name}",
                step=_default_step(survey),
                triggered_at=now,
                send_after=now,
                handled_by_id=user.pk,
                sample=not chosen,
            )
            for person in people
        ],
        now,
    )


# --- e-mail -----------------------------------------------------------------------------------------------


def _email_context(
    survey: Survey, *, token: str, invitation: SurveyInvitation | None, expires_at, **extra
) -> dict:
    low, high = SCALES[survey.survey_type]
    labels = SCORE_LABELS[survey.survey_type]
    return {
        "survey": survey,
        "invitation": invitation,
        "question": survey.question,
        "subject": invitation.subject if invitation else "An example of what the survey asks about",
        "stakeholder": invitation.stakeholder if invitation else None,
        "organization": invitation.organization if invitation else None,
        "owner": invitation.organization.owner if invitation else None,
        "scores": [
            {"score": score, "url": _link(token, score), "label": labels.get(score, "")}
            for score in range(low, high + 1)
        ],
        "low": low,
        "high": high,
        "low_label": labels[low],
        "high_label": labels[high],
        "cooldown_days": _cooldown().days,
        "opt_out_url": _opt_out_link(token),
        "expires_at": expires_at,
        **extra,
    }


def _send_email(template: str, context: dict, *, to: str, name: str = "", reply_to: str = "") -> None:
    # Mail programs show their own "unsubscribe" for the opt-out page; one-click (RFC 8058) posts to it.
    headers = {}
    if context.get("opt_out_url"):
        headers = {
            "List-Unsubscribe": f"<{context['opt_out_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
    message = EmailMultiAlternatives(
        subject=" ".join(render_to_string(f"emails/{template}/subject.txt", context).split()),
        body=render_to_string(f"emails/{template}/body.txt", context),
        to=[formataddr((name, to)) if name else to],
        reply_to=[reply_to] if reply_to else None,
        headers=headers,
    )
    message.attach_alternative(render_to_string(f"emails/{template}/body.html", context), "text/html")
    message.send()


def _mail_invitation(invitation: SurveyInvitation, *, reminder: bool) -> None:
    owner = invitation.organization.owner
    context = _email_context(
        invitation.survey,
        token=_token(invitation),
        invitation=invitation,
        expires_at=invitation.expires_at,
        reminder=reminder,
        test=False,
    )
    _send_email(
        "survey_reminder" if reminder else "survey_invitation",
        context,
        to=invitation.stakeholder.email,
        name=invitation.stakeholder.name,
        reply_to=owner.email if owner is not None and owner.is_active and owner.email else "",
    )


@transaction.atomic
def survey_test_send(*, user, survey: Survey) -> None:
    """E-mail the user the survey as a person would get it; its links are marked as a test and record
    nothing. Remembers when it was tested."""
    _require_manager(user)
    if not getattr(user, "email", ""):
        raise ApplicationError(
            "Your user has no e-mail address to send the test to; add one to your profile first.",
            code="no_email",
        )
    now = timezone.now()
    context = _email_context(
        survey,
        token=_test_token(survey),
        invitation=None,
        expires_at=now + timedelta(days=survey.expiry_days),
        reminder=False,
        test=True,
    )
    try:
        _send_email("survey_invitation", context, to=user.email, name=user.get_full_name())
    except Exception as error:  # the mail server refused: say so, remember nothing
        logger.exception("Could not send the test of survey %s", survey.pk)
        raise ApplicationError(
            f"The test e-mail could not be sent ({error}); try again later.", code="send_failed", status=503
        ) from None
    Survey.objects.filter(pk=survey.pk).update(tested_at=now, updated_at=now)
    survey.tested_at = now


def _still_sendable(invitation: SurveyInvitation) -> str:
    """Why a scheduled invitation should not go out after all ("" when it should)."""
    person = invitation.stakeholder
    if not invitation.survey.is_active:
        return "The survey was deactivated before it was sent."
    if not person.is_active:
        return "The person became inactive before it was sent."
    if not person.survey_consent:
        return "The person withdrew their consent before it was sent."
    if not person.email:
        return "The person's e-mail address was removed before it was sent."
    return ""


def _loaded(pk: int) -> SurveyInvitation:
    return SurveyInvitation.objects.select_related("survey", "stakeholder", "organization__owner").get(pk=pk)


def _send_one(pk: int, now: datetime) -> int:
    claimed = SurveyInvitation.objects.filter(
        pk=pk, status=InvitationStatus.SCHEDULED, claimed_at__isnull=True, send_after__lte=now
    ).update(claimed_at=now, updated_at=timezone.now())
    if not claimed:
        return 0  # another run took it
    invitation = _loaded(pk)
    refusal = _still_sendable(invitation)
    if refusal:
        SurveyInvitation.objects.filter(pk=pk, claimed_at=now).update(
            status=InvitationStatus.CANCELLED, reason_detail=refusal, updated_at=timezone.now()
        )
        return 0
    invitation.sent_at = now
    invitation.expires_at = now + timedelta(days=invitation.survey.expiry_days)
    try:
        _mail_invitation(invitation, reminder=False)
    except Exception as error:  # the mail server refused: free it for the next run, a while later
        attempts = invitation.attempts + 1
        changes: dict[str, Any] = {
            "claimed_at": None,
            "attempts": attempts,
            "last_error": str(error)[:2000] or error.__class__.__name__,
            "updated_at": timezone.now(),
        }
        if attempts >= MAX_ATTEMPTS:
            changes.update(
                status=InvitationStatus.CANCELLED,
                reason_detail=f"The e-mail could not be sent in {attempts} attempts.",
            )
        else:
            changes["send_after"] = now + min(RETRY_FIRST * 2 ** (attempts - 1), RETRY_LONGEST)
        SurveyInvitation.objects.filter(pk=pk, claimed_at=now).update(**changes)
        logger.exception("Could not send survey invitation %s", pk)
        return 0
    SurveyInvitation.objects.filter(pk=pk, claimed_at=now).update(
        status=InvitationStatus.SENT,
        sent_at=now,
        expires_at=invitation.expires_at,
        attempts=F("attempts") + 1,
        last_error="",
        updated_at=timezone.now(),
    )
    return 1


def _remind_one(pk: int, now: datetime) -> int:
    claimed = SurveyInvitation.objects.filter(
        pk=pk,
        status=InvitationStatus.SENT,
        reminder_claimed_at__isnull=True,
        reminder_sent_at__isnull=True,
        expires_at__gt=now,
    ).update(reminder_claimed_at=now, updated_at=timezone.now())
    if not claimed:
        return 0
    invitation = _loaded(pk)
    try:
        _mail_invitation(invitation, reminder=True)
    except Exception as error:
        SurveyInvitation.objects.filter(pk=pk, reminder_claimed_at=now).update(
            reminder_claimed_at=None,
            attempts=F("attempts") + 1,
            last_error=str(error)[:2000] or error.__class__.__name__,
            updated_at=timezone.now(),
        )
        logger.exception("Could not send the reminder of survey invitation %s", pk)
        return 0
    SurveyInvitation.objects.filter(pk=pk, reminder_claimed_at=now).update(
        reminder_sent_at=now, updated_at=timezone.now()
    )
    return 1


def _reminder_ids(now: datetime) -> list[int]:
    ids: list[int] = []
    for survey_id, days in Survey.objects.filter(
        is_active=True, reminder_after_days__isnull=False
    ).values_list("id", "reminder_after_days"):
        ids.extend(
            SurveyInvitation.objects.filter(
                survey_id=survey_id,
                status=InvitationStatus.SENT,
                sent_at__lte=now - timedelta(days=days),
                expires_at__gt=now,
                reminder_sent_at__isnull=True,
                reminder_claimed_at__isnull=True,
                stakeholder__is_active=True,
                stakeholder__survey_consent=True,
            )
            .exclude(stakeholder__email="")
            .order_by("sent_at", "id")
            .values_list("id", flat=True)[: SEND_BATCH - len(ids)]
        )
        if len(ids) >= SEND_BATCH:
            break
    return ids


def survey_invitations_send(*, now: datetime | None = None) -> int:
    """Expire the unanswered invitations past their expiry, then send the due invitations and the due
    reminders, each claimed before it is mailed (see the module's docstring). Returns the e-mails
    sent."""
    now = now or timezone.now()
    SurveyInvitation.objects.filter(status=InvitationStatus.SENT, expires_at__lte=now).update(
        status=InvitationStatus.EXPIRED, updated_at=timezone.now()
    )
    due = list(
        SurveyInvitation.objects.filter(
            status=InvitationStatus.SCHEDULED, claimed_at__isnull=True, send_after__lte=now
        )
        .order_by("send_after", "id")
        .values_list("id", flat=True)[:SEND_BATCH]
    )
    sent = sum(_send_one(pk, now) for pk in due)
    sent += sum(_remind_one(pk, now) for pk in _reminder_ids(now))
    return sent
