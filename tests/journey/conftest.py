"""Journeys: the real `flare` on Xvfb with openbox, driven through the X server."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

from tests.journey.atspi import Node
from tests.journey.desktop import Desktop, Person

pytestmark = [pytest.mark.journey, pytest.mark.xvfb]


def wait_for_bundle(out: Path, timeout_s: float = 30.0) -> dict[str, Any]:
    """The report.json of the one bundle the folder destination wrote."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        found = sorted(out.glob("*/report.json"))
        if found:
            return dict(json.loads(found[0].read_text(encoding="utf-8")))
        time.sleep(0.2)
    listing = sorted(str(p.relative_to(out)) for p in out.rglob("*")) if out.exists() else []
    raise AssertionError(f"no bundle in the reports folder after {timeout_s} s: {listing}")


def tab_to(person: Person, name: str, *, limit: int = 12, back: bool = False) -> Node:
    """Press Tab (Shift+Tab) until the widget named (or labelled) ``name`` has the focus."""
    seen = []
    for _ in range(limit):
        node = person.screen.focused()
        if node.name == name or any(lbl.startswith(name) for lbl in person.atspi.labels(node)):
            return node
        seen.append(str(node))
        person.key("shift+Tab" if back else "Tab")
    node = person.screen.focused()
    if node.name == name or any(lbl.startswith(name) for lbl in person.atspi.labels(node)):
        return node
    raise AssertionError(f"Tab never reached {name!r}; it went through: " + ", ".join(seen))


def type_into_focus(person: Person, d: Desktop, text: str, shot: str) -> None:
    """Type ``text`` into whatever has the focus, and check that all of it arrived there
    and the focus did not move while typing."""
    before = person.screen.focused()
    person.type(text)
    after = person.screen.focused()
    d.screenshot(shot)
    assert after.path == before.path, f"the focus moved while typing: {before} -> {after}"
    got = person.atspi.text(after)
    assert got.endswith(text), f"typed {text!r}, the field holds {got!r}"
