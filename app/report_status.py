""""My reports" data: what this user sent and where each stands. Qt-free and light, because
the idle tray app polls it (importing the report model would double its memory)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True)
class MyReport:
    """One report this user made."""

    title: str
    created_at: datetime | None
    status: str
    ticket: str = ""
    link: str = ""


class ReportStatusSource(Protocol):
    """What the user sent and where it stands (the outbox provides ticket states)."""

    def my_reports(self) -> list[MyReport]: ...
