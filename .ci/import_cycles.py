"""List every import cycle among Flare's modules; exit 1 if there is one.

Counts imports inside functions and under ``if TYPE_CHECKING:`` too, because a cycle hidden
there still ties the two modules together. Usage: ``python .ci/import_cycles.py``.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable

import grimp

PACKAGES = ("app", "capture", "diagnostics")


def module_cycles(packages: Iterable[str] = PACKAGES) -> list[list[str]]:
    """Each group of modules that import each other, directly or through a chain, sorted."""
    graph = grimp.build_graph(*packages, exclude_type_checking_imports=False, cache_dir=None)
    edges = {m: sorted(graph.find_modules_directly_imported_by(m)) for m in graph.modules}
    return sorted(sorted(group) for group in _strongly_connected(edges) if len(group) > 1)


def _strongly_connected(edges: dict[str, list[str]]) -> list[list[str]]:
    # Tarjan's algorithm, iterative so that a deep import chain cannot hit the recursion limit.
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            node, child = work.pop()
            if child == 0:
                index[node] = low[node] = len(index)
                stack.append(node)
                on_stack.add(node)
            targets = edges.get(node, [])
            if child < len(targets):
                work.append((node, child + 1))
                target = targets[child]
                if target not in index:
                    work.append((target, 0))
                elif target in on_stack:
                    low[node] = min(low[node], index[target])
                continue
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                groups.append(group)
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return groups


def main() -> int:
    cycles = module_cycles()
    for group in cycles:
        print(" <-> ".join(group))
    print(f"{len(cycles)} import cycle(s)")
    return 1 if cycles else 0


if __name__ == "__main__":
    sys.exit(main())
