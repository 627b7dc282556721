"""What the relationship pages read: one account's relationship (or the default), its ladder with what
each step may change to, its type history and warnings; the brief panel for the account's 360° page;
and the portfolio of relationships by type. Each runs a fixed number of queries."""

from datetime import date

import pytest
from django.http import Http404

from journeys.models import OrganizationKind
from journeys.roles import roles_of
from relationships.models import LadderStatus, LadderStep, RelationshipType
from relationships.selectors import (
    relationship_list,
    relationship_page,
    relationship_panel,
    relationship_type_counts,
)
from relationships.services import service_relationship_set_types
from tests.factories.journeys import OrganizationFactory, StakeholderFactory
from tests.factories.relationships import (
    CommunicationPlanFactory,
    LadderProgressFactory,
    ServiceRelationshipFactory,
)

pytestmark = pytest.mark.django_db

DONE, WIP = LadderStatus.DONE, LadderStatus.IN_PROGRESS


def climb(relationship, **statuses):
    for step, status in statuses.items():
        LadderProgressFactory(relationship=relationship, step=step, status=status)


# --- the page -------------------------------------------------------------------------------------


def test_an_account_with_nothing_recorded_reads_as_a_basic_relationship_at_the_foot_of_the_ladder(
    owner, account
):
    page = relationship_page(user=owner, organization=account)

    assert page.recorded is False
    assert (page.relationship.current_type, page.relationship.target_type) == ("basic", "basic")
    assert page.current_profile.relationship_type == RelationshipType.BASIC
    assert [row.status for row in page.ladder] == [LadderStatus.NOT_STARTED] * 5
    assert [row.may_be_done for row in page.ladder] == [True, False, False, False, False]
    assert page.history == []
    assert page.warnings == []


def test_the_ladder_rows_say_what_is_missing_and_what_rests_on_each_step(owner, account):
    climb(
        ServiceRelationshipFactory(organization=account),
        create_environment=DONE,
        build_trust=DONE,
        understand_needs=DONE,
    )

    rows = {row.step: row for row in relationship_page(user=owner, organization=account).ladder}

    assert rows[LadderStep.BUILD_TRUST].blocking == (LadderStep.UNDERSTAND_NEEDS,)
    assert rows[LadderStep.BUILD_TRUST].may_reopen is False
    assert rows[LadderStep.UNDERSTAND_PROVIDER].may_be_done is True
    assert rows[LadderStep.ASSESS_READINESS].missing == (LadderStep.UNDERSTAND_PROVIDER,)
    assert [row.parallel for row in rows.values()] == [False, False, True, True, False]


def test_the_type_history_lists_type_changes_newest_first_and_skips_notes_edits(owner, account):
    service_relationship_set_types(
        actor=owner, organization=account, current_type="basic", target_type="cooperative"
    )
    service_relationship_set_types(
        actor=owner,
        organization=account,
        current_type="basic",
        target_type="cooperative",
        notes="Only notes.",
    )
    service_relationship_set_types(
        actor=owner, organization=account, current_type="cooperative", target_type="cooperative"
    )

    history = relationship_page(user=owner, organization=account).history

    assert [(change.current_type, change.target_type) for change in history] == [
        ("cooperative", "cooperative"),
        ("basic", "cooperative"),
    ]
    assert history[-1].first is True
    assert history[0].user_name == (owner.get_full_name() or owner.username)


def test_the_page_warns_about_a_distant_target_an_unfinished_ladder_and_people_without_plans(owner, account):
    relationship = ServiceRelationshipFactory(
        organization=account, current_type="cooperative", target_type="basic"
    )
    climb(relationship, create_environment=DONE, build_trust=WIP)
    StakeholderFactory(organization=account, name="Zoe Key", influence=4)
    StakeholderFactory(organization=account, name="Low Voice", influence=2)
    planned = StakeholderFactory(organization=account, name="Has Plan", influence=5)
    CommunicationPlanFactory(stakeholder=planned)
    service_relationship_set_types(
        actor=owner, organization=account, current_type="basic", target_type="partnership"
    )
    relationship.refresh_from_db()

    warnings = relationship_page(user=owner, organization=account).warnings
    assert warnings == [
        "The target (partnership) is two types closer than today's basic relationship: relationships usually "
        "change one type at a time, and a closer relationship is not always a better one.",
        "Key stakeholders (influence 4 or more) without a communication plan: Zoe Key.",
    ]

    service_relationship_set_types(
        actor=owner, organization=account, current_type="cooperative", target_type="cooperative"
    )
    warnings = relationship_page(user=owner, organization=account).warnings
    assert (
        "A cooperative relationship rests on the whole relationship ladder, but only 1 of 5 steps are done."
        in warnings
    )


def test_the_page_warns_about_overdue_contact(owner, account):
    late = StakeholderFactory(organization=account, name="Late Larry", influence=2)
    CommunicationPlanFactory(stakeholder=late, cadence_days=7, starts_on=date(2026, 1, 1))

    warnings = relationship_page(user=owner, organization=account, today=date(2026, 3, 31)).warnings

    assert warnings == ["Contact is overdue under the communication plan with: Late Larry."]


def test_the_page_of_an_account_the_user_may_not_see_is_not_found(outsider, account):
    with pytest.raises(Http404):
        relationship_page(user=outsider, organization=account)
    with pytest.raises(Http404):
        relationship_panel(user=outsider, organization=account)


