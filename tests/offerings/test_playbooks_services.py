"""The playbooks' writes: playbooks per offering and their template actions, with dependencies that may
never go round in a circle (refused with the actions named) and positions that stay in order."""

import pytest
from django.core.exceptions import PermissionDenied

from journeys.base import ApplicationError
from offerings import services
from offerings.models import OnboardingPlaybook, OwnerParty, PlaybookAction, PlaybookActionDependency
from tests.factories.offerings import (
    OnboardingPlaybookFactory,
    PlaybookActionDependencyFactory,
    PlaybookActionFactory,
    ServiceOfferingFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def playbook():
    return OnboardingPlaybookFactory(name="Standard onboarding")


def action(playbook, title, **extra):
    return PlaybookActionFactory(playbook=playbook, title=title, **extra)


def prerequisites_of(step):
    return sorted(step.depends_on.values_list("title", flat=True))


# --- playbooks ------------------------------------------------------------------------------------


def test_a_manager_designs_a_playbook_and_looks_after_it(owner):
    offering = ServiceOfferingFactory()

    playbook = services.playbook_create(
        actor=owner, offering=offering, name=" Light onboarding ", vision="Working in a week"
    )

    assert (playbook.name, playbook.vision, playbook.owner, playbook.offering) == (
        "Light onboarding",
        "Working in a week",
        owner,
        offering,
    )


def test_playbook_names_are_unique_within_their_offering(owner, playbook):
    with pytest.raises(ApplicationError) as error:
        services.playbook_create(actor=owner, offering=playbook.offering, name="STANDARD onboarding")

    assert (error.value.status, error.value.code) == (409, "duplicate")
    assert OnboardingPlaybook.objects.count() == 1


def test_a_playbook_needs_a_name(owner):
    with pytest.raises(ApplicationError) as error:
        services.playbook_create(actor=owner, offering=ServiceOfferingFactory(), name="")

    assert "name" in error.value.fields
    assert not OnboardingPlaybook.objects.exists()


def test_a_playbook_is_updated_and_deleted_with_its_actions(owner, playbook):
    action(playbook, "Kick-off")

    services.playbook_update(actor=owner, playbook=playbook, goals="All users live")
    playbook.refresh_from_db()
    services.playbook_delete(actor=owner, playbook=playbook)

    assert playbook.goals == "All users live"
    assert not OnboardingPlaybook.objects.exists() and not PlaybookAction.objects.exists()


@pytest.mark.parametrize("reader", ["desk", "analyst"])
def test_read_only_roles_may_not_change_playbooks(request, reader, playbook):
    actor = request.getfixturevalue(reader)

    with pytest.raises(PermissionDenied):
        services.playbook_action_add(actor=actor, playbook=playbook, title="Sneaky")
    with pytest.raises(PermissionDenied):
        services.playbook_delete(actor=actor, playbook=playbook)

    assert OnboardingPlaybook.objects.exists() and not PlaybookAction.objects.exists()


# --- actions --------------------------------------------------------------------------------------


def test_an_action_is_added_last_with_its_prerequisites(owner, playbook):
    kick_off = action(playbook, "Kick-off", due_after_days=0)

    added = services.playbook_action_add(
        actor=owner,
        playbook=playbook,
        title="Ship laptops",
        owner_party=OwnerParty.PROVIDER,
        owner_role="Logistics",
        due_after_days=5,
        depends_on=[kick_off],
    )

    assert added.position == kick_off.position + 1
    assert (added.owner_role, added.due_after_days) == ("Logistics", 5)
    assert prerequisites_of(added) == ["Kick-off"]


@pytest.mark.parametrize("days", [-1, 731, "soon", True])
def test_due_days_outside_zero_to_two_years_are_refused(owner, playbook, days):
    with pytest.raises(ApplicationError) as error:
        services.playbook_action_add(actor=owner, playbook=playbook, title="Late", due_after_days=days)

    assert "from 0 to 730" in error.value.fields["due_after_days"][0]
    assert not PlaybookAction.objects.exists()


def test_an_unknown_owner_party_is_named(owner, playbook):
    with pytest.raises(ApplicationError) as error:
        services.playbook_action_add(actor=owner, playbook=playbook, title="Who?", owner_party="supplier")

    assert "owner_party" in error.value.fields


def test_an_action_of_another_playbook_cannot_be_a_prerequisite(owner, playbook):
    elsewhere = action(OnboardingPlaybookFactory(), "Elsewhere")

    with pytest.raises(ApplicationError) as error:
        services.playbook_action_add(actor=owner, playbook=playbook, title="Local", depends_on=[elsewhere])

    assert "same playbook" in error.value.fields["depends_on"][0]
    assert not playbook.actions.exists()


def test_an_action_cannot_wait_for_itself(owner, playbook):
    kick_off = action(playbook, "Kick-off")

    with pytest.raises(ApplicationError) as error:
        services.playbook_action_update(actor=owner, action=kick_off, depends_on=[kick_off])

    assert error.value.fields["depends_on"] == ["“Kick-off” cannot wait for itself."]


def test_a_dependency_cycle_is_refused_with_the_actions_named(owner, playbook):
    sign = action(playbook, "Sign the order")
    ship = action(playbook, "Ship laptops")
    train = action(playbook, "Train users")
    PlaybookActionDependencyFactory(action=ship, depends_on=sign)
    PlaybookActionDependencyFactory(action=train, depends_on=ship)

    with pytest.raises(ApplicationError) as error:
        services.playbook_action_update(actor=owner, action=sign, depends_on=[train], title="Sign it")

    assert error.value.code == "dependency_cycle"
    assert error.value.fields["depends_on"] == [
        "“Sign it” cannot wait for “Train users”: that would close a circle (“Sign it” → “Train users” → "
        "“Ship laptops” → “Sign it”, each waiting for the next)."
    ]
    sign.refresh_from_db()
    assert sign.title == "Sign the order"
    assert not sign.depends_on.exists()


def test_replacing_prerequisites_keeps_the_other_actions_links(owner, playbook):
    sign = action(playbook, "Sign the order")
    ship = action(playbook, "Ship laptops")
    train = action(playbook, "Train users")
    PlaybookActionDependencyFactory(action=train, depends_on=sign)
    PlaybookActionDependencyFactory(action=ship, depends_on=sign)

    services.playbook_action_update(actor=owner, action=train, depends_on=[ship])

    assert prerequisites_of(train) == ["Ship laptops"]
    assert prerequisites_of(ship) == ["Sign the order"]


def test_an_empty_list_frees_an_action_and_none_keeps_its_links(owner, playbook):
    sign = action(playbook, "Sign the order")
    ship = action(playbook, "Ship laptops")
    PlaybookActionDependencyFactory(action=ship, depends_on=sign)

    services.playbook_action_update(actor=owner, action=ship, title="Ship devices")
    kept = prerequisites_of(ship)
    services.playbook_action_update(actor=owner, action=ship, depends_on=[])

    assert kept == ["Sign the order"]
    assert not PlaybookActionDependency.objects.exists()


def test_moving_an_action_renumbers_the_others(owner, playbook):
    first, second, third = (action(playbook, title) for title in ("First", "Second", "Third"))

    services.playbook_action_update(actor=owner, action=third, position=1)

    assert list(playbook.actions.order_by("position").values_list("title", "position")) == [
        ("Third", 0),
        ("First", 1),
        ("Second", 2),
    ]
    assert first.pk and second.pk


def test_removing_an_action_frees_those_that_waited_for_it(owner, playbook):
    sign = action(playbook, "Sign the order")
    ship = action(playbook, "Ship laptops")
    PlaybookActionDependencyFactory(action=ship, depends_on=sign)

    services.playbook_action_remove(actor=owner, action=sign)

    assert list(playbook.actions.values_list("title", flat=True)) == ["Ship laptops"]
    assert not PlaybookActionDependency.objects.exists()


def test_changing_an_action_marks_the_playbook_changed(owner, playbook):
    kick_off = action(playbook, "Kick-off")
    before = OnboardingPlaybook.objects.get().updated_at

    services.playbook_action_update(actor=owner, action=kick_off, due_after_days=3)

    assert OnboardingPlaybook.objects.get().updated_at > before
