"""Journey (i): steps that describe themselves. A person starts the step recorder from the
tray and just works in a Qt program: clicks a button, a tab, the password field, types a
password, clicks Send and gets an error. Every click outside Flare is a step, grabbed at the
click, named from the accessibility tree ("Left click on 'Send invoice' (button) in ..."),
with a marker where the click was; the password never reaches the report; clicks on Flare's
own toolbar are not steps.
"""

from __future__ import annotations

import io
import json
import re
import sys
import time
from pathlib import Path

import pytest
from PIL import Image

from tests.journey import atspi
from tests.journey.desktop import (
    ROOT,
    Desktop,
    Person,
    desktop,
    flare_command,
    write_settings,
)
from tests.journey.steps import tab_to, tray_menu, type_into_focus, wait_for_bundle

pytestmark = [pytest.mark.journey, pytest.mark.xvfb, pytest.mark.slow]

APP = [sys.executable, str(ROOT / "tests" / "apps" / "qt_invoices.py")]
WINDOW = "Quarterly report - Invoices"
SECRET = "hunter2-Quartz"
MESSAGE = "The attachment size exceeds the allowable limit."


def _said_centre(log: Path) -> tuple[int, int]:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        m = re.search(r"send-invoice (\d+) (\d+)", log.read_text(encoding="utf-8"))
        if m:
            return int(m.group(1)), int(m.group(2))
        time.sleep(0.1)
    raise AssertionError("the test program never said where its button is")


def answer_and_send(p: Person, d: Desktop, error_text: str) -> None:
    """After Stop: the category, the questions (the error's text already there, read from
    the screen), and Send."""
    s = p.screen
    s.find(atspi.ROLE_LIST, timeout_s=20)
    d.screenshot("after-stop")
    p.click(s.find(atspi.ROLE_LIST_ITEM, "A program shows an error"))
    p.click(s.find(atspi.ROLE_PUSH_BUTTON, "Next"))
    s.find(atspi.ROLE_LABEL, contains="Tell us what happened")
    p.click(s.find(atspi.ROLE_TEXT, "Which program or website?"))
    d.run("xdotool", "key", "ctrl+a")
    p.type("Invoices")
    for name, text in (("What were you trying to do?", "Send the quarterly invoice."),
                       ("What happened?", "Send invoice says the attachment is too big."),
                       ("What did you expect to happen?", "The invoice is sent.")):
        tab_to(p, name)
        type_into_focus(p, d, text, name[:12])
    field = tab_to(p, "The text of the error message")
    assert p.atspi.text(field) == error_text, "the error's text was not read from the screen"
    d.screenshot("error-text-prefilled")
    for name, downs in (("Has this happened before?", 2), ("Have you restarted", 1),
                        ("Who is affected?", 1), ("How much does it stop", 2)):
        tab_to(p, name)
        p.key(*["Down"] * downs)
    # The report holds the steps and the diagnostics ask nothing: Next passes both pages by.
    p.key("ctrl+Return")
    s.find(atspi.ROLE_LABEL, contains="Check what will be sent", timeout_s=30)
    d.screenshot("review")
    p.key("ctrl+Return")
    s.find(atspi.ROLE_LABEL, contains="Thank you", timeout_s=30)


def _marker_near(image: Image.Image, x: int, y: int) -> bool:
    """The red ring Flare draws round a click: red pixels a few pixels from the point."""
    rgb = image.convert("RGB")
    reds = 0
    for dx in range(-24, 25, 2):
        for dy in range(-24, 25, 2):
            px, py = x + dx, y + dy
            if 0 <= px < rgb.width and 0 <= py < rgb.height:
                r, g, b = rgb.getpixel((px, py))  # type: ignore[misc]
                reds += r > 180 and g < 90 and b < 90
    return reds >= 6


