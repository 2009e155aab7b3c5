"""The step-recorder toolbar: a small always-on-top strip that drives a ``StepRecorder``.

The toolbar hides itself for each grab so it never appears in a step, then comes back.
The caption field belongs to the step just taken: you describe what a screenshot shows after
you have seen it, and typing before a grab would pull keyboard focus away from the
application being recorded right when the user needs it.

Capture on click (on by default, X11): :class:`capture.click_steps.ClickSteps` takes a step
at every click outside Flare, grabbed at the click on its own thread, so the toolbar stays on
the screen (it is never a step: clicks on Flare's windows are skipped) and the field then
holds the step's own description ("Left click on 'Send' (button) in ..."), which the person
may correct. Where the desktop does not allow it (Wayland), the toolbar says why, once.

Shortcuts: Qt has no global hotkeys, so Ctrl+Shift+S (capture) and Ctrl+Shift+X (stop) work
while the toolbar window is active, and both buttons have Alt mnemonics. A global hotkey
needs a system hook (e.g. the optional ``pynput`` package that ``capture.clicks`` already
uses); whoever wires one calls :meth:`CaptureToolbar.request_capture`, which is safe to call
from any thread.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, Qt, QTimer, Signal, Slot
from PySide6.QtGui import (
    QCloseEvent,
    QGuiApplication,
    QKeySequence,
    QMouseEvent,
    QMoveEvent,
    QResizeEvent,
    QShortcut,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.i18n import Translator
from app.ui.mnemonics import LayoutMnemonics
from capture.errors import CaptureError
from capture.platform_info import PlatformInfo
from capture.recorder import RecordedStep, StepRecorder

if TYPE_CHECKING:
    from capture.click_steps import ClickSteps
    from capture.error_text import ErrorText

CAPTURE_SHORTCUT = "Ctrl+Shift+S"
STOP_SHORTCUT = "Ctrl+Shift+X"
DEFAULT_HIDE_DELAY_MS = 150
"""Time between hiding the toolbar and grabbing: compositors fade windows out for ~100 ms."""


def toolbar_window_flags(platform_name: str) -> Qt.WindowType:
    flags = Qt.WindowType.FramelessWindowHint | Qt.WindowType.WindowStaysOnTopHint
    # Tool keeps the strip out of the taskbar. The offscreen platform has no taskbar and
    # warns that it cannot raise() the Tool windows Qt raises on show, so it gets a plain window.
    if platform_name != "offscreen":
        flags |= Qt.WindowType.Tool
    return flags


class CaptureToolbar(QWidget):
    """Capture step / Stop buttons, a caption for the last step and a "Step 3 of 50" counter.

    Call :meth:`start` to start recording and show the strip. ``step_captured(n)`` is emitted
    with the new step count after each grab, ``capture_failed(message)`` when a grab fails,
    and ``stopped(steps)`` with the ``RecordedStep`` list when the user stops.
    """

    step_captured = Signal(int)
    capture_failed = Signal(str)
    stopped = Signal(list)
    _capture_requested = Signal(object)
    _clicked = Signal()
    _click_failed = Signal(str)

    def __init__(
        self,
        recorder: StepRecorder,
        translator: Translator,
        *,
        hide_delay_ms: int = DEFAULT_HIDE_DELAY_MS,
        already: int = 0,
        click_capture: bool = False,
        platform: PlatformInfo | None = None,
        clock: Callable[[], datetime] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, toolbar_window_flags(QGuiApplication.platformName()))
        self.recorder = recorder
        self.already = already  # steps the report had before this recording
        self._t = translator
        self._hide_delay_ms = hide_delay_ms
        self._busy = False
        self._drag_offset: QPoint | None = None
        self._want_clicks = click_capture
        self._platform = platform or PlatformInfo.detect()
        self._clock = clock or (lambda: datetime.now(UTC))
        self.click_steps: ClickSteps | None = None
        self.error_text: ErrorText | None = None  # an error dialog's text, read at Stop
        self._field_is_description = False
        # Where the strip is on the desktop, kept while it hides for a grab: read by the click
        # listener's thread (a tuple swap is atomic), so clicks on it are never steps.
        self._areas: tuple[tuple[int, int, int, int], ...] = ()
        tr = translator.tr

        self.setObjectName("captureToolbar")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(
            "#captureToolbar { background: palette(window); border: 1px solid palette(dark);"
            " border-radius: 4px; }"
        )
        self.setWindowTitle(tr("Step recorder"))
        self.setAccessibleName(tr("Step recorder"))

        self.grip = QLabel("⠿")
        self.grip.setAccessibleName(tr("Drag to move the toolbar"))
        self.grip.setToolTip(tr("Drag to move the toolbar"))
        self.grip.setCursor(Qt.CursorShape.SizeAllCursor)

        self.counter = QLabel()
        metrics = self.counter.fontMetrics()
        self.counter.setMinimumWidth(metrics.horizontalAdvance("Step 000 of 000"))

        self.caption = QLineEdit()
        self.caption.setAccessibleName(tr("Caption for the step just taken"))
        self.caption.setPlaceholderText(tr("Caption for the step just taken"))
        self.caption.setMinimumWidth(240)
        self.caption.textEdited.connect(self._caption_edited)

        self.capture_button = QPushButton(tr("&Capture step"))
        self.capture_button.setAccessibleName(tr("Capture step"))
        self.capture_button.setToolTip(
            tr("Take a screenshot now ({shortcut})", shortcut=CAPTURE_SHORTCUT)
        )
        self.capture_button.clicked.connect(self.capture_step)

        self.stop_button = QPushButton(tr("&Stop"))
        self.stop_button.setAccessibleName(tr("Stop recording"))
        self.stop_button.setToolTip(
            tr("Stop recording and go back to the report ({shortcut})", shortcut=STOP_SHORTCUT)
        )
        self.stop_button.clicked.connect(self.stop)
        LayoutMnemonics(self).update([self.capture_button, self.stop_button])

        self.status = QLabel()
        self.status.setAccessibleName(tr("Recorder status"))
        self.status.setWordWrap(True)
        self.status.setVisible(False)

        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        for w in (self.grip, self.counter, self.caption, self.capture_button, self.stop_button):
            row.addWidget(w)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 6, 8, 6)
        outer.addLayout(row)
        outer.addWidget(self.status)

        for keys, slot in ((CAPTURE_SHORTCUT, self.capture_step), (STOP_SHORTCUT, self.stop)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.activated.connect(slot)

        # Queued across threads automatically: a hotkey or click hook may emit from its own.
        self._capture_requested.connect(self._on_capture_requested)
        self._clicked.connect(self._on_clicked)
        self._click_failed.connect(self._on_click_failed)
        self.refresh()

    # ------------------------------------------------------------------ public API

    def start(self) -> None:
        """Start recording and show the toolbar near the top of the screen."""
        self.recorder.start()
        self.refresh()
        self.show()
        self._place()
        if self._want_clicks:
            self._start_clicks()

    def _start_clicks(self) -> None:
        from capture.click_steps import ClickSteps
        from capture.export import ExportOptions
        from capture.recorder import STEP_WEBP_METHOD

        tr = self._t.tr
        # Steps are encoded between clicks, as the report will number them, so Stop is quick.
        clicks = ClickSteps(self.recorder, self._platform, self._clock, tr=tr,
                            language=self._t.language, ignore_areas=lambda: self._areas,
                            prepare_with=ExportOptions(webp_method=STEP_WEBP_METHOD),
                            first_number=self.already + 1,
                            on_step=lambda _step: self._clicked.emit(),
                            on_error=self._click_failed.emit)
        try:
            clicks.start()
        except CaptureError as exc:
            if self._platform.wayland:
                why = tr("Wayland does not let applications see clicks in other windows, so "
                         "Flare cannot take a step at each click. Press Capture step "
                         "({shortcut}) for each step instead.", shortcut=CAPTURE_SHORTCUT)
            else:
                why = tr("Steps are not taken at each click here ({reason}). Press Capture "
                         "step ({shortcut}) for each step instead.", reason=exc.message,
                         shortcut=CAPTURE_SHORTCUT)
            self._show_status(why)
            return
        self.click_steps = clicks
        self._show_status(tr("A step is taken at each click outside Flare. Press Stop when "
                             "you are done."))

    def _stop_clicks(self) -> None:
        if self.click_steps is not None:
            # The clicks made just before Stop are steps too, and an error dialog still on
            # the screen becomes the last step, its text read for the report.
            try:
                self.error_text = self.click_steps.finish(3.0)
            finally:
                self.click_steps.stop()
                self.click_steps = None

    def request_capture(self, click: tuple[int, int] | None = None) -> None:
        """Capture a step soon; callable from any thread (global hotkey, click listener)."""
        self._capture_requested.emit(click)

    @Slot()
    def capture_step(self) -> None:
        self._begin_capture(None)

    @Slot()
    def stop(self) -> None:
        if self._busy:
            return
        self._stop_clicks()
        self.recorder.stop()
        self.hide()
        self.stopped.emit(self.recorder.steps)

    @property
    def busy(self) -> bool:
        """True while the toolbar is hidden for a grab."""
        return self._busy

    def refresh(self) -> None:
        """Bring counter, caption field and buttons in line with the recorder."""
        tr = self._t.tr
        rec = self.recorder
        self.counter.setText(tr("Step {count} of {limit}", count=self.already + rec.count,
                                limit=self.already + rec.step_limit))
        self.caption.setEnabled(rec.count > 0)
        at_limit = rec.remaining == 0
        self.capture_button.setEnabled(rec.recording and not at_limit and not self._busy)
        if at_limit:
            self._show_status(
                tr(
                    "Step limit reached: a report holds at most {limit} steps. "
                    "Press Stop to continue with the report.",
                    limit=rec.step_limit,
                )
            )

    # ------------------------------------------------------------------ capture

    @Slot(object)
    def _on_capture_requested(self, click: object) -> None:
        point = None
        if isinstance(click, Sequence) and len(click) == 2:
            point = (int(click[0]), int(click[1]))
        self._begin_capture(point)

    def _begin_capture(self, click: tuple[int, int] | None) -> None:
        if self._busy or not self.recorder.recording or self.recorder.remaining == 0:
            return
        self._busy = True
        self._show_status("")
        was_visible = self.isVisible()
        self.hide()
        # Make the unmap reach the display server before the delay starts counting.
        QGuiApplication.sync()
        QTimer.singleShot(self._hide_delay_ms, lambda: self._grab(click, was_visible))

    def _grab(self, click: tuple[int, int] | None, show_again: bool) -> None:
        error = ""
        try:
            self.recorder.capture(click=click)
        except CaptureError as exc:
            error = str(exc)
        finally:
            self._busy = False
            if show_again:
                self.show()
        self.caption.clear()
        self._describe_field(False)
        self.refresh()
        if error:
            self._show_status(error)
            self.capture_failed.emit(error)
        else:
            self.step_captured.emit(self.recorder.count)

    @Slot()
    def _on_clicked(self) -> None:
        steps = self.recorder.steps
        if not steps:
            return
        self._describe_field(True)
        self.caption.setText(steps[-1].description)
        self.caption.setCursorPosition(0)
        self.caption.setToolTip(steps[-1].description)  # the strip is narrower than the line
        self.refresh()
        self.step_captured.emit(self.recorder.count)

    @Slot(str)
    def _on_click_failed(self, message: str) -> None:
        self._show_status(message)
        self.capture_failed.emit(message)

    def _describe_field(self, description: bool) -> None:
        """The field edits the step's description after a click, its caption otherwise."""
        tr = self._t.tr
        self._field_is_description = description
        name = (tr("Description of the step just taken") if description
                else tr("Caption for the step just taken"))
        self.caption.setAccessibleName(name)
        self.caption.setToolTip(name)

    @Slot(str)
    def _caption_edited(self, text: str) -> None:
        if self.recorder.count:
            if self._field_is_description:
                self.recorder.set_description(self.recorder.count - 1, text)
            else:
                self.recorder.set_caption(self.recorder.count - 1, text)

    def _show_status(self, text: str) -> None:
        self.status.setText(text)
        # Screen readers read a label's name, which Qt takes from the fixed accessible name.
        self.status.setAccessibleName(text or self._t.tr("Recorder status"))
        self.status.setVisible(bool(text))
        self.adjustSize()

    def _place(self) -> None:
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            return
        area = screen.availableGeometry()
        self.adjustSize()
        self.move(area.center().x() - self.width() // 2, area.top() + 8)

    # ------------------------------------------------------------------ window behaviour

    def moveEvent(self, event: QMoveEvent) -> None:
        super().moveEvent(event)
        self._remember_area()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._remember_area()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._remember_area()

    def _remember_area(self) -> None:
        frame = self.frameGeometry()
        ratio = self.devicePixelRatioF()  # X11 speaks device pixels
        self._areas = ((round(frame.x() * ratio), round(frame.y() * ratio),
                        round(frame.width() * ratio), round(frame.height() * ratio)),)

    def closeEvent(self, event: QCloseEvent) -> None:
        # Closing the strip (e.g. Alt+F4) must not lose the steps: it means Stop.
        self._stop_clicks()
        if self.recorder.recording:
            self.recorder.stop()
            self.stopped.emit(self.recorder.steps)
        super().closeEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            handle = self.windowHandle()
            if handle is not None and handle.startSystemMove():
                return
            self._drag_offset = event.globalPosition().toPoint() - self.pos()
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._drag_offset is not None:
            self.move(event.globalPosition().toPoint() - self._drag_offset)
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self._drag_offset = None
        super().mouseReleaseEvent(event)


def recorded_steps(steps: Sequence[object]) -> list[RecordedStep]:
    """The ``stopped`` payload typed again (Qt signals carry plain lists)."""
    return [s for s in steps if isinstance(s, RecordedStep)]
