"""Reads of Onboard: plans, their goals and actions, the plan's page and the account's plans.

Plans belong to their account: exactly those who may see the organization see them (404 otherwise).
Lists annotate each plan's progress with correlated subqueries (`with_progress`), so they cost the
same number of queries whatever the number of plans and actions; the database only counts the rows of
the plans shown. The plan's page reads a fixed number of queries whatever the plan's size: its
progress (conditional counts), goals, actions with their owners, the actions they wait for, the
latest comments of each (a window function keeps a few per action), and the change history (the
plan's and its actions' newest historical records, each with the record before it found by a
correlated subquery in the same query, so no record needs a second look).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import cache

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import (
    Count,
    DateField,
    IntegerField,
    Q,
    QuerySet,
)
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.utils import timezone

from journeys import roles
from journeys.html import day_text
from journeys.models import Organization
from journeys.selectors import organization_is_visible, organization_scope
from journeys.sql import as_day as _day
from journeys.sql import as_decimal as _decimal
from journeys.sql import as_moment as _moment
from journeys.sql import fetch as _select
from offerings.models import OnboardingPlaybook, OwnerParty
from onboarding.models import (
    PLAN_TRANSITIONS,
    ActionComment,
    ActionDependency,
    ActionStatus,
    OnboardingPlan,
    PlanAction,
    PlanGoal,
    PlanKind,
    PlanStatus,
)

__all__ = [
    "CLOSED_ACTION_STATUSES",
    "COMMENTS_SHOWN",
    "FINAL_PLAN_STATUSES",
    "HISTORY_LIMIT",
    "PAGE_HISTORY_LIMIT",
    "ActionRow",
    "ActionView",
    "FieldChange",
    "HistoryEntry",
    "PlanPage",
    "PlaybookChoice",
    "Progress",
    "account_onboarding_panel",
    "account_plans",
    "action_get",
    "action_row",
    "goal_get",
    "person_name",
    "plan_get",
    "plan_get_for_page",
    "plan_history",
    "plan_moves",
    "plan_page",
    "plan_playbook_choices",
    "plan_progress",
    "plan_scope",
    "with_progress",
]

HISTORY_LIMIT = 50
# The plan's page shows the newest changes only; older ones stay recorded.
PAGE_HISTORY_LIMIT = 20
# The latest comments each action shows on the plan's page (the count says how many there are).
COMMENTS_SHOWN = 3
CLOSED_ACTION_STATUSES = (ActionStatus.DONE, ActionStatus.CANCELLED)

FINAL_PLAN_STATUSES = (PlanStatus.COMPLETED, PlanStatus.CANCELLED)


def person_name(first: str | None, last: str | None, username: str | None) -> str:
    return f"{first or ''} {last or ''}".strip() or (username or "")


# --- scope and single objects -----------------------------------------------------------------------


def plan_scope(user) -> QuerySet[OnboardingPlan]:
    """The plans of the organizations the user may see."""
    if roles.sees_whole_portfolio(user):
        return OnboardingPlan.objects.all()
    return OnboardingPlan.objects.filter(organization__in=organization_scope(user))


def plan_get(*, user, pk: int) -> OnboardingPlan:
    """One plan with its account, journey, agreement, playbook and the people it names; 404 for a plan
    the user may not see."""
    try:
        plan = OnboardingPlan.objects.select_related(
            "organization", "owner", "customer_contact", "accepted_by", "journey", "agreement", "playbook"
        ).get(pk=pk)
    except OnboardingPlan.DoesNotExist:
        raise Http404("No such plan.") from None
    if not organization_is_visible(user, plan.organization):
        raise Http404("No such plan.")
    return plan


@cache
def _page_names_sql(vendor: str) -> dict[str, str]:
    """The names the plan's page shows of the plan's agreement, playbook, journey and accepting person,
    as scalar subqueries over our own tables (`vendor` is the cache key: quoting differs). Joining
    those four tables as well makes PostgreSQL spend longer planning the join than running it."""
    from agreements.models import Agreement
    from journeys.models import Journey, Stakeholder

    quote = connection.ops.quote_name
    plan = quote(OnboardingPlan._meta.db_table)

    def named(model, column: str, key: str) -> str:
        table = quote(model._meta.db_table)
        return f"SELECT t.{quote(column)} FROM {table} t WHERE t.{quote('id')} = {plan}.{quote(key)}"  # noqa: S608 - names only

    return {
        "agreement_title": named(Agreement, "title", "agreement_id"),
        "playbook_name": named(OnboardingPlaybook, "name", "playbook_id"),
        "journey_name": named(Journey, "name", "journey_id"),
        "journey_step": named(Journey, "current_step", "journey_id"),
        "accepted_by_name": named(Stakeholder, "name", "accepted_by_id"),
    }


class _Loaded:
    """How one model's row is read from the plan's page query: its columns and their converters (as
    the ORM applies them), so instances are built without compiling a query per request."""

    def __init__(self, model, alias: str):
        self.model = model
        fields = model._meta.concrete_fields
        self.attnames = [spec.attname for spec in fields]
        quote = connection.ops.quote_name
        self.columns = [f"{alias}.{quote(spec.column)}" for spec in fields]
        self.converters = []
        for index, spec in enumerate(fields):
            expression = spec.get_col(alias)
            found = connection.ops.get_db_converters(expression) + spec.get_db_converters(connection)
            if found:
                self.converters.append((index, expression, found))

    def build(self, values: list):
        for index, expression, converters in self.converters:
            for converter in converters:
                values[index] = converter(values[index], expression, connection)
        return self.model.from_db(connection.alias, self.attnames, values)


@cache
def _plan_page_query(vendor: str) -> tuple[str, tuple[_Loaded, ...], tuple[str, ...]]:
    """The plan's page's read of the plan with its account, owner and customer contact (LEFT JOINs)
    and the names of `_page_names_sql`, as SQL once per database kind (`vendor` is the cache key)."""
    from journeys.models import Stakeholder

    quote = connection.ops.quote_name
    plan_table = quote(OnboardingPlan._meta.db_table)
    loaded = (
        _Loaded(OnboardingPlan, plan_table),
        _Loaded(Organization, "o"),
        _Loaded(get_user_model(), "u"),
        _Loaded(Stakeholder, "s"),
    )
    names = _page_names_sql(vendor)
    columns = ", ".join(column for part in loaded for column in part.columns)
    named = ", ".join(f"({query})" for query in names.values())
    pk = quote("id")
    sql = (
        f"SELECT {columns}, {named} FROM {plan_table}"  # noqa: S608 - names only
        f" JOIN {_table(Organization)} o ON o.{pk} = {plan_table}.{_column(OnboardingPlan, 'organization')}"
        f" LEFT JOIN {_table(get_user_model())} u ON u.{pk} = {plan_table}.{_column(OnboardingPlan, 'owner')}"
        f" LEFT JOIN {_table(Stakeholder)} s"
        f" ON s.{pk} = {plan_table}.{_column(OnboardingPlan, 'customer_contact')}"
        f" WHERE {plan_table}.{pk} = %s"
    )
    return sql, loaded, tuple(names)


def plan_get_for_page(*, user, pk: int) -> OnboardingPlan:
    """The plan as its page shows it: with its account and the people it names, and the names of its
    agreement, playbook, journey (and its step) and of who accepted it (`agreement_title`,
    `playbook_name`, `journey_name`, `journey_step`, `accepted_by_name`); 404 for a plan the user may
    not see. The related objects themselves are not loaded. One query, written once: compiling the
    ORM's version of it cost more than running it."""
    sql, loaded, names = _plan_page_query(connection.vendor)
    found = _select(sql, [pk])
    if not found:
        raise Http404("No such plan.")
    values = list(found[0])
    parts = []
    start = 0
    for part in loaded:
        end = start + len(part.attnames)
        parts.append(values[start:end])
        start = end
    plan_part, organization_part, owner_part, contact_part = loaded
    plan = plan_part.build(parts[0])
    plan._state.fields_cache["organization"] = organization_part.build(parts[1])
    # An outer join gives NULLs for a plan without an owner or a contact: no such person then.
    plan._state.fields_cache["owner"] = owner_part.build(parts[2]) if plan.owner_id is not None else None
    plan._state.fields_cache["customer_contact"] = (
        contact_part.build(parts[3]) if plan.customer_contact_id is not None else None
    )
    for name, value in zip(names, values[start:], strict=True):
        setattr(plan, name, value)
    if not organization_is_visible(user, plan.organization):
        raise Http404("No such plan.")
    return plan


