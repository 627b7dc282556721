"""Reads of Offer: a consumer's requirements, on its requirement board (MoSCoW columns ranked within,
or by WSJF) and for the API.

Requirements belong to their account: exactly those who may see the organization see them, and
someone who may not gets a 404. The board is two queries whatever the number of requirements: the
cards, read as tuples (a card needs no model instance), and the column figures, summed by the
database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache, lru_cache

from django.db import connection
from django.db.models import Count, F, IntegerField, QuerySet, Sum
from django.db.models.expressions import RawSQL
from django.http import Http404

from journeys import roles
from journeys.models import Journey, Organization
from journeys.selectors import organization_is_visible, organization_scope
from offerings import prioritization
from offerings.models import (
    MoscowCategory,
    Requirement,
    RequirementStatus,
    ServiceOffering,
    wsjf_score_expression,
)
from offerings.prioritization import InvestCheck

__all__ = [
    "BOARD_COLUMNS",
    "BOARD_ORDERS",
    "CLOSED_REQUIREMENT_STATUSES",
    "BoardColumn",
    "RequirementBoard",
    "RequirementCard",
    "requirement_board",
    "requirement_board_choices",
    "requirement_get",
    "requirement_scope",
]

# The board's columns from left to right: the ones still to prioritize, then must to won't.
BOARD_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("", "unprioritized", "Not yet prioritized"),
    *((category.value, category.value, category.label) for category in MoscowCategory),
)
# "rank": the order agreed within each column; "wsjf": cost of delay ÷ job size, highest first.
BOARD_ORDERS = ("rank", "wsjf")
CLOSED_REQUIREMENT_STATUSES = (
    RequirementStatus.VALIDATED,
    RequirementStatus.REJECTED,
    RequirementStatus.DEFERRED,
)

_CARD_FIELDS = (
    "pk",
    "title",
    "status",
    "kind",
    "non_functional_category",
    "moscow",
    "rank",
    "service_impact",
    "urgency",
    "risk_reduction",
    "job_size",
    "invest_bits",
)
# What the INVEST check of a card reads, as bits of one number the database computes (a board of
# hundreds of cards then reads one column rather than nine): the six flags, then whether the story
# says what is wanted, names its benefit and has acceptance criteria.
_INVEST_FLAGS = ("is_independent", "is_negotiable", "is_valuable", "is_estimable", "is_small", "is_testable")
_INVEST_TEXTS = ("i_want", "so_that", "acceptance_criteria")


@cache
def _invest_bits_sql(vendor: str) -> str:
    """Written once per database kind (`vendor` is the cache key: quoting differs between them)."""
    quote = connection.ops.quote_name
    table = quote(Requirement._meta.db_table)
    terms = [
        f"CASE WHEN {table}.{quote(flag)} THEN {1 << bit} ELSE 0 END"
        for bit, flag in enumerate(_INVEST_FLAGS)
    ]
    terms += [
        f"CASE WHEN {table}.{quote(text)} = '' THEN 0 ELSE {1 << bit} END"
        for bit, text in enumerate(_INVEST_TEXTS, start=len(_INVEST_FLAGS))
    ]
    return " + ".join(f"({term})" for term in terms)


def _invest_bits() -> RawSQL:
    """The bits as one SQL sum of our own column names (no input in it). Written as SQL because the
    same sum of nine ORM Case expressions takes longer to build than the board's query takes to run."""
    sql = _invest_bits_sql(connection.vendor)
    return RawSQL(sql, (), output_field=IntegerField())  # noqa: S611 - our column names only, no input


def requirement_scope(user) -> QuerySet[Requirement]:
    """The requirements of the organizations the user may see."""
    if roles.sees_whole_portfolio(user):
        return Requirement.objects.all()
    return Requirement.objects.filter(organization__in=organization_scope(user))


def requirement_get(*, user, pk: int) -> Requirement:
    """One requirement with its account, journey, offering and owner; 404 for one the user may not see."""
    # get() rather than first(): a lookup by key needs no ORDER BY.
    rows = Requirement.objects.select_related("organization", "journey", "offering", "owner").filter(pk=pk)
    try:
        found = rows.get()
    except Requirement.DoesNotExist:
        raise Http404("No such requirement.") from None
    if not organization_is_visible(user, found.organization):
        raise Http404("No such requirement.")
    return found


def _require_visible(user, organization: Organization) -> None:
    if not organization_is_visible(user, organization):
        raise Http404("Not found.")


@dataclass(slots=True)
class RequirementCard:
    """What a card on the board shows of one requirement."""

    pk: int
    title: str
    status: str
    kind: str
    non_functional_category: str
    moscow: str
    rank: int
    service_impact: int | None
    urgency: int | None
    risk_reduction: int | None
    job_size: int | None
    invest_bits: int  # what the INVEST check reads, as bits (the same bits, the same check)
    # The ranks of the cards shown just above and below it in its column (None at either end):
    # with a filter on, the arrow buttons move a card past its visible neighbour.
    above_rank: int | None = None
    below_rank: int | None = None

    @property
    def is_scored(self) -> bool:
        return self.job_size is not None

    @property
    def cost_of_delay(self) -> int | None:
        if not self.is_scored:
            return None
        return self.service_impact + self.urgency + self.risk_reduction

    @property
    def wsjf_score(self) -> Decimal | None:
        if not self.is_scored:
            return None
        return _wsjf_score(self.service_impact, self.urgency, self.risk_reduction, self.job_size)

    @property
    def invest(self) -> InvestCheck:
        return _invest_of(self.invest_bits)

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_REQUIREMENT_STATUSES


