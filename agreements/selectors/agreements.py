"""Reads of Agree: agreements, their lists and their page.

Agreements belong to their account: exactly those who may see the organization see them (404
otherwise). The lists annotate what they show (the latest compliance, the active targets, the targets
breached in the open period) with correlated subqueries, so a page costs the same number of queries
whatever the number of agreements. The agreement's page reads its parts in a fixed number of queries,
its change history included (the agreement's and its targets' historical records, newest first,
bounded to the last HISTORY_LIMIT entries).

Both pages are on the bench, where building and compiling a query costs more than PostgreSQL takes
to run it. So they read only the columns they show, fold what they can into one query (the
relationship type into the agreement's, each target's current score into the targets'), build the
queries that do not depend on the request once per process, write the list's figures as SQL, and work
out the history's changes by comparing each record's columns with the previous record's rather than
through simple-history's `diff_against`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import cache

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import (
    DateField,
    DecimalField,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Window,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Lag
from django.http import Http404
from django.utils import timezone

from agreements.models import (
    TRANSITIONS,
    Agreement,
    AgreementReview,
    AgreementStatus,
    BusinessCalendar,
    Comparator,
    ComplianceStatus,
    ReviewCadence,
    Scorecard,
    ServiceLevelTarget,
    TargetScore,
)
from journeys import roles
from journeys.html import day_text
from journeys.models import Organization, Stakeholder
from journeys.selectors import organization_is_visible, organization_scope
from offerings.models import OfferingStatus, ServiceOffering
from relationships.selectors import (
    relationship_atypical_warnings,
    service_relationship_of,
    with_relationship_type,
)

__all__ = [
    "AGREEMENTS_PER_PAGE",
    "HISTORY_LIMIT",
    "REVIEW_SOON_DAYS",
    "AgreementPage",
    "FieldChange",
    "HistoryEntry",
    "TargetRow",
    "TransitionOption",
    "account_agreements",
    "agreement_filter_offerings",
    "agreement_get",
    "agreement_history",
    "agreement_kind_warnings",
    "agreement_list",
    "agreement_page",
    "agreement_scope",
    "agreement_transition_blockers",
    "agreement_transition_options",
]

AGREEMENTS_PER_PAGE = 25
HISTORY_LIMIT = 50
# A review this close (or overdue) is flagged on the page and reminded to the owner by e-mail.
REVIEW_SOON_DAYS = 7


def _day(value: date) -> str:
    return day_text(value)


# --- scope ------------------------------------------------------------------------------------------


def agreement_scope(user) -> QuerySet[Agreement]:
    """The agreements of the organizations the user may see."""
    if roles.sees_whole_portfolio(user):
        return Agreement.objects.all()
    return Agreement.objects.filter(organization__in=organization_scope(user))


@cache
def _agreements_for_page() -> QuerySet[Agreement]:
    """Agreements with what their page shows of their account (its name, and who may see it), owner
    and customer contact (their names), and the consumer's relationship type (`relationship_type`,
    None while none is recorded). Built once per process: each read narrows a copy of it."""
    account = with_relationship_type(Organization.objects.filter(pk=OuterRef("organization_id")))
    return (
        Agreement.objects.select_related("organization", "owner", "customer_contact")
        .only(
            *(model_field.name for model_field in Agreement._meta.concrete_fields),
            "organization__name",
            "organization__owner",
            "organization__team",
            "owner__first_name",
            "owner__last_name",
            "owner__username",
            "customer_contact__name",
            "customer_contact__job_title",
        )
        .annotate(relationship_type=Subquery(account.values("relationship_type")[:1]))
    )


def agreement_get(*, user, pk: int, for_page: bool = False) -> Agreement:
    """One agreement with its account, owner and customer contact; 404 for one the user may not see.
    `for_page` also reads the consumer's relationship type (`relationship_type`), which the agreement's
    page warns with, in the same query."""
    if for_page:
        rows = _agreements_for_page()
    else:
        rows = Agreement.objects.select_related("organization", "owner", "customer_contact")
    try:
        found = rows.get(pk=pk)
    except Agreement.DoesNotExist:
        raise Http404("No such agreement.") from None
    if not organization_is_visible(user, found.organization):
        raise Http404("No such agreement.")
    return found


# --- lists ------------------------------------------------------------------------------------------


@cache
def _figures_sql(vendor: str) -> dict[str, str]:
    """The list's figures as correlated subqueries over our own tables and columns, written once per
    database kind (`vendor` is the cache key: quoting differs between them)."""
    quote = connection.ops.quote_name
    agreement = f"{quote(Agreement._meta.db_table)}.{quote('id')}"
    cards, targets, scores = (
        quote(model._meta.db_table) for model in (Scorecard, ServiceLevelTarget, TargetScore)
    )
    latest = (
        f"FROM {cards} c WHERE c.{quote('agreement_id')} = {agreement}"
        f" AND c.{quote('compliance_pct')} IS NOT NULL ORDER BY c.{quote('month')} DESC LIMIT 1"
    )
    return {
        "compliance_pct": f"SELECT c.{quote('compliance_pct')} {latest}",
        "compliance_month": f"SELECT c.{quote('month')} {latest}",
        "active_targets": (
            f"SELECT COUNT(*) FROM {targets} t WHERE t.{quote('agreement_id')} = {agreement}"  # noqa: S608
            f" AND t.{quote('is_active')} = %s"
        ),
        "breached_targets": (
            f"SELECT COUNT(*) FROM {scores} s WHERE s.{quote('agreement_id')} = {agreement}"  # noqa: S608
            f" AND s.{quote('status')} = %s AND s.{quote('period_start')} <= %s"
            f" AND s.{quote('period_end')} >= %s"
        ),
    }


def _with_figures(agreements: QuerySet[Agreement], today: date) -> QuerySet[Agreement]:
    """Annotate the latest measured month's compliance (`compliance_pct`, `compliance_month`), the
    active targets (`active_targets`) and the targets breached in the period holding `today`
    (`breached_targets`). Written as SQL because the same four ORM subqueries take longer to build
    than the list's query takes to run."""
    sql = _figures_sql(connection.vendor)
    pct = Scorecard._meta.get_field("compliance_pct")
    pct = DecimalField(max_digits=pct.max_digits, decimal_places=pct.decimal_places)
    # S611: our own table and column names only; the values are parameters.
    return agreements.annotate(
        compliance_pct=RawSQL(sql["compliance_pct"], (), output_field=pct),  # noqa: S611
        compliance_month=RawSQL(sql["compliance_month"], (), output_field=DateField()),  # noqa: S611
        active_targets=RawSQL(sql["active_targets"], (True,), output_field=IntegerField()),  # noqa: S611
        breached_targets=RawSQL(  # noqa: S611
            sql["breached_targets"], (ComplianceStatus.BREACHED, today, today), output_field=IntegerField()
        ),
    )