def goal_get(*, user, pk: int) -> PlanGoal:
    try:
        goal = PlanGoal.objects.select_related("plan", "plan__organization").get(pk=pk)
    except PlanGoal.DoesNotExist:
        raise Http404("No such goal.") from None
    if not organization_is_visible(user, goal.plan.organization):
        raise Http404("No such goal.")
    return goal


def action_get(*, user, pk: int, as_owner: bool = False) -> PlanAction:
    """One action with its plan and account; 404 for one the user may not see. `as_owner` also lets its
    provider owner through, who may change its status and comment on it without seeing the account
    (onboarding.services.actions)."""
    try:
        action = PlanAction.objects.select_related(
            "plan", "plan__organization", "owner_user", "owner_stakeholder"
        ).get(pk=pk)
    except PlanAction.DoesNotExist:
        raise Http404("No such action.") from None
    if as_owner and action.owner_user_id is not None and action.owner_user_id == user.pk:
        return action
    if not organization_is_visible(user, action.plan.organization):
        raise Http404("No such action.")
    return action


# --- progress ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    """How far a plan is: actions done of those that count (cancelled ones do not), and how many open
    actions are past their due date."""

    done: int
    total: int
    overdue: int = 0

    @property
    def percent(self) -> int:
        return (100 * self.done) // self.total if self.total else 0

    @property
    def label(self) -> str:
        if not self.total:
            return "No action planned yet"
        return f"{self.done} of {self.total} action{'s' if self.total != 1 else ''} done ({self.percent} %)"


def _overdue(today: date) -> Q:
    return Q(due_on__lt=today) & ~Q(status__in=CLOSED_ACTION_STATUSES)


@cache
def _figures_sql(vendor: str) -> dict[str, str]:
    """The plan's figures as correlated subqueries over our own tables and columns, written once per
    database kind (`vendor` is the cache key: quoting differs between them). Each reads the actions'
    (plan, status) index."""
    quote = connection.ops.quote_name
    plan = f"{quote(OnboardingPlan._meta.db_table)}.{quote('id')}"
    actions = quote(PlanAction._meta.db_table)
    status, due_on = quote("status"), quote("due_on")
    of_plan = f"FROM {actions} a WHERE a.{quote('plan_id')} = {plan}"
    still_open = f"a.{status} NOT IN (%s, %s)"
    return {
        "actions_total": f"SELECT COUNT(*) {of_plan} AND a.{status} <> %s",
        "actions_done": f"SELECT COUNT(*) {of_plan} AND a.{status} = %s",
        "actions_overdue": f"SELECT COUNT(*) {of_plan} AND a.{due_on} < %s AND {still_open}",
        "next_due_on": f"SELECT MIN(a.{due_on}) {of_plan} AND {still_open}",
    }


def with_progress(plans: QuerySet[OnboardingPlan], today: date) -> QuerySet[OnboardingPlan]:
    """Annotate each plan's actions that count (`actions_total`, all but the cancelled), those done
    (`actions_done`), the open ones past their due date (`actions_overdue`) and the next due date of
    an open action (`next_due_on`). Written as SQL because the same four ORM subqueries take longer to
    build and compile than the board's query takes to run; the database runs them for the rows it
    returns only (no list orders by them)."""
    sql = _figures_sql(connection.vendor)
    closed = tuple(CLOSED_ACTION_STATUSES)
    # S611: our own table and column names only; the values are parameters.
    return plans.annotate(
        actions_total=RawSQL(sql["actions_total"], (ActionStatus.CANCELLED,), output_field=IntegerField()),  # noqa: S611
        actions_done=RawSQL(sql["actions_done"], (ActionStatus.DONE,), output_field=IntegerField()),  # noqa: S611
        actions_overdue=RawSQL(sql["actions_overdue"], (today, *closed), output_field=IntegerField()),  # noqa: S611
        next_due_on=RawSQL(sql["next_due_on"], closed, output_field=DateField()),  # noqa: S611
    )


def progress_of(plan) -> Progress:
    """The progress a plan (or a board row) was annotated with by `with_progress`."""
    get = plan.get if isinstance(plan, dict) else lambda name: getattr(plan, name)
    return Progress(done=get("actions_done"), total=get("actions_total"), overdue=get("actions_overdue"))


def plan_progress(*, plan: OnboardingPlan, today: date | None = None) -> Progress:
    """The plan's progress, counted by the database in one query."""
    today = today or timezone.localdate()
    figures = PlanAction.objects.filter(plan_id=plan.pk).aggregate(
        total=Count("pk", filter=~Q(status=ActionStatus.CANCELLED)),
        done=Count("pk", filter=Q(status=ActionStatus.DONE)),
        overdue=Count("pk", filter=_overdue(today)),
    )
    return Progress(done=figures["done"], total=figures["total"], overdue=figures["overdue"])


