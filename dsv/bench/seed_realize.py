"""Bench rows of the Realize step (BENCH.md: 200,000 survey responses at large, 4,000 at small): the four
surveys the demo runs (effort and satisfaction after a closed request, satisfaction after onboarding,
the quarterly relationship NPS); about 1.3 invitations per answer over the last year — every answer's
own, plus expired ones, a few still open and the people left out with their reasons; the answers over
the consumers in proportion to their activity, each account with a mood of its own that drifts over
the year (so some accounts improve, some slide, and a few are green on SLA but red inside); a follow-up
for every poor answer (most done, the recent ones open); and a few value reviews in every state with
their benefit, target and action lines, about one for every twenty agreements.

Everything goes in with the raw bulk loader (dsv.bench.bulk: `COPY` on PostgreSQL, `executemany`
elsewhere), the two large tables with their indexes and foreign keys dropped during the load and
built again after it. The value metrics are computed from these rows afterwards (dsv.bench.seed).
"""

from __future__ import annotations

import bisect
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from agreements.models import Agreement, AgreementStatus
from dsv.bench.bulk import bulk_load, insert_dicts
from journeys.models import JourneyStep
from realization.models import (
    FollowUp,
    FollowUpReason,
    FollowUpStatus,
    InvitationReason,
    InvitationStatus,
    ReviewAction,
    ReviewActionStatus,
    ReviewBenefit,
    ReviewTarget,
    Survey,
    SurveyInvitation,
    SurveyResponse,
    SurveyTrigger,
    SurveyType,
    ValueReview,
    ValueReviewStatus,
    ValueSnapshot,
    WatermelonAlert,
)

# Realize tables, children first (the bench wipes them before the spine tables they point at; the
# surveys point at none, so they go with them explicitly).
REALIZE_MODELS = [
    WatermelonAlert,
    ValueSnapshot,
    ReviewAction,
    ReviewTarget,
    ReviewBenefit,
    ValueReview,
    FollowUp,
    SurveyResponse,
    SurveyInvitation,
    Survey,
]


@dataclass(frozen=True)
class RealizeScale:
    responses: int
    invitations_per_response: float = 1.3
    agreements_per_review: int = 20


SCALES = {
    "tiny": RealizeScale(responses=400),
    "small": RealizeScale(responses=4_000),
    "large": RealizeScale(responses=200_000),
}


def scale_of(name: str) -> RealizeScale:
    return SCALES.get(name, SCALES["small"])


@dataclass(frozen=True)
class RealizeSeed:
    surveys: int
    invitations: int
    responses: int
    follow_ups: int
    reviews: int


DAY = 86_400.0
DAYS = 365
NPS, CSAT, CES = SurveyType.NPS, SurveyType.CSAT, SurveyType.CES
# (name, type, trigger, share of the answers, the step its answers count towards or "" for the request's)
SURVEYS = (
    ("Bench: effort after a closed request", CES, SurveyTrigger.REQUEST_CLOSED, 0.30, ""),
    ("Bench: satisfaction after a closed request", CSAT, SurveyTrigger.REQUEST_CLOSED, 0.42, ""),
    (
        "Bench: satisfaction after onboarding",
        CSAT,
        SurveyTrigger.ONBOARDING_COMPLETED,
        0.05,
        JourneyStep.ONBOARD,
    ),
    ("Bench: quarterly relationship survey", NPS, SurveyTrigger.PERIODIC, 0.23, JourneyStep.REALIZE),
)
QUESTIONS = {
    CES: "We made it easy to get your request dealt with. How much do you agree?",
    CSAT: "How satisfied are you with how we handled it?",
    NPS: "How likely are you to recommend us to a colleague?",
}
REQUEST_STEPS = (JourneyStep.CO_CREATE, JourneyStep.CO_CREATE, JourneyStep.REALIZE, JourneyStep.ONBOARD)
# What happened to the invitations beyond the answered ones.
OTHER_INVITATIONS = {
    "expired": 45,
    "sent": 5,
    InvitationReason.COOLDOWN: 22,
    InvitationReason.NO_CONSENT: 12,
    InvitationReason.SAMPLED_OUT: 9,
    InvitationReason.NO_EMAIL: 3,
    InvitationReason.HANDLED_REQUEST: 2,
    InvitationReason.NOT_IN_AUDIENCE: 1,
    InvitationReason.INACTIVE: 1,
}
COMMENTS = {
    "good": ("Quick and friendly.", "Fixed on the first call.", "Clear about what was changed."),
    "poor": ("Took three calls before anyone looked at it.", "Closed, but the fault came back.", "Too slow."),
}
OPEN_FOLLOW_UP_DAYS = 14