# What the lists show of an agreement, its account and its owner (the rest is left unread).
LIST_COLUMNS = (
    "title",
    "reference",
    "organization_id",
    "kind",
    "status",
    "starts_on",
    "ends_on",
    "review_cadence",
    "next_review_on",
    "owner_id",
    "organization__name",
    "owner__first_name",
    "owner__last_name",
    "owner__username",
)


def agreement_list(
    *,
    user,
    organization: Organization | None = None,
    status: str | None = None,
    kind: str | None = None,
    offering: ServiceOffering | None = None,
    search: str = "",
    today: date | None = None,
) -> QuerySet[Agreement]:
    """The agreements the user may see (of one account with `organization`), narrowed by status, kind,
    offering and part of the account's name, the title or the reference (`search`); by account, then
    title. Each carries its account and owner and the figures of `_with_figures`, with only the
    columns the lists show (LIST_COLUMNS). One query."""
    today = today or timezone.localdate()
    if organization is not None:
        if not organization_is_visible(user, organization):
            raise Http404("Not found.")
        agreements = Agreement.objects.filter(organization=organization)
    else:
        agreements = agreement_scope(user)
    if status:
        agreements = agreements.filter(status=status)
    if kind:
        agreements = agreements.filter(kind=kind)
    if offering is not None:
        agreements = agreements.filter(offerings=offering)
    search = (search or "").strip()
    if search:
        agreements = agreements.filter(
            Q(organization__name__icontains=search)
            | Q(title__icontains=search)
            | Q(reference__icontains=search)
        )
    agreements = (
        agreements.select_related("organization", "owner")
        .only(*LIST_COLUMNS)
        .order_by("organization__name", "title", "id")
    )
    return _with_figures(agreements, today)


