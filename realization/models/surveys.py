"""Surveys of experience and satisfaction: their definitions, every invitation decision, the answers and
the follow-up a poor answer asks for.

A survey asks one question on one scale: NPS (0–10, how likely the person is to recommend the
service), CSAT (1–5, how satisfied they are) or CES (1–7, how much they agree that it was easy to get
done what they came for; higher is easier). What sets it off is its trigger: a request closed in
Co-create, an onboarding plan completed in Onboard, a period (the relationship survey) or a person
sending it by hand.

Realize pulls the triggers (a periodic job reads the closed requests and the completed plans through
those apps' selectors); no earlier app knows surveys exist. For each candidate the job records one
`SurveyInvitation`, invited or not, with the reason, so the invitation log shows why someone was left
out: outside the survey's audience, no consent, no e-mail address, inactive, the person who handled
the request, surveyed too recently (the cooldown across all surveys), or left out by the sample.

An invitation is sent after the survey's delay, reminded once if the survey has a reminder, and
expires; its answer is a `SurveyResponse`. A detractor (NPS 0–6), a dissatisfied CSAT answer (1–2) or
a hard CES answer (1–3) opens a `FollowUp` for the account owner.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from journeys.base import BaseModel
from journeys.models import JourneyStep

__all__ = [
    "INVITED_STATUSES",
    "SCALES",
    "FollowUp",
    "FollowUpReason",
    "FollowUpStatus",
    "InvitationReason",
    "InvitationStatus",
    "NpsGroup",
    "ResponseSource",
    "Survey",
    "SurveyInvitation",
    "SurveyResponse",
    "SurveyTrigger",
    "SurveyType",
]


class SurveyType(models.TextChoices):
    NPS = "nps", "Net promoter score (NPS, 0–10)"
    CSAT = "csat", "Customer satisfaction (CSAT, 1–5)"
    CES = "ces", "Customer effort score (CES, 1–7)"

    @property
    def scale(self) -> tuple[int, int]:
        return SCALES[self]

    @property
    def short(self) -> str:
        return self.name


SCALES: dict[str, tuple[int, int]] = {
    SurveyType.NPS: (0, 10),
    SurveyType.CSAT: (1, 5),
    SurveyType.CES: (1, 7),
}


class NpsGroup(models.TextChoices):
    PROMOTER = "promoter", "Promoter (9–10)"
    PASSIVE = "passive", "Passive (7–8)"
    DETRACTOR = "detractor", "Detractor (0–6)"


class SurveyTrigger(models.TextChoices):
    REQUEST_CLOSED = "request_closed", "After a request is closed"
    ONBOARDING_COMPLETED = "onboarding_completed", "After onboarding completes"
    PERIODIC = "periodic", "Periodic relationship survey"
    MANUAL = "manual", "Sent by hand"


class Survey(BaseModel):
    name = models.CharField(max_length=200, unique=True)
    survey_type = models.CharField(max_length=10, choices=SurveyType.choices)
    question = models.TextField(help_text="The question as the person reads it in the e-mail.")
    to_customers = models.BooleanField(default=True, help_text="Ask people who hold the customer role.")
    to_users = models.BooleanField(default=True, help_text="Ask people who hold the user role.")
    to_sponsors = models.BooleanField(default=False, help_text="Ask people who hold the sponsor role.")
    trigger = models.CharField(max_length=30, choices=SurveyTrigger.choices)
    is_active = models.BooleanField(default=True, help_text="Only an active survey is sent.")
    sampling_percent = models.PositiveSmallIntegerField(
        default=100, help_text="The share of eligible people who are asked (1–100 %)."
    )
    send_delay_hours = models.PositiveIntegerField(
        default=24, help_text="How long after the trigger the e-mail goes out."
    )
    expiry_days = models.PositiveSmallIntegerField(
        default=14, help_text="How many days after it is sent the invitation still takes an answer."
    )
    reminder_after_days = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        default=5,
        help_text="Days after sending to remind someone who has not answered (once); empty for no reminder.",
    )
    period_months = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="For a periodic survey: every how many months it is sent."
    )
    step = models.CharField(
        max_length=20,
        choices=JourneyStep.choices,
        blank=True,
        default="",
        help_text="The journey step its answers count towards; empty to take the trigger's own step.",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    tested_at = models.DateTimeField(
        null=True, blank=True, help_text="When a test e-mail of it was last sent to its owner."
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(survey_type__in=SurveyType.values), name="survey_type_valid"),
            models.CheckConstraint(
                condition=Q(trigger__in=SurveyTrigger.values), name="survey_trigger_valid"
            ),
            models.CheckConstraint(
                condition=Q(sampling_percent__gte=1, sampling_percent__lte=100),
                name="survey_sampling_1_100",
                violation_error_message="The sampling rate is a share from 1 to 100 %.",
            ),
            models.CheckConstraint(
                condition=Q(expiry_days__gte=1),
                name="survey_expiry_positive",
                violation_error_message="An invitation must stay open at least one day.",
            ),
            models.CheckConstraint(
                condition=Q(reminder_after_days__isnull=True) | Q(reminder_after_days__lt=F("expiry_days")),
                name="survey_reminder_before_expiry",
                violation_error_message="The reminder must go out before the invitation expires.",
            ),
            models.CheckConstraint(
                condition=~Q(trigger=SurveyTrigger.PERIODIC) | Q(period_months__gte=1),
                name="survey_periodic_has_period",
                violation_error_message="A periodic survey needs its period in months.",
            ),
            models.CheckConstraint(
                condition=Q(to_customers=True) | Q(to_users=True) | Q(to_sponsors=True),
                name="survey_has_audience",
                violation_error_message="Choose at least one role to ask.",
            ),
        ]
        indexes = [models.Index(fields=["trigger", "is_active"], name="survey_trigger")]

    def __str__(self) -> str:
        return self.name

    @property
    def scale(self) -> tuple[int, int]:
        return SCALES[self.survey_type]

    @property
    def audience_roles(self) -> list[str]:
        return [
            role
            for role, asked in (
                ("customer", self.to_customers),
                ("user", self.to_users),
                ("sponsor", self.to_sponsors),
            )
            if asked
        ]


class InvitationStatus(models.TextChoices):
    NOT_INVITED = "not_invited", "Not invited"
    SCHEDULED = "scheduled", "Scheduled"
    SENT = "sent", "Sent"
    RESPONDED = "responded", "Answered"
    EXPIRED = "expired", "Expired"
    CANCELLED = "cancelled", "Cancelled"


# An invitation in one of these was (or will be) put in front of the person: the cooldown counts them.
INVITED_STATUSES = (
    InvitationStatus.SCHEDULED,
    InvitationStatus.SENT,
    InvitationStatus.RESPONDED,
    InvitationStatus.EXPIRED,
)


class InvitationReason(models.TextChoices):
    """Why the person was, or was not, invited."""

    INVITED = "invited", "Invited"
    NOT_IN_AUDIENCE = "not_in_audience", "Holds none of the roles the survey asks"
    NO_CONSENT = "no_consent", "Has not agreed to receive surveys"
    NO_EMAIL = "no_email", "Has no e-mail address"
    INACTIVE = "inactive", "No longer active"
    HANDLED_REQUEST = "handled_request", "Handled the request themselves"
    COOLDOWN = "cooldown", "Surveyed too recently"
    SAMPLED_OUT = "sampled_out", "Not drawn in the sample"


class SurveyInvitation(BaseModel):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    organization = models.ForeignKey(
        "journeys.Organization", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    stakeholder = models.ForeignKey(
        "journeys.Stakeholder", on_delete=models.CASCADE, related_name="survey_invitations", db_index=False
    )
    trigger_key = models.CharField(
        max_length=80,
        help_text="What set it off, e.g. request:123, plan:45, period:2026-10, manual:<batch>; one "
        "invitation per survey, trigger and person.",
    )
    subject = models.CharField(
        max_length=240, blank=True, default="", help_text="What the survey asks about, for the e-mail."
    )
    step = models.CharField(max_length=20, choices=JourneyStep.choices)
    triggered_at = models.DateTimeField()
    status = models.CharField(max_length=20, choices=InvitationStatus.choices)
    reason = models.CharField(max_length=30, choices=InvitationReason.choices)
    reason_detail = models.CharField(max_length=240, blank=True, default="")
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The provider person who handled what the survey asks about.",
    )
    send_after = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(
        null=True, blank=True, help_text="When a sender took it (a send in progress is never repeated)."
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    reminder_claimed_at = models.DateTimeField(null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True, default="")
    nonce = models.CharField(max_length=32, unique=True, help_text="The secret part of its signed links.")

    class Meta:
        ordering = ["-triggered_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "trigger_key", "stakeholder"], name="survey_invitation_once"
            ),
            models.CheckConstraint(
                condition=Q(status__in=InvitationStatus.values), name="survey_invitation_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(reason__in=InvitationReason.values), name="survey_invitation_reason_valid"
            ),
        ]
        indexes = [
            models.Index(
                fields=["send_after"],
                condition=Q(status="scheduled"),
                name="survey_invitation_due",
            ),
            models.Index(fields=["status", "sent_at"], name="survey_invitation_sent"),
            models.Index(fields=["stakeholder", "send_after"], name="survey_invitation_person"),
            models.Index(fields=["organization", "-triggered_at"], name="survey_invitation_account"),
            # The survey list's figures of the last days per survey, read from the index alone.
            models.Index(
                fields=["organization", "sent_at"],
                include=["survey", "responded_at"],
                name="survey_invitation_account_sent",
            ),
            models.Index(fields=["updated_at", "id"], name="survey_invitation_sync"),
        ]

    def __str__(self) -> str:
        return f"{self.survey} to {self.stakeholder_id} ({self.trigger_key})"


class ResponseSource(models.TextChoices):
    EMAIL = "email", "E-mail link"
    API = "api", "API"
    MANUAL = "manual", "Entered by hand"


class SurveyResponse(BaseModel):
    invitation = models.OneToOneField(
        SurveyInvitation, on_delete=models.CASCADE, null=True, blank=True, related_name="response"
    )
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    survey_type = models.CharField(
        max_length=10, choices=SurveyType.choices, help_text="Copied from the survey."
    )
    organization = models.ForeignKey(
        "journeys.Organization", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    stakeholder = models.ForeignKey(
        "journeys.Stakeholder",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="survey_responses",
    )
    step = models.CharField(max_length=20, choices=JourneyStep.choices)
    score = models.SmallIntegerField()
    comment = models.TextField(blank=True, default="")
    comment_key = models.CharField(
        max_length=32,
        blank=True,
        default="",
        help_text="The secret the thank-you page's comment form carries.",
    )
    commented_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField()
    source = models.CharField(max_length=10, choices=ResponseSource.choices, default=ResponseSource.EMAIL)
    external_id = models.CharField(max_length=100, blank=True, default="")

    class Meta:
        ordering = ["-answered_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(survey_type=SurveyType.NPS, score__gte=0, score__lte=10)
                | Q(survey_type=SurveyType.CSAT, score__gte=1, score__lte=5)
                | Q(survey_type=SurveyType.CES, score__gte=1, score__lte=7),
                name="survey_response_score_in_scale",
                violation_error_message="The score is outside the survey's scale.",
            ),
            models.UniqueConstraint(
                fields=["external_id"],
                condition=~Q(external_id=""),
                name="survey_response_external_id_unique",
            ),
        ]
        indexes = [
            # The metrics' grouped counts per account, month and step, as an index-only scan on PostgreSQL.
            models.Index(
                fields=["organization", "answered_at"],
                include=["survey_type", "step", "score", "survey"],
                name="survey_response_account",
            ),
            models.Index(fields=["answered_at"], name="survey_response_answered"),
            models.Index(fields=["survey", "-answered_at"], name="survey_response_survey"),
            models.Index(fields=["updated_at", "id"], name="survey_response_sync"),
        ]

    def __str__(self) -> str:
        return f"{self.get_survey_type_display()} {self.score}"

    @property
    def nps_group(self) -> str | None:
        if self.survey_type != SurveyType.NPS:
            return None
        if self.score >= 9:
            return NpsGroup.PROMOTER
        return NpsGroup.PASSIVE if self.score >= 7 else NpsGroup.DETRACTOR


class FollowUpReason(models.TextChoices):
    DETRACTOR = "detractor", "Detractor (NPS 0–6)"
    DISSATISFIED = "dissatisfied", "Dissatisfied (CSAT 1–2)"
    HIGH_EFFORT = "high_effort", "Hard to get done (CES 1–3)"


class FollowUpStatus(models.TextChoices):
    OPEN = "open", "To follow up"
    DONE = "done", "Followed up"


class FollowUp(BaseModel):
    """A poor answer the account owner should follow up: call the person, hear them out, act."""

    response = models.OneToOneField(SurveyResponse, on_delete=models.CASCADE, related_name="follow_up")
    organization = models.ForeignKey(
        "journeys.Organization", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(max_length=20, choices=FollowUpReason.choices)
    status = models.CharField(max_length=10, choices=FollowUpStatus.choices, default=FollowUpStatus.OPEN)
    due_on = models.DateField()
    outcome = models.TextField(blank=True, default="", help_text="What was learned and done.")
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=FollowUpStatus.values), name="follow_up_status_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "status"], name="follow_up_account"),
            models.Index(fields=["owner", "status", "due_on"], name="follow_up_owner"),
        ]

    def __str__(self) -> str:
        return f"Follow-up of response {self.response_id}"