# --- actions as the pages show them -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ActionView:
    """What a row shows of an action, read as plain values: a page of hundreds of actions costs a
    fraction of what as many model instances (and their owners') would."""

    pk: int
    plan_id: int
    title: str
    description: str
    area: str
    owner_party: str
    owner_user_id: int | None
    owner_stakeholder_id: int | None
    owner_role: str
    due_on: date
    status: str
    evidence: str
    owner: str


ACTION_VALUES = (
    "pk",
    "plan_id",
    "title",
    "description",
    "area",
    "owner_party",
    "owner_user_id",
    "owner_stakeholder_id",
    "owner_role",
    "due_on",
    "status",
    "evidence",
    "owner_user__first_name",
    "owner_user__last_name",
    "owner_user__username",
    "owner_stakeholder__name",
)


# --- plain SQL for the plan's page's hot reads ------------------------------------------------------
# The plan's page is on the bench with hundreds of actions: its reads of actions, dependencies and
# comments are written as SQL once per database kind, since building and compiling the same ORM
# queries costs more than running them. Only our own table and column names go into the text; every
# value is a parameter.


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _column(model, name: str) -> str:
    return connection.ops.quote_name(model._meta.get_field(name).column)


@cache
def _page_sql(vendor: str) -> dict[str, str]:
    """The SQL of the hot reads (`vendor` is the cache key: quoting differs between databases)."""
    from journeys.models import Stakeholder

    quote = connection.ops.quote_name
    users, people = _table(get_user_model()), _table(Stakeholder)
    actions, links, comments = _table(PlanAction), _table(ActionDependency), _table(ActionComment)
    pk = quote("id")

    def action(name: str, alias: str = "a") -> str:
        return f"{alias}.{_column(PlanAction, name)}"

    action_columns = ", ".join(
        action(name)
        for name in (
            "id",
            "plan",
            "title",
            "description",
            "area",
            "owner_party",
            "owner_user",
            "owner_stakeholder",
            "owner_role",
            "due_on",
            "status",
            "evidence",
        )
    )
    user_names = f"u.{quote('first_name')}, u.{quote('last_name')}, u.{quote('username')}"
    link_action, link_target = _column(ActionDependency, "action"), _column(ActionDependency, "depends_on")
    comment_action = _column(ActionComment, "action")
    created = _column(ActionComment, "created_at")
    return {
        "actions": (
            f"SELECT {action_columns}, {user_names}, s.{quote('name')} FROM {actions} a"  # noqa: S608 - names only
            f" LEFT JOIN {users} u ON u.{pk} = {action('owner_user')}"
            f" LEFT JOIN {people} s ON s.{pk} = {action('owner_stakeholder')}"
            f" WHERE a.{{column}} = %s ORDER BY {action('due_on')}, {action('position')}, a.{pk}"
        ),
        "dependencies": (
            f"SELECT d.{link_action}, d.{link_target}, {action('title', 't')}, {action('status', 't')}"  # noqa: S608 - names only
            f" FROM {links} d JOIN {actions} t ON t.{pk} = d.{link_target}"
            f" JOIN {actions} a ON a.{pk} = d.{link_action}"
            f" WHERE a.{{column}} = %s"
            f" ORDER BY {action('due_on', 't')}, {action('position', 't')}, d.{link_target}"
        ),
        "comments": (
            f"SELECT r.{comment_action}, r.{quote('body')}, r.{created}, r.in_thread, {user_names},"  # noqa: S608 - names only
            f" s.{quote('name')} FROM ("
            f"SELECT c.{comment_action}, c.{quote('body')}, c.{created},"
            f" c.{_column(ActionComment, 'author_user')} AS author_user,"
            f" c.{_column(ActionComment, 'author_stakeholder')} AS author_person,"
            f" ROW_NUMBER() OVER (PARTITION BY c.{comment_action} ORDER BY c.{created} DESC, c.{pk} DESC)"
            f" AS newest, COUNT(*) OVER (PARTITION BY c.{comment_action}) AS in_thread"
            f" FROM {comments} c JOIN {actions} a ON a.{pk} = c.{comment_action}"
            f" WHERE a.{{column}} = %s{{only_open}}) r"
            f" LEFT JOIN {users} u ON u.{pk} = r.author_user"
            f" LEFT JOIN {people} s ON s.{pk} = r.author_person"
            f" WHERE r.newest <= %s ORDER BY r.{comment_action}, r.newest"
        ),
        "only_open": f" AND {action('status')} NOT IN (%s, %s)",
        "goals_and_offerings": _goals_and_offerings_sql(),
    }


