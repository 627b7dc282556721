"""The demo shows decision matrices: Larkfield choosing a hosting partner for one of its consumers, with
intangible criteria kept out of the score, and a provider-wide choice among four ways forward."""

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from dsv.demo.builder import demo_seed
from dsv.demo.decisions import HOSTING, SERVICE_DESK_TOOL, reset_decisions, seed_decisions
from exploration import selectors
from exploration.models import DecisionMatrix
from journeys.roles import Role
from tests.factories.journeys import UserFactory


@pytest.fixture
def demo(db):
    demo_seed()
    users = {user.username: user for user in get_user_model().objects.all()}
    return seed_decisions(users=users, now=timezone.now())


def test_the_demo_compares_three_hosting_candidates_for_a_consumer(demo):
    matrix = DecisionMatrix.objects.select_related("organization", "owner").get(title=HOSTING)
    result = selectors.decision_matrix_result(matrix=matrix)

    assert demo == 2
    assert matrix.organization.name == "Velmont City Council" and matrix.owner.username == "manager"
    assert len(result.criteria) == 14
    assert [criterion.name for criterion in result.intangible_criteria] == [
        "Service attitude, proactivity and responsiveness",
        "Trust and existing relationship",
    ]
    assert len(result.options) == 3
    assert [option.name for option in result.leaders] == ["Quaystone Cloud Hosting"]
    assert any(option.unrated_count for option in result.options)  # one candidate is still incomplete
    assert result.matrix.options.get(name="Quaystone Cloud Hosting").organization.kind == "partner"


def test_the_demo_weighs_four_ways_forward_for_the_service_desk_tool(demo):
    matrix = DecisionMatrix.objects.get(title=SERVICE_DESK_TOOL)
    result = selectors.decision_matrix_result(matrix=matrix)

    assert matrix.organization is None
    assert len(result.options) == 4 and len(result.intangible_criteria) == 1
    assert len({option.rank for option in result.options}) == 4  # a clear order, no tie


def test_the_demo_matrices_are_replaced_not_doubled_and_reset_removes_them(demo):
    users = {user.username: user for user in get_user_model().objects.all()}

    seed_decisions(users=users, now=timezone.now())
    assert DecisionMatrix.objects.count() == 2

    reset_decisions()
    assert not DecisionMatrix.objects.exists()


def test_the_relationship_managers_see_the_hosting_matrix_only_when_they_see_the_council(demo):
    other_manager = get_user_model().objects.get(username="manager2")
    analyst = UserFactory(username="someone", roles=[Role.ANALYST])

    assert {matrix.title for matrix in selectors.decision_matrix_list(user=analyst)} == {
        HOSTING,
        SERVICE_DESK_TOOL,
    }
    assert {matrix.title for matrix in selectors.decision_matrix_list(user=other_manager)} == {
        SERVICE_DESK_TOOL
    }
