"""What was clicked, read from the accessibility tree: AT-SPI over D-Bus (jeepney) on Linux.

Applications publish their widgets on the accessibility bus (at-spi2-core); any client may ask
a window for the widget at a point (``Component.GetAccessibleAtPoint``), and that widget for
its role and name. Nothing here reads the text of a field: a step says "Typed into
'Password'", never what was typed.

The X window under the click gives the process; the AT-SPI application of that process is
found through the bus's ``GetConnectionUnixProcessID``, so a window of another program lying
under the same point is never described by mistake.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)

ACC = "org.a11y.atspi.Accessible"
COMP = "org.a11y.atspi.Component"
PROPS = "org.freedesktop.DBus.Properties"
TEXT = "org.a11y.atspi.Text"
ROOT = ("org.a11y.atspi.Registry", "/org/a11y/atspi/accessible/root")
NULL_PATH = "/org/a11y/atspi/null"
SCREEN_COORDS = 0
CALL_TIMEOUT_S = 1.0  # a hung application must not hang the recorder (a busy one answers)

# AtspiRole numbers (at-spi2-core's atspi-constants.h) that matter for steps.
ROLE_ALERT = 2
ROLE_CHECK_BOX = 7
ROLE_DIALOG = 16
ROLE_FRAME = 23
ROLE_LABEL = 29
ROLE_PASSWORD_TEXT = 40
ROLE_PUSH_BUTTON = 43
ROLE_TEXT = 61
ROLE_WINDOW = 69
ROLE_ENTRY = 79
ROLE_PARAGRAPH = 73
ROLE_DOCUMENT_TEXT = 82  # document frame
STATE_FOCUSED = 12
STATE_ACTIVE = 1
STATE_SHOWING = 25

POPUP_ROLES = frozenset({33, 41, 64})  # menu, popup menu, tool tip
MENU_ITEM_ROLES = frozenset({8, 35, 45})  # check, plain and radio menu items
TEXT_ROLES = frozenset({ROLE_PASSWORD_TEXT, ROLE_TEXT, ROLE_ENTRY, ROLE_PARAGRAPH,
                        ROLE_DOCUMENT_TEXT, 52, 77})  # 52 spin button, 77 edit bar
"""Roles a person types into."""


@dataclass(frozen=True)
class Element:
    """One widget as a step names it."""

    role: int
    role_name: str  # AT-SPI's English name ("push button"), for logs and unknown roles
    name: str
    window: str  # the window's (or dialog's) title
    application: str
    window_role: int = 0  # the top-level's role: ROLE_ALERT or ROLE_DIALOG for a message box


Ref = tuple[str, str]


class AccessibilityUnavailable(Exception):
    """No accessibility bus on this session: steps get no names (the reason is logged)."""


class Atspi:
    """A connection to the accessibility bus. Not thread-safe: one per thread."""

    def __init__(self) -> None:
        from jeepney import DBusAddress, new_method_call
        from jeepney.io.blocking import open_dbus_connection

        try:
            with open_dbus_connection(bus="SESSION") as session:
                msg = new_method_call(DBusAddress("/org/a11y/bus", bus_name="org.a11y.Bus",
                                                  interface="org.a11y.Bus"), "GetAddress")
                reply = session.send_and_get_reply(msg, timeout=2)
                address = str(reply.body[0])
            self._bus = open_dbus_connection(bus=address)
        except Exception as exc:  # no session bus, no at-spi2-core, a refused socket
            raise AccessibilityUnavailable(str(exc)) from exc
        self._pids: dict[str, int | None] = {}

    def close(self) -> None:
        self._bus.close()

    # ----------------------------------------------------------------- raw calls

    def _call(self, ref: Ref, iface: str, method: str, sig: str | None = None,
              *args: Any) -> Any:
        from jeepney import DBusAddress, new_method_call
        from jeepney.low_level import MessageType

        msg = new_method_call(DBusAddress(ref[1], bus_name=ref[0], interface=iface), method,
                              sig, args)
        reply = self._bus.send_and_get_reply(msg, timeout=CALL_TIMEOUT_S)
        if reply.header.message_type == MessageType.error:
            raise LookupError(f"{iface}.{method}: {reply.body}")
        return reply.body

    def children(self, ref: Ref) -> list[Ref]:
        return [(str(c[0]), str(c[1])) for c in self._call(ref, ACC, "GetChildren")[0]]

    def name(self, ref: Ref) -> str:
        return str(self._call(ref, PROPS, "Get", "ss", ACC, "Name")[0][1])

    def role(self, ref: Ref) -> int:
        return int(self._call(ref, ACC, "GetRole")[0])

    def role_name(self, ref: Ref) -> str:
        return str(self._call(ref, ACC, "GetRoleName")[0])

    def parent(self, ref: Ref) -> Ref | None:
        value = self._call(ref, PROPS, "Get", "ss", ACC, "Parent")[0][1]
        if not value or value[1] == NULL_PATH:
            return None
        return (str(value[0]), str(value[1]))

    def states(self, ref: Ref) -> int:
        low, high = self._call(ref, ACC, "GetState")[0]
        return int(low) | (int(high) << 32)

    def extents(self, ref: Ref) -> tuple[int, int, int, int]:
        x, y, w, h = self._call(ref, COMP, "GetExtents", "u", SCREEN_COORDS)[0]
        return int(x), int(y), int(w), int(h)

    def child_at(self, ref: Ref, x: int, y: int) -> Ref | None:
        c = self._call(ref, COMP, "GetAccessibleAtPoint", "iiu", x, y, SCREEN_COORDS)[0]
        if c[1] == NULL_PATH:
            return None
        return (str(c[0]), str(c[1]))

    def text(self, ref: Ref) -> str | None:
        """The Text interface's content (labels' names carry theirs instead); only for
        reading error dialogs, never a field someone typed into."""
        try:
            count = int(self._call(ref, PROPS, "Get", "ss", TEXT, "CharacterCount")[0][1])
            return str(self._call(ref, TEXT, "GetText", "ii", 0, count)[0])
        except LookupError:
            return None

    def walk(self, ref: Ref, limit: int = 400) -> Iterator[Ref]:
        stack, seen = [ref], 0
        while stack and seen < limit:
            node = stack.pop()
            seen += 1
            yield node
            try:
                stack.extend(reversed(self.children(node)))
            except LookupError:
                continue

    def _pid_of(self, bus_name: str) -> int | None:
        if bus_name not in self._pids:
            try:
                self._pids[bus_name] = int(self._call(
                    ("org.freedesktop.DBus", "/org/freedesktop/DBus"), "org.freedesktop.DBus",
                    "GetConnectionUnixProcessID", "s", bus_name)[0])
            except (LookupError, TimeoutError):
                self._pids[bus_name] = None
        return self._pids[bus_name]

    # ----------------------------------------------------------------- lookups

    def application(self, pid: int) -> Ref | None:
        """The registered application of process ``pid``."""
        for app in self.children(ROOT):
            if self._pid_of(app[0]) == pid:
                return app
        # Registration is asynchronous and bus names can be reused: forget and ask again.
        self._pids.clear()
        for app in self.children(ROOT):
            if self._pid_of(app[0]) == pid:
                return app
        return None

    def top_levels(self, app: Ref) -> list[Ref]:
        return self.children(app)

    def window_at(self, app: Ref, x: int, y: int, title: str | None) -> Ref | None:
        """The application's window containing (x, y); the one titled like the X window
        if several do (a dialog over its main window), else the smallest."""
        inside: list[tuple[int, Ref]] = []
        titled = None
        for top in self.top_levels(app):
            try:
                fx, fy, w, h = self.extents(top)
                if not (w > 0 and h > 0 and fx <= x < fx + w and fy <= y < fy + h):
                    continue
                if self.role(top) in POPUP_ROLES:
                    return top  # an open menu lies above every window of its program
            except LookupError:
                continue
            if titled is None and title is not None and self.name(top) == title:
                titled = top
            inside.append((w * h, top))
        if titled is not None:
            return titled
        return min(inside)[1] if inside else None

    def popup_at(self, app: Ref, x: int, y: int) -> Ref | None:
        """An open menu containing (x, y): Qt files its popups under the menu bar, not as
        windows of their own, so they are looked for in the tree."""
        found = None
        for ref in self.walk(app):
            try:
                # GTK hangs a menu's items straight under its menu-bar entry, whose extents
                # are the entry's: the items themselves are what lies at the point.
                if self.role(ref) not in POPUP_ROLES | MENU_ITEM_ROLES:
                    continue
                if not self.states(ref) & (1 << STATE_SHOWING):
                    continue
                fx, fy, w, h = self.extents(ref)
            except LookupError:
                continue
            if w > 0 and h > 0 and fx <= x < fx + w and fy <= y < fy + h:
                found = ref  # the walk goes depth first: a submenu comes after its menu
        return found

    def element_at(self, pid: int, x: int, y: int, title: str | None,
                   *, popup: bool = False) -> Element | None:
        """The deepest widget at (x, y) in process ``pid``'s window (``popup``: an open menu
        of it), or None."""
        app = self.application(pid)
        if app is None:
            return None
        top = self.popup_at(app, x, y) if popup else None
        if top is not None:
            ref = self._child_in(top, x, y)
            element = self._element(app, top, ref)
            return Element(element.role, element.role_name, element.name, title or "",
                           element.application, element.window_role)
        top = self.window_at(app, x, y, title)
        if top is None:
            return None
        ref = top
        for _ in range(64):
            # GTK answers with its direct child only, Qt with the deepest: descend either way.
            child = self.child_at(ref, x, y)
            if child is None:
                # GTK's notebook answers nothing for its page: the page is the child of a
                # page tab, so look one level further, among the children that show.
                child = self._grandchild_in(ref, x, y)
            if child is None or child == ref:
                break
            if not self._contains(child, x, y):
                # GTK's notebook answers with the page tab, whose child is the page: go on
                # into whichever child holds the point, or stop here.
                deeper = self._child_in(child, x, y)
                if deeper == child:
                    break
                child = deeper
            ref = child
        return self._element(app, top, ref)

    def _contains(self, ref: Ref, x: int, y: int) -> bool:
        try:
            fx, fy, w, h = self.extents(ref)
        except LookupError:
            return False
        return fx <= x < fx + w and fy <= y < fy + h

    def _grandchild_in(self, ref: Ref, x: int, y: int) -> Ref | None:
        for child in self.children(ref):
            for grandchild in self.children(child):
                try:
                    showing = self.states(grandchild) & (1 << STATE_SHOWING)
                except LookupError:
                    continue
                if showing and self._contains(grandchild, x, y):
                    return grandchild
        return None

    def _child_in(self, ref: Ref, x: int, y: int) -> Ref:
        """The child of a menu under (x, y), by extents (menus answer GetAccessibleAtPoint
        unevenly across toolkits)."""
        for child in self.children(ref):
            try:
                fx, fy, w, h = self.extents(child)
            except LookupError:
                continue
            if fx <= x < fx + w and fy <= y < fy + h:
                return child
        return ref

    def focused_element(self, pid: int) -> Element | None:
        """The widget with the keyboard focus in process ``pid``, found by its state."""
        app = self.application(pid)
        if app is None:
            return None
        for top in self.top_levels(app):
            try:
                if not self.states(top) & (1 << STATE_ACTIVE):
                    continue
            except LookupError:
                continue
            for ref in self.walk(top):
                try:
                    if self.states(ref) & (1 << STATE_FOCUSED):
                        return self._element(app, top, ref)
                except LookupError:
                    continue
        return None

    def _element(self, app: Ref, top: Ref, ref: Ref) -> Element:
        role, name = self.role(ref), self.name(ref).strip()
        if role in TEXT_ROLES and name:
            # Some toolkits name an unlabelled field by what it holds: that is what was
            # typed, which a step never says.
            content = (self.text(ref) or "").strip()
            if content and (name in content or content in name):
                name = ""
        return Element(role, self.role_name(ref), name, self.name(top).strip(),
                       self.name(app).strip(), self.role(top))

    def dialog_text(self, pid: int, title: str | None = None) -> tuple[str, str] | None:
        """An alert or dialog of process ``pid``: its title and the text of its labels (the
        message), in reading order, or None when the process shows none."""
        app = self.application(pid)
        if app is None:
            return None
        for top in self.top_levels(app):
            if self.role(top) not in (ROLE_ALERT, ROLE_DIALOG):
                continue
            if not self.states(top) & (1 << STATE_SHOWING):
                continue  # Qt keeps a closed message box in the tree, hidden
            name = self.name(top)
            if title is not None and name != title:
                continue
            lines = []
            for ref in self.walk(top):
                if self.role(ref) == ROLE_LABEL:
                    text = self.name(ref).strip() or (self.text(ref) or "").strip()
                    if text:
                        lines.append(text)
            return name, "\n".join(lines)
        return None


def timed_element_at(atspi: Atspi, pid: int, x: int, y: int,
                     title: str | None) -> tuple[Element | None, float]:
    """:meth:`Atspi.element_at` and how long it took (s); None on any failure."""
    start = time.perf_counter()
    try:
        element = atspi.element_at(pid, x, y, title)
    except (LookupError, TimeoutError, OSError) as exc:
        log.info("no accessible at (%d, %d): %s", x, y, exc)
        element = None
    return element, time.perf_counter() - start