def _goals_and_offerings_sql() -> str:
    """The plan's goals (by position) and its offerings (by name) in one query: the goals' rows come
    first (`g`), the offerings' fill only the pk and the name (in `description`)."""
    from offerings.models import ServiceOffering

    quote = connection.ops.quote_name
    goals, offerings = _table(PlanGoal), _table(ServiceOffering)
    through = OnboardingPlan.offerings.through
    chosen, chosen_plan = _table(through), _column(through, "onboardingplan")
    goal_columns = ", ".join(
        f"g.{_column(PlanGoal, name)}"
        for name in ("description", "metric", "target", "target_date", "evaluation", "result", "template")
    )
    pk, name = quote("id"), quote("name")
    return (
        f"SELECT 'g' AS part, g.{pk}, g.{_column(PlanGoal, 'position')} AS place, '' AS named, {goal_columns}"  # noqa: S608 - names only
        f" FROM {goals} g WHERE g.{_column(PlanGoal, 'plan')} = %s"
        f" UNION ALL SELECT 'o', o.{pk}, 0, o.{name}, o.{name}, '', '', NULL, '', '', ''"
        f" FROM {offerings} o JOIN {chosen} c ON c.{_column(through, 'serviceoffering')} = o.{pk}"
        f" WHERE c.{chosen_plan} = %s"
        " ORDER BY part, place, named, 2"
    )


@dataclass(frozen=True, slots=True)
class GoalView:
    """What the plan's page shows of a goal, read as plain values."""

    pk: int
    description: str
    metric: str
    target: str
    target_date: date
    evaluation: str
    result: str
    template: str


@dataclass(frozen=True, slots=True)
class OfferingView:
    pk: int
    name: str


def _goals_and_offerings(plan_id: int) -> tuple[list[GoalView], list[OfferingView]]:
    """The plan's goals by position and its offerings by name. One query."""
    goals, offerings = [], []
    for (
        part,
        pk,
        _place,
        _named,
        description,
        metric,
        target,
        target_date,
        evaluation,
        result,
        template,
    ) in _select(_page_sql(connection.vendor)["goals_and_offerings"], [plan_id, plan_id]):
        if part == "g":
            goals.append(
                GoalView(
                    pk=pk,
                    description=description,
                    metric=metric,
                    target=target,
                    target_date=_day(target_date),
                    evaluation=evaluation,
                    result=result,
                    template=template,
                )
            )
        else:
            offerings.append(OfferingView(pk=pk, name=description))
    return goals, offerings


def _where(kind: str, *, plan_id: int | None, action_id: int | None, only_open: bool = False) -> tuple:
    """The query of `kind` for the actions of a plan or for one action, and its leading parameters."""
    sql = _page_sql(connection.vendor)
    column = _column(PlanAction, "plan" if plan_id is not None else "id")
    text = sql[kind].replace("{column}", column)
    params = [plan_id if plan_id is not None else action_id]
    if kind == "comments":
        text = text.replace("{only_open}", sql["only_open"] if only_open else "")
        if only_open:
            params += list(CLOSED_ACTION_STATUSES)
    return text, params


def _plan_actions(*, plan_id: int | None = None, action_id: int | None = None) -> list[ActionView]:
    """The actions of a plan (or the one action), by due date then position, each with its owner's
    name. One query."""
    views = []
    sql, params = _where("actions", plan_id=plan_id, action_id=action_id)
    for (
        pk,
        plan,
        title,
        description,
        area,
        owner_party,
        user_id,
        stakeholder_id,
        role,
        due_on,
        status,
        evidence,
        first,
        last,
        username,
        stakeholder,
    ) in _select(sql, params):
        if user_id is not None:
            owner = person_name(first, last, username)
        elif stakeholder_id is not None:
            owner = stakeholder
        elif role:
            owner = f"{role} (to be named)"
        else:
            owner = "Nobody named yet"
        views.append(
            ActionView(
                pk=pk,
                plan_id=plan,
                title=title,
                description=description,
                area=area,
                owner_party=owner_party,
                owner_user_id=user_id,
                owner_stakeholder_id=stakeholder_id,
                owner_role=role,
                due_on=_day(due_on),
                status=status,
                evidence=evidence,
                owner=owner,
            )
        )
    return views


@dataclass(frozen=True)
class Dependency:
    pk: int
    title: str
    status: str

    @property
    def is_open(self) -> bool:
        return self.status not in CLOSED_ACTION_STATUSES


