"""A small AT-SPI client over D-Bus (jeepney): what a screen reader sees of a running app.

Journeys use it to *find* things on the screen (where is the "Next" button, which widget has
the focus, what text is in it), never to press or type: input goes through the X server.
Roles and states are compared by number (toolkits name them differently over raw D-Bus).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from jeepney import DBusAddress, new_method_call
from jeepney.io.blocking import DBusConnection, open_dbus_connection

ROLE_CHECK_BOX = 7
ROLE_COMBO_BOX = 11
ROLE_DIALOG = 16
ROLE_FILLER = 20
ROLE_FRAME = 23
ROLE_LABEL = 29
ROLE_LAYERED_PANE = 30
ROLE_LIST = 31
ROLE_LIST_ITEM = 32
ROLE_MENU_ITEM = 35
ROLE_PAGE_TAB = 37
ROLE_PASSWORD_TEXT = 40
ROLE_PUSH_BUTTON = 43
ROLE_RADIO_BUTTON = 44
ROLE_SCROLL_BAR = 48
ROLE_SCROLL_PANE = 49
ROLE_SPIN_BUTTON = 52
ROLE_TEXT = 61
ROLE_WINDOW = 69
ROLE_ENTRY = 79

STATE_CHECKED = 4
STATE_EDITABLE = 7
STATE_ENABLED = 8
STATE_FOCUSED = 12
STATE_SELECTED = 23
STATE_SHOWING = 25
STATE_VISIBLE = 30

RELATION_LABELLED_BY = 2

ACCESSIBLE = "org.a11y.atspi.Accessible"
PROPS = "org.freedesktop.DBus.Properties"


@dataclass(frozen=True)
class Node:
    bus: str
    path: str
    role: int
    name: str
    states: frozenset[int]
    extents: tuple[int, int, int, int]  # x, y, width, height on the screen

    @property
    def centre(self) -> tuple[int, int]:
        x, y, w, h = self.extents
        return x + w // 2, y + h // 2

    @property
    def focused(self) -> bool:
        return STATE_FOCUSED in self.states

    @property
    def showing(self) -> bool:
        return STATE_SHOWING in self.states

    def __str__(self) -> str:
        return f"{self.role}:{self.name!r}@{self.extents}"


class Atspi:
    """Connected to the accessibility bus of the session bus in the environment."""

    def __init__(self, session_bus: str, timeout_s: float = 10.0) -> None:
        session = open_dbus_connection(session_bus)
        try:
            bus = DBusAddress("/org/a11y/bus", bus_name="org.a11y.Bus", interface="org.a11y.Bus")
            deadline = time.monotonic() + timeout_s
            while True:
                reply = session.send_and_get_reply(new_method_call(bus, "GetAddress"), timeout=5)
                if reply.header.message_type.name != "error":
                    address = str(reply.body[0])
                    break
                if time.monotonic() > deadline:
                    raise RuntimeError(f"no accessibility bus: {reply.body}")
                time.sleep(0.1)
        finally:
            session.close()
        self.conn: DBusConnection = open_dbus_connection(address)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Atspi:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # --- raw calls -----------------------------------------------------------------------------

    def _call(self, bus: str, path: str, interface: str, method: str,
              signature: str | None = None, body: tuple[object, ...] = ()) -> tuple[object, ...]:
        addr = DBusAddress(path, bus_name=bus, interface=interface)
        msg = new_method_call(addr, method, signature, body) if signature else \
            new_method_call(addr, method)
        reply = self.conn.send_and_get_reply(msg, timeout=5)
        if reply.header.message_type.name == "error":
            raise LookupError(f"{interface}.{method} on {path}: {reply.body}")
        return tuple(reply.body)

    def _prop(self, bus: str, path: str, interface: str, name: str) -> object:
        (value,) = self._call(bus, path, PROPS, "Get", "ss", (interface, name))
        return value[1]  # type: ignore[index]

    def children(self, bus: str, path: str) -> list[tuple[str, str]]:
        (kids,) = self._call(bus, path, ACCESSIBLE, "GetChildren")
        return [(str(b), str(p)) for b, p in kids]  # type: ignore[attr-defined]

    def node(self, bus: str, path: str) -> Node:
        (role,) = self._call(bus, path, ACCESSIBLE, "GetRole")
        name = str(self._prop(bus, path, ACCESSIBLE, "Name"))
        (words,) = self._call(bus, path, ACCESSIBLE, "GetState")
        states = frozenset(i * 32 + bit for i, word in enumerate(words)  # type: ignore[arg-type]
                           for bit in range(32) if int(word) >> bit & 1)
        try:
            (ext,) = self._call(bus, path, "org.a11y.atspi.Component", "GetExtents", "u", (0,))
            extents = tuple(int(v) for v in ext)  # type: ignore[attr-defined]
        except LookupError:
            extents = (0, 0, 0, 0)
        return Node(bus, path, int(role), name, states, extents)  # type: ignore[arg-type,call-overload]

    def labels(self, node: Node) -> list[str]:
        """Names of the labels that label ``node`` (Qt: the label whose buddy it is)."""
        (relations,) = self._call(node.bus, node.path, ACCESSIBLE, "GetRelationSet")
        out = []
        for kind, targets in relations:  # type: ignore[attr-defined]
            if int(kind) == RELATION_LABELLED_BY:
                for bus, path in targets:
                    out.append(str(self._prop(str(bus), str(path), ACCESSIBLE, "Name")))
        return out

    def text(self, node: Node) -> str:
        (text,) = self._call(node.bus, node.path, "org.a11y.atspi.Text", "GetText", "ii", (0, -1))
        return str(text)

    def caret(self, node: Node) -> int:
        return int(self._prop(node.bus, node.path, "org.a11y.atspi.Text",  # type: ignore[call-overload]
                              "CaretOffset"))

    def value(self, node: Node) -> float:
        return float(self._prop(node.bus, node.path, "org.a11y.atspi.Value",  # type: ignore[arg-type]
                                "CurrentValue"))

    # --- the tree ------------------------------------------------------------------------------

    def application(self, name: str) -> tuple[str, str] | None:
        for bus, path in self.children("org.a11y.atspi.Registry",
                                       "/org/a11y/atspi/accessible/root"):
            try:
                if str(self._prop(bus, path, ACCESSIBLE, "Name")) == name:
                    return bus, path
            except LookupError:
                continue
        return None

    def walk(self, app: tuple[str, str]) -> Iterator[Node]:
        """Every node that is on the screen now (hidden subtrees are skipped)."""
        stack = [app]
        first = True
        while stack:
            bus, path = stack.pop()
            try:
                node = self.node(bus, path)
            except LookupError:
                continue  # gone while we looked
            if not first and not node.showing:
                continue
            if not first:
                yield node
            first = False
            try:
                stack.extend(reversed(self.children(bus, path)))
            except LookupError:
                continue


class Screen:
    """What one application shows, looked up again on each question (the UI changes)."""

    def __init__(self, atspi: Atspi, app_name: str) -> None:
        self.atspi = atspi
        self.app_name = app_name

    def nodes(self) -> list[Node]:
        app = self.atspi.application(self.app_name)
        return list(self.atspi.walk(app)) if app else []

    def wait(self, what: Callable[[list[Node]], Node | None], timeout_s: float = 15.0,
             describe: str = "") -> Node:
        deadline = time.monotonic() + timeout_s
        nodes: list[Node] = []
        while time.monotonic() < deadline:
            nodes = self.nodes()
            found = what(nodes)
            if found is not None:
                return found
            time.sleep(0.2)
        shown = "\n  ".join(str(n) for n in nodes[:200])
        raise AssertionError(f"not on the screen after {timeout_s} s: {describe}\n  {shown}")

    def find(self, role: int | None = None, name: str | None = None, *,
             contains: str | None = None, timeout_s: float = 15.0) -> Node:
        def match(nodes: list[Node]) -> Node | None:
            for n in nodes:
                if role is not None and n.role != role:
                    continue
                if name is not None and n.name != name:
                    continue
                if contains is not None and contains not in n.name:
                    continue
                return n
            return None

        return self.wait(match, timeout_s, f"role={role} name={name!r} contains={contains!r}")

    def focused(self, timeout_s: float = 5.0) -> Node:
        return self.wait(lambda ns: next((n for n in ns if n.focused), None), timeout_s,
                         "a focused widget")