def seed_realize(
    *,
    rng: random.Random,
    now: datetime,
    stamp: object,
    scale: RealizeScale,
    consumers: list[tuple[int, float, int]],
    people: dict[int, list[int]],
    manager_id: int,
    format_time,
) -> RealizeSeed:
    """`consumers`: (organization pk, activity weight, owner id); `people`: an organization's
    stakeholders; `manager_id`: the surveys' owner; `stamp`: `now` as the loader writes it;
    `format_time`: seconds since the epoch → what the loader writes."""
    consumers = [consumer for consumer in consumers if people.get(consumer[0])]
    if not consumers or scale.responses <= 0:
        return RealizeSeed(0, 0, 0, 0, 0)
    surveys = _surveys(stamp, manager_id)
    invitations, responses, follow_ups = _answers(
        rng, now, stamp, scale, consumers, people, surveys, format_time
    )
    reviews = _reviews(rng, now, stamp, scale, consumers, people, format_time)
    return RealizeSeed(len(surveys), invitations, responses, follow_ups, reviews)


def _surveys(stamp, manager_id) -> list[tuple[int, str, float, str]]:
    rows = []
    for name, survey_type, trigger, _, step in SURVEYS:
        periodic = trigger == SurveyTrigger.PERIODIC
        rows.append(
            {
                "name": name,
                "survey_type": survey_type,
                "question": QUESTIONS[survey_type],
                "to_customers": True,
                "to_users": not periodic,
                "to_sponsors": trigger != SurveyTrigger.REQUEST_CLOSED,
                "trigger": trigger,
                "is_active": True,
                "sampling_percent": 50 if survey_type == CES else 100,
                "send_delay_hours": 9 if periodic else 24,
                "expiry_days": 21 if periodic else 7,
                "reminder_after_days": 7 if periodic else 3,
                "period_months": 3 if periodic else None,
                "step": step,
                "owner_id": manager_id,
            }
        )
    insert_dicts(Survey, rows, now=stamp)
    pks = dict(Survey.objects.filter(name__in=[row["name"] for row in rows]).values_list("name", "pk"))
    return [(pks[name], survey_type, share, step) for name, survey_type, _, share, step in SURVEYS]


def _score(rng: random.Random, survey_type: str, mood: float) -> int:
    """A score for an account whose mood is `mood` (0 unhappy … 1 delighted) at that moment."""
    if survey_type == CSAT:
        return 5 if rng.random() < mood * 0.6 else (4 if rng.random() < mood else rng.choice((1, 2, 3)))
    if survey_type == CES:
        return min(7, max(1, round(rng.gauss(2 + 4.6 * mood, 1.1))))
    draw = rng.random()
    if draw < mood * 0.75:
        return rng.choice((9, 10))
    if draw < mood * 0.75 + (1 - mood) * 0.6:
        return rng.randint(0, 6)
    return rng.choice((7, 8))


def _poor(survey_type: str, score: int) -> str | None:
    if survey_type == NPS and score <= 6:
        return FollowUpReason.DETRACTOR
    if survey_type == CSAT and score <= 2:
        return FollowUpReason.DISSATISFIED
    if survey_type == CES and score <= 3:
        return FollowUpReason.HIGH_EFFORT
    return None


