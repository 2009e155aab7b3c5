"""Driving the report window in UI tests: open it on a context, answer, go on, send.

Shared by several test modules (test modules never import each other)."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from PIL import Image
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.context import AppContext
from app.flow import FlowDeps, ReportFlow
from app.report import Step
from app.ui.page_questions import QuestionsPage
from app.ui.report_window import ReportWindow
from app.wiring import flow_deps


def png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (64, 40), (200, 30, 30)).save(buf, "PNG")
    return buf.getvalue()


def open_window(qtbot: QtBot, ctx: AppContext, deps: FlowDeps | None = None) -> ReportWindow:
    deps = deps or flow_deps(ctx)
    deps.capturer = None
    deps.start_diagnostics = None
    flow = ReportFlow(ctx, deps, language="en")
    flow.start()
    window = ReportWindow(flow)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def click_next(qtbot: QtBot, window: ReportWindow) -> None:
    qtbot.mouseClick(window.next_button, Qt.MouseButton.LeftButton)


def fill_and_send(qtbot: QtBot, window: ReportWindow) -> None:
    """From the category page to "sent": the user's clicks and answers."""
    fill_to_review(qtbot, window)
    click_next(qtbot, window)  # Send: the one action that consents
    qtbot.waitUntil(lambda: window.flow.page == "sent", timeout=10_000)


def fill_to_review(qtbot: QtBot, window: ReportWindow) -> None:
    flow = window.flow
    window.page("category").choose("cant_sign_in")  # type: ignore[attr-defined]
    click_next(qtbot, window)
    page = window.current_page()
    assert isinstance(page, QuestionsPage)
    w = page.widgets
    w["sign_in_where"].set_value("VPN client (Cisco AnyConnect)")
    w["what_happened"].set_value(
        "After I enter my password the VPN client says 'Login failed: certificate expired' "
        "and disconnects; it worked yesterday")
    w["error_seen"].set_value(False)
    w["password_changed"].set_value(None, dont_know=True)
    options = {q.id: q.options for q in flow.questions()}
    for qid in ("other_device", "impact", "urgency"):
        w[qid].set_value(options[qid][1][0])
    w["when"].set_value("minutes_ago:15")
    flow.add_evidence(Step(image="shot.png", media_type="image/png",
                           captured_at=datetime(2026, 3, 2, 9, 30, tzinfo=UTC),
                           caption="The VPN error", width=64, height=40), png())
    click_next(qtbot, window)
    if flow.page == "similar":  # the helpdesk has a similar ticket: file a new one anyway
        click_next(qtbot, window)
    # The report holds a screenshot and the screenshots page asks nothing: passed by.
    assert flow.page == "review", window.message.text()