def account_agreements(*, user, organization: Organization, today: date | None = None) -> list[Agreement]:
    """The account's agreements for its page's panel: status, kind, term, next review and the list's
    figures; live ones (active, agreed, in negotiation, draft) before ended ones. One query."""
    rows = list(agreement_list(user=user, organization=organization, today=today))
    order = {status: index for index, status in enumerate(("active", "agreed", "negotiating", "draft"))}
    rows.sort(key=lambda agreement: order.get(agreement.status, len(order)))
    return rows


def agreement_filter_offerings() -> list[ServiceOffering]:
    """The offerings an agreement may cover (not retired): what the filters and forms offer. One query."""
    return list(
        ServiceOffering.objects.exclude(status=OfferingStatus.RETIRED)
        .only("pk", "name")
        .order_by("name", "pk")
    )


# --- warnings and the lifecycle ---------------------------------------------------------------------


def _kind_warnings(relationship_type: str | None, kind: str) -> list[str]:
    if relationship_type is None or not kind:
        return []
    return relationship_atypical_warnings(relationship_type=relationship_type, agreement_type=kind)


def agreement_kind_warnings(*, organization: Organization, kind: str) -> list[str]:
    """The Engage step's warnings when an agreement of this kind is unusual for the consumer's
    relationship type; none while no relationship type is recorded for the consumer. One query."""
    relationship = service_relationship_of(organization=organization)
    return _kind_warnings(relationship.current_type if relationship else None, kind)


def agreement_transition_blockers(
    *, agreement: Agreement, to_status: str, today: date, active_targets: int | None = None
) -> dict[str, list[str]]:
    """What stops the agreement from moving to `to_status` now, by the field to fix (empty when nothing
    does). The move itself must be one of TRANSITIONS; a termination's reason is asked when it is made.
    `active_targets` spares the count when the caller knows it."""
    blockers: dict[str, list[str]] = {}

    def block(name: str, message: str) -> None:
        blockers.setdefault(name, []).append(message)

    if to_status in (AgreementStatus.AGREED, AgreementStatus.ACTIVE):
        verb = "be agreed" if to_status == AgreementStatus.AGREED else "become active"
        if active_targets is None:
            active_targets = agreement.targets.filter(is_active=True).count()
        if not active_targets:
            block("targets", f"Add a target before it can {verb}.")
        if agreement.starts_on is None:
            block("starts_on", f"Set the start date before it can {verb}.")
    if to_status == AgreementStatus.ACTIVE:
        if agreement.ends_on is not None and agreement.ends_on < today:
            block(
                "ends_on",
                f"Its end date, {_day(agreement.ends_on)}, has passed: "
                "set a later end date before activating it.",
            )
        if not agreement.review_cadence:
            block("review_cadence", "Choose a review cadence before it can become active.")
    if to_status == AgreementStatus.EXPIRED:
        if agreement.ends_on is None:
            block("ends_on", "It has no end date, so it cannot expire: terminate it instead.")
        elif agreement.ends_on >= today:
            block("ends_on", f"It can expire only after its end date, {_day(agreement.ends_on)}.")
    return blockers


TRANSITION_LABELS = {
    AgreementStatus.DRAFT: "Back to draft",
    AgreementStatus.NEGOTIATING: "Start negotiating",
    AgreementStatus.AGREED: "Mark as agreed",
    AgreementStatus.ACTIVE: "Activate",
    AgreementStatus.EXPIRED: "Mark as expired",
    AgreementStatus.TERMINATED: "Terminate…",
}


@dataclass(frozen=True)
class TransitionOption:
    """One move the lifecycle allows from the current status, with what still stops it."""

    status: AgreementStatus
    label: str
    blockers: list[str]

    @property
    def available(self) -> bool:
        return not self.blockers

    @property
    def needs_reason(self) -> bool:
        return self.status == AgreementStatus.TERMINATED


def agreement_transition_options(
    *, user, agreement: Agreement, today: date, active_targets: int | None = None
) -> list[TransitionOption]:
    """The moves the user may make from the agreement's status (none for read-only roles), each with
    the conditions it still lacks."""
    if not roles.may_manage_accounts(user):
        return []
    options = []
    for status in TRANSITIONS[agreement.status]:
        status = AgreementStatus(status)
        label = TRANSITION_LABELS[status]
        if status == AgreementStatus.NEGOTIATING and agreement.status == AgreementStatus.AGREED:
            label = "Reopen negotiation"
        blockers = agreement_transition_blockers(
            agreement=agreement, to_status=status, today=today, active_targets=active_targets
        )
        options.append(
            TransitionOption(
                status=status, label=label, blockers=[text for texts in blockers.values() for text in texts]
            )
        )
    return options


