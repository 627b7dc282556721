"""Reads of requests and their SLA clocks. A request follows its account: those who may not see the
account get 404.

A clock's state at a given moment is read from its stored instants without business-time arithmetic
(`clock_status`): past `due_at` it is breached, past `warning_at` close to its limit; the time left in
business hours is worked out only where one clock is shown closely (`precise=True`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth import get_user_model
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db import connection
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from agreements.business_time import business_seconds, duration_label, schedule_for
from agreements.models import Agreement, AgreementStatus, BusinessHours, ClockKind
from cocreation.models import (
    OPEN_REQUEST_STATUSES,
    ClockState,
    RequestClock,
    RequestStatus,
    RequestUpdate,
    ServiceRequest,
)
from journeys import roles
from journeys.models import Stakeholder
from journeys.selectors import in_organization_scope, organization_is_visible
from journeys.sql import as_moment, fetch

__all__ = [
    "REQUESTS_PER_PAGE",
    "ClockStatus",
    "RequestPage",
    "RequestRow",
    "account_cocreate_panel",
    "clock_status",
    "request_agreement_choices",
    "request_assignee_choices",
    "request_counts",
    "request_get",
    "request_list",
    "request_page",
    "request_people_choices",
    "request_scope",
    "requests_open_for_account",
    "with_clock_list",
]

REQUESTS_PER_PAGE = 50


def request_scope(user) -> QuerySet[ServiceRequest]:
    """The requests of the organizations the user may see."""
    return in_organization_scope(ServiceRequest.objects.all(), user)


def _clocks_prefetch(*, with_calendar: bool = False) -> Prefetch:
    clocks = RequestClock.objects.order_by("kind")
    if with_calendar:
        clocks = clocks.select_related("target__calendar").prefetch_related(
            Prefetch(
                "target__calendar__hours", queryset=BusinessHours.objects.order_by("weekday", "starts_at")
            ),
            "target__calendar__closures",
        )
    else:
        clocks = clocks.select_related("target")
    return Prefetch("clocks", queryset=clocks)


def request_get(*, user, pk: int) -> ServiceRequest:
    """One request with its account, people, agreement, contact, clocks (with their calendars), pauses
    and history; 404 for one the user may not see.

    The request is read by its key alone (no ORDER BY) and joined to four tables, its agreement and
    contact read apart: PostgreSQL spends longer planning a join of eight tables (milliseconds) than
    running two small queries."""
    rows = ServiceRequest.objects.select_related("organization", "requester", "assignee", "created_by")
    try:
        found = rows.prefetch_related(
            _clocks_prefetch(with_calendar=True),
            "pauses",
            Prefetch(
                "updates",
                queryset=RequestUpdate.objects.select_related("author").order_by("occurred_at", "id"),
            ),
        ).get(pk=pk)
    except ServiceRequest.DoesNotExist:
        raise Http404("No such request.") from None
    if not organization_is_visible(user, found.organization):
        raise Http404("No such request.")
    if found.agreement_id is not None or found.touchpoint_id is not None:
        linked = (
            ServiceRequest.objects.select_related("agreement", "touchpoint")
            .only("agreement", "touchpoint")
            .get(pk=pk)
        )
        found.agreement, found.touchpoint = linked.agreement, linked.touchpoint
    with_clock_list([found], precise=True)
    return found


@dataclass(frozen=True)
class ClockStatus:
    kind: str
    kind_label: str
    state: str
    state_label: str
    label: str
    due_at: datetime | None
    stopped_at: datetime | None
    remaining_seconds: int | None
    percent_used: int | None
    limit_label: str
    target_name: str

    @property
    def css_class(self) -> str:
        return f"clock-{self.state}"


def _state_at(clock: RequestClock, now: datetime) -> str:
    if clock.breached_at is not None:
        return ClockState.BREACHED
    if clock.stopped_at is not None:
        return ClockState.MET
    if clock.due_at is not None and now > clock.due_at:
        return ClockState.BREACHED
    if clock.state == ClockState.PAUSED or clock.due_at is None:
        return ClockState.PAUSED
    if clock.warning_at is not None and now >= clock.warning_at:
        return ClockState.WARNING
    return ClockState.RUNNING


def _wall(seconds: float) -> str:
    return duration_label(int(abs(seconds)))


def clock_status(clock: RequestClock, *, now: datetime | None = None, precise: bool = False) -> ClockStatus:
    """How a clock stands at `now`, with a label people read ("Due in 3 h", "Breached 40 min ago",
    "Paused, 2 h 10 min left"). `precise` works out the business time left (needs the target's
    calendar loaded, see request_get)."""
    now = now or timezone.now()
    state = _state_at(clock, now)
    remaining: int | None = None
    if state == ClockState.PAUSED:
        remaining = max(clock.limit_seconds - clock.elapsed_seconds, 0)
    elif state in (ClockState.RUNNING, ClockState.WARNING) and precise and clock.due_at is not None:
        schedule = schedule_for(clock.target.calendar if clock.target is not None else None)
        remaining = business_seconds(schedule, now, max(clock.due_at, now))
    used = clock.elapsed_seconds
    if state in (ClockState.RUNNING, ClockState.WARNING) and remaining is not None:
        used = clock.limit_seconds - remaining
    percent = min(round(100 * used / clock.limit_seconds), 999) if clock.limit_seconds else None
    if state == ClockState.BREACHED:
        moment = clock.breached_at or clock.due_at
        label = f"Breached {_wall((now - moment).total_seconds())} ago" if moment else "Breached"
        if clock.stopped_at is not None:
            late = _wall((clock.stopped_at - moment).total_seconds())
            label = f"Breached (stopped {late} after the limit)"
    elif state == ClockState.MET:
        label = "Met"
        if clock.due_at is not None and clock.stopped_at is not None:
            label = f"Met, {_wall((clock.due_at - clock.stopped_at).total_seconds())} before the limit"
    elif state == ClockState.PAUSED:
        label = f"Paused, {duration_label(remaining or 0)} of business time left"
    elif remaining is not None:
        label = f"{duration_label(remaining)} of business time left"
    else:
        label = f"Due in {_wall((clock.due_at - now).total_seconds())}"
    return ClockStatus(
        kind=clock.kind,
        kind_label=clock.get_kind_display(),
        state=state,
        state_label=ClockState(state).label,
        label=label,
        due_at=clock.due_at,
        stopped_at=clock.stopped_at,
        remaining_seconds=remaining,
        percent_used=percent,
        limit_label=duration_label(clock.limit_seconds),
        target_name=clock.target.name if clock.target is not None else "",
    )


def with_clock_list(requests, *, now: datetime | None = None, precise: bool = False):
    """Give each request (with its clocks prefetched) a `clock_list` of ClockStatus and a
    `worst_clock` (breached before close to the limit before running...)."""
    now = now or timezone.now()
    order = {
        ClockState.BREACHED: 0,
        ClockState.WARNING: 1,
        ClockState.RUNNING: 2,
        ClockState.PAUSED: 3,
        ClockState.MET: 4,
    }
    for request in requests:
        request.clock_list = [clock_status(clock, now=now, precise=precise) for clock in request.clocks.all()]
        request.worst_clock = min(request.clock_list, key=lambda status: order[status.state], default=None)
    return requests


def requests_open_for_account(*, user, organization, limit: int = 10) -> list[ServiceRequest]:
    """The account's open requests, most urgent first, each with its `clock_list` (two queries)."""
    if not organization_is_visible(user, organization):
        return []
    rows = (
        ServiceRequest.objects.filter(organization=organization, status__in=OPEN_REQUEST_STATUSES)
        .select_related("assignee", "requester")
        .prefetch_related(_clocks_prefetch())
        .order_by("priority", "opened_at", "id")[:limit]
    )
    return with_clock_list(list(rows))


