"""The Flare desktop app: tray icon, report window, "My reports", settings, one instance.

``flare`` (no subcommand) runs :func:`run_tray_app`; ``flare report`` runs
:func:`run_report_app`, which opens the report window and exits when it closes. When the
desktop has no tray (GNOME without the AppIndicator extension) ``flare`` opens the report
window directly and says how to get the icon.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import sys
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QMessageBox, QSystemTrayIcon, QWidget

from app.context import AppContext
from app.daemon_threads import HEAVY_IMPORTS, Pending, start_daemon
from app.errors import FlareError
from app.i18n import Translator
from app.ui.anytime import Anytime
from app.ui.qtapp import bring_to_front, check_display, language_of, make_app
from app.ui.report_prep import (
    AFTER_PAINT_AT_MOST_MS,
    IN_FRONT_WAIT_S,
    MENU_READ_FRESH_S,
    LaterRun,
    prepare_judge,
    program_in_front,
    read_in_front,
)
from app.ui.single_instance import InstanceServer, ask_running, server_name
from app.ui.tray import DeliveryScheduler, Tray, TrayActions, joined_problem_entries

log = logging.getLogger(__name__)

# The report machinery (models, form engine, pages) is imported on first use: the idle tray
# app stays small, and warm_up() loads it while the user is still looking at the menu.
# The outbox (sqlite3) and "My reports" load behind the icon, with the first delivery round.
if TYPE_CHECKING:
    from app.flow import FlowDeps, ReportFlow
    from app.flow.replay import InstantReplay
    from app.helpdesk.courier import Courier, DeliveryRound
    from app.helpdesk.drainer import DrainerLease
    from app.helpdesk.outbox_reports import Waiting
    from app.report_status import ReportStatusSource
    from app.ui.report_window import ReportWindow
    from app.wiring import StepGrabber

DepsFactory = Callable[[AppContext], "FlowDeps"]


def no_tray_hint(t: Translator) -> str:
    return t.tr(
        "Your desktop shows no tray icons, so Flare opened its window directly. On GNOME, "
        "install and turn on the \"AppIndicator and KStatusNotifierItem Support\" extension "
        "to get the Flare icon."
    )


class FlareApp(QObject):
    """Everything the running app has: at most one report window, the tray, the dialogs."""

    # A function from a worker thread, to be run on the GUI thread (queued by Qt).
    _post = Signal(object)

    def __init__(
        self,
        ctx: AppContext,
        *,
        deps_factory: DepsFactory | None = None,
        status_source: ReportStatusSource | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.language = language_of(ctx)
        self.t = Translator(self.language)
        self.app_name = str(ctx.settings.get("general.app_name") or "Flare")
        self.deps_factory = deps_factory
        self.status_source = status_source
        self.window: ReportWindow | None = None
        self.flow: ReportFlow | None = None
        self.tray: Tray | None = None
        self.recording = False
        self.toolbar: QWidget | None = None
        self._hotkey: Any = None
        self._grabber: StepGrabber | None = None
        self.notice = ""
        self.quit_on_close = False
        self.queue_lines: list[str] = []
        self.dialogs: list[QObject] = []
        self.replay: InstantReplay | None = None
        self.delivery: DeliveryScheduler | None = None
        self._courier: Courier | None = None
        self._lease: DrainerLease | None = None
        self._later: LaterRun | None = None
        self._in_front: Pending[str] | None = None
        self._in_front_began = 0.0
        # The program in front, read when the tray menu opens (the menu takes no focus):
        # by the time "Report a problem" is chosen the answer is there, nothing to wait for.
        self._menu_in_front: tuple[Pending[str], float] | None = None
        self._menu_closed_at = 0.0
        self._judge_started: ReportWindow | None = None
        self._menu_deps: FlowDeps | None = None
        # A bound slot, not a lambda: Qt then queues the call to this object's (the GUI)
        # thread; a lambda would run in the emitting worker thread.
        self._post.connect(self._run_posted)
        self.anytime = Anytime(self, self)

    def _run_posted(self, fn: Callable[[], None]) -> None:
        fn()

    # --- tray ----------------------------------------------------------------------------------

    def start_tray(self) -> bool:
        """Show the tray icon; False when this desktop has no tray."""
        if not QSystemTrayIcon.isSystemTrayAvailable():
            return False
        allow_quit = bool(self.ctx.settings.get("general.allow_quit"))
        self.tray = Tray(
            self.t,
            self.app_name,
            TrayActions(
                report=self.open_report,
                capture_step=self.capture_step,
                toggle_recording=self.toggle_recording,
                my_reports=self.show_my_reports,
                settings=self.show_settings,
                quit=self.quit if allow_quit else None,
                capture_enabled=bool(self.ctx.settings.get("capture.enabled")),
                capture_region=self.anytime.capture_region,
                capture_window=self.anytime.capture_window,
            ),
            self,
        )
        self.tray.menu.aboutToShow.connect(lambda: QTimer.singleShot(0, self.warm_up))
        # The menu is Flare's own too: the instant replay does not record it.
        self.tray.menu.aboutToShow.connect(lambda: self._pause_replay(True))
        self.tray.menu.aboutToHide.connect(lambda: self._pause_replay(self.window is not None))
        self.tray.menu.aboutToHide.connect(self._menu_closed)
        self.tray.show()
        QTimer.singleShot(0, self._start_watchers)  # crash watch, Xlib shortcuts: after the icon
        return True

    def _start_watchers(self) -> None:
        from app.ui.crash_watch import watch_crashes  # crashes noticed: offered in the tray
        self.crash_watch = watch_crashes(self)
        self.anytime.start_shortcuts()  # at any time, not only while recording

    def start_replay(self) -> None:
        """Keep the last minute of the screen in memory, where policy and the user allow it."""
        settings = self.ctx.settings
        if not (settings.get("capture.enabled") and settings.get("capture.replay_enabled")):
            return
        from app.flow.replay import InstantReplay

        try:
            self.replay = InstantReplay(self.ctx)
        except Exception as exc:  # no screen source: the report works without replay
            print(f"flare: instant replay is off: {exc}", file=sys.stderr)
            return
        self.replay.start()
        if self.tray is not None:
            self.tray.set_replay(True)

    def _pause_replay(self, paused: bool) -> None:
        if self.replay is not None:
            self.replay.pause(paused)

    def pick_replay(self) -> None:
        """Let the user choose replay frames for the open report."""
        from app.ui.replay_picker import ReplayPicker

        if self.replay is None or self.window is None:
            return
        picker = ReplayPicker(self.replay.snapshot(), self.t, self.window)
        if picker.exec() == ReplayPicker.DialogCode.Accepted:
            self.window.flow.add_replay(picker.snapshot, picker.chosen())
        picker.deleteLater()

    def _menu_closed(self) -> None:
        self._menu_closed_at = time.monotonic()

    def _prepared_deps(self) -> FlowDeps | None:
        """The flow's parts made as the tray menu opened, if it has just closed."""
        deps, self._menu_deps = self._menu_deps, None
        fresh = time.monotonic() - self._menu_closed_at < MENU_READ_FRESH_S
        return deps if fresh else None

    def _read_in_front(self) -> tuple[Pending[str], float]:
        """The read of the program in front begun as the tray menu opened, if the menu has
        just closed (its entry chosen); else one made now (:func:`read_in_front`)."""
        ready, self._menu_in_front = self._menu_in_front, None
        if ready is not None and time.monotonic() - self._menu_closed_at < MENU_READ_FRESH_S:
            return ready
        return read_in_front(program_in_front)

    def warm_up(self) -> None:
        """Load the report window's code and the form, so "Report a problem" opens at once."""
        if self.window is None and (self.flow is None or self.flow.page == "sent"):
            self._menu_in_front = (start_daemon(program_in_front, name="flare-in-front"),
                                   time.monotonic())
        with HEAVY_IMPORTS:
            from app.ui.report_window import load_pages
            from app.wiring import flow_deps
            load_pages()

        # What reads the program in front at the click (python-xlib, psutil): loaded now.
        with contextlib.suppress(ImportError):
            import psutil  # noqa: F401
            import Xlib.display  # noqa: F401

            import capture.window_title  # noqa: F401

        if self.flow is None or self.flow.page == "sent":
            factory = self.deps_factory or flow_deps
            with contextlib.suppress(FlareError):  # shown when the user opens the window
                deps = factory(self.ctx)
                if deps.prepare_form_state is not None:
                    deps.prepare_form_state(self.language)
                else:
                    deps.form_state(self.language)
                self._menu_deps = deps

    # --- delivery ------------------------------------------------------------------------------

    def start_delivery(self, work: Callable[[bool, bool], Any] | None = None) -> None:
        """Keep the outbox moving while the app runs: send what is due, follow ticket states
        (destination.poll_minutes), notify, and show in the tray what waits and why."""
        poll_minutes = float(self.ctx.settings.get("destination.poll_minutes") or 0)
        self.delivery = DeliveryScheduler(work or self._delivery_round,
                                          poll_ms=int(poll_minutes * 60_000),
                                          clock=self.ctx.clock, parent=self)
        self.delivery.round_done.connect(self._delivery_done)
        self.delivery.start()

    def _delivery_round(self, send: bool, poll: bool) -> DeliveryRound | None:
        """One round, in the scheduler's worker thread (the delivery layer loads here, not
        when the idle tray starts). None when the outbox holds nothing to send or follow."""
        from app.helpdesk.drainer import DrainerLease

        if self._lease is None:
            self._lease = DrainerLease(self.ctx.dirs.state,
                                       "tray" if self.tray is not None else "window")
        if not self._lease.acquire():
            return None  # another Flare process (an agent) delivers: one client per laptop
        if self._courier is None and not self._outbox_has_work(poll):
            # An idle tray with an empty outbox loads no delivery layer (~30 MB).
            return None
        with HEAVY_IMPORTS:
            from app.helpdesk.courier import Courier
            from app.wiring import find_personal_data

        if self._courier is None:
            self._courier = Courier(self.ctx, finder=find_personal_data)
        return self._courier.run(send=send, poll=poll)

    def _outbox_has_work(self, poll: bool) -> bool:
        from app.helpdesk.outbox import Outbox

        with Outbox(self.ctx.dirs.state, self.ctx.clock) as box:
            states: tuple[str, ...] = ("queued", "sending", "sent") if poll else (
                "queued", "sending")
            if box.items(states):
                return True
        from app.helpdesk.incident_follow import following

        # Known incidents the person joined are followed too (their updates, their end).
        return poll and following(self.ctx.dirs.state)

    def _delivery_done(self, result: DeliveryRound | None) -> None:
        if self.tray is not None:  # the joined problems, as the follower last saw them
            self.tray.set_incidents(joined_problem_entries(
                self.t, self.ctx.dirs.state, self.ctx.clock().astimezone(), self._show))
        if result is None:
            self.queue_lines = []
            if self.tray is not None:
                self.tray.set_queue(self.queue_lines)
            return
        from app.helpdesk.courier import round_messages

        for summary, body in round_messages(self.t, result):
            self.notify(summary, body)
        for dialog in self.dialogs:  # an open "My reports" shows the new replies and states
            reload = getattr(dialog, "reload_keeping_answer", None)
            if reload is not None:
                reload()
        self.queue_lines = [self.waiting_line(w) for w in result.waiting]
        if self.tray is not None:
            self.tray.set_queue(self.queue_lines)

    def waiting_line(self, w: Waiting) -> str:
        """"title: why" for the tray, in the user's language."""
        title = w.title or self.t.tr("(no subject)")
        from app.helpdesk.outbox_reports import why_text

        return f"{title}: {why_text(self.t, w.state, w.attempts, w.retry_in_s, w.error)}"

    def _follow_send(self, flow: ReportFlow) -> None:
        """The window closed while its report was still being sent: say how it ended, when the
        flow hears it (on this thread, through the posted signal; nothing polls)."""

        def ended() -> None:
            self.notify(self.t.tr("Report sent"), flow.sent_message())
            if self.delivery is not None:
                self.delivery.kick(send=False)

        flow.when_sent(ended)

    def notify(self, title: str, text: str) -> None:
        """A desktop notification through the tray (nothing when there is no tray)."""
        if self.tray is not None:
            self.tray.notify(title, text)

    # --- report window -------------------------------------------------------------------------

    def _ensure_flow(self, *, window_follows: bool = False) -> ReportFlow:
        """The report in progress, or a new one. With ``window_follows`` the program in
        front is taken once the window is built (:meth:`_prefill_in_front`)."""
        with HEAVY_IMPORTS:
            from app.flow import ReportFlow
            from app.wiring import flow_deps

        if self.flow is None or self.flow.page == "sent":
            factory = self.deps_factory or flow_deps
            # Which program is in front is read while the window is being built, and
            # waited for before it shows (then Flare's own window would be in front).
            in_front, began = self._read_in_front()
            deps = self._prepared_deps() or factory(self.ctx)
            if deps.start_diagnostics is not None:
                later = self._later = LaterRun(deps.start_diagnostics)
                deps = dataclasses.replace(deps, start_diagnostics=lambda: later)
            self.flow = ReportFlow(self.ctx, deps, language=self.language)
            self.flow.start(post=self._post.emit)
            self._in_front = in_front
            self._in_front_began = began
            if not window_follows:
                self._prefill_in_front()
        return self.flow

    def _prefill_in_front(self) -> None:
        if self._in_front is None or self.flow is None:
            return
        left = IN_FRONT_WAIT_S + 0.05 - (time.monotonic() - self._in_front_began)
        self.flow.prefill("function", self._in_front.result(left) or "")
        self._in_front = None

    def open_report(self) -> ReportWindow | None:
        """Show the report window (a new report, or the draft in progress)."""
        with HEAVY_IMPORTS:
            from app.ui.report_window import ReportWindow

        if self.window is None:
            try:
                flow = self._ensure_flow(window_follows=True)
            except FlareError as exc:
                QMessageBox.critical(None, self.app_name, exc.message)
                if self.quit_on_close:
                    QTimer.singleShot(0, self.quit)
                return None
            self.window = ReportWindow(
                flow, replay=self.pick_replay if self.replay is not None else None
            )
            self._prefill_in_front()
            self.window.finished_report.connect(self._window_closed)
            self._pause_replay(True)  # Flare's own window is no evidence
            if self.notice:
                self.window.set_message(self.notice)
            # Once the window is painted: diagnostics start, and the answer judge's
            # dictionaries load while the person picks the category, not at the first
            # letter. Begun before the first paint, their threads took the interpreter from
            # the window for a third of its time on the screen.
            self.window.first_painted.connect(self._after_window_painted)
            QTimer.singleShot(AFTER_PAINT_AT_MOST_MS, self._after_window_painted)
        else:
            self._after_window_painted()
        bring_to_front(self.window)
        return self.window

    def _after_window_painted(self) -> None:
        if self.window is None or self._judge_started is self.window:
            return
        self._judge_started = self.window
        if self._later is not None:
            self._later.begin()
        threading.Thread(target=prepare_judge, name="flare-judge", daemon=True).start()

    def _window_closed(self) -> None:
        self._pause_replay(False)
        flow = self.flow
        if flow is not None and flow.page == "sent" and flow.result is not None:
            if flow.result.state == "sending":
                self._follow_send(flow)
            else:
                self.notify(self.t.tr("Report sent"), flow.sent_message())
            if self.delivery is not None:  # queued: the tray shows it and when it is due
                self.delivery.kick(send=False)
        if self.window is not None:
            self.window.deleteLater()
        self.window = None
        if flow is not None and flow.page == "sent":
            self.flow = None
            from app.form.rules import release

            release()  # the idle tray gives the dictionaries' memory back
        if self.quit_on_close:
            QTimer.singleShot(0, self.quit)

    def capture_step(self) -> None:
        """A screenshot into the current report, from the tray (the window stays closed)."""
        capture = getattr(self.toolbar, "capture_step", None)
        if capture is not None:
            capture()
            return
        if self.window is not None and self.window.isVisible():
            self.window.take_screenshot()
            return
        flow = self._ensure_flow()
        try:
            ev = flow.capture()
        except Exception as exc:  # capture's errors carry their own hint
            self.notify(self.t.tr("Screenshot"), self.t.tr("The screenshot failed: {error}",
                                                           error=str(exc)))
            return
        if self.recording:
            ev.step = ev.step.model_copy(update={"source": "step"})
        flow.save_draft()
        if self.tray is not None:
            self.tray.set_recording(self.recording, len(flow.evidence))
        self.notify(self.t.tr("Screenshot"),
                    self.t.tr("Step {n} added to your report.", n=len(flow.evidence)))

    def toggle_recording(self) -> None:
        """Start the step recorder's toolbar, or stop it and show the steps in the report."""
        if self.toolbar is not None:
            stop = getattr(self.toolbar, "stop", None)
            if stop is not None:
                stop()
            return
        try:
            from app.ui.capture_toolbar import CaptureToolbar
            from app.wiring import StepGrabber
            from capture.recorder import StepRecorder
        except ImportError:  # a build without the toolbar: tray "Capture step" takes steps
            self._toggle_plain_recording()
            return
        try:
            self._grabber = StepGrabber(self.ctx)
        except Exception as exc:  # capture's errors say what to do
            self.notify(self.t.tr("Screenshot"),
                        self.t.tr("The screenshot failed: {error}", error=str(exc)))
            return
        # capture.step_limit holds for the whole report, steps taken before included.
        already = len(self.flow.evidence) if self.flow is not None else 0
        recorder = StepRecorder(self._grabber, step_limit=max(
            1, int(self.ctx.settings.get("capture.step_limit")) - already))
        toolbar = CaptureToolbar(
            recorder, self.t, already=already, clock=self.ctx.clock,
            click_capture=bool(self.ctx.settings.get("capture.click_capture")))
        toolbar.stopped.connect(lambda _steps: self._recording_stopped(recorder))
        toolbar.step_captured.connect(self._step_recorded)
        self.toolbar = toolbar
        self.recording = True
        if self.window is not None:
            self.window.hide()
        if self.tray is not None:
            self.tray.set_recording(True, 0)
        toolbar.start()
        self._hotkey = self._start_hotkey(toolbar)

    def _start_hotkey(self, toolbar: Any) -> Any:
        """The desktop-wide "Capture step" shortcut, where the platform allows one."""
        combination = str(self.ctx.settings.get("capture.hotkey") or "").strip()
        if not combination:
            return None
        from capture.errors import CaptureError
        from capture.hotkey import GlobalHotkey, hotkey_support
        from capture.platform_info import PlatformInfo

        platform = PlatformInfo.detect()
        supported, why = hotkey_support(platform)
        if not supported:
            log.info("no global capture shortcut: %s", why)
            return None
        try:
            # request_capture is safe to call from pynput's thread.
            hotkey = GlobalHotkey(toolbar.request_capture, platform, combination=combination)
            hotkey.start()
        except CaptureError as exc:
            log.warning("global capture shortcut not available: %s", exc.message)
            self.notify(self.t.tr("Screenshot"), exc.message)
            return None
        return hotkey

    def _step_recorded(self, count: int) -> None:
        if self.tray is not None:
            self.tray.set_recording(True, count)

    def _recording_stopped(self, recorder: object) -> None:
        if self._hotkey is not None:
            self._hotkey.stop()
            self._hotkey = None
        flow = self._ensure_flow()
        flow.add_recorded(recorder)
        error = getattr(self.toolbar, "error_text", None)
        if error is not None:  # read from the screen at Stop: offered, for the person to check
            flow.prefill("error_seen", True)
            flow.prefill("error_text", error.text)
        flow.save_draft()
        if self._grabber is not None:
            self._grabber.close()
            self._grabber = None
        if self.toolbar is not None:
            self.toolbar.deleteLater()
        self.toolbar = None
        self.recording = False
        if self.tray is not None:
            self.tray.set_recording(False)
        window = self.open_report()
        flow.go(flow.page_after_recording())
        if window is not None:
            bring_to_front(window)

    def _toggle_plain_recording(self) -> None:
        self.recording = not self.recording
        flow = self._ensure_flow()
        if self.tray is not None:
            self.tray.set_recording(self.recording, len(flow.evidence))
        if not self.recording:
            self.open_report()
            flow.go(flow.page_after_recording())

    # --- dialogs -------------------------------------------------------------------------------

    def my_reports_source(self) -> ReportStatusSource:
        """What the user sent, from the outbox (every destination goes through it)."""
        from app.helpdesk.outbox import Outbox
        from app.helpdesk.outbox_reports import OutboxReports

        return self.status_source or OutboxReports(
            lambda: Outbox(self.ctx.dirs.state, self.ctx.clock), self.t)

    def show_my_reports(self) -> None:
        from app.ui.my_reports import MyReportsWindow

        dialog = MyReportsWindow(self.my_reports_source(), self.t,
                                 on_answer=self._answer_queued)
        self._keep(dialog)
        dialog.show()

    def _answer_queued(self) -> None:
        """An answer from "My reports" is in the outbox: send it now, not at the next timer."""
        if self.delivery is not None:
            self.delivery.kick(send=True)

    def show_settings(self) -> None:
        from app.ui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.ctx, self.t)
        replay_before = bool(self.ctx.settings.get("capture.replay_enabled"))
        dialog.accepted.connect(lambda: self._settings_saved(replay_before))
        self._keep(dialog)
        dialog.show()

    def _settings_saved(self, replay_before: bool) -> None:
        """Changes take effect at once where they can, and say so where they cannot."""
        replay_now = bool(self.ctx.settings.get("capture.replay_enabled"))
        self.anytime.restart()
        if replay_now and not replay_before and self.replay is None:
            self.start_replay()
        elif replay_before and not replay_now and self.replay is not None:
            self.replay.stop()  # forgets what it held, too
            self.replay = None
            if self.tray is not None:
                self.tray.set_replay(False)
        if language_of(self.ctx) != self.language:
            QMessageBox.information(None, self.app_name, self.t.tr(
                "Flare speaks the new language from its next start: quit Flare from its menu "
                "and start it again, or log out and back in."))

    def _show(self, dialog: QWidget) -> None:
        self._keep(dialog)
        bring_to_front(dialog)

    def _keep(self, dialog: QObject) -> None:
        self.dialogs.append(dialog)
        dialog.destroyed.connect(lambda *_: self.dialogs.remove(dialog)
                                 if dialog in self.dialogs else None)

    # --- instance commands ---------------------------------------------------------------------

    def handle_command(self, command: str) -> None:
        if command in ("show", "report"):
            self.open_report()

    def quit(self) -> None:
        # Nothing is lost: the outbox is on disk. A send in progress gets a moment to finish;
        # one cut short is resumed (and not duplicated) at the next start.
        if self.delivery is not None:
            self.delivery.stop()
        if self._lease is not None:
            self._lease.release()  # a waiting agent takes over at once, not at the expiry
        if self.replay is not None:
            self.replay.stop()
        self.anytime.stop()
        if self.window is not None:
            self.window.close()
        if self.tray is not None:
            self.tray.hide()
        app = QApplication.instance()
        if app is not None:
            app.quit()


