"""Page 3: the questions of the chosen category on one screen, messages next to each."""

from __future__ import annotations

import itertools
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QProgressBar, QVBoxLayout, QWidget

from app.flow import SUBJECT_ID, ReportFlow
from app.i18n import Translator
from app.ui.mnemonics import LayoutMnemonics
from app.ui.page_base import Page, column, scrolling, wrapped_label
from app.ui.question_widgets import QuestionWidget


def _answered(value: Any, dont_know: bool) -> bool:
    return dont_know or value not in (None, "", [])


class QuestionsPage(Page):
    def __init__(self, flow: ReportFlow, t: Translator, parent: QWidget | None = None) -> None:
        super().__init__(flow, t, parent)
        self.widgets: dict[str, QuestionWidget] = {}
        self._category = ""
        self._mnemonics = LayoutMnemonics(self)
        outer = column(self)
        inner = QWidget()
        self.body = QVBoxLayout(inner)
        self.body.addStretch(1)
        self.area = scrolling(inner)
        outer.addWidget(self.area, 1)
        self.subject_label = QLabel(t.tr("Subject of your report:"))
        self.subject = QLineEdit()
        self.subject.setObjectName("subject")
        self.subject.setAccessibleName(t.tr("Subject of your report"))
        self.subject_label.setBuddy(self.subject)
        self.subject.textEdited.connect(self.flow.set_subject)
        self.subject_issues = wrapped_label()
        self.subject_issues.setObjectName("issues-subject")
        self.subject_issues.hide()
        self.quality = QProgressBar()
        self.quality.setRange(0, 100)
        self.quality.setObjectName("quality")
        self.quality.setAccessibleName(t.tr("How complete the report is"))
        self.quality.setFormat(t.tr("Report completeness: %p%"))
        self.quality_hint = wrapped_label()
        outer.addWidget(self.subject_label)
        outer.addWidget(self.subject)
        outer.addWidget(self.subject_issues)
        outer.addWidget(self.quality)
        outer.addWidget(self.quality_hint)

    def title(self) -> str:
        return self.t.tr("Tell us what happened")

    def _rebuild(self) -> None:
        for w in self.widgets.values():
            w.setParent(None)
            w.deleteLater()
        self.widgets.clear()
        self._category = self.flow.category

    def refresh(self, what: str) -> None:
        if self.flow.category != self._category:
            self._rebuild()
        visible = self.flow.questions()
        # Change only what changed: a widget that stays is never hidden, moved or refilled,
        # because hiding the focused one hands the focus to the next button (once: Close).
        wanted = {q.id for q in visible}
        for qid, w in self.widgets.items():
            if qid not in wanted and not w.isHidden():
                w.hide()
        order_changed = False
        for pos, q in enumerate(visible):
            if q.id not in self.widgets:
                self.widgets[q.id] = QuestionWidget(q, self.t, self._answer, self._screenshot,
                                                    on_go_on=self._go_on)
                order_changed = True
            w = self.widgets[q.id]
            if self.body.indexOf(w) != pos:
                self.body.removeWidget(w)
                self.body.insertWidget(pos, w)
                order_changed = True
            if w.isHidden():
                w.show()
            w.show_issues(q.issues, self.flow.show_errors)
        if order_changed:
            in_order = [self.widgets[q.id] for q in visible]
            self._tab_in_form_order(in_order)
            # "Take a screenshot" answers to Alt+T in every keyboard layout, too.
            self._mnemonics.update(w.shot_button for w in in_order if w.qtype == "screenshot")
        if what == "prefill":
            for qid, value in self.flow.prefilled().items():
                if qid in self.widgets:
                    self.widgets[qid].show_value(value)
        if not self.subject.hasFocus():
            self.subject.setText(self.flow.subject())
        subject_issues = self.flow.issues().get(SUBJECT_ID, [])
        shown = [m for s, m, _ in subject_issues if s != "block" or self.flow.show_errors]
        self.subject_issues.setText("\n".join(shown))
        self.subject_issues.setVisible(bool(shown))
        quality = self.flow.quality()
        self.quality.setValue(quality)
        need = self.flow.min_quality
        self.quality_hint.setText(
            self.t.tr("Answer the questions in more detail to reach {min}%.", min=need)
            if quality < need else ""
        )
        self.quality_hint.setVisible(quality < need)

    def _tab_in_form_order(self, shown: list[QuestionWidget]) -> None:
        """Tab goes down the form as it reads, also through questions that appeared later
        (Qt's default order is the order widgets were made in)."""
        chain: list[QWidget] = []
        for w in shown:
            chain += w.tab_chain()
        chain.append(self.subject)
        for a, b in itertools.pairwise(chain):
            QWidget.setTabOrder(a, b)

    def _answer(self, qid: str, value: Any, dont_know: bool) -> None:
        self.flow.set_answer(qid, value, dont_know)

    def _screenshot(self) -> None:
        window = self.window()
        take = getattr(window, "take_screenshot", None)
        if take is not None and take() and self.flow.evidence:
            name = self.flow.evidence[-1].step.image
            after = ""
            for w in self.widgets.values():
                if w.qtype == "screenshot" and w.isVisible():
                    w.set_screenshot(name)
                    after = w.qid
            # The picture is taken: the person goes on with the next question not yet
            # answered, not back to the button.
            target = self._first_unanswered(after=after)
            if target is not None:
                target.setFocus(Qt.FocusReason.OtherFocusReason)
                # Qt scrolls to a field that Tab reaches, not to one given the focus.
                self.area.ensureWidgetVisible(target)

    def _go_on(self, qid: str) -> None:
        """A choice picked by its number: on to the next question not yet answered (as after
        a screenshot), else to the subject line, where Tab would go after the last answer."""
        target = self._first_unanswered(after=qid) or self.subject
        target.setFocus(Qt.FocusReason.TabFocusReason)
        self.area.ensureWidgetVisible(target)

    def _first_unanswered(self, after: str = "") -> QWidget | None:
        """The input of the first visible question (below ``after``) with no answer yet; a
        prefilled answer counts as given, so the focus skips "Which program?" when the
        program in front filled it."""
        passed = not after
        for q in self.flow.questions():
            if not passed:
                passed = q.id == after
                continue
            w = self.widgets.get(q.id)
            if w is not None and not w.isHidden() and not _answered(q.value, q.dont_know):
                return w.focus_widget()
        return None

    def first_focus(self) -> QWidget | None:
        target = self._first_unanswered()
        if target is not None:
            return target
        for w in self.widgets.values():
            if not w.isHidden():
                return w.focus_widget()
        return None

    def first_blocked(self) -> QWidget | None:
        """The input of the first question with a blocking message (focus goes there)."""
        for q in self.flow.questions():
            if any(s == "block" for s, _, _ in q.issues) and q.id in self.widgets:
                return self.widgets[q.id].focus_widget()
        return None