@cache
def _invest_of(bits: int) -> InvestCheck:
    """The INVEST check of a card from its bits; a board's cards share a few dozen results."""
    flags = [bool(bits & (1 << bit)) for bit in range(len(_INVEST_FLAGS) + len(_INVEST_TEXTS))]
    independent, negotiable, valuable, estimable, small, testable, has_want, has_benefit, has_acceptance = (
        flags
    )
    return prioritization.invest_check(
        independent=independent,
        negotiable=negotiable,
        valuable=valuable,
        estimable=estimable,
        small=small,
        testable=testable,
        i_want="x" if has_want else "",
        so_that="x" if has_benefit else "",
        acceptance_criteria="x" if has_acceptance else "",
    )


@lru_cache(maxsize=4096)
def _wsjf_score(service_impact: int, urgency: int, risk_reduction: int, job_size: int) -> Decimal:
    return prioritization.wsjf_score(
        service_impact=service_impact, urgency=urgency, risk_reduction=risk_reduction, job_size=job_size
    )


def _card(row: tuple) -> RequirementCard:
    (pk, title, status, kind, category, moscow, rank, impact, urgency, risk, size, bits) = row
    return RequirementCard(
        pk=pk,
        title=title,
        status=status,
        kind=kind,
        non_functional_category=category,
        moscow=moscow,
        rank=rank,
        service_impact=impact,
        urgency=urgency,
        risk_reduction=risk,
        job_size=size,
        invest_bits=bits,
    )


@dataclass
class BoardColumn:
    moscow: str  # "" for the requirements not yet prioritized
    key: str  # "unprioritized" in URLs and markup, else the category
    label: str
    cards: list[RequirementCard] = field(default_factory=list)
    count: int = 0
    scored: int = 0
    effort: int = 0  # the sum of the job sizes of its scored requirements
    effort_share: int | None = None  # its effort as a whole percentage of the board's


@dataclass
class RequirementBoard:
    organization: Organization
    order: str
    journey: Journey | None
    offering: ServiceOffering | None
    columns: list[BoardColumn]

    @property
    def filtered(self) -> bool:
        return self.journey is not None or self.offering is not None

    @property
    def count(self) -> int:
        return sum(column.count for column in self.columns)


def _filtered(requirements: QuerySet, journey, offering) -> QuerySet:
    if journey is not None:
        requirements = requirements.filter(journey=journey)
    if offering is not None:
        requirements = requirements.filter(offering=offering)
    return requirements


def requirement_board(
    *,
    user,
    organization: Organization,
    order: str = "rank",
    journey: Journey | None = None,
    offering: ServiceOffering | None = None,
) -> RequirementBoard:
    """The account's requirements in their columns, each column in its agreed order (`rank`) or by WSJF
    score (highest first, unscored last), optionally only those of one journey or offering; with each
    column's count and effort (summed job sizes) and its share of the board's effort. Two queries."""
    _require_visible(user, organization)
    requirements = _filtered(Requirement.objects.filter(organization=organization), journey, offering)
    cards = requirements.annotate(invest_bits=_invest_bits())
    if order == "wsjf":
        cards = cards.annotate(score=wsjf_score_expression()).order_by(
            F("score").desc(nulls_last=True), "rank", "id"
        )
    else:
        order = "rank"
        cards = cards.order_by("rank", "id")
    columns = {
        moscow: BoardColumn(moscow=moscow, key=key, label=label) for moscow, key, label in BOARD_COLUMNS
    }
    for row in cards.values_list(*_CARD_FIELDS):
        card = _card(row)
        column = columns.get(card.moscow)
        if column is not None:
            column.cards.append(card)
    figures = (
        requirements.values("moscow")
        .annotate(count=Count("pk"), scored=Count("job_size"), effort=Sum("job_size"))
        .order_by()
    )
    for row in figures:
        column = columns.get(row["moscow"])
        if column is not None:
            column.count, column.scored, column.effort = row["count"], row["scored"], row["effort"] or 0
    total_effort = sum(column.effort for column in columns.values())
    for column in columns.values():
        if total_effort:
            column.effort_share = round(100 * column.effort / total_effort)
        cards = column.cards
        for index, card in enumerate(cards):
            card.above_rank = cards[index - 1].rank if index > 0 else None
            card.below_rank = cards[index + 1].rank if index + 1 < len(cards) else None
    return RequirementBoard(
        organization=organization,
        order=order,
        journey=journey,
        offering=offering,
        columns=list(columns.values()),
    )


def requirement_board_choices(
    *, user, organization: Organization
) -> tuple[list[Journey], list[ServiceOffering]]:
    """What the board can be narrowed to: the account's journeys, and the offerings its requirements
    name. Two queries."""
    _require_visible(user, organization)
    journeys = list(
        Journey.objects.filter(organization=organization).only("pk", "name").order_by("name", "pk")
    )
    offerings = list(
        ServiceOffering.objects.filter(
            pk__in=Requirement.objects.filter(organization=organization).values("offering_id")
        )
        .only("pk", "name")
        .order_by("name", "pk")
    )
    return journeys, offerings
