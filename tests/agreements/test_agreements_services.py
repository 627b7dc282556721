"""Drafting, changing and moving agreements through their lifecycle, and recording their reviews: bad
input names its field and saves nothing, only the allowed moves happen and only once their conditions
are met, every move is a journey event, and only people who may change the account can do any of it."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from agreements.models import (
    TRANSITIONS,
    AgreeEventType,
    Agreement,
    AgreementReview,
    AgreementStatus,
)
from agreements.services import (
    add_months,
    agreement_create,
    agreement_delete,
    agreement_review_record,
    agreement_transition,
    agreement_update,
)
from journeys.base import ApplicationError
from journeys.models import JourneyEvent, OrganizationKind
from tests.factories.agreements import AgreementFactory, ScorecardFactory, ServiceLevelTargetFactory
from tests.factories.journeys import OrganizationFactory, StakeholderFactory
from tests.factories.offerings import ServiceOfferingFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 10)


def status_events():
    return JourneyEvent.objects.filter(event_type=AgreeEventType.AGREEMENT_STATUS_CHANGED).order_by("pk")


def snapshot(agreement):
    """What a refused change must leave untouched."""
    row = Agreement.objects.get(pk=agreement.pk)
    return (row.status, row.updated_at, row.history.count(), JourneyEvent.objects.count())


@pytest.fixture
def draft(account, owner):
    return AgreementFactory(
        organization=account,
        title="Fleet booking SLA",
        owner=owner,
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 12, 31),
        review_cadence="quarterly",
    )


def with_target(agreement, **kwargs):
    ServiceLevelTargetFactory(agreement=agreement, **kwargs)
    return agreement


# --- create -----------------------------------------------------------------------------------------


def test_a_new_agreement_is_a_draft_owned_by_the_manager_who_drafts_it(owner, account, sponsor):
    offering = ServiceOfferingFactory(name="Mobility desk", status="published")

    agreement = agreement_create(
        actor=owner,
        organization=account,
        title="  Fleet booking SLA 2026 ",
        form="agreement_based",
        kind="sla",
        offerings=[offering],
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 12, 31),
        customer_contact=sponsor,
    )

    assert (agreement.title, agreement.status, agreement.owner) == ("Fleet booking SLA 2026", "draft", owner)
    assert list(agreement.offerings.all()) == [offering]
    assert agreement.customer_contact == sponsor
    assert agreement.status_changed_at is not None
    assert agreement.history.get().history_user == owner


def test_offerings_may_be_given_by_id_and_drafts_are_accepted(owner, account):
    offering = ServiceOfferingFactory(status="draft")

    agreement = agreement_create(
        actor=owner,
        organization=account,
        title="Pilot",
        form="promise_based",
        kind="bespoke_contract",
        offerings=[offering.pk],
    )

    assert list(agreement.offerings.all()) == [offering]


def test_an_administrator_drafts_without_becoming_its_owner(administrator, account):
    agreement = agreement_create(
        actor=administrator,
        organization=account,
        title="Fleet booking SLA",
        form="agreement_based",
        kind="sla",
    )

    assert agreement.owner is None


def test_a_retired_or_unknown_offering_is_refused_naming_the_field(owner, account):
    retired = ServiceOfferingFactory(name="Old desk", status="retired")

    with pytest.raises(ApplicationError) as caught:
        agreement_create(
            actor=owner,
            organization=account,
            title="SLA",
            form="agreement_based",
            kind="sla",
            offerings=[retired],
        )
    assert caught.value.fields["offerings"] == [
        "“Old desk” is retired: an agreement can cover only offerings still in the catalogue."
    ]

    with pytest.raises(ApplicationError) as caught:
        agreement_create(
            actor=owner,
            organization=account,
            title="SLA",
            form="agreement_based",
            kind="sla",
            offerings=[99999],
        )
    assert caught.value.fields == {"offerings": ["No offering with the id 99999."]}
    assert not Agreement.objects.exists()


def test_the_end_must_not_come_before_the_start(owner, account):
    with pytest.raises(ApplicationError) as caught:
        agreement_create(
            actor=owner,
            organization=account,
            title="SLA",
            form="agreement_based",
            kind="sla",
            starts_on=date(2026, 6, 1),
            ends_on=date(2026, 5, 31),
        )

    assert caught.value.fields == {
        "ends_on": ["The end date comes before the start date: it must be on or after it."]
    }
    assert not Agreement.objects.exists()


def test_the_customer_contact_must_be_one_of_the_accounts_people(owner, account, other_account):
    stranger = StakeholderFactory(organization=other_account)

    with pytest.raises(ApplicationError) as caught:
        agreement_create(
            actor=owner,
            organization=account,
            title="SLA",
            form="agreement_based",
            kind="sla",
            customer_contact=stranger,
        )

    assert set(caught.value.fields) == {"customer_contact"}


def test_a_title_known_choices_and_a_free_external_id_are_needed(owner, account):
    AgreementFactory(external_id="CRM-1")

    with pytest.raises(ApplicationError) as caught:
        agreement_create(
            actor=owner,
            organization=account,
            title=" ",
            form="handshake",
            kind="xla",
            review_cadence="weekly",
            external_id="CRM-1",
        )

    assert set(caught.value.fields) == {"title", "form", "kind", "review_cadence", "external_id"}


def test_the_owner_must_be_a_relationship_manager_or_an_administrator(owner, desk, account):
    with pytest.raises(ApplicationError) as caught:
        agreement_create(
            actor=owner, organization=account, title="SLA", form="agreement_based", kind="sla", owner=desk
        )

    assert caught.value.fields == {
        "owner": ["Choose a relationship manager or an administrator as the owner."]
    }


def test_only_a_consumer_has_agreements(owner):
    supplier = OrganizationFactory(kind=OrganizationKind.SUPPLIER, owner=owner)

    with pytest.raises(ApplicationError) as caught:
        agreement_create(actor=owner, organization=supplier, title="SLA", form="agreement_based", kind="sla")

    assert (caught.value.status, caught.value.code) == (409, "not_a_consumer")


def test_outsiders_get_404_and_read_only_roles_403(outsider, desk, analyst, account):
    with pytest.raises(Http404):
        agreement_create(
            actor=outsider, organization=account, title="SLA", form="agreement_based", kind="sla"
        )
    for reader in (desk, analyst):
        with pytest.raises(PermissionDenied):
            agreement_create(
                actor=reader, organization=account, title="SLA", form="agreement_based", kind="sla"
            )
    assert not Agreement.objects.exists()


# --- update and delete ------------------------------------------------------------------------------


def test_an_update_changes_the_fields_given_and_keeps_a_version(owner, teammate, draft):
    offering = ServiceOfferingFactory(status="published")

    updated = agreement_update(actor=teammate, agreement=draft, title="Fleet SLA v2", offerings=[offering])

    assert updated.title == "Fleet SLA v2"
    assert list(updated.offerings.all()) == [offering]
    assert draft.history.count() == 1 + 1
    assert draft.history.first().history_user == teammate


def test_an_unchanged_update_writes_nothing(owner, draft):
    before = snapshot(draft)

    agreement_update(actor=owner, agreement=draft, title="Fleet booking SLA")

    assert snapshot(draft) == before


def test_the_status_is_not_edited(owner, draft):
    with pytest.raises(ApplicationError) as caught:
        agreement_update(actor=owner, agreement=draft, status="active")

    assert caught.value.fields == {"status": ["Change the status with a lifecycle move, not an edit."]}


@pytest.mark.parametrize("status", ["expired", "terminated"])
def test_an_ended_agreement_is_read_only(owner, draft, status):
    Agreement.objects.filter(pk=draft.pk).update(status=status)
    before = snapshot(draft)

    with pytest.raises(ApplicationError) as caught:
        agreement_update(actor=owner, agreement=draft, title="Revived")

    assert (caught.value.status, caught.value.code) == (409, "agreement_closed")
    assert snapshot(draft) == before


def test_a_retired_offering_already_covered_may_stay(owner, draft):
    kept = ServiceOfferingFactory(status="published")
    draft.offerings.set([kept])
    kept.status, kept.retired_at = "retired", timezone.now()
    kept.save()

    updated = agreement_update(actor=owner, agreement=draft, title="Renamed", offerings=[kept])

    assert list(updated.offerings.all()) == [kept]


def test_a_new_cadence_on_an_active_agreement_moves_its_next_review(owner, draft):
    Agreement.objects.filter(pk=draft.pk).update(status="active", next_review_on=date(2026, 4, 1))

    updated = agreement_update(actor=owner, agreement=draft, review_cadence="monthly")

    assert updated.next_review_on == date(2026, 2, 1)


def test_only_a_draft_is_deleted(owner, draft):
    other = AgreementFactory(organization=draft.organization, status="negotiating")

    with pytest.raises(ApplicationError) as caught:
        agreement_delete(actor=owner, agreement=other)
    assert (caught.value.status, caught.value.code) == (409, "not_a_draft")

    agreement_delete(actor=owner, agreement=draft)
    assert list(Agreement.objects.all()) == [other]


# --- the lifecycle ----------------------------------------------------------------------------------


def test_a_draft_goes_all_the_way_to_active_recording_each_move(owner, draft):
    with_target(draft)
    for status in ("negotiating", "agreed", "active"):
        agreement_transition(actor=owner, agreement=draft, to_status=status, today=TODAY)

    draft.refresh_from_db()
    assert draft.status == "active"
    assert draft.agreed_on == TODAY
    assert draft.next_review_on == date(2026, 4, 1)  # the start plus a quarter
    assert [(e.payload["from"], e.payload["to"]) for e in status_events()] == [
        ("draft", "negotiating"),
        ("negotiating", "agreed"),
        ("agreed", "active"),
    ]
    event = status_events().last()
    assert event.payload == {
        "agreement": draft.pk,
        "title": "Fleet booking SLA",
        "from": "agreed",
        "to": "active",
    }
    assert (event.organization, event.actor) == (draft.organization, owner)


def test_every_move_not_in_the_lifecycle_is_refused_with_nothing_changed(owner, account):
    for current in TRANSITIONS:
        for wanted in AgreementStatus.values:
            if wanted in TRANSITIONS[current]:
                continue
            agreement = AgreementFactory(organization=account, status=current)
            before = snapshot(agreement)

            with pytest.raises(ApplicationError) as caught:
                agreement_transition(actor=owner, agreement=agreement, to_status=wanted, today=TODAY)

            assert (caught.value.status, caught.value.code) == (409, "illegal_transition"), (current, wanted)
            assert list(caught.value.fields) == ["status"]
            assert snapshot(agreement) == before


def test_the_refusal_names_the_current_status_and_the_allowed_moves(owner, draft):
    with pytest.raises(ApplicationError) as caught:
        agreement_transition(actor=owner, agreement=draft, to_status="active", today=TODAY)

    assert caught.value.fields["status"] == [
        "A draft agreement cannot become active; from draft it can become negotiating or terminated."
    ]


def test_an_ended_agreement_says_its_status_no_longer_changes(owner, account):
    agreement = AgreementFactory(organization=account, status="expired", title="Old SLA")

    with pytest.raises(ApplicationError) as caught:
        agreement_transition(actor=owner, agreement=agreement, to_status="active", today=TODAY)

    assert caught.value.message == "“Old SLA” is expired: its status no longer changes."


def test_an_unknown_status_names_the_field(owner, draft):
    with pytest.raises(ApplicationError) as caught:
        agreement_transition(actor=owner, agreement=draft, to_status="signed", today=TODAY)

    assert (caught.value.status, list(caught.value.fields)) == (400, ["status"])


def test_agreeing_needs_an_active_target_and_a_start_date(owner, draft):
    Agreement.objects.filter(pk=draft.pk).update(status="negotiating", starts_on=None)
    ServiceLevelTargetFactory(agreement=draft, is_active=False)
    before = snapshot(draft)

    with pytest.raises(ApplicationError) as caught:
        agreement_transition(actor=owner, agreement=draft, to_status="agreed", today=TODAY)

    assert (caught.value.status, caught.value.code) == (409, "transition_not_ready")
    assert caught.value.fields == {
        "targets": ["Add a target before it can be agreed."],
        "starts_on": ["Set the start date before it can be agreed."],
    }
    assert snapshot(draft) == before


def test_activating_needs_an_end_date_still_ahead(owner, draft):
    with_target(draft)
    Agreement.objects.filter(pk=draft.pk).update(status="agreed", ends_on=date(2026, 3, 9))

    with pytest.raises(ApplicationError) as caught:
        agreement_transition(actor=owner, agreement=draft, to_status="active", today=TODAY)

    assert caught.value.fields == {
        "ends_on": ["Its end date, 9 Mar 2026, has passed: set a later end date before activating it."]
    }


def test_activating_needs_targets_and_a_start_and_a_cadence(owner, draft):
    Agreement.objects.filter(pk=draft.pk).update(status="agreed", starts_on=None, review_cadence="")

    with pytest.raises(ApplicationError) as caught:
        agreement_transition(actor=owner, agreement=draft, to_status="active", today=TODAY)

    assert set(caught.value.fields) == {"targets", "starts_on", "review_cadence"}


def test_an_open_ended_agreement_with_reviews_on_demand_activates_without_a_next_review(owner, draft):
    with_target(draft)
    Agreement.objects.filter(pk=draft.pk).update(status="agreed", ends_on=None, review_cadence="on_demand")

    active = agreement_transition(actor=owner, agreement=draft, to_status="active", today=TODAY)

    assert (active.status, active.next_review_on) == ("active", None)


def test_a_planned_review_is_kept_when_activating(owner, draft):
    with_target(draft)
    Agreement.objects.filter(pk=draft.pk).update(status="agreed", next_review_on=date(2026, 3, 20))

    active = agreement_transition(actor=owner, agreement=draft, to_status="active", today=TODAY)

    assert active.next_review_on == date(2026, 3, 20)


def test_expiring_needs_an_end_date_that_has_passed(owner, draft):
    Agreement.objects.filter(pk=draft.pk).update(status="active", ends_on=TODAY)

    with pytest.raises(ApplicationError) as caught:
        agreement_transition(actor=owner, agreement=draft, to_status="expired", today=TODAY)
    assert caught.value.fields == {"ends_on": ["It can expire only after its end date, 10 Mar 2026."]}

    expired = agreement_transition(
        actor=owner, agreement=draft, to_status="expired", today=TODAY + timedelta(days=1)
    )
    assert expired.status == "expired"


def test_an_agreement_without_an_end_date_cannot_expire(owner, draft):
    Agreement.objects.filter(pk=draft.pk).update(status="active", ends_on=None)

    with pytest.raises(ApplicationError) as caught:
        agreement_transition(actor=owner, agreement=draft, to_status="expired", today=TODAY)

    assert caught.value.fields == {
        "ends_on": ["It has no end date, so it cannot expire: terminate it instead."]
    }


def test_terminating_needs_a_reason_which_is_kept(owner, draft):
    before = snapshot(draft)
    with pytest.raises(ApplicationError) as caught:
        agreement_transition(actor=owner, agreement=draft, to_status="terminated", reason="  ", today=TODAY)
    assert list(caught.value.fields) == ["reason"]
    assert snapshot(draft) == before

    ended = agreement_transition(
        actor=owner, agreement=draft, to_status="terminated", reason="Moved to another provider.", today=TODAY
    )

    assert (ended.status, ended.termination_reason) == ("terminated", "Moved to another provider.")
    assert status_events().get().payload["to"] == "terminated"


def test_moves_back_are_allowed_and_clear_the_agreed_date(owner, draft):
    with_target(draft)
    agreement_transition(actor=owner, agreement=draft, to_status="negotiating", today=TODAY)
    agreement_transition(actor=owner, agreement=draft, to_status="agreed", today=TODAY)

    reopened = agreement_transition(actor=owner, agreement=draft, to_status="negotiating", today=TODAY)
    assert (reopened.status, reopened.agreed_on) == ("negotiating", None)

    back = agreement_transition(actor=owner, agreement=draft, to_status="draft", today=TODAY)
    assert back.status == "draft"


def test_moves_are_refused_to_outsiders_and_readers(outsider, analyst, draft):
    with pytest.raises(Http404):
        agreement_transition(actor=outsider, agreement=draft, to_status="negotiating")
    with pytest.raises(PermissionDenied):
        agreement_transition(actor=analyst, agreement=draft, to_status="negotiating")
    assert not status_events().exists()


# --- reviews ----------------------------------------------------------------------------------------


@pytest.fixture
def active(draft):
    with_target(draft)
    Agreement.objects.filter(pk=draft.pk).update(
        status="active", next_review_on=date(2026, 4, 1), review_reminded_on=date(2026, 4, 1)
    )
    draft.refresh_from_db()
    return draft


def test_a_review_keeps_the_latest_compliance_and_plans_the_next(owner, active):
    ScorecardFactory(agreement=active, month=date(2026, 1, 1), compliance_pct=Decimal("91.0"))
    ScorecardFactory(agreement=active, month=date(2026, 2, 1), compliance_pct=Decimal("87.5"))
    ScorecardFactory(agreement=active, month=date(2026, 3, 1), compliance_pct=None, targets_measured=0)
    held = timezone.localdate()

    review = agreement_review_record(
        actor=owner, agreement=active, held_on=held, summary=" Availability held. ", outcome="renegotiate"
    )

    assert (review.summary, review.outcome, review.compliance_pct, review.reviewed_by) == (
        "Availability held.",
        "renegotiate",
        Decimal("87.5"),
        owner,
    )
    active.refresh_from_db()
    assert active.next_review_on == add_months(held, 3)
    assert active.review_reminded_on is None
    event = JourneyEvent.objects.get(event_type=AgreeEventType.AGREEMENT_REVIEWED)
    assert event.payload["review"] == review.pk and event.payload["compliance_pct"] == "87.5"


def test_a_review_without_scorecards_keeps_no_compliance(owner, active):
    review = agreement_review_record(
        actor=owner, agreement=active, held_on=timezone.localdate(), summary="Fine."
    )

    assert review.compliance_pct is None


def test_a_review_on_demand_plans_no_next_one(owner, active):
    Agreement.objects.filter(pk=active.pk).update(review_cadence="on_demand")

    agreement_review_record(actor=owner, agreement=active, held_on=timezone.localdate(), summary="Fine.")

    active.refresh_from_db()
    assert active.next_review_on is None


def test_a_review_cannot_be_in_the_future_and_needs_a_summary(owner, active):
    with pytest.raises(ApplicationError) as caught:
        agreement_review_record(
            actor=owner, agreement=active, held_on=timezone.localdate() + timedelta(days=1), summary=""
        )

    assert set(caught.value.fields) == {"held_on", "summary"}
    assert not AgreementReview.objects.exists()


@pytest.mark.parametrize("status", ["draft", "negotiating", "expired", "terminated"])
def test_only_agreed_and_active_agreements_are_reviewed(owner, draft, status):
    Agreement.objects.filter(pk=draft.pk).update(status=status)

    with pytest.raises(ApplicationError) as caught:
        agreement_review_record(actor=owner, agreement=draft, held_on=timezone.localdate(), summary="Fine.")

    assert (caught.value.status, caught.value.code) == (409, "not_reviewable")
    assert not AgreementReview.objects.exists()


def test_add_months_keeps_the_day_or_takes_the_months_last():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 11, 15), 3) == date(2027, 2, 15)
    assert add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)
