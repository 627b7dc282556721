"""Reads of Agree: agreements, their lists and their page.

Agreements belong to their account: exactly those who may see the organization see them (404
otherwise). The lists annotate what they show (the latest compliance, the active targets, the targets
breached in the open period) with correlated subqueries, so a page costs the same number of queries
whatever the number of agreements. The agreement's page reads its parts in a fixed number of queries,
its change history included (the agreement's and its targets' historical records, newest first,
bounded to the last HISTORY_LIMIT entries).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import formats, timezone

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
from agreements.selectors.dashboard import target_current_scores
from journeys import roles
from journeys.models import Organization, Stakeholder
from journeys.selectors import organization_is_visible, organization_scope
from offerings.models import OfferingStatus, ServiceOffering
from relationships.selectors import relationship_atypical_warnings, service_relationship_of

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
    return formats.date_format(value, "j M Y")


def _name_of(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.username


# --- scope ------------------------------------------------------------------------------------------


def agreement_scope(user) -> QuerySet[Agreement]:
    """The agreements of the organizations the user may see."""
    if roles.sees_whole_portfolio(user):
        return Agreement.objects.all()
    return Agreement.objects.filter(organization__in=organization_scope(user))


def agreement_get(*, user, pk: int) -> Agreement:
    """One agreement with its account, owner and customer contact; 404 for one the user may not see."""
    rows = Agreement.objects.select_related("organization", "owner", "customer_contact").filter(pk=pk)
    try:
        found = rows.get()
    except Agreement.DoesNotExist:
        raise Http404("No such agreement.") from None
    if not organization_is_visible(user, found.organization):
        raise Http404("No such agreement.")
    return found


# --- lists ------------------------------------------------------------------------------------------


def _count_of(queryset: QuerySet) -> Coalesce:
    """How many rows of `queryset` (already narrowed to OuterRef("pk")) there are, as a subquery."""
    counted = queryset.order_by().values("agreement").annotate(number=Count("pk")).values("number")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _with_figures(agreements: QuerySet[Agreement], today: date) -> QuerySet[Agreement]:
    """Annotate the latest measured month's compliance (`compliance_pct`, `compliance_month`), the
    active targets (`active_targets`) and the targets breached in the period holding `today`
    (`breached_targets`)."""
    latest = Scorecard.objects.filter(agreement=OuterRef("pk"), compliance_pct__isnull=False).order_by(
        "-month"
    )
    return agreements.annotate(
        compliance_pct=Subquery(latest.values("compliance_pct")[:1]),
        compliance_month=Subquery(latest.values("month")[:1]),
        active_targets=_count_of(ServiceLevelTarget.objects.filter(agreement=OuterRef("pk"), is_active=True)),
        breached_targets=_count_of(
            TargetScore.objects.filter(
                agreement=OuterRef("pk"),
                status=ComplianceStatus.BREACHED,
                period_start__lte=today,
                period_end__gte=today,
            )
        ),
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
    title. Each carries its account and owner and the figures of `_with_figures`. One query."""
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
    agreements = agreements.select_related("organization", "owner").order_by(
        "organization__name", "title", "id"
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


def agreement_kind_warnings(*, organization: Organization, kind: str) -> list[str]:
    """The Engage step's warnings when an agreement of this kind is unusual for the consumer's
    relationship type; none while no relationship type is recorded for the consumer. One query."""
    relationship = service_relationship_of(organization=organization)
    if relationship is None or not kind:
        return []
    return relationship_atypical_warnings(relationship_type=relationship.current_type, agreement_type=kind)


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


def _records_with_previous(historical_model, limit: int, **lookup) -> tuple[list, dict]:
    """The newest `limit` historical records matching `lookup`, newest first, and each one's previous
    record of the same object by history id (two queries: the records, then those of their previous
    records that are not among them)."""
    earlier = historical_model.objects.filter(id=OuterRef("id")).filter(
        Q(history_date__lt=OuterRef("history_date"))
        | Q(history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id"))
    )
    rows = list(
        historical_model.objects.filter(**lookup)
        .select_related("history_user")
        .annotate(
            previous_id=Subquery(earlier.order_by("-history_date", "-history_id").values("history_id")[:1])
        )
        .order_by("-history_date", "-history_id")[:limit]
    )
    known = {row.history_id: row for row in rows}
    missing = {row.previous_id for row in rows if row.previous_id and row.previous_id not in known}
    if missing:
        known.update({row.history_id: row for row in historical_model.objects.filter(history_id__in=missing)})
    return rows, known


def _field_label(model, name: str) -> str:
    return FIELD_LABELS.get(name) or str(model._meta.get_field(name).verbose_name).capitalize()


def _shown(model, name: str, value, names: dict) -> str:
    """A value as people read it: the label of a choice, a date, a plain number, a related name."""
    if value is None or value == "":
        return "—"
    model_field = model._meta.get_field(name)
    if model_field.is_relation:
        return names.get((model_field.related_model, value), "(removed)")
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date):
        return _day(value)
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    text = " ".join(str(value).split())
    return text if len(text) <= TEXT_IN_HISTORY else text[:TEXT_IN_HISTORY].rstrip() + "…"


def _related_names(deltas: list) -> dict:
    """The names of the people, contacts and calendars the changes mention, one query per kind."""
    wanted: dict[type, set] = {}
    for model, changes in deltas:
        for change in changes:
            model_field = model._meta.get_field(change.field)
            if model_field.is_relation:
                ids = wanted.setdefault(model_field.related_model, set())
                ids.update(value for value in (change.old, change.new) if value is not None)
    names: dict = {}
    user_model = get_user_model()
    for related, ids in wanted.items():
        if related is user_model:
            for user in user_model.objects.filter(pk__in=ids).only(
                "pk", "first_name", "last_name", "username"
            ):
                names[(related, user.pk)] = _name_of(user)
        elif related in (Stakeholder, BusinessCalendar):
            for pk, name in related.objects.filter(pk__in=ids).values_list("pk", "name"):
                names[(related, pk)] = name
    return names


def agreement_history(*, user, agreement: Agreement, limit: int = HISTORY_LIMIT) -> list[HistoryEntry]:
    """The agreement's and its targets' changes, newest first, at most `limit`: who, when, and each
    changed field from what to what (creations say "created"). A fixed number of queries: the records
    of each, their earlier records not among them, and the names of people, contacts and calendars
    the changes mention."""
    if not organization_is_visible(user, agreement.organization):
        raise Http404("Not found.")
    sources = (
        (Agreement, AGREEMENT_HISTORY_EXCLUDED, {"id": agreement.pk}),
        (ServiceLevelTarget, TARGET_HISTORY_EXCLUDED, {"agreement_id": agreement.pk}),
    )
    pending = []
    for model, excluded, lookup in sources:
        rows, known = _records_with_previous(model.history.model, limit, **lookup)
        for row in rows:
            previous = known.get(row.previous_id) if row.previous_id else None
            changes = []
            if row.history_type == "~" and previous is not None:
                changes = row.diff_against(previous, excluded_fields=excluded).changes
                if not changes:
                    continue
            pending.append((model, row, changes))
    pending.sort(key=lambda item: (item[1].history_date, item[1].history_id), reverse=True)
    pending = pending[:limit]
    names = _related_names([(model, changes) for model, _row, changes in pending])
    entries = []
    for model, row, changes in pending:
        action = {"+": "created", "-": "deleted"}.get(row.history_type, "changed")
        entries.append(
            HistoryEntry(
                when=row.history_date,
                who=_name_of(row.history_user) or "DSV (automatic)",
                subject="Agreement" if model is Agreement else f"Target “{row.name}”",
                action=action,
                changes=[
                    FieldChange(
                        label=_field_label(model, change.field),
                        old=_shown(model, change.field, change.old, names),
                        new=_shown(model, change.field, change.new, names),
                    )
                    for change in changes
                ],
                target_id=None if model is Agreement else row.id,
            )
        )
    return entries


# --- the agreement's page ---------------------------------------------------------------------------


def _plain(value: Decimal | None, unit: str = "") -> str:
    """A number without trailing zeros (99.5000 → 99.5), with its unit."""
    if value is None:
        return ""
    text = format(value.normalize(), "f")
    return f"{text} {unit}" if unit else text


@dataclass(frozen=True)
class TargetRow:
    target: ServiceLevelTarget
    score: TargetScore | None

    @property
    def warning(self) -> str:
        """ "≥ 99.7 %": where the target starts to be at risk; empty without a threshold."""
        target = self.target
        if target.warning_threshold is None:
            return ""
        return f"{Comparator(target.comparator).symbol} {_plain(target.warning_threshold, target.unit)}"

    @property
    def achieved(self) -> str:
        if self.score is None or self.score.achieved_value is None:
            return ""
        return _plain(self.score.achieved_value, self.target.unit)

    @property
    def baseline(self) -> str:
        return _plain(self.target.baseline, self.target.unit)

    @property
    def clock_limit(self) -> str:
        return _plain(self.target.clock_limit_hours, "h")

    @property
    def status(self) -> str:
        return self.score.status if self.score else ComplianceStatus.NO_DATA

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


def agreement_page(*, user, agreement: Agreement, today: date | None = None) -> AgreementPage:
    """Everything the agreement's page shows: offerings, targets with their score in the open period,
    reviews, relationship-type warnings, the moves the user may make and what stops them, and the
    change history. A fixed number of queries whatever the number of targets, reviews and changes."""
    if not organization_is_visible(user, agreement.organization):
        raise Http404("Not found.")
    today = today or timezone.localdate()
    scores = target_current_scores(agreement=agreement, today=today)
    targets = [
        TargetRow(target=target, score=scores.get(target.pk))
        for target in agreement.targets.select_related("calendar").order_by("-is_active", "position", "id")
    ]
    active = sum(1 for row in targets if row.target.is_active)
    return AgreementPage(
        agreement=agreement,
        offerings=list(agreement.offerings.order_by("name", "pk")),
        targets=targets,
        reviews=list(agreement.reviews.select_related("reviewed_by").order_by("-held_on", "-id")),
        warnings=agreement_kind_warnings(organization=agreement.organization, kind=agreement.kind),
        transitions=agreement_transition_options(
            user=user, agreement=agreement, today=today, active_targets=active
        ),
        history=agreement_history(user=user, agreement=agreement),
        today=today,
    )
