"""The tray icon and its menu."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from app.i18n import Translator
from app.ui.qtapp import app_icon


@dataclass(frozen=True)
class TrayActions:
    report: Callable[[], object]
    capture_step: Callable[[], None]
    toggle_recording: Callable[[], None]
    my_reports: Callable[[], None]
    settings: Callable[[], None]
    quit: Callable[[], None] | None  # None when policy hides Quit
    capture_enabled: bool = True


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
        for a in (self.capture_action, self.record_action):
            a.setEnabled(actions.capture_enabled)
        self.menu.addSeparator()
        self.reports_action = self._add(t.tr("My reports"), actions.my_reports)
        self.settings_action = self._add(t.tr("Settings"), actions.settings)
        self.quit_action: QAction | None = None
        if actions.quit is not None:
            self.menu.addSeparator()
            self.quit_action = self._add(t.tr("Quit"), actions.quit)
        self.icon.setContextMenu(self.menu)
        self.icon.activated.connect(self._activated)
        self._report = actions.report

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
        self.icon.setToolTip(
            self.t.tr("{app}: recording, {n} steps", app=self.app_name, n=steps)
            if recording else self.app_name
        )

    def show(self) -> None:
        self.icon.show()

    def hide(self) -> None:
        self.icon.hide()

    def notify(self, title: str, text: str) -> None:
        self.icon.showMessage(title, text, app_icon(), 8000)