def _clock_filter(name: str, now: datetime) -> Q | None:
    """Clocks breached, close to their limit (past the warning, not breached, still running) or paused."""
    running = Q(stopped_at__isnull=True, breached_at__isnull=True)
    conditions = {
        "breached": Q(breached_at__isnull=False) | (running & Q(due_at__lt=now)),
        "warning": running & Q(warning_at__lte=now) & (Q(due_at__gte=now) | Q(due_at__isnull=True)),
        "paused": running & Q(state=ClockState.PAUSED),
    }
    return conditions.get(name)


def request_list(
    *,
    user,
    status: str = "",
    kind: str = "",
    priority: int | None = None,
    assignee=None,
    unassigned: bool = False,
    organization=None,
    clock: str = "",
    step: str = "",
    query: str = "",
) -> QuerySet[ServiceRequest]:
    """The requests the user may see, filtered; `status` "open" means new, in progress or waiting.
    Most urgent first: priority, then the oldest. Clocks are prefetched (with_clock_list gives them
    their state)."""
    rows = request_scope(user)
    if status == "open":
        rows = rows.filter(status__in=OPEN_REQUEST_STATUSES)
    elif status in RequestStatus.values:
        rows = rows.filter(status=status)
    if kind:
        rows = rows.filter(kind=kind)
    if priority:
        rows = rows.filter(priority=priority)
    if assignee is not None:
        rows = rows.filter(assignee=assignee)
    elif unassigned:
        rows = rows.filter(assignee__isnull=True)
    if organization is not None:
        rows = rows.filter(organization=organization)
    if step:
        rows = rows.filter(step=step)
    condition = _clock_filter(clock, timezone.now())
    if condition is not None:
        rows = rows.filter(pk__in=RequestClock.objects.filter(condition).values("request_id"))
    query = (query or "").strip()
    if query:
        reference = query.upper().removeprefix("REQ-").lstrip("0")
        match = Q(title__icontains=query) | Q(organization__name__icontains=query)
        if reference.isdigit():
            match |= Q(pk=int(reference))
        rows = rows.filter(match)
    return (
        rows.select_related("organization", "assignee", "requester")
        .prefetch_related(_clocks_prefetch())
        .order_by("priority", "opened_at", "id")
    )


