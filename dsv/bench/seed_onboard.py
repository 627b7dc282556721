"""Bench rows of the Onboard step (in proportion, BENCH.md: 3,000 plans at large, 120 at small): plans
over the consumers in proportion to their activity, most of them onboarding and about one in eight
offboarding, in every status; about twenty actions each, owned on both sides, with dependencies on
earlier actions and a few comments; two to four goals each; a history row per status a plan reached
and one per action. The bench manager's largest account gets one plan under way with a couple of
hundred actions: the plan page the bench measures.

An onboarding plan takes one of its account's active agreements (each agreement at most once, as the
services make them) and the playbook of that agreement's offering. Actions follow their due dates:
a plan under way has done the actions due before a recent day and has some overdue, so the plan page
and the board have overdue work to highlight. Rows go in with the raw bulk loader
(dsv.bench.bulk.insert_dicts).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import NamedTuple

from agreements.models import Agreement, AgreementStatus
from dsv.bench.bulk import insert_dicts
from offerings.models import OnboardingPlaybook, OwnerParty
from onboarding.models import (
    ActionArea,
    ActionComment,
    ActionDependency,
    ActionLink,
    ActionReminder,
    ActionStatus,
    ControlApproach,
    CustomerScenario,
    GoalEvaluation,
    OffboardingKind,
    OffboardingReason,
    OnboardingPlan,
    PlanAction,
    PlanGoal,
    PlanKind,
    PlanStatus,
    StartTrigger,
)

# Onboard tables, children first (the bench wipes them before the Agree tables they point at).
ONBOARD_MODELS = [
    ActionReminder,
    ActionLink,
    ActionComment,
    ActionDependency,
    PlanAction.history.model,
    PlanAction,
    PlanGoal,
    OnboardingPlan.offerings.through,
    OnboardingPlan.history.model,
    OnboardingPlan,
]

STATUS_WEIGHTS = {
    PlanStatus.DRAFT: 8,
    PlanStatus.IN_REVIEW: 6,
    PlanStatus.ACCEPTED: 5,
    PlanStatus.IN_PROGRESS: 40,
    PlanStatus.ON_HOLD: 4,
    PlanStatus.COMPLETED: 32,
    PlanStatus.CANCELLED: 5,
}
OFFBOARDING_SHARE = 0.12
# The statuses a plan went through to reach its own (offboarding skips the customer's review).
PATHS = {
    PlanStatus.DRAFT: (PlanStatus.DRAFT,),
    PlanStatus.IN_REVIEW: (PlanStatus.DRAFT, PlanStatus.IN_REVIEW),
    PlanStatus.ACCEPTED: (PlanStatus.DRAFT, PlanStatus.IN_REVIEW, PlanStatus.ACCEPTED),
    PlanStatus.IN_PROGRESS: (
        PlanStatus.DRAFT,
        PlanStatus.IN_REVIEW,
        PlanStatus.ACCEPTED,
        PlanStatus.IN_PROGRESS,
    ),
    PlanStatus.ON_HOLD: (
        PlanStatus.DRAFT,
        PlanStatus.IN_REVIEW,
        PlanStatus.ACCEPTED,
        PlanStatus.IN_PROGRESS,
        PlanStatus.ON_HOLD,
    ),
    PlanStatus.COMPLETED: (
        PlanStatus.DRAFT,
        PlanStatus.IN_REVIEW,
        PlanStatus.ACCEPTED,
        PlanStatus.IN_PROGRESS,
        PlanStatus.COMPLETED,
    ),
    PlanStatus.CANCELLED: (PlanStatus.DRAFT, PlanStatus.CANCELLED),
}
UNDER_WAY = (PlanStatus.IN_PROGRESS, PlanStatus.ON_HOLD)
NOT_STARTED = (PlanStatus.DRAFT, PlanStatus.IN_REVIEW, PlanStatus.ACCEPTED)
ACTIONS_PER_PLAN = (12, 28)  # about twenty
CONSUMER_SHARE = 0.35  # of actions owned by the consumer's people
COMMENT_SHARE = 0.06

ONBOARDING_ACTIONS = [
    ("Kick-off with the customer and the service owner", ActionArea.PEOPLE),
    ("Share the user list and the device inventory", ActionArea.TECHNOLOGY),
    ("Grant our engineers access to the consumer's systems", ActionArea.TECHNOLOGY),
    ("Connect the user directory", ActionArea.TECHNOLOGY),
    ("Migrate the data of the old service", ActionArea.TECHNOLOGY),
    ("Train the key users", ActionArea.PEOPLE),
    ("Adjust the request procedure to the new service", ActionArea.PROCESSES),
    ("Introduce the service desk to the users", ActionArea.PEOPLE),
    ("Switch over the next site", ActionArea.TECHNOLOGY),
    ("Confirm the site works as agreed", ActionArea.PROCESSES),
    ("End the old supplier's contract", ActionArea.PARTNERS),
    ("Review progress against the goals", ActionArea.PROCESSES),
]
OFFBOARDING_ACTIONS = [
    ("Tell the users when the service ends", ActionArea.COMMUNICATION),
    ("Remove the users' access", ActionArea.ACCESS_REMOVAL),
    ("Hand over the consumer's data", ActionArea.DATA_HANDOVER),
    ("Collect the devices and licences", ActionArea.EQUIPMENT_RETURN),
    ("Send the exit survey", ActionArea.EXIT_SURVEY),
    ("Write down the lessons learned", ActionArea.LESSONS_LEARNED),
]
GOALS = [
    ("All users working on the new service", "Users signed in at least once", "95 %"),
    ("Requests come in through the portal", "Share of requests raised in the portal", "60 %"),
    ("No disruption of the consumer's work", "Incidents caused by the change", "0"),
    ("The old contracts ended", "Supplier contracts still running", "0"),
    ("Users rate the start well", "Average score of the onboarding survey", "4 of 5"),
]
COMMENTS = [
    "Waiting for the consumer's change window.",
    "Done for the first site; the second follows next week.",
    "The user list had duplicates; a clean one is promised for Friday.",
    "Moved by a week at the customer's request.",
]


@dataclass(frozen=True)
class OnboardSeed:
    plans: int
    actions: int
    goals: int


class _Shape(NamedTuple):
    """What a plan row does not say but its goals, actions and history follow from."""

    status: str
    kind: str
    actions: int
    length: int  # days from its start to its planned end
    moments: list[datetime]  # when it reached each status of its path
    path: tuple[str, ...]
    largest: bool = False


def _split(total: int, weights: list[float], rng: random.Random) -> list[int]:
    """`total` items over the weights, each share rounded down, the remainder drawn by weight."""
    weight_sum = sum(weights) or 1.0
    counts = [int(total * weight / weight_sum) for weight in weights]
    for index in rng.choices(range(len(weights)), weights=weights, k=total - sum(counts)):
        counts[index] += 1
    return counts


def _at(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour), UTC)


def seed_onboard(
    *,
    rng: random.Random,
    now: datetime,
    stamp: object,
    consumers: list[tuple[int, float, int]],
    journeys: dict[int, int],
    people: dict[int, list[int]],
    plans: int,
    largest_plan_actions: int,
    manager_id: int,
    format_time,
) -> OnboardSeed:
    """`consumers`: (organization pk, activity weight, owner id); `journeys`: an organization's journey;
    `people`: its stakeholders, the customer contact first; `manager_id`: the bench manager, whose
    largest account gets the large plan; `stamp`: `now` as the loader writes it; `format_time`: seconds
    since the epoch → what the loader writes."""
    if not consumers or plans <= 0:
        return OnboardSeed(0, 0, 0)
    today = now.date()
    agreements = _agreements()
    playbook_of = dict(OnboardingPlaybook.objects.values_list("offering_id", "pk"))

    # Plans over the consumers by activity; the bench manager's largest account has one at least.
    per_consumer = _split(plans, [weight for _, weight, _ in consumers], rng)
    own = [index for index, (_, _, owner_id) in enumerate(consumers) if owner_id == manager_id]
    largest_index = max(own or range(len(consumers)), key=lambda index: consumers[index][1])
    if not per_consumer[largest_index]:
        donor = max(range(len(consumers)), key=lambda index: per_consumer[index])
        per_consumer[donor] -= 1
        per_consumer[largest_index] += 1

    statuses, status_weights = list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values())
    rows: list[dict] = []
    shapes: list[_Shape] = []
    for index, ((organization_pk, _weight, owner_id), count) in enumerate(
        zip(consumers, per_consumer, strict=True)
    ):
        contact = (people.get(organization_pk) or [None])[0]
        available = list(agreements.get(organization_pk, ()))
        for number in range(count):
            largest = index == largest_index and number == 0
            kind = (
                PlanKind.OFFBOARDING
                if not largest and rng.random() < OFFBOARDING_SHARE
                else PlanKind.ONBOARDING
            )
            status = PlanStatus.IN_PROGRESS if largest else rng.choices(statuses, weights=status_weights)[0]
            length = rng.randint(45, 120) if not largest else 240
            if status in NOT_STARTED:
                starts = today + timedelta(days=rng.randint(3, 60))
            elif status in UNDER_WAY:
                starts = today - timedelta(days=rng.randint(10, min(80, length - 5)))
            else:
                starts = today - timedelta(days=rng.randint(length + 10, 600))
            if largest:
                starts = today - timedelta(days=100)
            agreement_pk, offering_pk = (None, None)
            if kind == PlanKind.ONBOARDING and available:
                agreement_pk, offering_pk = available.pop(0)
            actions = largest_plan_actions if largest else rng.randint(*ACTIONS_PER_PLAN)
            path = PATHS[status]
            if kind == PlanKind.OFFBOARDING:
                path = tuple(step for step in path if step not in (PlanStatus.IN_REVIEW, PlanStatus.ACCEPTED))
                if status in (PlanStatus.IN_REVIEW, PlanStatus.ACCEPTED):
                    status, path = PlanStatus.DRAFT, (PlanStatus.DRAFT,)
            moments = _moments(path, starts, length, today)
            completed = moments[-1] if status == PlanStatus.COMPLETED else None
            accepted = kind == PlanKind.ONBOARDING and PlanStatus.ACCEPTED in path
            offboarding = kind == PlanKind.OFFBOARDING
            rows.append(
                {
                    "organization_id": organization_pk,
                    "journey_id": journeys.get(organization_pk),
                    "agreement_id": agreement_pk,
                    "playbook_id": playbook_of.get(offering_pk) if agreement_pk else None,
                    "kind": kind,
                    "title": f"{'Offboarding' if offboarding else 'Onboarding'} plan {number + 1}"
                    + (" (large)" if largest else ""),
                    "status": status,
                    "status_changed_at": format_time(moments[-1].timestamp()),
                    "starts_on": starts,
                    "ends_on": starts + timedelta(days=length),
                    "scenario": "" if offboarding else rng.choice(CustomerScenario.values),
                    "start_trigger": "" if offboarding else StartTrigger.AGREEMENT_REACHED,
                    "control_approach": rng.choice((ControlApproach.PROJECT, ControlApproach.NORMAL_CHANGE)),
                    "user_groups": "All staff",
                    "locations": "Head office and branches",
                    "user_count": rng.randint(20, 2_000),
                    "owner_id": owner_id,
                    "customer_contact_id": contact,
                    "accepted_at": format_time(moments[path.index(PlanStatus.ACCEPTED)].timestamp())
                    if accepted
                    else None,
                    "accepted_by_id": contact if accepted else None,
                    "completed_at": format_time(completed.timestamp()) if completed else None,
                    "offboarding_kind": rng.choice(OffboardingKind.values) if offboarding else "",
                    "reason": rng.choice(OffboardingReason.values) if offboarding else "",
                    "lessons_learned": "Start the data hand-over earlier."
                    if completed and offboarding
                    else "",
                }
            )
            shapes.append(_Shape(status, kind, actions, length, moments, path, largest))
    before = OnboardingPlan.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    insert_dicts(OnboardingPlan, rows, now=stamp)
    plan_pks = list(OnboardingPlan.objects.filter(pk__gt=before).order_by("pk").values_list("pk", flat=True))
    _plan_history(plan_pks, rows, shapes, format_time, stamp)
    insert_dicts(
        OnboardingPlan.offerings.through,
        [
            {"onboardingplan_id": pk, "serviceoffering_id": offering}
            for pk, row in zip(plan_pks, rows, strict=True)
            if (offering := _offering_of(row, agreements)) is not None
        ],
        now=stamp,
    )
    goal_count = _goals(rng, plan_pks, rows, shapes, stamp, format_time)
    action_count = _actions(rng, today, plan_pks, rows, shapes, people, stamp, format_time)
    return OnboardSeed(plans=len(plan_pks), actions=action_count, goals=goal_count)


def _agreements() -> dict[int, list[tuple[int, int | None]]]:
    """Each consumer's active agreements with (one of) their offerings, oldest first."""
    offering_of = {}
    for agreement_pk, offering_pk in Agreement.offerings.through.objects.order_by("pk").values_list(
        "agreement_id", "serviceoffering_id"
    ):
        offering_of.setdefault(agreement_pk, offering_pk)
    found: dict[int, list[tuple[int, int | None]]] = {}
    for pk, organization_pk in (
        Agreement.objects.filter(status=AgreementStatus.ACTIVE)
        .order_by("pk")
        .values_list("pk", "organization_id")
    ):
        found.setdefault(organization_pk, []).append((pk, offering_of.get(pk)))
    return found


