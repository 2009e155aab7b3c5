"""YAML from files Flare did not write: no aliases, bounded nesting, one-line errors.

A YAML alias (``*name``) repeats an anchored part without copying it; nine nested levels of
ten aliases each are a billion parts ("billion laughs") to anything that walks the result, and
a 4 KB connector spec with such a tree hung ``flare connector check`` for minutes. Forms,
specs and policy never need aliases, so they are refused, by place, before anything is built.
"""

from __future__ import annotations

from typing import Any

import yaml

MAX_DEPTH = 64


class UnsafeYaml(ValueError):
    """The YAML is refused; ``line`` and ``column`` (1-based) say where."""

    def __init__(self, line: int, column: int, message: str) -> None:
        super().__init__(f"line {line} column {column}: {message}")
        self.line, self.column, self.message = line, column, message


def check_nodes(root: yaml.Node) -> None:
    """Refuse aliases and nesting deeper than :data:`MAX_DEPTH`, in time linear in the text."""
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, int]] = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if id(node) in seen:
            mark = node.start_mark
            raise UnsafeYaml(mark.line + 1, mark.column + 1,
                             "a YAML alias (*name) repeats a part defined elsewhere; Flare "
                             "does not read aliases, write the part out")
        seen.add(id(node))
        if depth > MAX_DEPTH:
            mark = node.start_mark
            raise UnsafeYaml(mark.line + 1, mark.column + 1,
                             f"nested more than {MAX_DEPTH} levels deep")
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack += [(key, depth + 1), (value, depth + 1)]
        elif isinstance(node, yaml.SequenceNode):
            stack += [(item, depth + 1) for item in node.value]


def compose(text: str, loader: Any = yaml.SafeLoader) -> yaml.Node | None:
    """The checked node tree of ``text`` (None for an empty document)."""
    ldr = loader(text)
    try:
        node: yaml.Node | None = ldr.get_single_node()
    finally:
        ldr.dispose()
    if node is not None:
        check_nodes(node)
    return node


def load(text: str, loader: Any = yaml.SafeLoader) -> Any:
    """Like ``yaml.safe_load``, after :func:`check_nodes`. YAML syntax errors stay
    ``yaml.YAMLError``; refused structure is :class:`UnsafeYaml`."""
    ldr = loader(text)
    try:
        node = ldr.get_single_node()
        if node is None:
            return None
        check_nodes(node)
        return ldr.construct_document(node)
    finally:
        ldr.dispose()
