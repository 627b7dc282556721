"""The e-mails Onboard sends on its own: a daily reminder to the owner of each action coming due or
overdue, and a weekly digest for each relationship manager of the plans on their accounts.

Both jobs may run twice, or twice at once (a retry, a second beat, a worker redelivering), and still
send one mail: each mail is first claimed by inserting its row (`ActionReminder` for an action and a
day, `RelationshipDigest` for a manager and a week, both unique) in a transaction of its own, and only
the run whose insert created the row sends. The claim is committed before the mail goes out, so a mail
server that accepted the message can never cause a second one; a send that fails deletes its claim
again, so the next run tries once more. One failing address does not hold up the others: the job goes
on and reports the first failure at the end.

A consumer's owner has no account: their reminder carries a fresh signed link
(onboarding.services.links) to mark the action done or comment on it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from journeys.roles import Role, remember_roles, remember_teams, role_names_subquery, team_ids_subquery
from journeys.selectors import organization_scope
from offerings.models import OwnerParty
from onboarding.models import (
    ActionLink,
    ActionReminder,
    ActionStatus,
    OnboardingPlan,
    PlanAction,
    PlanStatus,
    RelationshipDigest,
    ReminderKind,
)
from onboarding.services.links import link_issue

__all__ = ["action_reminders_send", "relationship_digests_send"]

logger = logging.getLogger(__name__)

OPEN_ACTION_STATUSES = (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS, ActionStatus.BLOCKED)
# Plans whose work is under way: a draft's dates are still being planned and a plan on hold is
# paused on purpose, so their owners are not chased.
WORKING_PLAN_STATUSES = (PlanStatus.ACCEPTED, PlanStatus.IN_PROGRESS)
OPEN_PLAN_STATUSES = tuple(status for status in PlanStatus if status.is_open)
# A digest lists at most this many actions per plan and kind; the plan page has the rest.
DIGEST_ACTIONS_PER_PLAN = 10


def _due_soon_days() -> int:
    return int(getattr(settings, "DSV_ONBOARDING_DUE_SOON_DAYS", 3))


def _absolute(path: str) -> str:
    base = (getattr(settings, "DSV_BASE_URL", "") or "").rstrip("/")
    return f"{base}{path}"


def _send(template: str, context: dict, to: str) -> None:
    message = EmailMultiAlternatives(
        subject=" ".join(render_to_string(f"emails/{template}/subject.txt", context).split()),
        body=render_to_string(f"emails/{template}/body.txt", context),
        to=[to],
    )
    message.attach_alternative(render_to_string(f"emails/{template}/body.html", context), "text/html")
    message.send()


# --- daily reminders --------------------------------------------------------------------------------

_PROVIDER_OWNER_REACHABLE = Q(
    owner_party=OwnerParty.PROVIDER, owner_user__is_active=True, owner_user__email__gt=""
)
_CONSUMER_OWNER_REACHABLE = Q(
    owner_party=OwnerParty.CONSUMER, owner_stakeholder__is_active=True, owner_stakeholder__email__gt=""
)


def _reminder_candidates(today: date) -> list[int]:
    """Open actions of working plans due by the horizon (or overdue) whose owner has an address and
    who have not been reminded today, soonest first."""
    return list(
        PlanAction.objects.filter(
            _PROVIDER_OWNER_REACHABLE | _CONSUMER_OWNER_REACHABLE,
            status__in=OPEN_ACTION_STATUSES,
            plan__status__in=WORKING_PLAN_STATUSES,
            due_on__lte=today + timedelta(days=_due_soon_days()),
        )
        .exclude(reminders__day=today)
        .order_by("due_on", "pk")
        .values_list("pk", flat=True)
    )


def _reminder_context(action: PlanAction, today: date) -> dict:
    plan = action.plan
    return {
        "action": action,
        "plan": plan,
        "organization": plan.organization,
        "contact": plan.owner,
        "due_on": action.due_on,
        "overdue": action.due_on < today,
        "days": abs((action.due_on - today).days),
    }


def _remind(action_id: int, today: date) -> bool:
    """Claim, then send, the day's reminder about one action. True when this run sent it."""
    action = (
        PlanAction.objects.select_related(
            "plan", "plan__organization", "plan__owner", "owner_user", "owner_stakeholder"
        )
        .filter(
            _PROVIDER_OWNER_REACHABLE | _CONSUMER_OWNER_REACHABLE,
            pk=action_id,
            status__in=OPEN_ACTION_STATUSES,
            plan__status__in=WORKING_PLAN_STATUSES,
        )
        .first()
    )
    if action is None:  # done, cancelled or handed over since the list was read
        return False
    consumer = action.owner_party == OwnerParty.CONSUMER
    person = action.owner_stakeholder if consumer else action.owner_user
    context = _reminder_context(action, today)
    with transaction.atomic():
        reminder, created = ActionReminder.objects.get_or_create(
            action=action,
            day=today,
            defaults={
                "kind": ReminderKind.OVERDUE if context["overdue"] else ReminderKind.DUE_SOON,
                "recipient": person.email,
            },
        )
    if not created:
        return False
    link = None
    try:
        if consumer:
            link, token = link_issue(action=action, stakeholder=person)
            context["link"] = _absolute(reverse("onboarding:action_link", args=[token]))
            context["link_expires_at"] = link.expires_at
            context["name"] = person.name
            _send("onboarding_action_due_consumer", context, person.email)
        else:
            context["link"] = _absolute(reverse("onboarding:plan_detail", args=[action.plan_id]))
            context["name"] = person.first_name or person.get_username()
            _send("onboarding_action_due", context, person.email)
    except Exception:
        # Nothing went out: free the day for the next run, and drop the link nobody received.
        with transaction.atomic():
            ActionReminder.objects.filter(pk=reminder.pk, sent_at__isnull=True).delete()
            if link is not None:
                ActionLink.objects.filter(pk=link.pk, used_at__isnull=True).delete()
        raise
    ActionReminder.objects.filter(pk=reminder.pk).update(sent_at=timezone.now())
    return True


