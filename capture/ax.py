"""What was clicked on macOS, read through the Accessibility API (AXUIElement, over pyobjc).

The seam, :class:`AxReader`, answers ``AXUIElementCopyElementAtPosition`` with plain dicts of
attribute names to values (as recorded in tests/unit/data/ax/): the element's AXRole,
AXSubrole, AXTitle and AXDescription, its ancestors up to the window, the window's AXTitle and
the application's name. AXValue is read only from AXStaticText (a dialog's message), never from
a text field and never from an AXSecureTextField. The rest maps a record onto
:class:`capture.a11y.Element` with the AT-SPI role numbers :mod:`capture.describe` words.

Reading other applications' elements needs the Accessibility permission
(``AXIsProcessTrusted``); :func:`trust_problem` says in one line where to grant it.
ApplicationServices is imported only inside this module's functions, which only macOS calls.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from app.i18n import N_
from capture.a11y import ROLE_DIALOG, Element
from capture.x11_input import WindowAt

log = logging.getLogger(__name__)

ACCESSIBILITY_HINT = N_(
    "macOS does not let Flare see what was clicked: allow Flare in System Settings > "
    "Privacy & Security > Accessibility, then quit and reopen Flare"
)

# AXRole -> (AT-SPI role number that describe.py words, English name).
ROLES: dict[str, tuple[int, str]] = {
    "AXButton": (43, "button"),
    "AXCheckBox": (7, "check box"),
    "AXPopUpButton": (11, "pop-up button"),
    "AXComboBox": (11, "combo box"),
    "AXTextField": (79, "text field"),
    "AXTextArea": (61, "text area"),
    "AXSecureTextField": (40, "secure text field"),
    "AXLink": (88, "link"),
    "AXImage": (27, "image"),
    "AXStaticText": (29, "text"),
    "AXList": (31, "list"),
    "AXMenu": (33, "menu"),
    "AXMenuBar": (34, "menu bar"),
    "AXMenuBarItem": (33, "menu bar item"),
    "AXMenuItem": (35, "menu item"),
    "AXRadioButton": (44, "radio button"),
    "AXScrollBar": (48, "scroll bar"),
    "AXSlider": (51, "slider"),
    "AXIncrementor": (52, "stepper"),
    "AXTabGroup": (38, "tab group"),
    "AXTable": (55, "table"),
    "AXCell": (56, "cell"),
    "AXToolbar": (63, "toolbar"),
    "AXOutline": (65, "outline"),
    "AXWebArea": (82, "web area"),
    "AXSheet": (ROLE_DIALOG, "sheet"),
    "AXWindow": (69, "window"),
}
ROLE_TAB = 37
DIALOG_SUBROLES = frozenset({"AXDialog", "AXSystemDialog", "AXFloatingWindow"})
SECURE = "AXSecureTextField"
NAME_ATTRIBUTES = ("AXRole", "AXSubrole", "AXTitle", "AXDescription")
"""What the seam reads of every element; AXValue only of AXStaticText."""


def role_of(props: Mapping[str, Any], parent: Mapping[str, Any] | None) -> tuple[int, str]:
    role, subrole = str(props.get("AXRole") or ""), str(props.get("AXSubrole") or "")
    if SECURE in (role, subrole):
        return ROLES[SECURE]
    if subrole == "AXTabButton" or (role == "AXRadioButton" and parent is not None
                                    and parent.get("AXRole") == "AXTabGroup"):
        return ROLE_TAB, "tab"  # AppKit's tabs are radio buttons in a tab group
    if role == "AXWindow" and subrole in DIALOG_SUBROLES:
        return ROLE_DIALOG, "dialog"
    return ROLES.get(role, (0, role.removeprefix("AX").lower() or "element"))


def name_of(props: Mapping[str, Any]) -> str:
    """AXTitle, else AXDescription (an icon button's); a static text's AXValue; never the
    value of a field."""
    for key in ("AXTitle", "AXDescription"):
        text = str(props.get(key) or "").strip()
        if text:
            return text
    if props.get("AXRole") == "AXStaticText":
        return str(props.get("AXValue") or "").strip()
    return ""


def _window(record: Mapping[str, Any]) -> Mapping[str, Any]:
    return record.get("window") or {}


def _dialog(record: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The sheet or dialog the element lies in, if any."""
    for node in record.get("ancestors") or ():
        if node.get("AXRole") == "AXSheet":
            sheet: Mapping[str, Any] = node
            return sheet
    window = _window(record)
    if window.get("AXSubrole") in DIALOG_SUBROLES:
        return window
    return None


def element_from_record(record: Mapping[str, Any]) -> Element | None:
    props = record.get("element")
    if not props:
        return None
    ancestors: Sequence[Mapping[str, Any]] = record.get("ancestors") or ()
    role, role_name = role_of(props, ancestors[0] if ancestors else None)
    window_role = ROLE_DIALOG if _dialog(record) is not None else 69
    return Element(role, role_name, name_of(props), str(_window(record).get("AXTitle") or ""),
                   str(record.get("app") or ""), window_role)


def window_from_record(record: Mapping[str, Any]) -> WindowAt | None:
    if not record.get("element") and not record.get("window"):
        return None
    pid = record.get("pid")
    pid = int(pid) if pid is not None else None
    return WindowAt(0, str(_window(record).get("AXTitle") or "") or None, pid,
                    str(record.get("app") or "") or None,
                    frozenset({pid}) if pid is not None else frozenset())


def dialog_text_from_record(record: Mapping[str, Any]) -> tuple[str, str] | None:
    """A sheet's or dialog's title (its window's) and message: the AXValue of its
    AXStaticText elements, in tree order."""
    dialog = _dialog(record)
    if dialog is None:
        return None
    lines = [name_of(node) for node in record.get("dialog_texts") or ()
             if node.get("AXRole") == "AXStaticText"]
    title = str(dialog.get("AXTitle") or "") or str(_window(record).get("AXTitle") or "")
    return title, "\n".join(line for line in lines if line)


def dialog_rect(record: Mapping[str, Any]) -> tuple[str, tuple[int, int, int, int]] | None:
    dialog = _dialog(record)
    if dialog is None:
        return None
    position, size = dialog.get("AXPosition"), dialog.get("AXSize")
    if not position or not size:
        return None
    return (str(_window(record).get("AXTitle") or ""),
            (round(position[0]), round(position[1]), round(size[0]), round(size[1])))


def trust_problem(is_trusted: Callable[[], bool] | None = None) -> str:
    """"" when Flare may read other applications' elements, else the one line saying how
    to allow it (the caller translates it)."""
    try:
        if is_trusted is None:
            from ApplicationServices import AXIsProcessTrusted

            is_trusted = AXIsProcessTrusted
        return "" if is_trusted() else ACCESSIBILITY_HINT
    except ImportError:
        return ACCESSIBILITY_HINT


class AxReader:
    """The seam: the AX API's answers as plain dicts. macOS only."""

    def __init__(self) -> None:
        import ApplicationServices as ax

        self._ax = ax
        self._system = ax.AXUIElementCreateSystemWide()

    def close(self) -> None:
        self._system = None

    def _get(self, element: Any, attribute: str) -> Any:
        err, value = self._ax.AXUIElementCopyAttributeValue(element, attribute, None)
        return value if err == 0 else None

    def _point(self, element: Any, attribute: str) -> list[float] | None:
        value = self._get(element, attribute)
        if value is None:
            return None
        kind = self._ax.kAXValueCGPointType if attribute == "AXPosition" else (
            self._ax.kAXValueCGSizeType)
        ok, struct = self._ax.AXValueGetValue(value, kind, None)
        if not ok:
            return None
        return [float(struct.x), float(struct.y)] if attribute == "AXPosition" else [
            float(struct.width), float(struct.height)]

    def _read(self, element: Any) -> dict[str, Any]:
        props = {key: self._get(element, key) for key in NAME_ATTRIBUTES}
        props = {k: str(v) for k, v in props.items() if v is not None}
        if props.get("AXRole") == "AXStaticText" and SECURE not in props.values():
            value = self._get(element, "AXValue")
            if value is not None:
                props["AXValue"] = str(value)
        return props

    def _record(self, element: Any) -> dict[str, Any]:
        record: dict[str, Any] = {"element": self._read(element), "ancestors": []}
        node, window, sheet = element, None, None
        for _ in range(64):
            node = self._get(node, "AXParent")
            if node is None:
                break
            props = self._read(node)
            if props.get("AXRole") in ("AXWindow", "AXApplication"):
                window = node if props.get("AXRole") == "AXWindow" else None
                break
            if props.get("AXRole") == "AXSheet":
                sheet = sheet or node
                props["AXPosition"] = self._point(node, "AXPosition")
                props["AXSize"] = self._point(node, "AXSize")
            record["ancestors"].append(props)
        if window is None:
            window = self._get(element, "AXWindow")
        err, pid = self._ax.AXUIElementGetPid(element, None)
        app = self._ax.AXUIElementCreateApplication(pid) if err == 0 else None
        if window is None and app is not None:
            # A menu's items belong to no window: the step names the one the menu acts on.
            window = self._get(app, "AXFocusedWindow")
        if window is not None:
            record["window"] = self._read(window)
            record["window"]["AXPosition"] = self._point(window, "AXPosition")
            record["window"]["AXSize"] = self._point(window, "AXSize")
        if app is not None:
            record["pid"] = int(pid)
            record["app"] = str(self._get(app, "AXTitle") or "")
        # A sheet's own texts, not its window's (which hold the document).
        root = sheet if sheet is not None else window
        if _dialog(record) is not None and root is not None:
            record["dialog_texts"] = self._texts(root)
        return record

    def _texts(self, root: Any, limit: int = 200) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        stack = [root]
        while stack and len(found) < limit:
            node = stack.pop()
            props = self._read(node)
            if props.get("AXRole") == "AXStaticText":
                found.append(props)
            stack.extend(reversed(self._get(node, "AXChildren") or ()))
        return found

    def element_at(self, x: int, y: int) -> dict[str, Any]:
        err, element = self._ax.AXUIElementCopyElementAtPosition(self._system, float(x),
                                                                 float(y), None)
        return self._record(element) if err == 0 and element is not None else {}

    def window_at(self, x: int, y: int) -> dict[str, Any]:
        """The AX API finds a window only through its element: the full read (the element
        record it gives is kept for the description, so a click is read once)."""
        return self.element_at(x, y)

    def focused(self) -> dict[str, Any]:
        element = self._get(self._system, "AXFocusedUIElement")
        return self._record(element) if element is not None else {}
