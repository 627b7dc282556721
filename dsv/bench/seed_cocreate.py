"""Bench rows of the Co-create step, in proportion (BENCH.md: at large 50,000 requests, 20,000 pieces
of feedback, 2,000 moment reviews, 1,000 communities with about 10,000 members; a fiftieth of that at
small): requests over the consumers in proportion to their activity, most of them closed long ago and
about one in twenty open (new, in progress, waiting on the customer), with their history, their pauses
and their SLA clocks (about 2 % breached, some close to their limit, those waiting on the customer
paused); feedback on the complaint, compliment and feedback touchpoints in every state of its
handling; reviews of moments of truth; user communities with members and super-users, most of whom
have a back-up.

Clocks are written as rows, not through the services (a service call per request would take hours at
large): their instants follow a round-the-clock count, which is what the services compute for a
round-the-clock calendar. A response clock points at its account's response target when an active
agreement has one (the resolution clock at none). Past warnings and breaches are recorded as notified,
so the clock check sends nothing when a bench database is opened in the app, and no measurement is
added (the Agree rows keep their scale's exact count). Rows go in with the raw bulk loader
(dsv.bench.bulk.insert_dicts).
"""

from __future__ import annotations

import bisect
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from agreements.models import Agreement, AgreementStatus, ServiceLevelTarget
from cocreation.models import (
    ClockState,
    CommunityMember,
    CommunityOrigin,
    Feedback,
    FeedbackKind,
    FeedbackSource,
    FeedbackStatus,
    MemberRole,
    MomentPolarity,
    MomentReview,
    PauseReason,
    RequestClock,
    RequestKind,
    RequestPause,
    RequestStatus,
    RequestUpdate,
    ServiceRequest,
    SuperUserActivity,
    UserCommunity,
)
from dsv.bench.bulk import insert_dicts
from journeys.models import Channel, JourneyStep, Touchpoint, TouchpointKind

# Co-create tables, children first (the bench wipes them before the spine tables they point at).
COCREATE_MODELS = [
    CommunityMember,
    UserCommunity,
    MomentReview,
    Feedback,
    RequestClock,
    RequestPause,
    RequestUpdate,
    ServiceRequest,
]


@dataclass(frozen=True)
class CoCreateScale:
    requests: int
    feedback: int
    reviews: int
    communities: int
    members: int  # about; an account with few people gives its community fewer


SCALES = {
    "tiny": CoCreateScale(requests=400, feedback=120, reviews=20, communities=8, members=60),
    "small": CoCreateScale(requests=1_000, feedback=400, reviews=40, communities=20, members=200),
    "large": CoCreateScale(
        requests=50_000, feedback=20_000, reviews=2_000, communities=1_000, members=10_000
    ),
}


def scale_of(name: str) -> CoCreateScale:
    return SCALES.get(name, SCALES["small"])


@dataclass(frozen=True)
class CoCreateSeed:
    requests: int
    clocks: int
    updates: int
    feedback: int
    reviews: int
    communities: int
    members: int