def test_the_page_reads_in_a_fixed_number_of_queries(owner, account, django_assert_num_queries):
    roles_of(owner)
    relationship = ServiceRelationshipFactory(organization=account, current_type="cooperative")
    # Before the ladder has begun, finding the relationship takes a query of its own.
    with django_assert_num_queries(4):
        relationship_page(user=owner, organization=account)
    climb(relationship, create_environment=DONE)
    with django_assert_num_queries(3):
        relationship_page(user=owner, organization=account)
    climb(relationship, build_trust=DONE, understand_needs=DONE, understand_provider=WIP)
    for _ in range(5):
        CommunicationPlanFactory(stakeholder=StakeholderFactory(organization=account, influence=5))
    StakeholderFactory(organization=account, influence=5)
    service_relationship_set_types(
        actor=owner, organization=account, current_type="basic", target_type="partnership"
    )
    with django_assert_num_queries(3):
        relationship_page(user=owner, organization=account)


# --- the panel ------------------------------------------------------------------------------------


def test_the_panel_gives_type_target_next_step_and_ladder_count(owner, account):
    relationship = ServiceRelationshipFactory(
        organization=account, current_type="basic", target_type="cooperative"
    )
    climb(relationship, create_environment=DONE, build_trust=DONE, understand_provider=DONE)

    panel = relationship_panel(user=owner, organization=account)

    assert panel["relationship_type"] == RelationshipType.BASIC
    assert panel["target_type"] == RelationshipType.COOPERATIVE
    assert panel["next_ladder_step"] == LadderStep.UNDERSTAND_NEEDS
    assert (panel["ladder_done"], panel["ladder_total"]) == (3, 5)
    assert (panel["plans"], panel["overdue_plans"]) == (0, 0)


def test_the_panel_of_a_finished_ladder_has_no_next_step_and_a_new_account_starts_at_step_one(
    owner, account, team
):
    climb(ServiceRelationshipFactory(organization=account), **dict.fromkeys(LadderStep.values, DONE))
    fresh = OrganizationFactory(owner=owner, team=team)

    assert relationship_panel(user=owner, organization=account)["next_ladder_step"] is None
    assert (
        relationship_panel(user=owner, organization=fresh)["next_ladder_step"]
        == LadderStep.CREATE_ENVIRONMENT
    )
    assert relationship_panel(user=owner, organization=fresh)["recorded"] is False


def test_the_panel_takes_at_most_three_queries_for_a_teammate(
    teammate, account, django_assert_max_num_queries
):
    roles_of(teammate)
    climb(ServiceRelationshipFactory(organization=account), create_environment=DONE)
    for _ in range(4):
        CommunicationPlanFactory(stakeholder=StakeholderFactory(organization=account))

    with django_assert_max_num_queries(3):
        panel = relationship_panel(user=teammate, organization=account)

    assert panel["plans"] == 4


# --- the portfolio ------------------------------------------------------------------------------------


def test_the_portfolio_lists_visible_consumers_with_type_ladder_and_plans(
    owner, account, other_account, team
):
    climb(
        ServiceRelationshipFactory(
            organization=account, current_type="cooperative", target_type="partnership"
        ),
        create_environment=DONE,
        build_trust=DONE,
        understand_needs=WIP,
    )
    CommunicationPlanFactory(stakeholder=StakeholderFactory(organization=account))
    CommunicationPlanFactory(stakeholder=StakeholderFactory(organization=account, is_active=False))
    unrecorded = OrganizationFactory(name="Aardvark Logistics", owner=owner, team=team)
    OrganizationFactory(name="Our Hosting Partner", kind=OrganizationKind.PARTNER, owner=owner, team=team)

    rows = list(relationship_list(user=owner))

    assert [row.name for row in rows] == ["Aardvark Logistics", "Rentwheel Car Hire"]
    assert (
        rows[0].relationship_type,
        rows[0].relationship_target,
        rows[0].ladder_done,
        rows[0].plan_count,
    ) == (
        "basic",
        "basic",
        0,
        0,
    )
    assert (
        rows[1].relationship_type,
        rows[1].relationship_target,
        rows[1].ladder_done,
        rows[1].plan_count,
    ) == (
        "cooperative",
        "partnership",
        2,
        1,
    )
    assert [row.pk for row in relationship_list(user=owner, relationship_type="basic")] == [unrecorded.pk]
    assert relationship_type_counts(user=owner) == {
        RelationshipType.BASIC: 1,
        RelationshipType.COOPERATIVE: 1,
        RelationshipType.PARTNERSHIP: 0,
    }


def test_the_portfolio_is_one_query_at_any_size(owner, team, django_assert_num_queries):
    roles_of(owner)

    def grow(count):
        for _ in range(count):
            relationship = ServiceRelationshipFactory(
                organization=OrganizationFactory(owner=owner, team=team)
            )
            climb(relationship, create_environment=DONE)
            CommunicationPlanFactory(stakeholder=StakeholderFactory(organization=relationship.organization))

    grow(2)
    with django_assert_num_queries(1):
        assert len(list(relationship_list(user=owner))) == 2
    grow(8)
    with django_assert_num_queries(1):
        assert len(list(relationship_list(user=owner))) == 10
