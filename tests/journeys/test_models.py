"""The spine's invariants live in the database first: these tests write straight through the ORM,
bypassing the services, and expect the database itself to refuse bad rows."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from journeys.models import (
    Channel,
    GridQuadrant,
    JourneyStep,
    Organization,
    Stakeholder,
    Touchpoint,
    TouchpointKind,
    grid_quadrant,
)
from tests.factories.journeys import (
    JourneyFactory,
    OrganizationFactory,
    StakeholderFactory,
    TouchpointFactory,
)

pytestmark = pytest.mark.django_db


# --- touchpoints ----------------------------------------------------------------------------------


@pytest.mark.parametrize("sentiment", [5, -3, 3])
def test_the_database_refuses_a_sentiment_outside_minus_two_to_two(account, sentiment):
    with pytest.raises(IntegrityError), transaction.atomic():
        Touchpoint.objects.create(
            organization=account,
            step=JourneyStep.ENGAGE,
            channel=Channel.EMAIL,
            kind=TouchpointKind.QUERY,
            summary="Out of range",
            occurred_at=timezone.now(),
            sentiment=sentiment,
        )
    assert not Touchpoint.objects.exists()


@pytest.mark.parametrize("sentiment", [-2, 2])
def test_the_database_accepts_the_ends_of_the_sentiment_scale(account, sentiment):
    touchpoint = TouchpointFactory(organization=account, sentiment=sentiment)

    touchpoint.refresh_from_db()
    assert touchpoint.sentiment == sentiment


def test_the_database_refuses_a_touchpoint_in_no_journey_step(account):
    with pytest.raises(IntegrityError), transaction.atomic():
        TouchpointFactory(organization=account, step="negotiate")


def test_two_touchpoints_cannot_share_an_external_id(account):
    TouchpointFactory(organization=account, external_id="crm-activity-1")

    with pytest.raises(IntegrityError), transaction.atomic():
        TouchpointFactory(organization=account, external_id="crm-activity-1")


def test_a_touchpoint_names_its_sentiment_in_words(account):
    assert TouchpointFactory(organization=account, sentiment=-2).sentiment_label == "Very negative"
    assert TouchpointFactory(organization=account, sentiment=1).sentiment_label == "Positive"


# --- stakeholders ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("influence", "interest"), [(9, 3), (0, 3), (3, 9), (3, 0)])
def test_the_database_refuses_influence_or_interest_outside_one_to_five(account, influence, interest):
    with pytest.raises(IntegrityError), transaction.atomic():
        Stakeholder.objects.create(
            organization=account, name="Off the grid", influence=influence, interest=interest
        )
    assert not Stakeholder.objects.filter(name="Off the grid").exists()


def test_a_stakeholder_lists_the_consumer_roles_they_hold(account):
    person = StakeholderFactory(organization=account, is_customer=True, is_user=False, is_sponsor=True)

    assert person.roles == ["customer", "sponsor"]
    assert person.role_labels == ["Customer", "Sponsor"]


def test_a_stakeholder_with_no_consumer_role_lists_none(account):
    person = StakeholderFactory(organization=account, is_customer=False, is_user=False, is_sponsor=False)

    assert person.roles == []


@pytest.mark.parametrize(
    ("influence", "interest", "quadrant"),
    [
        (5, 5, GridQuadrant.MANAGE_CLOSELY),
        (4, 4, GridQuadrant.MANAGE_CLOSELY),
        (4, 3, GridQuadrant.KEEP_SATISFIED),
        (3, 4, GridQuadrant.KEEP_INFORMED),
        (3, 3, GridQuadrant.MONITOR),
        (1, 1, GridQuadrant.MONITOR),
    ],
)
def test_a_stakeholder_sits_in_the_grid_quadrant_of_their_influence_and_interest(
    account, influence, interest, quadrant
):
    person = StakeholderFactory(organization=account, influence=influence, interest=interest)

    assert person.quadrant == quadrant
    assert grid_quadrant(influence, interest) == quadrant


# --- organizations --------------------------------------------------------------------------------


def test_two_organizations_cannot_share_a_non_empty_external_id(db):
    OrganizationFactory(name="Rentwheel", external_id="sf-001")

    with pytest.raises(IntegrityError), transaction.atomic():
        Organization.objects.create(name="Rentwheel again", external_id="sf-001")
    assert Organization.objects.filter(external_id="sf-001").count() == 1


def test_many_organizations_may_have_no_external_id(db):
    for name in ("Alpha", "Beta", "Gamma"):
        Organization.objects.create(name=name, external_id="")

    assert Organization.objects.filter(external_id="").count() == 3


def test_the_database_refuses_a_negative_annual_revenue(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        Organization.objects.create(name="Upside down", annual_revenue=Decimal("-1.00"))


def test_an_organization_keeps_a_history_of_its_changes(account):
    account.city = "Lisbon"
    account.save()

    assert [entry.city for entry in account.history.order_by("history_date")] == ["Utrecht", "Lisbon"]


# --- journeys -------------------------------------------------------------------------------------


def test_the_database_refuses_a_journey_in_no_journey_step(account):
    with pytest.raises(IntegrityError), transaction.atomic():
        JourneyFactory(organization=account, current_step="negotiate")


def test_the_journey_steps_come_in_their_designed_order():
    assert [step.value for step in JourneyStep.ordered()] == [
        "explore",
        "engage",
        "offer",
        "agree",
        "onboard",
        "co_create",
        "realize",
    ]
    assert JourneyStep.EXPLORE.number == 1
    assert JourneyStep.CO_CREATE.number == 6
    assert JourneyStep.REALIZE.number == 7


def test_a_journey_is_named_after_its_organization_and_service(journey):
    assert str(journey) == "Rentwheel Car Hire: Fleet booking platform"
    assert journey.step == JourneyStep.ENGAGE