OPEN_SHARE = 0.05
BREACH_SHARE = 0.02
OPEN_STATUS_WEIGHTS = {RequestStatus.NEW: 30, RequestStatus.IN_PROGRESS: 45, RequestStatus.WAITING: 25}
CLOSED_STATUS_WEIGHTS = {RequestStatus.RESOLVED: 15, RequestStatus.CLOSED: 85}
KIND_WEIGHTS = {
    RequestKind.QUERY: 35,
    RequestKind.SERVICE_REQUEST: 30,
    RequestKind.INCIDENT: 25,
    RequestKind.COMPLAINT: 6,
    RequestKind.COMPLIMENT: 4,
}
CHANNELS = [Channel.TELEPHONE, Channel.EMAIL, Channel.PORTAL, Channel.CHAT]
RESPONSE_LIMIT = 3_600  # one hour
RESOLUTION_LIMIT = 8 * 3_600
WARNING_PERCENT = 75
HOUR, DAY = 3_600.0, 86_400.0
TITLES = {
    RequestKind.QUERY: ["How do I reset my password?", "Where do I find last month's invoices?"],
    RequestKind.SERVICE_REQUEST: ["New laptop for a starter", "Access to the shared drive", "Extra licence"],
    RequestKind.INCIDENT: ["Printer does not print", "Cannot reach the portal", "Scanner does not sync"],
    RequestKind.COMPLAINT: ["Waited too long on the phone", "The fix did not hold"],
    RequestKind.COMPLIMENT: ["Thanks for the quick help", "Great work on the move"],
}
FEEDBACK_KIND = {
    TouchpointKind.COMPLAINT: (FeedbackKind.COMPLAINT,),
    TouchpointKind.COMPLIMENT: (FeedbackKind.COMPLIMENT,),
    TouchpointKind.FEEDBACK: (FeedbackKind.SUGGESTION, FeedbackKind.COMMENT),
}
FEEDBACK_STATUS_WEIGHTS = {
    FeedbackStatus.RECEIVED: 10,
    FeedbackStatus.ACKNOWLEDGED: 15,
    FeedbackStatus.RESPONDED: 15,
    FeedbackStatus.CLOSED: 60,
}
FEEDBACK_TEXTS = {
    FeedbackKind.COMPLAINT: "It took three calls before anyone looked at it.",
    FeedbackKind.COMPLIMENT: "The engineer was quick and friendly.",
    FeedbackKind.SUGGESTION: "A short guide for new starters would help.",
    FeedbackKind.COMMENT: "The new portal layout takes some getting used to.",
}
STEPS = list(JourneyStep)