def action_reminders_send(*, today: date | None = None) -> int:
    """E-mail the owner of every open action of a working plan (accepted or in progress) that
    is due within DSV_ONBOARDING_DUE_SOON_DAYS or overdue, at most once per action and day (see the
    module's docstring). Owners without an e-mail address are skipped. Returns how many were sent;
    raises the first failed send after trying all the others."""
    today = today or timezone.localdate()
    sent, failure = 0, None
    for action_id in _reminder_candidates(today):
        try:
            sent += _remind(action_id, today)
        except Exception as error:
            logger.exception("The reminder about onboarding action %s could not be sent.", action_id)
            failure = failure or error
    if failure is not None:
        raise failure
    return sent


# --- weekly digest ----------------------------------------------------------------------------------


@dataclass
class PlanDigest:
    plan: OnboardingPlan
    link: str
    overdue: list[PlanAction] = field(default_factory=list)
    due_this_week: list[PlanAction] = field(default_factory=list)
    overdue_count: int = 0
    due_this_week_count: int = 0

    @property
    def percent(self) -> int:
        return round(100 * self.plan.done_count / self.plan.action_count) if self.plan.action_count else 0


def _managers(week: date) -> list:
    """Active relationship managers with an address and no digest for the week yet, each with their
    roles and teams loaded (the account scope needs them)."""
    user_model = get_user_model()
    in_role = user_model.groups.through.objects.filter(group__name=Role.RELATIONSHIP_MANAGER)
    managers = list(
        user_model.objects.filter(is_active=True, email__gt="", pk__in=in_role.values("user_id"))
        .exclude(pk__in=RelationshipDigest.objects.filter(week=week).values("user_id"))
        .annotate(dsv_role_names=role_names_subquery(), dsv_team_ids=team_ids_subquery())
        .order_by("pk")
    )
    for manager in managers:
        remember_roles(manager, manager.dsv_role_names)
        remember_teams(manager, manager.dsv_team_ids)
    return managers


def _digest(manager, today: date, week_end: date) -> list[PlanDigest]:
    """The open plans of the manager's accounts with their progress, and their open actions that are
    overdue or due by the end of the week (two queries)."""
    plans = list(
        OnboardingPlan.objects.filter(
            organization__in=organization_scope(manager), status__in=OPEN_PLAN_STATUSES
        )
        .select_related("organization")
        .annotate(
            action_count=Count("actions", filter=~Q(actions__status=ActionStatus.CANCELLED)),
            done_count=Count("actions", filter=Q(actions__status=ActionStatus.DONE)),
        )
        .order_by("organization__name", "starts_on", "pk")
    )
    rows = {
        plan.pk: PlanDigest(plan=plan, link=_absolute(reverse("onboarding:plan_detail", args=[plan.pk])))
        for plan in plans
    }
    actions = PlanAction.objects.filter(
        plan__in=list(rows), status__in=OPEN_ACTION_STATUSES, due_on__lte=week_end
    ).select_related("owner_user", "owner_stakeholder")
    for action in actions.order_by("due_on", "pk"):
        row = rows[action.plan_id]
        if action.due_on < today:
            row.overdue_count += 1
            if len(row.overdue) < DIGEST_ACTIONS_PER_PLAN:
                row.overdue.append(action)
        else:
            row.due_this_week_count += 1
            if len(row.due_this_week) < DIGEST_ACTIONS_PER_PLAN:
                row.due_this_week.append(action)
    return list(rows.values())


def _send_digest(manager, week: date, today: date) -> bool:
    """Claim, then send, the manager's digest for the week. True when this run sent it."""
    week_end = week + timedelta(days=6)
    plans = _digest(manager, today, week_end)
    if not plans:
        return False
    with transaction.atomic():
        digest, created = RelationshipDigest.objects.get_or_create(user=manager, week=week)
    if not created:
        return False
    context = {
        "manager": manager,
        "name": manager.first_name or manager.get_username(),
        "week": week,
        "week_end": week_end,
        "today": today,
        "plans": plans,
        "overdue_count": sum(row.overdue_count for row in plans),
        "due_this_week_count": sum(row.due_this_week_count for row in plans),
        "board_link": _absolute(reverse("onboarding:board")),
    }
    try:
        _send("onboarding_weekly_digest", context, manager.email)
    except Exception:
        RelationshipDigest.objects.filter(pk=digest.pk, sent_at__isnull=True).delete()
        raise
    RelationshipDigest.objects.filter(pk=digest.pk).update(sent_at=timezone.now())
    return True


def relationship_digests_send(*, today: date | None = None) -> int:
    """E-mail each active relationship manager with an address, once per week (from its Monday), the
    open plans of the accounts they see with their progress, overdue actions and actions due by the
    week's end. Managers without an open plan get nothing. Returns how many were sent; raises the
    first failed send after trying all the others."""
    today = today or timezone.localdate()
    week = today - timedelta(days=today.weekday())
    sent, failure = 0, None
    for manager in _managers(week):
        try:
            sent += _send_digest(manager, week, today)
        except Exception as error:
            logger.exception("The weekly onboarding digest for user %s could not be sent.", manager.pk)
            failure = failure or error
    if failure is not None:
        raise failure
    return sent
