"""The playbooks' reads: the list with its figures, and one playbook's actions in a stable dependency
order (the order Onboard will follow) with their prerequisites and the timeline's figures."""

import pytest
from django.http import Http404

from journeys.roles import roles_of
from offerings import selectors
from offerings.models import PlaybookActionDependency
from tests.factories.offerings import (
    OnboardingPlaybookFactory,
    PlaybookActionDependencyFactory,
    PlaybookActionFactory,
    ServiceOfferingFactory,
)

pytestmark = pytest.mark.django_db


def titles(steps):
    return [step.action.title for step in steps]


def test_the_list_carries_each_playbooks_action_count_and_last_due_day(analyst, django_assert_num_queries):
    playbook = OnboardingPlaybookFactory(name="Ward roll-out")
    PlaybookActionFactory(playbook=playbook, due_after_days=3)
    PlaybookActionFactory(playbook=playbook, due_after_days=12)
    OnboardingPlaybookFactory(name="Empty")
    roles_of(analyst)

    with django_assert_num_queries(1):
        rows = {
            row.name: (row.action_count, row.last_due_day, row.offering.service.name)
            for row in selectors.playbook_list(user=analyst)
        }

    assert rows["Ward roll-out"][:2] == (2, 12)
    assert rows["Empty"][:2] == (0, 0)


def test_the_list_of_one_offering(owner):
    offering = ServiceOfferingFactory()
    mine = OnboardingPlaybookFactory(offering=offering)
    OnboardingPlaybookFactory()

    assert list(selectors.playbook_list(user=owner, offering=offering)) == [mine]


def test_a_playbook_of_another_offering_is_not_found(owner):
    playbook = OnboardingPlaybookFactory()

    with pytest.raises(Http404):
        selectors.playbook_get(user=owner, pk=playbook.pk, offering=ServiceOfferingFactory())


def test_actions_come_after_what_they_wait_for_then_in_the_playbooks_order(owner):
    playbook = OnboardingPlaybookFactory()
    train = PlaybookActionFactory(playbook=playbook, title="Train users", position=0)
    kick_off = PlaybookActionFactory(playbook=playbook, title="Kick-off", position=1)
    ship = PlaybookActionFactory(playbook=playbook, title="Ship laptops", position=2)
    survey = PlaybookActionFactory(playbook=playbook, title="Survey", position=3)
    PlaybookActionDependencyFactory(action=train, depends_on=ship)
    PlaybookActionDependencyFactory(action=ship, depends_on=kick_off)

    steps = selectors.playbook_actions_in_order(user=owner, playbook=playbook)

    assert titles(steps) == ["Kick-off", "Ship laptops", "Train users", "Survey"]
    assert [step.number for step in steps] == [1, 2, 3, 4]
    assert [other.title for other in steps[2].prerequisites] == ["Ship laptops"]
    assert survey.pk


def test_the_order_is_the_same_on_every_call(owner):
    playbook = OnboardingPlaybookFactory()
    for position in (3, 1, 2, 0):
        PlaybookActionFactory(playbook=playbook, title=f"Step {position}", position=position)

    first = titles(selectors.playbook_actions_in_order(user=owner, playbook=playbook))

    assert first == ["Step 0", "Step 1", "Step 2", "Step 3"]
    assert titles(selectors.playbook_actions_in_order(user=owner, playbook=playbook)) == first


def test_prerequisites_due_later_are_flagged(owner):
    playbook = OnboardingPlaybookFactory()
    ship = PlaybookActionFactory(playbook=playbook, title="Ship", due_after_days=10)
    train = PlaybookActionFactory(playbook=playbook, title="Train", due_after_days=4)
    PlaybookActionDependencyFactory(action=train, depends_on=ship)

    timeline = selectors.playbook_timeline(user=owner, playbook=playbook)

    assert [step.action.title for step in timeline.out_of_order] == ["Train"]
    assert timeline.out_of_order[0].waits_longer == [ship]
    assert timeline.last_day == 10
    assert (timeline.provider_count, timeline.consumer_count) == (2, 0)


def test_rows_that_go_round_in_a_circle_still_show_in_position_order(owner):
    playbook = OnboardingPlaybookFactory()
    first = PlaybookActionFactory(playbook=playbook, title="First", position=0)
    second = PlaybookActionFactory(playbook=playbook, title="Second", position=1)
    # Written around the services, which would refuse it.
    PlaybookActionDependency.objects.create(action=first, depends_on=second)
    PlaybookActionDependency.objects.create(action=second, depends_on=first)

    assert titles(selectors.playbook_actions_in_order(user=owner, playbook=playbook)) == ["First", "Second"]


@pytest.mark.parametrize("size", [1, 20])
def test_the_order_costs_two_queries_at_any_size(owner, size, django_assert_num_queries):
    playbook = OnboardingPlaybookFactory()
    previous = None
    for _ in range(size):
        action = PlaybookActionFactory(playbook=playbook)
        if previous is not None:
            PlaybookActionDependencyFactory(action=action, depends_on=previous)
        previous = action
    roles_of(owner)

    with django_assert_num_queries(2):
        assert len(selectors.playbook_actions_in_order(user=owner, playbook=playbook)) == size


def test_a_user_without_a_role_reads_no_actions(django_user_model):
    nobody = django_user_model.objects.create_user("nobody")
    action = PlaybookActionFactory()

    assert selectors.playbook_actions_in_order(user=nobody, playbook=action.playbook) == []
    with pytest.raises(Http404):
        selectors.playbook_get(user=nobody, pk=action.playbook_id)