def _start(ctx: AppContext, command: str) -> tuple[QApplication, FlareApp, InstanceServer] | None:
    app = make_app(ctx)
    name = server_name(ctx.dirs.state)
    if ask_running(name, command):
        return None  # the running Flare shows itself
    flare = FlareApp(ctx)
    try:
        server = InstanceServer(name, flare.handle_command, flare)
    except OSError as exc:
        raise FlareError(
            f"could not start Flare's single-instance listener: {exc}; "
            "check that the runtime folder is writable",
            exit_code=4,
        ) from exc
    return app, flare, server


def run_tray_app(ctx: AppContext, argv: list[str]) -> int:
    """``flare``: the tray app (or the window, where the desktop has no tray)."""
    return run_tray(ctx, "show", window_without_tray=True)


def run_tray(ctx: AppContext, command: str, *, window_without_tray: bool) -> int:
    """The tray app, for ``flare`` ("show") and the login start ("login", which never opens
    the window: where the tray vanished it only says so and keeps delivering)."""
    check_display()
    started = _start(ctx, command)
    if started is None:
        return 0
    app, flare, server = started
    if not flare.start_tray():
        hint = no_tray_hint(flare.t)
        print(f"flare: {hint}", file=sys.stderr)
        if window_without_tray:
            flare.notice = hint
            flare.quit_on_close = True
    windowed = flare.tray is None and window_without_tray

    def after_the_icon() -> None:
        # Queued behind the tray host's embedding of the icon: delivery (the outbox, its
        # thread) and the replay wait the few ms until the icon is on the screen.
        flare.start_delivery()
        flare.start_replay()  # after the tray, which shows that it records
        if windowed:
            flare.open_report()

    QTimer.singleShot(0, after_the_icon)
    code = app.exec()
    server.close()
    if windowed:
        _hand_over(ctx)
    return int(code)


def run_report_app(ctx: AppContext, *, crash_offer: bool = False) -> int:
    """``flare report``: the report window; exits when it closes. ``crash_offer``: the click
    on the agent's crash notification (the crash is attached)."""
    check_display()
    started = _start(ctx, "report")
    if started is None:
        return 0
    app, flare, server = started
    flare.quit_on_close = True
    flare.start_delivery()  # while the window is open, it sends what waits
    window = flare.open_report()
    if crash_offer:
        from app.ui.crash_watch import attach_taken_offer

        attach_taken_offer(ctx, window)
    code = app.exec()
    server.close()
    _hand_over(ctx)
    return int(code)


def _hand_over(ctx: AppContext) -> None:
    from app.helpdesk.agent import hand_over_or_say
    hand_over_or_say(ctx)

