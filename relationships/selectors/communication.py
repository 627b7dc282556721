"""Reads of the communication plans: each stakeholder's planned cadence and channel, and how well the
plan is kept, counted from touchpoints in the database for every plan of an account in one query (see
`_with_counts`; relationships.adherence derives the figures from the counts): what matters is whether
the planned contacts happened, through the planned channel, and when the next one is due."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import (
    Case,
    Count,
    DateField,
    Exists,
    F,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from journeys.models import GRID_HIGH_FROM, Organization, Stakeholder, Touchpoint
from journeys.selectors import organization_is_visible, organization_scope
from relationships.adherence import ADHERENCE_WINDOW_DAYS, Adherence, adherence_of
from relationships.models import CommunicationPlan

__all__ = [
    "ADHERENCE_WINDOW_DAYS",
    "KEY_STAKEHOLDER_INFLUENCE",
    "Adherence",
    "CommunicationRow",
    "communication_plan_get",
    "communication_plan_list",
    "communication_plans_for_organization",
    "communication_plans_overdue",
    "last_contact",
    "plan_is_overdue",
]

# Key stakeholders, who should each have a communication plan: high influence on the 1–5 scale.
KEY_STAKEHOLDER_INFLUENCE = GRID_HIGH_FROM


# --- the counts, in the database -------------------------------------------------------------------


class AddDays(Func):
    """A date plus a number of days (an expression, possibly negative), on SQLite and PostgreSQL."""

    output_field = DateField()
    template = "((%(expressions)s))"
    arg_joiner = ")::date + ("

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler, connection, template="date(%(expressions)s || ' days')", arg_joiner=", ", **extra
        )


def _count(touchpoints: QuerySet) -> Subquery:
    return Coalesce(
        Subquery(touchpoints.order_by().values("stakeholder_id").annotate(n=Count("pk")).values("n")[:1]),
        Value(0),
    )


def _day_end(today: date) -> datetime:
    return datetime.combine(today + timedelta(days=1), time.min, tzinfo=timezone.get_current_timezone())


def last_contact(*, person: str, today: date) -> Subquery:
    """The moment of the person's latest touchpoint up to today (`person`: the path to their id)."""
    return Subquery(
        Touchpoint.objects.filter(stakeholder_id=OuterRef(person), occurred_at__lt=_day_end(today))
        .order_by("-occurred_at")
        .values("occurred_at")[:1]
    )


def _with_counts(queryset: QuerySet, *, plan: str, person: str, today: date) -> QuerySet:
    """Annotate each row with what relationships.adherence derives its figures from. `plan` is the path
    from the row to the plan's fields ("" on plans, "communication_plan__" on stakeholders), `person` the
    row's stakeholder id. Over the window from the later of the plan's start and `today` −
    ADHERENCE_WINDOW_DAYS, up to today:

    - contacts: touchpoints with the person in the window; contacts_on_channel: those on the plan's
      preferred channel;
    - last_contact_at: the person's latest touchpoint up to today, whenever it was;
    - adherence_as_of: `today`.

    Each count is one subquery over the (stakeholder, occurred_at) index, referred to once.
    """
    # Bounds as moments, not as dates of occurred_at: a function of the column would keep the database
    # from using the (stakeholder, occurred_at) index, and these subqueries run once per person.
    floor_moment = datetime.combine(
        today - timedelta(days=ADHERENCE_WINDOW_DAYS), time.min, tzinfo=timezone.get_current_timezone()
    )
    in_window = Touchpoint.objects.filter(
        stakeholder_id=OuterRef(person),
        occurred_at__gte=floor_moment,
        occurred_at__lt=_day_end(today),
        occurred_at__date__gte=OuterRef(f"{plan}starts_on"),
    )
    # People without a plan have nothing to count: the CASE keeps the database from running the counting
    # subqueries for them (on an account page, most of the rows).
    has_plan = Q(**{f"{plan}starts_on__isnull": False})
    return queryset.annotate(
        contacts=Case(When(has_plan, then=_count(in_window)), default=Value(0)),
        contacts_on_channel=Case(
            When(has_plan, then=_count(in_window.filter(channel=OuterRef(f"{plan}preferred_channel")))),
            default=Value(0),
        ),
        last_contact_at=last_contact(person=person, today=today),
        adherence_as_of=Value(today, output_field=DateField()),
    )