@dataclass(frozen=True)
class CommentLine:
    body: str
    author: str
    created_at: datetime


@dataclass
class ActionRow:
    """An action with what its row shows: its owner's name, whether it is overdue, the actions it waits
    for (with their status) and its latest comments with their number."""

    action: ActionView
    owner: str
    is_overdue: bool
    waits_for: list[Dependency] = field(default_factory=list)
    comments: list[CommentLine] = field(default_factory=list)
    comment_count: int = 0

    @property
    def open_dependencies(self) -> list[Dependency]:
        return [dependency for dependency in self.waits_for if dependency.is_open]

    @property
    def week(self) -> tuple[int, int]:
        iso = self.action.due_on.isocalendar()
        return iso.year, iso.week


def _dependencies(*, plan_id: int | None = None, action_id: int | None = None) -> dict[int, list[Dependency]]:
    """What the actions of a plan (or the one action) wait for, each list by due date. One query."""
    waits: dict[int, list[Dependency]] = {}
    sql, params = _where("dependencies", plan_id=plan_id, action_id=action_id)
    for waiting, pk, title, status in _select(sql, params):
        waits.setdefault(waiting, []).append(Dependency(pk=pk, title=title, status=status))
    return waits


def _comments(
    *, plan_id: int | None = None, action_id: int | None = None, only_open: bool = False
) -> dict[int, tuple[int, list[CommentLine]]]:
    """The latest COMMENTS_SHOWN comments of each action of a plan (or of the one action; `only_open`:
    of its open actions only), newest first, with how many it has: one query, whatever the number of
    comments."""
    sql, params = _where("comments", plan_id=plan_id, action_id=action_id, only_open=only_open)
    found: dict[int, tuple[int, list[CommentLine]]] = {}
    for action, body, created_at, in_thread, first, last, username, stakeholder in _select(
        sql, [*params, COMMENTS_SHOWN]
    ):
        author = person_name(first, last, username) or (stakeholder or "someone")
        _count, lines = found.setdefault(action, (in_thread, []))
        lines.append(CommentLine(body=body, author=author, created_at=_moment(created_at)))
    return found


def _rows(actions, waits, comments, today: date) -> list[ActionRow]:
    rows = []
    for action in actions:
        count, lines = comments.get(action.pk, (0, []))
        rows.append(
            ActionRow(
                action=action,
                owner=action.owner,
                is_overdue=action.due_on < today and action.status not in CLOSED_ACTION_STATUSES,
                waits_for=waits.get(action.pk, []),
                comments=lines,
                comment_count=count,
            )
        )
    return rows


def action_row(*, user, action: PlanAction, today: date | None = None) -> ActionRow:
    """One action's row, as the plan's page shows it (after its status changed). Three queries."""
    if not organization_is_visible(user, action.plan.organization) and action.owner_user_id != user.pk:
        raise Http404("Not found.")
    today = today or timezone.localdate()
    return _rows(
        _plan_actions(action_id=action.pk),
        _dependencies(action_id=action.pk),
        _comments(action_id=action.pk),
        today,
    )[0]


# --- the plan's page --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActionGroup:
    """A group of the plan's actions: `rows` are those shown, `closed` how many done or cancelled ones
    are left out (shown on request), `note` the group's figures."""

    key: str
    label: str
    rows: list[ActionRow]
    note: str = ""
    closed: int = 0


def _open_of(rows: list[ActionRow]) -> int:
    return sum(1 for row in rows if row.action.status not in CLOSED_ACTION_STATUSES)


def _shown(group: ActionGroup, show_closed: bool) -> ActionGroup:
    if show_closed:
        return group
    shown = [row for row in group.rows if row.action.status not in CLOSED_ACTION_STATUSES]
    return ActionGroup(
        key=group.key, label=group.label, rows=shown, note=group.note, closed=len(group.rows) - len(shown)
    )


def _owner_key(user_id: int | None, stakeholder_id: int | None, position: int) -> str:
    """The group's id on the page: its owner's, or its place for actions nobody owns yet."""
    if user_id:
        return f"owner-user-{user_id}"
    if stakeholder_id:
        return f"owner-person-{stakeholder_id}"
    return f"owner-unnamed-{position}"


def _by_owner(rows: list[ActionRow]) -> list[ActionGroup]:
    """Provider people first, then the consumer's, each by name; actions nobody owns yet last."""
    groups: dict[tuple, list[ActionRow]] = {}
    for row in rows:
        action = row.action
        named = action.owner_user_id is not None or action.owner_stakeholder_id is not None
        side = 0 if action.owner_party == OwnerParty.PROVIDER else 1
        key = (0 if named else 1, side, row.owner.lower(), action.owner_user_id, action.owner_stakeholder_id)
        groups.setdefault(key, []).append(row)
    found = []
    for key in sorted(groups, key=lambda key: key[:3]):
        rows_of = groups[key]
        side = "our side" if key[1] == 0 else "the consumer's side"
        open_count = _open_of(rows_of)
        found.append(
            ActionGroup(
                key=_owner_key(key[3], key[4], len(found)),
                label=f"{rows_of[0].owner}, {side}",
                rows=rows_of,
                note=f"{open_count} open of {len(rows_of)}",
            )
        )
    return found


def _week_label(year: int, week: int) -> str:
    monday = date.fromisocalendar(year, week, 1)
    sunday = monday + timedelta(days=6)
    return f"Week {week} of {year} ({day_text(monday)} – {day_text(sunday)})"


