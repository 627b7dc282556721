"""Reads of Offer: the opportunity pipeline, a board with a column per stage (demand, proposal,
agreed, lost) over the accounts the user may see or over one account, and single opportunities
with the stages they went through.

Opportunities belong to their account: exactly those who may see the organization see them (404
otherwise). The board is two queries whatever the size of the portfolio: the cards, at most
`per_column` a column (a window function numbers them per stage), and the column totals (count and
estimated value), summed by the database over the same opportunities.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Count, F, Q, QuerySet, Sum, Window
from django.db.models.functions import Left, RowNumber
from django.http import Http404
from django.utils import timezone

from journeys import roles
from journeys.models import Organization
from journeys.roles import Role
from journeys.selectors import organization_is_visible, organization_scope
from offerings.models import OfferingStatus, Opportunity, OpportunityStage, ServiceOffering

__all__ = [
    "CLOSED_WITHIN_DAYS",
    "PIPELINE_PER_COLUMN",
    "OpportunityCard",
    "PipelineBoard",
    "PipelineColumn",
    "StageVisit",
    "opportunity_get",
    "opportunity_scope",
    "opportunity_stage_history",
    "pipeline_board",
    "pipeline_filter_choices",
]

# Agreed and lost opportunities stay on the board this long after they closed.
CLOSED_WITHIN_DAYS = 90
PIPELINE_PER_COLUMN = 100
OPEN_STAGES = (OpportunityStage.DEMAND, OpportunityStage.PROPOSAL)

_CARD_FIELDS = (
    "pk",
    "title",
    "stage",
    "stage_changed_at",
    "estimated_value",
    "expected_close_date",
    "organization_id",
    "organization__name",
    "offering__name",
    "owner__first_name",
    "owner__last_name",
    "owner__username",
    "reason",
)
# A card shows the start of the reason an opportunity was lost; its page shows all of it.
REASON_ON_CARD = 120


def opportunity_scope(user) -> QuerySet[Opportunity]:
    """The opportunities of the organizations the user may see."""
    if roles.sees_whole_portfolio(user):
        return Opportunity.objects.all()
    return Opportunity.objects.filter(organization__in=organization_scope(user))


def opportunity_get(*, user, pk: int) -> Opportunity:
    """One opportunity with its account, offering, journey and owner; 404 for one the user may not see."""
    # get() rather than first(): a lookup by key needs no ORDER BY.
    rows = Opportunity.objects.select_related("organization", "offering", "journey", "owner").filter(pk=pk)
    try:
        found = rows.get()
    except Opportunity.DoesNotExist:
        raise Http404("No such opportunity.") from None
    if not organization_is_visible(user, found.organization):
        raise Http404("No such opportunity.")
    return found


@dataclass(slots=True)
class OpportunityCard:
    """What a card on the pipeline shows of one opportunity."""

    pk: int
    title: str
    stage: str
    stage_changed_at: datetime
    estimated_value: Decimal | None
    expected_close_date: date | None
    organization_id: int
    organization_name: str
    offering_name: str | None
    owner_name: str
    lost_reason: str = ""

    @property
    def is_open(self) -> bool:
        return self.stage in OPEN_STAGES

    def is_overdue(self, today: date) -> bool:
        return self.is_open and self.expected_close_date is not None and self.expected_close_date < today


def _card(row: tuple) -> OpportunityCard:
    (
        pk,
        title,
        stage,
        changed,
        value,
        close,
        organization_id,
        organization,
        offering,
        first,
        last,
        username,
        reason,
    ) = row
    return OpportunityCard(
        pk=pk,
        title=title,
        stage=stage,
        stage_changed_at=changed,
        estimated_value=value,
        expected_close_date=close,
        organization_id=organization_id,
        organization_name=organization,
        offering_name=offering,
        owner_name=f"{first or ''} {last or ''}".strip() or (username or ""),
        lost_reason=reason if len(reason) <= REASON_ON_CARD else reason[:REASON_ON_CARD].rstrip() + "…",
    )


@dataclass
class PipelineColumn:
    stage: OpportunityStage
    cards: list[OpportunityCard] = field(default_factory=list)
    count: int = 0
    total_value: Decimal = Decimal(0)

    @property
    def hidden(self) -> int:
        """Opportunities of the column beyond the cards shown."""
        return max(0, self.count - len(self.cards))


@dataclass
class PipelineBoard:
    organization: Organization | None
    columns: list[PipelineColumn]
    closed_since: datetime
    per_column: int

    @property
    def open_value(self) -> Decimal:
        return sum((column.total_value for column in self.columns if column.stage in OPEN_STAGES), Decimal(0))

    @property
    def count(self) -> int:
        return sum(column.count for column in self.columns)


def pipeline_board(
    *,
    user,
    organization: Organization | None = None,
    search: str = "",
    owner: str = "",
    offering: ServiceOffering | None = None,
    closed_within_days: int = CLOSED_WITHIN_DAYS,
    per_column: int = PIPELINE_PER_COLUMN,
) -> PipelineBoard:
    """The pipeline of one account (`organization`), or of every account the user may see, narrowed
    by part of the account's name (`search`), by owner ("me", "none" or a user id) and by offering.
    Open opportunities are all there; agreed and lost ones only when they closed in the last
    `closed_within_days` days. A column shows at most `per_column` cards, those expected to close
    first on top (then those waiting longest in their stage); its count and total estimated value
    cover all of its opportunities. Two queries (one for the totals alone, with `per_column=0`)."""
    if organization is not None:
        if not organization_is_visible(user, organization):
            raise Http404("Not found.")
        opportunities = Opportunity.objects.filter(organization=organization)
    else:
        opportunities = opportunity_scope(user)
        if search:
            opportunities = opportunities.filter(organization__name__icontains=search)
    if owner == "me":
        opportunities = opportunities.filter(owner=user)
    elif owner == "none":
        opportunities = opportunities.filter(owner__isnull=True)
    elif owner.isdigit():
        opportunities = opportunities.filter(owner_id=int(owner))
    if offering is not None:
        opportunities = opportunities.filter(offering=offering)
    closed_since = timezone.now() - timedelta(days=closed_within_days)
    opportunities = opportunities.filter(Q(stage__in=OPEN_STAGES) | Q(stage_changed_at__gte=closed_since))
    columns = {stage: PipelineColumn(stage=stage) for stage in OpportunityStage}
    order = [F("expected_close_date").asc(nulls_last=True), "stage_changed_at", "id"]
    rows = []
    if per_column > 0:
        rows = (
            opportunities.annotate(
                place=Window(RowNumber(), partition_by=[F("stage")], order_by=order),
                reason=Left("lost_reason", REASON_ON_CARD + 1),
            )
            .filter(place__lte=per_column)
            .order_by(*order)
            .values_list(*_CARD_FIELDS)
        )
    for row in rows:
        card = _card(row)
        columns[OpportunityStage(card.stage)].cards.append(card)
    for row in (
        opportunities.order_by().values("stage").annotate(count=Count("pk"), value=Sum("estimated_value"))
    ):
        column = columns[OpportunityStage(row["stage"])]
        column.count, column.total_value = row["count"], row["value"] or Decimal(0)
    return PipelineBoard(
        organization=organization,
        columns=list(columns.values()),
        closed_since=closed_since,
        per_column=per_column,
    )


def pipeline_filter_choices() -> tuple[list, list[ServiceOffering]]:
    """The people an opportunity can belong to (relationship managers and administrators) and the
    offerings not retired: what the pipeline's filters and forms offer. Two queries."""
    people = list(
        get_user_model()
        .objects.filter(groups__name__in=[Role.RELATIONSHIP_MANAGER, Role.ADMINISTRATOR], is_active=True)
        .distinct()
        .only("pk", "first_name", "last_name", "username")
        .order_by("first_name", "username")
    )
    offerings = list(
        ServiceOffering.objects.exclude(status=OfferingStatus.RETIRED)
        .only("pk", "name")
        .order_by("name", "pk")
    )
    return people, offerings