def plan_is_overdue(*, today: date, plan: str = "", person: str = "stakeholder_id") -> Q:
    """The condition "the plan's next contact was due before today", for filtering and counting in the
    database (relationships.adherence says the same in Python): the first contact was due before today,
    and nobody has been in touch since a cadence ago. On communication plans by default; `plan` and
    `person` are the paths to the plan's fields and to the person's id from other rows (on stakeholders:
    "communication_plan__" and "pk")."""
    today_value = Value(today, output_field=DateField())
    recent = Touchpoint.objects.filter(
        stakeholder_id=OuterRef(person),
        occurred_at__lt=_day_end(today),
        # A bound on the column itself, a day wider than the exact condition below whatever the time
        # zone, so the (stakeholder, occurred_at) index limits the rows the exact condition looks at.
        occurred_at__gte=AddDays(today_value, -OuterRef(f"{plan}cadence_days") - 1),
        occurred_at__date__gte=AddDays(today_value, -OuterRef(f"{plan}cadence_days")),
    )
    return Q(**{f"{plan}starts_on__lt": AddDays(today_value, -F(f"{plan}cadence_days"))}) & ~Q(Exists(recent))


# --- communication plans ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CommunicationRow:
    """An active stakeholder of the account with their plan (or none) and its figures."""

    stakeholder: Stakeholder
    plan: CommunicationPlan | None
    last_contact_at: datetime | None = None
    figures: Adherence | None = None

    @property
    def is_key(self) -> bool:
        return self.stakeholder.influence >= KEY_STAKEHOLDER_INFLUENCE

    @property
    def overdue(self) -> bool:
        return bool(self.figures and self.figures.overdue)

    @property
    def next_due(self) -> date | None:
        return self.figures.next_due if self.figures else None


def _require_visible(user, organization: Organization) -> None:
    if not organization_is_visible(user, organization):
        raise Http404("Not found.")


def _has_plan(stakeholder: Stakeholder) -> bool:
    try:
        return stakeholder.communication_plan is not None
    except CommunicationPlan.DoesNotExist:
        return False


def communication_plans_for_organization(
    *, user, organization: Organization, today: date | None = None
) -> list[CommunicationRow]:
    """Every active stakeholder of the account with their plan and its adherence: overdue plans first,
    then the others by next due date (the more influential first on the same day), then the people
    without a plan (most influential first). One query, whatever the number of people and touchpoints;
    an account has tens of active people, so ordering by the derived figures happens here."""
    _require_visible(user, organization)
    today = today or timezone.localdate()
    people = _with_counts(
        Stakeholder.objects.filter(organization=organization, is_active=True)
        .select_related("communication_plan", "communication_plan__owner")
        .order_by("-influence", "name", "pk"),
        plan="communication_plan__",
        person="pk",
        today=today,
    )
    rows = []
    for person in people:
        plan = person.communication_plan if _has_plan(person) else None
        figures = None
        if plan is not None:
            figures = adherence_of(
                starts_on=plan.starts_on,
                cadence_days=plan.cadence_days,
                contacts=person.contacts,
                contacts_on_channel=person.contacts_on_channel,
                last_contact_at=person.last_contact_at,
                today=today,
            )
        rows.append(
            CommunicationRow(
                stakeholder=person, plan=plan, last_contact_at=person.last_contact_at, figures=figures
            )
        )
    # Stable: within each group the database's order (influence, name) stands.
    rows.sort(key=lambda row: (not row.overdue, row.next_due is None, row.next_due or today))
    return rows


def communication_plan_list(
    *, user, organization: Organization | None = None, today: date | None = None
) -> QuerySet[CommunicationPlan]:
    """The plans the user may see (of one account when given), each with its counts annotated: read its
    figures from `plan.adherence_figures`."""
    plans = CommunicationPlan.objects.filter(stakeholder__organization__in=organization_scope(user))
    if organization is not None:
        plans = plans.filter(stakeholder__organization=organization)
    return _with_counts(
        plans.select_related("stakeholder", "stakeholder__organization", "owner"),
        plan="",
        person="stakeholder_id",
        today=today or timezone.localdate(),
    )


def communication_plans_overdue(
    plans: QuerySet[CommunicationPlan], *, overdue: bool = True, today: date | None = None
) -> QuerySet[CommunicationPlan]:
    """Only the plans that are overdue (or, with overdue=False, those that are not)."""
    condition = plan_is_overdue(today=today or timezone.localdate())
    return plans.filter(condition if overdue else ~condition)


def communication_plan_get(*, user, pk: int, today: date | None = None) -> CommunicationPlan:
    plan = communication_plan_list(user=user, today=today).filter(pk=pk).first()
    if plan is None:
        raise Http404("No such communication plan.")
    return plan
