"""One key per choice: a category's or an option's number picks it and goes on; letters and
the mouse work as before, and the wheel never changes a closed drop-down."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QComboBox, QWidget
from pytestqt.qtbot import QtBot

from app.context import AppContext
from app.flow import ReportFlow
from app.ui.page_questions import QuestionsPage
from app.ui.report_window import ReportWindow
from app.wiring import flow_deps


def _window(qtbot: QtBot, tmp_path: Path, language: str = "en") -> ReportWindow:
    ctx = AppContext.for_tests(tmp_path)
    deps = flow_deps(ctx)
    deps.capturer = None
    flow = ReportFlow(ctx, deps, language=language)
    flow.start()
    window = ReportWindow(flow)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    return window


def _questions(window: ReportWindow) -> QuestionsPage:
    page = window.current_page()
    assert isinstance(page, QuestionsPage)
    return page


def _combo(window: ReportWindow, qid: str) -> QComboBox:
    combo = _questions(window).widgets[qid].focus_widget()
    assert isinstance(combo, QComboBox)
    return combo


def _focus() -> QWidget | None:
    return QApplication.focusWidget()


@pytest.mark.parametrize(("language", "program_error"),
                         [("en", "A program shows an error"), ("ru", "Ошибка в программе"),
                          ("uk", "Помилка в програмі")])
def test_numbers_choose_and_go_on(qtbot: QtBot, tmp_path: Path, language: str,
                                  program_error: str) -> None:
    window = _window(qtbot, tmp_path, language)
    categories = window.pages["category"].list  # type: ignore[attr-defined]
    assert window.focusWidget() is categories
    row = next(i for i in range(categories.count())
               if categories.item(i).text() == program_error)
    qtbot.keyClicks(categories, str(row + 1))  # one key: chosen, and on to the questions
    assert window.flow.category == "app_error"
    assert window.flow.page == "questions"
    page = _questions(window)
    # The category says an error was seen: not asked; its text and screenshot are.
    assert "error_seen" not in page.widgets
    assert {"error_text", "error_screenshot"} <= set(page.widgets)

    first_time = _combo(window, "first_time")
    labels = [first_time.itemText(i) for i in range(1, first_time.count())]
    assert labels[0].startswith("1. ") and labels[1].startswith("2. "), labels
    first_time.setFocus()
    qtbot.keyClicks(first_time, "2")
    assert first_time.currentData() == "sometimes"
    assert _focus() is _combo(window, "restarted"), "the number goes on to the next question"
    qtbot.keyClicks(_combo(window, "restarted"), "2")
    # "When did it happen?" is prefilled ("just now"): the focus goes on to the next
    # question not yet answered.
    assert _focus() is _combo(window, "impact")
    qtbot.keyClicks(_combo(window, "impact"), "1")
    qtbot.keyClicks(_combo(window, "urgency"), "3")
    assert _focus() is page.subject, "after the last answer, on to the subject line"
    given = {qid: window.flow.answers[qid][0] for qid in
             ("first_time", "restarted", "impact", "urgency")}
    assert given == {"first_time": "sometimes", "restarted": "restarted_no_change",
                     "impact": "me", "urgency": "blocked"}


def test_letters_wheel_and_mouse_leave_the_focus_alone(qtbot: QtBot, tmp_path: Path) -> None:
    window = _window(qtbot, tmp_path)
    window.page("category").choose("app_error")  # type: ignore[attr-defined]
    qtbot.mouseClick(window.next_button, Qt.MouseButton.LeftButton)
    combo = _combo(window, "first_time")
    combo.setFocus()
    # A letter jumps to the next option whose label starts with it (the number aside), and
    # the person stays to look: "Sometimes", then "Since something changed".
    qtbot.keyClicks(combo, "s")
    assert combo.currentData() == "sometimes" and _focus() is combo
    qtbot.keyClicks(combo, "s")
    assert combo.currentData() == "since_change" and _focus() is combo
    # A number beyond the options does nothing; nor does Alt with a number.
    qtbot.keyClicks(combo, "7")
    assert combo.currentData() == "since_change" and _focus() is combo
    qtbot.keyClick(combo, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)
    assert combo.currentData() == "since_change" and _focus() is combo
    # The wheel over a closed drop-down scrolls the page, never the answer.
    impact = _combo(window, "impact")
    centre = QPointF(impact.rect().center())
    wheel = QWheelEvent(centre, QPointF(impact.mapToGlobal(impact.rect().center())),
                        QPoint(0, 0), QPoint(0, -120), Qt.MouseButton.NoButton,
                        Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(impact, wheel)
    assert impact.currentIndex() == 0
    # The mouse picks from the open list as before, and the focus stays with it.
    impact.setCurrentIndex(impact.findData("team"))
    assert window.flow.answers["impact"][0] == "team"