# --- history ----------------------------------------------------------------------------------------

# Bookkeeping columns people do not change themselves: left out of the change history.
AGREEMENT_HISTORY_EXCLUDED = (
    "id",
    "created_at",
    "updated_at",
    "organization",
    "status_changed_at",
    "review_reminded_on",
)
TARGET_HISTORY_EXCLUDED = ("id", "created_at", "updated_at", "agreement", "position")
FIELD_LABELS = {
    "starts_on": "Start date",
    "ends_on": "End date",
    "next_review_on": "Next review",
    "agreed_on": "Agreed on",
    "external_id": "External id",
    "target_value": "Target",
    "clock_limit_hours": "Clock limit (hours)",
    "is_active": "Active",
    "aggregation": "Combined as",
    "period": "Measurement period",
    "form": "Form of agreement",
}
# Long texts show their start in the history; the page shows them whole.
TEXT_IN_HISTORY = 120


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    """One recorded change: who made it, when, to what (the agreement or one of its targets), and
    which fields went from what to what."""

    when: datetime
    who: str
    subject: str
    action: str
    changes: list[FieldChange] = field(default_factory=list)
    target_id: int | None = None


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
class _HistorySource:
    """How the history reads one model's historical records: the fields a change lists (those
    simple-history's `diff_against` compares: the tracked, editable ones less the bookkeeping, by
    name) with their columns and labels, the columns naming what each related field points to, and
    the records' query, newest first, each with its previous record's id. The query is built once per
    process: each read narrows a copy of it."""

    model: type
    fields: tuple[str, ...]
    columns: tuple[str, ...]
    labels: dict[str, str]
    choices: dict[str, dict]
    names: dict[str, tuple[str, ...]]
    records: QuerySet

    @classmethod
    def of(cls, model, excluded: tuple[str, ...]) -> _HistorySource:
        historical = model.history.model
        tracked = {f.name: f for f in historical.tracked_fields if f.editable}
        fields = tuple(sorted(name for name in tracked if name not in excluded))
        names = {}
        for name in fields:
            related = model._meta.get_field(name).related_model
            if related is get_user_model():
                names[name] = tuple(f"{name}__{part}" for part in ("first_name", "last_name", "username"))
            elif related in (Stakeholder, BusinessCalendar):
                names[name] = (f"{name}__name",)
            elif related is not None:
                names[name] = ()
        columns = tuple(tracked[name].attname for name in fields)
        oldest_first = (F("history_date").asc(), F("history_id").asc())
        records = (
            historical.objects.annotate(
                previous_id=Window(Lag("history_id"), partition_by=F("id"), order_by=oldest_first)
            )
            .order_by("-history_date", "-history_id")
            .values(
                *HISTORY_HEAD,
                *columns,
                *(column for named in names.values() for column in named),
                "previous_id",
            )
        )
        return cls(
            model=model,
            fields=fields,
            columns=columns,
            labels={name: _field_label(model, name) for name in fields},
            choices={
                name: dict(model._meta.get_field(name).flatchoices)
                for name in fields
                if model._meta.get_field(name).choices
            },
            names=names,
            records=records,
        )

    def rows(self, limit: int, **lookup) -> list[dict]:
        """The newest `limit` records matching `lookup`, newest first, each with its previous record
        of the same object (`previous`, None for the first). One query; a second only when an
        object's previous record is older than the newest `limit` (a history longer than that)."""
        rows = list(self.records.filter(**lookup)[:limit])
        known = {row["history_id"]: row for row in rows}
        missing = {row["previous_id"] for row in rows} - known.keys() - {None}
        if missing:
            known.update((row["history_id"], row) for row in self.records.filter(history_id__in=missing))
        for row in rows:
            row["previous"] = known.get(row["previous_id"])
        return rows

    def shown(self, name: str, column: str, row: dict) -> str:
        """A value as people read it: the label of a choice, a date, a plain number, a related name."""
        value = row[column]
        if value is None or value == "":
            return "—"
        if name in self.names:
            return self._named(name, row)
        if name in self.choices:
            return str(self.choices[name].get(value, value))
        if isinstance(value, bool):
            return "yes" if value else "no"
        if isinstance(value, date):
            return _day(value)
        if isinstance(value, Decimal):
            return format(value.normalize(), "f")
        text = " ".join(str(value).split())
        return text if len(text) <= TEXT_IN_HISTORY else text[:TEXT_IN_HISTORY].rstrip() + "…"

    def _named(self, name: str, row: dict) -> str:
        """Whom or what a related field points to: a person's, contact's or calendar's name (as it is
        now), "(removed)" once it is gone."""
        named = [row[column] for column in self.names[name]]
        if len(named) == 3:
            first, last, username = named
            return "(removed)" if username is None else f"{first} {last}".strip() or username
        return named[0] if named and named[0] is not None else "(removed)"

    def changes(self, row: dict, previous: dict) -> list[FieldChange]:
        """The fields that differ between a record and the one before it, by field name (the order
        of `diff_against`)."""
        return [
            FieldChange(
                label=self.labels[name],
                old=self.shown(name, column, previous),
                new=self.shown(name, column, row),
            )
            for name, column in zip(self.fields, self.columns, strict=True)
            if row[column] != previous[column]
        ]


