"""`manage.py seed_demo`: the demo must show every part of the product with believable data."""

from datetime import timedelta
from io import StringIO
from itertools import pairwise

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.utils import timezone
from rest_framework.authtoken.models import Token

from dsv.demo import accounts
from journeys.models import (
    GridQuadrant,
    Journey,
    JourneyEvent,
    JourneyStatus,
    JourneyStep,
    Organization,
    OrganizationKind,
    Stakeholder,
    Touchpoint,
)
from journeys.roles import Role, roles_of
from tests.factories.journeys import OrganizationFactory


def seed(*options):
    out = StringIO()
    call_command("seed_demo", *options, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_it_creates_one_login_per_role_with_the_demo_password():
    output = seed()

    users = get_user_model().objects
    assert Role.RELATIONSHIP_MANAGER in roles_of(users.get(username="manager"))
    assert Role.SERVICE_DESK_AGENT in roles_of(users.get(username="desk"))
    assert Role.ANALYST in roles_of(users.get(username="analyst"))
    assert Role.INTEGRATOR in roles_of(users.get(username="integrator"))
    assert users.get(username="admin").is_superuser
    for username in accounts.DEMO_USERS:
        assert users.get(username=username).check_password("demo")
    assert Token.objects.get(user__username="integrator").key in output


@pytest.mark.django_db
def test_journeys_cover_every_step_and_one_consumer_left():
    seed()

    active_steps = set(Journey.objects.values_list("current_step", flat=True))
    assert active_steps == set(JourneyStep.values)
    left = Journey.objects.get(status=JourneyStatus.LEFT)
    assert left.ended_at is not None
    assert not Touchpoint.objects.filter(journey=left, occurred_at__gt=left.ended_at).exists()


@pytest.mark.django_db
def test_step_histories_are_consistent_and_one_went_back():
    seed()

    went_back = 0
    for journey in Journey.objects.prefetch_related("step_changes"):
        changes = list(journey.step_changes.all())
        assert changes[0].to_step == JourneyStep.EXPLORE
        assert changes[-1].to_step == journey.current_step
        assert changes[-1].changed_at == journey.step_entered_at
        order = [JourneyStep(change.to_step).number for change in changes]
        went_back += any(later < earlier for earlier, later in pairwise(order))
    assert went_back >= 1


@pytest.mark.django_db
def test_every_consumer_has_a_customer_a_user_and_a_sponsor():
    seed()

    for organization in Organization.objects.filter(kind=OrganizationKind.CONSUMER):
        people = organization.stakeholders.all()
        # A handful each; the accounts whose survey answers tell a story (dsv.demo.realize) have three
        # shop-floor people more, who raise most requests and answer the surveys after them.
        assert 3 <= len(people) <= 11
        assert any(person.is_customer for person in people), organization
        assert any(person.is_user for person in people), organization
        assert any(person.is_sponsor for person in people), organization
    quadrants = {person.quadrant for person in Stakeholder.objects.filter(category="consumer")}
    assert quadrants == set(GridQuadrant)


@pytest.mark.django_db
def test_touchpoints_are_recent_in_range_and_mostly_for_the_first_manager():
    seed()

    touchpoints = Touchpoint.objects.all()
    assert 300 <= touchpoints.count() <= 800
    assert not touchpoints.filter(occurred_at__gt=timezone.now()).exists()
    assert not touchpoints.filter(occurred_at__lt=timezone.now() - timedelta(days=190)).exists()
    assert touchpoints.filter(moment_of_truth=True).exists()
    assert set(touchpoints.values_list("sentiment", flat=True)) == {-2, -1, 0, 1, 2}
    owned = Organization.objects.filter(kind=OrganizationKind.CONSUMER)
    by_manager = owned.filter(owner__username="manager").count()
    by_manager2 = owned.filter(owner__username="manager2").count()
    assert by_manager > by_manager2 > 0
    assert not JourneyEvent.objects.exists()  # a backfill records no events


@pytest.mark.django_db
def test_it_is_deterministic():
    seed()
    first = list(Touchpoint.objects.order_by("pk").values_list("summary", "kind", "sentiment"))

    seed("--reset")

    assert list(Touchpoint.objects.order_by("pk").values_list("summary", "kind", "sentiment")) == first


@pytest.mark.django_db
def test_if_empty_leaves_an_existing_database_alone():
    OrganizationFactory(name="Someone's own account")

    seed("--if-empty")

    assert Organization.objects.count() == 1


@pytest.mark.django_db
def test_it_refuses_to_seed_twice_without_reset():
    seed()

    with pytest.raises(CommandError, match="--reset"):
        seed()