def _offering_of(row: dict, agreements) -> int | None:
    for agreement_pk, offering_pk in agreements.get(row["organization_id"], ()):
        if agreement_pk == row["agreement_id"]:
            return offering_pk
    return None


def _moments(path, starts: date, length: int, today: date) -> list[datetime]:
    """When the plan reached each status of its path: planned before its start, under way from it,
    completed (or cancelled) near its end; never after today."""
    moments = []
    latest = _at(today, 8)
    for number, status in enumerate(path):
        if status == PlanStatus.DRAFT:
            day = starts - timedelta(days=21)
        elif status == PlanStatus.IN_REVIEW:
            day = starts - timedelta(days=14)
        elif status == PlanStatus.ACCEPTED:
            day = starts - timedelta(days=7)
        elif status == PlanStatus.IN_PROGRESS:
            day = starts
        elif status == PlanStatus.ON_HOLD:
            day = starts + timedelta(days=5)
        else:  # completed or cancelled
            day = starts + timedelta(days=length - 2)
        moment = min(_at(day, 9 + number), latest - timedelta(hours=len(path) - number))
        moments.append(moment)
    return moments


def _plan_history(plan_pks, rows, shapes, format_time, stamp) -> None:
    """A creation row and one row per status reached, as the services would have left them."""
    history = []
    for pk, row, shape in zip(plan_pks, rows, shapes, strict=True):
        for number, (step, moment) in enumerate(zip(shape.path, shape.moments, strict=True)):
            when = format_time(moment.timestamp())
            history.append(
                {
                    **row,
                    "id": pk,
                    "status": step,
                    "status_changed_at": when,
                    "created_at": stamp,
                    "history_date": when,
                    "history_type": "+" if number == 0 else "~",
                    "history_user_id": row["owner_id"],
                    "history_change_reason": None,
                }
            )
    insert_dicts(OnboardingPlan.history.model, history, now=stamp)