def test_clicks_become_described_steps_with_markers(tmp_path: Path) -> None:
    out = tmp_path / "reports"
    with desktop(tmp_path, "i-click-steps-en", language="en", tray=True) as d:
        write_settings(d.home, {"reports.folder": str(out), "general.language": "en",
                                "reporter.email": "ann@example.org", "capture.hotkey": ""})
        d.start(APP, "invoices")
        d.wait_window(WINDOW)
        d.start([*flare_command()], "flare")
        p = Person(d)
        app = atspi.Screen(p.atspi, "Invoices")
        try:
            s = p.screen
            tray_menu(p, d, 3, "Capture step")
            s.find(atspi.ROLE_LABEL, contains="A step is taken at each click outside Flare",
                   timeout_s=15)
            d.screenshot("recording")
            clicks = [
                (atspi.ROLE_PUSH_BUTTON, "Save draft"),
                (atspi.ROLE_PAGE_TAB, "Details"),
                (atspi.ROLE_PAGE_TAB, "General"),
                (atspi.ROLE_PASSWORD_TEXT, "Password"),
            ]
            points = []
            for n, (role, name) in enumerate(clicks, 1):
                node = app.find(role, name, timeout_s=15)
                points.append(node.centre)
                p.click(node)
                s.find(atspi.ROLE_LABEL, contains=f"Step {n} of", timeout_s=15)
            p.type(SECRET)
            s.find(atspi.ROLE_LABEL, contains="Step 5 of", timeout_s=15)
            d.screenshot("typed")
            send = app.find(atspi.ROLE_PUSH_BUTTON, "Send invoice")
            points.append(send.centre)
            p.click(send)
            s.find(atspi.ROLE_LABEL, contains="Step 6 of", timeout_s=15)
            # The field shows the description of the step just taken, for the person to fix.
            field = s.find(atspi.ROLE_TEXT, "Description of the step just taken")
            assert p.atspi.text(field).startswith("Left click on 'Send invoice' (button)")
            d.screenshot("sent-clicked")
            p.click(s.find(atspi.ROLE_PUSH_BUTTON, "Stop recording"))
            answer_and_send(p, d, MESSAGE)
        finally:
            p.close()
    report = wait_for_bundle(out)
    bundle = next(out.glob("*/report.json")).parent
    steps = [st for st in report["steps"] if st["source"] == "step"]
    said = [st["description"] for st in steps]
    in_app = f" in '{WINDOW}' (Invoices)"
    assert said == [
        "Left click on 'Save draft' (button)" + in_app,
        "Left click on 'Details' (tab)" + in_app,
        "Left click on 'General' (tab)" + in_app,
        "Left click on 'Password' (password field)" + in_app,
        "Typed into 'Password' (password field)" + in_app,
        "Left click on 'Send invoice' (button)" + in_app,
        "Error message in 'Error — Invoices' (read from the accessibility tree): " + MESSAGE,
    ], "one step per click outside Flare, none for the toolbar's own buttons"
    answers = {a["question_id"]: a["value"] for a in report["answers"]}
    assert answers["error_seen"] is True and answers["error_text"] == MESSAGE
    raw = json.dumps(report) + (bundle / "report.html").read_text(encoding="utf-8")
    assert SECRET not in raw, "what was typed must never reach the report"
    clicked = [st for st in steps if st["description"].startswith("Left click")]
    for number, (st, (x, y)) in enumerate(zip(clicked, points, strict=True), 1):
        with Image.open(io.BytesIO((bundle / st["image"]).read_bytes())) as img:
            img.load()
            assert _marker_near(img, x, y), f"no click marker at ({x}, {y}) in {st['image']}"
        box, label = st["annotations"]  # the marker is data the person could remove
        assert box["kind"] == "box" and box["x"] < x < box["x"] + box["w"]
        assert label["kind"] == "text" and label["text"] == str(
            number + (number > 4))  # step 5 is the typing
    html = (bundle / "report.html").read_text(encoding="utf-8")
    assert html.count('class="step-description"') >= 7


def test_without_accessibility_the_window_is_named_and_the_error_read_by_ocr(
    tmp_path: Path
) -> None:
    """The same program with its accessibility off (no bus for it): steps still say the
    window and the program, and the error dialog's text comes from text recognition."""
    out = tmp_path / "reports"
    with desktop(tmp_path, "i-click-steps-ocr-en", language="en", tray=True) as d:
        write_settings(d.home, {"reports.folder": str(out), "general.language": "en",
                                "reporter.email": "ann@example.org", "capture.hotkey": ""})
        d.start(APP, "invoices", DBUS_SESSION_BUS_ADDRESS="unix:path=/nonexistent/bus")
        d.wait_window(WINDOW)
        d.start([*flare_command()], "flare")
        p = Person(d)
        try:
            s = p.screen
            tray_menu(p, d, 3, "Capture step")
            s.find(atspi.ROLE_LABEL, contains="A step is taken at each click outside Flare",
                   timeout_s=15)
            # No tree to ask where "Send invoice" is: the program says it on its output.
            x, y = _said_centre(d.shots / "invoices.log")
            d.run("xdotool", "mousemove", "--sync", str(x), str(y), "click", "1")
            s.find(atspi.ROLE_LABEL, contains="Step 1 of", timeout_s=15)
            d.wait_window("Error")
            d.screenshot("error-shown")
            p.click(s.find(atspi.ROLE_PUSH_BUTTON, "Stop recording"))
            answer_and_send(p, d, MESSAGE)
        finally:
            p.close()
    report = wait_for_bundle(out)
    said = [st["description"] for st in report["steps"] if st["source"] == "step"]
    assert said[0] == f"Left click in '{WINDOW}' (python3)" or said[0].startswith(
        f"Left click in '{WINDOW}' (python"), said
    assert said[1] == ("Error message in 'Error — Invoices' (read from the screen by text "
                       "recognition): " + MESSAGE)


def test_in_russian_the_step_says_itself_in_russian(tmp_path: Path) -> None:
    """The description is written in the reporter's language, in the toolbar's field where
    the person can correct it (tests/ui/test_capture_toolbar.py checks the correction is
    what the step keeps)."""
    with desktop(tmp_path, "i-click-steps-ru", language="ru", tray=True) as d:
        write_settings(d.home, {"general.language": "ru", "capture.hotkey": "",
                                "reports.folder": str(tmp_path / "reports")})
        d.start(APP, "invoices")
        d.wait_window(WINDOW)
        d.start([*flare_command()], "flare")
        p = Person(d)
        app = atspi.Screen(p.atspi, "Invoices")
        try:
            s = p.screen
            tray_menu(p, d, 3, "Записать шаг")
            s.find(atspi.ROLE_LABEL, contains="Шаг записывается при каждом щелчке вне Flare",
                   timeout_s=15)
            p.click(app.find(atspi.ROLE_PUSH_BUTTON, "Save draft", timeout_s=15))
            s.find(atspi.ROLE_LABEL, contains="Шаг 1 из", timeout_s=15)
            field = s.find(atspi.ROLE_TEXT, "Описание только что записанного шага")
            assert p.atspi.text(field) == (
                f"Щелчок левой кнопкой по «Save draft» (кнопка) в окне «{WINDOW}» (Invoices)")
            d.screenshot("described-ru")
            p.click(s.find(atspi.ROLE_PUSH_BUTTON, "Остановить запись"))
            s.find(atspi.ROLE_LIST_ITEM, "Ошибка в программе", timeout_s=20)
            d.screenshot("after-stop-ru")
        finally:
            p.close()
