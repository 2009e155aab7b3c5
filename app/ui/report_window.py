"""The report window: a thin Qt view over :class:`app.flow.ReportFlow`.

Pages are built the first time they are shown, so the window opens fast. Keyboard: the focus
starts in the first answer not yet given; a category's number on the list chooses it and goes
on, as Enter, Ctrl+Enter anywhere and Alt+Right do; Alt+Left goes back (as in a browser);
Enter in a one-line answer goes on to the next question, and a drop-down option's number
picks it and goes on to the next answer not yet given; the default button is always the next
step (Next, Send, Close); the buttons' mnemonics and the numbers work in every keyboard
layout, and Esc closes and keeps the draft. Next passes by the pages that ask nothing: the
diagnostics, and the screenshots once the report holds one (Back leads to both, and the
review offers the screenshots). The draft is saved every few seconds and on every page
change.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable

from PySide6.QtCore import QEventLoop, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QPaintEvent, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.errors import FlareError
from app.flow import Page as PageName
from app.flow import ReportFlow
from app.ui.mnemonics import LayoutMnemonics
from app.ui.page_base import Page, bring_to_front, error_colour
from app.ui.page_screenshots import Annotate, ScreenshotsPage, find_annotator

AUTOSAVE_MS = 3000
HIDE_BEFORE_CAPTURE_MS = 350


# A window that is never painted (minimised, or on a platform that does not paint) still
# follows its diagnostics after this long.
WATCH_DIAGNOSTICS_AT_MOST_MS = 1500

def load_pages() -> None:
    """Load every page's module now (the tray's warm-up, while its menu is open), not when
    the page is first shown."""
    from app.ui import (  # noqa: F401 - imported for their side effect: loaded
        page_affected,
        page_category,
        page_diagnostics,
        page_incidents,
        page_questions,
        page_review,
        page_sent,
        page_similar,
    )


class ReportWindow(QDialog):
    """One report from first page to "sent"; emits ``finished_report`` when it closes."""

    finished_report = Signal()
    first_painted = Signal()  # once, when the first paint has reached the screen
    _sent = Signal(object)  # the send job's outcome, from its worker thread
    _posted = Signal(object)  # a function from a worker thread, to run on this one
    _diagnostics_ready = Signal()  # from the thread that waited for the collectors

    def __init__(
        self,
        flow: ReportFlow,
        *,
        annotate: Annotate | None = None,
        replay: Callable[[], None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._painted = False
        self.flow = flow
        self.t = flow.t
        self._annotate = annotate if annotate is not None else find_annotator(self.t)
        self._replay = replay
        self.setWindowFlag(Qt.WindowType.Window, True)
        self.setWindowFlag(Qt.WindowType.WindowContextHelpButtonHint, False)
        self.setObjectName("report-window")
        app_name = str(flow.ctx.settings.get("general.app_name") or "Flare")
        self.setWindowTitle(self.t.tr("Report a problem") + f" — {app_name}")
        self.resize(780, 640)
        self.setMinimumSize(560, 460)

        lay = QVBoxLayout(self)
        head = QHBoxLayout()
        self.heading = QLabel()
        self.heading.setObjectName("heading")
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.heading.setFont(font)
        self.heading.setWordWrap(True)
        self.step_label = QLabel()
        self.step_label.setObjectName("step-of")
        self.known_button = QPushButton()
        self.known_button.setObjectName("known-problems")
        self.known_button.clicked.connect(lambda: self.flow.go("incidents"))
        self.known_button.hide()
        head.addWidget(self.heading, 1)
        head.addWidget(self.known_button, 0, Qt.AlignmentFlag.AlignTop)
        head.addWidget(self.step_label, 0, Qt.AlignmentFlag.AlignTop)
        lay.addLayout(head)
        self.stack = QStackedWidget()
        lay.addWidget(self.stack, 1)
        self.message = QLabel()
        self.message.setObjectName("flow-message")
        self.message.setWordWrap(True)
        self.message.hide()
        lay.addWidget(self.message)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # busy: writing and queueing take a moment
        self.progress.setObjectName("sending")
        self.progress.setAccessibleName(self.t.tr("Sending your report…"))
        self.progress.setMaximumHeight(8)
        self.progress.setTextVisible(False)
        self.progress.hide()
        lay.addWidget(self.progress)
        self._sending = False
        self._close_when_sent = False
        self._sent.connect(self._send_done)
        nav = QHBoxLayout()
        self.close_button = QPushButton(self.t.tr("&Close"))
        self.close_button.setObjectName("close")
        self.close_button.setToolTip(self.t.tr("Close; your draft is kept for later"))
        self.back_button = QPushButton(self.t.tr("&Back"))
        self.back_button.setObjectName("back")
        self.next_button = QPushButton(self.t.tr("&Next"))
        self.next_button.setObjectName("next")
        self.next_button.setDefault(True)
        nav.addWidget(self.close_button)
        nav.addStretch(1)
        nav.addWidget(self.back_button)
        nav.addWidget(self.next_button)
        lay.addLayout(nav)
        self.close_button.clicked.connect(self.close)
        self.back_button.clicked.connect(self.go_back)
        self.next_button.clicked.connect(self.go_next)
        for keys in ("Ctrl+Return", "Ctrl+Enter", "Alt+Right"):
            QShortcut(QKeySequence(keys), self, self.go_next)
        QShortcut(QKeySequence("Alt+Left"), self, self.go_back)
        self._mnemonics = LayoutMnemonics(self)

        self.pages: dict[PageName, Page] = {}
        self._autosave = QTimer(self)
        self._autosave.setInterval(AUTOSAVE_MS)
        self._autosave.timeout.connect(self.flow.autosave)
        # Worker threads report back through queued signals: nothing here polls or waits.
        self._posted.connect(lambda fn: fn())
        if flow.post is None:
            flow.post = self._post
        self._diagnostics_ready.connect(self._diagnostics_arrived)
        flow.view = self
        self._autosave.start()
        self._show_page()
        # Waiting for the diagnostics starts them (app.ui.report_prep.LaterRun): after the
        # first paint, so that their threads do not hold the interpreter while it happens.
        self._watching_diagnostics = False
        self.first_painted.connect(self._watch_diagnostics)
        QTimer.singleShot(WATCH_DIAGNOSTICS_AT_MOST_MS, self._watch_diagnostics)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            # After this round of events, when the children have painted and the frame is
            # flushed to the screen.
            QTimer.singleShot(0, self.first_painted.emit)

    # --- pages ---------------------------------------------------------------------------------

    def page(self, name: PageName) -> Page:
        page = self.pages.get(name)
        if page is None:
            page = self._make(name)
            self.pages[name] = page
            self.stack.addWidget(page)
        return page

    def _make(self, name: PageName) -> Page:
        # Each page's module (and the Qt classes only it uses) loads when the page is first
        # shown: a cold window opened 10-13 ms sooner for not loading the other seven.
        f, t = self.flow, self.t
        if name == "incidents":
            from app.ui.page_incidents import IncidentsPage

            return IncidentsPage(f, t)
        if name == "affected":
            from app.ui.page_affected import AffectedPage

            return AffectedPage(f, t)
        if name == "similar":
            from app.ui.page_similar import SimilarPage

            return SimilarPage(f, t)
        if name == "category":
            from app.ui.page_category import CategoryPage

            return CategoryPage(f, t)
        if name == "questions":
            from app.ui.page_questions import QuestionsPage

            return QuestionsPage(f, t)
        if name == "screenshots":
            return ScreenshotsPage(f, t, annotate=self._annotate, replay=self._replay)
        if name == "diagnostics":
            from app.ui.page_diagnostics import DiagnosticsPage

            return DiagnosticsPage(f, t)
        if name == "review":
            from app.ui.page_review import ReviewPage

            return ReviewPage(f, t)
        from app.ui.page_sent import SentPage

        return SentPage(f, t)

    def current_page(self) -> Page:
        return self.page(self.flow.page)

    def _show_page(self) -> None:
        page = self.current_page()
        page.refresh("page")
        self.stack.setCurrentWidget(page)
        self.heading.setText(page.title())
        self._show_step()
        sent = self.flow.page == "sent"
        first = self.flow.page == self.flow.pages()[0]
        self.back_button.setVisible(not sent)
        self.back_button.setEnabled(not first)
        self.next_button.setVisible(not sent)
        self.next_button.setText(
            self.t.tr("&Send") if self.flow.page == "review" else self.t.tr("&Next")
        )
        self.close_button.setText(self.t.tr("&Close"))
        self._mnemonics.update([self.close_button, self.back_button, self.next_button])
        self.close_button.setDefault(sent)
        self.set_message("")
        self._show_known()
        target = page.first_focus()
        if target is not None:
            target.setFocus(Qt.FocusReason.OtherFocusReason)

    def _show_step(self) -> None:
        step = self.flow.step()
        if step is None:
            self.step_label.setText("")
        elif step[1] is None:
            self.step_label.setText(self.t.tr("Step {n}", n=step[0]))
        else:
            self.step_label.setText(self.t.tr("Step {n} of {total}", n=step[0], total=step[1]))

    def _show_known(self) -> None:
        """What support already knows, offered from any page before the review."""
        known = len(self.flow.incidents()) + len(self.flow.open_tickets())
        self.known_button.setText(self.t.ntr(
            "{n} known problem or open ticket", "{n} known problems or open tickets", n=known))
        self.known_button.setVisible(
            bool(known) and self.flow.page in ("category", "questions", "screenshots"))

    def set_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(f"color: {error_colour(self)}" if text else "")
        self.message.setVisible(bool(text))

    # --- FlowView ------------------------------------------------------------------------------

    def flow_changed(self, what: str) -> None:
        if what == "page":
            self._show_page()
            return
        if what == "incidents":
            self._show_known()
            self._show_step()  # known problems put their page first, or a path was chosen
        self.current_page().refresh(what)
        if what in ("answers", "category", "evidence") and self.message.isVisible():
            # The reason shown may be gone now; say the current one, if any.
            self.set_message(self.flow.can_leave() if self.flow.page == "questions" else "")
        if what == "error":
            self.set_message(self.flow.error)

    # --- navigation ----------------------------------------------------------------------------

    def go_next(self) -> None:
        if self.flow.page == "sent":
            self.close()
            return
        if self.flow.page == "review":
            self._send()
            return
        reason = self.flow.next()
        if not reason and self.flow.page == "diagnostics":
            # The page asks nothing: what the machine found is on the review page (which
            # fills it in when it is ready), and Back leads here to leave a part out.
            reason = self.flow.next()
        if reason:
            self.set_message(reason)
            if self.flow.page == "questions":
                from app.ui.page_questions import QuestionsPage

                page = self.current_page()
                assert isinstance(page, QuestionsPage)
                target = page.first_blocked()
                if target is not None:
                    target.setFocus(Qt.FocusReason.OtherFocusReason)

    def go_back(self) -> None:
        if not self._sending:
            self.flow.back()

    def _send(self) -> None:
        """Send is the consent: what the person sees here is what goes. The bundle is written
        and handed to the outbox on a worker thread; the window stays responsive."""
        if self._sending:
            return
        self.flow.set_reviewed(True)
        from app.ui.page_review import ReviewPage

        page = self.current_page()
        job = self.flow.begin_submit(page.bundle if isinstance(page, ReviewPage) else None)
        if isinstance(job, str):
            self.set_message(job)
            return
        self._sending = True
        self.next_button.setEnabled(False)
        self.back_button.setEnabled(False)
        self.progress.show()
        self.set_message(self.t.tr("Sending your report…"))
        threading.Thread(target=lambda: self._sent.emit(job()), name="flare-send",
                         daemon=True).start()

    def _send_done(self, outcome: object) -> None:
        self._sending = False
        self.progress.hide()
        self.next_button.setEnabled(True)
        self.back_button.setEnabled(True)
        reason = self.flow.end_submit(outcome)  # type: ignore[arg-type]
        if reason:
            self.set_message(reason)
        if self._close_when_sent:
            self.close()

    def _post(self, fn: Callable[[], None]) -> None:
        with contextlib.suppress(RuntimeError):  # the window is gone: nobody to tell
            self._posted.emit(fn)

    def _watch_diagnostics(self) -> None:
        if not self._watching_diagnostics:
            self._watching_diagnostics = True
            self.flow.when_diagnostics_done(self._say_diagnostics_ready)

    def _say_diagnostics_ready(self) -> None:
        with contextlib.suppress(RuntimeError):  # the window is gone: nobody to tell
            self._diagnostics_ready.emit()

    def _diagnostics_arrived(self) -> None:
        self.flow.diagnostics()
        if self.flow.page in ("diagnostics", "review"):
            self.current_page().refresh("diagnostics_ready")

    # --- capture -------------------------------------------------------------------------------

    def take_screenshot(self, kind: str = "screen") -> bool:
        """Hide this window, capture the screen (or the region or window the person picks),
        show it again; True if a screenshot was added."""
        self.hide()
        loop = QEventLoop()
        QTimer.singleShot(HIDE_BEFORE_CAPTURE_MS, loop.quit)
        loop.exec()
        try:
            if kind == "screen":
                self.flow.capture()
            else:
                from app.ui.pick_capture import pick_frame

                frame = pick_frame(self.flow.ctx, self.t, "region" if kind == "region"
                                   else "window")
                if frame is not None:
                    self.flow.add_frame(frame)
        except FlareError as exc:
            self._show_again()
            QMessageBox.warning(self, self.t.tr("Screenshot"), exc.message)
            return False
        except Exception as exc:  # capture's own errors carry a user hint in their text
            self._show_again()
            QMessageBox.warning(self, self.t.tr("Screenshot"),
                                self.t.tr("The screenshot failed: {error}", error=str(exc)))
            return False
        self._show_again()
        return True

    def _show_again(self) -> None:
        bring_to_front(self)

    # --- closing -------------------------------------------------------------------------------

    def reject(self) -> None:  # Esc
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._sending:
            # The report is being written and queued: closing now would keep a draft of a
            # report that is also on its way. The window goes; it closes when the send ends.
            self._close_when_sent = True
            self.hide()
            event.ignore()
            return
        self._autosave.stop()
        if self.flow.page != "sent":
            if self.flow.has_content():
                self.flow.save_draft()
            else:
                self.flow.discard_draft()  # nothing to come back to
        self.flow.view = None
        self.finished_report.emit()
        super().closeEvent(event)