# --- the request list's page, in plain SQL ----------------------------------------------------------
# The page reads fifty rows and their clocks; compiling its queries through the ORM, and building a
# request, an account, a person and a user object per row, cost several times more than running them.
# So the list's page (`request_page`) and its figures (`request_counts`) are plain SQL written for both
# databases (journeys.sql), with the same filters as request_list (which the API keeps using).

_OPEN_STATUSES = tuple(str(status) for status in OPEN_REQUEST_STATUSES)
_CLOCK_KINDS = {value: str(label) for value, label in ClockKind.choices}
_RUNNING_SQL = "c.stopped_at IS NULL AND c.breached_at IS NULL"
# The clock filters of _clock_filter, on the clock table `c` (each `%s` the moment "now").
_CLOCK_SQL = {
    "breached": f"(c.breached_at IS NOT NULL OR ({_RUNNING_SQL} AND c.due_at < %s))",
    "warning": f"({_RUNNING_SQL} AND c.warning_at <= %s AND (c.due_at >= %s OR c.due_at IS NULL))",
    "paused": f"({_RUNNING_SQL} AND c.state = 'paused')",
}


def _moment_param(moment: datetime):
    """A moment as the database compares it with a stored one (SQLite keeps naive UTC text)."""
    return connection.ops.adapt_datetimefield_value(moment)


def _in_list(column: str, values) -> tuple[str, list]:
    """`column` is one of `values`: one array parameter on PostgreSQL, an IN list elsewhere."""
    values = list(values)
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s)", [values]
    if not values:
        return "1 = 0", []
    return f"{column} IN ({', '.join(['%s'] * len(values))})", values


def _own_accounts_sql(user, alias: str = "o") -> tuple[str, list] | None:
    """The condition that the organization `alias` is one the user may see (journeys.selectors.
    organization_scope): "" for every account, None for none."""
    if not getattr(user, "is_authenticated", False):
        return None
    if roles.sees_whole_portfolio(user):
        return "", []
    if roles.Role.RELATIONSHIP_MANAGER not in roles.roles_of(user):
        return None
    team_ids = roles.team_ids_of(user)
    if team_ids is None:
        members = "SELECT m.team_id FROM journeys_team_members m WHERE m.user_id = %s"
        teams, team_params = f"{alias}.team_id IN ({members})", [user.pk]
    elif team_ids:
        teams, team_params = _in_list(f"{alias}.team_id", team_ids)
    else:
        return f"{alias}.owner_id = %s", [user.pk]
    return f"({alias}.owner_id = %s OR {teams})", [user.pk, *team_params]