def _goals(rng, plan_pks, rows, shapes, stamp, format_time) -> int:
    goals = []
    for pk, row, shape in zip(plan_pks, rows, shapes, strict=True):
        status, moments = shape.status, shape.moments
        for position, (description, metric, target) in enumerate(rng.sample(GOALS, rng.randint(2, 4))):
            evaluation = GoalEvaluation.PENDING
            if status == PlanStatus.COMPLETED:
                evaluation = GoalEvaluation.ACHIEVED
            elif status in UNDER_WAY and rng.random() < 0.2:
                evaluation = GoalEvaluation.PARTIALLY
            evaluated = evaluation != GoalEvaluation.PENDING
            goals.append(
                {
                    "plan_id": pk,
                    "description": description,
                    "metric": metric,
                    "target": target,
                    "target_date": row["starts_on"] + timedelta(days=shape.length),
                    "evaluation": evaluation,
                    "result": target
                    if evaluation == GoalEvaluation.ACHIEVED
                    else ("Half way" if evaluated else ""),
                    "evaluated_at": format_time(moments[-1].timestamp()) if evaluated else None,
                    "evaluated_by_id": row["owner_id"] if evaluated else None,
                    "position": position,
                }
            )
    insert_dicts(PlanGoal, goals, now=stamp)
    return len(goals)


