"""The demo shows Engage: every demo consumer has a relationship of a varied type, ladders that follow
the ladder's rules, and communication plans for key stakeholders, some kept and some overdue."""

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from dsv.demo import accounts
from dsv.demo.builder import demo_seed
from dsv.demo.relationships import reset_relationships, seed_relationships
from relationships.models import CommunicationPlan, LadderProgress, LadderStatus, ServiceRelationship
from relationships.profiles import LADDER_PREREQUISITES
from relationships.selectors import KEY_STAKEHOLDER_INFLUENCE, communication_plan_list

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    demo_seed()
    users = {
        user.username: user for user in get_user_model().objects.filter(username__in=accounts.DEMO_USERS)
    }
    return seed_relationships(users=users, now=timezone.now())


def test_every_demo_consumer_has_a_relationship_of_varied_types(demo):
    assert demo == len(accounts.ACCOUNTS)
    relationships = ServiceRelationship.objects.filter(
        organization__name__in=[plan.name for plan in accounts.ACCOUNTS]
    )
    assert relationships.count() == len(accounts.ACCOUNTS)
    assert set(relationships.values_list("current_type", flat=True)) == {"basic", "cooperative"}
    assert "partnership" in set(relationships.values_list("target_type", flat=True))
    assert all(relationship.notes for relationship in relationships)


def test_the_demo_ladders_follow_the_ladders_rules(demo):
    done = {}
    for relationship_id, step in LadderProgress.objects.filter(status=LadderStatus.DONE).values_list(
        "relationship_id", "step"
    ):
        done.setdefault(relationship_id, set()).add(step)
    assert done
    for steps in done.values():
        for step in steps:
            assert set(LADDER_PREREQUISITES[step]) <= steps


def test_key_stakeholders_have_plans_some_kept_some_overdue(demo, administrator):
    plans = list(communication_plan_list(user=administrator))

    assert plans
    assert all(
        plan.stakeholder.influence >= KEY_STAKEHOLDER_INFLUENCE and plan.stakeholder.is_active
        for plan in plans
    )
    assert {plan.adherence_figures.overdue for plan in plans} == {True, False}
    assert any(plan.contacts > 0 for plan in plans)


def test_seeding_twice_changes_nothing_and_the_history_goes_with_the_reset(demo):
    counts = (
        ServiceRelationship.objects.count(),
        LadderProgress.objects.count(),
        CommunicationPlan.objects.count(),
    )
    users = {
        user.username: user for user in get_user_model().objects.filter(username__in=accounts.DEMO_USERS)
    }

    seed_relationships(users=users, now=timezone.now())

    assert (
        ServiceRelationship.objects.count(),
        LadderProgress.objects.count(),
        CommunicationPlan.objects.count(),
    ) == counts
    reset_relationships()
    assert not ServiceRelationship.history.exists()


def test_a_demo_account_whose_type_changed_shows_it_in_the_type_history(demo, administrator):
    from journeys.models import Organization
    from relationships.selectors import relationship_page

    page = relationship_page(
        user=administrator, organization=Organization.objects.get(name="Rovena Car Rental")
    )

    assert [(change.current_type, change.target_type) for change in page.history] == [
        ("cooperative", "cooperative"),
        ("basic", "cooperative"),
    ]