def _field_label(model, name: str) -> str:
    return FIELD_LABELS.get(name) or str(model._meta.get_field(name).verbose_name).capitalize()


@cache
def _history_sources() -> tuple[_HistorySource, _HistorySource]:
    return (
        _HistorySource.of(Agreement, AGREEMENT_HISTORY_EXCLUDED),
        _HistorySource.of(ServiceLevelTarget, TARGET_HISTORY_EXCLUDED),
    )


def _who(row: dict) -> str:
    username = row["history_user__username"]
    if username is None:
        return "DSV (automatic)"
    return f"{row['history_user__first_name']} {row['history_user__last_name']}".strip() or username


def agreement_history(*, user, agreement: Agreement, limit: int = HISTORY_LIMIT) -> list[HistoryEntry]:
    """The agreement's and its targets' changes, newest first, at most `limit`: who, when, and each
    changed field from what to what (creations say "created"). Two queries, one per model, each
    reading the records with the names of the people, contacts and calendars they mention (a third
    and fourth only for a history longer than `limit`); a change is what differs from the record
    before it."""
    if not organization_is_visible(user, agreement.organization):
        raise Http404("Not found.")
    agreement_source, target_source = _history_sources()
    sources = ((agreement_source, {"id": agreement.pk}), (target_source, {"agreement_id": agreement.pk}))
    found = []
    for source, lookup in sources:
        is_agreement = source is agreement_source
        for row in source.rows(limit, **lookup):
            previous = row["previous"]
            changes = []
            if row["history_type"] == "~" and previous is not None:
                changes = source.changes(row, previous)
                if not changes:
                    continue
            entry = HistoryEntry(
                when=row["history_date"],
                who=_who(row),
                subject="Agreement" if is_agreement else f"Target “{row['name']}”",
                action={"+": "created", "-": "deleted"}.get(row["history_type"], "changed"),
                changes=changes,
                target_id=None if is_agreement else row["id"],
            )
            found.append(((row["history_date"], row["history_id"]), entry))
    found.sort(key=lambda item: item[0], reverse=True)
    return [entry for _order, entry in found[:limit]]


# --- the agreement's page ---------------------------------------------------------------------------


def _plain(value: Decimal | None, unit: str = "") -> str:
    """A number without trailing zeros (99.5000 → 99.5), with its unit."""
    if value is None:
        return ""
    text = format(value.normalize(), "f")
    return f"{text} {unit}" if unit else text


@dataclass(frozen=True)
class TargetRow:
    """A target with its status in the period holding today, as last computed ("no_data" before the
    engine has computed it), and the value it achieved there."""

    target: ServiceLevelTarget
    status: str = ComplianceStatus.NO_DATA
    achieved_value: Decimal | None = None

    @property
    def warning(self) -> str:
        """ "≥ 99.7 %": where the target starts to be at risk; empty without a threshold."""
        target = self.target
        if target.warning_threshold is None:
            return ""
        return f"{Comparator(target.comparator).symbol} {_plain(target.warning_threshold, target.unit)}"

    @property
    def achieved(self) -> str:
        return _plain(self.achieved_value, self.target.unit)

    @property
    def baseline(self) -> str:
        return _plain(self.target.baseline, self.target.unit)

    @property
    def clock_limit(self) -> str:
        return _plain(self.target.clock_limit_hours, "h")

    @property
    def status_label(self) -> str:
        return ComplianceStatus(self.status).label


