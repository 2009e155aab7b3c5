"""What the outbox holds, for people: "My reports" (newest first, with ticket states) and the
tray's list of reports still waiting, each with why it waits.

Only the outbox is imported: the idle tray app polls this, and the report model, the bundle
writer and the HTTP connectors would double its memory.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from app.helpdesk.outbox import Outbox, OutboxItem
from app.helpdesk.protocol import Reply
from app.i18n import Translator
from app.report_status import MyReport, ReportReply


class OutboxReports:
    """"My reports": what the outbox holds, newest first, with ticket states, in the user's
    language (``OutboxItem.why`` is the English line for logs and the CLI)."""

    def __init__(self, outbox_factory: Callable[[], Outbox], t: Translator | None = None,
                 limit: int = 50) -> None:
        self.outbox_factory = outbox_factory
        self.t = t or Translator("en")
        self.limit = limit

    def my_reports(self) -> list[MyReport]:
        with self.outbox_factory() as box:
            now = box.clock().timestamp()
            items = sorted(box.items(), key=lambda i: i.created_at, reverse=True)
        # The reporter's answers are shown under the ticket they answer, not as reports.
        answers: dict[tuple[str, str], list[OutboxItem]] = {}
        reports = []
        for i in items:
            target = _reply_target(i)
            if target:
                answers.setdefault((i.destination, target), []).append(i)
            else:
                reports.append(i)
        return [self._row(i, now, answers) for i in reports[: self.limit]]

    def _row(self, i: OutboxItem, now: float,
             answers: dict[tuple[str, str], list[OutboxItem]]) -> MyReport:
        created = datetime.fromtimestamp(i.created_at, UTC)
        if i.destination == "folder" and i.ticket is not None:
            # The folder destination's "ticket" is the copy in the reports folder.
            return MyReport(i.title, created, self.t.tr("saved"), link=i.ticket.id,
                            item_id=i.id)
        if i.state == "sent" and i.ticket is not None:
            mine = answers.get((i.destination, i.ticket.id), [])
            conversation = self._conversation(i, mine, now)
            # Support waits for her until she has answered (the helpdesk's status may stay
            # "stalled" after an answer through Flare's account).
            waiting = i.status_state == "waiting" and not (conversation and
                                                           conversation[-1].mine)
            return MyReport(i.title, created, i.status_label or self.t.tr("sent"),
                            ticket=i.ticket.display(), link=i.ticket.url, item_id=i.id,
                            replies=conversation, waiting_for_reporter=waiting,
                            can_answer=True)
        status = why_text(self.t, i.state, i.attempts,
                          max(0, int(i.next_attempt_at - now)), i.last_error)
        return MyReport(i.title, created, status, item_id=i.id)

    def _conversation(self, i: OutboxItem, mine: list[OutboxItem],
                      now: float) -> tuple[ReportReply, ...]:
        """Support's public replies as last read, with the reporter's answers that are not
        on the ticket yet (the helpdesk's copy of a sent answer replaces Flare's)."""
        sent = [_answer_text(a) for a in mine if a.state == "sent"]
        # The helpdesk shows Flare's account as the author of an answer: the reporter's own
        # answers are known by their text.
        out = [ReportReply(self.t.tr("You"), r.text, r.at, mine=True)
               if any(_is_answer(r.text, text) for text in sent)
               else ReportReply(r.author, r.text, r.at)
               for r in replies_from_json(i.replies)]
        on_ticket = [r.text for r in out]
        for a in mine:
            text = _answer_text(a)
            if a.state == "sent" and any(_is_answer(t, text) for t in on_ticket):
                continue
            pending = ("" if a.state == "sent" else
                       why_text(self.t, a.state, a.attempts,
                                max(0, int(a.next_attempt_at - now)), a.last_error))
            out.append(ReportReply(self.t.tr("You"), text,
                                   datetime.fromtimestamp(a.created_at, UTC), mine=True,
                                   pending=pending))
        return tuple(sorted(out, key=lambda r: r.at.timestamp() if r.at else 0.0))

    def answer(self, item_id: int, text: str) -> None:
        """Queue the reporter's answer for the ticket of report ``item_id``: a reply bundle
        in the outbox, added to the ticket by the next delivery round (never lost)."""
        import shutil
        import tempfile
        from pathlib import Path

        from app.bundle import open_bundle, write_bundle
        from app.helpdesk.reply import reply_report
        from app.helpdesk.submission import ReportOptions
        from app.report import Reporter

        text = text.strip()
        if not text:
            raise ValueError(self.t.tr("the answer is empty"))
        with self.outbox_factory() as box:
            item = box.get(item_id)
            if item.ticket is None or item.state != "sent":
                raise ValueError(self.t.tr("report {id} has no ticket to answer on",
                                           id=item_id))
            try:
                original = open_bundle(item.bundle_path).report
                reporter, locale = original.reporter, original.locale
            except Exception:  # the spool copy may have been purged; the answer still goes
                reporter, locale = Reporter(), self.t.language
            report = reply_report(text=text, ticket=item.ticket.display(), title=item.title,
                                  reporter=reporter, now=box.clock(), locale=locale)
            tmp = Path(tempfile.mkdtemp(prefix=".answer-", dir=box.dir))
            try:
                path = write_bundle(report, {}, tmp)
                box.enqueue(path, item.destination, report_id=str(report.id),
                            title=_one_line(text, ANSWER_TITLE_CHARS),
                            options=ReportOptions(add_to_ticket=item.ticket.id,
                                                  reply=True).to_json())
            finally:
                shutil.rmtree(tmp, ignore_errors=True)


# An answer's outbox title (the tray's and "My reports"' line for it) is its opening words.
ANSWER_TITLE_CHARS = 200


def _one_line(text: str, limit: int) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _answer_text(item: OutboxItem) -> str:
    return item.title.removesuffix("…")


def _is_answer(ticket_text: str, answer_title: str) -> bool:
    """Whether a reply on the ticket is the answer whose outbox title (its opening words on
    one line) is ``answer_title``."""
    return bool(answer_title) and " ".join(ticket_text.split()).startswith(answer_title)


def _reply_target(item: OutboxItem) -> str:
    """The ticket an answer item answers; "" for a report."""
    if not item.options or '"reply"' not in item.options:
        return ""
    try:
        data = json.loads(item.options)
    except ValueError:
        return ""
    return str(data.get("add_to_ticket") or "") if isinstance(data, dict) and \
        data.get("reply") is True else ""


def is_reply_item(item: OutboxItem) -> bool:
    return bool(_reply_target(item))


def replies_to_json(replies: list[Reply]) -> str:
    return json.dumps([{"author": r.author, "text": r.text,
                        "at": r.at.isoformat() if r.at else ""} for r in replies],
                      ensure_ascii=False)


def replies_from_json(text: str) -> list[Reply]:
    try:
        data = json.loads(text) if text else []
    except ValueError:
        return []
    out = []
    for r in data if isinstance(data, list) else []:
        if not isinstance(r, dict):
            continue
        try:
            at = datetime.fromisoformat(r["at"]) if r.get("at") else None
        except ValueError:
            at = None
        out.append(Reply(author=str(r.get("author") or ""), text=str(r.get("text") or ""),
                         at=at))
    return out


def why_text(t: Translator, state: str, attempts: int, retry_in_s: int, error: str) -> str:
    """Why a report is not sent yet, for the user (the tray, "My reports")."""
    if state == "sending":
        return t.tr("sending now")
    if state == "failed":
        return t.tr("not sent: {error}", error=error)
    if attempts == 0:
        return t.tr("waiting to be sent")
    return t.tr("next try in {minutes} min: {error}",
                minutes=max(1, round(retry_in_s / 60)), error=error)


@dataclass(frozen=True)
class Waiting:
    """A report the outbox still holds (queued, sending or failed), for the tray."""

    title: str
    state: str
    attempts: int
    retry_in_s: int
    error: str
    why: str  # OutboxItem.why(): the delivery layer's own English line
    item_id: int = 0


def waiting(box: Outbox) -> list[Waiting]:
    now = box.clock().timestamp()
    return [Waiting(i.title, i.state, i.attempts, max(0, int(i.next_attempt_at - now)),
                    i.last_error, i.why(now), i.id)
            for i in box.items(("queued", "sending", "failed"))]