def _by_week(rows: list[ActionRow], today: date) -> list[ActionGroup]:
    """By the ISO week they are due in, earliest first (the rows come ordered by due date)."""
    groups: dict[tuple[int, int], list[ActionRow]] = {}
    for row in rows:
        groups.setdefault(row.week, []).append(row)
    this_week = today.isocalendar()[:2]
    found = []
    for (year, week), rows_of in groups.items():
        when = " · this week" if (year, week) == tuple(this_week) else ""
        note = f"{_open_of(rows_of)} open of {len(rows_of)}{when}"
        found.append(
            ActionGroup(key=f"week-{year}-{week}", label=_week_label(year, week), rows=rows_of, note=note)
        )
    return found


@dataclass(frozen=True)
class Move:
    status: str
    label: str
    asks_why: bool = False


# How the page names each move a person may make (PLAN_TRANSITIONS), by target status.
MOVE_LABELS = {
    PlanStatus.DRAFT: "Back to draft",
    PlanStatus.IN_REVIEW: "Send to the customer for review",
    PlanStatus.IN_PROGRESS: "Start the work",
    PlanStatus.ON_HOLD: "Put on hold",
    PlanStatus.CANCELLED: "Cancel the plan",
}


def plan_moves(plan: OnboardingPlan) -> list[Move]:
    """The lifecycle moves a person may try from the plan's status. An onboarding draft starts only
    after the customer's acceptance, so that move is left out; cancelling asks why on its own page."""
    moves = []
    for status in PLAN_TRANSITIONS[PlanStatus(plan.status)]:
        if (
            status == PlanStatus.IN_PROGRESS
            and plan.status == PlanStatus.DRAFT
            and plan.kind == PlanKind.ONBOARDING
        ):
            continue
        label = MOVE_LABELS[status]
        if status == PlanStatus.IN_PROGRESS and plan.status == PlanStatus.ON_HOLD:
            label = "Resume the work"
        moves.append(Move(status=status, label=label, asks_why=status == PlanStatus.CANCELLED))
    return moves


@dataclass
class PlanPage:
    plan: OnboardingPlan
    progress: Progress
    goals: list[GoalView]
    actions: list[ActionRow]
    offerings: list
    moves: list[Move]
    history: list[HistoryEntry]
    today: date
    show_closed: bool = True

    def groups(self, by: str) -> list[ActionGroup]:
        """The actions grouped by owner or by the week they are due, with the group's figures counting
        all of them; without `show_closed` the done and cancelled ones are left out of the rows."""
        groups = _by_week(self.actions, self.today) if by == "week" else _by_owner(self.actions)
        return [_shown(group, self.show_closed) for group in groups]

    @property
    def closed_count(self) -> int:
        return len(self.actions) - _open_of(self.actions)

    @property
    def goals_achieved(self) -> int:
        return sum(1 for goal in self.goals if goal.evaluation == "achieved")


def _progress_of_rows(rows: list[ActionRow]) -> Progress:
    """The plan's progress counted from all its actions' rows (as plan_progress counts it)."""
    done = total = overdue = 0
    for row in rows:
        status = row.action.status
        total += status != ActionStatus.CANCELLED
        done += status == ActionStatus.DONE
        overdue += row.is_overdue
    return Progress(done=done, total=total, overdue=overdue)


def plan_page(*, user, plan: OnboardingPlan, today: date | None = None, show_closed: bool = True) -> PlanPage:
    """Everything the plan's page shows, in six queries whatever the plan's size: goals with offerings,
    actions, the actions they wait for, their latest comments, and the newest history (two). The
    progress is counted from the actions read. Without `show_closed` the done and cancelled actions
    are left out of the groups' rows (still counted), and their comments are not read."""
    if not organization_is_visible(user, plan.organization):
        raise Http404("Not found.")
    today = today or timezone.localdate()
    rows = _rows(
        _plan_actions(plan_id=plan.pk),
        _dependencies(plan_id=plan.pk),
        _comments(plan_id=plan.pk, only_open=not show_closed),
        today,
    )
    goals, offerings = _goals_and_offerings(plan.pk)
    return PlanPage(
        plan=plan,
        progress=_progress_of_rows(rows),
        goals=goals,
        actions=rows,
        offerings=offerings,
        moves=plan_moves(plan),
        history=plan_history(user=user, plan=plan, limit=PAGE_HISTORY_LIMIT),
        today=today,
        show_closed=show_closed,
    )


# --- history ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class HistoryEntry:
    """One recorded change: when, by whom, to what (the plan or one of its actions), and which fields
    went from what to what."""

    when: datetime
    who: str
    subject: str
    action: str
    changes: tuple[FieldChange, ...] = ()


# The fields the history lists, with the labels it gives them (others change with these or are
# bookkeeping).
PLAN_HISTORY_FIELDS = {
    "title": "Title",
    "status": "Status",
    "starts_on": "Start",
    "ends_on": "End",
    "owner": "Owner",
    "customer_contact": "Customer contact",
    "accepted_by": "Accepted by",
    "scenario": "Scenario",
    "start_trigger": "Start trigger",
    "control_approach": "Control approach",
    "user_groups": "User groups",
    "locations": "Locations",
    "user_count": "Number of users",
    "offboarding_kind": "Kind of offboarding",
    "reason": "Reason",
}
ACTION_HISTORY_FIELDS = {
    "title": "Title",
    "status": "Status",
    "due_on": "Due",
    "owner_party": "Side",
    "owner_user": "Owner",
    "owner_stakeholder": "Owner",
    "owner_role": "Owner's role",
    "area": "Area",
    "evidence": "Evidence",
}
TEXT_IN_HISTORY = 120
HISTORY_HEAD = (
    "history_id",
    "history_date",
    "history_type",
    "id",
    "history_user__first_name",
    "history_user__last_name",
    "history_user__username",
)


