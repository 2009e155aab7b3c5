"""The known problems the person joined ("I'm affected too"), in the tray: one line each with
the latest update and its time, and on click a small window with every update seen and the
incident's link. The data comes from app.helpdesk.incident_follow (Qt-free, a small file the
follower keeps up to date); this module only shows it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from app.helpdesk.incident_follow import Joined, known_problems
from app.i18n import Translator
from app.ui.page_base import wrapped_label

MENU_TEXT = 90  # characters of an update in the menu line; the window shows it whole


def when_text(at: datetime | None, now: datetime) -> str:
    """An update's time as the person reads it: the time today, else the date and time."""
    if at is None:
        return ""
    local = at.astimezone() if at.tzinfo else at
    return f"{local:%H:%M}" if local.date() == now.date() else f"{local:%Y-%m-%d %H:%M}"


def menu_line(t: Translator, j: Joined, now: datetime) -> str:
    at, text = j.latest()
    title = j.title or j.id
    if not text:
        return t.tr("{title}: no update yet", title=title)
    text = " ".join(text.split())
    if len(text) > MENU_TEXT:
        text = text[: MENU_TEXT - 1].rstrip() + "…"
    when = when_text(at, now)
    return (t.tr("{title} · {time}: {update}", title=title, time=when, update=text) if when
            else t.tr("{title}: {update}", title=title, update=text))


class KnownProblemWindow(QDialog):
    """One known problem: its updates, newest first, and where to follow it."""

    def __init__(self, t: Translator, j: Joined, now: datetime,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setObjectName("known-problem")
        self.setWindowTitle(t.tr("Known problem: {title}", title=j.title or j.id))
        self.resize(560, 360)
        lay = QVBoxLayout(self)
        heading = QLabel(j.title or j.id)
        heading.setObjectName("known-problem-title")
        font = heading.font()
        font.setBold(True)
        heading.setFont(font)
        lay.addWidget(heading)
        lay.addWidget(QLabel(t.tr("Updates, newest first:")))
        self.update_labels: list[QLabel] = []
        for u in reversed(j.updates):
            try:
                at: datetime | None = datetime.fromisoformat(u.get("at") or "")
            except ValueError:
                at = None
            when = when_text(at, now)
            text = u.get("text") or ""
            label = wrapped_label(t.tr("{time}: {update}", time=when, update=text) if when
                                  else text)
            self.update_labels.append(label)
            lay.addWidget(label)
        if not j.updates:
            lay.addWidget(QLabel(t.tr("No update yet. Flare tells you when there is one.")))
        lay.addStretch(1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(t.tr("Close"))
        buttons.rejected.connect(self.reject)
        if j.url:
            page = buttons.addButton(t.tr("Open its page"),
                                     QDialogButtonBox.ButtonRole.ActionRole)
            page.clicked.connect(lambda: QDesktopServices.openUrl(QUrl(j.url)))
        lay.addWidget(buttons)


def tray_entries(t: Translator, state_dir: Path, now: datetime,
                 show: Callable[[QDialog], None]) -> list[tuple[str, Callable[[], None]]]:
    """The tray's lines for the joined problems; choosing one opens its window (handed to
    ``show``, which keeps it alive and brings it to the front)."""
    def opener(j: Joined) -> Callable[[], None]:
        return lambda: show(KnownProblemWindow(t, j, datetime.now().astimezone()))

    return [(menu_line(t, j, now), opener(j)) for j in known_problems(state_dir)]
