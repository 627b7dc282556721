"""Reads of the communication plans: each stakeholder's planned cadence and channel, and how well the
plan is kept, computed from touchpoints in the database for every plan of an account in one query (see
`_with_adherence`): what matters is whether the planned contacts happened, through the planned channel,
and when the next one is due."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import (
    Case,
    Count,
    DateField,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Greatest, Least, TruncDate
from django.http import Http404
from django.utils import timezone

from journeys.models import GRID_HIGH_FROM, Organization, Stakeholder, Touchpoint
from journeys.selectors import organization_is_visible, organization_scope
from relationships.models import (
    CommunicationPlan,
)

__all__ = [
    "ADHERENCE_WINDOW_DAYS",
    "KEY_STAKEHOLDER_INFLUENCE",
    "CommunicationRow",
    "communication_plan_get",
    "communication_plan_list",
    "communication_plans_for_organization",
]

# Adherence looks back this far (or to the plan's start, if later): long enough for a twice-yearly
# cadence to count, short enough that last year's habits do not hide today's silence.
ADHERENCE_WINDOW_DAYS = 180
# Key stakeholders, who should each have a communication plan: high influence on the 1–5 scale.
KEY_STAKEHOLDER_INFLUENCE = GRID_HIGH_FROM


# --- database date arithmetic -----------------------------------------------------------------------


class DaysBetween(Func):
    """Whole days from `earlier` to `later` (two dates), on SQLite and PostgreSQL."""

    output_field = IntegerField()
    template = "((%(expressions)s)::date)"
    arg_joiner = ")::date - ("

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra,
        )


class AddDays(Func):
    """A date plus a number of days (a column), on SQLite and PostgreSQL."""

    output_field = DateField()
    template = "((%(expressions)s))"
    arg_joiner = ")::date + ("

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler, connection, template="date(%(expressions)s || ' days')", arg_joiner=", '+' || ", **extra
        )


def _count(touchpoints: QuerySet) -> Subquery:
    return Coalesce(
        Subquery(touchpoints.order_by().values("stakeholder_id").annotate(n=Count("pk")).values("n")[:1]),
        Value(0),
    )


def _with_adherence(queryset: QuerySet, *, plan: str, person: str, today: date) -> QuerySet:
    """Annotate each row with its communication plan's figures. `plan` is the path from the row to the
    plan's fields ("" on plans, "communication_plan__" on stakeholders), `person` the row's stakeholder
    id. Over the window from the later of the plan's start and `today` − ADHERENCE_WINDOW_DAYS, up to
    today:

    - expected_contacts: ⌈window days ÷ cadence⌉, at least 1;
    - contacts: touchpoints with the person in the window; contacts_on_channel: those on the plan's
      preferred channel; channel_share = contacts_on_channel ÷ contacts (None without contacts);
    - adherence = min(contacts ÷ expected, 1), None for a plan that has not started yet;
    - last_contact_at: the person's latest touchpoint up to today, whenever it was;
    - next_due: the later of the last contact's day and the plan's start, plus the cadence;
      overdue when next_due is before today.
    """
    starts_on, cadence = F(f"{plan}starts_on"), F(f"{plan}cadence_days")
    floor = Value(today - timedelta(days=ADHERENCE_WINDOW_DAYS), output_field=DateField())
    today_value = Value(today, output_field=DateField())
    # Bounds as moments, not as dates of occurred_at: a function of the column would keep the database
    # from using the (stakeholder, occurred_at) index, and these subqueries run once per person.
    zone = timezone.get_current_timezone()
    floor_moment = datetime.combine(today - timedelta(days=ADHERENCE_WINDOW_DAYS), time.min, tzinfo=zone)
    end_moment = datetime.combine(today + timedelta(days=1), time.min, tzinfo=zone)
    in_window = Touchpoint.objects.filter(
        stakeholder_id=OuterRef(person),
        occurred_at__gte=floor_moment,
        occurred_at__lt=end_moment,
        occurred_at__date__gte=OuterRef(f"{plan}starts_on"),
    )
    last_contact = Touchpoint.objects.filter(stakeholder_id=OuterRef(person), occurred_at__lt=end_moment)
    return (
        queryset.annotate(
            window_start=Greatest(starts_on, floor),
            contacts=_count(in_window),
            contacts_on_channel=_count(in_window.filter(channel=OuterRef(f"{plan}preferred_channel"))),
            last_contact_at=Subquery(last_contact.order_by("-occurred_at").values("occurred_at")[:1]),
        )
        .annotate(
            window_days=DaysBetween(today_value, F("window_start")),
            next_due=AddDays(Greatest(Coalesce(TruncDate("last_contact_at"), starts_on), starts_on), cadence),
        )
        .annotate(
            expected_contacts=Greatest((F("window_days") + cadence - 1) / cadence, Value(1)),
        )
        .annotate(
            adherence=Case(
                When(**{f"{plan}starts_on__gt": today}, then=Value(None, output_field=FloatField())),
                default=Least(
                    Cast("contacts", FloatField()) / Cast("expected_contacts", FloatField()), Value(1.0)
                ),
                output_field=FloatField(),
            ),
            channel_share=Case(
                When(contacts=0, then=Value(None, output_field=FloatField())),
                default=Cast("contacts_on_channel", FloatField()) / Cast("contacts", FloatField()),
                output_field=FloatField(),
            ),
            overdue=Case(When(next_due__lt=today_value, then=Value(True)), default=Value(False)),
        )
    )


# --- communication plans ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CommunicationRow:
    """An active stakeholder of the account with their plan (or none) and its figures."""

    stakeholder: Stakeholder
    plan: CommunicationPlan | None
    contacts: int = 0
    contacts_on_channel: int = 0
    expected_contacts: int | None = None
    adherence: float | None = None
    channel_share: float | None = None
    last_contact_at: datetime | None = None
    next_due: date | None = None
    overdue: bool = False
    window_start: date | None = None

    @property
    def is_key(self) -> bool:
        return self.stakeholder.influence >= KEY_STAKEHOLDER_INFLUENCE

    @property
    def adherence_percent(self) -> int | None:
        return None if self.adherence is None else round(self.adherence * 100)

    @property
    def channel_share_percent(self) -> int | None:
        return None if self.channel_share is None else round(self.channel_share * 100)


def _require_visible(user, organization: Organization) -> None:
    if not organization_is_visible(user, organization):
        raise Http404("Not found.")


def communication_plans_for_organization(
    *, user, organization: Organization, today: date | None = None
) -> list[CommunicationRow]:
    """Every active stakeholder of the account with their plan and its adherence: overdue plans first,
    then the others by next due date, then the people without a plan (most influential first). One
    query, whatever the number of people and touchpoints."""
    _require_visible(user, organization)
    today = today or timezone.localdate()
    people = _with_adherence(
        Stakeholder.objects.filter(organization=organization, is_active=True).select_related(
            "communication_plan", "communication_plan__owner"
        ),
        plan="communication_plan__",
        person="pk",
        today=today,
    ).order_by(
        F("overdue").desc(),
        F("next_due").asc(nulls_last=True),
        "-influence",
        "name",
        "pk",
    )
    rows = []
    for person in people:
        plan = getattr(person, "communication_plan", None) if _has_plan(person) else None
        figures = {
            "contacts": person.contacts,
            "contacts_on_channel": person.contacts_on_channel,
            "expected_contacts": person.expected_contacts,
            "adherence": person.adherence,
            "channel_share": person.channel_share,
            "next_due": person.next_due,
            "overdue": bool(person.overdue),
            "window_start": person.window_start,
        }
        rows.append(
            CommunicationRow(
                stakeholder=person,
                plan=plan,
                last_contact_at=person.last_contact_at,
                **(figures if plan else {}),
            )
        )
    return rows


def _has_plan(stakeholder: Stakeholder) -> bool:
    try:
        return stakeholder.communication_plan is not None
    except CommunicationPlan.DoesNotExist:
        return False


def communication_plan_list(
    *, user, organization: Organization | None = None, today: date | None = None
) -> QuerySet[CommunicationPlan]:
    """The plans the user may see (of one account when given), each annotated with its figures."""
    plans = CommunicationPlan.objects.filter(stakeholder__organization__in=organization_scope(user))
    if organization is not None:
        plans = plans.filter(stakeholder__organization=organization)
    return _with_adherence(
        plans.select_related("stakeholder", "stakeholder__organization", "owner"),
        plan="",
        person="stakeholder_id",
        today=today or timezone.localdate(),
    )


def communication_plan_get(*, user, pk: int, today: date | None = None) -> CommunicationPlan:
    plan = communication_plan_list(user=user, today=today).filter(pk=pk).first()
    if plan is None:
        raise Http404("No such communication plan.")
    return plan