def _scope_sql(user, column: str) -> tuple[str, list] | None:
    """The condition that `column` (an organization id) is an account the user may see, as
    journeys.selectors.organization_scope says; "" for every account, None for none. On PostgreSQL the
    accounts are read once as an array (`= ANY(ARRAY(…))`, see journeys.selectors.in_organization_scope)
    so an index on the column is probed per account."""
    own = _own_accounts_sql(user, "so")
    if own is None or not own[0]:
        return own
    accounts = f"SELECT so.id FROM journeys_organization so WHERE {own[0]}"  # noqa: S608 - names only
    if connection.vendor == "postgresql":
        return f"{column} = ANY(ARRAY({accounts}))", own[1]
    return f"{column} IN ({accounts})", own[1]


def _list_conditions(
    user,
    *,
    status: str = "",
    kind: str = "",
    priority: int | None = None,
    assignee=None,
    unassigned: bool = False,
    organization=None,
    clock: str = "",
    step: str = "",
    query: str = "",
    now: datetime,
) -> tuple[list[str], list, bool] | None:
    """The WHERE conditions of request_list's filters on the request table `r` (and, for the search,
    the account `qo`), their parameters, and whether the search needs the account; None when the user
    sees no account."""
    scope = _scope_sql(user, "r.organization_id")
    if scope is None:
        return None
    conditions, params = ([scope[0]], list(scope[1])) if scope[0] else ([], [])
    if status == "open":
        sql, values = _in_list("r.status", _OPEN_STATUSES)
        conditions.append(sql)
        params += values
    elif status in RequestStatus.values:
        conditions.append("r.status = %s")
        params.append(status)
    if kind:
        conditions.append("r.kind = %s")
        params.append(kind)
    if priority:
        conditions.append("r.priority = %s")
        params.append(int(priority))
    if assignee is not None:
        conditions.append("r.assignee_id = %s")
        params.append(getattr(assignee, "pk", assignee))
    elif unassigned:
        conditions.append("r.assignee_id IS NULL")
    if organization is not None:
        conditions.append("r.organization_id = %s")
        params.append(getattr(organization, "pk", organization))
    if step:
        conditions.append("r.step = %s")
        params.append(step)
    if clock in _CLOCK_SQL:
        condition = _CLOCK_SQL[clock]
        conditions.append(f"r.id IN (SELECT c.request_id FROM cocreation_requestclock c WHERE {condition})")  # noqa: S608 - names only
        params += [_moment_param(now)] * condition.count("%s")
    query = (query or "").strip()
    searches_account = bool(query)
    if query:
        pattern = f"%{connection.ops.prep_for_like_query(query)}%"
        if connection.vendor == "postgresql":
            matches = ["UPPER(r.title::text) LIKE UPPER(%s)", "UPPER(qo.name::text) LIKE UPPER(%s)"]
        else:
            matches = ["r.title LIKE %s ESCAPE '\\'", "qo.name LIKE %s ESCAPE '\\'"]
        params += [pattern, pattern]
        reference = query.upper().removeprefix("REQ-").lstrip("0")
        if reference.isdigit():
            matches.append("r.id = %s")
            params.append(int(reference))
        conditions.append(f"({' OR '.join(matches)})")
    return conditions, params, searches_account


@dataclass(slots=True)
class _Clock:
    """A clock as the list reads it: what clock_status needs, without its target."""

    kind: str
    limit_seconds: int
    elapsed_seconds: int
    state: str
    due_at: datetime | None
    warning_at: datetime | None
    stopped_at: datetime | None
    breached_at: datetime | None
    target: None = None

    def get_kind_display(self) -> str:
        return _CLOCK_KINDS.get(self.kind, self.kind)


