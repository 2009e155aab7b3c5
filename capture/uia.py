"""What was clicked on Windows, read through UI Automation (``IUIAutomation`` over comtypes).

The COM access is one small seam, :class:`UiaReader`, that answers with plain dicts keyed by
UIA property ids (``UIA_NamePropertyId`` is ``"30005"``), as recorded in
tests/unit/data/uia/. Everything else maps such a record onto :class:`capture.a11y.Element`
with the AT-SPI role numbers :mod:`capture.describe` already words, so a click on Outlook's
Send button is described the same way on Windows as on Linux. The value of an Edit is never
read: a step says where someone typed, not what.

comtypes is imported only inside :class:`UiaReader`, which only Windows constructs.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Mapping, Sequence
from typing import Any

from capture.a11y import ROLE_DIALOG, Element
from capture.x11_input import WindowAt

log = logging.getLogger(__name__)

# UIA property ids (UIAutomationClient.h, "Automation Element Property Identifiers").
P_BOUNDS = "30001"  # BoundingRectangle: left, top, width, height
P_PROCESS_ID = "30002"
P_CONTROL_TYPE = "30003"
P_NAME = "30005"
P_CLASS_NAME = "30012"
P_IS_PASSWORD = "30019"
P_NATIVE_HWND = "30020"
P_IS_DIALOG = "30174"  # Windows 10 1809 and later
READ_PROPERTIES = (P_BOUNDS, P_PROCESS_ID, P_CONTROL_TYPE, P_NAME, P_CLASS_NAME,
                   P_IS_PASSWORD, P_NATIVE_HWND, P_IS_DIALOG)
"""Everything the seam asks of an element; ValueValue (30045) is never among them."""

# UIA control type ids -> (AT-SPI role number that describe.py words, English name).
CONTROL_TYPES: dict[int, tuple[int, str]] = {
    50000: (43, "button"),
    50002: (7, "check box"),
    50003: (11, "combo box"),
    50004: (79, "edit"),
    50005: (88, "hyperlink"),
    50006: (27, "image"),
    50007: (32, "list item"),
    50008: (31, "list"),
    50009: (33, "menu"),
    50010: (34, "menu bar"),
    50011: (35, "menu item"),
    50012: (0, "progress bar"),
    50013: (44, "radio button"),
    50014: (48, "scroll bar"),
    50015: (51, "slider"),
    50016: (52, "spinner"),
    50017: (0, "status bar"),
    50018: (38, "tab"),
    50019: (37, "tab item"),
    50020: (29, "text"),
    50021: (63, "tool bar"),
    50022: (0, "tool tip"),
    50023: (65, "tree"),
    50024: (0, "tree item"),
    50025: (0, "custom"),
    50026: (0, "group"),
    50027: (0, "thumb"),
    50028: (55, "data grid"),
    50029: (56, "data item"),
    50030: (82, "document"),
    50031: (43, "split button"),
    50032: (69, "window"),
    50033: (0, "pane"),
    50034: (0, "header"),
    50035: (0, "header item"),
    50036: (55, "table"),
    50037: (0, "title bar"),
    50038: (0, "separator"),
}
CT_EDIT = 50004
CT_TEXT = 50020
CT_WINDOW = 50032
ROLE_PASSWORD_FIELD = 40
DIALOG_CLASS = "#32770"  # the Win32 dialog class of MessageBox and most error boxes


def _props(node: Mapping[str, Any] | None) -> Mapping[str, Any]:
    return node or {}


def role_of(props: Mapping[str, Any]) -> tuple[int, str]:
    """The AT-SPI role number and English name of a UIA element's properties."""
    ct = int(props.get(P_CONTROL_TYPE) or 0)
    if ct == CT_EDIT and props.get(P_IS_PASSWORD):
        return ROLE_PASSWORD_FIELD, "password edit"
    return CONTROL_TYPES.get(ct, (0, f"control type {ct}"))


def is_dialog(window: Mapping[str, Any]) -> bool:
    return bool(window.get(P_IS_DIALOG)) or window.get(P_CLASS_NAME) == DIALOG_CLASS


def program_name(process: str | None) -> str:
    """"OUTLOOK.EXE" -> "OUTLOOK": the name a person sees in Task Manager, without the
    extension."""
    name = (process or "").strip()
    return name[:-4] if name.lower().endswith(".exe") else name


def element_from_record(record: Mapping[str, Any]) -> Element | None:
    """The step's :class:`Element` from a record of :meth:`UiaReader.element_at`."""
    props = record.get("element")
    if not props:
        return None
    window = _props(record.get("window"))
    role, role_name = role_of(props)
    name = str(props.get(P_NAME) or "").strip()
    window_role = ROLE_DIALOG if window and is_dialog(window) else 69
    return Element(role, role_name, name, str(window.get(P_NAME) or "").strip(),
                   program_name(record.get("process")), window_role)


def window_from_record(record: Mapping[str, Any]) -> WindowAt | None:
    """The top-level window of a record, as click_steps knows windows (its pid tells Flare's
    own windows from others)."""
    window = record.get("window")
    if not window:
        return None
    pid = window.get(P_PROCESS_ID)
    pid = int(pid) if pid is not None else None
    return WindowAt(int(window.get(P_NATIVE_HWND) or 0), str(window.get(P_NAME) or "") or None,
                    pid, program_name(record.get("process")) or None,
                    frozenset({pid}) if pid is not None else frozenset())


