"""Dependencies between playbook actions never go round in a circle. Edges read (action, prerequisite)."""

import pytest

from offerings.dependencies import cycle_if_added, dependency_order, find_cycle, has_cycle


def test_no_dependencies_have_no_cycle():
    assert find_cycle([]) is None
    assert not has_cycle([])


def test_a_chain_has_no_cycle():
    assert find_cycle([(3, 2), (2, 1)]) is None


def test_a_diamond_has_no_cycle():
    # 4 waits for 2 and 3, which both wait for 1: 1 is reached twice, but not in a circle.
    assert find_cycle([(4, 2), (4, 3), (2, 1), (3, 1)]) is None


def test_an_action_waiting_for_itself_is_a_cycle():
    assert find_cycle([(1, 1)]) == [1, 1]


def test_two_actions_waiting_for_each_other_are_a_cycle():
    assert find_cycle([(1, 2), (2, 1)]) == [1, 2, 1]


def test_the_cycle_found_leaves_out_the_path_that_led_to_it():
    # 1 → 2 → 3 → 4 → 2: the circle is 2, 3, 4.
    assert find_cycle([(1, 2), (2, 3), (3, 4), (4, 2)]) == [2, 3, 4, 2]


def test_a_cycle_is_found_in_any_part_of_the_graph():
    edges = [(1, 2), (10, 11), (11, 12), (12, 10)]

    assert find_cycle(edges) == [10, 11, 12, 10]


def test_nodes_may_be_any_sortable_value():
    assert find_cycle([("send contract", "agree scope"), ("agree scope", "send contract")]) == [
        "agree scope",
        "send contract",
        "agree scope",
    ]


def test_a_long_chain_does_not_hit_the_recursion_limit():
    chain = [(n + 1, n) for n in range(5000)]

    assert find_cycle(chain) is None
    assert len(find_cycle([*chain, (0, 5000)])) == 5002


def test_adding_an_edge_that_closes_a_circle_is_detected():
    edges = [(3, 2), (2, 1)]

    assert cycle_if_added(edges, (1, 3)) == [1, 3, 2, 1]
    assert cycle_if_added(edges, (3, 1)) is None


def test_dependency_order_puts_prerequisites_first_and_keeps_free_actions():
    order = dependency_order([1, 2, 3, 4, 5], [(4, 2), (4, 3), (2, 1), (3, 1)])

    assert order == [1, 2, 3, 4, 5]
    assert dependency_order([5, 1, 3], [(1, 5)]) == [3, 5, 1]


def test_dependency_order_refuses_a_cycle():
    with pytest.raises(ValueError, match="circle"):
        dependency_order([1, 2], [(1, 2), (2, 1)])