@dataclass(slots=True)
class RequestRow:
    """One row of the request list: the request, its account's and people's names, and the state of
    its `worst_clock` (a ClockStatus, without its target's name), as with_clock_list picks it."""

    pk: int
    title: str
    kind: str
    priority: int
    status: str
    opened_at: datetime
    organization_id: int
    organization_name: str
    requester_name: str
    assignee_name: str
    clocks: list[_Clock] = field(default_factory=list)
    worst_clock: ClockStatus | None = None

    @property
    def reference(self) -> str:
        return f"REQ-{self.pk:06d}"


@dataclass(frozen=True)
class RequestPage:
    """A page of the request list: its rows (`page`, a Django Page, for the pagination links), and the
    figures above the list (request_counts) when they were asked for."""

    page: Page
    rows: list[RequestRow]
    counts: dict[str, int] | None = None


def _counted_page(total: int, number, per_page: int) -> tuple[Paginator, int]:
    paginator = Paginator((), per_page)
    paginator.count = total  # known already: no COUNT of the rows the paginator would slice
    try:
        number = paginator.validate_number(number)
    except PageNotAnInteger:
        number = 1
    except EmptyPage:
        number = paginator.num_pages
    return paginator, number


_CLOCK_ORDER = {
    ClockState.BREACHED: 0,
    ClockState.WARNING: 1,
    ClockState.RUNNING: 2,
    ClockState.PAUSED: 3,
    ClockState.MET: 4,
}
_NO_COUNTS = {"open": 0, "unassigned": 0, "waiting": 0, "breached": 0}
# The requests of the list (`r`, `source` and `where` from _list_conditions): the columns a row shows.
_LISTED = (
    "SELECT r.id, r.title, r.kind, r.priority, r.status, r.opened_at, r.organization_id, r.requester_id,"
    " r.assignee_id FROM {source} {where}"
)
# A page of them (`p`, ordered, LIMIT and OFFSET parameters), with the names of their account and people.
# and their clocks (a row per clock, in the order of their kinds).
_PAGE_COLUMNS = (
    "p.id, p.title, p.kind, p.priority, p.status, p.opened_at, p.organization_id, o.name, s.name,"
    " u.first_name, u.last_name, u.username, k.kind, k.limit_seconds, k.elapsed_seconds, k.state,"
    " k.due_at, k.warning_at, k.stopped_at, k.breached_at"
)
_PAGE_NAMES = (
    " LEFT OUTER JOIN journeys_organization o ON o.id = p.organization_id"
    " LEFT OUTER JOIN journeys_stakeholder s ON s.id = p.requester_id"
    " LEFT OUTER JOIN auth_user u ON u.id = p.assignee_id"
    " LEFT OUTER JOIN cocreation_requestclock k ON k.request_id = p.id"
    " ORDER BY p.priority, p.opened_at, p.id, k.kind"
)
_ORDERED = "ORDER BY {table}.priority, {table}.opened_at, {table}.id LIMIT %s OFFSET %s"
# The figures of request_counts over the requests `q` (parameters: the waiting status, now).
_FIGURES = (
    "SELECT COUNT(*) AS total, COUNT(CASE WHEN q.assignee_id IS NULL THEN 1 END) AS unassigned,"  # noqa: S608 - names only
    " COUNT(CASE WHEN q.status = %s THEN 1 END) AS waiting,"
    " COUNT(CASE WHEN EXISTS (SELECT 1 FROM cocreation_requestclock c"
    f" WHERE c.request_id = q.id AND {_CLOCK_SQL['breached']}) THEN 1 END) AS breached"
)


def _is_default(filters: dict) -> bool:
    """Whether the filters ask for the open requests and nothing more (the list's default)."""
    return filters.get("status") == "open" and not any(
        value for name, value in filters.items() if name != "status" and value not in (None, "", False)
    )