def _actions(rng, today: date, plan_pks, rows, shapes, people, stamp, format_time) -> int:
    """Actions spread over each plan's length in due-date order; those of a plan under way are done up
    to a recent day (a few days' slip: the rest due before today is overdue), all of a completed plan's
    are done, none of a plan not started."""
    random_ = rng.random
    action_rows, lengths = [], []
    for plan_pk, row, shape in zip(plan_pks, rows, shapes, strict=True):
        status, count, length, moments = shape.status, shape.actions, shape.length, shape.moments
        templates = OFFBOARDING_ACTIONS if shape.kind == PlanKind.OFFBOARDING else ONBOARDING_ACTIONS
        starts = row["starts_on"]
        consumer_people = people.get(row["organization_id"]) or []
        done_before = None
        if status == PlanStatus.COMPLETED:
            done_before = starts + timedelta(days=length + 1)
        elif status == PlanStatus.CANCELLED:
            done_before = moments[-1].date()
        elif status in UNDER_WAY:
            # The measured plan is a week behind, so its page has overdue actions to highlight.
            done_before = today - timedelta(days=7 if shape.largest else rng.randint(0, 10))
        stamp_done = format_time(moments[-1].timestamp()) if status == PlanStatus.COMPLETED else None
        for position in range(count):
            due = starts + timedelta(days=(length * position) // max(count, 1))
            title, area = templates[position % len(templates)]
            consumer = consumer_people and random_() < CONSUMER_SHARE
            action_status = ActionStatus.PLANNED
            completed = None
            if done_before is not None and due < done_before:
                action_status = ActionStatus.DONE
                completed = stamp_done or format_time(
                    _at(min(due, today - timedelta(days=1)), 15).timestamp()
                )
            elif status in UNDER_WAY and due < today + timedelta(days=7):
                action_status = rng.choice(
                    (ActionStatus.IN_PROGRESS, ActionStatus.PLANNED, ActionStatus.BLOCKED)
                )
            action_rows.append(
                {
                    "plan_id": plan_pk,
                    "title": f"{title} ({position + 1})",
                    "area": area,
                    "owner_party": OwnerParty.CONSUMER if consumer else OwnerParty.PROVIDER,
                    "owner_user_id": None if consumer else row["owner_id"],
                    "owner_stakeholder_id": rng.choice(consumer_people) if consumer else None,
                    "owner_role": "The customer's project lead" if consumer else "Our transition manager",
                    "due_on": due,
                    "status": action_status,
                    "completed_at": completed,
                    "completed_by_id": row["owner_id"] if completed else None,
                    "evidence": "Signed off in the weekly call." if completed else "",
                    "position": position,
                }
            )
        lengths.append(count)
    before = PlanAction.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    insert_dicts(PlanAction, action_rows, now=stamp)
    action_pks = list(PlanAction.objects.filter(pk__gt=before).order_by("pk").values_list("pk", flat=True))
    insert_dicts(
        PlanAction.history.model,
        [
            {**row, "id": pk, "history_date": stamp, "history_type": "+", "history_change_reason": None}
            for row, pk in zip(action_rows, action_pks, strict=True)
        ],
        now=stamp,
    )

    # Dependencies on earlier actions of the same plan only (no circle; done ones wait for done ones),
    # and a few comments.
    dependencies, comments = [], []
    offset = 0
    for count, shape in zip(lengths, shapes, strict=True):
        pks = action_pks[offset : offset + count]
        offset += count
        for position in range(1, count):
            waits = set()
            if random_() < 0.35:
                waits.add(position - 1)
            if position >= 2 and random_() < 0.15:
                waits.add(position - rng.randint(2, min(5, position)))
            dependencies.extend({"action_id": pks[position], "depends_on_id": pks[other]} for other in waits)
        if shape.status in NOT_STARTED:
            continue
        for position in range(count):
            if random_() < COMMENT_SHARE:
                # By the action's owner: one of ours, or the consumer's person through their link.
                row = action_rows[offset - count + position]
                comments.append(
                    {
                        "action_id": pks[position],
                        "body": rng.choice(COMMENTS),
                        "author_user_id": row["owner_user_id"],
                        "author_stakeholder_id": row["owner_stakeholder_id"],
                    }
                )
    insert_dicts(ActionDependency, dependencies, now=stamp)
    insert_dicts(ActionComment, comments, now=stamp)
    return len(action_pks)