def _answers(rng, now, stamp, scale, consumers, people, surveys, format_time) -> tuple[int, int, int]:
    random_ = rng.random
    now_s = now.timestamp()
    start_s = now_s - DAYS * DAY
    cumulative, running = [], 0.0
    for _, weight, _ in consumers:
        running += weight
        cumulative.append(running)
    # Each account's mood a year ago and now: most content, some sliding, some recovering.
    moods = {pk: (min(0.98, max(0.05, rng.gauss(0.62, 0.2))), rng.gauss(0, 0.18)) for pk, _, _ in consumers}
    survey_cumulative, total = [], 0.0
    for _, _, share, _ in surveys:
        total += share
        survey_cumulative.append(total / sum(share for _, _, share, _ in surveys))
    other_kinds = list(OTHER_INVITATIONS)
    other_cumulative, running_other = [], 0.0
    for weight in OTHER_INVITATIONS.values():
        running_other += weight
        other_cumulative.append(running_other / sum(OTHER_INVITATIONS.values()))
    extra = round(scale.responses * (scale.invitations_per_response - 1))

    invitations, answers = [], []  # answers: (index in invitations, score, answered_at)
    for number in range(scale.responses + extra):
        organization_pk, _, _ = consumers[bisect.bisect_left(cumulative, random_() * running)]
        survey_pk, survey_type, _, step = surveys[bisect.bisect_left(survey_cumulative, random_())]
        triggered = start_s + (now_s - start_s - 2 * DAY) * random_()
        send_after = triggered + (9 * 3_600 if survey_type == NPS else DAY)
        expiry = (21 if survey_type == NPS else 7) * DAY
        fate = (
            "answered"
            if number < scale.responses
            else other_kinds[bisect.bisect_left(other_cumulative, random_())]
        )
        if fate == "sent":  # still open: sent within its expiry
            triggered = now_s - (2 + 4 * random_()) * DAY
            send_after = triggered + DAY
        row = {
            "survey_id": survey_pk,
            "organization_id": organization_pk,
            "stakeholder_id": rng.choice(people[organization_pk]),
            "trigger_key": f"bench:{number}",
            "subject": "Bench trigger",
            "step": step or REQUEST_STEPS[number % len(REQUEST_STEPS)],
            "triggered_at": format_time(triggered),
            "nonce": format(number, "032x"),
        }
        if fate in ("answered", "expired", "sent"):
            sent = send_after + 60
            row.update(
                {
                    "status": {
                        "answered": InvitationStatus.RESPONDED,
                        "expired": InvitationStatus.EXPIRED,
                        "sent": InvitationStatus.SENT,
                    }[fate],
                    "reason": InvitationReason.INVITED,
                    "send_after": format_time(send_after),
                    "claimed_at": format_time(sent - 2),
                    "sent_at": format_time(sent),
                    "expires_at": format_time(sent + expiry),
                    "attempts": 1,
                }
            )
            if fate == "answered":
                answered = min(sent + rng.expovariate(1 / (0.6 * DAY)), sent + expiry - 60, now_s - 60)
                row["responded_at"] = format_time(answered)
                base, drift = moods[organization_pk]
                mood = min(1.0, max(0.0, base + drift * (triggered - start_s) / (now_s - start_s)))
                answers.append(
                    (len(invitations), survey_pk, survey_type, _score(rng, survey_type, mood), answered)
                )
            elif fate == "expired" and sent + 3 * DAY < now_s:
                row["reminder_claimed_at"] = format_time(sent + 3 * DAY - 2)
                row["reminder_sent_at"] = format_time(sent + 3 * DAY)
        else:
            row.update({"status": InvitationStatus.NOT_INVITED, "reason": fate})
        invitations.append(row)

    before = SurveyInvitation.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    with bulk_load(SurveyInvitation._meta.db_table):
        insert_dicts(SurveyInvitation, invitations, now=stamp)
    invitation_pks = list(
        SurveyInvitation.objects.filter(pk__gt=before).order_by("pk").values_list("pk", flat=True)
    )
    responses = []
    for index, survey_pk, survey_type, score, answered in answers:
        invitation = invitations[index]
        polarity = "poor" if _poor(survey_type, score) else ("good" if random_() < 0.5 else "")
        comment = rng.choice(COMMENTS[polarity]) if polarity and random_() < 0.3 else ""
        responses.append(
            {
                "invitation_id": invitation_pks[index],
                "survey_id": survey_pk,
                "survey_type": survey_type,
                "organization_id": invitation["organization_id"],
                "stakeholder_id": invitation["stakeholder_id"],
                "step": invitation["step"],
                "score": score,
                "comment": comment,
                "comment_key": format(index, "032x"),
                "commented_at": format_time(answered + 90) if comment else None,
                "answered_at": format_time(answered),
                "source": "email",
            }
        )
    before = SurveyResponse.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    with bulk_load(SurveyResponse._meta.db_table):
        insert_dicts(SurveyResponse, responses, now=stamp)
    response_pks = list(
        SurveyResponse.objects.filter(pk__gt=before).order_by("pk").values_list("pk", flat=True)
    )
    owners = {pk: owner_id for pk, _, owner_id in consumers}
    rows = []
    for pk, response, (_, _, survey_type, score, answered) in zip(
        response_pks, responses, answers, strict=True
    ):
        reason = _poor(survey_type, score)
        if reason is None:
            continue
        owner_id = owners[response["organization_id"]]
        done = answered < now_s - OPEN_FOLLOW_UP_DAYS * DAY
        closed = min(answered + (1 + 6 * random_()) * DAY, now_s - 60)
        rows.append(
            {
                "response_id": pk,
                "organization_id": response["organization_id"],
                "owner_id": owner_id,
                "reason": reason,
                "status": FollowUpStatus.DONE if done else FollowUpStatus.OPEN,
                "due_on": (datetime.fromtimestamp(answered, now.tzinfo) + timedelta(days=5)).date(),
                "outcome": "Called them and agreed what to change." if done else "",
                "closed_at": format_time(closed) if done else None,
                "closed_by_id": owner_id if done else None,
            }
        )
    insert_dicts(FollowUp, rows, now=stamp)
    return len(invitation_pks), len(response_pks), len(rows)