def _rows_of(records, now: datetime) -> list[RequestRow]:
    """The page's rows from its records (one per clock), each with its worst clock's state at `now`."""
    rows: list[RequestRow] = []
    row = None
    for record in records:
        if row is None or record[0] != row.pk:
            pk, title, kind, priority, status, opened, account, account_name, requester = record[:9]
            first, last, username = record[9:12]
            assignee = (f"{first} {last}".strip() or username) if username is not None else ""
            row = RequestRow(
                pk,
                title,
                kind,
                priority,
                status,
                as_moment(opened),
                account,
                account_name or "",
                requester or "",
                assignee,
            )
            rows.append(row)
        if record[12] is not None:
            kind, limit, elapsed, state, due, warning, stopped, breached = record[12:20]
            row.clocks.append(
                _Clock(
                    kind,
                    limit,
                    elapsed,
                    state,
                    as_moment(due),
                    as_moment(warning),
                    as_moment(stopped),
                    as_moment(breached),
                )
            )
    for row in rows:
        if row.clocks:
            worst = min(row.clocks, key=lambda clock: _CLOCK_ORDER[_state_at(clock, now)])
            row.worst_clock = clock_status(worst, now=now)
    return rows


def _page_rows(listed: str, params: list, number: int, per_page: int, now: datetime) -> list[RequestRow]:
    records = fetch(
        f"SELECT {_PAGE_COLUMNS} FROM ({listed} {_ORDERED.format(table='r')}) p{_PAGE_NAMES}",  # noqa: S608 - names only
        [*params, per_page, (number - 1) * per_page],
    )
    return _rows_of(records, now)


def _figures_and_page(listed: str, params: list, number: int, per_page: int, now: datetime):
    """The open requests' figures and a page of them in one query: both read the same requests."""
    records = fetch(
        f"WITH q AS ({listed}), f AS ({_FIGURES} FROM q)"  # noqa: S608 - names only
        f" SELECT f.total, f.unassigned, f.waiting, f.breached, {_PAGE_COLUMNS} FROM f"
        f" LEFT OUTER JOIN (SELECT q.* FROM q {_ORDERED.format(table='q')}) p ON 1 = 1{_PAGE_NAMES}",
        [*params, str(RequestStatus.WAITING), _moment_param(now), per_page, (number - 1) * per_page],
    )
    total, unassigned, waiting, breached = records[0][:4]
    counts = {"open": total, "unassigned": unassigned, "waiting": waiting, "breached": breached}
    return counts, _rows_of([record[4:] for record in records if record[4] is not None], now)


def request_page(
    *,
    user,
    page=None,
    per_page: int = REQUESTS_PER_PAGE,
    with_counts: bool = False,
    now: datetime | None = None,
    **filters,
) -> RequestPage:
    """A page of request_list (the same filters and order) as RequestRow, with the clocks' states at
    `now`, and (`with_counts`) the figures of request_counts. Two queries: the rows counted, and a page
    of them with their names and clocks (three with the figures); unfiltered, the list is the open
    requests, whose figures (and so their number) and page are read together in one."""
    now = now or timezone.now()
    found = _list_conditions(user, now=now, **filters)
    if found is None:
        paginator, number = _counted_page(0, page, per_page)
        return RequestPage(Page([], number, paginator), [], dict(_NO_COUNTS) if with_counts else None)
    conditions, params, searches_account = found
    source = "cocreation_servicerequest r"
    if searches_account:
        source += " INNER JOIN journeys_organization qo ON qo.id = r.organization_id"
    where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
    listed = _LISTED.format(source=source, where=where)
    counts = None
    if _is_default(filters):
        number = max(int(page), 1) if str(page or "").isdigit() else 1
        figures, rows = _figures_and_page(listed, params, number, per_page, now)
        counts = figures if with_counts else None
        paginator, number_shown = _counted_page(figures["open"], page, per_page)
        if number_shown != number:  # past the last page: show the last one, as Paginator.get_page does
            rows = _page_rows(listed, params, number_shown, per_page, now)
    else:
        if with_counts:
            counts = request_counts(user=user, now=now)
        total = fetch(f"SELECT COUNT(*) FROM {source} {where}", params)[0][0]  # noqa: S608 - names only
        paginator, number_shown = _counted_page(total, page, per_page)
        rows = _page_rows(listed, params, number_shown, per_page, now) if total else []
    return RequestPage(Page(rows, number_shown, paginator), rows, counts)