@dataclass
class AgreementPage:
    agreement: Agreement
    offerings: list[ServiceOffering]
    targets: list[TargetRow]
    reviews: list[AgreementReview]
    warnings: list[str]
    transitions: list[TransitionOption]
    history: list[HistoryEntry]
    today: date

    @property
    def active_target_count(self) -> int:
        return sum(1 for row in self.targets if row.target.is_active)

    @property
    def review_overdue(self) -> bool:
        review = self.agreement.next_review_on
        return review is not None and review < self.today and self.agreement.status in REVIEWABLE

    @property
    def review_soon(self) -> bool:
        review = self.agreement.next_review_on
        return (
            review is not None
            and self.today <= review
            and (review - self.today).days <= REVIEW_SOON_DAYS
            and self.agreement.status in REVIEWABLE
        )

    @property
    def may_review(self) -> bool:
        return self.agreement.status in REVIEWABLE

    @property
    def cadence_label(self) -> str:
        return ReviewCadence(self.agreement.review_cadence).label if self.agreement.review_cadence else ""


REVIEWABLE = (AgreementStatus.AGREED, AgreementStatus.ACTIVE)
# What the page shows of a review and of whoever recorded it.
REVIEW_COLUMNS = (
    "agreement",
    "held_on",
    "outcome",
    "compliance_pct",
    "summary",
    "reviewed_by__first_name",
    "reviewed_by__last_name",
    "reviewed_by__username",
)


def _page_targets(agreement: Agreement, today: date) -> list[TargetRow]:
    """The agreement's targets, active ones first, each with its score in the period holding `today`
    (joined in the same query; should two scores hold today, after a change of its period, the one
    of the latest period counts)."""
    targets = (
        ServiceLevelTarget.objects.filter(agreement_id=agreement.pk)
        .select_related("calendar")
        .only(
            *(model_field.name for model_field in ServiceLevelTarget._meta.concrete_fields), "calendar__name"
        )
        .annotate(
            now=FilteredRelation(
                "scores", condition=Q(scores__period_start__lte=today, scores__period_end__gte=today)
            ),
            score_status=F("now__status"),
            score_value=F("now__achieved_value"),
        )
        .order_by("-is_active", "position", "id", F("now__period_start").desc(nulls_last=True))
    )
    rows: dict[int, TargetRow] = {}
    for target in targets:
        if target.pk not in rows:
            rows[target.pk] = TargetRow(
                target=target,
                status=target.score_status or ComplianceStatus.NO_DATA,
                achieved_value=target.score_value,
            )
    return list(rows.values())


def agreement_page(*, user, agreement: Agreement, today: date | None = None) -> AgreementPage:
    """Everything the agreement's page shows: offerings, targets with their score in the open period,
    reviews, relationship-type warnings, the moves the user may make and what stops them, and the
    change history. A fixed number of queries whatever the number of targets, reviews and changes
    (one fewer when `agreement` comes from `agreement_get(..., for_page=True)`, which read the
    consumer's relationship type with it)."""
    if not organization_is_visible(user, agreement.organization):
        raise Http404("Not found.")
    today = today or timezone.localdate()
    targets = _page_targets(agreement, today)
    active = sum(1 for row in targets if row.target.is_active)
    if hasattr(agreement, "relationship_type"):
        warnings = _kind_warnings(agreement.relationship_type, agreement.kind)
    else:
        warnings = agreement_kind_warnings(organization=agreement.organization, kind=agreement.kind)
    return AgreementPage(
        agreement=agreement,
        offerings=list(agreement.offerings.only("pk", "name", "status").order_by("name", "pk")),
        targets=targets,
        reviews=list(
            agreement.reviews.select_related("reviewed_by").only(*REVIEW_COLUMNS).order_by("-held_on", "-id")
        ),
        warnings=warnings,
        transitions=agreement_transition_options(
            user=user, agreement=agreement, today=today, active_targets=active
        ),
        history=agreement_history(user=user, agreement=agreement),
        today=today,
    )