def dialog_text_from_record(record: Mapping[str, Any]) -> tuple[str, str] | None:
    """A dialog window's title and message: the names of its Text elements, in tree order
    (MessageBox's static text is a Text element whose Name is the message)."""
    window = _props(record.get("window"))
    if not window or not is_dialog(window) or int(window.get(P_CONTROL_TYPE) or 0) != CT_WINDOW:
        return None
    lines = [str(d.get(P_NAME) or "").strip() for d in record.get("descendants") or ()
             if int(d.get(P_CONTROL_TYPE) or 0) == CT_TEXT]
    return str(window.get(P_NAME) or "").strip(), "\n".join(line for line in lines if line)


def dialog_rect(record: Mapping[str, Any]) -> tuple[str, tuple[int, int, int, int]] | None:
    """A dialog's title and rectangle, for OCR when its Text elements say nothing."""
    window = _props(record.get("window"))
    bounds: Sequence[float] | None = window.get(P_BOUNDS)
    if not window or not is_dialog(window) or not bounds or len(bounds) != 4:
        return None
    left, top, width, height = (round(float(v)) for v in bounds)
    return str(window.get(P_NAME) or ""), (left, top, width, height)


class UiaReader:
    """The seam: UI Automation's answers as plain dicts. Windows only; one per thread (COM
    is initialised on the thread that constructs it)."""

    def __init__(self) -> None:
        import comtypes
        import comtypes.client

        comtypes.CoInitializeEx(comtypes.COINIT_MULTITHREADED)
        comtypes.client.GetModule("UIAutomationCore.dll")
        from comtypes.gen import UIAutomationClient as uia

        self._uia_mod = uia
        self._uia = comtypes.client.CreateObject(uia.CUIAutomation, interface=uia.IUIAutomation)
        self._root = self._uia.GetRootElement()
        self._walker = self._uia.ControlViewWalker

    def close(self) -> None:
        import comtypes

        self._uia = self._root = self._walker = None
        comtypes.CoUninitialize()  # this thread's CoInitializeEx

    def _read(self, element: Any) -> dict[str, Any]:
        props: dict[str, Any] = {}
        for pid in READ_PROPERTIES:
            try:
                value = element.GetCurrentPropertyValue(int(pid))
            except Exception:  # a property the element (or this Windows) does not have
                continue
            props[pid] = list(value) if isinstance(value, tuple) else value
        return props

    def _top_level(self, element: Any) -> Any:
        node = element
        for _ in range(64):
            parent = self._walker.GetParentElement(node)
            # comtypes answers "no parent" with a NULL pointer, which is falsy
            if not parent or self._uia.CompareElements(parent, self._root):
                return node
            node = parent
        return node

    def _record(self, element: Any) -> dict[str, Any]:
        import psutil

        top = self._top_level(element)
        window = self._read(top)
        record: dict[str, Any] = {"element": self._read(element), "window": window}
        record["process"] = ""
        if window.get(P_PROCESS_ID):  # pid 0 would be the System Idle Process
            with contextlib.suppress(psutil.Error, TypeError, ValueError):
                record["process"] = psutil.Process(int(window[P_PROCESS_ID])).name()
        if is_dialog(window):
            found = top.FindAll(4, self._uia.CreateTrueCondition())  # TreeScope_Descendants
            record["descendants"] = [self._read(found.GetElement(i))
                                     for i in range(found.Length)]
        return record

    def element_at(self, x: int, y: int) -> dict[str, Any]:
        point = self._uia_mod.tagPOINT(x, y)
        return self._record(self._uia.ElementFromPoint(point))

    def focused(self) -> dict[str, Any]:
        return self._record(self._uia.GetFocusedElement())

    def window_at(self, x: int, y: int) -> dict[str, Any]:
        """The top-level window at a point through user32 (microseconds, where a UIA read
        is a cross-process round trip that would delay the grab), in UIA's property ids."""
        import ctypes
        from ctypes import wintypes

        import psutil

        user32 = ctypes.WinDLL("user32", use_last_error=True)  # type: ignore[attr-defined]
        user32.WindowFromPoint.argtypes = [wintypes.POINT]
        user32.WindowFromPoint.restype = wintypes.HWND
        user32.GetAncestor.argtypes = [wintypes.HWND, wintypes.UINT]
        user32.GetAncestor.restype = wintypes.HWND
        hwnd = user32.WindowFromPoint(wintypes.POINT(x, y))
        top = user32.GetAncestor(hwnd, 2) if hwnd else None  # GA_ROOT
        if not top:
            return {}
        pid = wintypes.DWORD()
        user32.GetWindowThreadProcessId(top, ctypes.byref(pid))
        title = ctypes.create_unicode_buffer(512)
        user32.GetWindowTextW(top, title, len(title))
        try:
            process = psutil.Process(pid.value).name()
        except psutil.Error:
            process = ""
        return {"window": {P_PROCESS_ID: pid.value, P_NAME: title.value, P_NATIVE_HWND: top,
                           P_CONTROL_TYPE: CT_WINDOW}, "process": process}
