"""Screenshots of every page of the report window in English, Russian and Ukrainian.

    python -m tests.e2e.screenshots [OUT_DIR]      (default: docs/screenshots)

Qt draws offscreen; the screenshot on page 4 is a real grab of a private Xvfb screen showing
an error message (needs Xvfb and xmessage; without them page 4 has no screenshot). Known
incidents and open tickets on page 1 are sample data: they come from the helpdesk in real use.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

os.environ["QT_QPA_PLATFORM"] = "offscreen"

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from app.context import AppContext
from app.flow import FlowDeps, IncidentInfo, OpenTicket, ReportFlow, SubmitResult
from app.ui.page_questions import QuestionsPage
from app.ui.qtapp import install_qt_translations, make_app
from app.ui.report_window import ReportWindow
from app.ui.settings_dialog import SettingsDialog

ROOT = Path(__file__).resolve().parents[2]

SAMPLE = {
    "en": {
        "incident": ("E-mail is slow for everyone in Building B", "Since 08:40; we are on it."),
        "ticket": ("Printer on floor 2 jams", "open"),
        "where": "VPN client (Cisco AnyConnect)",
        "vague": "it doesn't work",
        "good": "After I enter my password the VPN client says 'Login failed: certificate "
                "expired' and disconnects; it worked yesterday",
        "caption": "The VPN error",
    },
    "ru": {
        "incident": ("Почта медленно работает у всех в корпусе Б", "С 08:40, уже чиним."),
        "ticket": ("На 2-м этаже заминает бумагу в принтере", "открыта"),
        "where": "VPN-клиент (Cisco AnyConnect)",
        "vague": "не работает",
        "good": "После ввода пароля VPN-клиент пишет «Login failed: certificate expired» и "
                "отключается; вчера всё работало",
        "caption": "Ошибка VPN",
    },
    "uk": {
        "incident": ("Пошта повільно працює в усіх у корпусі Б", "З 08:40, уже лагодимо."),
        "ticket": ("На 2-му поверсі принтер зажовує папір", "відкрита"),
        "where": "VPN-клієнт (Cisco AnyConnect)",
        "vague": "не працює",
        "good": "Після введення пароля VPN-клієнт пише «Login failed: certificate expired» і "
                "відключається; учора все працювало",
        "caption": "Помилка VPN",
    },
}


class SampleIncidents:
    def __init__(self, language: str) -> None:
        self.s = SAMPLE[language]

    def incidents(self) -> list[IncidentInfo]:
        title, details = self.s["incident"]
        return [IncidentInfo("INC-17", title, details)]

    def open_tickets(self) -> list[OpenTicket]:
        title, status = self.s["ticket"]
        return [OpenTicket("4711", "#4711", title, status)]


@contextlib.contextmanager
def x_screen() -> Iterator[bool]:
    """A private Xvfb with an error message on it, as DISPLAY for the screen grab."""
    if not (shutil.which("Xvfb") and shutil.which("xmessage")):
        yield False
        return
    from tests.integration.xserver import start_xvfb

    with start_xvfb([(1024, 640)]) as xs:
        msg = subprocess.Popen(
            ["xmessage", "-center", "-fn", "fixed",
             "VPN: Login failed: certificate expired (error 0x80092013)"],
            env=xs.env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        old = os.environ.get("DISPLAY")
        os.environ["DISPLAY"] = xs.display
        try:
            time.sleep(0.6)
            yield True
        finally:
            if old is None:
                os.environ.pop("DISPLAY", None)
            else:
                os.environ["DISPLAY"] = old
            if msg.poll() is None:
                os.kill(msg.pid, signal.SIGTERM)
                msg.wait(5)


def save(widget: QWidget, path: Path) -> None:
    app = QApplication.instance()
    assert app is not None
    for _ in range(5):
        app.processEvents()
    widget.grab().save(str(path))
    print(path)


def shoot_language(language: str, out: Path, can_capture: bool) -> None:
    s = SAMPLE[language]
    with tempfile.TemporaryDirectory() as tmp:
        ctx = AppContext.for_tests(Path(tmp))
        deps = FlowDeps.defaults(ctx)
        deps.incidents = SampleIncidents(language)
        if not can_capture:
            deps.capturer = None
        flow = ReportFlow(ctx, deps, language=language)
        flow.start()
        window = ReportWindow(flow)
        window.resize(820, 660)
        window.show()
        pages = flow.pages()
        save(window, out / f"{language}-1-incidents.png")
        window.go_next()
        window.page("category").choose("cant_sign_in")  # type: ignore[attr-defined]
        save(window, out / f"{language}-2-category.png")
        window.go_next()
        page = window.current_page()
        assert isinstance(page, QuestionsPage)
        w = page.widgets
        w["sign_in_where"].set_value(s["where"])
        w["what_happened"].set_value(s["vague"])
        w["error_seen"].set_value(False)
        page.refresh("answers")
        w["password_changed"].set_value(None, dont_know=True)
        q = {v.id: v for v in flow.questions()}
        for qid in ("other_device", "impact", "urgency"):
            w[qid].set_value(q[qid].options[1][0])
        w["when"].set_value("minutes_ago:15")
        window.go_next()  # refused: the vague answer
        save(window, out / f"{language}-3-questions-refused.png")
        page.widgets["what_happened"].input.setPlainText(s["good"])  # type: ignore[attr-defined]
        page.widgets["what_happened"].focus_widget().setFocus()
        save(window, out / f"{language}-3-questions-fixed.png")
        window.go_next()
        if "screenshots" in pages:
            if can_capture:
                flow.capture()
                flow.set_caption(flow.evidence[0].key, s["caption"])
            save(window, out / f"{language}-4-screenshots.png")
            window.go_next()
        deadline = time.monotonic() + 20
        while not flow.diagnostics_done() and time.monotonic() < deadline:
            QApplication.processEvents()
            time.sleep(0.1)
        window._poll_diagnostics()
        save(window, out / f"{language}-5-diagnostics.png")
        window.go_next()
        save(window, out / f"{language}-6-review.png")
        window.go_next()
        deadline = time.monotonic() + 10
        while flow.page != "sent" and time.monotonic() < deadline:
            QApplication.processEvents()
            time.sleep(0.05)
        save(window, out / f"{language}-7-sent.png")
        # The same page when the helpdesk is down: queued, with the reason (sample result).
        flow.result = SubmitResult(
            state="queued", reason_kind="network",
            reason="Request Tracker cannot be reached at https://rt.example.org/REST/2.0/ticket: "
                   "Connection refused; the report waits in the outbox")
        window.current_page().refresh("result")
        save(window, out / f"{language}-7-queued.png")
        window.close()
        # One setting fixed by policy, to show how a locked one looks.
        managed = AppContext.for_tests(Path(tmp) / "policy", tray__show_incidents=True)
        dialog = SettingsDialog(managed, flow.t)
        dialog.show()
        save(dialog, out / f"{language}-settings.png")
        dialog.close()


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    app = make_app(AppContext.for_tests(Path(tempfile.gettempdir())))
    app.setStyle("Fusion")
    with x_screen() as can_capture:
        for language in ("en", "ru", "uk"):
            translators = install_qt_translations(app, language)
            shoot_language(language, out, can_capture)
            for tr in translators:
                app.removeTranslator(tr)
        # Offscreen has no desktop theme to follow; hand Qt a dark palette as a dark desktop
        # would, to show that every colour comes from the palette.
        app.setPalette(dark_palette())
        shoot_dark(out, can_capture)
    return 0


def dark_palette() -> QPalette:
    p = QPalette()
    roles = QPalette.ColorRole
    for role, colour in (
        (roles.Window, "#2b2b2b"), (roles.WindowText, "#e8e8e8"), (roles.Base, "#1e1e1e"),
        (roles.AlternateBase, "#262626"), (roles.Text, "#e8e8e8"), (roles.Button, "#353535"),
        (roles.ButtonText, "#e8e8e8"), (roles.Highlight, "#3d7cc9"),
        (roles.HighlightedText, "#ffffff"), (roles.PlaceholderText, "#8a8a8a"),
        (roles.ToolTipBase, "#353535"), (roles.ToolTipText, "#e8e8e8"), (roles.Link, "#7fb2ff"),
    ):
        p.setColor(role, QColor(colour))
    return p


def shoot_dark(out: Path, can_capture: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        ctx = AppContext.for_tests(Path(tmp))
        deps = FlowDeps.defaults(ctx)
        deps.start_diagnostics = None
        flow = ReportFlow(ctx, deps, language="en")
        flow.start()
        window = ReportWindow(flow)
        window.resize(820, 660)
        window.show()
        window.page("category").choose("cant_sign_in")  # type: ignore[attr-defined]
        window.go_next()
        page = window.current_page()
        assert isinstance(page, QuestionsPage)
        page.widgets["what_happened"].set_value("it doesn't work")
        window.go_next()
        save(window, out / "en-dark-questions.png")
        window.close()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
