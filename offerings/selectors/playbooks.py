"""Reads of onboarding playbooks: the playbooks of the catalogue's offerings, and one playbook's
template actions in a stable dependency order (every action after those it waits for) with the
figures its timeline needs. Like the catalogue, every signed-in role reads every playbook.

`playbook_actions_in_order` is what the Onboard step reads to turn a playbook into a plan.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from journeys import roles
from offerings.dependencies import dependency_order
from offerings.models import (
    OnboardingPlaybook,
    OwnerParty,
    PlaybookAction,
    PlaybookActionDependency,
    ServiceOffering,
)

__all__ = [
    "PlaybookStep",
    "PlaybookTimeline",
    "actions_in_dependency_order",
    "playbook_action_get",
    "playbook_actions_in_order",
    "playbook_get",
    "playbook_list",
    "playbook_scope",
    "playbook_timeline",
]


def playbook_scope(user) -> QuerySet[OnboardingPlaybook]:
    if not roles.roles_of(user):
        return OnboardingPlaybook.objects.none()
    return OnboardingPlaybook.objects.all()


def _action_count() -> Coalesce:
    rows = (
        PlaybookAction.objects.filter(playbook=OuterRef("pk"))
        .order_by()
        .values("playbook")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def _longest_due() -> Coalesce:
    rows = (
        PlaybookAction.objects.filter(playbook=OuterRef("pk"))
        .order_by("-due_after_days")
        .values("due_after_days")[:1]
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def playbook_list(*, user, offering: ServiceOffering | None = None) -> QuerySet[OnboardingPlaybook]:
    """Playbooks by offering (service, then name) and name, each with its offering, service and owner,
    its number of actions and the day the last one is due: one query."""
    playbooks = playbook_scope(user)
    if offering is not None:
        playbooks = playbooks.filter(offering=offering)
    return (
        playbooks.select_related("offering", "offering__service", "owner")
        .annotate(action_count=_action_count(), last_due_day=_longest_due())
        .order_by("offering__service__name", "offering__name", "offering_id", "name", "pk")
    )


def playbook_get(*, user, pk: int, offering: ServiceOffering | None = None) -> OnboardingPlaybook:
    """One playbook with its figures; with `offering`, only if it is that offering's."""
    playbooks = playbook_list(user=user, offering=offering)
    playbook = playbooks.filter(pk=pk).first()
    if playbook is None:
        raise Http404("No such playbook.")
    return playbook


def playbook_action_get(*, user, pk: int, playbook: OnboardingPlaybook) -> PlaybookAction:
    action = PlaybookAction.objects.filter(pk=pk, playbook=playbook).first()
    if action is None or not roles.roles_of(user):
        raise Http404("No such action.")
    return action


def actions_in_dependency_order(actions: list[PlaybookAction], edges: list[tuple[int, int]]) -> list:
    """`actions` with every one after those it waits for (`edges` are (action id, prerequisite id)
    pairs); among actions free to go, the one placed first in the playbook first. Actions that go
    round in a circle (only rows written around the services can) come in position order instead."""
    by_pk = {action.pk: action for action in actions}
    # Nodes are (position, id), so "smallest first" means "placed first in the playbook".
    key = {pk: (action.position, pk) for pk, action in by_pk.items()}
    try:
        return [
            by_pk[pk]
            for _, pk in dependency_order(
                [key[pk] for pk in by_pk],
                [(key[waiting], key[prerequisite]) for waiting, prerequisite in edges],
            )
        ]
    except ValueError:
        return sorted(by_pk.values(), key=lambda action: key[action.pk])


@dataclass(frozen=True)
class PlaybookStep:
    """One template action in dependency order: `number` is its place (1-based), `prerequisites` the
    actions it waits for (in dependency order), and `waits_longer` the prerequisites due later than
    it, which a plan made from the playbook would have to move."""

    number: int
    action: PlaybookAction
    prerequisites: list[PlaybookAction]
    waits_longer: list[PlaybookAction]

    @property
    def is_provider(self) -> bool:
        return self.action.owner_party == OwnerParty.PROVIDER


def playbook_actions_in_order(*, user, playbook: OnboardingPlaybook) -> list[PlaybookStep]:
    """The playbook's actions with every action after all those it waits for; among actions free to
    go, the one placed first in the playbook comes first, so the order is the same on every call.
    Two queries (actions, dependencies), whatever their number."""
    if not roles.roles_of(user):
        return []
    actions = {action.pk: action for action in PlaybookAction.objects.filter(playbook=playbook)}
    edges = list(
        PlaybookActionDependency.objects.filter(action__playbook=playbook)
        .order_by("action_id", "depends_on_id")
        .values_list("action_id", "depends_on_id")
    )
    ordered = actions_in_dependency_order(list(actions.values()), edges)
    place = {action.pk: number for number, action in enumerate(ordered, start=1)}
    prerequisites: dict[int, list[PlaybookAction]] = {pk: [] for pk in actions}
    for waiting, prerequisite in edges:
        prerequisites[waiting].append(actions[prerequisite])
    steps = []
    for action in ordered:
        before = sorted(prerequisites[action.pk], key=lambda other: place[other.pk])
        steps.append(
            PlaybookStep(
                number=place[action.pk],
                action=action,
                prerequisites=before,
                waits_longer=[other for other in before if other.due_after_days > action.due_after_days],
            )
        )
    return steps


@dataclass(frozen=True)
class PlaybookTimeline:
    """The playbook's actions on a line of days after the start of onboarding."""

    steps: list[PlaybookStep]

    @property
    def last_day(self) -> int:
        return max((step.action.due_after_days for step in self.steps), default=0)

    @property
    def provider_count(self) -> int:
        return sum(1 for step in self.steps if step.is_provider)

    @property
    def consumer_count(self) -> int:
        return len(self.steps) - self.provider_count

    @property
    def out_of_order(self) -> list[PlaybookStep]:
        """Actions due before something they wait for."""
        return [step for step in self.steps if step.waits_longer]


def playbook_timeline(*, user, playbook: OnboardingPlaybook) -> PlaybookTimeline:
    return PlaybookTimeline(steps=playbook_actions_in_order(user=user, playbook=playbook))