def request_counts(*, user, now: datetime | None = None) -> dict[str, int]:
    """The figures above the request list, in one query over the open requests only: open, unassigned,
    with a breached clock, waiting on the customer."""
    scope = _scope_sql(user, "q.organization_id")
    if scope is None:
        return dict(_NO_COUNTS)
    statuses, status_params = _in_list("q.status", _OPEN_STATUSES)
    where = f"{scope[0]} AND {statuses}" if scope[0] else statuses
    ((total, unassigned, waiting, breached),) = fetch(
        f"{_FIGURES} FROM cocreation_servicerequest q WHERE {where}",
        [str(RequestStatus.WAITING), _moment_param(now or timezone.now()), *scope[1], *status_params],
    )
    return {"open": total, "unassigned": unassigned, "waiting": waiting, "breached": breached}


# --- the choices of the request forms (appended for the request pages) ------------------------------

REQUEST_WORKER_ROLES = (
    roles.Role.SERVICE_DESK_AGENT,
    roles.Role.RELATIONSHIP_MANAGER,
    roles.Role.ADMINISTRATOR,
)


def request_assignee_choices(*, include: int | None = None) -> QuerySet:
    """The people a request may be assigned to: active users with a desk, relationship manager or
    administrator role (integrators are API accounts), by name; `include` keeps the current assignee
    in the list whatever their role now."""
    users = get_user_model().objects
    workers = users.filter(Q(groups__name__in=REQUEST_WORKER_ROLES) | Q(is_superuser=True), is_active=True)
    chosen = Q(pk__in=workers.values("pk"))
    if include is not None:
        chosen |= Q(pk=include)
    return users.filter(chosen).order_by("first_name", "last_name", "username")


def request_people_choices(*, organization, include: int | None = None) -> QuerySet:
    """The account's people who may ask: its active stakeholders (and `include`, the current
    requester), by name."""
    people = Q(is_active=True) if include is None else Q(is_active=True) | Q(pk=include)
    return Stakeholder.objects.filter(people, organization=organization).order_by("name", "id")


def request_agreement_choices(*, organization) -> QuerySet:
    """The account's active agreements, each with `clock_target_count` (its active request-clock
    targets): the agreements that may time a request, the earliest-started first."""
    return (
        Agreement.objects.filter(organization=organization, status=AgreementStatus.ACTIVE)
        .annotate(
            clock_target_count=Count("targets", filter=Q(targets__is_active=True) & ~Q(targets__clock=""))
        )
        .order_by("starts_on", "id")
    )


def account_cocreate_panel(*, user, organization) -> dict:
    """What the account page's Co-create panel shows: the open requests, most urgent first, with their
    clocks; how many are open and breached; the feedback waiting for a person to acknowledge it; the
    moments of truth of the last 90 days not yet reviewed; the account's user communities. Five
    queries; 404 for an outsider."""
    from datetime import timedelta

    from cocreation.models import Feedback, FeedbackStatus, UserCommunity
    from journeys.models import Touchpoint

    if not organization_is_visible(user, organization):
        raise Http404("Not found.")
    open_rows = Q(status__in=OPEN_REQUEST_STATUSES)
    figures = ServiceRequest.objects.filter(organization=organization).aggregate(
        open=Count("pk", filter=open_rows),
        breached=Count(
            "pk",
            filter=open_rows
            & Q(pk__in=RequestClock.objects.filter(breached_at__isnull=False).values("request_id")),
        ),
        resolved_90=Count("pk", filter=Q(resolved_at__gte=timezone.now() - timedelta(days=90))),
    )
    since = timezone.now() - timedelta(days=90)
    return {
        "requests": requests_open_for_account(user=user, organization=organization, limit=5),
        "open": figures["open"],
        "breached": figures["breached"],
        "resolved_90": figures["resolved_90"],
        "feedback_waiting": Feedback.objects.filter(
            organization=organization, status=FeedbackStatus.RECEIVED
        ).count(),
        "moments_to_review": Touchpoint.objects.filter(
            organization=organization,
            moment_of_truth=True,
            occurred_at__gte=since,
            moment_review__isnull=True,
        ).count(),
        "communities": list(UserCommunity.objects.filter(organization=organization).order_by("name")[:5]),
    }
