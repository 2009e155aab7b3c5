"""Every control a keyboard can reach says what it is to a screen reader."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QAbstractSpinBox, QLabel, QWidget
from pytestqt.qtbot import QtBot

from app.context import AppContext
from app.flow import ReportFlow
from app.ui.report_window import ReportWindow
from app.wiring import flow_deps


def unnamed_controls(root: QWidget) -> list[str]:
    buddies = {id(label.buddy()) for label in root.findChildren(QLabel) if label.buddy()}
    missing = []
    for w in root.findChildren(QWidget):
        if not w.isVisibleTo(root) or w.focusPolicy() == Qt.FocusPolicy.NoFocus:
            continue
        if w.accessibleName() or id(w) in buddies:
            continue
        parent = w.parentWidget()
        if isinstance(parent, QAbstractSpinBox) and (parent.accessibleName()
                                                     or id(parent) in buddies):
            continue  # the editor inside a named spin box
        if isinstance(w, QAbstractButton) and w.text().replace("&", "").strip():
            continue
        if type(w).__name__ in ("QScrollBar", "QSplitterHandle", "QScrollArea", "QMenu"):
            continue  # scrolling furniture; screen readers name it themselves
        missing.append(f"{type(w).__name__} {w.objectName()!r}")
    return missing


@pytest.mark.parametrize("language", ["en", "ru"])
def test_every_page_names_its_controls(qtbot: QtBot, tmp_path: Path, language: str) -> None:
    ctx = AppContext.for_tests(tmp_path, capture__enabled=False)
    deps = flow_deps(ctx)
    deps.start_diagnostics = None
    flow = ReportFlow(ctx, deps, language=language)
    flow.start()
    window = ReportWindow(flow)
    qtbot.addWidget(window)
    window.show()
    window.page("category").choose("slow")  # type: ignore[attr-defined]
    seen = []
    for page in ("category", "questions", "review"):
        flow.go(page)
        seen.append(page)
        assert not unnamed_controls(window), (page, unnamed_controls(window))
    assert seen == ["category", "questions", "review"]
