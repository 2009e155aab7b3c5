""""My reports" shows support's replies as text and queues the reporter's answer in the
outbox (a real outbox on disk; the delivery to the real RT is in
tests/integration/test_replies_roundtrip.py and the journey test_replies_rt.py)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.helpdesk.outbox import Outbox
from app.helpdesk.outbox_reports import OutboxReports, replies_to_json
from app.helpdesk.protocol import Reply, TicketRef, TicketStatus
from app.helpdesk.submission import ReportOptions
from app.i18n import Translator
from app.ui.my_reports import MyReportsWindow
from tests.integration.helpdesk_servers import make_bundle

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


def _sent_report(tmp_path: Path, state: str = "waiting") -> tuple[Path, int]:
    state_dir = tmp_path / "state"
    with Outbox(state_dir, lambda: NOW) as box:
        item = box.enqueue(make_bundle(tmp_path / "b", steps=1, email="me@example.test"),
                           "rt", report_id=str(uuid.uuid4()), title="Printer dead")
        box.mark_sent(item.id, TicketRef("77", "77", "https://hd.invalid/77"))
        box.set_status(item.id, TicketStatus(state, "stalled"))  # type: ignore[arg-type]
        box.set_replies(item.id, replies_to_json([
            Reply("support", "Is it <b>plugged</b> in?", datetime(2026, 12, 1, 9, tzinfo=UTC))]))
    return state_dir, item.id


def test_replies_show_as_text_and_the_answer_is_queued_for_the_ticket(
        qtbot: QtBot, tmp_path: Path) -> None:
    state_dir, _ = _sent_report(tmp_path)
    source = OutboxReports(lambda: Outbox(state_dir, lambda: NOW), Translator("ru"))
    kicked: list[bool] = []
    window = MyReportsWindow(source, Translator("ru"), on_answer=lambda: kicked.append(True))
    qtbot.addWidget(window)
    row = window.tree.topLevelItem(0)
    assert row is not None and "ждёт вашего ответа" in row.text(2)
    assert window.waiting.isVisibleTo(window) and "77" in window.waiting.text()
    # The markup is shown as the characters support typed, never rendered.
    assert "Is it <b>plugged</b> in?" in window.conversation.toPlainText()
    assert "support" in window.conversation.toPlainText()
    assert not window.send.isEnabled()  # nothing typed yet

    window.answer.insertPlainText("Да, включён")  # typing it is the journey's part
    assert window.send.isEnabled()
    qtbot.mouseClick(window.send, Qt.MouseButton.LeftButton)
    assert kicked == [True]
    assert window.answer.toPlainText() == ""
    assert "77" in window.answer_note.text()
    # Shown under the ticket while it waits, in the reporter's language.
    assert "Вы" in window.conversation.toPlainText()
    assert "Да, включён" in window.conversation.toPlainText()
    assert window.tree.topLevelItemCount() == 1

    with Outbox(state_dir, lambda: NOW) as box:
        [answer] = [i for i in box.items(("queued",))]
    options = ReportOptions.from_json(answer.options)
    assert (options.add_to_ticket, options.reply) == ("77", True)
    assert answer.destination == "rt" and answer.title == "Да, включён"


def test_no_answer_box_for_a_report_not_yet_a_ticket(qtbot: QtBot, tmp_path: Path) -> None:
    with Outbox(tmp_path / "state", lambda: NOW) as box:
        box.enqueue(make_bundle(tmp_path / "b", steps=1), "rt", report_id=str(uuid.uuid4()),
                    title="Queued one")
    source = OutboxReports(lambda: Outbox(tmp_path / "state", lambda: NOW), Translator("en"))
    window = MyReportsWindow(source, Translator("en"))
    qtbot.addWidget(window)
    assert not window.answer.isVisibleTo(window) and not window.send.isVisibleTo(window)
    assert "once the report is a ticket" in window.conversation.toPlainText()
