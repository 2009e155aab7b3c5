"""Page 6: the exact report.html that will be sent, every file with its size, and consent.

Qt Essentials has no web engine, so the report is shown in a QTextBrowser (a subset of CSS:
layout differs from a browser, the content is the same bytes); "Open in browser" shows the very
same file in the user's browser for a pixel-exact look.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from app.flow import ReportFlow, human_size
from app.flow.views import support_language_note
from app.i18n import Translator
from app.ui.page_base import Page, column, wrapped_label

if TYPE_CHECKING:
    from app.bundle import Bundle

# Qt's rich text reads only a subset of CSS: it drops report.css (custom properties, inline
# blocks, padding on a span), so the priority badge was plain text running into the line after
# it («Низкий приоритет затронуты: …»). These rules, in the subset Qt knows, mark the badge
# by weight and colour; the bytes under review stay those that are sent.
QT_REPORT_CSS = """
.badge { font-weight: 600; }
.p-low { background-color: #e8f1ea; color: #1e6b35; }
.p-medium { background-color: #e6eefb; color: #1f4e9b; }
.p-high { background-color: #fff4e0; color: #9a5b00; }
.p-critical { background-color: #fde8e8; color: #a4161a; }
.test { background-color: #eeeeee; color: #333333; }
.sev-warning { color: #9a5b00; }
.sev-error { color: #a4161a; }
"""


class ReviewPage(Page):
    def __init__(self, flow: ReportFlow, t: Translator, parent: QWidget | None = None) -> None:
        super().__init__(flow, t, parent)
        self.bundle: Bundle | None = None
        lay = column(self)
        lay.addWidget(wrapped_label(t.tr(
            "This is exactly what will be sent. Nothing leaves this computer before you "
            "press Send.")))
        self.support_note = wrapped_label()
        self.support_note.setObjectName("support-language")
        self.support_note.hide()
        lay.addWidget(self.support_note)
        split = QSplitter(Qt.Orientation.Vertical)
        self.browser = QTextBrowser()
        self.browser.setObjectName("review-html")
        self.browser.document().setDefaultStyleSheet(QT_REPORT_CSS)
        self.browser.setAccessibleName(t.tr("The report as it will be sent"))
        self.browser.setOpenExternalLinks(False)
        self.browser.setOpenLinks(False)
        self.browser.setTabChangesFocus(True)  # keyboard users Tab on to the confirmation
        split.addWidget(self.browser)
        self.files = QTreeWidget()
        self.files.setObjectName("review-files")
        self.files.setAccessibleName(t.tr("Files that will be sent"))
        self.files.setHeaderLabels([t.tr("File"), t.tr("Size"), t.tr("What it is")])
        self.files.setRootIsDecorated(False)
        self.files.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.files.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        split.addWidget(self.files)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        lay.addWidget(split, 1)
        # Asked once, when no address is known: support must be able to answer.
        self.email_row = QWidget()
        email_lay = QHBoxLayout(self.email_row)
        email_lay.setContentsMargins(0, 0, 0, 0)
        email_label = QLabel(t.tr("Your e-mail, so that support can answer you:"))
        self.email = QLineEdit()
        self.email.setObjectName("reporter-email")
        self.email.setAccessibleName(t.tr("Your e-mail address"))
        self.email.setPlaceholderText("name@example.org")
        email_label.setBuddy(self.email)
        self.email_save = QPushButton(t.tr("Use this address"))
        self.email_save.clicked.connect(self._take_email)
        self.email.returnPressed.connect(self._take_email)
        email_lay.addWidget(email_label)
        email_lay.addWidget(self.email, 1)
        email_lay.addWidget(self.email_save)
        self.email_problem = wrapped_label()
        self.email_problem.hide()
        lay.addWidget(self.email_row)
        lay.addWidget(self.email_problem)
        row = QHBoxLayout()
        # Consent is one action: the Send button below, next to where it sends.
        self.where = wrapped_label()
        self.where.setObjectName("destination")
        self.open_button = QPushButton(t.tr("Open in browser"))
        self.open_button.clicked.connect(self.open_in_browser)
        # Next passes the screenshots page by once the report holds one: a caption or a
        # hidden detail stays one click away.
        self.shots_button = QPushButton(t.tr("Edit the screenshots…"))
        self.shots_button.setObjectName("edit-screenshots")
        self.shots_button.clicked.connect(lambda: self.flow.go("screenshots"))
        self.shots_button.hide()
        row.addWidget(self.where, 1)
        row.addWidget(self.shots_button)
        row.addWidget(self.open_button)
        lay.addLayout(row)

    def title(self) -> str:
        return self.t.tr("Check what will be sent")

    def refresh(self, what: str) -> None:
        if what == "diagnostics_ready" and self.flow.reviewed:
            self.flow.set_reviewed(False)  # what was reviewed just changed
        if what == "page":
            self.email_row.setVisible(self.flow.needs_email())
            self.shots_button.setVisible(bool(self.flow.evidence)
                                         and "screenshots" in self.flow.pages())
        if what in ("page", "diagnostics_ready", "reporter") and self.flow.page == "review":
            self.bundle = self.flow.build_bundle()
            self.browser.setHtml(self.bundle.html)
            note = support_language_note(self.t, self.bundle)
            self.support_note.setText(note)
            self.support_note.setVisible(bool(note))
            self.files.clear()
            total = 0
            for entry in self.flow.review_files(self.bundle):
                total += entry.size
                QTreeWidgetItem(self.files, [entry.name, self.t.size(human_size(entry.size)),
                                             entry.what])
            QTreeWidgetItem(self.files, [self.t.tr("In all"),
                                         self.t.size(human_size(total)), ""])
        self.where.setText(self.flow.destination_text())

    def _take_email(self) -> None:
        problem = self.flow.set_reporter_email(self.email.text())
        self.email_problem.setText(problem)
        self.email_problem.setVisible(bool(problem))

    def html_file(self) -> Path:
        """The report.html under review, written where the browser can open it."""
        html = self.bundle.html if self.bundle else self.flow.build_bundle().html
        folder = self.flow.ctx.dirs.cache / "review"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "report.html"
        path.write_text(html, encoding="utf-8")
        return path

    def open_in_browser(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.html_file())))

    def first_focus(self) -> QWidget | None:
        return self.browser
