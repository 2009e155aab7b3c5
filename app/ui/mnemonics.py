"""Button mnemonics that work in every keyboard layout (see app.keyboard_layouts)."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractButton, QWidget

from app.keyboard_layouts import mnemonic, same_key


class LayoutMnemonics:
    """Alt+<the same key in the other layouts> for each button; call :meth:`update` after
    button texts change."""

    def __init__(self, window: QWidget) -> None:
        self.window = window
        self._shortcuts: list[QShortcut] = []

    def update(self, buttons: Iterable[QAbstractButton]) -> None:
        for s in self._shortcuts:
            s.setEnabled(False)
            s.deleteLater()
        self._shortcuts = []
        buttons = list(buttons)
        taken = {mnemonic(b.text()) for b in buttons} - {""}
        for button in buttons:
            letter = mnemonic(button.text())
            for twin in sorted(same_key(letter) - taken):
                shortcut = QShortcut(QKeySequence(f"Alt+{twin.upper()}"), self.window)
                shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
                shortcut.activated.connect(lambda b=button: _press(b))
                self._shortcuts.append(shortcut)


def _press(button: QAbstractButton) -> None:
    if button.isVisible() and button.isEnabled():
        button.animateClick()
