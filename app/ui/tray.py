"""The tray icon and its menu, and the delivery schedule the running tray keeps."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from app.i18n import Translator
from app.ui.qtapp import app_icon

if TYPE_CHECKING:
    from pathlib import Path

    from PySide6.QtWidgets import QDialog

# Even with nothing due, look at the outbox this often: a report queued by another Flare
# process (`flare outbox send`) is sent by the tray too.
IDLE_CHECK_MS = 10 * 60 * 1000
MAX_MENU_ITEMS = 8


@dataclass(frozen=True)
class TrayActions:
    report: Callable[[], object]
    capture_step: Callable[[], None]
    toggle_recording: Callable[[], None]
    my_reports: Callable[[], None]
    settings: Callable[[], None]
    quit: Callable[[], None] | None  # None when policy hides Quit
    capture_enabled: bool = True
    capture_region: Callable[[], None] | None = None
    capture_window: Callable[[], None] | None = None


class Tray(QObject):
    def __init__(self, t: Translator, app_name: str, actions: TrayActions,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.t = t
        self.app_name = app_name
        self.icon = QSystemTrayIcon(app_icon(), self)
        self.icon.setToolTip(app_name)
        self.menu = QMenu()
        self.menu.setObjectName("tray-menu")
        self.report_action = self._add(t.tr("Report a problem…"), actions.report)
        self.capture_action = self._add(t.tr("Capture step"), actions.capture_step)
        self.record_action = self._add(t.tr("Start recording"), actions.toggle_recording)
        picks = [self._add(text, slot) for text, slot in (
            (t.tr("Screenshot of a region…"), actions.capture_region),
            (t.tr("Screenshot of a window…"), actions.capture_window)) if slot is not None]
        for a in (self.capture_action, self.record_action, *picks):
            a.setEnabled(actions.capture_enabled)
        # Why the desktop-wide shortcuts are off (Wayland), said once, as a statement.
        self.shortcuts_note = QAction("", self.menu)
        self.shortcuts_note.setEnabled(False)
        self.shortcuts_note.setVisible(False)
        self.menu.addAction(self.shortcuts_note)
        self.menu.addSeparator()
        self.reports_action = self._add(t.tr("My reports"), actions.my_reports)
        self.queue_menu = QMenu(self.menu)
        self.queue_menu.setObjectName("tray-queue")
        self.queue_action = self.menu.addMenu(self.queue_menu)
        self.queue_action.setVisible(False)
        # The known problems the person joined, each with its latest update (set_incidents).
        self.incidents_menu = QMenu(self.menu)
        self.incidents_menu.setObjectName("tray-incidents")
        self.incidents_action = self.menu.addMenu(self.incidents_menu)
        self.incidents_action.setVisible(False)
        self._idle_tip = app_name
        # Shown while instant replay keeps the screen in memory: the person always knows.
        self._replay_note = ""
        self.replay_action = QAction(t.tr("Instant replay is keeping the last minute"),
                                     self.menu)
        self.replay_action.setEnabled(False)  # a statement, not a command
        self.replay_action.setVisible(False)
        self.menu.insertAction(self.menu.actions()[0], self.replay_action)
        self.settings_action = self._add(t.tr("Settings"), actions.settings)
        self.quit_action: QAction | None = None
        if actions.quit is not None:
            self.menu.addSeparator()
            self.quit_action = self._add(t.tr("Quit"), actions.quit)
        self.icon.setContextMenu(self.menu)
        self.icon.activated.connect(self._activated)
        self._report = actions.report
        self._on_message_click: Callable[[], object] | None = None
        self.icon.messageClicked.connect(self._message_clicked)

    def _add(self, text: str, slot: Callable[[], object]) -> QAction:
        action = self.menu.addAction(text)
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (QSystemTrayIcon.ActivationReason.Trigger,
                      QSystemTrayIcon.ActivationReason.DoubleClick):
            self._report()

    def set_recording(self, recording: bool, steps: int = 0) -> None:
        self.record_action.setText(
            self.t.tr("Stop recording") if recording else self.t.tr("Start recording")
        )
        self.icon.setIcon(app_icon("flare-recording" if recording else "flare"))
        self.icon.setToolTip(self._with_replay(
            self.t.ntr("{app}: recording, {n} step", "{app}: recording, {n} steps",
                       app=self.app_name, n=steps)
            if recording else self._idle_tip
        ))

    def set_replay(self, on: bool) -> None:
        self._replay_note = self.t.tr("Instant replay is keeping the last minute") if on else ""
        self.replay_action.setVisible(on)
        if self.record_action.text() != self.t.tr("Stop recording"):
            self.icon.setToolTip(self._with_replay(self._idle_tip))

    def _with_replay(self, tip: str) -> str:
        return f"{tip}\n{self._replay_note}" if self._replay_note else tip

    def show_shortcut(self, action: QAction, keys: str) -> None:
        """Show a grabbed desktop-wide combination beside its entry (Qt's shortcut column)."""
        action.setText(action.text().split("\t")[0] + (f"\t{keys}" if keys else ""))

    def set_shortcuts_note(self, short: str, why: str) -> None:
        """Show ``short`` in the menu (its tooltip: ``why``); empty hides it."""
        self.shortcuts_note.setText(short)
        self.shortcuts_note.setToolTip(why)
        self.shortcuts_note.setVisible(bool(short))
        self.menu.setToolTipsVisible(bool(short))

    def set_queue(self, lines: list[str]) -> None:
        """Show what waits to be sent, one "title: why" line per report (none: hidden)."""
        self.queue_menu.clear()
        self.queue_action.setVisible(bool(lines))
        if not lines:
            self._idle_tip = self.app_name
        else:
            self.queue_menu.setTitle(self.t.tr("Waiting to be sent ({n})", n=len(lines)))
            for line in lines[:MAX_MENU_ITEMS]:
                self.queue_menu.addAction(line).setEnabled(False)
            if len(lines) > MAX_MENU_ITEMS:
                more = self.t.tr("… and {n} more", n=len(lines) - MAX_MENU_ITEMS)
                self.queue_menu.addAction(more).setEnabled(False)
            self._idle_tip = "\n".join([
                self.t.tr("{app}: waiting to be sent: {n}", app=self.app_name,
                          n=len(lines)),
                *lines[:3],
            ])
        if self.record_action.text() != self.t.tr("Stop recording"):
            self.icon.setToolTip(self._with_replay(self._idle_tip))

    def set_incidents(self, entries: list[tuple[str, Callable[[], None]]]) -> None:
        """The joined known problems, one "title · time: latest update" line each; choosing
        one calls its function (which shows its updates). None: the submenu is hidden."""
        self.incidents_menu.clear()
        self.incidents_action.setVisible(bool(entries))
        self.incidents_menu.setTitle(self.t.tr("Known problems ({n})", n=len(entries)))
        for line, show in entries[:MAX_MENU_ITEMS]:
            action = self.incidents_menu.addAction(line)
            action.triggered.connect(lambda _checked=False, f=show: f())

    def show(self) -> None:
        self.icon.show()

    def hide(self) -> None:
        self.icon.hide()

    def notify(self, title: str, text: str) -> None:
        self._on_message_click = None
        self.icon.showMessage(title, text, app_icon(), 8000)

    def offer(self, title: str, text: str, on_click: Callable[[], object]) -> None:
        """A notification that does something when clicked (a crash report offer); never a
        dialog that takes the focus."""
        self._on_message_click = on_click
        self.icon.showMessage(title, text, app_icon(), 20000)

    def _message_clicked(self) -> None:
        action, self._on_message_click = self._on_message_click, None
        if action is not None:
            action()


class DeliveryScheduler(QObject):
    """Keeps the outbox moving while the tray runs: sends what is due when the outbox says it
    is due (``Outbox.next_due``), reads ticket states every ``poll_ms`` (0 = never).

    ``work(send, poll)`` does one round and returns what it found (a
    ``app.helpdesk.courier.DeliveryRound``); it always runs in a worker thread, one round at a
    time, never on the UI thread. ``round_done`` carries its result back to the UI thread.
    """

    round_done = Signal(object)
    round_failed = Signal(str)
    _finished = Signal(object, str)

    def __init__(self, work: Callable[[bool, bool], Any], *, poll_ms: int,
                 clock: Callable[[], datetime], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._work = work
        self._clock = clock
        self._thread: threading.Thread | None = None
        self._pending: tuple[bool, bool] | None = None
        self._stopped = False
        self.due_timer = QTimer(self)
        self.due_timer.setSingleShot(True)
        self.due_timer.timeout.connect(lambda: self.kick(send=True))
        self.poll_timer = QTimer(self)
        self.poll_timer.setInterval(max(poll_ms, 1))
        self.poll_timer.timeout.connect(lambda: self.kick(send=False, poll=True))
        self._poll_ms = poll_ms
        self._finished.connect(self._done)

    def start(self) -> None:
        """Send what waits from earlier runs (and what a crash left half sent) right away."""
        self._stopped = False
        if self._poll_ms > 0:
            self.poll_timer.start()
        self.kick(send=True, poll=self._poll_ms > 0)

    def busy(self) -> bool:
        return self._thread is not None

    def kick(self, *, send: bool = True, poll: bool = False) -> None:
        """Run a round now, or right after the one that is running."""
        if self._stopped:
            return
        if self._thread is not None:
            old = self._pending or (False, False)
            self._pending = (old[0] or send, old[1] or poll)
            return
        self._thread = threading.Thread(target=self._run, args=(send, poll),
                                        name="flare-outbox", daemon=True)
        self._thread.start()

    def _run(self, send: bool, poll: bool) -> None:
        try:
            result = self._work(send, poll)
        except Exception as exc:  # the next round tries again; the outbox keeps everything
            self._finished.emit(None, str(exc) or type(exc).__name__)
            return
        self._finished.emit(result, "")

    def _done(self, result: Any, error: str) -> None:
        if self._thread is not None:
            self._thread.join()
        self._thread = None
        if self._stopped:
            return
        if error:
            self.round_failed.emit(error)
            self._arm(None)
        else:
            self.round_done.emit(result)
            self._arm(None if result is None else result.next_due)
        if self._pending is not None:
            send, poll = self._pending
            self._pending = None
            self.kick(send=send, poll=poll)

    def _arm(self, next_due: float | None) -> None:
        if next_due is None:
            wait_ms = IDLE_CHECK_MS
        else:
            wait_ms = int((next_due - self._clock().timestamp()) * 1000)
            wait_ms = min(max(wait_ms, 0), IDLE_CHECK_MS)
        self.due_timer.start(wait_ms)

    def stop(self, wait_s: float = 3.0) -> None:
        """Stop the timers; give a send in progress ``wait_s`` to finish. One still running
        then is safe: its outbox lease expires and the next start resumes it."""
        self._stopped = True
        self.due_timer.stop()
        self.poll_timer.stop()
        thread = self._thread
        if thread is not None:
            thread.join(wait_s)


def joined_problem_entries(t: Translator, state_dir: Path, now: datetime,
                           show: Callable[[QDialog], None]) -> list[tuple[str, Callable[[], None]]]:
    """The tray's lines for the known problems the person joined (see app.ui.known_problems),
    whose module and dialogs load only once there is one: the idle tray asks after every
    delivery round, and most days nobody has joined any."""
    from app.helpdesk.incident_follow import following

    if not following(state_dir):
        return []
    from app.ui.known_problems import tray_entries

    return tray_entries(t, state_dir, now, show)
