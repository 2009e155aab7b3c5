"""One form question on screen: its label, help, input, "I don't know", and inline messages."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QDateTime, Qt, QTime
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.flow import QuestionView
from app.i18n import Translator
from app.keyboard_layouts import numbered, option_number
from app.ui.page_base import error_colour
from app.ui.wheel_safe import ComboBox, DateTimeEdit, DoubleSpinBox, SpinBox, TimeEdit

OnAnswer = Callable[[str, Any, bool], None]
OnGoOn = Callable[[str], None]


class _Choice(ComboBox):
    """A drop-down whose options are numbered: the option's number picks it and goes on to the
    next question, one key for an answer (the numbers stand in the labels, so people learn
    it). Letters still jump to an option as Qt's do, by its label without the number."""

    def __init__(self, labels: list[str], go_on: Callable[[], None]) -> None:
        super().__init__()
        self._labels = labels
        self._go_on = go_on

    def keyPressEvent(self, event: QKeyEvent) -> None:
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if mods & ~Qt.KeyboardModifier.ShiftModifier:
            super().keyPressEvent(event)
            return
        n = option_number(event.text(), len(self._labels))
        if n is not None:
            self.setCurrentIndex(n)  # 0 is "Choose…"
            event.accept()
            self._go_on()
            return
        text = event.text().strip().casefold()
        if text and text.isalpha():
            # From the option after the current one, the next label starting with the letter.
            count = len(self._labels)
            start = self.currentIndex()
            for step in range(1, count + 1):
                i = (start - 1 + step) % count
                if self._labels[i].casefold().startswith(text):
                    self.setCurrentIndex(i + 1)
                    break
            event.accept()
            return
        super().keyPressEvent(event)


