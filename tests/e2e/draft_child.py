"""A Flare report window in its own process, for the kill test (tests/e2e/test_draft_kill.py).

``type ROOT``: open the window, choose a category and type an answer the way a user does, then
wait (the autosave timer runs) and print "typed" — the test kills this process with SIGKILL.
``show ROOT``: open the window again and print what it resumed, as JSON.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

os.environ["QT_QPA_PLATFORM"] = "offscreen"

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from app.context import AppContext
from app.flow import ReportFlow
from app.ui.page_questions import QuestionsPage
from app.ui.qtapp import make_app
from app.ui.report_window import ReportWindow
from app.wiring import flow_deps


def main(mode: str, root: Path) -> int:
    ctx = AppContext.for_tests(root)
    app = make_app(ctx)
    deps = flow_deps(ctx)
    deps.start_diagnostics = None
    flow = ReportFlow(ctx, deps, language="en")
    resumed = flow.start()
    window = ReportWindow(flow)
    window.show()
    app.processEvents()
    if mode == "show":
        page = window.current_page()
        text = ""
        if isinstance(page, QuestionsPage) and "what_happened" in page.widgets:
            text = str(page.widgets["what_happened"].value())
        print(json.dumps({"resumed": resumed, "page": flow.page, "category": flow.category,
                          "what_happened": text}), flush=True)
        return 0
    window.page("category").choose("cant_sign_in")  # type: ignore[attr-defined]
    QTest.keyClick(window.next_button, Qt.Key.Key_Space)
    page = window.current_page()
    assert isinstance(page, QuestionsPage)
    QTest.keyClicks(page.widgets["what_happened"].focus_widget(), "VPN says certificate expired")
    app.processEvents()
    deadline = time.monotonic() + 8
    while time.monotonic() < deadline and flow.dirty:  # the autosave timer saves it
        app.processEvents()
        time.sleep(0.05)
    print("typed", flush=True)
    while True:  # until killed
        app.processEvents()
        time.sleep(0.05)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], Path(sys.argv[2])))
