""""My reports" data: what this user sent and where each stands. Qt-free and light, because
the idle tray app polls it (importing the report model would double its memory)."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Protocol

from app.i18n import Translator

REPORT_JSON = "report.json"  # as app.bundle names it


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


def _bundles(folder: Path) -> Iterator[Path]:
    """Complete bundles, as app.bundle.list_bundles finds them (hidden = interrupted write)."""
    if not folder.is_dir():
        return
    for entry in folder.iterdir():
        if entry.name.startswith("."):
            continue
        if (entry.is_dir() and (entry / REPORT_JSON).is_file()) or entry.suffix == ".zip":
            yield entry


class FolderReports:
    """Reports saved in the reports folder (the embedded folder destination)."""

    def __init__(self, folder: Path, t: Translator, limit: int = 50) -> None:
        self.folder, self.t, self.limit = folder, t, limit

    def my_reports(self) -> list[MyReport]:
        out: list[MyReport] = []
        # Bundle names start with their time (flare-YYYYmmdd-HHMMSS-…): newest first.
        for path in sorted(_bundles(self.folder), reverse=True)[: self.limit]:
            title, created = path.name, None
            if path.is_dir():
                try:
                    data = json.loads((path / REPORT_JSON).read_text("utf-8"))
                    title = str(data.get("title") or title)
                    created = datetime.fromisoformat(str(data["created_at"]))
                except (OSError, ValueError, KeyError):
                    pass  # listed by its folder name
            out.append(MyReport(title, created, self.t.tr("saved"), link=str(path)))
        return out


def status_changes(before: Sequence[MyReport], now: Sequence[MyReport]) -> list[MyReport]:
    """The reports whose status changed since ``before`` (keyed by link, else title)."""
    seen = {r.link or r.title: r.status for r in before}
    return [r for r in now if (r.link or r.title) in seen and seen[r.link or r.title] != r.status]
