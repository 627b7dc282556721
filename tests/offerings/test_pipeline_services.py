"""Opening and moving opportunities: bad input names its field and saves nothing, losing one needs a
reason, every move keeps when it happened and is a journey event, and only people who may change
the account can do any of it."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from journeys.base import ApplicationError
from journeys.models import JourneyEvent, OrganizationKind
from offerings.models import OfferEventType, Opportunity
from offerings.services import opportunity_create, opportunity_delete, opportunity_move, opportunity_update
from tests.factories.journeys import JourneyFactory, OrganizationFactory
from tests.factories.offerings import OpportunityFactory, ServiceOfferingFactory

pytestmark = pytest.mark.django_db


def stage_events():
    return JourneyEvent.objects.filter(event_type=OfferEventType.OPPORTUNITY_STAGE_CHANGED).order_by("pk")


# --- create -----------------------------------------------------------------------------------------


def test_a_new_opportunity_enters_demand_at_the_bottom_of_its_column(owner, account, journey):
    OpportunityFactory(organization=account, position=4)
    offering = ServiceOfferingFactory()

    opportunity = opportunity_create(
        actor=owner,
        organization=account,
        title=" Fleet app for drivers ",
        offering=offering,
        journey=journey,
        estimated_value=Decimal("12000.50"),
        owner=owner,
    )

    assert (opportunity.title, opportunity.stage, opportunity.position) == (
        "Fleet app for drivers",
        "demand",
        5,
    )
    assert opportunity.stage_changed_at is not None
    assert opportunity.history.get().history_user == owner
    event = stage_events().get()
    assert event.payload == {
        "opportunity_id": opportunity.pk,
        "from_stage": None,
        "to_stage": "demand",
        "estimated_value": "12000.50",
        "lost_reason": "",
    }
    assert event.journey == journey


def test_a_negative_estimated_value_is_refused_naming_the_field(owner, account):
    with pytest.raises(ApplicationError) as caught:
        opportunity_create(
            actor=owner, organization=account, title="Fleet app", estimated_value=Decimal("-1")
        )

    assert caught.value.fields == {
        "estimated_value": [
            "The estimated value cannot be negative; leave it empty when it is not known yet."
        ]
    }
    assert not Opportunity.objects.exists()
    assert not stage_events().exists()


@pytest.mark.parametrize("value", ["lots", True, "NaN"])
def test_an_estimated_value_that_is_no_amount_is_refused(owner, account, value):
    with pytest.raises(ApplicationError) as caught:
        opportunity_create(actor=owner, organization=account, title="Fleet app", estimated_value=value)

    assert set(caught.value.fields) == {"estimated_value"}


def test_an_opportunity_opened_as_lost_needs_its_reason(owner, account):
    with pytest.raises(ApplicationError) as caught:
        opportunity_create(actor=owner, organization=account, title="Fleet app", stage="lost")

    assert set(caught.value.fields) == {"lost_reason"}
    assert not Opportunity.objects.exists()


def test_an_unknown_stage_is_refused(owner, account):
    with pytest.raises(ApplicationError) as caught:
        opportunity_create(actor=owner, organization=account, title="Fleet app", stage="won")

    assert set(caught.value.fields) == {"stage"}


def test_a_title_is_needed_and_a_journey_must_be_the_accounts(owner, account, other_account):
    with pytest.raises(ApplicationError) as caught:
        opportunity_create(
            actor=owner, organization=account, title=" ", journey=JourneyFactory(organization=other_account)
        )

    assert set(caught.value.fields) == {"title", "journey"}


def test_a_non_consumer_has_no_pipeline(owner, team):
    supplier = OrganizationFactory(kind=OrganizationKind.SUPPLIER, owner=owner, team=team)

    with pytest.raises(ApplicationError) as caught:
        opportunity_create(actor=owner, organization=supplier, title="Fleet app")

    assert caught.value.code == "not_a_consumer"


def test_an_outsider_gets_not_found(outsider, account):
    with pytest.raises(Http404):
        opportunity_create(actor=outsider, organization=account, title="Peek")
    assert not Opportunity.objects.exists()


@pytest.mark.parametrize("persona", ["desk", "analyst"])
def test_read_only_roles_may_not_open_opportunities(request, account, persona):
    with pytest.raises(PermissionDenied):
        opportunity_create(actor=request.getfixturevalue(persona), organization=account, title="Fleet app")


# --- moves ------------------------------------------------------------------------------------------


def test_a_move_records_when_it_happened_and_the_event(owner, account):
    opportunity = OpportunityFactory(organization=account, stage="demand")
    OpportunityFactory(organization=account, stage="proposal", position=7)
    before = timezone.now()

    moved = opportunity_move(actor=owner, opportunity=opportunity, stage="proposal")

    assert moved.stage == "proposal"
    assert moved.stage_changed_at >= before
    assert moved.position == 8
    event = stage_events().get()
    assert (event.payload["from_stage"], event.payload["to_stage"]) == ("demand", "proposal")
    assert event.actor == owner and event.organization == account


def test_losing_an_opportunity_needs_a_reason_and_saves_nothing_without(owner, account):
    opportunity = OpportunityFactory(organization=account, stage="proposal")
    changed_at = opportunity.stage_changed_at

    with pytest.raises(ApplicationError) as caught:
        opportunity_move(actor=owner, opportunity=opportunity, stage="lost", lost_reason="  ")

    assert caught.value.fields == {
        "lost_reason": ["Say why it was lost: the next offer to this consumer can learn from it."]
    }
    opportunity.refresh_from_db()
    assert (opportunity.stage, opportunity.stage_changed_at) == ("proposal", changed_at)
    assert not stage_events().exists()


def test_a_lost_opportunity_keeps_its_reason_until_it_is_reopened(owner, account):
    opportunity = OpportunityFactory(organization=account, stage="proposal")

    lost = opportunity_move(actor=owner, opportunity=opportunity, stage="lost", lost_reason=" Too expensive ")
    assert (lost.stage, lost.lost_reason) == ("lost", "Too expensive")
    assert stage_events().last().payload["lost_reason"] == "Too expensive"

    reopened = opportunity_move(actor=owner, opportunity=opportunity, stage="demand")
    assert (reopened.stage, reopened.lost_reason) == ("demand", "")


def test_moving_to_the_stage_it_is_in_is_a_conflict(owner, account):
    opportunity = OpportunityFactory(organization=account, stage="agreed", title="Fleet app")

    with pytest.raises(ApplicationError) as caught:
        opportunity_move(actor=owner, opportunity=opportunity, stage="agreed")

    assert (caught.value.status, caught.value.code) == (409, "same_stage")
    assert caught.value.fields == {"stage": ["“Fleet app” is already in agreed."]}


def test_the_move_reads_the_stage_as_it_is_now(owner, account):
    opportunity = OpportunityFactory(organization=account, stage="demand")
    Opportunity.objects.filter(pk=opportunity.pk).update(stage="proposal")

    with pytest.raises(ApplicationError):
        opportunity_move(actor=owner, opportunity=opportunity, stage="proposal")


def test_an_outsider_cannot_move_an_opportunity(outsider, account):
    opportunity = OpportunityFactory(organization=account)

    with pytest.raises(Http404):
        opportunity_move(actor=outsider, opportunity=opportunity, stage="agreed")
    opportunity.refresh_from_db()
    assert opportunity.stage == "demand"


def test_an_analyst_cannot_move_an_opportunity(analyst, account):
    with pytest.raises(PermissionDenied):
        opportunity_move(actor=analyst, opportunity=OpportunityFactory(organization=account), stage="agreed")


def test_a_teammate_and_an_integrator_may_move_opportunities(teammate, integrator, account):
    opportunity = OpportunityFactory(organization=account)

    opportunity_move(actor=teammate, opportunity=opportunity, stage="proposal")
    opportunity_move(actor=integrator, opportunity=opportunity, stage="agreed")

    opportunity.refresh_from_db()
    assert opportunity.stage == "agreed"


# --- update and delete ------------------------------------------------------------------------------


def test_an_update_changes_the_details_but_not_the_stage(owner, account):
    opportunity = OpportunityFactory(organization=account, stage="demand")
    close = timezone.localdate() + timedelta(days=30)

    updated = opportunity_update(
        actor=owner,
        opportunity=opportunity,
        title="Renamed",
        estimated_value=Decimal("0"),
        expected_close_date=close,
    )

    assert (updated.title, updated.estimated_value, updated.expected_close_date) == ("Renamed", 0, close)
    assert not stage_events().exists()
    with pytest.raises(ApplicationError) as caught:
        opportunity_update(actor=owner, opportunity=opportunity, stage="agreed")
    assert set(caught.value.fields) == {"stage"}


def test_an_update_with_a_negative_value_saves_nothing(owner, account):
    opportunity = OpportunityFactory(organization=account, title="Fleet app")

    with pytest.raises(ApplicationError) as caught:
        opportunity_update(
            actor=owner, opportunity=opportunity, title="Renamed", estimated_value=Decimal("-5")
        )

    assert set(caught.value.fields) == {"estimated_value"}
    opportunity.refresh_from_db()
    assert (opportunity.title, opportunity.estimated_value) == ("Fleet app", Decimal("25000.00"))


def test_only_a_lost_opportunity_has_a_lost_reason(owner, account):
    opportunity = OpportunityFactory(organization=account, stage="proposal")

    with pytest.raises(ApplicationError) as caught:
        opportunity_update(actor=owner, opportunity=opportunity, lost_reason="Maybe later")

    assert set(caught.value.fields) == {"lost_reason"}


def test_an_unchanged_update_writes_nothing(owner, account):
    opportunity = OpportunityFactory(organization=account, title="Fleet app")
    history = opportunity.history.count()

    opportunity_update(actor=owner, opportunity=opportunity, title="Fleet app")

    assert opportunity.history.count() == history


def test_deleting_is_for_those_who_may_change_the_account(owner, analyst, account):
    opportunity = OpportunityFactory(organization=account)

    with pytest.raises(PermissionDenied):
        opportunity_delete(actor=analyst, opportunity=opportunity)
    opportunity_delete(actor=owner, opportunity=opportunity)

    assert not Opportunity.objects.exists()