@dataclass(frozen=True)
class StageVisit:
    stage: OpportunityStage
    since: datetime
    until: datetime | None
    by: str

    @property
    def days(self) -> int:
        return ((self.until or timezone.now()) - self.since).days


def opportunity_stage_history(*, user, opportunity: Opportunity) -> list[StageVisit]:
    """The stages the opportunity went through, oldest first, each with when it began (the recorded
    `stage_changed_at`), when it ended and who moved it there; read from its change history. One query."""
    if not organization_is_visible(user, opportunity.organization):
        raise Http404("Not found.")
    visits: list[StageVisit] = []
    rows = (
        Opportunity.history.filter(id=opportunity.pk)
        .order_by("history_date", "history_id")
        .values_list(
            "stage",
            "stage_changed_at",
            "history_user__first_name",
            "history_user__last_name",
            "history_user__username",
        )
    )
    for stage, since, first, last, username in rows:
        if visits and visits[-1].stage == stage and visits[-1].since == since:
            continue
        who = f"{first or ''} {last or ''}".strip() or (username or "")
        if visits:
            visits[-1] = StageVisit(
                stage=visits[-1].stage, since=visits[-1].since, until=since, by=visits[-1].by
            )
        visits.append(StageVisit(stage=OpportunityStage(stage), since=since, until=None, by=who))
    return visits
