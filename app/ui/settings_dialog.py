"""The user's settings: only what policy leaves unlocked can be changed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.context import AppContext
from app.i18n import LANGUAGE_NAMES, Translator
from app.settings import SettingsError

# What a person changes from the tray; everything else is for administrators (policy).
USER_KEYS = ("reporter.name", "reporter.email", "general.language", "capture.replay_enabled",
             "tray.show_incidents", "crashes.offer", "reports.folder",
             "capture.report_shortcut", "capture.screenshot_shortcut")
SHORTCUT_KEYS = ("capture.report_shortcut", "capture.screenshot_shortcut")


class SettingsDialog(QDialog):
    def __init__(self, ctx: AppContext, t: Translator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.t = ctx, t
        self.setWindowTitle(t.tr("Flare settings"))
        self.setObjectName("settings-dialog")
        lay = QVBoxLayout(self)
        form = QFormLayout()
        self.editors: dict[str, QWidget] = {}
        for key in USER_KEYS:
            try:
                decl = ctx.settings.declaration(key)
            except SettingsError:
                continue  # not declared in this build
            if not decl.user_changeable and not ctx.settings.is_locked(key):
                continue
            editor = self._editor(key, ctx.settings.get(key), decl.values)
            editor.setAccessibleName(decl.describe(t.language))
            editor.setToolTip(decl.describe(t.language))
            locked = ctx.settings.is_locked(key)
            editor.setEnabled(not locked)
            label = QLabel(self._label(key))
            label.setBuddy(editor)
            box = QWidget()
            col = QVBoxLayout(box)
            col.setContentsMargins(0, 0, 0, 0)
            col.addWidget(editor)
            if locked:
                note = QLabel(t.tr("Managed by your organisation"))
                note.setEnabled(False)
                col.addWidget(note)
                editor.setAccessibleDescription(t.tr("Managed by your organisation"))
            form.addRow(label, box)
            self.editors[key] = editor
        self.shortcuts_note = self._shortcuts_note()
        if self.shortcuts_note is not None:
            form.addRow(self.shortcuts_note)
        lay.addLayout(form)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.hide()
        lay.addWidget(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)

    def _label(self, key: str) -> str:
        t = self.t
        return {
            "reporter.name": t.tr("Your name:"),
            "reporter.email": t.tr("Your e-mail:"),
            "general.language": t.tr("Language:"),
            "capture.replay_enabled": t.tr("Instant replay:"),
            "tray.show_incidents": t.tr("Known problems:"),
            "crashes.offer": t.tr("Crashes:"),
            "reports.folder": t.tr("Reports folder:"),
            "capture.report_shortcut": t.tr("Report a problem shortcut:"),
            "capture.screenshot_shortcut": t.tr("Screenshot now shortcut:"),
        }.get(key, key)

    def _shortcuts_note(self) -> QLabel | None:
        """Where the desktop forbids the shortcuts (Wayland), say so here, once, as a fact."""
        from capture.platform_info import PlatformInfo
        from capture.x11_keys import shortcuts_refusal

        if not any(k in self.editors for k in SHORTCUT_KEYS):
            return None
        why = shortcuts_refusal(PlatformInfo.detect())
        if not why:
            return None
        note = QLabel(why)
        note.setObjectName("shortcuts-note")
        note.setWordWrap(True)
        note.setEnabled(False)
        return note

    def _check_shortcuts(self, values: dict[str, Any]) -> str:
        """'' when the shortcuts typed are usable, else the first problem (one line)."""
        from capture.x11_keys import check_shortcuts

        actions = {"capture.report_shortcut": self.t.tr("Report a problem"),
                   "capture.screenshot_shortcut": self.t.tr("Screenshot now")}
        wanted = {actions[k]: str(values[k]) for k in SHORTCUT_KEYS if k in values}
        _good, problems = check_shortcuts(
            wanted, {self.t.tr("Capture step"): str(self.ctx.settings.get("capture.hotkey") or "")})
        return problems[0] if problems else ""

    def _editor(self, key: str, value: Any, values: tuple[str, ...] | None) -> QWidget:
        t = self.t
        if isinstance(value, bool):
            text = {
                "capture.replay_enabled": t.tr("Keep the last minute of screenshots in memory"),
                "tray.show_incidents": t.tr("Show known problems before the form"),
                "crashes.offer": t.tr("Offer a report when a program closes unexpectedly"),
            }.get(key, key)
            cb = QCheckBox(text)
            cb.setChecked(value)
            return cb
        if values:
            combo = QComboBox()
            for v in values:
                label = t.tr("As the system") if v == "auto" else LANGUAGE_NAMES.get(v, v)
                combo.addItem(label, v)
            combo.setCurrentIndex(max(0, combo.findData(value)))
            return combo
        line = QLineEdit(str(value or ""))
        if key == "reports.folder":
            line.setPlaceholderText(str(self.ctx.dirs.reports))
        return line

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, w in self.editors.items():
            if not w.isEnabled():
                continue
            if isinstance(w, QCheckBox):
                out[key] = w.isChecked()
            elif isinstance(w, QComboBox):
                out[key] = w.currentData()
            elif isinstance(w, QLineEdit):
                text = w.text().strip()
                # An empty path means "back to the default": the user's value is removed.
                out[key] = (Path(text).expanduser() if text else None) if self._is_path(key) \
                    else text
        return out

    def _is_path(self, key: str) -> bool:
        return str(self.ctx.settings.declaration(key).type) == "path"

    def save(self) -> None:
        settings = self.ctx.settings
        problem = self._check_shortcuts(self.values())
        if problem:
            self.error.setText(problem)
            self.error.show()
            return
        try:
            user_file = self.ctx.dirs.user_settings_file
            for key, value in self.values().items():
                current = settings.get(key)
                current = None if current == "" else current
                if value == current:
                    continue
                if value is None:
                    settings = settings.unset_user(key, user_file)
                else:
                    settings = settings.set_user(key, value, user_file)
        except (SettingsError, OSError) as exc:
            self.error.setText(self.t.tr("Could not save the settings: {error}", error=str(exc)))
            self.error.show()
            return
        self.ctx.settings = settings
        self.accept()
