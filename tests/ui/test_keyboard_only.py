"""A whole report with the keyboard alone, in each shipped language: the window's own focus
handling (focus jumps to the answer that needs work) is what guides the user."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from app.bundle import list_bundles, read_bundle
from app.context import AppContext
from app.flow import FlowDeps, ReportFlow
from app.ui.question_widgets import QuestionWidget
from app.ui.report_window import ReportWindow

CTRL = Qt.KeyboardModifier.ControlModifier
TEXTS = {
    "en": ("it doesn't work", "After I enter my password the VPN client says 'Login failed: "
           "certificate expired' and disconnects; it worked yesterday", "VPN client"),
    "ru": ("не работает", "После ввода пароля VPN-клиент пишет «Login failed: certificate "
           "expired» и отключается; вчера всё работало", "VPN-клиент"),
    "uk": ("не працює", "Після введення пароля VPN-клієнт пише «Login failed: certificate "
           "expired» і відключається; учора все працювало", "VPN-клієнт"),
}


def focused(window: ReportWindow) -> QWidget:
    widget = window.focusWidget()
    assert widget is not None, "something always has the keyboard focus"
    return widget


def type_text(widget: QWidget, text: str) -> None:
    """Type as a keyboard does, one character per key press (QTest.keyClicks cannot map
    Cyrillic letters to keys)."""
    for ch in text:
        QTest.sendKeyEvent(QTest.KeyAction.Click, widget, Qt.Key.Key_unknown, ch,
                           Qt.KeyboardModifier.NoModifier)


def next_page(window: ReportWindow) -> None:
    handle = window.windowHandle()
    assert handle is not None
    QTest.keyClick(handle, Qt.Key.Key_Return, CTRL)  # Ctrl+Enter: go on


def question_of(widget: QWidget) -> QuestionWidget:
    node: QWidget | None = widget
    while node is not None and not isinstance(node, QuestionWidget):
        node = node.parentWidget()
    assert node is not None, f"focus is not in a question: {widget!r}"
    return node


@pytest.mark.slow
@pytest.mark.parametrize("language", ["en", "ru", "uk"])
def test_report_by_keyboard_alone(qtbot: QtBot, tmp_path: Path, language: str) -> None:
    vague, good, where = TEXTS[language]
    ctx = AppContext.for_tests(tmp_path, capture__enabled=False)
    flow = ReportFlow(ctx, FlowDeps.defaults(ctx), language=language)
    flow.start()
    window = ReportWindow(flow)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)

    QTest.keyClick(focused(window), Qt.Key.Key_Down)  # the category list has the focus
    next_page(window)
    assert flow.page == "questions"

    refused_vague = False
    for _ in range(40):
        next_page(window)
        if flow.page != "questions":
            break
        widget = focused(window)
        q = question_of(widget)
        if q.qtype in ("long_text", "error_text", "short_text"):
            if q.qid == "what_happened" and not q.value():
                type_text(widget, vague)
            elif q.qid == "what_happened":
                refused_vague = True
                QTest.keyClick(widget, Qt.Key.Key_A, CTRL)
                type_text(widget, good)
            else:
                type_text(widget, where)
        elif q.qtype == "yes_no":
            QTest.keyClick(widget, Qt.Key.Key_Right)  # to "No"…
            QTest.keyClick(focused(window), Qt.Key.Key_Space)  # …and pick it
        elif q.qtype in ("choice", "datetime"):
            QTest.keyClick(widget, Qt.Key.Key_Down)
        elif q.qtype == "multi_choice":
            QTest.keyClick(widget, Qt.Key.Key_Space)
        elif q.qtype == "number":
            type_text(widget, "30")
        else:
            pytest.fail(f"no keyboard answer for a {q.qtype} question")
    assert refused_vague, "the vague answer was refused first"
    assert flow.page == "diagnostics", window.message.text()

    qtbot.waitUntil(flow.diagnostics_done, timeout=30_000)
    next_page(window)
    assert flow.page == "review"
    confirm = window.pages["review"].confirm  # type: ignore[attr-defined]
    for _ in range(10):
        if focused(window) is confirm:
            break
        QTest.keyClick(focused(window), Qt.Key.Key_Tab)
    assert focused(window) is confirm, "Tab reaches the confirmation"
    QTest.keyClick(confirm, Qt.Key.Key_Space)
    next_page(window)
    assert flow.page == "sent", window.message.text()

    [path] = list(list_bundles(ctx.reports_dir()))
    report = read_bundle(path).report
    assert report.locale == language
    assert any("certificate expired" in str(a.value) for a in report.answers)
