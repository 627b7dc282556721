"""Reads of the Engage step: the stakeholder grid of an account (influence × interest), now or as it
stood on a past date, and the coverage warnings that go with it.

Positions in the past come from the stakeholders' change history (django-simple-history keeps a row per
change with its date), so the grid needs no snapshot table of its own and every move ever made can be
shown again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from journeys.models import (
    GRID_HIGH_FROM,
    ConsumerRole,
    GridQuadrant,
    Organization,
    OrganizationKind,
    Stakeholder,
    Touchpoint,
    grid_quadrant,
)
from journeys.selectors import organization_is_visible

# The board's layout: high influence on top, high interest on the right.
GRID_LAYOUT = (
    (GridQuadrant.KEEP_SATISFIED, GridQuadrant.MANAGE_CLOSELY),
    (GridQuadrant.MONITOR, GridQuadrant.KEEP_INFORMED),
)


@dataclass(frozen=True)
class GridPerson:
    """One stakeholder on the grid, with where they stood on the comparison date when one was asked."""

    stakeholder: Stakeholder
    compared: bool = False
    was: tuple[int, int] | None = None

    @property
    def pk(self) -> int:
        return self.stakeholder.pk

    @property
    def position(self) -> tuple[int, int]:
        return (self.stakeholder.influence, self.stakeholder.interest)

    @property
    def is_new(self) -> bool:
        """Not on the grid at the comparison date (not yet on record, or not active then)."""
        return self.compared and self.was is None

    @property
    def moved(self) -> bool:
        return self.was is not None and self.was != self.position

    @property
    def was_quadrant(self) -> GridQuadrant | None:
        return grid_quadrant(*self.was) if self.was else None


@dataclass(frozen=True)
class GridCell:
    quadrant: GridQuadrant
    people: list[GridPerson] = field(default_factory=list)


@dataclass(frozen=True)
class StakeholderGrid:
    organization: Organization
    as_of: datetime | None
    compared_with: datetime | None
    cells: dict[GridQuadrant, GridCell]

    @property
    def rows(self) -> list[list[GridCell]]:
        return [[self.cells[quadrant] for quadrant in row] for row in GRID_LAYOUT]

    @property
    def people(self) -> list[GridPerson]:
        return [person for cell in self.cells.values() for person in cell.people]


@dataclass(frozen=True)
class GridWarnings:
    silence_days: int
    silent_key_players: list[Stakeholder]
    missing_roles: list[ConsumerRole]

    def __bool__(self) -> bool:
        return bool(self.silent_key_players or self.missing_roles)


def _require_visible(user, organization: Organization) -> None:
    if not organization_is_visible(user, organization):
        raise Http404("Not found.")


def _active_people(organization: Organization, moment: datetime | None) -> QuerySet[Stakeholder]:
    """The account's active stakeholders now, or as they were recorded at `moment` (the latest history
    row of each person up to then; people not yet on record, or deleted by then, are left out). A person
    who changed organization since is judged by where they belonged at that moment."""
    if moment is None:
        people = Stakeholder.objects.filter(organization=organization, is_active=True)
    else:
        people = Stakeholder.history.as_of(moment).filter(organization_id=organization.pk, is_active=True)
    return people.order_by("-influence", "-interest", "name", "id")


def stakeholder_grid(
    *,
    user,
    organization: Organization,
    as_of: datetime | None = None,
    compare_with: datetime | None = None,
) -> StakeholderGrid:
    """The account's grid in its four quadrants: now, or as of a past moment; with each person's
    position at `compare_with` when given, so the page can show who moved. One query for the grid and
    one for the comparison, whatever the number of people."""
    _require_visible(user, organization)
    earlier: dict[int, tuple[int, int]] = {}
    if compare_with is not None:
        earlier = {
            pk: (influence, interest)
            for pk, influence, interest in _active_people(organization, compare_with).values_list(
                "id", "influence", "interest"
            )
        }
    cells = {quadrant: GridCell(quadrant=quadrant) for quadrant in GridQuadrant}
    for stakeholder in _active_people(organization, as_of):
        person = GridPerson(
            stakeholder=stakeholder, compared=compare_with is not None, was=earlier.get(stakeholder.pk)
        )
        cells[grid_quadrant(stakeholder.influence, stakeholder.interest)].people.append(person)
    return StakeholderGrid(organization=organization, as_of=as_of, compared_with=compare_with, cells=cells)


def grid_warnings(*, user, organization: Organization, silence_days: int) -> GridWarnings:
    """What the grid should make a relationship manager act on: key players (manage closely) with no
    touchpoint for `silence_days` days or none at all, and, for a service consumer, the consumer roles
    (customer, user, sponsor) that no active stakeholder holds. Two queries."""
    _require_visible(user, organization)
    since = timezone.now() - timedelta(days=silence_days)
    last_touchpoint = (
        Touchpoint.objects.filter(stakeholder=OuterRef("pk"))
        .order_by("-occurred_at")
        .values("occurred_at")[:1]
    )
    silent = list(
        Stakeholder.objects.filter(
            organization=organization,
            is_active=True,
            influence__gte=GRID_HIGH_FROM,
            interest__gte=GRID_HIGH_FROM,
        )
        .annotate(last_touchpoint_at=Subquery(last_touchpoint))
        .filter(Q(last_touchpoint_at__isnull=True) | Q(last_touchpoint_at__lt=since))
        .order_by(F("last_touchpoint_at").asc(nulls_first=True), "name", "id")
    )
    missing: list[ConsumerRole] = []
    if organization.kind == OrganizationKind.CONSUMER:
        holders = Stakeholder.objects.filter(organization=organization, is_active=True).aggregate(
            customer=Count("pk", filter=Q(is_customer=True)),
            user=Count("pk", filter=Q(is_user=True)),
            sponsor=Count("pk", filter=Q(is_sponsor=True)),
        )
        missing = [role for role in ConsumerRole if not holders[role.value]]
    return GridWarnings(silence_days=silence_days, silent_key_players=silent, missing_roles=missing)
