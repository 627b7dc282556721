"""The database's own guards on the catalogue: they hold even when the services are bypassed."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from offerings.models import (
    EngagementTier,
    OfferingComponent,
    OfferingJourney,
    OfferingStatus,
    Service,
    ServiceOffering,
    ValueProposition,
)
from tests.factories.exploration import MarketSegmentFactory
from tests.factories.offerings import (
    EngagementTierFactory,
    OfferingJourneyFactory,
    ServiceFactory,
    ServiceOfferingFactory,
    ValuePropositionFactory,
)
from tests.factories.personas import PersonaFactory

pytestmark = pytest.mark.django_db


# --- services and offerings -------------------------------------------------------------------------


def test_service_names_are_unique_whatever_their_case():
    ServiceFactory(name="Managed workplace")

    with pytest.raises(IntegrityError), transaction.atomic():
        Service.objects.create(name="MANAGED WORKPLACE")


def test_offering_names_are_unique_within_a_service_only():
    offering = ServiceOfferingFactory(name="Standard laptop")

    ServiceOfferingFactory(name="Standard laptop")  # another service
    with pytest.raises(IntegrityError), transaction.atomic():
        ServiceOffering.objects.create(service=offering.service, name="standard LAPTOP")


def test_an_unknown_offering_status_is_refused():
    with pytest.raises(IntegrityError), transaction.atomic():
        ServiceOfferingFactory(status="withdrawn")


def test_a_published_offering_needs_its_publication_date():
    with pytest.raises(IntegrityError), transaction.atomic():
        ServiceOfferingFactory(status=OfferingStatus.PUBLISHED, published_at=None)


def test_a_retired_offering_needs_its_retirement_date():
    with pytest.raises(IntegrityError), transaction.atomic():
        ServiceOfferingFactory(status=OfferingStatus.RETIRED, retired_at=None)


def test_an_offering_cannot_be_retired_before_it_was_published():
    now = timezone.now()

    with pytest.raises(IntegrityError), transaction.atomic():
        ServiceOfferingFactory(
            status=OfferingStatus.RETIRED, published_at=now, retired_at=now - timedelta(days=1)
        )


def test_a_retired_draft_needs_no_publication_date():
    offering = ServiceOfferingFactory(status=OfferingStatus.RETIRED, published_at=None)

    assert offering.retired_at is not None


def test_model_validation_reports_a_published_offering_without_date():
    offering = ServiceOfferingFactory.build(
        service=ServiceFactory(), status=OfferingStatus.PUBLISHED, published_at=None
    )

    with pytest.raises(ValidationError, match="moment it was published"):
        offering.full_clean()


def test_a_service_with_offerings_cannot_be_deleted():
    offering = ServiceOfferingFactory()

    with pytest.raises(ProtectedError):
        offering.service.delete()


def test_an_offering_targets_segments_and_personas():
    segment, persona = MarketSegmentFactory(), PersonaFactory()

    offering = ServiceOfferingFactory(target_segments=[segment], target_personas=[persona])

    assert list(segment.service_offerings.all()) == [offering]
    assert list(persona.service_offerings.all()) == [offering]


def test_publishing_leaves_a_history_row():
    offering = ServiceOfferingFactory()

    offering.status, offering.published_at = OfferingStatus.PUBLISHED, timezone.now()
    offering.save()

    assert [row.status for row in offering.history.all()] == ["published", "draft"]


# --- components and engagement tiers ----------------------------------------------------------------


def test_an_unknown_component_kind_is_refused():
    with pytest.raises(IntegrityError), transaction.atomic():
        OfferingComponent.objects.create(offering=ServiceOfferingFactory(), kind="software", name="App")


def test_engagement_tier_names_are_unique_within_an_offering():
    tier = EngagementTierFactory(name="Assisted")

    EngagementTierFactory(name="Assisted")  # another offering
    with pytest.raises(IntegrityError), transaction.atomic():
        EngagementTier.objects.create(offering=tier.offering, name="ASSISTED")


# --- value propositions ------------------------------------------------------------------------------


def test_a_value_proposition_needs_a_segment_or_a_persona():
    with pytest.raises(IntegrityError), transaction.atomic():
        ValuePropositionFactory(segment=None, persona=None)


def test_a_value_proposition_for_a_persona_alone_is_fine():
    proposition = ValuePropositionFactory(segment=None, persona=PersonaFactory())

    assert proposition.segment is None


def test_model_validation_asks_for_the_target_of_a_value_proposition():
    proposition = ValuePropositionFactory.build(offering=ServiceOfferingFactory(), segment=None, persona=None)

    with pytest.raises(ValidationError) as error:
        proposition.full_clean()

    assert "segment" in error.value.message_dict


@pytest.mark.parametrize(
    "statement", ["how_it_solves_problems", "what_to_expect", "advantage_over_competitors"]
)
def test_each_of_the_three_statements_is_required(statement):
    with pytest.raises(IntegrityError), transaction.atomic():
        ValuePropositionFactory(**{statement: ""})


def test_an_unknown_decision_maker_role_is_refused():
    with pytest.raises(IntegrityError), transaction.atomic():
        ValuePropositionFactory(target_decision_maker_role="buyer")


def test_deleting_the_segment_deletes_the_propositions_written_for_it():
    proposition = ValuePropositionFactory()

    proposition.segment.delete()

    assert not ValueProposition.objects.filter(pk=proposition.pk).exists()


# --- offerings and journeys ------------------------------------------------------------------------


def test_a_journey_is_linked_to_an_offering_once(journey):
    link = OfferingJourneyFactory(journey=journey)

    with pytest.raises(IntegrityError), transaction.atomic():
        OfferingJourney.objects.create(offering=link.offering, journey=journey)


def test_a_journey_may_concern_several_offerings(journey):
    OfferingJourneyFactory(journey=journey)
    OfferingJourneyFactory(journey=journey)

    assert journey.offering_links.count() == 2