@dataclass(frozen=True)
class _Field:
    name: str
    label: str
    compared: str
    shown: tuple[str, ...]
    choices: dict


def _flag(value) -> bool:
    return bool(value)


class _HistorySource:
    """One model's historical records, newest first, each with the values of the record before it
    (`was_<n>`, the record before it joined by a subquery), so a change is read in one query.
    The related people are read by name (as they are named now)."""

    def __init__(self, model, fields: dict[str, str]):
        user_model = get_user_model()
        self.fields: list[_Field] = []
        columns: list[str] = []
        for name, label in fields.items():
            model_field = model._meta.get_field(name)
            related = model_field.related_model
            if related is None:
                shown = (model_field.attname,)
            elif related is user_model:
                shown = tuple(f"{name}__{part}" for part in ("first_name", "last_name", "username"))
            else:
                shown = (f"{name}__name",)
            self.fields.append(
                _Field(
                    name=name,
                    label=label,
                    compared=model_field.attname,
                    shown=shown,
                    choices=dict(model_field.flatchoices) if model_field.choices else {},
                )
            )
            columns += [model_field.attname, *shown]
        self.columns = tuple(dict.fromkeys(columns))
        self.previous = {column: f"was_{index}" for index, column in enumerate(self.columns)}
        # Each column as SQL of a record aliased {t}: its own, or the related person's name now.
        self.model = model
        self.related: dict[str, tuple] = {}
        for spec in self.fields:
            for column in spec.shown:
                if "__" in column:
                    related = model._meta.get_field(spec.name).related_model
                    self.related[column] = (related, column.split("__", 1)[1], spec.compared)
        self.names = (*HISTORY_HEAD, *self.columns, *self.previous.values())
        history = model.history.model
        convert = {"history_date": _moment}
        for column in self.columns:
            if "__" in column:
                continue
            kind = history._meta.get_field(column).get_internal_type()
            converter = {"DateField": _day, "DecimalField": _decimal, "BooleanField": _flag}.get(kind)
            if converter is not None:
                convert[column] = convert[self.previous[column]] = converter
        self.convert = convert

    def rows(self, column: str, value: int, limit: int) -> list[dict]:
        """The newest `limit` records whose `column` is `value`, each with the values of the record of
        the same object before it (`was_<n>`, None for its first)."""
        found = []
        for values in _select(self._sql(connection.vendor, column), [value, limit]):
            row = dict(zip(self.names, values, strict=True))
            for name, converter in self.convert.items():
                if row[name] is not None:
                    row[name] = converter(row[name])
            found.append(row)
        return found

    def _value(self, column: str, alias: str) -> str:
        quote = connection.ops.quote_name
        history = self.model.history.model
        if column not in self.related:
            return f"{alias}.{quote(history._meta.get_field(column).column)}"
        related, part, key = self.related[column]
        pk, name = quote(related._meta.pk.column), quote(related._meta.get_field(part).column)
        return f"(SELECT r.{name} FROM {_table(related)} r WHERE r.{pk} = {alias}.{quote(key)})"  # noqa: S608 - names only

    @cache  # noqa: B019 - two sources for the life of the process
    def _sql(self, vendor: str, column: str) -> str:
        """The query, written once per database kind and column (`vendor` is the cache key). Only the
        newest records are read, and the record before each by a correlated subquery (the newest of
        the same object older than it), so an object's whole history is never walked; the names are
        read for the rows returned only."""
        quote = connection.ops.quote_name
        history = self.model.history.model
        table = _table(history)
        key, when, pk = quote("history_id"), quote("history_date"), quote("id")
        by = quote(history._meta.get_field(column).column)
        users = _table(get_user_model())
        # The record before n: the newest of the same object older than it.
        before = (
            f"SELECT p.{key} FROM {table} p WHERE p.{pk} = n.{pk} AND p.{by} = n.{by}"  # noqa: S608 - names only
            f" AND (p.{when} < n.{when} OR (p.{when} = n.{when} AND p.{key} < n.{key}))"
            f" ORDER BY p.{when} DESC, p.{key} DESC LIMIT 1"
        )
        selected = ", ".join(
            [
                f"h.{key}",
                f"h.{when}",
                f"h.{quote('history_type')}",
                f"h.{pk}",
                *(f"hu.{quote(part)}" for part in ("first_name", "last_name", "username")),
                *(self._value(name, "h") for name in self.columns),
                *(self._value(name, "w") for name in self.columns),
            ]
        )
        return (
            f"SELECT {selected} FROM (SELECT n.*, ({before}) AS was_record"  # noqa: S608 - names only
            f" FROM {table} n WHERE n.{by} = %s ORDER BY n.{when} DESC, n.{key} DESC LIMIT %s) h"
            f" LEFT JOIN {table} w ON w.{key} = h.was_record"
            f" LEFT JOIN {users} hu ON hu.{pk} = h.{quote('history_user_id')}"
            f" ORDER BY h.{when} DESC, h.{key} DESC"
        )

    def _shown(self, spec: _Field, values: dict) -> str:
        if len(spec.shown) == 3:
            first, last, username = (values[column] for column in spec.shown)
            if values[spec.compared] is None:
                return "—"
            return person_name(first, last, username) or "(removed)"
        if spec.shown[0] != spec.compared:
            if values[spec.compared] is None:
                return "—"
            return values[spec.shown[0]] or "(removed)"
        value = values[spec.compared]
        if value is None or value == "":
            return "—"
        if spec.choices:
            return str(spec.choices.get(value, value))
        if isinstance(value, bool):
            return "yes" if value else "no"
        if isinstance(value, date):
            return day_text(value)
        if isinstance(value, Decimal):
            return format(value.normalize(), "f")
        text = " ".join(str(value).split())
        return text if len(text) <= TEXT_IN_HISTORY else text[:TEXT_IN_HISTORY].rstrip() + "…"

    def changes(self, row: dict, hidden: frozenset[str] = frozenset()) -> tuple[FieldChange, ...]:
        before = {column: row[alias] for column, alias in self.previous.items()}
        return tuple(
            FieldChange(label=spec.label, old=self._shown(spec, before), new=self._shown(spec, row))
            for spec in self.fields
            if spec.name not in hidden and row[spec.compared] != before[spec.compared]
        )