def _clock(kind: str, started: float, limit: int, *, stopped: float | None, now: float, paused_at=None):
    """One clock as (values without request and target): round the clock, paused from `paused_at` on
    (the request waits on the customer) when given."""
    warning = max(min(-(-limit * WARNING_PERCENT // 100), limit), 1)
    end = stopped if stopped is not None else (paused_at if paused_at is not None else now)
    elapsed = max(int(end - started), 0)
    breached = elapsed > limit
    due, warn = started + limit, started + warning
    state = ClockState.RUNNING
    if breached:
        state = ClockState.BREACHED
    elif stopped is not None:
        state = ClockState.MET
    elif paused_at is not None:
        state = ClockState.PAUSED
    elif elapsed >= warning:
        state = ClockState.WARNING
    paused = paused_at is not None and stopped is None and not breached
    return {
        "kind": kind,
        "limit_seconds": limit,
        "warning_seconds": warning,
        "started_at": started,
        "due_at": None if paused else due,
        "warning_at": None if paused else warn,
        "stopped_at": stopped,
        "elapsed_seconds": elapsed,
        "state": state,
        "breached_at": due if breached else None,
        # The past's notifications were sent when they fell due.
        "warning_notified_at": warn if (elapsed >= warning and (stopped is None or breached)) else None,
        "breach_notified_at": due if breached else None,
    }


def seed_cocreate(
    *,
    rng: random.Random,
    now: datetime,
    stamp: object,
    scale: CoCreateScale,
    consumers: list[tuple[int, float, int]],
    journeys: dict[int, int],
    people: dict[int, list[int]],
    desk_id: int,
    manager_id: int,
    format_time,
) -> CoCreateSeed:
    """`consumers`: (organization pk, activity weight, owner id); `journeys`: an organization's journey;
    `people`: its stakeholders; `desk_id`: the bench desk agent; `manager_id`: the bench manager, whose
    largest account with an agreement gets requests in every status (the request pages the bench
    measures); `stamp`: `now` as the loader writes it; `format_time`: seconds since the epoch → what
    the loader writes."""
    if not consumers or scale.requests <= 0:
        return CoCreateSeed(0, 0, 0, 0, 0, 0, 0)
    requests, clocks, updates = _requests(
        rng, now, stamp, scale, consumers, journeys, people, desk_id, manager_id, format_time
    )
    feedback = _feedback(rng, now, stamp, scale, consumers, format_time)
    reviews = _reviews(rng, now, stamp, scale, consumers, format_time)
    communities, members = _communities(rng, now, stamp, scale, consumers, people)
    return CoCreateSeed(requests, clocks, updates, feedback, reviews, communities, members)


def _agreements() -> dict[int, tuple[int, int | None]]:
    """Each consumer's first active agreement, with its response target when it has one."""
    found: dict[int, tuple[int, int | None]] = {}
    targets = dict(
        ServiceLevelTarget.objects.filter(agreement__status=AgreementStatus.ACTIVE, clock="response")
        .order_by("-pk")
        .values_list("agreement_id", "pk")
    )
    for pk, organization_pk in (
        Agreement.objects.filter(status=AgreementStatus.ACTIVE)
        .order_by("pk")
        .values_list("pk", "organization_id")
    ):
        if organization_pk not in found or (found[organization_pk][1] is None and pk in targets):
            found[organization_pk] = (pk, targets.get(pk))
    return found


def _featured(consumers, agreements, manager_id) -> int | None:
    """The bench manager's largest account with an active agreement (one with a response target
    first; without any, their largest account): its requests are the ones the bench's request pages
    show."""
    own = [index for index, (pk, _, owner_id) in enumerate(consumers) if owner_id == manager_id]
    timed = [index for index in own if consumers[index][0] in agreements]
    with_target = [index for index in timed if agreements[consumers[index][0]][1] is not None]
    candidates = with_target or timed or own
    return max(candidates, key=lambda index: consumers[index][1]) if candidates else None


def _requests(rng, now, stamp, scale, consumers, journeys, people, desk_id, manager_id, format_time):
    random_ = rng.random
    now_s = now.timestamp()
    agreements = _agreements()
    featured = _featured(consumers, agreements, manager_id)
    # Its first requests go through every status (the rest are drawn like any account's).
    featured_statuses = [*OPEN_STATUS_WEIGHTS, RequestStatus.IN_PROGRESS, *CLOSED_STATUS_WEIGHTS]
    if featured is None:
        featured_statuses = []
    cumulative, running = [], 0.0
    for _, weight, _ in consumers:
        running += weight
        cumulative.append(running)
    kinds, kind_weights = list(KIND_WEIGHTS), list(KIND_WEIGHTS.values())
    open_statuses, open_weights = list(OPEN_STATUS_WEIGHTS), list(OPEN_STATUS_WEIGHTS.values())
    closed_statuses, closed_weights = list(CLOSED_STATUS_WEIGHTS), list(CLOSED_STATUS_WEIGHTS.values())
    rows, stories = [], []
    for number in range(scale.requests):
        forced = featured_statuses[number] if number < len(featured_statuses) else None
        index = featured if forced else bisect.bisect_left(cumulative, random_() * running)
        organization_pk, _, owner_id = consumers[index]
        kind = rng.choices(kinds, weights=kind_weights)[0]
        impact, urgency = rng.randint(1, 3), rng.randint(1, 3)
        late = random_() < BREACH_SHARE
        responded = resolved = closed = paused_at = None
        if forced in OPEN_STATUS_WEIGHTS or (forced is None and random_() < OPEN_SHARE):
            status = forced or rng.choices(open_statuses, weights=open_weights)[0]
            if status == RequestStatus.NEW:
                opened = now_s - rng.uniform(0.05 * HOUR, (4 if late else 0.9) * HOUR)
            else:
                opened = now_s - rng.uniform(0.5 * HOUR, (30 if late else 7.5) * HOUR)
                responded = opened + rng.uniform(60, 0.5 * HOUR)
                if status == RequestStatus.WAITING:
                    paused_at = responded + rng.uniform(0.1, 0.8) * (now_s - responded)
        else:
            status = forced or rng.choices(closed_statuses, weights=closed_weights)[0]
            opened = now_s - rng.uniform(3 * DAY, 365 * DAY)
            breach = rng.choice(("response", "resolution")) if late else ""
            responded = opened + (
                rng.uniform(1.05, 4) * HOUR if breach == "response" else rng.uniform(60, 0.8 * HOUR)
            )
            resolved = responded + (
                rng.uniform(8.5, 30) * HOUR
                if breach == "resolution"
                else rng.uniform(0.1, 0.8) * (opened + 7.9 * HOUR - responded)
            )
            resolved = max(resolved, responded + 60)
            if status == RequestStatus.CLOSED:
                closed = min(resolved + rng.uniform(0.5, 5) * DAY, now_s - 60)
        agreement_pk, target_pk = agreements.get(organization_pk, (None, None))
        assignee = (
            None
            if status == RequestStatus.NEW and random_() < 0.4
            else (desk_id if random_() < 0.7 else owner_id)
        )
        persons = people.get(organization_pk) or []
        rows.append(
            {
                "organization_id": organization_pk,
                "journey_id": journeys.get(organization_pk),
                "requester_id": rng.choice(persons) if persons else None,
                "agreement_id": agreement_pk,
                "step": rng.choice(
                    (JourneyStep.CO_CREATE, JourneyStep.CO_CREATE, JourneyStep.REALIZE, JourneyStep.ONBOARD)
                ),
                "kind": kind,
                "title": f"{rng.choice(TITLES[kind])} ({number + 1})",
                "description": "",
                "channel": rng.choice(CHANNELS),
                "impact": impact,
                "urgency": urgency,
                "priority": impact + urgency - 1,
                "status": status,
                "assignee_id": assignee,
                "opened_at": format_time(opened),
                "responded_at": format_time(responded) if responded else None,
                "resolved_at": format_time(resolved) if resolved else None,
                "closed_at": format_time(closed) if closed else None,
                "resolution": "Fixed and confirmed with the user." if resolved else "",
                "created_by_id": desk_id,
            }
        )
        stories.append(
            (status, opened, responded, paused_at, resolved, closed, target_pk, assignee or desk_id)
        )
    before = ServiceRequest.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    insert_dicts(ServiceRequest, rows, now=stamp)
    pks = list(ServiceRequest.objects.filter(pk__gt=before).order_by("pk").values_list("pk", flat=True))

    clocks, updates, pauses = [], [], []
    for pk, row, (_status, opened, responded, paused_at, resolved, closed, target_pk, author) in zip(
        pks, rows, stories, strict=True
    ):
        history = [(opened, "", RequestStatus.NEW, "Opened.")]
        if responded is not None:
            history.append((responded, RequestStatus.NEW, RequestStatus.IN_PROGRESS, ""))
        if paused_at is not None:
            history.append(
                (paused_at, RequestStatus.IN_PROGRESS, RequestStatus.WAITING, "Asked the user for details.")
            )
            pauses.append(
                {"request_id": pk, "reason": PauseReason.WAITING, "started_at": format_time(paused_at)}
            )
        if resolved is not None:
            history.append((resolved, RequestStatus.IN_PROGRESS, RequestStatus.RESOLVED, row["resolution"]))
            pauses.append(
                {
                    "request_id": pk,
                    "reason": PauseReason.RESOLVED,
                    "started_at": format_time(resolved),
                    "ended_at": format_time(closed) if closed else None,
                }
            )
        if closed is not None:
            history.append((closed, RequestStatus.RESOLVED, RequestStatus.CLOSED, ""))
            pauses.append(
                {"request_id": pk, "reason": PauseReason.RESOLVED, "started_at": format_time(closed)}
            )
        updates.extend(
            {
                "request_id": pk,
                "occurred_at": format_time(moment),
                "author_id": author,
                "from_status": from_status,
                "to_status": to_status,
                "note": note,
            }
            for moment, from_status, to_status, note in history
        )
        if row["agreement_id"] is None:
            continue
        for kind, limit, stopped, target in (
            ("response", RESPONSE_LIMIT, responded, target_pk),
            ("resolution", RESOLUTION_LIMIT, resolved, None),
        ):
            values = _clock(
                kind,
                opened,
                limit,
                stopped=stopped,
                now=now_s,
                paused_at=paused_at if kind == "resolution" else None,
            )
            clocks.append(
                {
                    **{
                        key: format_time(value) if key.endswith("_at") and value is not None else value
                        for key, value in values.items()
                    },
                    "request_id": pk,
                    "target_id": target,
                }
            )
    insert_dicts(RequestUpdate, updates, now=stamp)
    insert_dicts(RequestPause, pauses, now=stamp)
    insert_dicts(RequestClock, clocks, now=stamp)
    return len(pks), len(clocks), len(updates)


def _feedback(rng, now, stamp, scale, consumers, format_time) -> int:
    """Feedback on complaint, compliment and feedback touchpoints of the consumers, with their
    sentiment and person; some anonymous."""
    owners = {pk: owner_id for pk, _, owner_id in consumers}
    candidates = list(
        Touchpoint.objects.filter(kind__in=list(FEEDBACK_KIND), organization_id__in=list(owners))
        .order_by("pk")
        .values_list("pk", "organization_id", "kind", "sentiment", "stakeholder_id", "occurred_at")
    )
    chosen = rng.sample(candidates, min(scale.feedback, len(candidates)))
    now_s = now.timestamp()
    statuses, weights = list(FEEDBACK_STATUS_WEIGHTS), list(FEEDBACK_STATUS_WEIGHTS.values())
    sources = list(FeedbackSource.values)
    rows = []
    for touchpoint_pk, organization_pk, touchpoint_kind, sentiment, stakeholder_pk, occurred in chosen:
        kind = rng.choice(FEEDBACK_KIND[touchpoint_kind])
        status = rng.choices(statuses, weights=weights)[0]
        received = occurred.timestamp()
        anonymous = rng.random() < 0.05
        reached = statuses.index(status)
        acknowledged = min(received + rng.uniform(0.2, 24) * HOUR, now_s) if reached >= 1 else None
        responded = min(acknowledged + rng.uniform(1, 72) * HOUR, now_s) if reached >= 2 else None
        closed = min(responded + rng.uniform(1, 96) * HOUR, now_s) if reached >= 3 else None
        rows.append(
            {
                "organization_id": organization_pk,
                "touchpoint_id": touchpoint_pk,
                "stakeholder_id": None if anonymous else stakeholder_pk,
                "kind": kind,
                "source": rng.choice(sources),
                "anonymous": anonymous,
                "sentiment": sentiment,
                "text": FEEDBACK_TEXTS[kind],
                "status": status,
                "received_at": format_time(received),
                "acknowledged_by_id": owners[organization_pk] if acknowledged else None,
                "acknowledged_at": format_time(acknowledged) if acknowledged else None,
                "response": "Thank you; we have passed it on and will follow up." if responded else "",
                "responded_at": format_time(responded) if responded else None,
                "closed_at": format_time(closed) if closed else None,
                "created_by_id": owners[organization_pk],
            }
        )
    insert_dicts(Feedback, rows, now=stamp)
    return len(rows)


def _reviews(rng, now, stamp, scale, consumers, format_time) -> int:
    owners = {pk: owner_id for pk, _, owner_id in consumers}
    moments = list(
        Touchpoint.objects.filter(moment_of_truth=True, organization_id__in=list(owners))
        .order_by("pk")
        .values_list("pk", "organization_id", "sentiment", "occurred_at")
    )
    now_s = now.timestamp()
    rows = []
    for touchpoint_pk, organization_pk, sentiment, occurred in rng.sample(
        moments, min(scale.reviews, len(moments))
    ):
        negative = sentiment < 0
        rows.append(
            {
                "touchpoint_id": touchpoint_pk,
                "polarity": MomentPolarity.NEGATIVE if negative else MomentPolarity.POSITIVE,
                "recovered": rng.choices((True, False, None), weights=(6, 3, 1))[0] if negative else None,
                "notes": "Talked it through with the account team.",
                "follow_up": "Share it at the next review." if negative else "",
                "reviewed_by_id": owners[organization_pk],
                "reviewed_at": format_time(min(occurred.timestamp() + rng.uniform(1, 10) * DAY, now_s)),
            }
        )
    insert_dicts(MomentReview, rows, now=stamp)
    return len(rows)


def _communities(rng, now, stamp, scale, consumers, people) -> tuple[int, int]:
    """Communities on the accounts with people, the larger accounts first in the draw; about
    `scale.members` members over them, one or two super-users each, most with a back-up."""
    with_people = [(pk, weight) for pk, weight, _ in consumers if len(people.get(pk) or ()) >= 2]
    if not with_people or scale.communities <= 0:
        return 0, 0
    chosen = rng.choices(with_people, weights=[weight for _, weight in with_people], k=scale.communities)
    numbers: dict[int, int] = {}
    rows = []
    for organization_pk, _ in chosen:
        numbers[organization_pk] = numbers.get(organization_pk, 0) + 1
        rows.append(
            {
                "organization_id": organization_pk,
                "name": f"User community {numbers[organization_pk]}",
                "origin": rng.choice(CommunityOrigin.values),
                "platform": "A forum",
                "language": "English",
                "is_open": rng.random() < 0.7,
            }
        )
    before = UserCommunity.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    insert_dicts(UserCommunity, rows, now=stamp)
    community_pks = list(
        UserCommunity.objects.filter(pk__gt=before).order_by("pk").values_list("pk", flat=True)
    )
    per_community = max(2, scale.members // scale.communities)
    today = now.date()
    activities = list(SuperUserActivity.values)
    super_roles = (MemberRole.SUPER_USER, MemberRole.SUPER_USER, MemberRole.GURU, MemberRole.MODERATOR)
    members, super_users = [], []  # super_users: (index in members, community pk)
    for community_pk, row in zip(community_pks, rows, strict=True):
        persons = people[row["organization_id"]]
        picked = rng.sample(persons, min(per_community, len(persons)))
        leaders = 1 if len(picked) < 6 else 2
        for position, person in enumerate(picked):
            leader = position < leaders
            if leader:
                super_users.append((len(members), community_pk))
            members.append(
                {
                    "community_id": community_pk,
                    "stakeholder_id": person,
                    "role": rng.choice(super_roles) if leader else MemberRole.MEMBER,
                    "activities": rng.sample(activities, rng.randint(1, 3)) if leader else [],
                    "time_allocation_pct": rng.choice((5, 10, 20, 30)) if leader else None,
                    "joined_on": today - timedelta(days=rng.randint(10, 700)),
                    "notes": "",
                }
            )
    before = CommunityMember.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    insert_dicts(
        CommunityMember,
        [{**member, "activities": _json(member["activities"])} for member in members],
        now=stamp,
    )
    member_pks = list(
        CommunityMember.objects.filter(pk__gt=before).order_by("pk").values_list("pk", flat=True)
    )
    # A back-up for most super-users: the member after them in their community.
    backups = []
    for index, community_pk in super_users:
        following = index + 1
        if (
            following < len(members)
            and members[following]["community_id"] == community_pk
            and rng.random() < 0.85
        ):
            backups.append(CommunityMember(pk=member_pks[index], backup_id=member_pks[following]))
    CommunityMember.objects.bulk_update(backups, ["backup"], batch_size=1_000)
    return len(community_pks), len(member_pks)


def _json(values: list[str]) -> str:
    """A JSON list as the raw loader writes it (text into the JSON column)."""
    return "[" + ", ".join(f'"{value}"' for value in values) + "]"