class _Line(QLineEdit):
    """A one-line answer: Enter goes on to the next question, as Tab does. Left to Qt, the
    dialog's default button would take it and try to leave the page half answered."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if (event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier):
            self.focusNextChild()
            event.accept()
            return
        super().keyPressEvent(event)


class QuestionWidget(QFrame):
    """Shows one question and reports every change through ``on_answer(id, value, dont_know)``."""

    def __init__(
        self,
        q: QuestionView,
        t: Translator,
        on_answer: OnAnswer,
        on_screenshot: Callable[[], None] | None = None,
        parent: QWidget | None = None,
        on_go_on: OnGoOn | None = None,
    ) -> None:
        super().__init__(parent)
        self.qid = q.id
        self._on_go_on = on_go_on
        self.qtype = q.type
        self.t = t
        self._on_answer = on_answer
        self._loading = True
        self.setObjectName(f"question-{q.id}")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 6, 0, 6)
        self.label = QLabel(q.text + ("" if q.required else "  " + t.tr("(optional)")))
        self.label.setWordWrap(True)
        font = self.label.font()
        font.setBold(True)
        self.label.setFont(font)
        lay.addWidget(self.label)
        if q.help:
            self.help = QLabel(q.help)
            self.help.setWordWrap(True)
            self.help.setObjectName(f"help-{q.id}")
            lay.addWidget(self.help)
        self.input = self._make_input(q, on_screenshot)
        lay.addWidget(self.input)
        self.label.setBuddy(self._focus_target())
        self.dont_know: QCheckBox | None = None
        if q.allow_dont_know:
            self.dont_know = QCheckBox(t.tr("I don't know"))
            self.dont_know.setChecked(q.dont_know)
            self.dont_know.toggled.connect(self._changed)
            lay.addWidget(self.dont_know)
        self.issues = QLabel()
        self.issues.setObjectName(f"issues-{q.id}")
        self.issues.setWordWrap(True)
        self.issues.setTextFormat(Qt.TextFormat.RichText)
        self.issues.hide()
        lay.addWidget(self.issues)
        target = self._focus_target()
        target.setAccessibleName(q.text)
        if q.help:
            target.setAccessibleDescription(q.help)
        self._set_value(q.value)
        self._loading = False

    # --- input widgets -------------------------------------------------------------------------

    def _make_input(self, q: QuestionView, on_screenshot: Callable[[], None] | None) -> QWidget:
        t = self.t
        self._value_getter: Callable[[], Any]
        self._value_setter: Callable[[Any], None]
        if q.type in ("long_text", "error_text"):
            edit = QPlainTextEdit()
            edit.setTabChangesFocus(True)  # keyboard users leave the field with Tab
            edit.setPlaceholderText(t.tr("For example: {example}", example=q.example)
                                    if q.example else "")
            edit.setMinimumHeight(64)
            edit.setMaximumHeight(110)
            edit.textChanged.connect(self._changed)
            self._value_getter = lambda: edit.toPlainText()
            self._value_setter = lambda v: edit.setPlainText(str(v or ""))
            return edit
        if q.type == "short_text":
            line = _Line()
            line.setPlaceholderText(t.tr("For example: {example}", example=q.example)
                                    if q.example else "")
            line.textChanged.connect(self._changed)
            self._value_getter = lambda: line.text()
            self._value_setter = lambda v: line.setText(str(v or ""))
            return line
        if q.type == "choice":
            combo = _Choice([label for _, label in q.options], self._go_on)
            combo.addItem(t.tr("Choose…"), None)
            for n, (oid, label) in enumerate(q.options, 1):
                combo.addItem(numbered(n, label) if n <= 9 else label, oid)
            combo.currentIndexChanged.connect(self._changed)
            self._value_getter = lambda: combo.currentData()
            self._value_setter = lambda v: combo.setCurrentIndex(max(0, combo.findData(v)))
            return combo
        if q.type == "multi_choice":
            box = QWidget()
            col = QVBoxLayout(box)
            col.setContentsMargins(0, 0, 0, 0)
            checks: list[tuple[str, QCheckBox]] = []
            for oid, label in q.options:
                cb = QCheckBox(label)
                cb.toggled.connect(self._changed)
                col.addWidget(cb)
                checks.append((oid, cb))
            self._checks = checks
            self._value_getter = lambda: [oid for oid, cb in checks if cb.isChecked()] or None

            def set_multi(v: Any) -> None:
                for oid, cb in checks:
                    cb.setChecked(isinstance(v, list) and oid in v)

            self._value_setter = set_multi
            return box
        if q.type == "yes_no":
            return self._make_yes_no()
        if q.type == "number":
            return self._make_number(q)
        if q.type == "datetime":
            return self._make_when()
        if q.type == "screenshot":
            return self._make_screenshot(on_screenshot)
        line = _Line()
        line.textChanged.connect(self._changed)
        self._value_getter = lambda: line.text()
        self._value_setter = lambda v: line.setText(str(v or ""))
        return line

    def _make_yes_no(self) -> QWidget:
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        yes, no = QRadioButton(self.t.tr("Yes")), QRadioButton(self.t.tr("No"))
        group = QButtonGroup(box)
        group.addButton(yes)
        group.addButton(no)
        row.addWidget(yes)
        row.addWidget(no)
        row.addStretch(1)
        yes.toggled.connect(self._changed)
        no.toggled.connect(self._changed)
        self._yes = yes

        def get() -> Any:
            return True if yes.isChecked() else (False if no.isChecked() else None)

        def put(v: Any) -> None:
            if v is True:
                yes.setChecked(True)
            elif v is False:
                no.setChecked(True)

        self._value_getter, self._value_setter = get, put
        return box

    def _make_number(self, q: QuestionView) -> QWidget:
        spin = DoubleSpinBox()
        spin.setDecimals(0)
        spin.setRange(-1, 1e9)
        spin.setSpecialValueText(self.t.tr("not given"))
        spin.setValue(-1)
        spin.valueChanged.connect(self._changed)
        self._value_getter = lambda: None if spin.value() < 0 else int(spin.value())
        self._value_setter = lambda v: spin.setValue(float(v) if v is not None else -1)
        return spin

    def _make_when(self) -> QWidget:
        t = self.t
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        kind = ComboBox()
        kind.setObjectName("when-kind")
        for label, data in (
            (t.tr("Choose…"), ""),
            (t.tr("Just now"), "now"),
            (t.tr("Minutes ago"), "minutes_ago"),
            (t.tr("Earlier today at"), "earlier_today"),
            (t.tr("On a date"), "pick"),
        ):
            kind.addItem(label, data)
        minutes = SpinBox()
        minutes.setRange(1, 24 * 60)
        minutes.setValue(15)
        minutes.setSuffix(" " + t.tr("min"))
        minutes.setAccessibleName(t.tr("Minutes ago"))
        at_time = TimeEdit(QTime.currentTime())
        at_time.setDisplayFormat("HH:mm")
        at_time.setAccessibleName(t.tr("Earlier today at"))
        at = DateTimeEdit(QDateTime.currentDateTime())
        at.setCalendarPopup(True)
        at.setDisplayFormat("yyyy-MM-dd HH:mm")
        at.setAccessibleName(t.tr("On a date"))
        for w in (kind, minutes, at_time, at):
            row.addWidget(w)
        row.addStretch(1)

        def sync() -> None:
            k = kind.currentData()
            minutes.setVisible(k == "minutes_ago")
            at_time.setVisible(k == "earlier_today")
            at.setVisible(k == "pick")

        def get() -> Any:
            k = kind.currentData()
            if k == "now":
                return "now"
            if k == "minutes_ago":
                return f"minutes_ago:{minutes.value()}"
            if k == "earlier_today":
                return f"earlier_today:{at_time.time().toString('HH:mm')}"
            if k == "pick":
                return f"pick:{at.dateTime().toString('yyyy-MM-ddTHH:mm')}"
            return None

        def put(v: Any) -> None:
            if isinstance(v, datetime):
                v = f"pick:{v:%Y-%m-%dT%H:%M}"
            if not isinstance(v, str) or not v:
                return
            k, _, rest = v.partition(":")
            kind.setCurrentIndex(max(0, kind.findData(k)))
            if k == "minutes_ago" and rest.isdigit():
                minutes.setValue(int(rest))
            elif k == "earlier_today":
                at_time.setTime(QTime.fromString(rest, "HH:mm"))
            elif k == "pick":
                at.setDateTime(QDateTime.fromString(rest, "yyyy-MM-ddTHH:mm"))
            sync()

        for sig in (kind.currentIndexChanged, minutes.valueChanged, at_time.timeChanged,
                    at.dateTimeChanged):
            sig.connect(self._changed)
        kind.currentIndexChanged.connect(sync)
        sync()
        self._when_kind = kind
        self._value_getter, self._value_setter = get, put
        return box

    def _make_screenshot(self, on_screenshot: Callable[[], None] | None) -> QWidget:
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        self._shot_label = QLabel(self.t.tr("No screenshot yet."))
        # A mnemonic of its own (Alt+T): from inside any answer, one key takes the picture.
        button = QPushButton(self.t.tr("&Take a screenshot"))
        button.setObjectName("take-screenshot")
        button.setEnabled(on_screenshot is not None)
        if on_screenshot is not None:
            button.clicked.connect(on_screenshot)
        row.addWidget(button)
        row.addWidget(self._shot_label, 1)
        self.shot_button = button
        self._shot_value: Any = None

        def put(v: Any) -> None:
            self._shot_value = v
            self._shot_label.setText(
                self.t.tr("Screenshot attached.") if v else self.t.tr("No screenshot yet.")
            )

        self._value_getter, self._value_setter = (lambda: self._shot_value), put
        return box

    def _go_on(self) -> None:
        if self._on_go_on is not None:
            self._on_go_on(self.qid)
        else:
            self.focusNextChild()

    def _focus_target(self) -> QWidget:
        if self.qtype == "yes_no":
            return self._yes
        if self.qtype == "multi_choice" and self._checks:
            return self._checks[0][1]
        if self.qtype == "datetime":
            return self._when_kind
        if self.qtype == "screenshot":
            return self.shot_button
        return self.input

    def focus_widget(self) -> QWidget:
        return self._focus_target()

    def tab_chain(self) -> list[QWidget]:
        """This question's widgets that Tab stops at, top to bottom."""
        return [w for w in self.findChildren(QWidget)
                if w.focusPolicy() & Qt.FocusPolicy.TabFocus and w.isVisibleTo(self)]

    # --- values and messages -------------------------------------------------------------------

    def _set_value(self, value: Any) -> None:
        self._value_setter(value)
        if self.dont_know is not None:
            self.input.setEnabled(not self.dont_know.isChecked())

    def set_value(self, value: Any, dont_know: bool = False) -> None:
        """Put an answer in as the user would (the flow hears of it)."""
        self._loading = True
        self._value_setter(value)
        if self.dont_know is not None:
            self.dont_know.setChecked(dont_know)
        self._loading = False
        self._changed()

    def show_value(self, value: Any) -> None:
        """Show a value the flow already holds (a prefill), without answering again."""
        self._loading = True
        self._value_setter(value)
        self._loading = False

    def set_screenshot(self, value: Any) -> None:
        self._value_setter(value)
        self._changed()

    def value(self) -> Any:
        return self._value_getter()

    def _changed(self, *_: object) -> None:
        if self._loading:
            return
        dont_know = bool(self.dont_know and self.dont_know.isChecked())
        self.input.setEnabled(not dont_know)
        self._on_answer(self.qid, None if dont_know else self.value(), dont_know)

    def show_issues(self, issues: tuple[tuple[str, str, str], ...], show_blocking: bool) -> None:
        """Messages under the question: blocking ones in the error colour, hints quieter."""
        from html import escape

        parts = []
        for severity, message, example in issues:
            if severity == "block" and not show_blocking:
                continue
            if severity == "block":
                text = f'<span style="color:{error_colour(self)}">⚠ {escape(message)}</span>'
            else:
                text = f"ⓘ {escape(message)}"
            if example:
                text += "<br><i>" + escape(self.t.tr("For example: {example}",
                                                      example=example)) + "</i>"
            parts.append(text)
        self.issues.setText("<br>".join(parts))
        self.issues.setVisible(bool(parts))
        target = self._focus_target()
        plain = " ".join(m for s, m, _ in issues if s == "block" and show_blocking)
        target.setAccessibleDescription(plain)
