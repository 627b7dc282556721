"""What Engage records in the journey event outbox: a changed relationship type, a ladder step that
changed status, a recorded assessment; and nothing for changes that change nothing or are refused."""

import pytest

from journeys.base import ApplicationError
from journeys.models import JourneyEvent
from relationships import services
from relationships.models import AssessmentKind, EngageEventType
from tests.factories.assessments import answers_for

pytestmark = pytest.mark.django_db


def events(event_type):
    return list(JourneyEvent.objects.filter(event_type=event_type).order_by("pk"))


def test_setting_the_types_records_the_change_with_what_it_was(owner, account):
    services.service_relationship_set_types(
        actor=owner, organization=account, current_type="basic", target_type="cooperative"
    )
    services.service_relationship_set_types(
        actor=owner, organization=account, current_type="cooperative", target_type="cooperative"
    )

    first, second = events(EngageEventType.RELATIONSHIP_TYPE_CHANGED)
    assert first.organization == account and first.actor == owner
    assert first.payload["previous_current_type"] is None
    assert second.payload == {
        "current_type": "cooperative",
        "target_type": "cooperative",
        "previous_current_type": "basic",
        "previous_target_type": "cooperative",
    }


def test_saving_the_same_types_or_only_notes_records_nothing(owner, account):
    services.service_relationship_set_types(
        actor=owner, organization=account, current_type="basic", target_type="basic"
    )
    services.service_relationship_set_types(
        actor=owner, organization=account, current_type="basic", target_type="basic", notes="Met in May."
    )

    assert len(events(EngageEventType.RELATIONSHIP_TYPE_CHANGED)) == 1


def test_a_ladder_step_records_its_new_status_once(owner, account):
    services.ladder_step_update(actor=owner, organization=account, step="create_environment", status="done")
    services.ladder_step_update(
        actor=owner, organization=account, step="create_environment", status="done", evidence="Open day."
    )

    (event,) = events(EngageEventType.LADDER_STEP_CHANGED)
    assert event.payload == {"step": "create_environment", "status": "done", "previous_status": None}


def test_a_refused_ladder_step_records_nothing(owner, account):
    with pytest.raises(ApplicationError):
        services.ladder_step_update(actor=owner, organization=account, step="assess_readiness", status="done")

    assert events(EngageEventType.LADDER_STEP_CHANGED) == []


def test_a_recorded_assessment_carries_its_result(owner, account):
    assessment = services.assessment_record(
        actor=owner,
        organization=account,
        kind=AssessmentKind.CHANGE_READINESS,
        answers=answers_for(AssessmentKind.CHANGE_READINESS, value=4),
    )

    (event,) = events(EngageEventType.ASSESSMENT_RECORDED)
    assert event.organization == account
    assert event.payload["assessment"] == assessment.pk
    assert event.payload["kind"] == "change_readiness"
    assert event.payload["score"] == "4.00"