def _reviews(rng, now, stamp, scale, consumers, people, format_time) -> int:
    """About one review for every twenty agreements, on active agreements of the larger accounts, in
    every state, with two benefit lines, two target lines and an action or two each."""
    owners = {pk: owner_id for pk, _, owner_id in consumers}
    active = list(
        Agreement.objects.filter(status=AgreementStatus.ACTIVE, organization_id__in=list(owners))
        .order_by("pk")
        .values_list("pk", "organization_id", "title")
    )
    count = min(len(active), max(1, Agreement.objects.count() // scale.agreements_per_review))
    if not count:
        return 0
    today = now.date()
    statuses = [
        ValueReviewStatus.PLANNED,
        ValueReviewStatus.PREPARED,
        ValueReviewStatus.HELD,
        ValueReviewStatus.SIGNED_OFF,
        ValueReviewStatus.SIGNED_OFF,
        ValueReviewStatus.SIGNED_OFF,
    ]
    rows = []
    for number, (agreement_pk, organization_pk, title) in enumerate(rng.sample(active, count)):
        status = statuses[number % len(statuses)]
        upcoming = status in (ValueReviewStatus.PLANNED, ValueReviewStatus.PREPARED)
        scheduled = (
            today + timedelta(days=rng.randint(3, 50))
            if upcoming
            else today - timedelta(days=rng.randint(5, 300))
        )
        period_end = scheduled - timedelta(days=scheduled.day)
        period_start = (period_end - timedelta(days=85)).replace(day=1)
        signed = status == ValueReviewStatus.SIGNED_OFF
        rows.append(
            {
                "organization_id": organization_pk,
                "agreement_id": agreement_pk,
                "title": f"Value review: {title}"[:200],
                "period_start": period_start,
                "period_end": period_end,
                "scheduled_on": scheduled,
                "held_on": None if upcoming else scheduled,
                "status": status,
                "owner_id": owners[organization_pk],
                "sponsor_id": people[organization_pk][0],
                "participants": "Account owner, service manager, the customer's sponsor",
                "analysis": "{}",
                "comments": "" if upcoming else "Benefits on track; one target needs attention.",
                "decisions": "" if upcoming else "Keep the scope; revisit the response target next quarter.",
                "figures": "{}",
                "next_review_on": scheduled + timedelta(days=91),
                "signed_off_at": format_time(
                    datetime.combine(
                        scheduled + timedelta(days=5), datetime.min.time(), now.tzinfo
                    ).timestamp()
                )
                if signed
                else None,
                "signed_off_by_name": "The customer's sponsor" if signed else "",
                "sign_off_note": "",
                "sign_off_recorded_by_id": owners[organization_pk] if signed else None,
            }
        )
    before = ValueReview.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    insert_dicts(ValueReview, rows, now=stamp)
    pks = list(ValueReview.objects.filter(pk__gt=before).order_by("pk").values_list("pk", flat=True))
    benefits, targets, actions = [], [], []
    for pk, row in zip(pks, rows, strict=True):
        prepared = row["status"] != ValueReviewStatus.PLANNED
        held = row["held_on"] is not None
        for position, (description, expected) in enumerate(
            (("Downtime hours avoided", 120), ("Staff hours saved", 300))
        ):
            benefits.append(
                {
                    "review_id": pk,
                    "description": description,
                    "benefit_type": "outcome",
                    "indicator": description.lower(),
                    "expected": expected,
                    "realized": round(expected * rng.uniform(0.6, 1.2), 2) if held else None,
                    "position": position,
                }
            )
        if prepared:
            for position, (name, comparator, value) in enumerate(
                (("Availability", "gte", 99.5), ("Satisfaction", "gte", 4.2))
            ):
                targets.append(
                    {
                        "review_id": pk,
                        "name": name,
                        "kind": "warranty" if position == 0 else "experience",
                        "comparator": comparator,
                        "target_value": value,
                        "achieved": round(value * rng.uniform(0.95, 1.02), 4) if held else None,
                        "status": ("met" if rng.random() < 0.8 else "breached") if held else "",
                        "position": position,
                    }
                )
        if held:
            for _ in range(rng.randint(1, 2)):
                done = row["status"] == ValueReviewStatus.SIGNED_OFF and rng.random() < 0.6
                actions.append(
                    {
                        "review_id": pk,
                        "description": "Follow up the target that missed with the service team",
                        "owner_id": row["owner_id"],
                        "due_on": row["scheduled_on"] + timedelta(days=30),
                        "status": ReviewActionStatus.DONE if done else ReviewActionStatus.OPEN,
                        "done_at": stamp if done else None,
                    }
                )
    insert_dicts(ReviewBenefit, benefits, now=stamp)
    insert_dicts(ReviewTarget, targets, now=stamp)
    insert_dicts(ReviewAction, actions, now=stamp)
    return len(pks)