@cache
def _history_sources() -> tuple[_HistorySource, _HistorySource]:
    return (
        _HistorySource(OnboardingPlan, PLAN_HISTORY_FIELDS),
        _HistorySource(PlanAction, ACTION_HISTORY_FIELDS),
    )


def _who(row: dict) -> str:
    if row["history_user__username"] is None:
        return "DSV or a signed link"
    return person_name(
        row["history_user__first_name"], row["history_user__last_name"], row["history_user__username"]
    )


def plan_history(*, user, plan: OnboardingPlan, limit: int = HISTORY_LIMIT) -> list[HistoryEntry]:
    """The plan's and its actions' changes, newest first, at most `limit`: who, when, and each changed
    field from what to what. Two queries, one per model. A confidential offboarding plan keeps its
    reason out of the history."""
    if not organization_is_visible(user, plan.organization):
        raise Http404("Not found.")
    plan_source, action_source = _history_sources()
    hidden = frozenset({"reason"}) if plan.confidential else frozenset()
    found = []
    for source, lookup in ((plan_source, ("id", plan.pk)), (action_source, ("plan_id", plan.pk))):
        is_plan = source is plan_source
        for row in source.rows(*lookup, limit):
            changes: tuple[FieldChange, ...] = ()
            if row["history_type"] == "~":
                changes = source.changes(row, hidden)
                if not changes:
                    continue
            found.append(
                HistoryEntry(
                    when=row["history_date"],
                    who=_who(row),
                    subject="Plan" if is_plan else f"Action “{row['title']}”",
                    action={"+": "created", "-": "deleted"}.get(row["history_type"], "changed"),
                    changes=changes,
                )
            )
    found.sort(key=lambda entry: entry.when, reverse=True)
    return found[:limit]


# --- an account's plans -----------------------------------------------------------------------------

PLAN_LIST_COLUMNS = (
    "organization_id",
    "kind",
    "title",
    "status",
    "starts_on",
    "ends_on",
    "owner_id",
    "confidential",
    "owner__first_name",
    "owner__last_name",
    "owner__username",
)


def account_plans(*, user, organization: Organization, today: date | None = None) -> list[OnboardingPlan]:
    """The account's plans with their progress, open ones first, each kind by its start (latest first).
    One query."""
    if not organization_is_visible(user, organization):
        raise Http404("Not found.")
    today = today or timezone.localdate()
    plans = with_progress(
        OnboardingPlan.objects.filter(organization_id=organization.pk)
        .select_related("owner")
        .only(*PLAN_LIST_COLUMNS),
        today,
    ).order_by("-starts_on", "-pk")
    found = list(plans)
    found.sort(key=lambda plan: plan.status in FINAL_PLAN_STATUSES)
    for plan in found:
        plan.progress = progress_of(plan)
    return found


def account_onboarding_panel(*, user, organization: Organization, today: date | None = None) -> dict:
    """What the account page's Onboard panel shows: its open plans with their progress, and how many
    were completed or cancelled. One query; 404 for an outsider."""
    plans = account_plans(user=user, organization=organization, today=today)
    open_plans = [plan for plan in plans if plan.status not in FINAL_PLAN_STATUSES]
    return {
        "open_plans": open_plans,
        "completed": sum(1 for plan in plans if plan.status == PlanStatus.COMPLETED),
        "cancelled": sum(1 for plan in plans if plan.status == PlanStatus.CANCELLED),
        "overdue": sum(plan.progress.overdue for plan in open_plans),
    }


@dataclass(frozen=True)
class PlaybookChoice:
    playbook: OnboardingPlaybook
    agreements: list[tuple[int, str]]


def plan_playbook_choices(*, user, organization: Organization) -> list[PlaybookChoice]:
    """The playbooks of the offerings the account's agreements cover, with those agreements (id and
    title), by offering and name: what a plan may be started from. Two queries."""
    if not organization_is_visible(user, organization):
        raise Http404("Not found.")
    from agreements.models import Agreement

    covered: dict[int, list[tuple[int, str]]] = {}
    links = (
        Agreement.offerings.through.objects.filter(agreement__organization_id=organization.pk)
        .order_by("agreement__title", "agreement_id")
        .values_list("serviceoffering_id", "agreement_id", "agreement__title")
    )
    for offering_id, agreement_id, title in links:
        covered.setdefault(offering_id, []).append((agreement_id, title))
    playbooks = (
        OnboardingPlaybook.objects.filter(offering_id__in=list(covered) or [0])
        .select_related("offering")
        .order_by("offering__name", "name", "pk")
    )
    return [
        PlaybookChoice(playbook=playbook, agreements=covered[playbook.offering_id]) for playbook in playbooks
    ]
