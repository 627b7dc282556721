"""Writes of the journey spine: who may do what, which errors a user sees, and what gets recorded."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from journeys import services
from journeys.base import ApplicationError
from journeys.models import (
    Channel,
    Journey,
    JourneyEvent,
    JourneyEventType,
    JourneyStatus,
    JourneyStep,
    JourneyStepChange,
    Organization,
    OrganizationKind,
    Stakeholder,
    StakeholderCategory,
    Touchpoint,
    TouchpointKind,
)
from tests.factories.journeys import (
    JourneyFactory,
    OrganizationFactory,
    StakeholderFactory,
    TouchpointFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def events_of(event_type):
    return list(JourneyEvent.objects.filter(event_type=event_type))


# --- organization_create --------------------------------------------------------------------------


def test_a_relationship_manager_creates_an_organization_they_own(owner):
    organization = services.organization_create(actor=owner, name="  Harbour Logistics  ", city="Rotterdam")

    organization.refresh_from_db()
    assert organization.name == "Harbour Logistics"
    assert organization.city == "Rotterdam"
    assert organization.kind == OrganizationKind.CONSUMER
    assert organization.owner == owner


def test_creating_an_organization_records_an_organization_created_event(owner):
    organization = services.organization_create(actor=owner, name="Harbour Logistics")

    [event] = events_of(JourneyEventType.ORGANIZATION_CREATED)
    assert event.organization == organization
    assert event.actor == owner
    assert event.payload == {"organization_id": organization.pk, "name": "Harbour Logistics"}


def test_an_explicit_owner_wins_over_the_acting_relationship_manager(owner, teammate):
    organization = services.organization_create(actor=owner, name="Harbour Logistics", owner=teammate)

    assert organization.owner == teammate


def test_an_organization_created_by_an_administrator_has_no_owner_by_default(administrator):
    organization = services.organization_create(actor=administrator, name="Harbour Logistics")

    assert organization.owner is None


def test_an_integrator_creates_a_partner_organization(integrator):
    organization = services.organization_create(
        actor=integrator, name="Cloudfront Partners", kind=OrganizationKind.PARTNER, external_id="hs-77"
    )

    assert Organization.objects.get(external_id="hs-77") == organization
    assert organization.kind == OrganizationKind.PARTNER


@pytest.mark.parametrize("persona", ["desk", "analyst"])
def test_desk_and_analyst_may_not_create_organizations(request, persona):
    actor = request.getfixturevalue(persona)

    with pytest.raises(PermissionDenied):
        services.organization_create(actor=actor, name="Harbour Logistics")
    assert not Organization.objects.exists()
    assert not JourneyEvent.objects.exists()


@pytest.mark.parametrize("name", ["", "   ", None])
def test_an_organization_needs_a_name(owner, name):
    with pytest.raises(ApplicationError) as error:
        services.organization_create(actor=owner, name=name)

    assert "name" in error.value.fields
    assert error.value.status == 400
    assert not Organization.objects.exists()


def test_an_unknown_kind_is_a_field_error(owner):
    with pytest.raises(ApplicationError) as error:
        services.organization_create(actor=owner, name="Harbour Logistics", kind="competitor")

    assert "kind" in error.value.fields
    assert not Organization.objects.exists()


def test_an_unknown_field_is_named_in_the_error(owner):
    with pytest.raises(ApplicationError) as error:
        services.organization_create(actor=owner, name="Harbour Logistics", colour="blue")

    assert error.value.fields == {"colour": ["Unknown field."]}
    assert not Organization.objects.exists()


def test_a_duplicate_external_id_is_a_conflict_and_writes_nothing(owner, other_account):
    other_account.external_id = "sf-001"
    other_account.save()
    events_before = JourneyEvent.objects.count()

    with pytest.raises(ApplicationError) as error:
        services.organization_create(actor=owner, name="Harbour Logistics", external_id="sf-001")

    assert error.value.code == "duplicate"
    assert error.value.status == 409
    assert "external_id" in error.value.fields
    assert list(Organization.objects.filter(external_id="sf-001")) == [other_account]
    assert not Organization.objects.filter(name="Harbour Logistics").exists()
    assert JourneyEvent.objects.count() == events_before


def test_many_organizations_may_be_created_without_an_external_id(owner):
    services.organization_create(actor=owner, name="Alpha")
    services.organization_create(actor=owner, name="Beta")

    assert Organization.objects.filter(external_id="").count() == 2


# --- organization_update --------------------------------------------------------------------------


def test_the_owner_updates_an_organization_and_an_event_names_the_changed_fields(owner, account):
    services.organization_update(actor=owner, organization=account, city="Lisbon", industry="Car rental")

    account.refresh_from_db()
    assert (account.city, account.industry) == ("Lisbon", "Car rental")
    [event] = events_of(JourneyEventType.ORGANIZATION_UPDATED)
    assert event.organization == account
    assert sorted(event.payload["changed"]) == ["city", "industry"]


def test_a_teammate_may_update_the_account_of_their_team(teammate, account):
    services.organization_update(actor=teammate, organization=account, notes="Renewal in March")

    account.refresh_from_db()
    assert account.notes == "Renewal in March"


def test_an_outsider_cannot_update_an_account_and_learns_nothing(outsider, account):
    with pytest.raises(Http404):
        services.organization_update(actor=outsider, organization=account, city="Lisbon")

    account.refresh_from_db()
    assert account.city == "Utrecht"
    assert not events_of(JourneyEventType.ORGANIZATION_UPDATED)


def test_the_desk_sees_the_account_but_may_not_edit_it(desk, account):
    with pytest.raises(PermissionDenied):
        services.organization_update(actor=desk, organization=account, city="Lisbon")

    account.refresh_from_db()
    assert account.city == "Utrecht"


def test_an_update_that_changes_nothing_records_no_event(owner, account):
    services.organization_update(actor=owner, organization=account, name=account.name, city=account.city)

    assert not events_of(JourneyEventType.ORGANIZATION_UPDATED)


def test_an_update_to_a_blank_name_is_refused(owner, account):
    with pytest.raises(ApplicationError) as error:
        services.organization_update(actor=owner, organization=account, name="  ")

    assert "name" in error.value.fields
    assert Organization.objects.get(pk=account.pk).name == "Rentwheel Car Hire"


def test_an_update_to_an_external_id_in_use_is_a_conflict(owner, account, other_account):
    other_account.external_id = "sf-001"
    other_account.save()

    with pytest.raises(ApplicationError) as error:
        services.organization_update(actor=owner, organization=account, external_id="sf-001")

    assert error.value.status == 409
    assert "external_id" in error.value.fields
    assert Organization.objects.get(pk=account.pk).external_id == ""


# --- organization_upsert --------------------------------------------------------------------------


def test_upsert_creates_then_updates_the_organization_the_crm_knows(integrator):
    first, created = services.organization_upsert(
        actor=integrator, external_id="sf-001", data={"name": "Harbour Logistics", "city": "Rotterdam"}
    )
    second, created_again = services.organization_upsert(
        actor=integrator,
        external_id="sf-001",
        data={"name": "Harbour Logistics BV", "external_id": "ignored"},
    )

    assert (created, created_again) == (True, False)
    assert second.pk == first.pk
    [organization] = Organization.objects.filter(external_id="sf-001")
    assert organization.name == "Harbour Logistics BV"
    assert organization.city == "Rotterdam"
    assert not Organization.objects.filter(external_id="ignored").exists()


def test_upsert_of_an_unknown_organization_needs_a_name(integrator):
    with pytest.raises(ApplicationError) as error:
        services.organization_upsert(actor=integrator, external_id="sf-001", data={"city": "Rotterdam"})

    assert "name" in error.value.fields
    assert not Organization.objects.exists()


def test_upsert_with_the_same_data_twice_records_one_event(integrator):
    data = {"name": "Harbour Logistics", "city": "Rotterdam"}
    services.organization_upsert(actor=integrator, external_id="sf-001", data=data)
    services.organization_upsert(actor=integrator, external_id="sf-001", data=data)

    assert len(events_of(JourneyEventType.ORGANIZATION_CREATED)) == 1
    assert not events_of(JourneyEventType.ORGANIZATION_UPDATED)


def test_upsert_without_an_external_id_does_not_touch_accounts_that_have_none(integrator, account):
    with pytest.raises(ApplicationError) as error:
        services.organization_upsert(actor=integrator, external_id="", data={"name": "Overwritten"})

    assert "external_id" in error.value.fields
    account.refresh_from_db()
    assert account.name == "Rentwheel Car Hire"
    assert Organization.objects.count() == 1


# --- stakeholder_create / update / upsert ---------------------------------------------------------


def test_the_owner_adds_a_stakeholder_with_their_consumer_roles(owner, account):
    person = services.stakeholder_create(
        actor=owner,
        organization=account,
        name="Ana Ferreira",
        is_customer=True,
        is_sponsor=True,
        influence=5,
        interest=4,
    )

    person.refresh_from_db()
    assert person.organization == account
    assert person.roles == ["customer", "sponsor"]
    [event] = events_of(JourneyEventType.STAKEHOLDER_CREATED)
    assert event.organization == account
    assert event.payload == {"stakeholder_id": person.pk, "roles": ["customer", "sponsor"]}


def test_a_stakeholder_of_a_provider_is_filed_as_other_unless_told(owner, team):
    provider = OrganizationFactory(kind=OrganizationKind.SUPPLIER, owner=owner)

    person = services.stakeholder_create(actor=owner, organization=provider, name="Sam Supplier")

    assert person.category == StakeholderCategory.OTHER


@pytest.mark.parametrize("axis", ["influence", "interest"])
@pytest.mark.parametrize("value", [0, 6])
def test_influence_and_interest_must_be_one_to_five(owner, account, axis, value):
    with pytest.raises(ApplicationError) as error:
        services.stakeholder_create(actor=owner, organization=account, name="Off the grid", **{axis: value})

    assert axis in error.value.fields
    assert not Stakeholder.objects.exists()
    assert not JourneyEvent.objects.exists()


def test_an_outsider_cannot_add_a_stakeholder_to_an_account(outsider, account):
    with pytest.raises(Http404):
        services.stakeholder_create(actor=outsider, organization=account, name="Ana Ferreira")

    assert not Stakeholder.objects.exists()


def test_the_desk_may_not_add_stakeholders(desk, account):
    with pytest.raises(PermissionDenied):
        services.stakeholder_create(actor=desk, organization=account, name="Ana Ferreira")


def test_a_stakeholder_needs_a_name(owner, account):
    with pytest.raises(ApplicationError) as error:
        services.stakeholder_create(actor=owner, organization=account, name=" ")

    assert "name" in error.value.fields


def test_a_stakeholder_email_must_be_an_email_address(owner, account):
    with pytest.raises(ApplicationError) as error:
        services.stakeholder_create(actor=owner, organization=account, name="Ana", email="not-an-address")

    assert "email" in error.value.fields
    assert not Stakeholder.objects.exists()


def test_updating_a_stakeholder_moves_them_on_the_grid_and_records_the_change(owner, sponsor):
    services.stakeholder_update(actor=owner, stakeholder=sponsor, influence=2, interest=2)

    sponsor.refresh_from_db()
    assert (sponsor.influence, sponsor.interest) == (2, 2)
    [event] = events_of(JourneyEventType.STAKEHOLDER_UPDATED)
    assert sorted(event.payload["changed"]) == ["influence", "interest"]


def test_updating_a_stakeholder_to_an_influence_of_six_is_refused(owner, sponsor):
    with pytest.raises(ApplicationError) as error:
        services.stakeholder_update(actor=owner, stakeholder=sponsor, influence=6)

    assert "influence" in error.value.fields
    assert Stakeholder.objects.get(pk=sponsor.pk).influence == 5


def test_a_stakeholder_update_that_changes_nothing_records_no_event(owner, sponsor):
    services.stakeholder_update(actor=owner, stakeholder=sponsor, name="Ana Ferreira", influence=5)

    assert not events_of(JourneyEventType.STAKEHOLDER_UPDATED)


def test_an_outsider_cannot_update_a_stakeholder(outsider, sponsor):
    with pytest.raises(Http404):
        services.stakeholder_update(actor=outsider, stakeholder=sponsor, name="Someone else")

    assert Stakeholder.objects.get(pk=sponsor.pk).name == "Ana Ferreira"


def test_a_stakeholder_cannot_be_moved_to_an_account_the_actor_cannot_see(owner, sponsor, other_account):
    with pytest.raises(Http404):
        services.stakeholder_update(actor=owner, stakeholder=sponsor, organization=other_account)

    assert Stakeholder.objects.get(pk=sponsor.pk).organization_id == sponsor.organization_id


def test_stakeholder_upsert_creates_then_updates_one_person(integrator, account):
    first, created = services.stakeholder_upsert(
        actor=integrator,
        external_id="contact-9",
        organization=account,
        data={"name": "Ana Ferreira", "is_sponsor": True},
    )
    second, created_again = services.stakeholder_upsert(
        actor=integrator,
        external_id="contact-9",
        organization=None,
        data={"job_title": "CFO"},
    )

    assert (created, created_again) == (True, False)
    assert second.pk == first.pk
    [person] = Stakeholder.objects.filter(external_id="contact-9")
    assert (person.name, person.job_title, person.is_sponsor) == ("Ana Ferreira", "CFO", True)


def test_stakeholder_upsert_of_a_new_person_needs_an_organization(integrator):
    with pytest.raises(ApplicationError) as error:
        services.stakeholder_upsert(
            actor=integrator, external_id="contact-9", organization=None, data={"name": "Ana Ferreira"}
        )

    assert "organization" in error.value.fields
    assert not Stakeholder.objects.exists()


def test_stakeholder_upsert_with_an_out_of_range_interest_writes_nothing(integrator, account):
    with pytest.raises(ApplicationError) as error:
        services.stakeholder_upsert(
            actor=integrator,
            external_id="contact-9",
            organization=account,
            data={"name": "Ana Ferreira", "interest": 0},
        )

    assert "interest" in error.value.fields
    assert not Stakeholder.objects.exists()


def test_stakeholder_upsert_without_an_external_id_does_not_touch_people_that_have_none(integrator, sponsor):
    with pytest.raises(ApplicationError) as error:
        services.stakeholder_upsert(
            actor=integrator, external_id="", organization=None, data={"name": "Overwritten"}
        )

    assert "external_id" in error.value.fields
    assert Stakeholder.objects.get(pk=sponsor.pk).name == "Ana Ferreira"


# --- journey_start --------------------------------------------------------------------------------


def test_starting_a_journey_records_its_first_step_and_a_started_event(owner, account):
    journey = services.journey_start(actor=owner, organization=account, name="Fleet booking platform")

    journey.refresh_from_db()
    assert journey.current_step == JourneyStep.EXPLORE
    assert journey.status == JourneyStatus.ACTIVE
    [change] = JourneyStepChange.objects.filter(journey=journey)
    assert (change.from_step, change.to_step, change.changed_by) == ("", JourneyStep.EXPLORE, owner)
    assert change.changed_at == journey.started_at == journey.step_entered_at
    [event] = events_of(JourneyEventType.JOURNEY_STARTED)
    assert (event.organization, event.journey, event.actor) == (account, journey, owner)
    assert event.payload == {"journey_id": journey.pk, "step": "explore"}


def test_a_journey_may_start_in_a_later_step(owner, account):
    journey = services.journey_start(
        actor=owner, organization=account, name="Renewal", step=JourneyStep.AGREE
    )

    assert Journey.objects.get(pk=journey.pk).current_step == JourneyStep.AGREE


def test_a_journey_cannot_start_in_an_unknown_step(owner, account):
    with pytest.raises(ApplicationError) as error:
        services.journey_start(actor=owner, organization=account, name="Renewal", step="negotiate")

    assert "step" in error.value.fields
    assert not Journey.objects.exists()


def test_a_journey_needs_a_name(owner, account):
    with pytest.raises(ApplicationError) as error:
        services.journey_start(actor=owner, organization=account, name="")

    assert "name" in error.value.fields
    assert not Journey.objects.exists()
    assert not JourneyStepChange.objects.exists()
    assert not JourneyEvent.objects.exists()


def test_an_outsider_cannot_start_a_journey_for_an_account(outsider, account):
    with pytest.raises(Http404):
        services.journey_start(actor=outsider, organization=account, name="Renewal")

    assert not Journey.objects.exists()


# --- journey_move ---------------------------------------------------------------------------------


def test_moving_a_journey_records_from_to_who_and_when(owner, journey):
    moved_at = timezone.now() - timedelta(hours=1)

    moved = services.journey_move(
        actor=owner, journey=journey, to_step=JourneyStep.OFFER, note="Demo went well", moved_at=moved_at
    )

    assert moved.current_step == JourneyStep.OFFER
    journey.refresh_from_db()
    assert journey.current_step == JourneyStep.OFFER
    assert journey.step_entered_at == moved_at
    change = JourneyStepChange.objects.filter(journey=journey).latest("changed_at")
    assert (change.from_step, change.to_step) == (JourneyStep.ENGAGE, JourneyStep.OFFER)
    assert (change.changed_by, change.changed_at, change.note) == (owner, moved_at, "Demo went well")


def test_a_journey_may_go_back_to_an_earlier_step(owner, journey):
    services.journey_move(actor=owner, journey=journey, to_step=JourneyStep.AGREE)
    services.journey_move(actor=owner, journey=journey, to_step=JourneyStep.EXPLORE)

    journey.refresh_from_db()
    assert journey.current_step == JourneyStep.EXPLORE
    moves = list(
        JourneyStepChange.objects.filter(journey=journey)
        .order_by("changed_at", "id")
        .values_list("from_step", "to_step")
    )
    assert moves[-2:] == [("engage", "agree"), ("agree", "explore")]


def test_a_step_change_event_carries_from_and_to_step(owner, journey):
    services.journey_move(actor=owner, journey=journey, to_step=JourneyStep.OFFER)

    [event] = events_of(JourneyEventType.JOURNEY_STEP_CHANGED)
    assert event.journey == journey
    assert event.organization == journey.organization
    assert event.payload["from_step"] == "engage"
    assert event.payload["to_step"] == "offer"


def test_moving_a_journey_to_its_current_step_is_a_conflict_on_to_step(owner, journey):
    with pytest.raises(ApplicationError) as error:
        services.journey_move(actor=owner, journey=journey, to_step=JourneyStep.ENGAGE)

    assert error.value.status == 409
    assert "to_step" in error.value.fields
    assert JourneyStepChange.objects.filter(journey=journey).count() == 1
    assert not events_of(JourneyEventType.JOURNEY_STEP_CHANGED)


def test_moving_a_journey_to_an_unknown_step_is_a_field_error(owner, journey):
    with pytest.raises(ApplicationError) as error:
        services.journey_move(actor=owner, journey=journey, to_step="negotiate")

    assert "to_step" in error.value.fields
    assert Journey.objects.get(pk=journey.pk).current_step == JourneyStep.ENGAGE


def test_a_journey_that_has_ended_cannot_move(owner, journey):
    Journey.objects.filter(pk=journey.pk).update(status=JourneyStatus.LEFT, ended_at=timezone.now())

    with pytest.raises(ApplicationError) as error:
        services.journey_move(actor=owner, journey=journey, to_step=JourneyStep.OFFER)

    assert error.value.code == "journey_ended"
    assert Journey.objects.get(pk=journey.pk).current_step == JourneyStep.ENGAGE
    assert not events_of(JourneyEventType.JOURNEY_STEP_CHANGED)


def test_a_move_cannot_be_dated_before_the_current_step_began(owner, journey):
    with pytest.raises(ApplicationError) as error:
        services.journey_move(
            actor=owner,
            journey=journey,
            to_step=JourneyStep.OFFER,
            moved_at=journey.step_entered_at - timedelta(days=1),
        )

    assert "moved_at" in error.value.fields
    assert Journey.objects.get(pk=journey.pk).current_step == JourneyStep.ENGAGE


def test_an_outsider_cannot_move_a_journey(outsider, journey):
    with pytest.raises(Http404):
        services.journey_move(actor=outsider, journey=journey, to_step=JourneyStep.OFFER)

    assert Journey.objects.get(pk=journey.pk).current_step == JourneyStep.ENGAGE


def test_the_desk_may_not_move_a_journey(desk, journey):
    with pytest.raises(PermissionDenied):
        services.journey_move(actor=desk, journey=journey, to_step=JourneyStep.OFFER)


# --- touchpoint_log -------------------------------------------------------------------------------


def log(actor, organization, **fields):
    values = {"channel": Channel.TELEPHONE, "kind": TouchpointKind.QUERY, "summary": "Asked about invoices"}
    values.update(fields)
    return services.touchpoint_log(actor=actor, organization=organization, **values)


def test_the_owner_logs_a_touchpoint(owner, account, sponsor):
    occurred_at = timezone.now() - timedelta(hours=3)

    touchpoint = log(
        owner,
        account,
        stakeholder=sponsor,
        sentiment=-2,
        moment_of_truth=True,
        occurred_at=occurred_at,
        duration_minutes=15,
        summary="  Outage during month-end close  ",
    )

    touchpoint.refresh_from_db()
    assert touchpoint.organization == account
    assert touchpoint.stakeholder == sponsor
    assert touchpoint.logged_by == owner
    assert touchpoint.summary == "Outage during month-end close"
    assert (touchpoint.sentiment, touchpoint.moment_of_truth) == (-2, True)
    assert touchpoint.occurred_at == occurred_at


def test_a_touchpoint_takes_the_current_step_of_its_journey(owner, account, journey):
    services.journey_move(actor=owner, journey=journey, to_step=JourneyStep.ONBOARD)
    journey.refresh_from_db()

    touchpoint = log(owner, account, journey=journey)

    assert touchpoint.step == JourneyStep.ONBOARD


def test_a_touchpoint_without_a_journey_takes_the_step_of_the_accounts_active_journey(owner, account):
    JourneyFactory(
        organization=account,
        current_step=JourneyStep.AGREE,
        step_entered_at=timezone.now() - timedelta(days=1),
    )
    JourneyFactory(
        organization=account,
        current_step=JourneyStep.OFFER,
        step_entered_at=timezone.now() - timedelta(days=20),
    )
    JourneyFactory(
        organization=account,
        current_step=JourneyStep.REALIZE,
        status=JourneyStatus.LEFT,
        step_entered_at=timezone.now(),
    )

    touchpoint = log(owner, account)

    assert touchpoint.step == JourneyStep.AGREE


def test_a_touchpoint_of_an_account_with_no_journey_is_placed_in_co_create(owner, account):
    assert log(owner, account).step == JourneyStep.CO_CREATE


def test_an_explicit_step_wins_over_the_journeys_step(owner, account, journey):
    touchpoint = log(owner, account, journey=journey, step=JourneyStep.REALIZE)

    assert touchpoint.step == JourneyStep.REALIZE


@pytest.mark.parametrize("sentiment", [-3, 3])
def test_a_sentiment_beyond_minus_two_to_two_is_refused(owner, account, sentiment):
    with pytest.raises(ApplicationError) as error:
        log(owner, account, sentiment=sentiment)

    assert "sentiment" in error.value.fields
    assert not Touchpoint.objects.exists()
    assert not JourneyEvent.objects.exists()


def test_a_touchpoint_cannot_be_logged_in_the_future(owner, account):
    with pytest.raises(ApplicationError) as error:
        log(owner, account, occurred_at=timezone.now() + timedelta(days=1))

    assert "occurred_at" in error.value.fields
    assert not Touchpoint.objects.exists()


def test_a_touchpoint_a_few_minutes_ahead_of_the_server_clock_is_accepted(owner, account):
    touchpoint = log(owner, account, occurred_at=timezone.now() + timedelta(minutes=2))

    assert Touchpoint.objects.filter(pk=touchpoint.pk).exists()


def test_a_touchpoint_needs_a_summary_and_a_known_channel_and_kind(owner, account):
    with pytest.raises(ApplicationError) as error:
        log(owner, account, summary="  ", channel="pigeon", kind="gossip")

    assert set(error.value.fields) == {"summary", "channel", "kind"}
    assert not Touchpoint.objects.exists()


def test_a_touchpoint_cannot_name_the_journey_of_another_organization(owner, account, other_account):
    foreign_journey = JourneyFactory(organization=other_account)

    with pytest.raises(ApplicationError) as error:
        log(owner, account, journey=foreign_journey)

    assert "journey" in error.value.fields
    assert not Touchpoint.objects.exists()


def test_a_touchpoint_cannot_name_a_person_of_another_organization(owner, account, other_account):
    stranger = StakeholderFactory(organization=other_account)

    with pytest.raises(ApplicationError) as error:
        log(owner, account, stakeholder=stranger)

    assert "stakeholder" in error.value.fields
    assert not Touchpoint.objects.exists()


def test_the_desk_may_log_a_touchpoint_for_any_account(desk, account, other_account):
    log(desk, account)
    log(desk, other_account)

    assert Touchpoint.objects.filter(logged_by=desk).count() == 2


def test_the_analyst_may_not_log_touchpoints(analyst, account):
    with pytest.raises(PermissionDenied):
        log(analyst, account)

    assert not Touchpoint.objects.exists()


def test_an_outsider_cannot_log_a_touchpoint_for_an_account(outsider, account):
    with pytest.raises(Http404):
        log(outsider, account)

    assert not Touchpoint.objects.exists()


def test_a_user_with_no_role_cannot_log_a_touchpoint(account):
    nobody = UserFactory(username="nobody")

    with pytest.raises(Http404):
        log(nobody, account)


def test_logging_a_touchpoint_records_a_touchpoint_created_event(owner, account, journey):
    touchpoint = log(owner, account, journey=journey, sentiment=1, moment_of_truth=True)

    [event] = events_of(JourneyEventType.TOUCHPOINT_CREATED)
    assert (event.organization, event.journey, event.actor) == (account, journey, owner)
    assert event.occurred_at == touchpoint.occurred_at
    assert event.payload == {
        "touchpoint_id": touchpoint.pk,
        "step": "engage",
        "channel": "telephone",
        "kind": "query",
        "sentiment": 1,
        "moment_of_truth": True,
    }


def test_a_touchpoint_whose_event_cannot_be_written_is_not_saved_either(owner, account, monkeypatch):
    def broken_create(**kwargs):
        raise RuntimeError("outbox unavailable")

    monkeypatch.setattr(JourneyEvent.objects, "create", broken_create)

    with pytest.raises(RuntimeError):
        log(owner, account)

    assert not Touchpoint.objects.exists()


def test_a_duplicate_touchpoint_external_id_is_a_conflict(owner, account):
    log(owner, account, external_id="call-1")

    with pytest.raises(ApplicationError) as error:
        log(owner, account, external_id="call-1")

    assert error.value.status == 409
    assert Touchpoint.objects.count() == 1
    assert len(events_of(JourneyEventType.TOUCHPOINT_CREATED)) == 1


# --- touchpoint_upsert ----------------------------------------------------------------------------


def test_touchpoint_upsert_creates_then_updates_one_touchpoint(integrator, account):
    first, created = services.touchpoint_upsert(
        actor=integrator,
        external_id="activity-5",
        organization=account,
        data={
            "channel": Channel.EMAIL,
            "kind": TouchpointKind.COMPLAINT,
            "summary": "Late invoice",
            "sentiment": -1,
        },
    )
    second, created_again = services.touchpoint_upsert(
        actor=integrator,
        external_id="activity-5",
        organization=account,
        data={"summary": "Late invoice, credited", "sentiment": 1},
    )

    assert (created, created_again) == (True, False)
    assert second.pk == first.pk
    [touchpoint] = Touchpoint.objects.filter(external_id="activity-5")
    assert (touchpoint.summary, touchpoint.sentiment, touchpoint.kind) == (
        "Late invoice, credited",
        1,
        "complaint",
    )
    assert len(events_of(JourneyEventType.TOUCHPOINT_CREATED)) == 1


def test_touchpoint_upsert_of_a_new_touchpoint_names_the_missing_fields(integrator, account):
    with pytest.raises(ApplicationError) as error:
        services.touchpoint_upsert(
            actor=integrator, external_id="activity-5", organization=account, data={"channel": Channel.EMAIL}
        )

    assert set(error.value.fields) == {"kind", "summary"}
    assert not Touchpoint.objects.exists()


def test_touchpoint_upsert_refuses_an_out_of_range_sentiment_on_update(integrator, account):
    services.touchpoint_upsert(
        actor=integrator,
        external_id="activity-5",
        organization=account,
        data={"channel": Channel.EMAIL, "kind": TouchpointKind.QUERY, "summary": "Question"},
    )

    with pytest.raises(ApplicationError) as error:
        services.touchpoint_upsert(
            actor=integrator, external_id="activity-5", organization=account, data={"sentiment": 3}
        )

    assert "sentiment" in error.value.fields
    assert Touchpoint.objects.get(external_id="activity-5").sentiment == 0


def test_touchpoint_upsert_cannot_move_a_touchpoint_to_another_organization(
    integrator, account, other_account
):
    TouchpointFactory(organization=account, external_id="activity-5")

    with pytest.raises(ApplicationError) as error:
        services.touchpoint_upsert(
            actor=integrator, external_id="activity-5", organization=other_account, data={"summary": "Moved"}
        )

    assert "organization" in error.value.fields
    assert Touchpoint.objects.get(external_id="activity-5").organization == account


def test_touchpoint_upsert_without_an_external_id_does_not_touch_touchpoints_that_have_none(
    integrator, account
):
    existing = TouchpointFactory(organization=account, summary="Asked about the renewal date")

    with pytest.raises(ApplicationError) as error:
        services.touchpoint_upsert(
            actor=integrator, external_id="", organization=account, data={"summary": "Overwritten"}
        )

    assert "external_id" in error.value.fields
    assert Touchpoint.objects.get(pk=existing.pk).summary == "Asked about the renewal date"


# --- journey_upsert -------------------------------------------------------------------------------


def test_journey_upsert_starts_then_moves_one_journey(integrator, account):
    first, created = services.journey_upsert(
        actor=integrator, external_id="opp-3", organization=account, data={"name": "Fleet booking platform"}
    )
    second, created_again = services.journey_upsert(
        actor=integrator, external_id="opp-3", organization=None, data={"current_step": JourneyStep.OFFER}
    )

    assert (created, created_again) == (True, False)
    assert second.pk == first.pk
    [journey] = Journey.objects.filter(external_id="opp-3")
    assert journey.current_step == JourneyStep.OFFER
    assert list(journey.step_changes.values_list("from_step", "to_step")) == [
        ("", "explore"),
        ("explore", "offer"),
    ]


def test_journey_upsert_without_an_external_id_does_not_touch_journeys_that_have_none(integrator, journey):
    with pytest.raises(ApplicationError) as error:
        services.journey_upsert(
            actor=integrator, external_id="", organization=None, data={"name": "Overwritten"}
        )

    assert "external_id" in error.value.fields
    assert Journey.objects.get(pk=journey.pk).name == "Fleet booking platform"


# --- moves made on behalf of a later step ---------------------------------------------------------


def test_journey_advance_moves_once_and_records_the_step_history(account):
    journey = JourneyFactory(organization=account, current_step="onboard")

    assert services.journey_advance(journey=journey, to_step="co_create", note="Onboarding completed") is True
    assert (
        services.journey_advance(journey=journey, to_step="co_create", note="Onboarding completed") is False
    )

    journey.refresh_from_db()
    assert journey.current_step == "co_create"
    changes = JourneyStepChange.objects.filter(journey=journey, to_step="co_create")
    assert [(c.from_step, c.changed_by, c.note) for c in changes] == [
        ("onboard", None, "Onboarding completed")
    ]
    assert JourneyEvent.objects.filter(journey=journey, event_type="journey.step_changed").count() == 1


def test_journey_end_closes_an_active_journey_as_left_once(account):
    journey = JourneyFactory(organization=account, current_step="realize")

    assert services.journey_end(journey=journey, note="Offboarding completed") is True
    assert services.journey_end(journey=journey, note="Offboarding completed") is False
    assert services.journey_advance(journey=journey, to_step="explore", note="too late") is False

    journey.refresh_from_db()
    assert (journey.status, journey.current_step) == (JourneyStatus.LEFT, "realize")
    assert JourneyEvent.objects.filter(journey=journey, event_type="journey.ended").count() == 1


def test_journey_advance_never_takes_a_journey_back(account):
    journey = JourneyFactory(organization=account, current_step="realize")

    assert (
        services.journey_advance(journey=journey, to_step="co_create", note="Onboarding completed") is False
    )

    journey.refresh_from_db()
    assert journey.current_step == "realize"
