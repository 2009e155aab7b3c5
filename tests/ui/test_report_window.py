"""The whole report window driven offscreen: category, a vague answer refused, fixed, a
screenshot, review, send to the folder destination, and the bundle on disk checked."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QPlainTextEdit, QRadioButton
from pytestqt.qtbot import QtBot

from app.bundle import list_bundles, read_bundle
from app.context import AppContext
from app.flow import FlowDeps, ReportFlow
from app.report import Diagnostics, DiagnosticSection
from app.ui.page_questions import QuestionsPage
from app.ui.report_window import ReportWindow
from app.wiring import flow_deps
from tests.ui.xscreen import screen_with_window


def _deps(ctx: AppContext) -> FlowDeps:
    return flow_deps(ctx)  # the real form, screen grab, diagnostics and folder


def _window(qtbot: QtBot, ctx: AppContext, language: str = "en") -> ReportWindow:
    flow = ReportFlow(ctx, _deps(ctx), language=language)
    flow.start()
    window = ReportWindow(flow)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def _question_input(window: ReportWindow, qid: str) -> object:
    page = window.current_page()
    assert isinstance(page, QuestionsPage)
    return page.widgets[qid].focus_widget()


@pytest.mark.xvfb
def test_whole_report_refuses_vague_answer_then_sends_to_folder(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with screen_with_window(monkeypatch):
        _whole_report(qtbot, tmp_path)


def _whole_report(qtbot: QtBot, tmp_path: Path) -> None:
    ctx = AppContext.for_tests(tmp_path)
    window = _window(qtbot, ctx)
    flow = window.flow
    assert flow.page == "category"

    window.pages["category"].choose("cant_sign_in")  # type: ignore[attr-defined]
    qtbot.mouseClick(window.next_button, Qt.MouseButton.LeftButton)
    assert flow.page == "questions"

    where = _question_input(window, "sign_in_where")
    assert isinstance(where, QLineEdit)
    qtbot.keyClicks(where, "VPN client (Cisco AnyConnect)")
    happened = _question_input(window, "what_happened")
    assert isinstance(happened, QPlainTextEdit)
    qtbot.keyClicks(happened, "it doesn't work")
    no_error = window.current_page().widgets["error_seen"]  # type: ignore[attr-defined]
    no_error.input.findChildren(QRadioButton)[1].click()  # "No"
    pw = window.current_page().widgets["password_changed"]  # type: ignore[attr-defined]
    pw.dont_know.setChecked(True)
    for qid in ("other_device", "impact", "urgency"):
        combo = _question_input(window, qid)
        assert isinstance(combo, QComboBox)
        combo.setCurrentIndex(1)
    when = _question_input(window, "when")
    assert isinstance(when, QComboBox)
    when.setCurrentIndex(when.findData("now"))

    qtbot.mouseClick(window.next_button, Qt.MouseButton.LeftButton)
    assert flow.page == "questions", "a vague 'what happened' must not pass"
    issues = window.current_page().widgets["what_happened"].issues  # type: ignore[attr-defined]
    assert issues.isVisible() and issues.text()
    assert window.message.isVisible()
    assert window.focusWidget() is happened, "focus goes to the answer that needs work"

    happened.setPlainText(
        "After I enter my password in the VPN client it says 'Login failed: "
        "certificate expired' and disconnects; the VPN worked yesterday"
    )
    qtbot.mouseClick(window.next_button, Qt.MouseButton.LeftButton)
    assert flow.page == "screenshots", window.message.text()

    qtbot.mouseClick(window.pages["screenshots"].capture_button,  # type: ignore[attr-defined]
                     Qt.MouseButton.LeftButton)
    assert len(flow.evidence) == 1
    caption = window.pages["screenshots"].caption  # type: ignore[attr-defined]
    qtbot.keyClicks(caption, "The VPN error")
    qtbot.mouseClick(window.next_button, Qt.MouseButton.LeftButton)
    # The diagnostics page asks nothing: Next passes it by; Back leads to it.
    assert flow.page == "review"
    qtbot.mouseClick(window.back_button, Qt.MouseButton.LeftButton)
    assert flow.page == "diagnostics"
    qtbot.waitUntil(flow.diagnostics_done, timeout=30_000)
    tree = window.pages["diagnostics"].tree  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: tree.topLevelItemCount() >= 2, timeout=5_000)
    left_out = tree.topLevelItem(1)
    left_out_name = left_out.data(0, Qt.ItemDataRole.UserRole)
    left_out.setCheckState(0, Qt.CheckState.Unchecked)

    qtbot.mouseClick(window.next_button, Qt.MouseButton.LeftButton)
    assert flow.page == "review"
    review = window.pages["review"]
    assert "certificate expired" in review.browser.toPlainText()  # type: ignore[attr-defined]
    names = [review.files.topLevelItem(i).text(0)  # type: ignore[attr-defined]
             for i in range(review.files.topLevelItemCount())]  # type: ignore[attr-defined]
    assert {"report.html", "report.json", "diagnostics.json"} <= set(names)
    assert any(n.startswith("step-001.") for n in names)
    assert window.next_button.text() == "&Send"
    assert "Send saves the report in the folder" in review.where.text()  # type: ignore[attr-defined]
    qtbot.mouseClick(window.next_button, Qt.MouseButton.LeftButton)  # Send is the consent
    qtbot.waitUntil(lambda: flow.page == "sent", timeout=10_000)

    bundles = list(list_bundles(ctx.reports_dir()))
    assert len(bundles) == 1
    bundle = read_bundle(bundles[0])
    assert bundle.report.category == "cant_sign_in"
    assert bundle.report.steps[0].caption == "The VPN error"
    assert bundle.report.consent.reviewed
    assert bundle.report.consent.excluded_diagnostics == [left_out_name]
    sent_sections = [s.name for s in bundle.diagnostics.sections]
    assert left_out_name not in sent_sections and sent_sections
    assert bundle.html == review.bundle.html  # type: ignore[attr-defined]
    assert str(bundles[0]) in window.pages["sent"].message.text()  # type: ignore[attr-defined]
    assert not flow.draft.exists(), "a sent report leaves no draft behind"


def test_keyboard_alone_reaches_the_questions(qtbot: QtBot, tmp_path: Path) -> None:
    window = _window(qtbot, AppContext.for_tests(tmp_path))
    categories = window.pages["category"].list  # type: ignore[attr-defined]
    assert window.focusWidget() is categories
    qtbot.keyClick(categories, Qt.Key.Key_Down)
    qtbot.keyClick(categories, Qt.Key.Key_Return)
    assert window.flow.category
    assert window.flow.page == "questions"
    qtbot.keyClick(window.windowHandle(), Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert window.flow.page == "category"
    qtbot.keyClick(window.windowHandle(), Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert window.flow.page == "questions"


@pytest.mark.parametrize("language", ["ru", "uk"])
def test_window_speaks_the_language(qtbot: QtBot, tmp_path: Path, language: str) -> None:
    window = _window(qtbot, AppContext.for_tests(tmp_path), language)
    assert window.heading.text() != "What is the problem about?"
    assert window.next_button.text() not in ("&Next", "Next")
    checkbox_texts = [c.text() for c in window.findChildren(QCheckBox)]
    assert all(not t.isascii() for t in checkbox_texts if t)


def test_diagnostics_reach_the_window_by_signal_and_nothing_polls(
        qtbot: QtBot, tmp_path: Path) -> None:
    """The collectors finish on their own thread; the page fills when they say so, through a
    queued signal. No timer polls the flow meanwhile (only the draft's autosave runs)."""
    ctx = AppContext.for_tests(tmp_path)
    gate = threading.Event()

    class SlowRun:
        def done(self) -> bool:
            return gate.is_set()

        def result(self, timeout: float | None = None) -> Diagnostics:
            gate.wait(timeout)
            return Diagnostics(sections=[DiagnosticSection(
                name="os", title="Operating system", summary="Debian 12")])

    deps = _deps(ctx)
    deps.capturer = None
    deps.start_diagnostics = SlowRun
    flow = ReportFlow(ctx, deps, language="en")
    flow.start()
    window = ReportWindow(flow)
    qtbot.addWidget(window)
    flow.go("diagnostics")
    page = window.pages["diagnostics"]
    assert not page.status.isHidden(), "still collecting"  # type: ignore[attr-defined]
    running = [t for t in window.findChildren(QTimer) if t.isActive()]
    assert running == [window._autosave]
    gate.set()
    qtbot.waitUntil(lambda: page.tree.topLevelItemCount() == 1,  # type: ignore[attr-defined]
                    timeout=10_000)
    assert page.status.isHidden()  # type: ignore[attr-defined]
    assert page.tree.topLevelItem(0).text(0) == "Operating system"  # type: ignore[attr-defined]


@pytest.mark.parametrize("language", ["en", "ru", "uk"])
def test_review_preview_sets_the_priority_badge_apart(qtbot: QtBot, tmp_path: Path,
                                                       language: str) -> None:
    # Qt's rich text ignores report.css: the badge was plain text running into the line after
    # it («Низкий приоритет затронуты: только автор»).
    from app.i18n import Translator
    from app.render.html import _labels
    from tests.unit.flow_helpers import answer_sign_in

    ctx = AppContext.for_tests(tmp_path)
    deps = _deps(ctx)
    deps.capturer = None
    deps.start_diagnostics = None
    flow = ReportFlow(ctx, deps, language=language)
    flow.start()
    answer_sign_in(flow, "After the update the VPN client says 'certificate expired' at 9:00")
    window = ReportWindow(flow)
    qtbot.addWidget(window)
    flow.go("review")
    review = window.pages["review"]
    level = review.bundle.report.priority.level  # type: ignore[attr-defined]
    badge = _labels(Translator(language))[level]
    doc = review.browser.document()  # type: ignore[attr-defined]
    line = next(x for x in doc.toPlainText().splitlines() if x.startswith(badge))
    assert line.startswith(f"{badge} · "), line
    cursor = doc.find(badge)
    assert not cursor.isNull()
    char = cursor.charFormat()
    assert char.fontWeight() >= 600
    assert char.background().style() == Qt.BrushStyle.SolidPattern
