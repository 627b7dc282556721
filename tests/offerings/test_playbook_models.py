"""The database's guards on onboarding playbooks, their actions and the dependencies between them."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from offerings.dependencies import find_cycle
from offerings.models import OnboardingPlaybook, OwnerParty, PlaybookActionDependency
from tests.factories.offerings import (
    OnboardingPlaybookFactory,
    PlaybookActionDependencyFactory,
    PlaybookActionFactory,
)

pytestmark = pytest.mark.django_db


def test_playbook_names_are_unique_within_an_offering():
    playbook = OnboardingPlaybookFactory(name="Standard onboarding")

    OnboardingPlaybookFactory(name="Standard onboarding")  # another offering
    with pytest.raises(IntegrityError), transaction.atomic():
        OnboardingPlaybook.objects.create(offering=playbook.offering, name="STANDARD onboarding")


def test_an_action_cannot_be_due_before_onboarding_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        PlaybookActionFactory(due_after_days=-1)


def test_an_action_may_be_due_on_the_first_day():
    assert PlaybookActionFactory(due_after_days=0).pk


def test_an_action_belongs_to_the_provider_or_the_consumer():
    assert PlaybookActionFactory(owner_party=OwnerParty.CONSUMER).pk

    with pytest.raises(IntegrityError), transaction.atomic():
        PlaybookActionFactory(owner_party="partner")


def test_an_action_cannot_depend_on_itself():
    action = PlaybookActionFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        PlaybookActionDependency.objects.create(action=action, depends_on=action)


def test_a_dependency_is_recorded_once():
    link = PlaybookActionDependencyFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        PlaybookActionDependency.objects.create(action=link.action, depends_on=link.depends_on)


def test_dependencies_read_both_ways():
    link = PlaybookActionDependencyFactory()

    assert list(link.action.depends_on.all()) == [link.depends_on]
    assert list(link.depends_on.dependents.all()) == [link.action]


def test_model_validation_keeps_dependencies_within_one_playbook():
    action, elsewhere = PlaybookActionFactory(), PlaybookActionFactory()

    with pytest.raises(ValidationError) as error:
        PlaybookActionDependency(action=action, depends_on=elsewhere).full_clean()

    assert error.value.message_dict == {
        "depends_on": ["An action can only wait for actions of its own playbook."]
    }


def test_model_validation_refuses_a_dependency_on_itself():
    action = PlaybookActionFactory()

    with pytest.raises(ValidationError) as error:
        PlaybookActionDependency(action=action, depends_on=action).full_clean()

    assert error.value.message_dict == {"depends_on": ["An action cannot depend on itself."]}


def test_a_circle_through_stored_dependencies_is_found_from_their_ids():
    # The database takes a circle of two rows (each is fine on its own); the services check the
    # stored edges with find_cycle before adding one.
    first = PlaybookActionFactory()
    second = PlaybookActionFactory(playbook=first.playbook)
    PlaybookActionDependency.objects.create(action=first, depends_on=second)
    PlaybookActionDependency.objects.create(action=second, depends_on=first)

    edges = PlaybookActionDependency.objects.values_list("action_id", "depends_on_id")

    assert find_cycle(edges) == [first.pk, second.pk, first.pk]
