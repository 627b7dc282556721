"""Dependencies between the actions of an onboarding playbook (and, later, of a plan made from it):
an action may wait for others, but never, through any chain, for itself. Pure functions on edges,
no database; an edge `(action, prerequisite)` reads "action depends on prerequisite". The nodes may
be ids or anything hashable and sortable.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable


def _graph(edges: Iterable[tuple[Hashable, Hashable]]) -> dict:
    graph: dict = defaultdict(set)
    for action, prerequisite in edges:
        graph[action].add(prerequisite)
        graph.setdefault(prerequisite, set())
    return graph


def find_cycle(edges: Iterable[tuple[Hashable, Hashable]]) -> list | None:
    """One cycle among the edges as a path that ends where it starts (`[a, b, a]`: a waits for b and
    b for a; `[a, a]`: a waits for itself), or None. Deterministic: nodes are visited in sorted order.
    Iterative, so long chains do not hit Python's recursion limit."""
    graph = _graph(edges)
    visiting, done = set(), set()
    for start in sorted(graph):
        if start in done:
            continue
        path = [start]
        visiting.add(start)
        pending = [iter(sorted(graph[start]))]
        while pending:
            following = next(pending[-1], None)
            if following is None:
                pending.pop()
                finished = path.pop()
                visiting.discard(finished)
                done.add(finished)
                continue
            if following in visiting:
                return [*path[path.index(following) :], following]
            if following not in done:
                path.append(following)
                visiting.add(following)
                pending.append(iter(sorted(graph[following])))
    return None


def has_cycle(edges: Iterable[tuple[Hashable, Hashable]]) -> bool:
    return find_cycle(edges) is not None


def cycle_if_added(
    edges: Iterable[tuple[Hashable, Hashable]], new_edge: tuple[Hashable, Hashable]
) -> list | None:
    """The cycle that adding `new_edge` to acyclic `edges` would close, or None if it is safe."""
    return find_cycle([*edges, new_edge])


def dependency_order(nodes: Iterable[Hashable], edges: Iterable[tuple[Hashable, Hashable]]) -> list:
    """The nodes with every prerequisite before the actions that wait for it; among nodes free to go,
    the smallest first (so positions decide when ids are positions). Raises ValueError on a cycle."""
    edges = list(edges)
    cycle = find_cycle(edges)
    if cycle is not None:
        raise ValueError(f"The dependencies go round in a circle: {' → '.join(map(str, cycle))}.")
    waiting_for: dict = {node: set() for node in nodes}
    for action, prerequisite in edges:
        waiting_for.setdefault(action, set()).add(prerequisite)
        waiting_for.setdefault(prerequisite, set())
    ordered = []
    ready = sorted(node for node, prerequisites in waiting_for.items() if not prerequisites)
    while ready:
        node = ready.pop(0)
        ordered.append(node)
        for other, prerequisites in waiting_for.items():
            if node in prerequisites:
                prerequisites.discard(node)
                if not prerequisites:
                    ready.append(other)
        ready.sort()
    return ordered
