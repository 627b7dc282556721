"""The service relationship ladder's rules, as the service enforces them: a step is done only once the
steps it builds on are done (1 → 2 → 3 and 4 side by side → 5), and a done step cannot be reopened
while a later step resting on it is done. A refused change names `status`, says which step comes
first, and saves nothing."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from journeys.base import ApplicationError
from relationships.models import LadderProgress, LadderStatus, LadderStep, ServiceRelationship
from relationships.services import ladder_step_update
from tests.factories.relationships import LadderProgressFactory, ServiceRelationshipFactory

pytestmark = pytest.mark.django_db

CREATE, TRUST, PROVIDER, NEEDS, READINESS = LadderStep
DONE, WIP, NOT = LadderStatus.DONE, LadderStatus.IN_PROGRESS, LadderStatus.NOT_STARTED


def ladder_with(account, **statuses):
    relationship = ServiceRelationshipFactory(organization=account)
    for step, status in statuses.items():
        LadderProgressFactory(relationship=relationship, step=step, status=status)
    return relationship


def statuses(account) -> dict[str, str]:
    return dict(
        LadderProgress.objects.filter(relationship__organization=account).values_list("step", "status")
    )


def refused(owner, account, step, status) -> ApplicationError:
    before = statuses(account)
    with pytest.raises(ApplicationError) as caught:
        ladder_step_update(actor=owner, organization=account, step=step, status=status)
    assert list(caught.value.fields) == ["status"]
    assert statuses(account) == before
    return caught.value


def test_the_first_step_can_be_done_at_once_and_records_who_and_when(owner, account):
    progress = ladder_step_update(
        actor=owner, organization=account, step=CREATE, status=DONE, evidence="  Met at the fleet expo.  "
    )

    assert progress.status == DONE
    assert progress.completed_at is not None
    assert progress.updated_by == owner
    assert progress.evidence == "Met at the fleet expo."
    assert ServiceRelationship.objects.filter(organization=account).count() == 1


def test_building_trust_needs_the_environment_done_first(owner, account):
    error = refused(owner, account, TRUST, DONE)

    assert error.message == (
        "‘Build and sustain trust and relationship’ needs ‘Create an environment for relational patterns’ "
        "done first."
    )


def test_a_step_may_be_in_progress_before_the_steps_before_it_are_done(owner, account):
    progress = ladder_step_update(actor=owner, organization=account, step=READINESS, status=WIP)

    assert progress.status == WIP
    assert progress.completed_at is None


@pytest.mark.parametrize("step", [PROVIDER, NEEDS])
def test_either_parallel_step_needs_trust_done_first(owner, account, step):
    ladder_with(account, create_environment=DONE, build_trust=WIP)

    error = refused(owner, account, step, DONE)

    assert "needs ‘Build and sustain trust and relationship’ done first" in error.message


@pytest.mark.parametrize("step", [PROVIDER, NEEDS])
def test_either_parallel_step_may_be_done_without_the_other(owner, account, step):
    ladder_with(account, create_environment=DONE, build_trust=DONE)

    ladder_step_update(actor=owner, organization=account, step=step, status=DONE)

    assert statuses(account)[step] == DONE


def test_assessing_readiness_needs_both_parallel_steps_done(owner, account):
    ladder_with(account, create_environment=DONE, build_trust=DONE)

    error = refused(owner, account, READINESS, DONE)

    assert error.message == (
        "‘Assess mutual readiness and maturity’ needs both ‘Understand the provider's capabilities’ and "
        "‘Understand the customer's needs’ done first."
    )


@pytest.mark.parametrize(
    ("done", "missing"),
    [(PROVIDER, "Understand the customer's needs"), (NEEDS, "Understand the provider's capabilities")],
)
def test_assessing_readiness_with_one_parallel_step_done_names_the_other(owner, account, done, missing):
    ladder_with(account, create_environment=DONE, build_trust=DONE, **{done: DONE})

    error = refused(owner, account, READINESS, DONE)

    assert error.message == f"‘Assess mutual readiness and maturity’ needs ‘{missing}’ done first."


def test_the_whole_ladder_can_be_climbed_in_order(owner, account):
    for step in (CREATE, TRUST, NEEDS, PROVIDER, READINESS):
        ladder_step_update(actor=owner, organization=account, step=step, status=DONE)

    assert set(statuses(account).values()) == {DONE}


def test_a_done_step_cannot_go_back_while_a_step_resting_on_it_is_done(owner, account):
    ladder_with(account, create_environment=DONE, build_trust=DONE)

    error = refused(owner, account, CREATE, WIP)

    assert error.message == (
        "‘Create an environment for relational patterns’ cannot go back from done while ‘Build and "
        "sustain trust and relationship’ is done; reopen it first."
    )


def test_trust_cannot_go_back_while_either_parallel_step_is_done(owner, account):
    ladder_with(account, create_environment=DONE, build_trust=DONE, understand_needs=DONE)

    error = refused(owner, account, TRUST, NOT)

    assert "while ‘Understand the customer's needs’ is done" in error.message


def test_trust_going_back_names_both_parallel_steps_when_both_are_done(owner, account):
    ladder_with(
        account, create_environment=DONE, build_trust=DONE, understand_needs=DONE, understand_provider=DONE
    )

    error = refused(owner, account, TRUST, WIP)

    assert (
        "while both ‘Understand the provider's capabilities’ and ‘Understand the customer's needs’ are done"
        in (error.message)
    )


def test_a_parallel_step_cannot_go_back_while_readiness_is_done(owner, account):
    ladder_with(
        account,
        create_environment=DONE,
        build_trust=DONE,
        understand_needs=DONE,
        understand_provider=DONE,
        assess_readiness=DONE,
    )

    refused(owner, account, PROVIDER, WIP)


def test_a_done_step_can_go_back_when_nothing_rests_on_it_and_loses_its_completion_date(owner, account):
    ladder_with(account, create_environment=DONE, build_trust=DONE, understand_provider=WIP)

    progress = ladder_step_update(actor=owner, organization=account, step=TRUST, status=WIP)

    assert progress.status == WIP
    assert progress.completed_at is None


def test_saving_a_done_step_again_keeps_its_completion_date(owner, account):
    first = ladder_step_update(actor=owner, organization=account, step=CREATE, status=DONE)

    again = ladder_step_update(actor=owner, organization=account, step=CREATE, status=DONE, evidence="More.")

    assert again.completed_at == first.completed_at
    assert again.evidence == "More."


def test_leaving_evidence_out_keeps_the_evidence(owner, account):
    ladder_step_update(
        actor=owner, organization=account, step=CREATE, status=WIP, evidence="Open day booked."
    )

    progress = ladder_step_update(actor=owner, organization=account, step=CREATE, status=DONE)

    assert progress.evidence == "Open day booked."


def test_an_unknown_status_or_step_is_refused_by_field(owner, account):
    with pytest.raises(ApplicationError) as caught:
        ladder_step_update(actor=owner, organization=account, step=CREATE, status="finished")
    assert list(caught.value.fields) == ["status"]
    with pytest.raises(ApplicationError) as caught:
        ladder_step_update(actor=owner, organization=account, step="climb", status=DONE)
    assert list(caught.value.fields) == ["step"]
    assert not LadderProgress.objects.exists()


def test_the_ladder_of_an_account_the_actor_may_not_see_is_not_found(outsider, account):
    with pytest.raises(Http404):
        ladder_step_update(actor=outsider, organization=account, step=CREATE, status=DONE)


@pytest.mark.parametrize("persona", ["desk", "analyst"])
def test_read_only_roles_may_not_move_the_ladder(request, account, persona):
    with pytest.raises(PermissionDenied):
        ladder_step_update(
            actor=request.getfixturevalue(persona), organization=account, step=CREATE, status=DONE
        )
    assert not LadderProgress.objects.exists()


def test_a_teammate_may_move_the_ladder(teammate, account):
    assert ladder_step_update(actor=teammate, organization=account, step=CREATE, status=DONE).status == DONE
