""""My reports" data: what this user sent and where each stands. Qt-free and light, because
the idle tray app polls it (importing the report model would double its memory)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, runtime_checkable


@dataclass(frozen=True)
class ReportReply:
    """One message on a ticket: support's public reply, or the reporter's own answer
    (``mine``; ``pending`` says where an answer not on the ticket yet stands)."""

    author: str
    text: str
    at: datetime | None = None
    mine: bool = False
    pending: str = ""


@dataclass(frozen=True)
class MyReport:
    """One report this user made."""

    title: str
    created_at: datetime | None
    status: str
    ticket: str = ""
    link: str = ""
    item_id: int = 0
    replies: tuple[ReportReply, ...] = ()
    waiting_for_reporter: bool = False  # support waits for an answer (RT stalled, Feedback)
    can_answer: bool = False  # the helpdesk takes an answer on this ticket


class ReportStatusSource(Protocol):
    """What the user sent and where it stands (the outbox provides ticket states)."""

    def my_reports(self) -> list[MyReport]: ...


@runtime_checkable
class AnswerSink(Protocol):
    """Where the reporter's answer to support goes (the outbox: it is never lost)."""

    def answer(self, item_id: int, text: str) -> None: ...
