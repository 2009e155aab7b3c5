"""Capture on click against real programs in Qt (PySide6) and GTK 3 under Xvfb with
at-spi2-core: buttons, tabs, text fields, menus and typing each become a step that names the
control, its role and its window, read from the accessibility tree over D-Bus."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from capture.click_steps import ClickSteps
from capture.platform_info import PlatformInfo
from capture.recorder import StepRecorder
from tests.journey import atspi
from tests.journey.desktop import ROOT, Desktop, desktop
from tests.needs import missing

pytestmark = [pytest.mark.xvfb, pytest.mark.slow]

APPS = {
    "qt": ([sys.executable, str(ROOT / "tests" / "apps" / "qt_invoices.py")],
           "Invoices", "Quarterly report - Invoices"),
    "gtk": (["/usr/bin/python3", str(ROOT / "tests" / "apps" / "gtk_invoices.py")],
            "Invoices GTK", "Quarterly report - Invoices GTK"),
}


def _gtk_missing() -> bool:
    probe = "import gi; gi.require_version('Gtk', '3.0'); from gi.repository import Gtk"
    return shutil.which("/usr/bin/python3") is None or subprocess.run(
        ["/usr/bin/python3", "-c", probe], capture_output=True, check=False).returncode != 0


def press(d: Desktop, node: atspi.Node) -> None:
    """A person's click: the button is held for a moment (menus close on the release)."""
    x, y = node.centre
    d.run("xdotool", "mousemove", "--sync", str(x), str(y), "mousedown", "1")
    time.sleep(0.12)
    d.run("xdotool", "mouseup", "1")
    time.sleep(0.4)


@pytest.mark.parametrize("toolkit", ["qt", "gtk"])
def test_each_click_and_the_typing_names_its_control(tmp_path: Path, toolkit: str) -> None:
    if toolkit == "gtk" and _gtk_missing():
        missing("GTK 3 for the system Python is not installed (python3-gi, gir1.2-gtk-3.0)")
    command, app_name, title = APPS[toolkit]
    with desktop(tmp_path, f"click-descriptions-{toolkit}") as d:
        d.start(command, toolkit)
        d.wait_window(title)
        old = dict(os.environ)
        os.environ.update(d.env)  # the listener, the grabber and AT-SPI of this desktop
        reader = atspi.Atspi(d.env["DBUS_SESSION_BUS_ADDRESS"])
        try:
            screen = atspi.Screen(reader, app_name)
            save = screen.find(atspi.ROLE_PUSH_BUTTON, "Save draft", timeout_s=20)
            details = screen.find(atspi.ROLE_PAGE_TAB, "Details")
            password = screen.find(atspi.ROLE_PASSWORD_TEXT, "Password")
            recorder = StepRecorder(lambda _click: None, step_limit=20)  # type: ignore[arg-type,return-value]
            recorder.start()
            steps = ClickSteps(recorder, PlatformInfo.detect(), lambda: datetime.now(UTC))
            steps.start()
            try:
                for node in (save, details):
                    press(d, node)
                # An unlabelled field on the Details page: named by nothing it holds.
                field = next(n for n in screen.nodes() if n.role in (
                    atspi.ROLE_TEXT, atspi.ROLE_ENTRY) and n.showing and n.name != "Customer")
                press(d, field)
                press(d, screen.find(None, "File"))
                press(d, screen.find(atspi.ROLE_MENU_ITEM, "Export as PDF", timeout_s=5))
                press(d, screen.find(atspi.ROLE_PAGE_TAB, "General"))
                press(d, password)
                d.run("xdotool", "type", "--delay", "40", "s3cret-typed")
                d.run("xdotool", "key", "--delay", "80", "shift+Tab")  # back to Customer
                d.run("xdotool", "type", "--delay", "40", "ACME")
                steps.wait_idle(10)
            finally:
                steps.stop()
        finally:
            reader.close()
            os.environ.clear()
            os.environ.update(old)
    said = [s.description for s in recorder.steps]
    where = f" in '{title}' ({app_name})"
    assert said == [
        "Left click on 'Save draft' (button)" + where,
        "Left click on 'Details' (tab)" + where,
        "Left click on a text field" + where,
        # Qt calls a menu bar's entry a menu item, GTK a menu: each as its toolkit says.
        f"Left click on 'File' ({'menu item' if toolkit == 'qt' else 'menu'})" + where,
        "Left click on 'Export as PDF' (menu item)" + where,
        "Left click on 'General' (tab)" + where,
        "Left click on 'Password' (password field)" + where,
        "Typed into 'Password' (password field)" + where,
        "Typed into 'Customer' (text field)" + where,
    ], "typing is one step per field, found again after Tab"
    assert all("s3cret" not in s and "Net 30" not in s for s in said)
    assert max(t.describe_s for t in steps.timings) < 0.5


def test_clicking_ok_on_an_error_keeps_its_text(tmp_path: Path) -> None:
    """The person reads the error and presses OK before Stop: the message box is gone by
    then, but its text was read at the click."""
    command, app_name, title = APPS["qt"]
    message = "The attachment size exceeds the allowable limit."
    with desktop(tmp_path, "click-ok-on-error") as d:
        d.start(command, "qt")
        d.wait_window(title)
        old = dict(os.environ)
        os.environ.update(d.env)
        reader = atspi.Atspi(d.env["DBUS_SESSION_BUS_ADDRESS"])
        try:
            screen = atspi.Screen(reader, app_name)
            recorder = StepRecorder(lambda _click: None, step_limit=20)  # type: ignore[arg-type,return-value]
            recorder.start()
            steps = ClickSteps(recorder, PlatformInfo.detect(), lambda: datetime.now(UTC))
            steps.start()
            try:
                press(d, screen.find(atspi.ROLE_PUSH_BUTTON, "Send invoice", timeout_s=20))
                press(d, screen.find(atspi.ROLE_PUSH_BUTTON, "OK", timeout_s=10))
                found = steps.finish()
            finally:
                steps.stop()
        finally:
            reader.close()
            os.environ.clear()
            os.environ.update(old)
    assert [s.description for s in recorder.steps] == [
        f"Left click on 'Send invoice' (button) in '{title}' ({app_name})",
        f"Left click on 'OK' (button) in 'Error — Invoices' ({app_name})",
    ], "no last step: the message box was closed by then"
    assert found is not None and (found.text, found.source) == (message, "accessibility")
